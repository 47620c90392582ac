"""The organisation and policy rules: capitalised runs that end in a head word ("... County Council",
"... Programme"), committees named after a known body or policy, and the places councils are named after.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import AbstractSet, Iterable, Mapping, Sequence

from spacy.tokens import Doc, Token

from nhsx.nlp.rules.cues import (
    CAPITALISED_SHAPES,
    INNER_HEADS,
    INSTITUTION_HEADS,
    POSSESSIVES,
    SAINT,
    TRUST_LIKE_ENDINGS,
    Cues,
)

Tokens = Doc | Sequence[Token]  # a Doc, or its tokens with the line breaks left out


def head_parts(head: str) -> list[str]:
    """A head as the tokenizer splits it ("Place-Based Partnership" -> Place, -, Based, Partnership)."""
    return re.findall(r"[^\s-]+|-", head)


@dataclass(frozen=True)
class HeadedName:
    start: int  # token offsets, end exclusive
    end: int
    rule: str  # "org_head", "org_prefix", "org_subject", "policy_head" or "titled_body"
    head_start: int = -1  # where the head word(s) begin
    skipped: tuple[int, int] | None = None  # a bracketed acronym inside the name, left out of its canonical


def _head_index(heads: Sequence[str]) -> dict[str, list[list[str]]]:
    """Last word -> the heads ending in it, longest first ("NHS Foundation Trust" before "Trust")."""
    index: dict[str, list[list[str]]] = {}
    for head in heads:
        parts = head_parts(head)
        index.setdefault(parts[-1], []).append(parts)
    return {last: sorted(found, key=len, reverse=True) for last, found in index.items()}


# Joining words that never stand right before a head: "Form First Wave of NHS Foundation Trust" is a
# headline's words around a kind, not a trust's name.
WORD_JOINS = frozenset({"and", "&", "of", "on", "upon", "for"})


# A comma list stands inside a name only when "and" closes it: "Wrightington, Wigan and Leigh NHS Trust".
LIST_CLOSERS = ("and", "&")


# Words that are no person's surname but may open an organisation's name ("Royal Bournemouth, ...").
NAME_OPENERS = frozenset({"Royal", "National", "University", "British"})


# Leading words that may open a name's sentence without ending a clause at a comma after them ("The Barking,
# Havering and Redbridge ..."); any other trimmed opener ("In Leeds, Bradford and ...") does.
ARTICLES = frozenset({"The", "A", "An"})


class HeadedNames:
    """Capitalised runs ending in a head word: "Nottinghamshire County Council" (BODY), "Recovery
    Support Programme" (POLICY), and "Healthwatch Leeds"-style prefixed names.

    Found by walking back from each head, which is far cheaper than a token Matcher with open-ended
    patterns. Heads close a name: no head's last word occurs inside a run, so "Suffolk County Council
    and Essex County Council" is two names; only "Hospital(s)" may stand inside one ("Leeds Teaching
    Hospitals NHS Trust", "Royal National Hospital for Rheumatic Diseases NHS Trust"). At most two
    joining words ("and", "of", a comma of a list "and" closes, ...) keep "Brighton and Hove City
    Council" whole without swallowing a sentence. A lower-case head ("Burton Hospitals NHS trust")
    closes only a hospital's or a trust-like name of two words or more.
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
            "org_head": self.never_inside,
            "policy_head": self.never_inside,
            "titled_body": titled_inside,
        }
        self.never_first = {
            "org_head": never_first,
            "policy_head": never_first - {"NHS"},
            "titled_body": (set(cues.org_never_first) | titled_inside) - {"NHS"},
        }
        self.inner = {"org_head": inner | {","}, "policy_head": inner | {","}, "titled_body": inner | {","}}
        self.prefixes = _head_index(cues.org_prefixes)
        self.subjects = _head_index(cues.subject_heads)
        self.breakers = set(cues.name_breakers)
        self.role_names = set(cues.never_in_name)
        self.first_names = frozenset(cues.first_names)
        self.last_words = {w for index in (*self.heads.values(), self.prefixes, self.subjects) for w in index}

    def _name_word(self, token: Token, rule: str = "org_head") -> bool:
        return token.shape_ in CAPITALISED_SHAPES and token.text not in self.never_inside_of[rule]

    def _start_of_run(
        self,
        doc: Tokens,
        head_start: int,
        rule: str,
        line_starts: AbstractSet[int],
        bracketed: Mapping[int, int] | None = None,
    ) -> int:
        inner, never_first = self.inner[rule], self.never_first[rule]
        if head_start > 0 and doc[head_start - 1].text in WORD_JOINS:
            return head_start  # "... Wave of NHS Foundation Trust": a join needs a name word on both sides
        if bracketed and self._bracketed_name(doc, bracketed.get(head_start - 1), head_start, line_starts, rule):
            return bracketed[head_start - 1]  # "North East and North Cumbria (NENC) Integrated Care System"
        start, k, joins = head_start, head_start - 1, 0
        while k >= 0 and k + 1 not in line_starts:  # a heading on the line above is not part of the name
            text = doc[k].text
            if text in self.last_words and doc[k + 1].text in inner:
                break  # "Ipswich Hospital and Colchester Hospital", "X Council and Y Board": two names
            if self._name_word(doc[k], rule) or self._institution_word(doc, k, rule):
                start, k = k, k - 1
            elif joins < self.MAX_JOINS and k > 0 and self._joins(doc, k, start, head_start, rule):
                joins, k = joins + 1, k - 1
            else:
                break
        opened = start
        while start < head_start and (doc[start].text in never_first or doc[start].text in inner):
            if doc[start].text in SAINT and start + 1 < head_start and self._name_word(doc[start + 1], rule):
                break  # "St Luke's Hospice": a saint's name opens it
            start += 1
        if rule == "policy_head":
            start = _after_unlisted_comma(doc, start, head_start)
        elif any(doc[k].text not in ARTICLES for k in range(opened, start)):
            start = _after_first_comma(doc, start, head_start)  # "In Leeds, Bradford and ...": a clause
        else:
            start = self._after_unnamed_items(doc, start, head_start)
        return start

    def _after_unnamed_items(self, doc: Tokens, start: int, head_start: int) -> int:
        """Where a name with a comma list starts: after any item holding a word no place's name holds
        ("On Monday, Leeds and York Partnership NHS Foundation Trust")."""
        begin = start
        for k in range(start, head_start):
            if doc[k].text == ",":
                if any(doc[j].text in self.breakers and doc[j].text not in NAME_OPENERS for j in range(begin, k)):
                    start = k + 1
                begin = k + 1
        return start

    def _bracketed_name(
        self, doc: Tokens, start: int | None, head_start: int, line_starts: AbstractSet[int], rule: str
    ) -> bool:
        """Whether the long form of an acronym defined right before a head, from ``start``, opens the name:
        on the head's line, of name words, and not a person's name ("Julian Corner (JC) ICB")."""
        if start is None or rule != "org_head" or doc[start].text in self.first_names:
            return False
        if any(k in line_starts for k in range(start + 1, head_start + 1)):
            return False
        inner = self.inner[rule]
        return all(self._name_word(t, rule) or t.text in inner for t in doc[start : head_start - 3])

    def _joins(self, doc: Tokens, k: int, start: int, head_start: int, rule: str) -> bool:
        """Whether ``doc[k]`` joins the name words before it to the run from ``start``: "and", "of", a
        comma of a list that "and" closes ("Wrightington, Wigan and Leigh"; no list holds another
        "NHS ..." body or another head), "for" after a hospital ("Hospital for Rheumatic Diseases")."""
        text, before = doc[k].text, doc[k - 1]
        if text == "for":
            return rule == "org_head" and before.text in INSTITUTION_HEADS
        if text not in self.inner[rule] or not self._name_word(before, rule):
            return False
        if text == "," and rule != "policy_head":
            run = [doc[j].text for j in range(start, head_start)]
            closer = max((j for j, w in enumerate(run) if w in LIST_CLOSERS), default=-1)
            listed = run[:closer]  # the items before "and": no other "NHS ..." name or head ("..., X Committee and")
            return closer >= 0 and not (self.never_first[rule] | self.last_words) & set(listed)
        return True

    def _institution_word(self, doc: Tokens, k: int, rule: str) -> bool:
        """A role word right before a hospital's head is part of its name: "Barnsley District General Hospital"."""
        token = doc[k]
        return (
            rule == "org_head"
            and token.text in self.role_names
            and token.shape_ in CAPITALISED_SHAPES
            and doc[k + 1].text in INSTITUTION_HEADS
        )

    def _head_at(self, doc: Tokens, i: int, rule: str) -> list[str] | None:
        for parts in self.heads[rule].get(doc[i].text, []):
            begin = i - len(parts) + 1
            if begin >= 0 and [t.text for t in doc[begin : i + 1]] == parts:
                return parts
        return None

    def _prefix_at(self, doc: Tokens, i: int) -> list[str] | None:
        for parts in self.prefixes.get(doc[i].text, []):
            begin = i - len(parts) + 1
            if begin >= 0 and [t.text for t in doc[begin : i + 1]] == parts:
                return parts
        return None

    def _place_word(self, token: Token) -> bool:
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

    def _end_of_place(self, doc: Tokens, start: int, line_starts: AbstractSet[int]) -> int:
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

    def _end_of_subject(self, doc: Tokens, start: int, line_starts: AbstractSet[int]) -> int:
        """The end of a subject after "for" or "on" ("... Group for Primary Care and Public Health"): title-case
        words on the line, joined by "and" or "&" when a title-case word follows."""
        if start + 1 >= len(doc) or doc[start].text not in ("for", "on") or start in line_starts:
            return start
        end, k = start, start + 1
        while k < len(doc) and k not in line_starts:
            if doc[k].is_title and self._name_word(doc[k]):
                end, k = k + 1, k + 1
            elif doc[k].text in LIST_CLOSERS and end > start and k + 1 < len(doc) and doc[k + 1].is_title:
                k += 1
            else:
                break
        return end

    def _subject_names(self, doc: Tokens, i: int, line_starts: AbstractSet[int]) -> list[HeadedName]:
        """A body named by its subject after a fixed head: "All-Party Parliamentary Group on Dementia"."""
        for parts in self.subjects.get(doc[i].text, []):
            begin = i - len(parts) + 1
            if begin >= 0 and [t.text for t in doc[begin : i + 1]] == parts:
                end = self._end_of_subject(doc, i + 1, line_starts)
                return [HeadedName(begin, end, "org_subject", begin)] if end > i + 1 else []
        return []

    def _lower_case_head_fits(self, doc: Tokens, start: int, head_start: int) -> bool:
        """A lower-case head ("NHS trust") closes a name of two words or more that ends like a trust's:
        "Burton Hospitals NHS trust", not "every English NHS trust"."""
        return head_start - start >= 2 and doc[head_start - 1].text in TRUST_LIKE_ENDINGS

    def find(
        self,
        doc: Tokens,
        positions: Iterable[int],
        line_starts: AbstractSet[int] = frozenset(),
        bracketed: Mapping[int, int] | None = None,
    ) -> list[HeadedName]:
        """Names ending at the head words at ``positions``. ``doc`` may be a Doc or a list of its tokens
        without line breaks; ``line_starts`` are then the tokens that began a line: a head may run
        over a line break ("Frimley NHS / Trust"), the walk back for the rest of the name may not.
        ``bracketed``: the closing bracket of each acronym the text defines right after its long form ->
        where that long form starts ("North East and North Cumbria (NENC)")."""
        found = []
        for i in positions:
            prefix = self._prefix_at(doc, i)
            if prefix is not None:
                end = self._end_of_place(doc, i + 1, line_starts)
                if end > i + 1:
                    found.append(HeadedName(i - len(prefix) + 1, end, "org_prefix"))
            found += self._subject_names(doc, i, line_starts)
            for rule in self.heads:
                parts = self._head_at(doc, i, rule)
                if parts is None:
                    continue
                head_start = i - len(parts) + 1
                possessive = rule == "org_head" and head_start > 0 and doc[head_start - 1].text in POSSESSIVES
                if possessive and parts[-1] not in INSTITUTION_HEADS:
                    continue  # "Greater Manchester's ICB" is a structure of a place
                # "St Luke's Hospice", "Guy's Hospital": a possessive names the institution
                start, end = self._start_of_run(doc, head_start, rule, line_starts, bracketed), i + 1
                if rule == "policy_head" and parts == ["Act"] and end < len(doc) and doc[end].shape_ == "dddd":
                    end += 1
                if parts[-1].islower() and not self._lower_case_head_fits(doc, start, head_start):
                    continue
                if start < head_start and not (
                    rule == "policy_head" and too_generic_policy([t.text for t in doc[start:end]])
                ):
                    bracket = bracketed.get(head_start - 1) if bracketed else None
                    skipped = (head_start - 3, head_start) if bracket == start else None
                    found.append(HeadedName(start, end, rule, head_start, skipped))
        return found


