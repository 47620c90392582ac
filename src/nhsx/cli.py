"""The nhsx command line: parses options, wires the stages together, renders results.

spaCy is imported lazily inside commands so that ``nhsx --help`` and usage errors stay fast.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator, Sequence

import click

from . import __version__

ENTITY_LABELS = ("BODY", "ORG_TYPE", "POLICY", "PERSON")
ALL_LABELS = ENTITY_LABELS + ("TERM",)
ODS_WHAT = ("trusts", "icbs", "ccgs", "pcns")  # nhsx.ods.WHAT, repeated so --help need not import it
FORMATS = ("table", "json", "jsonl", "csv")
ENTITY_COLUMNS = ("canonical", "label", "mentions", "documents", "forms", "id")
MENTION_COLUMNS = (
    "doc", "start", "end", "text", "label", "canonical", "id", "acronym", "sentence", "paragraph", "source",
    "successor", "mapped_from", "page",
)


class RunStatus:
    """Counts problems reported during a run; any problem makes the exit code 1 (with --strict, the
    first one ends the run)."""

    def __init__(self, strict: bool = False) -> None:
        self.problems = 0
        self.strict = strict

    def report(self, message: str) -> None:
        self.problems += 1
        if self.strict:
            raise click.ClickException(f"{message} (--strict: stopping at the first problem)")
        click.echo(message, err=True)

    @property
    def exit_code(self) -> int:
        return 1 if self.problems else 0


@contextlib.contextmanager
def output_stream(path: str | None) -> Iterator[IO[str]]:
    """stdout, or a file written atomically (whole or not at all)."""
    if path is None:
        yield click.get_text_stream("stdout")
        return
    from .writers import atomic_output

    with atomic_output(path) as stream:
        yield stream


def input_options(func: Callable) -> Callable:
    """Options shared by every command that reads documents."""
    func = click.option("--strict", is_flag=True, help="Stop at the first file that cannot be read.")(func)
    func = click.option(
        "--max-size", type=click.IntRange(min=1), default=200, show_default=True, metavar="MB",
        help="Files larger than this are reported and skipped.",
    )(func)
    func = click.option(
        "--save-text", type=click.Path(file_okay=False), metavar="DIR",
        help="Also write the plain text analysed for each document (offsets refer to it).",
    )(func)
    func = click.option(
        "--workers", type=click.IntRange(min=1), metavar="N",
        help="Worker processes (default: every core, one for a single file).",
    )(func)
    func = click.option("--model", metavar="NAME_OR_PATH", help="Also use an installed spaCy pipeline's PERSON/ORG entities to fill gaps.")(func)
    func = click.option(
        "--gazetteer", "gazetteers", multiple=True, type=click.Path(exists=True),
        help="Extra gazetteer file or folder (repeatable); an entry with a built-in id replaces it.",
    )(func)
    func = click.option(
        "--glob", "globs", multiple=True, metavar="PATTERN",
        help="File name patterns to read in folders (repeatable; default *.txt and *.md).",
    )(func)
    return func


def load_pipeline(gazetteers: Sequence[str], model: str | None, status: RunStatus) -> Any:
    from .pipeline import build_pipeline, gazetteer_of

    try:
        nlp = build_pipeline(gazetteers, model)
    except OSError as exc:
        raise click.BadParameter(str(exc).splitlines()[0], param_hint="--model") from None
    matcher = gazetteer_of(nlp)
    try:
        matcher.entries  # load now so gazetteer problems are reported before any output
    except Exception as exc:  # GazetteerError: missing folder, nothing to load
        raise click.ClickException(str(exc)) from None
    for problem in matcher.problems:
        status.report(str(problem))
    return nlp


def processed(paths: Sequence[str], nlp: Any, status: RunStatus, reading: dict[str, Any]) -> Iterator[Any]:
    """Documents through the pipeline (``Processed`` records, in input order); read errors reported on
    stderr as they happen. ``reading`` holds the shared input options (globs, workers, save_text)."""
    from .parallel import default_workers, process_parallel
    from .reader import DEFAULT_GLOBS, read_documents
    from .records import ReadError

    max_bytes = reading.get("max_size", 200) * 1024 * 1024
    items = read_documents(paths, reading.get("globs") or DEFAULT_GLOBS, max_bytes=max_bytes)
    workers = reading.get("workers") or default_workers(paths)
    for result in with_progress(process_parallel(nlp, items, workers)):
        if isinstance(result.item, ReadError):
            status.report(str(result.item))
            continue
        if reading.get("save_text"):
            save_text(Path(reading["save_text"]), result.item)
        yield result


def save_text(folder: Path, document: Any) -> None:
    """The analysed text of one document, at its name under ``folder`` (stdin as "stdin.txt")."""
    name = "stdin.txt" if document.name == "-" else document.name.lstrip("/")
    if not name.endswith((".txt", ".md", ".text")):
        name += ".txt"  # report.pdf -> report.pdf.txt
    target = folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(document.text, encoding="utf-8")


def with_progress(results: Iterable[Any]) -> Iterator[Any]:
    """A spinner on stderr when it is a terminal; nothing otherwise (machine formats stay clean)."""
    if not sys.stderr.isatty():
        yield from results
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn

    with Progress(SpinnerColumn(), TextColumn("{task.completed} documents"), console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("extract", total=None)
        for result in results:
            yield result
            bar.advance(task)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="nhsx")
def cli() -> None:
    """Extract NHS bodies, structures, policies and people from policy documents."""


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--mentions", "show_mentions", is_flag=True, help="One row per mention instead of one per entity.")
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file (atomically) instead of stdout.")
@click.option("--label", "labels", multiple=True, type=click.Choice(ENTITY_LABELS, case_sensitive=False), help="Only these labels (repeatable).")
@click.option(
    "--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
    help="Map each organisation to the one that held its role on this date (CCGs -> ICBs after July 2022).",
)
@input_options
def extract(
    paths: tuple[str, ...], show_mentions: bool, fmt: str, output: str | None, labels: tuple[str, ...],
    as_of: Any, gazetteers: tuple[str, ...], model: str | None, **reading: Any,
) -> None:
    """Find mentions in PATHS (files, folders, or - for stdin).

    Prints a table of entities by default; --mentions lists every mention with its offsets.
    """
    from .aggregate import EntityTable
    from .writers import write_records

    status = RunStatus(reading.pop("strict"))
    nlp = load_pipeline(gazetteers, model, status)
    wanted = {label.upper() for label in labels}

    entries = nlp.get_pipe("nhsx_gazetteer").entries

    def keep(mentions: list) -> list:
        if as_of is not None:
            from .timeline import map_as_of

            mentions = map_as_of(mentions, as_of.date(), entries)
        return [m for m in mentions if not wanted or m.label in wanted]

    with output_stream(output) as stream:
        results = processed(paths, nlp, status, reading)
        if show_mentions:
            rows = (m.to_dict() for result in results for m in keep(result.mentions))
            write_records(rows, fmt, MENTION_COLUMNS, stream, title="Mentions")
        else:
            table = EntityTable()
            for result in results:
                table.add_document(keep(result.mentions))
            write_records((r.to_dict() for r in table.rows()), fmt, ENTITY_COLUMNS, stream, title="Entities")
    sys.exit(status.exit_code)


GLOSSARY_FORMATS = ("table", "markdown", "csv", "json", "jsonl", "yaml")
GLOSSARY_COLUMNS = ("acronym", "expansion", "source", "count", "docs", "first_doc", "first_offset", "definitions")


def glossary_rows(entries: Iterable[Any], per_doc: bool) -> Iterator[dict[str, Any]]:
    """Flat rows for tables and CSV: first use as two columns, other definitions as "text (n)"."""
    for entry in entries:
        row = entry.to_dict()
        first = row.pop("first_seen")
        row.update(first_doc=first["doc"], first_offset=first["offset"])
        row["definitions"] = [f"{d['expansion']} ({d['count']})" for d in row["definitions"]]
        yield row


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--per-doc", is_flag=True, help="One entry per document and acronym.")
@click.option("-f", "--format", "fmt", type=click.Choice(GLOSSARY_FORMATS), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file (atomically).")
@click.option("--min-count", type=click.IntRange(min=1), default=1, show_default=True, help="Only acronyms used this often.")
@click.option("--source", "sources", multiple=True, type=click.Choice(("text", "gazetteer", "unknown")), help="Only these sources (repeatable).")
@input_options
def glossary(
    paths: tuple[str, ...], per_doc: bool, fmt: str, output: str | None, min_count: int, sources: tuple[str, ...],
    gazetteers: tuple[str, ...], model: str | None, **reading: Any,
) -> None:
    """Build an acronym glossary from PATHS: each acronym used, what it stands for (defined in the
    text, known to nhsx, or unknown), how often and where it was first used."""
    from .glossary import Glossary, acronym_index, gazetteer_yaml, markdown
    from .writers import write_records

    status = RunStatus(reading.pop("strict"))
    nlp = load_pipeline(gazetteers, model, status)
    built = Glossary(acronym_index(nlp.get_pipe("nhsx_gazetteer").entries.values()), per_doc=per_doc)
    for result in processed(paths, nlp, status, reading):
        built.add_document(result.item.name, result.item.text, result.definitions)
    entries = [e for e in built.entries() if e.count >= min_count and (not sources or e.source in sources)]
    columns = (("doc",) if per_doc else ()) + GLOSSARY_COLUMNS
    with output_stream(output) as stream:
        if fmt == "markdown":
            stream.write(markdown(entries))
        elif fmt == "yaml":
            stream.write(gazetteer_yaml(entries))
        elif fmt in ("json", "jsonl"):
            write_records((e.to_dict() for e in entries), fmt, columns, stream)
        else:
            write_records(glossary_rows(entries, per_doc), fmt, columns, stream, title="Glossary")
    sys.exit(status.exit_code)


COOCCUR_FORMATS = ("table", "csv", "json", "jsonl", "graphml", "gexf")
WINDOWS = ("sentence", "paragraph", "document")  # nhsx.cooccur.WINDOWS, repeated so --help need not import it
SORTS = ("count", "npmi", "dice", "g2")


def draw(
    table: Any, labels: Sequence[str], pair: Any, entity: str | None, min_count: int, sort: str, top: int | None, path: str
) -> None:
    """The picture: every pair passing the filters, of which the plot keeps the --top entities by degree."""
    from .network import to_graph
    from .plot import PlotError, plot_network

    rows = table.pairs(labels=labels, pair=pair, entity=entity, min_count=min_count, sort=sort)
    try:
        plot_network(to_graph(table.nodes(), rows), path, measure=sort, top=top or 30,
                     title=f"nhsx cooccur: {table.window} window")
    except PlotError as exc:
        raise click.ClickException(str(exc)) from None


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--from-mentions", type=click.Path(exists=True, dir_okay=False), help="Use a saved `nhsx extract --mentions -f jsonl` file instead of reading documents.")
@click.option("--window", type=click.Choice(WINDOWS), default="sentence", show_default=True, help="What counts as together.")
@click.option("--label", "labels", multiple=True, type=click.Choice(ENTITY_LABELS, case_sensitive=False), help="Pairs with this label on either side (repeatable).")
@click.option("--pair", "pair_text", metavar="LABEL:LABEL", help="Pairs of these two labels, e.g. BODY:POLICY.")
@click.option("--entity", metavar="NAME", help="Pairs involving this entity (canonical name or id).")
@click.option("--min-count", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--top", type=click.IntRange(min=1), help="Only the first N pairs after sorting.")
@click.option("--sort", type=click.Choice(SORTS), default="count", show_default=True)
@click.option("-f", "--format", "fmt", type=click.Choice(COOCCUR_FORMATS), default="table", show_default=True)
@click.option("--matrix", is_flag=True, help="An entity-by-entity count matrix as CSV instead.")
@click.option(
    "--plot", "plot_path", type=click.Path(dir_okay=False), metavar="FILE",
    help="Also draw the network of the --top entities (.png, .svg, or .html for an interactive page; needs nhsx[plot]).",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file (atomically).")
@input_options
def cooccur(
    paths: tuple[str, ...], from_mentions: str | None, window: str, labels: tuple[str, ...], pair_text: str | None,
    entity: str | None, min_count: int, top: int | None, sort: str, fmt: str, matrix: bool, plot_path: str | None,
    output: str | None, gazetteers: tuple[str, ...], model: str | None, **reading: Any,
) -> None:
    """Which entities are mentioned together in PATHS, with counts and association measures
    (PMI, NPMI, Dice, G2), as a table, CSV, JSON or a network for Gephi, Cytoscape and networkx."""
    from .cooccur import PAIR_COLUMNS, Cooccurrence, parse_pair, saved_mentions
    from .network import to_graph, write_gexf, write_graphml, write_matrix
    from .writers import write_records

    if bool(paths) == bool(from_mentions):
        raise click.UsageError("give PATHS to read, or --from-mentions FILE (not both)")
    try:
        pair = parse_pair(pair_text) if pair_text else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--pair") from None
    status = RunStatus(reading.pop("strict"))
    table = Cooccurrence(window)
    if from_mentions:
        documents: Iterable[list[Any]] = saved_mentions(from_mentions, status.report)
    else:
        nlp = load_pipeline(gazetteers, model, status)
        documents = (result.mentions for result in processed(paths, nlp, status, reading))
    for mentions in documents:
        table.add_document(mentions)
    rows = table.pairs(labels=labels, pair=pair, entity=entity, min_count=min_count, sort=sort, top=top)
    if plot_path:
        draw(table, labels, pair, entity, min_count, sort, top, plot_path)
    with output_stream(output) as stream:
        if matrix:
            write_matrix(*Cooccurrence.matrix(rows), stream)
        elif fmt in ("graphml", "gexf"):
            graph = to_graph(table.nodes(), rows)
            (write_graphml if fmt == "graphml" else write_gexf)(graph, stream)
        else:
            write_records((r.to_dict() for r in rows), fmt, PAIR_COLUMNS, stream, title=f"Co-occurrence by {window}")
    sys.exit(status.exit_code)


@cli.command()
@click.option("--gold", "gold_files", multiple=True, required=True, type=click.Path(exists=True, dir_okay=False), help="Gold JSON Lines file (repeatable).")
@click.argument("docs_dir", type=click.Path(exists=True, file_okay=False))
@click.option("-f", "--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True)
@click.option("--errors", "show_errors", is_flag=True, help="List every false positive and false negative with context.")
@click.option("--gazetteer", "gazetteers", multiple=True, type=click.Path(exists=True))
@click.option("--model", metavar="NAME_OR_PATH")
def evaluate(
    gold_files: tuple[str, ...], docs_dir: str, fmt: str, show_errors: bool, gazetteers: tuple[str, ...], model: str | None
) -> None:
    """Score extraction on the documents of a gold file (strict and lenient P/R/F1, canonical accuracy, glossary)."""
    from .evaluate import GoldError, evaluate_gold
    from .report import evaluation_json, print_evaluation

    status = RunStatus()
    nlp = load_pipeline(gazetteers, model, status)
    try:
        report = evaluate_gold(nlp, list(gold_files), Path(docs_dir))
    except GoldError as exc:
        raise click.ClickException(str(exc)) from None
    stdout = click.get_text_stream("stdout")
    if fmt == "json":
        stdout.write(evaluation_json(report, show_errors) + "\n")
    else:
        print_evaluation(report, show_errors, stdout)
    sys.exit(status.exit_code)


@cli.group()
def gazetteer() -> None:
    """Inspect, validate and build gazetteers."""


@gazetteer.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
def gazetteer_validate(paths: tuple[str, ...]) -> None:
    """Check gazetteer files (default: the built-ins); one line per problem, exit 1 if any."""
    from .gazetteer import GazetteerError, builtin_dir, validate_paths

    try:
        problems, count = validate_paths(list(paths) or [builtin_dir()])
    except GazetteerError as exc:
        raise click.ClickException(str(exc)) from None
    for problem in problems:
        click.echo(str(problem), err=True)
    click.echo(f"{count} entries, {len(problems)} problems", err=True)
    sys.exit(1 if problems else 0)


@gazetteer.command("list")
@click.option("--label", "labels", multiple=True, type=click.Choice(ALL_LABELS, case_sensitive=False))
@click.option("-f", "--format", "fmt", type=click.Choice(("table", "json", "yaml")), default="table", show_default=True)
@click.option("--gazetteer", "gazetteers", multiple=True, type=click.Path(exists=True))
def gazetteer_list(labels: tuple[str, ...], fmt: str, gazetteers: tuple[str, ...]) -> None:
    """List gazetteer entries (json: one object per entry with all its fields)."""
    import json

    import yaml

    from .gazetteer import Gazetteer, GazetteerError
    from .writers import write_table

    try:
        loaded = Gazetteer.load(gazetteers)
    except GazetteerError as exc:
        raise click.ClickException(str(exc)) from None
    wanted = {label.upper() for label in labels}
    entries = [e for e in loaded if not wanted or e.label in wanted]
    stdout = click.get_text_stream("stdout")
    if fmt == "json":
        for entry in entries:
            stdout.write(json.dumps(entry.to_dict(), ensure_ascii=False) + "\n")
    elif fmt == "yaml":
        stdout.write(yaml.safe_dump([e.to_dict() for e in entries], sort_keys=False, allow_unicode=True))
    else:
        rows = (
            {"id": e.id, "label": e.label, "canonical": e.canonical, "kind": e.kind, "acronyms": list(e.acronyms)}
            for e in entries
        )
        write_table(rows, ("id", "label", "canonical", "kind", "acronyms"), stdout, title=f"{len(entries)} entries")


@gazetteer.command("import-ods")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The gazetteer YAML to write.")
@click.option("--what", type=click.Choice(ODS_WHAT), help="Which organisations to emit (default: all the files allow).")
def gazetteer_import_ods(files: tuple[str, ...], output: str, what: str | None) -> None:
    """Convert NHS Organisation Data Service extracts (etr.csv, eccg.csv, the ICB names-and-codes
    file, the GP-practice map) into an nhsx gazetteer file."""
    from .ods import OdsError, generate
    from .writers import atomic_output

    try:
        text = generate(list(files), what)
    except OdsError as exc:
        raise click.ClickException(str(exc)) from None
    with atomic_output(output) as stream:
        stream.write(text)
    click.echo(f"{output}: written from {len(files)} file(s)", err=True)


def main() -> None:
    """Entry point: usage errors exit 2 and Ctrl-C exits 130, each with one line; click itself ends
    quietly when the reader of a pipe goes away (`nhsx extract ... | head`)."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("nhsx: interrupted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("nhsx: interrupted", err=True)
        sys.exit(130)

