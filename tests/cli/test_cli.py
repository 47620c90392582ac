"""The command line, run as an analyst runs it: real subprocesses over real files."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import subprocess
import sys

import pytest

from conftest import REPO, run_nhsx


@pytest.fixture(scope="module")
def seeds_json():
    result = run_nhsx("extract", "seeds", "-f", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_entity_table_json_is_sorted_and_canonical(seeds_json):
    mentions = [row["mentions"] for row in seeds_json]
    assert mentions == sorted(mentions, reverse=True)
    names = {row["canonical"] for row in seeds_json}
    assert {"NHS England", "Integrated Care Board", "NHS Long Term Plan", "Simon Stevens"} <= names
    nhse = next(r for r in seeds_json if r["canonical"] == "NHS England")
    assert nhse["id"] == "body:nhs-england" and nhse["documents"] >= 3 and "NHS Commissioning Board" in nhse["forms"]


def test_mentions_jsonl_offsets_point_into_the_files():
    result = run_nhsx("extract", "seeds", "--mentions", "-f", "jsonl")
    rows = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert rows and set(rows[0]) == {
        "doc",
        "start",
        "end",
        "text",
        "label",
        "canonical",
        "id",
        "acronym",
        "sentence",
        "paragraph",
        "source",
        "successor",
        "mapped_from",
        "page",
    }
    for row in rows:
        text = (REPO / "seeds" / row["doc"]).read_text(encoding="utf-8")
        assert text[row["start"] : row["end"]] == row["text"]


def test_label_filter_and_csv():
    result = run_nhsx("extract", "seeds", "--mentions", "-f", "csv", "--label", "person")
    rows = list(csv.DictReader(io.StringIO(result.stdout.decode())))
    assert rows and {r["label"] for r in rows} == {"PERSON"}


def test_table_is_the_default(tmp_path):
    result = run_nhsx("extract", "seeds/07-regulation.txt")
    out = result.stdout.decode()
    assert result.returncode == 0 and "Care Quality Commission" in out and "mentions" in out


def test_stdin_is_named_dash():
    result = run_nhsx("extract", "-", "--mentions", "-f", "json", stdin=b"The CQC inspected the trust.")
    assert json.loads(result.stdout) == [
        {
            "doc": "-",
            "start": 4,
            "end": 7,
            "text": "CQC",
            "label": "BODY",
            "canonical": "Care Quality Commission",
            "id": "body:care-quality-commission",
            "acronym": True,
            "sentence": 0,
            "paragraph": 0,
            "source": "gazetteer",
            "successor": None,
            "mapped_from": None,
            "page": None,
        }
    ]


def test_folder_names_are_relative_and_bad_files_do_not_stop_the_run(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "good.txt").write_text("NHS England wrote to every ICB.", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\xfa not text \x00\x00")
    (tmp_path / "empty.md").write_bytes(b"")
    (tmp_path / "ignored.csv").write_text("NHS England", encoding="utf-8")
    result = run_nhsx("extract", str(tmp_path), "--mentions", "-f", "json")
    assert result.returncode == 1
    assert {r["doc"] for r in json.loads(result.stdout)} == {"sub/good.txt"}
    errors = result.stderr.decode().strip().splitlines()
    assert errors == ["bad.txt: binary file (contains NUL bytes)", "empty.md: empty file"]


def test_output_file_is_written_whole(tmp_path):
    target = tmp_path / "out.json"
    result = run_nhsx("extract", "seeds", "-f", "json", "-o", str(target))
    assert result.returncode == 0 and result.stdout == b""
    assert json.loads(target.read_text(encoding="utf-8"))
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_closed_pipe_ends_quietly():
    result = subprocess.run(
        f"{sys.executable} -m nhsx extract seeds --mentions -f jsonl | head -1",
        shell=True,
        capture_output=True,
        cwd=REPO,
    )
    assert len(result.stdout.decode().splitlines()) == 1
    assert b"Traceback" not in result.stderr and b"BrokenPipe" not in result.stderr


def test_usage_errors_exit_2():
    assert run_nhsx("extract").returncode == 2
    assert run_nhsx("extract", "seeds", "-f", "xml").returncode == 2


def test_missing_input_exits_1_with_one_line():
    result = run_nhsx("extract", "no/such/file.txt", "-f", "json")
    assert result.returncode == 1
    assert result.stderr.decode().strip() == "no/such/file.txt: no such file or directory"
    assert json.loads(result.stdout) == []


def test_help_does_not_import_spacy():
    script = "import sys\nfrom nhsx.cli import cli\ntry:\n    cli(['--help'])\nexcept SystemExit:\n    pass\nprint('spacy' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip().endswith("False")


def test_user_gazetteer_extends_and_overrides(tmp_path):
    extra = tmp_path / "local.yaml"
    extra.write_text(
        "label: BODY\nentries:\n"
        "  - id: body:nhs-england\n    canonical: NHS England (override)\n    acronyms: [NHSE]\n"
        "  - id: body:brightwater-health\n    canonical: Brightwater Health\n    kind: charity\n",
        encoding="utf-8",
    )
    result = run_nhsx(
        "extract",
        "-",
        "--mentions",
        "-f",
        "json",
        "--gazetteer",
        str(extra),
        stdin=b"NHSE funds Brightwater Health.",
    )
    assert [(r["text"], r["canonical"]) for r in json.loads(result.stdout)] == [
        ("NHSE", "NHS England (override)"),
        ("Brightwater Health", "Brightwater Health"),
    ]


def test_broken_user_gazetteer_is_reported_and_the_run_goes_on(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("entries:\n  - id: body:x\n    label: BODY\n", encoding="utf-8")
    result = run_nhsx("extract", "-", "-f", "json", "--gazetteer", str(bad), stdin=b"The CQC visited.")
    assert result.returncode == 1
    assert result.stderr.decode().strip() == f"{bad}:2: missing field 'canonical'"
    assert json.loads(result.stdout)[0]["canonical"] == "Care Quality Commission"


def test_gazetteer_validate_builtins_passes():
    result = run_nhsx("gazetteer", "validate")
    assert result.returncode == 0, result.stderr.decode()


def test_gazetteer_validate_reports_file_and_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "label: POLICY\nentries:\n  - id: policy:a\n    canonical: A Plan\n    valid_from: 2019-13-45x\n"
        "  - id: policy:a\n    canonical: Another\n",
        encoding="utf-8",
    )
    result = run_nhsx("gazetteer", "validate", str(bad))
    lines = result.stderr.decode().splitlines()
    assert result.returncode == 1
    assert f"{bad}:3: bad date '2019-13-45x' in 'valid_from' (use YYYY or YYYY-MM-DD)" in lines


def test_gazetteer_list_jsonl_is_one_entry_a_line_and_json_one_array():
    lines = run_nhsx("gazetteer", "list", "--label", "TERM", "-f", "jsonl").stdout.decode().splitlines()
    array = json.loads(run_nhsx("gazetteer", "list", "--label", "TERM", "-f", "json").stdout)
    assert isinstance(array, list) and len(array) > 1000
    assert [json.loads(line) for line in lines] == array


def test_gazetteer_list_json_has_every_field():
    result = run_nhsx("gazetteer", "list", "--label", "PERSON", "-f", "json")
    rows = json.loads(result.stdout)
    assert len(rows) >= 80 and all(r["label"] == "PERSON" for r in rows)
    stevens = next(r for r in rows if r["id"] == "person:simon-stevens")
    assert {"role": "chief executive of NHS England", "org": None, "from": "2014", "to": "2021"} in [
        {**role, "org": None} for role in stevens["roles"]
    ]


def test_evaluate_json_on_the_seed_gold():
    result = run_nhsx("evaluate", "--gold", "tests/data/seeds.gold.jsonl", "seeds", "-f", "json")
    report = json.loads(result.stdout)
    assert set(report["strict"]) == {"BODY", "ORG_TYPE", "POLICY", "PERSON", "overall"}
    assert report["strict"]["overall"]["f1"] > 0.8


def test_import_ods_cli_reproduces_the_committed_icb_file(shared_dir, tmp_path):
    from nhsx.knowledge.ods import REFRESH

    (item,) = [r for r in REFRESH if r.what == "icbs"]
    target = tmp_path / "icbs.yaml"
    files = [str(shared_dir / "reference" / "ods" / f) for f in item.files]
    result = run_nhsx("gazetteer", "import-ods", *files, "--what", "icbs", "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8") == (REPO / item.output).read_text(encoding="utf-8")


def test_import_ods_rejects_a_file_that_is_not_an_extract(tmp_path):
    bogus = tmp_path / "notes.csv"
    bogus.write_text("a,b\n1,2\n", encoding="utf-8")
    result = run_nhsx("gazetteer", "import-ods", str(bogus), "-o", str(tmp_path / "out.yaml"))
    assert result.returncode == 1
    assert "not a recognised ODS extract" in result.stderr.decode()
    assert not (tmp_path / "out.yaml").exists()


def test_cli_ods_choices_match_the_importer():
    from nhsx.cli import ODS_WHAT
    from nhsx.knowledge.ods import WHAT

    assert ODS_WHAT == WHAT


def test_glossary_json_and_filters(tmp_path):
    doc = tmp_path / "note.txt"
    doc.write_text(
        "Funds go to integrated care boards (ICBs). The ICB and the QZX met. NHS England agreed.", encoding="utf-8"
    )
    entries = json.loads(run_nhsx("glossary", str(doc), "-f", "json").stdout)
    assert {e["acronym"]: (e["expansion"], e["source"], e["count"]) for e in entries} == {
        "ICB": ("integrated care board", "text", 2),
        "NHS": ("National Health Service", "gazetteer", 1),
        "QZX": (None, "unknown", 1),
    }
    unknown = json.loads(run_nhsx("glossary", str(doc), "-f", "json", "--source", "unknown").stdout)
    assert [e["acronym"] for e in unknown] == ["QZX"]
    assert json.loads(run_nhsx("glossary", str(doc), "-f", "json", "--min-count", "2").stdout)[0]["acronym"] == "ICB"


def test_glossary_markdown_csv_and_yaml_round_trip(tmp_path):
    markdown = run_nhsx("glossary", "seeds", "-f", "markdown").stdout.decode()
    assert markdown.startswith("| Acronym | Meaning |") and "| ICB | integrated care board |" in markdown
    rows = list(csv.DictReader(io.StringIO(run_nhsx("glossary", "seeds", "--per-doc", "-f", "csv").stdout.decode())))
    assert {"doc", "acronym", "expansion", "first_doc", "first_offset"} <= set(rows[0])
    target = tmp_path / "glossary.yaml"
    assert run_nhsx("glossary", "seeds", "-f", "yaml", "-o", str(target)).returncode == 0
    assert run_nhsx("gazetteer", "validate", str(target)).returncode == 0


def test_cooccur_from_saved_mentions_equals_reading_the_documents(tmp_path):
    saved = tmp_path / "mentions.jsonl"
    saved.write_bytes(run_nhsx("extract", "seeds", "--mentions", "-f", "jsonl").stdout)
    for window in ("sentence", "paragraph", "document"):
        direct = run_nhsx("cooccur", "seeds", "--window", window, "-f", "json")
        replayed = run_nhsx("cooccur", "--from-mentions", str(saved), "--window", window, "-f", "json")
        assert direct.returncode == replayed.returncode == 0
        assert json.loads(direct.stdout) == json.loads(replayed.stdout) != []


def test_cooccur_counts_on_a_small_document(tmp_path):
    doc = tmp_path / "d.txt"
    doc.write_text(
        "NHS England met the CQC. NHS England and the CQC and NHS England agreed.\n\nThe CQC alone.", encoding="utf-8"
    )
    (row,) = json.loads(run_nhsx("cooccur", str(doc), "-f", "json").stdout)
    assert (row["a"], row["b"], row["count"], row["a_count"], row["b_count"], row["docs"]) == (
        "Care Quality Commission",
        "NHS England",
        2,
        3,
        2,
        1,
    )


def test_cooccur_graph_opens_in_networkx(tmp_path):
    import networkx as nx

    target = tmp_path / "net.graphml"
    assert run_nhsx("cooccur", "seeds", "-f", "graphml", "-o", str(target), "--min-count", "2").returncode == 0
    graph = nx.read_graphml(target)
    assert graph.number_of_edges() > 0 and all(d["weight"] >= 2 for _, _, d in graph.edges(data=True))


def test_cooccur_needs_documents_or_saved_mentions_and_bad_lines_are_reported(tmp_path):
    assert run_nhsx("cooccur").returncode == 2
    assert run_nhsx("cooccur", "seeds", "--pair", "BODY-POLICY").returncode == 2
    saved = tmp_path / "m.jsonl"
    saved.write_text('{"doc": "a", "label": "BODY"\nnot json\n', encoding="utf-8")
    result = run_nhsx("cooccur", "--from-mentions", str(saved), "-f", "json")
    assert result.returncode == 1 and len(result.stderr.decode().splitlines()) == 2


def test_cooccur_plot_writes_a_picture(tmp_path):
    pytest.importorskip("matplotlib")
    target = tmp_path / "network.png"
    result = run_nhsx("cooccur", "seeds", "--plot", str(target), "--top", "10", "-f", "csv")
    assert result.returncode == 0, result.stderr
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    bad = run_nhsx("cooccur", "seeds", "--plot", str(tmp_path / "network.gif"))
    assert bad.returncode == 1 and ".png" in bad.stderr.decode() and "Traceback" not in bad.stderr.decode()


def test_strict_stops_at_the_first_bad_file(tmp_path):
    (tmp_path / "a-bad.txt").write_bytes(b"x\x00y")
    (tmp_path / "b-good.txt").write_text("NHS England met.", encoding="utf-8")
    result = run_nhsx("extract", str(tmp_path), "--strict", "-f", "json", "-o", str(tmp_path / "out.json"))
    assert result.returncode == 1 and "a-bad.txt" in result.stderr.decode() and "--strict" in result.stderr.decode()
    assert not (tmp_path / "out.json").exists()  # nothing half-written


def test_save_text_writes_what_was_analysed(tmp_path):
    out = tmp_path / "text"
    result = run_nhsx("extract", "seeds", "--mentions", "-f", "json", "--save-text", str(out))
    rows = json.loads(result.stdout)
    for row in rows[:50]:
        saved = (out / row["doc"]).read_text(encoding="utf-8")
        assert saved[row["start"] : row["end"]] == row["text"]


def test_a_mixed_folder_of_good_and_bad_files(tmp_path):
    """Real documents of every format next to bad ones: every good file's mentions, one line per bad file."""
    import shutil

    from conftest import REPO as repo

    folder = tmp_path / "mixed"
    shutil.copytree(repo / "tests" / "data" / "formats", folder, ignore=shutil.ignore_patterns("*.py"))
    (folder / "loop").symlink_to(folder)
    big = folder / "big.txt"
    big.write_text("NHS England. " * 200_000, encoding="utf-8")  # 2.6 MB, over --max-size 1
    result = run_nhsx("extract", str(folder), "--mentions", "-f", "jsonl", "--max-size", "1")
    errors = result.stderr.decode().strip().splitlines()
    assert result.returncode == 1 and "Traceback" not in result.stderr.decode()
    bad = {
        "binary.txt",
        "empty.txt",
        "encrypted.pdf",
        "invalid-bytes.txt",
        "scanned.pdf",
        "truncated.pdf",
        "big.txt",
        "loop",
    }
    assert sorted(line.split(":")[0] for line in errors) == sorted(bad)
    assert "no text layer" in next(e for e in errors if e.startswith("scanned.pdf"))
    docs = {json.loads(line)["doc"] for line in result.stdout.decode().splitlines()}
    good = {p.name for p in folder.iterdir() if p.is_file() and p.name not in bad and not p.name.endswith(".csv")}
    assert good and docs == good | {"invalid-bytes.txt"}  # its line is a warning: read with one byte replaced
    pages = {
        json.loads(line)["page"]
        for line in result.stdout.decode().splitlines()
        if json.loads(line)["doc"] == "report.pdf"
    }
    assert pages == {1, 2, 3}


