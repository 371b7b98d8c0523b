"""kb.scoring reproduces Whoosh's own BM25F, so ranking on arrays changed no order or score."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import query as wq
from whoosh import scoring
from whoosh.index import open_dir
from whoosh.searching import Searcher

import kb
from kb.engine import Leaf, PhraseLeaf, TermLeaf
from kb.params import DEFAULTS, SearchParams
from kb.query import parse_query
from kb.scoring import LeafScorer

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
    "가바ㅍ",  # a word being typed: a prefix of the spelling vocabulary
    "ㅂㅈ 졸음",
]


def leaves(index: kb.KnowledgeIndex, text: str) -> list[Leaf]:
    """Every term and phrase a search for ``text`` scores: concepts, weak evidence, booster."""
    parsed = parse_query(text, index.snapshot().glossary)
    found = [leaf for side in parsed.concepts.values() for c in side for leaf in c.direct]
    found += [leaf for side in parsed.concepts.values() for c in side for w in c.weak for leaf in w]
    return found + list(parsed.booster)


def as_whoosh(leaf: Leaf) -> wq.Query:
    if isinstance(leaf, TermLeaf):
        return wq.Term(leaf.field, leaf.text, boost=leaf.boost)
    if isinstance(leaf, PhraseLeaf):
        return wq.Phrase(leaf.field, list(leaf.words), boost=leaf.boost)
    return wq.Prefix(leaf.field, leaf.text, boost=leaf.boost)


def whoosh_scores(searcher: Searcher, leaf: Leaf) -> dict[int, float]:
    """What Whoosh's own matcher gives, one posting at a time."""
    matcher = as_whoosh(leaf).matcher(searcher, searcher.context())
    found = {}
    while matcher.is_active():
        found[matcher.id()] = matcher.score()
        matcher.next()
    return found


def assert_same_as_whoosh(index: kb.KnowledgeIndex, params: SearchParams = DEFAULTS) -> int:
    """Compare every leaf of QUERIES with Whoosh's BM25F(k1, b) on the same build files."""
    snapshot = index.snapshot()
    scorer = LeafScorer(snapshot.engine, params)
    weighting = scoring.BM25F(K1=params.bm25_k1, B=params.bm25_b)
    compared = 0
    with open_dir(str(snapshot.build_dir)).searcher(weighting=weighting) as searcher:
        for text in QUERIES:
            for leaf in leaves(index, text):
                postings = scorer.leaf(leaf)
                ours = dict(zip(postings.ids.tolist(), postings.scores.tolist(), strict=True))
                theirs = whoosh_scores(searcher, leaf)
                assert ours.keys() == theirs.keys(), leaf
                assert list(ours.values()) == pytest.approx(list(theirs.values()), rel=1e-9), leaf
                compared += bool(theirs)
    return compared


def test_terms_and_phrases_score_exactly_as_whoosh_scores_them(bundled_index) -> None:
    assert assert_same_as_whoosh(bundled_index) > 50


def test_other_bm25_parameters_score_as_whoosh_scores_with_them(bundled_index) -> None:
    """Parameters are data: k1 and b passed down give Whoosh's figures for those values."""
    assert assert_same_as_whoosh(bundled_index, SearchParams(bm25_k1=0.9, bm25_b=0.4)) > 50


def test_a_broken_parameter_would_be_caught(bundled_index) -> None:
    """The comparison can fail: scores made with another k1 differ from Whoosh's defaults."""
    snapshot = bundled_index.snapshot()
    leaf = TermLeaf("body_en", "gabapentin")
    ours = LeafScorer(snapshot.engine, SearchParams(bm25_k1=2.0)).leaf(leaf).scores
    with open_dir(str(snapshot.build_dir)).searcher() as searcher:
        theirs = list(whoosh_scores(searcher, leaf).values())
    assert len(ours) == len(theirs) > 0
    assert list(ours) != pytest.approx(theirs, rel=1e-6)


@pytest.fixture
def index_with_deletions(rewritten_build: Path) -> kb.KnowledgeIndex:
    return kb.open_index(rewritten_build.parent.parent)


def test_deleted_documents_and_later_segments_are_scored_as_whoosh_does(
    index_with_deletions: kb.KnowledgeIndex,
) -> None:
    build = index_with_deletions.snapshot().engine
    assert build.live_count == build.size - 1  # one deleted document, in the first segment
    assert assert_same_as_whoosh(index_with_deletions) > 50


def test_an_article_rewritten_in_a_later_segment_is_found_once(
    index_with_deletions: kb.KnowledgeIndex,
) -> None:
    page = kb.search(index_with_deletions, "가바펜틴", "ko", per_page=100)
    slugs = [hit.slug for hit in page.hits]
    assert slugs.count("gabapentin") == 1
    assert slugs[0] == "gabapentin"
