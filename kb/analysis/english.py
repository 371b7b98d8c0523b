"""English analysis: case folding, the usual stop words, Porter2 stemming (irregular forms and
British spellings folded too), number+unit glue.

The Korean tokenizer sends Latin runs through :func:`english_pieces` too, so an English word
indexes to the same term in a Korean translation as in an English one.
"""

from __future__ import annotations

import re
from functools import lru_cache

from whoosh.analysis import STOP_WORDS
from whoosh.lang.porter2 import stem

from kb.analysis.base import Kind, Piece, PieceTokenizer, Term, terms
from kb.analysis.wordforms import KEPT_APART, american_stem, lemma

LATIN_RUN = re.compile(r"[A-Za-z]+")  # an ASCII word (keyboard-layout and typo checks)
# A word may carry one apostrophe suffix (can't, Hashimoto's, they're, o'clock): split at the
# apostrophe, "can't sleep" searched for a term "t" that every "don't" and "T4" matched. A word
# is in one script, and Hangul glued to a Latin word is its particle: in a Korean query,
# "Benadryl의" is benadryl, or an English article never matches it.
LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
WORD_RE = re.compile(
    rf"(?P<number>\d+(?:\.\d+)?)"
    rf"|(?P<word>[{LATIN}]+(?:['’][{LATIN}]+)?)(?:(?![{LATIN}])[^\W\d_])*"
    rf"|(?P<other>(?:(?![{LATIN}])[^\W\d_])+(?:['’][^\W\d_]+)?)"
)
# Suffixes that leave the word before them (possessive 's, they're, you'll, we've, I'd, I'm);
# n't makes a negated auxiliary, always a stop word.
CLITICS = frozenset({"s", "re", "ll", "ve", "d", "m"})
# Negated auxiliaries as readers type them, without the apostrophe: `cant sleep` is "can't
# sleep", not the noun cant (it was a word no article has, and `i cant sleep` matched little).
UNMARKED_NEGATIONS = frozenset(
    """cant dont doesnt didnt isnt arent wasnt werent wont wouldnt couldnt shouldnt havent hasnt
    hadnt""".split()  # noqa: SIM905
)
# Whoosh's list plus question and function words: in "what is the nationality" only the last
# word tells which article is wanted.
STOPS = STOP_WORDS | frozenset(
    """about above after again all also am any because been before being below between both but
    could did do does doing down during each few further had has having he her here hers him his
    how i into its itself just me more most my no nor now off once only other our ours out over
    own same she should so some such than their theirs them then there these they those through
    too under until up very was were what where which while who whom whose why would""".split()  # noqa: SIM905
)
OPERATORS = frozenset({"and", "or", "not"})  # in capitals still no name: `gabapentin AND alcohol`
# Words that ask for a definition or a comparison: "define bias" and "bias definition" are about
# bias, "advil vs tylenol" and "difference between advil and tylenol" about the two. (Not
# "meaning" and "mean": measured, they cost English queries over Korean passages more.)
REQUEST_WORDS = frozenset(
    """define defined definition definitions vs versus difference differences compare
    compared comparison""".split()  # noqa: SIM905
)
# Word pairs (as stemmed) that hedge what follows, as 것 같다 does in Korean ("I feel like
# throwing up", "it felt like a burn"): they name nothing the reader wants, so a query does not
# search for them; an article is still indexed with them.
HEDGES = frozenset({("feel", "like"), ("felt", "like")})
# Verbs that, before a verb in -ing, only say it goes on ("I keep throwing up"): a hedge of
# that kind, where "keep" alone would find every article that says "keep taking it".
ASPECT_VERBS = frozenset({"keep", "kept"})
# "All the time" says only that it goes on too ("sneezing all the time"): "time" alone found
# "night-time" and "the same time every day".
ALL_THE = re.compile(r"\ball\s+the\s+$", re.IGNORECASE)
# ... and "keeps me up", "kept us awake": the need keeps one awake ("cough keeps me up at night"
# found bisacodyl's "keep suppositories in a cool place").
KEPT_UP = re.compile(r"\s+(?:me|you|him|her|us|them)\s+(?:up|awake)\b", re.IGNORECASE)
# ... and how much: the lot of "sweating a lot", "a lot of gas", "lots of phlegm" ("burping a
# lot" found dextromethorphan's "brings up a lot of phlegm"; a lot of land is rarely asked here).
A_LOT = re.compile(r"\ba\s+lot\b|\blots\s+of\b", re.IGNORECASE)
# "Suddenly" or "abruptly" with a verb of stopping (as stemmed), right before it or after it
# and its object ("stopping suddenly", "do not stop taking it suddenly", "suddenly stop"): the
# advice not to stop a medicine at once, read as one word of its own, as 갑자기 before 끊다 is.
# Elsewhere it is "sudden": loperamide "stops sudden diarrhea" has the two stems side by side.
SUDDENLY = frozenset({"suddenly", "abruptly"})
STOPPING = frozenset({"stop", "quit", "discontinu"})
STOPPED_SUDDENLY = "suddenly"
# What may stand between the verb and its "suddenly": its object, a few words of one clause
# (not "stops diarrhea that started suddenly").
OBJECT_BETWEEN = re.compile(
    r"\s+(?:(?!(?:that|which|who|when|if|and|or|but)\s)[\w'’-]+\s+){0,3}", re.IGNORECASE
)
# Words that frame a need rather than name it: how bad it is, that it comes at night, that a
# medicine is against it, causes it or is taken for it, what kind is asked for, or only that
# something is wanted ("really bad headache", "fever at night", "anti nausea pill", "medicine
# that makes you drowsy", "pill to take when nauseous", "types of antidepressants", "something
# for a fever", "best medicine for hay fever", "what helps with nausea", "recommended"). A query
# scores them where they match but does not count them in coverage, nor names them as words no
# article has (the Korean 너무, 정말 are adverbs, never terms), so "bad" in "LDL (bad)
# cholesterol" does not outweigh the symptom, nor "night" (the sleep aid's) or "anything"
# (zolpidem's "anything while not fully awake") the medicines the need asks for, nor "anti"
# (ibuprofen's "anti-inflammatory") the nausea, nor "makes" (omeprazole's "the acid the stomach
# makes") the drowsiness, nor "feel" (`i feel dizzy`: losartan's "even when you feel well")
# the symptom, nor a question's "how much", "how many", "how often" (pseudoephedrine's "how much
# a pharmacy may sell", warfarin's "often called a blood thinner") the medicine it asks about,
# nor "go" (zolpidem's "going to bed") the place to go to (`when to go to the ER`), nor
# "relief" (`migraine relief`: dextromethorphan's "short-term relief of a cough", the one
# article that says the word, had come first) the need a reader wants relieved.
# Alone ("bad", "severe") they count as any word does.
FRAMING_WORDS = frozenset(
    """bad badly really terrible terribly awful awfully horrible horribly severe severely
    extremely mild mildly slight slightly
    night nights nighttime anti make makes made making
    type types kind kinds sort sorts take takes taking took taken
    something anything everything someone anyone thing things stuff best
    help helps helped helping recommend recommended safe safely
    feel feels felt feeling much many often go goes going went
    relief relieve relieves relieved relieving reliever relievers""".split()  # noqa: SIM905
)
# Names of two words that are not what their words are: hay fever is an allergy, no fever; a
# cold sore a blister and cold sweats a sign of low blood sugar, no cold; a water pill a
# diuretic; coffee grounds what vomited blood looks like, no coffee; a sex drive and birth
# control are no driving and no blood sugar control. And verbs a stop word turns into another
# (to throw up is to vomit, to pass out to faint, to come off a medicine to stop it) and `the
# runs` (diarrhoea): read as their first word alone, `throw away old pills` found nausea, `can
# i pass urine` fainting, `run out of medicine` diarrhoea and `how to come off zolpidem` every
# "comes as". Each is one term, as written in one word (`hayfever`), so `fever
# medicine` does not list the antihistamines for it, nor `water pill` amoxicillin's capsules
# "mixed with water", nor `coffee` the bleeding ulcers, nor `can i drive` sexual side effects.
# Found by the first word's stem (`threw up`, `passing out`) and the second as typed,
# lower-cased, apart by spaces or a hyphen; the value is the one word they make.
IDIOMS = {
    ("hay", "fever"): "hayfever", ("cold", "sore"): "coldsore", ("cold", "sores"): "coldsores",
    ("cold", "sweat"): "coldsweat", ("cold", "sweats"): "coldsweats",
    ("water", "pill"): "waterpill", ("water", "pills"): "waterpills",
    ("coffee", "ground"): "coffeeground", ("coffee", "grounds"): "coffeegrounds",
    ("sex", "drive"): "sexdrive", ("birth", "control"): "birthcontrol",
    ("throw", "up"): "throwup", ("pass", "out"): "passout", ("the", "runs"): "theruns",
    ("come", "off"): "comeoff",
}  # fmt: skip
IDIOM_GAP = re.compile(r"\s+|-")
UNITS = frozenset(
    """mg mcg µg μg ug ng g kg ml l dl iu cc mm cm mmhg mmol meq kcal""".split()  # noqa: SIM905
)


