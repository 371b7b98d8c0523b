"""The engine contract: what any backend behind :class:`kb.engine.EngineBuild` must do.

Each test takes a ``backend`` (how to index articles and open the result) and checks the
build against what kb's own analyzers say the articles hold, never against Whoosh itself, so a
backend on another engine runs the same tests by adding itself to ``BACKENDS``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

import kb
from kb.analysis import english_analyzer
from kb.builds import live_build
from kb.engine import EngineBuild, TermLeaf
from kb.params import DEFAULTS
from kb.schema import StoredArticle
from kb.scoring import LeafScorer
from kb.snapshot import IndexSnapshot
from tests.conftest import article_text, write_article

ARTICLES = {
    "aspirin": ("Aspirin", "Aspirin relieves pain. Aspirin thins blood; take aspirin with food."),
    "ibuprofen": ("Ibuprofen", "Ibuprofen relieves pain and swelling."),
    "caffeine": ("Caffeine", "Caffeine keeps you awake: 100 mg a cup."),
    "codeine": ("Codeine", "Codeine relieves severe pain but causes drowsiness and constipation."),
}


@dataclass(frozen=True)
class Backend:
    """How a backend indexes a content folder into ``folder`` and opens the result."""

    name: str
    build: Callable[[Path, Path], None]
    update: Callable[[Path, Path], None]
    open: Callable[[Path], EngineBuild]


def _build_whoosh(content: Path, folder: Path) -> None:
    kb.build_index(content, folder)


def _update_whoosh(content: Path, folder: Path) -> None:
    kb.update_index(content, folder)


def _open_whoosh(folder: Path) -> EngineBuild:
    build_dir = live_build(folder)
    assert build_dir is not None
    return IndexSnapshot(build_dir).engine


BACKENDS = [Backend("whoosh", _build_whoosh, _update_whoosh, _open_whoosh)]


@pytest.fixture(params=BACKENDS, ids=lambda b: b.name)
def backend(request: pytest.FixtureRequest) -> Backend:
    return request.param


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    for slug, (title, body) in ARTICLES.items():
        write_article(root, slug, "en", article_text(title, body, tags="[medicine]"))
    return root


@pytest.fixture
def built(backend: Backend, content: Path, tmp_path: Path) -> EngineBuild:
    backend.build(content, tmp_path / "index")
    return backend.open(tmp_path / "index")


def analysed(text: str) -> list[str]:
    return [term.text for term in english_analyzer().terms(text)]


def docnum_of(build: EngineBuild, slug: str) -> int:
    return next(n for n, article in build.articles() if article.slug == slug)


def test_every_article_reads_back_as_it_was_stored(built: EngineBuild, content: Path) -> None:
    expected = {a.slug: StoredArticle.of(a) for a in kb.load_content(content)}
    listed = dict(built.articles())
    assert sorted(a.slug for a in listed.values()) == sorted(expected)
    for docnum, article in listed.items():
        assert article == expected[article.slug] == built.article(docnum)
        assert built.find(article.slug) == article
        assert built.docnum(article.slug) == docnum
    assert built.find("no-such-article") is None
    assert built.docnum("no-such-article") is None
    assert built.live_count == len(expected) <= built.size


def test_postings_hold_each_document_once_with_its_term_frequency(built: EngineBuild) -> None:
    postings = built.postings("body_en", "aspirin")
    assert postings.ids.tolist() == [docnum_of(built, "aspirin")]
    assert postings.frequencies.tolist() == [3.0]
    relieves = built.postings("body_en", "reliev")  # stemmed, as the analyzer indexes it
    expected = sorted(docnum_of(built, s) for s in ("aspirin", "ibuprofen", "codeine"))
    assert relieves.ids.tolist() == expected
    assert built.doc_frequency("body_en", "reliev") == 3
    assert not len(built.postings("body_en", "morphine").ids)
    assert built.doc_frequency("body_en", "morphine") == 0


def test_positions_are_the_analyzers_term_positions(built: EngineBuild) -> None:
    body = ARTICLES["aspirin"][1]
    expected = [n for n, term in enumerate(analysed(body)) if term == "aspirin"]
    postings = built.postings("body_en", "aspirin", positions=True)
    assert postings.positions is not None and postings.positions_in(0) == expected


def words(text: str) -> int:
    """The positions the analyzer gives ``text``'s terms (``100 mg``: 100, mg, 100mg at one)."""
    return len({term.pos for term in english_analyzer().terms(text)})


