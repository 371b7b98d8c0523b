"""A damaged build never takes the site down: it is refused before it is published, a running
server keeps the build it has, and a server starting without a usable build answers 503."""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import kb
from kb.builds import MANIFEST, IndexDamaged, live_build
from kb.engine import frequencies
from kb.engine.whoosh import BuildWriter
from tests.conftest import article_text, write_article

Damage = Callable[[Path], None]


def segment_files(build: Path) -> list[Path]:
    return sorted(build.glob("*.seg"))


def delete_segments(build: Path) -> None:
    for segment in segment_files(build):
        segment.unlink()


def truncate_segments(build: Path) -> None:
    for segment in segment_files(build):
        os.truncate(segment, segment.stat().st_size // 2)


def frequency_files(build: Path) -> list[Path]:
    found = sorted(build.glob(f"*{frequencies.SUFFIX}"))
    assert found, "every build has its segments' frequency files"
    return found


def truncate_frequency_files(build: Path) -> None:
    for path in frequency_files(build):
        os.truncate(path, path.stat().st_size // 2)


def garble_frequency_files(build: Path) -> None:
    """The same size (so the manifest's sizes still match), a header that is not one."""
    for path in frequency_files(build):
        with open(path, "r+b") as file:
            file.write(b"\xff" * 64)


def garble_manifest(build: Path) -> None:
    (build / MANIFEST).write_text('{"schema_version": "', encoding="utf-8")


def truncate_manifest(build: Path) -> None:
    manifest = build / MANIFEST
    manifest.write_bytes(manifest.read_bytes()[:40])


def delete_manifest(build: Path) -> None:
    (build / MANIFEST).unlink()


def retype_manifest(build: Path) -> None:
    edit_manifest(build, hashes=["gabapentin"])


def rewrite_schema_version(build: Path) -> None:
    edit_manifest(build, schema_version="0-another")


def delete_build(build: Path) -> None:
    """``current`` left dangling: it points at a folder that is gone."""
    shutil.rmtree(build)


def edit_manifest(build: Path, **values: object) -> None:
    manifest = build / MANIFEST
    data = json.loads(manifest.read_text(encoding="utf-8"))
    manifest.write_text(json.dumps({**data, **values}), encoding="utf-8")


DAMAGES: dict[str, Damage] = {
    "missing segment": delete_segments,
    "truncated segment": truncate_segments,
    "truncated frequency file": truncate_frequency_files,
    "garbled frequency file": garble_frequency_files,
    "garbled manifest": garble_manifest,
    "truncated manifest": truncate_manifest,
    "missing manifest": delete_manifest,
    "manifest of the wrong shape": retype_manifest,
    "other schema version": rewrite_schema_version,
    "dangling current": delete_build,
}
damages = pytest.mark.parametrize("damage", DAMAGES.values(), ids=DAMAGES.keys())


@pytest.fixture
def content(content_dir: Path) -> Path:
    write_article(content_dir, "gabapentin", "ko", article_text("가바펜틴 효능", "뇌전증과 신경통"))
    write_article(content_dir, "gabapentin", "en", article_text("Gabapentin", "Epilepsy, pain."))
    write_article(content_dir, "aspirin", "en", article_text("Aspirin", "Pain and fever."))
    return content_dir


@pytest.fixture
def index_dir(content: Path, tmp_path: Path) -> Path:
    """A good index of ``content``."""
    kb.build_index(content, tmp_path / "index")
    return tmp_path / "index"


def publish_by_hand(index_dir: Path, damage: Damage) -> Path:
    """Copy the live build, damage the copy and point ``current`` at it, as a botched deploy
    or a disk error might."""
    copy = index_dir / "builds" / "by-hand"
    shutil.copytree(live_build(index_dir), copy)
    damage(copy)
    link = index_dir / "link-by-hand"
    os.symlink(os.path.relpath(copy, index_dir), link)
    os.replace(link, index_dir / "current")
    return copy


def damage_live(index_dir: Path, damage: Damage) -> None:
    build = live_build(index_dir)
    assert build is not None
    damage(build)


def errors_logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


def slugs(index: kb.KnowledgeIndex, query: str, locale: str = "ko") -> list[str]:
    return [hit.slug for hit in kb.search(index, query, locale, mode="lexical").hits]


# -- kb ----------------------------------------------------------------------------------------


@damages
def test_opening_a_damaged_index_is_an_index_problem_saying_rebuild(
    index_dir: Path, damage: Damage
) -> None:
    damage_live(index_dir, damage)
    with pytest.raises(kb.IndexProblem, match=r"rebuild the index with `python indexer\.py build`"):
        kb.open_index(index_dir)


@damages
def test_an_open_index_keeps_its_build_when_a_damaged_one_is_published(
    index_dir: Path, content: Path, damage: Damage, caplog: pytest.LogCaptureFixture
) -> None:
    index = kb.open_index(index_dir)
    good = index.snapshot().build_dir
    bad = publish_by_hand(index_dir, damage)
    with caplog.at_level(logging.ERROR):
        for _ in range(3):
            assert index.snapshot().build_dir == good
            assert slugs(index, "신경통") == ["gabapentin"]
    logged = errors_logged(caplog)
    assert len(logged) == 1  # once per bad build, not per search
    assert str(good) in logged[0] and str(bad) in logged[0]
    write_article(content, "aspirin", "en", article_text("Aspirin", "Headache relief."))
    report = kb.build_index(content, index_dir)
    assert index.snapshot().build_dir == report.build_dir  # the next good build is picked up
    assert slugs(index, "headache", "en") == ["aspirin"]


@damages
def test_build_and_update_replace_a_damaged_live_build(
    index_dir: Path, content: Path, damage: Damage
) -> None:
    damage_live(index_dir, damage)
    write_article(content, "warfarin", "ko", article_text("와파린", "출혈 위험"))
    report = kb.update_index(content, index_dir)
    assert report.full  # a damaged build is rebuilt, never patched
    assert slugs(kb.open_index(index_dir), "출혈") == ["warfarin"]


def test_a_build_that_fails_its_check_is_removed_and_the_live_one_kept(
    index_dir: Path, content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = live_build(index_dir)
    commit = BuildWriter.commit

    def commit_then_lose_half(writer: BuildWriter) -> None:  # as a lost write would
        commit(writer)
        new = next(p for p in (index_dir / "builds").iterdir() if p != live)
        for segment in segment_files(new):
            if segment.stat().st_nlink == 1:  # written now, not linked to the live build
                os.truncate(segment, segment.stat().st_size // 2)

    monkeypatch.setattr(BuildWriter, "commit", commit_then_lose_half)
    write_article(content, "warfarin", "ko", article_text("와파린", "출혈 위험"))
    for write in (kb.build_index, kb.update_index):
        with pytest.raises(IndexDamaged, match="failed its check and was removed"):
            write(content, index_dir)
        assert live_build(index_dir) == live
        assert list((index_dir / "builds").iterdir()) == [live]
    assert slugs(kb.open_index(index_dir), "신경통") == ["gabapentin"]


# -- the app -----------------------------------------------------------------------------------

NOT_READY = "검색 색인이 아직 만들어지지 않았습니다"


@damages
def test_an_app_started_on_a_damaged_index_answers_503_until_a_good_build_appears(
    make_app, index_dir: Path, content: Path, damage: Damage, caplog: pytest.LogCaptureFixture
) -> None:
    damage_live(index_dir, damage)
    with caplog.at_level(logging.ERROR):
        client = make_app(KB_INDEX_DIR=str(index_dir)).test_client()  # starts anyway
        for url in ("/ko/", "/ko/search?q=신경통", "/api/search?q=x&lang=en"):
            response = client.get(url)
            assert response.status_code == 503, url
            assert response.headers["Retry-After"] == "60"
        assert NOT_READY in client.get("/ko/").get_data(as_text=True)
    logged = errors_logged(caplog)
    assert len(logged) == 1 and "rebuild the index" in logged[0]
    kb.build_index(content, index_dir)
    response = client.get("/ko/")
    assert response.status_code == 200 and "가바펜틴 효능" in response.get_data(as_text=True)


@damages
def test_a_running_app_keeps_serving_when_a_damaged_build_is_published(
    make_app, index_dir: Path, damage: Damage, caplog: pytest.LogCaptureFixture
) -> None:
    client = make_app(KB_INDEX_DIR=str(index_dir)).test_client()
    before = client.get("/ko/").get_data(as_text=True)
    publish_by_hand(index_dir, damage)
    with caplog.at_level(logging.ERROR):
        for url in ("/ko/", "/ko/search?q=신경통", "/ko/articles/gabapentin"):
            assert client.get(url).status_code == 200, url
        assert client.get("/ko/").get_data(as_text=True) == before
    assert len(errors_logged(caplog)) == 1
