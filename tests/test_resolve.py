"""Within-document resolution (nhsx.resolve), through the real default pipeline: what a document
itself says about who a short name is."""

from __future__ import annotations

from conftest import spans

from nhsx.resolve import GivenNames
from nhsx.selection import Candidate


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


def test_a_surname_of_one_person_is_not_taken_for_anothers_given_name(nlp):
    # "Mr Thomas" is a surname even when a Thomas Lyle is in the document
    found = _people(nlp, "Thomas Lyle chaired. Colin Thomas spoke next. Mr Thomas said costs rose.")
    assert ("Thomas", "Colin Thomas") in found


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
