"""``<kb-search>`` on another site, in Debian's Chromium: a host page served from another origin
with the strict CSP of issue 11 (no inline anything), the knowledge base on 127.0.0.1.

One browser, one knowledge-base server and one host server for the whole module; each test gets a
fresh browser context (no cookies, storage or cache) and a host page of its own.
"""

from __future__ import annotations

import contextlib
import json
import re
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from werkzeug.wrappers import Request, Response

from tests.conftest import live_server
from tests.test_browser import CHROMIUM_ARGS, chromium  # noqa: F401 - the module's browser

pytestmark = pytest.mark.browser

GABAPENTIN_KO = "가바펜틴 효능, 부작용, 주의사항"
GABAPENTIN_EN = "Gabapentin: uses, side effects and precautions"
LABEL_KO = "약 이름, 증상, 부작용으로 검색"
LABEL_EN = "Search medicines, symptoms or side effects"
HOSTILE_CSS = "* {font-size:30px; color:red} input {display:none} button {border-radius:50px}"
# Installed before any page script: what a host's analytics or a test would see.
RECORDER = """
window.__violations = [];
window.__events = [];
document.addEventListener("securitypolicyviolation",
  (e) => __violations.push(`${e.violatedDirective} ${e.blockedURI}`), true);
for (const name of ["open", "query", "results", "select", "error"]) {
  document.addEventListener(`kb-search:${name}`, (e) => __events.push([name, e.detail]));
}
"""


@dataclass
class HostSite:
    """Another site: pages registered by the tests, each served with the CSP given."""

    pages: dict[str, tuple[str, str]] = field(default_factory=dict)
    styles: dict[str, str] = field(default_factory=lambda: {"/hostile.css": HOSTILE_CSS})
    port: int = 0

    @property
    def allowed(self) -> str:  # in the knowledge base's KB_CORS_ORIGINS
        return f"http://localhost:{self.port}"

    @property
    def refused(self) -> str:  # the same server under another origin, not listed
        return f"http://127.0.0.1:{self.port}"

    def __call__(self, environ: dict, start_response: Callable) -> Any:
        request = Request(environ)
        if request.path in self.styles:
            return Response(self.styles[request.path], mimetype="text/css")(environ, start_response)
        if request.path not in self.pages:
            return Response("not found", status=404)(environ, start_response)
        html, csp = self.pages[request.path]
        response = Response(html, mimetype="text/html")
        response.headers["Content-Security-Policy"] = csp
        return response(environ, start_response)


@dataclass
class KbSite:
    """The knowledge base, with every request it received (method, path, query, headers)."""

    url: str
    script: str
    integrity: str
    log: list[tuple[str, str, dict[str, list[str]], dict[str, str]]]

    def api_requests(self, since: int = 0) -> list[dict[str, list[str]]]:
        return [query for method, path, query, _ in self.log[since:] if path == "/api/instant"]

    def tag(self) -> str:
        return (
            f'<script type="module" src="{self.url}{self.script}" integrity="{self.integrity}"'
            ' crossorigin="anonymous"></script>'
        )


@pytest.fixture(scope="module")
def servers(bundled_index_dir, compiled_translations) -> Iterator[tuple[KbSite, HostSite]]:
    """The knowledge base (allowing the host's ``localhost`` origin) and the host site."""
    import os

    from webapp import create_app

    host = HostSite()
    with contextlib.ExitStack() as stack:  # the servers stop in reverse: the knowledge base first
        host.port = stack.enter_context(live_server(host))
        with pytest.MonkeyPatch.context() as env:
            for key in [k for k in os.environ if k.startswith("KB_")]:
                env.delenv(key)
            app = create_app(
                {
                    "TESTING": True,
                    "KB_INDEX_DIR": str(bundled_index_dir),
                    "BABEL_TRANSLATION_DIRECTORIES": str(compiled_translations),
                    "KB_WARM_UP": False,
                    "KB_CORS_ORIGINS": host.allowed,
                    "KB_FRAME_ANCESTORS": host.allowed,
                }
            )
        redirect = app.test_client().get("/embed/v1/kb-search.js").headers["Location"]
        html = app.test_client().get("/en/").get_data(as_text=True)
        integrity = re.search(r'integrity="([^"]+)"', html).group(1)
        log: list = []

        def logged(environ: dict, start_response: Callable) -> Any:
            request = Request(environ)
            log.append(
                (
                    request.method,
                    request.path,
                    parse_qs(request.query_string.decode()),
                    dict(request.headers),
                )
            )
            return app(environ, start_response)

        kb_port = stack.enter_context(live_server(logged))
        yield KbSite(f"http://127.0.0.1:{kb_port}", redirect, integrity, log), host


@pytest.fixture
def kb(servers) -> KbSite:
    return servers[0]


@pytest.fixture
def host(servers) -> HostSite:
    return servers[1]


def strict_csp(kb: KbSite) -> str:
    """Issue 11's host page policy: the knowledge base's origin and nothing else, no inline."""
    origin = kb.url
    return (
        f"default-src 'none'; script-src {origin}; style-src {origin}; "
        f"connect-src {origin}; img-src {origin}"
    )


@pytest.fixture
def host_page(kb, host) -> Callable[..., str]:
    """``host_page(body, lang=…, head=…, csp=…, refused=False)``: a new page's URL."""

    def make(
        body: str,
        lang: str = "en",
        head: str = "",
        csp: str | None = None,
        refused: bool = False,
    ) -> str:
        path = f"/{uuid.uuid4().hex}.html"
        html = (
            f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>A host page</title>{kb.tag()}{head}</head>"
            f"<body><main><h1>A host page</h1>{body}</main></body></html>"
        )
        host.pages[path] = (html, csp or strict_csp(kb))
        return (host.refused if refused else host.allowed) + path

    return make


