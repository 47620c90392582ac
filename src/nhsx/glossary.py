"""Acronyms used in a document and what they stand for (the gazetteer's NHS sense).

What counts as an acronym follows the guidelines: two or more capitals, possibly with lower-case
letters, digits or "&" inside (PbR, 5YFV, A&E); a plural "s" is not part of it (ICSs -> ICS).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from .gazetteer import Entry

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
    """Lines written all in capitals (several words): their capitals are not acronyms."""
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


def document_glossary(text: str, known: dict[str, str]) -> dict[str, str | None]:
    """Acronym -> expansion (None when nhsx does not know it), in order of first use."""
    glossary: dict[str, str | None] = {}
    for use in find_acronyms(text, known):
        glossary.setdefault(use.acronym, known.get(use.acronym))
    return glossary
