"""The person rules: token patterns over word classes, and the people a document lists or names by role.

Each rule says which tokens at the edges are cues, not name: "Mr Lamb" -> "Lamb", "chief executive Ed Garratt"
-> "Ed Garratt", "Joe Rafferty calls" -> "Joe Rafferty".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import AbstractSet, Any, Iterable, Sequence

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.lexeme import Lexeme

from nhsx.nlp.rules.cues import (
    APPOINTMENT_VERBS,
    MAX_ROLE_MODIFIERS,
    SURNAME_SHAPES,
    Cues,
)
from nhsx.nlp.rules.organisations import (
    head_parts,
)
from nhsx.nlp.rules.token_patterns import PatternSet, TokenPattern, WordClasses

AUXILIARIES = ["was", "has", "had", "is", "will", "have", "being"]


def person_classes(cues: Cues) -> WordClasses:
    """The word classes the person rules are written in, as tests on a word's lexeme."""
    not_name = set(cues.not_name_words) | set(cues.never_in_name)
    not_surname = set(cues.name_breakers) | set(cues.never_in_name) | set(cues.never_surname)
    honorifics, first_names, role_acronyms = set(cues.honorifics), set(cues.first_names), set(cues.role_acronyms)
    roles, verbs = {w.lower() for w in cues.role_words}, {w.lower() for w in cues.speech_verbs}
    surname_shapes, auxiliaries, appointments = set(SURNAME_SHAPES), set(AUXILIARIES), set(APPOINTMENT_VERBS)
    peers, not_peer_name = set(cues.peer_titles), set(cues.peer_offices) | set(cues.never_in_name)
    return WordClasses(
        {
            "honorific": lambda w: w.orth_ in honorifics,
            "first_name": lambda w: w.orth_ in first_names,
            "role": lambda w: w.lower_ in roles,
            "role_acronym": lambda w: w.orth_ in role_acronyms,
            "speech_verb": lambda w: w.lower_ in verbs,
            # a given name: Title case letters, not a cue or ordinary sentence word
            "name": lambda w: w.is_title and w.is_alpha and w.orth_ not in not_name,
            # surnames may be ordinary words ("West", "May"), just not organisation or place words
            "surname": lambda w: w.shape_ in surname_shapes and w.orth_ not in not_surname,
            "peer": lambda w: w.orth_ in peers,
            # after a peer's title any capitalised word but an office is a surname: "Lord Alliance"
            "peer_name": lambda w: w.shape_ in surname_shapes and w.orth_ not in not_peer_name,
            "of": lambda w: w.orth_ == "of",
            "initial": lambda w: w.shape_ in ("X", "X."),
            "hyphen": lambda w: w.orth_ == "-",
            "comma": lambda w: w.orth_ == ",",
            "lower": lambda w: w.is_lower,
            # a word before a role in an apposition: "managing partner", "Area Director"
            "modifier": lambda w: w.is_lower or (w.is_title and w.is_alpha and w.orth_ not in not_surname),
            "auxiliary": lambda w: w.lower_ in auxiliaries,
            "been": lambda w: w.lower_ == "been",
            "appointment": lambda w: w.lower_ in appointments,
            "line_break": is_line_break,
            "column_gap": is_column_gap,
            "open_paren": lambda w: w.orth_ == "(",
            "close_paren": lambda w: w.orth_ == ")",
            "initials": lambda w: w.shape_ in ("XX", "XXX"),
            "two_initials": lambda w: w.shape_ == "XX",
            "particle": lambda w: w.orth_ in SURNAME_PARTICLES,
            "stand_in": lambda w: w.lower_ in STAND_IN_WORDS,
            "dot": lambda w: w.orth_ == ".",
            # an e-mail-style name in one token: "J.Doghan"
            "dotted_initial": lambda w: w.shape_ in ("X.Xx", "X.Xxx", "X.Xxxx", "X.Xxxxx"),
            "byline": lambda w: w.orth_ == "By",
            "by": lambda w: w.orth_ == "by",
        }
    )


# Words that open an aside naming who an attendee stands in for.
STAND_IN_WORDS = frozenset({"for", "representing", "deputising", "deputy"})


