"""People within one document: a person introduced by full name ("Norman Lamb", or "Mr Parsa" known to the
gazetteer as Ali Parsa) gives later short references their canonical name: "Mr Lamb", "Lamb", "Paul", "Sir Chris".
A bare given name is the person introduced with it nearest before it, never a canonical name of its own; the
variants of a given name ("Steve" for Stephen, data/given_name_variants.yaml) count too.
"""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass, field, replace
from typing import AbstractSet, Iterable, Mapping, Sequence

import numpy as np
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from nhsx.nlp.abbreviations import Definition
from nhsx.nlp.resolver.selection import Candidate
from nhsx.nlp.rules.cues import load_resource
from nhsx.nlp.spans import covered_tokens, is_name_like, positions_of

Variants = Mapping[str, frozenset[str]]


@dataclass
class PeopleRegistry:
    """Name part -> canonical full names, with where each person is first mentioned."""

    parts: dict[str, set[str]] = field(default_factory=dict)
    first_seen: dict[str, int] = field(default_factory=dict)

    def add(self, part: str, canonical: str, position: int) -> None:
        self.parts.setdefault(part, set()).add(canonical)
        self.first_seen[canonical] = min(position, self.first_seen.get(canonical, position))

    def unique(self, part: str) -> str | None:
        owners = self.parts.get(part, set())
        return next(iter(owners)) if len(owners) == 1 else None


def _name_parts(text: str) -> list[str]:
    words = text.replace("-", " ").split()
    return [w for w in words if w[:1].isupper()]


def build_registry(people: Iterable[Candidate], doc: Doc, multi_token_only: bool) -> PeopleRegistry:
    registry = PeopleRegistry()
    for cand in people:
        if len(cand.canonical.split()) < 2 or (multi_token_only and cand.length < 2):
            continue
        surface = doc[cand.start : cand.end].text
        parts = _name_parts(cand.canonical) + _name_parts(surface)
        for part in (parts[0], parts[-1], *_name_parts(surface)):
            registry.add(part, cand.canonical, cand.start)
    return registry


def _first_name(text: str) -> str | None:
    parts = _name_parts(text)
    return parts[0] if len(parts) >= 2 else None


@functools.lru_cache(maxsize=1)
def given_name_variants() -> Variants:
    """Given name -> the names it is also written as, both ways ("Stephen" <-> "Steve"), from
    nhsx/data/given_name_variants.yaml. Read once per process; treat as read-only."""
    found: dict[str, set[str]] = {}
    for formal, short_forms in load_resource("given_name_variants.yaml").items():
        for short in short_forms:
            found.setdefault(formal, set()).add(short)
            found.setdefault(short, set()).add(formal)
    return {name: frozenset(others) for name, others in found.items()}


@dataclass
class GivenNames:
    """Given name -> the people introduced with it by full name, in document order. A bare given
    name ("Robert", "Sir Robert") is the person so named nearest before it: two Roberts may share one.
    A person is also known by the variants of their given name ("Stephen" as "Steve"), after those
    introduced with the very name."""

    # name -> (start, canonical) where the person it names changes, in document order; the very name, then variants
    literal: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    variant: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    owners: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, people: Iterable[Candidate], doc: Doc, variants: Variants | None = None) -> GivenNames:
        given, variants = cls(), variants or {}
        names_of: dict[tuple[str, str], tuple[set[str], set[str]]] = {}  # (canonical, first word) -> names
        for cand in sorted(people, key=lambda c: c.start):
            if cand.length < 2 or " " not in cand.canonical:
                continue
            key = (cand.canonical, doc[cand.start].text)
            if key not in names_of:
                names = {n for n in (_first_name(key[0]), key[1] if key[1].istitle() else None) if n is not None}
                names_of[key] = (names, {v for n in names for v in variants.get(n, ())} - names)
            literal, variant = names_of[key]
            for name in literal:
                given._add(given.literal, name, cand)
            for name in variant:
                given._add(given.variant, name, cand)
        return given

    def _add(self, table: dict[str, list[tuple[int, str]]], name: str, cand: Candidate) -> None:
        intros = table.setdefault(name, [])
        if not intros or intros[-1][1] != cand.canonical:  # the nearest before any later point is unchanged
            intros.append((cand.start, cand.canonical))
        self.owners.setdefault(name, set()).add(cand.canonical)

    @property
    def names(self) -> set[str]:
        return set(self.owners)

    def __contains__(self, name: str) -> bool:
        return name in self.owners

    def introduced_before(self, name: str, position: int) -> bool:
        return any(intros[0][0] < position for table in (self.literal, self.variant) if (intros := table.get(name)))

    def nearest(self, name: str, position: int) -> str | None:
        """Who a bare ``name`` at ``position`` is: the nearest person introduced before it (with the
        very name if any, else with a variant of it), else the only one introduced anywhere, else nobody."""
        for table in (self.literal, self.variant):
            intros = table.get(name)
            if intros and (k := bisect.bisect_left(intros, (position, ""))) > 0:
                return intros[k - 1][1]
        owners = self.owners.get(name, ())
        return next(iter(owners)) if len(owners) == 1 else None


