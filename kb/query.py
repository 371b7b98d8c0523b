"""A reader's query string → cleaned text, phrases and per-language query leaves.

Each language side analyses the *whole* query with its own analyzer (Kiwi needs the context), so a
Korean query becomes Korean terms for Korean fields and, say, stemmed English terms for English
fields. Each term or phrase is a *concept*; ranking counts how many concepts a document covers.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import TypeVar

from kb.analysis import english_analyzer, hangul_bigrams, korean_analyzer
from kb.analysis.base import Kind, PieceTokenizer, Term, unmarked
from kb.analysis.bigrams import ANCHOR, anchored_bigrams
from kb.analysis.english import (
    ONSET_STEMS,
    english_pieces,
    exact_words,
    is_framing_word,
    is_stop_word,
)
from kb.analysis.eojeol import eojeol_stems
from kb.analysis.hangul import HANGUL_RUN, decompose, is_initials, is_jamo
from kb.analysis.korean import (
    ADVERBS_READ_BEFORE,
    FRAMING_LEMMAS,
    Reading,
    compound_parts,
    lexicalized_heads,
    names_something,
    prefixed_noun,
    readings,
    unnamed_spans,
    verb_stem,
    words_read_as_nouns,
)
from kb.content import LOCALES, normalize_text
from kb.engine import Leaf, PhraseLeaf, PrefixLeaf, TermLeaf
from kb.glossary import Expansion, Glossary
from kb.intent import (
    AMOUNT,
    AMOUNT_QUESTION_TERMS,
    CIRCUMSTANCE_TERMS,
    CONDITION_TERMS,
    HELD_AFTER,
    HELD_BY_PATIENT,
    HELD_BY_PERSON,
    HOLDER_ARTICLE,
    HOLDERS_NAMED,
    PATIENT_TERMS,
    PERSON_TERMS,
    POPULATION_TERMS,
    READER_AFTER,
    READER_BEFORE,
    STATE_TERMS,
    TAKING_TERMS,
    WATCH_TERMS,
    Answer,
    Span,
    answers_asked,
    caution_request,
    is_medicine_word,
    names_a_kind,
    overlaps,
    side_effect_request,
)
from kb.params import DEFAULTS, SearchParams
from kb.schema import RECALL_ASIDES, RECALL_FIELDS

MAX_QUERY_CHARS = 256
RAW_QUERY_CHARS = 4 * MAX_QUERY_CHARS  # room for the spaces and control characters cleaning drops
MAX_CONCEPTS = 24
# What follows a one-syllable verb in a two-syllable word that is that verb: its dictionary form
# (붓다) or a noun form (졸음, 붓기).
VERB_FORM_ENDINGS = frozenset("다음기")
# Verbs of one syllable so common that, as another reading of a noun, they would match nearly
# every article's instructions: 간 (liver) as 가다 marked "병원에 가세요", 온 as 오다.
LIGHT_VERBS = frozenset({"가다", "오다", "하다", "되다", "보다", "주다"})
MIN_BIGRAM_RECALL = 3  # syllables: shorter words would match inside others (감기 in 반감기)

QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "＂": '"', "«": '"', "»": '"'})
FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
PHRASE_RE = re.compile(r'"([^"]*)"')
# A title in single quotes ('Rise Up'이라는 노래): not an apostrophe (don't, Jefferson's).
SINGLE_QUOTED_RE = re.compile(r"(?<![^\W_])['‘’]([^'‘’]+)['‘’](?![A-Za-z])")

RecallLeaf = TypeVar("RecallLeaf", TermLeaf, PhraseLeaf)

_ANALYZERS: dict[str, PieceTokenizer] = {"ko": korean_analyzer(), "en": english_analyzer()}


@dataclass
class Concept:
    """One term (with Kiwi's alternative readings: any of ``words``) or one quoted phrase (all of
    ``words`` in order), on one language side, standing for query chars ``start``..``end``."""

    words: tuple[str, ...]
    direct: tuple[Leaf, ...]  # the words in the side's analysed fields
    start: int = -1
    end: int = -1
    # weaker evidence for the same concept: bigram recall of a long Korean word, glossary terms
    weak: list[tuple[Leaf, ...]] = field(default_factory=list)
    # weaker still, for a compound the index rarely holds whole: every part must match (each a
    # tuple of leaves, any field); ranking uses them only when ``direct`` finds few articles
    parts: tuple[tuple[Leaf, ...], ...] = ()
    # weak evidence that never makes a match, counted only where another of the query's
    # concepts matched: a two-syllable word at the start of a longer one (``머리`` in
    # ``머리카락``), the noun of a prefixed word (용량 of 고용량: not every 용량 is one)
    beside_others: tuple[Leaf, ...] = ()
    # weak evidence standing in for a prefixed word no article says on any side (대용량): its
    # noun and the glossary's terms for the noun (용량; dose), each a tuple of leaves
    stand_in: list[tuple[Leaf, ...]] = field(default_factory=list)
    # an English stop word in a Korean query (`side effects of 가바펜틴`) or a word that only
    # grades the need (`really bad headache`): it scores where it matches, but counts in
    # coverage only if the query has nothing else or it is in a quoted title (`'Rise Up'`)
    common: bool = False
    # a quoted phrase's characters in the query (inside the quotes): named when no article
    # has it, as a word is (a phrase has no ``start``, so it weighs as its side alone finds it)
    quoted: tuple[int, int] | None = None
    # a word asking which medicines have a side effect (부작용, cause), or saying "medicine" (약,
    # drugs) in such a query: common where the articles list the side effect (kb.ranking)
    asks: bool = False
    # a word asking how much of a medicine to take (용량, 몇 알, dose; kb.intent.
    # AMOUNT_QUESTION_TERMS): common where the query names an article, what it asks about
    # (kb.ranking)
    asks_amount: bool = False


@dataclass
class ParsedQuery:
    text: str  # cleaned, what was searched
    truncated: bool = False
    concepts: dict[str, list[Concept]] = field(default_factory=dict)
    terms: dict[str, list[str]] = field(default_factory=dict)  # for highlighting, per side
    # weaker evidence's words, per side, highlighted too but not the reader's own words: the
    # glossary's for the query's concepts (a Korean query shown an English-only article marks
    # the English words it matched) and a compound's parts of two syllables or more (`두통약`: 두통)
    weak_terms: dict[str, list[str]] = field(default_factory=dict)
    # those of them the query has only inside glossary terms of several words, per side, with
    # those terms: marked only where a term's words stand side by side, as it matches (the
    # `people` of `older people`, not every `people`)
    bound_words: dict[str, dict[str, list[tuple[str, ...]]]] = field(default_factory=dict)
    booster: tuple[TermLeaf, ...] = ()  # adds score to matches, never matches by itself
    # where the query asks which medicines have a side effect (`두통 부작용`): the concepts
    # there ask it; the others are matched in articles' side effects first (kb.ranking)
    side_effects: tuple[Span, ...] = ()
    # where the query asks which medicines are bad for something (`임신 중에 안 좋은 약`): the
    # concepts there ask it; the others are matched where articles warn first (kb.ranking)
    cautions: tuple[Span, ...] = ()
    # what the query asks of how to take a medicine (how much, how often, when: kb.intent.
    # answers_asked): its snippets show the line that answers it (kb.searching)
    answers: tuple[Answer, ...] = ()
    # ... and where such a query names the kind of medicine it asks it of (`진통제`, `painkillers`,
    # by its own words or the glossary's Korean ones): matched as written, not as a warning
    kinds: tuple[Span, ...] = ()
    # where the query names a kind of medicine the glossary has a line for (`steroid`, 항우울제,
    # `blood pressure pills`): (line, start, end); asked of, that kind's articles show the
    # section asked, as they do for a kind typed (kb.searching)
    named_kinds: tuple[tuple[int, int, int], ...] = ()
    # where a query that asks neither names a condition precautions speak of beside its need
    # (`임신 중 두통약`), those of them that say for whom (임신: articles that warn about it
    # come after those that do not, kb.ranking), and where the words are that say the need
    conditions: tuple[Span, ...] = ()
    for_whom: tuple[Span, ...] = ()
    needs: tuple[Span, ...] = ()

    @property
    def empty(self) -> bool:
        return not any(self.concepts.values())


def clean_query(raw: str) -> tuple[str, bool]:
    """Control characters out, NFC, full-width ASCII folded, at most MAX_QUERY_CHARS. The raw
    text is cut to a few times that first, so a megabyte costs no more than a long question."""
    cut_raw = raw[:RAW_QUERY_CHARS]
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in cut_raw)
    text = normalize_text(text).translate(FULLWIDTH).translate(QUOTES)
    text = " ".join(text.split())
    if len(text) <= MAX_QUERY_CHARS:
        return text, len(raw) > RAW_QUERY_CHARS
    cut = text[:MAX_QUERY_CHARS]
    if " " in cut[MAX_QUERY_CHARS // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut, True


def split_phrases(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The free text (quoted phrases blanked) and where each phrase is in ``text``; an
    unbalanced quote is just dropped."""
    spans = [m.span(1) for m in PHRASE_RE.finditer(text) if m.group(1).strip()]
    free = PHRASE_RE.sub(lambda m: " " * len(m.group()), text).replace('"', " ")
    return free, spans


