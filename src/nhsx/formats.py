"""Document formats -> plain text (and where each page starts): text, PDF, Word, OpenDocument, HTML.

``extract(path_name, data)`` picks the reader by the file's suffix (anything unknown is read as text)
and raises ``Unreadable`` with a one-line problem when the file cannot give text. Newlines are always
``\\n``; offsets into ``Extracted.text`` are the offsets mentions carry.

Libraries, and why:
- charset-normalizer guesses the encoding of text that is not UTF-8, restricted to the encodings an
  English corpus plausibly holds (Windows-1252, Latin-1, Latin-9): left free it reads b"caf\\xe9" as
  UTF-16 and "£" as Polish "Ł".
- pypdf (pure Python, with cryptography for AES) gives the text of each page. It follows the content
  stream, so a two-column page comes out column by column when the producer wrote it so (Word,
  InDesign and LaTeX do); no layout analysis is attempted.
- python-docx gives the body of a .docx in order, paragraphs and tables.
- trafilatura finds the main text of an HTML page (it scores at or near the top of the published
  comparisons of boilerplate removal, e.g. Bevendorff et al., SIGIR 2023, and is actively maintained).
  It drops navigation, cookie banners, sidebars, footers, scripts and styles and keeps headings,
  paragraphs, lists and tables as structure, which we write out with blank lines between blocks.
  readability-lxml keeps bylines and returns HTML still to be flattened; jusText alone drops short
  pages and headings. trafilatura's weight (about 50 MB with babel, dateparser and courlan) is the
  price; it is imported only when an HTML page is read.
- .odt needs no library: its content.xml is read with the standard library.
"""

from __future__ import annotations

import codecs
import io
import itertools
import logging
import os
import re
import zipfile
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator
from xml.etree import ElementTree

for _name in ("pypdf", "trafilatura", "htmldate", "courlan", "justext", "readability"):
    logging.getLogger(_name).addHandler(logging.NullHandler())  # their warnings never reach stderr


class Unreadable(Exception):
    """A file that gives no text; str() is the one-line problem ("encrypted PDF")."""


@dataclass(frozen=True)
class Extracted:
    text: str
    pages: tuple[int, ...] = ()  # offset in text where each page starts (PDF only)


TEXT_SUFFIXES = (".txt", ".md", ".text")
SUFFIXES = TEXT_SUFFIXES + (".pdf", ".docx", ".odt", ".html", ".htm")


def extract(path_name: str, data: bytes) -> Extracted:
    """The text of a file named ``path_name`` whose bytes are ``data``; raises Unreadable."""
    suffix = os.path.splitext(path_name)[1].lower()
    if not data:
        raise Unreadable("empty file")
    try:
        return _READERS.get(suffix, extract_text)(data)
    except Unreadable:
        raise
    except ImportError as exc:  # a reader's library missing or broken is this file's problem, not the run's
        raise Unreadable(f"cannot read {suffix or 'these'} files here: {_reason(exc)}") from None
    except (Exception, RecursionError, MemoryError) as exc:  # noqa: BLE001 - any reader failure is one file's error
        raise Unreadable(f"could not be read ({type(exc).__name__}: {_reason(exc)})") from None


# --- text -----------------------------------------------------------------------------------

ENCODINGS = ["cp1252", "latin_1", "iso8859_15"]  # charset-normalizer's candidates when not UTF-8/16/32
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))  # UTF-32 LE starts like UTF-16 LE
BINARY = "binary file (contains NUL bytes)"


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def extract_text(data: bytes) -> Extracted:
    text = decode_text(data)
    if not text.strip():
        raise Unreadable("empty file")
    return Extracted(text)


def decode_text(data: bytes) -> str:
    """Bytes of a text file -> str with ``\\n`` newlines; raises Unreadable naming the first bad byte."""
    return normalise_newlines(_decode(data))


def _decode(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _without_nul(_strict(data, encoding, len(bom)))
    if b"\x00" in data:
        return _without_nul(_utf16_without_bom(data))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if _has_utf8_sequences(data):  # UTF-8 with damage in it, not another encoding
            raise _invalid("UTF-8", data, exc.start) from None
        return _guess(data, exc.start)


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
    for encoding, zeros, others in (("utf-16-le", sample[1::2], sample[0::2]), ("utf-16-be", sample[0::2], sample[1::2])):
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
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
                            "\ufb05": "st", "\ufb06": "st", "\u00ad": ""})
_ROMAN = re.compile(r"[ivxlc]{1,7}")
_PAGE_NUMBER = re.compile(r"(page\s+)?(\d{1,3}|[ivxlc]{1,7})(\s*(of|/)\s*\d{1,3})?", re.IGNORECASE)
_BULLET = re.compile(r"^([\u2022\u25aa\u25cf\u25e6\u2023\u2043\u2013*-]\s|\(?([0-9]{1,2}|[a-z])[.)]\s)")


def extract_pdf(data: bytes) -> Extracted:
    pages = [_page_lines(text) for text in _pdf_page_texts(data)]
    if not any(pages):
        raise Unreadable(NO_TEXT_LAYER)
    return join_pages([join_lines(lines) for lines in drop_running_lines(pages)])


