"""Document text is never interpreted as Markdown in the app: a protocol's links, images and
HTML are shown as the text they are, on Sök and on Dokument (reproducer
r_app_markdown_injection.sh)."""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest import open_lazy
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

import search_app
from corpus.settings import Settings
from corpus.store import Store
from index.build import ingest_and_index
from index.embed import HashEncoder

APP = Path(search_app.__file__).with_name("app.py")
HOSTILE = """Samordningsförbundet Halland
PROTOKOLL
Sammanträdesdatum 2024-03-14

§ 1 Budget zzkontroll <img src=x onerror=alert(1)> [rubrik](http://phish.example/r)

Ärendet gäller zzkontroll <script>alert(2)</script> och **fet** text, $x^2$ och :smile:.
Se [här](http://phish.example/body) och ![bild](http://127.0.0.1:9/b.png) samt http://phish.example/bar.

Handlingar
- [Handling](http://phish.example/h)

Beslut
Att bevilja 100 000 kr för 2024 [beslut](http://phish.example/beslut)

Kopia till: [Försäkringskassan](http://phish.example/login), ![kbild](http://127.0.0.1:9/k.png)
"""
FORBIDDEN_TOKENS = {"link_open", "image", "html_inline", "html_block", "math_inline"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("markdown")
    (root / "halland.txt").write_text(HOSTILE, encoding="utf-8")
    settings = Settings(db=root / "c.db", model="hash", cache_dir=root / "cache")
    report, _ = ingest_and_index([root / "halland.txt"], settings, encoder=HashEncoder())
    assert report.documents_added == 1, report.failures
    return settings.db


@pytest.fixture
def env(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FINSAM_DB", str(corpus))
    monkeypatch.setenv("FINSAM_MODEL", "hash")
    monkeypatch.setenv("FINSAM_CACHE", str(corpus.parent / "cache"))
    return corpus


def _tokens(text: str) -> set[str]:
    out = set()
    for tok in MarkdownIt("commonmark").parse(text):
        out.add(tok.type)
        out.update(child.type for child in tok.children or [])
    return out


def _markdown_bodies(at: AppTest) -> list[str]:
    """Every string the page hands to Streamlit's Markdown renderer."""
    bodies = [
        e.value
        for kind in ("markdown", "caption", "error", "warning", "info", "success")
        for e in getattr(at, kind)
    ]
    bodies += [e.value for kind in ("title", "subheader", "header") for e in getattr(at, kind)]
    bodies += [e.label for e in at.expander]
    return bodies


def _assert_literal(at: AppTest) -> None:
    bodies = _markdown_bodies(at)
    with_text = [b for b in bodies if "phish" in b or "zzkontroll" in b or "127.0.0.1" in b]
    assert with_text, "the hostile text is not on the page at all"
    for body in bodies:
        found = _tokens(body) & FORBIDDEN_TOKENS
        assert not found, f"document text rendered as Markdown ({found}): {body!r}"
        assert "http://" not in body, f"a bare URL a Markdown renderer would link: {body!r}"
        assert "**fet**" not in body and "$x^2$" not in body and ":smile:" not in body, body
    for h in at.html:  # HTML the app builds itself: document text escaped
        assert "<img" not in h.value and "<script>alert" not in h.value


def test_sok_shows_document_text_literally(env: Path) -> None:
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params["q"] = "zzkontroll"
    at.run()
    assert not at.exception, at.exception
    assert any("zzkontroll" in h.value for h in at.html)
    assert open_lazy(at, "hela_"), "no result to open"
    _assert_literal(at)


def test_dokument_shows_document_text_literally(env: Path) -> None:
    with Store.open(env, readonly=True) as store:
        ctx = next(iter(store.iter_item_contexts()))
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    at.switch_page("views/dokument.py")
    at.query_params.update(doc=ctx.doc_id, item=ctx.item.item_id, q="zzkontroll")
    at.run()
    assert not at.exception, at.exception
    _assert_literal(at)
