"""Train and evaluate the reliability model on labeled article files.

The parts can be read alone: `quality.training.data` reads labeled files, groups and splits
rows; `quality.training.metrics` has the metrics and bootstrap intervals;
`quality.training.comparison` fits splits, the TF-IDF baseline, the leave-one-data-set-out
comparison, feature selection and ablation; `quality.training.sentences` the headline and
claim sub-models; `quality.training.card` the card's provenance. This module ties them
together: `train` and `evaluate`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from quality.article import Article
from quality.model import MONOTONE, Model, check_additive, make_claim_model, make_headline_model
from quality.reputation import SourceReputation
from quality.training.card import card_split, git_commit
from quality.training.comparison import (
    _fit_split,
    compare_across_datasets,
    cross_validated,
    fit_model,
    fit_splits,
    make_baseline,
    select_features,
    term_counts,
)
from quality.training.data import LabeledData, featurize, load_labeled, split
from quality.training.metrics import auc_difference, expected_calibration_error, metrics
from quality.training.sentences import evaluate_claims, evaluate_headlines, fit_sub_model

__all__ = [
    "LabeledData",
    "auc_difference",
    "compare_across_datasets",
    "evaluate",
    "evaluate_claims",
    "evaluate_headlines",
    "expected_calibration_error",
    "featurize",
    "fit_model",
    "load_labeled",
    "make_baseline",
    "metrics",
    "reason_rates",
    "split",
    "train",
]

log = logging.getLogger(__name__)


def train(
    data: Sequence[str | Path],
    headlines: str | Path | Sequence[str | Path],
    claims: str | Path | None = None,
    test_size: float = 0.2,
    seed: int = 0,
    limit: int | None = None,
    params: dict[str, Any] | None = None,
    compare: bool = True,
    reputation: str | Path | None = None,
    select: bool = True,
    jobs: int = 1,
) -> tuple[Model, dict[str, Any]]:
    """Train the headline model and the reliability model; return the model and its card.

    A ``test_size`` share of the articles, stratified by data set and label and grouped by
    outlet where labels follow the outlet (`quality.training.data.split`), is held out; the
    card's metrics are on that share, overall and per data set. With ``select``, signal
    features that lower the leave-one-data-set-out AUC of the training rows are left out
    (`quality.training.comparison.select_features`). With ``compare``, the card also gets the
    leave-one-data-set-out comparison with the TF-IDF baseline and the ablation table
    (`compare_across_datasets`). ``headlines`` is one labeled headline CSV or several (e.g.
    Stop Clickbait and the project's topic-matched pairs, ``labeled/headlines.csv``); each has
    its own held-out figures. ``jobs`` processes compute the features and fit the
    comparison's splits.
    """
    # The combiner's thousands of small dense fits (feature selection, Platt folds) ran three
    # times faster on one BLAS thread than on two fighting over two cores (a fold of 320
    # articles: 83 s -> 25 s of wall time, at a load of 3).
    with threadpool_limits(limits=1, user_api="blas"):
        return _train(
            data, headlines, claims, test_size, seed, limit, params, compare, reputation, select, jobs
        )


def _train(
    data: Sequence[str | Path],
    headlines: str | Path | Sequence[str | Path],
    claims: str | Path | None,
    test_size: float,
    seed: int,
    limit: int | None,
    params: dict[str, Any] | None,
    compare: bool,
    reputation: str | Path | None,
    select: bool,
    jobs: int,
) -> tuple[Model, dict[str, Any]]:
    started = time.perf_counter()
    params = dict(params or {})
    # The articles are read and split first: a bad file fails before any model is fitted.
    data_ = load_labeled(data, limit=limit, seed=seed)
    train_idx, test_idx = split(data_, test_size, seed)
    headline_files = [headlines] if isinstance(headlines, (str, Path)) else list(headlines)
    headline_model, headline_metrics, headline_info = fit_sub_model(
        headline_files, "headline", "clickbait", make_headline_model, seed, limit
    )
    claim_model: Any = None
    claim_metrics: dict[str, float] | None = None
    claim_info: dict[str, Any] | None = None
    if claims is not None:
        claim_model, by_file, (claim_info,) = fit_sub_model(
            [claims], "text", "checkworthy", make_claim_model, seed, limit
        )
        claim_metrics = by_file[Path(claims).stem]

    table = SourceReputation.from_csv(reputation) if reputation is not None else None
    # The held-out rows' signal results are kept for the card's reason rates (no second analysis).
    X, held_results = featurize(data_.articles, headline_model, claim_model, table, jobs=jobs, keep=test_idx)
    # Tokenised once: every split's vocabulary and the baseline are derived from these counts.
    counts = term_counts(data_)
    cross = None
    if compare:
        fitted = fit_splits(
            data_, X, headline_model, params, seed, claim_model, table, test_size, jobs, counts
        )
        cross = compare_across_datasets(
            data_,
            X,
            headline_model,
            params,
            seed,
            claim_model,
            table,
            test_size,
            select=select,
            fitted=fitted,
        )
        # The comparison's random split holds out exactly the rows held out here: its fit is ours.
        final = next(one for one, _ in fitted[1] if one.name == "random_split")
    else:
        final = _fit_split(
            "held_out", data_, X, train_idx, test_idx, headline_model, claim_model, table, params, counts
        )
    if not (np.array_equal(final.train, train_idx) and np.array_equal(final.test, test_idx)):
        raise AssertionError("quality: the comparison's random split differs from the held-out split")
    model = final.model
    if select:
        exclude = final.selected_exclude
        if exclude is None:
            exclude = select_features(final, data_, model.classifier.C, set(params.get("exclude", ())))
        model.classifier.set_params(exclude=tuple(sorted(exclude)))
        model.classifier.fit(
            final.train_features,
            data_.y[train_idx],
            groups=data_.groups[train_idx],
            vocabulary_oof=final.words_oof,
        )
    test_articles = [data_.articles[i] for i in test_idx]
    held_features = final.test_features
    check_additive(model, held_features)
    p = model.explain(held_features)[2]
    held_out = {"all": metrics(data_.y[test_idx], p)}
    for name in sorted(set(data_.datasets.tolist())):
        mask = data_.datasets[test_idx] == name
        held_out[name] = metrics(data_.y[test_idx][mask], p[mask])
    # Every article held out once: the held-out fold above and the others, each fitted the same way.
    pooled = (
        cross_validated(
            data_, X, p, headline_model, claim_model, table, params, seed, test_size, select, jobs, counts
        )
        if compare
        else None
    )

    clf = model.classifier
    card = {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "description": (
            "Reliability of news articles from content signals and wording only (no source reputation)."
            if table is None
            else "Reliability of news articles from content signals plus the URL domain's reputation (not content-only)."
        ),
        "training_data": {
            "articles": data_.files,
            "headlines": headline_info,
            "claims": claim_info,
            "reputation": table.source if table is not None else None,
            "split": {
                "test_size": test_size,
                "seed": seed,
                "limit": limit,
                "stratified_by": "dataset and label",
                "grouped_by": "source where labels follow the outlet, else row",
                "train_rows": int(len(train_idx)),
                "test_rows": int(len(test_idx)),
            },
        },
        "hyperparameters": {
            k: (list(v) if isinstance(v, tuple) else v)
            for k, v in clf.get_params().items()
            if k in ("C", "vocabulary_C", "folds", "exclude", "random_state")
        }
        | {"max_terms": int(model.featurizer.vocabulary.max_features)},
        "weights": {
            "signals_per_sd": {
                n: round(float(c), 4) for n, c in zip(model.signal_names, clf.coef_, strict=True)
            },
            "vocabulary": round(float(clf.vocabulary_weight_), 4),
            "vocabulary_terms": int(len(model.featurizer.vocabulary_terms_)),
            "dropped": dict(clf.dropped_),
            "expected_signs": {n: MONOTONE.get(n, 0) for n in model.signal_names},
        },
        "metrics": {
            "held_out": held_out,
            "held_out_cross_validated": pooled,
            "leave_one_dataset_out": cross,
            "reasons_held_out": reason_rates(model, test_articles, data_.y[test_idx], held_results),
            "headline_model_held_out": headline_metrics,
            "claim_model_held_out": claim_metrics,
        },
        "git_commit": git_commit(),
        "train_seconds": round(time.perf_counter() - started, 1),
    }
    model.card = card
    return model, card


def reason_rates(
    model: Model, articles: Sequence[Article], y: np.ndarray, results: Sequence[Any] | None = None
) -> dict[str, dict[str, float]]:
    """How often each reason (by its title) appears on reliable and on unreliable articles.

    A reason that shows up as often on both says little; the card and the README list these
    rates so that an editor knows which reasons discriminate. ``results`` takes the articles'
    signal results when they were already computed (`featurize` with ``keep``).
    """
    from quality.scoring import _reports, _score_batch  # scoring sits above training's imports

    reports = (
        _score_batch(list(articles), model) if results is None else _reports(list(articles), results, model)
    )
    counts: dict[str, list[int]] = {}
    for report, label in zip(reports, y.tolist(), strict=True):
        for reason in {r.split(":", 1)[0].split(" (", 1)[0] for r in report.reasons}:
            counts.setdefault(reason, [0, 0])[int(label)] += 1
    n_reliable, n_unreliable = int((y == 1).sum()), int((y == 0).sum())
    return {
        reason: {
            "reliable": round(c[1] / max(n_reliable, 1), 3),
            "unreliable": round(c[0] / max(n_unreliable, 1), 3),
        }
        for reason, c in sorted(counts.items(), key=lambda kv: -(kv[1][0] + kv[1][1]))
    }


def evaluate(
    model: Model, data: Sequence[str | Path], limit: int | None = None, held_out: bool = False
) -> dict[str, dict[str, Any]]:
    """AUC, F1, Brier and ECE of ``model`` on labeled files, overall and per data set.

    With ``held_out``, only the rows the model's card says were held out from training (the
    same files give the same split), so the figures reproduce the card's.
    """
    trained_on = model.card.get("training_data", {}).get("articles") or []
    if held_out:
        split_card = card_split(model)
        data_ = load_labeled(data, limit=split_card.get("limit"), seed=split_card["seed"])
        given = [(f["path"], f["sha256"]) for f in data_.files]
        listed = [(f.get("path"), f.get("sha256")) for f in trained_on]
        if given != listed:
            # The split depends on every file and their order; any other set of files would
            # give "held-out" rows that the model may well have trained on.
            raise ValueError(
                f"quality: --held-out needs exactly the files model {model.name!r} was trained on, in "
                f"the same order: its card lists {[n for n, _ in listed]!r} (checked by SHA-256), "
                f"given {[n for n, _ in given]!r}; evaluate other files without --held-out"
            )
        _, rows = split(data_, split_card["test_size"], split_card["seed"])
        if "test_rows" in split_card and len(rows) != split_card["test_rows"]:
            raise ValueError(
                f"quality: the split gives {len(rows)} held-out rows, the card of {model.name!r} "
                f"says {split_card['test_rows']}; this code splits differently from the code that "
                "trained the model, so retrain it"
            )
    else:
        data_ = load_labeled(data, limit=limit)
        rows = np.arange(len(data_.y))
        seen = {f.get("sha256") for f in trained_on}
        overlap = [f["path"] for f in data_.files if f["sha256"] in seen]
        if overlap:
            log.warning(
                "%s trained model %r: these figures include its training rows; use --held-out for "
                "the held-out ones",
                ", ".join(overlap),
                model.name,
            )
    articles = [data_.articles[i] for i in rows]
    y, datasets = data_.y[rows], data_.datasets[rows]
    X = featurize(articles, model.headline_model, model.claim_model, model.reputation)
    p = model.explain(model.featurizer.with_vocabulary(X, articles))[2]
    out = {"all": metrics(y, p)}
    for name in sorted(set(datasets.tolist())):
        mask = datasets == name
        out[name] = metrics(y[mask], p[mask])
    return out
