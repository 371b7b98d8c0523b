"""Keyboard-layout mix-ups and typos (kb.corrections), and snippets read from posting blocks."""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from whoosh.index import open_dir

import kb
from kb.analysis.korean import may_be_misspelled
from kb.corrections import spacing_alternative, spelling_words
from tests.conftest import article_text, write_article

MakeIndex = Callable[..., kb.KnowledgeIndex]

GABAPENTIN_KO = "가바펜틴 효능, 부작용, 주의사항"


def page(index, query: str, locale: str = "ko") -> kb.SearchPage:
    return kb.search(index, query, locale)


def test_typo_takes_the_word_in_most_articles_among_equally_close_ones(make_index) -> None:
    """``bload`` is one key from both ``blood`` and ``broad``: the commoner word wins."""
    articles = {
        ("a", "en"): ("Blood tests", "A blood test checks iron."),
        ("b", "en"): ("Broad beans", "Broad beans grow in spring."),
        ("c", "en"): ("Broad leaves", "Broad leaves shade the soil."),
    }
    page = kb.search(make_index(articles), "bload", "en")
    assert page.corrected == kb.Suggestion("broad", "typo")
    assert {hit.slug for hit in page.hits} == {"b", "c"}


def test_korean_typo_two_keys_off_is_corrected_and_keeps_its_particle(make_index) -> None:
    index = make_index({("a", "ko"): ("가바펜틴 부작용", "가바펜틴의 부작용은 졸음입니다.")})
    page = kb.search(index, "부잦욤이", "ko")
    assert page.corrected == kb.Suggestion("부작용이", "typo")
    assert [hit.slug for hit in page.hits] == ["a"]


@pytest.mark.parametrize(
    ("typed", "article_word"),
    [
        ("스테로이드", "비스테로이드성"),
        ("급여를", "비급여"),
        ("비급여", "급여"),
        ("증상", "무증상"),
    ],
)
def test_a_negating_prefix_is_never_a_typo(make_index, typed: str, article_word: str) -> None:
    """비 is two keys, but 비급여 is the opposite of 급여: a reader who typed one is never shown
    the other as "what you meant"."""
    body = f"{article_word} 항목을 확인하세요."
    index = make_index({("a", "ko"): ("안내", body), ("b", "ko"): ("다른 안내", "확인하세요.")})
    page = kb.search(index, typed, "ko")
    assert page.corrected is None and page.suggestion is None
    assert "a" not in {hit.slug for hit in page.hits if hit.coverage > 0}


def test_a_typo_of_a_prefixed_word_is_corrected_to_it_not_to_its_noun(make_index) -> None:
    """The spelling vocabulary holds what the index does: 고용량 whole (Kiwi reads 고 + 용량),
    so `고욜량`, one key off, is corrected to it; before, no article word was near enough."""
    index = make_index(
        {
            ("high", "ko"): ("이부프로펜", "400mg 이상의 고용량은 의사의 처방에 따라 씁니다."),
            ("low", "ko"): ("아스피린", "저용량 장용정을 하루 한 번 먹습니다."),
        }
    )
    page = kb.search(index, "고욜량", "ko")
    assert page.corrected == kb.Suggestion("고용량", "typo")
    assert [hit.slug for hit in page.hits][:1] == ["high"]


@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
def test_a_word_spelled_right_is_never_corrected_nor_offered_a_correction(
    make_index, mode: str
) -> None:
    """No article says 구내염 (mouth ulcers), two keys from 간염 (hepatitis): the reader spelled a
    real word, so nothing about hepatitis is searched nor offered ("did you mean 간염?" was).
    A word no dictionary has (`간얌`) is still corrected, and a typo beside a real word too."""
    index = make_index({("liver", "ko"): ("간염", "간염은 간에 생긴 염증입니다.")})
    page = kb.search(index, "구내염", "ko", mode=mode)
    assert page.corrected is None and page.suggestion is None
    assert "liver" not in {hit.slug for hit in page.hits if hit.coverage > 0}
    typo = kb.search(index, "간얌", "ko", mode=mode)
    assert typo.corrected == kb.Suggestion("간염", "typo")
    assert [hit.slug for hit in typo.hits] == ["liver"]
    both = kb.search(index, "구내염 간얌", "ko", mode=mode)
    assert (both.corrected or both.suggestion) == kb.Suggestion("구내염 간염", "typo")


@pytest.mark.parametrize(("query", "not_meant"), [("위염", "위암"), ("식후 30분", "직후")])
def test_a_condition_spelled_right_is_not_offered_a_graver_one(
    bundled_index: kb.KnowledgeIndex, query: str, not_meant: str
) -> None:
    """`위염` (gastritis), which no article says, was offered "did you mean 위암?" (stomach
    cancer, which omeprazole's precautions name), and `식후 30분` (half an hour after meals)
    "직후 30분"."""
    page = kb.search(bundled_index, query, "ko")
    offered = (page.suggestion or page.corrected or kb.Suggestion("", "typo")).text
    assert not_meant not in offered


