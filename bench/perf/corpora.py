"""Benchmark corpora in the project's content layout, generated deterministically and cached.

* ``msmarco``: one bilingual article per msmarco-ko-en pair (the first positive of each id);
* ``ntrex``: the 123 NTREX-128 news articles (converted by :mod:`bench.ntrex`);
* ``kb-N``: N bilingual articles of 2–4 KB per translation, recombined with a fixed seed from real
  ko/en sentence pairs (NTREX lines; msmarco passages split into sentences, paired by position
  where both sides split into the same number, else kept whole).

The text stays in ../shared/data; corpora are written under bench/out/perf-corpora/<key>/.
"""

from __future__ import annotations

import json
import random
import re
import shutil
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

from bench.ntrex import convert as convert_ntrex
from bench.ntrex import write_translation
from bench.perf.paths import CORPORA, DATA

SEED = 20251125
VERSION = 1  # bump when the generated text changes
MIN_BYTES, MAX_BYTES = 2048, 4096  # UTF-8 bytes of each translation's body in ``kb-N``
TITLE_WORDS = {"ko": 6, "en": 8}
KO_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
EN_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“(\[]?[A-Z0-9])")
MOJIBAKE = re.compile(r"[\xc2-\xf4][\x80-\xbf]+")


@dataclass(frozen=True)
class Pair:
    """A Korean text and its English translation."""

    ko: str
    en: str


@dataclass(frozen=True)
class Corpus:
    """A generated content folder and what is in it."""

    name: str
    path: Path
    articles: int
    chars: int  # title + body characters of every translation
    ko_chars: int
    en_chars: int
    ko_body_bytes_median: int
    en_body_bytes_median: int

    def to_json(self) -> dict:
        """Plain JSON-able fields."""
        return {**asdict(self), "path": str(self.path)}


def fix_mojibake(text: str) -> str:
    """Undo UTF-8 read as Latin-1 (MS MARCO's ``â\\x80\\x93``) where the bytes decode cleanly."""

    def repair(match: re.Match[str]) -> str:
        """The run decoded as UTF-8, or unchanged when it does not decode."""
        try:
            return match.group().encode("latin-1").decode("utf-8")
        except UnicodeError:
            return match.group()

    return MOJIBAKE.sub(repair, text)


def split_sentences(text: str, locale: str) -> list[str]:
    """Sentences of a passage, split after ``.!?`` (English: before a capital or digit)."""
    pattern = KO_SENTENCE_END if locale == "ko" else EN_SENTENCE_END
    return [s.strip() for s in pattern.split(text) if s.strip()]


@cache
def msmarco_passages(data: Path = DATA) -> tuple[tuple[int, Pair], ...]:
    """(id, first Korean positive / first English positive) of every msmarco id, by id."""
    folder = data / "msmarco-ko-en" / "data"
    ko = {r["id"]: r["positive"][0] for r in _load_json(folder / "msmarco_kor.json")}
    en = {r["id"]: r["positive"][0] for r in _load_json(folder / "msmarco_eng.json")}
    return tuple(
        (key, Pair(ko[key].strip(), fix_mojibake(en[key]).strip()))
        for key in sorted(ko.keys() & en.keys())
        if ko[key].strip() and en[key].strip()
    )


@cache
def msmarco_questions(locale: str, data: Path = DATA) -> tuple[str, ...]:
    """The ``query`` field of every msmarco record in ``locale`` (ko or en), by id."""
    name = "msmarco_kor.json" if locale == "ko" else "msmarco_eng.json"
    rows = sorted(_load_json(data / "msmarco-ko-en" / "data" / name), key=lambda r: r["id"])
    return tuple(fix_mojibake(r["query"]).strip() for r in rows if r["query"].strip())


def _load_json(path: Path) -> list[dict]:
    """A JSON list from disk."""
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def ntrex_pairs(data: Path = DATA) -> tuple[Pair, ...]:
    """The 1,997 line-aligned NTREX-128 sentence pairs."""
    folder = data / "ntrex128-ko-en"
    en = (folder / "newstest2019-src.eng.txt").read_text(encoding="utf-8").splitlines()
    ko = (folder / "newstest2019-ref.kor.txt").read_text(encoding="utf-8").splitlines()
    return tuple(Pair(k.strip(), e.strip()) for k, e in zip(ko, en, strict=True) if k and e)


@cache
def sentence_pool(data: Path = DATA) -> tuple[Pair, ...]:
    """Every aligned unit: NTREX lines, then msmarco sentences (or whole passages)."""
    pool = list(ntrex_pairs(data))
    for _, passage in msmarco_passages(data):
        ko, en = split_sentences(passage.ko, "ko"), split_sentences(passage.en, "en")
        if len(ko) == len(en):
            pool.extend(Pair(k, e) for k, e in zip(ko, en, strict=True))
        else:
            pool.append(passage)
    return tuple(pool)


def clip_title(text: str, locale: str) -> str:
    """The first few words of a sentence, without trailing punctuation."""
    words = text.split()[: TITLE_WORDS[locale]]
    return " ".join(words).rstrip(".,;:!?") or text[:40]


