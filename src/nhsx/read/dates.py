"""When a document was written: its date, from the best evidence there is, and the period it falls in.

A date is kept as precise as its evidence and no more, as an ISO prefix: "2016", "2016-03" or
"2016-03-01" (a file called plan-2016.pdf says the year, not a day). A document's date comes from,
in order (the first that gives one wins):

1. a dates file (``--dates FILE``, or a ``dates.csv`` in a folder read): the analyst's word beats anything
   nhsx can guess;
2. the file name (2016-03-01, 20160301, 2016_03, march-2016, or a year standing alone: plan-2016.pdf):
   people who keep documents name them by date, and a name is never a quoted date;
3. the file's own metadata: a Markdown front matter ``date:``, an HTML ``<meta>`` publication date, a
   PDF's CreationDate (usually when the PDF was made, close to publication);
4. a dateline in the first 500 characters: a labelled date ("Published 3 March 2016", "Date: 03/03/2016")
   at any precision, else a full date ("3 March 2016") that starts or ends a line, or stands on a short
   one. A date inside running prose is more often a date quoted ("the Forward View of October 2014").

Dates written with numbers only are read day first (03/04/2016 is 3 April), as in the UK. In a file
name, 2016-17 (a financial year) is the year 2016, but 2011-12 reads as December 2011: name such files
by their first year alone, or give their dates in a dates file.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Mapping, Sequence

PERIODS = ("year", "quarter", "month")  # the one list of periods; --by takes these
SOURCES = ("dates file", "file name", "metadata", "text")  # where a date came from, in order of trust
UNDATED = "undated"  # the period of a document with no date (fine enough for the period asked)
DATELINE_CHARS = 500  # how far into the text a dateline is looked for
SHORT_LINE = 60  # a line this short holding a full date is a dateline, wherever the date sits in it
DATES_FILE = "dates.csv"  # read automatically from a folder given as a path

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_MONTH = r"(?P<month_name>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"

# Whole-string forms (a dates file, a metadata value, a front matter field), most precise first.
_VALUE_FORMS = [
    re.compile(rf"(?:D:)?{_YEAR}(?P<m>[01]\d)(?P<d>[0-3]\d)(?:[0-9T].*|[Z+'-].*)?"),  # 20160301, PDF D:20160301120000Z
    re.compile(rf"(?:D:)?{_YEAR}(?P<m>[01]\d)?"),  # PDF D:2016, D:201603
    re.compile(rf"{_YEAR}(?:[-/.](?P<m>[01]?\d)(?:[-/.](?P<d>[0-3]?\d))?)?(?:[T ].*)?"),  # ISO, with a time or not
]
_SEPARATOR = r"[ \t.,/-]*"
_NUMERIC_UK = rf"(?P<day>[0-3]?\d)[/.-](?P<m>[01]?\d)[/.-]{_YEAR}"
_ISO = rf"{_YEAR}-(?P<m>[01]\d)-(?P<d>[0-3]\d)"
# Forms found inside text: (pattern, full date?)
_TEXT_FORMS = [
    (re.compile(rf"\b{_DAY}{_SEPARATOR}(?:of )?{_MONTH}{_SEPARATOR}{_YEAR}\b", re.IGNORECASE), True),
    (re.compile(rf"\b{_MONTH}{_SEPARATOR}{_DAY},?{_SEPARATOR}{_YEAR}\b", re.IGNORECASE), True),
    (re.compile(rf"\b{_ISO}\b"), True),
    (re.compile(rf"\b{_NUMERIC_UK}\b"), True),
    (re.compile(rf"\b{_MONTH}{_SEPARATOR}{_YEAR}\b", re.IGNORECASE), False),
]
_LABEL = re.compile(
    r"\b(?:first published|published(?: on)?|publication date|date published|date of publication|issued(?: on)?"
    r"|issue date|dated?)\b\s*[:\-–—]?\s*",
    re.IGNORECASE,
)
_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_FRONT_MATTER_DATE = re.compile(
    r"^(?:date|published|pubdate)[ \t]*:[ \t]*['\"]?([^'\"\n]+)", re.IGNORECASE | re.MULTILINE
)

# File names: numbers with separators that are not letters or digits around them ("_" separates too).
_ALONE_BEFORE, _ALONE_AFTER = r"(?<![A-Za-z0-9])", r"(?![A-Za-z0-9])"
_NAME_FORMS = [
    re.compile(rf"{_ALONE_BEFORE}{_YEAR}[-_.]?(?P<m>[01]\d)[-_.]?(?P<d>[0-3]\d){_ALONE_AFTER}"),
    re.compile(rf"{_ALONE_BEFORE}(?P<d>[0-3]\d)[-_.](?P<m>[01]\d)[-_.]{_YEAR}{_ALONE_AFTER}"),
    re.compile(rf"{_ALONE_BEFORE}{_YEAR}[-_.](?P<m>[01]\d){_ALONE_AFTER}"),
    re.compile(rf"{_ALONE_BEFORE}{_MONTH}[-_. ]?{_YEAR}{_ALONE_AFTER}", re.IGNORECASE),
    re.compile(rf"{_ALONE_BEFORE}{_YEAR}{_ALONE_AFTER}"),
]


class DatesError(ValueError):
    """A dates file that cannot be used: ``file:line: problem``."""


@dataclass(frozen=True)
class Dated:
    date: str  # "2016", "2016-03" or "2016-03-01"
    source: str  # one of SOURCES


def _iso(year: str, month: str | int | None = None, day: str | None = None) -> str | None:
    """The ISO prefix for these parts, or None when they are no real date (month 13, 30 February)."""
    if month is None:
        return year
    try:
        if day is None:
            return dt.date(int(year), int(month), 1).isoformat()[:7]
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _from_match(match: re.Match[str]) -> str | None:
    parts = match.groupdict()
    month = _MONTHS[parts["month_name"].lower()] if parts.get("month_name") else parts.get("m")
    return _iso(parts["year"], month, parts.get("day") or parts.get("d"))


def parse_date(text: str) -> str | None:
    """A whole value read as a date: ISO (with or without a time), 20160301, a PDF date (D:2016...),
    day-first numbers (3/4/2016), or words ("3 March 2016", "March 3, 2016", "March 2016")."""
    value = text.strip()
    for form in _VALUE_FORMS:
        match = form.fullmatch(value)
        if match:
            return _from_match(match)
    for form, _ in _TEXT_FORMS:
        match = form.fullmatch(value)
        if match:
            return _from_match(match)
    return None


def date_in_name(name: str) -> str | None:
    """The date a file's name carries, the file name first, then its folders (nearest first)."""
    path = PurePosixPath(name.replace("\\", "/"))
    for part in [path.stem, *(p for p in reversed(path.parent.parts))]:
        for form in _NAME_FORMS:
            for match in form.finditer(part):
                found = _from_match(match)
                if found:
                    return found
    return None