@pytest.fixture
def context(chromium):  # noqa: F811 - the module's browser, imported above
    """A fresh reader: no cookies, storage or cache; events and CSP violations recorded."""
    context = chromium.new_context(locale="en-US", viewport={"width": 1000, "height": 700})
    context.add_init_script(RECORDER)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def page(context):
    return context.new_page()


def shadow(page, script: str, selector: str = "kb-search") -> Any:
    """Evaluate ``script`` with ``root`` bound to the element's shadow root."""
    return page.evaluate(
        f"(() => {{ const root = document.querySelector({json.dumps(selector)}).shadowRoot;"
        f" return {script}; }})()"
    )


def type_quickly(page, text: str, selector: str = "kb-search") -> None:
    """One input event per character, all within one task: a fast typist however loaded the
    test machine is (the widget waits for 150 ms of quiet)."""
    page.evaluate(
        "([selector, text]) => { const input = document.querySelector(selector)"
        ".shadowRoot.querySelector('input'); input.focus();"
        " for (const c of text) { input.value += c; input.dispatchEvent(new InputEvent('input',"
        " {bubbles: true, composed: true, inputType: 'insertText', data: c})); } }",
        [selector, text],
    )


def violations(page) -> list[str]:
    return page.evaluate("window.__violations")


def events(page) -> list[tuple[str, dict]]:
    return [tuple(event) for event in page.evaluate("window.__events")]


# -- load, type, results, close --------------------------------------------------------------


def test_loads_searches_and_closes_on_a_strict_csp_page_from_another_origin(kb, host_page, page):
    from playwright.sync_api import expect

    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    url = host_page('<kb-search lang="ko"></kb-search>')
    page.goto(url)
    box = page.get_by_role("combobox", name=LABEL_KO)
    expect(box).to_be_visible()
    page.wait_for_timeout(300)
    assert seen == [url, kb.url + kb.script]  # nothing else until the reader comes

    start = len(kb.log)
    box.click()
    assert kb.log[start:] == []  # focusing alone asks nothing
    type_quickly(page, "가바펜틴")
    typed_at = time.perf_counter()
    listbox = page.get_by_role("listbox", name="추천 검색어")
    expect(page.get_by_role("status")).to_have_text(re.compile(r"^결과 \d+건$"))
    elapsed = time.perf_counter() - typed_at
    hit = listbox.get_by_role("option").filter(has=page.locator("mark")).first
    expect(hit).to_contain_text(GABAPENTIN_KO)
    expect(hit).to_contain_text("신경계")  # its category
    expect(hit.locator("mark").first).to_have_text(re.compile("가바펜틴"))
    expect(box).to_have_attribute("aria-expanded", "true")
    assert elapsed < 1.5

    # one simple GET for the word, without cookies or a preflight, in the pinned locale
    requests = kb.log[start:]
    assert [(method, path) for method, path, _, _ in requests] == [("GET", "/api/instant")]
    _, _, query, headers = requests[0]
    assert query == {"q": ["가바펜틴"], "lang": ["ko"]}
    assert "Cookie" not in headers and headers["Origin"] == url.rsplit("/", 1)[0]
    assert {urlsplit(u).netloc for u in seen} == {urlsplit(url).netloc, urlsplit(kb.url).netloc}

    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    assert violations(page) == []
    assert shadow(page, "root.querySelectorAll('[style]').length") == 0


def test_results_show_category_fallback_badge_and_more_link(kb, host_page, page):
    from playwright.sync_api import expect

    page.goto(host_page('<kb-search lang="ko"></kb-search>'))
    box = page.get_by_role("combobox", name=LABEL_KO)
    box.fill("diphenhydramine")
    option = page.get_by_role("option").filter(has=page.locator("[part=badge]"))
    badge = option.locator("[part=badge]")
    expect(badge).to_have_text("영어로 표시 — 아직 한국어 번역이 없습니다")
    page.screenshot(path="/tmp/kb-embed-results.png")
    assert option.locator(".title").get_attribute("lang") == "en"
    more = page.get_by_role("link", name="“diphenhydramine” 검색 결과 모두 보기")
    expect(more).to_have_attribute("href", kb.url + "/ko/search?q=diphenhydramine")
    option.click()
    page.wait_for_url(kb.url + "/ko/articles/diphenhydramine")
    assert violations(page) == []


def test_locale_is_pinned_by_the_attribute_not_the_host_page(kb, host_page, page):
    from playwright.sync_api import expect

    start = len(kb.log)
    page.goto(host_page('<kb-search lang="en"></kb-search>', lang="ko"))
    box = page.get_by_role("combobox", name=LABEL_EN)
    expect(page.get_by_role("button", name="Search", exact=True)).to_be_visible()
    box.fill("게보린")
    option = page.get_by_role("option").filter(has=page.locator("[part=badge]")).first
    expect(option.locator("[part=badge]")).to_have_text(
        "Shown in Korean — no English translation yet"
    )
    assert option.locator(".title").get_attribute("lang") == "ko"
    expect(page.get_by_role("status")).to_have_text("1 result")
    assert kb.api_requests(start)[-1]["lang"] == ["en"]
    assert shadow(page, "root.querySelector('.root').lang") == "en"

    page.evaluate("document.querySelector('kb-search').setAttribute('lang', 'ko')")
    korean = page.get_by_role("combobox", name=LABEL_KO)
    expect(korean).to_have_value("게보린")  # redrawn in Korean, keeping what was typed
    expect(page.get_by_role("button", name="검색", exact=True)).to_be_visible()


