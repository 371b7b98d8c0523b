"""``watch``: one process, the model loaded once, each saved change live within about a second."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import kb
from kb.translating.watch import watch
from tests.conftest import article_text, write_article

ROOT = Path(__file__).resolve().parent.parent
WATCH_LATENCY_LIMIT = 3.0  # seconds from a save to the live index; ~0.3-1 s on a quiet machine


def test_watch_applies_each_save_and_survives_a_bad_one(content_dir: Path, tmp_path: Path) -> None:
    write_article(content_dir, "a", "en", article_text("First title", "Body"))
    index_dir = tmp_path / "index"
    outcomes: list[object] = []
    seen = threading.Condition()

    def report(outcome: object) -> None:
        with seen:
            outcomes.append(outcome)
            seen.notify_all()

    def wait_for(count: int) -> object:
        with seen:
            assert seen.wait_for(lambda: len(outcomes) >= count, timeout=60), outcomes
            return outcomes[count - 1]

    stop = threading.Event()
    worker = threading.Thread(
        target=watch,
        args=([content_dir], index_dir),
        kwargs={"interval": 0.05, "report": report, "stop": stop},
    )
    worker.start()
    try:
        wait_for(1)  # the first look indexes what is there
        write_article(content_dir, "a", "en", "---\ntitle: [broken\n---\nBody\n")
        assert isinstance(wait_for(2), kb.ContentInvalid)
        saved = time.perf_counter()
        write_article(content_dir, "a", "en", article_text("Second title", "Body"))
        wait_for(3)
        latency = time.perf_counter() - saved
        view = kb.get_article(kb.open_index(index_dir), "a", "en")
        assert view is not None and view.title == "Second title"
        assert latency < WATCH_LATENCY_LIMIT
    finally:
        stop.set()
        worker.join(timeout=30)
    assert not worker.is_alive()


def test_indexer_watch_prints_each_update(content_dir: Path, tmp_path: Path) -> None:
    write_article(content_dir, "a", "en", article_text("First title", "Body"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")}
    command = [sys.executable, "indexer.py", "watch", "--content", str(content_dir), "--index",
               str(tmp_path / "index"), "--interval", "0.05", "--changes", "1"]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().startswith("built index: 1 articles")
        write_article(content_dir, "b", "ko", article_text("둘째 글", "본문"))
        assert process.stdout.readline().startswith("updated index: 2 articles")
        assert process.wait(timeout=60) == 0
    finally:
        process.kill()
        process.communicate()
