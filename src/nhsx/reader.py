"""Reading documents: files, folders (recursively) and standard input -> Document or ReadError.

One unreadable file is reported as a ReadError record and never stops the others.
"""

from __future__ import annotations

import codecs
import fnmatch
import os
import sys
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

from .records import Document, ReadError

DEFAULT_GLOBS = ("*.txt", "*.md")
STDIN = "-"


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) text with newlines normalised; ValueError says why not."""
    if b"\x00" in data[:8192]:
        raise ValueError("binary file (contains NUL bytes)")
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        text = data[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = bom + exc.start
        raise ValueError(f"not UTF-8 text (invalid byte 0x{data[offset]:02x} at offset {offset})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _document(name: str, data: bytes) -> Document | ReadError:
    try:
        text = decode(data)
    except ValueError as exc:
        return ReadError(name, str(exc))
    if not text.strip():
        return ReadError(name, "empty file")
    return Document(name, text)


def read_file(path: Path, name: str) -> Document | ReadError:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return ReadError(name, exc.strerror or str(exc))
    return _document(name, data)


def _matches(filename: str, globs: Iterable[str]) -> bool:
    return any(fnmatch.fnmatch(filename, g) for g in globs)


def folder_files(folder: Path, globs: Iterable[str]) -> Iterator[Path]:
    """Files below ``folder`` matching ``globs``, sorted; symlinked folders are not followed (no loops)."""
    globs = tuple(globs)
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs.sort()
        for filename in sorted(files):
            if _matches(filename, globs):
                yield Path(root) / filename


def read_documents(
    paths: Iterable[str], globs: Iterable[str] = DEFAULT_GLOBS, stdin: BinaryIO | None = None
) -> Iterator[Document | ReadError]:
    """Documents in the order given; folders expand to their matching files, named relative to the folder."""
    globs = tuple(globs)
    for raw in paths:
        if raw == STDIN:
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield _document(STDIN, stream.read())
            continue
        path = Path(raw)
        if path.is_dir():
            for file in folder_files(path, globs):
                yield read_file(file, file.relative_to(path).as_posix())
        elif path.exists():
            yield read_file(path, raw)
        else:
            yield ReadError(raw, "no such file or directory")
