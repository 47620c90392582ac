"""Make the reader's format fixtures in this folder (run once; the files are committed).

    pip install fpdf2 python-docx cryptography    # fpdf2 brings Pillow; cryptography for the AES fixture
    python tests/data/formats/make_fixtures.py            # writes the fixtures next to this script
    python tests/data/formats/make_fixtures.py --long 100 /tmp/long.pdf   # a 100-page report, for timing

Every fixture holds NHS entities (NHS England, integrated care boards, the Care Quality Commission...)
so that extraction can be tested end to end. The PDFs use the core Helvetica font (Latin-1 only).
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

HEADER = "NHS Suffolk and North East Essex ICB - Board meeting in public, 12 March 2024"
# One line per PDF line, so that line breaks (and the hyphenated "integ-" / "rated") are where we put them.
REPORT_PAGES = [
    [
        "Item 7: Report of the Chief Executive",
        "",
        "This report updates the Board on the work of the integrated care board since the",
        "last meeting. NHS England has confirmed the operating plan for 2024/25 and the",
        "allocation for the integ-",
        "rated care system, which rises by 2.1% in cash terms.",
        "",
        "The Care Quality Commission inspected the urgent and emergency care services of",
        "East Suffolk and North Essex NHS Foundation Trust in January.",
    ],
    [
        "Primary care",
        "",
        "Primary care networks have recruited 212 staff through the Additional Roles",
        "Reimbursement Scheme. The Board is asked to note the plan for general practice",
        "access agreed with the Local Medical Committee and with Healthwatch Suffolk.",
        "",
        "Finance",
        "",
        "The system reports a deficit of \u00a34.2 million at month 10, against a break-even",
        "plan agreed with NHS England.",
    ],
    [
        "Quality and safety",
        "",
        "The Care Quality Commission has rated the mental health services of Norfolk and",
        "Suffolk NHS Foundation Trust as requires improvement. The chief nurse of the",
        "integrated care board will report on the recovery plan in May.",
        "",
        "Recommendation: the Board is asked to note this report.",
    ],
]

LEFT_COLUMN = [
    "Integrated care boards took on",
    "the duties of clinical commissioning",
    "groups on 1 July 2022. NHS England",
    "now delegates the commissioning of",
    "pharmacy, optometry and dental",
    "services to them.",
]
RIGHT_COLUMN = [
    "The Care Quality Commission will",
    "assess each integrated care system",
    "against a single framework. The",
    "King's Fund argues that the new",
    "assessments must look at outcomes",
    "rather than process.",
]

ARTICLE = [
    ("h1", "What the new integrated care boards mean for patients"),
    (
        "p",
        (
            "NHS England has published guidance on how integrated care boards should work with local "
            "authorities, the voluntary sector and the Care Quality Commission."
        ),
    ),
    ("h2", "A new duty to collaborate"),
    (
        "p",
        (
            "The Health and Care Act 2022 placed a duty on every integrated care board to work with its "
            "partners. The Nuffield Trust says the duty will matter only if the money follows."
        ),
    ),
]

NAVIGATION = """
<header class="site-header">
  <a class="logo" href="/">NHS News Review</a>
  <nav class="main-nav" aria-label="Main">
    <ul>
      <li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/opinion">Opinion</a></li>
      <li><a href="/topics/nhs-england">NHS England</a></li><li><a href="/topics/icbs">Integrated care boards</a></li>
      <li><a href="/topics/cqc">Care Quality Commission</a></li><li><a href="/topics/workforce">Workforce</a></li>
      <li><a href="/subscribe">Subscribe</a></li><li><a href="/login">Log in</a></li>
    </ul>
  </nav>
  <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/">Home</a> &gt; <a href="/news">News</a> &gt; Policy</nav>
</header>
<div id="cookie-banner" class="cookie-consent" role="dialog">
  <p>We use cookies to improve your experience on NHS News Review. Cookies set by NHS England widgets
  help us measure traffic.</p><button>Accept all cookies</button> <button>Reject non-essential cookies</button>
