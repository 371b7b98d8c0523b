"""The translators' glossary: cross-language and synonym expansion, ranked below direct matches."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import kb
from indexer import cli
from kb.analysis import english_analyzer, korean_analyzer
from kb.content import BUNDLED_CONTENT, scan_content
from kb.engine import TermLeaf
from kb.glossary import (
    Glossary,
    glossary_misreadings,
    glossary_overlaps,
    load_glossary,
    parse_glossary,
)
from kb.query import ParsedQuery, parse_query
from tests.conftest import BUNDLED_GLOSSARY, article_text, write_article

GLOSSARY = "ko\ten\n# comment\n두통 | 머리 아픔\theadache\n부작용\tside effects\n"


@pytest.fixture
def glossary_file(tmp_path: Path) -> Path:
    path = tmp_path / "glossary.tsv"
    path.write_text(GLOSSARY, encoding="utf-8")
    return path


@pytest.fixture
def content(content_dir: Path) -> Path:
    write_article(content_dir, "en-only", "en", article_text("Relief", "For a headache."))
    write_article(content_dir, "ko-only", "ko", article_text("안내", "부작용이 적습니다."))
    write_article(content_dir, "direct", "ko", article_text("두통약", "두통에 먹는 약"))
    return content_dir


def slugs(index: kb.KnowledgeIndex, query: str, locale: str, mode: str = "lexical") -> list[str]:
    """The articles found, best first; by default by words and glossary terms alone (the
    lexical half of the search)."""
    return [hit.slug for hit in kb.search(index, query, locale, mode=mode).hits]


def test_korean_query_finds_english_only_article_below_direct_match(
    content: Path, glossary_file: Path, tmp_path: Path
) -> None:
    kb.build_index(content, tmp_path / "index", glossary=glossary_file)
    index = kb.open_index(tmp_path / "index")
    assert slugs(index, "두통이 심해요", "ko") == ["direct", "en-only"]


def test_english_query_finds_korean_only_article(
    content: Path, glossary_file: Path, tmp_path: Path
) -> None:
    kb.build_index(content, tmp_path / "index", glossary=glossary_file)
    page = kb.search(kb.open_index(tmp_path / "index"), "side effects", "en", mode="lexical")
    assert [(h.slug, h.fallback) for h in page.hits] == [("ko-only", True)]


def test_same_language_synonym_phrase_expands(
    content: Path, glossary_file: Path, tmp_path: Path
) -> None:
    kb.build_index(content, tmp_path / "index", glossary=glossary_file)
    assert slugs(kb.open_index(tmp_path / "index"), "머리 아픔", "ko")[0] == "direct"


def test_a_glossary_term_of_several_words_is_marked_only_where_it_matches(
    content_dir: Path, tmp_path: Path
) -> None:
    """`elderly` matches the article by its line's `older people`; the snippet marks those
    two words side by side, not every `people` and `older` elsewhere in the text."""
    body = "For adults. Some people get a rash; the rash gets older, and older people need less."
    write_article(content_dir, "dose", "en", article_text("Dosing", body))
    glossary = tmp_path / "glossary.tsv"
    glossary.write_text("ko\ten\n노인\telderly | older people\n", encoding="utf-8")
    kb.build_index(content_dir, tmp_path / "index", glossary=glossary)
    [hit] = kb.search(kb.open_index(tmp_path / "index"), "elderly", "en").hits
    assert "people get a rash" in hit.snippet and "gets older" in hit.snippet
    assert re.findall("<mark>(.*?)</mark>", hit.snippet) == ["older", "people"]


@pytest.mark.parametrize("query", ["잠이 너무 와요", "잠이 와요", "낮에 잠이 와요"])
def test_sleep_coming_on_finds_what_makes_one_drowsy(
    bundled_index: kb.KnowledgeIndex, query: str
) -> None:
    """`잠이 너무 와요` (I am so sleepy) listed geworin first, for its "잠이 잘 안 옴" (cannot
    sleep): the index holds no negation, so only the drowsiness line, which reads 잠이 옴 as
    said, turns the words to the medicines that make one drowsy."""
    hits = kb.search(bundled_index, query, "ko").hits[:3]
    assert all("<mark>졸음</mark>" in h.snippet or "<mark>drowsiness</mark>" in h.snippet
               for h in hits), [(h.slug, h.snippet) for h in hits]  # fmt: skip
    assert "geworin" not in [h.slug for h in hits]


def test_a_korean_glossary_phrase_marks_no_lone_word_of_it(
    bundled_index: kb.KnowledgeIndex,
) -> None:
    """`잠이 안 와요` finds zolpidem through the insomnia line, whose `잠을 못 잠` holds the verb
    자다: its `잘 수 있을 때` is no match of the phrase, so not marked; the line's `잠들기
    어려움` is, and `자다가 깸` (waking in the night), where their words stand side by side."""
    hits = kb.search(bundled_index, "잠이 안 와요", "ko").hits
    hit = next(h for h in hits if h.slug == "zolpidem")
    assert "<mark>잠들</mark>기 <mark>어려운</mark>" in hit.snippet
    assert "<mark>자</mark>다가 자주 <mark>깨</mark>는" in hit.snippet
    assert "잘 수 있을 때" in hit.snippet
    marked = set(re.findall("<mark>(.*?)</mark>", hit.snippet))
    assert marked == {"불면증", "잠들", "어려운", "자", "깨"}


def test_without_a_glossary_there_is_no_expansion(content: Path, tmp_path: Path) -> None:
    kb.build_index(content, tmp_path / "index")
    assert slugs(kb.open_index(tmp_path / "index"), "두통", "ko") == ["direct"]


def test_update_applies_an_edited_glossary_without_reindexing(
    content: Path, glossary_file: Path, tmp_path: Path
) -> None:
    kb.build_index(content, tmp_path / "index")
    index = kb.open_index(tmp_path / "index")
    report = kb.update_index(content, tmp_path / "index", glossary=glossary_file)
    assert (report.added, report.changed, report.removed) == (0, 0, 0)
    assert slugs(index, "두통", "ko") == ["direct", "en-only"]


def test_bad_lines_are_reported_with_path_and_line(tmp_path: Path) -> None:
    path = tmp_path / "glossary.tsv"
    path.write_text("ko\ten\n두통\theadache\n혼자\n빈칸\t\n", encoding="utf-8")
    rows, errors = parse_glossary(path)
    assert [str(e) for e in errors] == [
        f"{path}:3: expected 2 tab-separated cells, found 1",
        f"{path}:4: a line needs at least two terms",
    ]
    assert rows == [{"ko": ("두통",), "en": ("headache",)}]
    with pytest.raises(kb.ContentInvalid):
        kb.build_index(tmp_path, tmp_path / "index", glossary=path)


def test_the_bundled_glossary_is_valid_and_links_brands_to_generics(bundled_index) -> None:
    assert parse_glossary(Path("translations/glossary.tsv"))[1] == []
    hit = kb.search(bundled_index, "Benadryl", "ko").hits[0]
    assert (hit.slug, hit.fallback) == ("diphenhydramine", True)


@pytest.fixture(scope="module")
def bundled_glossary_status() -> list[dict]:
    """`translations status --check-glossary` over the bundled articles, as a translator runs
    it: each article's row."""
    with pytest.MonkeyPatch.context() as env:
        for key in [k for k in os.environ if k.startswith("KB_")]:
            env.delenv(key)
        args = ["translations", "status", "--json", "--check-glossary", "--no-cache"]
        result = CliRunner().invoke(cli, [*args, "--glossary", str(BUNDLED_GLOSSARY)])
    return json.loads(result.output)["articles"]


def test_every_tag_of_a_bundled_one_language_article_reaches_the_other_language(
    bundled_glossary_status: list[dict],
) -> None:
    """What `translations status --check-glossary` asks translators for, kept for the bundled
    articles: without it a reader reaches them only by meaning, which is weak on short words."""
    one_language = [r for r in bundled_glossary_status if r["state"] == "missing"]
    assert {r["slug"] for r in one_language} >= {"diphenhydramine", "geworin"}
    assert [r["warnings"] for r in one_language] == [[]] * len(one_language)


# What the check names in the bundled translations (docs/translating.md): readers' words and
# idioms the English renders otherwise (많이 먹지 마세요, "do not take more than the label says").
GLOSSARY_WARNINGS_BUDGET = 48


def test_the_glossary_check_keeps_to_what_is_worth_a_look(
    bundled_glossary_status: list[dict],
) -> None:
    """Lines added for readers' words grew the check's warnings on the bundled articles from 6
    to 72, unnoticed, until translators would skim past them all. A line or a rule that adds
    warnings is looked at: the translation fixed, the line's words made its counterparts', or
    the budget raised with the reason in docs/translating.md."""
    said = [w for r in bundled_glossary_status for w in r["warnings"] if "the source says" in w]
    assert len(said) <= GLOSSARY_WARNINGS_BUDGET, said


@pytest.mark.parametrize(
    ("query", "locale", "slug"),
    [
        ("멀미약", "ko", "diphenhydramine"),
        ("두드러기", "ko", "diphenhydramine"),
        ("toothache", "en", "geworin"),
        ("period pain", "en", "geworin"),
        # side effects and precautions that only one language's article names: none was found
        ("입이 말라요", "ko", "diphenhydramine"),
        ("변비", "ko", "diphenhydramine"),
        ("시야 흐림", "ko", "diphenhydramine"),
        ("환각", "ko", "diphenhydramine"),
        ("소변이 잘 안 나와요", "ko", "diphenhydramine"),
        ("녹내장", "ko", "diphenhydramine"),
        ("전립선 비대증", "ko", "diphenhydramine"),
        ("에피네프린", "ko", "diphenhydramine"),
        ("agranulocytosis", "en", "geworin"),
        ("Stevens-Johnson syndrome", "en", "geworin"),
        ("chills", "en", "geworin"),
        ("재채기", "ko", "diphenhydramine"),  # sneezing
        ("콧물", "ko", "diphenhydramine"),  # runny nose
        ("재채기가 나고 콧물이 흘러요", "ko", "diphenhydramine"),  # reached only by meaning before
        ("asthma", "en", "geworin"),
        ("stomach ulcer", "en", "geworin"),
        ("loss of appetite", "en", "geworin"),
        ("jaundice", "en", "geworin"),
        ("shoulder pain", "en", "geworin"),
        ("earache", "en", "geworin"),  # 귀의 통증: found nothing
        # what a medicine is bad for (kb.intent's cautions), across the languages
        ("bad for the liver", "en", "geworin"),
        ("harmful to the kidneys", "en", "geworin"),
        ("운전하면 안 되는 약", "ko", "diphenhydramine"),  # do not drive
    ],
)
def test_a_need_reaches_the_article_only_the_other_language_has_by_words(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str, slug: str
) -> None:
    """``멀미`` by meaning alone is no closer to motion sickness than to anything else."""
    found = {h.slug: h for h in kb.search(bundled_index, query, locale, mode="lexical").hits}
    assert slug in found and found[slug].fallback
    if query == "멀미약":  # the only article about it, though every article says 약
        assert kb.search(bundled_index, query, locale).hits[0].slug == slug


@pytest.mark.parametrize(
    ("query", "locale", "slug", "marked"),
    [
        ("멀미약", "ko", "diphenhydramine", ["Motion", "sickness"]),
        ("두드러기", "ko", "diphenhydramine", ["Hives"]),
        ("toothache", "en", "geworin", ["치통"]),
    ],
)
def test_an_article_reached_through_the_glossary_marks_the_words_it_matched(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str, slug: str, marked: list[str]
) -> None:
    """The reader sees why an article in the other language was found: its words for the need."""
    hit = next(h for h in kb.search(bundled_index, query, locale).hits if h.slug == slug)
    assert hit.fallback and re.findall("<mark>(.*?)</mark>", hit.snippet)[: len(marked)] == marked


@pytest.mark.parametrize(
    ("query", "slug", "marked"),
    [
        ("antidepressant", "sertraline", "항우울제"),
        ("medicine for panic attacks", "sertraline", "공황장애"),
        ("prevent a heart attack", "aspirin", "심근경색"),
        ("underactive thyroid", "levothyroxine", "갑상선기능저하증"),
        ("flu medicine", "amoxicillin", "독감"),  # "antibiotics do not work against … 독감"
        ("acid reflux", "omeprazole", "위식도역류질환"),
    ],
)
def test_a_need_named_in_english_and_read_in_korean_marks_the_korean_word(
    bundled_index: kb.KnowledgeIndex, query: str, slug: str, marked: str
) -> None:
    """A reader of the Korean pages who types English saw each result's Korean summary, with
    nothing marked: the glossary had no Korean word for the need."""
    hit = next(h for h in kb.search(bundled_index, query, "ko").hits if h.slug == slug)
    assert hit.locale == "ko" and f"<mark>{marked}</mark>" in hit.snippet, hit.snippet


def test_a_symptom_in_everyday_words_finds_what_treats_it(
    bundled_index: kb.KnowledgeIndex,
) -> None:
    """``머리가 아플`` is the glossary's ``머리 아픔``, one term for 두통: warfarin, whose
    precautions say 머리를 부딪혔을 때 and, elsewhere, 아프고, no longer matches it word by word."""
    painkillers = {"geworin", "acetaminophen", "ibuprofen", "aspirin"}
    query = "머리가 아플 때 먹는 약"
    assert kb.search(bundled_index, query, "ko").hits[0].slug in painkillers
    words_only = [hit.slug for hit in kb.search(bundled_index, query, "ko", mode="lexical").hits]
    assert words_only[0] in painkillers
    # word by word, warfarin matched both words and came first; 먹 and 약 still rank it close
    # to the painkillers whose uses name 두통 elsewhere than their summary
    assert words_only.index("warfarin") > max(map(words_only.index, ["geworin", "acetaminophen"]))


@pytest.mark.parametrize(
    ("query", "locale", "causes"),
    [
        ("medicine for joint pain", "en", "atorvastatin"),
        ("joint pain", "en", "atorvastatin"),
        ("관절 통증에 먹는 약", "ko", "atorvastatin"),
        ("back pain", "en", "losartan"),
        ("허리가 아파요", "ko", "losartan"),
        # omeprazole's precautions name wrist fractures; pregabalin came first for 무릎
        ("손목이 아파요", "ko", "omeprazole"),
        ("my wrist hurts", "en", "omeprazole"),
        ("무릎이 아파요", "ko", "pregabalin"),
    ],
)
def test_a_pain_finds_what_treats_it_not_what_causes_it(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str, causes: str
) -> None:
    """Atorvastatin lists joint pain among its side effects and losartan back pain, the only
    articles to say them in those words; the painkillers treat arthritis (관절염, 관절통) and
    backache (요통), which the glossary's lines join to the reader's words."""
    treating = {"ibuprofen", "acetaminophen", "aspirin", "geworin", "prednisolone"}
    slugs = [hit.slug for hit in kb.search(bundled_index, query, locale).hits]
    assert slugs[0] in treating, slugs
    assert causes not in slugs[:3], slugs


def test_a_bite_denied_finds_nothing(bundled_index: kb.KnowledgeIndex) -> None:
    """The bite line's terms keep their polarity, as every glossary phrase does."""
    assert not kb.search(bundled_index, "벌레에 안 물렸어요", "ko").hits


PAINKILLERS = {"acetaminophen", "ibuprofen", "aspirin", "geworin"}
# the articles that list a rise in blood pressure among their side effects
RAISING_BLOOD_PRESSURE = {"pseudoephedrine", "prednisolone", "ibuprofen"}
# the articles that list a loss of appetite among their side effects or warning signs
APPETITE_LOST = {"atorvastatin", "acetaminophen", "geworin", "sertraline", "metformin"}


@pytest.mark.parametrize(
    ("query", "locale", "wanted"),
    [
        ("my head hurts", "en", {"acetaminophen", "ibuprofen", "aspirin", "geworin"}),
        ("throwing up", "en", {"diphenhydramine"}),
        ("토할 것 같아요", "ko", {"diphenhydramine"}),
        ("토하고 싶어요", "ko", {"diphenhydramine"}),
        ("I feel like throwing up", "en", {"diphenhydramine"}),
        ("I keep throwing up", "en", {"diphenhydramine"}),
        ("I threw up", "en", {"diphenhydramine"}),  # found nothing: threw is no form of throw
        ("I twisted my ankle", "en", {"ibuprofen"}),  # whose English says "sprains"
        ("my head is pounding", "en", {"acetaminophen", "ibuprofen", "aspirin", "geworin"}),
        ("my head is killing me", "en", {"acetaminophen", "ibuprofen", "aspirin", "geworin"}),
        ("머리가 깨질 것 같아요", "ko", {"acetaminophen", "ibuprofen", "aspirin", "geworin"}),
        ("잠을 설쳐요", "ko", {"zolpidem"}),  # sertraline came first (insomnia: a side effect)
        ("잠이 안 들어요", "ko", {"zolpidem"}),  # 게보린 and acetaminophen came first
        ("I keep waking up at night", "en", {"zolpidem"}),  # by "night" alone
        ("my back hurts", "en", {"geworin", "ibuprofen", "acetaminophen", "aspirin"}),
        ("my throat is sore", "en", {"geworin"}),  # cetirizine: "itchy nose or throat"
        ("my eyes are watering", "en", {"cetirizine", "diphenhydramine"}),  # was amoxicillin
        ("queasy", "en", {"diphenhydramine"}),  # found nothing
        ("I have been feeling low", "en", {"sertraline"}),
        ("I feel sad all the time", "en", {"sertraline"}),
        ("what thins the blood", "en", {"warfarin"}),  # prednisolone: "thin skin", "blood"
        # atorvastatin: "sore throat" and muscle aches among its side effects
        ("sore muscles", "en", {"ibuprofen", "acetaminophen", "aspirin", "geworin"}),
        ("muscle pain side effect", "en", {"atorvastatin"}),  # acetaminophen: "muscle aches"
        ("근육통 부작용", "ko", {"atorvastatin"}),  # ibuprofen: 근육통 among what it treats
        ("근육이 아픈 부작용", "ko", {"atorvastatin"}),  # omeprazole: 근육 경련, 아픈
        # tremor is a side effect of these; geworin's "춥고 떨림" (chills) came first
        ("손이 떨려요", "ko", {"sertraline", "levothyroxine", "metformin", "omeprazole"}),
        ("really bad headache", "en", {"acetaminophen", "ibuprofen", "aspirin", "geworin"}),
        ("bad allergies", "en", {"cetirizine", "diphenhydramine"}),
        (
            "I have a bad cold",
            "en",
            {"acetaminophen", "ibuprofen", "aspirin", "diphenhydramine", "dextromethorphan"},
        ),
        ("머리가 지끈지끈해요", "ko", {"acetaminophen", "ibuprofen", "aspirin", "geworin"}),
        ("속이 울렁거려요", "ko", {"diphenhydramine"}),
        ("속이 메스꺼워요", "ko", {"diphenhydramine"}),
        ("심장이 두근두근해요", "ko", {"levothyroxine", "amlodipine", "geworin"}),
        ("I feel anxious all the time", "en", {"sertraline", "pregabalin"}),
        ("하지불안", "ko", {"gabapentin", "pregabalin"}),
        ("손발이 저려요", "ko", {"gabapentin", "pregabalin"}),  # found nothing
        ("pins and needles in my hands", "en", {"gabapentin", "pregabalin"}),  # found nothing
        # a throat cold: its sore throat, or its cough (dextromethorphan: an irritated throat)
        ("목감기", "ko", {"acetaminophen", "ibuprofen", "aspirin", "dextromethorphan"}),
        ("열감기", "ko", {"acetaminophen", "ibuprofen", "aspirin"}),
        ("my heart is racing", "en", {"levothyroxine", "amlodipine", "geworin"}),
        ("모기에 물렸어요", "ko", {"diphenhydramine"}),
        ("벌레에 물렸어요", "ko", {"diphenhydramine"}),
        ("벌에 쏘였어요", "ko", {"diphenhydramine"}),  # found nothing
        ("I got stung by a bee", "en", {"diphenhydramine"}),
        ("뱃멀미", "ko", {"diphenhydramine"}),
        ("강박증", "ko", {"sertraline"}),
        ("pyrine", "en", {"geworin"}),  # was "corrected" to `urine`
        ("low white blood cell count", "en", {"geworin"}),  # Korean only: 백혈구가 줄어드는
        ("차 타면 속이 울렁거려요", "ko", {"diphenhydramine"}),  # carsick: amoxicillin came first
        # diphenhydramine's article says "non-drowsy" of the antihistamines it is not
        ("non drowsy antihistamine", "en", {"cetirizine"}),
        ("non-drowsy allergy medicine", "en", {"cetirizine"}),
        # dextromethorphan came first by 없 ("가래가 없는 마른기침"): 밥맛 is appetite
        ("밥맛이 없어요", "ko", APPETITE_LOST),
        ("목이 칼칼해요", "ko", {"geworin"}),  # 목 alone: cetirizine's "코·목 가려움"
        ("i cant go to the bathroom", "en", {"bisacodyl"}),  # zolpidem: "before going to bed"
        # atorvastatin came first, with joint pain among its side effects
        ("my joints hurt", "en", PAINKILLERS | {"prednisolone"}),
        ("I pulled a muscle", "en", {"ibuprofen", "geworin"}),  # pregabalin's fibromyalgia
        # amlodipine and losartan, which lower it, came first
        ("does it raise blood pressure", "en", RAISING_BLOOD_PRESSURE),
        ("혈압 올리는 약", "ko", RAISING_BLOOD_PRESSURE),
    ],
)
def test_a_need_in_everyday_words_comes_first(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str, wanted: set[str]
) -> None:
    """Everyday phrasings the articles never use: warfarin (`hit your head`) had come first for
    `my head hurts`, nothing for `throwing up`, cetirizine for feeling anxious, nothing for
    목감기 and 열감기 (one-syllable modifiers are no compound parts, or 반감기 would be 감기),
    warfarin for a racing heart (palpitations are side effects of the three wanted), sertraline
    for a mosquito bite (diphenhydramine, in English only, treats the itching, and seasickness),
    gabapentin for 강박증 (sertraline's Korean says 강박장애); and the anxiety line must not take
    restless legs (하지불안, 불안 inside) to sertraline."""
    slugs = [hit.slug for hit in kb.search(bundled_index, query, locale).hits]
    assert slugs and slugs[0] in wanted, slugs


def test_a_sleepless_reader_finds_the_sleeping_pill_first(
    bundled_index: kb.KnowledgeIndex,
) -> None:
    """Sertraline and 게보린 say 잠이 잘 안 오는 among their side effects, every word of the
    query; only the glossary's ``잠이 안 옴`` (불면증) says which article treats it."""
    for query in ("잠이 안 와요", "잠을 못 자요", "잠이 안 올 때 먹는 약"):
        assert kb.search(bundled_index, query, "ko").hits[0].slug == "zolpidem", query


def test_a_glossary_phrase_in_a_query_is_one_concept() -> None:
    """Its words must stand together in an article; the line's other terms attach to it."""
    glossary = Glossary.from_terms([{"ko": ("두통", "머리 아픔"), "en": ("headache",)}])
    parsed = parse_query("머리가 아플 때 먹는 약", glossary)
    assert [c.words for c in parsed.concepts["ko"]] == [("머리", "아프다"), ("먹다",), ("약",)]
    expanded = [
        any(getattr(leaf, "text", "") == "두통" for leaves in c.weak for leaf in leaves)
        for c in parsed.concepts["ko"]
    ]
    assert expanded == [True, False, False]
    assert [c.words for c in parse_query("머리 먹는 약", glossary).concepts["ko"]] == [
        ("머리",),
        ("먹다",),
        ("약",),
    ]


def test_a_term_inside_a_longer_one_the_query_says_does_not_expand() -> None:
    """The longest term wins where one lies inside another: `threw out my back` is back pain,
    not the `throw` of throwing a ball, and `back pain` no pain anywhere; `마약성 진통제` is an
    opioid, not every painkiller. Terms side by side both expand."""
    glossary = Glossary.from_terms([
        {"ko": ("구토",), "en": ("vomiting", "throw up")},
        {"ko": ("요통",), "en": ("back pain", "threw out my back")},
        {"ko": ("두통",), "en": ("headache",)},
        {"ko": ("던지기",), "en": ("throw",)},
        {"ko": ("통증",), "en": ("pain",)},
    ])  # fmt: skip

    def expanded(query: str) -> set[str]:
        parsed = parse_query(query, glossary)
        return {leaf.text for c in parsed.concepts["ko"] for leaves in c.weak
                for leaf in leaves if isinstance(leaf, TermLeaf)}  # fmt: skip

    assert "요통" in expanded("threw out my back")
    assert not {"구토", "던지기"} & expanded("threw out my back")
    assert "통증" not in expanded("back pain") and "통증" in expanded("pain in my back")
    assert "구토" in expanded("I might throw up")
    assert {"구토", "두통"} <= expanded("headache and throw up")


def test_a_phrase_another_line_holds_negated_is_recognised_but_never_searched() -> None:
    """`잠이 옴` (sleep comes) names drowsiness in a query, `잠이 안 옴` insomnia; the index
    holds no negation, so searched for drowsiness `잠이 옴` would find "잠이 잘 안 옴". The
    negated phrase is searched: articles say it of insomnia."""
    glossary = Glossary.from_terms([
        {"ko": ("졸음", "잠이 옴"), "en": ("drowsiness",)},
        {"ko": ("불면증", "잠이 안 옴"), "en": ("insomnia",)},
    ])  # fmt: skip
    assert glossary.negated_elsewhere == {("ko", ("잠", "오다"))}

    def expanded(query: str) -> set[tuple[str, ...]]:
        analysed = {
            side: [(t.text, t.start, t.end) for t in analyzer.polar_terms(query)]
            for side, analyzer in (("ko", korean_analyzer()), ("en", english_analyzer()))
        }
        return {e.words for e in glossary.expansions(analysed)}  # fmt: skip

    assert ("졸음",) in expanded("잠이 너무 와요")
    assert ("불면증",) in expanded("잠이 안 와요")
    assert ("잠", "오다") not in expanded("drowsiness")
    assert ("잠", "¬오다") in expanded("insomnia")


@pytest.mark.parametrize("query", ["drowsiness", "does it cause drowsiness", "세티리진 졸림"])
def test_drowsiness_shows_no_line_about_sleeplessness(
    bundled_index: kb.KnowledgeIndex, query: str
) -> None:
    hits = kb.search(bundled_index, query, "ko").hits
    assert hits and not [h.slug for h in hits if "<mark>잠</mark>이 잘 안" in h.snippet]


def _expanded_by(parsed: ParsedQuery, word: str) -> bool:
    """Whether a Korean concept of the query gained ``word`` from the glossary."""
    weak = (leaf for c in parsed.concepts["ko"] for leaves in c.weak for leaf in leaves)
    return any(getattr(leaf, "text", "") == word for leaf in weak)


@pytest.mark.parametrize(
    ("query", "line_word", "expands"),
    [
        ("잠이 안 와요", "불면증", True),
        ("잠이 잘 안 와요", "불면증", True),
        ("잠이 오지 않아요", "불면증", True),
        ("잠이 와요", "불면증", False),  # "I'm sleepy": the same words, the other polarity
        ("머리가 아파요", "두통", True),
        ("머리가 안 아파요", "두통", False),
    ],
)
def test_a_glossary_phrase_matches_only_with_its_polarity(
    query: str, line_word: str, expands: bool
) -> None:
    """The index keeps no negation (안 is no term), so only the glossary can tell them apart."""
    glossary = Glossary.from_terms(
        [{"ko": ("불면증", "잠이 안 옴"), "en": ("insomnia",)}, {"ko": ("두통", "머리 아픔")}]
    )
    assert _expanded_by(parse_query(query, glossary), line_word) is expands


def test_a_negated_glossary_phrase_searches_the_words_the_index_holds(
    content_dir: Path, tmp_path: Path
) -> None:
    """``insomnia`` expands to ``잠이 안 옴``, found in an article that says 잠이 잘 안 오는."""
    write_article(content_dir, "sleep", "ko", article_text("수면", "밤에 잠이 잘 안 오는 분께."))
    glossary = tmp_path / "glossary.tsv"
    glossary.write_text("ko\ten\n불면증 | 잠이 안 옴\tinsomnia\n", encoding="utf-8")
    kb.build_index(content_dir, tmp_path / "index", glossary=glossary)
    assert slugs(kb.open_index(tmp_path / "index"), "insomnia", "en") == ["sleep"]


def test_a_negated_glossary_word_alone_does_not_find_its_opposite(
    content_dir: Path, tmp_path: Path
) -> None:
    """``insomnia`` expanded to ``can't sleep``, searched as "sleep" (the index holds no
    negation), and found the article about what helps one sleep, as a phrase would not."""
    write_article(content_dir, "aid", "en", article_text("Sleep aid", "It helps you sleep."))
    glossary = tmp_path / "glossary.tsv"
    glossary.write_text("ko\ten\n불면증\tinsomnia | can't sleep\n", encoding="utf-8")
    kb.build_index(content_dir, tmp_path / "index", glossary=glossary)
    index = kb.open_index(tmp_path / "index")
    assert slugs(index, "insomnia", "en") == []
    assert slugs(index, "불면증", "ko") == []
    assert slugs(index, "sleep", "en") == ["aid"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            b"ko\ten\n\xeb\x91\x90\xed\x86\xb5\theadache\n\xff\xfe\tbad\n",
            "3: file is not valid UTF-8",
        ),
        ("ko\ten\n두통\thead\x00ache\n".encode(), "2: control character U+0000: remove it"),
    ],
    ids=["invalid-utf-8", "nul"],
)
def test_undecodable_or_control_characters_are_a_line_not_a_traceback(
    tmp_path: Path, raw: bytes, expected: str
) -> None:
    path = tmp_path / "glossary.tsv"
    path.write_bytes(raw)
    rows, errors = parse_glossary(path)
    assert rows == [] and [str(e) for e in errors] == [f"{path}:{expected}"]
    with pytest.raises(kb.ContentInvalid):
        load_glossary(path)


def test_a_byte_order_mark_is_not_part_of_the_header(tmp_path: Path) -> None:
    path = tmp_path / "glossary.tsv"
    path.write_bytes("\ufeffko\ten\n두통\theadache\n".encode())
    assert parse_glossary(path) == ([{"ko": ("두통",), "en": ("headache",)}], [])


def _check_with_glossary(
    monkeypatch: pytest.MonkeyPatch, content_dir: Path, glossary: Path
) -> Result:
    """`indexer.py check` of one valid article and ``glossary``, no KB_ setting inherited."""
    write_article(content_dir, "a", "en", article_text("A", "Body."))
    for key in [k for k in os.environ if k.startswith("KB_")]:
        monkeypatch.delenv(key)
    return CliRunner().invoke(
        cli, ["check", "--content", str(content_dir), "--glossary", str(glossary)]
    )


def test_check_command_reports_an_undecodable_glossary(
    monkeypatch: pytest.MonkeyPatch, content_dir: Path, tmp_path: Path
) -> None:
    path = tmp_path / "glossary.tsv"
    path.write_bytes(b"ko\ten\n\xc3\x28\theadache\n")
    result = _check_with_glossary(monkeypatch, content_dir, path)
    assert result.exit_code == 1
    assert f"{path}:2: file is not valid UTF-8" in result.output
    assert isinstance(result.exception, SystemExit)


def test_check_command_reports_a_term_that_reads_as_another_lines(
    monkeypatch: pytest.MonkeyPatch, content_dir: Path, tmp_path: Path
) -> None:
    """Korean analysis keeps no `덜` and English no `no`, so `졸음이 덜함` and `no
    drowsiness` read as `졸음` and `drowsiness`: searching drowsiness would have joined the
    non-drowsy line. `not drowsy` is marked negated, as `졸리지 않음` is, and reads as itself.
    A term that reads as no words at all (Kiwi's adverb and 하다, a stop word) is named too,
    and one that reads as nothing but a word for medicine. The bundled glossary has none."""
    path = tmp_path / "glossary.tsv"
    path.write_text(
        "ko\ten\n졸음 | 졸림\tdrowsiness\n"
        "졸음이 덜함 | 졸리지 않음\tnon-drowsy | not drowsy | no drowsiness\n"
        "복용을 잊음 | 자주 함\tmissed dose | the\n"
        "유통기한 | 오래된 약\texpired | old pills\n",
        encoding="utf-8",
    )
    result = _check_with_glossary(monkeypatch, content_dir, path)
    assert result.exit_code == 1
    # an adverb and 하다, a stop word: terms no query can reach the line by
    assert f"{path}:4: '자주 함' reads as no words" in result.output
    assert f"{path}:4: 'the' reads as no words" in result.output
    assert "복용을 잊음" not in result.output and "missed dose" not in result.output
    # an adverb and 되다 dropped, 약 left: `처방전 없이 살 수 있는 약` showed expiry dates
    assert f"{path}:5: '오래된 약' reads as a word for medicine alone" in result.output
    assert "old pills" not in result.output
    assert f"{path}:3: '졸음이 덜함' reads as '졸음' of line 2" in result.output
    assert f"{path}:3: 'no drowsiness' reads as 'drowsiness' of line 2" in result.output
    assert "졸리지 않음" not in result.output and "non-drowsy" not in result.output
    assert "not drowsy" not in result.output
    assert glossary_overlaps(Path("translations/glossary.tsv")) == []


@pytest.mark.parametrize(
    ("rows", "problem", "fine"),
    [
        # `피가 오래 남` (cuts that bleed longer) read as 피가 남, any bleeding: famotidine's
        # "피가 나는 병변" (a bleeding stomach lining) came first for `피가 잘 안 멈춰요`. Adverbs
        # of degree (잘) and negation say no more than their words; 삐끗 with 하다 reads as 삐다
        # (to sprain), and 함께 before taking is read (interactions).
        (
            "피가 오래 남 | 피가 안 멈춤\tbleed longer\n소변이 잘 안 나옴\ttrouble urinating\n"
            "허리를 삐끗함\tthrew out my back\n함께 먹는 약\tinteractions\n",
            "2: '피가 오래 남' reads without '오래'",
            ("피가 안 멈춤", "소변이 잘 안 나옴", "허리를 삐끗함", "함께 먹는 약"),
        ),
        # `feeling down` reads as `feel` (down is a stop word): `i feel nauseous` joined the
        # depression line and listed sertraline first. Framing words side by side name a need
        # of their own (`taking too much`, an overdose).
        (
            "우울증 | 기분이 가라앉음\tdepression | feeling down\n"
            "과다 복용\toverdose | taking too much\n",
            "2: 'feeling down' reads as one word that only frames a need",
            ("기분이 가라앉음", "taking too much", "depression", "overdose"),
        ),
    ],
)
def test_check_command_reports_a_term_that_reads_as_less_than_it_says(
    monkeypatch: pytest.MonkeyPatch,
    content_dir: Path,
    tmp_path: Path,
    rows: str,
    problem: str,
    fine: tuple[str, ...],
) -> None:
    """A term whose adverb no search reads, or of several words read as one framing word,
    reaches the line by what it does not say. The bundled glossary has none."""
    path = tmp_path / "glossary.tsv"
    path.write_text("ko\ten\n" + rows, encoding="utf-8")
    result = _check_with_glossary(monkeypatch, content_dir, path)
    assert result.exit_code == 1
    assert f"{path}:{problem}" in result.output
    for term in fine:
        assert term not in result.output


def test_check_command_names_a_term_an_article_spells_but_kiwi_reads_otherwise(
    monkeypatch: pytest.MonkeyPatch, content_dir: Path, tmp_path: Path
) -> None:
    """Kiwi reads 서맥 (bradycardia) alone as one word, but at the head of a list line as 서 +
    맥, so the line would never find the article that lists it; 맥박 is read there as itself,
    and 서맥 inside a longer word is another word. The bundled glossary has no such term."""
    body = "흔한 부작용:\n\n- 발진\n- 서맥\n\n드물지만 심각한 부작용: 빈맥, 맥박 이상"
    article = write_article(content_dir, "beta", "ko", article_text("베타 차단제", body))
    path = tmp_path / "glossary.tsv"
    path.write_text("ko\ten\n서맥\tbradycardia\n맥박\tpulse\n", encoding="utf-8")
    result = _check_with_glossary(monkeypatch, content_dir, path)
    assert result.exit_code == 1
    assert f"{path}:2: '서맥' is in {article} but read there as other words" in result.output
    assert "맥박" not in result.output
    articles, _ = scan_content(Path("kb/articles"))
    assert glossary_misreadings(Path("translations/glossary.tsv"), articles) == []


@pytest.mark.parametrize("query", ["잠 잘 오는 약", "잠이 잘 오게 하는 약"])
def test_asking_for_sleep_finds_the_sleeping_pill_not_what_keeps_you_awake(
    bundled_index: kb.KnowledgeIndex, query: str
) -> None:
    """Word by word, 잠 잘 오는 matches 게보린's side effect 잠이 잘 안 옴 (caffeine); the
    glossary's positive phrase 잠 오는 약 means 수면제, and a negated text never matches it."""
    for mode in ("hybrid", "lexical"):
        assert kb.search(bundled_index, query, "ko", mode=mode).hits[0].slug == "zolpidem"


def test_high_blood_sugar_is_diabetes_not_a_typo_of_high_blood_pressure(
    bundled_index: kb.KnowledgeIndex,
) -> None:
    """No article says 고혈당 (high blood sugar), two keys from 고혈압 (high blood pressure), so it
    was "corrected" to the blood-pressure articles; a glossary word is never a typo, and its
    line takes it to the diabetes article."""
    for query, locale in (("고혈당", "ko"), ("hyperglycemia", "en")):
        page = kb.search(bundled_index, query, locale, mode="lexical")
        assert page.corrected is None and page.suggestion is None
        assert page.hits[0].slug == "metformin", (query, [hit.slug for hit in page.hits])


def test_a_pregnant_reader_finds_what_the_articles_say_of_pregnancy(
    bundled_index: kb.KnowledgeIndex,
) -> None:
    """The articles say 임신 (pregnancy), never 임산부 (a pregnant woman), which found two of them
    only as the typo 임신부; and an English article that says only "pregnant" was no match
    for "pregnancy" (two stems). The glossary's line joins the words."""
    page = kb.search(bundled_index, "임산부", "ko", per_page=100)
    assert page.corrected is None
    hits = {hit.slug: hit for hit in page.hits}
    assert {"warfarin", "losartan", "acetaminophen", "sertraline"} <= set(hits)
    assert "<mark>임신</mark>" in hits["warfarin"].snippet
    english = kb.search(bundled_index, "pregnancy", "en", per_page=100, mode="lexical")
    assert "diphenhydramine" in {hit.slug for hit in english.hits}


@pytest.mark.parametrize(
    ("query", "locale", "articles_say"),
    [
        ("노인", "ko", r"고령"),  # found nothing
        ("어르신", "ko", r"고령"),
        ("elderly", "en", r"[Oo]lder (people|adults)"),  # found nothing
        ("seniors", "en", r"[Oo]lder (people|adults)"),  # found nothing
        ("음주", "ko", r"(?<![가-힣])술"),  # found nothing; 수술 is surgery
        ("booze", "en", r"[Aa]lcohol"),
        ("nursing mothers", "en", r"breastfeeding"),
        ("모유 수유", "ko", r"수유"),
        ("담배", "ko", r"흡연"),  # found nothing
        ("kids", "en", r"\bchildren\b"),
        ("비처방", "ko", r"일반의약품"),  # found nothing
        ("OTC", "en", r"without\s+a\s+prescription|non-prescription|over\s+the\s+counter"),
        ("UTI", "en", r"urinary\s+tract\s+infection"),  # found nothing
        ("bladder infection", "en", r"urinary\s+tract\s+infection"),
        ("방광염", "ko", r"요로감염"),
        ("water pill", "en", r"diuretic"),  # amoxicillin's capsules "mixed with water" first
    ],
)
def test_a_readers_everyday_word_finds_every_article_that_says_it_formally(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str, articles_say: str
) -> None:
    """Readers ask for 노인 or the elderly, 음주 or booze; the articles say 고령자, older
    people, 술, alcohol. Each article that says it in the reader's language is found."""
    saying = {
        path.parent.name
        for path in BUNDLED_CONTENT.glob(f"*/{locale}.md")
        if re.search(articles_say, path.read_text(encoding="utf-8"))
    }
    found = {hit.slug for hit in kb.search(bundled_index, query, locale, per_page=100).hits}
    assert saying and saying <= found, sorted(saying - found)


def test_the_glossary_knows_its_words_whatever_follows_them() -> None:
    """A particle or an inflection doesn't hide a glossary word; a word it lacks is unknown."""
    glossary = Glossary.from_terms([{"ko": ("모기 물림",), "en": ("mosquito bite",)}])
    assert glossary.knows("ko", "모기에") and glossary.knows("ko", "물렸어요")
    assert glossary.knows("en", "bites") and glossary.knows("en", "mosquitoes")
    assert not glossary.knows("ko", "초기에") and not glossary.knows("en", "biter")


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("can't sleep", "zolpidem"),  # found nothing: no glossary term was `sleep` alone
        ("cannot sleep", "zolpidem"),
        ("cant sleep", "zolpidem"),  # as typed, without the apostrophe
        ("doesnt make you drowsy", "cetirizine"),
        ("not drowsy", "cetirizine"),  # the drowsiness line put the drowsy one first
    ],
)
def test_an_english_negation_finds_korean_articles_through_the_negated_line(
    tmp_path: Path, query: str, first: str
) -> None:
    """English marks the word a `not` or `n't` negates, as Korean marks the verb after 안 or
    before 않, so the glossary's negated terms (`can't sleep`, `not drowsy`) match it, and it
    reaches Korean-only articles by words alone."""
    content = tmp_path / "content"
    write_article(
        content, "zolpidem", "ko", article_text("졸피뎀", "불면증 치료에 쓰는 수면제입니다.")
    )
    write_article(
        content, "cetirizine", "ko", article_text("세티리진", "알레르기 약이며 졸리지 않음.")
    )
    write_article(content, "diphen", "ko", article_text("디펜히드라민", "졸음이 심합니다. 졸림."))
    kb.build_index(content, tmp_path / "index", glossary=BUNDLED_GLOSSARY)
    found = kb.search(kb.open_index(tmp_path / "index"), query, "en", mode="lexical")
    assert found.hits and found.hits[0].slug == first


@pytest.mark.parametrize(
    "query",
    ["allergy pill that does not make you drowsy", "antihistamine that doesn't make you sleepy"],
)
def test_a_negated_side_effect_is_searched_as_the_lines_other_terms(
    bundled_index: kb.KnowledgeIndex, query: str
) -> None:
    """The word itself (`drowsy`) is what an article says of the opposite: diphenhydramine,
    drowsy, came first. The non-drowsy line's unnegated terms (`non-drowsy`, `less drowsy`)
    stand for it; `drowsy` alone still finds the drowsy one."""
    for mode in ("hybrid", "lexical"):
        found = kb.search(bundled_index, query, "en", mode=mode)
        assert found.hits[0].slug == "cetirizine", mode
    drowsy = kb.search(bundled_index, "medicine that makes you drowsy", "en", mode="lexical")
    assert drowsy.hits[0].slug == "diphenhydramine"
    hybrid = kb.search(bundled_index, "medicine that makes you drowsy", "en")
    assert "diphenhydramine" in [hit.slug for hit in hybrid.hits[:2]]


@pytest.mark.parametrize(
    ("query", "locale", "wanted"),
    [
        # not amlodipine, metformin nor 게보린
        ("살찌는 약", "ko", {"prednisolone", "pregabalin", "gabapentin", "sertraline"}),
        ("살이 쪄요", "ko", {"prednisolone", "pregabalin", "gabapentin", "sertraline"}),
        ("몸무게가 늘었어요", "ko", {"prednisolone", "pregabalin", "gabapentin", "sertraline"}),
        ("gaining weight", "en", {"prednisolone", "pregabalin", "gabapentin", "sertraline"}),
        # omeprazole and famotidine: unexplained weight loss, a sign to see a doctor first
        ("살이 빠져요", "ko", {"levothyroxine", "omeprazole", "famotidine", "sertraline"}),
        ("체중이 줄었어요", "ko", {"levothyroxine", "omeprazole", "famotidine", "sertraline"}),
        ("I lost weight", "en", {"levothyroxine", "omeprazole", "famotidine", "sertraline"}),
    ],
)
def test_weight_said_in_everyday_words_finds_the_articles_that_name_it(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str, wanted: set[str]
) -> None:
    """The articles say 체중 증가 / weight gain and 체중 감소 / weight loss; readers say 살이 쪄요
    or 몸무게가 늘었어요, which the glossary's weight lines join to them."""
    for mode in ("hybrid", "lexical"):
        top = slugs(bundled_index, query, locale, mode)[: len(wanted)]
        assert set(top) == wanted, (mode, top)


@pytest.mark.parametrize(
    ("query", "locale"), [("편두통", "ko"), ("migraine", "en"), ("편두통약", "ko")]
)
def test_a_migraine_finds_the_painkillers_not_the_antidepressant_that_names_it(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str
) -> None:
    """Only sertraline's precautions said migraine (its medicines raise serotonin), so it was
    all `migraine` found; the painkillers' uses now say they treat it, as they do."""
    top = slugs(bundled_index, query, locale, "hybrid")[:3]
    assert set(top) == {"acetaminophen", "ibuprofen", "aspirin"}, top


def test_afib_finds_the_blood_thinner(bundled_index: kb.KnowledgeIndex) -> None:
    """Readers shorten atrial fibrillation to afib, which no article says."""
    assert slugs(bundled_index, "afib", "en", "hybrid")[:1] == ["warfarin"]


@pytest.mark.parametrize(
    ("query", "locale", "wanted"),
    [
        ("레이 증후군", "ko", {"aspirin"}),  # 라이 증후군, as the article spells it: nothing
        ("Reye's syndrome", "en", {"aspirin"}),  # gabapentin: restless legs syndrome, in its uses
        ("addiction", "en", {"gabapentin", "pregabalin", "zolpidem"}),  # nothing: "dependence"
        ("중독성 있는 약", "ko", {"gabapentin", "pregabalin", "zolpidem"}),  # metformin
        # omeprazole, a proton pump inhibitor, came first; the cough medicine may come first
        ("ace inhibitor cough", "en", {"losartan", "dextromethorphan"}),
    ],
)
def test_a_precaution_named_as_readers_name_it_finds_its_articles(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str, wanted: set[str]
) -> None:
    """A warning said in another spelling or word than the article's: the glossary's line makes
    it one concept, so a word of it that every article has (syndrome) no longer outranks it."""
    for mode in ("hybrid", "lexical"):
        top = slugs(bundled_index, query, locale, mode)
        assert set(top[: len(wanted)]) == wanted, (mode, top)


@pytest.mark.parametrize(
    ("query", "locale", "treating"),
    [
        # no article was about a cough: `기침약` listed all 19 articles, losartan (a dry cough
        # among its side effects) and warfarin (coughing up blood) first
        *((query, locale, "dextromethorphan") for query, locale in [
            ("기침약", "ko"), ("기침이 안 멈춰요", "ko"), ("cough medicine", "en"),
            ("dry cough", "en"), ("DXM", "en")]),
        # indigestion was only a side effect (aspirin, ibuprofen, sertraline, …): `소화가 안
        # 돼요` put sertraline first and `체했어요` found nothing; omeprazole's uses now name
        # indigestion caused by acid, as the NHS lists it
        *((query, locale, "omeprazole") for query, locale in [
            ("소화가 안 돼요", "ko"), ("소화불량", "ko"), ("체했어요", "ko"),
            ("indigestion", "en"), ("upset stomach", "en")]),
    ],
)  # fmt: skip
def test_a_need_finds_the_medicine_for_it_first(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str, treating: str
) -> None:
    for mode in ("hybrid", "lexical"):
        assert slugs(bundled_index, query, locale, mode)[0] == treating, mode