def _phrase_words(side: str, text: str, spans: list[tuple[int, int]]) -> list[tuple[str, ...]]:
    """Each phrase's terms as the side reads it in the query, not alone: in a Korean query an
    English title keeps its stop words (`"Let It Be"`), as the Korean fields keep them."""
    if not spans:
        return []
    terms = _ANALYZERS[side].terms(text.replace('"', " "), query=True)
    return [
        tuple(t.text for t in terms if start <= t.start and t.end <= end) for start, end in spans
    ]


def parse_query(
    raw: str, glossary: Glossary | None = None, params: SearchParams = DEFAULTS
) -> ParsedQuery:
    """Analyse ``raw`` once per language side into concepts; expand them with ``glossary``."""
    text, truncated = clean_query(raw)
    parsed = ParsedQuery(text=text, truncated=truncated)
    free, phrases = split_phrases(text)
    free, partial = split_partial_word(free)
    analysed: dict[str, list[tuple[str, int, int]]] = {}
    unnamed = unnamed_spans(free)
    for side in LOCALES:
        concepts: list[Concept] = []
        seen: set[tuple[str, ...]] = set()
        marked = _ANALYZERS[side].polar_terms(free)
        if side != "ko":  # Korean is analysed first (LOCALES)
            marked = [t for t in marked if not _names_nothing(t, unnamed, analysed["ko"])]
        alternatives = readings(free) if side == "ko" else []
        if side == "ko" and not marked:
            marked = words_read_as_nouns(free, alternatives)
        analysed[side] = [(t.text, t.start, t.end) for t in marked]  # what the glossary matches
        terms = [t._replace(text=unmarked(t.text)) for t in marked]  # what the index holds
        titles = [m.span(1) for m in SINGLE_QUOTED_RE.finditer(free)]
        if side != "ko":
            terms = [piece for term in terms for piece in _read_as_korean(term, free, parsed)]
        for term in terms:
            words = (term.text, *_alternatives(free, term, alternatives))
            in_title = any(start <= term.start and term.end <= end for start, end in titles)
            word = free[term.start : term.end]
            framing = term.text in FRAMING_LEMMAS  # on the English side too: 추천 as typed
            framing |= side == "en" and term.text in ONSET_STEMS
            framing |= _names_the_reader(free, term, side)
            common = (is_stop_word(word) or is_framing_word(word) or framing) and not in_title
            query = _side_query(side, words, params)
            concept = Concept(words, query, term.start, term.end, common=common)
            if side == "ko" and _bigram_recall_ok(free, term.text, term.start, term.end):
                grams = tuple(anchored_bigrams(term.text))
                recall = PhraseLeaf("bigram_ko", grams, params.bigram_recall_boost)
                concept.weak.append(_and_asides(recall, params))
                concept.parts = _compound_parts(term.text, params)
            elif side == "ko" and _compound_head_ok(free, term.text, term.start, term.end, params):
                head = TermLeaf("bigram_ko", ANCHOR + term.text, params.compound_head_boost)
                concept.beside_others = _and_asides(head, params)
            if (noun := _prefixed(side, concept)) is not None:
                leaves = _side_query("ko", (noun,), params, boost=params.compound_part_boost)
                concept.beside_others += leaves
                concept.stand_in.append(leaves)
            _add(concepts, seen, concept)
        for words, span in zip(_phrase_words(side, text, phrases), phrases, strict=True):
            if words:
                query = _side_query(side, words, params, phrase=True)
                _add(concepts, seen, Concept(words, query, quoted=span))
        parsed.concepts[side] = concepts[:MAX_CONCEPTS]
    _add_eojeol_recall(parsed.concepts["ko"], free, params)
    said = [(unmarked(word), start, end) for word, start, end in analysed["ko"]]
    if glossary is not None:
        parsed.named_kinds = tuple(glossary.kinds_in(analysed))
    parsed.side_effects = side_effect_request(said, free, kind_named=bool(parsed.named_kinds))
    if not parsed.side_effects:
        parsed.cautions = caution_request([*analysed["ko"], *analysed["en"]], free)
    if partial:
        prefix = PrefixLeaf("spell_ko", decompose(partial))
        parsed.concepts["ko"].append(Concept((partial,), (prefix,)))
    if glossary is not None:
        phrases, expansions, read_as, nouns = _glossary_matches(
            glossary, analysed, parsed.concepts["ko"]
        )
        for start, end in phrases:
            for side, concepts in parsed.concepts.items():  # each side, as expansions attach
                _join(concepts, side, start, end, params, read_as)
        attached = _expand(parsed, expansions, params)
        for locale, nouns_said in _expand(parsed, nouns, params, stand_in=True).items():
            attached.setdefault(locale, set()).update(nouns_said)
    else:
        attached = {}
    _mark_asking_words(parsed)
    _mark_answers_asked(parsed)
    _mark_conditions(parsed)
    for side, concepts in parsed.concepts.items():
        parsed.terms[side] = sorted({w for c in concepts for w in c.words})
        # a one-syllable part (약, 통 of 생리통) is in too many words to show where a match is
        parts = {
            part[0].text for c in concepts for part in c.parts
            if isinstance(part[0], TermLeaf) and len(part[0].text) > 1
        } | {noun for c in concepts if (noun := _prefixed(side, c)) and len(noun) > 1}  # fmt: skip
        glossary_terms = attached.get(side, set())
        weak = {w for term in glossary_terms for w in term} | parts
        parsed.weak_terms[side] = sorted(weak - set(parsed.terms[side]))
        parsed.bound_words[side] = _bound_words(glossary_terms, {*parsed.terms[side], *parts})
    if not parsed.empty:
        parsed.booster = _booster(text, params)
    return parsed


