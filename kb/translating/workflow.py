"""The translator's commands on one article: what changed in the source (``diff``), record
that the translation covers it (``mark_current``), and begin a translation (``start``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb.content import (
    LOCALES,
    Article,
    ContentError,
    ContentInvalid,
    Translation,
    find_articles,
    load_articles,
    parse_translation,
)
from kb.translating.checks import Analyse, GlossaryHit, glossary_hits
from kb.translating.diffs import Op, read_blob, word_diff
from kb.translating.provenance import (
    KEY,
    Provenance,
    provenance_lines,
    record,
    with_sections,
    write_provenance,
)
from kb.translating.sections import Section, sections_of
from kb.translating.status import TranslationStatus, article_status, checked_status


class TranslationRefused(ValueError):
    """A command that can't do what was asked; the message says why and what to do."""


def find_article(roots: Path | Sequence[Path], slug: str) -> Article:
    """The article ``slug``, parsed and valid, or :class:`TranslationRefused`/ContentInvalid."""
    errors: list[ContentError] = []
    files = next((f for f in find_articles(roots, errors) if f.slug == slug), None)
    if files is None:
        raise TranslationRefused(f"no article {slug!r} in the content folder(s)")
    articles = load_articles([files], errors)
    if not articles:
        raise ContentInvalid(errors)
    return articles[0]


@dataclass(frozen=True)
class SectionDiff:
    """One outdated source section: its text at the recorded version (None: unknown, or the
    section is new) and now (None: removed), their word diff, and the current translation."""

    id: str
    change: str
    heading: str
    old: str | None
    new: str | None
    diff: list[Op] | None
    translation: str | None

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class ArticleDiff:
    status: TranslationStatus
    sections: list[SectionDiff] = field(default_factory=list)
    unavailable: str = ""  # why the recorded source could not be read ("" when it could)
    glossary: list[GlossaryHit] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status.to_json(),
            "unavailable": self.unavailable,
            "sections": [s.to_json() for s in self.sections],
            "glossary": [{**h.__dict__, "expected": list(h.expected)} for h in self.glossary],
        }


def article_diff(
    article: Article,
    rows: Sequence[dict[str, tuple[str, ...]]] = (),
    analyse: Analyse | None = None,
) -> ArticleDiff:
    """For each outdated section, the source's word diff from the recorded version (read from
    git) to now, beside the translation's section; ``unavailable`` says why there is no diff.
    A missing translation's status carries the glossary check's warning (``analyse``)."""
    status = article_status(article)
    if status.state == "missing":
        return ArticleDiff(checked_status(article, rows, analyse))
    source = article.translations.get(status.source_locale or "")
    translation = article.translations.get(status.locale or "")
    if source is None or translation is None or translation.provenance is None:
        return ArticleDiff(status)
    provenance = translation.provenance
    old_sections, unavailable = _recorded_sections(source, provenance)
    now = {s.id: s for s in sections_of(source)}
    theirs = {s.id: s for s in sections_of(translation)}
    sections = []
    for change in status.changes:
        before = old_sections.get(change.id) if old_sections is not None else None
        after = now.get(change.id)
        ops = None
        if old_sections is not None:
            ops = word_diff(before.text if before else "", after.text if after else "")
        heading = (after or before or Section(change.id, "")).heading
        mine = theirs.get(change.id)
        sections.append(
            SectionDiff(
                change.id,
                change.change,
                heading,
                before.text if before else None,
                after.text if after else None,
                ops,
                mine.text if mine else None,
            )
        )
    hits = glossary_hits(source, translation, rows, analyse) if analyse and rows else []
    return ArticleDiff(status, sections, unavailable, hits)


def _recorded_sections(
    source: Translation, provenance: Provenance
) -> tuple[dict[str, Section] | None, str]:
    """The source's sections at the recorded version, from git; None and the reason if not."""
    blob = read_blob(source.path.parent, provenance.git)
    if blob.data is None:
        return None, blob.reason
    errors: list[ContentError] = []
    old = parse_translation(source.slug, source.locale, source.path, blob.data, errors)
    if old is None:
        return None, f"the recorded version does not parse ({errors[0].message})"
    return {s.id: s for s in sections_of(old)}, ""


def translation_of(article: Article, locale: str | None) -> Translation:
    """The translation a command works on: ``locale``'s file, else the one with provenance."""
    trs = article.translations
    if locale is not None:
        if locale not in trs:
            raise TranslationRefused(f"{article.slug} has no {locale}.md; create it with start")
        for other in trs.values():
            if other.locale != locale and other.provenance and other.provenance.locale == locale:
                raise TranslationRefused(
                    f"{trs[locale].path} is the source of {other.path}; mark that one instead"
                )
        return trs[locale]
    tracked = [tr for tr in trs.values() if tr.provenance is not None]
    if len(tracked) == 1:
        return tracked[0]
    if len(trs) == 1:
        raise TranslationRefused(f"{article.slug} has one language only; use start --to")
    raise TranslationRefused(
        f"{article.slug}: say which file is the translation with --locale "
        f"({' or '.join(article.locales)})"
    )


