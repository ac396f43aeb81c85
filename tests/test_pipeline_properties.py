"""The whole text pipeline (file -> extract -> clean -> segment, `ingest.pipeline.process_file`)
on random and mutated protocol text: it never raises, the only failures are the named ones
(never "error", which means an unexpected exception was caught), and what comes out is a
document the store takes and gives back unchanged."""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus.model import Document, Failure, content_hash
from corpus.settings import Settings
from corpus.store import Store
from ingest.pipeline import ingest_paths, limits_of, process_file

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import protogen  # noqa: E402

NAMED_KINDS = {"unreadable", "needs_ocr", "empty", "too_large"}
LIMITS = limits_of(Settings())
SLOWEST_FILE_S = 20.0
PROPERTIES = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def base_texts() -> list[str]:
    """The bundled sample exports, the constructed protocols and generated ones."""
    texts = [p.read_text("utf-8") for p in sorted((ROOT / "corpus" / "samples").glob("*.txt"))]
    texts += [
        p.read_text("utf-8") for p in sorted((ROOT / "tests" / "data" / "protocols").glob("*"))
    ]
    texts += ["\f".join(protogen.protocol(seed).pages) for seed in range(4)]
    return texts


BASES = base_texts()
INSERTS = [
    "§ 1",
    "§ 1 ",
    "§ 999999999999999999999",
    "\n§ 7 Val av justerare\n",
    "\n§ 7 Val av justerare\n",  # the same § twice: labels must stay unique
    "\n§ 12 Budget 2024\nBeslut\nAtt bevilja 120 tkr\n",
    "\nNVSam § 3\n",
    "\nÄrende 4 Ekonomi\n",
    "\nPunkt 5.\n",
    "§§§§ § § §",
    "\nBeslut\n",
    "\nBeslut:\nAtt\n",
    "\nHandlingar:\n",
    "\nSida 3 (9)\n",
    "\f",
    "\f\f\f",
    "\r",
    "\r\n",
    "\x00\x01\x02\x1b",
    "\u200b\u200e\u202e\ufeff",
    "e\u0301a\u0308o\u0308",  # decomposed é ä ö
    "Samordningsförbundet Samordningsförbundet Samordningsförbundet",
    "<p>&amp;</p>",
    "\ud7ff\U0001f600",
]
# (kind, where 0..1, size, which insert): applied in order to the text
MUTATION = st.tuples(
    st.sampled_from(["delete", "duplicate", "insert", "huge line", "truncate", "shuffle lines"]),
    st.floats(0, 1),
    st.integers(1, 4000),
    st.integers(0, len(INSERTS) - 1),
)


