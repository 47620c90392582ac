"""Import NHS Organisation Data Service (ODS) extracts into nhsx gazetteer YAML.

Pure Python (stdlib + PyYAML). Four inputs, recognised by shape (``detect_kind``):

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
  ones that did not survive: tests/test_ods.py requires that list to be empty for the reference
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

import csv
import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

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
]


class OdsError(Exception):
    """An input file is not a usable ODS extract, or the additions file is malformed (one line, for the CLI)."""


# --- what is emitted, and the committed files ------------------------------------------------------

WHAT = ("trusts", "icbs", "ccgs", "pcns")
ICB_FILE = "icb_names_codes_dec_2024.csv"
GPMAP_FILE = "gp-reg-pat-prac-map-2022-01.csv"


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

KEY_ORDER = (
    "id", "canonical", "kind", "ods_code", "aliases", "acronyms", "valid_from", "valid_to", "successor", "parent",
    "region", "notes",
)  # fmt: skip

# --- facts the dates cannot show (sure ones only) ---------------------------------------------------

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

# GP-map CCG names known to be wrong: 18C was formed in April 2020 from Herefordshire and the three
# Worcestershire CCGs (the map repeats the old Herefordshire name, which 05F had until 2020).
CCG_NAME_OVERRIDES = {"18C": "NHS Herefordshire and Worcestershire CCG"}

# Short names in universal use that the place rule rejects (the gold annotates "the Mid
# Staffordshire scandal" as the trust).
EXTRA_ALIASES = {"RJD": ("Mid Staffordshire", "Mid Staffs")}

# Footprint brand names that are separate entries in gazetteers/bodies.yaml.
BRAND_SKIP = {"Greater Manchester Health and Social Care Partnership"}

# --- title casing -------------------------------------------------------------------------------------

_SMALL = {"and", "of", "the", "upon", "for", "with", "in", "on", "at", "by", "under", "le", "cum", "de"}
_HYPHEN_SMALL = {"on", "upon", "under", "super", "in", "le", "by", "the", "en", "sur", "de", "at", "cum"}
_SPECIAL = {"ST": "St", "RD": "Rd", "DR": "Dr", "MR": "Mr", "MRS": "Mrs", "MS": "Ms", "LTD": "Ltd",
            "GPS": "GPs", "CROSSCITY": "CrossCity"}  # fmt: skip
# Acronyms with vowels, seen in ODS and GP-map names (vowel-less words are kept upper anyway).
ACRONYMS = {
    "NHS", "CCG", "ICB", "ICS", "STP", "PCN", "GP", "UK", "H&J", "II", "III", "IV", "NEL", "MK", "SE",
    "APL", "IGPC", "PCCO", "ASOP", "LSA", "LSMP", "SHU", "UOS", "WACA", "LOCC", "ARA", "HIPC", "ACF",
    "AIC", "ABC", "IW", "KIWY", "NORA", "SEOXHA", "HOSMS", "CLICK", "CHOC", "FABB", "FOSS", "TASC",
    "SAPA", "COCO", "WHAM", "GOSK", "BMC",
}  # fmt: skip
_MAC_NAMES = {"MACDONALD": "MacDonald", "MACLEOD": "MacLeod", "MACGREGOR": "MacGregor", "MACINTYRE": "MacIntyre"}
_PHRASES = {"AT Medics": re.compile(r"\bat medics\b", re.IGNORECASE)}


def _case_apostrophe(part: str, first: bool) -> str:
    """GUY'S -> Guy's, THOMAS' -> Thomas', O'RIORDAN -> O'Riordan, P'SHIP -> P'ship."""
    head, *rest = part.split("'")
    out = [_case_part(head, first)]
    for piece in rest:
        if head.upper() in ("O", "D") and piece:
            out.append(piece.capitalize())
        else:
            out.append(piece.lower())
    return "'".join(out)


def _case_part(part: str, first: bool) -> str:
    """One word (no spaces or hyphens) in written case."""
    up = part.upper()
    if not up:
        return part
    if up in _SPECIAL:
        return _SPECIAL[up]
    if up in ACRONYMS:
        return up
    if not first and up.lower() in _SMALL:
        return up.lower()
    if "'" in up:
        return _case_apostrophe(up, first)
    if re.search(r"\d", up):
        if re.fullmatch(r"\d+(ST|ND|RD|TH)", up):
            return up.lower()
        return up if len(up) <= 6 else re.sub(r"[A-Z]+", lambda m: m.group().capitalize(), up)
    if len(up) >= 2 and up.isalpha() and not re.search(r"[AEIOUY]", up):
        return up  # BHR, NSG, KWH: initials
    if up in _MAC_NAMES:
        return _MAC_NAMES[up]
    if len(up) > 2 and up.startswith("MC") and up.isalpha():
        return "Mc" + up[2] + up[3:].lower()
    return up[0] + up[1:].lower()


def _case_word(word: str, first: bool) -> str:
    """A space-separated token: hyphenated and slashed parts cased one by one."""
    out = []
    for i, chunk in enumerate(re.split(r"(/)", word)):
        if chunk == "/":
            out.append(chunk)
            continue
        parts = chunk.split("-")
        cased = [_case_part(parts[0], first or i > 0)]
        for part in parts[1:]:
            small = part.lower() in _HYPHEN_SMALL and part.upper() not in ACRONYMS
            cased.append(part.lower() if small else _case_part(part, True))
        out.append("-".join(cased))
    return "".join(out)


def _initials(words: Iterable[str]) -> str:
    return "".join(w[0] for w in words if w and w[0].isalnum() and w.lower() not in ("and", "of", "the"))


def _fix_brackets(text: str) -> str:
    """A bracketed or bracket-explained acronym is upper case: "Angmering Coppice Fitzalan (ACF)"."""

    def inside(m: re.Match[str]) -> str:
        word, before = m.group(1), re.findall(r"[\w']+", text[: m.start()])
        if len(word) <= 3 or word.upper() == _initials(before[-len(word) :]).upper():
            return f"({word.upper()})"
        return m.group(0)

    def before(m: re.Match[str]) -> str:
        word, explained = m.group(1), re.findall(r"[\w']+", m.group(2))
        return m.group(0).replace(word, word.upper(), 1) if word.upper() == _initials(explained).upper() else m.group(0)

    text = re.sub(r"\((\w+)\)", inside, text)
    return re.sub(r"\b(\w+) \(([^)]*)\)", before, text)


def title_case_ods(name: str) -> str:
    """ODS upper case -> the name as people write it ("GUY'S AND ST THOMAS' NHS FOUNDATION TRUST" ->
    "Guy's and St Thomas' NHS Foundation Trust")."""
    words = " ".join(name.replace("\u2019", "'").split()).split(" ")
    out: list[str] = []
    first = True
    for word in words:
        lead = word[: len(word) - len(word.lstrip("(\""))]
        rest = word[len(lead) :]
        tail = rest[len(rest.rstrip("),.:\"")) :]
        core = word[len(lead) : len(word) - len(tail)]
        if core.upper() == "ST" and tail.startswith("."):
            tail = tail[1:]  # "ST. HELENS" -> "St Helens"
        out.append(lead + (_case_word(core, first or bool(lead)) if core else "") + tail)
        first = core in ("-", "–") or word.endswith(":")  # a new phrase after " - "
    text = _fix_brackets(" ".join(out))
    for phrase, pattern in _PHRASES.items():
        text = pattern.sub(phrase, text)
    return text


# --- keys, places and distinctiveness ---------------------------------------------------------------


def match_key(name: str) -> str:
    """How the matcher sees a name (case, apostrophes, hyphens, a leading 'the', '&' = 'and')."""
    text = name.replace("\u2019", "'").replace("\u2018", "'").lower().replace("&", " and ")
    text = re.sub(r"[\s\-\u2010-\u2014]+", " ", text).strip()
    return re.sub(r"^the ", "", text)


def place_key(name: str) -> str:
    """match_key without punctuation, for comparing place names."""
    return " ".join(re.sub(r"[,.()']", " ", match_key(name)).split())


_COMPASS = {"north", "south", "east", "west", "mid", "central", "greater", "inner", "outer", "upper", "lower",
            "northern", "southern", "eastern", "western", "and"}  # fmt: skip
# Counties, regions and areas that no file names on its own.
BUILTIN_PLACES = (
    "England", "Wales", "Scotland", "Britain", "Great Britain", "United Kingdom", "UK", "Bedfordshire",
    "Berkshire", "Bristol", "Buckinghamshire", "Cambridgeshire", "Cheshire", "City of London", "Cornwall",
    "Cumbria", "Derbyshire", "Devon", "Dorset", "Durham", "County Durham", "East Riding of Yorkshire", "Essex",
    "Gloucestershire", "Hampshire", "Herefordshire", "Hertfordshire", "Isle of Wight", "Kent", "Lancashire",
    "Leicestershire", "Lincolnshire", "Merseyside", "Norfolk", "Northamptonshire", "Northumberland",
    "Nottinghamshire", "Oxfordshire", "Rutland", "Shropshire", "Somerset", "Staffordshire", "Suffolk", "Surrey",
    "Sussex", "Tyne and Wear", "Warwickshire", "West Midlands", "Wiltshire", "Worcestershire", "Yorkshire",
    "Middlesex", "Humberside", "Avon", "Cleveland", "Teesside", "Tyneside", "Wearside", "Humber", "Midlands",
    "East Midlands", "Yorkshire and the Humber", "Wessex", "Anglia", "East Anglia", "Thames Valley",
    "Black Country", "Cotswolds", "Lake District", "Pennines", "Isles of Scilly", "London", "Manchester",
    "Birmingham", "Liverpool", "Leeds", "Sheffield",
)  # fmt: skip


def is_place(name: str, places: AbstractSet[str]) -> bool:
    """A place on its own, optionally after compass words ("West London", "Central and North West London")."""
    words = place_key(name).split()
    while words:
        if " ".join(words) in places:
            return True
        if words[0] not in _COMPASS:
            return False
        words = words[1:]
    return False


def _content_words(name: str) -> list[str]:
    """Words that make a name distinctive: "St X" counts once; and/&/of/the do not count."""
    text = re.sub(r"\bSt\.? (?=\S)", "St_", name)
    return [w for w in text.split() if w.lower() not in ("and", "&", "of", "the") and re.search(r"[A-Za-z]", w)]


def is_place_list(name: str, places: AbstractSet[str]) -> bool:
    """Places joined by commas and "and" ("Norfolk and Suffolk", "Northumberland, Tyne and Wear")."""
    words, i = place_key(name).split(), 0
    while i < len(words):
        length = next((n for n in range(min(5, len(words) - i), 0, -1) if " ".join(words[i : i + n]) in places), 0)
        if not length and words[i] not in _COMPASS:
            return False
        i += length or 1
    return True


def is_distinctive(short: str, places: AbstractSet[str]) -> bool:
    """A bare short name can stand for an organisation: not one word, not a place or a list of places,
    not a hospital."""
    words = _content_words(short)
    return (
        len(words) >= 2
        and not is_place(short, places)
        and not is_place_list(short, places)
        and "hospital" not in {w.lower().strip(",") for w in words}
        and not short.endswith("University")
    )


def _area_parts(area: str) -> list[str]:
    """An area and its parts: "Bath and North East Somerset, Swindon and Wiltshire" -> each place."""
    parts = [p for p in re.split(r",\s*|\s+and\s+|\s+&\s+", area) if p.strip()]
    return [area, *parts]


# --- reading files ----------------------------------------------------------------------------------

_GOR = set("ABDEFGHJKW")


@dataclass(frozen=True)
class OdsRow:
    """One row of etr.csv or eccg.csv (the columns nhsx uses)."""

    code: str
    name: str
    region: str  # column 3: NHS England region code
    icb: str  # column 4: high level health geography (ICB code)
    town: str
    postcode: str
    opened: str | None  # ISO dates
    closed: str | None
    role: str  # eccg column 14
    gor: str  # etr column 24


@dataclass
class Sources:
    etr: list[OdsRow] | None = None
    eccg: list[OdsRow] | None = None
    icb: list[dict[str, str]] | None = None
    gpmap: list[dict[str, str]] | None = None


NumberedRows = list[tuple[int, list[str]]]  # (line number in the file, CSV row)
_GPMAP_COLUMNS = ("PRACTICE_CODE", "PCN_CODE", "PCN_NAME", "CCG_CODE", "CCG_NAME", "STP_CODE", "STP_NAME",
                  "COMM_REGION_CODE", "COMM_REGION_NAME")  # fmt: skip


def _iso(value: str) -> str | None:
    """YYYYMMDD -> YYYY-MM-DD; None unless it is a real date (20239999 is not)."""
    value = value.strip()
    if not re.fullmatch(r"\d{8}", value):
        return None
    iso = f"{value[:4]}-{value[4:6]}-{value[6:8]}"
    try:
        dt.date.fromisoformat(iso)
    except ValueError:
        return None
    return iso


def _read_rows(path: Path) -> NumberedRows:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            try:
                return [(reader.line_num, row) for row in reader if row]
            except csv.Error as exc:
                raise OdsError(f"{path}:{reader.line_num}: not CSV ({exc})") from None
    except FileNotFoundError:
        raise OdsError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise OdsError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise OdsError(f"{path}: cannot read ({exc.strerror or exc.__class__.__name__})") from None


def _kind_of_rows(rows: NumberedRows) -> str | None:
    """The kind of extract, from the header or the first row's shape (later rows are checked on reading)."""
    if not rows:
        return None
    first = rows[0][1]
    header = [h.strip() for h in first]
    if len(header) >= 3 and all(re.fullmatch(rf"ICB\d\d{s}", h) for h, s in zip(header, ("CD", "CDH", "NM"))):
        return "icb"
    if set(_GPMAP_COLUMNS) <= set(header):
        return "gpmap"
    if len(first) == 27 and re.fullmatch(r"\d{8}", first[10].strip()) and first[0].isalnum():
        gors = [r[23] for _, r in rows if len(r) == 27]
        if any(g in _GOR for g in gors):  # trusts carry a GOR code, CCGs never do
            return "etr"
        if not any(g.strip() for g in gors):
            return "eccg"
    return None


