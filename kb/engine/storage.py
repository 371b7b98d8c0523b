"""How a build's files are read for searching: positional reads, no copies, safe across forks.

Whoosh's default storage maps a compound segment into memory and then copies every file inside
it into a ``BytesIO``: hundreds of MiB per process on a large index, and seconds to open. Here
every read is an ``os.pread`` at an offset this object keeps itself, so an index opened before
gunicorn forks its workers serves all of them (no shared file position to race on), opening is
instant, and the kernel's page cache, shared by every worker, does the caching.
"""

from __future__ import annotations

import os
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile


class Descriptor:
    """An open file, closed by ``close`` or else when the last reader of it is gone (searchers
    of a swapped-out build are never closed explicitly: readers may still hold them)."""

    fd = -1  # until opened: a failed open leaves nothing to close

    def __init__(self, path: str):
        self.fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def __del__(self) -> None:
        self.close()


class _Window:
    """A read-only file-like view of bytes ``base``..``base + length`` of a file. Reads go
    through a small read-ahead buffer: unpickling a posting block's header asks for a few
    bytes at a time, a system call each without it (about 20 per header)."""

    READ_AHEAD = 1024

    def __init__(self, file: Descriptor, base: int, length: int):
        self.file, self.base, self.length = file, base, length
        self.position = 0
        self._buffer, self._buffered_at = b"", 0  # bytes of the window from _buffered_at on

    def read(self, size: int | None = -1) -> bytes:
        left = self.length - self.position
        size = left if size is None or size < 0 else min(size, left)
        if size <= 0:
            return b""
        offset = self.position - self._buffered_at
        if size >= self.READ_AHEAD:  # a large read is not kept
            data = os.pread(self.file.fd, size, self.base + self.position)
        elif offset >= 0 and offset + size <= len(self._buffer):
            data = self._buffer[offset : offset + size]
        else:
            wanted = min(self.READ_AHEAD, left)
            self._buffer = os.pread(self.file.fd, wanted, self.base + self.position)
            self._buffered_at = self.position
            data = self._buffer[:size]
        self.position += len(data)
        return data

    def readline(self, size: int | None = -1) -> bytes:
        """Up to and including the next newline (pickle reads its protocol-0 parts this way)."""
        line = b""
        while not line.endswith(b"\n") and (size is None or size < 0 or len(line) < size):
            chunk = self.read(256 if size is None or size < 0 else min(256, size - len(line)))
            if not chunk:
                break
            cut = chunk.find(b"\n") + 1 or len(chunk)
            line += chunk[:cut]
            self.position -= len(chunk) - cut
        return line

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        origin = {os.SEEK_SET: 0, os.SEEK_CUR: self.position, os.SEEK_END: self.length}[whence]
        self.position = origin + offset
        return self.position

    def tell(self) -> int:
        return self.position

    def close(self) -> None:
        """The file belongs to the storage file that opened it."""


class PositionalFile(StructFile):
    """A window of an open file; random access (``get``) is a single ``pread``."""

    def __init__(self, file: Descriptor, base: int, length: int, name: str | None, onclose=None):
        super().__init__(_Window(file, base, length), name=name, onclose=onclose)
        self._file, self._base, self.file_name = file, base, name

    def get(self, position: int, length: int) -> bytes:
        return os.pread(self._file.fd, length, self._base + position)

    def subset(self, position: int, length: int, name: str | None = None) -> PositionalFile:
        return PositionalFile(self._file, self._base + position, length, name or self.file_name)


class ReadStorage(FileStorage):
    """A build folder opened for searching: read-only, no memory maps."""

    def __init__(self, path: Path | str):
        super().__init__(str(path), supports_mmap=False, readonly=True)

    def open_file(self, name: str, **kwargs) -> PositionalFile:
        file = Descriptor(os.path.join(self.folder, name))
        size = os.fstat(file.fd).st_size
        return PositionalFile(file, 0, size, name, onclose=lambda _: file.close())
