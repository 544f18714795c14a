"""quality: how much to trust a news article, and why.

The public names load on first use (PEP 562), so ``import quality`` and ``quality --help`` stay
quick: scikit-learn, pandas and the model load with the first score, not with the package.

Examples
--------
>>> import quality
>>> report = quality.score("Storm hits coast\\nWinds reached 120 km/h, the weather agency said.")
>>> report.label, report.out_of_scope  # eight words: too few for the model to judge
('out_of_scope', 'too short: 8 words in the body, under the 50 the model needs to judge an article')
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what the lazy names below resolve to, for type checkers and editors
    from quality.article import SIGNALS, Article, Evidence, RecordError, Report, SignalResult, as_article
    from quality.features import Featurizer
    from quality.io.readers import read
    from quality.model import Model, ModelError, ReliabilityClassifier, load_model, make_model
    from quality.scoring import score, score_frame, score_many
    from quality.stories import stories  # the module, callable as its function (see there)

logging.getLogger(__name__).addHandler(logging.NullHandler())

#: Public name -> the module that defines it, imported on first access.
_LAZY = {
    "SIGNALS": "quality.article",
    "Article": "quality.article",
    "Evidence": "quality.article",
    "RecordError": "quality.article",
    "Report": "quality.article",
    "SignalResult": "quality.article",
    "as_article": "quality.article",
    "Featurizer": "quality.features",
    "read": "quality.io.readers",
    "Model": "quality.model",
    "ModelError": "quality.model",
    "ReliabilityClassifier": "quality.model",
    "load_model": "quality.model",
    "make_model": "quality.model",
    "score": "quality.scoring",
    "score_frame": "quality.scoring",
    "score_many": "quality.scoring",
}


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib import metadata

        try:
            value = metadata.version("quality")
        except metadata.PackageNotFoundError:  # running from a source tree that is not installed
            value = "0+unknown"
    elif name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
    else:
        value = _submodule(__name__, name)
    globals()[name] = value  # looked up once; later accesses are plain attribute reads
    return value


def _submodule(package: str, name: str) -> Any:
    """``package.name`` imported, as the eager imports of earlier versions made it available
    (``quality.model.load_model`` after ``import quality``); AttributeError when there is none."""
    try:
        return importlib.import_module(f"{package}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{package}.{name}":
            raise  # the submodule exists, a dependency of it is missing
        raise AttributeError(f"module {package!r} has no attribute {name!r}") from None


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "SIGNALS",
    "Article",
    "Evidence",
    "Featurizer",
    "Model",
    "ModelError",
    "RecordError",
    "ReliabilityClassifier",
    "Report",
    "SignalResult",
    "__version__",
    "as_article",
    "load_model",
    "make_model",
    "read",
    "score",
    "score_frame",
    "score_many",
    "stories",
]