def detect_kind(path: Path | str) -> str:
    """ "etr", "eccg", "icb" or "gpmap", from the file's header or shape."""
    path = Path(path)
    kind = _kind_of_rows(_read_rows(path))
    if kind is None:
        raise OdsError(f"{path}: not a recognised ODS extract")
    return kind


def _ods_rows(path: Path, rows: NumberedRows) -> list[OdsRow]:
    return [_ods_row(f"{path}:{number}", r) for number, r in rows]


def _ods_row(where: str, r: list[str]) -> OdsRow:
    """One etr/eccg row; OdsError ``file:line: problem`` when it is not one."""
    if len(r) != 27:
        raise OdsError(f"{where}: {len(r)} columns (an ODS extract row has 27)")
    code, name, opened, closed = r[0].strip(), r[1].strip(), _iso(r[10]), _iso(r[11])
    if not code.isalnum():
        raise OdsError(f"{where}: {code[:40]!r} is not an ODS code")
    if not name or not re.search(r"\w", name):
        raise OdsError(f"{where}: {code} has no name")
    if opened is None:
        raise OdsError(f"{where}: {code} open date {r[10].strip()[:40]!r} is not a date (YYYYMMDD)")
    if closed is None and r[11].strip():
        raise OdsError(f"{where}: {code} close date {r[11].strip()[:40]!r} is not a date (YYYYMMDD)")
    return OdsRow(
        code=code, name=name, region=r[2].strip(), icb=r[3].strip(), town=r[7].strip(), postcode=r[9].strip(),
        opened=opened, closed=closed, role=r[13].strip(), gor=r[23].strip(),
    )