def _prefixed(side: str, concept: Concept) -> str | None:
    """The noun a Korean word with a prefix is a kind of (용량 of 고용량)."""
    return prefixed_noun(concept.words[0]) if side == "ko" and concept.start >= 0 else None


def _read_as_korean(term: Term, text: str, parsed: ParsedQuery) -> list[Term]:
    """``term`` of another side, or the words Korean analysis read in it when it is a Hangul
    word of several (`로사르탄기침`, typed without a space): that side keeps a Hangul word
    whole, so the glossary's `losartan` and `cough` were one concept's alternatives, and
    an article saying "cough" covered the whole query there."""
    if not HANGUL_RUN.fullmatch(text[term.start : term.end]):
        return [term]
    inside = [(c.start, c.end) for c in parsed.concepts["ko"]
              if term.start <= c.start and c.end <= term.end]  # fmt: skip
    if len(inside) < 2:
        return [term]
    return [term._replace(text=text[start:end], start=start, end=end) for start, end in inside]


def _names_the_reader(text: str, term: Term, side: str) -> bool:
    """Whether ``term`` is a word for a person said to take something or to have a state (kb
    .intent.READER_BEFORE, READER_AFTER: `와파린 먹는 사람`, `천식 있는 사람`, `people on
    warfarin`): it says who asks, not what, and every article says it (`수면제 먹는 사람 술`
    showed zolpidem's "다른 사람이 먹지 않도록")."""
    if term.text not in PERSON_TERMS:
        return False
    if side == "ko" or HANGUL_RUN.fullmatch(text, term.start, term.end):
        return READER_BEFORE.search(text, 0, term.start) is not None
    return READER_AFTER.match(text, term.end) is not None