def test_how_a_medicine_is_taken_is_found_in_the_readers_words(
    bundled_index: kb.KnowledgeIndex,
) -> None:
    """`max` is no stem of "maximum", and 빈속 (what 게보린 says) is 공복, an empty stomach: the
    reader was told no article has `max`, and shown acetaminophen's side effects "at
    recommended doses"; `levothyroxine empty stomach` listed every article saying "stomach"."""
    page = kb.search(bundled_index, "max dose tylenol", "en")
    assert not page.missing
    assert page.hits[0].slug == "acetaminophen"
    assert "<mark>maximum</mark>" in page.hits[0].snippet
    slugs = [h.slug for h in kb.search(bundled_index, "levothyroxine empty stomach", "en").hits]
    assert slugs[0] == "levothyroxine"
    assert "geworin" in slugs  # "빈속을 피해 복용하고": not on an empty stomach
    assert "omeprazole" not in slugs  # "the acid the stomach makes"


@pytest.mark.parametrize(
    ("query", "unwanted"),
    [
        # `aching all over` (body aches, 몸살) reads as `ach`: acetaminophen's "the body aches
        # of colds" came first for a stomach ache, and muscle aches expanded to it
        ("stomach ache", "acetaminophen"),
        # `threw up` reads as `throw`: diphenhydramine's motion sickness was back pain
        ("threw out my back", "diphenhydramine"),
    ],
)
def test_a_word_of_a_longer_need_is_not_another_need(
    bundled_index: kb.KnowledgeIndex, query: str, unwanted: str
) -> None:
    hits = kb.search(bundled_index, query, "en", mode="lexical").hits
    assert unwanted not in [h.slug for h in hits]  # neither first nor anywhere in the list


