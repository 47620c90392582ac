"""Within-document resolution (nhsx.nlp.resolver), through the real default pipeline: what a document
itself says about who a short name is."""

from __future__ import annotations

import pytest

from conftest import spans
from nhsx.knowledge.gazetteer import Entry
from nhsx.nlp.resolver.links import TrustNames, title_case_forms
from nhsx.nlp.resolver.people import GivenNames, given_name_variants
from nhsx.nlp.resolver.selection import Candidate


def _people(nlp, text: str) -> list[tuple[str, str]]:
    return [(t, canonical) for t, label, canonical in spans(nlp, text) if label == "PERSON"]


def test_a_title_and_given_name_is_the_person_introduced_with_it(nlp):
    text = (
        "The review was led by Dame Harriet Oyelowo. Dame Harriet told the board that the findings were stark. "
        "Afterwards Harriet took questions from governors."
    )
    assert _people(nlp, text) == [
        ("Harriet Oyelowo", "Harriet Oyelowo"),
        ("Harriet", "Harriet Oyelowo"),
        ("Harriet", "Harriet Oyelowo"),
    ]


def test_a_known_persons_given_name_after_sir_takes_the_gazetteer_name(nlp):
    found = _people(nlp, "Sir Robert Francis chaired the inquiry. Sir Robert said openness mattered.")
    assert found == [("Robert Francis", "Robert Francis"), ("Robert", "Robert Francis")]


def test_a_shared_given_name_is_the_nearest_person_named_before_it(nlp):
    text = (
        "Maria Delacroix opened the meeting. Maria Okonkwo presented the accounts. "
        "Ms Delacroix asked a question and Maria replied at length."
    )
    assert ("Maria", "Maria Okonkwo") in _people(nlp, text)


def test_a_given_name_is_never_a_persons_canonical_name(nlp):
    # nobody in the document is called Hugo: "Sir Hugo" alone says too little to name anyone
    found = _people(nlp, "The chair, Sir Hugo, said the trust would recover.")
    assert all(len(canonical.split()) > 1 for _, canonical in found)
    # a given name before anyone is named, shared by two people named later, is left out
    text = "Sir Tomas wrote first. Tomas Brennan and Tomas Ilic both replied."
    assert ("Tomas", "Tomas") not in _people(nlp, text)


def test_a_sentence_opener_before_a_given_name_is_not_part_of_the_name(nlp):
    text = "Dame Harriet Oyelowo chaired the panel. Later Harriet added that boards must listen."
    assert _people(nlp, text) == [("Harriet Oyelowo", "Harriet Oyelowo"), ("Harriet", "Harriet Oyelowo")]


def test_a_surname_after_an_unknown_capitalised_word_is_left_alone(nlp):
    # "Ayodeji" may be a given name the word lists lack: "Okafor" alone would cut a full name in two
    text = "Chief nurse Zainab Okafor opened the ward. Ayodeji Okafor chaired the later meeting."
    assert _people(nlp, text) == [("Zainab Okafor", "Zainab Okafor")]


def test_a_surname_of_one_person_is_not_taken_for_anothers_given_name(nlp):
    # "Mr Thomas" is a surname even when a Thomas Lyle is in the document
    found = _people(nlp, "Thomas Lyle chaired. Colin Thomas spoke next. Mr Thomas said costs rose.")
    assert ("Thomas", "Colin Thomas") in found
    # and a sentence's first word before it is not trimmed as an opener: it may be a given name
    found = _people(nlp, "Thomas Lyle chaired. Colin Thomas spoke next. Ayodeji Thomas said costs rose.")
    assert ("Ayodeji Thomas", "Ayodeji Thomas") in found


def test_a_given_name_after_mr_or_ms_is_a_surname(nlp):
    found = _people(nlp, "Paul Corrigan wrote the critique. Later Mr Paul, a governor, replied.")
    assert ("Paul", "Paul") in found and ("Paul", "Paul Corrigan") not in found


def test_given_names_nearest_introduction(nlp):
    doc = nlp.make_doc("Ann Lee came . Then Ann Moss came .")
    people = [
        Candidate(0, 2, "PERSON", "Ann Lee", None, False, "rule"),
        Candidate(5, 7, "PERSON", "Ann Moss", None, False, "rule"),
    ]
    given = GivenNames.of(people, doc)
    assert given.nearest("Ann", 3) == "Ann Lee"
    assert given.nearest("Ann", 8) == "Ann Moss"
    assert given.nearest("Ann", 0) is None  # named only later, by two people
    assert given.nearest("Bob", 3) is None


def test_a_short_form_of_the_given_name_with_the_same_surname_is_the_same_person(nlp):
    text = "Stephen Okafor chairs the board. Steve Okafor said the deficit would close."
    assert _people(nlp, text) == [("Stephen Okafor", "Stephen Okafor"), ("Steve Okafor", "Stephen Okafor")]
    # both ways: introduced by the short form, later written in full
    text = "Jim Oduya opened the clinic. James Oduya later said it had cut waits."
    assert _people(nlp, text) == [("Jim Oduya", "Jim Oduya"), ("James Oduya", "Jim Oduya")]


