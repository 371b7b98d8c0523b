"""Passage vectors stored with a build: the one place that writes and reads them.

``vectors.npy`` holds one row of int8 codes per passage and ``vector-scales.npy`` its scale
(code × scale = the unit vector, within 0.4 % of each component's range): a quarter of float32's
bytes, which every serving worker keeps resident because every query reads every row. Both are
memory-mapped when read, so the workers of a server (and every server on the host) share one copy
through the page cache and opening a build loads nothing. ``vectors.json`` names each row's
article, locale, passage number and key (model + text hash), which lets the next build reuse a
row instead of embedding it again. A build's rows are grouped by article, in the order the
articles were written. Builds from before the codes hold float32 rows and no scales; they are
quantized when read.
"""

from __future__ import annotations

import functools
import gc
import json
import os
import time
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, overload

import numpy as np

from kb.content import Article
from kb.embedding import Encoder, embed_passages, embed_passages_soon
from kb.passages import KEY_WIDTH, Passage, article_passages

MATRIX = "vectors.npy"
SCALES = "vector-scales.npy"
TABLE = "vectors.json"
CODE_RANGE = 127  # a row's largest component is stored as ±127
ROWS_AT_ONCE = 1024  # rows turned back into float32 at a time when a query is compared


class PassageRow(NamedTuple):
    """Which passage a row of the matrix embeds (a tuple: a build opens with one per passage,
    20,000 at 10,000 articles, in half a frozen dataclass's time)."""

    slug: str
    locale: str
    number: int
    key: str
    # among the article's side effects or precautions (kb.asides): what it is not for, which
    # meaning alone does not add a result by (kb.semantic.joining)
    aside: bool = False


class PassageRows(Sequence[PassageRow]):
    """Every row's passage, held as the columns ``vectors.json`` stores: a build opens without
    making a tuple per row (20,000 at 10,000 articles took 10-15 ms of every open), and a
    search reads the article runs and single rows it needs."""

    def __init__(
        self, slugs: list[str], counts: list[int], locales: list[str], codes: str,
        numbers: list[int], keys: str, asides: str | None,
    ) -> None:  # fmt: skip
        self.slugs = slugs  # each article's run of rows, in order
        self.starts = np.concatenate([[0], np.cumsum(counts, dtype=np.int64)])
        self._locales = locales
        self._codes = codes  # per row, a digit: its locale's place in ``locales``
        self._numbers = numbers
        self._keys = keys  # per row, KEY_WIDTH characters
        # per row, "1" for an aside passage, else "0"; None: a build from before the flags
        self._asides = asides

    @classmethod
    def of(cls, rows: Iterable[PassageRow]) -> PassageRows:
        return rows if isinstance(rows, PassageRows) else _columns(list(rows))

    def __len__(self) -> int:
        return len(self._numbers)

    @overload
    def __getitem__(self, at: int) -> PassageRow: ...
    @overload
    def __getitem__(self, at: slice) -> tuple[PassageRow, ...]: ...
    def __getitem__(self, at: int | slice) -> PassageRow | tuple[PassageRow, ...]:
        if isinstance(at, slice):
            return tuple(self[i] for i in range(*at.indices(len(self))))
        if not -len(self) <= at < len(self):
            raise IndexError(at)
        at %= len(self)
        run = int(np.searchsorted(self.starts, at, side="right")) - 1
        return PassageRow(
            self.slugs[run], self.locale(at), self._numbers[at], self.key(at), self.aside(at)
        )

    def __iter__(self) -> Iterator[PassageRow]:
        counts = np.diff(self.starts).tolist()
        slugs = (slug for slug, n in zip(self.slugs, counts, strict=True) for _ in range(n))
        locales = (self._locales[int(c)] for c in self._codes)
        asides = (flag == "1" for flag in self._asides or "0" * len(self))
        return map(_new_row, zip(slugs, locales, self._numbers, self.keys(), asides, strict=True))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"PassageRows({len(self)} rows of {len(self.slugs)} articles)"

    def locale(self, at: int) -> str:
        return self._locales[int(self._codes[at])]

    def number(self, at: int) -> int:
        return self._numbers[at]

    def key(self, at: int) -> str:
        return self._keys[at * KEY_WIDTH : (at + 1) * KEY_WIDTH]

    def aside(self, at: int) -> bool:
        return self._asides is not None and self._asides[at] == "1"

    @property
    def asides_known(self) -> bool:
        """Whether the build flagged its aside passages (a full build made before did not)."""
        return self._asides is not None

    def keys(self) -> list[str]:
        return [self._keys[i : i + KEY_WIDTH] for i in range(0, len(self._keys), KEY_WIDTH)]

    def to_columns(self) -> dict[str, object]:
        """What ``vectors.json`` stores besides the model and dimension."""
        return {
            "slugs": self.slugs,
            "counts": np.diff(self.starts).tolist(),
            "locales": self._locales,
            "locale_codes": self._codes,
            "numbers": self._numbers,
            "key_width": KEY_WIDTH,
            "keys": self._keys,
            **({"asides": self._asides} if self._asides is not None else {}),
        }


