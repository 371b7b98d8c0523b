"""Snippets: the window with the most distinct matched words, chosen in one pass over the spans.

The quadratic choice the sliding window replaced is kept here as the oracle: same window, same
snippet, on random spans and on a real ~1 MB article.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable, Collection, Iterator

import pytest

import kb
from kb.engine import Span
from kb.intent import adverbs_asked
from kb.snippets import (
    LEAD_CHARS,
    MAX_SPANS,
    SENTENCE_LEAD,
    SENTENCE_TAIL,
    SNIPPET_CHARS,
    Bounds,
    bounds,
    make_snippet,
    snippet_at,
    window_start,
)
from tests.conftest import result, unmarked

SORE_THROAT_USE = "<mark>목</mark> <mark>통증</mark>(<mark>인후통</mark>)"  # 게보린's uses


def oracle_start(
    spans: list[Span],
    size: int = SNIPPET_CHARS,
    weigh: Callable[[Span], float] | None = None,
    telling: frozenset[str] = frozenset(),
    unanchored: frozenset[Span] = frozenset(),
) -> int:
    """The old choice: for each span, look at every span inside the window it anchors (the
    telling words first, then each word by its best span's weight, when given); an
    ``unanchored`` span anchors none while another could."""
    best_start, best_score = 0, (-1, -1.0)
    anchors = [s for s in spans if s not in unanchored] or spans
    for anchor in anchors:
        start = max(0, anchor.start - LEAD_CHARS)
        best: dict[str, float] = {}
        for s in spans:
            if s.start >= start and s.end <= start + size:
                best[s.word] = max(best.get(s.word, 0.0), weigh(s) if weigh else 1.0)
        score = (len(telling & best.keys()), math.fsum(best.values()))
        if score > best_score:
            best_start, best_score = start, score
    return best_start


def random_spans(rng: random.Random, length: int) -> list[Span]:
    """Spans as an engine returns them (text order), some overlapping, some longer than a window."""
    words = [f"w{i}" for i in range(rng.randint(1, 6))]
    spans = []
    for _ in range(rng.randint(1, 60)):
        start = rng.randrange(length)
        end = start + rng.choice([1, 2, 3, 5, 8, 30, 250])
        spans.append(Span(start, end, rng.choice(words)))
    return sorted(spans, key=lambda s: (s.start, s.end, s.word))


@pytest.mark.parametrize("seed", range(300))
def test_the_sliding_window_chooses_what_the_quadratic_one_did(seed: int) -> None:
    rng = random.Random(seed)
    length = rng.choice([50, 400, 3000])
    spans = random_spans(rng, length)
    size = rng.choice([SNIPPET_CHARS, 20, 60])
    assert window_start(spans, size) == oracle_start(spans, size)
    text = "".join(rng.choice("ab cd\n<&") for _ in range(length + 300))
    assert make_snippet(text, spans, size) == oracle_snippet(text, spans, size)


def oracle_snippet(text: str, spans: list[Span], size: int = SNIPPET_CHARS) -> str:
    """The old snippet: the oracle's window, marked and escaped."""
    return snippet_at(text, oracle_start(spans, size), spans, size)


@pytest.mark.parametrize("seed", range(100))
def test_weighted_words_choose_what_the_quadratic_choice_does(seed: int) -> None:
    """Weights differ span by span (a word weighs less among side effects), and some words are
    telling: the sliding window still picks what looking at every window picks."""
    rng = random.Random(seed)
    spans = random_spans(rng, rng.choice([50, 400, 3000]))
    weights = {(s.word, s.start % 2): rng.choice([0.25, 0.5, 1.0, 1.7, 4.0]) for s in spans}
    telling = frozenset(w for w in {s.word for s in spans} if rng.random() < 0.4)

    def weigh(span: Span) -> float:
        return weights[span.word, span.start % 2]

    chosen = window_start(spans, weigh=weigh, telling=telling)
    assert chosen == oracle_start(spans, weigh=weigh, telling=telling)
    unanchored = frozenset(s for s in spans if rng.random() < 0.3)
    chosen = window_start(spans, weigh=weigh, telling=telling, unanchored=unanchored)
    assert chosen == oracle_start(spans, weigh=weigh, telling=telling, unanchored=unanchored)


def test_a_rare_word_outweighs_a_common_one() -> None:
    """Two windows with one word each: the first wins on count alone, the rarer on weight."""
    text = "This allergy medicine is sold as tablets. " + "x " * 200 + "It prevents nausea."
    spans = [
        Span(13, 21, "medicin"),
        Span(text.index("nausea"), text.index("nausea") + 6, "nausea"),
    ]
    assert "<mark>medicine</mark>" in make_snippet(text, spans)
    weight = {"medicin": 1.2, "nausea": 2.6}
    weighted = make_snippet(text, spans, weigh=lambda span: weight[span.word])
    assert "<mark>nausea</mark>" in weighted and "medicine" not in weighted


def test_more_telling_words_beat_one_weightier_word() -> None:
    """`gabapentin dizziness`: the sentence that has both is shown, though the first, which has
    only the name, weighs more (dizziness is common, and listed among side effects)."""
    text = "Gabapentin is an anticonvulsant. " + "x " * 200 + "Gabapentin can cause dizziness."
    later = text.rindex("Gabapentin")
    spans = [
        Span(0, 10, "gabapentin"),
        Span(later, later + 10, "gabapentin"),
        Span(text.index("dizziness"), text.index("dizziness") + 9, "dizzi"),
    ]

    def weigh(span: Span) -> float:
        return 2.8 if span.start == 0 else 0.4  # the later sentence is a side effects section's

    assert make_snippet(text, spans, weigh=weigh).startswith("<mark>Gabapentin</mark> is")
    both = make_snippet(text, spans, weigh=weigh, telling={"gabapentin", "dizzi"})
    assert "<mark>Gabapentin</mark> can cause <mark>dizziness</mark>" in both


def test_an_empty_span_list_starts_at_the_beginning() -> None:
    assert window_start([]) == 0
    assert make_snippet("a b c", []) == "a b c"


class CountingSpans(list[Span]):
    """A span list that counts how often it is walked."""

    walks = 0

    def __iter__(self) -> Iterator[Span]:
        self.walks += 1
        return super().__iter__()


def test_the_spans_are_walked_a_fixed_number_of_times_however_many_there_are() -> None:
    text = "gabapentin relieves pain. " * 200
    spans = CountingSpans(repeated_spans(200, (0, "gabapentin"), (20, "pain")))
    snippet = make_snippet(text, spans)
    assert snippet.startswith("<mark>gabapentin</mark> relieves <mark>pain</mark>.")
    assert spans.walks <= 3


def repeated_spans(times: int, *words: tuple[int, str]) -> list[Span]:
    """Spans of ``words`` (offset in a 26-character sentence, word), sentence after sentence."""
    return [
        Span(i * 26 + offset, i * 26 + offset + len(word), word)
        for i in range(times)
        for offset, word in words
    ]


def test_only_the_first_spans_in_the_text_are_looked_at() -> None:
    """A word repeated past MAX_SPANS: the window is chosen among the first matches, even though
    a later one holds both words."""
    text = "gabapentin relieves ache. " * (MAX_SPANS + 50) + "gabapentin relieves pain."
    spans = repeated_spans(MAX_SPANS + 50, (0, "gabapentin"))
    spans += [
        Span(len(text) - 25, len(text) - 15, "gabapentin"),
        Span(len(text) - 5, len(text) - 1, "pain"),
    ]
    snippet = make_snippet(text, spans)
    assert snippet == oracle_snippet(text, spans[:MAX_SPANS])
    assert "<mark>pain</mark>" not in snippet
    assert "<mark>pain</mark>" in oracle_snippet(text, spans)  # what the unbounded choice took


def test_list_items_and_headings_stay_apart_and_sentences_run_on() -> None:
    """The plain text holds one block a line; a snippet is one line, so a block that does not
    end a sentence (a list item, a heading) is set off with " · "."""
    text = "Side effects\ndiarrhea, nausea\nbloating, gas\nTake it with meals. It helps.\nNext"
    start = text.index("nausea")
    snippet = make_snippet(text, [Span(start, start + 6, "nausea")])
    assert snippet == (
        "Side effects · diarrhea, <mark>nausea</mark> · bloating, gas · "
        "Take it with meals. It helps. Next"
    )
    korean = (
        "흔한 부작용\n어지러움\n졸음\n심각한 부작용: 기분 변화\n바로 의사에게 알리세요.\n주의사항"
    )
    assert make_snippet(korean, []) == (
        "흔한 부작용 · 어지러움 · 졸음 · 심각한 부작용: 기분 변화 · "
        "바로 의사에게 알리세요. 주의사항"
    )


def marked(text: str, word: str, nth: int = 0) -> Span:
    """The span of the ``nth`` ``word`` in ``text``."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(word, at + 1)
    return Span(at, at + len(word), word)


def test_a_snippet_keeps_the_negation_that_starts_its_sentence() -> None:
    """Forty characters before `flu`, amoxicillin's snippet read "…against viral infections
    such as colds and flu": the "do not work" that starts the sentence, cut off, said the
    opposite. A snippet starts where the sentence of its first word starts, when that is near."""
    text = (
        "Amoxicillin treats ear, nose and throat infections, pneumonia and urinary tract "
        "infections caused by bacteria.\n"
        "Antibiotics do not work against viral infections such as colds and flu.\n"
        "Side effects\ndiarrhea\nnausea, vomiting\nrash"
    )
    snippet = make_snippet(text, [marked(text, "flu")])
    assert snippet.startswith(
        "Antibiotics do not work against viral infections such as colds and <mark>flu</mark>."
    )


def test_a_snippet_ends_where_its_last_sentence_ends_when_that_is_near() -> None:
    """Korean says "not" at a sentence's end: cut at the window's last character, `독감`'s
    sentence lost its 효과가 없습니다 ("do not work")."""
    text = (
        "감기약은 " + "가" * 150 + " 독감에도 쓰는지 물으면 항생제는 독감 같은 바이러스 "
        "감염에는 효과가 없습니다. 다음 문장."
    )
    spans = [marked(text, "감기약"), marked(text, "독감")]
    snippet = make_snippet(text, spans)
    assert snippet.startswith("<mark>감기약</mark>은")
    assert snippet.endswith("바이러스 감염에는 효과가 없습니다.")  # no "…": no sentence is cut


def test_a_snippet_reaches_back_as_far_as_the_reader_sees_not_as_many_characters() -> None:
    """A Hangul syllable is two columns wide: reaching back 100 characters put a Korean
    snippet's first word on the fourth line of a box that shows three."""
    english = "It helps. " + "Take it " * 10 + "with water for a headache."
    assert make_snippet(english, [marked(english, "headache")]).startswith("Take it")
    korean = "도움이 됩니다. " + "물과 함께 " * 12 + "두통에 먹습니다."  # 72 characters
    assert make_snippet(korean, [marked(korean, "두통")]).startswith("…")
    near = "도움이 됩니다. " + "물과 함께 " * 5 + "두통에 먹습니다."
    assert make_snippet(near, [marked(near, "두통")]).startswith("물과 함께")


def test_a_decimal_point_does_not_end_a_sentence() -> None:
    text = "Take " + "word " * 35 + "x" * 37 + " 0.05 mg a day, then more words follow here"
    assert text.index("0.05") + 1 == SNIPPET_CHARS + SENTENCE_TAIL - 1  # the last one looked at
    snippet = make_snippet(text, [marked(text, "Take")])
    assert not snippet.endswith("0.") and snippet.endswith("…")


def test_an_abbreviation_does_not_start_a_sentence() -> None:
    text = "Ask a doctor first if you take blood thinners (e.g. warfarin), which add to bleeding."
    snippet = make_snippet(text, [marked(text, "bleeding")])
    assert snippet.startswith("Ask a doctor")


def test_a_list_item_keeps_the_items_before_it_when_the_window_shows_them() -> None:
    """`nausea` among omeprazole's side effects: the items before it say what the list is."""
    text = (
        "Omeprazole lowers the amount of acid the stomach makes, and is taken once a day before "
        "breakfast.\nCommon side effects: headache\nstomach pain, gas\nnausea, vomiting\ndiarrhea"
    )
    snippet = make_snippet(text, [marked(text, "nausea")])
    assert snippet.startswith("…side effects: headache · stomach pain, gas · <mark>nausea</mark>")


def test_a_block_after_a_finished_sentence_opens_the_window_itself() -> None:
    """`약 보관 방법` showed each storage section after the sentence that ends the precautions
    ("…상담하세요. 보관 · 습기와…"): a heading or paragraph that opens after a full stop is
    where its window starts; a list's items still keep the line that heads them (above)."""
    korean = "약을 바꾸기 전에는 의사와 상담하세요.\n보관\n습기를 피해 실온에서 보관하세요."
    snippet = make_snippet(korean, [marked(korean, "보관"), marked(korean, "보관", 1)])
    assert snippet.startswith("<mark>보관</mark> · 습기를")
    english = "Take it with food. It helps.\nStop it if a rash appears. Ask a doctor."
    assert make_snippet(english, [marked(english, "rash")]).startswith("Stop it if a <mark>")
    within = "Read the label first. Take it with food. Stop it if a rash appears."
    assert make_snippet(within, [marked(within, "rash")]).startswith("Take it with food. Stop")


def test_a_sentence_out_of_reach_is_cut_between_words_as_before() -> None:
    text = "x" * 10 + " " + "word " * 60 + "gabapentin relieves pain " + "word " * 60
    snippet = make_snippet(text, [marked(text, "gabapentin")])
    assert snippet.startswith("…word word") and snippet.endswith("word …")
    assert len(snippet.replace("<mark>", "").replace("</mark>", "")) <= SNIPPET_CHARS + 2


@pytest.mark.parametrize("seed", range(200))
def test_a_snippet_shows_every_word_of_its_window_and_stays_short(seed: int) -> None:
    rng = random.Random(seed)
    length = rng.choice([50, 400, 3000])
    spans = random_spans(rng, length)
    text = "".join(rng.choice("ab cd\n.. Ab") for _ in range(length + 300))
    size = rng.choice([SNIPPET_CHARS, 60])
    start = window_start(spans, size)
    shown = bounds(text, start, spans, size)
    inside = [s for s in spans if s.start >= start and s.end <= start + size]
    assert all(shown.start <= s.start and s.end <= shown.end for s in inside)
    longest = size + SENTENCE_LEAD + SENTENCE_TAIL + 20
    assert shown.end - shown.start <= max(longest, *(s.end - shown.start for s in inside))
    assert shown.cut_before == (shown.start > 0 and shown.start != shown_whole(text, shown))


def shown_whole(text: str, shown: Bounds) -> int:
    """Where the snippet starts if it starts a sentence: after a full stop and a space, or a
    line break."""
    before = text[: shown.start]
    sentence = re.search(r"[.!?。][ \t]+$", before) and not text[shown.start].islower()
    return shown.start if before.endswith("\n") or sentence else -1


@pytest.mark.parametrize(
    ("query", "locale", "slug", "shown"),
    [
        ("디펜히드라민 부작용", "ko", "diphenhydramine", "<mark>Side</mark> <mark>effects</mark>"),
        ("디펜히드라민 주의사항", "ko", "diphenhydramine", "<mark>Precautions</mark>"),
        ("geworin side effects", "en", "geworin", "<mark>부작용</mark>"),
    ],
)
def test_a_section_asked_in_the_other_language_shows_that_section(
    bundled_index, query: str, locale: str, slug: str, shown: str
) -> None:
    """Diphenhydramine has no Korean translation: `디펜히드라민 부작용` showed its English
    opening, since the reader's own words (in Hangul) are nowhere in it and the glossary's
    `side effects` did not say where to look."""
    hit = result(bundled_index, query, locale, slug)
    assert hit.locale != locale and shown in hit.snippet


@pytest.mark.parametrize(
    ("query", "locale", "slug", "shown"),
    [
        ("zolpidem 부작용", "en", "zolpidem", "<mark>Side</mark> <mark>effects</mark>"),
        ("metformin 부작용", "en", "metformin", "<mark>Side</mark> <mark>effects</mark>"),
        ("zolpidem side effects", "ko", "zolpidem", "<mark>부작용</mark>"),
        # other articles' precautions name zolpidem ("sleeping pills such as zolpidem"): it
        # was read as a side effect asked about, and the words "side effects" as framing
        ("zolpidem side effects", "en", "zolpidem", "<mark>Side</mark> <mark>effects</mark>"),
        ("메트포르민 side effects", "en", "metformin", "<mark>Side</mark> <mark>effects</mark>"),
        ("tylenol precautions", "ko", "acetaminophen", "<mark>주의사항</mark>"),
        ("warfarin alcohol", "ko", "warfarin", "<mark>술</mark>"),
        # the name in the uses had broken the tie with the side effects' own heading
        ("졸피뎀 부작용", "ko", "zolpidem", "<mark>부작용</mark> · 흔한 <mark>부작용</mark>: 졸음"),
        (
            "아스피린 부작용",
            "ko",
            "aspirin",
            "<mark>부작용</mark> · 흔한 <mark>부작용</mark>: 속쓰림",
        ),
        ("메트포르민 부작용", "ko", "metformin", "<mark>부작용</mark> · 흔한 <mark>부작용</mark>"),
        # every Korean title says 복용, one word of the glossary's 복용법 for 용량: the title was
        # taken to show 용량, and the opening won on the name
        ("타이레놀 용량", "ko", "acetaminophen", "<mark>용량</mark>"),
    ],
)
def test_a_named_medicine_shows_what_the_query_asks_of_it(
    bundled_index, query: str, locale: str, slug: str, shown: str
) -> None:
    """`zolpidem 부작용` read in English showed zolpidem's opening: the name was the one word of
    the query in the text, so it chose the window, though the title already shows it; the
    glossary's `side effects` for 부작용 said nothing."""
    hit = result(bundled_index, query, locale, slug)
    assert hit.locale == locale and shown in hit.snippet


@pytest.mark.parametrize(
    ("query", "locale", "slug", "shown"),
    [
        ("스테로이드 부작용 살찜", "ko", "prednisolone", "<mark>체중</mark> <mark>증가</mark>"),
        ("공복에 타이레놀", "ko", "geworin", "<mark>빈속</mark>"),
        ("medicine to stop vomiting", "en", "acetaminophen", "<mark>nausea</mark>"),
    ],
)
def test_the_glossary_says_a_need_the_text_lacks_the_readers_words_for(
    bundled_index, query: str, locale: str, slug: str, shown: str
) -> None:
    """Where the text says a need only in the glossary's words (살찜 as 체중 증가, 공복 as 빈속),
    they choose the window as the reader's would: the medicine's kind or name, the one word of
    the reader's the text has, had pulled each snippet to the opening or elsewhere."""
    hit = result(bundled_index, query, locale, slug)
    assert shown in hit.snippet


@pytest.mark.parametrize(
    ("query", "locale", "slug", "shown"),
    [
        ("headache pill", "en", "ibuprofen", "<mark>headache</mark>"),
        ("ibuprofen 임신", "ko", "losartan", "<mark>임신</mark>"),
    ],
)
def test_the_glossary_stands_in_only_beside_a_name(
    bundled_index, query: str, locale: str, slug: str, shown: str
) -> None:
    """Where the reader's own words say more than an article's name, they alone choose: the
    glossary's `tablets` for `pill` does not pull ibuprofen's snippet to its opening, nor
    이부프로펜 losartan's from its warning about pregnancy."""
    hit = result(bundled_index, query, locale, slug)
    assert shown in hit.snippet


def test_a_telling_word_that_weighs_nothing_still_starts_a_window() -> None:
    """A section heading the glossary names (`Side effects` for 부작용) weighs nothing, as every
    article has one; a window must still be able to start there to show it."""
    text = "Zolpidem is a sleeping medicine. " + "x " * 200 + ".\nSide effects: drowsiness."
    side = text.index("Side")
    spans = [Span(0, 8, "zolpidem"), Span(side, side + 4, "side")]
    weight = {"zolpidem": 0.03, "side": 0.0}
    snippet = make_snippet(text, spans, weigh=lambda span: weight[span.word], telling={"side"})
    assert snippet.startswith("<mark>Side</mark> effects")


def test_a_telling_word_starts_the_window_when_no_word_weighs_anything() -> None:
    """Every word weighing nothing (the name and the section both in the title) had let every
    span start a window, and the first, before the name in the uses, won the tie."""
    text = "Zolpidem is a sleeping medicine. " + "x " * 40 + "Zolpidem " + "y " * 30
    text += ". Side effects: drowsiness."
    name, side = text.rindex("Zolpidem"), text.index("Side")
    spans = [Span(0, 8, "zolpidem"), Span(name, name + 8, "zolpidem"), Span(side, side + 4, "side")]
    snippet = make_snippet(text, spans, weigh=lambda span: 0.0, telling={"side"})
    assert snippet.startswith("<mark>Side</mark> effects")


def test_a_side_effect_asked_in_the_other_language_shows_the_symptom(bundled_index) -> None:
    """`두통 부작용` shown in English: the headache chooses the window, not the `side effects`
    the glossary reads 부작용 as (it only frames the question); zolpidem's and aspirin's
    headache had been past the 120th character, below the lines a search box shows."""
    hits = kb.search(bundled_index, "두통 부작용", "en").hits
    shown = [unmarked(h.snippet) for h in hits[:7] if h.locale == "en"]
    assert len(shown) >= 6 and all(0 <= text.find("headache") <= 80 for text in shown)


def test_a_window_may_count_what_its_words_tell_otherwise() -> None:
    """`tells` counts a window's words as the caller reads them: here a need said in one word in
    the uses (인후통) tells as much as the side effects saying it in two, so the weightier uses
    are shown; counted word by word, the two words win."""
    text = "효능 · 목 통증(인후통)의 진통. " + "가 " * 120 + "부작용 · 열, 목 아픔, 입안이 헒."
    uses, aside = text.index("인후통"), text.rindex("목 아픔")
    spans = [Span(uses, uses + 3, "인후통"), Span(aside, aside + 1, "목"),
             Span(aside + 2, aside + 4, "아프")]  # fmt: skip

    def weigh(span: Span) -> float:
        return 2.9 if span.start == uses else 0.5

    telling = {"인후통", "목", "아프"}
    assert "<mark>목</mark> <mark>아픔</mark>" in make_snippet(
        text, spans, weigh=weigh, telling=telling
    )

    def tells(words: Collection[str]) -> float:
        return float(bool(set(words) & telling))  # one need, however it is said

    assert "<mark>인후통</mark>" in make_snippet(
        text, spans, weigh=weigh, telling=telling, tells=tells
    )


@pytest.mark.parametrize(
    ("query", "locale", "slug", "shown"),
    [
        # the uses say it in the glossary's word; the side effects in the reader's (or the
        # glossary's other) two words, which had outnumbered it
        ("sore throat", "en", "geworin", SORE_THROAT_USE),
        ("sore throat", "ko", "geworin", SORE_THROAT_USE),
        ("목 아플 때 먹는 약", "ko", "geworin", SORE_THROAT_USE),
        # the reader's words for the need are nowhere in the text: the glossary's say it, not
        # the 먹는 약 every article has ("함께 먹는 약: …")
        ("머리가 아플 때 먹는 약", "ko", "ibuprofen", "효능 · 진통: <mark>두통</mark>"),
        ("허리 아플 때 먹는 약", "ko", "ibuprofen", "<mark>요통</mark>"),
        ("당뇨약", "ko", "pregabalin", "<mark>당뇨병</mark>성 신경병증"),
        ("관절염 약", "ko", "acetaminophen", "<mark>관절통</mark>"),
    ],
)
def test_a_need_the_glossary_names_is_shown_where_the_article_treats_it(
    bundled_index, query: str, locale: str, slug: str, shown: str
) -> None:
    """A need counts once however it is said: 게보린's uses name a sore throat 인후통, its side
    effects 목 아픔, and the two words had outnumbered the one, so `sore throat` showed a blood
    disorder's warning signs."""
    hit = result(bundled_index, query, locale, slug)
    assert hit.locale == "ko" and shown in hit.snippet


@pytest.mark.parametrize(
    ("query", "locale", "slug", "shown"),
    [
        # the reader's two words side by side still beat one of them alone ("itchy throat")
        ("sore throat", "en", "cetirizine", "<mark>sore</mark> <mark>throat</mark>"),
        # two words of one need, both the reader's, beat another need's one
        ("steroid side effects", "en", "prednisolone", "<mark>Side</mark> <mark>effects</mark>"),
        # the reader's word every article says still beats the glossary's rarer one (알코올)
        ("술", "ko", "zolpidem", "<mark>술</mark>과 함께 먹지 마세요"),
        ("알레르기 약", "ko", "cetirizine", "효능 · <mark>알레르기</mark> 비염"),
    ],
)
def test_a_need_counted_once_still_prefers_the_readers_own_words(
    bundled_index, query: str, locale: str, slug: str, shown: str
) -> None:
    hit = result(bundled_index, query, locale, slug)
    assert shown in hit.snippet


@pytest.mark.parametrize(
    ("query", "locale", "slug", "shown"),
    [
        # 먹는 약 only says "medicine": it had chosen "함께 먹는 약: …" and the like
        (
            "독감에 먹는 약",
            "ko",
            "amoxicillin",
            "감기나 <mark>독감</mark> 같은 바이러스 감염에는 효과가",
        ),
        ("설사할 때 먹는 약", "ko", "metformin", "<mark>설사</mark>"),
        ("임산부가 먹으면 안 되는 약", "ko", "ibuprofen", "<mark>임신</mark> 20주"),
        ("pill to take when nauseous", "en", "sertraline", "<mark>nausea</mark>"),
        ("headache pill", "ko", "acetaminophen", "효능 · 진통: <mark>두통</mark>"),
    ],
)
def test_words_that_only_say_medicine_do_not_choose_the_window(
    bundled_index, query: str, locale: str, slug: str, shown: str
) -> None:
    """Ranking already counts 먹는 약 and `pill` beside a need as framing: every article is a
    medicine. The snippet counted them as words of the need, so a window full of them won."""
    hit = result(bundled_index, query, locale, slug)
    assert shown in hit.snippet


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("졸피뎀 부작용", "zolpidem"),
        ("아스피린 부작용", "aspirin"),
        ("메트포르민 부작용", "metformin"),
    ],
)
def test_a_section_asked_of_a_named_medicine_is_shown_from_its_heading(
    bundled_index, query: str, slug: str
) -> None:
    """The name in the uses broke the tie with the side effects' heading: `졸피뎀 부작용` showed
    "서방정은 자다가 … 졸피뎀은 잠자리에 들기 직전에 …", the list it asked for cut off at the
    end of the lines a result shows."""
    hit = result(bundled_index, query, "ko", slug)
    plain = unmarked(hit.snippet)
    assert 0 <= plain.find("부작용 · 흔한 부작용") <= 40