def english_term(word: str, *, keep_stop_words: bool = False) -> str | None:
    """The index term for one Latin word, or None for a stop word (with ``keep_stop_words``,
    only for a negated auxiliary: in Korean text an English word is a name or a title's, as in
    ``'Rise Up'을 부른``)."""
    plain = plain_word(word)
    if plain is None or (not keep_stop_words and is_stop_word(word)):
        return None
    return _stem(plain)


def is_stop_word(word: str) -> bool:
    """Whether ``word``, as written, is a stop word. Capitals name something, so ``WHO``,
    ``IT`` and ``US`` are none (``who``, ``it`` and ``us`` are); ``AND``, ``OR`` and ``NOT``
    are how readers write search operators."""
    plain = plain_word(word)
    if plain is None:
        return True
    acronym = len(word) > 1 and word.isalpha() and word.isupper() and plain not in OPERATORS
    return plain in STOPS and not acronym


def is_framing_word(word: str) -> bool:
    """Whether ``word`` only frames the need it goes with (:data:`FRAMING_WORDS`)."""
    return plain_word(word) in FRAMING_WORDS


def plain_word(word: str) -> str | None:
    """``word`` lower-cased without its apostrophe: a clitic dropped (``Hashimoto's`` →
    ``hashimoto``), a negated auxiliary None (``can't``, ``cant``), the rest joined
    (``o'clock``)."""
    word = word.lower()
    if word in UNMARKED_NEGATIONS:
        return None
    if "'" not in word and "’" not in word:
        return word
    base, suffix = re.split("['’]", word, maxsplit=1)
    if suffix == "t" and base.endswith("n"):
        return None
    return base if suffix in CLITICS else base + suffix


@lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    """The Porter2 (Snowball English) stem of the word ``word`` inflects, in American
    spelling; memoised: it is pure Python and a build stems the same words again and again.
    Unlike Porter's it keeps ``bias``, ``news`` and ``generous`` apart from ``bia``, ``new``
    and ``general``; :data:`KEPT_APART` keeps ``organization`` from ``organ`` too."""
    return KEPT_APART.get(word) or american_stem(stem(lemma(word)))


_SUDDENLY_STEMS = frozenset(_stem(word) for word in SUDDENLY)  # the adjectives' too: sudden
# How a need came on (`sudden chest pain`, `i suddenly feel dizzy`) frames it as how bad it is
# does (:data:`FRAMING_WORDS`), as stems: beside a verb of stopping "suddenly" is a word of
# its own. Loperamide's "diarrhea that started suddenly" had come among the first three.
ONSET_STEMS = _SUDDENLY_STEMS
_IDIOMS_BY_STEM = {(_stem(first), second): joined for (first, second), joined in IDIOMS.items()}
_IDIOM_ENDS = frozenset(second for _, second in IDIOMS)


def english_pieces(
    text: str, start: int = 0, end: int | None = None, *, keep_stop_words: bool = False
) -> list[Piece]:
    """Numbers, units and stemmed words of ``text[start:end]``, offsets absolute in ``text``."""
    found: list[Piece] = []
    before: tuple[int, int] | None = None  # the word read last, a stop word too (`throw up`)
    for m in WORD_RE.finditer(text, start, len(text) if end is None else end):
        group = m.lastgroup or "word"
        word, begin, stop = m.group(group), m.start(group), m.end(group)
        if group == "number":
            found.append(Piece(word, begin, stop, Kind.NUMBER))
            before = None
        elif before and (idiom := _idiom(text, *before, begin, stop)):
            if found and found[-1].start == before[0]:
                found.pop()
            found.append(Piece(idiom[0], before[0], stop, Kind.TERM))
            before = None
        else:
            if (read := _word_piece(word, keep_stop_words)) is not None:
                found.append(Piece(read[0], begin, stop, read[1]))
            before = (begin, stop)
    return _stopped_suddenly(text, _hedged(text, found))


