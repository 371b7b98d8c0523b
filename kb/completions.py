"""Completions as the reader types: titles and tags matching a prefix, in the reader's locale.

A prefix matches however it was typed: part of a syllable (``가바ㅍ``, ``가밮``), 초성
(``ㄱㅂㅍㅌ``), or with the keyboard in the wrong mode (``rkqk``). Each index build gets one
sorted table of keys, made on first use, so a keystroke costs a few binary searches.
"""

from __future__ import annotations

import itertools
import logging
import re
import threading
from dataclasses import dataclass
from weakref import WeakKeyDictionary, WeakSet

import numpy as np

from kb.analysis.hangul import (
    HANGUL_RUN,
    decompose,
    hangul_to_qwerty,
    initials,
    is_initials,
    qwerty_to_hangul,
)
from kb.cache import per_build
from kb.content import LOCALES, normalize_text
from kb.schema import MatchPlace, display_locale
from kb.snapshot import IndexSnapshot, KnowledgeIndex
from kb.sortedkeys import SortedKeys

log = logging.getLogger(__name__)

MAX_COMPLETIONS = 8
MAX_PREFIX_CHARS = 64
WORD_START = re.compile(r"(?:^|(?<=[\s(/·,:]))\S")
TITLE_START, TITLE_WORD, TAG = MatchPlace.TITLE_START, MatchPlace.TITLE_WORD, MatchPlace.TAG


@dataclass(frozen=True)
class Completion:
    """A title (``kind`` "article") or a tag ("term") to offer, for article ``slug``."""

    text: str
    kind: str
    slug: str
    locale: str  # the locale of ``text``
    fallback: bool  # the article has no translation in the reader's locale


class CompletionTable:
    """Every word-start suffix of titles and tags as a sorted key (keystroke jamo for Hangul,
    lower case for Latin, plus the 초성 of Korean ones), with columns saying what each row is.

    A prefix is a range of rows found by bisection; ranking the range is a handful of numpy
    operations, so a one-letter prefix matching thousands of rows costs about as little as a long
    one.
    """

    def __init__(self, snapshot: IndexSnapshot):
        texts: dict[str, int] = {}
        rows: list[tuple[str, int, int, int, int]] = []  # key, place, slug, locale, text
        self.slugs: list[str] = []
        self.locales: dict[str, tuple[str, ...]] = {}
        titles: list[dict[str, int]] = []
        for _, article in snapshot.engine.articles():
            slug_id = len(self.slugs)
            self.slugs.append(article.slug)
            self.locales[article.slug] = article.locales
            titles.append({})
            for locale, tr in article.translations.items():
                where = LOCALES.index(locale)
                for text, place in [(tr.title, TITLE_START), *((t, TAG) for t in tr.tags)]:
                    text_id = texts.setdefault(text, len(texts))
                    if place == TITLE_START:
                        titles[slug_id][locale] = text_id
                    for start, key in _keys(text):
                        here = place if place == TAG or start == 0 else TITLE_WORD
                        rows.append((key, here, slug_id, where, text_id))
        rows.sort(key=lambda row: row[0])  # stable: ties stay in document order
        self.keys = SortedKeys(row[0] for row in rows)
        self.texts = list(texts)
        # Each column as narrow as its values (10 bytes a row, not 32): 190,000 rows at 10,000
        # articles. Products of them are taken in int64 (see best()).
        columns = np.array([row[1:] for row in rows], dtype=np.int32).reshape(-1, 4)
        self.place, self.locale = columns[:, 0].astype(np.int8), columns[:, 2].astype(np.int8)
        self.slug, self.text = columns[:, 1].copy(), columns[:, 3].copy()
        self.text_length = np.array([len(t) for t in self.texts], dtype=np.int64)
        self.text_order = _ranks(self.texts)
        self.term_group = len(self.slugs) + _ranks([t.casefold() for t in self.texts])
        # per reader locale: the locale and title each article is shown with
        self.shown_locale = {}
        self.shown_title = {}
        for locale in LOCALES:
            shown = [display_locale(self.locales[slug], locale) for slug in self.slugs]
            self.shown_locale[locale] = np.array([LOCALES.index(s) for s in shown], np.int64)
            self.shown_title[locale] = np.array(
                [titles[n][s] for n, s in enumerate(shown)], dtype=np.int64
            )

    def rows(self, prefix: str) -> range:
        """The rows whose key starts with ``prefix``."""
        return self.keys.prefixed(prefix)

    def best(self, keys: list[str], locale: str, limit: int) -> list[Completion]:
        """The ``limit`` best completions for any of ``keys`` (most literal first).

        Order: where the match is (title start, title word, tag), which key matched, shown in
        the reader's locale, shorter, alphabetical; one completion per article title and per
        term.
        """
        spans = [self.rows(key) for key in keys]
        rows = np.concatenate([np.arange(s.start, s.stop) for s in spans])
        if not len(rows):
            return []
        order = np.concatenate([np.full(len(s), n) for n, s in enumerate(spans)])
        place, slug = self.place[rows], self.slug[rows]
        tag = place == TAG
        shown_locale = np.where(tag, self.locale[rows], self.shown_locale[locale][slug])
        text = np.where(tag, self.text[rows], self.shown_title[locale][slug])
        elsewhere = shown_locale != LOCALES.index(locale)
        ranked = np.lexsort(
            (np.arange(len(rows)), self.text_order[text], self.text_length[text], elsewhere,
             order, place)
        )  # fmt: skip
        # each (article, text) at its best rank, then one per title and one per term
        first = _firsts(slug[ranked].astype(np.int64) * len(self.texts) + text[ranked])
        ranked = ranked[first]
        group = np.where(tag[ranked], self.term_group[text[ranked]], slug[ranked])
        ranked = ranked[_firsts(group)][:limit]
        return [
            Completion(
                text=self.texts[text[n]],
                kind="term" if tag[n] else "article",
                slug=self.slugs[slug[n]],
                locale=LOCALES[shown_locale[n]],
                fallback=locale not in self.locales[self.slugs[slug[n]]],
            )
            for n in ranked.tolist()
        ]