@pytest.mark.parametrize(
    ("query", "slug", "shown"),
    [
        ("sertraline side effects", "dextromethorphan", "such as <mark>sertraline</mark>"),
        ("warfarin side effects", "ibuprofen", "blood thinners (e.g. <mark>warfarin</mark>)"),
    ],
)
def test_another_article_shows_where_it_names_the_medicine_asked_about(
    bundled_index, query: str, slug: str, shown: str
) -> None:
    """`sertraline side effects` lists dextromethorphan for naming sertraline; it showed its
    own side effects, which a reader skimming the list could take for sertraline's."""
    hit = result(bundled_index, query, "en", slug)
    assert shown in hit.snippet


@pytest.mark.parametrize(
    ("query", "locale", "slug", "shown", "not_shown"),
    [
        # `shortness` stems as `short`: "short-term use" was the window, not "trouble breathing"
        ("shortness of breath", "en", "diphenhydramine", "<mark>trouble</mark>", "short-term"),
        ("shortness of breath", "en", "zolpidem", "<mark>breathing</mark>", "short-term"),
        # 아프 alone was 게보린's blood-disorder warning signs ("목 아픔")
        ("이빨이 아파요", "ko", "geworin", "<mark>치통</mark>", "목 아픔"),
        ("머리가 아플 때 먹는 약", "ko", "geworin", "<mark>두통</mark>", "목 아픔"),
        # "muscle aches" in the uses, not the stomach pain among the side effects
        ("stomach ache", "en", "ibuprofen", "<mark>stomach</mark> <mark>pain</mark>", "muscle"),
    ],
)
def test_words_of_one_need_apart_do_not_choose_the_window(
    bundled_index, query: str, locale: str, slug: str, shown: str, not_shown: str
) -> None:
    """The reader's words of one glossary term (`shortness of breath`, `이빨이 아파요`) say the
    need side by side; apart, where the text says it in the glossary's words, they say
    something else."""
    hit = result(bundled_index, query, locale, slug)
    assert shown in hit.snippet and not_shown not in hit.snippet, hit.snippet


