"""National and voluntary-sector bodies (gazetteers/national/, gazetteers/voluntary/) through the real pipeline."""

from __future__ import annotations

import pytest

from conftest import spans
from nhsx.knowledge.gazetteer import Gazetteer, builtin_dir


@pytest.mark.parametrize(
    "text, expected",
    [
        # committees under their old names, and named with their House: one span each
        (
            "Evidence went to the House of Lords Public Services Committee in May.",
            ("House of Lords Public Services Committee", "BODY", "Public Services Committee"),
        ),
        (
            "Members of the Commons Health and Social Care Committee were sceptical.",
            ("Commons Health and Social Care Committee", "BODY", "Health and Social Care Committee"),
        ),
        (
            "In 2014 the House of Commons Health Committee criticised the reforms.",
            ("House of Commons Health Committee", "BODY", "Health and Social Care Committee"),
        ),
        (
            "The Commons Committee of Public Accounts took a dim view.",
            ("Commons Committee of Public Accounts", "BODY", "Public Accounts Committee"),
        ),
        (
            "The Lords Select Committee on the Long-term Sustainability of the NHS heard from him.",
            (
                "Lords Select Committee on the Long-term Sustainability of the NHS",
                "BODY",
                "Select Committee on the Long-term Sustainability of the NHS",
            ),
        ),
        (
            "The Levelling Up, Housing and Communities Committee examined council finances.",
            (
                "Levelling Up, Housing and Communities Committee",
                "BODY",
                "Housing, Communities and Local Government Committee",
            ),
        ),
        (
            "PASC looked at complaints handling.",
            ("PASC", "BODY", "Public Administration and Constitutional Affairs Committee"),
        ),
        ("Her evidence to the Treasury Committee was blunt.", ("Treasury Committee", "BODY", "Treasury Committee")),
        ("Ministers told Parliament the money was new.", ("Parliament", "BODY", "Parliament of the United Kingdom")),
        # government units, commissioners, devolved bodies
        (
            "Officials in Downing Street wanted faster progress.",
            ("Downing Street", "BODY", "Prime Minister's Office, 10 Downing Street"),
        ),
        ("The targets were tracked by the PMDU each month.", ("PMDU", "BODY", "Prime Minister's Delivery Unit")),
        (
            "The scheme was reviewed by the Infrastructure and Projects Authority.",
            ("Infrastructure and Projects Authority", "BODY", "Infrastructure and Projects Authority"),
        ),
        (
            "The Patient Safety Commissioner for England wrote to the board.",
            ("Patient Safety Commissioner for England", "BODY", "Patient Safety Commissioner"),
        ),
        ("Waiting times in NHS Wales rose, the Welsh Government said.", ("NHS Wales", "BODY", "NHS Wales")),
        (
            "The Department of Health in Northern Ireland disagreed.",
            ("Department of Health in Northern Ireland", "BODY", "Department of Health (Northern Ireland)"),
        ),
        ("He was then at the Scottish Executive.", ("Scottish Executive", "BODY", "Scottish Government")),
        # voluntary sector and independent providers
        ("Kidney Care UK and Anthony Nolan co-signed the letter.", ("Anthony Nolan", "BODY", "Anthony Nolan")),
        (
            "A letter from the British Kidney Patient Association followed.",
            ("British Kidney Patient Association", "BODY", "Kidney Care UK"),
        ),
        ("Funding came from Keep Our NHS Public supporters.", ("Keep Our NHS Public", "BODY", "Keep Our NHS Public")),
        (
            "Patients registered with Babylon GP at Hand from across London.",
            ("Babylon GP at Hand", "BODY", "GP at Hand"),
        ),
        ("The contract went to Operose Health after the sale.", ("Operose Health", "BODY", "Operose Health")),
        (
            "Staff from Marie Curie Hospice, Hampstead took part.",
            ("Marie Curie Hospice, Hampstead", "BODY", "Marie Curie Hospice, Hampstead"),
        ),
        ("Many beds are run by charities such as Crisis in winter.", ("Crisis", "BODY", "Crisis")),
        ("The disability charity Scope responded.", ("Scope", "BODY", "Scope")),
        ("Its partner, Capita, ran the service.", ("Capita", "BODY", "Capita")),
        (
            "The figures come from the House of Commons Library.",
            ("House of Commons Library", "BODY", "House of Commons Library"),
        ),
        (
            "The hospital charity was referred to the Charity Commission.",
            ("Charity Commission", "BODY", "Charity Commission for England and Wales"),
        ),
        ("Marie Curie Cancer Care ran the hospice then.", ("Marie Curie Cancer Care", "BODY", "Marie Curie")),
        ("The data went to DeepMind under a 2015 agreement.", ("DeepMind", "BODY", "Google DeepMind")),
        # local Healthwatch: no whole list was reachable, the "Healthwatch <Place>" rule finds them
        (
            "A survey by Healthwatch Kirklees found long waits.",
            ("Healthwatch Kirklees", "BODY", "Healthwatch Kirklees"),
        ),
    ],
)
def test_new_bodies_found_with_label_and_canonical(nlp, text, expected):
    assert expected in spans(nlp, text)


@pytest.mark.parametrize(
    "text, whole",
    [
        ("The House of Lords Public Services Committee met.", "House of Lords Public Services Committee"),
        ("A House of Commons Treasury Committee report was due.", "House of Commons Treasury Committee"),
        ("The Scottish Parliament voted.", "Scottish Parliament"),
    ],
)
def test_committee_with_its_house_is_one_mention(nlp, text, whole):
    """The House inside a committee's name is not a second mention (House of Lords, Treasury, Parliament)."""
    assert [s[0] for s in spans(nlp, text)] == [whole]


@pytest.mark.parametrize(
    "text",
    [
        "There was a sense of urgency on the wards.",
        "The scope of the review was narrow.",
        "It was a crisis in A&E all winter.",
        "Families needed shelter and food.",
        "Parents described the bliss of going home.",
        "The vote was a turning point for the service.",
        "Spending per capita rose by 3%.",
        "Winter Crisis Deepens As Shelter Beds Run Out",
        "The patient had a fever of 38 degrees.",
        "In this parliament the bill will not pass.",
        "They were making headway on the backlog.",
        "She came in wearing muddy boots.",
        "Ash from the fire covered the car park.",
    ],
)
def test_common_words_are_not_mentions(nlp, text):
    assert spans(nlp, text) == []


def test_new_files_give_every_entry_a_source_and_kind():
    gazetteer = Gazetteer.load()
    assert gazetteer.problems == []
    root = builtin_dir()
    new = [e for e in gazetteer if any(part in e.file for part in ("/national/", "/voluntary/"))]
    assert len(new) >= 150
    assert all(e.source and e.kind and e.label == "BODY" for e in new)
    assert {"national", "voluntary"} <= {p.name for p in root.iterdir() if p.is_dir()}
