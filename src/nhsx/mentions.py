"""Documents -> spaCy pipeline -> mention records. No spaCy object leaves this module."""

from __future__ import annotations

import re
import warnings
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Sequence

from spacy.language import Language
from spacy.tokens import Doc

from .abbreviations import Definition
from .components import OUTPUT_KEY
from .reader import DEFAULT_GLOBS, read_documents
from .records import Document, Mention, ReadError

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
BATCH_SIZE = 64


def paragraph_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in _PARAGRAPH_BREAK.finditer(text)]


def mentions_from_doc(
    doc: Doc, name: str, successors: Mapping[str, str] | None = None, spans_key: str = OUTPUT_KEY
) -> list[Mention]:
    successors = successors or {}
    sentence_starts = [s.start for s in doc.sents] if doc.has_annotation("SENT_START") else [0]
    paragraphs = paragraph_starts(doc.text)
    mentions = []
    for span in doc.spans.get(spans_key, []):
        mentions.append(
            Mention(
                doc=name,
                start=span.start_char,
                end=span.end_char,
                text=span.text,
                label=span.label_,
                canonical=span.id_ or span.text,
                id=span.kb_id_ or None,
                acronym=bool(span._.nhsx_acronym),
                sentence=bisect_right(sentence_starts, span.start) - 1,
                paragraph=bisect_right(paragraphs, span.start_char) - 1,
                source=span._.nhsx_source or "gazetteer",
                successor=successors.get(span.kb_id_),
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


def process(
    nlp: Language, items: Iterable[Document | ReadError], batch_size: int = BATCH_SIZE
) -> Iterator[Processed]:
    """Stream documents through the pipeline in order; read errors pass through with no results."""
    successors = successor_index(nlp)
    stream = ((item.text if isinstance(item, Document) else "", item) for item in items)
    for doc, item in nlp.pipe(stream, as_tuples=True, batch_size=batch_size):
        if isinstance(item, Document):
            yield Processed(item, mentions_from_doc(doc, item.name, successors), list(doc._.nhsx_definitions or []))
        else:
            yield Processed(item, [], [])


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