def merge_name_variants(people: Sequence[Candidate], variants: Variants) -> dict[str, str]:
    """ "Stephen Okafor" and later "Steve Okafor" are one person: full names with the same surname whose
    given names are variants of each other. Canonical -> the name they all take: the gazetteer's, when
    exactly one of them is a gazetteer person, else the one written first."""
    first: dict[str, Candidate] = {}
    for cand in sorted(people, key=lambda c: c.start):
        if cand.length >= 2 and len(_name_parts(cand.canonical)) >= 2:
            first.setdefault(cand.canonical, cand)
    names = list(first)
    merged: dict[str, str] = {}
    for i, name in enumerate(names):
        given, *_, last = _name_parts(name)
        same = [
            other
            for other in names[:i]
            if _name_parts(other)[-1] == last and _name_parts(other)[0] in variants.get(given, ())
        ]
        if not same:
            continue
        group = {merged.get(other, other) for other in same} | {name}
        known = {g for g in group if first[g].entry_id}
        target = next(iter(known)) if len(known) == 1 else None if known else merged.get(same[0], same[0])
        if target is not None:
            for member_name in group | {k for k, v in merged.items() if v in group}:
                merged[member_name] = target
    return {k: v for k, v in merged.items() if k != v}


# Titles written before a given name, not a surname: "Sir Robert" is Sir Robert Francis.
GIVEN_NAME_TITLES = frozenset({"Sir", "Dame"})


# Titles written before a surname: "Mr Paul" is somebody surnamed Paul, not Paul Corrigan.
SURNAME_TITLES = frozenset({"Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Miss", "Mx", "Mx."})


def _title_before(doc: Doc, i: int) -> str:
    k = i - 1
    while k >= 0 and doc[k].is_space:
        k -= 1
    return doc[k].text if k >= 0 else ""


def _after_given_name_title(doc: Doc, i: int) -> bool:
    return _title_before(doc, i) in GIVEN_NAME_TITLES


def _surnames(people: Iterable[Candidate]) -> dict[str, set[str]]:
    """Surname -> the people introduced by full name with it."""
    found: dict[str, set[str]] = {}
    for canonical in {c.canonical for c in people if c.length >= 2}:
        if len(parts := _name_parts(canonical)) >= 2:
            found.setdefault(parts[-1], set()).add(canonical)
    return found


def _link_single(
    doc: Doc, i: int, registry: PeopleRegistry, given: GivenNames, surnames: dict[str, set[str]]
) -> str | None:
    """The full name a one-word mention at ``i`` stands for, if the document says: after "Sir" or
    "Dame" a given name, otherwise a surname first ("Mr Thomas" is Colin Thomas, not Thomas Lyle)."""
    text = doc[i].text
    if text in given and _after_given_name_title(doc, i):
        return given.nearest(text, i)
    if text in surnames:
        owners = surnames[text]
        return next(iter(owners)) if len(owners) == 1 else None
    if text in given:
        return None if _title_before(doc, i) in SURNAME_TITLES else given.nearest(text, i)
    return registry.unique(text)


def _relink(
    cand: Candidate, doc: Doc, registry: PeopleRegistry, given: GivenNames, surnames: dict[str, set[str]]
) -> Candidate | None:
    """A one-word person mention linked to the full name the document gave it; None when it is a bare
    given name the document gives to nobody it can tell ("Robert" is never a person's canonical name)."""
    if cand.label != "PERSON" or not (cand.length == 1 or _peer_with_place(doc, cand)):
        return cand
    canonical = _link_single(doc, cand.start, registry, given, surnames)
    if canonical is None:
        text = doc[cand.start].text
        bare_given = len(cand.canonical.split()) == 1 and (
            (text in given and text not in surnames and _title_before(doc, cand.start) not in SURNAME_TITLES)
            or _after_given_name_title(doc, cand.start)
        )
        return None if bare_given else cand
    if canonical == cand.canonical:
        return cand
    return linked(cand, canonical)


def _peer_with_place(doc: Doc, cand: Candidate) -> bool:
    """ "Carlile of Berriew" after "Lord": a surname and the peerage's place, linked by the surname."""
    return cand.length in (3, 4) and doc[cand.start + 1].text == "of" and cand.canonical == doc[cand.start].text


def linked(cand: Candidate, canonical: str) -> Candidate:
    """A person mention linked to a full name: it loses the id of what it matched (the gazetteer id of
    the person it now names is set by ``with_entry_ids``)."""
    return replace(cand, canonical=canonical, entry_id=None, source="resolution")


