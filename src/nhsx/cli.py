"""The nhsx command line: parses options, wires the stages together, renders results.

spaCy is imported lazily inside commands so that ``nhsx --help`` and usage errors stay fast.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import signal
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence

import click

if TYPE_CHECKING:  # spaCy and the pipeline load inside commands, so that --help stays fast
    from spacy.language import Language

    from nhsx.run import Processed, Reading

from nhsx import __version__
from nhsx.analyse.cooccur import WINDOWS
from nhsx.analyse.measures import COUNT, SORTS
from nhsx.knowledge.ods import WHAT as ODS_WHAT
from nhsx.read import DEFAULT_GLOBS
from nhsx.read.dates import PERIODS
from nhsx.records import ENTITY_LABELS, LABELS, Mention
from nhsx.write import DEFAULT, WRITERS, formats, suffix_format, write
from nhsx.write.output import (
    STDOUT,
    OutputError,
    atomic_output,
    check_outputs,
    output_stream,
    printable,
    save_text,
)

ENTITY_COLUMNS = ("canonical", "label", "mentions", "documents", "forms", "id")  # the entity table's column order
FORMAT_HELP = "Output format. Default: the -o file's suffix (.csv, .json, .jsonl, ...), else table."
GAZETTEER_HELP = "Extra gazetteer file or folder (repeatable); an entry with a built-in id replaces it."
MODEL_HELP = "Also use an installed spaCy pipeline's PERSON/ORG entities to fill gaps."


def output_format(fmt: str | None, output: str | None, choices: Sequence[str]) -> str:
    """-f as given, else the format the -o file's suffix names, else table; a suffix naming another
    format than -f, or one this command cannot write, is a usage error."""
    named = suffix_format(output) if output else None
    if named and named not in choices:
        raise click.BadParameter(
            f"{output}: this command does not write {named} (-f is one of {', '.join(choices)})", param_hint="-o"
        )
    if fmt and named and fmt != named:
        raise click.BadParameter(f"{output}: the suffix says {named} but -f says {fmt}", param_hint="-o")
    return fmt or named or DEFAULT


def output_options(*kinds: str, output_help: str = "Write to this file (atomically) instead of stdout.") -> Callable:
    """-f (the registry's formats for these kinds) and -o, shared by every command that writes a report."""

    def decorate(func: Callable) -> Callable:
        func = click.option("-o", "--output", type=click.Path(dir_okay=False), help=output_help)(func)
        return click.option(
            "-f", "--format", "fmt", type=click.Choice(formats(*kinds)), default=None, help=FORMAT_HELP
        )(func)

    return decorate


def labels_option(help: str = "Only these labels (repeatable).", labels: Sequence[str] = ENTITY_LABELS) -> Callable:
    return click.option("--label", "labels", multiple=True, type=click.Choice(labels, case_sensitive=False), help=help)


class AsOf(click.ParamType):
    """--as-of: a date YYYY-MM-DD, or "auto" for each document's own date (where the command allows it)."""

    name = "as_of"

    def __init__(self, auto: bool = True) -> None:
        self.auto = auto

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        import datetime as dt

        if (value == "auto" and self.auto) or isinstance(value, dt.date):
            return value
        try:
            return dt.datetime.strptime(value, "%Y-%m-%d").date()
        except ValueError:
            self.fail(f"{value!r} is not a date YYYY-MM-DD{', nor auto' if self.auto else ''}", param, ctx)


DATES_HELP = (
    "CSV of doc,date rows giving documents their dates (a folder's own dates.csv is read too). Otherwise a date "
    "comes from the file name, the file's metadata, or a dateline near the start."
)


AS_OF_HELP = "Map each organisation to the one that held its role on this date (CCGs -> ICBs after July 2022)"


def as_of_option(auto: bool = True) -> Callable:
    """--as-of DATE, and with ``auto`` each document's own date."""
    metavar, more = ("YYYY-MM-DD|auto", "; auto: on each document's own date.") if auto else ("YYYY-MM-DD", ".")
    return click.option("--as-of", "as_of", type=AsOf(auto), metavar=metavar, help=AS_OF_HELP + more)


dates_option = click.option(
    "--dates", "dates_file", type=click.Path(exists=True, dir_okay=False), metavar="FILE", help=DATES_HELP
)


class RunStatus:
    """Counts problems reported during a run; any problem makes the exit code 1 (with --strict, the
    first one ends the run). A warning (a file read with a loss: bytes not UTF-8 replaced, a PDF cut at
    --max-pages) is a line on stderr that leaves the exit code alone; with --strict it is a problem."""

    def __init__(self, strict: bool = False) -> None:
        self.problems = 0
        self.strict = strict

    def report(self, message: str) -> None:
        self.problems += 1
        if self.strict:
            raise click.ClickException(f"{printable(message)} (--strict: stopping at the first problem)")
        click.echo(printable(message), err=True)

    def warn(self, message: str) -> None:
        if self.strict:
            self.report(message)
        else:
            click.echo(message, err=True)

    @property
    def exit_code(self) -> int:
        return 1 if self.problems else 0


class BadOutput(click.ClickException):
    """An output that cannot or must not be written, found before any work: a usage error, on one line."""

    exit_code = 2


@dataclass
class Inputs:
    """The shared input options of a command that reads documents, and the run they drive: its status,
    its pipeline, and the documents through it."""

    status: RunStatus
    reading: Reading
    gazetteers: tuple[str, ...]
    model: str | None
    save_text: str | None

    def check_outputs(self, paths: Sequence[str], *outputs: str | None) -> None:
        """Every output can be written and is no input, before any document is read (a usage error otherwise)."""
        try:
            check_outputs(paths, self.reading.globs, self.save_text, *outputs)
        except OutputError as exc:
            raise BadOutput(str(exc)) from None

    def pipeline(self) -> Language:
        return load_pipeline(self.gazetteers, self.model, self.status)

    def processed(self, paths: Sequence[str], nlp: Language) -> Iterator[Processed]:
        """Documents through the pipeline (``Processed`` records, in input order); read errors and
        warnings reported on stderr as they happen."""
        from nhsx.read import count_documents
        from nhsx.records import ReadError
        from nhsx.run import process_paths

        seen = 0
        results = process_paths(nlp, paths, self.reading)
        for result in with_progress(results, lambda: count_documents(paths, self.reading.globs)):
            seen += 1
            if isinstance(result.item, ReadError):
                self.status.report(str(result.item))
                continue
            for warning in result.document.warnings:
                self.status.warn(f"{result.document.name}: {warning}")
            if self.save_text:
                save_text(Path(self.save_text), result.item)
            yield result
        if not seen:  # an empty folder, or globs that match nothing: say so rather than print an empty table
            self.status.report(
                f"no documents matched in {', '.join(paths)} (looked for {' '.join(self.reading.globs)})"
            )


def input_options(func: Callable) -> Callable:
    """Options shared by every command that reads documents, passed to it as one ``inputs: Inputs``."""

    @functools.wraps(func)
    def command(
        *args: Any,
        strict: bool,
        max_size: int,
        max_pages: int,
        save_text: str | None,
        workers: int | None,
        model: str | None,
        gazetteers: tuple[str, ...],
        globs: tuple[str, ...],
        **kwargs: Any,
    ) -> Any:
        from nhsx.run import Reading

        reading = Reading(tuple(globs) or DEFAULT_GLOBS, max_size * 1024 * 1024, max_pages, workers)
        inputs = Inputs(RunStatus(strict), reading, gazetteers, model, save_text)
        return func(*args, inputs=inputs, **kwargs)

    options = (
        click.option(
            "--strict",
            is_flag=True,
            help="Stop at the first file that cannot be read, or is read with a loss (a warning).",
        ),
        click.option(
            "--max-size",
            type=click.IntRange(min=1),
            default=200,
            show_default=True,
            metavar="MB",
            help="Files larger than this (or unpacking to more) are reported and skipped.",
        ),
        click.option(
            "--max-pages",
            type=click.IntRange(min=1),
            default=5000,
            show_default=True,
            metavar="N",
            help="Read at most the first N pages of a PDF (a warning says when a PDF has more).",
        ),
        click.option(
            "--save-text",
            type=click.Path(file_okay=False),
            metavar="DIR",
            help="Also write the plain text analysed for each document (offsets refer to it).",
        ),
        click.option(
            "--workers",
            type=click.IntRange(min=1),
            metavar="N",
            help="Worker processes (default: every core, one for a single file).",
        ),
        click.option(
            "--model",
            metavar="NAME_OR_PATH",
            help="Also use an installed spaCy pipeline's PERSON/ORG entities to fill gaps.",
        ),
        click.option(
            "--gazetteer",
            "gazetteers",
            multiple=True,
            type=click.Path(exists=True),
            help=GAZETTEER_HELP,
        ),
        click.option(
            "--glob",
            "globs",
            multiple=True,
            metavar="PATTERN",
            help=f"File name patterns to read in folders (repeatable; default {' '.join(DEFAULT_GLOBS)}).",
        ),
    )
    for option in options:
        command = option(command)
    return command


def entries_of(nlp: Language) -> dict[str, Any]:
    """The pipeline's gazetteer entries by id."""
    from nhsx.nlp.pipeline import gazetteer_of

    return gazetteer_of(nlp).entries


NOT_LOOKED_UP = object()  # on_date's ``found`` when the caller has not looked the document's date up


def on_date(
    result: Processed, as_of: Any, dating: Any, entries: dict[str, Any], found: Any = NOT_LOOKED_UP
) -> list[Mention]:
    """A document's mentions, each organisation mapped to the body holding its role on the --as-of date
    (auto: on the document's own date, ``found`` if already looked up); unmapped without --as-of."""
    from nhsx.analyse.timeline import map_as_of
    from nhsx.read.dates import first_day

    if as_of is None:
        return result.mentions
    if as_of == "auto":
        document = result.document
        if found is NOT_LOOKED_UP:  # (looked up once: each undated document is counted in dating's notes)
            found = dating.date_of(document.name, document.text, document.metadata_date)
        day = first_day(found.date) if found else None
    else:
        day = as_of
    return map_as_of(result.mentions, day, entries) if day is not None else result.mentions


def load_pipeline(gazetteers: Sequence[str], model: str | None, status: RunStatus) -> Language:
    from nhsx.nlp.pipeline import build_pipeline, gazetteer_of

    try:
        nlp = build_pipeline(gazetteers, model)
    except OSError as exc:
        raise click.BadParameter(str(exc).splitlines()[0], param_hint="--model") from None
    matcher = gazetteer_of(nlp)
    try:
        _ = matcher.entries  # load now so gazetteer problems are reported before any output
    except Exception as exc:  # GazetteerError: missing folder, nothing to load
        raise click.ClickException(str(exc)) from None
    for problem in matcher.problems:
        status.report(str(problem))
    return nlp


def with_progress(results: Iterable[Any], total: Callable[[], int]) -> Iterator[Any]:
    """A progress bar on stderr when it is a terminal (documents done of ``total()``, time left); nothing
    otherwise, so machine formats and logs stay clean."""
    if not sys.stderr.isatty():
        yield from results
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    columns = (TextColumn("documents"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("extract", total=total())
        for result in results:
            yield result
            bar.advance(task)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="nhsx")
def cli() -> None:
    """Extract NHS bodies, structures, policies and people from policy documents."""


def document_dates(paths: Sequence[str], dates_file: str | None) -> Any:
    """The dating of this run's documents: the dates.csv of each folder given (or holding a file given), then
    --dates FILE (whose rows win)."""
    from nhsx.read.dates import DATES_FILE, DatesError, DocumentDates, load_dates

    folders = dict.fromkeys(Path(p) if Path(p).is_dir() else Path(p).parent for p in paths if p != "-")
    found = [str(folder / DATES_FILE) for folder in folders if (folder / DATES_FILE).is_file()]
    for path in found:
        click.echo(f"reading dates from {path}", err=True)
    try:
        named = load_dates([dates_file] if dates_file else [])
        return DocumentDates({**load_dates(found), **named}, checked=frozenset(named))
    except DatesError as exc:
        raise click.ClickException(str(exc)) from None


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--mentions", "show_mentions", is_flag=True, help="One row per mention instead of one per entity.")
@output_options("rows", output_help="Write to this file (atomically) instead of stdout.")
@labels_option()
@as_of_option()
@click.option("--by", type=click.Choice(PERIODS), help="One entity table per period of the documents' dates.")
@dates_option
@input_options
def extract(
    paths: tuple[str, ...],
    show_mentions: bool,
    fmt: str,
    output: str | None,
    labels: tuple[str, ...],
    as_of: Any,
    by: str | None,
    dates_file: str | None,
    inputs: Inputs,
) -> None:
    """Find mentions in PATHS (files, folders, or - for stdin).

    Prints a table of entities by default; --mentions lists every mention with its offsets.
    """
    from nhsx.analyse.entities import EntityTable
    from nhsx.write.rows import write_records

    fmt = output_format(fmt, output, formats("rows"))
    inputs.check_outputs(paths, output)
    status = inputs.status
    nlp = inputs.pipeline()
    wanted = {label.upper() for label in labels}

    entries = entries_of(nlp)
    dating = document_dates(paths, dates_file) if by or as_of == "auto" else None

    def keep(result: Any) -> tuple[str | None, list]:
        """The document's period (with --by) and its mentions, mapped --as-of and filtered by --label."""

        document, period, found = result.document, None, None
        if dating is not None:
            if by:
                period, found = dating.period(document.name, document.text, document.metadata_date, by)
            else:
                found = dating.date_of(document.name, document.text, document.metadata_date)
        mentions = on_date(result, as_of, dating, entries, found)
        return period, [m for m in mentions if not wanted or m.label in wanted]

    with output_stream(output) as stream:
        results = inputs.processed(paths, nlp)
        if show_mentions:
            rows = ({**({"period": p} if by else {}), **m.to_dict()} for p, kept in map(keep, results) for m in kept)
            write_records(
                rows, fmt, (("period",) if by else ()) + tuple(Mention.field_names()), stream, title="Mentions"
            )
        elif by:
            from nhsx.analyse.timeline import PeriodTables

            tables = PeriodTables()
            for period, kept in map(keep, results):
                assert period is not None  # --by gives every document a period
                tables.add_document(period, kept)
            write_records(tables.rows(), fmt, ("period",) + ENTITY_COLUMNS, stream, title=f"Entities by {by}")
        else:
            table = EntityTable()
            for _, kept in map(keep, results):
                table.add_document(kept)
            write_records((r.to_dict() for r in table.rows()), fmt, ENTITY_COLUMNS, stream, title="Entities")
    for line in dating.notes(by) if dating else ():
        click.echo(line, err=True)
    sys.exit(status.exit_code)


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
@output_options("rows", "glossary", output_help="Write to this file (atomically).")
@click.option(
    "--min-count", type=click.IntRange(min=1), default=1, show_default=True, help="Only acronyms used this often."
)
@click.option(
    "--source",
    "sources",
    multiple=True,
    type=click.Choice(("text", "gazetteer", "unknown")),
    help="Only these sources (repeatable).",
)
@input_options
def glossary(
    paths: tuple[str, ...],
    per_doc: bool,
    fmt: str,
    output: str | None,
    min_count: int,
    sources: tuple[str, ...],
    inputs: Inputs,
) -> None:
    """Build an acronym glossary from PATHS: each acronym used, what it stands for (defined in the
    text, known to nhsx, or unknown), how often and where it was first used."""
    from nhsx.analyse.glossary import Glossary, acronym_index
    from nhsx.write.rows import write_records

    fmt = output_format(fmt, output, formats("rows", "glossary"))
    inputs.check_outputs(paths, output)
    status = inputs.status
    nlp = inputs.pipeline()
    built = Glossary(acronym_index(entries_of(nlp).values()), per_doc=per_doc)
    for result in inputs.processed(paths, nlp):
        built.add_document(result.document.name, result.document.text, result.definitions)
    entries = [e for e in built.entries() if e.count >= min_count and (not sources or e.source in sources)]
    columns = (("doc",) if per_doc else ()) + GLOSSARY_COLUMNS
    with output_stream(output) as stream:
        if fmt in WRITERS["glossary"]:
            write("glossary", fmt, entries, stream)
        elif fmt in ("json", "jsonl"):
            write_records((e.to_dict() for e in entries), fmt, columns, stream)
        else:
            write_records(glossary_rows(entries, per_doc), fmt, columns, stream, title="Glossary")
    sys.exit(status.exit_code)


def draw(
    table: Any,
    labels: Sequence[str],
    pair: Any,
    entity: str | None,
    min_count: int,
    sort: str,
    top: int,
    path: str,
) -> None:
    """The picture: every pair passing the filters, of which the plot keeps the --plot-top entities by degree."""
    from nhsx.write.network import to_graph
    from nhsx.write.plot import PlotError, plot_network

    rows = table.pairs(labels=labels, pair=pair, entity=entity, min_count=min_count, sort=sort)
    try:
        plot_network(
            to_graph(table.nodes(), rows),
            path,
            measure=sort,
            top=top,
            title=f"nhsx cooccur: {table.window} window",
        )
    except PlotError as exc:
        raise click.ClickException(str(exc)) from None


@cli.command()
@click.argument("paths", nargs=-1)
@click.option(
    "--from-mentions",
    type=click.Path(exists=True, dir_okay=False),
    help="Use a saved `nhsx extract --mentions -f jsonl` file instead of reading documents.",
)
@click.option(
    "--window", type=click.Choice(WINDOWS), default="sentence", show_default=True, help="What counts as together."
)
@labels_option("Pairs with this label on either side (repeatable).")
@click.option("--pair", "pair_text", metavar="LABEL:LABEL", help="Pairs of these two labels, e.g. BODY:POLICY.")
@click.option("--entity", metavar="NAME", help="Pairs involving this entity (canonical name or id).")
@click.option(
    "--min-count",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Only pairs named together in at least N windows.",
)
@click.option(
    "--top", type=click.IntRange(min=1), help="Only the first N pairs after sorting (table, files, --matrix)."
)
@click.option(
    "--sort",
    type=click.Choice(SORTS),
    default=COUNT,
    show_default=True,
    help="Order pairs by the count or an association measure.",
)
@click.option("--matrix", is_flag=True, help="An entity-by-entity count matrix as CSV instead.")
@click.option(
    "--plot",
    "plot_path",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Also draw the network (.png, .svg, or .html for an interactive page; needs nhsx[plot]).",
)
@click.option(
    "--plot-top",
    type=click.IntRange(min=1),
    default=30,
    show_default=True,
    metavar="N",
    help="Entities the --plot picture draws: the N with the most pair counts.",
)
@as_of_option()
@dates_option
@output_options("rows", "network", output_help="Write to this file (atomically).")
@input_options
def cooccur(
    paths: tuple[str, ...],
    from_mentions: str | None,
    window: str,
    labels: tuple[str, ...],
    pair_text: str | None,
    entity: str | None,
    min_count: int,
    top: int | None,
    sort: str,
    fmt: str,
    matrix: bool,
    plot_path: str | None,
    plot_top: int,
    as_of: Any,
    dates_file: str | None,
    output: str | None,
    inputs: Inputs,
) -> None:
    """Which entities are mentioned together in PATHS, with counts and association measures
    (PMI, NPMI, Dice, G2), as a table, CSV, JSON or a network for Gephi, Cytoscape and networkx."""
    from nhsx.analyse.cooccur import (
        PAIR_COLUMNS,
        Cooccurrence,
        parse_pair,
        saved_mentions,
    )
    from nhsx.write.network import to_graph, write_matrix
    from nhsx.write.rows import write_records

    if bool(paths) == bool(from_mentions):
        raise click.UsageError("give PATHS to read, or --from-mentions FILE (not both)")
    if from_mentions and as_of == "auto":
        raise click.BadParameter("auto needs the documents (PATHS) to date them", param_hint="--as-of")
    try:
        pair = parse_pair(pair_text) if pair_text else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--pair") from None
    if output and plot_path and os.path.realpath(output) == os.path.realpath(plot_path):
        raise click.UsageError("-o and --plot name the same file")
    table_wanted = not plot_path or bool(fmt or output or matrix)  # --plot alone draws, it does not also print
    fmt = output_format(fmt, output, formats("rows", "network"))
    inputs.check_outputs(paths + ((from_mentions,) if from_mentions else ()), output, plot_path)
    status = inputs.status
    table = Cooccurrence(window)
    if from_mentions:
        documents: Iterable[list[Any]] = saved_mentions(from_mentions, status.report)
        if as_of is not None:
            from nhsx.analyse.timeline import map_as_of
            from nhsx.knowledge.gazetteer import Gazetteer

            entries = {e.id: e for e in Gazetteer.load(inputs.gazetteers)}
            documents = (map_as_of(mentions, as_of, entries) for mentions in documents)
    else:
        nlp = inputs.pipeline()
        dating = document_dates(paths, dates_file) if as_of == "auto" else None
        entries = entries_of(nlp)
        documents = (on_date(result, as_of, dating, entries) for result in inputs.processed(paths, nlp))
    for mentions in documents:
        table.add_document(mentions)
    rows = table.pairs(labels=labels, pair=pair, entity=entity, min_count=min_count, sort=sort, top=top)
    if plot_path:
        draw(table, labels, pair, entity, min_count, sort, plot_top, plot_path)
    if not table_wanted:
        sys.exit(status.exit_code)
    with output_stream(output) as stream:
        if matrix:
            write_matrix(*Cooccurrence.matrix(rows), stream)
        elif fmt in WRITERS["network"]:
            write("network", fmt, to_graph(table.nodes(), rows), stream)
        else:
            write_records((r.to_dict() for r in rows), fmt, PAIR_COLUMNS, stream, title=f"Co-occurrence by {window}")
    sys.exit(status.exit_code)


@cli.command()
@click.option(
    "--gold",
    "gold_files",
    multiple=True,
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Gold JSON Lines file (repeatable).",
)
@click.argument("docs_dir", type=click.Path(exists=True, file_okay=False))
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(formats("evaluation")),
    default=DEFAULT,
    show_default=True,
    help="A table of scores, or JSON (with --errors, every error as a record).",
)
@click.option(
    "--errors", "show_errors", is_flag=True, help="List every false positive and false negative with context."
)
@click.option("--gazetteer", "gazetteers", multiple=True, type=click.Path(exists=True), help=GAZETTEER_HELP)
@click.option("--model", metavar="NAME_OR_PATH", help=MODEL_HELP)
def evaluate(
    gold_files: tuple[str, ...],
    docs_dir: str,
    fmt: str,
    show_errors: bool,
    gazetteers: tuple[str, ...],
    model: str | None,
) -> None:
    """Score extraction on the documents of gold files: strict and lenient P/R/F1 per label, canonical
    accuracy, and glossary P/R.

    \b
    A gold file is JSON Lines, one document a line, named relative to DOCS_DIR:
      {"doc": "report.pdf",
       "entities": [{"start": 10, "end": 21, "text": "NHS England", "label": "BODY",
                     "canonical": "NHS England"}, ...],
       "glossary": [{"acronym": "ICB", "expansion": "integrated care board"}, ...]}
    Offsets are characters of the text nhsx reads from the file (see extract --save-text); "canonical"
    may be left out (then the text is its own canonical name), and so may "glossary" (then the glossary
    is not scored). Labels: BODY, ORG_TYPE, POLICY, PERSON."""
    from nhsx.analyse.evaluate import GoldError, evaluate_gold

    status = RunStatus()
    nlp = load_pipeline(gazetteers, model, status)
    try:
        report = evaluate_gold(nlp, list(gold_files), Path(docs_dir))
    except GoldError as exc:
        raise click.ClickException(str(exc)) from None
    with output_stream(None) as stdout:
        write("evaluation", fmt, report, show_errors, stdout)
    sys.exit(status.exit_code)


@cli.group()
def gazetteer() -> None:
    """Inspect, validate and build gazetteers."""


@gazetteer.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
def gazetteer_validate(paths: tuple[str, ...]) -> None:
    """Check gazetteer files (default: the built-ins); one line per problem, exit 1 if any."""
    from nhsx.knowledge.gazetteer import GazetteerError, builtin_dir, validate_paths

    try:
        problems, count = validate_paths(list(paths) or [builtin_dir()])
    except GazetteerError as exc:
        raise click.ClickException(str(exc)) from None
    for problem in problems:
        click.echo(printable(str(problem)), err=True)
    click.echo(f"{count} entries, {len(problems)} problems", err=True)
    sys.exit(1 if problems else 0)


LIST_COLUMNS = ("id", "label", "canonical", "kind", "acronyms")


@gazetteer.command("list")
@labels_option(labels=LABELS)
@output_options("rows", "entries")
@click.option("--gazetteer", "gazetteers", multiple=True, type=click.Path(exists=True), help=GAZETTEER_HELP)
def gazetteer_list(labels: tuple[str, ...], fmt: str | None, output: str | None, gazetteers: tuple[str, ...]) -> None:
    """List gazetteer entries: a table or CSV of the main fields; JSON (an array), JSON Lines or YAML with
    every field of every entry."""
    from nhsx.knowledge.gazetteer import Gazetteer, GazetteerError

    fmt = output_format(fmt, output, formats("rows", "entries"))
    try:
        check_outputs([], (), None, output)
    except OutputError as exc:
        raise BadOutput(str(exc)) from None
    try:
        loaded = Gazetteer.load(gazetteers)
    except GazetteerError as exc:
        raise click.ClickException(str(exc)) from None
    wanted = {label.upper() for label in labels}
    entries = [e for e in loaded if not wanted or e.label in wanted]
    if fmt in ("table", "csv"):
        rows: Iterable[dict[str, Any]] = (
            {"id": e.id, "label": e.label, "canonical": e.canonical, "kind": e.kind, "acronyms": list(e.acronyms)}
            for e in entries
        )
    else:
        rows = (e.to_dict() for e in entries)
    with output_stream(output) as stream:
        kind = "rows" if fmt in WRITERS["rows"] else "entries"
        write(kind, fmt, rows, LIST_COLUMNS, stream, f"{len(entries)} entries")


@gazetteer.command("import-ods")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The gazetteer YAML to write.")
@click.option("--what", type=click.Choice(ODS_WHAT), help="Which organisations to emit (default: all the files allow).")
def gazetteer_import_ods(files: tuple[str, ...], output: str, what: str | None) -> None:
    """Convert NHS Organisation Data Service extracts (etr.csv, eccg.csv, the ICB names-and-codes
    file, the GP-practice map) into an nhsx gazetteer file."""
    from nhsx.knowledge.ods import OdsError, generate

    try:
        check_outputs(files, (), None, output)
    except OutputError as exc:
        raise BadOutput(str(exc)) from None
    try:
        text = generate(list(files), what)
    except OdsError as exc:
        raise click.ClickException(str(exc)) from None
    with atomic_output(output) as stream:
        stream.write(text)
    click.echo(f"{output}: written from {len(files)} file(s)", err=True)


@gazetteer.command("refresh-ods")
@click.argument("reference_dir", type=click.Path(exists=True, file_okay=False))
@click.option(
    "--root",
    type=click.Path(file_okay=False),
    default=".",
    show_default=True,
    help="The checkout whose gazetteers/ods/ files are rewritten.",
)
def gazetteer_refresh_ods(reference_dir: str, root: str) -> None:
    """Rebuild the built-in ODS gazetteers (gazetteers/ods/*.yaml under --root) from a folder holding the
    ODS extracts they were made from (etr.csv, eccg.csv, the ICB file and the GP-practice map)."""
    from nhsx.knowledge.ods import REFRESH, OdsError, regenerate

    missing = sorted({f for item in REFRESH for f in item.files if not (Path(reference_dir) / f).is_file()})
    if missing:
        raise click.ClickException(f"{reference_dir}: missing {', '.join(missing)}")
    try:
        written = regenerate(reference_dir, root)
    except OdsError as exc:
        raise click.ClickException(str(exc)) from None
    for path in written:
        click.echo(f"{path}: written", err=True)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--entity",
    "entities",
    multiple=True,
    required=True,
    metavar="NAME_OR_ID",
    help="The entity: canonical name, id, alias or acronym, any case (repeatable); a name nhsx does not know is looked for among the names found in the run.",
)
@labels_option("Only mentions with these labels (repeatable).")
@click.option(
    "--width",
    type=click.IntRange(min=0),
    default=40,
    show_default=True,
    metavar="N",
    help="Characters of context on each side.",
)
@output_options("rows", output_help="Write to this file (atomically) instead of stdout.")
@as_of_option(auto=False)
@input_options
def context(
    paths: tuple[str, ...],
    entities: tuple[str, ...],
    labels: tuple[str, ...],
    width: int,
    fmt: str,
    output: str | None,
    as_of: Any,
    inputs: Inputs,
) -> None:
    """Every mention of an entity in PATHS with the words around it (a concordance), whatever form the
    text used, aligned on the mention, with its document and page."""
    from nhsx.analyse.context import (
        CONTEXT_COLUMNS,
        Concordance,
        EntityIndex,
        looks_like_id,
        nearest,
        write_concordance,
    )
    from nhsx.write.rows import write_records

    fmt = output_format(fmt, output, formats("rows"))
    inputs.check_outputs(paths, output)
    status = inputs.status
    nlp = inputs.pipeline()
    entries = entries_of(nlp)
    index = EntityIndex.of(entries)
    queries = [index.query(name, entries) for name in entities]
    for query in queries:  # ids come only from gazetteers: an unknown one is a typo, told before any reading
        if not query.known and looks_like_id(query.name):
            raise click.BadParameter(
                f"no gazetteer entry has the id {query.name!r}{did_you_mean(nearest(query.name, index.display.values()))}",
                param_hint="--entity",
            )
    concordance = Concordance(queries, labels, width)

    def rows() -> Iterator[Any]:
        for result in inputs.processed(paths, nlp):
            mentions = result.mentions
            if as_of is not None:
                from nhsx.analyse.timeline import map_as_of

                mentions = map_as_of(mentions, as_of, entries)
            yield from concordance.add_document(result.document.text, mentions)

    def check() -> None:
        """A name nhsx did not know and the run did not find is an error; a known entity not mentioned is not."""
        missing = []
        for query in concordance.unmatched():
            if query.known:
                click.echo(f"no mentions of {query.name!r} in these documents", err=True)
            else:
                near = nearest(query.name, concordance.seen) or nearest(query.name, index.display.values())
                missing.append(f"no mentions of {query.name!r}{did_you_mean(near)}")
        if missing:
            raise click.ClickException("; ".join(missing))

    with output_stream(output) as stream:
        if fmt == "table":
            found = list(rows())  # a few short strings per mention: the texts themselves are not kept
            if found:
                names = sorted({r.canonical for r in found})
                write_concordance(
                    found, stream, title=f"{len(found)} mention{'s' * (len(found) != 1)} of {', '.join(names)}"
                )
            check()
        else:
            write_records((r.to_dict() for r in rows()), fmt, CONTEXT_COLUMNS, stream)
            check()
    sys.exit(status.exit_code)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False), help="The HTML file to write (atomically)."
)
@as_of_option()
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="Entities in the network picture, and pairs listed.",
)
@dates_option
@input_options
def report(
    paths: tuple[str, ...],
    output: str,
    as_of: Any,
    top: int,
    dates_file: str | None,
    inputs: Inputs,
) -> None:
    """One self-contained HTML page of PATHS for reading offline: corpus summary, a sortable and filterable
    entity table, every document with its mentions highlighted, glossary, co-occurrence network and timeline."""
    from nhsx.analyse.glossary import acronym_index
    from nhsx.write.html_report import ReportBuilder

    inputs.check_outputs(paths, output)
    status = inputs.status
    nlp = inputs.pipeline()
    entries = entries_of(nlp)
    dating = document_dates(paths, dates_file)
    builder = ReportBuilder(acronym_index(entries.values()), top=top)
    for result in inputs.processed(paths, nlp):
        document = result.document
        found = dating.date_of(document.name, document.text, document.metadata_date)
        mentions = on_date(result, as_of, dating, entries, found)
        builder.add_document(document.name, document.text, mentions, result.definitions, found.date if found else None)
    for line in dating.notes():
        click.echo(line, err=True)
    with atomic_output(output) as stream:
        stream.write(builder.page(f"nhsx report: {len(builder.parts):,} documents"))
    click.echo(f"{output}: written ({len(builder.parts):,} documents)", err=True)
    sys.exit(status.exit_code)


