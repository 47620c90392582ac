"""The one processing path: documents -> records (``Processed``: mentions and definitions per document).

``process_documents`` runs read documents through a pipeline in one process or on worker processes
(``parallel``); ``process_paths`` reads them first (``nhsx.read``). The CLI, the Python API
(``nhsx.extract``), ``evaluate`` and the Dask partitions (``distributed``) all go through here, so every
one of them scores, counts and writes exactly the same records.
"""

from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator, Sequence

from spacy.language import Language

from nhsx.read import DEFAULT_GLOBS, read_documents
from nhsx.read.formats import DEFAULT_MAX_BYTES, DEFAULT_MAX_PAGES
from nhsx.records import Document, Mention, ReadError
from nhsx.run.parallel import default_workers, process_parallel
from nhsx.run.process import Processed


@dataclass(frozen=True)
class Reading:
    """How to read the inputs and how many worker processes to use (None: ``default_workers``)."""

    globs: tuple[str, ...] = DEFAULT_GLOBS
    max_bytes: int = DEFAULT_MAX_BYTES
    max_pages: int = DEFAULT_MAX_PAGES
    workers: int | None = None


def process_documents(nlp: Language, items: Iterable[Document | ReadError], workers: int = 1) -> Iterator[Processed]:
    """Documents through the pipeline, in order; read errors pass through with no records."""
    return process_parallel(nlp, items, workers)


def process_paths(
    nlp: Language, paths: Sequence[str], reading: Reading = Reading(), stdin: BinaryIO | None = None
) -> Iterator[Processed]:
    """Files, folders and "-" read and processed as a stream."""
    items = read_documents(paths, reading.globs, stdin, reading.max_bytes, reading.max_pages)
    return process_documents(nlp, items, reading.workers or default_workers(paths))


def extract(
    paths: str | Path | Sequence[str | Path] = (),
    *,
    text: str | None = None,
    name: str = "<text>",
    gazetteers: Sequence[str | Path] = (),
    model: str | None = None,
    nlp: Language | None = None,
    globs: Sequence[str] = DEFAULT_GLOBS,
) -> list[Mention]:
    """The Python API: the same mention records as ``nhsx extract --mentions``.

    ``nhsx.extract("reports/")`` reads files and folders; ``nhsx.extract(text="...")`` one string.
    Files that cannot be read are skipped with a warning.
    """
    from nhsx.nlp.pipeline import build_pipeline

    nlp = nlp or build_pipeline(gazetteers, model)
    if isinstance(paths, (str, Path)):
        paths = [paths]
    items = read_documents([str(p) for p in paths], globs)
    if text is not None:
        items = itertools.chain(items, [Document(name, text)])
    mentions: list[Mention] = []
    for result in process_documents(nlp, items):
        if isinstance(result.item, ReadError):
            warnings.warn(str(result.item), stacklevel=2)
        mentions.extend(result.mentions)
    return mentions


__all__ = ["Processed", "Reading", "extract", "process_documents", "process_paths"]
