"""Korean morphological analysis with Kiwi, in the spirit of Lucene's Nori.

Particles and endings are dropped; verbs and adjectives are indexed by lemma
(``완화하는`` → ``완화``, ``부었다`` → ``붓``); Latin runs go through the English rules.
Kiwi is an explicit :class:`KoreanModel` with its thread count: builds analyse batches with
:func:`batch_model`, queries with :func:`query_model`; tokenizers never hold one (a pickled
schema must stay a few bytes).
"""

from __future__ import annotations

import itertools
import os
import re
import threading
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from kb.analysis.base import Kind, Piece, PieceTokenizer, Term
from kb.analysis.english import english_pieces
from kb.analysis.eojeol import eojeol_stem
from kb.analysis.hangul import HANGUL_RUN, SYLLABLES

if TYPE_CHECKING:
    from kiwipiepy import Kiwi

USER_DICT = Path(__file__).with_name("userdict.txt")

# Tags whose morphemes are search terms; everything else (particles J*, endings E*, suffixes X*,
# copulas, auxiliaries, punctuation, dependent nouns and pronouns) is a stop tag, as in Nori.
TERM_TAGS = frozenset({"NNG", "NNP", "NR", "XR", "VV", "VA", "SH"})
VERB_TAGS = frozenset({"VV", "VA"})
# A verb's or adjective's term is its dictionary form (열다, 낮다, 먹다), not Kiwi's bare stem:
# stems of one syllable spell nouns readers search (열 fever, 낮 daytime, 팔 arm, 주 week, 알
# a pill), and `캡슐을 열어도 되나요` listed the fever reducers first. Tables of Kiwi's tokens
# (STOP_LEMMAS, HARM_PREDICATES) hold stems; tables of terms hold dictionary forms.
DICTIONARY_ENDING = "다"
NAMING_TAGS = frozenset({"NNG", "NNP", "NR", "XR", "SH", "SL", "SN"})
INFLECTED_TAGS = VERB_TAGS | {"VX", "VCP", "VCN", "XSV", "XSA", "EP", "EF", "EC", "ETN", "ETM"}
# Tags handed to the English rules as one run when adjacent ("medicine." comes back in two parts).
LATIN_TAGS = frozenset({"SL", "SN", "W_URL", "W_EMAIL", "W_HASHTAG", "W_MENTION", "W_SERIAL"})
# Light verbs that carry no meaning of their own once the noun before them is indexed, and verbs
# grammaticalised into postpositions (에 대한, 에 따르면, 을 위한, 에 관한, 을 통해, 에 의한).
STOP_LEMMAS = frozenset({"하", "되", "있", "않", "대하", "따르", "위하", "관하", "통하", "의하"})
# Lemmas that only grade a need, ask about it, say it comes at night or that a medicine stops it
# (`변비가 심해요`, `같이 먹어도 괜찮나요`, `밤에 속쓰림`, `구토 멈추는 약`): indexed, but in a
# query they weigh nothing beside the words that name the need, as English degree words do
# (`severe`); an article that only says 심한, 많은 or 밤 is no match for them alone (`땀이 많아요`
# listed levothyroxine's "용량이 지나치게 많다는" first, as `much` frames in English). Not the
# morning or the evening: `아침에 먹는 약` asks for the medicines taken then; nor 먹다, which says
# how (`와파린 먹는데 타이레놀 괜찮나요` asks of warfarin's own article too). 들다 and 나다 are the
# light verbs of a need's noun (멍이 들다, 잠이 들다, 구역질이 나다, 코피가 나다); alone 들다 is
# "contains" (들어 있다) or "costs", and most articles say 나다; 나오다 that of what comes out
# (방귀, 트림, 땀이 나와요), and every article says what a medicine comes as (정제로 나와 있습니다:
# `트림이 자주 나와요` listed zolpidem's first); 보다 is that of 소변을 보다 and 변을 보다 (`소변
# 자주 봐요`: loperamide's "묽은 변을 본 뒤" came first). 걸리다 is how one catches an illness
# (`감기 걸렸을 때 먹는 약`: sertraline's "몇 주가 걸립니다" came first). 종류 asks what kinds there
# are (`우울증 약물의 종류`): amoxicillin's "types of antibiotics" is no answer. 추천 asks for the
# best of what is found (`두통약 추천`), as `best` does. 가다 is going where the need sends one
# (`응급실 가야 하는 증상`: loperamide's "오래가는" came third). 함께 (with taking) asks how the
# medicine goes with what the query names (`커피랑 같이 먹어도 돼요`); alone (`같이 먹으면 안 되는
# 약`) it asks for interactions, as any word would.
FRAMING_LEMMAS = frozenset(
    {"심하다", "많다", "괜찮다", "밤", "새벽", "들다", "나다", "나오다", "걸리다", "멈추다"}
    | {"종류", "추천", "가다", "함께", "보다"}
)
# Suffixes that make a noun a medicine for it (해열제, 소염제), as 약 does (두통약).
MEDICINE_SUFFIXES = frozenset({"제"})
# Nouns that, after an adnominal ending, say when or in which case (먹을 때, 복용한 경우, 먹은 후).
CIRCUMSTANCE_NOUNS = frozenset(
    {"때", "경우", "동안", "후", "뒤", "다음", "이후", "이전", "사이", "도중"}
)
# Who is in a state a clause says (간이 안 좋은 사람, 신장이 안 좋은 환자), and the organs whose
# state it says: precautions speak of them (`기분이 안 좋을 때` and `속이 안 좋아요` are needs).
STATE_HOLDERS = frozenset({"사람", "분", "환자"})
ORGANS = frozenset({"신장", "콩팥", "간", "위", "심장", "폐", "장"})
# Endings that close a clause saying an organ's state of the reader (신장이 안 좋아요, 간이 안
# 좋아서): the sentence ends, or joins the next clause.
STATE_ENDINGS = frozenset({"EF", "EC"})
# Adverbs that with 하다 say what a verb says (깜빡했어요, I forgot: 잊다), and those that say how
# much was taken (많이 먹었어요): searched, never indexed (see Kind.READ_ADVERB). The lemmas for
# taking a medicine: before a medicine word (`먹는 약`, `복용하는 약`) they only say "medicine"
# as it does (kb.ranking).
ADVERB_VERBS = {"깜빡": "잊다", "깜박": "잊다", "삐끗": "삐다"}
AMOUNT_ADVERBS = frozenset({"많이"})
TAKING_LEMMAS = frozenset({"먹다", "복용"})
# "Together" before taking (함께 먹으면, 같이 복용해도): what interactions are said with, indexed
# and searched as one word (other adverbs of a sentence are not).
TOGETHER_ADVERBS = frozenset({"함께", "같이"})
TOGETHER = "함께"
# "Suddenly" before stopping (갑자기 끊으면, 갑자기 중단하면): what the advice not to stop a
# medicine at once says, so indexed and searched as a word too (`갑자기 끊으면` found
# loperamide's "끊거나 바꾸기 전에는" first, every article's 끊 alike).
SUDDEN_ADVERBS = frozenset({"갑자기"})
STOPPING_LEMMAS = frozenset({"끊다", "중단"})
# ... and "gradually" before lowering or stopping (서서히 줄여야, 천천히 끊으세요): how to come
# off a medicine, which readers ask (`서서히 줄이는 방법` listed omeprazole's "위산의 양을
# 줄입니다" second, every 줄이다 alike).
GRADUAL_ADVERBS = frozenset({"서서히", "천천히"})
GRADUALLY = "서서히"
LOWERING_LEMMAS = frozenset({"줄이다", *STOPPING_LEMMAS})
# Each such adverb: the verbs it is read before, and the word it is read as.
ADVERBS_READ_BEFORE = {
    **{adverb: (TAKING_LEMMAS, TOGETHER) for adverb in TOGETHER_ADVERBS},
    **{adverb: (STOPPING_LEMMAS, adverb) for adverb in SUDDEN_ADVERBS},
    **{adverb: (LOWERING_LEMMAS, GRADUALLY) for adverb in GRADUAL_ADVERBS},
}
# Dependent nouns after which 같다 hedges the clause before them (토할 것 같아요, 아픈 거 같아).
HEDGED_NOUNS = frozenset({"것", "거"})
# Words that ask for a kind of answer (X의 정의, X 뜻, X하는 방법, X인 이유, 비용은 얼마, 몇 번,
# 날씨는 어떤가요, X와 Y의 차이, 비교): not what the question is about, as 무엇 and 어디 (no terms
# at all) are not.
REQUEST_WORDS = frozenset(
    {"정의", "의미", "뜻", "방법", "이유", "얼마", "몇", "어떻", "어떠하", "차이", "비교"}
)
# Particles (as written) that Kiwi may read as a word when glued to a Latin word or a symbol.
PARTICLES = frozenset("은는이가을를의에와과로도만")
# What such a particle follows: Latin letters and symbols, not numbers (37도, 3회: units).
GLUE_TAGS = frozenset({"SL", "SW", "SO", "SF", "SS", "SE"})
# Units spelled in Hangul, as the symbol articles write where there is one (500밀리그램 is 500mg)
# and else as spelled: a term of their own, glued after a number, as Latin units are. Kiwi tags
# them dependent nouns or nouns, and may split one (밀리 + 리터).
KOREAN_UNITS = {
    "밀리그램": "mg", "마이크로그램": "mcg", "킬로그램": "kg", "그램": "g", "밀리리터": "ml",
    "리터": "l", "데시리터": "dl", "밀리미터": "mm", "센티미터": "cm", "킬로칼로리": "kcal",
    **{unit: unit for unit in (
        "미터", "킬로미터", "마일", "피트", "인치", "야드", "파운드", "온스", "갤런", "퍼센트",
        "달러", "유로", "칼로리", "와트", "킬로와트", "헤르츠", "바이트", "킬로바이트",
        "메가바이트", "기가바이트", "테라바이트", "에이커", "헥타르", "마력", "광년", "밀리바르",
        "큰술", "작은술",
    )},
}  # fmt: skip
UNIT_TAGS = frozenset({"NNB", "NNG", "NNP"})
LONGEST_UNIT = max(map(len, KOREAN_UNITS))
UNIT_INITIALS = frozenset(unit[0] for unit in KOREAN_UNITS)  # most nouns are ruled out at once
# Native numerals before a counter are numbers (세 번 is 3번, 열두 명 12명, 첫 번째 1번째): Kiwi
# tags the ones determiners (MM) and the tens numerals (NR) or determiners.
NATIVE_ONES = {
    "한": 1, "첫": 1, "두": 2, "세": 3, "석": 3, "서": 3, "네": 4, "넉": 4, "너": 4,
    "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9,
}  # fmt: skip
NATIVE_TENS = {
    "열": 10, "스무": 20, "스물": 20, "서른": 30, "마흔": 40, "쉰": 50, "예순": 60, "일흔": 70,
    "여든": 80, "아흔": 90,
}  # fmt: skip
NUMERAL_TAGS = frozenset({"MM", "NR"})
# Counters said two ways: 1999년도 is 1999년, 몇 년도 asks for a 년; 하루 3회 is 하루 세 번.
COUNTER_SPELLINGS = {"년도": "년", "회": "번"}
ORDINAL_SUFFIX = "째"  # 번 + 째: 두 번째 (second) is not 두 번 (twice)
# Ordinals said without a counter are the ordinal with one (첫 골 and 첫째 are 1번째 골, 1번째).
ORDINAL_WORDS = {
    "첫": 1, "첫째": 1, "둘째": 2, "셋째": 3, "세째": 3, "넷째": 4, "다섯째": 5, "여섯째": 6,
    "일곱째": 7, "여덟째": 8, "아홉째": 9,
}  # fmt: skip
ORDINAL = "번" + ORDINAL_SUFFIX
# Negation: 안 / 못 before the verb they negate or after its 지 (자지 못해요), and 않 (오지 않아요).
NEGATION_ADVERBS = frozenset({"안", "못"})
# 없이 (without) after a noun negates it: `처방 없이` is no prescription, as 안 before a verb is.
WITHOUT = "없이"
# Adverbs of degree, which say no more than the words they go with (소변이 잘 안 나옴).
DEGREE_ADVERBS = frozenset({"잘", "좀", "너무", "아주", "매우", "정말", "진짜"})
NEGATING_ADVERB_TOKENS = frozenset((adverb, "MAG") for adverb in NEGATION_ADVERBS)
# Prefixes that negate the noun after them (非 無 不 未 沒): 비급여 is not 급여, nor 무증상 증상, so
# prefix and noun make one term. Other prefixes (고용량, 대도시) make a word of their own that is
# still a kind of the noun: a Kind.PREFIX piece.
NEGATING_PREFIXES = frozenset({"비", "무", "불", "부", "미", "몰"})
PREFIXABLE_TAGS = frozenset({"NNG", "NNP", "XR"})
# The tags a piece can come from (the branches of ``_pieces_of``); every other token is skipped.
PIECE_TAGS = TERM_TAGS | LATIN_TAGS | UNIT_TAGS | NUMERAL_TAGS | {"NNB", "MAG", "VX"}
NEEDS_KIWI = re.compile(f"[\u1100-\u11ff\u3130-\u318f{SYLLABLES}\u4e00-\u9fff]")

