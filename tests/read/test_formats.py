"""Formats: text encodings, PDF pages, Word, OpenDocument and HTML -> text, and every bad case's message.

The fixtures in tests/data/formats/ are made by tests/data/formats/make_fixtures.py.
"""

from __future__ import annotations

import codecs
import dataclasses
import io
import zipfile
from pathlib import Path

import pytest

from nhsx.read import formats
from nhsx.read.formats import (
    NO_TEXT_LAYER,
    SUFFIXES,
    Extracted,
    Unreadable,
    decode_text,
    drop_running_lines,
    extract,
    join_lines,
)

FORMATS = Path(__file__).parents[1] / "data" / "formats"


def fixture(name: str) -> Extracted:
    return extract(name, (FORMATS / name).read_bytes())


def problem(name: str, data: bytes) -> str:
    with pytest.raises(Unreadable) as info:
        extract(name, data)
    return str(info.value)


def test_extracted_is_a_frozen_record_without_pages_by_default():
    assert Extracted("NHS England").pages == ()
    with pytest.raises(dataclasses.FrozenInstanceError):
        Extracted("x").text = "y"  # type: ignore[misc]


def test_suffixes_read():
    assert set(SUFFIXES) == {".txt", ".md", ".text", ".pdf", ".docx", ".odt", ".html", ".htm"}


# --- text -------------------------------------------------------------------------------------

SAMPLE = "NHS England’s “integrated care board” pays £4.2m to the Care Quality Commission – café."


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252"])
def test_encoding_round_trip(encoding):
    assert decode_text(SAMPLE.encode(encoding)) == SAMPLE


def test_latin1_round_trip():
    text = "Le rôle de NHS England coûte £5 à l'intégrated care board."
    assert decode_text(text.encode("latin-1")) == text


@pytest.mark.parametrize(
    "name, text",
    [
        (
            "utf8-bom.txt",
            (
                "NHS England and the integrated care board agreed £12 million for the Care Quality "
                "Commission’s review.\n"
            ),
        ),
        (
            "utf16.txt",
            (
                "NHS England and the integrated care board agreed £12 million for the Care Quality "
                "Commission’s review.\n"
            ),
        ),
        (
            "cp1252.txt",
            (
                "The “integrated care board” will pay £4.2m, says NHS England’s ‘Long Term Plan’ team; "
                "the Care Quality Commission agrees.\n"
            ),
        ),
        (
            "latin1.txt",
            (
                "Le rôle de NHS England et de la Care Quality Commission coûte £5 à l'intégrated care "
                "board, selon le ministère.\n"
            ),
        ),
    ],
)
def test_text_fixtures_decode(name, text):
    assert fixture(name) == Extracted(text)


def test_newlines_are_normalised():
    assert decode_text(b"a\r\nb\rc\n\r\n") == "a\nb\nc\n\n"
    assert decode_text("a\r\nb".encode("utf-16")) == "a\nb"


@pytest.mark.parametrize("name", ["a.txt", "a.md", "a.text", "notes", "a.rtf", "A.TXT"])
def test_unknown_and_text_suffixes_read_as_text(name):
    assert extract(name, b"NHS England") == Extracted("NHS England")


@pytest.mark.parametrize(
    "name, message",
    [
        ("binary.txt", "binary file (contains NUL bytes)"),
        ("empty.txt", "empty file"),
    ],
)
def test_bad_text_fixtures(name, message):
    assert problem(name, (FORMATS / name).read_bytes()) == message


def test_a_byte_not_utf8_in_a_utf8_file_is_read_as_windows_1252_with_a_warning():
    damaged = fixture("invalid-bytes.txt")
    assert damaged.text.startswith("NHS England’s integrated care board ÿþ. The Care Quality Commission’s")
    assert damaged.warnings == (
        "2 bytes not valid UTF-8 replaced (read as Windows-1252; the first, 0xff, at offset 38)",
    )
    pasted = "The Care Quality Commission’s report. ".encode() * 3 + b"\x93NHS England\x94"
    assert extract("a.txt", pasted).text.endswith("report. “NHS England”")
    assert extract("a.txt", pasted).warnings == (
        "2 bytes not valid UTF-8 replaced (read as Windows-1252; the first, 0x93, at offset 120)",
    )


