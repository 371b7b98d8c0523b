"""Articles on disk: ``<content>/<slug>/<locale>.md``, YAML front matter plus a Markdown body.

The layout is a contract other tools generate, so loading never guesses: every problem is collected
as a :class:`ContentError` carrying ``path:line`` and the whole folder is rejected if any exists.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kb.translating.provenance import KEY as PROVENANCE
from kb.translating.provenance import Provenance, parse_provenance
from kb.translating.sections import anchor_problems

BUNDLED_CONTENT = Path(__file__).with_name("articles")
LOCALES: tuple[str, ...] = ("ko", "en")
DRAFT = "draft"  # `draft: true`: a translation in progress, not published (readers get the other)
SLUG_RE = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
KNOWN_KEYS = frozenset({"title", "summary", "tags", "category", "updated", PROVENANCE, DRAFT})
FENCE = "---"
# The largest <locale>.md accepted: ~240x the longest bundled article (4.4 KB), about 350,000
# Hangul syllables or a 170,000-word English book. An article this size views and searches like
# a small one and builds in seconds in English, 1-2 minutes in Korean (README, Content); the
# 52 MB file that prompted the limit built in 262 s at 2.2 GB and then timed out every view.
MAX_ARTICLE_BYTES = 1 << 20  # 1 MiB
MAX_YAML_DEPTH = 20  # front matter is flat; this is room for unknown keys' nested values
FAST_YAML_CHARS = 16_384  # front matter longer than this is read by the strict (pure) loader
# C0 and C1 controls and DEL: text never needs them (tab, LF and CR excepted), and a NUL in a
# title reaches HTML, JSON and terminals.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# What PyYAML's pure reader refuses (libyaml may differ): such front matter takes the strict path.
NON_PRINTABLE_RE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


@dataclass(frozen=True)
class ContentError:
    """One problem, printed as ``path:line: message`` like a compiler would (line 0: a folder)."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


class ContentInvalid(Exception):
    """Raised when a content folder has problems; carries every one of them."""

    def __init__(self, errors: Sequence[ContentError]):
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass(frozen=True)
class Translation:
    """One locale of an article, as written by its author."""

    slug: str
    locale: str
    title: str
    body: str
    path: Path
    summary: str = ""
    tags: tuple[str, ...] = ()
    category: str = ""
    updated: dt.date | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    provenance: Provenance | None = None  # which source version it was translated from
    draft: bool = False


@dataclass(frozen=True)
class Article:
    """An article and its translations (one or both of :data:`LOCALES`)."""

    slug: str
    translations: dict[str, Translation]
    content_hash: str

    @property
    def locales(self) -> list[str]:
        return [loc for loc in LOCALES if loc in self.translations]


def normalize_text(text: str) -> str:
    """NFC, so that Hangul typed on any system (macOS writes NFD) compares equal."""
    return unicodedata.normalize("NFC", text)


def load_content(roots: Path | Sequence[Path]) -> list[Article]:
    """Load every article under one or more content folders, or raise :class:`ContentInvalid`."""
    articles, errors = scan_content(roots)
    if errors:
        raise ContentInvalid(errors)
    return articles


def check_content(roots: Path | Sequence[Path]) -> list[ContentError]:
    """Every problem in the content folders (empty when they would index cleanly)."""
    return scan_content(roots)[1]


def scan_content(roots: Path | Sequence[Path]) -> tuple[list[Article], list[ContentError]]:
    """Load what is valid and collect what is not, in a stable (slug) order."""
    errors: list[ContentError] = []
    articles = load_articles(find_articles(roots, errors), errors)
    articles.sort(key=lambda a: a.slug)
    return articles, errors


@dataclass(frozen=True)
class ArticleFiles:
    """An article folder as found on disk, not yet read: enough to fingerprint it cheaply."""

    slug: str
    folder: Path
    files: tuple[Path, ...]  # the ``<locale>.md`` files of known locales, sorted

    def read(self) -> list[tuple[Path, bytes]]:
        return [(path, path.read_bytes()) for path in self.files]

    def content_hash(self) -> str:
        """The hash :class:`Article` records, from the raw bytes alone (no parsing)."""
        return content_hash(self.read())


