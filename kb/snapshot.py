"""Reading the index: a build opened for searching, and the live index following ``current``.

A reader resolves ``current`` once per search, so it keeps its build while a new one is swapped
in; a reader that cannot open a newly published build keeps the one it has and logs why once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Collection
from pathlib import Path
from typing import TypeVar

from kb.builds import (
    GLOSSARY,
    IndexDamaged,
    IndexMissing,
    IndexProblem,
    IndexVersionMismatch,
    Manifest,
    live_build,
)
from kb.completiontable import CompletionTable
from kb.embedding import Encoder, encoder_for_version
from kb.engine import EngineBuild
from kb.engine.whoosh import WhooshBuild
from kb.glossary import Glossary
from kb.schema import field_specs
from kb.sortedkeys import texts_of
from kb.vectors import VectorTable

RETRY_SECONDS = 30.0  # a build that failed to open is tried again after this, quietly

log = logging.getLogger("kb.index")
_T = TypeVar("_T")


class IndexSnapshot:
    """One opened build; immutable, so each search sees one consistent knowledge base. Search
    reaches the engine only through ``engine`` (:class:`kb.engine.EngineBuild`).

    Opening raises only :class:`IndexProblem`: a damaged build must not take a server down."""

    def __init__(self, build_dir: Path):
        self.build_dir = build_dir
        self.manifest = Manifest.read(build_dir)
        self.manifest.check_compatible(build_dir)
        self.manifest.check_files(build_dir)
        self.engine: EngineBuild = self._guarded(lambda: WhooshBuild(build_dir))
        self.glossary = self._guarded(self._read_glossary)
        self.vectors: VectorTable | None = self._guarded(lambda: VectorTable.read(build_dir))
        self.completions: CompletionTable | None = self._guarded(
            lambda: CompletionTable.read(build_dir)
        )
        self.encoder: Encoder | None = None
        try:
            self._check_vectors()
            if self.engine.live_count != len(self.manifest.hashes):
                raise self._miscounted(self.engine.live_count)
        except IndexProblem:
            self.close()
            raise

    def _check_vectors(self) -> None:
        """The vectors are those the manifest names, made by an encoder this code has and can
        load."""
        recorded = self.manifest.embedding_version
        stored = self.vectors.model if self.vectors is not None else ""
        if stored != recorded:
            detail = f"vectors of {stored or 'no encoder'}, its manifest says {recorded or 'none'}"
            raise IndexDamaged.at(self.build_dir, detail)
        if recorded:
            found = encoder_for_version(recorded)
            if isinstance(found, str):
                raise IndexVersionMismatch(
                    f"the index at {self.build_dir} was embedded by {recorded}, but {found}"
                )
            self.encoder = found

    def _guarded(self, read: Callable[[], _T]) -> _T:
        """``read()``, any failure an IndexDamaged: damaged files fail in any way (Whoosh
        unpickles parts of them)."""
        try:
            return read()
        except IndexProblem:
            raise
        except Exception as exc:
            raise IndexDamaged.at(self.build_dir, f"{type(exc).__name__}: {exc}") from exc

    def _read_glossary(self) -> Glossary | None:
        glossary_file = self.build_dir / GLOSSARY
        if not glossary_file.exists():
            return None
        return Glossary.from_json(glossary_file.read_text(encoding="utf-8"))

    def _miscounted(self, found: int) -> IndexDamaged:
        expected = len(self.manifest.hashes)
        return IndexDamaged.at(self.build_dir, f"{found} articles, its manifest lists {expected}")

    def verify(self, written: Collection[str]) -> None:
        """Read the build back as search does: the ``written`` articles (by listing when that
        is all of them, else by slug) with the manifest's hashes, and one term of every field."""
        self._guarded(lambda: self._check_articles(written))
        self._guarded(self._check_fields)
        self._guarded(self._check_vector_rows)
        self._guarded(self._check_completions)

    def _check_articles(self, written: Collection[str]) -> None:
        hashes = self.manifest.hashes
        if len(written) == len(hashes):
            found = {a.slug: a.content_hash for _, a in self.engine.articles()}
        else:
            stored = (self.engine.find(slug) for slug in written)
            found = {a.slug: a.content_hash for a in stored if a is not None}
        wrong = {slug for slug, digest in found.items() if hashes.get(slug) != digest}
        bad = sorted(set(written) ^ set(found) | wrong)
        if bad:
            detail = f"stored articles differ from its manifest: {', '.join(bad[:5])}"
            raise IndexDamaged.at(self.build_dir, detail)

    def _check_fields(self) -> None:
        """The first term of every field has postings (when no document is deleted: a
        deleted one's terms stay in the dictionary of a big segment until the next build)."""
        complete = self.engine.size == self.engine.live_count
        for spec in field_specs():
            term = next(iter(self.engine.terms(spec.name)), None)
            if term is None:
                continue
            if not len(self.engine.postings(spec.name, term).ids) and complete:
                raise IndexDamaged.at(self.build_dir, f"no postings for {spec.name}:{term}")

    def _check_vector_rows(self) -> None:
        """Every article has its passages' vectors, in one run of rows."""
        if self.vectors is None:
            return
        runs = self.vectors.rows.slugs  # each article's run of rows
        if len(runs) != len(set(runs)) or set(runs) != set(self.manifest.hashes):
            missing = sorted(set(self.manifest.hashes) - set(runs))[:5]
            detail = f"passage vectors do not match its articles (missing: {', '.join(missing)})"
            raise IndexDamaged.at(self.build_dir, detail)
        if not self.vectors.finite:
            raise IndexDamaged.at(self.build_dir, "passage vectors that are not numbers")

    def _check_completions(self) -> None:
        """The completion table covers exactly the build's articles."""
        if self.completions is None:
            return
        self.completions.check()
        slugs = texts_of(self.completions.slugs)
        if slugs != sorted(self.manifest.hashes):
            odd = sorted(set(slugs) ^ set(self.manifest.hashes))[:5]
            detail = f"its completion table does not match its articles ({', '.join(odd)})"
            raise IndexDamaged.at(self.build_dir, detail)

    def close(self) -> None:
        self.engine.close()