@dataclass(frozen=True)
class EmbeddingReport:
    """What a build's embedding step did: passages stored, how many the encoder had to
    embed (the others were reused), and its wall time."""

    passages: int
    embedded: int
    seconds: float


@dataclass(frozen=True)
class VectorTable:
    """A build's passage vectors: row ``i``, the vector of ``rows[i]``, is stored as
    ``codes[i] * scales[i]``."""

    model: str
    rows: PassageRows
    codes: np.ndarray  # (passages, dim) int8
    scales: np.ndarray  # (passages,) float32

    def __post_init__(self) -> None:
        if self.codes.ndim != 2 or self.codes.shape[0] != len(self.rows):
            raise ValueError(f"{self.codes.shape} vectors for {len(self.rows)} passages")
        if self.scales.shape != (len(self.rows),):
            raise ValueError(f"{self.scales.shape} scales for {len(self.rows)} passages")

    @classmethod
    def of(cls, model: str, rows: Iterable[PassageRow], vectors: np.ndarray) -> VectorTable:
        """A table of float vectors, quantized."""
        return cls(model, PassageRows.of(rows), *quantized(vectors))

    @property
    def dim(self) -> int:
        return int(self.codes.shape[1])

    @property
    def finite(self) -> bool:
        """Whether every row is a vector of numbers (a damaged scale is not)."""
        return bool(np.isfinite(self.scales).all())

    def vectors(self, at: Any = slice(None)) -> np.ndarray:
        """Rows ``at`` as float32 vectors."""
        return np.asarray(self.codes[at], dtype=np.float32) * self.scales[at, None]

    def similarities(self, vector: np.ndarray) -> np.ndarray:
        """Every row's dot product with ``vector`` (float64), ROWS_AT_ONCE rows turned into
        float32 at a time: measured here, faster than a product over a float32 matrix, which
        streams four times the bytes."""
        query = np.asarray(vector, dtype=np.float32)
        found = np.empty(len(self.rows), dtype=np.float32)
        block = np.empty((min(ROWS_AT_ONCE, len(self.rows)), self.dim), dtype=np.float32)
        for start in range(0, len(self.rows), ROWS_AT_ONCE):
            codes = self.codes[start : start + ROWS_AT_ONCE]
            rows = block[: len(codes)]
            np.copyto(rows, codes, casting="unsafe")
            np.matmul(rows, query, out=found[start : start + len(codes)])
        return found.astype(np.float64) * self.scales

    def by_key(self) -> dict[str, int]:
        """Row number of each passage key, for reusing vectors in the next build."""
        return {key: i for i, key in enumerate(self.rows.keys())}

    def write(self, build_dir: Path) -> None:
        """The three files, each written under a temporary name and renamed into place."""
        _write(build_dir, self.model, self.rows, [(self.codes, self.scales)], self.dim)

    @classmethod
    def read(cls, build_dir: Path) -> VectorTable | None:
        """The build's vectors (memory-mapped), None if it was built without; raises ValueError
        or OSError if its files disagree or are unreadable."""
        if not (build_dir / TABLE).exists():
            return None
        with _no_collection():
            table = json.loads((build_dir / TABLE).read_text(encoding="utf-8"))
            rows = (
                _columns(_rows(table["rows"]), asides_known=False)
                if "rows" in table
                else _read_columns(table)
            )
        codes = np.load(build_dir / MATRIX, mmap_mode="r", allow_pickle=False)
        if codes.ndim != 2 or codes.shape[1] != table["dim"]:
            raise ValueError(f"{MATRIX} holds {codes.shape} rows, not of {table['dim']}")
        if codes.dtype == np.float32 and not (build_dir / SCALES).exists():
            return cls.of(str(table["model"]), rows, codes)  # a build from before the codes
        if codes.dtype != np.int8:
            raise ValueError(f"{MATRIX} holds {codes.dtype}, not int8 codes")
        scales = np.load(build_dir / SCALES, mmap_mode="r", allow_pickle=False)
        if scales.dtype != np.float32:
            raise ValueError(f"{SCALES} holds {scales.dtype}, not float32")
        return cls(str(table["model"]), rows, codes, scales)


