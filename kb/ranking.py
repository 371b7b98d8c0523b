"""Ordering matches: coverage of the query's concepts first, then BM25F with coordination.

Every concept's postings are scored once, as arrays over all documents (:mod:`kb.scoring`), so
coverage, scores and the final order of all matches are a few vector operations.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import reduce
from typing import NamedTuple

import numpy as np

from kb.analysis import hangul_bigrams
from kb.analysis.hangul import HANGUL_RUN
from kb.analysis.korean import TAKING_LEMMAS
from kb.engine import EngineBuild, Leaf, TermLeaf
from kb.intent import AGAINST_STEMS, Span, is_medicine_word, overlaps
from kb.params import DEFAULTS, SearchParams
from kb.query import Concept, ParsedQuery, names_a_circumstance
from kb.schema import (
    ASIDE_FIELDS,
    EFFECTS_OF_ASIDES,
    RECALL_ASIDES,
    TITLE_FIELDS,
    WARNINGS_OF_ASIDES,
)
from kb.scoring import LeafScorer

COMPLETE = 1 - 1e-9  # coverage at which every concept matched (float sums)


@dataclass(frozen=True)
class Ranking:
    """All matches, best first, as parallel arrays of docnums, scores and coverage."""

    docnums: np.ndarray
    scores: np.ndarray
    coverage: np.ndarray
    # where the query's words are that no article has, on either side (query characters
    # start..end): the reader learns the results match only the rest (`위염 약`: 약), or, when
    # no word matched, that meaning alone found them
    unmatched: tuple[tuple[int, int], ...] = ()
    # where the query's words are that only frame the need (`really`; 부작용 and `drugs` where
    # a side effect some article lists is asked about; 먹는 약 beside a need): snippets are
    # chosen by the rest
    framing: tuple[tuple[int, int], ...] = ()
    # the matches (docnums, sorted) that warn about a condition the query names beside its
    # need (`임신 중 두통약`: ibuprofen's "do not use it at 20 weeks of pregnancy"); those
    # that warn about whom it names (pregnancy, children, older adults), to come after the
    # others serving the need (:func:`warned_last`); and those serving it (:func:`_need_met`),
    # to come before those that do not (:func:`need_first`). None of either when the query names
    # a medicine: `타이레놀 임산부` wants it first, warning and all
    warned: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    later: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    serving: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    # how many articles match any word of the query, those saying only words that do not name
    # the need included (`불먼증 약`: every article says 약; :func:`_saying_the_need`); None:
    # ``total``. Corrections weigh it as what the words found
    any_word: int | None = None
    # whether a word of the query names an article in its title (:func:`_named`)
    named: bool = False
    # where the words of the need are (query characters start..end) when every match says
    # them only among its side effects or precautions, and the reader asked about neither
    # (`코막힘 약`: losartan lists a stuffy nose as a side effect): none is for the need
    aside_only: tuple[tuple[int, int], ...] = ()

    @classmethod
    def from_list(cls, ranked: list[tuple[int, float, float]]) -> Ranking:
        """A ranking from (docnum, score, coverage) triples already in order."""
        columns = np.array(ranked, dtype=np.float64).reshape(-1, 3)
        return cls(columns[:, 0].astype(np.int64), columns[:, 1], columns[:, 2])

    @classmethod
    def empty(cls) -> Ranking:
        return cls(np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0))

    @property
    def total(self) -> int:
        return len(self.docnums)

    @property
    def found_by_any_word(self) -> int:
        return self.total if self.any_word is None else self.any_word

    @property
    def by_meaning(self) -> int:
        """How many matches have no word of the query: meaning alone joined them (hybrid)."""
        return int(np.count_nonzero(self.coverage <= 0))

    def page(self, first: int, last: int) -> list[tuple[int, float, float]]:
        """(docnum, score, coverage) of the matches ranked ``first`` to ``last - 1``."""
        part = slice(first, last)
        rows = zip(self.docnums[part], self.scores[part], self.coverage[part], strict=True)
        return [(int(d), float(s), float(c)) for d, s, c in rows]

    @property
    def ranked(self) -> list[tuple[int, float, float]]:
        return self.page(0, self.total)


class Coverage(NamedTuple):
    """What :func:`_coverage` finds, per document."""

    covered: np.ndarray  # by any evidence
    direct: np.ndarray  # by the reader's own words
    serving: np.ndarray  # meets the need beside the conditions named
    unmatched: tuple[tuple[int, int], ...]  # the query's words no article has
    saying: np.ndarray | None  # says the need (:func:`_saying_the_need`); None: any match does
    in_main: np.ndarray  # says a word of the need outside its side effects and precautions
    needs: tuple[tuple[int, int], ...]  # where the words of the need are in the query


def rank(build: EngineBuild, parsed: ParsedQuery, params: SearchParams = DEFAULTS) -> Ranking:
    """Every match, best first.

    Coverage is the idf-weighted share of the query's concepts an article matches, on its best
    language side, so a rare word counts for more than a common one. Articles matching every
    concept in the reader's own words come first, then those complete only through weaker
    evidence (bigram recall, glossary terms); partial matches follow, by BM25F times a strong
    coordination factor (coverage², weak evidence counted at half: see ``params``).
    """
    scorer = LeafScorer(build, params)
    framing = medicine_beside_a_need(parsed)  # as typed, before asking words turn common
    parsed, asked = _asides_asked(scorer, _amount_asked(scorer, parsed))
    scores = np.zeros(scorer.size)
    covered, direct, serving, unmatched, saying, in_main, needs = _coverage(
        scorer, parsed, scores, asked
    )
    any_word = int(np.count_nonzero(covered > 0))
    matched = np.flatnonzero(covered > 0 if saying is None else (covered > 0) & saying)
    if parsed.booster:  # adds score to matches, never matches
        _add_leaf_scores(scorer, _informative(scorer, _unasked(parsed, asked)), scores)
    warned_by = _warned(scorer, parsed)
    none = np.zeros(scorer.size, dtype=bool)
    warned = np.flatnonzero(reduce(np.logical_or, warned_by.values(), none) & (covered > 0))
    for_whom = (warned_by[span] for span in parsed.for_whom)
    later = np.flatnonzero(reduce(np.logical_or, for_whom, none) & (covered > 0))
    serving = np.flatnonzero(serving & (covered > 0))
    named = bool(_named(scorer, parsed).any())
    if (len(later) or len(serving)) and (params.asides_complete or named):
        later, serving = later[:0], serving[:0]
    said_aside = len(matched) > 0 and not in_main[matched].any()
    aside_only = needs if said_aside and not (asides_asked(parsed, params) or named) else ()
    covered, direct, scores = covered[matched], direct[matched], scores[matched]
    tier = np.where(direct > COMPLETE, 0, np.where(covered > COMPLETE, 1, 2))
    effective = direct + params.weak_evidence * (covered - direct)
    order = np.lexsort((matched, -scores * effective**params.coverage_power, tier))
    framing |= {(c.start, c.end) for cs in parsed.concepts.values() for c in cs
                if c.common and c.start >= 0}  # fmt: skip
    return Ranking(
        matched[order], scores[order], covered[order], unmatched, tuple(sorted(framing)),
        warned=warned, later=later, serving=serving, any_word=any_word, named=named,
        aside_only=aside_only,
    )  # fmt: skip


def asides_asked(parsed: ParsedQuery, params: SearchParams) -> bool:
    """Whether the query asks about side effects or precautions: which medicines cause a
    symptom or are bad for something (kb.intent), or a medicine's own (kb.asides)."""
    return params.asides_complete or bool(parsed.side_effects or parsed.cautions)


