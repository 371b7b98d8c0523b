"""What the reader probably meant: keyboard-layout mix-ups, English words split in two and typos,
checked against the index.

Both directions of the 2-set layout are handled (``rkqkvpsxls`` → ``가바펜틴``, ``ㅎ뮤메두샤ㅜ`` →
``gabapentin``); a word the index knows is never "corrected". Typos are fixed at the jamo level
for Korean (``효늠`` → ``효능``) and by edit distance for English, against the index's own words,
which each build keeps in memory (made on first use) indexed by letter pairs; a word of the
glossary's terms is the reader's own word, never a typo.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from itertools import chain
from typing import NamedTuple

import numpy as np
from whoosh.support.levenshtein import damerau_levenshtein, levenshtein

from kb.analysis.base import Kind
from kb.analysis.english import LATIN_RUN, STOPS, EnglishTokenizer, english_analyzer
from kb.analysis.eojeol import split_particle
from kb.analysis.hangul import (
    HANGUL_RUN,
    alike_spellings,
    compose,
    decompose,
    edit_distance,
    hangul_to_qwerty,
    is_jamo,
    is_plausible_hangul,
    loanword_spellings,
    qwerty_to_hangul,
    slipped_vowels,
)
from kb.analysis.korean import (
    REQUEST_WORDS,
    ends_a_sentence,
    inflected,
    is_dictionary_noun,
    is_dictionary_predicate,
    korean_analyzer,
    korean_pieces,
    likelihood,
    may_be_misspelled,
    misspelled_negations,
    noun_starting,
    prefix_negates,
    reads_as_korean,
    spaced_apart,
)
from kb.cache import per_build
from kb.content import LOCALES
from kb.engine import EngineBuild
from kb.englishwords import MIN_RESPELLED_LATIN, is_english_word
from kb.intent import MEDICINE_ENDINGS
from kb.params import DEFAULTS
from kb.schema import TEXTS
from kb.scoring import LeafScorer
from kb.snapshot import IndexSnapshot

LATIN_QUERY = re.compile(r"[A-Za-z][A-Za-z0-9 ]*\Z")
#: The nearest words an unknown Hangul word is weighed against by Kiwi (each is a reading).
RESPELLINGS_WEIGHED = 8
#: A query of at most this many words may have a word's vowel respelled (a Kiwi reading each).
MAX_WORDS_VOWEL_RESPELLED = 3
#: At most this many misspelled Latin words of a query are respelled (each one, or none).
MAX_RESPELLED_NAMES = 2
#: A longer word is not read as two article words (each split is looked up: 기획재정부 is 5).
MAX_COMPOUND_SYLLABLES = 8


@dataclass(frozen=True)
class Suggestion:
    """Another query to offer, or whose results are shown; ``kind``: ``keyboard``, ``spacing``,
    ``spelling`` (respelled as articles spell it: :func:`respelling`), ``unfinished`` (its last
    word finished: :func:`kb.completions.finished_query`) or ``typo``."""

    text: str
    kind: str


def keyboard_alternative(text: str, snapshot: IndexSnapshot) -> str | None:
    """The query as meant when typed with the keyboard in the other language's mode, or None."""
    build = snapshot.engine
    if LATIN_QUERY.match(text):
        converted = " ".join(_hangul_if_meant(word, build) for word in text.split())
        return converted if converted != text else None
    if any(HANGUL_RUN.match(ch) or is_jamo(ch) for ch in text) and not LATIN_RUN.search(text):
        converted = hangul_to_qwerty(text)
        words = LATIN_RUN.findall(converted)
        if words and all(_known(build, "spell_en", w.lower()) for w in words):
            return converted.lower()
    return None


def _hangul_if_meant(word: str, build: EngineBuild) -> str:
    """A Latin word as Hangul when it is no word the index knows and converts to syllables
    that the index or Kiwi knows as words (a misspelled English word converts to nonsense)."""
    if not word.isalpha() or _english_word(build, word.lower()):
        return word  # real English words are never converted
    converted = qwerty_to_hangul(word)
    if not is_plausible_hangul(converted):
        return word
    stem = split_particle(converted)[0]
    if _known(build, "spell_ko", decompose(stem)) or reads_as_korean(converted):
        return converted
    return word


