"""Knowledge of issue 14: former trust names resolve to the current-or-last name under the same ODS code,
bodies, policies and people of 1998-2013 documents, local trust and council acronyms, titled local
strategies, and the glossary senses of area abbreviations and IPR. Real pipeline (`nlp` fixture) on
sentences written for these tests, and the real CLI for glossaries."""

from __future__ import annotations

import json

import pytest
import yaml

from conftest import REPO, run_nhsx
from nhsx.knowledge import ods


def found(nlp, text: str) -> list[tuple[str, str, str, str]]:
    """(text, label, canonical, entry id) of every mention."""
    doc = nlp(text)
    return [(s.text, s.label_, s.id_, s.kb_id_) for s in doc.spans["nhsx"]]


# --- former trust names: the earlier name is a mention of the current-or-last trust ------------------


@pytest.mark.parametrize(
    "former, canonical, entry_id",
    [
        ("Harrogate Healthcare NHS Trust", "Harrogate and District NHS Foundation Trust", "ods:RCD"),
        ("South Tyneside Healthcare NHS Trust", "South Tyneside NHS Foundation Trust", "ods:RE9"),
        (
            "Basildon and Thurrock General Hospitals NHS Trust",
            "Basildon and Thurrock University Hospitals NHS Foundation Trust",
            "ods:RDD",
        ),
        ("Liverpool Women's Hospital NHS Trust", "Liverpool Women's NHS Foundation Trust", "ods:REP"),
        (
            "Chesterfield and North Derbyshire Royal Hospitals NHS Trust",
            "Chesterfield Royal Hospital NHS Foundation Trust",
            "ods:RFS",
        ),
        ("Oxford Radcliffe Hospitals NHS Trust", "Oxford University Hospitals NHS Foundation Trust", "ods:RTH"),
        ("Hull and East Yorkshire Hospitals NHS Trust", "Hull University Teaching Hospitals NHS Trust", "ods:RWA"),
        ("Royal Berkshire and Battle Hospitals NHS Trust", "Royal Berkshire NHS Foundation Trust", "ods:RHW"),
        (
            "5 Boroughs Partnership NHS Foundation Trust",
            "North West Boroughs Healthcare NHS Foundation Trust",
            "ods:RTV",
        ),
        ("Derbyshire Mental Health Services NHS Trust", "Derbyshire Healthcare NHS Foundation Trust", "ods:RXM"),
    ],
)
def test_a_former_trust_name_is_the_trust_under_its_last_name(nlp, former, canonical, entry_id) -> None:
    text = f"In 2004 the board of {former} agreed to apply for foundation status."
    assert (former, "BODY", canonical, entry_id) in found(nlp, text)


def test_former_names_are_curated_additions_in_the_committed_trusts_file() -> None:
    """Former names live in nhsx/data/ods_additions.yaml; the generated file carries them (and
    test_ods.py checks that it is exactly what the import gives)."""
    additions = ods.builtin_additions()
    trusts = {e["id"]: e for e in yaml.safe_load((REPO / "gazetteers" / "ods" / "trusts.yaml").read_text())["entries"]}
    for code, name in [("RCD", "Harrogate Healthcare NHS Trust"), ("RTH", "Oxford Radcliffe Hospitals NHS Trust")]:
        assert name in additions[code]["aliases"]
        assert name in trusts[f"ods:{code}"]["aliases"]


def test_a_trusts_own_mixed_case_acronym(nlp) -> None:
    text = "The chief executive of DHcFT joined the provider collaborative."
    assert ("DHcFT", "BODY", "Derbyshire Healthcare NHS Foundation Trust", "ods:RXM") in found(nlp, text)


