"""Articles on disk: ``<content>/<slug>/<locale>.md``, YAML front matter plus a Markdown body.

The layout is a contract other tools generate, so loading never guesses: every problem is collected
as a :class:`ContentError` carrying ``path:line`` and the whole folder is rejected if any exists.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

BUNDLED_CONTENT = Path(__file__).with_name("articles")
LOCALES: tuple[str, ...] = ("ko", "en")
SLUG_RE = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
KNOWN_KEYS = frozenset({"title", "summary", "tags", "category", "updated"})
FENCE = "---"


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
    layout itself (slug, duplicate, locale, no file) go to ``errors``."""
    roots = [Path(roots)] if isinstance(roots, (str, Path)) else [Path(r) for r in roots]
    seen: dict[str, Path] = {}
    for root in roots:
        if not root.is_dir():
            errors.append(ContentError(root, 0, "content folder does not exist"))
            continue
        for name in _entries(root, directories=True):
            if name.startswith("."):
                continue
            files = _article_files(root / name, seen, errors)
            if files is not None:
                yield files


def _article_files(
    folder: Path, seen: dict[str, Path], errors: list[ContentError]
) -> ArticleFiles | None:
    slug = normalize_text(folder.name)
    if not SLUG_RE.match(slug):
        errors.append(ContentError(folder, 0, f"bad slug {slug!r}: use [a-z0-9][a-z0-9-]*"))
        return None
    if slug in seen:
        errors.append(ContentError(folder, 0, f"duplicate slug {slug!r} (also at {seen[slug]})"))
        return None
    seen[slug] = folder
    files = [
        folder / n for n in _entries(folder, directories=False) if n.endswith(".md") and n != ".md"
    ]
    unknown = [p for p in files if p.stem not in LOCALES]
    for path in unknown:
        errors.append(
            ContentError(path, 1, f"unknown locale {path.stem!r}: name the file ko.md or en.md")
        )
    if unknown:
        return None
    if not files:
        errors.append(ContentError(folder, 0, "no translations: add ko.md and/or en.md"))
        return None
    return ArticleFiles(slug, folder, tuple(files))


def _entries(folder: Path, *, directories: bool) -> list[str]:
    """Sorted names of the sub-folders or files of ``folder``; ``scandir`` spares a ``stat``
    per entry, which counts when an update lists 10,000 folders."""
    with os.scandir(folder) as entries:
        return sorted(e.name for e in entries if (e.is_dir() if directories else e.is_file()))


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
    if len(errors) > before:
        return None
    return Article(slug=files.slug, translations=translations, content_hash=content_hash(raw_files))


def parse_translation(
    slug: str, locale: str, path: Path, raw: bytes, errors: list[ContentError]
) -> Translation | None:
    """Parse one ``<locale>.md``; append problems to ``errors`` and return None if any."""
    try:
        text = normalize_text(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        errors.append(ContentError(path, line, "file is not valid UTF-8"))
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
    if not isinstance(title, str) or not title.strip():
        problem("title", "missing title: front matter needs 'title: ...'")
    summary = meta.get("summary", "")
    if not isinstance(summary, str):
        problem("summary", "summary must be text")
    tags = meta.get("tags", [])
    if isinstance(tags, str):
        tags = [tags]
    if not isinstance(tags, list) or not all(isinstance(t, (str, int, float)) for t in tags):
        problem("tags", "tags must be a list of words, e.g. tags: [epilepsy, pain]")
    category = meta.get("category", "")
    if not isinstance(category, str):
        problem("category", "category must be text")
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
    if len(errors) > problems_before:
        return None
    assert isinstance(title, str) and (updated is None or isinstance(updated, dt.date))
    return Translation(
        slug=slug,
        locale=locale,
        title=title.strip(),
        body=body,
        path=path,
        summary=summary.strip(),
        tags=tuple(str(t).strip() for t in tags if str(t).strip()),
        category=category.strip(),
        updated=updated,
        extra={k: v for k, v in meta.items() if k not in KNOWN_KEYS},
    )


def _parse_front_matter(
    source: str, path: Path, errors: list[ContentError]
) -> tuple[dict[str, Any] | None, dict[str, int]]:
    """YAML mapping and the file line of each top-level key (front matter starts on line 2)."""
    try:
        loader = yaml.SafeLoader(source)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else {}
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 2 if mark is not None else 1
        problem = exc.problem or "invalid YAML"
        errors.append(ContentError(path, line, f"bad YAML in front matter: {problem}"))
        return None, {}
    except yaml.YAMLError as exc:
        errors.append(ContentError(path, 1, f"bad YAML in front matter: {exc}"))
        return None, {}
    if not isinstance(data, dict):
        errors.append(ContentError(path, 2, "front matter must be a mapping of key: value lines"))
        return None, {}
    key_lines = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            key_lines[str(key_node.value)] = key_node.start_mark.line + 2
    return {str(k): v for k, v in data.items()}, key_lines
