"""Markdown in two forms: sanitized HTML for readers, plain text for the index and snippets."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

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