def is_line_break(word: Lexeme) -> bool:
    """Whitespace that may fall inside a name: one line break (a wrapped line), not a blank line, and not
    a column gap."""
    return word.is_space and word.orth_.count("\n") == 1 and "\t" not in word.orth_


def is_column_gap(word: Lexeme) -> bool:
    """Whitespace that ends a name: a run of spaces (spaCy keeps one space on the word before, so any
    space token on one line is two or more) or a tab, as between the columns of an attendance list."""
    return word.is_space and ("\n" not in word.orth_ or "\t" in word.orth_)


# A surname, possibly double-barrelled ("Quilter-Pinner").
SURNAME = ["surname", "hyphen?", "surname?"]


# Lower-case particles of a surname: "Freddie van Mierlo", "Ursula von der Leyen".
SURNAME_PARTICLES = frozenset({"van", "von", "de", "der", "den", "da", "di", "du", "del", "della", "le", "la", "ter"})


def person_patterns() -> list[TokenPattern]:
    """The person rules; each is anchored at the edge that holds its trigger word."""
    return [
        # an initial after the honorific is part of the name: "Mr A Cummings"
        TokenPattern.parse("honorific", ["honorific+", "initial?", "name?", "particle{0,2}", *SURNAME]),
        # two initials after an honorific: "Mr AC Marsh"
        TokenPattern.parse("honorific", ["honorific+", "two_initials", *SURNAME]),
        # a peer by title and surname, with the peerage's place if given: "Lord Carlile of Berriew"
        TokenPattern.parse("peer", ["peer", "peer_name", "of", "peer_name", "peer_name?"]),
        TokenPattern.parse("peer", ["peer", "peer_name"]),
        TokenPattern.parse("first_name", ["first_name", "name?", "particle{0,2}", *SURNAME]),
        # who an attendee stands in for: "(For R Moore)", "(deputising for Jo Bloggs)"
        TokenPattern.parse("stand_in", ["open_paren", "stand_in", "initial", *SURNAME, "close_paren"], anchor="end"),
        TokenPattern.parse("stand_in", ["open_paren", "stand_in", "first_name", *SURNAME, "close_paren"], anchor="end"),
        TokenPattern.parse("role", ["role", "name", *SURNAME]),
        TokenPattern.parse("role", ["role_acronym", "first_name", *SURNAME]),
        TokenPattern.parse("says", ["name", *SURNAME, "speech_verb"], anchor="end"),
        TokenPattern.parse("said_name", ["speech_verb", "name", *SURNAME]),
        # an author's byline: "By Saša Janković" (capital "By": a sentence or line opening)
        TokenPattern.parse("byline", ["byline", "name", *SURNAME]),
        # a byline run into a title: "Not such a swell party, by Lyn Whitfield"
        TokenPattern.parse("comma_byline", ["comma", "by", "name", *SURNAME]),
        TokenPattern.parse("appointed", ["name", *SURNAME, "auxiliary", "been?", "appointment"], anchor="end"),
        # "Grace Oyelaran, managing partner": up to three words before the role word
        # attendance lists: a name closed by a column gap, or by its own initials ("Jo Bloggs (JB)")
        TokenPattern.parse("listed", ["name", "name?", *SURNAME, "column_gap"], anchor="end"),
        TokenPattern.parse("listed", ["initial", *SURNAME, "column_gap"], anchor="end"),
        # e-mail-style names in a list column: "Jo.Bloggs", "J.Bloggs" (the dot must touch both words)
        TokenPattern.parse("listed", ["name", "dot", "surname", "column_gap"], anchor="end"),
        TokenPattern.parse("listed", ["dotted_initial", "column_gap"], anchor="end"),
        TokenPattern.parse(
            "initialled", ["name", "name?", *SURNAME, "open_paren", "initials", "close_paren"], anchor="end"
        ),
        # the person an attendee stands in for, in an aside before the attendee's initials:
        # "Jo Bloggs (representing Ann Other) (JB)"
        TokenPattern.parse(
            "aside",
            [
                "open_paren",
                "lower{1,3}",
                "name",
                "name?",
                *SURNAME,
                "close_paren",
                "open_paren",
                "initials",
                "close_paren",
            ],
            anchor="end",
        ),
        TokenPattern.parse(
            "appositive", ["name", *SURNAME, "comma", f"modifier{{0,{MAX_ROLE_MODIFIERS}}}", "role"], anchor="end"
        ),
    ]


