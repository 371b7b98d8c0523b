"""Writing the index: immutable builds swapped in atomically, incremental updates, one writer.

A crash mid-build leaves an unreferenced folder that the next build removes. A build is fsynced
and read back through the code that serves it (:mod:`kb.snapshot`) before it is published.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import hashlib
import logging
import os
import shutil
import time
import uuid
from collections.abc import Callable, Collection, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from kb.analysis import Analyser, KoreanModel, analysis_version, batch_model, pretokenized
from kb.analysis.ahead import KiwiAhead, take_started
from kb.analysis.korean import Analysis
from kb.builds import (
    BUILDS,
    CURRENT,
    GLOSSARY,
    MANIFEST,
    IndexBusy,
    IndexDamaged,
    IndexProblem,
    IndexWriteFailed,
    Manifest,
    RemovalRefused,
    live_build,
)
from kb.completiontable import entry, made_from, next_table
from kb.content import (
    Article,
    ContentError,
    ContentInvalid,
    find_articles,
    load_articles,
    load_content,
)
from kb.embedding import DEFAULT_ENCODER, NO_ENCODER, Encoder, encoder, may_not_fork
from kb.engine.whoosh import DELETED_SHARE, BuildWriter, compaction_due, deleted_share
from kb.filehashes import FILE_HASHES, ContentHashes
from kb.glossary import Glossary, load_glossary
from kb.schema import (
    IndexDocument,
    add_korean_vocabulary,
    document_for,
    korean_texts,
    schema_version,
    twin_analysis,
)
from kb.snapshot import IndexSnapshot
from kb.vectors import EmbeddingReport, VectorsAhead, VectorTable, next_vectors

KEEP_BUILDS = 2  # the live build and the one before it, for readers still holding it
BATCH = 64  # articles analysed together by Kiwi's worker threads
WHOOSH_LOCK = "MAIN_WRITELOCK"  # left empty in a build by Whoosh's writer; not part of the build
# A build or update that would remove every article, or more than this share of a live index of
# at least GUARDED_FROM articles, is refused unless forced (an empty or unmounted content folder).
MAX_REMOVED_SHARE = 0.5
GUARDED_FROM = 10

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
_T = TypeVar("_T")


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
    embedding: EmbeddingReport | None = None
    # An update's change is live after ``seconds``; merging small segments, when due, follows.
    compaction_seconds: float | None = None
    # Deleted documents still counted in ranking statistics after an update (segments too big
    # to rewrite keep them until the next full build).
    deleted_share: float = 0.0

    def summary(self) -> str:
        what = "built" if self.full else "updated"
        detail = (
            ""
            if self.full
            else (f" ({self.added} added, {self.changed} changed, {self.removed} removed)")
        )
        vectors = self.embedding
        embedded = (
            f"; {vectors.passages} passage vectors ({vectors.embedded} embedded, "
            f"{vectors.passages - vectors.embedded} reused) in {vectors.seconds:.2f} s"
            if vectors
            else ""
        )
        compacted = (
            f"; small segments merged in {self.compaction_seconds:.2f} s"
            if self.compaction_seconds is not None
            else ""
        )
        stale = (
            f"; {self.deleted_share:.0%} of the index is deleted documents that ranking still "
            "counts until the next full build"
            if self.deleted_share >= DELETED_SHARE
            else ""
        )
        return (
            f"{what} index: {self.articles} articles, {self.translations} translations"
            f"{detail} in {self.seconds:.2f} s{embedded}{compacted}{stale}"
        )


# -- writing ---------------------------------------------------------------------------------


@contextmanager
def writer_lock(root: Path) -> Iterator[None]:
    """Exclusive, non-blocking: a second build fails at once; the kernel frees it if we die."""
    with disk_faults(root):
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
        with disk_faults(root):
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode(), 0)
            _tidy(root)
        yield
    finally:
        os.close(fd)


@contextmanager
def disk_faults(root: Path) -> Iterator[None]:
    """An OSError while writing the index (read-only, full disk, I/O error) becomes one
    :class:`IndexWriteFailed` line naming the index and the cause."""
    try:
        yield
    except OSError as exc:
        raise IndexWriteFailed.at(root, exc) from exc


def build_index(
    content: Path | Sequence[Path],
    root: Path | str,
    *,
    glossary: Path | None = None,
    progress: Progress | None = None,
    korean: KoreanModel | None = None,
    force: bool = False,
    embedding: str = DEFAULT_ENCODER,
) -> BuildReport:
    """Validate ``content`` (and ``glossary``), index it into a new build and swap it in; the
    old build stays intact. ``korean``: the model that analyses batches (the process's
    threaded one by default). ``force``: publish even a build that removes most articles.
    ``embedding``: the encoder of the passage vectors (``"none"``: lexical search only); the
    live build's vectors of unchanged passages are reused."""
    root = Path(root)
    started = time.perf_counter()
    model = _encoder(embedding, root)
    with writer_lock(root):
        known = ContentHashes(root / FILE_HASHES)
        articles = load_content(content, loaded=known.learn)
        source = _file_hash(glossary)
        terms = load_glossary(glossary) if glossary is not None else None
        manifest = _manifest(
            {a.slug: a.content_hash for a in articles},
            sum(len(a.translations) for a in articles),
            _glossary_hash(terms),
            source,
            model.version if model else "",
        )
        live = _live_manifest(root)
        removed = len(set(live.hashes) - set(manifest.hashes)) if live else 0
        _check_removals(root, live, removed, force)
        previous = _previous_vectors(live_build(root)) if model else None
        completions = _completer(None, articles, manifest.hashes)
        # Embedded in processes of their own while the articles are analysed and written.
        vectors = VectorsAhead(previous, articles, manifest.hashes, model) if model else None
        try:
            build_dir, embedding_report = _write_build(
                root, BuildWriter.create, articles, [], manifest, terms, progress, korean,
                vectors.write if vectors else None, completions,
            )  # fmt: skip
        finally:
            if vectors is not None:
                vectors.cancel()  # nothing left running if the build failed
        known.save()
    return BuildReport(
        articles=len(articles),
        translations=manifest.translations,
        seconds=time.perf_counter() - started,
        added=len(articles),
        build_dir=build_dir,
        embedding=embedding_report,
    )


