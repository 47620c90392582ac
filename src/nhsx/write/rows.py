"""Rows (dicts) -> a table, JSON, JSON Lines or CSV on a stream (see ``nhsx.write`` for the registry)."""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from typing import IO, Any, Iterable, Sequence

from nhsx.write.output import (
    OUTPUT_ERRORS,
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """Neutralise spreadsheet formulas (OWASP CSV injection): prefix a quote to cells that start one."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    if value is None:
        return ""
    return csv_safe(value)


def write_csv(rows: Iterable[dict[str, Any]], columns: Sequence[str], stream: IO[str]) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])


def _encoder() -> json.JSONEncoder:
    """One encoder per output: ``json.dumps`` with options builds a new one for every row."""
    return json.JSONEncoder(ensure_ascii=False)


def write_jsonl(rows: Iterable[dict[str, Any]], stream: IO[str]) -> None:
    encode = _encoder().encode
    for row in rows:
        stream.write(encode(row) + "\n")


def write_json(rows: Iterable[dict[str, Any]], stream: IO[str]) -> None:
    """A JSON array written row by row, so a large result is never held twice."""
    encode = _encoder().encode
    stream.write("[")
    for i, row in enumerate(rows):
        stream.write(("\n  " if i == 0 else ",\n  ") + encode(row))
    stream.write("\n]\n")


RICH_ROWS = 2000  # rich lays a table out whole, at a millisecond or more a row: longer tables are plain text


PLAIN_MAX_WIDTH = 48  # a plain table's widest column; longer cells are cut with "…"
NARROW = 100  # a terminal narrower than this gets a table without the columns below
# What a narrow terminal leaves out, so that names are not broken mid-word: ids and the positional and
# secondary columns (every column is in -f csv/json; the table says which it left out).
NARROW_DROPS = frozenset(
    {
        "id", "forms", "acronym", "sentence", "paragraph", "source", "successor", "mapped_from", "page",
        "a_id", "b_id", "a_count", "b_count", "pmi", "dice", "g2", "first_doc", "first_offset", "definitions",
    }
)  # fmt: skip


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def write_table(rows: Iterable[dict[str, Any]], columns: Sequence[str], stream: IO[str], title: str = "") -> None:
    """A rich table; past RICH_ROWS rows, a plain aligned one written row by row (time linear, memory flat)."""
    rows = iter(rows)
    head = list(itertools.islice(rows, RICH_ROWS + 1))
    if len(head) <= RICH_ROWS:
        _write_rich_table(head, columns, stream, title)
    else:
        _write_plain_table(itertools.chain(head, rows), columns, stream, title, head)


def _write_rich_table(rows: Iterable[dict[str, Any]], columns: Sequence[str], stream: IO[str], title: str) -> None:
    from rich.console import Console
    from rich.table import Table

    is_terminal = stream.isatty() if hasattr(stream, "isatty") else False
    console = Console(file=stream, force_terminal=None if is_terminal else False, width=None if is_terminal else 160)
    dropped = [c for c in columns if c in NARROW_DROPS] if console.width < NARROW else []
    shown = [c for c in columns if c not in dropped]
    table = Table(title=title or None, show_lines=False)
    for column in shown:
        # long words are cut with "…" rather than folded: a name wraps between its words
        table.add_column(column, justify="right" if column in _NUMERIC else "left", overflow="ellipsis")
    for row in rows:
        table.add_row(*(_display(row.get(c)) for c in shown))
    console.print(table)
    if dropped:
        console.print(
            f"(a narrow terminal: {', '.join(dropped)} left out; -f csv or -f json has every column)", highlight=False
        )


def _write_plain_table(
    rows: Iterable[dict[str, Any]],
    columns: Sequence[str],
    stream: IO[str],
    title: str,
    sample: Sequence[dict[str, Any]],
) -> None:
    """Columns as wide as their widest cell in ``sample`` (at most PLAIN_MAX_WIDTH), two spaces apart."""
    widths = [
        min(PLAIN_MAX_WIDTH, max([len(column)] + [len(_plain(row.get(column))) for row in sample]))
        for column in columns
    ]
    if title:
        stream.write(title + "\n")
    stream.write(_plain_line(list(columns), widths, columns))
    stream.write("  ".join("-" * width for width in widths) + "\n")
    for row in rows:
        stream.write(_plain_line([_plain(row.get(c)) for c in columns], widths, columns))


def _plain(value: Any) -> str:
    return _CONTROL.sub(" ", _display(value))  # no line breaks or terminal escapes from a document's text


def _plain_line(cells: list[str], widths: list[int], columns: Sequence[str]) -> str:
    parts = []
    for cell, width, column in zip(cells, widths, columns):
        cell = cell if len(cell) <= width else cell[: width - 1] + "…"
        parts.append(cell.rjust(width) if column in _NUMERIC else cell.ljust(width))
    return "  ".join(parts).rstrip() + "\n"


_NUMERIC = {
    "mentions",
    "documents",
    "start",
    "end",
    "sentence",
    "paragraph",
    "count",
    "docs",
    "per_10k_words",
    "period_documents",
    "period_words",
}


def _display(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        text = ", ".join(str(v) for v in value)
    else:
        text = "" if value is None else str(value)
    if text.isascii():
        return text
    # escaped as the stream would escape it, but before the table measures its columns
    return text.encode("utf-8", OUTPUT_ERRORS).decode("utf-8")


def write_json_rows(rows: Iterable[dict[str, Any]], columns: Sequence[str], stream: IO[str], title: str = "") -> None:
    write_json(rows, stream)


def write_jsonl_rows(rows: Iterable[dict[str, Any]], columns: Sequence[str], stream: IO[str], title: str = "") -> None:
    write_jsonl(rows, stream)


def write_csv_rows(rows: Iterable[dict[str, Any]], columns: Sequence[str], stream: IO[str], title: str = "") -> None:
    write_csv(rows, columns, stream)


def write_yaml_rows(rows: Iterable[dict[str, Any]], columns: Sequence[str], stream: IO[str], title: str = "") -> None:
    """A YAML list of the rows (every field), for gazetteer entries an analyst reads or edits."""
    import yaml

    stream.write(yaml.safe_dump(list(rows), sort_keys=False, allow_unicode=True))


def write_records(
    rows: Iterable[dict[str, Any]], fmt: str, columns: Sequence[str], stream: IO[str], title: str = ""
) -> None:
    """Rows in a format of the registry's "rows" kind (ValueError for another)."""
    from nhsx.write import writer

    try:
        write_rows = writer("rows", fmt)
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}") from None
    write_rows(rows, columns, stream, title)


def render(rows: Iterable[dict[str, Any]], fmt: str, columns: Sequence[str], title: str = "") -> str:
    buffer = io.StringIO()
    write_records(rows, fmt, columns, buffer, title)
    return buffer.getvalue()
