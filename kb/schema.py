"""What the index holds for an article: its analysed fields and its stored form.

Each locale has its own title, tags, summary, body and aside fields (its own analyzer); beside
them sit the Hangul bigram recall field, the vocabularies the query helpers read, and the stored
article pages display, so a build folder alone is enough to serve the site. Field specs are engine
neutral (an engine turns them into its own schema), and :func:`schema_version` is derived from
them and from the stored form, so changing either can't be forgotten by the build check.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from enum import IntEnum
from typing import Any

from kb.analysis import bigram_analyzer, english_analyzer, korean_analyzer
from kb.analysis.base import PieceTokenizer
from kb.analysis.english import exact_analyzer
from kb.analysis.eojeol import eojeol_analyzer
from kb.analysis.korean import Analysis
from kb.analysis.vocabulary import korean_vocabulary, latin_vocabulary
from kb.asides import split_asides, splitting_rules, warnings_of
from kb.content import LOCALES, Article
from kb.markdown import RENDERING, to_html, to_plain_text
from kb.translating.sections import strip_anchors
from kb.translating.status import reader_notes

# The analysed fields of each locale; ``aside`` holds the body's side effects and precautions
# (kb.asides), ``body`` the rest, each blanked where the other has text.
TEXTS = ("title", "tags", "summary", "body", "aside")
SNIPPET_FIELDS = ("body", "aside")  # character offsets into StoredTranslation.text
# The Korean recall fields (Hangul bigrams, particle stems) hold the title, tags, summary and
# body; each has a twin holding the asides, which queries weigh as the aside field.
RECALL_ASIDES = {"bigram_ko": "bigram_aside_ko", "eojeol_ko": "eojeol_aside_ko"}
ASIDE_FIELDS = frozenset({*(f"aside_{locale}" for locale in LOCALES), *RECALL_ASIDES.values()})
RECALL_FIELDS = frozenset({*RECALL_ASIDES, *RECALL_ASIDES.values()})
# What names an article: its title (a drug named there is asked about wherever the query asks).
TITLE_FIELDS = frozenset(f"title_{locale}" for locale in LOCALES)
# The side effects alone, of each locale's asides: never scored, only matched, when a query asks
# which medicines have a side effect (kb.intent); each aside field's twin there.
EFFECTS_OF_ASIDES = {f"aside_{locale}": f"effects_{locale}" for locale in LOCALES}
# ... and the side effects with the precautions that warn (kb.asides.warnings_of), when a query
# asks which medicines are bad for something (kb.intent).
WARNINGS_OF_ASIDES = {f"aside_{locale}": f"warnings_{locale}" for locale in LOCALES}


@dataclass(frozen=True)
class FieldSpec:
    """One indexed field: ``keyword`` fields hold whitespace-separated terms as given (never
    scored); ``text`` fields are analysed and scored with BM25F."""

    name: str
    kind: str  # "id", "keyword" or "text"
    analyzer: Callable[[], PieceTokenizer] | None = None
    positions: bool = True  # phrases can match (text fields)
    chars: bool = False  # character offsets kept, for snippets
    lowercase: bool = False  # keyword fields


def field_specs() -> list[FieldSpec]:
    """Every field of the index, in a fixed order."""
    specs = [
        FieldSpec("slug", "id"),
        FieldSpec("bigram_ko", "text", bigram_analyzer),
        FieldSpec("bigram_aside_ko", "text", bigram_analyzer),
        FieldSpec("eojeol_ko", "text", eojeol_analyzer, positions=False),
        FieldSpec("eojeol_aside_ko", "text", eojeol_analyzer, positions=False),
        # Vocabularies typo correction reads: the words it may suggest (Korean as keystroke
        # jamo, English unstemmed). 초성 keys live in a per-build table (kb.initials).
        FieldSpec("spell_ko", "keyword"),
        FieldSpec("spell_en", "keyword", lowercase=True),
        # Latin words as written (not stemmed): a match on the exact form adds score
        FieldSpec("exact", "text", exact_analyzer, positions=False),
    ]
    for locale in LOCALES:
        analyzer = korean_analyzer if locale == "ko" else english_analyzer
        for name in TEXTS:
            chars = name in SNIPPET_FIELDS
            specs.append(FieldSpec(f"{name}_{locale}", "text", analyzer, chars=chars))
        for twins in (EFFECTS_OF_ASIDES, WARNINGS_OF_ASIDES):
            specs.append(FieldSpec(twins[f"aside_{locale}"], "text", analyzer))
    return specs


class MatchPlace(IntEnum):
    """Where in an article's title and tags a typed key matched, best first (completions and
    초성 search order by it)."""

    TITLE_START = 0
    TITLE_WORD = 1
    TAG = 2


@dataclass(frozen=True)
class StoredTranslation:
    """One translation as pages and results display it."""

    title: str
    summary: str
    tags: tuple[str, ...]
    category: str
    updated: str | None  # ISO date
    markdown: str
    text: str  # the body as plain text, which snippets' character offsets point into
    html: str  # the body rendered and sanitized once, at build time (never per view)
    # Whether this text is a translation and how current (translating.status.reader_notes), made
    # when indexed, so pages and the API never hash sources per request. None: an original.
    translation: dict[str, Any] | None = None


@dataclass(frozen=True)
class StoredArticle:
    """The stored form of an article; :meth:`to_stored` and :meth:`from_stored` are the one
    place that writes and reads it."""

    slug: str
    content_hash: str
    translations: dict[str, StoredTranslation] = field(default_factory=dict)

    @property
    def locales(self) -> tuple[str, ...]:
        return tuple(self.translations)

    @classmethod
    def of(cls, article: Article) -> StoredArticle:
        """Drafts (``draft: true``) are left out: readers get the other language meanwhile."""
        notes = reader_notes(article)
        translations = {
            locale: StoredTranslation(
                title=tr.title,
                summary=tr.summary,
                tags=tuple(tr.tags),
                category=tr.category,
                updated=tr.updated.isoformat() if tr.updated else None,
                markdown=(body := strip_anchors(tr.body)),
                text=to_plain_text(body),
                html=to_html(body),
                translation=notes.get(locale),
            )
            for locale, tr in ((loc, article.translations[loc]) for loc in article.published)
        }
        return cls(article.slug, article.content_hash, translations)

    def to_stored(self) -> dict[str, Any]:
        """Plain data (str, list, dict) that any engine can keep beside the document."""
        return {
            "slug": self.slug,
            "hash": self.content_hash,
            "translations": {
                locale: {**tr.__dict__, "tags": list(tr.tags)}
                for locale, tr in self.translations.items()
            },
        }

    @classmethod
    def from_stored(cls, data: dict[str, Any]) -> StoredArticle:
        translations = {
            locale: StoredTranslation(**{**tr, "tags": tuple(tr["tags"])})
            for locale, tr in data["translations"].items()
        }
        return cls(data["slug"], data["hash"], translations)

    def shown_in(self, wanted: str) -> str:
        """The wanted locale when the article has it, else the first other one."""
        return display_locale(self.locales, wanted)


def display_locale(available: tuple[str, ...] | list[str], wanted: str) -> str:
    """The wanted locale when available, else the first of :data:`LOCALES` that is."""
    return wanted if wanted in available else next(loc for loc in LOCALES if loc in available)


@dataclass
class IndexDocument:
    """An article as an engine indexes it: field name → text (keyword fields: space-separated
    terms), and the stored article."""

    fields: dict[str, str]
    stored: StoredArticle


def document_for(article: Article) -> IndexDocument:
    """The analysed fields of an article, plus what results and pages display."""
    stored = StoredArticle.of(article)
    doc: dict[str, str] = {"slug": article.slug}
    for locale, tr in stored.translations.items():
        doc[f"title_{locale}"] = tr.title
        doc[f"tags_{locale}"] = "\n".join(tr.tags)
        doc[f"summary_{locale}"] = tr.summary
        body, asides, effects = split_asides(tr.markdown, tr.text)
        doc[f"body_{locale}"], doc[f"aside_{locale}"] = body, asides
        doc[EFFECTS_OF_ASIDES[f"aside_{locale}"]] = effects
        doc[WARNINGS_OF_ASIDES[f"aside_{locale}"]] = warnings_of(asides, effects)
    if "ko" in stored.translations:
        ko = stored.translations["ko"]
        whole = "\n".join([ko.title, *ko.tags, ko.summary, doc["body_ko"]])
        for field, twin in RECALL_ASIDES.items():
            doc[field], doc[twin] = whole, doc["aside_ko"]
    doc["exact"] = "\n".join(doc[f"{n}_{loc}"] for n in TEXTS for loc in stored.locales)
    doc["spell_en"] = " ".join(
        latin_vocabulary(doc[f"{n}_{loc}"] for n in TEXTS for loc in stored.locales)
    )
    return IndexDocument(doc, stored)


def korean_texts(doc: IndexDocument) -> list[str]:
    """The texts of ``doc`` that Kiwi analyses (to batch them on all cores); not the asides'
    twins, whose tokens are the asides' (:func:`twin_analysis`)."""
    names = [f"{name}_ko" for name in TEXTS]
    return [doc.fields[name] for name in names if name in doc.fields]