@pytest.mark.parametrize(
    ("query", "locale", "slug"),
    [
        ("신지로이드 부작용", "ko", "levothyroxine"),  # the article spells it 씬지로이드
        ("부루펜 주의사항", "ko", "ibuprofen"),
        ("쿠마딘 주의사항", "en", "warfarin"),
        ("편두통 주의사항", "en", "acetaminophen"),
        ("세르트랄린 부작용", "ko", "sertraline"),  # a spelling only the glossary has
    ],
)
def test_a_name_the_text_spells_otherwise_asked_about_is_answered(
    client, query: str, locale: str, slug: str
) -> None:
    """The snippet took the name's recall bigrams (`^신지`) for words a text can show, and 75
    such queries of the bundled glossary's terms failed with a server error."""
    response = client.get(f"/{locale}/search", query_string={"q": query})
    assert response.status_code == 200
    assert f"/{locale}/articles/{slug}" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "unwanted"),
    [
        ("low thyroid", "aspirin"),  # "low-dose tablets"
        ("heart palpitations", "warfarin"),  # "irregular heart rhythm"
        ("lightheaded", None),  # found nothing
    ],
)
def test_a_need_in_everyday_english_is_one_need(
    bundled_index: kb.KnowledgeIndex, query: str, unwanted: str | None
) -> None:
    """Readers say low thyroid, heart palpitations, lightheaded: the glossary's terms, one
    need each, not words any article has apart."""
    page = kb.search(bundled_index, query, "en", mode="lexical")
    assert page.hits and not page.missing
    assert unwanted not in {h.slug for h in page.hits}


