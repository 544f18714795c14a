"""Labeled article files: reading them, grouping and splitting rows, computing features.

Labeled files are JSONL, CSV, TSV or Parquet (the first three also gzipped) with ``title``,
``body`` (or the other names the readers accept) and ``label`` ("reliable"/"unreliable" or 1/0),
read through `quality.io.readers.raw_records`, as the scorer reads them; a file's name is its
data set's."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from joblib import Parallel, delayed
from sklearn.model_selection import StratifiedGroupKFold

from quality._files import file_sha256
from quality.article import Article, RecordError, article_id, is_missing, record_fields
from quality.features import Featurizer
from quality.io.readers import raw_records
from quality.signals import analyse_many

__all__ = ["LabeledData", "featurize", "folds", "load_labeled", "split"]

log = logging.getLogger(__name__)


_LABELS = {"reliable": 1, "unreliable": 0, "1": 1, "0": 0, "true": 1, "false": 0}


@dataclass
class LabeledData:
    """Articles with their labels (1 = reliable), the data set (file) each comes from, and the
    group each belongs to (`groups_of`): rows of one group are never split apart."""

    articles: list[Article]
    y: np.ndarray
    datasets: np.ndarray
    files: list[dict[str, Any]]
    groups: np.ndarray


def groups_of(articles: Sequence[Article], y: np.ndarray, datasets: np.ndarray) -> np.ndarray:
    """The unit every split keeps whole: the outlet, in a data set whose labels follow the
    outlet (every row names its ``source`` and each source has one label, as in ReCOVery,
    which rates outlets, not articles); else the row itself.

    Split by row, an outlet's articles would sit on both sides, and a model that learns the
    outlet's name or house style would look as if it had learned reliability.

    Examples
    --------
    >>> arts = [Article("a", "b", source=s) for s in ("X", "X", "Y", "Z")]
    >>> groups_of(arts, np.array([1, 1, 0, 1]), np.array(["r"] * 4)).tolist()
    ['r:X', 'r:X', 'r:Y', 'r:Z']
    >>> groups_of(arts, np.array([1, 0, 0, 1]), np.array(["r"] * 4)).tolist()
    ['r#0', 'r#1', 'r#2', 'r#3']
    """
    out = np.empty(len(articles), dtype=object)
    for name in dict.fromkeys(datasets.tolist()):
        rows = np.flatnonzero(datasets == name)
        sources = [articles[int(i)].source for i in rows]
        labels: dict[str, set[int]] = {}
        for source, label in zip(sources, y[rows].tolist(), strict=True):
            labels.setdefault(str(source), set()).add(label)
        by_outlet = all(sources) and all(len(v) == 1 for v in labels.values()) and len(labels) > 1
        for i, source in zip(rows, sources, strict=True):
            out[i] = f"{name}:{source}" if by_outlet else f"{name}#{i}"
    return out.astype(str)


def load_labeled(paths: Sequence[str | Path], limit: int | None = None, seed: int = 0) -> LabeledData:
    """Read labeled article files: JSONL, CSV, TSV or Parquet, or the same gzipped (``.jsonl.gz``;
    folders: every such file inside).

    Each record has ``label`` (``reliable``/``unreliable``, 1/0 or true/false) and ``title``/
    ``body`` text, under the names the readers accept (`quality.article.RECORD_KEYS`:
    ``headline``, ``text``...); its data set is its file's name, which must therefore differ
    between files. An article that occurs more than once (same title and body, whitespace
    aside; in one file or across files) is kept once, at its first occurrence, so that no copy
    sits on both sides of a split; when its copies disagree on the label, every copy is dropped.
    A record with neither title nor body is skipped. The counts go into each file's entry of
    ``files``. ``limit`` then keeps a random sample of at most that many rows per file (for
    quick runs). A bad row raises `ValueError` naming the file, the line (or row, numbered as
    `quality score` numbers it) and the reason, before anything is returned.
    """
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(sorted(f for f in p.iterdir() if _suffix(f) in _LABELED_SUFFIXES))
        elif p.exists():
            files.append(p)
        else:
            raise FileNotFoundError(f"quality: no such labeled data: {str(p)!r}")
    if not files:
        raise ValueError(
            f"quality: no labeled {'/'.join(_LABELED_SUFFIXES)} files (or the same + .gz) in "
            f"{list(map(str, paths))!r}"
        )
    stems = [_dataset(f) for f in files]
    for stem in stems:
        if stems.count(stem) > 1:
            raise ValueError(
                f"quality: labeled files {[str(g) for g in files if _dataset(g) == stem]!r} share the "
                f"name {stem!r}, and a file's name is its data set's; rename one"
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
    for f, stem, rows in zip(files, stems, read, strict=True):
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
            datasets.append(stem)
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
    labels, names = np.asarray(y, dtype=int), np.asarray(datasets)
    groups = groups_of(articles, labels, names)
    for entry, stem in zip(info, stems, strict=True):
        entry["grouped_by"] = "source" if any(g.startswith(f"{stem}:") for g in groups) else "row"
    return LabeledData(articles, labels, names, info, groups)


def _read_labeled(f: Path) -> list[tuple[tuple[str, str], Article | None, int]]:
    """(dedup key, article, label) for every record of one labeled file; the article is None
    for a record with neither title nor body (skipped, and counted)."""
    rows: list[tuple[tuple[str, str], Article | None, int]] = []
    for item in raw_records(f, keys=["label"]):
        if isinstance(item, RecordError):
            raise ValueError(item.error)
        record, where = item.value, f"quality: {item.where}"
        if not isinstance(record, dict):
            raise ValueError(f"{where}: a record must be a JSON object, not {type(record).__name__}")
        labels = [v for k, v in record.items() if str(k).strip().lower() == "label"]
        if not labels and _suffix(f) in _TABULAR:
            raise ValueError(f"quality: {f.name!r} has no 'label' column (its columns: {list(record)!r})")
        raw_label = labels[0] if labels else None
        if is_missing(raw_label) or raw_label == "":  # "": an empty CSV cell
            raise ValueError(f"{where}: no label; expected 'reliable'/'unreliable' or 1/0")
        if isinstance(raw_label, float) and raw_label in (0.0, 1.0):
            raw_label = int(raw_label)
        label = _LABELS.get(str(raw_label).strip().lower())
        if label is None or isinstance(raw_label, (list, dict)):
            raise ValueError(f"{where}: label {raw_label!r} is not 'reliable'/'unreliable' or 1/0")
        fields, _ = record_fields(record)
        title, body = fields["title"] or "", fields["body"] or ""
        if not isinstance(title, str) or not isinstance(body, str):
            raise ValueError(f"{where}: title and body must be strings")
        if not (title.strip() or body.strip()):
            log.warning("%s: skipped, the article has neither a title nor a body", item.where)
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


#: File types `load_labeled` reads, each also gzipped (+ ".gz"; not Parquet, compressed inside).
_LABELED_SUFFIXES = (".jsonl", ".csv", ".tsv", ".parquet")
#: Those whose records are rows under one header: a missing label is a missing column.
_TABULAR = (".csv", ".tsv", ".parquet")


def _suffix(f: Path) -> str:
    """The file's type, under a ``.gz``: ".csv" for ``a.csv`` and ``a.csv.gz``."""
    name = f.name.lower()
    return Path(name.removesuffix(".gz")).suffix


