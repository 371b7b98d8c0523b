"""Front matter: the YAML mapping at the top of every ``<locale>.md``, read three ways that agree.

Most front matter is ``key: text`` lines, ``[a, b]`` tag lists, a folded summary and the
``translated_from`` block: :func:`simple_front_matter` reads exactly that in plain Python (every
plain word resolved by PyYAML's own resolver) and declines anything else. Then libyaml's parser
with a direct build of text, lists and mappings; then PyYAML's pure loader, which is the strict
one: it refuses anchors, aliases, deep nesting and repeated keys and words every error with its
line. ``translations status`` reads 20,000 of these at 10,000 articles.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

import yaml

MAX_YAML_DEPTH = 20  # front matter is flat; this is room for unknown keys' nested values
FAST_YAML_CHARS = 16_384  # front matter longer than this is read by the strict (pure) loader
# What PyYAML's pure reader refuses (libyaml may differ): such front matter takes the strict path.
NON_PRINTABLE_RE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
FIRST_LINE = 2  # the front matter's first line in the file (after the opening ``---``)


class FrontMatterError(ValueError):
    """Front matter that can't be read or is refused, at ``line`` of the file."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def parse_front_matter(source: str) -> tuple[dict[str, Any], dict[str, int]]:
    """The mapping and the file line of each top-level key; raises :class:`FrontMatterError`."""
    simple = simple_front_matter(source)
    if simple is not None:
        return simple
    parsed = _fast_front_matter(source)
    if parsed is None:
        try:
            parsed = _compose_and_construct(FrontMatterLoader(source))
        except Refused as exc:
            raise FrontMatterError(_line(exc), str(exc.problem)) from None
        except yaml.MarkedYAMLError as exc:
            problem = exc.problem or "invalid YAML"
            raise FrontMatterError(_line(exc), f"bad YAML in front matter: {problem}") from None
        except yaml.reader.ReaderError as exc:
            line = source.count("\n", 0, exc.position) + FIRST_LINE
            message = f"bad YAML in front matter: unacceptable character U+{exc.character:04X}"
            raise FrontMatterError(line, message) from None
    node, data = parsed
    if not isinstance(data, dict):
        raise FrontMatterError(FIRST_LINE, "front matter must be a mapping of key: value lines")
    key_lines = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            key_lines[str(key_node.value)] = key_node.start_mark.line + FIRST_LINE
    return {str(k): v for k, v in data.items()}, key_lines


# -- the plain-Python reader -----------------------------------------------------------------

KEY_RE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?\Z")
BLOCK_HEADERS = {">-": (" ", ""), ">": (" ", "\n"), "|-": ("\n", ""), "|": ("\n", "\n")}
PLAIN_FIRST = frozenset("-?:,[]{}#&*!|>'\"%@`")  # indicators: a plain word can't start so here
# Tabs, comments, escapes, and what YAML (not Python's split) counts as a line break or a mark.
YAML_SPECIAL = ("\t", "#", "\\", "\r", "\x85", "\u2028", "\u2029", "\ufeff")
ISO_DATE_RE = re.compile(r"\d{4}-\d\d-\d\d\Z")
RESOLVER = yaml.resolver.Resolver()  # PyYAML's: what a plain word means (text, date, bool…)
# First characters PyYAML tries to resolve at all (a word starting otherwise is text); all of
# them when it has a rule for any first character.
RESOLVED_FIRST = (
    None
    if None in RESOLVER.yaml_implicit_resolvers
    else frozenset(RESOLVER.yaml_implicit_resolvers)
)


class Unusual(Exception):
    """Front matter the plain reader leaves to YAML."""


