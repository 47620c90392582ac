"""Within-document resolution: what a document itself says about its names.

- People: a person introduced by full name ("Norman Lamb", or "Mr Parsa" known to the gazetteer
  as Ali Parsa) gives later short references their canonical name: "Mr Lamb", "Lamb", "Paul", "Sir Chris".
  A bare given name is the person introduced with it nearest before it, never a canonical name of its
  own; the variants of a given name ("Steve" for Stephen, data/given_name_variants.yaml) count too.
- Acronyms defined in the text: "Barking, Havering and Redbridge University Hospitals NHS Trust
  (BHRUT)" makes every later "BHRUT" a mention of that trust.
- Trust names written in house style: "Northumbria Healthcare FT" is one mention of the trust.
- Short names: a bare "Healthwatch" after "Healthwatch Suffolk"; "Commissioning Board" after "NHS
  Commissioning Board".
- Informal trust names found by rule take the gazetteer trust they name ("Hull University Hospitals"),
  forgiving a one-letter or singular/plural slip ("Sheffield Teaching Hospital NHS Trust").
- A known acronym in title case ("Nice" for NICE) in a document that names the body.
- A known body ending a longer coordinated name gives way to it ("Surrey and Sussex ICB").
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field, replace
from typing import AbstractSet, Iterable, Mapping, Sequence

import numpy as np
from spacy.attrs import LOWER, ORTH
from spacy.tokens import Doc

from nhsx.nlp.abbreviations import Definition
from nhsx.knowledge.gazetteer import Entry
from nhsx.nlp.phrase_index import member
from nhsx.nlp.rules import load_resource
from nhsx.nlp.selection import Candidate

Variants = Mapping[str, frozenset[str]]

# What may follow a trust's short name and still be its name: "Northumbria Healthcare FT".
TRUST_SUFFIXES = (("NHS", "Foundation", "Trust"), ("NHS", "Trust"), ("Foundation", "Trust"), ("NHS", "FT"), ("Trust",), ("FT",))


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
    def of(cls, people: Iterable[Candidate], doc: Doc, variants: Variants | None = None) -> "GivenNames":
        given, variants = cls(), variants or {}
        names_of: dict[tuple[str, str], tuple[set[str], set[str]]] = {}  # (canonical, first word) -> names
        for cand in sorted(people, key=lambda c: c.start):
            if cand.length < 2 or " " not in cand.canonical:
                continue
            key = (cand.canonical, doc[cand.start].text)
            if key not in names_of:
                names = {_first_name(key[0]), key[1] if key[1].istitle() else None} - {None}
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
            other for other in names[:i]
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
    return _linked(cand, canonical)


def _peer_with_place(doc: Doc, cand: Candidate) -> bool:
    """ "Carlile of Berriew" after "Lord": a surname and the peerage's place, linked by the surname."""
    return cand.length in (3, 4) and doc[cand.start + 1].text == "of" and cand.canonical == doc[cand.start].text


def _linked(cand: Candidate, canonical: str) -> Candidate:
    """A person mention linked to a full name: it loses the id of what it matched (the gazetteer id of
    the person it now names is set by ``with_entry_ids``)."""
    return replace(cand, canonical=canonical, entry_id=None, source="resolution")


def _is_name_like(doc: Doc, i: int) -> bool:
    return 0 <= i < len(doc) and doc[i].is_title and doc[i].is_alpha


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
    for i in _positions_of(doc, keys, covered):
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
        before = _is_name_like(doc, i - 1) and not doc[i].is_sent_start and not opener
        if _is_name_like(doc, i + 1) or before:
            continue
        found.append(Candidate(i, i + 1, "PERSON", canonical, None, False, "resolution"))
    return found


def _given_forms(canonical: str, variants: Variants) -> set[str]:
    given = _name_parts(canonical)[0]
    return {given, *variants.get(given, ())}


def _opener(doc: Doc, i: int, first_names: frozenset[str]) -> bool:
    """A capitalised word opening a sentence that is not a given name ("Later", "Afterwards")."""
    return doc[i].is_sent_start and doc[i].text not in first_names


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
            trimmed[cand.start] = _linked(replace(cand, start=cand.start + 1), canonical)
    return trimmed


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
            _linked(c, renamed[c.canonical]) if c.label == "PERSON" and c.canonical in renamed else c
            for c in chosen
        ]
        people = [c for c in chosen if c.label == "PERSON"]
    trimmed = _trim_sentence_openers(doc, people, first_names, variants)
    if trimmed:
        chosen = [trimmed.get(c.start, c) if c.label == "PERSON" else c for c in chosen]
        people = [c for c in chosen if c.label == "PERSON"]
    introduced = build_registry(people, doc, multi_token_only=True)
    given = GivenNames.of(people, doc, variants)
    surnames = _surnames(people)
    relinked = [r for c in chosen if (r := _relink(c, doc, introduced, given, surnames)) is not None]
    registry = build_registry([c for c in relinked if c.label == "PERSON"], doc, multi_token_only=False)
    extra = _bare_references(doc, registry, given, surnames, _covered(doc, relinked), stop_words, first_names, variants)
    return sorted(relinked + extra, key=lambda c: c.start)


