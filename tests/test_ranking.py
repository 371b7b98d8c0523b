"""kb.ranking: complete matches first, then BM25F × coverage^power, with parameters as data."""

from __future__ import annotations

from dataclasses import replace

import pytest

import kb
from kb.params import DEFAULTS, FieldWeights, SearchParams
from kb.searching import find

ARTICLES = {
    ("strong", "en"): ("Aspirin", "Aspirin, aspirin and more aspirin. Aspirin is everywhere here."),
    ("broad", "en"): ("Risks", "Bleeding and ulcer are risks of many painkillers."),
    ("all", "en"): ("Notes", "A note on aspirin: bleeding can follow, an ulcer too."),
    ("other", "en"): ("Vitamins", "Vitamins and minerals."),
}


@pytest.fixture
def index(make_index) -> kb.KnowledgeIndex:
    return make_index(ARTICLES)


def order(
    index: kb.KnowledgeIndex, text: str, params: SearchParams = DEFAULTS, locale: str = "en"
) -> list[str]:
    return [hit.slug for hit in kb.search(index, text, locale, params=params, mode="lexical").hits]


def test_an_article_matching_every_word_ranks_first_whatever_its_bm25(index) -> None:
    assert order(index, "aspirin bleeding ulcer")[0] == "all"


def test_partial_matches_rank_by_score_times_coverage_squared(index) -> None:
    """ "broad" covers two of three words, "strong" one word many times: coverage wins."""
    assert order(index, "aspirin bleeding ulcer")[1:] == ["broad", "strong"]


def test_the_coverage_power_is_a_parameter_passed_down(index) -> None:
    """With coverage ignored (power 0), plain BM25F puts the repeated word first."""
    plain = replace(DEFAULTS, coverage_power=0)
    assert order(index, "aspirin bleeding ulcer", plain)[1:] == ["strong", "broad"]


def test_field_weights_are_a_parameter_passed_down(make_index) -> None:
    index = make_index(
        {
            ("titled", "en"): ("Ulcer", "Notes on the stomach."),
            ("mentioned", "en"): ("Stomach", "Ulcer ulcer: an ulcer of the stomach."),
        }
    )
    assert order(index, "ulcer") == ["titled", "mentioned"]
    body_only = replace(DEFAULTS, field_weights=FieldWeights(title=0.0, tags=0.0, summary=0.0))
    assert order(index, "ulcer", body_only) == ["mentioned", "titled"]


def test_a_dose_lengthens_its_article_as_one_word(make_index) -> None:
    """``300 mg`` is indexed as 300, mg and 300mg at one position; counted as three terms (as
    Whoosh counts a field's length), a dosing line made its article longer for BM25 than a
    wordier one that says the asked word as often. Lucene counts it once, and so does kb."""
    index = make_index(
        {
            ("doses", "en"): ("Dosing", "For a headache take 300 mg, then 300 mg or 600 mg."),
            ("wordy", "en"): ("Rest", "For a headache rest in a dark room, curtains drawn."),
        }
    )
    assert order(index, "headache") == ["doses", "wordy"]


def test_find_gives_the_full_ranking_search_pages_through(index) -> None:
    found = find(index, "aspirin bleeding ulcer")
    engine = index.snapshot().engine
    ranked = [engine.article(d).slug for d, _, _ in found.ranking.ranked]
    assert ranked == order(index, "aspirin bleeding ulcer")
    assert found.ranking.total == kb.search(index, "aspirin bleeding ulcer", "en").total == 3


def test_unknown_idf_formula_is_refused() -> None:
    with pytest.raises(ValueError, match="idf"):
        SearchParams(idf="tfidf")


def test_a_two_syllable_word_beginning_a_longer_one_supports_the_other_words(make_index) -> None:
    """`긴 머리` ranks the article about the longest 머리카락 above one that says 긴 over and
    over; `머리` alone still never finds it (as `대상` never finds `대상포진`)."""
    index = make_index(
        {
            ("hair", "ko"): (
                "세계 기록",
                "기록을 보면 가장 긴 머리카락은 중국의 한 여성이 기른 것으로, 길이가 5미터가 "
                "넘는다고 알려져 있으며 지금도 해마다 조금씩 자라고 있다. 엉킴이 심할 때도 있다.",
            ),
            ("legs", "ko"): ("황새", "긴 다리, 긴 목, 긴 부리."),
        }
    )
    assert order(index, "긴 머리", locale="ko")[0] == "hair"
    without = replace(DEFAULTS, compound_head_boost=0)
    assert order(index, "긴 머리", without, "ko")[0] == "legs"
    assert "hair" not in order(index, "머리", locale="ko")
    # a word that only frames a need (심하다) lends the head no support (`머리 심해요`)
    assert "hair" not in order(index, "머리 심해요", locale="ko")
