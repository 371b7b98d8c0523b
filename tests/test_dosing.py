"""A reader who asks how much or how often to take a medicine (`타이레놀 용량`, `how much tylenol
can i take`) is shown the line that gives the amount, not the opening's strengths nor a side
effect "at recommended doses"; one who asks when, or how with meals (`이부프로펜 공복`, `when to
take omeprazole`), the line that says so."""

from __future__ import annotations

import pytest

import kb
from kb.engine import Span
from kb.intent import (
    DURATION,
    MISSED,
    ONSET,
    OVERDOSE,
    STORAGE,
    TIMING,
    answers_asked,
    asks_amount,
)
from kb.snippets import make_snippet
from tests.conftest import BUNDLED_CONTENT, result, unmarked


@pytest.mark.parametrize(
    "query",
    [
        "타이레놀 용량", "타이레놀 용량은", "타이레놀 몇 알까지 먹어도 돼요", "몇알",
        "하루에 몇 번", "얼마나 자주 먹어요", "애드빌 몇 시간 간격", "하루 최대",
        "how much tylenol can i take",
        "how often can I take ibuprofen", "ibuprofen dosage", "max dose", "Dose for kids",
    ],
)  # fmt: skip
def test_queries_asking_an_amount(query: str) -> None:
    assert asks_amount(query)


@pytest.mark.parametrize(
    "query",
    [
        "타이레놀", "저용량 아스피린", "복용을 잊었을 때", "약 먹는 걸 깜빡했어요", "missed dose",
        "what if I forget a dose", "dextromethorphan high dose", "low-dose aspirin", "overdose",
        "두통약",
    ],
)  # fmt: skip
def test_queries_asking_no_amount(query: str) -> None:
    """A low or high dose names a product or what it does, a missed dose is no amount."""
    assert not asks_amount(query)


def test_the_answer_chooses_the_window_but_is_not_marked() -> None:
    text = "Dose words first. " + "x" * 300 + " The dose is 200 mg every 6 hours."
    dose = [Span(0, 4, "dose"), Span(text.rindex("dose"), text.rindex("dose") + 4, "dose")]
    amount = [Span(text.index("200"), text.index("200") + 6, "mg")]
    plain = make_snippet(text, dose)
    assert plain.startswith("<mark>Dose</mark> words first")
    chosen = make_snippet(text, dose, telling={"mg"}, answer=amount)
    assert "The <mark>dose</mark> is 200 mg every 6 hours" in chosen
    assert "<mark>200" not in chosen and "mg</mark>" not in chosen


def test_the_answer_is_read_from_the_start_of_its_sentence() -> None:
    """The answer, unmarked, was left out of reading the window in whole sentences: the
    snippet started mid-sentence ("…of, at the very most … 4,000 mg"), without the dose it
    gives. It is read as the marked words are."""
    text = "Read the label. Adults in pain or with a fever may take a dose of, at the very most "
    text += "and only if needed, 4,000 mg a day, if the label and the pharmacist both say so."
    dose = [Span(text.index("dose"), text.index("dose") + 4, "dose")]
    at = text.index("4,000")
    amount = [Span(at, at + 8, "mg")]
    chosen = make_snippet(text, dose, size=60, telling={"mg"}, answer=amount)
    assert chosen.startswith("Adults in pain") and "4,000 mg" in chosen, chosen


