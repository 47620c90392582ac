"""Names: ODS upper case into written form (``title_case_ods``), and whether a short name is distinctive
enough to be an alias (not a place, not a list of places)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Set as AbstractSet

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
        lead = word[: len(word) - len(word.lstrip('("'))]
        rest = word[len(lead) :]
        tail = rest[len(rest.rstrip('),.:"')) :]
        core = word[len(lead) : len(word) - len(tail)]
        if core.upper() == "ST" and tail.startswith("."):
            tail = tail[1:]  # "ST. HELENS" -> "St Helens"
        out.append(lead + (_case_word(core, first or bool(lead)) if core else "") + tail)
        first = core in ("-", "–") or word.endswith(":")  # a new phrase after " - "
    text = _fix_brackets(" ".join(out))
    for phrase, pattern in _PHRASES.items():
        text = pattern.sub(phrase, text)
    return text


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
