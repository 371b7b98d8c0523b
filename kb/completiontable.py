"""A build's completion table, made and written with the build and mapped from its file: the one
place that makes, writes and reads it.

Every word-start suffix of every title and tag is a sorted key (keystroke jamo for Hangul, lower
case for Latin, plus the 초성 of Korean ones), with columns saying what each row is. Made in each
server worker instead (as until 2026-12-02), a 10,000-article table took 2.7 s of every worker
after every update, and ~30 MiB of each worker's heap for a 16 MiB table: the hundreds of
thousands of short strings made on the way leave the heap in pieces that are never returned.
An update makes the next table from the live one and the changed articles only.

Rows are in one canonical order (key, then article, place, locale and text, articles and texts
numbered in sorted order), so an updated table is the table a full build would write.
"""

from __future__ import annotations

import bisect
import itertools
import json
import mmap
import os
import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from kb.analysis.hangul import HANGUL_RUN, decompose_word, initials
from kb.content import LOCALES, Article
from kb.mapped import drop_cached_pages
from kb.schema import MatchPlace, StoredArticle
from kb.sortedkeys import CODE, PackedTexts, Positional, SortedKeys, texts_of

FILE = "completions.bin"
MAGIC = b"kb completion table 1\n"
ALIGN = 64  # each array starts at a multiple of this many bytes

WORD_START = re.compile(r"(?:^|(?<=[\s(/·,:]))\S")
TITLE_START, TITLE_WORD, TAG = MatchPlace.TITLE_START, MatchPlace.TITLE_WORD, MatchPlace.TAG

# What the table needs of an article: its slug and, per published locale, its title and tags.
Entry = tuple[str, dict[str, tuple[str, tuple[str, ...]]]]


class Row(NamedTuple):
    """One key and what it completes to, in the table's order."""

    key: str
    slug: int
    place: int
    locale: int
    text: int


