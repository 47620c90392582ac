"""Gazetteer entries: loading YAML files into typed entries, and validating them.

Gazetteers are data that analysts edit, so every problem is reported as one line
``file:line: problem`` and a bad entry never stops the others from loading.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

import yaml

from nhsx.records import LABELS

ID_PATTERN = re.compile(r"^[a-z_]+:[A-Za-z0-9][A-Za-z0-9._-]*$")
DATE_PATTERN = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
FILE_DEFAULT_KEYS = ("label", "kind")
# Limits on one gazetteer file: the largest built-in is 160 KB, and a file of 10 MB already takes the
# YAML parser some 800 MB. YAML aliases (*name) repeat a node without copying it, so a few KB of nested
# aliases ("billion laughs") stand for billions of values once anything walks them: count the values
# with every alias expanded, and the nesting depth, before building anything.
MAX_FILE_BYTES = 10 * 2**20
MAX_VALUES = 2_000_000
MAX_DEPTH = 64  # entries are mappings holding lists of mappings: a real file nests 6 levels


class GazetteerError(Exception):
    """A gazetteer file could not be used at all (missing, unreadable)."""


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Role:
    role: str
    org: str | None = None
    start: str | None = None
    end: str | None = None


@dataclass(frozen=True)
class Entry:
    id: str
    label: str
    canonical: str
    aliases: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    expansion: str | None = None
    kind: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    successor: str | None = None
    case_sensitive: bool = False
    common_word: bool = False
    plural: bool | None = None
    short_names: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()
    ods_code: str | None = None
    parent: str | None = None
    region: str | None = None
    notes: str | None = None
    source: str | None = None  # the published list or register the fact was taken from
    context: tuple[str, ...] = ()  # words that show a document means this sense of a shared acronym
    file: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)

    @property
    def glossary_expansion(self) -> str:
        return self.expansion or self.canonical

    def names(self) -> Iterator[str]:
        """Every name the entry answers to when an analyst asks for it (--entity): id, names, acronyms."""
        yield self.id
        yield self.canonical
        yield from self.aliases
        yield from self.acronyms
        yield from self.short_names
        if self.expansion:
            yield self.expansion

    def to_dict(self) -> dict[str, Any]:
        """All fields, JSON-ready (roles as mappings, empty values kept)."""
        data = asdict(self)
        data["roles"] = [{"role": r.role, "org": r.org, "from": r.start, "to": r.end} for r in self.roles]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entry:
        data = dict(data)
        data["roles"] = tuple(Role(r["role"], r.get("org"), r.get("from"), r.get("to")) for r in data.get("roles", ()))
        for key in _LIST_KEYS:
            data[key] = tuple(data.get(key) or ())
        return cls(**data)


ENTRY_KEYS = {f.name for f in fields(Entry)} - {"file", "line"} | {"from", "to"}
_LIST_KEYS = ("aliases", "acronyms", "short_names", "context")
_BOOL_KEYS = ("case_sensitive", "common_word", "plural")
_TEXT_KEYS = ("expansion", "kind", "successor", "ods_code", "parent", "region", "notes", "source")

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader that records the line of every mapping as ``__line__`` and keeps dates as text
    (so an impossible date such as 2013-02-30 is reported on its line instead of crashing the load)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _LineLoader.construct_yaml_str)


def _expansion_problem(text: str) -> tuple[int, str] | None:
    """(line, problem) when the YAML has too many values with aliases expanded, is nested too deep, or
    has an alias inside the node it names; None otherwise (invalid YAML is the loader's to report).
    Counted on the parser's events, in constant memory, without expanding anything."""
    parser = _BaseLoader(text)
    sizes: dict[str, int] = {}  # anchor -> values in its node, aliases expanded
    open_nodes: list[tuple[str | None, int]] = []  # (anchor, count before it) of each collection being read
    count = 0
    try:
        while parser.check_event():
            event = parser.get_event()
            line = event.start_mark.line + 1
            if isinstance(event, yaml.AliasEvent):
                if any(anchor == event.anchor for anchor, _ in open_nodes):
                    return line, f"alias *{event.anchor} is inside the node it names"
                count += sizes.get(event.anchor or "", 0)  # an undefined alias is the loader's to report
            elif isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
                count += 1
                if isinstance(event, yaml.CollectionStartEvent):
                    open_nodes.append((event.anchor, count - 1))
                elif event.anchor:
                    sizes[event.anchor] = 1
                if len(open_nodes) > MAX_DEPTH:
                    return line, f"nested more than {MAX_DEPTH} levels deep"
            elif isinstance(event, yaml.CollectionEndEvent):
                anchor, before = open_nodes.pop()
                if anchor:
                    sizes[anchor] = count - before
            if count > MAX_VALUES:
                return line, f"more than {MAX_VALUES:,} values with aliases expanded (an alias bomb?)"
    except yaml.YAMLError:
        return None
    finally:
        parser.dispose()
    return None


def _is_date(value: str) -> bool:
    """YYYY, YYYY-MM or a real calendar date YYYY-MM-DD."""
    if not DATE_PATTERN.match(value):
        return False
    try:
        dt.date.fromisoformat(value if len(value) == 10 else value[:4] + "-01-01")
    except ValueError:
        return False
    return len(value) != 7 or 1 <= int(value[5:]) <= 12


def date_bounds(start: str | None, end: str | None) -> tuple[str, str]:
    """Comparable full dates: a year or month starts at its first day and ends at its last."""
    return _pad(start, "0000-01-01"), _pad(end, "9999-12-31")


def _pad(value: str | None, template: str) -> str:
    return value + template[len(value) :] if value else template


def builtin_dir() -> Path:
    """The built-in gazetteers: inside the installed package, or the source checkout."""
    here = Path(__file__).resolve().parents[1]  # the nhsx package
    for candidate in (here / "gazetteers", here.parents[1] / "gazetteers"):
        if candidate.is_dir():
            return candidate
    raise GazetteerError(f"{here / 'gazetteers'}: built-in gazetteers not found")


def gazetteer_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand files and folders (recursively) into the YAML files to load, in a stable order."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            # A folder's own files before its sub-folders' files: the first entry to claim an acronym is its
            # default sense, so the main files (terms.yaml) keep precedence over additions in sub-folders.
            found = sorted(
                (p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()),
                key=lambda p: (len(p.relative_to(path).parts), p),
            )
            if not found:
                raise GazetteerError(f"{path}: no .yaml gazetteer files in this folder")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise GazetteerError(f"{path}: no such gazetteer file or folder")
    for file in files:  # before anything reads them whole (the cache key hashes every byte)
        if file.stat().st_size > MAX_FILE_BYTES:
            raise GazetteerError(f"{file}: {_too_large()}")
    return files


def _too_large() -> str:
    return f"gazetteer file too large (over {MAX_FILE_BYTES // 2**20} MB)"


def _as_date(value: Any) -> str | None:
    """Normalise YAML dates and years to ISO text; anything else is returned as text to be flagged."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _as_strings(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return tuple(str(v) for v in value)
    return None


def _parse_role(raw: Any, where: tuple[str, int], problems: list[Problem]) -> Role | None:
    file, line = where
    if not isinstance(raw, dict) or not raw.get("role"):
        problems.append(Problem(file, line, "role without a 'role' text"))
        return None
    line = raw.get("__line__", line)
    start, end = _as_date(raw.get("from")), _as_date(raw.get("to"))
    for value in (start, end):
        if value is not None and not _is_date(value):
            problems.append(Problem(file, line, f"bad date {value!r} in role (use YYYY or YYYY-MM-DD)"))
            return None
    low, high = date_bounds(start, end)
    if start and end and high < low:
        problems.append(Problem(file, line, f"role ends ({end}) before it starts ({start})"))
    return Role(str(raw["role"]), raw.get("org") and str(raw["org"]), start, end)


def parse_entry(raw: Any, defaults: dict[str, Any], file: str, problems: list[Problem]) -> Entry | None:
    """One YAML mapping -> Entry, or None with the reasons added to ``problems``."""
    if not isinstance(raw, dict):
        problems.append(Problem(file, 0, f"entry is not a mapping: {raw!r:.60}"))
        return None
    line = raw.pop("__line__", 0)
    data = {**defaults, **raw}
    before = len(problems)
    for key in data:
        if key not in ENTRY_KEYS:
            problems.append(Problem(file, line, f"unknown field {key!r}"))
    for key in ("id", "label", "canonical"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            problems.append(Problem(file, line, f"missing field {key!r}"))
    if len(problems) > before:
        return None
    entry_id, label = data["id"], data["label"]
    if not ID_PATTERN.match(entry_id):
        problems.append(Problem(file, line, f"bad id {entry_id!r} (use prefix:slug)"))
    if label not in LABELS:
        problems.append(Problem(file, line, f"unknown label {label!r} (one of {', '.join(LABELS)})"))
    lists: dict[str, Any] = {}
    for key in _LIST_KEYS:
        lists[key] = _as_strings(data.get(key))
        if lists[key] is None:
            problems.append(Problem(file, line, f"{key!r} must be a list of strings"))
    for key in _BOOL_KEYS:
        if key in data and not isinstance(data[key], bool):
            problems.append(Problem(file, line, f"{key!r} must be true or false"))
    dates: dict[str, Any] = {key: _as_date(data.get(key)) for key in ("valid_from", "valid_to")}
    for key, value in dates.items():
        if value is not None and not _is_date(value):
            problems.append(Problem(file, line, f"bad date {value!r} in {key!r} (use YYYY or YYYY-MM-DD)"))
    if len(problems) == before and dates["valid_from"] and dates["valid_to"]:
        low, high = date_bounds(dates["valid_from"], dates["valid_to"])
        if high < low:
            problems.append(Problem(file, line, "valid_to is before valid_from"))
    if label == "TERM" and not (data.get("expansion") and lists["acronyms"]):
        problems.append(Problem(file, line, "a TERM entry needs 'acronyms' and an 'expansion'"))
    raw_roles = data.get("roles") or []
    if not isinstance(raw_roles, list):
        problems.append(Problem(file, line, "'roles' must be a list"))
        raw_roles = []
    roles = tuple(r for r in (_parse_role(x, (file, line), problems) for x in raw_roles) if r)
    if len(problems) > before:
        return None
    texts: dict[str, Any] = {key: (None if data.get(key) is None else str(data[key])) for key in _TEXT_KEYS}
    return Entry(
        id=entry_id,
        label=label,
        canonical=data["canonical"].strip(),
        **lists,
        **texts,
        **dates,
        case_sensitive=data.get("case_sensitive", False),
        common_word=data.get("common_word", False),
        plural=data.get("plural"),
        roles=roles,
        file=file,
        line=line,
    )


def load_file(path: Path) -> tuple[list[Entry], list[Problem]]:
    """Load one gazetteer file; YAML errors and bad entries become problems, never exceptions."""
    problems: list[Problem] = []
    name = str(path)
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
        text = data.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [Problem(name, 0, f"cannot read: {exc.__class__.__name__}: {exc}")]
    if len(data) > MAX_FILE_BYTES:
        return [], [Problem(name, 0, _too_large())]
    too_much = _expansion_problem(text)
    if too_much is not None:
        return [], [Problem(name, too_much[0], f"refused: {too_much[1]}")]
    try:
        doc = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context = getattr(exc, "context", None)
        message = f"{context}: {reason}" if context and "constructor" in str(context) else reason
        return [], [Problem(name, line, f"invalid YAML: {message}")]
    if doc is None:
        return [], [Problem(name, 0, "empty gazetteer file")]
    if isinstance(doc, list):
        raw_entries, defaults = doc, {}
    elif isinstance(doc, dict) and isinstance(doc.get("entries"), list):
        raw_entries = doc["entries"]
        defaults = {k: doc[k] for k in FILE_DEFAULT_KEYS if k in doc}
        extra = set(doc) - set(FILE_DEFAULT_KEYS) - {"entries", "__line__"}
        if extra:
            problems.append(Problem(name, 1, f"unknown top-level keys: {', '.join(sorted(extra))}"))
    else:
        return [], [Problem(name, 1, "expected a list of entries or a mapping with 'entries:'")]
    entries = [e for e in (parse_entry(raw, defaults, name, problems) for raw in raw_entries) if e]
    return entries, problems


def load_entries(paths: Iterable[Path]) -> tuple[list[Entry], list[Problem]]:
    entries: list[Entry] = []
    problems: list[Problem] = []
    for path in paths:
        found, trouble = load_file(path)
        entries.extend(found)
        problems.extend(trouble)
    return entries, problems


@dataclass
class Gazetteer:
    """The merged entries: built-ins first, then user files whose ids replace built-in ones."""

    entries: dict[str, Entry]
    problems: list[Problem]

    @staticmethod
    def layers(extra: Sequence[str | Path] = (), builtins: bool = True) -> list[list[Path]]:
        """The files to load, in order: built-ins, then the user's (which override by id)."""
        return ([gazetteer_files([builtin_dir()])] if builtins else []) + [gazetteer_files(extra)]

    @classmethod
    def load(cls, extra: Sequence[str | Path] = (), builtins: bool = True) -> Gazetteer:
        return cls.from_layers(cls.layers(extra, builtins))

    @classmethod
    def from_layers(cls, layers: list[list[Path]]) -> Gazetteer:
        merged: dict[str, Entry] = {}
        problems: list[Problem] = []
        for files in layers:
            found, trouble = load_entries(files)
            problems.extend(trouble)
            problems.extend(duplicate_ids(found))
            merged.update({e.id: e for e in found})
        return cls(merged, problems)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)


