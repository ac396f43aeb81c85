"""A file uploader that speaks Swedish.

Streamlit's uploader has English text built in ("Upload", "200MB per file", "Drag and drop files
here") and no option to change it. The text stays in the page (for screen readers it is the
button's name), but is drawn at size zero, and a Swedish text is drawn after it by CSS.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import streamlit as st

BUTTON_SV = "Välj filer"
DROP_SV = "Släpp filerna här"

_ZONE = '[data-testid="stFileUploaderDropzone"]'
_INSTRUCTIONS = '[data-testid="stFileUploaderDropzoneInstructions"]'


def limit_text(max_mb: int, types: Sequence[str]) -> str:
    """The size limit and file types in Swedish, as the uploader shows them."""
    kinds = ", ".join(t.lstrip(".").upper() for t in types)
    return f"Högst {max_mb} MB per fil" + (f" • {kinds}" if kinds else "")


def swedish_css(max_mb: int, types: Sequence[str]) -> str:
    """CSS that draws the uploader's texts in Swedish. The texts are ours, never a user's; a JSON
    string without ASCII escapes is a valid CSS string for them (no newlines)."""

    def replaced(selector: str, text: str) -> str:
        return (
            f"{selector} {{font-size: 0 !important;}}\n"
            f"{selector}::after {{content: {json.dumps(text, ensure_ascii=False)}; font-size: 0.875rem;}}\n"
        )

    return (
        "<style>\n"
        + replaced(f'{_ZONE} button [data-testid="stMarkdownContainer"] p', BUTTON_SV)
        + replaced(f"{_INSTRUCTIONS} span", limit_text(max_mb, types))
        # The overlay shown while files are dragged over the zone: its only unnamed child.
        + replaced(f"{_ZONE} > div:not([data-testid]) > *", DROP_SV)
        + "</style>"
    )


def file_uploader(label: str, types: Sequence[str], max_mb: int, **kwargs: Any) -> Any:
    """st.file_uploader with Swedish texts; max_mb must be the server's upload limit."""
    st.html(swedish_css(max_mb, types))
    return st.file_uploader(label, type=list(types), **kwargs)
