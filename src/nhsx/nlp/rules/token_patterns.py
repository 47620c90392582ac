"""Token patterns over word classes, matched outward from a trigger word.

The person rules are short sequences of word classes ("honorific+, initial?, name?, surname")
in which one edge is always a trigger word (an honorific, a first name, a role word, a speech
verb). spaCy's Matcher would try every pattern at every token and call a Python predicate for each
``IN`` list on each; here each token's classes are one bitmask, computed once per distinct word,
and a pattern is only tried from the triggers at its anchored edge. The result is what the Matcher
gives with ``greedy="LONGEST"``: every match of a rule, then the longest non-overlapping ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator, Mapping, Sequence

import numpy as np
from spacy.attrs import ORTH
from spacy.lexeme import Lexeme
from spacy.tokens import Doc

MANY = 1 << 30  # the upper bound of "+"


@dataclass(frozen=True)
class Step:
    """One token of a pattern: a word class, repeated ``low`` to ``high`` times."""

    word_class: str
    low: int = 1
    high: int = 1

    @classmethod
    def parse(cls, spec: str) -> Step:
        """ "name", "name?", "honorific+", "lower{0,3}"."""
        if spec.endswith("?"):
            return cls(spec[:-1], 0, 1)
        if spec.endswith("+"):
            return cls(spec[:-1], 1, MANY)
        if spec.endswith("}"):
            name, bounds = spec[:-1].split("{")
            low, high = bounds.split(",")
            return cls(name, int(low), int(high))
        return cls(spec)


@dataclass(frozen=True)
class TokenPattern:
    """A rule's sequence of steps; ``anchor`` is the edge ("start" or "end") that holds the trigger."""

    rule: str
    steps: tuple[Step, ...]
    anchor: str = "start"

    @classmethod
    def parse(cls, rule: str, specs: Sequence[str], anchor: str = "start") -> TokenPattern:
        return cls(rule, tuple(Step.parse(s) for s in specs), anchor)

    def anchored_step(self) -> Step:
        """The step at the anchored edge: it must match at least once, or a match could lack its trigger."""
        step = self.steps[0] if self.anchor == "start" else self.steps[-1]
        if step.low < 1:
            raise ValueError(f"{self.rule}: the anchor ({self.anchor}) step {step.word_class!r} is optional")
        return step


class WordClasses:
    """Word class tests on lexemes -> one bitmask per word, memoised by the word's hash."""

    def __init__(self, tests: Mapping[str, Callable[[Lexeme], bool]]) -> None:
        self.bits = {name: 1 << n for n, name in enumerate(tests)}
        self._tests = [(self.bits[name], test) for name, test in tests.items()]
        self._masks: dict[int, int] = {}

    def bit(self, word_class: str) -> int:
        return self.bits[word_class]

    def has(self, doc: Doc, orth: int, word_class: str) -> bool:
        """Whether the word with string id ``orth`` is of ``word_class``."""
        return bool(self._mask_of(doc, orth) & self.bits[word_class])

    def _mask_of(self, doc: Doc, orth: int) -> int:
        mask = self._masks.get(orth)
        if mask is None:
            lexeme = doc.vocab[orth]
            mask = sum(bit for bit, test in self._tests if test(lexeme))
            self._masks[orth] = mask
        return mask

    def masks(self, doc: Doc) -> np.ndarray:
        """Each token's class bitmask."""
        if not len(doc):
            return np.zeros(0, dtype=np.int64)
        words, where = np.unique(doc.to_array(ORTH), return_inverse=True)
        by_word = np.array([self._mask_of(doc, orth) for orth in words.tolist()], dtype=np.int64)
        return by_word[where.reshape(-1)]


def _reachable(masks: list[int], boundary: int, steps: Sequence[tuple[int, int, int]], direction: int) -> set[int]:
    """Boundaries reachable from ``boundary`` by consuming ``steps`` (bit, low, high) in ``direction``."""
    frontier = {boundary}
    for bit, low, high in steps:
        following = set()
        for position in frontier:
            if low == 0:
                following.add(position)
            count = 0
            while count < high:
                index = position if direction > 0 else position - 1
                if not (0 <= index < len(masks)) or not masks[index] & bit:
                    break
                position += direction
                count += 1
                if count >= low:
                    following.add(position)
        frontier = following
        if not frontier:
            break
    return frontier


def _longest(pairs: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """spaCy's LONGEST filter: longest first, then earliest; keep those overlapping nothing kept."""
    taken: list[tuple[int, int]] = []
    used: set[int] = set()
    for start, end in sorted(pairs, key=lambda p: (p[0] - p[1], p[0])):
        if not any(i in used for i in range(start, end)):
            taken.append((start, end))
            used.update(range(start, end))
    return taken


class PatternSet:
    """Rules of token patterns over one ``WordClasses``. Tokens of the ``skip`` class (a line break
    inside a name, say) are stepped over, as if absent; matches still count in the doc's tokens."""

    def __init__(self, classes: WordClasses, patterns: Sequence[TokenPattern], skip: str | None = None) -> None:
        self.classes = classes
        self.skip = classes.bit(skip) if skip else 0
        self.rules = list(dict.fromkeys(p.rule for p in patterns))
        for pattern in patterns:
            pattern.anchored_step()
        self._compiled = [
            (p.rule, p.anchor, [(classes.bit(s.word_class), s.low, s.high) for s in p.steps]) for p in patterns
        ]

    def __call__(self, doc: Doc) -> Iterator[tuple[str, int, int]]:
        """(rule, start, end) of every match, longest non-overlapping per rule, in rule order."""
        mask_array = self.classes.masks(doc)
        kept = np.flatnonzero((mask_array & self.skip) == 0) if self.skip else None
        if kept is not None and len(kept) < len(mask_array):
            for rule, start, end in self._matches(mask_array[kept]):
                yield rule, int(kept[start]), int(kept[end - 1]) + 1
        else:
            yield from self._matches(mask_array)

    def _matches(self, mask_array: np.ndarray) -> Iterator[tuple[str, int, int]]:
        masks = mask_array.tolist()
        found: dict[str, set[tuple[int, int]]] = {rule: set() for rule in self.rules}
        for rule, anchor, steps in self._compiled:
            edge = steps[0] if anchor == "start" else steps[-1]
            for trigger in np.flatnonzero(mask_array & edge[0]).tolist():
                if anchor == "start":
                    found[rule].update((trigger, end) for end in _reachable(masks, trigger, steps, 1) if end > trigger)
                else:
                    end = trigger + 1
                    found[rule].update((start, end) for start in _reachable(masks, end, steps[::-1], -1) if start < end)
        for rule in self.rules:
            for start, end in _longest(found[rule]):
                yield rule, start, end