def need_first(ranking: Ranking) -> Ranking:
    """``ranking`` with the word matches that serve the need a query names beside a condition
    before those that do not, each in its order: `콩팥병 환자 진통제` wants a painkiller, not
    losartan, which treats kidney disease and names painkillers only among its interactions.
    Matches by meaning alone keep their places, and scores stay with the places.
    Run on the final order, before :func:`warned_last`."""
    serving = np.isin(ranking.docnums, ranking.serving)
    places = np.flatnonzero(ranking.coverage > 0)
    if not serving.any() or serving[places].all():
        return ranking
    moved = np.arange(ranking.total)
    moved[places] = np.concatenate([places[serving[places]], places[~serving[places]]])
    return _reordered(ranking, moved)


def warned_last(ranking: Ranking, params: SearchParams = DEFAULTS) -> Ranking:
    """``ranking`` with the articles that serve the need and do not warn about whom the query
    names moved up, just before the first that serves it and warns, if they score at least
    ``unwarned_share`` of it: `임신 중 두통약` lists acetaminophen before ibuprofen and aspirin,
    and the articles that serve no headache keep their order. Scores stay with the places, so
    they still descend (a client sorting by them keeps this order). Run on the final order
    (words, or words and meaning fused)."""
    if not len(ranking.later):
        return ranking
    serving = np.isin(ranking.docnums, ranking.serving)
    warns = np.isin(ranking.docnums, ranking.later)
    first = np.flatnonzero(serving & warns)
    if not len(first):
        return ranking
    at = first[0]
    places = np.arange(ranking.total)
    close = ranking.scores >= ranking.scores[at] * params.unwarned_share
    if serving[ranking.coverage > 0].all():
        # every word match serves the need (`임신 중 먹어도 되는 약`: any medicine), so a score
        # tells only how much an article says of the condition, which those warning say most
        close[:] = True
    up = (places > at) & serving & ~warns & close
    moved = np.concatenate([places[:at], places[up], places[at:][~up[at:]]])
    return _reordered(ranking, moved)