def test_an_html_reader_that_cannot_import_fails_only_its_file(tmp_path):
    """A broken optional library (here trafilatura) is one file's error; the folder's other files are written."""
    shadow = tmp_path / "shadow"
    shadow.mkdir()
    (shadow / "trafilatura.py").write_text("raise ImportError('lxml.html.clean module is now a separate project')\n")
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("NHS England met the Care Quality Commission.\n", encoding="utf-8")
    (folder / "b.html").write_text("<html><body><p>NHS Providers wrote to ICBs.</p></body></html>", encoding="utf-8")
    target = tmp_path / "out.jsonl"
    env = {"PYTHONPATH": os.pathsep.join([str(shadow), os.environ.get("PYTHONPATH", "")])}
    result = run_nhsx("extract", str(folder), "--mentions", "-f", "jsonl", "-o", str(target), env=env)
    assert result.returncode == 1
    assert result.stderr.decode().splitlines() == [
        "b.html: cannot read .html files here: lxml.html.clean module is now a separate project"
    ]
    rows = [json.loads(line) for line in target.read_text("utf-8").splitlines()]
    assert {r["canonical"] for r in rows} == {"NHS England", "Care Quality Commission"}


def test_a_folder_with_no_documents_says_so_and_exits_1(tmp_path):
    (tmp_path / "notes.csv").write_text("a,b\n", encoding="utf-8")
    result = run_nhsx("extract", str(tmp_path), "-f", "json")
    assert result.returncode == 1
    assert result.stderr.decode().strip() == (
        f"no documents matched in {tmp_path} (looked for *.txt *.md *.pdf *.docx *.html *.htm *.odt)"
    )
    assert json.loads(result.stdout) == []


