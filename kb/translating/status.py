"""Where every article's translation stands: computed from content hashes alone (no model, no
git, no timestamps), so a fresh clone, a revert or a rebase all give the right answer.

States: ``current``; ``outdated`` (with the source sections that changed, were added or were
removed); ``missing`` (one language only); ``untracked`` (both, no provenance yet); ``orphan``
(provenance names a locale that has no file); ``invalid`` (the files don't parse, or both claim
to be translated from the other).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cache as cache_function
from pathlib import Path
from typing import Any

from kb.content import (
    LOCALES,
    Article,
    ArticleFiles,
    ContentError,
    Translation,
    find_articles,
    load_articles,
)
from kb.filehashes import FILE_HASHES, ContentHashes, read_rows, write_rows
from kb.translating.amounts import amount_warnings
from kb.translating.catalogs import CatalogStatus, catalog_paths, catalog_status
from kb.translating.checks import (
    Analyse,
    glossary_hits,
    parity_warnings,
    reach_warning,
    unreachable_tags,
)
from kb.translating.sections import sections_of

STATUS_CACHE = "translation-status.json"  # in the index folder: rows by article content hash
PARALLEL_FROM = 500  # articles to parse before other processes are worth starting
STATES = ("current", "outdated", "missing", "untracked", "orphan", "invalid")
ERROR_STATES = frozenset({"orphan", "invalid"})


@dataclass(frozen=True)
class SectionChange:
    """A source section the translation doesn't cover: ``changed``, ``added`` or ``removed``."""

    id: str
    change: str


@dataclass(frozen=True)
class TranslationStatus:
    """One article's translation. ``locale`` is the translation's (the absent one when
    ``missing``), ``source_locale`` the language it is (to be) translated from; both None when
    untracked and nothing says which is the source."""

    slug: str
    state: str
    locale: str | None
    source_locale: str | None
    changes: tuple[SectionChange, ...] = ()
    source_updated: str | None = None  # the source's `updated:` date, ISO
    draft: bool = False
    warnings: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()

    @property
    def outdated_sections(self) -> list[str]:
        return [c.id for c in self.changes]

    def concerns(self, locale: str) -> bool:
        """Whether a translator of ``locale`` has work here (untracked: either language)."""
        return self.locale in (locale, None)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TranslationStatus:
        """The inverse of :meth:`to_json` (the status cache keeps rows as JSON)."""
        changes = tuple(SectionChange(c["id"], c["change"]) for c in data["outdated_sections"])
        return cls(
            data["slug"], data["state"], data["locale"], data["source_locale"], changes,
            data["source_updated"], data["draft"], tuple(data["warnings"]), tuple(data["errors"]),
        )  # fmt: skip

    def to_json(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "state": self.state,
            "locale": self.locale,
            "source_locale": self.source_locale,
            "outdated_sections": [{"id": c.id, "change": c.change} for c in self.changes],
            "source_updated": self.source_updated,
            "draft": self.draft,
            "warnings": list(self.warnings),
            "errors": list(self.errors),
        }


def section_changes(source: Translation, recorded: dict[str, str]) -> tuple[SectionChange, ...]:
    """Source sections whose hash differs from the recorded one, in the source's order, then
    recorded sections the source no longer has."""
    now = {s.id: s.hash for s in sections_of(source)}
    changes = [
        SectionChange(sid, "changed" if sid in recorded else "added")
        for sid, digest in now.items()
        if recorded.get(sid) != digest
    ]
    changes += [SectionChange(sid, "removed") for sid in recorded if sid not in now]
    return tuple(changes)


def article_status(article: Article) -> TranslationStatus:
    """The state of ``article``'s translation (without the checks' warnings)."""
    trs = article.translations
    tracked = [tr for tr in trs.values() if tr.provenance is not None]
    slug = article.slug
    if len(tracked) > 1:
        message = "both files have translated_from: keep it only in the translation"
        return TranslationStatus(slug, "invalid", None, None, errors=(message,))
    if not tracked:
        if len(trs) == 1:
            [only] = trs
            missing = next(loc for loc in LOCALES if loc != only)
            return TranslationStatus(
                slug, "missing", missing, only, source_updated=_date(trs[only])
            )
        return TranslationStatus(slug, "untracked", None, None)
    [tr] = tracked
    assert tr.provenance is not None
    source = trs.get(tr.provenance.locale)
    if source is None:
        message = (
            f"{tr.path}: translated_from names {tr.provenance.locale!r}, "
            f"which has no file in {article.slug}/"
        )
        return TranslationStatus(
            slug, "orphan", tr.locale, tr.provenance.locale, draft=tr.draft, errors=(message,)
        )
    changes = section_changes(source, tr.provenance.sections)
    return TranslationStatus(
        slug, "outdated" if changes else "current", tr.locale, source.locale, changes,
        _date(source), tr.draft,
    )  # fmt: skip


