"""Hangul helpers: keystroke decomposition, the 2-set IME automaton, layout mix-ups, 초성, typos."""

from __future__ import annotations

import random
from functools import cache

import pytest

from kb.analysis.hangul import (
    alike_spellings,
    compose,
    decompose,
    edit_distance,
    hangul_to_qwerty,
    initials,
    is_initials,
    is_jamo,
    is_plausible_hangul,
    is_syllable,
    jamo_distance,
    loanword_spellings,
    qwerty_to_hangul,
    slipped_vowels,
)

ALL_SYLLABLES = [chr(cp) for cp in range(0xAC00, 0xD7A4)]

# Real words with their 2-set keystrokes, each checked key by key against the layout.
WORDS = [
    ("가바펜틴", "rkqkvpsxls"),  # ㄱㅏ ㅂㅏ ㅍㅔㄴ ㅌㅣㄴ
    ("부작용", "qnwkrdyd"),  # ㅂㅜ ㅈㅏㄱ ㅇㅛㅇ
    ("안녕하세요", "dkssudgktpdy"),  # ㅇㅏㄴ ㄴㅕㅇ ㅎㅏ ㅅㅔ ㅇㅛ
    ("두통", "enxhd"),  # ㄷㅜ ㅌㅗㅇ
    ("약", "dir"),  # ㅇㅑㄱ
    ("감기", "rkarl"),  # ㄱㅏㅁ ㄱㅣ
    ("효능", "gysmd"),  # ㅎㅛ ㄴㅡㅇ
    ("뇌전증", "shlwjswmd"),  # ㄴㅗㅣ ㅈㅓㄴ ㅈㅡㅇ
    ("한국어", "gksrnrdj"),  # ㅎㅏㄴ ㄱㅜㄱ ㅇㅓ
    ("고혈압", "rhgufdkq"),  # ㄱㅗ ㅎㅕㄹ ㅇㅏㅂ
    ("당뇨", "ekdsy"),  # ㄷㅏㅇ ㄴㅛ
    ("진통제", "wlsxhdwp"),  # ㅈㅣㄴ ㅌㅗㅇ ㅈㅔ
    ("닭", "ekfr"),  # ㄷㅏㄹㄱ: compound final ㄺ
    ("없다", "djqtek"),  # ㅇㅓㅂㅅ ㄷㅏ: ㅄ, then ㄷ starts a syllable
    ("의사", "dmltk"),  # ㅇㅡㅣ ㅅㅏ: ㅢ
    ("괜찮아", "rhoscksgdk"),  # ㄱㅗㅐㄴ ㅊㅏㄴㅎ ㅇㅏ: ㅙ, ㄶ
    ("뭐", "anj"),  # ㅁㅜㅓ: ㅝ
    ("앉아", "dkswdk"),  # ㅇㅏㄴㅈ ㅇㅏ: ㄵ
    ("읽기", "dlfrrl"),  # ㅇㅣㄹㄱ ㄱㅣ: ㄺ then a fresh ㄱ
    ("쌀", "Tkf"),  # shifted ㅆ as a lead
    ("있다", "dlTek"),  # shifted ㅆ as a final
    ("예", "dP"),  # shifted ㅖ
    ("꿈", "Rna"),  # shifted ㄲ
]


@pytest.mark.parametrize(
    ("ch", "expected"),
    [
        ("가", True),
        ("힣", True),
        (chr(0xABFF), False),
        (chr(0xD7A4), False),
        ("ㄱ", False),
        ("a", False),
        ("", False),
        ("가나", False),
    ],
)
def test_is_syllable(ch: str, expected: bool) -> None:
    assert is_syllable(ch) is expected