def test_safe_rendering_of_hostile_titles_categories_and_snippets(host_page, page):
    from playwright.sync_api import expect

    hostile = "<img src=x onerror=alert(1)>"
    answer = {
        "query": "x",
        "lang": "en",
        "total": 1,
        "results": [
            {
                "slug": "x",
                "lang": "en",
                "title": hostile,
                "category": "<b>bold</b>",
                "snippet": "&lt;script&gt;alert(1)&lt;/script&gt; <mark>x</mark> <i>y</i>",
                "url": "javascript:alert(1)",
                "fallback": False,
            }
        ],
        "completions": [],
        "suggestion": None,
        "corrected": None,
        "search_url": "javascript:alert(2)",
    }
    page.route(
        "**/api/instant?*",
        lambda route: route.fulfill(json=answer, headers={"Access-Control-Allow-Origin": "*"}),
    )
    page.goto(host_page('<kb-search lang="en"></kb-search>'))
    page.get_by_role("combobox", name=LABEL_EN).fill("x")
    option = page.get_by_role("option").first
    expect(option.locator(".title")).to_have_text(hostile)
    expect(option.locator(".category")).to_have_text("<b>bold</b>")
    expect(option.locator(".snippet")).to_have_text("<script>alert(1)</script> x <i>y</i>")
    tags = shadow(page, "[...root.querySelectorAll('[role=option] *')].map((e) => e.localName)")
    assert sorted(set(tags)) == ["mark", "span"]
    assert (
        shadow(page, "root.querySelector('[part=more]').hidden") is True
    )  # not a javascript: link
    option.click()  # a javascript: URL is never followed
    page.wait_for_timeout(200)
    assert page.url.startswith("http://localhost")


def test_error_state_has_a_working_retry(host_page, page):
    from playwright.sync_api import expect

    failures = [500]

    def answer(route):
        if failures:
            failures.pop()
            route.fulfill(status=500, body="{}", headers={"Access-Control-Allow-Origin": "*"})
        else:
            route.continue_()

    page.route("**/api/instant?*", answer)
    page.goto(host_page('<kb-search lang="ko"></kb-search>'))
    page.get_by_role("combobox", name=LABEL_KO).fill("가바펜틴")
    message = page.locator(".msg p", has_text="지금은 검색을 할 수 없습니다.")
    expect(message).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("지금은 검색을 할 수 없습니다.")
    assert [name for name, _ in events(page)][-1] == "error"
    page.get_by_role("button", name="다시 시도").click()
    expect(page.get_by_role("option").first).to_contain_text(GABAPENTIN_KO)
    expect(message).to_be_hidden()
    assert violations(page) == []


def test_an_origin_not_listed_gets_no_cors_header_and_sees_the_error(kb, host, host_page, page):
    from playwright.sync_api import expect

    start = len(kb.log)
    page.goto(host_page('<kb-search lang="en"></kb-search>', refused=True))
    page.get_by_role("combobox", name=LABEL_EN).fill("gabapentin")
    expect(
        page.locator(".msg p", has_text="The search is not available right now.")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Try again")).to_be_visible()
    asked = [headers for _, path, _, headers in kb.log[start:] if path == "/api/instant"]
    assert [headers["Origin"] for headers in asked] == [host.refused]  # a simple GET, refused
    assert violations(page) == []


def test_a_slower_earlier_answer_never_replaces_a_later_one(host_page, page):
    from playwright.sync_api import expect

    held = []

    def answer(route):
        if "q=%EA%B0%80&" in route.request.url:  # 가: held until 가바펜틴 has been shown
            held.append(route)
        else:
            route.continue_()

    page.route("**/api/instant?*", answer)
    page.goto(host_page('<kb-search lang="ko"></kb-search>'))
    box = page.get_by_role("combobox", name=LABEL_KO)
    box.fill("가")
    page.wait_for_timeout(400)
    assert held
    box.fill("가바펜틴")
    expect(page.get_by_role("status")).to_have_text(re.compile("결과"))
    shown = page.get_by_role("option").all_inner_texts()
    with contextlib.suppress(Exception):  # the widget aborted it: that is one way to win
        held[0].continue_()
    page.wait_for_timeout(300)
    assert page.get_by_role("option").all_inner_texts() == shown
    assert box.input_value() == "가바펜틴"


def test_events_are_composed_bubbling_and_carry_q_lang_count_slug_rank(host_page, page):
    from playwright.sync_api import expect

    page.goto(host_page('<kb-search lang="ko"></kb-search>'))
    page.evaluate(
        "document.addEventListener('kb-search:select', (e) => { e.preventDefault();"
        " window.__selected = [e.bubbles, e.composed, e.detail]; })"
    )
    type_quickly(page, "가바펜틴")
    expect(page.get_by_role("status")).to_have_text(re.compile("결과"))
    names = [name for name, _ in events(page)]
    assert names[:3] == ["query", "open", "results"]
    results = dict(events(page))["results"]
    assert results["q"] == "가바펜틴" and results["lang"] == "ko" and results["count"] >= 1
    assert set(results) == {"q", "lang", "count", "slug", "rank"}
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")  # the host handles the choice itself (preventDefault)
    page.wait_for_timeout(200)
    assert page.url.startswith("http://localhost")
    bubbles, composed, detail = page.evaluate("window.__selected")
    assert bubbles and composed
    assert detail == {"q": "가바펜틴", "lang": "ko", "count": None, "slug": "gabapentin", "rank": 1}


def with_styles(kb: KbSite, host: HostSite, css: str) -> tuple[str, str]:
    """A stylesheet of the host's own, and the strict CSP letting it (and only it) in."""
    path = f"/{uuid.uuid4().hex}.css"
    host.styles[path] = css
    return f'<link rel="stylesheet" href="{path}">', strict_csp(kb).replace(
        "style-src ", "style-src 'self' "
    )


# -- accessibility -----------------------------------------------------------------------------


def axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']}: {[node['target'] for node in v['nodes']]}"
        for v in results.response["violations"]
    ]


