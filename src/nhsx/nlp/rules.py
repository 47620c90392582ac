"""Rule-based candidates for people and organisations the gazetteers do not know.

The person rules are token patterns over word classes (``nhsx.token_patterns``) built from word
lists in ``nhsx/data`` (YAML an analyst can extend). Each rule says which tokens at the edges are cues, not name:
"Mr Lamb" -> "Lamb", "chief executive Ed Garratt" -> "Ed Garratt", "Joe Rafferty calls" -> "Joe Rafferty".
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import AbstractSet, Any, Iterable, Mapping, Sequence

import yaml
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.lexeme import Lexeme

from nhsx.nlp.token_patterns import PatternSet, TokenPattern, WordClasses

APPOINTMENT_VERBS = ["appointed", "named", "elected", "promoted", "confirmed", "recruited", "chosen", "nominated"]
POLICY_RULES = ("policy_head",)
MAX_ROLE_MODIFIERS = 3
POSSESSIVES = ("'s", "\u2019s", "'", "\u2019")
# Heads that may also stand inside a longer name ("Leeds Teaching Hospitals NHS Trust").
INNER_HEADS = {"Hospital", "Hospitals"}
# Heads of institutions, which a possessive may name ("St Luke's Hospice", "Guy's Hospital").
INSTITUTION_HEADS = {"Hospital", "Hospitals", "Hospice", "Infirmary"}
SAINT = {"St", "St."}
# Capitalised words of an organisation's name: Title case, or capitals ("BOB ICB", "C&M").
CAPITALISED_SHAPES = ["Xx", "Xxx", "Xxxx", "Xxxxx", "XX", "XXX", "XXXX", "X&X", "XX&X"]
# Surname shapes beyond Title case: McManus, MacLeod, O'Brien.
SURNAME_SHAPES = ["Xx", "Xxx", "Xxxx", "Xxxxx", "XxXx", "XxXxx", "XxXxxx", "XxXxxxx", "XxxXxx", "XxxXxxx",
                  "XxxXxxxx", "X'Xx", "X'Xxx", "X'Xxxx", "X'Xxxxx", "X’Xxxx", "X’Xxxxx"]


_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
CUE_FILES = ("person_cues.yaml", "org_cues.yaml")


def load_resource(name: str) -> dict[str, Any]:
    """A YAML word list shipped in nhsx/data (safe loading; libyaml when available, it is much faster)."""
    text = resources.files("nhsx").joinpath("data", name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=_SafeLoader) or {}  # noqa: S506 - a safe loader


@dataclass(frozen=True)
class Cues:
    """Word lists for the rules; serialisable as plain lists."""

    honorifics: tuple[str, ...] = ()
    surname_honorifics: tuple[str, ...] = ()
    role_words: tuple[str, ...] = ()
    role_acronyms: tuple[str, ...] = ()
    speech_verbs: tuple[str, ...] = ()
    first_names: tuple[str, ...] = ()
    not_name_words: tuple[str, ...] = ()
    never_surname: tuple[str, ...] = ()
    peer_titles: tuple[str, ...] = ()
    peer_offices: tuple[str, ...] = ()
    org_heads: tuple[str, ...] = ()
    org_inner_words: tuple[str, ...] = ()
    org_never_first: tuple[str, ...] = ()
    org_never_inside: tuple[str, ...] = ()
    org_prefixes: tuple[str, ...] = ()
    name_breakers: tuple[str, ...] = ()
    policy_heads: tuple[str, ...] = ()
    governance_heads: tuple[str, ...] = ()
    bare_kind_heads: tuple[str, ...] = ()
    place_qualifiers: tuple[str, ...] = ()
    bare_kind_blockers: tuple[str, ...] = ()

    @property
    def trigger_words(self) -> tuple[set[str], set[str]]:
        """(exact, lower-case) words at least one of which every person-rule match contains."""
        exact = set(self.honorifics) | set(self.first_names) | set(self.role_acronyms)
        lower = {w.lower() for w in (*self.role_words, *self.speech_verbs, *APPOINTMENT_VERBS)}
        return exact, lower

    @property
    def never_in_name(self) -> list[str]:
        """Cue words that are not names even when capitalised ("Chief Nurse Dr Fenella Pike")."""
        return sorted(set(self.honorifics) | {w.capitalize() for w in self.role_words} | set(self.role_acronyms))

    @classmethod
    def builtin(cls) -> "Cues":
        return _builtin_cues()

    @classmethod
    def _load_builtin(cls) -> "Cues":
        people = load_resource("person_cues.yaml")
        orgs = load_resource("org_cues.yaml")
        return cls(
            honorifics=tuple(people.get("honorifics", ())),
            surname_honorifics=tuple(people.get("surname_honorifics", ())),
            role_words=tuple(people.get("role_words", ())),
            role_acronyms=tuple(people.get("role_acronyms", ())),
            speech_verbs=tuple(people.get("speech_verbs", ())),
            first_names=tuple(people.get("first_names", ())),
            not_name_words=tuple(people.get("not_name_words", ())),
            never_surname=tuple(people.get("never_surname", ())),
            peer_titles=tuple(people.get("peer_titles", ())),
            peer_offices=tuple(people.get("peer_offices", ())),
            org_heads=tuple(orgs.get("heads", ())),
            org_inner_words=tuple(orgs.get("inner_words", ())),
            org_never_first=tuple(orgs.get("never_first", ())),
            org_never_inside=tuple(orgs.get("never_inside", ())),
            org_prefixes=tuple(orgs.get("prefixes", ())),
            name_breakers=tuple(orgs.get("name_breakers", ())),
            policy_heads=tuple(orgs.get("policy_heads", ())),
            governance_heads=tuple(orgs.get("governance_heads", ())),
            bare_kind_heads=tuple(orgs.get("bare_kind_heads", ())),
            place_qualifiers=tuple(orgs.get("place_qualifiers", ())),
            bare_kind_blockers=tuple(orgs.get("bare_kind_blockers", ())),
        )

    def to_dict(self) -> dict[str, list[str]]:
        return {k: list(v) for k, v in self.__dict__.items()}

    @classmethod
    def from_dict(cls, data: dict[str, list[str]]) -> "Cues":
        return cls(**{k: tuple(v) for k, v in data.items()})


@functools.lru_cache(maxsize=1)
def _builtin_cues() -> Cues:
    """The shipped word lists, read once per process (they are immutable) and cached parsed on disk."""
    from nhsx.knowledge import cache

    data = resources.files("nhsx").joinpath("data")
    key = cache.cache_key([Path(str(data / name)) for name in CUE_FILES])
    cached = cache.load(key, kind="cues")
    if cached is not None:
        return Cues.from_dict(cached)
    cues = Cues._load_builtin()
    cache.save(key, cues.to_dict(), kind="cues")
    return cues


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
            "auxiliary": lambda w: w.lower_ in auxiliaries,
            "been": lambda w: w.lower_ == "been",
            "appointment": lambda w: w.lower_ in appointments,
            "line_break": is_line_break,
            "column_gap": is_column_gap,
            "open_paren": lambda w: w.orth_ == "(",
            "close_paren": lambda w: w.orth_ == ")",
            "initials": lambda w: w.shape_ in ("XX", "XXX"),
            "dot": lambda w: w.orth_ == ".",
            # an e-mail-style name in one token: "J.Doghan"
            "dotted_initial": lambda w: w.shape_ in ("X.Xx", "X.Xxx", "X.Xxxx", "X.Xxxxx"),
            "byline": lambda w: w.orth_ == "By",
        }
    )


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


def person_patterns() -> list[TokenPattern]:
    """The person rules; each is anchored at the edge that holds its trigger word."""
    return [
        # an initial after the honorific is part of the name: "Mr A Cummings"
        TokenPattern.parse("honorific", ["honorific+", "initial?", "name?", *SURNAME]),
        # a peer by title and surname, with the peerage's place if given: "Lord Carlile of Berriew"
        TokenPattern.parse("peer", ["peer", "peer_name", "of", "peer_name", "peer_name?"]),
        TokenPattern.parse("peer", ["peer", "peer_name"]),
        TokenPattern.parse("first_name", ["first_name", "name?", *SURNAME]),
        TokenPattern.parse("role", ["role", "name", *SURNAME]),
        TokenPattern.parse("role", ["role_acronym", "first_name", *SURNAME]),
        TokenPattern.parse("says", ["name", *SURNAME, "speech_verb"], anchor="end"),
        TokenPattern.parse("said_name", ["speech_verb", "name", *SURNAME]),
        # an author's byline: "By Saša Janković" (capital "By": a sentence or line opening)
        TokenPattern.parse("byline", ["byline", "name", *SURNAME]),
        TokenPattern.parse("appointed", ["name", *SURNAME, "auxiliary", "been?", "appointment"], anchor="end"),
        # "Grace Oyelaran, managing partner": up to three words before the role word
        # attendance lists: a name closed by a column gap, or by its own initials ("Jo Bloggs (JB)")
        TokenPattern.parse("listed", ["name", "name?", *SURNAME, "column_gap"], anchor="end"),
        TokenPattern.parse("listed", ["initial", *SURNAME, "column_gap"], anchor="end"),
        # e-mail-style names in a list column: "Jo.Bloggs", "J.Bloggs" (the dot must touch both words)
        TokenPattern.parse("listed", ["name", "dot", "surname", "column_gap"], anchor="end"),
        TokenPattern.parse("listed", ["dotted_initial", "column_gap"], anchor="end"),
        TokenPattern.parse("initialled", ["name", "name?", *SURNAME, "open_paren", "initials", "close_paren"], anchor="end"),
        TokenPattern.parse(
            "appositive", ["name", *SURNAME, "comma", f"lower{{0,{MAX_ROLE_MODIFIERS}}}", "role"], anchor="end"
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
    def of(cls, entries: Iterable[Any], cues: Cues | None = None) -> "KnownRoles":
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
            person for person in self.by_surname.get(surname, ())
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


def head_parts(head: str) -> list[str]:
    """A head as the tokenizer splits it ("Place-Based Partnership" -> Place, -, Based, Partnership)."""
    return re.findall(r"[^\s-]+|-", head)


@dataclass(frozen=True)
class HeadedName:
    start: int  # token offsets, end exclusive
    end: int
    rule: str  # "org_head", "org_prefix", "policy_head" or "titled_body"
    head_start: int = -1  # where the head word(s) begin


def _head_index(heads: Sequence[str]) -> dict[str, list[list[str]]]:
    """Last word -> the heads ending in it, longest first ("NHS Foundation Trust" before "Trust")."""
    index: dict[str, list[list[str]]] = {}
    for head in heads:
        parts = head_parts(head)
        index.setdefault(parts[-1], []).append(parts)
    return {last: sorted(found, key=len, reverse=True) for last, found in index.items()}


class HeadedNames:
    """Capitalised runs ending in a head word: "Nottinghamshire County Council" (BODY), "Recovery
    Support Programme" (POLICY), and "Healthwatch Leeds"-style prefixed names.

    Found by walking back from each head, which is far cheaper than a token Matcher with open-ended
    patterns. Heads close a name: no head's last word occurs inside a run, so "Suffolk County Council
    and Essex County Council" is two names; only "Hospital(s)" may stand inside one ("Leeds Teaching
    Hospitals NHS Trust"). At most two joining words ("and", "of", ...) keep "Brighton and Hove City
    Council" whole without swallowing a sentence.
    """

    MAX_JOINS = 2

    def __init__(self, cues: Cues) -> None:
        self.cues = cues
        self.heads = {
            "org_head": _head_index(cues.org_heads),
            "policy_head": _head_index([*cues.policy_heads, "Act"]),
            "titled_body": _head_index(cues.governance_heads),
        }
        self.policy_words = {head_parts(h)[-1] for h in (*cues.policy_heads, "Act")}
        closing = {head_parts(h)[-1] for h in (*cues.org_heads, *cues.policy_heads, "Act")} - INNER_HEADS
        self.never_inside = closing | set(cues.org_never_inside) | set(cues.never_in_name)
        never_first = set(cues.org_never_first) | self.never_inside
        inner = set(cues.org_inner_words)
        # Policy names may start with "NHS" and hold a comma ("NHS Performance, Improvement and Regulatory
        # Framework"); an organisation's run never starts with "NHS" ("NHS Trust" alone is generic).
        # a committee or board may be named after a policy or a body ("Better Care Fund Task Force")
        titled_inside = self.never_inside - closing
        self.never_inside_of = {
            "org_head": self.never_inside, "policy_head": self.never_inside, "titled_body": titled_inside
        }
        self.never_first = {
            "org_head": never_first,
            "policy_head": never_first - {"NHS"},
            "titled_body": (set(cues.org_never_first) | titled_inside) - {"NHS"},
        }
        self.inner = {"org_head": inner, "policy_head": inner | {","}, "titled_body": inner}
        self.prefixes = _head_index(cues.org_prefixes)
        self.breakers = set(cues.name_breakers)
        self.last_words = {w for index in (*self.heads.values(), self.prefixes) for w in index}

    def _name_word(self, token: Any, rule: str = "org_head") -> bool:
        return token.shape_ in CAPITALISED_SHAPES and token.text not in self.never_inside_of[rule]

    def _start_of_run(self, doc: Any, head_start: int, rule: str, line_starts: AbstractSet[int]) -> int:
        inner, never_first = self.inner[rule], self.never_first[rule]
        start, k, joins = head_start, head_start - 1, 0
        while k >= 0 and k + 1 not in line_starts:  # a heading on the line above is not part of the name
            if doc[k].text in INNER_HEADS and doc[k + 1].text in inner:
                break  # "Ipswich Hospital and Colchester Hospital" is two names
            if self._name_word(doc[k], rule):
                start, k = k, k - 1
            elif doc[k].text in inner and joins < self.MAX_JOINS and k > 0 and self._name_word(doc[k - 1], rule):
                joins, k = joins + 1, k - 1
            else:
                break
        while start < head_start and (doc[start].text in never_first or doc[start].text in inner):
            if doc[start].text in SAINT and start + 1 < head_start and self._name_word(doc[start + 1], rule):
                break  # "St Luke's Hospice": a saint's name opens it
            start += 1
        if rule == "policy_head":
            start = _after_unlisted_comma(doc, start, head_start)
        return start

    def _head_at(self, doc: Any, i: int, rule: str) -> list[str] | None:
        for parts in self.heads[rule].get(doc[i].text, []):
            begin = i - len(parts) + 1
            if begin >= 0 and [t.text for t in doc[begin : i + 1]] == parts:
                return parts
        return None

    def _prefix_at(self, doc: Any, i: int) -> list[str] | None:
        for parts in self.prefixes.get(doc[i].text, []):
            begin = i - len(parts) + 1
            if begin >= 0 and [t.text for t in doc[begin : i + 1]] == parts:
                return parts
        return None

    def _place_word(self, token: Any) -> bool:
        """A word of a place after "and" in a prefixed name: not another body ("Healthwatch Leeds and NHS England")."""
        text = token.text
        return token.is_title and text not in self.breakers and text not in self.prefixes and self._name_word(token)

    def canonical_prefixed(self, name: str) -> str:
        """ "Health Watch Leeds" is "Healthwatch Leeds": a prefix written as two words takes its one-word form."""
        one_word = {p.lower(): p for p in self.cues.org_prefixes if " " not in p}
        for prefix in self.cues.org_prefixes:
            compact = one_word.get(prefix.replace(" ", "").lower())
            if " " in prefix and compact and name.startswith(prefix + " "):
                return compact + name[len(prefix) :]
        return name

    def _end_of_place(self, doc: Any, start: int, line_starts: AbstractSet[int]) -> int:
        """The end of the place after a prefix ("Healthwatch Leeds"): capitalised words on the prefix's line,
        joined by "and" or "&", perhaps with "the" ("Healthwatch Telford and the Wrekin")."""
        end = start
        while end < len(doc) and end not in line_starts and self._name_word(doc[end]):
            end += 1
        if end == start or end + 1 >= len(doc) or doc[end].text not in ("and", "&"):
            return end
        after = end + 2 if doc[end + 1].text == "the" else end + 1
        more = after
        while more < len(doc) and more not in line_starts and self._place_word(doc[more]):
            more += 1
        if more == after or any(k in line_starts for k in (end, end + 1, after)):
            return end
        # "and the Wrekin" may run on; a bare "and" takes one word that is no given name ("Brighton and
        # Hove"), so "Healthwatch Leeds and Jo Bloggs" stays two names
        if after == end + 1 and (more - after > 1 or doc[after].text in self.cues.first_names):
            return end
        return more

    def find(self, doc: Any, positions: Iterable[int], line_starts: AbstractSet[int] = frozenset()) -> list[HeadedName]:
        """Names ending at the head words at ``positions``. ``doc`` may be a Doc or a list of its tokens
        without line breaks; ``line_starts`` are then the tokens that began a line: a head may run
        over a line break ("Frimley NHS / Trust"), the walk back for the rest of the name may not."""
        found = []
        for i in positions:
            prefix = self._prefix_at(doc, i)
            if prefix is not None:
                end = self._end_of_place(doc, i + 1, line_starts)
                if end > i + 1:
                    found.append(HeadedName(i - len(prefix) + 1, end, "org_prefix"))
            for rule in self.heads:
                parts = self._head_at(doc, i, rule)
                if parts is None:
                    continue
                head_start = i - len(parts) + 1
                if rule == "org_head" and head_start > 0 and doc[head_start - 1].text in POSSESSIVES:
                    if parts[-1] not in INSTITUTION_HEADS:
                        continue  # "Greater Manchester's ICB" is a structure of a place
                    # "St Luke's Hospice", "Guy's Hospital": a possessive names the institution
                start, end = self._start_of_run(doc, head_start, rule, line_starts), i + 1
                if rule == "policy_head" and parts == ["Act"] and end < len(doc) and doc[end].shape_ == "dddd":
                    end += 1
                if start < head_start and not (rule == "policy_head" and too_generic_policy([t.text for t in doc[start:end]])):
                    found.append(HeadedName(start, end, rule, head_start))
        return found


def _after_unlisted_comma(doc: Any, start: int, head_start: int) -> int:
    """A comma stands inside a policy's name only in a list that "and" closes ("NHS Performance,
    Improvement and Regulatory Framework"); otherwise the name starts after it: "Jane Smith, Evening
    Standard" is a byline, not a policy."""
    commas = [k for k in range(start, head_start) if doc[k].text == ","]
    if commas and not any(doc[k].text in ("and", "&") for k in range(commas[-1], head_start)):
        return commas[-1] + 1
    return start


