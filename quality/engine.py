"""Engines: score a stream of records in this process, a pool of local processes, or on a
Dask cluster.

Each worker loads the model and the dictionaries once, then scores batches; the results come
back in input order, with at most a few batches in flight, so memory stays bounded however
long the input is.
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

__all__ = ["score_on_dask", "score_records"]

_WORKER_MODEL: Any = None


def _init_worker(model_path: str | None) -> None:
    global _WORKER_MODEL  # one model per worker process, loaded once
    _WORKER_MODEL = default_model(model_path)


def _score_chunk(chunk: list[Article | RecordError | dict[str, Any] | str]) -> list[Report | RecordError]:
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


def _dask_chunk(chunk: list[Article | RecordError], model_path: str | None) -> list[Report | RecordError]:
    """Score one batch on a Dask worker; the model is loaded once per worker process."""
    return list(score_many(chunk, default_model(model_path), on_error="yield", batch_size=len(chunk) or 1))


def score_on_dask(
    records: Iterable[Article | RecordError | dict[str, Any] | str],
    client: Any,
    model: str | Path | None = None,
    batch_size: int = BATCH,
    in_flight: int | None = None,
) -> Iterator[Report | RecordError]:
    """Reports (or error rows) for ``records``, in order, scored on a Dask cluster.

    ``client`` is a ``distributed.Client``. Batches are submitted as the input is read, at most
    ``in_flight`` at once (default: twice the cluster's threads), and yielded in input order.
    ``model`` must be a path every worker can read (None: the model shipped with the package,
    which must be installed on the workers).
    """
    path = None if model is None else str(Path(model).resolve())
    if in_flight is None:
        in_flight = max(2 * sum(client.nthreads().values()), 2)
    iterator = iter(records)
    chunks = iter(lambda: list(itertools.islice(iterator, batch_size)), [])
    pending: deque[Any] = deque()
    for number, chunk in enumerate(chunks):
        pending.append(
            client.submit(_dask_chunk, chunk, path, key=f"quality-batch-{number}-{id(pending)}", pure=False)
        )
        if len(pending) >= in_flight:
            future = pending.popleft()
            yield from future.result()
            future.release()
    while pending:
        future = pending.popleft()
        yield from future.result()
        future.release()