def name_then_answer(between: str) -> tuple[str, list[Span]]:
    """A text naming its medicine (a title's word) just before the line asked for, and saying
    what is asked again far later; its spans as the engine gives them."""
    text = "Take gabapentin 2 hours after an antacid" + between + "Do not stop it suddenly. "
    text += "x " * 150 + "Stop if a rash appears."
    spans = [Span(text.index("gabapentin"), text.index("gabapentin") + 10, "gabapentin")]
    for word, at in (("stop", text.index("stop")), ("sudden", text.index("suddenly"))):
        spans.append(Span(at, at + len(word), word))
    spans.append(Span(text.index("Stop"), text.index("Stop") + 4, "stop"))
    return text, sorted(spans)


WEIGHT = {"gabapentin": 0.03, "stop": 0.3, "sudden": 0.5}


def weigh_by_word(span: Span) -> float:
    """As the search weighs those words: the name, which the title shows, only breaks ties."""
    return WEIGHT[span.word]


def test_a_name_said_before_the_line_asked_does_not_pull_the_window_back() -> None:
    """`can i stop taking gabapentin suddenly` showed "Antacids … lower the absorption of
    gabapentin: take it … Do not stop taking it suddenly;…", the answer at the cut end: the
    name, which the title already shows, started the window and tipped the tie."""
    text, spans = name_then_answer(". ")
    before = make_snippet(text, spans, weigh=weigh_by_word)
    assert before.startswith("Take <mark>gabapentin</mark>")  # the old choice, without the rule
    snippet = make_snippet(text, spans, weigh=weigh_by_word, tie_breaking={"gabapentin"})
    assert snippet.startswith("Do not <mark>stop</mark> it <mark>sudden</mark>ly"), snippet


