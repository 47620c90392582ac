"""nhsx context: the concordance module and real runs of the command."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from conftest import REPO, run_nhsx
from nhsx.analyse.context import (
    CONTEXT_COLUMNS,
    Concordance,
    ContextRow,
    EntityIndex,
    collapse,
    context_rows,
    left_context,
    nearest,
    right_context,
    write_concordance,
)
from nhsx.knowledge.gazetteer import Entry
from nhsx.records import Mention

SEEDS = REPO / "seeds"

# Written for these tests: three forms of one body, a possessive, a paragraph break, a person the rules find.
MEMO = (
    "Planning memo\n\n"
    "The national guidance came from NHS England's regional team in March.\n"
    "Later, NHSE asked every board to report monthly, and the\n"
    "NHS Commissioning Board name was not used again.\n\n"
    "Dr Harriet Quenby, the medical director, said the plan was realistic."
)


def mention(text: str, source: str, canonical: str, id_: str | None = "body:x", label: str = "BODY") -> Mention:
    start = source.index(text)
    return Mention("d.txt", start, start + len(text), text, label, canonical, id_, False, 0, 0, "gazetteer")


# --- contexts ------------------------------------------------------------------------------------


def test_collapse_shows_paragraph_breaks_and_joins_wrapped_lines() -> None:
    assert collapse("a\n  b\t\tc\n\n\nd") == "a b c ⏎ d"


def test_contexts_stop_at_word_boundaries_within_width() -> None:
    text = "alpha beta gamma delta TARGET epsilon zeta eta theta"
    start = text.index("TARGET")
    assert left_context(text, start, 12) == "gamma delta "  # "beta" would not fit whole
    assert right_context(text, start + 6, 12) == " epsilon"  # nor "zeta"
    assert left_context(text, start, 100) == "alpha beta gamma delta "
    assert right_context(text, start + 6, 100) == " epsilon zeta eta theta"
    assert left_context(text, start, 0) == right_context(text, start + 6, 0) == ""


def test_contexts_see_through_long_runs_of_whitespace() -> None:
    text = "first words" + " " * 5000 + "\n" * 3 + "KEY" + "\n" + " " * 5000 + "last words"
    start = text.index("KEY")
    assert left_context(text, start, 40) == "first words ⏎ "
    assert right_context(text, start + 3, 40) == " last words"


def test_a_single_word_longer_than_the_width_is_cut_not_dropped() -> None:
    text = "x " + "a" * 30 + " KEY " + "b" * 30 + " y"
    start = text.index("KEY")
    assert left_context(text, start, 10) == "aaaaaaaaa "
    assert right_context(text, start + 3, 10) == " bbbbbbbbb"


def test_context_rows_carry_the_mention_fields() -> None:
    m = mention("NHSE", MEMO, "NHS England", "body:nhs-england")
    (row,) = context_rows(MEMO, [m], width=20)
    assert row == ContextRow(
        "d.txt",
        None,
        m.start,
        m.end,
        "NHSE",
        "NHS England",
        "body:nhs-england",
        "BODY",
        "in March. Later, ",
        " asked every board",
    )
    assert list(row.to_dict()) == list(CONTEXT_COLUMNS)


# --- entity names ------------------------------------------------------------------------------


ENTRIES = {
    "body:nhs-england": Entry(
        "body:nhs-england", "BODY", "NHS England", aliases=("NHS Commissioning Board",), acronyms=("NHSE",)
    ),
    "body:nhs-improvement": Entry("body:nhs-improvement", "BODY", "NHS Improvement", acronyms=("NHSI",)),
}


@pytest.mark.parametrize("name", ["NHSE", "nhse", "nhs england", "body:nhs-england", " NHS Commissioning Board "])
def test_any_name_of_an_entry_finds_it(name: str) -> None:
    query = EntityIndex.of(ENTRIES).query(name, ENTRIES)
    assert query.known and query.ids == {"body:nhs-england"}
    assert query.matches(mention("NHSE", MEMO, "NHS England", "body:nhs-england"))
    assert not query.matches(mention("NHSE", MEMO, "NHS Improvement", "body:nhs-improvement"))


def test_an_unknown_name_is_matched_by_canonical_name() -> None:
    query = EntityIndex.of(ENTRIES).query("harriet quenby", ENTRIES)
    assert not query.known
    assert query.matches(mention("Harriet Quenby", MEMO, "Harriet Quenby", None, "PERSON"))
    assert not query.matches(mention("NHSE", MEMO, "NHS England", "body:nhs-england"))


def test_nearest_names_ignore_case_and_keep_their_spelling() -> None:
    assert nearest("nhs englnd", ["NHS England", "NHS Improvement", "Monitor"]) == ["NHS England"]
    assert nearest("zzz", ["NHS England"]) == []


def test_concordance_counts_matches_and_remembers_names_seen() -> None:
    index = EntityIndex.of(ENTRIES)
    queries = [index.query("NHSE", ENTRIES), index.query("Someone Else", ENTRIES)]
    concordance = Concordance(queries, labels=["body"], width=10)
    mentions = [
        mention("NHSE", MEMO, "NHS England", "body:nhs-england"),
        mention("Harriet Quenby", MEMO, "Harriet Quenby", None, "PERSON"),
    ]
    rows = concordance.add_document(MEMO, mentions)
    assert [r.text for r in rows] == ["NHSE"]
    assert [q.name for q in concordance.unmatched()] == ["Someone Else"]
    assert concordance.seen == {"NHS England", "Harriet Quenby"}


# --- the table -------------------------------------------------------------------------------


def table_rows() -> list[ContextRow]:
    forms = [
        ("NHS England", "body:nhs-england"),
        ("NHSE", "body:nhs-england"),
        ("NHS Commissioning Board", "body:nhs-england"),
    ]
    return [r for text, id_ in forms for r in context_rows(MEMO, [mention(text, MEMO, "NHS England", id_)], width=40)]


def assert_aligned(rendered: str, rows: list[ContextRow]) -> None:
    """Each row's mention starts in the column under the "mention" header."""
    lines = [line for line in rendered.splitlines() if any(r.doc in line for r in rows)]
    assert len(lines) == len(rows)
    column = next(line for line in rendered.splitlines() if "mention" in line).index("mention")
    assert all(line[column:].startswith(r.text) for line, r in zip(lines, rows)), rendered
    # left contexts are right-aligned: each ends just before its mention
    assert all(line[:column].rstrip().endswith(r.left.split()[-1]) for line, r in zip(lines, rows)), rendered
    assert len({len(line[:column]) - len(line[:column].rstrip()) for line in lines}) == 1, rendered


