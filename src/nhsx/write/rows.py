"""Writers: records (dicts) -> table, JSON, JSON Lines or CSV. Files are written whole or not at all."""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import json
import os
import re
import stat
import tempfile
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Sequence

FORMATS = ("table", "json", "jsonl", "csv")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


OUTPUT_ERRORS = "backslashreplace"  # what cannot be encoded (a file name's undecodable bytes) is escaped, never fatal
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def printable(text: str) -> str:
    """``text`` on one line, safe for a terminal: control characters (a newline in a file name could forge
    a second error line), line separators and the undecodable bytes of a file name (lone surrogates) as
    backslash escapes. The one rule for names in messages."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class OutputError(Exception):
    """An output (file, standard output, saved text) could not be written: ``name: problem``."""

    def __init__(self, name: str | Path, error: OSError | str) -> None:
        self.name = str(name)
        self.errno = error.errno if isinstance(error, OSError) else None
        problem = (error.strerror or str(error)) if isinstance(error, OSError) else error
        super().__init__(f"{self.name}: {problem}")


class GuardedStream:
    """A stream whose write failures (full disk, closed pipe) are OutputErrors naming the output,
    so they can never be mistaken for, or reported as, a problem of the input."""

    def __init__(self, stream: IO[Any], name: str) -> None:
        self._stream, self.name = stream, name

    def write(self, data: Any) -> int:
        try:
            return self._stream.write(data)
        except OSError as exc:
            raise OutputError(self.name, exc) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            raise OutputError(self.name, exc) from None

    def __getattr__(self, attribute: str) -> Any:  # isatty, encoding...: as the stream has them
        return getattr(self._stream, attribute)


def check_writable(path: str | Path) -> None:
    """Raise OutputError unless a file can be created beside ``path`` (so an atomic write of it can
    succeed): called before any work, so a bad output path fails in a second, not after the run."""
    target = Path(path)
    folder = target.parent
    if _is_special(target):
        if not os.access(target, os.W_OK):
            raise OutputError(target, "cannot write here (permission denied)")
        return
    if not folder.is_dir():
        raise OutputError(target, f"folder {folder} does not exist" if not folder.exists() else f"{folder} is not a folder")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(target, f"cannot write in {folder} ({exc.strerror or exc})") from None
    os.close(fd)
    os.unlink(tmp)


@contextlib.contextmanager
def atomic_output(path: str | Path, binary: bool = False) -> Iterator[Any]:
    """A stream (text, or bytes when ``binary``) that replaces ``path`` only when the block finishes
    without error: the content goes to a unique temporary file beside it, renamed over it at the end,
    so a reader or a concurrent run sees the old file or the new one, never a part. Failures to
    write are OutputErrors; on any failure or interruption the old file stays and no temporary file
    is left. The one way nhsx writes a file."""
    target = Path(path)
    if _is_special(target):
        yield from _write_in_place(target, binary)
        return
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputError(target, exc) from None
    stream = os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", errors=OUTPUT_ERRORS, newline="")
    try:
        yield GuardedStream(stream, str(target))
    except BaseException:  # the block failed or was interrupted: the old file stays
        _discard(stream, tmp)
        raise
    try:
        stream.close()  # flushes: a full disk may only show here
        os.chmod(tmp, _file_mode(target))  # mkstemp makes 0600 files; give the usual permissions
        os.replace(tmp, target)
    except BaseException as exc:
        _discard(stream, tmp)
        if isinstance(exc, OSError):
            raise OutputError(target, exc) from None
        raise


def _is_special(target: Path) -> bool:
    """A device or a pipe (-o /dev/stdout, -o >(gzip > x)): written in place, never replaced by a rename."""
    try:
        mode = target.stat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _write_in_place(target: Path, binary: bool) -> Iterator[Any]:
    try:
        stream = open(target, "wb") if binary else open(target, "w", encoding="utf-8", errors=OUTPUT_ERRORS, newline="")
    except OSError as exc:
        raise OutputError(target, exc) from None
    try:
        yield GuardedStream(stream, str(target))
    finally:
        try:
            stream.close()
        except OSError as exc:
            raise OutputError(target, exc) from None


def _discard(stream: IO[Any], tmp: str) -> None:
    with contextlib.suppress(OSError):
        stream.close()
    _remove(tmp)


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _file_mode(target: Path) -> int:
    """The existing file's mode, or what a plain open() would give under the current umask."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


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

    table = Table(title=title or None, show_lines=False)
    for column in columns:
        table.add_column(column, justify="right" if column in _NUMERIC else "left", overflow="fold")
    for row in rows:
        table.add_row(*(_display(row.get(c)) for c in columns))
    is_terminal = stream.isatty() if hasattr(stream, "isatty") else False
    console = Console(file=stream, force_terminal=None if is_terminal else False, width=None if is_terminal else 160)
    console.print(table)


def _write_plain_table(
    rows: Iterable[dict[str, Any]], columns: Sequence[str], stream: IO[str], title: str, sample: Sequence[dict[str, Any]]
) -> None:
    """Columns as wide as their widest cell in ``sample`` (at most PLAIN_MAX_WIDTH), two spaces apart."""
    widths = [
        min(PLAIN_MAX_WIDTH, max([len(column)] + [len(_plain(row.get(column))) for row in sample])) for column in columns
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


_NUMERIC = {"mentions", "documents", "start", "end", "sentence", "paragraph", "count", "docs", "per_10k_words",
            "period_documents", "period_words"}


def _display(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        text = ", ".join(str(v) for v in value)
    else:
        text = "" if value is None else str(value)
    if text.isascii():
        return text
    # escaped as the stream would escape it, but before the table measures its columns
    return text.encode("utf-8", OUTPUT_ERRORS).decode("utf-8")


def write_records(
    rows: Iterable[dict[str, Any]], fmt: str, columns: Sequence[str], stream: IO[str], title: str = ""
) -> None:
    if fmt == "json":
        write_json(rows, stream)
    elif fmt == "jsonl":
        write_jsonl(rows, stream)
    elif fmt == "csv":
        write_csv(rows, columns, stream)
    elif fmt == "table":
        write_table(rows, columns, stream, title)
    else:
        raise ValueError(f"unknown format {fmt!r}")


def render(rows: Iterable[dict[str, Any]], fmt: str, columns: Sequence[str], title: str = "") -> str:
    buffer = io.StringIO()
    write_records(rows, fmt, columns, buffer, title)
    return buffer.getvalue()
