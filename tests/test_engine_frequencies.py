"""Each segment's frequency file (kb.engine.frequencies) holds exactly the postings Whoosh's
posting file holds, so ranking from it changes no result; builds without one still search."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from whoosh.index import open_dir

import kb
from kb.builds import live_build
from kb.embedding import NO_ENCODER
from kb.engine import TermPostings, frequencies
from kb.engine.frequencies import FileTerm
from kb.engine.whoosh import WhooshBuild
from kb.schema import field_specs
from kb.scoring import _consecutive

ANALYSED = [spec for spec in field_specs() if spec.kind == "text"]
QUERIES = [("가바펜틴의 부작용", "ko"), ('"nerve pain"', "en"), ("두통약", "ko"), ("sleep", "en")]


def without_frequency_files(build_dir: Path, target: Path) -> Path:
    """A copy of a build as one made before frequency files existed."""
    shutil.copytree(build_dir, target)
    for path in target.glob(f"*{frequencies.SUFFIX}"):
        path.unlink()
    return target


def segment_ids(build_dir: Path) -> set[str]:
    with open_dir(str(build_dir)).reader() as reader:
        return {r.segment().segment_id() for r, _ in reader.leaf_readers()}


def assert_same_postings(ours: WhooshBuild, whooshs: WhooshBuild) -> int:
    """Every term of every analysed field: the same documents, frequencies and positions."""
    compared = 0
    for spec in ANALYSED:
        for term in ours.terms(spec.name):
            a = ours.postings(spec.name, term, positions=spec.positions)
            b = whooshs.postings(spec.name, term, positions=spec.positions)
            assert np.array_equal(a.ids, b.ids), (spec.name, term)
            assert np.array_equal(a.frequencies, b.frequencies), (spec.name, term)
            if spec.positions:
                assert np.array_equal(a.positions, b.positions), (spec.name, term)
            compared += 1
    return compared


@pytest.fixture
def bundled_build(bundled_index_dir: Path) -> Path:
    build_dir = live_build(bundled_index_dir)
    assert build_dir is not None
    return build_dir


def test_a_build_has_a_frequency_file_for_each_segment(bundled_build: Path) -> None:
    build_dir = bundled_build
    written = {p.name.removesuffix(frequencies.SUFFIX) for p in build_dir.glob("*.freq*")}
    assert written == segment_ids(build_dir)


def test_frequency_files_hold_every_posting_whooshs_posting_file_holds(
    bundled_build: Path, tmp_path: Path
) -> None:
    build_dir = bundled_build
    plain = WhooshBuild(without_frequency_files(build_dir, tmp_path / "plain"))
    ours = WhooshBuild(build_dir)
    assert ours._frequency_files and not plain._frequency_files
    assert assert_same_postings(ours, plain) > 5000


def test_an_update_writes_a_file_for_its_new_segment_and_deletions_still_apply(
    rewritten_build: Path, tmp_path: Path
) -> None:
    ids = segment_ids(rewritten_build)
    assert len(ids) == 2
    assert {p.name.removesuffix(frequencies.SUFFIX) for p in rewritten_build.glob("*.freq*")} == ids
    ours = WhooshBuild(rewritten_build)
    assert ours.live_count == ours.size - 1
    plain = WhooshBuild(without_frequency_files(rewritten_build, tmp_path / "plain"))
    assert assert_same_postings(ours, plain) > 5000


def test_a_commit_writes_its_file_from_what_it_gathered_as_whoosh_wrote(
    bundled_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build never reads its new segment back for the file, and the file it writes from the
    postings it saw go by is the one reading the segment back gives, byte for byte."""
    import kb.engine.whoosh as engine

    read_back = engine._segment_postings

    def refused(*_: object) -> None:
        raise AssertionError("a commit read its own segment back")

    monkeypatch.setattr(engine, "_segment_postings", refused)
    kb.build_index(bundled_copy, tmp_path / "index", embedding=NO_ENCODER)
    build_dir = live_build(tmp_path / "index")
    assert build_dir is not None
    monkeypatch.setattr(engine, "_segment_postings", read_back)
    copy = without_frequency_files(build_dir, tmp_path / "copy")
    engine.write_frequency_files(copy)
    (gathered,) = build_dir.glob(f"*{frequencies.SUFFIX}")
    assert gathered.read_bytes() == (copy / gathered.name).read_bytes()
    assert gathered.stat().st_size > 100_000


