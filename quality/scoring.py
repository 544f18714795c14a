"""Score articles: one at a time, as a stream, or as a DataFrame."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import itertools
import os
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import sparse

from quality.article import (
    RECORD_KEYS,
    SIGNALS,
    Article,
    RecordError,
    Report,
    article_id,
    as_article,
    error_fields,
    record_fields,
)
from quality.batching import BATCH, check_stream, chunks
from quality.io.writers import columns
from quality.model import VOCABULARY, Model, default_model_path, load_model, model_paths
from quality.report import build_report
from quality.scope import detect_language
from quality.scope import preload as preload_detector
from quality.signals import analyse_many
from quality.submodels import counted
from quality.vocabulary import vocabulary_result

__all__ = ["default_model", "score", "score_frame", "score_many"]

_MODELS_LOCK = threading.Lock()


@functools.lru_cache(maxsize=4)
def _cached_model(artifact: str | None, stamp: object) -> Model:
    preload_detector()  # in a thread, while the model loads
    return load_model(artifact)


def _model_key(model: str | Path) -> tuple[str, object]:
    """A model path as the cache knows it: its artifact's real path, and the artifact's and
    card's modification times and sizes, so that another folder's "m" is another model and a
    model retrained in place is loaded (and its SHA-256 checked) again."""
    artifact, card = model_paths(model)
    stamps: list[tuple[int, int] | None] = []
    for path in (artifact, card):
        try:
            info = path.stat()
        except OSError:
            stamps.append(None)  # load_model says what is missing
        else:
            stamps.append((info.st_mtime_ns, info.st_size))
    return str(artifact.resolve()), tuple(stamps)


def default_model(model: Model | str | Path | None = None) -> Model:
    """``model`` itself, the model at that path, or the shipped model; loaded once per process
    (and again when its files change), by one thread while the others wait."""
    if isinstance(model, Model):
        return model
    if model is not None and not isinstance(model, (str, os.PathLike)):
        raise TypeError(
            f"quality: model must be a Model, a path to one (str or os.PathLike), or None for the "
            f"shipped model; got {type(model).__name__} ({model!r:.40})"
        )
    key = _model_key(default_model_path() if model is None else model)
    with _MODELS_LOCK:
        return _cached_model(*key)


#: Python's first-generation collection threshold while a batch is scored (its default is 700).
GC_THRESHOLD = 20_000


class _FewerCollections:
    """While a batch is scored, Python's cyclic garbage collector runs less often.

    Scoring allocates many short-lived objects, nearly all freed by reference counting; at the
    default threshold the collector ran about 1,100 times in 1,500 articles, and four of those
    were full collections, each walking the spelling dictionary (a dict of 320,000 lists) and
    the model's vocabularies for about 0.3 s: 1.0 ms of CPU an article, against 0.35 at
    `GC_THRESHOLD`. The threshold is the process's, so it is raised only while some thread is
    scoring a batch, and restored when the last one ends, before any report is yielded; a
    collector the caller turned off (threshold 0) or set higher stays as it is.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._depth = 0
        self._saved: tuple[int, int, int] | None = None

    @contextlib.contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._depth == 0:
                threshold = gc.get_threshold()
                if 0 < threshold[0] < GC_THRESHOLD:
                    self._saved = threshold
                    gc.set_threshold(GC_THRESHOLD, *threshold[1:])
            self._depth += 1
        try:
            yield
        finally:
            with self._lock:
                self._depth -= 1
                if self._depth == 0 and self._saved is not None:
                    gc.set_threshold(*self._saved)
                    self._saved = None


_fewer_collections = _FewerCollections()


def _score_batch(articles: list[Article], model: Model) -> list[Report]:
    with _fewer_collections():
        # The sub-models' words counted in C (`counted`): the same probabilities, to the last bit.
        results = analyse_many(articles, counted(model.headline_model), counted(model.claim_model))
        return _reports(articles, results, model)


def _reports(articles: list[Article], results: Sequence[Mapping[str, Any]], model: Model) -> list[Report]:
    """Reports of ``articles`` from their signal results (`quality.signals.analyse_many`)."""
    X = model.featurizer.matrix(articles, results)
    intercept, contributions, reliability = model.explain(X)
    words = model.word_contributions(X)
    signals = np.asarray(X[:, : len(model.signal_names)].toarray() if sparse.issparse(X) else X)
    names = model.feature_names
    # Each step over the whole batch before the next, as the signals are run (the language
    # detector's tables stay in the processor's caches).
    languages = [detect_language(a.title, a.body) for a in articles]
    reports = []
    for i, (a, r) in enumerate(zip(articles, results, strict=True)):
        contrib = dict(zip(names, map(float, contributions[i]), strict=True))
        if model.has_vocabulary:
            r = {**r, "vocabulary": vocabulary_result(a, words[i], contrib[VOCABULARY])}
        report = build_report(
            a,
            r,
            dict(zip(model.signal_names, map(float, signals[i]), strict=True)),
            contrib,
            intercept,
            reliability[i],
            model.label(reliability[i]),
            model.name,
            words[i],
            languages[i],
        )
        # An article cut at the record limit is scored on what was read, and its row says so.
        reports.append(dataclasses.replace(report, warning=a.warning) if a.warning else report)
    return reports


