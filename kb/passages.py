"""The passages of an article that meaning-based search compares a query with.

A translation gives its head (title and summary, or title and opening when it has no summary)
and each section under a heading, as plain text the encoder reads whole: a long section is cut
into several passages, each under its heading, so its last sentences count as much as its
first. Cuts fall where a sentence or a block (a list item, a paragraph) ends, so no passage is
a scrap of a sentence. The head stays one passage, the article's gist: a text without headings
is not cut, since every passage is a row each query is compared with. The counts are bounded so
that embedding costs a build, and a query, a known amount per article, whatever its size.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from kb.asides import is_aside
from kb.content import Article
from kb.markdown import to_plain_text
from kb.translating.sections import HEADING_RE, INTRO, body_sections

MAX_CHARS = 600  # of one passage: what the encoder reads well in one vector
MAX_SECTIONS = 8  # per translation, after the head
MAX_PIECES = 3  # of one section: past them, a long section is left to its words
HEAD = 0  # passage number of the head; the sections' pieces count from 1
SENTENCE_END = re.compile(r"(?<=[.!?。])\s+")
# A thematic break after a blank line (`---` right under a line of text underlines a heading)
THEMATIC_BREAK = re.compile(
    r"(?:\A|\n[ \t]*\n) {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})(?=\n|\Z)"
)

KEY_WIDTH = 32  # hex digits of a passage key: what ``vectors.json`` stores each key in


@dataclass(frozen=True)
class Passage:
    """Passage ``number`` of one translation (``HEAD`` or a section), with ``text`` to embed."""

    slug: str
    locale: str
    number: int
    heading: str
    body: str  # the passage's own words, as a result shows them
    text: str  # what is embedded: the heading (or title) and the body, clipped

    @property
    def aside(self) -> bool:
        """Whether it is among the side effects or precautions (see :class:`PassageRow`)."""
        return is_aside(self.heading)

    def key(self, model_version: str) -> str:
        """What a stored vector is reused by: the model and the exact text it embedded."""
        return hashlib.sha256(f"{model_version}\n{self.text}".encode()).hexdigest()[:KEY_WIDTH]


def article_passages(article: Article) -> list[Passage]:
    """Every passage of every translation of ``article``."""
    return [
        passage
        for locale, tr in article.translations.items()
        for passage in translation_passages(article.slug, locale, tr.title, tr.summary, tr.body)
    ]


def translation_passages(
    slug: str, locale: str, title: str, summary: str, markdown: str
) -> list[Passage]:
    """The head (title with the summary, or with the start of the opening text when there is
    no summary) and each section of one translation, a long one in pieces."""
    intro, sections = split_sections(_without_closing_note(markdown))
    lead = summary or intro
    out = [Passage(slug, locale, HEAD, title, lead, clip(f"{title}\n{lead}" if lead else title))]
    if summary and intro:
        sections.insert(0, ("", intro))
    for heading, body in sections[:MAX_SECTIONS]:
        for part in pieces(body, _room(heading)):
            text = clip(f"{heading}\n{part}" if heading else part)
            out.append(Passage(slug, locale, len(out), heading, part, text))
    return out


def _without_closing_note(markdown: str) -> str:
    """``markdown`` without what follows its last thematic break when no heading does: the
    note every article closes with ("general information, not medical advice") says nothing
    of the section before it, whose passage it would join."""
    breaks = list(THEMATIC_BREAK.finditer(markdown))
    after = markdown[breaks[-1].end() :].splitlines() if breaks else []
    if not breaks or any(HEADING_RE.match(line) for line in after):
        return markdown
    return markdown[: breaks[-1].start()]


def pieces(text: str, limit: int = MAX_CHARS, most: int = MAX_PIECES) -> list[str]:
    """``text`` (one block a line) in at most ``most`` consecutive pieces of at most ``limit``
    characters, cut where sentences or blocks end, else between words: one vector per piece
    keeps every part of a long section in view. A list's items end without a full stop, so
    cutting at sentence ends alone left scraps (`fall or a blow to the head.`) that matched
    queries by themselves, and were all a result found by meaning showed."""
    out: list[str] = []
    length = 0
    for sep, unit in _units(text, limit):
        if out and length + len(sep) + len(unit) <= limit:
            out[-1] += sep + unit
            length += len(sep) + len(unit)
        elif len(out) < most:
            out.append(unit)
            length = len(unit)
        else:
            break  # past them, a long section is left to its words
    return out or [""]


# A sentence (or part of one) and what joins it to the one before: a space, or a line break
# between blocks.
Unit = tuple[str, str]


def _units(text: str, limit: int) -> Iterator[Unit]:
    """The sentences of each block of ``text``, a sentence longer than ``limit`` cut between
    words, each with what joins it to the one before."""
    sep = ""
    for block in text.splitlines():
        for sentence in SENTENCE_END.split(" ".join(block.split())):
            while len(sentence) > limit:
                head = clip(sentence, limit)
                yield sep, head
                sep, sentence = " ", sentence[len(head) :].lstrip()
            if sentence:
                yield sep, sentence
                sep = " "
        sep = "\n"


def _room(heading: str) -> int:
    """What is left of a passage's length for its text once its heading is in."""
    return max(MAX_CHARS - len(heading) - 1, MAX_CHARS // 2)


def split_sections(markdown: str) -> tuple[str, list[tuple[str, str]]]:
    """(text before the first heading, [(heading, text), …]) as plain text, one block a line,
    cut where the translators' sections are (kb.translating.sections: anchors removed, code
    fences kept)."""
    intro = ""
    sections: list[tuple[str, str]] = []
    for section in body_sections(markdown):
        if section.id == INTRO:
            intro = plain_blocks(section.text)
            continue
        text = plain_blocks(section.text.split("\n", 1)[1] if "\n" in section.text else "")
        if text or section.heading:
            sections.append((plain_text(section.heading), text))
    return intro, sections


def plain_text(markdown: str) -> str:
    """The words a reader sees (kb.markdown's plain text), whitespace collapsed."""
    return " ".join(to_plain_text(markdown).split())


def plain_blocks(markdown: str) -> str:
    """The words a reader sees, one block (a paragraph, a list item) a line, each line's
    whitespace collapsed: where a passage may end, and how a result shows its items apart."""
    lines = (" ".join(line.split()) for line in to_plain_text(markdown).splitlines())
    return "\n".join(line for line in lines if line)


def clip(text: str, limit: int = MAX_CHARS) -> str:
    """The first ~``limit`` characters of ``text`` (whitespace collapsed), cut at a space when
    there is one late enough, so no word is cut in two."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit]
    space = cut.rfind(" ")
    return cut[:space] if space > limit // 2 else cut
