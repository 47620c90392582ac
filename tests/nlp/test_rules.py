"""Rule helpers that work on token texts."""

from __future__ import annotations

import pytest

from nhsx.nlp.rules.cues import Cues
from nhsx.nlp.rules.organisations import HeadedNames, titled_body_start
from nhsx.nlp.rules.people import (
    KnownPerson,
    KnownRoles,
    role_phrases,
    role_words_of,
    split_run_on_names,
    starts_with_job_title,
)

FIRST_NAMES = frozenset({"Alan", "Julie", "Ian", "Jane", "Mary", "Anne"})


@pytest.mark.parametrize(
    "texts, expected",
    [
        (["Alan", "Yates", "Julie", "Dawes"], [(0, 2), (2, 4)]),
        (["Jane", "Hartley", "Ian", "Hartley"], [(0, 2), (2, 4)]),
        (["Mary", "Anne", "Smith"], [(0, 3)]),  # a second given name is not a second person
        (["Alan", "Yates", "Julie"], [(0, 2)]),  # a lone first name left over is dropped
        (["Yates"], [(0, 1)]),
        ([], [(0, 0)]),
    ],
)
def test_split_run_on_names(texts, expected):
    assert split_run_on_names(texts, FIRST_NAMES) == expected


def _known_roles() -> KnownRoles:
    def person(name: str, *roles: str) -> KnownPerson:
        return KnownPerson(name, "person:" + name.lower().replace(" ", "-"), tuple(role_words_of(r) for r in roles))

    return KnownRoles(
        [
            person("Jeremy Hunt", "Secretary of State for Health", "Chancellor of the Exchequer"),
            person("Boris Johnson", "Prime Minister"),
            person("Alan Johnson", "Secretary of State for Health"),
        ]
    )


@pytest.mark.parametrize(
    "before, surname, expected",
    [
        (["Health", "Secretary"], "Hunt", "Jeremy Hunt"),
        (["the", "former", "health", "secretary"], "Hunt", "Jeremy Hunt"),
        (["Chancellor"], "Hunt", "Jeremy Hunt"),
        (["Prime", "Minister"], "Johnson", "Boris Johnson"),  # the one Johnson who held that role
        (["Health", "Secretary"], "Johnson", "Alan Johnson"),  # of two listed Johnsons, the one who held it
        (["trust", "chair"], "Hunt", None),  # a role he never held
        (["Home", "Secretary"], "Hunt", None),
        (["Secretary"], "Smith", None),  # nobody listed
    ],
)
def test_a_role_before_a_surname_names_the_listed_person_who_held_it(before, surname, expected):
    person = _known_roles().person(surname, before)
    assert (person.canonical if person else None) == expected


def test_a_role_phrase_the_document_names_picks_the_person_with_that_surname():
    known = _known_roles()
    lowers = ["later", "the", "secretary", "of", "state", "for", "health", "left", "."]
    phrases = role_phrases(lowers, [2], known.role_vocabulary)
    assert phrases == {frozenset({"secretary", "state", "health"})}
    assert known.named_by_role("Hunt", phrases).canonical == "Jeremy Hunt"
    assert known.named_by_role("Johnson", phrases).canonical == "Alan Johnson"  # not Boris, never health secretary
    both = phrases | role_phrases(["the", "prime", "minister", "said"], [2], known.role_vocabulary)
    assert known.named_by_role("Johnson", both) is None  # each Johnson's role is named: either may be meant
    # one word is too little to name a role ("the secretary")
    assert known.named_by_role("Hunt", role_phrases(["the", "secretary", "left"], [1], known.role_vocabulary)) is None


ROLES = frozenset({"executive", "director", "nurse", "chair", "CEO"})


@pytest.mark.parametrize(
    "words, expected",
    [
        (["Interim", "Chief", "Executive"], True),
        (["Director", "of", "Finance"], True),
        (["Medical", "Director"], True),
        (["CEO"], True),
        (["Stevens", "said", "it"], False),  # the rest of the name, then a verb
        (["Smith"], False),
        (["Head", "Office", "Staff", "Director"], False),  # a role word too far in is not a title opening the line
    ],
)
def test_starts_with_job_title(words, expected):
    assert starts_with_job_title(words, ROLES) is expected


