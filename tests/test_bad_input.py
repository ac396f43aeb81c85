"""Bad input gives named errors that name the file and a reason, never a library exception."""

from __future__ import annotations

import random
import tempfile
import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pdfgen import render_encrypted_pdf, render_image_only_pdf, render_pdf

import ingest.formats.docx as docx_format
from corpus.errors import CorpusError, EmptyDocument, FileTooLarge, NeedsOCR, UnreadableFile
from ingest.extract import extract


def raises(path: Path, error: type[UnreadableFile], *words: str, **kwargs: int) -> UnreadableFile:
    """Extract ``path``, expecting exactly ``error`` whose message names the file and a reason."""
    with pytest.raises(error) as info:
        extract(path, **kwargs)
    exc = info.value
    assert type(exc) is error
    assert exc.path == str(path)
    assert str(path) in str(exc)
    assert len(exc.reason) > 10
    for word in words:
        assert word.lower() in exc.reason.lower(), (word, exc.reason)
    return exc


def word_file(path: Path, text: str = "Protokoll") -> Path:
    doc = docx.Document()
    doc.add_paragraph(text)
    doc.save(str(path))
    return path


@pytest.mark.parametrize("name", ["tom.pdf", "tom.docx", "tom.txt", "tom.html"])
def test_zero_byte_files_are_empty(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")
    raises(path, EmptyDocument, "tom")


def test_whitespace_only_files_are_empty(tmp_path: Path) -> None:
    text = tmp_path / "blank.txt"
    text.write_text(" \n\t\r\n\f  \n", encoding="utf-8")
    raises(text, EmptyDocument, "ingen text")
    html = tmp_path / "blank.html"
    html.write_text("<html><head><script>var x;</script></head><body> </body></html>")
    raises(html, EmptyDocument, "ingen text")
    blank_docx = word_file(tmp_path / "blank.docx", "   ")
    raises(blank_docx, EmptyDocument, "ingen text")


def test_random_bytes_named_pdf_or_docx(tmp_path: Path) -> None:
    noise = random.Random(7).randbytes(4096)
    pdf = tmp_path / "protokoll 2024.pdf"
    pdf.write_bytes(noise)
    raises(pdf, UnreadableFile, "inte en PDF-fil", ".pdf")
    word = tmp_path / "protokoll 2024.docx"
    word.write_bytes(noise)
    raises(word, UnreadableFile, "inte en Word-fil", ".docx")


def test_html_error_page_saved_as_pdf(tmp_path: Path) -> None:
    path = tmp_path / "hämtad.pdf"
    path.write_text("<!DOCTYPE html><html><body>404 Not Found</body></html>", encoding="utf-8")
    raises(path, UnreadableFile, "inte en PDF-fil", "HTML")


def test_truncated_pdf(tmp_path: Path) -> None:
    whole = render_pdf([f"Sida {n} med text" for n in range(6)], tmp_path / "hel.pdf")
    data = whole.read_bytes()
    half = tmp_path / "avkortad.pdf"
    half.write_bytes(data[: len(data) // 2])
    raises(half, UnreadableFile, "avkortad")


def test_broken_pdf_body_is_wrapped(tmp_path: Path) -> None:
    path = tmp_path / "trasig.pdf"
    path.write_bytes(
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\nendobj\ntrailer\n%%EOF\n"
    )
    raises(path, UnreadableFile, "PDF")


def test_encrypted_pdf(tmp_path: Path) -> None:
    path = render_encrypted_pdf(tmp_path / "låst.pdf")
    raises(path, UnreadableFile, "krypterad")


def test_image_only_pdf_needs_ocr(tmp_path: Path) -> None:
    path = render_image_only_pdf(tmp_path / "skannad.pdf", pages=2)
    raises(path, NeedsOCR, "OCR")


def test_pdf_with_blank_pages_needs_ocr_too(tmp_path: Path) -> None:
    path = render_pdf(["", ""], tmp_path / "tom.pdf", page_numbers=None)
    raises(path, NeedsOCR, "textlager")


def test_docx_zip_bomb_is_refused_before_decompressing(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (60 * 2**20))
    assert path.stat().st_size < 2**20

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a member was decompressed before the bomb check")

    monkeypatch.setattr(zipfile.ZipFile, "open", refuse)
    raises(path, UnreadableFile, "zip-bomb")


def test_docx_total_uncompressed_size_is_capped(tmp_path: Path, monkeypatch) -> None:
    path = word_file(tmp_path / "stor.docx")
    monkeypatch.setattr(docx_format, "MAX_TOTAL", 1000)
    raises(path, UnreadableFile, "zip-bomb", "MB")


def test_docx_without_main_document(tmp_path: Path) -> None:
    path = tmp_path / "utan dokument.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/styles.xml", "<styles/>")
    raises(path, UnreadableFile, "word/document.xml")


def test_docx_without_body(tmp_path: Path) -> None:
    path = tmp_path / "utan kropp.docx"
    namespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", f'<w:document xmlns:w="{namespace}"/>')
    raises(path, UnreadableFile, "dokumentkropp")


def test_docx_with_broken_xml(tmp_path: Path) -> None:
    path = tmp_path / "trasig.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document><w:body>")
    raises(path, UnreadableFile, "XML")


def test_docx_truncated_zip(tmp_path: Path) -> None:
    data = word_file(tmp_path / "hel.docx").read_bytes()
    path = tmp_path / "halv.docx"
    path.write_bytes(data[: len(data) // 2])
    raises(path, UnreadableFile, "zip")


def test_too_large_is_checked_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "stor fil.pdf"
    path.write_bytes(random.Random(1).randbytes(5000))  # not even a PDF: size comes first
    exc = raises(path, FileTooLarge, "för stor", max_bytes=1000)
    assert exc.kind == "too_large"


def test_missing_file_and_directory(tmp_path: Path) -> None:
    raises(tmp_path / "finns inte.pdf", UnreadableFile, "finns inte")
    folder = tmp_path / "mapp.txt"
    folder.mkdir()
    raises(folder, UnreadableFile, "inte en vanlig fil")


def test_unsupported_formats_say_what_to_do(tmp_path: Path) -> None:
    old_word = tmp_path / "gammal.doc"
    old_word.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    raises(old_word, UnreadableFile, ".doc", "docx")
    plain_zip = tmp_path / "bilagor.zip"
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("a.txt", "hej")
    raises(plain_zip, UnreadableFile, "zip")


def test_binary_file_named_txt(tmp_path: Path) -> None:
    path = tmp_path / "data.txt"
    path.write_bytes(bytes(range(32)) * 50)
    raises(path, UnreadableFile, "binär")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.binary(min_size=0, max_size=600),
    prefix=st.sampled_from([b"", b"%PDF-1.4\n", b"PK\x03\x04", b"<html>", b"\xef\xbb\xbf"]),
    suffix=st.sampled_from([".pdf", ".docx", ".txt", ".html", ".md", ""]),
)
def test_arbitrary_bytes_give_pages_or_a_named_error(
    data: bytes, prefix: bytes, suffix: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fil{suffix}"
        path.write_bytes(prefix + data)
        try:
            pages = extract(path)
        except CorpusError as exc:
            assert str(path) in str(exc)
            return
        assert pages and [p.number for p in pages] == list(range(1, len(pages) + 1))
        assert any(p.text.strip() for p in pages)
