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
from functools import cached_property
from pathlib import Path
from typing import Any

from kb.frontmatter import FrontMatterError, parse_front_matter
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
# C0 and C1 controls and DEL: text never needs them (tab, LF and CR excepted), and a NUL in a
# title reaches HTML, JSON and terminals.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


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

    @property
    def published(self) -> list[str]:
        """The locales readers get: a draft (``draft: true``) is left out until it is done."""
        return [loc for loc in self.locales if not self.translations[loc].draft]


def normalize_text(text: str) -> str:
    """NFC, so that Hangul typed on any system (macOS writes NFD) compares equal."""
    return unicodedata.normalize("NFC", text)


def load_content(roots: Path | Sequence[Path], *, loaded: Loaded | None = None) -> list[Article]:
    """Load every article under one or more content folders, or raise :class:`ContentInvalid`.
    ``loaded(files, content_hash)`` is told of each article that loads (hashes to remember)."""
    articles, errors = scan_content(roots, loaded=loaded)
    if errors:
        raise ContentInvalid(errors)
    return articles


def check_content(roots: Path | Sequence[Path]) -> list[ContentError]:
    """Every problem in the content folders (empty when they would index cleanly)."""
    return scan_content(roots)[1]


def scan_content(
    roots: Path | Sequence[Path], *, loaded: Loaded | None = None
) -> tuple[list[Article], list[ContentError]]:
    """Load what is valid and collect what is not, in a stable (slug) order."""
    errors: list[ContentError] = []
    articles = []
    for files in find_articles(roots, errors):
        article = _load_article(files, errors)
        if article is not None:
            articles.append(article)
            if loaded is not None:
                loaded(files, article.content_hash)
    articles.sort(key=lambda a: a.slug)
    return articles, errors


@dataclass(frozen=True)
class ArticleFiles:
    """An article folder as found on disk, not yet read: enough to fingerprint it cheaply."""

    slug: str
    location: str  # the folder (paths are made only for what is read: 20,000 cost 0.3 s)
    names: tuple[str, ...]  # its ``<locale>.md`` files of known locales, sorted
    # (size, mtime, ctime in ns, inode) of each file when found: see kb.filehashes
    stamps: tuple[tuple[int, int, int, int], ...] = ()

    @cached_property
    def files(self) -> tuple[Path, ...]:
        folder = Path(self.location)
        return tuple(folder / name for name in self.names)

    def read(self) -> list[tuple[Path, bytes]]:
        return [(path, path.read_bytes()) for path in self.files]

    def content_hash(self) -> str:
        """The hash :class:`Article` records, from the raw bytes alone (no parsing)."""
        return content_hash(self.read())


Loaded = Callable[[ArticleFiles, str], None]  # (an article's files, its content hash)


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
    seen: dict[str, str] = {}
    for root in roots:
        if not root.is_dir():
            errors.append(ContentError(root, 0, "content folder does not exist"))
            continue
        inside = root.resolve()
        for entry in _entries(root, inside, errors, directories=True):
            files = _article_files(entry, inside, seen, errors)
            if files is not None:
                yield files


def _article_files(
    entry: os.DirEntry[str], inside: Path, seen: dict[str, str], errors: list[ContentError]
) -> ArticleFiles | None:
    slug = normalize_text(entry.name)
    if not SLUG_RE.match(slug):
        message = f"bad slug {slug!r}: use [a-z0-9][a-z0-9-]*"
        errors.append(ContentError(Path(entry.path), 0, message))
        return None
    if slug in seen:
        message = f"duplicate slug {slug!r} (also at {seen[slug]})"
        errors.append(ContentError(Path(entry.path), 0, message))
        return None
    seen[slug] = entry.path
    before = len(errors)
    names, stamps = [], []
    for file in _entries(entry.path, inside, errors, directories=False):
        names.append(file.name)
        locale = file.name[: -len(".md")]
        if locale not in LOCALES:
            message = f"unknown locale {locale!r}: name the file ko.md or en.md"
            errors.append(ContentError(Path(file.path), 1, message))
            continue
        info = file.stat()  # a symlink's target (checked to lie inside): its size and times
        stamps.append(file_stamps(info))
        if info.st_size > MAX_ARTICLE_BYTES:
            errors.append(_size_error(Path(file.path), info.st_size))
    if len(errors) > before:
        return None
    if not names:
        errors.append(ContentError(Path(entry.path), 0, "no translations: add ko.md and/or en.md"))
        return None
    return ArticleFiles(slug, entry.path, tuple(names), tuple(stamps))


def file_stamps(info: os.stat_result) -> tuple[int, int, int, int]:
    """What tells that a file changed without reading it (kb.filehashes): its size, its
    modification and change times, and its inode."""
    return info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino


def _size_error(path: Path, size: int) -> ContentError:
    """``path`` is over :data:`MAX_ARTICLE_BYTES` (the caller has checked)."""
    return ContentError(path, 1, f"file is {size} bytes; the limit is {MAX_ARTICLE_BYTES}")


def _entries(
    folder: str | Path, inside: Path, errors: list[ContentError], *, directories: bool
) -> list[os.DirEntry[str]]:
    """The article folders (not hidden) or ``.md`` files of ``folder``, sorted by name.

    A symlink among them must resolve to somewhere under ``inside`` (the content folder): one
    leading outside (``/etc/passwd``), looping or leading nowhere is reported and left out.
    ``scandir`` spares a ``stat`` per plain entry, which counts when an update lists 10,000
    folders.
    """
    wanted = _is_article_name if directories else _is_translation_name
    with os.scandir(folder) as scan:
        entries = sorted((e for e in scan if wanted(e.name)), key=lambda e: e.name)
    return [
        entry
        for entry in entries
        if not (entry.is_symlink() and not _symlink_inside(Path(entry.path), inside, errors))
        and (entry.is_dir() if directories else entry.is_file())
    ]


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
    if len(raw) > MAX_ARTICLE_BYTES:
        errors.append(_size_error(path, len(raw)))
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
    try:
        meta, key_lines = parse_front_matter("\n".join(lines[1:end]))
    except FrontMatterError as exc:
        errors.append(ContentError(path, exc.line, exc.message))
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