# enough between the lines that no snippet shows two of them
FILLER = "".join(f"- {ache} after exercise or a long day at work\n" for ache in (
    "muscle aches", "backache", "neck pain", "joint pain", "toothache", "period pain",
))  # fmt: skip
FILLER_KO = "".join(f"- 운동이나 오래 일한 뒤의 {ache}\n" for ache in (
    "근육통", "허리 통증", "목 통증", "관절통", "치통", "생리통", "어깨 결림", "팔다리 저림",
    "무릎 통증", "손목 통증",
))  # fmt: skip
DOSOL = (
    "Dosol",
    "Dosol is a pain reliever sold as 200 mg and 400 mg tablets.\n\n"
    "## Uses\n\n- headache\n" + FILLER + "\n"
    "## Side effects\n\nAt recommended doses side effects are rare: nausea.\n" + FILLER + "\n"
    "## Precautions\n\n"
    "- Adults take 1 tablet every 4 to 6 hours, and no more than 6 tablets (1,200 mg) a day.\n"
    "- Do not take it with alcohol.\n",
)
DOSOL_KO = (
    "도솔",
    "도솔은 진통제로, 200mg 정제와 400mg 정제가 있습니다.\n\n"
    "## 효능\n\n- 두통\n" + FILLER_KO + "\n"
    "## 부작용\n\n권장 용량을 지키면 부작용은 드뭅니다: 메스꺼움.\n" + FILLER_KO + "\n"
    "## 주의사항\n\n"
    "- 성인은 4~6시간마다 1정을 먹고, 하루 최대 용량인 6정(1,200mg)을 넘기지 마세요.\n"
    "- 술과 함께 먹지 마세요.\n",
)
NODOSE = (
    "Nodosol",
    "Nodosol is a pain reliever.\n\n## Uses\n\n- headache\n\n"
    "## Precautions\n\n- Your doctor sets the dose. Tell your doctor about kidney disease.\n",
)


def assert_shown(
    index: kb.KnowledgeIndex, query: str, locale: str, slug: str, shown: str, marks: bool = True
) -> None:
    """``slug``'s result for ``query`` is read in ``locale`` and its snippet shows ``shown``
    (with its marks, or, ``marks=False``, as plain text)."""
    hit = result(index, query, locale, slug)
    snippet = hit.snippet if marks else unmarked(hit.snippet)
    assert hit.locale == locale and shown in snippet, hit.snippet


@pytest.fixture(scope="module")
def dosing_index(tmp_path_factory: pytest.TempPathFactory) -> kb.KnowledgeIndex:
    from tests.conftest import article_text, write_article

    root = tmp_path_factory.mktemp("dosing") / "content"
    for slug, locale, (title, body) in [
        ("dosol", "en", DOSOL), ("dosol", "ko", DOSOL_KO), ("nodosol", "en", NODOSE),
    ]:  # fmt: skip
        write_article(root, slug, locale, article_text(title, body))
    kb.build_index(root, root.with_name("index"))
    return kb.open_index(root.with_name("index"))


def _snippet(index: kb.KnowledgeIndex, query: str, locale: str, slug: str) -> str:
    page = kb.search(index, query, locale, mode="lexical")
    return next(hit.snippet for hit in page.hits if hit.slug == slug)


@pytest.mark.parametrize(
    ("query", "locale"),
    [
        ("Dosol dose", "en"), ("how much Dosol can I take", "en"), ("how often Dosol", "en"),
        ("도솔 용량", "ko"), ("도솔 하루에 몇 번", "ko"), ("도솔 몇 알까지 먹어도 돼요", "ko"),
    ],
)  # fmt: skip
def test_a_question_of_amount_shows_the_line_giving_it(
    dosing_index: kb.KnowledgeIndex, query: str, locale: str
) -> None:
    """Not the side effects "at recommended doses", nor the opening's strengths, though both
    say a word of the query."""
    shown = unmarked(_snippet(dosing_index, query, locale, "dosol"))
    assert ("every 4 to 6 hours" if locale == "en" else "4~6시간마다") in shown
    assert "recommended" not in shown and "권장" not in shown


@pytest.mark.parametrize(
    ("query", "locale", "shown"),
    [
        ("Dosol side effects", "en", "At recommended doses"),
        ("도솔 부작용", "ko", "권장 용량을 지키면"),
        ("Dosol missed dose", "en", "At recommended doses"),
    ],
)
def test_other_questions_keep_their_lines(
    dosing_index: kb.KnowledgeIndex, query: str, locale: str, shown: str
) -> None:
    """Side effects asked for are shown, and a missed dose asks no amount."""
    assert shown in unmarked(_snippet(dosing_index, query, locale, "dosol"))


def test_an_article_giving_no_amount_shows_where_it_speaks_of_the_dose(
    dosing_index: kb.KnowledgeIndex,
) -> None:
    assert "<mark>dose</mark>" in _snippet(dosing_index, "Nodosol dose", "en", "nodosol")


