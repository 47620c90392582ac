"""The built-in acronym knowledge: large, sourced, well-formed, and every shared acronym's senses told apart."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from conftest import run_nhsx
from nhsx.analyse.glossary import acronym_index, acronym_shape
from nhsx.knowledge.gazetteer import (
    Entry,
    builtin_dir,
    gazetteer_files,
    load_entries,
    name_key,
)

# terms.yaml predates the `source` field; every TERM added since names where it came from.
PRE_EXISTING_TERMS = "terms.yaml"


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    loaded, problems = load_entries(gazetteer_files([builtin_dir()]))
    assert problems == []
    return loaded


@pytest.fixture(scope="module")
def terms(entries) -> list[Entry]:
    return [e for e in entries if e.label == "TERM"]


def senses_by_acronym(terms: list[Entry]) -> dict[str, list[Entry]]:
    senses: dict[str, list[Entry]] = defaultdict(list)
    for entry in terms:
        for acronym in entry.acronyms:
            senses[acronym].append(entry)
    return senses


def test_at_least_two_thousand_acronym_senses(entries):
    senses = [e for e in entries if e.acronyms]  # one entry is one sense of its acronyms
    assert len(senses) >= 2000


def test_acronym_files_cover_the_nhs_domains():
    names = {path.stem for path in (builtin_dir() / "acronyms").glob("*.yaml")}
    assert {
        "clinical",
        "data",
        "finance",
        "management",
        "mental_health",
        "primary_care",
        "public_health",
        "regulation",
        "services",
        "social_care",
        "workforce",
    } <= names


def test_every_new_term_names_its_source(terms):
    unsourced = [e.id for e in terms if Path(e.file).name != PRE_EXISTING_TERMS and not e.source]
    assert unsourced == []


def test_term_acronyms_have_two_capitals_at_least(terms):
    bad = [(e.id, a) for e in terms for a in e.acronyms if sum(c.isupper() for c in a) < 2]
    assert bad == []


def test_term_acronyms_are_words_the_glossary_can_find(terms):
    """A glossary finds an acronym as one word (letters, digits, '&'): anything else would never be used."""
    unfindable = [(e.id, a) for e in terms for a in e.acronyms if " " not in a and acronym_shape(a) != a]
    assert unfindable == []


def test_every_sense_of_a_shared_acronym_has_context(terms):
    missing = []
    for acronym, senses in senses_by_acronym(terms).items():
        if len({name_key(e.glossary_expansion) for e in senses}) > 1:
            missing += [(acronym, e.id) for e in senses if not e.context]
    assert missing == []


def test_senses_of_one_acronym_are_listed_together(terms):
    """The glossary falls back to the first sense listed: the senses added in acronyms/ sit in one file,
    so which comes first (the dominant NHS sense) is decided in one place."""
    scattered = {}
    for acronym, senses in senses_by_acronym(terms).items():
        files = {Path(e.file).name for e in senses if Path(e.file).parent.name == "acronyms"}
        if len(files) > 1:
            scattered[acronym] = sorted(files)
    assert scattered == {}


def test_terms_yaml_keeps_the_default_sense_of_its_acronyms(entries):
    """Sub-folder files load after the main files, so a sense added in acronyms/ never displaces terms.yaml's."""
    index = acronym_index(entries)
    main_terms = [e for e in entries if e.label == "TERM" and Path(e.file).name == PRE_EXISTING_TERMS]
    displaced = [
        (a, index[a][0]) for e in main_terms for a in e.acronyms if index[a][0].expansion != e.glossary_expansion
    ]
    assert displaced == []


def test_known_senses(terms):
    expansions = defaultdict(set)
    for entry in terms:
        for acronym in entry.acronyms:
            expansions[acronym].add(entry.glossary_expansion)
    assert "care hours per patient day" in expansions["CHPPD"]
    assert "long length of stay" in expansions["LLOS"]
    assert {"myocardial infarction", "major incident"} <= expansions["MI"]
    assert {"emergency department", "eating disorder", "executive director"} <= expansions["ED"]


def test_glossary_expands_acronyms_from_the_new_lists(tmp_path):
    doc = tmp_path / "board-paper.txt"
    doc.write_text(
        "The RTT backlog grew while CHC assessments slowed. Ward CHPPD fell and LLOS patients rose; "
        "LWBS counts at the front door doubled and the DGH missed its DM01 return.\n",
        encoding="utf-8",
    )
    result = run_nhsx("glossary", str(doc), "-f", "json")
    assert result.returncode == 0, result.stderr
    found = {e["acronym"]: (e["expansion"], e["source"]) for e in json.loads(result.stdout)}
    assert found == {
        "RTT": ("referral to treatment", "gazetteer"),
        "CHC": ("NHS continuing healthcare", "gazetteer"),
        "CHPPD": ("care hours per patient day", "gazetteer"),
        "LLOS": ("long length of stay", "gazetteer"),
        "LWBS": ("left without being seen", "gazetteer"),
        "DGH": ("district general hospital", "gazetteer"),
        "DM01": ("diagnostic waiting times and activity return", "gazetteer"),
    }


def test_a_folders_own_files_load_before_its_sub_folders(tmp_path):
    for name in ("a/z.yaml", "b.yaml", "a/b/c.yaml", "c.yml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("entries: []\n", encoding="utf-8")
    files = [p.relative_to(tmp_path).as_posix() for p in gazetteer_files([tmp_path])]
    assert files == ["b.yaml", "c.yml", "a/z.yaml", "a/b/c.yaml"]