def score(article: Article | dict[str, Any] | str, model: Model | str | Path | None = None) -> Report:
    """Score one article.

    Parameters
    ----------
    article : Article, dict or str
        An `Article`; a dict with ``title`` and ``body`` (and optional ``id``, ``url``); or a
        string whose first line is the headline.
    model : Model, path or None
        The model to use; the shipped one by default.

    Returns
    -------
    Report
        ``reliability``, ``label``, ``signals``, ``contributions``, ``evidence``, ``reasons``.

    Examples
    --------
    >>> r = score("Storm hits coast\\nWinds reached 120 km/h on Monday, the weather agency said.")
    >>> 0.0 <= r.reliability <= 1.0, sorted(r.signals)[:2]
    (True, ['clickbait', 'filler'])
    """
    item = as_article(article)
    if not item.title.strip() and not item.body.strip():
        raise ValueError(f"quality: record {item.id!r} is empty: no headline and no body text to score")
    return _score_batch([item], default_model(model))[0]


def _record_id(item: Any, index: int) -> str:
    if isinstance(item, Article):
        return item.id
    if isinstance(item, dict):
        ident = article_id(record_fields(item)[0]["id"])
        if ident is not None:
            return ident
    return f"#{index}"


def score_many(
    items: Iterable[Article | RecordError | dict[str, Any] | str],
    model: Model | str | Path | None = None,
    on_error: Literal["raise", "yield"] = "raise",
    batch_size: int = BATCH,
) -> Iterator[Report | RecordError]:
    """Score a stream of articles, lazily, in input order.

    With ``on_error="yield"``, an item that cannot be scored (or a `RecordError` from a
    reader) comes out as a `RecordError` in its place, so every input gives exactly one output;
    with ``"raise"`` (the default) the first bad item raises. When ``items`` itself raises
    (a source that fails mid-stream), the items read before it are scored and yielded first.
    ``items`` is an iterable *of* articles: one string, dict or DataFrame is refused, since
    iterating it would score its characters, keys or column names.
    """
    check_stream(items, batch_size)
    if on_error not in ("raise", "yield"):
        raise ValueError(f"score_many: on_error must be 'raise' or 'yield', got {on_error!r}")
    return score_stream(items, default_model(model), on_error, batch_size)


def score_stream(
    items: Iterable[Any],
    model: Model,
    on_error: Literal["raise", "yield"] = "yield",
    batch_size: int = BATCH,
    start: int = 0,
) -> Iterator[Report | RecordError]:
    """`score_many` without its checks; ``start`` is the position of the first item, which
    names an item without an id in its error row (``#position``), also when the stream is
    scored in chunks by several workers."""
    return score_chunks(chunks(items, batch_size), model, on_error, start)


def score_chunks(
    cut: Iterable[list[Any]],
    model: Model,
    on_error: Literal["raise", "yield"] = "yield",
    start: int = 0,
) -> Iterator[Report | RecordError]:
    """`score_stream` of a stream already cut into batches (`quality.batching.chunks`, or
    `quality.batching.growing_chunks`), each scored as one."""
    counter = itertools.count(start)
    for chunk in cut:
        slots: list[Article | RecordError] = []
        for item in chunk:
            index = next(counter)
            if isinstance(item, RecordError):
                if on_error == "raise":
                    raise ValueError(item.error)
                slots.append(item)
                continue
            try:
                article = as_article(item, index)
                if not article.title.strip() and not article.body.strip():
                    raise ValueError(
                        f"quality: record {_record_id(item, index)!r} is empty: no headline and no body "
                        "text to score"
                    )
                slots.append(article)
            except (TypeError, ValueError) as exc:
                if on_error == "raise":
                    raise
                slots.append(RecordError(_record_id(item, index), str(exc), "parse", **error_fields(item)))
        articles = [s for s in slots if isinstance(s, Article)]
        reports: Iterator[Report | RecordError]
        try:
            reports = iter(_score_batch(articles, model))
        except Exception:
            if on_error == "raise":
                raise
            reports = iter(_score_one_by_one(articles, model))
        for slot in slots:
            yield slot if isinstance(slot, RecordError) else next(reports)


