"""Small hostile PDFs made in the test: a slow content stream and a decompression bomb."""

from __future__ import annotations

import zlib


def _pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for o in offsets:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _one_page_pdf(stream: bytes) -> bytes:
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
            + stream
            + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        ]
    )


TEXT = b"BT /F1 11 Tf 72 760 Td (Styrelsen beslutar att bevilja medel) Tj ET "


def slow_pdf(operators: int) -> bytes:
    """A small PDF whose content stream holds `operators` save/restore pairs."""
    return _one_page_pdf(zlib.compress(TEXT + b"q Q " * operators))


def bomb_pdf(mib: int) -> bytes:
    """A ~1 MB PDF whose content stream inflates to `mib` MiB of spaces (built blockwise)."""
    chunk = b" " * 2**20
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(TEXT + chunk) + c.flush(zlib.Z_FULL_FLUSH)
    unit = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    adler = zlib.adler32(TEXT + chunk)
    for _ in range(mib - 1):
        adler = zlib.adler32(chunk, adler)
    body = b"\x78\xda" + first + unit * (mib - 1) + c.flush() + adler.to_bytes(4, "big")
    return _one_page_pdf(body)