@pytest.mark.parametrize(
    ("ch", "expected"),
    [
        ("ㄱ", True),
        ("ㅎ", True),
        ("ㄳ", True),
        ("ㅏ", True),
        ("ㅣ", True),
        ("ㅘ", True),
        (chr(0x3164), False),  # Hangul filler
        ("ㆍ", False),  # archaic arae-a
        (chr(0x1100), False),  # conjoining ᄀ
        ("가", False),
        ("k", False),
        ("", False),
    ],
)
def test_is_jamo(ch: str, expected: bool) -> None:
    assert is_jamo(ch) is expected


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("가바펜틴", "ㄱㅏㅂㅏㅍㅔㄴㅌㅣㄴ"),
        ("닭", "ㄷㅏㄹㄱ"),
        ("가밮", "ㄱㅏㅂㅏㅍ"),
        ("가바ㅍ", "ㄱㅏㅂㅏㅍ"),
        ("과", "ㄱㅗㅏ"),
        ("괘", "ㄱㅗㅐ"),
        ("괴", "ㄱㅗㅣ"),
        ("워", "ㅇㅜㅓ"),
        ("웨", "ㅇㅜㅔ"),
        ("위", "ㅇㅜㅣ"),
        ("의", "ㅇㅡㅣ"),
        ("넋", "ㄴㅓㄱㅅ"),
        ("앉", "ㅇㅏㄴㅈ"),
        ("않", "ㅇㅏㄴㅎ"),
        ("삶", "ㅅㅏㄹㅁ"),
        ("밟", "ㅂㅏㄹㅂ"),
        ("곬", "ㄱㅗㄹㅅ"),
        ("핥", "ㅎㅏㄹㅌ"),
        ("읊", "ㅇㅡㄹㅍ"),
        ("싫", "ㅅㅣㄹㅎ"),
        ("값", "ㄱㅏㅂㅅ"),
        ("꽊", "ㄲㅗㅏㄲ"),  # double consonants are one (shifted) key
        ("뛰", "ㄸㅜㅣ"),
        ("빼", "ㅃㅐ"),
        ("있", "ㅇㅣㅆ"),
        ("짜", "ㅉㅏ"),
        ("ㅘ", "ㅗㅏ"),
        ("ㄳ", "ㄱㅅ"),
        ("ㅀ", "ㄹㅎ"),
        ("ㄲ", "ㄲ"),
        ("ㅏ", "ㅏ"),
        ("가 a1!", "ㄱㅏ a1!"),
        ("", ""),
        ("abc", "abc"),
    ],
)
def test_decompose_yields_keystrokes(text: str, keys: str) -> None:
    assert decompose(text) == keys


def test_decompose_never_emits_conjoining_jamo_or_untypable_keys() -> None:
    keys = set(decompose("".join(ALL_SYLLABLES)))
    assert all(0x3131 <= ord(k) <= 0x3163 for k in keys)
    assert hangul_to_qwerty("".join(ALL_SYLLABLES)).isalpha()
    assert hangul_to_qwerty("".join(ALL_SYLLABLES)).isascii()


@pytest.mark.parametrize(
    ("keys", "shown"),
    [
        ("ㄱㅏㅂㅏㅍㅔㄴㅌㅣㄴ", "가바펜틴"),
        ("ㄷㅏㄹㄱ", "닭"),  # two finals combine
        ("ㄷㅏㄹㄱㅣ", "달기"),  # and split again when a vowel follows
        ("ㅇㅏㄴㄱㅣ", "안기"),  # ㄴ+ㄱ is no compound final: ㄱ starts the next syllable
        ("ㅇㅏㄴㄱ", "안ㄱ"),
        ("ㄱㅏㄹㅎ", "갏"),
        ("ㄱㅏㄹㅎㅏ", "갈하"),
        ("ㅂㅏㄹㅂ", "밟"),
        ("ㄱㅏㅂㅅ", "값"),
        ("ㄱㅏㅂㅅㅇㅣ", "값이"),
        ("ㄱㅏㅂㅅㅣ", "갑시"),
        ("ㄱㅏㄱㅅㄱ", "갃ㄱ"),  # a third final cannot attach
        ("ㄱㅏㄱㄱ", "각ㄱ"),  # ㄱ+ㄱ is not ㄲ: the shifted key is
        ("ㅇㅣㅆ", "있"),  # ㅆ is a valid final
        ("ㅇㅣㅆㅇㅓ", "있어"),
        ("ㅇㅣㅆㅓ", "이써"),
        ("ㄱㅏㄸ", "가ㄸ"),  # ㄸ, ㅃ, ㅉ are never finals
        ("ㄱㅏㄸㅏ", "가따"),
        ("ㅃㅏㅃ", "빠ㅃ"),
        ("ㄱㅏㅉㅏ", "가짜"),
        ("ㄱㅗㅏ", "과"),  # compound vowel
        ("ㄱㅗㅏㅣ", "과ㅣ"),  # ㅘ+ㅣ is not ㅙ (that is ㅗ+ㅐ)
        ("ㄱㅗㅐ", "괘"),
        ("ㄱㅜㅓㄴ", "권"),
        ("ㄱㅏㅏ", "가ㅏ"),
        ("ㅏ", "ㅏ"),  # vowel-only input stays jamo
        ("ㅏㅏ", "ㅏㅏ"),
        ("ㅗㅏ", "ㅘ"),  # a lone compound vowel still combines, as IMEs show it
        ("ㅜㅔ", "ㅞ"),
        ("ㅡㅣㅏ", "ㅢㅏ"),
        ("ㅏㄱㅏ", "ㅏ가"),
        ("ㅏㄱ", "ㅏㄱ"),  # a consonant after a lone vowel is not its final
        ("ㅗㅏㄹㄱ", "ㅘㄹㄱ"),
        ("ㄱ", "ㄱ"),
        ("ㄱㄱ", "ㄱㄱ"),
        ("ㄱㅅ", "ㄱㅅ"),  # lone consonants never combine (keeps 초성 queries intact)
        ("ㄱㄱㅏ", "ㄱ가"),
        ("ㄱㅏ ㄴㅏ", "가 나"),
        ("ㄱ ㅏ", "ㄱ ㅏ"),
        ("ㄱㅏㄴa", "간a"),
        ("ㄱㅏ1ㄴㅏ", "가1나"),
        ("가ㄱ", "가ㄱ"),  # a finished syllable passes through untouched
        ("ㄱㅘ", "과"),  # compound jamo in the input count as their keys
        ("ㄳㅏ", "ㄱ사"),
        ("", ""),
    ],
)
def test_compose_behaves_like_an_ime(keys: str, shown: str) -> None:
    assert compose(keys) == shown


