"""Fitting the reliability model on a split, the TF-IDF baseline, leave-one-data-set-out
comparison and the feature ablation.

Every comparison fits ours and the baseline on the same training rows and scores the same
held-out rows; AUC differences come with paired bootstrap intervals (`quality.training.metrics`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from joblib import Parallel, delayed
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import FunctionTransformer, Pipeline, make_pipeline

from quality.article import Article
from quality.features import Featurizer
from quality.model import MONOTONE, Model, ReliabilityClassifier, _fit_combiner, make_model
from quality.training.data import LabeledData, folds, split
from quality.training.metrics import BOOTSTRAP_ROUNDS, _interval, _paired_summary, _resampled_aucs, metrics
from quality.vocabulary import TermCounts, article_text, make_vocabulary

__all__ = [
    "ablation",
    "baseline_probabilities",
    "compare_across_datasets",
    "cross_validated",
    "feature_groups",
    "fit_model",
    "fit_splits",
    "make_baseline",
    "select_features",
    "term_counts",
]

log = logging.getLogger(__name__)


def make_baseline(max_features: int = 50_000, C: float = 1.0) -> Pipeline:
    """What most users would try first: TF-IDF of headline and body + logistic regression."""
    return make_pipeline(
        FunctionTransformer(_texts),
        TfidfVectorizer(sublinear_tf=True, min_df=2, max_features=max_features, ngram_range=(1, 2)),
        LogisticRegression(C=C, max_iter=2000),
    )


def _texts(articles: Sequence[Article]) -> list[str]:
    return [f"{a.title}\n{a.body}" for a in articles]


def fit_model(
    data_: LabeledData,
    X: np.ndarray,
    rows: np.ndarray,
    headline_model: Any,
    claim_model: Any = None,
    reputation: Any = None,
    params: dict[str, Any] | None = None,
    counts: TermCounts | None = None,
) -> Model:
    """Fit the reliability model on ``rows`` of ``data_``, whose signal features ``X`` are
    already computed; the vocabulary is learned from those rows only, and the out-of-fold word
    scores keep each group (`quality.training.data.groups_of`) in one fold. ``counts``
    (`term_counts` of ``data_``) saves tokenising the articles again."""
    rows = np.asarray(rows)
    return _fit_split(
        "fit", data_, X, rows, rows[:0], headline_model, claim_model, reputation, params or {}, counts
    ).model


@dataclass
class _Split:
    """One train/held-out split, fitted once: what the ablation needs to refit the combiner."""

    name: str
    model: Model
    train: np.ndarray
    test: np.ndarray
    z_train: np.ndarray
    z_test: np.ndarray
    words_oof: np.ndarray | None
    words_test: np.ndarray | None
    #: The training and held-out rows' model input (signal features and vocabulary columns).
    train_features: Any = None
    test_features: Any = None
    #: Signal features left out by `select_features` on this split's training rows (None: not run).
    selected_exclude: set[str] | None = None


def term_counts(data_: LabeledData) -> TermCounts:
    """The word counts of every article of ``data_``, tokenised once: each split's vocabulary
    and the TF-IDF baseline are derived from them (`quality.vocabulary.TermCounts`)."""
    lowest = min(make_vocabulary().min_df, make_baseline().named_steps["tfidfvectorizer"].min_df)
    return TermCounts((article_text(a) for a in data_.articles), min_df=lowest)


def _fit_split(
    name: str,
    data_: LabeledData,
    X: np.ndarray,
    train: np.ndarray,
    test: np.ndarray,
    headline_model: Any,
    claim_model: Any,
    reputation: Any,
    params: dict[str, Any],
    counts: TermCounts | None = None,
) -> _Split:
    pipeline = make_model(
        headline_model=headline_model, claim_model=claim_model, reputation=reputation, **params
    )
    train_articles = [data_.articles[i] for i in train]
    test_articles = [data_.articles[i] for i in test]
    featurizer: Featurizer = pipeline.named_steps["features"]
    if counts is None:
        featurizer.fit(train_articles)
        f_train = featurizer.with_vocabulary(X[train], train_articles)
        f_test = featurizer.with_vocabulary(X[test], test_articles) if len(test) else None
    else:
        state = featurizer.fit_counts(counts, train)

        def stacked(rows: np.ndarray) -> Any:
            if state is None:  # no vocabulary family
                return X[rows]
            return sparse.hstack([sparse.csr_matrix(X[rows]), counts.transform(state, rows)], format="csr")

        f_train, f_test = stacked(train), stacked(test) if len(test) else None
    clf: ReliabilityClassifier = pipeline.named_steps["classifier"]
    oof = None
    if featurizer.vocabulary is not None:
        oof = clf.vocabulary_scores(f_train, data_.groups[train], data_.y[train])
    clf.fit(f_train, data_.y[train], groups=data_.groups[train], vocabulary_oof=oof)
    model = Model(pipeline=pipeline, reference=np.median(X[train], axis=0))
    words_test = None
    if oof is not None:  # (a fit without held-out rows, `fit_model`, has none to score)
        words_test = clf.vocabulary_scores(f_test) if f_test is not None else np.zeros(0)
    return _Split(
        name,
        model,
        train,
        test,
        clf.standardise(X[train]),
        clf.standardise(X[test]),
        oof,
        words_test,
        f_train,
        f_test,
    )


def _fit_fold(
    name: str,
    data_: LabeledData,
    X: np.ndarray,
    train: np.ndarray,
    test: np.ndarray,
    headline_model: Any,
    claim_model: Any,
    reputation: Any,
    params: dict[str, Any],
    counts: TermCounts | None,
    select: bool,
) -> np.ndarray:
    """The reliability probabilities of ``test`` rows from a model fitted on ``train`` the way
    `quality.training.train` fits the shipped one: vocabulary, out-of-fold word scores, feature
    selection on the training rows alone, combiner and its Platt scaling."""
    one = _fit_split(name, data_, X, train, test, headline_model, claim_model, reputation, params, counts)
    clf = one.model.classifier
    if select:
        clf.set_params(
            exclude=tuple(sorted(select_features(one, data_, clf.C, set(params.get("exclude", ())))))
        )
        clf.fit(one.train_features, data_.y[train], groups=data_.groups[train], vocabulary_oof=one.words_oof)
    return np.asarray(clf.predict_proba(one.test_features)[:, 1])


def cross_validated(
    data_: LabeledData,
    X: np.ndarray,
    first: np.ndarray,
    headline_model: Any,
    claim_model: Any = None,
    reputation: Any = None,
    params: dict[str, Any] | None = None,
    seed: int = 0,
    test_size: float = 0.2,
    select: bool = True,
    jobs: int = 1,
    counts: TermCounts | None = None,
) -> dict[str, Any]:
    """Held-out figures pooled over every fold of `quality.training.data.folds`: each article
    scored once, by a model fitted without its fold the way the shipped model is fitted.

    ``first`` holds the probabilities of the first fold's rows (the held-out rows of `split`)
    from the shipped model, which is fitted on the other folds: only the other folds are fitted
    here, in ``jobs`` processes. One fold's calibration error swings with the outlets it drew
    (a tenth of a few hundred rows per probability bin); the pooled figure is the same quantity
    measured on every row. Returns ``{"folds", "all", <data set>..., "per_fold"}``.
    """
    params = dict(params or {})
    splits = folds(data_, test_size, seed)
    rest = Parallel(n_jobs=jobs)(
        delayed(_fit_fold)(
            f"fold_{k}",
            data_,
            X,
            train,
            test,
            headline_model,
            claim_model,
            reputation,
            params,
            counts,
            select,
        )
        for k, (train, test) in enumerate(splits)
        if k > 0
    )
    p = np.zeros(len(data_.y))
    per_fold = []
    for k, ((_, test), probabilities) in enumerate(zip(splits, [np.asarray(first), *rest], strict=True)):
        p[test] = probabilities
        per_fold.append({"fold": k} | metrics(data_.y[test], probabilities))
    out: dict[str, Any] = {"folds": len(splits), "all": metrics(data_.y, p)}
    for name in sorted(set(data_.datasets.tolist())):
        mask = data_.datasets == name
        out[name] = metrics(data_.y[mask], p[mask])
    out["per_fold"] = per_fold
    return out


def _fit_split_and_baseline(
    name: str,
    data_: LabeledData,
    X: np.ndarray,
    train: np.ndarray,
    test: np.ndarray,
    headline_model: Any,
    claim_model: Any,
    reputation: Any,
    params: dict[str, Any],
    counts: TermCounts | None = None,
) -> tuple[_Split, np.ndarray]:
    """`_fit_split`, and the TF-IDF baseline's held-out probabilities on the same rows."""
    one = _fit_split(name, data_, X, train, test, headline_model, claim_model, reputation, params, counts)
    return one, baseline_probabilities(data_, train, test, counts)