def spacing_alternative(text: str, snapshot: IndexSnapshot) -> str | None:
    """The query with two neighbouring English words written as one (``head ache`` →
    ``headache``, ``non-steroidal`` → ``nonsteroidal``) where more articles spell the one word
    than say the two side by side, two Korean words as the one the articles keep whole
    (``대상 포진``), or one word no article has written as the two some article says
    (``bloodthinner`` → ``blood thinner``), or a Hangul run Kiwi reads as one noun spaced as it
    would space it (``두드러기약졸린거``); None if none. An English word split in two matches
    neither half's meaning. Counting the phrase too keeps a large site's stray run-together
    words (``socialsecurity`` in a link) from replacing what its articles say."""
    scorer = LeafScorer(snapshot.engine, DEFAULTS)
    words = text.split()
    joined: list[str] = []
    at = 0
    while at < len(words):
        halves = words[at].split("-")
        if len(halves) == 2 and _written_as_one(scorer, halves):  # `non-steroidal`
            joined.append("".join(halves).lower())
            at += 1
            continue
        pair = words[at : at + 2]
        if len(pair) == 2 and _written_as_one(scorer, pair):
            joined.append("".join(pair).lower())
            at += 2
            continue
        if len(pair) == 2 and _korean_written_as_one(scorer, *pair):
            joined.append("".join(pair))
            at += 2
            continue
        word = words[at]
        joined.append(_written_as_two(scorer, word) or _korean_written_apart(scorer, word) or word)
        at += 1
    spaced = " ".join(joined)
    return spaced if spaced != " ".join(words) else None


def _written_as_one(scorer: LeafScorer, pair: list[str]) -> bool:
    """Whether more articles spell the two words as one than say them side by side (and at
    least two do: one article's run-together URL is no evidence)."""
    if not all(_joinable(word) for word in pair):
        return False
    spelled = _articles_spelling(scorer, "".join(pair).lower())
    return spelled > 1 and spelled > _articles_saying(scorer, *pair)


def _korean_written_as_one(scorer: LeafScorer, first: str, second: str) -> bool:
    """Whether two Hangul words make one the articles hold whole (the second may carry a
    particle) and none says the two side by side: Kiwi reads most words however they are
    spaced, but not the ones kept whole for their meaning (`대상 포진`, `가바 펜틴`), whose
    halves are other words or none. A one-syllable word joins only as a noun Kiwi reads beside
    another (`입 안이` → 입안): a counter, a determiner or a verb's ending joins too much (`각
    주` is no 각주, `두 개` no 두개, `탈 수` no 탈수)."""
    if not (HANGUL_RUN.fullmatch(first) and HANGUL_RUN.fullmatch(second)):
        return False
    pair = f"{first} {second}"
    noun = noun_starting(pair, len(first) + 1)  # `안이`: 안, which split_particle keeps whole
    candidates = dict.fromkeys((second, split_particle(second)[0], noun or second))  # `포진에`
    stem = next(
        (s for s in candidates if _known(scorer.build, "spell_ko", decompose(first + s))),
        None,
    )
    if stem is None:
        return False
    if min(len(first), len(stem)) < 2 and (noun != stem or noun_starting(pair, 0) != first):
        return False
    words = tuple(term.text for term in korean_analyzer().terms(f"{first} {stem}", query=True))
    if words == (first + stem,):
        return False  # Kiwi reads the two as that word already (`부 작용`)
    said = [scorer.phrase(f"{name}_ko", words).ids for name in TEXTS] if len(words) > 1 else []
    return not any(len(ids) for ids in said)


def _written_as_two(scorer: LeafScorer, word: str) -> str | None:
    """``word`` as the two words more articles say side by side than at any other split, when
    no article has it in any form and it is no English word (``bloodthinner``), or None."""
    if len(word) < MIN_RESPELLED_LATIN or not (word.isascii() and word.isalpha()):
        return None
    if _in_articles(scorer.build, word) or is_english_word(word):
        return None
    lower = word.lower()
    splits = [(lower[:at], lower[at:]) for at in range(2, len(lower) - 1)]
    said = [
        (_articles_saying(scorer, left, right), f"{left} {right}")
        for left, right in splits
        if _joinable(left) and _joinable(right)
        and _known(scorer.build, "spell_en", left) and _known(scorer.build, "spell_en", right)
    ]  # fmt: skip
    most, spaced = max(said, default=(0, ""))
    return spaced if most else None


