"""General mechanisms for people, a local Healthwatch named short, and minutes-style glossaries (issues 14, 16).

Every text is invented; each test runs the real pipeline (the ``nlp`` fixture).
"""

from __future__ import annotations

from conftest import spans


def bodies(found: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    return [(text, canonical) for text, label, canonical in found if label == "BODY"]


def test_a_title_after_the_prefix_is_not_a_place(nlp):
    # "Healthwatch Annual Report" is a report of the local Healthwatch, not a Healthwatch of "Annual Report"
    text = (
        "Healthwatch Annual Report and Resident feedback\n\n"
        "Ann Other, Chief Executive of Healthwatch Fenby, presented the Healthwatch Annual Report.\n"
        "One of the main Healthwatch priorities was access."
    )
    assert bodies(spans(nlp, text)) == [
        ("Healthwatch", "Healthwatch Fenby"),
        ("Healthwatch Fenby", "Healthwatch Fenby"),
        ("Healthwatch", "Healthwatch Fenby"),
        ("Healthwatch", "Healthwatch Fenby"),
    ]


def test_a_bare_prefix_for_the_kind_or_with_two_owners_stays_alone(nlp):
    # "local Healthwatch" is the kind; with the national and a local body both named, a bare one is unclear
    assert bodies(spans(nlp, "Healthwatch Fenby said local Healthwatch teams matter.")) == [
        ("Healthwatch Fenby", "Healthwatch Fenby")
    ]
    two = bodies(spans(nlp, "Healthwatch England and Healthwatch Fenby met. Healthwatch functions change."))
    assert ("Healthwatch", "Healthwatch Fenby") not in two and len(two) == 2


def glossary(nlp, text: str) -> dict[str, str | None]:
    """The document's glossary as ``nhsx evaluate`` scores it: the pipeline's definitions, nhsx's senses."""
    from nhsx.analyse.glossary import acronym_index, document_glossary
    from nhsx.nlp.pipeline import gazetteer_of

    known = acronym_index(gazetteer_of(nlp).entries.values())
    return document_glossary(text, known, nlp(text)._.nhsx_definitions)


MINUTES = (
    "MINUTES OF THE FENBY ICB BOARD\n"
    "HELD ON THURSDAY 17th November, 2022\n"
    "VIA MICROSOFT TEAMS\n"
    "Present\n"
    "Ann Quennell (AQ), ICB Chair\n"
    "Tomasz Rye (TR), Chief Finance Officer\n"
    "Orla Pike (representing Tomasz Rye) (OP) Director of Nursing\n"
    "Apologies\n"
    "Arun Swale (AS), Director of People\n"
    "Minutes: RESOLVED\n"
    "PART 1\n"
    "The Board NOTED the report. Meeting held on TUESDAY 8TH DECEMBER 2015.\n"
)


def test_initials_in_minutes_expand_to_the_name_on_their_line(nlp):
    # a person's initials are an initialism the minutes use: the name, never the line above's last words
    found = glossary(nlp, MINUTES)
    assert {k: found.get(k) for k in ("AQ", "TR", "OP", "AS")} == {
        "AQ": "Ann Quennell",
        "TR": "Tomasz Rye",
        "OP": "Orla Pike",
        "AS": "Arun Swale",
    }


def test_capitalised_english_words_are_not_acronyms(nlp):
    found = glossary(nlp, MINUTES)
    for word in ("HELD", "ON", "THURSDAY", "RESOLVED", "PART", "NOTED", "TUESDAY", "8TH", "DECEMBER"):
        assert word not in found
    assert "ICB" in found
    assert "II2" not in glossary(nlp, "See Volume II2 of the report.")


def test_a_definition_naming_a_known_sense_in_other_words_takes_it(nlp):
    text = "It works with the community, voluntary and social enterprise sectors (VCSE) across the area."
    assert glossary(nlp, text)["VCSE"] == "voluntary, community and social enterprise"


def people(nlp, text: str) -> list[tuple[str, str]]:
    return [(text, canonical) for text, label, canonical in spans(nlp, text) if label == "PERSON"]


def test_initial_and_surname_is_the_person_named_in_full(nlp):
    text = "That Councillor Dorian Brackley be appointed as Chairman.\n(Councillor D Brackley in the chair)\n"
    assert people(nlp, text) == [("Dorian Brackley", "Dorian Brackley"), ("D Brackley", "Dorian Brackley")]
    # two people with the initial and surname: nobody can tell
    two = "Dorian Brackley and Daisy Brackley met.\n(Councillor D Brackley in the chair)\n"
    assert ("D Brackley", "D Brackley") in people(nlp, two)


def test_names_written_with_initials_only(nlp):
    assert people(nlp, "What is a review?\nL J Pattersby, C Lilbourne\n\nThe review began in 1999.") == [
        ("L J Pattersby", "L J Pattersby"),
        ("C Lilbourne", "C Lilbourne"),
    ]
    text = "S R Prockton, lecturer in health services research, J L Cammell, senior lecturer.\n"
    assert people(nlp, text) == [("S R Prockton", "S R Prockton"), ("J L Cammell", "J L Cammell")]


def test_attendance_line_with_an_aside_before_the_initials(nlp):
    text = (
        "Present\nMargit Gildon (MG), ICB Non-Executive Member\n"
        "Carolyn Greaves (representing Ifti Majeed) (CG) Director of Nursing\n"
    )
    assert people(nlp, text) == [
        ("Margit Gildon", "Margit Gildon"),
        ("Carolyn Greaves", "Carolyn Greaves"),
        ("Ifti Majeed", "Ifti Majeed"),
    ]


def test_two_names_run_on_in_one_line(nlp):
    text = "Chair and Chief Executive\n\nDr Catriona McMahon Louise Barnby\n\nThis year was hard."
    assert people(nlp, text) == [("Catriona McMahon", "Catriona McMahon"), ("Louise Barnby", "Louise Barnby")]


def test_a_name_opening_a_line_before_a_capitalised_role(nlp):
    text = (
        "The meeting closed.\n\nUpdate on Next Steps for the ICS\n\n"
        "Mark Adamson, Area Director for the North, will give an update."
    )
    assert people(nlp, text) == [("Mark Adamson", "Mark Adamson")]


def test_a_stand_in_written_with_an_initial_is_the_person_listed(nlp):
    text = (
        "Robert Moorcock         Director of Primary Care (Chair)\n"
        "Angie Woodley          Service Manager (For R Moorcock)\n"
    )
    assert ("R Moorcock", "Robert Moorcock") in people(nlp, text)
    assert people(nlp, "The plan was agreed (for Greater Manchester).") == []


def test_surname_particles_and_two_initials(nlp):
    assert people(nlp, "Cllr Freddie van Mierlot was substituted.") == [("Freddie van Mierlot", "Freddie van Mierlot")]
    assert people(nlp, "Contact: Louise deCordovan, Democratic Services") == [
        ("Louise deCordovan", "Louise deCordovan")
    ]
    assert people(nlp, "- Mr AC Marshall – Chief Executive Officer") == [("AC Marshall", "AC Marshall")]


def test_words_of_a_defined_term_are_not_a_person(nlp):
    assert people(nlp, "3.1.6 Patient Reported Experience Measures (PREMs)\nWe use them.") == []
    # a person's own initials define no term: the name stays
    assert people(nlp, "Present\nBrigid Stacy (BS), Chief Nursing Officer\n") == [("Brigid Stacy", "Brigid Stacy")]


def test_a_name_between_two_listed_names_is_listed_too(nlp):
    text = "Present\nRay Guyton\nStephen Hendon\nSamih Kalakechi\nPhil Wadesley\nCheryl Moulton\n\nThe meeting opened."
    assert ("Samih Kalakechi", "Samih Kalakechi") in people(nlp, text)
    # a heading between names is not a name
    assert ("Apologies Received", "Apologies Received") not in people(
        nlp, "Ray Guyton\nApologies Received\nPhil Wadesley\n"
    )


def test_role_qualifiers_after_the_role_and_a_byline_after_a_comma(nlp):
    assert people(nlp, "The group was led by the ICB Chair Designate Javed Khanna.") == [
        ("Javed Khanna", "Javed Khanna")
    ]
    assert people(nlp, "Not such a swell party, by Lyn Whitfeld\n\n28 Jul 05\nThe plan was five.") == [
        ("Lyn Whitfeld", "Lyn Whitfeld")
    ]
    assert people(nlp, "It was agreed, by Greater Manchester and others, that it works.") == []


def test_initials_standing_for_a_listed_person_expand_to_the_name(nlp):
    text = (
        "Present\nBashir Arifa          Director of Primary Care\nRobert Moorcock         Director (Chair)\n\n"
        "1.1 The Chair (BA in the absence of RM) welcomed all present.\n"
    )
    found = glossary(nlp, text)
    assert (found.get("BA"), found.get("RM")) == ("Bashir Arifa", "Robert Moorcock")
    # initials two people share, and an acronym nhsx knows, keep their meaning
    shared = glossary(nlp, "Rita Moss and Ray Mills met the NHS. RM spoke.")
    assert shared.get("RM") is None and shared["NHS"] == "National Health Service"


def test_a_function_word_in_capitals_for_emphasis_is_not_an_acronym(nlp):
    found = glossary(nlp, "Improvements made in the past FIVE years in IT and by the WHO.")
    assert "FIVE" not in found and {"IT", "WHO"} <= set(found)


def test_an_attendee_standing_in_for_another_named_on_the_line(nlp):
    text = "Present\n\nDave Carrick for Edwina Granton OBE, Education Services, Fenby County Council\n"
    assert people(nlp, text) == [("Dave Carrick", "Dave Carrick"), ("Edwina Granton", "Edwina Granton")]
    assert ("Fenby City", "Fenby City") not in people(nlp, "Dave Carrick for Fenby City Council spoke.\n")


def test_a_person_name_before_a_building_or_institution_word_names_the_place(nlp):
    assert people(nlp, "The Board Room, Francis Crickton House, 13:00 hrs.") == []
    assert people(nlp, "She visited the George Eliotson Hospital.") == []
    assert people(nlp, "Francis Crickton said the house was full.") == [("Francis Crickton", "Francis Crickton")]


def test_initials_inside_a_titled_name_are_not_an_acronym(nlp):
    found = glossary(nlp, "- Mr AC Marshall – Chief Executive Officer and voting member of the NHS board")
    assert "AC" not in found and "NHS" in found


def test_section_labels_and_english_words_are_not_initials(nlp):
    assert people(nlp, "Contents\nB Background\nC Recommendations\n") == []
    text = "Present\nOliver Nealon          Director\n\nHELD ON THURSDAY 3 March\nThe Board met."
    assert "ON" not in glossary(nlp, text)
