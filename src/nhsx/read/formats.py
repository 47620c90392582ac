"""Document formats -> plain text (and where each page starts): text, PDF, Word, OpenDocument, HTML.

``extract(path_name, data, limits)`` picks the reader by the file's suffix (anything unknown is read as
text) and raises ``Unreadable`` with a one-line problem when the file cannot give text. Newlines are
always ``\\n``; offsets into ``Extracted.text`` are the offsets mentions carry. Something read with a
loss (bytes that are not UTF-8, a PDF cut at ``--max-pages``) is a one-line ``Extracted.warnings`` entry.

Hostile input (issue 13): every reader's time and memory stay linear in the file and bounded by
``Limits``. A zip package (Word, OpenDocument) is refused before parsing when its directory says the
part read unpacks to more than the size limit; Word, OpenDocument and very large HTML pages are read as
a stream of parser events, without building a tree (no recursion, so no depth limit); a PDF's page tree
is walked with a page and node budget before pypdf sees it.

Libraries, and why:
- charset-normalizer guesses the encoding of text that is not UTF-8, restricted to the encodings an
  English corpus plausibly holds (Windows-1252, Latin-1, Latin-9): left free it reads b"caf\\xe9" as
  UTF-16 and "£" as Polish "Ł".
- pypdf (pure Python, with cryptography for AES) gives the text of each page. It follows the content
  stream, so a two-column page comes out column by column when the producer wrote it so (Word,
  InDesign and LaTeX do); no layout analysis is attempted.
- A .docx's main part is read like .odt, with expat as a stream (python-docx built the whole tree and
  was not linear: 5 MB of paragraphs took 5 s, 20 MB 46 s).
- trafilatura finds the main text of an HTML page (it scores at or near the top of the published
  comparisons of boilerplate removal, e.g. Bevendorff et al., SIGIR 2023, and is actively maintained).
  It drops navigation, cookie banners, sidebars, footers, scripts and styles and keeps headings,
  paragraphs, lists and tables as structure, which we write out with blank lines between blocks.
  readability-lxml keeps bylines and returns HTML still to be flattened; jusText alone drops short
  pages and headings. trafilatura's weight (about 50 MB with babel, dateparser and courlan) is the
  price; it is imported only when an HTML page is read. It is not linear in the page (10 MB of HTML
  took 21 s and 680 MB), so a page over HTML_MAIN_TEXT_LIMIT (5 MB) is read whole, boilerplate and
  all, from lxml's parser events, with a warning.
- .odt needs no library: its content.xml is read with the standard library's expat parser, as a stream.
"""

from __future__ import annotations

import codecs
import io
import itertools
import logging
import os
import re
import zipfile
from dataclasses import dataclass, replace
from typing import Any, Callable, Iterable, Iterator

for _name in ("pypdf", "trafilatura", "htmldate", "courlan", "justext", "readability"):
    logging.getLogger(_name).addHandler(logging.NullHandler())  # their warnings never reach stderr


class Unreadable(Exception):
    """A file that gives no text; str() is the one-line problem ("encrypted PDF")."""


DEFAULT_MAX_BYTES = 200 * 1024 * 1024  # larger than any real report (--max-size)
DEFAULT_MAX_PAGES = 5000  # pages read from one PDF (--max-pages); the longest real reports have about 1,000


