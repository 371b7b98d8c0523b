"""The reader's pages via Flask's test client: home, search, article, sitemap, errors, headers."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import quote, quote_plus

import pytest

import kb
from tests.conftest import article_text, bundled_slugs, page, updated_on, write_article
from webapp.pages import chunked, paginate_catalog

GABAPENTIN_KO = "가바펜틴 효능, 부작용, 주의사항"
GABAPENTIN_EN = "Gabapentin: uses, side effects and precautions"
FALLBACK_KO = "영어로 표시 — 아직 한국어 번역이 없습니다"
FALLBACK_EN = "Shown in Korean — no English translation yet"
SITEMAP_NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "x": "http://www.w3.org/1999/xhtml",
}


def summary(slug: str, category: str) -> kb.ArticleSummary:
    return kb.ArticleSummary(slug, "en", slug, "", category, (), None, False, ("en",))


def result_links(html: str) -> list[tuple[str, str]]:
    """(href, title) of each search result, in order."""
    return re.findall(r'<li class="hit">\s*<h2><a href="([^"]+)"[^>]*>([^<]*)</a>', html)


def alternates(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


def scripts(html: str) -> list[str]:
    return re.findall(r"<script\b.*?</script>", html, flags=re.S)


def correction(html: str) -> str | None:
    """The "showing results for" / "did you mean" line above the results, as HTML."""
    found = re.search(r'<p class="notice correction">(.*?)</p>', html, flags=re.S)
    return found and found.group(1)


def switch_link(html: str, locale: str) -> str:
    return re.search(rf'<a href="([^"]*)" hreflang="{locale}" lang="{locale}"', html).group(1)


# -- home ------------------------------------------------------------------------------------


def test_home_lists_articles_by_category_in_the_locale(client):
    ko = page(client, "/ko/")
    assert '<html lang="ko">' in ko
    assert "<h3" in ko and ">신경계</h3>" in ko
    assert f'<a href="/ko/articles/gabapentin" lang="ko">{GABAPENTIN_KO}</a>' in ko
    assert ko.index(">신경계</h3>") < ko.index(GABAPENTIN_KO)
    en = page(client, "/en/")
    assert ">Nervous system</h3>" in en
    assert f'<a href="/en/articles/gabapentin" lang="en">{GABAPENTIN_EN}</a>' in en


def test_home_search_box_has_focus_and_a_label(client):
    html = page(client, "/ko/")
    assert re.search(r'<input id="q" name="q" type="search"[^>]* autofocus>', html)
    assert '<label for="q">약 이름, 증상, 부작용으로 검색</label>' in html


def test_home_shows_untranslated_articles_with_a_fallback_badge(client):
    ko = page(client, "/ko/")
    diphenhydramine = ko[ko.index('href="/ko/articles/diphenhydramine"') :]
    assert diphenhydramine.index(FALLBACK_KO) < diphenhydramine.index("</li>")
    en = page(client, "/en/")
    geworin = en[en.index('href="/en/articles/geworin"') :]
    assert geworin.index(FALLBACK_EN) < geworin.index("</li>")


def test_home_is_translated(client):
    html = page(client, "/ko/")
    assert "본문으로 건너뛰기" in html and "Skip to content" not in html
    assert "<title>효능, 부작용, 주의사항 · 의약품 정보</title>" in html


def home_links(html: str) -> list[str]:
    """The article links of the home page's list, in order."""
    return re.findall(r'<li>\s*<a href="(/[a-z]+/articles/[^"]+)"', html)