@pytest.mark.parametrize("columns", ["160", "60"])
def test_table_aligns_mentions_and_fits_the_width(columns: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    rows = table_rows()
    buffer = io.StringIO()
    write_concordance(rows, buffer)
    rendered = buffer.getvalue()
    assert_aligned(rendered, rows)
    assert max(len(line) for line in rendered.splitlines()) <= int(columns)
    assert "NHS Commissioning Board" in rendered  # the longest mention is never shortened


# --- the command -------------------------------------------------------------------------------


def csv_rows(stdout: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(stdout.decode("utf-8"))))


def test_every_name_form_gives_the_same_rows_from_the_seeds() -> None:
    results = [
        run_nhsx("context", str(SEEDS), "--entity", name, "-f", "csv", "--workers", "1")
        for name in ("NHSE", "nhs england", "body:nhs-england")
    ]
    assert all(r.returncode == 0 for r in results), [r.stderr for r in results]
    first = csv_rows(results[0].stdout)
    assert all(csv_rows(r.stdout) == first for r in results[1:])
    assert {r["canonical"] for r in first} == {"NHS England"} and {r["id"] for r in first} == {"body:nhs-england"}
    assert {"NHS England", "NHS Commissioning Board"} <= {r["text"] for r in first}
    assert list(first[0]) == list(CONTEXT_COLUMNS)
    # the text columns are the document's own: the mention sits at start:end, the contexts either side
    for row in first:
        text = (SEEDS / row["doc"]).read_text(encoding="utf-8")
        start, end = int(row["start"]), int(row["end"])
        assert text[start:end] == row["text"]
        assert collapse(text[:start]).endswith(row["left"]) and collapse(text[end:]).startswith(row["right"])
        assert len(row["left"]) <= 40 and len(row["right"]) <= 40