def reader_notes(article: Article) -> dict[str, dict[str, Any]]:
    """What readers and the API are told about each translation (``{status, source_lang,
    outdated_sections, source_updated}``), by locale; an original has none."""
    status = article_status(article)
    note = {
        "status": status.state,
        "source_lang": status.source_locale if status.source_locale in LOCALES else None,
        "outdated_sections": status.outdated_sections,
        "source_updated": _later_date(article, status),
    }
    if status.state == "untracked":
        return {locale: note for locale in article.translations}
    if status.state in ("current", "outdated", "orphan") and status.locale:
        return {status.locale: note}
    return {}


def _later_date(article: Article, status: TranslationStatus) -> str | None:
    """The source's ``updated:`` date when it is later than the translation's, else None
    (readers are told "the original was updated on …" only when that is news)."""
    translation = article.translations.get(status.locale or "")
    mine = _date(translation) if translation else None
    theirs = status.source_updated
    return theirs if theirs and (mine is None or theirs > mine) else None


def _date(tr: Translation) -> str | None:
    return tr.updated.isoformat() if tr.updated else None


def pair(article: Article, status: TranslationStatus) -> tuple[Translation, Translation] | None:
    """(source, translation) of a two-language article; untracked: in LOCALES order."""
    trs = article.translations
    if len(trs) < 2:
        return None
    if status.source_locale in trs and status.locale in trs:
        return trs[status.source_locale], trs[status.locale]
    first, second = (trs[loc] for loc in LOCALES if loc in trs)
    return first, second


def checked_status(
    article: Article,
    rows: Sequence[dict[str, tuple[str, ...]]] = (),
    analyse: Analyse | None = None,
) -> TranslationStatus:
    """:func:`article_status` with the parity warnings, and the glossary's when ``analyse``
    (for a one-language article: the tags no glossary line carries into the other language)."""
    status = article_status(article)
    if status.state == "missing" and status.locale and analyse is not None and rows:
        only = article.translations[status.source_locale or ""]  # the one language it has
        tags = unreachable_tags(only, status.locale, rows, analyse)
        return replace(status, warnings=(reach_warning(status.locale, tags),)) if tags else status
    both = pair(article, status)
    if both is None or status.state == "invalid":
        return status
    warnings = parity_warnings(*both) + amount_warnings(*both)
    if analyse is not None and rows:
        warnings += [h.warning for h in glossary_hits(*both, rows, analyse) if h.found is None]
    return replace(status, warnings=tuple(warnings))


@dataclass(frozen=True)
class StatusReport:
    """Every article's translation status and every catalog's, as ``status --json`` and the
    translator pages show them."""

    articles: list[TranslationStatus]
    catalogs: list[CatalogStatus] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        found = Counter(a.state for a in self.articles)
        return {state: found.get(state, 0) for state in STATES}

    def errors(self) -> list[str]:
        """What `indexer.py check` fails on: bad provenance and catalog errors."""
        found = [e for a in self.articles for e in a.errors]
        return found + [str(e) for c in self.catalogs for e in c.errors]

    def to_json(self) -> dict[str, Any]:
        return {
            "counts": self.counts(),
            "articles": [a.to_json() for a in self.articles],
            "catalogs": [c.to_json() for c in self.catalogs],
        }


