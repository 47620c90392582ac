"""Scoring extraction against gold annotations (strict and lenient), canonical names and glossaries."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from .gazetteer import ENTITY_LABELS
from .records import Mention


class GoldError(Exception):
    """The gold file cannot be used."""


@dataclass(frozen=True)
class GoldEntity:
    doc: str
    start: int
    end: int
    text: str
    label: str
    canonical: str


@dataclass
class GoldDocument:
    doc: str
    entities: list[GoldEntity]
    glossary: list[tuple[str, str]] | None


def load_gold(path: str | Path) -> list[GoldDocument]:
    docs = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            entities = [
                GoldEntity(raw["doc"], e["start"], e["end"], e["text"], e["label"], e.get("canonical", e["text"]))
                for e in raw["entities"]
            ]
            glossary = raw.get("glossary")
            pairs = None if glossary is None else [(g["acronym"], g["expansion"]) for g in glossary]
            name = raw["doc"]
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise GoldError(f"{path}:{number}: not a gold document ({exc.__class__.__name__}: {exc})") from None
        docs.append(GoldDocument(name, entities, pairs))
    return docs


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp, "fp": self.fp, "fn": self.fn,
            "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
        }


@dataclass
class ErrorCase:
    kind: str  # "false positive" or "false negative"
    mention: GoldEntity  # the gold mention missed, or the predicted one that is not in the gold
    context: str


@dataclass
class Report:
    strict: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    lenient: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    canonical_right: int = 0
    canonical_total: int = 0
    canonical_wrong: list[tuple[str, str, str, str]] = field(default_factory=list)
    glossary: Counts | None = None
    errors: list[ErrorCase] = field(default_factory=list)

    @property
    def canonical_accuracy(self) -> float:
        return self.canonical_right / self.canonical_total if self.canonical_total else 0.0

    def overall(self, counts: dict[str, Counts]) -> Counts:
        total = Counts()
        for c in counts.values():
            total.tp, total.fp, total.fn = total.tp + c.tp, total.fp + c.fp, total.fn + c.fn
        return total

    def as_dict(self) -> dict[str, Any]:
        labels = [x for x in ENTITY_LABELS if x in self.strict or x in self.lenient]
        return {
            "strict": {**{label: self.strict[label].as_dict() for label in labels}, "overall": self.overall(self.strict).as_dict()},
            "lenient": {**{label: self.lenient[label].as_dict() for label in labels}, "overall": self.overall(self.lenient).as_dict()},
            "canonical_accuracy": round(self.canonical_accuracy, 4),
            "canonical_checked": self.canonical_total,
            "glossary": self.glossary.as_dict() if self.glossary else None,
        }


def normalise_name(name: str) -> str:
    return " ".join(name.replace("\u2019", "'").replace("\u2018", "'").casefold().split())


def normalise_expansion(text: str) -> str:
    return normalise_name(text.replace("-", " "))


def _context(text: str, start: int, end: int, width: int = 40) -> str:
    left = text[max(0, start - width) : start].replace("\n", " ")
    right = text[end : end + width].replace("\n", " ")
    return f"{left}[[{text[start:end]}]]{right}"


def score_document(report: Report, gold: GoldDocument, predicted: Sequence[Mention], text: str) -> None:
    gold_by_key = {(g.start, g.end, g.label): g for g in gold.entities}
    pred_by_key = {(p.start, p.end, p.label): p for p in predicted}
    for key, g in gold_by_key.items():
        if key in pred_by_key:
            report.strict[g.label].tp += 1
            report.canonical_total += 1
            p = pred_by_key[key]
            if normalise_name(p.canonical) == normalise_name(g.canonical):
                report.canonical_right += 1
            else:
                report.canonical_wrong.append((gold.doc, g.text, g.canonical, p.canonical))
        else:
            report.strict[g.label].fn += 1
            report.errors.append(ErrorCase("false negative", g, _context(text, g.start, g.end)))
    for key, p in pred_by_key.items():
        if key not in gold_by_key:
            report.strict[p.label].fp += 1
            found = GoldEntity(gold.doc, p.start, p.end, p.text, p.label, p.canonical)
            report.errors.append(ErrorCase("false positive", found, _context(text, p.start, p.end)))
    _score_lenient(report, gold.entities, predicted)


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def _score_lenient(report: Report, gold: Sequence[GoldEntity], predicted: Sequence[Mention]) -> None:
    """Overlap with the same label: a prediction is right if it overlaps a gold mention, and vice versa."""
    for g in gold:
        hit = any(p.label == g.label and _overlap(p.start, p.end, g.start, g.end) for p in predicted)
        if hit:
            report.lenient[g.label].tp += 1
        else:
            report.lenient[g.label].fn += 1
    for p in predicted:
        if not any(p.label == g.label and _overlap(p.start, p.end, g.start, g.end) for g in gold):
            report.lenient[p.label].fp += 1


def score_glossary(counts: Counts, gold: Iterable[tuple[str, str]], predicted: dict[str, str | None]) -> None:
    gold_pairs = {(normalise_expansion(a), normalise_expansion(e)) for a, e in gold}
    pred_pairs = {(normalise_expansion(a), normalise_expansion(e or "")) for a, e in predicted.items()}
    counts.tp += len(gold_pairs & pred_pairs)
    counts.fp += len(pred_pairs - gold_pairs)
    counts.fn += len(gold_pairs - pred_pairs)


def evaluate_gold(nlp: Any, gold_files: Sequence[str | Path], docs_dir: Path) -> Report:
    """Run the pipeline on every gold document and score it."""
    from .glossary import acronym_index, document_glossary
    from .mentions import mentions_from_doc
    from .pipeline import gazetteer_of
    from .reader import decode

    gold_docs = [doc for path in gold_files for doc in load_gold(path)]
    known = acronym_index(gazetteer_of(nlp).entries.values())
    report = Report()
    for gold in gold_docs:
        path = docs_dir / gold.doc
        try:
            text = decode(path.read_bytes())
        except (OSError, ValueError) as exc:
            raise GoldError(f"{path}: cannot read the gold document ({exc})") from None
        doc = nlp(text)
        score_document(report, gold, mentions_from_doc(doc, gold.doc), text)
        if gold.glossary is not None:
            report.glossary = report.glossary or Counts()
            predicted = document_glossary(text, known, doc._.nhsx_definitions or [])
            score_glossary(report.glossary, gold.glossary, predicted)
    return report
