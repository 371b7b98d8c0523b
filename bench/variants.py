"""Experiments on the product's ranking, as data: other search parameters and re-orderings.

A *variant* is ``replace(DEFAULTS, …)`` passed down to ``kb.searching.find`` for a whole extra
pass; an *ordering* re-sorts the full list the product ranked (same matches, same BM25F scores),
so it costs nothing extra. Nothing in ``kb`` is patched.
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

from bench.systems import KbSystem, Ordering
from kb.params import DEFAULTS, FieldWeights, SearchParams

# (docnum, score, coverage) -> sort key, applied to the full list the lexical ranking made.
ORDERINGS: dict[str, Ordering] = {
    "bm25f": lambda r: (-r[1], r[0]),
    "cov2": lambda r: (-r[1] * r[2] ** 2, r[0]),
}

VARIANTS: dict[str, SearchParams] = {
    "bigram0": replace(DEFAULTS, bigram_score_boost=0.0),
    "bigram0.6": replace(DEFAULTS, bigram_score_boost=0.6),
    "bigram1.0": replace(DEFAULTS, bigram_score_boost=1.0),
    "title1": replace(DEFAULTS, field_weights=FieldWeights(title=1.0, tags=1.0, summary=1.0)),
    "title4": replace(DEFAULTS, field_weights=FieldWeights(title=4.0, tags=4.0)),
    # Side effects and precautions against the body (1.0: weighed alike).
    **{f"aside{a}": replace(DEFAULTS, field_weights=FieldWeights(aside=a)) for a in (0.1, 0.5, 1)},
    "bm25-0.9-0.4": replace(DEFAULTS, bm25_k1=0.9, bm25_b=0.4),
    "lucene-idf": replace(DEFAULTS, idf="lucene"),
    "asides-complete": replace(DEFAULTS, asides_complete=True),
    "idf-per-side": replace(DEFAULTS, idf_across_sides=False),
    "recall0.6": replace(DEFAULTS, bigram_recall_boost=0.6),
    "weak1.0": replace(DEFAULTS, weak_evidence=1.0),
    # A compound's parts where the index holds it whole in more articles (0: only by count).
    **{f"cshare{s}": replace(DEFAULTS, compound_max_share=s) for s in (0, 0.25, 1.0)},
    "head0": replace(DEFAULTS, compound_head_boost=0),
    "head1.0": replace(DEFAULTS, compound_head_boost=1.0),
    "cov1": replace(DEFAULTS, coverage_power=1),
    # A match by words nearly every article says beside a rarer one (1.0: every match counts).
    **{f"ubiq{u}": replace(DEFAULTS, ubiquitous_share=u) for u in (0.5, 1.0)},
    "asidejoin": replace(DEFAULTS, semantic_joins_by_asides=True),
    # The booster without terms found in more than this share of the articles (speed).
    **{f"booster{s}": replace(DEFAULTS, booster_max_share=s) for s in (1.0, 0.5, 0.25)},
    # Hybrid search: the share of meaning, and how close a semantic-only article must be.
    **{f"sem{w}": replace(DEFAULTS, semantic_weight=w) for w in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6)},
    **{
        f"semko{w}": replace(DEFAULTS, semantic_weight_korean=w)
        for w in (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 1.0)  # 1.0: meaning alone
    },
    # USE's cosines spread from 0; e5's sit near 0.8 for unrelated texts, hence two scales.
    **{
        f"minsim{m}": replace(DEFAULTS, semantic_min_similarity=m)
        for m in (0.2, 0.3, 0.4, 0.5, 0.7, 0.72, 0.75, 0.78, 0.8, 0.82, 0.85, 0.88)
    },
    **{
        f"margin{m}": replace(DEFAULTS, semantic_min_margin=m)
        for m in (0, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.1, 0.15, 0.2, 0.25)
    },
    **{f"fcov{p}": replace(DEFAULTS, fused_coverage_power=p) for p in (0, 0.5, 1, 2)},
    **{f"unc{b}": replace(DEFAULTS, semantic_uncovered_boost=b) for b in (0.0, 0.25, 0.5, 1.0)},
    **{f"cand{n}": replace(DEFAULTS, semantic_candidates=n) for n in (30, 50, 200, 400)},
    **{f"words{w}": replace(DEFAULTS, semantic_content_weight=w) for w in (0.0, 0.5, 1.0, 2.0)},
    # A Korean typo beside words that find enough: how much likelier Kiwi must read it fixed.
    **{f"ktypo{g}": replace(DEFAULTS, korean_typo_min_gain=g) for g in (3.0, 5.0, 12.0)},
    "ktypo-off": replace(DEFAULTS, korean_typo_min_gain=float("inf")),
    **{f"kslip{g}": replace(DEFAULTS, korean_slip_min_gain=g) for g in (5.0, 8.0)},
}
# The rankings every run reports: the product as shipped (hybrid) and its lexical half.
SHIPPED = ("kb", "kb/lexical")


def changes(params: SearchParams) -> dict[str, Any]:
    """The parameters that differ from the shipped ones."""
    return {
        f.name: getattr(params, f.name)
        for f in fields(params)
        if getattr(params, f.name) != getattr(DEFAULTS, f.name)
    }


def combine(*names: str) -> SearchParams:
    """Several variants at once (``a+b`` on the command line); later ones win."""
    merged: dict[str, Any] = {}
    for name in names:
        merged.update(changes(VARIANTS[name]))
    return replace(DEFAULTS, **merged)


def shipped_settings() -> str:
    """The shipped values of the parameters the variants change, for the report."""
    names = sorted({name for params in VARIANTS.values() for name in changes(params)})
    return ", ".join(f"`{name}` = {_shown(getattr(DEFAULTS, name))}" for name in names)


def _shown(value: Any) -> str:
    """A parameter's value; None leaves it to the build's encoder (kb.embedding.Fusion)."""
    return "the encoder's" if value is None else str(value)


def kb_systems(variants: list[str]) -> list[KbSystem]:
    """The product as shipped, then one system per requested variant (``name`` or ``a+b``)."""
    systems = [KbSystem("kb"), KbSystem("kb/lexical", orderings=ORDERINGS, mode="lexical")]
    for variant in variants:
        unknown = [n for n in variant.split("+") if n not in VARIANTS]
        if unknown:
            raise ValueError(f"unknown variant {unknown[0]!r}: use one of {', '.join(VARIANTS)}")
        params = combine(*variant.split("+"))
        systems.append(KbSystem(f"kb[{variant}]", params=params))  # hybrid: no re-orderings
    return systems
