"""Analyzer behaviour readers rely on: lemmas, units, Latin words, offsets, no pickled model."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys

import pytest
from whoosh.lang.porter2 import stem as porter2_stem

import kb
from kb.analysis import (
    KoreanModel,
    analysis_version,
    batch_model,
    bigram_analyzer,
    english_analyzer,
    korean_analyzer,
    query_model,
)
from kb.analysis.base import Kind
from kb.analysis.korean import read_user_dict


def texts(analyzer, value: str, mode: str = "index") -> list[str]:
    return [t.text for t in analyzer.terms(value, query=mode == "query")]


@pytest.mark.parametrize(
    ("text", "lemma"),
    [("완화하는", "완화"), ("완화합니다", "완화"), ("부었다", "붓다"), ("어지러운", "어지럽다")],
)
def test_verbs_and_adjectives_are_indexed_by_lemma(text: str, lemma: str) -> None:
    assert texts(korean_analyzer(), text) == [lemma]


@pytest.mark.parametrize(
    ("verb_text", "noun_text", "noun"),
    [
        ("캡슐을 열어도 되나요", "열이 나요", "열"),  # to open; a fever
        ("혈압이 낮아요", "낮에 졸려요", "낮"),  # low; the daytime
        ("약국에서 팔기도 합니다", "팔이 아파요", "팔"),  # to sell; an arm
        ("다른 사람에게 주지 마세요", "주 1회", "주"),  # to give; a week
        ("임신 사실을 알게 되면", "알이 너무 커요", "알"),  # to know; a pill
        ("모기에 물렸어요", "물과 함께", "물"),  # bitten; water
    ],
)
@pytest.mark.parametrize("mode", ["index", "query"])
def test_a_verb_is_no_noun_spelled_like_its_stem(
    mode: str, verb_text: str, noun_text: str, noun: str
) -> None:
    """A verb's term is its dictionary form: `캡슐을 열어도 되나요` (may I open the capsule)
    listed the fever reducers first, for 열 (fever), and `낮에 졸려요` levothyroxine's "낮게"."""
    assert noun in texts(korean_analyzer(), noun_text, mode)
    assert noun not in texts(korean_analyzer(), verb_text, mode)


def test_particles_and_endings_are_dropped() -> None:
    assert texts(korean_analyzer(), "가바펜틴의 효능은 무엇인가요?") == ["가바펜틴", "효능"]


def test_number_and_unit_are_indexed_glued_and_split_but_queried_glued() -> None:
    analyzer = korean_analyzer()
    assert texts(analyzer, "300 mg 정제") == ["300", "300mg", "mg", "정제"]
    assert texts(analyzer, "300mg 정제", mode="query") == ["300mg", "정제"]
    assert texts(analyzer, "100정") == ["100", "100정", "#정"]
    assert texts(analyzer, "100정", mode="query") == ["100정"]


def test_a_prefixed_noun_is_indexed_whole_and_as_its_noun_but_queried_whole() -> None:
    """고용량 (a high dose) is a 용량, but no 저용량: the index holds both words at one
    position, a query the whole word; a negating prefix still makes one word only."""
    analyzer = korean_analyzer()
    indexed = analyzer.terms("고용량 정제를 먹는다")
    assert [(t.text, t.pos) for t in indexed[:2]] == [("용량", 0), ("고용량", 0)]
    assert texts(analyzer, "저용량 정제를 먹는다", mode="query") == ["저용량", "정제", "먹다"]
    assert texts(analyzer, "대도시에 산다") == ["도시", "대도시", "살다"]
    assert texts(analyzer, "비급여 항목") == ["비급여", "항목"]


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("몇 살부터 먹을 수 있나요?", "12살 이상 어린이"),
        ("감자를 몇 도에서 굽나요?", "450도로 굽습니다"),
        ("몇 년도에 세워졌나요?", "1999년에 세워졌다"),
        ("인구는 몇 명인가요?", "인구는 약 300만 명이다"),
    ],
)
def test_how_many_of_a_counter_asks_for_a_number_with_it(question: str, answer: str) -> None:
    """`몇 살` searches "some number of years of age", which every `…살` after a number is.
    (Kiwi often reads `시간` after `몇` as a noun, which stays the word `시간`.)"""
    analyzer = korean_analyzer()
    asked = set(texts(analyzer, question, mode="query"))
    counts = {word for word in asked if word.startswith("#")}
    assert counts and counts <= set(texts(analyzer, answer))