def mark_current(
    article: Article, locale: str | None = None, section: str | None = None
) -> tuple[Path, Provenance]:
    """Record that the translation covers the source as it is now (all sections, or one);
    only the ``translated_from`` lines of the translation file change."""
    translation = translation_of(article, locale)
    old = translation.provenance
    source_locale = old.locale if old else next(loc for loc in article.locales
                                                 if loc != translation.locale)  # fmt: skip
    source = article.translations.get(source_locale)
    if source is None:
        raise TranslationRefused(
            f"{translation.path}: {KEY} names {source_locale!r}, which has no file; "
            f"remove the {KEY} block or restore the source"
        )
    now = record(source)
    if section is None:
        new = now
    else:
        if old is None:
            raise TranslationRefused(
                f"{translation.path} has no provenance yet: mark the whole translation first"
            )
        sections = dict(old.sections)
        if section in now.sections:
            sections[section] = now.sections[section]
        elif section in sections:
            del sections[section]  # removed from the source: nothing left to translate
        else:
            known = ", ".join(now.sections)
            raise TranslationRefused(f"no section {section!r} in {source.path}; sections: {known}")
        ordered = {sid: sections[sid] for sid in now.sections if sid in sections}
        ordered.update((sid, h) for sid, h in sections.items() if sid not in ordered)
        new = with_sections(old, ordered)
    write_provenance(translation.path, new)
    return translation.path, new


def start_translation(article: Article, to: str) -> Path:
    """Write ``<slug>/<to>.md``: the source's front matter and body to translate over, a
    ``draft: true`` line (drafts are not published) and the provenance of this version."""
    if to not in LOCALES:
        raise TranslationRefused(f"unknown locale {to!r}: use {' or '.join(LOCALES)}")
    if to in article.translations:
        path = article.translations[to].path
        raise TranslationRefused(f"{path} exists already; see `translations diff {article.slug}`")
    source = next(tr for loc, tr in article.translations.items() if loc != to)
    path = source.path.with_name(f"{to}.md")
    path.write_text(scaffold(source, record(source)), encoding="utf-8")
    return path


def scaffold(source: Translation, provenance: Provenance) -> str:
    """The new translation's text: the source to translate over, section by section."""
    import json

    def quoted(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)  # a YAML double-quoted scalar

    lines = ["---", f"title: {quoted(source.title)}"]
    if source.summary:
        lines.append(f"summary: {quoted(source.summary)}")
    if source.tags:
        lines.append(f"tags: [{', '.join(quoted(t) for t in source.tags)}]")
    if source.category:
        lines.append(f"category: {quoted(source.category)}")
    lines += [
        "draft: true  # remove this line when the translation is done",
        *provenance_lines(provenance),
        "---",
    ]
    return "\n".join(lines) + "\n" + source.body + "\n"


@dataclass(frozen=True)
class SectionPair:
    """A source section beside its translation (None: the translation lacks it), with the
    change and the source's diff when outdated (``diff`` None: the recorded text is unknown)."""

    id: str
    heading: str
    source: str | None
    translation: str | None
    change: str = ""
    diff: list[Op] | None = None


def side_by_side(
    article: Article,
    rows: Sequence[dict[str, tuple[str, ...]]] = (),
    analyse: Analyse | None = None,
) -> tuple[ArticleDiff, list[SectionPair]]:
    """Every section of the source next to the translation's, outdated ones with their diff;
    sections only the translation has come last."""
    result = article_diff(article, rows, analyse)
    status = result.status
    source = article.translations.get(status.source_locale or "")
    translation = article.translations.get(status.locale or "")
    if source is None or translation is None:  # untracked: first language beside the second
        found = [article.translations[loc] for loc in LOCALES if loc in article.translations]
        source, translation = found[0], found[-1] if len(found) > 1 else None
    outdated = {s.id: s for s in result.sections}
    theirs = {s.id: s for s in sections_of(translation)} if translation else {}
    pairs = []
    for section in sections_of(source):
        diff = outdated.pop(section.id, None)
        mine = theirs.pop(section.id, None)
        pairs.append(
            SectionPair(
                section.id,
                section.heading,
                section.text,
                mine.text if mine else None,
                diff.change if diff else "",
                diff.diff if diff else None,
            )
        )
    for gone in outdated.values():  # removed from the source since the translation
        mine = theirs.pop(gone.id, None)
        pairs.append(
            SectionPair(
                gone.id, gone.heading, None, mine.text if mine else None, gone.change, gone.diff
            )
        )
    pairs += [SectionPair(s.id, s.heading, None, s.text) for s in theirs.values()]
    return result, pairs
