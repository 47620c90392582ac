"""Mention records and co-occurrence tables built by hand, shared by the co-occurrence, network and plot tests."""

from __future__ import annotations

from nhsx.analyse.cooccur import Cooccurrence
from nhsx.records import Mention


def m(doc: str, sentence: int, paragraph: int, canonical: str, label: str = "BODY", id: str | None = None) -> Mention:
    return Mention(doc, 0, len(canonical), canonical, label, canonical, id, False, sentence, paragraph, "gazetteer")


def build(documents: list[list[Mention]], window: str = "sentence") -> Cooccurrence:
    result = Cooccurrence(window)
    for mentions in documents:
        result.add_document(mentions)
    return result


def sentence(*names: str) -> list[Mention]:
    """A one-sentence document naming BODY entities called ``names``."""
    return [m("d", 0, 0, name) for name in names]


D1 = [m("d1", 0, 0, "A"), m("d1", 0, 0, "B"), m("d1", 0, 0, "A"), m("d1", 1, 0, "B"), m("d1", 1, 0, "A"),
      m("d1", 2, 1, "C"), m("d1", 3, 1, "A"), m("d1", 3, 1, "C")]  # fmt: skip
D2 = [m("d2", 0, 0, "B"), m("d2", 0, 0, "C"), m("d2", 1, 1, "A")]