def _korean_written_apart(scorer: LeafScorer, word: str) -> str | None:
    """A Hangul ``word`` no article has, spaced where Kiwi would put the spaces when it reads
    the run as one noun (:func:`kb.analysis.korean.spaced_apart`), or None."""
    if not HANGUL_RUN.fullmatch(word) or _known(scorer.build, "spell_ko", decompose(word)):
        return None
    return spaced_apart(word)


def _articles_spelling(scorer: LeafScorer, word: str) -> int:
    """Articles whose words (as written, not stemmed: a stemmer makes ``primer`` of an unknown
    ``primerate``) include ``word`` or its plural (the articles may say ``painkillers``)."""
    forms = [form for form in (word, f"{word}s") if scorer.build.doc_frequency("spell_en", form)]
    if not forms:
        return 0
    return len(np.unique(np.concatenate([scorer.docs("spell_en", form) for form in forms])))


def _articles_saying(scorer: LeafScorer, *words: str) -> int:
    """How many articles have ``words`` side by side in an English text field."""
    stems = _english_stems(" ".join(words))
    if len(stems) != len(words):
        return 0
    found = [scorer.phrase(f"{name}_en", stems).ids for name in TEXTS]
    return len(np.unique(np.concatenate(found)))


def _english_stems(text: str) -> tuple[str, ...]:
    return tuple(term.text for term in _english().terms(text, query=True))


@cache
def _english() -> EnglishTokenizer:
    return english_analyzer()


def _joinable(word: str) -> bool:
    """A Latin word that may be half of another: never a stop word (``a part`` is not
    ``apart``) or a single letter (``test e``)."""
    return len(word) > 1 and word.isascii() and word.isalpha() and word.lower() not in STOPS


def respelling(text: str, snapshot: IndexSnapshot) -> str | None:
    """The query with each word no article has spelled as articles (or the glossary) spell it,
    or None. Unlike a typo, this is worth trying whatever the rest of the query finds (`부작용`,
    `side effects` find every article), so it is tried only where a misspelling is likely:
    a Hangul word with a vowel said alike (``베튼이`` → ``배튼이``, ``엑세스`` → ``액세스``; not
    into a word Kiwi reads as less likely, as ``제발`` is no ``재발``) or,
    of three syllables or more, a foreign word's other transliteration (``메트포민`` →
    ``메트포르민``, ``타일레놀`` → ``타이레놀``); a misspelled name among English words
    (:func:`_respelled_name`)."""
    build = snapshot.engine
    glossary = snapshot.glossary

    def spelled(spelling: str) -> int:
        """In how many articles ``spelling`` is a word; 1 for a word only the glossary has."""
        found = build.doc_frequency("spell_ko", decompose(spelling))
        return found or int(glossary is not None and glossary.has_word("ko", spelling))

    def respelled_hangul(run: re.Match[str]) -> str:
        unknown = _unknown_hangul(run.group(), snapshot)
        if unknown is None:
            return run.group()
        stem, particle = unknown
        spellings = [*alike_spellings(stem), *loanword_spellings(stem)]
        frequency, best = max(((spelled(s), s) for s in spellings), default=(0, ""))
        if not frequency or _less_likely([run.group()], 0, best + particle):
            return run.group()  # `제발` (please) is no `재발` (relapse)
        return best + particle

    respelled_text = _respelled_name(HANGUL_RUN.sub(respelled_hangul, text), snapshot)
    return respelled_text if respelled_text != text else None


def _respelled_name(text: str, snapshot: IndexSnapshot) -> str:
    """``text`` with its Latin words no article has (not even in another form: ``bruise`` is
    "bruising") and no English dictionary either respelled as an article's words one edit away
    (two from seven letters on; a swap of neighbours is one), when the query's other words are
    all the articles' own and at least one is left: a reader who writes their language and
    misspells a name or a symptom (``metforman side effects``, ``thyriod pills``, ``side
    efects gabapentn``), not one whose language the articles lack (``who invented ice
    cream``). At most :data:`MAX_RESPELLED_NAMES` words, each respelled, or none."""
    build, glossary = snapshot.engine, snapshot.glossary

    def known(word: str, locale: str) -> bool:
        if glossary is not None and glossary.knows(locale, word):
            return True
        if locale == "ko":
            return _known(build, "spell_ko", decompose(split_particle(word)[0]))
        return _in_articles(build, word)

    latin = [m for m in LATIN_RUN.finditer(text) if m.group().lower() not in STOPS]
    unknown = [m for m in latin if not known(m.group(), "en")]
    others = len(latin) - len(unknown) + len(HANGUL_RUN.findall(text))
    if not 0 < len(unknown) <= MAX_RESPELLED_NAMES or not others:
        return text
    if not all(known(run, "ko") for run in HANGUL_RUN.findall(text)):
        return text
    respelled = [_respelled_latin(m.group(), snapshot) for m in unknown]
    if None in respelled:
        return text
    for match, spelling in reversed(list(zip(unknown, respelled, strict=True))):
        text = text[: match.start()] + str(spelling) + text[match.end() :]
    return text


