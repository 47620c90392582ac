"""The word lists the rules read (honorifics, first names, role words, heads, ...), from YAML in ``nhsx/data``
that an analyst can extend.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

APPOINTMENT_VERBS = ["appointed", "named", "elected", "promoted", "confirmed", "recruited", "chosen", "nominated"]


POLICY_RULES = ("policy_head",)


MAX_ROLE_MODIFIERS = 3


POSSESSIVES = ("'s", "\u2019s", "'", "\u2019")


# Heads that may also stand inside a longer name ("Leeds Teaching Hospitals NHS Trust").
INNER_HEADS = {"Hospital", "Hospitals"}


# Heads of institutions, which a possessive may name ("St Luke's Hospice", "Guy's Hospital").
INSTITUTION_HEADS = {"Hospital", "Hospitals", "Hospice", "Infirmary"}


# Last words of a name a lower-case "NHS trust" may close ("Burton Hospitals NHS trust").
TRUST_LIKE_ENDINGS = INSTITUTION_HEADS | {"Healthcare", "Health", "Partnership"}


SAINT = {"St", "St."}


# Capitalised words of an organisation's name: Title case, or capitals ("BOB ICB", "C&M").
CAPITALISED_SHAPES = ["Xx", "Xxx", "Xxxx", "Xxxxx", "XX", "XXX", "XXXX", "X&X", "XX&X"]


# Surname shapes beyond Title case: McManus, MacLeod, O'Brien.
SURNAME_SHAPES = [
    "Xx",
    "Xxx",
    "Xxxx",
    "Xxxxx",
    "XxXx",
    "XxXxx",
    "XxXxxx",
    "XxXxxxx",
    "XxxXxx",
    "XxxXxxx",
    "XxxXxxxx",
    "X'Xx",
    "X'Xxx",
    "X'Xxxx",
    "X'Xxxxx",
    "X’Xxxx",
    "X’Xxxxx",
    # a particle written into the surname: deCordova, deSouza
    "xxXxxxx",
    "xxXxxxxx",
    "xxXxxx",
]


_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


CUE_FILES = ("person_cues.yaml", "org_cues.yaml")


def load_resource(name: str) -> dict[str, Any]:
    """A YAML word list shipped in nhsx/data (safe loading; libyaml when available, it is much faster)."""
    text = (resources.files("nhsx") / "data" / name).read_text(encoding="utf-8")
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
    named_place_heads: tuple[str, ...] = ()
    peer_titles: tuple[str, ...] = ()
    peer_offices: tuple[str, ...] = ()
    org_heads: tuple[str, ...] = ()
    org_inner_words: tuple[str, ...] = ()
    org_never_first: tuple[str, ...] = ()
    org_never_inside: tuple[str, ...] = ()
    org_prefixes: tuple[str, ...] = ()
    subject_heads: tuple[str, ...] = ()
    title_words: tuple[str, ...] = ()
    name_breakers: tuple[str, ...] = ()
    policy_heads: tuple[str, ...] = ()
    policy_short_heads: tuple[str, ...] = ()
    governance_heads: tuple[str, ...] = ()
    committee_kinds: tuple[str, ...] = ()
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
    def builtin(cls) -> Cues:
        return _builtin_cues()

    @classmethod
    def _load_builtin(cls) -> Cues:
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
            named_place_heads=tuple(people.get("named_place_heads", ())),
            peer_titles=tuple(people.get("peer_titles", ())),
            peer_offices=tuple(people.get("peer_offices", ())),
            org_heads=tuple(orgs.get("heads", ())),
            org_inner_words=tuple(orgs.get("inner_words", ())),
            org_never_first=tuple(orgs.get("never_first", ())),
            org_never_inside=tuple(orgs.get("never_inside", ())),
            org_prefixes=tuple(orgs.get("prefixes", ())),
            subject_heads=tuple(orgs.get("subject_heads", ())),
            title_words=tuple(orgs.get("title_words", ())),
            name_breakers=tuple(orgs.get("name_breakers", ())),
            policy_heads=tuple(orgs.get("policy_heads", ())),
            policy_short_heads=tuple(orgs.get("policy_short_heads", ())),
            governance_heads=tuple(orgs.get("governance_heads", ())),
            committee_kinds=tuple(orgs.get("committee_kinds", ())),
            bare_kind_heads=tuple(orgs.get("bare_kind_heads", ())),
            place_qualifiers=tuple(orgs.get("place_qualifiers", ())),
            bare_kind_blockers=tuple(orgs.get("bare_kind_blockers", ())),
        )

    def to_dict(self) -> dict[str, list[str]]:
        return {k: list(v) for k, v in self.__dict__.items()}

    @classmethod
    def from_dict(cls, data: dict[str, list[str]]) -> Cues:
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