def _after_first_comma(doc: Tokens, start: int, head_start: int) -> int:
    """Where a name starts when a clause's opening words were trimmed off it: after its first comma."""
    return next((k + 1 for k in range(start, head_start) if doc[k].text == ","), start)


def _after_unlisted_comma(doc: Tokens, start: int, head_start: int) -> int:
    """A comma stands inside a policy's name only in a list that "and" closes ("NHS Performance,
    Improvement and Regulatory Framework"); otherwise the name starts after it: "Jane Smith, Evening
    Standard" is a byline, not a policy."""
    commas = [k for k in range(start, head_start) if doc[k].text == ","]
    if commas and not any(doc[k].text in ("and", "&") for k in range(commas[-1], head_start)):
        return commas[-1] + 1
    return start


MAX_KNOWN_NAME = 16  # tokens: how far back a known name the run starts inside of may begin


def titled_body_start(
    name: HeadedName,
    doc: Tokens,
    policy_words: AbstractSet[str],
    known: Mapping[int, Sequence[int]],
    generic: AbstractSet[str] = frozenset(),
) -> int | None:
    """A committee, board, group or task force found by its head is a named body only when its name
    holds a policy ("Elective Recovery Programme Board", "Long Term Plan Implementation Group") or opens
    with a known body or policy that more titled words follow ("House of Lords Public Services
    Committee"); "NHS England Board" is NHS England's board, "Audit Committee" one of many. Where the
    name starts (a known name the run starts inside of is all in it: "New Care Models Programme
    Board"), or None. A possessive ends the owner's name: "the Integrated Care Board's Strategy Group".
    ``known``: the gazetteer's bodies and policies, start -> their ends. The known body's own committee is
    none: "Oxford Health NHS Foundation Trust Board" (the longest known name reaches the head), "House of
    Commons Standing Committee" (only ``generic`` words, kinds of committee, between them)."""
    owned = [k for k in range(name.start, name.head_start) if doc[k].text in POSSESSIVES]
    first = owned[-1] + 1 if owned else name.start
    if first >= name.head_start:
        return None
    opening = [
        s
        for s in range(max(0, first - MAX_KNOWN_NAME), first + 1)
        if any(first < e <= name.head_start for e in known.get(s, ()))
    ]
    start = min(opening, default=first)
    words = [doc[k].text for k in range(start, name.head_start)]
    if any(w in policy_words for w in words) and not too_generic_policy(words):  # not "Strategy Group"
        return start
    longest = max(known.get(start, ()), default=name.head_start)
    if longest >= name.head_start or all(doc[k].text in generic for k in range(longest, name.head_start)):
        return None
    return start