@pytest.mark.parametrize("between", [", so ", ":\n"])
def test_a_name_said_with_the_words_asked_still_starts_the_window(between: str) -> None:
    """In one sentence, or as a list's heading over its items ("Rare but serious side
    effects:" over "suicidal thoughts, especially in children"), the title's words read with
    the words asked and may start the window."""
    text, spans = name_then_answer(between)
    snippet = make_snippet(text, spans, weigh=weigh_by_word, tie_breaking={"gabapentin"})
    assert snippet.startswith("Take <mark>gabapentin</mark>"), snippet


def test_a_name_alone_still_starts_the_window() -> None:
    """Where the title's words are all the text matches, they start the window as before."""
    text = "x " * 100 + "Gabapentin is an anticonvulsant."
    at = text.index("Gabapentin")
    snippet = make_snippet(
        text,
        [Span(at, at + 10, "gabapentin")],
        weigh=lambda span: 0.03,
        tie_breaking={"gabapentin"},
    )
    assert "<mark>Gabapentin</mark> is an anticonvulsant" in snippet


@pytest.mark.parametrize(
    ("query", "locale", "slug", "starts"),
    [
        (
            "can i stop taking gabapentin suddenly",
            "en",
            "gabapentin",
            "Do not stop taking it suddenly",
        ),
        ("가바펜틴 갑자기 끊으면", "ko", "gabapentin", "임의로 갑자기 끊지"),
        ("와파린 음식", "ko", "warfarin", "음식 속 비타민 K"),
        ("와파린 시금치", "ko", "warfarin", "시금치, 케일"),
        ("does zyrtec make you sleepy", "en", "cetirizine", "It usually causes less drowsiness"),
        ("임신 중 이부프로펜", "ko", "ibuprofen", "임신: 임신 20주 이후"),
    ],
)
def test_the_line_asked_of_a_named_medicine_leads_its_snippet(
    bundled_index, query: str, locale: str, slug: str, starts: str
) -> None:
    """Each of these showed the article's name two or three sentences before the line asked
    for, which came at the snippet's end or was cut from it."""
    plain = unmarked(result(bundled_index, query, locale, slug).snippet)
    assert 0 <= plain.find(starts) <= 60, plain


