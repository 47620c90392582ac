"""Hostile and odd files (issue 13): each ends as one line on stderr or a correct result, never a traceback,
within bounded time and memory, and the good files next to it still have their mentions written.

Every bomb is built here at test time, small on disk; the real CLI runs under conftest's HOSTILE_LIMITS
(2 GB of address space, two minutes of CPU), so a reader that blows up fails the test instead of the machine.
Unit tests of the format readers themselves are in test_formats.py; its fixtures (binary, empty, damaged
UTF-8, UTF-16 without BOM...) are reused here, not rebuilt.
"""

from __future__ import annotations

import io
import json
import shutil
import time
import zipfile
from pathlib import Path

import pytest

from conftest import HOSTILE_LIMITS, run_nhsx
from nhsx.read.formats import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_PAGES,
    HTML_MAIN_TEXT_LIMIT,
    Limits,
    Unreadable,
    extract,
)

FORMATS = Path(__file__).parents[1] / "data" / "formats"
GOOD = "NHS England met the Care Quality Commission.\n"
SENTENCE = "NHS England met the Care Quality Commission."

# --- builders ---------------------------------------------------------------------------------

_ODF_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
)


def odt(body: str) -> bytes:
    """An OpenDocument text whose office:text holds ``body``."""
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODF_NAMESPACES}>'
        f"<office:body><office:text>{body}</office:text></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        package.writestr("content.xml", content)
    return buffer.getvalue()


def odt_nested_spans(depth: int = 1000) -> bytes:
    return odt(f"<text:p>{'<text:span>' * depth}{SENTENCE}{'</text:span>' * depth}</text:p>")


def odt_spaces(count: str) -> bytes:
    return odt(f'<text:p>NHS England<text:s text:c="{count}"/>met the Care Quality Commission.</text:p>')


def zip_bomb(member: str, head: bytes, repeated: bytes, times: int, tail: bytes, others: dict[str, bytes]) -> bytes:
    """A zip whose ``member`` unpacks to head + repeated * times + tail, written as a stream (small on disk)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        for name, data in others.items():
            package.writestr(name, data)
        with package.open(member, "w", force_zip64=True) as stream:
            stream.write(head)
            chunk = repeated * max(1, 2**20 // len(repeated))
            for _ in range(times * len(repeated) // len(chunk)):
                stream.write(chunk)
            stream.write(tail)
    return buffer.getvalue()


def docx_parts() -> dict[str, bytes]:
    from docx import Document

    buffer = io.BytesIO()
    Document().save(buffer)
    with zipfile.ZipFile(buffer) as package:
        return {name: package.read(name) for name in package.namelist()}


def docx_bomb(unpacked: int, text_node: bool = False) -> bytes:
    """A .docx whose document.xml unpacks to about ``unpacked`` bytes: many paragraphs, or one text node."""
    parts = docx_parts()
    del parts["word/document.xml"]
    head = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    )
    if text_node:
        head, repeated, tail = head + b"<w:p><w:r><w:t>", b"a", b"</w:t></w:r></w:p></w:body></w:document>"
    else:
        repeated, tail = f"<w:p><w:r><w:t>{SENTENCE}</w:t></w:r></w:p>".encode(), b"</w:body></w:document>"
    return zip_bomb("word/document.xml", head, repeated, unpacked // len(repeated), tail, parts)


def odt_bomb(unpacked: int) -> bytes:
    head = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODF_NAMESPACES}><office:body><office:text>'
    ).encode()
    tail = b"</office:text></office:body></office:document-content>"
    paragraph = f"<text:p>{SENTENCE}</text:p>".encode()
    return zip_bomb("content.xml", head, paragraph, unpacked // len(paragraph), tail, {})


def pdf(objects: list[bytes]) -> bytes:
    """A PDF of these objects (numbered from 1; object 1 is the catalog), with its cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def content_stream(lines: list[str]) -> bytes:
    shown = b" ".join(b"0 -14 Td (%s) Tj" % line.encode("latin-1") for line in lines)
    stream = b"BT /F1 11 Tf 72 760 Td " + shown + b" ET"
    return b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"


