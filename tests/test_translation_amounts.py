"""A translation carries over every amount of its source: a dose changed or dropped in
translation is named with its section, while amounts only the translation gives (its market's
strengths) are allowed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import indexer
from kb.translating.amounts import amounts
from kb.translating.workflow import find_article, mark_current
from tests.conftest import write_article


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("하루 4,000mg(4g)을 넘기지 마세요", "no more than 4,000 mg a day"),
        ("1회 15~30mg을", "15–30 mg at a time"),
        ("5~10mg을 먹습니다", "take 5 to 10 mg"),
        ("50마이크로그램(0.05mg) 정제", "50 mcg tablets"),
        ("자몽 주스 1.2리터", "1.2 liters of grapefruit juice"),
        ("500밀리그램", "500 mg"),
        ("약 30퍼센트", "about 30%"),
    ],
)
def test_an_amount_is_the_same_however_each_language_writes_it(one: str, other: str) -> None:
    assert set(amounts(one)) == set(amounts(other)) != set()


@pytest.mark.parametrize("text", ["4~6시간마다", "every 4 to 6 hours", "7일 넘게", "3 times a day"])
def test_times_and_counts_are_no_amounts(text: str) -> None:
    assert amounts(text) == {}


SOURCE = """---
title: 가
---
가는 500mg 정제가 있습니다.

## 주의사항

- 하루 4,000mg을 넘기지 마세요.
"""
KEPT = """---
title: A
---
A comes as 325 mg and 500 mg tablets.

## Precautions

- Do not take more than 4,000 mg a day.
"""


def _warnings(content: Path, translation: str) -> list[str]:
    write_article(content, "a", "ko", SOURCE)
    write_article(content, "a", "en", translation)
    mark_current(find_article(content, "a"), "en")
    args = ["translations", "status", "--json", "--content", str(content)]
    result = CliRunner().invoke(indexer.cli, args)
    return json.loads(result.output)["articles"][0]["warnings"]


def test_a_translation_giving_its_sources_amounts_and_more_is_fine(content_dir: Path) -> None:
    """325 mg is a strength sold where the translation is read."""
    assert _warnings(content_dir, KEPT) == []


def test_a_dose_changed_in_translation_is_named_with_its_section(content_dir: Path) -> None:
    changed = KEPT.replace("4,000 mg a day", "3,000 mg a day")
    assert _warnings(content_dir, changed) == [
        "section s1: the source gives 4,000mg; the en translation does not"
    ]


def test_a_dose_dropped_in_translation_is_named(content_dir: Path) -> None:
    dropped = KEPT.replace("325 mg and 500 mg tablets", "tablets")
    assert _warnings(content_dir, dropped) == [
        "section intro: the source gives 500mg; the en translation does not"
    ]
