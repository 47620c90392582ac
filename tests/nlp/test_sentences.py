"""The array sentencizer sets exactly the boundaries spaCy's own sentencizer sets."""

from __future__ import annotations

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.attrs import SENT_START
from spacy.pipeline import Sentencizer

from nhsx.nlp.pipeline import PARAGRAPH_BREAKS
from nhsx.nlp.sentences import ArraySentencizer

PUNCT = Sentencizer.default_punct_chars + PARAGRAPH_BREAKS
NLP = spacy.blank("en")
pieces = st.sampled_from(
    ["NHS", "England", "said", ".", "!", "?", "...", '"', "(", ")", ",", "\n\n", "\n", " ", "x", "-"]
)


def boundaries(component, nlp, text: str) -> list[int]:
    return component(nlp.make_doc(text)).to_array(SENT_START).tolist()


@settings(max_examples=300, deadline=None)
@given(st.lists(pieces, max_size=40).map(" ".join))
def test_same_boundaries_as_spacys_sentencizer(text):
    expected = boundaries(Sentencizer(punct_chars=PUNCT), NLP, text)
    assert boundaries(ArraySentencizer("s", punct_chars=PUNCT), NLP, text) == expected


def test_a_pipeline_component_that_saves_and_loads(tmp_path):
    nlp = spacy.blank("en")
    nlp.add_pipe("nhsx_sentencizer", config={"punct_chars": [".", "\n\n"]})
    nlp.to_disk(tmp_path)
    restored = spacy.load(tmp_path)
    text = "The ICB met. Trusts agreed\n\nA new plan! Still one"
    assert [s.text for s in restored(text).sents] == ["The ICB met.", "Trusts agreed\n\n", "A new plan! Still one"]


def test_keeps_boundaries_set_earlier_unless_told_to_overwrite():
    nlp = spacy.blank("en")
    doc = nlp.make_doc("one two. three four")
    doc[1].is_sent_start = True
    kept = ArraySentencizer("s")(doc)
    assert [t.is_sent_start for t in kept] == [True, True, False, True, False]
    doc = nlp.make_doc("one two. three four")
    doc[1].is_sent_start = True
    overwritten = ArraySentencizer("s", overwrite=True)(doc)
    assert [t.is_sent_start for t in overwritten] == [True, False, False, True, False]
