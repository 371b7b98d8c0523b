"""Warnings about a translation against its source: structure (parity) and glossary terms.

Parity counts what a translator should carry over unchanged in number: sections, list items,
table rows, code blocks, images, and link targets. The glossary check says where a source
section uses a term of ``translations/glossary.tsv`` and the translated section uses none of
its counterparts, matched through the analyzers (Korean particles don't hide a term).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kb.analysis.base import unmarked
from kb.analysis.korean import MEDICINE_ENDINGS
from kb.content import Translation
from kb.translating.sections import FENCE_RE, HEADING_RE, Section, body_sections

LIST_ITEM_RE = re.compile(r" {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+\S")
TABLE_ROW_RE = re.compile(r" {0,3}\|.*\|[ \t]*\Z")
IMAGE_RE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")
LINK_RE = re.compile(r"(?<!!)\[[^\]]*\]\(\s*<?([^)\s>]+)")
AUTOLINK_RE = re.compile(r"<(https?://[^>\s]+|mailto:[^>\s]+)>")


@dataclass(frozen=True)
class Structure:
    sections: int
    lists: int
    list_items: int
    tables: int
    table_rows: int
    code_blocks: int
    images: int
    links: Counter[str]


def structure(body: str) -> Structure:
    """What :func:`parity_warnings` compares, read line by line (fenced code excluded); each
    pattern is tried only on lines that can match it (this runs on every file of ``status``).
    A list runs until a line that is neither an item, indented nor blank; a table is a run of
    ``|`` rows."""
    sections = lists = items = tables = rows = blocks = images = 0
    links: list[str] = []
    fence: str | None = None
    in_list = in_table = False
    for line in body.split("\n"):
        first = line.lstrip()[:1]
        if first in ("`", "~") and (opened := FENCE_RE.match(line)):
            mark = opened.group(1)
            if fence is None:
                fence = mark
                blocks += 1
            elif mark[0] == fence[0] and len(mark) >= len(fence):
                fence = None
            continue
        if fence is not None or not first:
            in_table = False
            continue
        if first == "#" and HEADING_RE.match(line) is not None:
            sections += 1
        if first in "-*+0123456789" and LIST_ITEM_RE.match(line) is not None:
            items += 1
            lists += not in_list
            in_list = True
        else:
            in_list = in_list and line[:1] in (" ", "\t")
        if first == "|" and TABLE_ROW_RE.match(line) is not None:
            rows += 1
            tables += not in_table
            in_table = True
        else:
            in_table = False
        if "](" in line:
            images += len(IMAGE_RE.findall(line))
            links += LINK_RE.findall(line)
        if "<http" in line or "<mailto:" in line:
            links += AUTOLINK_RE.findall(line)
    return Structure(sections, lists, items, tables, rows, blocks, images, Counter(links))


LABELS = {
    "sections": "sections",
    "lists": "lists",
    "list_items": "list items",
    "tables": "tables",
    "table_rows": "table rows",
    "code_blocks": "code blocks",
    "images": "images",
}


def parity_warnings(source: Translation, translation: Translation) -> list[str]:
    """Where the two bodies differ in structure, in words a translator can act on."""
    a, b = structure(source.body), structure(translation.body)
    warnings = [
        f"{label}: {getattr(a, key)} in {source.locale}, {getattr(b, key)} in {translation.locale}"
        for key, label in LABELS.items()
        if getattr(a, key) != getattr(b, key)
    ]
    missing = sorted((a.links - b.links).elements())
    extra = sorted((b.links - a.links).elements())
    if missing:
        warnings.append(f"link targets only in {source.locale}: {', '.join(missing)}")
    if extra:
        warnings.append(f"link targets only in {translation.locale}: {', '.join(extra)}")
    return warnings


# -- glossary ---------------------------------------------------------------------------------

Analyse = Callable[[str, str], tuple[str, ...]]  # (locale, text) → analysed words
#: The fewest letters of the shorter stem for two English stems to be one word's family (4 would
#: make `pain` of `painkiller`, `side` of `sided`).
FAMILY_STEM = 5


@dataclass(frozen=True)
class GlossaryHit:
    """A source section using a glossary term; ``found`` is the counterpart the translated
    section uses, None when it uses none (a warning)."""

    section: str
    term: str
    expected: tuple[str, ...]
    found: str | None

    @property
    def warning(self) -> str:
        wanted = " | ".join(self.expected)
        return f"section {self.section}: the source says “{self.term}”; use one of: {wanted}"


def analyser() -> Analyse:
    """Words as the search analyzers make them for the glossary, a negated one marked (loads
    Kiwi on first Korean text): a negated term (`처방 없이`, without a prescription) is found
    only as written, not in every 처방."""
    from kb.analysis import english_analyzer, korean_analyzer

    tokenizers = {"ko": korean_analyzer(), "en": english_analyzer()}

    @cache
    def analyse(locale: str, text: str) -> tuple[str, ...]:
        return tuple(t.text for t in tokenizers[locale].polar_terms(text))

    return analyse


def glossary_hits(
    source: Translation,
    translation: Translation,
    rows: Sequence[dict[str, tuple[str, ...]]],
    analyse: Analyse,
) -> list[GlossaryHit]:
    """Glossary terms of each source section, and which counterpart its translation uses. A
    term found only inside a longer term of another line is that line's business: 불안 in
    하지불안 증후군 (restless legs syndrome) asks for no "anxiety"."""
    hits = []
    for section, other in section_pairs(source, translation):
        mine = _Text(source.locale, section.text, analyse)
        theirs = _Text(translation.locale, other, analyse)
        used = [next((t for t in row.get(source.locale, ()) if mine.uses(t)), None) for row in rows]
        spans = {term: mine.spans(term) for term in used if term is not None}
        for row, term in zip(rows, used, strict=True):
            expected = row.get(translation.locale, ())
            if term is None or not expected or _only_inside_longer(spans, term):
                continue
            found = next((t for t in expected if theirs.uses(t, family=True)), None)
            hits.append(GlossaryHit(section.id, term, expected, found))
    return hits


def _only_inside_longer(spans: dict[str, list[tuple[int, int]]], term: str) -> bool:
    """Whether every place ``term``'s words stand is within a longer term's (by words)."""
    own = spans[term]
    longer = [span for other, found in spans.items() if other != term for span in found]
    return bool(own) and all(
        any(a <= start and end <= b and b - a > end - start for a, b in longer)
        for start, end in own
    )


def unreachable_tags(
    only: Translation, missing: str, rows: Sequence[dict[str, tuple[str, ...]]], analyse: Analyse
) -> list[str]:
    """The tags of a one-language article that no glossary line gives words in ``missing``:
    a reader searching in that language reaches it by those words only through the glossary
    (meaning may still find it, less surely: ``멀미`` is no closer to motion sickness than to
    anything else)."""
    terms = [t for row in rows if row.get(missing) for t in row.get(only.locale, ())]
    return [
        tag
        for tag in only.tags
        if not _written_for(missing, tag)
        and not any(_Text(only.locale, tag, analyse).uses(t) for t in terms)
    ]


def _written_for(locale: str, tag: str) -> bool:
    """Whether ``tag`` is written in ``locale``'s letters, so its readers search it as it
    stands: a Korean article's ``Geworin`` is an English reader's word (Latin words in Korean
    text get the English rules)."""
    letters = [ch for ch in tag if ch.isalpha()]
    if locale == "en":
        return bool(letters) and all(ch.isascii() for ch in letters)
    return bool(letters) and all("\uac00" <= ch <= "\ud7a3" for ch in letters)


def reach_warning(missing: str, tags: Sequence[str]) -> str:
    return (
        f"no glossary line gives {missing} words for its tags {', '.join(tags)}: readers "
        f"searching in {missing} find it only by meaning"
    )


class _Text:
    """A section's text as words of the analyzer and as written, to look terms up in."""

    def __init__(self, locale: str, text: str, analyse: Analyse) -> None:
        self.locale, self.text, self.analyse = locale, text.casefold(), analyse
        # unmarked, as the index holds them: a term is found whether the text negates it or not
        self.words = tuple(unmarked(w) for w in analyse(locale, text)) if text else ()

    def spans(self, term: str) -> list[tuple[int, int]]:
        """Where the term's analysed words stand in a row: (first word, one past the last)."""
        phrase = self.analyse(self.locale, term)
        n, words = len(phrase), self.words
        return [(i, i + n) for i in range(len(words) - n + 1) if n and words[i : i + n] == phrase]

    def uses(self, term: str, *, family: bool = False) -> bool:
        """The term's analysed words in a row (a particle or an inflection doesn't hide it), or
        the term as written at the start of a word: Kiwi may read a short term alone (졸림 as
        the verb 졸리-) differently from the same word in a sentence. With ``family``, an English
        word of its family will do (:func:`same_family`): a translator's "allergic" renders
        알레르기, though search does not take it for "allergy"."""
        if self.spans(term) or (family and self._family_word(term)):
            return True
        found = _as_written(self.locale, term).finditer(self.text)
        return any(not self._begins_longer_word(term, m.start()) for m in found)

    def _begins_longer_word(self, term: str, at: int) -> bool:
        """Whether the word written at ``at`` only begins with ``term``: read alone, it is a
        longer word (가스터, a brand, of 가스; 간질 of 간; 멍한, dazed, of 멍, a bruise), not
        a kind of medicine for it (두통약 of 두통)."""
        first = term.casefold().split()[0]
        word = self.text[at:].split(maxsplit=1)[0]
        read = self.analyse(self.locale, word)
        return (
            bool(read)
            and read[0].startswith(first)
            and read[0][len(first) :] not in ("", *MEDICINE_ENDINGS)
        )

    def _family_word(self, term: str) -> bool:
        phrase = self.analyse(self.locale, term) if self.locale == "en" else ()
        return len(phrase) == 1 and any(same_family(phrase[0], word) for word in self.words)


