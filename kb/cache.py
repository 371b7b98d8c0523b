"""Values derived from one index build, made on first use and kept as long as the build is open.

A build never changes, so what is computed from it (completion tables, spelling indexes, 초성
titles) stays valid for its lifetime; keying on the snapshot lets a swapped-out build and its
values be freed. So a value must not refer to its owner, or only weakly.
"""

from __future__ import annotations

import functools
import pickle
import threading
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar
from weakref import WeakKeyDictionary

V = TypeVar("V")


class PerBuild(Generic[V]):
    """``make(owner, *args)`` run once per owner (an ``IndexSnapshot``) and arguments,
    whichever thread asks first."""

    def __init__(self, make: Callable[..., V]):
        functools.update_wrapper(self, make)
        self._make = make
        self._made: WeakKeyDictionary[Any, dict[tuple[Hashable, ...], V]] = WeakKeyDictionary()
        self._lock = threading.Lock()

    def __call__(self, owner: Any, *args: Hashable) -> V:
        with self._lock:
            values = self._made.setdefault(owner, {})
            if args not in values:
                values[args] = self._make(owner, *args)
            return values[args]

    def peek(self, owner: Any, *args: Hashable) -> V | None:
        """The value if it was made, without waiting for one being made now (no lock: a
        dictionary lookup is atomic under the GIL)."""
        return self._made.get(owner, {}).get(args)


def per_build(make: Callable[..., V]) -> PerBuild[V]:
    """Decorate ``make(owner, *args)`` to run once per build (see :class:`PerBuild`)."""
    return PerBuild(make)


def repacked(make: Callable[..., V]) -> Callable[..., V]:
    """``make``, its value pickled as made and unpickled once all the making allocated is
    freed. Python returns freed small objects' memory to the system only by whole 1 MiB
    arenas: a value whose small objects were allocated last, amid a making's short-lived
    ones (every stored article read), keeps those arenas in every server worker. Read back
    afterwards, its objects sit together (the article lists at 10,000 articles: 24 → 8 MiB)."""

    @functools.wraps(make)
    def made(*args: Any) -> V:
        value: V = pickle.loads(_pickled(make, args))
        return value

    return made


def _pickled(make: Callable[..., object], args: tuple[Any, ...]) -> bytes:
    """The made value as bytes, in a frame of its own: the value (and all the making left) is
    freed when this returns, before anything is read back."""
    return pickle.dumps(make(*args), protocol=pickle.HIGHEST_PROTOCOL)
