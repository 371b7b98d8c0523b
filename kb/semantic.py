"""Meaning-based search over a build's passage vectors, and its fusion with lexical ranking.

A query's vector is compared with every passage (a matrix product over the memory-mapped
int8 codes); an article scores as its best passage, in either language. Fusion adds the two
signals, each scaled to 0..1 within the query's candidates: lexical matches keep their order
among themselves when meaning agrees, and articles that match no word of the query (another
language, other words for the same need) join when their meaning is close enough.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from kb.analysis.korean import content_words
from kb.cache import per_build
from kb.embedding import Encoder, Fusion, one_blas_thread
from kb.params import SearchParams
from kb.ranking import Ranking
from kb.snapshot import IndexSnapshot
from kb.vectors import PassageRows, VectorTable


@dataclass(frozen=True)
class ArticleRows:
    """Where each article's passages lie in the vector table: rows ``starts[i]`` up to
    ``ends[i]`` belong to the article stored as document ``docnums[i]``; ``runs`` are the
    first rows of every article's run, what a per-article maximum is reduced over."""

    runs: np.ndarray
    kept: np.ndarray  # which runs belong to a live article (all, in a verified build)
    docnums: np.ndarray

    @property
    def starts(self) -> np.ndarray:
        return self.runs[self.kept]

    def ends(self, total: int) -> np.ndarray:
        return np.append(self.runs[1:], total)[self.kept]


@dataclass(frozen=True)
class Meaning:
    """One query's closeness (cosine) to every passage, and to every article as its best
    passage's: ``similarity[i]`` is the article stored as ``docnums[i]``."""

    docnums: np.ndarray
    similarity: np.ndarray
    passages: np.ndarray  # per row of the build's vector table
    layout: ArticleRows
    rows: PassageRows
    fusion: Fusion  # how the encoder's cosines are weighed (its own scale)

    @property
    def closest(self) -> float:
        """How close the closest article is (cosine; 0 when the build has none)."""
        return float(self.similarity.max(initial=0.0))

    def best_passage(self, docnum: int, locale: str, outside_asides: bool = False) -> int | None:
        """The number of the article's passage in ``locale`` closest to the query (of those
        outside its side effects and precautions, when it has any and ``outside_asides``)."""
        row = self.best_row(docnum, locale, outside_asides)
        return None if row is None else self.rows.number(row)

    def closest_in_asides(self, docnum: int) -> bool:
        """Whether the article's passage closest to the query is among its side effects or
        precautions."""
        row = self.best_row(docnum)
        return row is not None and self.rows.aside(row)

    def best_row(
        self, docnum: int, locale: str | None = None, outside_asides: bool = False
    ) -> int | None:
        """The row of the article's passage closest to the query (in ``locale``, if given;
        outside its side effects and precautions, when it has any and ``outside_asides``)."""
        found = np.flatnonzero(self.docnums == docnum)
        if not len(found):
            return None
        i = int(found[0])
        first, end = int(self.layout.starts[i]), int(self.layout.ends(len(self.rows))[i])
        mine = [r for r in range(first, end) if locale in (None, self.rows.locale(r))]
        if outside_asides:
            mine = [r for r in mine if not self.rows.aside(r)] or mine
        return max(mine, key=lambda r: self.passages[r]) if mine else None


@per_build
def article_rows(snapshot: IndexSnapshot) -> ArticleRows:
    """The row ranges of every article with vectors, made once per build."""
    table = snapshot.vectors
    assert table is not None
    docnums: list[int] = []
    for slug in table.rows.slugs:
        found = snapshot.engine.docnum(slug)
        docnums.append(-1 if found is None else found)  # None: not in a verified build
    numbers = np.array(docnums, dtype=np.int64)
    kept = np.flatnonzero(numbers >= 0)
    return ArticleRows(table.rows.starts[:-1], kept, numbers[kept])


def meanings(
    snapshot: IndexSnapshot, encoder: Encoder, texts: list[str], params: SearchParams
) -> list[Meaning]:
    """How close each text is in meaning to every article of the build, with one encoder call
    for all of them (a correction is weighed against the text as typed). Each text then gets
    its own matrix-vector product: measured here, faster than one product with more columns."""
    table: VectorTable | None = snapshot.vectors
    assert table is not None
    layout = article_rows(snapshot)
    with one_blas_thread():
        all_sims = [table.similarities(v) for v in query_vectors(encoder, texts, params)]
    found = []
    for sims in all_sims:
        best = np.maximum.reduceat(sims, layout.runs)[layout.kept] if len(layout.runs) else sims[:0]
        found.append(Meaning(layout.docnums, best, sims, layout, table.rows, encoder.fusion))
    return found


def query_vectors(encoder: Encoder, texts: list[str], params: SearchParams) -> np.ndarray:
    """Each query's vector (one row per text): the text as typed plus, weighted, its content
    words alone. The encoder lines languages up better on bare words: a Korean question's
    particles and endings (``…은 무엇인가요``) pull it toward Korean passages of any subject."""
    weight = params.semantic_content_weight
    bare = [content_words(text) if weight > 0 else "" for text in texts]
    extra = [words for words, text in zip(bare, texts, strict=True) if words and words != text]
    batch = list(dict.fromkeys([*texts, *extra]))
    encoded = dict(zip(batch, encoder.queries(batch), strict=True))
    vectors = []
    for text, words in zip(texts, bare, strict=True):
        vector = encoded[text]
        if words and words != text:
            vector = vector + weight * encoded[words]
            vector = vector / max(float(np.linalg.norm(vector)), 1e-12)
        vectors.append(vector)
    return np.array(vectors, dtype=np.float32)