@pytest.fixture
def memo(tmp_path: Path) -> Path:
    path = tmp_path / "memo.txt"
    path.write_text(MEMO, encoding="utf-8")
    return path


def test_acronym_possessive_and_old_name_all_found_in_a_written_file(memo: Path) -> None:
    result = run_nhsx("context", "memo.txt", "--entity", "NHSE", "-f", "jsonl", "--width", "20", cwd=memo.parent)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [r["text"] for r in rows] == ["NHS England", "NHSE", "NHS Commissioning Board"]
    assert rows[0]["right"].startswith("'s regional team")
    assert rows[1]["left"] == "in March. Later, "
    assert {r["doc"] for r in rows} == {"memo.txt"}


def test_table_from_the_command_is_aligned_on_the_mention(memo: Path) -> None:
    result = run_nhsx("context", "memo.txt", "--entity", "nhs england", cwd=memo.parent, env={"COLUMNS": "100"})
    assert result.returncode == 0, result.stderr
    rendered = result.stdout.decode()
    lines = [line for line in rendered.splitlines() if "memo.txt" in line]
    columns = {
        min(line.index(form) for form in ("NHS England", "NHSE", "NHS Commissioning Board") if form in line)
        for line in lines
    }
    assert len(lines) == 3 and len(columns) == 1, rendered
    assert "3 mentions of NHS England" in rendered


def test_a_person_the_rules_found_is_matched_after_the_run(memo: Path) -> None:
    result = run_nhsx("context", str(memo), "--entity", "harriet quenby", "-f", "csv")
    assert result.returncode == 0, result.stderr
    assert [r["canonical"] for r in csv_rows(result.stdout)] == ["Harriet Quenby"]


def test_a_misspelt_name_names_the_nearest(memo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    result = run_nhsx("context", str(memo), "--entity", "NHS Englnd", "-o", str(out))
    assert result.returncode == 1
    assert "no mentions of 'NHS Englnd'" in result.stderr.decode() and "NHS England" in result.stderr.decode()
    assert not out.exists()  # an output is written whole or not at all


def test_an_unknown_id_is_a_usage_error_before_reading(tmp_path: Path) -> None:
    result = run_nhsx("context", str(tmp_path / "missing"), "--entity", "body:nhs-englnd")
    assert result.returncode == 2
    stderr = result.stderr.decode()
    assert "body:nhs-englnd" in stderr and "body:nhs-england" in stderr
    assert "missing" not in stderr  # documents were not read


def test_label_filter_and_a_known_entity_with_no_mentions(memo: Path) -> None:
    result = run_nhsx("context", str(memo), "--entity", "NHSE", "--label", "PERSON", "-f", "json")
    assert result.returncode == 0
    assert json.loads(result.stdout) == []
    assert "no mentions of 'NHSE'" in result.stderr.decode()


def test_as_of_maps_old_bodies_to_their_successor(tmp_path: Path) -> None:
    path = tmp_path / "old.txt"
    path.write_text(
        "In 2015 Monitor and the NHS Trust Development Authority published joint guidance.\n", encoding="utf-8"
    )
    before = run_nhsx("context", str(path), "--entity", "NHS Improvement", "-f", "csv")
    after = run_nhsx("context", str(path), "--entity", "NHS Improvement", "--as-of", "2017-01-01", "-f", "csv")
    assert before.returncode == 0 and csv_rows(before.stdout) == []  # neither name is NHS Improvement's
    assert after.returncode == 0, after.stderr
    assert {r["text"] for r in csv_rows(after.stdout)} == {"Monitor", "NHS Trust Development Authority"}


def test_pages_of_a_pdf_are_given() -> None:
    result = run_nhsx("context", "tests/data/formats/report.pdf", "--entity", "ICB", "-f", "jsonl")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [r["page"] for r in rows] == [1, 3] and {r["canonical"] for r in rows} == {"Integrated Care Board"}
    table = run_nhsx("context", "tests/data/formats/report.pdf", "--entity", "ICB").stdout.decode()
    assert "page" in table and "2 mentions of Integrated Care Board" in table