def _respelled_latin(word: str, snapshot: IndexSnapshot) -> str | None:
    """The article word nearest the Latin ``word`` (see :func:`_respelled_name`), or None."""
    if len(word) < MIN_RESPELLED_LATIN or is_english_word(word):
        return None  # a word of English the articles lack (`constrictor`), no misspelling
    word = word.lower()
    build = snapshot.engine
    budget = 1 if len(word) < 7 else 2  # `headake` is two from `headache`
    near = [
        (distance, -build.doc_frequency("spell_en", c), c)
        for c in spelling_words(snapshot, "spell_en").within(word, budget + 1)
        if c[0] == word[0]  # few misspell a first letter
        and (distance := damerau_levenshtein(word, c)) <= budget  # `thyriod` is one edit
    ]
    return min(near)[2] if near else None


def likelier_spelling(text: str, snapshot: IndexSnapshot, min_gain: float) -> str | None:
    """The query with each Hangul word no article has respelled as the nearest word an article
    has (a key off in two syllables, two in longer ones; or two side by side, one a key off)
    when Kiwi reads the query at least ``min_gain`` nats likelier so, or None. A typo beside a
    common word (`두퉁 약`: `약` finds every article) is never corrected as one; Kiwi tells it
    from a word of Korean the articles lack (`운전해도` reads no likelier as `운전`). In a short
    query an inflected word gets its vowels tried a key off (`머리가 어지러어요`)."""
    short = len(text.split()) <= MAX_WORDS_VOWEL_RESPELLED
    respelled = text
    for run in reversed(list(HANGUL_RUN.finditer(text))):  # later spans stay put
        unknown = _unknown_hangul(run.group(), snapshot)
        if unknown is None:
            continue
        start, end = run.span()
        if inflected(respelled, start, end):
            words = [(1, w) for w in _slipped_article_words(run.group(), snapshot)] if short else []
        elif may_be_misspelled(respelled, start, end):
            words = _nearest_words(snapshot, *unknown)
        else:
            continue
        readings = [(d, respelled[:start] + w + respelled[end:]) for d, w in words]
        respelled = _likeliest(respelled, readings[:RESPELLINGS_WEIGHED], min_gain) or respelled
    return respelled if respelled != text else None


def negation_spelling(text: str, min_gain: float) -> str | None:
    """The query with 않 written for the adverb 안 respelled (`잠이 않와요` → `잠이 안 와요`), when
    Kiwi reads it at least ``min_gain`` nats likelier so; else None. The two are said alike,
    and 않 before a verb leaves the query its verb alone (`와요` matches `잠이 잘 안 오는`)."""
    respelled = text
    for start in reversed(misspelled_negations(text)):
        rest = respelled[start + 1 :]
        respelled = f"{respelled[:start]}안{'' if rest.startswith(' ') else ' '}{rest}"
    return _likeliest(text, [(1, respelled)], min_gain) if respelled != text else None


def _likeliest(typed: str, readings: list[tuple[int, str]], min_gain: float) -> str | None:
    """Of the (keys off, text) ``readings`` Kiwi reads at least ``min_gain`` nats likelier
    than ``typed``, the fewest keys off, then the likeliest; None if none is."""
    if not readings:
        return None
    as_typed = likelihood(typed)
    gains = [(distance, as_typed - likelihood(text), text) for distance, text in readings]
    likelier = [entry for entry in gains if -entry[1] >= min_gain]
    return min(likelier)[2] if likelier else None


def _nearest_words(snapshot: IndexSnapshot, stem: str, particle: str) -> list[tuple[int, str]]:
    """(edits, word with its particle) of the article words nearest ``stem``, alone or as one
    of two (:func:`_compound_respellings`), nearest then commonest first; never one that drops
    a syllable the reader typed (무설탕 is no 설탕)."""
    nearest = _nearest_korean(snapshot, stem)
    return [
        (distance, compose(term) + particle)
        for distance, _, term in sorted([*nearest, *_compound_respellings(snapshot, stem)])
        if len(compose(term)) >= len(stem)
    ]


