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