@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
def test_a_symptom_said_with_a_verb_is_never_corrected_into_a_noun(make_index, mode: str) -> None:
    """`무릎이 시려요` (my knees ache with cold): no article has 시리다, and 필요 is a few keys
    from 시려요, but a sentence's verb is no typo of a noun. It was searched as `무릎이 필요`
    (what is needed), listing every article that says 필요."""
    index = make_index(
        {
            ("needs", "ko"): ("준비", "여행에 필요한 물건을 챙기세요."),
            ("knees", "ko"): ("무릎", "무릎 관절을 보호하세요."),
        }
    )
    page = kb.search(index, "무릎이 시려요", "ko", mode=mode)
    assert page.corrected is None and page.suggestion is None
    assert [hit.slug for hit in page.hits if hit.coverage > 0] == ["knees"]
    slip = kb.search(index, "무릎이 시려", "ko", mode=mode)  # no sentence ending: maybe a typo
    assert slip.corrected is None and "needs" not in {h.slug for h in slip.hits if h.coverage}
    known = kb.search(index, "필요해요", "ko", mode=mode)  # a verb the articles have
    assert [hit.slug for hit in known.hits] == ["needs"] and known.corrected is None


@pytest.mark.parametrize(
    ("typed", "meant", "slug"),
    [("졸로푸트", "졸로프트", "sertraline"), ("서트랄닌", "서트랄린", "sertraline"),
     ("코자르", "코자", "losartan")],
)  # fmt: skip
def test_a_misspelled_korean_drug_name_is_corrected_when_meaning_ranks_too(
    bundled_index, typed: str, meant: str, slug: str
) -> None:
    """Meaning reads a misspelled name as noise: `졸로푸트` (Zoloft, an antidepressant) seemed
    closer to the sleeping pill zolpidem than `졸로프트` to any article, so hybrid search kept
    the typo and listed zolpidem first, where words alone corrected it. Korean corrected into
    Korean keeps the reader's language, and meaning no longer vetoes it."""
    for mode in ("lexical", "hybrid"):
        page = kb.search(bundled_index, typed, "ko", mode=mode)
        assert page.corrected == kb.Suggestion(meant, "typo"), (mode, page.corrected)
        assert page.hits[0].slug == slug and not page.hits[0].by_meaning


def test_everyday_aches_find_the_painkillers(bundled_index) -> None:
    """Aches said the way readers say them (`무릎이 시려요`, `온몸이 쑤셔요`, `허리가 결려요`,
    `이가 욱신거려요`) reach the articles that treat them through the glossary's lines."""
    for query in ("무릎이 시려요", "온몸이 쑤셔요", "몸살", "허리가 결려요", "이가 욱신거려요"):
        page = kb.search(bundled_index, query, "ko", mode="lexical")
        top = [hit.slug for hit in page.hits[:4]]
        assert {"ibuprofen", "acetaminophen"} <= set(top), (query, top)
    english = kb.search(bundled_index, "body aches", "en", mode="lexical")
    assert {"ibuprofen", "acetaminophen"} <= {hit.slug for hit in english.hits[:3]}
    tired = kb.search(bundled_index, "피곤해요", "ko", mode="lexical")  # articles say 피로
    assert tired.total and all("피곤" not in hit.snippet for hit in tired.hits)
    assert {"metformin", "sertraline"} <= {hit.slug for hit in tired.hits}


def test_spelling_index_finds_what_whoosh_finds(bundled_index) -> None:
    """Words within 1 or 2 edits of random misspellings: the same set as Whoosh's own search."""
    snapshot = bundled_index.snapshot()
    reader = open_dir(str(snapshot.build_dir)).reader()  # Whoosh itself, as the reference
    rnd = random.Random(7)
    for field in ("spell_ko", "spell_en"):
        words = spelling_words(snapshot, field)
        letters = sorted(set("".join(words.terms)))
        for _ in range(40):
            key = _misspell(rnd.choice(words.terms), letters, rnd)
            for budget in (1, 2):
                expected = set(reader.terms_within(field, key, budget)) - {key}
                assert set(words.within(key, budget)) == expected, (field, key, budget)


def _misspell(word: str, letters: list[str], rnd: random.Random) -> str:
    """Up to three random insertions, deletions or substitutions."""
    chars = list(word)
    for _ in range(rnd.randint(0, 3)):
        at = rnd.randrange(len(chars) + 1)
        edit = rnd.choice(("insert", "delete", "substitute"))
        if edit == "insert" or at == len(chars):
            chars.insert(at, rnd.choice(letters))
        elif edit == "delete" and len(chars) > 1:
            del chars[at]
        else:
            chars[at] = rnd.choice(letters)
    return "".join(chars)