def test_compose_inverts_decompose_for_every_syllable() -> None:
    broken = [s for s in ALL_SYLLABLES if compose(decompose(s)) != s]
    assert broken == []


def test_compose_inverts_decompose_for_random_words() -> None:
    rng = random.Random(20240601)
    words = ["".join(rng.choices(ALL_SYLLABLES, k=rng.randint(1, 6))) for _ in range(2000)]
    broken = [w for w in words if compose(decompose(w)) != w]
    assert broken == []


def test_compose_inverts_decompose_across_spaces_digits_and_latin() -> None:
    rng = random.Random(7)
    pieces = [*ALL_SYLLABLES[::37], " ", "1", "a", "-", "."]
    texts = ["".join(rng.choices(pieces, k=rng.randint(1, 10))) for _ in range(500)]
    assert [t for t in texts if compose(decompose(t)) != t] == []


def test_compose_shows_what_the_ime_shows_not_the_original_jamo() -> None:
    # A lone consonant followed by a vowel-initial syllable becomes its final, as in an IME.
    assert compose(decompose("가ㄱ아")) == "각아"


@pytest.mark.parametrize(("word", "typed"), WORDS)
def test_qwerty_to_hangul_real_words(word: str, typed: str) -> None:
    assert qwerty_to_hangul(typed) == word


@pytest.mark.parametrize(("word", "typed"), WORDS)
def test_hangul_to_qwerty_real_words(word: str, typed: str) -> None:
    assert hangul_to_qwerty(word) == typed


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("rkqkvpsxls qnwkrdyd", "가바펜틴 부작용"),
        ("rkqkvpsxls 300", "가바펜틴 300"),
        ("dkssud!", "안녕!"),
        ("DKSSUD", "안녕"),  # unshifted keys in uppercase are the same key
        ("Rnf", "꿀"),
        ("gabapentin", "ㅎ뮤메두샤ㅜ"),
        ("hello", "ㅗ디ㅣㅐ"),
        ("gyosmd", "효ㅐ능"),  # a stray o (ㅐ) cannot join ㅛ
        ("", ""),
        ("123", "123"),
        ("éa", "éㅁ"),  # only ASCII letters are keys
    ],
)
def test_qwerty_to_hangul(typed: str, meant: str) -> None:
    assert qwerty_to_hangul(typed) == meant


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("ㅎ뮤메두샤ㅜ", "gabapentin"),
        ("ㅗ디ㅣㅐ", "hello"),
        ("ㄲ", "R"),
        ("ㅒㅖ", "OP"),
        ("ㅘ", "hk"),
        ("ㄳ", "rt"),
        ("가 1 a", "rk 1 a"),
        ("ㆍ", "ㆍ"),  # no key for archaic jamo
    ],
)
def test_hangul_to_qwerty(typed: str, meant: str) -> None:
    assert hangul_to_qwerty(typed) == meant