def _policy_names(nlp, text: str) -> list[str]:
    doc = nlp.make_doc(text)
    heads = HeadedNames(Cues.builtin())
    positions = [t.i for t in doc if t.text in heads.last_words]
    return [doc[f.start : f.end].text for f in heads.find(doc, positions) if f.rule == "policy_head"]


def test_a_comma_stays_in_a_policy_name_only_in_a_list_closed_by_and(nlp):
    assert _policy_names(nlp, "the NHS Performance, Improvement and Regulatory Framework applies") == [
        "NHS Performance, Improvement and Regulatory Framework"
    ]
    # a byline's publication after the author's name is no policy (and "Evening Standard" is too generic)
    assert _policy_names(nlp, "Jane Smith, Evening Standard") == []
    assert _policy_names(nlp, "Ward Visits, Waiting Time Reduction Framework") == ["Waiting Time Reduction Framework"]


def _titled_bodies(nlp, text: str, known_names: list[str]) -> list[str]:
    """Committee-type names in ``text``, with ``known_names`` standing for the gazetteer's matches."""
    doc = nlp.make_doc(text)
    heads = HeadedNames(Cues.builtin())
    known: dict[int, list[int]] = {}
    for name in known_names:
        k = doc.text.index(name)
        span = doc.char_span(k, k + len(name))
        known.setdefault(span.start, []).append(span.end)
    positions = [t.i for t in doc if t.text in heads.last_words]
    found = []
    for name in heads.find(doc, positions):
        if (
            name.rule == "titled_body"
            and (start := titled_body_start(name, doc, heads.policy_words, known)) is not None
        ):
            found.append(doc[start : name.end].text)
    return found


@pytest.mark.parametrize(
    "text, known, expected",
    [
        ("The Elective Recovery Programme Board met.", [], ["Elective Recovery Programme Board"]),
        ("The Long Term Plan Implementation Group met.", ["Long Term Plan"], ["Long Term Plan Implementation Group"]),
        ("The Better Care Fund Task Force met.", ["Better Care Fund"], ["Better Care Fund Task Force"]),
        (
            "The House of Lords Public Services Committee met.",
            ["House of Lords"],
            ["House of Lords Public Services Committee"],
        ),
        # a known name the run starts inside of ("New" never opens a run) is all in the name
        (
            "The New Care Models Programme Board met.",
            ["New Care Models Programme"],
            ["New Care Models Programme Board"],
        ),
        ("The NHS England Board met.", ["NHS England"], []),  # a body's own board
        ("The Audit Committee met.", [], []),  # no policy and no known name: one committee of many
        ("The Strategy Group met.", [], []),  # a policy word alone is too generic
        # a possessive ends the owner's name: the body's own group, or the group the policy's words name
        ("The Care Quality Commission's Strategy Review Group met.", ["Care Quality Commission"], []),
        (
            "NHS England's Elective Recovery Programme Board met.",
            ["NHS England"],
            ["Elective Recovery Programme Board"],
        ),
    ],
)
def test_a_committee_is_a_named_body_when_it_holds_a_policy_or_opens_with_a_known_name(nlp, text, known, expected):
    assert _titled_bodies(nlp, text, known) == expected


def _org_names(nlp, text: str) -> list[str]:
    doc = nlp.make_doc(text)
    heads = HeadedNames(Cues.builtin())
    positions = [t.i for t in doc if t.text in heads.last_words]
    return [doc[f.start : f.end].text for f in heads.find(doc, positions) if f.rule == "org_head"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Staff at St Luke's Hospice agreed.", ["St Luke's Hospice"]),  # a saint's name opens it
        ("We visited St Christopher's Hospice.", ["St Christopher's Hospice"]),
        ("Marie Curie Newcastle Hospice closed.", ["Marie Curie Newcastle Hospice"]),
        ("Greater Manchester's ICB met.", []),  # a possessive before a structure: the place's ICB
        ("Bury St Edmunds Hospital opened.", ["Bury St Edmunds Hospital"]),
    ],
)
def test_institution_names_may_hold_a_saint_and_a_possessive(nlp, text, expected):
    assert _org_names(nlp, text) == expected