def twin_analysis(docs: Iterable[IndexDocument], analysis: Analysis) -> Analysis:
    """Kiwi's tokens of each Korean aside field's twins (the side effects, the warnings), taken
    from the aside's own where the twin keeps its text: a twin blanks the rest in place, so
    analysing it again would cost a fifth more of a build's Kiwi time for the same tokens."""
    twins: Analysis = {}
    for doc in docs:
        aside = doc.fields.get("aside_ko", "")
        tokens = analysis.get(aside)
        if tokens is None:
            continue
        for twin in (EFFECTS_OF_ASIDES["aside_ko"], WARNINGS_OF_ASIDES["aside_ko"]):
            text = doc.fields[twin]
            if text.strip():
                twins[text] = [t for t in tokens if text[t.start : t.start + t.len].strip()]
    return twins


def add_korean_vocabulary(doc: IndexDocument) -> None:
    """The Korean spelling vocabulary; run where Kiwi's batch analysis of ``doc`` is cached."""
    doc.fields["spell_ko"] = " ".join(korean_vocabulary(korean_texts(doc)))


def schema_version() -> str:
    """A digest of the field specs, the stored form, how Markdown renders into it and how its
    text is split into fields: a build made with other ones is refused (rebuild), with no
    version number to bump by hand but the renderer's."""
    described = [
        (s.name, s.kind, s.analyzer.__name__ if s.analyzer else "", s.positions, s.chars,
         s.lowercase)
        for s in field_specs()
    ]  # fmt: skip
    stored = [f.name for f in fields(StoredArticle)] + [f.name for f in fields(StoredTranslation)]
    rules = (described, stored, RENDERING, splitting_rules())
    return hashlib.sha256(repr(rules).encode()).hexdigest()[:12]