def _score_one_by_one(articles: list[Article], model: Model) -> Iterator[Report | RecordError]:
    """After a batch failed: score each article alone so only the bad one becomes an error."""
    for article in articles:
        try:
            yield _score_batch([article], model)[0]
        except Exception as exc:  # noqa: BLE001 - any failure of one record is that record's error
            yield RecordError(article.id, f"{type(exc).__name__}: {exc}", "score", **error_fields(article))


def score_frame(
    frame: pd.DataFrame, model: Model | str | Path | None = None, explain: bool = False
) -> pd.DataFrame:
    """Score a DataFrame with ``title`` and ``body`` columns (``id``, ``url`` optional).

    Columns are read as the readers read a record: ``headline`` for ``title``, ``text`` for
    ``body`` and so on (`quality.article.RECORD_KEYS`). Two columns for the same key (the
    same name twice, or ``Title`` and ``title``) raise `ValueError`.

    Returns one row per input row, same index, with the CLI's columns
    (`quality.io.writers.columns`: ``id``, ``url``, ``title``, ``source``, ``reliability``,
    ``label``, ``out_of_scope``, ``language``, ``words``, the five signals, ``reasons`` as a
    list, ``warning``, and ``error``/``stage`` for rows that failed, which keep the ``url``,
    ``title`` and ``source`` of their row; with ``explain``, then the intercept, one
    contribution per feature and the evidence); text columns are text even when no row fills
    them.

    Examples
    --------
    >>> df = pd.DataFrame({"title": ["Storm hits coast"], "body": ["Winds rose, the agency said."]})
    >>> list(score_frame(df).columns[:6])
    ['id', 'url', 'title', 'source', 'reliability', 'label']
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(
            f"score_frame: expected a pandas DataFrame, got {type(frame).__name__}; use score_many for other iterables"
        )
    lowered = pd.Series([str(c).strip().lower() for c in frame.columns])
    known = {k for keys in RECORD_KEYS.values() for k in keys}
    repeated = sorted(set(lowered[lowered.duplicated() & lowered.isin(known)]))
    if repeated:
        # to_dict would keep one of the copies without a word; which one is a guess.
        raise ValueError(
            f"score_frame: the DataFrame has more than one {repeated[0]!r} column "
            f"(columns: {list(map(str, frame.columns))!r}); keep one"
        )
    if not lowered.isin(RECORD_KEYS["title"] + RECORD_KEYS["body"]).any():
        raise ValueError(
            "score_frame: the DataFrame needs a title and/or body column "
            f"(one of {list(RECORD_KEYS['title'] + RECORD_KEYS['body'])!r}); it has {list(map(str, frame.columns))!r}"
        )
    model = default_model(model)
    id_columns = [c for c, key in zip(frame.columns, lowered, strict=True) if key in RECORD_KEYS["id"]]
    given = [article_id(record_fields(r)[0]["id"]) for r in frame[id_columns].to_dict("records")]
    used = {i for i in given if i is not None}
    ids = []
    for position, (label, ident) in enumerate(zip(frame.index, given, strict=True)):
        if ident is None:
            # The row's index label, unless another row already has that id (a duplicate index,
            # or a real id equal to it): then its position, which no label shares.
            ident = str(label)
            if ident in used:
                ident = f"#{position}"
                while ident in used:
                    ident += "'"
            used.add(ident)
        ids.append(ident)
    text = frame.drop(columns=id_columns)

    def records() -> Iterator[dict[str, Any]]:
        # A batch at a time: the whole frame as Python dicts would double its memory.
        for start in range(0, len(text), BATCH):
            for record, ident in zip(
                text.iloc[start : start + BATCH].to_dict("records"), ids[start : start + BATCH], strict=True
            ):
                record["id"] = ident
                yield record

    rows = [
        out.to_row() if isinstance(out, RecordError) else out.to_row(explain=explain)
        for out in score_stream(records(), model, "yield")
    ]
    # The CLI's columns, from the one list of them; every column always, even for an empty
    # frame or one whose rows all failed, each with its type: a text column that no row fills
    # is text still, not float NaN.
    out = pd.DataFrame(rows, index=frame.index, columns=columns(model.feature_names, explain))
    text = "str" if int(pd.__version__.split(".")[0]) >= 3 else object  # pandas 2 has no "str"
    types: dict[str, Any] = dict.fromkeys(
        ("id", "url", "title", "source", "label", "out_of_scope", "language", "warning", "error", "stage"),
        text,
    )
    numbers = [
        c for c in out.columns if c in ("reliability", "intercept", *SIGNALS) or c.startswith("contribution.")
    ]
    return out.astype({**types, **dict.fromkeys(numbers, "float64"), "words": "Int64"})