@pytest.mark.parametrize("query", ["이가 아파요", "이빨이 아파요", "치아가 아파요", "tooth pain"])
def test_a_toothache_in_everyday_words_finds_the_painkillers(
    bundled_index: kb.KnowledgeIndex, query: str
) -> None:
    """`이가 아파요` listed omeprazole and pregabalin for saying 아프고 elsewhere, and only 게보린
    of the four painkillers whose uses name 치통."""
    painkillers = {"acetaminophen", "ibuprofen", "aspirin", "geworin"}
    locale = "en" if query.isascii() else "ko"
    top = {h.slug for h in kb.search(bundled_index, query, locale, mode="lexical").hits[:4]}
    assert top == painkillers


@pytest.mark.parametrize(
    ("query", "first", "not_second"),
    [
        # each blood-pressure medicine covered 혈압 alone (0.71, 0.42), atorvastatin 높은
        ("혈압이 높아요", "amlodipine", "atorvastatin"),
        ("혈당이 높아요", "metformin", "atorvastatin"),  # its 혈당 상승, a side effect, came second
        ("얼굴이 빨개져요", "amlodipine", None),  # 빨개져요 was missing: 안면홍조, a side effect
    ],
)
def test_a_state_said_as_a_sentence_is_the_glossarys_term(
    bundled_index: kb.KnowledgeIndex, query: str, first: str, not_second: str | None
) -> None:
    """`혈압이 높아요` is 고혈압, `얼굴이 빨개져요` 안면홍조: one need each, not words any article
    has apart."""
    page = kb.search(bundled_index, query, "ko", mode="lexical")
    assert not page.missing
    assert page.hits[0].slug == first
    if not_second is None:  # what no article treats: named so (amlodipine lists it)
        assert page.aside_only == (query,)
    else:
        assert page.hits[0].coverage == 1.0
        assert not_second not in {h.slug for h in page.hits[:2]}