def _reordered(ranking: Ranking, moved: np.ndarray) -> Ranking:
    """``ranking``'s matches in the order of ``moved`` (their old places), each score staying
    with its place, so scores still descend."""
    return replace(ranking, docnums=ranking.docnums[moved], coverage=ranking.coverage[moved])


def _coverage(
    scorer: LeafScorer,
    parsed: ParsedQuery,
    scores: np.ndarray,
    asked: AsidesAsked,
) -> Coverage:
    """Per document: coverage by any evidence and by the reader's own words, idf-weighted, on
    its best language side (a match only among side effects counts as weak evidence unless
    ``asides_complete``, or the query asks about it as a side effect or a warning: the concepts
    ``asked``, or names the article (:func:`_named`), whose side effects then count as its body
    does, `advil 위장`); BM25F of every concept is summed into ``scores`` on the way, but for the
    words asking it, which only frame the need (and those only saying "medicine", which a side
    where no article says them leaves out). Also whether it serves the need beside the
    conditions the query names as well as any article does (:func:`_need_met`), whether it
    says the need (:func:`_saying_the_need`), and where the query's words are that no article
    has (:func:`_unmatched`)."""
    best_covered = np.zeros(scorer.size)
    best_direct = np.zeros(scorer.size)
    serving = np.zeros(scorer.size, dtype=bool)
    said: dict[object, np.ndarray] = {}  # per word naming the need: the articles saying it
    total_docs = scorer.build.live_count
    unscored = np.zeros(scorer.size)  # the words asking (부작용, 안 좋은 약) frame, not rank
    framing = medicine_beside_a_need(parsed)
    named: np.ndarray | None = None  # the articles the query names, read when first needed
    in_main = np.zeros(scorer.size, dtype=bool)
    needs: set[Span] = set()

    def unscoring(c: Concept) -> bool:
        return bool(c.asks and asked.spans) or (c.start, c.end) in framing

    matched = {side: [_asked_hits(scorer, c, scores, asked.twins) if (c.start, c.end) in asked.spans
                      else _concept_hits(scorer, c, unscored if unscoring(c) else scores)
                      for c in concepts]
               for side, concepts in parsed.concepts.items()}  # fmt: skip
    _with_stand_ins(scorer, parsed, matched, scores)
    # a word's weight is that of the articles it finds: not more common for beginning others
    weights = _concept_weights(parsed, matched, total_docs, scorer.params)
    for side, concepts in parsed.concepts.items():
        matched[side] = _with_evidence_beside_others(scorer, concepts, matched[side], scores)
    for side in parsed.concepts:
        covered = np.zeros(scorer.size)
        direct = np.zeros(scorer.size)
        total = 0.0
        for concept, weight, (found, hits, weaker) in zip(
            parsed.concepts[side], weights[side], matched[side], strict=True
        ):
            frames = _only_frames(parsed, concept, framing)
            if not hits.any() and frames:
                continue  # 약 on the English side: no article there can say it, nor need to
            if not frames and not concept.common:  # a word of the need, on either side
                key = (concept.start, concept.end) if concept.start >= 0 else (side, id(concept))
                said[key] = said[key] | hits if key in said else hits
            total += weight
            if weaker.any() and (concept.start, concept.end) not in asked.spans:
                # what an article the query names says among its side effects is what the
                # reader asks about it (`advil 위장`): as its body would say it
                named = _named(scorer, parsed) if named is None else named
                found, weaker = found | (weaker & named), weaker & ~named
            if (not frames and not concept.common and concept.start >= 0 and hits.any()
                    and not names_a_circumstance(concept)):  # fmt: skip
                in_main |= hits & ~weaker
                needs.add((concept.start, concept.end))
            direct[found] += weight
            covered[hits] += weight
            covered[weaker] -= weight * (1 - scorer.params.weak_evidence)
        if total:
            covered /= total
            direct /= total
            better = (covered > best_covered) | ((covered == best_covered) & (direct > best_direct))
            best_covered = np.where(better, covered, best_covered)
            best_direct = np.where(better, direct, best_direct)
    if parsed.conditions:
        serving = _need_met(scorer, parsed, weights, matched)
    saying = _saying_the_need(list(said.values()), framing, total_docs, scorer.params)
    unmatched = _unmatched(parsed, matched)
    return Coverage(
        best_covered, best_direct, serving, unmatched, saying, in_main, tuple(sorted(needs))
    )


