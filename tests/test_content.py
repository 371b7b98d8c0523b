"""Loading and validating the content folder: every problem reported with its path and line."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest

from kb.content import (
    BUNDLED_CONTENT,
    ContentError,
    ContentInvalid,
    check_content,
    find_articles,
    load_content,
)
from tests.conftest import article_text, write_article

GOOD = """
---
title: "가바펜틴 효능"
summary: 요약
tags: [가바펜틴, 뇌전증]
category: 신경계
updated: 2026-11-25
source: hospital-feed
---
본문입니다.
"""


def messages(root: Path) -> list[str]:
    return [str(e) for e in check_content(root)]


def test_loads_front_matter_and_keeps_unknown_keys(content_dir: Path) -> None:
    write_article(content_dir, "gabapentin", "ko", GOOD)
    [article] = load_content(content_dir)
    tr = article.translations["ko"]
    assert (article.slug, tr.title, tr.summary, tr.category) == (
        "gabapentin",
        "가바펜틴 효능",
        "요약",
        "신경계",
    )
    assert tr.tags == ("가바펜틴", "뇌전증")
    assert tr.updated == dt.date(2026, 11, 25)
    assert tr.extra == {"source": "hospital-feed"}
    assert tr.body == "본문입니다."


def test_article_with_one_translation_loads(content_dir: Path) -> None:
    write_article(content_dir, "only-en", "en", article_text("Only English", "Body."))
    [article] = load_content(content_dir)
    assert article.locales == ["en"]


def test_nfd_text_is_normalized_to_nfc(content_dir: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "효능")
    write_article(content_dir, "nfd", "ko", article_text(decomposed, decomposed))
    [article] = load_content(content_dir)
    assert article.translations["ko"].title == "효능"


def test_content_hash_changes_with_any_translation(content_dir: Path) -> None:
    write_article(content_dir, "a", "ko", article_text("제목", "본문"))
    path = write_article(content_dir, "a", "en", article_text("Title", "Body"))
    before = load_content(content_dir)[0].content_hash
    assert load_content(content_dir)[0].content_hash == before
    path.write_text(article_text("Title", "Changed body"), encoding="utf-8")
    assert load_content(content_dir)[0].content_hash != before


@pytest.mark.parametrize(
    ("slug", "filename", "text", "expected"),
    [
        ("bad-yaml", "ko.md", '---\ntitle: "x"\ntags: [a, b\n---\nbody\n', "ko.md:3: bad YAML"),
        ("no-title", "en.md", "---\nsummary: s\n---\nbody\n", "en.md:1: missing title"),
        (
            "blank-title",
            "en.md",
            "---\nsummary: s\ntitle: ''\n---\nbody\n",
            "en.md:3: missing title",
        ),
        ("locale", "fr.md", article_text("Titre", "corps"), "fr.md:1: unknown locale 'fr'"),
        ("Bad_Slug", "en.md", article_text("T", "b"), "Bad_Slug: bad slug 'Bad_Slug'"),
        ("empty", "en.md", '---\ntitle: "T"\n---\n\n  \n', "en.md:4: empty body"),
        ("no-fence", "en.md", "title: T\n\nbody\n", "en.md:1: missing front matter"),
        ("unclosed", "en.md", "---\ntitle: T\nbody\n", "en.md:1: front matter is not closed"),
        ("date", "en.md", "---\ntitle: T\nupdated: soon\n---\nb\n", "en.md:3: updated must be"),
        ("tags", "en.md", "---\ntitle: T\ntags: {a: 1}\n---\nb\n", "en.md:3: tags must be a list"),
        ("mapping", "en.md", "---\n- a list\n---\nb\n", "en.md:2: front matter must be a mapping"),
    ],
)
def test_each_problem_is_reported_with_path_and_line(
    content_dir: Path, slug: str, filename: str, text: str, expected: str
) -> None:
    path = content_dir / slug / filename
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    [message] = messages(content_dir)
    assert message.startswith(str(content_dir / slug))
    assert expected in message


def test_duplicate_slug_across_content_folders(tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    write_article(first, "aspirin", "en", article_text("Aspirin", "Body."))
    write_article(second, "aspirin", "ko", article_text("아스피린", "본문."))
    [error] = check_content([first, second])
    assert "duplicate slug 'aspirin'" in str(error)
    assert str(first / "aspirin") in str(error)


def test_every_problem_is_collected_and_loading_refuses(content_dir: Path) -> None:
    write_article(content_dir, "good", "ko", GOOD)
    write_article(content_dir, "one", "en", "---\ntitle: T\n---\n")
    write_article(content_dir, "two", "en", "---\nsummary: s\n---\nbody\n")
    assert len(check_content(content_dir)) == 2
    with pytest.raises(ContentInvalid) as raised:
        load_content(content_dir)
    assert len(raised.value.errors) == 2


def test_missing_content_folder_is_an_error(tmp_path: Path) -> None:
    [error] = check_content(tmp_path / "nowhere")
    assert "does not exist" in str(error)


def test_bundled_knowledge_base_is_valid_and_complete() -> None:
    articles = load_content(BUNDLED_CONTENT)
    by_locales = {tuple(a.locales) for a in articles}
    assert len([a for a in articles if a.locales == ["ko", "en"]]) >= 16
    assert ("en",) in by_locales and ("ko",) in by_locales
    for article in articles:
        for tr in article.translations.values():
            assert tr.title and tr.summary and tr.category and tr.updated, tr.path
            disclaimer = "의학적 조언이 아닙니다" if tr.locale == "ko" else "not medical advice"
            assert disclaimer in tr.body, f"{tr.path} lacks the medical disclaimer"


def test_raw_fingerprint_matches_the_parsed_article_hash(content_dir: Path) -> None:
    write_article(content_dir, "gabapentin", "ko", GOOD)
    write_article(content_dir, "gabapentin", "en", article_text("Gabapentin", "Body."))
    errors: list[ContentError] = []
    [files] = find_articles(content_dir, errors)
    assert errors == []
    assert files.content_hash() == load_content(content_dir)[0].content_hash
