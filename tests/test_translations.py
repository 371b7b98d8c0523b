"""Article translations: provenance, every state and transition, mark-current, start, diff."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import indexer
from kb.content import check_content, load_content
from kb.translating.provenance import KEY
from kb.translating.status import article_status, status_report
from kb.translating.workflow import (
    TranslationRefused,
    article_diff,
    find_article,
    mark_current,
)
from tests.conftest import EN_TRANSLATION, KO_SOURCE, bundled_slugs, git, write_article


def status_of(content: Path, slug: str = "gabapentin"):
    return article_status(find_article(content, slug))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(indexer.cli, list(args))
    return result.exit_code, result.output


# -- states and transitions -------------------------------------------------------------------


def test_a_marked_translation_is_current_and_says_from_what(translated_pair: Path) -> None:
    status = status_of(translated_pair)
    assert (status.state, status.locale, status.source_locale) == ("current", "en", "ko")
    en = (translated_pair / "gabapentin" / "en.md").read_text(encoding="utf-8")
    assert f"{KEY}:\n  locale: ko\n  hash: " in en


def test_a_source_edit_outdates_exactly_its_section_and_a_revert_clears_it(
    translated_pair: Path,
) -> None:
    ko = translated_pair / "gabapentin" / "ko.md"
    original = ko.read_bytes()
    edit(ko, "- 어지러움", "- 어지러움\n- 두통")
    status = status_of(translated_pair)
    assert status.state == "outdated"
    assert [(c.id, c.change) for c in status.changes] == [("s2", "changed")]
    edit(ko, "가바펜틴의 효능과 부작용", "가바펜틴의 효능, 부작용")
    assert status_of(translated_pair).outdated_sections == ["summary", "s2"]
    ko.write_bytes(original)  # git checkout / revert: the translation is untouched
    assert status_of(translated_pair).state == "current"


def test_whitespace_and_date_edits_of_the_source_change_nothing(translated_pair: Path) -> None:
    ko = translated_pair / "gabapentin" / "ko.md"
    edit(ko, "뇌전증과 신경병증성 통증에 씁니다.", "뇌전증과   신경병증성\n통증에 씁니다.  ")
    edit(ko, "updated: 2026-11-01", "updated: 2026-12-01")
    assert status_of(translated_pair).state == "current"


def test_editing_the_translation_keeps_it_current(translated_pair: Path) -> None:
    edit(translated_pair / "gabapentin" / "en.md", "Epilepsy", "Epilepsy (seizures)")
    assert status_of(translated_pair).state == "current"


def test_added_and_removed_source_sections_are_outdated(translated_pair: Path) -> None:
    ko = translated_pair / "gabapentin" / "ko.md"
    edit(ko, "## 부작용\n\n- 졸음\n- 어지러움\n", "## 주의사항\n\n운전을 조심하세요.\n")
    edit(ko, "## 효능", "## 주의\n\n조심하세요.\n\n## 효능")
    changes = [(c.id, c.change) for c in status_of(translated_pair).changes]
    assert changes == [("s1", "changed"), ("s2", "changed"), ("s3", "added")]


def test_anchored_sections_align_by_name_not_order(content_dir: Path) -> None:
    write_article(content_dir, "a", "ko", "---\ntitle: 가\n---\n## 효능 {#uses}\n\n글\n")
    write_article(content_dir, "a", "en", "---\ntitle: A\n---\n## Uses {#uses}\n\nText\n")
    mark_current(find_article(content_dir, "a"), "en")
    edit(
        content_dir / "a" / "ko.md",
        "## 효능 {#uses}",
        "## 개요 {#intro-new}\n\n새 글\n\n## 효능 {#uses}",
    )
    assert [(c.id, c.change) for c in status_of(content_dir, "a").changes] == [
        ("intro-new", "added")
    ]
    [article] = load_content(content_dir)  # readers never see the anchor
    assert "{#" not in article.translations["ko"].body.replace("{#uses}", "").replace(
        "{#intro-new}", ""
    )


def test_missing_untracked_orphan_and_invalid(content_dir: Path) -> None:
    write_article(content_dir, "only-ko", "ko", KO_SOURCE)
    write_article(content_dir, "untracked", "ko", KO_SOURCE)
    write_article(content_dir, "untracked", "en", EN_TRANSLATION)
    write_article(content_dir, "orphan", "en", EN_TRANSLATION)
    orphan = content_dir / "orphan" / "en.md"
    edit(orphan, "updated: 2026-11-02\n", f"{KEY}:\n  locale: ko\n  hash: abcd\n  sections: {{}}\n")
    for slug in ("both", "both"):
        for locale, text, source in (("ko", KO_SOURCE, "en"), ("en", EN_TRANSLATION, "ko")):
            path = write_article(content_dir, slug, locale, text)
            edit(path, "---\n", f"---\n{KEY}: {{locale: {source}, hash: abcd, sections: {{}}}}\n")
    report = status_report(content_dir)
    states = {row.slug: (row.state, row.locale, row.source_locale) for row in report.articles}
    assert states == {
        "both": ("invalid", None, None),
        "only-ko": ("missing", "en", "ko"),
        "orphan": ("orphan", "en", "ko"),
        "untracked": ("untracked", None, None),
    }
    assert any("orphan/en.md: translated_from names 'ko'" in e for e in report.errors())
    assert report.counts()["invalid"] == 1


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("ko", "translated_from must be a mapping"),
        ("{locale: ko, hash: xyz, sections: {}}", "translated_from.hash must be a hexadecimal"),
        ("{locale: en, hash: ab12, sections: {}}", "translated_from.locale is this file's own"),
        ("{locale: ko, hash: ab12, sections: {title: 5}}", "sections must map section ids"),
        ("{locale: ko, hash: ab12, sections: {}, by: me}", "unknown keys: by"),
    ],
)
def test_bad_provenance_is_an_error_at_its_line(
    content_dir: Path, value: str, message: str
) -> None:
    write_article(content_dir, "a", "en", f"---\ntitle: A\n{KEY}: {value}\n---\nBody\n")
    [error] = check_content(content_dir)
    assert str(error).endswith(f"en.md:3: {message}") or message in str(error)
    assert ":3:" in str(error)


def test_a_reserved_or_repeated_anchor_is_an_error_at_its_line(content_dir: Path) -> None:
    write_article(content_dir, "a", "en", "---\ntitle: A\n---\nIntro\n\n## X {#x}\n\n## Y {#x}\n")
    [error] = check_content(content_dir)
    assert str(error).endswith("en.md:8: heading anchor {#x} is used twice")


# -- mark-current ----------------------------------------------------------------------------


def test_mark_current_changes_only_the_provenance_lines(translated_pair: Path) -> None:
    en = translated_pair / "gabapentin" / "en.md"
    ko = translated_pair / "gabapentin" / "ko.md"
    crlf = en.read_bytes().replace(b"\n", b"\r\n")
    crlf = crlf.replace(b"\r\ntags:", b"\r\n# kept comment\r\ntags:")
    en.write_bytes(crlf)
    edit(ko, "- 졸음", "- 졸림")
    assert status_of(translated_pair).state == "outdated"
    code, output = run(
        "translations", "mark-current", "gabapentin", "--content", str(translated_pair)
    )
    assert code == 0, output
    after = en.read_bytes()
    assert status_of(translated_pair).state == "current"

    def without_provenance(raw: bytes) -> list[bytes]:
        lines = raw.split(b"\r\n")
        start = lines.index(b"translated_from:")
        end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith(b" "))
        return lines[:start] + lines[end:]

    assert without_provenance(after) == without_provenance(crlf)
    assert after != crlf
    assert b"\n" not in after.replace(b"\r\n", b"")  # line endings kept


def test_mark_current_one_section_leaves_the_others_outdated(translated_pair: Path) -> None:
    ko = translated_pair / "gabapentin" / "ko.md"
    edit(ko, "항경련제입니다", "항경련제 입니다")  # a typo fix in the intro
    edit(ko, "- 졸음", "- 졸림")
    mark_current(find_article(translated_pair, "gabapentin"), section="intro")
    assert status_of(translated_pair).outdated_sections == ["s2"]
    with pytest.raises(TranslationRefused, match=r"no section 'nope'.*sections: title, summary"):
        mark_current(find_article(translated_pair, "gabapentin"), section="nope")


def test_a_section_hash_of_digits_only_is_written_so_it_reads_back(content_dir: Path) -> None:
    """This title's hash is 262342685693: unquoted, YAML reads a number and the translation
    was refused as invalid the moment mark-current wrote it."""
    title = "슈도에페드린(슈다페드): 용도, 부작용, 복용 시 주의할 점"
    write_article(content_dir, "a", "ko", KO_SOURCE.replace('"가바펜틴 안내"', f'"{title}"'))
    write_article(content_dir, "a", "en", EN_TRANSLATION)
    mark_current(find_article(content_dir, "a"), "en")
    en = (content_dir / "a" / "en.md").read_text(encoding="utf-8")
    assert "    title: '262342685693'\n" in en
    assert status_of(content_dir, "a").state == "current"
    assert check_content(content_dir) == []


def test_a_hash_yaml_read_as_a_number_is_named_with_the_fix(content_dir: Path) -> None:
    write_article(content_dir, "a", "ko", KO_SOURCE)
    write_article(content_dir, "a", "en", EN_TRANSLATION)
    mark_current(find_article(content_dir, "a"), "en")
    en = content_dir / "a" / "en.md"
    text = en.read_text(encoding="utf-8")
    start = text.index("    title: ") + len("    title: ")
    en.write_text(text[:start] + "262342685693" + text[start + 12 :], encoding="utf-8")
    problems = [str(p) for p in check_content(content_dir)]
    assert any(
        "en.md:" in p and "title's hash reads as a number: put it in quotes" in p for p in problems
    ), problems


def test_mark_current_of_an_untracked_article_asks_which_file(content_dir: Path) -> None:
    write_article(content_dir, "a", "ko", KO_SOURCE)
    write_article(content_dir, "a", "en", EN_TRANSLATION)
    code, output = run("translations", "mark-current", "a", "--content", str(content_dir))
    assert code == 1 and "--locale (ko or en)" in output
    code, output = run("translations", "mark-current", "a", "--locale", "en", "--content",
                       str(content_dir))  # fmt: skip
    assert code == 0 and status_of(content_dir, "a").state == "current"
    with pytest.raises(TranslationRefused, match=r"ko\.md is the source of .*en\.md"):
        mark_current(find_article(content_dir, "a"), "ko")


# -- start ---------------------------------------------------------------------------------


def test_start_scaffolds_a_draft_that_is_not_published(content_dir: Path, tmp_path: Path) -> None:
    import kb

    write_article(content_dir, "a", "ko", KO_SOURCE)
    code, output = run("translations", "start", "a", "--to", "en", "--content", str(content_dir))
    assert code == 0, output
    en = content_dir / "a" / "en.md"
    text = en.read_text(encoding="utf-8")
    assert "draft: true" in text and "## 효능" in text and f"{KEY}:\n  locale: ko" in text
    status = status_of(content_dir, "a")
    assert (status.state, status.draft) == ("current", True)
    index = kb.open_index(kb.build_index(content_dir, tmp_path / "index").build_dir.parent.parent)
    view = kb.get_article(index, "a", "en")
    assert view is not None and view.fallback and view.locale == "ko"
    code, output = run("translations", "start", "a", "--to", "en", "--content", str(content_dir))
    assert code == 1 and "exists already" in output


# -- CLI status ------------------------------------------------------------------------------


def test_status_json_locale_filter_and_fail_on(translated_pair: Path) -> None:
    write_article(translated_pair, "lonely", "en", EN_TRANSLATION)
    edit(translated_pair / "gabapentin" / "ko.md", "- 졸음", "- 졸림")
    args = ["translations", "status", "--content", str(translated_pair)]
    code, output = run(*args, "--json")
    assert code == 0
    data = json.loads(output)
    rows = {row["slug"]: row for row in data["articles"]}
    assert rows["gabapentin"]["state"] == "outdated"
    assert rows["gabapentin"]["outdated_sections"] == [{"id": "s2", "change": "changed"}]
    assert rows["lonely"] == {**rows["lonely"], "state": "missing", "locale": "ko"}
    assert {c["locale"] for c in data["catalogs"]} == {"ko", "en"}
    code, output = run(*args, "--json", "--locale", "ko")
    assert [row["slug"] for row in json.loads(output)["articles"]] == ["lonely"]
    code, output = run(*args)
    assert "gabapentin  outdated   ko → en   s2" in output
    assert run(*args, "--fail-on", "outdated")[0] == 1
    assert run(*args, "--fail-on", "missing", "--locale", "en")[0] == 0
    assert run(*args, "--fail-on", "error")[0] == 0


def test_bundled_articles_have_real_provenance() -> None:
    from kb.content import BUNDLED_CONTENT

    report = status_report(BUNDLED_CONTENT)
    states = {row.slug: row.state for row in report.articles}
    assert states.pop("geworin") == states.pop("diphenhydramine") == "missing"
    assert set(states.values()) == {"current"} and len(states) == len(bundled_slugs()) - 2


# -- diff ------------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_diff_from_git_shows_two_edits_as_one_since_the_translation(
    translated_pair: Path,
) -> None:
    git(translated_pair, "init", "-q")
    git(translated_pair, "add", ".")
    git(translated_pair, "commit", "-qm", "translated")
    ko = translated_pair / "gabapentin" / "ko.md"
    edit(ko, "- 어지러움", "- 심한 어지러움")
    git(translated_pair, "commit", "-qam", "first edit")
    edit(ko, "- 졸음", "- 졸림")
    result = article_diff(find_article(translated_pair, "gabapentin"))
    assert result.unavailable == ""
    [section] = result.sections
    assert (section.id, section.heading) == ("s2", "부작용")
    assert ("-", "졸음") in section.diff and ("+", "졸림") in section.diff
    assert ("+", "심한 ") in section.diff
    assert "- drowsiness" in section.translation
    code, output = run("translations", "diff", "gabapentin", "--no-glossary", "--content",
                       str(translated_pair))  # fmt: skip
    assert code == 0
    assert "[s2] — 부작용 (changed)" in output and "[-졸음-]{+졸림+}" in output
    assert "{+심한 +}" in output and "- drowsiness" in output


def test_diff_outside_git_is_unavailable_but_lists_the_sections(translated_pair: Path) -> None:
    edit(translated_pair / "gabapentin" / "ko.md", "- 졸음", "- 졸림")
    code, output = run("translations", "diff", "gabapentin", "--no-glossary", "--content",
                       str(translated_pair))  # fmt: skip
    assert code == 0
    assert "diff unavailable: the content folder is not in a git repository" in output
    assert "[s2] — 부작용 (changed)" in output and "- 졸림" in output


def test_diff_of_an_unknown_article_is_one_line(content_dir: Path) -> None:
    code, output = run("translations", "diff", "nope", "--content", str(content_dir))
    assert code == 1 and output.strip() == "Error: no article 'nope' in the content folder(s)"


def test_the_status_cache_reuses_rows_only_for_unchanged_articles(
    translated_pair: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kb.translating import status as status_module

    cache = tmp_path / "index" / "translation-status.json"
    first = status_report(translated_pair, cache=cache)
    assert cache.is_file() and first.articles[0].state == "current"
    parsed: list[str] = []
    real = status_module.checked_status
    monkeypatch.setattr(
        status_module, "checked_status", lambda a, *rest: parsed.append(a.slug) or real(a, *rest)
    )
    assert status_report(translated_pair, cache=cache).to_json() == first.to_json()
    assert parsed == []  # nothing changed: every row from the cache
    edit(translated_pair / "gabapentin" / "ko.md", "- 졸음", "- 졸림")
    assert status_report(translated_pair, cache=cache).articles[0].state == "outdated"
    assert parsed == ["gabapentin"]
    monkeypatch.setattr(status_module, "code_version", lambda: "other code")
    status_report(translated_pair, cache=cache)
    assert parsed == ["gabapentin", "gabapentin"]  # a cache made by other code is not trusted


def test_parsing_in_processes_gives_the_same_report(
    translated_pair: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kb.translating import status as status_module

    write_article(translated_pair, "only-ko", "ko", KO_SOURCE)
    write_article(translated_pair, "broken", "en", "---\ntitle: [x\n---\nBody\n")
    edit(translated_pair / "gabapentin" / "ko.md", "- 졸음", "- 졸림")
    serial = status_report(translated_pair).to_json()
    monkeypatch.setattr(status_module, "PARALLEL_FROM", 1)
    assert status_report(translated_pair, workers=2).to_json() == serial
    assert [row["state"] for row in serial["articles"]] == ["invalid", "outdated", "missing"]


def test_a_build_primes_the_status_cache(translated_pair: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    code, output = run("build", "--content", str(translated_pair), "--index", str(index))
    assert code == 0, output
    assert (index / "translation-status.json").is_file()
    code, output = run("translations", "status", "--json", "--content", str(translated_pair),
                       "--index", str(index))  # fmt: skip
    assert code == 0 and json.loads(output)["articles"][0]["state"] == "current"
