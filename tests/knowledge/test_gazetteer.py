"""Gazetteer loading and validation: every problem is one `file:line: message`, never an exception."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from nhsx.knowledge.gazetteer import (
    Entry,
    Gazetteer,
    GazetteerError,
    Role,
    builtin_dir,
    gazetteer_files,
    load_entries,
    load_file,
    name_key,
    validate,
    validate_paths,
)

GOOD = """\
- id: body:good
  label: BODY
  canonical: Good Body
"""  # three lines: a bad entry appended after it starts on line 4


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def load_text(tmp_path: Path, text: str, name: str = "g.yaml"):
    return load_file(write(tmp_path, name, text))


def cross_problems(*paths: Path):
    """Cross-entry problems (duplicates, alias conflicts, successors) over the given files."""
    entries, problems = load_entries(paths)
    assert problems == []
    return validate(entries)


def entry(entry_id: str, canonical: str, *extra: str) -> str:
    """One bare-list BODY entry as YAML text, with extra `key: value` lines."""
    lines = [f"- id: {entry_id}", "  label: BODY", f"  canonical: {canonical}", *(f"  {x}" for x in extra)]
    return "\n".join(lines) + "\n"


# --- loading ------------------------------------------------------------------------------------


def test_file_level_defaults_apply_unless_the_entry_sets_them(tmp_path):
    entries, problems = load_text(
        tmp_path,
        """\
        label: BODY
        kind: think tank
        entries:
          - id: body:nuffield-trust
            canonical: Nuffield Trust
            acronyms: NT
          - id: body:dhsc
            canonical: Department of Health and Social Care
            kind: government department
            valid_from: 2018-01-09
            valid_to: 2030
        """,
    )
    assert problems == []
    nuffield, dhsc = entries
    assert (nuffield.label, nuffield.kind, nuffield.acronyms, nuffield.line) == ("BODY", "think tank", ("NT",), 4)
    assert (dhsc.label, dhsc.kind, dhsc.valid_from, dhsc.valid_to) == (
        "BODY",
        "government department",
        "2018-01-09",
        "2030",
    )


def test_bare_list_file_loads_each_entry_with_its_own_label(tmp_path):
    entries, problems = load_text(
        tmp_path,
        """\
        - id: policy:bcf
          label: POLICY
          canonical: "  Better Care Fund "
          aliases: [BCF fund]
        - id: person:chris-ham
          label: PERSON
          canonical: Chris Ham
          roles:
            - {role: chief executive, org: The King's Fund, from: 2010, to: 2018}
        """,
    )
    assert problems == []
    assert [(e.id, e.label, e.canonical, e.line) for e in entries] == [
        ("policy:bcf", "POLICY", "Better Care Fund", 1),
        ("person:chris-ham", "PERSON", "Chris Ham", 5),
    ]
    assert entries[1].roles == (Role("chief executive", "The King's Fund", "2010", "2018"),)


def test_a_bad_entry_does_not_stop_the_good_ones(tmp_path):
    entries, problems = load_text(tmp_path, GOOD + "- id: body:bad\n  label: WIDGET\n  canonical: Bad\n")
    assert [e.id for e in entries] == ["body:good"]
    assert len(problems) == 1


# --- one problem per fault, with its file and line ---------------------------------------------


@pytest.mark.parametrize(
    "bad, message",
    [
        ("- label: BODY\n  canonical: X\n", "missing field 'id'"),
        ("- id: body:x\n  canonical: X\n", "missing field 'label'"),
        ("- id: body:x\n  label: BODY\n", "missing field 'canonical'"),
        ("- id: body:x\n  label: WIDGET\n  canonical: X\n", "unknown label 'WIDGET'"),
        ("- id: body:x\n  label: BODY\n  canonical: X\n  colour: red\n", "unknown field 'colour'"),
        ("- id: Body X\n  label: BODY\n  canonical: X\n", "bad id 'Body X'"),
        ("- id: body:x\n  label: BODY\n  canonical: X\n  valid_from: 01/04/2013\n", "bad date '01/04/2013'"),
        ("- id: body:x\n  label: BODY\n  canonical: X\n  valid_from: 2015\n  valid_to: 2013\n", "valid_to is before"),
        ("- id: term:x\n  label: TERM\n  canonical: X\n  acronyms: [X]\n", "TERM entry needs"),
        ("- id: person:x\n  label: PERSON\n  canonical: X Y\n  roles:\n    - {org: NHS England}\n", "without a 'role'"),
        ("- id: body:x\n  label: BODY\n  canonical: X\n  common_word: sometimes\n", "must be true or false"),
        ("- id: body:x\n  label: BODY\n  canonical: X\n  aliases: {a: b}\n", "must be a list of strings"),
    ],
)
def test_each_fault_gives_one_problem_at_the_entry_line(tmp_path, bad, message):
    path = write(tmp_path, "g.yaml", GOOD + bad)
    _, problems = load_file(path)
    assert len(problems) == 1, problems
    assert (problems[0].file, problems[0].line) == (str(path), 4)
    assert message in problems[0].message


def test_impossible_calendar_date_is_a_problem_not_a_crash(tmp_path):
    _, problems = load_text(tmp_path, GOOD + "- id: body:x\n  label: BODY\n  canonical: X\n  valid_from: 2013-02-30\n")
    assert [(p.line, "bad date" in p.message) for p in problems] == [(4, True)]


def test_role_bad_date_is_reported_at_the_role_line(tmp_path):
    _, problems = load_text(
        tmp_path, "- id: person:x\n  label: PERSON\n  canonical: X Y\n  roles:\n    - role: chair\n      from: soon\n"
    )
    assert [(p.line, "bad date 'soon' in role" in p.message) for p in problems] == [(5, True)]


def test_malformed_yaml_is_one_problem_at_its_line(tmp_path):
    path = write(tmp_path, "g.yaml", "- id: body:a\n  label: BODY\n  canonical: A: B\n")
    entries, problems = load_file(path)
    assert entries == []
    assert [(p.file, p.line, p.message.startswith("invalid YAML")) for p in problems] == [(str(path), 3, True)]


def test_python_object_tag_is_refused_and_never_executed(tmp_path):
    marker = tmp_path / "MARKER"
    text = f'- id: body:a\n  label: BODY\n  canonical: !!python/object/apply:os.system ["touch {marker}"]\n'
    entries, problems = load_text(tmp_path, text)
    assert not marker.exists()
    assert entries == []
    assert [(p.line, "python/object" in p.message) for p in problems] == [(3, True)]


@pytest.mark.parametrize("text", ["", "# only a comment\n", "just a string\n", "entries: 3\n"])
def test_empty_or_shapeless_file_is_one_problem(tmp_path, text):
    entries, problems = load_text(tmp_path, text)
    assert entries == [] and len(problems) == 1


def test_unknown_top_level_key_is_reported_on_line_one(tmp_path):
    entries, problems = load_text(tmp_path, "label: BODY\nowner: me\nentries:\n  - id: body:a\n    canonical: A\n")
    assert [e.id for e in entries] == ["body:a"]
    assert [(p.line, "owner" in p.message) for p in problems] == [(1, True)]


# --- cross-entry checks -------------------------------------------------------------------------


def test_duplicate_id_across_two_files_points_at_the_second(tmp_path):
    first = write(tmp_path, "a.yaml", entry("body:dup", "First"))
    second = write(tmp_path, "b.yaml", GOOD + entry("body:dup", "Second"))
    problems = cross_problems(first, second)
    assert [(p.file, p.line) for p in problems] == [(str(second), 4)]
    assert f"first at {first}:1" in problems[0].message


def test_duplicate_id_is_reported_by_gazetteer_load(tmp_path):
    first = write(tmp_path, "a.yaml", entry("body:dup", "First"))
    second = write(tmp_path, "b.yaml", entry("body:dup", "Second"))
    gazetteer = Gazetteer.load([first, second], builtins=False)
    assert [(p.file, "duplicate id" in p.message) for p in gazetteer.problems] == [(str(second), True)]


def test_alias_claimed_by_two_meanings_is_one_problem(tmp_path):
    text = entry("body:a", "Alpha", "aliases: [The Board]") + entry("body:b", "Beta", "aliases: [board]")
    problems = cross_problems(write(tmp_path, "g.yaml", text))  # body:b starts on line 5
    assert [(p.line, "'board'" in p.message and "body:a" in p.message) for p in problems] == [(5, True)]


def test_acronym_claimed_twice_is_a_conflict(tmp_path):
    path = write(
        tmp_path, "g.yaml", entry("body:a", "Alpha", "acronyms: [AB]") + entry("body:b", "Beta", "acronyms: [AB]")
    )
    assert len(cross_problems(path)) == 1


def test_alias_shared_in_disjoint_periods_is_fine(tmp_path):
    text = entry("body:a", "Alpha", "aliases: [Board]", "valid_to: 2010") + entry(
        "body:b", "Beta", "aliases: [Board]", "valid_from: 2011-04-01"
    )
    assert cross_problems(write(tmp_path, "g.yaml", text)) == []


def test_alias_shared_by_entries_of_the_same_meaning_is_fine(tmp_path):
    text = entry("body:a", "Same Name", "aliases: [Board]") + entry("body:b", "the same-name", "aliases: [Board]")
    assert cross_problems(write(tmp_path, "g.yaml", text)) == []


def test_same_name_with_different_labels_conflicts(tmp_path):
    text = entry("body:a", "Vanguard") + "- id: orgtype:vanguard\n  label: ORG_TYPE\n  canonical: Vanguard\n"
    assert len(cross_problems(write(tmp_path, "g.yaml", text))) == 1


def test_dangling_successor_is_reported(tmp_path):
    path = write(tmp_path, "g.yaml", GOOD + entry("body:old", "Old", "successor: body:nowhere"))
    problems = cross_problems(path)
    assert [(p.line, "body:nowhere" in p.message) for p in problems] == [(4, True)]


def test_known_successor_is_fine(tmp_path):
    path = write(tmp_path, "g.yaml", GOOD + entry("body:old", "Old", "successor: body:good"))
    assert cross_problems(path) == []


# --- built-ins, overrides and paths -------------------------------------------------------------


def test_builtin_gazetteers_validate_cleanly():
    problems, count = validate_paths([builtin_dir()])
    assert problems == [] and count > 100


def test_user_entry_replaces_builtin_with_the_same_id(tmp_path):
    builtin = Gazetteer.load()
    override = write(tmp_path, "mine.yaml", entry("body:nhs-england", "NHS England Test", "acronyms: [NHSE]"))
    merged = Gazetteer.load([override])
    assert merged.problems == []
    assert len(merged) == len(builtin)
    assert merged.entries["body:nhs-england"].canonical == "NHS England Test"
    assert builtin.entries["body:nhs-england"].canonical == "NHS England"


def test_validate_paths_checks_a_user_file_against_the_builtins(tmp_path):
    path = write(tmp_path, "mine.yaml", entry("body:mine", "Mine", "successor: body:nhs-england"))
    assert validate_paths([path]) == ([], 1)


def test_validate_paths_reports_a_clash_with_a_builtin_acronym(tmp_path):
    path = write(tmp_path, "mine.yaml", entry("body:mine", "Mine", "acronyms: [NHSE]"))
    problems, count = validate_paths([path])
    assert count == 1 and [p.file for p in problems] == [str(path)]


def test_missing_path_raises_naming_it(tmp_path):
    missing = tmp_path / "nope.yaml"
    with pytest.raises(GazetteerError, match="nope.yaml"):
        Gazetteer.load([missing], builtins=False)


def test_empty_folder_raises_naming_it(tmp_path):
    folder = tmp_path / "empty_gaz"
    folder.mkdir()
    (folder / "readme.txt").write_text("not yaml")
    with pytest.raises(GazetteerError, match="empty_gaz"):
        gazetteer_files([folder])


def test_folder_expands_recursively_in_sorted_order(tmp_path):
    (tmp_path / "sub").mkdir()
    for name in ("b.yaml", "a.yml", "sub/c.yaml", "notes.txt"):
        write(tmp_path, name, GOOD)
    assert [p.relative_to(tmp_path).as_posix() for p in gazetteer_files([tmp_path])] == [
        "a.yml",
        "b.yaml",
        "sub/c.yaml",
    ]


# --- records and keys ---------------------------------------------------------------------------


def test_entry_round_trips_through_json():
    original = Entry(
        id="person:x-y",
        label="PERSON",
        canonical="X Y",
        aliases=("Xavier Y",),
        short_names=("Y",),
        roles=(Role("chair", "NHS England", "2014", None), Role("minister")),
        valid_from="2001-02-03",
        case_sensitive=True,
        file="people.yaml",
        line=7,
    )
    data = json.loads(json.dumps(original.to_dict()))
    assert data["roles"][0] == {"role": "chair", "org": "NHS England", "from": "2014", "to": None}
    restored = Entry.from_dict(data)
    assert restored == original and (restored.file, restored.line) == ("people.yaml", 7)


def test_glossary_expansion_defaults_to_canonical():
    assert Entry("body:a", "BODY", "Alpha").glossary_expansion == "Alpha"
    assert Entry("term:a", "TERM", "A", expansion="alpha").glossary_expansion == "alpha"


@pytest.mark.parametrize(
    "name, key",
    [
        ("NHS England", "nhs england"),
        ("The King\u2019s Fund", "king's fund"),
        ("the King\u2018s Fund", "king's fund"),
        ("Long-Term  Plan", "long term plan"),
        ("long\u2013term plan", "long term plan"),
        ("Theatre Trust", "theatre trust"),
        ("  the   Treasury ", "treasury"),
    ],
)
def test_name_key_ignores_case_apostrophes_hyphens_and_leading_the(name, key):
    assert name_key(name) == key