def too_generic_policy(tokens: Sequence[str]) -> bool:
    """A policy name needs two capitalised words before its head: "Recovery Support Programme",
    "Health and Care Bill"; "Annual Plan" and "People Strategy" are too generic to name one."""
    words = [t for t in tokens if t[:1].isupper()]
    if words and words[-1].isdigit():
        words = words[:-1]
    return len(words) < 3


# Kinds of bodies named after the area they serve ("NHS Devon Integrated Care Board", "Leeds City Council").
AREA_KINDS = frozenset({
    "ICB", "ICS", "STP", "CCG", "PCT", "SHA", "SHA cluster", "RHA", "council", "region", "health authority",
    "place-based partnership", "integrated care partnership", "combined authority", "combined county authority",
    "sub-ICB reporting entity",
})  # fmt: skip


def area_places(names_by_kind: Iterable[tuple[str | None, Sequence[str]]], heads: Iterable[str]) -> set[str]:
    """The areas bodies of the ``AREA_KINDS`` are named after, lower case: their names without "NHS" in
    front and without the longest head at the end ("North East and North Cumbria ICB" -> "north east and
    north cumbria"). ``names_by_kind``: (kind, names) of each body."""
    endings = sorted((f" {h}" for h in heads), key=len, reverse=True)
    places = set()
    for kind, names in names_by_kind:
        if kind not in AREA_KINDS:
            continue
        for name in names:
            name = name.removeprefix("NHS ")
            place = next((name[: -len(e)] for e in endings if name.endswith(e)), None)
            if place:
                places.add(place.lower())
    return places


_AREA_JOINS = re.compile(r"\s*,\s*|\s+and\s+|\s*&\s*")


def joint_area(text: str, places: AbstractSet[str]) -> bool:
    """Whether ``text`` (lower case) names areas joined, each a known area: "lancashire and cumbria",
    "leicester, leicestershire and rutland"."""
    parts = _AREA_JOINS.split(text)
    return len(parts) > 1 and (text in places or all(p in places for p in parts))


_COUNCIL_STYLES = re.compile(
    r"^(?:London Borough of |Royal Borough of |City of |Council of the )|"
    r" (?:Metropolitan Borough|County|City|Borough|District)? ?Council$"
)


def council_places(canonicals: Iterable[str]) -> set[str]:
    """The places councils are named after: "Salford City Council" -> "Salford"."""
    places = {_COUNCIL_STYLES.sub("", name).strip() for name in canonicals}
    return {p for p in places if p and p not in canonicals and not p.endswith("Council")}
