"""Streams of records cut into batches, and the checks made on a stream before it is scored.

Apart from `quality.scoring` so that a process that hands the scoring to workers
(`quality.engine`) need not import scikit-learn and pandas, which take seconds.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from quality.article import Article

__all__ = ["BATCH", "check_stream", "chunks"]

#: Articles analysed together: the headline model and the explainer run once per batch.
BATCH = 256


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


def chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Lists of up to ``size`` items; when ``items`` raises, the items read before it come
    out as a last list first, and the error follows on the next call."""
    iterator = iter(items)
    while True:
        chunk: list[Any] = []
        try:
            for item in iterator:
                chunk.append(item)
                if len(chunk) == size:
                    break
        except Exception:
            if chunk:
                yield chunk
            raise
        if not chunk:
            return
        yield chunk