</div>
"""

FOOTER = """
<aside class="sidebar"><h3>Most read</h3><ul>
  <li><a href="/a1">Monitor and NHS Improvement: a short history</a></li>
  <li><a href="/a2">Ten things every ICB chair should know</a></li>
  <li><a href="/a3">Sign up to our newsletter</a></li></ul></aside>
<footer class="site-footer">
  <ul><li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li>
  <li><a href="/privacy">Privacy policy</a></li><li><a href="/cookies">Cookie settings</a></li></ul>
  <p>&copy; 2024 NHS News Review Ltd. Registered in England and Wales.</p>
</footer>
"""


def _pdf(**kwargs):
    from fpdf import FPDF

    pdf = FPDF(format="A4", **kwargs)
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=11)
    pdf.set_creator("nhsx make_fixtures.py")
    return pdf


def _lines(pdf, lines: list[str], x: float, y: float, height: float = 6) -> None:
    for line in lines:
        pdf.text(x, y, line)
        y += height


def report_pdf(pages: list[list[str]] = REPORT_PAGES) -> bytes:
    """Pages with a running header, a "Page N of M" footer and body lines placed one by one."""
    pdf = _pdf()
    for number, lines in enumerate(pages, 1):
        pdf.add_page()
        pdf.set_font("Helvetica", size=8)
        pdf.text(20, 12, HEADER)
        pdf.set_font("Helvetica", size=11)
        _lines(pdf, lines, 20, 30)
        pdf.set_font("Helvetica", size=8)
        pdf.text(95, 287, f"Page {number} of {len(pages)}")
    return bytes(pdf.output())


def two_column_pdf() -> bytes:
    """A briefing in two columns, each written top to bottom (as Word, InDesign and LaTeX write them)."""
    pdf = _pdf()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.text(20, 20, "Briefing: integrated care in 2024")
    pdf.set_font("Helvetica", size=10)
    _lines(pdf, LEFT_COLUMN, 20, 35, 5)
    _lines(pdf, RIGHT_COLUMN, 110, 35, 5)
    pdf.set_font("Helvetica", size=8)
    pdf.text(103, 287, "1")
    return bytes(pdf.output())


def scanned_pdf() -> bytes:
    """A page that is only a picture of text (what a scanner produces): no text layer."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (620, 160), 255)
    draw = ImageDraw.Draw(image)
    draw.text((20, 30), "NHS England letter to integrated care boards", fill=0)
    draw.text((20, 60), "The Care Quality Commission will inspect in May.", fill=0)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    pdf = _pdf()
    pdf.add_page()
    pdf.image(buffer, x=20, y=20, w=170)
    return bytes(pdf.output())


def encrypted_pdf(user_password: str, method: str) -> bytes:
    from fpdf.enums import EncryptionMethod

    pdf = _pdf()
    pdf.set_encryption(
        owner_password="board-secretary",
        user_password=user_password,
        encryption_method=getattr(EncryptionMethod, method),
    )
    pdf.add_page()
    pdf.text(20, 30, "Confidential: NHS England letter to the integrated care board.")
    pdf.text(20, 40, "The Care Quality Commission has been informed.")
    return bytes(pdf.output())