def test_axe_finds_nothing_closed_open_empty_and_failing(host_page, page):
    from playwright.sync_api import expect

    failing = []
    page.route(
        "**/api/instant?*",
        lambda route: (
            route.fulfill(status=503, body="{}", headers={"Access-Control-Allow-Origin": "*"})
            if failing
            else route.continue_()
        ),
    )
    page.goto(host_page('<kb-search lang="ko"></kb-search>'))
    assert axe_violations(page) == []  # closed
    box = page.get_by_role("combobox", name=LABEL_KO)
    box.fill("가바펜틴")
    expect(page.get_by_role("status")).to_have_text(re.compile("결과"))
    page.keyboard.press("ArrowDown")
    assert axe_violations(page) == []  # open, an option active
    box.fill("zqxvy")
    expect(page.get_by_role("status")).to_have_text("“zqxvy”에 해당하는 글이 없습니다.")
    assert axe_violations(page) == []  # no results
    failing.append(True)
    box.fill("가바")
    expect(page.get_by_role("button", name="다시 시도")).to_be_visible()
    assert axe_violations(page) == []  # the error state
    assert violations(page) == []


def test_a_result_warning_for_whom_the_reader_named_shows_its_caution(host_page, page):
    """`headache pill while pregnant` in a Korean box: ibuprofen comes after acetaminophen and
    shows its pregnancy warning from the Korean article, labelled in the box's language and
    marked, and the open list passes axe."""
    from playwright.sync_api import expect

    page.goto(host_page('<kb-search lang="ko"></kb-search>'))
    box = page.get_by_role("combobox", name=LABEL_KO)
    box.fill("headache pill while pregnant")
    options = page.get_by_role("option")
    warned = options.filter(has=page.locator(".caution")).first
    expect(warned.locator(".caution strong")).to_have_text("주의:")
    expect(warned.locator(".caution mark").first).to_have_text("임신")
    assert "20주" in warned.locator(".caution").inner_text()
    titles = [options.nth(i).locator(".title").inner_text() for i in range(4)]
    first_warned = next(i for i, title in enumerate(titles) if "이부프로펜" in title)
    assert any("아세트아미노펜" in title for title in titles[:first_warned])
    page.screenshot(path="/tmp/kb-embed-caution.png")
    assert axe_violations(page) == []
    assert violations(page) == []


def test_combobox_follows_aria_1_2_and_announces_once_per_settled_query(host_page, page):
    from playwright.sync_api import expect

    page.goto(host_page('<kb-search lang="en"></kb-search>'))
    page.evaluate(
        "window.__said = []; new MutationObserver(() => __said.push("
        "document.querySelector('kb-search').shadowRoot.querySelector('[role=status]')"
        ".textContent)).observe(document.querySelector('kb-search').shadowRoot"
        ".querySelector('[role=status]'), {childList: true, characterData: true, subtree: true})"
    )
    box = page.get_by_role("combobox", name=LABEL_EN)
    assert box.get_attribute("aria-controls") == "listbox"
    assert box.get_attribute("aria-autocomplete") == "list"
    type_quickly(page, "gabapentin")
    listbox = page.get_by_role("listbox", name="Search suggestions")
    expect(page.get_by_role("status")).to_have_text(re.compile(r"^\d+ results?$"))
    assert box.get_attribute("aria-activedescendant") is None  # not before the first ArrowDown
    page.keyboard.press("ArrowDown")
    first = listbox.get_by_role("option").first
    expect(first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    expect(box).to_be_focused()
    page.wait_for_timeout(300)
    assert len(page.evaluate("__said")) == 1  # one announcement for the word, not ten


def test_dialog_mode_is_a_native_modal_that_returns_focus_to_its_trigger(host_page, page):
    from playwright.sync_api import expect

    page.goto(
        host_page('<p><a href="#x">before</a></p><kb-search lang="ko" mode="dialog"></kb-search>')
    )
    trigger = page.get_by_role("button", name="검색")
    assert trigger.get_attribute("aria-haspopup") == "dialog"
    trigger.click()
    dialog = page.get_by_role("dialog", name="의약품 정보 검색")
    expect(dialog).to_be_visible()
    assert shadow(page, "root.querySelector('dialog').matches(':modal')") is True
    box = dialog.get_by_role("combobox", name=LABEL_KO)
    expect(box).to_be_focused()
    box.fill("가바펜틴")
    expect(page.get_by_role("status")).to_have_text(re.compile("결과"))
    assert axe_violations(page) == []  # open, with results
    for _ in range(6):  # focus stays inside
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.localName") == "kb-search"
    box.focus()
    page.keyboard.press("Escape")  # the list first
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")  # then the dialog
    expect(dialog).to_be_hidden()
    expect(trigger).to_be_focused()
    trigger.press("Enter")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="닫기").click()
    expect(dialog).to_be_hidden()
    expect(trigger).to_be_focused()
    assert [name for name, _ in events(page)].count("open") == 2
    assert violations(page) == []


# -- Korean IME (Chromium's own composition, driven over CDP) ----------------------------------


