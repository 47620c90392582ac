"""Unit tests of the resolver's logic (nhsx.nlp.resolver: selection, links, people) on hand-made candidates,
without the gazetteers: each function is given a tokenised document and the candidates it would receive."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from nhsx.nlp.abbreviations import find_definitions
from nhsx.nlp.resolver.links import (
    drop_coordinated_parts,
    extend_trust_names,
    link_bare_prefixes,
    link_defined_acronyms,
    link_short_body_names,
)
from nhsx.nlp.resolver.people import resolve_people, with_entry_ids
from nhsx.nlp.resolver.selection import Candidate, select


@pytest.fixture(scope="module")
def blank() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def at(
    doc: Doc,
    text: str,
    label: str,
    canonical: str | None = None,
    source: str = "gazetteer",
    nth: int = 0,
    entry_id: str | None = None,
) -> Candidate:
    """The candidate covering the nth occurrence of ``text`` (whole tokens)."""
    words = text.split()
    starts = [i for i in range(len(doc)) if [t.text for t in doc[i : i + len(words)]] == words]
    start = starts[nth]
    return Candidate(start, start + len(words), label, canonical or text, entry_id, False, source)


def texts(doc: Doc, cands: list[Candidate]) -> list[tuple[str, str, str]]:
    return [(doc[c.start : c.end].text, c.canonical, c.source) for c in sorted(cands, key=lambda c: c.start)]


def test_select_prefers_the_gazetteer_then_the_longest_match(blank: Language) -> None:
    doc = blank("Leeds Teaching Hospitals NHS Trust said so.")
    gazetteer = at(doc, "Leeds Teaching Hospitals NHS Trust", "BODY")
    rule = at(doc, "Teaching Hospitals NHS Trust", "BODY", source="rule")
    shorter = at(doc, "Leeds Teaching Hospitals", "BODY")
    assert select([rule, shorter, gazetteer]) == [gazetteer]


def test_an_acronym_the_text_defines_links_its_later_uses(blank: Language) -> None:
    doc = blank("Barking, Havering and Redbridge University Hospitals NHS Trust (BHRUT) met. BHRUT then grew.")
    trust = at(doc, "Barking , Havering and Redbridge University Hospitals NHS Trust", "BODY", entry_id="ods:RF4")
    linked = link_defined_acronyms(doc, [trust], list(find_definitions(doc)))
    acronyms = [c for c in linked if c.acronym]
    assert [doc[c.start].text for c in acronyms] == ["BHRUT", "BHRUT"]
    assert {(c.canonical, c.entry_id) for c in acronyms} == {(trust.canonical, "ods:RF4")}


def test_an_acronym_defined_for_nothing_found_links_nothing(blank: Language) -> None:
    doc = blank("The widget working group (WWG) met. WWG then grew.")
    assert link_defined_acronyms(doc, [], list(find_definitions(doc))) == []


def test_a_bare_prefix_is_the_one_body_the_document_names_with_it(blank: Language) -> None:
    doc = blank("Healthwatch Suffolk asked people. Later Healthwatch published a report.")
    named = at(doc, "Healthwatch Suffolk", "BODY")
    linked = link_bare_prefixes(doc, [named], {"Healthwatch"})
    assert texts(doc, linked) == [
        ("Healthwatch Suffolk", "Healthwatch Suffolk", "gazetteer"),
        ("Healthwatch", "Healthwatch Suffolk", "resolution"),
    ]


def test_a_bare_prefix_shared_by_two_bodies_stays_unlinked(blank: Language) -> None:
    doc = blank("Healthwatch Suffolk and Healthwatch Norfolk met. Healthwatch published a report.")
    two = [at(doc, "Healthwatch Suffolk", "BODY"), at(doc, "Healthwatch Norfolk", "BODY")]
    assert link_bare_prefixes(doc, two, {"Healthwatch"}) == two


def test_a_body_named_with_nhs_is_also_named_without_it_later(blank: Language) -> None:
    doc = blank("The NHS Commissioning Board was set up. The Commissioning Board then hired staff.")
    board = at(doc, "NHS Commissioning Board", "BODY", canonical="NHS England")
    linked = link_short_body_names(doc, [board])
    assert texts(doc, linked)[-1] == ("Commissioning Board", "NHS England", "resolution")


def test_a_trust_short_name_takes_the_following_ft(blank: Language) -> None:
    doc = blank("Northumbria Healthcare FT reported.")
    short = at(doc, "Northumbria Healthcare", "BODY", canonical="Northumbria Healthcare NHS Foundation Trust")
    (extended,) = extend_trust_names(doc, [short])
    assert doc[extended.start : extended.end].text == "Northumbria Healthcare FT"


def test_a_known_body_ending_a_coordinated_name_gives_way(blank: Language) -> None:
    doc = blank("Surrey and Sussex ICB met.")
    longer = at(doc, "Surrey and Sussex ICB", "BODY", source="rule")
    known = at(doc, "Sussex ICB", "BODY")
    assert drop_coordinated_parts(doc, [longer, known]) == [longer]


def test_a_surname_after_the_full_name_is_that_person(blank: Language) -> None:
    doc = blank("Norman Lamb spoke first. Then he said that Lamb was right, and Lamb left.")
    full = at(doc, "Norman Lamb", "PERSON", source="rule")
    resolved = resolve_people(doc, [full])
    assert [(doc[c.start : c.end].text, c.canonical) for c in resolved] == [
        ("Norman Lamb", "Norman Lamb"),
        ("Lamb", "Norman Lamb"),
        ("Lamb", "Norman Lamb"),
    ]


def test_two_people_sharing_a_surname_leave_it_alone(blank: Language) -> None:
    doc = blank("Norman Lamb and Jane Lamb spoke. Then he said that Lamb was right.")
    two = [at(doc, "Norman Lamb", "PERSON", source="rule"), at(doc, "Jane Lamb", "PERSON", source="rule")]
    assert [c.canonical for c in resolve_people(doc, two)] == ["Norman Lamb", "Jane Lamb"]


def test_resolved_people_take_the_gazetteer_id_of_their_canonical_name(blank: Language) -> None:
    doc = blank("Simon Stevens said.")
    found = at(doc, "Simon Stevens", "PERSON", source="rule")
    (with_id,) = with_entry_ids([found], {"Simon Stevens": "person:simon-stevens"})
    assert with_id.entry_id == "person:simon-stevens"