def test_a_build_without_frequency_files_ranks_the_same(
    bundled_build: Path, tmp_path: Path
) -> None:
    build_dir = bundled_build
    plain_root = tmp_path / "plain-index"
    (plain_root / "builds").mkdir(parents=True)
    plain = without_frequency_files(build_dir, plain_root / "builds" / build_dir.name)
    (plain_root / "current").symlink_to(Path("builds") / plain.name)
    with_files, without = kb.open_index(bundled_build.parent.parent), kb.open_index(plain_root)
    for text, locale in QUERIES:
        a = kb.search(with_files, text, locale, mode="lexical").hits
        b = kb.search(without, text, locale, mode="lexical").hits
        assert [(h.slug, h.score) for h in a] == [(h.slug, h.score) for h in b], text
        assert a, text


def test_a_file_that_disagrees_with_its_segment_is_not_believed(
    bundled_build: Path, tmp_path: Path
) -> None:
    """A term whose count in the file differs from Whoosh's is read from Whoosh instead."""
    build_dir = bundled_build
    copy = tmp_path / "copy"
    shutil.copytree(build_dir, copy)
    (path,) = copy.glob(f"*{frequencies.SUFFIX}")
    one = np.ones(1, dtype=np.int64)
    one_posting = one - 1, np.ones(1), one - 1, (one - 1, one)
    frequencies.write(path, [FileTerm("body_en", b"pain", *one_posting)])  # in many articles
    damaged, good = WhooshBuild(copy), WhooshBuild(build_dir)
    found = damaged.postings("body_en", "pain")
    assert len(found.ids) > 1
    assert np.array_equal(found.ids, good.postings("body_en", "pain").ids)
    assert damaged.spans("body_en", 0, ["pain"]) == good.spans("body_en", 0, ["pain"])
    assert good.spans("body_en", 0, ["pain"]), "the first article mentions pain"


def assert_same_spans(ours: WhooshBuild, whooshs: WhooshBuild) -> int:
    """Every document's character offsets of many words, in both body fields."""
    found = 0
    for field in ("body_ko", "body_en"):
        words = list(ours.terms(field))[::3]
        for docnum in range(ours.size):
            spans = ours.spans(field, docnum, words)
            assert spans == whooshs.spans(field, docnum, words), (field, docnum)
            found += len(spans)
    return found


def test_snippet_offsets_from_frequency_files_are_whooshs(
    bundled_build: Path, tmp_path: Path
) -> None:
    build_dir = bundled_build
    plain = WhooshBuild(without_frequency_files(build_dir, tmp_path / "plain"))
    assert assert_same_spans(WhooshBuild(build_dir), plain) > 1000


def test_snippet_offsets_skip_deleted_documents_after_an_update(
    rewritten_build: Path, tmp_path: Path
) -> None:
    ours = WhooshBuild(rewritten_build)
    plain = WhooshBuild(without_frequency_files(rewritten_build, tmp_path / "plain"))
    assert assert_same_spans(ours, plain) > 1000
    deleted = next(d for d in range(ours.size) if ours._live is not None and not ours._live[d])
    assert ours.spans("body_en", deleted, ["gabapentin"]) == []


def reference_consecutive(lists: list[TermPostings], at: list[np.ndarray]) -> list[bool]:
    """Position by position, in Python: the rule phrases followed before arrays."""
    found = []
    for n in range(len(at[0])):
        positions = [p.positions_in(int(where[n])) for p, where in zip(lists, at, strict=True)]
        rest = [set(p) for p in positions[1:]]
        found.append(
            any(all(p + i in later for i, later in enumerate(rest, 1)) for p in positions[0])
        )
    return found


def test_phrase_positions_compared_as_arrays_match_the_rule_position_by_position() -> None:
    rng = np.random.default_rng(7)
    for _ in range(200):
        words = int(rng.integers(2, 5))
        docs = int(rng.integers(1, 12))
        lists = []
        for _ in range(words):
            counts = rng.integers(1, 6, size=docs)
            spots = np.concatenate([np.sort(rng.choice(12, c, replace=False)) for c in counts])
            lists.append(TermPostings(np.arange(docs), counts.astype(float), spots))
        at = [np.arange(docs)] * words
        assert _consecutive(lists, at).tolist() == reference_consecutive(lists, at)
