"""Reading builds by position: nothing copied, nothing left open once a build is swapped out."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest

import kb
from kb.builds import live_build
from kb.engine.storage import ReadStorage

OPEN_FILES = Path("/proc/self/fd")


def open_files_under(folder: Path) -> set[Path]:
    found = set()
    for fd in OPEN_FILES.iterdir():
        try:
            target = Path(os.readlink(fd))
        except OSError:
            continue
        if folder in target.parents:
            found.add(target)
    return found


@pytest.mark.skipif(not OPEN_FILES.exists(), reason="needs /proc/self/fd")
def test_a_server_searching_across_updates_keeps_only_the_live_build_open(
    bundled_copy: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    kb.build_index(bundled_copy, index_dir)
    index = kb.open_index(index_dir)
    article = bundled_copy / "gabapentin" / "en.md"
    for n in range(4):
        article.write_text(article.read_text(encoding="utf-8") + f"\nEdit {n}.\n", "utf-8")
        kb.update_index(bundled_copy, index_dir)
        assert kb.search(index, "가바펜틴", "ko").hits[0].slug == "gabapentin"
        gc.collect()
        live = live_build(index_dir)
        assert open_files_under(index_dir)  # the live build is open...
        assert all(live in path.parents for path in open_files_under(index_dir))  # ...only it


def test_positional_reads_see_the_same_index_as_whoosh_default_storage(bundled_index_dir) -> None:
    from whoosh.index import open_dir

    build = live_build(bundled_index_dir)
    ours_index, theirs_index = ReadStorage(build).open_index(), open_dir(str(build))
    with ours_index.searcher() as ours, theirs_index.searcher() as theirs:
        assert ours.doc_count() == theirs.doc_count()
        for field in ("body_ko", "body_en", "bigram_ko", "spell_ko"):
            assert list(ours.lexicon(field)) == list(theirs.lexicon(field))
        assert list(ours.all_stored_fields()) == list(theirs.all_stored_fields())


def test_buffered_positional_reads_return_the_files_bytes(tmp_path: Path) -> None:
    """Small reads come from a read-ahead buffer, large ones straight from the file; any mix
    of seeks, reads and lines reads what a plain file object reads."""
    import io
    import random

    from kb.engine.storage import Descriptor, PositionalFile

    data = bytes(random.Random(0).randrange(256) for _ in range(10_000)).replace(b"\x00", b"\n")
    path = tmp_path / "blob"
    path.write_bytes(b"header" + data)
    window = PositionalFile(Descriptor(str(path)), 6, len(data), "blob")
    plain = io.BytesIO(data)
    moves = random.Random(1)
    for _ in range(2_000):
        at = moves.randrange(len(data) + 10)
        assert window.seek(at) == plain.seek(at)
        action = moves.choice(["read", "read", "line", "big"])
        if action == "read":
            size = moves.randrange(1, 40)
            assert window.read(size) == plain.read(size)
            assert window.read(size) == plain.read(size)  # the next bytes, buffered or not
        elif action == "line":
            assert window.readline() == plain.readline()
        else:
            size = moves.randrange(1_000, 5_000)
            assert window.read(size) == plain.read(size)
        assert window.tell() == plain.tell()
    assert window.get(100, 50) == data[100:150]
    window.close()