def query_vector(encoder: Encoder, text: str, params: SearchParams) -> np.ndarray:
    """One query's vector (see :func:`query_vectors`)."""
    return query_vectors(encoder, [text], params)[0]


def fuse(
    lexical: Ranking,
    close: Meaning,
    params: SearchParams,
    query: str,
    asides_asked: bool = False,
    section_of_named: bool = False,
    kind_named: bool = False,
) -> Ranking:
    """Lexical matches and the articles closest in meaning to ``query``, ordered by a weighted
    sum of both signals scaled to 0..1 (semantic-only articles: see :func:`joining`)."""
    weight = params.meaning_weight(query, close.fusion)
    best_coverage = float(lexical.coverage.max(initial=0.0))
    weight += params.semantic_uncovered_boost * (1 - weight) * (1 - best_coverage)
    if not len(close.docnums) or weight <= 0:
        return lexical  # meaning has no say: the words' own order, tiers and all
    size = int(max(lexical.docnums.max(initial=0), close.docnums.max())) + 1
    similarity = np.zeros(size)
    similarity[close.docnums] = close.similarity
    strength = np.zeros(size)
    strength[lexical.docnums] = _lexical_strength(lexical, params)
    coverage = np.zeros(size)
    coverage[lexical.docnums] = lexical.coverage
    docnums = np.union1d(
        lexical.docnums,
        joining(lexical, close, params, asides_asked, section_of_named, kind_named),
    )
    if not len(docnums):
        return lexical
    floor = _nth_highest(close.similarity, params.semantic_candidates)
    sims = similarity[docnums]
    meaning_share = np.clip((sims - floor) / max(float(sims.max()) - floor, 1e-9), 0.0, 1.0)
    fused = (1 - weight) * strength[docnums] + weight * meaning_share
    order = np.lexsort((docnums, -fused))
    return replace(lexical, docnums=docnums[order], scores=fused[order],
                   coverage=coverage[docnums][order])  # fmt: skip


def joining(
    lexical: Ranking,
    close: Meaning,
    params: SearchParams,
    asides_asked: bool = False,
    section_of_named: bool = False,
    kind_named: bool = False,
) -> np.ndarray:
    """The articles that join without a word of the query: among the ``semantic_candidates``
    closest, those at least as close as the encoder needs (``min_similarity``, and
    ``min_margin`` above the median of the other articles) and closer in meaning than the
    article the words rank first, so meaning adds only what beats the best word match. Nor,
    beside word matches, does one whose closest passage is among its side effects or
    precautions, which say what it is not for (`asthma`: zolpidem's "difficulty breathing"),
    unless ``asides_asked``; alone, it is all there is to show (`nightmares`: zolpidem's
    sleepwalking), but for a query naming a kind of medicine and not who takes it or how
    (``kind_named``: `피임약`), which every article's precautions on taking one are close to
    (a missed dose, pregnancy) whatever it is for. ``section_of_named``: the query asks for the
    side effects or precautions of an article it names (`zolpidem side effects`), so nothing
    joins by meaning (another's "side effects are uncommon" was closer than zolpidem's own
    list)."""
    if section_of_named:
        return lexical.docnums[:0]
    order = _highest(close.similarity, params.semantic_candidates)
    candidates = close.similarity[order]
    bars = np.full(len(order), params.min_similarity(close.fusion))
    margin = params.min_margin(close.fusion)
    if margin > 0:
        bars = np.maximum(bars, _median_of_others(close.similarity, candidates) + margin)
    if lexical.total:
        first = np.flatnonzero(close.docnums == lexical.docnums[0])
        if len(first):
            bars = np.maximum(bars, float(close.similarity[first[0]]) + 1e-9)
    chosen = order[candidates >= bars]
    joined = np.setdiff1d(close.docnums[chosen], lexical.docnums)
    if asides_asked or params.semantic_joins_by_asides or not (lexical.total or kind_named):
        return joined
    return joined[[not close.closest_in_asides(int(docnum)) for docnum in joined]]


def _median_of_others(values: np.ndarray, chosen: np.ndarray) -> np.ndarray:
    """For each of ``chosen`` (some of ``values``), the median of the values without it: what
    an article must stand out from. On a site of one article nothing is (-inf), and on a few
    the article itself would drag the median of all up to it."""
    n = len(values) - 1  # how many others each has
    if n <= 0:
        return np.full(len(chosen), -np.inf)
    low, high = (n - 1) // 2, n // 2  # the middle of the others, in sorted order
    ranked = np.partition(values, sorted({low, low + 1, high, high + 1}))

    def other(k: int) -> np.ndarray:
        """The others' k-th lowest: the k-th of all unless the one left out is at or below it."""
        return np.where(chosen >= ranked[k + 1], ranked[k], ranked[k + 1])

    return (other(low) + other(high)) / 2


def _highest(values: np.ndarray, count: int) -> np.ndarray:
    """Positions of the ``count`` highest values (all when fewer), without sorting them all:
    a query compares itself with every article, and only the closest hundred matter."""
    if count >= len(values):
        return np.arange(len(values))
    return np.argpartition(-values, count - 1)[:count]


def _nth_highest(values: np.ndarray, n: int) -> float:
    """The ``n``-th highest value (the lowest when there are fewer); ``values`` not empty."""
    n = min(n, len(values))
    if n <= 0:
        return float(values.min())
    return float(np.partition(values, len(values) - n)[len(values) - n])


def _lexical_strength(lexical: Ranking, params: SearchParams) -> np.ndarray:
    """Each lexical match's BM25F score × coverage ** fused_coverage_power, as a share of the
    best: how strongly its words match, not only its place (better than reciprocal ranks)."""
    strength = lexical.scores * lexical.coverage**params.fused_coverage_power
    best = strength.max(initial=0.0)
    return strength / best if best > 0 else strength
