"""Test helper: prove code paths never touch the network."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator


@contextlib.contextmanager
def no_network() -> Iterator[None]:
    """Every attempt to connect a socket or resolve a name raises inside this block."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network access attempted during an offline test")

    cls = socket.socket
    saved = (cls.connect, cls.connect_ex, socket.create_connection, socket.getaddrinfo)
    cls.connect = cls.connect_ex = refuse  # type: ignore[method-assign,assignment]
    socket.create_connection = socket.getaddrinfo = refuse  # type: ignore[assignment]
    try:
        yield
    finally:
        cls.connect, cls.connect_ex, socket.create_connection, socket.getaddrinfo = saved  # type: ignore[method-assign]