def quantized(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row as int8 codes and a scale, its largest component stored as ±CODE_RANGE; a
    row that is not all numbers gets a scale that is not a number, which reads as damaged."""
    rows = np.asarray(vectors, dtype=np.float32)
    scales = np.abs(rows).max(axis=1, initial=0.0) / CODE_RANGE
    with np.errstate(invalid="ignore", divide="ignore"):
        codes = np.nan_to_num(np.rint(rows / np.where(scales > 0, scales, 1)[:, None]))
    return codes.clip(-CODE_RANGE, CODE_RANGE).astype(np.int8), scales.astype(np.float32)


def _columns(rows: Sequence[PassageRow], asides_known: bool = True) -> PassageRows:
    """Rows as the columns ``vectors.json`` stores: each article's slug once with its count of
    rows, the locales as codes, the keys (of one width) as one string. Parsing 20,000 rows of
    four values took 9-14 ms at 10,000 articles, these columns 4-6."""
    slugs: list[str] = []
    counts: list[int] = []
    for row in rows:
        if slugs and slugs[-1] == row.slug:
            counts[-1] += 1
        else:
            slugs.append(row.slug)
            counts.append(1)
    keys = "".join(row.key for row in rows)
    if len(keys) != KEY_WIDTH * len(rows):
        raise ValueError(f"passage keys must be {KEY_WIDTH} characters long")
    locales = sorted({row.locale for row in rows})
    if len(locales) > 10:
        raise ValueError("a vector table stores a locale as one digit: at most 10 locales")
    code = {locale: str(n) for n, locale in enumerate(locales)}
    codes = "".join(code[row.locale] for row in rows)
    asides = "".join("1" if row.aside else "0" for row in rows) if asides_known else None
    numbers = [row.number for row in rows]
    return PassageRows(slugs, counts, locales, codes, numbers, keys, asides)


def _read_columns(table: dict[str, Any]) -> PassageRows:
    """The rows of :func:`_columns`, each column checked as a whole."""
    slugs, counts, locales = table["slugs"], table["counts"], table["locales"]
    codes, numbers, keys, width = (
        table["locale_codes"], table["numbers"], table["keys"], table["key_width"]
    )  # fmt: skip
    for column, kind in ((slugs, str), (counts, int), (locales, str), (numbers, int)):
        if not isinstance(column, list) or not set(map(type, column)) <= {kind}:
            raise ValueError(f"{TABLE}: a column whose values are not {kind.__name__}")
    if not (isinstance(codes, str) and isinstance(keys, str)):
        raise ValueError(f"{TABLE}: locale codes or keys that are not text")
    if width != KEY_WIDTH:
        raise ValueError(f"{TABLE}: keys of {width} characters, not {KEY_WIDTH}")
    total = sum(counts)
    if min(counts, default=1) < 1 or len(slugs) != len(counts):
        raise ValueError(f"{TABLE}: slugs and their counts disagree")
    if not len(codes) == len(numbers) == total or len(keys) != total * KEY_WIDTH:
        raise ValueError(f"{TABLE}: columns of different lengths")
    if not set(codes) <= {str(n) for n in range(min(len(locales), 10))}:
        raise ValueError(f"{TABLE}: a locale code outside its locales")
    asides = table.get("asides")  # None: a build from before the flags
    if asides is not None and not (
        isinstance(asides, str) and len(asides) == total and set(asides) <= {"0", "1"}
    ):
        raise ValueError(f"{TABLE}: aside flags that are not one 0 or 1 a row")
    return PassageRows(slugs, counts, locales, codes, numbers, keys, asides)


def _rows(raw: list[list[object]]) -> tuple[PassageRow, ...]:
    """The rows of a build written before the columns (a list of rows), checked column by
    column."""
    if not raw:
        return ()
    if {len(row) for row in raw} != {4}:
        raise ValueError(f"{TABLE}: rows of another shape")
    slugs, locales, numbers, keys = zip(*raw, strict=True)
    for column, kind in ((slugs, str), (locales, str), (numbers, int), (keys, str)):
        if set(map(type, column)) != {kind}:
            raise ValueError(f"{TABLE}: a row whose values are not {kind.__name__}")
    return tuple(_new_row((*row, False)) for row in raw)


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


Part = tuple[np.ndarray, np.ndarray]  # codes and scales of consecutive rows


@dataclass(frozen=True)
class NextVectors:
    """A new build's vectors, embedded but not yet written, so an update can embed its few
    passages while it waits for Kiwi and write them once its build folder exists."""

    version: str
    rows: tuple[PassageRow, ...]
    parts: list[Part]
    dim: int
    embedded: int
    seconds: float

    def write(self, build_dir: Path) -> EmbeddingReport:
        """The table's files in ``build_dir``. The kept rows go from the previous build's map
        to the file run by run: gathering them into one new matrix first cost 0.7 s at 10,000
        articles here, most of it the kernel handing out fresh pages."""
        started = time.perf_counter()
        _write(build_dir, self.version, self.rows, self.parts, self.dim)
        spent = self.seconds + time.perf_counter() - started
        return EmbeddingReport(len(self.rows), self.embedded, spent)


def next_vectors(
    previous: VectorTable | None, add: Sequence[Article], live: Collection[str], model: Encoder
) -> NextVectors:
    """:func:`next_table` still in parts, to be written."""
    return VectorsAhead(previous, add, live, model).result()


class VectorsAhead:
    """A new build's vectors with their embedding begun when this is made (a full build's,
    in processes of their own while the articles are written): :meth:`write` waits for them.
    Its time counts from the start, so it overlaps the build's other work."""

    def __init__(
        self,
        previous: VectorTable | None,
        add: Sequence[Article],
        live: Collection[str],
        model: Encoder,
    ) -> None:
        self._started = time.perf_counter()
        self._plan = _Plan.of(previous, add, live, model)
        self._dim = model.dim
        self._pending = embed_passages_soon(model, self._plan.texts)

    def result(self) -> NextVectors:
        version, rows, parts, embedded = self._plan.finish(self._pending.result(), self._dim)
        spent = time.perf_counter() - self._started
        return NextVectors(version, rows, parts, self._dim, embedded, spent)

    def write(self, build_dir: Path) -> EmbeddingReport:
        return self.result().write(build_dir)

    def cancel(self) -> None:
        """Stop embedding (the build failed): nothing is left running."""
        self._pending.cancel()