Analysis = dict[str, list[Any]]  # Kiwi's tokens of each text
_pretokenized: dict[str, list[Any]] = {}
_pieces: dict[str, list[Piece]] = {}  # pieces of pretokenized texts, made on first use


class Analyser(Protocol):
    """What a build needs of a model: batches of texts analysed (:class:`KoreanModel`, or a
    child process's: kb.analysis.ahead)."""

    def analyse(self, texts: Iterable[str]) -> Analysis: ...


class KoreanModel:
    """One Kiwi model (≈1 s, ≈230 MB to load, on first use) and the threads it analyses a
    batch with: 0 analyses one text at a time, which is what queries need and the only kind
    that survives a fork (pool threads don't, and a batch call would wait for them forever)."""

    def __init__(self, threads: int = 0):
        self.threads = threads
        self._kiwi: Kiwi | None = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._kiwi is not None

    @property
    def kiwi(self) -> Kiwi:
        if self._kiwi is None:
            with self._lock:
                if self._kiwi is None:
                    self._kiwi = _load_kiwi(self.threads)
        return self._kiwi

    def analyse(self, texts: Iterable[str]) -> Analysis:
        """Kiwi's tokens of each distinct text that needs Kiwi; with threads, in one batch
        that releases the GIL, so a thread can run this beside Python work."""
        batch = kiwi_batch(texts)
        if not self.threads:
            return {text: self.kiwi.tokenize(text) for text in batch}
        return dict(zip(batch, self.kiwi.tokenize(batch), strict=True)) if batch else {}


