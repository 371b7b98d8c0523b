"""One real-Chromium look at the side-by-side view: outdated section highlighted, source diff
marked, both languages readable side by side (a screenshot is kept for a human to look at)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import kb
from tests.conftest import git
from tests.test_browser import chromium, server_url  # noqa: F401 - fixtures used below

pytestmark = pytest.mark.browser
SCREENSHOT = (
    Path(__file__).resolve().parent.parent / "bench" / "out" / "translation-side-by-side.png"
)


@pytest.fixture
def app(translated_pair: Path, tmp_path: Path, make_app):
    """The site over a git-tracked pair whose Korean source changed after the translation."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    git(translated_pair, "init", "-q")
    git(translated_pair, "add", ".")
    git(translated_pair, "commit", "-qm", "translated")
    ko = translated_pair / "gabapentin" / "ko.md"
    text = ko.read_text(encoding="utf-8")
    ko.write_text(text.replace("- 졸음", "- 심한 졸음\n- 두통"), encoding="utf-8")
    kb.build_index(translated_pair, tmp_path / "index")
    return make_app(
        KB_INDEX_DIR=str(tmp_path / "index"), KB_CONTENT_DIR=str(translated_pair), KB_GLOSSARY=""
    )


def test_the_side_by_side_view_in_chromium(server_url, chromium) -> None:  # noqa: F811
    from playwright.sync_api import expect

    context = chromium.new_context(locale="ko-KR", viewport={"width": 1100, "height": 900})
    try:
        page = context.new_page()
        page.goto(server_url + "/ko/translations/gabapentin")
        expect(page.get_by_role("heading", level=1)).to_have_text("gabapentin 번역")
        outdated = page.locator("tr.outdated")
        expect(outdated).to_have_count(1)
        expect(outdated.locator("th")).to_contain_text("s2")
        expect(outdated.locator("ins").first).to_have_text("심한 ")
        expect(outdated.locator("td").nth(1)).to_contain_text("drowsiness")
        inserted = outdated.locator("ins").first.evaluate(
            "e => getComputedStyle(e).backgroundColor"
        )
        row = outdated.evaluate("e => getComputedStyle(e).backgroundColor")
        assert inserted != "rgba(0, 0, 0, 0)" and row != "rgba(0, 0, 0, 0)"  # highlighted
        source, translation = (outdated.locator("td").nth(i).bounding_box() for i in (0, 1))
        assert source and translation and source["x"] + source["width"] <= translation["x"] + 1
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT), full_page=True)
    finally:
        context.close()