@pytest.mark.parametrize(
    ("query", "locale", "slug", "marked"),
    [
        # zolpidem's "머리가 멍한" and warfarin's "힘이 빠짐" came first
        ("머리가 빠져요", "ko", "levothyroxine", "<mark>탈모</mark>"),
        # 소리 was missing, and 게보린's "귀의 통증" first
        ("귀에서 소리가 나요", "ko", "aspirin", "<mark>귀울림</mark>"),
        ("ringing in my ears", "en", "aspirin", "<mark>ringing</mark> in the <mark>ears</mark>"),
        ("tinnitus", "en", "aspirin", "<mark>ringing</mark> in the <mark>ears</mark>"),
    ],
)
def test_a_side_effect_in_everyday_words_finds_the_article_listing_it(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str, slug: str, marked: str
) -> None:
    """Hair falling out and ringing in the ears, as readers say them: the one article that
    lists each among its side effects comes first, marked where it says so."""
    page = kb.search(bundled_index, query, locale)
    assert page.hits[0].slug == slug and marked in page.hits[0].snippet


def test_the_lines_naming_a_kind_of_medicine_are_told_from_their_terms_as_written() -> None:
    """부신피질호르몬제 is analysed as 부신 + 피질 + 호르몬, losing the 제 that says it is a
    medicine; the line is marked when the glossary is built and kept with the build."""
    glossary = load_glossary(BUNDLED_GLOSSARY)

    def kind(locale: str, words: tuple[str, ...]) -> bool:
        return any(line in glossary.kinds for line in glossary.lines_of(locale, words))

    assert kind("en", ("steroid",)) and kind("ko", ("스테로이드",))
    assert kind("en", ("blood", "pressur", "pill")) and kind("en", ("statin",))
    assert not kind("en", ("hypertens",))  # the need, not the medicine for it
    assert not kind("en", ("pill",))  # a word for any medicine
    assert Glossary.from_json(glossary.to_json()) == glossary


