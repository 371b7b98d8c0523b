"""Markdown in two forms: sanitized HTML for readers, plain text for the index and snippets."""

from __future__ import annotations

import re
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.parser_inline import ParserInline
from markdown_it.rules_inline.state_inline import Scanned, StateInline
from markdown_it.token import Token

# Bump when rendering changes: builds store each article's HTML and text, so one made by another
# renderer is refused and rebuilt (kb.schema.schema_version).
RENDERING = 2

# Hangul, kana, CJK ideographs and their punctuation and full-width forms.
CJK = re.compile(
    "[\u1100-\u11ff\u3000-\u303f\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff"
    "\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff00-\uffef\U00020000-\U0002fa1f]"
)


class _CjkFriendlyState(StateInline):
    """CommonMark's emphasis flanking, with the CJK-friendly amendment (tats-u/
    markdown-cjk-friendly): ``**생리통(월경통)**의`` is bold, as every Korean writer means, not
    literal asterisks. A CJK character beside a run counts as punctuation where punctuation
    lets a run open or close, and not where it stops one; runs without one parse as before."""

    def scanDelims(self, start: int, canSplitWord: bool) -> Scanned:
        scanned = super().scanDelims(start, canSplitWord)
        end = start + scanned.length
        before = self.src[start - 1] if start > 0 else " "
        after = self.src[end] if end < self.posMax else " "
        if (scanned.can_open and scanned.can_close) or not (_cjk(before) or _cjk(after)):
            return scanned
        stops_before = _punct(before) and not _cjk(before)
        stops_after = _punct(after) and not _cjk(after)
        lets_before = _punct(before) or _cjk(before)
        lets_after = _punct(after) or _cjk(after)
        space_before, space_after = isWhiteSpace(ord(before)), isWhiteSpace(ord(after))
        left = not space_after and (not stops_after or space_before or lets_before)
        right = not space_before and (not stops_before or space_after or lets_after)
        can_open = left and (canSplitWord or not right or lets_before)
        can_close = right and (canSplitWord or not left or lets_after)
        return Scanned(can_open, can_close, scanned.length)


class _CjkFriendlyInline(ParserInline):
    """The inline parser, scanning emphasis with :class:`_CjkFriendlyState`."""

    def parse(self, src: str, md: MarkdownIt, env: Any, tokens: list[Token]) -> list[Token]:
        state = _CjkFriendlyState(src, md, env, tokens)
        self.tokenize(state)
        for rule in self.ruler2.getRules(""):
            rule(state)
        return state.tokens


def _cjk(char: str) -> bool:
    return CJK.match(char) is not None


def _punct(char: str) -> bool:
    return isMdAsciiPunct(ord(char)) or isPunctChar(char)


_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_md.inline.__class__ = _CjkFriendlyInline  # same rules and their settings; only parse() differs

ALLOWED_TAGS = frozenset(
    """a abbr b blockquote br code em hr i li ol p pre strong sub sup table tbody td th thead tr
    ul del s h1 h2 h3 h4 h5 h6""".split()  # noqa: SIM905
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
BLOCK_TOKENS = frozenset({"paragraph_close", "heading_close", "list_item_close", "td_close"})


def to_html(markdown: str) -> str:
    """Rendered and sanitized: no script, no event attributes, only http(s)/mailto links."""
    return nh3.clean(
        _md.render(markdown),
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def to_plain_text(markdown: str) -> str:
    """The words a reader sees, one block per line, without Markdown syntax."""
    lines: list[str] = []
    current: list[str] = []
    for token in _md.parse(markdown):
        if token.type == "inline":
            current.extend(
                child.content if child.type != "softbreak" else " "
                for child in token.children or []
                if child.type in ("text", "code_inline", "softbreak")
            )
        elif token.type in ("fence", "code_block"):
            lines.append(token.content.strip())
        elif token.type in BLOCK_TOKENS and current:
            lines.append("".join(current).strip())
            current = []
    if current:
        lines.append("".join(current).strip())
    return "\n".join(line for line in lines if line)