def test_an_article_the_query_does_not_name_shows_why_it_is_listed(
    bundled_index: kb.KnowledgeIndex,
) -> None:
    """`이부프로펜 용량` also lists acetaminophen, which compares itself with ibuprofen: its
    snippet shows that, not its own amounts, which nobody asked for."""
    page = kb.search(bundled_index, "이부프로펜 용량", "ko")
    other = next(hit for hit in page.hits if hit.slug == "acetaminophen")
    assert "<mark>이부프로펜</mark>" in other.snippet
    assert "4,000mg" not in other.snippet


@pytest.mark.parametrize(
    ("query", "locale", "slug", "amount"),
    [
        ("타이레놀 용량", "ko", "acetaminophen", "4,000mg"),
        ("타이레놀 몇 알까지 먹어도 돼요", "ko", "acetaminophen", "4,000mg"),
        ("tylenol dose", "en", "acetaminophen", "4,000 mg in 24 hours"),
        ("how much tylenol can i take", "en", "acetaminophen", "4,000 mg in 24 hours"),
        ("이부프로펜 용량", "ko", "ibuprofen", "4~6시간마다"),
        ("이부프로펜 하루에 몇 번", "ko", "ibuprofen", "4~6시간마다"),
        ("ibuprofen dosage", "en", "ibuprofen", "every 4 to 6 hours"),
        ("cetirizine dose", "en", "cetirizine", "one 10 mg tablet once a day"),
        ("zolpidem dose", "en", "zolpidem", "dose for women is 5 mg"),
        ("졸피뎀 용량", "ko", "zolpidem", "여성의 시작 용량이 5mg"),
        ("타이레놀 용량", "en", "acetaminophen", "4,000 mg in 24 hours"),
        ("how often can i take ibuprofen", "ko", "ibuprofen", "4~6시간마다"),
    ],
)
def test_bundled_medicines_show_their_dose(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str, slug: str, amount: str
) -> None:
    """In the language the reader reads, whichever the query is in."""
    page = kb.search(bundled_index, query, locale)
    assert page.hits[0].slug == slug
    assert amount in unmarked(page.hits[0].snippet)


@pytest.mark.parametrize(
    ("query", "locale", "listed"),
    [
        ("타이레놀 몇 알까지 먹어도 돼요", "ko", {"acetaminophen", "geworin"}),
        ("타이레놀 복용량", "ko", {"acetaminophen", "geworin"}),
        ("how much tylenol can i take", "en", {"acetaminophen", "geworin"}),
        ("cetirizine dosage", "en", {"cetirizine", "diphenhydramine"}),
    ],
)
def test_the_words_asking_an_amount_only_frame_what_it_is_asked_of(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str, listed: set[str]
) -> None:
    """The medicine decides which articles match: `타이레놀 몇 알까지` had listed metformin ("한
    알로 합친 복합제"), `how much tylenol` pseudoephedrine ("how much a pharmacy may sell"); an
    article naming the medicine is still listed (diphenhydramine suggests cetirizine)."""
    page = kb.search(bundled_index, query, locale, mode="lexical")
    assert {hit.slug for hit in page.hits} == listed


def test_asking_how_often_lists_what_names_the_medicine(bundled_index: kb.KnowledgeIndex) -> None:
    """Warfarin is listed for naming ibuprofen among its interactions, not for being "often
    called a blood thinner"."""
    page = kb.search(bundled_index, "how often can i take ibuprofen", "en", mode="lexical")
    assert all("<mark>ibuprofen</mark>" in hit.snippet.lower() for hit in page.hits[1:])


def test_an_amount_alone_is_all_a_question_of_taking_has_to_find(make_index) -> None:
    """`하루에 몇 번 먹나요` names nothing but taking: its amount words still find."""
    index = make_index(
        {
            ("dose", "ko"): ("복용법", "이 약은 하루 3번 식후에 드세요."),
            ("other", "ko"): ("습관", "물을 자주 마시세요."),
        }
    )
    assert [hit.slug for hit in kb.search(index, "하루에 몇 번 먹나요", "ko").hits] == ["dose"]