def test_a_short_list_is_one_page_without_a_pager(client):
    html = page(client, "/ko/")
    assert len(home_links(html)) == len(bundled_slugs())
    assert 'class="pagination"' not in html and 'class="categories"' not in html


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_long_list_is_read_a_page_at_a_time_every_article_once(make_app, client, lang):
    everything = home_links(page(client, f"/{lang}/"))
    count = len(everything)
    assert count == len(bundled_slugs()) and count > 15
    last = -(-count // 5)
    paged = make_app(HOME_PER_PAGE=5).test_client()
    pages = [page(paged, f"/{lang}/" + (f"?page={n}" if n > 1 else "")) for n in range(1, last + 1)]
    assert [len(home_links(html)) for html in pages] == [5] * (last - 1) + [count - 5 * (last - 1)]
    assert [link for html in pages for link in home_links(html)] == everything
    assert alternates(pages[0]) and not alternates(pages[1])  # page 2 differs by locale
    assert f'<link rel="canonical" href="http://localhost/{lang}/?page=2">' in pages[1]
    assert f'<a rel="next" href="/{lang}/?page=2">' in pages[0]
    assert f'<a rel="prev" href="/{lang}/">' in pages[1] and 'rel="next"' not in pages[-1]
    assert page(paged, f"/{lang}/?page={last + 1}", status=400)


def test_pages_of_the_list_are_localized_and_name_their_categories(make_app):
    last = -(-len(bundled_slugs()) // 5)
    paged = make_app(HOME_PER_PAGE=5).test_client()
    first, second = page(paged, "/ko/"), page(paged, "/ko/?page=2")
    assert '<nav class="pagination" aria-label="글 목록 페이지">' in first
    assert f"{last}페이지 중 1페이지" in first and "다음 페이지" in first
    categories = re.search(r'<nav class="categories" aria-label="분류">.*?</nav>', first, re.S)
    assert '<a href="/ko/#category-1">' in categories[0]  # page 1 has no page parameter
    entry = r'<a href="/ko/(\?page=\d)?#category-\d+">신경계</a>\s*\(글 \d+개\)'
    assert re.search(entry, categories[0])
    continued = re.findall(r'<h3 id="category-\d+">([^<]*)</h3>', second)[0]
    english = page(paged, "/en/?page=2")
    if continued.endswith(" (계속)"):  # the first category of page 2 began on page 1
        assert re.search(r'<h3 id="category-\d+">[^<]* \(continued\)</h3>', english)
    assert f"Page 2 of {last}" in english and "Article list pages" in english
    assert re.search(r"\((1 article|\d+ articles)\)", english)
    assert f"“page” 매개변수 값은 1부터 {last} 사이의 정수여야 합니다." in page(
        paged, "/ko/?page=9", status=400
    )


def test_a_category_spanning_pages_is_continued_under_the_same_anchor():
    articles = [summary(f"a{n}", "Heart") for n in range(3)] + [summary("b0", "")]
    catalog = paginate_catalog(articles, 2, "Other")
    heart, other = catalog.categories
    assert (heart.name, heart.count, heart.first_page) == ("Heart", 3, 1)
    assert (other.name, other.count, other.first_page) == ("Other", 1, 2)
    shelves = [[(s.category.anchor, len(s.items), s.continued) for s in p] for p in catalog.pages]
    assert shelves == [
        [("category-1", 2, False)],
        [("category-1", 1, True), ("category-2", 1, False)],
    ]
    assert paginate_catalog([], 2, "Other").pages == ((),)
    full_first = paginate_catalog([*articles[:2], articles[3]], 2, "Other")
    assert [c.first_page for c in full_first.categories] == [1, 2]


def test_the_list_and_the_sitemap_are_made_once_per_build(make_app, monkeypatch):
    calls = []
    listed = kb.list_articles

    def counting(index, locale):
        calls.append(locale)
        return listed(index, locale)

    monkeypatch.setattr(kb, "list_articles", counting)
    client = make_app(HOME_PER_PAGE=5).test_client()
    for url in ("/ko/", "/ko/?page=2", "/ko/", "/en/", "/en/?page=3"):
        page(client, url)
    assert sorted(calls) == ["en", "ko"]
    for url in ("/sitemap.xml", "/sitemaps/1.xml", "/sitemaps/1.xml", "/sitemap.xml"):
        assert client.get(url).status_code == 200
    assert sorted(calls) == ["en", "en", "ko", "ko"]


# -- search ----------------------------------------------------------------------------------


def test_search_ranks_titles_linking_to_articles_with_highlights(client, bundled_index):
    html = page(client, "/ko/search?q=효능")
    assert result_links(html)[0] == ("/ko/articles/gabapentin", GABAPENTIN_KO)
    assert "<mark>효능</mark>" in html
    assert f"“효능” 검색 결과: 글 {kb.search(bundled_index, '효능', 'ko').total}개" in html
    assert '<meta name="robots" content="noindex">' in html


def test_search_counts_with_plural_forms_in_english(client, bundled_index):
    total = kb.search(bundled_index, "효능", "en").total
    assert total > 1 and f"{total} articles match “효능”." in page(client, "/en/search?q=효능")
    assert "1 article matches “게보린”." in page(client, "/en/search?q=게보린")


def test_search_says_when_every_article_lists_the_need_as_a_side_effect(client):
    """`코막힘 약` (medicine for a stuffy nose) listed losartan first, which lists a stuffy
    nose among its side effects, until an article treated it; `두근거림 약` (palpitations) finds
    only such lists: the reader is told that no article treats it."""
    html = page(client, "/ko/search?q=" + quote("두근거림 약"))
    assert (
        "“<strong>두근거림</strong>”은(는) 이 말이 나오는 모든 글에서 부작용이나 주의사항으로만"
        " 나오고, 치료하는 증상으로 나오는 글은 없습니다." in html
    )
    html = page(client, "/en/search?q=" + quote("hair loss"))
    assert (
        "Every article that mentions “<strong>hair loss</strong>” lists it among side effects"
        " or precautions, not as something it treats." in html
    )
    for query in ("코막힘 약", "losartan 두근거림", "두근거림 부작용"):  # treated; named; asked
        assert 'class="notice aside-only"' not in page(client, "/ko/search?q=" + quote(query))


def test_search_says_which_words_no_article_has(client, bundled_index):
    """`여드름 두통` lists the painkillers, none about acne; the reader is told that no
    article has 여드름 (and nothing when every word matched)."""
    html = page(client, "/ko/search?q=" + quote("여드름 두통"))
    assert "다음 검색어가 들어간 글은 없습니다: “<strong>여드름</strong>”. 아래는 나머지" in html
    html = page(client, "/en/search?q=" + quote("headache with hangover and acne"))
    assert (
        "No article has the words “<strong>hangover</strong>”, “<strong>acne</strong>”:"
        " these results match the rest of the search." in html
    )
    html = page(client, "/en/search?q=" + quote("best headache medicine for acne"))
    assert "“<strong>best</strong>”" not in html  # it asks for the best of what is found
    assert 'class="notice missing"' not in page(client, "/en/search?q=" + quote("두통약"))
    html = page(client, "/en/search?q=gastroenteritis")  # meaning: the stomach medicines
    assert (
        "No article has the word “<strong>gastroenteritis</strong>”: these articles are close"
        " to it in meaning." in html
    )
    total = kb.search(bundled_index, "gastroenteritis", "en").total
    assert f"{total} articles are close in meaning to “gastroenteritis”." in html  # not "match"
    assert "articles match" not in html
    html = page(client, "/ko/search?q=" + quote("여드름"))
    assert (
        "다음 검색어가 들어간 글은 없습니다: “<strong>여드름</strong>”. 아래는 뜻이 가까운" in html
    )
    assert "“여드름”에 뜻이 가까운 글:" in html
    assert "검색어 없이 뜻으로 찾은 글" not in html  # every result is: the notice said so
    html = page(client, "/en/search?q=" + quote('"stomach flu"'))  # a phrase of two words
    assert (
        "No article has the words “<strong>stomach flu</strong>”: these articles are close to"
        " them in meaning." in html
    )


def test_search_page_counts_and_marks_results_found_by_meaning_alone(client, bundled_index):
    """`flu`: the articles that say it are counted as matches, and the others meaning found
    (diphenhydramine's never says it) are counted apart and each marked."""
    found = kb.search(bundled_index, "flu", "ko", per_page=10)
    matched = found.total - found.by_meaning
    html = page(client, "/ko/search?q=flu")
    assert f"“flu” 검색 결과: 글 {matched}개 (뜻이 가까운 글 {found.by_meaning}개 더)" in html
    hits = {
        re.search(r'articles/([\w-]+)"', item)[1]: item
        for item in html.split('<li class="hit">')[1:]
    }
    assert set(hits) == {hit.slug for hit in found.hits}
    for hit in found.hits:
        assert ("검색어 없이 뜻으로 찾은 글" in hits[hit.slug]) == hit.by_meaning, hit.slug
    assert "검색어 없이 뜻으로 찾은 글" in hits["diphenhydramine"]
    html = page(client, "/en/search?q=flu")
    verb = "is" if found.by_meaning == 1 else "are"
    assert (
        f"{matched} articles match “flu”. {found.by_meaning} more {verb} close to it in meaning."
        in html
    )
    assert "Found by meaning, not by your words" in html
    html = page(client, "/en/search?q=" + quote("side effects"))
    assert "close to it in meaning" not in html and "Found by meaning" not in html


def test_search_keeps_the_query_in_the_box(client):
    html = page(client, "/en/search?q=" + quote('가바펜틴 "side effects"'))
    assert 'value="가바펜틴 &#34;side effects&#34;"' in html


def test_search_works_as_a_plain_get_form(client):
    html = page(client, "/ko/")
    form = re.search(r'<form class="search" role="search" method="get"\s+action="([^"]+)">', html)
    assert form.group(1) == "/ko/search"
    [script] = scripts(html)
    assert re.fullmatch(
        r'<script type="module" src="/embed/v1/kb-search\.[0-9a-f]{16}\.js"'
        r' integrity="sha384-[A-Za-z0-9+/]{64}" crossorigin="anonymous"></script>',
        script,
    )
    assert 'role="combobox"' not in html  # the script draws its own: without it, a plain text box


def test_search_box_is_the_kb_search_element_in_the_pages_locale(client):
    html = page(client, "/en/articles/gabapentin")
    assert re.search(r'<kb-search lang="en" compact>\s*<form class="search search-compact"', html)
    korean = page(client, "/ko/nowhere", status=404)
    assert '<kb-search lang="ko" compact>' in korean
    assert '<kb-search lang="ko" autofocus>' in page(client, "/ko/")


def test_search_shows_fallback_badge_on_results_in_the_other_language(client):
    html = page(client, "/ko/search?q=diphenhydramine")
    assert result_links(html)[0][0] == "/ko/articles/diphenhydramine"
    assert FALLBACK_KO in html
    assert FALLBACK_EN in page(client, "/en/search?q=게보린")


def test_search_paginates(client, bundled_index):
    total = kb.search(bundled_index, "효능", "en").total
    assert total > 10
    first = page(client, "/en/search?q=효능")
    assert len(result_links(first)) == 10
    assert f"Page 1 of {-(-total // 10)}" in first
    assert f'<a rel="next" href="/en/search?q={quote("효능")}&amp;page=2">Next page</a>' in first
    second = page(client, "/en/search?q=효능&page=2")
    assert len(result_links(second)) == min(total - 10, 10)
    assert '<ol class="results" start="11">' in second
    assert f'<a rel="prev" href="/en/search?q={quote("효능")}">Previous page</a>' in second
    assert not set(result_links(first)) & set(result_links(second))


def test_search_past_the_last_page_offers_the_last_page(client, bundled_index):
    last = -(-kb.search(bundled_index, "효능", "ko").total // 10)
    html = page(client, "/ko/search?q=효능&page=7")
    assert "“효능” 검색 결과에는 7페이지가 없습니다." in html
    assert f'href="/ko/search?q={quote("효능")}&amp;page={last}">마지막 페이지로 가기' in html
    english = page(client, "/en/search?q=효능&page=1000")  # numbers formatted by Babel
    assert "Page 1,000 is past the last page of results for “효능”." in english


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("zzzxq", ["“zzzxq”에 해당하는 글이 없습니다.", "맞춤법을 확인해 보세요."]),
        ("*", ["“*”에 해당하는 글이 없습니다.", "문장 부호나 너무 흔한 단어만"]),
        ("", ["약 이름, 증상 또는 부작용을 입력한 다음 검색을 누르세요."]),
    ],
)
def test_search_without_results_says_what_was_searched_and_why(client, query, expected):
    html = page(client, "/ko/search?q=" + quote(query))
    assert not result_links(html)
    for text in expected:
        assert text in html


def test_very_long_search_says_it_was_cut(client):
    html = page(client, "/en/search?q=" + "gabapentin " * 500)
    assert "Your search was very long, so only its beginning was used." in html
    assert result_links(html)[0] == ("/en/articles/gabapentin", GABAPENTIN_EN)


def test_search_reflects_markup_inert(client):
    html = page(client, "/ko/search?q=" + quote("<script>alert(1)</script>"))
    assert "<script>" not in html and "alert(1)</script>" not in html
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in html


# -- corrections -----------------------------------------------------------------------------


def test_korean_typed_in_english_mode_shows_results_for_the_korean(client, bundled_index):
    html = page(client, "/ko/search?q=rkqkvpsxls")
    assert correction(html) == (
        "<strong>가바펜틴</strong>(으)로 검색한 결과입니다. "
        '<a href="/ko/search?q=rkqkvpsxls&amp;exact=1">rkqkvpsxls</a>(으)로 검색하기'
    )
    assert result_links(html)[0] == ("/ko/articles/gabapentin", GABAPENTIN_KO)
    assert f"“가바펜틴” 검색 결과: 글 {kb.search(bundled_index, '가바펜틴', 'ko').total}개" in html
    assert 'value="가바펜틴"' in html  # the box holds what was searched, ready to refine
    assert "<title>검색: 가바펜틴 · 의약품 정보</title>" in html


def test_typo_correction_is_announced_in_english(client):
    html = page(client, "/en/search?q=" + quote("효늠"))
    assert correction(html) == (
        "Showing results for <strong>효능</strong> — search instead for "
        f'<a href="/en/search?q={quote("효늠")}&amp;exact=1">효늠</a>'
    )
    assert result_links(html)[0] == ("/en/articles/gabapentin", GABAPENTIN_EN)


def test_search_instead_for_the_query_as_typed(client):
    html = page(client, "/ko/search?q=rkqkvpsxls&exact=1")
    assert correction(html) is None
    assert "“rkqkvpsxls”에 해당하는 글이 없습니다." in html
    assert 'value="rkqkvpsxls"' in html
    assert switch_link(html, "en") == "/en/search?q=rkqkvpsxls&amp;exact=1"


def test_exact_search_pages_stay_exact(client):
    html = page(client, "/en/search?q=" + quote("효능") + "&exact=true")
    assert f'<a rel="next" href="/en/search?q={quote("효능")}&amp;page=2&amp;exact=1">' in html


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "/ko/search?q=" + quote("가바펜틴 효늠"),
            f'혹시 <a href="/ko/search?q={quote_plus("가바펜틴 효능")}">가바펜틴 효능</a>을(를) '
            "찾으셨나요?",
        ),
        (
            "/en/search?q=" + quote("rkqkvpsxls nausea"),
            f'Did you mean <a href="/en/search?q={quote_plus("가바펜틴 nausea")}">'
            "가바펜틴 nausea</a>?",
        ),
    ],
)
def test_did_you_mean_links_to_the_better_search(client, url, expected):
    html = page(client, url)
    assert correction(html) == expected
    assert result_links(html)  # the query's own results are still shown


