"""nhsx report: the page builder (escaping, no external references) and the page in a real browser."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import REPO, run_nhsx
from nhsx.records import Mention
from nhsx.write.html_report import ReportBuilder, render_mentions

HOSTILE = "<script>alert(1)</script>"
EXTERNAL = re.compile(r"""\b(?:src|href)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?//""", re.IGNORECASE)


def mention(doc: str, text: str, start: int, word: str, label: str = "BODY", sentence: int = 0) -> Mention:
    return Mention(doc, start, start + len(word), word, label, word, None, False, sentence, 0, "rule")


class Page(HTMLParser):
    """What a test reads of a page: script tags, entity rows (label, hidden), highlighted mentions' texts."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts, self.rows, self.marks, self.text = 0, [], [], []
        self._in_mark = self._in_tag = self._in_table = False
        self.feed(markup)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        found = dict(attrs)
        if tag == "script":
            self.scripts += 1
        elif tag == "table":
            self._in_table = found.get("id") == "entity-table"
        elif tag == "tr" and self._in_table and "data-label" in found:
            self.rows.append((found["data-label"], "hidden" in found))
        elif tag == "mark":
            self._in_mark = True
            self.marks.append("")
        elif tag == "span" and self._in_mark:
            self._in_tag = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self._in_mark = self._in_tag = False
        elif tag == "table":
            self._in_table = False

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in_mark and not self._in_tag:
            self.marks[-1] += data


def hostile_page() -> str:
    text = f"{HOSTILE} said NHS England & <b>friends</b>, Jane Smith."
    name = '<img src="http://evil.example/x.png">.txt'
    builder = ReportBuilder({}, top=5)
    builder.add_document(
        name,
        text,
        [
            mention(name, text, text.index("NHS England"), "NHS England"),
            mention(name, text, text.index("Jane Smith"), "Jane Smith", "PERSON"),
        ],
        date="2024-01-02",
    )
    return builder.page()


def test_hostile_text_and_names_are_shown_as_text_never_as_tags():
    page = hostile_page()
    parsed = Page(page)
    assert parsed.scripts == 1  # the page's own script only
    assert HOSTILE in "".join(parsed.text)
    assert "<b>friends</b>" in "".join(parsed.text) and "<b>" not in page
    assert "<img" not in page and '<img src="http://evil.example/x.png">.txt' in "".join(parsed.text)
    assert parsed.marks == ["NHS England", "Jane Smith"]
    assert '<th scope="row">2024</th>' in page  # the timeline table of the dated document


def test_without_the_plot_extra_the_page_says_so(monkeypatch):
    import nhsx.write.plot

    def missing(module: str, drawing: str = "networks"):
        raise nhsx.write.plot.MissingExtra(f"drawing {drawing} needs the plot extra: pip install 'nhsx[plot]'")

    monkeypatch.setattr(nhsx.write.plot, "_require", missing)
    page = hostile_page()
    assert "<svg" not in page
    assert "No picture: drawing networks needs the plot extra" in page
    assert "No picture: drawing timelines needs the plot extra" in page


def test_the_page_refers_to_nothing_outside_itself():
    page = hostile_page()
    assert not EXTERNAL.search(page), EXTERNAL.search(page)
    assert "@import" not in page and "url(http" not in page


def test_the_rule_catching_external_references_catches_them():
    assert EXTERNAL.search('<a href="https://example.org">') and EXTERNAL.search("<img src=//cdn.example/x.js>")
    assert not EXTERNAL.search('<a href="#d0-1">')


def test_each_mark_carries_its_label_as_text_and_an_anchor():
    text = "Monitor met NHS Improvement."
    fragment = render_mentions(
        text, [mention("a", text, 0, "Monitor"), mention("a", text, 12, "NHS Improvement")], "d3"
    )
    assert '<mark class="entity" id="d3-0" data-label="BODY">Monitor<span class="tag">BODY</span></mark>' in fragment
    assert 'id="d3-1"' in fragment and fragment.endswith(".")


def test_overlapping_mentions_mark_the_first_only():
    text = "NHS England"
    fragment = render_mentions(text, [mention("a", text, 0, "NHS England"), mention("a", text, 4, "England")], "d0")
    assert Page(fragment).marks == ["NHS England"]


def test_summary_counts_and_entity_links(tmp_path):
    text = "NHS England and NHS England again. Jane Smith."
    builder = ReportBuilder({}, top=5)
    mentions = [
        mention("a.txt", text, 0, "NHS England"),
        mention("a.txt", text, 16, "NHS England"),
        mention("a.txt", text, 35, "Jane Smith", "PERSON", sentence=1),
    ]
    builder.add_document("a.txt", text, mentions)
    builder.add_document("b.txt", "Nothing here.", [])
    page = builder.page()
    assert re.search(r"<th scope=\"row\">Documents</th><td>2</td>", page)
    assert re.search(r"<th scope=\"row\">BODY mentions</th><td>2</td>", page)
    assert '<a href="#d0-0">NHS England</a>' in page and '<a href="#d0-2">Jane Smith</a>' in page
    assert "No document has a known date" in page
    assert [label for label, _ in Page(page).rows] == ["BODY", "PERSON"]


def test_cli_writes_the_report_and_refuses_an_output_among_the_inputs(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(f"{HOSTILE} NHS England wrote to the Care Quality Commission.\n", "utf-8")
    out = tmp_path / "report.html"
    result = run_nhsx("report", str(folder), "-o", str(out))
    assert result.returncode == 0, result.stderr
    page = out.read_text("utf-8")
    assert Page(page).marks[:2] == ["NHS England", "Care Quality Commission"]
    assert HOSTILE not in page and not EXTERNAL.search(page)
    bad = run_nhsx("report", str(folder), "-o", str(folder / "report.txt"))
    assert bad.returncode == 2 and b"input folder" in bad.stderr and not (folder / "report.txt").exists()


# --- in a real browser ------------------------------------------------------------------------------


def browser() -> str:
    """Debian's chromium; missing, the browser tests skip, except under CI=true, where they fail."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("chromium is not installed (CI=true: the browser tests must run)")
    pytest.skip("chromium is not installed")