def did_you_mean(names: Sequence[str]) -> str:
    return f" (nearest: {', '.join(names)})" if names else " (nothing close)"


def followed(
    timeline: Any, names: Sequence[str], labels: Sequence[str], top: int, entries: Any, status: RunStatus
) -> list:
    """The entities a timeline follows: each --entity (a name naming nothing is a problem), else the --top."""
    if not names:
        return timeline.top(top, labels)
    keys: list = []
    for name in names:
        found = timeline.find(name, entries, labels)
        if not found:
            status.report(f"--entity {name!r}: no such entity in the gazetteers or the documents")
        keys += [key for key in found if key not in keys]
    return keys


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--entity",
    "names",
    multiple=True,
    metavar="NAME",
    help="An entity to follow (repeatable): name, acronym, alias or gazetteer id. Default: the --top most mentioned.",
)
@labels_option("Only entities with these labels (repeatable).")
@click.option("--by", type=click.Choice(PERIODS), default="year", show_default=True, help="The period to count by.")
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=8,
    show_default=True,
    help="Without --entity: the N most mentioned entities.",
)
@dates_option
@click.option(
    "--plot",
    "plot_path",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Also draw the timeline: mentions per 10,000 words, and documents, per period (.png or .svg; needs nhsx[plot]).",
)
@output_options("rows", output_help="Write to this file (atomically).")
@input_options
def timeline(
    paths: tuple[str, ...],
    names: tuple[str, ...],
    labels: tuple[str, ...],
    by: str,
    top: int,
    dates_file: str | None,
    plot_path: str | None,
    fmt: str,
    output: str | None,
    inputs: Inputs,
) -> None:
    """How often entities are named in PATHS period by period: mentions, documents naming them and mentions
    per 10,000 words, by year, quarter or month of the documents' dates (see --dates)."""
    from nhsx.analyse.timeline import TIMELINE_COLUMNS, Timeline, word_count
    from nhsx.read.dates import UNDATED
    from nhsx.write.plot import PlotError, plot_timeline
    from nhsx.write.rows import write_records

    if output and plot_path and os.path.realpath(output) == os.path.realpath(plot_path):
        raise click.UsageError("-o and --plot name the same file")
    fmt = output_format(fmt, output, formats("rows"))
    inputs.check_outputs(paths, output, plot_path)
    status = inputs.status
    nlp = inputs.pipeline()
    dating = document_dates(paths, dates_file)
    built = Timeline(by)
    for result in inputs.processed(paths, nlp):
        document = result.document
        period, _ = dating.period(document.name, document.text, document.metadata_date, by)
        if period != UNDATED:
            built.add_document(period, word_count(document.text), result.mentions)
    for line in dating.notes(by):
        click.echo(line, err=True)
    keys = followed(built, names, labels, top, entries_of(nlp), status)
    if plot_path:
        try:
            plot_timeline(*built.chart(keys), plot_path, title=f"nhsx timeline: mentions by {by}")
        except PlotError as exc:
            raise click.ClickException(str(exc)) from None
    with output_stream(output) as stream:
        write_records((r.to_dict() for r in built.rows(keys)), fmt, TIMELINE_COLUMNS, stream, title=f"Mentions by {by}")
    sys.exit(status.exit_code)