PAGE_LINES = [f"Line {n}: {SENTENCE}" for n in range(1, 9)]  # more lines than the running header and footer zones
_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def pdf_page_tree_bomb(fanout: int = 10, depth: int = 9) -> bytes:
    """fanout ** depth pages in a few kilobytes: every /Kids names the next node ``fanout`` times."""
    # 1 catalog, 2 font, 3 content, 4 the page, 5.. the /Pages nodes (5 is the root)
    nodes = [
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join([b"%d 0 R" % (6 + level if level < depth - 1 else 4)] * fanout), fanout ** (depth - level))
        for level in range(depth)
    ]
    page = b"<< /Type /Page /Parent 5 0 R /MediaBox [0 0 612 792] /Contents 3 0 R /Resources << /Font << /F1 2 0 R >> >> >>"
    return pdf([b"<< /Type /Catalog /Pages 5 0 R >>", _FONT, content_stream(PAGE_LINES), page, *nodes])


def pdf_page_tree_loop() -> bytes:
    """A /Pages node whose /Kids name itself (and its parent) as well as a page."""
    page = b"<< /Type /Page /Parent 4 0 R /MediaBox [0 0 612 792] /Contents 3 0 R /Resources << /Font << /F1 2 0 R >> >> >>"
    return pdf(
        [
            b"<< /Type /Catalog /Pages 4 0 R >>",
            _FONT,
            content_stream(PAGE_LINES),
            b"<< /Type /Pages /Kids [5 0 R 6 0 R 4 0 R] /Count 2 >>",
            page,
            b"<< /Type /Pages /Parent 4 0 R /Kids [4 0 R 6 0 R 5 0 R] /Count 1 >>",
        ]
    )


