"""Rule-based candidates for people and organisations the gazetteers do not know.

The rules are token patterns for spaCy's Matcher built from word lists in ``nhsx/data``
(YAML an analyst can extend). Each rule says which tokens at the edges are cues, not name:
"Mr Lamb" -> "Lamb", "chief executive Ed Garratt" -> "Ed Garratt", "Joe Rafferty calls" -> "Joe Rafferty".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

PERSON_RULES = ("honorific", "first_name", "role", "says", "said_name")
ORG_RULES = ("org_head", "org_prefix")


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
    org_prefixes: tuple[str, ...] = field(default=())

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
            org_prefixes=tuple(orgs.get("prefixes", ())),
        )

    def to_dict(self) -> dict[str, list[str]]:
        return {k: list(v) for k, v in self.__dict__.items()}

    @classmethod
    def from_dict(cls, data: dict[str, list[str]]) -> "Cues":
        return cls(**{k: tuple(v) for k, v in data.items()})


def _name_token(cues: Cues, op: str | None = None) -> dict[str, Any]:
    token: dict[str, Any] = {"IS_TITLE": True, "IS_ALPHA": True, "ORTH": {"NOT_IN": list(cues.not_name_words)}}
    if op:
        token["OP"] = op
    return token


def _surname_tokens(cues: Cues) -> list[dict[str, Any]]:
    """A surname, possibly double-barrelled ("Quilter-Pinner")."""
    return [_name_token(cues), {"ORTH": "-", "OP": "?"}, _name_token(cues, "?")]


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
    }


def org_patterns(cues: Cues) -> dict[str, list[list[dict[str, Any]]]]:
    first = {"IS_TITLE": True, "ORTH": {"NOT_IN": list(cues.org_never_first)}}
    inner = {"ORTH": {"IN": list(cues.org_inner_words)}, "OP": "?"}
    word = {"IS_TITLE": True, "OP": "*"}
    patterns = []
    for head in cues.org_heads:
        head_tokens = [{"ORTH": part} for part in head.split()]
        # up to two inner joins keep names like "Brighton and Hove City Council" but not whole sentences
        patterns.append([first, word, inner, word, inner, word, *head_tokens])
    prefix = [[{"ORTH": p}, {"IS_TITLE": True, "OP": "+"}] for p in cues.org_prefixes]
    return {"org_head": patterns, "org_prefix": prefix}


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
    return 0, 0
