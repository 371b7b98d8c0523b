"""Where the time goes: a build's share in Kiwi, Kiwi's raw speed, and pyinstrument hot spots.

* ``child_kiwi_share``: a build with ``Kiwi.tokenize`` wrapped by a clock (no profiler, so no
  distortion), then the very same Kiwi batches tokenized again alone (Kiwi's raw speed).
* ``child_profile_*``: pyinstrument on a build, an update, or the search and suggest mixes,
  stored as pyinstrument's own console renderings (call tree, flat self time, flat total time).
  The Kiwi model is loaded before the profiler starts (importing kiwipiepy or making a Kiwi
  instance under a profiler crashes).
  Kiwi analyses each batch in a background thread while the previous batch is written, so the
  main thread's profile shows it only as waits (``Future.result``) in
  ``kb/index.py:_add_articles``.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.perf.corpora import Corpus, article_folders
from bench.perf.paths import WORK
from bench.perf.procs import run_child
from bench.perf.results import KiwiShare, Profile, SearchProfiles

SHOWN_SHARE = 0.04  # frames below this share of the profile are left out
TOP_SELF = 10  # lines of the self-time ranking kept
WHOOSH_FILES = r".*/whoosh/.*"
OWN_FRAME = re.compile(r"\s(kb/\S+)$")  # a flat line's location: a kb/ file


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
    """The glossary ``indexer.py`` would use (the settings registry), so builds match the
    operator's."""
    import os

    from kb.settings import default_instance_path, resolve_settings

    return resolve_settings(os.environ, default_instance_path()).KB_GLOSSARY


def raw_kiwi_speed(batches: list[list[str]]) -> dict:
    """Kiwi alone on the same batches: seconds and Korean characters per second."""
    from kb.analysis import batch_model

    instance = batch_model().kiwi  # the model builds use (threaded: batches on every core)
    chars = sum(len(t) for batch in batches for t in batch)
    started = time.perf_counter()
    for batch in batches:
        list(instance.tokenize(batch))
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "chars": chars, "chars_per_s": chars / seconds if seconds else 0}


def child_kiwi_share(content: str, out: str) -> KiwiShare:
    """Build ``content`` with a clock on Kiwi; model load, build, tokenize seconds; raw speed."""
    import kb
    from kb.analysis import batch_model

    started = time.perf_counter()
    batch_model().kiwi  # noqa: B018 (loaded here, outside what is measured)
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


def render(session: Any, **options: Any) -> str:
    """``session`` as pyinstrument's console renderer draws it (shares of the total), without
    its banner; Whoosh's frames are shown, not folded away as a library's."""
    from pyinstrument.renderers import ConsoleRenderer

    class Plain(ConsoleRenderer):
        """The console renderer without the banner (the report gives the wall time)."""

        def render_preamble(self, session: Any) -> str:
            """Nothing: the banner names the machine's time and the child's command line."""
            return ""

    processor_options = {"filter_threshold": SHOWN_SHARE, "show_regex": WHOOSH_FILES}
    renderer = Plain(time="percent_of_total", processor_options=processor_options, **options)
    return renderer.render(session).strip("\n")


def profiled(action: Callable[[], object]) -> Profile:
    """Run ``action`` under pyinstrument; its call tree, self times and kb frames by total."""
    import kiwipiepy  # noqa: F401  (must be imported before profiling starts)
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.001)
    profiler.start()
    action()
    session = profiler.stop()
    by_total = render(session, flat=True, flat_time="total").splitlines()
    return {
        "seconds": round(session.duration, 3),
        "call_tree": render(session),
        "self_time": "\n".join(render(session, flat=True).splitlines()[:TOP_SELF]),
        "kb_total": "\n".join(line for line in by_total if OWN_FRAME.search(line)),
    }


def child_profile_build(content: str, out: str) -> Profile:
    """pyinstrument over a full build (the Kiwi model loaded first, outside the profile)."""
    import kb
    from kb.analysis import batch_model

    batch_model().kiwi  # noqa: B018 (loaded here, outside what is measured)
    return profiled(lambda: kb.build_index(content, out, glossary=glossary_path()))


def child_profile_update(content: str, index: str) -> Profile:
    """pyinstrument over one incremental update; the Kiwi model is loaded (and timed) first,
    since making a Kiwi instance under the profiler crashes."""
    import kb
    from kb.analysis import batch_model

    started = time.perf_counter()
    batch_model().kiwi  # noqa: B018 (loaded here, outside what is measured)
    load_s = time.perf_counter() - started
    result = profiled(lambda: kb.update_index(content, index, glossary=glossary_path()))
    return {**result, "model_load_s": round(load_s, 3)}


def child_profile_search(index: str) -> SearchProfiles:
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


def measure_kiwi_share(corpus: Corpus) -> KiwiShare:
    """The Kiwi share of a build of ``corpus`` (fresh process) and Kiwi's raw speed."""
    return build_in_child("child_kiwi_share", corpus, "kiwi-share")


def measure_build_profile(corpus: Corpus) -> Profile:
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


def measure_update_profile(corpus: Corpus, index: Path) -> Profile:
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


def measure_search_profile(index: Path) -> SearchProfiles:
    """Hot spots of the search and suggest mixes."""
    return run_child("bench.perf.profiles:child_profile_search", {"index": str(index)}).result
