"""Side effects and precautions: what an article lists there matches more weakly than what it
treats, and still shows in snippets."""

from __future__ import annotations

from dataclasses import replace

import pytest

import kb
from kb.analysis.hangul import qwerty_to_hangul
from kb.asides import is_aside, names_aside, names_section, split_asides, weighed_for
from kb.content import BUNDLED_CONTENT, load_content
from kb.markdown import to_plain_text
from kb.params import DEFAULTS, FieldWeights

TREATS = (
    "Meclizine",
    "Meclizine is a tablet.\n\n## Uses\n\n- nausea and dizziness of motion sickness\n",
)
CAUSES = (
    "Metformin",
    "Metformin is a tablet.\n\n## Uses\n\n- type 2 diabetes\n\n"
    "## Side effects\n\n- nausea, nausea and more nausea\n- dizziness\n\n"
    "## Precautions\n\n- kidney disease\n",
)


@pytest.mark.parametrize(
    ("heading", "aside"),
    [
        ("Side effects", True),
        ("3. Side Effects:", True),
        ("Precautions", True),
        ("Drug interactions", True),
        ("부작용", True),
        ("주의사항", True),
        ("주의할 점", True),
        ("Uses", False),
        ("효능", False),
        ("Dosage", False),
        ("Sideline notes", False),
        ("Side effects and warnings", True),
        ("부작용 및 주의사항", True),
        ("복용 시 주의사항", True),
        ("주의력 결핍 과잉행동장애", False),
        ("경고문 읽는 법", False),
    ],
)
def test_headings_that_start_an_aside(heading: str, aside: bool) -> None:
    assert is_aside(heading) is aside


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("가바펜틴 부작용은?", True),
        ("gabapentin side effects", True),
        ("Zolpidem PRECAUTIONS", True),
        ("interactions with alcohol", True),
        ("와파린 상호작용", True),
        ("nausea side effect", True),  # one side effect, as readers write it
        ("a drug interaction with alcohol", True),
        ("drugs that cause a cough", True),  # what causes a symptom: its side effects
        ("기침을 일으키는 약", True),
        ("기침 유발 약물", True),
        ("because", False),
        ("두통약", False),
        ("side dish", False),  # a heading's first word is not the heading
        ("subwarnings", False),  # nor is one inside a longer word
    ],
)
def test_a_query_that_asks_for_an_aside(query: str, named: bool) -> None:
    assert names_aside(query) is named


@pytest.mark.parametrize(
    ("query", "section"),
    [
        ("zolpidem side effects", True),
        ("가바펜틴 부작용은?", True),
        ("losartan 주의사항", True),
        # what causes a symptom is asked of every article, not of a section of one: a word of
        # it in some title (msmarco's `what causes a man to lose control and urinate`) must
        # not keep the answers found by meaning away
        ("what causes a prickly itchy feeling", False),
        ("기침을 일으키는 약", False),
    ],
)
def test_a_query_that_names_a_section(query: str, section: bool) -> None:
    assert names_section(query) is section


def test_split_keeps_every_character_at_its_offset() -> None:
    """Each character of the body's text is in exactly one field, at its own offset (what
    snippets highlight); line breaks stay in both."""
    markdown = CAUSES[1]
    text = to_plain_text(markdown)
    body, asides, effects = split_asides(markdown, text)
    assert len(body) == len(asides) == len(effects) == len(text)
    for ours, theirs, char in zip(body, asides, text, strict=True):
        expected = {("\n", "\n")} if char == "\n" else {(char, " "), (" ", char)}
        assert (ours, theirs) in expected
    assert all(mine in (char, " ") if char != "\n" else mine == char
               for mine, char in zip(effects, asides, strict=True))  # fmt: skip
    assert "diabetes" in body and "diabetes" not in asides
    assert "nausea" in asides and "nausea" not in body
    assert "kidney" in asides and "Precautions" in asides
    assert "nausea" in effects and "kidney" not in effects and "Precautions" not in effects


def test_subsections_of_an_aside_are_asides_until_a_heading_as_high() -> None:
    markdown = (
        "Intro.\n\n## **Side effects**\n\nDrowsiness.\n\n### Serious\n\nFainting.\n\n"
        "## Dosage\n\nOnce a day.\n\n### Children\n\nHalf a tablet.\n"
    )
    body, asides, effects = split_asides(markdown, to_plain_text(markdown))
    assert asides.split() == ["Side", "effects", "Drowsiness.", "Serious", "Fainting."]
    assert effects == asides  # a side effect listed under "Serious" is one too
    assert "Dosage" in body and "Half a tablet." in body and "Intro." in body