@dataclass(frozen=True)
class CompletionTable:
    """The rows (``keys`` sorted, with a column each for ``place``, ``slug``, ``locale`` and
    ``text``), the titles and tags they complete to (``texts``, sorted, so a text's number is
    its rank), and per article (``slugs``, sorted) its locales as bits and its title in each."""

    keys: SortedKeys
    place: np.ndarray  # int8 per row: a MatchPlace
    slug: np.ndarray  # int32 per row
    locale: np.ndarray  # int8 per row: the place in LOCALES of the text's locale
    text: np.ndarray  # int32 per row
    texts: PackedTexts
    term_group: np.ndarray  # int32 per text: texts equal but for case share one
    slugs: PackedTexts
    slug_locales: np.ndarray  # uint8 per article: bit i set when it has LOCALES[i]
    slug_titles: np.ndarray  # int32 (articles, locales): its title's text, -1 without

    def rows(self, prefix: str) -> range:
        """The rows whose key starts with ``prefix``."""
        return self.keys.prefixed(prefix)

    def has_locale(self, slug: int, locale: str) -> bool:
        return bool(self.slug_locales[slug] >> LOCALES.index(locale) & 1)

    @cached_property
    def text_length(self) -> np.ndarray:
        return self.texts.lengths()

    def shown(self, locale: str) -> tuple[np.ndarray, np.ndarray]:
        """Per article, the locale it is shown in to a reader of ``locale`` (its own when it
        has it, else the first of LOCALES it has) and the title shown."""
        return self._shown[LOCALES.index(locale)]

    @cached_property
    def _shown(self) -> list[tuple[np.ndarray, np.ndarray]]:
        found = []
        articles = np.arange(len(self.slugs))
        for wanted in range(len(LOCALES)):
            shown = np.full(len(self.slugs), -1, dtype=np.int64)
            for n in [wanted, *range(len(LOCALES))]:
                shown = np.where((shown < 0) & (self.slug_locales >> n & 1 == 1), n, shown)
            title = self.slug_titles[articles, np.maximum(shown, 0)].astype(np.int64)
            found.append((np.maximum(shown, 0), title))
        return found

    def write(self, build_dir: Path) -> None:
        """The table as ``build_dir/FILE``, under another name until complete (the folder may
        hold a hard link to the previous build's file, which must stay as it is). Its pages
        leave the page cache, so a server maps the few its lookups read (see kb.mapped)."""
        arrays = {name: getattr(self, name) for name in _ARRAYS}
        for name in _PACKED:
            packed = getattr(self, name)
            arrays[f"{name}.codes"], arrays[f"{name}.starts"] = packed.codes, packed.starts
        header: dict[str, Any] = {}
        offset = 0
        for name, array in arrays.items():
            header[name] = {"dtype": array.dtype.str, "shape": list(array.shape), "at": offset}
            offset += _padded(array.nbytes)
        head = json.dumps(header, separators=(",", ":")).encode()
        start = _padded(len(MAGIC) + 8 + len(head))
        target = build_dir / FILE
        scratch = target.with_name(target.name + ".tmp")
        with scratch.open("wb") as out:
            out.write(MAGIC + len(head).to_bytes(8, "little") + head)
            for name, array in arrays.items():
                out.seek(start + header[name]["at"])
                out.write(np.ascontiguousarray(array).data)
            out.truncate(start + offset)
            out.flush()
            os.fsync(out.fileno())  # written pages can be dropped only once on disk
            drop_cached_pages(out)
        os.replace(scratch, target)

    @classmethod
    def read(cls, build_dir: Path) -> CompletionTable | None:
        """The build's table, mapped; None for a build made before tables were stored. Raises
        ValueError or OSError for a file that is not a whole table."""
        path = build_dir / FILE
        if not path.exists():
            return None
        with path.open("rb") as file:
            whole = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        whole.madvise(mmap.MADV_RANDOM)  # a lookup reads a page here and there
        if whole[: len(MAGIC)] != MAGIC:
            raise ValueError(f"{FILE} is not a completion table")
        size = int.from_bytes(whole[len(MAGIC) : len(MAGIC) + 8], "little")
        header = json.loads(whole[len(MAGIC) + 8 : len(MAGIC) + 8 + size])
        start = _padded(len(MAGIC) + 8 + size)
        arrays = {}
        for name, spec in header.items():
            dtype, shape = np.dtype(spec["dtype"]), tuple(spec["shape"])
            count = int(np.prod(shape, dtype=np.int64))
            at = start + spec["at"]
            if at + count * dtype.itemsize > len(whole):
                raise ValueError(f"{FILE} is cut short ({name})")
            arrays[name] = np.frombuffer(whole, dtype, count, at).reshape(shape)
        return cls.of_arrays(arrays)

    @classmethod
    def of_arrays(cls, arrays: dict[str, np.ndarray]) -> CompletionTable:
        """The table of named arrays, each checked for its type and length."""
        packed = {name: PackedTexts(arrays[f"{name}.codes"], arrays[f"{name}.starts"])
                  for name in _PACKED}  # fmt: skip
        table = cls(
            keys=SortedKeys(packed["keys"]),
            texts=packed["texts"],
            slugs=packed["slugs"],
            **{name: arrays[name] for name in _ARRAYS},
        )
        table._check_shapes()
        return table

    def _check_shapes(self) -> None:
        rows, texts, slugs = len(self.keys), len(self.texts), len(self.slugs)
        for name, kind, length in (
            ("place", np.int8, rows), ("slug", np.int32, rows), ("locale", np.int8, rows),
            ("text", np.int32, rows), ("term_group", np.int32, texts),
            ("slug_locales", np.uint8, slugs), ("slug_titles", np.int32, slugs),
        ):  # fmt: skip
            column = getattr(self, name)
            if column.dtype != kind or len(column) != length:
                raise ValueError(f"{FILE}: a column {name} of {column.dtype} × {len(column)}")
        if self.slug_titles.shape[1:] != (len(LOCALES),):
            raise ValueError(f"{FILE}: titles for {self.slug_titles.shape[1:]} locales")

    def check(self) -> None:
        """Raise ValueError unless every row points at an article, a text and a locale there
        are (what a build is checked for before it is published; it reads every row)."""
        for packed in (self.keys, self.texts, self.slugs):
            packed.check()
        for name, column, limit in (("slug", self.slug, len(self.slugs)),
                                    ("text", self.text, len(self.texts)),
                                    ("locale", self.locale, len(LOCALES))):  # fmt: skip
            if len(column) and not (column.min() >= 0 and column.max() < limit):
                raise ValueError(f"{FILE}: a row's {name} out of range")


_ARRAYS = ("place", "slug", "locale", "text", "term_group", "slug_locales", "slug_titles")
_PACKED = ("keys", "texts", "slugs")