def test_a_cut_utf8_sequence_and_bytes_windows_1252_leaves_undefined_become_u_fffd():
    text = extract("a.txt", "NHS England’s plan. ".encode() * 3 + b"cut \xe2\x80 here \x81.").text
    assert text.endswith("cut \ufffd here \ufffd.")


def test_damaged_utf8_is_still_refused_by_the_strict_decoder():
    with pytest.raises(Unreadable, match=r"not valid UTF-8 \(invalid byte 0xff at offset 38\)"):
        decode_text((FORMATS / "invalid-bytes.txt").read_bytes())


def test_whitespace_only_and_bom_only_files_are_empty():
    assert problem("a.txt", b" \r\n\t") == "empty file"
    assert problem("a.txt", codecs.BOM_UTF8 + b"\r\n") == "empty file"
    assert problem("a.txt", codecs.BOM_UTF16_LE) == "empty file"


def test_bytes_no_sensible_encoding_reads_name_the_first_bad_byte():
    assert (
        problem("a.txt", b"NHS England \x81\x8d\x8f plan")
        == "not text in a known encoding (invalid byte 0x81 at offset 12)"
    )


def test_broken_utf16_names_the_offset():
    lone_surrogate = b"\x3d\xd8"
    assert problem("a.txt", codecs.BOM_UTF16_LE + "NHS".encode("utf-16-le") + lone_surrogate) == (
        "not valid UTF-16 (invalid byte 0x3d at offset 8)"
    )
    assert problem("a.txt", "NHS England".encode("utf-16-le") + lone_surrogate) == (
        "not valid UTF-16 (invalid byte 0x3d at offset 22)"
    )


@pytest.mark.parametrize(
    "data",
    [
        b"NHS\x00England\x00\x00\x01",  # NUL bytes that are not UTF-16
        b"\xff\xfe\xfa not text \x00\x00",  # starts like a UTF-16 byte-order mark
        codecs.BOM_UTF8 + b"NHS\x00\x00\x00\x01",  # NUL is valid UTF-8, but not in a text file
        "NHS\x00England".encode("utf-16"),
    ],
)
def test_nul_bytes_that_are_not_utf16_text_mean_binary(data):
    assert problem("a.txt", data) == "binary file (contains NUL bytes)"


# --- PDF --------------------------------------------------------------------------------------

REPORT_PAGE_STARTS = ["Item 7: Report of the Chief Executive", "Primary care", "Quality and safety"]


def test_pdf_pages_start_where_their_offsets_say():
    report = fixture("report.pdf")
    assert len(report.pages) == 3 and report.pages[0] == 0
    for start, first_line in zip(report.pages, REPORT_PAGE_STARTS):
        assert report.text[start:].startswith(first_line)
    assert all(report.text[start - 2 : start] == "\n\n" for start in report.pages[1:])


def test_pdf_running_header_and_page_numbers_are_removed():
    text = fixture("report.pdf").text
    assert "Board meeting in public" not in text and "Page" not in text and "of 3" not in text
    assert text.endswith("Recommendation: the Board is asked to note this report.")


def test_pdf_line_end_hyphen_is_removed_and_lines_joined_into_paragraphs():
    paragraphs = fixture("report.pdf").text.split("\n\n")
    assert paragraphs[:3] == [
        "Item 7: Report of the Chief Executive",
        (
            "This report updates the Board on the work of the integrated care board since the last meeting. NHS "
            "England has confirmed the operating plan for 2024/25 and the allocation for the integrated care "
            "system, which rises by 2.1% in cash terms."
        ),
        (
            "The Care Quality Commission inspected the urgent and emergency care services of East Suffolk and "
            "North Essex NHS Foundation Trust in January."
        ),
    ]
    assert "Finance" in paragraphs and "£4.2 million" in paragraphs[paragraphs.index("Finance") + 1]


def test_two_column_pdf_reads_each_column_in_turn():
    """pypdf follows the content stream: columns come out in reading order when written column by column."""
    text = fixture("two-column.pdf").text
    left, right = text.index("Integrated care boards took on"), text.index("The Care Quality Commission will")
    assert left < text.index("services to them.") < right < text.index("rather than process.")
    assert "clinical commissioning groups on 1 July 2022. NHS England" in text
    assert not text.rstrip().endswith("1")  # the lone page number at the foot of a one-page PDF


