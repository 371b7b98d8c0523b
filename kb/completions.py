"""Completions as the reader types: titles and tags matching a prefix, in the reader's locale.

A prefix matches however it was typed: part of a syllable (``가바ㅍ``, ``가밮``), 초성
(``ㄱㅂㅍㅌ``), or with the keyboard in the wrong mode (``rkqk``). Each index build stores one
sorted table of keys (:mod:`kb.completiontable`), so a keystroke costs a few binary searches.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kb.analysis.english import LATIN_RUN
from kb.analysis.hangul import (
    HANGUL_RUN,
    decompose,
    hangul_to_qwerty,
    is_initials,
    is_jamo,
    qwerty_to_hangul,
)
from kb.cache import per_build
from kb.completiontable import TAG, CompletionTable, made_from
from kb.content import LOCALES, normalize_text
from kb.snapshot import IndexSnapshot, KnowledgeIndex

MAX_COMPLETIONS = 8
MAX_PREFIX_CHARS = 64
#: The shortest last word finished as a tag spells it: two syllables, or four Latin letters.
MIN_UNFINISHED_SYLLABLES = 2
MIN_UNFINISHED_LETTERS = 4


@dataclass(frozen=True)
class Completion:
    """A title (``kind`` "article") or a tag ("term") to offer, for article ``slug``."""

    text: str
    kind: str
    slug: str
    locale: str  # the locale of ``text``
    fallback: bool  # the article has no translation in the reader's locale


def best(table: CompletionTable, keys: list[str], locale: str, limit: int) -> list[Completion]:
    """The ``limit`` best completions for any of ``keys`` (most literal first).

    Order: where the match is (title start, title word, tag), which key matched, shown in
    the reader's locale, shorter, alphabetical; one completion per article title and per
    term.
    """
    spans = [table.rows(key) for key in keys]
    rows = np.concatenate([np.arange(s.start, s.stop) for s in spans])
    if not len(rows):
        return []
    order = np.concatenate([np.full(len(s), n) for n, s in enumerate(spans)])
    place, slug = table.place[rows], table.slug[rows]
    tag = place == TAG
    shown_locale, shown_title = table.shown(locale)
    shown = np.where(tag, table.locale[rows], shown_locale[slug])
    text = np.where(tag, table.text[rows], shown_title[slug])
    elsewhere = shown != LOCALES.index(locale)
    # a text's number is its rank among the build's texts: alphabetical order
    ranked = np.lexsort(
        (np.arange(len(rows)), text, table.text_length[text], elsewhere, order, place)
    )  # fmt: skip
    # each (article, text) at its best rank, then one per title and one per term
    first = _firsts(slug[ranked].astype(np.int64) * len(table.texts) + text[ranked])
    ranked = ranked[first]
    group = np.where(tag[ranked], table.term_group[text[ranked]], slug[ranked])
    ranked = ranked[_firsts(group)][:limit]
    return [
        Completion(
            text=table.texts[int(text[n])],
            kind="term" if tag[n] else "article",
            slug=table.slugs[int(slug[n])],
            locale=LOCALES[shown[n]],
            fallback=not table.has_locale(int(slug[n]), locale),
        )
        for n in ranked.tolist()
    ]


def _firsts(keys: np.ndarray) -> np.ndarray:
    """Positions of each key's first occurrence, in their original order."""
    _, first = np.unique(keys, return_index=True)
    return np.sort(first)


@per_build
def _made_here(snapshot: IndexSnapshot) -> CompletionTable:
    """The table of a build made before tables were stored with it, made once on first use
    (seconds at 10,000 articles; the next update stores one)."""
    return made_from(article for _, article in snapshot.engine.articles())


def table_of(snapshot: IndexSnapshot) -> CompletionTable:
    """The build's stored table, or one made here for an older build."""
    return snapshot.completions if snapshot.completions is not None else _made_here(snapshot)


def suggest(
    index: KnowledgeIndex, prefix: str, locale: str, limit: int = MAX_COMPLETIONS
) -> list[Completion]:
    """Up to ``limit`` completions for what the reader has typed so far, best first."""
    text = " ".join(normalize_text(prefix).split())[:MAX_PREFIX_CHARS].casefold()
    if not text:
        return []
    return best(table_of(index.snapshot()), _query_keys(text), locale, limit)


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


def finished_query(text: str, snapshot: IndexSnapshot) -> str | None:
    """``text`` with its last word finished, for a search that found nothing because the reader
    stopped mid-word: without a consonant or vowel begun after it (`타이레놀ㅇ` → `타이레놀`), or
    completed as an article's tag spells it (`타이레` → `타이레놀`, `gabapen` → `gabapentin`)."""
    *before, last = text.split() or [""]
    syllables = last
    while syllables and is_jamo(syllables[-1]):
        syllables = syllables[:-1]
    hangul = HANGUL_RUN.fullmatch(syllables) and len(syllables) >= MIN_UNFINISHED_SYLLABLES
    if hangul and syllables != last:
        return " ".join([*before, syllables])
    latin = LATIN_RUN.fullmatch(last) and len(last) >= MIN_UNFINISHED_LETTERS
    if not (hangul or latin):
        return None
    typed = last.casefold()
    for completion in best(table_of(snapshot), [decompose(typed)], LOCALES[0], MAX_COMPLETIONS):
        word = completion.text
        if completion.kind == "term" and " " not in word and word.casefold().startswith(typed):
            return " ".join([*before, word])
    return None