def mutate(text: str, mutations: list[tuple[str, float, int, int]]) -> str:
    for kind, where, size, which in mutations:
        at = int(where * len(text))
        if kind == "delete":
            text = text[:at] + text[at + size :]
        elif kind == "duplicate":
            text = text[:at] + text[at : at + size] * 3 + text[at:]
        elif kind == "insert":
            text = text[:at] + INSERTS[which] + text[at:]
        elif kind == "huge line":  # a line of up to 80 000 characters, with or without spaces
            piece = ("§ 3 Beslut att " if which % 2 else "x") * (size * 20 // (1 + which % 2))
            text = text[:at] + piece[:80_000] + text[at:]
        elif kind == "truncate":
            text = text[:at]
        else:
            lines = text.split("\n")
            k = at % max(1, len(lines))
            text = "\n".join(lines[k:] + lines[:k])
    return text


def encode(text: str, encoding: str) -> bytes:
    if encoding == "html":
        body = "".join(f"<p>{line}</p>\n" for line in text.split("\n"))
        return f"<html><body>{body}</body></html>".encode("utf-8", "surrogatepass")
    return text.encode(encoding, "replace" if encoding == "cp1252" else "surrogatepass")


def flip(data: bytes, flips: list[tuple[float, int]]) -> bytes:
    out = bytearray(data)
    for where, value in flips:
        if out:
            out[int(where * (len(out) - 1))] = value
    return bytes(out)


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    with tempfile.TemporaryDirectory() as folder, Store.open(Path(folder) / "c.db") as s:
        yield s


def check(path: Path, data: bytes, store: Store) -> Document | Failure:
    start = time.monotonic()
    result = process_file(path, LIMITS)  # never raises: no try/except here on purpose
    seconds = time.monotonic() - start
    assert seconds < SLOWEST_FILE_S, f"{seconds:.1f} s for {len(data)} bytes"
    if isinstance(result, Failure):
        assert result.kind in NAMED_KINDS, result  # "error": an exception nobody named
        assert result.path == str(path) and len(result.reason) > 5
        return result
    doc = result
    assert doc.doc_id == content_hash(data)
    assert doc.path == str(path) and doc.source == path.name
    assert doc.text.strip()
    assert len({i.item_id for i in doc.items}) == len(doc.items)
    assert len({i.label for i in doc.items}) == len(doc.items)
    for item in doc.items:
        assert set(item.pages) <= set(range(1, doc.n_pages + 1)), (item.label, item.pages)
        assert len(item.records) == len(item.decisions) + len(item.proposals)
    outcome = store.put_document(doc)
    back = store.get_document(doc.doc_id)
    assert back is not None
    if outcome == "unchanged":  # the same bytes were stored before, under another name
        back = replace(back, path=doc.path, source=doc.source)
    assert back == doc
    return doc


@PROPERTIES
@given(
    base=st.integers(0, len(BASES) - 1),
    mutations=st.lists(MUTATION, max_size=6),
    encoding=st.sampled_from(["utf-8", "utf-8", "cp1252", "utf-16", "utf-8-sig", "html"]),
    flips=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=4),
    suffix=st.sampled_from([".txt", ".md", ".html"]),
)
def test_mutated_protocols_give_a_document_or_a_named_failure(
    store: Store,
    base: int,
    mutations: list[tuple[str, float, int, int]],
    encoding: str,
    flips: list[tuple[float, int]],
    suffix: str,
) -> None:
    data = flip(encode(mutate(BASES[base], mutations), encoding), flips)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"protokoll åäö{suffix}"
        path.write_bytes(data)
        check(path, data, store)


@PROPERTIES
@given(
    text=st.text(max_size=3000),
    encoding=st.sampled_from(["utf-8", "cp1252", "utf-16"]),
)
def test_random_text_gives_a_document_or_a_named_failure(
    store: Store, text: str, encoding: str
) -> None:
    data = encode(text, encoding)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "slump.txt"
        path.write_bytes(data)
        result = check(path, data, store)
    if not text.strip(" \t\n\r\f"):
        assert isinstance(result, Failure) and result.kind == "empty"


@pytest.mark.parametrize(
    "text",
    ["|", "Sida 1 (2)\fSida 2 (2)", "______\n|  |\n- 1 -", "1\f2\f3", " \n\t\f "],
)
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_text_that_cleans_to_nothing_is_reported_empty(
    tmp_path: Path, text: str, encoding: str
) -> None:
    """Only page numbers, rules or stray marks: a named "empty" failure, not a document
    without text in the corpus."""
    path = tmp_path / "bara sidnummer.txt"
    path.write_bytes(encode(text, encoding))
    result = process_file(path, LIMITS)
    assert isinstance(result, Failure), result
    assert (result.path, result.kind) == (str(path), "empty")
    assert "ingen" in result.reason


def test_mutated_batch_through_the_isolated_workers(tmp_path: Path) -> None:
    """The same kind of files through the real pipeline (worker processes, pipes, store):
    every file is stored or reported with a named reason, and the batch completes."""
    import random

    rng = random.Random(6)
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(16):
        mutations = [
            (
                rng.choice(["delete", "duplicate", "insert", "huge line", "shuffle lines"]),
                rng.random(),
                rng.randint(1, 4000),
                rng.randrange(len(INSERTS)),
            )
            for _ in range(rng.randint(1, 6))
        ]
        encoding = rng.choice(["utf-8", "cp1252", "utf-16", "html"])
        data = encode(mutate(BASES[n % len(BASES)], mutations), encoding)
        suffix = ".html" if encoding == "html" else ".txt"
        (folder / f"muterad {n:02d}{suffix}").write_bytes(data)
    settings = Settings(db=tmp_path / "c.db", model="hash", cache_dir=tmp_path, workers=2)
    with Store.open(settings.db) as store:
        report = ingest_paths([folder], store, settings)
        assert all(f.kind in NAMED_KINDS for f in report.failures), report.failures
        assert report.documents_added + len(report.failures) == 16
        assert len(store.doc_ids()) == report.documents_added >= 12
        assert store.integrity_problems() == []