def kiwi_batch(texts: Iterable[str]) -> list[str]:
    """The distinct texts of ``texts`` that Kiwi must analyse (they have Hangul or Hanja)."""
    return [t for t in dict.fromkeys(texts) if t and NEEDS_KIWI.search(t)]


def _load_kiwi(threads: int) -> Kiwi:
    from kiwipiepy import Kiwi

    with warnings.catch_warnings():  # 0 means "no pool" since 0.21; it says so
        warnings.simplefilter("ignore", DeprecationWarning)
        instance = Kiwi(
            num_workers=threads,
            load_default_dict=False,  # 113,000 wiki titles: half of Kiwi's load time, 67 MiB
            load_multi_dict=False,
            load_typo_dict=False,
        )
    for word, tag, score in read_user_dict():
        instance.add_user_word(word, tag, score)
    instance.tokenize("가바펜틴은 약입니다")  # Kiwi finishes loading on its first text (~0.4 s)
    return instance


_query_model = KoreanModel(threads=0)
_batch_model: KoreanModel | None = None


def query_model() -> KoreanModel:
    """The process's model for queries and single texts: no thread pool, so a server may load
    it before forking its workers."""
    return _query_model


def batch_model() -> KoreanModel:
    """The process's model for builds, a thread per core; loaded by the first build, never by
    a server's warm-up, and forgotten in a forked child (its pool stays with the parent)."""
    global _batch_model
    if _batch_model is None:
        _batch_model = KoreanModel(threads=os.cpu_count() or 1)
    return _batch_model


_inherited: list[KoreanModel] = []


def _forget_batch_model() -> None:
    """In a forked child: leave the parent's threaded model alone (freeing it would join pool
    threads the child doesn't have, and hang) and load a fresh one if a build asks."""
    global _batch_model
    if _batch_model is not None:
        _inherited.append(_batch_model)
    _batch_model = None


os.register_at_fork(after_in_child=_forget_batch_model)


def read_user_dict(path: Path = USER_DICT) -> list[tuple[str, str, float]]:
    """Domain words (drug names, lexicalized compounds such as 대상포진) Kiwi must keep whole:
    (word, tag, score), the score how strongly Kiwi prefers the word to other readings."""
    return [entry for entry, _ in _user_dict_entries(path)]


LEXICALIZED_HEADER = "# Lexicalized compounds"


@lru_cache(maxsize=1)
def lexicalized_heads(path: Path = USER_DICT) -> frozenset[str]:
    """The first two syllables of each compound of three or more the user dictionary lists
    under :data:`LEXICALIZED_HEADER` (up to the next blank line): a query word that begins one
    is no part of it (`커피` of 커피찌꺼기, `대상` of 대상포진)."""
    return frozenset(
        word[:2] for (word, _, _), lexicalized in _user_dict_entries(path)
        if lexicalized and len(word) > 2
    )  # fmt: skip


def _user_dict_entries(path: Path) -> Iterator[tuple[tuple[str, str, float], bool]]:
    """Each entry of the user dictionary, and whether it stands in the lexicalized block (from
    :data:`LEXICALIZED_HEADER` to the next blank line): the one reader of the file's format."""
    lexicalized = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(LEXICALIZED_HEADER):
            lexicalized = True
        elif not line.strip():
            lexicalized = False
        line = line.split("#", 1)[0].strip()
        if line:
            word, tag, score = [*line.split("\t"), "", ""][:3]
            try:
                yield (word.strip(), tag.strip() or "NNP", float(score or 0)), lexicalized
            except ValueError:
                raise ValueError(f"{path}:{number}: the score {score!r} is no number") from None


@contextmanager
def pretokenized(texts: Iterable[str] | Analysis) -> Iterator[None]:
    """Tokenizer calls inside the block reuse the batch analysis of ``texts`` (made here with
    the batch model, or given as :meth:`KoreanModel.analyse` made it)."""
    tokens = texts if isinstance(texts, dict) else batch_model().analyse(texts)
    _pretokenized.update(tokens)
    try:
        yield
    finally:
        for text in tokens:
            _pretokenized.pop(text, None)
            _pieces.pop(text, None)


def korean_pieces(text: str) -> list[Piece]:
    """Kiwi morphemes of ``text`` as pieces; text without Hangul or Hanja never loads Kiwi.

    Inside :func:`pretokenized` the pieces are kept (the field and the spelling vocabulary
    both need them); callers must not modify the list.
    """
    if not NEEDS_KIWI.search(text):
        return english_pieces(text)
    tokens = _pretokenized.get(text)
    if tokens is None:
        return _pieces_of(text, _best_reading(text)[0])
    pieces = _pieces.get(text)
    if pieces is None:
        pieces = _pieces[text] = _pieces_of(text, tokens)
    return pieces