def baseline_probabilities(
    data_: LabeledData, train: np.ndarray, test: np.ndarray, counts: TermCounts | None = None
) -> np.ndarray:
    """`make_baseline` fitted on ``train`` rows of ``data_``: its probabilities on ``test``.

    With ``counts`` (`term_counts` of ``data_``), the TF-IDF step is replayed from the counts
    instead of tokenising the articles again: the same vocabulary and values, hence the same
    probabilities."""
    baseline = make_baseline()
    y = data_.y[train]
    if counts is None:
        baseline.fit([data_.articles[i] for i in train], y)
        return baseline.predict_proba([data_.articles[i] for i in test])[:, 1]
    _, state = counts.fit(baseline.named_steps["tfidfvectorizer"], train)
    classifier = baseline.named_steps["logisticregression"].fit(counts.transform(state, train), y)
    return classifier.predict_proba(counts.transform(state, test))[:, 1]


def _splits(data_: LabeledData, test_size: float, seed: int) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """Leave each data set out in turn (when there are several), then the grouped random split."""
    names = sorted(set(data_.datasets.tolist()))
    out = []
    if len(names) > 1:
        for name in names:
            out.append((name, np.flatnonzero(data_.datasets != name), np.flatnonzero(data_.datasets == name)))
    train_idx, test_idx = split(data_, test_size, seed)
    out.append(("random_split", train_idx, test_idx))
    return out