def update_index(
    content: Path | Sequence[Path],
    root: Path | str,
    *,
    glossary: Path | None = None,
    progress: Progress | None = None,
    korean: KoreanModel | None = None,
    force: bool = False,
    embedding: str = DEFAULT_ENCODER,
) -> BuildReport:
    """Re-index only articles whose files changed, appeared or vanished (by content hash).

    Only changed files are parsed and validated (unchanged ones were when they were indexed).
    A process without Kiwi loaded has it load in a child meanwhile (kb.analysis.ahead), stopped
    unused if nothing changed; if something has, the encoder loads and embeds the changed
    passages while the child is still loading. The live build is hard-linked into a new build
    (Whoosh never rewrites a segment file), the changes are written there, and it is swapped in
    like a full build. Falls back to a full build when there is no usable index
    (or its vectors were made by another encoder than ``embedding``).
    """
    root = Path(root)
    started = time.perf_counter()
    ahead = _kiwi_ahead(korean)  # loads while the update finds what changed
    try:
        model = _encoder(embedding, root)
        wanted = model.version if model else ""
        with writer_lock(root):
            live = _compatible_snapshot(root, wanted)
            if live is not None:
                try:  # the live build opened once: its manifest, then its vectors to reuse
                    current, old = live.build_dir, live.manifest
                    known = ContentHashes(root / FILE_HASHES)
                    plan = _plan_update(content, old, glossary, known)
                    _check_removals(root, old, len(plan.removed), force)
                    known.save()  # true of the files whatever becomes of the update; saved now,
                    # while Kiwi's child still loads
                    build_dir, manifest, embedding_report = current, old, None
                    if plan.changes_anything(old):
                        manifest = replace(plan.manifest, embedding_version=wanted)
                        vectors = (  # embedded now, while Kiwi's child is still loading
                            next_vectors(live.vectors, plan.changed, manifest.hashes, model).write
                            if model
                            else None
                        )
                        completions = _completer(live, plan.changed, manifest.hashes)
                        build_dir, embedding_report = _write_build(
                            root, _linked_writer(current, keep_glossary=plan.keeps_glossary(old)),
                            plan.changed, [*plan.removed, *(a.slug for a in plan.changed)],
                            manifest, plan.glossary, progress, korean or ahead, vectors,
                            completions,
                        )  # fmt: skip
                    live_after = time.perf_counter() - started
                    build_dir, compaction = _compact(root, build_dir, manifest)
                finally:
                    live.close()
    finally:
        if ahead is not None:
            ahead.close()
    if live is None:
        return build_index(
            content, root, glossary=glossary, progress=progress, korean=korean, force=force,
            embedding=embedding,
        )  # fmt: skip
    added = sum(1 for a in plan.changed if a.slug not in old.hashes)
    return BuildReport(
        articles=len(manifest.hashes),
        translations=manifest.translations,
        seconds=live_after,
        added=added,
        changed=len(plan.changed) - added,
        removed=len(plan.removed),
        full=False,
        build_dir=build_dir,
        embedding=embedding_report,
        compaction_seconds=compaction,
        deleted_share=deleted_share(build_dir),
    )


