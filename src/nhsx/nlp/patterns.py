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

from nhsx.knowledge.gazetteer import Entry, name_key

# Form codes carried in the match key "<form>|<entry id>".
NAME = "N"  # case-insensitive name
EXACT = "C"  # case-sensitive name
COMMON = "W"  # ordinary-word name: exact case, never sentence-initial
ACRONYM = "A"
SHORT = "S"  # a person's surname that identifies them on its own
HONORIFIC = "H"  # honorific + surname; the honorific is trimmed from the span
DEFINITE = "D"  # a case-sensitive plan's name in lower case: exact case, only as "the NHS plan"
EXACT_FORMS = (EXACT, COMMON, ACRONYM, SHORT, HONORIFIC, DEFINITE)

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
    choices: list[tuple[str, ...]] = []
    for i, gap in enumerate(gaps):
        left, right = words[i].lower(), words[i + 1].lower()
        free = gap == "-" or (
            spaces_may_hyphenate
            and (left.isalpha() or left.isdigit())  # "10-year plan", "18-week target"
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


# --- written forms of one policy name ------------------------------------------------------------
# A policy's title is written in several ways that the guidelines treat as the same name; these
# rules derive them so an analyst types the title once. Each rule maps one form to its alternatives.
_NUMBER_WORDS = [
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
]
_NHS_PREFIXES = ("National Health Service", "NHS", "National")
_NATIONAL_SCOPE = (" for England", " in England")
_ARTICLES = {"a", "an", "the"}
_PLAN_LIKE = {"plan", "strategy", "framework"}  # kinds whose names are also written with "NHS" or "National" in front
_PLAN_HEADS = {
    "Plan",
    "Strategy",
    "Framework",
    "View",
}  # ... when the name ends in one ("NHS Long Term Workforce Plan")
_BODY_PREFIX = re.compile(r"^NHS (England|Improvement)\b")  # "NHS England mandate": a body's name, not the service's
_TIME_UNITS = ("year", "hour", "week", "day", "month", "minute")  # "Five Year", "4-hour", "two-week": numbers in names
_PLURAL_NOUNS = {"children", "people", "women", "men"}  # "Children's" is never "Childrens'"


def _capitalised_words(text: str) -> int:
    """Words that carry a name (capitalised or numeric), a leading article aside."""
    words = text.split()
    if words and words[0].lower() in _ARTICLES:
        words = words[1:]
    return sum(1 for w in words if w[:1].isupper() or w[:1].isdigit())


def _prefix_forms(name: str, plan_like: bool) -> set[str]:
    """ "NHS X" = "National Health Service X"; "NHS X" = "X" when X has four name words ("NHS Long Term
    Workforce Plan"; with fewer, X is often generic: a trust's "patient safety strategy"); and for plans, strategies and frameworks (``plan_like``) "NHS X Framework" =
    "National X Framework", and "X Plan" is also written "NHS X Plan". Acts keep their exact titles."""
    act = re.search(r"\bAct\b", name) is not None
    plan_like = plan_like and not act
    if _BODY_PREFIX.match(name):
        return set()
    prefix = next((p for p in _NHS_PREFIXES if name.startswith(p + " ")), None)
    if prefix is None:
        headed = name.split()[-1] in _PLAN_HEADS and ": " not in name and "NHS" not in name
        return {f"NHS {name}"} if plan_like and headed and _capitalised_words(name) >= 3 else set()
    rest = name[len(prefix) + 1 :]
    forms = {f"NHS {rest}", f"National Health Service {rest}"} if prefix != "National" else set()
    head = rest.split()[:2]
    named = len(head) == 2 and all(w[:1].isupper() or w[:1].isdigit() for w in head)
    if named and plan_like:
        forms |= {f"NHS {rest}", f"National {rest}"}
    if named and not act and _capitalised_words(rest) >= 4:
        forms.add(rest)
    return forms - {name}


def _subtitle_forms(name: str) -> set[str]:
    """ "Equity and Excellence: Liberating the NHS" is also cited by the part after the colon, when that
    part names it on its own ("10 Year Health Plan for England", not "A Plan for Action")."""
    _, colon, subtitle = name.partition(": ")
    return {subtitle} if colon and _capitalised_words(subtitle) >= 3 else set()


def _scope_forms(name: str) -> set[str]:
    """ "NHS Constitution for England" is also "NHS Constitution"."""
    return {name[: -len(s)] for s in _NATIONAL_SCOPE if name.endswith(s) and _capitalised_words(name[: -len(s)]) >= 2}


_ACT_YEAR = re.compile(r"^(.+ Act) ((?:19|20)\d\d)$")


def _act_year_forms(name: str) -> set[str]:
    """An Act's year is also written after "of" or in front: "NHS Act 1946" = "NHS Act of 1946" = "1946 NHS Act"."""
    match = _ACT_YEAR.match(name)
    if not match:
        return set()
    title, year = match.groups()
    return {f"{title} of {year}", f"{year} {title}"}


def _number_forms(name: str) -> set[str]:
    """Numbers up to twenty before a unit of time, as digits or words: "Five Year Forward View" =
    "5 Year Forward View", "Four-Hour Target" = "4-Hour Target" (not "COVID-19", "PF2")."""
    parts = re.split(r"( |-)", name)
    choices: list[tuple[str, ...]] = []
    for i, part in enumerate(parts):
        lower = part.lower()
        following = parts[i + 2] if i + 2 < len(parts) else ""
        if not following.lower().startswith(_TIME_UNITS):
            choices.append((part,))
        elif part.isdigit() and 1 <= int(part) <= len(_NUMBER_WORDS):
            word = _NUMBER_WORDS[int(part) - 1]
            choices.append((part, word.capitalize() if following[:1].isupper() else word))
        elif lower in _NUMBER_WORDS:
            choices.append((part, str(_NUMBER_WORDS.index(lower) + 1)))
        else:
            choices.append((part,))
    return {"".join(combo) for combo in itertools.product(*choices)} - {name}


def _possessive_forms(name: str) -> set[str]:
    """ "Patient's Charter" = "Patients' Charter" = "Patients Charter"; "Saving Babies' Lives" = "Saving Babies Lives"."""
    straight = name.replace("\u2019", "'")
    if "'s " in straight and not any(f"{noun}'s " in straight.lower() for noun in _PLURAL_NOUNS):
        return {straight.replace("'s ", "s' "), straight.replace("'s ", "s ")}
    if "s' " in straight:
        return {straight.replace("s' ", "s ")}
    return set()


_NHS_TITLE = re.compile(r"^NHS(?: [A-Z][a-z]+)+$")


def lower_case_forms(entry: Entry) -> set[str]:
    """ "NHS plan" for the case-sensitive "NHS Plan": a plan's or strategy's title of "NHS" and title-case
    words, the words in lower case (case variants are the same name; the matcher takes them only after
    "the", where they refer to the one plan)."""
    if entry.label != "POLICY" or not entry.case_sensitive:
        return set()
    titles = (n for n in (entry.canonical, *entry.aliases) if _NHS_TITLE.match(n) and n.split()[-1] in _PLAN_HEADS)
    return {f"NHS {title[4:].lower()}" for title in titles}


def policy_name_variants(name: str, plan_like: bool = False) -> set[str]:
    """Other ways the policy title ``name`` is written (``name`` itself excluded): the part after a
    colon, "NHS" / "National Health Service" / nothing at the front (and "National" / "NHS" for a plan,
    strategy or framework: ``plan_like``), without "for England", numbers as digits or words,
    possessives with or without the apostrophe, an Act's year after "of" or in front. Case, hyphens, plurals
    and "&" are left to ``name_variants``."""
    forms = {strip_article(name)}
    forms |= {v for f in forms for v in _subtitle_forms(f)}
    forms |= {v for f in forms for v in _scope_forms(f)}
    forms |= {v for f in forms for v in _prefix_forms(f, plan_like)}
    forms |= {v for f in forms for v in _number_forms(f)}
    forms |= {v for f in forms for v in _possessive_forms(f)}
    forms |= {v for f in forms for v in _act_year_forms(f)}
    return forms - {strip_article(name)}


def derived_names(entry: Entry) -> set[str]:
    """The written forms the variant rules add to a POLICY entry's typed names (none for other labels)."""
    if entry.label != "POLICY":
        return set()
    plan_like = (entry.kind or "").lower() in _PLAN_LIKE
    typed = {name_key(n) for n in (entry.canonical, *entry.aliases)}
    found = {v for n in (entry.canonical, *entry.aliases) for v in policy_name_variants(n, plan_like)}
    return {v for v in found if name_key(v) not in typed}


def unclaimed_derived_names(entries: Iterable[Entry]) -> dict[str, set[str]]:
    """Entry id -> its derived names that no other entry claims, typed or derived: a rule never makes
    a name ambiguous ("NHS Cancer Plan" derived from "National Cancer Plan" is another entry's name)."""
    entries = list(entries)
    derived = {e.id: derived_names(e) for e in entries}
    owners: dict[str, set[str]] = {}
    for entry in entries:
        for name in (entry.canonical, *entry.aliases, *derived[entry.id]):
            owners.setdefault(name_key(name), set()).add(entry.id)
    return {
        entry_id: {n for n in names if owners[name_key(n)] == {entry_id}}
        for entry_id, names in derived.items()
        if names
    }


def acronym_variants(acronym: str) -> set[str]:
    variants = apostrophe_variants(acronym)
    if acronym[-1].isalpha() and acronym[-1] not in "s":
        variants |= {v + "s" for v in variants}
    return variants


def surname(canonical: str) -> str:
    return canonical.split()[-1]


def entry_patterns(
    entry: Entry,
    honorifics: Iterable[str] = (),
    shared_surnames: frozenset[str] = frozenset(),
    derived: Iterable[str] | None = None,
) -> Iterator[Pattern]:
    """Every surface form of one entry, keyed by form and entry id. TERM entries match nothing.
    ``derived``: the rule-made names to use (default: all of the entry's own, unchecked against others)."""
    if entry.label == "TERM":
        return
    name_form = COMMON if entry.common_word else EXACT if entry.case_sensitive else NAME
    plural = wants_plural(entry)
    common_noun = entry.label in ("ORG_TYPE", "POLICY")
    written = (entry.canonical, *entry.aliases, *(derived_names(entry) if derived is None else derived))
    names = {v for n in written for v in name_variants(n, plural, common_noun)}
    for text in sorted(names):
        yield Pattern(make_key(name_form, entry.id), text)
    for text in sorted(lower_case_forms(entry)):
        yield Pattern(make_key(DEFINITE, entry.id), text)
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
    derived = unclaimed_derived_names(entries)
    return [p for entry in entries for p in entry_patterns(entry, honorifics, shared, derived.get(entry.id, ()))]