@dataclass(frozen=True)
class Limits:
    """What one file may cost: ``max_bytes`` bounds the file, what a zip package may unpack to and the
    text taken from a PDF; ``max_pages`` the PDF pages read."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_pages: int = DEFAULT_MAX_PAGES


@dataclass(frozen=True)
class Extracted:
    text: str
    pages: tuple[int, ...] = ()  # offset in text where each page starts (PDF only)
    warnings: tuple[str, ...] = ()  # one line each: what was read with a loss (the text is still good)
    metadata_date: str | None = None  # the date the file's metadata states, as written (nhsx.read.dates reads it)


def size_text(size: int) -> str:
    """200 MB, 6.5 MB, 1.2 GB, 100 bytes: a size as an analyst reads it (MB and GB of 2**20 and 2**30 bytes)."""
    if size < 2**20:
        return f"{size} bytes"
    value, unit = (size / 2**30, "GB") if size >= 1000 * 2**20 else (size / 2**20, "MB")
    return f"{value:.0f} {unit}" if value >= 100 or value == int(value) else f"{value:.1f} {unit}"


TEXT_SUFFIXES = (".txt", ".md", ".text")
SUFFIXES = TEXT_SUFFIXES + (".pdf", ".docx", ".odt", ".html", ".htm")


def extract(path_name: str, data: bytes, limits: Limits = Limits()) -> Extracted:
    """The text of a file named ``path_name`` whose bytes are ``data``; raises Unreadable."""
    suffix = os.path.splitext(path_name)[1].lower()
    if not data:
        raise Unreadable("empty file")
    try:
        return _READERS.get(suffix, extract_text)(data, limits)
    except Unreadable:
        raise
    except ImportError as exc:  # a reader's library missing or broken is this file's problem, not the run's
        raise Unreadable(f"cannot read {suffix or 'these'} files here: {_reason(exc)}") from None
    except (Exception, RecursionError, MemoryError) as exc:  # noqa: BLE001 - any reader failure is one file's error
        raise Unreadable(f"could not be read ({type(exc).__name__}: {_reason(exc)})") from None


# --- text -----------------------------------------------------------------------------------

ENCODINGS = ["cp1252", "latin_1", "iso8859_15"]  # charset-normalizer's candidates when not UTF-8/16/32
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)  # UTF-32 LE starts like UTF-16 LE
BINARY = "binary file (contains NUL bytes)"


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def extract_text(data: bytes, limits: Limits = Limits()) -> Extracted:
    """A text file; bytes that are not UTF-8 in a UTF-8 file are replaced, with a warning."""
    text, warning = _decode(data, lenient=True)
    text = normalise_newlines(text)
    if not text or text.isspace():
        raise Unreadable("empty file")
    return Extracted(text, warnings=(warning,) if warning else ())


def decode_text(data: bytes) -> str:
    """Bytes of a text file -> str with ``\\n`` newlines; raises Unreadable naming the first bad byte
    (strict: damaged UTF-8 is refused, for gold files and callers that want no repair)."""
    return normalise_newlines(_decode(data, lenient=False)[0])


def _decode(data: bytes, lenient: bool) -> tuple[str, str | None]:
    """(text, warning); ``lenient`` repairs damaged UTF-8 (and warns) instead of refusing it."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            if encoding == "utf-8":
                return _utf8(data, len(bom), lenient)
            return _without_nul(_strict(data, encoding, len(bom))), None
    if b"\x00" in data:
        return _without_nul(_utf16_without_bom(data)), None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        if _has_utf8_sequences(data):  # UTF-8 with damage in it, not another encoding
            return _utf8(data, 0, lenient)
        return _guess(data, exc.start), None


def _utf8(data: bytes, start: int, lenient: bool) -> tuple[str, str | None]:
    try:
        return _without_nul(data[start:].decode("utf-8")), None
    except UnicodeDecodeError as exc:
        if not lenient:
            raise _invalid("UTF-8", data, start + exc.start) from None
        return _without_nul(_repaired(data[start:])), _replaced(data, start + exc.start, data[start:])


# A byte that is not UTF-8 in a UTF-8 file is nearly always Windows-1252 pasted in (a curly quote from
# Word): it becomes that character. Bytes Windows-1252 leaves undefined, and a multi-byte sequence cut
# short ("\xe2\x80" then ASCII), become U+FFFD. Decoding with surrogateescape keeps this linear.
_ESCAPED = re.compile("[\udc80-\udcff]")
_CUT_SEQUENCE = re.compile("[\udce0-\udcf4][\udc80-\udcbf]{1,2}")
_WINDOWS_1252 = {0xDC00 + byte: bytes([byte]).decode("cp1252", "replace") for byte in range(0x80, 0x100)}


def _repaired(data: bytes) -> str:
    text = data.decode("utf-8", "surrogateescape")
    return _CUT_SEQUENCE.sub("\ufffd", text).translate(_WINDOWS_1252)


def _replaced(data: bytes, first: int, body: bytes) -> str:
    count = sum(1 for _ in _ESCAPED.finditer(body.decode("utf-8", "surrogateescape")))
    plural = "byte" if count == 1 else "bytes"
    return (
        f"{count:,} {plural} not valid UTF-8 replaced (read as Windows-1252; the first, 0x{data[first]:02x}, "
        f"at offset {first})"
    )


def _invalid(encoding: str, data: bytes, offset: int) -> Unreadable:
    return Unreadable(f"not valid {encoding} (invalid byte 0x{data[offset]:02x} at offset {offset})")