def _saying_the_need(
    per_word: list[np.ndarray], framing: set[Span], total_docs: int, params: SearchParams
) -> np.ndarray | None:
    """The articles a match must be among (None: any): those that say a word of the need that
    not nearly every article says (``ubiquitous_share``: not 부작용 of `가바펜틴 부작용`); else,
    beside a word only saying "medicine", those that say any other word (`flu medicine`: every
    article is a medicine; `수유 중 먹어도 되는 약` once 17 of 20 articles said 수유, and 되는
    none). When no article says such a word, the others' matches stay, but
    for a word only saying "medicine": no article is a match for `위염 약` by its 약 alone (all
    of them were, and the page listed every medicine under "no article has 위염")."""
    telling = [  # not a word no article says: it tells nothing of where the need is said
        hits
        for hits in per_word
        if 0 < np.count_nonzero(hits) <= params.ubiquitous_share * total_docs
    ]
    chosen = telling or (per_word if framing else [])
    if not chosen:
        return None
    said = reduce(np.logical_or, chosen)
    return said if said.any() or framing else None


def medicine_beside_a_need(parsed: ParsedQuery) -> set[tuple[int, int]]:
    """Where the query's words only say "medicine" (약, pill; 먹는 of `먹는 약`, 먹고 of `약
    먹고 술`; anti of `anti nausea`) beside a word that names what for (`구역질 약`, `pill for
    dizziness`): they count in coverage but score nothing, as every article is a medicine.
    Scored, 약 weighed most where tags hold a compound (기침약, 당뇨약), so `구역질 약` put the
    cough and diabetes medicines above the one that treats nausea, and 먹다 chose the snippet's
    window (`약 먹고 술`: "하루 한 번 먹는 서방정", not the alcohol line). Taking a kind of
    medicine the query names is what it asks about, as taking 약 is: `항생제 먹을 때 술` showed
    amoxicillin's "다른 항생제 …와 함께 먹어", not its alcohol line."""
    spans: set[tuple[int, int]] = set()
    for concepts in parsed.concepts.values():
        typed = sorted((c for c in concepts if c.start >= 0), key=lambda c: c.start)
        said = [c for c in typed if not c.common]
        spans.update((c.start, c.end) for c in said if _says_medicine(c.words))
        spans.update((against.start, against.end) for against, need in itertools.pairwise(typed)
                     if set(against.words) <= AGAINST_STEMS and need.start >= against.end
                     and not need.common)  # fmt: skip
        for pair in itertools.pairwise(said):
            spans.update((taking.start, taking.end) for taking, medicine in (pair, pair[::-1])
                         if set(taking.words) <= TAKING_LEMMAS
                         and _says_medicine(medicine.words, kinds=True))  # fmt: skip
    named = any(c.start >= 0 and not c.common and not _only_frames(parsed, c, spans)
                for cs in parsed.concepts.values() for c in cs)  # fmt: skip
    return spans if named else set()


def _only_frames(parsed: ParsedQuery, concept: Concept, framing: set[Span]) -> bool:
    """Whether ``concept``'s words only say "medicine" (are in ``framing``) as every side reads
    them: the English side's 먹는 (the Hangul word whole) is the Korean side's 먹 of `먹는 약`."""
    span = (concept.start, concept.end)
    if span in framing:
        return True
    readings = [(c.start, c.end) for cs in parsed.concepts.values() for c in cs
                if c is not concept and overlaps((c.start, c.end), [span])]  # fmt: skip
    return bool(readings) and all(reading in framing for reading in readings)


def _need_met(
    scorer: LeafScorer,
    parsed: ParsedQuery,
    weights: dict[str, list[float]],
    matched: dict[str, list[tuple[np.ndarray, np.ndarray, np.ndarray]]],
) -> np.ndarray:
    """Per document, whether it says the query's need (kb.query) on some side by that side's
    rarest need word that some article says (두통 of `임신 기간 두통약`, not 약 nor 기간;
    headache of `what can I take for a headache while pregnant`, not take), as written or by a
    compound's parts (두통약: 두통, as 약 only says medicine), outside side effects and
    precautions; not through the glossary, whose `pill` finds every tablet and capsule, unless
    no article says a need word as written on that side (`painkiller`: "pain reliever", 진통제;
    `headache` on the Korean side, where the Korean-only 게보린 says 두통). A side whose words
    for the need only say medicine (`임신 중 먹어도 되는 약`) is met by every match."""
    needs = {side: [(concept, weight, found)
                    for concept, weight, (found, _, _) in zip(
                        parsed.concepts[side], weights[side], matched[side], strict=True)
                    if overlaps((concept.start, concept.end), parsed.needs)
                    and not _says_medicine(concept.words)]
             for side in parsed.concepts}  # fmt: skip
    said = {side: [(weight, _said_as_written(scorer, concept, found))
                   for concept, weight, found in side_needs]
            for side, side_needs in needs.items()}  # fmt: skip
    for side, side_needs in needs.items():
        if not any(where.any() for _, where in said[side]):
            said[side] = [(weight, _said_otherwise(scorer, concept))
                          for concept, weight, _ in side_needs]  # fmt: skip
    met = np.zeros(scorer.size, dtype=bool)
    for side_said in said.values():
        if not side_said:
            return np.ones(scorer.size, dtype=bool)
        somewhere = [(weight, where) for weight, where in side_said if where.any()]
        if somewhere:
            met |= max(somewhere, key=lambda need: need[0])[1]
    return met