def front_matter_date(text: str) -> str | None:
    """The ``date:`` of a Markdown front matter block (``---`` lines at the very start)."""
    block = _FRONT_MATTER.match(text[:4000])
    field_match = _FRONT_MATTER_DATE.search(block.group(1)) if block else None
    return parse_date(field_match.group(1)) if field_match else None


def dateline(text: str) -> str | None:
    """A date near the start that dates the document: labelled first, then a full date heading a line."""
    head = text[:DATELINE_CHARS]
    for label in _LABEL.finditer(head):
        for form, _ in _TEXT_FORMS:
            match = form.match(head, label.end())
            if match and _from_match(match):
                return _from_match(match)
    for line in head.splitlines():
        found = _line_date(line.strip(" \t*_#>|"))
        if found:
            return found
    return None


def _line_date(line: str) -> str | None:
    """A full date that starts or ends the line, or any full date on a short line."""
    for form, full in _TEXT_FORMS:
        if not full:
            continue
        for match in form.finditer(line):
            edge = match.start() == 0 or not line[match.end() :].strip(" .,;:)*_")
            if (edge or len(line) <= SHORT_LINE) and _from_match(match):
                return _from_match(match)
    return None


def document_date(
    name: str, text: str, metadata_date: str | None = None, given: Mapping[str, str] | None = None
) -> Dated | None:
    """The date of one document and where it came from (see the module's notes for the order)."""
    found = given_date(name, given) if given else None
    if found:
        return Dated(found, "dates file")
    found = date_in_name(name) if name != "-" else None
    if found:
        return Dated(found, "file name")
    found = front_matter_date(text) or (parse_date(metadata_date) if metadata_date else None)
    if found:
        return Dated(found, "metadata")
    found = dateline(text)
    return Dated(found, "text") if found else None


def given_date(name: str, given: Mapping[str, str]) -> str | None:
    """A dates file's date for a document: by its name as nhsx prints it, or by its file name alone."""
    return given.get(name) or given.get(PurePosixPath(name).name)


