"""Engines: score a stream of records in this process, a pool of local processes, or on a
Dask cluster.

Each worker loads the model and the dictionaries once, then scores batches; the results come
back in input order, with at most a few batches in flight, so memory stays bounded however
long the input is. A local worker ends when the process that started it dies, however it dies
(``kill -9`` included), so no orphan keeps its memory.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard, cast

from quality.article import Article, RecordError, Report
from quality.artifact import check_model
from quality.batching import BATCH, FIRST_BATCH, check_stream, chunks, growing_chunks

if TYPE_CHECKING:
    from quality.model import Model

# quality.scoring (and with it scikit-learn, seconds to import) is imported where a model is
# loaded: in the workers, or here with jobs=1. A process that hands the scoring to workers
# only reads and writes, and starts them that much sooner.

__all__ = ["score_on_dask", "score_records"]

_WORKER_MODEL: Any = None
_WORKER_ERROR: Exception | None = None


def _init_worker(model: Model | str | None, parent: int, deathsig: bool) -> None:
    _end_with_parent(parent, deathsig)
    global _WORKER_MODEL, _WORKER_ERROR  # one model per worker process, loaded once
    try:
        from quality.scoring import default_model

        _WORKER_MODEL = default_model(model)
    except Exception as exc:  # noqa: BLE001 - said by the first chunk, not as a broken pool
        _WORKER_ERROR = exc


_PR_SET_PDEATHSIG = 1


def _end_with_parent(parent: int, deathsig: bool) -> None:
    """End this worker when ``parent`` dies, whatever kills it.

    On Linux the kernel sends SIGKILL at once (prctl PR_SET_PDEATHSIG) -- asked for only when
    the pool was started from the main thread, since the signal comes when the *thread* that
    started the worker ends. Everywhere, a thread checks twice a second that the parent is
    still there; it also covers a parent that died before the prctl call.
    """
    if deathsig and sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):  # no libc prctl: the watcher below still works
            pass
    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), name="quality-parent-watch", daemon=True).start()


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:  # re-parented: the parent is gone
            os._exit(1)


def _score_chunk(chunk: list[Any], start: int) -> list[Report | RecordError]:
    if _WORKER_ERROR is not None:
        raise _WORKER_ERROR  # the model could not be loaded here (a ModelError says why)
    from quality.scoring import score_stream

    return list(score_stream(chunk, _WORKER_MODEL, "yield", len(chunk), start))


def _is_model(obj: object) -> TypeGuard[Model]:
    """Whether ``obj`` is a loaded `Model`: never, while no module has imported quality.model."""
    module = sys.modules.get("quality.model")
    return module is not None and isinstance(obj, module.Model)


def _model_ref(model: Model | str | Path | None) -> Model | str | None:
    """What a worker needs to get the model: the object itself, or its resolved path."""
    if model is None or _is_model(model):
        return model
    return str(Path(cast("str | Path", model)).resolve())


def _ordered(submitted: Iterator[Any], limit: int, result: Any) -> Iterator[Report | RecordError]:
    """The results of futures in submission order, at most ``limit`` waiting. When the input
    fails while batches are out, their results come first, then the error."""
    pending: deque[Any] = deque()
    try:
        for future in submitted:
            pending.append(future)
            if len(pending) >= limit:
                yield from result(pending.popleft())
    except Exception:
        while pending:  # the input failed: what was read before it is still delivered
            yield from result(pending.popleft())
        raise
    while pending:
        yield from result(pending.popleft())


def score_records(
    records: Iterable[Article | RecordError | dict[str, Any] | str],
    model: Model | str | Path | None = None,
    jobs: int = 1,
    batch_size: int | None = None,
) -> Iterator[Report | RecordError]:
    """Reports (or error rows) for ``records``, in order, using ``jobs`` processes.

    ``model`` is a `Model`, a path, or None for the shipped model. With ``jobs=1`` everything
    runs in this process; with more, each worker loads the model once and scores the chunks it
    is sent, and this process only checks the model's card and SHA-256 (`check_model`) and never
    loads it, so the workers' loading is the only start-up cost. The records are scored in
    chunks of ``batch_size``, or, by default, in chunks of `FIRST_BATCH` growing to
    `quality.batching.BATCH` (`growing_chunks`): the first rows come soon, a short input is
    shared out evenly, and a long one is scored in the cheaper large batches. Every record gives
    one output, with the same ids and messages as `quality.score_many` gives.
    """
    check_stream(records, FIRST_BATCH if batch_size is None else batch_size)
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"quality: jobs must be at least 1, got {jobs!r}")
    ref = _model_ref(model)
    cut = growing_chunks(records, jobs) if batch_size is None else chunks(records, batch_size)
    if jobs == 1:
        from quality.scoring import default_model, score_chunks

        yield from score_chunks(cut, default_model(ref), "yield")
        return
    if not _is_model(ref):
        # Fail here, once, on a missing or altered model, before starting workers.
        check_model(cast("str | None", ref))
    # spawn, not fork: the parent may hold OpenMP threads (scikit-learn), and a forked child of
    # such a process can hang.
    context = multiprocessing.get_context("spawn")
    started_by = (ref, os.getpid(), threading.current_thread() is threading.main_thread())
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker, initargs=started_by) as pool:
        submitted = (pool.submit(_score_chunk, chunk, start) for start, chunk in _numbered(cut))
        yield from _ordered(submitted, 2 * jobs, lambda future: future.result())


def _numbered(cut: Iterable[list[Any]]) -> Iterator[tuple[int, list[Any]]]:
    """Each chunk with the position of its first record in the input."""
    start = 0
    for chunk in cut:
        yield start, chunk
        start += len(chunk)


def _dask_chunk(chunk: list[Any], model: Model | str | None, start: int) -> list[Report | RecordError]:
    """Score one batch on a Dask worker; the model is loaded once per worker process."""
    from quality.scoring import default_model, score_stream

    return list(score_stream(chunk, default_model(model), "yield", len(chunk), start))


def score_on_dask(
    records: Iterable[Article | RecordError | dict[str, Any] | str],
    client: Any,
    model: Model | str | Path | None = None,
    batch_size: int = BATCH,
    in_flight: int | None = None,
) -> Iterator[Report | RecordError]:
    """Reports (or error rows) for ``records``, in order, scored on a Dask cluster.

    ``client`` is a ``distributed.Client``. Batches are submitted as the input is read, at most
    ``in_flight`` at once (default: twice the cluster's threads), and yielded in input order.
    ``model`` is a `Model` (sent to every worker once), a path every worker can read, or None:
    the model shipped with the package, which must be installed on the workers.
    """
    check_stream(records, batch_size)
    ref: Any = _model_ref(model)
    if _is_model(ref):
        ref = client.scatter(ref, broadcast=True)
    if in_flight is None:
        in_flight = max(2 * sum(client.nthreads().values()), 2)
    tag = id(records)
    submitted = (
        client.submit(
            _dask_chunk, chunk, ref, number * batch_size, key=f"quality-batch-{number}-{tag}", pure=False
        )
        for number, chunk in enumerate(chunks(records, batch_size))
    )

    def result(future: Any) -> list[Report | RecordError]:
        out = future.result()
        future.release()
        return out

    yield from _ordered(submitted, in_flight, result)