def starts_with_job_title(words: Sequence[str], roles: AbstractSet[str]) -> bool:
    """Whether a line opens with a job title: capitalised words (or "of", "for", "and") reaching a role
    word within three words ("Interim Chief Executive", "Director of Finance", "CEO")."""
    for word in words[:3]:
        if word.lower() in roles or word in roles:
            return True
        if not (word[:1].isupper() or word in ("of", "for", "and", "-")):
            return False
    return False


MAX_KNOWN_NAME = 16  # tokens: how far back a known name the run starts inside of may begin


def titled_body_start(
    name: HeadedName, doc: Any, policy_words: AbstractSet[str], known: Mapping[int, Sequence[int]]
) -> int | None:
    """A committee, board, group or task force found by its head is a named body only when its name
    holds a policy ("Elective Recovery Programme Board", "Long Term Plan Implementation Group") or opens
    with a known body or policy that more titled words follow ("House of Lords Public Services
    Committee"); "NHS England Board" is NHS England's board, "Audit Committee" one of many. Where the
    name starts (a known name the run starts inside of is all in it: "New Care Models Programme
    Board"), or None. A possessive ends the owner's name: "the Integrated Care Board's Strategy Group".
    ``known``: the gazetteer's bodies and policies, start -> their ends."""
    owned = [k for k in range(name.start, name.head_start) if doc[k].text in POSSESSIVES]
    first = owned[-1] + 1 if owned else name.start
    if first >= name.head_start:
        return None
    opening = [
        s for s in range(max(0, first - MAX_KNOWN_NAME), first + 1)
        if any(first < e <= name.head_start for e in known.get(s, ()))
    ]
    start = min(opening, default=first)
    words = [doc[k].text for k in range(start, name.head_start)]
    if any(w in policy_words for w in words) and not too_generic_policy(words):  # not "Strategy Group"
        return start
    return start if any(e < name.head_start for e in known.get(start, ())) else None


