"""Train and evaluate the reliability model on labeled article files.

Labeled files are JSONL, CSV, TSV or Parquet with ``title``, ``body`` (or the other names the
readers accept) and ``label`` ("reliable"/"unreliable" or 1/0); a file's name is its data set's. The headline model is trained from a CSV
with ``headline`` and ``clickbait`` (1/0) columns.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import rankdata
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, f1_score, roc_auc_score
from sklearn.model_selection import GroupShuffleSplit, train_test_split
from sklearn.pipeline import FunctionTransformer, Pipeline, make_pipeline

from quality.article import Article, article_id, is_missing, record_fields
from quality.features import Featurizer
from quality.io.readers import decode
from quality.model import (
    Model,
    check_additive,
    file_sha256,
    make_claim_model,
    make_headline_model,
    make_model,
)
from quality.reputation import SourceReputation

__all__ = [
    "LabeledData",
    "auc_difference",
    "compare_across_datasets",
    "evaluate",
    "evaluate_claims",
    "evaluate_headlines",
    "make_baseline",
    "expected_calibration_error",
    "split",
    "featurize",
    "load_labeled",
    "metrics",
    "train",
]

log = logging.getLogger(__name__)

_LABELS = {"reliable": 1, "unreliable": 0, "1": 1, "0": 0, "true": 1, "false": 0}


@dataclass
class LabeledData:
    """Articles with their labels (1 = reliable) and the data set (file) each comes from."""

    articles: list[Article]
    y: np.ndarray
    datasets: np.ndarray
    files: list[dict[str, Any]]


def load_labeled(paths: Sequence[str | Path], limit: int | None = None, seed: int = 0) -> LabeledData:
    """Read labeled article files: JSONL, CSV, TSV or Parquet (folders: every such file inside).

    Each record has ``label`` (``reliable``/``unreliable``, 1/0 or true/false) and ``title``/
    ``body`` text, under the names the readers accept (`quality.article.RECORD_KEYS`:
    ``headline``, ``text``...); its data set is its file's name, which must therefore differ
    between files. An article that occurs more than once (same title and body, whitespace
    aside; in one file or across files) is kept once, at its first occurrence, so that no copy
    sits on both sides of a split; when its copies disagree on the label, every copy is dropped.
    The counts go into each file's entry of ``files``. ``limit`` then keeps a random sample of
    at most that many rows per file (for quick runs). A bad row raises `ValueError` naming the
    file, the line and the reason.
    """
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(sorted(f for f in p.iterdir() if f.suffix.lower() in _LABELED_SUFFIXES))
        elif p.exists():
            files.append(p)
        else:
            raise FileNotFoundError(f"quality: no such labeled data: {str(p)!r}")
    if not files:
        raise ValueError(
            f"quality: no labeled {'/'.join(_LABELED_SUFFIXES)} files in {list(map(str, paths))!r}"
        )
    stems = [f.stem for f in files]
    for f in files:
        if stems.count(f.stem) > 1:
            raise ValueError(
                f"quality: labeled files {[str(g) for g in files if g.stem == f.stem]!r} share the "
                f"name {f.stem!r}, and a file's name is its data set's; rename one"
            )
    read = [_read_labeled(f) for f in files]
    labels_of: dict[tuple[str, str], set[int]] = {}
    for rows in read:
        for key, article, label in rows:
            if article is not None:
                labels_of.setdefault(key, set()).add(label)
    seen: set[tuple[str, str]] = set()
    articles: list[Article] = []
    y: list[int] = []
    datasets: list[str] = []
    info = []
    rng = np.random.default_rng(seed)
    for f, rows in zip(files, read, strict=True):
        kept, duplicates, conflicting = [], 0, 0
        empty = sum(1 for _, article, _ in rows if article is None)
        for key, article, label in rows:
            if article is None:
                continue
            if len(labels_of[key]) > 1:
                conflicting += 1
            elif key in seen:
                duplicates += 1
            else:
                kept.append((article, label))
            seen.add(key)
        if duplicates or conflicting:
            log.warning(
                "%s: dropped %d repeated article(s) and %d whose copies disagree on the label",
                f.name,
                duplicates,
                conflicting,
            )
        if limit is not None and len(kept) > limit:
            keep = sorted(rng.choice(len(kept), size=limit, replace=False))
            kept = [kept[i] for i in keep]
        for article, label in kept:
            articles.append(article)
            y.append(label)
            datasets.append(f.stem)
        positives = sum(label for _, label in kept)
        info.append(
            {
                "path": f.name,
                "sha256": file_sha256(f),
                "rows": len(kept),
                "reliable": positives,
                "unreliable": len(kept) - positives,
                "repeats_dropped": duplicates,
                "conflicting_labels_dropped": conflicting,
                "empty_rows_skipped": empty,
            }
        )
    if not articles:
        raise ValueError(f"quality: no labeled articles in {[str(f) for f in files]!r}")
    return LabeledData(articles, np.asarray(y, dtype=int), np.asarray(datasets), info)


def _read_labeled(f: Path) -> list[tuple[tuple[str, str], Article | None, int]]:
    """(dedup key, article, label) for every record of one labeled file; the article is None
    for a record with neither title nor body (skipped, and counted)."""
    rows: list[tuple[tuple[str, str], Article | None, int]] = []
    for where, record in _labeled_records(f):
        if not isinstance(record, dict):
            raise ValueError(f"{where}: a record must be a JSON object, not {type(record).__name__}")
        raw_label = next((v for k, v in record.items() if str(k).strip().lower() == "label"), None)
        if is_missing(raw_label):
            raise ValueError(f"{where}: no label; expected 'reliable'/'unreliable' or 1/0")
        if isinstance(raw_label, float) and raw_label in (0.0, 1.0):
            raw_label = int(raw_label)
        label = _LABELS.get(str(raw_label if raw_label is not None else "").strip().lower())
        if label is None or isinstance(raw_label, (list, dict)):
            raise ValueError(f"{where}: label {raw_label!r} is not 'reliable'/'unreliable' or 1/0")
        fields, _ = record_fields(record)
        title, body = fields["title"] or "", fields["body"] or ""
        if not isinstance(title, str) or not isinstance(body, str):
            raise ValueError(f"{where}: title and body must be strings")
        if not (title.strip() or body.strip()):
            log.warning("%s: skipped, the article has neither a title nor a body", where[9:])
            rows.append(((title, body), None, label))
            continue
        url, source = fields["url"], fields["source"]
        article = Article(
            title=title,
            body=body,
            id=article_id(fields["id"]) or "",
            url=url if isinstance(url, str) else None,
            source=source if isinstance(source, str) else None,
        )
        rows.append(((" ".join(title.split()), " ".join(body.split())), article, label))
    return rows


#: File types `load_labeled` reads.
_LABELED_SUFFIXES = (".jsonl", ".csv", ".tsv", ".parquet")


def _check_columns(names: Sequence[str], f: Path) -> None:
    """A label column, and no column twice (ignoring case and spaces)."""
    keys = [n.strip().lower() for n in names]
    twice = next((n for n, k in zip(names, keys, strict=True) if keys.count(k) > 1), None)
    if twice is not None:
        raise ValueError(f"quality: {f.name!r} has more than one {twice.strip()!r} column; keep one")
    if "label" not in keys:
        raise ValueError(f"quality: {f.name!r} has no 'label' column (its columns: {list(names)!r})")


def _labeled_records(f: Path) -> Iterator[tuple[str, Any]]:
    """("quality: 'file' line N", record) for every record of a labeled file, in order."""
    suffix = f.suffix.lower()
    if suffix in (".csv", ".tsv", ".parquet"):
        try:
            if suffix == ".parquet":
                frame = pd.read_parquet(f)
            else:
                # Decoded as the readers decode (a BOM, UTF-8, else cp1252); text as written:
                # "1" stays "1", an empty cell is missing, "NA" is a word.
                text = decode(f.read_bytes())
                sep = "\t" if suffix == ".tsv" else ","
                header = next(csv.reader(io.StringIO(text), delimiter=sep), [])
                _check_columns(header, f)
                frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
                frame = frame.mask(frame == "")
        except ValueError:
            raise
        except Exception as exc:  # noqa: BLE001 - pandas and pyarrow raise many types on a bad file
            raise ValueError(f"quality: cannot read labeled file {f.name!r}: {exc}") from None
        _check_columns(list(map(str, frame.columns)), f)
        for number, record in enumerate(frame.to_dict("records"), start=1):
            yield f"quality: {f.name!r} row {number}", record
        return
    with f.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            where = f"quality: {f.name!r} line {number}"
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise ValueError(f"{where}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except (ValueError, RecursionError) as exc:
                msg = (
                    exc.msg
                    if isinstance(exc, json.JSONDecodeError)
                    else "nested too deeply"
                    if isinstance(exc, RecursionError)
                    else str(exc)
                )
                raise ValueError(f"{where}: not valid JSON ({msg})") from None
            yield where, record


def split(data_: LabeledData, test_size: float = 0.2, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Train and test row indices, stratified by data set and label; the same for the same data."""
    if not 0.0 < test_size < 1.0:
        raise ValueError(f"quality: the held-out share must be between 0 and 1, not {test_size}")
    if seed < 0:
        raise ValueError(f"quality: the seed must be 0 or more, not {seed}")
    if len(set(data_.y.tolist())) < 2:
        raise ValueError(
            f"quality: every article in {[f['path'] for f in data_.files]!r} has the label "
            f"{int(data_.y[0]) if len(data_.y) else 'none'}; a model needs reliable and unreliable ones"
        )
    idx = np.arange(len(data_.y))
    strata = np.char.add(data_.datasets.astype(str), data_.y.astype(str))
    try:
        train_idx, test_idx = train_test_split(idx, test_size=test_size, random_state=seed, stratify=strata)
    except ValueError as exc:  # a (data set, label) group of one row, or too few rows overall
        groups = dict(zip(*np.unique(strata, return_counts=True), strict=True))
        raise ValueError(
            f"quality: cannot hold out {test_size:.0%} of each data set and label from {len(idx)} "
            f"articles (rows per data set and label: {groups}): {exc}"
        ) from None
    return np.sort(train_idx), np.sort(test_idx)