def _idiom(text: str, start: int, end: int, begin: int, stop: int) -> tuple[str, str] | None:
    """(term, word as written in one) where the words ``text[start:end]`` and
    ``text[begin:stop]`` make one of :data:`IDIOMS`, or None."""
    second = text[begin:stop].lower()
    if second not in _IDIOM_ENDS:  # most words end none: no stemming of the one before
        return None
    first = plain_word(text[start:end])
    joined = _IDIOMS_BY_STEM.get((_stem(first) if first else "", second))
    if joined is None or not IDIOM_GAP.fullmatch(text, end, begin):
        return None
    return _stem(joined), joined


def _hedged(text: str, found: list[Piece]) -> list[Piece]:
    """``found`` with each pair of :data:`HEDGES` that stands together marked a hedge, each of
    :data:`ASPECT_VERBS` right before a word in -ing or keeping one up, the time of "all the
    time" and the lot of "a lot"."""
    for i in range(len(found) - 1):
        first, second = found[i], found[i + 1]
        if not text[first.end : second.start].isspace():
            continue
        if (first.text, second.text) in HEDGES:
            found[i], found[i + 1] = (
                first._replace(kind=Kind.HEDGE),
                second._replace(kind=Kind.HEDGE),
            )
        elif first.text in ASPECT_VERBS and _first_word(text, second).endswith("ing"):
            found[i] = first._replace(kind=Kind.HEDGE)
    lots = [m.span() for m in A_LOT.finditer(text)]
    for i, piece in enumerate(found):
        if _says_only_how_long_or_much(text, piece, lots):
            found[i] = piece._replace(kind=Kind.HEDGE)
    return found


def _says_only_how_long_or_much(text: str, piece: Piece, lots: list[tuple[int, int]]) -> bool:
    """Whether ``piece`` only says that the need goes on or how much of it there is: the time
    of "all the time", the keep of "keeps me up", the lot of "a lot" (``lots``: their spans)."""
    if piece.text == "time":
        return bool(ALL_THE.search(text, max(0, piece.start - 12), piece.start))
    if piece.text in ASPECT_VERBS:
        return bool(KEPT_UP.match(text, piece.end))
    return piece.text == "lot" and any(start <= piece.start < end for start, end in lots)


def _stopped_suddenly(text: str, found: list[Piece]) -> list[Piece]:
    """``found`` with each word of :data:`SUDDENLY` that goes with a verb of stopping read as
    :data:`STOPPED_SUDDENLY`."""
    for i, piece in enumerate(found):
        if piece.text not in _SUDDENLY_STEMS:  # most words: no slicing
            continue
        if text[piece.start : piece.end].lower() not in SUDDENLY:  # the adjective, sudden
            continue
        after = found[i + 1] if i + 1 < len(found) else None
        if (after and after.text in STOPPING and text[piece.end : after.start].isspace()) or any(
            verb.text in STOPPING and OBJECT_BETWEEN.fullmatch(text, verb.end, piece.start)
            for verb in found[max(0, i - 3) : i]
        ):
            found[i] = piece._replace(text=STOPPED_SUDDENLY)
    return found


