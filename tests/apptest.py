"""Shared steps of the Streamlit AppTest tests."""

from __future__ import annotations

from typing import Any

from streamlit.testing.v1 import AppTest


def open_lazy(at: AppTest, prefix: str) -> list[str]:
    """Open every lazily filled expander or popover whose key starts with ``prefix`` (the
    search results' "hela_…" and "citera_…"), as a reader's click does: its state in the
    session, then a rerun. Returns their keys."""
    keys: list[str] = []
    nodes: list[Any] = [at.main]
    while nodes:
        node = nodes.pop()
        ident = getattr(getattr(node, "proto", None), "id", "")
        if isinstance(ident, str) and f"-{prefix}" in ident:
            keys.append(prefix + ident.split(f"-{prefix}", 1)[1])
        nodes.extend(getattr(node, "children", {}).values())
    for key in keys:
        at.session_state[key] = True
    at.run()
    assert not at.exception, at.exception
    return keys
