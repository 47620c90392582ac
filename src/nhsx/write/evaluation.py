"""Rendering an evaluation report as a rich table or JSON."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import IO

from nhsx.analyse.evaluate import Counts, Report
from nhsx.records import ENTITY_LABELS


def evaluation_json(report: Report, with_errors: bool) -> str:
    data = report.as_dict()
    if with_errors:
        data["errors"] = [{"kind": e.kind, **asdict(e.mention), "context": e.context} for e in report.errors]
        data["canonical_errors"] = [
            {"doc": d, "text": t, "gold": g, "predicted": p} for d, t, g, p in report.canonical_wrong
        ]
    return json.dumps(data, indent=2, ensure_ascii=False)


def _row(name: str, strict: Counts, lenient: Counts) -> list[str]:
    return [
        name,
        f"{strict.precision:.3f}",
        f"{strict.recall:.3f}",
        f"{strict.f1:.3f}",
        f"{lenient.precision:.3f}",
        f"{lenient.recall:.3f}",
        f"{lenient.f1:.3f}",
        str(strict.tp + strict.fn),
    ]


def print_evaluation(report: Report, with_errors: bool, stream: IO[str]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(file=stream, force_terminal=stream.isatty() or None, width=None if stream.isatty() else 120)
    table = Table(title="nhsx evaluation")
    for column in ("label", "strict P", "strict R", "strict F1", "lenient P", "lenient R", "lenient F1", "gold"):
        table.add_column(column, justify="left" if column == "label" else "right")
    for label in ENTITY_LABELS:
        if label in report.strict or label in report.lenient:
            table.add_row(*_row(label, report.strict[label], report.lenient[label]))
    table.add_row(*_row("overall", report.overall(report.strict), report.overall(report.lenient)), style="bold")
    console.print(table)
    console.print(
        f"canonical accuracy (strict matches): {report.canonical_accuracy:.3f} "
        f"({report.canonical_right}/{report.canonical_total})"
    )
    if report.glossary:
        g = report.glossary
        console.print(
            f"glossary: precision {g.precision:.3f}  recall {g.recall:.3f}  (tp {g.tp}, fp {g.fp}, fn {g.fn})"
        )
    if with_errors:
        for error in report.errors:
            m = error.mention
            console.print(
                f"{error.kind}: {m.doc}:{m.start}-{m.end} {m.label} {m.canonical!r}  {error.context}",
                markup=False,
                highlight=False,
            )
        for doc, text, gold, predicted in report.canonical_wrong:
            console.print(
                f"canonical: {doc} {text!r}: gold {gold!r}, predicted {predicted!r}", markup=False, highlight=False
            )


def write_evaluation_json(report: Report, with_errors: bool, stream: IO[str]) -> None:
    stream.write(evaluation_json(report, with_errors) + "\n")
