"""What an article is *not* for: its side effects, precautions and interactions, and the
sentences that say what the medicine does not treat.

A reader who names a symptom (``nausea``, ``두통``) wants what treats it. An article that lists
the symptom among its side effects, or says it does not help with it ("antibiotics do not work
against colds"), still matches, but more weakly: these words are indexed in a field of their own
(``aside_ko``, ``aside_en``), weighted below the body (``FieldWeights.aside``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from kb.markdown import to_plain_text
from kb.params import SearchParams
from kb.translating.sections import HEADING_RE, INTRO, Section, body_sections

#: Headings (case-folded, whitespace collapsed) that start an aside section, in either language;
#: a heading matches when it is one of them or goes on after it with a space or punctuation
#: (``side effects and warnings``, ``부작용 및 주의사항``), never within a word (``주의력``).
ASIDE_HEADINGS = (
    *("부작용", "이상반응", "이상 반응", "주의사항", "주의 사항", "주의할 점", "복용 시 주의사항"),
    *("경고", "상호작용", "약물 상호작용", "금기"),
    *("side effects", "adverse effects", "adverse reactions", "precautions", "warnings"),
    *("interactions", "drug interactions", "contraindications"),
)
#: Those of them that list side effects (a query asking which medicines cause a symptom looks
#: there, not among precautions, which also name what a medicine treats: "stop if the cough
#: lasts a week").
SIDE_EFFECT_HEADINGS = (
    *("부작용", "이상반응", "이상 반응"),
    *("side effects", "adverse effects", "adverse reactions"),
)


def _heading_re(headings: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("(?:" + "|".join(map(re.escape, headings)) + r")(?:\W|$)")


_ASIDE = _heading_re(ASIDE_HEADINGS)
_SIDE_EFFECTS = _heading_re(SIDE_EFFECT_HEADINGS)
# A query names them in the singular too (`nausea side effect`), or asks what causes a
# symptom (`drugs that cause cough`, `기침을 일으키는 약`, `기침 유발`: kb.intent).
_SINGULAR = (h.removesuffix("s") if h.isascii() else h for h in ASIDE_HEADINGS)
_CAUSING = ("cause", "causing", "일으키", "일으킨", "일으킬", "유발")
_SECTIONS = tuple(_SINGULAR)
_NAMED = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, (*_SECTIONS, *_CAUSING))) + ")")
_SECTION_NAMED = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, _SECTIONS)) + ")")
_NUMBERING = " \t.:)0123456789"  # "3. Side effects:" is the heading "side effects"
#: What makes a precaution a warning against the medicine, not advice about taking it: a
#: prohibition (`do not take it if you are pregnant`), or harm it does or risk it raises. A
#: reader who asks which medicines are bad in pregnancy wants losartan's "do not take it", not
#: amlodipine's "tell your doctor if you are pregnant", nor levothyroxine's "do not stop" (if
#: you become pregnant); stopping suddenly is a harm, though (`갑자기 끊으면 안 되는 약`).
_WARNS = re.compile(
    r"(?:^|[.:;]\s+)(?:do not|don't|never) (?!stop)|\bstop\w* (?:\w+ ){0,2}suddenly|갑자기 끊"
    r"|\b(?:avoid\w*|not recommended|should not|must not|not (?:be )?used|harm\w*|damage\w*"
    r"|danger\w*|risks? (?:of|is|are)|(?:increase|raise|add to)s? the|stopped|can cause"
    r"|may cause|more likely|serious\w*|worse\w*|fatal|death)\b"
    r"|안 ?[되됩돼]|(?<!끊)지 마|(?<!끊)지 말|말아야|않아야|않도록|쓰지 않|권장되지"
    r"|피하|피해|피할|삼가|금기|해를|해칠|손상|위험|중단|심해|심하게|악화|일으킬|부담|사망",
    re.IGNORECASE,
)

#: What makes a sentence outside the asides one about what the medicine does *not* do: it does
#: not work against, treat or replace something (`flu medicine` should not find amoxicillin by
#: "antibiotics do not work against colds and flu"). A condition is no denial: "take 2 if 1
#: does not help", "it does not work unless…", "1정으로 듣지 않으면", "치료하지 않을 경우".
_DENIES_EN = re.compile(
    r"\b(?:(?:do|does|did|will|would|can)(?:n't| not)|cannot) (?:work|help|treat|cure|relieve"
    r"|prevent|replace|kill)\b(?! alone| unless| if)|\bno effect\b"
    r"|\bnot (?:effective|useful|a (?:cure|treatment|substitute)|(?:be )?used (?:for|to|as))\b",
    re.IGNORECASE,
)
_DENIES_KO = re.compile(
    r"(?:효과가? 없|소용이? 없|(?:치료|대신|예방)하지(?:는|도)? (?:않|못)|듣지(?:는)? 않"
    r"|대신할 수 없|도움이 (?:되지 않|안 [되돼])|(?:쓰|사용하)면 안 [되됩돼])"
    r"(?!으면|다면|는다면|거나|[을는] 경우)"
)
_CONDITIONAL = re.compile(r"\b(?:if|unless|when|until)\b", re.IGNORECASE)
_CLAUSE_START = re.compile(r".*[,;:(]", re.DOTALL)
_SENTENCE = re.compile(r"[^\n]+?(?:[.!?](?=\s|$)|$)", re.MULTILINE)


def splitting_rules() -> tuple[str, ...]:
    """What decides which words go to which field: a build split by other rules is refused and
    rebuilt (kb.schema.schema_version), as one rendered by another renderer is."""
    return (*ASIDE_HEADINGS, *SIDE_EFFECT_HEADINGS, _WARNS.pattern, _DENIES_EN.pattern,
            _DENIES_KO.pattern, _CONDITIONAL.pattern, _CLAUSE_START.pattern,
            _SENTENCE.pattern)  # fmt: skip


def is_aside(heading: str) -> bool:
    """Whether a section under ``heading`` is about side effects, precautions and the like."""
    return _ASIDE.match(_heading_name(heading)) is not None


def lists_side_effects(heading: str) -> bool:
    """Whether a section under ``heading`` lists side effects (one kind of aside)."""
    return _SIDE_EFFECTS.match(_heading_name(heading)) is not None


def _heading_name(heading: str) -> str:
    return " ".join(heading.casefold().split()).strip(_NUMBERING)


def names_aside(query: str) -> bool:
    """Whether a reader's query asks for an aside (`가바펜틴 부작용은`, `gabapentin side effects`):
    some word starts with one of :data:`ASIDE_HEADINGS`, whatever particle follows, or with its
    singular (`side effect`)."""
    return _NAMED.search(" ".join(query.casefold().split())) is not None


def names_section(query: str) -> bool:
    """Whether a query names the side effects or precautions section itself (`zolpidem side
    effects`, `가바펜틴 주의사항`), not only what causes something (`what causes a rash`)."""
    return _SECTION_NAMED.search(" ".join(query.casefold().split())) is not None


def weighed_for(query: str, params: SearchParams) -> SearchParams:
    """``params`` for one query: a reader who asks for side effects or precautions (`nausea
    side effect`, `기침 부작용`) wants what causes a symptom as much as what treats it, so for
    that query they count as the rest of an article does, in ranking and in snippets."""
    if params.asides_complete or not names_aside(query):
        return params
    weights = replace(params.field_weights, aside=params.field_weights.body)
    return replace(params, asides_complete=True, field_weights=weights)


def split_asides(markdown: str, text: str) -> tuple[str, str, str]:
    """(body, asides, side effects): ``text``, the plain text of ``markdown``, with its aside
    sections blanked, with all else blanked, and with all but its side effects blanked. All
    keep ``text``'s length, so a word's character offsets (what snippets highlight) are the
    same in any of them."""
    spans = _with_denials(text, list(_aside_spans(markdown, text)))
    if not spans:
        return text, "", ""
    return (
        _kept(text, [(start, end) for start, end, _ in spans], keep=False),
        _kept(text, [(start, end) for start, end, _ in spans]),
        _kept(text, [(start, end) for start, end, effects in spans if effects]),
    )


def warnings_of(asides: str, effects: str) -> str:
    """``asides`` (of :func:`split_asides`) with only what warns against the medicine left:
    its side effects, and each precaution (a line: a list item, a paragraph) that forbids
    something or names a harm or a risk. A query asking which medicines are bad for
    something (kb.intent) looks there."""
    lines = zip(asides.split("\n"), effects.split("\n"), strict=True)
    return "\n".join(
        aside if effect.strip() or warns(aside) else _blank(aside) for aside, effect in lines
    )


def denies(sentence: str) -> bool:
    """Whether ``sentence`` says what a medicine does not do (not in a condition: "if 1 does
    not help, take 2")."""
    if _DENIES_KO.search(sentence):
        return True
    return any(
        not _CONDITIONAL.search(_CLAUSE_START.sub("", sentence[: found.start()]))
        for found in _DENIES_EN.finditer(sentence)
    )


def warns(line: str) -> bool:
    """Whether a precaution (one line) forbids something or names a harm or a risk."""
    return _WARNS.search(line) is not None


def _kept(text: str, spans: list[tuple[int, int]], keep: bool = True) -> str:
    """``text`` with only ``spans`` (or, not ``keep``, all but them) left unblanked."""
    out, cursor = [], 0
    for start, end in spans:
        before, inside = text[cursor:start], text[start:end]
        out += [_blank(before), inside] if keep else [before, _blank(inside)]
        cursor = end
    out.append(_blank(text[cursor:]) if keep else text[cursor:])
    return "".join(out)


def _with_denials(text: str, spans: list[tuple[int, int, bool]]) -> list[tuple[int, int, bool]]:
    """``spans`` (aside sections) with each sentence outside them that :func:`denies`, in order:
    it is an aside too, of no side effect."""
    if not (_DENIES_EN.search(text) or _DENIES_KO.search(text)):
        return spans  # most articles: no sentence to read
    bounds = [0, *(edge for start, end, _ in spans for edge in (start, end)), len(text)]
    denials = [
        (at + found.start(), at + found.end(), False)
        for at, end in zip(bounds[::2], bounds[1::2], strict=True)
        for found in _SENTENCE.finditer(text[at:end])
        if denies(found.group())
    ]
    return sorted(spans + denials) if denials else spans


def _aside_spans(markdown: str, text: str) -> Iterator[tuple[int, int, bool]]:
    """Where each aside section's plain text lies in ``text``, and whether it lists side
    effects. A section whose text can't be found where expected (Markdown that renders across
    sections) stays in the body."""
    sections = [s for s in body_sections(markdown) if s.id != INTRO]
    asides = list(_asides(sections))
    if all(aside is None for aside in asides):
        return  # most articles: no second parse
    cursor = 0
    for section, aside in zip(sections, asides, strict=True):
        plain = to_plain_text(section.text)
        at = text.find(plain, cursor) if plain else -1
        if at < 0:
            continue
        cursor = at + len(plain)
        if aside is not None:
            yield at, cursor, aside


def _asides(sections: list[Section]) -> Iterator[bool | None]:
    """Whether each section is an aside listing side effects (True), another aside (False) or
    no aside (None): under an aside heading, or under a deeper heading inside one (``###
    Serious`` under ``## Side effects``)."""
    inside: int | None = None  # the level of the aside heading the sections are under
    effects = False
    for section in sections:
        level = _level(section)
        if inside is None or level <= inside:
            heading = to_plain_text(section.heading)
            inside = level if is_aside(heading) else None
            effects = lists_side_effects(heading)
        yield None if inside is None else effects


def _level(section: Section) -> int:
    """The heading's level: 2 for ``## …``."""
    found = HEADING_RE.match(section.text.split("\n", 1)[0])
    return len(found.group(1)) if found else 1


def _blank(text: str) -> str:
    """``text`` as spaces, line breaks kept (sentence and line structure stay as they were)."""
    return "".join(c if c == "\n" else " " for c in text)