def test_a_body_without_asides_is_left_whole() -> None:
    markdown = TREATS[1]
    text = to_plain_text(markdown)
    assert split_asides(markdown, text) == (text, "", "")


def test_only_side_effects_headings_hold_side_effects() -> None:
    markdown = (
        "Intro.\n\n## Uses\n\n- cough\n\n## 이상 반응\n\n- 기침\n\n"
        "## Warnings\n\n- stop if the cough lasts a week\n\n## Adverse reactions\n\n- rash\n"
    )
    _, asides, effects = split_asides(markdown, to_plain_text(markdown))
    assert effects.split() == ["이상", "반응", "기침", "Adverse", "reactions", "rash"]
    assert "lasts" in asides and "lasts" not in effects


@pytest.fixture
def index(make_index) -> kb.KnowledgeIndex:
    return make_index({("treats", "en"): TREATS, ("causes", "en"): CAUSES})


def test_what_an_article_treats_ranks_above_what_it_lists_as_a_side_effect(index) -> None:
    """``causes`` says nausea three times, but among its side effects (the words' ranking;
    hybrid search on real articles: below)."""
    hits = kb.search(index, "nausea", "en", mode="lexical").hits
    assert [h.slug for h in hits] == ["treats", "causes"]


def test_without_the_aside_weight_repetition_wins(index) -> None:
    """The order above is the asides' doing: weighted like the body and counted as complete
    matches, it flips."""
    flat = replace(DEFAULTS, field_weights=FieldWeights(aside=1.0), asides_complete=True)
    hits = kb.search(index, "nausea", "en", mode="lexical", params=flat).hits
    assert [h.slug for h in hits] == ["causes", "treats"]


def test_a_side_effect_is_still_found_and_highlighted(index) -> None:
    hits = kb.search(index, "kidney", "en").hits
    assert [h.slug for h in hits] == ["causes"]
    assert "<mark>kidney</mark>" in hits[0].snippet


def test_snippets_highlight_words_in_both_fields(index) -> None:
    (hit,) = [h for h in kb.search(index, "diabetes nausea", "en").hits if h.slug == "causes"]
    assert "<mark>diabetes</mark>" in hit.snippet and "<mark>nausea</mark>" in hit.snippet


@pytest.mark.parametrize(
    ("query", "locale", "treating"),
    [
        ("headache", "en", {"acetaminophen", "ibuprofen", "aspirin", "geworin"}),
        ("두통", "ko", {"acetaminophen", "ibuprofen", "aspirin", "geworin"}),
        ("nausea", "en", {"diphenhydramine"}),
        ("dizziness", "en", {"diphenhydramine"}),
        ("heartburn", "en", {"omeprazole", "famotidine"}),
        ("sore throat", "en", {"geworin"}),  # Korean only: its tags name 인후통
        ("목이 아파요", "ko", {"geworin"}),
        # English only; ten Korean articles say 메스꺼움 among their side effects, in the
        # reader's words and in the bigram and particle-stem recall fields too
        ("메스꺼움", "ko", {"diphenhydramine"}),
    ],
)
def test_bundled_articles_that_treat_a_symptom_come_before_those_it_is_a_side_effect_of(
    bundled_index, query: str, locale: str, treating: set[str]
) -> None:
    """Zolpidem lists headache, metformin nausea, amlodipine dizziness, ibuprofen heartburn and
    cetirizine a sore throat among their side effects."""
    slugs = [h.slug for h in kb.search(bundled_index, query, locale).hits]
    assert set(slugs[: len(treating)]) == treating, slugs[:6]


def test_a_word_found_only_among_side_effects_is_half_a_match(index) -> None:
    """``causes`` matches nausea only in its asides: weaker evidence, as a glossary term is, so
    it is not a complete match for the query (and would be, were asides complete matches)."""
    coverage = {h.slug: h.coverage for h in kb.search(index, "nausea", "en", mode="lexical").hits}
    assert coverage == {"treats": 1.0, "causes": 0.5}
    complete = replace(DEFAULTS, asides_complete=True)
    hits = kb.search(index, "nausea", "en", mode="lexical", params=complete).hits
    assert {h.slug: h.coverage for h in hits} == {"treats": 1.0, "causes": 1.0}


