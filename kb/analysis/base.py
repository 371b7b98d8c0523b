"""Pieces → terms: the step both language tokenizers share.

A language tokenizer only splits text into :class:`Piece` objects; this module turns them into
terms with positions and character offsets, and glues numbers to their units
(``300 mg`` → ``300mg``).
"""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple


class Kind(Enum):
    TERM = "term"  # final text: a Korean morpheme or lemma, a stemmed English word
    NUMBER = "number"
    UNIT = "unit"  # a Latin unit (mg, ml): a term of its own, glued after a number
    COUNTER = "counter"  # a Korean counter noun (정, 회): only meaningful glued after a number
    # A counter after a numeral word (세 번, 300만 명): the term "some number of it" (``#번``),
    # which every number glued to that counter also gives (``3번``).
    COUNT = "count"
    # ... after 몇 (몇 번, 몇 살): the count asked for, a query term (``하루에 몇 번`` finds
    # ``하루 3번``); a passage that asks it gives no number, so the index leaves it out.
    ASKED_COUNT = "asked-count"
    # An adverb readers say what happened with, which articles say in other words: a
    # reduplicated mimetic one (지끈지끈, 두근두근) searched as the verb it makes (지끈거리다,
    # which articles and the glossary say: 두근거림), 깜빡하다 as 잊다 (forgot), and 많이 before
    # taking (많이 먹었어요) as itself, which the glossary's line for an overdose holds. A query
    # term only: an article's adverbs stay unindexed.
    READ_ADVERB = "read-adverb"
    # A Korean noun that only sets the clause before it in time or case (먹을 때, 복용한 경우):
    # indexed, so the word itself can be found, but no query term (it would favour every
    # article that says "when" often).
    CIRCUMSTANCE = "circumstance"
    # 같다 after a clause and 것 (토할 것 같아요, 아픈 거 같아요: "I feel like", "it seems"),
    # and English "feel like": it hedges the clause, it names nothing; indexed as read, no query
    # term (같 would favour every article that says 같은, "the same", often).
    HEDGE = "hedge"
    # A word that names the kind of answer wanted (정의, 뜻, 방법, 얼마, the 좋은 of 두통에 좋은;
    # define, definition): a query term only when the query names nothing else, as "what is"
    # and "how" are no terms.
    REQUEST = "request"
    # A particle Kiwi misreads as a word when it is glued to a Latin word or a symbol (``QD는
    # 무엇을`` as 늘다, ``C++와`` as 와): indexed as read, no query term (the passage that
    # answers the query says the particle, not the word).
    MISREAD_PARTICLE = "misread-particle"
    # A Korean negation (안 와요, 못 자요; 오지 않아요, 자지 못해요): no term of its own, but it
    # marks the verb it negates where polarity matters (glossary phrases: 잠이 안 옴).
    NOT_NEXT = "not-next"
    NOT_PREVIOUS = "not-previous"
    # A Korean prefix that makes another word of the noun after it (고용량, 대도시, 재활용), as a
    # unit does of a number: the index holds the noun and both joined at one position, a query
    # the joined word, so `고용량` is not `저용량` and `용량` still finds both.
    PREFIX = "prefix"


class Piece(NamedTuple):
    text: str
    start: int
    end: int
    kind: Kind


class Term(NamedTuple):
    text: str
    start: int
    end: int
    pos: int


MAX_UNIT_GAP = 2  # "300 mg" and "300  mg" glue; "300, mg" does not
# what a request word may ask about
SUBJECTS = frozenset(
    {Kind.TERM, Kind.NUMBER, Kind.UNIT, Kind.COUNT, Kind.ASKED_COUNT, Kind.READ_ADVERB}
)
NEGATED = "¬"  # prefix of a negated verb's term in ``polar_terms`` (never in the index)
COUNTED = "#"  # prefix of a count's term: ``#번`` is "some number of times"


def unmarked(word: str) -> str:
    """``word`` as the index holds it: without the negation mark."""
    return word.removeprefix(NEGATED)


