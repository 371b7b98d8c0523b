"""A need named with a condition: `임신 중 두통약`, `headache pill while pregnant`, `노인 수면제`.
What serves the need without warning against the condition comes first (for whom: pregnancy,
breastfeeding, children, older adults), and a result that warns shows where (``Hit.caution``)."""

from __future__ import annotations

import pytest

import kb
import kb.searching
from kb.query import parse_query

# Two headache medicines and a blood pressure one: painex says headache most, but warns against
# pregnancy; calmol only says to ask; pressurol warns too, and treats no headache. Each says
# enough about its uses that a snippet of them does not reach the precautions.
USES = " ".join(["It comes as tablets and a syrup, taken with water after a meal."] * 4)
USES_KO = " ".join(["정제와 시럽이 있으며 식사 뒤에 물과 함께 먹습니다."] * 4)
CALMOL = (
    "Calmol",
    f"Calmol relieves headache and fever: a headache medicine. {USES}\n\n## Precautions\n\n"
    "- Pregnancy: if you are pregnant, ask a doctor before use.\n",
)
PAINEX = (
    "Painex",
    "Painex relieves headache, toothache and period pain: a strong headache medicine for a bad "
    f"headache. {USES}\n\n## Precautions\n\n"
    "- Pregnancy: do not use it at 20 weeks of pregnancy or later; it may harm the unborn baby.\n"
    "- Kidneys: do not use it if you have kidney disease.\n",
)
PRESSUROL = (
    "Pressurol",
    f"Pressurol lowers blood pressure. {USES}\n\n## Side effects\n\n- headache\n\n"
    "## Precautions\n\n- Pregnancy: do not take it if you are pregnant.\n",
)
CALMOL_KO = (
    "진정정",
    f"진정정은 두통과 열을 줄여 주는 두통약입니다. {USES_KO}\n\n## 주의사항\n\n"
    "- 임신: 임신 중이라면 복용 전에 의사와 상의하세요.\n",
)
PAINEX_KO = (
    "강통정",
    f"강통정은 두통, 치통, 생리통을 줄이는 두통약입니다. 심한 두통에 씁니다. {USES_KO}\n\n"
    "## 주의사항\n\n"
    "- 임신: 임신 20주 이후에는 복용하지 마세요. 태아에게 해를 줄 수 있습니다.\n",
)


@pytest.fixture
def index(make_index) -> kb.KnowledgeIndex:
    return make_index(
        {
            ("calmol", "en"): CALMOL,
            ("painex", "en"): PAINEX,
            ("pressurol", "en"): PRESSUROL,
            ("calmol", "ko"): CALMOL_KO,
            ("painex", "ko"): PAINEX_KO,
        }
    )


def slugs(index: kb.KnowledgeIndex, query: str, locale: str, mode: str = "lexical") -> list[str]:
    return [hit.slug for hit in kb.search(index, query, locale, mode=mode).hits]


@pytest.mark.parametrize(
    ("query", "locale"),
    [
        ("headache medicine in pregnancy", "en"),
        ("headache pill during pregnancy", "en"),
        ("임신 중 두통약", "ko"),
        ("임신했을 때 두통약", "ko"),
        ("임신 기간 두통약", "ko"),  # 기간 (a period), which no article says, is no need
    ],
)
def test_what_serves_the_need_without_warning_comes_first(index, query, locale) -> None:
    """Painex, which says headache most, came first; pressurol, which treats no headache, stays
    after both. (By their words: with three articles, meaning decides hybrid search. Without
    the glossary, `pregnant` is another word than `pregnancy`.)"""
    found = slugs(index, query, locale)
    assert found.index("calmol") < found.index("painex")
    assert "pressurol" not in found or found.index("pressurol") > found.index("painex")


def test_the_warning_is_shown_beside_the_result(index) -> None:
    hits = {hit.slug: hit for hit in kb.search(index, "headache pill during pregnancy", "en").hits}
    assert "<mark>pregnancy</mark> or later" in hits["painex"].caution
    assert "kidney" not in hits["painex"].caution  # the line about the condition asked, only
    assert hits["calmol"].caution == ""  # asking a doctor is no warning
    korean = {hit.slug: hit for hit in kb.search(index, "임신 중 두통약", "ko").hits}
    assert "<mark>임신</mark> 20주 이후에는 복용하지 마세요" in korean["painex"].caution


