"""Passage vectors stored with a build: the one place that writes and reads them.

``vectors.npy`` holds one float32 row per passage, memory-mapped when read, so every worker of
a server (and every server on the host) shares one copy through the page cache and opening a
build loads nothing. ``vectors.json`` names each row's article, locale, passage number and key
(model + text hash), which lets the next build reuse a row instead of embedding it again.
A build's rows are grouped by article, in the order the articles were written.
"""

from __future__ import annotations

import functools
import gc
import json
import os
import time
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np

from kb.content import Article
from kb.embedding import Encoder
from kb.passages import article_passages

MATRIX = "vectors.npy"
TABLE = "vectors.json"
FILES = (MATRIX, TABLE)


class PassageRow(NamedTuple):
    """Which passage a row of the matrix embeds (a tuple: a build opens with one per passage,
    20,000 at 10,000 articles, in half a frozen dataclass's time)."""

    slug: str
    locale: str
    number: int
    key: str


@dataclass(frozen=True)
class EmbeddingReport:
    """What a build's embedding step did: passages stored, how many the encoder had to
    embed (the others were reused), and its wall time."""

    passages: int
    embedded: int
    seconds: float


@dataclass(frozen=True)
class VectorTable:
    """A build's passage vectors: ``matrix[i]`` is the vector of ``rows[i]``."""

    model: str
    rows: tuple[PassageRow, ...]
    matrix: np.ndarray

    def __post_init__(self) -> None:
        if self.matrix.ndim != 2 or self.matrix.shape[0] != len(self.rows):
            raise ValueError(f"{self.matrix.shape} vectors for {len(self.rows)} passages")

    def by_key(self) -> dict[str, int]:
        """Row number of each passage key, for reusing vectors in the next build."""
        return {row.key: i for i, row in enumerate(self.rows)}

    def write(self, build_dir: Path) -> None:
        """Both files, each written under a temporary name and renamed into place."""
        matrix = np.ascontiguousarray(self.matrix, dtype=np.float32)
        with _replacing(build_dir / MATRIX) as tmp, tmp.open("wb") as out:
            np.save(out, matrix, allow_pickle=False)
        table = {
            "model": self.model,
            "dim": int(matrix.shape[1]),
            "rows": [[r.slug, r.locale, r.number, r.key] for r in self.rows],
        }
        with _replacing(build_dir / TABLE) as tmp:
            tmp.write_text(json.dumps(table, ensure_ascii=False, separators=(",", ":")))

    @classmethod
    def read(cls, build_dir: Path) -> VectorTable | None:
        """The build's vectors (memory-mapped), None if it was built without; raises ValueError
        or OSError if its files disagree or are unreadable."""
        if not (build_dir / TABLE).exists():
            return None
        with _no_collection():
            table = json.loads((build_dir / TABLE).read_text(encoding="utf-8"))
            rows = _rows(table["rows"])
        matrix = np.load(build_dir / MATRIX, mmap_mode="r", allow_pickle=False)
        if matrix.dtype != np.float32 or matrix.shape[1:] != (table["dim"],):
            raise ValueError(f"{MATRIX} holds {matrix.dtype} {matrix.shape}, not {table['dim']}")
        return cls(str(table["model"]), rows, matrix)


def _rows(raw: list[list[object]]) -> tuple[PassageRow, ...]:
    """The table's rows, checked column by column (a build opens 20,000 of them at 10,000
    articles: a check and a conversion per value took as long as parsing the file)."""
    if not raw:
        return ()
    if {len(row) for row in raw} != {4}:
        raise ValueError(f"{TABLE}: rows of another shape")
    slugs, locales, numbers, keys = zip(*raw, strict=True)
    for column, kind in ((slugs, str), (locales, str), (numbers, int), (keys, str)):
        if set(map(type, column)) != {kind}:
            raise ValueError(f"{TABLE}: a row whose values are not {kind.__name__}")
    return tuple(map(_new_row, raw))


_new_row = functools.partial(tuple.__new__, PassageRow)  # what PassageRow._make does, in C


@contextmanager
def _no_collection() -> Iterator[None]:
    """No garbage collection while a table's objects are made: none of them is garbage, and the
    passes that tens of thousands of new objects set off cost more than the parsing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _replacing:
    """A temporary path beside ``target`` that replaces it when the block succeeds."""

    def __init__(self, target: Path):
        self.target = target
        self.tmp = target.with_name(target.name + ".tmp")

    def __enter__(self) -> Path:
        return self.tmp

    def __exit__(self, kind: object, *_: object) -> None:
        if kind is None:
            os.replace(self.tmp, self.target)
        else:
            self.tmp.unlink(missing_ok=True)


def write_next_table(
    build_dir: Path,
    previous: VectorTable | None,
    add: Sequence[Article],
    live: Collection[str],
    model: Encoder,
) -> EmbeddingReport:
    """:func:`next_table` written into ``build_dir``, with what it took."""
    started = time.perf_counter()
    table, embedded = next_table(previous, add, live, model)
    table.write(build_dir)
    return EmbeddingReport(len(table.rows), embedded, time.perf_counter() - started)


def next_table(
    previous: VectorTable | None, add: Sequence[Article], live: Collection[str], model: Encoder
) -> tuple[VectorTable, int]:
    """The vectors of a new build, and how many passages had to be embedded: ``previous``'s
    rows of articles still ``live`` and not in ``add``, then the passages of ``add``, each
    embedded unless ``previous`` holds a passage of the same text by the same model (so a
    rebuild or an update embeds only what changed)."""
    version = model.version
    usable = previous is not None and previous.model == version
    # A damaged table is never copied into a new build: everything is embedded afresh.
    if not usable or previous is None or not np.isfinite(previous.matrix).all():
        previous = VectorTable(version, (), np.zeros((0, model.dim), np.float32))
    replaced = {a.slug for a in add}
    kept = [i for i, r in enumerate(previous.rows) if r.slug in live and r.slug not in replaced]
    passages = [p for a in add for p in article_passages(a)]
    keys = [p.key(version) for p in passages]
    known = previous.by_key()
    fresh = [i for i, key in enumerate(keys) if key not in known]
    reused = [i for i, key in enumerate(keys) if key in known]
    new = np.empty((len(passages), model.dim), dtype=np.float32)
    if fresh:
        new[fresh] = model.passages([passages[i].text for i in fresh])
    if reused:
        new[reused] = previous.matrix[[known[keys[i]] for i in reused]]
    rows = tuple(previous.rows[i] for i in kept) + tuple(
        PassageRow(p.slug, p.locale, p.number, key) for p, key in zip(passages, keys, strict=True)
    )
    return VectorTable(version, rows, np.concatenate([previous.matrix[kept], new])), len(fresh)