def _first_word(text: str, piece: Piece) -> str:
    """The first word of ``piece`` as written, lower-cased (of `throwing up`, throwing)."""
    return IDIOM_GAP.split(text[piece.start : piece.end], maxsplit=1)[0].lower()


@lru_cache(maxsize=1 << 16)
def _word_piece(word: str, keep_stop_words: bool) -> tuple[str, Kind] | None:
    """(term, kind) of one word as :func:`english_pieces` indexes it, or None; memoised, as
    a build reads the same words again and again."""
    lowered = word.lower()
    if lowered in UNITS:
        return word, Kind.UNIT
    term = english_term(word, keep_stop_words=keep_stop_words)
    if term is None:
        return None
    return term, Kind.REQUEST if lowered in REQUEST_WORDS else Kind.TERM


class EnglishTokenizer(PieceTokenizer):
    """The tokenizer (and whole analyzer) of English fields; engines adapt it to their protocol."""

    def pieces(self, text: str) -> list[Piece]:
        return english_pieces(text)

    def polar_terms(self, text: str) -> list[Term]:
        return terms(text, negations(text, self.pieces(text)), query=True, negation=True)


# Words that negate what follows (`not`, `won't`, `doesn't`), and verbs that hand the negation
# on to the word after them (`does not make you drowsy` is not drowsy): only glossary phrases
# see it (`not drowsy`), as the Korean 안 and 않 mark the verb they negate.
NEGATORS = frozenset({"not", "never", "cannot"})
CARRIER_VERBS = frozenset(
    """make makes made making cause causes caused causing get gets got getting feel feels felt
    feeling become becomes became leave leaves left give gives gave keep keeps kept""".split()  # noqa: SIM905
)


def negations(text: str, pieces: list[Piece]) -> list[Piece]:
    """``pieces`` with a :attr:`Kind.NOT_NEXT` piece before the term each negator of ``text``
    negates, past the verbs that hand it on."""
    out = list(pieces)
    for m in WORD_RE.finditer(text):
        word = (m.group("word") or "").lower().replace("’", "'")
        if word not in NEGATORS and not word.endswith("n't") and word not in UNMARKED_NEGATIONS:
            continue
        at = next((i for i, p in enumerate(out) if p.start >= m.end()), len(out))
        while at < len(out) and text[out[at].start : out[at].end].lower() in CARRIER_VERBS:
            at += 1
        out.insert(at, Piece(word, m.start(), m.end(), Kind.NOT_NEXT))
    return out


def english_analyzer() -> EnglishTokenizer:
    return EnglishTokenizer()


def exact_words(text: str) -> list[Term]:
    """Lower-cased Latin words as written, stop words out: ``nationality`` stays itself."""
    found: list[Term] = []
    before: tuple[int, int] | None = None  # the word read last, a stop word too
    for m in WORD_RE.finditer(text):
        if m.lastgroup != "word":
            before = None
            continue
        start, end = m.start("word"), m.end("word")
        if before and (idiom := _idiom(text, *before, start, end)):
            if found and found[-1].start == before[0]:
                found.pop()
            found.append(Term(idiom[1], before[0], end, len(found)))
            before = None
            continue
        if (word := _exact_form(m.group("word"))) is not None:
            found.append(Term(word, start, end, len(found)))
        before = (start, end)
    return found


@lru_cache(maxsize=1 << 16)
def _exact_form(word: str) -> str | None:
    """``word`` as the exact field holds it (lower-cased, ASCII), or None; memoised."""
    plain = plain_word(word)
    return plain if plain is not None and plain.isascii() and not is_stop_word(word) else None


class ExactTokenizer(PieceTokenizer):
    def terms(self, text: str, *, query: bool = False) -> list[Term]:
        return exact_words(text)


def exact_analyzer() -> ExactTokenizer:
    return ExactTokenizer()
