"""Kiwi loaded ahead in a child (kb.analysis.ahead): an update in a fresh process has its texts
analysed there, exactly as its own Kiwi would, and carries on by itself if the child is gone."""

from __future__ import annotations

import json
import multiprocessing.context
import subprocess
import sys
from pathlib import Path

import pytest

import kb
from kb.analysis import batch_model, pretokenized
from kb.analysis.ahead import KiwiAhead
from kb.analysis.base import Piece
from kb.analysis.korean import korean_pieces
from tests.conftest import article_text, write_article

TEXTS = [
    "가바펜틴은 신경병증성 통증과 부분 발작에 쓰입니다.",
    "밤에 잠이 안 와요. 1일 3회 복용하세요.",
    "Benadryl의 부작용은 졸음입니다.",
    "English only, no Hangul",
    "",
]


def plain(analysis: dict[str, list]) -> dict[str, list[tuple]]:
    return {
        text: [(t.form, t.tag, t.start, t.len) for t in tokens] for text, tokens in analysis.items()
    }


def test_the_child_analyses_as_this_process_would() -> None:
    ahead = KiwiAhead()
    try:
        analysed = ahead.analyse(TEXTS + TEXTS[:1])
    finally:
        ahead.close()
    assert list(analysed) == TEXTS[:3], "texts without Hangul are not sent; each text once"
    own = batch_model().analyse(TEXTS)
    assert plain(analysed) == plain(own)
    assert indexed(analysed) == indexed(own), "the index gets the same terms"


def indexed(analysis: dict[str, list]) -> list[list[Piece]]:
    """What the Korean analysis makes of each text from ``analysis``."""
    with pretokenized(analysis):
        return [list(korean_pieces(text)) for text in analysis]


def test_without_its_child_an_update_analyses_by_itself() -> None:
    ahead = KiwiAhead()
    ahead._process.kill()
    ahead._process.join()
    try:
        analysed = ahead.analyse(TEXTS)
    finally:
        ahead.close()
    assert plain(analysed) == plain(batch_model().analyse(TEXTS))


def test_where_no_child_can_be_forked_the_analysis_is_done_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_fork(process: object) -> None:
        raise BlockingIOError(11, "Resource temporarily unavailable")  # as fork(2) at a limit

    monkeypatch.setattr(multiprocessing.context.ForkProcess, "_Popen", staticmethod(no_fork))
    ahead = KiwiAhead()
    try:
        analysed = ahead.analyse(TEXTS)
    finally:
        ahead.close()
    assert plain(analysed) == plain(batch_model().analyse(TEXTS))


UPDATE = """
import json, sys
import kb
from kb.analysis import batch_model, query_model
report = kb.update_index(sys.argv[1], sys.argv[2])
kiwi_here = batch_model().loaded or query_model().loaded
found = kb.search(kb.open_index(sys.argv[2]), "소화불량", "ko", mode="lexical")  # loads one
print(json.dumps({
    "changed": report.changed,
    "kiwi_here": kiwi_here,
    "found": [hit.slug for hit in found.hits],
}))
"""


def test_an_update_command_has_kiwi_loaded_in_a_child(content_dir: Path, tmp_path: Path) -> None:
    root = tmp_path / "index"
    write_article(
        content_dir, "gabapentin", "ko", article_text("가바펜틴", "신경병증성 통증에 쓴다.")
    )
    write_article(content_dir, "aspirin", "ko", article_text("아스피린", "두통과 열에 쓴다."))
    kb.build_index(content_dir, root)
    write_article(
        content_dir, "gabapentin", "ko", article_text("가바펜틴", "소화불량을 일으킬 수 있다.")
    )
    run = subprocess.run(
        [sys.executable, "-c", UPDATE, str(content_dir), str(root)],
        capture_output=True, text=True, check=True, cwd=Path(__file__).parent.parent,
    )  # fmt: skip
    seen = json.loads(run.stdout.splitlines()[-1])
    assert seen["changed"] == 1
    assert not seen["kiwi_here"], "the update's own process never loaded Kiwi"
    assert seen["found"] == ["gabapentin"], "the edited article is found by its new word"


EARLY = """
import json, sys
from kb.analysis import ahead
ahead.start_now()  # as indexer.py does for `update`, before its imports
imported = sorted(m for m in ("kb.index", "kb.searching", "kb.vectors", "whoosh.writing")
                  if m in sys.modules)
import kb
from kb.analysis import batch_model
from kb.embedding import encoder
calls = []
use = encoder("use-multilingual-v3")
embed, analyse, fork = use.passages, ahead.KiwiAhead.analyse, ahead.KiwiAhead.__init__
def embedding(texts):
    calls.append("embed")
    return embed(texts)
def analysing(self, texts):
    calls.append("analyse")
    return analyse(self, texts)
def forking(self):
    calls.append("fork")
    fork(self)
use.passages, ahead.KiwiAhead.analyse, ahead.KiwiAhead.__init__ = embedding, analysing, forking
report = kb.update_index(sys.argv[1], sys.argv[2])
print(json.dumps({
    "imported": imported,
    "calls": calls,
    "handed_over": ahead.take_started() is None,
    "kiwi_here": batch_model().loaded,
    "changed": report.changed,
}))
"""


def test_a_child_started_first_serves_the_update(content_dir: Path, tmp_path: Path) -> None:
    """``indexer.py update`` starts Kiwi's child before the index code is imported; the update
    takes that child (no second fork) and embeds its passages before it waits for Kiwi."""
    root = tmp_path / "index"
    write_article(content_dir, "zolpidem", "en", article_text("Zolpidem", "For insomnia."))
    write_article(content_dir, "zolpidem", "ko", article_text("졸피뎀", "불면증에 쓴다."))
    kb.build_index(content_dir, root)
    write_article(content_dir, "zolpidem", "ko", article_text("졸피뎀", "잠이 안 올 때 쓴다."))
    run = subprocess.run(
        [sys.executable, "-c", EARLY, str(content_dir), str(root)],
        capture_output=True, text=True, check=True, cwd=Path(__file__).parent.parent,
    )  # fmt: skip
    seen = json.loads(run.stdout.splitlines()[-1])
    assert seen["imported"] == [], "the child forks before the index code is loaded"
    assert seen["changed"] == 1 and seen["handed_over"] and not seen["kiwi_here"]
    assert "fork" not in seen["calls"], "the update uses the child already loading"
    assert seen["calls"] == ["embed", "analyse"], "it embeds while the child still loads"


def test_the_update_command_indexes_the_edit(content_dir: Path, tmp_path: Path) -> None:
    """The command as a user runs it (``python indexer.py update``: the path that starts its
    child before the imports) publishes the edit."""
    root = tmp_path / "index"
    write_article(content_dir, "aspirin", "ko", article_text("아스피린", "두통과 열에 쓴다."))
    kb.build_index(content_dir, root)
    write_article(content_dir, "aspirin", "ko", article_text("아스피린", "소화불량을 줄 수 있다."))
    command = ["indexer.py", "update", "--content", str(content_dir), "--index", str(root)]
    run = subprocess.run(
        [sys.executable, *command], capture_output=True, text=True, cwd=Path(__file__).parent.parent
    )
    assert run.returncode == 0, run.stderr
    assert "(0 added, 1 changed, 0 removed)" in run.stdout
    found = kb.search(kb.open_index(root), "소화불량", "ko", mode="lexical")
    assert [hit.slug for hit in found.hits] == ["aspirin"]
