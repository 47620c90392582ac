"""Where output goes: files written whole or not at all (``atomic_output``), standard output guarded so a
full disk or a closed pipe is one ``OutputError``, and names made printable for one-line messages.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
import tempfile
from pathlib import Path
from typing import IO, Any, Iterator, Sequence

from nhsx.records import Document

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
        raise OutputError(
            target, f"folder {folder} does not exist" if not folder.exists() else f"{folder} is not a folder"
        )
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
        # closed by the caller's finally: the stream is yielded out of this function
        stream = open(target, "wb") if binary else open(target, "w", encoding="utf-8", errors=OUTPUT_ERRORS, newline="")  # noqa: SIM115
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


STDOUT = "standard output"  # how messages name it


def check_outputs(inputs: Sequence[str], globs: Sequence[str], save_text: str | None, *outputs: str | None) -> None:
    """Before any document is read: every output file can be written and is none of the inputs, and
    --save-text writes neither over an input nor into a folder being read (OutputError otherwise)."""
    for output in filter(None, outputs):
        check_writable(output)
        clash = input_clash(output, inputs, globs)
        if clash:
            raise OutputError(output, clash)
    if save_text:
        check_save_text(Path(save_text), inputs)


def input_clash(output: str, inputs: Sequence[str], globs: Sequence[str]) -> str | None:
    """Why writing ``output`` would replace an input or be read as one (None when it would not)."""
    from nhsx.read import STDIN, would_read

    target = Path(os.path.realpath(output))
    for raw in (name for name in inputs if name != STDIN):
        source = Path(os.path.realpath(raw))
        if source == target:
            return "is also an input (it would be replaced by the output)"
        # the file, or the temporary file it is written through, would be read as a document
        if (
            os.path.isdir(raw)
            and source in target.parents
            and any(would_read(name, globs) for name in (target.name, f".{target.name}.tmp"))
        ):
            return f"lies in the input folder {raw} and would be read as a document"
    return None


def check_save_text(folder: Path, inputs: Sequence[str]) -> None:
    """--save-text DIR must not lie in a folder being read (its files would be read again, and again)
    nor put a text over the file it came from; and it must be writable."""
    from nhsx.read import STDIN

    root = Path(os.path.realpath(folder))
    for raw in (name for name in inputs if name != STDIN):
        source = Path(os.path.realpath(raw))
        if os.path.isdir(raw) and (source == root or source in root.parents):
            raise OutputError(folder, f"lies in the input folder {raw}, so the saved texts would be read as documents")
        if Path(os.path.realpath(saved_text_path(folder, raw))) == source:
            raise OutputError(folder, f"the text of {raw} would be saved over {raw} itself")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(folder, f"cannot create the folder ({exc.strerror or exc})") from None
    check_writable(folder / "text.txt")


def saved_text_path(folder: Path, name: str) -> Path:
    """Where --save-text puts a document's text: its name under ``folder`` (stdin as "stdin.txt"), never
    outside it (a leading / and .. parts are dropped)."""
    parts = [part for part in Path("stdin.txt" if name == "-" else name).parts if part not in ("/", "..")]
    target = folder.joinpath(*parts) if parts else folder / "unnamed.txt"
    if not target.name.endswith((".txt", ".md", ".text")):
        target = target.with_name(target.name + ".txt")  # report.pdf -> report.pdf.txt
    return target


def save_text(folder: Path, document: Document) -> None:
    """The analysed text of one document, written whole or not at all."""
    target = saved_text_path(folder, document.name)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(target.parent, exc) from None
    with atomic_output(target) as stream:
        stream.write(document.text)


@contextlib.contextmanager
def output_stream(path: str | None) -> Iterator[IO[str]]:
    """stdout, or a file written atomically (whole or not at all); failing writes are OutputErrors."""
    if path is not None:
        with atomic_output(path) as stream:
            yield stream
        return
    stdout = sys.stdout
    with contextlib.suppress(AttributeError, ValueError):  # a file name's odd bytes escaped, not fatal
        stdout.reconfigure(errors=OUTPUT_ERRORS)  # type: ignore[union-attr]
    guarded = GuardedStream(stdout, STDOUT)
    yield guarded  # type: ignore[misc]
    guarded.flush()  # a full disk or a closed pipe shows here, not as a traceback at exit