def test_korean_composition_sends_no_jamo_and_ime_keys_do_nothing(kb, host_page, page):
    from playwright.sync_api import expect

    page.goto(host_page('<kb-search lang="ko"></kb-search>'))
    box = page.get_by_role("combobox", name=LABEL_KO)
    box.focus()
    ime = page.context.new_cdp_session(page)
    start = len(kb.log)

    def compose(text: str) -> None:
        ime.send("Input.imeSetComposition", {"text": text, "selectionStart": 1, "selectionEnd": 1})

    compose("ㄱ")
    page.wait_for_timeout(400)
    assert kb.api_requests(start) == []  # ㄱ alone is not a search yet
    for text in ("가", "갑"):
        compose(text)
    ime.send("Input.insertText", {"text": "가"})
    for text in ("ㅂ", "바", "방"):
        compose(text)
    ime.send("Input.insertText", {"text": "방"})
    committed_at = time.perf_counter()
    expect(page.get_by_role("status")).to_have_text(re.compile("결과|없습니다"))
    assert time.perf_counter() - committed_at < 1.5  # searched promptly (150 ms of it waiting)
    sent = [query["q"][0] for query in kb.api_requests(start)]
    assert sent[-1] == "가방"
    assert not any(re.search("[\u3131-\u318e]", q) for q in sent), sent

    # While composing, Enter, arrows and Esc belong to the IME.
    box.fill("가바펜틴")
    expect(page.get_by_role("option").first).to_contain_text(GABAPENTIN_KO)
    compose("ㄱ")
    for key in ("ArrowDown", "Enter", "Escape"):
        box.dispatch_event("keydown", {"key": key, "keyCode": 229, "isComposing": True})
    expect(page.get_by_role("listbox")).to_be_visible()
    assert box.get_attribute("aria-activedescendant") is None
    ime.send("Input.insertText", {"text": ""})

    # An Enter in the same task as compositionend confirms the syllable; it does not navigate.
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("option").first).to_have_attribute("aria-selected", "true")
    box.evaluate(
        "(el) => { el.dispatchEvent(new CompositionEvent('compositionend', {data: '틴'}));"
        " el.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', keyCode: 13,"
        " bubbles: true, composed: true, cancelable: true})); }"
    )
    page.wait_for_timeout(300)
    assert page.url.startswith("http://localhost")
    page.keyboard.press("Enter")  # a real Enter afterwards does choose the option
    page.wait_for_url("**/ko/articles/gabapentin")


# -- shortcuts -----------------------------------------------------------------------------------

ANOTHER_SHADOW_INPUT = """
const holder = document.createElement("div");
holder.id = "other-widget";
holder.attachShadow({mode: "open"}).append(document.createElement("input"));
document.querySelector("main").append(holder);
"""


def test_shortcuts_focus_the_box_but_not_while_typing_elsewhere(host_page, page):
    from playwright.sync_api import expect

    page.goto(
        host_page(
            '<input id="host-field" aria-label="Host field"><kb-search lang="en"></kb-search>'
        )
    )
    page.evaluate(ANOTHER_SHADOW_INPUT)
    box = page.get_by_role("combobox", name=LABEL_EN)
    assert box.get_attribute("aria-keyshortcuts") == "/ Control+K"
    page.keyboard.press("/")
    expect(box).to_be_focused()
    assert box.input_value() == ""  # the slash was the shortcut, not typed
    host_field = page.locator("#host-field")
    host_field.focus()
    page.keyboard.type("a/b")
    expect(host_field).to_have_value("a/b")
    other = page.locator("#other-widget input")
    other.focus()
    page.keyboard.type("c/d")
    expect(other).to_have_value("c/d")  # an editable field in another shadow root
    page.keyboard.press("Control+K")
    expect(box).to_be_focused()


def test_shortcuts_can_be_remapped_or_turned_off(host_page, page):
    from playwright.sync_api import expect

    page.goto(
        host_page(
            '<kb-search lang="en" shortcuts="none" id="off"></kb-search>'
            '<kb-search lang="ko" shortcuts="alt+s" id="mapped"></kb-search>'
        )
    )
    off = page.locator("#off").get_by_role("combobox")
    mapped = page.locator("#mapped").get_by_role("combobox")
    assert off.get_attribute("aria-keyshortcuts") is None
    assert mapped.get_attribute("aria-keyshortcuts") == "Alt+S"
    page.keyboard.press("/")
    page.keyboard.press("Control+K")
    assert (
        page.evaluate("document.activeElement") is None
        or page.evaluate("document.activeElement.localName") == "body"
    )
    page.keyboard.press("Alt+S")
    expect(mapped).to_be_focused()


def test_removing_and_adding_the_element_leaves_no_listener_behind(host_page, context):
    from playwright.sync_api import expect

    context.add_init_script(
        "window.__keydown = 0;"
        "const add = Document.prototype.addEventListener;"
        "const rm = Document.prototype.removeEventListener;"
        "Document.prototype.addEventListener = function (t, ...a) {"
        " if (t === 'keydown') __keydown++; return add.call(this, t, ...a); };"
        "Document.prototype.removeEventListener = function (t, ...a) {"
        " if (t === 'keydown') __keydown--; return rm.call(this, t, ...a); };"
    )
    page = context.new_page()
    page.goto(host_page('<kb-search lang="en"></kb-search>'))
    expect(page.get_by_role("combobox", name=LABEL_EN)).to_be_visible()
    assert page.evaluate("__keydown") == 1
    page.evaluate("window.__box = document.querySelector('kb-search'); __box.remove()")
    assert page.evaluate("__keydown") == 0
    page.keyboard.press("/")  # nothing listens
    page.evaluate("document.querySelector('main').append(__box)")
    assert page.evaluate("__keydown") == 1
    page.keyboard.press("/")
    expect(page.get_by_role("combobox", name=LABEL_EN)).to_be_focused()


# -- style isolation, theming, small screens ------------------------------------------------------

LOOKS = """(() => {
  const root = document.querySelector('kb-search').shadowRoot;
  const pick = (el) => { const s = getComputedStyle(el);
    return [s.display, s.fontSize, s.color, s.borderRadius, s.fontFamily, s.backgroundColor]; };
  return [pick(root.querySelector('input')), pick(root.querySelector('button')),
          pick(root.querySelector('label'))];
})()"""


