"""Experiments on the product's ranking, applied from outside ``kb`` (nothing there is edited).

An *ordering* re-sorts the full list ``kb.search.rank`` returned (same matches, same BM25F
scores), so it costs nothing extra; a *patch* changes a parameter for a whole extra pass.
"""

from __future__ import annotations

import importlib
import math
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any
from unittest import mock

from whoosh import scoring

from bench.systems import KbSystem, Ordering, Patch, ranked_list

kb_query = importlib.import_module("kb.query")
kb_index = importlib.import_module("kb.index")
kb_search = importlib.import_module("kb.search")
kb_korean = importlib.import_module("kb.analysis.korean")
kb_ranking = importlib.import_module("kb.ranking")

# (docnum, score, coverage) -> sort key, applied to the full list ``kb.search.rank`` returned.
ORDERINGS: dict[str, Ordering] = {
    "bm25f": lambda r: (-r[1], r[0]),
    "cov2": lambda r: (-r[1] * r[2] ** 2, r[0]),
}


def constant(name: str, value: float) -> Patch:
    """A ``kb.query`` module constant set to ``value``."""
    return lambda: mock.patch.object(kb_query, name, value)


def field_boosts(**boosts: float) -> Patch:
    """``kb.query.FIELD_BOOSTS`` with some entries replaced."""
    return lambda: mock.patch.dict(kb_query.FIELD_BOOSTS, boosts)


class LuceneIdfBM25F(scoring.BM25F):
    """BM25F with Lucene's idf, log(1 + (N - df + 0.5) / (df + 0.5)), instead of Whoosh's
    log(N / (df + 1)) + 1, which keeps very common words worth at least 1."""

    def idf(self, searcher: Any, fieldname: str, text: str) -> float:
        parent = searcher.get_parent()
        df = parent.doc_frequency(fieldname, text)
        return math.log(1 + (parent.doc_count_all() - df + 0.5) / (df + 0.5))


def bm25(k1: float, b: float, weighting: type[scoring.BM25F] = scoring.BM25F) -> Patch:
    """Every snapshot searches with ``weighting(K1=k1, B=b)`` instead of Whoosh's default
    BM25F(1.2, 0.75)."""

    @contextmanager
    def patched() -> Iterator[None]:
        def searcher(snapshot: Any) -> Any:
            key = f"_bench_{weighting.__name__}_{k1}_{b}"
            if not hasattr(snapshot, key):
                setattr(snapshot, key, snapshot._ix.searcher(weighting=weighting(K1=k1, B=b)))
            return getattr(snapshot, key)

        with mock.patch.object(kb_index.IndexSnapshot, "searcher", property(searcher)):
            yield

    return patched


def concept_weight(searcher: Any, hits: set[int]) -> float:
    """BM25's idf of a concept from the number of documents it matches."""
    df = len(hits)
    return math.log(1 + (searcher.doc_count() - df + 0.5) / (df + 0.5))


def weaker(concept: Any) -> list[Any]:
    """The concept's weaker evidence: ``weak`` queries (bigram recall, glossary) or, in the
    older ``kb.query``, its one ``recall`` query."""
    recall = getattr(concept, "recall", None)
    return [*getattr(concept, "weak", ()), *([recall] if recall is not None else [])]


def coverage_tiers(original: Callable[[Any, Any], Any], weighted: bool) -> Callable[..., Any]:
    """The ordering committed up to ab8a9d6, over ``original``'s matches and BM25F scores:
    coverage tiers (the share of the query's concepts an article matches on its best language
    side), then matches through the reader's own words, then score; ``weighted`` counts each
    concept by its idf."""

    def rank(searcher: Any, parsed: Any) -> Any:
        scores = {d: score for d, score, _ in ranked_list(original(searcher, parsed))}
        best: dict[int, tuple[float, float]] = dict.fromkeys(scores, (0.0, 0.0))
        for concepts in parsed.concepts.values():
            covered: Counter[int] = Counter()
            direct: Counter[int] = Counter()
            total = 0.0
            for concept in concepts:
                found = set(searcher.docs_for_query(concept.direct))
                hits = found.union(*(searcher.docs_for_query(q) for q in weaker(concept)))
                weight = concept_weight(searcher, hits) if weighted else 1.0
                total += weight
                direct.update(dict.fromkeys(found, weight))
                covered.update(dict.fromkeys(hits, weight))
            for docnum in covered.keys() & best.keys():
                side = (covered[docnum] / total, direct[docnum] / total)
                best[docnum] = max(best[docnum], side)
        ranked = sorted(
            scores, key=lambda d: (-round(best[d][0], 6), -round(best[d][1], 6), -scores[d], d)
        )
        return as_rank_result([(docnum, scores[docnum], best[docnum][0]) for docnum in ranked])

    return rank


