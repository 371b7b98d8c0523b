"""kb.engine.whoosh_private against Whoosh's public, one-posting-at-a-time equivalents.

These are the tests that fail first when the pinned whoosh-reloaded changes its internals.
"""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

import numpy as np
import pytest
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import ID, TEXT, Schema
from whoosh.index import create_in, open_dir
from whoosh.reading import IndexReader

from kb.builds import live_build
from kb.engine.whoosh_private import (
    BYTE_LENGTHS,
    PINNED_WHOOSH,
    BlockSeeker,
    BuildCodec,
    block_matcher,
    deleted_docnums,
    index_segments,
    length_bytes,
    listed_postings,
    posting_blocks,
    tap_postings,
)
from tests.conftest import rewritten_in_a_second_segment

TERMS = [("body_ko", "가바펜틴"), ("body_en", "pain"), ("bigram_ko", "부작"), ("spell_en", "sleep")]


def test_the_installed_whoosh_is_the_one_these_internals_were_checked_against() -> None:
    assert version("whoosh-reloaded") == PINNED_WHOOSH


@pytest.fixture
def reader(bundled_index_dir: Path) -> IndexReader:
    build_dir = live_build(bundled_index_dir)
    assert build_dir is not None
    with open_dir(str(build_dir)).reader() as opened:
        yield opened


def segments(reader: IndexReader) -> list[IndexReader]:
    return [segment for segment, _ in reader.leaf_readers()]


def test_posting_blocks_hold_every_posting_with_its_weight_and_positions(reader) -> None:
    segment = segments(reader)[0]
    for field, term in TERMS:
        positional = field != "spell_en"  # a keyword field keeps no positions
        expected, matcher = [], segment.postings(field, term)
        while matcher.is_active():
            positions = matcher.value_as("positions") if positional else []
            expected.append((matcher.id(), matcher.weight(), positions))
            matcher.next()
        found = []
        for ids, weights, values in posting_blocks(segment.postings(field, term), positional):
            decoded = [segment.schema[field].format.decode_positions(v) for v in values]
            found += zip(ids.tolist(), weights.tolist(), decoded or [[]] * len(ids), strict=True)
        assert found == expected and len(found) > 0, (field, term)


def test_length_bytes_decode_to_the_lengths_whoosh_scores_with(reader) -> None:
    segment = segments(reader)[0]
    raw = length_bytes(segment, "body_ko")
    assert raw is not None and len(raw) == segment.doc_count_all()
    for docnum in range(segment.doc_count_all()):
        assert BYTE_LENGTHS[raw[docnum]] == (segment.doc_field_length(docnum, "body_ko") or 0)


def test_a_block_seeker_finds_each_posting_as_skip_to_does_in_any_order(reader) -> None:
    segment = segments(reader)[0]
    for field, term in TERMS[:3]:
        walked = {}
        matcher = segment.postings(field, term)
        while matcher.is_active():
            walked[matcher.id()] = matcher.value()
            matcher.next()
        block = block_matcher(segment.postings(field, term))
        assert block is not None
        seeker = BlockSeeker(block)
        everything = list(range(segment.doc_count_all()))
        for docnum in [*reversed(everything), *everything[::3], *everything]:  # one seeker
            found = seeker.seek(docnum)
            assert (found is not None) == (docnum in walked), (field, term, docnum)
            if found is not None:
                assert (found.id(), found.value()) == (docnum, walked[docnum])


