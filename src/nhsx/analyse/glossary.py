"""Acronym glossaries: every abbreviation used, what it stands for, where that meaning came from.

What counts as an acronym follows the guidelines: two or more capitals, possibly with lower-case
letters, digits or "&" inside (PbR, 5YFV, A&E); a plural "s" is not part of it (ICSs -> ICS).
An acronym inside a name counts ("NHS Luton CCG" is a use of NHS and of CCG), but not inside
a longer acronym already counted ("NHS CC" is one entry, not a use of NHS too). A variant with a
trailing number ("ABC1" beside "ABC": a tier, a footnote mark) is a use of its acronym.

Capitals that are not acronyms are left out. Never listed: web addresses, e-mail addresses, @handles
and #hashtags (they are names on the web, even when an acronym is inside), and postcodes. Not listed unless nhsx
knows the word or the document defines it: all-capitals headline lines; English words in capitals (days,
months, ordinals, past tenses such as RESOLVED, and runs like "HELD ON THURSDAY"); a byline's name ("By JANE
SMITH"); a field label at the start of a line ("POSTED:", "LAST UPDATED:") unless the words after it
spell it out; the time zone after a clock time ("10:30 GMT"); names in camel case ("McIntyre");
reference codes ("WL867"); Roman numerals (also run into a digit: "II2"); "OK", "TV", "AM", "PM". "PM" after a clock time is never
the Prime Minister.

An acronym defined in a document takes that definition there (source ``text``); otherwise nhsx's
gazetteer meaning (``gazetteer``): when nhsx knows several senses, the one whose context words the
document uses most, the first listed on a tie; otherwise it is ``unknown``.
"""

from __future__ import annotations

import calendar
import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Collection, Iterable, Mapping, Sequence

from spacy.lang.en.stop_words import STOP_WORDS

from nhsx.knowledge.gazetteer import Entry
from nhsx.nlp.abbreviations import (
    Definition,
    first_definitions,
    long_form_start,
    max_words,
    singular,
)

SOURCES = ("text", "gazetteer", "unknown")
_WORD = re.compile(r"(?<![\w&@#])[A-Za-z0-9][A-Za-z0-9&]*(?![\w&])")
# Well-formed Roman numerals only ("LD" and "CIC" are acronyms; "II" and "XIV" are not).
_ROMAN = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
# A Roman numeral of I, V and X run into a number ("Volume II2": a garbled "II", or a footnote mark).
_ROMAN_NUMBERED = re.compile(r"^[IVX]+\d+$")
NOT_ACRONYMS = frozenset({"OK", "TV", "AM", "PM"})
# Web addresses, domain names (GOV.UK) and handles: names on the web, never acronyms. Matched from the
# start of each run of non-spaces only, so a long run costs its length once.
_WEB_NAME = re.compile(
    r"(?:https?://|www\.|[@#])|[\w-]+(?:\.[\w-]+)*\.(?:uk|com|org|net|gov|nhs|io|info|eu)(?:/|$)", re.IGNORECASE
)
_CHUNK = re.compile(r"\S+")
# A UK postcode ("LS1 4RQ", "LA9 4DT"): an address, neither half an acronym.
_POSTCODE = re.compile(r"(?<![\w&])[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}(?![\w&])")
_ENCLOSING = "()[]<>\"'\u2018\u2019\u201c\u201d,;:.!?"
# The zone after a clock time: "10:30 GMT", "9.30am (BST)", "3pm UTC" (zone names end in T, or are UTC;
# "section 4.10 XYZ" is not a time and zone).
_TIME_ZONE = re.compile(r"\b\d{1,2}(?:[:.]\d{2}\s*(?:[ap]\.?m\b\.?)?|\s*[ap]\.?m\b\.?)\s*\(?([A-Z]{1,4}T|UTC)\b")
# "By JANE SMITH" or "By Jane Smith, health correspondent" on a line of its own: the name, up to five words.
_BYLINE = re.compile(
    r"^[ \t]*[Bb][Yy][ \t]+((?:[A-Z][\w'\u2019.-]*[ \t]+){0,4}[A-Z][\w'\u2019.-]*)[ \t]*(?:[,|\u2013-].*)?$", re.M
)
# A field label opening a line: "POSTED:", "LAST UPDATED:" (group 2: the rest of the line).
_LABEL = re.compile(r"^[ \t]*((?:[A-Z]{2,}[ \t]+){0,3}[A-Z]{2,})[ \t]*:[ \t]*([^\n]*)", re.M)
_LOWER_WORD = re.compile(r"[a-z0-9]+")
# Capitals that are listed only when nhsx knows the word or the document defines it: a name written in
# camel case ("McIntyre", "SarahJane", "HealthWatch") and a reference code ("WL867", "LPB05").
_CAMEL_NAME = re.compile(r"^[A-Z][a-z]+[A-Z][a-z]{2,}$")
_REFERENCE_CODE = re.compile(r"^[A-Z]{1,4}\d{2,}$")
# "5:00 PM", "9.30 a.m.": the time of day, never the Prime Minister.
_MERIDIEM = re.compile(r"\b\d{1,2}(?:[:.]\d{2})?\s?([AaPp]\.?[Mm]\b\.?)")


