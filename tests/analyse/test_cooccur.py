"""Co-occurrence counts, checked against counts done by hand for each window, and the association measures."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cooccur_data import D1, D2, build, m, sentence
from nhsx.analyse.cooccur import WINDOWS, Cooccurrence, parse_pair
from nhsx.analyse.measures import dice, g2, npmi, pmi
from nhsx.records import Mention


def counts(result: Cooccurrence, **filters) -> dict[tuple[str, str], tuple[int, int, int, int]]:
    """(a, b) -> (count, docs, a_count, b_count)."""
    return {(r.a, r.b): (r.count, r.docs, r.a_count, r.b_count) for r in result.pairs(**filters)}


# d1: paragraph 0 = sentences 0 {A, B, A} and 1 {B, A}; paragraph 1 = sentences 2 {C} and 3 {A, C}.
# d2: paragraph 0 = sentence 0 {B, C}; paragraph 1 = sentence 1 {A}.

BY_HAND = {  # window -> (N, {(a, b): (count, docs, a_count, b_count)})
    # sentences: d1 {A,B} {A,B} {C} {A,C}, d2 {B,C} {A}; A in 4, B in 3, C in 3
    "sentence": (6, {("A", "B"): (2, 1, 4, 3), ("A", "C"): (1, 1, 4, 3), ("B", "C"): (1, 1, 3, 3)}),
    # paragraphs: d1 {A,B} {A,C}, d2 {B,C} {A}; A in 3, B in 2, C in 2
    "paragraph": (4, {("A", "B"): (1, 1, 3, 2), ("A", "C"): (1, 1, 3, 2), ("B", "C"): (1, 1, 2, 2)}),
    # documents: d1 {A,B,C}, d2 {A,B,C}
    "document": (2, {("A", "B"): (2, 2, 2, 2), ("A", "C"): (2, 2, 2, 2), ("B", "C"): (2, 2, 2, 2)}),
}


@pytest.mark.parametrize("window", WINDOWS)
def test_counts_match_hand_counts_for_each_window(window):
    result = build([D1, D2], window)
    n, expected = BY_HAND[window]
    assert result.n_windows == n
    assert counts(result) == expected


def test_a_pair_counts_once_per_window_however_often_each_is_named():
    result = build([sentence("A", "A", "A", "B", "B")])
    assert counts(result) == {("A", "B"): (1, 1, 1, 1)}


def test_an_entity_never_pairs_with_itself():
    assert build([sentence("A", "A")]).pairs() == []


def test_names_of_one_id_are_one_node_and_the_first_canonical_names_it():
    nhse = [m("d", 0, 0, "NHS England", id="body:nhse"), m("d", 0, 0, "NHS Commissioning Board", id="body:nhse")]
    result = build([[*nhse, m("d", 0, 0, "Care Quality Commission")]])
    assert counts(result) == {("Care Quality Commission", "NHS England"): (1, 1, 1, 1)}


def test_same_name_with_another_label_is_another_entity():
    result = build([[m("d", 0, 0, "Zara Quill", "PERSON"), m("d", 0, 0, "Zara Quill", "BODY")]])
    assert [(r.a_label, r.b_label) for r in result.pairs()] == [("BODY", "PERSON")]


def test_pairs_are_ordered_by_canonical_name_whatever_the_text_order():
    (row,) = build([sentence("Zeta", "Alpha")]).pairs()
    assert (row.a, row.b) == ("Alpha", "Zeta")


def test_nodes_count_mentions_documents_and_windows():
    nodes = {n.canonical: (n.mentions, n.documents, n.windows) for n in build([D1, D2]).nodes()}
    assert nodes == {"A": (5, 2, 4), "B": (3, 2, 3), "C": (3, 2, 3)}


def test_documents_without_mentions_add_no_window():
    result = build([D1, [], D2])
    assert result.n_windows == 6
    assert counts(result) == BY_HAND["sentence"][1]


def test_unknown_window_is_refused():
    with pytest.raises(ValueError):
        Cooccurrence("page")


# --- filters and sorting -------------------------------------------------------------------------------------

MIXED = [
    [m("d1", 0, 0, "NHS England", id="body:nhse"), m("d1", 0, 0, "ICB", "ORG_TYPE"), m("d1", 0, 0, "LTP", "POLICY")],
    [m("d2", 0, 0, "NHS England", id="body:nhse"), m("d2", 0, 0, "LTP", "POLICY"), m("d2", 1, 0, "Jo Bee", "PERSON")],
]


def names(**filters) -> list[tuple[str, str]]:
    return [(r.a, r.b) for r in build(MIXED).pairs(**filters)]


def test_label_filter_keeps_pairs_with_either_side_labelled():
    assert names(labels=["PERSON", "ORG_TYPE"]) == [("ICB", "LTP"), ("ICB", "NHS England")]


def test_pair_filter_matches_the_two_labels_in_either_order():
    assert names(pair=parse_pair("policy:body")) == [("LTP", "NHS England")]


def test_entity_filter_takes_a_name_or_an_id_in_any_case():
    assert names(entity="ltp") == [("LTP", "NHS England"), ("ICB", "LTP")]
    assert names(entity="BODY:NHSE") == names(entity="nhs england")


def test_min_count_and_top():
    assert names(min_count=2) == [("LTP", "NHS England")]
    assert names(top=2) == [("LTP", "NHS England"), ("ICB", "LTP")]


def test_sort_is_descending_with_ties_by_names():
    # N = 3: {A, B}, {A}, {C, D}; both pairs count 1, but C and D are only ever named together
    result = build([sentence("A", "B"), sentence("A", "A", "A"), sentence("C", "D")])
    assert [(r.a, r.b) for r in result.pairs(sort="npmi")] == [("C", "D"), ("A", "B")]
    assert [(r.a, r.b) for r in result.pairs(sort="count")] == [("A", "B"), ("C", "D")]


def test_bad_pair_and_sort_are_refused():
    with pytest.raises(ValueError):
        parse_pair("BODY")
    with pytest.raises(ValueError):
        build(MIXED).pairs(sort="pmi2")


def test_matrix_is_symmetric_with_window_counts_on_the_diagonal():
    result = build([D1, D2])
    names_, rows = result.matrix(result.pairs())
    assert names_ == ["A", "B", "C"]
    assert rows == [[4, 2, 1], [2, 3, 1], [1, 1, 3]]


def test_matrix_names_entities_sharing_a_name_by_label():
    result = build([[m("d", 0, 0, "Zara Quill", "PERSON"), m("d", 0, 0, "Zara Quill", "BODY")]])
    assert result.matrix(result.pairs())[0] == ["Zara Quill (BODY)", "Zara Quill (PERSON)"]


# --- measures ------------------------------------------------------------------------------------------------


def test_measures_match_hand_computation():
    # N = 10 windows, c = 2 with both, a in 4, b in 3: table [[2, 2], [1, 5]], expected [[1.2, 2.8], [1.8, 4.2]]
    assert pmi(2, 4, 3, 10) == pytest.approx(math.log2(2 * 10 / (4 * 3)))
    assert npmi(2, 4, 3, 10) == pytest.approx(math.log2(20 / 12) / -math.log2(2 / 10))
    assert dice(2, 4, 3) == pytest.approx(4 / 7)
    by_hand = 2 * (2 * math.log(2 / 1.2) + 2 * math.log(2 / 2.8) + 1 * math.log(1 / 1.8) + 5 * math.log(5 / 4.2))
    assert g2(2, 4, 3, 10) == pytest.approx(by_hand)


def test_g2_is_negative_when_a_pair_meets_less_than_chance():
    # N = 10, c = 1, a in 5, b in 5: table [[1, 4], [4, 1]], every expected cell 2.5
    by_hand = 2 * (2 * 1 * math.log(1 / 2.5) + 2 * 4 * math.log(4 / 2.5))
    assert g2(1, 5, 5, 10) == pytest.approx(-by_hand)


def test_measures_at_their_bounds():
    assert (npmi(3, 3, 3, 3), npmi(2, 2, 2, 8), dice(2, 2, 2)) == (1.0, pytest.approx(1.0), 1.0)
    assert (pmi(1, 2, 5, 10), g2(1, 2, 5, 10)) == (0.0, 0.0)  # independent: c·N == a·b


def test_pair_rows_carry_the_measures_over_n():
    row = next(r for r in build([D1, D2]).pairs() if (r.a, r.b) == ("A", "B"))
    assert (row.measures["pmi"], row.measures["dice"], row.measures["g2"]) == (
        pmi(2, 4, 3, 6),
        dice(2, 4, 3),
        g2(2, 4, 3, 6),
    )
    assert row.to_dict()["npmi"] == round(npmi(2, 4, 3, 6), 6)


# --- properties ----------------------------------------------------------------------------------------------

ENTITIES = [("A", "BODY", "body:a"), ("B", "BODY", None), ("C", "POLICY", None), ("D", "PERSON", None)]
mention_args = st.tuples(st.sampled_from(ENTITIES), st.integers(0, 5))
corpora = st.lists(st.lists(mention_args, max_size=12), max_size=6)


def to_documents(corpus: list) -> list[list[Mention]]:
    """Sentence s lies in paragraph s // 2, as real paragraphs hold consecutive sentences."""
    return [
        [m(f"d{i}", s, s // 2, name, label, entry_id) for (name, label, entry_id), s in doc]
        for i, doc in enumerate(corpus)
    ]


def windows_of(documents: list[list[Mention]], window: str) -> dict[str, set[tuple[int, int]]]:
    """Reference: the set of (document, window) naming each entity, found without the counters."""
    found: dict[str, set[tuple[int, int]]] = {}
    for i, doc in enumerate(documents):
        for x in doc:
            index = {"sentence": x.sentence, "paragraph": x.paragraph, "document": 0}[window]
            found.setdefault(x.canonical, set()).add((i, index))
    return found


@given(corpora, st.sampled_from(WINDOWS))
def test_counts_equal_window_set_intersections_and_stay_within_bounds(corpus, window):
    documents = to_documents(corpus)
    result, reference = build(documents, window), windows_of(documents, window)
    assert result.n_windows == len(set().union(*reference.values()))
    for row in result.pairs():
        assert row.count == len(reference[row.a] & reference[row.b])
        assert row.count <= min(row.a_count, row.b_count) <= max(row.a_count, row.b_count) <= result.n_windows
        assert row.docs == len({doc for doc, _ in reference[row.a] & reference[row.b]})


@given(corpora, st.sampled_from(WINDOWS), st.randoms(use_true_random=False))
def test_pair_counts_do_not_depend_on_document_order(corpus, window, random):
    documents = to_documents(corpus)
    shuffled = random.sample(documents, len(documents))
    assert counts(build(shuffled, window)) == counts(build(documents, window))