NOT_CONTENT = frozenset(
    {Kind.CIRCUMSTANCE, Kind.HEDGE, Kind.MISREAD_PARTICLE, Kind.NOT_NEXT, Kind.NOT_PREVIOUS,
     Kind.PREFIX}
)  # fmt: skip


def unread_adverbs(text: str) -> list[str]:
    """The adverbs of ``text`` that neither the index nor a query reads, but those of degree
    and negation (of a light verb: 소화가 안 됨): a glossary term with one stands for its other
    words alone (`피가 오래 남` for any 피가 남, bleeding)."""
    tokens = _best_reading(text)[0]
    read = [(piece.start, piece.end) for piece in _pieces_of(text, tokens)]
    return [
        token.form
        for token in tokens
        if token.tag == "MAG"
        and token.form not in DEGREE_ADVERBS | NEGATION_ADVERBS
        and not any(start <= token.start < end for start, end in read)
    ]


def content_words(text: str) -> str:
    """The words of ``text`` that carry its content, as written: what :func:`korean_pieces`
    indexes, without particles, endings, stop words, negation or a clause's "when"
    (``두통에 좋은 약은`` → ``두통 좋 약``; ``아플 때`` → ``아플``)."""
    pieces = korean_pieces(text)
    return " ".join(text[p.start : p.end] for p in pieces if p.kind not in NOT_CONTENT)


def _pieces_of(text: str, tokens: list[Any]) -> list[Piece]:
    pieces: list[Piece] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        tag = token.tag.split("-", 1)[0]
        i += 1
        if tag not in PIECE_TAGS:
            continue  # particles, endings, punctuation: most tokens, and never a piece
        start, end = token.start, token.start + token.len
        if tag in LATIN_TAGS:
            while i < len(tokens) and tokens[i].tag in LATIN_TAGS and tokens[i].start == end:
                end = tokens[i].start + tokens[i].len
                i += 1
            pieces.extend(english_pieces(text, start, end, keep_stop_words=True))
        elif tag in UNIT_TAGS and (unit := _korean_unit(text, tokens, i - 1)) is not None:
            symbol, end, i = unit
            pieces.append(Piece(symbol, start, end, Kind.UNIT))
        elif tag == "NNB":
            numeral = _native_numeral(text, tokens, i - 1)
            kind = Kind.COUNTER if numeral else _counter_kind(tokens, i - 1)
            counter = COUNTER_SPELLINGS.get(token.form, token.form)
            if i < len(tokens) and tokens[i].start == end and tokens[i].form == ORDINAL_SUFFIX:
                counter, end, i = counter + ORDINAL_SUFFIX, tokens[i].start + tokens[i].len, i + 1
            if numeral:
                while pieces and pieces[-1].start >= numeral.start:
                    pieces.pop()  # a tens numeral Kiwi tags NR was a term (서른 살)
                pieces.append(numeral)
            pieces.append(Piece(counter, start, end, kind))
        elif (
            tag in NUMERAL_TAGS
            and token.form in ORDINAL_WORDS
            and (i == len(tokens) or tokens[i].tag != "NNB")
        ):
            number = Piece(str(ORDINAL_WORDS[token.form]), start, end, Kind.NUMBER)
            pieces += [number, Piece(ORDINAL, end, end, Kind.COUNTER)]  # glued as 1번째 is
        elif (
            tag == "NNG"
            and token.form in CIRCUMSTANCE_NOUNS
            and i > 1
            and tokens[i - 2].tag == "ETM"  # after a clause
        ):
            pieces.append(Piece(token.form, start, end, Kind.CIRCUMSTANCE))
        elif tag == "VA" and token.form == "같" and _after_clause_noun(tokens, i - 1):
            pieces.append(Piece(term_of(token), start, end, Kind.HEDGE))
        elif tag in TERM_TAGS and _misread_particle(text, tokens, i - 1):
            pieces.append(Piece(term_of(token), start, end, Kind.MISREAD_PARTICLE))
        elif tag in TERM_TAGS and (token.form in REQUEST_WORDS or _good_for(tokens, i - 1)):
            pieces.append(Piece(term_of(token), start, end, Kind.REQUEST))
        elif tag == "MAG" and (read := _read_before_its_verb(tokens, i - 1)) is not None:
            pieces.append(Piece(read, start, end, Kind.TERM))
        elif tag == "MAG" and (verb := _adverb_read_as(tokens, i - 1)) is not None:
            pieces.append(Piece(verb, start, end, Kind.READ_ADVERB))
        elif tag == "MAG" and token.form == WITHOUT and i >= 2 and tokens[i - 2].tag in TERM_TAGS:
            pieces.append(Piece(token.form, start, end, Kind.NOT_PREVIOUS))
        elif (tag == "MAG" and token.form in NEGATION_ADVERBS) or (tag, token.form) == ("VX", "않"):
            if _negates_good_for(tokens, i - 1) or _negates_light_verb(tokens, i - 1):
                continue
            after_ji = i >= 2 and (tokens[i - 2].form, tokens[i - 2].tag) == ("지", "EC")
            kind = Kind.NOT_PREVIOUS if tag == "VX" or after_ji else Kind.NOT_NEXT
            pieces.append(Piece(token.form, start, end, kind))
        elif tag in TERM_TAGS and token.form not in STOP_LEMMAS:
            form = term_of(token)
            if (prefix := _negating_prefix(tokens, i - 1)) is not None:
                form, start = prefix.form + form, prefix.start
            elif (prefix := _other_prefix(tokens, i - 1)) is not None:
                pieces.append(Piece(prefix.form, prefix.start, start, Kind.PREFIX))
            pieces.append(Piece(form, start, end, Kind.TERM))
    return pieces


def term_of(token: Any) -> str:
    """The term of a Kiwi token: a verb's or adjective's dictionary form, any other word as it
    is (lower-cased: Latin letters Kiwi tags SH or NNP)."""
    form = token.form.lower()
    return form + DICTIONARY_ENDING if token.tag.split("-", 1)[0] in VERB_TAGS else form


def verb_stem(lemma: str) -> str:
    """The stem of a verb's term (열다: 열), as written before its endings."""
    return lemma.removesuffix(DICTIONARY_ENDING)


def prefix_negates(word: str, other: str) -> bool:
    """Whether one word is the other behind a negating prefix (비급여, 급여): opposites."""
    longer, shorter = (word, other) if len(word) > len(other) else (other, word)
    return longer[0] in NEGATING_PREFIXES and longer[1:] == shorter


def _negating_prefix(tokens: list[Any], i: int) -> Any | None:
    """The prefix token that negates noun ``i`` (비 of 비급여), or None."""
    if i < 1 or tokens[i].tag not in PREFIXABLE_TAGS:
        return None
    before = tokens[i - 1]
    return before if before.tag == "XPN" and before.form in NEGATING_PREFIXES else None


