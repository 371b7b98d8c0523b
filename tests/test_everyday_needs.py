"""A need typed as readers type it (`구역질 약`, `구역질 나요`, `anti nausea pill`) reaches the
article that meets it, even when only the other language has that article: the glossary
matches however Kiwi reads a word in the query, a word that only says "medicine" or frames the
need adds no score, and the article that treats the need comes first."""

from __future__ import annotations

import re

import pytest

import kb
from kb.content import BUNDLED_CONTENT
from kb.glossary import Glossary, term_readings
from kb.query import parse_query
from kb.ranking import medicine_beside_a_need


@pytest.mark.parametrize(
    ("term", "reading"),
    [
        ("구역질", ("구역질",)),  # before 약; alone it is 구역
        ("구역질", ("구역",)),
        ("코감기", ("코", "감기")),  # before 약; alone 코 + 감
        ("열감기", ("열", "감기")),
        ("입 마름", ("입", "마르다")),  # alone
        ("입 마름", ("입", "마름")),  # before 약, and in the articles' lists
        ("nausea", ("nausea",)),
    ],
)
def test_a_glossary_term_is_read_as_a_query_may_read_it(term: str, reading: tuple) -> None:
    locale = "ko" if re.search("[가-힣]", term) else "en"
    assert reading in term_readings(locale, term)


def test_a_reading_of_one_syllable_the_term_is_not_is_left_out() -> None:
    """용도 before 증상 reads as 용: a line holding it would expand every 용 (어린이용)."""
    assert ("용",) not in term_readings("ko", "용도")
    assert ("삐다",) in term_readings("ko", "삠")  # the term itself is one syllable
    assert term_readings("ko", "이가 아픔") == {("이", "아프다")}  # not 아픔 alone, before 약


def test_a_phrase_the_articles_read_otherwise_matches_them_by_its_own_words(
    bundled_index: kb.KnowledgeIndex,
) -> None:
    """The side effects lists' `입 마름` reads as 입 and the noun 마름, the line's term alone as
    입 and 마르다: the Korean articles matched only through `dry mouth` in their English, and
    the snippet marked 입 alone."""
    korean = [hit for hit in kb.search(bundled_index, "입 마름", "ko").hits if hit.locale == "ko"]
    assert len(korean) >= 4
    for hit in korean:
        assert "<mark>입</mark> <mark>마름</mark>" in hit.snippet, hit.slug


def test_a_glossary_phrase_read_otherwise_in_the_query_is_still_found(
    bundled_index: kb.KnowledgeIndex,
) -> None:
    """After `임신 중` Kiwi reads `ACE 억제제` as ace + 억제; its next reading is the glossary's
    phrase, so losartan (which names ACE inhibitors) comes first, not omeprazole's 양성자 펌프
    억제제."""
    assert kb.search(bundled_index, "임신 중 ACE 억제제", "ko").hits[0].slug == "losartan"


def test_a_word_kiwi_reads_whole_in_the_query_still_expands() -> None:
    glossary = Glossary.from_terms([{"ko": ("구역질",), "en": ("nausea",)}])
    parsed = parse_query("구역질 약", glossary)
    english = {word for concept in parsed.concepts["en"] for word in concept.words}
    assert "nausea" in set(parsed.weak_terms["en"]) | english


@pytest.mark.parametrize(
    ("query", "framing"),
    [
        ("구역질 약", ["약"]),
        ("pill for dizziness", ["pill"]),
        ("약", []),  # nothing else names the need: the word is the query
        ("두통약", []),  # a kind of medicine, not "medicine"
        ("메스꺼울 때 먹는 약", ["먹", "약"]),  # 먹는 약: a medicine one takes
        # 먹 right after 약 says taking a medicine too (`약 먹고 술` showed 먹 windows)
        ("약 먹고 나서 어지러워요", ["먹", "약"]),
        ("임신 중 먹어도 되는 약", ["먹", "약"]),  # 먹어도 되는 약: one that may be taken
        # anti before a need says a medicine against it: scored, it found ibuprofen's
        # "anti-inflammatory" (three times) for nausea
        ("anti nausea pill", ["anti", "pill"]),
        ("anti-itch cream", ["anti"]),
        ("anti", []),
        ("anti-inflammatory", ["anti"]),
    ],
)
def test_a_word_that_only_says_medicine_beside_a_need_frames_it(
    query: str, framing: list[str]
) -> None:
    parsed = parse_query(query)
    assert sorted(query[start:end] for start, end in medicine_beside_a_need(parsed)) == framing


@pytest.mark.parametrize(
    ("query", "locale"),
    [
        ("구토약", "ko"),
        ("구역질 약", "ko"),
        ("구역질 나요", "ko"),
        ("어지럼증 약", "ko"),
        ("메스꺼울 때 먹는 약", "ko"),
        ("어지러울 때 먹는 약", "ko"),
        ("anti nausea pill", "en"),
        ("pill to take when nauseous", "en"),
        ("what to take for dizziness", "en"),
    ],
)
def test_a_need_reaches_the_one_article_that_treats_it(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str
) -> None:
    """Diphenhydramine, in English only, is the one article that treats nausea, vomiting and
    dizziness (motion sickness). `구토약` and `구역질 약` put dextromethorphan and metformin first,
    whose tags say 기침약 and 당뇨약 (약 weighed most there); `구역질 나요` metformin, by 나
    (to occur), which many articles say; `어지럼증 약` found no dizziness at all; `anti nausea
    pill` ibuprofen, an anti-inflammatory. `메스꺼울 때 먹는 약` metformin (nausea among its
    side effects): no English article can say 먹는 or 약, so that side never matched whole.
    `pill to take when nauseous` zolpidem ("taken once a night"): no glossary line said
    nauseous, and `take`, in every article but this one, counted as a word of the need."""
    for mode in ("lexical", "hybrid"):
        found = [hit.slug for hit in kb.search(bundled_index, query, locale, mode=mode).hits]
        assert found[0] == "diphenhydramine", (mode, found[:5])


@pytest.mark.parametrize(
    ("query", "locale", "misread"),
    [
        ("캡슐을 열어도 되나요", "ko", "<mark>열</mark>을 내리"),  # open: not the fever reducers
        ("캡슐을 열어도 되나요", "en", "<mark>fever</mark>"),  # read in English
        ("낮에 졸려요", "ko", "<mark>낮</mark>게"),  # daytime: not "keeps TSH low"
        ("팔이 아파요", "ko", "<mark>팔</mark>기도"),  # an arm: not "sold without a prescription"
        ("주 1회 먹는 약", "ko", "<mark>주</mark>지 마세요"),  # a week: not "do not give it"
        ("한 알 먹어요", "ko", "<mark>알</mark>게 되면"),  # a pill: not "if you learn"
    ],
)
def test_a_noun_finds_no_verb_spelled_like_it(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str, misread: str
) -> None:
    """A Korean noun of one syllable is the stem of some verb too (열 fever, 열다 to open): a
    reader asking about the one was shown lines about the other."""
    hits = kb.search(bundled_index, query, locale).hits
    assert hits and not [h.slug for h in hits if misread in h.snippet]