# Words before a role word that say when, not which role: "former Health Secretary Hunt".
ROLE_QUALIFIERS = frozenset({"former", "then", "new", "current", "ex", "shadow", "acting", "interim", "deputy"})


_ROLE_FILLER = frozenset({"of", "the", "for", "to", "and", "in", "at"})


def role_words_of(role: str) -> frozenset[str]:
    """The content words of a role as written in the gazetteer ("Secretary of State for Health")."""
    return frozenset(w for w in re.findall(r"[a-z']+", role.lower()) if w not in _ROLE_FILLER)


@dataclass(frozen=True)
class KnownPerson:
    canonical: str
    entry_id: str
    roles: tuple[frozenset[str], ...]  # the content words of each role held


class KnownRoles:
    """Listed people by surname and the roles they held: "Health Secretary Hunt" and "Chancellor Hunt"
    are Jeremy Hunt when he is the one listed Hunt whose roles hold those words; a role he never held
    ("trust chair Hunt") or a surname two such people share links nobody."""

    def __init__(self, people: Iterable[KnownPerson], boundaries: AbstractSet[str] = STOP_WORDS) -> None:
        self.boundaries = boundaries  # lower-case words that may stand right before a role phrase
        self.by_surname: dict[str, list[KnownPerson]] = {}
        for person in people:
            self.by_surname.setdefault(person.canonical.split()[-1], []).append(person)

    @classmethod
    def of(cls, entries: Iterable[Any], cues: Cues | None = None) -> KnownRoles:
        """From gazetteer entries (``nhsx.knowledge.gazetteer.Entry``): the PERSON entries with roles. A speech
        verb may stand before the role too ("said Health Secretary Hunt")."""
        verbs = {w.lower() for w in (cues.speech_verbs if cues else ())}
        return cls(
            (
                KnownPerson(e.canonical, e.id, tuple(role_words_of(r.role) for r in e.roles))
                for e in entries
                if e.label == "PERSON" and e.roles and len(e.canonical.split()) > 1
            ),
            STOP_WORDS | verbs | set(APPOINTMENT_VERBS),
        )

    def person(self, surname: str, before: Sequence[str]) -> KnownPerson | None:
        """The one listed person with ``surname`` who held a role with every word of the role phrase
        ending ``before`` (the words before the surname, the role word last)."""
        found = []
        for person in self.by_surname.get(surname, ()):
            words = set().union(*person.roles) if person.roles else set()
            phrase, k = [], len(before) - 1
            while k >= 0 and ((lower := before[k].lower()) in words or lower in ROLE_QUALIFIERS):
                phrase.append(lower)
                k -= 1
            # the word before the phrase must not qualify it further ("trust chair Hunt")
            bounded = k < 0 or not before[k].isalpha() or before[k].lower() in self.boundaries
            held = {w for w in phrase if w not in ROLE_QUALIFIERS}
            if bounded and before and before[-1].lower() in words and any(held <= role for role in person.roles):
                found.append(person)
        return found[0] if len(found) == 1 else None

    @property
    def role_vocabulary(self) -> frozenset[str]:
        """Every word of every listed role, with the words that may stand in a role phrase."""
        words = {w for people in self.by_surname.values() for p in people for role in p.roles for w in role}
        return frozenset(words | ROLE_QUALIFIERS | _ROLE_FILLER)

    def named_by_role(self, surname: str, phrases: Iterable[frozenset[str]]) -> KnownPerson | None:
        """The one listed person with ``surname`` who held a role the document names (a phrase of two
        words or more, all of that role: "health secretary", "Secretary of State for Health")."""
        phrases = [p for p in phrases if len(p) >= 2]
        found = [
            person
            for person in self.by_surname.get(surname, ())
            if any(phrase <= role for phrase in phrases for role in person.roles)
        ]
        return found[0] if len(found) == 1 else None


