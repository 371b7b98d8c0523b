"""NTREX-128 (123 news articles, human-translated ko/en) → the content layout, for benchmarks.

The text stays in ../shared/data; this writes a disposable folder (default bench/out/ntrex).
    python -m bench.ntrex [--data ../shared/data/ntrex128-ko-en] [--out bench/out/ntrex]
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "ntrex128-ko-en"


def slugify(doc_id: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", doc_id.lower()).strip("-")


def write_translation(
    folder: Path, locale: str, title: str, body: str, category: str = "news"
) -> None:
    """One ``<locale>.md``: YAML front matter (title, category) and the body."""
    front = yaml.safe_dump({"title": title, "category": category}, allow_unicode=True).strip()
    (folder / f"{locale}.md").write_text(f"---\n{front}\n---\n{body}\n", encoding="utf-8")


def convert(data: Path, out: Path) -> int:
    """Write one bilingual article per NTREX document; returns the number of articles."""
    count = 0
    with (data / "articles_ko_en.jsonl").open(encoding="utf-8") as rows:
        for line in rows:
            row = json.loads(line)
            folder = out / slugify(row["doc_id"])
            folder.mkdir(parents=True, exist_ok=True)
            for locale in ("ko", "en"):
                body = row[f"body_{locale}"].replace("\n", "\n\n")
                write_translation(folder, locale, row[f"title_{locale}"], body)
            count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "ntrex")
    args = parser.parse_args()
    print(f"{convert(args.data, args.out)} articles written to {args.out}")


if __name__ == "__main__":
    main()
