"""webapp.security: CSP and framing on every page, CORS on /api only where configured."""

from __future__ import annotations

import re


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
        assert all(re.fullmatch(r'<script src="[^"]+" defer></script>', s) for s in scripts(html))
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
