"""Organisations within one document: what the document itself says about its names.

- Acronyms defined in the text: "Barking, Havering and Redbridge University Hospitals NHS Trust (BHRUT)" makes
  every later "BHRUT" a mention of that trust.
- Trust names written in house style: "Northumbria Healthcare FT" is one mention of the trust.
- Short names: a bare "Healthwatch" after "Healthwatch Suffolk"; "Commissioning Board" after "NHS
  Commissioning Board".
- Informal trust names found by rule take the gazetteer trust they name ("Hull University Hospitals"),
  forgiving a one-letter or singular/plural slip ("Sheffield Teaching Hospital NHS Trust").
- A known acronym in title case ("Nice" for NICE) in a document that names the body.
- A known body ending a longer coordinated name gives way to it ("Surrey and Sussex ICB").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import AbstractSet, Iterable, Mapping, Sequence

import numpy as np
from spacy.attrs import LOWER
from spacy.tokens import Doc

from nhsx.knowledge.gazetteer import Entry, name_key
from nhsx.nlp.abbreviations import Definition
from nhsx.nlp.phrase_index import member
from nhsx.nlp.resolver.selection import Candidate
from nhsx.nlp.spans import capitalised, covered_tokens, is_name_like, positions_of

# What may follow a trust's short name and still be its name: "Northumbria Healthcare FT".
TRUST_SUFFIXES = (
    ("NHS", "Foundation", "Trust"),
    ("NHS", "Trust"),
    ("Foundation", "Trust"),
    ("NHS", "FT"),
    ("Trust",),
    ("FT",),
)


def _suffix_length(doc: Doc, end: int) -> int:
    for suffix in TRUST_SUFFIXES:
        if tuple(t.text for t in doc[end : end + len(suffix)]) == suffix:
            return len(suffix)
    return 0


def _line_break(doc: Doc, i: int) -> bool:
    """Whether token ``i`` is a line break (the document's edges count as one)."""
    return i < 0 or i >= len(doc) or (doc[i].is_space and "\n" in doc[i].text)


def listed_with_bodies(doc: Doc, start: int, end: int, bodies: AbstractSet[tuple[int, int]]) -> bool:
    """Whether the name at ``start:end`` is a line of its own next to a line that is a known body's name:
    one of a list of organisations ("... partners / Monitor / Care Quality Commission")."""
    if not (_line_break(doc, start - 1) and _line_break(doc, end)):
        return False
    return any(
        (s == end + 1 and _line_break(doc, e)) or (e == start - 1 and _line_break(doc, s - 1)) for s, e in bodies
    )


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


# The kinds of document every area writes its own of: "North East and North Cumbria Joint Forward Plan".
AREA_DOCUMENT_HEADS = (" Plan", " Strategy")


def keep_area_documents(doc: Doc, cands: Sequence[Candidate], places: AbstractSet[str]) -> list[Candidate]:
    """A rule-found policy name that is an area's name before a known plan or strategy is that area's own
    document ("North East and North Cumbria Joint Forward Plan"), so the known one inside it gives way;
    a descriptive prefix does not ("Five Year Joint Forward Plan" is the Joint Forward Plan)."""
    local = {(c.start, c.end) for c in cands if c.source == "rule" and c.label == "POLICY" and c.length > 1}
    if not local:
        return list(cands)
    ends = {end: start for start, end in local}

    def inside_an_area_document(g: Candidate) -> bool:
        start = ends.get(g.end)
        if g.source != "gazetteer" or g.label != "POLICY" or start is None or start >= g.start:
            return False
        area = " ".join(doc[start : g.start].text.split()).lower()
        return g.canonical.endswith(AREA_DOCUMENT_HEADS) and area in places

    return [c for c in cands if not inside_an_area_document(c)]


def _definitions(doc: Doc, chosen: Sequence[Candidate], definitions: Sequence[Definition]) -> dict[str, Candidate]:
    """Acronyms the text defines right after a named body or policy: "... NHS Trust (BHRUT)"."""
    if not definitions:
        return {}
    named = {
        doc[c.end - 1].idx + len(doc[c.end - 1]): c for c in chosen if c.label in ("BODY", "POLICY") and not c.acronym
    }
    found: dict[str, Candidate] = {}
    for definition in definitions:
        cand = named.get(definition.long_end)
        short = doc.char_span(definition.start, definition.end)
        if cand is not None and short is not None and " " not in definition.short:
            found.setdefault(definition.short, replace(cand, start=short.start, end=short.end))
    return found


def link_defined_acronyms(
    doc: Doc, chosen: Sequence[Candidate], text_definitions: Sequence[Definition] | None
) -> list[Candidate]:
    """Add the definition and every later use of an acronym the document defines for a named body or policy."""
    definitions = _definitions(doc, chosen, text_definitions or [])
    if not definitions:
        return list(chosen)
    forms = {form: acronym for acronym in definitions for form in (acronym, acronym + "s")}
    extra = []
    for i in positions_of(doc, forms, covered_tokens(doc, chosen)):
        defined = definitions[forms[doc[i].text]]
        if i >= defined.start:
            extra.append(replace(defined, start=i, end=i + 1, acronym=True, source="resolution"))
    return sorted([*chosen, *extra], key=lambda c: c.start)


# Words before a bare prefix that make it the kind, not one body: "local Healthwatch", "each Healthwatch".
KIND_DETERMINERS = frozenset({"local", "each", "every", "other", "all", "many", "some", "several", "any"})


def _prefix_forms(prefixes: Iterable[str]) -> dict[tuple[str, ...], str]:
    """Each prefix as words, the longest first -> the brand it writes ("Health Watch" and "Healthwatch" are one)."""
    forms = sorted((tuple(p.split()) for p in prefixes), key=len, reverse=True)
    return {form: "".join(form).lower() for form in forms}


def _prefix_at(doc: Doc, i: int, forms: Mapping[tuple[str, ...], str]) -> tuple[int, str] | None:
    """(end, brand) of a prefix written at ``i``, the longest form first."""
    first = doc[i].text
    for form, brand in forms.items():
        if form[0] == first and tuple(t.text for t in doc[i : i + len(form)]) == form:
            return i + len(form), brand
    return None


def _title_after(doc: Doc, i: int, title_words: AbstractSet[str]) -> bool:
    """Whether the capitalised words from ``i`` on the same line hold a title word ("Annual Report")."""
    k = i
    while is_name_like(doc, k) or (k < len(doc) and doc[k].text in ("and", "&") and is_name_like(doc, k + 1)):
        if doc[k].text in title_words:
            return True
        k += 1
    return False


def drop_prefixed_titles(
    doc: Doc, cands: Sequence[Candidate], prefixes: Iterable[str], title_words: AbstractSet[str]
) -> list[Candidate]:
    """ "Healthwatch Annual Report" is the local Healthwatch's report, not a body named after a place: a
    rule-found prefixed name whose words after the prefix hold a title word is dropped."""
    forms = _prefix_forms(prefixes)

    def titled(cand: Candidate) -> bool:
        found = _prefix_at(doc, cand.start, forms) if cand.source == "rule" and cand.label == "BODY" else None
        return found is not None and any(t.text in title_words for t in doc[found[0] : cand.end])

    return [cand for cand in cands if not titled(cand)]


def link_bare_prefixes(
    doc: Doc, chosen: Sequence[Candidate], prefixes: Iterable[str], title_words: AbstractSet[str] = frozenset()
) -> list[Candidate]:
    """A bare "Healthwatch" in a document that names "Healthwatch Suffolk" is Healthwatch Suffolk (when the
    document names exactly one, anywhere in it: a heading may come first); a bare prefix with nothing to
    link to, or standing for the kind ("local Healthwatch"), is left alone."""
    forms = _prefix_forms(prefixes)
    owners: dict[str, set[tuple[str, str | None]]] = {}
    for cand in chosen:
        found = _prefix_at(doc, cand.start, forms) if cand.label == "BODY" else None
        if found is not None and cand.end > found[0]:
            owners.setdefault(found[1], set()).add((cand.canonical, cand.entry_id))
    unique = {brand: next(iter(found)) for brand, found in owners.items() if len(found) == 1}
    if not unique:
        return list(chosen)
    covered, extra = covered_tokens(doc, chosen), []
    for i in positions_of(doc, {form[0] for form in forms}, covered):
        found = _prefix_at(doc, i, forms)
        if found is None or found[1] not in unique or covered[i : found[0]].any():
            continue
        end = found[0]
        if is_name_like(doc, end) and not _title_after(doc, end, title_words):
            continue  # the start of another name
        if i > 0 and (doc[i - 1].like_num or doc[i - 1].lower_ in KIND_DETERMINERS):
            continue  # "30 Healthwatch groups", "local Healthwatch": the kind, not the one body
        canonical, entry_id = unique[found[1]]
        extra.append(Candidate(i, end, "BODY", canonical, entry_id, False, "resolution"))
    return sorted([*chosen, *extra], key=lambda c: c.start)


@dataclass(frozen=True)
class BareKindHeads:
    """Families of head nouns ("consortium consortia consortiums") a kind's bare head may stand for it
    in, and the words before a bare head that make it some other kind ("PFI consortium")."""

    families: tuple[frozenset[str], ...]
    blockers: frozenset[str]

    @classmethod
    def of(cls, families: Iterable[str], blockers: Iterable[str]) -> BareKindHeads:
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
        covered = covered_tokens(doc, chosen) if covered is None else covered
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
        if (
            cand.entry_id
            and cand.entry_id in forms_by_entry
            and cand.label in ("BODY", "POLICY")
            and cand.entry_id not in named
        ):
            named[cand.entry_id] = replace(cand, acronym=True, source="resolution")
    owners: dict[str, list[Candidate]] = {}
    for entry_id, cand in named.items():
        for form in forms_by_entry[entry_id]:
            owners.setdefault(form, []).append(cand)
    unique = {form: found[0] for form, found in owners.items() if len(found) == 1}
    if not unique:
        return list(chosen)
    positions = positions_of(doc, unique)
    if not positions:
        return list(chosen)
    covered, extra = covered_tokens(doc, chosen), []
    for i in positions:
        if covered[i]:
            continue
        following = doc[i + 1].lower_ if i + 1 < len(doc) else ""
        opener = i > 0 and doc[i - 1].is_sent_start and doc[i - 1].is_stop  # "The Cquin scheme"
        if is_name_like(doc, i + 1) or (is_name_like(doc, i - 1) and not doc[i].is_sent_start and not opener):
            continue
        if (i == 0 or doc[i].is_sent_start) and following not in name_followers:
            continue
        extra.append(replace(unique[doc[i].text], start=i, end=i + 1))
    return sorted([*chosen, *extra], key=lambda c: c.start)


def _short_body_names(doc: Doc, chosen: Sequence[Candidate]) -> dict[tuple[str, ...], Candidate]:
    """The words after "NHS" in each body's name (two at least) -> its first mention, if only one body has
    them. Not a place a body is named after: "NHS Lancashire and South Cumbria" is the board "NHS Lancashire
    and South Cumbria Integrated Care Board", and "Lancashire and South Cumbria" alone is the place."""
    owners: dict[tuple[str, ...], list[Candidate]] = {}
    for cand in chosen:
        if cand.label == "BODY" and cand.length >= 3 and doc[cand.start].text == "NHS":
            words = tuple(t.text for t in doc[cand.start + 1 : cand.end])
            if words[0][:1].isupper() and not cand.canonical.startswith(f"NHS {' '.join(words)} "):
                owners.setdefault(words, []).append(cand)
    return {words: cands[0] for words, cands in owners.items() if len({(c.canonical, c.entry_id) for c in cands}) == 1}


def link_short_body_names(doc: Doc, chosen: Sequence[Candidate]) -> list[Candidate]:
    """After "NHS Commissioning Board", a later "Commissioning Board" is the same body: a body named with
    a leading "NHS" keeps its name without it, when two words or more remain and they stand alone."""
    short = _short_body_names(doc, chosen)
    if not short:
        return list(chosen)
    covered = covered_tokens(doc, chosen)
    extra = []
    for i in positions_of(doc, {words[0] for words in short}, covered):
        for words, named in short.items():
            end = i + len(words)
            if i <= named.start or covered[i:end].any() or tuple(t.text for t in doc[i:end]) != tuple(words):
                continue
            if is_name_like(doc, end) or (is_name_like(doc, i - 1) and not doc[i - 1].is_sent_start):
                continue  # part of a longer name ("London Commissioning Board"); "The" opening a sentence is not
            extra.append(Candidate(i, end, "BODY", named.canonical, named.entry_id, False, "resolution"))
            covered[i:end] = True
            break
    return sorted([*chosen, *extra], key=lambda c: c.start)


def link_short_policy_names(doc: Doc, chosen: Sequence[Candidate], heads: AbstractSet[str]) -> list[Candidate]:
    """After "The NHS Plan", a later capitalised "the Plan" is the NHS Plan: a known policy's head word alone
    after "the", when the document has named exactly one known policy ending in that head before it (and
    the head does not open a longer name: "the Plan for Patients"). Lower case "the plan" is left alone."""
    owners: dict[str, set[tuple[str, str | None]]] = {}
    named_at: dict[str, int] = {}
    for cand in chosen:
        head = doc[cand.end - 1].text
        if cand.label == "POLICY" and cand.entry_id and cand.length > 1 and head in heads:
            owners.setdefault(head, set()).add((cand.canonical, cand.entry_id))
            named_at.setdefault(head, cand.end)
    unique = {head: next(iter(found)) for head, found in owners.items() if len(found) == 1}
    if not unique:
        return list(chosen)
    extra = []
    for i in positions_of(doc, unique, covered_tokens(doc, chosen)):
        if i < named_at[doc[i].text] or doc[i - 1].lower_ != "the" or capitalised(doc, i + 1):
            continue
        canonical, entry_id = unique[doc[i].text]
        extra.append(Candidate(i, i + 1, "POLICY", canonical, entry_id, False, "resolution"))
    return sorted([*chosen, *extra], key=lambda c: c.start) if extra else list(chosen)


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
_TRUST_ENDINGS = ("Trust", "trust", "FT", "Hospitals")


def _trust_words(name: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[\w'’]+", name.lower().replace("’", "'")) if w not in _TRUST_FILLER)


@dataclass
class TrustNames:
    """Every trust in the gazetteer by the words of its names, to find which one an informal name means."""

    by_word: dict[str, set[str]] = field(default_factory=dict)
    canonical: dict[str, str] = field(default_factory=dict)
    by_words: dict[frozenset[str], set[str]] = field(default_factory=dict)  # a name's words -> the trusts

    @classmethod
    def of(cls, entries: Iterable[Entry]) -> TrustNames:
        index = cls()
        for entry in entries:
            if entry.kind == "trust":
                index.canonical[entry.id] = entry.canonical
                names = [_trust_words(n) for n in (entry.canonical, *entry.aliases)]
                for word in set().union(*names):
                    index.by_word.setdefault(word, set()).add(entry.id)
                for words in names:
                    index.by_words.setdefault(words, set()).add(entry.id)
        return index

    def generic(self, name: str) -> bool:
        """Whether ``name`` has no word that tells one trust from another ("University Hospitals")."""
        return not _trust_words(name) - _TRUST_GENERIC

    def find(self, name: str) -> str | None:
        """The id of the one trust whose names hold every distinguishing word of ``name``; a word no
        trust name holds may be a one-letter slip ("Frimley Heath") of a word one does."""
        words = _trust_words(name)
        if not words - _TRUST_GENERIC:
            return None
        owners = set.intersection(*(self._owners(w) or self._owners_of_near(w) for w in words))
        if len(owners) > 1:  # "Burton Hospitals": the trust named by exactly these words, not its merged successor
            owners &= self.by_words.get(words, set())
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
    """A trust's name as a rule found it, written informally, takes the gazetteer trust it names; a name
    too generic alone takes the place after a comma that singles its trust out ("University Hospitals,
    Morecambe Bay")."""
    linked = []
    covered: np.ndarray | None = None
    for cand in chosen:
        if cand.source == "rule" and cand.label == "BODY" and doc[cand.end - 1].text in _TRUST_ENDINGS:
            entry_id = trusts.find(cand.canonical)
            if entry_id is None and trusts.generic(cand.canonical):
                covered = covered_tokens(doc, chosen) if covered is None else covered
                end = _place_after_comma(doc, cand.end, covered)
                entry_id = trusts.find(" ".join(doc[cand.start : end].text.split())) if end > cand.end else None
                cand = replace(cand, end=end) if entry_id is not None else cand
            if entry_id is not None:
                cand = replace(cand, canonical=trusts.canonical[entry_id], entry_id=entry_id)
        linked.append(cand)
    return linked


MAX_PLACE_WORDS = 3


def _place_after_comma(doc: Doc, end: int, covered: np.ndarray) -> int:
    """The end of title-case words after a comma at ``end`` (a place: ", Morecambe Bay"), no mention's
    and on the same line; ``end`` itself when there are none, or more than a place's few words."""
    if end + 1 >= len(doc) or doc[end].text != ",":
        return end
    stop = end + 1
    while stop < len(doc) and doc[stop].is_title and not covered[stop] and stop - end <= MAX_PLACE_WORDS + 1:
        stop += 1
    return stop if end + 1 < stop <= end + 1 + MAX_PLACE_WORDS else end


def _name_lookup_key(name: str) -> str:
    """A name as the matcher compares it, "&" read as "and"."""
    return name_key(re.sub(r"\s*&\s*", " and ", name))


def known_body_names(entries: Iterable[Entry]) -> dict[str, tuple[str, str]]:
    """Every body's names (as the matcher compares them) -> (canonical, id), for names only one body has."""
    owners: dict[str, set[tuple[str, str]]] = {}
    for entry in entries:
        if entry.label == "BODY":
            for name in (entry.canonical, *entry.aliases):
                owners.setdefault(_name_lookup_key(name), set()).add((entry.canonical, entry.id))
    return {key: next(iter(found)) for key, found in owners.items() if len(found) == 1}


def area_abbreviations(entries: Iterable[Entry]) -> dict[str, str]:
    """The area abbreviations of the gazetteer's place terms -> the area ("NENC" -> "North East and North
    Cumbria"), for abbreviations only one area has."""
    owners: dict[str, set[str]] = {}
    for entry in entries:
        if entry.label == "TERM" and entry.kind == "place" and entry.expansion:
            for acronym in entry.acronyms:
                owners.setdefault(acronym, set()).add(entry.expansion)
    return {acronym: next(iter(found)) for acronym, found in owners.items() if len(found) == 1}


def _with_areas_spelt_out(name: str, areas: Mapping[str, str]) -> str:
    """ "NE & North Cumbria ICS" -> "North East and North Cumbria ICS": area abbreviations spelt out."""
    words = name.split()
    if not any(w in areas for w in words):
        return name
    return re.sub(r"\s*&\s*", " and ", " ".join(areas.get(w, w) for w in words))


def link_known_names(
    chosen: Sequence[Candidate], known: Mapping[str, tuple[str, str]], areas: Mapping[str, str]
) -> list[Candidate]:
    """A body a rule found whose name, as it reads, is a known body's ("Buckinghamshire, Oxfordshire and
    Berkshire West (BOB) Integrated Care Board" without its bracket) takes that body's canonical and id;
    an area abbreviation in it is spelt out first ("NENC Provider Collaborative" is the North East and North
    Cumbria Provider Collaborative, known or not)."""
    linked = []
    for cand in chosen:
        if cand.source == "rule" and cand.label == "BODY" and cand.entry_id is None:
            spelt = _with_areas_spelt_out(cand.canonical, areas)
            found = known.get(_name_lookup_key(cand.canonical)) or known.get(_name_lookup_key(spelt))
            if found is not None:
                cand = replace(cand, canonical=found[0], entry_id=found[1])
            elif spelt != cand.canonical:
                cand = replace(cand, canonical=spelt)
        linked.append(cand)
    return linked


_JOINERS = frozenset({"and", "&", ","})


def drop_coordinated_parts(doc: Doc, cands: Sequence[Candidate]) -> list[Candidate]:
    """ "Surrey and Sussex ICB" is one body, not "Surrey and" plus the known "Sussex ICB": a known body's
    name that ends a longer rule-found name, joined to it by "and" or a comma, is dropped for it."""
    longer = [c for c in cands if c.source == "rule" and c.label == "BODY"]
    if not longer:
        return list(cands)

    def coordinated(g: Candidate) -> bool:
        return (
            g.source == "gazetteer"
            and g.label == "BODY"
            and any(r.start < g.start and r.end == g.end for r in longer)
            and doc[g.start - 1].text in _JOINERS
        )

    return [c for c in cands if not coordinated(c)]