def role_phrases(
    lowers: Sequence[str], role_positions: Iterable[int], vocabulary: AbstractSet[str]
) -> set[frozenset[str]]:
    """The content words of the role phrase around each role word: the run of role vocabulary either
    side of it, at most four words each way ("the [former health secretary] said"). ``lowers`` is
    any sequence of lower-case words; only the words near the role words are read."""
    found = set()
    for i in role_positions:
        start = i
        while start > 0 and i - start < 4 and lowers[start - 1] in vocabulary:
            start -= 1
        end = i + 1
        while end < len(lowers) and end - i <= 4 and lowers[end] in vocabulary:
            end += 1
        found.add(frozenset(lowers[k] for k in range(start, end)) - _ROLE_FILLER - ROLE_QUALIFIERS)
    return found


def person_rules(cues: Cues) -> PatternSet:
    return PatternSet(person_classes(cues), person_patterns(), skip="line_break")


def starts_with_job_title(words: Sequence[str], roles: AbstractSet[str]) -> bool:
    """Whether a line opens with a job title: capitalised words (or "of", "for", "and") reaching a role
    word within three words ("Interim Chief Executive", "Director of Finance", "CEO")."""
    for word in words[:3]:
        if word.lower() in roles or word in roles:
            return True
        if not (word[:1].isupper() or word in ("of", "for", "and", "-")):
            return False
    return False


def trim_cues(rule: str, tokens: list[str], cues: Cues) -> tuple[int, int]:
    """How many tokens at each end of a rule match are cue words, not part of the name."""
    if rule == "honorific":
        start = 0
        while start < len(tokens) and tokens[start] in cues.honorifics:
            start += 1
        return start, 0
    if rule in ("role", "said_name", "byline", "peer"):
        return 1, 0
    if rule == "says":
        return 0, 1
    if rule == "initialled":
        return 0, 3
    if rule == "comma_byline":
        return 2, 0
    if rule == "stand_in":
        return 2, 1
    if rule == "aside":
        first = next(i for i, t in enumerate(tokens) if t[:1].isupper())
        return first, len(tokens) - tokens.index(")")
    if rule == "appositive":
        return 0, len(tokens) - tokens.index(",")
    if rule == "appointed":
        first_lower = next(i for i, t in enumerate(tokens) if t.islower())
        return 0, len(tokens) - first_lower
    return 0, 0


# After a role word in an apposition, only these lower-case words may follow: "Grace Oyelaran, managing
# partner of ..." is a person; "Thriving Places, the official guidance" is not ("official" is an adjective).
ROLE_FOLLOWERS = {"of", "at", "for", "to", "in", "and", "with", "from", "on", "who", "said", "says", "told", "since"}


def role_used_as_adjective(doc: Any, role_end: int) -> bool:
    after = doc[role_end] if role_end < len(doc) else None
    return after is not None and after.is_alpha and after.is_lower and after.lower_ not in ROLE_FOLLOWERS


def initials_fit(name: Sequence[str], initials: str) -> bool:
    """ "Jo Bloggs (JB)": bracketed capitals after a name are its initials when they are the first
    letters of its words (a middle name may be left out: "Mary Ann Lee (ML)")."""
    letters = [word[0] for word in name if word[:1].isupper()]
    return (
        len(letters) >= 2
        and initials[0] == letters[0]
        and initials[-1] == letters[-1]
        and len(initials) <= len(letters)
    )