def _names_nothing(
    term: Term, unnamed: list[tuple[int, int]], korean: list[tuple[str, int, int]]
) -> bool:
    """Whether ``term``, a Hangul word English analysis keeps whole, holds no Korean term where
    the Korean side reads some: an auxiliary verb, a hedge or a noun that says when (``싶어요``,
    ``같아요``, ``것``, the ``때`` of ``올 때``; not ``토할것같아요``), a bound noun, an adverb
    or a verb that says nothing (the ``수``, ``있는`` and ``없이`` of ``처방 없이 살 수 있는``).
    It names nothing on either side, and no English article could cover it, so as the rarest of
    words it outweighed every other in English: an English-only article lost to any Korean one."""
    span = (term.start, term.end)
    said = [(s, e) for _, s, e in korean]
    if overlaps(span, said) or not HANGUL_RUN.fullmatch(term.text):
        return False
    return bool(said) or overlaps(span, unnamed)


def _booster(text: str, params: SearchParams) -> tuple[TermLeaf, ...]:
    """Score for what analysis blurs: the Hangul bigrams of the whole query, and Latin words in
    their exact form (stemming makes ``nationality`` ``nation``)."""
    bigrams = sorted({b.text for b in hangul_bigrams(text)})[: MAX_CONCEPTS * 2]
    hedges = [(p.start, p.end) for p in english_pieces(text) if p.kind is Kind.HEDGE]
    exact = sorted({w.text for w in exact_words(text) if (w.start, w.end) not in hedges})
    exact = exact[:MAX_CONCEPTS]
    parts = [
        leaf
        for b in bigrams
        for leaf in _and_asides(TermLeaf("bigram_ko", b, params.bigram_score_boost), params)
    ]
    parts += [TermLeaf("exact", w, params.exact_score_boost) for w in exact]
    return tuple(parts)


def _and_asides(leaf: RecallLeaf, params: SearchParams) -> tuple[RecallLeaf, RecallLeaf]:
    """``leaf`` over a Korean recall field, and its twin over the side effects and precautions,
    weighed as the aside field is: a side effect is weaker evidence by any route."""
    boost = leaf.boost * params.field_weights.aside
    return leaf, replace(leaf, field=RECALL_ASIDES[leaf.field], boost=boost)


def _compound_parts(word: str, params: SearchParams) -> tuple[tuple[Leaf, ...], ...]:
    """A compound typed as one word (``두통약``) as its parts, each in any Korean field, for
    articles that say it in other words (``두통에 쓰는 약``)."""
    boost = params.compound_part_boost
    return tuple(_side_query("ko", (part,), params, boost=boost) for part in compound_parts(word))


