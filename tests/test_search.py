"""Search as a reader meets it: the right article first, in the right language, never an error."""

from __future__ import annotations

import pytest

import kb
from kb.content import BUNDLED_CONTENT
from kb.params import DEFAULTS


def first(index: kb.KnowledgeIndex, query: str, locale: str) -> kb.Hit:
    page = kb.search(index, query, locale)
    assert page.hits, f"no results for {query!r}"
    return page.hits[0]


@pytest.mark.parametrize(
    ("query", "locale", "title"),
    [
        ("효능", "ko", "가바펜틴 효능, 부작용, 주의사항"),
        ("효능", "en", "Gabapentin: uses, side effects and precautions"),
        ("가바펜틴 부작용", "ko", "가바펜틴 효능, 부작용, 주의사항"),
        ("가바펜틴의 효능은 무엇인가요?", "ko", "가바펜틴 효능, 부작용, 주의사항"),
        ("gabapentin side effects", "en", "Gabapentin: uses, side effects and precautions"),
        ("gabapentin side effects", "ko", "가바펜틴 효능, 부작용, 주의사항"),
        ("뉴론틴", "en", "Gabapentin: uses, side effects and precautions"),
    ],
)
def test_gabapentin_first_in_the_readers_locale(bundled_index, query, locale, title) -> None:
    hit = first(bundled_index, query, locale)
    assert (hit.slug, hit.title, hit.locale, hit.fallback) == ("gabapentin", title, locale, False)


def test_english_only_article_falls_back_and_says_so(bundled_index) -> None:
    hit = first(bundled_index, "diphenhydramine", "ko")
    assert (hit.slug, hit.locale, hit.fallback) == ("diphenhydramine", "en", True)


def test_a_korean_when_does_not_keep_an_english_only_article_down(bundled_index) -> None:
    """`잠이 안 올 때 먹는 약`: the Korean side never searches the 때 ("when") of a clause, but
    the English side kept it as a word no article has, the rarest of all, and so it weighed
    most there: diphenhydramine, a sleep aid in English only, was not in the first four."""
    slugs = [h.slug for h in kb.search(bundled_index, "잠이 안 올 때 먹는 약", "ko").hits]
    assert slugs[0] == "zolpidem" and "diphenhydramine" in slugs[:3], slugs[:5]


@pytest.mark.parametrize(
    ("query", "marked"),
    [
        ("Benadryl은 졸린가요?", "<mark>Benadryl</mark>"),
        # the name only says which article: the snippet shows the section asked
        ("Benadryl의 부작용", "<mark>Side</mark> <mark>effects</mark>"),
    ],
)
def test_a_brand_name_with_a_korean_particle_finds_the_english_only_article(
    bundled_index, query: str, marked: str
) -> None:
    """A plain tokenizer reads `Benadryl의` as one token: no English article ever matched it."""
    hit = kb.search(bundled_index, query, "ko", mode="lexical").hits[0]
    assert (hit.slug, hit.locale, hit.coverage) == ("diphenhydramine", "en", 1.0)
    assert marked in hit.snippet


@pytest.mark.parametrize(
    ("glued", "spaced"),
    [
        ("로사르탄기침", "로사르탄 기침"),  # losartan's dry cough, not the cough medicine
        ("페니실린알레르기있으면", "페니실린 알레르기 있으면"),
        ("혈압약먹고기침이나요", "혈압약 먹고 기침이 나요"),
    ],
)
def test_a_query_typed_without_spaces_finds_what_it_finds_with_them(
    bundled_index, glued: str, spaced: str
) -> None:
    """Korean readers often leave the spaces out. The English side keeps a Hangul word whole,
    so `로사르탄기침` was one concept there whose glossary terms, `losartan` and `cough`, were
    alternatives: the cough medicine, saying "cough", covered the whole query on that side."""
    for mode in ("lexical", "hybrid"):
        first = kb.search(bundled_index, glued, "ko", mode=mode).hits[0].slug
        assert first == kb.search(bundled_index, spaced, "ko", mode=mode).hits[0].slug, mode


@pytest.mark.parametrize(("query", "locale"), [("prednisone", "en"), ("프레드니손 부작용", "ko")])
def test_a_closely_related_medicine_finds_the_article_in_either_language(
    bundled_index, query: str, locale: str
) -> None:
    """Prednisone is closely related to prednisolone: the English article said so and was
    found, while a Korean reader's `프레드니손 부작용` put warfarin and levothyroxine first."""
    hit = kb.search(bundled_index, query, locale).hits[0]
    assert (hit.slug, hit.locale) == ("prednisolone", locale)
    assert "<mark>" in hit.snippet


def test_korean_only_article_falls_back_for_english_readers(bundled_index) -> None:
    hit = first(bundled_index, "게보린", "en")
    assert (hit.slug, hit.locale, hit.fallback) == ("geworin", "ko", True)
    assert hit.title.startswith("게보린")


def test_english_stemming_finds_singular_from_plural(make_index) -> None:
    index = make_index({("a", "en"): ("Anticonvulsant", "It prevents a seizure.")})
    assert first(index, "Seizures", "en").slug == "a"