def test_correction_notices_keep_the_query_inert(client):
    html = page(client, "/en/search?q=" + quote('효늠 <i>&"'))
    assert "<strong>효능 &lt;i&gt;&amp;&#34;</strong>" in correction(html)
    assert ">효늠 &lt;i&gt;&amp;&#34;</a>" in correction(html)


def test_bad_exact_is_a_localized_400(client):
    html = page(client, "/ko/search?q=x&exact=yes", status=400)
    assert "“exact” 매개변수 값은 0, 1, true, false 중 하나여야 합니다." in html


# -- article ---------------------------------------------------------------------------------


def test_article_page_in_korean(client):
    html = page(client, "/ko/articles/gabapentin")
    assert f'<h1 lang="ko">{GABAPENTIN_KO}</h1>' in html
    day = updated_on("gabapentin", "ko")
    assert f'<time datetime="{day}">{day.year}년 {day.month}월 {day.day}일</time>' in html
    assert '<p class="category" lang="ko">신경계</p>' in html
    assert "<li>뉴론틴</li>" in html
    assert "<h2>효능</h2>" in html and "<strong>뉴론틴</strong>" in html
    assert '<a href="/en/articles/gabapentin" hreflang="en">이 글을 영어로 읽기</a>' in html
    assert FALLBACK_KO not in html