# --- validation --------------------------------------------------------------------------------


def duplicate_ids(entries: Sequence[Entry]) -> list[Problem]:
    seen: dict[str, Entry] = {}
    problems = []
    for entry in entries:
        if entry.id in seen:
            first = seen[entry.id]
            problems.append(
                Problem(entry.file, entry.line, f"duplicate id {entry.id!r} (first at {first.file}:{first.line})")
            )
        else:
            seen[entry.id] = entry
    return problems


def name_key(name: str) -> str:
    """How the matcher sees a name: case, apostrophe style, hyphens and a leading 'the' ignored."""
    text = name.replace("\u2019", "'").replace("\u2018", "'").lower()
    text = re.sub(r"[\s\-\u2010-\u2014]+", " ", text).strip()
    return re.sub(r"^the ", "", text)


def surface_forms(entry: Entry) -> Iterator[tuple[str, str]]:
    """(kind, key) for every form the entry claims: names case-folded, acronyms exact."""
    exact = entry.case_sensitive or entry.common_word
    for name in (entry.canonical, *entry.aliases):
        if entry.label != "TERM":
            yield ("exact", name.replace("\u2019", "'")) if exact else ("name", name_key(name))
    for acronym in entry.acronyms:
        yield "acronym", acronym
    for short in entry.short_names:
        yield "exact", short


