"""The amounts a translation must carry over from its source: a dose changed or dropped in
translation ("하루 4,000mg" turned into "3,000 mg a day") is the mistake a reader can least afford.

An amount is a number, or a range of two, with its unit, compared in one unit per kind
(4,000mg = 4g, 50마이크로그램 = 0.05 mg, 15~30mg = 15–30 mg = 15 to 30 mg). A translation may
add amounts of its own (its market's strengths); it is warned only of the source's it lacks,
section by section.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from kb.analysis.korean import KOREAN_UNITS
from kb.content import Translation
from kb.translating.checks import section_pairs

#: Units of one kind, as multiples of the one they are compared in (mass in mg, volume in ml).
SCALES = {
    "mg": ("mg", 1.0), "mcg": ("mg", 0.001), "µg": ("mg", 0.001), "μg": ("mg", 0.001),
    "ug": ("mg", 0.001), "g": ("mg", 1000.0), "kg": ("mg", 1_000_000.0),
    "ml": ("ml", 1.0), "l": ("ml", 1000.0), "dl": ("ml", 100.0), "liter": ("ml", 1000.0),
    "liters": ("ml", 1000.0), "litre": ("ml", 1000.0), "litres": ("ml", 1000.0),
    "iu": ("iu", 1.0), "%": ("%", 1.0), "percent": ("%", 1.0), "퍼센트": ("%", 1.0),
}  # fmt: skip
_UNITS = sorted({*SCALES, *KOREAN_UNITS}, key=len, reverse=True)
_NUMBER = r"\d+(?:[.,]\d+)*"
_RANGE = re.compile(r"\s*(?:~|–|-|\bto\b)\s*")
AMOUNT_RE = re.compile(
    rf"(?<![\w.,])({_NUMBER}(?:{_RANGE.pattern}{_NUMBER})?)\s?"
    rf"({'|'.join(map(re.escape, _UNITS))})(?![A-Za-z])",
    re.IGNORECASE,
)


class Amount(NamedTuple):
    """A number or a range, in the unit its kind is compared in, as the text wrote it."""

    low: float
    high: float
    unit: str
    written: str


def amounts(text: str) -> dict[tuple[float, float, str], Amount]:
    """The amounts ``text`` gives, keyed by value (a Korean particle may follow the unit:
    `4,000mg을`)."""
    found: dict[tuple[float, float, str], Amount] = {}
    for match in AMOUNT_RE.finditer(text):
        written = match.group(2)
        unit = KOREAN_UNITS.get(written, written).lower()
        base, scale = SCALES.get(unit, (unit, 1.0))
        numbers = [float(n.replace(",", "")) * scale for n in _RANGE.split(match.group(1))]
        key = (round(min(numbers), 6), round(max(numbers), 6), base)
        found.setdefault(key, Amount(*key, written=" ".join(match.group().split())))
    return found


def amount_warnings(source: Translation, translation: Translation) -> list[str]:
    """Per section, the source's amounts its translation does not give, in words a translator
    can act on."""
    warnings = []
    for section, other in section_pairs(source, translation):
        theirs = amounts(other)
        lacking = [a.written for key, a in amounts(section.text).items() if key not in theirs]
        if lacking:
            warnings.append(
                f"section {section.id}: the source gives {', '.join(lacking)}; "
                f"the {translation.locale} translation does not"
            )
    return warnings