def _compound_respellings(snapshot: IndexSnapshot, stem: str) -> list[tuple[int, int, str]]:
    """(edits, −articles, keystrokes) of ``stem`` read as two words articles have, of two
    syllables or more, one of them a key off: Kiwi reads the compounds it splits (소화불량 is
    소화 + 불량) as their parts, so no article has `소화불냥`'s whole word to be near. The
    second may be the 약 or 제 a reader puts after a need (`불먼증약`, `갑상섬약`)."""
    if len(stem) > MAX_COMPOUND_SYLLABLES:
        return []
    build = snapshot.engine
    last = len(stem) - 1  # the cut before a final 약 or 제: one syllable, so not in spell_ko
    cuts = [*range(2, last), *([last] if stem.endswith(MEDICINE_ENDINGS) else [])]
    splits = [(decompose(stem[:at]), decompose(stem[at:])) for at in cuts]
    known = [(_known(build, "spell_ko", a), at == last or _known(build, "spell_ko", b))
             for at, (a, b) in zip(cuts, splits, strict=True)]  # fmt: skip
    if any(all(pair) for pair in known):
        return []  # two words articles have, written together: no typo
    found = []
    for (left, right), (left_known, right_known) in zip(splits, known, strict=True):
        if left_known:
            found += [(d, c, left + t) for d, c, t in _nearest(snapshot, "spell_ko", right, 1)]
        elif right_known:
            found += [(d, c, t + right) for d, c, t in _nearest(snapshot, "spell_ko", left, 1)]
    return found


def slipped_vowel_reading(text: str, snapshot: IndexSnapshot, min_gain: float) -> str | None:
    """A short query with its inflected Korean words no article has respelled by a vowel a key
    off (:func:`_slipped_words`), or None: the typo corrector's nouns and lemmas have nothing
    near an inflected word (`어지러어요`, `배가 아퍼요` found nothing)."""
    words = text.split()
    if len(words) > MAX_WORDS_VOWEL_RESPELLED:
        return None
    slipped = _slipped_words(words, snapshot, min_gain)
    return " ".join(slipped.get(at, word) for at, word in enumerate(words)) if slipped else None


class TypoCorrection(NamedTuple):
    """A query with its unknown words corrected. ``korean``: every corrected word is Hangul,
    and so is its correction (`졸로푸트` → `졸로프트`): the reader wrote in a language the
    articles have."""

    text: str
    korean: bool = False


def typo_correction(text: str, snapshot: IndexSnapshot) -> TypoCorrection | None:
    """The query with each unknown word replaced by the closest word the index holds, or None.
    A noun, verb or adjective of Kiwi's dictionary is spelled right though no article has it,
    and is neither corrected nor offered a correction: `위염` (gastritis) is no typo of `위암`
    (stomach cancer), `구내염` none of `간염`, `식후` none of `직후`, as `carpet` is none of
    `care`. Nor is a Hangul word corrected into one Kiwi reads the query as less likely with:
    `숙취 해소제` (hangover remedy) is no `숙취 채소제`, though 채소 is an article's word."""
    words = text.split()
    fixed = [word if _spelled_right(word) else _correct_word(word, snapshot) for word in words]
    fixed = [
        other if other == word or not _less_likely(words, at, other) else word
        for at, (word, other) in enumerate(zip(words, fixed, strict=True))
    ]
    if fixed == words:
        return None
    changed = [(word, other) for word, other in zip(words, fixed, strict=True) if other != word]
    korean = all(HANGUL_RUN.fullmatch(word) for pair in changed for word in pair)
    return TypoCorrection(" ".join(fixed), korean=korean)


def _less_likely(words: list[str], at: int, other: str) -> bool:
    """Whether Kiwi reads the query ``words`` as less likely with the Hangul word at ``at``
    replaced by ``other``: a real word (해소제, 또한) the reader meant, not a typo."""
    if not HANGUL_RUN.fullmatch(words[at]):
        return False
    respelled = [*words[:at], other, *words[at + 1 :]]
    return likelihood(" ".join(respelled)) < likelihood(" ".join(words))