def _periods_overlap(a: Entry, b: Entry) -> bool:
    a_from, a_to = date_bounds(a.valid_from, a.valid_to)
    b_from, b_to = date_bounds(b.valid_from, b.valid_to)
    return a_from <= b_to and b_from <= a_to


def _same_meaning(a: Entry, b: Entry, kind: str) -> bool:
    """Same entity, or (for an acronym) the same expansion: a reviewed glossary fed back as TERMs agrees."""
    if a.label == b.label and name_key(a.canonical) == name_key(b.canonical):
        return True
    if kind == "acronym" and a.label == b.label == "TERM" and a.context and b.context:
        return True  # senses of one acronym, told apart in each document by their context words
    return kind == "acronym" and name_key(a.glossary_expansion) == name_key(b.glossary_expansion)


def alias_conflicts(entries: Sequence[Entry]) -> list[Problem]:
    """A form claimed by entries of different meaning is ambiguous unless their periods are disjoint."""
    owners: dict[tuple[str, str], list[Entry]] = {}
    for entry in entries:
        for form in set(surface_forms(entry)):
            owners.setdefault(form, []).append(entry)
    problems = []
    for (kind, key), claimants in owners.items():
        for i, later in enumerate(claimants[1:], start=1):
            for earlier in claimants[:i]:
                if earlier.id == later.id or _same_meaning(earlier, later, kind):
                    continue
                if not _periods_overlap(earlier, later):
                    continue
                problems.append(
                    Problem(
                        later.file,
                        later.line,
                        f"{kind} {key!r} of {later.id!r} is also claimed by {earlier.id!r} "
                        f"({earlier.file}:{earlier.line}); give them disjoint valid_from/valid_to or remove one",
                    )
                )
                break
    return problems


