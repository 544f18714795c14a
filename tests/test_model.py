"""The reliability model: additive explanations, calibration, artifacts that are checked on load."""

from __future__ import annotations

import math
import shutil
import warnings

import joblib
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils.estimator_checks import (
    check_do_not_raise_errors_in_init_or_set_params,
    check_estimator_cloneable,
    check_estimator_repr,
    check_get_params_invariance,
    check_mixin_order,
    check_no_attributes_set_in_init,
    check_set_params,
)

import quality
from quality.features import Featurizer
from quality.model import (
    MONOTONE,
    VOCABULARY,
    ModelError,
    ReliabilityClassifier,
    check_additive,
    load_model,
    save_model,
)
from quality.signals import FEATURE_NAMES
from quality.vocabulary import make_vocabulary
from tests import resources as R

ARTICLES = [
    {"title": R.CLICKBAIT_TITLES[0], "body": R.FILLER},
    {"title": R.NEWS_TITLES[1], "body": R.SOURCED},
    {"title": R.NEWS_TITLES[2], "body": R.TIGHT},
    {"title": R.CLICKBAIT_TITLES[2], "body": R.HEDGED + " " + R.UNATTRIBUTED},
    {"title": "", "body": ""},
]


@pytest.fixture(scope="module")
def X(model):
    """The shipped model's features of ARTICLES: signal columns, then vocabulary columns."""
    return model.featurizer.transform(ARTICLES)


@pytest.fixture(scope="module")
def signals(model, X):
    return X[:, : len(model.signal_names)].toarray()


def test_contributions_add_up_to_the_logit_for_every_row(model, X):
    intercept, contributions, reliability = model.explain(X)
    for row, p in zip(contributions, reliability, strict=True):
        assert intercept + row.sum() == pytest.approx(math.log(p / (1 - p)), abs=1e-9)


def test_the_decomposition_matches_the_calibrated_pipeline(model, X):
    assert check_additive(model, X) < 1e-9
    direct = model.pipeline.predict_proba(ARTICLES)[:, 1]
    assert np.allclose(direct, model.explain(X)[2], atol=1e-9)


def test_reports_carry_the_same_decomposition(model):
    report = quality.score(ARTICLES[0], model=model)
    assert report.intercept + sum(report.contributions.values()) == pytest.approx(report.logit, abs=1e-9)
    assert set(report.contributions) == set(FEATURE_NAMES) | {VOCABULARY}


def test_word_contributions_add_up_to_the_vocabulary_family_for_every_row(model, X):
    _, contributions, _ = model.explain(X)
    words = model.word_contributions(X)
    family = contributions[:, model.feature_names.index(VOCABULARY)]
    assert any(words), "the sample has words in the vocabulary"
    for row_words, total in zip(words, family, strict=True):
        assert sum(row_words.values()) == pytest.approx(total, abs=1e-9)


def test_a_report_splits_its_vocabulary_contribution_by_word_with_spans(model):
    report = quality.score(ARTICLES[1], model=model)
    assert sum(report.words.values()) == pytest.approx(report.contributions[VOCABULARY], abs=1e-9)
    spans = [e for e in report.evidence if e.signal == "vocabulary"]
    assert spans
    direction = np.sign(report.contributions[VOCABULARY])
    for e in spans:
        term = e.note.split("'")[1]
        assert report.words[term] * direction > 0 and e.text.lower() in term


def test_monotone_features_move_reliability_the_expected_way(model, signals):
    base = signals[2:3].copy()
    for name in model.signal_names:
        sign = MONOTONE[name]
        if sign == 0:
            continue
        j = FEATURE_NAMES.index(name)
        low, high = model.shape(name, [0.0, max(1.0, base[0, j]) * 20])
        assert (high - low) * sign >= -1e-12, name


def test_the_card_records_data_metrics_and_versions(model):
    card = model.card
    assert card["sha256"] and card["created"] and card["feature_names"] == [*FEATURE_NAMES, VOCABULARY]
    assert {f["path"] for f in card["training_data"]["articles"]} >= {"perez_rosas.jsonl"}
    assert all(len(f["sha256"]) == 64 for f in card["training_data"]["articles"])
    assert 0.5 < card["metrics"]["held_out"]["all"]["auc"] <= 1.0
    assert card["versions"]["scikit-learn"]


def test_a_tampered_artifact_is_refused(tmp_path, model):
    source = quality.model.default_model_path()
    for suffix in (".skops", ".json"):
        shutil.copy(source.with_suffix(suffix), tmp_path / f"m{suffix}")
    with open(tmp_path / "m.skops", "ab") as fh:
        fh.write(b"\0")
    with pytest.raises(ModelError, match="SHA-256"):
        load_model(tmp_path / "m")


