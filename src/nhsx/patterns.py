"""Gazetteer entries -> the surface forms the phrase matchers look for.

Pure text work, no spaCy: every variant rule of the guidelines lives here (leading "the",
hyphen-vs-space, curly-vs-straight apostrophes, "and" vs "&", plurals, honorific + surname),
so it can be tested on its own and the matcher only ever sees finished strings.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Iterator

from .gazetteer import Entry

# Form codes carried in the match key "<form>|<entry id>".
NAME = "N"  # case-insensitive name
EXACT = "C"  # case-sensitive name
COMMON = "W"  # ordinary-word name: exact case, never sentence-initial
ACRONYM = "A"
SHORT = "S"  # a person's surname that identifies them on its own
HONORIFIC = "H"  # honorific + surname; the honorific is trimmed from the span
EXACT_FORMS = (EXACT, COMMON, ACRONYM, SHORT, HONORIFIC)

# Words next to which a space is never written as a hyphen ("Stoke-on-Trent" is handled by its own hyphens).
_UNHYPHENATED = {"and", "&", "of", "the", "for", "in", "on", "upon", "at", "to", "by", "with", "nhs", "st"}
_MAX_FREE_GAPS = 4
_APOSTROPHES = ("'", "\u2019")


@dataclass(frozen=True)
class Pattern:
    key: str
    text: str

    @property
    def form(self) -> str:
        return self.key.split("|", 1)[0]

    @property
    def entry_id(self) -> str:
        return self.key.split("|", 1)[1]


def make_key(form: str, entry_id: str) -> str:
    return f"{form}|{entry_id}"


def strip_article(name: str) -> str:
    return re.sub(r"^(?:the|The|THE)\s+", "", name.strip())


def apostrophe_variants(text: str) -> set[str]:
    if not any(a in text for a in _APOSTROPHES):
        return {text}
    straight = text.replace("\u2019", "'")
    return {straight, straight.replace("'", "\u2019")}


def ampersand_variants(text: str) -> set[str]:
    variants = {text}
    if " and " in text:
        variants.add(text.replace(" and ", " & "))
    if " & " in text:
        variants.add(text.replace(" & ", " and "))
    return variants


def hyphen_variants(text: str, spaces_may_hyphenate: bool = True) -> set[str]:
    """Hyphens may be spaces ("Stoke on Trent"), and in common-noun names spaces between content words
    may be hyphens ("long-term plan" = "long term plan"). Proper names are not hyphenated at random."""
    parts = re.split(r"( |-)", text)
    words, gaps = parts[0::2], parts[1::2]
    choices = []
    for i, gap in enumerate(gaps):
        left, right = words[i].lower(), words[i + 1].lower()
        free = gap == "-" or (
            spaces_may_hyphenate
            and left.isalpha()
            and right.isalpha()
            and left not in _UNHYPHENATED
            and right not in _UNHYPHENATED
        )
        choices.append((" ", "-") if free else (gap,))
    if sum(len(c) > 1 for c in choices) > _MAX_FREE_GAPS:
        choices = [(g, " ") if len(c) > 1 else c for g, c in zip(gaps, choices)]
    variants = set()
    for combo in itertools.product(*choices):
        variants.add("".join(w + g for w, g in zip(words, combo + ("",))))
    return variants


def pluralise(word: str) -> str:
    lower = word.lower()
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if lower.endswith("y") and len(word) > 1 and lower[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def plural_form(name: str) -> str | None:
    """The plural of a name's last word, or None when it cannot have one (ends in a digit or a plural)."""
    head, _, last = name.rpartition(" ")
    if not last.isalpha() or last.lower().endswith("s") and not last.lower().endswith("ss"):
        return None
    return f"{head} {pluralise(last)}".strip()


def wants_plural(entry: Entry) -> bool:
    if entry.plural is not None:
        return entry.plural
    return entry.label in ("ORG_TYPE", "POLICY")


def name_variants(name: str, plural: bool, common_noun: bool = True) -> set[str]:
    base = strip_article(name)
    if not base:
        return set()
    stems = {base} | ({p} if plural and (p := plural_form(base)) else set())
    variants: set[str] = set()
    for stem in stems:
        for amp in ampersand_variants(stem):
            for hyph in hyphen_variants(amp, spaces_may_hyphenate=common_noun):
                variants |= apostrophe_variants(hyph)
    return variants


def acronym_variants(acronym: str) -> set[str]:
    variants = apostrophe_variants(acronym)
    if acronym[-1].isalpha() and acronym[-1] not in "s":
        variants |= {v + "s" for v in variants}
    return variants


def surname(canonical: str) -> str:
    return canonical.split()[-1]


def entry_patterns(entry: Entry, honorifics: Iterable[str] = (), shared_surnames: frozenset[str] = frozenset()) -> Iterator[Pattern]:
    """Every surface form of one entry, keyed by form and entry id. TERM entries match nothing."""
    if entry.label == "TERM":
        return
    name_form = COMMON if entry.common_word else EXACT if entry.case_sensitive else NAME
    plural = wants_plural(entry)
    common_noun = entry.label in ("ORG_TYPE", "POLICY")
    names = {v for n in (entry.canonical, *entry.aliases) for v in name_variants(n, plural, common_noun)}
    for text in sorted(names):
        yield Pattern(make_key(name_form, entry.id), text)
    for text in sorted({v for a in entry.acronyms for v in acronym_variants(a)}):
        yield Pattern(make_key(ACRONYM, entry.id), text)
    if entry.label == "PERSON":
        for text in sorted({v for s in entry.short_names for v in apostrophe_variants(s)}):
            yield Pattern(make_key(SHORT, entry.id), text)
        last = surname(entry.canonical)
        if last in shared_surnames:
            return  # "Mr Johnson" could be either of two listed Johnsons
        for honorific in honorifics:
            for text in sorted(apostrophe_variants(f"{honorific} {last}")):
                yield Pattern(make_key(HONORIFIC, entry.id), text)


def compile_patterns(entries: Iterable[Entry], honorifics: Iterable[str] = ()) -> list[Pattern]:
    entries, honorifics = list(entries), tuple(honorifics)
    surnames = Counter(surname(e.canonical) for e in entries if e.label == "PERSON")
    shared = frozenset(name for name, count in surnames.items() if count > 1)
    return [p for entry in entries for p in entry_patterns(entry, honorifics, shared)]
