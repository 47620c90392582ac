"""Gazetteer entries from the ODS rows: trusts, CCGs (and sub-ICB locations), regions, ICBs with their
STP and ICS footprints, and PCNs; successors from the dates and SUCCESSOR_OVERRIDES."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet

from nhsx.knowledge.ods.footprints import (
    Footprint,
    _most_common,
    footprints,
)
from nhsx.knowledge.ods.names import (
    _COMPASS,
    _content_words,
    is_distinctive,
    match_key,
    place_key,
    title_case_ods,
)
from nhsx.knowledge.ods.sources import (
    OdsRow,
    Sources,
)

# closed code -> code that took it over (None: no successor even if the heuristic finds one).
SUCCESSOR_OVERRIDES: dict[str, str | None] = {
    # trusts (acquisitions and mergers into an existing code)
    "R1C": "RW1", "R1E": "RRE", "R1G": "RA9", "R1J": "RTQ", "RA3": "RA7", "RA4": "RH5", "RBA": "RH5",
    "RBB": "RD1", "RBF": "RTH", "RBZ": "RH8", "RC1": "RC9", "RCC": "RCB", "RD7": "RDU", "RDD": "RAJ",
    "RQ8": "RAJ", "RFW": "RQM", "RGQ": "RDE", "RHX": "RW1", "RJF": "RTG", "RJX": "RW4", "RLU": "RQ3",
    "RM4": "RW3", "RN1": "RN5", "RNL": "RNN", "RQ6": "REM", "RQQ": "RGN", "RR1": "RRK", "RT3": "RJ1",
    "RT6": "RMY", "RTV": "RW4", "RV7": "RWN", "RVL": "RAL", "RVX": "RX3", "RW9": "RX4", "RVY": "RBN",
    "RW6": "RM3", "RXH": "RYR", "RY9": "RAX", "RAP": "RAL",
    # CCGs (two new CCGs opened the same day in the same ICB area, or the new code predates the merger)
    "00C": "16C", "00K": "16C", "00M": "16C", "00D": "84H", "00J": "84H",
    "00F": "13T", "00G": "13T", "00H": "13T",
    "09F": "97R", "09P": "97R", "99K": "97R", "09G": "70F", "09H": "70F", "09X": "70F",
    "10H": "14Y", "10Y": "14Y", "10M": "15A", "10N": "15A", "10W": "15A", "11D": "15A",
}  # fmt: skip

# The order of an entry's fields in the generated files.
KEY_ORDER = (
    "id", "canonical", "kind", "ods_code", "aliases", "acronyms", "valid_from", "valid_to", "successor", "parent",
    "region", "notes",
)  # fmt: skip


# GP-map CCG names known to be wrong: 18C was formed in April 2020 from Herefordshire and the three
# Worcestershire CCGs (the map repeats the old Herefordshire name, which 05F had until 2020).
CCG_NAME_OVERRIDES = {"18C": "NHS Herefordshire and Worcestershire CCG"}


# Short names in universal use that the place rule rejects (the gold annotates "the Mid
# Staffordshire scandal" as the trust).
EXTRA_ALIASES = {"RJD": ("Mid Staffordshire", "Mid Staffs")}


def _entry(**fields: object) -> dict:
    """An entry dict in KEY_ORDER, empty values left out."""
    return {k: fields[k] for k in KEY_ORDER if fields.get(k) not in (None, "", [], ())}


def _unique(names: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for name in names:
        key = match_key(name)
        if key not in seen:
            seen.add(key)
            out.append(name)
    return out


def _day_after(iso: str) -> str:
    return (dt.date.fromisoformat(iso) + dt.timedelta(days=1)).isoformat()


def infer_successors(rows: Sequence[OdsRow]) -> dict[str, str]:
    """Closed code -> the one code of ``rows`` that opened the next day in the same column-4 area.
    Where two opened (two CCGs formed in one ICB area on one day) the dates do not say which."""
    opened: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in rows:
        if row.opened and row.icb:
            opened[(row.icb, row.opened)].append(row.code)
    found = {}
    for row in rows:
        if row.closed and row.icb:
            candidates = opened.get((row.icb, _day_after(row.closed)), [])
            if len(candidates) == 1:
                found[row.code] = candidates[0]
    return found


def _successors(rows: Sequence[OdsRow]) -> dict[str, tuple[str, str]]:
    """Closed code -> (successor code, how it is known)."""
    result = {code: (succ, "dates") for code, succ in infer_successors(rows).items()}
    codes = {row.code for row in rows}
    for code, succ in SUCCESSOR_OVERRIDES.items():
        if code in codes:
            if succ is None:
                result.pop(code, None)
            elif succ in codes:
                result[code] = (succ, "override")
    return result


_SUCCESSOR_NOTE = {
    "dates": "Successor from the dates (opened the next day in the same ICB area).",
    "override": "Successor from a known merger or acquisition.",
}


# Trust names that are ordinary words ("The Online NHS Trust": "online trust" is a phrase).
_COMMON_WORDS = {"online"}


def aliases_for_trust(canonical: str, places: AbstractSet[str]) -> list[str]:
    """Without "NHS" always; the bare short name only where it is distinctive."""
    m = re.fullmatch(r"(.*?),?\s+NHS (Foundation )?Trust", canonical)
    if not m:
        return []
    name = re.sub(r"^The\s+", "", m.group(1))
    aliases = [] if name.lower() in _COMMON_WORDS else [f"{name} {'Foundation ' if m.group(2) else ''}Trust"]
    shorts = [name]
    if name.endswith(" University Hospitals"):
        shorts.append(name[: -len(" University Hospitals")])
    if name.endswith(" University"):
        shorts.append(name[: -len(" University")])
    aliases += [s for s in shorts if is_distinctive(s, places)]
    if ", NHS" in canonical:  # "The Queen Elizabeth Hospital, King's Lynn, NHS Foundation Trust"
        aliases += [re.sub(r"^The\s+", "", a.replace(",", "")) for a in (canonical, *aliases)]
    return _unique(a for a in aliases if match_key(a) != match_key(canonical))


def _trust_entries(sources: Sources, places_: set[str]) -> list[dict]:
    rows = sources.etr or []
    known_icbs = set(footprints(sources)) or None
    successors = _successors([r for r in rows if r.gor != "W"])
    entries = []
    for row in sorted(rows, key=lambda r: r.code):
        canonical = title_case_ods(row.name)
        notes = []
        if row.gor == "W":
            notes.append("Wales")
        parent = f"ods:{row.icb}" if row.icb and (known_icbs is None or row.icb in known_icbs) else None
        if row.icb and not parent:
            notes.append(f"ICB code {row.icb}: not in the Dec 2024 ICB list (a 2025-26 merged ICB, name not given).")
        succ = successors.get(row.code)
        if succ:
            notes.append(_SUCCESSOR_NOTE[succ[1]])
        aliases = aliases_for_trust(canonical, places_) + list(EXTRA_ALIASES.get(row.code, ()))
        entries.append(
            _entry(
                id=f"ods:{row.code}",
                canonical=canonical,
                kind="trust",
                ods_code=row.code,
                aliases=aliases,
                valid_from=row.opened,
                valid_to=row.closed,
                successor=succ and f"ods:{succ[0]}",
                parent=parent,
                region=row.region and f"ods:{row.region}",
                notes=" ".join(notes),
            )
        )
    return entries


def _ccg_full(name: str) -> str:
    """ "NHS Darlington CCG" -> "NHS Darlington Clinical Commissioning Group"."""
    return re.sub(r"\s+CCG$", " Clinical Commissioning Group", name)


def aliases_for_ccg(name: str) -> list[str]:
    """ "NHS X CCG" -> "NHS X CCG", "X CCG", "X Clinical Commissioning Group" (and without brackets)."""
    area = re.sub(r"^NHS\s+|\s+CCG$", "", name)
    areas = [area] + ([" ".join(re.sub(r"\([^)]*\)", "", area).split())] if "(" in area else [])
    return _unique(form for a in areas for form in (f"NHS {a} CCG", f"{a} CCG", f"{a} Clinical Commissioning Group"))


def _gp_ccgs(sources: Sources) -> dict[str, dict[str, str]]:
    """CCG code -> {name, stp, region} from the GP map (the 106 CCGs of January 2022)."""
    by_code: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in sources.gpmap or []:
        by_code[row["CCG_CODE"]].append(row)
    return {
        code: {
            "name": CCG_NAME_OVERRIDES.get(code, rows[0]["CCG_NAME"]),
            "stp": _most_common(r["STP_CODE"] for r in rows),
            "region": _most_common(r["COMM_REGION_CODE"] for r in rows),
        }
        for code, rows in by_code.items()
    }


_ECCG_KINDS = {"RO218": "commissioning hub", "RO327": "sub-ICB reporting entity"}


def _eccg_kind(row: OdsRow) -> str:
    if row.role.startswith("RO319"):
        return "sub-ICB location"
    return _ECCG_KINDS.get(row.role, "CCG")


def _ccg_2022_entry(code: str, gp: dict[str, str], row: OdsRow | None) -> dict:
    """One of the 106 CCGs of 2022. The ICB that took it over is the one its sub-ICB location sits
    in (eccg column 4), else its STP of January 2022 (they differ only for Bassetlaw)."""
    icb, region = (row.icb, row.region) if row is not None and row.icb else (gp["stp"], gp["region"])
    notes = "One of the 106 CCGs of January 2022; its ICB took over on 2022-07-01."
    if row is not None:
        notes += f' The code continues as the sub-ICB location "{title_case_ods(row.name)}".'
    if icb != gp["stp"]:
        notes += f" In the {gp['stp']} STP footprint until then."
    if code in CCG_NAME_OVERRIDES:
        notes += " Name corrected: the GP map gives a former name."
    return _entry(
        id=f"ods:{code}",
        canonical=_ccg_full(gp["name"]),
        kind="CCG",
        ods_code=code,
        aliases=aliases_for_ccg(gp["name"]),
        valid_from=row and row.opened,
        valid_to="2022-06-30",
        successor=f"ods:{icb}",
        parent=f"ods:{icb}",
        region=f"ods:{region}",
        notes=notes,
    )


def _eccg_entry(row: OdsRow, successor: tuple[str, str] | None) -> dict:
    kind, name = _eccg_kind(row), title_case_ods(row.name)
    ccg = kind == "CCG"
    hub = kind == "commissioning hub"
    notes = _SUCCESSOR_NOTE[successor[1]] if successor else None
    if hub:
        notes = "NHS England commissioning hub; its ODS geography is an office address, so no parent is given."
    return _entry(
        id=f"ods:{row.code}",
        canonical=_ccg_full(name) if ccg else name,
        kind=kind,
        ods_code=row.code,
        aliases=aliases_for_ccg(name) if ccg else [],
        valid_from=row.opened,
        valid_to=row.closed,
        successor=successor and f"ods:{successor[0]}",
        parent=None if hub else row.icb and f"ods:{row.icb}",
        region=None if hub else row.region and f"ods:{row.region}",
        notes=notes,
    )


def _ccg_entries(sources: Sources) -> list[dict]:
    rows = {r.code: r for r in sources.eccg or []}
    gp = _gp_ccgs(sources)
    ccg_like = [r for r in rows.values() if _eccg_kind(r) in ("CCG", "sub-ICB location")]
    successors = _successors(ccg_like)
    entries = []
    for code in sorted(set(rows) | set(gp)):
        if code in gp:
            entries.append(_ccg_2022_entry(code, gp[code], rows.get(code)))
        else:
            entries.append(_eccg_entry(rows[code], successors.get(code)))
    return entries


def _region_entries(sources: Sources) -> list[dict]:
    regions = {(r["COMM_REGION_CODE"], r["COMM_REGION_NAME"], r["ONS_COMM_REGION_CODE"]) for r in sources.gpmap or []}
    return [
        _entry(
            id=f"ods:{code}",
            canonical=f"NHS England {name}",
            kind="region",
            ods_code=code,
            aliases=[f"{name} region", f"NHS England {name} region"],
            notes=f'NHS England regional team ("NHS England - {name}"); ONS code {ons}. The bare place is never an alias.',
        )
        for code, name, ons in sorted(regions)
    ]


def _icb_entry(fp: Footprint) -> dict:
    area = fp.area or fp.footprint
    spellings = [area] + ([fp.footprint] if _loose(fp.footprint) == _loose(area) else [])
    aliases = [form for a in spellings for form in (f"NHS {a} ICB", f"{a} ICB", f"{a} Integrated Care Board")]
    return _entry(
        id=f"ods:{fp.code}",
        canonical=fp.icb_name,
        kind="ICB",
        ods_code=fp.code,
        aliases=_unique(aliases),
        valid_from="2022-07-01",
        parent=fp.region and f"ods:{fp.region}",
        region=fp.region and f"ods:{fp.region}",
        notes=f"ONS code {fp.ons_icb}.",
    )


def _loose(name: str) -> str:
    """Spelling-insensitive key: "Hampshire and the Isle of Wight" = "Hampshire and Isle of Wight"."""
    return " ".join(w for w in place_key(name).split() if w not in ("and", "the"))


def _ics_entry(fp: Footprint) -> dict:
    area = fp.area or fp.footprint
    names = _unique([area, fp.footprint])
    aliases = [form for n in names for form in (f"{n} ICS", f"{n} Integrated Care System")]
    aliases += [fp.brand] if fp.brand else []
    notes = "Statutory from 2022-07-01 as the ICB"
    notes += f" (ods:{fp.code}) and its integrated care partnership." if fp.icb_name else "."
    return _entry(
        id=f"ods:{fp.code}-ics",
        canonical=f"{area} Integrated Care System",
        kind="ICS",
        ods_code=fp.code,
        aliases=_unique(a for a in aliases if match_key(a) != match_key(f"{area} Integrated Care System")),
        region=fp.region and f"ods:{fp.region}",
        notes=notes,
    )


def _stp_entry(fp: Footprint) -> dict:
    names = _unique([fp.footprint] + ([fp.area] if fp.area else []))
    canonical = f"{fp.footprint} Sustainability and Transformation Partnership"
    forms = ("STP", "Sustainability and Transformation Partnership", "Sustainability and Transformation Plan")
    aliases = [f"{n} {form}" for n in names for form in forms]
    return _entry(
        id=f"ods:{fp.code}-stp",
        canonical=canonical,
        kind="STP",
        ods_code=fp.code,
        aliases=_unique(a for a in aliases if match_key(a) != match_key(canonical)),
        valid_to="2022-06-30",
        successor=f"ods:{fp.code}-ics",
        region=fp.region and f"ods:{fp.region}",
        notes=f'Footprint "{fp.stp_name}" in the GP-practice map of January 2022 (ONS code {fp.ons_stp}).',
    )


def _icb_entries(sources: Sources) -> list[dict]:
    entries = _region_entries(sources)
    for fp in footprints(sources).values():
        if fp.icb_name:
            entries.append(_icb_entry(fp))
        if fp.stp_name:
            entries += [_ics_entry(fp), _stp_entry(fp)]
    return entries


_PCN_GENERIC = _COMPASS | {
    "rural", "city", "town", "network", "health", "healthcare", "care", "alliance", "partnership", "partners",
    "group", "practices", "medical", "primary", "community", "villages", "coastal", "collaborative", "integrated",
    "neighbourhood", "one", "new", "pcn", "&",
}  # fmt: skip


def _pcn_words(name: str) -> list[str]:
    """The words of a PCN name that can make it distinctive (brackets and numbers left out)."""
    text = re.sub(r"\([^)]*\)|\bPCN\d*\b", " ", name)
    return [w for w in _content_words(text) if not re.fullmatch(r"[\d\W]+", w)]


def pcn_is_distinctive(name: str) -> bool:
    words = _pcn_words(name)
    return len(words) >= 2 and not all(w.lower().strip(",") in _PCN_GENERIC for w in words)


def _pcn_entry(code: str, name: str, rows: list[dict[str, str]]) -> dict:
    canonical = title_case_ods(name)
    if not re.search(r"\bPCN\d*$", canonical):
        canonical += " PCN"
    bare = " ".join(re.sub(r"\s*\([^)]*\)", "", canonical).split())
    forms = [canonical, bare]
    aliases = [
        re.sub(r"\bPCN(\d*)$", lambda m: "Primary Care Network" + (" " + m[1] if m[1] else ""), f) for f in forms
    ]
    ccg = _most_common(r["CCG_CODE"] for r in rows)
    return _entry(
        id=f"ods:{code}",
        canonical=canonical,
        kind="PCN",
        ods_code=code,
        aliases=_unique(
            a for a in (re.sub(r"^The\s+", "", x) for x in [bare, *aliases]) if match_key(a) != match_key(canonical)
        ),
        parent=f"ods:{ccg}",
        region=f"ods:{_most_common(r['COMM_REGION_CODE'] for r in rows)}",
    )


def _pcn_entries(sources: Sources) -> list[dict]:
    by_code: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in sources.gpmap or []:
        if row["PCN_CODE"] != "U":  # "Unallocated"
            by_code[row["PCN_CODE"]].append(row)
    names = Counter(place_key(rows[0]["PCN_NAME"]) for rows in by_code.values())
    return [
        _pcn_entry(code, rows[0]["PCN_NAME"], rows)
        for code, rows in sorted(by_code.items())
        if names[place_key(rows[0]["PCN_NAME"])] == 1 and pcn_is_distinctive(title_case_ods(rows[0]["PCN_NAME"]))
    ]