def _said_otherwise(scorer: LeafScorer, concept: Concept) -> np.ndarray:
    """Where ``concept``'s weaker evidence (this side's glossary terms for it, or a long Korean
    word's bigrams) is said outside the asides."""
    return _matching(scorer, [leaf for leaves in concept.weak
                              for leaf in _asides_apart(leaves, True)[0]])  # fmt: skip


def _said_as_written(scorer: LeafScorer, concept: Concept, found: np.ndarray) -> np.ndarray:
    """Where ``concept`` is said as written outside the asides (``found``), or by all of its
    parts but those that only say medicine (두통 of 두통약)."""
    if not concept.parts:
        return found
    parts = np.ones(scorer.size, dtype=bool)
    for leaves in concept.parts:
        if not _says_medicine([leaf.text for leaf in leaves if isinstance(leaf, TermLeaf)]):
            parts &= _matching(scorer, _asides_apart(leaves, True)[0])
    return found | parts


def _says_medicine(words: Iterable[str], kinds: bool = False) -> bool:
    """Whether every one of ``words`` only says "medicine" (약, pill), or (with ``kinds``)
    names a kind of it (항생제, 두통약)."""
    return all(is_medicine_word(word, kinds=kinds) for word in words)


def _unmatched(
    parsed: ParsedQuery, matched: dict[str, list[tuple[np.ndarray, np.ndarray, np.ndarray]]]
) -> tuple[tuple[int, int], ...]:
    """The query characters of each word that no concept found in any article, on any side
    (a glossary phrase joins several words): a Hangul word counts as Korean analysis reads it
    (its English-side concept, the word whole, is for names), unless the glossary found it on
    the English side (`디펜히드라민`: diphenhydramine has no Korean translation), and words
    that only grade the need (`really`) are left out, as coverage leaves them."""
    found: list[tuple[int, int]] = []
    missed: list[tuple[int, int]] = []
    for side, concepts in parsed.concepts.items():
        for concept, (_, hits, _) in zip(concepts, matched[side], strict=True):
            span = (concept.start, concept.end) if concept.start >= 0 else concept.quoted
            if span is None or concept.common:
                continue
            if side != "ko" and HANGUL_RUN.search(parsed.text[span[0] : span[1]]):
                if hits.any():  # the glossary found it in the other language (디펜히드라민)
                    found.append(span)
                continue
            (found if hits.any() else missed).append(span)
    apart = {span for span in missed if not overlaps(span, found)}
    return tuple(sorted(apart))


def _concept_weights(
    parsed: ParsedQuery,
    matched: dict[str, list[tuple[np.ndarray, np.ndarray, np.ndarray]]],
    total_docs: int,
    params: SearchParams,
) -> dict[str, list[float]]:
    """Each side's concepts' idf, from the articles each matches on its side (a common
    concept's none, unless the side has nothing else); with
    ``idf_across_sides``, the query words a concept stands for weigh as their commonest
    reading on any side (a concept overlapping them): `pill`, in 18 English articles, is not
    rarer on the Korean side because only 16 say 정제."""
    own = {side: [_idf(total_docs, int(np.count_nonzero(hits))) for _, hits, _ in found]
           for side, found in matched.items()}  # fmt: skip
    for side, concepts in parsed.concepts.items():
        if not all(c.common for c in concepts):
            own[side] = [0.0 if c.common else w for c, w in zip(concepts, own[side], strict=True)]
    if not params.idf_across_sides:
        return own
    spans = [(c.start, c.end, weight)
             for side, concepts in parsed.concepts.items()
             for c, weight in zip(concepts, own[side], strict=True) if c.start >= 0]  # fmt: skip
    return {
        side: [min([weight, *(w for start, end, w in spans if start < c.end and c.start < end)])
               if c.start >= 0 else weight
               for c, weight in zip(concepts, own[side], strict=True)]
        for side, concepts in parsed.concepts.items()
    }  # fmt: skip


@dataclass(frozen=True)
class AsidesAsked:
    """Where a query's words are that it asks about as side effects or warnings, and the twin
    fields (of the aside fields) that hold them."""

    spans: frozenset[tuple[int, int]] = frozenset()
    twins: dict[str, str] = field(default_factory=dict)