@pytest.mark.parametrize(
    ("query", "need"),
    [
        ("sudden chest pain", "chest"),
        ("i suddenly feel dizzy", "dizziness"),
        ("sudden weight gain", "weight"),
    ],
)
def test_how_a_need_came_on_frames_it(
    bundled_index: kb.KnowledgeIndex, query: str, need: str
) -> None:
    """ "Sudden" says how the need came on, as "severe" says how bad it is: loperamide's
    "diarrhea that started suddenly" came among the first three for each."""
    hits = kb.search(bundled_index, query, "en").hits
    assert f"<mark>{need}</mark>" in hits[0].snippet
    assert not [h.slug for h in hits if "<mark>suddenly</mark>" in h.snippet]


@pytest.mark.parametrize(
    ("query", "need"),
    [
        ("migraine relief", "migraine"),
        ("constipation relief", "constipation"),
        ("allergy relief", "allerg"),
        ("what relieves heartburn", "heartburn"),
    ],
)
def test_relief_frames_the_need_it_names(
    bundled_index: kb.KnowledgeIndex, query: str, need: str
) -> None:
    """ "Relief" asks for the need relieved: dextromethorphan's "short-term relief of a cough",
    the one article that says the word, came first or second for each, and acetaminophen's
    "pain reliever" first for heartburn."""
    hits = kb.search(bundled_index, query, "en").hits
    assert f"<mark>{need}" in hits[0].snippet, hits[0].snippet
    assert not [h.slug for h in hits[:3] if "<mark>relie" in h.snippet]


def test_relief_alone_is_searched_as_any_word(bundled_index: kb.KnowledgeIndex) -> None:
    """Framing words frame a need; typed alone they are what the reader asks for."""
    hits = kb.search(bundled_index, "relief", "en").hits
    assert hits and "<mark>relief</mark>" in hits[0].snippet


@pytest.mark.parametrize(
    ("query", "wanted"),
    [
        # atorvastatin's dark urine and losartan's protein in the urine had come second and third
        ("trouble peeing", {"cetirizine", "pseudoephedrine", "diphenhydramine"}),
        ("hard to pee", {"cetirizine", "pseudoephedrine", "diphenhydramine"}),
        # diphenhydramine by its "falls, especially in older adults", atorvastatin's cholesterol
        # starting "to fall"
        ("can't fall asleep", {"zolpidem", "diphenhydramine", "pseudoephedrine"}),
        # warfarin, aspirin and atorvastatin came first by their "heart"
        ("racing heart", {"amlodipine", "levothyroxine", "pseudoephedrine"}),
    ],
)
def test_a_symptom_in_everyday_english_finds_the_lines_naming_it(
    bundled_index: kb.KnowledgeIndex, query: str, wanted: set[str]
) -> None:
    """The glossary says a symptom as readers do (`trouble peeing` beside `difficulty passing
    urine`): by its words alone the query found lines that share one of them."""
    hits = kb.search(bundled_index, query, "en").hits
    assert {hit.slug for hit in hits[:3]} == wanted, [hit.slug for hit in hits]
    a_fall = re.compile(r"<mark>falls?</mark>(?! <mark>asleep)")
    assert not [hit.slug for hit in hits if a_fall.search(hit.snippet)]


@pytest.mark.parametrize("query", ["혈압이 너무 낮아요", "저혈압 약", "저혈압 부작용"])
def test_low_blood_pressure_is_not_every_line_that_lowers_it(
    bundled_index: kb.KnowledgeIndex, query: str
) -> None:
    """Before 약, Kiwi read 저혈압 (low blood pressure) as 저 + 혈압, so the glossary's line took
    혈압 alone for one of its terms: losartan's "혈압을 낮춥니다" (it lowers blood pressure) and
    ibuprofen's "혈압 상승" (a rise) were listed as low blood pressure."""
    hits = kb.search(bundled_index, query, "ko").hits
    assert {hit.slug for hit in hits} == {"losartan", "amlodipine"}, [h.slug for h in hits]
    for hit in hits:
        assert re.search(r"<mark>저혈압</mark>|<mark>혈압</mark>이 너무 <mark>떨어", hit.snippet)


@pytest.mark.parametrize(
    ("query", "slug", "said"),
    [
        ("비행기 탈 때 먹는 약", "diphenhydramine", "Motion</mark> <mark>sickness"),
        ("차 탈 때 먹는 약", "diphenhydramine", "Motion</mark> <mark>sickness"),
        ("입맛이 써요", "metformin", "쇠</mark> <mark>맛"),
        ("입이 써요", "metformin", "쇠</mark> <mark>맛"),
    ],
)
def test_riding_and_a_bitter_mouth_are_the_symptoms_they_say(
    bundled_index: kb.KnowledgeIndex, query: str, slug: str, said: str
) -> None:
    """타다 (to ride) is also how a powder is mixed into water, and 쓰다 (bitter) how a medicine
    is used: amoxicillin's "물에 타서 먹는" came first for the one, zolpidem's "씁니다" for the
    other, where diphenhydramine's motion sickness and metformin's metallic taste are meant."""
    hits = kb.search(bundled_index, query, "ko").hits
    assert hits and hits[0].slug == slug, [hit.slug for hit in hits]
    assert f"<mark>{said}</mark>" in hits[0].snippet


@pytest.mark.parametrize("query", ["소변이 빨개요", "빨간 소변", "소변이 붉어요"])
def test_red_urine_is_blood_in_it(bundled_index: kb.KnowledgeIndex, query: str) -> None:
    """Said by its colour, blood in the urine found losartan's opening first (no article says
    소변이 빨갛다): omeprazole lists 혈뇨, warfarin pink or red urine."""
    hits = kb.search(bundled_index, query, "ko").hits
    assert {hit.slug for hit in hits[:2]} == {"omeprazole", "warfarin"}, [h.slug for h in hits]


@pytest.mark.parametrize(
    ("query", "locale", "slug", "said"),
    [
        # atorvastatin's 고콜레스테롤혈증 came first
        ("고칼륨혈증", "ko", "losartan", "고칼륨혈증"),
        ("칼륨혈증", "ko", "losartan", "칼륨"),
        ("저나트륨혈증", "ko", "sertraline", "저나트륨혈증"),
        ("저마그네슘혈증", "ko", "omeprazole", "저마그네슘혈증"),
        # said without 혈증: a prefixed word no article says (its opening came, by meaning)
        ("저나트륨", "ko", "sertraline", "저나트륨혈증"),
        ("고칼륨", "ko", "losartan", "고칼륨혈증"),
        # by meaning alone, and its opening, before
        ("hyperkalemia", "ko", "losartan", "고칼륨혈증"),
        ("hyponatremia", "en", "sertraline", "low</mark> <mark>blood</mark> <mark>sodium"),
        ("마그네슘이 낮아요", "en", "omeprazole", "low</mark> <mark>magnesium"),
    ],
)
def test_too_much_or_too_little_in_the_blood_is_that_condition(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str, slug: str, said: str
) -> None:
    """Kiwi read 고칼륨혈증 as 칼륨 + 혈증 (-emia), and 혈증 alone matched every such condition:
    atorvastatin, whose uses say 고콜레스테롤혈증, came first for high potassium, low sodium
    and low magnesium, which the article listing them only says among its side effects."""
    hits = kb.search(bundled_index, query, locale).hits
    assert hits and hits[0].slug == slug, [hit.slug for hit in hits]
    assert f"<mark>{said}</mark>" in hits[0].snippet
    assert "atorvastatin" not in {hit.slug for hit in hits}


