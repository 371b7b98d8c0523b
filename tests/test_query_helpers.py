"""초성, keyboard-layout and typo corrections, partial syllables, and completions as you type."""

from __future__ import annotations

import pytest

import kb
from kb import suggest

GABAPENTIN_KO = "가바펜틴 효능, 부작용, 주의사항"


def page(index, query: str, locale: str = "ko") -> kb.SearchPage:
    return kb.search(index, query, locale)


@pytest.mark.parametrize("query", ["ㄱㅂㅍㅌ", "ㄱㅂ", "ㄱㅂㅍㅌㅎㄴ", "ㄱㅂㅍㅌ ㅎㄴ"])
def test_initials_find_the_article_whose_title_starts_with_them(bundled_index, query) -> None:
    assert page(bundled_index, query).hits[0].slug == "gabapentin"


def test_initials_match_title_words_and_tags(bundled_index) -> None:
    found = {h.slug for h in kb.search(bundled_index, "ㅂㅈㅇ", "ko", per_page=50).hits}
    assert {"gabapentin", "aspirin", "geworin"} <= found  # 부작용 in their titles
    tags = {h.slug for h in page(bundled_index, "ㄴㄹㅌ").hits}
    assert tags == {"gabapentin"}  # 뉴론틴 is a tag of gabapentin only


def test_initials_that_match_nothing_give_an_empty_page(bundled_index) -> None:
    result = page(bundled_index, "ㅋㅋㅋㅋ")
    assert (result.total, result.notice, result.hits) == (0, None, [])


@pytest.mark.parametrize("query", ["가바ㅍ", "가바펜ㅌ", "가바펜틴 부ㅈ"])
def test_a_last_word_still_being_typed_matches_as_a_prefix(bundled_index, query) -> None:
    assert page(bundled_index, query).hits[0].slug == "gabapentin"


@pytest.mark.parametrize(
    ("typed", "meant", "slug"),
    [
        ("rkqkvpsxls", "가바펜틴", "gabapentin"),
        ("rkqkvpsxls qnwkrdyd", "가바펜틴 부작용", "gabapentin"),
        ("ㅎ뮤메두샤ㅜ", "gabapentin", "gabapentin"),
        ("쇼ㅣ두ㅐㅣ", "tylenol", "acetaminophen"),
    ],
)
def test_keyboard_layout_mixups_show_the_meant_results(bundled_index, typed, meant, slug):
    result = page(bundled_index, typed)
    assert result.query == typed
    assert result.corrected == kb.Suggestion(meant, "keyboard")
    assert result.hits[0].slug == slug


def test_searching_exactly_as_typed_turns_corrections_off(bundled_index) -> None:
    result = kb.search(bundled_index, "rkqkvpsxls", "ko", correct=False)
    assert (result.total, result.corrected, result.suggestion) == (0, None, None)


def test_real_english_words_are_never_converted(bundled_index) -> None:
    for word in ("gabapentin", "Tylenol", "side effects"):
        result = page(bundled_index, word, "en")
        assert result.corrected is None and result.suggestion is None
        assert result.hits


def test_keyboard_conversion_is_offered_when_both_readings_find_something(bundled_index):
    result = page(bundled_index, "rkqkvpsxls side effects", "en")
    assert result.hits and result.corrected is None  # "side effects" alone finds articles
    assert result.suggestion == kb.Suggestion("가바펜틴 side effects", "keyboard")
    assert page(bundled_index, result.suggestion.text, "en").hits[0].slug == "gabapentin"


@pytest.mark.parametrize(
    ("typed", "meant", "slug"),
    [
        ("효늠", "효능", "gabapentin"),
        ("부작융", "부작용", "gabapentin"),
        ("부작융이", "부작용이", "gabapentin"),
        ("seizrues", "seizures", None),
        ("warfrin", "warfarin", "warfarin"),
        ("diphenhydramin", None, "diphenhydramine"),
    ],
)
def test_typos_are_corrected_against_the_index_vocabulary(bundled_index, typed, meant, slug):
    result = page(bundled_index, typed)
    if meant is None:  # stemming already finds it: nothing to correct
        assert result.corrected is None and result.hits[0].slug == slug
        return
    assert result.corrected == kb.Suggestion(meant, "typo")
    assert result.total == page(bundled_index, meant).total
    if slug:
        assert slug in [h.slug for h in result.hits]


def test_did_you_mean_when_the_query_finds_little(bundled_index) -> None:
    result = page(bundled_index, "가바펜틴 효늠")
    assert result.corrected is None and result.hits  # the query itself found something
    assert result.suggestion == kb.Suggestion("가바펜틴 효능", "typo")


def test_known_words_are_left_alone(bundled_index) -> None:
    result = page(bundled_index, "효능")
    assert result.corrected is None and result.suggestion is None


def test_no_correction_for_nonsense(bundled_index) -> None:
    result = page(bundled_index, "qqqqxxxzzz")
    assert (result.total, result.corrected, result.suggestion) == (0, None, None)


@pytest.mark.parametrize(
    ("typed", "locale", "first"),
    [
        ("가바", "ko", GABAPENTIN_KO),
        ("가바ㅍ", "ko", GABAPENTIN_KO),
        ("가밮", "ko", GABAPENTIN_KO),
        ("ㄱㅂㅍㅌ", "ko", GABAPENTIN_KO),
        ("rkqk", "ko", GABAPENTIN_KO),
        ("gaba", "ko", GABAPENTIN_KO),
        ("gaba", "en", "Gabapentin: uses, side effects and precautions"),
        ("ㅎ뮤", "en", "Gabapentin: uses, side effects and precautions"),
        ("효능", "en", "Gabapentin: uses, side effects and precautions"),
    ],
)
def test_completions_in_the_readers_locale(bundled_index, typed, locale, first) -> None:
    completions = suggest(bundled_index, typed, locale)
    assert completions[0].text == first
    assert completions[0].kind == "article" and completions[0].slug == "gabapentin"


def test_completions_include_terms_and_never_repeat_an_article(bundled_index) -> None:
    completions = suggest(bundled_index, "부자", "ko")
    assert 1 < len(completions) <= 8
    titles = [c.slug for c in completions if c.kind == "article"]
    assert len(titles) == len(set(titles))
    assert all("부작용" in c.text for c in completions)
    terms = suggest(bundled_index, "tyl", "ko")
    assert ("Tylenol", "term", "acetaminophen") in [(c.text, c.kind, c.slug) for c in terms]


def test_a_tag_shared_by_articles_is_completed_once(bundled_index) -> None:
    terms = [c.text for c in suggest(bundled_index, "간", "ko") if c.kind == "term"]
    assert "간질" in terms and len(terms) == len(set(terms))


def test_completions_fall_back_and_say_so(bundled_index) -> None:
    [first, *_] = suggest(bundled_index, "게보", "en")
    assert (first.slug, first.locale, first.fallback) == ("geworin", "ko", True)


@pytest.mark.parametrize("typed", ["", "   ", "\x00", "*" * 500, "zzzzqqq"])
def test_completions_for_odd_input_are_empty_not_errors(bundled_index, typed) -> None:
    assert suggest(bundled_index, typed, "ko") == []