def test_an_artifact_without_a_card_is_refused(tmp_path):
    shutil.copy(quality.model.default_model_path().with_suffix(".skops"), tmp_path / "m.skops")
    with pytest.raises(ModelError, match="no card"):
        load_model(tmp_path / "m")


def test_a_different_scikit_learn_version_warns(tmp_path, model):
    save_model(model, tmp_path / "m")
    card_path = tmp_path / "m.json"
    card_path.write_text(card_path.read_text().replace(model.card["versions"]["scikit-learn"], "0.0.1"))
    with pytest.warns(UserWarning, match="scikit-learn 0.0.1"):
        load_model(tmp_path / "m")


def test_save_and_load_round_trip_gives_the_same_scores(tmp_path, model, X):
    save_model(model, tmp_path / "copy.v2")  # a dot in the name is part of the name
    assert (tmp_path / "copy.v2.skops").exists() and (tmp_path / "copy.v2.json").exists()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        again = load_model(tmp_path / "copy.v2")
    assert np.array_equal(again.explain(X)[1], model.explain(X)[1])
    assert again.word_contributions(X) == model.word_contributions(X)


# The featurizer follows the scikit-learn estimator contract (the data-free checks, by name,
# since check_estimator skips estimators that take text).
@pytest.mark.parametrize("estimator", [Featurizer, ReliabilityClassifier], ids=lambda e: e.__name__)
@pytest.mark.parametrize(
    "check",
    [
        check_estimator_cloneable,
        check_estimator_repr,
        check_no_attributes_set_in_init,
        check_get_params_invariance,
        check_set_params,
        check_mixin_order,
        check_do_not_raise_errors_in_init_or_set_params,
    ],
    ids=lambda c: c.__name__,
)
def test_estimator_checks(check, estimator):
    check(estimator.__name__, estimator())


def test_featurizer_with_a_vocabulary_adds_one_sparse_column_per_term(model):
    f = Featurizer(model.headline_model, vocabulary=make_vocabulary(min_df=1)).fit(ARTICLES)
    names = list(f.get_feature_names_out())
    assert names[: len(FEATURE_NAMES)] == list(FEATURE_NAMES)
    terms = names[len(FEATURE_NAMES) :]
    assert terms == [f"vocabulary.{t}" for t in f.vocabulary_.get_feature_names_out()]
    assert "vocabulary.parliament" in terms and "vocabulary.parliament passes" in terms
    out = f.transform(ARTICLES)
    assert out.shape == (len(ARTICLES), len(names)) and out.format == "csr"
    assert not hasattr(f.vocabulary_, "stop_words_")  # the cut terms are not pickled with the model