def content_hash(raw_files: Iterable[tuple[Path, bytes]]) -> str:
    """SHA-256 over each file's locale, length and bytes: any edit to any translation shows."""
    digest = hashlib.sha256()
    for path, raw in raw_files:
        digest.update(f"{path.stem}\0{len(raw)}\0".encode())
        digest.update(raw)
    return digest.hexdigest()


def find_articles(
    roots: Path | Sequence[Path], errors: list[ContentError]
) -> Iterator[ArticleFiles]:
    """Article folders with their translation files, without reading them; problems of the
    layout itself (slug, duplicate, locale, no file, size, symlinks) go to ``errors``."""
    roots = [Path(roots)] if isinstance(roots, (str, Path)) else [Path(r) for r in roots]
    seen: dict[str, Path] = {}
    for root in roots:
        if not root.is_dir():
            errors.append(ContentError(root, 0, "content folder does not exist"))
            continue
        inside = root.resolve()
        for name in _entries(root, inside, errors, directories=True):
            files = _article_files(root / name, inside, seen, errors)
            if files is not None:
                yield files


def _article_files(
    folder: Path, inside: Path, seen: dict[str, Path], errors: list[ContentError]
) -> ArticleFiles | None:
    slug = normalize_text(folder.name)
    if not SLUG_RE.match(slug):
        errors.append(ContentError(folder, 0, f"bad slug {slug!r}: use [a-z0-9][a-z0-9-]*"))
        return None
    if slug in seen:
        errors.append(ContentError(folder, 0, f"duplicate slug {slug!r} (also at {seen[slug]})"))
        return None
    seen[slug] = folder
    before = len(errors)
    files = [folder / n for n in _entries(folder, inside, errors, directories=False)]
    for path in files:
        if path.stem not in LOCALES:
            message = f"unknown locale {path.stem!r}: name the file ko.md or en.md"
            errors.append(ContentError(path, 1, message))
        elif (too_large := _size_error(path, path.stat().st_size)) is not None:
            errors.append(too_large)
    if len(errors) > before:
        return None
    if not files:
        errors.append(ContentError(folder, 0, "no translations: add ko.md and/or en.md"))
        return None
    return ArticleFiles(slug, folder, tuple(files))


def _size_error(path: Path, size: int) -> ContentError | None:
    """The file is over :data:`MAX_ARTICLE_BYTES`, or None."""
    if size <= MAX_ARTICLE_BYTES:
        return None
    return ContentError(path, 1, f"file is {size} bytes; the limit is {MAX_ARTICLE_BYTES}")


def _entries(
    folder: Path, inside: Path, errors: list[ContentError], *, directories: bool
) -> list[str]:
    """Sorted names of the article folders (not hidden) or ``.md`` files of ``folder``.

    A symlink among them must resolve to somewhere under ``inside`` (the content folder): one
    leading outside (``/etc/passwd``), looping or leading nowhere is reported and left out.
    ``scandir`` spares a ``stat`` per plain entry, which counts when an update lists 10,000
    folders.
    """
    wanted = _is_article_name if directories else _is_translation_name
    names = []
    with os.scandir(folder) as scan:
        entries = sorted((e for e in scan if wanted(e.name)), key=lambda e: e.name)
    for entry in entries:
        if entry.is_symlink() and not _symlink_inside(Path(entry.path), inside, errors):
            continue
        if entry.is_dir() if directories else entry.is_file():
            names.append(entry.name)
    return names


def _is_article_name(name: str) -> bool:
    return not name.startswith(".")


def _is_translation_name(name: str) -> bool:
    return name.endswith(".md") and name != ".md"


def _symlink_inside(link: Path, inside: Path, errors: list[ContentError]) -> bool:
    """Whether ``link`` resolves to an existing path under ``inside``; else report why not."""
    try:
        os.stat(link)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            message = "symlink loop"
        elif exc.errno == errno.ENOENT:
            message = f"broken symlink ({os.path.realpath(link)})"
        else:
            message = f"cannot follow symlink: {exc.strerror}"
        errors.append(ContentError(link, 0, message))
        return False
    target = Path(os.path.realpath(link))
    if not target.is_relative_to(inside):
        message = f"symlink leads outside the content folder ({target})"
        errors.append(ContentError(link, 0, message))
        return False
    return True


