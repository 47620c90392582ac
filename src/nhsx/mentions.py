"""Documents -> spaCy pipeline -> mention records. No spaCy object leaves this module."""

from __future__ import annotations

import re
import warnings
from bisect import bisect_right
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Sequence

import numpy as np
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from .abbreviations import Definition
from .components import OUTPUT_KEY, span_meta
from .reader import DEFAULT_GLOBS, read_documents
from .records import Document, Mention, ReadError

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
BATCH_SIZE = 64


def paragraph_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in _PARAGRAPH_BREAK.finditer(text)]


def sentence_start_tokens(doc: Doc) -> list[int]:
    """Token index of each sentence start; [0] when the pipeline sets no sentences. Read from the
    SENT_START array: ``doc.sents`` and ``Token.sent`` walk every token as Python objects first."""
    starts = np.flatnonzero(doc.to_array(SENT_START) == 1).tolist() if len(doc) else []
    return starts if starts and starts[0] == 0 else [0, *starts]


def mentions_from_doc(
    doc: Doc, name: str, successors: Mapping[str, str] | None = None, spans_key: str = OUTPUT_KEY,
    text: str | None = None,
) -> list[Mention]:
    """The output mentions of a processed Doc as records (``text``: the Doc's text, if the caller has it)."""
    successors = successors or {}
    text = doc.text if text is None else text
    sentence_starts = sentence_start_tokens(doc)
    paragraphs = paragraph_starts(text)
    mentions = []
    for span in doc.spans.get(spans_key, []):
        acronym, source = span_meta(span)
        start, end, entry_id = span.start_char, span.end_char, span.kb_id_ or None
        mentions.append(
            Mention(
                name, start, end, text[start:end], span.label_, span.id_ or text[start:end], entry_id, acronym,
                bisect_right(sentence_starts, span.start) - 1, bisect_right(paragraphs, start) - 1,
                source or "gazetteer", successors.get(entry_id) if entry_id else None,
            )
        )
    return mentions


def successor_index(nlp: Language) -> dict[str, str]:
    """Entry id -> successor id, from the pipeline's gazetteer (empty when it has none)."""
    if "nhsx_gazetteer" not in nlp.pipe_names:
        return {}
    return {e.id: e.successor for e in nlp.get_pipe("nhsx_gazetteer").entries.values() if e.successor}


@dataclass(frozen=True)
class Processed:
    """One document's results: its mentions and the acronyms its text defines (plain records)."""

    item: Document | ReadError
    mentions: list[Mention]
    definitions: list[Definition]


PIECE_CHARS = 500_000  # longer texts go through the pipeline in pieces (spaCy's max_length is 1,000,000)


def pieces(text: str, limit: int = PIECE_CHARS) -> list[tuple[int, str]]:
    """(offset, piece) of a text cut at paragraph breaks (or line breaks, or spaces) into parts of at most ``limit``."""
    found, start = [], 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        end = start + limit
        for separator in ("\n\n", "\n", " "):  # the best break available in the window
            cut = window.rfind(separator)
            if cut > 0:
                end = start + cut + len(separator)
                break
        found.append((start, text[start:end]))
        start = end
    found.append((start, text[start:]))
    return found


def _shifted(mention: Mention, offset: int, sentences: int, paragraphs: list[int]) -> Mention:
    start = mention.start + offset
    return replace(
        mention, start=start, end=mention.end + offset, sentence=mention.sentence + sentences,
        paragraph=bisect_right(paragraphs, start) - 1,
    )


def _with_pages(mentions: list[Mention], pages: Sequence[int]) -> list[Mention]:
    """Each mention's 1-based page, from the offsets where the document's pages start."""
    if not pages:
        return mentions
    return [replace(m, page=bisect_right(pages, m.start)) for m in mentions]


def _merge_pieces(item: Document, parts: list[tuple[int, Doc]], successors: Mapping[str, str]) -> Processed:
    processed = _merge_piece_results(item, parts, successors)
    return replace(processed, mentions=_with_pages(processed.mentions, item.pages))


def _merge_piece_results(item: Document, parts: list[tuple[int, Doc]], successors: Mapping[str, str]) -> Processed:
    """One document's results from its pieces, with offsets and indices counted over the whole text."""
    if len(parts) == 1:
        doc = parts[0][1]
        mentions = mentions_from_doc(doc, item.name, successors, text=item.text)
        return Processed(item, mentions, list(doc._.nhsx_definitions or []))
    paragraphs = paragraph_starts(item.text)
    mentions: list[Mention] = []
    definitions: list[Definition] = []
    sentences = 0
    for offset, doc in parts:
        mentions += [_shifted(m, offset, sentences, paragraphs) for m in mentions_from_doc(doc, item.name, successors)]
        definitions += [
            replace(d, start=d.start + offset, end=d.end + offset, long_start=d.long_start + offset, long_end=d.long_end + offset)
            for d in doc._.nhsx_definitions or []
        ]
        sentences += len(sentence_start_tokens(doc))
    return Processed(item, mentions, definitions)


def _piece_stream(items: Iterable[Document | ReadError]) -> Iterator[tuple[str, tuple[Document | ReadError, int, bool]]]:
    """(text, (item, offset, last piece?)) for every piece of every item; read errors as one empty piece."""
    for item in items:
        parts = pieces(item.text, PIECE_CHARS) if isinstance(item, Document) else [(0, "")]
        for number, (offset, text) in enumerate(parts):
            yield text, (item, offset, number == len(parts) - 1)


def process(
    nlp: Language, items: Iterable[Document | ReadError], batch_size: int = BATCH_SIZE
) -> Iterator[Processed]:
    """Stream documents through the pipeline in order; read errors pass through with no results.
    A document longer than PIECE_CHARS goes through in pieces; its offsets still count from its start."""
    successors = successor_index(nlp)
    parts: list[tuple[int, Doc]] = []
    for doc, (item, offset, last) in nlp.pipe(_piece_stream(items), as_tuples=True, batch_size=batch_size):
        if not isinstance(item, Document):
            yield Processed(item, [], [])
            continue
        parts.append((offset, doc))
        if last:
            yield _merge_pieces(item, parts, successors)
            parts = []


def extract(
    paths: str | Path | Sequence[str | Path] = (),
    *,
    text: str | None = None,
    name: str = "<text>",
    gazetteers: Sequence[str | Path] = (),
    model: str | None = None,
    nlp: Language | None = None,
    globs: Sequence[str] = DEFAULT_GLOBS,
) -> list[Mention]:
    """The Python API: the same mention records as ``nhsx extract --mentions``.

    ``nhsx.extract("reports/")`` reads files and folders; ``nhsx.extract(text="...")`` one string.
    Files that cannot be read are skipped with a warning.
    """
    from .pipeline import build_pipeline

    nlp = nlp or build_pipeline(gazetteers, model)
    if isinstance(paths, (str, Path)):
        paths = [paths]
    items: list[Document | ReadError] = list(read_documents([str(p) for p in paths], globs))
    if text is not None:
        items.append(Document(name, text))
    mentions: list[Mention] = []
    for result in process(nlp, items):
        if isinstance(result.item, ReadError):
            warnings.warn(str(result.item), stacklevel=2)
        mentions.extend(result.mentions)
    return mentions