@pytest.mark.parametrize("query", ["pregnancy", "pregnancy warnings", "unsafe in pregnancy"])
def test_a_condition_alone_or_asked_about_is_not_ranked_down(index, query) -> None:
    """`pregnancy` alone asks what the articles say of it, and `pregnancy warnings` or a
    caution request asks for the warnings themselves: those that warn rank as they did."""
    found = slugs(index, query, "en")
    assert found.index("painex") < found.index("calmol")
    assert all(not hit.caution for hit in kb.search(index, query, "en").hits)


def test_a_named_medicine_comes_first_with_its_warning(index) -> None:
    hits = kb.search(index, "painex pregnancy", "en").hits
    assert hits[0].slug == "painex"
    assert "20 weeks" in hits[0].snippet + hits[0].caution


def test_a_state_shows_the_warning_in_the_order_words_give(index) -> None:
    """Kidney disease may be asked for what is safe or for what harms (`nsaid kidney
    problems`): the results keep their order, and show the warning."""
    found = kb.searching.find(index, "headache pill kidney disease")
    assert not len(found.ranking.later)
    hits = kb.search(index, "headache pill kidney disease", "en").hits
    assert hits[0].slug == "painex"
    shown = (hits[0].caution + hits[0].snippet).replace("<mark>", "").replace("</mark>", "")
    assert "do not use it if you have kidney disease" in shown


def test_a_caution_is_escaped(make_index) -> None:
    """Article text is shown as text: the caution's only markup is <mark>."""
    hostile = (
        "Hostol",
        f"Hostol relieves headache. {USES}\n\n## Precautions\n\n"
        "- Pregnancy: do not use it <b>in pregnancy</b> & <script>alert(1)</script>.\n",
    )
    index = make_index({("hostol", "en"): hostile, ("calmol", "en"): CALMOL})
    hit = next(h for h in kb.search(index, "headache pill pregnancy", "en").hits if h.caution)
    assert "<script>" not in hit.caution and "<b>" not in hit.caution
    assert "&lt;script&gt;" in hit.caution and "<mark>" in hit.caution


@pytest.mark.parametrize(
    ("query", "conditions", "for_whom", "needs"),
    [
        ("임신 중 두통약", ["임신"], ["임신"], ["두통"]),  # not 중 (during)
        ("아이 해열제", ["아이"], ["아이"], ["해열제"]),  # not Kiwi's interjection 아이
        ("우리 아이 감기약", ["아이"], ["아이"], ["감기"]),
        ("신장 안 좋을 때 진통제", ["신장"], [], ["진통제"]),  # 좋 is a verb: no need
        ("sleeping pill for the elderly", ["elderly"], ["elderly"], ["sleeping pill"]),
        ("임신", [], [], []),
        ("임산부 코막힘", ["임산부"], ["임산부"], ["코막힘"]),  # 코 + 막히 + ㅁ: a noun
        ("임신 중 코막힘 약", ["임신"], ["임신"], ["코막힘"]),
        ("어린이 설사 멎는 약", ["어린이"], ["어린이"], ["설사 멎는 약"]),  # a glossary phrase
        ("임신 중 먹기", [], [], []),  # a verb alone made a noun: how it is taken
        ("임신 중에 안 좋은 약", [], [], []),  # asks what is bad in pregnancy
        ("두통 부작용", [], [], []),
        # a state a patient, or a person said to have it, has, whatever it is (a state: the
        # results keep their order and show their warning)
        ("고혈압 환자 감기약", ["고혈압"], [], ["감기약"]),
        ("통풍이 있는 환자 진통제", ["통풍"], [], ["진통제"]),
        ("천식 있는 사람 진통제", ["천식"], [], ["진통제"]),
        ("painkiller for patients with gout", ["gout"], [], ["painkiller"]),
        ("프랑스 사람 두통약", [], [], []),  # who, not what they have
        # or a person said to have it as it is: high, low, weak, not good
        ("혈압 높은 사람 감기약", ["혈압"], [], ["감기"]),
        ("위가 약한 사람 진통제", ["위"], [], ["진통제"]),
        ("콩팥 안 좋은 사람 진통제", ["콩팥"], [], ["진통제"]),
        ("키 큰 사람 두통약", [], [], []),  # how they are, no state they have
        # one word naming both: diabetics, a diabetic; not what is diabetic
        ("cold medicine for diabetics", ["diabetics"], [], ["cold"]),
        ("painkiller for an asthmatic", ["asthmatic"], [], ["painkiller"]),
        ("diabetic nerve pain medicine", [], [], []),
    ],
)
def test_conditions_and_needs_of_a_query(bundled_index, query, conditions, for_whom, needs):
    parsed = parse_query(query, bundled_index.snapshot().glossary)
    assert [parsed.text[s:e] for s, e in parsed.conditions] == conditions
    assert [parsed.text[s:e] for s, e in parsed.for_whom] == for_whom
    said = {parsed.text[s:e] for s, e in parsed.needs}
    assert set(needs) <= said
    assert not said & {"중", "좋", "안"}