def _spelled_right(word: str) -> bool:
    """Whether the Hangul ``word`` is a noun (with or without its particle), verb or adjective
    of Kiwi's dictionary."""
    return HANGUL_RUN.fullmatch(word) is not None and (
        is_dictionary_noun(word)
        or is_dictionary_noun(split_particle(word)[0])
        or is_dictionary_predicate(word)
    )


def _slipped_words(words: list[str], snapshot: IndexSnapshot, min_gain: float) -> dict[int, str]:
    """Where a query's inflected Korean word no article has reads, with a vowel a key off, as
    an article word and the query at least ``min_gain`` nats likelier (`배가 아퍼요` → `아파요`),
    that word."""
    slipped: dict[int, str] = {}
    for at, word in enumerate(words):
        if not HANGUL_RUN.fullmatch(word) or _unknown_hangul(word, snapshot) is None:
            continue
        if not inflected(word, 0, len(word)):
            continue
        readings = [
            (1, " ".join([*words[:at], other, *words[at + 1 :]]))
            for other in _slipped_article_words(word, snapshot)
        ]
        likeliest = _likeliest(" ".join(words), readings, min_gain)
        if likeliest:
            slipped[at] = likeliest.split()[at]
    return slipped


def _correct_word(word: str, snapshot: IndexSnapshot) -> str:
    build = snapshot.engine
    if HANGUL_RUN.fullmatch(word):
        unknown = _unknown_hangul(word, snapshot)
        if unknown is None or ends_a_sentence(word):
            return word  # `무릎이 시려요` is no `무릎이 필요`: its verb is searched by its lemma
        stem, particle = unknown
        nearest = _nearest_korean(snapshot, stem) or sorted(_compound_respellings(snapshot, stem))
        if not nearest or _own_lemma(word, compose(nearest[0][2])):
            return word
        return compose(nearest[0][2]) + particle
    if LATIN_RUN.fullmatch(word) and len(word) >= 4:
        lower = word.lower()
        if _english_word(build, lower):
            return word
        if snapshot.glossary is not None and snapshot.glossary.knows("en", lower):
            return word
        if is_english_word(lower):
            return word  # spelled right, though no article says it: `carpet` is no `care`
        best = _closest(snapshot, "spell_en", lower, 1 if len(word) <= 5 else 2)
        return best or word
    return word


def _own_lemma(word: str, nearest: str) -> bool:
    """Whether ``nearest`` is what Kiwi reads ``word`` as: `심할` is 심하 inflected, no typo
    of it, and `변비가 심하 때` is no Korean to offer."""
    return any(piece.kind is Kind.TERM and piece.text == nearest for piece in korean_pieces(word))


def _slipped_article_words(word: str, snapshot: IndexSnapshot) -> list[str]:
    """``word`` with a vowel a key off (:func:`slipped_vowels`) where that makes a word the
    articles have (`어지러워요` reads as 어지럽): `잠이 않와요` is no `잠이 않아요`, whose 않
    says nothing."""
    build = snapshot.engine
    return [
        other
        for other in slipped_vowels(word)
        if any(
            piece.kind is Kind.TERM and _known(build, "spell_ko", decompose(piece.text))
            for piece in korean_pieces(other)
        )
    ]


def _unknown_hangul(word: str, snapshot: IndexSnapshot) -> tuple[str, str] | None:
    """``word``'s stem and particle when it may be misspelled: no article has the stem, which
    is two syllables or more, is no word asking for a kind of answer (`차이`: "did you mean
    타이레놀이랑 게보린 나이?"), and the glossary does not know the word; else None. A noun of
    Kiwi's dictionary is its own stem: `바나나` is no `바나` + `나`, to be read as `반사나`."""
    stem, particle = (word, "") if is_dictionary_noun(word) else split_particle(word)
    if len(stem) < 2 or stem in REQUEST_WORDS:
        return None
    if _known(snapshot.engine, "spell_ko", decompose(stem)):
        return None
    if snapshot.glossary is not None and snapshot.glossary.knows("ko", word):
        return None
    return stem, particle


def _in_articles(build: EngineBuild, word: str) -> bool:
    """Whether some article has the Latin ``word`` as written or in another form (``bruise``,
    of "bruising": its stem, in either language's text), or it is a stop word."""
    if _english_word(build, word.lower()):
        return True
    stem = _english_stems(word)
    return len(stem) == 1 and any(
        build.doc_frequency(f"{name}_{locale}", stem[0]) for name in TEXTS for locale in LOCALES
    )


