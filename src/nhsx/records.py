"""Plain records that flow between the stages: documents in, mentions out."""

from __future__ import annotations

from dataclasses import dataclass, fields
from operator import attrgetter
from typing import Any

ENTITY_LABELS = ("BODY", "ORG_TYPE", "POLICY", "PERSON")  # what a mention can be
LABELS = ENTITY_LABELS + ("TERM",)  # and what a gazetteer entry can be (TERM: glossary-only acronyms)


@dataclass(frozen=True)
class Document:
    name: str  # path relative to the folder given, the file name given, or "-"
    text: str
    pages: tuple[int, ...] = ()  # offset in text where each page starts (PDF); empty for formats without pages
    warnings: tuple[str, ...] = ()  # one line each: what was read with a loss (shown as "name: warning")
    metadata_date: str | None = None  # the date the file's metadata states, as written (see nhsx.read.dates)


@dataclass(frozen=True)
class ReadError:
    name: str
    message: str

    def __str__(self) -> str:
        return f"{self.name}: {self.message}"


@dataclass(frozen=True, slots=True)  # slots: a long document holds millions of these
class Mention:
    doc: str
    start: int  # Python string offsets into the decoded text; end exclusive
    end: int
    text: str
    label: str
    canonical: str
    id: str | None
    acronym: bool
    sentence: int
    paragraph: int
    source: str  # gazetteer, rule, resolution or model
    successor: str | None = None  # gazetteer id of the body that took over (CCG -> ICB), to roll old names up
    mapped_from: str | None = None  # with --as-of: the id the text named, when a successor held the role then
    page: int | None = None  # 1-based page of a PDF (None for formats without pages)

    def to_dict(self) -> dict[str, Any]:
        # every field is a str, int, bool or None: a shallow copy, not asdict's recursive deep copy
        return dict(zip(_MENTION_FIELDS, _mention_values(self)))

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Mention:
        values: dict[str, Any] = {name: data.get(name) for name in cls.field_names()}
        return cls(**values)


_MENTION_FIELDS = Mention.field_names()
_mention_values = attrgetter(*_MENTION_FIELDS)
