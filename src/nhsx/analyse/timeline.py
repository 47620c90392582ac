"""Over time: which body held a role on a given date, and how often entities are named in each period.

Gazetteer entries carry ``valid_from``/``valid_to`` and a ``successor`` (NHS Luton CCG -> NHS
Bedfordshire, Luton and Milton Keynes CCG -> the BLMK ICB). Mapping a mention "as of" a date
follows successors forward until an entry that still existed on that date; dates before an
organisation existed are left alone (predecessors are often several bodies, so there is no
single answer going backwards).

``Timeline`` counts mentions per period (nhsx.read.dates owns the periods and the dating of documents) with
the words read in that period, so that a period with more documents does not look busier than it was:
rates are mentions per 10,000 words. Only counts are held, never documents.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any, Iterable, Iterator, Mapping, Sequence

from nhsx.analyse.entities import EntityRow, EntityTable, entity_key
from nhsx.knowledge.gazetteer import Entry, date_bounds
from nhsx.read.dates import UNDATED, periods_between
from nhsx.records import Mention

TIMELINE_COLUMNS = (
    "period",
    "canonical",
    "label",
    "mentions",
    "documents",
    "per_10k_words",
    "period_documents",
    "period_words",
    "id",
)
PER_WORDS = 10_000
_WORD = re.compile(r"\S*\w\S*")  # a run without spaces holding a letter or digit ("NHS", "2016/17", "A&E")

EntityKey = tuple[str, str]  # aggregate.entity_key: (label, id or "name:" + canonical)


def holder_on(entry_id: str, day: dt.date, entries: Mapping[str, Entry]) -> str:
    """The id of the organisation that held ``entry_id``'s role on ``day``."""
    iso = day.isoformat()
    current, seen = entry_id, set()
    while current in entries and current not in seen:
        seen.add(current)
        entry = entries[current]
        _, ends = date_bounds(entry.valid_from, entry.valid_to)
        if iso <= ends or not entry.successor or entry.successor not in entries:
            return current
        current = entry.successor
    return current


def map_as_of(mentions: Iterable[Mention], day: dt.date, entries: Mapping[str, Entry]) -> list[Mention]:
    """Mentions relabelled with the organisation holding the role on ``day``; ``mapped_from`` keeps the original id."""
    mapped = []
    for mention in mentions:
        holder = holder_on(mention.id, day, entries) if mention.id else None
        if holder and holder != mention.id:
            entry = entries[holder]
            mention = replace(
                mention, id=holder, canonical=entry.canonical, successor=entry.successor, mapped_from=mention.id
            )
        mapped.append(mention)
    return mapped


def word_count(text: str) -> int:
    """Words as an analyst counts them: runs between spaces that hold a letter or a digit (a lone dash is none)."""
    return sum(1 for _ in _WORD.finditer(text))


@dataclass(frozen=True)
class TimelineRow:
    period: str
    canonical: str
    label: str
    id: str | None
    mentions: int
    documents: int  # documents of the period naming the entity
    per_10k_words: float | None  # mentions per 10,000 words read in the period
    period_documents: int
    period_words: int

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in TIMELINE_COLUMNS}


