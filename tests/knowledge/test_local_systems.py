"""Local systems by the names their documents use (gazetteers/local/): ICS brands and partnerships,
cancer alliances, health innovation networks, place partnerships and provider collaboratives."""

from __future__ import annotations

import json

import pytest

from conftest import REPO, run_nhsx, spans
from nhsx.knowledge.gazetteer import Gazetteer, load_entries

LOCAL = REPO / "gazetteers" / "local"


@pytest.fixture(scope="module")
def local_entries():
    entries, problems = load_entries(sorted(LOCAL.glob("*.yaml")))
    assert problems == []
    return entries


@pytest.fixture(scope="module")
def gazetteer():
    loaded = Gazetteer.load()
    assert loaded.problems == []
    return loaded


def bodies(nlp, text: str) -> list[tuple[str, str]]:
    return [(t, canonical) for t, label, canonical in spans(nlp, text) if label == "BODY"]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "The Cheshire and Merseyside Health and Care Partnership agreed its interim strategy in March.",
            (
                "Cheshire and Merseyside Health and Care Partnership",
                "Cheshire and Merseyside Health and Care Partnership",
            ),
        ),
        ("Partners across Our Dorset have signed up to the new prevention pledge.", ("Our Dorset", "Our Dorset")),
        (
            "The board of Healthier Together will review the dementia pathway in the autumn.",
            ("Healthier Together", "Healthier Together"),
        ),
        (
            "A paper to the One Devon Partnership set out the joint forward plan.",
            ("One Devon Partnership", "One Devon Partnership"),
        ),
        ("Leaders across One Devon want fewer handoffs between services.", ("One Devon", "One Devon")),
        (
            "Priorities were agreed by Together We’re Better and its place boards.",
            ("Together We’re Better", "Together We're Better"),
        ),
        ("Members of BSW Together endorsed the workforce plan.", ("BSW Together", "BSW Together")),
        (
            "Within the Humber and North Yorkshire Health and Care Partnership, each place sets its own priorities.",
            (
                "Humber and North Yorkshire Health and Care Partnership",
                "Humber and North Yorkshire Health and Care Partnership",
            ),
        ),
        (
            "The Wakefield District Health and Care Partnership will lead on neighbourhood teams.",
            ("Wakefield District Health and Care Partnership", "Wakefield District Health and Care Partnership"),
        ),
        (
            "Social workers in the One Croydon Alliance hold weekly huddles with GPs.",
            ("One Croydon Alliance", "One Croydon Alliance"),
        ),
        ("Pathology is now shared across WYAAT trusts.", ("WYAAT", "West Yorkshire Association of Acute Trusts")),
        (
            "Out-of-area placements fell after the West Yorkshire Mental Health, Learning Disability and Autism "
            "Collaborative took on the secure care budget.",
            (
                "West Yorkshire Mental Health, Learning Disability and Autism Collaborative",
                "West Yorkshire Mental Health, Learning Disabilities and Autism Collaborative",
            ),
        ),
        (
            "Extended access hubs are run by the Tower Hamlets GP Care Group on behalf of all practices.",
            ("Tower Hamlets GP Care Group", "Tower Hamlets GP Care Group"),
        ),
        ("Community nursing moved into MLCO in 2018.", ("MLCO", "Manchester Local Care Organisation")),
        (
            "The proposals were reviewed by the Yorkshire and Humber Clinical Senate before consultation.",
            ("Yorkshire and Humber Clinical Senate", "Yorkshire and the Humber Clinical Senate"),
        ),
        (
            "The Kent and Medway Integrated Care Partnership approved the strategy in December.",
            ("Kent and Medway Integrated Care Partnership", "Kent and Medway Integrated Care Partnership"),
        ),
        ("The chief executives of the Shelford Group wrote to ministers.", ("Shelford Group", "Shelford Group")),
        (
            "Referrals rose after the SWAG Cancer Alliance funded the pilot.",
            ("SWAG Cancer Alliance", "Somerset, Wiltshire, Avon and Gloucestershire Cancer Alliance"),
        ),
        ("Lung health checks were run by RM Partners in north west London.", ("RM Partners", "RM Partners")),
        (
            "Data from the East of England – North Cancer Alliance were included.",
            ("East of England – North Cancer Alliance", "East of England - North Cancer Alliance"),
        ),
    ],
)
def test_public_names_are_bodies_with_their_canonical(nlp, text, expected):
    assert expected in bodies(nlp, text)


@pytest.mark.parametrize(
    "text",
    [
        "We want our communities to grow healthier together over the next decade.",
        "Families who eat together are healthier together, the survey found.",
        "This is our Dorset too, residents told the meeting.",
        "Healthier together: that is the aim of every partner in the city.",
        "Healthier Futures start in childhood, the report argues.",
        "one Devon practice closed its list in June.",
        "One Devon GP said the list was closed in June.",
        "We set up an innovation agency for the region.",
    ],
)
def test_common_phrases_are_not_mentions(nlp, text):
    assert bodies(nlp, text) == []


def test_healthier_together_inside_another_name_is_not_the_partnership(nlp):
    text = "Parents can check symptoms on the NHS Healthier Together website."
    assert ("Healthier Together", "Healthier Together") not in bodies(nlp, text)