class KnowledgeIndex:
    """The live index of a folder, following ``current`` as builds are swapped in; a newly
    published build that cannot be opened is logged (once, to ``logger``) and the open one kept."""

    def __init__(self, root: Path | str, logger: logging.Logger | None = None):
        self.root = Path(root)
        self.logger = logger or log
        self._lock = threading.Lock()
        self._snapshot = self._open()
        self.failures = OpenFailures()

    def _open(self) -> IndexSnapshot:
        target = live_build(self.root)
        if target is None:
            raise IndexMissing(f"no index at {self.root}: build one with `python indexer.py build`")
        return self._shared(IndexSnapshot(target))

    def _shared(self, snapshot: IndexSnapshot) -> IndexSnapshot:
        """``snapshot``, its encoder told to map what weights it can from the index folder."""
        if snapshot.encoder is not None:
            snapshot.encoder.map_weights(self.root)
        return snapshot

    def snapshot(self) -> IndexSnapshot:
        """The newest usable build (checks the symlink: one readlink per call)."""
        target = live_build(self.root)
        if target is not None and self._moved(target):
            with self._lock:
                if self._moved(target):
                    self._reopen(target)
        return self._snapshot

    def _moved(self, target: Path) -> bool:
        """Whether ``current`` points at a build worth opening instead of the open one."""
        return target != self._snapshot.build_dir and self.failures.due(target)

    def _reopen(self, target: Path) -> None:
        try:
            self._snapshot = self._shared(IndexSnapshot(target))
        except IndexProblem as problem:
            if self.failures.failed(target):
                self.logger.error("still serving %s: %s", self._snapshot.build_dir, problem)
            return
        self.failures.clear()


class OpenFailures:
    """The last build that failed to open: retried when ``current`` moves, else only every
    RETRY_SECONDS (not on every request), and reported only the first time."""

    def __init__(self) -> None:
        self._target: Path | None = None
        self._when: float | None = None

    def due(self, target: Path | None) -> bool:
        """Whether opening ``target`` is worth trying now."""
        return (
            self._when is None
            or target != self._target
            or time.monotonic() - self._when >= RETRY_SECONDS
        )

    def failed(self, target: Path | None) -> bool:
        """Record that ``target`` failed to open; True when it is news (report it then)."""
        news = self._when is None or target != self._target
        self._target, self._when = target, time.monotonic()
        return news

    def clear(self) -> None:
        self._when = None


def open_index(root: Path | str, logger: logging.Logger | None = None) -> KnowledgeIndex:
    """Open the index folder for searching; raises IndexMissing / IndexVersionMismatch /
    IndexDamaged. ``logger`` hears of newer builds that cannot be opened (default kb.index)."""
    return KnowledgeIndex(root, logger)