def _asides_asked(scorer: LeafScorer, parsed: ParsedQuery) -> tuple[ParsedQuery, AsidesAsked]:
    """(``parsed`` as ranked, where the words are that it asks about as side effects or as
    warnings). When the query asks which medicines have a side effect (kb.intent), a word is
    asked about as one if at least ``side_effect_share`` of the articles that say it list it
    among their side effects (a symptom: headache, 7 of 11; not a kind of medicine:
    antidepressant, 1 of 4, in dextromethorphan's "with antidepressants"); when it asks which
    are bad for something, if at least ``warning_share`` warn about it (pregnancy, 6 of 18),
    but for a kind of medicine (`진통제`: kb.query). Then the words asking it only frame the
    need. If none is (`what causes …` over passages with no side effects sections), the query
    is searched as written."""
    params = scorer.params
    if parsed.side_effects:
        twins, share = EFFECTS_OF_ASIDES, params.side_effect_share
    elif parsed.cautions:
        twins, share = WARNINGS_OF_ASIDES, params.warning_share
    else:
        return parsed, AsidesAsked()
    # a medicine the query names is what it asks about (`zolpidem side effects`), not a side
    # effect of others because their precautions name it ("other sleeping pills such as …")
    asked = frozenset((c.start, c.end) for cs in parsed.concepts.values() for c in cs
                      if _may_be_asked(c) and (c.start, c.end) not in parsed.kinds
                      and _listed_share(scorer, c, twins) >= share
                      and not _titled(scorer, c).any())  # fmt: skip
    if not asked:
        return parsed, AsidesAsked()
    concepts = {side: [replace(c, common=True) if c.asks else c for c in cs]
                for side, cs in parsed.concepts.items()}  # fmt: skip
    return replace(parsed, concepts=concepts), AsidesAsked(asked, twins)


def _amount_asked(scorer: LeafScorer, parsed: ParsedQuery) -> ParsedQuery:
    """``parsed`` with the words asking an amount common where another word names an article:
    the medicine decides which articles match (`타이레놀 몇 알까지 먹어도 돼요` had listed
    metformin for its "한 알로 합친 복합제"), while a question naming none (`용량`) looks for
    them as for any word."""
    concepts = [c for cs in parsed.concepts.values() for c in cs]
    if not any(c.asks_amount for c in concepts):
        return parsed
    if not any(
        _titled(scorer, c).any() for c in concepts if _may_be_asked(c) and not c.asks_amount
    ):
        return parsed
    framed = {side: [replace(c, common=True) if c.asks_amount else c for c in cs]
              for side, cs in parsed.concepts.items()}  # fmt: skip
    return replace(parsed, concepts=framed)


def _may_be_asked(concept: Concept) -> bool:
    """Not the words asking for a side effect or a warning, nor those for medicine (kb.query),
    nor a word that only frames the need or a quoted phrase."""
    return not (concept.common or concept.asks or concept.start < 0)


def _listed_share(scorer: LeafScorer, concept: Concept, twins: dict[str, str]) -> float:
    """The share of the articles saying ``concept`` (by any of its evidence, anywhere) whose
    side effects sections (or warnings: ``twins``) say it."""
    groups = (concept.direct, *concept.weak)
    listed = _matching(scorer, [leaf for leaves in groups for leaf in _twin_leaves(leaves, twins)])
    if not listed.any():  # most queries over a corpus with no side effects sections: no more reads
        return 0.0
    said = _matching(scorer, [leaf for leaves in groups for leaf in leaves])
    return np.count_nonzero(listed) / np.count_nonzero(said | listed)


def _warned(scorer: LeafScorer, parsed: ParsedQuery) -> dict[Span, np.ndarray]:
    """Per condition the query names (kb.query: 임신 of `임신 중 두통약`), the articles that say
    it only where they warn (kb.asides.warnings_of: losartan's "do not take it if you are
    pregnant"), not in their uses or other text (ibuprofen's children's syrup, losartan's
    kidney disease in diabetes: what it treats)."""
    warned: dict[Span, np.ndarray] = {}
    for concepts in parsed.concepts.values():
        for concept in concepts:
            span = (concept.start, concept.end)
            if span not in parsed.conditions:
                continue
            leaves = tuple(leaf for leaves in (concept.direct, *concept.weak) for leaf in leaves)
            main, _ = _asides_apart(leaves, True)
            warns = _matching(scorer, _twin_leaves(leaves, WARNINGS_OF_ASIDES))
            warned[span] = warned.get(span, False) | (warns & ~_matching(scorer, main))
    return warned


def _named(scorer: LeafScorer, parsed: ParsedQuery) -> np.ndarray:
    """The articles a word of the query names in their title (`타이레놀`, or `Advil` of
    ibuprofen through the glossary), by words that no more than half of the titles say (every
    title saying "uses, side effects and precautions", `효능` names none)."""
    named = np.zeros(scorer.size, dtype=bool)
    for concepts in parsed.concepts.values():
        for c in concepts:
            if (c.start, c.end) not in parsed.conditions:
                named |= _titled(scorer, c)
    return named


