"""Network pictures: PNG, SVG and HTML files that open, show the right entities, and say when the extra is missing."""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from cooccur_data import build, m
from nhsx.write import plot
from nhsx.write.network import to_graph
from nhsx.write.plot import EMPTY_TEXT, MissingExtra, PlotError, plot_network, top_nodes

LONG = "Additional Roles Reimbursement Scheme for Primary Care"  # longer than a label: shortened


def sample_graph() -> nx.Graph:
    """NHS England meets everyone; Care Quality Commission meets two; the long-named policy and Zara Quill one each."""
    documents = [
        [m("d1", 0, 0, "NHS England", id="body:nhse"), m("d1", 0, 0, "Care Quality Commission"),
         m("d1", 1, 0, "NHS England", id="body:nhse"), m("d1", 1, 0, "Better Care Fund", "POLICY")],
        [m("d2", 0, 0, "NHS England", id="body:nhse"), m("d2", 0, 0, "Care Quality Commission"),
         m("d2", 0, 0, "Better Care Fund", "POLICY"), m("d2", 1, 0, "NHS England", id="body:nhse"),
         m("d2", 1, 0, LONG, "POLICY"), m("d2", 2, 0, "NHS England", id="body:nhse"),
         m("d2", 2, 0, "Zara Quill", "PERSON")],
    ]  # fmt: skip
    result = build(documents)
    return to_graph(result.nodes(), result.pairs())


def svg_texts(path: Path) -> str:
    """All text in an SVG file, which must parse as XML."""
    root = ET.parse(path).getroot()
    return " ".join(element.text or "" for element in root.iter() if element.tag.endswith("text"))


def no_leftovers(folder: Path, *names: str) -> bool:
    return sorted(p.name for p in folder.iterdir()) == sorted(names)


def test_png_is_a_png_image_of_a_useful_size(tmp_path):
    image = pytest.importorskip("matplotlib.image")
    target = tmp_path / "network.png"
    plot_network(sample_graph(), target)
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    height, width, _ = image.imread(target).shape
    assert width >= 800 and height >= 600
    assert no_leftovers(tmp_path, "network.png")


def test_svg_keeps_names_title_and_legend_as_text(tmp_path):
    pytest.importorskip("matplotlib")
    target = tmp_path / "network.svg"
    plot_network(sample_graph(), target, measure="npmi", title="seeds, sentence window")
    text = svg_texts(target)
    for name in ("NHS England", "Care Quality Commission", "Better Care Fund", "Zara Quill"):
        assert name in text
    assert "Additional Roles Reimbursement Scheme" not in text and "Additional Roles Reimbur" in text and "…" in text
    assert "seeds, sentence window" in text and "edge width: npmi" in text
    for label in ("BODY", "POLICY", "PERSON"):
        assert label in text


def test_same_graph_gives_the_same_picture(tmp_path):
    pytest.importorskip("matplotlib")
    first, second = tmp_path / "a.svg", tmp_path / "b.svg"
    plot_network(sample_graph(), first)
    plot_network(sample_graph(), second)
    assert first.read_bytes() == second.read_bytes()


def test_html_page_holds_every_node_with_its_details(tmp_path):
    pytest.importorskip("pyvis")
    target = tmp_path / "network.html"
    plot_network(sample_graph(), target, measure="dice", title="<b>seeds</b>")
    page = target.read_text(encoding="utf-8")
    for name in ("NHS England", "Care Quality Commission", "Better Care Fund", "Zara Quill"):
        assert name in page
    assert "mentions: 5" in page  # NHS England's tooltip
    live = re.sub(r"<!--.*?-->", "", page, flags=re.DOTALL)  # pyvis's template keeps a commented-out vis.js link
    assert "new vis.Network" in live and not re.search(r"<script[^>]*src=[^>]*vis", live)  # vis-network inlined
    assert "&lt;b&gt;seeds&lt;/b&gt;" in page and "<b>seeds</b>" not in page  # the title is escaped
    assert no_leftovers(tmp_path, "network.html")