def test_a_short_form_after_a_title_or_alone_is_the_person(nlp):
    text = "Dame Elizabeth Marsh opened the session. Dame Liz thanked the staff. Later Andy Pell spoke and Liz replied."
    found = _people(nlp, text)
    assert found.count(("Liz", "Elizabeth Marsh")) == 2
    assert ("Andrew Lansley", "Andrew Lansley") in _people(nlp, "Andrew Lansley designed it. Andy was proud of it.")
    assert ("Andy", "Andrew Lansley") in _people(nlp, "Andrew Lansley designed it. Andy was proud of it.")


def test_a_short_form_that_is_an_ordinary_word_needs_the_surname_or_a_title(nlp):
    text = "William Grayson wrote the report. Bill Grayson defended it. Will the report change anything?"
    assert _people(nlp, text) == [("William Grayson", "William Grayson"), ("Bill Grayson", "William Grayson")]
    assert ("Bill", "William Grayson") in _people(nlp, "William Grayson wrote it. Sir Bill defended it.")


def test_a_persons_own_given_name_beats_a_variant_of_anothers(nlp):
    found = _people(nlp, "Steve Smith and Stephen Powis met. Steve said the waits were falling.")
    assert ("Steve", "Steve Smith") in found


def test_different_given_names_with_one_surname_stay_different_people(nlp):
    found = _people(nlp, "Stephen Okafor and Thomas Okafor both spoke.")
    assert found == [("Stephen Okafor", "Stephen Okafor"), ("Thomas Okafor", "Thomas Okafor")]


def test_the_variants_file_lists_formal_names_and_their_short_forms():
    variants = given_name_variants()
    assert "Steve" in variants["Stephen"] and "Stephen" in variants["Steve"]
    assert {"Liz", "Beth"} <= variants["Elizabeth"]
    assert all(name[:1].isupper() and name.isalpha() for name in variants)


def _trusts() -> TrustNames:
    return TrustNames.of(
        [
            Entry("ods:A", "BODY", "Sheffield Teaching Hospitals NHS Foundation Trust", kind="trust"),
            Entry("ods:B", "BODY", "Sheffield Children's NHS Foundation Trust", kind="trust"),
            Entry("ods:C", "BODY", "Kettering General Hospital NHS Foundation Trust", kind="trust"),
            Entry("ods:D", "BODY", "Frimley Health NHS Foundation Trust", kind="trust"),
        ]
    )


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Sheffield Teaching Hospital NHS Trust", "ods:A"),  # singular for plural
        ("Kettering General Hospitals NHS Trust", "ods:C"),  # plural for singular
        ("Frimley Heath NHS Trust", "ods:D"),  # the one-letter slip
        ("Sheffield NHS Trust", None),  # two Sheffield trusts: the words do not single one out
        ("General Hospitals NHS Trust", None),  # generic words only
    ],
)
def test_informal_trust_names_forgive_a_number_slip(name, expected):
    assert _trusts().find(name) == expected


def test_a_trust_named_with_a_number_slip_takes_the_gazetteer_trust(nlp):
    found = spans(nlp, "The Sheffield Teaching Hospital NHS Trust said it would appeal.")
    assert found == [
        ("Sheffield Teaching Hospital NHS Trust", "BODY", "Sheffield Teaching Hospitals NHS Foundation Trust")
    ]


NICE = "National Institute for Health and Care Excellence"


def test_an_acronym_in_title_case_is_the_body_the_document_names(nlp):
    text = "NICE approved the drug. Later, Nice said it was costly. Nice's guidance changed. It was a nice outcome."
    assert [(t, canonical) for t, _, canonical in spans(nlp, text)] == [("NICE", NICE), ("Nice", NICE), ("Nice", NICE)]
    # named in full is enough; a title-case policy acronym too
    assert ("Nice", "BODY", NICE) in spans(nlp, f"The {NICE} met on Monday. Nice said no.")
    assert ("Cquin", "POLICY", "Commissioning for Quality and Innovation") in spans(
        nlp, "Trusts missed their CQUIN targets. The Cquin scheme was cut."
    )


def test_an_acronym_in_title_case_needs_the_document_to_name_the_body(nlp):
    assert spans(nlp, "Nice said the drug was costly.") == []
    # a sentence's first word not used as a name is the ordinary word
    assert [t for t, _, _ in spans(nlp, "NICE met on Monday. Nice work was done by the team.")] == ["NICE"]


def test_title_case_forms_of_acronyms():
    forms = title_case_forms({"body:nice": ("NICE",), "body:nhse": ("NHSE", "NHSEI"), "x": ("PbR", "IT", "A&E")})
    assert forms == {"body:nice": {"Nice": "NICE"}, "body:nhse": {"Nhse": "NHSE", "Nhsei": "NHSEI"}}
