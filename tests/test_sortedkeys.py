"""Packed sorted keys (kb.sortedkeys): the prefix lookups completions and 초성 search make."""

from __future__ import annotations

import random

import pytest

from kb.sortedkeys import SortedKeys

ALPHABET = "abㄱㄴㅏㅓ가나😀 "  # Latin, jamo, syllables, a character beyond U+FFFF, a space


@pytest.fixture
def keys() -> list[str]:
    rnd = random.Random(3)
    words = ["".join(rnd.choices(ALPHABET, k=rnd.randint(0, 6))) for _ in range(2000)]
    return sorted(words)


def test_every_prefix_finds_exactly_the_keys_that_start_with_it(keys: list[str]) -> None:
    packed = SortedKeys(keys)
    assert len(packed) == len(keys) and list(packed) == keys
    prefixes = {key[:n] for key in keys[::7] for n in range(4)} | {"c", "😀😀", "나a", "\uffff"}
    for prefix in prefixes:
        found = packed.prefixed(prefix)
        assert [packed[i] for i in found] == [k for k in keys if k.startswith(prefix)], prefix
        assert all(keys[i].startswith(prefix) for i in found)


def test_keys_read_back_by_position(keys: list[str]) -> None:
    packed = SortedKeys(keys)
    assert packed[-1] == keys[-1] and packed[10:15] == keys[10:15]
    with pytest.raises(IndexError):
        packed[len(keys)]
    assert list(SortedKeys([])) == [] and SortedKeys([]).prefixed("a") == range(0)
