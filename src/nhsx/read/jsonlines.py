"""Reading our own JSON Lines files (gold files, saved mention records) whatever their bytes.

Each line is one JSON object; a line that is not (not UTF-8, not JSON, nested too deeply, too long,
a list, a string, null) is a ``LineProblem`` naming what is wrong, which the caller turns into a
one-line ``file:line: problem``. Lines are read one at a time and never beyond MAX_LINE_BYTES, so a
file of any size or shape is read in bounded memory.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any, Iterator

MAX_LINE_BYTES = (
    16 * 2**20
)  # far longer than any record (a gold line of 10,000 entities is 2 MB); a longer one is refused unread
_CHUNK = 2**20
_JSON_KINDS = {
    bool: "a boolean",
    int: "an integer",
    float: "a number",
    str: "a string",
    list: "a list",
    dict: "an object",
}


class LineProblem(ValueError):
    """What is wrong with one line (the caller adds the file and line number)."""


def json_kind(value: Any) -> str:
    """The JSON name of a parsed value's type, for messages: 'null', 'a list', 'an integer'..."""
    return "null" if value is None else _JSON_KINDS.get(type(value), type(value).__name__)


def json_records(
    path: str | Path, max_bytes: int = MAX_LINE_BYTES
) -> Iterator[tuple[int, dict[str, Any] | LineProblem]]:
    """(line number, object or its problem) for each line that is not blank. OSError if the file cannot be opened."""
    with open(path, "rb") as stream:
        for number, line in _numbered_lines(stream, max_bytes):
            if line is not None and not line.strip():
                continue
            try:
                yield number, json_object(line, max_bytes)
            except LineProblem as exc:
                yield number, exc


def _numbered_lines(stream: IO[bytes], max_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    """(number, line) of each line; None for a line longer than ``max_bytes`` (skipped unread)."""
    number = 0
    while line := stream.readline(max_bytes + 1):
        number += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            _skip_line(stream)
            yield number, None
        else:
            yield number, line


def _skip_line(stream: IO[bytes]) -> None:
    while (part := stream.readline(_CHUNK)) and not part.endswith(b"\n"):
        pass


def json_object(line: bytes | None, max_bytes: int = MAX_LINE_BYTES) -> dict[str, Any]:
    """One line's JSON object; LineProblem says why not (None: a line that was too long)."""
    if line is None:
        raise LineProblem(f"line longer than {max_bytes // 2**20} MB (not read)")
    try:
        raw = json.loads(line.decode("utf-8").rstrip("\r\n"))  # a column in the line, not past its end
    except UnicodeDecodeError as exc:
        raise LineProblem(f"not UTF-8 text (byte {exc.start + 1} of the line)") from None
    except RecursionError:
        raise LineProblem("JSON nested too deeply") from None
    except MemoryError:
        raise LineProblem("JSON too large to hold in memory") from None
    except json.JSONDecodeError as exc:
        cut = "" if line.endswith(b"\n") else ", the last line may be cut short"
        raise LineProblem(f"not JSON ({exc.msg}: column {exc.colno}{cut})") from None
    except ValueError as exc:  # e.g. an integer of more than 4300 digits
        raise LineProblem(f"not usable JSON ({exc})") from None
    if not isinstance(raw, dict):
        raise LineProblem(f"a JSON object is needed, not {json_kind(raw)}")
    return raw


def json_field(raw: dict[str, Any], name: str, kind: type, where: str = "", optional: bool = False) -> Any:
    """raw[name], a JSON value of Python type ``kind`` (a boolean is not an integer here); ``optional``:
    missing or null gives None. ``where`` starts the message (e.g. "entity 3: ")."""
    value = raw.get(name)
    if value is None and optional:
        return None
    if name not in raw:
        raise LineProblem(f"{where}no {name!r}")
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise LineProblem(f"{where}{name!r} must be {_JSON_KINDS[kind]}, not {json_kind(value)}")
    return value
