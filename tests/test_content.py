"""Loading and validating the content folder: every problem reported with its path and line."""

from __future__ import annotations

import datetime as dt
import os
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from indexer import cli
from kb.content import (
    BUNDLED_CONTENT,
    MAX_ARTICLE_BYTES,
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


# -- hostile or huge content: every bad input is path:line, never a traceback ----------------

DEEP = b"---\ntitle: T\nx: " + b"[" * 5000 + b"]" * 5000 + b"\n---\nb\n"
BILLION_LAUGHS = "\n".join(
    ["---", "title: T", 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"{c}: &{c} [{', '.join([f'*{p}'] * 8)}]" for p, c in zip("abcdefg", "bcdefgh", strict=True)]
    + ["---", "body"]
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"---\ntitle: T\nupdated: 2026-13-45\n---\nb\n", "en.md:3: not a real date '2026-13-45'"),
        (b"---\ntitle: T\nupdated: 2026-02-30\n---\nb\n", "en.md:3: not a real date '2026-02-30'"),
        (DEEP, "en.md:3: front matter nested deeper than 20 levels"),
        (BILLION_LAUGHS.encode(), "en.md:3: anchors and aliases (&, *) are not allowed"),
        (b"---\ntitle: T\ntags: *t\n---\nb\n", "en.md:3: anchors and aliases"),
        (b"---\ntitle: A\nsummary: s\ntitle: B\n---\nb\n", "en.md:4: duplicate key 'title'"),
        (b"---\ntitle: T\n---\nfirst\nbody \xff\n", "en.md:5: file is not valid UTF-8"),
        (b"---\ntitle: T\ntags: [[a, b]]\n---\nb\n", "en.md:3: tags must be a list of words"),
        (b"---\ntitle: T\ntags: [a, {b: 1}]\n---\nb\n", "en.md:3: tags must be a list of words"),
        (b"---\ntitle: T\ntags: null\n---\nb\n", "en.md:3: tags must be a list of words"),
        (b"---\ntitle: T\ntags: [a, null]\n---\nb\n", "en.md:3: tags must be a list of words"),
        (b"---\ntitle: T\ntags: [yes, no]\n---\nb\n", "en.md:3: tags must be a list of words"),
        (b'---\nsummary: s\ntitle: "a\x00b"\n---\nb\n', "en.md:3: control character U+0000"),
        (b'---\nsummary: s\ntitle: "a\\0b"\n---\nb\n', "en.md:3: control character U+0000"),
        (b'---\ntitle: "a\\eb"\n---\nb\n', "en.md:2: control character U+001B"),
        (b"---\ntitle: T\n---\nline\nbo\x01dy\n", "en.md:5: control character U+0001"),
        (b"---\ntitle: 1" + b"1" * 5000 + b"\n---\nb\n", "en.md:2: cannot read '1111"),
        (b"---\ntitle: 123\n---\nb\n", "en.md:2: title must be text"),
    ],
    ids=[
        "month-13", "february-30", "deep-nesting", "billion-laughs", "alias", "duplicate-key",
        "utf-8", "list-in-tags", "mapping-in-tags", "null-tags", "null-tag", "boolean-tags",
        "raw-nul-in-title", "escaped-nul-in-title", "escape-in-title", "control-in-body",
        "huge-integer", "number-title",
    ],
)  # fmt: skip
def test_hostile_input_is_one_line_with_path_and_line(
    content_dir: Path, raw: bytes, expected: str
) -> None:
    path = content_dir / "hostile" / "en.md"
    path.parent.mkdir()
    path.write_bytes(raw)
    [message] = messages(content_dir)
    assert message.startswith(f"{content_dir}/hostile/")
    assert expected in message
    assert "\n" not in message
    with pytest.raises(ContentInvalid):
        load_content(content_dir)


def test_tab_newline_and_crlf_are_not_control_characters(content_dir: Path) -> None:
    raw = b'---\r\ntitle: "T"\r\nsummary: "one\\ttwo"\r\n---\r\nbody\twith tab\r\n'
    (content_dir / "crlf").mkdir()
    (content_dir / "crlf" / "en.md").write_bytes(raw)
    [article] = load_content(content_dir)
    assert article.translations["en"].summary == "one\ttwo"


def test_anchors_are_refused_before_any_expansion(content_dir: Path) -> None:
    levels = [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, 40)]
    text = "\n".join(["---", "title: T", "l0: &l0 [lol]", *levels, "---", "b"])
    write_article(content_dir, "bomb", "en", text)
    [message] = messages(content_dir)
    assert "en.md:3: anchors and aliases" in message


# -- size limit ----------------------------------------------------------------------------------