def test_top_keeps_the_nodes_of_highest_weighted_degree():
    graph = sample_graph()  # weighted degrees: NHS England 7, Better Care Fund 3, Care Quality Commission 3, others 1
    assert set(top_nodes(graph, 3)) == {"body:nhse", "POLICY:Better Care Fund", "BODY:Care Quality Commission"}
    assert sorted(top_nodes(graph, 3).edges) == sorted(graph.subgraph(top_nodes(graph, 3)).edges)  # edges among them
    assert set(top_nodes(graph, None)) == set(graph) == set(top_nodes(graph, 10))
    assert len(top_nodes(graph, 0)) == 0


def test_top_breaks_ties_by_name():
    graph = sample_graph()
    assert set(top_nodes(graph, 2)) == {"body:nhse", "POLICY:Better Care Fund"}  # Better < Care
    assert set(top_nodes(graph, 4)) - set(top_nodes(graph, 3)) == {f"POLICY:{LONG}"}  # Additional < Zara


def test_top_is_what_the_picture_shows(tmp_path):
    pytest.importorskip("matplotlib")
    target = tmp_path / "top.svg"
    plot_network(sample_graph(), target, top=2)
    text = svg_texts(target)
    assert "NHS England" in text and "Better Care Fund" in text and "Zara Quill" not in text
    assert "2 of 5 entities" in text


def test_negative_measures_get_the_thinnest_edges():
    graph = nx.Graph()
    graph.add_edge("a", "b", weight=1, npmi=-0.5)
    graph.add_edge("b", "c", weight=1, npmi=0.0)
    graph.add_edge("c", "d", weight=1, npmi=0.8)
    assert plot._edge_widths(graph, "npmi", 1.0, 5.0) == [1.0, 1.0, 5.0]


def test_unknown_suffix_is_a_plot_error_and_writes_nothing(tmp_path):
    with pytest.raises(PlotError, match=r"\.png, \.svg, \.html"):
        plot_network(sample_graph(), tmp_path / "network.pdf")
    assert no_leftovers(tmp_path)


def test_unknown_measure_is_a_plot_error_and_keeps_the_old_file(tmp_path):
    target = tmp_path / "network.png"
    target.write_bytes(b"old")
    with pytest.raises(PlotError, match="measure must be one of count, npmi, dice, g2"):
        plot_network(sample_graph(), target, measure="pmi")
    assert target.read_bytes() == b"old"


@pytest.mark.parametrize(("suffix", "module"), [(".png", "matplotlib"), (".svg", "matplotlib"), (".html", "pyvis")])
def test_missing_extra_names_the_extra_and_the_module(tmp_path, monkeypatch, suffix, module):
    monkeypatch.setitem(sys.modules, module, None)  # as if it were not installed
    target = tmp_path / f"network{suffix}"
    with pytest.raises(MissingExtra) as error:
        plot_network(sample_graph(), target)
    assert (
        str(error.value)
        == f"drawing networks needs the plot extra: pip install 'nhsx[plot]' (from a clone: pip install '.[plot]') (missing: {module})"
    )
    assert isinstance(error.value, PlotError) and no_leftovers(tmp_path)


def test_empty_graph_still_makes_pictures_that_say_so(tmp_path):
    pytest.importorskip("matplotlib")
    png, svg = tmp_path / "empty.png", tmp_path / "empty.svg"
    plot_network(nx.Graph(), png)
    plot_network(nx.Graph(), svg)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert EMPTY_TEXT in svg_texts(svg)


def test_empty_graph_still_makes_a_page_that_says_so(tmp_path):
    pytest.importorskip("pyvis")
    target = tmp_path / "empty.html"
    plot_network(nx.Graph(), target)
    assert EMPTY_TEXT in target.read_text(encoding="utf-8")


def test_html_page_cannot_be_broken_by_a_name(tmp_path):
    pytest.importorskip("pyvis")
    graph = nx.Graph()
    graph.add_node("x", label="</script><script>alert(1)</script>", type="BODY", mentions=1)
    graph.add_node("y", label="NHS England", type="BODY", mentions=2)
    graph.add_edge("x", "y", weight=1)
    target = tmp_path / "network.html"
    plot_network(graph, target, title="<script>alert(2)</script>")
    page = target.read_text(encoding="utf-8")
    assert "<script>alert(" not in page