def with_entry_ids(cands: Sequence[Candidate], ids_by_canonical: dict[str, str]) -> list[Candidate]:
    """Resolved mentions take the gazetteer id of the person they were linked to."""
    return [
        replace(c, entry_id=ids_by_canonical[c.canonical])
        if c.label == "PERSON" and ids_by_canonical.get(c.canonical, c.entry_id) != c.entry_id
        else c
        for c in cands
    ]


def _suffix_length(doc: Doc, end: int) -> int:
    for suffix in TRUST_SUFFIXES:
        if tuple(t.text for t in doc[end : end + len(suffix)]) == suffix:
            return len(suffix)
    return 0


def extend_trust_names(doc: Doc, cands: Sequence[Candidate]) -> list[Candidate]:
    """A trust matched by its short name takes a following "Trust", "Foundation Trust" or "FT" into its span."""
    extended = []
    for cand in cands:
        if cand.source == "gazetteer" and cand.label == "BODY" and cand.canonical.endswith(" Trust"):
            grow = _suffix_length(doc, cand.end)
            if grow and doc[cand.end - 1].text not in ("Trust", "FT"):
                cand = replace(cand, end=cand.end + grow)
        extended.append(cand)
    return extended


# Local systems named by their place: "NHS" written before the place belongs to the name as written
# ("NHS Gloucestershire Integrated Care System"), as it does in the boards' own names.
NHS_LED_SYSTEMS = (" Integrated Care System", " Sustainability and Transformation Partnership")


def extend_nhs_prefix(doc: Doc, cands: Sequence[Candidate]) -> list[Candidate]:
    """A local system matched by its place name takes an "NHS" right before it into its span."""
    return [
        replace(cand, start=cand.start - 1)
        if cand.source == "gazetteer"
        and cand.label == "BODY"
        and cand.canonical.endswith(NHS_LED_SYSTEMS)
        and cand.start > 0
        and doc[cand.start - 1].text == "NHS"
        and doc[cand.start].text != "NHS"
        else cand
        for cand in cands
    ]


def qualified_unknown_bodies(doc: Doc, cands: Sequence[Candidate], qualifiers: AbstractSet[str]) -> list[Candidate]:
    """ "West Norfolk PCT" where the gazetteer knows only "Norfolk PCT": a compass word before a known
    body's name makes another body, reported as written (a rule-found BODY with no entry)."""
    found = []
    for cand in cands:
        if cand.source == "gazetteer" and cand.label == "BODY" and not cand.acronym:
            start = cand.start
            while start > 0 and doc[start - 1].text in qualifiers:
                start -= 1
            if start < cand.start:
                cand = Candidate(start, cand.end, "BODY", _qualified_name(doc, start, cand), None, False, "rule")
        found.append(cand)
    return found


def _qualified_name(doc: Doc, start: int, known: Candidate) -> str:
    """The qualifier before the known body's full name when that name opens as written ("West" +
    "Norfolk Primary Care Trust" for "West Norfolk PCT"), else the longer name as written."""
    qualifier = " ".join(t.text for t in doc[start : known.start])
    if known.canonical.split()[0] == doc[known.start].text:
        return f"{qualifier} {known.canonical}"
    return " ".join(doc[start : known.end].text.split())


def kinds_named_by_place(cands: Sequence[Candidate]) -> list[Candidate]:
    """A rule-found policy name that ends in the name of a kind of organisation is a body of that kind:
    "Wessex Sustainability and Transformation Plan" is the Wessex STP (the 2016 name of the partnership),
    not the plan as a policy, because "sustainability and transformation plan" names the kind."""
    kind_spans = {(c.start, c.end) for c in cands if c.label == "ORG_TYPE" and c.source == "gazetteer"}
    if not kind_spans:
        return list(cands)
    kind_ends = {end: start for start, end in kind_spans}
    return [
        replace(cand, label="BODY")
        if cand.source == "rule" and cand.label == "POLICY" and kind_ends.get(cand.end, cand.start) > cand.start
        else cand
        for cand in cands
    ]


