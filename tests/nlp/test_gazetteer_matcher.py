"""Matching edge cases from the annotation guidelines, through the real default pipeline."""

from __future__ import annotations

import pytest

from conftest import spans


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Officials at the Treasury agreed.", ("Treasury", "BODY", "HM Treasury")),
        ("Her Majesty’s Treasury is not ready.", ("Her Majesty’s Treasury", "BODY", "HM Treasury")),
        ("NHS England’s analysis was grim.", ("NHS England", "BODY", "NHS England")),
        ("The King’s Fund said so.", ("King’s Fund", "BODY", "The King's Fund")),
        ("The King's Fund said so.", ("King's Fund", "BODY", "The King's Fund")),
        ("We saw the long-term plan.", ("long-term plan", "POLICY", "NHS Long Term Plan")),
        ("We saw the Long Term Plan.", ("Long Term Plan", "POLICY", "NHS Long Term Plan")),
        ("It sits in the NHS long term plan.", ("NHS long term plan", "POLICY", "NHS Long Term Plan")),
        ("They kept organisational control totals.", ("control totals", "POLICY", "Control Total")),
        ("ICSs’ role is growing.", ("ICSs", "ORG_TYPE", "Integrated Care System")),
        ("The STP's plan was late.", ("STP", "ORG_TYPE", "Sustainability and Transformation Partnership")),
        ("progress on a sub-STP basis", ("STP", "ORG_TYPE", "Sustainability and Transformation Partnership")),
        ("the 2022 Fuller stocktake", ("Fuller stocktake", "POLICY", "Fuller Stocktake")),
        ("Sir Chris Ham, of the fund, spoke.", ("Chris Ham", "PERSON", "Chris Ham")),
        ("led by chief executive officer Ed Garratt today", ("Ed Garratt", "PERSON", "Ed Garratt")),
        ("We should invite Mr Parsa in again.", ("Parsa", "PERSON", "Ali Parsa")),
        ("Joe Rafferty calls it a race.", ("Joe Rafferty", "PERSON", "Joe Rafferty")),
        ("Dr Priya Shah agreed.", ("Priya Shah", "PERSON", "Priya Shah")),
        (
            "David Pearson, of Nottinghamshire County Council, said",
            ("Nottinghamshire County Council", "BODY", "Nottinghamshire County Council"),
        ),
        ("The think tank Reform published a paper.", ("Reform", "BODY", "Reform")),
        ("They paid through the tariff.", ("tariff", "POLICY", "National Tariff")),
        ("The CCG members’ body met.", ("CCG", "ORG_TYPE", "Clinical Commissioning Group")),
    ],
)
def test_guideline_span_and_canonical(nlp, text, expected):
    assert expected in spans(nlp, text)


@pytest.mark.parametrize(
    "text",
    [
        "The NHS is under pressure.",  # NHS on its own
        "Connecting IT and data is hard, and so on.",  # IT is a glossary term, "and" never an acronym
        "Insight for NHS providers and commissioners.",  # generic lower-case "NHS providers"
        "“Reform is important,” he said.",  # the common noun at a sentence start
        "The trust, the provider and the system agreed with the government.",
        "Greater Manchester and Devon are places.",
        "She left in May 2019.",
    ],
)
def test_not_annotated(nlp, text):
    assert spans(nlp, text) == []


def test_acronyms_are_case_sensitive(nlp):
    assert spans(nlp, "The ics was small.") == []
    assert ("ICS", "ORG_TYPE", "Integrated Care System") in spans(nlp, "The ICS was small.")


def test_longest_match_wins_and_nothing_nests(nlp):
    found = spans(nlp, "NHS Clinical Commissioners wrote to NHS England.")
    assert [s[0] for s in found] == ["NHS Clinical Commissioners", "NHS England"]


def test_acronym_flag(nlp):
    doc = nlp("NHSE and NHS England and the ICBs.")
    flags = {s.text: s._.nhsx_acronym for s in doc.spans["nhsx"]}
    assert flags == {"NHSE": True, "NHS England": False, "ICBs": True}


def test_person_resolution_within_document(nlp):
    text = (
        "Before the vanguards there were Norman Lamb's pioneers. "
        "Mr Lamb is disappointed. Lamb said the programme lacked support."
    )
    people = [s for s in spans(nlp, text) if s[1] == "PERSON"]
    assert people == [
        ("Norman Lamb", "PERSON", "Norman Lamb"),
        ("Lamb", "PERSON", "Norman Lamb"),
        ("Lamb", "PERSON", "Norman Lamb"),
    ]


