"""Which queries ask what medicines have a side effect (kb.intent)."""

from __future__ import annotations

import pytest

from kb.intent import is_medicine_word, side_effect_request
from kb.query import parse_query


@pytest.mark.parametrize(
    ("query", "asked"),
    [
        ("두통 부작용", "부작용"),
        ("부작용으로 기침", "부작용"),
        ("기침을 일으키는 약", "일으키"),
        ("기침 유발 약물", "유발"),
        ("nausea side effect", "side effect"),
        ("adverse effects insomnia", "adverse effects"),
        ("drugs that cause cough", "cause"),
        ("pills that cause weight gain", "cause"),
        ("can ibuprofen cause kidney damage", "cause"),
        # typed without spaces: a clause that ends in 약 names no kind of medicine
        ("변비일으키는약", "일으키"),
        ("불면증부작용있는약", "부작용"),
        # the side effects of a medicine named by what it is for
        ("두통약 부작용", None),
        ("혈압약이 부작용", None),
        ("부작용 적은 진통제", None),
        ("side effects of blood pressure pills", None),
        ("headache medicine side effects", None),
        ("우울증약부작용", None),  # 우울증약 (antidepressants), the space left out
        ("두통약부작용", None),
        # no side effect asked for
        ("두통", None),
        ("side dish", None),
        ("기침약", None),
    ],
)
def test_a_query_asks_which_medicines_have_a_side_effect(query: str, asked: str | None) -> None:
    spans = parse_query(query).side_effects
    assert [query[start:end] for start, end in spans] == ([asked] if asked else [])


def test_words_for_medicine_are_what_is_asked_for() -> None:
    assert all(map(is_medicine_word, ["약", "약물", "두통약", "진통제", "pill", "drug", "medicin"]))
    assert not any(map(is_medicine_word, ["부작용", "문제", "기침", "cough", "제"]))


def test_a_request_is_found_in_the_terms_as_the_korean_side_reads_them() -> None:
    assert side_effect_request([("side", 0, 4), ("effect", 5, 12)], "side effects") == ((0, 12),)
    assert side_effect_request([("side", 0, 4), ("dish", 5, 9)], "side dish") == ()