def load_articles(found: Iterable[ArticleFiles], errors: list[ContentError]) -> list[Article]:
    """Read and validate the given article folders; problems go to ``errors``."""
    return [article for files in found if (article := _load_article(files, errors)) is not None]


def _load_article(files: ArticleFiles, errors: list[ContentError]) -> Article | None:
    raw_files = files.read()
    before = len(errors)
    translations = {
        path.stem: translation
        for path, raw in raw_files
        if (translation := parse_translation(files.slug, path.stem, path, raw, errors)) is not None
    }
    if translations and all(tr.draft for tr in translations.values()):
        message = "a draft needs the published translation it is made from"
        errors.append(ContentError(next(iter(translations.values())).path, 1, message))
    if len(errors) > before:
        return None
    return Article(slug=files.slug, translations=translations, content_hash=content_hash(raw_files))


def decode_text(path: Path, raw: bytes, errors: list[ContentError]) -> str | None:
    """UTF-8 (a byte order mark allowed) as NFC text, or None with the line of the first byte
    that is not UTF-8 or the first control character in ``errors``."""
    try:
        text = normalize_text(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        errors.append(ContentError(path, line, "file is not valid UTF-8"))
        return None
    control = CONTROL_RE.search(text)
    if control is not None:
        line = text.count("\n", 0, control.start()) + 1
        errors.append(ContentError(path, line, f"{_control_message(control.group())}: remove it"))
        return None
    return text


def _control_message(char: str) -> str:
    return f"control character U+{ord(char):04X}"


def parse_translation(
    slug: str, locale: str, path: Path, raw: bytes, errors: list[ContentError]
) -> Translation | None:
    """Parse one ``<locale>.md``; append problems to ``errors`` and return None if any."""
    too_large = _size_error(path, len(raw))
    if too_large is not None:
        errors.append(too_large)
        return None
    text = decode_text(path, raw, errors)
    if text is None:
        return None
    lines = text.splitlines()
    if not lines or lines[0].strip() != FENCE:
        errors.append(ContentError(path, 1, "missing front matter: start the file with '---'"))
        return None
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == FENCE)
    except StopIteration:
        errors.append(ContentError(path, 1, "front matter is not closed by a '---' line"))
        return None
    meta, key_lines = _parse_front_matter("\n".join(lines[1:end]), path, errors)
    if meta is None:
        return None
    body = "\n".join(lines[end + 1 :]).strip("\n")
    problems_before = len(errors)

    def problem(key: str, message: str) -> None:
        errors.append(ContentError(path, key_lines.get(key, 1), message))

    title = meta.get("title")
    if title is None or (isinstance(title, str) and not title.strip()):
        problem("title", "missing title: front matter needs 'title: ...'")
    else:
        title = _text(title, "title", problem)
    summary = _text(meta.get("summary", ""), "summary", problem)
    category = _text(meta.get("category", ""), "category", problem)
    tags = _tags(meta.get("tags", []), problem)
    updated = meta.get("updated")
    if isinstance(updated, dt.datetime):
        updated = updated.date()
    elif isinstance(updated, str):
        try:
            updated = dt.date.fromisoformat(updated)
        except ValueError:
            problem("updated", f"updated must be an ISO date (YYYY-MM-DD), not {updated!r}")
    elif updated is not None and not isinstance(updated, dt.date):
        problem("updated", "updated must be an ISO date (YYYY-MM-DD)")
    if not body.strip():
        errors.append(ContentError(path, end + 2, "empty body: write the article below the '---'"))
    body_line = end + 2 + next((i for i, line in enumerate(lines[end + 1 :]) if line), 0)
    for offset, message in anchor_problems(body):
        errors.append(ContentError(path, body_line + offset, message))
    provenance = None
    if PROVENANCE in meta:
        provenance = parse_provenance(meta[PROVENANCE], lambda m: problem(PROVENANCE, m))
        if provenance is not None and provenance.locale == locale:
            problem(PROVENANCE, f"{PROVENANCE}.locale is this file's own locale ({locale})")
    draft = meta.get(DRAFT, False)
    if not isinstance(draft, bool):
        problem(DRAFT, "draft must be true or false")
    if len(errors) > problems_before:
        return None
    assert title is not None and summary is not None and category is not None
    assert updated is None or isinstance(updated, dt.date)
    return Translation(
        slug=slug,
        locale=locale,
        title=title,
        body=body,
        path=path,
        summary=summary,
        tags=tags,
        category=category,
        updated=updated,
        extra={k: v for k, v in meta.items() if k not in KNOWN_KEYS},
        provenance=provenance,
        draft=draft is True,
    )