def test_hostile_host_css_changes_nothing_and_host_elements_are_untouched(
    kb, host, host_page, page
):
    from playwright.sync_api import expect

    page.goto(host_page('<kb-search lang="en"></kb-search><p id="after">after</p>'))
    expect(page.get_by_role("combobox", name=LABEL_EN)).to_be_visible()
    plain = page.evaluate(LOOKS)

    _, csp = with_styles(kb, host, "")
    page.goto(
        host_page(
            '<kb-search lang="en"></kb-search><p id="after">after</p>',
            head='<link rel="stylesheet" href="/hostile.css">',
            csp=csp,
        )
    )
    box = page.get_by_role("combobox", name=LABEL_EN)
    expect(box).to_be_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('#after')).fontSize") == "30px"
    assert page.evaluate(LOOKS) == plain
    assert float(plain[0][1].removesuffix("px")) >= 16  # no zoom on iOS

    before = page.evaluate(
        "[document.documentElement.outerHTML.split('>')[0], document.body.outerHTML.split('>')[0],"
        " JSON.stringify(document.querySelector('kb-search').getBoundingClientRect()),"
        " JSON.stringify(document.querySelector('#after').getBoundingClientRect())]"
    )
    box.fill("gabapentin")
    expect(page.get_by_role("listbox")).to_be_visible()
    after = page.evaluate(
        "[document.documentElement.outerHTML.split('>')[0], document.body.outerHTML.split('>')[0],"
        " JSON.stringify(document.querySelector('kb-search').getBoundingClientRect()),"
        " JSON.stringify(document.querySelector('#after').getBoundingClientRect())]"
    )
    assert after == before  # no attribute on <html>/<body>, no layout shift
    assert violations(page) == []


def test_theming_with_custom_properties_parts_and_colour_schemes(kb, host, host_page, page):
    from playwright.sync_api import expect

    css = (
        "kb-search { --kb-accent: rgb(120, 0, 90); --kb-radius: 0px; }"
        "kb-search::part(input) { border-color: rgb(0, 128, 0); }"
        "kb-search::part(listbox) { background-color: rgb(250, 250, 200); }"
        "kb-search::part(option) { letter-spacing: 1px; }"
        "kb-search::part(mark) { background-color: rgb(0, 200, 255); }"
        "kb-search::part(badge) { color: rgb(1, 2, 3); }"
        "kb-search::part(dialog) { border-color: rgb(4, 5, 6); }"
    )
    head, csp = with_styles(kb, host, css)
    page.goto(
        host_page(
            '<kb-search lang="ko"></kb-search><kb-search lang="en" mode="dialog"></kb-search>',
            head=head,
            csp=csp,
        )
    )
    page.get_by_role("button", name="Search").click()
    dialog = page.get_by_role("dialog")
    assert dialog.evaluate("(el) => getComputedStyle(el).borderTopColor") == "rgb(4, 5, 6)"
    page.keyboard.press("Escape")
    box = page.get_by_role("combobox", name=LABEL_KO)
    box.fill("diphenhydramine")
    expect(page.locator("[part=badge]").first).to_be_visible()
    style = "(el, p) => getComputedStyle(el)[p]"
    assert page.get_by_role("button", name="검색", exact=True).evaluate(
        style, "backgroundColor"
    ) == ("rgb(120, 0, 90)")
    assert box.evaluate(style, "borderTopColor") == "rgb(0, 128, 0)"
    assert box.evaluate(style, "borderTopLeftRadius") == "0px"
    assert page.get_by_role("listbox").evaluate(style, "backgroundColor") == "rgb(250, 250, 200)"
    assert page.get_by_role("option").first.evaluate(style, "letterSpacing") == "1px"
    assert (
        page.locator("[part=mark]").first.evaluate(style, "backgroundColor") == "rgb(0, 200, 255)"
    )
    assert page.locator("[part=badge]").first.evaluate(style, "color") == "rgb(1, 2, 3)"
    assert violations(page) == []


@pytest.mark.parametrize(
    ("scheme", "theme", "background"),
    [
        ("light", None, "rgb(255, 255, 255)"),
        ("dark", None, "rgb(18, 19, 23)"),
        ("dark", "light", "rgb(255, 255, 255)"),
        ("light", "dark", "rgb(18, 19, 23)"),
    ],
)
def test_colour_scheme_follows_the_reader_unless_pinned(
    kb, host, host_page, page, scheme, theme, background
):
    from playwright.sync_api import expect

    page.emulate_media(color_scheme=scheme)
    attribute = f' theme="{theme}"' if theme else ""
    # A host page with a dark mode of its own (else it pins theme="light": docs/embedding.md)
    head, csp = with_styles(
        kb, host, "@media (prefers-color-scheme: dark) { html { background: #000; color: #fff } }"
    )
    page.goto(host_page(f'<kb-search lang="en"{attribute}></kb-search>', head=head, csp=csp))
    box = page.get_by_role("combobox", name=LABEL_EN)
    box.fill("gabapentin")
    expect(page.get_by_role("listbox")).to_be_visible()
    assert box.evaluate("(el) => getComputedStyle(el).backgroundColor") == background
    panel = "root.querySelector('[part=panel]')"
    assert shadow(page, f"getComputedStyle({panel}).backgroundColor") == background
    if scheme == "dark" and not theme:
        assert axe_violations(page) == []  # contrast holds in the dark palette too
        page.screenshot(path="/tmp/kb-embed-dark.png")


