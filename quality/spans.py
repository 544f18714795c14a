"""Precision and recall of each signal's evidence on the real-article evaluation set.

The set (``labeled/real/``, described in its ``README.md``) lists corpus articles by file and
line in ``sample.jsonl`` and later draws ``sample_*.jsonl``, each article in a ``dev`` or a
``test`` half, with exhaustive span annotations of
four kinds (``typo``, ``filler``, ``source``, ``claim``) and a clickbait label per headline. No
text is stored there: articles are read from the corpus files at run time and checked against
the id and the SHA-256 of ``title + "\\n" + body`` recorded when the sample was drawn.

Each article is scored content-only (its title and body; no url, no source) with the given
model, the shipped one by default, through `quality.score_many`; its `Report.evidence` is then
matched to the annotations.

Matching rules
--------------
- A signal's evidence is compared with the annotations of one kind: ``sourcing`` with
  ``source``, ``typos`` with ``typo``, ``filler`` with ``filler``, ``unsupported_claims`` with
  ``claim`` (`KINDS`). Evidence of other signals (clickbait words in the headline) is not
  matched; clickbait is measured per headline (below).
- A predicted span is the evidence's ``(signal, field, start, end)``; the same span emitted by
  two features of a signal (a sentence both unattributed and hedged) counts once, and is
  correct when any of them is.
- Two spans overlap when they are in the same field (``title`` or ``body``) and share at least
  one character: ``max(starts) < min(ends)``. An empty span overlaps nothing.
- A predicted span is a true positive when it overlaps an annotated span of its signal's kind.
  Vague sources ("experts say", "sources said") were annotated either as a ``source`` phrase
  or only as the ``claim`` sentence around them, so a ``sourcing`` span of the feature
  ``sourcing.anonymous_sources_per_100w`` is also a true positive when it overlaps a ``claim``
  span. That exception changes sourcing's precision only: it never makes a claim annotation
  count as found by the claims signal.
- precision = true positives / predicted spans; an annotated span is found when at least one
  predicted span of its kind's signal overlaps it; recall = found / annotated spans. A ratio
  with nothing to divide by is ``None`` (printed ``n/a``).
- Clickbait, per headline: predicted when ``report.signals["clickbait"] >= 0.5``
  (`CLICKBAIT_THRESHOLD`), compared with the annotation's ``clickbait`` (0/1) for precision,
  recall and F1; and the share of the set's reliable-label articles (corpus label) whose
  non-empty headline is predicted clickbait.

Two figures are computed on whole corpora rather than on the sample: typo spans per 1,000
words on all reliable-label articles of the four corpus files (words: whitespace-separated
tokens of title and body; both halves of the sample included, since it is a rate of flags on
reliable text, not a matching), and the share of those articles' non-empty headlines scored
clickbait >= 0.5.

Examples
--------
>>> from quality import Evidence
>>> predicted = [Evidence("typos", "typos.misspelled_per_100w", "body", 4, 13, "goverment")]
>>> annotated = [AnnotatedSpan("typo", "body", 4, 13), AnnotatedSpan("typo", "body", 30, 34)]
>>> counts = match(predicted, annotated)["typos"]
>>> counts.precision, counts.recall
(1.0, 0.5)
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from quality import Article, Evidence, Model, RecordError, Report, score_many

__all__ = [
    "ALL",
    "CLICKBAIT_THRESHOLD",
    "HALVES",
    "KINDS",
    "AnnotatedArticle",
    "AnnotatedSpan",
    "CorpusRates",
    "GroupResult",
    "HeadlineCounts",
    "SignalCounts",
    "SpanEvaluation",
    "corpus_rates",
    "evaluate_articles",
    "evaluate_spans",
    "format_markdown",
    "format_text",
    "load_set",
    "match",
    "overlaps",
]

log = logging.getLogger(__name__)

#: The annotation kind each signal's evidence is matched with.
KINDS: dict[str, str] = {
    "sourcing": "source",
    "typos": "typo",
    "filler": "filler",
    "unsupported_claims": "claim",
}
#: A sourcing feature whose spans are also right on an annotated claim sentence (vague sources).
VAGUE_SOURCE_FEATURE = "sourcing.anonymous_sources_per_100w"
CLICKBAIT_THRESHOLD = 0.5
HALVES = ("dev", "test")
#: The group name of all corpora together.
ALL = "all"
_FIELDS = ("title", "body")
#: The issue's goals on real text, printed beside the figures.
GOALS: dict[str, str] = {
    "sourcing": "P ≥ 0.90",
    "typos": "P ≥ 0.90, R ≥ 0.5",
    "filler": "P ≥ 0.90",
    "unsupported_claims": "P ≥ 0.80",
    "clickbait": "reliable flagged ≤ 10%",
}


@dataclass(frozen=True, slots=True)
class AnnotatedSpan:
    """One annotated span: its kind, the field it is in, and its character offsets."""

    kind: str
    field: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class AnnotatedArticle:
    """A sampled corpus article, read and checked, with its annotations."""

    dataset: str
    line: int
    label: str
    half: str
    article: Article
    clickbait: int
    spans: tuple[AnnotatedSpan, ...]


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


@dataclass(frozen=True, slots=True)
class SignalCounts:
    """Counts behind one signal's precision and recall; they add up over articles.

    Examples
    --------
    >>> c = SignalCounts(predicted=4, true_positives=3, annotated=6, found=3)
    >>> c.precision, c.recall
    (0.75, 0.5)
    """

    predicted: int = 0
    true_positives: int = 0
    annotated: int = 0
    found: int = 0

    @property
    def precision(self) -> float | None:
        """True positives / predicted spans, or None when nothing was predicted."""
        return _ratio(self.true_positives, self.predicted)

    @property
    def recall(self) -> float | None:
        """Annotated spans found / annotated spans, or None when nothing was annotated."""
        return _ratio(self.found, self.annotated)

    def __add__(self, other: SignalCounts) -> SignalCounts:
        return SignalCounts(
            self.predicted + other.predicted,
            self.true_positives + other.true_positives,
            self.annotated + other.annotated,
            self.found + other.found,
        )


@dataclass(frozen=True, slots=True)
class HeadlineCounts:
    """Clickbait per headline: the confusion counts, and reliable-label headlines flagged."""

    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    true_negatives: int = 0
    reliable: int = 0
    reliable_flagged: int = 0
    #: Reliable-label headlines the annotator called clickbait, and those flagged though the
    #: annotator called them plain: reliable outlets write bait too, so the share flagged mixes
    #: right and wrong calls; these two tell them apart.
    reliable_bait: int = 0
    reliable_flagged_plain: int = 0

    @property
    def precision(self) -> float | None:
        """Annotated clickbait among the headlines predicted clickbait."""
        return _ratio(self.true_positives, self.true_positives + self.false_positives)

    @property
    def recall(self) -> float | None:
        """Predicted clickbait among the headlines annotated clickbait."""
        return _ratio(self.true_positives, self.true_positives + self.false_negatives)

    @property
    def f1(self) -> float | None:
        """Harmonic mean of precision and recall: 2 TP / (2 TP + FP + FN)."""
        return _ratio(
            2 * self.true_positives, 2 * self.true_positives + self.false_positives + self.false_negatives
        )

    @property
    def reliable_share(self) -> float | None:
        """Share of reliable-label headlines predicted clickbait."""
        return _ratio(self.reliable_flagged, self.reliable)

    @property
    def reliable_bait_share(self) -> float | None:
        """Share of reliable-label headlines annotated clickbait."""
        return _ratio(self.reliable_bait, self.reliable)

    @property
    def reliable_plain_flagged_share(self) -> float | None:
        """Share of reliable-label headlines predicted clickbait though annotated plain."""
        return _ratio(self.reliable_flagged_plain, self.reliable)

    def __add__(self, other: HeadlineCounts) -> HeadlineCounts:
        return HeadlineCounts(
            *(getattr(self, f.name) + getattr(other, f.name) for f in fields(HeadlineCounts))
        )


@dataclass(frozen=True, slots=True)
class GroupResult:
    """The figures of one half and one corpus (or all corpora)."""

    articles: int = 0
    signals: dict[str, SignalCounts] = field(default_factory=lambda: {s: SignalCounts() for s in KINDS})
    headlines: HeadlineCounts = HeadlineCounts()

    def __add__(self, other: GroupResult) -> GroupResult:
        return GroupResult(
            self.articles + other.articles,
            {s: self.signals[s] + other.signals[s] for s in KINDS},
            self.headlines + other.headlines,
        )


@dataclass(frozen=True, slots=True)
class CorpusRates:
    """Typo flags and clickbait headlines on all reliable-label articles of the corpora."""

    articles: int
    words: int
    typo_spans: int
    headlines: int
    clickbait_headlines: int

    @property
    def typos_per_1000_words(self) -> float | None:
        """Typo spans per 1,000 words."""
        return None if not self.words else 1000 * self.typo_spans / self.words

    @property
    def clickbait_share(self) -> float | None:
        """Share of non-empty headlines scored clickbait >= 0.5."""
        return _ratio(self.clickbait_headlines, self.headlines)


@dataclass(frozen=True, slots=True)
class SpanEvaluation:
    """Everything `quality evaluate --spans` prints.

    ``groups[half][corpus]`` for each half evaluated, each corpus and `ALL`; ``rates`` the
    corpus-wide figures, or None when not computed.
    """

    groups: dict[str, dict[str, GroupResult]]
    rates: CorpusRates | None
    model: str = ""


def overlaps(a: AnnotatedSpan | Evidence, b: AnnotatedSpan | Evidence) -> bool:
    """Whether two spans are in the same field and share at least one character.

    Examples
    --------
    >>> overlaps(AnnotatedSpan("typo", "body", 0, 5), AnnotatedSpan("typo", "body", 4, 9))
    True
    >>> overlaps(AnnotatedSpan("typo", "body", 0, 5), AnnotatedSpan("typo", "body", 5, 9))
    False
    >>> overlaps(AnnotatedSpan("typo", "body", 0, 5), AnnotatedSpan("typo", "title", 0, 5))
    False
    """
    return a.field == b.field and max(a.start, b.start) < min(a.end, b.end)


def match(evidence: Iterable[Evidence], spans: Iterable[AnnotatedSpan]) -> dict[str, SignalCounts]:
    """Match one article's evidence with its annotated spans, by the rules of the module docstring.

    Parameters
    ----------
    evidence : iterable of Evidence
        The article's evidence (`Report.evidence`); signals not in `KINDS` are ignored.
    spans : iterable of AnnotatedSpan
        The article's annotated spans.

    Returns
    -------
    dict of str to SignalCounts
        One entry per signal of `KINDS`.

    Examples
    --------
    >>> from quality import Evidence
    >>> vague = Evidence("sourcing", "sourcing.anonymous_sources_per_100w", "body", 0, 11, "Experts say")
    >>> claim = AnnotatedSpan("claim", "body", 0, 40)
    >>> c = match([vague], [claim])
    >>> c["sourcing"].true_positives, c["sourcing"].annotated, c["unsupported_claims"].found
    (1, 0, 0)
    """
    spans = list(spans)
    # (signal, field, start, end) -> the features that emitted it
    predicted: dict[tuple[str, str, int, int], set[str]] = {}
    for e in evidence:
        if e.signal in KINDS:
            predicted.setdefault((e.signal, e.field, e.start, e.end), set()).add(e.feature)
    out = {}
    for signal, kind in KINDS.items():
        own = [s for s in spans if s.kind == kind]
        claims = [s for s in spans if s.kind == "claim"] if signal == "sourcing" else []
        guesses = [
            (AnnotatedSpan(kind, f, start, end), features)
            for (sig, f, start, end), features in predicted.items()
            if sig == signal
        ]
        tp = 0
        for guess, features in guesses:
            if any(overlaps(guess, s) for s in own) or (
                VAGUE_SOURCE_FEATURE in features and any(overlaps(guess, s) for s in claims)
            ):
                tp += 1
        found = sum(1 for s in own if any(overlaps(guess, s) for guess, _ in guesses))
        out[signal] = SignalCounts(len(guesses), tp, len(own), found)
    return out


def _text_sha256(title: str, body: str) -> str:
    return hashlib.sha256(f"{title}\n{body}".encode()).hexdigest()


def _read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(
                    f"quality: cannot read {str(path)!r} line {number}: not valid JSON ({exc})"
                ) from None


def _corpus_rows(corpora: Path, dataset: str, lines: set[int]) -> dict[int, dict[str, Any]]:
    """The rows at these 1-based lines of ``<corpora>/<dataset>.jsonl``."""
    path = corpora / f"{dataset}.jsonl"
    if not path.is_file():
        raise FileNotFoundError(
            f"quality: corpus file {str(path)!r} not found; the real-article set reads its text from "
            "the corpus files (pass --corpora FOLDER, the folder of the four corpus .jsonl files)"
        )
    rows = {}
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if number in lines:
                rows[number] = json.loads(line)
    return rows


def _check_corpora(corpora: Path) -> None:
    if not corpora.is_dir():
        raise FileNotFoundError(
            f"quality: corpora folder {str(corpora)!r} not found; the real-article set stores offsets "
            "only and reads the articles from the corpus files (../shared/corpora/articles from the "
            "project root); pass --corpora FOLDER"
        )


def _annotations(folder: Path) -> dict[tuple[str, int], tuple[Path, int, dict[str, Any]]]:
    out: dict[tuple[str, int], tuple[Path, int, dict[str, Any]]] = {}
    for path in sorted((folder / "annotations").glob("*.jsonl")):
        for number, record in _read_jsonl(path):
            key = (record["dataset"], int(record["line"]))
            if key in out:
                first, first_line, _ = out[key]
                raise ValueError(
                    f"quality: {record['dataset']} line {key[1]} ({record.get('id')!r}) is annotated twice: "
                    f"{str(first)!r} line {first_line} and {str(path)!r} line {number}; keep one"
                )
            out[key] = (path, number, record)
    return out


def _spans(record: dict[str, Any], article: Article, where: str) -> tuple[AnnotatedSpan, ...]:
    spans = []
    for raw in record.get("spans", []):
        span = AnnotatedSpan(raw["kind"], raw["field"], int(raw["start"]), int(raw["end"]))
        if span.kind not in KINDS.values():
            raise ValueError(
                f"quality: {where}: span kind {span.kind!r} is not one of {sorted(KINDS.values())!r}"
            )
        if span.field not in _FIELDS:
            raise ValueError(f"quality: {where}: span field {span.field!r} is not 'title' or 'body'")
        length = len(getattr(article, span.field))
        if not 0 <= span.start < span.end <= length:
            raise ValueError(
                f"quality: {where}: span {span.kind} {span.field}[{span.start}:{span.end}] is outside "
                f"the {span.field} ({length} characters); the annotation does not fit this corpus text"
            )
        spans.append(span)
    return tuple(spans)


def load_set(
    folder: str | Path, corpora: str | Path, halves: Sequence[str] = HALVES
) -> list[AnnotatedArticle]:
    """Read the sampled articles of these halves from the corpora, checked, with their annotations.

    Parameters
    ----------
    folder : str or Path
        The set's folder (``labeled/real``): ``sample.jsonl``, any later draws
        ``sample_*.jsonl`` (read after it, in name order) and ``annotations/*.jsonl``.
    corpora : str or Path
        The folder of the corpus files (``../shared/corpora/articles``), ``<dataset>.jsonl``.
    halves : sequence of str
        ``"dev"``, ``"test"`` or both; only these halves' articles are read.

    Returns
    -------
    list of AnnotatedArticle
        In the sample's order. A sampled article without annotation is left out with a warning
        (annotations may still be in progress).

    Raises
    ------
    FileNotFoundError
        When the set or the corpora folder or a corpus file is missing.
    ValueError
        When a corpus line is missing or its id or text differs from the sample's (the message
        names the article), an article is drawn in two sample files, or an annotation does not
        fit its article.
    """
    folder, corpora = Path(folder), Path(corpora)
    unknown = sorted(set(halves) - set(HALVES))
    if unknown:
        raise ValueError(f"quality: unknown half {unknown[0]!r}; expected 'dev' or 'test'")
    sample_path = folder / "sample.jsonl"
    if not sample_path.is_file():
        raise FileNotFoundError(
            f"quality: {str(sample_path)!r} not found; --spans takes the set's folder (labeled/real)"
        )
    _check_corpora(corpora)
    sample: list[tuple[int, dict[str, Any]]] = []
    drawn_in: dict[tuple[str, int], Path] = {}
    for path in (sample_path, *sorted(folder.glob("sample_*.jsonl"))):
        for n, r in _read_jsonl(path):
            key = (r["dataset"], int(r["line"]))
            if key in drawn_in:
                raise ValueError(
                    f"quality: {str(path)!r} line {n}: {r['dataset']} line {key[1]} was already drawn in "
                    f"{str(drawn_in[key])!r}; a later draw must exclude the earlier ones"
                )
            drawn_in[key] = path
            if r["half"] in halves:
                sample.append((n, r))
    notes = _annotations(folder)
    wanted: dict[str, set[int]] = {}
    for _, r in sample:
        wanted.setdefault(r["dataset"], set()).add(int(r["line"]))
    rows = {d: _corpus_rows(corpora, d, lines) for d, lines in sorted(wanted.items())}
    out = []
    missing = 0
    for _, r in sample:
        dataset, line, ident = r["dataset"], int(r["line"]), r["id"]
        where = f"article {ident!r} ({dataset}.jsonl line {line})"
        row = rows[dataset].get(line)
        if row is None:
            raise ValueError(
                f"quality: {where}: the corpus file has no line {line}; the corpus changed since the sample was drawn"
            )
        if row.get("id") != ident:
            raise ValueError(
                f"quality: {where}: the corpus line has id {row.get('id')!r}; the corpus changed since "
                "the sample was drawn, so the annotations' offsets no longer apply"
            )
        title, body = row.get("title") or "", row.get("body") or ""
        if _text_sha256(title, body) != r["sha256"]:
            raise ValueError(
                f"quality: {where}: the corpus text differs from the sampled one (SHA-256 of title and "
                f"body {_text_sha256(title, body)[:12]}…, expected {r['sha256'][:12]}…); the corpus "
                "changed, so the annotations' offsets no longer apply"
            )
        note = notes.get((dataset, line))
        if note is None:
            missing += 1
            continue
        path, number, record = note
        if record.get("id") != ident:
            raise ValueError(
                f"quality: {str(path)!r} line {number}: id {record.get('id')!r} for {dataset} line {line}, "
                f"but the sample has {ident!r} there"
            )
        article = Article(title=title, body=body, id=ident)  # content-only: no url, no source
        out.append(
            AnnotatedArticle(
                dataset,
                line,
                r["label"],
                r["half"],
                article,
                int(record["clickbait"]),
                _spans(record, article, f"{str(path)!r} line {number}, {where}"),
            )
        )
    if missing:
        log.warning("%d of %d sampled articles have no annotation yet; left out", missing, len(sample))
    return out


def _headline(report: Report) -> bool:
    return report.signals.get("clickbait", 0.0) >= CLICKBAIT_THRESHOLD


def evaluate_articles(
    items: Sequence[AnnotatedArticle], model: Model | str | Path | None = None
) -> dict[str, dict[str, GroupResult]]:
    """Score the articles and add up their matches per half and corpus.

    Parameters
    ----------
    items : sequence of AnnotatedArticle
        From `load_set`.
    model : Model, path or None
        The model to score with; the shipped one by default.

    Returns
    -------
    dict
        ``result[half][corpus]``, with `ALL` for all corpora of the half.
    """
    out: dict[str, dict[str, GroupResult]] = {}
    reports = score_many((i.article for i in items), model)
    for item, report in zip(items, reports, strict=True):
        assert isinstance(report, Report)  # on_error="raise": a failure raises instead
        flagged = _headline(report)
        reliable = item.label == "reliable" and bool(item.article.title.strip())
        headline = HeadlineCounts(
            true_positives=int(flagged and item.clickbait == 1),
            false_positives=int(flagged and item.clickbait == 0),
            false_negatives=int(not flagged and item.clickbait == 1),
            true_negatives=int(not flagged and item.clickbait == 0),
            reliable=int(reliable),
            reliable_flagged=int(reliable and flagged),
            reliable_bait=int(reliable and item.clickbait == 1),
            reliable_flagged_plain=int(reliable and flagged and item.clickbait == 0),
        )
        one = GroupResult(1, match(report.evidence, item.spans), headline)
        half = out.setdefault(item.half, {})
        for group in (item.dataset, ALL):
            half[group] = half.get(group, GroupResult()) + one
    return {h: dict(sorted(g.items(), key=lambda kv: (kv[0] == ALL, kv[0]))) for h, g in sorted(out.items())}


def corpus_rates(corpora: str | Path, model: Model | str | Path | None = None) -> CorpusRates:
    """Typo spans per 1,000 words and clickbait headlines on all reliable-label corpus articles.

    Parameters
    ----------
    corpora : str or Path
        The folder of the corpus files; every ``*.jsonl`` in it is read.
    model : Model, path or None
        The model to score with; the shipped one by default.

    Returns
    -------
    CorpusRates
        Words are whitespace-separated tokens of title and body; headlines are the non-empty ones.
    """
    corpora = Path(corpora)
    _check_corpora(corpora)
    articles: list[Article] = []
    for path in sorted(corpora.glob("*.jsonl")):
        for _, row in _read_jsonl(path):
            if row.get("label") == "reliable":
                articles.append(
                    Article(title=row.get("title") or "", body=row.get("body") or "", id=str(row["id"]))
                )
    words = typo_spans = headlines = flagged = scored = 0
    for article, report in zip(articles, score_many(articles, model, on_error="yield"), strict=True):
        if isinstance(report, RecordError):  # an empty article: nothing to flag
            continue
        scored += 1
        words += len(article.title.split()) + len(article.body.split())
        typo_spans += len({(e.field, e.start, e.end) for e in report.evidence if e.signal == "typos"})
        if article.title.strip():
            headlines += 1
            flagged += _headline(report)
    return CorpusRates(scored, words, typo_spans, headlines, flagged)


def evaluate_spans(
    folder: str | Path,
    corpora: str | Path,
    half: str = "both",
    model: Model | str | Path | None = None,
    rates: bool = True,
) -> SpanEvaluation:
    """The figures of `quality evaluate --spans`: per half and corpus, and corpus-wide rates.

    Parameters
    ----------
    folder : str or Path
        The set's folder (``labeled/real``).
    corpora : str or Path
        The folder of the corpus files (``../shared/corpora/articles``).
    half : {"dev", "test", "both"}
        The half (or halves) to score; only their articles are read and scored.
    model : Model, path or None
        The model to score with; the shipped one by default.
    rates : bool
        Also compute the corpus-wide rates (scores every reliable-label corpus article).

    Returns
    -------
    SpanEvaluation
    """
    if half not in (*HALVES, "both"):
        raise ValueError(f"quality: half must be 'dev', 'test' or 'both', got {half!r}")
    from quality.scoring import default_model

    loaded = default_model(model)
    items = load_set(folder, corpora, HALVES if half == "both" else (half,))
    groups = evaluate_articles(items, loaded)
    return SpanEvaluation(groups, corpus_rates(corpora, loaded) if rates else None, loaded.name)


def _fmt(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def format_text(result: SpanEvaluation) -> str:
    """A readable table of the figures, one block per half.

    Parameters
    ----------
    result : SpanEvaluation
        From `evaluate_spans`.

    Returns
    -------
    str
    """
    lines = []
    for half, groups in result.groups.items():
        n = groups[ALL].articles
        lines.append(
            f"{half} half: {n} articles, scored content-only (title and body) by {result.model or 'the model'}"
        )
        lines.append(
            f"  {'signal':20} {'corpus':22} {'predicted':>9} {'TP':>5} {'precision':>9} "
            f"{'annotated':>9} {'found':>5} {'recall':>6}"
        )
        for signal in KINDS:
            for corpus, g in groups.items():
                c = g.signals[signal]
                lines.append(
                    f"  {signal:20} {corpus:22} {c.predicted:>9} {c.true_positives:>5} {_fmt(c.precision):>9} "
                    f"{c.annotated:>9} {c.found:>5} {_fmt(c.recall):>6}"
                )
        lines.append(
            f"  {'clickbait (headline)':20} {'corpus':22} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>9} "
            f"{'recall':>6} {'F1':>5}  reliable flagged (of them annotated plain; reliable annotated bait)"
        )
        for corpus, g in groups.items():
            h = g.headlines
            lines.append(
                f"  {'clickbait':20} {corpus:22} {h.true_positives:>4} {h.false_positives:>4} "
                f"{h.false_negatives:>4} {_fmt(h.precision):>9} {_fmt(h.recall):>6} {_fmt(h.f1):>5}  "
                f"{h.reliable_flagged}/{h.reliable} ({_pct(h.reliable_share)}; "
                f"{h.reliable_flagged_plain} plain, {_pct(h.reliable_plain_flagged_share)}; "
                f"bait {h.reliable_bait}, {_pct(h.reliable_bait_share)})"
            )
        lines.append("")
    if result.rates is not None:
        r = result.rates
        lines.append(f"all reliable-label corpus articles ({r.articles}, {r.words:,} words):")
        lines.append(f"  typo spans per 1,000 words: {_fmt(r.typos_per_1000_words)} ({r.typo_spans} spans)")
        lines.append(
            f"  headlines scored clickbait >= {CLICKBAIT_THRESHOLD}: {r.clickbait_headlines}/{r.headlines} "
            f"({_pct(r.clickbait_share)})"
        )
    return "\n".join(lines).rstrip("\n") + "\n"


def _cell(num: int, den: int, value: float | None) -> str:
    return f"{_fmt(value)} ({num}/{den})"


def format_markdown(result: SpanEvaluation) -> str:
    """The figures as markdown tables for the README, one per half.

    Each cell of a signal is ``precision (TP/predicted)`` or ``recall (found/annotated)``.

    Parameters
    ----------
    result : SpanEvaluation
        From `evaluate_spans`.

    Returns
    -------
    str
    """
    out = []
    for half, groups in result.groups.items():
        corpora = [c for c in groups if c != ALL]
        out.append(
            f"**{half} half** ({groups[ALL].articles} articles, content-only, model `{result.model}`): "
            "precision (true positives / predicted spans) and recall (annotated spans found / annotated)."
        )
        out.append("")
        out.append("| signal | goal | | all | " + " | ".join(corpora) + " |")
        out.append("|---|---|---|" + "---:|" * (len(corpora) + 1))
        for signal in KINDS:
            cells_p = [groups[c].signals[signal] for c in (ALL, *corpora)]
            out.append(
                f"| {signal} | {GOALS[signal]} | precision | "
                + " | ".join(_cell(c.true_positives, c.predicted, c.precision) for c in cells_p)
                + " |"
            )
            out.append(
                "| | | recall | " + " | ".join(_cell(c.found, c.annotated, c.recall) for c in cells_p) + " |"
            )
        heads = [groups[c].headlines for c in (ALL, *corpora)]
        out.append(
            "| clickbait (headline) | | precision | "
            + " | ".join(
                _cell(h.true_positives, h.true_positives + h.false_positives, h.precision) for h in heads
            )
            + " |"
        )
        out.append(
            "| | | recall | "
            + " | ".join(
                _cell(h.true_positives, h.true_positives + h.false_negatives, h.recall) for h in heads
            )
            + " |"
        )
        out.append("| | | F1 | " + " | ".join(_fmt(h.f1) for h in heads) + " |")
        out.append(
            f"| | {GOALS['clickbait']} | reliable flagged | "
            + " | ".join(f"{_pct(h.reliable_share)} ({h.reliable_flagged}/{h.reliable})" for h in heads)
            + " |"
        )
        out.append(
            "| | | reliable flagged, annotated plain | "
            + " | ".join(
                f"{_pct(h.reliable_plain_flagged_share)} ({h.reliable_flagged_plain}/{h.reliable})"
                for h in heads
            )
            + " |"
        )
        out.append(
            "| | | reliable annotated bait | "
            + " | ".join(f"{_pct(h.reliable_bait_share)} ({h.reliable_bait}/{h.reliable})" for h in heads)
            + " |"
        )
        out.append("")
    if result.rates is not None:
        r = result.rates
        out.append(f"On all {r.articles:,} reliable-label articles of the four corpora ({r.words:,} words):")
        out.append("")
        out.append("| figure | goal | value |")
        out.append("|---|---|---:|")
        out.append(
            f"| typo spans per 1,000 words | ≤ 0.5 | {_fmt(r.typos_per_1000_words)} ({r.typo_spans} spans) |"
        )
        out.append(
            f"| headlines scored clickbait ≥ {CLICKBAIT_THRESHOLD} | ≤ 10% | {_pct(r.clickbait_share)} "
            f"({r.clickbait_headlines}/{r.headlines}) |"
        )
    return "\n".join(out).rstrip("\n") + "\n"