def test_article_page_in_english_formats_the_date_for_the_locale(client):
    html = page(client, "/en/articles/gabapentin")
    assert f'<h1 lang="en">{GABAPENTIN_EN}</h1>' in html
    day = updated_on("gabapentin", "en")
    assert f">{day:%B} {day.day}, {day.year}</time>" in html
    assert '<a href="/ko/articles/gabapentin" hreflang="ko">Read this article in Korean</a>' in html


def test_untranslated_article_is_shown_in_its_language_with_a_note(client):
    html = page(client, "/ko/articles/diphenhydramine")
    assert '<html lang="ko">' in html and '<h1 lang="en">' in html
    assert FALLBACK_KO in html
    assert "이 글을" not in html  # no other translation to link to
    assert '<link rel="canonical" href="http://localhost/en/articles/diphenhydramine">' in html
    assert alternates(html) == {
        "en": "http://localhost/en/articles/diphenhydramine",
        "x-default": "http://localhost/en/articles/diphenhydramine",
    }
    assert FALLBACK_EN in page(client, "/en/articles/geworin")


def test_article_alternates_list_both_translations(client):
    assert alternates(page(client, "/en/articles/gabapentin")) == {
        "ko": "http://localhost/ko/articles/gabapentin",
        "en": "http://localhost/en/articles/gabapentin",
        "x-default": "http://localhost/ko/articles/gabapentin",
    }