def test_blood_pressure_medicine_finds_what_lowers_it_not_what_warns_of_it(bundled_index) -> None:
    """혈압약 shared a line with 고혈압, so it found every article warning about high blood
    pressure (atorvastatin, pseudoephedrine, prednisolone) beside the two that treat it."""
    for query, locale in [("혈압약", "ko"), ("blood pressure pills", "en")]:
        slugs = [hit.slug for hit in kb.search(bundled_index, query, locale).hits]
        assert set(slugs[:2]) == {"amlodipine", "losartan"}, slugs
        assert not {"atorvastatin", "pseudoephedrine", "prednisolone"} & set(slugs), slugs


@pytest.mark.parametrize(
    ("query", "locale", "slug", "shown"),
    [
        ("로사르탄 칼륨", "en", "losartan", "high blood <mark>potassium</mark>"),
        ("프레드니솔론 혈당", "en", "prednisolone", "higher <mark>blood</mark> <mark>sugar</mark>"),
        ("아스피린 위출혈", "en", "aspirin", "<mark>stomach</mark> <mark>bleeding</mark>"),
        ("아스피린 위출혈", "ko", "aspirin", "<mark>위장</mark> <mark>출혈</mark>"),
        ("pregabalin withdrawal", "ko", "pregabalin", "<mark>금단</mark> <mark>증상</mark>"),
        ("메트포르민 조영제", "en", "metformin", "<mark>contrast</mark> <mark>dye</mark>"),
        ("서트랄린 살찌나요", "ko", "sertraline", "<mark>체중</mark> <mark>증가</mark>"),
        ("does sertraline cause weight gain", "en", "sertraline", "<mark>weight</mark> <mark>gain"),
        ("gabapentin weight gain", "en", "gabapentin", "<mark>weight</mark> <mark>gain"),
        # after a name, Kiwi reads 졸음 as 졸다 + 음: the glossary's line for it went unread
        ("리리카 졸음", "en", "pregabalin", "<mark>drowsiness</mark>"),
        ("가바펜틴 졸음", "en", "gabapentin", "<mark>drowsiness</mark>"),
        ("서트랄린 끊을 때", "en", "sertraline", "Do not <mark>stop</mark> <mark>taking</mark> it"),
        ("갑상선약", "en", "levothyroxine", "the <mark>thyroid</mark> <mark>gland</mark>"),
        ("thyroid pill", "ko", "levothyroxine", "<mark>갑상선</mark>에서 만들어지는"),
        ("밤에 자꾸 깨요", "en", "zolpidem", "<mark>trouble</mark> <mark>staying</mark>"),
        ("알약을 쪼개서 먹어도 되나요", "ko", "omeprazole", "<mark>부수</mark>거나 씹지 말고"),
        ("can i split omeprazole", "ko", "omeprazole", "<mark>부수</mark>거나 씹지 말고"),
        # amlodipine said nothing of when in the day; 아침 had no English word
        ("amlodipine morning or night", "ko", "amlodipine", "<mark>아침</mark>이든 저녁이든"),
        ("암로디핀 아침 저녁", "en", "amlodipine", "in the <mark>morning</mark> or at night"),
        # 식전 and 식후 (before and after meals) found no article at all
        ("식전 식후", "ko", "metformin", "<mark>식사</mark>와 함께"),
        ("메트포르민 식후", "en", "metformin", "with <mark>meals</mark>"),
        ("오메프라졸 식전", "en", "omeprazole", "before a <mark>meal</mark>"),
        ("와파린 멍", "en", "warfarin", "<mark>bruising</mark> more easily"),
        ("와파린 피가 안 멈춰요", "en", "warfarin", "cuts that <mark>bleed</mark> <mark>longer"),
    ],
)
def test_a_body_word_asked_of_a_medicine_is_shown_in_either_language(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str, slug: str, shown: str
) -> None:
    """The glossary had no line for words as plain as 칼륨 (potassium), 혈당 (blood sugar) or
    위출혈 (stomach bleeding), so the other language's article showed its opening; and the
    sertraline and gabapentin articles said nothing of weight."""
    hit = kb.search(bundled_index, query, locale).hits[0]
    assert hit.slug == slug and hit.locale == locale and shown in hit.snippet, hit.snippet