def headless(url: str, profile: Path, *extra: str) -> subprocess.CompletedProcess:
    command = [
        browser(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        *extra,
        url,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=180)


@pytest.fixture(scope="module")
def seeds_report(tmp_path_factory) -> tuple[Path, list[str]]:
    """The report of the repository's seeds/, and the texts of the mentions extract finds there."""
    out = tmp_path_factory.mktemp("report") / "report.html"
    result = run_nhsx("report", str(REPO / "seeds"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    records = run_nhsx("extract", "--mentions", "-f", "jsonl", str(REPO / "seeds"))
    assert records.returncode == 0, records.stderr
    return out, [json.loads(line)["text"] for line in records.stdout.splitlines()]


def test_the_page_renders_in_a_browser_with_every_mention_highlighted(seeds_report, tmp_path):
    out, texts = seeds_report
    result = headless(out.as_uri(), tmp_path / "profile", "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    page = Page(result.stdout)
    assert len(page.rows) > 20 and not any(hidden for _, hidden in page.rows)
    assert page.marks == texts
    assert re.search(r"\d+ of \d+ entities shown", result.stdout)  # the script ran


def test_the_label_filter_is_read_from_the_address(seeds_report, tmp_path):
    out, _ = seeds_report
    result = headless(out.as_uri() + "#label=PERSON", tmp_path / "profile", "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    rows = Page(result.stdout).rows
    shown = {label for label, hidden in rows if not hidden}
    assert shown == {"PERSON"} and any(hidden for _, hidden in rows)
    narrowed = headless(out.as_uri() + "#label=BODY,PERSON&q=nhs%20england", tmp_path / "profile2", "--dump-dom")
    visible = [label for label, hidden in Page(narrowed.stdout).rows if not hidden]
    assert visible and set(visible) == {"BODY"} and len(visible) < sum(label == "BODY" for label, _ in rows)


def test_a_screenshot_is_drawn(seeds_report, tmp_path):
    out, _ = seeds_report
    picture = tmp_path / "shot.png"
    result = headless(out.as_uri(), tmp_path / "profile", f"--screenshot={picture}", "--window-size=1280,2000")
    assert result.returncode == 0, result.stderr[-2000:]
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and picture.stat().st_size > 20_000