def dangling_successors(entries: Sequence[Entry]) -> list[Problem]:
    ids = {e.id for e in entries}
    return [
        Problem(e.file, e.line, f"successor {e.successor!r} is not a known id")
        for e in entries
        if e.successor and e.successor not in ids
    ]


def validate(entries: Sequence[Entry]) -> list[Problem]:
    """Cross-entry checks (single-entry checks happen while loading)."""
    return duplicate_ids(entries) + alias_conflicts(entries) + dangling_successors(entries)


def validate_paths(paths: Sequence[str | Path]) -> tuple[list[Problem], int]:
    """Problems in the given files, checked against the built-ins they may refer to or override."""
    files = gazetteer_files(paths)
    given, problems = load_entries(files)
    problems += duplicate_ids(given)
    # the built-ins not given, compared as real paths: a sub-folder of the built-ins (gazetteers/history)
    # still refers to the rest of them
    given_paths = {f.resolve() for f in files}
    others = load_entries(sorted(f for f in gazetteer_files([builtin_dir()]) if f.resolve() not in given_paths))[0]
    merged = {e.id: e for e in others}
    merged.update({e.id: e for e in given})
    names = {str(f) for f in files}
    problems += [p for p in alias_conflicts(list(merged.values())) if p.file in names]
    problems += [p for p in dangling_successors(list(merged.values())) if p.file in names]
    return problems, len(given)