def next_table(
    previous: VectorTable | None, add: Sequence[Article], live: Collection[str], model: Encoder
) -> tuple[VectorTable, int]:
    """The vectors of a new build, and how many passages had to be embedded: ``previous``'s
    rows of articles still ``live`` and not in ``add``, then the passages of ``add``, each
    embedded unless ``previous`` holds a passage of the same text by the same model (so a
    rebuild or an update embeds only what changed)."""
    plan = _Plan.of(previous, add, live, model)
    version, rows, parts, embedded = plan.finish(embed_passages(model, plan.texts), model.dim)
    codes, scales = (np.concatenate(column) for column in zip(*parts, strict=True))
    return VectorTable(version, PassageRows.of(rows), codes, scales), embedded


@dataclass(frozen=True)
class _Plan:
    """Which of a new build's passages are embedded (``fresh``) and which reuse the previous
    build's codes: decided before the embedding starts, applied when it is done."""

    version: str
    previous: VectorTable
    kept: list[int]  # the previous build's rows that stay, in order
    passages: list[Passage]
    keys: list[str]
    fresh: list[int]
    known: dict[str, int]

    @classmethod
    def of(
        cls,
        previous: VectorTable | None,
        add: Sequence[Article],
        live: Collection[str],
        model: Encoder,
    ) -> _Plan:
        version = model.version
        usable = previous is not None and previous.model == version
        # A damaged table is never copied into a new build: everything is embedded afresh.
        if not usable or previous is None or not previous.finite:
            previous = VectorTable.of(version, (), np.zeros((0, model.dim), np.float32))
        replaced = {a.slug for a in add}
        kept = [i for i, r in enumerate(previous.rows) if r.slug in live and r.slug not in replaced]
        passages = [p for a in add for p in article_passages(a)]
        keys = [p.key(version) for p in passages]
        known = previous.by_key()
        fresh = [i for i, key in enumerate(keys) if key not in known]
        return cls(version, previous, kept, passages, keys, fresh, known)

    @property
    def texts(self) -> list[str]:
        return [self.passages[i].text for i in self.fresh]

    def finish(
        self, embedded: np.ndarray, dim: int
    ) -> tuple[str, tuple[PassageRow, ...], list[Part], int]:
        """The model version, rows and codes in parts (runs of the previous build's rows, then
        the new ones), and how many passages were embedded. A reused row keeps its codes."""
        passages, keys, previous = self.passages, self.keys, self.previous
        reused = [i for i, key in enumerate(keys) if key in self.known]
        codes = np.empty((len(passages), dim), dtype=np.int8)
        scales = np.empty(len(passages), dtype=np.float32)
        if self.fresh:
            codes[self.fresh], scales[self.fresh] = quantized(embedded)
        if reused:
            at = [self.known[keys[i]] for i in reused]
            codes[reused], scales[reused] = previous.codes[at], previous.scales[at]
        old_rows = tuple(previous.rows)
        rows = tuple(old_rows[i] for i in self.kept) + tuple(
            PassageRow(p.slug, p.locale, p.number, key, p.aside)
            for p, key in zip(passages, keys, strict=True)
        )
        return self.version, rows, [*_runs(previous, self.kept), (codes, scales)], len(self.fresh)


