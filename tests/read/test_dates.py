"""Dating documents: values, file names, metadata, datelines, dates files, and the periods dates fall in."""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path

import pytest

from nhsx.read.dates import (
    UNDATED,
    Dated,
    DatesError,
    DocumentDates,
    date_in_name,
    dateline,
    document_date,
    first_day,
    front_matter_date,
    parse_date,
    period_of,
    periods_between,
    read_dates_file,
)
from nhsx.read.files import read_file
from nhsx.read.formats import extract

FORMATS = Path(__file__).parents[1] / "data" / "formats"


@pytest.mark.parametrize(
    "value, date",
    [
        ("2016-03-01", "2016-03-01"),
        ("2016-03-01T10:00:00+00:00", "2016-03-01"),
        ("2016-03", "2016-03"),
        ("2016", "2016"),
        ("20160301", "2016-03-01"),
        ("D:20160301120000Z", "2016-03-01"),  # a PDF date
        ("D:20160301120000+01'00'", "2016-03-01"),
        ("3 March 2016", "2016-03-03"),
        ("3rd March 2016", "2016-03-03"),
        ("March 3, 2016", "2016-03-03"),
        ("Sept 2016", "2016-09"),
        ("03/04/2016", "2016-04-03"),  # day first, as in the UK
        ("2016-13-01", None),
        ("30 February 2016", None),
        ("1848", None),
        ("soon", None),
    ],
)
def test_parse_date(value, date):
    assert parse_date(value) == date


@pytest.mark.parametrize(
    "name, date",
    [
        ("2016-03-01 board papers.pdf", "2016-03-01"),
        ("board_20160301.pdf", "2016-03-01"),
        ("minutes-01-03-2016.docx", "2016-03-01"),
        ("stp_2016_03.txt", "2016-03"),
        ("board-papers-march-2016.pdf", "2016-03"),
        ("nhs-long-term-plan-2019.pdf", "2019"),
        ("annual-report-2016-17.pdf", "2016"),  # a financial year: its first year
        ("archive/2016/report.txt", "2016"),  # a folder named by year
        ("report2016.txt", None),  # a year not standing alone
        ("nhs111.txt", None),
        ("01-integration-newsletter.txt", None),
    ],
)
def test_date_in_name(name, date):
    assert date_in_name(name) == date


def test_front_matter_date():
    assert front_matter_date('---\ntitle: "A plan"\ndate: 2019-01-07\n---\n# A plan') == "2019-01-07"
    assert front_matter_date("---\ntitle: x\n---\ndate: 2019-01-07") is None  # after the block: text
    assert front_matter_date("date: 2019-01-07\n") is None


@pytest.mark.parametrize(
    "text, date",
    [
        ("Board of Directors\nMeeting in public, 25 January 2024\nAgenda item 5", "2024-01-25"),
        ("A report on waiting times\n\nPublished 3 March 2016\n\nThe NHS...", "2016-03-03"),
        ("Title\nPublication date: May 2016\n", "2016-05"),  # labelled: any precision
        ("Title\nDate: 12/05/2016\n", "2016-05-12"),
        ("*A briefing for boards, 3 July 2023*\n\nText", "2023-07-03"),
        ("12 May 2016\n\nText", "2016-05-12"),
        # a full date inside running prose is a date quoted, not the document's
        (
            "The Five Year Forward View, published on the morning of 23 October 2014 by the national bodies, set "
            "out why the health service had to change.",
            None,
        ),
        ("A plan of March 2016 for the years to come.", None),  # month and year, unlabelled
        ("x" * 500 + "\nPublished 3 March 2016", None),  # too far in
    ],
)
def test_dateline(text, date):
    assert dateline(text) == date


def test_the_order_of_evidence():
    text = "Published 3 March 2016\n\nText."
    given = {"plan-2019.txt": "2020-01"}
    assert document_date("plan-2019.txt", text, "D:20180101", given) == Dated("2020-01", "dates file")
    assert document_date("plan-2019.txt", text, "D:20180101") == Dated("2019", "file name")
    assert document_date("plan.txt", text, "D:20180101") == Dated("2018-01-01", "metadata")
    assert document_date("plan.txt", text) == Dated("2016-03-03", "text")
    assert document_date("plan.txt", "No date here.") is None
    assert document_date("-", text) == Dated("2016-03-03", "text")


