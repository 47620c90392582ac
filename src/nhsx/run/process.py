"""Documents -> spaCy pipeline -> mention records. No spaCy object leaves this module."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from sys import intern
from typing import Iterable, Iterator, Mapping, Sequence

from spacy.language import Language
from spacy.tokens import Doc

from nhsx.nlp.abbreviations import Definition
from nhsx.nlp.gazetteer_matcher import gazetteer_entries
from nhsx.nlp.spans import OUTPUT_KEY, sentence_start_tokens, span_meta
from nhsx.records import Document, Mention, ReadError

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
BATCH_SIZE = 64


def paragraph_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in _PARAGRAPH_BREAK.finditer(text)]


@dataclass(frozen=True)
class Place:
    """Where a Doc sits in its document, when the document went through in pieces."""

    offset: int = 0  # where the Doc's text starts in the document's text
    sentences: int = 0  # sentences in the pieces before it
    paragraphs: Sequence[int] | None = None  # paragraph starts in the whole text (None: the Doc's own)
    pages: Sequence[int] = ()  # where each page starts in the whole text (PDF)


def mentions_from_doc(
    doc: Doc,
    name: str,
    successors: Mapping[str, str] | None = None,
    spans_key: str = OUTPUT_KEY,
    text: str | None = None,
    place: Place = Place(),
) -> list[Mention]:
    """The output mentions of a processed Doc as records (``text``: the Doc's text, if the caller has it),
    with offsets and indices counted over the whole document as ``place`` says."""
    successors = successors or {}
    text = doc.text if text is None else text
    sentence_starts = sentence_start_tokens(doc)
    paragraphs = paragraph_starts(text) if place.paragraphs is None else place.paragraphs
    mentions = []
    for span in doc.spans.get(spans_key, []):
        acronym, source = span_meta(span)
        entry_id = span.kb_id_ or None
        surface = intern(text[span.start_char : span.end_char])  # names recur: one string each, not one per mention
        start, end = span.start_char + place.offset, span.end_char + place.offset
        mentions.append(
            Mention(
                name,
                start,
                end,
                surface,
                intern(span.label_),
                intern(span.id_) if span.id_ else surface,
                intern(entry_id) if entry_id else None,
                acronym,
                place.sentences + bisect_right(sentence_starts, span.start) - 1,
                bisect_right(paragraphs, start) - 1,
                intern(source) if source else "gazetteer",
                successors.get(entry_id) if entry_id else None,
                page=bisect_right(place.pages, start) if place.pages else None,
            )
        )
    return mentions


def successor_index(nlp: Language) -> dict[str, str]:
    """Entry id -> successor id, from the pipeline's gazetteer (empty when it has none)."""
    return {e.id: e.successor for e in gazetteer_entries(nlp) if e.successor}


@dataclass(frozen=True)
class Processed:
    """One document's results: its mentions and the acronyms its text defines (plain records)."""

    item: Document | ReadError
    mentions: list[Mention]
    definitions: list[Definition]

    @property
    def document(self) -> Document:
        """The document read (a result the caller knows is no ReadError)."""
        assert isinstance(self.item, Document), self.item
        return self.item


PIECE_CHARS = 500_000  # longer texts go through the pipeline in pieces (spaCy's max_length is 1,000,000)
BATCH_CHARS = 1_000_000  # and a batch holds at most this much text: a Doc takes some 80 bytes a character

# A sentence end to cut after: a word of three or more lower-case letters (or digits, or a closing
# bracket), an end mark and closing quotes, before white space and a capital. Short words are left
# out because the tokenizer keeps "Dr." or "Mrs." whole, and no sentence ends there. The white space
# goes to the next piece, where it starts the sentence as it would in the whole text (a "\n" token
# left at the end of a piece would count as one more sentence).
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\]]{3})[.!?]['\"\u2019\u201d)\]]*(?=[ \t\n]+[\"\u2018\u201c(]?[A-Z])")
_SENTENCE_SEARCH = 50_000  # how far back from a piece's end to look for a sentence end


def piece_bounds(text: str, limit: int = PIECE_CHARS) -> Iterator[tuple[int, int]]:
    """(start, end) of each piece of at most ``limit`` characters. A piece ends at the last paragraph
    break in the second half of its window, else at a sentence end, a line break or a space there,
    else after ``limit`` characters; so every piece but the last is at least half the limit, and a
    text of any shape is cut in time linear in its length."""
    start = 0
    while len(text) - start > limit:
        end = _cut(text, start + limit // 2, start + limit)
        yield start, end
        start = end
    yield start, len(text)


def _cut(text: str, low: int, high: int) -> int:
    """The best place in text[low:high] to end a piece (the end of the break found)."""
    cut = text.rfind("\n\n", low, high)
    if cut >= 0:
        return cut + 2
    last = None
    for match in _SENTENCE_END.finditer(text, max(low, high - _SENTENCE_SEARCH), high):
        last = match
    if last is not None:
        return last.end()
    for separator in ("\n", " ", "\t"):
        cut = text.rfind(separator, low, high)
        if cut >= 0:
            return cut + 1
    return high


def pieces(text: str, limit: int = PIECE_CHARS) -> list[tuple[int, str]]:
    """(offset, piece) of a text cut as ``piece_bounds`` says."""
    return [(start, text[start:end]) for start, end in piece_bounds(text, limit)]


class _Gathered:
    """One document's records, gathered piece by piece in order (each piece's Doc is read at once and dropped)."""

    def __init__(self, item: Document, successors: Mapping[str, str]) -> None:
        self.item = item
        self.successors = successors
        self.mentions: list[Mention] = []
        self.definitions: list[Definition] = []
        self.sentences = 0
        self.paragraphs: list[int] | None = None

    def add(self, doc: Doc, start: int, end: int) -> None:
        text = self.item.text
        if (start, end) != (0, len(text)) and self.paragraphs is None:
            self.paragraphs = paragraph_starts(text)  # in pieces: paragraphs are counted over the whole text
        place = Place(start, self.sentences, self.paragraphs, self.item.pages)
        self.mentions += mentions_from_doc(doc, self.item.name, self.successors, text=text[start:end], place=place)
        self.definitions += [
            replace(
                d,
                start=d.start + start,
                end=d.end + start,
                long_start=d.long_start + start,
                long_end=d.long_end + start,
            )
            for d in doc._.nhsx_definitions or []
        ]
        self.sentences += len(sentence_start_tokens(doc))

    def processed(self) -> Processed:
        return Processed(self.item, self.mentions, self.definitions)


_Piece = tuple[str, tuple[Document | ReadError, int, int]]  # (text, (item, start, end))


def _piece_stream(items: Iterable[Document | ReadError]) -> Iterator[_Piece]:
    """Every piece of every item, sliced only when it is needed; read errors as one empty piece."""
    for item in items:
        if not isinstance(item, Document):
            yield "", (item, 0, 0)
            continue
        for start, end in piece_bounds(item.text, PIECE_CHARS):
            yield item.text[start:end], (item, start, end)


def _batches(stream: Iterable[_Piece], size: int) -> Iterator[list[_Piece]]:
    """Pieces in batches of at most ``size`` pieces and BATCH_CHARS characters (at least one piece)."""
    batch: list[_Piece] = []
    chars = 0
    for piece in stream:
        if batch and (len(batch) >= size or chars + len(piece[0]) > BATCH_CHARS):
            yield batch
            batch, chars = [], 0
        batch.append(piece)
        chars += len(piece[0])
    if batch:
        yield batch


def process(nlp: Language, items: Iterable[Document | ReadError], batch_size: int = BATCH_SIZE) -> Iterator[Processed]:
    """Stream documents through the pipeline in order; read errors pass through with no results.
    A document longer than PIECE_CHARS goes through in pieces; its offsets still count from its start.
    Each Doc is turned into records at once, and a batch holds at most BATCH_CHARS of text, so memory
    holds one batch of Docs, whatever the length of a document."""
    successors = successor_index(nlp)
    gathered: _Gathered | None = None
    for batch in _batches(_piece_stream(items), batch_size):
        for doc, (item, start, end) in nlp.pipe(batch, as_tuples=True, batch_size=len(batch)):
            if not isinstance(item, Document):
                yield Processed(item, [], [])
                continue
            if start == 0:
                gathered = _Gathered(item, successors)
            assert gathered is not None  # a document's pieces come in order, its first at 0
            gathered.add(doc, start, end)
            if end == len(item.text):
                yield gathered.processed()