def _strict(data: bytes, encoding: str, start: int = 0) -> str:
    try:
        return data[start:].decode(encoding)
    except UnicodeDecodeError as exc:
        if b"\x00" in data[start:] and _utf16_shape(data[start:]) is None:
            raise Unreadable(BINARY) from None  # a binary file that happens to start like a byte-order mark
        raise _invalid(encoding[:6].upper(), data, start + exc.start) from None


def _without_nul(text: str) -> str:
    if "\x00" in text:
        raise Unreadable(BINARY)
    return text


def _utf16_shape(data: bytes) -> str | None:
    """ASCII-heavy UTF-16 has a NUL in every other byte (the odd ones when little-endian), and no other."""
    sample = data[:4096]
    for encoding, zeros, others in (
        ("utf-16-le", sample[1::2], sample[0::2]),
        ("utf-16-be", sample[0::2], sample[1::2]),
    ):
        if zeros.count(0) > len(zeros) // 2 and others.count(0) == 0:
            return encoding
    return None


def _utf16_without_bom(data: bytes) -> str:
    encoding = _utf16_shape(data)
    if encoding is None or len(data) % 2:
        raise Unreadable(BINARY)
    return _strict(data, encoding)


_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_HIGH_BYTES = bytes(range(128, 256))


def _has_utf8_sequences(data: bytes) -> bool:
    """Mostly valid UTF-8 sequences among the non-ASCII bytes: damaged UTF-8, not Windows-1252."""
    valid = sum(len(sequence) for sequence in _UTF8_SEQUENCE.findall(data))
    high = len(data) - len(data.translate(None, _HIGH_BYTES))
    return valid > 2 * (high - valid)


def _guess(data: bytes, first_bad: int) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=ENCODINGS).best()
    if best is None:
        try:
            data.decode("cp1252")
        except UnicodeDecodeError as exc:
            first_bad = exc.start
        raise Unreadable(f"not text in a known encoding (invalid byte 0x{data[first_bad]:02x} at offset {first_bad})")
    return str(best)


# --- PDF ------------------------------------------------------------------------------------

NO_TEXT_LAYER = "no text layer (a scanned PDF?); OCR not attempted"
EDGE_LINES = 3  # lines at the top and at the bottom of a page where running headers and footers live
SHORT_LINE = 0.7  # a line shorter than this share of the page's usual width ends its paragraph
_LIGATURES = str.maketrans(
    {
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\ufb05": "st",
        "\ufb06": "st",
        "\u00ad": "",
    }
)
_ROMAN = re.compile(r"[ivxlc]{1,7}")
_PAGE_NUMBER = re.compile(r"(page\s+)?(\d{1,3}|[ivxlc]{1,7})(\s*(of|/)\s*\d{1,3})?", re.IGNORECASE)
_BULLET = re.compile(r"^([\u2022\u25aa\u25cf\u25e6\u2023\u2043\u2013*-]\s|\(?([0-9]{1,2}|[a-z])[.)]\s)")


PAGE_TREE_DEPTH = 100  # pypdf's own limit; real page trees are a few levels deep
_INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")  # page attributes a /Pages node passes down


def extract_pdf(data: bytes, limits: Limits = Limits()) -> Extracted:
    texts, warning, created = _pdf_page_texts(data, limits)
    pages = [_page_lines(text) for text in texts]
    if not any(pages):
        raise Unreadable(NO_TEXT_LAYER)
    joined = join_pages([join_lines(lines) for lines in drop_running_lines(pages)])
    return Extracted(joined.text, joined.pages, (warning,) if warning else (), created)


def _pdf_created(reader: Any) -> str | None:
    """The document information's /CreationDate as written (D:20160301120000Z), if it is a string."""
    try:
        value: Any = (reader.trailer.get("/Info") or {}).get("/CreationDate")
        value = value.get_object() if hasattr(value, "get_object") else value
    except Exception:  # noqa: BLE001 - a damaged information dictionary only loses the date
        return None
    return str(value)[:64] if isinstance(value, str) else None