@dataclass(frozen=True)
class AcronymUse:
    acronym: str
    start: int


@dataclass(frozen=True)
class Sense:
    """One meaning nhsx knows for an acronym, and the words (or phrases) that show a document means it."""

    expansion: str
    cues: frozenset[str] = frozenset()


def acronym_index(entries: Iterable[Entry]) -> dict[str, tuple[Sense, ...]]:
    """Acronym -> its senses, the dominant (first listed) first. The first entry to claim an acronym
    keeps it, unless it and later claimants name context words: then each is a sense of its own."""
    entries = list(entries)
    claims: dict[str, list[Entry]] = {}
    for entry in entries:
        for acronym in entry.acronyms:
            claims.setdefault(acronym, []).append(entry)
    common: frozenset[str] | None = None
    index: dict[str, tuple[Sense, ...]] = {}
    for acronym, claimants in claims.items():
        senses = _sense_entries(claimants)
        if len(senses) == 1:
            index[acronym] = (Sense(senses[0].glossary_expansion),)
            continue
        common = _common_words(entries) if common is None else common
        index[acronym] = _senses(senses, common)
    return index


def _sense_entries(claimants: list[Entry]) -> list[Entry]:
    first, chosen, seen = claimants[0], [claimants[0]], {normalise(claimants[0].glossary_expansion)}
    for entry in claimants[1:]:
        if first.context and entry.context and normalise(entry.glossary_expansion) not in seen:
            chosen.append(entry)
            seen.add(normalise(entry.glossary_expansion))
    return chosen