def test_a_counter_without_a_count_is_no_term() -> None:
    """`시간` after no number is "time", `이 시간` (this hour) counts nothing, and a passage
    that asks `몇 살` gives no age (only a query's `몇 살` asks for one)."""
    analyzer = korean_analyzer()
    assert not any(w.startswith("#") for w in texts(analyzer, "이 시간에 먹는 약"))
    assert not any(w.startswith("#") for w in texts(analyzer, "몇 살부터 먹나요?"))
    assert "#번" in texts(analyzer, "세 번 드세요")
    assert texts(analyzer, "3회에", mode="query") == ["3번"]  # 회 is 번, times


@pytest.mark.parametrize(
    ("words", "digits"),
    [
        ("하루 세 번", "하루 3번"),
        ("하루 세 번", "하루 3회"),
        ("열두 살", "12살"),
        ("서른두 명", "32명"),
        ("첫 번째 앨범", "1번째 앨범"),
        ("세번째", "3번째"),
    ],
)
def test_a_native_numeral_before_a_counter_is_its_number(words: str, digits: str) -> None:
    """Korean counts in words and in digits alike (`세 번`, `3번`); either finds the other."""
    analyzer = korean_analyzer()
    assert texts(analyzer, words, mode="query") == texts(analyzer, digits, mode="query")
    assert texts(analyzer, words) == texts(analyzer, digits)


def test_an_ordinal_is_not_a_number_of_times() -> None:
    """`두 번째` (second) and `둘째` are `2번째`; `두 번` and `2번` (twice) are not."""
    analyzer = korean_analyzer()
    assert texts(analyzer, "두 번째", mode="query") == texts(analyzer, "둘째", mode="query")
    assert texts(analyzer, "두 번째", mode="query") == ["2번째"]
    assert "2번째" not in texts(analyzer, "하루 두 번") + texts(analyzer, "하루 2번")


def test_a_unit_spelled_in_hangul_is_the_unit_articles_write() -> None:
    """`500밀리그램` is `500mg` (Kiwi splits `밀리리터` in two, and `그램머` is a name)."""
    analyzer = korean_analyzer()
    assert texts(analyzer, "500밀리그램") == ["500", "500mg", "mg"]
    assert texts(analyzer, "500 밀리그램", mode="query") == texts(analyzer, "500mg", mode="query")
    assert texts(analyzer, "한 컵에 몇 밀리리터", mode="query") == ["컵", "ml"]
    assert texts(analyzer, "카밀 그램머") == ["카밀", "그램머"]


@pytest.mark.parametrize(
    ("query", "searched"),
    [
        ("가바펜틴의 뜻", ["가바펜틴"]),
        ("300mg 가격은 얼마인가요", ["300mg", "가격"]),
        ("100mg 얼마", ["100mg"]),  # a dose is what the question is about, too
        ("하루에 몇 번 먹나요", ["하루", "#번", "먹다"]),  # asks for a number
        ("뜻", ["뜻"]),  # alone, the word is what is wanted
        ("의미가 뭐예요", ["의미"]),
    ],
)
def test_a_request_word_is_searched_only_when_nothing_else_is(
    query: str, searched: list[str]
) -> None:
    analyzer = korean_analyzer()
    assert texts(analyzer, query, mode="query") == searched
    # the index keeps every word; a count asked for (`#번` of `몇 번`) is none of a passage's
    asked = {word for word in searched if word.startswith("#")}
    assert set(searched) - asked <= set(texts(analyzer, query))


def test_latin_words_in_korean_text_are_whole_and_stemmed_like_english() -> None:
    korean = texts(korean_analyzer(), "약(medicine.) Seizures 뉴론틴(Neurontin).")
    english = texts(english_analyzer(), "medicine. Seizures Neurontin.")
    assert [w for w in korean if w.isascii()] == english == ["medicin", "seizur", "neurontin"]


def test_english_folds_case_stems_and_drops_stop_words() -> None:
    assert texts(english_analyzer(), "The Side Effects of 500 mg Tablets") == [
        "side",
        "effect",
        "500",
        "500mg",
        "mg",
        "tablet",
    ]