@pytest.mark.parametrize(
    ("query", "slug", "shown"),
    [
        ("소아 부작용", "sertraline", "serious <mark>side</mark> <mark>effects</mark>"),
        ("변비약 부작용", "ibuprofen", "Common <mark>side</mark> <mark>effects</mark>"),
    ],
)
def test_a_side_effects_heading_over_the_item_asked_stays_in_the_snippet(
    bundled_index, query: str, slug: str, shown: str
) -> None:
    """A list's heading names the section the item is in: "Rare but serious side effects:"
    over "suicidal thoughts…, especially in children", not the uses' "OCD, in children"."""
    hit = result(bundled_index, query, "en", slug)
    assert shown in hit.snippet, hit.snippet


KIND_SIDE_EFFECTS = "부작용 · 흔한 부작용"


@pytest.mark.parametrize(
    ("query", "locale", "slug", "heading"),
    [
        ("수면제 부작용", "ko", "zolpidem", KIND_SIDE_EFFECTS),
        ("혈압약 부작용", "ko", "amlodipine", KIND_SIDE_EFFECTS),
        ("고혈압 약 부작용", "ko", "losartan", KIND_SIDE_EFFECTS),
        ("고혈압약 부작용", "ko", "amlodipine", KIND_SIDE_EFFECTS),
        ("항우울제 부작용", "ko", "sertraline", KIND_SIDE_EFFECTS),
        ("소염진통제 부작용", "ko", "aspirin", KIND_SIDE_EFFECTS),
        ("항생제 부작용", "ko", "amoxicillin", KIND_SIDE_EFFECTS),
        # kinds the glossary names, in either language
        ("스테로이드 부작용", "ko", "prednisolone", "부작용 · 부작용은"),
        ("blood pressure pill side effects", "en", "losartan", "Side effects · Common"),
        ("sleeping pill side effects", "en", "diphenhydramine", "Side effects · Common"),
        ("항히스타민제 부작용", "en", "diphenhydramine", "Side effects · Common"),
        ("수면보조제 부작용", "ko", "zolpidem", KIND_SIDE_EFFECTS),
        # the glossary's kind line for levothyroxine; its uses say 부작용 too ("많은 양을 먹으면
        # … 심각한 부작용이"), and the window started there
        ("갑상선약 부작용", "ko", "levothyroxine", "부작용 · 알맞은 용량"),
        ("thyroid medicine side effects", "en", "levothyroxine", "Side effects · At the"),
        ("레보티록신 부작용", "en", "levothyroxine", "Side effects · At the"),
        ("levothyroxine precautions", "ko", "levothyroxine", "주의사항 · 하루 한 번"),
        # kinds given glossary lines: each showed its opening or uses
        ("diabetes medicine side effects", "en", "metformin", "Side effects · Common"),
        ("acid reducer side effects", "en", "famotidine", "Side effects · Common"),
        ("위산억제제 부작용", "ko", "famotidine", "부작용 · 흔한 부작용"),
        ("멀미약 부작용", "en", "diphenhydramine", "Side effects · Common"),
        ("motion sickness pill precautions", "en", "diphenhydramine", "Precautions · "),
    ],
)
def test_a_section_asked_of_a_kind_is_shown_in_the_articles_of_that_kind(
    bundled_index, query: str, locale: str, slug: str, heading: str
) -> None:
    """`수면제 부작용` showed zolpidem's opening ("…잠들게 돕는 수면제입니다"), `혈압약 부작용`
    amlodipine's: the kind, a rare word, outweighed 부작용, which every title says. An
    article whose tags say it is of that kind, as typed or on the kind's glossary line, is
    named by it, as by its title: `blood pressure pill` is losartan's "blood pressure
    medicine", and diphenhydramine, in English only, is the `항히스타민제` asked of."""
    plain = unmarked(result(bundled_index, query, locale, slug).snippet)
    assert 0 <= plain.find(heading) <= 60, plain