@pytest.mark.parametrize("query", ["헛구역질", "헛구역질이 나요"])
def test_a_prefixed_word_no_article_says_is_searched_as_its_noun(
    bundled_index: kb.KnowledgeIndex, query: str
) -> None:
    """헛구역질 (dry heaving) is read 헛 + 구역, and no article says it: 구역 (nausea) and its
    glossary line stand in, so the articles listing nausea come, in either language, as for
    구역질; read as its own word only, it found nothing."""
    hits = kb.search(bundled_index, query, "ko").hits
    as_noun = kb.search(bundled_index, query.removeprefix("헛"), "ko").hits
    assert len(hits) == len(as_noun) >= 5
    assert len({hit.slug for hit in hits[:5]} & {hit.slug for hit in as_noun[:5]}) >= 4
    assert "<mark>nausea</mark>" in hits[0].snippet  # diphenhydramine, in English only


@pytest.mark.parametrize(
    ("query", "need"),
    [
        ("방귀가 자주 나와요", "가스"),  # omeprazole's "위산이 지나치게 많이 나오는" came first
        ("기침이 나와요", "기침"),  # bisacodyl's "변이 나오지 않거나" second
        ("콧물이 나와요", "콧물"),  # famotidine's "위산이 덜 나오게" third
        ("땀이 많이 나와요", "땀"),  # levothyroxine's "정제 등 여러 함량으로 나와 있습니다" first
        ("트림이 자주 나와요", "신트림"),  # zolpidem's "서방정 등으로 나와 있습니다" first
        ("땀이 많아요", "땀"),  # levothyroxine's "용량이 지나치게 많다는" first
        ("가래가 많아요", "가래"),  # acetaminophen's "많은 약에 들어 있어" second
        ("멍이 많아요", "멍"),  # levothyroxine's "경우가 많습니다" second
    ],
)
def test_coming_out_and_being_many_frame_the_need(
    bundled_index: kb.KnowledgeIndex, query: str, need: str
) -> None:
    """나오다 (to come out) says a need's noun happens, as 나다 does (`코피가 나요`), and 많다
    (many, much) how much of it there is, as 심하다 how bad; alone the one is how every article
    says what a medicine comes as (정제로 나와 있습니다), the other said of anything."""
    hits = kb.search(bundled_index, query, "ko").hits
    assert hits and re.search(f"<mark>[^<]*{need}", hits[0].snippet), [h.slug for h in hits]
    for hit in hits:  # none is listed for saying them alone
        marked = re.findall("<mark>([^<]*)</mark>", hit.snippet)
        assert [word for word in marked if not word.startswith(("나오", "나와", "많"))], hit.slug


@pytest.mark.parametrize("query", ["열이 안 떨어져요", "해열제 먹어도 열이 안 떨어져요"])
def test_a_fever_that_will_not_go_down_is_a_fever(
    bundled_index: kb.KnowledgeIndex, query: str
) -> None:
    """A fever that stays is what the fever reducers treat: atorvastatin's "콜레스테롤 수치는 …
    떨어지기 시작해" (cholesterol starts to fall) had come first by 떨어지다."""
    hits = kb.search(bundled_index, query, "ko").hits
    assert {hit.slug for hit in hits[:3]} <= {"acetaminophen", "ibuprofen", "aspirin", "geworin"}
    assert "atorvastatin" not in [hit.slug for hit in hits[:4]]


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("잠이 너무 많아요", "졸"),  # geworin's, dextromethorphan's, levothyroxine's 많 came first
        ("식욕이 없어요", "식욕</mark> <mark>저하"),  # atorvastatin's "이유 없는" first
        ("발목을 접질렸어요", "삐"),  # amlodipine's "발목이나 발의 부종" first
    ],
)
def test_everyday_korean_for_a_symptom_finds_the_lines_naming_it(
    bundled_index: kb.KnowledgeIndex, query: str, said: str
) -> None:
    """The glossary says these as readers do (잠이 많음, 식욕이 없음, 접질림): by their words
    alone they found lines sharing one, or a word said of anything (없다, 많다)."""
    hits = kb.search(bundled_index, query, "ko").hits
    assert hits and f"<mark>{said}" in hits[0].snippet, [h.slug for h in hits]


@pytest.mark.parametrize(
    ("query", "locale"),
    [
        ("알약 반으로 잘라도 되나요", "ko"),  # every article's list of strengths, 정제 and 캡슐
        ("반으로 잘라 먹어도 돼요", "ko"),  # every article's 먹
        ("can i cut it in half", "en"),  # warfarin's "cuts that bleed longer"
    ],
)
def test_cutting_a_pill_in_half_finds_the_lines_on_splitting_it(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str
) -> None:
    """Cutting a tablet in half is the crushing line's (반으로 자름, `cut in half`): the two
    articles that say to swallow theirs whole, and only them."""
    hits = kb.search(bundled_index, query, locale).hits
    assert {hit.slug for hit in hits} == {"omeprazole", "bisacodyl"}, [h.slug for h in hits]


def test_water_retention_is_swelling_not_water(bundled_index: kb.KnowledgeIndex) -> None:
    """`water retention` listed amoxicillin's powder "mixed with water" and bisacodyl's
    "drinking enough water" first: it is the edema line's, and ibuprofen's "fluid retention"."""
    hits = kb.search(bundled_index, "water retention", "en").hits
    assert "<mark>fluid</mark> <mark>retention</mark>" in hits[0].snippet, hits[0].slug
    assert not [hit.slug for hit in hits if "<mark>water</mark>" in hit.snippet]


def test_a_light_verb_does_not_match_every_article(bundled_index: kb.KnowledgeIndex) -> None:
    """`코피가 나요` (a nosebleed): 나 (to occur) had listed articles that say no nosebleed."""
    for mode in ("lexical", "hybrid"):
        hits = kb.search(bundled_index, "코피가 나요", "ko", mode=mode).hits
        assert hits and all("코피" in hit.snippet for hit in hits), [h.slug for h in hits]


