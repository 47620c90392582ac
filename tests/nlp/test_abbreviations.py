"""Short-form / long-form alignment (Schwartz and Hearst)."""

from __future__ import annotations

import pytest

from nhsx.nlp.abbreviations import find_definitions, matches_long_form, short_form


@pytest.mark.parametrize(
    "short, long",
    [
        ("BHRUT", "Barking, Havering and Redbridge University Hospitals NHS Trust"),
        ("KGH", "King George Hospital"),
        ("PbR", "payment by results"),
        ("5YFV", "5 Year Forward View"),
        ("A&E", "accident and emergency"),
    ],
)
def test_matching_long_forms(short, long):
    assert matches_long_form(short, long)


@pytest.mark.parametrize(
    "short, long",
    [
        ("XYZ", "King George Hospital"),
        ("KGH", "big George Hospital"),  # the first letter must start a word
        ("HGK", "King George Hospital"),  # order matters
    ],
)
def test_non_matching_long_forms(short, long):
    assert not matches_long_form(short, long)


@pytest.mark.parametrize(
    "token, expected",
    [("ICSs", "ICS"), ("PbR", "PbR"), ("PACS", "PACS"), ("A&E", "A&E"), ("Nhs", None), ("I", None), ("5YFV", "5YFV")],
)
def test_short_form(token, expected):
    assert short_form(token) == expected


# --- definitions found in text -----------------------------------------------------------------


def definitions(nlp, text: str) -> list[tuple[str, str]]:
    return [(d.short, d.long) for d in find_definitions(nlp(text))]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Funds go to integrated care boards (ICBs) now.", [("ICB", "integrated care board")]),
        ("The ICB (integrated care board) met.", [("ICB", "integrated care board")]),
        ("Spending through the Better Care Fund, or BCF, rose.", [("BCF", "Better Care Fund")]),
        (
            "Local sustainability and transformation partnerships, known as STPs, grew.",
            [("STP", "sustainability and transformation partnership")],
        ),
        ("An integrated care board (‘ICB’) is new.", [("ICB", "integrated care board")]),
        (
            "The capital departmental expenditure limit – CDEL – binds.",
            [("CDEL", "capital departmental expenditure limit")],
        ),
        ("The Five Year Forward View (5YFV) set it out.", [("5YFV", "Five Year Forward View")]),
        ("Moving to payment by results (PbR) was slow.", [("PbR", "payment by results")]),
        ("Waits in accident and emergency (A&E) grew.", [("A&E", "accident and emergency")]),
        ("The Department of Health (DoH) agreed.", [("DoH", "Department of Health")]),
        ("The NHS Trust Development Authority (TDA) agreed.", [("TDA", "NHS Trust Development Authority")]),
        (
            "NHS Suffolk and North East Essex Integrated Care Board (SNEE ICB) asked.",
            [("SNEE", "Suffolk and North East Essex"), ("ICB", "Integrated Care Board")],
        ),
        ("NHS Clinical Commissioners (NHS CC) agreed.", [("NHS CC", "NHS Clinical Commissioners")]),
        (
            "We met the Care Quality Commission and the Health and Safety Executive (CQC/HSE) today.",
            [("CQC", "Care Quality Commission"), ("HSE", "Health and Safety Executive")],
        ),
        (
            "We met the Care Quality Commission and the Health and Safety Executive (CQC and HSE) today.",
            [("CQC", "Care Quality Commission"), ("HSE", "Health and Safety Executive")],
        ),
        (
            "The Care Quality Commission, Health Education England, and the Health and Safety Executive (CQC, HEE and HSE) met.",
            [
                ("CQC", "Care Quality Commission"),
                ("HEE", "Health Education England"),
                ("HSE", "Health and Safety Executive"),
            ],
        ),
    ],
)
def test_definitions_in_text(nlp, text, expected):
    assert definitions(nlp, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The trust (see page 4) agreed.",
        "Activity rose (2019 figures) across the ICB (which met in May).",
        "The CQC (which inspects providers) reported.",
        "Our plan (the ICS plan) was agreed.",
        "The regulators (CQC and HSE) met.",  # no long forms to pair with
        "Health and Safety Executive inspectors met (CQC/HSE).",  # one long form for two acronyms
    ],
)
def test_brackets_that_define_nothing(nlp, text):
    assert definitions(nlp, text) == []


def test_definition_offsets_point_into_the_text(nlp):
    text = "Funds go to integrated care boards (ICBs) now."
    (found,) = find_definitions(nlp(text))
    assert text[found.start : found.end] == "ICBs"
    assert text[found.long_start : found.long_end] == "integrated care boards"


def test_the_component_sets_the_doc_extension(nlp):
    doc = nlp("Funds go to integrated care boards (ICBs) now.")
    assert [(d.short, d.long) for d in doc._.nhsx_definitions] == [("ICB", "integrated care board")]


def test_a_long_form_does_not_reach_across_a_run_of_punctuation(nlp):
    """The search walks back a few tokens more than the acronym has letters, never to the sentence start."""
    assert definitions(nlp, "The integrated" + " ," * 30 + " care board (ICB) met.") == []
    assert definitions(nlp, "Words " * 500 + "and the integrated care board (ICB) met.") == [
        ("ICB", "integrated care board")
    ]


@pytest.mark.parametrize(
    "text", ["NHS integrated care board\u2019s (ICBs) plans", "the integrated care boards' (ICBs) plans"]
)
def test_a_possessive_is_not_part_of_the_long_form(nlp, text):
    (definition,) = find_definitions(nlp(text))
    assert definition.long == "integrated care board"
    assert text[definition.long_start : definition.long_end] in ("integrated care board", "integrated care boards")
