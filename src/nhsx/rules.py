"""Rule-based candidates for people and organisations the gazetteers do not know.

The rules are token patterns for spaCy's Matcher built from word lists in ``nhsx/data``
(YAML an analyst can extend). Each rule says which tokens at the edges are cues, not name:
"Mr Lamb" -> "Lamb", "chief executive Ed Garratt" -> "Ed Garratt", "Joe Rafferty calls" -> "Joe Rafferty".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import Any, Sequence

import yaml

PERSON_RULES = ("honorific", "first_name", "role", "says", "said_name", "appositive", "appointed")
APPOINTMENT_VERBS = ["appointed", "named", "elected", "promoted", "confirmed", "recruited", "chosen", "nominated"]
ORG_RULES = ("org_head", "org_prefix")
POLICY_RULES = ("policy_head",)
MAX_ROLE_MODIFIERS = 3
POSSESSIVES = ("'s", "\u2019s", "'", "\u2019")
# Capitalised words of an organisation's name: Title case, or capitals ("BOB ICB", "C&M").
CAPITALISED_SHAPES = ["Xx", "Xxx", "Xxxx", "Xxxxx", "XX", "XXX", "XXXX", "X&X", "XX&X"]
# Surname shapes beyond Title case: McManus, MacLeod, O'Brien.
SURNAME_SHAPES = ["Xx", "Xxx", "Xxxx", "Xxxxx", "XxXx", "XxXxx", "XxXxxx", "XxXxxxx", "XxxXxx", "XxxXxxx",
                  "XxxXxxxx", "X'Xx", "X'Xxx", "X'Xxxx", "X'Xxxxx", "X’Xxxx", "X’Xxxxx"]  # "Grace Oyelaran, managing partner": up to three words before the role word


def load_resource(name: str) -> dict[str, Any]:
    text = resources.files("nhsx").joinpath("data", name).read_text(encoding="utf-8")
    return yaml.safe_load(text) or {}


@dataclass(frozen=True)
class Cues:
    """Word lists for the rules; serialisable as plain lists."""

    honorifics: tuple[str, ...] = ()
    role_words: tuple[str, ...] = ()
    role_acronyms: tuple[str, ...] = ()
    speech_verbs: tuple[str, ...] = ()
    first_names: tuple[str, ...] = ()
    not_name_words: tuple[str, ...] = ()
    org_heads: tuple[str, ...] = ()
    org_inner_words: tuple[str, ...] = ()
    org_never_first: tuple[str, ...] = ()
    org_never_inside: tuple[str, ...] = ()
    org_prefixes: tuple[str, ...] = ()
    name_breakers: tuple[str, ...] = ()
    policy_heads: tuple[str, ...] = ()

    @property
    def trigger_words(self) -> tuple[set[str], set[str]]:
        """(exact, lower-case) words at least one of which every rule match contains."""
        heads = {h.split()[-1] for h in (*self.org_heads, *self.policy_heads, "Act")}
        exact = set(self.honorifics) | set(self.first_names) | set(self.role_acronyms) | heads | set(self.org_prefixes)
        lower = {w.lower() for w in (*self.role_words, *self.speech_verbs)}
        return exact, lower

    @property
    def never_in_name(self) -> list[str]:
        """Cue words that are not names even when capitalised ("Chief Nurse Dr Fenella Pike")."""
        return sorted(set(self.honorifics) | {w.capitalize() for w in self.role_words} | set(self.role_acronyms))

    @classmethod
    def builtin(cls) -> "Cues":
        people = load_resource("person_cues.yaml")
        orgs = load_resource("org_cues.yaml")
        return cls(
            honorifics=tuple(people.get("honorifics", ())),
            role_words=tuple(people.get("role_words", ())),
            role_acronyms=tuple(people.get("role_acronyms", ())),
            speech_verbs=tuple(people.get("speech_verbs", ())),
            first_names=tuple(people.get("first_names", ())),
            not_name_words=tuple(people.get("not_name_words", ())),
            org_heads=tuple(orgs.get("heads", ())),
            org_inner_words=tuple(orgs.get("inner_words", ())),
            org_never_first=tuple(orgs.get("never_first", ())),
            org_never_inside=tuple(orgs.get("never_inside", ())),
            org_prefixes=tuple(orgs.get("prefixes", ())),
            name_breakers=tuple(orgs.get("name_breakers", ())),
            policy_heads=tuple(orgs.get("policy_heads", ())),
        )

    def to_dict(self) -> dict[str, list[str]]:
        return {k: list(v) for k, v in self.__dict__.items()}

    @classmethod
    def from_dict(cls, data: dict[str, list[str]]) -> "Cues":
        return cls(**{k: tuple(v) for k, v in data.items()})


def _name_token(cues: Cues, op: str | None = None) -> dict[str, Any]:
    excluded = sorted(set(cues.not_name_words) | set(cues.never_in_name))
    token: dict[str, Any] = {"IS_TITLE": True, "IS_ALPHA": True, "ORTH": {"NOT_IN": excluded}}
    if op:
        token["OP"] = op
    return token


def _surname_token(cues: Cues, op: str | None = None) -> dict[str, Any]:
    """Surnames may be ordinary words ("West", "May"), just not organisation or place words."""
    excluded = sorted(set(cues.name_breakers) | set(cues.never_in_name))
    token: dict[str, Any] = {"SHAPE": {"IN": SURNAME_SHAPES}, "ORTH": {"NOT_IN": excluded}}
    if op:
        token["OP"] = op
    return token


def _surname_tokens(cues: Cues) -> list[dict[str, Any]]:
    """A surname, possibly double-barrelled ("Quilter-Pinner")."""
    return [_surname_token(cues), {"ORTH": "-", "OP": "?"}, _surname_token(cues, "?")]


def person_patterns(cues: Cues) -> dict[str, list[list[dict[str, Any]]]]:
    honorific = {"ORTH": {"IN": list(cues.honorifics)}}
    first = {"ORTH": {"IN": list(cues.first_names)}}
    role = {"LOWER": {"IN": [w.lower() for w in cues.role_words]}}
    role_acronym = {"ORTH": {"IN": list(cues.role_acronyms)}}
    verb = {"LOWER": {"IN": [w.lower() for w in cues.speech_verbs]}}
    surname = _surname_tokens(cues)
    return {
        "honorific": [[{**honorific, "OP": "+"}, _name_token(cues, "?"), *surname]],
        "first_name": [[first, _name_token(cues, "?"), *surname]],
        "role": [[role, _name_token(cues), *surname], [role_acronym, _name_token(cues), *surname]],
        "says": [[_name_token(cues), *surname, verb]],
        "said_name": [[verb, _name_token(cues), *surname]],
        "appointed": [
            [
                _name_token(cues), *surname,
                {"LOWER": {"IN": ["was", "has", "had", "is", "will", "have", "being"]}},
                {"LOWER": "been", "OP": "?"},
                {"LOWER": {"IN": APPOINTMENT_VERBS}},
            ]
        ],
        "appositive": [
            [_name_token(cues), *surname, {"ORTH": ","}, {"IS_LOWER": True, "OP": f"{{0,{MAX_ROLE_MODIFIERS}}}"}, role]
        ],
    }


def head_parts(head: str) -> list[str]:
    """A head as the tokenizer splits it ("Place-Based Partnership" -> Place, -, Based, Partnership)."""
    return re.findall(r"[^\s-]+|-", head)


def ends_with_possessive_head(tokens: Sequence[str], heads: Sequence[str]) -> bool:
    """ "Greater Manchester's ICB" is a structure of a place, not an organisation's name."""
    for head in heads:
        parts = head_parts(head)
        if len(tokens) > len(parts) and list(tokens[-len(parts) :]) == parts:
            return tokens[-len(parts) - 1] in POSSESSIVES
    return False