@pytest.mark.parametrize(
    ("query", "locale", "wanted"),
    [
        # omeprazole had come first by "makes" ("the acid the stomach makes")
        ("medicine that makes you drowsy", "en", {"diphenhydramine", "cetirizine"}),
        ("pill that makes you sleepy", "en", {"diphenhydramine", "cetirizine"}),
        # amoxicillin had come first by 종류 ("types of antibiotic")
        ("우울증 약물의 종류", "ko", {"sertraline"}),
        ("알레르기약종류", "ko", {"cetirizine"}),
        ("진통제 종류", "ko", {"acetaminophen", "ibuprofen", "aspirin", "geworin"}),
        ("kinds of painkillers", "en", {"acetaminophen", "ibuprofen", "aspirin"}),
        # dextromethorphan had come first by its "short-term relief of a cough"
        ("pain relief for kidney disease", "en", {"acetaminophen", "ibuprofen", "aspirin"}),
        # metformin and dextromethorphan had come first by "helps" ("helps the body respond")
        ("what helps with nausea", "en", {"diphenhydramine"}),
        # warfarin (a headache among its side effects) had come second: 추천 no article has
        # had lowered every match's coverage alike
        ("두통약 추천", "ko", {"geworin", "acetaminophen", "ibuprofen", "aspirin"}),
    ],
)
def test_words_that_frame_the_question_do_not_outweigh_the_need(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str, wanted: set[str]
) -> None:
    """`makes you`, `types of`, 종류, `helps`, 추천 ask about the need and name none: an article
    that only says them is no answer, and the ones that say the need come first by words; with
    meaning fused, one close by meaning may come among them (`두통약 추천`: pseudoephedrine,
    whose precautions speak of cold medicines, fourth, ibuprofen fifth)."""
    for mode in ("lexical", "hybrid"):
        page = kb.search(bundled_index, query, locale, mode=mode)
        found = [hit.slug for hit in page.hits]
        assert found[0] in wanted, (mode, found[:5])
        assert "omeprazole" not in found[:2] and "amoxicillin" not in found[:2], (mode, found)
        if mode == "lexical":
            assert set(found[: len(wanted)]) <= wanted, found
        else:
            assert wanted <= set(found[: len(wanted) + 1]), found
        assert page.missing == (), (mode, page.missing)


def test_aching_muscles_said_in_everyday_korean_find_what_treats_them(
    bundled_index: kb.KnowledgeIndex,
) -> None:
    """`근육이 쑤셔요` (my muscles ache) put atorvastatin first, which lists muscle pain among its
    side effects: the glossary's muscle-pain line now says 근육이 쑤심 too."""
    for mode in ("lexical", "hybrid"):
        found = [
            hit.slug for hit in kb.search(bundled_index, "근육이 쑤셔요", "ko", mode=mode).hits
        ]
        assert found[0] in {"ibuprofen", "acetaminophen", "aspirin", "geworin"}, (mode, found)


PAINKILLERS = {"acetaminophen", "ibuprofen", "aspirin", "geworin"}


@pytest.mark.parametrize(
    ("query", "locale"),
    [
        # period pain said as it is felt: sertraline (its premenstrual disorder says 생리) had
        # come first, by words
        ("생리할 때 배가 아파요", "ko"),
        ("생리 때 배가 아파요", "ko"),
        # a back strained: amoxicillin had come first ("throw" and "back" somewhere in it),
        # and 삐끗 matched no article, so the painkillers that say backache were not listed
        ("threw out my back", "en"),
        ("허리를 삐끗했어요", "ko"),
        # the upper back: 등 in the articles is "and so on", so omeprazole's 명치가 아프고 came
        # first, and 등이 결려요 listed openings that say "등에 쓰는"
        ("등이 아파요", "ko"),
        ("등이 결려요", "ko"),
    ],
)
def test_a_pain_said_as_it_is_felt_finds_the_painkillers_first(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str
) -> None:
    """The glossary's period-pain and back-pain lines hold the ways readers say them."""
    for mode in ("lexical", "hybrid"):
        found = [hit.slug for hit in kb.search(bundled_index, query, locale, mode=mode).hits]
        assert set(found[:2]) <= PAINKILLERS, (mode, found[:5])


def test_an_article_that_says_only_medicine_is_no_match_beside_those_that_say_the_need(
    make_index,
) -> None:
    """`flu medicine` listed 19 of the 20 bundled articles, all but four for saying only
    "medicine": every article is one. Beside articles that say the need, one that says only
    the medicine word is left out; so is it when none says the need (`acne medicine` listed
    every article, in the order they say "medicine", under "no article has acne")."""
    index = make_index(
        {
            ("flu", "en"): ("Oseltamivir", "An antiviral medicine taken within two days of flu."),
            ("gout", "en"): ("Colchicine", "A medicine for attacks of gout in the big toe."),
            ("hay", "en"): ("Loratadine", "An allergy medicine for sneezing and itchy eyes."),
        }
    )
    page = kb.search(index, "flu medicine", "en", mode="lexical")
    assert [hit.slug for hit in page.hits] == ["flu"]
    assert page.total == 1 and page.missing == ()
    nothing_says_it = kb.search(index, "acne medicine", "en", mode="lexical")
    assert nothing_says_it.total == 0 and nothing_says_it.hits == []


@pytest.mark.parametrize(
    ("query", "need", "locale"),
    [
        ("flu medicine", "flu", "en"),
        ("headache pill", "headache", "en"),
        ("cold medicine", "cold", "en"),
        ("두통 약", "두통", "ko"),
        ("기침할 때 먹는 약", "기침", "ko"),
        ("기침 멈추는 약", "기침", "ko"),  # 멈추다 frames the need too: zolpidem's 복용을 멈추고
        ("medicine that makes you drowsy", "drowsy", "en"),
    ],
)
def test_a_medicine_word_beside_a_need_lists_no_article_the_need_alone_does_not(
    bundled_index: kb.KnowledgeIndex, query: str, need: str, locale: str
) -> None:
    everything = {path.name for path in BUNDLED_CONTENT.iterdir() if path.is_dir()}
    found = by_words(bundled_index, query, locale)
    assert found <= by_words(bundled_index, need, locale) < everything


def by_words(index: kb.KnowledgeIndex, text: str, locale: str) -> set[str]:
    """Every article ``text`` finds by its words."""
    return {hit.slug for hit in kb.search(index, text, locale, mode="lexical", per_page=50).hits}


def test_a_word_nearly_every_article_says_does_not_make_a_match_beside_a_rarer_one(
    make_index,
) -> None:
    """`가바펜틴 부작용` listed all 20 bundled articles: every article has side effects. Beside a
    word fewer articles say, one that matches only such a word is no match; alone, it still
    lists them all."""
    index = make_index(
        {
            ("gaba", "en"): ("Gabapentin", "It eases nerve pain.\n\n## Side effects\n\nDizziness."),
            ("pre", "en"): ("Pregabalin", "Close to gabapentin.\n\n## Side effects\n\nSleepiness."),
            ("asp", "en"): ("Aspirin", "It eases pain.\n\n## Side effects\n\nStomach upset."),
            ("ibu", "en"): ("Ibuprofen", "It eases swelling.\n\n## Side effects\n\nHeartburn."),
        }
    )

    def found(query: str) -> list[str]:
        return [hit.slug for hit in kb.search(index, query, "en", mode="lexical").hits]

    assert found("gabapentin side effects") == ["gaba", "pre"]
    assert sorted(found("side effects")) == ["asp", "gaba", "ibu", "pre"]
    assert sorted(found("pain side effects")) == ["asp", "gaba"]