def test_first_name_resolves_to_person_introduced_earlier(nlp):
    text = "Reform thinker Paul Corrigan made a critique. Paul describes it as a game."
    assert ("Paul", "PERSON", "Paul Corrigan") in spans(nlp, text)


def test_unknown_person_resolution_and_source(nlp):
    doc = nlp("Chief nurse Zainab Okafor opened the ward. Ms Okafor said staff were tired. Okafor thanked them.")
    people = [(s.text, s.id_, s._.nhsx_source) for s in doc.spans["nhsx"] if s.label_ == "PERSON"]
    assert people == [
        ("Zainab Okafor", "Zainab Okafor", "rule"),
        ("Okafor", "Zainab Okafor", "resolution"),
        ("Okafor", "Zainab Okafor", "resolution"),
    ]


def test_another_person_with_same_first_name_is_not_merged(nlp):
    found = spans(nlp, "Paul Corrigan blogs. The column by Paul Mason is out.")
    assert ("Paul Mason", "PERSON", "Paul Mason") in found
    assert ("Paul", "PERSON", "Paul Corrigan") not in found


def test_known_person_keeps_canonical_with_title_and_surname(nlp):
    assert ("Lansley", "PERSON", "Andrew Lansley") in spans(nlp, "Naturally, we all agree, Mr Lansley.")


def test_a_surname_two_known_people_share_needs_the_document(nlp):
    assert ("May", "PERSON", "May") in spans(nlp, "Naturally, we all agree, Ms May.")  # Theresa or Ruth May
    assert ("May", "PERSON", "Theresa May") in spans(nlp, "Theresa May hosted it. Naturally, we all agree, Ms May.")


def test_local_titles_do_not_link_to_national_figures(nlp):
    assert ("Johnson", "PERSON", "Johnson") in spans(nlp, "Councillor Johnson agreed.")


def test_gazetteer_ids_survive_multi_token_names(nlp):
    doc = nlp("The Care Quality Commission and Simon Stevens.")
    assert {s.text: s.kb_id_ for s in doc.spans["nhsx"]} == {
        "Care Quality Commission": "body:care-quality-commission",
        "Simon Stevens": "person:simon-stevens",
    }


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The submission by FNW ICB was late.", ("FNW ICB", "BODY", "FNW ICB")),  # unknown abbreviation
        (
            "The submission by BOB ICB was late.",
            ("BOB ICB", "BODY", "NHS Buckinghamshire, Oxfordshire and Berkshire West Integrated Care Board"),
        ),
        (
            "Lancashire Health and Wellbeing Board met.",
            ("Lancashire Health and Wellbeing Board", "BODY", "Lancashire Health and Wellbeing Board"),
        ),
        ("Greater Manchester's ICB agreed.", ("ICB", "ORG_TYPE", "Integrated Care Board")),
        (
            "Northumbria Healthcare FT agreed.",
            ("Northumbria Healthcare FT", "BODY", "Northumbria Healthcare NHS Foundation Trust"),
        ),
        (
            "Bradford District Care Trust agreed.",
            ("Bradford District Care Trust", "BODY", "Bradford District Care NHS Foundation Trust"),
        ),
        (
            "Sandwell Mental Health and Social Care Trust agreed.",
            ("Sandwell Mental Health and Social Care Trust", "BODY", "Sandwell Mental Health and Social Care Trust"),
        ),
        ("Steve McManus said it works.", ("Steve McManus", "PERSON", "Steve McManus")),
        ("Alveena Malik was appointed chair.", ("Alveena Malik", "PERSON", "Alveena Malik")),
        ("The Elective Reform Plan was published.", ("Elective Reform Plan", "POLICY", "Elective Reform Plan")),
        ("MPs debated the Health and Care Bill.", ("Health and Care Bill", "POLICY", "Health and Care Act 2022")),
        (
            "It chose Erewash Multispecialty Community Provider as a vanguard.",
            ("Erewash Multispecialty Community Provider", "BODY", "Erewash Multispecialty Community Provider"),
        ),
        (
            "Pennine GP Alliance and West Wakefield Health and Wellbeing Ltd joined.",
            ("West Wakefield Health and Wellbeing Ltd", "BODY", "West Wakefield Health and Wellbeing Ltd"),
        ),
        (
            "Pennine GP Alliance and West Wakefield Health and Wellbeing Ltd joined.",
            ("Pennine GP Alliance", "BODY", "Pennine GP Alliance"),
        ),
        ("Cambs LMC wrote to practices.", ("Cambs LMC", "BODY", "Cambs LMC")),
        (
            "The East of England Strategic Health Authority closed.",
            ("East of England Strategic Health Authority", "BODY", "East of England Strategic Health Authority"),
        ),
        (
            "North of England Commissioning Support Unit bills.",
            ("North of England Commissioning Support Unit", "BODY", "North of England Commissioning Support Unit"),
        ),
    ],
)
def test_local_names_and_house_styles(nlp, text, expected):
    assert expected in spans(nlp, text)


