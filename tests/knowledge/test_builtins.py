"""The built-in gazetteers hold what the brief requires, and their facts hang together."""

from __future__ import annotations

import pytest

from nhsx.knowledge.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def gazetteer():
    loaded = Gazetteer.load()
    assert loaded.problems == []
    return loaded


def by_label(gazetteer, label):
    return [e for e in gazetteer if e.label == label]


def test_counts(gazetteer):
    assert len(by_label(gazetteer, "POLICY")) >= 60
    assert len(by_label(gazetteer, "PERSON")) >= 80
    assert sum(len(e.acronyms) for e in gazetteer if e.label != "PERSON") >= 400


def test_org_type_closed_list_is_complete(gazetteer):
    expected = {
        "Integrated Care System",
        "Integrated Care Board",
        "Clinical Commissioning Group",
        "Sustainability and Transformation Partnership",
        "Primary Care Network",
        "Multispecialty Community Provider",
        "Primary and Acute Care System",
        "Accountable Care Organisation",
        "Accountable Care System",
        "Integrated Care Partnership",
        "Foundation Trust",
        "Local Medical Committee",
        "GP Federation",
        "Provider Collaborative",
        "Primary Care Provider Collaborative",
        "Health and Wellbeing Board",
        "Commissioning Support Unit",
        "Vanguard",
        "Integration Pioneer",
        "Super Practice",
        # kinds of earlier eras
        "Primary Care Trust",
        "Strategic Health Authority",
        "Primary Care Group",
        "Care Trust",
        "Regional Health Authority",
        "District Health Authority",
        "GP Consortium",
        "Academic Health Science Network",
    }
    assert {e.canonical for e in by_label(gazetteer, "ORG_TYPE")} == expected


@pytest.mark.parametrize(
    "canonical",
    [
        "NHS England",
        "NHS Improvement",
        "Monitor",
        "NHS Trust Development Authority",
        "Department of Health and Social Care",
        "HM Treasury",
        "Care Quality Commission",
        "National Institute for Health and Care Excellence",
        "UK Health Security Agency",
        "Public Health England",
        "Health Education England",
        "NHS Digital",
        "NHSX",
        "NHS Providers",
        "NHS Confederation",
        "NHS Clinical Commissioners",
        "British Medical Association",
        "The King's Fund",
        "Nuffield Trust",
        "The Health Foundation",
        "Institute for Public Policy Research",
        "Reform",
        "National Audit Office",
        "Public Accounts Committee",
        "Health and Social Care Committee",
    ],
)
def test_required_bodies(gazetteer, canonical):
    assert canonical in {e.canonical for e in by_label(gazetteer, "BODY")}


def test_successors_follow_the_reforms(gazetteer):
    entries = gazetteer.entries
    assert entries["body:nhs-improvement"].successor == "body:nhs-england"
    assert entries["orgtype:ccg"].successor == "orgtype:icb" and entries["orgtype:ccg"].valid_to == "2022-06-30"
    assert entries["orgtype:stp"].successor == "orgtype:ics"


def test_people_have_roles_with_years(gazetteer):
    stevens = gazetteer.entries["person:simon-stevens"]
    assert any(
        r.role == "chief executive of NHS England" and (r.start, r.end) == ("2014", "2021") for r in stevens.roles
    )
    assert all(e.roles or e.notes for e in by_label(gazetteer, "PERSON"))


def test_every_acronym_has_an_expansion(gazetteer):
    assert all(e.glossary_expansion for e in gazetteer if e.acronyms)
