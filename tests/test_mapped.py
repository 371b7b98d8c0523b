"""Arrays served from files by memory map (kb.mapped), and the encoder's vocabulary table
served that way from the index folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from kb.mapped import holds, mapped_copy


@pytest.fixture
def table() -> np.ndarray:
    return np.random.default_rng(7).integers(0, 256, size=(3000, 512), dtype=np.uint8)


def test_a_mapped_copy_has_the_arrays_values_from_the_file(table: np.ndarray, tmp_path: Path):
    path = tmp_path / "table.npy"
    mapped = mapped_copy(table, path)
    assert mapped is not None and np.array_equal(mapped, table)
    assert holds(path, table) and not mapped.flags.writeable
    assert not np.shares_memory(mapped, table)
    assert [p.name for p in tmp_path.iterdir()] == ["table.npy"]  # no scratch file left


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[: len(raw) // 2],  # truncated
        lambda raw: raw[:-100] + bytes(100),  # last bytes zeroed
        lambda raw: raw + b"\0",  # one byte too many
        lambda raw: b"not an array at all",
    ],
)
def test_a_file_holding_anything_else_is_written_again(table, tmp_path: Path, damage) -> None:
    path = tmp_path / "table.npy"
    mapped_copy(table, path)
    path.write_bytes(damage(path.read_bytes()))
    assert not holds(path, table)
    mapped = mapped_copy(table, path)
    assert mapped is not None and np.array_equal(mapped, table) and holds(path, table)


def test_a_file_of_another_shape_is_not_believed(table: np.ndarray, tmp_path: Path) -> None:
    path = tmp_path / "table.npy"
    np.save(path, table[:-1])
    assert not holds(path, table)
    assert np.array_equal(mapped_copy(table, path), table)


def test_no_copy_where_the_folder_cannot_be_written(table: np.ndarray, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    assert mapped_copy(table, tmp_path / "file" / "table.npy") is None


def test_a_killed_writers_scratch_file_is_removed_by_the_next_write(table, tmp_path: Path):
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)  # fmt: skip
    abandoned = tmp_path / f".table.npy.{ended.stdout.strip()}.tmp"
    writing = tmp_path / f".table.npy.{os.getppid()}.tmp"  # a live process's write
    for scratch in (abandoned, writing):
        scratch.write_bytes(bytes(1000))
    assert mapped_copy(table, tmp_path / "table.npy") is not None
    assert sorted(p.name for p in tmp_path.iterdir()) == [writing.name, "table.npy"]


# Fresh processes: the encoder is loaded once per process, and its table mapped once.
BUILD = """
import sys
import kb
kb.build_index(sys.argv[1], sys.argv[2])
"""
SERVE = """
import json, sys
import numpy as np
import kb
from kb.embedding import DEFAULT_ENCODER, encoder

def resident_kib(name):
    total, inside = 0, False
    for line in open("/proc/self/smaps"):
        if "-" in line.split(" ", 1)[0]:
            inside = line.rstrip().endswith(name)
        elif inside and line.startswith("Rss:"):
            total += int(line.split()[1])
    return total

texts = ["가바펜틴의 부작용은", "side effects of sleeping pills", "잠이 안 와요"]
model = encoder(DEFAULT_ENCODER)
in_heap = model.queries(texts)
index = kb.open_index(sys.argv[1])  # a server opens its index: the table is mapped from there
found = kb.search(index, "잠이 안 와요", "ko")
table = model.model._model.table
print(json.dumps({
    "same_vectors": bool(np.array_equal(model.queries(texts), in_heap)),
    "hits": [hit.slug for hit in found.hits][:3],
    "table_bytes": int(table.nbytes),
    "owns_memory": bool(table.flags.owndata),
    "resident_kib": resident_kib(model.vocabulary_file),
}))
"""


def python(script: str, *args: Path) -> str:
    run = subprocess.run(
        [sys.executable, "-c", script, *map(str, args)],
        capture_output=True, text=True, check=True, cwd=Path(__file__).parent.parent,
    )  # fmt: skip
    return run.stdout


def test_a_server_keeps_only_the_vocabulary_rows_it_has_used(bundled_copy: Path, tmp_path):
    root = tmp_path / "index"
    python(BUILD, bundled_copy, root)
    vocabulary = [p for p in root.iterdir() if p.name.endswith(".vocabulary.npy")]
    assert len(vocabulary) == 1, "the build leaves the table for servers that may not write"
    vocabulary[0].unlink()  # a server that finds none writes it itself
    seen = json.loads(python(SERVE, root).splitlines()[-1])
    assert seen["same_vectors"], "a mapped table embeds exactly as the package's own"
    assert "zolpidem" in seen["hits"]
    assert seen["table_bytes"] > 60_000_000 and not seen["owns_memory"]
    assert 0 < seen["resident_kib"] < 16 * 1024, seen  # the rows used, not 65 MB
    assert vocabulary[0].exists()