def test_question_words_do_not_decide_and_the_exact_form_wins(make_index) -> None:
    index = make_index(
        {
            ("exact", "en"): ("Nationality", "Nationality is membership of a nation."),
            ("stemmed", "en"): ("What is LMIS", "What the national labour system is."),
        }
    )
    assert [h.slug for h in kb.search(index, "what is the nationality", "en").hits] == [
        "exact",
        "stemmed",
    ]


@pytest.mark.parametrize(
    ("query", "locale"),
    [("가바펜틴의 뜻", "ko"), ("가바펜틴 정의", "ko"), ("가바펜틴 먹는 방법", "ko"),
     ("가바펜틴은 얼마인가요", "ko"), ("define gabapentin", "en"), ("gabapentin definition", "en")],
)  # fmt: skip
def test_a_word_asking_for_a_kind_of_answer_is_not_what_is_wanted(
    make_index, query: str, locale: str
) -> None:
    """The article about gabapentin comes before a page that merely has every word; the word
    alone is still searched (``뜻`` finds the page that says it)."""
    index = make_index(
        {
            ("about", "ko"): (
                "가바펜틴",
                "가바펜틴은 신경통에 먹는 약입니다. 가바펜틴은 흔히 씁니다.",
            ),
            ("words", "ko"): (
                "약 이름의 뜻",
                "약 이름의 뜻, 정의, 먹는 방법, 값이 얼마인지 풉니다. 가바펜틴도.",
            ),
            ("about", "en"): ("Gabapentin", "Gabapentin treats nerve pain. Gabapentin is common."),
            ("words", "en"): ("How to define a drug", "A definition: we define gabapentin too."),
        }
    )
    assert [h.slug for h in kb.search(index, query, locale, mode="lexical").hits][:2] == [
        "about",
        "words",
    ]
    assert first(index, "뜻", "ko").slug == "words"


def test_contractions_and_possessives_leave_no_stray_letter_to_match(make_index) -> None:
    index = make_index(
        {
            ("thyroid", "en"): ("Levothyroxine", "Replaces T4. Poor sleep can be a sign."),
            ("sleep", "en"): ("Zolpidem", "For people who lie awake: it helps you sleep."),
            ("hashimoto", "en"): ("Thyroiditis", "Hashimoto's disease is the usual cause."),
        }
    )
    # "can't" once searched for "t", which T4 matched: the thyroid article came first
    assert [h.slug for h in kb.search(index, "I can't sleep", "en", mode="lexical").hits] == [
        "sleep",
        "thyroid",
    ]
    assert first(index, "Hashimoto", "en").slug == "hashimoto"
    assert kb.search(index, "what's this", "en").total == 0  # no "s" to find


@pytest.mark.parametrize(
    ("typed", "marked"), [("i cant stop sneezing", "i can't stop sneezing"),
                          ("why cant i sleep", "why can't i sleep")]
)  # fmt: skip
def test_a_negation_typed_without_its_apostrophe_is_the_negation(
    bundled_index, typed: str, marked: str
) -> None:
    """`cant` was a word no article has: named missing, and every match covered a fifth (by
    words; meaning reads the two spellings a little apart)."""
    assert not kb.search(bundled_index, typed, "en").missing
    page = kb.search(bundled_index, typed, "en", mode="lexical")
    expected = kb.search(bundled_index, marked, "en", mode="lexical")
    assert [(h.slug, h.coverage) for h in page.hits] == [
        (h.slug, h.coverage) for h in expected.hits
    ]


@pytest.mark.parametrize("query", ["really bad headache", "a bad headache", "severe headache"])
def test_a_word_that_grades_the_need_does_not_outweigh_the_need(make_index, query) -> None:
    """`bad` in one article's "LDL (bad) cholesterol" is rarer than a symptom the painkillers
    name, and outweighed it: a word that says how bad a need is adds score where it matches,
    but a reader asking for a bad headache wants what treats a headache."""
    index = make_index(
        {
            ("statin", "en"): ("Atorvastatin", "It lowers LDL (bad) cholesterol. Severe cramps."),
            ("painkiller", "en"): ("Paracetamol", "For a headache, toothache and fever."),
            ("nsaid", "en"): ("Ibuprofen", "For a headache and swelling."),
            ("sleep", "en"): ("Zolpidem", "For sleep."),
        }
    )
    slugs = [h.slug for h in kb.search(index, query, "en", mode="lexical").hits]
    assert set(slugs[:2]) == {"painkiller", "nsaid"}, slugs
    assert "sleep" not in slugs
    # alone, or with nothing else named, the word is what is asked for
    assert first(index, "bad", "en").slug == "statin"
    assert first(index, "bad cholesterol", "en").slug == "statin"


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("my child has a fever", "paracetamol"),
        ("swollen ankles", "amlodipine"),
        ("my teeth hurt", "paracetamol"),
    ],
)
def test_an_irregular_form_finds_the_article_that_says_its_regular_one(
    make_index, query, slug
) -> None:
    """An article says "children", "swelling" and "tooth"; a reader writes "child", "swollen"
    and "teeth", and "hay fever" or "hurts" alone must not win."""
    index = make_index(
        {
            ("paracetamol", "en"): (
                "Paracetamol",
                "For fever and pain in children, and tooth pain when it hurts.",
            ),
            ("antihistamine", "en"): ("Cetirizine", "For hay fever."),
            ("amlodipine", "en"): ("Amlodipine", "Swelling of the ankles is common."),
            ("statin", "en"): ("Atorvastatin", "Ankle pain: sore ankles."),
            ("sprain", "en"): ("Sprains", "It hurts to walk, it hurts to sit."),
        }
    )
    assert kb.search(index, query, "en", mode="lexical").hits[0].slug == slug
    assert first(index, query, "en").slug == slug


