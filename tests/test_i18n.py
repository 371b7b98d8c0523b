"""Locales: negotiation for ``/``, the remembered choice, and catalogs kept in step with the source.

The catalog checks run the same pybabel commands as ``make extract-messages`` / ``update-catalogs``,
so a forgotten extraction or an untranslated Korean string fails the suite.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
POT = TRANSLATIONS / "messages.pot"


def pybabel(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def load(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=locale)


def ids(catalog: Catalog) -> set:
    return {message.id for message in catalog if message.id}


# -- negotiation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cookie", "accept", "target"),
    [
        ("en", "ko-KR,ko;q=0.9", "/en/"),  # a remembered choice wins
        (None, "en-US,en;q=0.9,ko;q=0.5", "/en/"),
        (None, "ko-KR", "/ko/"),
        (None, "fr-FR,de;q=0.5", "/ko/"),  # neither: the default
        (None, None, "/ko/"),
        ("xx", "en", "/en/"),  # a cookie we did not write is ignored
    ],
)
def test_root_redirects_by_cookie_then_accept_language_then_default(client, cookie, accept, target):
    if cookie:
        client.set_cookie("kb_lang", cookie)
    response = client.get("/", headers={"Accept-Language": accept} if accept else {})
    assert response.status_code == 302
    assert response.headers["Location"] == target
    assert {"Cookie", "Accept-Language"} <= set(response.vary)


def test_default_locale_is_configurable(make_app):
    client = make_app(KB_DEFAULT_LOCALE="en").test_client()
    assert client.get("/", headers={"Accept-Language": "fr"}).headers["Location"] == "/en/"


def test_reading_in_a_locale_remembers_it_for_the_next_visit(client):
    response = client.get("/en/articles/gabapentin")
    assert "kb_lang=en" in response.headers["Set-Cookie"]
    assert "SameSite=Lax" in response.headers["Set-Cookie"]
    assert client.get("/", headers={"Accept-Language": "ko"}).headers["Location"] == "/en/"


def test_an_error_page_does_not_change_the_remembered_locale(client):
    assert "Set-Cookie" not in client.get("/en/articles/no-such-thing").headers


def test_locale_without_trailing_slash_redirects_to_its_home(client):
    response = client.get("/en")
    assert response.status_code == 308 and response.headers["Location"].endswith("/en/")


@pytest.mark.parametrize(("path", "lang"), [("/ko/", "ko"), ("/en/search?q=x", "en")])
def test_html_lang_matches_the_url(client, path, lang):
    assert f'<html lang="{lang}">' in client.get(path).get_data(as_text=True)


# -- catalogs --------------------------------------------------------------------------------


def test_uncompiled_catalog_is_reported_at_start(make_app, tmp_path, caplog):
    po = tmp_path / "ko" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_bytes((TRANSLATIONS / "ko" / "LC_MESSAGES" / "messages.po").read_bytes())
    make_app(BABEL_TRANSLATION_DIRECTORIES=str(tmp_path))
    assert any("run `make catalogs`" in r.getMessage() for r in caplog.records)


def test_message_template_is_up_to_date_with_the_source(tmp_path):
    fresh = tmp_path / "messages.pot"
    result = pybabel(
        "extract", "-F", "translations/babel.cfg", "-k", "_l", "-o", str(fresh),
        "--no-location", "--omit-header", "--sort-output", ".",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    extracted, committed = ids(load(fresh)), ids(load(POT))
    assert extracted == committed, (
        f"translations/messages.pot is stale: run `make update-catalogs`. "
        f"New: {sorted(map(str, extracted - committed))}; "
        f"gone: {sorted(map(str, committed - extracted))}"
    )


def test_catalogs_are_updated_from_the_template():
    result = pybabel(
        "update", "-i", str(POT), "-d", "translations", "--previous",
        "--ignore-pot-creation-date", "--check",
    )  # fmt: skip
    assert result.returncode == 0, "catalogs are stale: run `make update-catalogs`\n" + (
        result.stdout + result.stderr
    )


@pytest.mark.parametrize("locale", ["ko", "en"])
def test_catalog_has_every_message_of_the_template(locale):
    catalog = load(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", locale)
    assert ids(catalog) == ids(load(POT))
    assert not catalog.fuzzy, "a fuzzy catalog header makes `pybabel compile` skip the file"


def test_korean_is_fully_translated_and_reviewed():
    catalog = load(TRANSLATIONS / "ko" / "LC_MESSAGES" / "messages.po", "ko")
    untranslated = [
        m.id
        for m in catalog
        if m.id and not all(m.string if isinstance(m.string, tuple) else [m.string])
    ]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not untranslated, f"untranslated Korean messages: {untranslated}"
    assert not fuzzy, f"fuzzy Korean messages (review, then remove the flag): {fuzzy}"
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check()]
    assert not problems, f"placeholders that do not match the English: {problems}"