@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
@pytest.mark.parametrize(
    ("query", "locale"),
    [("임신 중 두통약", "ko"), ("임산부 진통제", "ko"), ("headache pill while pregnant", "en")],
)
def test_bundled_painkillers_in_pregnancy(bundled_index, query, locale, mode) -> None:
    """Ibuprofen and aspirin warn against late pregnancy and came first or second; they still
    follow the painkillers that do not, above the articles that treat no pain."""
    hits = kb.search(bundled_index, query, locale, mode=mode).hits
    found = [hit.slug for hit in hits]
    assert found[0] in {"acetaminophen", "geworin"}
    assert "ibuprofen" in found[:5] and found.index("ibuprofen") > found.index("acetaminophen")
    ibuprofen = hits[found.index("ibuprofen")]
    assert "20" in ibuprofen.caution or "20" in ibuprofen.snippet


@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
@pytest.mark.parametrize(
    ("query", "locale"), [("노인 수면제", "ko"), ("sleeping pill for elderly", "en")]
)
def test_bundled_sleeping_pill_for_older_adults(bundled_index, query, locale, mode) -> None:
    """Zolpidem warns about falls in older people, and is still the sleeping pill: a glossary
    term matching every article (`sleeping pill` → 수면제) must not make them all serve."""
    hits = kb.search(bundled_index, query, locale, mode=mode).hits
    assert hits[0].slug == "zolpidem"
    shown = hits[0].caution + hits[0].snippet  # the snippet shows it, or the caution line
    assert "falls" in shown or "넘어질" in shown


@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
def test_bundled_medicine_in_pregnancy_lists_those_that_do_not_warn(bundled_index, mode):
    """`임신 중 먹어도 되는 약` (a medicine one may take in pregnancy) put warfarin second. Once
    17 of the 20 articles said 임신, and no article 되는, it found no article at all (hybrid:
    amoxicillin by meaning); now every article that does not warn comes before those that do,
    whose scores had been the highest (they say most of pregnancy); pseudoephedrine's "best
    avoided in the first trimester" is a warning too."""
    page = kb.search(bundled_index, "임신 중 먹어도 되는 약", "ko", mode=mode, per_page=50)
    found = [hit.slug for hit in page.hits]
    warned = {"losartan", "warfarin", "aspirin", "ibuprofen", "atorvastatin", "zolpidem",
              "pseudoephedrine"}  # fmt: skip
    assert len(found) >= 15 and warned <= set(found)
    assert not set(found[: len(found) - len(warned)]) & warned
    nursing = kb.search(bundled_index, "수유 중 먹어도 되는 약", "ko", mode=mode, per_page=50)
    assert len(nursing.hits) >= 15 and "amoxicillin" in {hit.slug for hit in nursing.hits[:3]}


@pytest.mark.parametrize(
    ("query", "warning"),
    [
        ("임산부 코막힘", "초기(첫 3개월)"),
        ("임신 중 코막힘 약", "초기(첫 3개월)"),
        ("어린이 코막힘", "2세 미만"),
    ],
)
def test_a_need_said_as_a_verb_made_a_noun_shows_the_warning(bundled_index, query, warning):
    """To Kiwi 코막힘 is 코 + 막히 + ㅁ (a verb made a noun), and `코막힘 약` a glossary phrase
    ending in 약: neither named a need beside the condition, so the decongestant's warning for
    pregnancy and for small children was not shown."""
    hit = kb.search(bundled_index, query, "ko").hits[0]
    assert hit.slug == "pseudoephedrine" and warning in hit.caution


