"""Graph and matrix writers: files that networkx (and so Gephi and Cytoscape) read back unchanged."""

from __future__ import annotations

import io

import networkx as nx
import pytest

from cooccur_data import D1, D2, build, m, sentence
from nhsx.write.network import to_graph, write_gexf, write_graphml, write_matrix

FORMATS = [(write_graphml, nx.read_graphml, "graphml"), (write_gexf, nx.read_gexf, "gexf")]
WITH_IDS = [*D1, m("d1", 0, 0, "NHS England", id="body:nhse"), m("d1", 3, 1, "Zara Quill", "PERSON")]


def graph_of(documents: list) -> nx.Graph:
    result = build(documents)
    return to_graph(result.nodes(), result.pairs())


def edges(graph: nx.Graph) -> dict[frozenset, tuple[float, float]]:
    return {frozenset((u, v)): (float(d["weight"]), round(float(d["npmi"]), 9)) for u, v, d in graph.edges(data=True)}


def test_graph_holds_the_pairs_as_weighted_edges_between_their_entities():
    graph = graph_of([D1, D2])
    assert sorted(graph.nodes) == ["BODY:A", "BODY:B", "BODY:C"]
    assert graph.edges["BODY:A", "BODY:B"]["weight"] == 2
    assert graph.nodes["BODY:A"] == {
        "label": "A", "type": "BODY", "gazetteer_id": "", "mentions": 5, "documents": 2, "windows": 4,
    }  # fmt: skip


def test_graph_leaves_out_entities_no_kept_pair_connects():
    result = build([D1, D2])
    assert sorted(to_graph(result.nodes(), result.pairs(top=1)).nodes) == ["BODY:A", "BODY:B"]


@pytest.mark.parametrize(("write", "read", "suffix"), FORMATS)
def test_written_graph_reads_back_with_the_same_nodes_edges_and_weights(tmp_path, write, read, suffix):
    graph = graph_of([WITH_IDS, D2])
    path = tmp_path / f"pairs.{suffix}"
    write(graph, path)
    back = read(path)
    assert sorted(back.nodes) == sorted(graph.nodes)
    assert edges(back) == edges(graph)
    assert back.nodes["body:nhse"]["label"] == "NHS England"
    assert (back.nodes["PERSON:Zara Quill"]["type"], back.nodes["PERSON:Zara Quill"]["windows"]) == ("PERSON", 1)


@pytest.mark.parametrize(("write", "read", "suffix"), FORMATS)
def test_graph_writers_take_text_streams(write, read, suffix):
    stream = io.StringIO()
    write(graph_of([D1, D2]), stream)
    assert edges(read(io.BytesIO(stream.getvalue().encode("utf-8")))) == edges(graph_of([D1, D2]))


def test_matrix_csv_has_a_header_of_names_and_a_row_per_entity():
    result = build([D1, D2, sentence("=cmd", "A")])
    stream = io.StringIO()
    write_matrix(*result.matrix(result.pairs()), stream)
    assert stream.getvalue().splitlines() == [",'=cmd,A,B,C", "'=cmd,1,1,0,0", "A,1,5,2,1", "B,0,2,3,1", "C,0,1,1,3"]
