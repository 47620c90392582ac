"""Writers: one registry of every output format, from which each command's ``-f`` choices, the formats
``-o FILE`` suffixes name, and the ``--plot`` pictures are derived. A new format is one entry here.

Writers are named as "module:function" and imported only when used, so ``nhsx --help`` stays fast and
optional libraries (networkx, matplotlib) load only for the outputs that need them.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any, Callable

# What is written -> format -> writer. The calling conventions per kind:
#   rows:       (rows: Iterable[dict], columns, stream, title)
#   glossary:   (entries: Sequence[GlossaryEntry], stream)
#   entries:    as rows (gazetteer entries, every field)
#   network:    (graph: networkx.Graph, stream)
#   evaluation: (report: Report, with_errors: bool, stream)
#   picture:    written by suffix through nhsx.write.plot (a path, not a stream)
WRITERS: dict[str, dict[str, str]] = {
    "rows": {
        "table": "nhsx.write.rows:write_table",
        "json": "nhsx.write.rows:write_json_rows",
        "jsonl": "nhsx.write.rows:write_jsonl_rows",
        "csv": "nhsx.write.rows:write_csv_rows",
    },
    "glossary": {
        "markdown": "nhsx.write.glossary:write_markdown",
        "yaml": "nhsx.write.glossary:write_gazetteer_yaml",
    },
    "entries": {"yaml": "nhsx.write.rows:write_yaml_rows"},
    "network": {"graphml": "nhsx.write.network:write_graphml", "gexf": "nhsx.write.network:write_gexf"},
    "evaluation": {
        "table": "nhsx.write.evaluation:print_evaluation",
        "json": "nhsx.write.evaluation:write_evaluation_json",
    },
    "picture": {
        "png": "nhsx.write.plot:plot_network",
        "svg": "nhsx.write.plot:plot_network",
        "html": "nhsx.write.plot:plot_network",
    },
}
# Format -> the file suffixes that name it (-o out.csv means csv).
SUFFIXES: dict[str, tuple[str, ...]] = {
    "table": (),
    "json": (".json",),
    "jsonl": (".jsonl",),
    "csv": (".csv",),
    "markdown": (".md",),
    "yaml": (".yaml", ".yml"),
    "graphml": (".graphml",),
    "gexf": (".gexf",),
    "png": (".png",),
    "svg": (".svg",),
    "html": (".html",),
}
DEFAULT = "table"


def formats(*kinds: str) -> tuple[str, ...]:
    """The formats that can write any of these kinds, in registry order, without repeats."""
    return tuple(dict.fromkeys(name for kind in kinds for name in WRITERS[kind]))


def suffix_format(path: str | Path) -> str | None:
    """The format a file's suffix names (None for a suffix no format owns)."""
    suffix = Path(path).suffix.lower()
    return next((name for name, owned in SUFFIXES.items() if suffix in owned), None)


def writer(kind: str, fmt: str) -> Callable[..., Any]:
    """The function that writes ``kind`` as ``fmt`` (KeyError for a pair the registry does not hold)."""
    module, _, function = WRITERS[kind][fmt].partition(":")
    return getattr(importlib.import_module(module), function)


def write(kind: str, fmt: str, *args: Any) -> None:
    writer(kind, fmt)(*args)
