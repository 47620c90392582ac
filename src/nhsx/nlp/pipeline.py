"""Building the spaCy pipeline: a blank English pipeline (no model download) or any installed one."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Sequence

import spacy
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.pipeline import Sentencizer

from nhsx.nlp import factories  # noqa: F401  (registers the nhsx factories)
from nhsx.nlp.gazetteer_matcher import GazetteerMatcher
from nhsx.nlp.rules.cues import Cues
from nhsx.nlp.spans import pipe_of, tokenizer_of

# Blank lines end a sentence too: headings and list items often have no full stop.
PARAGRAPH_BREAKS = ["\n\n", "\n\n\n", "\n\n\n\n", " \n\n", "\n \n", "\n\n ", "\r\n\r\n"]
MAX_LENGTH = 20_000_000  # the blank pipeline has no parser, so long texts cost little memory


# Footnote marks stuck to a word, as web pages and reports print them: "Public Health England.[3]"
# is "England", ".", "[", "3", "]" rather than "England.[3" (which no name can match).
# (Infixes see the token after its suffixes are split off, so the closing "]" is already gone.)
FOOTNOTE_INFIXES = (r"(?<=\w)[.,;:](?=\[\d)", r"(?<=[\w.,;:])\[(?=\d)")


# A closing quote or plural possessive with the space after it lost: "primary care trusts'which" is
# "trusts", "'", "which" (three letters at least after it: "we've", "they're" stay whole).
GLUED_QUOTE_INFIX = r"(?<=[a-z]s)['\u2019](?=[a-z]{3,})"


def split_footnote_marks(nlp: Language) -> None:
    """Extend the tokenizer's infixes (whatever they are) with the footnote-mark splits."""
    tokenizer = tokenizer_of(nlp)
    current = tokenizer.infix_finditer
    pattern = current.__self__.pattern if current is not None else ""
    if FOOTNOTE_INFIXES[0] in pattern:
        return
    extra = (*FOOTNOTE_INFIXES, GLUED_QUOTE_INFIX)
    tokenizer.infix_finditer = re.compile("|".join(p for p in (pattern, *extra) if p)).finditer


def split_company_suffixes(nlp: Language) -> None:
    """ "Ltd." is one token in spaCy's English exceptions, so a name ending a sentence with it ("... Alliance
    Ltd.") could not end before the full stop: the company-suffix heads lose their dotted special cases
    (the full stop is then split off as everywhere else). Each is replaced by a special case of its own:
    reassigning the whole rule table would rebuild spaCy's 4,000 exceptions at every start."""
    tokenizer = tokenizer_of(nlp)
    rules = tokenizer.rules
    for head in Cues.builtin().org_heads:
        dotted = f"{head}."
        if " " not in head and len(rules.get(dotted, ())) == 1:
            tokenizer.add_special_case(dotted, [{ORTH: head}, {ORTH: "."}])


def add_nhsx_components(nlp: Language, gazetteers: Sequence[str | Path] = (), builtins: bool = True) -> Language:
    """Add sentence splitting (unless the pipeline has it) and the nhsx components to ``nlp``."""
    split_footnote_marks(nlp)
    split_company_suffixes(nlp)
    sentence_setters = ("parser", "senter", "sentencizer", "nhsx_sentencizer")
    if not any(name in nlp.pipe_names for name in sentence_setters):
        nlp.add_pipe(
            "nhsx_sentencizer",
            first=True,
            config={"punct_chars": Sentencizer.default_punct_chars + PARAGRAPH_BREAKS},
        )
    nlp.add_pipe("nhsx_abbreviations")
    nlp.add_pipe("nhsx_gazetteer", config={"gazetteers": [str(p) for p in gazetteers], "builtins": builtins})
    nlp.add_pipe("nhsx_rules")
    nlp.add_pipe("nhsx_resolver")
    nlp.max_length = max(nlp.max_length, MAX_LENGTH)
    return nlp


def build_pipeline(gazetteers: Sequence[str | Path] = (), model: str | None = None, builtins: bool = True) -> Language:
    """The nhsx pipeline. ``model`` is an installed spaCy pipeline name or path whose PERSON/ORG
    entities fill the gaps the gazetteers and rules leave."""
    nlp = spacy.load(model) if model else spacy.blank("en")
    return add_nhsx_components(nlp, gazetteers, builtins)


def gazetteer_of(nlp: Language) -> GazetteerMatcher:
    """The pipeline's gazetteer matcher, whatever its name (a LookupError without one)."""
    matcher = pipe_of(nlp, GazetteerMatcher)
    if matcher is None:
        raise LookupError("the pipeline has no nhsx_gazetteer component")
    return matcher