@pytest.mark.parametrize(
    ("query", "name", "locale"),
    [
        ("가바펜틴 부작용", "가바펜틴", "ko"),
        ("gabapentin side effects", "gabapentin", "en"),
        ("타이레놀 주의사항", "타이레놀", "ko"),
        ("tylenol precautions", "tylenol", "en"),
        ("게보린 효능", "게보린", "ko"),
        ("warfarin uses", "warfarin", "en"),
    ],
)
def test_a_medicine_named_with_a_section_word_lists_only_the_articles_naming_it(
    bundled_index: kb.KnowledgeIndex, query: str, name: str, locale: str
) -> None:
    assert by_words(bundled_index, query, locale) <= by_words(bundled_index, name, locale)


def test_a_word_many_but_not_nearly_all_articles_say_still_makes_a_match(
    bundled_index: kb.KnowledgeIndex,
) -> None:
    """간 (the liver) is in 14 of the 20 articles: `간 수치` (liver test results) still lists
    acetaminophen, whose article warns of liver damage, beside those that say 수치 (atorvastatin,
    losartan)."""
    assert {"acetaminophen", "atorvastatin", "losartan"} <= by_words(bundled_index, "간 수치", "ko")


@pytest.mark.parametrize(
    ("query", "locale", "aside_only"),
    [
        ("두근거림 약", "ko", ("두근거림",)),  # pseudoephedrine and others list it as a side effect
        ("palpitations medicine", "en", ("palpitations",)),
        ("hair loss", "en", ("hair loss",)),  # one need, not two words
        ("여드름 입 마름", "ko", ("입 마름",)),  # 여드름 is missing: no article has it at all
        # before 약 Kiwi reads 마름 as a noun, not 마르다: the glossary's 입 마름 went unseen
        # and dextromethorphan's 마른기침 (a dry cough) came first, as a treatment
        ("입 마름 약", "ko", ("입 마름",)),
        ("두통", "ko", ()),  # the painkillers treat it
        ("asthma", "en", ()),  # prednisolone treats its flare-ups
        ("losartan 코막힘", "ko", ()),  # the reader asks about losartan
        ("두근거림 부작용", "ko", ()),  # the reader asks which medicines cause it
        ("코막힘 약", "ko", ()),  # pseudoephedrine treats it (losartan lists it as a side effect)
        ("constipation medicine", "en", ()),  # bisacodyl treats it
        ("여드름 두통", "ko", ()),  # no article says 여드름 anywhere: named missing instead
        # who takes a medicine, or what they do meanwhile, is asked about, not to be treated
        ("can I drink alcohol", "en", ()),
        ("술", "ko", ()),
        ("safe while breastfeeding", "en", ()),
        ("수유 중 먹어도 되는 약", "ko", ()),
        ("운전", "ko", ()),
        ("자몽 주스 약", "ko", ()),  # atorvastatin's grapefruit warning
        ("커피 같이", "ko", ()),  # 게보린's caffeine, and "coffee grounds" among side effects
        # how a medicine is taken is no need a medicine treats
        ("missed dose", "en", ()),
        ("복용을 잊었을 때", "ko", ()),
        ("약 먹는 것을 잊었어요", "ko", ()),
        ("임신 중 입 마름 약", "ko", ("입 마름",)),  # ... while the need beside it is still named
        ("dry mouth while pregnant", "en", ("dry mouth",)),
        # named as a need, not as typed: no particle, no verb ending (the English side reads
        # the whole word 설사할, the Korean side its noun)
        ("피로할 때 먹는 약", "ko", ("피로",)),
        ("탈모가 심할 때", "ko", ("탈모",)),
        ("두근거림이 심할 때", "ko", ("두근거림",)),  # a verb made a noun, its particle off
        ("손떨림이 심할 때", "ko", ("손떨림",)),
    ],
)
def test_a_need_only_side_effects_mention_is_named(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str, aside_only: tuple[str, ...]
) -> None:
    """A reader who names a need and finds only articles listing it among their side effects
    or precautions must not take them for treatments."""
    assert kb.search(bundled_index, query, locale).aside_only == aside_only


@pytest.mark.parametrize(
    ("query", "locale", "slug"),
    [
        ("설사약", "ko", "loperamide"),
        ("설사가 멈추지 않아요", "ko", "loperamide"),
        ("지사제", "ko", "loperamide"),
        ("diarrhea medicine", "en", "loperamide"),
        ("how to stop diarrhea", "en", "loperamide"),
        ("코막힘 약", "ko", "pseudoephedrine"),
        ("코가 꽉 막혔어요", "ko", "pseudoephedrine"),
        ("stuffy nose", "en", "pseudoephedrine"),
        ("decongestant", "en", "pseudoephedrine"),
        ("변비약", "ko", "bisacodyl"),
        ("변비", "ko", "bisacodyl"),
        ("constipation", "en", "bisacodyl"),
        ("laxative", "en", "bisacodyl"),
        # everyday words for them, through the glossary
        ("변이 안 나와요", "ko", "bisacodyl"),
        ("can't poop", "en", "bisacodyl"),
        ("물똥", "ko", "loperamide"),
        ("the runs", "en", "loperamide"),
        ("배탈 났을 때", "ko", "omeprazole"),  # an upset stomach: it found nothing
    ],
)
def test_a_common_need_finds_the_medicine_for_it_before_those_it_is_a_side_effect_of(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str, slug: str
) -> None:
    """Diarrhea, a stuffy nose and constipation were only side effects of the bundled articles
    (`설사약` put omeprazole first, `stuffy nose` losartan): the articles that treat them come
    first, their snippet on what they treat, and no notice says nothing does."""
    for mode in ("lexical", "hybrid"):
        page = kb.search(bundled_index, query, locale, mode=mode)
        first = page.hits[0]
        assert (first.slug, page.aside_only) == (slug, ()), (mode, [h.slug for h in page.hits])
        assert "<mark>" in first.snippet and not first.by_meaning


def test_a_bowel_that_moves_well_is_no_constipation(bundled_index: kb.KnowledgeIndex) -> None:
    """The glossary's `변이 안 나옴` is negated: only a negated query reaches its line."""
    assert kb.search(bundled_index, "변이 잘 나와요", "ko").hits[0].slug != "bisacodyl"


def test_a_need_no_article_names_is_left_to_meaning(bundled_index: kb.KnowledgeIndex) -> None:
    """`gastritis medicine` listed all 18 English articles for saying "medicine", when no
    article said gastritis; `acne medicine` is left to meaning alone, which lists few."""
    words = kb.search(bundled_index, "여드름 약", "ko", mode="lexical")
    assert words.total == 0
    page = kb.search(bundled_index, "acne medicine", "en")
    assert page.meaning_only and page.missing == ("acne",)
    assert page.total <= 5


@pytest.mark.parametrize(
    ("query", "locale"),
    [("위염", "ko"), ("위염 약", "ko"), ("위염에 먹는 약", "ko"), ("gastritis", "en"),
     ("gastritis medicine", "en"), ("가스터", "ko"), ("pepcid", "en"), ("H2 blocker", "en")],
)  # fmt: skip
def test_gastritis_finds_the_medicine_for_it(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str
) -> None:
    """No article treated gastritis (위염 was offered as a typo of 위암, stomach cancer, and
    meaning put the antibiotic first): famotidine does, in both languages."""
    page = kb.search(bundled_index, query, locale)
    assert page.hits[0].slug == "famotidine" and not page.missing, page.hits[0].slug


