"""The published query mix and suggest prefixes, the same for every corpus and engine.

Most queries are drawn with a fixed seed from the vocabulary of the sentence pool every corpus is
made of (see :mod:`bench.perf.corpora`): Korean words that occur both bare and with a particle
count as nouns. A few fixed queries (below) cover what the vocabulary can't: the spec's own
examples, glossary terms for cross-language search, and strings that match nothing.
The derived strings are written to bench/out/perf.json, never into the project.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import asdict, dataclass
from functools import cache

from bench.perf.corpora import SEED, msmarco_questions, sentence_pool
from bench.perf.results import Mix
from kb.analysis.english import LATIN_RUN
from kb.analysis.hangul import HANGUL_RUN, compose, decompose, hangul_to_qwerty, initials

# The published mix's own particle list, frozen so the mix stays comparable across runs (kb's
# analysis uses the longer kb.analysis.eojeol.PARTICLES).
MIX_PARTICLES = (
    "에서",
    "으로",
    "은",
    "는",
    "이",
    "가",
    "을",
    "를",
    "의",
    "에",
    "로",
    "와",
    "과",
    "도",
)
STOP_TEXT = (
    "the and for that with this from have were been their they which would there about what "
    "when will your more than also into other some such these only most very over after many "
    "them then like just could should each because while where those being does said"
)
EN_STOP = frozenset(STOP_TEXT.split())

# (category, text, locale): the fixed part of the mix.
FIXED_QUERIES: tuple[tuple[str, str, str], ...] = (
    ("ko_particle", "대통령은", "ko"),
    ("ko_particle", "정부가", "ko"),
    ("ko_multi", "미국 대통령 선거", "ko"),
    ("en_phrase", "side effects", "en"),
    ("chosung", "ㄱㅂㅍㅌ", "ko"),
    ("chosung", "ㄷㅌㄹ", "ko"),
    ("keyboard", "rkqkvpsxls", "ko"),
    ("keyboard", "eotjdfud", "ko"),
    ("typo", "효늠", "ko"),
    ("typo", "대퉁령", "ko"),
    ("cross", "부작용", "en"),
    ("cross", "두통", "en"),
    ("cross", "headache", "ko"),
    ("cross", "high blood pressure", "ko"),
    ("zero", "qxzjvwkq", "en"),
    ("zero", "zzxqv plmokj", "en"),
    ("zero", "뷁쉙퓈", "ko"),
    ("zero", "ㅹㅉㄸㅃ", "ko"),
)
FIXED_PREFIXES: tuple[tuple[str, str], ...] = (
    ("hangul", "가"),
    ("hangul", "대통"),
    ("partial", "가바ㅍ"),
    ("partial", "가밮"),
    ("chosung", "ㄱ"),
    ("chosung", "ㄱㅂㅍㅌ"),
    ("keyboard", "rkqk"),
    ("latin", "a"),
    ("latin", "gab"),
)
DERIVED_QUERIES = {  # category: how many to draw
    "ko_particle": 18,
    "ko_multi": 18,
    "ko_question": 12,
    "en_word": 16,
    "en_phrase": 15,
    "en_question": 12,
    "chosung": 12,
    "keyboard": 12,
    "typo": 14,
    "cross": 12,
    "zero": 4,
}
DERIVED_PREFIXES = {"hangul": 20, "partial": 12, "chosung": 12, "latin": 20, "keyboard": 8}


@dataclass(frozen=True)
class Query:
    """One query of the mix: ``id`` is ``category:n``; ``locale`` is the reader's."""

    id: str
    category: str
    text: str
    locale: str


@dataclass(frozen=True)
class Prefix:
    """One suggest prefix: ``id`` is ``kind:n``."""

    id: str
    kind: str
    text: str


@dataclass(frozen=True)
class Vocabulary:
    """Word frequencies of the sentence pool, most frequent first."""

    nouns: list[str]  # Hangul words seen bare and with a particle
    with_particle: list[str]
    english: list[str]
    ko_sentences: list[str]
    en_sentences: list[str]


@cache
def vocabulary() -> Vocabulary:
    """Frequencies over the pool, ranked (count desc, then text) so ties are deterministic."""
    pool = sentence_pool()
    korean = Counter(w for p in pool for w in HANGUL_RUN.findall(p.ko))
    english = Counter(w.lower() for p in pool for w in LATIN_RUN.findall(p.en))
    particled = [w for w in _ranked(korean) if _stem(w) and korean[_stem(w)] >= 3]
    nouns = list(dict.fromkeys(_stem(w) for w in particled if 2 <= len(_stem(w)) <= 4))
    return Vocabulary(
        nouns=nouns[:600],
        with_particle=[w for w in particled if len(w) >= 3][:600],
        english=[w for w in _ranked(english) if len(w) >= 4 and w not in EN_STOP][:800],
        ko_sentences=[p.ko for p in pool],
        en_sentences=[p.en for p in pool],
    )