def simple_front_matter(source: str) -> tuple[dict[str, Any], dict[str, int]] | None:
    """The common shape of front matter read without YAML's machinery, or None for anything
    else (comments, tabs, multi-line plain or quoted text, escapes, numbers, nulls…): the
    same mapping and key lines the YAML loaders give, or no answer."""
    if any(c in source for c in YAML_SPECIAL) or NON_PRINTABLE_RE.search(source):
        return None
    lines = source.split("\n")
    key_lines: dict[str, int] = {}
    try:
        mapping, end = _mapping(lines, 0, 0, 1, key_lines)
    except Unusual:
        return None
    if end < len(lines) or not mapping:
        return None
    return mapping, key_lines


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _mapping(
    lines: list[str], at: int, indent: int, depth: int, key_lines: dict[str, int] | None
) -> tuple[dict[str, Any], int]:
    """The block mapping whose keys start at column ``indent`` from line ``at``, and the line
    after it."""
    if depth > MAX_YAML_DEPTH:
        raise Unusual
    mapping: dict[str, Any] = {}
    while at < len(lines):
        line = lines[at]
        words = line.lstrip(" ")
        if not words:
            at += 1
            continue
        if len(line) - len(words) < indent:
            break
        matched = KEY_RE.match(words) if len(line) - len(words) == indent else None
        if matched is None:
            raise Unusual
        key, rest = matched.group(1), (matched.group(2) or "").rstrip(" ")
        if key in mapping or not _text_key(key):
            raise Unusual
        if key_lines is not None:
            key_lines[key] = at + FIRST_LINE
        at += 1
        if rest in BLOCK_HEADERS:
            mapping[key], at = _block(lines, at, indent, rest)
        elif rest:
            mapping[key] = _scalar(rest)
        else:
            nested = next((n for n in range(at, len(lines)) if lines[n].strip(" ")), len(lines))
            if nested == len(lines) or _indent(lines[nested]) <= indent:
                raise Unusual  # an empty value: null
            mapping[key], at = _mapping(lines, nested, _indent(lines[nested]), depth + 1, None)
    return mapping, at


@lru_cache(maxsize=1024)  # the keys files use again and again, not every key ever seen
def _text_key(key: str) -> bool:
    """Whether YAML reads the key ``key`` as text (``yes:`` is True, ``null:`` None)."""
    try:
        return _plain(key, flow=False) == key
    except Unusual:
        return False


def _block(lines: list[str], at: int, indent: int, header: str) -> tuple[str, int]:
    """A folded (``>``) or literal (``|``) block of equally indented, non-blank lines without
    trailing spaces (blank or more-indented lines fold differently: YAML's)."""
    joiner, ending = BLOCK_HEADERS[header]
    body: list[str] = []
    width = _indent(lines[at]) if at < len(lines) else 0
    while at < len(lines) and lines[at].strip(" ") and _indent(lines[at]) > indent:
        line = lines[at]
        if _indent(line) != width or line != line.rstrip(" "):
            raise Unusual
        body.append(line[width:])
        at += 1
    if not body or (at < len(lines) and not lines[at].strip(" ")):
        raise Unusual
    return joiner.join(body) + (ending if at < len(lines) else ""), at  # clip: a final break


def _scalar(text: str) -> Any:
    """A one-line value: quoted text without escapes, a ``[a, b]`` list of plain words, or a
    plain word."""
    first = text[0]
    if first == '"':
        inner = text[1:-1]
        if len(text) < 2 or text[-1] != '"' or '"' in inner:
            raise Unusual
        return inner
    if first == "'":
        inner = text[1:-1]
        if len(text) < 2 or text[-1] != "'" or "'" in inner.replace("''", ""):
            raise Unusual
        return inner.replace("''", "'")
    if first == "[":
        inner = text[1:-1]
        if text[-1] != "]" or any(c in inner for c in "[]{}"):
            raise Unusual
        if not inner.strip(" "):
            return []
        return [_plain(item.strip(" "), flow=True) for item in inner.split(",")]
    return _plain(text, flow=False)


def _plain(text: str, *, flow: bool) -> Any:
    """A plain word as PyYAML resolves it: text, or an ISO date; anything else is Unusual."""
    if not text or text[0] in PLAIN_FIRST or ": " in text or text.endswith(":"):
        raise Unusual
    if flow and ":" in text:
        raise Unusual
    if RESOLVED_FIRST is not None and text[0] not in RESOLVED_FIRST:
        return text
    tag = RESOLVER.resolve(yaml.ScalarNode, text, (True, False))
    if tag == "tag:yaml.org,2002:str":
        return text
    if tag == "tag:yaml.org,2002:timestamp" and ISO_DATE_RE.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise Unusual from None
    raise Unusual


def text_scalar(text: str) -> str:
    """``text`` written so YAML reads it back as text: plain where it already is, quoted where a
    plain word would be something else (a hash of digits only reads as a number)."""
    try:
        if _plain(text, flow=False) == text:
            return text
    except Unusual:
        pass
    return "'" + text.replace("'", "''") + "'"


# -- the YAML readers ------------------------------------------------------------------------


def _compose_and_construct(loader: yaml.SafeLoader) -> tuple[Any, Any]:
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node) if node is not None else {}
    finally:
        loader.dispose()