def _runs(table: VectorTable, kept: list[int]) -> list[Part]:
    """The codes and scales of rows ``kept`` (ascending), as views of their runs of
    consecutive rows."""
    if not kept:
        return []
    at = np.asarray(kept)
    starts = np.concatenate([[0], np.flatnonzero(np.diff(at) != 1) + 1])
    ends = np.concatenate([starts[1:], [len(at)]])
    runs = [slice(at[a], at[b - 1] + 1) for a, b in zip(starts, ends, strict=True)]
    return [(table.codes[run], table.scales[run]) for run in runs]


def _write(
    build_dir: Path, model: str, rows: Sequence[PassageRow], parts: list[Part], dim: int
) -> None:
    """The three files, the codes and scales stacked from ``parts`` as they are written, each
    under a temporary name and renamed into place."""
    total = sum(len(codes) for codes, _ in parts)
    for name, column, dtype, shape in (
        (MATRIX, 0, np.int8, (total, dim)), (SCALES, 1, np.float32, (total,))
    ):  # fmt: skip
        header = {
            "descr": np.lib.format.dtype_to_descr(np.dtype(dtype)),
            "fortran_order": False,
            "shape": shape,
        }
        with _replacing(build_dir / name) as tmp, tmp.open("wb") as out:
            np.lib.format.write_array_header_1_0(out, header)
            for part in parts:
                out.write(np.ascontiguousarray(part[column], dtype=dtype).data)
    table = {"model": model, "dim": dim, **PassageRows.of(rows).to_columns()}
    with _replacing(build_dir / TABLE) as tmp:
        tmp.write_text(json.dumps(table, ensure_ascii=False, separators=(",", ":")))