def test_an_article_at_the_size_limit_loads(content_dir: Path) -> None:
    head = article_text("Big", "")
    filler = "word " * ((MAX_ARTICLE_BYTES - len(head)) // 5)
    path = write_article(content_dir, "big", "en", head + filler)
    assert path.stat().st_size <= MAX_ARTICLE_BYTES
    assert check_content(content_dir) == []


def test_an_article_over_the_size_limit_is_refused_with_its_size(content_dir: Path) -> None:
    write_article(content_dir, "small", "en", article_text("Small", "Body."))
    head = article_text("Huge", "")
    path = write_article(content_dir, "huge", "en", head + "x" * (MAX_ARTICLE_BYTES - len(head)))
    with path.open("a", encoding="utf-8") as file:
        file.write("y")
    size = MAX_ARTICLE_BYTES + 1
    assert messages(content_dir) == [f"{path}:1: file is {size} bytes; the limit is {size - 1}"]
    with pytest.raises(ContentInvalid):
        load_content(content_dir)


# -- symlinks --------------------------------------------------------------------------------


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """An article folder and a secret file beside (not inside) the content folder."""
    folder = tmp_path / "outside"
    write_article(folder, "article", "en", article_text("Outside", "Not ours."))
    (folder / "secret").write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    return folder


def test_an_article_folder_linked_from_outside_is_refused(content_dir: Path, outside: Path):
    (content_dir / "linked").symlink_to(outside / "article")
    assert messages(content_dir) == [
        f"{content_dir / 'linked'}: symlink leads outside the content folder "
        f"({(outside / 'article').resolve()})"
    ]
    with pytest.raises(ContentInvalid):
        load_content(content_dir)


def test_a_translation_linked_to_a_file_outside_is_refused(content_dir: Path, outside: Path):
    write_article(content_dir, "passwd", "ko", article_text("제목", "본문"))
    (content_dir / "passwd" / "en.md").symlink_to(outside / "secret")
    assert messages(content_dir) == [
        f"{content_dir / 'passwd' / 'en.md'}: symlink leads outside the content folder "
        f"({(outside / 'secret').resolve()})"
    ]


def test_symlinks_inside_the_content_folder_are_followed(content_dir: Path) -> None:
    write_article(content_dir, "original", "en", article_text("Original", "Body."))
    (content_dir / "alias").symlink_to(content_dir / "original")
    (content_dir / "shared").mkdir()
    (content_dir / "shared" / "en.md").symlink_to("../original/en.md")
    assert [a.slug for a in load_content(content_dir)] == ["alias", "original", "shared"]


def test_a_symlinked_content_root_is_not_outside_itself(tmp_path: Path) -> None:
    real = tmp_path / "real"
    write_article(real, "a", "en", article_text("A", "Body."))
    (real / "b").symlink_to("a")
    (tmp_path / "link").symlink_to(real)
    assert [a.slug for a in load_content(tmp_path / "link")] == ["a", "b"]


@pytest.mark.parametrize("link", ["cycle", "loop/en.md"])
def test_a_symlink_loop_is_reported(content_dir: Path, link: str) -> None:
    write_article(content_dir, "loop", "ko", article_text("제목", "본문"))
    path = content_dir / link
    path.symlink_to(path.name)
    assert messages(content_dir) == [f"{path}: symlink loop"]


def test_a_broken_symlink_is_reported(content_dir: Path) -> None:
    write_article(content_dir, "broken", "ko", article_text("제목", "본문"))
    (content_dir / "broken" / "en.md").symlink_to("gone.md")
    target = (content_dir / "broken" / "gone.md").resolve()
    assert messages(content_dir) == [
        f"{content_dir / 'broken' / 'en.md'}: broken symlink ({target})"
    ]


# -- the same through the command line: exit 1, path:line, no traceback ------------------------


def run_check(monkeypatch: pytest.MonkeyPatch, *args: str) -> Result:
    for key in [k for k in os.environ if k.startswith("KB_")]:
        monkeypatch.delenv(key)
    return CliRunner().invoke(cli, ["check", *args])


@pytest.mark.parametrize(
    ("raw", "line"),
    [
        (b"---\ntitle: T\nupdated: 2026-02-30\n---\nb\n", 3),
        (DEEP, 3),
        (b"---\ntitle: 1" + b"1" * 5000 + b"\n---\nb\n", 2),
    ],
    ids=["impossible-date", "deep-nesting", "huge-integer"],
)
def test_check_command_reports_hostile_input_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, content_dir: Path, raw: bytes, line: int
) -> None:
    path = content_dir / "hostile" / "en.md"
    path.parent.mkdir()
    path.write_bytes(raw)
    result = run_check(monkeypatch, "--content", str(content_dir))
    assert result.exit_code == 1
    assert f"{path}:{line}: " in result.output
    assert "Traceback" not in result.output and result.exception is not None
    assert isinstance(result.exception, SystemExit)


def test_check_command_reports_a_symlink_loop(
    monkeypatch: pytest.MonkeyPatch, content_dir: Path
) -> None:
    write_article(content_dir, "a", "en", article_text("A", "Body."))
    (content_dir / "a" / "ko.md").symlink_to("ko.md")
    result = run_check(monkeypatch, "--content", str(content_dir))
    assert result.exit_code == 1
    assert f"{content_dir / 'a' / 'ko.md'}: symlink loop" in result.output
    assert isinstance(result.exception, SystemExit)
