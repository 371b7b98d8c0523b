"""Hangul helpers for search: 초성 queries, 두벌식 layout mix-ups, IME composition, typo distance.

Every jamo this module produces is a Hangul Compatibility Jamo (U+3131–U+3163), the characters a
keyboard and IME emit, and compound jamo are split into the keys actually typed (ㅘ → ㅗㅏ,
ㄺ → ㄹㄱ), so "one wrong key" is one edit. Conjoining jamo (U+1100…) and NFKC are never used.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise, product

SYLLABLE_FIRST = 0xAC00
SYLLABLE_LAST = 0xD7A3
SYLLABLES = "\uac00-\ud7a3"  # the precomposed Hangul syllables, for character classes
HANGUL_RUN = re.compile(f"[{SYLLABLES}]+")  # a run of syllables: a Hangul word
JAMO_FIRST = 0x3131  # ㄱ
JAMO_LAST = 0x3163  # ㅣ

LEADS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
TAILS = ("", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ")

# Compound jamo → the two keys typed for it on a 2-set keyboard.
SPLIT = {
    "ㅘ": "ㅗㅏ",
    "ㅙ": "ㅗㅐ",
    "ㅚ": "ㅗㅣ",
    "ㅝ": "ㅜㅓ",
    "ㅞ": "ㅜㅔ",
    "ㅟ": "ㅜㅣ",
    "ㅢ": "ㅡㅣ",
    "ㄳ": "ㄱㅅ",
    "ㄵ": "ㄴㅈ",
    "ㄶ": "ㄴㅎ",
    "ㄺ": "ㄹㄱ",
    "ㄻ": "ㄹㅁ",
    "ㄼ": "ㄹㅂ",
    "ㄽ": "ㄹㅅ",
    "ㄾ": "ㄹㅌ",
    "ㄿ": "ㄹㅍ",
    "ㅀ": "ㄹㅎ",
    "ㅄ": "ㅂㅅ",
}
JOIN = {keys: compound for compound, keys in SPLIT.items()}

# The standard 두벌식 layout; shifted keys are the uppercase letters.
QWERTY_TO_JAMO = {
    **dict(zip("qwertyuiop", "ㅂㅈㄷㄱㅅㅛㅕㅑㅐㅔ", strict=True)),
    **dict(zip("asdfghjkl", "ㅁㄴㅇㄹㅎㅗㅓㅏㅣ", strict=True)),
    **dict(zip("zxcvbnm", "ㅋㅌㅊㅍㅠㅜㅡ", strict=True)),
    **dict(zip("QWERTOP", "ㅃㅉㄸㄲㅆㅒㅖ", strict=True)),
}
JAMO_TO_QWERTY = {jamo: key for key, jamo in QWERTY_TO_JAMO.items()}

_LEAD_INDEX = {jamo: i for i, jamo in enumerate(LEADS)}
_VOWEL_INDEX = {jamo: i for i, jamo in enumerate(VOWELS)}
_TAIL_INDEX = {jamo: i for i, jamo in enumerate(TAILS) if jamo}
_LOOSE_JAMO_RANGES = ((0x1100, 0x11FF), (0x3131, 0x318E))


def is_syllable(ch: str) -> bool:
    """A precomposed syllable (가..힣): the only Hangul that counts as a finished word shape."""
    return len(ch) == 1 and SYLLABLE_FIRST <= ord(ch) <= SYLLABLE_LAST


def is_jamo(ch: str) -> bool:
    """A modern compatibility consonant or vowel (ㄱ..ㅎ, ㅏ..ㅣ), as a keyboard would type it."""
    return len(ch) == 1 and JAMO_FIRST <= ord(ch) <= JAMO_LAST


def _is_vowel(ch: str) -> bool:
    """Vowel keys and compound vowels, which decide where a syllable boundary falls."""
    return ch in _VOWEL_INDEX


def _parts(ch: str) -> tuple[str, str, str]:
    """A syllable's lead, vowel and tail (tail '' when open) as compatibility jamo."""
    offset = ord(ch) - SYLLABLE_FIRST
    lead, rest = divmod(offset, len(VOWELS) * len(TAILS))
    vowel, tail = divmod(rest, len(TAILS))
    return LEADS[lead], VOWELS[vowel], TAILS[tail]


