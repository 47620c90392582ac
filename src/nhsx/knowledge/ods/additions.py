"""What the files do not hold: curated aliases and acronyms (``nhsx/data/ods_additions.yaml``), the ICB
brand names ("NHS Kent and Medway"), and the ambiguity filter over the whole import."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from importlib import resources

import yaml

from nhsx.knowledge.ods.entries import (
    _entry,
    _unique,
    aliases_for_trust,
)
from nhsx.knowledge.ods.names import (
    match_key,
)
from nhsx.knowledge.ods.sources import (
    OdsError,
)

ADDITIONS_RESOURCE = "ods_additions.yaml"  # in nhsx/data


_ADDITION_FIELDS = ("aliases", "acronyms")


_ADDITION_KEY = re.compile(r"[A-Z0-9]{3,5}(-ics|-stp)?")


# key ("RF4", "QU9-ics") -> {"aliases": [...], "acronyms": [...]}
Additions = Mapping[str, Mapping[str, Sequence[str]]]


def _addition_names(key: str, field: str, value: object, source: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise OdsError(f"{source}: {key}: {field} must be a list of names")
    return [" ".join(v.split()) for v in value]


def _parse_addition(key: str, value: object, source: str) -> dict[str, list[str]]:
    if not _ADDITION_KEY.fullmatch(key):
        raise OdsError(f"{source}: {key!r} is not an ODS code or a footprint id (QU9-ics, QU9-stp)")
    if not isinstance(value, dict) or not value or set(value) - set(_ADDITION_FIELDS):
        raise OdsError(f"{source}: {key}: give 'aliases' and/or 'acronyms' (and nothing else)")
    return {f: _addition_names(key, f, value[f], source) for f in _ADDITION_FIELDS if f in value}


def parse_additions(doc: object, source: str = ADDITIONS_RESOURCE) -> dict[str, dict[str, list[str]]]:
    """The additions file's mapping, checked: keys ODS codes or footprint ids, values aliases/acronyms."""
    if doc is None:
        return {}
    if not isinstance(doc, dict):
        raise OdsError(f"{source}: expected a mapping of ODS codes to aliases/acronyms")
    return {str(key): _parse_addition(str(key), value, source) for key, value in doc.items()}


def builtin_additions() -> dict[str, dict[str, list[str]]]:
    """The curated additions shipped with nhsx (nhsx/data/ods_additions.yaml)."""
    text = (resources.files("nhsx") / "data" / ADDITIONS_RESOURCE).read_text(encoding="utf-8")
    return parse_additions(yaml.safe_load(text))


def _addition_key(entry: Mapping) -> str:
    return str(entry["id"]).removeprefix("ods:")


def _with_addition(entry: dict, addition: Mapping[str, Sequence[str]] | None, places: AbstractSet[str]) -> dict:
    if not addition:
        return entry
    # a former trust name brings its own short forms, as the current name does ("Derby Hospitals")
    curated = [form for alias in addition.get("aliases", ()) for form in (alias, *aliases_for_trust(alias, places))]
    aliases = _unique([*entry.get("aliases", ()), *curated])
    acronyms = list(dict.fromkeys([*entry.get("acronyms", ()), *addition.get("acronyms", ())]))
    return _entry(**{**entry, "aliases": aliases, "acronyms": acronyms})


def merge_additions(entries: list[dict], additions: Additions, places: AbstractSet[str] = frozenset()) -> list[dict]:
    """The entries with the curated aliases and acronyms keyed to them added (keys without an entry
    here are ignored: each import holds one group). ``places`` decide which short forms are distinctive."""
    return [_with_addition(e, additions.get(_addition_key(e)), places) for e in entries]


def missing_additions(entries: list[dict], additions: Additions) -> list[str]:
    """Curated names absent from the entries they are keyed to ("ods:RF4 acronym 'BHRUT'"): after
    the import, the ones the ambiguity filter dropped because another entry has them too."""
    missing = []
    for entry in entries:
        addition = additions.get(_addition_key(entry), {})
        names = {match_key(n) for n in (entry["canonical"], *entry.get("aliases", ()))}
        missing += [f"{entry['id']} alias {a!r}" for a in addition.get("aliases", ()) if match_key(a) not in names]
        missing += [
            f"{entry['id']} acronym {a!r}" for a in addition.get("acronyms", ()) if a not in entry.get("acronyms", ())
        ]
    return missing


def icb_brand(canonical: str) -> str | None:
    """ "NHS Kent and Medway Integrated Care Board" -> "NHS Kent and Medway", the name ICBs go by."""
    m = re.fullmatch(r"(NHS .+?) Integrated Care Board", canonical)
    return m.group(1) if m else None


def _name_owners(entries: Iterable[dict]) -> dict[str, set[str]]:
    """match_key of every canonical name and alias -> the ids of the entries that have it."""
    owners: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        for name in (entry["canonical"], *entry.get("aliases", ())):
            owners[match_key(name)].add(entry["id"])
    return owners


def _with_brand(entry: dict, owners: Mapping[str, set[str]]) -> dict:
    brand = icb_brand(entry["canonical"]) if entry.get("kind") == "ICB" else None
    if brand is None or owners.get(match_key(brand), set()) - {entry["id"]}:
        return entry
    return _entry(**{**entry, "aliases": _unique([*entry.get("aliases", ()), brand])})


def add_icb_brands(entries: list[dict]) -> list[dict]:
    """Each ICB gets the alias "NHS <footprint>" unless another entry already has that name."""
    owners = _name_owners(entries)
    return [_with_brand(e, owners) for e in entries]


def _acronym_owners(entries: Iterable[dict]) -> dict[str, set[str]]:
    owners: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        for acronym in entry.get("acronyms", ()):
            owners[acronym].add(entry["id"])
    return owners


def drop_ambiguous(entries: list[dict]) -> list[dict]:
    """Drop every alias that two entries share, or that is another entry's canonical name, and every
    acronym (exact case) that two entries share."""
    owners, acronym_owners = _name_owners(entries), _acronym_owners(entries)
    result = []
    for entry in entries:
        own, me = match_key(entry["canonical"]), {entry["id"]}
        kept = [a for a in entry.get("aliases", ()) if match_key(a) != own and owners[match_key(a)] == me]
        acronyms = [a for a in entry.get("acronyms", ()) if acronym_owners[a] == me]
        result.append(_entry(**{**entry, "aliases": _unique(kept), "acronyms": acronyms}))
    return result
