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
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from kb.analysis import KoreanModel, analysis_version, batch_model, pretokenized
from kb.analysis.korean import Analysis
from kb.content import (
    Article,
    ContentError,
    ContentInvalid,
    find_articles,
    load_articles,
    load_content,
)
from kb.engine import EngineBuild
from kb.engine.whoosh import BuildWriter, WhooshBuild
from kb.glossary import Glossary, load_glossary
from kb.schema import (
    IndexDocument,
    add_korean_vocabulary,
    document_for,
    korean_texts,
    schema_version,
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

    schema_version: str
    analysis_version: str
    built_at: str
    hashes: dict[str, str] = field(default_factory=dict)
    translations: int = 0
    glossary_hash: str = ""
    # SHA-256 of the glossary file as written, so an update can tell it is unchanged without
    # analysing it (which loads Kiwi); "" in manifests written before it existed: unknown.
    glossary_source: str = ""

    @classmethod
    def read(cls, build_dir: Path) -> Manifest:
        data = json.loads((build_dir / MANIFEST).read_text(encoding="utf-8"))
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def write(self, build_dir: Path) -> None:
        tmp = build_dir / (MANIFEST + ".tmp")
        tmp.write_text(json.dumps(self.__dict__, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, build_dir / MANIFEST)

    def check_compatible(self, where: Path) -> None:
        expected = (schema_version(), analysis_version())
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
    """One opened build; immutable, so each search sees one consistent knowledge base. Search
    reaches the engine only through ``engine`` (:class:`kb.engine.EngineBuild`)."""

    def __init__(self, build_dir: Path):
        self.build_dir = build_dir
        self.manifest = Manifest.read(build_dir)
        self.manifest.check_compatible(build_dir)
        self.engine: EngineBuild = WhooshBuild(build_dir)
        glossary_file = build_dir / GLOSSARY
        self.glossary = (
            Glossary.from_json(glossary_file.read_text(encoding="utf-8"))
            if glossary_file.exists()
            else None
        )


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
    korean: KoreanModel | None = None,
) -> BuildReport:
    """Validate ``content`` (and ``glossary``), index it into a new build and swap it in; the
    old build stays intact. ``korean``: the model that analyses batches (the process's
    threaded one by default)."""
    root = Path(root)
    started = time.perf_counter()
    with writer_lock(root):
        articles = load_content(content)
        source = _file_hash(glossary)
        terms = load_glossary(glossary) if glossary is not None else None
        manifest = _manifest(
            {a.slug: a.content_hash for a in articles},
            sum(len(a.translations) for a in articles),
            _glossary_hash(terms),
            source,
        )
        build_dir = _new_build_dir(root)
        writer = BuildWriter.create(build_dir)
        _write_build(root, build_dir, writer, articles, [], manifest, terms, progress, korean)
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
    korean: KoreanModel | None = None,
) -> BuildReport:
    """Re-index only articles whose files changed, appeared or vanished (by content hash).

    Only changed files are parsed and validated (unchanged ones were when they were indexed),
    and Kiwi loads only if something must be analysed. The live build is hard-linked into a new
    build (Whoosh never rewrites a segment file), the changes are written there, and it is
    swapped in like a full build. Falls back to a full build when there is no compatible index.
    """
    root = Path(root)
    if _compatible_build(root) is None:
        return build_index(content, root, glossary=glossary, progress=progress, korean=korean)
    started = time.perf_counter()
    with writer_lock(root):
        current = _compatible_build(root)
        if current is None:  # replaced by an incompatible build while we waited
            raise IndexVersionMismatch(f"the index at {root} changed version: run the update again")
        old = Manifest.read(current)
        plan = _plan_update(content, old, glossary)
        build_dir, manifest = current, old
        if plan.changes_anything(old):
            build_dir = _new_build_dir(root)
            _link_build(current, build_dir, keep_glossary=plan.keeps_glossary(old))
            writer = BuildWriter.update(build_dir)
            stale = [*plan.removed, *(a.slug for a in plan.changed)]
            _write_build(
                root, build_dir, writer, plan.changed, stale, plan.manifest, plan.glossary,
                progress, korean,
            )  # fmt: skip
            manifest = plan.manifest
    added = sum(1 for a in plan.changed if a.slug not in old.hashes)
    return BuildReport(
        articles=len(manifest.hashes),
        translations=manifest.translations,
        seconds=time.perf_counter() - started,
        added=added,
        changed=len(plan.changed) - added,
        removed=len(plan.removed),
        full=False,
        build_dir=build_dir,
    )


@dataclass(frozen=True)
class UpdatePlan:
    """What an update must write: parsed changed articles, removed slugs, the new manifest, and
    the analysed glossary when it must be replaced (None: keep the live build's file)."""

    changed: list[Article]
    removed: list[str]
    manifest: Manifest
    glossary: Glossary | None

    def keeps_glossary(self, old: Manifest) -> bool:
        """Whether the live build's glossary file stays (same glossary, not re-analysed)."""
        return self.glossary is None and self.manifest.glossary_hash == old.glossary_hash

    def changes_anything(self, old: Manifest) -> bool:
        return bool(
            self.changed or self.removed or self.manifest.glossary_hash != old.glossary_hash
        )


