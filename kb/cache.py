"""Values derived from one index build, made on first use and kept as long as the build is open.

A build never changes, so what is computed from it (completion tables, spelling indexes, 초성
titles) stays valid for its lifetime; keying on the snapshot lets a swapped-out build and its
values be freed. So a value must not refer to its owner, or only weakly.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

V = TypeVar("V")


def per_build(make: Callable[..., V]) -> Callable[..., V]:
    """``make(owner, *args)`` run once per owner (an ``IndexSnapshot``) and arguments,
    whichever thread asks first."""
    made: WeakKeyDictionary[Any, dict[tuple[Hashable, ...], V]] = WeakKeyDictionary()
    lock = threading.Lock()

    @functools.wraps(make)
    def cached(owner: Any, *args: Hashable) -> V:
        with lock:
            values = made.setdefault(owner, {})
            if args not in values:
                values[args] = make(owner, *args)
            return values[args]

    return cached