def _ranks(values: list[str]) -> np.ndarray:
    """Each value's position in sorted order (equal values share one)."""
    _, inverse = np.unique(np.array(values, dtype=object), return_inverse=True)
    return inverse.astype(np.int64)


def _firsts(keys: np.ndarray) -> np.ndarray:
    """Positions of each key's first occurrence, in their original order."""
    _, first = np.unique(keys, return_index=True)
    return np.sort(first)


@per_build
def completion_table(snapshot: IndexSnapshot) -> CompletionTable:
    """The table of one build, made once (a build never changes)."""
    return CompletionTable(snapshot)


class CompletionTables:
    """Each build's table, or while a newly swapped-in build's is being made (seconds at
    10,000 articles, after every update), the newest one made so far: a reader typing gets
    completions one build behind instead of waiting, and so do the requests a worker holds."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # per open index: the newest build whose table is made, and the table
        self._newest: WeakKeyDictionary[KnowledgeIndex, tuple[str, CompletionTable]] = (
            WeakKeyDictionary()
        )
        self._making: WeakSet[IndexSnapshot] = WeakSet()

    def table(self, index: KnowledgeIndex, *, stale_ok: bool = False) -> CompletionTable:
        """The live build's table; with ``stale_ok``, the newest one made so far if the build's
        own is not ready, which is then made in a background thread."""
        snapshot = index.snapshot()
        made = completion_table.peek(snapshot)
        if made is not None:
            return made
        with self._lock:
            newest = self._newest.get(index, ("", None))[1]
            start = stale_ok and newest is not None and snapshot not in self._making
            if start:
                self._making.add(snapshot)
        if not stale_ok or newest is None:
            return self._made(index, snapshot)
        if start:
            threading.Thread(
                target=self._made_aside, args=(index, snapshot), name="completion-table",
                daemon=True,
            ).start()  # fmt: skip
        return newest

    def _made_aside(self, index: KnowledgeIndex, snapshot: IndexSnapshot) -> None:
        """:meth:`_made` in the background: a failure is logged, and the next reader retries."""
        try:
            self._made(index, snapshot)
        except Exception as problem:  # a thread has no caller to raise to
            log.warning("completion table of %s not made: %s", snapshot.build_dir, problem)

    def _made(self, index: KnowledgeIndex, snapshot: IndexSnapshot) -> CompletionTable:
        try:
            table = completion_table(snapshot)
        finally:
            with self._lock:
                self._making.discard(snapshot)
        build = snapshot.build_dir.name
        with self._lock:  # build names sort by the time they were started
            if build >= self._newest.get(index, ("", None))[0]:
                self._newest[index] = (build, table)
        return table


_tables = CompletionTables()


def suggest(
    index: KnowledgeIndex,
    prefix: str,
    locale: str,
    limit: int = MAX_COMPLETIONS,
    *,
    stale_ok: bool = False,
) -> list[Completion]:
    """Up to ``limit`` completions for what the reader has typed so far, best first. With
    ``stale_ok`` (the web app), right after a build swap they may come from the build before
    while the new build's table is made in the background."""
    text = " ".join(normalize_text(prefix).split())[:MAX_PREFIX_CHARS].casefold()
    if not text:
        return []
    table = _tables.table(index, stale_ok=stale_ok)
    return table.best(_query_keys(text), locale, limit)


def _keys(text: str) -> list[tuple[int, str]]:
    """(start, key) for each word start in ``text``: keystrokes, and 초성 for Hangul.

    Both are made once for the whole text and sliced per word start (a word start never falls
    inside a Hangul run, so each suffix's 초성 are those of the runs after it).
    """
    folded = text.casefold()
    pieces = [decompose(ch) for ch in folded]
    offsets = list(itertools.accumulate(map(len, pieces), initial=0))
    keystrokes = "".join(pieces)
    runs = [(m.start(), initials(m.group())) for m in HANGUL_RUN.finditer(folded)]
    keys = []
    for match in WORD_START.finditer(folded):
        start = match.start()
        keys.append((start, keystrokes[offsets[start] :]))
        chosung = "".join(lead for at, lead in runs if at >= start)
        if chosung:
            keys.append((start, chosung))
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