@pytest.mark.parametrize(
    ("name", "first_line"),
    [
        ("entities.csv", "canonical,label,mentions,documents,forms,id"),
        ("entities.json", "["),
    ],
)
def test_o_without_f_takes_the_format_from_the_suffix(tmp_path, name, first_line):
    target = tmp_path / name
    assert run_nhsx("extract", "seeds/07-regulation.txt", "-o", str(target)).returncode == 0
    assert target.read_text("utf-8").splitlines()[0] == first_line


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-f", "json", "-o", "x.csv"), "the suffix says csv but -f says json"),
        (("-o", "x.graphml"), "this command does not write graphml"),
    ],
)
def test_a_suffix_that_disagrees_with_f_is_a_usage_error(tmp_path, args, message):
    args = tuple(str(tmp_path / a) if a.startswith("x.") else a for a in args)
    result = run_nhsx("extract", "seeds/07-regulation.txt", *args)
    assert result.returncode == 2 and message in result.stderr.decode()
    assert list(tmp_path.iterdir()) == []


def test_cooccur_plot_alone_draws_without_printing_the_table(tmp_path):
    pytest.importorskip("matplotlib")
    picture = tmp_path / "net.png"
    result = run_nhsx("cooccur", "seeds", "--plot", str(picture))
    assert result.returncode == 0 and result.stdout == b""
    assert picture.read_bytes().startswith(b"\x89PNG")