@pytest.mark.parametrize(
    "text, unwanted",
    [
        ("Suffolk County Council and Essex County Council met.", "Suffolk County Council and Essex County Council"),
        ("acronyms like MCP, PACS, ACO and ICS", "ACO and ICS"),
        ("Reform UK won seats.", "Reform"),
        ("The Annual Plan was agreed.", "Annual Plan"),
        ("the Lord Lieutenant of Kent", "Lieutenant"),
        ("Services across Norfolk and Suffolk will change.", "Norfolk and Suffolk"),
    ],
)
def test_rules_do_not_overreach(nlp, text, unwanted):
    assert unwanted not in [s[0] for s in spans(nlp, text)]


def test_acronym_defined_in_the_document_links_later_uses(nlp):
    text = (
        "Barking, Havering and Redbridge University Hospitals NHS Trust (BHRUT) reported. "
        "A BHRUT paper followed. Unrelated XYZQ (not defined) appears."
    )
    found = [(t, label, canonical) for t, label, canonical in spans(nlp, text) if t == "BHRUT"]
    assert found == [("BHRUT", "BODY", "Barking, Havering and Redbridge University Hospitals NHS Trust")] * 2


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "We work with Guy’s and St Thomas’ NHS Foundation Trust’s teams.",
            ("Guy’s and St Thomas’ NHS Foundation Trust", "BODY", "Guy's and St Thomas' NHS Foundation Trust"),
        ),
        (
            "Patients at Guy's and St Thomas' waited.",
            ("Guy's and St Thomas'", "BODY", "Guy's and St Thomas' NHS Foundation Trust"),
        ),
        (
            "Practices dealt with NHS Luton CCG until 2021.",
            ("NHS Luton CCG", "BODY", "NHS Luton Clinical Commissioning Group"),
        ),
        (
            "Suffolk and North East Essex ICB has asked partners.",
            ("Suffolk and North East Essex ICB", "BODY", "NHS Suffolk and North East Essex Integrated Care Board"),
        ),
        (
            "Board papers from Hertfordshire and West Essex STP.",
            (
                "Hertfordshire and West Essex STP",
                "BODY",
                "Hertfordshire and West Essex Sustainability and Transformation Partnership",
            ),
        ),
        (
            "Teams across the East of England region met.",
            ("East of England region", "BODY", "NHS England East of England"),
        ),
        (
            "Crews from East of England Ambulance Service arrived.",
            ("East of England Ambulance Service", "BODY", "East of England Ambulance Service NHS Trust"),
        ),
    ],
)
def test_ods_organisations_inside_sentences(nlp, text, expected):
    assert expected in spans(nlp, text)


def test_full_trust_name_beats_the_structure_inside_it(nlp):
    found = spans(nlp, "Leeds Teaching Hospitals NHS Trust and other foundation trusts.")
    assert found[0][:2] == ("Leeds Teaching Hospitals NHS Trust", "BODY")
    assert ("foundation trusts", "ORG_TYPE", "Foundation Trust") in found


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Cllr Fiona Venner - Executive Member for Adult Social Care", ("Fiona Venner", "PERSON", "Fiona Venner")),
        ("Tom Quilter-Pinner said so.", ("Tom Quilter-Pinner", "PERSON", "Tom Quilter-Pinner")),
        ("Patients at the Woodside Surgery waited.", ("Woodside Surgery", "BODY", "Woodside Surgery")),
        ("at Ipswich Hospital and Colchester Hospital", ("Colchester Hospital", "BODY", "Colchester Hospital")),
        ("The Chief Executive of Leeds City Council spoke.", ("Leeds City Council", "BODY", "Leeds City Council")),
        ("The Mid and South Essex ICP met.", ("Mid and South Essex ICP", "BODY", "Mid and South Essex ICP")),
    ],
)
def test_span_edges_of_rule_names(nlp, text, expected):
    assert expected in spans(nlp, text)


