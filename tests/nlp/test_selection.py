"""The overlap policy on hand-built candidates (token offsets, end exclusive)."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from nhsx.nlp.resolver.selection import SOURCES, Candidate, select


def cand(start: int, end: int, source: str = "gazetteer", label: str = "BODY", canonical: str = "") -> Candidate:
    return Candidate(start, end, label, canonical or f"{label}:{start}-{end}", None, False, source)


def spans(selected: list[Candidate]) -> list[tuple[int, int, str]]:
    return [(c.start, c.end, c.source) for c in selected]


def test_longest_wins_within_a_source():
    assert spans(select([cand(2, 4), cand(0, 3), cand(3, 4)])) == [(0, 3, "gazetteer"), (3, 4, "gazetteer")]


def test_earliest_wins_between_equal_lengths():
    assert spans(select([cand(1, 3), cand(0, 2)])) == [(0, 2, "gazetteer")]


def test_gazetteer_beats_a_longer_overlapping_rule_match():
    assert spans(select([cand(0, 5, "rule"), cand(2, 4)])) == [(2, 4, "gazetteer")]


def test_rule_fills_the_gaps_the_gazetteer_leaves():
    selected = select([cand(0, 2), cand(1, 3, "rule"), cand(4, 6, "rule")])
    assert spans(selected) == [(0, 2, "gazetteer"), (4, 6, "rule")]


def test_model_only_fills_what_is_left():
    selected = select([cand(0, 6, "model"), cand(2, 3, "rule"), cand(7, 9, "model"), cand(8, 9, "resolution")])
    assert spans(selected) == [(2, 3, "rule"), (8, 9, "resolution")]


def test_model_fills_an_empty_stretch():
    assert spans(select([cand(0, 1), cand(3, 5, "model")])) == [(0, 1, "gazetteer"), (3, 5, "model")]


def test_rule_person_name_beats_the_gazetteer_surname_inside_it():
    """'Rachel Stevens' (rule) over 'Stevens' (gazetteer surname of Simon Stevens)."""
    surname = cand(1, 2, label="PERSON", canonical="Simon Stevens")
    full = cand(0, 2, "rule", label="PERSON", canonical="Rachel Stevens")
    assert select([surname, full]) == [full]


def test_rule_name_beats_an_org_type_fragment_inside_it():
    kind = cand(2, 5, label="ORG_TYPE", canonical="Foundation Trust")
    trust = cand(0, 5, "rule", canonical="Barnsley Hospital NHS Foundation Trust")
    assert select([kind, trust]) == [trust]


def test_rule_name_does_not_swallow_a_full_gazetteer_person():
    person = cand(1, 3, label="PERSON", canonical="Simon Stevens")
    assert select([person, cand(0, 3, "rule", label="PERSON")]) == [person]


def test_rule_name_is_not_promoted_when_a_fragment_sticks_out():
    kind = cand(2, 5, label="ORG_TYPE")
    assert select([kind, cand(0, 4, "rule")]) == [kind]


def test_output_is_sorted_by_start_and_drops_empty_candidates():
    selected = select([cand(5, 6, "model"), cand(3, 3), cand(0, 1, "rule"), cand(2, 3)])
    assert spans(selected) == [(0, 1, "rule"), (2, 3, "gazetteer"), (5, 6, "model")]


def test_unknown_source_comes_last():
    assert spans(select([cand(0, 2, "mystery"), cand(1, 2, "model")])) == [(1, 2, "model")]


candidates = st.lists(
    st.builds(
        cand,
        start=st.integers(0, 12),
        end=st.integers(0, 14),
        source=st.sampled_from(SOURCES),
        label=st.sampled_from(["BODY", "ORG_TYPE", "PERSON", "POLICY"]),
    ),
    max_size=12,
)


@given(candidates)
def test_selection_never_overlaps_and_only_returns_inputs(pool):
    selected = select(pool)
    assert [c.start for c in selected] == sorted(c.start for c in selected)
    for earlier, later in pairwise(selected):
        assert earlier.end <= later.start
    promoted = {replace(c, source="gazetteer-rule") for c in pool}
    assert all(c in pool or c in promoted for c in selected)
    assert all(c.length > 0 for c in selected)


@given(candidates)
def test_every_gazetteer_candidate_is_kept_or_covered(pool):
    """Nothing from the best tier is dropped unless something selected overlaps it."""
    selected = select(pool)
    for c in pool:
        if c.source == "gazetteer" and c.length > 0 and c not in selected:
            assert any(s.overlaps(c) for s in selected)


def test_a_longer_titled_name_opening_with_a_known_name_beats_it():
    # "Better Care Fund Task Force": the known policy at the start of a rule-found body's name
    found = select([cand(0, 3, label="POLICY"), cand(0, 5, source="rule", label="BODY")])
    assert spans(found) == [(0, 5, "rule")]


def test_a_known_name_inside_or_across_a_rule_name_keeps_its_place():
    # a known body that does not open the rule name, or runs past its end, still wins
    assert spans(select([cand(2, 4), cand(0, 5, source="rule")])) == [(2, 4, "gazetteer")]
    assert spans(select([cand(0, 3), cand(0, 2), cand(0, 5, source="rule"), cand(4, 7)])) == [
        (0, 3, "gazetteer"),
        (4, 7, "gazetteer"),
    ]
    # a person's name never swallows a known body at its start
    assert spans(select([cand(0, 2), cand(0, 3, source="rule", label="PERSON")])) == [(0, 2, "gazetteer")]