def pdf_shared_content(pages: int, lines: list[str] = PAGE_LINES, per_node: int = 1000) -> bytes:
    """``pages`` distinct pages that all show one content stream, under a two-level page tree."""
    # 1 catalog, 2 font, 3 content, 4 root /Pages, then the /Pages nodes, then the pages
    groups = (pages + per_node - 1) // per_node
    first_page = 5 + groups
    nodes = []
    for group in range(groups):
        kids = range(first_page + group * per_node, first_page + min(pages, (group + 1) * per_node))
        nodes.append(
            b"<< /Type /Pages /Parent 4 0 R /Kids [%s] /Count %d >>"
            % (b" ".join(b"%d 0 R" % kid for kid in kids), len(kids))
        )
    root = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % (5 + g) for g in range(groups)), pages)
    leaves = [
        b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents 3 0 R /Resources << /Font << /F1 2 0 R >> >> >>"
        % (5 + n // per_node)
        for n in range(pages)
    ]
    return pdf([b"<< /Type /Catalog /Pages 4 0 R >>", _FONT, content_stream(lines), root, *nodes, *leaves])


def big_html(size: int) -> bytes:
    block = f"<div class='c'><p>{SENTENCE} <a href='#'>More</a></p><script>var x = 'Monitor';</script></div>\n"
    return (
        "<html><head><style>p {color: red}</style></head><body>" + block * (size // len(block)) + "</body></html>"
    ).encode()


def mixed_encoding() -> bytes:
    """UTF-8 with one Windows-1252 curly quote pasted in (from Word)."""
    return "NHS England’s plan: the Care Quality Commission’s report. ".encode() * 3 + b"\x93Quoted\x94 here.\n"


def one_long_line(size: int) -> bytes:
    return (SENTENCE.encode() + b" ") * (size // (len(SENTENCE) + 1))


# --- the CLI on a folder of hostile files -------------------------------------------------------


def hostile_files() -> dict[str, bytes]:
    """Name -> bytes of each hostile file the folder run reads."""
    return {
        "nested-spans.odt": odt_nested_spans(),
        "spaces-2e10.odt": odt_spaces("2e10"),
        "spaces-1e9.odt": odt_spaces("1000000000"),
        "paragraph-bomb.docx": docx_bomb(1 * 2**30),
        "text-node-bomb.docx": docx_bomb(300 * 2**20, text_node=True),
        "content-bomb.odt": odt_bomb(300 * 2**20),
        "page-tree-bomb.pdf": pdf_page_tree_bomb(),
        "page-tree-loop.pdf": pdf_page_tree_loop(),
        "shared-content.pdf": pdf_shared_content(DEFAULT_MAX_PAGES + 1000),
        "big-page.html": big_html(HTML_MAIN_TEXT_LIMIT + 2**20),
        "mixed-encoding.txt": mixed_encoding(),
        "nul-in-middle.txt": b"NHS England\x00 met the Care Quality Commission.",
    }


# The one line each hostile file gives on stderr (None: read without a word).
EXPECTED = {
    "nested-spans.odt": None,
    "spaces-2e10.odt": None,
    "spaces-1e9.odt": None,
    "paragraph-bomb.docx": "paragraph-bomb.docx: unpacks to 1.0 GB, more than the size limit (200 MB; --max-size)",
    "text-node-bomb.docx": "text-node-bomb.docx: unpacks to 300 MB, more than the size limit (200 MB; --max-size)",
    "content-bomb.odt": "content-bomb.odt: unpacks to 300 MB, more than the size limit (200 MB; --max-size)",
    "page-tree-bomb.pdf": "page-tree-bomb.pdf: more than 5,000 pages (--max-pages); the first 5,000 read",
    "page-tree-loop.pdf": None,
    "shared-content.pdf": "shared-content.pdf: more than 5,000 pages (--max-pages); the first 5,000 read",
    "big-page.html": (
        "big-page.html: 6.0 MB of HTML, more than 5 MB: all its text read, navigation and footers included"
    ),
    "mixed-encoding.txt": (
        "mixed-encoding.txt: 2 bytes not valid UTF-8 replaced (read as Windows-1252; the first, 0x93, at offset 186)"
    ),
    "nul-in-middle.txt": "nul-in-middle.txt: binary file (contains NUL bytes)",
}
FAILING = {"paragraph-bomb.docx", "text-node-bomb.docx", "content-bomb.odt", "nul-in-middle.txt"}
# the fixtures of test_formats.py that are bad files, and their lines
FIXTURE_LINES = {
    "binary.txt": "binary.txt: binary file (contains NUL bytes)",
    "empty.txt": "empty.txt: empty file",
    "invalid-bytes.txt": (
        "invalid-bytes.txt: 2 bytes not valid UTF-8 replaced (read as Windows-1252; the first, 0xff, at offset 38)"
    ),
    "encrypted.pdf": "encrypted.pdf: encrypted PDF",
    "scanned.pdf": "scanned.pdf: no text layer (a scanned PDF?); OCR not attempted",
    "truncated.pdf": "truncated.pdf: truncated or damaged PDF (stream has ended unexpectedly)",
}


@pytest.fixture(scope="module")
def folder_run(tmp_path_factory):
    """One CLI run over a folder of every hostile file, the format fixtures and a good file."""
    folder = tmp_path_factory.mktemp("hostile")
    shutil.copytree(FORMATS, folder, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.py"))
    for name, data in hostile_files().items():
        (folder / name).write_bytes(data)
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    result = run_nhsx("extract", str(folder), "--mentions", "-f", "jsonl", "--workers", "1", limits=HOSTILE_LIMITS)
    rows = [json.loads(line) for line in result.stdout.decode().splitlines()]
    return result, rows, folder


def test_the_run_ends_within_the_limits_with_exit_1_and_no_traceback(folder_run):
    """Killed for CPU time or out of memory, the run would end with a signal or a MemoryError traceback."""
    result, _, _ = folder_run
    stderr = result.stderr.decode()
    assert "Traceback" not in stderr and "MemoryError" not in stderr
    assert result.returncode == 1, stderr


def test_every_hostile_file_gives_its_one_line_and_nothing_else(folder_run):
    result, _, _ = folder_run
    lines = result.stderr.decode().splitlines()
    expected = [line for line in EXPECTED.values() if line] + list(FIXTURE_LINES.values())
    assert sorted(lines) == sorted(expected)


def test_the_good_files_still_have_their_mentions(folder_run):
    _, rows, folder = folder_run
    found = {row["doc"] for row in rows}
    good = {"good.txt", "report.pdf", "report.docx", "minutes.odt", "article.html", "utf16.txt", "cp1252.txt"}
    assert good <= found
    assert {r["canonical"] for r in rows if r["doc"] == "good.txt"} == {"NHS England", "Care Quality Commission"}


@pytest.mark.parametrize("name", sorted(n for n, line in EXPECTED.items() if n not in FAILING))
def test_files_read_despite_their_shape_have_their_mentions(folder_run, name):
    _, rows, _ = folder_run
    assert {r["canonical"] for r in rows if r["doc"] == name} >= {"NHS England"}


def test_a_pdf_cut_at_max_pages_has_mentions_on_its_last_page_read_only(folder_run):
    _, rows, _ = folder_run
    pages = {r["page"] for r in rows if r["doc"] == "shared-content.pdf"}
    assert max(pages) == DEFAULT_MAX_PAGES and len(pages) == DEFAULT_MAX_PAGES


def test_strict_refuses_a_file_read_with_a_loss(tmp_path):
    (tmp_path / "mixed.txt").write_bytes(mixed_encoding())
    result = run_nhsx("extract", str(tmp_path), "--strict", "-o", str(tmp_path / "out.json"), "-f", "json")
    assert result.returncode == 1 and not (tmp_path / "out.json").exists()
    assert result.stderr.decode().splitlines() == [
        "Error: mixed.txt: 2 bytes not valid UTF-8 replaced (read as Windows-1252; the first, 0x93, at offset 186) "
        "(--strict: stopping at the first problem)"
    ]


def test_a_warning_alone_leaves_exit_0_and_save_text_shows_the_text_analysed(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "mixed.txt").write_bytes(mixed_encoding())
    saved = tmp_path / "text"
    result = run_nhsx("extract", str(tmp_path / "docs"), "--mentions", "-f", "jsonl", "--save-text", str(saved))
    assert result.returncode == 0 and len(result.stderr.decode().splitlines()) == 1
    text = (saved / "mixed.txt").read_text(encoding="utf-8")
    assert text.endswith("“Quoted” here.\n")
    rows = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert rows and all(text[r["start"] : r["end"]] == r["text"] for r in rows)


def test_max_pages_option_and_the_text_limit_of_a_pdf(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "pages.pdf").write_bytes(pdf_shared_content(30))
    result = run_nhsx("glossary", str(tmp_path / "docs"), "--max-pages", "12", "-f", "json")
    assert result.returncode == 0
    assert result.stderr.decode().splitlines() == ["pages.pdf: more than 12 pages (--max-pages); the first 12 read"]
    long_lines = [f"Line {n}: {SENTENCE * 40}" for n in range(8)]  # 14 KB of text a page, 75 pages a MB
    (tmp_path / "docs" / "pages.pdf").write_bytes(pdf_shared_content(300, long_lines))
    result = run_nhsx("cooccur", str(tmp_path / "docs"), "--max-size", "1", "-f", "json")
    assert result.returncode == 0 and result.stderr.decode().splitlines() == [
        "pages.pdf: more than 1 MB of text (--max-size); the first 74 pages read"
    ]


# --- the readers alone: exact results and linear cost ---------------------------------------------


def test_nested_spans_and_huge_space_counts_give_the_text():
    assert extract("a.odt", odt_nested_spans(100_000)).text == SENTENCE
    assert extract("a.odt", odt_spaces("2e10")).text == "NHS England met the Care Quality Commission."
    huge = odt_spaces("1000000000")
    text = extract("a.odt", huge).text
    assert text.startswith("NHS England   ") and text.endswith(" met the Care Quality Commission.")
    assert len(text) < len(huge) + 50  # never more spaces than bytes in the file


def test_zip_sizes_are_checked_against_the_limit_given():
    small = docx_bomb(3 * 2**20)
    with pytest.raises(Unreadable, match=r"^unpacks to 3\.\d MB, more than the size limit \(2 MB; --max-size\)$"):
        extract("a.docx", small, Limits(max_bytes=2 * 2**20))
    assert extract("a.docx", small, Limits(max_bytes=4 * 2**20)).text.startswith(SENTENCE)


def test_page_tree_loop_is_not_followed_round():
    """The page is a kid of the root and of its other /Pages node (read twice, as pypdf does); the kids
    that name the root or the node itself are skipped."""
    result = extract("a.pdf", pdf_page_tree_loop())
    assert len(result.pages) == 2 and result.text.count(SENTENCE) == 2 * 2  # lines 1-3 and 6-8 run on both pages


@pytest.mark.parametrize(
    "builder, name, size",
    [
        (one_long_line, "long.txt", 32 * 2**20),
        (big_html, "big.html", 32 * 2**20),  # 8 MB and 32 MB: both over HTML_MAIN_TEXT_LIMIT, read from parser events
        (odt_bomb, "big.odt", 32 * 2**20),
        (lambda size: docx_bomb(size), "big.docx", 32 * 2**20),
    ],
)
def test_large_documents_are_read_in_linear_time(builder, name, size):
    """Four times the input costs about four times the time (a quadratic reader would cost sixteen)."""

    def seconds(n: int) -> float:
        data = builder(n)
        started = time.process_time()
        assert SENTENCE in extract(name, data).text[:1000]
        return time.process_time() - started

    assert size // 4 > HTML_MAIN_TEXT_LIMIT and size < DEFAULT_MAX_BYTES
    small, large = seconds(size // 4), seconds(size)
    assert large < 8 * small + 0.5