def _toy(n=400, seed=0):
    """Two signal columns (the first tells the label, the second is noise) and two word columns."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    first = y + rng.normal(0, 0.7, n)
    noise = rng.normal(0, 1, n)
    words = np.column_stack([y * rng.random(n), (1 - y) * rng.random(n)])
    return np.column_stack([first, noise, words]), y


def test_the_classifier_drops_a_feature_whose_weight_points_the_wrong_way():
    X, y = _toy()
    clf = ReliabilityClassifier(signal_features=("a", "b"), monotone={"a": -1, "b": 0}).fit(X, y)
    assert clf.dropped_ == {"a": "weight against its expected direction"} and clf.coef_[0] == 0.0
    free = ReliabilityClassifier(signal_features=("a", "b"), monotone={"a": 1, "b": 0}).fit(X, y)
    assert free.dropped_ == {} and free.coef_[0] > 0 and free.vocabulary_weight_ > 0


def test_the_classifier_leaves_out_what_it_is_told_and_stacks_words_out_of_fold():
    X, y = _toy()
    clf = ReliabilityClassifier(signal_features=("a", "b"), exclude=("b",)).fit(
        X, y, groups=np.arange(len(y)) // 4
    )
    assert clf.coef_[1] == 0.0 and clf.dropped_ == {"b": "excluded"}
    proba = clf.predict_proba(X)[:, 1]
    assert np.allclose(proba, 1 / (1 + np.exp(-clf.decision_function(X))))
    slope, _ = clf.calibration_
    assert slope > 0
    # Out-of-fold word scores differ from in-sample ones: no row is scored by a model it trained.
    oof = clf.vocabulary_scores(X, np.arange(len(y)) // 4, y)
    assert not np.allclose(oof, clf.vocabulary_scores(X))


def test_featurizer_contract(model, tmp_path):
    f = Featurizer(model.headline_model)
    with pytest.raises(NotFittedError):
        f.transform(ARTICLES)
    assert f.fit(ARTICLES) is f
    names = f.get_feature_names_out()
    assert list(names) == list(FEATURE_NAMES)
    out = f.transform(ARTICLES)
    assert out.shape == (len(ARTICLES), len(names))
    assert np.array_equal(clone(f).fit(ARTICLES).transform(ARTICLES), out)
    joblib.dump(f, tmp_path / "f.joblib")
    assert np.array_equal(joblib.load(tmp_path / "f.joblib").transform(ARTICLES), out)


def test_featurizer_pandas_output_keeps_the_index(model):
    import pandas as pd

    frame = pd.DataFrame(ARTICLES[:3], index=["a", "b", "c"])
    out = Featurizer(model.headline_model).set_output(transform="pandas").fit(frame).transform(frame)
    assert list(out.index) == ["a", "b", "c"] and list(out.columns) == list(FEATURE_NAMES)


def test_featurizer_rejects_a_bare_string():
    with pytest.raises(TypeError, match="one string"):
        Featurizer().fit("just one article")


def test_every_constrained_shape_is_monotone_over_its_range(model, signals):
    """Not only the end points: between neighbouring values a shape never turns back (the free
    anonymous-source shape went -0.35, +0.01, -0.30 at 0.18, 0.23, 0.4 per 100 words)."""
    for name in model.signal_names:
        sign = MONOTONE[name]
        if sign == 0:
            continue
        column = signals[:, FEATURE_NAMES.index(name)]
        grid = np.linspace(0.0, max(float(column.max()), 1.0), 200)
        steps = np.diff(model.shape(name, grid)) * sign
        assert steps.min() >= -1e-12, name


def test_a_signal_only_rare_pages_show_keeps_its_weight():
    """Clipping to the 1st–99th percentiles turned a feature that fewer than 1% of pages show
    (SEO padding after its lexicon was cut to what is plainly filler) into a constant, so the
    model could not weigh it at all."""
    X, y = _toy(n=1000)
    rare = np.zeros(len(y))
    unreliable = np.flatnonzero(y == 0)[:8]  # 0.8% of rows, all unreliable
    rare[unreliable] = 2.0
    X = np.column_stack([X[:, :1], rare, X[:, 2:]])
    clf = ReliabilityClassifier(signal_features=("a", "rare"), monotone={"a": 1, "rare": -1}).fit(X, y)
    assert clf.high_[1] == 2.0 and clf.coef_[1] < 0
    page = X[unreliable[:1]].copy()
    assert (
        clf.decision_function(page)[0]
        < clf.decision_function(np.column_stack([page[:, :1], [[0.0]], page[:, 2:]]))[0]
    )


@pytest.mark.parametrize(
    ("rows", "columns", "C"), [(2700, 40, 1.0), (256, 30, 1.0), (300, 5, 1e6), (60, 8, 30.0)]
)
def test_the_combiners_newton_solver_finds_scikit_learns_logistic_regression(rows, columns, C):
    """The combiner's own solver (`_logistic_newton`) reaches the optimum LogisticRegression
    aims at: same objective (L2 on the weights, the intercept free), its gradient zero there, an
    objective no higher than scikit-learn's and weights within 1e-5 of its, from zero or from a
    warm start elsewhere."""
    from sklearn.linear_model import LogisticRegression

    from quality.model import _logistic_newton

    rng = np.random.default_rng(rows)
    X = rng.normal(size=(rows, columns)) * rng.uniform(0.5, 3.0, size=columns)
    y = (X @ rng.normal(size=columns) + rng.logistic(size=rows) > 0.3).astype(int)
    reference = LogisticRegression(C=C, max_iter=100_000, tol=1e-12).fit(X, y)
    A = np.hstack([X, np.ones((rows, 1))])
    penalty = np.r_[np.ones(columns), 0.0]

    def objective(v):
        z = A @ v
        return C * np.sum(np.logaddexp(0.0, z) - y * z) + 0.5 * np.sum(penalty * v * v)

    for start in (None, rng.normal(size=columns + 1) * 3):
        w = _logistic_newton(X, y, C, start)
        gradient = C * A.T @ (1.0 / (1.0 + np.exp(-(A @ w))) - y) + penalty * w
        assert np.abs(gradient).max() < 1e-6 * max(1.0, C)
        theirs = np.r_[reference.coef_[0], reference.intercept_]
        assert objective(w) <= objective(theirs) * (1 + 1e-12) + 1e-9
        np.testing.assert_allclose(w, theirs, atol=1e-5)
