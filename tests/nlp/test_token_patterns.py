"""Token patterns over word classes find what spaCy's Matcher finds with greedy="LONGEST"."""

from __future__ import annotations

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.matcher import Matcher
from spacy.tokens import Doc

from nhsx.nlp.rules.cues import Cues
from nhsx.nlp.rules.people import person_classes, person_patterns, person_rules
from nhsx.nlp.rules.token_patterns import (
    MANY,
    PatternSet,
    Step,
    TokenPattern,
    WordClasses,
)

NLP = spacy.blank("en")
CUES = Cues.builtin()
# A small vocabulary with words of every class, and words of several classes at once.
WORDS = [
    "Dr",
    "Sir",
    "Mr",
    "A",
    "J.",
    "Chris",
    "Amanda",
    "Hopson",
    "Pritchard",
    "West",
    "Quilter",
    "Pinner",
    "-",
    ",",
    "chief",
    "executive",
    "CEO",
    "said",
    "says",
    "was",
    "has",
    "been",
    "appointed",
    "the",
    "NHS",
    "Trust",
    "and",
    "of",
    "McManus",
    "O'Brien",
    "ICB",
    ".",
]


def matcher_for(patterns: list[TokenPattern]) -> Matcher:
    """The same rules written for spaCy's Matcher: each word class as the list of WORDS in it."""
    classes = person_classes(CUES)
    members = {
        name: [w for w in WORDS if classes.masks(Doc(NLP.vocab, words=[w]))[0] & bit]
        for name, bit in classes.bits.items()
    }
    matcher = Matcher(NLP.vocab)
    for pattern in patterns:
        spec = []
        for step in pattern.steps:
            token = {"ORTH": {"IN": members[step.word_class]}}
            if (step.low, step.high) != (1, 1):
                token["OP"] = {(0, 1): "?", (1, MANY): "+"}.get((step.low, step.high), f"{{{step.low},{step.high}}}")
            spec.append(token)
        matcher.add(pattern.rule, [spec], greedy="LONGEST")
    return matcher


MATCHER = matcher_for(person_patterns())
RULES = person_rules(CUES)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=30))
def test_same_matches_as_spacys_matcher(words):
    doc = Doc(NLP.vocab, words=words)
    expected = {(NLP.vocab.strings[key], start, end) for key, start, end in MATCHER(doc)}
    assert set(RULES(doc)) == expected


def test_steps_parse_like_matcher_operators():
    assert Step.parse("name") == Step("name", 1, 1)
    assert Step.parse("name?") == Step("name", 0, 1)
    assert Step.parse("honorific+") == Step("honorific", 1, MANY)
    assert Step.parse("lower{0,3}") == Step("lower", 0, 3)


def test_people_found_from_either_edge():
    doc = NLP("Dr Amanda Pritchard met chief executive Chris Hopson. Mr West said Ruth May was appointed.")
    found = {(rule, doc[start:end].text) for rule, start, end in RULES(doc)}
    assert ("honorific", "Dr Amanda Pritchard") in found
    assert ("role", "executive Chris Hopson") in found
    assert ("honorific", "Mr West") in found
    assert ("appointed", "Ruth May was appointed") in found  # from the verb back to the name
    assert ("said_name", "said Ruth May") in found


def test_a_pattern_needs_its_trigger_at_the_anchored_edge():
    try:
        TokenPattern.parse("bad", ["name?", "surname"], anchor="start").anchored_step()
    except ValueError as error:
        assert "anchor" in str(error)
    else:
        raise AssertionError("an optional anchor step was accepted")


def test_the_longest_match_wins_over_an_earlier_shorter_one():
    classes = WordClasses({"a": lambda w: w.orth_ == "a", "b": lambda w: w.orth_ == "b"})
    rules = PatternSet(classes, [TokenPattern.parse("r", ["a", "b"]), TokenPattern.parse("r", ["b", "b", "b"])])
    assert list(rules(Doc(NLP.vocab, words=["a", "b", "b", "b"]))) == [("r", 1, 4)]
