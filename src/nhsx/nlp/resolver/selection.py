"""The one overlap policy: which candidate mentions survive into the output.

Gazetteer matches are placed first, then rule matches fill the gaps, then a statistical model's
entities fill what is left; within each source the longest match wins, then the earliest.
One exception, because a fuller name is better evidence than a fragment of it: a rule match that
contains only generic gazetteer matches (an ORG_TYPE such as "NHS Foundation Trust", or a person's
surname) beats them: "Barnsley Hospital NHS Foundation Trust", "Rachel Stevens" over "Stevens"; so does
an organisation's or policy's name that opens with a known one: "Better Care Fund Task Force".
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable

SOURCES = ("gazetteer", "rule", "resolution", "model")


@dataclass(frozen=True)
class Candidate:
    start: int  # token offsets, end exclusive
    end: int
    label: str
    canonical: str
    entry_id: str | None
    acronym: bool
    source: str

    @property
    def length(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Candidate) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Candidate) -> bool:
        return self.start <= other.start and other.end <= self.end and self.length > other.length

    def with_source(self, source: str, canonical: str | None = None) -> Candidate:
        return replace(self, source=source, canonical=canonical or self.canonical)


def _tier(candidate: Candidate) -> int:
    return SOURCES.index(candidate.source) if candidate.source in SOURCES else len(SOURCES)


def _is_fragment(candidate: Candidate) -> bool:
    """Gazetteer matches that a longer name may swallow: generic kinds and lone surnames."""
    return candidate.label == "ORG_TYPE" or (candidate.label == "PERSON" and candidate.length == 1)


def _opens_longer_name(cand: Candidate, inside: set[Candidate]) -> bool:
    """A known body or policy at the start of a longer titled name found by rule is part of it:
    "Better Care Fund Task Force", "Marie Curie Newcastle Hospice" (an organisation or policy name)."""
    named = ("BODY", "POLICY")
    return cand.label in named and any(g.start == cand.start and g.label in named for g in inside)


def _promote_fuller_names(candidates: list[Candidate]) -> list[Candidate]:
    """A rule match whose overlapping gazetteer matches are all fragments inside it takes the gazetteer's tier."""
    by_token: dict[int, list[Candidate]] = {}  # token -> the gazetteer matches covering it
    for g in candidates:
        if g.source == "gazetteer":
            for i in range(g.start, g.end):
                by_token.setdefault(i, []).append(g)
    promoted = []
    for cand in candidates:
        if cand.source == "rule":
            overlapping = {g for i in range(cand.start, cand.end) for g in by_token.get(i, ())}
            if (
                overlapping
                and all(cand.contains(g) for g in overlapping)
                and (all(_is_fragment(g) for g in overlapping) or _opens_longer_name(cand, overlapping))
            ):
                cand = replace(cand, source="gazetteer-rule")
        promoted.append(cand)
    return promoted


def select(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Non-overlapping mentions in document order."""
    pool = _promote_fuller_names(list(candidates))

    def rank(c: Candidate) -> tuple[int, int, int]:
        tier = 0 if c.source == "gazetteer-rule" else _tier(c)
        return (tier, -c.length, c.start)

    taken: list[Candidate] = []
    occupied: set[int] = set()
    for cand in sorted(pool, key=rank):
        if cand.length <= 0 or any(i in occupied for i in range(cand.start, cand.end)):
            continue
        if cand.source == "gazetteer-rule":
            cand = replace(cand, source="rule")
        taken.append(cand)
        occupied.update(range(cand.start, cand.end))
    return sorted(taken, key=lambda c: c.start)