@pytest.mark.parametrize("mode", ["index", "query"])
def test_a_name_that_is_not_its_words_is_one_term(mode: str) -> None:
    """Hay fever is no fever: indexed as ``fever``, it listed the antihistamines for `fever
    medicine`. Written apart, hyphenated or in one word, it is one term; words a comma keeps
    apart stay two."""
    analyzer = english_analyzer()
    one = texts(analyzer, "hayfever", mode)
    assert len(one) == 1 and "fever" not in one
    for written in ("hay fever", "Hay-Fever", "seasonal (hay  fever)"):
        assert texts(analyzer, written, mode)[-1:] == one, written
    assert texts(analyzer, "hay, fever", mode) == ["hay", "fever"]
    assert texts(analyzer, "cold sores", mode) == texts(analyzer, "cold sore", mode)
    assert "cold" not in texts(analyzer, "cold sweats", mode)
    water_pill = texts(analyzer, "water pill", mode)
    assert len(water_pill) == 1 and "water" not in water_pill
    assert texts(analyzer, "water pills", mode) == water_pill
    grounds = texts(analyzer, "looks like coffee grounds", mode)
    assert "coffe" not in grounds and texts(analyzer, "coffee", mode) == ["coffe"]
    assert "drive" not in texts(analyzer, "lower sex drive", mode)
    assert "control" not in texts(analyzer, "birth control pills", mode)


@pytest.mark.parametrize("mode", ["index", "query"])
def test_a_verb_its_particle_turns_into_another_is_one_term(mode: str) -> None:
    """To throw up is to vomit, to pass out to faint and to come off a medicine to stop it; the
    particle is a stop word, so each was read as its verb (`throw away`, `pass urine`, "comes
    as"), and `the runs` as `run`. In every
    form of the verb they are one term; the verb alone, or with another particle, stays."""
    analyzer = english_analyzer()
    throw_up = texts(analyzer, "throw up", mode)
    assert len(throw_up) == 1 and "throw" not in throw_up
    for written in ("threw up", "Throwing-up", "thrown  up", "throws up"):
        assert texts(analyzer, written, mode) == throw_up, written
    assert texts(analyzer, "throw away", mode) == ["throw", "away"]
    pass_out = texts(analyzer, "passed out", mode)
    assert len(pass_out) == 1 and texts(analyzer, "passing out", mode) == pass_out
    assert texts(analyzer, "pass urine", mode) == ["pass", "urin"]
    assert "run" not in texts(analyzer, "I have the runs", mode)
    assert texts(analyzer, "run out of pills", mode) == ["run", "pill"]
    come_off = texts(analyzer, "how to come off it", mode)  # to stop a medicine, gradually
    assert len(come_off) == 1 and come_off != texts(analyzer, "come", mode)
    assert texts(analyzer, "coming off sertraline", mode)[0] == come_off[0]
    assert texts(analyzer, "It comes as tablets", mode) == ["come", "tablet"]
    # the verb that says it goes on is still read as that: the particle ends no -ing
    assert english_analyzer().pieces("I keep throwing up")[0].kind is Kind.HEDGE


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("stopping suddenly", ["stop", "suddenly"]),
        ("Do not stop taking it suddenly; your doctor", ["stop", "take", "suddenly", "doctor"]),
        ("what happens if I suddenly stop taking it", ["happen", "suddenly", "stop", "take"]),
        ("stop abruptly", ["stop", "suddenly"]),
        # not with anything else, nor across a clause or a sentence
        ("stops sudden diarrhea", ["stop", "sudden", "diarrhea"]),
        ("stops diarrhea that started suddenly", ["stop", "diarrhea", "start", "sudden"]),
        ("Stop. Suddenly the pain", ["stop", "sudden", "pain"]),
        ("a sudden severe headache", ["sudden", "sever", "headach"]),
    ],
)
@pytest.mark.parametrize("mode", ["index", "query"])
def test_suddenly_with_stopping_is_a_word_of_its_own(
    mode: str, text: str, terms: list[str]
) -> None:
    """`stopping suddenly` listed loperamide first, which "stops sudden diarrhea": the two
    stems side by side. The advice not to stop a medicine at once is read as 갑자기 before 끊다
    is, on both sides."""
    assert texts(english_analyzer(), text, mode) == terms


