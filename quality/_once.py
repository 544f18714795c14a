"""`once`: a cache for expensive loaders that runs each one once, even under threads."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["once"]

_F = TypeVar("_F", bound=Callable[..., Any])


def once(loader: _F) -> _F:
    """``functools.cache`` behind a lock.

    ``functools.cache`` lets threads that miss together all run the loader: eight threads'
    first ``quality.score`` calls loaded the model, the spelling dictionary and CMUdict eight
    times each (18.8 s and 922 MB, against 2.2 s and 384 MB for one). The lock makes the
    others wait for the first; later calls only pass through it.
    """
    cached = functools.cache(loader)
    lock = threading.Lock()

    @functools.wraps(loader)
    def wrapper(*args: Any) -> Any:
        with lock:
            return cached(*args)

    wrapper.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]
