"""quality: how much to trust a news article, and why.

Examples
--------
>>> import quality
>>> report = quality.score("Storm hits coast\\nWinds reached 120 km/h, the weather agency said.")
>>> report.label in ("reliable", "uncertain", "unreliable")
True
"""

from __future__ import annotations

import logging
from importlib import metadata

from quality.article import SIGNALS, Article, Evidence, RecordError, Report, SignalResult
from quality.io.readers import read
from quality.model import Model, ModelError, load_model
from quality.scoring import score, score_frame, score_many

try:
    __version__ = metadata.version("quality")
except metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "SIGNALS",
    "Article",
    "Evidence",
    "Model",
    "ModelError",
    "RecordError",
    "Report",
    "SignalResult",
    "__version__",
    "load_model",
    "read",
    "score",
    "score_frame",
    "score_many",
]
