"""The signals: one module each, pure functions of one analysed article (`quality.doc.Doc`).

`analyse` runs them all on one article; `analyse_many` on a batch, asking the learned
sub-models (headline and claim classifiers) once for the whole batch. `FEATURE_NAMES` lists
every feature, in the order the featurizer emits them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from quality.article import Article, SignalResult
from quality.doc import make_doc
from quality.signals import claims, clickbait, filler, sourcing, style, typos

__all__ = ["FEATURE_NAMES", "analyse", "analyse_many"]

_MODULES = (sourcing, typos, filler, claims, clickbait, style)
FEATURE_NAMES: tuple[str, ...] = tuple(f for m in _MODULES for f in m.FEATURES)


def analyse(article: Article, headline_model: Any = None, claim_model: Any = None) -> dict[str, SignalResult]:
    """Every signal of ``article``, keyed by signal name.

    ``headline_model`` (headline strings → clickbait probability) and ``claim_model``
    (sentences → check-worthy probability) are optional fitted classifiers; without them the
    clickbait and claim signals use their rules alone.

    Examples
    --------
    >>> results = analyse(Article("Storm hits coast", "Winds reached 120 km/h, the agency said."))
    >>> sorted(results)
    ['clickbait', 'filler', 'sourcing', 'style', 'typos', 'unsupported_claims']
    """
    return analyse_many([article], headline_model, claim_model)[0]


def analyse_many(
    articles: Sequence[Article], headline_model: Any = None, claim_model: Any = None
) -> list[dict[str, SignalResult]]:
    """`analyse` for a batch: one call to each sub-model for all headlines and all sentences."""
    docs = [make_doc(a) for a in articles]
    headlines: list[float | None] = [None] * len(docs)
    if headline_model is not None and docs:
        headlines = [float(p) for p in headline_model.predict_proba([d.title.text for d in docs])[:, 1]]
    per_doc: list[Sequence[float] | None] = [None] * len(docs)
    if claim_model is not None and any(d.body.sentences for d in docs):
        # Only the sentences whose probability can change the claims signal are rated; the
        # others (too short to be claims) are given 0, which it reads as "no claim", as it
        # would read theirs.
        rated = [[k for k, s in enumerate(d.body.sentences) if claims.needs_rating(s.text)] for d in docs]
        texts = [d.body.sentences[k].text for d, ks in zip(docs, rated, strict=True) for k in ks]
        flat = iter(claim_model.predict_proba(texts)[:, 1].tolist() if texts else [])
        for i, (d, ks) in enumerate(zip(docs, rated, strict=True)):
            probabilities = [0.0] * len(d.body.sentences)
            for k in ks:
                probabilities[k] = next(flat)
            per_doc[i] = probabilities
    # One signal over the whole batch, then the next, rather than every signal on one article
    # then the next article: each signal's code, patterns and lexicons stay in the processor's
    # caches for the batch, about a tenth less time for the same results (signals are pure).
    by_signal = (
        [sourcing.analyse(d) for d in docs],
        [typos.analyse(d) for d in docs],
        [filler.analyse(d) for d in docs],
        [claims.analyse(d, claim_probabilities=c) for d, c in zip(docs, per_doc, strict=True)],
        [clickbait.analyse(d, probability=h) for d, h in zip(docs, headlines, strict=True)],
        [style.analyse(d) for d in docs],
    )
    return [{r.name: r for r in results} for results in zip(*by_signal, strict=True)]
