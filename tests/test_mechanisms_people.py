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
