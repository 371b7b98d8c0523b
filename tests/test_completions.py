"""Completions as you type (kb.completions): titles and tags in the reader's locale."""

from __future__ import annotations

from pathlib import Path

import pytest

import kb
from kb import suggest
from tests.conftest import article_text, eventually, write_article

GABAPENTIN_KO = "가바펜틴 효능, 부작용, 주의사항"


def page(index, query: str, locale: str = "ko") -> kb.SearchPage:
    return kb.search(index, query, locale)


@pytest.mark.parametrize(
    ("typed", "locale", "first"),
    [
        ("가바", "ko", GABAPENTIN_KO),
        ("가바ㅍ", "ko", GABAPENTIN_KO),
        ("가밮", "ko", GABAPENTIN_KO),
        ("ㄱㅂㅍㅌ", "ko", GABAPENTIN_KO),
        ("rkqk", "ko", GABAPENTIN_KO),
        ("gaba", "ko", GABAPENTIN_KO),
        ("gaba", "en", "Gabapentin: uses, side effects and precautions"),
        ("ㅎ뮤", "en", "Gabapentin: uses, side effects and precautions"),
        ("효능", "en", "Gabapentin: uses, side effects and precautions"),
    ],
)
def test_completions_in_the_readers_locale(bundled_index, typed, locale, first) -> None:
    completions = suggest(bundled_index, typed, locale)
    assert completions[0].text == first
    assert completions[0].kind == "article" and completions[0].slug == "gabapentin"


def test_completions_include_terms_and_never_repeat_an_article(bundled_index) -> None:
    completions = suggest(bundled_index, "부자", "ko")
    assert 1 < len(completions) <= 8
    titles = [c.slug for c in completions if c.kind == "article"]
    assert len(titles) == len(set(titles))
    assert all("부작용" in c.text for c in completions)
    terms = suggest(bundled_index, "tyl", "ko")
    assert ("Tylenol", "term", "acetaminophen") in [(c.text, c.kind, c.slug) for c in terms]


def test_completions_fall_back_and_say_so(bundled_index) -> None:
    [first, *_] = suggest(bundled_index, "게보", "en")
    assert (first.slug, first.locale, first.fallback) == ("geworin", "ko", True)


@pytest.mark.parametrize("typed", ["", "   ", "\x00", "*" * 500, "zzzzqqq"])
def test_completions_for_odd_input_are_empty_not_errors(bundled_index, typed) -> None:
    assert suggest(bundled_index, typed, "ko") == []


def test_a_tag_shared_by_articles_is_completed_once(bundled_index) -> None:
    terms = [c.text for c in suggest(bundled_index, "간", "ko") if c.kind == "term"]
    assert "간질" in terms and len(terms) == len(set(terms))


def _titles(index: kb.KnowledgeIndex, typed: str, **options: bool) -> list[str]:
    return [c.text for c in suggest(index, typed, "ko", **options)]


def _add_article(content: Path, slug: str, title: str) -> None:
    write_article(content, slug, "ko", article_text(title, "본문입니다.\n", summary="요약"))


def test_right_after_a_swap_the_web_app_may_complete_from_the_build_before(
    bundled_copy: Path, tmp_path: Path
) -> None:
    """Making a build's table takes seconds at 10,000 articles: with ``stale_ok`` (what the
    web app asks) a reader typing is answered from the previous table meanwhile."""
    index_dir = tmp_path / "index"
    kb.build_index(bundled_copy, index_dir)
    index = kb.open_index(index_dir)
    assert "가바나나 시럽" not in _titles(index, "가바나", stale_ok=True)
    _add_article(bundled_copy, "gabanana", "가바나나 시럽")
    kb.update_index(bundled_copy, index_dir)
    assert "가바나나 시럽" not in _titles(index, "가바나", stale_ok=True)  # the build before
    eventually(
        lambda: "가바나나 시럽" in _titles(index, "가바나", stale_ok=True),
        "the new build's table was never made",
    )


def test_without_stale_ok_completions_follow_a_swap_at_once(
    bundled_copy: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    kb.build_index(bundled_copy, index_dir)
    index = kb.open_index(index_dir)
    assert _titles(index, "가바나") == _titles(index, "가바나", stale_ok=True)
    _add_article(bundled_copy, "gabanana", "가바나나 시럽")
    kb.update_index(bundled_copy, index_dir)
    assert "가바나나 시럽" in _titles(index, "가바나")
