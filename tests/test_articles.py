"""kb.articles: an article is rendered once, when it is indexed, and served as stored.

An article at the size limit (kb.content.MAX_ARTICLE_BYTES) views and searches like a small one:
its HTML is read back, not rendered, and its snippet is the one the quadratic oracle chooses.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import kb
from kb import markdown
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
