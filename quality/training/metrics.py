"""Metrics of probabilities against labels, and paired bootstrap intervals of AUC differences."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy.stats import rankdata
from sklearn.metrics import brier_score_loss, f1_score, roc_auc_score

__all__ = ["BOOTSTRAP_ROUNDS", "auc_difference", "expected_calibration_error", "metrics"]


def expected_calibration_error(y: np.ndarray, p: np.ndarray, bins: int = 10) -> float:
    """ECE: the mean gap between predicted and observed reliability over equal-width bins."""
    y = np.asarray(y, dtype=float)
    p = np.asarray(p, dtype=float)
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    total = 0.0
    for b in range(bins):
        mask = which == b
        if mask.any():
            total += mask.mean() * abs(p[mask].mean() - y[mask].mean())
    return float(total)


def metrics(y: np.ndarray, p: np.ndarray) -> dict[str, Any]:
    """AUC, F1 (at 0.5), Brier score and ECE of probabilities ``p`` for labels ``y``."""
    y = np.asarray(y)
    out = {
        "rows": int(len(y)),
        # None (JSON null), not NaN, when the rows hold one class: AUC is undefined there.
        "auc": float(roc_auc_score(y, p)) if len(set(y.tolist())) == 2 else None,
        "f1": float(f1_score(y, p >= 0.5, zero_division=0)),
        "brier": float(brier_score_loss(y, p)),
        "ece": expected_calibration_error(y, p),
    }
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in out.items()}


#: Bootstrap resamples behind every interval in the card.
BOOTSTRAP_ROUNDS = 2000


def _resampled_aucs(
    y: np.ndarray, scores: Sequence[np.ndarray], rounds: int, rng: np.random.Generator, chunk: int = 200
) -> list[np.ndarray]:
    """AUC of each of ``scores`` on the same ``rounds`` resamples (with replacement) of the rows.

    Resamples in which one class is missing are dropped. Rounds are drawn ``chunk`` at a time,
    so memory stays at ``chunk`` × rows whatever the number of rounds.
    """
    y = np.asarray(y)
    n = len(y)
    out: list[list[np.ndarray]] = [[] for _ in scores]
    for start in range(0, rounds, chunk):
        rows = rng.integers(0, n, size=(min(chunk, rounds - start), n))
        ys = y[rows]
        positives = ys.sum(axis=1)
        keep = (positives > 0) & (positives < n)
        rows, ys, positives = rows[keep], ys[keep], positives[keep]
        for acc, p in zip(out, scores, strict=True):
            # Mann-Whitney: the positives' rank sum, ties shared, gives every resample's AUC at once.
            ranks = rankdata(np.asarray(p, dtype=float)[rows], axis=1)
            acc.append(
                ((ranks * ys).sum(axis=1) - positives * (positives + 1) / 2) / (positives * (n - positives))
            )
    return [np.concatenate(acc) for acc in out]


def _interval(values: np.ndarray) -> list[float]:
    return [round(float(v), 4) for v in np.percentile(values, [2.5, 97.5])]


def _paired_summary(first: np.ndarray, second: np.ndarray) -> dict[str, Any]:
    diff = first - second
    return {
        "auc_95": _interval(first),
        "other_auc_95": _interval(second),
        "difference_95": _interval(diff),
        "p_at_least": round(float(np.mean(diff >= 0)), 4),
        "rounds": int(len(diff)),
    }


def auc_difference(
    y: np.ndarray, p: np.ndarray, p_other: np.ndarray, rounds: int = BOOTSTRAP_ROUNDS, seed: int = 0
) -> dict[str, Any]:
    """Paired bootstrap of two models' AUC on the same rows: 95% intervals and their difference.

    Rows are resampled with replacement ``rounds`` times; each resample scores both models, so
    the interval of ``p``'s AUC minus ``p_other``'s says whether a gap is more than noise.
    ``p_at_least`` is the share of resamples in which ``p`` scores at least as well.

    Examples
    --------
    >>> y = np.array([0, 0, 1, 1] * 25)
    >>> out = auc_difference(y, y + 0.1, np.full(100, 0.5), rounds=200)
    >>> out["difference_95"][0] > 0.4, out["p_at_least"]
    (True, 1.0)
    """
    return _paired_summary(*_resampled_aucs(y, [p, p_other], rounds, np.random.default_rng(seed)))
