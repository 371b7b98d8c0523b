"""``/api/suggest``, cheap enough for a search box's every keystroke: completions however the
reader typed, in the reader's locale, with errors and cache headers a client can rely on."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest

import kb
from tests.api_contract import get_json
from tests.conftest import article_text, write_article

GABAPENTIN_KO = "가바펜틴 효능, 부작용, 주의사항"
GABAPENTIN_EN = "Gabapentin: uses, side effects and precautions"
GEWORIN_KO = "게보린: 용도, 부작용, 복용 시 주의할 점"


def completions(client, typed: str, lang: str, **params: str) -> list[dict]:
    extra = "".join(f"&{name}={value}" for name, value in params.items())
    data = get_json(
        client, f"/api/suggest?q={quote(typed)}&lang={lang}{extra}", schema="Completions"
    )
    assert (data["query"], data["lang"]) == (typed, lang)
    return data["completions"]


@pytest.mark.parametrize(
    "typed",
    [
        "가바",  # a prefix
        "ㄱㅂㅍㅌ",  # 초성
        "가바ㅍ",  # a syllable still being composed
        "가밮",  # …as some IMEs show it
        "rkqk",  # 가바 typed with the keyboard in English mode
    ],
)
def test_korean_title_first_however_it_was_typed(client, typed):
    first, *rest = completions(client, typed, "ko")
    assert first == {
        "text": GABAPENTIN_KO,
        "kind": "article",
        "slug": "gabapentin",
        "lang": "ko",
        "url": "http://localhost/ko/articles/gabapentin",
        "fallback": False,
    }
    assert {"text": "가바펜틴", "kind": "term"}.items() <= rest[0].items()


def test_english_reader_gets_english_titles_for_korean_typing(client):
    first = completions(client, "가바", "en")[0]
    assert (first["text"], first["lang"]) == (GABAPENTIN_EN, "en")
    assert first["url"] == "http://localhost/en/articles/gabapentin"


def test_english_typed_in_korean_mode_completes_english_words(client):
    found = completions(client, "ㅎ뮤", "en")  # "gab" typed with the keyboard in Korean mode
    assert found[0]["text"] == GABAPENTIN_EN
    assert {"text": "gabapentin", "kind": "term", "lang": "en"}.items() <= found[1].items()


def test_article_without_the_readers_translation_is_offered_in_its_own(client):
    first = completions(client, "게보", "en")[0]
    assert first == {
        "text": GEWORIN_KO,
        "kind": "article",
        "slug": "geworin",
        "lang": "ko",
        "url": "http://localhost/en/articles/geworin",
        "fallback": True,
    }


def test_at_most_eight_completions_or_the_limit_asked(client):
    assert len(completions(client, "부자", "ko")) == 8  # 부작용 is in most titles
    three = completions(client, "부자", "ko", limit="3")
    assert [c["text"] for c in three] == [c["text"] for c in completions(client, "부자", "ko")[:3]]


@pytest.mark.parametrize(
    "url", ["/api/suggest?lang=ko", "/api/suggest?q=&lang=en", "/api/suggest?q=%20%20"]
)
def test_nothing_typed_is_no_completions_without_error(client, url):
    assert get_json(client, url, schema="Completions")["completions"] == []


def test_nothing_matching_is_no_completions(client):
    assert completions(client, "zzzxq", "en") == []


def test_bad_limit_is_explained_in_the_requested_locale(client):
    data = get_json(client, "/api/suggest?q=x&lang=ko&limit=20", status=400)
    assert data["error"]["message"] == "“limit” 매개변수 값은 1부터 8 사이의 정수여야 합니다."


def test_typed_markup_comes_back_inert(client):
    response = client.get("/api/suggest?q=" + quote("<script>가바"))
    assert b"<script" not in response.data
    assert response.get_json()["query"] == "<script>가바"


def test_completions_may_be_cached_briefly_per_url(client):
    response = client.get("/api/suggest?q=" + quote("가바") + "&lang=ko")
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert "Origin" in response.vary  # CORS answers differ by origin
    assert "Accept-Language" not in response.vary and "Cookie" not in response.vary


def test_completions_without_lang_vary_on_what_chooses_the_locale(client):
    response = client.get("/api/suggest?q=" + quote("가바"), headers={"Accept-Language": "en"})
    assert response.get_json()["completions"][0]["text"] == GABAPENTIN_EN
    assert {"Accept-Language", "Cookie", "Origin"} <= set(response.vary)
    assert response.headers["Cache-Control"] == "public, max-age=60"


def test_errors_are_not_cached(client):
    response = client.get("/api/suggest?q=x&limit=0")
    assert response.status_code == 400
    assert "public" not in response.headers.get("Cache-Control", "")


def test_completions_follow_an_update_from_the_first_keystroke(
    make_app, bundled_copy: Path, tmp_path: Path
) -> None:
    """The build swapped in brings its own completion table: no worker makes one, and no
    keystroke is answered from the build before."""
    index_dir = tmp_path / "index"
    kb.build_index(bundled_copy, index_dir)
    client = make_app(KB_INDEX_DIR=str(index_dir)).test_client()
    assert "가바나나 시럽" not in [c["text"] for c in completions(client, "가바나", "ko")]
    write_article(bundled_copy, "gabanana", "ko", article_text("가바나나 시럽", "본문입니다.\n"))
    kb.update_index(bundled_copy, index_dir)
    assert [c["text"] for c in completions(client, "가바나", "ko")] == ["가바나나 시럽"]