def test_article_body_is_sanitized(make_app, tmp_path):
    body = (
        "Hello <script>alert(1)</script> <img src=x onerror=alert(2)>\n\n"
        "[click](javascript:alert(3)) and [fine](https://example.org)\n"
    )
    write_article(tmp_path / "content", "risky", "en", article_text("Risky", body))
    kb.build_index(tmp_path / "content", tmp_path / "index")
    client = make_app(KB_INDEX_DIR=str(tmp_path / "index")).test_client()
    html = page(client, "/en/articles/risky")
    body_html = html[html.index('<div class="body"') :]
    assert "<script" not in body_html and "<img" not in body_html
    assert "Hello &lt;script&gt;alert(1)&lt;/script&gt;" in body_html  # shown as text, inert
    assert not re.search(r"<[^>]*\son\w+=", body_html)
    assert 'href="javascript:' not in body_html
    assert 'href="https://example.org"' in body_html


# -- language switch and locale alternates ----------------------------------------------------


def test_language_switch_keeps_the_article(client):
    html = page(client, "/ko/articles/gabapentin")
    assert switch_link(html, "en") == "/en/articles/gabapentin"
    assert 'hreflang="ko" lang="ko" aria-current="true">한국어</a>' in html


def test_language_switch_keeps_query_and_page(client):
    html = page(client, "/ko/search?q=효능&page=2")
    assert switch_link(html, "en") == f"/en/search?q={quote('효능')}&amp;page=2"