@pytest.mark.parametrize(
    ("query", "locale", "shown"),
    [
        ("가바펜틴 용량", "ko", "용량을 줄여야"),
        ("gabapentin dose", "en", "the dose may need to be lowered"),
    ],
)
def test_when_and_how_often_alone_are_no_amount(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str, shown: str
) -> None:
    """Gabapentin's article gives no amount: its snippet shows where it speaks of the dose, not
    "take it 2 hours after an antacid" nor the missed dose's "한꺼번에 두 번 분량"."""
    page = kb.search(bundled_index, query, locale)
    assert page.hits[0].slug == "gabapentin"
    assert shown in unmarked(page.hits[0].snippet)


@pytest.mark.parametrize(
    "query",
    [
        "이부프로펜 공복", "빈속에 먹어도 되나요", "오메프라졸 언제 먹어요", "식후 30분",
        "식사 전에", "밥 먹고 먹어요", "프레드니솔론 아침에 먹어요", "자기 전에 먹는 약",
        "metformin with food", "can i take ibuprofen on an empty stomach",
        "when to take omeprazole", "levothyroxine before breakfast", "zolpidem at bedtime",
        "take it in the morning", "With meals",
    ],
)  # fmt: skip
def test_queries_asking_when_to_take(query: str) -> None:
    assert TIMING in answers_asked(query)


@pytest.mark.parametrize(
    "query",
    [
        "와파린 음식",
        "음식 알레르기",
        "아침에 어지러워요",
        "food poisoning",
        "타이레놀 용량",
        "when did aspirin come out",
        "milk allergy",
    ],
)
def test_queries_not_asking_when_to_take(query: str) -> None:
    """Food or a time of day alone asks what to eat, or when a symptom comes."""
    assert TIMING not in answers_asked(query)


@pytest.mark.parametrize(
    ("query", "locale", "slug", "shown"),
    [
        ("이부프로펜 공복", "ko", "ibuprofen", "음식이나 우유와 함께 드세요"),
        ("can i take ibuprofen on an empty stomach", "en", "ibuprofen", "with food or milk"),
        ("ibuprofen with food", "ko", "ibuprofen", "<mark>음식</mark>이나 우유와 함께 드세요"),
        ("오메프라졸 언제 먹어요", "ko", "omeprazole", "식사 전, 보통 아침 식사 전에"),
        ("when to take omeprazole", "en", "omeprazole", "before a meal, usually before"),
        ("metformin with food", "en", "metformin", "metformin</mark> with meals"),
        # its 식사 요법 (diet) was shown: the Korean text said only "식사와 함께 먹고" of its
        # side effects, no line of how it is taken
        (
            "메트포르민 식후",
            "ko",
            "metformin",
            "<mark>식사</mark>와 함께 또는 <mark>식사</mark> 직후",
        ),
        ("레보티록신 언제 먹어요", "ko", "levothyroxine", "아침 식사 30~60분 전 공복에"),
        # breakfast is 아침 식사 (the glossary's line), marked where the Korean says it
        (
            "levothyroxine before breakfast",
            "ko",
            "levothyroxine",
            "<mark>아침</mark> <mark>식사</mark> 30~60분 전",
        ),
        ("졸피뎀 언제 먹어요", "ko", "zolpidem", "잠자리에 들기 직전에"),
        ("둘코락스 언제 먹어요", "ko", "bisacodyl", "잠자기 전에"),
        ("bisacodyl at bedtime", "en", "bisacodyl", "taken at <mark>bedtime</mark>"),
        ("prednisolone with food", "en", "prednisolone", "usually in the morning"),
    ],
)
def test_a_question_of_when_shows_the_line_that_says_it(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str, slug: str, shown: str
) -> None:
    """Each showed the opening, a side effect or a line with "stomach" in it: the article's
    name, or a word of the question the text has elsewhere, chose the window."""
    assert_shown(bundled_index, query, locale, slug, shown)


def test_when_a_symptom_comes_is_no_question_of_taking(bundled_index: kb.KnowledgeIndex) -> None:
    """`my stomach hurts after eating` names no medicine: after eating says when it hurts, so
    ibuprofen shows the stomach pain it can cause, not how to take it."""
    hits = kb.search(bundled_index, "my stomach hurts after eating", "en").hits
    ibuprofen = next(h for h in hits if h.slug == "ibuprofen")
    assert "<mark>stomach</mark> <mark>pain</mark>" in ibuprofen.snippet, ibuprofen.snippet


