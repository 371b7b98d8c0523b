"""The translators' cross-language glossary: lines of equivalent terms in Korean and English.

A query term found on a line is expanded with the line's other terms, in both languages, so a
Korean query finds an English-only article (and the reverse) and a synonym finds its sibling.
The glossary travels inside each index build, so the serving side needs no other file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from kb.analysis import english_analyzer, korean_analyzer
from kb.analysis.base import NEGATED, Kind, Piece, unmarked
from kb.analysis.base import terms as terms_of_pieces
from kb.analysis.english import is_framing_word
from kb.analysis.hangul import SYLLABLES
from kb.analysis.korean import FRAMING_LEMMAS, readings, unread_adverbs, words_read_as_nouns
from kb.content import (
    LOCALES,
    Article,
    ContentError,
    ContentInvalid,
    decode_text,
    normalize_text,
)
from kb.intent import is_medicine_word, names_a_kind
from kb.markdown import to_plain_text

CELL_SEPARATOR = "|"
#: What a reader types after a Korean term (:func:`term_readings`).
TERM_CONTEXTS = ("{} 약", "{} 부작용", "{} 증상", "{} 있어요")
Phrase = tuple[str, tuple[str, ...]]  # (locale, analysed words)
PER_LINE = 1 << 16  # phrases a line may hold (far more than any has)


@dataclass(frozen=True)
class Expansion:
    """Search ``words`` (a phrase when several) on ``locale``'s fields for query chars
    ``start``..``end``."""

    start: int
    end: int
    locale: str
    words: tuple[str, ...]
    # the query's words were one negated word (`not drowsy`): an article that says the word
    # says the opposite, so the line's unnegated terms stand for it instead
    negated: bool = False


def analyse_term(locale: str, term: str) -> tuple[str, ...]:
    """A glossary term as the query words ``locale``'s analyzer makes of it, a negated verb
    marked: ``잠이 안 옴`` matches ``잠이 안 와요`` and ``잠이 오지 않아요``, not ``잠이 와요``."""
    text = normalize_text(term)
    analyzer = korean_analyzer() if locale == "ko" else english_analyzer()
    marked = analyzer.polar_terms(text)
    if locale == "ko" and not marked:  # as a query of the word alone is read (`설사`)
        marked = words_read_as_nouns(text, readings(text))
    return tuple(t.text for t in marked)


def term_readings(locale: str, term: str) -> set[tuple[str, ...]]:
    """Each way a query may read ``term``: Kiwi reads a word by what follows it (구역질 alone is
    구역, before 약 구역질; 코감기 alone 코 + 감, before 부작용 코 + 감기; 입 마름 alone 입 +
    마르다, before 약 입 + 마름, as in the articles' lists), so a Korean term is also read in the
    contexts a reader types it in (:data:`TERM_CONTEXTS`). A reading of one syllable that the
    term is not (용 of 용도 before 증상), or of one word where it has several (아픔 of 이가
    아픔), would match too much to keep."""
    alone = analyse_term(locale, term)
    found = {alone} if alone else set()
    text = normalize_text(term)
    if locale != "ko":
        return found
    analyzer = korean_analyzer()
    for context in TERM_CONTEXTS:
        inside = [t for t in analyzer.polar_terms(context.format(text)) if t.start < len(text)]
        if not inside or any(t.end > len(text) for t in inside):
            continue  # the term read into what follows it, or as no word
        words = tuple(t.text for t in inside)
        phrase = " " in text  # stays one of several words
        one_syllable = inside[0].end - inside[0].start == 1  # 용 of 용도; 열다 of 열어
        if len(words) > 1 or (not phrase and (not one_syllable or len(text) == 1)):
            found.add(words)
    return found


def _starts_with_a_word(locale: str, word: str) -> bool:
    """Whether the analyzer reads a word at the start of ``word`` (not a typo's syllables that
    it reads as no word, before one it knows)."""
    if locale != "ko":
        return True
    found = korean_analyzer().polar_terms(normalize_text(word))
    return not found or found[0].start == 0


@dataclass(frozen=True)
class Glossary:
    """Lines of equivalent phrases, analysed once when the index is built (so a search never
    has to load a model to expand a query)."""

    lines: tuple[tuple[Phrase, ...], ...] = ()
    # The lines naming a kind of medicine (수면제, 스테로이드 | 부신피질호르몬제, `blood pressure
    # pill`), told from their terms as written (the analysed words of 부신피질호르몬제 lose 제):
    # `스테로이드 부작용` asks for that kind's side effects, as `두통 부작용` does not.
    kinds: frozenset[int] = frozenset()
    # Every phrase by its locale and first word (``"ko 두통"`` → line × PER_LINE + phrase): a
    # query looks up the phrases that can start at each of its words, where comparing every
    # phrase with every query took a quarter of a words-only search at 10,000 articles. Made with
    # the glossary, when a build opens; keyed by strings and holding numbers, so it adds few
    # objects for Python's collector to count (a full collection had landed in the first query).
    _starting: dict[str, list[int]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        starting: dict[str, list[int]] = {}
        for n, line in enumerate(self.lines):
            for k, (locale, words) in enumerate(line):
                starting.setdefault(f"{locale} {words[0]}", []).append(n * PER_LINE + k)
        object.__setattr__(self, "_starting", starting)

    @classmethod
    def from_terms(cls, rows: Sequence[dict[str, tuple[str, ...]]]) -> Glossary:
        lines: list[tuple[Phrase, ...]] = []
        kinds: set[int] = set()
        for row in rows:
            phrases = {
                (loc, words)
                for loc, terms in row.items()
                for term in terms
                for words in term_readings(loc, term)
            }
            line = tuple(sorted(p for p in phrases if p[1]))
            if len(line) > 1:
                kinds |= {len(lines)} if _names_a_kind(row) else set()
                lines.append(line)
        return cls(tuple(lines), frozenset(kinds))

    @cached_property
    def vocabulary(self) -> dict[str, frozenset[str]]:
        """Every analysed word of every term, per locale (made on first use)."""
        found: dict[str, set[str]] = {}
        for line in self.lines:
            for locale, words in line:
                found.setdefault(locale, set()).update(words)
        return {locale: frozenset(words) for locale, words in found.items()}

    @cached_property
    def negated_elsewhere(self) -> frozenset[Phrase]:
        """Plain phrases of several words that another line holds negated (잠이 옴, drowsiness;
        잠이 안 옴, insomnia): the index holds no negation, so searched for drowsiness `잠이 옴`
        would find the articles' "잠이 잘 안 옴". The negated one is still searched: articles
        say sleep that will not come (a side effect) far more than sleep that comes."""
        negated: set[Phrase] = set()
        plain: set[Phrase] = set()
        for line in self.lines:
            for locale, words in line:
                bare = tuple(unmarked(w) for w in words)
                if len(words) > 1:
                    (plain if bare == words else negated).add((locale, bare))
        return frozenset(negated & plain)

    def has_word(self, locale: str, word: str) -> bool:
        """Whether ``word`` as it stands is a word of the glossary's terms: checks a respelling
        without the analyzer, which a dozen candidates per word would each run."""
        return word in self.vocabulary.get(locale, frozenset())

    def knows(self, locale: str, word: str) -> bool:
        """Whether ``word``, particle or inflection and all, is made of the words of the
        glossary's terms: a reader's word for something the articles say otherwise (``모기에``,
        of ``모기 물림``), never a typo to correct to a word they do say. Its start must be one
        of them: Kiwi reads `두퉁약` as 두 + 퉁 (no words) + 약, a typo, not the glossary's 약."""
        known = self.vocabulary.get(locale, frozenset())
        words = analyse_term(locale, word)
        return bool(words) and all(w in known for w in words) and _starts_with_a_word(locale, word)

    def to_json(self) -> str:
        lines = [[[loc, list(words)] for loc, words in line] for line in self.lines]
        return json.dumps({"lines": lines, "kinds": sorted(self.kinds)})

    @classmethod
    def from_json(cls, text: str) -> Glossary:
        stored = json.loads(text)
        lines = tuple(tuple((loc, tuple(words)) for loc, words in row) for row in stored["lines"])
        return cls(lines, frozenset(stored["kinds"]))

    def kinds_in(
        self, query_words: Mapping[str, Sequence[tuple[str, int, int]]]
    ) -> list[tuple[int, int, int]]:
        """``(line, start, end)`` of each phrase of a line naming a kind of medicine in the
        analysed query (`steroid`, `blood pressure pills`, 항우울제)."""
        return [
            (n, start, end) for n, _, start, end in self._found_in(query_words) if n in self.kinds
        ]

    def lines_of(self, locale: str, words: tuple[str, ...]) -> set[int]:
        """The lines having the analysed phrase ``words`` in ``locale``."""
        codes = self._starting.get(f"{locale} {words[0]}", ()) if words else ()
        return {
            n for n, k in (divmod(code, PER_LINE) for code in codes) if self.lines[n][k][1] == words
        }

    def _found_in(
        self, query_words: Mapping[str, Sequence[tuple[str, int, int]]]
    ) -> list[tuple[int, int, int, int]]:
        """``(line, phrase, start, end)`` of each phrase occurring contiguously in the analysed
        query, in the order of the lines, their phrases and the query; not one lying inside a
        longer one found (`throw up` reads as `throw`: `threw out my back` is back pain; `마약성
        진통제` is an opioid, not any painkiller)."""
        found = []
        for locale, query in query_words.items():
            texts = [w for w, _, _ in query]
            for i, text in enumerate(texts):
                for code in self._starting.get(f"{locale} {text}", ()):
                    n, k = divmod(code, PER_LINE)
                    words = self.lines[n][k][1]
                    if tuple(texts[i : i + len(words)]) == words:
                        found.append((n, k, query[i][1], query[i + len(words) - 1][2]))
        return sorted(term for term in found if not self._swallowed(term, found))

    def _swallowed(
        self, term: tuple[int, int, int, int], found: list[tuple[int, int, int, int]]
    ) -> bool:
        """Whether a longer term found spans ``term``'s words, and more than words for medicine
        (`알레르기 약` is still a need for allergies)."""
        n, k, start, end = term
        words = set(self.lines[n][k][1])
        return any(
            s <= start and end <= e and (s, e) != (start, end)
            and not all(is_medicine_word(w, kinds=False) for w in set(self.lines[m][j][1]) - words)
            for m, j, s, e in found
        )  # fmt: skip

    def expansions(
        self, query_words: Mapping[str, Sequence[tuple[str, int, int]]]
    ) -> list[Expansion]:
        """For each line one of whose phrases occurs in the analysed query (``(word, start,
        end)`` per locale side), every other phrase of the line but one
        :attr:`negated_elsewhere`, at the query chars it stands for."""
        found: list[Expansion] = []
        for n, k, start, end in self._found_in(query_words):
            line = self.lines[n]
            locale, words = line[k]
            negated = len(words) == 1 and words[0].startswith(NEGATED)
            found.extend(
                Expansion(start, end, other_locale, other, negated)
                for other_locale, other in line
                if (other_locale, other) != (locale, words)
                and (other_locale, other) not in self.negated_elsewhere
            )
        return found

    def phrases_in(
        self, query_words: Mapping[str, Sequence[tuple[str, int, int]]]
    ) -> list[tuple[str, int, int]]:
        """``(locale, start, end)`` of each glossary phrase of two words or more in the analysed
        query: the reader's words that stand together for one term (``머리가 아플`` for 두통)."""
        return [
            (self.lines[n][k][0], start, end)
            for n, k, start, end in self._found_in(query_words)
            if len(self.lines[n][k][1]) > 1
        ]


Row = dict[str, tuple[str, ...]]  # a line's terms by locale


def _names_a_kind(row: Row) -> bool:
    """Whether a line's Korean terms, as written, name a kind of medicine (수면제, 혈압약), and
    none of its terms is just a word for medicine (알약, `pill`)."""
    terms = [term for terms in row.values() for term in terms]
    return any(names_a_kind(term) for term in row.get("ko", ())) and not any(
        is_medicine_word(term, kinds=False) for term in terms
    )


def parse_glossary(path: Path) -> tuple[list[Row], list[ContentError]]:
    """The TSV's lines as ``{locale: terms}``, and its problems with path and line."""
    numbered, errors = _numbered_rows(path)
    return [row for _, row in numbered], errors


def glossary_overlaps(path: Path) -> list[ContentError]:
    """Each term the analyser reads as a term of another line: a query of either would expand
    to both lines (English marks no negation, so `not drowsy` reads as `drowsiness`, and
    `졸음이 덜함` as `졸음`); each it reads as no words (`깜빡함`: Kiwi's adverb and 하다),
    which no query reaches; each of several words read as a word for medicine alone
    (`오래된 약`: an adverb and 되다 dropped, 약 left), which every query saying 약 reaches, or
    as one word that only frames a need (`feeling down` as feel); and each with an adverb no
    search reads (`피가 오래 남`: any 피가 남, bleeding)."""
    numbered, _ = _numbered_rows(path)
    first: dict[Phrase, tuple[int, str]] = {}
    problems = []
    for number, row in numbered:
        for locale, terms in row.items():
            for term in terms:
                readings = term_readings(locale, term)
                if not readings:
                    message = f"{term!r} reads as no words: no query finds this line by it"
                    problems.append(ContentError(path, number, message))
                if any(_only_medicine(term, words) for words in readings):
                    message = (
                        f"{term!r} reads as a word for medicine alone: every query that says"
                        " medicine finds this line by it"
                    )
                    problems.append(ContentError(path, number, message))
                if _only_framing(locale, term):
                    message = (
                        f"{term!r} reads as one word that only frames a need: every query"
                        " that says it finds this line by it"
                    )
                    problems.append(ContentError(path, number, message))
                for adverb in unread_adverbs(term) if locale == "ko" and " " in term else ():
                    message = (
                        f"{term!r} reads without {adverb!r}, which no search reads: a query"
                        " saying its other words finds this line"
                    )
                    problems.append(ContentError(path, number, message))
                for words in sorted(readings):
                    earlier = first.setdefault((locale, words), (number, term))
                    if earlier[0] != number:
                        message = f"{term!r} reads as {earlier[1]!r} of line {earlier[0]}"
                        problems.append(ContentError(path, number, message))
                        break
    return problems


def _only_framing(locale: str, term: str) -> bool:
    """Whether ``term``, of several words, reads as one word that only frames a need
    (`feeling down`: down is a stop word, and `feel` frames every "I feel ..."). Several such
    words side by side name one (`taking too much`)."""
    text = normalize_text(term)
    analyzer = korean_analyzer() if locale == "ko" else english_analyzer()
    read = analyzer.polar_terms(text)
    if len(read) != 1 or len(text.split()) == 1:
        return False
    word = read[0]
    if locale == "ko":
        return word.text in FRAMING_LEMMAS
    return is_framing_word(text[word.start : word.end])


def _only_medicine(term: str, words: tuple[str, ...]) -> bool:
    """Whether ``term``, of more words than ``words``, reads as words that only say medicine."""
    return len(term.split()) > len(words) and all(
        is_medicine_word(word, kinds=False) for word in words
    )


def glossary_misreadings(path: Path, articles: Sequence[Article]) -> list[ContentError]:
    """Each Korean term of one word that an article spells as a word of its own while Kiwi
    reads it there as other words (`무과립구증` alone, 과립 + 구 + 증 in a sentence): that
    line never matches the article. The user dictionary (kb/analysis/userdict.txt) keeps such
    a word whole."""
    numbered, _ = _numbered_rows(path)
    terms = [
        (number, term, analyse_term("ko", term))
        for number, row in numbered
        for term in row.get("ko", ())
        if " " not in term
    ]
    analyzer = korean_analyzer()
    problems = []
    for article in articles:
        source = article.translations.get("ko")
        if source is None:
            continue
        text = normalize_text(" ".join([source.title, source.summary, to_plain_text(source.body)]))
        pieces: list[Piece] | None = None
        for number, term, words in terms:
            spans = [m.span() for m in re.finditer(rf"(?<![{SYLLABLES}]){re.escape(term)}", text)]
            if not words or not spans:
                continue
            pieces = pieces or analyzer.pieces(text)
            if any(_read_otherwise(text, pieces, start, end, words) for start, end in spans):
                message = (
                    f"{term!r} is in {source.path} but read there as other words, so this"
                    " line never matches it: keep it whole in kb/analysis/userdict.txt"
                )
                problems.append(ContentError(path, number, message))
    return problems


def _read_otherwise(
    text: str, pieces: list[Piece], start: int, end: int, words: tuple[str, ...]
) -> bool:
    """The characters ``start``..``end`` are read as words other than ``words``, and not as
    part of a longer word (`불면` of 불면증 is another word, not a misreading)."""
    inside = [p for p in pieces if p.start < end and start < p.end]
    if any(p.start < start or p.end > end for p in inside):
        return False
    said = [p for p in inside if p.kind in (Kind.TERM, Kind.PREFIX)]  # 고열: 고 + 열, one word
    return tuple(t.text for t in terms_of_pieces(text, said, query=True)) != words


def _numbered_rows(path: Path) -> tuple[list[tuple[int, Row]], list[ContentError]]:
    """The TSV's lines with their numbers, and its problems with path and line."""
    errors: list[ContentError] = []
    rows: list[tuple[int, Row]] = []
    header: list[str] | None = None
    text = decode_text(path, path.read_bytes(), errors)
    if text is None:
        return [], errors
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cells = raw.split("\t")
        if header is None:
            header = [c.strip() for c in cells]
            if any(c not in LOCALES for c in header) or len(set(header)) != len(header):
                errors.append(ContentError(path, number, f"header must name locales {LOCALES}"))
                return [], errors
            continue
        if len(cells) != len(header):
            message = f"expected {len(header)} tab-separated cells, found {len(cells)}"
            errors.append(ContentError(path, number, message))
            continue
        row = {
            locale: tuple(t.strip() for t in cell.split(CELL_SEPARATOR) if t.strip())
            for locale, cell in zip(header, cells, strict=True)
        }
        if sum(len(terms) for terms in row.values()) < 2:
            errors.append(ContentError(path, number, "a line needs at least two terms"))
            continue
        rows.append((number, row))
    return rows, errors


def load_glossary(path: Path) -> Glossary:
    """The analysed glossary at ``path``, or :class:`ContentInvalid` listing every bad line."""
    rows, errors = parse_glossary(path)
    if errors:
        raise ContentInvalid(errors)
    return Glossary.from_terms(rows)