def _kiwi_ahead(korean: KoreanModel | None) -> KiwiAhead | None:
    """Kiwi loading in a child from now on, for an update in a process that has none loaded
    (a command's; ``watch`` keeps its own) and may fork (a pool's worker may not)."""
    if korean is not None or batch_model().loaded or may_not_fork():
        return None
    return take_started() or KiwiAhead()


def _check_removals(root: Path, live: Manifest | None, removed: int, force: bool) -> None:
    """Refuse a change that removes every live article, or more than MAX_REMOVED_SHARE of a
    live index of GUARDED_FROM or more: an empty or unmounted content folder, not an edit."""
    had = len(live.hashes) if live else 0
    if force or not removed:
        return
    if removed == had or (had >= GUARDED_FROM and removed > had * MAX_REMOVED_SHARE):
        raise RemovalRefused(
            f"this would remove {removed} of the {had} articles of the index at {root}; "
            "is the content folder empty or not mounted? The live index was not changed; "
            "to remove them anyway, build or update with --force (force=True)"
        )


def _live_manifest(root: Path) -> Manifest | None:
    """What the live build holds, if its manifest can be read."""
    current = live_build(root)
    if current is None:
        return None
    try:
        return Manifest.read(current)
    except IndexProblem:
        return None


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
    content: Path | Sequence[Path], old: Manifest, glossary: Path | None, known: ContentHashes
) -> UpdatePlan:
    """Hash every article's raw files (``known``: those whose files' stamps changed), parse
    only those whose hash differs from ``old``'s; raises :class:`ContentInvalid` for layout
    problems anywhere or a bad changed file."""
    errors: list[ContentError] = []
    found = list(find_articles(content, errors))
    hashes = {files.slug: known.hash_of(files) for files in found}
    changed = load_articles((f for f in found if old.hashes.get(f.slug) != hashes[f.slug]), errors)
    if errors:
        raise ContentInvalid(errors)
    hashes.update((a.slug, a.content_hash) for a in changed)  # as parsed, should a file move on
    terms, glossary_hash, source = _updated_glossary(old, glossary)
    manifest = _manifest(hashes, sum(len(f.names) for f in found), glossary_hash, source)
    return UpdatePlan(changed, sorted(set(old.hashes) - set(hashes)), manifest, terms)


def _updated_glossary(old: Manifest, path: Path | None) -> tuple[Glossary | None, str, str]:
    """(analysed glossary or None to keep the live one, its hash, its source hash); the file is
    analysed (loading Kiwi) only when its bytes differ from what the live build recorded."""
    source = _file_hash(path)
    if path is None or (old.glossary_source and source == old.glossary_source):
        return None, old.glossary_hash if path is not None else "", source
    terms = load_glossary(path)
    return terms, _glossary_hash(terms), source


def _compatible_snapshot(root: Path, embedding_version: str) -> IndexSnapshot | None:
    """The live build, opened, if this code can open it and so update it in place; else None
    (a full build is due: none yet, another version or encoder, or damaged)."""
    current = live_build(root)
    if current is None:
        return None
    try:
        snapshot = IndexSnapshot(current)
    except IndexProblem:
        return None
    if snapshot.manifest.embedding_version != embedding_version or not _flags_asides(snapshot):
        snapshot.close()
        return None
    return snapshot


def _flags_asides(snapshot: IndexSnapshot) -> bool:
    """Whether the build's vectors say which passages are asides: one made before did not,
    and a full build (which reuses every vector) flags them all."""
    return snapshot.vectors is None or snapshot.vectors.rows.asides_known


def _encoder(name: str, root: Path) -> Encoder | None:
    """The encoder a build embeds with; an unknown name fails before anything is written.
    If it loads, it leaves its mapped weights in ``root`` for servers that may not write there."""
    if name == NO_ENCODER:
        return None
    found = encoder(name)
    if problem := found.missing():
        raise ValueError(problem)
    found.map_weights(root)
    return found


