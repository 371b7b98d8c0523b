"""webapp.security: CSP and framing on every page, CORS on /api only where configured."""

from __future__ import annotations

import re
from urllib.parse import quote

from tests.api_contract import conforms, get_json
from tests.conftest import page


def scripts(html: str) -> list[str]:
    return re.findall(r"<script\b.*?</script>", html, flags=re.S)


def test_security_headers_on_every_page(client):
    for url in ("/ko/", "/ko/nowhere", "/api/search?q=x"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert headers["X-Frame-Options"] == "DENY"


def test_pages_need_no_inline_script_or_style(client):
    for url in ("/ko/", "/ko/search?q=rkqkvpsxls", "/en/articles/gabapentin", "/ko/nowhere"):
        html = client.get(url).get_data(as_text=True)
        assert all(
            re.fullmatch(r'<script type="module" src="[^"]+" integrity="[^"]+" [^>]*></script>', s)
            for s in scripts(html)
        )
        assert " style=" not in html
        assert not re.search(r"\son[a-z]+=", html)


def test_scripts_may_only_call_this_site(client):
    csp = client.get("/ko/").headers["Content-Security-Policy"]
    assert "connect-src 'self'" in csp and "script-src 'self';" in csp


def test_frame_ancestors_come_from_settings(make_app):
    client = make_app(KB_FRAME_ANCESTORS="https://partner.example 'self'").test_client()
    headers = client.get("/ko/").headers
    assert "frame-ancestors https://partner.example 'self'" in headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in headers


def test_no_cross_origin_access_by_default(client):
    response = client.get("/api/search?q=x", headers={"Origin": "https://other.example"})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_configured_origins_may_call_the_api(make_app):
    client = make_app(KB_CORS_ORIGINS="https://partner.example").test_client()
    allowed = client.get("/api/search?q=x", headers={"Origin": "https://partner.example"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://partner.example"
    assert "Origin" in allowed.headers["Vary"]
    other = client.get("/api/search?q=x", headers={"Origin": "https://other.example"})
    assert "Access-Control-Allow-Origin" not in other.headers
    page = client.get("/ko/", headers={"Origin": "https://partner.example"})
    assert "Access-Control-Allow-Origin" not in page.headers


def test_any_origin_is_not_the_null_origin(make_app):
    client = make_app(KB_CORS_ORIGINS="*").test_client()
    other = client.get("/api/search?q=x", headers={"Origin": "https://other.example"})
    assert other.headers["Access-Control-Allow-Origin"] == "https://other.example"
    sandboxed = client.get("/api/search?q=x", headers={"Origin": "null"})
    assert "Access-Control-Allow-Origin" not in sandboxed.headers


# -- hosts and absolute URLs ------------------------------------------------------------------


def absolute_urls(client, host: str | None = None) -> list[str]:
    """Every absolute URL the site writes (API, canonical and alternates, robots, sitemaps)."""
    headers = {"Host": host} if host else {}
    api = client.get("/api/articles/gabapentin?lang=en", headers=headers).get_json()
    page = client.get("/en/articles/gabapentin", headers=headers).get_data(as_text=True)
    robots = client.get("/robots.txt", headers=headers).get_data(as_text=True)
    sitemap = client.get("/sitemap.xml", headers=headers).get_data(as_text=True)
    files = client.get("/sitemaps/1.xml", headers=headers).get_data(as_text=True)
    urls = [api["url"], *(t["url"] for t in api["translations"])]
    urls += [t["api_url"] for t in api["translations"]]
    for text in (page, robots, sitemap, files):
        urls += re.findall(r"https?://[^\s\"<]+", text)
    return [url for url in urls if "sitemaps.org" not in url and "w3.org" not in url]


def test_absolute_urls_come_from_the_public_url_whatever_the_host(make_app):
    client = make_app(KB_PUBLIC_URL="https://kb.example.org/").test_client()
    for host in (None, "kb.example.org", "127.0.0.1:8000"):
        urls = absolute_urls(client, host)
        assert len(urls) > 20
        assert all(url.startswith("https://kb.example.org/") for url in urls), urls
    assert "https://kb.example.org/sitemaps/1.xml" in absolute_urls(client)


def test_a_forged_host_is_refused_and_never_written(client):
    for url in ("/ko/", "/robots.txt", "/sitemap.xml", "/ko/nowhere"):
        response = client.get(url, headers={"Host": "evil.example"})
        assert response.status_code == 400 and response.mimetype == "text/plain"
        assert "evil" not in response.get_data(as_text=True)
    api = client.get("/api/search?q=x&lang=ko", headers={"Host": "evil.example"})
    assert api.status_code == 400
    assert conforms(api.get_json(), "Error")["error"] == {
        "code": "untrusted_host",
        "message": "이 사이트는 그 호스트 이름으로 오는 요청에 응답하지 않습니다.",
    }


def test_trusted_hosts_come_from_settings(make_app):
    client = make_app(KB_TRUSTED_HOSTS="kb.internal .example.org").test_client()
    urls = absolute_urls(client, "kb.internal:8000")
    assert urls and all(url.startswith("http://kb.internal:8000/") for url in urls)
    assert client.get("/ko/", headers={"Host": "a.example.org"}).status_code == 200
    assert client.get("/ko/").status_code == 400  # localhost is no longer listed
    public = make_app(KB_PUBLIC_URL="https://kb.example.org").test_client()
    assert public.get("/ko/", headers={"Host": "kb.example.org"}).status_code == 200


# -- request limits ---------------------------------------------------------------------------


def test_an_overlong_query_string_is_a_localized_414(client):
    long = quote("가바펜틴 " * 1000)
    data = get_json(client, f"/api/search?lang=ko&q={long}", status=414)
    assert data["error"]["code"] == "uri_too_long"
    assert data["error"]["message"] == "주소가 너무 깁니다. 더 적은 단어로 검색해 주세요."
    html = page(client, f"/en/search?q={long}", status=414)
    assert "The address is too long. Please search with fewer words." in html


def test_a_request_body_is_refused_over_the_limit_in_json(client):
    response = client.post("/api/search?lang=en", data=b"x" * 100_000)
    assert response.status_code == 413
    data = conforms(response.get_json(), "Error")
    assert data["error"] == {"code": "request_too_large", "message": "The request is too large."}
    assert client.post("/api/search?lang=en", data=b"x").status_code == 405