@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
@pytest.mark.parametrize(
    "query", ["headache pill while breastfeeding", "headache medicine for seniors"]
)
def test_an_article_in_the_other_language_serves_the_need_by_the_glossary(
    bundled_index, query, mode
) -> None:
    """게보린 is in Korean only and treats 두통: for an English query beside a condition it met
    no need (no Korean article says `headache`), and with meaning fused the articles listing
    headaches among their side effects came before it (eleventh, while breastfeeding)."""
    slugs = [hit.slug for hit in kb.search(bundled_index, query, "en", mode=mode).hits]
    assert set(slugs[:4]) == {"acetaminophen", "ibuprofen", "aspirin", "geworin"}, slugs


def test_the_search_page_and_the_api_show_the_caution(client) -> None:
    html = client.get("/ko/search", query_string={"q": "임신 중 두통약"}).get_data(as_text=True)
    assert '<p class="caution" lang="ko"><strong lang="ko">주의:</strong>' in html
    assert "<mark>임신</mark> 20주 이후에는" in html
    data = client.get("/api/search", query_string={"q": "임신 중 두통약", "lang": "ko"}).get_json()
    cautions = {r["slug"]: r["caution"] for r in data["results"]}
    assert "20주" in cautions["ibuprofen"] and cautions["acetaminophen"] == ""
    english = client.get("/en/search", query_string={"q": "임신 중 두통약"}).get_data(as_text=True)
    assert '<strong lang="en">Caution:</strong>' in english  # the label in the reader's locale


@pytest.mark.parametrize(
    ("query", "needs"),
    [
        ("신장 질환 진통제", ["진통제"]),  # 질환 (disease) is the state, no need
        ("신장 기능 저하 진통제", ["진통제"]),
        ("콩팥병 환자 진통제", ["진통제"]),
        ("간 나쁜 사람 진통제", ["진통제"]),  # 사람 (a person) is who is in it
        ("painkiller with kidney disease", ["painkiller"]),
        ("kidney problems painkiller", ["painkiller"]),
    ],
)
def test_a_states_own_words_are_no_need(bundled_index, query, needs) -> None:
    parsed = parse_query(query, bundled_index.snapshot().glossary)
    assert sorted(parsed.text[s:e] for s, e in parsed.needs) == needs


PAINKILLERS = {"acetaminophen", "ibuprofen", "aspirin", "geworin"}


@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
@pytest.mark.parametrize(
    ("query", "locale"),
    [
        ("신장 질환 진통제", "ko"),
        ("신장 기능 저하 진통제", "ko"),
        ("콩팥병 환자 진통제", "ko"),
        ("간 나쁜 사람 진통제", "ko"),
        # no article says "painkiller" outside its asides: the glossary's "pain reliever" does
        ("painkiller with kidney disease", "en"),
    ],
)
def test_what_serves_the_need_comes_before_what_treats_the_state(
    bundled_index, query, locale, mode
):
    """The reader in that state wants a painkiller: losartan (which treats kidney disease and
    names painkillers among its interactions) came first for `콩팥병 환자 진통제` and `painkiller
    with kidney disease`, prednisolone first for `신장 기능 저하 진통제`, all ahead of the
    painkillers (whose warnings say which to avoid: shown beside each)."""
    slugs = [h.slug for h in kb.search(bundled_index, query, locale, mode=mode).hits]
    assert set(slugs[:3]) <= PAINKILLERS, slugs[:6]


@pytest.mark.parametrize(
    ("query", "locale", "slug", "warning"),
    [
        ("콜레스테롤 약 자몽", "ko", "atorvastatin", "<mark>자몽</mark> <mark>주스</mark>를 많이"),
        ("cholesterol medicine grapefruit", "en", "atorvastatin", "large amounts of <mark>grape"),
        ("두통약 커피", "ko", "geworin", "카페인: <mark>커피</mark>, 에너지 음료"),
    ],
)
def test_what_a_reader_takes_meanwhile_is_a_condition(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str, slug: str, warning: str
) -> None:
    """Grapefruit, coffee, milk and smoking are asked about as alcohol is: the medicine for the
    need first, its warning about them shown (the snippet showed its uses); a medicine of the
    kind named (콜레스테롤 약) shows it in its snippet, a line of it on the caution line."""
    hit = {h.slug: h for h in kb.search(bundled_index, query, locale).hits}[slug]
    assert warning in hit.caution + hit.snippet, (hit.snippet, hit.caution)