def test_a_terminal_gets_a_progress_bar_of_documents_done_of_the_total():
    """stderr on a pseudo-terminal: the bar counts the seven seed documents; standard output stays clean."""
    import pty

    main, secondary = pty.openpty()
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "100"}
    result = subprocess.run(
        [sys.executable, "-m", "nhsx", "extract", "seeds", "-f", "json", "--workers", "1"],
        stdout=subprocess.PIPE,
        stderr=secondary,
        cwd=REPO,
        env=env,
        timeout=300,
    )
    os.close(secondary)
    shown = b""
    with contextlib.suppress(OSError):
        while chunk := os.read(main, 65536):
            shown += chunk
    os.close(main)
    assert result.returncode == 0 and json.loads(result.stdout)
    assert b"/7" in shown and b"documents" in shown


def test_refresh_ods_rebuilds_the_committed_files_from_the_reference_extracts(shared_dir, tmp_path):
    result = run_nhsx("gazetteer", "refresh-ods", str(shared_dir / "reference" / "ods"), "--root", str(tmp_path))
    assert result.returncode == 0, result.stderr
    rebuilt = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.yaml"))
    assert [str(p) for p in rebuilt] == [
        "gazetteers/ods/ccgs.yaml",
        "gazetteers/ods/icbs.yaml",
        "gazetteers/ods/pcns.yaml",
        "gazetteers/ods/trusts.yaml",
    ]
    for path in rebuilt:
        assert (tmp_path / path).read_bytes() == (REPO / path).read_bytes(), path


