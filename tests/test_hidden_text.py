"""Text a reader does not see is not indexed, and invisible controls do not split words
(issue 16: r_docx_moved_and_hidden_text, the bidi part of r_rename_and_bidi)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from corpus.model import Document
from corpus.settings import Settings
from ingest.clean import clean_text
from ingest.extract import extract
from ingest.pipeline import limits_of, process_file

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
CT = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    '"application/xml"/><Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
    'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)


def p(text: str, rpr: str = "") -> str:
    return f'<w:p><w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def write_docx(path: Path, body: str) -> Path:
    head = p("Samordningsförbundet Halland") + p("PROTOKOLL") + p("Sammanträdesdatum 2024-03-14")
    doc = f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{head}{body}</w:body></w:document>'
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", CT)
        z.writestr("_rels/.rels", RELS)
        z.writestr("word/document.xml", doc)
    return path


@pytest.mark.parametrize("runs", [1, 3])
def test_moved_text_is_read_once_where_it_was_moved_to(tmp_path: Path, runs: int) -> None:
    moved = "".join(f"<w:r><w:t>Flyttad{i} </w:t></w:r>" for i in range(runs))
    body = (
        p("§ 1 Budget")
        + f'<w:p><w:moveFrom w:id="3" w:author="x">{moved}</w:moveFrom></w:p>'
        + p("§ 2 Rapport")
        + f'<w:p><w:moveTo w:id="4" w:author="x">{moved}</w:moveTo></w:p>'
        + '<w:p><w:r><w:t xml:space="preserve">Styrelsen beslutar att bevilja </w:t></w:r>'
        + '<w:del w:id="1" w:author="x"><w:r><w:delText>999 tkr</w:delText></w:r></w:del>'
        + '<w:ins w:id="2" w:author="x"><w:r><w:t>100 tkr</w:t></w:r></w:ins></w:p>'
    )
    text = "\n".join(page.text for page in extract(write_docx(tmp_path / "flytt.docx", body)))
    for i in range(runs):
        assert text.count(f"Flyttad{i}") == 1, text
    assert text.index("§ 2 Rapport") < text.index("Flyttad0")
    assert "100 tkr" in text and "999" not in text


def test_hidden_text_is_not_read_but_unhidden_is(tmp_path: Path) -> None:
    body = (
        p("§ 1 Budget")
        + p("Dold anteckning för sekreteraren", "<w:rPr><w:vanish/></w:rPr>")
        + p("Också dold", '<w:rPr><w:b/><w:vanish w:val="true"/></w:rPr>')
        + p("Synlig igen", '<w:rPr><w:vanish w:val="false"/></w:rPr>')
        + '<w:p><w:r><w:t xml:space="preserve">Styrelsen beslutar </w:t></w:r>'
        + "<w:r><w:rPr><w:vanish/></w:rPr><w:t>INTE </w:t></w:r>"
        + "<w:r><w:t>att bevilja 100 tkr.</w:t></w:r></w:p>"
    )
    text = "\n".join(page.text for page in extract(write_docx(tmp_path / "dold.docx", body)))
    assert "Dold" not in text and "Också dold" not in text and "INTE" not in text
    assert "Synlig igen" in text
    assert "Styrelsen beslutar att bevilja 100 tkr." in text


CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2061"


@pytest.mark.parametrize("control", list(CONTROLS))
def test_invisible_controls_do_not_split_words(control: str) -> None:
    assert clean_text(f"Bud{control}get för {control}projektet{control}") == "Budget för projektet"


def test_a_protocol_with_bidi_controls_is_stored_without_them(tmp_path: Path) -> None:
    path = tmp_path / "bidi.txt"
    path.write_text(
        "Samordningsförbundet Halland\nPROTOKOLL\nSammanträdesdatum 2024-03-14\n\n"
        "§ 1 Bud\u2066get\u2069 2024\nStyrelsen beslutar att \u202ebevilja 100 tkr\u202c.\n",
        encoding="utf-8",
    )
    doc = process_file(path, limits_of(Settings()))
    assert isinstance(doc, Document), doc
    stored = doc.text + "".join(i.title + i.body + "".join(i.decisions) for i in doc.items)
    assert not set(CONTROLS) & set(stored)
    assert any(i.title.startswith("Budget 2024") for i in doc.items)
    assert "bevilja 100 tkr" in stored