def test_british_and_american_spellings_find_the_same_articles(make_index) -> None:
    """The bundled articles write both "diarrhea" and "diarrhoea": either spelling finds both."""
    index = make_index(
        {
            ("metformin", "en"): ("Metformin", "Diarrhea is common at first."),
            ("senna", "en"): ("Senna", "A laxative; too much gives diarrhoea and tumour pain."),
            ("statin", "en"): ("Atorvastatin", "Muscle pain and a tumor marker."),
        }
    )
    for query in ("diarrhea", "diarrhoea", "Diarrhoeas"):
        found = {h.slug for h in kb.search(index, query, "en", mode="lexical").hits}
        assert found == {"metformin", "senna"}, query
    assert {h.slug for h in kb.search(index, "tumours", "en").hits} >= {"senna", "statin"}


def test_articles_matching_every_term_rank_above_partial_matches(make_index) -> None:
    index = make_index(
        {
            # "partial" mentions 졸음 many times and in its title; "full" has both terms once.
            ("partial", "ko"): ("졸음 졸음", "졸음이 옵니다. 졸음. 졸음."),
            ("full", "ko"): ("약 안내", "졸음과 어지러움이 있을 수 있습니다."),
        }
    )
    page = kb.search(index, "졸음 어지러움", "ko")
    assert [h.slug for h in page.hits] == ["full", "partial"]
    assert page.hits[0].coverage == 1.0 > page.hits[1].coverage


def test_bigram_recall_finds_other_segmentations_but_never_outranks_morphology(make_index):
    # Kiwi reads 페니토인 (a drug it doesn't know) differently alone and in these sentences.
    index = make_index(
        {
            ("bigram-only", "ko"): ("안내", "페니토인을 드세요. 페니토인정 페니토인이 있습니다."),
            ("morph", "ko"): ("안내", "페니토인"),
        }
    )
    page = kb.search(index, "페니토인", "ko")
    assert [h.slug for h in page.hits] == ["morph", "bigram-only"]


def test_eojeol_recall_finds_a_short_word_kiwi_splits_in_the_query(make_index) -> None:
    # In this question Kiwi reads 고마의 as 고 + 마; the article's 고마는 stays one word.
    index = make_index(
        {
            ("goma", "ko"): ("도시", "고마는 르완다 근처의 관광 도시이다."),
            ("other", "ko"): ("정보", "유용한 관광객 정보를 모았다."),
        }
    )
    page = kb.search(index, "다음 중 고마의 관광객에게 유용한 정보가 아닌 것은 무엇인가?", "ko")
    assert "goma" in [h.slug for h in page.hits]


def test_quoted_phrase_requires_the_words_in_order(make_index) -> None:
    index = make_index(
        {
            ("phrase", "en"): ("One", "Restless legs syndrome at night."),
            ("apart", "en"): ("Two", "Legs feel restless; a syndrome."),
        }
    )
    assert [h.slug for h in kb.search(index, '"restless legs"', "en", mode="lexical").hits] == [
        "phrase"
    ]


def test_how_many_finds_and_marks_the_number_that_answers(make_index) -> None:
    """`하루 몇 번` asks for a number of times: the article that says `하루 3번` comes first and
    shows it marked, above one that only says `하루` more often."""
    index = make_index(
        {
            ("dose", "ko"): ("복용법", "이 약은 하루 3번 식후에 드세요. 물과 함께 삼키세요."),
            ("often", "ko"): ("습관", "하루 물 여덟 잔. 하루 운동 30분. 하루 일과를 적으세요."),
        }
    )
    hits = kb.search(index, "하루에 몇 번 먹나요", "ko", mode="lexical").hits
    assert hits[0].slug == "dose"
    assert "<mark>3번</mark>" in hits[0].snippet, hits[0].snippet