def _common_words(entries: list[Entry]) -> frozenset[str]:
    """Words in the names of 1% of nhsx's entries or more ("health", "care", "trust"): too common to
    tell one sense of an acronym from another."""
    counts: Counter = Counter()
    for entry in entries:
        counts.update(set(_LOWER_WORD.findall(f"{entry.canonical} {entry.expansion or ''}".lower())))
    floor = max(20, len(entries) // 100)
    return frozenset(word for word, count in counts.items() if count >= floor)


def _senses(entries: list[Entry], common: frozenset[str]) -> tuple[Sense, ...]:
    """Each sense's cues: its context words and phrases, and the telling words of its expansion; a cue
    every sense has tells none of them apart."""
    from spacy.lang.en.stop_words import STOP_WORDS

    cue_sets = []
    for entry in entries:
        words = {w for w in _LOWER_WORD.findall(entry.glossary_expansion.lower()) if len(w) > 2}
        context = {" ".join(_LOWER_WORD.findall(c.lower())) for c in entry.context}
        cue_sets.append(frozenset((words - common - STOP_WORDS) | context) - {""})
    shared = frozenset.intersection(*cue_sets)
    return tuple(Sense(e.glossary_expansion, cues - shared) for e, cues in zip(entries, cue_sets))


def known_senses(known: Mapping[str, str]) -> dict[str, tuple[Sense, ...]]:
    """One sense per acronym, from a plain acronym -> expansion mapping."""
    return {acronym: (Sense(expansion),) for acronym, expansion in known.items()}


def choose_sense(senses: Sequence[Sense], present: Collection[str]) -> Sense:
    """The sense with the most of its cues in the document (``present``: its words and phrases);
    the first listed, the dominant sense, on a tie."""
    scores = [sum(cue in present for cue in sense.cues) for sense in senses]
    return senses[scores.index(max(scores))]


def document_cues(text: str, senses: Iterable[Sequence[Sense]]) -> set[str]:
    """The document's lower-case words, and its word n-grams as long as the longest cue phrase."""
    words = _LOWER_WORD.findall(text.lower())
    present = set(words)
    longest = max((cue.count(" ") + 1 for group in senses for sense in group for cue in sense.cues), default=1)
    for n in range(2, min(longest, 4) + 1):
        present.update(" ".join(words[i : i + n]) for i in range(len(words) - n + 1))
    return present


def acronym_shape(word: str) -> str | None:
    """The acronym a word is (plural s removed), or None."""
    if sum(c.isupper() for c in word) < 2 or not (word[0].isupper() or word[0].isdigit()):
        return None
    if word.endswith("s") and word[-2:-1].isupper():
        word = word[:-1]
    return word


def _mark(mask: bytearray, start: int, end: int) -> None:
    mask[start:end] = b"\x01" * (end - start)


def _headline_lines(text: str, mask: bytearray) -> None:
    """Lines written all in capitals (two words or more): their capitals are not acronyms."""
    for match in re.finditer(r"[^\n]+", text):
        words = re.findall(r"(?<![\w.])[A-Za-z]{2,}", match.group())  # not a unit after a number ("9.30am")
        if len(words) >= 2 and all(w.isupper() for w in words):
            _mark(mask, match.start(), match.end())


_CAPITALS_RUN = re.compile(r"(?<![\w&])[0-9]*[A-Z][A-Z0-9]+(?:[ \t]+[A-Z0-9]+)*(?![\w&])")
_CAPITAL_WORD = re.compile(r"[A-Z0-9]+")
_ORDINAL = re.compile(r"^\d+(?:ST|ND|RD|TH)$")
_CALENDAR = frozenset(
    w.upper() for w in (*calendar.day_name, *calendar.month_name, *calendar.day_abbr, *calendar.month_abbr) if w
)


def _plain_word(word: str) -> bool:
    """A word in capitals that is plainly English: a day or month, an ordinal ("8TH"), a past tense of five
    letters or more ("RESOLVED", "NOTED"), a function word of four letters or more written in capitals for
    emphasis ("the past FIVE years"; shorter ones may be acronyms: IT, WHO)."""
    return (
        word in _CALENDAR
        or bool(_ORDINAL.match(word))
        or (len(word) >= 5 and word.endswith("ED"))
        or (len(word) >= 4 and word.lower() in STOP_WORDS)
    )


def _english_in_capitals(text: str, mask: bytearray) -> None:
    """Words in capitals that are English, not acronyms: plain words anywhere, and a run of capitals on one
    line ("HELD ON THURSDAY", "PART 1") at least half of whose words are plain words or English stop words."""
    for run in _CAPITALS_RUN.finditer(text):
        words = [w for w in _CAPITAL_WORD.finditer(run.group()) if not w.group().isdigit()]
        english = [w for w in words if _plain_word(w.group()) or w.group().lower() in STOP_WORDS]
        heading = len(words) >= 2 or (len(words) == 1 and _alone_on_line(text, run.start(), run.end()))
        if heading and 2 * len(english) >= len(words):
            _mark(mask, run.start(), run.end())
            continue
        for word in words:
            if _plain_word(word.group()):
                _mark(mask, run.start() + word.start(), run.start() + word.end())


def _alone_on_line(text: str, start: int, end: int) -> bool:
    """Whether only digits and punctuation stand beside ``start``-``end`` on its line ("PART 1:")."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    rest = text[line_start:start] + text[end : len(text) if line_end < 0 else line_end]
    return not any(c.isalpha() for c in rest)


# Capitals between a title-case word (an honorific: checked on each match) and a surname: "Mr AC Marsh".
_TITLED_INITIALS = re.compile(r"(?<![\w.])([A-Z][a-z]*\.?)[ \t]+([A-Z]{2,3})[ \t]+[A-Z][a-z]")


def _mark_titled_initials(text: str, mask: bytearray) -> None:
    """A person's initials after an honorific ("Mr AC Marsh") are not an acronym."""
    honorifics = _honorifics()
    for match in _TITLED_INITIALS.finditer(text):
        if match.group(1) in honorifics:
            _mark(mask, match.start(2), match.end(2))


@functools.lru_cache(maxsize=1)
def _honorifics() -> frozenset[str]:
    """The person rules' honorifics (their one list), read once."""
    from nhsx.nlp.rules.cues import Cues

    return frozenset(Cues.builtin().honorifics)


def _labels(text: str, mask: bytearray) -> None:
    """ "POSTED: 3 May", "LAST UPDATED: ...": a field's label, unless the words after it spell it out
    ("PALS: Patient Advice and Liaison Service")."""
    for match in _LABEL.finditer(text):
        label = match.group(1)
        spelled = " ".join(match.group(2).split()[: max_words(label.replace(" ", ""))])
        if long_form_start(label.replace(" ", ""), spelled) is None:
            _mark(mask, match.start(1), match.end(1))


def not_acronym_spans(text: str) -> tuple[bytearray, bytearray]:
    """Two character masks: capitals never listed (web names), and capitals listed only when nhsx
    knows them or the document defines them (headlines, bylines, labels, time zones)."""
    web, unless_known = bytearray(len(text) + 1), bytearray(len(text) + 1)
    for chunk in _CHUNK.finditer(text):
        word = chunk.group().strip(_ENCLOSING)
        if "@" in word or _WEB_NAME.match(word):  # an e-mail address has an @ too
            _mark(web, chunk.start(), chunk.end())
    for match in _POSTCODE.finditer(text):
        _mark(web, match.start(), match.end())
    for match in _MERIDIEM.finditer(text):
        _mark(web, match.start(1), match.end(1))
    _headline_lines(text, unless_known)
    _english_in_capitals(text, unless_known)
    _labels(text, unless_known)
    _mark_titled_initials(text, unless_known)  # a person's initials ("Mr AC Marsh")
    for pattern in (_BYLINE, _TIME_ZONE):
        for match in pattern.finditer(text):
            _mark(unless_known, match.start(1), match.end(1))
    return web, unless_known


def _multiword(
    words: list[re.Match], i: int, text: str, lengths: Sequence[int], known: Collection[str]
) -> tuple[str, int] | None:
    """The known acronym of several words ("NHS CC", "NHS CCs") starting at word ``i``, and its word count."""
    for n in lengths:
        if i + n <= len(words):
            found = text[words[i].start() : words[i + n - 1].end()]
            for candidate in (found, found[:-1] if found.endswith("s") else None):
                if candidate is not None and candidate in known:
                    return candidate, n
    return None


def find_acronyms(text: str, known: Collection[str]) -> list[AcronymUse]:
    """Every use of an acronym, in order; ``known`` are the acronyms nhsx knows or the document defines."""
    lengths = sorted({a.count(" ") + 1 for a in known if " " in a}, reverse=True)
    web, unless_known = not_acronym_spans(text)
    words = list(_WORD.finditer(text))
    uses: list[AcronymUse] = []
    i = 0
    while i < len(words):
        start = words[i].start()
        several = _multiword(words, i, text, lengths, known) if lengths and not web[start] else None
        if several:
            uses.append(AcronymUse(several[0], start))
            i += several[1]
            continue
        i += 1
        acronym = acronym_shape(words[i - 1].group())
        if acronym is None or web[start]:
            continue
        if acronym not in known and acronym.endswith("s") and acronym[:-1] in known:
            acronym = acronym[:-1]  # the plural of a known acronym ending in lower case ("LINks" -> LINk)
        if acronym not in known and (
            acronym in NOT_ACRONYMS
            or _ROMAN.match(acronym)
            or _ROMAN_NUMBERED.match(acronym)
            or unless_known[start]
            or _CAMEL_NAME.match(acronym)
            or _REFERENCE_CODE.match(acronym)
        ):
            continue
        uses.append(AcronymUse(acronym, start))
    return uses


_NUMBERED = re.compile(r"^(.*\D)\d+$")


def fold_variants(uses: list[AcronymUse], keep: Collection[str]) -> list[AcronymUse]:
    """ "ABC1" and "ABC2" beside "ABC" in one document are uses of ABC (unless nhsx knows ABC1 or the
    document defines it)."""
    names = {use.acronym for use in uses}
    base: dict[str, str] = {}
    for name in names - set(keep):
        match = _NUMBERED.match(name)
        if match and match.group(1) in names:
            base[name] = match.group(1)
    return [AcronymUse(base[u.acronym], u.start) if u.acronym in base else u for u in uses] if base else uses


def normalise(expansion: str) -> str:
    """Expansions compare ignoring case, hyphens and apostrophe style."""
    return " ".join(expansion.replace("-", " ").replace("\u2019", "'").casefold().split())


_FILLER = frozenset({"and", "of", "the", "for", "in", "&"})


def _content_words(expansion: str) -> frozenset[str]:
    """An expansion's words, fillers left out, each singular ("sectors" -> "sector")."""
    words = _LOWER_WORD.findall(normalise(expansion))
    return frozenset(singular(w) for w in words if w not in _FILLER)


def _as_known(text_expansion: str, senses: Sequence[Sense], before: str = "") -> str:
    """The text's expansion, in nhsx's spelling when it is one of nhsx's senses in another number
    ("primary and acute care systems (PACS)" is the PACS of the gazetteer: "primary and acute care system"),
    or in another order with one word more ("the community, voluntary and social enterprise sectors (VCSE)" is
    nhsx's "voluntary, community and social enterprise": the letters align only by skipping into "sectors"). A
    word of ``before`` (the two words before the text's long form) may complete it."""
    for sense in senses:
        if normalise(singular(text_expansion)) == normalise(sense.expansion):
            return sense.expansion
    words = _content_words(text_expansion)
    near = words | _content_words(" ".join(before.split()[-2:]))
    for sense in senses:
        known = _content_words(sense.expansion)
        if len(known) >= 2 and known <= near and len(words - known) <= 1:
            return sense.expansion
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
    text: str, known: Mapping[str, Sequence[Sense]], definitions: Sequence[Definition] = ()
) -> list[DocumentAcronym]:
    """The acronyms of one document in order of first use, each with its meaning there."""
    defined = {
        short: _as_known(d.long, known.get(short, ()), text[max(0, d.long_start - 40) : d.long_start])
        for short, d in first_definitions(definitions).items()
    }
    acronyms = known.keys() | defined.keys()
    uses = fold_variants(find_acronyms(text, acronyms), acronyms)
    counts = Counter(u.acronym for u in uses)
    meanings = _gazetteer_meanings(text, [a for a in counts if a not in defined and a in known], known)
    found: dict[str, DocumentAcronym] = {}
    for use in uses:
        if use.acronym in found:
            continue
        if use.acronym in defined:
            expansion, source = defined[use.acronym], "text"
        elif use.acronym in meanings:
            expansion, source = meanings[use.acronym], "gazetteer"
        else:
            expansion, source = None, "unknown"
        found[use.acronym] = DocumentAcronym(use.acronym, expansion, source, counts[use.acronym], use.start)
    return list(found.values())


