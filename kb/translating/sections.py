"""An article's translatable units: title, summary, tags, category, then the body cut at headings.

Sections are aligned across languages by an explicit anchor (``## Uses {#uses}``) or else by
order (``s1``, ``s2``…), and hashed on whitespace-normalised text, so reflowing a paragraph or
changing ``updated:`` never makes a translation outdated.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kb.content import Translation

META_SECTIONS = ("title", "summary", "tags", "category")
INTRO = "intro"  # the body before its first heading
HEADING_RE = re.compile(r" {0,3}(#{1,6})[ \t]+(.*?)[ \t]*\Z")
ANCHOR_RE = re.compile(r"[ \t]*\{#([a-z0-9][a-z0-9-]*)\}[ \t]*\Z")
FENCE_RE = re.compile(r" {0,3}(`{3,}|~{3,})")
RESERVED = frozenset({*META_SECTIONS, INTRO})
HASH_CHARS = 12  # of a section's SHA-256: enough to tell versions of one section apart
SOURCE_HASH_CHARS = 16


@dataclass(frozen=True)
class Section:
    """One unit: ``id`` aligns it with the other language; ``text`` is what a translator reads
    (for a body section, from its heading line to the next heading)."""

    id: str
    text: str
    heading: str = ""  # the heading's words (anchor removed); "" for metadata and the intro

    @property
    def hash(self) -> str:
        return text_hash(self.text)


def normalise(text: str) -> str:
    """Whitespace-insensitive form: runs of spaces, tabs and line breaks count as one space."""
    return " ".join(text.split())


def text_hash(text: str) -> str:
    return hashlib.sha256(normalise(text).encode()).hexdigest()[:HASH_CHARS]


def source_hash(section_hashes: Iterable[tuple[str, str]]) -> str:
    """The whole source's hash, from its sections' ids and hashes in order."""
    joined = "\n".join(f"{sid}={digest}" for sid, digest in section_hashes)
    return hashlib.sha256(joined.encode()).hexdigest()[:SOURCE_HASH_CHARS]


def sections_of(tr: Translation) -> list[Section]:
    """Every section of ``tr`` in order; empty summary, tags or category are left out."""
    meta = {
        "title": tr.title,
        "summary": tr.summary,
        "tags": ", ".join(normalise(t) for t in tr.tags),
        "category": tr.category,
    }
    found = [Section(sid, text) for sid, text in meta.items() if text]
    return found + body_sections(tr.body)


def body_sections(body: str) -> list[Section]:
    """The intro (if any text precedes the first heading), then one section per heading."""
    found: list[Section] = []
    current: list[str] = []
    sid, heading, number = INTRO, "", 0
    for line, title in _lines_with_headings(body):
        if title is not None:
            if current and (sid != INTRO or "".join(current).strip()):
                found.append(Section(sid, "\n".join(current), heading))
            number += 1
            anchor = ANCHOR_RE.search(title)
            heading = ANCHOR_RE.sub("", title).rstrip("# \t")
            sid = anchor.group(1) if anchor else f"s{number}"
            current = [line]
        else:
            current.append(line)
    if current and (sid != INTRO or "".join(current).strip()):
        found.append(Section(sid, "\n".join(current), heading))
    return found


def _lines_with_headings(body: str) -> Iterable[tuple[str, str | None]]:
    """Each line and, for an ATX heading outside fenced code, its text."""
    fence: str | None = None
    for line in body.split("\n"):
        first = line.lstrip(" ")[:1]
        opened = FENCE_RE.match(line) if first in ("`", "~") else None
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            yield line, None
        elif opened:
            fence = opened.group(1)
            yield line, None
        else:
            heading = HEADING_RE.match(line) if first == "#" else None
            yield line, heading.group(2) if heading else None


def strip_anchors(body: str) -> str:
    """The body as readers see it: heading anchors (``{#id}``) removed, code left alone."""
    if "{#" not in body:
        return body
    return "\n".join(
        ANCHOR_RE.sub("", line) if title is not None else line
        for line, title in _lines_with_headings(body)
    )


def anchor_problems(body: str) -> list[tuple[int, str]]:
    """(body line index, message) for anchors that can't align: repeated, or the name of a
    metadata section, the intro or an order id (``s2``)."""
    seen: set[str] = set()
    problems: list[tuple[int, str]] = []
    if "{#" not in body:
        return problems
    for number, (_, title) in enumerate(_lines_with_headings(body)):
        anchor = ANCHOR_RE.search(title) if title is not None else None
        if anchor is None:
            continue
        name = anchor.group(1)
        if name in RESERVED or re.fullmatch(r"s\d+", name):
            problems.append((number, f"heading anchor {{#{name}}} is reserved: choose another"))
        elif name in seen:
            problems.append((number, f"heading anchor {{#{name}}} is used twice"))
        seen.add(name)
    return problems
