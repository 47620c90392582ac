"""The gazetteer matcher: every name, alias and acronym of the gazetteers, found in one vectorised pass.

Writes ``doc.spans["nhsx_gazetteer"]`` (and the weak matches, ordinary-word names at a sentence start, to
``doc.spans["nhsx_gazetteer_weak"]``). The surface forms come from ``nhsx.nlp.patterns``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import numpy as np
import srsly
from spacy.attrs import LOWER, ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from nhsx.knowledge import cache
from nhsx.knowledge.gazetteer import Entry, Gazetteer, Problem
from nhsx.nlp.patterns import ACRONYM, COMMON, DEFINITE, EXACT_FORMS, HONORIFIC, compile_patterns
from nhsx.nlp.phrase_index import PhraseIndex
from nhsx.nlp.rules.cues import Cues
from nhsx.nlp.spans import (
    WEAK_KEY,
    inside_capitalised_run,
    line_breaks,
    pipe_of,
    sentence_initial,
    set_span_meta,
    tokenizer_of,
)


class GazetteerMatcher:
    """Matches every gazetteer entry: names ignoring case, acronyms and marked names with exact case.

    The compiled form (entries plus token-id phrase indexes) is cached on disk, keyed by the
    gazetteer files' contents and the nhsx and spaCy versions, so only the first run compiles.
    """

    def __init__(self, nlp: Language, name: str, gazetteers: Sequence[str], builtins: bool, spans_key: str) -> None:
        self.nlp, self.name, self.spans_key = nlp, name, spans_key
        self.gazetteers, self.builtins = list(gazetteers), builtins
        self.problems: list[Problem] = []
        self._entries: dict[str, Entry] | None = None
        self._indexes: tuple[PhraseIndex, PhraseIndex] | None = None
        self._honorifics: tuple[str, ...] = Cues.builtin().surname_honorifics
        self._by_key: dict[str, tuple[str, str, int, int, int]] = {}

    # loading is lazy: a pipeline restored with from_disk never reads the YAML files
    @property
    def entries(self) -> dict[str, Entry]:
        if self._entries is None:
            self._load()
        assert self._entries is not None
        return self._entries

    def _load(self) -> None:
        layers = Gazetteer.layers(self.gazetteers, self.builtins)
        # the tokenizer's rules too: the compiled phrases are token sequences
        tokenizer = hashlib.sha256(tokenizer_of(self.nlp).to_bytes(exclude=["vocab"])).hexdigest()
        key = cache.cache_key([f for files in layers for f in files], *self._honorifics, tokenizer)
        cached = cache.load(key)
        if cached is not None:
            self._entries = {d["id"]: Entry.from_dict(d) for d in cached["entries"]}
            self.problems = [Problem(*p) for p in cached["problems"]]
            self._indexes = (PhraseIndex.from_lists(cached["names"]), PhraseIndex.from_lists(cached["exact"]))
            return
        gazetteer = Gazetteer.from_layers(layers)
        self.problems, self._entries = gazetteer.problems, gazetteer.entries
        names, exact = self.indexes
        cache.save(
            key,
            {
                "entries": [e.to_dict() for e in self._entries.values()],
                "problems": [[p.file, p.line, p.message] for p in self.problems],
                "names": names.to_lists(),
                "exact": exact.to_lists(),
            },
        )

    def set_entries(self, entries: Iterable[Entry]) -> None:
        self._entries = {e.id: e for e in entries}
        self._indexes = None
        self._by_key = {}

    def _key_info(self, key: str) -> tuple[str, str, int, int, int]:
        """(form, entry id, and the string ids of label, canonical name and entry id) of a pattern key."""
        info = self._by_key.get(key)
        if info is None:
            form, entry_id = key.split("|", 1)
            entry, strings = self.entries[entry_id], self.nlp.vocab.strings
            info = (form, entry_id, strings.add(entry.label), strings.add(entry.canonical), strings.add(entry_id))
            self._by_key[key] = info
        return info

    @property
    def indexes(self) -> tuple[PhraseIndex, PhraseIndex]:
        """(names on lower-case token ids, exact forms on token ids)."""
        if self._indexes is None:
            self._indexes = self._compile()
        return self._indexes

    def _compile(self) -> tuple[PhraseIndex, PhraseIndex]:
        names, exact = PhraseIndex(), PhraseIndex()
        patterns = compile_patterns(self.entries.values(), self._honorifics)
        for pattern, doc in zip(patterns, tokenizer_of(self.nlp).pipe(p.text for p in patterns)):
            if pattern.form in EXACT_FORMS:
                exact.add(pattern.key, [t.orth for t in doc])
            else:
                names.add(pattern.key, [t.lower for t in doc])
        return names, exact

    def matches(self, docs: Sequence[Doc]) -> list[list[tuple[str, int, int]]]:
        """(key, start, end) of every phrase match, per doc. A line break inside a name ("Care Quality
        / Commission") is stepped over: the phrases are looked up in each doc without its line breaks."""
        names, exact = self.indexes
        kept = [np.flatnonzero(~line_breaks(doc)) for doc in docs]
        columns = [doc.to_array([LOWER, ORTH])[k] for doc, k in zip(docs, kept)]
        by_name = names.find_many([c[:, 0] for c in columns])
        by_exact = exact.find_many([c[:, 1] for c in columns])
        return [_in_doc_tokens(a + b, k, len(doc)) for a, b, k, doc in zip(by_name, by_exact, kept, docs)]

    def __call__(self, doc: Doc) -> Doc:
        return self._annotate(doc, self.matches([doc])[0])

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for batch in minibatch(docs, batch_size):
            nonempty = [doc for doc in batch if len(doc)]
            found = dict(zip(map(id, nonempty), self.matches(nonempty) if nonempty else []))
            for doc in batch:
                yield self._annotate(doc, found.get(id(doc), []))

    def _annotate(self, doc: Doc, matches: list[tuple[str, int, int]]) -> Doc:
        spans: dict[tuple[int, int, str], Span] = {}
        weak: list[Span] = []
        for key, start, end in matches:
            form, entry_id, label, canonical, kb_id = self._key_info(key)
            if form == HONORIFIC:  # the surname after the honorific (and after a line break, if any)
                start += 1
                while doc[start].is_space:
                    start += 1
            if form == COMMON and inside_capitalised_run(doc, start, end):
                continue  # "Elective Reform Plan", "Reform UK": part of another name
            if form == DEFINITE and not _definite_reference(doc, start, end):
                continue  # "an NHS plan to cut waiting lists": some plan, not the NHS Plan
            span = Span(doc, start, end, label=label, kb_id=kb_id, span_id=canonical)
            if form == ACRONYM:
                set_span_meta(span, True, None)
            if form == COMMON and sentence_initial(doc, start):
                weak.append(span)
            else:
                spans.setdefault((start, end, entry_id), span)
        doc.spans[self.spans_key] = list(spans.values())
        doc.spans[WEAK_KEY] = weak
        return doc

    def to_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_jsonl(path / "entries.jsonl", (e.to_dict() for e in self.entries.values()))
        srsly.write_json(path / "cfg.json", {"honorifics": list(self._honorifics)})

    def from_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> GazetteerMatcher:
        path = Path(path)
        self._honorifics = tuple(srsly.read_json(path / "cfg.json")["honorifics"])
        self.set_entries(Entry.from_dict(d) for d in srsly.read_jsonl(path / "entries.jsonl"))
        return self


# After a lower-case plan's name these words make it a plan for something, not the named one.
_PURPOSE_WORDS = frozenset({"to", "for"})


def _definite_reference(doc: Doc, start: int, end: int) -> bool:
    """ "the NHS plan promises": the name in lower case after "the" and not followed by a purpose."""
    return start > 0 and doc[start - 1].lower_ == "the" and (end >= len(doc) or doc[end].lower_ not in _PURPOSE_WORDS)


def _in_doc_tokens(found: list[tuple[str, int, int]], kept: np.ndarray, length: int) -> list[tuple[str, int, int]]:
    """Matches counted over the kept tokens, as doc token offsets."""
    if len(kept) == length:
        return found
    index = kept.tolist()
    return [(key, index[start], index[end - 1] + 1) for key, start, end in found]


def gazetteer_entries(nlp: Language) -> Iterable[Entry]:
    """The entries of the pipeline's gazetteer matcher (none in a pipeline without one)."""
    matcher = pipe_of(nlp, GazetteerMatcher)
    return matcher.entries.values() if matcher is not None else []
