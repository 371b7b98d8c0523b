"""Read-only arrays served from a file by memory map: the one place that writes and checks them.

An array held in the heap is resident in full in every process that has it (forked server
workers each count it, and it can never be paged out). Mapped from a file, a process keeps
only the pages it has read, and the rest stays on disk. Such a file is a cache of an array the
code can always make again, so it is checked before it is trusted (against that array, or
against the digest of the array it was written from, which a process that has not made the
array keeps: kb.prepared), and rewritten (under another name, then renamed) when it is missing
or holds anything else.
"""

from __future__ import annotations

import hashlib
import mmap
import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import numpy as np

CHUNK = 8 << 20  # bytes compared at a time


def mapped_copy(array: np.ndarray, path: Path) -> np.ndarray | None:
    """``array``'s values, read from ``path`` by memory map; None when the file can be neither
    trusted nor written (a read-only folder): the caller keeps ``array``."""
    try:
        if not holds(path, array):
            _write(path, array)
        return _mapped(path, array.shape, array.dtype)
    except (OSError, ValueError):
        return None


def values_digest(path: Path, shape: tuple[int, ...], dtype: np.dtype) -> str | None:
    """The :func:`digest` of the array in ``path``, read with plain reads (which leave nothing
    resident); None if the file is missing or holds another shape or type."""
    try:
        with path.open("rb") as file:
            if _header(file) != (shape, dtype):
                return None
            values = hashlib.sha256()
            while chunk := file.read(CHUNK):
                values.update(chunk)
            drop_cached_pages(file)
        return values.hexdigest()
    except (OSError, ValueError):
        return None


def mapped(path: Path, shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray | None:
    """The array of ``path`` by memory map, if it has this shape and type. For a caller that
    has checked its values (:func:`values_digest`) against the array it was written from."""
    try:
        return _mapped(path, shape, dtype)
    except (OSError, ValueError):
        return None


def digest(array: np.ndarray) -> str:
    """What :func:`values_digest` gives for a file of ``array``."""
    return hashlib.sha256(np.ascontiguousarray(array).reshape(-1).view(np.uint8).data).hexdigest()


def _mapped(path: Path, shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray | None:
    with path.open("rb") as file:
        if _header(file) != (shape, dtype):
            return None
        start = file.tell()
        whole = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    # Values are read one here and one there: each miss reads its own page, no more.
    whole.madvise(mmap.MADV_RANDOM)
    count = int(np.prod(shape))
    return np.frombuffer(whole, dtype, count, start).reshape(shape)


def holds(path: Path, array: np.ndarray) -> bool:
    """Whether ``path`` is a ``.npy`` file of exactly ``array`` (read with plain reads, which
    leave nothing resident in this process)."""
    try:
        with path.open("rb") as file:
            if _header(file) != (array.shape, array.dtype):
                return False
            flat = np.ascontiguousarray(array).reshape(-1).view(np.uint8).data
            same = all(
                file.read(CHUNK) == flat[start : start + CHUNK]
                for start in range(0, len(flat), CHUNK)
            )
            same = same and file.read(1) == b""
            drop_cached_pages(file)
            return same
    except (OSError, ValueError):
        return False


def drop_cached_pages(file: BinaryIO) -> None:
    """Drop the file's pages from the page cache after reading or writing all of it. A process
    that maps it then faults in single pages; left cached, the kernel maps its large blocks
    of pages whole (measured: 100 rows of a 65 MB table made 57 MB resident, 0.5 MB so).
    Where the system has no ``posix_fadvise`` (macOS), the pages stay cached."""
    if hasattr(os, "posix_fadvise"):
        os.posix_fadvise(file.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)


def _header(file: BinaryIO) -> tuple[tuple[int, ...], np.dtype] | None:
    """The shape and type of the ``.npy`` file read from (as ``np.save`` writes them), the
    file then at its first value; None for another layout."""
    if np.lib.format.read_magic(file) != (1, 0):
        return None
    shape, fortran, dtype = np.lib.format.read_array_header_1_0(file)
    return None if fortran else (shape, dtype)


def _write(path: Path, array: np.ndarray) -> None:
    """``array`` as ``path``, never half a file: a process mapping the old one keeps it."""
    write_whole(path, lambda out: np.save(out, np.ascontiguousarray(array), allow_pickle=False))


def write_whole(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """What ``write`` writes, as ``path``: under a scratch name, synced, then renamed, so a
    reader finds the old file or the whole new one (and its pages are not left cached)."""
    _remove_abandoned(path)
    scratch = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with scratch.open("wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())  # written pages can be dropped only once on disk
            drop_cached_pages(out)
        os.replace(scratch, path)
    finally:
        scratch.unlink(missing_ok=True)


def _remove_abandoned(path: Path) -> None:
    """Delete scratch files of writes whose process is gone (killed mid-write): each is as big
    as the array, and nothing else would ever remove them. A live writer's file is left."""
    for scratch in path.parent.glob(f".{path.name}.*.tmp"):
        pid = scratch.name.removeprefix(f".{path.name}.").removesuffix(".tmp")
        if pid.isdigit() and not _alive(int(pid)):
            scratch.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True