def test_a_number_in_words_finds_it_in_digits_and_not_another(make_index) -> None:
    """`하루 세 번` is `하루 3번`: that article comes first with `3번` marked, above one that
    says `하루 두 번`; and a second injection (`두 번째`) is not twice a day."""
    index = make_index(
        {
            ("thrice", "ko"): ("복용법", "이 약은 하루 3번 식후에 드세요."),
            ("twice", "ko"): ("다른 약", "이 약은 하루 두 번 드세요. 하루 한 번은 자기 전에."),
            ("second", "ko"): ("주사", "두 번째 주사는 한 달 뒤에 맞습니다."),
        }
    )
    hits = kb.search(index, "하루 세 번 먹는 약", "ko", mode="lexical").hits
    assert hits[0].slug == "thrice"
    assert "<mark>3번</mark>" in hits[0].snippet, hits[0].snippet
    second = kb.search(index, "두 번째 주사", "ko", mode="lexical").hits
    assert [hit.slug for hit in second] == ["second"]
    assert "<mark>두 번째</mark>" in second[0].snippet, second[0].snippet


def test_a_title_or_acronym_in_a_korean_query_is_searched_whole(make_index) -> None:
    """In a Korean query an English title's every word counts (`'Rise Up'` is not `'Rise
    Again'`), and so does an acronym that is an English stop word in lower case (`WHO`); other
    English stop words only add score."""
    index = make_index(
        {
            ("up", "ko"): ("노래", "앤드라 데이가 부른 'Rise Up'은 2015년에 나왔다."),
            ("again", "ko"): (
                "노래",
                "'Rise Again'을 부른 가수가 다시 불렀다. 이 노래는 rise라는 말로 시작한다.",
            ),
            ("who", "ko"): ("용량", "세계보건기구(WHO)의 권고 용량은 하루 2g이다."),
            ("doctor", "ko"): ("용량", "의사의 권고 용량을 지키세요. 권고 용량을 넘기지 마세요."),
        }
    )
    song = kb.search(index, "누가 'Rise Up'을 불렀나요?", "ko", mode="lexical").hits
    assert song[0].slug == "up"
    assert "<mark>Up</mark>" in song[0].snippet, song[0].snippet
    phrase = kb.search(index, '"Rise Up" 노래', "ko", mode="lexical").hits
    assert [hit.slug for hit in phrase if hit.coverage == 1] == ["up"]
    dose = kb.search(index, "WHO 권고 용량", "ko", mode="lexical").hits
    assert dose[0].slug == "who"
    assert "<mark>WHO</mark>" in dose[0].snippet, dose[0].snippet
    # an English stop word outside a title asks for nothing: both articles match completely
    mixed = kb.search(index, "what is the 권고 용량", "ko", mode="lexical").hits
    assert {hit.slug for hit in mixed if hit.coverage == 1} == {"who", "doctor"}


def test_snippet_highlights_exact_korean_characters(bundled_index) -> None:
    snippet = first(bundled_index, "가바펜틴 졸음", "ko").snippet
    assert "<mark>졸음</mark>" in snippet
    assert "<mark>가바펜틴</mark>" in snippet


@pytest.mark.parametrize(
    ("query", "locale", "slug", "asked"),
    [
        ("warfarin alcohol", "en", "warfarin", "alcohol"),
        ("와파린 술", "ko", "warfarin", "술"),
        ("zolpidem memory", "en", "zolpidem", "memory"),
        ("amlodipine swelling", "en", "amlodipine", "swelling"),
    ],
)
def test_a_snippet_shows_what_was_asked_of_the_article_its_title_names(
    bundled_index, query: str, locale: str, slug: str, asked: str
) -> None:
    """The title already says it is the warfarin article; the summary that names warfarin (and
    its brand) again was the snippet, and the reader never saw what it says of alcohol."""
    hit = kb.search(bundled_index, query, locale).hits[0]
    assert hit.slug == slug
    assert f"<mark>{asked}</mark>" in hit.snippet, hit.snippet


def test_a_compound_found_by_its_parts_shows_them(bundled_index) -> None:
    """`두통약` is not in acetaminophen's text, which says 두통 where it lists what it treats:
    the snippet marks it there (it showed the summary, unmarked). A one-syllable part is in too
    many words to mark (`생리통 약` never marks the 통 of 진통)."""
    hits = {h.slug: h for h in kb.search(bundled_index, "두통약", "ko").hits}
    assert "효능 · 진통: <mark>두통</mark>" in hits["acetaminophen"].snippet
    period = {h.slug: h for h in kb.search(bundled_index, "생리통 약", "ko").hits}
    assert "<mark>생리통</mark>" in period["acetaminophen"].snippet
    assert "진<mark>통</mark>" not in period["acetaminophen"].snippet


def test_snippet_escapes_article_text(make_index) -> None:
    index = make_index({("x", "en"): ("Title", "Use <script>alert(1)</script> with water.")})
    snippet = first(index, "water", "en").snippet
    assert "<script>" not in snippet
    assert "&lt;script&gt;" in snippet and "<mark>water</mark>" in snippet


def test_cross_language_search_shows_the_readers_translation(bundled_index) -> None:
    hit = first(bundled_index, "어지러움 졸음 가바펜틴", "en")
    assert (hit.slug, hit.locale) == ("gabapentin", "en")