def test_hangul_to_qwerty_undoes_qwerty_to_hangul_for_full_syllable_words() -> None:
    rng = random.Random(11)
    words = ["".join(rng.choices(ALL_SYLLABLES, k=rng.randint(1, 5))) for _ in range(1000)]
    typed = [hangul_to_qwerty(w) for w in words]
    lowercase = [t for t in typed if t.islower()]
    assert len(lowercase) > 100
    assert [t for t in lowercase if hangul_to_qwerty(qwerty_to_hangul(t)) != t] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("가바펜틴 효능", "ㄱㅂㅍㅌ ㅎㄴ"),
        ("부작용", "ㅂㅈㅇ"),
        ("뇌전증", "ㄴㅈㅈ"),
        ("까치", "ㄲㅊ"),
        ("닭", "ㄷ"),
        ("abc 가1", "abc ㄱ1"),
        ("ㄱㅏ", "ㄱㅏ"),
        ("", ""),
    ],
)
def test_initials(text: str, expected: str) -> None:
    assert initials(text) == expected


def test_initials_of_every_syllable_is_its_lead_consonant() -> None:
    for syllable in ALL_SYLLABLES:
        lead = decompose(syllable)[0]  # the first key typed for it
        assert initials(syllable) == lead, syllable
    assert initials("ㄳ 값a" + "".join(ALL_SYLLABLES[:3])) == "ㄳ ㄱa" + "ㄱㄱㄱ"


def test_initials_of_every_syllable_is_an_initials_query() -> None:
    leads = initials("".join(ALL_SYLLABLES))
    assert len(leads) == len(ALL_SYLLABLES)
    assert is_initials(leads)
    assert len(set(leads)) == 19


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ㄱㅂㅍㅌ", True),
        ("ㅂㅈㅇ", True),
        ("ㄱㅂㅍㅌ ㅎㄴ", True),
        (" ㄲㄸㅃㅆㅉ ", True),
        ("ㄱ", True),
        ("", False),
        ("   ", False),
        ("ㄳ", False),  # a compound final is never an initial
        ("ㄱㅏ", False),
        ("ㄱ가", False),
        ("가바", False),
        ("ㄱb", False),
        ("ㄱ1", False),
    ],
)
def test_is_initials(text: str, expected: bool) -> None:
    assert is_initials(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (qwerty_to_hangul("rkqkvpsxls"), True),
        (qwerty_to_hangul("gabapentin"), False),
        (qwerty_to_hangul("hello"), False),
        ("가바펜틴 300mg, 부작용?", True),  # only dangling jamo disqualify; Latin is ignored
        ("hello", False),
        ("", False),
        (" 1.", False),
        ("가ㄱ", False),
        ("ㅏ", False),
        ("가" + chr(0x1100), False),  # conjoining jamo dangle too
    ],
)
def test_is_plausible_hangul(text: str, expected: bool) -> None:
    assert is_plausible_hangul(text) is expected


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("효늠", "효능", 1),  # one final key
        ("부작융", "부작용", 1),  # one vowel key
        ("효능", "기능", 2),  # ㅎㅛ vs ㄱㅣ: two keys
        ("가바펜틴", "가바펜틴", 0),
        ("과", "가", 1),  # ㄱㅗㅏ vs ㄱㅏ: one key dropped
        ("닭", "달", 1),
        ("갑", "값", 1),
        ("가나", "ㄱㅏㄴㅏ", 0),  # keystrokes, not characters
        ("달기", "닭ㅣ", 0),  # same keys, different syllable boundaries
        ("ㄱㅏ", "ㅏㄱ", 1),  # adjacent transposition
        ("", "가", 2),
    ],
)
def test_jamo_distance(a: str, b: str, distance: int) -> None:
    assert jamo_distance(a, b) == distance
    assert jamo_distance(b, a) == distance


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("seizrues", "seizures", 1),
        ("gabapentine", "gabapentin", 1),
        ("kitten", "sitting", 3),
        ("ca", "abc", 3),  # OSA, not unrestricted Damerau-Levenshtein (which gives 2)
        ("ab", "ba", 1),
        ("", "", 0),
        ("", "abc", 3),
        ("효능", "기능", 1),  # raw characters
    ],
)
def test_edit_distance(a: str, b: str, distance: int) -> None:
    assert edit_distance(a, b) == distance
    assert edit_distance(b, a) == distance


@cache
def reference_osa(a: str, b: str) -> int:
    """The textbook recursive definition, independent of the table-filling implementation."""
    if not a or not b:
        return len(a) + len(b)
    options = [
        reference_osa(a[:-1], b) + 1,
        reference_osa(a, b[:-1]) + 1,
        reference_osa(a[:-1], b[:-1]) + (a[-1] != b[-1]),
    ]
    if len(a) > 1 and len(b) > 1 and a[-1] == b[-2] and a[-2] == b[-1]:
        options.append(reference_osa(a[:-2], b[:-2]) + 1)
    return min(options)


