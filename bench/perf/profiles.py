"""Where the time goes: a build's share in Kiwi, Kiwi's raw speed, and pyinstrument hot spots.

* ``child_kiwi_share``: a build with ``Kiwi.tokenize`` wrapped by a clock (no profiler, so no
  distortion), then the very same Kiwi batches tokenized again alone (Kiwi's raw speed).
* ``child_profile_*``: pyinstrument on a build, an update, or the search and suggest mixes.
  The Kiwi model is loaded before the profiler starts (importing kiwipiepy or making a Kiwi
  instance under a profiler crashes).
  Kiwi analyses each batch in a background thread while the previous batch is written, so the
  main thread's profile shows it only as waits (``Future.result``) in
  ``kb/index.py:_add_articles``.
"""

from __future__ import annotations

import shutil
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.perf.corpora import Corpus, article_folders
from bench.perf.paths import WORK
from bench.perf.procs import run_child

MIN_SHARE = 0.02  # frames below this share of the profile are left out of the tree
MAX_DEPTH = 40
TOP_SELF = 15


class KiwiClock:
    """Wraps ``Kiwi.tokenize`` to add up its wall time and keep the batches it was given."""

    def __init__(self) -> None:
        """Nothing counted yet."""
        self.seconds = 0.0
        self.calls = 0
        self.batches: list[list[str]] = []
        self.single_chars = 0

    @contextmanager
    def installed(self) -> Iterator[KiwiClock]:
        """Patch the class for the duration of the block."""
        from kiwipiepy import Kiwi

        original = Kiwi.tokenize
        clock = self

        def tokenize(kiwi: Any, text: Any, *args: Any, **kwargs: Any) -> Any:
            """Kiwi.tokenize, timed; a batch is consumed here so its time is counted."""
            started = time.perf_counter()
            result = original(kiwi, text, *args, **kwargs)
            if isinstance(text, str):
                clock.single_chars += len(text)
            else:
                result = list(result)  # the batch is analysed while it is consumed
                clock.batches.append(list(text))
            clock.seconds += time.perf_counter() - started
            clock.calls += 1
            return result

        Kiwi.tokenize = tokenize  # type: ignore[method-assign]
        try:
            yield self
        finally:
            Kiwi.tokenize = original  # type: ignore[method-assign]


def glossary_path() -> Path | None:
    """The glossary ``indexer.py`` would use (its default), so builds match the operator's."""
    from indexer import resolve_glossary

    return resolve_glossary(None)


def raw_kiwi_speed(batches: list[list[str]]) -> dict:
    """Kiwi alone on the same batches: seconds and Korean characters per second."""
    from kb.analysis.korean import kiwi

    instance = kiwi()
    chars = sum(len(t) for batch in batches for t in batch)
    started = time.perf_counter()
    for batch in batches:
        list(instance.tokenize(batch))
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "chars": chars, "chars_per_s": chars / seconds if seconds else 0}


def child_kiwi_share(content: str, out: str) -> dict:
    """Build ``content`` with a clock on Kiwi; model load, build, tokenize seconds; raw speed."""
    import kb
    from kb.analysis.korean import kiwi

    started = time.perf_counter()
    kiwi()
    load_s = time.perf_counter() - started
    with KiwiClock().installed() as clock:
        started = time.perf_counter()
        kb.build_index(content, out, glossary=glossary_path())
        build_s = time.perf_counter() - started
    batched_chars = sum(len(t) for batch in clock.batches for t in batch)
    return {
        "model_load_s": load_s,
        "build_s": build_s,
        "tokenize_s": clock.seconds,
        "tokenize_calls": clock.calls,
        "batched_chars": batched_chars,
        "single_call_chars": clock.single_chars,
        "tokenize_share_of_build": clock.seconds / build_s,
        "tokenize_share_with_load": (clock.seconds + load_s) / (build_s + load_s),
        "build_ko_chars_per_s_in_kiwi": batched_chars / clock.seconds if clock.seconds else 0,
        "raw": raw_kiwi_speed(clock.batches),
    }


def frame_key(frame: Any) -> str:
    """``file:function`` of a pyinstrument frame."""
    return f"{frame.file_path_short or '?'}:{frame.function}"


def hot_tree(root: Any, total: float) -> list[dict]:
    """Frames holding at least MIN_SHARE of the time, depth-first (an indented call tree);
    repeated calls from the same caller are merged, as pyinstrument's own renderers do."""
    rows: list[dict] = []

    def visit(frames: list[Any], depth: int) -> None:
        """Add the merged ``frames`` and, recursively, their callees."""
        spent = sum(f.time for f in frames)
        if spent < MIN_SHARE * total or depth > MAX_DEPTH:
            return
        rows.append(
            {
                "depth": depth,
                "where": frame_key(frames[0]),
                "seconds": round(spent, 3),
                "share": round(spent / total, 3),
                "self_share": round(sum(f.total_self_time for f in frames) / total, 3),
            }
        )
        groups: dict[str, list[Any]] = defaultdict(list)
        for frame in frames:
            for child in frame.children:
                if not child.is_synthetic:
                    groups[frame_key(child)].append(child)
        for group in sorted(groups.values(), key=lambda g: -sum(f.time for f in g)):
            visit(group, depth + 1)

    visit([root], 0)
    return rows