def featurize(
    articles: Sequence[Article], headline_model: Any, claim_model: Any = None, reputation: Any = None
) -> np.ndarray:
    """Feature matrix of ``articles`` (computed once; every model fit reuses it)."""
    return Featurizer(headline_model, claim_model, reputation).fit(articles).transform(articles)


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


def make_baseline(max_features: int = 50_000, C: float = 1.0) -> Pipeline:
    """What most users would try first: TF-IDF of headline and body + logistic regression."""
    return make_pipeline(
        FunctionTransformer(_texts),
        TfidfVectorizer(sublinear_tf=True, min_df=2, max_features=max_features, ngram_range=(1, 2)),
        LogisticRegression(C=C, max_iter=2000),
    )


def _texts(articles: Sequence[Article]) -> list[str]:
    return [f"{a.title}\n{a.body}" for a in articles]


def compare_across_datasets(
    data_: LabeledData,
    X: np.ndarray,
    headline_model: Any,
    params: dict[str, Any] | None = None,
    seed: int = 0,
    claim_model: Any = None,
    reputation: Any = None,
    test_size: float = 0.2,
) -> dict[str, dict[str, dict[str, Any]]]:
    """Leave one data set out: train on the others, test on it; ours and the TF-IDF baseline
    on the same splits. Also a stratified random split (``test_size`` held out) for reference.

    Returns ``{held-out set: {"quality": metrics, "tfidf_lr": metrics, "paired_bootstrap": ...}}``
    plus ``"random_split"``; the paired bootstrap (`auc_difference`) gives 95% intervals of
    both AUCs and of their difference on the same rows. With several data sets, ``"mean_left_out"``
    has the mean AUC over the left-out sets and a bootstrap interval of the mean difference.
    """
    params = dict(params or {})
    out: dict[str, dict[str, dict[str, Any]]] = {}
    names = sorted(set(data_.datasets.tolist()))
    # Leaving one out needs at least one other data set to train on.
    splits = (
        [(name, data_.datasets != name, data_.datasets == name) for name in names] if len(names) > 1 else []
    )
    train_idx, _ = split(data_, test_size, seed)
    random_train = np.zeros(len(data_.y), dtype=bool)
    random_train[train_idx] = True
    splits.append(("random_split", random_train, ~random_train))
    # One independent stream of resamples per split: the sets are disjoint, and equal seeds
    # would resample two sets of one size at the same positions.
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(len(splits))]
    left_out: list[tuple[float, float, np.ndarray]] = []
    for (name, train_mask, test_mask), stream in zip(splits, streams, strict=True):
        one_class = [
            side
            for side, mask in (("training", train_mask), ("held-out", test_mask))
            if len(set(data_.y[mask].tolist())) < 2
        ]
        if one_class:
            # A data set of one label can be trained on with others, but not left out (AUC is
            # undefined), and the others alone may hold one label: no comparison there.
            out[name] = {"skipped": f"the {' and '.join(one_class)} rows hold a single label"}  # type: ignore[dict-item]
            log.warning("leave-one-out on %s skipped: %s", name, out[name]["skipped"])
            continue
        ours = _fit(X[train_mask], data_.y[train_mask], headline_model, params, claim_model, reputation)
        p_ours = ours.explain(X[test_mask])[2]
        train_articles = [a for a, keep in zip(data_.articles, train_mask, strict=True) if keep]
        test_articles = [a for a, keep in zip(data_.articles, test_mask, strict=True) if keep]
        baseline = make_baseline().fit(train_articles, data_.y[train_mask])
        p_base = baseline.predict_proba(test_articles)[:, 1]
        y = data_.y[test_mask]
        first, second = _resampled_aucs(y, [p_ours, p_base], BOOTSTRAP_ROUNDS, stream)
        out[name] = {
            "quality": metrics(y, p_ours),
            "tfidf_lr": metrics(y, p_base),
            "paired_bootstrap": _paired_summary(first, second),
        }
        log.info(
            "held out %s: AUC %s (ours) vs %s (TF-IDF)",
            name,
            out[name]["quality"]["auc"],
            out[name]["tfidf_lr"]["auc"],
        )
        if name != "random_split":
            left_out.append((out[name]["quality"]["auc"], out[name]["tfidf_lr"]["auc"], first - second))
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
    return out