def terms(
    text: str, pieces: list[Piece], *, query: bool = False, negation: bool = False
) -> list[Term]:
    """Terms for ``pieces`` of ``text``; positions count emitted terms only (stop words: no gap).

    A number followed by a unit is indexed as the number, the glued form and the unit (a counter:
    its count, ``#정``), all at one position; a query uses the glued form only, so ``100mg`` never
    matches ``300mg, 100정``. A prefixed noun is indexed likewise (``용량`` and ``고용량``).
    With ``negation``, a negated verb's term carries the :data:`NEGATED` mark (``¬오``).
    """
    out: list[Term] = []
    pos = 0
    i = 0
    negate_next = False
    skip_requests = query and any(p.kind in SUBJECTS for p in pieces)
    while i < len(pieces):
        piece = pieces[i]
        after = pieces[i + 1] if i + 1 < len(pieces) else None
        if piece.kind is Kind.NUMBER and after is not None and _is_unit_after(text, piece, after):
            glued = piece.text + after.text.lower()
            if query:
                out.append(Term(glued, piece.start, after.end, pos))
            else:
                out.append(Term(piece.text, piece.start, piece.end, pos))
                out.append(Term(glued, piece.start, after.end, pos))
                if after.kind is Kind.UNIT:
                    out.append(Term(after.text.lower(), after.start, after.end, pos))
                else:
                    out.append(Term(COUNTED + after.text, piece.start, after.end, pos))
            pos += 1
            i += 2
            continue
        if piece.kind is Kind.PREFIX and after is not None and after.kind is Kind.TERM:
            joined = NEGATED + piece.text + after.text if negate_next else piece.text + after.text
            if not query:
                out.append(Term(after.text, after.start, after.end, pos))
            out.append(Term(joined, piece.start, after.end, pos))
            negate_next = False
            pos += 1
            i += 2
            continue
        i += 1
        if piece.kind is Kind.NOT_NEXT:
            negate_next = negation
            continue
        if piece.kind is Kind.NOT_PREVIOUS:
            if negation and out and not out[-1].text.startswith(NEGATED):
                out[-1] = out[-1]._replace(text=NEGATED + out[-1].text)
            continue
        if (
            piece.kind in (Kind.COUNTER, Kind.PREFIX)
            or (query and piece.kind in (Kind.CIRCUMSTANCE, Kind.HEDGE, Kind.MISREAD_PARTICLE))
            or (not query and piece.kind in (Kind.ASKED_COUNT, Kind.READ_ADVERB))
            or (skip_requests and piece.kind is Kind.REQUEST)
        ):
            continue
        word = piece.text.lower() if piece.kind is Kind.UNIT else piece.text
        if piece.kind in (Kind.COUNT, Kind.ASKED_COUNT):
            word = COUNTED + word
        if negate_next:
            word, negate_next = NEGATED + word, False
        out.append(Term(word, piece.start, piece.end, pos))
        pos += 1
    return out


def _is_unit_after(text: str, number: Piece, after: Piece) -> bool:
    gap = text[number.end : after.start]
    return (
        after.kind in (Kind.UNIT, Kind.COUNTER)
        and len(gap) <= MAX_UNIT_GAP
        and (not gap or gap.isspace())
    )


class PieceTokenizer:
    """Base for tokenizers defined by ``pieces(text)``; stateless, so a schema pickles small.
    Engines adapt it to their own token protocol (:class:`kb.engine.whoosh.WhooshTokenizer`)."""

    def pieces(self, text: str) -> list[Piece]:
        raise NotImplementedError

    def terms(self, text: str, *, query: bool = False) -> list[Term]:
        return terms(text, self.pieces(text), query=query)

    def polar_terms(self, text: str) -> list[Term]:
        """Query terms with each negated verb marked (``¬오``): what glossary phrases match."""
        return terms(text, self.pieces(text), query=True, negation=True)

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __hash__(self) -> int:
        return hash(type(self))