@pytest.fixture(scope="module")
def many_waters(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 articles about water: its postings span several blocks (Whoosh packs 128 a block)."""
    content = tmp_path_factory.mktemp("waters") / "content"
    for n in range(300):
        body = f"Item {n} notes. " + "Filler words here. " * (n % 7) + "Drink clean water daily."
        write_article(content, f"w{n:03d}", "en", article_text(f"Note {n}", body))
    kb.build_index(content, content.with_name("index"))
    return content


def test_snippets_mark_words_in_every_posting_block(many_waters: Path) -> None:
    index = kb.open_index(many_waters.with_name("index"))
    page = kb.search(index, "water", "en", per_page=100, page=3)
    assert len(page.hits) == 100
    assert all("<mark>water</mark> daily" in hit.snippet for hit in page.hits)


def test_snippets_mark_words_after_an_incremental_update(many_waters: Path, tmp_path) -> None:
    """An update adds a segment and deletes the changed articles' old documents."""
    content, index_dir = tmp_path / "content", tmp_path / "index"
    shutil.copytree(many_waters, content)  # a copy: links out of the folder are refused
    kb.build_index(content, index_dir)
    shutil.rmtree(content / "w150")
    write_article(content, "w150", "en", article_text("Note 150", "Boil the water first."))
    kb.update_index(content, index_dir)
    index = kb.open_index(index_dir)
    snippets = {hit.slug: hit.snippet for hit in kb.search(index, "water", "en", per_page=100).hits}
    assert "Boil the <mark>water</mark> first." in snippets["w150"]
    assert all("<mark>water</mark>" in snippet for snippet in snippets.values())


@pytest.mark.parametrize(
    ("typed", "meant", "locale", "slug"),
    [
        ("타이레놀ㅇ", "타이레놀", "ko", "acetaminophen"),  # the next syllable begun
        ("타이레", "타이레놀", "ko", "acetaminophen"),
        ("졸피", "졸피뎀", "ko", "zolpidem"),
        ("gabapen", "gabapentin", "en", "gabapentin"),
        ("zolp", "zolpidem", "en", "zolpidem"),
    ],
)
@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
def test_a_word_left_unfinished_is_searched_finished(
    bundled_index, typed: str, meant: str, locale: str, slug: str, mode: str
) -> None:
    """A reader who pressed Enter mid-word found nothing: no article word is `타이레` or starts
    with `타이레놀ㅇ`. The word is finished as an article's tag spells it."""
    result = kb.search(bundled_index, typed, locale, mode=mode)
    assert result.corrected == kb.Suggestion(meant, "unfinished")
    assert result.hits[0].slug == slug and not result.hits[0].by_meaning


@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
def test_a_dictionary_noun_is_not_split_into_a_stem_and_a_particle_to_correct(
    bundled_index, mode: str
) -> None:
    """`바나나` (banana) ends in a syllable that can be a particle (나, "or"): read as 바나 + 나,
    it was "corrected" to `반사나` (the cough medicine's 반사, reflex), and the cough medicine
    shown for a banana. Kiwi knows the word whole: its nearest article word is only offered,
    as for any word spelled right."""
    result = kb.search(bundled_index, "바나나", "ko", mode=mode)
    assert result.corrected is None and "반사" not in getattr(result.suggestion, "text", "")
    assert "dextromethorphan" not in {hit.slug for hit in result.hits if not hit.by_meaning}


def test_an_unfinished_word_no_tag_begins_is_left_alone(bundled_index) -> None:
    """`세탁ㄱ` (a washing machine, half typed) finishes no word of the articles: nothing is
    made up. `냉장ㄱ` finishes 냉장고, which amoxicillin's storage section says."""
    result = kb.search(bundled_index, "세탁ㄱ", "ko", mode="lexical")
    assert result.corrected is None and result.suggestion is None and not result.hits
    fridge = kb.search(bundled_index, "냉장ㄱ", "ko", mode="lexical")
    assert [hit.slug for hit in fridge.hits] == ["amoxicillin"]


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


@pytest.mark.parametrize(
    ("typed", "searched", "slug"),
    [
        # typed in Korean mode, `anxeity` is 뭍댜쇼: syllables, but no word Kiwi or the index
        # knows; "Did you mean 뭍댜쇼 medicine?" was offered, and the respelling never tried
        ("anxeity medicine", "anxiety medicine", "sertraline"),
        ("alergy pills", "allergy pills", "cetirizine"),
    ],
)
def test_a_misspelled_english_word_is_not_taken_for_korean_in_the_wrong_mode(
    bundled_index, typed, searched, slug
) -> None:
    result = page(bundled_index, typed, "en")
    assert result.suggestion is None
    assert result.corrected == kb.Suggestion(searched, "spelling")
    assert result.hits[0].slug == slug


def test_searching_exactly_as_typed_turns_corrections_off(bundled_index) -> None:
    result = kb.search(bundled_index, "rkqkvpsxls", "ko", correct=False)
    assert (result.total, result.corrected, result.suggestion) == (0, None, None)


def test_real_english_words_are_never_converted(bundled_index) -> None:
    for word in ("gabapentin", "Tylenol", "side effects"):
        result = page(bundled_index, word, "en")
        assert result.corrected is None and result.suggestion is None
        assert result.hits


def test_english_stop_words_are_never_converted_or_corrected(make_index) -> None:
    """Stop words are not indexed, so an index of Korean articles knows no English word: ``do``
    typed in Korean mode would be 애, and ``does`` one key from the brand name ``Doses``."""
    index = make_index(
        {("a", "ko"): ("복용량", "Doses 표와 애 돌보기 안내, Herb 보충제의 사용법입니다.")}
    )
    for query in ("why do we need doses", "what does herb mean"):
        result = kb.search(index, query, "en", mode="lexical")
        assert result.corrected is None and result.suggestion is None, result


def test_keyboard_conversion_is_offered_when_both_readings_find_something(bundled_index):
    result = page(bundled_index, "rkqkvpsxls nausea", "en")
    assert result.hits and result.corrected is None  # "nausea" alone finds articles
    assert result.suggestion == kb.Suggestion("가바펜틴 nausea", "keyboard")
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


@pytest.mark.parametrize("query", ["변비가 심할 때", "변비 심할 때"])
def test_a_verb_is_never_offered_as_its_own_stem(bundled_index, query: str) -> None:
    """`변비가 심할 때` (when constipation is bad) found little, and 심할, a form no article
    has, was "corrected" to its own stem: "did you mean 변비가 심하 때?", which is no Korean."""
    result = page(bundled_index, query)
    assert result.hits and (result.corrected, result.suggestion) == (None, None)


def test_no_correction_for_nonsense(bundled_index) -> None:
    result = page(bundled_index, "qqqqxxxzzz")
    assert (result.total, result.corrected, result.suggestion) == (0, None, None)


def test_an_english_word_typed_in_two_is_searched_whole(bundled_index) -> None:
    """No article says both "head" and "ache"; as typed, the search is another one (warfarin's
    "hit your head" is among its results)."""
    typed = kb.search(bundled_index, "head ache", "en")
    assert typed.corrected == kb.Suggestion("headache", "spacing") and typed.suggestion is None
    assert typed.hits[0].slug == "acetaminophen"
    assert [h.slug for h in typed.hits] == [
        h.slug for h in kb.search(bundled_index, "headache", "en").hits
    ]
    exact = kb.search(bundled_index, "head ache", "en", correct=False)
    assert exact.corrected is None and "warfarin" in {h.slug for h in exact.hits}
    assert [h.slug for h in exact.hits] != [h.slug for h in typed.hits]


@pytest.mark.parametrize(
    ("typed", "whole", "slugs"),
    [
        ("대상 포진", "대상포진", {"gabapentin", "pregabalin"}),  # found nothing
        ("가바 펜틴", "가바펜틴", {"gabapentin"}),  # found nothing
        ("섬유 근육통", "섬유근육통", {"pregabalin"}),  # put ibuprofen (근육통) first
    ],
)
def test_a_korean_word_kept_whole_is_found_however_it_is_spaced(
    bundled_index, typed: str, whole: str, slugs: set[str]
) -> None:
    """Kiwi reads most Korean words however they are spaced, but not those kept whole for
    their meaning (`대상` must not find `대상포진`), whose halves are other words or none."""
    page = kb.search(bundled_index, typed, "ko", mode="lexical")
    assert page.corrected == kb.Suggestion(whole, "spacing")
    assert slugs <= {hit.slug for hit in page.hits[: len(slugs)]}


def test_one_syllable_korean_words_join_only_as_two_nouns(make_index) -> None:
    """`각 주` (each state) is no 각주 (a footnote), nor `두 개` (two) 두개 (the skull), though
    an article has the word and none the two side by side: a determiner and a counter. Two
    nouns are (`입 안이 헐어요`: 입안, the inside of the mouth, which 게보린's article says)."""
    index = make_index(
        {
            ("a", "ko"): ("각주", "각주를 확인하세요. 두개골과 두개 내압."),
            ("b", "ko"): ("회사", "가장 큰 회사의 목록입니다."),
            ("mouth", "ko"): ("구강", "입안이 헐면 쉬세요."),
        }
    )
    for typed in ("각 주에서 가장 큰 회사", "두 개 회사"):
        page = kb.search(index, typed, "ko", mode="lexical")
        assert page.corrected is None and page.suggestion is None, typed
    mouth = kb.search(index, "입 안이 헐어요", "ko", mode="lexical")
    assert mouth.corrected == kb.Suggestion("입안이 헐어요", "spacing")
    assert [hit.slug for hit in mouth.hits] == ["mouth"]


@pytest.mark.parametrize("typed", ["non-steroidal", "non steroidal", "Non-steroidal"])
def test_a_hyphenated_word_the_articles_spell_whole_is_searched_whole(
    bundled_index, typed: str
) -> None:
    """The articles say "nonsteroidal"; `non-steroidal` was searched as `non` and `steroidal`
    and put prednisolone, the steroid, first."""
    page = kb.search(bundled_index, typed, "en", mode="lexical")
    assert page.corrected == kb.Suggestion("nonsteroidal", "spacing")
    assert {hit.slug for hit in page.hits} == {"ibuprofen", "aspirin"}


def test_words_typed_apart_that_an_article_has_both_of_are_searched_as_typed(make_index) -> None:
    index = make_index(
        {
            ("a", "en"): ("Headache", "A headache with fever."),
            ("b", "en"): ("Migraine", "A throbbing headache on one side."),
            ("c", "en"): ("Injury", "A blow to the head leaves an ache."),
        }
    )
    typed = kb.search(index, "head ache", "en")
    assert typed.corrected is None and typed.hits[0].slug == "c"
    assert typed.suggestion == kb.Suggestion("headache", "spacing")  # ...and the word, offered


def test_a_split_word_that_finds_nothing_is_searched_whole(make_index) -> None:
    index = make_index(
        {
            ("a", "en"): ("Gabapentin", "Gabapentin eases nerve pain."),
            ("b", "en"): ("Pregabalin", "A newer relative of gabapentin."),
        }
    )
    result = kb.search(index, "gaba pentin", "en")
    assert result.corrected == kb.Suggestion("gabapentin", "spacing")
    assert [hit.slug for hit in result.hits] == ["a", "b"]


@pytest.mark.parametrize(
    ("typed", "joined"),
    [
        ("pain killer", "painkiller"),  # the articles say "painkillers": the stem is known
        ("Head Ache medicine", "headache medicine"),
        ("nerve pain", None),  # no such word as "nervepain"
        ("a part", None),  # a stop word is never half of a word ("apart")
        ("over dose", None),
        ("test e", None),  # nor a single letter
        ('"head ache"', None),  # a quoted phrase is meant as typed
    ],
)
def test_words_are_joined_only_into_a_word_the_index_has(bundled_index, typed, joined) -> None:
    assert spacing_alternative(typed, bundled_index.snapshot()) == joined


@pytest.mark.parametrize(
    ("typed", "spaced"),
    [
        ("bloodthinner", "blood thinner"),  # warfarin: "a blood thinner"
        ("bloodthinner side effects", "blood thinner side effects"),
        ("sideeffects", "side effects"),
        ("warfarin", None),  # a word the articles have
        ("carpet", None),  # an English word they lack ("car pet" is said nowhere anyway)
        ("painrelief", None),  # no article says "pain relief" side by side
    ],
)
def test_a_word_run_together_is_split_into_two_the_articles_say(
    bundled_index, typed, spaced
) -> None:
    assert spacing_alternative(typed, bundled_index.snapshot()) == spaced


def test_bloodthinner_finds_the_blood_thinner(bundled_index) -> None:
    """No article spells "bloodthinner", so it found nothing at all."""
    result = kb.search(bundled_index, "bloodthinner", "en")
    assert result.corrected == kb.Suggestion("blood thinner", "spacing")
    assert result.hits[0].slug == "warfarin"


@pytest.mark.parametrize(
    ("typed", "spaced"),
    [
        ("두드러기약졸린거", "두드러기 약 졸린 거"),  # Kiwi reads the run as one unknown noun
        ("로사르탄기침", None),  # Kiwi reads 로사르탄 + 기침 in it already
        ("두통약", None),  # a word the articles have
        ("아목", None),  # a short word read whole is a name begun (아목시실린), not 아 + 목
        ("항히스타민", None),  # nor 항 + 히스타민
    ],
)
def test_a_korean_run_kiwi_reads_as_one_noun_is_spaced(bundled_index, typed, spaced) -> None:
    assert spacing_alternative(typed, bundled_index.snapshot()) == spaced


def test_a_korean_query_typed_without_spaces_is_searched_spaced(bundled_index) -> None:
    """`두드러기약졸린거` ("the hives medicine that makes you drowsy", no spaces) found nothing:
    Kiwi read the whole run as one noun. Spaced as Kiwi would space it, it finds cetirizine."""
    result = kb.search(bundled_index, "두드러기약졸린거", "ko")
    assert result.corrected == kb.Suggestion("두드러기 약 졸린 거", "spacing")
    assert result.hits[0].slug == "cetirizine"


@pytest.mark.parametrize(
    ("typed", "meant", "first"),
    [
        ("불먼증약", "불면증약", "zolpidem"),
        ("갑상섬약", "갑상선약", "levothyroxine"),
        ("두퉁약", "두통약", "geworin"),  # the headache pill 게보린 is tagged 두통약
    ],
)
def test_a_typo_in_a_need_written_with_its_medicine_is_corrected(
    bundled_index, typed: str, meant: str, first: str
) -> None:
    """`불먼증약` (불면증, insomnia, a key off, with 약 after it) found nothing: no article has a
    word two keys from it, since 약 is a word of its own. The need is respelled, 약 kept. Kiwi
    reads `두퉁약` as 두 + 퉁 (no words) + 약, which the glossary took for its own word 약: never
    corrected, it put the cough medicine first."""
    result = kb.search(bundled_index, typed, "ko")
    assert result.corrected is not None and result.corrected.text == meant
    assert result.hits[0].slug == first


def test_an_english_word_spelled_right_is_no_typo(bundled_index) -> None:
    """No article says "carpet"; the typo corrector made it `care`, two letters away. An
    English word list says it is spelled right, so nothing is offered; `seizrues` is still
    `seizures`."""
    carpet = kb.search(bundled_index, "carpet", "en")
    assert (carpet.corrected, carpet.suggestion) == (None, None)
    assert kb.search(bundled_index, "seizrues", "en").corrected == kb.Suggestion("seizures", "typo")


def test_words_the_articles_say_apart_more_often_stay_apart(make_index) -> None:
    """One article's run-together link text is no reason to join what the others say apart,
    and a stemmer's guess (``keeped`` → ``keep``) is no word the articles spell."""
    articles = {
        ("a", "en"): ("Pensions", "Social security pays pensions. See socialsecurity.gov."),
        ("b", "en"): ("Benefits", "Social security benefits start at 62."),
        ("c", "en"): ("Sleep", "Keep a regular bedtime; the headache fades. Bloodstream."),
        ("d", "en"): ("Pain", "A headache with fever. Caffeine enters the bloodstream."),
    }
    snapshot = make_index(articles).snapshot()
    assert spacing_alternative("social security", snapshot) is None
    assert spacing_alternative("keep ed", snapshot) is None
    assert spacing_alternative("blood stream", snapshot) == "bloodstream"  # two articles
    assert spacing_alternative("head ache", snapshot) == "headache"


def test_a_word_spelled_with_a_vowel_said_alike_is_searched_as_articles_spell_it(
    make_index,
) -> None:
    """ㅐ and ㅔ sound the same, so `베튼` is a reader's `배튼`: no article has it, and the
    rest of the query (`방송국`, in both articles) must not hide that, as it would a typo's."""
    index = make_index(
        {
            ("batten", "ko"): ("날씨", "배튼은 날씨 방송국을 세웠다."),
            ("other", "ko"): ("방송국", "방송국은 뉴스를 전하는 방송국이다."),
        }
    )
    respelled = kb.search(index, "베튼의 방송국", "ko")
    assert respelled.corrected == kb.Suggestion("배튼의 방송국", "spelling")
    assert respelled.hits[0].slug == "batten"
    assert "<mark>배튼</mark>" in respelled.hits[0].snippet
    typed = kb.search(index, "베튼의 방송국", "ko", mode="lexical", correct=False)
    assert typed.corrected is None and typed.hits[0].slug == "other"


def test_a_word_some_article_spells_so_is_never_respelled(make_index) -> None:
    """`게` (crab) is not `개` (dog), nor `세균` a misspelled `새균`: only a word no article has
    is searched another way."""
    index = make_index(
        {
            ("crab", "ko"): ("게", "게 요리를 먹었다. 세균 검사도 했다."),
            ("dog", "ko"): ("개", "개 산책을 했다. 새균이라는 말은 없다."),
        }
    )
    for query in ("게 요리", "세균 검사"):
        result = kb.search(index, query, "ko")
        assert result.corrected is None and result.suggestion is None, query
        assert result.hits[0].slug == "crab", query


def test_a_glossary_word_is_the_readers_own_not_a_typo(bundled_index) -> None:
    """No article says 모기 (mosquito), one key from 초기; the glossary's ``모기 물림`` line says
    what it is, so ``모기에 물렸어요`` is searched as typed, not offered as ``초기에 물렸어요``."""
    result = kb.search(bundled_index, "모기에 물렸어요", "ko")
    assert result.corrected is None and result.suggestion is None, result
    assert result.hits[0].slug == "diphenhydramine"
    assert kb.search(bundled_index, "효늠", "ko").corrected == kb.Suggestion("효능", "typo")


@pytest.mark.parametrize(
    ("query", "locale", "slug", "searched"),
    [
        # Korean writes a foreign name more than one way; the articles hold one
        ("메트포민 부작용", "ko", "metformin", "메트포르민 부작용"),
        ("로사탄", "ko", "losartan", "로사르탄"),
        ("타일레놀", "ko", "acetaminophen", "타이레놀"),
        ("프레가바린", "ko", "pregabalin", "프레가발린"),
        ("프레드니졸론의 효능", "ko", "prednisolone", "프레드니솔론의 효능"),
        ("디펜하이드라민", "ko", "diphenhydramine", "디펜히드라민"),  # the glossary's spelling
        # a name or symptom misspelled among English words
        ("metforman side effects", "en", "metformin", "metformin side effects"),
        ("ibuprofin and alcohol", "en", "ibuprofen", "ibuprofen and alcohol"),
        ("amlodipene swelling", "en", "amlodipine", "amlodipine swelling"),
        ("acetominophen dose", "en", "acetaminophen", "acetaminophen dose"),
        ("thyriod pills", "en", "levothyroxine", "thyroid pills"),  # two letters swapped
        ("nausia pills", "en", "diphenhydramine", "nausea pills"),
        ("headake medicine", "en", "acetaminophen", "headache medicine"),  # two edits, 7 letters
        # two words misspelled beside one spelled right: both respelled
        ("side efects gabapentn", "en", "gabapentin", "side effects gabapentin"),
        ("metforman side efects", "en", "metformin", "metformin side effects"),
    ],
)
def test_a_name_spelled_otherwise_finds_its_article(
    bundled_index, query, locale, slug, searched
) -> None:
    """No article has the reader's spelling, and the rest of the query (`부작용`, `side
    effects`, `pills`) found enough that no typo was corrected: `메트포민 부작용` listed every
    article's side effects, `metforman side effects` put warfarin first, `로사탄` found nothing
    (meaning alone cannot read a misspelled name)."""
    result = kb.search(bundled_index, query, locale)
    assert result.corrected == kb.Suggestion(searched, "spelling")
    assert result.hits[0].slug == slug


@pytest.mark.parametrize(
    ("query", "locale"),
    [
        # 식후 (after meals) is one swapped consonant from 직후 (right after), and no article
        # spells `먹어야`: a two-syllable word and an inflected verb are Korean's own
        ("식후에 먹어야 하나요", "ko"),
        # `bruise` is another form of the articles' "bruising"; `calves` (one letter from
        # warfarin's `valves`), `blocked` and `pulled` are English spelled right
        ("I bruise easily", "en"),
        ("my calves cramp at night", "en"),
        ("my nose is blocked", "en"),
        ("I pulled a muscle", "en"),
    ],
)
def test_a_word_no_article_has_is_not_respelled_as_a_name(bundled_index, query, locale) -> None:
    assert kb.search(bundled_index, query, locale).corrected is None


def test_an_english_word_the_articles_lack_is_no_misspelled_name(make_index) -> None:
    """Over Korean articles that quote a few English words, `invented` is one edit from a
    title's `Inverted`, and the rest of the query (`ice cream`) is the articles' own: only an
    English dictionary tells that the reader spelled it right."""
    index = make_index(
        {
            ("yoga", "ko"): ("Inverted 요가 자세", "거꾸로 서는 요가 자세입니다."),
            ("dessert", "ko"): ("아이스크림", "아이스크림(ice cream)은 얼린 디저트입니다."),
        }
    )
    typed = kb.search(index, "who invented ice cream", "en")
    assert typed.corrected is None
    assert typed.hits[0].slug == "dessert"
    misspelled = kb.search(index, "who inverteb ice cream", "en")  # no English word
    assert misspelled.corrected == kb.Suggestion("who inverted ice cream", "spelling")


def test_a_korean_only_brand_misspelled_in_english_finds_its_article(bundled_index) -> None:
    """게보린 has no English translation; its tags give its romanised name, so `gevorin`
    (found nothing) is one letter from a word the index holds."""
    result = kb.search(bundled_index, "gevorin", "en")
    assert result.corrected == kb.Suggestion("geworin", "typo")
    assert result.hits[0].slug == "geworin" and result.hits[0].fallback


@pytest.mark.parametrize(
    ("query", "searched", "slug"),
    [
        # `약` (medicine) finds every article, so no typo was corrected: amlodipine came first
        ("두퉁 약", "두통 약", "acetaminophen"),
        ("불먼증 약", "불면증 약", "zolpidem"),
        ("감기약 부작욤", "감기약 부작용", "dextromethorphan"),  # in many cold medicines
    ],
)
def test_a_korean_typo_beside_a_common_word_is_searched_as_meant(
    bundled_index, query, searched, slug
) -> None:
    result = kb.search(bundled_index, query, "ko")
    assert result.corrected == kb.Suggestion(searched, "spelling")
    assert result.hits[0].slug == slug


def assert_searched_as(
    index: kb.KnowledgeIndex, typed: str, meant: str, kind: str
) -> kb.SearchPage:
    """``typed`` is corrected to ``meant`` (``kind``) and lists exactly what ``meant`` lists."""
    result = kb.search(index, typed, "ko")
    assert result.corrected == kb.Suggestion(meant, kind)
    assert [hit.slug for hit in result.hits] == [
        hit.slug for hit in kb.search(index, meant, "ko").hits
    ]
    return result


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("어지러어요", "어지러워요"),  # I feel dizzy
        ("메스꺼어요", "메스꺼워요"),  # I feel sick
        ("배가 아퍼요", "배가 아파요"),  # my stomach hurts: meaning alone reads them alike
        ("아퍼요", "아파요"),  # it hurts: Kiwi reads it 5.4 nats likelier, under the 8 asked
    ],
)
def test_a_mistyped_vowel_in_an_inflected_word_is_corrected(bundled_index, typed, meant):
    """An inflected word has no word near it in the spelling vocabulary (nouns and lemmas), so
    these found nothing, or little (`배가 아퍼요`: the 배가 of two laxatives' side effects, and
    the correction was only offered); one vowel changed, Kiwi reads them far likelier."""
    result = assert_searched_as(bundled_index, typed, meant, "typo")
    assert result.hits


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("머리가 어지러어요", "머리가 어지러워요"),
        ("속이 메스꺼어요", "속이 메스꺼워요"),
        ("머리가 아퍼요", "머리가 아파요"),  # warfarin came first (머리: head injuries)
    ],
)
def test_a_mistyped_vowel_beside_words_that_find_enough_is_searched_as_meant(
    bundled_index, typed, meant
) -> None:
    """`머리` and `속` find articles, so no typo was corrected and the misspelled word matched
    nothing: `속이 메스꺼어요` put omeprazole (heartburn) above diphenhydramine (nausea)."""
    assert_searched_as(bundled_index, typed, meant, "spelling")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("잠이 않와요", "잠이 안 와요"),  # sertraline came first: its 잠이 잘 안 오는 matched 와요
        ("잠이 않 와요", "잠이 안 와요"),
        ("않 졸린 감기약", "안 졸린 감기약"),  # non-drowsy: the glossary's 안 졸림
        ("술 마시면 않되나요", "술 마시면 안 되나요"),  # Kiwi reads 되 as an ending here
    ],
)
def test_the_adverb_written_as_the_auxiliary_is_searched_as_meant(bundled_index, typed, meant):
    """않 and 안 (not) are said alike and often confused; written before a verb, 않 is read as
    the auxiliary with no ending, and the query as its verb alone."""
    assert_searched_as(bundled_index, typed, meant, "spelling")