def _english_word(build: EngineBuild, lower: str) -> bool:
    """A word the index spells, or a stop word (``does``, ``do``): those are never indexed, so
    an index without English text would otherwise "correct" them."""
    return lower in STOPS or _known(build, "spell_en", lower)


def _jamo_budget(word: str) -> int:
    """One wrong key in a two-syllable word, two in longer ones."""
    return 1 if len(word) <= 2 else 2


def _nearest_korean(snapshot: IndexSnapshot, stem: str) -> list[tuple[int, int, str]]:
    """:func:`_nearest` article words to the Korean ``stem``, but never its opposite by a
    negating prefix, however few keys apart (급여 is no typo of 비급여, nor the reverse)."""
    nearest = _nearest(snapshot, "spell_ko", decompose(stem), _jamo_budget(stem))
    return [near for near in nearest if not prefix_negates(compose(near[2]), stem)]


def _closest(snapshot: IndexSnapshot, field: str, key: str, budget: int) -> str | None:
    """The nearest term within ``budget`` edits, then the one in most articles."""
    nearest = _nearest(snapshot, field, key, budget)
    return nearest[0][2] if nearest else None


def _nearest(
    snapshot: IndexSnapshot, field: str, key: str, budget: int
) -> list[tuple[int, int, str]]:
    """(edits, −articles, term) of the terms within ``budget`` edits, nearest then commonest
    first (Korean terms are keystrokes, so an edit is one wrong key)."""
    build = snapshot.engine
    return sorted(
        (edit_distance(key, term), -build.doc_frequency(field, term), term)
        for term in spelling_words(snapshot, field).within(key, budget)
    )


class SpellingWords:
    """The terms of a spelling field by length, each length's indexed by the letter pairs they
    hold, so the words near a typo are found by counting shared pairs, not by walking them all."""

    def __init__(self, terms: Iterable[str]):
        self.terms = list(terms)
        self.by_length: dict[int, list[int]] = {}
        self.pairs: dict[int, dict[str, list[int]]] = {}
        for number, term in enumerate(self.terms):
            self.by_length.setdefault(len(term), []).append(number)
            postings = self.pairs.setdefault(len(term), {})
            for pair in _letter_pairs(term):
                postings.setdefault(pair, []).append(number)

    def within(self, key: str, budget: int) -> list[str]:
        """Terms other than ``key`` at most ``budget`` insertions, deletions or substitutions
        away (the Levenshtein distance of Whoosh's ``terms_within``)."""
        return [
            self.terms[number]
            for length in range(len(key) - budget, len(key) + budget + 1)
            for number in self._sharing_pairs(key, length, budget)
            if self.terms[number] != key and levenshtein(self.terms[number], key, budget) <= budget
        ]

    def _sharing_pairs(self, key: str, length: int, budget: int) -> Iterable[int]:
        """Terms of ``length`` sharing enough letter pairs with ``key`` to be within ``budget``:
        an edit breaks at most two pairs, so at least max(lengths) + 1 - 2 × budget survive."""
        needed = max(len(key), length) + 1 - 2 * budget
        if needed <= 0:
            return self.by_length.get(length, ())
        postings = self.pairs.get(length, {})
        shared = Counter(chain.from_iterable(postings.get(p, ()) for p in _letter_pairs(key)))
        return [number for number, count in shared.items() if count >= needed]


def _letter_pairs(word: str) -> list[str]:
    """The adjacent pairs of ``word`` padded at both ends, a repeated pair numbered (so shared
    pairs count as a multiset): ``abab`` → ``^a ab ba ab2 b$``."""
    padded = f"\x02{word}\x03"
    pairs = [padded[i : i + 2] for i in range(len(word) + 1)]
    if len(set(pairs)) == len(pairs):
        return pairs
    seen: Counter[str] = Counter()
    numbered = []
    for pair in pairs:
        seen[pair] += 1
        numbered.append(pair if seen[pair] == 1 else f"{pair}{seen[pair]}")
    return numbered


@per_build
def spelling_words(snapshot: IndexSnapshot, field: str) -> SpellingWords:
    """The words of one spelling field of a build, read once, on the first typo to correct."""
    return SpellingWords(snapshot.engine.terms(field))


def _known(build: EngineBuild, field: str, term: str) -> bool:
    return build.doc_frequency(field, term) > 0
