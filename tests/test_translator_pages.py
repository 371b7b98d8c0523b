"""What readers, API clients and translators see of translation status on the site."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner

import indexer
from tests.api_contract import get_json
from tests.conftest import EN_TRANSLATION, KO_SOURCE, page, write_article


def test_an_outdated_translation_tells_readers_and_links_the_original(outdated_site) -> None:
    client = outdated_site.test_client()
    html = page(client, "/en/articles/gabapentin")
    notice = re.search(r'<p class="notice translation-outdated" role="note">(.*?)</p>', html, re.S)
    assert notice is not None
    # ko.md's `updated:` (Nov 1) is older than en.md's (Nov 2): no date that isn't news
    assert "The original (Korean) has changed since this translation was made" in notice.group(1)
    assert 'href="/ko/articles/gabapentin" hreflang="ko">Read the original</a>' in notice.group(1)
    korean = page(client, "/ko/articles/gabapentin")  # the original itself: no notice
    assert "translation-outdated" not in korean


def test_the_notice_is_localized(content_dir, tmp_path, make_app) -> None:
    import kb
    from kb.translating.workflow import find_article, mark_current

    source = write_article(content_dir, "a", "en", EN_TRANSLATION)
    write_article(content_dir, "a", "ko", KO_SOURCE)
    mark_current(find_article(content_dir, "a"), "ko")
    source.write_text(EN_TRANSLATION.replace("dizziness", "headache"), encoding="utf-8")
    kb.build_index(content_dir, tmp_path / "index")
    client = make_app(KB_INDEX_DIR=str(tmp_path / "index")).test_client()
    html = page(client, "/ko/articles/a")
    assert "원문(영어)이 2026년 11월 2일에 수정되었습니다." in html
    assert 'href="/en/articles/a" hreflang="en">원문 읽기</a>' in html


def test_current_and_untracked_translations_show_no_notice(outdated_site) -> None:
    client = outdated_site.test_client()
    assert "translation-outdated" not in page(client, "/en/articles/untracked")


def test_the_api_says_how_current_the_translation_is(outdated_site) -> None:
    client = outdated_site.test_client()
    en = get_json(client, "/api/articles/gabapentin?lang=en", schema="Article")
    assert en["translation"] == {
        "status": "outdated",
        "source_lang": "ko",
        "outdated_sections": ["s2"],
    }
    assert (
        get_json(client, "/api/articles/gabapentin?lang=ko", schema="Article")["translation"]
        is None
    )
    untracked = get_json(client, "/api/articles/untracked?lang=en", schema="Article")
    assert untracked["translation"] == {
        "status": "untracked",
        "source_lang": None,
        "outdated_sections": [],
    }
    fallback = get_json(client, "/api/articles/only-ko?lang=en", schema="Article")
    assert (fallback["fallback"], fallback["translation"]) == (True, None)


def test_hreflang_alternates_name_only_translations_that_exist(outdated_site) -> None:
    html = page(outdated_site.test_client(), "/en/articles/only-ko")
    alternates = re.findall(r'<link rel="alternate" hreflang="([^"]+)"', html)
    assert alternates == ["ko", "x-default"]


# -- translator pages --------------------------------------------------------------------------


def test_the_status_page_shows_what_status_json_prints(outdated_site) -> None:
    content = outdated_site.config["CONTENT"]
    result = CliRunner().invoke(
        indexer.cli, ["translations", "status", "--json", "--content", str(content)]
    )
    assert result.exit_code == 0, result.output
    cli = json.loads(result.output)
    client = outdated_site.test_client()
    served = client.get("/en/translations?format=json")
    assert served.status_code == 200 and served.get_json() == cli
    html = page(client, "/en/translations")
    rows = re.findall(r'<tr class="state-\w+" data-slug="([^"]+)" data-state="(\w+)">', html)
    assert rows == [(row["slug"], row["state"]) for row in cli["articles"]]
    assert ("gabapentin", "outdated") in rows
    for catalog in cli["catalogs"]:
        row = re.search(rf'<tr data-locale="{catalog["locale"]}">(.*?)</tr>', html, re.S)
        assert row is not None
        cells = re.findall(r"<td>([\d,]+)</td>", row.group(1))
        expected = [catalog[k] for k in ("translated", "fuzzy", "untranslated", "obsolete")]
        assert [int(c.replace(",", "")) for c in cells] == expected


def test_the_status_page_filters_by_state_and_language(outdated_site) -> None:
    client = outdated_site.test_client()
    html = page(client, "/en/translations?state=outdated")
    assert re.findall(r'data-slug="([^"]+)"', html) == ["gabapentin"]
    html = page(client, "/en/translations?into=ko")
    assert re.findall(r'data-slug="([^"]+)"', html) == ["untracked"]
    bad = client.get("/en/translations?state=<b>")
    assert bad.status_code == 400 and "<b>" not in bad.get_data(as_text=True)


def test_the_side_by_side_view_highlights_the_outdated_section(outdated_site) -> None:
    html = page(outdated_site.test_client(), "/en/translations/gabapentin")
    rows = dict(re.findall(r'<tr id="section-([\w-]+)" class="(\w*)"', html))
    assert rows == {"title": "", "summary": "", "tags": "", "intro": "", "s1": "", "s2": "outdated"}
    assert "Diff unavailable: the content folder is not in a git repository." in html
    s2 = html[html.index('id="section-s2"') :]
    assert "- 졸림" in s2 and "- drowsiness" in s2


def test_translator_pages_are_localized_in_korean(outdated_site) -> None:
    html = page(outdated_site.test_client(), "/ko/translations")
    assert "<h1>번역 현황</h1>" in html and "원문 변경됨: 1" in html


def test_translator_pages_escape_content(outdated_site) -> None:
    content = outdated_site.config["CONTENT"]
    en = content / "gabapentin" / "en.md"
    en.write_text(en.read_text(encoding="utf-8").replace("Epilepsy", "<script>x()</script>"))
    html = page(outdated_site.test_client(), "/en/translations/gabapentin")
    assert "<script>x()" not in html and "&lt;script&gt;x()" in html


def test_an_unknown_or_bad_slug_is_a_404(outdated_site) -> None:
    client = outdated_site.test_client()
    assert client.get("/en/translations/nope").status_code == 404
    assert client.get("/en/translations/..%2Fetc").status_code == 404


def test_a_site_can_turn_the_translator_pages_off(make_app) -> None:
    client = make_app(KB_TRANSLATOR_PAGES="false").test_client()
    assert client.get("/en/translations").status_code == 404
    assert client.get("/en/translations/gabapentin").status_code == 404


def test_the_side_by_side_view_lists_glossary_hits(outdated_site, make_app, tmp_path) -> None:
    from webapp import settings_of

    glossary = tmp_path / "glossary.tsv"
    glossary.write_text("ko\ten\n졸림 | 졸음\tdrowsiness\n어지러움\tvertigo\n", encoding="utf-8")
    settings = settings_of(outdated_site)
    app = make_app(
        KB_INDEX_DIR=str(settings.KB_INDEX_DIR),
        KB_CONTENT_DIR=str(outdated_site.config["CONTENT"]),
        KB_GLOSSARY=str(glossary),
    )
    html = page(app.test_client(), "/en/translations/gabapentin")
    hits = re.findall(r'<li class="(ok|warning)"><code>(\w+)</code>: (\S+) →\s+(.*?)</li>', html)
    assert ("ok", "s2", "졸림", "drowsiness") in hits
    assert ("warning", "s2", "어지러움", "none of: vertigo") in hits


def test_a_missing_translation_names_the_tags_the_glossary_does_not_carry(
    outdated_site, make_app, tmp_path
) -> None:
    from webapp import settings_of

    glossary = tmp_path / "glossary.tsv"
    glossary.write_text("ko\ten\n멀미\tmotion sickness\n", encoding="utf-8")
    content = outdated_site.config["CONTENT"]
    write_article(
        content, "solo", "en", "---\ntitle: Solo\ntags: [motion sickness, hives]\n---\nHi.\n"
    )
    settings = settings_of(outdated_site)
    app = make_app(
        KB_INDEX_DIR=str(settings.KB_INDEX_DIR), KB_CONTENT_DIR=str(content),
        KB_GLOSSARY=str(glossary),
    )  # fmt: skip
    html = page(app.test_client(), "/ko/translations/solo")
    assert "no glossary line gives ko words for its tags hives: readers searching in ko" in html
