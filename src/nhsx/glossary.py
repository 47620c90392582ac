"""Acronym glossaries: every abbreviation used, what it stands for, where that meaning came from.

What counts as an acronym follows the guidelines: two or more capitals, possibly with lower-case
letters, digits or "&" inside (PbR, 5YFV, A&E); a plural "s" is not part of it (ICSs -> ICS).
Words in capitals that are not acronyms are left out: all-capitals headline lines, Roman numerals,
"OK". An acronym inside a name counts ("NHS Luton CCG" is a use of NHS and of CCG), but not inside
a longer acronym already counted ("NHS CC" is one entry, not a use of NHS too).

An acronym defined in a document takes that definition there (source ``text``); otherwise nhsx's
gazetteer meaning (``gazetteer``); otherwise it is ``unknown``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from .abbreviations import Definition, first_definitions, singular
from .gazetteer import Entry

SOURCES = ("text", "gazetteer", "unknown")
_WORD = re.compile(r"(?<![\w&])[A-Za-z0-9][A-Za-z0-9&]*(?![\w&])")
# Well-formed Roman numerals only ("LD" and "CIC" are acronyms; "II" and "XIV" are not).
_ROMAN = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
NOT_ACRONYMS = frozenset({"OK", "TV", "AM", "PM"})


@dataclass(frozen=True)
class AcronymUse:
    acronym: str
    start: int


def acronym_index(entries: Iterable[Entry]) -> dict[str, str]:
    """Acronym -> expansion; the first entry to claim an acronym keeps it."""
    index: dict[str, str] = {}
    for entry in entries:
        for acronym in entry.acronyms:
            index.setdefault(acronym, entry.glossary_expansion)
    return index


def acronym_shape(word: str) -> str | None:
    """The acronym a word is (plural s removed), or None."""
    if sum(c.isupper() for c in word) < 2 or not (word[0].isupper() or word[0].isdigit()):
        return None
    if word.endswith("s") and word[-2:-1].isupper():
        word = word[:-1]
    return word


def _headline_lines(text: str) -> list[tuple[int, int]]:
    """Lines written all in capitals (two words or more): their capitals are not acronyms."""
    spans = []
    for match in re.finditer(r"[^\n]+", text):
        words = re.findall(r"[A-Za-z]{2,}", match.group())
        if len(words) >= 2 and all(w.isupper() for w in words):
            spans.append((match.start(), match.end()))
    return spans


def find_acronyms(text: str, known: dict[str, str]) -> list[AcronymUse]:
    multiword = sorted((a for a in known if " " in a), key=len, reverse=True)
    uses: list[AcronymUse] = []
    taken: list[tuple[int, int]] = []
    for acronym in multiword:
        for match in re.finditer(rf"(?<![\w&]){re.escape(acronym)}s?(?![\w&])", text):
            uses.append(AcronymUse(acronym, match.start()))
            taken.append((match.start(), match.end()))
    headlines = _headline_lines(text)
    for match in _WORD.finditer(text):
        start = match.start()
        if any(a <= start < b for a, b in taken):
            continue
        acronym = acronym_shape(match.group())
        if acronym is None:
            continue
        if acronym not in known:
            if acronym in NOT_ACRONYMS or _ROMAN.match(acronym):
                continue
            if any(a <= start < b for a, b in headlines):
                continue
        uses.append(AcronymUse(acronym, start))
    return sorted(uses, key=lambda u: u.start)


def normalise(expansion: str) -> str:
    """Expansions compare ignoring case, hyphens and apostrophe style."""
    return " ".join(expansion.replace("-", " ").replace("\u2019", "'").casefold().split())


def _as_known(text_expansion: str, known: str | None) -> str:
    """The text's expansion, in nhsx's spelling when it is the same thing in another number
    ("primary and acute care systems (PACS)" is the PACS of the gazetteer: "primary and acute care system")."""
    if known and normalise(singular(text_expansion)) == normalise(known):
        return known
    return text_expansion


@dataclass(frozen=True)
class DocumentAcronym:
    """One acronym in one document."""

    acronym: str
    expansion: str | None
    source: str
    count: int
    first_offset: int


def document_acronyms(
    text: str, known: dict[str, str], definitions: Sequence[Definition] = ()
) -> list[DocumentAcronym]:
    """The acronyms of one document in order of first use, each with its meaning there."""
    defined = {short: _as_known(d.long, known.get(short)) for short, d in first_definitions(definitions).items()}
    uses = find_acronyms(text, {**known, **defined})
    counts = Counter(u.acronym for u in uses)
    found: dict[str, DocumentAcronym] = {}
    for use in uses:
        if use.acronym in found:
            continue
        if use.acronym in defined:
            expansion, source = defined[use.acronym], "text"
        elif use.acronym in known:
            expansion, source = known[use.acronym], "gazetteer"
        else:
            expansion, source = None, "unknown"
        found[use.acronym] = DocumentAcronym(use.acronym, expansion, source, counts[use.acronym], use.start)
    return list(found.values())


def document_glossary(text: str, known: dict[str, str], definitions: Sequence[Definition] = ()) -> dict[str, str | None]:
    """Acronym -> expansion (None when nobody knows it), in order of first use."""
    return {a.acronym: a.expansion for a in document_acronyms(text, known, definitions)}


@dataclass
class GlossaryEntry:
    acronym: str
    expansion: str | None = None
    source: str = "unknown"
    count: int = 0
    docs: int = 0
    first_seen: dict[str, Any] = field(default_factory=dict)
    definitions: Counter = field(default_factory=Counter)  # text expansions -> documents defining them so
    gazetteer: str | None = None
    doc: str | None = None  # set on per-document entries
    spellings: dict[str, str] = field(default_factory=dict, repr=False)  # one spelling per distinct definition

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"acronym": self.acronym}
        if self.doc is not None:
            data["doc"] = self.doc
        data.update(
            expansion=self.expansion, source=self.source, count=self.count, docs=self.docs,
            first_seen=self.first_seen,
            definitions=[{"expansion": e, "count": c} for e, c in self.definitions.most_common()]
            if len(self.definitions) > 1 else [],
        )
        return data


class Glossary:
    """Glossary entries over a stream of documents (counts only, so memory stays flat)."""

    def __init__(self, known: dict[str, str], per_doc: bool = False) -> None:
        self.known, self.per_doc = known, per_doc
        self._entries: dict[tuple[str, str], GlossaryEntry] = {}

    def add_document(self, name: str, text: str, definitions: Sequence[Definition] = ()) -> None:
        for found in document_acronyms(text, self.known, definitions):
            key = (name if self.per_doc else "", found.acronym)
            entry = self._entries.get(key)
            if entry is None:
                entry = self._entries[key] = GlossaryEntry(
                    found.acronym, first_seen={"doc": name, "offset": found.first_offset},
                    doc=name if self.per_doc else None,
                )
            entry.count += found.count
            entry.docs += 1
            if found.source == "text":
                spelled = entry.spellings.setdefault(normalise(found.expansion), found.expansion)
                entry.definitions[spelled] += 1
            elif found.source == "gazetteer":
                entry.gazetteer = found.expansion

    def entries(self) -> list[GlossaryEntry]:
        """Alphabetical (ignoring case), each with its meaning: the text's, else nhsx's, else unknown."""
        for entry in self._entries.values():
            if entry.definitions:
                entry.expansion, entry.source = entry.definitions.most_common(1)[0][0], "text"
            elif entry.gazetteer:
                entry.expansion, entry.source = entry.gazetteer, "gazetteer"
        return sorted(self._entries.values(), key=lambda e: (e.acronym.casefold(), e.acronym, e.doc or ""))


def slug(acronym: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", acronym.lower()).strip("-") or "x"


def gazetteer_yaml(entries: Sequence[GlossaryEntry]) -> str:
    """The glossary as a gazetteer file (label TERM) to review and feed back with --gazetteer."""
    import yaml

    known = [e for e in entries if e.expansion]
    body = {
        "label": "TERM",
        "entries": [
            {
                "id": f"term:{slug(e.acronym)}",
                "canonical": e.expansion,
                "acronyms": [e.acronym],
                "expansion": e.expansion,
                "notes": f"{e.source}: used {e.count} times in {e.docs} documents",
            }
            for e in known
        ],
    }
    unknown = sorted({e.acronym for e in entries if not e.expansion})
    header = "# Glossary written by `nhsx glossary -f yaml`: review the expansions before using it as a gazetteer.\n"
    if unknown:
        header += f"# Used but not defined anywhere (add them by hand): {', '.join(unknown)}\n"
    return header + yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=120)


def markdown(entries: Sequence[GlossaryEntry]) -> str:
    """A ready-to-paste two-column glossary, alphabetical."""
    lines = ["| Acronym | Meaning |", "| --- | --- |"]
    for entry in entries:
        meaning = (entry.expansion or "(not defined)").replace("|", "\\|")
        lines.append(f"| {entry.acronym} | {meaning} |")
    return "\n".join(lines) + "\n"
