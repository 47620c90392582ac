"""Running nhsx over a partitioned corpus with Dask, for corpora that outgrow one machine.

    pip install 'nhsx[dask]'

    from dask.distributed import Client
    from nhsx.run.distributed import mentions_bag

    client = Client("scheduler-address:8786")       # or Client() for a local cluster
    mentions = mentions_bag(["board-papers/"], npartitions=64).compute()

The driver only lists the files; each partition reads its files and runs the same pipeline (built once
per partition, from the on-disk gazetteer cache) and returns the same ``Mention`` records as
``nhsx extract --mentions``. Files that cannot be read come back as ``DocumentResult.error``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from nhsx.read.files import DEFAULT_GLOBS, DEFAULT_MAX_BYTES, folder_entries, read_file
from nhsx.records import Document, Mention, ReadError


@dataclass(frozen=True)
class Source:
    """One document to read: where it is and the name its mentions carry."""

    path: str
    name: str
    problem: str | None = None  # a folder-level problem found while listing (a symbolic-link loop)


@dataclass(frozen=True)
class DocumentResult:
    doc: str
    mentions: list[Mention] = field(default_factory=list)
    error: str | None = None  # the one-line problem when the file could not be read


def document_sources(paths: Iterable[str], globs: Sequence[str] = DEFAULT_GLOBS) -> list[Source]:
    """The documents behind files and folders, named as ``nhsx extract`` names them."""
    sources = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for file, problem in folder_entries(path, globs):
                name = file.relative_to(path).as_posix()
                sources.append(Source(str(file), raw if name == "." else name, problem))
        else:
            sources.append(Source(raw, raw))
    return sources


def _read(source: Source, max_bytes: int) -> Document | ReadError:
    if source.problem:
        return ReadError(source.name, source.problem)
    if not Path(source.path).exists() and not Path(source.path).is_symlink():
        return ReadError(source.name, "no such file or directory")
    return read_file(Path(source.path), source.name, max_bytes)


def extract_partition(
    sources: Iterable[Source], gazetteers: Sequence[str] = (), model: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[DocumentResult]:
    """One partition: read its files and run the pipeline over them (one pipeline per partition)."""
    from nhsx.nlp.pipeline import build_pipeline
    from nhsx.run.process import process

    nlp = build_pipeline(gazetteers, model)
    results = []
    for result in process(nlp, (_read(s, max_bytes) for s in sources)):
        if isinstance(result.item, ReadError):
            results.append(DocumentResult(result.item.name, error=result.item.message))
        else:
            results.append(DocumentResult(result.item.name, result.mentions))
    return results


def results_bag(
    paths: Iterable[str], *, npartitions: int | None = None, gazetteers: Sequence[str] = (),
    model: str | None = None, globs: Sequence[str] = DEFAULT_GLOBS, max_bytes: int = DEFAULT_MAX_BYTES,
) -> Any:
    """A dask.bag of one DocumentResult per document, in the order ``nhsx extract`` reads them."""
    import dask.bag as db

    sources = document_sources(paths, globs)
    partitions = npartitions or max(1, min(len(sources), 100))
    bag = db.from_sequence(sources, npartitions=partitions)
    gazetteers = [str(Path(g).resolve()) for g in gazetteers]  # workers may run elsewhere
    return bag.map_partitions(extract_partition, gazetteers, model, max_bytes)


def mentions_bag(paths: Iterable[str], **options: Any) -> Any:
    """A dask.bag of the Mention records of every readable document."""
    return results_bag(paths, **options).map(lambda result: result.mentions).flatten()
