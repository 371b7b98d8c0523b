"""The Korean must-match / must-not-match table, run through a real index and the real search.

Each document text becomes its own article; a pair passes when searching the query finds (or does
not find) that article. This is the contract readers feel: particles, endings, compounds, spacing
and units must not stand between a query and its article — and near-words must not match.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import kb
from kb.analysis.korean import readings
from tests.conftest import article_text, write_article

MUST_MATCH: list[tuple[str, str]] = [
    # particles and endings dropped
    ("효능", "가바펜틴의 효능은 다음과 같습니다."),
    ("가바펜틴", "가바펜틴의 용량을 지키세요."),
    ("가바펜틴의 효능", "가바펜틴은 효능이 입증된 약입니다."),
    ("부작용", "흔한 부작용으로는 졸음이 있습니다."),
    ("부작용이", "부작용을 줄이는 방법"),
    ("졸음", "졸음과 어지러움이 나타날 수 있습니다."),
    ("어지러움", "어지러움을 느끼면 운전하지 마세요."),
    ("어지러움", "어지러운 느낌이 들 수 있습니다."),
    ("주의사항", "복용 전 주의사항을 확인하세요."),
    ("주의", "복용 전 주의사항을 확인하세요."),
    ("뇌전증", "뇌전증(간질) 발작을 줄여 줍니다."),
    ("간질", "뇌전증(간질) 발작을 줄여 줍니다."),
    ("발작", "부분 발작에 보조적으로 씁니다."),
    ("통증", "신경병증성 통증을 완화합니다."),
    # words Kiwi read otherwise inside some sentences, though alone as themselves
    ("설사", "흔한 부작용: 메스꺼움, 구토\n설사\n드물지만 심각한 부작용"),  # the adverb "even if"
    ("임신", "복용 시 주의사항\n임신: 이 약은 태아에게 해롭습니다."),  # 임 + 신
    ("불면", "흔한 부작용: 요로감염\n불면\n드물지만 심각한 부작용"),  # 불
    ("정제", "씹어 먹는 정제와 시럽이 있습니다."),  # 정 + 제
    ("고혈압", "심장 질환, 고혈압, 신장 질환이 있으면 의사와 상의하세요."),  # 고 + 혈압
    ("가려움", "흔한 부작용: 발진, 가려움\n드물지만 심각한 부작용"),  # 가려움, as 가렵 alone
    ("가려움", "코와 목의 가려움, 눈 가려움과 눈물을 줄여 줍니다."),  # 가렵 + -ㅁ here
    ("빈속", "하루 3회까지 빈속을 피해 복용하세요."),  # 비 + 속
    ("혈중", "타크로리무스의 혈중 농도를 높일 수 있습니다."),  # 혈 + 중
    ("입안", "열, 목 아픔, 입안이 헒, 멍이나 출혈이 잘 생김"),  # 입 + 안 ("not")
    ("붓기", "관절염 등 염증으로 인한 통증과 붓기를 줄여 줍니다."),  # 붓 (a brush) + 기
    # verbs and adjectives by lemma
    ("완화", "증상을 완화하는 약입니다."),
    ("완화하는", "증상을 완화합니다."),
    ("완화합니다", "통증 완화에 도움이 됩니다."),
    ("붓다", "다리가 부었다."),
    ("부었어요", "얼굴이 붓는 부작용"),
    ("줄이다", "통증을 줄여 줍니다."),
    ("복용하세요", "식후에 복용합니다."),
    ("끊다", "갑자기 끊지 마세요."),
    # nouns inside compounds, spacing variants
    ("효능", "효능효과"),
    ("효과", "효능효과"),
    ("신경병증성통증", "신경병증성 통증"),
    ("신경병증성 통증", "신경병증성통증"),
    ("하지불안 증후군", "하지불안증후군 치료"),
    ("하지불안증후군", "하지불안 증후군 치료"),
    ("대상포진 후 신경통", "대상포진 후 신경통에 씁니다."),
    ("대상포진", "대상포진을 앓은 뒤"),
    ("신경통", "대상포진 후 신경통"),
    ("섬유근육통", "섬유근육통의 통증"),
    ("안약", "이 글은 안약이 아닌 먹는 약을 다룹니다."),  # 안 is also "not"
    # numbers with units, glued and split
    ("300mg", "300mg 캡슐"),
    ("300 mg", "300mg 캡슐"),
    ("300mg", "300 mg 캡슐"),
    ("100정", "300mg, 100정 포장"),
    ("1일 3회", "1일 3회 복용"),
    ("1810년에", "1810년 칠레가 독립을 선언했다."),
    ("3회", "하루 3회 나누어"),
    # units spelled in Hangul are the units articles write
    ("500밀리그램", "1회 500mg을 드세요."),
    ("밀리리터", "물 240밀리리터와 함께"),
    # "how many" of a counter finds a number with that counter
    ("몇 번", "하루 3번 드세요."),
    ("몇 살부터", "12살 이상 어린이"),
    ("몇 개월", "6개월 미만 영아"),
    # a number in words is that number (세 번 is 3번), and an ordinal one too
    ("첫 번째", "1번째 주사 후"),
    ("하루 세 번", "1일 3회 드세요."),  # 회 and 번 both count times
    # Latin words inside Korean text, drug and brand names
    ("Neurontin", "상품명 뉴론틴(Neurontin)"),
    ("neurontin", "상품명 뉴론틴(Neurontin)."),
    ("medicine", "이것은 medicine."),
    ("뉴론틴", "뉴론틴을 처방받았습니다."),
    ("아목시실린", "아목시실린을 복용하는 동안"),
    ("이부프로펜", "이부프로펜은 소염진통제입니다."),
    ("타이레놀", "타이레놀과 함께 먹지 마세요."),
    ("세티리진", "세티리진이 든 알레르기 약"),
    ("항경련제", "항경련제 계열의 약"),
    # a compound typed as one word the index doesn't hold whole: all of its parts, anywhere
    ("두통약", "두통에 쓰는 약입니다."),
    ("두통약", "두통약을 챙기세요."),
    ("위장약", "위장 장애를 줄이는 약"),
    ("알레르기약", "알레르기 증상을 덜어 주는 약"),
    ("섬유근육통", "섬유 질환과 근육통"),
    # a particle glued to a Latin word is a particle (Kiwi may read ``OTC는`` as 늘다)
    ("약국에서 OTC는 무엇을 의미하나요?", "OTC 의약품은 처방전 없이 사는 약입니다."),
    ("Pfizer Inc.는 어떤 회사인가요?", "Pfizer Inc. 회사 소개"),
    # long question: a missing word does not lose the article
    ("가바펜틴의 효능은 무엇인가요?", "가바펜틴 효능 정리"),
    ("졸음이 오면 운전해도 되나요?", "졸음이 올 수 있으니 운전하지 마세요."),
    # a lone word Kiwi reads as an adverb (설사: "even if") is the noun the reader means
    ("설사", "복통, 설사, 메스꺼움이 생길 수 있습니다."),
    # a noun that only says when (먹을 때, 복용한 경우) is still a word of the article
    ("때", "식사할 때 드세요."),
    ("경우", "임신한 경우 상의하세요."),
    # ... and 같다, which hedges a clause (토할 것 같아요) and says "the same" otherwise
    ("같은 약", "같은 성분의 약을 함께 드시지 마세요."),
    ("토할 것 같아요", "토할 수 있습니다."),
    # a word with a negating prefix (非 無 不 未) is found by itself, spaced or glued
    ("비급여", "비급여 항목입니다."),
    ("비스테로이드성", "비스테로이드성 소염진통제입니다."),
    ("비스테로이드", "비스테로이드성 소염진통제입니다."),
    ("비 스테로이드성", "비스테로이드성 소염진통제입니다."),
    ("불규칙한", "맥박이 불규칙합니다."),
    ("무증상", "무증상 감염이 많습니다."),
    ("부적절한", "부적절하게 쓰면 해롭습니다."),
    # a word with another prefix (高 低 大 超) is found whole and by its noun, however Kiwi
    # reads it: 초음파 alone as 초 + 음파, in this sentence as one word
    ("초음파", "초음파 검사를 받습니다."),
    ("초음파 검사", "초음파로 확인합니다."),
    ("고용량", "고용량 정제는 처방이 필요합니다."),
    ("용량", "고용량 정제는 처방이 필요합니다."),
]

MUST_NOT_MATCH: list[tuple[str, str]] = [
    ("효능", "기능이 떨어집니다."),
    ("기능", "효능이 좋습니다."),
    ("통증", "통장 잔고를 확인하세요."),
    ("통장", "통증이 심합니다."),
    ("감기", "반감기가 깁니다."),
    ("반감기", "감기에 걸렸습니다."),
    ("의사", "주의사항을 읽으세요."),
    ("대상", "대상포진 후 신경통"),
    ("포진", "대상포진 후 신경통"),
    ("근육통", "섬유근육통의 통증"),
    ("안약", "약이 안 들어요."),
    ("100mg", "300mg, 100정 포장"),
    ("300정", "300mg, 100정 포장"),
    ("100mg", "100정 포장"),
    ("그램", "카밀 그램머의 키"),
    # a unit glued to another number is not a word of its own (``년에`` is in every year)
    ("1810년에", "1610년에 망원경으로 금성을 관측했다."),
    ("3회에", "하루 2회에 나누어 드세요."),
    # ... and the counter alone is no count
    ("몇 번", "번호를 확인하세요."),
    ("몇 도", "제주도 여행 안내"),
    # a number in words is that number, not any number of the counter
    ("세 번", "하루 2번 드세요."),
    ("열두 살", "2살 미만 어린이"),
    ("두 번째", "하루 두 번 드세요."),
    ("간", "간질 발작"),
    ("약사", "약물 사용"),
    ("사항", "사랑 이야기"),
    ("졸음", "조금 쉬세요."),
    ("부작용", "작용 원리"),
    # "I feel like" asks for nothing the same (같은) medicine is
    ("토할 것 같아요", "같은 성분의 약을 함께 드시지 마세요."),
    ("아픈 거 같아요", "같은 성분의 약을 함께 드시지 마세요."),
    # a compound never matches through one of its parts alone, nor a one-syllable modifier
    ("두통약", "두통이 심합니다."),
    ("두통약", "이 약은 식후에 드세요."),
    ("감기약", "감기에 걸렸습니다."),
    ("위장약", "위장 출혈"),
    ("반감기", "환자의 반이 감기에 걸렸습니다."),
    # nor is a word with a negating prefix (非 無 不 未) its opposite: 비급여 is not 급여
    ("급여", "비급여 항목입니다."),
    ("비급여", "급여 항목입니다."),
    ("스테로이드", "비스테로이드성 소염진통제입니다."),
    ("증상", "무증상 감염이 많습니다."),
    ("규칙적으로", "맥박이 불규칙합니다."),
    ("적절한", "부적절하게 쓰면 해롭습니다."),
    # nor a one-syllable verb Kiwi reads inside a longer word (자본 as 보다, 호스트 as 트다)
    ("자본", "영화를 보았다."),
    ("자본", "밤에 푹 잤다."),
    ("호스트", "봄이 오자 싹이 텄다."),
    # (시리 as 시다: a one-syllable verb reads a two-syllable word only as 붓다, 졸음, 붓기 do; and
    # 밀리바르 as 바르다: no verb cut out of a word's middle or end)
    ("무슨 일이야, 시리?", "레몬 맛이 너무 시다."),
    ("밀리바르란 무엇인가?", "빵에 버터를 발라 드세요."),
    # nor a particle glued to a Latin word that Kiwi reads as a verb (OTC는 as 늘다)
    ("약국에서 OTC는 무엇을 의미하나요?", "복용량이 크게 늘었다."),
    ("Pfizer Inc.는 어떤 회사인가요?", "물가가 늘었다."),
    # nor a noun of one syllable a verb spelled like its stem (열 a fever, 열다 to open)
    ("열", "캡슐을 열어 내용물을 드세요."),
    ("열이 나요", "캡슐을 열어 내용물을 드세요."),
    ("낮에 졸려요", "혈압이 낮아질 수 있습니다."),
    ("팔이 아파요", "약국에서 처방 없이 팔기도 합니다."),
    ("주 1회", "다른 사람에게 주지 마세요."),
    ("캡슐을 열어도 되나요", "열을 내리는 약입니다."),
    # ...but in a query it is no search term: every article says "when" somewhere
    ("두통이 있을 때", "식사할 때 드세요."),
    ("임신한 경우", "복용을 잊은 경우 생각난 즉시 드세요."),
]


@pytest.fixture(scope="module")
def table_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[kb.KnowledgeIndex, dict]:
    """One article per distinct document text of both tables."""
    root: Path = tmp_path_factory.mktemp("table")
    texts = sorted({doc for _, doc in MUST_MATCH + MUST_NOT_MATCH})
    slugs = {}
    for number, text in enumerate(texts):
        slug = f"doc-{number}"
        slugs[text] = slug
        write_article(root / "content", slug, "ko", article_text(f"문서 {number}", text))
    kb.build_index(root / "content", root / "index")
    return kb.open_index(root / "index"), slugs


def found_slugs(index: kb.KnowledgeIndex, query: str) -> set[str]:
    """The articles the search (hybrid, as shipped) finds by the query's words: an article
    that meaning alone brings in (``대상포진`` for ``포진``: related, not the word) is labelled
    so, with no highlighted word, and is not what these pairs are about."""
    page = kb.search(index, query, "ko", per_page=100)
    return {hit.slug for hit in page.hits if hit.coverage > 0}


@pytest.mark.parametrize("query", sorted({query for query, _ in MUST_NOT_MATCH}))
def test_must_not_match_queries_are_real_searches(table_index, query: str) -> None:
    """A must-not-match pair proves something only if its query is searched at all: analysis
    keeps a term of it (an empty query would "not match" anything)."""
    index, _ = table_index
    page = kb.search(index, query, "ko", per_page=100, correct=False)
    assert page.notice is None, (query, page.notice)


@pytest.mark.parametrize(("query", "text"), MUST_MATCH)
def test_must_match(table_index, query: str, text: str) -> None:
    index, slugs = table_index
    assert slugs[text] in found_slugs(index, query), f"{query!r} should find {text!r}"


@pytest.mark.parametrize(("query", "text"), MUST_NOT_MATCH)
def test_must_not_match(table_index, query: str, text: str) -> None:
    index, slugs = table_index
    assert slugs[text] not in found_slugs(index, query), f"{query!r} must not find {text!r}"


@pytest.mark.parametrize(
    ("query", "place", "name"),
    [
        ("다음 중 고마의 관광객에게 유용한 정보는?", "goma", "고마"),
        ("지문에 따르면, 통가는 지진으로 어떤 피해를 입었습니까?", "tonga", "통가"),
    ],
)
def test_a_name_kiwi_cuts_only_in_the_question_is_read_whole(
    make_index, query: str, place: str, name: str
) -> None:
    """In a question Kiwi reads 고마의 as 고 + 마 and 통가는 as 통 + 가, while the article's own
    sentence reads the name whole: the word read alone is the concept's other reading, so the
    article about the place comes before those that only say 마 (yam) or 통 and 가."""
    index = make_index(
        {
            ("goma", "ko"): (
                "고마",
                "고마는 콩고 동쪽의 도시이다. 관광객에게 유용한 정보를 모았다.",
            ),
            ("yam", "ko"): ("식재료", "마는 몸에 좋다. 관광객에게 유용한 정보를 모았다."),
            ("tonga", "ko"): ("통가", "통가는 지진으로 큰 피해를 입지 않았다."),
            ("barrel", "ko"): ("창고", "통 하나와 가 지역이 지진으로 피해를 입었다."),
        }
    )
    assert name in {reading.text for reading in readings(query)}
    for mode in ("lexical", "hybrid"):
        hits = kb.search(index, query, "ko", mode=mode).hits
        assert hits[0].slug == place, (mode, [hit.slug for hit in hits])


@pytest.mark.parametrize(
    ("query", "found"),
    [("고용량", ["high"]), ("저용량", ["low"]), ("대용량", ["high", "low"])],
)
def test_a_prefixed_word_finds_itself_and_its_noun_only_where_no_article_says_it(
    make_index, query: str, found: list[str]
) -> None:
    """고용량 (a high dose) and 저용량 (a low one) were both read as 용량, so `고용량` listed
    the article saying 저용량 as readily: each now finds its own word. A prefixed word no
    article says (대용량, a large pack) still finds what its noun does, as it did."""
    index = make_index(
        {
            ("low", "ko"): ("아스피린", "심장을 보호하려면 저용량 장용정을 하루 한 번 먹습니다."),
            ("high", "ko"): ("이부프로펜", "400mg 이상의 고용량은 의사의 처방에 따라 씁니다."),
        }
    )
    for mode in ("lexical", "hybrid"):
        hits = [hit for hit in kb.search(index, query, "ko", mode=mode).hits if hit.coverage]
        assert sorted(hit.slug for hit in hits) == found, (mode, [hit.slug for hit in hits])
        mark = "<mark>용량</mark>" if len(found) > 1 else f"<mark>{query}</mark>"
        assert all(mark in hit.snippet for hit in hits), [hit.snippet for hit in hits]