@pytest.mark.parametrize(
    "text, canonical",
    [
        ("The Yorkshire and Humber AHSN evaluated the app in 2019.", "Health Innovation Yorkshire and Humber"),
        ("Health Innovation Yorkshire & Humber now supports the roll-out.", "Health Innovation Yorkshire and Humber"),
        ("Wessex AHSN funded the fellowship.", "Health Innovation Wessex"),
        ("The Innovation Agency hosted the patient safety collaborative.", "Health Innovation North West Coast"),
        ("Support came from the Oxford Academic Health Science Network.", "Health Innovation Oxford and Thames Valley"),
        ("ICHP ran the evaluation for the ICS.", "Imperial College Health Partners"),
    ],
)
def test_ahsn_names_report_the_network_under_its_current_name(nlp, text, canonical):
    assert canonical in {c for _, c in bodies(nlp, text)}


def test_as_of_leaves_a_renamed_network_alone():
    """A rename is one body: an AHSN named in 2019 is already its health innovation network, before
    and after --as-of."""
    text = b"In 2019 the Wessex AHSN worked with the West Yorkshire Health and Care Partnership."
    for extra in ((), ("--as-of", "2024-01-01")):
        result = run_nhsx("extract", "-", "--mentions", "-f", "json", *extra, stdin=text)
        assert result.returncode == 0, result.stderr
        found = {(m["canonical"], m["id"], m["mapped_from"]) for m in json.loads(result.stdout)}
        assert ("Health Innovation Wessex", "body:health-innovation-wessex", None) in found
        assert (
            "West Yorkshire Health and Care Partnership",
            "body:west-yorkshire-health-and-care-partnership",
            None,
        ) in found


def test_every_local_entry_names_its_source(local_entries):
    assert local_entries and all(e.source and e.label == "BODY" and e.kind for e in local_entries)


def test_parents_are_icbs(local_entries, gazetteer):
    for entry in local_entries:
        if entry.parent:
            assert gazetteer.entries[entry.parent].kind == "ICB", entry.id


def test_ics_public_names_all_link_to_their_icb(local_entries):
    ics_file = [e for e in local_entries if e.file.endswith("ics-public-names.yaml")]
    assert len(ics_file) >= 20
    assert all(e.parent and e.kind in ("ICS", "integrated care partnership") for e in ics_file)


def test_all_cancer_alliances_and_innovation_networks(local_entries):
    kinds = [e.kind for e in local_entries]
    assert kinds.count("cancer alliance") == 21
    assert kinds.count("health innovation network") == 15


# Trusts are widely called by the acronyms they use themselves (nhsx/data/ods_additions.yaml).
@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Board papers from LTHTR and LTH were shared with the ICP.",
            [
                ("LTHTR", "Lancashire Teaching Hospitals NHS Foundation Trust"),
                ("LTH", "Lancashire Teaching Hospitals NHS Foundation Trust"),
            ],
        ),
        (
            "District nurses from LCHS work alongside LPFT crisis teams.",
            [
                ("LCHS", "Lincolnshire Community Health Services NHS Trust"),
                ("LPFT", "Lincolnshire Partnership NHS Foundation Trust"),
            ],
        ),
        (
            "LPT and UHL run the discharge hub together.",
            [("LPT", "Leicestershire Partnership NHS Trust"), ("UHL", "University Hospitals of Leicester NHS Trust")],
        ),
        (
            "Patients moved between MFT and STH for specialist surgery.",
            [
                ("MFT", "Manchester University NHS Foundation Trust"),
                ("STH", "Sheffield Teaching Hospitals NHS Foundation Trust"),
            ],
        ),
        (
            "DCHS and DHCFT share a single point of access, as do HCT and SCFT elsewhere.",
            [
                ("DCHS", "Derbyshire Community Health Services NHS Foundation Trust"),
                ("DHCFT", "Derbyshire Healthcare NHS Foundation Trust"),
                ("HCT", "Hertfordshire Community NHS Trust"),
                ("SCFT", "Sussex Community NHS Foundation Trust"),
            ],
        ),
        (
            "Staff from BDCFT and the Black Country Healthcare NHS Foundation Trust presented together.",
            [
                ("BDCFT", "Bradford District Care NHS Foundation Trust"),
                ("Black Country Healthcare NHS Foundation Trust", "Black Country Healthcare NHS Foundation Trust"),
            ],
        ),
        (
            "UHMBT referred the patient to LHCH.",
            [
                ("UHMBT", "University Hospitals of Morecambe Bay NHS Foundation Trust"),
                ("LHCH", "Liverpool Heart and Chest Hospital NHS Foundation Trust"),
            ],
        ),
    ],
)
def test_trust_acronyms_name_the_trust(nlp, text, expected):
    assert bodies(nlp, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "The West Yorkshire MHLDA Collaborative met as a committee in common.",
            (
                "West Yorkshire MHLDA Collaborative",
                "West Yorkshire Mental Health, Learning Disabilities and Autism Collaborative",
            ),
        ),
        (
            "Parents were surveyed by the Council for Disabled Children.",
            ("Council for Disabled Children", "Council for Disabled Children"),
        ),
        (
            "The Department for Health and Social Care will publish the guidance.",
            ("Department for Health and Social Care", "Department of Health and Social Care"),
        ),
    ],
)
def test_local_collaboratives_charities_and_misspelt_departments(nlp, text, expected):
    assert bodies(nlp, text) == [expected]


def test_cdc_stays_the_diagnostic_centre_sense(nlp):
    text = "The new CDC in the town centre offers scans and blood tests."
    assert bodies(nlp, text) == []
