"""Mentions in context: a keyword-in-context (concordance) view of the mentions of chosen entities.

An entity is asked for by any name nhsx knows for it (canonical name, id, alias, acronym; any case)
and every mention of it is shown with the words either side, whatever form the text used. Rows are
made one document at a time, as documents stream through, so no document text is kept.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import astuple, dataclass, field, fields
from typing import Any, Iterable, Iterator, Mapping, Sequence

from nhsx.knowledge.gazetteer import Entry
from nhsx.records import Mention

CONTEXT_COLUMNS = ("doc", "page", "start", "end", "text", "canonical", "id", "label", "left", "right")
LINE_BREAK = "⏎"  # shown where a paragraph ends (a blank line); a single line break is only a space
_BLANK_LINE = re.compile(r"\s*\n\s*\n\s*")
_SPACE = re.compile(r"\s+")
_ID = re.compile(r"^[a-z_]+:\S+$")  # body:nhs-england, ods:RYC: an id, which only a gazetteer can give


@dataclass(frozen=True)
class ContextRow:
    doc: str
    page: int | None
    start: int
    end: int
    text: str  # the mention as written (the record's text, for joining with `extract --mentions`)
    canonical: str
    id: str | None
    label: str
    left: str  # the words before the mention, whitespace collapsed, ending where the mention starts
    right: str  # the words after it

    def to_dict(self) -> dict[str, Any]:
        return dict(zip(CONTEXT_COLUMNS, astuple(self)))


assert tuple(f.name for f in fields(ContextRow)) == CONTEXT_COLUMNS


def collapse(text: str) -> str:
    """Whitespace runs as one space; a paragraph break (blank line) as a visible mark."""
    return _SPACE.sub(" ", _BLANK_LINE.sub(f" {LINE_BREAK} ", text))


def trim_left(shown: str, width: int) -> str:
    """The last ``width`` characters of ``shown``, beginning at a word (a single long word is cut)."""
    if len(shown) <= width:
        return shown
    if width <= 0:
        return ""
    cut = shown[-width:]
    if shown[-width - 1] != " " and " " in cut.rstrip():  # the cut fell inside a word: drop the piece
        cut = cut[cut.index(" ") :]
    return cut.lstrip()


def trim_right(shown: str, width: int) -> str:
    """The first ``width`` characters of ``shown``, ending at a word."""
    if len(shown) <= width:
        return shown
    if width <= 0:
        return ""
    cut = shown[:width]
    if shown[width] != " " and " " in cut.lstrip():
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip()


def left_context(text: str, start: int, width: int) -> str:
    """At most ``width`` characters of collapsed text before ``start``, beginning at a word."""
    span = 2 * max(width, 0) + 16
    while True:  # widen the raw slice until it holds enough collapsed text (long space runs shrink)
        begin = max(0, start - span)
        shown = collapse(text[begin:start])
        if len(shown) > width or begin == 0:
            return trim_left(shown.lstrip() if begin == 0 else shown, width)
        span *= 4


def right_context(text: str, end: int, width: int) -> str:
    """At most ``width`` characters of collapsed text after ``end``, ending at a word."""
    span = 2 * max(width, 0) + 16
    while True:
        stop = min(len(text), end + span)
        shown = collapse(text[end:stop])
        if len(shown) > width or stop == len(text):
            return trim_right(shown.rstrip(), width)
        span *= 4


def context_rows(text: str, mentions: Iterable[Mention], width: int = 40) -> Iterator[ContextRow]:
    """One row per mention of one document, with ``width`` characters of context each side."""
    for m in mentions:
        yield ContextRow(
            doc=m.doc,
            page=m.page,
            start=m.start,
            end=m.end,
            text=m.text,
            canonical=m.canonical,
            id=m.id,
            label=m.label,
            left=left_context(text, m.start, width),
            right=right_context(text, m.end, width),
        )


@dataclass
class EntityQuery:
    """One --entity value and what it matched: gazetteer ids, or (not in the gazetteer) a canonical name
    to look for among the mentions of the run, e.g. a person the rules found."""

    name: str
    ids: frozenset[str] = frozenset()
    canonicals: frozenset[str] = frozenset()  # casefolded
    found: int = 0  # mentions matched so far

    @property
    def known(self) -> bool:
        return bool(self.ids)

    def matches(self, mention: Mention) -> bool:
        return mention.id in self.ids or mention.canonical.casefold() in self.canonicals


@dataclass
class EntityIndex:
    """Casefolded names -> gazetteer ids, and the display form of every name (for "did you mean")."""

    ids_by_name: dict[str, set[str]] = field(default_factory=dict)
    display: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, entries: Mapping[str, Entry]) -> EntityIndex:
        index = cls()
        for entry in entries.values():
            for name in entry.names():
                key = name.casefold()
                index.ids_by_name.setdefault(key, set()).add(entry.id)
                index.display.setdefault(key, name)
        return index

    def query(self, name: str, entries: Mapping[str, Entry]) -> EntityQuery:
        ids = frozenset(self.ids_by_name.get(name.strip().casefold(), ()))
        canonicals = {entries[i].canonical.casefold() for i in ids} or {name.strip().casefold()}
        return EntityQuery(name, ids, frozenset(canonicals))


def looks_like_id(name: str) -> bool:
    return bool(_ID.match(name.strip()))


def nearest(name: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """The closest names to ``name`` ignoring case, in their own spelling (difflib's ratio >= 0.6)."""
    by_key: dict[str, str] = {}
    for candidate in candidates:
        by_key.setdefault(candidate.casefold(), candidate)
    keys = difflib.get_close_matches(name.casefold(), list(by_key), n=n)
    return [by_key[k] for k in keys]


class Concordance:
    """The mentions of the queried entities, document by document, with their contexts; remembers the
    canonical names seen so that a name that matched nothing can be answered with the nearest ones."""

    def __init__(self, queries: Sequence[EntityQuery], labels: Iterable[str] = (), width: int = 40) -> None:
        self.queries = list(queries)
        self.labels = {label.upper() for label in labels}
        self.width = width
        self.seen: set[str] = set()  # canonical names of every mention read (bounded by the entities, not the text)

    def add_document(self, text: str, mentions: Iterable[Mention]) -> list[ContextRow]:
        wanted = []
        for mention in mentions:
            self.seen.add(mention.canonical)
            if self.labels and mention.label not in self.labels:
                continue
            hits = [q for q in self.queries if q.matches(mention)]
            for query in hits:
                query.found += 1
            if hits:
                wanted.append(mention)
        return list(context_rows(text, wanted, self.width))

    def unmatched(self) -> list[EntityQuery]:
        return [q for q in self.queries if not q.found]


TABLE_DOC_WIDTH = 40  # the doc column's widest (longer names are shortened with an ellipsis)
MIN_CONTEXT = 12  # below this, the doc column gives up room first


def write_concordance(rows: Sequence[ContextRow], stream: Any, title: str = "") -> None:
    """A rich table aligned on the mentions: left contexts right-aligned against them, right contexts
    after; it fits the console by shortening the contexts (at word boundaries), never the mention."""
    from rich.box import SIMPLE_HEAD
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    is_terminal = stream.isatty() if hasattr(stream, "isatty") else False
    console = Console(
        file=stream, force_terminal=None if is_terminal else False, width=None if is_terminal else _columns()
    )
    mentions = [_SPACE.sub(" ", r.text) for r in rows]
    extra = _extra_columns(rows)
    table = Table(title=title or None, box=SIMPLE_HEAD, padding=(0, 1))
    widths = _widths(console.width, rows, mentions, extra)
    table.add_column("doc", no_wrap=True, overflow="ellipsis", max_width=widths["doc"])
    for name in extra:
        table.add_column(name, no_wrap=True, justify="right" if name == "page" else "left")
    table.add_column("left", justify="right", no_wrap=True, width=widths["left"])
    table.add_column("mention", no_wrap=True, style="bold magenta", min_width=widths["mention"])
    table.add_column("right", no_wrap=True, width=widths["right"])
    for row, mention in zip(rows, mentions):
        cells = [Text(row.doc)] + [Text(_cell(getattr(row, name))) for name in extra]
        cells += [
            Text(trim_left(row.left.rstrip(), widths["left"])),
            Text(mention),
            Text(trim_right(row.right.lstrip(), widths["right"])),
        ]
        table.add_row(*cells)
    console.print(table)


def _columns() -> int:
    """Not a terminal: $COLUMNS when set (COLUMNS=100 nhsx context ... | less), else 160 as other tables."""
    value = os.environ.get("COLUMNS", "")
    return int(value) if value.isdigit() and int(value) > 0 else 160


def _extra_columns(rows: Sequence[ContextRow]) -> list[str]:
    """page when some document has pages; canonical when the rows name more than one entity."""
    extra = ["page"] if any(r.page is not None for r in rows) else []
    if len({r.canonical for r in rows}) > 1:
        extra.append("canonical")
    return extra


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def _widths(total: int, rows: Sequence[ContextRow], mentions: Sequence[str], extra: Sequence[str]) -> dict[str, int]:
    """Column widths that add up to at most ``total``: the mention and the small columns whole, the doc
    column up to TABLE_DOC_WIDTH, the two contexts sharing what is left."""
    columns = 4 + len(extra)
    mention = max([len("mention"), *map(len, mentions)])
    fixed = 3 * columns + 1 + mention  # each column's padding and separator, plus the mention itself
    fixed += sum(max([len(name), *(len(_cell(getattr(r, name))) for r in rows)]) for name in extra)
    doc = min(TABLE_DOC_WIDTH, max([len("doc"), *(len(r.doc) for r in rows)]))
    room = max(total - fixed, 0)
    if (room - doc) // 2 < MIN_CONTEXT:
        doc = max(min(doc, 8), room - 2 * MIN_CONTEXT)
    side = max((room - doc) // 2, 1)
    left = max([len("left"), *(len(r.left.rstrip()) for r in rows)])
    right = max([len("right"), *(len(r.right.lstrip()) for r in rows)])
    return {"doc": doc, "mention": mention, "left": min(side, left), "right": min(side, right)}