def _keys(jamo: str) -> str:
    """The keystrokes for one jamo: compounds split, everything else as is."""
    return SPLIT.get(jamo, jamo)


def decompose(text: str) -> str:
    """Each syllable and compound jamo as the keys typed for it; other characters unchanged."""
    out: list[str] = []
    for ch in text:
        if is_syllable(ch):
            out.extend(_keys(jamo) for jamo in _parts(ch))
        else:
            out.append(_keys(ch))
    return "".join(out)


@lru_cache(maxsize=1 << 16)
def decompose_word(word: str) -> str:
    """:func:`decompose`, memoised for the words of a build's texts, which recur article after
    article. Not for what readers type: every distinct query would stay in every server
    worker's cache until it is full (~14 MiB)."""
    return decompose(word)


# Vowels Seoul Korean says alike, so writers mix them up (벤쿠버 for 밴쿠버, 엑세스 for 액세스).
ALIKE_VOWELS = ("ㅐㅔ", "ㅒㅖ", "ㅙㅞㅚ")
MAX_ALIKE_SYLLABLES = 3  # a word's spellings double with each such syllable


def _vowel_slips() -> dict[str, str]:
    """Each vowel's slips: the compound vowels it begins or ends and the key it loses, the
    vowel keys beside it on its row (ㅓ, ㅏ), and the vowels said alike with it."""
    slips: dict[str, set[str]] = {vowel: set() for vowel in VOWELS}
    for compound, keys in SPLIT.items():
        if compound in slips:
            for key in keys:
                slips[compound].add(key)
                slips[key].add(compound)
    for row in ("qwertyuiop", "asdfghjkl", "zxcvbnm"):
        jamo = [QWERTY_TO_JAMO[key] for key in row]
        for left, right in pairwise(jamo):
            if left in slips and right in slips:
                slips[left].add(right)
                slips[right].add(left)
    for group in ALIKE_VOWELS:
        for vowel in group:
            slips[vowel].update(set(group) - {vowel})
    return {vowel: "".join(sorted(others)) for vowel, others in slips.items() if others}


VOWEL_SLIPS = _vowel_slips()


def alike_spellings(word: str) -> list[str]:
    """The other spellings of ``word`` with vowels said alike swapped (``배튼`` for ``베튼``);
    none when more than :data:`MAX_ALIKE_SYLLABLES` syllables have one."""
    choices = [_alike_syllables(ch) for ch in word]
    if sum(len(c) > 1 for c in choices) > MAX_ALIKE_SYLLABLES:
        return []
    spellings = ("".join(syllables) for syllables in product(*choices))
    return [spelling for spelling in spellings if spelling != word]


def _alike_syllables(ch: str) -> list[str]:
    """``ch`` and the syllables said alike (``베`` → ``배``, ``베``), or ``ch`` alone."""
    if not is_syllable(ch):
        return [ch]
    lead, vowel, tail = _parts(ch)
    group = next((g for g in ALIKE_VOWELS if vowel in g), vowel)
    return [_render(lead, alike, tail) for alike in group]


def slipped_vowels(word: str) -> list[str]:
    """``word`` with one syllable's vowel a key off as typed: a compound vowel's second key
    added or dropped (``어지러어요`` → ``어지러워요``, ``와`` → ``아``) or a vowel said alike."""
    spellings = []
    for at, ch in enumerate(word):
        if is_syllable(ch):
            lead, vowel, tail = _parts(ch)
            spellings += [
                word[:at] + _render(lead, other, tail) + word[at + 1 :]
                for other in VOWEL_SLIPS.get(vowel, "")
            ]
    return spellings


# Consonants a foreign sound is written with either way (s/z 솔론 or 졸론, d/t 펜딘 or 펜틴, ti
# 티 or 치, …): a syllable's lead swapped within its pair.
LOANWORD_LEADS = {
    "ㅅ": "ㅈ", "ㅈ": "ㅅㅊ", "ㅊ": "ㅈㅌ", "ㄷ": "ㅌ", "ㅌ": "ㄷㅊ",
    "ㅂ": "ㅍ", "ㅍ": "ㅂ", "ㄱ": "ㅋ", "ㅋ": "ㄱ",
}  # fmt: skip
MIN_LOANWORD_SYLLABLES = 3


