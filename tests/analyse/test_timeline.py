"""--as-of: mentions map forward along successors to the organisation that held the role on a date;
nhsx timeline and extract --by: mentions per period of the documents' dates."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from conftest import run_nhsx
from nhsx.analyse.timeline import Timeline, holder_on, map_as_of, word_count
from nhsx.knowledge.gazetteer import Entry
from nhsx.records import Mention

ENTRIES = {
    e.id: e
    for e in [
        Entry("ods:A", "BODY", "NHS Old CCG", valid_from="2013-04-01", valid_to="2020-03-31", successor="ods:B"),
        Entry("ods:B", "BODY", "NHS Merged CCG", valid_from="2020-04-01", valid_to="2022-06-30", successor="ods:C"),
        Entry("ods:C", "BODY", "NHS Some Integrated Care Board", valid_from="2022-07-01"),
        Entry("body:loop1", "BODY", "Loop One", valid_to="2000", successor="body:loop2"),
        Entry("body:loop2", "BODY", "Loop Two", valid_to="2000", successor="body:loop1"),
        Entry("body:year", "BODY", "Year Body", valid_to="2016", successor="ods:C"),
    ]
}


def test_holder_follows_successors_forward():
    assert holder_on("ods:A", dt.date(2019, 1, 1), ENTRIES) == "ods:A"
    assert holder_on("ods:A", dt.date(2020, 4, 1), ENTRIES) == "ods:B"
    assert holder_on("ods:A", dt.date(2022, 7, 1), ENTRIES) == "ods:C"


def test_dates_before_an_organisation_existed_are_left_alone():
    assert holder_on("ods:C", dt.date(2010, 1, 1), ENTRIES) == "ods:C"


def test_a_year_end_date_covers_the_whole_year_and_loops_stop():
    assert holder_on("body:year", dt.date(2016, 12, 31), ENTRIES) == "body:year"
    assert holder_on("body:loop1", dt.date(2020, 1, 1), ENTRIES) in {"body:loop1", "body:loop2"}


def test_map_as_of_keeps_the_original_id():
    mention = Mention("d", 0, 11, "NHS Old CCG", "BODY", "NHS Old CCG", "ods:A", False, 0, 0, "gazetteer", "ods:B")
    (mapped,) = map_as_of([mention], dt.date(2023, 1, 1), ENTRIES)
    assert (mapped.id, mapped.canonical, mapped.mapped_from, mapped.successor, mapped.text) == (
        "ods:C",
        "NHS Some Integrated Care Board",
        "ods:A",
        None,
        "NHS Old CCG",
    )


def test_cli_as_of_rolls_ccgs_up_to_their_icb():
    text = b"Practices dealt with NHS Luton CCG until 2021. NHS Improvement agreed."
    before = json.loads(run_nhsx("extract", "-", "--mentions", "-f", "json", stdin=text).stdout)
    after = json.loads(run_nhsx("extract", "-", "--mentions", "-f", "json", "--as-of", "2023-01-01", stdin=text).stdout)
    assert [(m["canonical"], m["successor"]) for m in before] == [
        ("NHS Luton Clinical Commissioning Group", "ods:M1J4Y"),
        ("NHS Improvement", "body:nhs-england"),
    ]
    assert [(m["canonical"], m["mapped_from"]) for m in after] == [
        ("NHS Bedfordshire, Luton and Milton Keynes Integrated Care Board", "ods:06P"),
        ("NHS England", "body:nhs-improvement"),
    ]


def test_cli_as_of_rejects_a_bad_date():
    assert run_nhsx("extract", "seeds", "--as-of", "2023-13-01").returncode == 2


# --- mentions per period: nhsx timeline and extract --by ----------------------------------------

STP_ENTRY = Entry("orgtype:stp", "ORG_TYPE", "Sustainability and Transformation Partnership", acronyms=("STP",))
ICS_ENTRY = Entry("orgtype:ics", "ORG_TYPE", "Integrated Care System", acronyms=("ICS",))
TYPES = {e.id: e for e in (STP_ENTRY, ICS_ENTRY)}


def org_type(entry: Entry, text: str) -> Mention:
    return Mention("d", 0, len(text), text, entry.label, entry.canonical, entry.id, text.isupper(), 0, 0, "gazetteer")


def test_word_count_counts_runs_holding_a_letter_or_digit():
    assert word_count("The NHS's 2016/17 plan – A&E, then ICSs.\n\n- done") == 8


def test_timeline_rows_rates_and_zero_counts():
    timeline = Timeline("year")
    timeline.add_document("2016", 500, [org_type(STP_ENTRY, "STP"), org_type(STP_ENTRY, "STP")])
    timeline.add_document("2016", 1500, [org_type(STP_ENTRY, "sustainability and transformation partnership")])
    timeline.add_document("2019", 1000, [org_type(ICS_ENTRY, "ICS")])
    keys = timeline.find("stp", TYPES) + timeline.find("Integrated Care System", TYPES)
    rows = [
        (r.period, r.canonical[:3], r.mentions, r.documents, r.per_10k_words, r.period_documents, r.period_words)
        for r in timeline.rows(keys)
    ]
    assert rows == [
        ("2016", "Sus", 3, 2, 15.0, 2, 2000),
        ("2016", "Int", 0, 0, 0.0, 2, 2000),
        ("2019", "Sus", 0, 0, 0.0, 1, 1000),
        ("2019", "Int", 1, 1, 10.0, 1, 1000),
    ]
    axis, documents, lines = timeline.chart(keys)
    assert axis == ["2016", "2017", "2018", "2019"] and documents == [2, 0, 0, 1]
    assert lines[0] == (
        "Sustainability and Transformation Partnership",
        [15.0, None, None, 0.0],
    )  # no documents: no value


def test_timeline_finds_entities_by_form_and_listed_entries_never_mentioned():
    timeline = Timeline("month")
    timeline.add_document("2016-03", 100, [org_type(STP_ENTRY, "STPs")])
    assert timeline.find("stps", {}) == [("ORG_TYPE", "orgtype:stp")]  # a form seen in the text
    assert timeline.find("ICS", TYPES) == [("ORG_TYPE", "orgtype:ics")]  # listed, not mentioned: zero rows
    assert [r.mentions for r in timeline.rows([("ORG_TYPE", "orgtype:ics")])] == [0]
    assert timeline.find("ICS", TYPES, labels=["BODY"]) == [] and timeline.find("nothing", TYPES) == []
    assert timeline.top(5) == [("ORG_TYPE", "orgtype:stp"), ("ORG_TYPE", "orgtype:ics")]
    assert timeline.top(5, labels=["BODY"]) == []


CORPUS = {  # file name -> text: a date in each name but the last
    "2016-03-01 footprints.txt": "Each area now has a sustainability and transformation partnership. The STP brings "
    "the NHS and councils together. Every STP must publish a plan.\n",
    "board-2018.txt": "Our STP became an integrated care system (ICS) this year. The ICS now leads planning, and the "
    "STP name is retired.\n",
    "review_2021_06.txt": "The integrated care system is the local partnership. Every ICS will gain a statutory "
    "integrated care board next year. Each ICS covers a population of about one million people.\n",
    "notes.txt": "A note without a date: the ICS met again.\n",
}


@pytest.fixture()
def corpus(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in CORPUS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def csv_rows(result) -> list[dict[str, str]]:
    assert result.returncode == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout.decode())))


def test_cli_timeline_stp_gives_way_to_ics(corpus):
    result = run_nhsx("timeline", str(corpus), "--entity", "STP", "--entity", "ICS", "-f", "csv")
    rows = [(r["period"], r["id"], r["mentions"], r["per_10k_words"], r["period_words"]) for r in csv_rows(result)]
    assert rows == [
        ("2016", "orgtype:stp", "3", "1304.35", "23"),
        ("2016", "orgtype:ics", "0", "0.0", "23"),
        ("2018", "orgtype:stp", "2", "952.38", "21"),
        ("2018", "orgtype:ics", "3", "1428.57", "21"),
        ("2021", "orgtype:stp", "0", "0.0", "29"),
        ("2021", "orgtype:ics", "3", "1034.48", "29"),
    ]
    assert result.stderr.decode().splitlines() == ["1 document has no date (--dates FILE to give them)"]


def test_cli_timeline_by_quarter_reports_dates_too_coarse_and_reads_a_folder_dates_file(corpus, tmp_path):
    (corpus / "dates.csv").write_text("doc,date\nnotes.txt,2021-05-20\n", encoding="utf-8")
    result = run_nhsx("timeline", str(corpus), "--entity", "ICS", "--by", "quarter", "-f", "json")
    rows = json.loads(result.stdout)
    assert [(r["period"], r["mentions"], r["period_documents"]) for r in rows] == [("2016-Q1", 0, 1), ("2021-Q2", 4, 2)]
    assert result.stderr.decode().splitlines() == [
        f"reading dates from {corpus / 'dates.csv'}",
        "1 document is dated only to the year: undated --by quarter",
    ]
    given = tmp_path / "mine.csv"  # a dates file named on purpose wins, and its stray rows are reported
    given.write_text("board-2018.txt,2018-11-02\nmissing.txt,2019\n", encoding="utf-8")
    result = run_nhsx("timeline", str(corpus), "--entity", "ICS", "--by", "quarter", "--dates", str(given), "-f", "csv")
    assert [r["period"] for r in csv_rows(result)] == ["2016-Q1", "2018-Q4", "2021-Q2"]
    assert "1 dates file row named no document read (first: missing.txt)" in result.stderr.decode()


def test_cli_timeline_plot_is_a_real_png(corpus, tmp_path):
    pytest.importorskip("matplotlib")
    target = tmp_path / "t.png"
    result = run_nhsx("timeline", str(corpus), "--entity", "STP", "--entity", "ICS", "--plot", str(target), "-f", "csv")
    assert result.returncode == 0, result.stderr
    data = target.read_bytes()
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")  # the IHDR chunk
    assert (
        data[:8] == b"\x89PNG\r\n\x1a\n"
        and 10_000 < len(data) < 2_000_000
        and 800 < width < 2000
        and 400 < height < 1200
    )
    bad = run_nhsx("timeline", str(corpus), "--plot", str(tmp_path / "t.gif"))
    assert bad.returncode == 1 and "must end in .png, .svg" in bad.stderr.decode() and not (tmp_path / "t.gif").exists()


def test_cli_timeline_an_entity_naming_nothing_is_a_problem_but_the_rest_is_written(corpus):
    result = run_nhsx("timeline", str(corpus), "--entity", "ICS", "--entity", "Nothing Such", "-f", "csv")
    assert result.returncode == 1
    assert "--entity 'Nothing Such': no such entity in the gazetteers or the documents" in result.stderr.decode()
    assert {r["id"] for r in csv.DictReader(io.StringIO(result.stdout.decode()))} == {"orgtype:ics"}


def test_cli_a_bad_dates_file_is_one_line(corpus, tmp_path):
    given = tmp_path / "dates.csv"
    given.write_text("doc,date\nnotes.txt,someday\n", encoding="utf-8")
    for command in ("timeline", "extract"):
        result = run_nhsx(command, str(corpus), "--dates", str(given), "--by", "year")
        assert result.returncode == 1 and result.stdout == b""
        assert (
            result.stderr.decode().strip()
            == f"Error: {given}:2: 'someday' is not a date (e.g. 2016-03-01, 2016-03 or 2016)"
        )


def test_cli_extract_by_year_puts_undated_documents_last(corpus):
    rows = json.loads(run_nhsx("extract", str(corpus), "--by", "year", "-f", "json").stdout)
    assert [(r["period"], r["canonical"], r["mentions"]) for r in rows] == [
        ("2016", "Sustainability and Transformation Partnership", 3),
        ("2018", "Integrated Care System", 3),
        ("2018", "Sustainability and Transformation Partnership", 2),
        ("2021", "Integrated Care System", 3),
        ("2021", "Integrated Care Board", 1),
        ("undated", "Integrated Care System", 1),
    ]
    mentions = csv_rows(run_nhsx("extract", str(corpus), "--by", "month", "--mentions", "-f", "csv"))
    assert list(mentions[0])[:2] == ["period", "doc"] and {r["period"] for r in mentions} == {
        "2016-03",
        "2021-06",
        "undated",
    }


def test_cli_as_of_auto_maps_each_document_on_its_own_date(tmp_path):
    text = "Practices dealt with NHS Luton CCG.\n"
    for name in ("2016-05-01 luton.txt", "2023-05-01 luton.txt", "luton.txt"):
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = run_nhsx("extract", str(tmp_path), "--as-of", "auto", "--mentions", "-f", "json")
    assert [(m["doc"][:4], m["canonical"], m["mapped_from"]) for m in json.loads(result.stdout)] == [
        ("2016", "NHS Luton Clinical Commissioning Group", None),  # a 2016 document's CCG stays a CCG
        ("2023", "NHS Bedfordshire, Luton and Milton Keynes Integrated Care Board", "ods:06P"),
        ("luto", "NHS Luton Clinical Commissioning Group", None),  # no date: left as named, and said so
    ]
    assert result.stderr.decode().splitlines() == ["1 document has no date (--dates FILE to give them)"]
    assert run_nhsx("extract", str(tmp_path), "--as-of", "someday").returncode == 2


def test_cli_timeline_outputs_are_checked_before_any_work(corpus, tmp_path):
    same = tmp_path / "t.png"
    result = run_nhsx("timeline", str(corpus), "-o", str(same), "--plot", str(same))
    assert result.returncode == 2 and "-o and --plot name the same file" in result.stderr.decode()
    doc = corpus / "notes.txt"
    result = run_nhsx("timeline", str(doc), "--plot", str(doc))
    assert result.returncode == 2 and "is also an input" in result.stderr.decode()
    assert doc.read_text(encoding="utf-8") == CORPUS["notes.txt"]
