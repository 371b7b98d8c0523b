"""Shared fixtures: real indexes built with the real analysis, in ``tmp_path``."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

import kb
from kb.content import BUNDLED_CONTENT

BUNDLED_GLOSSARY = Path(__file__).resolve().parent.parent / "translations" / "glossary.tsv"


def write_article(root: Path, slug: str, locale: str, text: str) -> Path:
    """Write ``<root>/<slug>/<locale>.md`` from a dedented string."""
    path = root / slug / f"{locale}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def article_text(title: str, body: str, **meta: str) -> str:
    lines = ["---", f'title: "{title}"', *(f"{k}: {v}" for k, v in meta.items()), "---", body]
    return "\n".join(lines) + "\n"


def page(client, url: str, status: int = 200, **kwargs) -> str:
    """The HTML of a page, checking its status and type."""
    response = client.get(url, **kwargs)
    assert response.status_code == status, url
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    root.mkdir()
    return root


@pytest.fixture
def make_index(tmp_path: Path) -> Callable[..., kb.KnowledgeIndex]:
    """Build an index from a ``{(slug, locale): (title, body)}`` mapping and open it."""

    def make(articles: dict[tuple[str, str], tuple[str, str]]) -> kb.KnowledgeIndex:
        root = tmp_path / f"content-{len(list(tmp_path.iterdir()))}"
        for (slug, locale), (title, body) in articles.items():
            write_article(root, slug, locale, article_text(title, body))
        index_dir = root.with_name(root.name + "-index")
        kb.build_index(root, index_dir)
        return kb.open_index(index_dir)

    return make


@pytest.fixture(scope="session")
def bundled_index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled knowledge base, indexed once per test session (read-only for tests)."""
    index_dir = tmp_path_factory.mktemp("bundled") / "index"
    kb.build_index(BUNDLED_CONTENT, index_dir, glossary=BUNDLED_GLOSSARY)
    return index_dir


@pytest.fixture(scope="session")
def bundled_index(bundled_index_dir: Path) -> kb.KnowledgeIndex:
    return kb.open_index(bundled_index_dir)


@pytest.fixture
def bundled_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled articles, for tests that edit content."""
    target = tmp_path / "articles"
    shutil.copytree(BUNDLED_CONTENT, target)
    return target


# -- web app ---------------------------------------------------------------------------------

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


@pytest.fixture(scope="session")
def compiled_translations(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """translations/*/messages.po compiled into a temp folder: tests read the catalogs as
    written, whether or not `make catalogs` has run."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    target = tmp_path_factory.mktemp("translations")
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        locale = po.parent.parent.name
        mo = target / locale / "LC_MESSAGES" / "messages.mo"
        mo.parent.mkdir(parents=True)
        with po.open("rb") as source, mo.open("wb") as out:
            write_mo(out, read_po(source, locale=locale))
    return target


@pytest.fixture
def make_app(bundled_index_dir: Path, compiled_translations: Path, monkeypatch: pytest.MonkeyPatch):
    """``make_app(**config)``: the web app over the bundled index, isolated from KB_* env vars."""
    import os

    from webapp import create_app

    for key in [k for k in os.environ if k.startswith("KB_")]:
        monkeypatch.delenv(key)

    def make(**config):
        base = {
            "TESTING": True,
            "KB_INDEX_DIR": str(bundled_index_dir),
            "BABEL_TRANSLATION_DIRECTORIES": str(compiled_translations),
            "KB_WARM_UP": False,  # the tests that check warm-up turn it on
        }
        return create_app({**base, **config})

    return make


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()