def test_pdf_without_password_to_open_is_read_despite_its_encryption():
    assert fixture("restricted.pdf") == Extracted(
        "Confidential: NHS England letter to the integrated care board. The Care Quality Commission has been informed.",
        (0,),
        metadata_date="D:20261123185254Z",  # the date strings are decrypted too
    )


@pytest.mark.parametrize(
    "name, message",
    [
        ("scanned.pdf", NO_TEXT_LAYER),
        ("encrypted.pdf", "encrypted PDF"),
        ("truncated.pdf", "truncated or damaged PDF (stream has ended unexpectedly)"),  # pypdf's words
    ],
)
def test_bad_pdf_fixtures(name, message):
    assert problem(name, (FORMATS / name).read_bytes()) == message


def test_scanned_pdf_message():
    assert NO_TEXT_LAYER == "no text layer (a scanned PDF?); OCR not attempted"


def test_not_a_pdf_and_empty_pdf():
    assert problem("a.pdf", b"<html>NHS England</html>").startswith("truncated or damaged PDF (")
    assert problem("a.PDF", b"") == "empty file"


@pytest.mark.parametrize(
    "lines, text",
    [
        (["allocation for the integ-", "rated care system"], "allocation for the integrated care system"),
        (["an NHS-", "funded service for all"], "an NHS-funded service for all"),
        (["the Long-", "Term Plan for the NHS"], "the Long-Term Plan for the NHS"),
        (["a fall of 12-", "15 per cent in the waiting list"], "a fall of 12-15 per cent in the waiting list"),
        (["Finance", "The system reports a deficit"], "Finance\n\nThe system reports a deficit"),
        (
            ["The trust met the target set out in the plan.", "• NHS England agreed"],
            "The trust met the target set out in the plan.\n\n• NHS England agreed",
        ),
    ],
)
def test_join_lines(lines, text):
    assert join_lines(lines) == text


def test_running_lines_are_those_on_at_least_half_the_pages_at_the_edges():
    pages = [
        ["NHS England annual report", "Chapter 1", "Text about integrated care boards.", "i"],
        ["NHS England annual report", "More text.", "Page 2 of 4", "ii"],
        ["NHS England annual report", "Left header", "Text naming NHS England annual report", "Page 3 of 4"],
        [],  # a blank page counts for nothing
        ["Odd page", "Last words.", "4"],
    ]
    assert drop_running_lines(pages) == [
        ["Chapter 1", "Text about integrated care boards."],
        ["More text."],
        ["Left header", "Text naming NHS England annual report"],
        [],
        ["Odd page", "Last words."],
    ]


def test_a_line_on_one_page_of_two_is_not_running():
    pages = [["NHS England", "body one"], ["Care Quality Commission", "body two"]]
    assert drop_running_lines(pages) == pages


# --- Word and OpenDocument --------------------------------------------------------------------


def test_docx_paragraphs_and_table_rows_in_body_order():
    assert fixture("report.docx") == Extracted(
        "Integrated care board: quarterly assurance\n\n"
        "NHS England met the integrated care board on 4 March 2024 to review its plans.\n\n"
        "Body | Role | Rating\nCare Quality Commission | Regulator | Good\nHealthwatch Suffolk | Patient voice | n/a\n\n"
        "The Better Care Fund plan was signed off by the health and wellbeing board."
    )


def test_docx_merged_cells_once_and_line_breaks_normalised():
    from docx import Document

    doc = Document()
    doc.add_paragraph("NHS England\nregion")  # a line break inside the paragraph
    table = doc.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "Care Quality Commission ratings"
    for cell, value in zip(table.rows[1].cells, ("Trust", "Good", "")):
        cell.text = value
    doc.add_paragraph("")  # empty paragraphs leave no trace
    buffer = io.BytesIO()
    doc.save(buffer)
    assert extract("m.docx", buffer.getvalue()).text == (
        "NHS England\nregion\n\nCare Quality Commission ratings\nTrust | Good"
    )


def docx_with_body(body: str) -> bytes:
    """python-docx's blank document with this w:body content."""
    from docx import Document

    blank = io.BytesIO()
    Document().save(blank)
    out = io.BytesIO()
    with zipfile.ZipFile(blank) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name in source.namelist():
            if name != "word/document.xml":
                package.writestr(name, source.read(name))
        package.writestr(
            "word/document.xml",
            (
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
                'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
                f"<w:body>{body}<w:sectPr/></w:body></w:document>"
            ),
        )
    return out.getvalue()


