"""초성 search and a last word still being typed (kb.initials and the query prefix)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import kb
from tests.conftest import article_text, write_article

GABAPENTIN_KO = "가바펜틴 효능, 부작용, 주의사항"


def page(index, query: str, locale: str = "ko") -> kb.SearchPage:
    return kb.search(index, query, locale)


@pytest.mark.parametrize("query", ["ㄱㅂㅍㅌ", "ㄱㅂ", "ㄱㅂㅍㅌㅎㄴ", "ㄱㅂㅍㅌ ㅎㄴ"])
def test_initials_find_the_article_whose_title_starts_with_them(bundled_index, query) -> None:
    assert page(bundled_index, query).hits[0].slug == "gabapentin"


def test_initials_match_title_words_and_tags(bundled_index) -> None:
    found = {h.slug for h in kb.search(bundled_index, "ㅂㅈㅇ", "ko", per_page=50).hits}
    assert {"gabapentin", "aspirin", "geworin"} <= found  # 부작용 in their titles
    tags = {h.slug for h in page(bundled_index, "ㄴㄹㅌ").hits}
    assert tags == {"gabapentin"}  # 뉴론틴 is a tag of gabapentin only


def test_initials_that_match_nothing_give_an_empty_page(bundled_index) -> None:
    result = page(bundled_index, "ㅋㅋㅋㅋ")
    assert (result.total, result.notice, result.hits) == (0, None, [])


@pytest.mark.parametrize("query", ["가바ㅍ", "가바펜ㅌ", "가바펜틴 부ㅈ"])
def test_a_last_word_still_being_typed_matches_as_a_prefix(bundled_index, query) -> None:
    assert page(bundled_index, query).hits[0].slug == "gabapentin"


def test_initials_follow_updates_edited_and_removed_articles(
    content_dir: Path, tmp_path: Path
) -> None:
    """The 초성 table is the build's: an edited title matches by its new 초성 only, and a
    removed article no longer matches."""
    write_article(content_dir, "naproxen", "ko", article_text("나프록센", "진통제입니다."))
    write_article(content_dir, "melatonin", "ko", article_text("멜라토닌", "수면 호르몬입니다."))
    index_dir = tmp_path / "index"
    kb.build_index(content_dir, index_dir)
    assert [h.slug for h in page(kb.open_index(index_dir), "ㅁㄹㅌ").hits] == ["melatonin"]
    write_article(content_dir, "naproxen", "ko", article_text("낙센", "진통제입니다."))
    shutil.rmtree(content_dir / "melatonin")
    kb.update_index(content_dir, index_dir, force=True)
    index = kb.open_index(index_dir)
    assert page(index, "ㅁㄹㅌ").total == 0
    assert page(index, "ㄴㅍㄹ").total == 0
    assert [h.slug for h in page(index, "ㄴㅅ").hits] == ["naproxen"]
