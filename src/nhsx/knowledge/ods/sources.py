"""The ODS files read: etr.csv, eccg.csv, the ICB names-and-codes file and the GP-practice map,
recognised by shape (``detect_kind``); a malformed file is an ``OdsError`` naming file and line."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path


class OdsError(Exception):
    """An input file is not a usable ODS extract, or the additions file is malformed (one line, for the CLI)."""


ICB_FILE = "icb_names_codes_dec_2024.csv"


GPMAP_FILE = "gp-reg-pat-prac-map-2022-01.csv"


_GOR = set("ABDEFGHJKW")


@dataclass(frozen=True)
class OdsRow:
    """One row of etr.csv or eccg.csv (the columns nhsx uses)."""

    code: str
    name: str
    region: str  # column 3: NHS England region code
    icb: str  # column 4: high level health geography (ICB code)
    town: str
    postcode: str
    opened: str | None  # ISO dates
    closed: str | None
    role: str  # eccg column 14
    gor: str  # etr column 24


@dataclass
class Sources:
    etr: list[OdsRow] | None = None
    eccg: list[OdsRow] | None = None
    icb: list[dict[str, str]] | None = None
    gpmap: list[dict[str, str]] | None = None


NumberedRows = list[tuple[int, list[str]]]  # (line number in the file, CSV row)


_GPMAP_COLUMNS = ("PRACTICE_CODE", "PCN_CODE", "PCN_NAME", "CCG_CODE", "CCG_NAME", "STP_CODE", "STP_NAME",
                  "COMM_REGION_CODE", "COMM_REGION_NAME")  # fmt: skip


def _iso(value: str) -> str | None:
    """YYYYMMDD -> YYYY-MM-DD; None unless it is a real date (20239999 is not)."""
    value = value.strip()
    if not re.fullmatch(r"\d{8}", value):
        return None
    iso = f"{value[:4]}-{value[4:6]}-{value[6:8]}"
    try:
        dt.date.fromisoformat(iso)
    except ValueError:
        return None
    return iso


def _read_rows(path: Path) -> NumberedRows:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            try:
                return [(reader.line_num, row) for row in reader if row]
            except csv.Error as exc:
                raise OdsError(f"{path}:{reader.line_num}: not CSV ({exc})") from None
    except FileNotFoundError:
        raise OdsError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise OdsError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise OdsError(f"{path}: cannot read ({exc.strerror or exc.__class__.__name__})") from None


def _kind_of_rows(rows: NumberedRows) -> str | None:
    """The kind of extract, from the header or the first row's shape (later rows are checked on reading)."""
    if not rows:
        return None
    first = rows[0][1]
    header = [h.strip() for h in first]
    if len(header) >= 3 and all(re.fullmatch(rf"ICB\d\d{s}", h) for h, s in zip(header, ("CD", "CDH", "NM"))):
        return "icb"
    if set(_GPMAP_COLUMNS) <= set(header):
        return "gpmap"
    if len(first) == 27 and re.fullmatch(r"\d{8}", first[10].strip()) and first[0].isalnum():
        gors = [r[23] for _, r in rows if len(r) == 27]
        if any(g in _GOR for g in gors):  # trusts carry a GOR code, CCGs never do
            return "etr"
        if not any(g.strip() for g in gors):
            return "eccg"
    return None


def detect_kind(path: Path | str) -> str:
    """ "etr", "eccg", "icb" or "gpmap", from the file's header or shape."""
    path = Path(path)
    kind = _kind_of_rows(_read_rows(path))
    if kind is None:
        raise OdsError(f"{path}: not a recognised ODS extract")
    return kind


def _ods_rows(path: Path, rows: NumberedRows) -> list[OdsRow]:
    return [_ods_row(f"{path}:{number}", r) for number, r in rows]


def _ods_row(where: str, r: list[str]) -> OdsRow:
    """One etr/eccg row; OdsError ``file:line: problem`` when it is not one."""
    if len(r) != 27:
        raise OdsError(f"{where}: {len(r)} columns (an ODS extract row has 27)")
    code, name, opened, closed = r[0].strip(), r[1].strip(), _iso(r[10]), _iso(r[11])
    if not code.isalnum():
        raise OdsError(f"{where}: {code[:40]!r} is not an ODS code")
    if not name or not re.search(r"\w", name):
        raise OdsError(f"{where}: {code} has no name")
    if opened is None:
        raise OdsError(f"{where}: {code} open date {r[10].strip()[:40]!r} is not a date (YYYYMMDD)")
    if closed is None and r[11].strip():
        raise OdsError(f"{where}: {code} close date {r[11].strip()[:40]!r} is not a date (YYYYMMDD)")
    return OdsRow(
        code=code,
        name=name,
        region=r[2].strip(),
        icb=r[3].strip(),
        town=r[7].strip(),
        postcode=r[9].strip(),
        opened=opened,
        closed=closed,
        role=r[13].strip(),
        gor=r[23].strip(),
    )


def _dict_rows(path: Path, rows: NumberedRows, needed: Iterable[str]) -> list[dict[str, str]]:
    """Rows of a file with a header as dicts; each must have every column and a value in ``needed``."""
    header = [h.strip() for h in rows[0][1]]
    found = []
    for number, r in rows[1:]:
        if len(r) != len(header):
            raise OdsError(f"{path}:{number}: {len(r)} columns (the header has {len(header)})")
        row = dict(zip(header, (v.strip() for v in r)))
        empty = [name for name in needed if not re.search(r"\w", row[name])]
        if empty:
            raise OdsError(f"{path}:{number}: no {empty[0]}")
        found.append(row)
    return found


def _needed(kind: str, rows: NumberedRows) -> list[str]:
    """The columns every row of a header file must fill: codes and names."""
    if kind == "gpmap":
        return list(_GPMAP_COLUMNS)
    return [h.strip() for h in rows[0][1] if re.fullmatch(r"ICB\d\d(CDH|NM)", h.strip())]


def read_sources(paths: Sequence[Path | str]) -> Sources:
    sources = Sources()
    for raw in paths:
        path = Path(raw)
        rows = _read_rows(path)
        kind = _kind_of_rows(rows)
        if kind is None:
            raise OdsError(f"{path}: not a recognised ODS extract")
        if getattr(sources, kind) is not None:
            raise OdsError(f"{path}: a second {kind} extract (give each kind of file once)")
        read = _ods_rows(path, rows) if kind in ("etr", "eccg") else _dict_rows(path, rows, _needed(kind, rows))
        setattr(sources, kind, read)
    return sources