def test_field_lengths_count_the_analysed_positions(built: EngineBuild) -> None:
    """As Lucene's BM25 counts them: terms at one position lengthen a field once."""
    lengths = built.field_lengths("body_en")
    assert lengths.shape == (built.size,)
    for slug, (_, body) in ARTICLES.items():
        assert lengths[docnum_of(built, slug)] == words(body)
    assert words(ARTICLES["caffeine"][1]) < len(analysed(ARTICLES["caffeine"][1]))
    assert built.total_length("body_en") == sum(words(b) for _, b in ARTICLES.values())
    assert built.scorable("body_en") and not built.scorable("spell_en")


def test_spans_point_at_the_words_in_the_stored_text(built: EngineBuild) -> None:
    docnum = docnum_of(built, "codeine")
    text = built.article(docnum).translations["en"].text
    spans = built.spans("body_en", docnum, ["reliev", "pain", "absent"])
    assert [(text[s.start : s.end], s.word) for s in spans] == [
        ("relieves", "reliev"),
        ("pain", "pain"),
    ]
    # at the positions phrases match by, so a snippet marks a phrase's words only side by side
    terms = analysed(ARTICLES["codeine"][1])
    assert [s.position for s in spans] == [terms.index("reliev"), terms.index("pain")]


def test_vocabularies_list_and_expand_their_terms(built: EngineBuild) -> None:
    words = set(built.terms("spell_en"))
    assert {"aspirin", "relieves", "codeine"} <= words
    assert sorted(built.expand_prefix("spell_en", "co")) == ["codeine", "constipation"]


def test_bm25f_from_the_builds_statistics_is_the_textbook_figure(built: EngineBuild) -> None:
    """Whoosh's BM25F with its idf, k1 1.2, b 0.75, computed here from the analysed texts (a
    field's length in positions)."""
    texts = {slug: analysed(body) for slug, (_, body) in ARTICLES.items()}
    lengths = {slug: words(body) for slug, (_, body) in ARTICLES.items()}
    average = sum(lengths.values()) / len(texts)
    postings = LeafScorer(built, DEFAULTS).leaf(TermLeaf("body_en", "pain", 1.0))
    holding = [slug for slug, terms in texts.items() if "pain" in terms]
    idf = math.log(len(texts) / (len(holding) + 1)) + 1
    k1, b = DEFAULTS.bm25_k1, DEFAULTS.bm25_b
    expected = {
        docnum_of(built, slug): idf
        * Counter(texts[slug])["pain"]
        * (k1 + 1)
        / (Counter(texts[slug])["pain"] + k1 * (1 - b + b * lengths[slug] / average))
        for slug in holding
    }
    assert dict(zip(postings.ids.tolist(), postings.scores.tolist(), strict=True)) == (
        pytest.approx(expected, rel=1e-9)
    )


def test_a_removed_article_is_invisible(
    backend: Backend, content: Path, tmp_path: Path, built: EngineBuild
) -> None:
    for path in (content / "aspirin").iterdir():
        path.unlink()
    (content / "aspirin").rmdir()
    backend.update(content, tmp_path / "index")
    after = backend.open(tmp_path / "index")
    assert after.find("aspirin") is None
    assert after.docnum("aspirin") is None
    assert "aspirin" not in {a.slug for _, a in after.articles()}
    assert after.live_count == len(ARTICLES) - 1
    assert not len(after.postings("body_en", "aspirin").ids)
    relieves = after.postings("body_en", "reliev").ids
    assert relieves.tolist() == sorted(docnum_of(after, s) for s in ("ibuprofen", "codeine"))


def test_postings_span_the_segments_updates_add(
    backend: Backend, content: Path, tmp_path: Path, built: EngineBuild
) -> None:
    """Each update adds the changed articles on their own: a term's postings are found in
    every part, and an edited article's words only in its new version."""
    bodies = {slug: body for slug, (_, body) in ARTICLES.items()}
    changes = {
        "naproxen": ("Naproxen", "Naproxen relieves pain for hours."),
        "melatonin": ("Melatonin", "Melatonin helps sleep."),
        "caffeine": ("Caffeine", "Caffeine relieves tiredness."),  # "awake" is gone
    }
    for slug, (title, body) in changes.items():
        write_article(content, slug, "en", article_text(title, body, tags="[medicine]"))
        backend.update(content, tmp_path / "index")
        bodies[slug] = body
    after = backend.open(tmp_path / "index")
    for word in ("relieves", "pain", "sleep", "awake", "naproxen", "blood"):
        term = analysed(word)[0]
        holding = sorted(docnum_of(after, s) for s, b in bodies.items() if term in analysed(b))
        assert after.postings("body_en", term).ids.tolist() == holding, word
    assert not len(after.postings("body_en", "awak").ids)
