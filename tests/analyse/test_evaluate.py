"""Scoring against gold: strict and lenient counts per label, canonical accuracy, glossaries, gold loading."""

from __future__ import annotations

import json

import pytest

from nhsx.analyse.evaluate import (
    Counts,
    GoldDocument,
    GoldEntity,
    GoldError,
    Report,
    _score_lenient,
    load_gold,
    score_document,
    score_glossary,
)
from nhsx.records import Mention

TEXT = "NHS England met the ICS and Dr Simon Stevens at the Treasury, HSJ said."
DOC = "doc.txt"


def at(surface: str) -> tuple[int, int]:
    start = TEXT.index(surface)
    return start, start + len(surface)


def gold(surface: str, label: str, canonical: str) -> GoldEntity:
    return GoldEntity(DOC, *at(surface), surface, label, canonical)


def predicted(surface: str, label: str, canonical: str = "") -> Mention:
    start, end = at(surface)
    return Mention(DOC, start, end, surface, label, canonical or surface, None, False, 0, 0, "gazetteer")


def counts(table: dict[str, Counts]) -> dict[str, tuple[int, int, int]]:
    return {label: (c.tp, c.fp, c.fn) for label, c in table.items() if (c.tp, c.fp, c.fn) != (0, 0, 0)}


GOLD = GoldDocument(
    DOC,
    [
        gold("NHS England", "BODY", "NHS England"),
        gold("ICS", "ORG_TYPE", "Integrated Care System"),
        gold("Simon Stevens", "PERSON", "Simon Stevens"),
        gold("Treasury", "BODY", "HM Treasury"),
    ],
    None,
)
PREDICTED = [
    predicted("NHS England", "BODY", "nhs england"),  # strict hit, canonical right (case aside)
    predicted("ICS", "POLICY"),  # wrong label: a miss and a false alarm, strict and lenient
    predicted("Stevens", "PERSON", "Simon Stevens"),  # partial span: strict miss, lenient hit
    predicted("Treasury", "BODY", "Treasury"),  # strict hit, canonical wrong
    predicted("HSJ", "BODY"),  # false alarm
]


@pytest.fixture()
def report() -> Report:
    result = Report()
    score_document(result, GOLD, PREDICTED, TEXT)
    return result


def test_strict_counts_per_label(report):
    assert counts(report.strict) == {"BODY": (2, 1, 0), "ORG_TYPE": (0, 0, 1), "POLICY": (0, 1, 0), "PERSON": (0, 1, 1)}


def test_lenient_counts_per_label(report):
    assert counts(report.lenient) == {
        "BODY": (2, 1, 0),
        "ORG_TYPE": (0, 0, 1),
        "POLICY": (0, 1, 0),
        "PERSON": (1, 0, 0),
    }


def test_canonical_accuracy_counts_only_strict_matches(report):
    assert (report.canonical_right, report.canonical_total, report.canonical_accuracy) == (1, 2, 0.5)
    assert report.canonical_wrong == [(DOC, "Treasury", "HM Treasury", "Treasury")]


def test_error_cases_list_each_strict_miss_and_false_alarm(report):
    kinds = sorted((e.kind, e.mention.text) for e in report.errors)
    assert kinds == [
        ("false negative", "ICS"),
        ("false negative", "Simon Stevens"),
        ("false positive", "HSJ"),
        ("false positive", "ICS"),
        ("false positive", "Stevens"),
    ]
    hsj = next(e for e in report.errors if e.mention.text == "HSJ")
    assert hsj.context == "S and Dr Simon Stevens at the Treasury, [[HSJ]] said."  # 40 characters each side


def test_overall_and_as_dict(report):
    summary = report.as_dict()
    assert summary["strict"]["overall"] == {"tp": 2, "fp": 3, "fn": 2, "precision": 0.4, "recall": 0.5, "f1": 0.4444}
    assert list(summary["strict"]) == ["BODY", "ORG_TYPE", "POLICY", "PERSON", "overall"]
    assert (summary["canonical_accuracy"], summary["canonical_checked"], summary["glossary"]) == (0.5, 2, None)


def test_curly_apostrophe_and_case_count_as_the_same_canonical():
    document = GoldDocument(DOC, [gold("Treasury", "BODY", "The King's Fund")], None)
    result = Report()
    score_document(result, document, [predicted("Treasury", "BODY", "the King\u2019s  fund")], TEXT)
    assert (result.canonical_right, result.canonical_total) == (1, 1)


@pytest.mark.parametrize(
    ("gold_name", "found", "right"),
    [
        ("Practice-Based Commissioning", "Practice Based Commissioning", 1),  # hyphen variants are the same thing
        ("Practice-Based Commissioning", "Practice Commissioning", 0),
    ],
)
def test_hyphen_variants_count_as_the_same_canonical(gold_name, found, right):
    document = GoldDocument(DOC, [gold("Treasury", "POLICY", gold_name)], None)
    result = Report()
    score_document(result, document, [predicted("Treasury", "POLICY", found)], TEXT)
    assert (result.canonical_right, result.canonical_total) == (right, 1)


def test_lenient_one_prediction_can_cover_two_gold_mentions():
    result = Report()
    wide = Mention(DOC, 0, 23, TEXT[:23], "BODY", "x", None, False, 0, 0, "model")
    _score_lenient(result, [gold("NHS England", "BODY", "x"), gold("ICS", "BODY", "x")], [wide])
    assert counts(result.lenient) == {"BODY": (2, 0, 0)}


