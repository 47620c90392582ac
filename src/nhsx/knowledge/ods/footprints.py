"""STP/ICS/ICB footprints (one per ICB code, with the names each era gave it) and the place names of the
ambiguity filter."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from nhsx.knowledge.ods.names import (
    BUILTIN_PLACES,
    _area_parts,
    place_key,
    title_case_ods,
)
from nhsx.knowledge.ods.sources import (
    Sources,
)

# Footprint brand names that are separate entries in gazetteers/bodies.yaml.
BRAND_SKIP = {"Greater Manchester Health and Social Care Partnership"}


@dataclass(frozen=True)
class Footprint:
    code: str  # ICB ODS code = GP-map STP code
    icb_name: str | None  # "NHS Devon Integrated Care Board"
    stp_name: str | None  # GP map, as written ("Joined Up Care Derbyshire")
    region: str | None
    ons_icb: str | None
    ons_stp: str | None

    @property
    def area(self) -> str | None:
        """The ICB's area: "NHS Devon Integrated Care Board" -> "Devon"."""
        if not self.icb_name:
            return None
        return re.sub(r"^NHS\s+|\s+Integrated Care Board$", "", self.icb_name)

    @property
    def footprint(self) -> str:
        return footprint_name(self.stp_name, self.area) if self.stp_name else self.area or self.code

    @property
    def brand(self) -> str | None:
        """The GP map's name where it is a partnership's brand, not just the area."""
        if not self.stp_name:
            return None
        brand = re.sub(r"^The\s+", "", " ".join(self.stp_name.replace("(", "").replace(")", "").split()))
        plain = {place_key(self.footprint), place_key(self.area or "")}
        return None if place_key(brand) in plain or brand in BRAND_SKIP else brand


_BRAND_SUFFIXES = (
    " Health and Social Care Partnership",
    " Health and Care Partnership",
    " Partners in Health and Care",
    " Health and Care ICS",
    " Health and Care",
    " ICS",
)


_BRAND_PREFIXES = ("Our Healthier ", "Healthier ", "Joined Up Care ", "The ")


def _is_subsequence(short: list[str], long: list[str]) -> bool:
    it = iter(long)
    return all(word in it for word in short)


def footprint_name(stp_name: str, icb_area: str | None = None) -> str:
    """The area of a GP-map STP name: "Healthier Lancashire and South Cumbria" -> "Lancashire and South
    Cumbria"; a brand that dropped a qualifier takes the ICB's ("East London Health and Care
    Partnership" with ICB area "North East London" -> "North East London")."""
    name = " ".join(stp_name.replace("(", "").replace(")", "").split())
    suffixed = False
    for suffix in _BRAND_SUFFIXES:
        if name.endswith(suffix):
            name, suffixed = name[: -len(suffix)], True
            break
    for prefix in _BRAND_PREFIXES:
        if name.startswith(prefix):
            name = name[len(prefix) :]
            break
    if suffixed and icb_area and _is_subsequence(place_key(name).split(), place_key(icb_area).split()):
        return icb_area
    return name


def _most_common(values: Iterable[str]) -> str:
    counts = Counter(values)
    return min(counts, key=lambda v: (-counts[v], v))


def footprints(sources: Sources) -> dict[str, Footprint]:
    """ICB/STP code -> footprint, joining the ICB file and the GP map on the ODS code."""
    icbs = {_col(r, "CDH"): r for r in sources.icb or []}
    stps: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in sources.gpmap or []:
        stps[row["STP_CODE"]].append(row)
    result = {}
    for code in sorted(set(icbs) | set(stps)):
        icb, rows = icbs.get(code), stps.get(code, [])
        result[code] = Footprint(
            code=code,
            icb_name=_col(icb, "NM") if icb else None,
            stp_name=rows[0]["STP_NAME"] if rows else None,
            region=_most_common(r["COMM_REGION_CODE"] for r in rows) if rows else None,
            ons_icb=_col(icb, "CD") if icb else None,
            ons_stp=rows[0]["ONS_STP_CODE"] if rows else None,
        )
    return result


def _col(row: dict[str, str], suffix: str) -> str:
    """The ICBnn<suffix> column of the ICB file, whatever the year nn."""
    return next(v for k, v in row.items() if re.fullmatch(rf"ICB\d\d{suffix}", k))


def places(sources: Sources) -> set[str]:
    """Place keys for the ambiguity filter: towns, CCG/STP/ICB/region areas and their parts, counties."""
    names: list[str] = list(BUILTIN_PLACES)
    for row in (sources.etr or []) + (sources.eccg or []):
        names.append(title_case_ods(row.town))
        area = re.sub(r"^NHS |( CCG| ICB - \w+| - SUB-ICB REPORTING ENTITY)$", "", row.name)
        if area != row.name and "HUB" not in area:
            names.extend(_area_parts(title_case_ods(area)))
    for gp_row in sources.gpmap or []:
        names.extend(_area_parts(re.sub(r"^NHS |\s+CCG$", "", gp_row["CCG_NAME"])))
        names.append(gp_row["COMM_REGION_NAME"])
    for fp in footprints(sources).values():
        names.extend(_area_parts(fp.footprint) + (_area_parts(fp.area) if fp.area else []))
    return {place_key(n) for n in names if n}
