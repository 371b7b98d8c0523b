"""webapp.errors: every failure is a localized page (or JSON on /api), never a traceback."""

from __future__ import annotations

import logging
from urllib.parse import quote

import pytest

import kb
from tests.api_contract import conforms, get_json
from tests.conftest import page

GABAPENTIN_KO = "가바펜틴 효능, 부작용, 주의사항"


def test_unknown_article_is_a_localized_404(client):
    html = page(client, "/ko/articles/no-such-thing", status=404)
    assert "<h1>페이지를 찾을 수 없습니다</h1>" in html
    assert "“no-such-thing” 글이 없습니다." in html
    assert "There is no article" in page(client, "/en/articles/no-such-thing", status=404)


def test_unknown_page_is_a_404_in_the_path_locale(client):
    html = page(client, "/ko/nowhere", status=404, headers={"Accept-Language": "en"})
    assert "<h1>페이지를 찾을 수 없습니다</h1>" in html
    assert '<a class="brand" href="/ko/">' in html  # links stay in the page's locale
    assert "<h1>Page not found</h1>" in page(client, "/en/nowhere/at/all", status=404)


def test_unknown_locale_is_a_404_in_the_readers_language(client):
    html = page(client, "/fr/", status=404, headers={"Accept-Language": "en-GB"})
    assert "<h1>Page not found</h1>" in html and '<html lang="en">' in html


@pytest.mark.parametrize("bad", ["abc", "0", "-1", "1.5", "1e3", "99999999999999999999", "１"])
def test_bad_page_number_is_a_localized_400(client, bad):
    html = page(client, "/ko/search?q=효능&page=" + quote(bad), status=400)
    assert "<h1>잘못된 요청</h1>" in html
    assert "“page” 매개변수 값은 1부터 1000 사이의 정수여야 합니다." in html


def test_wrong_method_is_a_localized_405(client):
    response = client.post("/en/search")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert "<h1>Method not allowed</h1>" in response.get_data(as_text=True)


def test_crash_is_a_localized_500_without_traceback(make_app):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    @app.get("/ko/boom")
    def boom():
        raise RuntimeError("secret internals")

    html = page(app.test_client(), "/ko/boom", status=500)
    assert "<h1>문제가 발생했습니다</h1>" in html
    assert "secret internals" not in html and "Traceback" not in html


def test_missing_index_is_a_503_logged_once_then_picked_up_without_restart(
    make_app, tmp_path, caplog
):
    index_dir = tmp_path / "index"
    with caplog.at_level(logging.ERROR):
        app = make_app(KB_INDEX_DIR=str(index_dir))
        client = app.test_client()
        for url in ("/ko/", "/ko/search?q=x", "/ko/articles/gabapentin"):
            response = client.get(url)
            assert response.status_code == 503
            assert "검색 색인이 아직 만들어지지 않았습니다" in response.get_data(as_text=True)
            assert response.headers["Retry-After"] == "60"
    problems = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(problems) == 1
    assert "python indexer.py build" in problems[0].getMessage()
    kb.build_index(kb.content.BUNDLED_CONTENT, index_dir)
    assert GABAPENTIN_KO in page(client, "/ko/")


def test_unknown_article_is_a_404_in_the_requested_locale(client):
    data = get_json(client, "/api/articles/nothing-here?lang=ko", status=404)
    assert data["error"]["code"] == "article_not_found"
    assert data["error"]["message"] == "“nothing-here” 글이 없습니다."
    data = get_json(client, "/api/articles/nothing-here?lang=en", status=404)
    assert data["error"]["message"] == "There is no article “nothing-here”."


@pytest.mark.parametrize(
    "slug", ["%ff", "%00", "a" * 5000, "%2e%2e", "GABAPENTIN", "a%2Fb", "가바펜틴"]
)
def test_odd_article_slugs_are_404s(client, slug):
    assert get_json(client, f"/api/articles/{slug}?lang=en", status=404)
    assert client.get(f"/en/articles/{slug}").status_code == 404


@pytest.mark.parametrize("path", ["search", "suggest"])
def test_index_missing_is_a_503_in_json(make_app, tmp_path, path):
    client = make_app(KB_INDEX_DIR=str(tmp_path / "none")).test_client()
    response = client.get(f"/api/{path}?q=x&lang=en")
    assert response.status_code == 503 and "public" not in response.headers.get("Cache-Control", "")
    data = conforms(response.get_json(), "Error")
    assert data["error"]["code"] == "index_unavailable"
    assert "has not been built yet" in data["error"]["message"]