def _add_eojeol_recall(concepts: list[Concept], text: str, params: SearchParams) -> None:
    """Each query word's stem (particle cut off) as weak evidence for the concepts Kiwi read in
    it, unless the stem is one of those concepts already. A Hangul run glued to a number or
    a Latin word (``1810년에``, ``3회에``) is a unit, not a word: its stem (``년에``) would
    find every year."""
    for stem in eojeol_stems(text):
        if stem.start and text[stem.start - 1].isalnum():
            continue
        for concept in concepts:
            overlaps = concept.start < stem.end and stem.start < concept.end
            if overlaps and stem.text not in concept.words:
                recall = TermLeaf("eojeol_ko", stem.text, params.bigram_recall_boost)
                concept.weak.append(_and_asides(recall, params))


def _mark_answers_asked(parsed: ParsedQuery) -> None:
    """What the query asks of how to take a medicine (kb.intent.answers_asked), and if it asks
    how much, mark the words asking it of a medicine (:attr:`Concept.asks_amount`)."""
    parsed.answers = answers_asked(parsed.text)
    if AMOUNT not in parsed.answers:
        return
    for concepts in parsed.concepts.values():
        for concept in concepts:
            if concept.start >= 0 and concept.words[0] in AMOUNT_QUESTION_TERMS:
                concept.asks_amount = True


def _mark_asking_words(parsed: ParsedQuery) -> None:
    """In a query that asks which medicines have a side effect, or are bad for something, mark
    the words asking it (부작용, cause, 안 좋은, unsafe) and those for medicine (약, drugs):
    they only frame the need, as `really` does, so `drugs that cause insomnia` is complete
    where an article lists insomnia. A kind of medicine (진통제) is asked about as the
    medicine when the query asks for side effects (kb.intent), and as itself when it asks what
    is bad for something (`임신 중 피해야 할 진통제`: the painkillers that warn about pregnancy)."""
    asking = parsed.side_effects or parsed.cautions
    if not asking:
        return
    kinds_as_medicine = bool(parsed.side_effects)
    for concepts in parsed.concepts.values():
        for concept in concepts:
            if concept.start < 0:
                continue
            if overlaps((concept.start, concept.end), asking) or any(
                is_medicine_word(word, kinds=kinds_as_medicine) for word in concept.words
            ):
                concept.asks = True
            elif not kinds_as_medicine and _names_a_kind(concept):
                parsed.kinds += ((concept.start, concept.end),)


def _mark_conditions(parsed: ParsedQuery) -> None:
    """Where a query that asks neither for side effects nor what is bad for something names a
    condition (kb.intent.CONDITION_TERMS: 임신, `the elderly`, through the glossary too) beside
    a need (두통약, or 약 alone: `임신 중 먹어도 되는 약`; not a verb, 좋 of `안 좋을 때`, nor 중,
    nor how a medicine is taken, 복용). A condition alone (`임신`, `수유 중`, `어르신 복용`)
    asks what the articles say of it; one beside what to watch for (`노인 주의`) is for no one
    to be ranked by."""
    if parsed.side_effects or parsed.cautions:
        return
    concepts = _named_concepts(parsed)
    named: dict[Span, set[str]] = {}
    for concept in concepts:  # each side's reading of the same words, together
        named.setdefault((concept.start, concept.end), set()).update(_glossed_words(concept))
    conditions = {span for span, words in named.items() if words & CONDITION_TERMS}
    holders = {(c.start, c.end): set(c.words) for cs in parsed.concepts.values() for c in cs
               if c.common and c.start >= 0 and PERSON_TERMS & set(c.words)}  # fmt: skip
    conditions |= _held_states(parsed.text, {**holders, **named})
    if not conditions:
        return
    rest = {span: words for span, words in named.items() if not overlaps(span, conditions)}
    framing = TAKING_TERMS | WATCH_TERMS | STATE_TERMS
    framed = [span for span, words in rest.items() if words & framing]
    needs = {span for span in rest
             if not overlaps(span, framed) and _names_something(parsed.text, *span)}  # fmt: skip
    if needs:
        parsed.conditions, parsed.needs = tuple(sorted(conditions)), tuple(sorted(needs))
        watched = any(words & WATCH_TERMS for words in rest.values())
        parsed.for_whom = (
            ()
            if watched
            else tuple(span for span in parsed.conditions if named[span] & POPULATION_TERMS)
        )