def status_report(
    roots: Path | Sequence[Path],
    catalogs: Path | None = None,
    *,
    locale: str | None = None,
    glossary_rows: Sequence[dict[str, tuple[str, ...]]] = (),
    analyse: Analyse | None = None,
    cache: Path | None = None,
    workers: int = 1,
) -> StatusReport:
    """The status of every article under ``roots`` (``locale``: only translations into it)
    and of the catalogs under ``catalogs``; files that don't parse are ``invalid`` rows.

    ``cache``: a file of rows by the hash of each article's bytes, so a second run parses only
    the articles that changed (a row depends on its own two files only). Not used with the
    glossary check, whose warnings also depend on the glossary and the analyzer. ``workers``:
    processes that parse when at least PARALLEL_FROM articles must be (a command's choice; a
    server keeps the default, 1)."""
    use_cache = cache is not None and analyse is None
    known = _read_cache(cache) if use_cache and cache is not None else {}
    hashes = ContentHashes(cache.with_name(FILE_HASHES) if use_cache and cache else None)
    errors: list[ContentError] = []
    rows: list[TranslationStatus] = []
    fresh: dict[str, tuple[str, dict[str, Any]]] = {}
    parsed: dict[str, ArticleFiles] = {}

    def misses() -> Iterator[ArticleFiles]:
        """Articles without a cached row for their bytes (only those with a row are read, and
        only when their files' stamps changed)."""
        for files in find_articles(roots, errors):
            hit = known.get(files.slug)
            if hit is not None and hit[0] == hashes.hash_of(files):
                rows.append(TranslationStatus.from_json(hit[1]))
                fresh[files.slug] = hit
            else:
                parsed[files.slug] = files
                yield files

    if workers > 1 and analyse is None:
        parsed_rows, parse_errors = _in_processes(misses(), workers)
    else:
        parsed_rows, parse_errors = _rows_of(list(misses()), glossary_rows, analyse)
    errors += parse_errors
    for digest, row in parsed_rows:
        rows.append(row)
        fresh[row.slug] = (digest, row.to_json())
        hashes.learn(parsed[row.slug], digest)
    hashes.save()
    rows += _invalid_rows(errors)
    rows.sort(key=lambda s: s.slug)
    if use_cache and cache is not None and fresh != known:
        _write_cache(cache, fresh)
    if locale is not None:
        rows = [s for s in rows if s.concerns(locale)]
    found = catalog_paths(catalogs) if catalogs is not None else []
    cats = [catalog_status(loc, path) for loc, path in found if locale in (None, loc)]
    return StatusReport(rows, cats)


Rows = tuple[list[tuple[str, TranslationStatus]], list[ContentError]]


def _rows_of(
    found: list[ArticleFiles],
    glossary_rows: Sequence[dict[str, tuple[str, ...]]] = (),
    analyse: Analyse | None = None,
) -> Rows:
    """(content hash, row) of each article that parses, and the problems of the others."""
    errors: list[ContentError] = []
    rows = [
        (article.content_hash, checked_status(article, glossary_rows, analyse))
        for article in load_articles(found, errors)
    ]
    return rows, errors


def _in_processes(found: Iterable[ArticleFiles], workers: int) -> Rows:
    """:func:`_rows_of` over ``workers`` processes in chunks of PARALLEL_FROM // 2 articles,
    handed out while ``found`` is still being listed; results in the given order. Fewer than
    PARALLEL_FROM are parsed here (starting processes would cost more)."""
    from concurrent.futures import Future, ProcessPoolExecutor

    chunk: list[ArticleFiles] = []
    submitted: list[Future[Rows]] = []
    pool: ProcessPoolExecutor | None = None
    try:
        for files in found:
            chunk.append(files)
            if len(chunk) >= PARALLEL_FROM // 2 and (pool or len(chunk) >= PARALLEL_FROM):
                pool = pool or ProcessPoolExecutor(max_workers=workers)
                submitted.append(pool.submit(_rows_of, chunk))
                chunk = []
        if pool is None:
            return _rows_of(chunk)
        submitted.append(pool.submit(_rows_of, chunk))
        rows: list[tuple[str, TranslationStatus]] = []
        errors: list[ContentError] = []
        for future in submitted:
            chunk_rows, chunk_errors = future.result()
            rows += chunk_rows
            errors += chunk_errors
        return rows, errors
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


@cache_function
def code_version() -> str:
    """A digest of the code that computes a row: a cache made by other code is ignored."""
    import kb.content
    import kb.translating.amounts
    import kb.translating.checks
    import kb.translating.provenance
    import kb.translating.sections

    modules = (
        kb.content,
        kb.translating.amounts,
        kb.translating.checks,
        kb.translating.provenance,
        kb.translating.sections,
    )
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for module in modules:
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()[:16]


def _read_cache(path: Path) -> dict[str, tuple[str, dict[str, Any]]]:
    """The cached rows, or none when the file is missing, unreadable or from other code."""
    try:
        rows = read_rows(path, code_version()).items()
        return {slug: (digest, row) for slug, (digest, row) in rows}
    except (ValueError, TypeError):
        return {}


def _write_cache(path: Path, rows: dict[str, tuple[str, dict[str, Any]]]) -> None:
    write_rows(path, code_version(), {slug: list(row) for slug, row in rows.items()})


def _invalid_rows(errors: list[ContentError]) -> list[TranslationStatus]:
    """One ``invalid`` row per article folder with content errors (a file's folder is its
    slug; a folder-level error names the folder itself)."""
    by_slug: dict[str, list[str]] = {}
    for error in errors:
        folder = error.path.parent if error.path.suffix == ".md" else error.path
        by_slug.setdefault(folder.name, []).append(str(error))
    return [
        TranslationStatus(slug, "invalid", None, None, errors=tuple(found))
        for slug, found in by_slug.items()
    ]