@pytest.mark.parametrize(
    ("query", "locale"), [("위염 두통", "ko"), ("위염이 있을 때 두통약", "ko"),
                          ("headache pill with gastritis", "en")]
)  # fmt: skip
def test_gastritis_beside_a_need_is_a_condition_not_the_need(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str
) -> None:
    """A headache pill for someone with gastritis is a painkiller: famotidine, which treats
    gastritis and lists headache among its side effects, had come first."""
    first = kb.search(bundled_index, query, locale).hits[0].slug
    assert first in {"acetaminophen", "ibuprofen", "geworin", "aspirin"}, first


def test_a_framing_word_alone_beside_medicine_asks_for_any(
    bundled_index: kb.KnowledgeIndex,
) -> None:
    """`약 추천` (recommend a medicine) names no need: it lists what `약` does. The English side
    read 추천 as a word of the need no article has, and found nothing."""
    for mode in ("lexical", "hybrid"):
        asked = kb.search(bundled_index, "약 추천", "ko", mode=mode)
        assert asked.total == kb.search(bundled_index, "약", "ko", mode=mode).total > 10
        assert asked.missing == ()


@pytest.mark.parametrize(
    ("query", "first", "not_top"),
    [
        ("is ibuprofen safe", "ibuprofen", None),
        ("is it safe to take zolpidem every night", "zolpidem", None),
        # dextromethorphan came second, for the "pain relievers" in its combination products
        ("safe painkiller for pregnancy", "acetaminophen", "dextromethorphan"),
    ],
)
def test_asking_whether_a_medicine_is_safe_names_no_missing_word(
    bundled_index: kb.KnowledgeIndex, query: str, first: str, not_top: str | None
) -> None:
    """`safe` asks about the need, as `help` and `best` do, and no article says it: it was named
    missing, and every match covered a third of the query or less."""
    page = kb.search(bundled_index, query, "en", mode="lexical")
    assert not page.missing
    assert page.hits[0].slug == first
    assert not_top not in {h.slug for h in page.hits[:3]}


@pytest.mark.parametrize(
    ("query", "locale", "line"),
    [
        ("missed dose", "en", "<mark>Missed</mark> <mark>dose</mark>"),
        ("i forgot to take my medicine", "en", "<mark>Missed</mark> <mark>dose</mark>"),
        ("약 먹는 것을 잊었어요", "ko", "<mark>복용</mark>을 <mark>잊</mark>었을 때"),
        ("복용을 잊었을 때", "ko", "<mark>복용</mark>을 <mark>잊</mark>었을 때"),
    ],
)
def test_a_missed_dose_finds_what_each_article_says_to_do(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str, line: str
) -> None:
    """No article said what to do after a missed dose but warfarin ("never double up"), and
    `missed dose` listed levothyroxine first for "the missing hormone". Every article that
    says it now is listed first, its snippet on the advice."""
    heading = "**Missed dose**" if locale == "en" else "**복용을 잊었을 때**"
    doubling = "missed dose" if locale == "en" else "빠뜨렸다고"  # warfarin's
    texts = {path.parent.name: path.read_text(encoding="utf-8")
             for path in BUNDLED_CONTENT.glob(f"*/{locale}.md")}  # fmt: skip
    advised = {slug for slug, text in texts.items() if heading in text}
    saying = advised | {slug for slug, text in texts.items() if doubling in text}
    hits = kb.search(bundled_index, query, locale, per_page=50).hits
    assert len(advised) >= 10 and {hit.slug for hit in hits[: len(saying)]} == saying
    assert all(line in hit.snippet for hit in hits[: len(saying)] if hit.slug in advised)


@pytest.mark.parametrize(
    ("query", "locale", "slug", "line"),
    [
        (
            "levothyroxine missed dose",
            "en",
            "levothyroxine",
            "<mark>Missed</mark> <mark>dose</mark>",
        ),
        # every Korean title says 복용: it had counted as the need shown, and the name won
        (
            "레보티록신 복용을 잊었어요",
            "ko",
            "levothyroxine",
            "<mark>복용</mark>을 <mark>잊</mark>었을",
        ),
        ("what if i miss a dose of metformin", "en", "metformin", "skip it"),
    ],
)
def test_a_missed_dose_of_a_named_medicine_shows_its_advice(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str, slug: str, line: str
) -> None:
    hit = kb.search(bundled_index, query, locale).hits[0]
    assert hit.slug == slug and line in hit.snippet


def test_medicines_not_to_take_together_show_their_interactions(
    bundled_index: kb.KnowledgeIndex,
) -> None:
    """`같이 먹으면 안 되는 약` listed bisacodyl, sertraline and geworin first, each by a 먹 of
    its own; `drug interactions` in Korean showed openings. The interactions line (상호작용,
    the Korean label 함께 먹는 약) joins them, and each result shows it."""
    for query, locale, said in (
        ("같이 먹으면 안 되는 약", "ko", "<mark>함께</mark> <mark>먹</mark>는 <mark>약</mark>"),
        ("같이 먹으면 안 되는 약", "en", "<mark>Interactions</mark>"),
        ("drug interactions", "ko", "<mark>함께</mark> <mark>먹</mark>는 <mark>약</mark>"),
    ):
        hits = kb.search(bundled_index, query, locale).hits[:3]
        assert len(hits) == 3 and all(said in hit.snippet for hit in hits), (query, locale, hits)


def test_a_drink_taken_together_finds_what_says_the_drink(
    bundled_index: kb.KnowledgeIndex,
) -> None:
    """With `같이` read, `커피랑 같이 먹어도 돼요` put aspirin first: its 커피찌꺼기 (what vomited
    blood looks like, kept whole by the user dictionary) began with the 커피 asked, and every
    article says 함께 먹. A query word that begins a lexicalized compound is no part of it."""
    for mode in ("lexical", "hybrid"):
        hits = kb.search(bundled_index, "커피랑 같이 먹어도 돼요", "ko", mode=mode).hits
        found = [hit.slug for hit in hits]
        assert set(found[:3]) == {"geworin", "pseudoephedrine", "levothyroxine"}, (mode, found)
        assert "aspirin" not in found[:3] and "ibuprofen" not in found[:3], (mode, found)