def _definitions(doc: Doc, chosen: Sequence[Candidate], definitions: Sequence[Definition]) -> dict[str, Candidate]:
    """Acronyms the text defines right after a named body or policy: "... NHS Trust (BHRUT)"."""
    if not definitions:
        return {}
    named = {doc[c.end - 1].idx + len(doc[c.end - 1]): c for c in chosen if c.label in ("BODY", "POLICY") and not c.acronym}
    found: dict[str, Candidate] = {}
    for definition in definitions:
        cand = named.get(definition.long_end)
        short = doc.char_span(definition.start, definition.end)
        if cand is not None and short is not None and " " not in definition.short:
            found.setdefault(definition.short, replace(cand, start=short.start, end=short.end))
    return found


def _covered(doc: Doc, chosen: Sequence[Candidate]) -> np.ndarray:
    covered = np.zeros(len(doc), dtype=bool)
    for cand in chosen:
        covered[cand.start : cand.end] = True
    return covered


def _positions_of(doc: Doc, words: Iterable[str], covered: np.ndarray | None = None) -> list[int]:
    """Token positions whose exact text is one of ``words`` and that no mention covers yet."""
    hashes = np.array(sorted({doc.vocab.strings.add(w) for w in words}), dtype="uint64")
    found = member(hashes, doc.to_array(ORTH))
    return np.flatnonzero(found if covered is None else found & ~covered).tolist()


def link_defined_acronyms(
    doc: Doc, chosen: Sequence[Candidate], text_definitions: Sequence[Definition] | None
) -> list[Candidate]:
    """Add the definition and every later use of an acronym the document defines for a named body or policy."""
    definitions = _definitions(doc, chosen, text_definitions or [])
    if not definitions:
        return list(chosen)
    forms = {form: acronym for acronym in definitions for form in (acronym, acronym + "s")}
    extra = []
    for i in _positions_of(doc, forms, _covered(doc, chosen)):
        defined = definitions[forms[doc[i].text]]
        if i >= defined.start:
            extra.append(replace(defined, start=i, end=i + 1, acronym=True, source="resolution"))
    return sorted([*chosen, *extra], key=lambda c: c.start)


def link_bare_prefixes(doc: Doc, chosen: Sequence[Candidate], prefixes: Iterable[str]) -> list[Candidate]:
    """A bare "Healthwatch" after "Healthwatch Suffolk" in the same document is Healthwatch Suffolk
    (when the document names exactly one); a bare prefix with nothing to link to is left alone."""
    owners: dict[str, set[tuple[str, str | None]]] = {}
    named_at: dict[str, int] = {}
    for cand in chosen:
        if cand.label == "BODY" and cand.length > 1 and (first := doc[cand.start].text) in prefixes:
            owners.setdefault(first, set()).add((cand.canonical, cand.entry_id))
            named_at.setdefault(first, cand.start)
    unique = {prefix: next(iter(found)) for prefix, found in owners.items() if len(found) == 1}
    if not unique:
        return list(chosen)
    extra = []
    for i in _positions_of(doc, unique, _covered(doc, chosen)):
        if i < named_at[doc[i].text] or (i + 1 < len(doc) and doc[i + 1].is_title):
            continue  # before the body is named, or the start of another name
        if i > 0 and doc[i - 1].like_num:
            continue  # "30 Healthwatch groups": the kind, not the one body
        canonical, entry_id = unique[doc[i].text]
        extra.append(Candidate(i, i + 1, "BODY", canonical, entry_id, False, "resolution"))
    return sorted([*chosen, *extra], key=lambda c: c.start)


@dataclass(frozen=True)
class BareKindHeads:
    """Families of head nouns ("consortium consortia consortiums") a kind's bare head may stand for it
    in, and the words before a bare head that make it some other kind ("PFI consortium")."""

    families: tuple[frozenset[str], ...]
    blockers: frozenset[str]

    @classmethod
    def of(cls, families: Iterable[str], blockers: Iterable[str]) -> "BareKindHeads":
        return cls(tuple(frozenset(f.split()) for f in families), frozenset(blockers))


