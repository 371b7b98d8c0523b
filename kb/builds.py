"""How builds lie on disk: the folder layout, the manifest, and what can go wrong with them.

Layout of an index folder::

    current -> builds/<id>     symlink, replaced atomically when a build is complete
    builds/<id>/               engine files, passage vectors (kb.vectors) and kb-index.json
                               (versions, article hashes, file sizes)
    .lock                      flock held by the one running build or update

This is the one place that reads and writes the manifest; :mod:`kb.snapshot` opens builds for
reading and :mod:`kb.index` writes them.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, fields
from pathlib import Path

from kb.analysis import analysis_version
from kb.schema import schema_version

MANIFEST = "kb-index.json"
GLOSSARY = "glossary.json"
CURRENT = "current"
BUILDS = "builds"


class IndexProblem(Exception):
    """Base of index problems; the message says what to do."""


class IndexMissing(IndexProblem):
    pass


class IndexVersionMismatch(IndexProblem):
    pass


class IndexBusy(IndexProblem):
    pass


class IndexDamaged(IndexProblem):
    """A build that cannot be used: missing, with missing or truncated files, a bad manifest."""

    @classmethod
    def at(cls, build_dir: Path, detail: str) -> IndexDamaged:
        return cls(
            f"the index build at {build_dir} cannot be used ({detail}): "
            "rebuild the index with `python indexer.py build`"
        )


class IndexWriteFailed(IndexProblem):
    """The disk refused a write (read-only, full, I/O error); the partial build is gone."""

    @classmethod
    def at(cls, root: Path, error: OSError) -> IndexWriteFailed:
        reason = error.strerror or (os.strerror(error.errno) if error.errno else str(error))
        where = f" ({error.filename})" if error.filename else ""
        return cls(f"cannot write the index at {root}: {reason}{where}")


class RemovalRefused(IndexProblem):
    """The content would empty the site, or most of it: likely an empty or unmounted folder."""


@dataclass(frozen=True)
class Manifest:
    """What a build holds and which code built it."""

    schema_version: str
    analysis_version: str
    built_at: str
    hashes: dict[str, str] = field(default_factory=dict)
    translations: int = 0
    glossary_hash: str = ""
    # SHA-256 of the glossary file as written, so an update can tell it is unchanged without
    # analysing it (which loads Kiwi); "" in manifests written before it existed: unknown.
    glossary_source: str = ""
    # name → size of every file of the build, so a truncated one is found by a stat before the
    # engine reads it (the engine says which missing file it needs); {} before it existed.
    files: dict[str, int] = field(default_factory=dict)
    # The encoder (and passage recipe) that made the build's passage vectors (kb.vectors); ""
    # for a build without them. Another encoder's vectors are never compared with our queries.
    embedding_version: str = ""

    @classmethod
    def read(cls, build_dir: Path) -> Manifest:
        """The build's manifest; IndexDamaged if the build or its manifest is missing or bad."""
        if not build_dir.is_dir():
            raise IndexDamaged.at(build_dir, "no such build: `current` points at a missing folder")
        try:
            data = json.loads((build_dir / MANIFEST).read_text(encoding="utf-8"))
            manifest = cls(**{k: v for k, v in data.items() if k in _MANIFEST_TYPES})
        except (OSError, ValueError, TypeError, AttributeError) as exc:
            raise IndexDamaged.at(build_dir, f"unreadable {MANIFEST}: {exc}") from None
        wrong = [k for k, kind in _MANIFEST_TYPES.items() if not isinstance(data.get(k), kind)]
        if any(k in data for k in wrong):
            raise IndexDamaged.at(build_dir, f"bad {MANIFEST}: wrong type of {', '.join(wrong)}")
        return manifest

    def write(self, build_dir: Path) -> None:
        tmp = build_dir / (MANIFEST + ".tmp")
        tmp.write_text(json.dumps(self.__dict__, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, build_dir / MANIFEST)

    def check_compatible(self, where: Path) -> None:
        expected = (schema_version(), analysis_version())
        found = (self.schema_version, self.analysis_version)
        if found != expected:
            raise IndexVersionMismatch(
                f"the index at {where} was built by another version (schema {found[0]}, analysis "
                f"{found[1]}; this code needs schema {expected[0]}, analysis {expected[1]}): "
                "rebuild the index with `python indexer.py build`"
            )

    def check_files(self, build_dir: Path) -> None:
        """Every file the build was written with that is still there has its size (one stat
        each); a file the engine no longer reads may be gone (Whoosh drops an old TOC)."""
        for name, size in self.files.items():
            try:
                found = (build_dir / name).stat().st_size
            except FileNotFoundError:
                continue
            if found != size:
                raise IndexDamaged.at(build_dir, f"{name} has {found} bytes, not {size}")


_MANIFEST_TYPES: dict[str, type] = {
    f.name: {"hashes": dict, "files": dict, "translations": int}.get(f.name, str)
    for f in fields(Manifest)
}


def live_build(root: Path) -> Path | None:
    try:
        target = os.readlink(root / CURRENT)
    except OSError:
        return None
    return root / target
