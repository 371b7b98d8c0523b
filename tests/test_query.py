"""Query parsing: what each concept of a reader's query searches for, before any index."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kb.analysis.korean import korean_analyzer
from kb.analysis.vocabulary import korean_vocabulary
from kb.engine import TermLeaf
from kb.params import DEFAULTS
from kb.query import Concept, parse_query


def korean_concept(query: str, word: str) -> Concept:
    """The Korean concept whose own word is ``word``."""
    return next(c for c in parse_query(query).concepts["ko"] if c.words[0] == word)


def part_words(concept: Concept) -> list[set[str]]:
    return [{leaf.text for leaf in group if isinstance(leaf, TermLeaf)} for group in concept.parts]


@pytest.mark.parametrize(
    ("query", "word", "parts"),
    [
        ("두통약", "두통약", [{"두통"}, {"약"}]),
        ("두통약 추천", "두통약", [{"두통"}, {"약"}]),
        ("위장약을 먹어도 되나요?", "위장약", [{"위장"}, {"약"}]),
        ("섬유근육통", "섬유근육통", [{"섬유"}, {"근육통"}]),
        # a medicine suffix is the head, as 약 is: the articles say 해열진통제, 해열·진통
        ("해열제", "해열제", [{"해열"}]),
        ("소염제 추천", "소염제", [{"소염"}]),
        ("항히스타민제", "항히스타민제", [{"항히스타민"}]),
    ],
)
def test_a_compound_kept_whole_also_searches_all_of_its_parts(query, word, parts) -> None:
    assert part_words(korean_concept(query, word)) == parts


@pytest.mark.parametrize(
    ("query", "word"),
    [
        ("반감기", "반감기"),  # 반 + 감기 would be a one-syllable modifier: another word
        ("감기", "감기"),  # too short to be a compound
        ("부작용", "부작용"),
    ],
)
def test_words_that_are_not_two_nouns_have_no_parts(query, word) -> None:
    assert korean_concept(query, word).parts == ()


def test_compound_parts_are_searched_in_every_korean_field_with_their_own_boost() -> None:
    params = replace(DEFAULTS, compound_part_boost=0.7)
    concept = next(c for c in parse_query("두통약", params=params).concepts["ko"])
    weights = dict(params.field_weights.items())
    for group in concept.parts:
        assert all(isinstance(leaf, TermLeaf) for leaf in group)
        assert {leaf.field: leaf.boost for leaf in group} == pytest.approx(
            {f"{name}_ko": weight * 0.7 for name, weight in weights.items()}
        )


def test_english_concepts_have_no_compound_parts() -> None:
    assert all(not c.parts for c in parse_query("headache medicine").concepts["en"])


@pytest.mark.parametrize(
    ("query", "korean", "english"),
    [
        ("토할 것 같아요", ["토하다"], ["토할"]),
        ("토할 거 같아", ["토하다"], ["토할"]),
        ("토할것같아요", ["토하다"], ["토할것같아요"]),  # the word also says what the reader has
        ("알레르기인 것 같아요", ["알레르기"], ["알레르기인"]),
        ("같은 약", ["같다", "약"], ["같은", "약"]),  # "the same" is a word
        ("토하고 싶어요", ["토하다"], ["토하고"]),  # an auxiliary verb ("want to") names nothing
        ("머리 아플 때", ["머리", "아프다"], ["머리", "아플"]),  # nor does "when" after a clause
        ("먹은 후에", ["먹다"], ["먹은"]),
        ("식사 후", ["식사", "후"], ["식사", "후"]),  # but 후 after a noun is a word
        ("I feel like throwing up", ["throwup"], ["throwup"]),
        ("it felt like a burn", ["burn"], ["burn"]),
        ("I keep throwing up", ["throwup"], ["throwup"]),  # keep before -ing: it goes on
        ("I feel better", ["feel", "better"], ["feel", "better"]),  # feel alone is a word
        ("drugs like aspirin", ["drug", "like", "aspirin"], ["drug", "like", "aspirin"]),
        # "all the time" says it goes on: "time" found diphenhydramine's "night-time" first
        ("sneezing all the time", ["sneez"], ["sneez"]),
        ("take it at the same time", ["take", "time"], ["take", "time"]),
        # keeping one up: bisacodyl's "keep suppositories in a cool place" came third
        ("cough keeps me up at night", ["cough", "night"], ["cough", "night"]),
        ("keep it in the fridge", ["keep", "fridg"], ["keep", "fridg"]),
        # how much: dextromethorphan's "brings up a lot of phlegm" came first for both
        ("sweating a lot", ["sweat"], ["sweat"]),
        ("lots of gas", ["gas"], ["gas"]),
        ("parking lots", ["park", "lot"], ["park", "lot"]),  # a lot of land is a word
    ],
)
def test_a_hedge_is_searched_on_neither_side(query, korean, english) -> None:
    """I think I am going to throw up: 같다 after a clause and 것, "feel like", or an auxiliary
    verb names nothing, so neither side searches for it (the English side keeps Hangul words
    whole: an English article can match none of them, so each would count as a word it lacks)."""
    concepts = parse_query(query).concepts
    assert [c.words[0] for c in concepts["ko"]] == korean
    assert [c.words[0] for c in concepts["en"]] == english


@pytest.mark.parametrize(
    ("query", "korean"),
    [
        ("설사", ["설사"]),  # read alone as the adverb "even if"; diarrhoea is what readers mean
        ("설사가 나요", ["설사", "나다"]),  # read as the noun in a sentence anyway
        ("너무", []),  # no reading makes the whole word a noun (무 is a fragment)
    ],
)
def test_a_query_with_no_korean_term_takes_a_reading_of_a_whole_word_as_a_noun(
    query, korean
) -> None:
    assert [c.words[0] for c in parse_query(query).concepts["ko"]] == korean


@pytest.mark.parametrize(
    ("query", "korean"),
    [
        ("두통에 좋은 약", ["두통", "약"]),  # "good for": what helps with a headache
        ("간에 좋은 음식", ["간", "음식"]),
        # "bad for" asks for what harms: 좋 would find "good for" alike (the index holds no
        # negation), and the amlodipine that improves blood flow (흐름을 좋게) came first
        ("편두통에 좋지 않은 음식", ["편두통", "음식"]),
        ("간에 안 좋은 약", ["간", "약"]),
        ("좋은 콜레스테롤", ["좋다", "콜레스테롤"]),  # HDL: the word itself
    ],
)
def test_good_for_asks_for_what_helps_and_is_no_word_of_its_own(query, korean) -> None:
    assert [c.words[0] for c in parse_query(query).concepts["ko"]] == korean


def test_the_negation_of_bad_for_marks_no_other_word() -> None:
    """The 안 of `간에 안 좋은 약` turns "good for" around; it does not negate 약 (which would
    keep the glossary's medicine terms from matching it)."""
    for query in ("간에 안 좋은 약", "간에 좋지 않은 약"):
        terms = [t.text for t in korean_analyzer().polar_terms(query)]
        assert terms == ["간", "약"], (query, terms)


@pytest.mark.parametrize(
    ("query", "korean"),
    [
        ("머리가 지끈지끈해요", ["머리", "지끈거리다"]),  # "my head throbs"
        ("심장이 두근두근해요", ["심장", "두근거리다"]),  # what 두근거림 (palpitations) is
        ("너무 아파요", ["아프다"]),  # an adverb said once is still no word
    ],
)
def test_a_reduplicated_adverb_is_searched_as_the_verb_it_makes(query, korean) -> None:
    assert [c.words[0] for c in parse_query(query).concepts["ko"]] == korean


@pytest.mark.parametrize(
    ("query", "korean"),
    [
        ("약 먹는 거 깜빡했어요", ["약", "먹다", "잊다"]),  # "I forgot"
        ("깜박했어요", ["잊다"]),
        ("타이레놀 많이 먹었어요", ["타이레놀", "많이", "먹다"]),  # took too much
        ("이부프로펜 많이 복용했어요", ["이부프로펜", "많이", "복용"]),
        ("얼마나 많이 먹어도 되나요", ["먹다"]),  # how much: an amount
        ("술을 많이 마셨어요", ["술", "마시다"]),  # not of taking a medicine
        ("깜빡 잊고", ["잊다"]),  # said with the verb itself
    ],
)
def test_adverbs_saying_what_happened_are_searched(query, korean) -> None:
    assert [t.text for t in korean_analyzer().polar_terms(query)] == korean


@pytest.mark.parametrize(
    ("query", "other"),
    [("열", "열다"), ("낮에", "낮다"), ("열어", "열"), ("캡슐을 열어도 되나요", "열")],
)
def test_a_noun_and_a_verb_spelled_alike_are_no_readings_of_each_other(query, other) -> None:
    """Kiwi reads a lone 열 as the noun (fever) and as the stem of 열다 (to open), and 열어 as
    either: a word typed as a bare stem is the noun, one with an ending the verb."""
    assert not any(other in c.words for c in parse_query(query).concepts["ko"])


def test_adverbs_read_in_queries_are_not_indexed() -> None:
    """An article saying 깜빡하다 or 많이 먹다 is indexed as written: its index terms hold
    neither 잊다 nor 많이."""
    for text in ("깜빡했어요", "많이 먹지 마세요"):
        indexed = {t.text for t in korean_analyzer().terms(text)}
        assert not indexed & {"잊다", "많이"}, (text, indexed)


def test_an_articles_reduplicated_adverb_is_not_in_its_spelling_vocabulary() -> None:
    """Only queries search 두근두근 as 두근거리다: an article is indexed as it is written, so the
    typo corrector never offers a verb the article does not say."""
    assert korean_vocabulary(["심장이 두근두근 뛰어요"]) == korean_vocabulary(["심장이 뛰어요"])
