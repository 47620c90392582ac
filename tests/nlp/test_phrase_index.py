"""The token-id phrase index finds exactly what a naive search finds."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from nhsx.nlp.phrase_index import PhraseIndex, combine

tokens = st.integers(min_value=1, max_value=6)  # a tiny alphabet makes overlaps and shared prefixes common
phrases = st.lists(st.lists(tokens, min_size=1, max_size=4), min_size=1, max_size=12)


def naive(patterns: list[list[int]], ids: list[int]) -> set[tuple[str, int, int]]:
    found = set()
    for n, pattern in enumerate(patterns):
        for start in range(len(ids) - len(pattern) + 1):
            if ids[start : start + len(pattern)] == pattern:
                found.add((f"p{n}", start, start + len(pattern)))
    return found


def build(patterns: list[list[int]]) -> PhraseIndex:
    index = PhraseIndex()
    for n, pattern in enumerate(patterns):
        index.add(f"p{n}", pattern)
    return index


@given(patterns=phrases, ids=st.lists(tokens, max_size=40))
def test_same_matches_as_a_naive_search(patterns, ids):
    found = set(build(patterns).find(np.array(ids, dtype=np.uint64)))
    assert found == naive(patterns, ids)


@given(patterns=phrases, ids=st.lists(tokens, max_size=20))
def test_round_trip_through_the_cache_form(patterns, ids):
    index = build(patterns)
    restored = PhraseIndex.from_lists(index.to_lists())
    array = np.array(ids, dtype=np.uint64)
    assert set(restored.find(array)) == set(index.find(array))


def test_large_hash_values_wrap_like_python():
    big = [2**64 - 1, 2**63 + 5, 17]
    index = build([big])
    assert list(index.find(np.array([3, *big, 9], dtype=np.uint64))) == [("p0", 1, 4)]
    assert 0 <= combine(big) < 2**64


def test_empty_inputs():
    assert list(PhraseIndex().find(np.array([1, 2], dtype=np.uint64))) == []
    assert PhraseIndex().find_many([np.array([1], dtype=np.uint64), np.array([], dtype=np.uint64)]) == [[], []]
    assert list(build([[1]]).find(np.array([], dtype=np.uint64))) == []


@given(
    patterns=phrases,
    docs=st.lists(st.lists(tokens, max_size=15), min_size=1, max_size=6),
)
def test_a_batch_finds_what_each_document_finds(patterns, docs):
    index = build(patterns)
    arrays = [np.array(ids, dtype=np.uint64) for ids in docs]
    assert index.find_many(arrays) == [list(index.find(a)) for a in arrays]


def test_a_phrase_never_holds_the_batch_separator():
    try:
        build([[1, 0, 2]])
    except ValueError as error:
        assert "empty" in str(error)
    else:
        raise AssertionError("a phrase with the empty string's hash was accepted")