def test_pagination_is_consistent(bundled_index) -> None:
    whole = kb.search(bundled_index, "부작용", "ko", per_page=100)
    assert whole.total >= 18
    pages = [kb.search(bundled_index, "부작용", "ko", page=p, per_page=5) for p in (1, 2, 3, 4)]
    assert [h.slug for p in pages for h in p.hits] == [h.slug for h in whole.hits][:20]
    assert pages[0].pages == -(-whole.total // 5)
    assert kb.search(bundled_index, "부작용", "ko", page=99).hits == []


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("*", "no_terms"),
        ("AND", "no_terms"),
        ("OR NOT", "no_terms"),
        ('"', "no_terms"),
        ('"효능', None),
        ("효능\x00\x1b[31m\u202e", None),
        ("가바펜틴 " * 1000, "truncated"),
        ("((( ]]] :::", "no_terms"),
        ("title:효능", None),
        ("效能 ％ ｇａｂａｐｅｎｔｉｎ", None),
        ("\ud800", "empty"),
    ],
)
def test_bad_queries_never_raise_and_explain_themselves(bundled_index, query, notice) -> None:
    page = kb.search(bundled_index, query, "ko")
    assert page.notice == notice
    if notice in ("empty", "no_terms"):
        assert page.total == 0 and page.hits == []
    else:
        assert page.total >= 1


def test_fullwidth_latin_is_folded(bundled_index) -> None:
    assert first(bundled_index, "ｇａｂａｐｅｎｔｉｎ", "en").slug == "gabapentin"


@pytest.mark.parametrize(
    ("locale", "page", "per_page"), [("fr", 1, 10), ("ko", 0, 10), ("ko", 1, 0), ("en", 1, 101)]
)
def test_invalid_arguments_raise_value_error(bundled_index, locale, page, per_page) -> None:
    with pytest.raises(ValueError):
        kb.search(bundled_index, "효능", locale, page=page, per_page=per_page)


def test_get_article_and_list_articles_in_locale(bundled_index) -> None:
    article = kb.get_article(bundled_index, "gabapentin", "ko")
    assert article.title == "가바펜틴 효능, 부작용, 주의사항"
    assert "<h2>효능</h2>" in article.html and article.locales == ("ko", "en")
    assert kb.get_article(bundled_index, "geworin", "en").fallback is True
    assert kb.get_article(bundled_index, "no-such-article", "ko") is None
    listing = kb.list_articles(bundled_index, "en")
    assert len(listing) >= 18
    assert {a.slug for a in listing if a.fallback} == {"geworin"}


def test_fallback_articles_are_filed_under_the_readers_category_name(bundled_index) -> None:
    korean = {a.slug: a for a in kb.list_articles(bundled_index, "ko")}
    assert korean["diphenhydramine"].fallback
    assert korean["diphenhydramine"].category == korean["cetirizine"].category == "알레르기"
    english = {a.slug: a for a in kb.list_articles(bundled_index, "en")}
    assert english["geworin"].category == english["acetaminophen"].category == "Pain and fever"


def test_a_compound_typed_as_one_word_finds_articles_that_use_its_parts(bundled_index) -> None:
    # Only 게보린 says 두통약; the other headache medicines say 두통 and 약 apart.
    slugs = [h.slug for h in kb.search(bundled_index, "두통약", "ko").hits]
    assert slugs[0] == "geworin"
    assert "acetaminophen" in slugs[:3]
    assert {"acetaminophen", "ibuprofen", "aspirin"} <= set(slugs)


@pytest.mark.parametrize(
    ("query", "first", "also"),
    [
        # acetaminophen and ibuprofen say 해열제; 게보린 and aspirin 해열진통제, 해열·진통
        ("해열제", {"acetaminophen", "ibuprofen"}, {"geworin", "aspirin"}),
        # no article says 소염제: the NSAIDs say 소염진통제 and list 소염 among their uses
        ("소염제", {"ibuprofen", "aspirin"}, set()),
    ],
)
def test_a_medicine_word_ending_in_a_suffix_finds_the_articles_saying_its_stem(
    bundled_index, query, first, also
) -> None:
    page = kb.search(bundled_index, query, "ko", mode="lexical")
    slugs = [h.slug for h in page.hits]
    assert set(slugs[: len(first)]) == first
    assert also <= set(slugs[:5])
    assert not page.missing


def test_a_compound_the_index_holds_often_does_not_match_through_its_parts(make_index) -> None:
    whole = {
        (f"whole-{n}", "ko"): ("안내", "게보린은 두통약입니다.")
        for n in range(DEFAULTS.compound_max_df + 1)
    }
    index = make_index({**whole, ("parts", "ko"): ("안내", "두통에 쓰는 약입니다.")})
    assert "parts" not in {h.slug for h in kb.search(index, "두통약", "ko", mode="lexical").hits}