@pytest.mark.parametrize(
    ("query", "locale", "slug", "shown"),
    [
        (
            "statin muscle pain",
            "en",
            "atorvastatin",
            "unexplained <mark>muscle</mark> <mark>pain</mark>",
        ),
        ("스타틴 근육통", "ko", "atorvastatin", "흔한 부작용: 관절통, <mark>근육통</mark>"),
        ("수면제 임신", "ko", "zolpidem", "<mark>임신</mark> 중, 특히"),
        ("노인 수면제", "en", "zolpidem", "<mark>Older</mark> <mark>people</mark> are at higher"),
        ("콜레스테롤 약 자몽", "ko", "atorvastatin", "<mark>자몽</mark>: <mark>자몽</mark>"),
        ("antidepressant alcohol", "en", "sertraline", "Avoid <mark>alcohol</mark> while"),
        # named in Korean and shown in English: the glossary's words for the kind (steroid,
        # antibiotic) told as rare words do, and chose the opening that says them
        ("항우울제 술", "en", "sertraline", "Avoid <mark>alcohol</mark> while"),
        ("항생제 술", "en", "amoxicillin", "<mark>Alcohol</mark>: there is no known"),
        ("스테로이드 끊으면", "en", "prednisolone", "Do not <mark>stop</mark> suddenly"),
        ("소염진통제 임신", "en", "ibuprofen", "<mark>Pregnancy</mark>: do not use it"),
        ("지사제 어린이", "en", "loperamide", "Do not give it to <mark>children</mark>"),
        # a kind the glossary had no line for: the thyroid gland of the opening was shown
        ("갑상선약 아침", "ko", "levothyroxine", "<mark>아침</mark> 식사 30~60분 전"),
        ("thyroid pill with breakfast", "en", "levothyroxine", "before <mark>breakfast</mark>"),
    ],
)
def test_a_kind_named_beside_what_is_asked_shows_what_is_asked(
    bundled_index, query: str, locale: str, slug: str, shown: str
) -> None:
    """An article of the kind named is named by it, whatever the query asks of it: each showed
    its opening, which says what kind it is ("…is a statin, a medicine that lowers
    cholesterol"), where the line asked is."""
    assert shown in result(bundled_index, query, locale, slug).snippet