def fit_splits(
    data_: LabeledData,
    X: np.ndarray,
    headline_model: Any,
    params: dict[str, Any] | None = None,
    seed: int = 0,
    claim_model: Any = None,
    reputation: Any = None,
    test_size: float = 0.2,
    jobs: int = 1,
    counts: TermCounts | None = None,
) -> tuple[dict[str, str], list[tuple[_Split, np.ndarray]]]:
    """Fit ours and the TF-IDF baseline on each split of `compare_across_datasets` (each data
    set left out in turn, then the grouped random split: the same rows `train` holds out), in
    ``jobs`` processes. Returns the splits skipped (name: why) and, for each other split, the
    fitted `_Split` and the baseline's held-out probabilities."""
    params = dict(params or {})
    skipped: dict[str, str] = {}
    fits = []
    for name, train, test in _splits(data_, test_size, seed):
        one_class = [
            side
            for side, rows in (("training", train), ("held-out", test))
            if len(set(data_.y[rows].tolist())) < 2
        ]
        if one_class:
            skipped[name] = f"the {' and '.join(one_class)} rows hold a single label"
            log.warning("leave-one-out on %s skipped: %s", name, skipped[name])
            continue
        fits.append((name, train, test))
    # The splits are independent: fitted side by side, one process per core asked for.
    fitted = Parallel(n_jobs=jobs)(
        delayed(_fit_split_and_baseline)(
            name, data_, X, train, test, headline_model, claim_model, reputation, params, counts
        )
        for name, train, test in fits
    )
    return skipped, list(fitted)