def paragraphs(sentences: list[str], breaks: list[int]) -> str:
    """Sentences joined into Markdown paragraphs, a new one before each index in ``breaks``."""
    out: list[list[str]] = [[]]
    for i, sentence in enumerate(sentences):
        if i in breaks and out[-1]:
            out.append([])
        out[-1].append(sentence)
    return "\n\n".join(" ".join(p) for p in out)


def scaled_article(rng: random.Random, pool: tuple[Pair, ...]) -> list[Pair]:
    """Random pairs until both bodies hold 2 KB and the larger one a random 2–4 KB target."""
    target = rng.randint(MIN_BYTES, MAX_BYTES)
    chosen: list[Pair] = []
    sizes = [0, 0]
    misses = 0
    while (min(sizes) < MIN_BYTES or max(sizes) < target) and misses < 50:
        pair = pool[rng.randrange(len(pool))]
        grown = [sizes[0] + len(pair.ko.encode()) + 1, sizes[1] + len(pair.en.encode()) + 1]
        if max(grown) > MAX_BYTES:
            misses += 1
            continue
        chosen.append(pair)
        sizes = grown
    return chosen


def write_article(folder: Path, title: Pair, body: Pair, category: str) -> None:
    """Both translations of one article."""
    folder.mkdir(parents=True, exist_ok=True)
    write_translation(folder, "ko", title.ko, body.ko, category)
    write_translation(folder, "en", title.en, body.en, category)


def generate_msmarco(out: Path, data: Path) -> None:
    """One article per msmarco pair; the title is the start of its first sentence."""
    for key, passage in msmarco_passages(data):
        title = Pair(
            clip_title(split_sentences(passage.ko, "ko")[0], "ko"),
            clip_title(split_sentences(passage.en, "en")[0], "en"),
        )
        write_article(out / f"mm-{key:05d}", title, passage, "msmarco")


def generate_scaled(out: Path, data: Path, count: int, seed: int) -> None:
    """``count`` recombined articles; the title is the start of the first sentence."""
    rng = random.Random(seed)
    pool = sentence_pool(data)
    for number in range(count):
        pairs = scaled_article(rng, pool)
        breaks = sorted(rng.sample(range(1, len(pairs)), k=min(len(pairs) - 1, len(pairs) // 4)))
        body = Pair(
            paragraphs([p.ko for p in pairs], breaks), paragraphs([p.en for p in pairs], breaks)
        )
        title = Pair(clip_title(pairs[0].ko, "ko"), clip_title(pairs[0].en, "en"))
        write_article(out / f"kb-{number:06d}", title, body, f"topic-{number % 37}")


def corpus_key(name: str, seed: int = SEED) -> str:
    """Cache key of a corpus: its name, generator version and (for ``kb-N``) seed."""
    return f"{name}-s{seed}-v{VERSION}" if name.startswith("kb-") else f"{name}-v{VERSION}"


def ensure_corpus(name: str, data: Path = DATA, seed: int = SEED) -> Corpus:
    """The corpus ``name`` (``msmarco``, ``ntrex`` or ``kb-N``), generated once and cached."""
    key = corpus_key(name, seed)
    folder, meta = CORPORA / key, CORPORA / f"{key}.json"
    if folder.is_dir() and meta.exists():
        return Corpus(**{**json.loads(meta.read_text()), "path": folder})
    tmp = CORPORA / f".{key}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    if name == "msmarco":
        generate_msmarco(tmp, data)
    elif name == "ntrex":
        convert_ntrex(data / "ntrex128-ko-en", tmp)
    elif name.startswith("kb-"):
        generate_scaled(tmp, data, int(name[3:]), seed)
    else:
        raise ValueError(f"unknown corpus {name!r}: use msmarco, ntrex or kb-N")
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)
    corpus = measure_corpus(name, folder)
    meta.write_text(json.dumps(corpus.to_json(), indent=1))
    return corpus


def measure_corpus(name: str, folder: Path) -> Corpus:
    """Counts of a content folder, read back through the project's own loader."""
    from kb.content import load_content

    articles = load_content(folder)
    chars = {"ko": 0, "en": 0}
    sizes: dict[str, list[int]] = {"ko": [], "en": []}
    for article in articles:
        for locale, tr in article.translations.items():
            chars[locale] += len(tr.title) + len(tr.body)
            sizes[locale].append(len(tr.body.encode()))
    return Corpus(
        name=name,
        path=folder,
        articles=len(articles),
        chars=chars["ko"] + chars["en"],
        ko_chars=chars["ko"],
        en_chars=chars["en"],
        ko_body_bytes_median=sorted(sizes["ko"])[len(sizes["ko"]) // 2],
        en_body_bytes_median=sorted(sizes["en"])[len(sizes["en"]) // 2],
    )


def article_folders(corpus: Corpus) -> Iterator[Path]:
    """The article folders of a corpus, by slug."""
    return iter(sorted(p for p in corpus.path.iterdir() if p.is_dir()))