def test_a_typo_inside_a_compound_kiwi_splits_is_searched_as_meant(make_index) -> None:
    """Kiwi reads 소화불량 (indigestion) as 소화 + 불량, so no article has the whole word that
    `소화불냥` is a key from; it is read as the two words, one of them misspelled."""
    index = make_index(
        {
            ("digestion", "ko"): ("소화제", "소화불량에 먹는 약입니다. 소화불량은 흔합니다."),
            ("headache", "ko"): ("두통약", "두통에 먹는 약입니다. 두통은 흔합니다."),
            ("sleep", "ko"): ("수면제", "잠이 안 올 때 먹는 약입니다."),
        }
    )
    result = kb.search(index, "소화불냥에 먹는 약", "ko")
    assert result.corrected == kb.Suggestion("소화불량에 먹는 약", "spelling")
    assert result.hits[0].slug == "digestion"


@pytest.mark.parametrize(
    "query",
    [
        "운전해도 되나요",  # no article says 운전해도; 운전 (driving) is a few keys away
        "아이가 열이 나요",  # 아기 (baby) is one key from 아이 (child)
        "식후에 먹어야 하나요",  # 직후 (right after) is one key from 식후 (after meals)
        "애기 열날 때",  # 애기 is how many say 아기
        "먹지 않아도 되나요",  # 않 rightly: the auxiliary after -지
        "졸리지 않는 알레르기약",
        "먹지 않되 물은 마셔도 되나요",  # 않되 rightly: "not …, but"
    ],
)
def test_korean_words_the_articles_lack_are_not_typos(bundled_index, query) -> None:
    """Each has a word no article spells that is a key or two from one they do, and finds
    enough that no typo is corrected: Korean the articles happen not to use stays as typed."""
    result = kb.search(bundled_index, query, "ko")
    assert result.corrected is None and result.suggestion is None


