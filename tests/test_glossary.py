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
