"""Index lifecycle: atomic builds, undisturbed readers, incremental updates, one writer."""

from __future__ import annotations

import errno
import gc
import itertools
import json
import os
import shutil
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import kb
import kb.content as content_module
import kb.engine.whoosh as whoosh_engine
from kb.analysis import korean
from kb.builds import MANIFEST, IndexWriteFailed, RemovalRefused, live_build
from kb.engine.whoosh import (
    MERGE_AT,
    REWRITE_LIVE_DOCS,
    SMALL_SEGMENT_DOCS,
    SegmentSize,
    segments_to_merge,
)
from kb.index import GUARDED_FROM, BuildReport, writer_lock
from tests.conftest import BUNDLED_GLOSSARY, article_text, write_article


def slugs(index: kb.KnowledgeIndex, query: str, locale: str = "ko") -> list[str]:
    """The articles the query's words find (meaning's share is tested in test_semantic)."""
    return [hit.slug for hit in kb.search(index, query, locale, per_page=50, mode="lexical").hits]


@pytest.fixture
def small_content(content_dir: Path) -> Path:
    write_article(content_dir, "gabapentin", "ko", article_text("가바펜틴 효능", "뇌전증과 신경통"))
    write_article(content_dir, "gabapentin", "en", article_text("Gabapentin", "Epilepsy, pain."))
    write_article(content_dir, "aspirin", "en", article_text("Aspirin", "Pain and fever."))
    return content_dir


def test_build_reports_counts_and_is_searchable(small_content: Path, tmp_path: Path) -> None:
    report = kb.build_index(small_content, tmp_path / "index")
    assert (report.articles, report.translations) == (2, 3)
    assert "2 articles, 3 translations" in report.summary()
    assert slugs(kb.open_index(tmp_path / "index"), "신경통") == ["gabapentin"]


def test_rebuild_swaps_while_a_reader_keeps_its_build(small_content: Path, tmp_path: Path) -> None:
    kb.build_index(small_content, tmp_path / "index")
    index = kb.open_index(tmp_path / "index")
    held = index.snapshot()
    write_article(small_content, "aspirin", "en", article_text("Aspirin", "Headache relief."))
    kb.build_index(small_content, tmp_path / "index")
    assert held.build_dir.exists()
    aspirin = held.engine.find("aspirin")
    assert aspirin is not None and aspirin.translations["en"].text == "Pain and fever."
    assert slugs(index, "headache", "en") == ["aspirin"]
    assert index.snapshot().build_dir != held.build_dir


def test_invalid_content_is_refused_and_the_live_index_untouched(
    small_content: Path, tmp_path: Path
) -> None:
    kb.build_index(small_content, tmp_path / "index")
    live = live_build(tmp_path / "index")
    write_article(small_content, "broken", "en", "---\ntitle: [unclosed\n---\nbody\n")
    with pytest.raises(kb.ContentInvalid, match=r"broken/en\.md:2: bad YAML"):
        kb.build_index(small_content, tmp_path / "index")
    with pytest.raises(kb.ContentInvalid):
        kb.update_index(small_content, tmp_path / "index")
    assert live_build(tmp_path / "index") == live
    assert slugs(kb.open_index(tmp_path / "index"), "신경통") == ["gabapentin"]