def _pdf_page_texts(data: bytes, limits: Limits) -> tuple[list[str], str | None, str | None]:
    """The text of each page read, a warning when the page or text limit cut the reading short, and the
    PDF's creation date as written."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise Unreadable("encrypted PDF")
        pages, more = _page_tree(reader, limits.max_pages)
        created = _pdf_created(reader)
        texts: list[str] = []
        left = limits.max_bytes  # pages can share one content stream: the text, not the file, is bounded
        for page in pages:
            texts.append(page.extract_text() or "")
            left -= len(texts[-1])
            if left < 0:
                return (
                    texts[:-1],
                    (
                        f"more than {size_text(limits.max_bytes)} of text (--max-size); "
                        f"the first {len(texts) - 1:,} pages read"
                    ),
                    created,
                )
    except Unreadable:
        raise
    except DependencyError as exc:  # AES without the cryptography package
        raise Unreadable(f"encrypted PDF ({exc})") from None
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on damaged input
        raise Unreadable(f"truncated or damaged PDF ({_reason(exc)})") from None
    if more:
        return (
            texts,
            f"more than {limits.max_pages:,} pages (--max-pages); the first {limits.max_pages:,} read",
            created,
        )
    return texts, None, created


def _page_tree(reader: Any, max_pages: int) -> tuple[list[Any], bool]:
    """The first ``max_pages`` pages in order, and whether the tree holds more, walked without recursion.

    pypdf's own walk (``reader.pages``) visits the whole tree first: a tree whose /Kids name the same
    node many times holds billions of pages in a few kilobytes. Here the walk stops at ``max_pages``
    pages or twice as many nodes, skips a node that is its own ancestor and nodes below PAGE_TREE_DEPTH.
    """
    from pypdf import PageObject
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    pages: list[Any] = []
    nodes_left = 2 * max_pages + 1000  # a real tree has a node above every few pages at most
    stack: list[tuple[Iterator[Any], dict[str, Any], frozenset[int]]] = [
        (iter([reader.root_object.get("/Pages")]), {}, frozenset())
    ]  # per open /Pages node: the kids left, the attributes it passes down, the ids of its ancestors
    while stack:
        kids, inherited, ancestors = stack[-1]
        kid = next(kids, None)
        if kid is None:
            stack.pop()
            continue
        node = kid.get_object() if isinstance(kid, IndirectObject) else kid
        if not isinstance(node, DictionaryObject) or not node or id(node) in ancestors:
            continue  # damaged entries, empty dictionaries and loops give no pages
        nodes_left -= 1
        if nodes_left < 0 or len(pages) >= max_pages:
            return pages, True
        if node.get("/Type", "/Pages" if "/Kids" in node else "/Page") == "/Pages":
            children = node.get("/Kids")
            if len(stack) <= PAGE_TREE_DEPTH and isinstance(children, ArrayObject):
                own: dict[Any, Any] = {NameObject(name): node[name] for name in _INHERITED if name in node}
                passed = {**inherited, **own}
                stack.append((iter(children), passed, ancestors | {id(node)}))
            continue
        page = PageObject(reader, kid if isinstance(kid, IndirectObject) else None)
        page.update(node)
        for name, value in inherited.items():
            page.setdefault(name, value)
        pages.append(page)
    return pages, False


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _page_lines(text: str) -> list[str]:
    lines = normalise_newlines(text.translate(_LIGATURES)).split("\n")
    return [" ".join(line.split()) for line in lines if line.strip()]


def _line_key(line: str) -> str:
    """ "Page 3 of 12" and "Page 4 of 12" are one footer; "iv" is a page number too."""
    key = line.lower()
    return "#" if _ROMAN.fullmatch(key) else re.sub(r"\d+", "#", key)


def drop_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Remove lines that repeat at the top or bottom of at least half the pages (and at least two)."""
    with_text = [lines for lines in pages if lines]
    needed = max(2, (len(with_text) + 1) // 2)
    top = _repeated((lines[:EDGE_LINES] for lines in with_text), needed)
    bottom = _repeated((lines[-EDGE_LINES:] for lines in with_text), needed)
    return [_trim(lines, top, bottom) for lines in pages]


def _repeated(edges: Iterable[list[str]], needed: int) -> set[str]:
    counts: dict[str, int] = {}
    for edge in edges:
        for key in {_line_key(line) for line in edge}:
            counts[key] = counts.get(key, 0) + 1
    return {key for key, count in counts.items() if count >= needed}


def _trim(lines: list[str], top: set[str], bottom: set[str]) -> list[str]:
    """Drop the running lines (and page numbers, repeated or not) from the edges of a page."""
    start, end = 0, len(lines)
    while start < min(end, EDGE_LINES) and _running(lines[start], top):
        start += 1
    while end > max(start, len(lines) - EDGE_LINES) and _running(lines[end - 1], bottom):
        end -= 1
    return lines[start:end]


def _running(line: str, keys: set[str]) -> bool:
    return _line_key(line) in keys or _PAGE_NUMBER.fullmatch(line) is not None


def join_lines(lines: list[str]) -> str:
    """Lines of a page -> paragraphs: wrapped lines joined, "integ-" + "rated" -> "integrated"."""
    if not lines:
        return ""
    width = sorted(len(line) for line in lines)[round(0.8 * (len(lines) - 1))]  # the usual full line
    parts = [lines[0]]
    for before, line in itertools.pairwise(lines):
        if _hyphenated(before, line):
            parts[-1] = parts[-1][:-1]
        parts += [_line_break(before, line, width), line]
    return "".join(parts)


def _hyphenated(before: str, line: str) -> bool:
    """A word broken at the line end: "integ-" then "rated" (lower-case both sides; not "NHS-" "funded")."""
    return before.endswith("-") and before[-2:-1].islower() and line[:1].islower()


def _line_break(before: str, line: str, width: int) -> str:
    if before.endswith("-") and before[-2:-1].isalnum() and line[:1].isalnum():
        return ""  # "integ-rated" -> "integrated" (hyphen dropped above); "NHS-funded", "12-15" kept
    short = SHORT_LINE * width
    if len(before) < short or _BULLET.match(line) or _heading_after_sentence(before, line, short):
        return "\n\n"
    return " "


def _heading_after_sentence(before: str, line: str, short: float) -> bool:
    """ "...with Healthwatch Suffolk." then "Finance": a short unpunctuated capitalised line after a sentence."""
    return before[-1] in ".!?:" and len(line) < short and line[0].isupper() and line[-1] not in ".,;:!?"


def join_pages(texts: list[str]) -> Extracted:
    """Pages joined by a blank line, with the offset where each starts."""
    starts, offset = [], 0
    for text in texts:
        starts.append(offset)
        offset += len(text) + 2
    return Extracted("\n\n".join(texts), tuple(starts))


# --- Word and OpenDocument ------------------------------------------------------------------

CELL_SEPARATOR = " | "


@dataclass(frozen=True)
class _Vocabulary:
    """The element names (as expat gives them: namespace, space, local name) a streamed reader needs."""

    body: str
    paragraphs: frozenset[str]
    table: str
    row: str
    cell: str
    containers: frozenset[str]  # hold blocks: their paragraphs and tables are read
    characters: dict[str, str]  # an empty element standing for a character (a tab, a line break)
    skipped: frozenset[str]  # inside a paragraph, elements whose content is not its text
    text: str | None = None  # the only element holding text (Word's w:t); None: all character data
    spaces: str | None = None  # OpenDocument's text:s, whose c attribute counts the spaces


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main "
_WORD = _Vocabulary(
    body=_W + "body",
    paragraphs=frozenset([_W + "p"]),
    table=_W + "tbl",
    row=_W + "tr",
    cell=_W + "tc",
    containers=frozenset([_W + "sdt", _W + "sdtContent", _W + "customXml"]),  # content controls
    characters={_W + "tab": "\t", _W + "ptab": "\t", _W + "br": "\n", _W + "cr": "\n", _W + "noBreakHyphen": "-"},
    # drawings and text boxes are left out, as python-docx did (mc:AlternateContent holds them twice)
    skipped=frozenset(
        [
            _W + "drawing",
            _W + "pict",
            _W + "object",
            "http://schemas.openxmlformats.org/markup-compatibility/2006 AlternateContent",
        ]
    ),
    text=_W + "t",  # so deleted text (w:delText) and field codes (w:instrText) are not read
)
_TEXT, _TABLE = "urn:oasis:names:tc:opendocument:xmlns:text:1.0 ", "urn:oasis:names:tc:opendocument:xmlns:table:1.0 "
_ODF = _Vocabulary(
    body="urn:oasis:names:tc:opendocument:xmlns:office:1.0 text",
    paragraphs=frozenset([_TEXT + "p", _TEXT + "h"]),
    table=_TABLE + "table",
    row=_TABLE + "table-row",
    cell=_TABLE + "table-cell",
    containers=frozenset(
        [_TEXT + "list", _TEXT + "list-item", _TEXT + "list-header", _TEXT + "section", _TEXT + "index-body"]
    ),
    characters={_TEXT + "tab": "\t", _TEXT + "line-break": "\n"},
    skipped=frozenset([_TEXT + "note"]),  # footnotes would land in the middle of a sentence
    spaces=_TEXT + "s",
)
_RELATIONSHIPS = "_rels/.rels"
_MAIN_DOCUMENT = re.compile(
    r'Type="[^"]*/officeDocument"[^>]*?Target="/?([^"]+)"|Target="/?([^"]+)"[^>]*?Type="[^"]*/officeDocument"'
)


def extract_docx(data: bytes, limits: Limits = Limits()) -> Extracted:
    """The main part (word/document.xml), streamed: paragraphs and tables in body order."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise Unreadable("not a Word document (an old .doc or a password-protected file; save it as .docx)")
    if not data.startswith(b"PK"):
        raise Unreadable("not a Word document (not a zip package)")
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        main = package.getinfo(_main_part(package))
    except Exception as exc:  # noqa: BLE001 - BadZipFile, KeyError: no .docx package
        raise Unreadable(f"not a Word document ({_reason(exc)})") from None
    return _streamed(package, main, _XmlText(_WORD, 0), limits, "damaged Word document")


def _main_part(package: zipfile.ZipFile) -> str:
    """The main document's name, from the package relationships (nearly always word/document.xml)."""
    try:
        info = package.getinfo(_RELATIONSHIPS)
    except KeyError:
        return "word/document.xml"
    if info.file_size > 2**20:
        raise ValueError(f"{_RELATIONSHIPS} of {size_text(info.file_size)}")
    found = _MAIN_DOCUMENT.search(package.read(info).decode("utf-8", "replace"))
    return next(name for name in found.groups() if name) if found else "word/document.xml"


def extract_odt(data: bytes, limits: Limits = Limits()) -> Extracted:
    """content.xml, streamed: headings, paragraphs (in lists and sections too) and tables."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        content = package.getinfo("content.xml")
    except Exception as exc:  # noqa: BLE001 - BadZipFile, KeyError...
        raise Unreadable(f"not an OpenDocument text ({_reason(exc)})") from None
    return _streamed(package, content, _XmlText(_ODF, spaces=len(data)), limits, "not an OpenDocument text")


def _streamed(
    package: zipfile.ZipFile, part: zipfile.ZipInfo, text: _XmlText, limits: Limits, damaged: str
) -> Extracted:
    """One part of a zip package through expat: no tree and no recursion, so time and memory stay in step
    with the text, whatever the nesting. Its size is checked first; zipfile never unpacks more than the
    directory says (a package that lies fails its CRC check)."""
    from xml.parsers import expat

    if part.file_size > limits.max_bytes:
        raise Unreadable(
            f"unpacks to {size_text(part.file_size)}, more than the size limit "
            f"({size_text(limits.max_bytes)}; --max-size)"
        )
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = text.start, text.end, text.data
    try:
        with package, package.open(part) as stream:
            parser.ParseFile(stream)
    except Exception as exc:  # noqa: BLE001 - ExpatError, zlib.error, BadZipFile (CRC)...
        raise Unreadable(f"{damaged} ({_reason(exc)})") from None
    return _blocks(text.blocks, "no text in the document")


class _XmlText:
    """The blocks of a word-processing body from expat's events: a paragraph each, a table each (a row a
    line, cells joined by CELL_SEPARATOR; a cell merged across columns is one element, so it comes once);
    anything else at block level is left out. Each ``*_depth`` is the depth of the open element, 0 when none."""

    def __init__(self, words: _Vocabulary, spaces: int) -> None:
        self.words = words
        self.blocks: list[str] = []
        self.spaces = spaces  # text:s may ask for 10^10 spaces: never more in all than bytes in the file
        self.depth = self.body_depth = self.skip_depth = self.block_depth = self.table_depth = self.cell_depth = 0
        self.in_text = False
        self.parts: list[str] = []  # the text of the open paragraph or table cell
        self.rows: list[str] = []
        self.cells: list[str] = []

    def start(self, name: str, attributes: dict[str, str]) -> None:
        self.depth += 1
        words = self.words
        if self.skip_depth:
            return
        if not self.body_depth:
            if name == words.body:
                self.body_depth = self.depth
        elif self.block_depth or self.cell_depth:
            self._inline(name, attributes)
        elif self.table_depth:
            if name == words.cell:
                self.cell_depth, self.parts = self.depth, []
        elif name in words.paragraphs:
            self.block_depth, self.parts = self.depth, []
        elif name == words.table:
            self.table_depth, self.rows, self.cells = self.depth, [], []
        elif name not in words.containers:
            self.skip_depth = self.depth

    def _inline(self, name: str, attributes: dict[str, str]) -> None:
        words = self.words
        if name == words.text:
            self.in_text = True
        elif name in words.characters:
            self.parts.append(words.characters[name])
        elif name == words.spaces:
            self.parts.append(" " * self._spaces(attributes.get(_TEXT + "c", "1")))
        elif name in words.skipped:
            self.skip_depth = self.depth
        elif name in words.paragraphs and self.parts:
            self.parts.append(" ")  # paragraphs in a table cell or a text box

    def _spaces(self, count: str) -> int:
        wanted = int(count) if count.isascii() and count.isdigit() and len(count) <= 18 else 1
        given = max(1, min(wanted, self.spaces))
        self.spaces -= given
        return given

    def end(self, name: str) -> None:
        depth = self.depth
        self.depth -= 1
        self.in_text = False
        if self.skip_depth:
            if depth == self.skip_depth:
                self.skip_depth = 0
        elif depth == self.block_depth:
            self.blocks.append("".join(self.parts))
            self.block_depth = 0
        elif self.cell_depth:
            if depth == self.cell_depth:
                self.cells.append(" ".join("".join(self.parts).split()))
                self.cell_depth = 0
        elif depth == self.table_depth:
            self.blocks.append("\n".join(row for row in self.rows if row))
            self.table_depth = 0
        elif self.table_depth and name == self.words.row:
            self.rows.append(_row(self.cells))
            self.cells = []
        elif depth == self.body_depth:
            self.body_depth = 0

    def data(self, text: str) -> None:
        if (self.block_depth or self.cell_depth) and not self.skip_depth and (self.in_text or not self.words.text):
            self.parts.append(text)


def _row(cells: Iterable[str]) -> str:
    return CELL_SEPARATOR.join(cell for cell in cells if cell)


def _blocks(blocks: Iterable[str], if_none: str) -> Extracted:
    text = "\n\n".join(block.strip() for block in map(normalise_newlines, blocks) if block.strip())
    if not text:
        raise Unreadable(if_none)
    return Extracted(text)


# --- HTML -----------------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# <meta> names and properties that state when a page was published, most telling first
_META_DATES = (
    "article:published_time",
    "citation_publication_date",
    "dc.date.issued",
    "dcterms.issued",
    "datepublished",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "date",
    "pubdate",
    "publication_date",
    "og:published_time",
)
_META_TAG = re.compile(rb"<meta\s[^>]{0,1000}>", re.IGNORECASE)
_META_ATTRIBUTE = re.compile(r"""([A-Za-z:._-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_META_DATE_BYTES = 256 * 1024  # the <head> of any real page
_WHATWG = {"iso-8859-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252"}
_TRAFILATURA: dict[str, Any] = {}


HTML_MAIN_TEXT_LIMIT = 5 * 2**20  # trafilatura is not linear: 1 MB of HTML 1.5 s, 4 MB 5 s, 10 MB 21 s and 680 MB
_HTML_SKIPPED = {"script", "style", "noscript", "template", "svg", "math", "select", "iframe", "object"}
_HTML_BLOCKS = {
    "p",
    "div",
    "br",
    "hr",
    "li",
    "dt",
    "dd",
    "tr",
    "table",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "nav",
    "aside",
    "blockquote",
    "pre",
    "form",
    "ul",
    "ol",
    "dl",
    "figure",
    "figcaption",
    "address",
    "body",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "title",
}
_CHUNK = 2**20


def extract_html(data: bytes, limits: Limits = Limits()) -> Extracted:
    return replace(_extract_html(data), metadata_date=_html_date(data))


def _html_date(data: bytes) -> str | None:
    """The publication date a page's <meta> tags state, as written (the first of _META_DATES found)."""
    found: dict[str, str] = {}
    for tag in _META_TAG.finditer(data[:_META_DATE_BYTES]):
        pairs = _META_ATTRIBUTE.findall(tag.group(0).decode("latin-1"))
        attributes = {key.lower(): "".join(values) for key, *values in pairs}
        name = (attributes.get("name") or attributes.get("property") or attributes.get("itemprop") or "").lower()
        if name in _META_DATES and attributes.get("content"):
            found.setdefault(name, attributes["content"][:64])
    return next((found[name] for name in _META_DATES if name in found), None)


def _extract_html(data: bytes) -> Extracted:
    html, warning = _decode_html(data)
    warnings = (warning,) if warning else ()
    if len(data) > HTML_MAIN_TEXT_LIMIT:
        note = (
            f"{size_text(len(data))} of HTML, more than {size_text(HTML_MAIN_TEXT_LIMIT)}: all its text read, "
            f"navigation and footers included"
        )
        return replace(_blocks(_all_html_text(html), "no text found in the page"), warnings=warnings + (note,))
    if "<html" not in html[:2048].lower():
        html = f"<html><body>{html}</body></html>"  # trafilatura wants a whole page, not a fragment
    body = _main_text(html)
    if body is None:
        raise Unreadable("no main text found in the page")
    return replace(_blocks(_html_blocks(body), "no main text found in the page"), warnings=warnings)


def _all_html_text(html: str) -> list[str]:
    """Every block of text of a page, scripts and styles left out, from lxml's parser events (no tree:
    linear time, memory in step with the text)."""
    from lxml import etree

    target = _HtmlText()
    parser = etree.HTMLParser(target=target, recover=True, no_network=True, huge_tree=True)
    for start in range(0, len(html), _CHUNK):
        parser.feed(html[start : start + _CHUNK])
    parser.close()
    return target.blocks


class _HtmlText:
    """lxml parser target: text outside script, style and the like, a block per block element."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.parts: list[str] = []
        self.skipped = 0  # depth inside elements whose text is not read

    def start(self, tag: str, attributes: Any) -> None:
        if tag in _HTML_SKIPPED:
            self.skipped += 1
        elif tag in _HTML_BLOCKS:
            self._end_block()

    def end(self, tag: str) -> None:
        if tag in _HTML_SKIPPED:
            self.skipped = max(0, self.skipped - 1)
        elif tag in _HTML_BLOCKS:
            self._end_block()

    def data(self, text: str) -> None:
        if not self.skipped:
            self.parts.append(text)

    def close(self) -> None:
        self._end_block()

    def _end_block(self) -> None:
        if self.parts:
            self.blocks.append(" ".join("".join(self.parts).split()))
            self.parts = []


def _decode_html(data: bytes) -> tuple[str, str | None]:
    """The charset the page declares (as browsers read it), else the text-file rules."""
    declared = _META_CHARSET.search(data[:4096])
    if declared and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        name = declared.group(1).decode("ascii").lower()
        try:
            return normalise_newlines(data.decode(_WHATWG.get(name, name))), None
        except (LookupError, UnicodeDecodeError):
            pass
    text, warning = _decode(data, lenient=True)
    return normalise_newlines(text), warning


def _main_text(html: str) -> Any:
    if not _TRAFILATURA:
        import trafilatura
        from trafilatura.settings import use_config

        config = use_config()
        config.set("DEFAULT", "MAX_FILE_SIZE", str(2**31))  # the reader's own size limit applies
        _TRAFILATURA.update(extract=trafilatura.bare_extraction, config=config)
    try:
        result = _TRAFILATURA["extract"](
            html,
            include_tables=True,
            include_comments=False,
            include_images=False,
            include_links=False,
            with_metadata=False,
            config=_TRAFILATURA["config"],
        )
    except Exception as exc:  # noqa: BLE001 - lxml or trafilatura on a broken page
        raise Unreadable(f"damaged HTML page ({_reason(exc)})") from None
    return None if result is None else result.body


def _html_blocks(body: Any) -> Iterator[str]:
    """trafilatura's blocks (head, p, list, table, quote...) -> paragraphs; a list item or table row a line."""
    for block in body:
        if block.tag == "list":
            yield "\n".join(_flat(item) for item in block.findall("item"))
        elif block.tag == "table":
            yield "\n".join(_row(_flat(cell) for cell in row.iter("cell")) for row in block.iter("row"))
        else:
            yield _flat(block)


def _flat(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


_READERS: dict[str, Callable[[bytes, Limits], Extracted]] = {
    **{suffix: extract_text for suffix in TEXT_SUFFIXES},
    ".pdf": extract_pdf,
    ".docx": extract_docx,
    ".odt": extract_odt,
    ".html": extract_html,
    ".htm": extract_html,
}