def _titled(scorer: LeafScorer, concept: Concept) -> np.ndarray:
    """The articles whose title holds ``concept`` (by any of its evidence), when no more than
    half of the titles do (see :func:`_named`); else none."""
    leaves = [leaf for group in (concept.direct, *concept.weak) for leaf in group]
    titled = _matching(scorer, [leaf for leaf in leaves if leaf.field in TITLE_FIELDS])
    most = max(scorer.build.live_count, 2) / 2
    return titled if np.count_nonzero(titled) <= most else np.zeros_like(titled)


def _concept_hits(
    scorer: LeafScorer, concept: Concept, scores: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(matched directly, matched by any evidence, matched only in side effects and precautions
    when those are weaker evidence) as boolean masks; scores added on the way."""
    found, in_asides = _scored_apart(scorer, concept.direct, scores)
    hits = found.copy()
    for leaves in concept.weak:
        weak, weak_asides = _scored_apart(scorer, leaves, scores)
        hits |= weak
        in_asides |= weak_asides
    hits |= _by_parts(scorer, concept, found, scores)
    only_asides = in_asides & ~hits
    return found, hits | in_asides, only_asides


def _asked_hits(
    scorer: LeafScorer, concept: Concept, scores: np.ndarray, twins: dict[str, str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """As :func:`_concept_hits`, for a side effect the query asks about (`두통` of `두통
    부작용`): the evidence is an article's side effects (or a title naming it, `타이레놀
    부작용`), and the score is what its asides and title say. Elsewhere, in the uses of what
    treats it or among precautions (`stop if the cough lasts a week`), it matches more weakly.
    The same for what the query asks which medicines warn about, with their warnings."""
    found = strong = hits = np.zeros(scorer.size, dtype=bool)
    for i, leaves in enumerate((concept.direct, *concept.weak)):
        outside, asides = _asides_apart(leaves, True)
        titles = [leaf for leaf in outside if leaf.field in TITLE_FIELDS]
        said = _add_leaf_scores(scorer, titles, scores) | _matching(
            scorer, _twin_leaves(leaves, twins)
        )
        hits = hits | said | _add_leaf_scores(scorer, asides, scores) | _matching(scorer, outside)
        strong = strong | said
        if i == 0:  # the reader's own word, not the glossary's
            found = said
    hits |= _by_parts(scorer, concept, found, np.zeros(scorer.size))
    return found, hits, hits & ~strong


def _twin_leaves(leaves: tuple[Leaf, ...], twins: dict[str, str]) -> list[Leaf]:
    """``leaves`` over an aside field, over its twin holding only the side effects (or the
    warnings)."""
    return [replace(leaf, field=twins[leaf.field]) for leaf in leaves
            if leaf.field in twins]  # fmt: skip


def _with_stand_ins(
    scorer: LeafScorer,
    parsed: ParsedQuery,
    matched: dict[str, list[tuple[np.ndarray, np.ndarray, np.ndarray]]],
    scores: np.ndarray,
) -> None:
    """Where no article says a prefixed word on any side (`대용량`, `헛구역질`), its noun and the
    glossary's terms for the noun match for it, as weaker evidence (in ``matched``, scored):
    the word is a kind of its noun. Where some article says it, only that one is its match."""
    said = {(c.start, c.end) for side, concepts in parsed.concepts.items()
            for c, (_, hits, _) in zip(concepts, matched[side], strict=True)
            if hits.any()}  # fmt: skip
    for side, concepts in parsed.concepts.items():
        for i, concept in enumerate(concepts):
            if not concept.stand_in or (concept.start, concept.end) in said:
                continue
            found, hits, weaker = matched[side][i]
            for leaves in concept.stand_in:
                in_main, in_asides = _scored_apart(scorer, leaves, scores)
                weaker = weaker | (in_asides & ~hits & ~in_main)
                hits = hits | in_main | in_asides
            matched[side][i] = (found, hits, weaker)


def _with_evidence_beside_others(
    scorer: LeafScorer,
    concepts: list[Concept],
    matched: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
    scores: np.ndarray,
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Each concept's hits, plus the articles its evidence beside others finds where another
    concept matched (scored there only): ``머리`` alone never finds ``머리카락``, nor `고용량`
    alone every 용량, nor beside words that only frame a need (심하다, 같이), which say
    nothing of where the need is. Found only among side effects and precautions, that is weaker
    still, as for any concept."""
    out = []
    for i, (concept, (found, hits, weaker)) in enumerate(zip(concepts, matched, strict=True)):
        if concept.beside_others:
            others = np.zeros(scorer.size, dtype=bool)
            for j, (_, other_hits, _) in enumerate(matched):
                if j != i and not concepts[j].common:
                    others |= other_hits
            beside_scores = np.zeros(scorer.size)
            in_main, in_asides = _scored_apart(scorer, concept.beside_others, beside_scores)
            added = (in_main | in_asides) & others & ~hits
            scores[added] += beside_scores[added]
            weaker = weaker | (added & ~in_main)
            hits = hits | added
        out.append((found, hits, weaker))
    return out


def _scored_apart(
    scorer: LeafScorer, leaves: tuple[Leaf, ...], scores: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Add ``leaves``' scores; return the documents they match outside side effects and
    precautions, and those they match there (all outside when ``asides_complete``)."""
    main, asides = _asides_apart(leaves, not scorer.params.asides_complete)
    return _add_leaf_scores(scorer, main, scores), _add_leaf_scores(scorer, asides, scores)


def _asides_apart(leaves: tuple[Leaf, ...], split: bool) -> tuple[list[Leaf], list[Leaf]]:
    """``leaves`` (all of them when not ``split``) and those over side effects and precautions."""
    if not split:
        return list(leaves), []
    return ([leaf for leaf in leaves if leaf.field not in ASIDE_FIELDS],
            [leaf for leaf in leaves if leaf.field in ASIDE_FIELDS])  # fmt: skip


def _by_parts(
    scorer: LeafScorer, concept: Concept, found: np.ndarray, scores: np.ndarray
) -> np.ndarray:
    """The documents a compound typed as one word matches through its parts, where the index
    rarely holds it whole: in at most ``compound_max_df`` articles, or in at most
    ``compound_max_share`` of those saying every part (감기약 is said whole where a cold
    medicine is an ingredient; 감기 and 약 apart by ibuprofen, which treats a cold's aches)."""
    if not concept.parts:
        return np.zeros(scorer.size, dtype=bool)
    whole, params = np.count_nonzero(found), scorer.params
    if whole <= params.compound_max_df:
        return _add_all_of(scorer, concept.parts, scores)
    part_scores = np.zeros(scorer.size)
    matched = _add_all_of(scorer, concept.parts, part_scores)
    if whole > params.compound_max_share * np.count_nonzero(matched):
        return np.zeros(scorer.size, dtype=bool)
    scores += part_scores
    return matched


def _add_all_of(
    scorer: LeafScorer, groups: tuple[tuple[Leaf, ...], ...], scores: np.ndarray
) -> np.ndarray:
    """The documents matching every group (a compound's parts), scored by all of them: one part
    alone (``약`` of ``두통약``) neither matches nor adds score."""
    part_scores = np.zeros(scorer.size)
    matched = np.ones(scorer.size, dtype=bool)
    for leaves in groups:
        matched &= _add_leaf_scores(scorer, leaves, part_scores)
    scores[matched] += part_scores[matched]
    return matched


def _unasked(parsed: ParsedQuery, asked: AsidesAsked) -> tuple[TermLeaf, ...]:
    """The booster's terms; when the query asks for side effects or warnings, its Hangul
    bigrams only over the side effects and precautions (where what is asked about scores: `두통
    부작용` put aspirin first, for the headaches it treats), and none of the words that ask
    (부작용, 안 좋은 약: they would favour an article that says 부작용 often, or 좋은
    콜레스테롤)."""
    if not asked.spans:
        return parsed.booster
    spans = [(c.start, c.end) for cs in parsed.concepts.values() for c in cs if c.asks]
    spans += parsed.side_effects or parsed.cautions  # the asking words no side has a term for
    asking = {gram.text for start, end in spans
              for gram in hangul_bigrams(parsed.text[start:end])}  # fmt: skip
    return tuple(leaf for leaf in parsed.booster
                 if leaf.text not in asking and leaf.field not in RECALL_ASIDES)  # fmt: skip


def _informative(scorer: LeafScorer, booster: tuple[TermLeaf, ...]) -> list[Leaf]:
    """The booster's terms found in at most ``booster_max_share`` of the articles: a bigram
    most articles have (무엇, 되는) tells little about any, and has the longest posting lists."""
    build, params = scorer.build, scorer.params
    limit = max(params.booster_max_share * build.live_count, params.booster_always_df)
    return [leaf for leaf in booster if build.doc_frequency(leaf.field, leaf.text) <= limit]


def _matching(scorer: LeafScorer, leaves: list[Leaf]) -> np.ndarray:
    """The mask of the documents any of ``leaves`` matches, scoring nothing."""
    matched = np.zeros(scorer.size, dtype=bool)
    for leaf in leaves:
        matched[scorer.leaf(leaf).ids] = True
    return matched


def _add_leaf_scores(
    scorer: LeafScorer, leaves: tuple[Leaf, ...] | list[Leaf], scores: np.ndarray
) -> np.ndarray:
    """Add each leaf's scores to ``scores``; return the mask of the documents matched."""
    matched = np.zeros(scorer.size, dtype=bool)
    for leaf in leaves:
        postings = scorer.leaf(leaf)
        scores[postings.ids] += postings.scores  # ids are unique within one leaf
        matched[postings.ids] = True
    return matched


def _idf(total_docs: int, matching: int) -> float:
    """BM25's idf: how much matching this concept tells about an article."""
    return math.log(1 + (total_docs - matching + 0.5) / (matching + 0.5))
