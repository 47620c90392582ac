"""The NHS of earlier eras (1974-2015): kinds such as PCTs and SHAs, and the named bodies in gazetteers/history,
found in sentences written in the style of 1998-2012 NHS documents, through the real default pipeline."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from conftest import REPO, run_nhsx, spans
from nhsx.knowledge.gazetteer import Gazetteer

HISTORY = REPO / "gazetteers" / "history"


@pytest.fixture(scope="module")
def entries():
    return Gazetteer.load().entries


def found(nlp, text: str) -> list[tuple[str, str, str, str]]:
    """(text, label, canonical, entry id) of every mention."""
    doc = nlp(text)  # kept alive while its spans are read
    return [(s.text, s.label_, s.id_, s.kb_id_) for s in doc.spans["nhsx"]]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "From April 1999 primary care groups took over from fundholding practices.",
            ("primary care groups", "ORG_TYPE", "Primary Care Group"),
        ),
        ("Most PCGs had become trusts by 2002.", ("PCGs", "ORG_TYPE", "Primary Care Group")),
        ("The PCTs will hold three quarters of the budget.", ("PCTs", "ORG_TYPE", "Primary Care Trust")),
        ("Each primary care trust reports to its SHA.", ("SHA", "ORG_TYPE", "Strategic Health Authority")),
        (
            "The 28 strategic health authorities will become ten.",
            ("strategic health authorities", "ORG_TYPE", "Strategic Health Authority"),
        ),
        ("Care trusts bring council social services into the NHS.", ("Care trusts", "ORG_TYPE", "Care Trust")),
        (
            "The regional health authorities go in 1996.",
            ("regional health authorities", "ORG_TYPE", "Regional Health Authority"),
        ),
        ("Each DHA will merge with its FHSA.", ("DHA", "ORG_TYPE", "District Health Authority")),
        ("GP consortia will commission most hospital care.", ("GP consortia", "ORG_TYPE", "GP Consortium")),
        (
            "A GP commissioning consortium needs a strong board.",
            ("GP commissioning consortium", "ORG_TYPE", "GP Consortium"),
        ),
        ("Every AHSN must work with industry.", ("AHSN", "ORG_TYPE", "Academic Health Science Network")),
        ("NHS North West published its strategy.", ("NHS North West", "BODY", "North West Strategic Health Authority")),
        ("Salford PCT has cut waiting times.", ("Salford PCT", "BODY", "Salford Primary Care Trust")),
        ("The Healthcare Commission rated the trust weak.", ("Healthcare Commission", "BODY", "Healthcare Commission")),
        (
            "Its report went to the Commission for Health Improvement.",
            ("Commission for Health Improvement", "BODY", "Commission for Health Improvement"),
        ),
        (
            "Avon, Gloucestershire and Wiltshire SHA agreed the plan.",
            (
                "Avon, Gloucestershire and Wiltshire SHA",
                "BODY",
                "Avon, Gloucestershire and Wiltshire Strategic Health Authority",
            ),
        ),
        ("Torbay Care Trust runs both health and social care.", ("Torbay Care Trust", "BODY", "Torbay Care Trust")),
        (
            "Heart of Birmingham PCT is a teaching PCT.",
            ("Heart of Birmingham PCT", "BODY", "Heart of Birmingham Teaching Primary Care Trust"),
        ),
        (
            "NHS Midlands and East will oversee the transition.",
            ("NHS Midlands and East", "BODY", "NHS Midlands and East"),
        ),
        (
            "The Greater Manchester Area Team now commissions GP services.",
            ("Greater Manchester Area Team", "BODY", "Greater Manchester Area Team"),
        ),
        (
            "NHS Connecting for Health runs the spine.",
            ("NHS Connecting for Health", "BODY", "NHS Connecting for Health"),
        ),
        ("Mersey RHA closed its offices.", ("Mersey RHA", "BODY", "Mersey Regional Health Authority")),
    ],
)
def test_earlier_kinds_and_bodies_are_found(nlp, text, expected):
    assert expected in spans(nlp, text)


def test_a_trust_named_with_care_trust_in_it_is_one_body(nlp):
    name = "Camden and Islington Mental Health and Social Care Trust"
    assert spans(nlp, f"The {name} runs the wards.") == [(name, "BODY", name)]


def test_a_named_ahsn_is_a_body_not_the_kind(nlp):
    """A known one takes its network's current name; one nhsx has never heard of is a body by its head."""
    assert spans(nlp, "The Yorkshire and Humber AHSN funded the pilot.") == [
        ("Yorkshire and Humber AHSN", "BODY", "Health Innovation Yorkshire and Humber")
    ]
    assert ("Fenland and Broads AHSN", "BODY", "Fenland and Broads AHSN") in spans(
        nlp, "The Fenland and Broads AHSN funded the pilot."
    )


