"""Writers: CSV safety and quoting, valid JSON for any row count, and whole-or-nothing files."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat

import pytest

from nhsx.write.output import atomic_output
from nhsx.write.rows import csv_safe, render, write_csv, write_json, write_jsonl, write_table

ROWS = [
    {"text": "NHS England", "label": "BODY", "start": 0},
    {"text": "King\u2019s Fund", "label": "BODY", "start": 20},
]


def written(writer, rows, *args) -> str:
    stream = io.StringIO()
    writer(rows, *args, stream)
    return stream.getvalue()


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("value", ["=SUM(A1:A2)", "+44 20", "-1", "@cmd", "\tx", "\rx"])
def test_csv_safe_neutralises_formula_starts(value):
    assert csv_safe(value) == "'" + value


@pytest.mark.parametrize("value", ["NHS England", "", " =x", "a=b", 5, -1, None, 2.5])
def test_csv_safe_leaves_other_values(value):
    assert csv_safe(value) == value


def test_write_csv_quotes_commas_quotes_and_newlines():
    rows = [{"a": 'say "hi", then', "b": "line one\nline two"}]
    text = written(write_csv, rows, ["a", "b"])
    assert text == 'a,b\n"say ""hi"", then","line one\nline two"\n'
    assert csv_rows(text) == [["a", "b"], ['say "hi", then', "line one\nline two"]]


def test_write_csv_joins_lists_and_blanks_missing_values():
    text = written(write_csv, [{"forms": ["ICS", "ICSs"], "id": None}], ["forms", "id", "absent"])
    assert csv_rows(text) == [["forms", "id", "absent"], ["ICS; ICSs", "", ""]]


def test_write_csv_neutralises_formulas_in_cells_and_joined_lists():
    text = written(write_csv, [{"a": "=1+1", "b": ["@x", "y"], "c": 3}], ["a", "b", "c"])
    assert csv_rows(text)[1] == ["'=1+1", "'@x; y", "3"]


@pytest.mark.parametrize("count", [0, 1, 2])
def test_write_json_is_valid_for_any_row_count(count):
    assert json.loads(written(write_json, ROWS[:count])) == ROWS[:count]


def test_write_json_accepts_a_generator_and_keeps_unicode():
    text = written(write_json, (row for row in ROWS))
    assert "King\u2019s" in text and json.loads(text) == ROWS


def test_write_jsonl_one_object_per_line():
    lines = written(write_jsonl, ROWS).splitlines()
    assert [json.loads(line) for line in lines] == ROWS


def test_write_jsonl_escapes_newlines_inside_values():
    assert written(write_jsonl, [{"t": "a\nb"}]) == '{"t": "a\\nb"}\n'


def test_render_rejects_an_unknown_format():
    with pytest.raises(ValueError, match="xml"):
        render(ROWS, "xml", ["text"])


def test_atomic_output_replaces_old_content(tmp_path):
    target = tmp_path / "out.json"
    target.write_text("old")
    with atomic_output(target) as stream:
        stream.write("new\n")
    assert target.read_text() == "new\n"
    assert leftovers(tmp_path) == ["out.json"]


def test_atomic_output_leaves_target_unchanged_when_the_block_raises(tmp_path):
    target = tmp_path / "out.json"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_output(target) as stream:
        stream.write("half")
        raise RuntimeError("boom")
    assert target.read_text() == "old"
    assert leftovers(tmp_path) == ["out.json"]


def test_atomic_output_creates_nothing_when_a_new_file_fails(tmp_path):
    with pytest.raises(KeyboardInterrupt), atomic_output(tmp_path / "new.csv"):
        raise KeyboardInterrupt
    assert leftovers(tmp_path) == []


def test_atomic_output_writes_newlines_untranslated(tmp_path):
    target = tmp_path / "out.csv"
    with atomic_output(target) as stream:
        stream.write("a\r\nb\n")
    assert target.read_bytes() == b"a\r\nb\n"


def test_atomic_output_file_gets_normal_permissions(tmp_path):
    umask = os.umask(0o022)
    try:
        with atomic_output(tmp_path / "out.csv") as stream:
            stream.write("x")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "out.csv").stat().st_mode) == 0o644


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


STP_ROW = [
    {"canonical": "Sustainability and Transformation Partnership", "label": "ORG_TYPE", "mentions": 6,
     "documents": 2, "forms": "STPs, sustainability and transformation partnership", "id": "orgtype:stp"},
]  # fmt: skip


@pytest.mark.parametrize("columns,dropped", [(80, True), (140, False)])
def test_a_narrow_terminal_gets_the_table_without_ids_and_secondary_columns(monkeypatch, columns, dropped):
    monkeypatch.setenv("COLUMNS", str(columns))
    stream = Terminal()
    write_table(STP_ROW, ("canonical", "label", "mentions", "documents", "forms", "id"), stream, title="Entities")
    text = re.sub(r"\x1b\[[0-9;]*m", "", stream.getvalue())  # the colours a terminal gets
    assert max(len(line) for line in text.splitlines()) <= columns
    assert ("orgtype:stp" in text) is not dropped
    assert ("forms, id left out" in text) is dropped
    assert "Sustainability and Transformation" in text and "Partnership" in text  # wrapped between words
    assert "Transforma" not in text.replace("Transformation", "")  # never broken mid-word