@cache
def _as_written(locale: str, term: str) -> re.Pattern[str]:
    """``term`` as written at the start of a word, compiled once: a glossary check looks up
    every term in every section, and the 가-힣 class alone takes a millisecond to compile."""
    before = r"(?<![가-힣])" if locale == "ko" else r"\b"
    after = "" if locale == "ko" else r"\b"
    return re.compile(before + re.escape(term.casefold()) + after)


def same_family(stem: str, other: str) -> bool:
    """Whether two English stems are one word's family, as Porter2 leaves them: one begins the
    other and the shorter has :data:`FAMILY_STEM` letters or more (`allergi`, `allerg` of
    allergy and allergic; `hypertens`, `hypertension`), so a translation that says "allergic
    reaction" for 알레르기 반응 uses the glossary's "allergy"."""
    short, long = sorted((stem, other), key=len)
    return len(short) >= FAMILY_STEM and long.startswith(short)


def section_pairs(source: Translation, translation: Translation) -> Iterator[tuple[Section, str]]:
    """Each section of ``source`` (title and summary first) with the text of the translation's
    section of the same id, "" where it has none."""
    ours = {s.id: s.text for s in _sections(translation)}
    for section in _sections(source):
        yield section, ours.get(section.id, "")


def _sections(tr: Translation) -> list[Section]:
    meta = [Section("title", tr.title), Section("summary", tr.summary)]
    return [s for s in meta if s.text] + body_sections(tr.body)


def read_glossary_rows(path: Path | None) -> list[dict[str, tuple[str, ...]]]:
    """The glossary's lines (a bad file's problems are `indexer.py check`'s business)."""
    from kb.glossary import parse_glossary

    return parse_glossary(path)[0] if path is not None and path.is_file() else []