def test_a_dates_file_names_documents_by_path_or_by_file_name(tmp_path):
    path = tmp_path / "dates.csv"
    path.write_text("\ufeffdoc,date\nsub/a.txt,2016-03-01\nb.pdf,March 2017\n\n# a note\nc.md,2018\n", encoding="utf-8")
    given = read_dates_file(str(path))
    assert given == {"sub/a.txt": "2016-03-01", "b.pdf": "2017-03", "c.md": "2018"}
    assert document_date("sub/a.txt", "", given=given).date == "2016-03-01"
    assert document_date("other/b.pdf", "", given=given).date == "2017-03"
    assert document_date("a.txt", "", given=given) is None


@pytest.mark.parametrize(
    "content, problem",
    [
        ("doc,date\na.txt,2016-99-01\n", "2: '2016-99-01' is not a date (e.g. 2016-03-01, 2016-03 or 2016)"),
        ("a.txt\n", "1: expected two columns, doc,date"),
        ("a.txt,2016,extra\n", "1: expected two columns, doc,date"),
    ],
)
def test_a_bad_dates_file_is_one_line_naming_the_row(tmp_path, content, problem):
    path = tmp_path / "dates.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DatesError) as error:
        read_dates_file(str(path))
    assert str(error.value) == f"{path}:{problem}"


def test_periods():
    assert [period_of("2016-05-03", by) for by in ("year", "quarter", "month")] == ["2016", "2016-Q2", "2016-05"]
    assert period_of("2016-12", "quarter") == "2016-Q4"
    assert period_of("2016", "quarter") is None and period_of("2016", "month") is None
    assert periods_between("2015-Q3", "2016-Q2", "quarter") == ["2015-Q3", "2015-Q4", "2016-Q1", "2016-Q2"]
    assert periods_between("2015-11", "2016-02", "month") == ["2015-11", "2015-12", "2016-01", "2016-02"]
    assert periods_between("2014", "2016", "year") == ["2014", "2015", "2016"]
    with pytest.raises(ValueError):
        period_of("2016", "week")


def test_a_partial_date_means_its_first_day():
    assert [first_day(d) for d in ("2022", "2022-09", "2022-09-14")] == [
        dt.date(2022, 1, 1),
        dt.date(2022, 9, 1),
        dt.date(2022, 9, 14),
    ]


def test_document_dates_tally_the_gaps_in_one_line_each():
    dating = DocumentDates({"a.txt": "2016-03-01", "gone.txt": "2017"}, checked=frozenset({"a.txt", "gone.txt"}))
    assert dating.period("a.txt", "", None, "quarter") == ("2016-Q1", Dated("2016-03-01", "dates file"))
    assert dating.period("plan-2019.txt", "", None, "quarter") == (UNDATED, Dated("2019", "file name"))
    for name in ("x.txt", "y.txt"):
        assert dating.period(name, "No date.", None, "quarter") == (UNDATED, None)
    assert dating.notes("quarter") == [
        "2 documents have no date (--dates FILE to give them)",
        "1 document is dated only to the year: undated --by quarter",
        "1 dates file row named no document read (first: gone.txt)",
    ]


def test_pdf_creation_date_and_html_meta_reach_the_document(tmp_path):
    assert extract("report.pdf", (FORMATS / "report.pdf").read_bytes()).metadata_date == "D:20261123185254Z"
    page = tmp_path / "news.html"
    page.write_text(
        '<html><head><meta charset="utf-8"><meta content="2019-01-07T09:00:00Z" property="article:published_time">'
        '<meta name="DC.date" content="2018-01-01"></head><body><article><h1>The Long Term Plan</h1>'
        "<p>NHS England published the NHS Long Term Plan today, setting out priorities for the next ten years "
        "of care across the country.</p></article></body></html>",
        encoding="utf-8",
    )
    document = read_file(page, "news.html")
    assert document.metadata_date == "2019-01-07T09:00:00Z"  # the publication time beats a bare DC.date
    assert document_date(document.name, document.text, document.metadata_date) == Dated("2019-01-07", "metadata")
    assert pickle.loads(pickle.dumps(document)) == document  # documents cross to worker processes


def test_html_meta_dates_without_quotes_and_in_any_case(tmp_path):
    page = tmp_path / "page.htm"
    page.write_text(
        "<html><head><META NAME=DCTERMS.issued CONTENT=2017-06-30><meta name='date' content='2015'></head><body>"
        "<p>The Care Quality Commission rated the trust good overall after its inspection in the spring.</p>"
        "</body></html>",
        encoding="utf-8",
    )
    assert read_file(page, "page.htm").metadata_date == "2017-06-30"
