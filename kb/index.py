"""The index on disk: immutable builds swapped in atomically, incremental updates, one writer.

Layout of an index folder::

    current -> builds/<id>     symlink, replaced atomically when a build is complete
    builds/<id>/               Whoosh files plus kb-index.json (versions, article hashes)
    .lock                      flock held by the one running build or update

A reader resolves ``current`` once per search, so it keeps its build while a new one is swapped in;
a crash mid-build leaves an unreferenced folder that the next build removes.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import hashlib
import json
import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.searching import Searcher

from kb.analysis import analysis_version, pretokenized
from kb.content import Article, load_content
from kb.glossary import Glossary, load_glossary
from kb.schema import (
    SCHEMA_VERSION,
    add_korean_vocabulary,
    document_for,
    korean_texts,
    make_schema,
)

MANIFEST = "kb-index.json"
GLOSSARY = "glossary.json"
CURRENT = "current"
BUILDS = "builds"
KEEP_BUILDS = 2  # the live build and the one before it, for readers still holding it
BATCH = 64  # articles analysed together by Kiwi's worker threads

Progress = Callable[[int, int], None]


class IndexProblem(Exception):
    """Base of index problems; the message says what to do."""


class IndexMissing(IndexProblem):
    pass


class IndexVersionMismatch(IndexProblem):
    pass


class IndexBusy(IndexProblem):
    pass


@dataclass(frozen=True)
class Manifest:
    """What a build holds and which code built it."""

    schema_version: int
    analysis_version: str
    built_at: str
    hashes: dict[str, str] = field(default_factory=dict)
    translations: int = 0
    glossary_hash: str = ""

    @classmethod
    def read(cls, build_dir: Path) -> Manifest:
        data = json.loads((build_dir / MANIFEST).read_text(encoding="utf-8"))
        return cls(**data)

    def write(self, build_dir: Path) -> None:
        tmp = build_dir / (MANIFEST + ".tmp")
        tmp.write_text(json.dumps(self.__dict__, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, build_dir / MANIFEST)

    def check_compatible(self, where: Path) -> None:
        expected = (SCHEMA_VERSION, analysis_version())
        found = (self.schema_version, self.analysis_version)
        if found != expected:
            raise IndexVersionMismatch(
                f"the index at {where} was built by another version (schema {found[0]}, analysis "
                f"{found[1]}; this code needs schema {expected[0]}, analysis {expected[1]}): "
                "rebuild the index with `python indexer.py build`"
            )


@dataclass(frozen=True)
class BuildReport:
    articles: int
    translations: int
    seconds: float
    added: int = 0
    changed: int = 0
    removed: int = 0
    full: bool = True
    build_dir: Path | None = None

    def summary(self) -> str:
        what = "built" if self.full else "updated"
        detail = (
            ""
            if self.full
            else (f" ({self.added} added, {self.changed} changed, {self.removed} removed)")
        )
        return (
            f"{what} index: {self.articles} articles, {self.translations} translations"
            f"{detail} in {self.seconds:.2f} s"
        )


# -- reading ---------------------------------------------------------------------------------


class IndexSnapshot:
    """One opened build; immutable, so each search sees one consistent knowledge base."""

    def __init__(self, build_dir: Path):
        self.build_dir = build_dir
        self.manifest = Manifest.read(build_dir)
        self.manifest.check_compatible(build_dir)
        self._ix = whoosh_index.open_dir(str(build_dir))
        self._local = threading.local()
        glossary_file = build_dir / GLOSSARY
        self.glossary = (
            Glossary.from_json(glossary_file.read_text(encoding="utf-8"))
            if glossary_file.exists()
            else None
        )

    @property
    def searcher(self) -> Searcher:
        """A searcher per thread (Whoosh searchers are not meant to be shared across threads)."""
        searcher = getattr(self._local, "searcher", None)
        if searcher is None:
            searcher = self._local.searcher = self._ix.searcher()
        return searcher


class KnowledgeIndex:
    """The live index of a folder, following ``current`` as builds are swapped in."""

    def __init__(self, root: Path | str):
        self.root = Path(root)
        self._lock = threading.Lock()
        self._snapshot = self._open()

    def _open(self) -> IndexSnapshot:
        target = live_build(self.root)
        if target is None:
            raise IndexMissing(f"no index at {self.root}: build one with `python indexer.py build`")
        return IndexSnapshot(target)

    def snapshot(self) -> IndexSnapshot:
        """The newest complete build (checks the symlink: one readlink per call)."""
        target = live_build(self.root)
        if target is not None and target != self._snapshot.build_dir:
            with self._lock:
                if target != self._snapshot.build_dir:
                    self._snapshot = IndexSnapshot(target)
        return self._snapshot


def open_index(root: Path | str) -> KnowledgeIndex:
    """Open the index folder for searching; raises IndexMissing / IndexVersionMismatch."""
    return KnowledgeIndex(root)


def live_build(root: Path) -> Path | None:
    try:
        target = os.readlink(root / CURRENT)
    except OSError:
        return None
    return root / target


# -- writing ---------------------------------------------------------------------------------


@contextmanager
def writer_lock(root: Path) -> Iterator[None]:
    """Exclusive, non-blocking: a second build fails at once; the kernel frees it if we die."""
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            raise IndexBusy(
                f"another build or update is running on {root} (pid {holder}); "
                "wait for it to finish and try again"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)


def build_index(
    content: Path | Sequence[Path],
    root: Path | str,
    *,
    glossary: Path | None = None,
    progress: Progress | None = None,
) -> BuildReport:
    """Validate ``content`` (and ``glossary``), index it into a new build and swap it in; the
    old build stays intact."""
    root = Path(root)
    started = time.perf_counter()
    with writer_lock(root):
        articles = load_content(content)
        terms = load_glossary(glossary) if glossary is not None else None
        build_dir = _new_build_dir(root)
        writer = whoosh_index.create_in(str(build_dir), make_schema()).writer(limitmb=256)
        manifest = _write_build(root, build_dir, writer, articles, [], articles, terms, progress)
    return BuildReport(
        articles=len(articles),
        translations=manifest.translations,
        seconds=time.perf_counter() - started,
        added=len(articles),
        build_dir=build_dir,
    )


def update_index(
    content: Path | Sequence[Path],
    root: Path | str,
    *,
    glossary: Path | None = None,
    progress: Progress | None = None,
) -> BuildReport:
    """Re-index only articles whose files changed, appeared or vanished (by content hash).

    The live build is hard-linked into a new build (Whoosh never rewrites a segment file), the
    changes (and a changed glossary) are written there, and it is swapped in like a full build.
    Falls back to a full build when there is no compatible index yet.
    """
    root = Path(root)
    current = live_build(root)
    try:
        if current is None:
            raise IndexMissing(str(root))
        old = Manifest.read(current)
        old.check_compatible(current)
    except (IndexProblem, OSError, ValueError, TypeError):
        return build_index(content, root, glossary=glossary, progress=progress)
    started = time.perf_counter()
    with writer_lock(root):
        current = live_build(root) or current
        old = Manifest.read(current)
        articles = load_content(content)
        terms = load_glossary(glossary) if glossary is not None else None
        fresh = {a.slug: a for a in articles}
        changed = [a for a in articles if old.hashes.get(a.slug) != a.content_hash]
        removed = sorted(set(old.hashes) - set(fresh))
        build_dir = current
        if changed or removed or _glossary_hash(terms) != old.glossary_hash:
            build_dir = _new_build_dir(root)
            for item in current.iterdir():
                if item.is_file() and item.name not in (GLOSSARY, MANIFEST, "MAIN_WRITELOCK"):
                    os.link(item, build_dir / item.name)
            writer = whoosh_index.open_dir(str(build_dir)).writer(limitmb=256)
            stale = [*removed, *(a.slug for a in changed)]
            manifest = _write_build(
                root, build_dir, writer, changed, stale, articles, terms, progress
            )
        else:
            manifest = old
    added = sum(1 for a in changed if a.slug not in old.hashes)
    return BuildReport(
        articles=len(articles),
        translations=manifest.translations,
        seconds=time.perf_counter() - started,
        added=added,
        changed=len(changed) - added,
        removed=len(removed),
        full=False,
        build_dir=build_dir,
    )


def _write_build(
    root: Path,
    build_dir: Path,
    writer: Any,
    add: Sequence[Article],
    delete: Sequence[str],
    articles: Sequence[Article],
    glossary: Glossary | None,
    progress: Progress | None,
) -> Manifest:
    """Apply deletions and additions to ``build_dir``, record what it holds, and swap it in."""
    try:
        for slug in delete:
            writer.delete_by_term("slug", slug)
        _add_articles(writer, add, progress)
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    manifest = _manifest_for(articles, _write_glossary(build_dir, glossary))
    manifest.write(build_dir)
    _publish(root, build_dir)
    return manifest


def _manifest_for(articles: Sequence[Article], glossary_hash: str) -> Manifest:
    return Manifest(
        schema_version=SCHEMA_VERSION,
        analysis_version=analysis_version(),
        built_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        hashes={a.slug: a.content_hash for a in articles},
        translations=sum(len(a.translations) for a in articles),
        glossary_hash=glossary_hash,
    )


def _glossary_hash(glossary: Glossary | None) -> str:
    return hashlib.sha256(glossary.to_json().encode()).hexdigest() if glossary else ""


def _write_glossary(build_dir: Path, glossary: Glossary | None) -> str:
    """Store the glossary in the build (searches read it from there); returns its hash."""
    if glossary is not None:
        (build_dir / GLOSSARY).write_text(glossary.to_json(), encoding="utf-8")
    return _glossary_hash(glossary)


def _add_articles(writer: Any, articles: Sequence[Article], progress: Progress | None) -> None:
    total = len(articles)
    for first in range(0, total, BATCH):
        batch = [document_for(a) for a in articles[first : first + BATCH]]
        with pretokenized(text for doc in batch for text in korean_texts(doc)):
            for doc in batch:
                add_korean_vocabulary(doc)
                writer.add_document(**doc)
        if progress is not None:
            progress(min(first + BATCH, total), total)


def _new_build_dir(root: Path) -> Path:
    """A fresh build folder; leftovers of crashed builds (no manifest) are removed first."""
    builds = root / BUILDS
    builds.mkdir(parents=True, exist_ok=True)
    live = live_build(root)
    for old in builds.iterdir():
        if old != live and not (old / MANIFEST).exists():
            shutil.rmtree(old, ignore_errors=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    path = builds / f"{stamp}-{uuid.uuid4().hex[:8]}"
    path.mkdir()
    return path


def _publish(root: Path, build_dir: Path) -> None:
    """Point ``current`` at ``build_dir`` in one rename, then drop builds nobody should need."""
    tmp = root / f".{CURRENT}.{uuid.uuid4().hex[:8]}"
    os.symlink(os.path.relpath(build_dir, root), tmp)
    os.replace(tmp, root / CURRENT)
    dir_fd = os.open(root, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    complete = sorted(
        (p for p in (root / BUILDS).iterdir() if (p / MANIFEST).exists()),
        key=lambda p: p.name,
    )
    for old in complete[:-KEEP_BUILDS]:
        if old != build_dir:
            shutil.rmtree(old, ignore_errors=True)