def _fit(
    X: np.ndarray,
    y: np.ndarray,
    headline_model: Any,
    params: dict[str, Any],
    claim_model: Any = None,
    reputation: Any = None,
) -> Model:
    pipeline = make_model(
        headline_model=headline_model, claim_model=claim_model, reputation=reputation, **params
    )
    pipeline.named_steps["features"].fit([])
    Pipeline(pipeline.steps[1:]).fit(X, y)
    calibrated = pipeline.named_steps["classifier"].calibrated_classifiers_[0]
    if calibrated.calibrators[0].a_ >= 0:
        # Platt's slope from cross-validated scores came out flat or inverted: the booster
        # ranks its own held-out folds no better than chance (or worse). Inverting it would
        # turn every explanation upside down; calibrate on its in-sample scores instead.
        log.warning("cross-validated calibration slope is not positive; calibrating in-sample")
        booster = FrozenEstimator(calibrated.estimator)
        pipeline.steps[-1] = (
            "classifier",
            CalibratedClassifierCV(booster, method="sigmoid", ensemble=False).fit(X, y),
        )
    return Model(pipeline=pipeline, reference=np.median(X, axis=0))


#: Share of every headline or sentence file held out for the card's sub-model figures.
SUB_MODEL_TEST_SIZE = 0.2