@dataclass(frozen=True)
class ListedNames:
    """The people listed beside a person: "from Jo Bloggs, Ann Other and Sam Smith". Each item is two or
    three capitalised words ending in a surname, between commas or "and"; none may be a role, an
    organisation word or a cue ("Jo Bloggs, Chief Executive" and "Jo Bloggs, Leeds City Council" add nobody)."""

    not_name: frozenset[str]

    @classmethod
    def of(cls, cues: Cues) -> ListedNames:
        heads = {w for h in (*cues.org_heads, *cues.policy_heads, *cues.governance_heads) for w in head_parts(h)}
        return cls(
            frozenset(
                {*cues.not_name_words, *cues.never_in_name, *cues.name_breakers, *cues.never_surname}
                | set(cues.org_prefixes)
                | set(cues.peer_titles)
                | heads
            )
        )

    def is_name_word(self, token: Any) -> bool:
        """A capitalised word that may be part of a listed name: no role, organisation word or cue."""
        return token.is_title and token.is_alpha and token.text not in self.not_name

    def _word(self, token: Any) -> bool:
        return self.is_name_word(token)

    def _item(self, doc: Any, start: int, step: int) -> tuple[int, int] | None:
        """The item that begins (step 1) or ends (step -1) at ``start``: 2-3 name words, no more."""
        k = start
        while 0 <= k < len(doc) and self._word(doc[k]) and abs(k - start) < 4:
            k += step
        first, last = (start, k) if step > 0 else (k + 1, start + 1)
        beyond = doc[k] if 0 <= k < len(doc) else None
        if last - first not in (2, 3) or (beyond is not None and beyond.text[:1].isupper() and beyond.is_alpha):
            return None
        return first, last

    def beside(self, doc: Any, start: int, end: int) -> list[tuple[int, int]]:
        """The (start, end) of the names listed before and after the person at ``start``-``end``."""
        found = []
        for step in (-1, 1):
            edge = start if step < 0 else end - 1
            while True:
                k = edge + step
                if 0 <= k < len(doc) and doc[k].text == ",":
                    k += step
                if 0 <= k < len(doc) and doc[k].lower_ == "and" and step > 0:
                    k += step
                elif 0 <= k < len(doc) and doc[k].lower_ == "and" and step < 0:
                    k += step
                    if 0 <= k < len(doc) and doc[k].text == ",":
                        k += step
                if abs(k - edge) < 2 or not (0 <= k < len(doc)):
                    break
                item = self._item(doc, k, step)
                if item is None:
                    break
                found.append(item)
                edge = item[0] if step < 0 else item[1] - 1
        return found


def split_run_on_names(texts: Sequence[str], first_names: frozenset[str]) -> list[tuple[int, int]]:
    """Where names run on with no punctuation between them (attendance lists: "Alan Yates Julie Dawes"),
    a known first name after two name words starts the next person. The (start, end) of each name
    within ``texts``; a leftover single word is dropped. "Mary Anne Smith" stays one name."""
    parts, start = [], 0
    for j in range(2, len(texts)):
        if texts[j] in first_names and j - start >= 2:
            parts.append((start, j))
            start = j
    parts.append((start, len(texts)))
    return parts if len(parts) == 1 else [(a, b) for a, b in parts if b - a >= 2]


def dangling_hyphen(tokens: Sequence[str], spaces: Sequence[str]) -> int | None:
    """Where a person match runs on over a spaced or trailing dash ("Fiona Venner - Executive"): the
    index to cut at. A double-barrelled surname has no spaces round its hyphen ("Quilter-Pinner")."""
    for i, token in enumerate(tokens):
        if token == "-" and (i == 0 or spaces[i - 1] or spaces[i] or i == len(tokens) - 1):
            return i
    return None


# Capitals that open a sentence as a word, not an initial, unless written with a dot ("A." is an initial).
NOT_INITIALS = frozenset({"A", "I"})


def is_initial(text: str) -> bool:
    """One capital, perhaps with a dot: "L", "L."."""
    return text.rstrip(".").isalpha() and len(text.rstrip(".")) == 1 and text[0].isupper() and text not in NOT_INITIALS


def initials_before(texts: Sequence[str], start: int) -> int:
    """Where a name that opens with an initial really starts: further initials right before it belong to it
    ("S R Proctor" where a rule found "R Proctor"). ``texts`` are the words up to the name, none a line break."""
    while start > 0 and is_initial(texts[start - 1]):
        start -= 1
    return start


def initialled_line(texts: Sequence[str], surname: Sequence[bool]) -> list[tuple[int, int]]:
    """An author line of names written with initials only ("L J Patterson, C Lilburne"): each item one to
    three initials and a surname, items joined by a comma, "and" or "&", nothing else on the line (a full
    stop may close it). A line of one name needs two initials ("C Summary" labels a section). The (start,
    end) of each name within ``texts`` (the line's words), or none."""
    items, k = [], 0
    while k < len(texts):
        first = k
        while k < len(texts) and k - first < 3 and is_initial(texts[k]):
            k += 1
        if k == first or k >= len(texts) or not surname[k]:
            return []
        k += 1
        items.append((first, k))
        if k < len(texts) and texts[k] in (",", "and", "&"):
            k += 1
            if k == len(texts):
                return []
        elif k < len(texts) and not (texts[k] == "." and k == len(texts) - 1):
            return []
        elif k < len(texts):
            k += 1
    if len(items) == 1 and items[0][1] - items[0][0] < 3:
        return []
    return items