def _held_states(text: str, named: dict[Span, set[str]]) -> set[Span]:
    """The words ``text`` says someone has (kb.intent.PATIENT_TERMS: `고혈압 환자`, `천식 있는
    사람`, `patients with gout`): conditions, whatever they name, but a medicine."""
    held = {span for span in named if _names_its_holder(text, *span)}
    holders = PATIENT_TERMS | PERSON_TERMS
    held_by = [(span, HELD_BY_PATIENT if words & PATIENT_TERMS else HELD_BY_PERSON)
               for span, words in named.items() if words & holders]  # fmt: skip
    if not held_by:  # most queries name no one
        return held
    for state, state_words in named.items():
        if (
            state_words & holders
            or any(is_medicine_word(w) for w in state_words)
            or any(other != state and _within(other, state) for other in named)
            or not _names_something(text, *state)
        ):
            continue  # nor the English side's Hangul word whole (통풍이) beside Korean's 통풍
        for holder, before in held_by:
            said_before = state[1] <= holder[0] and before.fullmatch(text, state[1], holder[0])
            said_after = holder[1] <= state[0] and HELD_AFTER.fullmatch(text, holder[1], state[0])
            if said_before or said_after:
                held.add(state)
    return held


def _names_its_holder(text: str, start: int, end: int) -> bool:
    """Whether the word names people by a state they have (kb.intent.HOLDERS_NAMED:
    `diabetics`; `a diabetic`, not `diabetic nerve pain`)."""
    if HOLDERS_NAMED.fullmatch(text, start, end):
        return True
    return (
        HOLDERS_NAMED.fullmatch(text[start:end] + "s") is not None
        and HOLDER_ARTICLE.search(text, max(0, start - 4), start) is not None
    )


def _within(inner: Span, outer: Span) -> bool:
    """Whether query span ``inner`` lies inside ``outer``."""
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def _names_something(text: str, start: int, end: int) -> bool:
    """Whether a word names something (:func:`kb.analysis.korean.names_something`: not a verb,
    nor 중 of `임신 중`); an English word is not asked, so an English query never loads Kiwi."""
    return not HANGUL_RUN.search(text, start, end) or names_something(text, start, end)


def _names_a_kind(concept: Concept) -> bool:
    """Whether ``concept``'s words, or the Korean glossary terms attached to it, name a kind of
    medicine (`painkillers`: 진통제); not the recall of the word typed (`임신중에안좋은약`, run
    together, ends in 약)."""
    return any(names_a_kind(word) for word in _glossed_words(concept))


def _named_concepts(parsed: ParsedQuery) -> list[Concept]:
    """The concepts of words the reader typed that are no stop or framing words, both sides."""
    return [c for cs in parsed.concepts.values() for c in cs if c.start >= 0 and not c.common]


def asks_for_a_kind(parsed: ParsedQuery) -> bool:
    """Whether the query names a kind of medicine (`피임약`, `사후피임약`) and not who takes
    it or how (`수유 중 먹어도 되는 약`, `복용을 잊었을 때`: precautions say that)."""
    named = _named_concepts(parsed)
    return any(names_a_kind(w) for c in named for w in c.words) and not any(
        names_a_circumstance(c) for c in named
    )


def names_a_circumstance(concept: Concept) -> bool:
    """Whether ``concept`` names who takes a medicine, what they do or how they take it (kb
    .intent.CIRCUMSTANCE_TERMS), in its words or the glossary's, its terms of several words
    in either language too (`복용을 잊었을` is `missed dose` on the English side)."""
    phrased = [word for leaves in concept.weak for leaf in leaves
               if isinstance(leaf, PhraseLeaf) and leaf.field not in RECALL_FIELDS
               for word in leaf.words]  # fmt: skip
    return not CIRCUMSTANCE_TERMS.isdisjoint([*_glossed_words(concept), *phrased])


def _glossed_words(concept: Concept) -> tuple[str, ...]:
    """``concept``'s words and the Korean glossary terms attached to it."""
    korean = [leaf.text for leaves in concept.weak for leaf in leaves
              if isinstance(leaf, TermLeaf) and leaf.field.endswith("_ko")
              and leaf.field not in RECALL_FIELDS]  # fmt: skip
    return (*concept.words, *korean)


def _join(
    concepts: list[Concept],
    side: str,
    start: int,
    end: int,
    params: SearchParams,
    read_as: dict[tuple[int, int], str],
) -> None:
    """The concepts a glossary phrase spans become that phrase, one concept: ``머리가 아플``
    means 두통, and an article that says 머리 in one sentence and 아프 in another does not
    match it (the glossary's terms for it are attached next, as for any concept). ``read_as``:
    the Korean words the phrase was found with another reading of."""
    inside = [c for c in concepts if start <= c.start and c.end <= end]
    if len(inside) < 2:
        return
    reading = read_as if side == "ko" else {}
    words = tuple(reading.get((c.start, c.end), c.words[0]) for c in inside)
    phrase = Concept(words, _side_query(side, words, params, phrase=True), start, end)
    concepts[concepts.index(inside[0])] = phrase
    for concept in inside[1:]:
        concepts.remove(concept)


