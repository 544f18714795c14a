"""The signals: one module each, pure functions of one analysed article (`quality.doc.Doc`).

`analyse` runs them all on one article; `FEATURE_NAMES` lists every feature they produce, in
the order the featurizer emits them.
"""

from __future__ import annotations

from typing import Any

from quality.article import Article, SignalResult
from quality.doc import make_doc
from quality.signals import claims, clickbait, filler, sourcing, style, typos

__all__ = ["FEATURE_NAMES", "analyse", "headline_probabilities"]

_MODULES = (sourcing, typos, filler, claims, clickbait, style)
FEATURE_NAMES: tuple[str, ...] = tuple(f for m in _MODULES for f in m.FEATURES)


def analyse(
    article: Article, headline_model: Any = None, clickbait_probability: float | None = None
) -> dict[str, SignalResult]:
    """Every signal of ``article``, keyed by signal name.

    ``headline_model`` scores the headline for the clickbait signal, unless
    ``clickbait_probability`` already holds its answer (batches score all headlines at once).

    Examples
    --------
    >>> results = analyse(Article("Storm hits coast", "Winds reached 120 km/h, the agency said."))
    >>> sorted(results)
    ['clickbait', 'filler', 'sourcing', 'style', 'typos', 'unsupported_claims']
    """
    doc = make_doc(article)
    results = (
        sourcing.analyse(doc),
        typos.analyse(doc),
        filler.analyse(doc),
        claims.analyse(doc),
        clickbait.analyse(doc, headline_model, clickbait_probability),
        style.analyse(doc),
    )
    return {r.name: r for r in results}


def headline_probabilities(titles: list[str], headline_model: Any) -> list[float | None]:
    """The headline model's clickbait probability for many titles in one call (None without a model)."""
    if headline_model is None or not titles:
        return [None] * len(titles)
    return [float(p) for p in headline_model.predict_proba(titles)[:, 1]]
