"""Organisation and policy mechanisms (issue 16): how far a name runs, short forms of a named plan, gated
names unlocked by their own family, through the real default pipeline."""

from __future__ import annotations

import pytest

from conftest import spans


def names(nlp, text: str) -> list[str]:
    return [s[0] for s in spans(nlp, text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        # a comma list closed by "and" stands inside a name
        (
            "Staff at Wrightington, Wigan and Leigh NHS Trust agreed.",
            ("Wrightington, Wigan and Leigh NHS Trust", "BODY"),
        ),
        (
            "Staff at Wolds, Vale and Riverside Teaching Hospitals NHS Trust agreed.",
            ("Wolds, Vale and Riverside Teaching Hospitals NHS Trust", "BODY"),
        ),
        # "for" after a hospital names what the hospital is for
        (
            "The Royal National Hospital for Rheumatic Diseases NHS Trust applied.",
            ("Royal National Hospital for Rheumatic Diseases NHS Trust", "BODY"),
        ),
        # a role word ("General") is a name word right before a hospital head
        (
            "Winners: Barnsley District General Hospitals NHS Trust; Leeds Teaching Hospitals NHS Trust.",
            ("Barnsley District General Hospitals NHS Trust", "BODY"),
        ),
        # a lower-case "NHS trust" still closes a hospital's trust name
        (
            "Nottingham City Hospitals NHS trust and Burton Hospitals NHS trust withdrew.",
            ("Nottingham City Hospitals NHS trust", "BODY"),
        ),
        (
            "Nottingham City Hospitals NHS trust and Burton Hospitals NHS trust withdrew.",
            ("Burton Hospitals NHS trust", "BODY"),
        ),
        # an acronym in brackets inside a known name is stepped over
        (
            "An update on the North East and North Cumbria (NENC) Integrated Care System (ICS) followed.",
            ("North East and North Cumbria (NENC) Integrated Care System", "BODY"),
        ),
        # an all-party parliamentary group is named by its subject
        (
            "The All Party Parliamentary Group for Primary Care and Public Health, led by an MP, met.",
            ("All Party Parliamentary Group for Primary Care and Public Health", "BODY"),
        ),
        (
            "Evidence went to the All-Party Parliamentary Group on Dementia last week.",
            ("All-Party Parliamentary Group on Dementia", "BODY"),
        ),
    ],
)
def test_how_far_a_name_runs(nlp, text, expected):
    assert expected in [s[:2] for s in spans(nlp, text)]


def test_the_bracketed_acronym_is_left_out_of_the_canonical(nlp):
    found = spans(nlp, "An update on the North East and North Cumbria (NENC) Integrated Care System (ICS) followed.")
    assert "North East and North Cumbria Integrated Care System" in [s[2] for s in found if s[1] == "BODY"]
    assert ("Integrated Care System", "ORG_TYPE", "Integrated Care System") not in found
    # the name without its bracket is a known board's alias: the board's canonical
    found = spans(nlp, "Buckinghamshire, Oxfordshire and Berkshire West (BOB) Integrated Care Board (ICB) met.")
    assert found[0] == (
        "Buckinghamshire, Oxfordshire and Berkshire West (BOB) Integrated Care Board",
        "BODY",
        "NHS Buckinghamshire, Oxfordshire and Berkshire West Integrated Care Board",
    )


def test_initials_in_brackets_before_a_head_are_a_person_s(nlp):
    found = names(nlp, "Present:\nJulian Corner (JC) ICB Non-Executive Member")
    assert not any("Corner" in name and "ICB" in name for name in found)


@pytest.mark.parametrize(
    "text, unwanted",
    [
        # a sentence's opening phrase before a comma is not part of the name after it
        ("In Leeds, Bradford and York Teaching Hospitals NHS Trust the work went on.", "Leeds,"),
        ("On Monday, Wolds and Vale Healthcare NHS Foundation Trust said so.", "Monday"),
        # a comma with no "and" after it ends a list item; a list of named committees is no one name
        (
            "The Leeds People Scrutiny Board, York Health Scrutiny Committee and Hull Scrutiny Committee met.",
            "Board, York",
        ),
        ("The North Somerset Scrutiny Committee and Kent Scrutiny Committee met.", "Committee and"),
        ("He is a member of Rossendale Borough Council and Health and Wellbeing Board member.", "Council and"),
        ("The winners, Leeds Teaching Hospitals NHS Trust and others.", "winners,"),
        # a joining word right before the head: a headline's words, not a trust's name
        ("29 Hospitals Invited to Form First Wave of NHS Foundation Trust Applications", "Form"),
        # an office's "for" is not a hospital's: the name starts after it
        ("A statement by the Secretary of State for Health on Morecambe Bay Hospitals followed.", "Health on"),
        # a bare lower-case "NHS trust" after an adjective is no name
        ("Every English NHS trust must report.", "English NHS trust"),
    ],
)
def test_names_do_not_run_too_far(nlp, text, unwanted):
    assert not any(unwanted in found for found in names(nlp, text))


def test_a_headline_keeps_the_kind_inside_it(nlp):
    found = spans(nlp, "29 Hospitals Invited to Form First Wave of NHS Foundation Trust Applications")
    assert ("NHS Foundation Trust", "ORG_TYPE", "Foundation Trust") in found


def test_a_closing_quote_glued_to_the_next_word(nlp):
    found = spans(nlp, "It was 'a new level of primary care trusts'which would need change.")
    assert ("primary care trusts", "ORG_TYPE", "Primary Care Trust") in found


