"""Which queries ask what medicines have a side effect, or are bad for something (kb.intent)."""

from __future__ import annotations

import pytest

from kb.glossary import load_glossary
from kb.intent import is_medicine_word, kinds_typed, side_effect_request
from kb.query import parse_query
from tests.conftest import BUNDLED_GLOSSARY


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
        # a symptom after taking a medicine: which medicines have it among their side effects
        ("약 먹고 어지러워요", "약 먹고"),
        ("약을 먹고 나서 속이 쓰려요", "약을 먹고"),
        ("약 먹은 뒤로 잠이 안 와요", "약 먹은 뒤"),
        ("i feel dizzy after taking medicine", "after taking medicine"),
        ("trouble sleeping since starting my pills", "since starting my pills"),
        ("pills made me drowsy", "pills made me"),
        ("약 먹고 설사해요", "약 먹고"),  # Kiwi keeps 설사 of 설사하다
        ("약 먹고 기침이 나요", "약 먹고"),
        # ... not what may or must be done after (drink, drive, lie down, water), nor how to
        # take it, nor a need come back, nor a noun alone, nor no symptom
        ("약 먹고 운전해도 되나요", None),
        ("약 먹고 바로 누워도 되나요", None),
        ("약 먹고 나서 물을 많이 마셔야 하나요", None),
        ("약 먹고 다시 아파요", None),
        ("약 먹고 효과가 없어요", None),
        ("pills made me feel better", None),
        ("약 먹고 샤워", None),
        ("약 먹고 2시간", None),
        ("약 먹고 술", None),
        ("can i drive after taking medicine", None),
        ("약 먹고 얼마나 있다가 밥 먹어요", None),
        ("약 먹고", None),
        ("after taking medicine", None),
        ("두통약 먹고 속쓰림", None),  # a kind named: its own side effects (kb.asides)
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


@pytest.mark.parametrize(
    ("query", "asked"),
    [
        ("임신 중에 안 좋은 약", "안 좋은"),
        ("간에 좋지 않은 약", "좋지 않은"),
        ("신장에 나쁜 약", "나쁜"),
        ("간에 해로운 약", "해로운"),
        ("술이랑 같이 먹으면 안 되는 약", "안 되는"),
        ("임산부가 먹으면 안되는 약", "안되는"),
        ("임신 중 피해야 할 진통제", "피해야 할"),
        ("과다 복용하면 위험한 약", "위험한"),
        ("임신 중 금기 약", "금기"),
        ("수술 전에 끊어야 하는 약", "끊어야 하는"),  # what must be stopped before it
        ("수술 전 중단해야 할 약", "중단해야 할"),
        ("unsafe in pregnancy", "unsafe"),
        ("not safe during pregnancy", "safe"),
        ("bad for the liver", "bad "),
        ("drugs to avoid with alcohol", "avoid"),
        ("dangerous with alcohol", "dangerous"),
        ("harmful to the kidneys", "harmful"),
        # a need, a circumstance, what helps: no warning asked for
        ("속이 안 좋아요", None),
        ("신장 안 좋을 때 진통제", None),
        ("간에 좋은 약", None),
        ("간에 나빠요", None),
        ("bad headache", None),
        ("is it safe in pregnancy", None),
        ("두통 부작용", None),  # a side effect asked for instead
        ("약 끊는 방법", None),  # how to stop, not which
    ],
)
def test_a_query_asks_which_medicines_are_bad_for_something(query: str, asked: str | None) -> None:
    spans = parse_query(query).cautions
    assert [query[start:end] for start, end in spans] == ([asked] if asked else [])


def test_a_kind_of_medicine_in_a_caution_is_asked_about_as_itself() -> None:
    """`임신 중 피해야 할 진통제` asks which painkillers warn about pregnancy: 진통제 is matched
    as written (by its glossary term, for `painkillers`), not looked for among warnings."""
    glossary = load_glossary(BUNDLED_GLOSSARY)
    for query, kind in [
        ("임신 중 피해야 할 진통제", "진통제"),
        ("painkillers to avoid in pregnancy", "painkillers"),
    ]:
        parsed = parse_query(query, glossary)
        assert [query[start:end] for start, end in set(parsed.kinds)] == [kind]
    assert parse_query("임신 중에 안 좋은 약", glossary).kinds == ()


@pytest.mark.parametrize(
    ("query", "asks_which"),
    [
        ("스테로이드 부작용", False),  # steroids' side effects: 부신피질호르몬제 on its line
        ("antidepressant side effects", False),
        ("blood pressure pills side effects", False),
        ("두통 부작용", True),  # which medicines cause headaches
        ("고혈압 부작용", True),  # high blood pressure is a need, no kind of medicine
        ("drugs that cause insomnia", True),
    ],
)
def test_a_kind_the_glossary_names_asks_for_its_own_side_effects(
    query: str, asks_which: bool
) -> None:
    """`스테로이드 부작용` was read as asking which medicines have steroids as a side effect:
    no word of it ends in 약 or 제, but its glossary line names a kind of medicine."""
    parsed = parse_query(query, load_glossary(BUNDLED_GLOSSARY))
    assert bool(parsed.side_effects) is asks_which


@pytest.mark.parametrize(
    ("query", "kinds"),
    [
        ("수면제 부작용", ["수면제"]),
        ("혈압약의 부작용", ["혈압약"]),
        ("고혈압 약 부작용", ["고혈압"]),
        ("우울증 약 주의사항", ["우울증"]),
        ("스테로이드 부작용", ["스테로이드", "부작용"]),  # no kind word: each word may be one
    ],
)
def test_the_kinds_of_medicine_a_query_names_as_typed(query: str, kinds: list[str]) -> None:
    assert [kind for _, _, kind in kinds_typed(query)] == kinds