def test_an_article_saying_nothing_of_meals_keeps_its_snippet(
    bundled_index: kb.KnowledgeIndex,
) -> None:
    """Gabapentin says nothing of meals: its snippet is chosen as for any query."""
    hit = kb.search(bundled_index, "gabapentin with food", "en").hits[0]
    assert hit.slug == "gabapentin" and hit.snippet.startswith("<mark>Gabapentin</mark>")


@pytest.mark.parametrize(
    ("query", "locale", "shown"),
    [
        (
            "해열제 교차 복용",
            "ko",
            "(<mark>교차</mark> <mark>복용</mark>)은 의사나 약사가 권할 때만",
        ),
        ("alternating tylenol and advil", "en", "<mark>Alternating</mark> it with another fever"),
    ],
)
def test_alternating_fever_medicines_is_answered(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str, shown: str
) -> None:
    """Parents of a child whose fever will not come down ask whether to alternate the two; the
    articles said nothing of it (`교차` was missing, `alternating` matched nothing)."""
    hits = kb.search(bundled_index, query, locale).hits
    assert hits[0].slug == "acetaminophen" and shown in hits[0].snippet, hits[0].snippet
    assert "ibuprofen" in [hit.slug for hit in hits[:3]]


@pytest.mark.parametrize(
    ("query", "asked"),
    [
        ("둘코락스 언제 효과", ONSET), ("서트랄린 효과 언제부터", ONSET),
        ("타이레놀 효과 몇 분", ONSET), ("약발이 언제 들어요", ONSET),
        ("이부프로펜 효과 나타나는 시간", ONSET), ("how long does bisacodyl take to work", ONSET),
        ("when does tylenol kick in", ONSET), ("how fast does ibuprofen work", ONSET),
        ("졸피뎀 얼마나 오래 먹어도 되나요", DURATION), ("둘코락스 며칠 동안 먹어도", DURATION),
        ("how long can i take zolpidem", DURATION), ("for how long can I use sudafed", DURATION),
        ("오메프라졸 며칠 지나야 효과", ONSET), ("서트랄린 효과 보려면 얼마나", ONSET),
        ("omeprazole how many days to work", ONSET), ("how many days can i take sudafed", DURATION),
        ("얼마 만에 효과가 나요", ONSET), ("얼마 후에 약효가 나타나요", ONSET),
        ("변비약 매일 먹어도", DURATION), ("is it safe to take zyrtec every day", DURATION),
        ("can i take ibuprofen every day", DURATION),
    ],
)  # fmt: skip
def test_queries_asking_how_soon_or_how_long(query: str, asked: object) -> None:
    """`how many days` is no amount there: the dose's line would have been shown."""
    assert asked in answers_asked(query) and not asks_amount(query)


@pytest.mark.parametrize(
    "query",
    [
        "서트랄린 효과", "효과 없는 약", "오메프라졸 오래 먹으면", "오메프라졸 언제 먹어요",
        "how long does zolpidem last", "ibuprofen works for headaches", "long-acting insulin",
        "얼마 후에 먹어요",
    ],
)  # fmt: skip
def test_queries_asking_neither_how_soon_nor_how_long(query: str) -> None:
    """What it does, what taking it long does (an adverb's: `오래 먹으면`), or when to take it."""
    assert ONSET not in answers_asked(query) and DURATION not in answers_asked(query)


