"""Processing documents on several cores.

spaCy's own ``nlp.pipe(n_process=...)`` sends whole Doc objects back to the parent, which was
measured slower than one process for a pipeline this light. Here each worker holds its own
pipeline (inherited from the parent by fork, so it is built once) and sends back only the small
mention and definition records. Batches are submitted a few at a time, so reading stays streamed
and memory does not grow with the corpus; results come back in input order, as with one worker.

While documents stream through, the objects that already exist (the pipeline, its gazetteer
tables) are frozen out of the garbage collector: otherwise every full collection walks them again,
and in forked workers that walk writes to every page they share with the parent, copying it.

Ctrl-C and SIGTERM are the parent's to answer: it stops the pool (which ends each worker with
SIGTERM) and cleans up, so workers ignore Ctrl-C and die silently on SIGTERM instead of printing
tracebacks. Both signals are blocked while workers are forked, so none arrives before that is set.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections import deque
from contextlib import ExitStack, contextmanager
from typing import Any, Iterable, Iterator, Sequence

from nhsx.nlp.abbreviations import Definition
from nhsx.records import Document, Mention, ReadError
from nhsx.run.process import BATCH_SIZE, Processed, process

IN_FLIGHT_PER_WORKER = 2  # batches queued per worker: enough to keep every core busy
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)

# The pipeline of this worker process, set once by the pool initializer (per process, never shared).
_worker_nlp: Any = None


def default_workers(paths: Sequence[str]) -> int:
    """All cores, but one for a single file or stdin (starting workers would cost more than it saves)."""
    if len(paths) == 1 and not os.path.isdir(paths[0]):
        return 1
    return os.cpu_count() or 1


def _init_worker(nlp: Any) -> None:
    global _worker_nlp
    _worker_nlp = nlp
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)


@contextmanager
def _stop_signals_blocked() -> Iterator[None]:
    """Held back (not lost) while workers are forked: a forked worker starts with them blocked."""
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)


def _run_batch(batch: list[Document]) -> list[tuple[list[Mention], list[Definition]]]:
    return [(r.mentions, r.definitions) for r in process(_worker_nlp, batch)]


def _batches(items: Iterable[Document | ReadError], size: int) -> Iterator[list[Document | ReadError]]:
    batch: list[Document | ReadError] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _merge(
    batch: list[Document | ReadError], results: list[tuple[list[Mention], list[Definition]]]
) -> Iterator[Processed]:
    found = iter(results)
    for item in batch:
        if isinstance(item, Document):
            mentions, definitions = next(found)
            yield Processed(item, mentions, definitions)
        else:
            yield Processed(item, [], [])


@contextmanager
def _long_lived_objects_frozen() -> Iterator[None]:
    if gc.get_freeze_count():  # the caller froze its objects already: leave that to the caller
        yield
        return
    gc.collect()  # what is garbage now would otherwise be kept until the end
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def process_parallel(
    nlp: Any, items: Iterable[Document | ReadError], workers: int, batch_size: int = BATCH_SIZE
) -> Iterator[Processed]:
    """Like ``mentions.process``, on ``workers`` processes; the same records in the same order."""
    nlp("The NHS.")  # compile everything lazy first, so it is frozen (and inherited by workers) built
    with _long_lived_objects_frozen():
        if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
            yield from process(
                nlp, items, batch_size
            )  # no fork (Windows): one process rather than rebuilding per worker
            return
        yield from _on_workers(nlp, items, workers, batch_size)


def _on_workers(nlp: Any, items: Iterable[Document | ReadError], workers: int, batch_size: int) -> Iterator[Processed]:
    context = multiprocessing.get_context("fork")
    with ExitStack() as stack:
        with _stop_signals_blocked():  # a signal held back is raised on leaving: the pool is stopped then
            pool = stack.enter_context(context.Pool(workers, initializer=_init_worker, initargs=(nlp,)))
        pending: deque[tuple[list[Document | ReadError], Any]] = deque()
        for batch in _batches(items, batch_size):
            documents = [item for item in batch if isinstance(item, Document)]
            pending.append((batch, pool.apply_async(_run_batch, (documents,))))
            if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                done, result = pending.popleft()
                yield from _merge(done, result.get())
        while pending:
            done, result = pending.popleft()
            yield from _merge(done, result.get())
