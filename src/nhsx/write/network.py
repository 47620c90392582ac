"""Co-occurrence as a network: GraphML and GEXF through networkx (for Gephi, Cytoscape, networkx), and a count matrix.

networkx is imported inside the functions so that the CLI starts fast when no graph is asked for.

Node attributes are ``label`` (the canonical name: Gephi and the GEXF format use ``label`` as the
name a node shows, so it cannot hold BODY/POLICY), ``type`` (the entity label), ``gazetteer_id``
("" when none: GraphML cannot hold None, and GEXF would take an attribute called ``id`` as the
node's id), ``mentions``, ``documents`` and ``windows``. Edges carry ``weight`` (the pair count),
``docs`` and every measure of ``nhsx.analyse.measures`` (``pmi``, ``npmi``, ``dice``, ``g2``).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Callable, Sequence

from nhsx.analyse.cooccur import Node, PairRow
from nhsx.write.output import atomic_output
from nhsx.write.rows import csv_safe

if TYPE_CHECKING:
    import networkx

GRAPH_FORMATS = ("graphml", "gexf")


def to_graph(nodes: Sequence[Node], pairs: Sequence[PairRow]) -> networkx.Graph:
    """An undirected graph of ``pairs``: only the entities they connect, so filters shape the graph too."""
    import networkx as nx

    by_key = {node.key: node for node in nodes}
    graph = nx.Graph()
    for row in pairs:
        for key in (row.a_key, row.b_key):
            if key not in graph:
                graph.add_node(key, **_node_attributes(by_key[key]))
        graph.add_edge(row.a_key, row.b_key, **_edge_attributes(row))
    return graph


def _node_attributes(node: Node) -> dict[str, Any]:
    return {
        "label": node.canonical,
        "type": node.label,
        "gazetteer_id": node.id or "",
        "mentions": node.mentions,
        "documents": node.documents,
        "windows": node.windows,
    }


def _edge_attributes(row: PairRow) -> dict[str, Any]:
    measures = {name: float(value) for name, value in row.measures.items()}
    return {"weight": row.count, "docs": row.docs, **measures}


def write_graphml(graph: networkx.Graph, target: str | Path | IO[str]) -> None:
    import networkx as nx

    _write_xml(nx.write_graphml, graph, target)


def write_gexf(graph: networkx.Graph, target: str | Path | IO[str]) -> None:
    import networkx as nx

    _write_xml(nx.write_gexf, graph, target)


def _write_xml(writer: Callable[..., None], graph: networkx.Graph, target: str | Path | IO[str]) -> None:
    """networkx writes bytes; the CLI hands out text streams (standard output, atomic files)."""
    buffer = io.BytesIO()
    writer(graph, buffer)
    text = buffer.getvalue().decode("utf-8")
    if isinstance(target, (str, Path)):
        with atomic_output(target) as stream:
            stream.write(text)
    else:
        target.write(text)


def write_matrix(names: Sequence[str], rows: Sequence[Sequence[int]], stream: IO[str]) -> None:
    """The count matrix as CSV: a header of names, then one row per entity led by its name."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(["", *(csv_safe(name) for name in names)])  # names are cells too: no formulas
    for name, row in zip(names, rows):
        writer.writerow([csv_safe(name), *row])