def test_on_a_phone_the_open_dialog_fits_and_closing_restores_the_scroll(host_page, chromium):  # noqa: F811
    from playwright.sync_api import expect

    context = chromium.new_context(
        viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True
    )
    try:
        page = context.new_page()
        filler = "".join(f"<p>Paragraph {n}</p>" for n in range(60))
        page.goto(host_page(f'{filler}<kb-search lang="ko" mode="dialog"></kb-search>{filler}'))
        trigger = page.get_by_role("button", name="검색")
        trigger.scroll_into_view_if_needed()
        scrolled = page.evaluate("scrollY")
        assert scrolled > 0
        trigger.tap()
        dialog = page.get_by_role("dialog")
        dialog.get_by_role("combobox").fill("효능")
        expect(dialog.get_by_role("option").first).to_be_visible()
        box = dialog.bounding_box()
        assert box["x"] >= 0 and box["y"] >= 0
        assert box["x"] + box["width"] <= 375 and box["y"] + box["height"] <= 667
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        page.screenshot(path="/tmp/kb-embed-phone.png")
        dialog.get_by_role("button", name="닫기").tap()
        expect(dialog).to_be_hidden()
        assert page.evaluate("scrollY") == scrolled

        page.goto(host_page('<kb-search lang="ko"></kb-search>'))  # inline, at the top
        page.get_by_role("combobox", name=LABEL_KO).fill("효능")
        panel = page.locator("[part=panel]")
        expect(panel.get_by_role("option").first).to_be_visible()
        box = panel.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375 and box["y"] + box["height"] <= 667
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        context.close()


# -- recent searches ---------------------------------------------------------------------------


def test_recent_searches_only_with_the_history_attribute_and_clearable(kb, host_page, page):
    from playwright.sync_api import expect

    url = host_page('<kb-search lang="en" history></kb-search>')
    page.goto(url)
    box = page.get_by_role("combobox", name=LABEL_EN)
    box.fill("gabapentin")
    box.press("Enter")
    page.wait_for_url(kb.url + "/en/search?q=gabapentin")
    page.goto(url)
    box.focus()
    recent = page.get_by_role("listbox", name="Recent searches")
    expect(recent.get_by_role("option")).to_have_text(["gabapentin Search"])
    page.get_by_role("button", name="Clear recent searches").click()
    expect(recent).to_be_hidden()
    assert page.evaluate("Object.keys(localStorage)") == []

    page.goto(host_page('<kb-search lang="en"></kb-search>'))  # no history attribute
    box.fill("ibuprofen")
    box.press("Enter")
    page.wait_for_url("**/en/search?q=ibuprofen")
    page.go_back()
    assert page.evaluate("Object.keys(localStorage)") == []


def test_the_box_works_when_storage_throws(host_page, context):
    from playwright.sync_api import expect

    context.add_init_script(
        "Object.defineProperty(window, 'localStorage', {get() {"
        " throw new DOMException('denied', 'SecurityError'); }});"
    )
    page = context.new_page()
    page.goto(host_page('<kb-search lang="en" history></kb-search>'))
    box = page.get_by_role("combobox", name=LABEL_EN)
    box.focus()
    box.fill("gabapentin")
    expect(page.get_by_role("option").first).to_contain_text(GABAPENTIN_EN)


# -- the guide's snippet, the frame, and the site's own pages ------------------------------------


def test_the_guides_snippet_works_pasted_into_a_blank_page(kb, host, page):
    from playwright.sync_api import expect

    page.goto(kb.url + "/en/embed")
    snippet = page.locator("pre.snippet-code code").first.inner_text()  # the Korean box
    assert snippet.endswith('<kb-search lang="ko"></kb-search>')
    path = f"/{uuid.uuid4().hex}.html"
    host.pages[path] = (f"<!doctype html><title>Blank</title>{snippet}", strict_csp(kb))
    page.goto(host.allowed + path)
    page.get_by_role("combobox", name=LABEL_KO).fill("가바펜틴")
    expect(page.get_by_role("option").first).to_contain_text(GABAPENTIN_KO)
    assert violations(page) == []


def test_the_frame_searches_inside_and_opens_the_article_in_the_top_window(kb, host_page, page):
    from playwright.sync_api import expect

    csp = strict_csp(kb) + f"; frame-src {kb.url}"
    page.goto(
        host_page(
            f'<iframe src="{kb.url}/ko/embed/frame" title="의약품 정보 검색"'
            ' width="600" height="400"></iframe>',
            csp=csp,
        )
    )
    frame = page.frame_locator("iframe")
    box = frame.get_by_role("combobox", name=LABEL_KO)
    box.fill("가바펜틴")
    # Without choosing: the results page, in the frame. The page's keyboard types into the
    # focused box as a reader does; the element's own press also waits on the frame's
    # navigation, and once timed out in a full run on a busy machine though the page loaded.
    page.keyboard.press("Enter")
    expect(frame.locator("ol.results a").first).to_have_text(GABAPENTIN_KO)
    assert page.url.startswith("http://localhost")
    frame.locator("ol.results a").first.click()
    page.wait_for_url(kb.url + "/ko/articles/gabapentin")  # the whole window


@pytest.mark.parametrize(
    "path",
    [
        "/ko/",
        "/en/search?q=gabapentin",
        "/ko/search?q=flu",  # results marked as found by meaning
        "/ko/articles/gabapentin",
        "/ko/embed",
        "/en/embed/frame?q=x",
        "/ko/embed/frame?q=rkqkvpsxls",  # a correction's notice, in the frame
    ],
)
def test_axe_finds_nothing_on_the_sites_own_pages(kb, page, path):
    from playwright.sync_api import expect

    page.goto(kb.url + path)
    box = page.get_by_role("combobox").first
    expect(box).to_be_visible()
    assert axe_violations(page) == []
    box.fill("가바")
    expect(page.get_by_role("listbox").first).to_be_visible()
    assert axe_violations(page) == []
    assert violations(page) == []


def test_the_search_pages_labels_hold_their_contrast_in_the_dark_palette(kb, page):
    """The "found by meaning" label and the translation badge on one result (`flu`:
    diphenhydramine, English only, never says flu), in the dark palette as in the light."""
    from playwright.sync_api import expect

    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.goto(kb.url + "/ko/search?q=flu")
        expect(page.locator(".badge.meaning").first).to_be_visible()
        assert axe_violations(page) == [], scheme
    page.screenshot(path="/tmp/kb-search-dark.png")