def test_refresh_ods_names_the_extracts_a_folder_lacks(tmp_path):
    result = run_nhsx("gazetteer", "refresh-ods", str(tmp_path), "--root", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr.decode().startswith(f"Error: {tmp_path}: missing ") and "etr.csv" in result.stderr.decode()
    assert not (tmp_path / "gazetteers").exists()


def test_every_option_of_every_command_has_help_text():
    import click

    from nhsx.cli import cli

    def options(command: click.Command, name: str):
        if isinstance(command, click.Group):
            for sub_name, sub in command.commands.items():
                yield from options(sub, f"{name} {sub_name}")
        else:
            yield from ((name, p.opts) for p in command.params if isinstance(p, click.Option) and not p.help)

    assert list(options(cli, "nhsx")) == []


def test_cooccur_as_of_counts_pairs_of_the_bodies_holding_the_roles_on_that_date(tmp_path):
    text = "NHS Luton CCG and NHS Improvement agreed the plan.\n"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    saved = tmp_path / "mentions.jsonl"
    assert run_nhsx("extract", str(tmp_path / "a.txt"), "--mentions", "-o", str(saved)).returncode == 0

    def pair(*args: str) -> tuple[str, str]:
        result = run_nhsx("cooccur", *args, "-f", "json")
        assert result.returncode == 0, result.stderr
        (row,) = json.loads(result.stdout)
        return row["a"], row["b"]

    assert pair(str(tmp_path / "a.txt")) == ("NHS Improvement", "NHS Luton Clinical Commissioning Group")
    mapped = ("NHS Bedfordshire, Luton and Milton Keynes Integrated Care Board", "NHS England")
    assert pair(str(tmp_path / "a.txt"), "--as-of", "2023-01-01") == mapped
    assert pair("--from-mentions", str(saved), "--as-of", "2023-01-01") == mapped
    refused = run_nhsx("cooccur", "--from-mentions", str(saved), "--as-of", "auto")
    assert refused.returncode == 2 and b"auto needs the documents" in refused.stderr