@pytest.mark.parametrize(
    ("query", "locale", "slug", "shown"),
    [
        # the opening was shown: 효과 is the glossary's word for uses
        ("둘코락스 언제 효과", "ko", "bisacodyl", "6~12시간 뒤에 <mark>효과</mark>가 나타나"),
        ("둘코락스 언제 효과", "en", "bisacodyl", "The tablets usually work in 6 to 12 hours"),
        ("서트랄린 효과 언제부터", "ko", "sertraline", "보통 4~6주가 걸립니다"),
        ("how long does sertraline take to work", "en", "sertraline", "4 to 6 weeks before"),
        ("when does tylenol kick in", "en", "acetaminophen", "within 30 minutes to an hour"),
        ("타이레놀 효과 몇 분", "ko", "acetaminophen", "30분</mark>에서 1시간 안에"),
        ("how fast does ibuprofen work", "en", "ibuprofen", "20 to 30 minutes after"),
        ("오메프라졸 효과 언제", "ko", "omeprazole", "2~3일 안에 증상이 나아지기"),
        ("리피토 효과 언제부터", "en", "atorvastatin", "starts to fall within 2 weeks"),
        ("레보티록신 효과 언제", "ko", "levothyroxine", "몇 주가 걸릴 수 있습니다"),
        ("졸피뎀 효과 언제", "ko", "zolpidem", "30분 안에 <mark>효과</mark>가 나타납니다"),
        # naming no medicine, of every result: each had shown its uses (효과 → `uses`)
        ("효과 나타나는 시간", "en", "bisacodyl", "The tablets usually work in 6 to 12 hours"),
        ("얼마 만에 효과", "en", "acetaminophen", "start to work within 30 minutes"),
        ("얼마 만에 효과", "en", "ibuprofen", "starts to work 20 to 30 minutes after"),
    ],
)
def test_a_question_of_how_soon_shows_the_line_that_says_it(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str, slug: str, shown: str
) -> None:
    """Readers ask when a medicine starts to work; the articles said it only for bisacodyl and
    (as "a few weeks") sertraline, and the opening or the uses were shown."""
    assert_shown(bundled_index, query, locale, slug, shown)


@pytest.mark.parametrize(
    ("query", "locale", "slug", "shown"),
    [
        ("졸피뎀 얼마나 오래 먹어도 되나요", "ko", "zolpidem", "4주를 넘기지 않습니다"),
        ("how long can i take zolpidem", "en", "zolpidem", "no more than 4 weeks"),
        ("how long can i take ibuprofen for pain", "en", "ibuprofen", "more than 10 days for"),
        ("둘코락스 며칠 동안 먹어도", "ko", "bisacodyl", "7일 넘게 <mark>먹</mark>지 마세요"),
        ("how long can i take sudafed", "en", "pseudoephedrine", "improve within 7 days"),
        # `once a day` and `the next day` say how often and when, not how long
        ("how long can i take ibuprofen", "en", "ibuprofen", "more than 10 days for pain"),
        ("how long can i take loperamide", "en", "loperamide", "not stopped after two days"),
        ("타이레놀 며칠까지 먹어도 돼요", "ko", "acetaminophen", "통증이 10일(어린이는 5일) 넘게"),
        # every day: the onset line and the alcohol line's "drinks every day" were shown
        ("둘코락스 매일 먹어도 되나요", "ko", "bisacodyl", "7일 넘게 <mark>먹</mark>지 마세요"),
        ("can i take ibuprofen every day", "en", "ibuprofen", "more than 10 <mark>days</mark>"),
    ],
)
def test_a_question_of_how_long_shows_the_line_that_says_it(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str, slug: str, shown: str
) -> None:
    """A time span alone is no answer (`take 1 tablet every 4 to 6 hours`, `in the last 2
    weeks`): the line says a limit beside it."""
    assert_shown(bundled_index, query, locale, slug, shown)


@pytest.mark.parametrize(
    ("query", "asked"),
    [
        ("약 먹는 거 깜빡했어요", MISSED), ("아침 약을 빼먹었어요", MISSED),
        ("복용 시간을 놓쳤어요", MISSED), ("forgot to take levothyroxine", MISSED),
        ("missed 2 doses of amoxicillin", MISSED), ("what if I miss a pill", MISSED),
        ("타이레놀 많이 먹었어요", OVERDOSE), ("이부프로펜 과다 복용", OVERDOSE),
        ("took too much ibuprofen", OVERDOSE), ("aspirin overdose", OVERDOSE),
        ("약을 두 배로 먹었어요", OVERDOSE),
        # a dose taken again by mistake
        ("약을 두 번 먹었어요", OVERDOSE), ("실수로 두 알 먹였어요", OVERDOSE),
        ("타이레놀 또 먹었어요", OVERDOSE), ("혈압약을 한 번 더 먹었어요", OVERDOSE),
        ("감기약 중복 복용", OVERDOSE), ("took my pill twice by accident", OVERDOSE),
        ("gave my child an extra dose", OVERDOSE),
        ("doubled up on my blood pressure pill", OVERDOSE),
    ],
)  # fmt: skip
def test_queries_saying_a_dose_was_missed_or_too_much_taken(query: str, asked: object) -> None:
    assert asked in answers_asked(query) and not asks_amount(query)


