"""kb.articles: an article is rendered once, when it is indexed, and served as stored.

An article at the size limit (kb.content.MAX_ARTICLE_BYTES) views and searches like a small one:
its HTML is read back, not rendered, and its snippet is the one the quadratic oracle chooses.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import kb
from kb import markdown
from kb.articles import ArticleList
from kb.cache import repacked
from kb.content import MAX_ARTICLE_BYTES
from kb.markdown import to_html
from kb.schema import StoredArticle
from tests.conftest import article_text, write_article
from tests.test_snippets import oracle_snippet

FILLER = "Take it with water and keep a list of the medicines you use at home. "


def big_body(budget: int) -> str:
    """About ``budget`` bytes of paragraphs, each naming gabapentin; only one names seizures."""
    paragraph = f"Gabapentin is a medicine. {FILLER * 25}\n\n"
    count = budget // len(paragraph)
    paragraphs = [paragraph] * count
    paragraphs[count * 2 // 3] = f"**Gabapentin** prevents seizures. {FILLER * 24}\n\n"
    return "".join(paragraphs)


@pytest.fixture(scope="module")
def big_index(tmp_path_factory: pytest.TempPathFactory) -> kb.KnowledgeIndex:
    root = tmp_path_factory.mktemp("big") / "content"
    head = article_text("Gabapentin at length", "")
    path = write_article(root, "big", "en", head + big_body(MAX_ARTICLE_BYTES - len(head) - 1))
    assert MAX_ARTICLE_BYTES - 2000 < path.stat().st_size <= MAX_ARTICLE_BYTES
    write_article(root, "small", "en", article_text("Aspirin", "Aspirin relieves *pain*."))
    kb.build_index(root, root.with_name("index"))
    return kb.open_index(root.with_name("index"))


@pytest.fixture
def no_rendering(monkeypatch: pytest.MonkeyPatch) -> None:
    """Markdown rendering fails from here on: whatever still works does not render."""

    class Refuse:
        def render(self, source: str) -> str:
            raise AssertionError("Markdown rendered while serving")

    monkeypatch.setattr(markdown, "_md", Refuse())


def test_the_sanitized_html_is_stored_when_the_article_is_indexed(content_dir: Path) -> None:
    body = "# Uses\n\nFor *pain*. <script>alert(1)</script>"
    write_article(content_dir, "a", "en", article_text("A", body))
    [article] = kb.load_content(content_dir)
    stored = StoredArticle.of(article).translations["en"]
    assert stored.html == to_html(body)
    assert "<em>pain</em>" in stored.html and "<script>" not in stored.html


def test_viewing_an_article_serves_the_stored_html(big_index, no_rendering) -> None:
    view = kb.get_article(big_index, "small", "en")
    assert view is not None
    assert view.html == "<p>Aspirin relieves <em>pain</em>.</p>\n"


def test_an_article_at_the_size_limit_views_from_the_stored_html(big_index, no_rendering) -> None:
    view = kb.get_article(big_index, "big", "ko")
    assert view is not None and view.fallback
    assert view.html.count("<p>") > 300
    assert "<p><strong>Gabapentin</strong> prevents seizures." in view.html


def test_an_article_at_the_size_limit_gets_the_oracles_snippet(big_index) -> None:
    found = kb.searching.find(big_index, "gabapentin seizures")
    [(docnum, _, _), *_] = found.ranking.page(0, 10)
    engine = found.snapshot.engine
    assert engine.article(docnum).slug == "big"
    spans = engine.spans("body_en", docnum, found.shown.terms["en"])
    assert len(spans) > 300
    hit = kb.search(big_index, "gabapentin seizures", "en").hits[0]
    assert hit.slug == "big"
    assert hit.snippet == oracle_snippet(engine.article(docnum).translations["en"].text, spans)
    assert "<mark>Gabapentin</mark> prevents <mark>seizures</mark>" in hit.snippet


# -- the article list, packed -------------------------------------------------------------------

SUMMARIES = [
    kb.ArticleSummary("a", "ko", "가바펜틴", "요약입니다", "신경", ("간질", "신경통"), "2025-01-02",
                      False, ("ko", "en")),
    kb.ArticleSummary("b", "en", "Zolpidem", "", "", (), None, True, ("en",)),
    kb.ArticleSummary("c-😴", "en", "Émoji 😴 title", "A summary, with \"quotes\" & <b>", "Sleep",
                      ("one",), "2026-12-01", False, ("ko", "en")),
]  # fmt: skip


def test_a_packed_list_reads_back_every_summary_as_made() -> None:
    packed = ArticleList(SUMMARIES)
    assert len(packed) == 3 and list(packed) == SUMMARIES
    assert packed[-1] == SUMMARIES[-1] and packed[1:] == SUMMARIES[1:]
    assert list(ArticleList([])) == []
    with pytest.raises(IndexError):
        packed[3]


def test_the_bundled_list_is_what_the_stored_articles_say(bundled_index) -> None:
    """Each entry, read back from the packed list, is the article's stored title, summary,
    tags and dates in the locale it is shown in."""
    for locale in ("ko", "en"):
        listed = kb.list_articles(bundled_index, locale)
        assert len(listed) == len(set(a.slug for a in listed)) >= 18
        for item in listed:
            article = bundled_index.snapshot().engine.find(item.slug)
            assert article is not None
            shown = article.translations[item.locale]
            assert (item.title, item.summary, item.tags, item.updated) == (
                shown.title, shown.summary, shown.tags, shown.updated
            )  # fmt: skip
            assert item.fallback == (item.locale != locale) and item.locales == article.locales


def test_a_repacked_value_equals_the_value_made() -> None:
    made = repacked(lambda n: {"list": ArticleList(SUMMARIES[:n]), "n": n})(2)
    assert list(made["list"]) == SUMMARIES[:2] and made["n"] == 2