def test_docx_text_is_only_what_w_t_holds_in_reading_order():
    body = (
        "<w:p><w:r><w:t>NHS England</w:t></w:r>\n  <w:del><w:r><w:delText>Monitor</w:delText></w:r></w:del>"
        "<w:r><w:tab/><w:t xml:space='preserve'> met </w:t><w:br/></w:r>"
        "<w:r><w:fldChar/><w:instrText>PAGE</w:instrText></w:r>"
        "<w:hyperlink><w:r><w:t>the CQC</w:t></w:r></w:hyperlink><w:ins><w:r><w:t> today</w:t></w:r></w:ins></w:p>"
        "<w:sdt><w:sdtContent><w:p><w:r><w:t>In a content control.</w:t></w:r></w:p></w:sdtContent></w:sdt>"
        "<w:p><w:r><mc:AlternateContent><mc:Choice><w:drawing><w:p><w:r><w:t>box</w:t></w:r></w:p></w:drawing>"
        "</mc:Choice><mc:Fallback><w:pict><w:p><w:r><w:t>box</w:t></w:r></w:p></w:pict></mc:Fallback>"
        "</mc:AlternateContent><w:t>After the text box.</w:t></w:r></w:p>"
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Two</w:t></w:r></w:p><w:p><w:r><w:t>paragraphs</w:t></w:r></w:p></w:tc>"
        "<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>"
    )
    assert extract("a.docx", docx_with_body(body)).text == (
        "NHS England\t met \nthe CQC today\n\nIn a content control.\n\nAfter the text box.\n\nTwo paragraphs"
    )


def test_docx_main_part_named_by_the_package_relationships():
    data = docx_with_body("<w:p><w:r><w:t>NHS England</w:t></w:r></w:p>")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as package:
        for name in source.namelist():
            content = source.read(name)
            if name == "_rels/.rels":
                content = content.replace(b"word/document.xml", b"word/main.xml")
            package.writestr("word/main.xml" if name == "word/document.xml" else name, content)
    assert extract("a.docx", out.getvalue()).text == "NHS England"


def test_docx_that_is_not_xml_is_damaged():
    data = docx_with_body("<w:p><w:r><w:t>NHS England</w:t></w:r></w:p><w:p>")
    assert problem("a.docx", data).startswith("damaged Word document (mismatched tag")


@pytest.mark.parametrize(
    "data, message",
    [
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100),
            "not a Word document (an old .doc or a password-protected file; save it as .docx)",
        ),
        (b"NHS England plan", "not a Word document (not a zip package)"),
    ],
)
def test_not_a_word_document(data, message):
    assert problem("plan.docx", data) == message


def test_zip_that_is_not_a_word_document():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("hello.txt", "NHS England")
    assert problem("plan.docx", buffer.getvalue()).startswith("not a Word document (")
    assert problem("plan.docx", buffer.getvalue()[:30]).startswith("not a Word document (")


def test_odt_headings_paragraphs_tables_and_lists():
    assert fixture("minutes.odt") == Extracted(
        "Minutes of the primary care commissioning committee\n\n"
        "NHS England delegated primary care commissioning to the integrated care board.\n"
        "The committee noted the report.\n\n"
        "Action | Owner\nRespond to the Care Quality Commission | Chief nurse\n\n"
        "Local Medical Committee to be consulted."
    )


def test_not_an_odt():
    assert problem("m.odt", b"NHS England") == "not an OpenDocument text (file is not a zip file)"


# --- HTML -------------------------------------------------------------------------------------

ARTICLE_BLOCKS = [
    "What the new integrated care boards mean for patients",
    (
        "NHS England has published guidance on how integrated care boards should work with local authorities, "
        "the voluntary sector and the Care Quality Commission."
    ),
    "A new duty to collaborate",
    (
        "The Health and Care Act 2022 placed a duty on every integrated care board to work with its partners. "
        "The Nuffield Trust says the duty will matter only if the money follows."
    ),
]


def test_html_main_text_keeps_headings_and_paragraphs_with_blank_lines_between():
    blocks = fixture("article.html").text.split("\n\n")
    assert [b for b in blocks if not b.startswith("By ")] == ARTICLE_BLOCKS