def too_generic_policy(tokens: Sequence[str]) -> bool:
    """A policy name needs two capitalised words before its head: "Recovery Support Programme",
    "Health and Care Bill"; "Annual Plan" and "People Strategy" are too generic to name one."""
    words = [t for t in tokens if t[:1].isupper()]
    if words and words[-1].isdigit():
        words = words[:-1]
    return len(words) < 3


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
    return len(letters) >= 2 and initials[0] == letters[0] and initials[-1] == letters[-1] and len(initials) <= len(letters)


@dataclass(frozen=True)
class ListedNames:
    """The people listed beside a person: "from Jo Bloggs, Ann Other and Sam Smith". Each item is two or
    three capitalised words ending in a surname, between commas or "and"; none may be a role, an
    organisation word or a cue ("Jo Bloggs, Chief Executive" and "Jo Bloggs, Leeds City Council" add nobody)."""

    not_name: frozenset[str]

    @classmethod
    def of(cls, cues: Cues) -> "ListedNames":
        heads = {w for h in (*cues.org_heads, *cues.policy_heads, *cues.governance_heads) for w in head_parts(h)}
        return cls(
            frozenset(
                {*cues.not_name_words, *cues.never_in_name, *cues.name_breakers, *cues.never_surname}
                | set(cues.org_prefixes) | set(cues.peer_titles) | heads
            )
        )

    def _word(self, token: Any) -> bool:
        return token.is_title and token.is_alpha and token.text not in self.not_name

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


_COUNCIL_STYLES = re.compile(
    r"^(?:London Borough of |Royal Borough of |City of |Council of the )|"
    r" (?:Metropolitan Borough|County|City|Borough|District)? ?Council$"
)


def council_places(canonicals: Iterable[str]) -> set[str]:
    """The places councils are named after: "Salford City Council" -> "Salford"."""
    places = {_COUNCIL_STYLES.sub("", name).strip() for name in canonicals}
    return {p for p in places if p and p not in canonicals and not p.endswith("Council")}