#: The fifty-fourth session's everyday phrasings, each with what had come first: by words and
#: meaning (the default) one that says it comes first; by words alone one is among the first
#: three (`bleeding won't stop`: aspirin's bleeding, then "Stop taking", in one phrase; `can't
#: pee`: losartan's protein in the urine, by the glossary's pee ↔ urine).
EVERYDAY_54 = [
    # famotidine's "피가 나는 병변" (a bleeding stomach lining) had come first: the line
    # for bleeding that does not stop said 피가 오래 남, which reads as 피가 남
    ("피가 잘 안 멈춰요", "ko", {"warfarin"}, {"famotidine"}),
    ("bleeding won't stop", "en", {"warfarin"}, {"famotidine"}),
    # atorvastatin's "좋은 콜레스테롤" had come second
    (
        "신장이 안 좋아요",
        "ko",
        {"losartan", "metformin", "prednisolone", "gabapentin"},
        {"atorvastatin"},
    ),
    # no glossary line said it: bisacodyl and atorvastatin, by their openings
    ("can't pee", "en", {"cetirizine", "pseudoephedrine", "diphenhydramine"}, {"bisacodyl"}),
    # famotidine's swollen stomach lining and acetaminophen's "(swelling)" had come first
    (
        "얼굴이 부었어요",
        "ko",
        {"zolpidem", "cetirizine", "losartan", "ibuprofen"},
        {"famotidine", "acetaminophen"},
    ),
    (
        "swelling face",
        "en",
        {"losartan", "zolpidem", "pregabalin", "cetirizine", "amlodipine"},
        {"famotidine", "acetaminophen"},
    ),
    # warfarin and aspirin (심장 alone) had come before the palpitations
    (
        "심장이 두근거려요",
        "ko",
        {"amlodipine", "levothyroxine", "pseudoephedrine"},
        {"warfarin", "aspirin"},
    ),
    # gabapentin's 하지불안 (restless legs) had come second for anxiety
    ("불안해요", "ko", {"sertraline", "pregabalin"}, {"gabapentin"}),
    # zolpidem's "going to bed" had come first; the ER is where emergency help is
    (
        "when to go to the ER",
        "en",
        {
            "diphenhydramine",
            "zolpidem",
            "ibuprofen",
            "amlodipine",
            "loperamide",
            "losartan",
            "cetirizine",
        },
        set(),
    ),
    ("sneezing all the time", "en", {"diphenhydramine", "cetirizine"}, {"dextromethorphan"}),
]
#: The fifty-fifth session's, where one that says it comes first by words alone too.
EVERYDAY_55 = [
    # dextromethorphan's "brings up a lot of phlegm" had come first: "a lot" says how much
    ("sweating a lot", "en", {"sertraline", "levothyroxine", "metformin"}, set()),
    # gabapentin's and pregabalin's "swelling of the hands" had come first and second
    (
        "my hands are shaking",
        "en",
        {"levothyroxine", "sertraline", "metformin", "omeprazole"},
        {"gabapentin", "pregabalin"},
    ),
    # losartan's "high blood pressure" had come first
    ("blood in urine", "en", {"omeprazole", "warfarin"}, {"amlodipine"}),
    # geworin's "목 아픔" (a sore throat) and omeprazole's 명치가 아프고 had come first
    (
        "관절이 아파요",
        "ko",
        {"prednisolone", "ibuprofen", "acetaminophen", "aspirin", "geworin"},
        {"omeprazole", "pregabalin"},
    ),
    # prednisolone's "기분 변화" came first, then dextromethorphan's 가라앉히는 (calms a cough)
    ("기분이 가라앉아요", "ko", {"sertraline"}, {"dextromethorphan", "acetaminophen"}),
    # loperamide's "(two 2 mg doses)" had come first: "never take two doses at once" answers
    (
        "i took two doses by mistake",
        "en",
        {
            *("amlodipine", "amoxicillin", "atorvastatin", "famotidine", "gabapentin"),
            *("levothyroxine", "losartan", "prednisolone", "pregabalin", "sertraline"),
        },
        {"loperamide"},
    ),
]


@pytest.mark.parametrize(
    ("query", "locale", "wanted", "unwanted", "first_by_words"),
    [(*case, False) for case in EVERYDAY_54] + [(*case, True) for case in EVERYDAY_55],
)
def test_everyday_complaints_find_the_lines_that_say_them(
    bundled_index: kb.KnowledgeIndex,
    query: str,
    locale: str,
    wanted: set[str],
    unwanted: set[str],
    first_by_words: bool,
) -> None:
    """By words and meaning an article that says the complaint comes first (by words alone too
    where ``first_by_words``, else among the first three), and none of ``unwanted`` among the
    first three."""
    for mode in ("lexical", "hybrid"):
        found = [hit.slug for hit in kb.search(bundled_index, query, locale, mode=mode).hits]
        first = mode == "hybrid" or first_by_words
        assert found and (found[0] in wanted or not first), (mode, found[:5])
        assert wanted & set(found[:3]) and not unwanted & set(found[:3]), (mode, found[:5])


@pytest.mark.parametrize(
    ("query", "locale"),
    [
        ("서서히 줄이는 방법", "ko"),
        ("천천히 줄여도 되나요", "ko"),
        ("약 서서히 끊는 법", "ko"),
        ("how to taper off", "en"),
        ("wean off", "en"),
        ("how to come off zolpidem", "en"),  # read as `come`: zolpidem's opening was shown
        ("coming off my medication", "en"),
    ],
)
def test_coming_off_a_medicine_finds_how_to_lower_the_dose(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str
) -> None:
    """`서서히 줄이는 방법` (how to lower it gradually) listed omeprazole's "위산의 양을
    줄입니다" (lowers stomach acid) second, every 줄이다 alike, and `how to taper off` found only
    zolpidem: 서서히 was never read, and no line joined tapering to "lower the dose gradually".
    Each of the first three now shows where its article says how to come off it."""
    hits = kb.search(bundled_index, query, locale).hits[:3]
    said = "<mark>서서히</mark>" if locale == "ko" else "<mark>gradually</mark>|<mark>tapering"
    assert len(hits) == 3 and all(re.search(said, hit.snippet) for hit in hits), [
        (h.slug, h.snippet[:60]) for h in hits
    ]


def test_the_er_shows_the_emergency_line(bundled_index: kb.KnowledgeIndex) -> None:
    """`when to go to the ER`: every result shows where its article says to get emergency help
    (응급실, 응급 진료, emergency help, emergency services), not "going to bed"."""
    for locale in ("en", "ko"):
        hits = kb.search(bundled_index, "when to go to the ER", locale).hits[:4]
        shown = [hit.snippet.lower() for hit in hits]
        assert hits and all("<mark>emergency</mark>" in s or "<mark>응급" in s for s in shown), [
            (h.slug, h.snippet[:80]) for h in hits
        ]


def test_taking_after_a_word_for_medicine_frames_the_need(bundled_index: kb.KnowledgeIndex) -> None:
    """`약 먹고 술` (alcohol after taking medicine) showed "하루 한 번 먹는 서방정" and "보통
    먹고 20~30분 뒤부터": 먹 after 약 weighed as the alcohol did, where in English each result
    showed its alcohol line. 먹 after 약 only says medicine, as before it (`먹는 약`) it does."""
    for query in ("약 먹고 술", "약 먹고 술 마셔도 되나요"):
        hits = kb.search(bundled_index, query, "ko").hits[:3]
        assert hits and all("<mark>술</mark>" in hit.snippet for hit in hits), [
            (h.slug, h.snippet[:60]) for h in hits
        ]


def test_taking_a_kind_of_medicine_frames_what_is_asked_of_it(
    bundled_index: kb.KnowledgeIndex,
) -> None:
    """`항생제 먹을 때 술` (alcohol while on antibiotics) showed amoxicillin's "다른 항생제 … 와
    함께 먹어" (taken with other antibiotics), not its alcohol line: taking the kind named is
    what the query asks about, as taking 약 is."""
    hits = kb.search(bundled_index, "항생제 먹을 때 술", "ko").hits
    assert hits[0].slug == "amoxicillin"
    assert "<mark>술</mark>" in hits[0].snippet, hits[0].snippet