def test_lenient_needs_the_same_label():
    result = Report()
    _score_lenient(result, [gold("Treasury", "BODY", "x")], [predicted("the Treasury", "POLICY")])
    assert counts(result.lenient) == {"BODY": (0, 0, 1), "POLICY": (0, 1, 0)}


def test_touching_spans_do_not_overlap():
    result = Report()
    _score_lenient(result, [gold("NHS", "BODY", "x")], [predicted(" England", "BODY")])
    assert counts(result.lenient) == {"BODY": (0, 1, 1)}


def test_score_glossary_ignores_case_and_hyphens():
    result = Counts()
    gold_pairs = [("PbR", "payment by results"), ("ICS", "integrated care system"), ("A&E", "accident and emergency")]
    guesses = {"PBR": "Payment-by-Results", "ICS": "integrated care service", "CQC": None}
    score_glossary(result, gold_pairs, guesses)
    assert (result.tp, result.fp, result.fn) == (1, 2, 2)


def test_score_glossary_accumulates_over_documents():
    result = Counts()
    score_glossary(result, [("ICS", "integrated care system")], {"ICS": "Integrated Care System"})
    score_glossary(result, [("ICB", "integrated care board")], {})
    assert (result.tp, result.fp, result.fn) == (1, 0, 1)


@pytest.mark.parametrize(
    "tp, fp, fn, expected",
    [
        (0, 0, 0, (0.0, 0.0, 0.0)),
        (0, 0, 3, (0.0, 0.0, 0.0)),
        (0, 2, 0, (0.0, 0.0, 0.0)),
        (2, 2, 0, (0.5, 1.0, 2 / 3)),
        (3, 1, 2, (0.75, 0.6, 2 / 3)),
    ],
)
def test_counts_precision_recall_f1(tp, fp, fn, expected):
    c = Counts(tp, fp, fn)
    assert (c.precision, c.recall, c.f1) == pytest.approx(expected)


# --- gold files ---------------------------------------------------------------------------------


def gold_file(tmp_path, *lines: str):
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def gold_line(entities=(), **extra) -> str:
    return json.dumps({"doc": DOC, "entities": list(entities), **extra})


def test_load_gold_reads_entities_glossary_and_skips_blank_lines(tmp_path):
    entity = {"start": 0, "end": 3, "text": "NHS", "label": "BODY"}
    path = gold_file(
        tmp_path, gold_line([entity], glossary=[{"acronym": "PbR", "expansion": "payment by results"}]), "", gold_line()
    )
    first, second = load_gold(path)
    assert first.entities == [GoldEntity(DOC, 0, 3, "NHS", "BODY", "NHS")]  # canonical defaults to text
    assert (first.glossary, second.glossary, second.entities) == ([("PbR", "payment by results")], None, [])


@pytest.mark.parametrize(
    "bad",
    [
        "{not json",
        '{"entities": [{}]}',
        gold_line([{"start": 0, "end": 3, "text": "NHS"}]),
        '["a list"]',
        '{"doc": "d", "entities": 5}',
    ],
)
def test_load_gold_names_file_and_line_of_a_bad_line(tmp_path, bad):
    path = gold_file(tmp_path, gold_line(), "", bad)
    with pytest.raises(GoldError, match=r"gold\.jsonl:3: not a gold document"):
        load_gold(path)


@pytest.mark.parametrize(
    "bad",
    [
        gold_line(glossary=[{"acronym": "PbR"}]),  # glossary item without 'expansion'
        '{"entities": []}',  # no 'doc' and no entities, so nothing inside the try touches raw["doc"]
    ],
)
def test_load_gold_bad_line_outside_entities_names_the_line(tmp_path, bad):
    with pytest.raises(GoldError, match=r"gold\.jsonl:1:"):
        load_gold(gold_file(tmp_path, bad))


def test_evaluate_scores_exactly_what_extract_outputs_for_a_pdf_and_a_long_document(tmp_path):
    """Gold made from `nhsx extract --mentions` scores 1.0 everywhere: evaluate reads the PDF the same way,
    cuts the long document into the same pieces and resolves the same successors as extract."""
    import shutil

    from conftest import REPO, run_nhsx

    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(REPO / "tests" / "data" / "formats" / "report.pdf", docs / "report.pdf")
    paragraphs = [p for f in sorted((REPO / "seeds").glob("*.txt")) for p in f.read_text("utf-8").split("\n\n")]
    long_text = "\n\n".join(paragraphs[i % len(paragraphs)] for i in range(5200))
    assert len(long_text) > 1_200_000  # more than two pieces of the long-document path
    (docs / "long.txt").write_text(long_text, encoding="utf-8")
    out = tmp_path / "mentions.jsonl"
    assert run_nhsx("extract", str(docs), "--mentions", "-o", str(out)).returncode == 0
    by_doc: dict[str, list[dict]] = {"report.pdf": [], "long.txt": []}
    for line in out.read_text("utf-8").splitlines():
        m = json.loads(line)
        by_doc[m["doc"]].append({k: m[k] for k in ("start", "end", "text", "label", "canonical")})
    assert all(len(found) > 3 for found in by_doc.values())
    gold_file = tmp_path / "gold.jsonl"
    gold_file.write_text("".join(json.dumps({"doc": d, "entities": e}) + "\n" for d, e in by_doc.items()))
    result = run_nhsx("evaluate", "--gold", str(gold_file), str(docs), "-f", "json")
    assert result.returncode == 0, result.stderr
    scores = json.loads(result.stdout)
    assert all(row["precision"] == row["recall"] == 1.0 for row in scores["strict"].values())
    assert scores["canonical_accuracy"] == 1.0