def test_a_need_with_a_kind_of_thing_finds_what_treats_it(bundled_index) -> None:
    """`medicine` is in most English articles, and metformin's tags and summary say "diabetes
    medicine" (dextromethorphan's "cough medicine"); nausea is among their side effects, so they
    have half of the need and diphenhydramine, which prevents nausea, all of it (were side effects
    complete matches, they had all of it too, and one of them came first while `medicine` still
    scored beside the need: tests/test_everyday_needs.py)."""
    hits = kb.search(bundled_index, "medicine for nausea", "en").hits
    assert hits[0].slug == "diphenhydramine", [h.slug for h in hits[:5]]
    assert "<mark>nausea</mark>" in hits[0].snippet  # not where it calls itself a medicine
    halves = {h.slug: h.coverage for h in hits if h.slug in {"metformin", "dextromethorphan"}}
    complete = replace(DEFAULTS, asides_complete=True)
    hits = kb.search(bundled_index, "medicine for nausea", "en", params=complete).hits
    wholes = {h.slug: h.coverage for h in hits if h.slug in halves}
    assert all(halves[slug] < wholes[slug] == 1.0 for slug in halves), (halves, wholes)


def test_a_snippet_shows_what_an_article_treats_not_its_side_effects(bundled_index) -> None:
    """`pill` is rarer than `dizziness` in the English articles, but diphenhydramine says
    "sleeping pills" among its precautions and dizziness where it says what it prevents."""
    hit = kb.search(bundled_index, "pill for dizziness", "en").hits[0]
    assert hit.slug == "diphenhydramine"
    assert "<mark>dizziness</mark>" in hit.snippet and "sleeping" not in hit.snippet
    (geworin,) = [h for h in kb.search(bundled_index, "headache", "en").hits if h.slug == "geworin"]
    assert "효능 · <mark>두통</mark>" in geworin.snippet  # not 목 아픔 among its side effects


@pytest.mark.parametrize(
    ("query", "locale", "marked"),
    [
        ("가바펜틴 부작용", "ko", ["부작용"]),  # its title shows the name: it breaks ties
        ("가바펜틴 어지러움", "ko", ["어지러움", "가바펜틴"]),
    ],
)
def test_a_reader_who_names_a_side_effect_is_shown_it(
    bundled_index, query: str, locale: str, marked: list[str]
) -> None:
    """What the reader asked of gabapentin is among its side effects and precautions: the
    window with both words, not the summary that has only the name."""
    hit = kb.search(bundled_index, query, locale).hits[0]
    assert hit.slug == "gabapentin"
    assert all(f"<mark>{word}</mark>" in hit.snippet for word in marked), hit.snippet


def test_a_query_that_asks_for_side_effects_weighs_them_as_the_body() -> None:
    asked = weighed_for("두통 부작용", DEFAULTS)
    assert asked.asides_complete and asked.field_weights.aside == DEFAULTS.field_weights.body
    assert weighed_for("두통약", DEFAULTS) is DEFAULTS


def listing_among_side_effects(word: str, locale: str) -> set[str]:
    """The bundled articles whose side effects sections say ``word``, read from the articles."""
    found = set()
    for article in load_content(BUNDLED_CONTENT):
        tr = article.translations.get(locale)
        if tr is not None:
            effects = split_asides(tr.body, to_plain_text(tr.body))[2]
            found |= {article.slug} if word in effects.casefold() else set()
    return found


@pytest.mark.parametrize(
    ("query", "locale", "treats", "symptom"),
    [
        ("nausea side effect", "en", "diphenhydramine", "nausea"),
        ("side effects nausea", "en", "diphenhydramine", "nausea"),
        ("부작용 어지러움", "ko", "diphenhydramine", "어지러"),
    ],
)
def test_a_reader_who_names_a_symptom_and_side_effects_finds_what_causes_it(
    bundled_index, query: str, locale: str, treats: str, symptom: str
) -> None:
    """Diphenhydramine treats nausea and dizziness (motion sickness); asked for them as side
    effects, an article that lists them there comes first: their side effects count as the
    rest of an article does, as for `metformin side effects` (`medicine for nausea`, above,
    still finds what treats it)."""
    slugs = [h.slug for h in kb.search(bundled_index, query, locale).hits]
    causes = listing_among_side_effects(symptom, locale)
    assert treats not in causes and len(causes) >= 3
    assert slugs[0] in causes, slugs[:5]