def _fast_front_matter(source: str) -> tuple[Any, Any] | None:
    """libyaml's parser and a direct build of plain text, lists and mappings (the bulk of
    every file: ``translations status`` reads 20,000) for front matter that cannot hold what
    the strict loader refuses; None: use the strict one, which also words every error."""
    if FastFrontMatterLoader is None or "&" in source or "*" in source:
        return None  # anchors and aliases need the strict composer's check
    if len(source) > FAST_YAML_CHARS or source.count("[") + source.count("{") > MAX_YAML_DEPTH:
        return None  # libyaml's composer recurses natively: only shallow text goes there
    if NON_PRINTABLE_RE.search(source):
        return None
    loader = FastFrontMatterLoader(source)
    try:
        node = loader.get_single_node()
        return node, _construct(node, loader, 1) if node is not None else {}
    except Exception:  # every problem is reported by the strict loader, with its line
        return None
    finally:
        loader.dispose()


STR_TAG, SEQ_TAG, MAP_TAG = (f"tag:yaml.org,2002:{t}" for t in ("str", "seq", "map"))


def _construct(node: yaml.Node, loader: Any, depth: int) -> Any:
    """What the safe loader builds from ``node``, without its per-node dispatch for text,
    lists and mappings; other scalars (dates, numbers, yes/no) go through ``loader``. Raises
    on what the strict loader refuses (deep nesting, a repeated or unusual key)."""
    if depth > MAX_YAML_DEPTH:
        raise ValueError("nested too deep")
    tag = node.tag
    if isinstance(node, yaml.ScalarNode):
        return node.value if tag == STR_TAG else loader.construct_object(node, deep=True)
    if isinstance(node, yaml.SequenceNode) and tag == SEQ_TAG:
        return [_construct(item, loader, depth + 1) for item in node.value]
    if not (isinstance(node, yaml.MappingNode) and tag == MAP_TAG):
        raise ValueError(f"unusual node {tag}")
    mapping: dict[Any, Any] = {}
    seen: set[str] = set()
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.value in seen:
            raise ValueError("unusual or repeated key")
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise ValueError("merge key")
        seen.add(key_node.value)
        key = _construct(key_node, loader, depth + 1)
        mapping[key] = _construct(value_node, loader, depth + 1)
    return mapping


def _line(exc: yaml.MarkedYAMLError) -> int:
    """The file line of a YAML error in the front matter (which starts on line 2)."""
    mark = exc.problem_mark or exc.context_mark
    return mark.line + FIRST_LINE if mark is not None else 1


class Refused(yaml.MarkedYAMLError):
    """Front matter that is valid YAML but refused: its ``problem`` is the whole message."""


class StrictConstruction:
    """Constructor rules of both loaders: a repeated key (the last one silently won) and a value
    Python can't build (``2026-02-30``, a 5,000-digit number) are errors at their line instead of
    a silent overwrite or a ``ValueError``."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Any:
        seen: set[str] = set()
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    message = f"duplicate key {key.value!r}: give each key once"
                    raise Refused(None, None, message, key.start_mark)
                seen.add(key.value)
        return super().construct_mapping(node, deep)  # type: ignore[misc]

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)  # type: ignore[misc]
        except (ValueError, OverflowError) as exc:
            value = str(node.value)
            shown = repr(value if len(value) <= 40 else value[:40] + "…")
            what = "not a real date" if node.tag.endswith(":timestamp") else "cannot read"
            raise Refused(None, None, f"{what} {shown} ({exc})", node.start_mark) from None


class FrontMatterLoader(StrictConstruction, yaml.SafeLoader):
    """PyYAML's safe loader without the ways a small file becomes a big or slow one: anchors
    and aliases (billion laughs), nesting past :data:`MAX_YAML_DEPTH` (the composer recurses),
    a repeated key (the last one silently won); a value Python can't build (``2026-02-30``, a
    5,000-digit number) is an error at its line instead of a ``ValueError``."""

    def __init__(self, source: str) -> None:
        super().__init__(source)
        self.depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise Refused(
                None, None, "anchors and aliases (&, *) are not allowed", event.start_mark
            )
        if self.depth >= MAX_YAML_DEPTH:
            message = f"front matter nested deeper than {MAX_YAML_DEPTH} levels"
            raise Refused(None, None, message, event.start_mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


# libyaml's parser with the same constructor; absent when PyYAML was built without libyaml.
FastFrontMatterLoader: Any = (
    type("FastFrontMatterLoader", (StrictConstruction, yaml.CSafeLoader), {})
    if getattr(yaml, "__with_libyaml__", False)
    else None
)