#: Columns read as a sub-model's text or label column when the file has no column of that name.
_COLUMN_ALIASES = {
    "headline": ("title", "text"),
    "clickbait": ("label",),
    "text": ("sentence",),
    "checkworthy": ("label", "check_worthy", "check-worthy"),
}


def _read_sentences(path: Path, text: str, label: str, limit: int | None, seed: int) -> pd.DataFrame:
    """A labeled CSV of headlines or sentences: ``text`` and ``label`` (1/0) columns required.

    A file without one of them may name it as other corpora do (`_COLUMN_ALIASES`: "label" for
    "checkworthy" in CLEF CheckThat!, "title" for "headline").
    Rows are numbered as data rows after the header (``row 1`` is the first). A row without a
    usable label, a ``pair`` without exactly one row of each label, or a file with no rows
    raises `ValueError`; rows whose text is empty are dropped with a warning and
    counted in ``frame.attrs["empty"]``; in a file without pairs, repeated texts are kept once
    and texts whose copies disagree on the label dropped (``attrs["repeats"]``,
    ``attrs["conflicting"]``). ``limit`` keeps at most ``10 * limit`` rows (whole
    pairs when the file has pairs).
    """
    try:
        frame = pd.read_csv(path, dtype=dict.fromkeys((label, *_COLUMN_ALIASES.get(label, ())), str))
    except UnicodeDecodeError:
        raw = path.read_bytes()  # pandas reports the offset within a chunk; find the real one
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise ValueError(
                f"quality: {path.name!r} row {line - 1} (line {line}): not UTF-8 ({exc.reason})"
            ) from None
        raise ValueError(f"quality: {path.name!r} is not UTF-8") from None
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ValueError(f"quality: cannot read labeled CSV {str(path)!r}: {exc}") from None
    for wanted in (text, label):
        # Other corpora's names for the same column: CLEF CheckThat! calls check-worthiness
        # "label"; Webis and others call a headline "title".
        alias = next((a for a in _COLUMN_ALIASES.get(wanted, ()) if a in frame.columns), None)
        if wanted not in frame.columns and alias is not None:
            log.info("%s: reading column %r as %r", path.name, alias, wanted)
            frame = frame.rename(columns={alias: wanted})
    missing = [c for c in (text, label) if c not in frame.columns]
    if missing:
        raise ValueError(
            f"quality: labeled CSV {path.name!r} has no column {missing[0]!r} "
            f"(it has {list(map(str, frame.columns))!r}); expected {text!r} and {label!r}"
        )
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    values = frame[label].fillna("").str.strip()
    bad = ~values.isin(["0", "1", "0.0", "1.0"])
    if bad.any():
        row = int(frame.index[bad][0])
        raise ValueError(
            f"quality: {path.name!r} row {row}: {label} {str(frame[label][row])!r} is not 1 or 0"
        )
    frame[label] = values.astype(float).astype(int)
    empty = frame[text].isna() | (frame[text].astype(str).str.strip() == "")
    if empty.any():
        log.warning(
            "%s: %d rows with an empty %s skipped (first: row %d)",
            path.name,
            int(empty.sum()),
            text,
            int(frame.index[empty][0]),
        )
        frame = frame[~empty]
    if "pair" in frame.columns:
        _check_pairs(frame, path, label)
        repeats = conflicting = 0
    else:
        # A sentence that occurs twice is kept once, so that no copy is on both sides of the
        # split; when its copies disagree on the label, all of them go.
        key = frame[text].astype(str).str.split().str.join(" ")
        conflicted = key.map(frame.groupby(key)[label].nunique()) > 1
        repeated = key.duplicated() & ~conflicted
        repeats, conflicting = int(repeated.sum()), int(conflicted.sum())
        if repeats or conflicting:
            log.warning(
                "%s: dropped %d repeated %s row(s) and %d whose copies disagree on the label",
                path.name,
                repeats,
                text,
                conflicting,
            )
            frame = frame[~(repeated | conflicted)]
    if frame.empty:
        raise ValueError(f"quality: {path.name!r} has no labeled rows with text")
    if limit is not None and len(frame) > 10 * limit:
        if "pair" in frame.columns:
            # Whole pairs, so that the sample stays topic-matched.
            pairs = frame["pair"].drop_duplicates().sample(5 * limit, random_state=seed)
            frame = frame[frame["pair"].isin(pairs)]
        else:
            frame = frame.sample(10 * limit, random_state=seed)
    frame.attrs["empty"] = int(empty.sum())
    frame.attrs["repeats"], frame.attrs["conflicting"] = repeats, conflicting
    return frame


