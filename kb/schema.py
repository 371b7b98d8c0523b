"""What the index holds for an article: one Whoosh document, analysed fields per locale.

Each locale has its own title, tags, summary and body fields (its own analyzer); beside them sit
the Hangul bigram recall field, the vocabularies the query helpers read, and the stored display
data, so a build folder alone is enough to serve the site.
"""

from __future__ import annotations

from typing import Any

from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from kb.analysis import bigram_analyzer, english_analyzer, korean_analyzer
from kb.analysis.english import exact_analyzer
from kb.analysis.eojeol import eojeol_analyzer
from kb.analysis.vocabulary import korean_vocabulary, latin_vocabulary, title_initials
from kb.content import LOCALES, Article
from kb.markdown import to_plain_text

SCHEMA_VERSION = 1
TEXTS = ("title", "tags", "summary", "body")  # the analysed fields of each locale


def make_schema() -> Schema:
    """One document per article; each locale has its own analysed fields."""
    fields: dict[str, Any] = {
        "slug": ID(stored=True, unique=True),
        "locales": KEYWORD(stored=True),
        "bigram_ko": TEXT(analyzer=bigram_analyzer(), phrase=True),
        "eojeol_ko": TEXT(analyzer=eojeol_analyzer(), phrase=False),
        # Vocabularies the query helpers read: 초성 of Korean title and tag words, and the words
        # typo correction may suggest (Korean as keystroke jamo, English unstemmed).
        "initials": KEYWORD(),
        "spell_ko": KEYWORD(),
        "spell_en": KEYWORD(lowercase=True),
        # Latin words as written (not stemmed): a match on the exact form adds score
        "exact": TEXT(analyzer=exact_analyzer(), phrase=False),
        "doc": STORED(),
    }
    for locale in LOCALES:
        analyzer = korean_analyzer() if locale == "ko" else english_analyzer()
        fields[f"title_{locale}"] = TEXT(analyzer=analyzer)
        fields[f"tags_{locale}"] = TEXT(analyzer=analyzer)
        fields[f"summary_{locale}"] = TEXT(analyzer=analyzer)
        fields[f"body_{locale}"] = TEXT(analyzer=analyzer, chars=True)
    return Schema(**fields)


def document_for(article: Article) -> dict[str, Any]:
    """The Whoosh document of an article: analysed fields plus what search results display."""
    doc: dict[str, Any] = {"slug": article.slug, "locales": " ".join(article.locales)}
    display: dict[str, Any] = {"hash": article.content_hash}
    for locale, tr in article.translations.items():
        text = to_plain_text(tr.body)
        doc[f"title_{locale}"] = tr.title
        doc[f"tags_{locale}"] = "\n".join(tr.tags)
        doc[f"summary_{locale}"] = tr.summary
        doc[f"body_{locale}"] = text
        display[locale] = {
            "title": tr.title,
            "summary": tr.summary,
            "tags": list(tr.tags),
            "category": tr.category,
            "updated": tr.updated.isoformat() if tr.updated else None,
            "markdown": tr.body,
            "text": text,
        }
    if "ko" in article.translations:
        ko = article.translations["ko"]
        doc["bigram_ko"] = doc["eojeol_ko"] = "\n".join(
            [ko.title, *ko.tags, ko.summary, doc["body_ko"]]
        )
        doc["initials"] = " ".join(title_initials([ko.title, *ko.tags]))
    doc["exact"] = "\n".join(doc[f"{n}_{loc}"] for n in TEXTS for loc in article.translations)
    doc["spell_en"] = " ".join(
        latin_vocabulary(doc[f"{n}_{loc}"] for n in TEXTS for loc in article.translations)
    )
    doc["doc"] = display
    return doc


def korean_texts(doc: dict[str, Any]) -> list[str]:
    """The texts of ``doc`` that Kiwi analyses (to batch them on all cores)."""
    return [doc[f"{name}_ko"] for name in TEXTS if f"{name}_ko" in doc]


def add_korean_vocabulary(doc: dict[str, Any]) -> None:
    """The Korean spelling vocabulary; run where Kiwi's batch analysis of ``doc`` is cached."""
    doc["spell_ko"] = " ".join(korean_vocabulary(korean_texts(doc)))