def test_an_acronym_is_no_stop_word_in_either_language() -> None:
    """``WHO`` is the organisation and ``IT`` the trade; lower-case ``who`` and ``it`` still ask."""
    assert texts(english_analyzer(), "WHO guidelines for IT and the US army") == [
        "who", "guidelin", "it", "us", "armi"
    ]  # fmt: skip
    assert texts(english_analyzer(), "who guides it for us") == ["guid"]
    assert texts(korean_analyzer(), "WHO 권고", "query") == ["who", "권고"]


def test_in_korean_text_every_english_word_of_a_title_counts() -> None:
    """A Korean sentence quotes English for names and titles, where stop words are the title:
    ``'Rise Up'`` is not any song with ``rise`` in it. English text still drops them."""
    asked = texts(korean_analyzer(), "누가 'Rise Up'을 불렀나요?", "query")
    assert asked == ["rise", "up", "부르다"]
    assert texts(korean_analyzer(), "앤드라 데이의 노래 'Rise Up'은") == [
        "앤드라", "데이", "노래", "rise", "up"
    ]  # fmt: skip
    assert texts(english_analyzer(), "Who sang Rise Up?", "query") == ["sang", "rise"]


def test_english_stems_keep_words_apart_that_porter_merged(make_index) -> None:
    """Porter2: ``news`` is not ``new``, nor ``bias`` the stem ``bia``; plurals still fold."""
    assert texts(english_analyzer(), "news new bias biases dying die") == [
        "news", "new", "bias", "bias", "die", "die"
    ]  # fmt: skip
    index = make_index(
        {("a", "en"): ("Launch", "A new treatment."), ("b", "en"): ("Media", "News about it.")}
    )
    assert [hit.slug for hit in kb.search(index, "news", "en", mode="lexical").hits] == ["b"]


@pytest.mark.parametrize(
    ("query", "other", "same"),
    [
        ("organization", "organ", "organisations"),
        ("organic", "organs", "organically"),
        ("organism", "organ", "organisms"),
        ("important", "imports", "importance"),
        ("university", "universe", "universities"),
        ("experiment", "experience", "experimental"),
        ("animal", "animation", "animals"),
        ("authority", "authors", "authorities"),
        ("ulcerative", "ulcers", "ulcerative"),
        ("ulcer", "ulcerative", "ulcers"),
    ],
)
def test_english_stems_keep_apart_words_porter2_folds_together(
    query: str, other: str, same: str
) -> None:
    """Porter2 stems an organization, organic food and an organism all ``organ``, important
    ``import``, ulcerative ``ulcer``: `stomach ulcer` found "ulcerative colitis". Each family
    keeps a stem of its own, its inflections (and British spellings) with it."""
    analyzer = english_analyzer()
    assert texts(analyzer, query, "query") != texts(analyzer, other)
    assert texts(analyzer, query, "query") == texts(analyzer, same)


@pytest.mark.parametrize(
    ("form", "word"),
    [
        ("children", "child"),
        ("child's", "child"),
        ("teeth", "tooth"),
        ("women", "woman"),
        ("people", "person"),
        ("swollen", "swelling"),
        ("slept", "sleeping"),
        ("threw", "throwing"),
        ("taken", "takes"),
        ("bled", "bleeding"),
        ("diagnoses", "diagnosis"),
        ("diarrhoea", "diarrhea"),
        ("tumours", "tumor"),
        ("behavioural", "behavior"),
        ("hospitalised", "hospitalization"),
    ],
)
def test_a_form_porter_cannot_fold_is_its_word(form: str, word: str) -> None:
    """Porter2 strips suffixes only: ``children`` stayed apart from ``child``, ``swollen`` from
    ``swelling`` and ``diarrhoea`` from ``diarrhea``, in English text and in Latin words
    quoted in Korean alike."""
    english = texts(english_analyzer(), f"{form} {word}")
    assert len(english) == 2 and english[0] == english[1], english
    assert texts(korean_analyzer(), f"{form} 관련", "query")[0] == english[0]