def test_liver_is_not_read_as_going(bundled_index: kb.KnowledgeIndex) -> None:
    """`타이레놀 간` marked 가 of "병원에 가세요" (go to hospital): 간 was also read as 가다, a
    verb every article's advice says."""
    hit = kb.search(bundled_index, "타이레놀 간", "ko").hits[0]
    assert hit.slug == "acetaminophen" and "<mark>간</mark> 손상" in hit.snippet
    assert "<mark>가</mark>" not in hit.snippet, hit.snippet


@pytest.mark.parametrize("query", ["기분이 안 좋을 때 먹는 약", "기분이 처져요", "기분이 나빠요"])
def test_feeling_down_in_everyday_words_finds_the_antidepressant(
    bundled_index: kb.KnowledgeIndex, query: str
) -> None:
    """The mood line had only 우울한 기분 and 슬픈 기분: `기분이 안 좋을 때` listed amlodipine
    first, for its "좋", then the articles whose side effects are mood changes."""
    assert kb.search(bundled_index, query, "ko").hits[0].slug == "sertraline"


def test_a_weak_organ_is_not_a_word_to_find(bundled_index: kb.KnowledgeIndex) -> None:
    """`신장 안 좋을 때 진통제` put geworin's "좋아지지 않거나" first."""
    hits = kb.search(bundled_index, "신장 안 좋을 때 진통제", "ko").hits
    assert not any("<mark>좋</mark>" in hit.snippet for hit in hits)
    assert hits[0].slug != "geworin"