def test_corrections_did_you_mean_and_suggestions_for_nothing_found(host_page, page):
    from playwright.sync_api import expect

    page.goto(host_page('<kb-search lang="ko"></kb-search>'))
    box = page.get_by_role("combobox", name=LABEL_KO)
    box.fill("rkqkvpsxls")  # 가바펜틴 typed with the keyboard in English mode
    notice = page.locator("[part=notice]")
    expect(notice).to_have_text("가바펜틴(으)로 검색한 결과입니다. rkqkvpsxls(으)로 검색하기")
    expect(page.get_by_role("option").first).to_contain_text(GABAPENTIN_KO)
    notice.get_by_role("button", name="rkqkvpsxls").click()  # search instead for what was typed
    expect(page.get_by_role("status")).to_have_text("“rkqkvpsxls”에 해당하는 글이 없습니다.")
    expect(page.get_by_role("option").first).to_contain_text(GABAPENTIN_KO)  # still offered
    box.fill("zqxvy")  # nothing at all: the tips
    expect(page.get_by_text("맞춤법을 확인해 보세요.")).to_be_visible()
    expect(page.get_by_role("listbox")).to_be_hidden()

    box.fill("가바펜틴 효늠")  # offered, and the typo named as no article's word
    expect(notice).to_have_text(
        "혹시 가바펜틴 효능을(를) 찾으셨나요? 다음 검색어가 들어간 글은 없습니다: “효늠”. 아래는"
        " 나머지 검색어로 찾은 결과입니다."
    )
    notice.get_by_role("button", name="가바펜틴 효능").click()
    expect(box).to_have_value("가바펜틴 효능")
    expect(notice).to_be_hidden()
    assert violations(page) == []


@pytest.mark.parametrize(
    ("query", "said", "word", "shot"),
    [
        # the painkillers, none about acne
        (
            "여드름 두통",
            "다음 검색어가 들어간 글은 없습니다: “여드름”. 아래는 나머지 검색어로 찾은 결과입니다.",
            "여드름",
            "/tmp/kb-embed-missing.png",
        ),
        # pseudoephedrine lists palpitations among its side effects: lest a visitor take it
        # for a cure
        (
            "두근거림 약",
            "“두근거림”은(는) 이 말이 나오는 모든 글에서 부작용이나 주의사항으로만 나오고,"
            " 치료하는 증상으로 나오는 글은 없습니다.",
            "두근거림",
            "/tmp/kb-embed-aside-only.png",
        ),
    ],
    ids=["no article has the word", "only side effects mention it"],
)
def test_the_box_says_what_the_results_do_not_answer(
    host_page, page, query: str, said: str, word: str, shot: str
):
    """`여드름 두통` lists the painkillers, none about acne, and `두근거림 약` finds
    only articles listing palpitations as a side effect: the box says so, as the site's search
    page does, and says nothing once the words find what treats the need."""
    from playwright.sync_api import expect

    page.goto(host_page('<kb-search lang="ko"></kb-search>'))
    box = page.get_by_role("combobox", name=LABEL_KO)
    box.fill(query)
    notice = page.locator("[part=notice]")
    expect(notice).to_have_text(said)
    expect(notice.locator("strong")).to_have_text(word)
    expect(page.get_by_role("option").first).to_be_visible()
    page.screenshot(path=shot)  # looked at, not only asserted
    box.fill("두통 약")
    expect(page.get_by_role("option").first).to_be_visible()
    expect(notice).to_be_hidden()
    assert violations(page) == []


def test_loading_is_busy_and_no_cookie_of_the_knowledge_base_is_sent(kb, host_page, page):
    from playwright.sync_api import expect

    page.context.add_cookies([{"name": "kb_lang", "value": "en", "url": kb.url}])
    held = []
    page.route("**/api/instant?*", lambda route: held.append(route))
    page.goto(host_page('<kb-search lang="ko"></kb-search>'))
    start = len(kb.log)
    page.get_by_role("combobox", name=LABEL_KO).fill("가바펜틴")
    listbox = page.locator("[part=panel]")
    expect(listbox).to_have_attribute("aria-busy", "true")
    expect(page.locator(".msg p", has_text="검색 중…")).to_be_visible()
    held[0].continue_()
    expect(listbox).not_to_have_attribute("aria-busy", "true")
    expect(page.get_by_role("option").first).to_contain_text(GABAPENTIN_KO)
    [(_, _, query, headers)] = kb.log[start:]
    assert "Cookie" not in headers and query["lang"] == ["ko"]


def test_without_javascript_the_fallback_form_searches(kb, host_page, chromium):  # noqa: F811
    from playwright.sync_api import expect

    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(
            host_page(
                f'<kb-search lang="ko"><form method="get" action="{kb.url}/ko/search">'
                f'<input name="q" type="search" aria-label="{LABEL_KO}"><button>검색</button>'
                "</form></kb-search>"
            )
        )
        box = page.get_by_role("searchbox", name=LABEL_KO)
        box.fill("가바펜틴")
        box.press("Enter")
        page.wait_for_url(f"{kb.url}/ko/search?q=*")
        expect(page.locator("ol.results h2 a").first).to_have_text(GABAPENTIN_KO)
        page.goto(kb.url + "/en/")  # the site's own box too
        page.get_by_role("searchbox", name=LABEL_EN).fill("gabapentin")
        page.get_by_role("button", name="Search").click()
        page.wait_for_url(f"{kb.url}/en/search?q=gabapentin")
        expect(page.locator("ol.results h2 a").first).to_have_text(GABAPENTIN_EN)
    finally:
        context.close()