@pytest.mark.parametrize("word", ["bit", "left", "found", "wound", "leaves", "shot"])
def test_a_form_that_is_also_a_word_of_its_own_stays_itself(word: str) -> None:
    """``a bit``, ``left side``, ``a wound``, ``a flu shot``: not ``bite``, ``leave``, ``wind``."""
    assert texts(english_analyzer(), word) == [porter2_stem(word)]


def test_korean_offsets_are_character_exact() -> None:
    value = "흔한 부작용으로는 졸음이 있습니다."
    spans = {t.text: value[t.start : t.end] for t in korean_analyzer().terms(value)}
    assert spans["부작용"] == "부작용"
    assert spans["졸음"] == "졸음"


def test_stop_words_leave_no_position_gap_so_phrases_survive_particles() -> None:
    tokens = [(t.text, t.pos) for t in korean_analyzer().terms("신경병증성 통증이")]
    assert tokens == [("신경병증", 0), ("통증", 1)]


def test_bigrams_stay_inside_hangul_runs_and_anchor_run_starts() -> None:
    assert texts(bigram_analyzer(), "반감기 A 감기") == ["^반감", "반감", "감기", "^감기", "감기"]


def test_analyzers_pickle_without_the_model() -> None:
    assert len(pickle.dumps(korean_analyzer())) < 200