def _completer(
    live: IndexSnapshot | None, add: Sequence[Article], hashes: Collection[str]
) -> Callable[[Path], None]:
    """What writes a new build's completion table: the ``live`` build's rows of articles still
    in ``hashes`` and not in ``add``, then ``add``'s (a live build from before tables were
    stored gets one made from its stored articles first)."""

    def write(build_dir: Path) -> None:
        previous = None
        if live is not None:
            previous = live.completions
            if previous is None:
                previous = made_from(a for _, a in live.engine.articles())
        table = next_table(previous, [entry(a) for a in add], hashes)
        if live is None or table is not live.completions:  # else the linked file is this table
            table.write(build_dir)

    return write


def _previous_vectors(previous: Path | None) -> VectorTable | None:
    """The vectors of an earlier build, to reuse; none if it has none or they can't be read."""
    if previous is None:
        return None
    try:
        return VectorTable.read(previous)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("not reusing the vectors of %s: %s", previous, exc)
        return None


def _compact(root: Path, live: Path, manifest: Manifest) -> tuple[Path, float | None]:
    """Merge the live build's small segments into a new build and publish it, when enough have
    piled up (each update adds one); readers see the same articles before and after. Returns
    the live build and the seconds spent (None: nothing was due, or it failed and is logged:
    the update's change is live already, and the next update tries again)."""
    started, merged = time.perf_counter(), False
    try:
        while compaction_due(live):  # a merge of the smallest class may fill the next one
            writer = _linked_writer(live, keep_glossary=True, compact=True)
            live, _ = _write_build(root, writer, [], [], manifest, None, None, None)
            merged = True
    except IndexProblem as problem:
        log.warning("small segments not merged (the change is live): %s", problem)
        return live, None
    return live, time.perf_counter() - started if merged else None


def _linked_writer(
    current: Path, *, keep_glossary: bool, compact: bool = False
) -> Callable[[Path], BuildWriter]:
    """Opens a writer on a new build made of hard links to the live build's files (which
    merges small segments as it commits if ``compact``)."""

    def open_writer(build_dir: Path) -> BuildWriter:
        _link_build(current, build_dir, keep_glossary=keep_glossary)
        return BuildWriter.update(build_dir, compact=compact)

    return open_writer


def _link_build(current: Path, build_dir: Path, *, keep_glossary: bool) -> None:
    """Hard-link the live build's Whoosh files (and its glossary, if kept) into ``build_dir``."""
    skip = {MANIFEST, WHOOSH_LOCK} | (set() if keep_glossary else {GLOSSARY})
    for item in current.iterdir():
        if item.is_file() and item.name not in skip:
            os.link(item, build_dir / item.name)


def _write_build(
    root: Path,
    open_writer: Callable[[Path], BuildWriter],
    add: Sequence[Article],
    delete: Sequence[str],
    manifest: Manifest,
    glossary: Glossary | None,
    progress: Progress | None,
    korean: Analyser | None,
    vectors: Callable[[Path], EmbeddingReport] | None = None,
    completions: Callable[[Path], None] | None = None,
) -> tuple[Path, EmbeddingReport | None]:
    """Write a new build (deletions, additions, then passage vectors and the completion table;
    without a writer for them, a linked build keeps the live build's), record what it holds,
    sync it, read it back and swap it in; a build that fails on the way is removed at once (a
    partial build would hold its disk space), and a disk fault is reported as IndexWriteFailed."""
    with disk_faults(root):
        build_dir = _new_build_dir(root)
        with _removed_on_failure(build_dir):
            _fill(open_writer(build_dir), add, delete, progress, korean or batch_model())
            embedded = vectors(build_dir) if vectors is not None else None
            if completions is not None:
                completions(build_dir)
            if glossary is not None:
                (build_dir / GLOSSARY).write_text(glossary.to_json(), encoding="utf-8")
            replace(manifest, built_at=_now(), files=_file_sizes(build_dir)).write(build_dir)
            _sync(build_dir)
            _verify(build_dir, [a.slug for a in add])
            _swap(root, build_dir)
        _sync_folder(root)
    _drop_old_builds(root, build_dir)
    return build_dir, embedded


@contextmanager
def _removed_on_failure(build_dir: Path) -> Iterator[None]:
    """Remove ``build_dir`` if the block fails (before it was published)."""
    try:
        yield
    except BaseException:
        shutil.rmtree(build_dir, ignore_errors=True)
        raise


def _fill(
    writer: BuildWriter,
    add: Sequence[Article],
    delete: Sequence[str],
    progress: Progress | None,
    korean: Analyser,
) -> None:
    """Apply deletions and additions and commit; on failure the writer lets go of its files."""
    try:
        for slug in delete:
            writer.delete(slug)
        _add_articles(writer, add, progress, korean)
        writer.commit()
    except BaseException:
        with suppress(Exception):  # a failed commit may leave the writer half-closed
            writer.cancel()
        raise


