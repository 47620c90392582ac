"""Organisations over time: which body held a role on a given date.

Gazetteer entries carry ``valid_from``/``valid_to`` and a ``successor`` (NHS Luton CCG -> NHS
Bedfordshire, Luton and Milton Keynes CCG -> the BLMK ICB). Mapping a mention "as of" a date
follows successors forward until an entry that still existed on that date; dates before an
organisation existed are left alone (predecessors are often several bodies, so there is no
single answer going backwards).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Iterable, Mapping

from .gazetteer import Entry, date_bounds
from .records import Mention


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
