"""The featurizer: a scikit-learn transformer from articles to one column per signal feature."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.utils.validation import check_is_fitted

from quality.article import RECORD_KEYS, Article, article_id, is_missing, record_fields
from quality.reputation import FEATURES as REPUTATION_FEATURES
from quality.signals import FEATURE_NAMES, analyse_many
from quality.vocabulary import PREFIX, TermCounts, fit_vocabulary, transform, vocabulary_terms

__all__ = ["Featurizer", "as_article", "features_row"]


def as_article(item: Any, index: int | None = None) -> Article:
    """An `Article` from an Article, a mapping or pandas row, or a plain string.

    A mapping's keys are read as the readers read a record (`quality.article.RECORD_KEYS`:
    ``title`` or ``headline``, ``body`` or ``text``, ...). A string's first non-empty line is
    the headline and the rest the body.

    Examples
    --------
    >>> as_article("Storm hits coast\\nWinds reached 120 km/h.").title
    'Storm hits coast'
    >>> as_article({"headline": "Storm hits coast", "text": "Winds rose."}).body
    'Winds rose.'
    """
    if isinstance(item, Article):
        return item
    if isinstance(item, str):
        item = item.replace("\r\n", "\n").replace("\r", "\n")
        head, _, rest = item.strip("\n").partition("\n")
        return Article(title=head.strip(), body=rest.strip("\n"))
    if isinstance(item, Mapping) or isinstance(item, pd.Series):
        fields, has_text = record_fields(item)
        if not has_text:
            # (Present but null is an empty article, which scoring reports as empty.)
            where = f"record {index}" if index is not None else "record"
            raise ValueError(
                f"quality: {where} has no title or body (keys: {sorted(map(str, item.keys()))!r}); "
                f"expected one of {list(RECORD_KEYS['title'] + RECORD_KEYS['body'])!r}"
            )
        return Article(
            title=_text(fields["title"]),
            body=_text(fields["body"]),
            id=article_id(fields["id"]) or "",
            url=_opt(fields["url"]),
            source=_opt(fields["source"]),
            published=_opt(fields["published"]),
        )
    raise TypeError(
        f"quality: cannot score a {type(item).__name__}; pass an Article, a dict with "
        "'title' and 'body', or a string whose first line is the headline"
    )


def _text(value: Any) -> str:
    if is_missing(value):
        return ""
    if not isinstance(value, str):
        raise TypeError(f"quality: title and body must be text, got {type(value).__name__} ({value!r:.40})")
    return value


def _opt(value: Any) -> str | None:
    if is_missing(value):
        return None
    return str(value)


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
    ) -> None:
        self.headline_model = headline_model
        self.claim_model = claim_model
        self.reputation = reputation
        self.vocabulary = vocabulary

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
        results = analyse_many(articles, self.headline_model, self.claim_model)
        return self.matrix(articles, results)

    def matrix(self, articles: Sequence[Article], results: Sequence[Mapping[str, Any]]) -> Any:
        """Feature rows from signal results already computed (scoring reuses them for evidence)."""
        check_is_fitted(self, "feature_names_out_")
        rows = [features_row(r) for r in results]
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
