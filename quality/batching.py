"""Streams of records cut into batches, and the checks made on a stream before it is scored.

Apart from `quality.scoring` so that a process that hands the scoring to workers
(`quality.engine`) need not import scikit-learn and pandas, which take seconds.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from quality.article import Article

__all__ = ["BATCH", "FIRST_BATCH", "check_stream", "chunks", "growing_chunks"]

#: Articles analysed together: the headline model and the explainer run once per batch.
BATCH = 256

#: Articles in the first batches of a command-line run (`growing_chunks`). Small, so that every
#: worker has work until the end of a short input (with 256, 300 articles on two workers went
#: 256 to one and 44 to the other), and the first rows and the progress bar come soon; the
#: batches then grow to `BATCH`, since one of 32 costs 4-10% more CPU an article than one of
#: 256 (each signal runs over a whole batch while its code stays in the processor's caches,
#: and the sub-models are asked once a batch).
FIRST_BATCH = 32


def _is_table(obj: object) -> bool:
    """Whether ``obj`` is a pandas DataFrame or Series: never, while pandas is not imported."""
    pd = sys.modules.get("pandas")
    return pd is not None and isinstance(obj, (pd.DataFrame, pd.Series))


def check_stream(items: Any, batch_size: int) -> None:
    """Refuse what is one article (or a table) rather than a stream of them, and empty batches."""
    table = _is_table(items)
    if table or isinstance(items, (str, bytes, Mapping, Article)):
        hint = "quality.score_frame(df)" if table else "[item] or quality.score(item)"
        raise TypeError(
            f"quality: expected an iterable of articles, got one {type(items).__name__}; use {hint}"
        )
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"quality: batch_size must be a whole number of at least 1, got {batch_size!r}")


def chunks(items: Iterable[Any], size: int | Iterable[int]) -> Iterator[list[Any]]:
    """Lists of up to ``size`` items (or of each size in turn, when ``size`` is a stream of
    sizes); when ``items`` raises, the items read before it come out as a last list first, and
    the error follows on the next call."""
    iterator = iter(items)
    sizes = itertools.repeat(size) if isinstance(size, int) else iter(size)
    for limit in sizes:
        chunk: list[Any] = []
        try:
            for item in iterator:
                chunk.append(item)
                if len(chunk) == limit:
                    break
        except Exception:
            if chunk:
                yield chunk
            raise
        if not chunk:
            return
        yield chunk


def growing_chunks(items: Iterable[Any], jobs: int = 1) -> Iterator[list[Any]]:
    """`chunks` of `FIRST_BATCH` items, twice as large after every ``2 * jobs`` chunks, up to
    `BATCH`: 32, 32, 32, 32, 64, ... 128, 256, 256... for two workers (896 items before the first
    chunk of 256). A short input is shared out evenly; a long one is scored mostly in batches of
    256, whose last one leaves a worker idle for about a second at the end.

    Examples
    --------
    >>> [len(c) for c in growing_chunks(range(1200), 2)]
    [32, 32, 32, 32, 64, 64, 64, 64, 128, 128, 128, 128, 256, 48]
    >>> [len(c) for c in growing_chunks(range(300))]
    [32, 32, 64, 64, 108]
    """
    return chunks(items, _growing_sizes(jobs))


def _growing_sizes(jobs: int) -> Iterator[int]:
    size = FIRST_BATCH
    while size < BATCH:
        yield from itertools.repeat(size, 2 * jobs)
        size *= 2
    yield from itertools.repeat(BATCH)
