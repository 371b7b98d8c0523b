"""Serving with workers forked from one warmed-up app (gunicorn --preload, as `make run` does)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

import kb
from kb.analysis import korean


def test_the_app_starts_warm_so_no_reader_pays_for_loading(make_app) -> None:
    client = make_app(KB_WARM_UP=True).test_client()
    assert korean.query_model().loaded  # the Korean model is loaded at start
    response = client.get("/api/suggest?q=가바&lang=ko")
    assert response.status_code == 200 and response.get_json()["completions"]


def test_warm_up_can_be_turned_off(make_app, monkeypatch) -> None:
    monkeypatch.setattr(korean, "_query_model", korean.KoreanModel(threads=0))
    monkeypatch.setenv("KB_WARM_UP", "off")
    client = make_app(KB_WARM_UP=None).test_client()  # None: the environment decides
    assert not korean.query_model().loaded
    assert client.get("/api/suggest?q=가바&lang=ko").get_json()["completions"]
    assert client.get("/api/search?q=가바펜틴&lang=ko").get_json()["results"]
    assert korean.query_model().loaded  # loaded by the first Korean query instead


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_a_warm_up_setting_that_is_not_a_boolean_is_refused_at_start(make_app, value) -> None:
    with pytest.raises(ValueError, match="KB_WARM_UP"):
        make_app(KB_WARM_UP=value)


def search_slugs(index: kb.KnowledgeIndex, query: str, locale: str) -> list[str]:
    return [hit.slug for hit in kb.search(index, query, locale).hits]


def test_an_index_opened_before_a_fork_serves_parent_and_child_alike(bundled_index_dir) -> None:
    index = kb.open_index(bundled_index_dir)
    kb.warm_up(index)
    queries = [
        ("가바펜틴의 부작용", "ko"),
        ("side effects", "en"),
        ("ㄱㅂㅍㅌ", "ko"),
        ("metforman side effects", "en"),  # respelled after the English word list says no
        ("who invented side effects", "en"),  # and not, as it says yes
    ] * 20
    expected = [search_slugs(index, q, loc) for q, loc in queries]
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through the pipe
        try:
            found = [search_slugs(index, q, loc) for q, loc in reversed(queries)]
            os.write(write_end, json.dumps(found[::-1]).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    in_parent = [search_slugs(index, q, loc) for q, loc in queries]  # at the same time
    with os.fdopen(read_end, "rb") as pipe:
        in_child = json.loads(pipe.read())
    os.waitpid(child, 0)
    assert in_parent == expected
    assert in_child == expected


FORKED_WORKER = """
import os, sys
import kb
from kb.analysis.korean import batch_model
index = kb.open_index(sys.argv[1])
batch_model().analyse(["가바"])  # the parent built before: its threaded model is loaded
kb.warm_up(index)
child = os.fork()
if child == 0:
    tokens = batch_model().analyse(["가바펜틴의 부작용", "졸음이 올 수 있다"])  # as a build does
    hits = kb.search(index, "가바펜틴의 부작용", "ko").hits
    os._exit(0 if len(tokens) == 2 and hits[0].slug == "gabapentin" else 1)
_, status = os.waitpid(child, 0)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def test_a_worker_forked_after_the_warm_up_can_still_analyse_batches(bundled_index_dir) -> None:
    """Kiwi's thread pool would not survive the fork: the warm-up loads the model without one."""
    done = subprocess.run(
        [sys.executable, "-c", FORKED_WORKER, str(bundled_index_dir)],
        timeout=120,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


def test_gunicorn_freezes_the_masters_objects_before_each_fork() -> None:
    """The hook is read from the config `make run` passes, under the name gunicorn calls, and
    moves the master's objects out of the collector's reach (a worker's collections would
    otherwise un-share the pages they visit)."""
    import gc

    from gunicorn.app.base import Application

    from webapp import serving

    class Loaded(Application):
        def init(self, parser, opts, args):
            return None

        def load(self):  # pragma: no cover (never serves)
            return None

    app = Loaded.__new__(Loaded)  # its __init__ would parse this process's command line
    app.usage, app.prog, app.callable = None, None, None
    app.load_default_config()
    app.load_config_from_module_name_or_filename(serving.CONFIG)
    assert app.cfg.pre_fork is serving.pre_fork
    try:
        app.cfg.pre_fork(None, None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
