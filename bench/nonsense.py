"""What meaning shows for queries that mean nothing: seeded keyboard-mash queries (Latin letters,
and random Hangul syllables) searched in hybrid mode over builds of the relevance sets.

    python -m bench.nonsense --work /tmp/bench-relevance [--sets msmarco-ko,belebele]
                             [--queries 100] [--json bench/out/nonsense.json]

No query matches a word (those that do are left out of the counts of meaning-only results, as
the words found them), so every article listed is one that joined by meaning alone. The
relevance benchmark cannot see this: its queries all have an answer. Builds are the ones
``python -m bench.relevance --work DIR`` left there (``DIR/<corpus>/kb/index``), each searched
with the encoder that made it; run it once per work folder, as relevance runs are per encoder.
"""

from __future__ import annotations

import argparse
import json
import random
import string
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

import kb
from bench.variants import combine
from kb.params import DEFAULTS, SearchParams
from kb.searching import find

HANGUL_SYLLABLES = (0xAC00, 0xD7A3)


def mashes(seed: int, count: int) -> dict[str, list[str]]:
    """``count`` queries of one to three 'words' of random Latin letters, and as many of random
    Hangul syllables: what a reader's cat, or a test of the box, types."""
    rng = random.Random(seed)

    def mash(char: Callable[[], str], shortest: int, longest: int) -> str:
        words = range(rng.randint(1, 3))
        return " ".join(
            "".join(char() for _ in range(rng.randint(shortest, longest))) for _ in words
        )

    def letter() -> str:
        return rng.choice(string.ascii_lowercase)

    def syllable() -> str:
        return chr(rng.randint(*HANGUL_SYLLABLES))

    return {
        "latin": [mash(letter, 3, 6) for _ in range(count)],
        "hangul": [mash(syllable, 2, 4) for _ in range(count)],
    }


def measure(
    index: kb.KnowledgeIndex, queries: dict[str, list[str]], params: SearchParams = DEFAULTS
) -> dict[str, dict[str, float]]:
    """Per kind of mash: how many queries list any article by meaning alone, how many such
    articles a query lists on average and at most, and how many queries matched a word."""
    out: dict[str, dict[str, float]] = {}
    for kind, texts in queries.items():
        joined, worded = [], 0
        for text in texts:
            ranking = find(index, text, correct=False, params=params).ranking
            if (ranking.coverage > 0).any():
                worded += 1
                continue
            joined.append(int(ranking.total))
        counts = np.array(joined or [0])
        out[kind] = {
            "queries": len(texts),
            "matched_a_word": worded,
            "with_meaning_only_results": int((counts > 0).sum()),
            "mean_results": round(float(counts.mean()), 2),
            "max_results": int(counts.max()),
        }
    return out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True, help="a bench.relevance work folder")
    parser.add_argument("--sets", default="msmarco-ko,msmarco-en,belebele,korquad")
    parser.add_argument("--queries", type=int, default=100, help="of each kind")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--variants", default="", help="as bench.relevance's (margin0.06,…)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    queries = mashes(args.seed, args.queries)
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    results = {}
    for name in (s.strip() for s in args.sets.split(",") if s.strip()):
        folder = args.work / name / "kb" / "index"
        if not folder.is_dir():
            sys.exit(f"no kb build of {name} in {args.work}: run bench.relevance --work first")
        index = kb.open_index(folder)
        snapshot = index.snapshot()
        model = snapshot.vectors.model if snapshot.vectors is not None else "none"
        for variant in ["", *variants]:
            label = f"{name}[{variant}]" if variant else name
            params = combine(*variant.split("+")) if variant else DEFAULTS
            results[label] = {"encoder": model, "articles": snapshot.engine.live_count}
            results[label].update(measure(index, queries, params))
            print(label, json.dumps(results[label], ensure_ascii=False), flush=True)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
