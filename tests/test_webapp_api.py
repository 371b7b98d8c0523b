"""The JSON API as its clients see it: the documented shapes, locales, fallbacks, errors, CORS."""

from __future__ import annotations

import time
from urllib.parse import quote

import pytest
from openapi_spec_validator import validate as validate_spec

import kb
from kb.query import clean_query
from tests.api_contract import OPENAPI, conforms, get_json
from tests.conftest import updated_on

# -- search ----------------------------------------------------------------------------------


def test_search_in_korean(client, bundled_index):
    data = get_json(client, "/api/search?q=효능&lang=ko")
    expected_total = kb.search(bundled_index, "효능", "ko").total
    assert (data["query"], data["lang"], data["total"]) == ("효능", "ko", expected_total)
    assert (data["page"], data["per_page"], data["suggestion"]) == (1, 10, None)
    first = data["results"][0]
    assert first["slug"] == "gabapentin" and first["title"] == "가바펜틴 효능, 부작용, 주의사항"
    assert first["url"] == "http://localhost/ko/articles/gabapentin"
    assert "<mark>효능</mark>" in first["snippet"] and first["lang"] == "ko"
    assert first["fallback"] is False


def test_search_names_the_words_no_article_has(client):
    assert get_json(client, f"/api/search?q={quote('여드름 두통')}&lang=ko")["missing"] == [
        "여드름"
    ]
    assert get_json(client, "/api/search?q=효능&lang=ko")["missing"] == []
    by_meaning = get_json(client, "/api/search?q=gastroenteritis&lang=en")
    assert by_meaning["missing"] == ["gastroenteritis"] and by_meaning["meaning_only"] is True
    assert {result["match"] for result in by_meaning["results"]} == {"meaning"}
    assert (
        get_json(client, f"/api/search?q={quote('여드름 두통')}&lang=ko")["meaning_only"] is False
    )


def test_search_names_a_need_every_article_lists_as_a_side_effect(client):
    assert get_json(client, f"/api/search?q={quote('두근거림 약')}&lang=ko")["aside_only"] == [
        "두근거림"
    ]
    assert get_json(client, "/api/search?q=headache&lang=en")["aside_only"] == []


def test_search_counts_the_results_found_by_meaning_alone(client):
    flu = get_json(client, "/api/search?q=flu&lang=ko&per_page=50")
    marked = [result["slug"] for result in flu["results"] if result["match"] == "meaning"]
    assert "diphenhydramine" in marked and flu["by_meaning"] == len(marked) < flu["total"]
    one = get_json(client, "/api/search?q=flu&lang=ko&per_page=1")
    assert one["by_meaning"] == len(marked)
    lexical = get_json(client, "/api/search?q=flu&lang=ko&mode=lexical")
    assert lexical["by_meaning"] == 0


def test_search_in_english_shows_english_titles(client):
    data = get_json(client, "/api/search?q=효능&lang=en")
    assert data["results"][0]["title"] == "Gabapentin: uses, side effects and precautions"
    assert data["results"][0]["url"] == "http://localhost/en/articles/gabapentin"


@pytest.mark.parametrize(
    ("query", "lang", "slug", "shown"),
    [("diphenhydramine", "ko", "diphenhydramine", "en"), ("게보린", "en", "geworin", "ko")],
)
def test_search_falls_back_to_the_other_translation(client, query, lang, slug, shown):
    data = get_json(client, f"/api/search?q={quote(query)}&lang={lang}")
    hit = data["results"][0]
    assert (hit["slug"], hit["lang"], hit["fallback"]) == (slug, shown, True)
    assert hit["url"] == f"http://localhost/{lang}/articles/{slug}"


def test_search_pages_through_results(client, bundled_index):
    total = kb.search(bundled_index, "효능", "en").total
    last = -(-total // 5)
    first = get_json(client, "/api/search?q=효능&lang=en&per_page=5")
    third = get_json(client, f"/api/search?q=효능&lang=en&per_page=5&page={last}")
    assert len(first["results"]) == 5 and len(third["results"]) == total - 5 * (last - 1)
    assert {r["slug"] for r in first["results"]}.isdisjoint(r["slug"] for r in third["results"])
    assert get_json(client, "/api/search?q=효능&page=9")["results"] == []


@pytest.mark.parametrize(
    ("headers", "lang"),
    [({"Accept-Language": "en-US,en;q=0.8"}, "en"), ({"Accept-Language": "fr"}, "ko"), ({}, "ko")],
)
def test_search_without_lang_follows_accept_language(client, headers, lang):
    response = client.get("/api/search?q=효능", headers=headers)
    assert response.get_json()["lang"] == lang
    assert "Accept-Language" in response.headers["Vary"]


# -- corrections -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "lang", "meant", "kind"),
    [
        ("rkqkvpsxls", "ko", "가바펜틴", "keyboard"),  # Korean typed in English mode
        ("ㅎ뮤메두샤ㅜ", "en", "gabapentin", "keyboard"),  # English typed in Korean mode
        ("효늠", "ko", "효능", "typo"),
        ("seizrues", "en", "seizures", "typo"),
        ("gaba pentin", "en", "gabapentin", "spacing"),  # an English word typed in two
        ("heart burn", "en", "heartburn", "spacing"),  # ...whose halves no article has both of
        ("타이레", "ko", "타이레놀", "unfinished"),  # Enter pressed mid-word
        ("zolp", "en", "zolpidem", "unfinished"),
    ],
)
def test_search_that_finds_nothing_as_typed_shows_the_corrected_results(
    client, bundled_index, typed, lang, meant, kind
):
    data = get_json(client, f"/api/search?q={quote(typed)}&lang={lang}")
    assert data["query"] == typed  # what the reader typed, not what was searched
    assert data["corrected"] == {"text": meant, "kind": kind}
    assert data["suggestion"] is None
    expected = kb.search(bundled_index, meant, lang)
    assert data["total"] == expected.total
    assert [hit["slug"] for hit in data["results"]] == [hit.slug for hit in expected.hits]