def link_bare_kind_heads(doc: Doc, chosen: Sequence[Candidate], heads: BareKindHeads) -> list[Candidate]:
    """A bare "consortia" is the kind the document names in full with that head ("GP consortia"), when it
    names exactly one such kind (anywhere in it), and not after a blocker word."""
    extra: list[Candidate] = []
    covered: np.ndarray | None = None
    for family in heads.families:
        kinds = {
            (c.canonical, c.entry_id)
            for c in chosen
            if c.label == "ORG_TYPE" and c.length > 1 and doc[c.end - 1].lower_ in family
        }
        if len(kinds) != 1:
            continue
        canonical, entry_id = next(iter(kinds))
        covered = _covered(doc, chosen) if covered is None else covered
        hashes = np.array(sorted(doc.vocab.strings.add(w) for w in family), dtype="uint64")
        for i in np.flatnonzero(member(hashes, doc.to_array(LOWER)) & ~covered).tolist():
            if i > 0 and doc[i - 1].lower_ in heads.blockers:
                continue
            extra.append(Candidate(i, i + 1, "ORG_TYPE", canonical, entry_id, False, "resolution"))
    return sorted([*chosen, *extra], key=lambda c: c.start) if extra else list(chosen)


def title_case_forms(acronyms_by_entry: Mapping[str, Sequence[str]]) -> dict[str, dict[str, str]]:
    """Entry id -> {title-case form: acronym} of its acronyms of three letters or more ("Nice": "NICE")."""
    forms: dict[str, dict[str, str]] = {}
    for entry_id, acronyms in acronyms_by_entry.items():
        for acronym in acronyms:
            if len(acronym) >= 3 and acronym.isalpha() and acronym.isupper():
                forms.setdefault(entry_id, {})[acronym.capitalize()] = acronym
    return forms


def link_title_case_acronyms(
    doc: Doc,
    chosen: Sequence[Candidate],
    forms_by_entry: Mapping[str, Mapping[str, str]],
    name_followers: AbstractSet[str],
) -> list[Candidate]:
    """ "Nice" for NICE, "Cquin" for CQUIN: a known body's or policy's acronym written in title case,
    in a document that names it (by the acronym or in full). Never in lower case; at a sentence start
    only when used as a name ("Nice said", "Nice's guidance"), and not inside a longer capitalised name."""
    named: dict[str, Candidate] = {}  # entry id -> its first mention
    for cand in chosen:
        if cand.entry_id in forms_by_entry and cand.label in ("BODY", "POLICY") and cand.entry_id not in named:
            named[cand.entry_id] = replace(cand, acronym=True, source="resolution")
    owners: dict[str, list[Candidate]] = {}
    for entry_id, cand in named.items():
        for form in forms_by_entry[entry_id]:
            owners.setdefault(form, []).append(cand)
    unique = {form: found[0] for form, found in owners.items() if len(found) == 1}
    if not unique:
        return list(chosen)
    positions = _positions_of(doc, unique)
    if not positions:
        return list(chosen)
    covered, extra = _covered(doc, chosen), []
    for i in positions:
        if covered[i]:
            continue
        following = doc[i + 1].lower_ if i + 1 < len(doc) else ""
        opener = i > 0 and doc[i - 1].is_sent_start and doc[i - 1].is_stop  # "The Cquin scheme"
        if _is_name_like(doc, i + 1) or (_is_name_like(doc, i - 1) and not doc[i].is_sent_start and not opener):
            continue
        if (i == 0 or doc[i].is_sent_start) and following not in name_followers:
            continue
        extra.append(replace(unique[doc[i].text], start=i, end=i + 1))
    return sorted([*chosen, *extra], key=lambda c: c.start)


def _short_body_names(doc: Doc, chosen: Sequence[Candidate]) -> dict[tuple[str, ...], Candidate]:
    """The words after "NHS" in each body's name (two at least) -> its first mention, if only one body has them."""
    owners: dict[tuple[str, ...], list[Candidate]] = {}
    for cand in chosen:
        if cand.label == "BODY" and cand.length >= 3 and doc[cand.start].text == "NHS":
            words = tuple(t.text for t in doc[cand.start + 1 : cand.end])
            if words[0][:1].isupper():
                owners.setdefault(words, []).append(cand)
    return {
        words: cands[0] for words, cands in owners.items() if len({(c.canonical, c.entry_id) for c in cands}) == 1
    }


def link_short_body_names(doc: Doc, chosen: Sequence[Candidate]) -> list[Candidate]:
    """After "NHS Commissioning Board", a later "Commissioning Board" is the same body: a body named with
    a leading "NHS" keeps its name without it, when two words or more remain and they stand alone."""
    short = _short_body_names(doc, chosen)
    if not short:
        return list(chosen)
    covered = _covered(doc, chosen)
    extra = []
    for i in _positions_of(doc, {words[0] for words in short}, covered):
        for words, named in short.items():
            end = i + len(words)
            if i <= named.start or covered[i:end].any() or tuple(t.text for t in doc[i:end]) != tuple(words):
                continue
            if _is_name_like(doc, end) or (_is_name_like(doc, i - 1) and not doc[i - 1].is_sent_start):
                continue  # part of a longer name ("London Commissioning Board"); "The" opening a sentence is not
            extra.append(Candidate(i, end, "BODY", named.canonical, named.entry_id, False, "resolution"))
            covered[i:end] = True
            break
    return sorted([*chosen, *extra], key=lambda c: c.start)


