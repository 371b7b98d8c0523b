"""Completions as the reader types: titles and tags matching a prefix, in the reader's locale.

A prefix matches however it was typed: part of a syllable (``가바ㅍ``, ``가밮``), 초성
(``ㄱㅂㅍㅌ``), or with the keyboard in the wrong mode (``rkqk``). Each index build gets one
sorted table of keys, made on first use, so a keystroke costs a few binary searches.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from kb.analysis.bigrams import HANGUL_RUN
from kb.analysis.hangul import decompose, hangul_to_qwerty, initials, is_initials, qwerty_to_hangul
from kb.cache import per_build
from kb.content import normalize_text
from kb.index import IndexSnapshot, KnowledgeIndex
from kb.search import display_locale

MAX_COMPLETIONS = 8
MAX_PREFIX_CHARS = 64
WORD_START = re.compile(r"(?:^|(?<=[\s(/·,:]))\S")

# Where in an entry the typed prefix matched, best first.
TITLE_START, TITLE_WORD, TAG = 0, 1, 2


@dataclass(frozen=True)
class Completion:
    """A title (``kind`` "article") or a tag ("term") to offer, for article ``slug``."""

    text: str
    kind: str
    slug: str
    locale: str  # the locale of ``text``
    fallback: bool  # the article has no translation in the reader's locale


@dataclass(frozen=True)
class _Entry:
    place: int
    slug: str
    locale: str
    text: str


class CompletionTable:
    """Sorted (key, entry) pairs: every word-start suffix of titles and tags, as keystroke jamo
    (Hangul) or lower case (Latin), plus the 초성 of Korean ones."""

    def __init__(self, snapshot: IndexSnapshot):
        pairs: list[tuple[str, int, _Entry]] = []
        self.titles: dict[tuple[str, str], str] = {}
        self.locales: dict[str, tuple[str, ...]] = {}
        for number, stored in enumerate(snapshot.searcher.documents()):
            slug = stored["slug"]
            self.locales[slug] = tuple(stored["locales"].split())
            for locale in self.locales[slug]:
                tr = stored["doc"][locale]
                self.titles[slug, locale] = tr["title"]
                texts = [(tr["title"], TITLE_START), *((tag, TAG) for tag in tr["tags"])]
                for text, place in texts:
                    for start, key in _keys(text):
                        here = place if place == TAG or start == 0 else TITLE_WORD
                        pairs.append((key, number, _Entry(here, slug, locale, text)))
        pairs.sort(key=lambda p: (p[0], p[1]))
        self.keys = [key for key, _, _ in pairs]
        self.entries = [entry for _, _, entry in pairs]

    def lookup(self, prefix: str) -> list[_Entry]:
        found = []
        at = bisect.bisect_left(self.keys, prefix)
        while at < len(self.keys) and self.keys[at].startswith(prefix):
            found.append(self.entries[at])
            at += 1
        return found


@per_build
def completion_table(snapshot: IndexSnapshot) -> CompletionTable:
    """The table of one build, made once (a build never changes)."""
    return CompletionTable(snapshot)


def suggest(
    index: KnowledgeIndex, prefix: str, locale: str, limit: int = MAX_COMPLETIONS
) -> list[Completion]:
    """Up to ``limit`` completions for what the reader has typed so far, best first."""
    text = " ".join(normalize_text(prefix).split())[:MAX_PREFIX_CHARS].casefold()
    if not text:
        return []
    table = completion_table(index.snapshot())
    matches: dict[tuple[str, str], tuple[int, int, _Entry]] = {}
    for order, key in enumerate(_query_keys(text)):
        for entry in table.lookup(key):
            shown = entry if entry.place == TAG else _in_locale(table, entry, locale)
            rank = (entry.place, order, 0 if shown.locale == locale else 1)
            known = matches.get((shown.slug, shown.text))
            if known is None or rank < known[:3]:
                matches[shown.slug, shown.text] = (*rank, shown)
    best = sorted(matches.values(), key=lambda m: (m[:3], len(m[3].text), m[3].text))
    return [
        Completion(
            text=entry.text,
            kind="term" if entry.place == TAG else "article",
            slug=entry.slug,
            locale=entry.locale,
            fallback=locale not in table.locales[entry.slug],
        )
        for *_, entry in _unique(best)[:limit]
    ]


def _in_locale(table: CompletionTable, entry: _Entry, locale: str) -> _Entry:
    """A title match shown as the article's title in the reader's locale, when it has one."""
    shown = display_locale(table.locales[entry.slug], locale)
    return _Entry(entry.place, entry.slug, shown, table.titles[entry.slug, shown])


def _unique(ranked: list[tuple]) -> list[tuple]:
    """One title per article and one completion per term (each its best-ranked match)."""
    seen: set[tuple[str, str]] = set()
    out = []
    for match in ranked:
        entry = match[-1]
        key = ("term", entry.text.casefold()) if entry.place == TAG else ("article", entry.slug)
        if key not in seen:
            seen.add(key)
            out.append(match)
    return out


def _keys(text: str) -> list[tuple[int, str]]:
    """(start, key) for each word start in ``text``: keystrokes, and 초성 for Hangul."""
    folded = text.casefold()
    keys = []
    for match in WORD_START.finditer(folded):
        rest = folded[match.start() :]
        keys.append((match.start(), decompose(rest)))
        chosung = "".join(initials(word) for word in HANGUL_RUN.findall(rest))
        if chosung:
            keys.append((match.start(), chosung))
    return keys


def _query_keys(text: str) -> list[str]:
    """What the typed text may stand for, most literal first."""
    keys = [decompose(text)]
    if is_initials(text):
        keys.append("".join(text.split()))
    if text.isascii():
        keys.append(decompose(qwerty_to_hangul(text)))
    else:
        keys.append(hangul_to_qwerty(text).casefold())
    return list(dict.fromkeys(k for k in keys if k))