def test_a_corrected_query_is_weighed_as_the_text_it_searches(bundled_index) -> None:
    """`nausea side effect` typed with the Korean keyboard layout on is searched as the English
    words, which ask for side effects, though the text as typed named none."""
    page = kb.search(bundled_index, qwerty_to_hangul("nausea side effect"), "en")
    assert page.corrected is not None and page.corrected.text == "nausea side effect"
    typed_in_english = kb.search(bundled_index, "nausea side effect", "en")
    assert [h.slug for h in page.hits] == [h.slug for h in typed_in_english.hits]
    assert page.hits[0].slug in listing_among_side_effects("nausea", "en")


def test_a_reader_who_asks_for_side_effects_is_shown_them(bundled_index) -> None:
    """No sentence has `gabapentin` near the list, so the summary, which names it, held the most
    rare words; but the reader asked for the side effects."""
    hit = kb.search(bundled_index, "gabapentin side effects", "en").hits[0]
    assert hit.slug == "gabapentin"
    assert "Common <mark>side</mark> <mark>effects</mark>: drowsiness" in hit.snippet


def test_a_word_weighs_as_common_as_in_the_language_it_is_commonest_in(bundled_index) -> None:
    """`colds and chills`: 게보린, in Korean only, is for 오한 (chills) with a cold. On its
    Korean side `cold` (no glossary line: in English it is chilly too) matches no article, and
    weighed there as a word no article has, it made 게보린 a poor match; it weighs as in
    English, where eleven articles say it. (`chills and fever` showed it while `fever` had no
    line; `pill for dizziness` while Kiwi read four articles' 정제 as 정: `pill` was rarer in
    Korean.)"""
    for query in ("colds and chills", "chills and fever"):
        slugs = [h.slug for h in kb.search(bundled_index, query, "en").hits]
        assert slugs[0] == "geworin", (query, slugs[:5])
    per_side = replace(DEFAULTS, idf_across_sides=False)
    hits = kb.search(bundled_index, "colds and chills", "en", params=per_side).hits
    assert hits[0].slug != "geworin"
    assert kb.search(bundled_index, "pill for dizziness", "en").hits[0].slug == "diphenhydramine"


SUPPRESSES_COUGH = (
    "Dextro",
    "Dextro is a cough medicine, a drug that can cause drowsiness.\n\n"
    "## Uses\n\n- a dry cough, a cough that keeps you awake\n\n"
    "## Side effects\n\n- drowsiness\n\n"
    "## Precautions\n\n- see a doctor if the cough lasts more than a week\n",
)
CAUSES_COUGH = (
    "Lisino",
    "Lisino is a tablet, a drug that can cause dizziness.\n\n## Uses\n\n- high blood pressure\n\n"
    "## Side effects\n\n- a dry cough\n- dizziness\n",
)


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("cough side effect", "causes"),
        ("drugs that cause a cough", "causes"),
        ("side effects of cough medicine", "treats"),  # the medicine's side effects
        ("medicine for a cough", "treats"),
        ("cough", "treats"),
    ],
)
def test_a_reader_who_asks_what_causes_a_symptom_finds_where_it_is_a_side_effect(
    make_index, query: str, first: str
) -> None:
    """Dextro treats a cough and says it twice more, once among its precautions; Lisino lists
    it among its side effects. Asked for it as a side effect, only Lisino's side effects say
    it: counted as the rest of an article, Dextro's uses and precautions outweighed them (the
    words' ranking; hybrid search on the bundled articles: below)."""
    index = make_index({("treats", "en"): SUPPRESSES_COUGH, ("causes", "en"): CAUSES_COUGH})
    hits = kb.search(index, query, "en", mode="lexical").hits
    assert [h.slug for h in hits] == [first, ({"treats", "causes"} - {first}).pop()]