@pytest.mark.parametrize(
    "boilerplate",
    [
        "Subscribe",
        "Log in",
        "Breadcrumb",
        "cookies",
        "Accept all",
        "dataLayer",
        "font-family",
        "Most read",
        "Privacy policy",
        "Registered in England",
        "analytics",
        "NHS News Review",
    ],
)
def test_html_navigation_banners_footers_scripts_and_styles_are_dropped(boilerplate):
    assert boilerplate not in fixture("article.html").text


def test_html_declared_windows_1252_and_crlf():
    page = (
        "<html><head><meta http-equiv='Content-Type' content='text/html; charset=iso-8859-1'></head><body>"
        "<article><h1>The “integrated care board”</h1>\r\n<p>NHS England’s plan costs £4m. " + "The Care Quality "
        "Commission will report on it.\r\nIt will publish its findings in the spring. "
        * 4
        + "</p></article></body></html>"
    ).encode("cp1252")
    text = extract("p.html", page).text
    assert text.startswith("The “integrated care board”\n\nNHS England’s plan costs £4m.") and "\r" not in text


def test_html_fragment_and_htm_suffix():
    text = extract("p.HTM", b"<p>NHS England met the integrated care board and the Care Quality Commission.</p>").text
    assert text == "NHS England met the integrated care board and the Care Quality Commission."


def test_html_lists_and_tables_become_lines():
    page = (
        "<html><body><article><h1>Who does what</h1><p>"
        + "NHS England sets the rules for the system. " * 8
        + "</p><ul><li>Care Quality Commission</li><li>Integrated care boards</li></ul>"
        "<table><tr><td>Monitor</td><td>abolished</td></tr></table></article></body></html>"
    ).encode()
    blocks = extract("p.html", page).text.split("\n\n")
    assert blocks[0] == "Who does what" and "Care Quality Commission\nIntegrated care boards" in blocks
    assert "Monitor | abolished" in blocks


def test_html_over_the_main_text_limit_is_read_whole_from_parser_events(monkeypatch):
    monkeypatch.setattr(formats, "HTML_MAIN_TEXT_LIMIT", 100)
    page = (
        b"<html><head><title>NHS England</title><style>p {color: red}</style></head><body><nav>Home</nav>"
        b"<p>The Care <b>Quality</b> Commission<br>reported.</p><script>var x = '<p>no</p>';</script>"
        b"<ul><li>One</li><li>Two</li></ul></body></html>"
    )
    result = extract("p.html", page)
    assert result.text == "NHS England\n\nHome\n\nThe Care Quality Commission\n\nreported.\n\nOne\n\nTwo"
    assert result.warnings == (
        f"{len(page)} bytes of HTML, more than 100 bytes: all its text read, navigation and footers included",
    )


@pytest.mark.parametrize(
    "data, message",
    [
        (
            b"<html><head><script>var nhs = 'NHS England';</script></head><body></body></html>",
            "no main text found in the page",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (contains NUL bytes)"),
    ],
)
def test_html_without_text(data, message):
    assert problem("p.html", data) == message


# --- every format ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["report.pdf", "two-column.pdf", "report.docx", "minutes.odt", "article.html", "cp1252.txt", "utf16.txt"]
)
def test_every_fixture_names_nhs_bodies_and_has_only_unix_newlines(name):
    text = fixture(name).text
    assert "\r" not in text and "NHS England" in text and ("Care Quality Commission" in text)


def test_a_reader_whose_library_cannot_import_is_that_files_error(monkeypatch):
    def broken(data: bytes, limits: formats.Limits):
        raise ImportError("lxml.html.clean module is now a separate project lxml_html_clean.")

    monkeypatch.setitem(formats._READERS, ".html", broken)
    with pytest.raises(formats.Unreadable, match=r"^cannot read \.html files here: lxml\.html\.clean"):
        formats.extract("page.html", b"<p>NHS England</p>")


@pytest.mark.parametrize("error", [ValueError("bad"), RecursionError("deep"), KeyError("x")])
def test_any_failure_inside_a_reader_is_that_files_error(monkeypatch, error):
    def broken(data: bytes, limits: formats.Limits):
        raise error

    monkeypatch.setitem(formats._READERS, ".odt", broken)
    with pytest.raises(formats.Unreadable, match=rf"could not be read \({type(error).__name__}"):
        formats.extract("report.odt", b"PK")
