"""The headline and claim sub-models: reading labeled sentence CSVs, fitting, evaluating."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import GroupShuffleSplit, train_test_split

from quality._files import file_sha256
from quality.model import Model
from quality.training.card import card_split
from quality.training.metrics import metrics

__all__ = ["SUB_MODEL_TEST_SIZE", "evaluate_claims", "evaluate_headlines", "fit_sub_model"]

log = logging.getLogger(__name__)


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


def fit_sub_model(
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
        split_card = card_split(model)
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
