"""Registers nhsx's spaCy components as factories (as spaCy's own ``pipeline/factories.py`` does).

    nlp.add_pipe("nhsx_sentencizer")
    nlp.add_pipe("nhsx_abbreviations")  # acronyms defined in the text -> doc._.nhsx_definitions
    nlp.add_pipe("nhsx_gazetteer")      # gazetteer matches  -> doc.spans["nhsx_gazetteer"]
    nlp.add_pipe("nhsx_rules")          # rule matches       -> doc.spans["nhsx_rules"]
    nlp.add_pipe("nhsx_resolver")       # final mentions     -> doc.spans["nhsx"]

Each factory declares what it reads (``requires``) and writes (``assigns``), so ``nlp.analyze_pipes()``
shows the flow.
"""

from __future__ import annotations

from typing import Sequence

from spacy.language import Language

from nhsx.nlp.abbreviations import AbbreviationDetector
from nhsx.nlp.gazetteer_matcher import GazetteerMatcher
from nhsx.nlp.resolver.component import Resolver
from nhsx.nlp.rules.component import RuleMatcher
from nhsx.nlp.sentences import ArraySentencizer
from nhsx.nlp.spans import GAZETTEER_KEY, OUTPUT_KEY, RULES_KEY

SENTENCES = ["token.is_sent_start"]


@Language.factory(
    "nhsx_sentencizer",
    default_config={"punct_chars": None, "overwrite": False},
    assigns=["token.is_sent_start", "doc.sents"],
)
def make_sentencizer(nlp: Language, name: str, punct_chars: Sequence[str] | None, overwrite: bool) -> ArraySentencizer:
    return ArraySentencizer(name, punct_chars=punct_chars, overwrite=overwrite)


@Language.factory("nhsx_abbreviations", requires=SENTENCES, assigns=["doc._.nhsx_definitions"])
def make_abbreviations(nlp: Language, name: str) -> AbbreviationDetector:
    return AbbreviationDetector(nlp, name)


@Language.factory(
    "nhsx_gazetteer",
    default_config={"gazetteers": [], "builtins": True, "spans_key": GAZETTEER_KEY},
    requires=SENTENCES,
    assigns=["doc.spans"],
)
def make_gazetteer(nlp: Language, name: str, gazetteers: list[str], builtins: bool, spans_key: str) -> GazetteerMatcher:
    return GazetteerMatcher(nlp, name, gazetteers, builtins, spans_key)


@Language.factory("nhsx_rules", default_config={"spans_key": RULES_KEY}, requires=SENTENCES, assigns=["doc.spans"])
def make_rules(nlp: Language, name: str, spans_key: str) -> RuleMatcher:
    return RuleMatcher(nlp, name, spans_key)


@Language.factory(
    "nhsx_resolver",
    default_config={
        "candidate_keys": [GAZETTEER_KEY, RULES_KEY],
        "spans_key": OUTPUT_KEY,
        "model_labels": {"PERSON": "PERSON", "PER": "PERSON", "ORG": "BODY"},
    },
    requires=["doc.spans", "doc._.nhsx_definitions"],
    assigns=["doc.spans", "span._.nhsx_acronym", "span._.nhsx_source"],
)
def make_resolver(
    nlp: Language, name: str, candidate_keys: list[str], spans_key: str, model_labels: dict[str, str]
) -> Resolver:
    return Resolver(nlp, name, candidate_keys, spans_key, model_labels)