def _gazetteer_meanings(text: str, acronyms: list[str], known: Mapping[str, Sequence[Sense]]) -> dict[str, str]:
    """nhsx's meaning of each acronym in this document; the document's words are read once, and only
    when some acronym has several senses."""
    several = [known[a] for a in acronyms if len(known[a]) > 1]
    present = document_cues(text, several) if several else set()
    return {a: choose_sense(known[a], present).expansion for a in acronyms}


def document_glossary(
    text: str, known: Mapping[str, Sequence[Sense]], definitions: Sequence[Definition] = ()
) -> dict[str, str | None]:
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
    gazetteer: Counter = field(default_factory=Counter)  # nhsx's senses -> documents meaning them
    doc: str | None = None  # set on per-document entries
    spellings: dict[str, str] = field(default_factory=dict, repr=False)  # one spelling per distinct definition

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"acronym": self.acronym}
        if self.doc is not None:
            data["doc"] = self.doc
        data.update(
            expansion=self.expansion,
            source=self.source,
            count=self.count,
            docs=self.docs,
            first_seen=self.first_seen,
            definitions=self._meanings(),
        )
        return data

    def _meanings(self) -> list[dict[str, Any]]:
        """The meanings it took, when more than one: the texts' definitions, else nhsx's senses."""
        meanings = self.definitions or self.gazetteer
        return [{"expansion": e, "count": c} for e, c in meanings.most_common()] if len(meanings) > 1 else []


