"""The embeddable search box as the app serves it: the hashed module, its SRI hash and headers,
its strings from the catalogs, and ``/api/instant`` (the browser side: test_embed_browser.py)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from urllib.parse import quote

import pytest

from tests.api_contract import get_json

OTHER_SITE = "https://blog.example"


def served_script(client) -> tuple[str, bytes]:
    """The hashed URL the un-hashed name redirects to, and the bytes served there."""
    redirect = client.get("/embed/v1/kb-search.js")
    assert redirect.status_code == 302
    url = redirect.headers["Location"]
    response = client.get(url)
    assert response.status_code == 200
    return url, response.data


def config_of(body: bytes) -> dict:
    found = re.search(rb"const CONFIG = (\{.*?\});\n", body)
    assert found, "the strings were not filled in"
    return json.loads(found.group(1))


def test_script_url_carries_a_hash_of_the_bytes_served_and_pages_its_sri(client):
    url, body = served_script(client)
    assert re.fullmatch(r"/embed/v1/kb-search\.[0-9a-f]{16}\.js", url)
    assert url.split(".")[-2] == hashlib.sha256(body).hexdigest()[:16]
    integrity = "sha384-" + base64.b64encode(hashlib.sha384(body).digest()).decode()
    html = client.get("/en/").get_data(as_text=True)
    assert f'<script type="module" src="{url}" integrity="{integrity}"' in html


def test_hashed_script_is_immutable_public_and_loadable_from_any_site(client):
    url, _ = served_script(client)
    response = client.get(url, headers={"Origin": OTHER_SITE})
    assert response.content_type == "text/javascript; charset=utf-8"
    assert response.cache_control.max_age == 365 * 24 * 3600
    assert response.cache_control.immutable and response.cache_control.public
    assert response.headers["Access-Control-Allow-Origin"] == "*"  # crossorigin + integrity
    assert response.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert "Set-Cookie" not in response.headers
    redirect = client.get("/embed/v1/kb-search.js", headers={"Origin": OTHER_SITE})
    assert redirect.headers["Access-Control-Allow-Origin"] == "*"  # a CORS redirect needs it too
    assert redirect.cache_control.max_age == 300


@pytest.mark.parametrize("name", ["kb-search.0000000000000000.js", "other.js", "kb-search.css"])
def test_other_names_are_not_found(client, name):
    assert client.get(f"/embed/v1/{name}").status_code == 404


def test_script_holds_both_locales_strings_from_the_catalogs(client):
    _, body = served_script(client)
    config = config_of(body)
    assert config["default"] == "ko"
    ko, en = config["strings"]["ko"], config["strings"]["en"]
    assert ko["label"] == "약 이름, 증상, 부작용으로 검색"
    assert en["label"] == "Search medicines, symptoms or side effects"
    assert (ko["count_other"], en["count_one"], en["count_other"]) == (
        "결과 {n}건",
        "{n} result",
        "{n} results",
    )
    assert ko["fallback"] == "영어로 표시 — 아직 한국어 번역이 없습니다"
    assert en["fallback"] == "Shown in Korean — no English translation yet"
    assert "{corrected}" in ko["corrected"] and "{typed}" in ko["corrected"]
    for strings in (ko, en):
        assert set(strings) == set(en) and all(strings.values())
    assert b"/*@config*/" not in body and b"export { KbSearch };" in body


def test_script_follows_the_default_locale(make_app):
    _, body = served_script(make_app(KB_DEFAULT_LOCALE="en").test_client())
    assert config_of(body)["default"] == "en"


def test_script_is_small(client):
    import gzip

    _, body = served_script(client)
    assert len(gzip.compress(body, 9)) <= 12 * 1024


# -- /api/instant ----------------------------------------------------------------------------


def instant(client, typed: str, lang: str, **params: str) -> dict:
    extra = "".join(f"&{name}={value}" for name, value in params.items())
    url = f"/api/instant?q={quote(typed)}&lang={lang}{extra}"
    data = get_json(client, url, schema="Instant")
    assert (data["query"], data["lang"]) == (typed, lang)
    return data


def test_instant_answers_completions_and_results_in_one_request(client):
    data = instant(client, "가바펜틴", "ko")
    assert data["results"][0]["slug"] == "gabapentin"
    assert data["results"][0]["category"] == "신경계"
    assert "<mark>" in data["results"][0]["snippet"]
    assert data["completions"][0]["text"] == "가바펜틴 효능, 부작용, 주의사항"
    assert data["search_url"] == "http://localhost/ko/search?q=" + quote("가바펜틴")


def test_instant_offers_completions_for_a_prefix_and_corrections(client):
    assert instant(client, "가바", "ko")["completions"][0]["slug"] == "gabapentin"
    corrected = instant(client, "rkqkvpsxls", "ko")
    assert corrected["corrected"] == {"text": "가바펜틴", "kind": "keyboard"}
    assert instant(client, "rkqkvpsxls", "ko", exact="1")["total"] == 0


def test_instant_names_a_need_the_articles_mention_only_as_a_side_effect(client):
    assert instant(client, "두근거림 약", "ko")["aside_only"] == ["두근거림"]
    assert instant(client, "두통 약", "ko")["aside_only"] == []


def test_instant_marks_fallback_results(client):
    [hit] = instant(client, "diphenhydramine", "ko")["results"][:1]
    assert (hit["lang"], hit["fallback"]) == ("en", True)


def test_instant_is_cacheable_and_limited(client):
    response = client.get("/api/instant?q=x&lang=en")
    assert response.cache_control.max_age == 60 and response.cache_control.public
    assert len(instant(client, "효능", "ko", limit="2")["results"]) == 2
    assert get_json(client, "/api/instant?q=x&limit=11", status=400)["error"]["code"] == (
        "invalid_limit"
    )


def test_instant_allows_only_the_listed_origins(make_app):
    client = make_app(KB_CORS_ORIGINS="https://blog.example").test_client()
    allowed = client.get("/api/instant?q=x&lang=ko", headers={"Origin": OTHER_SITE})
    assert allowed.headers["Access-Control-Allow-Origin"] == OTHER_SITE
    refused = client.get("/api/instant?q=x&lang=ko", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in refused.headers


# -- /<locale>/embed and /<locale>/embed/frame -----------------------------------------------


def test_guide_gives_the_snippet_with_the_served_url_and_hash(client):
    from html import unescape

    url, body = served_script(client)
    integrity = "sha384-" + base64.b64encode(hashlib.sha384(body).digest()).decode()
    html = client.get("/ko/embed").get_data(as_text=True)
    assert "<h1>내 사이트에 검색창 넣기</h1>" in html
    codes = [unescape(code) for code in re.findall(r"<code>(.*?)</code>", html, flags=re.S)]
    assert (
        f'<script type="module" src="http://localhost{url}"\n'
        f'        integrity="{integrity}" crossorigin="anonymous"></script>\n'
        '<kb-search lang="ko"></kb-search>'
    ) in codes
    assert any(code.endswith('<kb-search lang="en"></kb-search>') for code in codes)
    assert "KB_CORS_ORIGINS" in html and "KB_FRAME_ANCESTORS" in html
    assert html.count("<kb-search ") == 4  # previews: each locale, light and dark


def test_guide_snippet_follows_the_public_url(make_app):
    client = make_app(KB_PUBLIC_URL="https://kb.example.org").test_client()
    html = client.get("/en/embed").get_data(as_text=True)
    assert "src=&#34;https://kb.example.org/embed/v1/kb-search." in html
    assert "script-src https://kb.example.org;" in html


def test_every_page_links_to_the_guide_in_its_locale(client):
    assert '<a href="/en/embed">Add this search box to your site</a>' in client.get(
        "/en/articles/gabapentin"
    ).get_data(as_text=True)
    assert '<a href="/ko/embed">이 검색창을 내 사이트에 넣기</a>' in client.get(
        "/ko/nowhere"
    ).get_data(as_text=True)


def test_frame_searches_in_place_and_opens_articles_in_the_top_window(client):
    html = client.get("/en/embed/frame?q=gabapentin").get_data(as_text=True)
    assert '<kb-search lang="en" action="/en/embed/frame" target="_top">' in html
    assert (
        '<form class="search" role="search" method="get"\n      action="/en/embed/frame">' in html
    )
    assert '<a href="/en/articles/gabapentin" target="_top" lang="en">' in html
    assert "<header" not in html and "<footer" not in html
    assert client.get("/en/embed/frame").status_code == 200
    assert "No articles match “zqxv”." in client.get("/en/embed/frame?q=zqxv").get_data(
        as_text=True
    )


def test_frame_says_what_the_sites_own_search_page_says_about_its_results(client):
    """A host site's readers are told of a correction (with a way back to the words as typed,
    in the frame), of words no article has, and of results found by meaning alone."""
    html = client.get("/ko/embed/frame?q=rkqkvpsxls").get_data(as_text=True)
    assert "<strong>가바펜틴</strong>" in html and '/articles/gabapentin" target="_top"' in html
    assert '<a href="/ko/embed/frame?q=rkqkvpsxls&amp;exact=1">rkqkvpsxls</a>' in html
    exact = client.get("/ko/embed/frame?q=rkqkvpsxls&exact=1").get_data(as_text=True)
    assert 'class="notice correction"' not in exact and "/articles/gabapentin" not in exact
    html = client.get("/en/embed/frame?q=gastroenteritis").get_data(as_text=True)
    assert "No article has the word “<strong>gastroenteritis</strong>”" in html
    assert re.search(r"\d+ articles? (is|are) close in meaning to “gastroenteritis”\.", html)
    assert "articles match" not in html and "article matches" not in html
    html = client.get("/en/embed/frame?q=flu").get_data(as_text=True)
    assert re.search(
        r"\d+ articles? match “flu”\. \d+ more (is|are) close to it in meaning\.", html
    )
    assert "Found by meaning, not by your words" in html


def test_frame_is_framed_only_by_the_configured_sites(client, make_app):
    assert (
        "frame-ancestors 'none'" in client.get("/ko/embed/frame").headers["Content-Security-Policy"]
    )
    partner = make_app(KB_FRAME_ANCESTORS="https://blog.example").test_client()
    headers = partner.get("/ko/embed/frame").headers
    assert "frame-ancestors https://blog.example" in headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in headers


def test_instant_ranks_by_words_unless_asked_for_meaning(client, bundled_index):
    import kb

    lexical = kb.search(bundled_index, "잠이 안 와요", "ko", per_page=5, mode="lexical")
    data = instant(client, "잠이 안 와요", "ko")
    assert [hit["slug"] for hit in data["results"]] == [hit.slug for hit in lexical.hits]
    hybrid = instant(client, "잠이 안 와요", "ko", mode="hybrid")
    assert hybrid["total"] >= data["total"]
    assert get_json(client, "/api/instant?q=x&mode=x", status=400)["error"]["code"] == (
        "invalid_mode"
    )