def test_language_switch_passes_on_only_the_search_parameters(client):
    html = page(client, "/ko/search?q=x&_scheme=javascript&_external=1&lang=en&junk=1")
    assert switch_link(html, "en") == "/en/search?q=x"


def test_home_alternates_point_to_each_locale_and_the_chooser(client):
    assert alternates(page(client, "/en/")) == {
        "ko": "http://localhost/ko/",
        "en": "http://localhost/en/",
        "x-default": "http://localhost/",
    }


# -- sitemap and robots ----------------------------------------------------------------------


def sitemap_files(client) -> list[str]:
    """The files ``/sitemap.xml`` (an index) lists, as paths."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    root = ET.fromstring(response.data)
    assert root.tag == f"{{{SITEMAP_NS['s']}}}sitemapindex"
    locs = [loc.text or "" for loc in root.iterfind("s:sitemap/s:loc", SITEMAP_NS)]
    assert all(loc.startswith("http://localhost/sitemaps/") for loc in locs)
    return [loc.removeprefix("http://localhost") for loc in locs]


def sitemap_urls(client, path: str) -> dict:
    """``{loc: <url> element}`` of one sitemap file."""
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "application/xml"
    root = ET.fromstring(response.data)
    return {
        url.findtext("s:loc", namespaces=SITEMAP_NS): url
        for url in root.iterfind("s:url", SITEMAP_NS)
    }


def test_sitemap_lists_each_translation_with_its_alternates(client):
    assert sitemap_files(client) == ["/sitemaps/1.xml"]
    urls = sitemap_urls(client, "/sitemaps/1.xml")
    assert {"http://localhost/ko/", "http://localhost/en/"} <= set(urls)
    gabapentin = urls["http://localhost/ko/articles/gabapentin"]
    assert gabapentin.findtext("s:lastmod", namespaces=SITEMAP_NS) == str(updated_on("gabapentin"))
    links = {
        link.get("hreflang"): link.get("href") for link in gabapentin.findall("x:link", SITEMAP_NS)
    }
    assert links == {
        "ko": "http://localhost/ko/articles/gabapentin",
        "en": "http://localhost/en/articles/gabapentin",
        "x-default": "http://localhost/ko/articles/gabapentin",
    }
    assert "http://localhost/en/articles/diphenhydramine" in urls
    assert "http://localhost/ko/articles/diphenhydramine" not in urls
    assert "http://localhost/en/articles/geworin" not in urls


def test_sitemap_index_splits_the_urls_into_files_of_at_most_the_limit(make_app, client):
    everything = sitemap_urls(client, "/sitemaps/1.xml")
    small = make_app(SITEMAP_MAX_URLS=10).test_client()
    files = sitemap_files(small)
    assert files == [f"/sitemaps/{n}.xml" for n in range(1, -(-len(everything) // 10) + 1)]
    parts = [sitemap_urls(small, path) for path in files]
    assert all(1 <= len(part) <= 10 for part in parts)
    assert [loc for part in parts for loc in part] == list(everything)  # each once, in order
    index = ET.fromstring(small.get("/sitemap.xml").data)
    # each file's lastmod is its newest URL's (the first file need not hold the newest article)
    newest = [max(filter(None, (url.findtext("s:lastmod", namespaces=SITEMAP_NS)
                                for url in part.values()))) for part in parts]  # fmt: skip
    listed = [entry.findtext("s:lastmod", namespaces=SITEMAP_NS)
              for entry in index.findall("s:sitemap", SITEMAP_NS)]  # fmt: skip
    assert listed == newest and max(newest) == str(updated_on())
    for missing in ("/sitemaps/0.xml", f"/sitemaps/{len(files) + 1}.xml", "/sitemaps/x.xml"):
        assert small.get(missing).status_code == 404


def test_sitemap_chunks_keep_order_and_are_never_empty_of_files():
    assert chunked((1, 2, 3, 4, 5), 2) == [(1, 2), (3, 4), (5,)]
    assert chunked((1, 2), 2) == [(1, 2)]
    assert chunked((), 2) == [()]


def test_robots_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.mimetype == "text/plain"
    assert "Sitemap: http://localhost/sitemap.xml" in response.get_data(as_text=True)


# -- errors ----------------------------------------------------------------------------------


def test_a_rebuilt_index_is_served_without_restart(make_app, tmp_path):
    content, index_dir = tmp_path / "content", tmp_path / "index"
    write_article(content, "aspirin", "en", article_text("Aspirin, first edition", "Pain."))
    kb.build_index(content, index_dir)
    client = make_app(KB_INDEX_DIR=str(index_dir)).test_client()
    assert "Aspirin, first edition" in page(client, "/en/articles/aspirin")
    write_article(content, "aspirin", "en", article_text("Aspirin, second edition", "Pain."))
    kb.build_index(content, index_dir)
    assert "Aspirin, second edition" in page(client, "/en/articles/aspirin")
    assert "Aspirin, second edition" in page(client, "/en/search?q=aspirin")


# -- settings and headers --------------------------------------------------------------------


def test_stylesheet_supports_dark_mode_and_visible_focus(client):
    with client.get("/static/style.css") as response:
        css = response.get_data(as_text=True)
    assert "@media (prefers-color-scheme: dark)" in css
    assert ":focus-visible" in css
