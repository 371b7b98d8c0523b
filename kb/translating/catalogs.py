"""Interface catalogs (``translations/<locale>/LC_MESSAGES/messages.po``) counted honestly and
checked beyond what Babel checks, through Babel's own reader.

Fuzzy and obsolete entries never count as translated, and a plural entry counts only when each
of its ``msgstr[n]`` is filled (``pybabel compile --statistics`` counts a fuzzy entry and a
half-filled plural as translated).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel.messages.catalog import Message
from babel.messages.pofile import read_po, unescape

from kb.content import ContentError
from kb.translating.diffs import Op, word_diff

SOURCE_LOCALE = "en"  # the language of the msgids: its catalog may leave every msgstr empty
NPLURALS = {"ko": 1, "en": 2}
PLACEHOLDER_RE = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]|\{[^{}]*\}")
NPLURALS_RE = re.compile(r"nplurals\s*=\s*(\d+)")


@dataclass(frozen=True)
class FuzzyEntry:
    """A changed source string: the diff from its previous msgid to the new one."""

    line: int
    msgid: str
    previous: str | None
    diff: list[Op] | None
    translation: str


@dataclass(frozen=True)
class CatalogStatus:
    locale: str
    path: Path
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    obsolete: int = 0
    errors: list[ContentError] = field(default_factory=list)
    fuzzy_entries: list[FuzzyEntry] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Entries in use (obsolete ones are not)."""
        return self.translated + self.fuzzy + self.untranslated

    @property
    def source(self) -> bool:
        return self.locale == SOURCE_LOCALE

    def to_json(self) -> dict[str, Any]:
        return {
            "locale": self.locale,
            "path": str(self.path),
            "source": self.source,
            "translated": self.translated,
            "fuzzy": self.fuzzy,
            "untranslated": self.untranslated,
            "obsolete": self.obsolete,
            "total": self.total,
            "errors": [str(e) for e in self.errors],
            "fuzzy_entries": [
                {"line": f.line, "msgid": f.msgid, "previous": f.previous, "diff": f.diff,
                 "translation": f.translation}
                for f in self.fuzzy_entries
            ],
        }  # fmt: skip


def catalog_paths(folder: Path) -> list[tuple[str, Path]]:
    """(locale, messages.po) of each catalog under ``folder``, sorted by locale."""
    return sorted((p.parent.parent.name, p) for p in folder.glob("*/LC_MESSAGES/messages.po"))


def catalog_status(locale: str, path: Path) -> CatalogStatus:
    """Counts, errors and fuzzy diffs of one catalog; an unreadable file is one error."""
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=locale, abort_invalid=True)
    except Exception as exc:  # Babel raises several kinds for a broken file
        line = getattr(exc, "lineno", 0) or 1
        return CatalogStatus(locale, path, errors=[ContentError(path, line, f"unreadable: {exc}")])
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    errors = _header_errors(locale, path)
    fuzzy: list[FuzzyEntry] = []
    for message in catalog:
        if not message.id:
            continue  # the header
        counts[_state(message, catalog.num_plurals)] += 1
        if not message.fuzzy:  # not used until reviewed; its diff is listed instead
            errors += _placeholder_errors(message, path)
        if message.fuzzy:
            fuzzy.append(_fuzzy_entry(message))
        if message.pluralizable and len(_strings(message)) != catalog.num_plurals:
            found = len(_strings(message))
            errors.append(ContentError(path, message.lineno or 0, f"{found} msgstr forms; the "
                                       f"header says nplurals={catalog.num_plurals}"))  # fmt: skip
    return CatalogStatus(locale, path, obsolete=len(catalog.obsolete), errors=errors,
                         fuzzy_entries=fuzzy, **counts)  # fmt: skip


def _state(message: Message, nplurals: int) -> str:
    if message.fuzzy:
        return "fuzzy"
    strings = _strings(message)
    filled = len(strings) >= (nplurals if message.pluralizable else 1) and all(strings)
    return "translated" if filled else "untranslated"


def _strings(message: Message) -> list[str]:
    value = message.string
    if isinstance(value, (list, tuple)):
        return [str(s) for s in value]
    return [str(value or "")]


def _ids(message: Message) -> list[str]:
    value = message.id
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]


def _header_errors(locale: str, path: Path) -> list[ContentError]:
    """The ``Plural-Forms`` header must say the locale's number of forms."""
    expected = NPLURALS.get(locale)
    # Babel fills in a Plural-Forms of its own when the file has none: read the file's header.
    header = path.read_text(encoding="utf-8", errors="replace").split("\n\n", 1)[0]
    found = NPLURALS_RE.search(header) if "Plural-Forms:" in header else None
    if expected is None:
        return []
    if found is None:
        return [
            ContentError(path, 1, f"no Plural-Forms header: {locale} needs nplurals={expected}")
        ]
    if int(found.group(1)) != expected:
        message = f"Plural-Forms says nplurals={found.group(1)}; {locale} has {expected}"
        return [ContentError(path, 1, message)]
    return []


def placeholders(text: str) -> set[str]:
    """``%(name)s``, ``%s`` and ``{name}`` placeholders of a string (``%%`` is not one)."""
    return {p for p in PLACEHOLDER_RE.findall(text) if p != "%%"}


def _placeholder_errors(message: Message, path: Path) -> list[ContentError]:
    """Every placeholder of each translation must exist in the source: the msgid or, for a
    plural, the msgid_plural too (Korean's single form is checked against both)."""
    source: set[str] = set().union(*(placeholders(i) for i in _ids(message)))
    errors = []
    for form, text in enumerate(_strings(message)):
        unknown = sorted(placeholders(text) - source)
        if text and unknown:
            where = f"msgstr[{form}]" if message.pluralizable else "msgstr"
            problem = f"{where} has {', '.join(unknown)}, which the source has not"
            errors.append(ContentError(path, message.lineno or 0, problem))
    return errors


def previous_msgid(message: Message) -> str | None:
    """The msgid before the source changed (``#| msgid "…"``, written by ``update --previous``).
    Babel's reader leaves those lines among the translator comments (``| msgid "…"``, and a
    second ``update`` writes them back as ``# |``), so they are read from there too."""
    previous = message.previous_id
    if previous:
        return str(previous[0] if isinstance(previous, (list, tuple)) else previous)
    parts: list[str] = []
    for comment in message.user_comments:
        if not comment.startswith("|"):
            continue
        line = comment[1:].strip()
        if line.startswith("msgid_plural"):
            break
        if line.startswith("msgid "):
            parts, line = [], line[len("msgid ") :].strip()
        if line.startswith('"') and line.endswith('"') and len(line) > 1:
            parts.append(unescape(line))
    return "".join(parts) if parts else None


def _fuzzy_entry(message: Message) -> FuzzyEntry:
    before = previous_msgid(message)
    now = _ids(message)[0]
    return FuzzyEntry(
        line=message.lineno or 0,
        msgid=now,
        previous=before,
        diff=word_diff(before, now) if before is not None else None,
        translation=_strings(message)[0],
    )