class Stopped(BaseException):
    """Ctrl-C or SIGTERM, raised in the main process so that an output being written is abandoned
    cleanly (and, unlike KeyboardInterrupt, not turned into click's blank line and Abort)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


STOP_MESSAGES = {signal.SIGINT: "interrupted", signal.SIGTERM: "terminated"}


def _stop(signum: int, frame: Any) -> None:
    signal.signal(signum, signal.SIG_DFL)  # a second one ends the process at once
    raise Stopped(signum)


def _drop_stdout() -> None:
    """Point standard output at /dev/null: what is left in its buffer cannot fail again at exit."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def main() -> None:
    """Entry point: every failure ends with one line on stderr and its exit code: usage errors 2,
    Ctrl-C 130, SIGTERM 143 (an output being written is abandoned, the old file kept), an output
    that cannot be written 1. When the reader of a pipe goes away (`nhsx extract ... | head`) the
    run ends quietly with 0."""
    for signum in STOP_MESSAGES:
        signal.signal(signum, _stop)
    try:
        cli.main(standalone_mode=False)
    except Stopped as exc:
        click.echo(f"nhsx: {STOP_MESSAGES[signal.Signals(exc.signum)]}", err=True)
        sys.exit(128 + exc.signum)
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("nhsx: interrupted", err=True)
        sys.exit(130)
    except click.UsageError as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        click.echo(f"Error: {printable(exc.format_message())}", err=True)
        sys.exit(exc.exit_code)
    except OutputError as exc:
        if exc.name == STDOUT:
            _drop_stdout()
            if exc.errno == errno.EPIPE:
                sys.exit(0)
        click.echo(f"Error: {printable(str(exc))}", err=True)
        sys.exit(1)
