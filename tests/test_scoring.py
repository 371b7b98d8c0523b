"""kb.scoring reproduces Whoosh's own BM25F, so ranking on arrays changed no order or score."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import query as wq
from whoosh import writing
from whoosh.index import open_dir

import kb
from kb.content import load_content
from kb.index import live_build
from kb.query import parse_query
from kb.ranking import _leaves
from kb.schema import add_korean_vocabulary, document_for
from kb.scoring import scorer_for

QUERIES = [
    "가바펜틴의 부작용",
    "효능은",
    "어지러움 졸음",
    "side effects of gabapentin",
    "headache",
    '"nerve pain"',
    '"신경병증 통증"',
    "대상포진 후 신경통",
    "두통",
]


def leaves(index: kb.KnowledgeIndex, text: str) -> list[wq.Query]:
    """Every term and phrase a search for ``text`` scores: concepts, weak evidence, booster."""
    parsed = parse_query(text, index.snapshot().glossary)
    queries = [c.direct for side in parsed.concepts.values() for c in side]
    queries += [weak for side in parsed.concepts.values() for c in side for weak in c.weak]
    queries += [parsed.booster] if parsed.booster is not None else []
    return [leaf for q in queries for leaf in _leaves(q)]


def whoosh_scores(index: kb.KnowledgeIndex, leaf: wq.Query) -> dict[int, float]:
    """What Whoosh's own matcher gives, one posting at a time."""
    searcher = index.snapshot().searcher
    matcher = leaf.matcher(searcher, searcher.context())
    found = {}
    while matcher.is_active():
        found[matcher.id()] = matcher.score()
        matcher.next()
    return found


def assert_same_as_whoosh(index: kb.KnowledgeIndex) -> int:
    scorer = scorer_for(index.snapshot().searcher)
    compared = 0
    for text in QUERIES:
        for leaf in leaves(index, text):
            postings = scorer.leaf(leaf)
            ours = dict(zip(postings.ids.tolist(), postings.scores.tolist(), strict=True))
            theirs = whoosh_scores(index, leaf)
            assert ours.keys() == theirs.keys(), leaf
            assert list(ours.values()) == pytest.approx(list(theirs.values()), rel=1e-9), leaf
            compared += bool(theirs)
    return compared


def test_terms_and_phrases_score_exactly_as_whoosh_scores_them(bundled_index) -> None:
    assert assert_same_as_whoosh(bundled_index) > 50


@pytest.fixture
def index_with_deletions(bundled_copy: Path, tmp_path: Path) -> kb.KnowledgeIndex:
    """The bundled index with gabapentin deleted from its segment and written again in a second
    segment (what an update does before segments are merged)."""
    index_dir = tmp_path / "index"
    kb.build_index(bundled_copy, index_dir)
    article = next(a for a in load_content(bundled_copy) if a.slug == "gabapentin")
    doc = document_for(article)
    add_korean_vocabulary(doc)
    writer = open_dir(str(live_build(index_dir))).writer()
    writer.delete_by_term("slug", "gabapentin")
    writer.add_document(**doc)
    writer.commit(mergetype=writing.NO_MERGE)
    return kb.open_index(index_dir)


def test_deleted_documents_and_later_segments_are_scored_as_whoosh_does(
    index_with_deletions: kb.KnowledgeIndex,
) -> None:
    reader = index_with_deletions.snapshot().searcher.reader()
    assert reader.has_deletions() and len(list(reader.leaf_readers())) == 2
    assert assert_same_as_whoosh(index_with_deletions) > 50


def test_an_article_rewritten_in_a_later_segment_is_found_once(
    index_with_deletions: kb.KnowledgeIndex,
) -> None:
    page = kb.search(index_with_deletions, "가바펜틴", "ko", per_page=100)
    slugs = [hit.slug for hit in page.hits]
    assert slugs.count("gabapentin") == 1
    assert slugs[0] == "gabapentin"
