"""Aggregations over mention streams: counts only, never documents, so memory stays flat."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable

from nhsx.records import Mention


@dataclass
class EntityRow:
    canonical: str
    label: str
    id: str | None
    mentions: int = 0
    documents: int = 0
    forms: Counter = field(default_factory=Counter)

    def to_dict(self) -> dict[str, Any]:
        return {
            "canonical": self.canonical,
            "label": self.label,
            "id": self.id,
            "mentions": self.mentions,
            "documents": self.documents,
            "forms": [form for form, _ in self.forms.most_common()],
        }


def entity_key(mention: Mention) -> tuple[str, str]:
    """One entity per gazetteer id, or per label and canonical name when there is no id."""
    return (mention.label, mention.id or f"name:{mention.canonical}")


class EntityTable:
    """Entity counts over a stream of per-document mention lists."""

    def __init__(self) -> None:
        self._rows: dict[tuple[str, str], EntityRow] = {}

    def add_document(self, mentions: Iterable[Mention]) -> None:
        seen: set[tuple[str, str]] = set()
        for mention in mentions:
            key = entity_key(mention)
            row = self._rows.get(key)
            if row is None:
                row = self._rows[key] = EntityRow(mention.canonical, mention.label, mention.id)
            row.mentions += 1
            row.forms[mention.text] += 1
            if key not in seen:
                row.documents += 1
                seen.add(key)

    def rows(self) -> list[EntityRow]:
        """Most mentioned first; ties by label then name, so output is stable."""
        return sorted(self._rows.values(), key=lambda r: (-r.mentions, -r.documents, r.label, r.canonical))