def _headed_names(cues: Cues, heads: Sequence[str]) -> list[list[dict[str, Any]]]:
    """A capitalised run ending in a head word: "Nottinghamshire County Council", "Recovery Support Programme".

    Heads close a name: no head's last word occurs inside a run, so "Suffolk County Council and Essex
    County Council" and "GM ICS and Lancashire Health and Wellbeing Board" are two names each. Only
    "Hospital(s)" may stand inside one ("Leeds Teaching Hospitals NHS Trust").
    """
    closing = sorted({head_parts(h)[-1] for h in heads} - {"Hospital", "Hospitals"})
    patterns = []
    for head in heads:
        parts = head_parts(head)
        excluded = sorted(set(closing) | {parts[-1]} | set(cues.org_never_inside))
        first = {"SHAPE": {"IN": CAPITALISED_SHAPES}, "ORTH": {"NOT_IN": sorted(set(cues.org_never_first) | set(excluded))}}
        word = {"SHAPE": {"IN": CAPITALISED_SHAPES}, "ORTH": {"NOT_IN": excluded}, "OP": "*"}
        inner = {"ORTH": {"IN": list(cues.org_inner_words)}, "OP": "?"}
        # up to two inner joins keep names like "Brighton and Hove City Council" but not whole sentences
        patterns.append([first, word, inner, word, inner, word, *({"ORTH": part} for part in parts)])
    return patterns


def org_patterns(cues: Cues) -> dict[str, list[list[dict[str, Any]]]]:
    prefix = [[{"ORTH": p}, {"IS_TITLE": True, "OP": "+"}] for p in cues.org_prefixes]
    return {"org_head": _headed_names(cues, cues.org_heads), "org_prefix": prefix}


def policy_patterns(cues: Cues) -> dict[str, list[list[dict[str, Any]]]]:
    """Named programmes, funds, strategies, Bills and Acts (an Act may be followed by its year)."""
    acts = [[*p, {"SHAPE": "dddd", "OP": "?"}] for p in _headed_names(cues, ["Act"])]
    return {"policy_head": _headed_names(cues, cues.policy_heads) + acts}


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
    if rule in ("role", "said_name"):
        return 1, 0
    if rule == "says":
        return 0, 1
    if rule == "appositive":
        return 0, len(tokens) - tokens.index(",")
    if rule == "appointed":
        first_lower = next(i for i, t in enumerate(tokens) if t.islower())
        return 0, len(tokens) - first_lower
    return 0, 0
