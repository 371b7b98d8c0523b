"""Index lifecycle: atomic builds, undisturbed readers, incremental updates, one writer."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import kb
from kb.index import MANIFEST, live_build, writer_lock
from tests.conftest import article_text, write_article


def slugs(index: kb.KnowledgeIndex, query: str, locale: str = "ko") -> list[str]:
    return [hit.slug for hit in kb.search(index, query, locale, per_page=50).hits]


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
    assert held.searcher.document(slug="aspirin")["doc"]["en"]["text"] == "Pain and fever."
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
    assert held.searcher.document(slug="aspirin") is not None
    assert kb.open_index(index_dir).snapshot().searcher.document(slug="aspirin") is None


def test_update_without_an_index_builds_one(small_content: Path, tmp_path: Path) -> None:
    report = kb.update_index(small_content, tmp_path / "index")
    assert report.full and report.articles == 2
