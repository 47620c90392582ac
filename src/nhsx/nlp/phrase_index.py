"""Exact phrase lookup over token hashes, vectorised with numpy.

spaCy's PhraseMatcher needs a Doc per pattern, and building 15,000 Docs costs a quarter of a second
at every start-up. Here a pattern is just the sequence of its tokens' hash ids (the values of
``doc.to_array(LOWER)`` or ``ORTH``, which are stable across runs), so the compiled index is a few
arrays that load from the on-disk cache in milliseconds. Matching rolls a hash over each window
length and looks the windows up with a binary search; every hit is verified token by token.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator, Sequence

import numpy as np

_PRIME = 1099511628211  # FNV-1a 64-bit prime
_MASK = (1 << 64) - 1
_SEPARATOR = np.zeros(1, dtype=np.uint64)  # the hash of the empty string: no phrase contains it


def combine(tokens: Sequence[int]) -> int:
    """The rolling hash of a token-id sequence (the same arithmetic as the numpy version)."""
    value = 0
    for token in tokens:
        value = ((value * _PRIME) & _MASK) ^ token
    return value


def member(sorted_hashes: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Boolean mask: which ``values`` occur in ``sorted_hashes`` (a binary search each: unlike
    ``np.isin``, no sort of the long word list on every call)."""
    if len(sorted_hashes) == 0:
        return np.zeros(len(values), dtype=bool)
    slots = np.minimum(np.searchsorted(sorted_hashes, values), len(sorted_hashes) - 1)
    return sorted_hashes[slots] == values


@dataclass
class _Tables:
    """Per phrase length: hashes of whole phrases, hashes of prefixes of longer phrases, hash -> phrases."""

    full: dict[int, np.ndarray]
    prefixes: dict[int, np.ndarray]
    phrases: dict[int, dict[int, list[tuple[int, ...]]]]
    longest: int


@dataclass
class PhraseIndex:
    """Token-id sequences -> keys. Build with ``add``; query with ``find`` on a doc's attribute array."""

    phrases: dict[tuple[int, ...], list[str]] = field(default_factory=dict)
    _tables: _Tables | None = None

    def add(self, key: str, tokens: Sequence[int]) -> None:
        if 0 in tokens:
            raise ValueError(f"{key}: a phrase cannot hold an empty token (hash 0 separates documents in a batch)")
        if tokens:
            self.phrases.setdefault(tuple(tokens), []).append(key)
            self._tables = None

    def __len__(self) -> int:
        return len(self.phrases)

    @property
    def tables(self) -> _Tables:
        if self._tables is None:
            by_hash: dict[int, dict[int, list[tuple[int, ...]]]] = {}
            prefixes: dict[int, set[int]] = {}
            for tokens in self.phrases:
                by_hash.setdefault(len(tokens), {}).setdefault(combine(tokens), []).append(tokens)
                for length in range(1, len(tokens)):
                    prefixes.setdefault(length, set()).add(combine(tokens[:length]))

            def array(values: Iterable[int]) -> np.ndarray:
                return np.array(sorted(values), dtype=np.uint64)

            self._tables = _Tables(
                full={n: array(table) for n, table in by_hash.items()},
                prefixes={n: array(values) for n, values in prefixes.items()},
                phrases=by_hash,
                longest=max(by_hash, default=0),
            )
        return self._tables

    def find(self, ids: np.ndarray) -> Iterator[tuple[str, int, int]]:
        """(key, start, end) for every phrase occurring in ``ids`` (a doc's token-attribute array).

        Like walking a trie from every position at once: after each extra token, only the starts
        whose window is still the prefix of some phrase are kept, so the work shrinks fast.
        """
        tables = self.tables
        ids = ids.astype(np.uint64, copy=False)
        starts = np.arange(len(ids))
        rolling = np.zeros(len(ids), dtype=np.uint64)
        prime = np.uint64(_PRIME)
        for length in range(1, tables.longest + 1):
            inside = starts + length - 1 < len(ids)
            starts, rolling = starts[inside], rolling[inside]
            if len(starts) == 0:
                return
            rolling = (rolling * prime) ^ ids[starts + length - 1]
            if length in tables.full:
                for i in np.flatnonzero(member(tables.full[length], rolling)).tolist():
                    yield from self._verified(ids, int(starts[i]), length, int(rolling[i]))
            keep = member(tables.prefixes.get(length, np.empty(0, dtype=np.uint64)), rolling)
            starts, rolling = starts[keep], rolling[keep]

    def find_many(self, arrays: Sequence[np.ndarray]) -> list[list[tuple[str, int, int]]]:
        """``find`` over several docs' arrays at once: one pass over them joined by a separator, so
        numpy's fixed cost per call is paid once per batch rather than once per document."""
        if len(arrays) == 1:
            return [list(self.find(arrays[0]))]
        offsets = np.cumsum([0] + [len(a) + 1 for a in arrays])
        joined = np.concatenate([part for a in arrays for part in (a.astype(np.uint64, copy=False), _SEPARATOR)])
        matches = list(self.find(joined))
        found: list[list[tuple[str, int, int]]] = [[] for _ in arrays]
        starts = np.array([start for _, start, _ in matches], dtype=np.int64)
        which_doc = (np.searchsorted(offsets, starts, side="right") - 1).tolist()
        doc_starts = offsets.tolist()
        for (key, start, end), which in zip(matches, which_doc):
            offset = doc_starts[which]
            found[which].append((key, start - offset, end - offset))
        return found

    def _verified(self, ids: np.ndarray, start: int, length: int, hashed: int) -> Iterator[tuple[str, int, int]]:
        window = tuple(ids[start : start + length].tolist())
        for tokens in self.tables.phrases[length].get(hashed, []):
            if tokens == window:
                for key in self.phrases[tokens]:
                    yield key, start, start + length

    def to_lists(self) -> list[list]:
        """JSON-ready form for the cache: [[tokens, keys], ...]."""
        return [[list(tokens), keys] for tokens, keys in self.phrases.items()]

    @classmethod
    def from_lists(cls, data: Iterable[list]) -> PhraseIndex:
        return cls({tuple(tokens): list(keys) for tokens, keys in data})