def _bare_references(
    doc: Doc,
    registry: PeopleRegistry,
    given: GivenNames,
    surnames: dict[str, set[str]],
    covered: np.ndarray,
    stop_words: frozenset[str],
    first_names: frozenset[str],
    variants: Variants,
) -> list[Candidate]:
    # a variant stands alone only when it is a known first name ("Andy" for Andrew); an ordinary word
    # ("Bill", "Will") needs a title before it ("Sir Bill")
    alone = {p for p in registry.parts if p not in stop_words}
    alone |= {g for g in given.names if (g in given.literal or g in first_names) and g not in stop_words}
    keys = alone | given.names
    if not keys:
        return []
    found = []
    for i in positions_of(doc, keys, covered):
        if doc[i].text not in alone and not _after_given_name_title(doc, i):
            continue
        canonical = _link_single(doc, i, registry, given, surnames)
        if canonical is None or i < registry.first_seen.get(canonical, len(doc)):
            continue
        if i > 0 and not covered[i - 1] and doc[i - 1].text in _given_forms(canonical, variants) - {doc[i].text}:
            # "Bill Grayson" after William Grayson: the person's given name, or a variant of it, before the surname
            found.append(Candidate(i - 1, i + 1, "PERSON", canonical, None, False, "resolution"))
            continue
        # part of a longer capitalised name ("Paul Mason" is not "Paul" Corrigan); a sentence opener
        # that is no given name is not, before a given name ("Afterwards Paul said"); before a surname
        # it may be an unlisted given name ("Ayodeji Okafor")
        opener = doc[i].text in given and doc[i].text not in surnames and _opener(doc, i - 1, first_names)
        before = is_name_like(doc, i - 1) and not doc[i].is_sent_start and not opener
        if is_name_like(doc, i + 1) or before:
            continue
        found.append(Candidate(i, i + 1, "PERSON", canonical, None, False, "resolution"))
    return found


def _given_forms(canonical: str, variants: Variants) -> set[str]:
    given = _name_parts(canonical)[0]
    return {given, *variants.get(given, ())}


def _opener(doc: Doc, i: int, first_names: frozenset[str]) -> bool:
    """A capitalised word opening a sentence that is not a given name ("Later", "Afterwards")."""
    return bool(doc[i].is_sent_start) and doc[i].text not in first_names


def _trim_sentence_openers(
    doc: Doc, people: Sequence[Candidate], first_names: frozenset[str], variants: Variants
) -> dict[int, Candidate]:
    """ "Later Robert added", after Robert Francis is named: a capitalised sentence opener that is not a
    given name, before the given name of a person named earlier, is not part of a name. Start -> the
    trimmed mention, for each such two-word mention a rule found."""
    openers = [c for c in people if c.source == "rule" and c.length == 2 and _opener(doc, c.start, first_names)]
    if not openers:
        return {}
    given, trimmed = GivenNames.of(people, doc, variants), {}
    surnames = _surnames([c for c in people if c not in openers])
    for cand in openers:
        name = doc[cand.start + 1].text
        if name in surnames:
            continue  # "Ayodeji Thomas said" after Colin Thomas: not Thomas Lyle's given name
        if (canonical := given.nearest(name, cand.start)) is not None and given.introduced_before(name, cand.start):
            trimmed[cand.start] = linked(replace(cand, start=cand.start + 1), canonical)
    return trimmed


def _initials_and_surname(text: str) -> tuple[str, str] | None:
    """ "D Brown", "L J Patterson", "R. Moore" -> (first initial, surname); None for any other name."""
    words = text.replace(".", " ").split()
    if len(words) < 2 or not all(len(w) == 1 and w.isupper() for w in words[:-1]) or len(words[-1]) < 2:
        return None
    return words[0], words[-1]


def link_initialled_names(people: Sequence[Candidate], doc: Doc) -> dict[int, str]:
    """ "D Brown" after "Councillor David Brown": a name written as initials and a surname is the one person
    the document names in full with that surname and a given name of that initial. Start -> canonical."""
    full: dict[tuple[str, str], set[str]] = {}
    for cand in people:
        parts = _name_parts(cand.canonical)
        if len(parts) >= 2 and len(parts[0]) > 1 and _initials_and_surname(cand.canonical) is None:
            full.setdefault((parts[0][0], parts[-1]), set()).add(cand.canonical)
    if not full:
        return {}
    found = {}
    for cand in people:
        key = _initials_and_surname(doc[cand.start : cand.end].text)
        owners = full.get(key, set()) if key else set()
        if len(owners) == 1:
            found[cand.start] = next(iter(owners))
    return found