def _padded(size: int) -> int:
    return -(-size // ALIGN) * ALIGN


def entry(article: Article | StoredArticle) -> Entry:
    """What the table needs of an article as the content holds it (its drafts left out, as
    the index leaves them) or as a build stores it."""
    if isinstance(article, Article):
        shown = {loc: article.translations[loc] for loc in article.published}
        return article.slug, {loc: (tr.title, tuple(tr.tags)) for loc, tr in shown.items()}
    return article.slug, {loc: (tr.title, tr.tags) for loc, tr in article.translations.items()}


def next_table(
    previous: CompletionTable | None, add: Sequence[Entry], live: Collection[str]
) -> CompletionTable:
    """The table of a build holding ``previous``'s articles still ``live`` and not in ``add``,
    and the articles of ``add``: kept rows are carried over as arrays, and only ``add``'s
    titles and tags are cut into keys. ``previous`` itself when it already is that table (an
    edit of articles' bodies alone, the usual update), so the build keeps its file as it is."""
    if previous is None:
        previous = _EMPTY
    elif _already_holds(previous, add, live):
        return previous
    replaced = {slug for slug, _ in add}
    old_slugs = texts_of(previous.slugs)
    keeps = np.array([s in live and s not in replaced for s in old_slugs], dtype=bool)
    slugs = sorted({s for s, kept in zip(old_slugs, keeps, strict=True) if kept} | replaced)
    slug_number = {slug: n for n, slug in enumerate(slugs)}
    numbers = [slug_number[s] if k else -1 for s, k in zip(old_slugs, keeps, strict=True)]
    slug_map = np.array(numbers, dtype=np.int32)

    kept_rows = keeps[previous.slug] if len(old_slugs) else np.zeros(len(previous.keys), bool)
    kept_titles = previous.slug_titles[keeps]
    old_texts = texts_of(previous.texts)
    used = np.zeros(len(old_texts), dtype=bool)
    used[previous.text[kept_rows]] = True
    used[kept_titles[kept_titles >= 0]] = True
    fresh = {t for _, shown in add for title, tags in shown.values() for t in (title, *tags)}
    texts = sorted({old_texts[i] for i in np.flatnonzero(used)} | fresh)
    text_number = {text: n for n, text in enumerate(texts)}
    text_map = np.full(len(old_texts) + 1, -1, dtype=np.int32)  # the last: "no title" stays -1
    text_map[np.flatnonzero(used)] = [text_number[old_texts[i]] for i in np.flatnonzero(used)]

    locales = np.zeros(len(slugs), dtype=np.uint8)
    titles = np.full((len(slugs), len(LOCALES)), -1, dtype=np.int32)
    locales[slug_map[keeps]] = previous.slug_locales[keeps]
    titles[slug_map[keeps]] = text_map[kept_titles]
    rows: list[Row] = []
    for slug, shown in add:
        n = slug_number[slug]
        for locale, (title, _) in shown.items():
            where = LOCALES.index(locale)
            locales[n] |= 1 << where
            titles[n, where] = text_number[title]
        rows += (Row(key, n, place, where, text_number[text])
                 for key, place, where, text in _entry_rows(shown))  # fmt: skip
    rows = sorted(set(rows))

    kept = _Rows(
        _kept_keys(previous.keys, kept_rows), slug_map[previous.slug[kept_rows]],
        previous.place[kept_rows], previous.locale[kept_rows],
        text_map[previous.text[kept_rows]],
    )  # fmt: skip
    places = [bisect.bisect_left(kept, row) for row in rows] if len(kept) else [0] * len(rows)
    at = np.array(places, dtype=np.int64)
    return CompletionTable(
        keys=SortedKeys(_merged_keys(kept.keys, PackedTexts.of(r.key for r in rows), at)),
        place=_merged(kept.place, [r.place for r in rows], at, np.int8),
        slug=_merged(kept.slug, [r.slug for r in rows], at, np.int32),
        locale=_merged(kept.locale, [r.locale for r in rows], at, np.int8),
        text=_merged(kept.text, [r.text for r in rows], at, np.int32),
        texts=PackedTexts.of(texts),
        term_group=(len(slugs) + _ranks([t.casefold() for t in texts])).astype(np.int32),
        slugs=PackedTexts.of(slugs),
        slug_locales=locales,
        slug_titles=titles,
    )


def _entry_rows(
    shown: dict[str, tuple[str, tuple[str, ...]]],
) -> Iterator[tuple[str, int, int, str]]:
    """(key, place, locale, text) of each row an article's titles and tags make."""
    for locale, (title, tags) in shown.items():
        where = LOCALES.index(locale)
        for text, tag in ((title, False), *((t, True) for t in tags)):
            for start, key in _keys(text):
                place = TAG if tag else TITLE_START if start == 0 else TITLE_WORD
                yield key, int(place), where, text


def _already_holds(table: CompletionTable, add: Sequence[Entry], live: Collection[str]) -> bool:
    """Whether ``table`` has exactly the articles ``live`` and each of ``add`` with the rows and
    titles it would be given: then the next table is this one, and nothing need be cut again."""
    slugs = texts_of(table.slugs)
    number = {slug: n for n, slug in enumerate(slugs)}
    if len(slugs) != len(live) or not all(slug in number for slug in live):
        return False
    if not all(slug in number for slug, _ in add):
        return False
    wanted = {number[slug]: shown for slug, shown in add}
    held: dict[int, set[tuple[str, int, int, str]]] = {n: set() for n in wanted}
    for at in np.flatnonzero(np.isin(table.slug, list(wanted))).tolist():
        row = (table.keys[at], int(table.place[at]), int(table.locale[at]))
        held[int(table.slug[at])].add((*row, table.texts[table.text[at]]))
    for n, shown in wanted.items():
        bits = sum(1 << LOCALES.index(locale) for locale in shown)
        if int(table.slug_locales[n]) != bits or held[n] != set(_entry_rows(shown)):
            return False
        for locale, (title, _) in shown.items():
            if table.texts[table.slug_titles[n, LOCALES.index(locale)]] != title:
                return False
    return True


class _Rows(Positional[Row]):
    """Rows held as columns, read one at a time: what a new row is placed among by bisection."""

    def __init__(self, keys: PackedTexts, *columns: np.ndarray) -> None:
        self.keys = keys
        self.slug, self.place, self.locale, self.text = columns

    def __len__(self) -> int:
        return len(self.keys)

    def item(self, at: int) -> Row:
        return Row(self.keys[at], int(self.slug[at]), int(self.place[at]),
                   int(self.locale[at]), int(self.text[at]))  # fmt: skip


def _kept_keys(keys: PackedTexts, kept: np.ndarray) -> PackedTexts:
    """The keys of rows ``kept`` (a mask), still packed."""
    lengths = keys.lengths()
    codes = keys.codes[np.repeat(kept, lengths)]
    starts = np.concatenate([[0], np.cumsum(lengths[kept])]).astype(np.int64)
    return PackedTexts(np.ascontiguousarray(codes, dtype=CODE), starts)


def _final_places(kept: int, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each kept row and each new row lands, new row ``j`` going before kept row
    ``at[j]`` (``at`` ascending; ties keep the new rows' order)."""
    new = at + np.arange(len(at))
    old = np.arange(kept) + np.searchsorted(at, np.arange(kept), side="right")
    return old, new


def _merged(kept: np.ndarray, new: list[int], at: np.ndarray, dtype: type) -> np.ndarray:
    old, fresh = _final_places(len(kept), at)
    out: np.ndarray = np.empty(len(kept) + len(new), dtype=dtype)
    out[old], out[fresh] = kept, np.array(new, dtype=dtype)
    return out


def _merged_keys(kept: PackedTexts, new: PackedTexts, at: np.ndarray) -> PackedTexts:
    old, fresh = _final_places(len(kept), at)
    lengths = np.empty(len(kept) + len(new), dtype=np.int64)
    lengths[old], lengths[fresh] = kept.lengths(), new.lengths()
    starts = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    codes = np.empty(int(starts[-1]), dtype=CODE)
    for part, places in ((kept, old), (new, fresh)):
        shift = starts[places] - part.starts[:-1]
        codes[np.repeat(shift, part.lengths()) + np.arange(len(part.codes))] = part.codes
    return PackedTexts(codes, starts)


def _ranks(values: list[str]) -> np.ndarray:
    """Each value's position in sorted order (equal values share one)."""
    _, inverse = np.unique(np.array(values, dtype=object), return_inverse=True)
    return inverse.astype(np.int64).reshape(-1)


def _keys(text: str) -> list[tuple[int, str]]:
    """(start, key) for each word start in ``text``: keystrokes, and 초성 for Hangul.

    Both are made once for the whole text and sliced per word start (a word start never falls
    inside a Hangul run, so each suffix's 초성 are those of the runs after it).
    """
    folded = text.casefold()
    pieces = [decompose_word(ch) for ch in folded]
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


def made_from(articles: Iterable[Article | StoredArticle]) -> CompletionTable:
    """The table of these articles, made whole."""
    entries = [entry(a) for a in articles]
    return next_table(None, entries, {slug for slug, _ in entries})


_EMPTY = CompletionTable.of_arrays({
    **{f"{name}.codes": np.zeros(0, CODE) for name in _PACKED},
    **{f"{name}.starts": np.zeros(1, np.int64) for name in _PACKED},
    "place": np.zeros(0, np.int8), "slug": np.zeros(0, np.int32),
    "locale": np.zeros(0, np.int8), "text": np.zeros(0, np.int32),
    "term_group": np.zeros(0, np.int32), "slug_locales": np.zeros(0, np.uint8),
    "slug_titles": np.zeros((0, len(LOCALES)), np.int32),
})  # fmt: skip