@pytest.mark.parametrize(
    ("query", "slug", "shown"),
    [
        ("수면제 부작용", "dextromethorphan", "<mark>수면제</mark>"),
        # losartan's tags say 당뇨병성 신장병: the glossary's 당뇨병 for 당뇨약 is no kind
        ("당뇨약 부작용", "losartan", "<mark>당뇨병</mark>성 신장병"),
    ],
)
def test_another_article_still_shows_where_it_names_the_kind(
    bundled_index, query: str, slug: str, shown: str
) -> None:
    """An article listed for naming the kind, not being one, shows where it names it: its own
    side effects could be taken for the kind's."""
    assert shown in result(bundled_index, query, "ko", slug).snippet


@pytest.mark.parametrize(
    ("query", "slug", "shown"),
    [
        (
            "갑자기 끊으면 안 되는 약",
            "sertraline",
            "<mark>갑자기</mark> <mark>끊</mark>으면 어지러움",
        ),
        ("오메프라졸 오래 먹으면", "omeprazole", "주로 <mark>오래</mark> 복용할 때"),
        ("스테로이드 서서히 줄이기", "prednisolone", "<mark>서서히</mark> <mark>줄여</mark>야"),
        ("암로디핀 꾸준히 먹어야 하나요", "amlodipine", "<mark>꾸준히</mark> 복용하세요"),
        # 갑자기 of "혈관이 갑자기 수축" is said of another thing: the stop line stays
        ("암로디핀 갑자기 끊으면", "amlodipine", "약을 <mark>끊</mark>지 마세요"),
        # 같이 is said 함께: the uses' "이부프로펜이나 아스피린과 달리" was shown
        (
            "타이레놀이랑 이부프로펜 같이 먹어도 돼요",
            "acetaminophen",
            "<mark>함께</mark> <mark>먹</mark>으면 과다 복용",
        ),
        ("타이레놀 같이 먹어도", "geworin", "다른 약과 <mark>함께</mark> <mark>먹</mark>지 마세요"),
        # 같이 is said of taking, though no word for it follows
        ("타이레놀 이부프로펜 같이", "acetaminophen", "<mark>함께</mark> 먹으면 과다 복용"),
    ],
)
def test_a_korean_adverb_asked_with_shows_the_line_saying_it(
    bundled_index, query: str, slug: str, shown: str
) -> None:
    """Kiwi's reading drops adverbs, as Nori's does, so no index holds 갑자기 or 오래:
    `갑자기 끊으면 안 되는 약` showed sertraline's "MAOI를 … 끊은 지 14일", `오메프라졸 오래
    먹으면` its uses. The text is looked in for the adverb said right before a word asked."""
    assert shown in result(bundled_index, query, "ko", slug).snippet


