"""Scoring extraction against gold annotations (strict and lenient), canonical names and glossaries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from nhsx.read.jsonlines import LineProblem, json_field, json_kind, json_records
from nhsx.records import ENTITY_LABELS, Document, Mention, ReadError

if TYPE_CHECKING:
    from spacy.language import Language


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
    where: str = ""  # "gold-file:line", for messages about this document


def load_gold(path: str | Path) -> list[GoldDocument]:
    """Every document of a gold JSON Lines file; GoldError names the file and line of the first bad one."""
    docs = []
    try:
        for number, raw in json_records(path):
            try:
                if isinstance(raw, LineProblem):
                    raise raw
                docs.append(_gold_document(raw, f"{path}:{number}"))
            except LineProblem as exc:
                raise GoldError(f"{path}:{number}: not a gold document: {exc}") from None
    except OSError as exc:
        raise GoldError(f"{path}: {exc.strerror or exc}") from None
    return docs


def _gold_document(raw: dict[str, Any], where: str) -> GoldDocument:
    name = _document_name(json_field(raw, "doc", str))
    entities = [_gold_entity(name, e, i) for i, e in enumerate(json_field(raw, "entities", list))]
    glossary = json_field(raw, "glossary", list, optional=True)
    pairs = None if glossary is None else [_glossary_pair(g, i) for i, g in enumerate(glossary)]
    return GoldDocument(name, entities, pairs, where)


def _document_name(name: str) -> str:
    """A path relative to DOCS_DIR that cannot leave it: not absolute, no '..', no NUL."""
    parts = name.replace("\\", "/").split("/")
    if not name.strip() or "\0" in name or name.startswith("/") or ".." in parts or Path(name).is_absolute():
        raise LineProblem(f"doc {name[:200]!r} must be a path inside DOCS_DIR")
    return name


def _object(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise LineProblem(f"{where}a JSON object is needed, not {json_kind(raw)}")
    return raw


def _gold_entity(doc: str, raw: Any, index: int) -> GoldEntity:
    where = f"entity {index + 1}: "
    raw = _object(raw, where)
    start, end = json_field(raw, "start", int, where), json_field(raw, "end", int, where)
    if not 0 <= start < end:
        raise LineProblem(f"{where}offsets must satisfy 0 <= start < end, not {start}..{end}")
    text, label = json_field(raw, "text", str, where), json_field(raw, "label", str, where)
    if label not in ENTITY_LABELS:
        raise LineProblem(f"{where}label {label[:40]!r} is not one of {', '.join(ENTITY_LABELS)}")
    canonical = json_field(raw, "canonical", str, where, optional=True)
    return GoldEntity(doc, start, end, text, label, text if canonical is None else canonical)


def _glossary_pair(raw: Any, index: int) -> tuple[str, str]:
    where = f"glossary item {index + 1}: "
    raw = _object(raw, where)
    return json_field(raw, "acronym", str, where), json_field(raw, "expansion", str, where)


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
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
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
            "strict": {
                **{label: self.strict[label].as_dict() for label in labels},
                "overall": self.overall(self.strict).as_dict(),
            },
            "lenient": {
                **{label: self.lenient[label].as_dict() for label in labels},
                "overall": self.overall(self.lenient).as_dict(),
            },
            "canonical_accuracy": round(self.canonical_accuracy, 4),
            "canonical_checked": self.canonical_total,
            "glossary": self.glossary.as_dict() if self.glossary else None,
        }


def normalise_name(name: str) -> str:
    """Canonical names compare as the guidelines say: "hyphen and case variants are the same thing"."""
    return " ".join(name.replace("\u2019", "'").replace("\u2018", "'").replace("-", " ").casefold().split())


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
    gold_pairs = {(normalise_name(a), normalise_name(e)) for a, e in gold}
    pred_pairs = {(normalise_name(a), normalise_name(e or "")) for a, e in predicted.items()}
    counts.tp += len(gold_pairs & pred_pairs)
    counts.fp += len(pred_pairs - gold_pairs)
    counts.fn += len(gold_pairs - pred_pairs)


def evaluate_gold(nlp: Language, gold_files: Sequence[str | Path], docs_dir: Path) -> Report:
    """Run the pipeline on every gold document and score it."""
    from nhsx.analyse.glossary import acronym_index, document_glossary
    from nhsx.nlp.pipeline import gazetteer_of
    from nhsx.run import process_documents

    gold_docs = [doc for path in gold_files for doc in load_gold(path)]
    documents = [read_gold_document(gold, docs_dir) for gold in gold_docs]  # every problem before any work
    known = acronym_index(gazetteer_of(nlp).entries.values())
    report = Report()
    for gold, document, result in zip(gold_docs, documents, process_documents(nlp, documents)):
        score_document(report, gold, result.mentions, document.text)
        if gold.glossary is not None:
            report.glossary = report.glossary or Counts()
            predicted = document_glossary(document.text, known, result.definitions)
            score_glossary(report.glossary, gold.glossary, predicted)
    return report


def read_gold_document(gold: GoldDocument, docs_dir: Path) -> Document:
    """The text a gold document's offsets refer to: a file inside ``docs_dir`` (GoldError otherwise)."""
    from nhsx.read import Source, read_source

    path = docs_dir / gold.doc
    try:
        if not path.resolve().is_relative_to(docs_dir.resolve()):
            raise GoldError(f"{gold.where}: doc {gold.doc!r} is outside {docs_dir} (through a symbolic link)")
        if not path.exists():
            raise GoldError(f"{gold.where}: cannot read {path}: no such file")
    except (OSError, RuntimeError) as exc:  # a name too long, a symbolic link loop
        raise GoldError(f"{gold.where}: cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None
    document = read_source(Source(str(path), gold.doc, in_folder=True))
    if isinstance(document, ReadError):
        raise GoldError(f"{gold.where}: cannot read {path}: {document.message}")
    for number, entity in enumerate(gold.entities, start=1):
        problem = _offset_problem(entity, document.text, path)
        if problem:
            raise GoldError(f"{gold.where}: entity {number}: {problem}")
    return document


def _offset_problem(entity: GoldEntity, text: str, path: Path) -> str | None:
    """Why the entity's offsets do not hold its text in ``text`` (None when they do)."""
    if entity.end > len(text):
        return f"end {entity.end} is past the end of {path} ({len(text)} characters)"
    found = text[entity.start : entity.end]
    if found != entity.text:
        return f"{path} has {found[:60]!r} at {entity.start}..{entity.end}, not {entity.text[:60]!r}"
    return None