@pytest.mark.parametrize(
    "text",
    [
        "Thriving Places, the official guidance, was read.",  # "official" is an adjective here
        "She covers GP Amber Valley practices.",  # a role acronym needs a known first name after it
        "The Executive Director of Strategy spoke.",  # a job title, not a strategy
    ],
)
def test_role_words_do_not_make_names(nlp, text):
    assert spans(nlp, text) == []


def test_bare_prefix_links_to_the_one_local_body_named(nlp):
    found = spans(nlp, "Healthwatch Suffolk visited. Healthwatch assured the Panel.")
    assert found == [
        ("Healthwatch Suffolk", "BODY", "Healthwatch Suffolk"),
        ("Healthwatch", "BODY", "Healthwatch Suffolk"),
    ]
    two = spans(nlp, "Healthwatch Kent and Healthwatch Essex met. Healthwatch agreed.")
    assert ("Healthwatch", "BODY", "Healthwatch Kent") not in two and len(two) == 2


def test_policy_names_may_start_with_nhs_and_hold_a_comma(nlp):
    text = "The NHS Performance, Improvement and Regulatory Framework applies."
    assert spans(nlp, text) == [
        (
            "NHS Performance, Improvement and Regulatory Framework",
            "POLICY",
            "NHS Performance, Improvement and Regulatory Framework",
        )
    ]


def test_an_initial_after_an_honorific_is_part_of_the_name(nlp):
    found = spans(nlp, "Members present: Mr A Cummings (Mr D Walker attended).")
    assert ("A Cummings", "PERSON", "A Cummings") in found and ("D Walker", "PERSON", "D Walker") in found


def test_names_run_together_in_an_attendance_list_are_separate_people(nlp):
    found = [
        s[0] for s in spans(nlp, "Present: Alan Yates Julie Dawes Dr Lesley Stevens In Attendance: Mary Anne Smith")
    ]
    assert found == ["Alan Yates", "Julie Dawes", "Lesley Stevens", "Mary Anne Smith"]


def test_a_body_named_with_nhs_is_the_same_body_without_it_later(nlp):
    text = (
        "The NHS Business Services Authority pays pensions. The Business Services Authority said so. "
        "Then the Business Services Authority Board met."
    )
    found = spans(nlp, text)
    assert found.count(("Business Services Authority", "BODY", "NHS Business Services Authority")) == 1
    assert spans(nlp, "The Business Services Authority said so.") == []  # nothing in the document to link to


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Funding went to Public Health England.[3] It fell.", "Public Health England"),
        ("NHS England[12] said so.", "NHS England"),
        ("The Department of Health,[4] and others.", "Department of Health"),
    ],
)
def test_footnote_marks_stuck_to_a_name(nlp, text, expected):
    assert expected in [s[0] for s in spans(nlp, text)]


def test_a_line_break_inside_a_name(nlp):
    text = "Funds for integrated care\nboards. The Care Quality \nCommission met Simon\nStevens and Mr\nLamb."
    found = spans(nlp, text)
    assert ("integrated care\nboards", "ORG_TYPE", "Integrated Care Board") in found
    assert ("Care Quality \nCommission", "BODY", "Care Quality Commission") in found
    assert ("Simon\nStevens", "PERSON", "Simon Stevens") in found
    assert ("Lamb", "PERSON", "Norman Lamb") in found


