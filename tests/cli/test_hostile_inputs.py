"""Hostile inputs to our own formats (gold files, saved mentions, ODS extracts) and long or odd text:
each bad line or row is one `file:line: problem` and never a traceback; long text runs under the
resource limits of a hostile-input run (big enough inputs that superlinear time or memory would fail)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import HOSTILE_LIMITS, REPO, run_nhsx

# --- evaluate: malformed gold --------------------------------------------------------------------

DOC_TEXT = "NHS England met the CQC.\n"
GOOD_ENTITY = {"start": 0, "end": 11, "text": "NHS England", "label": "BODY"}


def gold_line(doc: object = "a.txt", entities: object = (GOOD_ENTITY,), **extra: object) -> str:
    return json.dumps({"doc": doc, "entities": list(entities) if isinstance(entities, tuple) else entities, **extra})


def entity(**changes: object) -> str:
    return gold_line(entities=[{**GOOD_ENTITY, **changes}])


BAD_GOLD = [
    (entity(start="0"), "not a gold document: entity 1: 'start' must be an integer, not a string"),
    (entity(end=True), "not a gold document: entity 1: 'end' must be an integer, not a boolean"),
    (entity(end=1.5), "not a gold document: entity 1: 'end' must be an integer, not a number"),
    (entity(start=5, end=2), "not a gold document: entity 1: offsets must satisfy 0 <= start < end, not 5..2"),
    (entity(start=-1), "not a gold document: entity 1: offsets must satisfy 0 <= start < end, not -1..11"),
    (entity(label="ORG"), "not a gold document: entity 1: label 'ORG' is not one of BODY, ORG_TYPE, POLICY, PERSON"),
    (entity(text=None), "not a gold document: entity 1: 'text' must be a string, not null"),
    (gold_line(entities=["x"]), "not a gold document: entity 1: a JSON object is needed, not a string"),
    (gold_line(entities={"a": 1}), "not a gold document: 'entities' must be a list, not an object"),
    (gold_line(doc=5), "not a gold document: 'doc' must be a string, not an integer"),
    (gold_line(doc=None), "not a gold document: 'doc' must be a string, not null"),
    (gold_line(doc=""), "not a gold document: doc '' must be a path inside DOCS_DIR"),
    (
        gold_line(doc="../../../../etc/passwd"),
        "not a gold document: doc '../../../../etc/passwd' must be a path inside DOCS_DIR",
    ),
    (gold_line(doc="/etc/passwd"), "not a gold document: doc '/etc/passwd' must be a path inside DOCS_DIR"),
    (gold_line(doc="sub/../../a.txt"), "not a gold document: doc 'sub/../../a.txt' must be a path inside DOCS_DIR"),
    (gold_line(glossary=3), "not a gold document: 'glossary' must be a list, not an integer"),
    (gold_line(glossary=[{"acronym": "CQC"}]), "not a gold document: glossary item 1: no 'expansion'"),
    ('["a list"]', "not a gold document: a JSON object is needed, not a list"),
    ("null", "not a gold document: a JSON object is needed, not null"),
    ("[" * 100_000 + "]" * 100_000, "not a gold document: JSON nested too deeply"),
    ('{"doc": "a.txt", "entities": [', "not a gold document: not JSON (Expecting value: column 31)"),
]


@pytest.fixture()
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(DOC_TEXT, encoding="utf-8")
    return folder


def evaluate(gold: Path, docs: Path):
    return run_nhsx("evaluate", "--gold", str(gold), str(docs))


def assert_one_line_error(result, expected: str, code: int = 1) -> None:
    stderr = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr
    assert (result.returncode, stderr.strip()) == (code, expected)


@pytest.mark.parametrize("line, problem", BAD_GOLD, ids=[p for _, p in BAD_GOLD])
def test_a_malformed_gold_line_is_one_error_naming_file_and_line(tmp_path, docs, line, problem):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(gold_line() + "\n\n" + line + "\n", encoding="utf-8")
    assert_one_line_error(evaluate(gold, docs), f"Error: {gold}:3: {problem}")


def test_gold_that_is_not_utf8_names_the_line(tmp_path, docs):
    gold = tmp_path / "gold.jsonl"
    gold.write_bytes(gold_line().encode() + b'\n{"doc": "a\xff.txt", "entities": []}\n')
    assert_one_line_error(
        evaluate(gold, docs), f"Error: {gold}:2: not a gold document: not UTF-8 text (byte 11 of the line)"
    )


def test_a_truncated_last_gold_line_is_named(tmp_path, docs):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(gold_line() + "\n" + gold_line()[:20], encoding="utf-8")
    expected = f"Error: {gold}:2: not a gold document: not JSON (Unterminated string starting at: column 18, the last line may be cut short)"
    assert_one_line_error(evaluate(gold, docs), expected)


@pytest.mark.parametrize(
    "line, problem",
    [
        (entity(end=25_000), "entity 1: end 25000 is past the end of {docs}/a.txt (25 characters)"),
        (entity(text="NHS Englant"), "entity 1: {docs}/a.txt has 'NHS England' at 0..11, not 'NHS Englant'"),
        (gold_line(doc="missing.txt"), "cannot read {docs}/missing.txt: no such file"),
        (gold_line(doc="outside/passwd"), "doc 'outside/passwd' is outside {docs} (through a symbolic link)"),
    ],
)
def test_gold_that_does_not_fit_its_document_is_one_error(tmp_path, docs, line, problem):
    (docs / "outside").symlink_to(tmp_path.parent)
    gold = tmp_path / "gold.jsonl"
    gold.write_text(line + "\n", encoding="utf-8")
    assert_one_line_error(evaluate(gold, docs), f"Error: {gold}:1: {problem.format(docs=docs)}")


def test_good_gold_still_scores(tmp_path, docs):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(gold_line() + "\n", encoding="utf-8")
    result = run_nhsx("evaluate", "--gold", str(gold), str(docs), "-f", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["strict"]["BODY"]["tp"] == 1


# --- cooccur --from-mentions: malformed saved mentions ------------------------------------------


def saved(doc: str, canonical: str, **changes: object) -> str:
    record = {"doc": doc, "label": "BODY", "canonical": canonical, "id": None, "sentence": 0, "paragraph": 0}
    return json.dumps({**record, **changes})


def test_every_bad_saved_mention_line_is_reported_and_skipped(tmp_path):
    lines = [
        saved("a", "NHS England").encode(),
        b'["a", "list"]',
        b"null",
        b'"a string"',
        b"\xff\xfe\x00binary",
        b"[" * 100_000 + b"]" * 100_000,
        saved("a", "CQC", sentence="0").encode(),
        saved("a", "CQC", id=["x"]).encode(),
        json.dumps({"doc": "a", "label": "BODY"}).encode(),
        saved("a", "Care Quality Commission").encode(),
        b'{"doc": "a", "lab',  # the last line cut short
    ]
    path = tmp_path / "m.jsonl"
    path.write_bytes(b"\n".join(lines))
    result = run_nhsx("cooccur", "--from-mentions", str(path), "-f", "json")
    assert result.returncode == 1 and "Traceback" not in result.stderr.decode()
    problems = [
        "2: not a mention record: a JSON object is needed, not a list",
        "3: not a mention record: a JSON object is needed, not null",
        "4: not a mention record: a JSON object is needed, not a string",
        "5: not a mention record: not UTF-8 text (byte 1 of the line)",
        "6: not a mention record: JSON nested too deeply",
        "7: not a mention record: 'sentence' must be an integer, not a string",
        "8: not a mention record: 'id' must be a string, not a list",
        "9: not a mention record: no 'canonical'",
        "11: not a mention record: not JSON (Unterminated string starting at: column 14, the last line may be cut short)",
    ]
    assert result.stderr.decode().splitlines() == [f"{path}:{p}" for p in problems]
    (pair,) = json.loads(result.stdout)
    assert (pair["a"], pair["b"], pair["count"]) == ("Care Quality Commission", "NHS England", 1)


def test_a_saved_mention_line_too_long_to_be_a_record_is_skipped_unread(tmp_path):
    path = tmp_path / "m.jsonl"
    good = [saved("a", "NHS England"), saved("a", "Care Quality Commission")]
    path.write_bytes(b"[" + b"0," * (9 * 2**20) + b"0]\n" + "\n".join(good).encode())
    result = run_nhsx("cooccur", "--from-mentions", str(path), "-f", "json", limits=HOSTILE_LIMITS)
    assert result.returncode == 1
    assert result.stderr.decode().splitlines() == [f"{path}:1: not a mention record: line longer than 16 MB (not read)"]
    assert len(json.loads(result.stdout)) == 1


# --- gazetteer import-ods: malformed extracts ----------------------------------------------------


def ods_line(
    code: str = "RJ1",
    name: str = "GUY'S AND ST THOMAS' NHS FOUNDATION TRUST",
    opened: str = "19930401",
    closed: str = "",
    columns: int = 27,
) -> str:
    values = [""] * 27
    values[0], values[1], values[2], values[3], values[7] = code, name, "Y56", "QKK", "LONDON"
    values[10], values[11], values[21], values[23] = opened, closed, "1", "H"
    return ",".join(f'"{v}"' for v in values[:columns]) + "\n"


ICB_HEADER = "ICB24CD,ICB24CDH,ICB24NM,ObjectId\n"
ICB_ROW = "E54000064,QNX,NHS Sussex Integrated Care Board,42\n"


@pytest.mark.parametrize(
    "text, problem",
    [
        (ods_line(code="RJ2") + ods_line(opened="20239999"), "2: RJ1 open date '20239999' is not a date (YYYYMMDD)"),
        (ods_line(opened="20230230"), "1: RJ1 open date '20230230' is not a date (YYYYMMDD)"),
        (ods_line(code="RJ2") + ods_line(closed="2023"), "2: RJ1 close date '2023' is not a date (YYYYMMDD)"),
        (ods_line(code="RJ2") + ods_line(name=""), "2: RJ1 has no name"),
        (ods_line(code="RJ2") + ods_line(name=" - "), "2: RJ1 has no name"),
        (ods_line(code="RJ2") + ods_line(code=""), "2: '' is not an ODS code"),
        (ods_line(code="RJ2") + ods_line(columns=12), "2: 12 columns (an ODS extract row has 27)"),
        (ICB_HEADER + ICB_ROW + "E54000065,QNY\n", "3: 2 columns (the header has 4)"),
        (ICB_HEADER + "E54000065,QNY,,43\n", "2: no ICB24NM"),
        (
            ICB_HEADER + 'E54000065,QNY,"' + "x" * 200_000 + '",43\n',
            "2: not CSV (field larger than field limit (131072))",
        ),
    ],
)
def test_a_bad_ods_row_is_one_error_naming_file_and_line(tmp_path, text, problem):
    source, output = tmp_path / "extract.csv", tmp_path / "out.yaml"
    source.write_text(text, encoding="utf-8")
    result = run_nhsx("gazetteer", "import-ods", str(source), "-o", str(output))
    assert_one_line_error(result, f"Error: {source}:{problem}")
    assert not output.exists()


def test_a_good_ods_row_still_imports(tmp_path):
    source, output = tmp_path / "etr.csv", tmp_path / "out.yaml"
    source.write_text(ods_line(closed="20230331"), encoding="utf-8")
    result = run_nhsx("gazetteer", "import-ods", str(source), "-o", str(output))
    assert result.returncode == 0, result.stderr
    assert "valid_to: '2023-03-31'" in output.read_text(encoding="utf-8")


# --- long and odd text, under the limits of a hostile-input run -----------------------------------


def seed_text(separator: str, size: int) -> str:
    """Real-looking text of at least ``size`` characters: the seed articles again and again."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted((REPO / "seeds").glob("*.txt"))]
    unit = separator.join(seeds if separator == "\n\n" else (" ".join(s.split()) for s in seeds))
    return separator.join([unit] * (size // len(unit) + 1))


def test_a_32_mb_line_with_no_newline_runs_in_bounded_time_and_memory(tmp_path):
    # 32 MB: holding every piece's Doc (some 80 bytes a character) would pass the 2 GB limit
    text = seed_text(" ", 32 * 2**20)
    path = tmp_path / "one-line.txt"
    path.write_text(text, encoding="utf-8")
    result = run_nhsx("extract", str(path), "--mentions", "-f", "jsonl", limits=HOSTILE_LIMITS)
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) > 100_000
    assert all(text[r["start"] : r["end"]] == r["text"] for r in rows)
    assert {r["paragraph"] for r in rows} == {0}
    sentences = [r["sentence"] for r in rows]
    assert sentences == sorted(sentences) and sentences[-1] > 100_000


def test_a_mention_table_of_many_rows_is_written_in_linear_time(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text(seed_text("\n\n", 10 * 2**20), encoding="utf-8")  # 140,000 rows: minutes of CPU in rich
    result = run_nhsx("extract", "long.txt", "--mentions", cwd=tmp_path, limits=HOSTILE_LIMITS)
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    lines = result.stdout.decode().splitlines()
    assert lines[0] == "Mentions" and lines[1].split()[:4] == ["doc", "start", "end", "text"]
    assert len(lines) > 100_000 and all(line.startswith("long.txt ") for line in lines[3:])