def prefixed_noun(word: str) -> str | None:
    """The noun of ``word`` when Kiwi reads it as a :data:`Kind.PREFIX` glued to a noun (용량
    of 고용량): weaker evidence for the word, as every 고용량 is a 용량."""
    if len(word) < 2 or not HANGUL_RUN.fullmatch(word):
        return None  # and Kiwi is not loaded for a query in English
    tokens = _best_reading(word)[0]
    whole = (
        len(tokens) == 2 and tokens[0].start == 0 and tokens[1].start + tokens[1].len == len(word)
    )
    return tokens[1].form if whole and _other_prefix(tokens, 1) is not None else None


def _other_prefix(tokens: list[Any], i: int) -> Any | None:
    """The prefix token glued before noun ``i`` that does not negate it (고 of 고용량), or None."""
    if i < 1 or tokens[i].tag not in PREFIXABLE_TAGS:
        return None
    before = tokens[i - 1]
    glued = before.tag == "XPN" and before.start + before.len == tokens[i].start
    return before if glued and before.form not in NEGATING_PREFIXES else None


def _adverb_read_as(tokens: list[Any], i: int) -> str | None:
    """What adverb ``i`` is searched as (see :attr:`Kind.READ_ADVERB`), or None: the -거리다
    verb a reduplicated two-syllable adverb makes (지끈지끈: 지끈거리다), the verb an adverb
    with 하다 stands for (깜빡했어요: 잊다), or 많이 itself before a word for taking (not after
    얼마나: `얼마나 많이 먹어도` asks an amount)."""
    adverb = tokens[i].form
    if len(adverb) == 4 and adverb[:2] == adverb[2:] and HANGUL_RUN.fullmatch(adverb):
        return adverb[:2] + "거리" + DICTIONARY_ENDING
    after = tokens[i + 1] if i + 1 < len(tokens) else None
    if after is None:
        return None
    if adverb in ADVERB_VERBS and (after.form, after.tag) == ("하", "XSV"):
        return ADVERB_VERBS[adverb]
    how_much = i > 0 and tokens[i - 1].form == "얼마나"
    taken = adverb in AMOUNT_ADVERBS and term_of(after) in TAKING_LEMMAS
    return adverb if taken and not how_much else None


def _read_before_its_verb(tokens: list[Any], i: int) -> str | None:
    """What adverb ``i`` is read as (:data:`ADVERBS_READ_BEFORE`) where its verb follows (먹다
    of 같이 먹으면), right after it or after the verb's object (갑자기 약을 끊으면); else None."""
    if tokens[i].form not in ADVERBS_READ_BEFORE:
        return None
    lemmas, read = ADVERBS_READ_BEFORE[tokens[i].form]
    after = i + 1
    if after >= len(tokens):
        return None
    if term_of(tokens[after]) not in lemmas and tokens[after].tag.startswith("NN"):  # 약, 약을
        after += 2 if after + 1 < len(tokens) and tokens[after + 1].tag in {"JKO", "JX"} else 1
    return read if after < len(tokens) and term_of(tokens[after]) in lemmas else None


def _good_for(tokens: list[Any], i: int) -> bool:
    """Whether token ``i`` is the 좋다 of "good for" (두통에 좋은 약, 간에 좋은 음식) or of "bad
    for" (간에 안 좋은 약, 간에 좋지 않은), which asks for what helps or harms the noun before it,
    as 방법 asks for a way; or, negated, says the state of an organ (신장 안 좋을 때, 간이 좋지
    않은 사람, 신장이 안 좋아요: weak kidneys, a bad liver), which the organ's name says: 좋
    found "좋아지지 않으면" in every article's advice, and "좋은 콜레스테롤"."""
    if tokens[i].form != "좋" or i < 1:
        return False
    before = i - 1
    negated = (tokens[before].form, tokens[before].tag) in NEGATING_ADVERB_TOKENS
    if negated:
        before -= 1
    if before >= 0 and (tokens[before].form, tokens[before].tag) == ("에", "JKB"):
        return True
    if before >= 0 and tokens[before].tag == "JKS":
        before -= 1  # 간이 좋지 않은
    after = i + 1
    if [t.form for t in tokens[after : after + 2]] == ["지", "않"]:
        negated, after = True, after + 2
    if not (negated and before >= 0 and tokens[before].form in ORGANS and after < len(tokens)):
        return False
    if tokens[after].tag in STATE_ENDINGS:
        return True  # said of the reader: 신장이 안 좋아요, 간이 안 좋아서 진통제
    return (
        after + 1 < len(tokens)
        and tokens[after].tag == "ETM"
        and tokens[after + 1].form in CIRCUMSTANCE_NOUNS | STATE_HOLDERS
    )


def _negates_light_verb(tokens: list[Any], i: int) -> bool:
    """Whether the negation adverb ``i`` negates a light verb no search reads (the 안 of 먹으면
    안 되는 약, must not): the word after it (약) is not what is negated."""
    after = tokens[i + 1] if i + 1 < len(tokens) else None
    return (
        tokens[i].tag == "MAG"
        and after is not None
        and after.tag in ("VV", "VA")
        and after.form in STOP_LEMMAS
    )


def _negates_good_for(tokens: list[Any], i: int) -> bool:
    """Whether the negation token ``i`` negates a good-for 좋다 (the 안 of 간에 안 좋은, the 않
    of 간에 좋지 않은): it turns the request around, and marks no word of the query."""
    if tokens[i].tag == "MAG":
        return i + 1 < len(tokens) and _good_for(tokens, i + 1)
    return i >= 2 and tokens[i - 1].form == "지" and _good_for(tokens, i - 2)