Problem = Callable[[str, str], None]  # (front-matter key, message): report at the key's line


def _text(value: object, key: str, problem: Problem) -> str | None:
    """A front-matter value that must be text without control characters, stripped."""
    if not isinstance(value, str):
        problem(key, f"{key} must be text (quote it)")
        return None
    control = CONTROL_RE.search(value)
    if control is not None:
        problem(key, f"{_control_message(control.group())} in {key}: remove it")
        return None
    return value.strip()


def _tags(value: object, problem: Problem) -> tuple[str, ...]:
    """Tags as words: a list of text or numbers (not yes/no, null, lists or mappings)."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(
        isinstance(t, (str, int, float)) and not isinstance(t, bool) for t in items
    ):
        problem("tags", "tags must be a list of words, e.g. tags: [epilepsy, pain]; quote yes/no")
        return ()
    texts = [_text(str(t), "tags", problem) for t in items]
    return tuple(t for t in texts if t)


def _parse_front_matter(
    source: str, path: Path, errors: list[ContentError]
) -> tuple[dict[str, Any] | None, dict[str, int]]:
    """YAML mapping and the file line of each top-level key (front matter starts on line 2)."""
    parsed = _fast_front_matter(source)
    if parsed is None:
        try:
            parsed = _compose_and_construct(FrontMatterLoader(source))
        except Refused as exc:
            errors.append(ContentError(path, _line(exc), str(exc.problem)))
            return None, {}
        except yaml.MarkedYAMLError as exc:
            problem = exc.problem or "invalid YAML"
            errors.append(ContentError(path, _line(exc), f"bad YAML in front matter: {problem}"))
            return None, {}
        except yaml.reader.ReaderError as exc:
            line = source.count("\n", 0, exc.position) + 2
            message = f"bad YAML in front matter: unacceptable character U+{exc.character:04X}"
            errors.append(ContentError(path, line, message))
            return None, {}
    node, data = parsed
    if not isinstance(data, dict):
        errors.append(ContentError(path, 2, "front matter must be a mapping of key: value lines"))
        return None, {}
    key_lines = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            key_lines[str(key_node.value)] = key_node.start_mark.line + 2
    return {str(k): v for k, v in data.items()}, key_lines


def _compose_and_construct(loader: yaml.SafeLoader) -> tuple[Any, Any]:
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node) if node is not None else {}
    finally:
        loader.dispose()


def _fast_front_matter(source: str) -> tuple[Any, Any] | None:
    """libyaml's parser (30x faster: ``translations status`` over 10,000 articles) for front
    matter that cannot hold what the strict loader refuses; None: use the strict one, which
    also words every error the same way."""
    if FastFrontMatterLoader is None or "&" in source or "*" in source:
        return None  # anchors and aliases need the strict composer's check
    if len(source) > FAST_YAML_CHARS or source.count("[") + source.count("{") > MAX_YAML_DEPTH:
        return None  # libyaml's composer recurses natively: only shallow text goes there
    if NON_PRINTABLE_RE.search(source):
        return None
    try:
        node, data = _compose_and_construct(FastFrontMatterLoader(source))
    except Exception:  # every problem is reported by the strict loader, with its line
        return None
    if _depth(node) > MAX_YAML_DEPTH:
        return None
    return node, data


def _depth(node: Any) -> int:
    """Nesting depth of a composed node tree (a scalar is 1), as the strict composer counts."""
    if isinstance(node, yaml.MappingNode):
        return 1 + max((max(_depth(k), _depth(v)) for k, v in node.value), default=0)
    if isinstance(node, yaml.SequenceNode):
        return 1 + max((_depth(item) for item in node.value), default=0)
    return 1


def _line(exc: yaml.MarkedYAMLError) -> int:
    """The file line of a YAML error in the front matter (which starts on line 2)."""
    mark = exc.problem_mark or exc.context_mark
    return mark.line + 2 if mark is not None else 1


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
