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
    # A Korean noun that only sets the clause before it in time or case (먹을 때, 복용한 경우):
    # indexed, so the word itself can be found, but no query term (it would favour every
    # article that says "when" often).
    CIRCUMSTANCE = "circumstance"


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


def terms(text: str, pieces: list[Piece], *, query: bool = False) -> list[Term]:
    """Terms for ``pieces`` of ``text``; positions count emitted terms only (stop words: no gap).

    A number followed by a unit is indexed as the number, the glued form and the unit, all at one
    position; a query uses the glued form only, so ``100mg`` never matches ``300mg, 100정``.
    """
    out: list[Term] = []
    pos = 0
    i = 0
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
            pos += 1
            i += 2
            continue
        i += 1
        if piece.kind is Kind.COUNTER or (query and piece.kind is Kind.CIRCUMSTANCE):
            continue
        word = piece.text.lower() if piece.kind is Kind.UNIT else piece.text
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

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __hash__(self) -> int:
        return hash(type(self))