def compare_across_datasets(
    data_: LabeledData,
    X: np.ndarray,
    headline_model: Any,
    params: dict[str, Any] | None = None,
    seed: int = 0,
    claim_model: Any = None,
    reputation: Any = None,
    test_size: float = 0.2,
    ablate: bool = True,
    select: bool = True,
    jobs: int = 1,
    fitted: tuple[dict[str, str], list[tuple[_Split, np.ndarray]]] | None = None,
) -> dict[str, Any]:
    """Leave one data set out: train on the others, test on it; ours and the TF-IDF baseline
    on the same splits. Also the grouped, stratified random split (``test_size`` held out).

    Returns ``{"splits": {held-out set: {"quality": metrics, "tfidf_lr": metrics,
    "paired_bootstrap": ...}}, "mean_left_out": ..., "ablation": ...}``. The paired bootstrap
    (`quality.training.metrics.auc_difference`) gives 95% intervals of both AUCs and of their
    difference on the same rows; ``mean_left_out`` has the mean AUC over the left-out sets and
    an interval of the mean difference. With ``ablate``, `ablation` on the same fitted splits.
    With ``select``, each split's features are chosen by `select_features` on its training
    rows alone before it is scored (and kept in its ``selected_exclude``). ``fitted`` takes
    the splits `fit_splits` fitted (else they are fitted here, in ``jobs`` processes).
    """
    params = dict(params or {})
    out: dict[str, Any] = {}
    skipped, fitted_splits = (
        fitted
        if fitted is not None
        else fit_splits(data_, X, headline_model, params, seed, claim_model, reputation, test_size, jobs)
    )
    for name, why in skipped.items():
        out[name] = {"skipped": why}
    # One independent stream of resamples per split: the sets are disjoint, and equal seeds
    # would resample two sets of one size at the same positions.
    names = [name for name, _, _ in _splits(data_, test_size, seed)]
    streams = dict(
        zip(
            names,
            (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(len(names))),
            strict=True,
        )
    )
    kept: list[_Split] = []
    left_out: list[tuple[float, float, np.ndarray]] = []
    base_exclude = set(params.get("exclude", ()))
    C = params.get("C", ReliabilityClassifier().C)
    for one, p_base in fitted_splits:
        exclude = base_exclude
        if select:
            # Chosen on the training rows alone (inner leave-one-data-set-out), so the held-out
            # set never votes on the features it is scored with.
            exclude = select_features(one, data_, C, base_exclude)
            one.selected_exclude = exclude
        p_ours, dropped = _combine(one, data_, C, exclude)
        y = data_.y[one.test]
        first, second = _resampled_aucs(y, [p_ours, p_base], BOOTSTRAP_ROUNDS, streams[one.name])
        out[one.name] = {
            "quality": metrics(y, p_ours),
            "tfidf_lr": metrics(y, p_base),
            "paired_bootstrap": _paired_summary(first, second),
            "dropped": dropped,
        }
        log.info(
            "held out %s: AUC %s (ours) vs %s (TF-IDF)",
            one.name,
            out[one.name]["quality"]["auc"],
            out[one.name]["tfidf_lr"]["auc"],
        )
        if one.name != "random_split":
            kept.append(one)
            left_out.append(
                (out[one.name]["quality"]["auc"], out[one.name]["tfidf_lr"]["auc"], first - second)
            )
    if len(left_out) > 1:
        rounds = min(len(d) for _, _, d in left_out)
        mean = np.mean([d[:rounds] for _, _, d in left_out], axis=0)
        out["mean_left_out"] = {
            "quality": {"auc": round(float(np.mean([a for a, _, _ in left_out])), 4)},
            "tfidf_lr": {"auc": round(float(np.mean([b for _, b, _ in left_out])), 4)},
            "paired_bootstrap": {
                "sets": len(left_out),
                "difference_95": _interval(mean),
                "p_at_least": round(float(np.mean(mean >= 0)), 4),
                "rounds": int(rounds),
            },
        }
        if ablate:
            out["ablation"] = ablation(data_, kept, params)
    return out


def _combine(
    one: _Split, data_: LabeledData, C: float, exclude: set[str]
) -> tuple[np.ndarray, dict[str, str]]:
    """Held-out probabilities of ``one`` with the combiner refitted without ``exclude``."""
    names = list(one.model.signal_names)
    coef, weight, intercept, dropped = _fit_combiner(
        one.z_train, one.words_oof, data_.y[one.train], [MONOTONE.get(n, 0) for n in names], names, C, exclude
    )
    decision = intercept + one.z_test @ coef
    if one.words_test is not None:
        decision = decision + weight * one.words_test
    return 1.0 / (1.0 + np.exp(-decision)), dropped


def feature_groups(names: Sequence[str]) -> dict[str, list[str]]:
    """The units that selection and ablation take out whole: each signal family, lexical
    density (computed with filler but not filler), and each style rate on its own."""
    groups: dict[str, list[str]] = {}
    for n in names:
        family = n.split(".", 1)[0]
        key = n if family in ("style", "reputation") or n == "filler.lexical_density" else f"family:{family}"
        groups.setdefault(key, []).append(n)
    return groups