@pytest.mark.parametrize(
    ("typed", "lang", "offered", "kind"),
    [
        ("rkqkvpsxls nausea", "en", "가바펜틴 nausea", "keyboard"),
        ("가바펜틴 효늠", "ko", "가바펜틴 효능", "typo"),
    ],
)
def test_search_that_finds_something_offers_a_suggestion(client, typed, lang, offered, kind):
    data = get_json(client, f"/api/search?q={quote(typed)}&lang={lang}")
    assert data["suggestion"] == {"text": offered, "kind": kind}
    assert data["corrected"] is None and data["total"] > 0  # results for the query as typed


@pytest.mark.parametrize(
    ("exact", "corrected"),
    [("1", None), ("true", None), ("0", "가바펜틴"), ("false", "가바펜틴")],
)
def test_exact_searches_as_typed_without_correction(client, exact, corrected):
    data = get_json(client, f"/api/search?q=rkqkvpsxls&lang=ko&exact={exact}")
    assert (data["corrected"] or {}).get("text") == corrected
    assert (data["total"] > 0) == (corrected is not None)
    assert data["suggestion"] is None


def test_empty_query_finds_nothing_without_error(client):
    assert get_json(client, "/api/search")["total"] == 0
    assert get_json(client, "/api/search?q=%20%20")["results"] == []


def test_search_reflects_markup_inert(client):
    response = client.get("/api/search?q=" + quote("<script>alert(1)</script>"))
    assert b"<script" not in response.data and b"\\u003cscript\\u003e" in response.data
    data = response.get_json()
    assert data["query"] == "<script>alert(1)</script>"  # the same data once parsed
    assert all("<script" not in hit["snippet"] for hit in data["results"])


# -- articles --------------------------------------------------------------------------------


def test_article_in_english(client):
    data = get_json(client, "/api/articles/gabapentin?lang=en", schema="Article")
    assert data["title"] == "Gabapentin: uses, side effects and precautions"
    assert (data["lang"], data["fallback"]) == ("en", False)
    assert data["updated"] == str(updated_on("gabapentin", "en"))
    assert "<h2>Uses</h2>" in data["html"]
    assert data["translations"] == [
        {
            "lang": "ko",
            "url": "http://localhost/ko/articles/gabapentin",
            "api_url": "http://localhost/api/articles/gabapentin?lang=ko",
        },
        {
            "lang": "en",
            "url": "http://localhost/en/articles/gabapentin",
            "api_url": "http://localhost/api/articles/gabapentin?lang=en",
        },
    ]


def test_article_falls_back_to_its_only_translation(client):
    data = get_json(client, "/api/articles/diphenhydramine?lang=ko", schema="Article")
    assert (data["lang"], data["fallback"]) == ("en", True)
    assert [t["lang"] for t in data["translations"]] == ["en"]
    assert data["url"] == "http://localhost/ko/articles/diphenhydramine"


def test_unknown_api_route_answers_json(client):
    data = get_json(client, "/api/nope", status=404, headers={"Accept-Language": "ko"})
    assert data["error"]["code"] == "not_found"
    assert data["error"]["message"].startswith("이 주소에는 페이지가 없습니다.")


# -- bad parameters --------------------------------------------------------------------------


BAD_SEARCH_PARAMETERS = [
    ("lang=fr", "invalid_lang"),
    ("lang=", "invalid_lang"),
    ("page=0", "invalid_page"),
    ("page=-1", "invalid_page"),
    ("page=abc", "invalid_page"),
    ("page=2.0", "invalid_page"),
    ("page=1001", "invalid_page"),
    ("page=" + "9" * 5000, "invalid_page"),
    ("per_page=0", "invalid_per_page"),
    ("per_page=51", "invalid_per_page"),
    ("per_page=%ff", "invalid_per_page"),
    ("exact=yes", "invalid_exact"),
    ("exact=", "invalid_exact"),
    ("exact=TRUE", "invalid_exact"),
    ("exact=2", "invalid_exact"),
]
BAD_SUGGEST_PARAMETERS = [
    ("limit=0", "invalid_limit"),
    ("limit=9", "invalid_limit"),
    ("limit=abc", "invalid_limit"),
    ("limit=", "invalid_limit"),
    ("lang=fr", "invalid_lang"),
    ("lang=", "invalid_lang"),
]


