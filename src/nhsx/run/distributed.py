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

from nhsx.read import DEFAULT_GLOBS, Source, read_source
from nhsx.read import sources as find_sources
from nhsx.read.formats import DEFAULT_MAX_BYTES
from nhsx.records import Mention, ReadError


@dataclass(frozen=True)
class DocumentResult:
    doc: str
    mentions: list[Mention] = field(default_factory=list)
    error: str | None = None  # the one-line problem when the file could not be read


def document_sources(paths: Iterable[str], globs: Sequence[str] = DEFAULT_GLOBS) -> list[Source]:
    """The documents behind files and folders, named as ``nhsx extract`` names them."""
    return list(find_sources(paths, globs))


def extract_partition(
    sources: Iterable[Source],
    gazetteers: Sequence[str] = (),
    model: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[DocumentResult]:
    """One partition: read its files and run the pipeline over them (one pipeline per partition)."""
    from nhsx.nlp.pipeline import build_pipeline
    from nhsx.run import process_documents

    nlp = build_pipeline(gazetteers, model)
    results = []
    for result in process_documents(nlp, (read_source(s, max_bytes) for s in sources)):
        if isinstance(result.item, ReadError):
            results.append(DocumentResult(result.item.name, error=result.item.message))
        else:
            results.append(DocumentResult(result.item.name, result.mentions))
    return results


def results_bag(
    paths: Iterable[str],
    *,
    npartitions: int | None = None,
    gazetteers: Sequence[str] = (),
    model: str | None = None,
    globs: Sequence[str] = DEFAULT_GLOBS,
    max_bytes: int = DEFAULT_MAX_BYTES,
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
