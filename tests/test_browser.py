"""A Korean reader in a real browser (Debian's chromium, Playwright): search, switch language.

Skipped when /usr/bin/chromium is missing, except in CI (``CI=true``) where that is a failure.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
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
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def browser_page():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(locale="ko-KR", viewport={"width": 360, "height": 740})
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()


def test_korean_reader_searches_then_switches_to_english(server_url, browser_page):
    from playwright.sync_api import expect

    page = browser_page
    page.goto(server_url + "/")
    assert page.url == server_url + "/ko/"
    search_box = page.get_by_label("약 이름, 증상, 부작용으로 검색")
    expect(search_box).to_be_focused()

    search_box.fill("효능")
    search_box.press("Enter")
    page.wait_for_url("**/ko/search?q=*")
    titles = page.locator("ol.results h2 a")
    expect(titles.first).to_have_text("가바펜틴 효능, 부작용, 주의사항")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling

    page.get_by_role("navigation", name="언어").get_by_role("link", name="English").click()
    page.wait_for_url("**/en/search?q=*")
    expect(page.get_by_label("Search medicines, symptoms or side effects")).to_have_value("효능")
    expect(titles.first).to_have_text("Gabapentin: uses, side effects and precautions")
    expect(page.locator("html")).to_have_attribute("lang", "en")
