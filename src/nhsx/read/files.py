"""Reading documents: files, folders (recursively) and standard input -> Document or ReadError.

One unreadable file is reported as a ReadError record (``path: problem``) and never stops the others.
What a file holds is turned into text by ``formats`` (text, PDF, Word, OpenDocument, HTML).
"""

from __future__ import annotations

import fnmatch
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

from nhsx.read.formats import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_PAGES,
    Limits,
    Unreadable,
    decode_text,
    extract,
    extract_text,
    size_text,
)
from nhsx.records import Document, ReadError

DEFAULT_GLOBS = ("*.txt", "*.md", "*.pdf", "*.docx", "*.html", "*.htm", "*.odt")
STDIN = "-"
SKIPPED_IN_FOLDERS = ("~$*", "._*")  # Office lock files and macOS resource forks: never documents
LOOP = "symbolic link loop (not followed)"


def decode(data: bytes) -> str:
    """Text-file bytes -> str (see formats.decode_text); ValueError says why not."""
    try:
        return decode_text(data)
    except Unreadable as exc:
        raise ValueError(str(exc)) from None


def _too_large(max_bytes: int) -> str:
    return f"larger than the size limit ({size_text(max_bytes)})"


def _document(name: str, data: bytes, path_name: str | None, limits: Limits) -> Document | ReadError:
    """``path_name`` picks the format by its suffix; None (standard input) reads text."""
    try:
        extracted = extract_text(data, limits) if path_name is None else extract(path_name, data, limits)
    except Unreadable as exc:
        return ReadError(name, str(exc))
    return Document(name, extracted.text, extracted.pages, extracted.warnings, extracted.metadata_date)


def read_file(
    path: Path,
    name: str,
    max_bytes: int = DEFAULT_MAX_BYTES,
    *,
    regular_only: bool = False,
    max_pages: int = DEFAULT_MAX_PAGES,
) -> Document | ReadError:
    """One file; a file over ``max_bytes`` is refused without being read, and ``max_bytes`` and
    ``max_pages`` bound what a reader may unpack and read from it (see formats.Limits)."""
    try:
        info = path.stat()
        if regular_only and not stat.S_ISREG(info.st_mode):
            return ReadError(name, "not a regular file")  # a FIFO in a folder would block the run
        if info.st_size > max_bytes:
            return ReadError(name, _too_large(max_bytes))
        data = path.read_bytes() if stat.S_ISREG(info.st_mode) else _read_stream(path, max_bytes)
    except FileNotFoundError:
        return ReadError(name, "broken symbolic link" if path.is_symlink() else "no longer exists")
    except OSError as exc:
        return ReadError(name, exc.strerror or str(exc))
    if len(data) > max_bytes:
        return ReadError(name, _too_large(max_bytes))
    return _document(name, data, path.name, Limits(max_bytes, max_pages))


def _read_stream(path: Path, max_bytes: int) -> bytes:
    with path.open("rb") as stream:  # a pipe named on the command line, e.g. <(curl ...)
        return stream.read(max_bytes + 1)


def _matches(filename: str, globs: Iterable[str]) -> bool:
    """Case-insensitive: REPORT.PDF is a *.pdf."""
    return any(fnmatch.fnmatchcase(filename.lower(), g.lower()) for g in globs)


def folder_entries(folder: Path, globs: Iterable[str]) -> Iterator[tuple[Path, str | None]]:
    """(file, None) for each file below ``folder`` matching ``globs``, sorted, a folder's files before its
    subfolders; (path, problem) for a folder that cannot be listed or a symbolic link back to a folder
    above it (a loop, not followed). Other symbolic links to folders are followed."""
    globs = tuple(globs)
    errors: list[OSError] = []
    chains = {str(folder): frozenset([os.path.realpath(folder)])}  # real paths from the top to each folder
    for root, dirs, files in os.walk(folder, onerror=errors.append, followlinks=True):
        yield from ((Path(e.filename or root), e.strerror or str(e)) for e in errors)
        errors.clear()
        chain = chains.pop(root, frozenset())
        loops = [d for d in dirs if os.path.realpath(os.path.join(root, d)) in chain]
        dirs[:] = sorted(set(dirs) - set(loops))
        for d in dirs:
            chains[os.path.join(root, d)] = chain | {os.path.realpath(os.path.join(root, d))}
        for filename in sorted(files):
            if would_read(filename, globs):
                yield Path(root) / filename, None
        yield from ((Path(root) / d, LOOP) for d in sorted(loops))
    yield from ((Path(e.filename or folder), e.strerror or str(e)) for e in errors)


def _relative(path: Path, folder: Path, raw: str) -> str:
    name = path.relative_to(folder).as_posix()
    return raw if name == "." else name


@dataclass(frozen=True)
class Source:
    """One document to read: where it is, the name its records carry, and a problem found while listing
    (a folder that cannot be listed, a symbolic-link loop, a path that does not exist)."""

    path: str
    name: str
    problem: str | None = None
    in_folder: bool = False  # found by listing a folder: only regular files are read (a FIFO would block)


def sources(paths: Iterable[str], globs: Iterable[str] = DEFAULT_GLOBS) -> Iterator[Source]:
    """The documents behind files, folders (their matching files, named relative to the folder) and "-"."""
    globs = tuple(globs)
    for raw in paths:
        path = Path(raw)
        if raw != STDIN and path.is_dir():
            for file, problem in folder_entries(path, globs):
                yield Source(str(file), _relative(file, path, raw), problem, in_folder=True)
        elif raw == STDIN or path.exists() or path.is_symlink():  # a broken link or a loop is named as such
            yield Source(raw, raw)
        else:
            yield Source(raw, raw, "no such file or directory")


def count_documents(paths: Iterable[str], globs: Iterable[str] = DEFAULT_GLOBS) -> int:
    """How many documents (and unreadable entries) ``read_documents`` will yield, without reading any."""
    return sum(1 for _ in sources(paths, globs))


def read_source(
    source: Source,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pages: int = DEFAULT_MAX_PAGES,
    stdin: BinaryIO | None = None,
) -> Document | ReadError:
    """One source's Document, or the ReadError saying why it cannot be read."""
    if source.problem:
        return ReadError(source.name, source.problem)
    if source.path == STDIN and not source.in_folder:
        data = (stdin if stdin is not None else sys.stdin.buffer).read(max_bytes + 1)
        if len(data) > max_bytes:
            return ReadError(STDIN, _too_large(max_bytes))
        return _document(STDIN, data, None, Limits(max_bytes, max_pages))
    return read_file(Path(source.path), source.name, max_bytes, regular_only=source.in_folder, max_pages=max_pages)


def read_documents(
    paths: Iterable[str],
    globs: Iterable[str] = DEFAULT_GLOBS,
    stdin: BinaryIO | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pages: int = DEFAULT_MAX_PAGES,
) -> Iterator[Document | ReadError]:
    """Documents in the order given (see ``sources``), read one at a time."""
    for source in sources(paths, globs):
        yield read_source(source, max_bytes, max_pages, stdin)


def would_read(filename: str, globs: Iterable[str]) -> bool:
    """Whether a file of this name inside a folder given is read as a document."""
    return _matches(filename, globs) and not _matches(filename, SKIPPED_IN_FOLDERS)