@pytest.mark.parametrize(
    ("query", "graver"),
    [
        ("숙취 해소제", "채소"),  # hangover remedy: warfarin's leafy vegetables were listed
        ("해소제", "채소"),
        ("심지어", "심장"),  # even: searched as the heart
        ("언제", "억제"),  # when: searched as suppression
        ("제발", "재발"),  # please: searched as a relapse
    ],
)
def test_a_real_word_is_not_corrected_into_a_less_likely_one(bundled_index, query, graver):
    """Kiwi reads each as likelier than the article word a key or two away (해소제 is 해소 + 제,
    no noun of its dictionary), so no article having it does not make it a typo."""
    result = kb.search(bundled_index, query, "ko")
    offered = [found.text for found in (result.corrected, result.suggestion) if found]
    assert not any(graver in text for text in offered), offered


@pytest.mark.parametrize(
    ("text", "word", "misspelled"),
    [
        ("두퉁 약", "두퉁", True),  # read as 두 + 퉁: no word
        ("감기약 부작욤", "부작욤", True),  # no word of Kiwi's
        ("아이가 열이 나요", "아이가", False),  # a noun of its dictionary, with its particle
        ("물 두 리터의 무게", "리터의", False),  # a litre: a word, though no article has it
        ("두퉁이 심해요", "심해요", False),  # inflected: the vocabulary holds 심하, not 심해요
    ],
)
def test_kiwi_tells_a_misspelled_noun_from_a_word(text, word, misspelled) -> None:
    start = text.index(word)
    assert may_be_misspelled(text, start, start + len(word)) is misspelled
