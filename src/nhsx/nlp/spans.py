"""The span data nhsx's components share: span-group keys, how each span was found, and small token tests.

Candidate spans carry the label, the gazetteer id as ``kb_id_`` and the canonical name as ``id_``;
``Span._.nhsx_acronym`` and ``Span._.nhsx_source`` say how each final mention was found.
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence, TypeVar, cast

import numpy as np
from spacy.attrs import IS_SPACE, ORTH, SENT_START
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span

from nhsx.nlp.phrase_index import member
from nhsx.nlp.resolver.selection import Candidate

PipeT = TypeVar("PipeT")

GAZETTEER_KEY = "nhsx_gazetteer"


WEAK_KEY = "nhsx_gazetteer_weak"  # ordinary-word names at a sentence start: kept only if confirmed elsewhere


RULES_KEY = "nhsx_rules"


OUTPUT_KEY = "nhsx"


# (start, end, head start) of each committee-type name the rules found ("... Task Force"), in doc.user_data
TITLED_KEY = ("nhsx", "titled_bodies")


OPENING_QUOTES = {'"', "'", "\u201c", "\u2018", "(", "["}


# After these a word opens a heading, a list item or a clause, as at a sentence start ("\u2022 Reform: ...").
LINE_OPENERS = {":", "\u2013", "\u2014", "-", "\u2022", "\u00b7", "*", "\u25aa", "\u25e6", "\u25cf", "\u2023"}


# How each span was found lives in doc.user_data under plain keys, like spaCy's own extension values,
# but the components read and write it directly: an extension attribute costs a microsecond a call.
def _meta_key(span: Span) -> tuple[str, int, int, int, int]:
    return ("nhsx", span.start, span.end, span.label, span.kb_id)


def span_meta(span: Span) -> tuple[bool, str | None]:
    """(acronym?, source) of a candidate or output span."""
    user_data: dict[Any, Any] = span.doc.user_data  # keyed by tuples, as spaCy's own extension values are
    return user_data.get(_meta_key(span), (False, None))


def set_span_meta(span: Span, acronym: bool, source: str | None) -> None:
    user_data: dict[Any, Any] = span.doc.user_data
    user_data[_meta_key(span)] = (acronym, source)


Span.set_extension(
    "nhsx_acronym",
    getter=lambda span: span_meta(span)[0],
    setter=lambda span, value: set_span_meta(span, bool(value), span_meta(span)[1]),
    force=True,
)


Span.set_extension(
    "nhsx_source",
    getter=lambda span: span_meta(span)[1],
    setter=lambda span, value: set_span_meta(span, span_meta(span)[0], value),
    force=True,
)


def output_span(doc: Doc, start: int, end: int, label: str, canonical: str, entry_id: str | None) -> Span:
    return Span(doc, start, end, label=label, kb_id=entry_id or "", span_id=canonical)


def named_span(doc: Doc, start: int, end: int, label: str) -> Span:
    """A rule match: its canonical name is its own text."""
    span = Span(doc, start, end, label=label)
    span.id_ = " ".join(span.text.split())  # "Simon\nStevens" across a line break is "Simon Stevens"
    return span


def to_candidate(span: Span, source: str) -> Candidate:
    return Candidate(
        span.start, span.end, span.label_, span.id_ or span.text, span.kb_id_ or None, span_meta(span)[0], source
    )


def line_breaks(doc: Doc) -> np.ndarray:
    """Which tokens are whitespace that may fall inside a name: a line break or extra spaces, not a blank line."""
    space = doc.to_array(IS_SPACE).astype(bool)
    for i in np.flatnonzero(space).tolist():  # few: whitespace tokens are only line breaks and extra spaces
        if doc[i].text.count("\n") >= 2:
            space[i] = False
    return space


def capitalised(doc: Doc, i: int) -> bool:
    return 0 <= i < len(doc) and doc[i].is_alpha and doc[i].text[0].isupper()


def inside_capitalised_run(doc: Doc, start: int, end: int) -> bool:
    return capitalised(doc, end) or (capitalised(doc, start - 1) and not doc[start].is_sent_start)


def sentence_initial(doc: Doc, i: int) -> bool:
    if i == 0 or doc[i].is_sent_start:
        return True
    previous = doc[i - 1]
    return previous.text in OPENING_QUOTES or previous.is_space or previous.text in LINE_OPENERS


def used_as_name(doc: Doc, end: int) -> bool:
    return end < len(doc) and doc[end].text in {"'s", "\u2019s", ","}


def pipe_of(nlp: Language, kind: type[PipeT]) -> PipeT | None:
    """The pipeline's component of this class, whatever name it was added under: how components find each other."""
    return next((pipe for _, pipe in nlp.pipeline if isinstance(pipe, kind)), None)


def covered_tokens(doc: Doc, chosen: Sequence[Candidate]) -> np.ndarray:
    covered = np.zeros(len(doc), dtype=bool)
    for cand in chosen:
        covered[cand.start : cand.end] = True
    return covered


def positions_of(doc: Doc, words: Iterable[str], covered: np.ndarray | None = None) -> list[int]:
    """Token positions whose exact text is one of ``words`` and that no mention covers yet."""
    hashes = np.array(sorted({doc.vocab.strings.add(w) for w in words}), dtype="uint64")
    found = member(hashes, doc.to_array(ORTH))
    return np.flatnonzero(found if covered is None else found & ~covered).tolist()


def is_name_like(doc: Doc, i: int) -> bool:
    return 0 <= i < len(doc) and doc[i].is_title and doc[i].is_alpha


def tokenizer_of(nlp: Language) -> Tokenizer:
    """The pipeline's tokenizer as what it is (spaCy types ``nlp.tokenizer`` as any callable)."""
    return cast(Tokenizer, nlp.tokenizer)


def sentence_start_tokens(doc: Doc) -> list[int]:
    """Token index of each sentence start; [0] when the pipeline sets no sentences. Read from the
    SENT_START array: ``doc.sents`` and ``Token.sent`` walk every token as Python objects first."""
    starts = np.flatnonzero(doc.to_array(SENT_START) == 1).tolist() if len(doc) else []
    return starts if starts and starts[0] == 0 else [0, *starts]