def read_dates_file(path: str, text: str | None = None) -> dict[str, str]:
    """doc -> date from a CSV of doc,date rows (a header row is allowed); raises DatesError."""
    if text is None:
        try:
            with open(path, encoding="utf-8-sig", newline="") as stream:
                text = stream.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise DatesError(f"{path}: {getattr(exc, 'strerror', None) or exc}") from None
    dates: dict[str, str] = {}
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if len(cells) != 2 or not cells[0]:
            raise DatesError(f"{path}:{number}: expected two columns, doc,date")
        date = parse_date(cells[1])
        if date is None and number == 1 and cells[1].lower() == "date":
            continue  # the header
        if date is None:
            raise DatesError(f"{path}:{number}: {cells[1]!r} is not a date (e.g. 2016-03-01, 2016-03 or 2016)")
        dates[cells[0]] = date
    return dates


def period_of(date: str, by: str) -> str | None:
    """The period a date falls in ("2016", "2016-Q1", "2016-03"); None when the date is coarser than ``by``."""
    if by not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}, not {by!r}")
    if by == "year":
        return date[:4]
    if len(date) < 7:
        return None
    return date[:7] if by == "month" else f"{date[:4]}-Q{(int(date[5:7]) + 2) // 3}"


def _period_index(period: str, by: str) -> int:
    year = int(period[:4])
    if by == "year":
        return year
    return year * 4 + int(period[-1]) - 1 if by == "quarter" else year * 12 + int(period[5:7]) - 1


def _period_name(index: int, by: str) -> str:
    if by == "year":
        return str(index)
    if by == "quarter":
        return f"{index // 4}-Q{index % 4 + 1}"
    return f"{index // 12}-{index % 12 + 1:02d}"


def periods_between(first: str, last: str, by: str) -> list[str]:
    """Every period from ``first`` to ``last`` inclusive, so a picture's axis shows the gaps."""
    return [_period_name(i, by) for i in range(_period_index(first, by), _period_index(last, by) + 1)]


def first_day(date: str) -> dt.date:
    """The first day a partial date can mean: a document of "2022" is read as written before July 2022."""
    return dt.date.fromisoformat((date + "-01-01")[:10] if len(date) == 4 else (date + "-01")[:10])


@dataclass
class DocumentDates:
    """Dates of the documents of one run, with a tally of those that have none (for one line on stderr)."""

    given: Mapping[str, str] = field(default_factory=dict)
    checked: frozenset[str] = frozenset()  # rows of a file named on purpose: one naming no document is reported
    undated: int = 0
    too_coarse: int = 0  # dated, but not finely enough for the period asked (a year, --by month)
    used: set[str] = field(default_factory=set)  # dates-file rows that named a document

    def date_of(self, name: str, text: str, metadata_date: str | None = None) -> Dated | None:
        found = document_date(name, text, metadata_date, self.given)
        if found is None:
            self.undated += 1
        elif found.source == "dates file":
            self.used.add(name if name in self.given else PurePosixPath(name).name)
        return found

    def period(self, name: str, text: str, metadata_date: str | None, by: str) -> tuple[str, Dated | None]:
        """The document's period, or UNDATED (counted) when it has no date fine enough."""
        found = self.date_of(name, text, metadata_date)
        period = period_of(found.date, by) if found else None
        if found and period is None:
            self.too_coarse += 1
        return period or UNDATED, found

    def notes(self, by: str | None = None) -> list[str]:
        """One line for each kind of gap: documents with no date, dates too coarse, dates-file rows unused."""
        lines = []
        if self.undated:
            lines.append(f"{_documents(self.undated, 'have')} no date (--dates FILE to give them)")
        if self.too_coarse:
            lines.append(f"{_documents(self.too_coarse, 'are')} dated only to the year: {UNDATED} --by {by}")
        unused = sorted(self.checked - self.used)
        if unused:
            lines.append(
                f"{len(unused)} dates file row{'s' if len(unused) > 1 else ''} named no document read "
                f"(first: {unused[0]})"
            )
        return lines


def _documents(count: int, verb: str) -> str:
    """ "1 document has", "12 documents have" ("is"/"are" likewise)."""
    singular = {"have": "has", "are": "is"}[verb]
    return f"1 document {singular}" if count == 1 else f"{count:,} documents {verb}"


def load_dates(files: Sequence[str]) -> dict[str, str]:
    """doc -> date from each dates file in turn (a later file's row wins)."""
    dates: dict[str, str] = {}
    for path in files:
        dates.update(read_dates_file(path))
    return dates