def loanword_spellings(word: str) -> list[str]:
    """Other transliterations of a foreign word ``word`` may be, each one change away: an
    r-coloured ``르`` added or dropped (메트포민, 메트포르민), an ``ㄹ`` doubled before ``ㄹ`` or
    not (타일레놀, 타이레놀), ``i`` as ``ㅣ`` or ``아이`` (세티리진, 세티라이진), a consonant of
    :data:`LOANWORD_LEADS` swapped (프레드니졸론, 프레드니솔론). Only for words of three
    syllables or more: shorter ones are mostly Korean's own (``식후`` is no ``직후``)."""
    if len(word) < MIN_LOANWORD_SYLLABLES or not all(is_syllable(ch) for ch in word):
        return []
    parts = [_parts(ch) for ch in word]
    found: list[str] = []
    for i, (lead, vowel, tail) in enumerate(parts):
        before, after = word[:i], word[i + 1 :]
        following = parts[i + 1] if i + 1 < len(parts) else None
        if 0 < i < len(word) - 1 and not tail:
            found.append(before + word[i] + "르" + after)
        if 0 < i < len(word) - 1 and word[i] == "르":
            found.append(before + after)
        if following and following[0] == "ㄹ" and tail in ("", "ㄹ"):
            found.append(before + _render(lead, vowel, "ㄹ" if not tail else "") + after)
        if vowel == "ㅣ" and lead != "ㅇ":
            found.append(before + _render(lead, "ㅏ", "") + _render("ㅇ", "ㅣ", tail) + after)
        if vowel == "ㅏ" and not tail and following and following[:2] == ("ㅇ", "ㅣ"):
            found.append(before + _render(lead, "ㅣ", following[2]) + word[i + 2 :])
        found.extend(
            before + _render(other, vowel, tail) + after for other in LOANWORD_LEADS.get(lead, "")
        )
    return [spelling for spelling in dict.fromkeys(found) if spelling != word]


def _render(lead: str, vowel: str, tail: str) -> str:
    """One syllable from its parts, or the lone jamo when there is no lead+vowel pair."""
    if lead and vowel:
        index = (_LEAD_INDEX[lead] * len(VOWELS) + _VOWEL_INDEX[vowel]) * len(TAILS)
        return chr(SYLLABLE_FIRST + index + _TAIL_INDEX.get(tail, 0))
    return lead + vowel


def _split_tail(tail: str) -> tuple[str, str]:
    """(what stays as the final, what moves on as the next lead) when a vowel follows."""
    if tail in SPLIT:
        pair = SPLIT[tail]
        return pair[0], pair[1]
    return "", tail


def _split_compounds(text: str) -> str:
    """Compound compatibility jamo as their keys; syllables stay whole (compose's input)."""
    return "".join(_keys(ch) for ch in text)


@dataclass
class _Composer:
    """The 2-set IME automaton: one syllable in progress, finished text in ``out``."""

    out: list[str] = field(default_factory=list)
    lead: str = ""
    vowel: str = ""
    tail: str = ""

    def flush(self) -> None:
        """Finish the syllable in progress (possibly a lone jamo) and start empty."""
        self.out.append(_render(self.lead, self.vowel, self.tail))
        self.lead = self.vowel = self.tail = ""

    def _attach_tail(self, consonant: str) -> bool:
        """Take ``consonant`` as (part of) the final when the open syllable can hold it."""
        if not (self.lead and self.vowel):
            return False
        tail = JOIN.get(self.tail + consonant, "") if self.tail else consonant
        if tail not in _TAIL_INDEX:
            return False
        self.tail = tail
        return True

    def consonant(self, key: str) -> None:
        """A final when it fits; otherwise the lead of a new syllable."""
        if not self._attach_tail(key):
            self.flush()
            self.lead = key

    def vowel_key(self, key: str) -> None:
        """A vowel steals the last final as its lead, extends a vowel, or stands alone."""
        if self.tail:
            self.tail, moved = _split_tail(self.tail)
            self.flush()
            self.lead, self.vowel = moved, key
        elif not self.vowel:
            self.vowel = key
        elif (joined := JOIN.get(self.vowel + key)) is not None:
            self.vowel = joined
        else:
            self.flush()
            self.vowel = key

    def other(self, ch: str) -> None:
        """Anything that is not a jamo key ends the syllable and passes through."""
        self.flush()
        self.out.append(ch)