def test_a_killed_build_leaves_the_live_index_and_is_cleaned_up(
    small_content: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    kb.build_index(small_content, index_dir)
    live = live_build(index_dir)
    for number in range(200):
        write_article(small_content, f"filler-{number}", "en", article_text("Filler", "text"))
    crash = (
        "import os, signal, sys, kb;"
        "kill = lambda done, total: os.kill(os.getpid(), signal.SIGKILL);"
        "kb.build_index(sys.argv[1], sys.argv[2], progress=kill)"
    )
    result = subprocess.run([sys.executable, "-c", crash, str(small_content), str(index_dir)])
    assert result.returncode == -9
    assert live_build(index_dir) == live
    assert len(list((index_dir / "builds").iterdir())) == 2  # the live one and the wreck
    assert slugs(kb.open_index(index_dir), "신경통") == ["gabapentin"]
    kb.build_index(small_content, index_dir)
    assert len(list((index_dir / "builds").iterdir())) == 2  # wreck removed, old live kept


def test_second_writer_fails_at_once_with_a_clear_message(
    small_content: Path, tmp_path: Path
) -> None:
    with (
        writer_lock(tmp_path / "index"),
        pytest.raises(kb.IndexBusy, match="another build or update is running"),
    ):
        kb.build_index(small_content, tmp_path / "index")


def test_missing_index_says_how_to_build_one(tmp_path: Path) -> None:
    with pytest.raises(kb.IndexMissing, match=r"indexer\.py build"):
        kb.open_index(tmp_path / "nothing")


def test_index_from_another_analysis_version_is_refused(
    small_content: Path, tmp_path: Path
) -> None:
    kb.build_index(small_content, tmp_path / "index")
    manifest_path = live_build(tmp_path / "index") / MANIFEST
    manifest = json.loads(manifest_path.read_text())
    manifest["analysis_version"] = "r0+kiwipiepy-0.1"
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(kb.IndexVersionMismatch, match="rebuild the index"):
        kb.open_index(tmp_path / "index")
    report = kb.update_index(small_content, tmp_path / "index")
    assert report.full  # an incompatible index is rebuilt, not patched
    assert slugs(kb.open_index(tmp_path / "index"), "신경통") == ["gabapentin"]


def test_update_reindexes_only_changed_added_and_removed(
    small_content: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    kb.build_index(small_content, index_dir)
    index = kb.open_index(index_dir)
    held = index.snapshot()
    unchanged = kb.update_index(small_content, index_dir)
    assert (unchanged.added, unchanged.changed, unchanged.removed) == (0, 0, 0)

    write_article(small_content, "gabapentin", "en", article_text("Gabapentin", "Shingles pain."))
    write_article(small_content, "warfarin", "ko", article_text("와파린", "출혈 위험"))
    for path in (small_content / "aspirin").iterdir():
        path.unlink()
    (small_content / "aspirin").rmdir()
    report = kb.update_index(small_content, index_dir)

    assert (report.added, report.changed, report.removed) == (1, 1, 1)
    assert (report.articles, report.translations) == (2, 3)
    assert slugs(index, "shingles", "en") == ["gabapentin"]
    assert slugs(index, "출혈") == ["warfarin"]
    assert slugs(index, "fever", "en") == []
    assert slugs(index, "신경통") == ["gabapentin"]  # the untouched translation is still there
    # the build a reader held before the update is a separate, unchanged folder
    assert held.build_dir != index.snapshot().build_dir
    assert held.engine.find("aspirin") is not None
    assert kb.open_index(index_dir).snapshot().engine.find("aspirin") is None


def test_update_without_an_index_builds_one(small_content: Path, tmp_path: Path) -> None:
    report = kb.update_index(small_content, tmp_path / "index")
    assert report.full and report.articles == 2


def test_update_parses_only_changed_files_and_never_loads_kiwi_for_nothing(
    small_content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index_dir = tmp_path / "index"
    kb.build_index(small_content, index_dir, glossary=BUNDLED_GLOSSARY)
    parsed: list[str] = []
    real_parse = content_module.parse_translation

    def counting_parse(slug: str, *args: Any, **kwargs: Any) -> Any:
        parsed.append(slug)
        return real_parse(slug, *args, **kwargs)

    monkeypatch.setattr(content_module, "parse_translation", counting_parse)
    unused = property(lambda _: pytest.fail("Kiwi used for an empty update"))
    monkeypatch.setattr(korean.KoreanModel, "kiwi", unused)
    live = live_build(index_dir)
    report = kb.update_index(small_content, index_dir, glossary=BUNDLED_GLOSSARY)
    assert (report.added, report.changed, report.removed, parsed) == (0, 0, 0, [])
    assert live_build(index_dir) == live  # no new build for no change

    monkeypatch.undo()
    monkeypatch.setattr(content_module, "parse_translation", counting_parse)
    write_article(small_content, "aspirin", "en", article_text("Aspirin", "Headache relief."))
    report = kb.update_index(small_content, index_dir, glossary=BUNDLED_GLOSSARY)
    assert (report.changed, parsed) == (1, ["aspirin"])
    assert slugs(kb.open_index(index_dir), "headache", "en") == ["aspirin"]


def test_update_reads_only_articles_whose_files_changed_and_misses_no_edit(
    small_content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index_dir = tmp_path / "index"
    time.sleep(1.1)  # files written less than a second ago are always read again
    kb.build_index(small_content, index_dir, embedding="none")
    read: list[str] = []
    real_read = content_module.ArticleFiles.read

    def counting_read(files: content_module.ArticleFiles) -> Any:
        read.append(files.slug)
        return real_read(files)

    monkeypatch.setattr(content_module.ArticleFiles, "read", counting_read)
    path = small_content / "aspirin" / "en.md"
    stamp = path.stat()
    time.sleep(0.05)  # past the file system's clock tick
    path.write_text(path.read_text().replace("fever", "cough"))  # same size
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # and time, as `cp -p` leaves it
    report = kb.update_index(small_content, index_dir, embedding="none")
    assert (report.changed, read) == (1, ["aspirin", "aspirin"])  # hashed, then parsed
    assert slugs(kb.open_index(index_dir), "cough", "en") == ["aspirin"]


def test_a_malformed_changed_file_is_reported_and_the_live_build_untouched(
    small_content: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    kb.build_index(small_content, index_dir)
    live = live_build(index_dir)
    files = sorted(p.name for p in live.iterdir())
    write_article(small_content, "aspirin", "en", "---\ntitle: Aspirin\nupdated: someday\n---\nx\n")
    with pytest.raises(kb.ContentInvalid, match=r"aspirin/en\.md:3: updated must be an ISO date"):
        kb.update_index(small_content, index_dir)
    assert live_build(index_dir) == live
    assert sorted(p.name for p in live.iterdir()) == files
    assert slugs(kb.open_index(index_dir), "fever", "en") == ["aspirin"]


def test_a_changed_glossary_is_picked_up_and_an_old_manifest_still_read(
    small_content: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    glossary = tmp_path / "glossary.tsv"
    glossary.write_text("ko\ten\n신경통\tneuralgia\n", encoding="utf-8")
    kb.build_index(small_content, index_dir, glossary=glossary)
    manifest_path = live_build(index_dir) / MANIFEST
    manifest = json.loads(manifest_path.read_text())
    del manifest["glossary_source"]  # as written before the field existed
    manifest_path.write_text(json.dumps(manifest))
    unchanged = kb.update_index(small_content, index_dir, glossary=glossary)
    assert unchanged.build_dir == live_build(index_dir) == manifest_path.parent

    glossary.write_text("ko\ten\n신경통\tneuralgia\n해열\tfever\n", encoding="utf-8")
    report = kb.update_index(small_content, index_dir, glossary=glossary)
    assert report.build_dir != manifest_path.parent
    assert slugs(kb.open_index(index_dir), "해열") == ["aspirin"]
    assert kb.open_index(index_dir).snapshot().glossary is not None

    kb.update_index(small_content, index_dir, glossary=None)  # expansion turned off
    assert kb.open_index(index_dir).snapshot().glossary is None


def test_updates_publish_first_then_merge_small_segments(
    small_content: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    for number in range(SMALL_SEGMENT_DOCS + 1):
        write_article(small_content, f"filler-{number}", "en", article_text("Filler", "text"))
    kb.build_index(small_content, index_dir)
    big = segment_sizes(index_dir)
    for round_ in range(1, MERGE_AT + 2):
        write_article(small_content, f"new-{round_}", "en", article_text("New", f"Added {round_}."))
        report = kb.update_index(small_content, index_dir)
        sizes = segment_sizes(index_dir)
        assert sizes[0] == big[0]  # the full build's segment is never rewritten
        assert len(sizes) <= MERGE_AT  # the big one and fewer than MERGE_AT small ones
        assert (report.compaction_seconds is not None) == (round_ == MERGE_AT), round_
        assert slugs(kb.open_index(index_dir), f"added {round_}")[0] == f"new-{round_}"
        assert ("small segments merged" in report.summary()) == (round_ == MERGE_AT)
    assert segment_sizes(index_dir) == [big[0], MERGE_AT, 1]  # ten merged, then the eleventh
    index = kb.open_index(index_dir)
    found = [slugs(index, f"added {n}") for n in range(1, MERGE_AT + 2)]
    assert [hits[0] for hits in found] == [f"new-{n}" for n in range(1, MERGE_AT + 2)]
    assert all(len(hits) == MERGE_AT + 1 for hits in found)  # every new article, once


def test_a_failed_merge_leaves_the_change_live_and_is_retried(
    small_content: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    index_dir = tmp_path / "index"
    for number in range(SMALL_SEGMENT_DOCS):  # the full build's segment is not small
        write_article(small_content, f"filler-{number}", "en", article_text("Filler", "text"))
    kb.build_index(small_content, index_dir)
    for round_ in range(1, MERGE_AT):
        write_article(small_content, f"new-{round_}", "en", article_text("New", f"Added {round_}."))
        kb.update_index(small_content, index_dir)

    def disk_full(writer: Any, segments: list[Any]) -> list[Any]:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(whoosh_engine, "merge_small_segments", disk_full)
    write_article(small_content, "last", "en", article_text("Last", "Written before the fault."))
    with whoosh_leaves_files_to_gc():
        report = kb.update_index(small_content, index_dir)
    assert report.compaction_seconds is None
    assert "small segments not merged (the change is live)" in caplog.text
    assert slugs(kb.open_index(index_dir), "written before the fault")[0] == "last"
    builds = list((index_dir / "builds").iterdir())
    assert all((build / MANIFEST).exists() for build in builds)  # the failed merge's is gone
    assert len(segment_sizes(index_dir)) == MERGE_AT + 1
    monkeypatch.undo()
    write_article(small_content, "after", "en", article_text("After", "The disk has room."))
    assert kb.update_index(small_content, index_dir).compaction_seconds is not None
    assert segment_sizes(index_dir)[1:] == [MERGE_AT, 1]  # ten merged, the eleventh waits


@pytest.mark.parametrize(
    ("sizes", "merged"),
    [
        ([5000] + [1] * (MERGE_AT - 1), []),
        ([5000] + [1] * MERGE_AT, list(range(1, MERGE_AT + 1))),
        ([5000] + [1] * (MERGE_AT + 2), list(range(1, MERGE_AT + 1))),  # ten at a time
        ([5000, *[MERGE_AT] * (MERGE_AT - 1), 1, 1], []),  # neither class is full
        ([5000, 1, 3, *[12] * MERGE_AT], list(range(3, MERGE_AT + 3))),  # the 10–99 class
        ([SMALL_SEGMENT_DOCS] * (MERGE_AT + 5), []),  # never rewritten by updates
    ],
)
def test_compaction_merges_segments_of_one_size_class(sizes: list[int], merged: list[int]) -> None:
    assert segments_to_merge([SegmentSize(docs, 0) for docs in sizes]) == merged


@pytest.mark.parametrize(
    ("sizes", "merged"),
    [
        ([(19, 1), (1, 0)], [0]),  # a small site: one deleted article is 5 % of its index
        ([(19, 2), *[(1, 0)] * MERGE_AT], list(range(MERGE_AT + 1))),  # with a full class
        ([(5000, 0), (10, 1), (1, 0)], []),  # one of 5,011: the statistics barely move
        ([(REWRITE_LIVE_DOCS + 20, 20), (20, 0)], [0]),  # its live ones are few enough to copy
        ([(5000, 1000), (1000, 0)], []),  # too big to copy after an update: the next build
    ],
)
def test_compaction_rewrites_a_segment_whose_deleted_documents_skew_the_statistics(
    sizes: list[tuple[int, int]], merged: list[int]
) -> None:
    assert segments_to_merge([SegmentSize(*size) for size in sizes]) == merged


def test_saved_edits_rank_as_a_fresh_build_of_the_same_files_does(
    small_content: Path, tmp_path: Path
) -> None:
    """A deleted document counts in BM25's statistics until its segment is rewritten, so on a
    small site a few saves of one article would score every result otherwise than a build of
    the same files; and each save of an article alone in its segment leaves that segment empty."""
    updated, fresh = tmp_path / "updated", tmp_path / "fresh"
    kb.build_index(small_content, updated)
    for save in range(3):
        text = article_text("Aspirin", f"Pain and fever, draft {save}.")
        write_article(small_content, "aspirin", "en", text)
        report = kb.update_index(small_content, updated)
        assert report.deleted_share == 0.0
        assert "deleted documents" not in report.summary()
    kb.build_index(small_content, fresh)

    def scores(index_dir: Path) -> list[tuple[str, float]]:
        hits = kb.search(kb.open_index(index_dir), "pain", "en", mode="lexical").hits
        return [(hit.slug, round(hit.score, 9)) for hit in hits]

    assert scores(updated) == scores(fresh)
    assert len(whoosh_engine.segment_sizes(live_build(updated))) == 2  # gabapentin, the last save


def test_an_update_says_when_deleted_documents_wait_for_a_full_build() -> None:
    report = BuildReport(articles=5000, translations=9000, seconds=1.2, full=False)
    assert "deleted" not in report.summary()
    stale = replace(report, deleted_share=0.12)
    assert (
        "12% of the index is deleted documents that ranking still counts until the next full build"
        in stale.summary()
    )


def segment_sizes(index_dir: Path) -> list[int]:
    """Documents (deleted ones included) in each segment of the live build, biggest first."""
    sizes = whoosh_engine.segment_sizes(live_build(index_dir))
    return sorted((size.docs for size in sizes), reverse=True)


# -- content that would empty the site -------------------------------------------------------


def remove_articles(content: Path, slugs: list[str]) -> None:
    for slug in slugs:
        shutil.rmtree(content / slug)


def test_a_build_or_update_that_would_empty_the_site_is_refused_unless_forced(
    small_content: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    kb.build_index(small_content, index_dir)
    live = live_build(index_dir)
    unmounted = tmp_path / "unmounted"
    unmounted.mkdir()
    for write in (kb.build_index, kb.update_index):
        with pytest.raises(RemovalRefused, match=r"remove 2 of the 2 articles.*--force"):
            write(unmounted, index_dir)
        assert live_build(index_dir) == live
    assert kb.update_index(unmounted, index_dir, force=True).articles == 0
    assert kb.build_index(unmounted, index_dir, force=True).articles == 0


def test_a_first_build_of_an_empty_folder_is_not_a_removal(content_dir: Path, tmp_path: Path):
    assert kb.build_index(content_dir, tmp_path / "index").articles == 0
    assert kb.update_index(content_dir, tmp_path / "index").articles == 0


def test_removing_more_than_half_of_ten_or_more_articles_is_refused(
    content_dir: Path, tmp_path: Path
) -> None:
    names = [f"drug-{n}" for n in range(GUARDED_FROM + 2)]  # 12 articles
    for name in names:
        write_article(content_dir, name, "en", article_text(name, "Body text."))
    index_dir = tmp_path / "index"
    kb.build_index(content_dir, index_dir)
    remove_articles(content_dir, names[:7])
    for write in (kb.build_index, kb.update_index):
        with pytest.raises(RemovalRefused, match="remove 7 of the 12 articles"):
            write(content_dir, index_dir)
    write_article(content_dir, names[0], "en", article_text("Back", "Body text."))
    assert kb.update_index(content_dir, index_dir).removed == 6  # half is allowed


# -- disk faults and crash leftovers ----------------------------------------------------------


def test_a_file_where_the_builds_folder_should_be_is_a_one_line_write_failure(
    small_content: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    index_dir.mkdir()
    (index_dir / "builds").write_text("not a folder")
    with pytest.raises(IndexWriteFailed, match=rf"^cannot write the index at {index_dir}: File"):
        kb.build_index(small_content, index_dir)


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EIO])
def test_a_disk_fault_mid_build_removes_the_partial_build(
    small_content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    index_dir = tmp_path / "index"
    kb.build_index(small_content, index_dir)
    live = live_build(index_dir)
    write_article(small_content, "warfarin", "ko", article_text("와파린", "출혈 위험"))
    fail_writes(monkeypatch, code)
    for write in (kb.build_index, kb.update_index):
        with whoosh_leaves_files_to_gc(), pytest.raises(IndexWriteFailed, match=os.strerror(code)):
            write(small_content, index_dir)
        assert live_build(index_dir) == live
        assert list((index_dir / "builds").iterdir()) == [live]  # no partial build left
    monkeypatch.undo()
    assert slugs(kb.open_index(index_dir), "신경통") == ["gabapentin"]


@contextmanager
def whoosh_leaves_files_to_gc() -> Iterator[None]:
    """Whoosh's writer leaves its temporary files open when a write fails (its cancel does
    not close them); they are closed when collected, which happens here, not in a later test."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            yield
        finally:
            gc.collect()


def fail_writes(monkeypatch: pytest.MonkeyPatch, code: int, after: int = 3) -> None:
    """Simulated fault (no full or failing disk can be made here as root): the engine's
    low-level file writes raise ``OSError(code)`` after ``after`` calls."""
    from whoosh.filedb.structfile import StructFile

    calls = itertools.count()
    real_write = StructFile.write

    def write(self: StructFile, data: bytes) -> Any:
        if next(calls) >= after:
            raise OSError(code, os.strerror(code))
        return real_write(self, data)

    monkeypatch.setattr(StructFile, "write", write)


def test_leftover_temporary_current_links_are_removed_by_the_next_build_or_update(
    small_content: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    kb.build_index(small_content, index_dir)
    for write in (kb.update_index, kb.build_index):  # an update that changes nothing, too
        os.symlink(os.path.relpath(live_build(index_dir), index_dir), index_dir / ".current.0bad")
        write(small_content, index_dir)
        assert not list(index_dir.glob(".current.*"))


def test_a_build_is_synced_to_disk_before_it_is_published(
    small_content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index_dir = tmp_path / "index"
    synced: set[Path] = set()
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        path = Path(os.readlink(f"/proc/self/fd/{fd}"))
        if live_build(index_dir) != path.parent and live_build(index_dir) != path:
            synced.add(path)  # synced while not (yet) published
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    for write in (kb.build_index, kb.update_index):
        write_article(small_content, "aspirin", "en", article_text("Aspirin", f"{write}"))
        build = write(small_content, index_dir).build_dir
        assert build is not None
        assert {build, *build.iterdir()} <= synced
