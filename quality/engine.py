"""Engines: score a stream of records in this process or in a pool of local processes.

Each worker process loads the model and the dictionaries once, then scores batches; the
results come back in input order, with at most a few batches in flight, so memory stays
bounded however long the input is.
"""

from __future__ import annotations

import itertools
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from quality.article import Article, RecordError, Report
from quality.scoring import BATCH, default_model, score_many

__all__ = ["score_records"]

_WORKER_MODEL: Any = None


def _init_worker(model_path: str | None) -> None:
    global _WORKER_MODEL  # one model per worker process, loaded once
    _WORKER_MODEL = default_model(model_path)


def _score_chunk(chunk: list[Article | RecordError]) -> list[Report | RecordError]:
    return list(score_many(chunk, _WORKER_MODEL, on_error="yield", batch_size=len(chunk) or 1))


def score_records(
    records: Iterable[Article | RecordError | dict[str, Any] | str],
    model: str | Path | None = None,
    jobs: int = 1,
    batch_size: int = BATCH,
) -> Iterator[Report | RecordError]:
    """Reports (or error rows) for ``records``, in order, using ``jobs`` processes.

    ``model`` is a path (or None for the shipped model), so each worker can load it. With
    ``jobs=1`` everything runs in this process.
    """
    if jobs < 1:
        raise ValueError(f"quality: jobs must be at least 1, got {jobs!r}")
    if jobs == 1:
        yield from score_many(records, default_model(model), on_error="yield", batch_size=batch_size)
        return
    path = None if model is None else str(model)
    default_model(path)  # fail here, once, on a bad model, before starting workers
    iterator = iter(records)
    chunks = iter(lambda: list(itertools.islice(iterator, batch_size)), [])
    # spawn, not fork: the parent may hold OpenMP threads (scikit-learn), and a forked child of
    # such a process can hang.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker, initargs=(path,)) as pool:
        pending: deque[Future[list[Report | RecordError]]] = deque()
        for chunk in chunks:
            pending.append(pool.submit(_score_chunk, chunk))
            if len(pending) >= 2 * jobs:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