def select_features(
    one: Any, data_: LabeledData, C: float, exclude: set[str], min_gain: float = 0.005
) -> set[str]:
    """Forward selection of the generic rates on the training rows of ``one``: start without
    any style rate (or lexical density, or reputation feature), leave each training data set
    out in turn, and add the rate that raises the mean left-out AUC most, while that gain is
    at least ``min_gain``. Returns the features to exclude (with a single data set there is
    nothing to leave out, and every feature stays).

    Generic rates are what a model learns a corpus's house style from (first-person words,
    names or dates per 100 words were the top reasons on reliable and unreliable articles
    alike), so each must earn its place on data sets it was not fitted on. The five product
    signals are not candidates: they stay, held to their expected direction
    (`quality.model.MONOTONE`), and the card reports their weight and held-out effect
    (`ablation`). Only the combiner is refitted (the out-of-fold word scores stay), so this is
    cheap.
    """
    names = list(one.model.signal_names)
    signs = [MONOTONE.get(n, 0) for n in names]
    y = data_.y[one.train]
    sets = data_.datasets[one.train]
    candidates = {g: set(m) for g, m in feature_groups(names).items() if not g.startswith("family:")}
    inner = [(sets != s, sets == s) for s in sorted(set(sets.tolist()))]
    if len(inner) < 2:  # one data set: nothing to select on, every feature stays
        return set(exclude)
    chosen = set(exclude) | set().union(*candidates.values())

    def score(excluded: set[str]) -> float:
        aucs = []
        for fit_rows, test_rows in inner:
            if len(set(y[fit_rows].tolist())) < 2 or len(set(y[test_rows].tolist())) < 2:
                continue
            oof = one.words_oof[fit_rows] if one.words_oof is not None else None
            coef, weight, intercept, _ = _fit_combiner(
                one.z_train[fit_rows], oof, y[fit_rows], signs, names, C, excluded
            )
            decision = intercept + one.z_train[test_rows] @ coef
            if one.words_oof is not None:
                decision = decision + weight * one.words_oof[test_rows]
            aucs.append(roc_auc_score(y[test_rows], decision))
        return float(np.mean(aucs)) if aucs else 0.0

    current = score(chosen)
    while True:
        trials = {g: score(chosen - m) for g, m in candidates.items() if m <= chosen and not m & set(exclude)}
        if not trials:
            return chosen
        best = max(trials, key=lambda g: trials[g])
        if trials[best] - current < min_gain:
            return chosen
        log.info("selection: with %s, left-out AUC %.4f -> %.4f", best, current, trials[best])
        chosen -= candidates[best]
        current = trials[best]


def _ablation_groups(names: Sequence[str]) -> dict[str, list[str]]:
    """What the ablation takes out, one at a time: each unit of `feature_groups`, and each
    single feature of the five product signals."""
    groups = feature_groups(names)
    for n in names:
        groups.setdefault(n, [n])
    return groups


def ablation(
    data_: LabeledData, fitted: Sequence[Any], params: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Leave-one-data-set-out AUC without each feature family, each single feature and the
    vocabulary family, refitting only the combiner on each split (the word model and its
    out-of-fold scores stay as fitted).

    Returns ``{"full": {set: auc, "mean": auc}, "without": {name: {set: auc, "mean": auc,
    "change": mean - full mean}}}``: a negative change means the feature helps on data sets it
    never saw; a positive one, that the model ranks unseen sets better without it.
    """
    params = dict(params or {})
    if not fitted:
        return {}
    names = list(fitted[0].model.signal_names)
    C = params.get("C", ReliabilityClassifier().C)
    signs = [MONOTONE.get(n, 0) for n in names]
    base_exclude = set(params.get("exclude", ()))

    def auc_per_set(exclude: set[str], words: bool = True) -> dict[str, float]:
        aucs = {}
        for one in fitted:
            y = data_.y[one.train]
            oof = one.words_oof if words else None
            coef, weight, intercept, _ = _fit_combiner(one.z_train, oof, y, signs, names, C, exclude)
            decision = intercept + one.z_test @ coef
            if words and one.words_test is not None:
                decision = decision + weight * one.words_test
            aucs[one.name] = round(float(roc_auc_score(data_.y[one.test], decision)), 4)
        aucs["mean"] = round(float(np.mean(list(aucs.values()))), 4)
        return aucs

    full = auc_per_set(base_exclude)
    without: dict[str, Any] = {}
    if fitted[0].words_oof is not None:
        without["family:vocabulary"] = auc_per_set(base_exclude, words=False)
    for label, members in _ablation_groups(names).items():
        if set(members) <= base_exclude:
            continue
        without[label] = auc_per_set(base_exclude | set(members))
    for entry in without.values():
        entry["change"] = round(entry["mean"] - full["mean"], 4)
    return {"full": full, "without": without}
