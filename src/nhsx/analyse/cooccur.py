"""Entity co-occurrence over mention streams: which entities are named together, and how strongly.

A *window* is a sentence, a paragraph or a whole document. A pair of entities counts once per
window that names both, however often either is named there. Only counters are kept (per entity
and per pair, plus one document's seen-set while it is added), so memory grows with the number of
distinct pairs, never with the number of documents.

The association measures use N, the number of windows that hold at least one mention: windows
with no mention cannot be seen in mention records (a sentence without an entity leaves no trace),
so they are left out of N consistently for every pair.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from nhsx.analyse.measures import COUNT, MEASURES, SORTS, measure_values
from nhsx.read.jsonlines import LineProblem, json_field, json_records
from nhsx.records import Mention

WINDOWS = ("sentence", "paragraph", "document")
PAIR_COLUMNS = ("a", "a_label", "b", "b_label", "count", "docs", "a_count", "b_count") + tuple(MEASURES)
_DECIMALS = 6  # measures in to_dict(): plenty for ranking, and the same text on every platform


def entity_key(label: str, canonical: str, entry_id: str | None) -> str:
    """One node per gazetteer id, or per label and canonical name when there is no id."""
    return entry_id or f"{label}:{canonical}"


@dataclass
class Node:
    key: str
    canonical: str
    label: str
    id: str | None
    mentions: int = 0  # mentions in all documents
    documents: int = 0  # documents naming the entity
    windows: int = 0  # windows naming the entity (a pair's a_count / b_count)


@dataclass(frozen=True)
class PairRow:
    a: str
    a_label: str
    a_id: str | None
    b: str
    b_label: str
    b_id: str | None
    count: int  # windows naming both
    docs: int  # documents with at least one such window
    a_count: int
    b_count: int
    measures: dict[str, float]  # name -> value, for every measure in MEASURES

    def value(self, name: str) -> float:
        """The pair count or a measure, by name (what --sort names)."""
        return self.count if name == COUNT else self.measures[name]

    @property
    def a_key(self) -> str:
        return entity_key(self.a_label, self.a, self.a_id)

    @property
    def b_key(self) -> str:
        return entity_key(self.b_label, self.b, self.b_id)

    def to_dict(self) -> dict[str, Any]:
        row: dict[str, Any] = {name: getattr(self, name) for name in PAIR_COLUMNS if name not in MEASURES}
        row.update((name, round(value, _DECIMALS)) for name, value in self.measures.items())
        return {**row, "a_id": self.a_id, "b_id": self.b_id}


def parse_pair(text: str) -> tuple[str, str]:
    """'BODY:POLICY' -> ('BODY', 'POLICY')."""
    left, sep, right = text.partition(":")
    if not sep or not left or not right or ":" in right:
        raise ValueError(f"expected LABEL:LABEL, got {text!r}")
    return left.upper(), right.upper()


class Cooccurrence:
    """Pair counts over a stream of documents, each given as its list of mentions."""

    def __init__(self, window: str = "sentence") -> None:
        if window not in WINDOWS:
            raise ValueError(f"window must be one of {', '.join(WINDOWS)}, not {window!r}")
        self.window = window
        self.n_windows = 0  # N: windows holding at least one mention
        self._nodes: dict[str, Node] = {}
        self._pair_windows: Counter[tuple[str, str]] = Counter()  # keyed by (key, key), keys sorted
        self._pair_docs: Counter[tuple[str, str]] = Counter()

    def add_document(self, mentions: Sequence[Mention]) -> None:
        """Count one document's mentions (one call per document: ``docs`` counts calls)."""
        windows = self._windows_of(mentions)
        for key in set().union(*windows.values()):
            self._nodes[key].documents += 1
        seen: set[tuple[str, str]] = set()
        for keys in windows.values():
            self.n_windows += 1
            for key in keys:
                self._nodes[key].windows += 1
            for pair in itertools.combinations(sorted(keys), 2):  # sorted keys: no self-pairs, one order
                self._pair_windows[pair] += 1
                seen.add(pair)
        self._pair_docs.update(seen)

    def _windows_of(self, mentions: Iterable[Mention]) -> dict[int, set[str]]:
        """The distinct entity keys in each window of one document; also counts mentions per node."""
        windows: dict[int, set[str]] = defaultdict(set)
        for mention in mentions:
            key = entity_key(mention.label, mention.canonical, mention.id)
            node = self._nodes.get(key)
            if node is None:  # the first canonical name seen for an id names the node, as in the entity table
                node = self._nodes[key] = Node(key, mention.canonical, mention.label, mention.id)
            node.mentions += 1
            windows[self._window_index(mention)].add(key)
        return windows

    def _window_index(self, mention: Mention) -> int:
        if self.window == "sentence":
            return mention.sentence
        return mention.paragraph if self.window == "paragraph" else 0

    def nodes(self) -> list[Node]:
        """Every entity seen, most mentioned first; ties by label then name, like the entity table."""
        return sorted(self._nodes.values(), key=lambda n: (-n.mentions, -n.documents, n.label, n.canonical, n.key))

    def pairs(
        self,
        labels: Iterable[str] = (),
        pair: tuple[str, str] | None = None,
        entity: str | None = None,
        min_count: int = 1,
        sort: str = "count",
        top: int | None = None,
    ) -> list[PairRow]:
        """Pairs passing every filter given, highest ``sort`` measure first, ties by names; ``top`` keeps the first N.

        ``labels``: either side has one of them; ``pair``: the two sides' labels, in either order;
        ``entity``: one side's canonical name or id, ignoring case.
        """
        if sort not in SORTS:
            raise ValueError(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
        wanted = _PairFilter(labels, pair, entity)
        rows = [
            self._row(keys)
            for keys, count in self._pair_windows.items()
            if count >= min_count and wanted(self._nodes[keys[0]], self._nodes[keys[1]])
        ]
        rows.sort(key=lambda r: (-r.value(sort), r.a, r.b, r.a_key, r.b_key))
        return rows if top is None else rows[: max(top, 0)]

    def _row(self, keys: tuple[str, str]) -> PairRow:
        a, b = sorted((self._nodes[k] for k in keys), key=lambda n: (n.canonical, n.key))
        c = self._pair_windows[keys]
        ca, cb, n = a.windows, b.windows, self.n_windows
        return PairRow(
            a=a.canonical,
            a_label=a.label,
            a_id=a.id,
            b=b.canonical,
            b_label=b.label,
            b_id=b.id,
            count=c,
            docs=self._pair_docs[keys],
            a_count=ca,
            b_count=cb,
            measures=measure_values(c, ca, cb, n),
        )

    @staticmethod
    def matrix(pairs: Sequence[PairRow]) -> tuple[list[str], list[list[int]]]:
        """A symmetric entity-by-entity count matrix over the entities of ``pairs``.

        The diagonal holds each entity's own window count (the matrix is XᵀX of the window-by-entity
        incidence matrix), so a row can be read as shares of that entity's windows. Names are the
        canonical names, with the label (or id) added where two entities share one.
        """
        entities = _matrix_entities(pairs)
        index = {key: i for i, key in enumerate(entities)}
        rows = [[0] * len(entities) for _ in entities]
        for row in pairs:
            i, j = index[row.a_key], index[row.b_key]
            rows[i][j] = rows[j][i] = row.count
            rows[i][i], rows[j][j] = row.a_count, row.b_count
        return _matrix_names(list(entities.values())), rows


class _PairFilter:
    """The --label, --pair and --entity tests on a pair's two nodes."""

    def __init__(self, labels: Iterable[str], pair: tuple[str, str] | None, entity: str | None) -> None:
        self.labels = {label.upper() for label in labels}
        self.pair = sorted(label.upper() for label in pair) if pair else None
        self.entity = entity.casefold() if entity else None

    def __call__(self, a: Node, b: Node) -> bool:
        if self.labels and not {a.label, b.label} & self.labels:
            return False
        if self.pair and sorted((a.label, b.label)) != self.pair:
            return False
        return not self.entity or any(self._names(node) for node in (a, b))

    def _names(self, node: Node) -> bool:
        return self.entity in (node.canonical.casefold(), (node.id or "").casefold())


def _matrix_entities(pairs: Sequence[PairRow]) -> dict[str, tuple[str, str, str | None]]:
    """key -> (canonical, label, id) for every entity in ``pairs``, ordered by name then key."""
    found = {}
    for row in pairs:
        found[row.a_key] = (row.a, row.a_label, row.a_id)
        found[row.b_key] = (row.b, row.b_label, row.b_id)
    return dict(sorted(found.items(), key=lambda item: (item[1][0], item[0])))


def _matrix_names(entities: list[tuple[str, str, str | None]]) -> list[str]:
    shared = Counter(canonical for canonical, _, _ in entities)
    shared_with_label = Counter((canonical, label) for canonical, label, _ in entities)
    names = []
    for canonical, label, entry_id in entities:
        if shared[canonical] == 1:
            names.append(canonical)
        elif shared_with_label[(canonical, label)] == 1:
            names.append(f"{canonical} ({label})")
        else:
            names.append(f"{canonical} ({entry_id or label})")
    return names


def saved_mentions(path: str | Path, report: Callable[[str], None]) -> Iterator[list[Mention]]:
    """Per-document mention lists from an `nhsx extract --mentions -f jsonl` file, streamed.

    Each line that is not a mention record is reported as ``file:line: problem`` and skipped.
    """
    document: list[Mention] = []
    try:
        for number, raw in json_records(path):
            try:
                mention = saved_mention(raw)
            except LineProblem as exc:
                report(f"{path}:{number}: not a mention record: {exc}")
                continue
            if document and mention.doc != document[0].doc:
                yield document
                document = []
            document.append(mention)
    except OSError as exc:
        report(f"{path}: {exc.strerror or exc}")
    if document:
        yield document


_NEEDED = (("doc", str), ("label", str), ("canonical", str), ("sentence", int), ("paragraph", int))


def saved_mention(raw: dict[str, Any] | LineProblem) -> Mention:
    """One saved mention record: the fields co-occurrence uses must be there with their JSON types."""
    if isinstance(raw, LineProblem):
        raise raw
    for name, kind in _NEEDED:
        json_field(raw, name, kind)
    json_field(raw, "id", str, optional=True)
    return Mention.from_dict(raw)
