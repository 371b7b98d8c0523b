"""Content hashes remembered by file stamp: unchanged files are not read again, and no edit is
missed (same size, same modification time, or made within one tick of the clock)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from kb.content import ArticleFiles, find_articles
from kb.filehashes import SETTLE_NS, ContentHashes
from tests.conftest import article_text, write_article


def found(root: Path) -> list[ArticleFiles]:
    errors: list[object] = []
    files = list(find_articles(root, errors))  # type: ignore[arg-type]
    assert errors == []
    return files


def settled(path: Path) -> ContentHashes:
    """A reader whose run starts later than now: the files written so far have settled."""
    hashes = ContentHashes(path)
    hashes.started_ns = time.time_ns() + 2 * SETTLE_NS
    return hashes


def remember(content: Path, record: Path) -> dict[str, str]:
    hashes = settled(record)
    digests = {files.slug: hashes.hash_of(files) for files in found(content)}
    hashes.save()
    return digests


def test_unchanged_articles_are_not_read_again(content_dir: Path, tmp_path: Path) -> None:
    for slug in ("aspirin", "warfarin", "zolpidem"):
        write_article(content_dir, slug, "en", article_text(slug.title(), "Body."))
    record = tmp_path / "index" / "content-hashes.json"
    first = remember(content_dir, record)

    hashes = settled(record)
    again = {files.slug: hashes.hash_of(files) for files in found(content_dir)}
    assert again == first
    assert hashes.read == 0
    assert again == {files.slug: files.content_hash() for files in found(content_dir)}


def test_an_edit_keeping_size_and_modification_time_is_still_seen(
    content_dir: Path, tmp_path: Path
) -> None:
    path = write_article(content_dir, "aspirin", "en", article_text("Aspirin", "Pain."))
    record = tmp_path / "content-hashes.json"
    before = remember(content_dir, record)
    stamp = path.stat()
    time.sleep(0.05)  # past the file system's clock tick
    path.write_text(path.read_text().replace("Pain.", "Gain."))
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # as `cp -p` or tar would
    assert path.stat().st_size == stamp.st_size and path.stat().st_mtime_ns == stamp.st_mtime_ns

    hashes = settled(record)
    [files] = found(content_dir)
    assert hashes.hash_of(files) != before["aspirin"]
    assert hashes.hash_of(files) == files.content_hash()


def test_a_file_changed_just_now_is_not_remembered(content_dir: Path, tmp_path: Path) -> None:
    write_article(content_dir, "aspirin", "en", article_text("Aspirin", "Pain."))
    record = tmp_path / "content-hashes.json"
    hashes = ContentHashes(record)  # this run starts now: the file is not yet settled
    [files] = found(content_dir)
    hashes.hash_of(files)
    hashes.save()

    again = ContentHashes(record)
    again.hash_of(files)
    assert again.read == 1  # a second edit in the same clock tick could not hide


def test_a_damaged_record_is_ignored(content_dir: Path, tmp_path: Path) -> None:
    write_article(content_dir, "aspirin", "en", article_text("Aspirin", "Pain."))
    record = tmp_path / "content-hashes.json"
    for text in ("{", '{"version": 1, "rows": {"aspirin": [[[1, 2]], 3]}}', "[]"):
        record.write_text(text)
        hashes = settled(record)
        [files] = found(content_dir)
        assert hashes.hash_of(files) == files.content_hash()