def _glossary_matches(
    glossary: Glossary,
    analysed: dict[str, list[tuple[str, int, int]]],
    korean_concepts: list[Concept],
) -> tuple[list[tuple[int, int]], list[Expansion], dict[tuple[int, int], str], list[Expansion]]:
    """The query spans of the glossary's phrases, and the expansions of its lines, as the query
    reads; and as it reads with one Korean word read otherwise (that reading, by its span): after
    `임신 중` Kiwi reads `ACE 억제제` as ace + 억제, so the line for ACE inhibitors never matched
    and omeprazole's 양성자 펌프 억제제 came first; after a name, 졸음 as 졸다 + 음. Last, the
    expansions of the noun of each prefixed word no line has (헛구역질: 구역, nausea), which
    stand in for the word where no article says it."""
    phrases = [(start, end) for _, start, end in glossary.phrases_in(analysed)]
    expansions = glossary.expansions(analysed)
    read_as: dict[tuple[int, int], str] = {}
    other_readings = {(c.start, c.end): c.words[1:] for c in korean_concepts if c.start >= 0}
    nouns = {(c.start, c.end): noun for c in korean_concepts if (noun := _prefixed("ko", c))}
    of_nouns: list[Expansion] = []
    korean = analysed.get("ko", [])
    for at, (word, start, end) in enumerate(korean):
        if unmarked(word) != word:
            continue
        for other in other_readings.get((start, end), ()):
            read = _with_reading(analysed, at, other)
            found = [(s, e) for _, s, e in glossary.phrases_in(read) if s <= start and end <= e]
            new = [span for span in found if span not in phrases]
            if new:
                phrases += new
                expansions += [x for x in glossary.expansions(read) if (x.start, x.end) in new]
                read_as[start, end] = other
            elif not _expanded(expansions, start, end):
                # a word the glossary has only in the other reading (`리리카 졸음`: 졸다 + 음)
                expansions += _expansions_of(glossary, read, start, end)
        if (noun := nouns.get((start, end))) and not _expanded(expansions, start, end):
            of_nouns += _expansions_of(glossary, _with_reading(analysed, at, noun), start, end)
    return phrases, expansions, read_as, of_nouns


def _with_reading(
    analysed: dict[str, list[tuple[str, int, int]]], at: int, other: str
) -> dict[str, list[tuple[str, int, int]]]:
    """``analysed`` with its Korean word ``at`` read as ``other``."""
    korean = analysed["ko"]
    _, start, end = korean[at]
    return {**analysed, "ko": [*korean[:at], (other, start, end), *korean[at + 1 :]]}


def _expanded(expansions: list[Expansion], start: int, end: int) -> bool:
    """Whether some expansion covers the query characters ``start``..``end``."""
    return any(x.start <= start and end <= x.end for x in expansions)


def _expansions_of(
    glossary: Glossary, read: dict[str, list[tuple[str, int, int]]], start: int, end: int
) -> list[Expansion]:
    """The expansions of the lines of the word read at ``start``..``end`` in ``read``."""
    return [x for x in glossary.expansions(read) if (x.start, x.end) == (start, end)]


def _expand(
    parsed: ParsedQuery, expansions: list[Expansion], params: SearchParams, stand_in: bool = False
) -> dict[str, set[tuple[str, ...]]]:
    """Attach each glossary expansion, as weak evidence, to the concepts of its side that cover
    the same query characters; returns the terms attached (their words), per side. A negated
    word the line holds (`does not make you drowsy`) is searched as the line's unnegated terms
    of its side (`non-drowsy`, `less drowsy`) instead of itself: an article that says `drowsy`
    says the opposite."""
    attached: dict[str, set[tuple[str, ...]]] = {}
    replaced: set[int] = set()  # concepts whose own word a negated line's terms stand for
    for expansion in expansions:
        words = tuple(unmarked(w) for w in expansion.words)
        if words != expansion.words and not expansion.negated and len(words) == 1:
            # `insomnia` → `can't sleep`: the index holds no negation, and "sleep" alone is
            # any sleep (a phrase, 잠이 안 옴 → 잠 … 오, still says what it is about)
            continue
        instead = expansion.negated and words == expansion.words
        boost = params.glossary_boost
        query = _side_query(expansion.locale, words, params, phrase=True, boost=boost)
        for concept in parsed.concepts.get(expansion.locale, ()):
            if not (concept.start < expansion.end and expansion.start < concept.end):
                continue
            if stand_in:
                concept.stand_in.append(query)
            elif instead and (concept.start, concept.end) == (expansion.start, expansion.end):
                kept = concept.direct if id(concept) in replaced else ()
                concept.direct = kept + _side_query(expansion.locale, words, params, phrase=True)
                replaced.add(id(concept))
            else:
                concept.weak.append(query)
            attached.setdefault(expansion.locale, set()).add(words)
    return attached