def _pdf_page_texts(data: bytes) -> list[str]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise Unreadable("encrypted PDF")
        return [page.extract_text() or "" for page in reader.pages]
    except Unreadable:
        raise
    except DependencyError as exc:  # AES without the cryptography package
        raise Unreadable(f"encrypted PDF ({exc})") from None
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on damaged input
        raise Unreadable(f"truncated or damaged PDF ({_reason(exc)})") from None


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


def extract_docx(data: bytes) -> Extracted:
    from docx import Document
    from docx.table import Table

    document = _open_docx(data, Document)
    try:
        blocks = [_docx_table(b) if isinstance(b, Table) else b.text for b in document.iter_inner_content()]
    except Exception as exc:  # noqa: BLE001 - python-docx on a damaged package
        raise Unreadable(f"damaged Word document ({_reason(exc)})") from None
    return _blocks(blocks, "no text in the document")


def _open_docx(data: bytes, opener: Callable[[Any], Any]) -> Any:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise Unreadable("not a Word document (an old .doc or a password-protected file; save it as .docx)")
    if not data.startswith(b"PK"):
        raise Unreadable("not a Word document (not a zip package)")
    try:
        return opener(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - BadZipFile, KeyError, ValueError: no .docx package
        raise Unreadable(f"not a Word document ({_reason(exc)})") from None


def _docx_table(table: Any) -> str:
    rows = []
    for row in table.rows:
        cells: list[Any] = []
        for cell in row.cells:  # a merged cell comes back once for each grid column it spans
            if not cells or cell._tc is not cells[-1]._tc:
                cells.append(cell)
        rows.append(_row(" ".join(cell.text.split()) for cell in cells))
    return "\n".join(row for row in rows if row)


def _row(cells: Iterable[str]) -> str:
    return CELL_SEPARATOR.join(cell for cell in cells if cell)


def _blocks(blocks: Iterable[str], if_none: str) -> Extracted:
    text = "\n\n".join(block.strip() for block in map(normalise_newlines, blocks) if block.strip())
    if not text:
        raise Unreadable(if_none)
    return Extracted(text)


_ODF = {"text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
        "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
        "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0"}
_T, _TABLE = f"{{{_ODF['text']}}}", f"{{{_ODF['table']}}}"
_ODF_CONTAINERS = {_T + "list", _T + "list-item", _T + "list-header", _T + "section", _T + "index-body"}


def extract_odt(data: bytes) -> Extracted:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            root = ElementTree.fromstring(package.read("content.xml"))
    except Exception as exc:  # noqa: BLE001 - BadZipFile, KeyError, zlib.error, ParseError...
        raise Unreadable(f"not an OpenDocument text ({_reason(exc)})") from None
    body = root.find("office:body/office:text", _ODF)
    return _blocks(_odf_blocks(body) if body is not None else [], "no text in the document")


def _odf_blocks(element: ElementTree.Element) -> Iterator[str]:
    for child in element:
        if child.tag in (_T + "p", _T + "h"):
            yield _odf_text(child)
        elif child.tag == _TABLE + "table":
            rows = (_row(" ".join(_odf_text(c).split()) for c in row.iter(_TABLE + "table-cell"))
                    for row in child.iter(_TABLE + "table-row"))
            yield "\n".join(row for row in rows if row)
        elif child.tag in _ODF_CONTAINERS:
            yield from _odf_blocks(child)


def _odf_text(element: ElementTree.Element) -> str:
    parts = [element.text or ""]
    for child in element:
        if child.tag == _T + "s":
            parts.append(" " * int(child.get(_T + "c", "1")))
        elif child.tag == _T + "tab":
            parts.append("\t")
        elif child.tag == _T + "line-break":
            parts.append("\n")
        elif child.tag != _T + "note":  # footnotes would land in the middle of a sentence
            parts.append(_odf_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


# --- HTML -----------------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_WHATWG = {"iso-8859-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252"}
_TRAFILATURA: dict[str, Any] = {}


def extract_html(data: bytes) -> Extracted:
    html = _decode_html(data)
    if "<html" not in html[:2048].lower():
        html = f"<html><body>{html}</body></html>"  # trafilatura wants a whole page, not a fragment
    body = _main_text(html)
    if body is None:
        raise Unreadable("no main text found in the page")
    return _blocks(_html_blocks(body), "no main text found in the page")


def _decode_html(data: bytes) -> str:
    """The charset the page declares (as browsers read it), else the text-file rules."""
    declared = _META_CHARSET.search(data[:4096])
    if declared and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        name = declared.group(1).decode("ascii").lower()
        try:
            return normalise_newlines(data.decode(_WHATWG.get(name, name)))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data)


def _main_text(html: str) -> Any:
    if not _TRAFILATURA:
        import trafilatura
        from trafilatura.settings import use_config

        config = use_config()
        config.set("DEFAULT", "MAX_FILE_SIZE", str(2**31))  # the reader's own size limit applies
        _TRAFILATURA.update(extract=trafilatura.bare_extraction, config=config)
    try:
        result = _TRAFILATURA["extract"](html, include_tables=True, include_comments=False, include_images=False,
                                         include_links=False, with_metadata=False, config=_TRAFILATURA["config"])
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


_READERS: dict[str, Callable[[bytes], Extracted]] = {
    **{suffix: extract_text for suffix in TEXT_SUFFIXES},
    ".pdf": extract_pdf,
    ".docx": extract_docx,
    ".odt": extract_odt,
    ".html": extract_html,
    ".htm": extract_html,
}