def test_nhs_place_brand_of_a_pct_takes_its_gazetteer_entry(nlp):
    """The "NHS <council place>" rule would name it "NHS Salford"; the PCT's entry wins with its id."""
    (mention,) = [m for m in found(nlp, "NHS Salford commissioned a new walk-in centre.") if m[0] == "NHS Salford"]
    assert mention == ("NHS Salford", "BODY", "Salford Primary Care Trust", "body:salford-primary-care-trust")


def test_a_pct_brand_that_a_later_body_uses_stays_with_the_later_body(nlp):
    # "NHS Devon" is the Devon ICB's brand today; Devon PCT is found by its own names only
    assert ("NHS Devon", "BODY", "NHS Devon Integrated Care Board") in spans(nlp, "NHS Devon has a new plan.")
    assert ("Devon PCT", "BODY", "Devon Primary Care Trust") in spans(nlp, "Devon PCT had a new plan.")


def test_today_s_north_east_and_yorkshire_region_is_not_cut_to_the_old_sha(nlp):
    assert not any("Strategic Health Authority" in m[2] for m in spans(nlp, "NHS North East and Yorkshire agreed."))


def test_longer_names_win_over_the_kind_inside_them(nlp):
    found_spans = spans(nlp, "Salford Primary Care Trust and NHS Salford CCG met the North West SHA.")
    assert [s[0] for s in found_spans] == ["Salford Primary Care Trust", "NHS Salford CCG", "North West SHA"]


def _kinds(entries, kind: str) -> list:
    return [e for e in entries.values() if e.kind == kind and "history" in e.file]


def test_the_ten_shas_of_2006_and_the_pcts_under_them(entries):
    shas = _kinds(entries, "SHA")
    of_2006 = [e for e in shas if e.valid_from == "2006-07-01"]
    assert len(of_2006) == 10 and all(e.valid_to == "2013-03-31" for e in of_2006)
    pcts = [e for e in _kinds(entries, "PCT") + _kinds(entries, "care trust") if not e.file.endswith("pcts-2002.yaml")]
    alive_in_2007 = [e for e in pcts if e.id != "body:hertfordshire-primary-care-trust"]
    assert len(alive_in_2007) == 152
    per_sha = Counter(entries[e.parent].canonical for e in alive_in_2007)
    # counts in the public lists: London 31 PCTs, North West 24, South East Coast 8, North East 12
    assert per_sha["London Strategic Health Authority"] == 31
    assert per_sha["North West Strategic Health Authority"] == 24
    assert per_sha["South East Coast Strategic Health Authority"] == 8
    assert per_sha["North East Strategic Health Authority"] == 12
    assert all(e.successor is None or e.successor == "body:hertfordshire-primary-care-trust" for e in pcts)


def test_each_sha_of_2002_hands_over_to_an_sha_of_2006(entries):
    of_2002 = [e for e in _kinds(entries, "SHA") if e.valid_to == "2006-06-30"]
    assert len(of_2002) == 28
    assert all(entries[e.successor].valid_from == "2006-07-01" for e in of_2002)


def test_pcts_that_ended_in_2006_hand_over_to_a_pct_of_2006_or_to_none(entries):
    """pcts-2002.yaml: each PCT there ended by 30 September 2006, under a 2002 SHA; a successor is a PCT of
    October 2006 onwards, and a PCT whose area was divided (the 2006 Order's "dividing PCTs") has none."""
    ended = [e for e in _kinds(entries, "PCT") if e.file.endswith("pcts-2002.yaml")]
    assert len(ended) >= 11
    assert all(e.valid_to <= "2006-09-30" and e.source for e in ended)
    assert all(entries[e.parent].valid_to == "2006-06-30" for e in ended)
    assert all(entries[e.successor].valid_to == "2013-03-31" for e in ended if e.successor)
    dividing = ["cherwell-vale", "morecambe-bay", "poole", "preston", "south-peterborough", "waveney"]
    assert all(entries[f"body:{slug}-primary-care-trust"].successor is None for slug in dividing)
    # a PCT whose name did not change in 2006 stays one entry: no second Hillingdon
    assert [e.id for e in entries.values() if e.canonical == "Hillingdon Primary Care Trust"] == [
        "body:hillingdon-primary-care-trust"
    ]
    assert entries["body:hillingdon-primary-care-trust"].valid_from == "2000-04-01"