@pytest.mark.parametrize(
    "query",
    [
        "얼마나 많이 먹어도 되나요", "too much stomach acid", "how much tylenol is too much",
        "missed period", "잠을 많이 자요",
        # how often it is taken, or may be taken again
        "하루에 두 번 먹었는데 괜찮나요", "하루 두 번 먹어요", "두 번 먹어도 되나요",
        "when can i take it again", "take twice a day",
    ],
)  # fmt: skip
def test_queries_saying_neither_a_missed_dose_nor_an_overdose(query: str) -> None:
    """An amount asked (`얼마나 많이`, `how much is too much`), too much of something else."""
    asked = answers_asked(query)
    assert MISSED not in asked and OVERDOSE not in asked


@pytest.mark.parametrize(
    ("query", "locale", "shown"),
    [
        ("약 먹는 거 깜빡했어요", "ko", "복용을 잊었을 때"),
        ("약 먹는 거 깜빡했어요", "en", "Missed dose"),
        ("아침 약을 빼먹었어요", "ko", "복용을 잊었을 때"),
        ("복용 시간을 놓쳤어요", "en", "Missed dose"),
        # no word of the query is in the English text: its summary had been shown
        ("깜빡하고 약 안먹음", "en", "Missed dose"),
    ],
)
def test_a_missed_dose_shows_each_results_missed_dose_line(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str, shown: str
) -> None:
    """A reader who forgot a dose wants what to do now: the first results showed 먹 in
    metformin's strengths and bisacodyl's uses (깜빡 was no word), 아침 in zolpidem's "다음 날
    아침", and for `복용 시간을 놓쳤어요` articles with no missed-dose line came first."""
    hits = kb.search(bundled_index, query, locale).hits[:3]
    showing = [shown in unmarked(hit.snippet) for hit in hits]
    assert showing[:2] == [True, True], [h.snippet for h in hits]
    if not showing[2]:  # zolpidem, taken at bedtime, comes third for 아침 and has no such line
        assert shown not in (BUNDLED_CONTENT / hits[2].slug / f"{locale}.md").read_text()


@pytest.mark.parametrize(
    ("query", "locale", "slug", "shown"),
    [
        ("레보티록신 깜빡했어요", "en", "levothyroxine", "Missed dose: take it as soon as"),
        # warfarin's Korean says a dose is missed with 빠뜨리다, not 잊다
        ("와파린 깜빡했어요", "ko", "warfarin", "한 번 빠뜨렸다고 두 번 분량을"),
        ("warfarin missed dose", "ko", "warfarin", "한 번 빠뜨렸다고 두 번 분량을"),
        ("타이레놀 많이 먹었어요", "ko", "acetaminophen", "과다 복용했다면 아무 증상이 없어도"),
        ("타이레놀 많이 먹었어요", "en", "acetaminophen", "In case of overdose, get medical help"),
        ("약을 너무 많이 먹었어요", "ko", "acetaminophen", "바로 병원에 가세요"),
        ("took too much ibuprofen", "en", "ibuprofen", "call a poison control centre"),
        ("took too much ibuprofen", "ko", "ibuprofen", "바로 병원에 가거나 119에"),
        ("aspirin overdose", "en", "aspirin", "Get medical help right away"),
        ("아스피린 과다 복용", "ko", "aspirin", "귀울림, 청력 저하"),
        # a dose taken again: the opening had been shown
        ("타이레놀 또 먹었어요", "ko", "acetaminophen", "과다 복용했다면 아무 증상이 없어도"),
        ("took my ibuprofen twice by accident", "en", "ibuprofen", "call a poison control"),
    ],
)
def test_an_overdose_or_a_missed_dose_shows_what_to_do(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str, slug: str, shown: str
) -> None:
    """`타이레놀 많이 먹었어요` showed the opening (많이 was no word), then "함께 먹으면 과다
    복용이 될 수 있습니다", a warning; ibuprofen and aspirin said nothing of an overdose."""
    assert_shown(bundled_index, query, locale, slug, shown, marks=False)