def compose(keys: str) -> str:
    """Keystroke jamo → the text a 2-set Korean IME shows once typing stops."""
    composer = _Composer()
    for key in _split_compounds(keys):
        if _is_vowel(key):
            composer.vowel_key(key)
        elif is_jamo(key):
            composer.consonant(key)
        else:
            composer.other(key)
    composer.flush()
    return "".join(composer.out)


# Every syllable's lead consonant, for str.translate: 7× faster than a loop per character, and
# a completion or 초성 table takes the 초성 of every title and tag word of the build.
_INITIALS = {code: LEADS[(code - SYLLABLE_FIRST) // (len(VOWELS) * len(TAILS))]
             for code in range(SYLLABLE_FIRST, SYLLABLE_LAST + 1)}  # fmt: skip


def initials(text: str) -> str:
    """The 초성 of every syllable (가바펜틴 → ㄱㅂㅍㅌ); other characters unchanged."""
    return text.translate(_INITIALS)


def is_initials(text: str) -> bool:
    """Whether a query is a 초성 query: only initial consonants, ignoring whitespace."""
    letters = [ch for ch in text if not ch.isspace()]
    return bool(letters) and all(ch in _LEAD_INDEX for ch in letters)


def _qwerty_key(ch: str) -> str:
    """The jamo on a Latin key; unshifted uppercase letters count as their lowercase key."""
    if not ch.isascii() or not ch.isalpha():
        return ch
    return QWERTY_TO_JAMO.get(ch) or QWERTY_TO_JAMO[ch.lower()]


def qwerty_to_hangul(text: str) -> str:
    """Hangul the reader meant when the IME was left in English mode (rkqkvpsxls → 가바펜틴)."""
    return compose("".join(_qwerty_key(ch) for ch in text))


def hangul_to_qwerty(text: str) -> str:
    """Latin text meant while the IME was left in Korean mode (ㅎ뮤메두샤ㅜ → gabapentin)."""
    return "".join(JAMO_TO_QWERTY.get(key, key) for key in decompose(text))


def _is_loose_jamo(ch: str) -> bool:
    """Any compatibility or conjoining jamo standing outside a syllable."""
    return any(first <= ord(ch) <= last for first, last in _LOOSE_JAMO_RANGES)


def is_plausible_hangul(text: str) -> bool:
    """Whether text looks like Korean words: some syllable, and no jamo left dangling."""
    return any(map(is_syllable, text)) and not any(map(_is_loose_jamo, text))


def _osa_row(
    a: Sequence[str], b: Sequence[str], i: int, before: list[int], prev: list[int]
) -> list[int]:
    """Row ``i`` of the optimal-string-alignment table from the two rows above it."""
    row = [i] + [0] * len(b)
    for j in range(1, len(b) + 1):
        best = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
        if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
            best = min(best, before[j - 2] + 1)
        row[j] = best
    return row


def _osa_distance(a: Sequence[str], b: Sequence[str], limit: int | None) -> int:
    """Damerau-Levenshtein (OSA); above ``limit`` it stops once every row minimum exceeds it.

    A row's minimum never decreases, so exceeding ``limit`` in one row is final.
    """
    gap = abs(len(a) - len(b))
    if limit is not None and gap > limit:
        return gap
    before: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        before, prev = prev, _osa_row(a, b, i, before, prev)
        if limit is not None and min(prev) > limit:
            return limit + 1
    return prev[-1]


def jamo_distance(a: str, b: str, limit: int | None = None) -> int:
    """Edits between the keystrokes of two words, so one mistyped key costs 1 (효늠 ~ 효능)."""
    return _osa_distance(decompose(a), decompose(b), limit)


def edit_distance(a: str, b: str, limit: int | None = None) -> int:
    """Edits between raw characters, for Latin words (seizrues ~ seizures)."""
    return _osa_distance(a, b, limit)
