"""Provenance: which version of the other language a translation was made from, kept in the
translation's own front matter under ``translated_from``. This module is the one place that
reads and writes it; writing rewrites those lines only, byte for byte around them.

```yaml
translated_from:
  locale: ko                 # the source's locale
  hash: 3f0c9e1a2b4d6e8f     # the whole source (its sections' hashes)
  git: 5d41402abc4b2a76b9719d911017c592b2c0e3f1   # the source file's git blob id
  sections:                  # one hash per section, by id
    title: 0a1b2c3d4e5f
```
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kb.frontmatter import text_scalar
from kb.translating.sections import source_hash

if TYPE_CHECKING:
    from kb.content import Translation

KEY = "translated_from"
HEX_RE = re.compile(r"[0-9a-f]{4,64}\Z")
SECTION_ID_RE = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
KEY_LINE_RE = re.compile(rf"{KEY}[ \t]*:")


@dataclass(frozen=True)
class Provenance:
    """The recorded source version: locale, whole hash, git blob id (None if not recorded)
    and each section's hash, in the source's order."""

    locale: str
    hash: str
    sections: dict[str, str] = field(default_factory=dict)
    git: str | None = None


def parse_provenance(value: object, problem: Callable[[str], None]) -> Provenance | None:
    """The front matter's ``translated_from`` value, or None after reporting what is wrong."""
    if not isinstance(value, dict):
        problem(f"{KEY} must be a mapping (locale, hash, sections); see docs/translating.md")
        return None
    unknown = sorted(str(k) for k in value if k not in ("locale", "hash", "git", "sections"))
    locale, digest, git, sections = (value.get(k) for k in ("locale", "hash", "git", "sections"))
    if unknown:
        problem(f"{KEY} has unknown keys: {', '.join(unknown)}")
    elif not isinstance(locale, str) or not locale:
        problem(f"{KEY}.locale must name the source's locale, e.g. ko")
    elif not isinstance(digest, str) or not HEX_RE.match(digest):
        problem(f"{KEY}.hash must be a hexadecimal hash")
    elif git is not None and not (isinstance(git, str) and re.fullmatch(r"[0-9a-f]{40}", git)):
        problem(f"{KEY}.git must be a 40-digit git blob id")
    elif not isinstance(sections, dict) or not all(
        isinstance(k, str) and SECTION_ID_RE.match(k) and isinstance(v, str) and HEX_RE.match(v)
        for k, v in sections.items()
    ):
        problem(
            f"{KEY}.sections must map section ids to hexadecimal hashes{_number_hint(sections)}"
        )
    else:
        return Provenance(locale, digest, dict(sections), git)
    return None


def _number_hint(sections: object) -> str:
    """Which hash YAML read as a number (digits only, unquoted), said so it can be fixed."""
    if isinstance(sections, dict):
        for sid, digest in sections.items():
            if isinstance(digest, int | float):
                return f" ({sid}'s hash reads as a number: put it in quotes)"
    return ""


def record(source: Translation, raw: bytes | None = None) -> Provenance:
    """The provenance of a translation made from ``source`` as it is now."""
    from kb.translating.sections import sections_of

    hashes = {s.id: s.hash for s in sections_of(source)}
    raw = source.path.read_bytes() if raw is None else raw
    return Provenance(source.locale, source_hash(hashes.items()), hashes, git_blob_id(raw))


def git_blob_id(raw: bytes) -> str:
    """The id git gives these bytes (``git hash-object``), computed without git."""
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw, usedforsecurity=False).hexdigest()


def with_sections(old: Provenance, sections: dict[str, str]) -> Provenance:
    """``old`` with other section hashes (its whole hash recomputed, its git id kept)."""
    return Provenance(old.locale, source_hash(sections.items()), sections, old.git)


def provenance_lines(provenance: Provenance) -> list[str]:
    """The ``translated_from`` block as front-matter lines (no line endings)."""
    lines = [f"{KEY}:", f"  locale: {provenance.locale}", f"  hash: {text_scalar(provenance.hash)}"]
    if provenance.git:
        lines.append(f"  git: {text_scalar(provenance.git)}")
    lines.append("  sections:")
    lines += [f"    {sid}: {text_scalar(digest)}" for sid, digest in provenance.sections.items()]
    return lines


class ProvenanceWriteError(ValueError):
    """The file's front matter could not be found; nothing was written."""


def rewrite(text: str, provenance: Provenance) -> str:
    """``text`` (a whole ``<locale>.md``) with its ``translated_from`` lines replaced, or added
    before the closing ``---``; every other character is kept as it was."""
    lines = text.splitlines(keepends=True)
    ending = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    if not lines or lines[0].strip().lstrip("\ufeff") != "---":
        raise ProvenanceWriteError("no front matter: the file must start with '---'")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise ProvenanceWriteError("front matter is not closed by a '---' line") from None
    block = [line + ending for line in provenance_lines(provenance)]
    start = next((i for i in range(1, end) if KEY_LINE_RE.match(lines[i])), None)
    if start is None:
        return "".join([*lines[:end], *block, *lines[end:]])
    stop = start + 1
    while stop < end and _continues(lines, stop, end):
        stop += 1
    return "".join([*lines[:start], *block, *lines[stop:]])


def _continues(lines: list[str], i: int, end: int) -> bool:
    """Whether line ``i`` still belongs to the block above it: indented, or blank with an
    indented line after it."""
    if lines[i][:1] in (" ", "\t"):
        return True
    if lines[i].strip():
        return False
    nxt = next((j for j in range(i + 1, end) if lines[j].strip()), None)
    return nxt is not None and lines[nxt][:1] in (" ", "\t")


def provenance_of(meta: dict[str, Any]) -> object:
    """The raw ``translated_from`` value of parsed front matter (None when absent)."""
    return meta.get(KEY)


def write_provenance(path: Path, provenance: Provenance) -> None:
    """Rewrite ``path``'s provenance lines in place (same bytes elsewhere, same encoding)."""
    new = rewrite(path.read_bytes().decode("utf-8"), provenance).encode("utf-8")
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(new)
    shutil.copymode(path, temporary)
    os.replace(temporary, path)  # an editor or a build never sees half a file