def test_opening_an_index_does_not_load_kiwi(bundled_index_dir) -> None:
    """Opening and English search stay model-free: Kiwi loads only for Korean text."""
    code = (
        "import kb, kb.analysis.korean as k;"
        f"ix = kb.open_index({str(bundled_index_dir)!r});"
        "page = kb.search(ix, 'gabapentin', 'en');"
        "assert page.hits and not k.query_model().loaded and not k.batch_model().loaded, "
        "page.total"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_analysis_version_names_the_pinned_packages() -> None:
    version = analysis_version()
    assert "kiwipiepy-0.24.1" in version and "model-0.24.0" in version


def test_eojeol_stems_cut_particles_only() -> None:
    from kb.analysis.eojeol import eojeol_stems

    stems = [t.text for t in eojeol_stems("고마는 대상포진에서는 감기 나이")]
    # a one-syllable stem would be ambiguous (나이 is a word, not 나 + 이): kept whole
    assert stems == ["고마", "대상포진", "감기", "나이"]


def test_warming_up_a_server_leaves_builds_their_thread_pool(bundled_index) -> None:
    """Kiwi is an explicit object per use: the warm-up loads the query model (no pool, safe to
    fork) and never changes the one builds analyse batches with."""
    kb.warm_up(bundled_index)
    assert query_model().loaded and query_model().threads == 0
    assert batch_model().threads == (os.cpu_count() or 1)
    sentences = ["가바펜틴의 부작용은 졸음입니다.", "신경병증성 통증에 쓰입니다.", "English only"]
    batch = batch_model().analyse(sentences)
    assert list(batch) == sentences[:2]  # only text that needs Kiwi
    one_by_one = KoreanModel(threads=0).analyse(sentences)
    assert {t: [(k.form, k.tag) for k in batch[t]] for t in batch} == {
        t: [(k.form, k.tag) for k in one_by_one[t]] for t in one_by_one
    }


def test_the_user_dictionary_gives_each_word_its_tag_and_score(tmp_path) -> None:
    """A word Kiwi still reads otherwise needs a score (`고혈압` lost its 고 after a comma); a
    score that is no number names its line instead of failing inside Kiwi."""
    path = tmp_path / "userdict.txt"
    path.write_text("# comment\n대상포진\n고혈압\tNNG\t10\n정제\tNNG\n", encoding="utf-8")
    assert read_user_dict(path) == [
        ("대상포진", "NNP", 0.0),
        ("고혈압", "NNG", 10.0),
        ("정제", "NNG", 0.0),
    ]
    path.write_text("설사\tNNG\n고혈압\tNNG\thigh\n", encoding="utf-8")
    with pytest.raises(ValueError, match=rf"{path}:2: the score 'high' is no number"):
        read_user_dict(path)
    assert texts(korean_analyzer(), "심장 질환, 고혈압, 신장") == ["심장", "질환", "고혈압", "신장"]


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("신장 안 좋을 때 진통제", ["신장", "진통제"]),
        ("간이 좋지 않은 사람", ["간", "사람"]),
        ("위가 안 좋을 때 먹는 진통제", ["위", "먹다", "진통제"]),
        # said of the reader, the clause ending there (`신장이 안 좋아요` found atorvastatin's
        # "좋은 콜레스테롤" second)
        ("신장이 안 좋아요", ["신장"]),
        ("간이 좋지 않아요", ["간"]),
        ("콩팥이 안 좋아서 진통제", ["콩팥", "진통제"]),
        # a need, not an organ's state: the glossary reads it
        ("기분이 안 좋을 때", ["기분", "좋다"]),
        ("속이 안 좋아요", ["속", "좋다"]),
    ],
)
def test_an_organ_said_to_be_weak_is_searched_as_the_organ(query: str, terms: list[str]) -> None:
    """`신장 안 좋을 때 진통제` searched 좋 too, and found geworin's "좋아지지 않거나" first: an
    organ "not good" is the organ's state, which precautions name by the organ."""
    assert [t.text for t in korean_analyzer().terms(query, query=True)] == terms


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        # "together" before taking is what interactions are said with, typed either way
        ("같이 먹으면 안 되는 약", ["함께", "먹다", "약"]),
        ("와파린과 함께 복용하면", ["와파린", "함께", "복용"]),
        ("타이레놀이랑 이부프로펜 같이 먹어도 돼요", ["타이레놀", "이부프로펜", "함께", "먹다"]),
        # not before anything else, and the 안 of 안 되는 (must not) negates no medicine
        ("같이 가요", ["가다"]),
        ("먹으면 안 되는 약", ["먹다", "약"]),
        ("잠이 안 와요", ["잠", "¬오다"]),
        # with the verb's object between
        ("같이 약을 먹으면", ["함께", "약", "먹다"]),
        # "suddenly" before stopping: what the advice not to stop a medicine at once says
        ("갑자기 끊으면", ["갑자기", "끊다"]),
        ("임의로 갑자기 끊지 마세요", ["임의", "갑자기", "끊다"]),
        ("갑자기 약을 중단하면", ["갑자기", "약", "중단"]),
        ("갑자기 약 끊으면", ["갑자기", "약", "끊다"]),
        ("갑자기 시작된 설사", ["시작", "설사"]),  # not before anything else
        # "gradually" before lowering or stopping: how to come off a medicine
        ("의사의 지시에 따라 서서히 줄여야 합니다", ["의사", "지시", "서서히", "줄이다"]),
        ("천천히 끊으세요", ["서서히", "끊다"]),
        ("서서히 약을 줄이면", ["서서히", "약", "줄이다"]),
        ("서서히 좋아집니다", ["좋다"]),  # not before anything else
    ],
)
def test_together_before_taking_is_read_and_must_not_negates_no_medicine(
    text: str, terms: list[str]
) -> None:
    """`같이 먹으면 안 되는 약` (medicines not to take together) listed bisacodyl first, by 먹
    alone: 같이 was never read, and 안 되는 marked 약 negated, so no line for interactions could
    match it. The index reads the text alike (함께 먹는 약, the interactions label). 갑자기
    before stopping likewise (`갑자기 끊으면` listed loperamide's "끊거나 바꾸기 전에는" first)."""
    analyzer = korean_analyzer()
    assert [t.text for t in analyzer.polar_terms(text)] == terms
    assert [t.text for t in analyzer.terms(text)] == [t.lstrip("¬") for t in terms]


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("처방 없이 살 수 있는 수면제", ["¬처방", "살다", "수면제"]),
        ("처방전 없이 사는 약", ["¬처방전", "사다", "약"]),
        ("아무 이유 없이", ["¬이유"]),
        ("없이", []),  # alone, it negates nothing
    ],
)
def test_without_after_a_noun_negates_it_for_the_glossary(text: str, terms: list[str]) -> None:
    """`처방 없이` (without a prescription) read as 처방 alone, so the glossary's line for what is
    sold over the counter could not tell it from zolpidem's "의사의 처방이 있어야" (only on a
    doctor's prescription). The index still holds the noun, as it holds a negated verb."""
    analyzer = korean_analyzer()
    assert [t.text for t in analyzer.polar_terms(text)] == terms
    assert [t.text for t in analyzer.terms(text)] == [t.lstrip("¬") for t in terms]
