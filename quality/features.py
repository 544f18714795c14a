"""The featurizer: a scikit-learn transformer from articles to one column per signal feature."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from quality.article import Article
from quality.reputation import FEATURES as REPUTATION_FEATURES
from quality.signals import FEATURE_NAMES, analyse_many

__all__ = ["Featurizer", "as_article", "features_row"]


def as_article(item: Any, index: int | None = None) -> Article:
    """An `Article` from an Article, a mapping with ``title``/``body``, or a plain string.

    A string's first non-empty line is the headline and the rest the body.

    Examples
    --------
    >>> as_article("Storm hits coast\\nWinds reached 120 km/h.").title
    'Storm hits coast'
    """
    if isinstance(item, Article):
        return item
    if isinstance(item, str):
        item = item.replace("\r\n", "\n").replace("\r", "\n")
        head, _, rest = item.strip("\n").partition("\n")
        return Article(title=head.strip(), body=rest.strip("\n"))
    if isinstance(item, Mapping) or isinstance(item, pd.Series):
        get = item.get
        title, body = get("title"), get("body")
        if "title" not in item and "body" not in item:
            # (Present but null is an empty article, which scoring reports as empty.)
            where = f"record {index}" if index is not None else "record"
            raise ValueError(
                f"quality: {where} has neither 'title' nor 'body' (keys: {sorted(map(str, item.keys()))!r})"
            )
        return Article(
            title=_text(title),
            body=_text(body),
            id=article_id(get("id")) or "",
            url=_opt(get("url")),
            source=_opt(get("source")),
            published=_opt(get("published")),
        )
    raise TypeError(
        f"quality: cannot score a {type(item).__name__}; pass an Article, a dict with "
        "'title' and 'body', or a string whose first line is the headline"
    )


def _missing(value: Any) -> bool:
    """None, NaN, pd.NA or NaT: a cell with nothing in it."""
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def article_id(value: Any) -> str | None:
    """A record's id as text, or None when missing. 7.0 becomes "7": an integer id column
    that pandas turned to floats to hold a NaN must still join back to the integer ids."""
    if _missing(value):
        return None
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _text(value: Any) -> str:
    if _missing(value):
        return ""
    if not isinstance(value, str):
        raise TypeError(f"quality: title and body must be text, got {type(value).__name__} ({value!r:.40})")
    return value


def _opt(value: Any) -> str | None:
    if _missing(value):
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

    Examples
    --------
    >>> f = Featurizer().set_output(transform="pandas")
    >>> X = f.fit_transform([{"title": "Storm hits coast", "body": "Winds rose, the agency said."}])
    >>> X.shape[0], "sourcing.attributions_per_100w" in X.columns
    (1, True)
    """

    def __init__(self, headline_model: Any = None, claim_model: Any = None, reputation: Any = None) -> None:
        self.headline_model = headline_model
        self.claim_model = claim_model
        self.reputation = reputation

    def fit(self, X: Iterable[Any], y: Any = None) -> Featurizer:
        if isinstance(X, str):
            raise TypeError(
                "Featurizer.fit: expected an iterable of articles, got one string; wrap it in a list"
            )
        names = FEATURE_NAMES + (REPUTATION_FEATURES if self.reputation is not None else ())
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

    def transform(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "feature_names_out_")
        articles = [as_article(item, i) for i, item in enumerate(self._rows(X))]
        results = analyse_many(articles, self.headline_model, self.claim_model)
        return self.matrix(articles, results)

    def matrix(self, articles: list[Article], results: list[Mapping[str, Any]]) -> np.ndarray:
        """Feature rows from signal results already computed (scoring reuses them for evidence)."""
        check_is_fitted(self, "feature_names_out_")
        rows = [features_row(r) for r in results]
        if self.reputation is not None:
            rows = [row + self.reputation.features(a.url) for row, a in zip(rows, articles, strict=True)]
        return np.asarray(rows, dtype=float).reshape(-1, self.n_features_out_)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        check_is_fitted(self, "feature_names_out_")
        return self.feature_names_out_.copy()

    def __sklearn_tags__(self):  # type: ignore[no-untyped-def]
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.requires_fit = True
        return tags