@pytest.mark.parametrize(
    ("path", "query", "code"),
    [("search", query, code) for query, code in BAD_SEARCH_PARAMETERS]
    + [("suggest", query, code) for query, code in BAD_SUGGEST_PARAMETERS],
)
def test_bad_parameters_are_400s_naming_the_problem(client, path, query, code):
    data = get_json(client, f"/api/{path}?q=x&{query}", status=400)
    assert data["error"]["code"] == code


def test_bad_parameter_message_is_in_the_requested_locale(client):
    ko = get_json(client, "/api/search?q=x&lang=ko&per_page=99", status=400)
    assert ko["error"]["message"] == "“per_page” 매개변수 값은 1부터 50 사이의 정수여야 합니다."
    en = get_json(client, "/api/search?q=x&lang=en&page=0", status=400)
    assert en["error"]["message"] == "The parameter “page” must be a whole number from 1 to 1000."


def test_bad_exact_is_explained_in_the_requested_locale(client):
    ko = get_json(client, "/api/search?q=x&lang=ko&exact=on", status=400)
    assert ko["error"]["message"] == "“exact” 매개변수 값은 0, 1, true, false 중 하나여야 합니다."
    en = get_json(client, "/api/search?q=x&lang=en&exact=on", status=400)
    assert en["error"]["message"] == "The parameter “exact” must be 0, 1, true or false."


def test_bad_lang_is_explained_in_the_accept_language_locale(client):
    data = get_json(
        client, "/api/articles/gabapentin?lang=xx", status=400, headers={"Accept-Language": "en"}
    )
    assert data["error"]["message"] == "The parameter “lang” must be one of: ko, en."


FUZZ = [
    'q="unbalanced',
    "q=AND",
    "q=OR%20NOT",
    "q=*",
    "q=%2A%3F~%5E2",
    "q=title:(x",
    "q=" + "가" * 5000,
    "q=" + "%01%02%1b%7f",
    "q=%00",
    "q=a%00b",
    "q=%ff",
    "q=%ed%a0%80",
    "q=%c3%28&lang=ko",
    "q=%",
    "q=%%%",
    "q=\\",
    "q=%E2%80%AE",
    "q=%F0%9F%92%8A",
    "q=x&q=y",
    "q[]=x",
    "page=99999999999999999999999999",
    "page=-5",
    "page=NaN",
    "page=%EF%BC%91",
    "per_page=1e2",
    "lang=%ff",
    "lang=ko&lang=en",
    "exact=%ff",
    "exact=1&exact=x",
    "q=rkqk&exact=1",
    "q=%E3%84%B1&limit=1",
    "limit=0",
    "limit=%EF%BC%98",
    "limit=" + "8" * 400,
    "q=%E1%84%80%E1%85%A1",  # conjoining jamo (가 decomposed)
    "q=%E3%85%8F%E3%85%8F%E3%85%8F",  # vowels alone
]


@pytest.mark.parametrize("query_string", FUZZ)
@pytest.mark.parametrize(("path", "schema"), [("search", "SearchPage"), ("suggest", "Completions")])
def test_no_query_string_breaks_the_api(client, path, schema, query_string):
    response = client.get(f"/api/{path}?{query_string}")
    assert response.status_code in (200, 400, 414)  # 414: 5000 encoded Hangul are over 8 KiB
    data = response.get_json()
    conforms(data, schema if response.status_code == 200 else "Error")


@pytest.mark.parametrize("query_string", FUZZ)
def test_no_query_string_breaks_the_search_page(client, query_string):
    response = client.get("/ko/search?" + query_string)
    assert response.status_code in (200, 400, 414)
    assert "<h1>" in response.get_data(as_text=True)


# -- CORS and the OpenAPI document -----------------------------------------------------------


def test_openapi_document_is_served_valid_and_covers_every_api_route(app, client):
    served = client.get("/api/openapi.json").get_json()
    assert served == OPENAPI
    assert served["openapi"].startswith("3.1")
    validate_spec(served)
    routes = {
        rule.rule.replace("<", "{").replace(">", "}")
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
    }
    assert routes == set(served["paths"])


# -- very long queries ------------------------------------------------------------------------


def test_a_megabyte_query_is_cut_before_it_is_cleaned(bundled_index):
    huge = "가바펜틴 부작용\x00 " * 100_000  # 1.3 MB with control characters to clean
    started = time.perf_counter()
    text, truncated = clean_query(huge)
    assert time.perf_counter() - started < 0.05  # cleaning it all took over a second
    assert truncated and text.startswith("가바펜틴 부작용 가바펜틴") and len(text) <= 256
    results = kb.search(bundled_index, huge, "ko")
    assert results.notice == "truncated" and results.hits[0].slug == "gabapentin"
