"""Import NHS Organisation Data Service (ODS) extracts into nhsx gazetteer YAML.

Pure Python (stdlib + PyYAML); a package by job: ``sources`` (the files), ``names``, ``footprints``,
``entries``, ``additions``, and here the import itself. Four inputs, recognised by shape (``detect_kind``):

- ``etr``   trusts (ODS etr.csv, 27 quoted columns, no header; column 24 holds the GOR code);
- ``eccg``  CCGs, sub-ICB locations, sub-ICB reporting entities and commissioning hubs (eccg.csv);
- ``icb``   the ICB names-and-codes file (header ``ICBnnCD,ICBnnCDH,ICBnnNM,...``);
- ``gpmap`` NHS Digital's GP-practice map (header with PRACTICE_CODE, PCN_CODE, CCG_CODE, STP_CODE...).

``import_ods(paths, what)`` emits one group of entries ("trusts", "icbs", "ccgs", "pcns"; None = all
the files allow); the other files given only help (place names for the ambiguity filter, ICB codes
for parents, CCG names for sub-ICB codes). ``REFRESH`` lists the four committed files and their inputs.

Rules (each is a small function below):

- Names: ``title_case_ods`` turns ODS upper case into written form (NHS/ICB/CCG kept, St, of/and/
  the/upon, -on-/-under-/-super-, Guy's/Thomas'/O'Riordan, Mc, "&", commas, acronyms in brackets).
- Ids: ``ods:<CODE>``; STP and ICS footprints share their ICB's code: ``ods:<CODE>-stp``/``-ics``.
- Trusts: canonical = the ODS name as written; aliases = the name without "NHS" and the short name
  (the name without "NHS [Foundation] Trust", also without a trailing "University" or "University
  Hospitals") when it is distinctive: two or more words ("St X" is one word), not a place (a town
  in the files, a CCG/STP/ICB/region area or a county, optionally after compass words: "West
  London"), no singular "Hospital" (hospitals are their own entries) and not ending "University".
- Curated additions: ``nhsx/data/ods_additions.yaml`` (analyst-editable) gives aliases and acronyms
  the files do not hold ("BHRUT", former names, "BOB ICB"), keyed by ODS code or footprint entry id
  ("QU9-ics"); ``merge_additions`` adds them to the generated entries, before the ambiguity filter.
- ICB brands: each ICB also goes by "NHS <footprint>" ("NHS Kent and Medway"); ``add_icb_brands``
  adds it unless another entry of the import already has that name (curated ones included).
- Ambiguity filter over the whole import: a name generated for two entries is dropped from both
  (kept only where it is an entry's canonical name); so is an acronym two entries have. A curated
  name is filtered like the rest (the import never fails on it), and ``missing_additions`` lists the
  ones that did not survive: tests/knowledge/test_ods.py requires that list to be empty for the reference
  data, so a curated name that collides fails loudly there instead of vanishing.
- Successors: a closed trust/CCG whose area (column 4) saw exactly one organisation of the same
  file open the next day gets it as successor (RRP -> G6V2S; RD3, RDZ -> R0D); SUCCESSOR_OVERRIDES
  adds mergers the dates cannot show (and wins over the heuristic). The 106 CCGs of 2022 -> their ICB.
- CCGs: canonical "NHS X Clinical Commissioning Group", aliases "NHS X CCG", "X CCG", "X Clinical
  Commissioning Group". A sub-ICB location (eccg "NHS <ICB> ICB - 00L") keeps its CCG's code, so
  it is folded into the 2022 CCG of that code; hubs and reporting entities get no aliases.
- PCNs: kept when the name has at least two words besides "PCN" (bracketed parts, numbers and
  and/&/of/the not counted), not all of them generic (compass, "Rural", "Health", "Network"...),
  and is unique in the map: 887 of the 1,254 named PCNs of January 2022.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import yaml

from nhsx.knowledge.ods.additions import (
    Additions,
    add_icb_brands,
    builtin_additions,
    drop_ambiguous,
    icb_brand,
    merge_additions,
    missing_additions,
    parse_additions,
)
from nhsx.knowledge.ods.entries import (
    _ccg_entries,
    _entry,
    _icb_entries,
    _pcn_entries,
    _trust_entries,
    aliases_for_ccg,
    aliases_for_trust,
    infer_successors,
)
from nhsx.knowledge.ods.footprints import footprint_name, places
from nhsx.knowledge.ods.names import (
    is_distinctive,
    is_place,
    is_place_list,
    match_key,
    place_key,
    title_case_ods,
)
from nhsx.knowledge.ods.sources import (
    GPMAP_FILE,
    ICB_FILE,
    OdsError,
    detect_kind,
    read_sources,
)

__all__ = [
    "REFRESH",
    "WHAT",
    "Additions",
    "OdsError",
    "Refresh",
    "add_icb_brands",
    "aliases_for_ccg",
    "aliases_for_trust",
    "builtin_additions",
    "detect_kind",
    "drop_ambiguous",
    "dump_gazetteer",
    "footprint_name",
    "generate",
    "icb_brand",
    "import_ods",
    "infer_successors",
    "is_distinctive",
    "is_place",
    "match_key",
    "merge_additions",
    "missing_additions",
    "parse_additions",
    "place_key",
    "regenerate",
    "source_note",
    "title_case_ods",
    "places",
    "read_sources",
    "is_place_list",
    "ICB_FILE",
    "GPMAP_FILE",
]


WHAT = ("trusts", "icbs", "ccgs", "pcns")


@dataclass(frozen=True)
class Refresh:
    files: tuple[str, ...]  # inputs, relative to the reference folder
    what: str
    output: str  # relative to the repository root


# The trusts import also reads the ICB file and GP map: they give the place names of the ambiguity
# filter and the ICB codes that parents may point to.
REFRESH: list[Refresh] = [
    Refresh(("etr.csv", ICB_FILE, GPMAP_FILE), "trusts", "gazetteers/ods/trusts.yaml"),
    Refresh((ICB_FILE, GPMAP_FILE), "icbs", "gazetteers/ods/icbs.yaml"),
    Refresh(("eccg.csv", GPMAP_FILE, ICB_FILE), "ccgs", "gazetteers/ods/ccgs.yaml"),
    Refresh((GPMAP_FILE,), "pcns", "gazetteers/ods/pcns.yaml"),
]


_AVAILABLE = {
    "trusts": lambda s: s.etr is not None,
    "icbs": lambda s: s.icb is not None or s.gpmap is not None,
    "ccgs": lambda s: s.eccg is not None or s.gpmap is not None,
    "pcns": lambda s: s.gpmap is not None,
}


_NEEDS = {
    "trusts": "etr.csv",
    "icbs": "the ICB file or the GP map",
    "ccgs": "eccg.csv or the GP map",
    "pcns": "the GP map",
}


def import_ods(paths: Sequence[Path | str], what: str | None = None, additions: Additions | None = None) -> list[dict]:
    """Entries (deterministic order) for ``what`` ("trusts", "icbs", "ccgs", "pcns"; None: every group
    the files allow) with the curated ``additions`` (None: the built-in file; {}: none) and ICB brands,
    after the ambiguity filter over all of them."""
    if what is not None and what not in WHAT:
        raise OdsError(f"unknown group {what!r} (one of {', '.join(WHAT)})")
    sources = read_sources(paths)
    groups = [what] if what else [w for w in WHAT if _AVAILABLE[w](sources)]
    if what and not _AVAILABLE[what](sources):
        raise OdsError(f"{what} need {_NEEDS[what]} among the files")
    places_ = places(sources)
    build = {
        "trusts": lambda: _trust_entries(sources, places_),
        "icbs": lambda: _icb_entries(sources),
        "ccgs": lambda: _ccg_entries(sources),
        "pcns": lambda: _pcn_entries(sources),
    }
    entries = [e for group in groups for e in build[group]()]
    extra = builtin_additions() if additions is None else additions
    return drop_ambiguous(add_icb_brands(merge_additions(entries, extra, places_)))


def source_note(paths: Sequence[Path | str]) -> str:
    """The input file names (no folders, so the output does not depend on where they are)."""
    return ", ".join(Path(p).name for p in paths)


def dump_gazetteer(entries: list[dict], source_note: str) -> str:
    """The YAML text of a generated gazetteer file (round-trips through yaml.safe_load)."""
    header = (
        "# Generated by `nhsx gazetteer import-ods` - do not edit by hand; re-run the import instead\n"
        "# (the refresh command is in nhsx/ods.py, REFRESH; curated aliases and acronyms are in\n"
        "# nhsx/data/ods_additions.yaml; put other corrections in another gazetteer file).\n"
        f"# From: {source_note}\n"
        "# Contains public sector information licensed under the Open Government Licence v3.0\n"
        "# (NHS Organisation Data Service; NHS Digital GP-practice map).\n"
    )
    body = yaml.safe_dump(
        {"label": "BODY", "entries": [_entry(**e) for e in entries]},
        sort_keys=False,
        allow_unicode=True,
        width=120,
        default_flow_style=False,
    )
    return header + body


def generate(paths: Sequence[Path | str], what: str | None = None) -> str:
    """import + dump: the text of one gazetteer file (what the CLI writes)."""
    return dump_gazetteer(import_ods(paths, what), source_note(paths))


def regenerate(reference_dir: Path | str, root: Path | str) -> list[Path]:
    """Rewrite every file in REFRESH from ``reference_dir`` (all generated before any is written, each
    written whole); returns the files written."""
    from nhsx.write.output import atomic_output

    texts = [
        (Path(root) / item.output, generate([Path(reference_dir) / f for f in item.files], item.what))
        for item in REFRESH
    ]
    for out, text in texts:
        out.parent.mkdir(parents=True, exist_ok=True)
        with atomic_output(out) as stream:
            stream.write(text)
    return [out for out, _ in texts]