def _check_pairs(frame: pd.DataFrame, path: Path, label: str) -> None:
    """Every pair id names one row labeled 1 and one labeled 0."""
    if frame["pair"].isna().any():
        row = int(frame.index[frame["pair"].isna()][0])
        raise ValueError(
            f"quality: {path.name!r} row {row}: pair is empty; every row of a paired file needs one"
        )
    labels = frame.groupby("pair")[label].agg(lambda v: tuple(sorted(v)))
    wrong = labels[labels != (0, 1)]
    if len(wrong):
        raise ValueError(
            f"quality: {path.name!r}: pair {str(wrong.index[0])!r} has labels {list(map(int, wrong.iloc[0]))!r}; "
            "a pair is one row labeled 0 and one labeled 1"
        )


def _split_sentences(frame: pd.DataFrame, label: str, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Train and held-out rows: by ``pair`` when the file has one (both versions of a fact on one
    side), else stratified by label."""
    if "pair" in frame.columns:
        groups = GroupShuffleSplit(n_splits=1, test_size=SUB_MODEL_TEST_SIZE, random_state=seed)
        train_rows, test_rows = next(groups.split(frame, groups=frame["pair"]))
        return frame.iloc[train_rows], frame.iloc[test_rows]
    try:
        return train_test_split(
            frame, test_size=SUB_MODEL_TEST_SIZE, random_state=seed, stratify=frame[label]
        )
    except ValueError as exc:  # a label with a single row, or too few rows to hold any out
        counts = frame[label].value_counts().to_dict()
        raise ValueError(
            f"quality: cannot hold out a fifth of each label from {len(frame)} rows ({counts}): {exc}"
        ) from None


def _file_names(paths: Sequence[Path]) -> list[str]:
    """Each file's name in the card's metrics: its stem, which must be unique and not "all"."""
    names = [p.stem for p in paths]
    for name in names:
        if name == "all" or names.count(name) > 1:
            raise ValueError(
                f"quality: labeled files {[str(p) for p in paths]!r} need distinct names other than "
                f"'all' (the card keys their figures by name); rename {name!r}"
            )
    return names


def _sub_model(
    paths: Sequence[str | Path],
    text: str,
    label: str,
    make: Any,
    seed: int,
    limit: int | None = None,
) -> tuple[Any, dict[str, dict[str, float]], list[dict[str, Any]]]:
    """Fit a headline or sentence classifier on 80% of every file; metrics on each file's other 20%.

    A file with a ``pair`` column (the same fact written two ways) is split by pair, so that no
    fact is on both sides. Every file weighs the same in the classifier's fit, whatever its
    length: a few hundred topic-matched pairs would count for nothing beside 20,000 headlines
    otherwise. (The vocabularies are chosen by frequency over all rows, unweighted, so the
    larger file supplies most of them.) Returns the fitted model, metrics per file (and
    ``"all"`` when there are several) and the files' provenance for the card.
    """
    files = [Path(p) for p in paths]
    names = _file_names(files)
    train_parts, test_parts, info = [], [], []
    for path in files:
        frame = _read_sentences(path, text, label, limit, seed)
        train_part, test_part = _split_sentences(frame, label, seed)
        train_parts.append(train_part)
        test_parts.append(test_part)
        info.append(
            {
                "path": path.name,
                "sha256": file_sha256(path),
                "rows": int(len(frame)),
                "positive": int(frame[label].sum()),
                "empty_rows_skipped": frame.attrs["empty"],
                "repeats_dropped": frame.attrs["repeats"],
                "conflicting_labels_dropped": frame.attrs["conflicting"],
                "split_by": "pair" if "pair" in frame.columns else "row, stratified by label",
                "test_size": SUB_MODEL_TEST_SIZE,
            }
        )
    labels = set(np.concatenate([t[label].to_numpy() for t in train_parts]).tolist())
    if len(labels) < 2:
        raise ValueError(
            f"quality: every {label} in {[p.name for p in files]!r} is {labels.pop()}; "
            "a classifier needs rows labeled 1 and rows labeled 0"
        )
    total = sum(len(t) for t in train_parts)
    weights = np.concatenate([np.full(len(t), total / (len(train_parts) * len(t))) for t in train_parts])
    train_all = pd.concat(train_parts)
    fitted = make()
    fitted.fit(
        train_all[text].astype(str).tolist(),
        train_all[label].to_numpy(),
        **{f"{fitted.steps[-1][0]}__sample_weight": weights},
    )
    scores, ys, ps = {}, [], []
    for name, part in zip(names, test_parts, strict=True):
        ys.append(part[label].to_numpy())
        ps.append(fitted.predict_proba(part[text].astype(str).tolist())[:, 1])
        scores[name] = metrics(ys[-1], ps[-1])
    if len(test_parts) > 1:
        scores["all"] = metrics(np.concatenate(ys), np.concatenate(ps))
    # Frozen, so that cloning the reliability pipeline (GridSearchCV, cross_validate) keeps the
    # fitted sub-model instead of an unfitted copy.
    return FrozenEstimator(fitted), scores, info


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
) -> tuple[Model, dict[str, Any]]:
    """Train the headline model and the reliability model; return the model and its card.

    A stratified ``test_size`` share of the articles is held out; the card's metrics are on
    that share, overall and per data set. With ``compare``, the card also gets the
    leave-one-data-set-out comparison with the TF-IDF baseline (`compare_across_datasets`).
    ``headlines`` is one labeled headline CSV or several (e.g. Stop Clickbait and the project's
    topic-matched pairs, ``labeled/headlines.csv``); each has its own held-out figures.
    """
    started = time.perf_counter()
    params = dict(params or {})
    # The articles are read and split first: a bad file fails before any model is fitted.
    data_ = load_labeled(data, limit=limit, seed=seed)
    train_idx, test_idx = split(data_, test_size, seed)
    headline_files = [headlines] if isinstance(headlines, (str, Path)) else list(headlines)
    headline_model, headline_metrics, headline_info = _sub_model(
        headline_files, "headline", "clickbait", make_headline_model, seed, limit
    )
    claim_model: Any = None
    claim_metrics: dict[str, float] | None = None
    claim_info: dict[str, Any] | None = None
    if claims is not None:
        claim_model, by_file, (claim_info,) = _sub_model(
            [claims], "text", "checkworthy", make_claim_model, seed, limit
        )
        claim_metrics = by_file[Path(claims).stem]

    table = SourceReputation.from_csv(reputation) if reputation is not None else None
    X = featurize(data_.articles, headline_model, claim_model, table)
    cross = (
        compare_across_datasets(data_, X, headline_model, params, seed, claim_model, table, test_size)
        if compare
        else None
    )
    model = _fit(X[train_idx], data_.y[train_idx], headline_model, params, claim_model, table)
    check_additive(model, X[test_idx])
    p = model.explain(X[test_idx])[2]
    held_out = {"all": metrics(data_.y[test_idx], p)}
    for name in sorted(set(data_.datasets.tolist())):
        mask = data_.datasets[test_idx] == name
        held_out[name] = metrics(data_.y[test_idx][mask], p[mask])

    card = {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "description": (
            "Reliability of news articles from content signals only (no source reputation)."
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
                "train_rows": int(len(train_idx)),
                "test_rows": int(len(test_idx)),
            },
        },
        "hyperparameters": {
            k: v
            for k, v in model.pipeline.get_params().items()
            if k.startswith("classifier__") and isinstance(v, (int, float, str, type(None)))
        },
        "metrics": {
            "held_out": held_out,
            "leave_one_dataset_out": cross,
            "headline_model_held_out": headline_metrics,
            "claim_model_held_out": claim_metrics,
        },
        "git_commit": _git_commit(),
        "train_seconds": round(time.perf_counter() - started, 1),
    }
    model.card = card
    return model, card


def _git_commit() -> str | None:
    """The commit of the code that trained the model, when run from a git checkout."""
    import subprocess

    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            cwd=Path(__file__).resolve().parent,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def _card_split(model: Model) -> dict[str, Any]:
    """The train/held-out split recorded in ``model``'s card; `ValueError` if there is none."""
    split_card = model.card.get("training_data", {}).get("split", {})
    if not isinstance(split_card, dict) or not {"seed", "test_size"} <= set(split_card):
        raise ValueError(
            f"quality: the card of model {model.name!r} records no split (seed and test_size), so "
            "its held-out rows are unknown; evaluate without --held-out"
        )
    return split_card


def evaluate(
    model: Model, data: Sequence[str | Path], limit: int | None = None, held_out: bool = False
) -> dict[str, dict[str, Any]]:
    """AUC, F1, Brier and ECE of ``model`` on labeled files, overall and per data set.

    With ``held_out``, only the rows the model's card says were held out from training (the
    same files give the same split), so the figures reproduce the card's.
    """
    trained_on = model.card.get("training_data", {}).get("articles") or []
    if held_out:
        split_card = _card_split(model)
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
    p = model.explain(X)[2]
    out = {"all": metrics(y, p)}
    for name in sorted(set(datasets.tolist())):
        mask = datasets == name
        out[name] = metrics(y[mask], p[mask])
    return out


#: kind -> (what it is called, text column, label column, Model attribute); the card lists the
#: files under ``training_data[kind]``.
_SENTENCE_MODELS = {
    "headlines": ("headline model", "headline", "clickbait", "headline_model"),
    "claims": ("claim model", "text", "checkworthy", "claim_model"),
}


def evaluate_headlines(
    model: Model, paths: Sequence[str | Path], limit: int | None = None, held_out: bool = False
) -> dict[str, dict[str, Any]]:
    """AUC, F1, Brier and ECE of ``model``'s headline classifier on labeled headline CSVs.

    With ``held_out``, only each file's held-out fifth under the card's seed and limit (the
    split `train` made), so the card's sub-model figures come back; a file the card does not
    list (by name and SHA-256) is refused, since its "held-out" rows would be nothing of the
    kind. Otherwise every row (at most ``10 * limit``), for headlines from elsewhere.
    """
    return _evaluate_sentences(model, paths, "headlines", limit, held_out)


def evaluate_claims(
    model: Model, paths: Sequence[str | Path], limit: int | None = None, held_out: bool = False
) -> dict[str, dict[str, Any]]:
    """The same as `evaluate_headlines` for the check-worthy-claim model, on labeled sentence
    CSVs (``text``, ``checkworthy``); with ``held_out`` it reproduces the card's claim figures."""
    return _evaluate_sentences(model, paths, "claims", limit, held_out)


def _evaluate_sentences(
    model: Model, paths: Sequence[str | Path], kind: str, limit: int | None, held_out: bool
) -> dict[str, dict[str, Any]]:
    what, text, label, attribute = _SENTENCE_MODELS[kind]
    classifier = getattr(model, attribute)
    if classifier is None:
        raise ValueError(f"quality: model {model.name!r} has no {what} (it was trained without one)")
    csvs = [Path(p) for p in paths]
    names = _file_names(csvs)
    files = model.card.get("training_data", {}).get(kind) or []
    if isinstance(files, dict):  # one file, as cards have it for claims (and had for headlines)
        files = [files]
    if held_out:
        split_card = _card_split(model)
        seed, limit = split_card["seed"], split_card.get("limit")
        trained_on = {(f.get("path"), f.get("sha256")) for f in files}
        for path in csvs:
            if (path.name, file_sha256(path)) not in trained_on:
                raise ValueError(
                    f"quality: the {what} of {model.name!r} was not trained on {str(path)!r} (its card "
                    f"lists {sorted(n for n, _ in trained_on)!r}, by name and SHA-256), so it has no "
                    "held-out part; evaluate it without --held-out"
                )
    else:
        seed = 0
        seen = {f.get("sha256") for f in files}
        overlap = [p.name for p in csvs if file_sha256(p) in seen]
        if overlap:
            log.warning(
                "%s trained the %s of %r: these figures include its training rows; use "
                "--held-out for the held-out ones",
                ", ".join(overlap),
                what,
                model.name,
            )
    out, ys, ps = {}, [], []
    for name, path in zip(names, csvs, strict=True):
        frame = _read_sentences(path, text, label, limit, seed)
        if held_out:
            frame = _split_sentences(frame, label, seed)[1]
        ys.append(frame[label].to_numpy())
        ps.append(classifier.predict_proba(frame[text].astype(str).tolist())[:, 1])
        out[name] = metrics(ys[-1], ps[-1])
    if len(csvs) > 1:  # as in the card
        out["all"] = metrics(np.concatenate(ys), np.concatenate(ps))
    return out
