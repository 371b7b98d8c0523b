"""Search the knowledge base: ranking, snippets, and display in the reader's locale.

Returns plain dataclasses (no engine types), so the web app, the CLI and the benchmarks share
one interface; :func:`find` gives the full ranking before paging.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Literal, NamedTuple

import numpy as np

from kb.analysis.hangul import is_initials
from kb.analysis.korean import TAKING_LEMMAS, end_before_particles, inflected
from kb.asides import names_section, warns, weighed_for
from kb.completions import finished_query
from kb.content import LOCALES
from kb.corrections import (
    Suggestion,
    keyboard_alternative,
    likelier_spelling,
    negation_spelling,
    respelling,
    slipped_vowel_reading,
    spacing_alternative,
    typo_correction,
)
from kb.engine import Leaf, PhraseLeaf, Span, TermLeaf
from kb.glossary import analyse_term
from kb.initials import initials_matches
from kb.intent import (
    AMOUNT,
    ASKED_ADVERBS,
    DOSING_TERMS,
    ENGLISH_TIME_UNITS,
    MEDICINE_ENDINGS,
    POPULATION_TERMS,
    TAKING_QUERY_TERMS,
    TAKING_WORDS,
    TOGETHER_ADVERBS,
    Answer,
    adverbs_asked,
    counted,
    is_medicine_word,
    kinds_typed,
    overlaps,
)
from kb.params import DEFAULTS, SearchParams
from kb.passages import translation_passages
from kb.query import Concept, ParsedQuery, asks_for_a_kind, clean_query, parse_query
from kb.ranking import (
    COMPLETE,
    Ranking,
    asides_asked,
    need_first,
    rank,
    warned_last,
)
from kb.schema import RECALL_FIELDS, SNIPPET_FIELDS, StoredTranslation
from kb.scoring import LeafScorer
from kb.semantic import Meaning, fuse, meanings
from kb.snapshot import IndexSnapshot, KnowledgeIndex
from kb.snippets import Tells, Weigh, make_snippet

ADVERB_THEN_WORD = re.compile(f"({ASKED_ADVERBS.pattern})\\s*")  # an adverb, up to its word
TITLE_TIE_BREAK = 0.01  # what a word the result's title shows weighs in choosing its snippet
NOT_A_WORD = re.compile(r"[\W_]+")  # what a heading holds besides its words (spaces, "·")
ANSWER_TELLS = 1000.0  # more than any window's other words can tell (see _answers_first)
MAX_PER_PAGE = 100  # what one call returns at most; the web API allows fewer
Mode = Literal["lexical", "hybrid"]
MODES: tuple[Mode, ...] = ("lexical", "hybrid")
# Alternatives offered whenever they find something, not only when they find more: the reader
# meant them whatever the words as typed happen to match.
OFFERED_ALWAYS = ("keyboard", "spacing")
# Alternatives made of the index's own words, said as typed: no need to check their meaning.
SAID_AS_TYPED = ("spacing", "spelling", "unfinished")


class Alternative(NamedTuple):
    """A text the reader may have meant, and its kind (:class:`Suggestion`). ``vouched``: Kiwi
    reads it as far likelier Korean than the text as typed, so meaning need not vouch for it
    too, and a respelling that matches as much is enough. ``korean``: it only puts
    Korean words the articles have for Korean words they lack, so the reader's language is
    kept and meaning, which reads a misspelled name as noise (`졸로푸트`), has no say."""

    kind: str
    text: str
    vouched: bool = False
    korean: bool = False


@dataclass(frozen=True)
class Hit:
    """One article in a result list, shown in ``locale`` (``fallback`` when not the one asked)."""

    slug: str
    locale: str
    title: str
    snippet: str  # HTML whose only markup is <mark>
    score: float
    fallback: bool
    coverage: float  # share of the query's terms the article matches (0: by meaning only)
    summary: str = ""
    category: str = ""
    updated: str | None = None
    locales: tuple[str, ...] = ()
    # where the article warns about a condition the query names (`임신 중 두통약`: ibuprofen's
    # "do not use it at 20 weeks of pregnancy"), when the snippet does not show it: HTML whose
    # only markup is <mark>, or ""
    caution: str = ""

    @property
    def by_meaning(self) -> bool:
        """Found by meaning alone: the article has no word of the query (nor a glossary term)."""
        return not self.coverage


@dataclass(frozen=True)
class SearchPage:
    """A page of results for ``query`` (as cleaned).

    ``corrected``: the results are for another text (the keyboard layout or a typo fixed) because
    the query as typed found nothing, or for an English word typed in two that some article has
    whole while none has every word as typed. ``suggestion``: another text worth offering ("did
    you mean"). ``notice`` explains an empty or altered search with a stable code: ``empty``
    (nothing to search), ``no_terms`` (only punctuation or stop words), ``truncated``.
    ``missing``: the words of the text searched that no article has, whenever articles were
    found: the results match only the rest (`위염 약`: 위염), or, with ``meaning_only``, none
    of the words, and meaning alone found them (`위염`: the stomach medicines, which never
    say it). ``by_meaning``: how many of the ``total`` results have no word of the query and
    were found by meaning alone (`독감`: diphenhydramine, whose article never says flu), so a
    page can count and mark them apart from the matches. ``aside_only``: the words of the need
    when every article that says them says them only among its side effects or precautions
    (`코막힘 약`: losartan lists a stuffy nose as a side effect), so that no reader takes a
    result for a treatment.
    """

    query: str
    locale: str
    total: int
    page: int
    per_page: int
    hits: list[Hit] = field(default_factory=list)
    notice: str | None = None
    corrected: Suggestion | None = None
    suggestion: Suggestion | None = None
    missing: tuple[str, ...] = ()
    meaning_only: bool = False
    by_meaning: int = 0
    aside_only: tuple[str, ...] = ()

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def searched(self) -> str:
        """The text the results are for: the correction when one was searched instead."""
        return self.corrected.text if self.corrected else self.query


@dataclass(frozen=True)
class Found:
    """Every match of one search, before paging: the query as searched (``shown``, which a
    correction may have replaced), the full ranking, and the corrections made or offered."""

    snapshot: IndexSnapshot
    parsed: ParsedQuery
    shown: ParsedQuery
    ranking: Ranking
    notice: str | None = None
    corrected: Suggestion | None = None
    suggestion: Suggestion | None = None
    meaning: Meaning | None = None  # how close the query is to each article, when hybrid
    params: SearchParams = DEFAULTS  # as weighed for this query (kb.asides.weighed_for)

    @property
    def asides_asked(self) -> bool:
        """Whether the reader asks about side effects or precautions (kb.intent, kb.asides)."""
        return asides_asked(self.shown, self.params)


def search(
    index: KnowledgeIndex,
    query: str,
    locale: str,
    page: int = 1,
    per_page: int = 10,
    *,
    correct: bool = True,
    params: SearchParams = DEFAULTS,
    mode: Mode = "hybrid",
) -> SearchPage:
    """Articles matching ``query`` in any translation, best first, shown in ``locale``.

    Articles that match more of the query's terms (in either language) rank above those matching
    fewer; within that, BM25F with the title weighted above the body. A 초성 query matches the
    initials of title and tag words; keyboard-layout mix-ups and typos are corrected or offered
    (``correct=False``: search the text exactly as typed, for "search instead for …").
    ``mode="hybrid"`` (when the build has passage vectors) also ranks by meaning, so a need
    described in other words, or in the other language, finds its article.
    """
    _check_arguments(locale, page, per_page, mode)
    found = find(index, query, correct=correct, params=params, mode=mode)
    first = (page - 1) * per_page
    asked: dict[str, AskedWords] = {}
    hits = [
        _hit(found, docnum, score, coverage, locale, found.params, asked)
        for docnum, score, coverage in found.ranking.page(first, page * per_page)
    ]
    ranking = found.ranking
    missing = tuple(
        dict.fromkeys(_word_as_typed(found.shown.text, s, e) for s, e in ranking.unmatched)
    )
    matched = ranking.total > ranking.by_meaning
    aside_only = _phrases_as_typed(found.shown.text, ranking.aside_only) if matched else ()
    return SearchPage(
        found.parsed.text, locale, ranking.total, page, per_page, hits, found.notice,
        found.corrected, found.suggestion, missing if ranking.total else (),
        0 < ranking.total == ranking.by_meaning, ranking.by_meaning, aside_only,
    )  # fmt: skip


def _phrases_as_typed(text: str, spans: Iterable[tuple[int, int]]) -> tuple[str, ...]:
    """The query's words at ``spans`` as the reader typed them, those side by side as one
    (`hair loss`, not `hair` and `loss`); of a word read two ways, the narrower reading (the
    Korean side's 설사 of `설사할 때`, not the English side's whole word)."""
    spans = set(spans)
    narrowest = [
        (s, e) for s, e in spans if not any(s <= s2 and e2 <= e for s2, e2 in spans - {(s, e)})
    ]
    merged: list[list[int]] = []
    for start, end in sorted(narrowest):
        if merged and not text[merged[-1][1] : start].strip():
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple(dict.fromkeys(_word_as_typed(text, start, end) for start, end in merged))


def _word_as_typed(text: str, start: int, end: int) -> str:
    """The query's word that ``text[start:end]`` (a term no article has) stands for, as a
    reader would name it: a verb with its ending (`시려요`, where Kiwi's stem spans `시려`), a
    noun without its particle (`위염` of `위염에`), and a verb made a noun too (`두근거림` of
    `두근거림이`)."""
    if not inflected(text, start, end):
        return text[start:end]
    while start > 0 and not text[start - 1].isspace() and text[start - 1] != '"':
        start -= 1
    while end < len(text) and not text[end].isspace() and text[end] != '"':
        end += 1
    return text[start : end_before_particles(text, start, end)]


def find(
    index: KnowledgeIndex,
    query: str,
    *,
    correct: bool = True,
    params: SearchParams = DEFAULTS,
    mode: Mode = "hybrid",
) -> Found:
    """Every match of ``query``, ranked (what :func:`search` pages through). Corrections are
    decided on words, and in hybrid mode a correction must also be closer in meaning to some
    article than the text as typed: a query in a language the articles lack finds no words,
    and "correcting" it (``harry potter`` → ``barry latter``, ``do`` → ``애``) would garble
    what meaning searches. Korean corrected into Korean keeps the reader's language, so needs
    no such check. Meaning is fused in last, for the text finally searched."""
    snapshot = index.snapshot()
    build = snapshot.engine
    # weighed as for the text searched: cleaned first, so a megabyte costs no more here either
    asked, params = params, weighed_for(clean_query(query or "")[0], params)
    parsed = parse_query(query or "", snapshot.glossary, params)
    notice = "truncated" if parsed.truncated else None
    if not parsed.text:
        return Found(snapshot, parsed, parsed, Ranking.empty(), "empty")
    if is_initials(parsed.text):
        ranking = initials_matches(snapshot, parsed.text)
    elif parsed.empty:
        return Found(snapshot, parsed, parsed, Ranking.empty(), "no_terms")
    else:
        ranking = rank(build, parsed, params)
    shown, corrected, suggestion = parsed, None, None
    known: dict[str, Meaning] = {}
    encoder = snapshot.encoder if mode == "hybrid" and not is_initials(parsed.text) else None

    def meanings_of(*texts: str) -> list[Meaning]:
        assert encoder is not None
        missing = [text for text in dict.fromkeys(texts) if text not in known]
        if missing:
            known.update(zip(missing, meanings(snapshot, encoder, missing, params), strict=True))
        return [known[text] for text in texts]

    found = ranking.found_by_any_word
    alternatives = _alternatives(parsed.text, found, snapshot, params) if correct else ()
    for kind, other_text, vouched, korean in alternatives:
        other_params = weighed_for(other_text, asked)
        other = parse_query(other_text, snapshot.glossary, other_params)
        if other.empty:
            continue
        if encoder is not None and kind not in SAID_AS_TYPED and not (vouched or korean):
            as_corrected, as_typed = meanings_of(other.text, parsed.text)
            if as_corrected.closest <= as_typed.closest:
                continue  # the words as typed make more sense: e.g. asked in another language
        other_ranking = rank(build, other, other_params)
        if kind == "spelling":  # searched when it matches more, else not even offered
            if _covers_more(other_ranking, ranking, vouched):
                shown, ranking, corrected = other, other_ranking, Suggestion(other.text, kind)
                params = other_params
                break
            continue
        finds_more = other_ranking.found_by_any_word > ranking.found_by_any_word
        if finds_more or (kind in OFFERED_ALWAYS and other_ranking.total):
            searched_instead = (
                not ranking.total
                or (kind == "spacing" and _completes(other_ranking, ranking))
                or (kind == "typo" and vouched and _covers_more(other_ranking, ranking))
            )
            if searched_instead:
                shown, ranking, corrected = other, other_ranking, Suggestion(other.text, kind)
                params = other_params
            else:
                suggestion = Suggestion(other.text, kind)
            break
    close = None
    if encoder is not None:
        (close,) = meanings_of(shown.text)
        asked_of_named = ranking.named and names_section(shown.text)
        ranking = fuse(
            ranking, close, params, shown.text, asides_asked(shown, params), asked_of_named,
            asks_for_a_kind(shown),
        )  # fmt: skip
    ranking = warned_last(need_first(ranking), params)
    return Found(snapshot, parsed, shown, ranking, notice, corrected, suggestion, close, params)


def _completes(joined: Ranking, typed: Ranking) -> bool:
    """Some article has the joined word and none has every word as typed: ``head ache`` is
    searched as ``headache``, while an article saying "head … ache" keeps the words as typed."""
    return joined.coverage.max() > COMPLETE >= typed.coverage.max()


def _covers_more(respelled: Ranking, typed: Ranking, vouched: bool = False) -> bool:
    """Some article matches more of the query respelled than any did of it as typed: the word
    no article has (``베튼``) is then searched as articles spell it (``배튼``). A ``vouched``
    respelling needs only match as much: Kiwi may have read the typo as no word at all (`두퉁
    약` as 두 + 퉁 + 약), leaving the typed query only the words it matches."""
    if not respelled.total:
        return False
    if not typed.total:
        return True
    if vouched:
        return respelled.coverage.max() >= typed.coverage.max()
    return respelled.coverage.max() > typed.coverage.max()


def _alternatives(
    text: str, found: int, snapshot: IndexSnapshot, params: SearchParams
) -> Iterator[Alternative]:
    """Texts the reader may have meant, in the order worth trying: the other keyboard layout,
    English words joined, words no article has respelled as articles spell them (a vowel said
    alike, a name transliterated or misspelled), 않 written for 안, the last word finished when
    the query found nothing (`타이레` → `타이레놀`), then typo corrections: when the query found
    little, a vowel slip Kiwi vouches for and then any typo; else a Korean one Kiwi reads as
    far likelier."""
    converted = keyboard_alternative(text, snapshot)
    if converted:
        yield Alternative("keyboard", converted)
    joined = spacing_alternative(text, snapshot)
    if joined:
        yield Alternative("spacing", joined)
    respelled = respelling(text, snapshot)
    if respelled:
        yield Alternative("spelling", respelled)
    negated = negation_spelling(text, params.korean_typo_min_gain)
    if negated:
        yield Alternative("spelling", negated, vouched=True)
    if not found:
        finished = finished_query(text, snapshot)
        if finished:
            yield Alternative("unfinished", finished)
    if found < params.few_results:
        slipped = slipped_vowel_reading(text, snapshot, params.korean_slip_min_gain)
        if slipped:
            yield Alternative("typo", slipped, vouched=True)
        fixed = typo_correction(text, snapshot)
        if fixed:
            yield Alternative("typo", fixed.text, korean=fixed.korean)
    else:
        likelier = likelier_spelling(text, snapshot, params.korean_typo_min_gain)
        if likelier:
            yield Alternative("spelling", likelier, vouched=True)


def _hit(
    found: Found,
    docnum: int,
    score: float,
    coverage: float,
    wanted: str,
    params: SearchParams,
    asked: dict[str, AskedWords],
) -> Hit:
    """One result as shown in ``wanted`` (or the translation it has); ``asked``: the query's
    snippet words per locale, made by the first hit shown in it."""
    snapshot = found.snapshot
    article = snapshot.engine.article(docnum)
    shown = article.shown_in(wanted)
    tr = article.translations[shown]
    if shown not in asked:
        asked[shown] = _asked_words(found, shown, params)
    words = _snippet_words(found, asked[shown], docnum, shown, tr, params)
    spans, answer = words.spans, words.answer
    # the text where a word of the query or a line answering it is (`깜빡하고 약 안먹음` shown
    # in English: "Missed dose: …", where no word of the query is), else the summary
    text = tr.text if spans or answer or not tr.summary else tr.summary
    if text is not tr.text:
        answer = []
    if not coverage and found.meaning is not None:
        # Found by meaning alone: its closest passage, nothing marked, though the text may
        # say a word of the query that only frames it (`코막힘 약`: pregabalin's "약을 시작하거나
        # 끊거나…", the closing advice every article has)
        passage = _closest_passage(
            found.meaning, docnum, article.slug, shown, tr, found.asides_asked
        )
        if passage:
            text, spans, answer = passage, [], []
    snippet = make_snippet(
        text, spans, weigh=words.weigh, telling=words.telling, tells=words.tells,
        answer=answer, tie_breaking=words.tie_breaking,
    )  # fmt: skip
    return Hit(
        slug=article.slug,
        locale=shown,
        title=tr.title,
        snippet=snippet,
        score=round(score, 4),
        fallback=shown != wanted,
        coverage=round(coverage, 4),
        summary=tr.summary,
        category=tr.category,
        updated=tr.updated,
        locales=article.locales,
        caution=_caution(found, docnum, shown, tr.text, snippet),
    )


def _caution(found: Found, docnum: int, locale: str, text: str, snippet: str) -> str:
    """The first precaution (a line of ``text``) in which the article warns about a condition
    the query names, with the condition marked; "" when it warns about none, or ``snippet``
    already shows that line."""
    if not np.isin(docnum, found.ranking.warned):
        return ""
    aside = f"aside_{locale}"
    conditions = [c for cs in found.shown.concepts.values() for c in cs
                  if (c.start, c.end) in found.shown.conditions]  # fmt: skip
    leaves = [leaf for c in conditions for group in (c.direct, *c.weak) for leaf in group
              if leaf.field == aside]  # fmt: skip
    words = {word for leaf in leaves for word in _leaf_words(leaf)}
    found_at = {span: aside for span in found.snapshot.engine.spans(aside, docnum, sorted(words))}
    # a word only inside a glossary phrase (`people` of `older people`) counts beside the rest
    apart = _apart(found_at, found.shown.bound_words.get(locale, {}))
    spans = sorted(set(found_at) - set(apart))
    for span in spans:
        start = text.rfind("\n", 0, span.start) + 1
        end = text.find("\n", span.end)
        end = len(text) if end < 0 else end
        line = text[start:end]
        if not warns(line):
            continue
        if " ".join(text[span.start : span.end + 30].split()) in _plain(snippet):
            return ""
        inside = [replace(s, start=s.start - start, end=s.end - start) for s in spans
                  if start <= s.start and s.end <= end]  # fmt: skip
        return make_snippet(line, inside)
    return ""


def _plain(snippet: str) -> str:
    """A snippet's text as a reader sees it: no marks, no escapes, spaces collapsed."""
    return " ".join(html.unescape(snippet.replace("<mark>", "").replace("</mark>", "")).split())


@dataclass(frozen=True)
class AskedWords:
    """What choosing snippets needs of the query in one locale, the same for every hit of a
    page: made once a page, where each hit looked every word's rarity and title postings up
    again (a tenth of a words-only search at 10,000 articles)."""

    words: list[str]  # the reader's words, then weaker evidence's
    own: set[str]  # the reader's words that choose the window
    rarity: dict[str, float]  # each word's idf, framing words' 0
    telling: set[str]  # of the words with a rarity, those in at most half of the articles
    titles: dict[str, np.ndarray]  # per word with a rarity, the documents whose title holds it
    field_weight: dict[str, float]
    # the needs of the words the reader typed: where the text lacks their own words (`부작용`
    # shown in English), the glossary's say where to look
    typed: list[Need]
    needs: list[Need]  # the query's concepts as a window tells them (see :class:`Need`)
    # what the query asks of how to take a medicine (kb.intent.answers_asked), but where it
    # asks for side effects or precautions (`용량 부작용` wants those)
    answers: tuple[Answer, ...] = ()
    # where a query asking the side effects or precautions of a kind of medicine names the
    # kind, as typed (kb.intent.kinds_typed: `수면제 부작용`, `고혈압 약 주의사항`)
    kinds: tuple[tuple[int, int, str], ...] = ()
    # ... or as the glossary names it, in either language (`steroid`, `blood pressure pills`):
    # (line, start, end), kb.query.ParsedQuery.named_kinds
    named_kinds: tuple[tuple[int, int, int], ...] = ()
    # the Korean adverbs the query asks with, which no index holds (kb.intent.adverbs_asked)
    adverbs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Need:
    """One concept of the query as a snippet window tells it: by the reader's ``own`` words,
    each counting, or by one of the glossary's ``alternatives`` (인후통; 목 아픔), each counting
    once, whether it is one word or several; never more than the reader's words would. Its
    glossary words in at most half of the articles (``rare``) tell even where the reader's words
    choose: the uses saying `sore throat` as 인후통 tell it as fully as the side effects saying
    목 아픔."""

    own: frozenset[str]
    alternatives: tuple[frozenset[str], ...]
    rare: frozenset[str]
    # the reader's words of one glossary term (`shortness of breath`), and the glossary's terms
    # of several words for it, in order: their words say the need only side by side
    together: tuple[tuple[str, ...], ...] = ()
    # whether its glossary words say it where the text lacks the reader's: not for a name
    # (이부프로펜 of `ibuprofen 임신`), a condition (its warning is the caution line's) nor a
    # word for medicine (`tablets` of `headache pill`)
    stands_in: bool = False

    @property
    def glossary(self) -> frozenset[str]:
        """Every word of its glossary alternatives."""
        return frozenset().union(*self.alternatives)

    @property
    def words(self) -> frozenset[str]:
        """The reader's words and the glossary's."""
        return self.own | self.glossary

    def said_in(self, words: Collection[str]) -> bool:
        """Whether ``words`` say the need: one of the reader's (all, for a term of several),
        or a glossary term whole (a title's 복용 does not say 복용법, the glossary's word for
        `용량`, nor `복용을 잊었어요`)."""
        shown = set(words)
        own = self.own <= shown if self.together else bool(self.own & shown)
        return own or any(alternative <= shown for alternative in self.alternatives)


def _asked_words(found: Found, locale: str, params: SearchParams) -> AskedWords:
    """The query's words as every hit's snippet in ``locale`` weighs them (see
    :func:`_snippet_words`)."""
    snapshot = found.snapshot
    own = set(found.shown.terms.get(locale, ()))
    framed = set(found.ranking.framing)
    concepts = [c for c in found.shown.concepts.get(locale, ()) if (c.start, c.end) in framed]
    answers = () if found.asides_asked else found.shown.answers
    framing = {w for c in concepts for w in c.words} & own
    if AMOUNT in answers:  # the words asking it still choose where no line gives an amount
        framing -= DOSING_TERMS
    if framing < own:  # the need has words of its own: they choose the window
        own -= framing
        # and the glossary's words for a framing word frame too (`두통 부작용` shown in
        # English: the headache chooses the window, not `side effects`)
        framing |= {word for c in concepts for leaves in c.weak for leaf in leaves
                    for word in _leaf_words(leaf)}  # fmt: skip
    else:
        framing = set()
    if found.shown.conditions and found.ranking.named and own - TAKING_LEMMAS:
        # a medicine named beside a condition (`임신 중 타이레놀 먹어도 되나요`): taking it
        # is what is asked of the condition, and its 먹 chose the strengths' "씹어 먹는 정제"
        framing |= own & TAKING_LEMMAS
        own -= TAKING_LEMMAS
    words = [*found.shown.terms.get(locale, ()), *found.shown.weak_terms.get(locale, ())]
    rarity = _rarity(snapshot, locale, words)
    rarity.update((word, 0.0) for word in framing if word in rarity)
    weighty = [w for w, weight in rarity.items() if weight]
    title = f"title_{locale}"
    titles = {w: snapshot.engine.postings(title, w).ids for w in weighty}
    field_weight = dict(params.field_weights.items())
    if found.shown.cautions:
        # The reader asks which medicines are bad for something (kb.intent): the side effects
        # and precautions say it, so the snippet looks there first (`신장에 안 좋은 약` shows
        # losartan's warning about the kidneys, not its use for them).
        field_weight["body"], field_weight["aside"] = field_weight["aside"], field_weight["body"]
    telling = _telling(snapshot, locale, weighty)
    needs = _needs(found, locale, titles)
    typed = [c.start >= 0 for c in found.shown.concepts.get(locale, [])]
    typed_needs = [need for need, said in zip(needs, typed, strict=True) if said]
    if answers:  # where an article says how to take it is often among its precautions
        field_weight["aside"] = max(field_weight["aside"], field_weight["body"])
    kinds: tuple[tuple[int, int, str], ...] = ()
    named_kinds: tuple[tuple[int, int, int], ...] = ()
    if not (found.shown.side_effects or found.ranking.named):
        # of any query, a kind the glossary names (`statin muscle pain`); of one asking for
        # side effects or precautions, a kind typed, or failing that each word typed
        named_kinds = found.shown.named_kinds
        kinds = tuple(kinds_typed(found.shown.text)) if params.asides_complete else ()
    adverbs = adverbs_asked(found.shown.text) if locale == "ko" else ()
    return AskedWords(
        words,
        own,
        rarity,
        telling,
        titles,
        field_weight,
        typed_needs,
        needs,
        answers,
        kinds,
        named_kinds,
        adverbs,
    )


def _needs(found: Found, locale: str, titles: dict[str, np.ndarray]) -> list[Need]:
    """The query's concepts as snippet windows tell them (see :class:`Need`). The glossary's
    words for a name (이부프로펜 of `ibuprofen 임신`) tell no more than before, nor those for a
    condition beside a need (고령자 of `노인 수면제`): the need is what the snippet shows, and
    the result's caution line the warning."""
    snapshot = found.snapshot
    most = snapshot.engine.size / 2
    needs = []
    for concept in found.shown.concepts.get(locale, ()):
        alternatives = tuple(  # words a text can show: no recall field's bigrams (`^신지`)
            frozenset(w for leaf in leaves for w in _leaf_words(leaf))
            for leaves in concept.weak
            if not any(leaf.field in RECALL_FIELDS for leaf in leaves)
        )
        said = {*concept.words, *(w for words in alternatives for w in words)}
        names = any(0 < len(titles.get(w, ())) <= most for w in said)
        condition = (concept.start, concept.end) in found.shown.conditions
        medicine = all(is_medicine_word(w, kinds=False) for w in concept.words)
        glossary = set() if names or condition else said - set(concept.words)
        rare = frozenset(_telling(snapshot, locale, glossary))
        together = _phrases(concept) if _is_phrase(concept) else ()
        stands_in = not (names or condition or medicine)
        needs.append(Need(frozenset(concept.words), alternatives, rare, together, stands_in))
    return needs


def _phrases(concept: Concept) -> tuple[tuple[str, ...], ...]:
    """The terms of several words ``concept`` searches (its own, the glossary's), in order."""
    phrases = [
        leaves[0].words
        for leaves in (concept.direct, *concept.weak)
        if isinstance(leaves[0], PhraseLeaf) and leaves[0].field not in RECALL_FIELDS
    ]
    return tuple(dict.fromkeys(phrases))


def _is_phrase(concept: Concept) -> bool:
    """Whether ``concept`` is the reader's words of one term, side by side (a glossary term of
    several words, or quoted), more than a need and a word for medicine (`알레르기 약`: its
    알레르기 alone, in 알레르기 비염, still says what the reader needs)."""
    saying = [w for w in concept.words if not is_medicine_word(w, kinds=False)]
    return len(saying) > 1 and any(isinstance(leaf, PhraseLeaf) for leaf in concept.direct)


def _said_apart(field_of: dict[Span, str], needs: list[Need]) -> list[Span]:
    """The spans of a need's words standing apart from each of its terms of several words
    (`short` of `shortness of breath` in "short-term", 아프다 of `이빨이 아파요` in "목 아픔"),
    in a text that says the need somewhere (side by side, or in one word: 치통): they do not
    say it."""
    apart: list[Span] = []
    single = {w for need in needs if not need.together for w in need.own}
    words = [span.word for span in field_of]
    for need in (need for need in needs if need.together):
        alone = {w for alt in need.alternatives if len(alt) == 1 for w in alt}
        bound = {w: list(need.together) for terms in need.together for w in terms
                 if w not in single | alone}  # fmt: skip
        loose = _apart(field_of, bound)
        if len(loose) < sum(w in bound for w in words) or any(w in alone for w in words):
            apart += loose
    return apart


def _tells(
    needs: list[Need], telling: set[str], present: set[str], titled: Collection[str] = ()
) -> tuple[set[str], Tells]:
    """The words that tell of the query in a text holding ``present`` where ``telling`` are the
    words telling by themselves, and how much a window's distinct words tell: per need, its own
    telling words it holds and the glossary alternatives it holds whole, at most as many as its
    own words (at least 1). Where the text has the reader's word but every article says it
    (술), the glossary's rarer one (알코올) tells no more than before; nor does one the title
    already shows (`스테로이드 끊으면` in English: "steroid" names prednisolone's kind)."""
    counted: list[tuple[frozenset[str], list[frozenset[str]], int]] = []
    told_by = set(telling)
    loose = set(telling)
    for need in needs:
        own = need.own & telling
        common = bool(need.own & present) and not own
        rare = frozenset() if common else need.rare.difference(titled)
        alternatives = [
            frozenset(w for w in words if w in telling or w in rare) for words in need.alternatives
        ]
        alternatives = [words for words in alternatives if words]
        told_by.update(w for words in alternatives for w in words)
        loose -= need.own | need.glossary
        counted.append((own, alternatives, max(len(own), 1)))

    def tells(words: Collection[str]) -> float:
        shown = set(words)
        total = len(loose & shown)
        for own, alternatives, most in counted:
            told = len(own & shown) + sum(alternative <= shown for alternative in alternatives)
            total += min(most, told)
        return total

    return told_by, tells


class SnippetWords(NamedTuple):
    """How one result's snippet window is chosen (see :func:`kb.snippets.make_snippet`)."""

    spans: list[Span]  # where the query's words are in the text
    weigh: Weigh  # what each span counts for
    telling: set[str]  # the words that say which part to show (see :func:`_telling`)
    tells: Tells  # how much a window's words tell (see :func:`_tells`)
    answer: list[Span]  # where the text answers how to take it (see :func:`_answers_first`)
    tie_breaking: set[str]  # the words the result's title already shows


def _snippet_words(
    found: Found,
    asked: AskedWords,
    docnum: int,
    locale: str,
    tr: StoredTranslation,
    params: SearchParams,
) -> SnippetWords:
    """Where the query's words are in translation ``tr`` (article ``docnum`` in ``locale``)
    and what each says in choosing the snippet's window (see :class:`SnippetWords`)."""
    words, own = asked.words, asked.own
    field_of = {
        span: name for name in SNIPPET_FIELDS
        for span in found.snapshot.engine.spans(f"{name}_{locale}", docnum, words)
    }  # fmt: skip
    for span in _apart(field_of, found.shown.bound_words.get(locale, {})):
        del field_of[span]
    for span in _said_apart(field_of, asked.needs):
        field_of.pop(span, None)
    rarity = dict(asked.rarity)
    # 같이 and 함께, typed or each other's synonym, only where the query names a medicine
    # (`타이레놀이랑 이부프로펜 같이`): `술이랑 같이 먹으면 안 되는 약` wants the alcohol line,
    # not "다른 진정제와 함께 먹을 때"
    adverbs = [a for a in asked.adverbs if found.ranking.named or a not in TOGETHER_ADVERBS]
    if adverbs:
        # the query says 먹다 or 복용, or 같이 (kb.intent.TOGETHER_ADVERBS)
        taking = bool(
            TAKING_QUERY_TERMS.intersection(words) or TOGETHER_ADVERBS.intersection(adverbs)
        )
        field_of.update(_adverbs_said(tr.text, adverbs, field_of, taking))
        rarity.update((word, 1.0) for word in adverbs)  # as a word every article says
    present = {span.word for span in field_of}
    # The result's title shows some words of the query, in either language (`zolpidem` of
    # `졸피뎀(스틸녹스)`), and the glossary's words for those the text lacks stand in for them
    # (`alcohol` shown in Korean: 술).
    in_title = {w for w, docs in asked.titles.items() if bool((docs == docnum).any())}
    if asked.kinds or asked.named_kinds:
        # an article whose tags say it is of the kind asked about (`수면제 부작용`: zolpidem)
        # is named by it, as by its title: it shows the section asked, not the opening that
        # says what it is; another article listed still shows where it names that kind
        in_title |= _kind_words(found, asked, tr.tags, locale)
    title_shows = in_title | {w for need in asked.typed if need.said_in(in_title)
                              for w in need.words}  # fmt: skip
    lacking = [need for need in asked.typed if not need.own & present]  # said otherwise, if at all
    standing_in = {w for need in lacking for w in need.glossary}
    choosing = set(words)
    if own & present:
        # The reader's own words choose the window; weaker evidence's are marked where they
        # fall, but for those standing in where the reader's only name the article
        # (`warfarin alcohol` shown in Korean: where it says 술, not its opening), and the
        # glossary's for a need the text says only in them (`스테로이드 부작용 살찜`: 체중 증가)
        saying = {w for need in lacking if need.stands_in for w in need.glossary}
        choosing = own | standing_in if own & present <= title_shows else own | saying
        rarity.update((word, 0.0) for word in words if word not in choosing)
    # The title already shows its words (`warfarin` of `warfarin alcohol`): they only break
    # ties, so the window shows what else was asked.
    titled = {w for w in words if rarity[w] and w in title_shows}
    telling = {w for w in asked.telling if rarity[w]} - titled
    rarity.update((word, rarity[word] * TITLE_TIE_BREAK) for word in titled)
    field_weight = asked.field_weight
    naming = in_title & asked.telling  # the query's words that name this article
    names = bool(naming)
    sections_asked: list[Span] = []
    if params.asides_complete and (names or not found.ranking.named):
        # The reader asks for side effects (weighed_for): a word of the query that only they
        # hold (`side`, `effect`) says where to look; in the other language, the glossary's,
        # in the article the query names (`디펜히드라민 부작용` and `zolpidem 부작용` shown in
        # English: side effects). Another article shows where it names that one, which is
        # why it is listed (`sertraline side effects`: dextromethorphan's "an SSRI
        # antidepressant such as sertraline", not its own side effects).
        in_body = {span.word for span, name in field_of.items() if name != "aside"}
        asking = {w for w in choosing if w in own or (names and rarity[w])}
        if names:
            asking |= standing_in
            # and the name no longer breaks ties: a window from the section asked wins over
            # one that also names the medicine in its uses (`졸피뎀 부작용`: "부작용 · 흔한
            # 부작용: 졸음", not "졸피뎀은 잠자리에 들기 직전에 …")
            rarity.update((word, 0.0) for need in asked.typed if need.said_in(naming)
                          for word in need.words)  # fmt: skip
        telling |= {span.word for span in field_of if span.word in asking} - in_body
        if names:
            # and where the uses say a word of the section asked too, the window starts in
            # the section (`레보티록신 부작용`: "부작용 · 알맞은 용량에서는…", not the uses'
            # "많은 양을 먹으면 … 심각한 부작용이 생길 수 있습니다")
            sections_asked = sorted(span for span, name in field_of.items()
                                    if name == "aside" and span.word in asking)  # fmt: skip

    def weigh(span: Span) -> float:
        """As ranking counts a word: by its rarity, and less among side effects (a reader who
        names a symptom wants what treats it) unless the reader asks for them; an amount
        only tells."""
        name = field_of.get(span)
        return 0.0 if name is None else rarity[span.word] * field_weight[name]

    # an adverb the text says with the query's words tells where it answers (`갑자기 끊으면`);
    # 같이 and 함께 only in the article the query names (elsewhere they weigh: prednisolone's
    # "음식과 함께 복용하세요" is no answer to `타이레놀이랑 이부프로펜 같이 먹어도 돼요`)
    telling |= {a for a in set(adverbs) & present if names or a not in TOGETHER_ADVERBS}
    told_by, tells = _tells(asked.needs, telling, present, titled)
    answer: list[Span] = []
    asked_here = [a for a in asked.answers if names or (a.of_any and not found.ranking.named)]
    if asked_here:
        given = _answering(found.snapshot, docnum, locale, asked_here)
        if locale == "en" and all(a.together for a in asked_here):
            # how soon or how long: `once a day` is no span of time
            given = [s for s in given
                     if s.word not in ENGLISH_TIME_UNITS or counted(tr.text, s.start)]  # fmt: skip
        # words of dosing alone give no amount ("take it 2 hours after an antacid")
        answering = [a for a in asked_here if any(span.word in a.terms for span in given)]
        if answering:
            words_of = frozenset().union(*(a.words for a in answering))
            saying_more = frozenset().union(*(a.saying for a in answering))
            answer = [span for span in given if span.word in words_of]
            told_by |= {span.word for span in answer if span not in field_of}
            told_by |= present & saying_more
            for_whom = frozenset(w for w in words if w in POPULATION_TERMS) & present
            tells = _answers_first(tells, answering, for_whom)
    half = found.snapshot.engine.size / 2
    if sections_asked and not answer and any(len(asked.titles.get(w, ())) <= half for w in naming):
        # named by more than the section's words every title says (`warfarin precautions`
        # names warfarin, not acetaminophen, which shows where it names warfarin)
        answer = _from_heading(tr.text, sections_asked)
    return SnippetWords(sorted(field_of), weigh, told_by, tells, answer, titled)


def _from_heading(text: str, spans: list[Span]) -> list[Span]:
    """The spans (of ``spans``, in text order) of the words of the first heading that says
    only some of them ("Side effects", "부작용"), from that heading on: where the section
    they name starts; none if no heading says them."""
    for at, span in enumerate(spans):
        start = text.rfind("\n", 0, span.start) + 1
        end = text.find("\n", span.end)
        end = len(text) if end < 0 else end
        heading = [s for s in spans[at:] if s.end <= end]
        if sum(s.end - s.start for s in heading) == len(NOT_A_WORD.sub("", text[start:end])):
            words = {s.word for s in heading}
            return [s for s in spans[at:] if s.word in words]
    return []


def _adverbs_said(
    text: str, adverbs: Sequence[str], field_of: dict[Span, str], taking: bool
) -> dict[Span, str]:
    """Where ``text`` says one of the query's ``adverbs`` (kb.intent.ASKED_ADVERBS) of a word
    the query asks with, the next word (`갑자기 끊으면`: "갑자기 **끊**으면"; with ``taking``,
    the query's 먹다 or 복용, also of the text's word for taking: "오래 복용할 때"), in that
    word's field; not one said of another thing ("혈관이 갑자기 수축")."""
    following = sorted(field_of)
    said = {}
    for match in ADVERB_THEN_WORD.finditer(text):
        adverb, word = match.group(1), match.end()  # where the word after it starts
        if adverb not in adverbs:
            continue
        span = Span(match.start(), match.start() + len(adverb), adverb)
        at = bisect_left(following, Span(word, word, ""))
        if at < len(following) and following[at].start == word:
            said[span] = field_of[following[at]]
        elif taking and text.startswith(TAKING_WORDS, word):
            said[span] = "body"
    return said


def _kind_words(found: Found, asked: AskedWords, tags: Sequence[str], locale: str) -> set[str]:
    """The query's words (in ``locale``) of the kinds of medicine it names that the article's
    ``tags`` name too, as typed (혈압약; 고혈압 of `고혈압 약` and of 고혈압약) or on the
    glossary's line for the kind (`blood pressure pills`: "blood pressure medicine")."""
    spans = [(start, end) for start, end, kind in asked.kinds if _tagged(kind, tags)]
    words = set()
    glossary = found.snapshot.glossary
    if asked.named_kinds and glossary is not None:
        lines = {n for tag in tags for n in glossary.lines_of(locale, _tag_words(locale, tag))}
        for line, start, end in asked.named_kinds:
            if line in lines:  # the line's words are the kind's names too ("medicines")
                spans.append((start, end))
                words |= {w for side, phrase in glossary.lines[line] if side == locale
                          for w in phrase}  # fmt: skip
    return words | {word for concept in found.shown.concepts.get(locale, ())
                    if concept.start >= 0 and overlaps((concept.start, concept.end), spans)
                    for word in concept.words}  # fmt: skip


@lru_cache(maxsize=4096)
def _tag_words(locale: str, tag: str) -> tuple[str, ...]:
    """An article's tag as a glossary phrase's analysed words (`blood pressure medicine`)."""
    return analyse_term(locale, tag)


def _tagged(kind: str, tags: Iterable[str]) -> bool:
    """Whether a tag names the ``kind`` of medicine, whole or as the last word of a longer
    name (비스테로이드성 소염진통제), or the need it is for (고혈압 of 고혈압약)."""
    need = kind[:-1] if kind.endswith(MEDICINE_ENDINGS) else None
    return any(tag in (kind, need) or tag.endswith(f" {kind}") for tag in tags)


def _answering(
    snapshot: IndexSnapshot, docnum: int, locale: str, answers: Iterable[Answer]
) -> list[Span]:
    """Where a translation's text says what answers how to take it (500mg, 1정, 하루 최대,
    4~6시간마다, 식사 전: kb.intent.Answer), in text order."""
    words = sorted(frozenset().union(*(a.words for a in answers)))
    return sorted(
        span for name in SNIPPET_FIELDS
        for span in snapshot.engine.spans(f"{name}_{locale}", docnum, words)
    )  # fmt: skip


def _answers_first(
    tells: Tells, answers: Sequence[Answer], for_whom: frozenset[str] = frozenset()
) -> Tells:
    """``tells``, with a window that answers how to take the medicine before every window
    that does not, and each word saying more of it telling as a word of the query does: a
    reader who asks how much to take the medicine they name wants the line that says it
    (`타이레놀 용량`: "하루 최대 용량을 넘기지 마세요 … 4,000mg", not "권장 용량을 지키면
    부작용은 드문 편입니다" nor the opening's "500mg 정제"), and one who asks when, the line
    that says so (`이부프로펜 공복`: "위가 불편하면 음식이나 우유와 함께 드세요"). One that
    answers it ``for_whom`` the query names (children: `children's ibuprofen dose`) comes
    before one that answers it for anyone (the adults' dose)."""

    def answer_first(words: Collection[str]) -> float:
        shown = set(words)
        told = tells(shown)
        for answer in answers:
            # a line that must say both is told apart by how much of either it says
            told += len(shown & (answer.words if answer.together else answer.saying))
            if shown & answer.terms and (not answer.together or shown & answer.saying):
                told += ANSWER_TELLS * (2 if shown & for_whom else 1)
        return told

    return answer_first


def _leaf_words(leaf: Leaf) -> tuple[str, ...]:
    """The words a term or phrase leaf matches."""
    if isinstance(leaf, TermLeaf):
        return (leaf.text,)
    return leaf.words if isinstance(leaf, PhraseLeaf) else ()


def _apart(field_of: dict[Span, str], bound: dict[str, list[tuple[str, ...]]]) -> list[Span]:
    """The spans of ``bound`` words (see :attr:`ParsedQuery.bound_words`) that stand apart from
    the rest of each of their terms: not matched, so not marked."""
    if not bound:
        return []
    at = {(name, span.word, span.position): span for span, name in field_of.items()}
    together: set[Span] = set()
    for name, word, position in at:
        for term in bound.get(word, ()):
            for offset in (i for i, w in enumerate(term) if w == word):
                first = position - offset
                run = [at.get((name, w, first + i)) for i, w in enumerate(term)]
                if all(run):
                    together.update(s for s in run if s is not None)
    return [span for span in field_of if span.word in bound and span not in together]


def _rarity(snapshot: IndexSnapshot, locale: str, words: Iterable[str]) -> dict[str, float]:
    """Each query word's idf in the text snippets come from (its commoner field of the two):
    what a snippet window's words count by."""
    scorer = LeafScorer(snapshot.engine, DEFAULTS)
    fields = [f"{name}_{locale}" for name in SNIPPET_FIELDS]
    return {word: min(scorer.idf(field, word) for field in fields) for word in words}


def _telling(snapshot: IndexSnapshot, locale: str, words: Iterable[str]) -> set[str]:
    """The words in at most half of the articles: a window that holds more of them shows more
    of what the reader asked, while `약` and `먹` (every article has them) say nothing of where
    to look."""
    engine = snapshot.engine
    fields = [f"{name}_{locale}" for name in SNIPPET_FIELDS]
    return {w for w in words if 2 * max(engine.doc_frequency(f, w) for f in fields) <= engine.size}


def _closest_passage(
    close: Meaning,
    docnum: int,
    slug: str,
    locale: str,
    tr: StoredTranslation,
    asides_asked: bool = False,
) -> str | None:
    """The text of the translation's passage closest to the query: what a result found by
    meaning alone shows, since no word of the query is there to highlight; outside its side
    effects and precautions unless they are asked about, as it was found (kb.semantic.joining)."""
    number = close.best_passage(docnum, locale, outside_asides=not asides_asked)
    if number is None:
        return None
    for passage in translation_passages(slug, locale, tr.title, tr.summary, tr.markdown):
        if passage.number == number:
            return passage.body
    return None


def _check_arguments(locale: str, page: int, per_page: int, mode: str) -> None:
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}: use one of {', '.join(MODES)}")
    if locale not in LOCALES:
        raise ValueError(f"unknown locale {locale!r}: use one of {', '.join(LOCALES)}")
    if page < 1:
        raise ValueError("page must be 1 or more")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise ValueError(f"per_page must be between 1 and {MAX_PER_PAGE}")