def replace_rank(weighted: bool) -> Patch:
    """``kb.search.rank`` re-ordered by :func:`coverage_tiers`."""

    @contextmanager
    def patched() -> Iterator[None]:
        tiers = coverage_tiers(kb_search.rank, weighted)
        with mock.patch.object(kb_search, "rank", tiers):
            yield

    return patched


def as_rank_result(ranked: list[tuple[int, float, float]]) -> Any:
    """What ``kb.search`` expects from ``rank``: a ``kb.ranking.Ranking`` where it exists, else
    the plain list (the committed ``kb`` before ``kb/ranking.py``)."""
    try:
        ranking = importlib.import_module("kb.ranking").Ranking
    except (ImportError, AttributeError):
        return ranked
    if hasattr(ranking, "from_list"):
        return ranking.from_list(ranked)
    return ranking(len(ranked), ranked)


def shipped_settings() -> str:
    """The measured tree's values of the parameters the patches change, for the report."""
    names = ("FIELD_BOOSTS", "BIGRAM_SCORE_BOOST", "BIGRAM_RECALL_BOOST")
    return ", ".join(f"`{n}` = {getattr(kb_query, n, '?')}" for n in names)


PATCHES: dict[str, Patch] = {
    "tiers": replace_rank(weighted=False),
    "idftiers": replace_rank(weighted=True),
    "bigram0": constant("BIGRAM_SCORE_BOOST", 0.0),
    "bigram0.6": constant("BIGRAM_SCORE_BOOST", 0.6),
    "bigram1.0": constant("BIGRAM_SCORE_BOOST", 1.0),
    "title1": field_boosts(title=1.0, tags=1.0, summary=1.0),
    "title2": field_boosts(title=2.0),
    "bm25-0.9-0.4": bm25(0.9, 0.4),
    "lucene-idf": bm25(1.2, 0.75, LuceneIdfBM25F),
    "recall0.6": constant("BIGRAM_RECALL_BOOST", 0.6),
    # The booster without terms found in more than this share of the articles (speed).
    **{
        f"booster{share}": lambda share=share: mock.patch.object(
            kb_ranking, "BOOSTER_MAX_SHARE", share
        )
        for share in (1.0, 0.5, 0.25)
    },
    # Query-side stop words (the index keeps its terms; a query just stops asking for them):
    # verbs that act as compound particles (에 대한, 에 따르면, 을 위해, 에 관한, 을 통해, 에 의해).
    "ko-particle-verbs": lambda: mock.patch.object(
        kb_korean,
        "STOP_LEMMAS",
        kb_korean.STOP_LEMMAS | {"대하", "따르", "위하", "관하", "통하", "의하"},
    ),
}


def combine(*names: str) -> Patch:
    """Several patches at once (``a+b`` on the command line)."""

    @contextmanager
    def patched() -> Iterator[None]:
        with ExitStack() as stack:
            for name in names:
                stack.enter_context(PATCHES[name]())
            yield

    return patched


def kb_systems(variants: list[str]) -> list[KbSystem]:
    """The product as shipped, then one system per requested patch (``name`` or ``a+b``)."""
    systems = [KbSystem("kb", orderings=ORDERINGS)]
    for variant in variants:
        unknown = [n for n in variant.split("+") if n not in PATCHES]
        if unknown:
            raise ValueError(f"unknown variant {unknown[0]!r}: use one of {', '.join(PATCHES)}")
        patch = combine(*variant.split("+"))
        systems.append(KbSystem(f"kb[{variant}]", patch=patch, orderings=ORDERINGS))
    return systems