# Informal trust names ("Shrewsbury and Telford NHS Trust", "Hull University Hospitals"): words that say
# nothing about which trust, and words that alone do not single one out.
_TRUST_FILLER = frozenset({"nhs", "foundation", "trust", "ft", "the", "and", "of", "&"})
_TRUST_GENERIC = frozenset({
    "hospital", "hospitals", "university", "teaching", "healthcare", "health", "community", "care", "services",
    "service", "partnership", "mental", "general", "acute", "integrated", "specialist", "royal", "ambulance",
    "children's", "women's", "north", "south", "east", "west", "mid", "central", "northern", "southern",
    "national", "london", "county", "city", "united", "new", "great", "greater", "queen", "king", "king's",
    "princess", "prince",
})  # fmt: skip
# A rule-found name ending in one of these is a trust's name, not a hospital's ("Stafford Hospital" is not).
_TRUST_ENDINGS = ("Trust", "FT", "Hospitals")


def _trust_words(name: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[\w'’]+", name.lower().replace("’", "'")) if w not in _TRUST_FILLER)


@dataclass
class TrustNames:
    """Every trust in the gazetteer by the words of its names, to find which one an informal name means."""

    by_word: dict[str, set[str]] = field(default_factory=dict)
    canonical: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, entries: Iterable[Entry]) -> "TrustNames":
        index = cls()
        for entry in entries:
            if entry.kind == "trust":
                index.canonical[entry.id] = entry.canonical
                for word in set().union(*(_trust_words(n) for n in (entry.canonical, *entry.aliases))):
                    index.by_word.setdefault(word, set()).add(entry.id)
        return index

    def find(self, name: str) -> str | None:
        """The id of the one trust whose names hold every distinguishing word of ``name``; a word no
        trust name holds may be a one-letter slip ("Frimley Heath") of a word one does."""
        words = _trust_words(name)
        if not words - _TRUST_GENERIC:
            return None
        owners = set.intersection(*(self._owners(w) or self._owners_of_near(w) for w in words))
        return next(iter(owners)) if len(owners) == 1 else None

    def _owners(self, word: str) -> set[str]:
        """The trusts whose names hold ``word`` in either number: "Sheffield Teaching Hospital NHS
        Trust" is a slip for Sheffield Teaching Hospitals."""
        other = word[:-1] if word.endswith("s") else word + "s"
        return self.by_word.get(word, set()) | self.by_word.get(other, set())

    def _owners_of_near(self, word: str) -> set[str]:
        if len(word) < 5:
            return set()
        near = [w for w in self.by_word if w[0] == word[0] and abs(len(w) - len(word)) <= 1 and _one_edit(w, word)]
        return set().union(*(self.by_word[w] for w in near)) if near else set()


def _one_edit(a: str, b: str) -> bool:
    """Whether one letter inserted, deleted or replaced turns ``a`` into ``b``."""
    if len(a) > len(b):
        a, b = b, a
    i = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), len(a))
    return a[i + (len(a) == len(b)) :] == b[i + 1 :] and a != b


def link_informal_trust_names(doc: Doc, chosen: Sequence[Candidate], trusts: TrustNames) -> list[Candidate]:
    """A trust's name as a rule found it, written informally, takes the gazetteer trust it names."""
    linked = []
    for cand in chosen:
        if cand.source == "rule" and cand.label == "BODY" and doc[cand.end - 1].text in _TRUST_ENDINGS:
            entry_id = trusts.find(cand.canonical)
            if entry_id is not None:
                cand = replace(cand, canonical=trusts.canonical[entry_id], entry_id=entry_id)
        linked.append(cand)
    return linked


_JOINERS = frozenset({"and", "&", ","})


def drop_coordinated_parts(doc: Doc, cands: Sequence[Candidate]) -> list[Candidate]:
    """"Surrey and Sussex ICB" is one body, not "Surrey and" plus the known "Sussex ICB": a known body's
    name that ends a longer rule-found name, joined to it by "and" or a comma, is dropped for it."""
    longer = [c for c in cands if c.source == "rule" and c.label == "BODY"]
    if not longer:
        return list(cands)

    def coordinated(g: Candidate) -> bool:
        return (
            g.source == "gazetteer" and g.label == "BODY"
            and any(r.start < g.start and r.end == g.end for r in longer)
            and doc[g.start - 1].text in _JOINERS
        )

    return [c for c in cands if not coordinated(c)]
