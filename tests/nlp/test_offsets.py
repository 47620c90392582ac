"""The offset contract: text == content[start:end] for every mention, on any text, and nothing overlaps."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nhsx.run.process import mentions_from_doc

# Fragments that trigger every matcher and rule, glued with random text, punctuation and unicode.
FRAGMENTS = [
    "NHS England’s",
    "the King's Fund",
    "ICSs",
    "CCGs'",
    "STP's",
    "sub-STP",
    "long-term plan",
    "PbR",
    "A&E",
    "Mr Lamb",
    "Norman Lamb",
    "Sir Chris Ham",
    "Paul",
    "chief executive Ed Garratt",
    "Joe Rafferty said",
    "Nottinghamshire County Council",
    "Recovery Support Programme",
    "Monitor",
    "Reform",
    "“",
    "”",
    "\n\n",
    "\r\n",
    "Guy’s and St Thomas’ NHS Foundation Trust",
    "Her Majesty’s Treasury",
    "NHS CC",
    "e\u0301",
    "\U0001f600",
    "\t",
]
texts = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=30).map(" ".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts)
def test_mentions_always_point_into_the_text(nlp, text):
    mentions = mentions_from_doc(nlp(text), "doc")
    for m in mentions:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.text
    ordered = sorted(mentions, key=lambda m: m.start)
    assert all(a.end <= b.start for a, b in zip(ordered, ordered[1:]))
