"""A Korean reader in a real browser (Debian's chromium, Playwright): search, switch language.

Skipped when /usr/bin/chromium is missing, except in CI (``CI=true``) where that is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import live_server

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
GABAPENTIN_KO = "가바펜틴 효능, 부작용, 주의사항"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def server_url(app) -> Iterator[str]:
    """The app served on a free port of 127.0.0.1 for as long as the test runs."""
    with live_server(app) as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def chromium():
    """One browser for the module (starting it is most of a test's time)."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser_page(chromium):
    """A fresh Korean reader on a 360 px wide phone screen: no cookies, no history."""
    context = chromium.new_context(locale="ko-KR", viewport={"width": 360, "height": 740})
    try:
        yield context.new_page()
    finally:
        context.close()


def test_korean_reader_searches_then_switches_to_english(server_url, browser_page):
    from playwright.sync_api import expect

    page = browser_page
    page.goto(server_url + "/")
    assert page.url == server_url + "/ko/"
    search_box = page.get_by_role("combobox", name="약 이름, 증상, 부작용으로 검색")
    expect(search_box).to_be_focused()

    search_box.fill("효능")
    search_box.press("Enter")
    page.wait_for_url("**/ko/search?q=*")
    titles = page.locator("ol.results h2 a")
    expect(titles.first).to_have_text("가바펜틴 효능, 부작용, 주의사항")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling

    page.get_by_role("navigation", name="언어").get_by_role("link", name="English").click()
    page.wait_for_url("**/en/search?q=*")
    expect(
        page.get_by_role("combobox", name="Search medicines, symptoms or side effects")
    ).to_have_value("효능")
    expect(titles.first).to_have_text("Gabapentin: uses, side effects and precautions")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_korean_reader_types_and_picks_a_suggested_article(server_url, browser_page):
    from playwright.sync_api import expect

    page = browser_page
    page.goto(server_url + "/ko/")
    box = page.get_by_role("combobox", name="약 이름, 증상, 부작용으로 검색")
    box.focus()
    page.keyboard.type("가바", delay=80)  # one input event per character, as an IME commits them

    suggestions = page.get_by_role("listbox", name="추천 검색어")
    expect(suggestions).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    options = suggestions.get_by_role("option")
    expect(options.first).to_contain_text(GABAPENTIN_KO)
    expect(options.nth(1)).to_contain_text("가바펜틴")
    box_right = suggestions.bounding_box()
    assert box_right["x"] + box_right["width"] <= 360  # fits the narrow screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.keyboard.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", options.first.get_attribute("id"))
    expect(box).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url("**/ko/articles/gabapentin")
    expect(page.locator("h1")).to_have_text(GABAPENTIN_KO)


def test_suggestions_follow_korean_composition_syllable_by_syllable(server_url, browser_page):
    """A Korean IME composes 가바 as ㄱ → 가 → 갑 → 가 + 바: a whole syllable being composed is
    searched for, a lone jamo (ㄱ) is not, and keys the IME is using do nothing to the box."""
    from playwright.sync_api import expect

    page = browser_page
    page.goto(server_url + "/ko/")
    box = page.get_by_role("combobox", name="약 이름, 증상, 부작용으로 검색")
    box.focus()
    ime = page.context.new_cdp_session(page)
    asked: list[str] = []
    page.on("request", lambda request: "/api/" in request.url and asked.append(request.url))

    def compose(text: str) -> None:
        ime.send("Input.imeSetComposition", {"text": text, "selectionStart": 1, "selectionEnd": 1})

    options = page.get_by_role("listbox").get_by_role("option")
    compose("ㄱ")  # a lone jamo: nothing to ask yet
    page.wait_for_timeout(400)
    assert asked == []
    compose("가")
    compose("갑")
    ime.send("Input.insertText", {"text": "가"})
    compose("바")  # 바 still being composed: the list is for 가바 already
    expect(options.first).to_contain_text(GABAPENTIN_KO)
    expect(page.get_by_role("option", name="가바펜틴 검색")).to_have_count(1)
    assert box.input_value() == "가바"
    assert "%E3%84%B1" not in "".join(asked)  # ㄱ was never sent

    # A key the IME is using (Enter ending the composition) must not pick an option.
    box.dispatch_event("keydown", {"key": "ArrowDown", "isComposing": True})
    box.dispatch_event("keydown", {"key": "Enter", "isComposing": True})
    expect(options.first).to_have_attribute("aria-selected", "false")
    assert page.url == server_url + "/ko/"
    ime.send("Input.insertText", {"text": "바"})
    page.keyboard.press("Escape")
    expect(page.get_by_role("listbox")).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")


def test_suggested_term_is_searched_for(server_url, browser_page):
    from playwright.sync_api import expect

    page = browser_page
    page.goto(server_url + "/ko/")
    page.get_by_role("combobox").fill("ㄱㅂㅍㅌ")  # 초성 of 가바펜틴
    page.get_by_role("option", name="가바펜틴 검색").click()
    page.wait_for_url("**/ko/search?q=*")
    expect(page.get_by_role("combobox")).to_have_value("가바펜틴")
    expect(page.locator("ol.results h2 a").first).to_have_text(GABAPENTIN_KO)


def test_suggestions_follow_the_dark_colour_scheme(server_url, browser_page):
    from playwright.sync_api import expect

    page = browser_page
    page.emulate_media(color_scheme="dark")
    page.goto(server_url + "/en/")
    page.get_by_role("combobox").fill("gaba")
    suggestions = page.get_by_role("listbox")
    expect(suggestions.get_by_role("option").first).to_contain_text(
        "Gabapentin: uses, side effects and precautions"
    )
    colours = suggestions.evaluate(  # the list's panel
        "el => [getComputedStyle(el.parentElement).backgroundColor,"
        " getComputedStyle(el.parentElement).color,"
        " getComputedStyle(document.body).backgroundColor]"
    )
    assert colours[0] == colours[2] == "rgb(18, 19, 23)"  # the dark page colour, not white


def test_korean_typed_in_english_mode_finds_the_korean_article(server_url, browser_page):
    from playwright.sync_api import expect

    page = browser_page
    page.goto(server_url + "/ko/")
    box = page.get_by_role("combobox", name="약 이름, 증상, 부작용으로 검색")
    box.fill("rkqkvpsxls")
    box.press("Enter")  # no option chosen: the form searches for what was typed
    page.wait_for_url("**/ko/search?q=rkqkvpsxls")
    expect(page.locator(".correction")).to_have_text(
        "가바펜틴(으)로 검색한 결과입니다. rkqkvpsxls(으)로 검색하기"
    )
    expect(page.locator("ol.results h2 a").first).to_have_text(GABAPENTIN_KO)

    page.get_by_role("link", name="rkqkvpsxls").click()
    page.wait_for_url("**/ko/search?q=rkqkvpsxls&exact=1")
    expect(
        page.get_by_role("heading", name="“rkqkvpsxls”에 해당하는 글이 없습니다.")
    ).to_be_visible()