def drop_people_in_defined_terms(
    doc: Doc, chosen: Sequence[Candidate], definitions: Sequence[Definition]
) -> list[Candidate]:
    """ "Patient Reported Experience Measures (PREMs)": capitalised words inside a longer term the text defines
    are not a person. A name that is the whole long form ("Jo Bloggs (JB)") stays."""
    if not definitions:
        return list(chosen)
    longs = sorted((d.long_start, d.long_end) for d in definitions)
    starts = [start for start, _ in longs]

    def inside(cand: Candidate) -> bool:
        start, end = doc[cand.start].idx, doc[cand.end - 1].idx + len(doc[cand.end - 1])
        k = bisect.bisect_right(starts, start)  # long forms are short: only those starting just before count
        return any(end <= e and (s, e) != (start, end) for s, e in longs[max(0, k - 8) : k])

    return [c for c in chosen if c.label != "PERSON" or not inside(c)]


def resolve_people(
    doc: Doc,
    chosen: Sequence[Candidate],
    stop_words: frozenset[str] = frozenset(),
    first_names: frozenset[str] = frozenset(),
    variants: Variants | None = None,
) -> list[Candidate]:
    """Relink short person mentions to full names in the document and add bare-name references."""
    people = [c for c in chosen if c.label == "PERSON"]
    if not people:
        return list(chosen)
    variants = variants or {}
    if renamed := merge_name_variants(people, variants):
        chosen = [
            linked(c, renamed[c.canonical]) if c.label == "PERSON" and c.canonical in renamed else c for c in chosen
        ]
        people = [c for c in chosen if c.label == "PERSON"]
    trimmed = _trim_sentence_openers(doc, people, first_names, variants)
    if trimmed:
        chosen = [trimmed.get(c.start, c) if c.label == "PERSON" else c for c in chosen]
        people = [c for c in chosen if c.label == "PERSON"]
    if initialled := link_initialled_names(people, doc):
        chosen = [
            linked(c, initialled[c.start]) if c.label == "PERSON" and c.start in initialled else c for c in chosen
        ]
        people = [c for c in chosen if c.label == "PERSON"]
    introduced = build_registry(people, doc, multi_token_only=True)
    given = GivenNames.of(people, doc, variants)
    surnames = _surnames(people)
    relinked = [r for c in chosen if (r := _relink(c, doc, introduced, given, surnames)) is not None]
    registry = build_registry([c for c in relinked if c.label == "PERSON"], doc, multi_token_only=False)
    extra = _bare_references(
        doc, registry, given, surnames, covered_tokens(doc, relinked), stop_words, first_names, variants
    )
    return sorted(relinked + extra, key=lambda c: c.start)


def with_entry_ids(cands: Sequence[Candidate], ids_by_canonical: dict[str, str]) -> list[Candidate]:
    """Resolved mentions take the gazetteer id of the person they were linked to."""
    return [
        replace(c, entry_id=ids_by_canonical[c.canonical])
        if c.label == "PERSON" and ids_by_canonical.get(c.canonical, c.entry_id) != c.entry_id
        else c
        for c in cands
    ]


def _initials_of(canonical: str) -> set[str]:
    """The initials a person may be written as: first and last name ("RM"), with the middle ones too."""
    parts = _name_parts(canonical)
    if len(parts) < 2 or any(len(p.rstrip(".")) < 2 for p in parts):
        return set()
    # an English word in capitals ("ON" for Oliver Neal, in "HELD ON THURSDAY") is not taken for initials
    return {i for i in (parts[0][0] + parts[-1][0], "".join(p[0] for p in parts)) if i.lower() not in STOP_WORDS}


def initials_definitions(
    doc: Doc, people: Sequence[Candidate], defined: Sequence[Definition], known: AbstractSet[str]
) -> list[Definition]:
    """ "(BA in the absence of RM)" in minutes listing Bashir Arif and Robert Moore: capitals that are the
    initials of exactly one person named in full stand for that person. One definition per such initialism,
    at its first use; never for an acronym nhsx knows or the text defines."""
    owners: dict[str, dict[str, Candidate]] = {}
    for cand in people:
        if cand.label == "PERSON" and cand.length >= 2:
            for initials in _initials_of(cand.canonical) - known:
                owners.setdefault(initials, {}).setdefault(cand.canonical, cand)
    unique = {k: next(iter(v.values())) for k, v in owners.items() if len(v) == 1}
    for definition in defined:
        unique.pop(definition.short, None)
    found: dict[str, Definition] = {}
    for i in positions_of(doc, unique) if unique else []:
        short, person = doc[i].text, unique[doc[i].text]
        if short not in found:
            end = doc[person.end - 1].idx + len(doc[person.end - 1])
            found[short] = Definition(
                short, person.canonical, doc[i].idx, doc[i].idx + len(short), doc[person.start].idx, end
            )
    return list(found.values())