def test_a_2002_pct_is_its_own_body_and_the_2006_pct_inside_its_name_still_found(nlp):
    text = "In 2005 West Norfolk PCT and the Norfolk PCT board met; West Norfolk Primary Care Trust paid."
    assert found(nlp, text) == [
        ("West Norfolk PCT", "BODY", "West Norfolk Primary Care Trust", "body:west-norfolk-primary-care-trust"),
        ("Norfolk PCT", "BODY", "Norfolk Primary Care Trust", "body:norfolk-primary-care-trust"),
        (
            "West Norfolk Primary Care Trust",
            "BODY",
            "West Norfolk Primary Care Trust",
            "body:west-norfolk-primary-care-trust",
        ),
    ]


def test_as_of_carries_a_2002_pct_to_the_2006_pct_that_took_its_area():
    text = "In 2005 West Norfolk PCT and Preston PCT agreed the plan.\n"
    later = _as_of(text, "2010-01-01")
    assert later["West Norfolk PCT"]["canonical"] == "Norfolk Primary Care Trust"
    assert later["West Norfolk PCT"]["mapped_from"] == "body:west-norfolk-primary-care-trust"
    # a divided PCT has no one heir: it keeps its own name
    assert later["Preston PCT"]["canonical"] == "Preston Primary Care Trust"
    assert later["Preston PCT"]["mapped_from"] is None
    assert _as_of(text, "2004-01-01")["West Norfolk PCT"]["canonical"] == "West Norfolk Primary Care Trust"


def test_history_gazetteers_validate_clean():
    """Given on its own, by absolute path, the folder still sees the built-ins its successors name."""
    result = run_nhsx("gazetteer", "validate", str(HISTORY))
    output = (result.stdout + result.stderr).decode()
    assert result.returncode == 0, output
    assert "0 problems" in output


def _as_of(text: str, day: str) -> dict[str, dict]:
    result = run_nhsx("extract", "-", "--mentions", "-f", "json", "--as-of", day, stdin=text.encode())
    assert result.returncode == 0, result.stderr
    return {m["text"]: m for m in json.loads(result.stdout)}


def test_as_of_carries_a_2002_sha_to_its_2006_successor_and_leaves_a_pct_alone():
    text = "In 2005 Trent SHA and Salford PCT agreed the plan.\n"
    later = _as_of(text, "2010-06-01")
    assert later["Trent SHA"]["canonical"] == "East Midlands Strategic Health Authority"
    assert later["Trent SHA"]["mapped_from"] == "body:trent-strategic-health-authority-2002"
    assert later["Salford PCT"]["canonical"] == "Salford Primary Care Trust"
    assert later["Salford PCT"]["mapped_from"] is None
    # before the 2006 reorganisation the old SHA is still the holder
    assert _as_of(text, "2004-01-01")["Trent SHA"]["canonical"] == "Trent Strategic Health Authority"


# ---------------------------------------------------------------- 1996-2002 health authorities and era knowledge