def test_an_amount_asked_with_many_is_no_overdose(bundled_index: kb.KnowledgeIndex) -> None:
    """A guard: `얼마나 많이 먹어도` asks how much may be taken, and is shown the limit."""
    hit = result(bundled_index, "타이레놀 얼마나 많이 먹어도 되나요", "ko", "acetaminophen")
    assert "4,000mg" in hit.snippet and "병원" not in hit.snippet, hit.snippet


@pytest.mark.parametrize(
    ("query", "locale", "slug", "shown"),
    [
        ("children's ibuprofen dose", "en", "ibuprofen", "usually 5 to 10 mg per kg"),
        ("타이레놀 어린이 용량", "ko", "acetaminophen", "체중 kg당 10~15mg"),
        ("how often can i give my child tylenol", "ko", "acetaminophen", "4~6시간 간격으로"),
        # a guard: the adults' dose for a query naming no one
        ("ibuprofen dose", "en", "ibuprofen", "take 1 tablet every 4 to 6 hours"),
    ],
)
def test_a_dose_asked_for_children_shows_the_childrens_dose(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str, slug: str, shown: str
) -> None:
    """The articles gave children's doses only as "the dose for their weight or age", and
    ibuprofen's "adults and children 12 and over" line was shown for `children's ibuprofen
    dose`; a line giving the amount for whom the query names now comes first."""
    assert_shown(bundled_index, query, locale, slug, shown, marks=False)


@pytest.mark.parametrize(
    "query",
    [
        "약 보관 방법", "시럽 냉장 보관해야 하나요", "유통기한 지난 약 먹어도 되나요",
        "약 버리는 방법",
        "how should i store amoxicillin", "can i take expired ibuprofen", "amoxicillin fridge",
        "how to dispose of medicine", "오래된 약 먹어도 되나요", "old pills",
    ],
)  # fmt: skip
def test_queries_asking_how_to_keep_a_medicine(query: str) -> None:
    assert STORAGE in answers_asked(query)


@pytest.mark.parametrize("query", ["store brand ibuprofen", "drug store", "냉면 먹고 배탈"])
def test_queries_not_asking_how_to_keep_a_medicine(query: str) -> None:
    """A guard: where one buys it, or a word that only starts like 냉장."""
    assert STORAGE not in answers_asked(query)


@pytest.mark.parametrize(
    ("query", "locale", "shown"),
    [
        ("약 보관 방법", "ko", "직사광선을 피해 실온에서"),
        ("약 보관 방법", "en", "Store it at room temperature"),
        # the words of uses outweighed the precaution's: famotidine showed "먹거나 … 먹기 15~60분
        # 전에 먹어"
        ("유통기한 지난 약 먹어도 되나요", "ko", "유통기한(사용기한)이 지나면 먹지 말고"),
        ("how should i store this medicine", "en", "Store it at room temperature"),
    ],
)
def test_how_to_keep_a_medicine_shows_each_results_storage_line(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str, shown: str
) -> None:
    """No article said how to keep it or what to do with an expired one: `how should i store
    this medicine` found nothing, `약 보관 방법` showed three openings."""
    hits = kb.search(bundled_index, query, locale).hits[:3]
    assert len(hits) == 3
    assert all(shown in unmarked(hit.snippet) for hit in hits), [h.snippet for h in hits]
    # from the section's heading, not the sentence that ends the precautions before it
    heading = "보관 · " if locale == "ko" else "Storage · "
    assert all(unmarked(hit.snippet).startswith(heading) for hit in hits), query


@pytest.mark.parametrize(
    ("query", "locale", "slug", "shown"),
    [
        ("아목시실린 시럽 냉장 보관", "ko", "amoxicillin", "냉장고</mark>에 <mark>보관"),
        ("amoxicillin liquid fridge", "en", "amoxicillin", "in the <mark>refrigerator</mark>"),
        ("can i take expired ibuprofen", "en", "ibuprofen", "after the <mark>expiry</mark>"),
        ("levothyroxine storage", "ko", "levothyroxine", "빛과 습기에 약하므로"),
        ("졸피뎀 보관", "en", "zolpidem", "never share it"),
    ],
)
def test_how_to_keep_a_named_medicine_is_shown(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str, slug: str, shown: str
) -> None:
    assert_shown(bundled_index, query, locale, slug, shown)