def test_a_company_suffix_ending_a_sentence(nlp):
    found = spans(nlp, "He is a director of Wolds Primary Care Ltd. Minutes were agreed.")
    assert ("Wolds Primary Care Ltd", "BODY", "Wolds Primary Care Ltd") in found


def test_a_trust_named_place_after_a_comma(nlp):
    found = spans(nlp, "The CQC's oversight of University Hospitals, Morecambe Bay was criticised.")
    assert (
        "University Hospitals, Morecambe Bay",
        "BODY",
        "University Hospitals of Morecambe Bay NHS Foundation Trust",
    ) in found


def test_a_common_word_name_is_unlocked_by_its_family(nlp):
    text = (
        "Partners became \u2018One Devon\u2019 today.\n\n"
        "One Devon \u2013 the name of the new system \u2013 starts now. NHS Devon leads it."
    )
    assert names(nlp, text).count("One Devon") == 2
    assert "One Devon" not in names(nlp, "One Devon resident groups met today.")


def test_a_bare_place_after_the_nhs_body_named_after_it_is_no_mention(nlp):
    text = (
        "The board of NHS Lancashire and South Cumbria decided. "
        "Places matter to the future of the Lancashire and South Cumbria system."
    )
    assert names(nlp, text) == ["NHS Lancashire and South Cumbria"]


def test_an_area_s_own_plan_keeps_the_area_s_name(nlp):
    found = spans(nlp, "Survey\n\nNorth East and North Cumbria Joint Forward Plan\n\nWe published our plan.")
    assert ("North East and North Cumbria Joint Forward Plan", "POLICY") in [s[:2] for s in found]
    found = spans(nlp, "The Five Year Joint Forward Plan was agreed.")
    assert ("Joint Forward Plan", "POLICY", "Joint Forward Plan") in found  # a descriptive prefix stays out


def test_the_plan_after_a_named_plan_is_that_plan(nlp):
    text = (
        "The NHS Plan was published in 2000. Ministers launched the Plan with pride. "
        "The Plan's targets were missed, and the plan was later dropped."
    )
    found = spans(nlp, text)
    assert found.count(("Plan", "POLICY", "NHS Plan")) == 2  # lower-case "the plan" is left alone
    assert names(nlp, "Ministers launched the Plan with pride.") == []  # no plan named before


def test_the_plan_is_left_alone_when_two_plans_are_named(nlp):
    text = "The NHS Plan and the NHS Cancer Plan came out in 2000. The Plan was big."
    assert "Plan" not in names(nlp, text)


def test_the_nhs_plan_in_lower_case(nlp):
    assert spans(nlp, "The NHS plan promises new care trusts.")[0] == ("NHS plan", "POLICY", "NHS Plan")
    assert "NHS plan" not in names(nlp, "It is an NHS plan to cut waiting lists.")
    assert "NHS plan" not in names(nlp, "They set out the NHS plan for winter.")


@pytest.mark.parametrize(
    "text, body",
    [
        ("The Bill is in the House of Commons Standing Committee this week.", "House of Commons"),
        ("Report to the Oxford Health NHS Foundation Trust Board of Directors.", "Oxford Health NHS Foundation Trust"),
    ],
)
def test_a_known_body_s_own_committee_is_that_body(nlp, text, body):
    found = [s for s in spans(nlp, text) if s[1] == "BODY"]
    assert [s[0] for s in found] == [body]


def test_a_common_word_name_in_a_list_of_bodies(nlp):
    text = "Copies to:\nAll trust chairs\nMonitor\nCare Quality Commission\n\nDear colleague"
    assert ("Monitor", "BODY", "Monitor") in spans(nlp, text)
    assert "Monitor" not in names(nlp, "Copies to:\nMonitor\nthe chairs of trusts")  # no body listed beside it


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "It joined NE & North Cumbria ICS last year.",
            ("NE & North Cumbria ICS", "BODY", "North East and North Cumbria Integrated Care System"),
        ),
        (
            "The NENC Provider Collaborative met.",
            ("NENC Provider Collaborative", "BODY", "North East and North Cumbria Provider Collaborative"),
        ),
    ],
)
def test_an_area_abbreviation_inside_a_name_is_spelt_out(nlp, text, expected):
    assert expected in spans(nlp, text)


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "He joined the Lancashire and Cumbria Sexual Health Networking Board.",
            "Lancashire and Cumbria Sexual Health Networking Board",
        ),
        (
            "Minutes of the Leicester, Leicestershire and Rutland Joint Health Scrutiny Committee follow.",
            "Leicester, Leicestershire and Rutland Joint Health Scrutiny Committee",
        ),
    ],
)
def test_a_committee_named_after_an_area_is_a_body(nlp, text, expected):
    assert (expected, "BODY") in [s[:2] for s in spans(nlp, text)]


def test_an_area_s_committee_of_a_kind_is_no_body(nlp):
    assert names(nlp, "The Lancashire and Cumbria Audit Committee met.") == []
    assert names(nlp, "The North Somerset Health Scrutiny Committee met.") == []  # one area: its council's


def test_an_informal_trust_name_shared_with_a_merged_successor_takes_the_exact_one(nlp):
    found = spans(nlp, "Burton Hospitals NHS trust withdrew.")
    assert found == [("Burton Hospitals NHS trust", "BODY", "Burton Hospitals NHS Foundation Trust")]