def _dataset(f: Path) -> str:
    """The data set a file holds: its name without its type (``a`` for ``a.jsonl.gz``)."""
    return Path(f.name[:-3] if f.name.lower().endswith(".gz") else f.name).stem


def split(data_: LabeledData, test_size: float = 0.2, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Train and test row indices, stratified by data set and label and grouped by
    `groups_of` (an outlet's rows on one side); the same for the same data.

    The held-out rows are the first of ``round(1 / test_size)`` stratified group folds
    (`folds`), so ``test_size`` is met as closely as whole groups allow.
    """
    return folds(data_, test_size, seed)[0]


def folds(data_: LabeledData, test_size: float = 0.2, seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """All the stratified group folds that `split` takes its held-out rows from: ``(train,
    test)`` row indices each, every row in exactly one ``test``; the first is `split`'s.

    Cross-validated figures pool the held-out rows of every fold: the whole data set held out
    once, where one fold's figures (a fifth of it, and a few outlets' worth of ReCOVery)
    swing with which outlets that fold happened to draw.
    """
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
    k = max(2, round(1 / test_size))
    smallest = int(np.unique(strata, return_counts=True)[1].min())
    if smallest < 2:
        groups = dict(zip(*np.unique(strata, return_counts=True), strict=True))
        raise ValueError(
            f"quality: cannot hold out {test_size:.0%} of each data set and label from {len(idx)} "
            f"articles: a data set and label has a single row (rows per data set and label: {groups})"
        )
    splitter = StratifiedGroupKFold(n_splits=min(k, smallest), shuffle=True, random_state=seed)
    return [(np.sort(a), np.sort(b)) for a, b in splitter.split(idx, strata, data_.groups)]


def featurize(
    articles: Sequence[Article],
    headline_model: Any,
    claim_model: Any = None,
    reputation: Any = None,
    jobs: int = 1,
    keep: Sequence[int] | np.ndarray | None = None,
) -> Any:
    """Signal-feature matrix of ``articles`` (computed once; every model fit reuses it), in
    ``jobs`` processes, each taking a contiguous share of the articles.

    With ``keep`` (row indices), returns ``(matrix, results)`` where ``results`` are the signal
    results (`quality.signals.analyse_many`, evidence included) of those rows, in that order:
    what scoring needs to build their reports without analysing them again.
    """
    featurizer = Featurizer(headline_model, claim_model, reputation).fit(articles)
    wanted = None if keep is None else np.asarray(keep, dtype=int)
    if jobs <= 1 or len(articles) < 2 * jobs:
        parts = [_featurize_part(featurizer, articles, 0, wanted)]
    else:
        bounds = np.linspace(0, len(articles), jobs + 1).astype(int)
        parts = Parallel(n_jobs=jobs)(
            delayed(_featurize_part)(featurizer, articles[a:b], a, wanted)
            for a, b in zip(bounds[:-1], bounds[1:], strict=True)
        )
    X = np.vstack([m for m, _ in parts])
    if wanted is None:
        return X
    found = {i: r for _, part in parts for i, r in part.items()}
    return X, [found[int(i)] for i in wanted]


def _featurize_part(
    featurizer: Featurizer, articles: Sequence[Article], offset: int, keep: np.ndarray | None
) -> tuple[np.ndarray, dict[int, Any]]:
    """Features of ``articles`` (rows ``offset`` on), and the signal results of rows in ``keep``."""
    results = analyse_many(list(articles), featurizer.headline_model, featurizer.claim_model)
    matrix = featurizer.matrix(articles, results)
    if keep is None:
        return matrix, {}
    inside = keep[(keep >= offset) & (keep < offset + len(articles))]
    return matrix, {int(i): results[int(i) - offset] for i in inside}
