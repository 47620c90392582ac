"""Pictures of the co-occurrence network (PNG and SVG through matplotlib, an interactive HTML page through
pyvis) and of timelines (PNG and SVG: each entity's mentions per 10,000 words, period by period).

Both libraries are the optional extra ``nhsx[plot]`` and are imported inside the functions, so the
rest of nhsx neither needs nor loads them. matplotlib is used through its Agg canvas directly (no
pyplot, no screen, no change to the caller's matplotlib backend).

The picture shows the ``top`` entities by weighted degree (the sum of their pair counts) and the
pairs among them: node area by mentions, colour by entity type (a fixed palette, so BODY is always
the same colour), edge width by the chosen measure. Files are written whole or not at all.
"""

from __future__ import annotations

import html
import importlib
import inspect
import io
import math
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from nhsx.analyse.measures import COUNT, MEASURES, SORTS
from nhsx.write.output import atomic_output

if TYPE_CHECKING:
    import networkx
    from matplotlib.axes import Axes
    from matplotlib.transforms import Bbox

SUFFIXES = (".png", ".svg", ".html")
PALETTE = {  # Okabe-Ito colours: told apart with the common colour-vision deficiencies
    "BODY": "#0072B2",
    "ORG_TYPE": "#009E73",
    "POLICY": "#E69F00",
    "PERSON": "#CC79A7",
}
OTHER_COLOUR = "#999999"
EMPTY_TEXT = "no pairs to draw"
LABEL_CHARS = 28
MAX_LABELS = 80  # more labels than this only crowd a static picture; the HTML page shows every name
ALWAYS_LABELLED = 5  # the most mentioned nodes get a label even if it must cover another node
_DPI = 110
_NODE_AREA = (60.0, 1500.0)  # smallest and largest node area, points²
_EDGE_WIDTH = (0.4, 6.0)  # thinnest and thickest edge, points
_LABEL_BOX = {"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}


class PlotError(Exception):
    """A one-line user error: unknown suffix or measure."""


class MissingExtra(PlotError):
    """matplotlib or pyvis is not installed."""


def plot_network(
    graph: networkx.Graph, path: str | Path, measure: str = "count", top: int | None = 30, title: str = ""
) -> None:
    """Draw ``graph`` (from nhsx.write.network.to_graph) to ``path``: .png, .svg or .html, chosen by the suffix."""
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise PlotError(f"cannot draw {str(path)!r}: the file name must end in {', '.join(SUFFIXES)}")
    if measure not in SORTS:
        raise PlotError(f"measure must be one of {', '.join(SORTS)}, not {measure!r}")
    shown = top_nodes(graph, top)
    subtitle = _subtitle(shown, graph, measure)
    if suffix == ".html":
        data = _html(shown, measure, title, subtitle).encode("utf-8")
    else:
        data = _image(shown, suffix[1:], measure, title, subtitle)
    with atomic_output(path, binary=True) as stream:
        stream.write(data)


def top_nodes(graph: networkx.Graph, top: int | None) -> networkx.Graph:
    """The ``top`` nodes by weighted degree (ties by name, then key) and the edges among them."""
    if top is None or top >= graph.number_of_nodes():
        return graph.copy()
    degree = dict(graph.degree(weight="weight"))
    ranked = sorted(graph.nodes, key=lambda key: (-degree[key], _name(graph, key), str(key)))
    return graph.subgraph(ranked[: max(top, 0)]).copy()


# --- what every format shows ------------------------------------------------------------------


def _name(graph: networkx.Graph, key: Any) -> str:
    return str(graph.nodes[key].get("label", key))


def _type(graph: networkx.Graph, key: Any) -> str:
    return str(graph.nodes[key].get("type", ""))


def _mentions(graph: networkx.Graph, key: Any) -> int:
    return int(graph.nodes[key].get("mentions", 1))


def _colour(entity_type: str) -> str:
    return PALETTE.get(entity_type, OTHER_COLOUR)


def _types(graph: networkx.Graph) -> list[str]:
    """The entity types present: palette order first, then any others by name."""
    present = {_type(graph, key) for key in graph.nodes}
    return [t for t in PALETTE if t in present] + sorted(present - PALETTE.keys())


def _shorten(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _measure(data: dict[str, Any], measure: str) -> float:
    """An edge's value of a --sort measure (the count is its ``weight``)."""
    return float(data.get("weight" if measure == COUNT else measure, 0.0))


def _edge_widths(graph: networkx.Graph, measure: str, thin: float, thick: float) -> list[float]:
    """Widths in edge order, linear in the measure (G2 on a square-root scale); 0 and below get the thinnest."""
    values = [max(_measure(data, measure), 0.0) for _, _, data in graph.edges(data=True)]
    highest = max(values, default=0.0) or 1.0
    curve = MEASURES[measure].plot_scale if measure in MEASURES else float
    return [thin + (thick - thin) * curve(v / highest) for v in values]


def _subtitle(shown: networkx.Graph, graph: networkx.Graph, measure: str) -> str:
    if shown.number_of_edges() == 0:
        return EMPTY_TEXT
    entities = f"{shown.number_of_nodes()} of {graph.number_of_nodes()} entities (top by weighted degree)"
    pairs = f"{shown.number_of_edges()} pair{'' if shown.number_of_edges() == 1 else 's'}"
    return f"{entities}, {pairs} · node size: mentions · edge width: {measure}"


def _require(module: str, drawing: str = "networks") -> ModuleType:
    """Import a module of the plot extra, or say which one is missing and how to get it."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        missing = (error.name or module).split(".")[0]
        extra = (
            f"drawing {drawing} needs the plot extra: pip install 'nhsx[plot]' (from a clone: pip install '.[plot]')"
        )
        raise MissingExtra(f"{extra} (missing: {missing})") from None


# --- static pictures (matplotlib) -------------------------------------------------------------


def _image(graph: networkx.Graph, fmt: str, measure: str, title: str, subtitle: str) -> bytes:
    """The picture as PNG or SVG bytes; SVG keeps text as text, so names can be searched and copied."""
    matplotlib = _require("matplotlib")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    big = graph.number_of_nodes() > 40
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "nhsx", "font.size": 9}):
        figure = Figure(figsize=(16, 11) if big else (12, 8.5), dpi=_DPI)
        canvas = FigureCanvasAgg(figure)
        figure.suptitle(title or "Entity co-occurrence", fontsize=14, y=0.985)
        axes = figure.add_axes((0.01, 0.07, 0.98, 0.85))
        axes.set_axis_off()
        if graph.number_of_edges() == 0:
            axes.text(0.5, 0.5, EMPTY_TEXT, ha="center", va="center", fontsize=16, color="#666666")
        else:
            figure.text(0.5, 0.935, subtitle, ha="center", fontsize=9.5, color="#444444")
            _draw(axes, canvas, graph, measure)
        buffer = io.BytesIO()
        metadata = {"Date": None} if fmt == "svg" else {"Software": None}
        figure.savefig(buffer, format=fmt, dpi=_DPI, metadata=metadata, facecolor="white")
    return buffer.getvalue()


def _draw(axes: Axes, canvas: Any, graph: networkx.Graph, measure: str) -> None:
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    positions = _layout(graph)
    nodes = list(graph.nodes)
    highest = max(_mentions(graph, key) for key in nodes) or 1
    shrink = min(1.0, math.sqrt(60 / len(nodes)))  # smaller nodes when there are many
    low, high = (shrink * area for area in _NODE_AREA)
    areas = [low + (high - low) * _mentions(graph, key) / highest for key in nodes]
    xs, ys = zip(*(positions[key] for key in nodes))
    axes.set_xlim(-1.1, 1.1)
    axes.set_ylim(-1.1, 1.1)
    edges = sorted(zip(_edge_widths(graph, measure, *_EDGE_WIDTH), graph.edges), key=lambda e: e[0])  # thick on top
    segments = [(positions[u], positions[v]) for _, (u, v) in edges]
    thin, thick = _EDGE_WIDTH
    fade = min(1.0, 12 / math.sqrt(len(edges)))  # many edges: each fainter, so a dense cluster stays see-through
    shades = [(0.3, 0.3, 0.3, fade * (0.15 + 0.45 * (w - thin) / (thick - thin))) for w, _ in edges]
    axes.add_collection(LineCollection(segments, linewidths=[w for w, _ in edges], colors=shades, zorder=1))
    colours = [_colour(_type(graph, key)) for key in nodes]
    axes.scatter(xs, ys, s=areas, c=colours, edgecolors="white", linewidths=0.8, zorder=2)
    _draw_labels(axes, canvas, graph, positions, dict(zip(nodes, areas)))
    handles = [Line2D([], [], marker="o", ls="", ms=9, color=_colour(t), label=t or "other") for t in _types(graph)]
    axes.figure.legend(handles=handles, loc="lower center", ncol=len(handles), frameon=False, fontsize=10)


def _layout(graph: networkx.Graph) -> dict[Any, tuple[float, float]]:
    """Force-directed positions, the same on every run; k spreads the nodes apart as their number grows."""
    import networkx as nx

    count = graph.number_of_nodes()
    highest = max((d.get("weight", 1) for _, _, d in graph.edges(data=True)), default=1) or 1
    layout = nx.Graph()
    layout.add_nodes_from(sorted(graph.nodes, key=str))  # node order fixes the result for a given seed
    for u, v, data in graph.edges(data=True):  # pairs seen once pull weakly, so cliques of one list spread out
        layout.add_edge(u, v, weight=data.get("weight", 1) / highest)
    extra = {"method": "force"} if "method" in inspect.signature(nx.spring_layout).parameters else {}
    iterations = 300 if count <= 150 else 100  # each iteration costs count² steps
    positions = nx.spring_layout(layout, k=2.2 / math.sqrt(count), iterations=iterations, seed=13, **extra)
    return _widest_across(positions)


def _widest_across(positions: dict[Any, Any]) -> dict[Any, tuple[float, float]]:
    """Turn the layout so its longest axis lies across the (wide) picture, then fill -1..1 both ways.

    A few nodes fill less of it, so that two or three entities are not flung into the corners.
    """
    import numpy as np

    keys = list(positions)
    points = np.array([positions[key] for key in keys], dtype=float)
    points -= points.mean(axis=0)
    if len(keys) > 1:
        _, _, turn = np.linalg.svd(points, full_matrices=False)
        turn *= np.sign(turn[:, :1] + (turn[:, :1] == 0))  # fix the signs: the same picture on every run
        points = points @ turn.T
    low, span = points.min(axis=0), np.ptp(points, axis=0)
    flat = span < 1e-9  # one node, or nodes in a line: centre that axis
    points = np.where(flat, 0.0, 2 * (points - low) / np.where(flat, 1.0, span) - 1)
    points *= min(1.0, 0.3 + len(keys) / 15)
    return {key: (float(x), float(y)) for key, (x, y) in zip(keys, points)}


def _spots(gap: float) -> list[tuple[tuple[float, float], str, str, bool]]:
    """Where a label may go, best first: (offset in points, ha, va, needs a leader line)."""
    spots = []
    for distance, leader in ((gap, False), (gap + 14, True), (gap + 30, True)):
        d, s = distance, distance * 0.75
        spots += [((0, d), "center", "bottom", leader), ((0, -d), "center", "top", leader),
                  ((d, 0), "left", "center", leader), ((-d, 0), "right", "center", leader),
                  ((s, s), "left", "bottom", leader), ((-s, s), "right", "bottom", leader),
                  ((s, -s), "left", "top", leader), ((-s, -s), "right", "top", leader)]  # fmt: skip
    return spots


def _wrapped(name: str) -> str:
    """A long name on two lines, broken at the space nearest its middle (narrower labels fit more gaps)."""
    spaces = [i for i, char in enumerate(name) if char == " "]
    if len(name) < 16 or not spaces:
        return name
    middle = min(spaces, key=lambda i: abs(i - len(name) / 2))
    return name[:middle] + "\n" + name[middle + 1 :]


def _draw_labels(
    axes: Axes, canvas: Any, graph: networkx.Graph, positions: dict[Any, tuple[float, float]], areas: dict[Any, float]
) -> None:
    """Label the largest nodes first, each at the first spot near its node that no label or other node covers.

    Spots next to the node come first, then spots a little further out joined to it by a thin line. A
    label that fits nowhere is left out (the HTML page and the network files have every name), except
    for the few largest nodes, which may then cover other nodes (never other labels).
    """
    renderer = canvas.get_renderer()
    scale = axes.figure.dpi / 72  # points -> pixels
    discs = {key: (*axes.transData.transform(positions[key]), math.sqrt(areas[key]) / 2 * scale) for key in graph.nodes}
    placed: list[Bbox] = []
    ranked = sorted(graph.nodes, key=lambda key: (-_mentions(graph, key), _name(graph, key)))
    for rank, key in enumerate(ranked[:MAX_LABELS]):
        name = _shorten(_name(graph, key))
        for avoid_nodes in (True, False) if rank < ALWAYS_LABELLED else (True,):
            box = _place_label(axes, renderer, key, name, positions[key], placed, discs, avoid_nodes)
            if box is not None:
                placed.append(box)
                break


def _place_label(
    axes: Axes, renderer: Any, key: Any, name: str, position: tuple[float, float], placed: list[Bbox],
    discs: dict[Any, tuple[float, float, float]], avoid_nodes: bool,
) -> Bbox | None:  # fmt: skip
    """Draw ``name`` at the first free spot around its node and return its box, or draw nothing and return None.

    Each ring of spots is tried with the name on one line, then on two.
    """
    frame = axes.get_window_extent(renderer)
    radius = discs[key][2] * 72 / axes.figure.dpi
    spots = _spots(radius + 3)
    rings = [spots[i : i + 8] for i in range(0, len(spots), 8)]
    tries = [(spot, label) for ring in rings for label in dict.fromkeys((name, _wrapped(name))) for spot in ring]
    for (offset, ha, va, leader), label in tries:
        line = {"arrowstyle": "-", "color": "#222222", "lw": 0.7, "shrinkA": 0, "shrinkB": radius} if leader else None
        text = axes.annotate(
            label, position, xytext=offset, textcoords="offset points", ha=ha, va=va, multialignment="center",
            fontsize=8.5, zorder=3, arrowprops=line, bbox=_LABEL_BOX,
        )  # fmt: skip
        box = text.get_window_extent(renderer).expanded(1.08, 1.2)
        inside = frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1)
        clear = not avoid_nodes or not (_covers(box, discs, key) or leader and _crosses(box, discs, key))
        if inside and clear and not any(box.overlaps(other) for other in placed):
            return box
        text.remove()
    return None


def _crosses(box: Bbox, discs: dict[Any, tuple[float, float, float]], own: Any) -> bool:
    """Whether the leader line from node ``own`` to the middle of ``box`` passes over another node."""
    x0, y0, _ = discs[own]
    x1, y1 = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
    length = max((x1 - x0) ** 2 + (y1 - y0) ** 2, 1e-9)
    for key, (x, y, r) in discs.items():
        t = min(max(((x - x0) * (x1 - x0) + (y - y0) * (y1 - y0)) / length, 0.0), 1.0)  # nearest point on the line
        if key != own and (x0 + t * (x1 - x0) - x) ** 2 + (y0 + t * (y1 - y0) - y) ** 2 < r * r:
            return True
    return False


def _covers(box: Bbox, discs: dict[Any, tuple[float, float, float]], own: Any, clearance: float = 8.0) -> bool:
    """Whether ``box`` comes within ``clearance`` pixels of any node but ``own`` (so it could name the wrong one)."""
    for key, (x, y, r) in discs.items():
        dx = max(box.x0 - x, 0, x - box.x1)
        dy = max(box.y0 - y, 0, y - box.y1)
        if key != own and dx * dx + dy * dy < (r + clearance) ** 2:
            return True
    return False


# --- the interactive page (pyvis) -------------------------------------------------------------


def _html(graph: networkx.Graph, measure: str, title: str, subtitle: str) -> str:
    """A vis-network page with physics on. vis-network's script and style are inlined, so it opens offline;
    pyvis's template still links Bootstrap from a CDN, which only styles the frame around the network.
    """
    _require("pyvis")
    from pyvis.network import Network

    net = Network(height="82vh", width="100%", cdn_resources="in_line", bgcolor="#ffffff")
    for key in graph.nodes:
        net.add_node(str(key), **_html_node(graph, key))
    widths = _edge_widths(graph, measure, 1.0, 12.0)
    for width, (u, v, data) in zip(widths, graph.edges(data=True)):
        net.add_edge(str(u), str(v), width=width, color="#8a8a8a", title=_edge_tooltip(graph, u, v, data))
    net.force_atlas_2based(gravity=-60, spring_length=110, overlap=0.5)
    page = net.generate_html()
    return page.replace("<body>", "<body>\n" + _html_header(graph, title, subtitle), 1)


def _html_node(graph: networkx.Graph, key: Any) -> dict[str, Any]:
    data = graph.nodes[key]
    lines = [_name(graph, key), f"type: {_type(graph, key)}", f"mentions: {data.get('mentions', '')}",
             f"documents: {data.get('documents', '')}"]  # fmt: skip
    if data.get("gazetteer_id"):
        lines.append(f"id: {data['gazetteer_id']}")
    size = 8 + 32 * math.sqrt(_mentions(graph, key) / max(_mentions(graph, k) for k in graph.nodes))
    colour = _colour(_type(graph, key))  # vis-network shows a string title as plain text: no markup to escape
    return {"label": _shorten(_name(graph, key)), "title": "\n".join(lines), "color": colour, "size": size}


def _edge_tooltip(graph: networkx.Graph, u: Any, v: Any, data: dict[str, Any]) -> str:
    lines = [f"{_name(graph, u)} — {_name(graph, v)}", f"count: {data.get('weight', '')}"]
    lines.append(f"docs: {data.get('docs', '')}")
    lines += [f"{name}: {float(data[name]):.3f}" for name, m in MEASURES.items() if m.sortable and name in data]
    return "\n".join(lines)


def _html_header(graph: networkx.Graph, title: str, subtitle: str) -> str:
    """Title, subtitle and legend, escaped (pyvis's own heading is neither escaped nor shown once)."""
    legend = " ".join(
        f'<span style="margin-right:1.2em"><span style="display:inline-block;width:0.9em;height:0.9em;'
        f'border-radius:50%;background:{_colour(t)};vertical-align:middle"></span> {html.escape(t or "other")}</span>'
        for t in _types(graph)
    )
    return (
        '<div style="font-family:sans-serif;margin:0.5em 1em">'
        f'<h2 style="margin:0.2em 0">{html.escape(title or "Entity co-occurrence")}</h2>'
        f'<div style="color:#444">{html.escape(subtitle)}</div><div style="margin-top:0.4em">{legend}</div></div>\n'
    )


# --- timelines (matplotlib) -------------------------------------------------------------------

TIMELINE_SUFFIXES = (".png", ".svg")
# Okabe-Ito (its pale yellow last): lines told apart with the common colour-vision deficiencies; past eight, dashes too
LINE_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442")
LINE_STYLES = ("-", "--", ":", "-.")
MAX_TICKS = 24  # period labels along the axis; more are thinned out


def plot_timeline(
    periods: Sequence[str],
    documents: Sequence[int],
    lines: Sequence[tuple[str, Sequence[float | None]]],
    path: str | Path,
    title: str = "",
) -> None:
    """Draw a timeline to ``path`` (.png or .svg): above, one line per entity through the periods that hold
    documents (a rate per period; None where there are no documents); below, documents per period, so
    that a rate resting on one document can be told from one resting on fifty."""
    suffix = Path(path).suffix.lower()
    if suffix not in TIMELINE_SUFFIXES:
        raise PlotError(f"cannot draw {str(path)!r}: the file name must end in {', '.join(TIMELINE_SUFFIXES)}")
    matplotlib = _require("matplotlib", "timelines")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "nhsx", "font.size": 9.5}):
        figure = Figure(figsize=(11, 6.5), dpi=_DPI)
        FigureCanvasAgg(figure)
        rates, counts = figure.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": (4, 1), "hspace": 0.08})
        figure.suptitle(title or "Mentions over time", fontsize=14)
        if not periods or not lines:
            rates.text(
                0.5,
                0.5,
                "no dated documents" if not periods else "no entities",
                ha="center",
                va="center",
                fontsize=16,
                color="#666666",
                transform=rates.transAxes,
            )
        _draw_lines(rates, lines)
        _draw_documents(counts, periods, documents)
        buffer = io.BytesIO()
        metadata = {"Date": None} if suffix == ".svg" else {"Software": None}
        figure.savefig(buffer, format=suffix[1:], dpi=_DPI, metadata=metadata, facecolor="white", bbox_inches="tight")
    with atomic_output(path, binary=True) as stream:
        stream.write(buffer.getvalue())


def _draw_lines(axes: Axes, lines: Sequence[tuple[str, Sequence[float | None]]]) -> None:
    """Each entity's rates, joined across periods without documents (markers only where there is evidence)."""
    for number, (name, values) in enumerate(lines):
        points = [(x, y) for x, y in enumerate(values) if y is not None]
        if not points:
            continue
        xs, ys = zip(*points)
        colour, style = LINE_COLOURS[number % len(LINE_COLOURS)], LINE_STYLES[number // len(LINE_COLOURS) % 4]
        axes.plot(xs, ys, style, color=colour, marker="o", markersize=5, linewidth=2, label=_shorten(name, 50))
    axes.set_ylabel("mentions per 10,000 words")
    axes.set_ylim(bottom=0)
    axes.grid(axis="y", color="#dddddd", linewidth=0.8)
    axes.spines[["top", "right"]].set_visible(False)
    if lines:
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)


def _draw_documents(axes: Axes, periods: Sequence[str], documents: Sequence[int]) -> None:
    bars = axes.bar(range(len(periods)), documents, color="#bbbbbb", width=0.6)
    if len(periods) <= MAX_TICKS:
        axes.bar_label(bars, labels=[str(n) if n else "" for n in documents], fontsize=8, color="#444444")
    axes.set_ylim(top=max(documents, default=0) * 1.3 + 0.5)
    axes.set_ylabel("documents")
    axes.spines[["top", "right"]].set_visible(False)
    step = max(1, math.ceil(len(periods) / MAX_TICKS))
    axes.set_xticks(range(0, len(periods), step))
    crowded = len(periods) > 12
    axes.set_xticklabels(periods[::step], rotation=45 if crowded else 0, ha="right" if crowded else "center")
    axes.set_xlim(-0.5, max(len(periods), 1) - 0.5)
    axes.yaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]  # a MaxNLocator