@pytest.mark.parametrize(
    ("query", "locale", "shown"),
    [
        ("can i drink alcohol with amoxicillin", "en", "no known interaction"),
        ("아목시실린 술", "ko", "알려진 상호작용은 없지만"),
    ],
)
def test_a_medicine_asked_of_with_alcohol_says_what_it_knows(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str, shown: str
) -> None:
    """One of the questions most asked of an antibiotic: amoxicillin's article said nothing of
    alcohol, and showed its opening."""
    hit = kb.search(bundled_index, query, locale).hits[0]
    assert hit.slug == "amoxicillin" and shown in hit.snippet, hit.snippet


@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
@pytest.mark.parametrize(
    ("query", "treating"),
    [
        ("고혈압 환자 감기약", {"losartan", "amlodipine"}),
        ("혈압 높은 사람 감기약", {"losartan", "amlodipine"}),
        ("혈당 높은 사람 감기약", {"metformin", "pregabalin"}),
        ("당뇨 환자 감기약", {"losartan", "metformin", "pregabalin"}),
        ("통풍 환자 진통제", {"losartan"}),
        ("cold medicine for diabetics", {"metformin", "losartan"}),
    ],
)
def test_a_patients_state_does_not_bring_what_treats_it(bundled_index, query, treating, mode):
    """`고혈압 환자 감기약` (a cold medicine for someone with high blood pressure) listed
    losartan and amlodipine first, `당뇨 환자 감기약` losartan, prednisolone and pregabalin
    (환자, 당뇨병), `통풍 환자 진통제` losartan (환자 and its painkiller interaction): the state
    was a need like the cold medicine. The medicines for the need now come first."""
    found = [hit.slug for hit in kb.search(bundled_index, query, "ko", mode=mode).hits]
    assert not set(found[:3]) & treating, found[:5]


@pytest.mark.parametrize(
    ("query", "slug", "shown"),
    [
        ("임신 중 타이레놀 먹어도 되나요", "acetaminophen", "<mark>임신</mark> 중이거나 수유"),
        ("와파린 먹는데 술 마셔도", "warfarin", "<mark>술</mark>은 피하거나 적은 양을"),
        ("술 먹고 타이레놀 먹어도 되나요", "acetaminophen", "<mark>술</mark>을 많이 마실 때"),
    ],
)
def test_taking_a_named_medicine_beside_a_condition_shows_what_it_says_of_it(
    bundled_index: kb.KnowledgeIndex, query: str, slug: str, shown: str
) -> None:
    """`먹어도 되나요` asks whether the condition allows the medicine named: its 먹 had chosen
    acetaminophen's strengths ("어린이용 씹어 먹는 정제") and warfarin's opening."""
    hit = {h.slug: h for h in kb.search(bundled_index, query, "ko").hits}[slug]
    assert shown in hit.snippet, hit.snippet


@pytest.mark.parametrize(
    ("query", "locale", "slug", "shown"),
    [
        # zolpidem's storage, "다른 사람이 먹지 않도록" (so no one else takes it)
        ("수면제 먹는 사람 술", "ko", "zolpidem", "<mark>술</mark>과 함께"),
        ("와파린 먹는 사람 진통제", "ko", "warfarin", "소염<mark>진통제</mark>"),  # 사람마다 용량
        ("갑상선약 먹는 사람 커피", "ko", "levothyroxine", "<mark>커피</mark>, 콩"),
        ("people on warfarin painkiller", "en", "warfarin", "NSAID <mark>painkillers</mark>"),
    ],
)
def test_who_the_reader_is_chooses_no_snippet(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str, slug: str, shown: str
) -> None:
    """사람 after the clause that says what the reader takes (`와파린 먹는 사람`), `people on`:
    every article says 사람 or "person", and the window most full of them won (warfarin's
    "INR … 사람마다 용량을 조절", the dose adjusted for each person)."""
    hit = {h.slug: h for h in kb.search(bundled_index, query, locale).hits}[slug]
    assert shown in hit.snippet, hit.snippet


def test_a_person_who_holds_a_state_still_makes_it_a_condition(bundled_index) -> None:
    """The person word frames the need, and still says the state before it is one."""
    parsed = parse_query("천식 있는 사람 진통제", bundled_index.snapshot().glossary)
    assert [parsed.text[s:e] for s, e in parsed.conditions] == ["천식"]
    person = [c for cs in parsed.concepts.values() for c in cs if c.words == ("사람",)]
    assert person and all(c.common for c in person)