@pytest.mark.parametrize(
    ("query", "locale", "first", "not_first"),
    [
        ("기침 부작용", "ko", "losartan", "dextromethorphan"),  # a dry cough, its side effect
        # typed as one word: the English side reads the words in it as the Korean side does
        ("기침부작용", "ko", "losartan", "dextromethorphan"),
        ("drugs that cause cough", "en", "losartan", "dextromethorphan"),
        ("기침 유발 약물", "ko", "losartan", "dextromethorphan"),
        ("두통 부작용", "ko", None, "acetaminophen"),
        ("headache side effect", "en", None, "acetaminophen"),
        ("부작용 불면증", "ko", None, "zolpidem"),
        # levothyroxine's article says 부작용 most: the asking words scored, and it came first
        ("설사 부작용", "ko", None, "levothyroxine"),
        ("부작용 불면증", "ko", None, "levothyroxine"),
        # a kind of medicine, or a word no side effects list, is asked about as before
        ("두통약 부작용", "ko", None, "warfarin"),
        ("NSAID side effects", "en", "ibuprofen", None),
        # dextromethorphan's side effects name antidepressants (with which it can cause
        # serotonin syndrome): one of the four articles that say it, not a side effect
        ("antidepressant side effects", "en", "sertraline", None),
        ("당뇨 약 부작용", "ko", "metformin", None),  # diabetes is no side effect either
        ("우울증 약 부작용", "ko", "sertraline", None),  # antidepressants, as 우울증약
        ("가바펜틴 부작용", "ko", "gabapentin", None),
        ("can ibuprofen cause kidney damage", "en", "ibuprofen", None),
        ("kidney damage side effect", "en", "ibuprofen", "losartan"),  # losartan protects them
        # hybrid puts atorvastatin first (muscle damage "which can harm the kidneys")
        ("drugs that cause kidney damage", "en", None, "losartan"),
    ],
)
def test_bundled_articles_that_list_a_side_effect_come_first_when_it_is_asked_for(
    bundled_index, query: str, locale: str, first: str | None, not_first: str | None
) -> None:
    """Dextromethorphan's precautions say to see a doctor when a cough lasts a week, zolpidem
    treats insomnia, and acetaminophen headaches: those were first for the symptom asked as a
    side effect. Losartan's side effects list a dry cough, levothyroxine's insomnia."""
    for mode in ("lexical", "hybrid"):
        slugs = [h.slug for h in kb.search(bundled_index, query, locale, mode=mode).hits]
        if first is not None:
            assert slugs[0] == first, (query, mode, slugs[:5])
        if not_first is not None:
            assert slugs[0] != not_first, (query, mode, slugs[:5])


def test_a_side_effect_question_is_shown_where_the_side_effect_is_listed(bundled_index) -> None:
    """`cause` and `drugs` only frame the question: sertraline's snippet showed "this can
    **cause** dizziness" (stopping it suddenly), not the side effect asked about."""
    hits = kb.search(bundled_index, "drugs that cause insomnia", "en").hits
    (sertraline,) = [hit for hit in hits if hit.slug == "sertraline"]
    assert "<mark>trouble</mark> <mark>sleeping</mark>" in sertraline.snippet
    assert "<mark>cause</mark>" not in sertraline.snippet


NAMED = (
    "Brufen",
    "Brufen is a painkiller.\n\n## Side effects\n\n- stomach bleeding\n- heartburn\n",
)
COMPARES = (
    "Paracetamol",
    "Paracetamol is a painkiller. Unlike Brufen, it is gentle on the stomach.\n",
)


def test_what_a_named_article_lists_as_a_side_effect_is_what_the_reader_asks_about(
    make_index,
) -> None:
    """`brufen stomach` asks about Brufen and the stomach: the article the query names comes
    first, though the stomach is among its side effects, before an article that says both
    words in passing. Without the name, a side effect stays the weaker match."""
    index = make_index({("brufen", "en"): NAMED, ("paracetamol", "en"): COMPARES})
    for mode in ("lexical", "hybrid"):
        hits = kb.search(index, "brufen stomach", "en", mode=mode).hits
        assert [h.slug for h in hits] == ["brufen", "paracetamol"], mode
        assert hits[0].coverage == 1.0
    hits = kb.search(index, "stomach painkiller", "en", mode="lexical").hits
    assert [h.slug for h in hits] == ["paracetamol", "brufen"]


def test_a_brand_name_and_a_word_of_its_side_effects_find_that_medicine(bundled_index) -> None:
    """`advil 위장` (Advil, the stomach) put acetaminophen first, whose article says it is gentler
    on the stomach than ibuprofen (Advil, through the glossary), above ibuprofen, whose stomach
    bleeding is among its side effects."""
    for mode in ("lexical", "hybrid"):
        hits = kb.search(bundled_index, "advil 위장", "ko", mode=mode).hits
        assert hits[0].slug == "ibuprofen", (mode, [h.slug for h in hits[:4]])