def unnamed_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` names nothing: an auxiliary verb (the 싶 of 토하고 싶어요, the 버리 of 먹어
    버렸어요; not the 않 of negation), a hedge (the 것 and the 같 of 토할 것 같아요) or a noun
    that says when (the 때 of 잠이 안 올 때). This side searches for none of them, nor should
    the other language's (a short query's tokens take Kiwi ~0.04 ms)."""
    if not NEEDS_KIWI.search(text):
        return []
    tokens = _query_model.kiwi.tokenize(text)
    spans = [(t.start, t.start + t.len) for t in tokens if t.tag == "VX" and t.form != "않"]
    pieces = _pieces_of(text, tokens)
    for before, piece in zip([None, *pieces], pieces, strict=False):
        if piece.kind in (Kind.HEDGE, Kind.CIRCUMSTANCE):
            spans.append((piece.start, piece.end))
            if before is not None and before.text in HEDGED_NOUNS:
                spans.append((before.start, before.end))
    return spans


def _after_clause_noun(tokens: list[Any], i: int) -> bool:
    """Whether token ``i`` follows 것 or 거 after a clause (an adnominal ending before it)."""
    return (
        i >= 2
        and tokens[i - 1].tag == "NNB"
        and tokens[i - 1].form in HEDGED_NOUNS
        and tokens[i - 2].tag == "ETM"
    )


def _korean_unit(text: str, tokens: list[Any], i: int) -> tuple[str, int, int] | None:
    """(symbol, end, the next token) of the longest unit spelled from token ``i`` on and ending
    where a token ends (``밀리`` + ``리터``; not the ``그램`` of a name ``그램머``)."""
    start = tokens[i].start
    if text[start] not in UNIT_INITIALS:
        return None
    ends = {}
    j, end = i, start
    while j < len(tokens) and tokens[j].start == end and end - start < LONGEST_UNIT:
        end = tokens[j].start + tokens[j].len
        j += 1
        ends[end] = j
    for stop in sorted(ends, reverse=True):
        symbol = KOREAN_UNITS.get(text[start:stop])
        if symbol is not None:
            return symbol, stop, ends[stop]
    return None


def _native_numeral(text: str, tokens: list[Any], i: int) -> Piece | None:
    """The number a native numeral before counter token ``i`` says (세 번: 3, 열두 명: 12,
    서른 살: 30), as a number piece, so that it glues to the counter as digits do."""
    ones = tens = None
    j = i - 1
    if j >= 0 and tokens[j].tag in NUMERAL_TAGS and tokens[j].form in NATIVE_ONES:
        ones, j = tokens[j], j - 1
    if (
        j >= 0
        and tokens[j].tag in NUMERAL_TAGS
        and tokens[j].form in NATIVE_TENS
        and (ones is None or tokens[j].start + tokens[j].len == ones.start)
    ):
        tens = tokens[j]
    first, last = tens or ones, ones or tens
    if first is None or last is None:
        return None
    end = last.start + last.len
    if text[end : tokens[i].start].strip():
        return None
    value = (NATIVE_TENS[tens.form] if tens else 0) + (NATIVE_ONES[ones.form] if ones else 0)
    return Piece(str(value), first.start, end, Kind.NUMBER)


def _counter_kind(tokens: list[Any], i: int) -> Kind:
    """Counter token ``i`` after a numeral word that says no number of its own is a count
    (만 명, 백 년), after 몇 one asked for (몇 번); else it only counts glued to a number (3번)."""
    before = tokens[i - 1] if i else None
    if before is None or before.tag not in NUMERAL_TAGS:
        return Kind.COUNTER
    if before.form == "몇":
        return Kind.ASKED_COUNT
    return Kind.COUNT if before.tag == "NR" else Kind.COUNTER


def _misread_particle(text: str, tokens: list[Any], i: int) -> bool:
    """Whether token ``i`` is one particle's syllable glued to the Latin word or symbol before
    it, read as a word (``QD는 무엇을`` → 늘다)."""
    token = tokens[i]
    if i == 0 or token.len != 1 or text[token.start] not in PARTICLES:
        return False
    before = tokens[i - 1]
    return before.start + before.len == token.start and before.tag in GLUE_TAGS


class Reading(NamedTuple):
    text: str
    start: int
    end: int
    verb: bool


def readings(text: str, candidates: int = 3) -> list[Reading]:
    """Nouns and lemmas in Kiwi's best few readings of a (short) query.

    A query has little context, so Kiwi's best reading may differ from the one it gave the same
    words inside an article (``졸음`` read as ``졸다``; a lone ``붓다`` read as a name); the search
    layer offers these readings as alternatives for the same characters.
    """
    if not NEEDS_KIWI.search(text):
        return []
    found: dict[tuple[str, int], Reading] = {}
    for tokens, _score in _query_model.kiwi.analyze(text, top_n=candidates):
        for token in tokens:
            tag = token.tag.split("-", 1)[0]
            if tag in TERM_TAGS and token.form not in STOP_LEMMAS:
                reading = Reading(
                    term_of(token), token.start, token.start + token.len, tag in VERB_TAGS
                )
                found.setdefault((reading.text, reading.start), reading)
    for reading in _words_read_alone(text, list(found.values())):
        found.setdefault((reading.text, reading.start), reading)
    return list(found.values())


def _words_read_alone(text: str, found: list[Reading]) -> Iterator[Reading]:
    """The nouns of two syllables or more Kiwi reads in a word alone (its particle cut off),
    where in the query it cut the word into nouns of one syllable: in a question 통가는 reads
    통 + 가, 고마의 고 + 마, while an article says the name in its own sentences, read whole."""
    for run in HANGUL_RUN.finditer(text):
        start, end = run.span()
        nouns = [r for r in found if not r.verb and start <= r.start and r.end <= end]
        if not any(r.end - r.start == 1 for r in nouns) or any(r.end - r.start > 1 for r in nouns):
            continue
        for token in _query_model.kiwi.tokenize(eojeol_stem(run.group())):
            if token.tag in ("NNG", "NNP") and token.len > 1:
                yield Reading(token.form.lower(), start + token.start,
                              start + token.start + token.len, False)  # fmt: skip


def words_read_as_nouns(text: str, found: list[Reading]) -> list[Term]:
    """A text whose best reading holds no Korean term, its words read as whole nouns where
    another of ``found`` (:func:`readings`) does: Kiwi reads a lone ``설사`` (diarrhoea) as the
    adverb "even if", and a reader who types one word means the word."""
    words = {(m.start(), m.end()) for m in re.finditer(r"\S+", text)}
    nouns = sorted(
        {(r.start, r.end, r.text) for r in found if not r.verb and (r.start, r.end) in words}
    )
    return [Term(word, start, end, pos) for pos, (start, end, word) in enumerate(nouns)]


def likelihood(text: str) -> float:
    """Kiwi's log-probability of its best reading of ``text``: how likely it reads as Korean,
    so a respelled word can be weighed against the word as typed (higher is likelier)."""
    return _best_reading(text)[1]


def reads_as_korean(text: str) -> bool:
    """Whether Kiwi reads ``text`` as words it knows, none unknown: Latin typed in Korean
    mode by mistake makes syllables too, but no words (`anxeity` → `뭍댜쇼`)."""
    return not any(token.oov for token in _best_reading(text)[0])


def misspelled_negations(text: str) -> list[int]:
    """Where ``text`` writes 않 for the adverb 안, said alike (`잠이 않와요`, `않 먹어요`): Kiwi
    reads 않 with no ending before the next verb, which the auxiliary never has (`먹지 않아요`),
    or before 되, which it reads as an ending (`술 마시면 않되나요`; `하지 않되` is right)."""
    if "않" not in text:
        return []  # most queries: no need to load Kiwi
    tokens, _ = _best_reading(text)
    return [
        token.start
        for before, token, after in zip([None, *tokens], tokens, tokens[1:], strict=False)
        if token.form == "않"
        and text[token.start : token.start + 1] == "않"
        and (before is None or (before.form, before.tag) != ("지", "EC"))
        and (after.tag.split("-", 1)[0] in VERB_TAGS or after.form == "되")
    ]


def inflected(text: str, start: int, end: int) -> bool:
    """Whether Kiwi reads a verb or adjective, or an ending, in the word ``text[start:end]``
    (`심해요`): a list of nouns and lemmas holds no such word as typed."""
    tokens, _ = _best_reading(text)
    return any(start <= t.start < end and t.tag.split("-", 1)[0] in INFLECTED_TAGS for t in tokens)


def names_something(text: str, start: int, end: int) -> bool:
    """Whether the word ``text[start:end]`` names something, as Kiwi reads ``text``: a noun or
    a root, not :func:`inflected`; not a bound noun (중 of `임신 중`: during) nor an adverb (안);
    or a verb made a noun by its ending (코막힘: 코 + 막히 + ㅁ, a stuffy nose). Of words spaced
    apart (a glossary phrase: `설사 멎는 약`), the last, which the others qualify."""
    start = max(start, text.rfind(" ", start, end) + 1)
    tokens, _ = _best_reading(text)
    inside = [t for t in tokens if start <= t.start < end and not t.tag.startswith("J")]
    if _noun_of_a_verb(inside):
        return True
    return not inflected(text, start, end) and any(t.tag in NAMING_TAGS for t in inside)


def end_before_particles(text: str, start: int, end: int) -> int:
    """Where the word ``text[start:end]`` ends before the particles after a verb made a noun
    (두근거림 of `두근거림이`, 손떨림 of `손떨림이`), else ``end``: the need it names, as a reader
    would name it."""
    tokens, _ = _best_reading(text)
    inside = [t for t in tokens if start <= t.start < end]
    trailing = list(itertools.takewhile(lambda t: t.tag.startswith("J"), reversed(inside)))
    before = inside[len(inside) - len(trailing) - 1] if 0 < len(trailing) < len(inside) else None
    return trailing[-1].start if before is not None and before.tag == "ETN" else end


def _noun_of_a_verb(tokens: list[Any]) -> bool:
    """Whether a word's tokens are a noun, a verb and the ending that makes it a noun (코막힘,
    입마름), read as Kiwi reads it mid-query (ETN) or at the end, where ㅁ may end a note (EF);
    not a verb alone made a noun (`먹기` of `임신 중 먹기`: taking it)."""
    if len(tokens) < 3:
        return False
    *head, verb, ending = tokens
    return (
        any(t.tag in NAMING_TAGS for t in head)
        and verb.tag in VERB_TAGS
        and (ending.tag == "ETN" or (ending.tag == "EF" and ending.form in ("ᆷ", "음")))
    )


def may_be_misspelled(text: str, start: int, end: int) -> bool:
    """Whether the word ``text[start:end]`` may be a misspelled noun, as Kiwi reads ``text``:
    not one noun of Kiwi's dictionary with its particles (`리터의`: a word, though no article
    has it), nor :func:`inflected`."""
    if inflected(text, start, end):
        return False
    tokens, _ = _best_reading(text)
    words = [t for t in tokens if start <= t.start < end and not t.tag.startswith("J")]
    return not (len(words) == 1 and words[0].tag.startswith("N") and not words[0].oov)


def is_dictionary_noun(word: str) -> bool:
    """Whether Kiwi reads ``word`` alone as one noun of its dictionary (`위염`, `구내염`): spelled
    right, though no article may have it, as a typo (`효늠`) is not."""
    tokens, _ = _best_reading(word)
    return len(tokens) == 1 and tokens[0].tag in {"NNG", "NNP"} and not tokens[0].oov


def is_dictionary_predicate(word: str) -> bool:
    """Whether Kiwi reads ``word`` alone as one verb or adjective of its dictionary with its
    endings (`시려요`, `답답해요`): spelled right, and no typo of the nouns and lemmas articles
    have (`시려요` is no `필요`); a vowel slip (`아퍼요`) reads otherwise."""
    tokens, _ = _best_reading(word)
    if not tokens or any(t.oov for t in tokens) or not tokens[-1].tag.startswith("E"):
        return False
    stem, *rest = [t.tag.split("-", 1)[0] for t in tokens]
    if stem in {"XR", "NNG"} and rest[:1] in (["XSA"], ["XSV"]):
        stem, rest = "VA", rest[1:]
    return stem in VERB_TAGS and all(tag == "EP" for tag in rest[:-1])


def ends_a_sentence(word: str) -> bool:
    """Whether ``word`` is a :func:`is_dictionary_predicate` that ends a sentence (`시려요`,
    `가렵다`): how readers describe a symptom, and what a typo of a noun does not make (those
    read as `조르` + `ㅁ`, `시리` + `어`)."""
    if not is_dictionary_predicate(word):
        return False
    last = _best_reading(word)[0][-1]
    return last.tag == "EF" and last.form.endswith(("요", "다"))


def noun_runs(text: str) -> list[tuple[int, list[int]]]:
    """Each run of nouns side by side in Kiwi's best reading of ``text``, as where it starts and
    where each of its nouns ends: `졸음부작용없는알레르기약` → (0, [2, 5]) for 졸음 + 부작용 and
    (7, [11, 12]) for 알레르기 + 약."""
    runs: list[tuple[int, list[int]]] = []
    for token in _best_reading(text)[0]:
        if not token.tag.startswith(("NN", "XPN", "XSN")):
            continue
        if runs and runs[-1][1][-1] == token.start:
            runs[-1][1].append(token.end)
        else:
            runs.append((token.start, [token.end]))
    return runs


# What a query asks is bad for something, said of a medicine (or a food, a thing) after it:
# predicates that say harm (나쁜, 해로운, 위험한, 피해야 할, 조심해야 할 약) or that a medicine
# must be stopped for it (끊어야 하는, 중단해야 할 약: `수술 전에 끊어야 하는 약` put levothyroxine,
# whose uses name thyroid surgery, first), ones that do when negated (안 좋은, 좋지 않은, 안전하지
# 않은, 먹으면 안 되는 약), and 금기 (contraindicated).
HARM_PREDICATES = frozenset({"나쁘", "해롭", "위험", "피하", "조심", "끊", "중단"})
GOOD_PREDICATES = frozenset({"좋", "안전", "되"})
HARMED_NOUNS = frozenset({"약", "약물", "의약품", "음식", "성분", "것", "거"})
MEDICINE_ENDINGS = ("약", "제")  # of a noun naming a kind of medicine: 두통약, 진통제
CONTRAINDICATED = "금기"


def harm_asked(text: str) -> list[tuple[int, int]]:
    """Where ``text`` asks which medicines are bad for something: `간에 안 좋은 약`, `임신 중
    먹으면 안 되는 약`, `신장에 나쁜 약`, `임신 금기`; not `속이 안 좋아요` (a need) nor `신장 안
    좋을 때 진통제` (when the kidneys are weak, which painkiller)."""
    if not NEEDS_KIWI.search(text):
        return []
    tokens = _best_reading(text)[0]
    spans = [(t.start, t.start + len(CONTRAINDICATED)) for t in tokens
             if t.form.startswith(CONTRAINDICATED) and t.tag == "NNG"]  # fmt: skip
    for i, token in enumerate(tokens):
        tag = token.tag.split("-", 1)[0]  # 해롭 is VA-I (irregular)
        if token.form not in HARM_PREDICATES | GOOD_PREDICATES or tag not in TERM_TAGS:
            continue
        j = i + 1
        while (
            j < len(tokens)
            and tokens[j].tag in ("XSA", "XSV", "EC", "VX")
            and (tokens[j].tag != "EC" or tokens[j].form in ("지", "어야", "아야"))
        ):
            j += 1  # 위험 + 하, 좋 + 지 + 않, 피하 + 어야 + 하
        if j + 1 >= len(tokens) or tokens[j].tag != "ETM" or not _harmed(tokens[j + 1].form):
            continue
        before = (tokens[i - 1].form, tokens[i - 1].tag) if i else None
        negated = before in NEGATING_ADVERB_TOKENS or any(t.form == "않" for t in tokens[i + 1 : j])
        if token.form in HARM_PREDICATES or negated:
            start = tokens[i - 1].start if before in NEGATING_ADVERB_TOKENS else token.start
            spans.append((start, tokens[j].end))
    return spans


def _harmed(noun: str) -> bool:
    """Whether ``noun`` can be what a query asks is bad for something: a medicine, a food."""
    return noun in HARMED_NOUNS or (len(noun) > 1 and noun.endswith(MEDICINE_ENDINGS))


def spaced_apart(word: str) -> str | None:
    """``word`` spaced as Kiwi would space it (`두드러기약졸린거` → `두드러기 약 졸린 거`) when Kiwi
    reads it as one noun: readers leave spaces out, and on a long run Kiwi may give up and read
    one unknown noun, which no article has. None if it reads words in it, or would space it
    into fewer than three: a short word read whole is a name or a misspelling (`아목`, the
    start of 아목시실린, is no `아 목`; `항히스타민` no `항 히스타민`)."""
    tokens, _ = _best_reading(word)
    if len(tokens) != 1 or not tokens[0].tag.startswith("NN"):
        return None
    spaced = _query_model.kiwi.space(word)
    return spaced if len(spaced.split()) >= 3 else None


def noun_starting(text: str, start: int) -> str | None:
    """The noun Kiwi's best reading of ``text`` has starting at ``start``, or None (`입 안이`:
    입 at 0 and 안 at 2, where `두 개` has a determiner and a counter)."""
    tokens, _ = _best_reading(text)
    return next((t.form for t in tokens if t.start == start and t.tag in {"NNG", "NNP"}), None)


@lru_cache(maxsize=64)
def _best_reading(text: str) -> tuple[list[Any], float]:
    """Kiwi's tokens of its best reading of a single text (what ``tokenize`` gives) and its
    score, kept for the few texts a query reads more than once (parsing, then respelling)."""
    tokens, score = _query_model.kiwi.analyze(text, top_n=1)[0]
    return tokens, float(score)


@lru_cache(maxsize=4096)
def compound_parts(word: str, candidates: int = 3) -> tuple[str, ...]:
    """The fewest nouns that spell ``word`` end to end in Kiwi's best readings of it alone
    (``두통약`` → ``두통``, ``약``; () when none do), or all of it but a medicine suffix
    (``해열제`` → ``해열``: articles say 해열진통제, 해열·진통). Every part but the last (the head,
    ``약``) has two syllables or more, so ``반감기`` is not ``반`` + ``감기``."""
    spans: dict[int, set[tuple[int, str]]] = {}
    for r in readings(word, candidates):
        if not r.verb and (r.start, r.end) != (0, len(word)):
            spans.setdefault(r.start, set()).add((r.end, r.text))
    parts = _fewest_parts(spans, 0, len(word))
    if parts is None and len(word) > 2 and _ends_in_medicine_suffix(word, candidates):
        parts = _fewest_parts(spans, 0, len(word) - 1)
    return parts or ()


def _ends_in_medicine_suffix(word: str, candidates: int) -> bool:
    """Whether one of Kiwi's best readings of ``word`` ends in the suffix 제 ("agent": 소염제,
    수면제), which no article's analysis indexes: the word's head, as 약 is of 두통약."""
    return any(
        tokens[-1].tag == "XSN" and tokens[-1].form in MEDICINE_SUFFIXES
        and tokens[-1].start == len(word) - 1 and len(tokens) > 1
        for tokens, _score in _query_model.kiwi.analyze(word, top_n=candidates)
        if tokens
    )  # fmt: skip


def _fewest_parts(
    spans: dict[int, set[tuple[int, str]]], start: int, end: int
) -> tuple[str, ...] | None:
    """The shortest chain of spans from ``start`` to ``end`` (None: there is none)."""
    best: tuple[str, ...] | None = None
    for stop, text in sorted(spans.get(start, ())):
        if stop == end:
            rest: tuple[str, ...] | None = ()
        elif stop - start < 2:
            continue  # a one-syllable modifier (반 in 반감기) reads too many words wrongly
        else:
            rest = _fewest_parts(spans, stop, end)
        if rest is not None and (best is None or len(rest) + 1 < len(best)):
            best = (text, *rest)
    return best


class KoreanTokenizer(PieceTokenizer):
    """The tokenizer (and whole analyzer) of Korean fields; engines adapt it to their protocol."""

    def pieces(self, text: str) -> list[Piece]:
        return korean_pieces(text)


def korean_analyzer() -> KoreanTokenizer:
    return KoreanTokenizer()
