"""Article content hashes remembered by file stamp, so that ``update``, ``watch`` and
``translations status`` read only the files that changed instead of all 20,000 (and the digests
of the prepared encoder's ~100 MB of files, which its every load would read to check them).

Git's index trick: a file whose size, modification and change times and inode are as recorded
has the recorded bytes (the change time can't be set back by tools that copy times). A file
changed less than :data:`SETTLE_NS` before the stamps were taken is never recorded, so two
edits within one tick of the file system's clock can't hide the second.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from kb.content import ArticleFiles, file_stamps

FILE_HASHES = "content-hashes.json"  # in the index folder, beside the builds
SETTLE_NS = 1_000_000_000
VERSION = 1

Stamps = tuple[tuple[int, int, int, int], ...]


class ContentHashes:
    """Each article's content hash, from the record when its files' stamps match it, else read
    and hashed; :meth:`save` keeps what this run learnt (best effort: a cache)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.started_ns = time.time_ns()
        self.known = _read(path) if path is not None else {}
        self.seen: dict[str, tuple[Stamps, str]] = {}
        self.read = 0  # articles whose files had to be read

    def hash_of(self, files: ArticleFiles) -> str:
        """The content hash of ``files`` (as :meth:`ArticleFiles.content_hash` gives it)."""
        hit = self.known.get(files.slug)
        if files.stamps and hit is not None and hit[0] == files.stamps:
            digest = hit[1]
        else:
            digest = files.content_hash()
            self.read += 1
        self.learn(files, digest)
        return digest

    def learn(self, files: ArticleFiles, digest: str) -> None:
        """Remember ``digest`` for ``files`` if they have settled (see the module's note)."""
        if files.stamps and _settled(files.stamps, self.started_ns):
            self.seen[files.slug] = (files.stamps, digest)

    def save(self) -> None:
        """Write what this run saw (articles gone since are dropped); never half a file."""
        if self.path is None or self.seen == self.known:
            return
        rows = {
            slug: [list(map(list, stamps)), digest] for slug, (stamps, digest) in self.seen.items()
        }
        write_rows(self.path, VERSION, rows)


class FileDigests:
    """Digests of whole files by key (``"vocabulary"``), from the record when the files' stamps
    match it, else computed; :meth:`save` keeps what this run learnt (best effort: a cache)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.started_ns = time.time_ns()
        self.known = read_rows(path, VERSION)
        self.learnt = False

    def digest(
        self, key: str, files: Sequence[Path], compute: Callable[[], str | None]
    ) -> str | None:
        """``compute()``'s digest of ``files``, unless they are as when it was recorded."""
        try:
            stamps = [list(file_stamps(os.stat(file))) for file in files]
        except OSError:
            return compute()
        row = self.known.get(key)
        if isinstance(row, list) and len(row) == 2 and row[0] == stamps:
            return str(row[1])
        digest = compute()
        if digest is not None and _settled(stamps, self.started_ns):
            self.known[key], self.learnt = [stamps, digest], True
        return digest

    def save(self) -> None:
        """Write the record if this run learnt a digest; never half a file."""
        if self.learnt:
            write_rows(self.path, VERSION, self.known)


def _settled(stamps: Sequence[Sequence[int]], started_ns: int) -> bool:
    """Whether every file was last modified or changed :data:`SETTLE_NS` before ``started_ns``
    (only then may its stamps vouch for its bytes: see the module's note)."""
    return all(max(s[1], s[2]) < started_ns - SETTLE_NS for s in stamps)


def _read(path: Path) -> dict[str, tuple[Stamps, str]]:
    """The recorded rows, or none when the file is missing, unreadable or of another version."""
    try:
        return {
            slug: (tuple((int(a), int(b), int(c), int(d)) for a, b, c, d in stamps), str(digest))
            for slug, (stamps, digest) in read_rows(path, VERSION).items()
        }
    except (ValueError, TypeError):
        return {}


def read_rows(path: Path, version: object) -> dict[str, Any]:
    """The rows of a cache file in the index folder; none when it is missing, unreadable or
    written by another ``version`` (of the format, or of the code that made the rows)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        rows = data["rows"] if data.get("version") == version else {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}
    return rows if isinstance(rows, dict) else {}


def write_rows(path: Path, version: object, rows: dict[str, Any]) -> None:
    """Best effort (a read-only index folder just means no cache), never half a file."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {"version": version, "rows": rows}
        temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)