def _dict_rows(path: Path, rows: NumberedRows, needed: Iterable[str]) -> list[dict[str, str]]:
    """Rows of a file with a header as dicts; each must have every column and a value in ``needed``."""
    header = [h.strip() for h in rows[0][1]]
    found = []
    for number, r in rows[1:]:
        if len(r) != len(header):
            raise OdsError(f"{path}:{number}: {len(r)} columns (the header has {len(header)})")
        row = dict(zip(header, (v.strip() for v in r)))
        empty = [name for name in needed if not re.search(r"\w", row[name])]
        if empty:
            raise OdsError(f"{path}:{number}: no {empty[0]}")
        found.append(row)
    return found


def _needed(kind: str, rows: NumberedRows) -> list[str]:
    """The columns every row of a header file must fill: codes and names."""
    if kind == "gpmap":
        return list(_GPMAP_COLUMNS)
    return [h.strip() for h in rows[0][1] if re.fullmatch(r"ICB\d\d(CDH|NM)", h.strip())]


def read_sources(paths: Sequence[Path | str]) -> Sources:
    sources = Sources()
    for raw in paths:
        path = Path(raw)
        rows = _read_rows(path)
        kind = _kind_of_rows(rows)
        if kind is None:
            raise OdsError(f"{path}: not a recognised ODS extract")
        if getattr(sources, kind) is not None:
            raise OdsError(f"{path}: a second {kind} extract (give each kind of file once)")
        read = _ods_rows(path, rows) if kind in ("etr", "eccg") else _dict_rows(path, rows, _needed(kind, rows))
        setattr(sources, kind, read)
    return sources


# --- what the files say about footprints -------------------------------------------------------------


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


# --- entries ------------------------------------------------------------------------------------------


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


# --- curated additions and ICB brands ------------------------------------------------------------------

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
    text = resources.files("nhsx").joinpath("data", ADDITIONS_RESOURCE).read_text(encoding="utf-8")
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


# --- the ambiguity filter and the import ---------------------------------------------------------------


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


# --- output ----------------------------------------------------------------------------------------------


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
    """Rewrite every file in REFRESH from ``reference_dir``; returns the files written."""
    written = []
    for item in REFRESH:
        out = Path(root) / item.output
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(generate([Path(reference_dir) / f for f in item.files], item.what), encoding="utf-8")
        written.append(out)
    return written

