"""Which medicines are bad for something: `임신 중에 안 좋은 약`, `bad for the liver`. The
evidence is where an article warns (its side effects, and precautions that forbid or name a
harm), not where it only says the word."""

from __future__ import annotations

import pytest

import kb
from kb.asides import split_asides, warnings_of
from kb.markdown import to_plain_text

PRECAUTIONS = """Intro.

## Uses

- high blood pressure

## Side effects

- dizziness

## Precautions

- Pregnancy: do not take it if you are pregnant.
- Tell your doctor if you have liver disease.
- If you become pregnant, do not stop taking it; tell your doctor.
- Do not stop taking it suddenly.
- 임신 중이거나 수유 중이라면 의사와 상의하세요.
- 임신 중에는 복용하면 안 됩니다.
"""


def test_warnings_are_the_side_effects_and_the_precautions_that_warn() -> None:
    """Advice (tell your doctor; keep taking it in pregnancy) is no warning; a prohibition, and
    stopping suddenly, are."""
    text = to_plain_text(PRECAUTIONS)
    _, asides, effects = split_asides(PRECAUTIONS, text)
    warnings = warnings_of(asides, effects)
    assert len(warnings) == len(text)  # offsets kept, as in every aside field
    kept = [line.strip() for line in warnings.splitlines() if line.strip()]
    assert kept == [
        "Side effects",
        "dizziness",
        "Pregnancy: do not take it if you are pregnant.",
        "Do not stop taking it suddenly.",
        "임신 중에는 복용하면 안 됩니다.",
    ]


WARNS = (
    "Warnsol",
    "Warnsol lowers blood pressure.\n\n## Precautions\n\n"
    "- Pregnancy: do not take it if you are pregnant; it can harm the unborn baby.\n",
)
ADVISES = (
    "Advisol",
    "Advisol is often used in pregnancy, and pregnancy is no reason to stop it.\n\n"
    "## Precautions\n\n"
    "- Pregnancy: tell your doctor if you are pregnant or planning a pregnancy.\n",
)
WARNS_KO = (
    "경고정",
    "경고정은 혈압을 낮춥니다.\n\n## 주의사항\n\n"
    "- 임신: 태아에게 해를 줄 수 있어 임신 중에는 복용하면 안 됩니다.\n",
)
ADVISES_KO = (
    "권고정",
    "권고정은 임신 중에도 흔히 쓰며, 임신을 이유로 끊을 필요는 없습니다.\n\n## 주의사항\n\n"
    "- 임신: 임신 중이거나 임신을 계획 중이라면 의사에게 알리세요.\n",
)


@pytest.fixture
def index(make_index) -> kb.KnowledgeIndex:
    return make_index(
        {
            ("warns", "en"): WARNS,
            ("advises", "en"): ADVISES,
            ("warns", "ko"): WARNS_KO,
            ("advises", "ko"): ADVISES_KO,
        }
    )


@pytest.mark.parametrize(
    ("query", "locale"),
    [
        ("unsafe in pregnancy", "en"),
        ("not safe during pregnancy", "en"),
        ("drugs to avoid in pregnancy", "en"),
        ("임신 중에 안 좋은 약", "ko"),
        ("임신 중에 위험한 약", "ko"),
        ("임신 중 피해야 할 약", "ko"),
    ],
)
def test_the_medicine_that_warns_comes_before_the_one_that_says_the_word_more(
    index, query: str, locale: str
) -> None:
    """``advises`` says pregnancy more often, and as use: searched as written, it came first.
    (By their words: with two articles, meaning decides the order of hybrid search.)"""
    hits = kb.search(index, query, locale, mode="lexical").hits
    assert [hit.slug for hit in hits] == ["warns", "advises"]


def test_the_words_asking_it_are_no_missing_words(index) -> None:
    """No article says 나쁜 (bad): it asks, so the page does not say it was not found."""
    results = kb.search(index, "임신 중에 나쁜 약", "ko", mode="lexical")
    assert results.missing == ()
    assert [hit.slug for hit in results.hits][:1] == ["warns"]


@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
def test_bundled_medicines_bad_in_pregnancy_are_those_that_warn_against_it(
    bundled_index, mode: str
) -> None:
    """Amlodipine's precautions only say to tell the doctor, and came first for the Korean
    query, metformin's and dextromethorphan's next: every article mentions pregnancy."""
    # pseudoephedrine: "임신 초기(첫 3개월)에는 피하는 것이 좋습니다"
    warned = {"losartan", "warfarin", "aspirin", "ibuprofen", "atorvastatin", "zolpidem"}
    warned.add("pseudoephedrine")
    for query, locale in [("임신 중에 안 좋은 약", "ko"), ("unsafe in pregnancy", "en")]:
        first = [hit.slug for hit in kb.search(bundled_index, query, locale, mode=mode).hits[:4]]
        assert set(first) <= warned, (query, first)


@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
def test_the_words_asking_add_no_score_though_no_side_has_a_term_for_them(
    bundled_index, mode: str
) -> None:
    """The 되는 of `먹으면 안 되는 약` is no term on either side; its bigram was kept out of the
    score only through the English side's Hangul word for it, and without that word
    pseudoephedrine, whose "안 되는" says nothing of pregnancy, came first (it only asks to avoid
    the first three months)."""
    hits = kb.search(bundled_index, "임산부가 먹으면 안 되는 약", "ko", mode=mode).hits
    assert hits[0].slug in {"aspirin", "atorvastatin", "warfarin", "losartan", "zolpidem"}


@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
def test_a_harm_to_an_organ_finds_what_harms_it_not_what_treats_it(bundled_index, mode) -> None:
    """`harmful to the stomach` put omeprazole, a stomach medicine, first."""
    hits = kb.search(bundled_index, "harmful to the stomach", "en", mode=mode).hits
    assert hits[0].slug in {"ibuprofen", "aspirin", "prednisolone"}


def test_what_must_be_stopped_before_surgery_is_what_warns_about_it(bundled_index) -> None:
    """`수술 전에 끊어야 하는 약` (what to stop before surgery) put levothyroxine first, whose
    uses name thyroid surgery, and bisacodyl's "잠자기 전에" second: it asks which medicines
    warn about surgery, as `임신 중 피해야 할 약` asks about pregnancy."""
    warned = {"aspirin", "metformin", "ibuprofen", "warfarin"}  # surgery among precautions
    for query in ("수술 전에 끊어야 하는 약", "수술 전 중단해야 하는 약"):
        first = [hit.slug for hit in kb.search(bundled_index, query, "ko").hits[:3]]
        assert len(set(first) & warned) >= 2 and "levothyroxine" not in first, (query, first)


def test_a_named_medicine_comes_first(bundled_index) -> None:
    """`is ibuprofen bad for the kidneys` asks about ibuprofen, though losartan's precautions
    warn that ibuprofen can harm the kidneys."""
    for mode in ("lexical", "hybrid"):
        hits = kb.search(bundled_index, "is ibuprofen bad for the kidneys", "en", mode=mode).hits
        assert hits[0].slug == "ibuprofen"


def test_a_caution_is_shown_where_the_article_warns(bundled_index) -> None:
    """Losartan treats diabetic kidney disease: its snippet for `신장에 안 좋은 약` showed that use
    (신장 손상이 진행되는 것을 늦춥니다) rather than the warning."""
    hits = kb.search(bundled_index, "신장에 안 좋은 약", "ko").hits
    losartan = next(hit for hit in hits if hit.slug == "losartan")
    assert "늦춥니다" not in losartan.snippet
    assert "<mark>신장</mark>" in losartan.snippet