class Timeline:
    """Mentions per entity and period over a stream of dated documents (one ``add_document`` call each)."""

    def __init__(self, by: str) -> None:
        self.by = by  # one of dates.PERIODS
        self._documents: Counter[str] = Counter()  # period -> documents
        self._words: Counter[str] = Counter()  # period -> words
        self._mentions: Counter[tuple[str, EntityKey]] = Counter()
        self._naming: Counter[tuple[str, EntityKey]] = Counter()  # documents naming the entity
        self._entities: dict[EntityKey, EntityRow] = {}

    def add_document(self, period: str, words: int, mentions: Iterable[Mention]) -> None:
        self._documents[period] += 1
        self._words[period] += words
        seen: set[EntityKey] = set()
        for mention in mentions:
            key = entity_key(mention)
            entity = self._entities.get(key)
            if entity is None:  # the first canonical name seen for an id names it, as in the entity table
                entity = self._entities[key] = EntityRow(mention.canonical, mention.label, mention.id)
            entity.mentions += 1
            entity.forms[mention.text.casefold()] += 1
            self._mentions[(period, key)] += 1
            seen.add(key)
        self._naming.update((period, key) for key in seen)

    def periods(self) -> list[str]:
        """The periods holding documents, in time order."""
        return sorted(self._documents)

    def axis(self) -> list[str]:
        """Every period from the first to the last holding documents (gaps included), for a picture."""
        periods = self.periods()
        return periods_between(periods[0], periods[-1], self.by) if periods else []

    def top(self, count: int, labels: Iterable[str] = ()) -> list[EntityKey]:
        """The ``count`` most mentioned entities (of ``labels``, if given); ties by label, then name."""
        wanted = {label.upper() for label in labels}
        ranked = sorted(
            (key for key, e in self._entities.items() if not wanted or e.label in wanted),
            key=lambda key: (-self._entities[key].mentions, key[0], self._entities[key].canonical),
        )
        return ranked[:count]

    def find(self, name: str, entries: Mapping[str, Entry], labels: Iterable[str] = ()) -> list[EntityKey]:
        """The entities ``name`` means: a gazetteer id, canonical name, acronym or alias, else a name or form
        seen in the documents (ignoring case). Of several gazetteer entries, those named in the documents
        are kept (an acronym such as "ICS" can have several senses), or else the first."""
        wanted = {label.upper() for label in labels}
        folded = name.strip().casefold()
        listed = [e for e in entries.values() if (not wanted or e.label in wanted) and folded in _names(e)]
        if listed:
            keys = [(e.label, e.id) for e in listed]
            named = [key for key in keys if key in self._entities]
            chosen = named or keys[:1]
            for key, entry in zip(keys, listed):
                if key in chosen:
                    self._entities.setdefault(key, EntityRow(entry.canonical, entry.label, entry.id))
            return chosen
        return [
            key
            for key, e in self._entities.items()
            if (not wanted or e.label in wanted) and (folded == e.canonical.casefold() or folded in e.forms)
        ]

    def name(self, key: EntityKey) -> str:
        return self._entities[key].canonical

    def rows(self, keys: Sequence[EntityKey]) -> list[TimelineRow]:
        """One row per period holding documents and entity asked for, zero counts included: by period, then
        in the order of ``keys``."""
        return [self._row(period, key) for period in self.periods() for key in keys]

    def _row(self, period: str, key: EntityKey) -> TimelineRow:
        entity, words, mentions = self._entities[key], self._words[period], self._mentions[(period, key)]
        return TimelineRow(
            period=period,
            canonical=entity.canonical,
            label=entity.label,
            id=entity.id,
            mentions=mentions,
            documents=self._naming[(period, key)],
            per_10k_words=round(mentions * PER_WORDS / words, 2) if words else None,
            period_documents=self._documents[period],
            period_words=words,
        )

    def chart(self, keys: Sequence[EntityKey]) -> tuple[list[str], list[int], list[tuple[str, list[float | None]]]]:
        """What a picture needs: every period of the axis, documents in each, and each entity's rate per
        period (None where the period holds no documents: no evidence, which is not zero)."""
        axis = self.axis()
        lines = []
        for key in keys:
            rates = {row.period: row.per_10k_words for row in (self._row(period, key) for period in self.periods())}
            lines.append((self._entities[key].canonical, [rates.get(period) for period in axis]))
        return axis, [self._documents.get(period, 0) for period in axis], lines


def _names(entry: Entry) -> set[str]:
    return {n.casefold() for n in entry.names()}


class PeriodTables:
    """``nhsx extract --by``: an entity table for each period; documents without a date fine enough go
    under UNDATED, listed last."""

    def __init__(self) -> None:
        self._tables: dict[str, EntityTable] = {}

    def add_document(self, period: str, mentions: Iterable[Mention]) -> None:
        self._tables.setdefault(period, EntityTable()).add_document(mentions)

    def rows(self) -> Iterator[dict[str, Any]]:
        for period in sorted(self._tables, key=lambda p: (p == UNDATED, p)):
            for row in self._tables[period].rows():
                yield {"period": period, **row.to_dict()}