@pytest.fixture(scope="module")
def aspirin_updated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build with aspirin deleted from the big segment and written again in a second one
    (read-only for tests)."""
    folder = tmp_path_factory.mktemp("aspirin")
    return rewritten_in_a_second_segment(folder / "index", "aspirin")


def test_deleted_documents_are_listed(aspirin_updated: Path) -> None:
    with open_dir(str(aspirin_updated)).reader() as updated:
        big = max(segments(updated), key=lambda s: s.doc_count_all())
        deleted = deleted_docnums(big)
        expected = [n for n in range(big.doc_count_all()) if big.is_deleted(n)]
        assert deleted == expected and len(deleted) == 1
        assert np.all(np.array(deleted) < big.doc_count_all())


def test_listed_postings_hold_deleted_documents_too(aspirin_updated: Path) -> None:
    """What a frequency file is written from: every posting the segment stores, in order,
    including those of documents deleted since (search masks them itself)."""
    with open_dir(str(aspirin_updated)).reader() as updated:
        big = max(segments(updated), key=lambda s: s.doc_count_all())
        (aspirin,) = deleted_docnums(big)
        for field, term in [("body_en", "aspirin"), ("body_en", "pain"), ("bigram_ko", "부작")]:
            btext = big.schema[field].to_bytes(term)
            ids, weights, values = listed_postings(big, field, btext, values=True)
            live = big.postings(field, btext)  # Whoosh's own walk skips the deleted document
            walked = []
            while live.is_active():
                walked.append((live.id(), live.weight(), live.value()))
                live.next()
            listed = list(zip(ids, weights, values, strict=True))
            assert [p for p in listed if p[0] != aspirin] == walked, (field, term)
            assert ids == sorted(ids) and len(ids) == big.doc_frequency(field, btext)
        assert aspirin in listed_postings(big, "body_en", b"aspirin", values=False)[0]


def test_index_segments_are_the_segments_a_reader_opens(aspirin_updated: Path) -> None:
    index = open_dir(str(aspirin_updated))
    with index.reader() as whole:
        opened = [reader.segment().segment_id() for reader in segments(whole)]
    listed = [segment.segment_id() for segment in index_segments(index)]
    assert listed == opened and len(listed) == 2


def test_a_tap_sees_every_posting_the_new_segment_gets(tmp_path: Path) -> None:
    """Its own documents' postings and those merged in from another segment, in the order
    Whoosh writes them, each as the segment then holds it."""
    index = create_in(str(tmp_path), Schema(slug=ID(stored=True), body=TEXT(phrase=True)))
    with index.writer() as first:
        first.add_document(slug="a", body="nerve pain and more pain")
    seen: list[tuple[str, bytes, int, float, bytes]] = []

    def tap(items):
        for item in items:
            seen.append(item)
            yield item

    writer = index.writer()
    tap_postings(writer, tap)
    writer.add_document(slug="b", body="pain relief")
    writer.commit(optimize=True)  # merges the first segment into the new one
    assert seen == sorted(seen, key=lambda item: (item[0], item[1], item[2]))
    with index.reader() as reader:
        (segment,) = segments(reader)
        stored = []
        for term in segment.lexicon("body"):
            matcher = segment.postings("body", term)
            while matcher.is_active():
                stored.append(("body", term, matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
    assert [item for item in seen if item[0] == "body" and item[2] >= 0] == stored
    assert {item[0] for item in seen} == {"body", "slug"}
    assert ("body", b"pain", 1, 2.0) in [item[:4] for item in seen]  # the merged document


def test_small_posting_blocks_are_written_plain_and_every_block_reads_as_whoosh_wrote_it(
    tmp_path: Path,
) -> None:
    """The build codec changes how blocks are stored, never what they hold: the same postings
    as Whoosh's own codec, with rare terms' small blocks plain and common ones compressed."""
    texts = [f"common pain word{n % 7} " + ("rare" if n in (3, 4) else "") for n in range(300)]

    def written(name: str, codec: W3Codec) -> tuple[dict, dict]:
        (tmp_path / name).mkdir()
        index = create_in(str(tmp_path / name), Schema(slug=ID(stored=True), body=TEXT()))
        with index.writer(codec=codec) as writer:
            for n, text in enumerate(texts):
                writer.add_document(slug=str(n), body=text)
        postings, compressed = {}, {}
        with index.reader() as reader:
            (segment,) = segments(reader)
            for term in segment.lexicon("body"):
                matcher = segment.postings("body", term)
                kinds = set()
                found = []
                while matcher.is_active():
                    kinds.add(bool(getattr(matcher, "_compression", 0)))
                    found.append((matcher.id(), matcher.weight(), matcher.value_as("positions")))
                    matcher.next()
                postings[term], compressed[term] = found, kinds
        return postings, compressed

    ours, our_blocks = written("ours", BuildCodec())
    whooshs, whoosh_blocks = written("whoosh", W3Codec())
    assert ours == whooshs and len(ours[b"common"]) == 300
    assert our_blocks[b"common"] == {True} and our_blocks[b"rare"] == {False}
    assert whoosh_blocks[b"rare"] == {True}  # Whoosh compresses every block