@pytest.mark.parametrize(
    ("query", "locale", "marked", "first"),
    [
        ("땀이 많이 나요", "en", "sweat", 3),  # the English articles had shown their openings
        ("가스가 차요", "en", "gas", 3),
        ("해열제 번갈아 먹여도 되나요", "en", "alternating", 1),  # acetaminophen's advice on it
        ("위가 쓰려요", "en", "heartburn|stomach</mark> <mark>acid", 2),
        # the Korean articles had shown their openings: no line said breakfast or diet
        ("take before breakfast", "ko", "아침</mark> <mark>식사", 2),
        ("diet and exercise", "ko", "식사</mark> <mark>요법", 2),
        ("trouble falling asleep", "ko", "잠들|불면", 3),
    ],
)
def test_a_need_shows_the_other_languages_lines_that_say_it(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str, marked: str, first: int
) -> None:
    """A complaint read in the other language shows where the first articles of that language
    say it: no line of the glossary said sweat, gas, alternating doses, a stomach that burns
    (위가 쓰림), breakfast (아침 식사), diet (식사 요법) or trouble falling asleep, so they
    showed openings."""
    hits = kb.search(bundled_index, query, locale).hits[:first]
    theirs = [hit for hit in hits if hit.locale == locale]
    shown = [re.search(f"<mark>(?:{marked})", hit.snippet.lower()) for hit in theirs]
    assert theirs and all(shown), [(h.slug, h.snippet[:80]) for h in hits]


@pytest.mark.parametrize(
    ("query", "locale", "said"),
    [
        *[(query, "ko", "갑자기") for query in
          ["갑자기 끊으면", "갑자기 끊어도 되나요", "갑자기 중단하면",
           "갑자기 약을 끊으면 어떻게 돼요"]],
        *[(query, "en", "suddenly") for query in
          ["stopping suddenly", "can i stop taking it suddenly", "what if i suddenly stop",
           "stop abruptly", "quit cold turkey"]],
    ],
)  # fmt: skip
def test_stopping_suddenly_finds_the_advice_not_to(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str, said: str
) -> None:
    """`갑자기 끊으면` (if I stop it suddenly) listed loperamide first, by the 끊 of "약을
    시작하거나 끊거나 바꾸기 전에는" that every article says: 갑자기 was never read. The first
    results now show where an article says not to stop it suddenly, and why. (Read, 갑자기 was
    still recalled by its characters, so loperamide's "갑자기 시작된 설사" came first for `갑자기
    약을 끊으면`: an adverb read before its verb is no word to recall by its characters.) In
    English, loperamide "stops sudden diarrhea" came first: the same two stems."""
    hits = kb.search(bundled_index, query, locale).hits[:3]
    assert len(hits) == 3 and all(f"<mark>{said}</mark>" in hit.snippet for hit in hits), [
        (h.slug, h.snippet[:60]) for h in hits
    ]


@pytest.mark.parametrize(
    ("query", "first_two"),
    [
        ("불면증에 좋은 약", {"zolpidem", "diphenhydramine"}),  # diphenhydramine was fifth
        ("처방 없이 먹는 수면유도제", {"zolpidem", "diphenhydramine"}),  # not in the first five
        ("콧물이 줄줄", {"cetirizine", "diphenhydramine"}),  # atorvastatin's runny nose second
    ],
)
def test_korean_words_no_english_text_says_weigh_nothing_there(
    bundled_index: kb.KnowledgeIndex, query: str, first_two: set[str]
) -> None:
    """English analysis keeps a Hangul word whole; one the Korean side reads as no term (좋은,
    수, 없이, 자주) was the rarest word of the English side, which no English article could
    cover: diphenhydramine, whose article is English only, lost to any Korean match."""
    hits = kb.search(bundled_index, query, "ko").hits
    assert {hit.slug for hit in hits[:2]} == first_two, [hit.slug for hit in hits]


def test_without_a_prescription_is_searched_as_sold_over_the_counter(
    bundled_index: kb.KnowledgeIndex,
) -> None:
    """`처방 없이` read as 처방, which every prescription-only article says ("의사의 처방이
    있어야"): the glossary's line for what is sold without one now stands for it, so a
    medicine only a doctor prescribes no longer matches those words."""
    parsed = parse_query("처방 없이 살 수 있는 약", bundled_index.snapshot().glossary)
    korean = next(c for c in parsed.concepts["ko"] if parsed.text[c.start : c.end] == "처방")
    searched = {
        getattr(leaf, "text", None) or getattr(leaf, "words", None) for leaf in korean.direct
    }
    assert "처방" not in searched and ("일반", "의약품") in searched
    hits = kb.search(bundled_index, "처방 없이 살 수 있는 약", "ko").hits
    assert "zolpidem" not in {hit.slug for hit in hits}


@pytest.mark.parametrize("query", ["cold sweats", "cold sweat at night"])
def test_cold_sweats_are_sweating(bundled_index: kb.KnowledgeIndex, query: str) -> None:
    """`cold sweats` is one word to the analysis (not a cold), which no line held: the query
    found pseudoephedrine's opening alone, by meaning. The sweating line now holds it."""
    hits = kb.search(bundled_index, query, "en").hits
    sweating = {"sertraline", "levothyroxine", "metformin", "dextromethorphan"}
    assert hits and hits[0].slug in sweating and "sweating</mark>" in hits[0].snippet


def test_an_ulcer_is_not_ulcerative_colitis(bundled_index: kb.KnowledgeIndex) -> None:
    """Porter2 stems ulcerative as ulcer: `ulcer` listed prednisolone third for "flare-ups of
    ulcerative colitis" (it treats the bowel disease, and causes stomach ulcers), before
    ibuprofen and aspirin, whose ulcers are side effects like its own."""
    hits = kb.search(bundled_index, "ulcer", "en").hits
    assert {hit.slug for hit in hits[:3]} == {"omeprazole", "famotidine", "amoxicillin"}
    assert not any("<mark>ulcerative" in hit.snippet for hit in hits)


@pytest.mark.parametrize(
    ("query", "locale"),
    [
        ("약 먹고 잠이 안 와요", "ko"),
        ("약 먹은 뒤로 잠이 안 와요", "ko"),
        ("can't sleep after taking medicine", "en"),
        ("trouble sleeping since starting my pills", "en"),
    ],
)
def test_a_symptom_after_taking_a_medicine_asks_which_medicines_cause_it(
    bundled_index, query: str, locale: str
) -> None:
    """Read as a need, `약 먹고 잠이 안 와요` (I can't sleep since taking a medicine) listed
    zolpidem, which treats insomnia, first: the articles that list insomnia among their side
    effects come first, as for `불면증 부작용`."""
    causing = [hit.slug for hit in kb.search(bundled_index, "불면증 부작용", "ko").hits[:5]]
    found = [hit.slug for hit in kb.search(bundled_index, query, locale).hits]
    assert found[0] in causing and "zolpidem" not in found[:3], found[:5]