def _bound_words(terms: set[tuple[str, ...]], free: set[str]) -> dict[str, list[tuple[str, ...]]]:
    """Each word only the glossary's terms of several words bring (not the reader's own, a
    compound part or a term alone), with the terms it is in."""
    free = free | {term[0] for term in terms if len(term) == 1}
    bound: dict[str, list[tuple[str, ...]]] = {}
    for term in sorted(t for t in terms if len(t) > 1):
        for word in dict.fromkeys(term):
            if word not in free:
                bound.setdefault(word, []).append(term)
    return bound


def split_partial_word(text: str) -> tuple[str, str]:
    """A last word still being composed (``가바ㅍ``: it ends in a lone jamo) searched as a
    prefix, apart from the words to analyse."""
    words = text.split()
    if words and is_jamo(words[-1][-1]) and not is_initials(words[-1]):
        return " ".join(words[:-1]), words[-1]
    return text, ""


def _add(concepts: list[Concept], seen: set[tuple[str, ...]], concept: Concept) -> None:
    if concept.words not in seen:
        seen.add(concept.words)
        concepts.append(concept)


def _bigram_recall_ok(text: str, word: str, start: int, end: int) -> bool:
    """Only whole Hangul words the reader typed, long enough not to hide inside other words;
    not an adverb read before its verb (갑자기 of 갑자기 끊으면), which means what it does only
    there (its characters found loperamide's "갑자기 시작된 설사")."""
    return (
        len(word) >= MIN_BIGRAM_RECALL
        and _typed_hangul(text, word, start, end)
        and word not in ADVERBS_READ_BEFORE
    )


def _compound_head_ok(text: str, word: str, start: int, end: int, params: SearchParams) -> bool:
    """A two-syllable Hangul word typed whole, which may begin a compound (``머리카락``), but
    none the user dictionary keeps whole because the part means something else."""
    return (
        params.compound_head_boost > 0
        and len(word) == 2
        and _typed_hangul(text, word, start, end)
        and word not in lexicalized_heads()
    )


def _typed_hangul(text: str, word: str, start: int, end: int) -> bool:
    """``word`` is Hangul and what the reader typed at ``start``, not a lemma of it."""
    return text[start:end] == word and HANGUL_RUN.fullmatch(word) is not None


def _alternatives(text: str, term: Term, found: list[Reading]) -> list[str]:
    """Other readings of ``term``'s characters: lemmas overlapping it, or nouns spanning it whole
    (never the fragments of a split noun, which would match far too much)."""
    typed = text[term.start : term.end]
    verb_as_typed = verb_stem(term.text) if term.text != typed else None  # 열다 of 열어
    return sorted(
        {
            r.text
            for r in found
            if (
                r.verb
                and r.start < term.end
                and term.start < r.end
                and _whole_enough(text, r, term, found)
            )
            or (not r.verb and r.start <= term.start and term.end <= r.end)
        }
        - {term.text, verb_as_typed}
    )


def _whole_enough(text: str, verb: Reading, term: Term, found: list[Reading]) -> bool:
    """A one-syllable lemma reads a word that is that verb (``붓다``, ``졸음``: 졸다, ``잠``:
    자다), not a syllable cut out of another word (``시리``: 시다; ``가져가``: 가다) or of one
    read as two (``자본``: 자다 + 보다), nor a noun as a verb every text says (``간``: 가다):
    such lemmas are in nearly every article, and as an alternative make the word itself look
    common."""
    if verb.start > term.start:  # cut out of the word's middle or end (밀리바르: 바르다)
        return False
    stem = verb_stem(verb.text)
    if term.text == text[term.start : term.end] == stem:
        return False  # a noun typed as a bare stem is the noun (열, fever: not 열다, to open)
    if len(stem) > 1:
        return True
    if verb.text in LIGHT_VERBS and term.end - term.start == 1:
        return False  # 간 as 가다; not 보기 nor 주기, which are 보다 and 주다 made nouns
    if verb.start != term.start or term.end - term.start > 2:
        return False
    if term.end - term.start == 2 and text[term.start + 1] not in VERB_FORM_ENDINGS:
        return False
    return not any(verb.start < r.start < term.end for r in found)


def _side_query(
    side: str,
    words: tuple[str, ...],
    params: SearchParams,
    *,
    phrase: bool = False,
    boost: float = 1.0,
) -> tuple[Leaf, ...]:
    """A phrase, or a term and its alternative readings, in any of one language's fields."""
    parts: list[Leaf] = []
    for name, weight in params.field_weights.items():
        fieldname = f"{name}_{side}"
        if phrase and len(words) > 1:
            parts.append(PhraseLeaf(fieldname, words, weight * boost))
        else:
            parts.extend(TermLeaf(fieldname, word, weight * boost) for word in words)
    return tuple(parts)