def test_a_compound_said_whole_far_less_than_its_parts_still_matches_through_them(
    make_index,
) -> None:
    """감기약 is said whole where a medicine is an ingredient of cold medicines; once a third
    article said so, `감기약` no longer listed ibuprofen and aspirin, whose uses say 감기 and
    약 apart (a cold's fever and aches)."""
    whole = {
        (f"whole-{n}", "ko"): ("안내", "여러 감기약에도 들어 있습니다.")
        for n in range(DEFAULTS.compound_max_df + 1)
    }
    apart = {(f"apart-{n}", "ko"): ("안내", "감기로 인한 열에 쓰는 약입니다.") for n in range(6)}
    index = make_index({**whole, **apart})
    found = {h.slug for h in kb.search(index, "감기약", "ko", mode="lexical").hits}
    assert found == {slug for slug, _ in [*whole, *apart]}


def test_one_part_of_a_compound_adds_no_score(make_index) -> None:
    index = make_index(
        {
            ("part", "ko"): ("안내", "졸음이 옵니다. 약"),
            ("other", "ko"): ("안내", "졸음이 옵니다. 물"),
        }
    )
    scores = {h.slug: h.score for h in kb.search(index, "두통약 졸음", "ko", mode="lexical").hits}
    assert scores["part"] == pytest.approx(scores["other"])


@pytest.mark.parametrize(
    ("query", "locale", "missing"),
    [
        ("여드름 두통", "ko", ("여드름",)),  # the painkillers match the rest
        ("여드름이 있을 때 두통약", "ko", ("여드름",)),  # not 있을, kept whole only for names
        ("acne medicine", "en", ("acne",)),  # meaning alone: "medicine" says nothing
        ("really bad headache", "en", ()),  # `really` only grades the need
        ("두통약", "ko", ()),
        ("여드름", "ko", ("여드름",)),  # nothing matched: meaning alone found the articles
        ("hangover medicine", "en", ("hangover",)),
        ("눈이 시려요", "ko", ("시려요",)),  # a verb as typed, not Kiwi's stem span `시려`
        ("잠이 안 와서 괴로워요", "ko", ("괴로워요",)),
        ('"stomach flu"', "en", ("stomach flu",)),  # a quoted phrase no article says
        ('두통 "속이 울렁거려서 괴로워요"', "ko", ("속이 울렁거려서 괴로워요",)),
        ('"blood thinner" acne', "en", ("acne",)),  # the phrase is warfarin's
        # diphenhydramine has no Korean translation: the glossary finds it in English
        ("디펜히드라민 부작용", "ko", ()),
        ("디펜히드라민 여드름", "ko", ("여드름",)),
    ],
)
def test_a_search_names_the_words_no_article_has(
    bundled_index, query: str, locale: str, missing: tuple[str, ...]
) -> None:
    page = kb.search(bundled_index, query, locale)
    assert page.missing == missing
    if missing:
        assert page.hits and all(word not in hit.snippet for hit in page.hits for word in missing)


def test_a_search_no_word_of_which_matched_says_meaning_alone_found_its_results(
    bundled_index,
) -> None:
    """`gastroenteritis` lists the stomach medicines by meaning, none of which says it: the
    reader is told, as the count alone ("13 articles match") said otherwise."""
    page = kb.search(bundled_index, "gastroenteritis", "en")
    assert page.hits and page.meaning_only and page.missing == ("gastroenteritis",)
    assert all(hit.coverage == 0 and "<mark>" not in hit.snippet for hit in page.hits)
    assert not kb.search(bundled_index, "gastroenteritis headache", "en").meaning_only
    lexical = kb.search(bundled_index, "gastroenteritis", "en", mode="lexical")
    assert (lexical.total, lexical.missing, lexical.meaning_only) == (0, (), False)
    assert page.by_meaning == page.total


def test_results_found_by_meaning_beside_word_matches_are_counted_apart(bundled_index) -> None:
    """`flu`: the articles that say it come with diphenhydramine's, found by meaning alone
    (it treats a cold's runny nose and never says flu); the page counts and marks it apart."""
    page = kb.search(bundled_index, "flu", "ko", per_page=100)
    by_meaning = {hit.slug for hit in page.hits if hit.by_meaning}
    assert "diphenhydramine" in by_meaning and "acetaminophen" not in by_meaning
    assert page.by_meaning == len(by_meaning) < page.total and not page.meaning_only
    first = kb.search(bundled_index, "flu", "ko", per_page=2)
    assert first.by_meaning == page.by_meaning  # of all the results, not of the page shown
    lexical = kb.search(bundled_index, "flu", "ko", mode="lexical")
    assert lexical.by_meaning == 0 and lexical.total == page.total - page.by_meaning


@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
def test_a_light_verb_weighs_nothing_beside_the_need(bundled_index, mode) -> None:
    """`멍이 잘 들어요` (I bruise easily): 들다 is only the verb of 멍 (a bruise), but alone it
    is "contains" (들어 있다), so the cough and pain medicines that say what they contain came
    second and third, above aspirin and warfarin, whose side effects say 멍이 잘 들거나, 멍이
    쉽게 듦."""
    bruising = {
        path.parent.name
        for path in BUNDLED_CONTENT.glob("*/ko.md")
        if "멍이" in path.read_text(encoding="utf-8")
    }
    top = [hit.slug for hit in kb.search(bundled_index, "멍이 잘 들어요", "ko", mode=mode).hits]
    assert {"aspirin", "warfarin"} <= bruising
    assert set(top[:3]) <= bruising, top


