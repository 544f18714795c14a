"""The featurizer: a scikit-learn transformer from articles to one column per signal feature."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.utils.validation import check_is_fitted

# as_article lived here; it is imported from quality.article, and kept importable from here.
from quality._cache import SignalCache
from quality.article import Article, as_article
from quality.reputation import FEATURES as REPUTATION_FEATURES
from quality.signals import FEATURE_NAMES, analyse_many
from quality.vocabulary import PREFIX, TermCounts, fit_vocabulary, transform, vocabulary_terms

__all__ = ["Featurizer", "as_article", "features_row"]

log = logging.getLogger(__name__)


def features_row(results: Mapping[str, Any]) -> list[float]:
    """One row of features, in `FEATURE_NAMES` order, from `quality.signals.analyse` results."""
    merged: dict[str, float] = {}
    for r in results.values():
        merged.update(r.features)
    return [merged[name] for name in FEATURE_NAMES]


class Featurizer(TransformerMixin, BaseEstimator):
    """Turn articles into signal features: one row per article, one column per feature.

    Parameters
    ----------
    headline_model : estimator or None
        Fitted headline classifier (raw headline strings in, ``predict_proba`` out) used for
        ``clickbait.probability``; None falls back to the headline rules.
    claim_model : estimator or None
        Fitted check-worthy-claim classifier (sentences in, ``predict_proba`` out) that tells
        claims from other sentences for the unsupported-claims signal; None: rules only.
    reputation : SourceReputation or None
        Adds the source-reputation features of the article's URL domain; None (the default)
        keeps the features to the content alone.
    vocabulary : TfidfVectorizer or None
        Unfitted vectorizer of the vocabulary family (`quality.vocabulary.make_vocabulary`),
        fitted on the articles given to ``fit``; its columns (``vocabulary.<term>``) follow the
        signal features, and the output is then a sparse matrix. None (the default): signal
        features only, dense.
    memory : str, os.PathLike, joblib.Memory or None
        A folder where each article's signal features are cached, keyed by the SHA-256 of its
        headline and body (and by the sub-models and the package version), as
        ``Pipeline(memory=...)`` caches fitted transformers. A grid search or cross-validation
        then computes each article's signals once, whatever the number of candidates and folds.
        None (the default): no cache.

    Examples
    --------
    >>> f = Featurizer().set_output(transform="pandas")
    >>> X = f.fit_transform([{"title": "Storm hits coast", "body": "Winds rose, the agency said."}])
    >>> X.shape[0], "sourcing.attributions_per_100w" in X.columns
    (1, True)
    """

    def __init__(
        self,
        headline_model: Any = None,
        claim_model: Any = None,
        reputation: Any = None,
        vocabulary: Any = None,
        memory: Any = None,
    ) -> None:
        self.headline_model = headline_model
        self.claim_model = claim_model
        self.reputation = reputation
        self.vocabulary = vocabulary
        self.memory = memory

    def __setstate__(self, state: dict[str, Any]) -> None:
        # A featurizer saved before `memory` existed (the shipped model) has no such attribute.
        state.setdefault("memory", None)
        super().__setstate__(state)

    def fit(self, X: Iterable[Any], y: Any = None) -> Featurizer:
        if isinstance(X, str):
            raise TypeError(
                "Featurizer.fit: expected an iterable of articles, got one string; wrap it in a list"
            )
        fitted = None
        if self.vocabulary is not None:
            articles = [as_article(item, i) for i, item in enumerate(self._rows(X))]
            fitted = fit_vocabulary(clone(self.vocabulary), articles)
        return self._fitted(fitted)

    def fit_counts(self, counts: TermCounts, rows: Any) -> Any:
        """`fit` on the articles at ``rows`` of the texts that ``counts`` was made from
        (`quality.vocabulary.TermCounts`, tokenised once for every split of a training run),
        with the same result. Returns the state for ``counts.transform(state, rows)``, which
        gives those rows' vocabulary columns (None without a vocabulary family)."""
        if self.vocabulary is None:
            self._fitted(None)
            return None
        fitted, state = counts.fit(self.vocabulary, rows)
        self._fitted(fitted)
        return state

    def _fitted(self, vocabulary: Any) -> Featurizer:
        names = FEATURE_NAMES + (REPUTATION_FEATURES if self.reputation is not None else ())
        self.n_signal_features_ = len(names)
        if vocabulary is not None:
            self.vocabulary_ = vocabulary
            self.vocabulary_terms_ = vocabulary_terms(vocabulary)
            names = names + tuple(PREFIX + t for t in self.vocabulary_terms_)
        self.feature_names_out_ = np.asarray(names, dtype=object)
        self.n_features_out_ = len(names)
        return self

    def _rows(self, X: Any) -> Iterable[Any]:
        if isinstance(X, pd.DataFrame):
            return (row for _, row in X.iterrows())
        if isinstance(X, str):
            raise TypeError(
                "Featurizer.transform: expected an iterable of articles, got one string; wrap it in a list"
            )
        return X

    def transform(self, X: Any) -> Any:
        check_is_fitted(self, "feature_names_out_")
        articles = [as_article(item, i) for i, item in enumerate(self._rows(X))]
        cache = SignalCache.of(self.memory, self.headline_model, self.claim_model, FEATURE_NAMES)
        if cache is None:
            return self.matrix(articles, analyse_many(articles, self.headline_model, self.claim_model))
        rows: list[Any] = [cache.get(a, len(FEATURE_NAMES)) for a in articles]
        missing = [i for i, row in enumerate(rows) if row is None]
        results = analyse_many([articles[i] for i in missing], self.headline_model, self.claim_model)
        for i, result in zip(missing, results, strict=True):
            rows[i] = np.asarray(features_row(result), dtype=float)
            cache.put(articles[i], rows[i])
        log.debug(
            "Featurizer: signals of %d article(s) computed, %d from the cache in %s",
            len(missing),
            len(articles) - len(missing),
            cache.folder,
        )
        return self._dense(articles, [list(row) for row in rows])

    def matrix(self, articles: Sequence[Article], results: Sequence[Mapping[str, Any]]) -> Any:
        """Feature rows from signal results already computed (scoring reuses them for evidence)."""
        check_is_fitted(self, "feature_names_out_")
        return self._dense(articles, [features_row(r) for r in results])

    def _dense(self, articles: Sequence[Article], rows: list[list[float]]) -> Any:
        if self.reputation is not None:
            rows = [row + self.reputation.features(a.url) for row, a in zip(rows, articles, strict=True)]
        dense = np.asarray(rows, dtype=float).reshape(-1, self.n_signal_features_)
        return self.with_vocabulary(dense, articles)

    def with_vocabulary(self, dense: np.ndarray, articles: Sequence[Article]) -> Any:
        """The signal features ``dense`` of ``articles`` with their vocabulary columns beside
        them (a sparse matrix), or ``dense`` itself when there is no vocabulary family."""
        check_is_fitted(self, "feature_names_out_")
        if self.vocabulary is None:
            return dense
        return sparse.hstack([sparse.csr_matrix(dense), transform(self.vocabulary_, articles)], format="csr")

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        check_is_fitted(self, "feature_names_out_")
        return self.feature_names_out_.copy()

    def __sklearn_tags__(self):  # type: ignore[no-untyped-def]
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.requires_fit = True
        return tags
