"""Interface catalogs: honest counts, placeholder and plural checks, fuzzy diffs."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

import indexer
from kb.translating.catalogs import catalog_paths, catalog_status
from kb.translating.diffs import diff_text
from tests.conftest import TRANSLATIONS

HEADER = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=utf-8\\n"
"Plural-Forms: nplurals={n}; plural={rule};\\n"

"""
KO_HEADER = HEADER.format(n=1, rule="0")
EN_HEADER = HEADER.format(n=2, rule="(n != 1)")


def catalog(folder: Path, locale: str, text: str) -> Path:
    path = folder / locale / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


COUNTED = (
    KO_HEADER
    + """\
msgid "Search"
msgstr "검색"

#, fuzzy
msgid "Search again"
msgstr "검색"

msgid "Home"
msgstr ""

#, python-format
msgid "%(num)s article"
msgid_plural "%(num)s articles"
msgstr[0] "글 %(num)s개"

#~ msgid "Gone"
#~ msgstr "없어짐"
"""
)


def test_counts_never_call_fuzzy_obsolete_or_half_plurals_translated(tmp_path: Path) -> None:
    ko = catalog_status("ko", catalog(tmp_path, "ko", COUNTED))
    assert (ko.translated, ko.fuzzy, ko.untranslated, ko.obsolete) == (2, 1, 1, 1)
    en = catalog_status("en", catalog(tmp_path, "en", EN_HEADER + """\
#, python-format
msgid "%(num)s article"
msgid_plural "%(num)s articles"
msgstr[0] "%(num)s article"
msgstr[1] ""
"""))  # fmt: skip
    assert (en.translated, en.untranslated) == (0, 1)
    assert en.errors == []


def test_placeholders_must_exist_in_the_source(tmp_path: Path) -> None:
    path = catalog(tmp_path, "ko", KO_HEADER + """\
#, python-format
msgid "Results for %(query)s"
msgstr "%(qeury)s 검색 결과"

msgid "Hello {name}"
msgstr "{nmae}님 안녕하세요"

#, python-format
msgid "One article"
msgid_plural "%(num)s articles"
msgstr[0] "글 %(num)s개"

#, python-format
msgid "%(num)s result"
msgid_plural "%(num)s results"
msgstr[0] "결과 %(count)s개"

#, python-format
msgid "100%% sure"
msgstr "100%% 확실"

#, fuzzy, python-format
msgid "Hi %(name)s"
msgstr "%(old)s님"
""")  # fmt: skip
    errors = [str(e) for e in catalog_status("ko", path).errors]
    assert errors == [
        f"{path}:7: msgstr has %(qeury)s, which the source has not",
        f"{path}:10: msgstr has {{nmae}}, which the source has not",
        f"{path}:19: msgstr[0] has %(count)s, which the source has not",
    ]


@pytest.mark.parametrize(
    ("locale", "header", "message"),
    [
        ("ko", HEADER.format(n=2, rule="(n != 1)"), "Plural-Forms says nplurals=2; ko has 1"),
        ("en", HEADER.format(n=1, rule="0"), "Plural-Forms says nplurals=1; en has 2"),
        ("ko", 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n',
         "no Plural-Forms header: ko needs nplurals=1"),
    ],
)  # fmt: skip
def test_plural_headers_must_match_the_language(
    tmp_path: Path, locale: str, header: str, message: str
) -> None:
    path = catalog(tmp_path, locale, header + 'msgid "Search"\nmsgstr "x"\n')
    assert [str(e) for e in catalog_status(locale, path).errors] == [f"{path}:1: {message}"]


@pytest.mark.parametrize("mark", ["#|", "# |"])  # as `update --previous` writes it, and re-writes
def test_a_fuzzy_entry_shows_the_word_diff_of_its_source(tmp_path: Path, mark: str) -> None:
    path = catalog(tmp_path, "ko", KO_HEADER + f"""\
{mark} msgid "Read this article in English"
#, fuzzy
msgid "Read this whole article in English"
msgstr "이 글을 영어로 읽기"
""")  # fmt: skip
    [entry] = catalog_status("ko", path).fuzzy_entries
    assert entry.previous == "Read this article in English"
    assert diff_text(entry.diff or []) == "Read this{+ whole+} article in English"


def test_check_and_status_report_catalog_errors(tmp_path: Path, content_dir: Path) -> None:
    from tests.conftest import KO_SOURCE, write_article

    write_article(content_dir, "a", "ko", KO_SOURCE)
    catalog(tmp_path / "cats", "ko", KO_HEADER + 'msgid "Hi %(name)s"\nmsgstr "%(x)s"\n')
    runner = CliRunner()
    args = ["--content", str(content_dir), "--catalogs", str(tmp_path / "cats")]
    result = runner.invoke(indexer.cli, ["check", *args])
    assert result.exit_code == 1
    assert "messages.po:6: msgstr has %(x)s, which the source has not" in result.output
    status = runner.invoke(indexer.cli, ["translations", "status", *args])
    assert status.exit_code == 0 and "msgstr has %(x)s" in status.output
    failing = runner.invoke(indexer.cli, ["translations", "status", *args, "--fail-on", "error"])
    assert failing.exit_code == 1 and "1 error(s)" in failing.output


def test_an_unreadable_catalog_is_one_error_not_a_traceback(tmp_path: Path) -> None:
    path = catalog(tmp_path, "ko", KO_HEADER + 'msgid "a"\nmsgstr "b"\nmsgstr "c"\nbogus\n')
    [error] = catalog_status("ko", path).errors
    assert str(error).startswith(f"{path}:") and "unreadable" in str(error)


def test_the_bundled_catalogs_pass_and_korean_is_complete() -> None:
    found = {locale: catalog_status(locale, path) for locale, path in catalog_paths(TRANSLATIONS)}
    assert set(found) == {"ko", "en"}
    assert [str(e) for c in found.values() for e in c.errors] == []
    ko = found["ko"]
    assert ko.translated == ko.total > 50 and ko.fuzzy == ko.untranslated == 0