def _verify(build_dir: Path, written: Collection[str]) -> None:
    """Open the new build as a server would and read back what was written; raise if it fails."""
    try:
        snapshot = IndexSnapshot(build_dir)
        try:
            snapshot.verify(written)
        finally:
            snapshot.close()
    except IndexDamaged as problem:
        raise IndexDamaged(
            f"the new build failed its check and was removed; the live index was not changed "
            f"({problem})"
        ) from problem


def _file_sizes(build_dir: Path) -> dict[str, int]:
    """Name → size of the build's files, for the manifest."""
    skip = {MANIFEST, WHOOSH_LOCK}
    return {
        item.name: item.stat().st_size
        for item in build_dir.iterdir()
        if item.is_file() and item.name not in skip
    }


def _sync(build_dir: Path) -> None:
    """Flush the build's files and folder to disk before ``current`` points at them, so a power
    cut after the swap cannot leave a published build with unwritten files."""
    for item in build_dir.iterdir():
        if item.is_file():
            _fsync(item, os.O_RDONLY)
    _sync_folder(build_dir)
    _sync_folder(build_dir.parent)


def _sync_folder(folder: Path) -> None:
    _fsync(folder, os.O_RDONLY | os.O_DIRECTORY)


def _fsync(path: Path, flags: int) -> None:
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _manifest(
    hashes: dict[str, str],
    translations: int,
    glossary_hash: str,
    glossary_source: str,
    embedding_version: str = "",
) -> Manifest:
    return Manifest(
        schema_version=schema_version(),
        analysis_version=analysis_version(),
        built_at=_now(),
        hashes=hashes,
        translations=translations,
        glossary_hash=glossary_hash,
        glossary_source=glossary_source,
        embedding_version=embedding_version,
    )


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _glossary_hash(glossary: Glossary | None) -> str:
    return hashlib.sha256(glossary.to_json().encode()).hexdigest() if glossary else ""


def _file_hash(path: Path | None) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path is not None else ""


def _add_articles(
    writer: BuildWriter, articles: Sequence[Article], progress: Progress | None, korean: Analyser
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
            tokens = analysis.result()
            with pretokenized(tokens | twin_analysis(docs, tokens)):
                for doc in docs:
                    add_korean_vocabulary(doc)
                    writer.add(doc)
            done += len(docs)
            if progress is not None:
                progress(done, len(articles))


def _prepare(
    kiwi_thread: ThreadPoolExecutor, batch: Sequence[Article], korean: Analyser
) -> tuple[list[IndexDocument], Future[Analysis]]:
    """The documents of ``batch`` and their Korean texts' analysis, started in the thread."""
    docs = [document_for(a) for a in batch]
    texts = [text for doc in docs for text in korean_texts(doc)]
    return docs, kiwi_thread.submit(korean.analyse, texts)


def _tidy(root: Path) -> None:
    """Remove what crashed writers left: builds without a manifest (never published) and
    temporary ``current`` links (a crash between making one and renaming it)."""
    for link in root.glob(f".{CURRENT}.*"):
        if link.is_symlink():
            link.unlink()
    builds = root / BUILDS
    live = live_build(root)
    for old in builds.iterdir() if builds.is_dir() else ():
        if old != live and not (old / MANIFEST).exists():
            shutil.rmtree(old, ignore_errors=True)


def _new_build_dir(root: Path) -> Path:
    """A fresh, empty build folder."""
    builds = root / BUILDS
    builds.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    path = builds / f"{stamp}-{uuid.uuid4().hex[:8]}"
    path.mkdir()
    return path


def _swap(root: Path, build_dir: Path) -> None:
    """Point ``current`` at ``build_dir`` in one rename (a crash leaves at most the temporary
    link, which the next writer removes)."""
    tmp = root / f".{CURRENT}.{uuid.uuid4().hex[:8]}"
    os.symlink(os.path.relpath(build_dir, root), tmp)
    try:
        os.replace(tmp, root / CURRENT)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise


def _drop_old_builds(root: Path, build_dir: Path) -> None:
    """Keep the live build and the one before it (readers may still hold it)."""
    complete = sorted(
        (p for p in (root / BUILDS).iterdir() if (p / MANIFEST).exists()),
        key=lambda p: p.name,
    )
    for old in complete[:-KEEP_BUILDS]:
        if old != build_dir:
            shutil.rmtree(old, ignore_errors=True)
