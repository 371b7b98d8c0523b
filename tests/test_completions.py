"""Completions as you type (kb.completions): titles and tags in the reader's locale. Tables
are cut from titles and tags alone: the builds here make no passage vectors (half the time)."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

import kb
from kb import suggest
from kb.analysis.hangul import decompose_word
from kb.builds import Manifest
from kb.completiontable import FILE, CompletionTable, made_from
from kb.content import BUNDLED_CONTENT, load_content
from kb.embedding import NO_ENCODER
from kb.snapshot import IndexSnapshot
from tests.conftest import article_text, write_article

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


def test_completions_follow_an_update_at_once(bundled_copy: Path, tmp_path: Path) -> None:
    """The table is stored with each build, so the build swapped in completes its own titles
    from the first keystroke (no server works on it meanwhile)."""
    index_dir = tmp_path / "index"
    kb.build_index(bundled_copy, index_dir, embedding=NO_ENCODER)
    index = kb.open_index(index_dir)
    assert "가바나나 시럽" not in _titles(index, "가바나")
    _add_article(bundled_copy, "gabanana", "가바나나 시럽")
    kb.update_index(bundled_copy, index_dir, embedding=NO_ENCODER)
    assert "가바나나 시럽" in _titles(index, "가바나")
    assert index.snapshot().completions is not None


def stored_table(index_dir: Path) -> CompletionTable:
    table = CompletionTable.read((index_dir / "current").resolve())
    assert table is not None
    return table


def same_tables(one: CompletionTable, other: CompletionTable) -> bool:
    return all(
        np.array_equal(np.asarray(getattr(one, name)), np.asarray(getattr(other, name)))
        for name in ("place", "slug", "locale", "text", "term_group", "slug_locales",
                     "slug_titles")
    ) and all(
        list(getattr(one, name)) == list(getattr(other, name))
        for name in ("keys", "texts", "slugs")
    )  # fmt: skip


def test_an_updated_table_is_the_table_a_full_build_writes(
    bundled_copy: Path, tmp_path: Path
) -> None:
    """An update carries the live table's rows over and cuts only the changed articles into
    keys: added, retitled, retagged, a translation removed, an article removed."""
    kb.build_index(bundled_copy, tmp_path / "updated", embedding=NO_ENCODER)
    _add_article(bundled_copy, "gabanana", "가바나나 시럽")
    gabapentin = (bundled_copy / "gabapentin" / "ko.md").read_text(encoding="utf-8")
    (bundled_copy / "gabapentin" / "ko.md").write_text(
        gabapentin.replace("가바펜틴 효능", "가바펜틴(뉴론틴) 효능"), encoding="utf-8"
    )
    slugs = sorted(p.name for p in bundled_copy.iterdir() if p.is_dir())
    shutil.rmtree(bundled_copy / slugs[-1])
    both = next(s for s in slugs[:-1] if (bundled_copy / s / "en.md").exists()
                and (bundled_copy / s / "ko.md").exists() and s != "gabapentin")  # fmt: skip
    (bundled_copy / both / "en.md").unlink()
    report = kb.update_index(bundled_copy, tmp_path / "updated", embedding=NO_ENCODER)
    assert not report.full and report.removed == 1
    kb.build_index(bundled_copy, tmp_path / "whole", embedding=NO_ENCODER)

    updated, whole = stored_table(tmp_path / "updated"), stored_table(tmp_path / "whole")
    assert same_tables(updated, whole)
    assert same_tables(whole, made_from(load_content(bundled_copy)))
    index = kb.open_index(tmp_path / "updated")
    assert "가바펜틴(뉴론틴) 효능, 부작용, 주의사항" in _titles(index, "가바")
    assert [c.slug for c in suggest(index, "가바나", "ko")] == ["gabanana"]


def _edit(content: Path, slug: str, old: str, new: str) -> None:
    path = content / slug / "ko.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_edit_of_bodies_alone_keeps_the_live_table(bundled_copy: Path, tmp_path: Path) -> None:
    """Titles and tags unchanged, the live table is the next one: its file is carried over as
    it is (not cut again), and a changed tag still makes a new table that completes it."""
    index_dir = tmp_path / "index"
    kb.build_index(bundled_copy, index_dir, embedding=NO_ENCODER)
    before = (index_dir / "current" / FILE).resolve().stat()
    _edit(bundled_copy, "gabapentin", "항경련제 계열의", "항경련제 계열에 속하는")
    report = kb.update_index(bundled_copy, index_dir, embedding=NO_ENCODER)
    assert report.changed == 1
    after = (index_dir / "current" / FILE).resolve().stat()
    assert after.st_ino == before.st_ino and after.st_mtime_ns == before.st_mtime_ns
    index = kb.open_index(index_dir)
    assert suggest(index, "가바", "ko")[0].text == GABAPENTIN_KO

    _edit(bundled_copy, "gabapentin", "하지불안 증후군]", "하지불안 증후군, 대상포진 후 신경통]")
    kb.update_index(bundled_copy, index_dir, embedding=NO_ENCODER)
    assert (index_dir / "current" / FILE).resolve().stat().st_ino != before.st_ino
    assert "대상포진 후 신경통" in [c.text for c in suggest(index, "대상포진 후", "ko")]
    kb.build_index(bundled_copy, tmp_path / "whole", embedding=NO_ENCODER)
    assert same_tables(stored_table(index_dir), stored_table(tmp_path / "whole"))


def test_a_build_from_before_stored_tables_still_completes(
    bundled_copy: Path, tmp_path: Path
) -> None:
    """Such a build has its table made on first use, and its next update stores one."""
    index_dir = tmp_path / "index"
    kb.build_index(bundled_copy, index_dir, embedding=NO_ENCODER)
    expected = _titles(kb.open_index(index_dir), "가바")
    (index_dir / "current" / FILE).unlink()
    index = kb.open_index(index_dir)
    assert index.snapshot().completions is None
    assert _titles(index, "가바") == expected
    _add_article(bundled_copy, "gabanana", "가바나나 시럽")
    kb.update_index(bundled_copy, index_dir, embedding=NO_ENCODER)
    assert index.snapshot().completions is not None
    assert "가바나나 시럽" in _titles(index, "가바나")


def test_a_cut_short_table_is_refused(bundled_index_dir: Path, tmp_path: Path) -> None:
    build = tmp_path / "build"
    shutil.copytree((bundled_index_dir / "current").resolve(), build)
    manifest = Manifest.read(build)
    with (build / FILE).open("r+b") as file:
        file.truncate((build / FILE).stat().st_size // 2)
    replace(manifest, files={**manifest.files, FILE: (build / FILE).stat().st_size}).write(build)
    with pytest.raises(kb.IndexDamaged, match="cut short"):
        IndexSnapshot(build)


ARTICLES = load_content(BUNDLED_CONTENT)
WHOLE = made_from(ARTICLES)


@pytest.mark.parametrize(
    ("table", "complaint"),
    [
        (made_from(ARTICLES[1:]), f"completion table does not match.*{ARTICLES[0].slug}"),
        (replace(WHOLE, text=WHOLE.text + len(WHOLE.texts)), "a row's text out of range"),
        (replace(WHOLE, slug=-WHOLE.slug - 1), "a row's slug out of range"),
    ],
    ids=["other articles", "no such text", "no such article"],
)
def test_a_table_that_is_not_the_builds_fails_the_check_before_publishing(
    bundled_index_dir: Path, tmp_path: Path, table: CompletionTable, complaint: str
) -> None:
    build = tmp_path / "build"
    shutil.copytree((bundled_index_dir / "current").resolve(), build)
    table.write(build)
    manifest = Manifest.read(build)
    replace(manifest, files={**manifest.files, FILE: (build / FILE).stat().st_size}).write(build)
    snapshot = IndexSnapshot(build)
    with pytest.raises(kb.IndexDamaged, match=complaint):
        snapshot.verify([a.slug for a in ARTICLES])
    snapshot.close()


def test_what_readers_type_is_not_memoised(bundled_index) -> None:
    """Keystroke forms are memoised for a build's words, never for queries: each distinct
    query would stay in every server worker until the memo is full (~14 MiB)."""
    before = decompose_word.cache_info().currsize
    for typed in ("가바펜틴 부잣", "효늠이 뭐예요", "rkqkvpsxls", "ㄱㅂㅍ"):
        assert suggest(bundled_index, typed, "ko") is not None
        kb.search(bundled_index, typed, "ko")
    assert decompose_word.cache_info().currsize == before