# --- bodies, people and policies of the era ---------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Authorisation is run by the NHS CBA this year.", ("NHS CBA", "BODY", "NHS Commissioning Board Authority")),
        (
            "The Office for Information on Healthcare Performance will publish the ratings.",
            (
                "Office for Information on Healthcare Performance",
                "BODY",
                "Office for Information on Healthcare Performance",
            ),
        ),
        ("She later led the Oxford Health Alliance.", ("Oxford Health Alliance", "BODY", "Oxford Health Alliance")),
        ("Baroness Neuberger chaired the review.", ("Neuberger", "PERSON", "Julia Neuberger")),
        ("Eleven trusts were put into special measures.", ("special measures", "POLICY", "Special Measures")),
        (
            "Commissioners must meet the Operating Framework for 2010/11.",
            ("Operating Framework", "POLICY", "NHS Operating Framework"),
        ),
        (
            "MPs debated the Health and Social Care (Community Health and Standards) Bill.",
            (
                "Health and Social Care (Community Health and Standards) Bill",
                "POLICY",
                "Health and Social Care (Community Health and Standards) Act 2003",
            ),
        ),
        (
            "The NHS Reform and Health Care Professions Act gave CHI new work.",
            (
                "NHS Reform and Health Care Professions Act",
                "POLICY",
                "National Health Service Reform and Health Care Professions Act 2002",
            ),
        ),
        ("Healthwatch is part funded by LBI.", ("LBI", "BODY", "London Borough of Islington")),
        (
            "The partnership consulted on Better health and wellbeing for all last year.",
            ("Better health and wellbeing for all", "POLICY", "Better health and wellbeing for all"),
        ),
    ],
)
def test_era_and_local_names(nlp, text, expected) -> None:
    assert expected in [m[:3] for m in found(nlp, text)]


def test_a_longer_charity_name_is_not_the_oxford_trust(nlp) -> None:
    labels = found(nlp, "The Oxford Health Alliance works on chronic disease.")
    assert all(m[3] != "ods:RNU" for m in labels)


@pytest.mark.parametrize(
    "text",
    [
        "Each team agreed an operating framework for its own services.",  # any organisation's framework
        "We want better health and wellbeing for all residents.",  # a phrase, not the strategy's title
    ],
)
def test_case_sensitive_titles_leave_ordinary_phrases_alone(nlp, text) -> None:
    assert [m for m in found(nlp, text) if m[1] == "POLICY"] == []


# --- glossary senses ----------------------------------------------------------------------------------


def glossary(tmp_path, text: str) -> dict[str, str]:
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    result = run_nhsx("glossary", "-f", "json", str(path))
    assert result.returncode == 0, result.stderr.decode()
    return {row["acronym"]: row["expansion"] for row in json.loads(result.stdout)}


def test_area_abbreviations_expand_to_their_footprints(tmp_path) -> None:
    rows = glossary(tmp_path, "Partners from BOB, NENC and BLMK met; the OSC asked about IoS and the NE.\n")
    assert rows["BOB"] == "Buckinghamshire, Oxfordshire and Berkshire West"
    assert rows["NENC"] == "North East and North Cumbria"
    assert rows["BLMK"] == "Bedfordshire, Luton and Milton Keynes"
    assert rows["OSC"] == "overview and scrutiny committee"
    assert rows["IoS"] == "Isles of Scilly"
    assert rows["NE"] == "North East"


def test_ipr_in_a_board_paper_is_the_integrated_performance_report(tmp_path) -> None:
    rows = glossary(tmp_path, "The board noted the IPR and asked the committee to review the KPI dashboard.\n")
    assert rows["IPR"] == "integrated performance report"


def test_ipr_in_a_licensing_paper_keeps_intellectual_property(tmp_path) -> None:
    rows = glossary(tmp_path, "The IPR in the patent stays with the university under the licence.\n")
    assert rows["IPR"] == "intellectual property rights"


def test_mse_follows_its_context(tmp_path) -> None:
    essex = glossary(tmp_path, "MSE partners in Southend, Basildon and Thurrock agreed the plan.\n")
    clinic = glossary(tmp_path, "The MSE recorded low mood at the psychiatric assessment of the patient.\n")
    assert essex["MSE"] == "Mid and South Essex"
    assert clinic["MSE"] == "mental state examination"