def _ranked(counts: Counter[str]) -> list[str]:
    """Keys by falling count, then alphabetically."""
    return [w for w, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def _stem(word: str) -> str:
    """The word without its trailing particle, or '' when it has none."""
    for particle in MIX_PARTICLES:
        if word.endswith(particle) and len(word) > len(particle) + 1:
            return word[: -len(particle)]
    return ""


def window(rng: random.Random, sentences: list[str], pattern: re.Pattern[str], size: int) -> str:
    """``size`` consecutive words (as matched by ``pattern``) of a random sentence."""
    while True:
        words = pattern.findall(sentences[rng.randrange(len(sentences))])
        if len(words) >= size:
            start = rng.randrange(len(words) - size + 1)
            return " ".join(words[start : start + size])


def typo_of(rng: random.Random, word: str) -> str:
    """The word with one keystroke changed: a Hangul jamo replaced, or two letters swapped."""
    if HANGUL_RUN.fullmatch(word):
        keys = list(decompose(word))
        at = rng.randrange(len(keys))
        choices = "ㅏㅓㅗㅜㅡㅣ" if keys[at] in "ㅏㅐㅑㅓㅔㅕㅗㅛㅜㅠㅡㅣ" else "ㄱㄴㄷㄹㅁㅂㅅㅇㅈ"
        keys[at] = rng.choice([c for c in choices if c != keys[at]] or list(choices))
        return compose("".join(keys))
    at = rng.randrange(len(word) - 1)
    return word[:at] + word[at + 1] + word[at] + word[at + 2 :]


def derived_query(rng: random.Random, category: str, vocab: Vocabulary) -> tuple[str, str]:
    """(text, locale) of one drawn query of ``category``."""
    if category == "ko_particle":
        return rng.choice(vocab.with_particle[:300]), "ko"
    if category == "ko_multi":
        return window(rng, vocab.ko_sentences, HANGUL_RUN, rng.choice((2, 3))), "ko"
    if category == "en_word":
        return rng.choice(vocab.english[:500]), "en"
    if category == "en_phrase":
        return window(rng, vocab.en_sentences, LATIN_RUN, rng.choice((2, 3))).lower(), "en"
    if category == "chosung":
        return initials(rng.choice(vocab.nouns[:300])), "ko"
    if category == "keyboard":
        return hangul_to_qwerty(rng.choice(vocab.nouns[:200])), "ko"
    if category == "typo":
        if rng.random() < 0.7:
            return typo_of(rng, rng.choice(vocab.nouns[:300])), "ko"
        return typo_of(rng, rng.choice(vocab.english[:300])), "en"
    if category == "cross":
        if rng.random() < 0.5:
            return rng.choice(vocab.nouns[:200]), "en"
        return rng.choice(vocab.english[:300]), "ko"
    if category == "zero":
        return "".join(chr(0xAC00 + rng.randrange(11172)) for _ in range(3)), "ko"
    raise ValueError(category)


def question(rng: random.Random, locale: str) -> str:
    """A real msmarco question (its ``query`` field) in ``locale``."""
    rows = msmarco_questions(locale)
    return rows[rng.randrange(len(rows))]


@cache
def query_mix(seed: int = SEED) -> tuple[Query, ...]:
    """The fixed queries, then the drawn ones, each with a stable id."""
    rng = random.Random(seed)
    vocab = vocabulary()
    drawn: list[tuple[str, str, str]] = list(FIXED_QUERIES)
    for category, count in DERIVED_QUERIES.items():
        seen = {text for cat, text, _ in drawn if cat == category}
        while count:
            if category.endswith("_question"):
                locale = category[:2]
                text = question(rng, locale)
            else:
                text, locale = derived_query(rng, category, vocab)
            if text and text not in seen:
                seen.add(text)
                drawn.append((category, text, locale))
                count -= 1
    numbers: Counter[str] = Counter()
    mix = []
    for category, text, locale in drawn:
        numbers[category] += 1
        mix.append(Query(f"{category}:{numbers[category]}", category, text, locale))
    return tuple(mix)


def derived_prefix(rng: random.Random, kind: str, vocab: Vocabulary) -> str:
    """One drawn suggest prefix of ``kind`` (1–4 characters or keys)."""
    length = rng.randint(1, 4)
    if kind == "hangul":
        return rng.choice(vocab.nouns[:300])[:length]
    if kind == "partial":
        word = rng.choice([w for w in vocab.nouns[:300] if len(w) >= 2])
        cut = rng.randrange(1, len(word))
        lead = decompose(word[cut])[0]
        return word[:cut] + lead if rng.random() < 0.5 else compose(decompose(word[:cut]) + lead)
    if kind == "chosung":
        return initials(rng.choice(vocab.nouns[:300]))[:length]
    if kind == "latin":
        return rng.choice(vocab.english[:500])[:length]
    if kind == "keyboard":
        return hangul_to_qwerty(rng.choice(vocab.nouns[:200]))[: length + 1]
    raise ValueError(kind)


@cache
def prefix_mix(seed: int = SEED) -> tuple[Prefix, ...]:
    """The fixed prefixes, then the drawn ones, each with a stable id."""
    rng = random.Random(seed + 1)
    vocab = vocabulary()
    drawn = list(FIXED_PREFIXES)
    for kind, count in DERIVED_PREFIXES.items():
        seen = {text for k, text in drawn if k == kind}
        while count:
            text = derived_prefix(rng, kind, vocab)
            if text and text not in seen:
                seen.add(text)
                drawn.append((kind, text))
                count -= 1
    numbers: Counter[str] = Counter()
    mix = []
    for kind, text in drawn:
        numbers[kind] += 1
        mix.append(Prefix(f"{kind}:{numbers[kind]}", kind, text))
    return tuple(mix)


def mix_as_json() -> Mix:
    """Both mixes, for perf.json."""
    return {
        "queries": [asdict(q) for q in query_mix()],
        "prefixes": [asdict(p) for p in prefix_mix()],
    }
