"""``indexer.py watch``: apply each saved article to the live index within about a second.

One process keeps the Korean model loaded (an ``update`` run from the shell pays 2-3 s of
loading each time) and polls the content folders' file sizes and modification times, which
costs a stat per file; a change runs the ordinary incremental update.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from kb.analysis import batch_model
from kb.content import ContentInvalid
from kb.embedding import DEFAULT_ENCODER, NO_ENCODER, encoder
from kb.index import BuildReport, update_index

Fingerprint = frozenset[tuple[str, int, int]]


def fingerprint(roots: Sequence[Path]) -> Fingerprint:
    """(path, size, mtime in ns) of every ``<slug>/*.md``; a folder or file that vanishes
    while listing is left out (the next poll sees the change)."""
    found: set[tuple[str, int, int]] = set()
    for root in roots:
        try:
            folders = list(os.scandir(root))
        except OSError:
            continue
        for folder in folders:
            try:
                with os.scandir(folder.path) as files:
                    for entry in files:
                        if entry.name.endswith(".md"):
                            info = entry.stat()
                            found.add((entry.path, info.st_size, info.st_mtime_ns))
            except OSError:
                continue
    return frozenset(found)


def watch(
    roots: Sequence[Path],
    index_dir: Path,
    *,
    glossary: Path | None = None,
    interval: float = 0.3,
    report: Callable[[BuildReport | ContentInvalid | Exception], None] = lambda _: None,
    stop: threading.Event | None = None,
    changes: int | None = None,
    options: Mapping[str, Any] | None = None,
) -> None:
    """Update the index at ``index_dir`` whenever a file under ``roots`` (or the glossary)
    changes, until ``stop`` is set or ``changes`` updates have run. A refused update (invalid
    content) is reported and waits for the next save; the live index stays as it was.
    ``options``: more keyword arguments of :func:`update_index`."""
    stop = stop or threading.Event()
    batch_model().kiwi  # noqa: B018 - load the model now, not on the first save
    embedding = (options or {}).get("embedding", DEFAULT_ENCODER)
    if embedding != NO_ENCODER:
        encoder(embedding).passages(["warm"])  # the encoder too: a save pays neither
    seen: Fingerprint | None = None
    done = 0
    while not stop.is_set() and (changes is None or done < changes):
        now = fingerprint(roots) | _glossary_print(glossary)
        if now != seen:
            try:
                report(update_index(roots, index_dir, glossary=glossary, **(options or {})))
            except ContentInvalid as problem:
                report(problem)
            except Exception as problem:  # a disk fault, a busy index: say so, keep watching
                report(problem)
            if seen is not None:
                done += 1
            seen = now
        stop.wait(interval)


def _glossary_print(glossary: Path | None) -> Fingerprint:
    if glossary is None:
        return frozenset()
    try:
        info = glossary.stat()
    except OSError:
        return frozenset()
    return frozenset({(str(glossary), info.st_size, info.st_mtime_ns)})