@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
def test_words_that_grade_or_ask_weigh_nothing_beside_the_need(bundled_index, mode) -> None:
    """`변비가 심해요` (my constipation is bad): 15 of 18 Korean articles say 심한 (severe), so it
    listed prednisolone and pregabalin, which never say constipation; `괜찮나요` (is it okay),
    in two articles, outweighed 와파린: hybrid ranked warfarin's own article sixth; 걸렸을 (caught,
    of a cold) found sertraline's "takes weeks"."""
    constipation = kb.search(bundled_index, "변비가 심해요", "ko", per_page=50, mode=mode)
    saying = {
        path.parent.name
        for path in BUNDLED_CONTENT.glob("*/*.md")
        if "변비" in (text := path.read_text(encoding="utf-8")) or "onstipation" in text
    }
    assert saying and {hit.slug for hit in constipation.hits} == saying
    asked = kb.search(bundled_index, "와파린 먹는데 타이레놀 괜찮나요", "ko", mode=mode)
    assert [hit.slug for hit in asked.hits[:2]] == ["acetaminophen", "warfarin"]
    typo = kb.search(bundled_index, "두퉁이 심해요", "ko", mode=mode)  # 심해요 finds nothing
    assert typo.corrected is not None and typo.corrected.text == "두통이 심해요"
    assert typo.hits[0].slug == "acetaminophen"
    # 걸리다 is how one catches a cold: sertraline's "몇 주가 걸립니다" (takes weeks) came first
    cold = kb.search(bundled_index, "감기 걸렸을 때 먹는 약", "ko", mode=mode)
    assert "sertraline" not in {hit.slug for hit in cold.hits[:4]}


@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
def test_asking_for_something_names_no_word_of_its_own(bundled_index, mode) -> None:
    """`anything for headache` put zolpidem first (its "anything while not fully awake"), and
    `something for a fever` said no article has the word "something"."""
    headache = kb.search(bundled_index, "anything for headache", "en", mode=mode)
    assert headache.hits[0].slug in {"acetaminophen", "ibuprofen", "aspirin", "geworin"}
    for query in ("something for a fever", "best medicine for hay fever"):
        page = kb.search(bundled_index, query, "en", mode=mode)
        assert page.missing == () and page.hits, query


@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
def test_feeling_a_symptom_asks_for_the_symptom(bundled_index, mode) -> None:
    """`i feel dizzy` put losartan's "even when you feel well" and sertraline's "the full
    benefit is felt" first, `feel tired all the time` cetirizine's "some people still feel
    sleepy": `feel` frames the symptom, as `bad` and `help` do."""
    dizzy = kb.search(bundled_index, "i feel dizzy", "en", mode=mode)
    assert all("<mark>dizziness</mark>" in hit.snippet for hit in dizzy.hits[:3])
    tired = kb.search(bundled_index, "feel tired all the time", "en", mode=mode)
    assert all("tired" in hit.snippet and "felt" not in hit.snippet for hit in tired.hits[:3])


@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
def test_a_fever_is_not_hay_fever(bundled_index, mode) -> None:
    """`fever medicine` listed cetirizine third and diphenhydramine fifth, for the "hay fever"
    they treat; `hay fever` (and `hayfever`) still finds them, and `cold sore`, which no
    article treats, is not answered with every cold medicine, nor `water pill` (a diuretic)
    with amoxicillin's capsules, "mixed with water", nor coffee with vomit that looks like it."""
    antihistamines = {"cetirizine", "diphenhydramine"}
    for query in ("fever", "fever medicine", "child fever"):
        page = kb.search(bundled_index, query, "en", mode=mode)
        assert page.hits[0].slug in {"acetaminophen", "ibuprofen"}, query
        assert not antihistamines & {hit.slug for hit in page.hits[:5]}, query
    for query in ("hay fever", "hayfever", "hay-fever tablets"):  # and a decongestant's
        page = kb.search(bundled_index, query, "en", mode=mode)
        assert antihistamines | {"pseudoephedrine"} <= {hit.slug for hit in page.hits[:4]}, query
        assert "<mark>hay fever</mark>" in page.hits[0].snippet
    sore = kb.search(bundled_index, "cold sore", "en", mode=mode)
    assert all(hit.by_meaning for hit in sore.hits)
    diuretic = kb.search(bundled_index, "water pill", "en", mode=mode)  # amoxicillin first
    assert "amoxicillin" not in {hit.slug for hit in diuretic.hits}
    # vomit "that looks like coffee grounds" is no coffee: ibuprofen's bleeding ulcers came first
    coffee = kb.search(bundled_index, "does it interact with coffee", "en", mode=mode)
    assert coffee.hits[0].slug == "pseudoephedrine"
    assert not any("coffee</mark> grounds" in hit.snippet for hit in coffee.hits)
    # nor is a sex drive driving (sertraline came third for `can i drive after taking it`)
    drive = kb.search(bundled_index, "can i drive after taking it", "en", mode=mode)
    assert not any("sex <mark>drive" in hit.snippet for hit in drive.hits)
    assert "sertraline" not in {hit.slug for hit in drive.hits[:3]}
    # in Korean too (커피찌꺼기, kept whole), and typed apart it still finds the bleeding
    bleeding = {"ibuprofen", "aspirin", "warfarin"}
    drink = kb.search(bundled_index, "커피", "ko", mode=mode)
    assert drink.hits and not bleeding & {hit.slug for hit in drink.hits}
    grounds = kb.search(bundled_index, "커피 찌꺼기 같은 것을 토했어요", "ko", mode=mode)
    assert {hit.slug for hit in grounds.hits[:3]} == bleeding