def _plan_update(
    content: Path | Sequence[Path], old: Manifest, glossary: Path | None
) -> UpdatePlan:
    """Hash every article's raw files, parse only those whose hash differs from ``old``'s;
    raises :class:`ContentInvalid` for layout problems anywhere or a bad changed file."""
    errors: list[ContentError] = []
    found = list(find_articles(content, errors))
    hashes = {files.slug: files.content_hash() for files in found}
    changed = load_articles((f for f in found if old.hashes.get(f.slug) != hashes[f.slug]), errors)
    if errors:
        raise ContentInvalid(errors)
    hashes.update((a.slug, a.content_hash) for a in changed)  # as parsed, should a file move on
    terms, glossary_hash, source = _updated_glossary(old, glossary)
    manifest = _manifest(hashes, sum(len(f.files) for f in found), glossary_hash, source)
    return UpdatePlan(changed, sorted(set(old.hashes) - set(hashes)), manifest, terms)


def _updated_glossary(old: Manifest, path: Path | None) -> tuple[Glossary | None, str, str]:
    """(analysed glossary or None to keep the live one, its hash, its source hash); the file is
    analysed (loading Kiwi) only when its bytes differ from what the live build recorded."""
    source = _file_hash(path)
    if path is None or (old.glossary_source and source == old.glossary_source):
        return None, old.glossary_hash if path is not None else "", source
    terms = load_glossary(path)
    return terms, _glossary_hash(terms), source


def _compatible_build(root: Path) -> Path | None:
    """The live build if this code can update it in place, else None (a full build is due)."""
    current = live_build(root)
    if current is None:
        return None
    try:
        Manifest.read(current).check_compatible(current)
    except (IndexProblem, OSError, ValueError, TypeError):
        return None
    return current


def _link_build(current: Path, build_dir: Path, *, keep_glossary: bool) -> None:
    """Hard-link the live build's Whoosh files (and its glossary, if kept) into ``build_dir``."""
    skip = {MANIFEST, "MAIN_WRITELOCK"} | (set() if keep_glossary else {GLOSSARY})
    for item in current.iterdir():
        if item.is_file() and item.name not in skip:
            os.link(item, build_dir / item.name)


def _write_build(
    root: Path,
    build_dir: Path,
    writer: BuildWriter,
    add: Sequence[Article],
    delete: Sequence[str],
    manifest: Manifest,
    glossary: Glossary | None,
    progress: Progress | None,
    korean: KoreanModel | None,
) -> None:
    """Apply deletions and additions to ``build_dir``, record what it holds, and swap it in."""
    try:
        for slug in delete:
            writer.delete(slug)
        _add_articles(writer, add, progress, korean or batch_model())
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    if glossary is not None:
        (build_dir / GLOSSARY).write_text(glossary.to_json(), encoding="utf-8")
    replace(manifest, built_at=_now()).write(build_dir)
    _publish(root, build_dir)


def _manifest(
    hashes: dict[str, str], translations: int, glossary_hash: str, glossary_source: str
) -> Manifest:
    return Manifest(
        schema_version=schema_version(),
        analysis_version=analysis_version(),
        built_at=_now(),
        hashes=hashes,
        translations=translations,
        glossary_hash=glossary_hash,
        glossary_source=glossary_source,
    )


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _glossary_hash(glossary: Glossary | None) -> str:
    return hashlib.sha256(glossary.to_json().encode()).hexdigest() if glossary else ""


def _file_hash(path: Path | None) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path is not None else ""


def _add_articles(
    writer: BuildWriter, articles: Sequence[Article], progress: Progress | None, korean: KoreanModel
) -> None:
    """Write ``articles`` batch by batch while Kiwi analyses the next batch in a thread (its
    native analysis releases the GIL), so Python's writing overlaps Kiwi's."""
    batches = [articles[first : first + BATCH] for first in range(0, len(articles), BATCH)]
    if not batches:
        return
    done = 0
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiwi") as kiwi_thread:
        ahead = _prepare(kiwi_thread, batches[0], korean)
        for number in range(len(batches)):
            docs, analysis = ahead
            if number + 1 < len(batches):
                ahead = _prepare(kiwi_thread, batches[number + 1], korean)
            with pretokenized(analysis.result()):
                for doc in docs:
                    add_korean_vocabulary(doc)
                    writer.add(doc)
            done += len(docs)
            if progress is not None:
                progress(done, len(articles))


def _prepare(
    kiwi_thread: ThreadPoolExecutor, batch: Sequence[Article], korean: KoreanModel
) -> tuple[list[IndexDocument], Future[Analysis]]:
    """The documents of ``batch`` and their Korean texts' analysis, started in the thread."""
    docs = [document_for(a) for a in batch]
    texts = [text for doc in docs for text in korean_texts(doc)]
    return docs, kiwi_thread.submit(korean.analyse, texts)


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