def long_pdf(pages: int) -> bytes:
    """A report of ``pages`` pages of realistic text (the project's seeds/ re-set in lines of 90 characters)."""
    import textwrap

    seeds = Path(__file__).resolve().parents[3] / "seeds"
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.*")))
    text = text.translate(
        str.maketrans(
            {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u2026": "..."}
        )
    )
    text = text.encode("latin-1", "replace").decode("latin-1")
    lines = [line for para in text.split("\n\n") for line in textwrap.wrap(para, 90) + [""]]
    per_page = 44
    while len(lines) < pages * per_page:
        lines += lines
    return report_pdf([lines[i * per_page : (i + 1) * per_page] for i in range(pages)])


def report_docx() -> bytes:
    from docx import Document

    doc = Document()
    doc.add_heading("Integrated care board: quarterly assurance", level=1)
    doc.add_paragraph("NHS England met the integrated care board on 4 March 2024 to review its plans.")
    table = doc.add_table(rows=3, cols=3)
    rows = [
        ("Body", "Role", "Rating"),
        ("Care Quality Commission", "Regulator", "Good"),
        ("Healthwatch Suffolk", "Patient voice", "n/a"),
    ]
    for row, values in zip(table.rows, rows):
        for cell, value in zip(row.cells, values):
            cell.text = value
    doc.add_paragraph("The Better Care Fund plan was signed off by the health and wellbeing board.")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


ODT_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.2">
<office:body><office:text>
<text:h text:outline-level="1">Minutes of the primary care commissioning committee</text:h>
<text:p>NHS England<text:s/>delegated primary care commissioning to the integrated care board.<text:line-break/>The committee noted the report.</text:p>
<table:table table:name="Actions"><table:table-row><table:table-cell><text:p>Action</text:p></table:table-cell><table:table-cell><text:p>Owner</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell><text:p>Respond to the Care Quality Commission</text:p></table:table-cell><table:table-cell><text:p>Chief nurse</text:p></table:table-cell></table:table-row></table:table>
<text:list><text:list-item><text:p>Local Medical Committee to be consulted.</text:p></text:list-item></text:list>
</office:text></office:body></office:document-content>
"""


def report_odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as odt:
        odt.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        odt.writestr("content.xml", ODT_CONTENT, compress_type=zipfile.ZIP_DEFLATED)
        odt.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type='
            '"application/vnd.oasis.opendocument.text"/></manifest:manifest>',
        )
    return buffer.getvalue()


def article_html() -> bytes:
    body = "\n".join(f"<{tag}>{text}</{tag}>" for tag, text in ARTICLE)
    page = f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>What the new ICBs mean | NHS News Review</title>
<style>body {{ font-family: sans-serif }} .cookie-consent {{ position: fixed }} /* NHS England blue */</style>
<script>window.dataLayer = []; function track() {{ dataLayer.push("Care Quality Commission"); }}</script>
</head><body>{NAVIGATION}
<main><article>
<p class="byline">By Dave West, 14 March 2024</p>
{body}
<script>track();</script>
</article></main>{FOOTER}
<script src="/static/analytics.js"></script></body></html>
"""
    return page.encode("utf-8")


TEXT = (
    "NHS England and the integrated care board agreed \u00a312 million for the Care Quality Commission\u2019s review."
)
QUOTED = (
    "The \u201cintegrated care board\u201d will pay \u00a34.2m, says NHS England\u2019s "
    "\u2018Long Term Plan\u2019 team; the Care Quality Commission agrees.\r\n"
)


def write_all(folder: Path = HERE) -> None:
    files = {
        "report.pdf": report_pdf(),
        "two-column.pdf": two_column_pdf(),
        "scanned.pdf": scanned_pdf(),
        "encrypted.pdf": encrypted_pdf("patient-data", "RC4"),
        "restricted.pdf": encrypted_pdf("", "AES_128"),  # no password to open, copying "forbidden"
        "report.docx": report_docx(),
        "minutes.odt": report_odt(),
        "article.html": article_html(),
        "utf8-bom.txt": b"\xef\xbb\xbf" + TEXT.encode("utf-8") + b"\r\n",
        "utf16.txt": (TEXT + "\r\n").encode("utf-16"),  # with its byte-order mark
        "cp1252.txt": QUOTED.encode("cp1252"),
        "latin1.txt": "Le r\u00f4le de NHS England et de la Care Quality Commission co\u00fbte \u00a35 \u00e0 "
        "l'int\u00e9grated care board, selon le minist\u00e8re.\n".encode("latin-1"),
        "invalid-bytes.txt": "NHS England\u2019s integrated care board".encode("utf-8")
        + b" \xff\xfe. The Care "
        + "Quality Commission\u2019s report.\n".encode("utf-8"),
        "binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)),
        "empty.txt": b"",
    }
    files["truncated.pdf"] = files["report.pdf"][: len(files["report.pdf"]) // 2]
    for name, data in files.items():
        (folder / name).write_bytes(data)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--long"]:
        Path(sys.argv[3]).write_bytes(long_pdf(int(sys.argv[2])))
    else:
        write_all()
