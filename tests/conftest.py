"""Shared fixtures: real indexes built with the real analysis, in ``tmp_path``."""

from __future__ import annotations

import re
import shutil
import textwrap
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

import kb
from kb.content import BUNDLED_CONTENT
from kb.embedding import DEFAULT_ENCODER, NO_ENCODER

BUNDLED_GLOSSARY = Path(__file__).resolve().parent.parent / "translations" / "glossary.tsv"


def updated_on(slug: str | None = None, locale: str = "ko") -> date:
    """The ``updated`` date a bundled article's translation gives, or (no ``slug``) the
    latest of all: pages show what the content says, whenever it was last edited."""
    files = [BUNDLED_CONTENT / slug / f"{locale}.md"] if slug else BUNDLED_CONTENT.glob("*/*.md")
    return max(
        date.fromisoformat(found.group(1))
        for path in files
        if (found := re.search(r"^updated: (\S+)$", path.read_text(encoding="utf-8"), re.M))
    )


def bundled_slugs() -> list[str]:
    """The bundled articles' slugs: counts the pages show follow the content."""
    return sorted(path.name for path in BUNDLED_CONTENT.iterdir() if path.is_dir())


def write_article(root: Path, slug: str, locale: str, text: str) -> Path:
    """Write ``<root>/<slug>/<locale>.md`` from a dedented string."""
    path = root / slug / f"{locale}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def eventually(condition: Callable[[], bool], failure: str, seconds: float = 60) -> None:
    """Wait for what a background thread does: ``condition`` true within ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, failure
        time.sleep(0.05)


def article_text(title: str, body: str, **meta: str) -> str:
    lines = ["---", f'title: "{title}"', *(f"{k}: {v}" for k, v in meta.items()), "---", body]
    return "\n".join(lines) + "\n"


def unmarked(snippet: str) -> str:
    """A snippet's text without its highlighting."""
    return re.sub(r"</?mark>", "", snippet)


def result(index: kb.KnowledgeIndex, query: str, locale: str, slug: str) -> kb.Hit:
    """The result for ``slug`` on the first page of ``query`` read in ``locale``."""
    return next(hit for hit in kb.search(index, query, locale).hits if hit.slug == slug)


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


@pytest.fixture(scope="session")
def rewritten_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build of the bundled articles with gabapentin deleted from its segment and written
    again in a second segment (read-only for tests), with passage vectors: searched as a
    server searches it, a vector finds its article by slug past the deleted copy."""
    folder = tmp_path_factory.mktemp("rewritten")
    return rewritten_in_a_second_segment(folder / "index", "gabapentin", DEFAULT_ENCODER)


def rewritten_in_a_second_segment(index_dir: Path, slug: str, embedding: str = NO_ENCODER) -> Path:
    """A build of the bundled articles with ``slug`` deleted from its segment and written again in a
    second one: what an update writes before compaction, which on a site this small rewrites
    the first segment without its deleted document. Vectors only with ``embedding``: the
    segments' tests need none, and they are half a bundled build's time."""
    from kb.builds import live_build
    from kb.content import load_content
    from kb.engine.whoosh import BuildWriter
    from kb.schema import add_korean_vocabulary, document_for

    kb.build_index(BUNDLED_CONTENT, index_dir, embedding=embedding)
    doc = document_for(next(a for a in load_content(BUNDLED_CONTENT) if a.slug == slug))
    add_korean_vocabulary(doc)
    build_dir = live_build(index_dir)
    assert build_dir is not None
    writer = BuildWriter.update(build_dir)
    writer.delete(slug)
    writer.add(doc)
    writer.commit()  # an update's writer merges nothing
    return build_dir


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


# -- translations ----------------------------------------------------------------------------

KO_SOURCE = """\
---
title: "가바펜틴 안내"
summary: 가바펜틴의 효능과 부작용
tags: [가바펜틴, 뇌전증]
updated: 2026-11-01
---
가바펜틴은 항경련제입니다.

## 효능

뇌전증과 신경병증성 통증에 씁니다.

## 부작용

- 졸음
- 어지러움
"""

EN_TRANSLATION = """\
---
title: "About gabapentin"
summary: What gabapentin treats and its side effects
tags: [gabapentin, epilepsy]
updated: 2026-11-02
---
Gabapentin is an anticonvulsant.

## Uses

Epilepsy and neuropathic pain.

## Side effects

- drowsiness
- dizziness
"""


@pytest.fixture
def translated_pair(content_dir: Path) -> Path:
    """``<content>/gabapentin/{ko,en}.md`` with en translated from ko and marked current;
    returns the content folder."""
    from kb.translating.workflow import find_article, mark_current

    write_article(content_dir, "gabapentin", "ko", KO_SOURCE)
    write_article(content_dir, "gabapentin", "en", EN_TRANSLATION)
    mark_current(find_article(content_dir, "gabapentin"), "en")
    return content_dir


@pytest.fixture
def outdated_site(translated_pair: Path, tmp_path: Path, make_app):
    """An app over ``translated_pair`` after a source edit (en outdated in section s2), plus
    an untracked and a Korean-only article; ``app.config["CONTENT"]`` is the content folder."""
    ko = translated_pair / "gabapentin" / "ko.md"
    ko.write_text(ko.read_text(encoding="utf-8").replace("- 졸음", "- 졸림"), encoding="utf-8")
    write_article(translated_pair, "untracked", "ko", KO_SOURCE)
    write_article(translated_pair, "untracked", "en", EN_TRANSLATION)
    write_article(translated_pair, "only-ko", "ko", KO_SOURCE)
    index_dir = tmp_path / "outdated-index"
    kb.build_index(translated_pair, index_dir)
    app = make_app(KB_INDEX_DIR=str(index_dir), KB_CONTENT_DIR=str(translated_pair), KB_GLOSSARY="")
    app.config["CONTENT"] = translated_pair
    return app


def git(folder: Path, *args: str) -> None:
    """Run git in ``folder`` with a throwaway identity (tests make their own repositories)."""
    import subprocess

    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=folder, check=True, capture_output=True,
    )  # fmt: skip


@contextmanager
def live_server(app: Callable[..., Iterable[bytes]]) -> Iterator[int]:
    """``app`` served on a free port of 127.0.0.1 (yielded) in a thread until the block ends,
    for a real browser. Each response is read whole, and its file closed, before Werkzeug's
    dev server sends it: when the browser drops a connection (a page closed while its icon
    loads) that server leaves the response unclosed, and the open file's warning would fail
    whichever test the collector happens to run in."""

    def buffered(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        body = app(environ, start_response)
        try:
            return list(body)
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()

    server = make_server("127.0.0.1", 0, buffered, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
