"""The plain-Python front matter reader agrees with YAML or declines: never a different answer."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from kb.content import BUNDLED_CONTENT
from kb.frontmatter import (
    FrontMatterError,
    FrontMatterLoader,
    _compose_and_construct,
    parse_front_matter,
    simple_front_matter,
)

# Lines that YAML reads in ways easy to get wrong: resolved words, quotes, indicators, folding.
PIECES = [
    "title: Gabapentin", "title: 가바펜틴 (뉴론틴)", "title: \"quoted: yes\"", "title: 'it''s'",
    "title: yes", "title: No", "title: ~", "title: null", "title: 1.5", "title: 0x1F",
    "title: 1_000",
    "title: 12:30", "title: .inf", "title: =", "title: <<", "title: 2026-11-25",
    "title: 2026-02-30", "title: 2001-12-14t21:59:43.10-05:00", "title: -x", "title: a: b",
    "title: a:b", "title: a #b", "title: %x", "title: @x", "title: `x`", "title: !x", "title: &a x",
    "title: *a", "title:", "title:    ", "title:  spaced  ", "title: \"a\" b", "title: 'a' b'",
    "title: \"\\u0041\"", "title:\tx", "on: x", "yes: x", "null: x", "2: x", "_key: x", "a-b: c",
    "tags: [a, b, c]", "tags: []", "tags: [ ]", "tags: [a, , b]", "tags: [a, b,]", "tags: [1, 2]",
    "tags: [yes, no]", "tags: [a: b]", "tags: [a, [b]]", "tags: [\"a\", b]", "tags: [a b, c  d]",
    "tags: [2026-01-01]", "tags: a, b", "summary: >-", "summary: >", "summary: |", "summary: |-",
    "summary: >+", "summary: >2", "  folded line one", "  folded line two", "    more indented",
    "  trailing space ", "", "  ", "# a comment", "translated_from:", "  locale: ko",
    "  hash: 63b12ac686855ff7", "  sections:", "    title: 85461a6286ff", "    s1: 123456789012",
    "    s2: 1e10", "  - item", "- item", "...", "---x", "? key", "  key: nested", "title: ㅤ",
    "draft: true", "draft: 'true'", "updated: 2026-11-25", "updated: '2026-11-25'",
]  # fmt: skip


def yaml_reading(source: str) -> tuple[object, dict[str, int]] | None:
    """What the strict YAML loader makes of ``source`` (None: it refuses it)."""
    try:
        node, data = _compose_and_construct(FrontMatterLoader(source))
    except Exception:
        return None
    if not isinstance(data, dict):
        return None
    lines = {str(k.value): k.start_mark.line + 2 for k, _ in node.value}
    return {str(k): v for k, v in data.items()}, lines


def bundled_sources() -> list[str]:
    sources = []
    for path in sorted(BUNDLED_CONTENT.glob("*/*.md")):
        lines = path.read_text(encoding="utf-8").splitlines()
        end = lines.index("---", 1)
        sources.append("\n".join(lines[1:end]))
    return sources


def test_every_bundled_file_is_read_without_yaml_and_the_same() -> None:
    for source in bundled_sources():
        simple = simple_front_matter(source)
        assert simple is not None, source
        assert simple == yaml_reading(source)


@pytest.mark.parametrize("seed", range(8))
def test_random_front_matter_is_read_as_yaml_reads_it_or_declined(seed: int) -> None:
    rng = random.Random(seed)
    read = 0
    for _ in range(1500):
        source = "\n".join(rng.choice(PIECES) for _ in range(rng.randint(1, 7)))
        simple = simple_front_matter(source)
        if simple is not None:
            read += 1
            assert simple == yaml_reading(source), source
    assert read > 20  # the comparison is not vacuous


def test_each_tricky_line_alone() -> None:
    for piece in PIECES:
        simple = simple_front_matter(piece)
        if simple is not None:
            assert simple == yaml_reading(piece), piece


def test_dates_and_text_as_yaml_types_them() -> None:
    meta, lines = parse_front_matter("title: 2026\nupdated: 2026-11-25\ntags: [a, b]")
    assert meta == {"title": 2026, "updated": dt.date(2026, 11, 25), "tags": ["a", "b"]}
    assert lines == {"title": 2, "updated": 3, "tags": 4}


def test_refused_front_matter_keeps_its_line() -> None:
    with pytest.raises(FrontMatterError) as caught:
        parse_front_matter("title: a\ntitle: b")
    assert caught.value.line == 3
    assert "duplicate key 'title'" in caught.value.message
