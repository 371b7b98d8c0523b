"""Slow clients do not take the site down: the server `make run` starts keeps answering searches
while connections trickle their headers, and cuts those connections off (bench/slowclients.py,
bounded: 30 slow connections for 10 s)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bench.perf.load import free_port
from bench.slowclients import running_server, server_argv, summary, trickle
from webapp import serving

SLOW = 30
SECONDS = 10.0
ANSWER_WITHIN = 1.0  # seconds, for each normal search


def test_make_run_serves_with_the_config_the_bench_and_this_test_use() -> None:
    makefile = (Path(__file__).resolve().parent.parent / "Makefile").read_text()
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert f"--config {serving.CONFIG} --workers $(WORKERS) --bind $(HOST):$(PORT)" in run
    assert serving.command("h:1", 3) == [
        "--config",
        serving.CONFIG,
        "--workers",
        "3",
        "--bind",
        "h:1",
    ]


def test_searches_are_answered_while_slow_clients_trickle_headers(
    bundled_index_dir: Path, tmp_path: Path
) -> None:
    port = free_port()
    argv = server_argv("current", port, workers=2)
    with running_server(argv, bundled_index_dir, port, tmp_path / "gunicorn.log"):
        tally = asyncio.run(trickle(port, SLOW, SECONDS, rate=1, timeout=ANSWER_WITHIN))
    report = summary(tally)
    normal, slow = report["normal"], report["slow"]
    assert normal["sent"] >= 7
    assert normal["failed"] == 0, report  # each answered with 200 within a second
    assert normal["max_ms"] < ANSWER_WITHIN * 1000, report
    # The header timer (`keepalive` seconds) cut every slow connection off, and no sooner.
    assert slow["cut_off"] >= SLOW, report
    assert serving.keepalive - 0.5 <= slow["seconds_to_cut_off_min"], report
    assert slow["seconds_to_cut_off_max"] <= serving.keepalive + 2, report
