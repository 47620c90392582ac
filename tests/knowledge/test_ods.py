"""The ODS importer: name casing, aliases and their ambiguity filter, dates and successors, and the
committed gazetteers/ods/*.yaml files being exactly what the import of the reference data gives."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from nhsx.knowledge import ods
from nhsx.knowledge.ods import dump_gazetteer
from nhsx.knowledge.ods.additions import drop_ambiguous
from nhsx.knowledge.ods.entries import (
    aliases_for_ccg,
    aliases_for_trust,
    infer_successors,
)
from nhsx.knowledge.ods.footprints import footprint_name
from nhsx.knowledge.ods.names import (
    is_distinctive,
    is_place,
    match_key,
    place_key,
    title_case_ods,
)
from nhsx.knowledge.ods.sources import OdsError, OdsRow, detect_kind

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "ods"
NAMES = ROOT / "tests" / "data" / "ods_names.csv"

needs_reference = pytest.mark.skipif(not REFERENCE.is_dir(), reason=f"{REFERENCE} not present")


def _names_table() -> list[dict[str, str]]:
    with NAMES.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --- title casing (pure) -----------------------------------------------------------------------------


def test_names_table_is_big_enough() -> None:
    assert len(_names_table()) >= 25


@pytest.mark.parametrize("row", _names_table(), ids=lambda r: r["ods_name"][:40])
def test_title_case_tricky_real_names(row: dict[str, str]) -> None:
    assert title_case_ods(row["ods_name"]) == row["expected"]


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ '&-,", max_size=60))
def test_title_case_changes_only_letter_case_and_spacing(name: str) -> None:
    assert title_case_ods(name).upper() == " ".join(name.split()).upper()


def test_title_case_keeps_already_cased_acronyms_and_small_words() -> None:
    assert title_case_ods("NHS NORTH WEST LONDON ICB - W2U3Z") == "NHS North West London ICB - W2U3Z"
    assert title_case_ods("THE ROTHERHAM NHS FOUNDATION TRUST") == "The Rotherham NHS Foundation Trust"


# --- places and aliases (pure) ---------------------------------------------------------------------------

PLACES = {place_key(p) for p in ("Luton", "Devon", "Bristol", "London", "Cheshire", "Suffolk", "Mid and South Essex")}


def test_bare_places_are_places_even_after_compass_words() -> None:
    assert is_place("Devon", PLACES)
    assert is_place("West London", PLACES)
    assert is_place("Central and North West London", PLACES)
    assert is_place("North Bristol", PLACES)
    assert not is_place("Royal Devon University Healthcare", PLACES)


def test_distinctive_short_names() -> None:
    assert is_distinctive("Guy's and St Thomas'", PLACES)
    assert is_distinctive("Barts Health", PLACES)
    assert is_distinctive("Basildon and Thurrock", PLACES)  # neither is a known place here
    assert not is_distinctive("Suffolk and Devon", PLACES)  # a list of places: the area as much as a trust
    assert is_distinctive("Royal Devon University Healthcare", PLACES)
    assert not is_distinctive("Luton", PLACES)  # one word, a place
    assert not is_distinctive("East Cheshire", PLACES)  # compass + place
    assert not is_distinctive("Mid and South Essex", PLACES)  # a footprint
    assert not is_distinctive("St Mary's", PLACES)  # "St X" is one word
    assert not is_distinctive("Luton and Dunstable University Hospital", PLACES)  # a hospital's name
    assert not is_distinctive("Manchester University", PLACES)  # a university


def test_trust_aliases() -> None:
    assert aliases_for_trust("Guy's and St Thomas' NHS Foundation Trust", PLACES) == [
        "Guy's and St Thomas' Foundation Trust",
        "Guy's and St Thomas'",
    ]
    assert aliases_for_trust("East of England Ambulance Service NHS Trust", PLACES) == [
        "East of England Ambulance Service Trust",
        "East of England Ambulance Service",
    ]
    assert aliases_for_trust("Basildon and Thurrock University Hospitals NHS Foundation Trust", PLACES)[-1] == (
        "Basildon and Thurrock"
    )
    # a trust named after a place gets no bare short name, only "<place> Foundation Trust"
    assert aliases_for_trust("North Bristol NHS Trust", PLACES) == ["North Bristol Trust"]
    assert aliases_for_trust("The Rotherham NHS Foundation Trust", PLACES) == ["Rotherham Foundation Trust"]
    # "University" is dropped from the short name, never left at its end
    assert aliases_for_trust("Essex Partnership University NHS Foundation Trust", PLACES)[-1] == "Essex Partnership"


def test_trust_aliases_with_odd_commas() -> None:
    aliases = aliases_for_trust("The Queen Elizabeth Hospital, King's Lynn, NHS Foundation Trust", PLACES)
    assert "Queen Elizabeth Hospital, King's Lynn Foundation Trust" in aliases
    assert "Queen Elizabeth Hospital King's Lynn NHS Foundation Trust" in aliases
    assert not any(match_key(a) == "queen elizabeth hospital" for a in aliases)


def test_ccg_aliases() -> None:
    assert aliases_for_ccg("NHS Darlington CCG") == [
        "NHS Darlington CCG",
        "Darlington CCG",
        "Darlington Clinical Commissioning Group",
    ]
    assert "Central London CCG" in aliases_for_ccg("NHS Central London (Westminster) CCG")


def test_ambiguity_filter_drops_a_shared_short_name_from_both() -> None:
    entries = [
        {"id": "ods:A", "canonical": "Royal Hospitals NHS Trust", "aliases": ["Royal Hospitals", "A Trust"]},
        {"id": "ods:B", "canonical": "Royal Hospitals NHS Foundation Trust", "aliases": ["royal hospitals"]},
        {"id": "ods:C", "canonical": "B Partnership", "aliases": []},
        {"id": "ods:D", "canonical": "D Trust", "aliases": ["B Partnership", "the D-Trust"]},
    ]
    out = {e["id"]: e.get("aliases", []) for e in drop_ambiguous(entries)}
    assert out == {"ods:A": ["A Trust"], "ods:B": [], "ods:C": [], "ods:D": []}


# --- curated additions and ICB brands (pure) ---------------------------------------------------------------

_ENTRIES = [
    {"id": "ods:RF4", "canonical": "Barking, Havering and Redbridge University Hospitals NHS Trust", "kind": "trust",
     "aliases": ["Barking, Havering and Redbridge"]},
    {"id": "ods:QU9", "canonical": "NHS Buckinghamshire, Oxfordshire and Berkshire West Integrated Care Board",
     "kind": "ICB"},
    {"id": "ods:QU9-ics", "canonical": "Buckinghamshire, Oxfordshire and Berkshire West Integrated Care System",
     "kind": "ICS"},
    {"id": "ods:QKS", "canonical": "NHS Kent and Medway Integrated Care Board", "kind": "ICB"},
    {"id": "ods:X1", "canonical": "NHS Kent and Medway", "kind": "trust"},  # holds the brand: QKS does not get it
]  # fmt: skip
_ADDITIONS = {
    "RF4": {"acronyms": ["BHRUT"], "aliases": ["barking, havering and redbridge"]},  # 2nd: already there
    "QU9": {"aliases": ["BOB ICB"]},
    "QU9-ics": {"aliases": ["BOB ICS"]},
    "ZZZ": {"aliases": ["Nowhere Trust"]},  # no such entry in this import: ignored
}


def test_merge_additions_adds_to_the_keyed_entries_only() -> None:
    out = {e["id"]: e for e in ods.merge_additions(_ENTRIES, _ADDITIONS)}
    assert out["ods:RF4"]["acronyms"] == ["BHRUT"]
    assert out["ods:RF4"]["aliases"] == ["Barking, Havering and Redbridge"]
    assert out["ods:QU9"]["aliases"] == ["BOB ICB"] and out["ods:QU9-ics"]["aliases"] == ["BOB ICS"]
    assert out["ods:QKS"] == _ENTRIES[3] and "acronyms" not in out["ods:QU9"]
    assert ods.missing_additions(list(out.values()), _ADDITIONS) == []
    assert _ENTRIES[0].get("acronyms") is None  # the input is not modified


def test_a_colliding_addition_is_dropped_and_reported() -> None:
    additions = {
        "RF4": {"acronyms": ["BOB"]},
        "QU9": {"aliases": ["BOB ICS"], "acronyms": ["BOB"]},
        "QU9-ics": {"aliases": ["BOB ICS", "BOB ICB"]},  # "BOB ICS" twice; "BOB ICB" is QU9's name below
        "QKS": {"aliases": ["NHS Kent and Medway"]},  # ods:X1's canonical name
    }
    entries = [*_ENTRIES[:1], {**_ENTRIES[1], "aliases": ["BOB ICB"]}, *_ENTRIES[2:]]
    out = drop_ambiguous(ods.merge_additions(entries, additions))
    assert ods.missing_additions(out, additions) == [
        "ods:RF4 acronym 'BOB'",
        "ods:QU9 alias 'BOB ICS'",
        "ods:QU9 acronym 'BOB'",
        "ods:QU9-ics alias 'BOB ICS'",
        "ods:QU9-ics alias 'BOB ICB'",
        "ods:QKS alias 'NHS Kent and Medway'",
    ]


def test_icb_brand_unless_another_entry_has_the_name() -> None:
    assert ods.icb_brand("NHS Kent and Medway Integrated Care Board") == "NHS Kent and Medway"
    assert ods.icb_brand("Kent and Medway Integrated Care System") is None
    out = {e["id"]: e.get("aliases", []) for e in ods.add_icb_brands(_ENTRIES)}
    assert out["ods:QU9"] == ["NHS Buckinghamshire, Oxfordshire and Berkshire West"]
    assert out["ods:QKS"] == [] and out["ods:QU9-ics"] == []  # taken by ods:X1; not an ICB


@pytest.mark.parametrize(
    "doc, error",
    [
        (["RF4"], "mapping"),
        ({"rf4": {"aliases": ["x"]}}, "not an ODS code"),
        ({"QU9-icb": {"aliases": ["x"]}}, "not an ODS code"),
        ({"RF4": {"alias": ["x"]}}, "nothing else"),
        ({"RF4": {}}, "nothing else"),
        ({"RF4": {"acronyms": "BHRUT"}}, "list of names"),
        ({"RF4": {"acronyms": ["BHRUT", ""]}}, "list of names"),
    ],
)
def test_parse_additions_rejects_malformed_files(doc: object, error: str) -> None:
    with pytest.raises(OdsError, match=error):
        ods.parse_additions(doc)


def test_builtin_additions_load() -> None:
    additions = ods.builtin_additions()
    assert additions["RF4"] == {"acronyms": ["BHRUT"]} and additions["QU9"] == {"aliases": ["BOB ICB"]}
    # no bare footprint abbreviation and nothing split by an unquoted comma in a flow list
    names = [n for a in additions.values() for n in a.get("aliases", [])]
    assert "BOB" not in names and "Northumberland" not in names
    assert "Northumberland, Tyne and Wear NHS Foundation Trust" in names


def test_footprint_names() -> None:
    assert footprint_name("Healthier Lancashire and South Cumbria") == "Lancashire and South Cumbria"
    assert footprint_name("Joined Up Care Derbyshire", "Derby and Derbyshire") == "Derbyshire"
    assert footprint_name("East London Health and Care Partnership", "North East London") == "North East London"
    assert footprint_name("Frimley Health and Care ICS", "Frimley") == "Frimley"
    assert (
        footprint_name("West Yorkshire and Harrogate (Health and Care Partnership)", "West Yorkshire")
        == "West Yorkshire and Harrogate"
    )


# --- dates and successors (pure) -------------------------------------------------------------------------


def _row(code: str, icb: str, opened: str, closed: str | None = None) -> OdsRow:
    return OdsRow(code, f"{code} NHS TRUST", "Y56", icb, "", "", opened, closed, "", "H")


def test_successor_heuristic_needs_one_opening_the_next_day_in_the_same_area() -> None:
    rows = [
        _row("OLD1", "Q1", "1991-04-01", "2024-10-31"),
        _row("OLD2", "Q2", "1991-04-01", "2024-10-31"),  # other area: no successor
        _row("NEW", "Q1", "2024-11-01"),
        _row("OLD3", "Q3", "1991-04-01", "2020-03-31"),
        _row("NEW3A", "Q3", "2020-04-01"),
        _row("NEW3B", "Q3", "2020-04-01"),  # two candidates: the dates do not say which
    ]
    assert infer_successors(rows) == {"OLD1": "NEW"}


# --- file kinds and the YAML writer ------------------------------------------------------------------------


def _ods_line(fields: dict[int, str]) -> str:
    """One quoted 27-field ODS row (columns numbered from 1), CRLF-terminated like the real files."""
    return ",".join(f'"{fields.get(i, "")}"' for i in range(1, 28)) + "\r\n"


ETR_ROW = _ods_line(
    {
        1: "RJ1",
        2: "GUY'S AND ST THOMAS' NHS FOUNDATION TRUST",
        3: "Y56",
        4: "QKK",
        8: "LONDON",
        11: "19930401",
        22: "1",
        24: "H",
    }
)
ECCG_ROW = _ods_line(
    {1: "00C", 2: "NHS DARLINGTON CCG", 3: "Y63", 4: "QHM", 8: "BILLINGHAM", 11: "20130401", 12: "20200331", 22: "1"}
)


@pytest.mark.parametrize(
    "text, kind",
    [
        (ETR_ROW, "etr"),
        (ECCG_ROW, "eccg"),
        ("ICB24CD,ICB24CDH,ICB24NM,ObjectId\nE54000064,QNX,NHS Sussex Integrated Care Board,42\n", "icb"),
        (
            "PUBLICATION,EXTRACT_DATE,PRACTICE_CODE,PRACTICE_NAME,PRACTICE_POSTCODE,PCN_CODE,PCN_NAME,"
            + "ONS_CCG_CODE,CCG_CODE,CCG_NAME,ONS_STP_CODE,STP_CODE,STP_NAME,"
            + "ONS_COMM_REGION_CODE,COMM_REGION_CODE,COMM_REGION_NAME\n",
            "gpmap",
        ),
    ],
)
def test_detect_kind_by_shape(tmp_path: Path, text: str, kind: str) -> None:
    path = tmp_path / "extract.csv"
    path.write_text(text, encoding="utf-8", newline="")
    assert detect_kind(path) == kind


def test_detect_kind_rejects_other_csv(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("name,role\nSimon Stevens,chief executive\n", encoding="utf-8")
    with pytest.raises(OdsError, match="not a recognised ODS extract"):
        detect_kind(path)
    with pytest.raises(OdsError, match="no such file"):
        detect_kind(tmp_path / "missing.csv")


def test_import_of_synthetic_files(tmp_path: Path) -> None:
    (tmp_path / "etr.csv").write_text(ETR_ROW, encoding="utf-8", newline="")
    (tmp_path / "eccg.csv").write_text(ECCG_ROW, encoding="utf-8", newline="")
    trusts = ods.import_ods([tmp_path / "etr.csv"])
    assert trusts[0]["id"] == "ods:RJ1" and trusts[0]["valid_from"] == "1993-04-01"
    ccgs = ods.import_ods([tmp_path / "eccg.csv"], "ccgs")
    assert ccgs[0]["canonical"] == "NHS Darlington Clinical Commissioning Group"
    assert ccgs[0]["valid_to"] == "2020-03-31"
    with pytest.raises(OdsError, match="pcns need"):
        ods.import_ods([tmp_path / "etr.csv"], "pcns")
    with pytest.raises(OdsError, match="second etr"):
        ods.import_ods([tmp_path / "etr.csv", tmp_path / "etr.csv"])


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30)


@given(st.lists(st.tuples(_TEXT, _TEXT, st.lists(_TEXT, max_size=3)), min_size=1, max_size=5))
def test_dump_round_trips_through_safe_load(rows: list[tuple[str, str, list[str]]]) -> None:
    entries = [
        {"id": f"ods:X{i}", "canonical": c, "ods_code": code, "aliases": a, "valid_from": "2013-04-01"}
        for i, (c, code, a) in enumerate(rows)
    ]
    doc = yaml.safe_load(dump_gazetteer(entries, "etr.csv"))
    assert doc["label"] == "BODY"
    assert doc["entries"] == [{k: v for k, v in e.items() if v} for e in entries]


def test_dump_header_and_key_order() -> None:
    text = dump_gazetteer(
        [
            {
                "notes": "n",
                "id": "ods:RJ1",
                "valid_to": "2020-03-31",
                "canonical": "C",
                "kind": "trust",
                "ods_code": "RJ1",
            }
        ],
        "etr.csv",
    )
    assert text.startswith("# Generated by `nhsx gazetteer import-ods`")
    assert "do not edit by hand" in text and "Open Government Licence v3.0" in text and "etr.csv" in text
    assert list(yaml.safe_load(text)["entries"][0]) == ["id", "canonical", "kind", "ods_code", "valid_to", "notes"]


# --- the reference data and the committed files --------------------------------------------------------------


@pytest.fixture(scope="module")
def generated() -> dict[str, list[dict]]:
    if not REFERENCE.is_dir():
        pytest.skip(f"{REFERENCE} not present")
    return {item.what: ods.import_ods([REFERENCE / f for f in item.files], item.what) for item in ods.REFRESH}


@pytest.fixture(scope="module")
def by_id(generated: dict[str, list[dict]]) -> dict[str, dict]:
    return {e["id"]: e for entries in generated.values() for e in entries}


@needs_reference
@pytest.mark.parametrize("item", ods.REFRESH, ids=lambda i: i.what)
def test_committed_files_are_what_the_import_gives(item: ods.Refresh) -> None:
    expected = ods.generate([REFERENCE / f for f in item.files], item.what)
    committed = ROOT / item.output
    assert committed.is_file(), f"{item.output} missing: run python -m nhsx.knowledge.ods"
    assert committed.read_text(encoding="utf-8") == expected, (
        f"{item.output} is stale: run python -m nhsx.knowledge.ods"
    )


@pytest.mark.parametrize("item", ods.REFRESH, ids=lambda i: i.what)
def test_committed_files_parse(item: ods.Refresh) -> None:
    path = ROOT / item.output
    if not path.is_file():
        pytest.skip(f"{item.output} not generated yet")
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert doc["label"] == "BODY" and doc["entries"]


@needs_reference
def test_detect_kind_on_reference_files() -> None:
    assert detect_kind(REFERENCE / "etr.csv") == "etr"
    assert detect_kind(REFERENCE / "eccg.csv") == "eccg"
    assert detect_kind(REFERENCE / ods.ICB_FILE) == "icb"
    assert detect_kind(REFERENCE / ods.GPMAP_FILE) == "gpmap"


@needs_reference
def test_names_table_names_are_real() -> None:
    text = "\n".join(p.read_text(encoding="utf-8-sig").upper() for p in REFERENCE.glob("*.csv"))
    assert [r["ods_name"] for r in _names_table() if r["ods_name"] not in text] == []


def test_every_entry_is_complete_and_ids_unique(generated: dict[str, list[dict]]) -> None:
    ids = [e["id"] for entries in generated.values() for e in entries]
    assert len(ids) == len(set(ids))
    for entries in generated.values():
        for e in entries:
            assert e["id"].startswith("ods:") and e["canonical"] and e["ods_code"] and e["kind"]
            assert e["id"].split(":")[1].split("-")[0] == e["ods_code"]


def test_references_resolve(by_id: dict[str, dict]) -> None:
    dangling = [
        (e["id"], key, e[key])
        for e in by_id.values()
        for key in ("successor", "parent", "region")
        if e.get(key) and e[key] not in by_id
    ]
    assert dangling == []


def test_coverage_counts(generated: dict[str, list[dict]]) -> None:
    kinds = Counter(e["kind"] for entries in generated.values() for e in entries)
    assert kinds["ICB"] == 42 and kinds["STP"] == 42 and kinds["ICS"] == 42 and kinds["region"] == 7
    assert kinds["trust"] == 274  # every etr row, open and closed
    assert len(generated["ccgs"]) == 320  # every eccg code (the 106 sub-ICB locations folded into their CCG)
    ccgs_2022 = [e for e in generated["ccgs"] if e["kind"] == "CCG" and e.get("valid_to") == "2022-06-30"]
    assert len(ccgs_2022) == 106
    assert all(
        e["successor"] in {f"ods:{x['ods_code']}" for x in generated["icbs"] if x["kind"] == "ICB"} for e in ccgs_2022
    )
    assert 800 < kinds["PCN"] < 1254


def test_gp_map_stp_codes_are_the_icb_codes(generated: dict[str, list[dict]]) -> None:
    icbs = {e["ods_code"] for e in generated["icbs"] if e["kind"] == "ICB"}
    stps = {e["ods_code"] for e in generated["icbs"] if e["kind"] == "STP"}
    assert icbs == stps and len(icbs) == 42


def test_dates_and_successors(by_id: dict[str, dict]) -> None:
    assert by_id["ods:RRP"]["successor"] == "ods:G6V2S"  # the dates show it (same ICB area, next day)
    assert by_id["ods:RY9"]["successor"] == "ods:RAX"  # not G6V2S: RY9 is in another area
    assert by_id["ods:RD3"]["successor"] == by_id["ods:RDZ"]["successor"] == "ods:R0D"
    assert by_id["ods:RRP"]["valid_to"] == "2024-10-31" and by_id["ods:G6V2S"]["valid_from"] == "2024-11-01"
    assert by_id["ods:00C"]["successor"] == "ods:16C" and by_id["ods:16C"]["successor"] == "ods:QHM"
    assert by_id["ods:16C"]["valid_to"] == "2022-06-30" and by_id["ods:QHM"]["valid_from"] == "2022-07-01"
    assert by_id["ods:02Q"]["successor"] == "ods:QT1"  # Bassetlaw joined Nottinghamshire's ICB
    assert by_id["ods:QM7-stp"]["successor"] == "ods:QM7-ics" and by_id["ods:QM7-stp"]["valid_to"] == "2022-06-30"
    assert "successor" not in by_id["ods:RVJ"]  # closes 2026-06-30, nothing in the data says what follows
    assert by_id["ods:RQF"]["notes"] == "Wales"


def test_gold_examples_resolve(by_id: dict[str, dict]) -> None:
    def owner(name: str) -> str:
        found = [
            e["canonical"]
            for e in by_id.values()
            if match_key(name) in map(match_key, [e["canonical"], *e.get("aliases", [])])
        ]
        assert len(found) == 1, (name, found)
        return found[0]

    assert (
        owner("Hertfordshire and West Essex STP")
        == "Hertfordshire and West Essex Sustainability and Transformation Partnership"
    )
    assert owner("Suffolk and North East Essex ICB") == "NHS Suffolk and North East Essex Integrated Care Board"
    assert (
        owner("Bedfordshire, Luton and Milton Keynes ICB")
        == "NHS Bedfordshire, Luton and Milton Keynes Integrated Care Board"
    )
    assert owner("East of England Ambulance Service") == "East of England Ambulance Service NHS Trust"
    assert owner("Guy's and St Thomas'") == "Guy's and St Thomas' NHS Foundation Trust"
    assert owner("Barts Health") == "Barts Health NHS Trust"
    assert owner("Basildon and Thurrock University Hospitals") == (
        "Basildon and Thurrock University Hospitals NHS Foundation Trust"
    )
    assert owner("NHS Tees Valley CCG") == "NHS Tees Valley Clinical Commissioning Group"
    assert owner("East of England region") == "NHS England East of England"
    assert owner("North Stockton PCN") == "North Stockton PCN"  # two words: kept; "Stockton PCN" is not


def test_no_bare_place_and_no_shared_name(generated: dict[str, list[dict]]) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for entries in generated.values():
        for e in entries:
            for name in (e["canonical"], *e.get("aliases", [])):
                owners[match_key(name)].add(e["id"])
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}
    for place in ("luton", "devon", "bristol", "london", "east of england", "mid and south essex", "west suffolk"):
        assert place not in owners
    assert "stockton pcn" not in owners
    # the matcher strips a leading "the" itself, so no alias carries one
    assert [
        a for es in generated.values() for e in es for a in e.get("aliases", []) if a.lower().startswith("the ")
    ] == []


def test_lead_validator_finds_no_problem_with_ods_entries() -> None:
    gazetteer = pytest.importorskip("nhsx.knowledge.gazetteer")
    files = [ROOT / item.output for item in ods.REFRESH]
    if not all(f.is_file() for f in files):
        pytest.skip("ODS gazetteers not generated yet")
    entries, problems = gazetteer.load_entries(gazetteer.gazetteer_files([ROOT / "gazetteers"]))
    assert [str(p) for p in problems if "/ods/" in p.file] == []
    assert [str(p) for p in gazetteer.validate(entries) if "ods:" in p.message or "/ods/" in p.file] == []


# --- curated additions and brands in the reference import -------------------------------------------------


def _reference_codes() -> tuple[set[str], set[str]]:
    """(every ODS code in the reference files, the GP map's STP footprint codes)."""
    sources = ods.read_sources([REFERENCE / f for f in ("etr.csv", "eccg.csv", ods.ICB_FILE, ods.GPMAP_FILE)])
    codes = {r.code for r in (sources.etr or []) + (sources.eccg or [])}
    codes |= {r["ICB24CDH"] for r in sources.icb or []}
    stps = {r["STP_CODE"] for r in sources.gpmap or []}
    return codes | stps | {r["CCG_CODE"] for r in sources.gpmap or []}, stps


@needs_reference
def test_every_addition_key_is_in_the_reference_data(by_id: dict[str, dict]) -> None:
    codes, stps = _reference_codes()
    keys = ods.builtin_additions()
    assert [k for k in keys if k.split("-")[0] not in codes] == []
    assert [k for k in keys if "-" in k and k.split("-")[0] not in stps] == []
    assert [k for k in keys if f"ods:{k}" not in by_id] == []


def test_every_addition_survives_the_import(generated: dict[str, list[dict]]) -> None:
    """A curated name that another entry also has is dropped by the ambiguity filter: fail, naming it."""
    additions = ods.builtin_additions()
    assert [m for entries in generated.values() for m in ods.missing_additions(entries, additions)] == []


def test_no_curated_alias_is_a_bare_place() -> None:
    if not REFERENCE.is_dir():
        pytest.skip(f"{REFERENCE} not present")
    files = [REFERENCE / f for f in ("etr.csv", "eccg.csv", ods.ICB_FILE, ods.GPMAP_FILE)]
    places = ods.places(ods.read_sources(files))
    aliases = [a for add in ods.builtin_additions().values() for a in add.get("aliases", [])]
    assert [a for a in aliases if is_place(a, places)] == []


def test_additions_are_merged(by_id: dict[str, dict]) -> None:
    bhrut = by_id["ods:RF4"]
    assert bhrut["canonical"] == "Barking, Havering and Redbridge University Hospitals NHS Trust"
    assert bhrut["acronyms"] == ["BHRUT"]
    assert by_id["ods:RJ1"]["acronyms"] == ["GSTT"] and by_id["ods:RRV"]["acronyms"] == ["UCLH"]
    bob = by_id["ods:QU9"]
    assert bob["canonical"] == "NHS Buckinghamshire, Oxfordshire and Berkshire West Integrated Care Board"
    assert "BOB ICB" in bob["aliases"] and "BOB ICS" in by_id["ods:QU9-ics"]["aliases"]
    assert "BOB ICB" not in by_id["ods:QU9-ics"]["aliases"]
    bristol = by_id["ods:RA7"]
    assert bristol["canonical"] == "Bristol NHS Foundation Trust"
    assert "University Hospitals Bristol and Weston NHS Foundation Trust" in bristol["aliases"]
    assert "UHBW" in bristol["acronyms"]
    assert "South Warwickshire NHS Foundation Trust" in by_id["ods:RJC"]["aliases"]


def test_icb_brand_aliases(by_id: dict[str, dict]) -> None:
    icbs = [e for e in by_id.values() if e["kind"] == "ICB"]
    assert "NHS Kent and Medway" in by_id["ods:QKS"]["aliases"]
    assert "NHS Greater Manchester" in by_id["ods:QOP"]["aliases"]
    assert all(ods.icb_brand(e["canonical"]) in e["aliases"] for e in icbs)
    owners = [e["id"] for e in by_id.values() if "nhs north east london" in map(match_key, e.get("aliases", []))]
    assert owners == ["ods:QMF"]


def test_a_former_trust_name_brings_its_short_forms() -> None:
    entry = {
        "id": "ods:RTG",
        "canonical": "University Hospitals of Derby and Burton NHS Foundation Trust",
        "kind": "trust",
    }
    out = ods.merge_additions([entry], {"RTG": {"aliases": ["Derby Hospitals NHS Foundation Trust"]}}, {"Derby"})
    assert out[0]["aliases"] == [
        "Derby Hospitals NHS Foundation Trust",
        "Derby Hospitals Foundation Trust",
        "Derby Hospitals",
    ]
    place = ods.merge_additions([entry], {"RTG": {"aliases": ["Burton NHS Foundation Trust"]}}, {"Burton"})
    assert place[0]["aliases"] == [
        "Burton NHS Foundation Trust",
        "Burton Foundation Trust",
    ]  # a bare place is not a name


def test_a_list_of_places_is_not_a_distinctive_name() -> None:
    places = {"norfolk", "suffolk", "northumberland", "tyne and wear", "leeds"}
    assert ods.is_place_list("Norfolk and Suffolk", places)
    assert ods.is_place_list("Northumberland, Tyne and Wear", places)
    assert not ods.is_place_list("Tees, Esk and Wear Valleys", places)
    assert not ods.is_distinctive("Norfolk and Suffolk", places)
    assert ods.is_distinctive("Leeds Teaching Hospitals", places)