def test_a_blank_line_still_ends_a_name(nlp):
    assert spans(nlp, "We wrote to the Care Quality\n\nCommission reports follow.") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Shrewsbury and Telford NHS Trust missed it.", ("Shrewsbury and Telford NHS Trust", "ods:RXW")),
        ("Hull University Hospitals missed it.", ("Hull University Hospitals", "ods:RWA")),
        ("Acme Valley Hospitals NHS Trust missed it.", ("Acme Valley Hospitals NHS Trust", "")),  # no such trust
        ("Frimley Heath Foundation Trust missed it.", ("Frimley Heath Foundation Trust", "ods:RDU")),  # a slip
        ("University Hospitals NHS Trust missed it.", None),  # nothing that singles one trust out
    ],
)
def test_informal_trust_names_take_the_trust_they_name(nlp, text, expected):
    doc = nlp(text)
    found = [(s.text, s.kb_id_) for s in doc.spans["nhsx"] if s.label_ == "BODY"]
    if expected is None:
        assert all(kb_id == "" for _, kb_id in found)
    else:
        assert found == [expected]


def test_a_hospital_is_not_taken_for_its_trust(nlp):
    doc = nlp("Stafford Hospital closed.")
    assert [(s.text, s.kb_id_) for s in doc.spans["nhsx"]] == [("Stafford Hospital", "body:stafford-hospital")]


def test_a_longer_coordinated_name_is_one_body(nlp):
    assert spans(nlp, "Surrey and Sussex ICB will form in 2026.") == [
        ("Surrey and Sussex ICB", "BODY", "Surrey and Sussex ICB")
    ]
    assert spans(nlp, "Sussex ICB met.") == [("Sussex ICB", "BODY", "NHS Sussex Integrated Care Board")]


def test_nhs_before_a_council_place_names_a_local_nhs_body(nlp):
    # a known one (a primary care trust's "NHS <place>" brand, gazetteers/history) takes its gazetteer entry
    found = spans(nlp, "NHS Rutland and NHS Brighton and Hove merged services; NHS Salford CCG took over.")
    assert found == [
        ("NHS Rutland", "BODY", "NHS Rutland"),
        ("NHS Brighton and Hove", "BODY", "Brighton and Hove City Primary Care Trust"),
        ("NHS Salford CCG", "BODY", "NHS Salford Clinical Commissioning Group"),
    ]
    assert spans(nlp, "The NHS in Salford is busy.") == []


def test_a_bare_prefix_counting_bodies_or_before_the_name_is_not_linked(nlp):
    found = spans(nlp, "Some 30 Healthwatch groups replied. Healthwatch Lincolnshire led. Healthwatch said so.")
    assert found == [
        ("Healthwatch Lincolnshire", "BODY", "Healthwatch Lincolnshire"),
        ("Healthwatch", "BODY", "Healthwatch Lincolnshire"),
    ]


def test_a_common_word_name_opening_a_bullet_is_not_the_body(nlp):
    assert spans(nlp, "Plans:\n\u2022 Reform: working differently") == []


def test_a_line_break_inside_a_rule_found_name(nlp):
    found = spans(nlp, "Staff at Frimley NHS\nTrust agreed.")
    assert found == [("Frimley NHS\nTrust", "BODY", "Frimley Health NHS Foundation Trust")]
    # the rest of a name stays on its head's line: a heading above is not part of it
    found = spans(nlp, "Planned\nCare Acme Valley Foundation Trust met.")
    assert found == [("Acme Valley Foundation Trust", "BODY", "Acme Valley Foundation Trust")]


def test_a_heading_line_above_a_name_is_not_part_of_it(nlp):
    assert spans(nlp, "Finance\nJohn Smith said the budget was tight.") == [("John Smith", "PERSON", "John Smith")]


def test_an_acronym_defined_for_an_informal_trust_name_takes_the_trust(nlp):
    doc = nlp("Shrewsbury and Telford NHS Trust (SATH) is struggling. SATH said so.")
    assert {(s.text, s.kb_id_) for s in doc.spans["nhsx"]} == {
        ("Shrewsbury and Telford NHS Trust", "ods:RXW"),
        ("SATH", "ods:RXW"),
    }


def test_a_charity_named_with_a_generic_word_is_not_taken_for_a_trust(nlp):
    doc = nlp("The National Trust agreed.")
    assert [(s.text, s.kb_id_) for s in doc.spans["nhsx"]] == [("National Trust", "")]


def test_a_byline_on_its_own_line_names_a_person(nlp):
    assert ("Saša Janković", "PERSON", "Saša Janković") in spans(nlp, "Dental deserts\nBy Saša Janković\nThe ICB said.")
    assert spans(nlp, "Costs rose. By Large Margins the vote passed.") == []  # not at a line start
