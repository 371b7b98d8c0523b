"""Markdown as Korean authors write it: emphasis next to particles and brackets."""

from __future__ import annotations

import pytest

import kb
from kb.markdown import to_html, to_plain_text


@pytest.mark.parametrize(
    ("source", "strong"),
    [
        ("**생리통(월경통)**의 진통", "생리통(월경통)"),
        ("**이 용어(This term)**를 강조해 주세요.", "이 용어(This term)"),
        ("복용 전 **「주의」**를 읽으세요", "「주의」"),
        ("약은 **식후에**, 물과 함께", "식후에"),
    ],
)
def test_bold_closed_before_a_korean_particle_renders_bold(source: str, strong: str) -> None:
    """CommonMark leaves ``**…)**의`` as literal asterisks (a bracket inside, a letter outside)."""
    html = to_html(source)
    assert f"<strong>{strong}</strong>" in html and "**" not in html
    assert "*" not in to_plain_text(source)


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("**foo(bar)**baz", "<p>**foo(bar)**baz</p>"),
        ("snake_case_name", "<p>snake_case_name</p>"),
        ("a **b**c", "<p>a <strong>b</strong>c</p>"),
        ("별표 * 하나와 ** 둘", "<p>별표 * 하나와 ** 둘</p>"),
    ],
)
def test_emphasis_without_cjk_beside_it_parses_as_commonmark(source: str, html: str) -> None:
    assert to_html(source).strip() == html


def test_the_bundled_article_shows_bold_not_asterisks(bundled_index: kb.KnowledgeIndex) -> None:
    view = kb.get_article(bundled_index, "geworin", "ko")
    assert view is not None
    assert "<strong>생리통(월경통)</strong>의 진통" in view.html and "**" not in view.html
    hit = next(h for h in kb.search(bundled_index, "생리통", "ko").hits if h.slug == "geworin")
    assert "<mark>생리통</mark>(월경통)의 진통" in hit.snippet and "*" not in hit.snippet