class Glossary:
    """Glossary entries over a stream of documents (counts only, so memory stays flat)."""

    def __init__(self, known: Mapping[str, Sequence[Sense]], per_doc: bool = False) -> None:
        self.known, self.per_doc = known, per_doc
        self._entries: dict[tuple[str, str], GlossaryEntry] = {}

    def add_document(self, name: str, text: str, definitions: Sequence[Definition] = ()) -> None:
        self.add_acronyms(name, document_acronyms(text, self.known, definitions))

    def add_acronyms(self, name: str, acronyms: Iterable[DocumentAcronym]) -> None:
        """One document's acronyms, found already (the HTML report shows them per document too)."""
        for found in acronyms:
            key = (name if self.per_doc else "", found.acronym)
            entry = self._entries.get(key)
            if entry is None:
                entry = self._entries[key] = GlossaryEntry(
                    found.acronym,
                    first_seen={"doc": name, "offset": found.first_offset},
                    doc=name if self.per_doc else None,
                )
            entry.count += found.count
            entry.docs += 1
            if found.source == "text" and found.expansion:
                spelled = entry.spellings.setdefault(normalise(found.expansion), found.expansion)
                entry.definitions[spelled] += 1
            elif found.source == "gazetteer":
                entry.gazetteer[found.expansion] += 1

    def entries(self) -> list[GlossaryEntry]:
        """Alphabetical (ignoring case), each with its meaning: the text's, else nhsx's, else unknown."""
        for entry in self._entries.values():
            if entry.definitions:
                entry.expansion, entry.source = entry.definitions.most_common(1)[0][0], "text"
            elif entry.gazetteer:
                entry.expansion, entry.source = entry.gazetteer.most_common(1)[0][0], "gazetteer"
        return sorted(self._entries.values(), key=lambda e: (e.acronym.casefold(), e.acronym, e.doc or ""))
