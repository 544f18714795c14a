"""A disk cache of signal features, one file per article text, for `Featurizer(memory=...)`.

Grid search and cross-validation transform the same articles again for every candidate and
fold; computing their signals is most of the time. The cache keys an article's feature row by
the SHA-256 of its headline and body, in a folder named by a fingerprint of what else the
signals depend on: the headline and claim models, the feature names and this package's
version. (Signal code edited without a new version number is not seen: clear the folder then.)
Files are written whole (to a temporary name, then renamed), so parallel workers can share one.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import weakref
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from quality.article import Article

__all__ = ["SignalCache"]

# Fingerprints of fitted sub-models by object: hashing the shipped ones takes about 0.5 s, and
# a grid search transforms dozens of times with the same (frozen, so never cloned) objects.
_FINGERPRINTS: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()


def _fingerprint(model: Any) -> str:
    if model is None:
        return "none"
    try:
        return _FINGERPRINTS[model]
    except (KeyError, TypeError):  # TypeError: an object that takes no weak reference
        pass
    import joblib

    value = joblib.hash(model)
    try:
        _FINGERPRINTS[model] = value
    except TypeError:
        pass
    return value


def _location(memory: Any) -> Path | None:
    """The folder ``memory`` names: a path, or a ``joblib.Memory`` (its location); None: no cache."""
    if memory is None:
        return None
    if isinstance(memory, (str, os.PathLike)):
        return Path(memory)
    location = getattr(memory, "location", "missing")
    if location == "missing":
        raise TypeError(
            "Featurizer: memory must be None, a folder (str or os.PathLike) or a joblib.Memory, got "
            f"{type(memory).__name__} ({memory!r:.40})"
        )
    return None if location is None else Path(location)


class SignalCache:
    """The cached feature rows of one set of signal models, under ``memory``'s folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def of(
        cls, memory: Any, headline_model: Any, claim_model: Any, names: Sequence[str]
    ) -> SignalCache | None:
        """The cache for these models in ``memory`` (None, a folder, or a joblib.Memory), or
        None when ``memory`` asks for none."""
        location = _location(memory)
        if location is None:
            return None
        from quality import __version__

        parts = [__version__, _fingerprint(headline_model), _fingerprint(claim_model), *names]
        key = hashlib.sha256("\0".join(parts).encode()).hexdigest()[:20]
        return cls(location / "quality-signals" / key)

    def _path(self, article: Article) -> Path:
        digest = hashlib.sha256(
            f"{article.title}\0{article.body}".encode("utf-8", "surrogatepass")
        ).hexdigest()
        return self.folder / digest[:2] / f"{digest}.npy"

    def get(self, article: Article, width: int) -> np.ndarray | None:
        """The cached row of ``article``, or None (absent, or not a row of ``width`` numbers)."""
        try:
            row = np.load(self._path(article), allow_pickle=False)
        except (OSError, ValueError):
            return None
        return row if row.shape == (width,) and row.dtype == np.float64 else None

    def put(self, article: Article, row: np.ndarray) -> None:
        path = self._path(article)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, staged = tempfile.mkstemp(dir=path.parent, suffix=".partial")
        try:
            with os.fdopen(fd, "wb") as fh:
                np.save(fh, np.asarray(row, dtype=np.float64), allow_pickle=False)
            os.replace(staged, path)
        except BaseException:
            Path(staged).unlink(missing_ok=True)
            raise
