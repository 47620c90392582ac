"""Acronyms in a document and their expansions."""

from __future__ import annotations

import pytest

from nhsx.gazetteer import Entry
from nhsx.glossary import acronym_index, acronym_shape, document_glossary, find_acronyms

KNOWN = {
    "NHS": "National Health Service",
    "NHS CC": "NHS Clinical Commissioners",
    "ICS": "integrated care system",
    "PbR": "payment by results",
}


def found(text: str, known: dict[str, str] = KNOWN) -> list[tuple[str, int]]:
    return [(use.acronym, use.start) for use in find_acronyms(text, known)]


def acronyms(text: str, known: dict[str, str] = KNOWN) -> list[str]:
    return [acronym for acronym, _ in found(text, known)]


@pytest.mark.parametrize(
    "word, shape",
    [
        ("ICSs", "ICS"),
        ("CCGs", "CCG"),
        ("PbR", "PbR"),
        ("PbRs", "PbR"),
        ("A&E", "A&E"),
        ("5YFV", "5YFV"),
        ("DoH", "DoH"),
        ("PACS", "PACS"),
        ("NHS", "NHS"),
        ("Nhs", None),
        ("I", None),
        ("eRS", None),
        ("Sa", None),
    ],
)
def test_acronym_shape(word, shape):
    assert acronym_shape(word) == shape


def test_find_acronyms_reports_each_use_with_its_offset():
    assert found("The ICS and ICSs, with PbR.") == [("ICS", 4), ("ICS", 12), ("PbR", 23)]


def test_find_acronyms_skips_roman_numerals_and_common_capitals():
    assert acronyms("Phase II and Part IV of Henry VIII, OK on TV at 9 PM, said CQC.") == ["CQC"]


def test_headline_capitals_are_not_acronyms_unless_known():
    text = "NHS CONFEDERATION CALLS FOR ICS REFORM\nThe MDT met."
    assert acronyms(text) == ["NHS", "ICS", "MDT"]


def test_two_word_capitals_line_is_a_headline():
    assert acronyms("KEY POINTS\nThe ICB met.") == ["ICB"]


def test_single_unknown_capitals_word_is_kept():
    assert acronyms("The XYZ met.") == ["XYZ"]


def test_multiword_acronym_is_one_use_and_its_parts_are_not_repeated():
    assert found("The NHS CC said, and NHS CCs agreed. NHS alone.") == [("NHS CC", 4), ("NHS CC", 21), ("NHS", 37)]


def test_acronym_inside_a_longer_word_or_ampersand_run_is_not_split():
    assert acronyms("A&E and R&D, not xICS or ICS_x.") == ["A&E", "R&D"]


def test_document_glossary_first_use_order_and_none_for_unknown():
    glossary = document_glossary("PbR in ICSs and the CQC; the ICS again.", KNOWN)
    assert list(glossary.items()) == [("PbR", "payment by results"), ("ICS", "integrated care system"), ("CQC", None)]


def test_document_glossary_of_text_without_acronyms_is_empty():
    assert document_glossary("Nothing here but words.", KNOWN) == {}


def test_acronym_index_first_entry_keeps_an_acronym_and_expansion_defaults_to_canonical():
    entries = [
        Entry("body:cqc", "BODY", "Care Quality Commission", acronyms=("CQC",)),
        Entry("term:it", "TERM", "IT", acronyms=("IT", "CQC"), expansion="information technology"),
    ]
    assert acronym_index(entries) == {"CQC": "Care Quality Commission", "IT": "information technology"}


def test_acronyms_that_are_not_valid_roman_numerals_are_kept():
    assert acronyms("Support for LD patients from a CIC.") == ["LD", "CIC"]


# --- the glossary over documents ---------------------------------------------------------------

from nhsx.abbreviations import Definition  # noqa: E402
from nhsx.glossary import Glossary, gazetteer_yaml, markdown  # noqa: E402

KNOWN_NHS = {"ICB": "integrated care board", "NHS": "National Health Service", "PACS": "primary and acute care system"}


def defined(short: str, long: str) -> Definition:
    return Definition(short, long, 0, len(short), 0, len(long))


def built(docs: list[tuple[str, str, list[Definition]]], per_doc: bool = False) -> dict:
    glossary = Glossary(KNOWN_NHS, per_doc=per_doc)
    for name, text, found in docs:
        glossary.add_document(name, text, found)
    return {(e.doc, e.acronym): e for e in glossary.entries()}


def test_text_definition_beats_the_gazetteer_and_unknowns_are_listed():
    entries = built([("a.txt", "The ICB and the XYZ met. The ICBs agreed.", [defined("ICB", "imaginary care body")])])
    icb, xyz = entries[(None, "ICB")], entries[(None, "XYZ")]
    assert (icb.expansion, icb.source, icb.count, icb.docs, icb.first_seen) == (
        "imaginary care body", "text", 2, 1, {"doc": "a.txt", "offset": 4}
    )
    assert (xyz.expansion, xyz.source) == (None, "unknown")


def test_conflicting_definitions_are_listed_not_hidden():
    entries = built(
        [
            ("a.txt", "The ICB met.", [defined("ICB", "integrated care board")]),
            ("b.txt", "The ICB met.", [defined("ICB", "Integrated Care Board")]),  # same, case aside
            ("c.txt", "The ICB met.", [defined("ICB", "internal control board")]),
        ]
    )
    assert entries[(None, "ICB")].to_dict()["definitions"] == [
        {"expansion": "integrated care board", "count": 2},
        {"expansion": "internal control board", "count": 1},
    ]


def test_per_doc_entries_and_gazetteer_meaning():
    entries = built([("a.txt", "NHS and NHS.", []), ("b.txt", "The NHS.", [])], per_doc=True)
    assert {(doc, e.count, e.source) for (doc, _), e in entries.items()} == {("a.txt", 2, "gazetteer"), ("b.txt", 1, "gazetteer")}


def test_text_expansion_in_another_number_takes_the_gazetteer_spelling():
    entries = built([("a.txt", "PACS sites.", [defined("PACS", "primary and acute care systems")])])
    assert entries[(None, "PACS")].expansion == "primary and acute care system"


def test_markdown_is_alphabetical_and_yaml_is_a_gazetteer(tmp_path):
    entries = list(built([("a.txt", "The XYZ, NHS and ICB.", [])]).values())
    assert markdown(entries).splitlines() == [
        "| Acronym | Meaning |", "| --- | --- |", "| ICB | integrated care board |",
        "| NHS | National Health Service |", "| XYZ | (not defined) |",
    ]
    path = tmp_path / "glossary.yaml"
    path.write_text(gazetteer_yaml(entries), encoding="utf-8")
    from nhsx.gazetteer import load_file

    loaded, problems = load_file(path)
    assert problems == [] and {e.acronyms[0] for e in loaded} == {"ICB", "NHS"} and all(e.label == "TERM" for e in loaded)