@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
def test_a_verb_its_particle_turns_into_another_finds_what_it_means(bundled_index, mode) -> None:
    """The glossary's `passing out` (fainting) and `the runs` (diarrhoea) were read as `pass`
    and `run`: `passing out` listed bisacodyl ("help you pass stool") first, `can i pass urine`
    losartan's fainting, `run out of medicine` loperamide."""
    fainting = {"losartan", "amlodipine", "loperamide"}
    for query in ("passing out", "feel like I might pass out"):
        page = kb.search(bundled_index, query, "en", mode=mode)
        assert {hit.slug for hit in page.hits[:3]} == fainting, query
        assert "<mark>fainting</mark>" in page.hits[0].snippet, query
    urine = kb.search(bundled_index, "can i pass urine", "ko", mode=mode)
    assert "실신" not in " ".join(hit.snippet for hit in urine.hits)  # losartan's urine stays
    out = kb.search(bundled_index, "run out of medicine", "en", mode=mode)
    assert "loperamide" not in {hit.slug for hit in out.hits if not hit.by_meaning}
    runs = kb.search(bundled_index, "I have the runs", "en", mode=mode)
    assert runs.hits[0].slug == "loperamide"


@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
def test_at_night_weighs_nothing_beside_the_need_it_qualifies(bundled_index, mode) -> None:
    """Only gabapentin says 밤 (its restless legs come at night), so `밤에 속쓰림` (heartburn at
    night) and `밤에 열이 나요` (a fever at night) put it first; `fever at night` put the sleep
    aid first. The morning is what `아침에 먹는 약` (taken in the morning) asks for."""
    heartburn = kb.search(bundled_index, "밤에 속쓰림", "ko", mode=mode)
    assert heartburn.hits[0].slug in {"omeprazole", "famotidine"}
    assert "gabapentin" not in {hit.slug for hit in heartburn.hits}
    fever = kb.search(bundled_index, "밤에 열이 나요", "ko", mode=mode)
    assert fever.hits[0].slug in {"acetaminophen", "ibuprofen"}
    morning = kb.search(bundled_index, "아침에 먹는 약", "ko", mode=mode)
    saying = {path.parent.name for path in BUNDLED_CONTENT.glob("*/ko.md")
              if "아침" in path.read_text(encoding="utf-8")}  # fmt: skip
    assert "levothyroxine" in saying
    assert {hit.slug for hit in morning.hits[: len(saying)]} == saying
    english = kb.search(bundled_index, "fever at night", "en", mode=mode)  # diphenhydramine
    assert english.hits[0].slug in {"acetaminophen", "ibuprofen"}


@pytest.mark.parametrize("query", ["ibuprofen kidney damage", "이부프로펜 신장 손상"])
def test_a_drug_named_with_the_harm_it_can_do_finds_that_drug(bundled_index, query) -> None:
    """Losartan's uses say it slows kidney damage, and its precautions that ibuprofen can harm
    the kidneys: it came first, where ibuprofen's side effects said only "kidney problems".
    They now say "kidney damage", as its Korean says 신장 손상."""
    locale = "ko" if query.startswith("이") else "en"
    for mode in ("lexical", "hybrid"):
        hits = kb.search(bundled_index, query, locale, mode=mode).hits
        assert hits[0].slug == "ibuprofen", (mode, [h.slug for h in hits[:3]])


@pytest.mark.parametrize(
    ("query", "locale", "named"),
    [
        ("ibuprofen vs acetaminophen", "en", {"ibuprofen", "acetaminophen"}),
        ("difference between advil and tylenol", "en", {"ibuprofen", "acetaminophen"}),
        ("타이레놀 이부프로펜 차이", "ko", {"ibuprofen", "acetaminophen"}),
        ("타이레놀이랑 게보린 차이", "ko", {"geworin", "acetaminophen"}),
    ],
)
def test_a_comparison_asks_about_the_medicines_it_names(
    bundled_index, query: str, locale: str, named: set[str]
) -> None:
    """`vs`, `difference` and 차이 ask for a kind of answer, as `definition` and 뜻 do: they were
    named as words no article has, and 차이 was offered as "did you mean … 나이" (age)."""
    page = kb.search(bundled_index, query, locale)
    assert not page.missing and page.suggestion is None
    assert named <= {h.slug for h in page.hits[:3]}