def random_pairs(seed: int, count: int) -> list[tuple[str, str]]:
    """Short words over a tiny alphabet, so transpositions and repeats are common."""
    rng = random.Random(seed)
    words = ["".join(rng.choices("abc", k=rng.randint(0, 7))) for _ in range(2 * count)]
    return list(zip(words[::2], words[1::2], strict=True))


def test_edit_distance_matches_the_recursive_definition() -> None:
    pairs = random_pairs(3, 400)
    assert [edit_distance(a, b) for a, b in pairs] == [reference_osa(a, b) for a, b in pairs]


@pytest.mark.parametrize("limit", [0, 1, 2, 3])
def test_limit_is_exact_within_and_only_promises_more_beyond(limit: int) -> None:
    for a, b in random_pairs(limit, 300):
        exact = reference_osa(a, b)
        bounded = edit_distance(a, b, limit=limit)
        assert bounded == exact if exact <= limit else bounded > limit


@pytest.mark.parametrize(
    ("a", "b", "limit"),
    [("abcdef", "uvwxyz", 2), ("a", "abcdefgh", 3), ("seizures", "gabapentin", 1)],
)
def test_edit_distance_limit_stops_above(a: str, b: str, limit: int) -> None:
    assert limit < edit_distance(a, b, limit=limit) <= edit_distance(a, b)


def test_jamo_distance_limit() -> None:
    assert jamo_distance("효늠", "효능", limit=1) == 1
    assert jamo_distance("가바펜틴", "부작용", limit=2) > 2
    assert jamo_distance("효능", "기능", limit=0) > 0


def test_alike_spellings_swap_only_vowels_said_alike() -> None:
    """ㅐ/ㅔ, ㅒ/ㅖ and ㅙ/ㅞ/ㅚ sound alike; any other vowel stays, and a word with many such
    syllables has too many spellings to try."""
    assert alike_spellings("베튼") == ["배튼"]
    assert alike_spellings("벤쿠버") == ["밴쿠버"]
    assert sorted(alike_spellings("외국")) == ["왜국", "웨국"]
    assert alike_spellings("가방") == []
    assert alike_spellings("애매해게") == []  # four such syllables


def test_slipped_vowels_are_a_key_off_a_key_added_or_dropped_or_said_alike() -> None:
    assert slipped_vowels("워") == ["어", "우"]  # ㅝ is typed ㅜ then ㅓ
    assert sorted(slipped_vowels("어")) == ["아", "오", "워"]  # ㅏ and ㅗ beside ㅓ on the row
    assert sorted(slipped_vowels("개")) == ["갸", "게", "괘"]  # ㅑ beside; said alike; ㅗ+ㅐ
    assert "어지러워요" in slipped_vowels("어지러어요") and "아파요" in slipped_vowels("아퍼요")
    assert sorted(slipped_vowels("닭a")) == ["덝a", "돩a", "딝a"]  # the final ㄺ stays
    assert "듥a" not in slipped_vowels("닭a")  # ㅡ is on another row, and no compound's key
    assert slipped_vowels("ab") == []


@pytest.mark.parametrize(
    ("typed", "spelled"),
    [
        ("메트포민", "메트포르민"),  # r-coloured 르 added
        ("메트포르민", "메트포민"),  # and dropped
        ("로사탄", "로사르탄"),
        ("타일레놀", "타이레놀"),  # ㄹ before ㄹ dropped
        ("프레가바린", "프레가발린"),  # and doubled
        ("세티라이진", "세티리진"),  # i as 아이, and as ㅣ
        ("디펜히드라민", "디펜하이드라민"),
        ("프레드니졸론", "프레드니솔론"),  # z as ㅈ or ㅅ
        ("가바펜딘", "가바펜틴"),  # d or t
        ("레보치록신", "레보티록신"),  # ti as 치 or 티
    ],
)
def test_loanword_spellings_reach_the_other_transliteration(typed: str, spelled: str) -> None:
    assert spelled in loanword_spellings(typed)


def test_loanword_spellings_change_one_thing_and_leave_short_words_alone() -> None:
    """One change per spelling, so a word's spellings stay a few dozen lookups; a word of two
    syllables is mostly Korean's own, where a swapped consonant is another word (식후, 직후)."""
    assert loanword_spellings("식후") == loanword_spellings("타일") == []
    assert loanword_spellings("가바펜틴a") == []
    spellings = loanword_spellings("메트포르민")
    assert "메트포민" in spellings and "메트포르민" not in spellings
    assert all(abs(len(s) - len("메트포르민")) <= 1 for s in spellings)
