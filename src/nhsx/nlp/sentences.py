"""Sentence splitting with spaCy's rule (a sentence ends after one of ``punct_chars``), on arrays.

spaCy's ``sentencizer`` walks every token as a Python object; the same rule over a document's
ORTH and IS_PUNCT arrays costs a few numpy calls, and sets exactly the same boundaries.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np
from spacy.attrs import IS_PUNCT, ORTH, SENT_START
from spacy.pipeline import Sentencizer
from spacy.strings import get_string_id
from spacy.tokens import Doc

from nhsx.nlp.phrase_index import member


class ArraySentencizer(Sentencizer):
    """spaCy's Sentencizer with a vectorised ``predict``; configuration and serialisation are its own."""

    def _punct_hashes(self) -> np.ndarray:
        key = frozenset(self.punct_chars)
        if getattr(self, "_hashes_for", None) != key:  # punct_chars may be replaced by from_bytes/from_disk
            self._hashes = np.array(sorted({get_string_id(c) for c in self.punct_chars}), dtype=np.uint64)
            self._hashes_for = key
        return self._hashes

    def predict(self, docs: Iterable[Doc]) -> list[np.ndarray]:
        return [sentence_starts(doc, self._punct_hashes()) for doc in docs]

    def set_annotations(self, docs: Iterable[Doc], batch_tag_ids: Sequence[np.ndarray]) -> None:
        for doc, starts in zip([docs] if isinstance(docs, Doc) else docs, batch_tag_ids):
            if not len(doc):
                continue
            values = np.where(starts, 1, -1)
            if not self.overwrite:  # like spaCy's: keep boundaries an earlier component set
                existing = doc.to_array(SENT_START).astype(np.int64)
                values = np.where(existing != 0, existing, values)
            doc.from_array([SENT_START], values.astype(np.uint64))  # type: ignore[arg-type]  # a 1-d column is allowed


def sentence_starts(doc: Doc, punct_hashes: np.ndarray) -> np.ndarray:
    """Whether each token starts a sentence: the first token, and every token that is neither
    punctuation nor an end mark, after an end mark since the previous such token."""
    if not len(doc):
        return np.zeros(0, dtype=bool)
    columns = doc.to_array([ORTH, IS_PUNCT])
    ends = member(punct_hashes, columns[:, 0])
    words = np.flatnonzero(~ends & (columns[:, 1] == 0))
    seen = np.cumsum(ends)[words]  # end marks up to each word
    starts = np.zeros(len(doc), dtype=bool)
    starts[words[np.diff(seen, prepend=0) > 0]] = True
    starts[0] = True
    return starts