def test_the_health_authorities_of_1996_to_2002(entries):
    """100 set up in April 1996, 95 left when the 2002 SHAs took over; each of those hands over to one."""
    has = _kinds(entries, "health authority")
    assert len([e for e in has if e.valid_from == "1996-04-01"]) == 100
    of_2002 = [e for e in has if e.valid_to == "2002-03-31"]
    assert len(of_2002) == 95
    assert all(entries[e.successor].valid_to == "2006-06-30" for e in of_2002)
    merged = [e for e in has if e.valid_to is None]
    assert all(e.successor is None or entries[e.successor].valid_to == "2002-03-31" for e in merged)


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Sheffield Health Authority will fund three more PCGs.",
            ("Sheffield Health Authority", "BODY", "Sheffield Health Authority"),
        ),
        (
            "Officers of Salford and Trafford HA met the trust.",
            ("Salford and Trafford HA", "BODY", "Salford and Trafford Health Authority"),
        ),
        (
            "The Kensington, Chelsea & Westminster Health Authority consulted on the closure.",
            (
                "Kensington, Chelsea & Westminster Health Authority",
                "BODY",
                "Kensington, Chelsea and Westminster Health Authority",
            ),
        ),
        (
            "The old East Riding Health Authority became part of the SHA.",
            ("East Riding Health Authority", "BODY", "East Riding and Hull Health Authority"),
        ),
        (
            "The National Association of Primary Care backed indicative budgets.",
            ("National Association of Primary Care", "BODY", "National Association of Primary Care"),
        ),
        ("A survey by NAPC found most practices keen.", ("NAPC", "BODY", "National Association of Primary Care")),
        ("The NHS Alliance spoke for primary care groups.", ("NHS Alliance", "BODY", "NHS Alliance")),
        (
            "Londonwide LMCs advised practices to wait.",
            ("Londonwide LMCs", "BODY", "Londonwide Local Medical Committees"),
        ),
        ("The ADSS conference heard from ministers.", ("ADSS", "BODY", "Association of Directors of Social Services")),
        ("NAHAT called for more capital.", ("NAHAT", "BODY", "National Association of Health Authorities and Trusts")),
        ("The Future Forum reported in June.", ("Future Forum", "BODY", "NHS Future Forum")),
        (
            "Economists at the Centre for Health Economics disagreed.",
            ("Centre for Health Economics", "BODY", "Centre for Health Economics"),
        ),
        (
            "The College of Occupational Therapists welcomed it.",
            ("College of Occupational Therapists", "BODY", "Royal College of Occupational Therapists"),
        ),
        ("Patients at the RUH waited longer.", ("RUH", "BODY", "Royal United Hospital")),
        ("B&NES PCT agreed the budget.", ("B&NES PCT", "BODY", "Bath and North East Somerset Primary Care Trust")),
        ("Half of the GP consortiums had no finance director.", ("GP consortiums", "ORG_TYPE", "GP Consortium")),
        ("Trusts scored weak in the annual health check.", ("annual health check", "POLICY", "Annual Health Check")),
        (
            "Core standards came with National Standards, Local Action.",
            ("National Standards, Local Action", "POLICY", "National Standards, Local Action"),
        ),
        ("Prices follow the NHS tariff from April.", ("NHS tariff", "POLICY", "National Tariff")),
        (
            "The practice holds an Alternative Provider Medical Services agreement.",
            ("Alternative Provider Medical Services", "POLICY", "Alternative Provider Medical Services contract"),
        ),
        ("The New NHS promised to end the internal market.", ("New NHS", "POLICY", "The New NHS: Modern, Dependable")),
        (
            "The Operating Framework for the NHS in England set the targets.",
            ("Operating Framework for the NHS in England", "POLICY", "NHS Operating Framework"),
        ),
        (
            "Bevan's NHS Act of 1946 came into force in 1948.",
            ("NHS Act of 1946", "POLICY", "National Health Service Act 1946"),
        ),
        ("Powers under the 2006 NHS Act were used.", ("2006 NHS Act", "POLICY", "National Health Service Act 2006")),
        (
            "Total purchasing projects bought nearly all hospital care.",
            ("Total purchasing projects", "POLICY", "Total Purchasing Pilot"),
        ),
        ("Staff from Unison and the RCN joined the protest.", ("Unison", "BODY", "UNISON")),
        (
            "Since An Organisation with a Memory, incidents are reported nationally.",
            ("An Organisation with a Memory", "POLICY", "An Organisation with a Memory"),
        ),
        (
            "Councils lost the ring-fence on Supporting People money.",
            ("Supporting People", "POLICY", "Supporting People"),
        ),
        ("Every trust must publish quality accounts.", ("quality accounts", "POLICY", "Quality Account")),
    ],
)
def test_bodies_and_policies_of_1996_to_2012_are_found(nlp, text, expected):
    assert expected in spans(nlp, text)


def test_health_authorities_are_found_by_name_but_the_kind_is_not_a_mention(nlp):
    found_spans = spans(nlp, "Each of the health authorities, Leeds Health Authority among them, lost staff.")
    assert found_spans == [("Leeds Health Authority", "BODY", "Leeds Health Authority")]


@pytest.mark.parametrize(
    "text",
    [
        "Ministers want a new NHS built around patients.",
        "The council is supporting people to live at home.",
        "The choir sang in unison.",
    ],
)
def test_ordinary_phrases_that_share_a_title_are_not_mentions(nlp, text):
    assert spans(nlp, text) == []


def test_as_of_carries_a_1990s_health_authority_to_its_2002_sha():
    text = "In 1999 Bradford Health Authority agreed the plan.\n"
    assert (
        _as_of(text, "2004-01-01")["Bradford Health Authority"]["canonical"]
        == "West Yorkshire Strategic Health Authority"
    )
    assert _as_of(text, "2000-01-01")["Bradford Health Authority"]["canonical"] == "Bradford Health Authority"


@pytest.mark.parametrize(
    "text, acronym, expansion",
    [
        ("The HA handed its budget to the PCGs in 1999.", "HA", "health authority"),
        ("The HA let the flats to tenants on secure tenancies; housing staff agreed.", "HA", "housing association"),
        ("Each PCO must publish its plan.", "PCO", "primary care organisation"),
        ("The LINks took over from patients' forums.", "LINk", "local involvement network"),
    ],
)
def test_era_acronyms_in_the_glossary(tmp_path, text, acronym, expansion):
    doc = tmp_path / "era.txt"
    doc.write_text(text + "\n", encoding="utf-8")
    result = run_nhsx("glossary", str(doc), "-f", "json")
    assert result.returncode == 0, result.stderr
    rows = {row["acronym"]: row["expansion"] for row in json.loads(result.stdout)}
    assert rows.get(acronym) == expansion
