"""kb.schema: the stored form of an article, its indexed fields, and the derived schema version."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

import kb
from kb import schema
from kb.schema import FieldSpec, StoredArticle, document_for, schema_version
from tests.conftest import article_text, write_article


@pytest.fixture
def articles(tmp_path: Path) -> dict[str, kb.Article]:
    root = tmp_path / "content"
    korean = article_text("가바펜틴 효능", "신경통에 씁니다.", tags="[뉴론틴]")
    english = article_text("Gabapentin uses", "For *nerve* pain.", updated="2026-01-02")
    write_article(root, "both", "ko", korean)
    write_article(root, "both", "en", english)
    write_article(root, "english", "en", article_text("Diphenhydramine", "An antihistamine."))
    return {a.slug: a for a in kb.load_content(root)}


def test_the_stored_form_reads_back_equal_and_is_plain_data(articles) -> None:
    for article in articles.values():
        stored = StoredArticle.of(article)
        data = json.loads(json.dumps(stored.to_stored()))  # plain data any engine can keep
        assert StoredArticle.from_stored(data) == stored
    both = StoredArticle.of(articles["both"])
    assert both.locales == ("ko", "en")
    assert both.translations["en"].text == "For nerve pain."  # Markdown made plain for snippets
    assert both.translations["en"].updated == "2026-01-02"
    assert both.translations["ko"].tags == ("뉴론틴",)


def test_a_translation_shows_in_the_wanted_locale_or_else_the_other(articles) -> None:
    english = StoredArticle.of(articles["english"])
    assert english.shown_in("ko") == "en" and english.shown_in("en") == "en"
    assert StoredArticle.of(articles["both"]).shown_in("ko") == "ko"


def test_korean_fields_exist_only_for_articles_with_a_korean_translation(articles) -> None:
    both, english = document_for(articles["both"]), document_for(articles["english"])
    assert "bigram_ko" in both.fields and "eojeol_ko" in both.fields
    assert not any(name.endswith("_ko") for name in english.fields)
    assert english.fields["spell_en"].split() == ["antihistamine", "diphenhydramine"]


def test_the_schema_version_follows_the_field_specs(monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = schema_version()
    assert shipped == schema_version()  # derived, so stable
    specs = schema.field_specs()
    changed = [replace(s, chars=True) if s.name == "summary_en" else s for s in specs]
    monkeypatch.setattr(schema, "field_specs", lambda: changed)
    assert schema_version() != shipped
    monkeypatch.setattr(schema, "field_specs", lambda: [*specs, FieldSpec("extra", "keyword")])
    assert schema_version() != shipped


def test_a_build_of_another_schema_version_is_refused(articles, tmp_path: Path) -> None:
    content = tmp_path / "content"
    index_dir = tmp_path / "index"
    kb.build_index(content, index_dir)
    manifest = next((index_dir / "builds").glob("*/kb-index.json"))
    data = json.loads(manifest.read_text(encoding="utf-8"))
    manifest.write_text(json.dumps({**data, "schema_version": "0"}), encoding="utf-8")
    with pytest.raises(kb.IndexVersionMismatch, match="rebuild"):
        kb.open_index(index_dir)