def self_times(root: Any, total: float) -> list[dict]:
    """Functions by their own (self) time, summed over every call site, largest first."""
    own: dict[str, float] = defaultdict(float)
    stack = [root]
    while stack:
        frame = stack.pop()
        stack.extend(frame.children)
        if not frame.is_synthetic:
            own[frame_key(frame)] += frame.total_self_time
    ranked = sorted(own.items(), key=lambda item: -item[1])[:TOP_SELF]
    return [{"where": k, "seconds": round(v, 3), "share": round(v / total, 3)} for k, v in ranked]


def profiled(action: Callable[[], object]) -> dict:
    """Run ``action`` under pyinstrument; the call tree and the self-time ranking."""
    import kiwipiepy  # noqa: F401  (must be imported before profiling starts)
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.001)
    profiler.start()
    action()
    profiler.stop()
    root = profiler.last_session.root_frame()
    total = root.time if root is not None else 0.0
    if root is None or not total:
        return {"seconds": 0.0, "tree": [], "self": []}
    tree, own = hot_tree(root, total), self_times(root, total)
    return {"seconds": round(total, 3), "tree": tree, "self": own}


def child_profile_build(content: str, out: str) -> dict:
    """pyinstrument over a full build (the Kiwi model loaded first, outside the profile)."""
    import kb
    from kb.analysis.korean import kiwi

    kiwi()
    return profiled(lambda: kb.build_index(content, out, glossary=glossary_path()))


def child_profile_update(content: str, index: str) -> dict:
    """pyinstrument over one incremental update; the Kiwi model is loaded (and timed) first,
    since making a Kiwi instance under the profiler crashes."""
    import kb
    from kb.analysis.korean import kiwi

    started = time.perf_counter()
    kiwi()
    load_s = time.perf_counter() - started
    result = profiled(lambda: kb.update_index(content, index, glossary=glossary_path()))
    return {**result, "model_load_s": round(load_s, 3)}


def child_profile_search(index: str) -> dict:
    """pyinstrument over one pass of the query mix and one of the prefix mix, after warm-up."""
    import kb
    from bench.perf.queries import prefix_mix, query_mix

    ix = kb.open_index(index)

    def one_pass() -> None:
        """Every query of the mix once."""
        for q in query_mix():
            kb.search(ix, q.text, q.locale)

    def suggest_pass() -> None:
        """Every prefix of the mix once."""
        for p in prefix_mix():
            kb.suggest(ix, p.text, "ko")

    one_pass()
    suggest_pass()
    return {"search": profiled(one_pass), "suggest": profiled(suggest_pass)}


def measure_kiwi_share(corpus: Corpus) -> dict:
    """The Kiwi share of a build of ``corpus`` (fresh process) and Kiwi's raw speed."""
    return build_in_child("child_kiwi_share", corpus, "kiwi-share")


def measure_build_profile(corpus: Corpus) -> dict:
    """Hot spots of a full build of ``corpus``."""
    return build_in_child("child_profile_build", corpus, "build")


def build_in_child(child: str, corpus: Corpus, scratch: str) -> dict:
    """``child`` building ``corpus`` into a scratch folder (removed before and after)."""
    out = WORK / "profile" / scratch
    shutil.rmtree(out, ignore_errors=True)
    args = {"content": str(corpus.path), "out": str(out)}
    result = run_child(f"bench.perf.profiles:{child}", args).result
    shutil.rmtree(out, ignore_errors=True)
    return result


def measure_update_profile(corpus: Corpus, index: Path) -> dict:
    """Hot spots of a one-article update of a copy of ``corpus`` and its index."""
    from bench.perf.indexing import edit_articles

    work = WORK / "profile" / "update"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(corpus.path, work / "content")
    shutil.copytree(index, work / "index", symlinks=True)
    folders = list(article_folders(Corpus(**{**corpus.__dict__, "path": work / "content"})))
    edit_articles(folders[:1], 99)
    args = {"content": str(work / "content"), "index": str(work / "index")}
    result = run_child("bench.perf.profiles:child_profile_update", args).result
    shutil.rmtree(work, ignore_errors=True)
    return result


def measure_search_profile(index: Path) -> dict:
    """Hot spots of the search and suggest mixes."""
    return run_child("bench.perf.profiles:child_profile_search", {"index": str(index)}).result