@pytest.mark.parametrize("query", ["술이랑 같이 먹으면 안 되는 약", "술과 함께 먹으면 안 되는 약"])
@pytest.mark.parametrize("slug", ["acetaminophen", "pregabalin"])
def test_together_with_a_drink_shows_the_drink_not_other_medicines(
    bundled_index, query: str, slug: str
) -> None:
    """같이 and 함께 count only where the query names a medicine: `술이랑 같이 먹으면 안 되는
    약` showed acetaminophen's "함께 먹으면 과다 복용" and pregabalin's "다른 진정제와 함께
    먹을 때" once 함께 told, not their alcohol lines."""
    assert "<mark>술</mark>" in result(bundled_index, query, "ko", slug).snippet


@pytest.mark.parametrize(
    ("query", "adverbs"),
    [
        ("갑자기 끊으면 안 되는 약", ("갑자기",)),
        ("오래 먹으면 서서히 줄여야 하나요", ("오래", "서서히")),
        ("오래된 약 먹어도 되나요", ()),  # old, not long
        ("자주색 알약", ()),  # purple, not often
        ("와파린 아스피린 같이 먹어도", ("같이", "함께")),  # together, as articles say it
    ],
)
def test_the_adverbs_a_query_asks_with(query: str, adverbs: tuple[str, ...]) -> None:
    assert adverbs_asked(query) == adverbs
