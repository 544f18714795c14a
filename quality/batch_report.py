"""A batch at a glance: one HTML page over the rows of ``quality score --explain``.

The page shows the histogram of reliability, the counts per label, the distribution of each
signal and of each family's contribution, the reasons that weighed most across the batch, the
evidence flagged most often, and the lowest-scoring articles with their top reasons. Each of
those links to its explanation, embedded further down the same page (the same section that
`quality explain --html` draws), so the page stays one self-contained file.

The scored rows hold the evidence (field, offsets, text, note) but not the article text. Given
the files that were scored (``articles``), the explanations show the text with every span
highlighted; without them, they list the evidence.

Rows scored with ``--stories`` add a story view: each story of two articles or more (the
largest first) with its articles, their originality and share of text found elsewhere in the
story, and the passages each shares with which other. Given the files that were scored, the
story's articles stand side by side with the shared passages highlighted; without them, the
passages' text (which the rows hold) is listed.

Plots are drawn with matplotlib on `matplotlib.figure.Figure` objects, never through pyplot, so
no interactive backend is ever chosen and no global state changes; they are saved as SVG and
embedded as ``data:`` images (an ``<img>`` keeps their ids apart and runs nothing).
"""

from __future__ import annotations

import base64
import heapq
import html
import io
import json
import math
import os
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from quality.article import SIGNALS, Article, Evidence, RecordError, Report, error_fields
from quality.html import (
    StoryMember,
    article_section,
    label_class,
    page,
    shorten,
    stories_of,
    story_view,
    word_direction,
)
from quality.report import MIN_EFFECT, group_contributions, reason_title

__all__ = [
    "BatchSummary",
    "StoryMember",
    "batch_page",
    "read_scored",
    "read_stories",
    "report_from_row",
    "summarise",
]


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


_LABELS = ("unreliable", "uncertain", "reliable")
_LABEL_COLOURS = {"reliable": "#2e7d32", "uncertain": "#e0a030", "unreliable": "#c62828"}
#: The stage of a line or row of a scored file that is not a scored row.
_UNREAD = "report"
_EVIDENCE_FIELDS = ("signal", "feature", "field", "start", "end", "text", "note")


def _float(value: Any, name: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} is {value!r}, not a number") from None
    if not math.isfinite(number):
        raise ValueError(f"{name} is {value!r}, not a finite number")
    return number


def _evidence(items: Any) -> tuple[Evidence, ...]:
    if items is None or items == "":
        return ()
    if isinstance(items, str):  # CSV and Parquet hold the list as JSON text
        try:
            items = json.loads(items)
        except json.JSONDecodeError as exc:
            raise ValueError(f"evidence is not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(items, list):
        raise ValueError(f"evidence is a {type(items).__name__}, not a list")
    out = []
    for i, e in enumerate(items):
        if not isinstance(e, dict) or not all(k in e for k in _EVIDENCE_FIELDS):
            raise ValueError(f"evidence item {i} is not an object with {', '.join(_EVIDENCE_FIELDS)}")
        start, end = e["start"], e["end"]
        if (
            not (isinstance(start, int) and isinstance(end, int))
            or isinstance(start, bool)
            or isinstance(end, bool)
        ):
            raise ValueError(f"evidence item {i} has offsets {start!r}:{end!r}, not whole numbers")
        out.append(
            Evidence(
                str(e["signal"]),
                str(e["feature"]),
                str(e["field"]),
                start,
                end,
                str(e["text"]),
                str(e["note"]),
            )
        )
    return tuple(out)


def report_from_row(row: Mapping[str, Any]) -> Report:
    """The `Report` a scored row (``quality score --explain``) was written from, as far as the
    row holds it: no feature values, no per-word split of the vocabulary family, and only the
    reasons the row kept (three by default).

    Raises `ValueError` naming the column at fault when the row is not a scored row.

    Examples
    --------
    >>> r = report_from_row({"id": "a", "reliability": 0.25, "label": "unreliable",
    ...     "sourcing": 0.1, "typos": 0, "filler": 0, "unsupported_claims": 0, "clickbait": 0.9,
    ...     "reasons": "Headline reads as clickbait: '!' (lowers ...) | Weak sourcing: ...",
    ...     "intercept": -0.2, "contribution.clickbait.exclamations": -0.9, "evidence": []})
    >>> r.reasons[0][:27], round(r.intercept + sum(r.contributions.values()), 2)
    ('Headline reads as clickbait', -1.1)
    """
    ident = row.get("id")
    if ident is None or ident == "":
        raise ValueError("the row has no id")
    reliability = _float(row.get("reliability"), "reliability")
    if not 0.0 <= reliability <= 1.0:
        raise ValueError(f"reliability is {reliability!r}, not between 0 and 1")
    signals = {name: _float(row[name], name) for name in SIGNALS if row.get(name) not in (None, "")}
    contributions = {
        key[len("contribution.") :]: _float(value, key)
        for key, value in row.items()
        if key.startswith("contribution.") and value not in (None, "")
    }
    intercept = row.get("intercept")
    reasons = row.get("reasons") or ()
    if isinstance(reasons, str):  # CSV and TSV rows, and JSONL rows of earlier versions
        reasons = reasons.split(" | ")
    return Report(
        id=str(ident),
        reliability=reliability,
        label=str(row.get("label") or ""),
        signals=signals,
        features={},
        contributions=contributions,
        intercept=_float(intercept, "intercept") if intercept not in (None, "") else 0.0,
        evidence=_evidence(row.get("evidence")),
        reasons=tuple(str(r) for r in reasons if r),
        out_of_scope=str(row["out_of_scope"]) if row.get("out_of_scope") not in (None, "") else None,
        language=str(row["language"]) if row.get("language") not in (None, "") else None,
    )


def read_scored(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Report | RecordError]:
    """The rows of scored files (JSONL, possibly gzipped, Parquet or CSV) as `Report` objects;
    an error row of the batch, and a line or row that is not a scored row, as `RecordError`
    (its stage as written, ``"report"`` for what cannot be read here)."""
    from quality.io.readers import raw_records

    for path in paths:
        if not os.path.isfile(path):
            raise FileNotFoundError(f"quality: no such scored file: {os.fspath(path)!r}")
        for item in raw_records(path):
            if isinstance(item, RecordError):
                yield RecordError(item.id, item.error, _UNREAD)
                continue
            row = item.value
            if not isinstance(row, dict):
                yield RecordError(
                    item.fallback_id,
                    f"quality: {item.where}: expected a scored row (a JSON object), got {type(row).__name__}",
                    _UNREAD,
                )
                continue
            if row.get("error") not in (None, ""):
                yield RecordError(
                    str(row.get("id") or item.fallback_id),
                    str(row["error"]),
                    str(row.get("stage") or ""),
                    # What joins the error row back to its input, as the scoring run wrote it.
                    **error_fields(row),
                )
                continue
            try:
                yield report_from_row(row)
            except (ValueError, TypeError) as exc:
                yield RecordError(
                    str(row.get("id") or item.fallback_id),
                    f"quality: {item.where}: not a row of `quality score`: {exc}",
                    _UNREAD,
                )


@dataclass
class _Reason:
    """How often a reason's family moved articles one way, and by how much."""

    count: int = 0
    total: float = 0.0
    strongest: float = 0.0
    example: str = ""


@dataclass
class BatchSummary:
    """What the batch page shows, gathered in one pass over the rows."""

    rows: int = 0
    reliability: list[float] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    signals: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    families: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    reasons: dict[tuple[str, int], _Reason] = field(default_factory=lambda: defaultdict(_Reason))
    flagged: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    lowest: list[Report] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)
    error_count: int = 0
    unreadable: int = 0
    explained: bool = False  # the rows carry contributions (scored with --explain)


def _flag(e: Evidence) -> str:
    """How a span is counted across the batch: short ones by their words (a vocabulary word
    with the way it pushed), sentences by their note without its figures."""
    text = " ".join(e.text.split())
    if e.signal == "vocabulary":
        way = word_direction(e)
        return f"{text.lower()} {'↓' if way == 'down' else '↑' if way == 'up' else ''}".rstrip()
    if len(text) <= 40:
        return text.lower() if e.signal in ("sourcing", "filler") else text
    return _FIGURES.sub("", e.note)


# "(probability 0.97)", "(3 times)": the part of a note that differs between articles.
_FIGURES = re.compile(r"\s*\([^()]*\d[^()]*\)")


def summarise(items: Iterable[Report | RecordError], lowest: int = 25, max_errors: int = 200) -> BatchSummary:
    """Gather a batch's figures; keeps the ``lowest`` least reliable reports whole."""
    s = BatchSummary()
    heap: list[tuple[float, int, Report]] = []
    for i, item in enumerate(items):
        if isinstance(item, RecordError):
            s.error_count += 1
            s.unreadable += item.stage == _UNREAD
            if len(s.errors) < max_errors:
                s.errors.append(item)
            continue
        s.rows += 1
        s.reliability.append(item.reliability)
        s.labels.append(item.label)
        for name, value in item.signals.items():
            s.signals[name].append(value)
        if item.contributions:
            s.explained = True
            for family, effect in group_contributions(item.contributions).items():
                s.families[family].append(effect)
                if abs(effect) >= MIN_EFFECT:
                    reason = s.reasons[(family, 1 if effect > 0 else -1)]
                    reason.count += 1
                    reason.total += effect
                    if abs(effect) > abs(reason.strongest):
                        reason.strongest, reason.example = effect, item.id
        for key in {(e.signal, _flag(e)) for e in item.evidence}:
            s.flagged[key[0]][key[1]] += 1
        entry = (-item.reliability, -i, item)
        if len(heap) < lowest:
            heapq.heappush(heap, entry)
        elif lowest and entry > heap[0]:
            heapq.heapreplace(heap, entry)
    # Only the kept few carry their evidence on; the rest were counted.
    s.lowest = [r for _, _, r in sorted(heap, key=lambda t: (-t[0], -t[1]))]
    return s


# --- plots ------------------------------------------------------------------------------


def _svg(fig: Any, alt: str) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg")
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<figure><img alt="{_esc(alt)}" src="data:image/svg+xml;base64,{data}"></figure>'


def _figure(width: float, height: float) -> Any:
    from matplotlib.figure import Figure  # loaded by _plots, which says when it is missing

    # Text stays text in the SVG (small, sharp); the browser draws it in its sans-serif font.
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig


def _style(ax: Any) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=8)
    ax.grid(axis="y", color="#e4e6eb", linewidth=0.6)
    ax.set_axisbelow(True)


def _plots(s: BatchSummary) -> dict[str, str]:
    from quality._extras import require

    matplotlib = require("matplotlib", "report", "the batch report's plots")
    require("matplotlib.figure", "report", "the batch report's plots")

    labels = [lab for lab in _LABELS if lab in set(s.labels)]
    others = sorted(set(s.labels) - set(_LABELS))
    order = labels + others
    with matplotlib.rc_context({"svg.fonttype": "none", "font.family": "sans-serif", "font.size": 9}):
        out = {}
        fig = _figure(7.2, 2.6)
        ax = fig.add_subplot()
        bins = [i / 40 for i in range(41)]
        ax.hist(
            [[r for r, lab in zip(s.reliability, s.labels, strict=True) if lab == name] for name in order],
            bins=bins,
            stacked=True,
            histtype="stepfilled",  # one shape per label, not one per bar: a lighter SVG
            color=[_LABEL_COLOURS.get(name, "#888") for name in order],
            label=order,
        )
        for at in (0.4, 0.6):
            ax.axvline(at, color="#5b6475", linestyle="--", linewidth=0.8)
        ax.set_xlim(0, 1)
        ax.set_xlabel("reliability")
        ax.set_ylabel("articles")
        ax.legend(frameon=False, fontsize=8)
        _style(ax)
        out["reliability"] = _svg(fig, "histogram of reliability, stacked by label")

        names = [n for n in SIGNALS if s.signals.get(n)]
        if names:
            fig = _figure(7.2, 2.2)
            axes = fig.subplots(1, len(names), sharey=True, squeeze=False)[0]
            for ax, name in zip(axes, names, strict=True):
                values = s.signals[name]
                ax.hist(
                    [[v for v, lab in zip(values, s.labels, strict=True) if lab == o] for o in order],
                    bins=[i / 20 for i in range(21)],
                    stacked=True,
                    histtype="stepfilled",
                    color=[_LABEL_COLOURS.get(o, "#888") for o in order],
                )
                ax.set_title(name.replace("_", " "), fontsize=9)
                ax.set_xlim(0, 1)
                _style(ax)
            axes[0].set_ylabel("articles")
            out["signals"] = _svg(fig, "histograms of the five signal scores, stacked by label")

        if s.families:
            fams = sorted(s.families, key=lambda f: -sum(abs(v) for v in s.families[f]))
            fig = _figure(7.2, 0.32 * len(fams) + 0.8)
            ax = fig.add_subplot()
            ax.boxplot(
                [s.families[f] for f in reversed(fams)],
                orientation="horizontal",
                tick_labels=[f.replace("_", " ") for f in reversed(fams)],
                widths=0.6,
                # Whiskers at the 1st and 99th percentiles; the few beyond are not drawn, as
                # thousands of dots would make the page heavy and say little more.
                whis=(1, 99),
                showfliers=False,
                medianprops={"color": "#3656c9"},
            )
            ax.axvline(0, color="#5b6475", linewidth=0.8)
            ax.set_xlabel("contribution (log-odds): left lowers reliability, right raises it")
            ax.spines[["top", "right"]].set_visible(False)
            ax.tick_params(labelsize=8)
            out["families"] = _svg(fig, "contribution of each signal family across the batch")
    return out


# --- the page ---------------------------------------------------------------------------


def _label_table(s: BatchSummary) -> str:
    counts = Counter(s.labels)
    rows = "".join(
        f'<tr><td><span class="pill label-{label_class(name)}">{_esc(name)}</span></td>'
        f'<td class="num">{n:,}</td><td class="num">{n / max(s.rows, 1):.1%}</td></tr>'
        for name, n in sorted(
            counts.items(),
            key=lambda kv: (kv[0] not in _LABELS, _LABELS.index(kv[0]) if kv[0] in _LABELS else 0),
        )
    )
    if s.error_count:
        rows += f'<tr><td><span class="pill label-error">error rows</span></td><td class="num">{s.error_count:,}</td><td></td></tr>'
    return (
        f'<table><tr><th>label</th><th class="num">articles</th><th class="num">share</th></tr>{rows}</table>'
    )


def _reason_table(s: BatchSummary, anchors: Mapping[str, str]) -> str:
    if not s.reasons:
        return '<p class="sub">The rows carry no contributions: score with <code>--explain</code> to see them.</p>'
    ranked = sorted(s.reasons.items(), key=lambda kv: kv[1].total)  # the largest pull down first
    rows = []
    for (family, sign), r in ranked:
        title = reason_title(family, sign)
        example = _esc(r.example)
        if r.example in anchors:
            example = f'<a href="#{anchors[r.example]}">{example}</a>'
        rows.append(
            f'<tr><td>{_esc(title)}</td><td class="num">{r.count:,}</td><td class="num">{r.count / max(s.rows, 1):.1%}</td>'
            f'<td class="num">{r.total / r.count:+.2f}</td><td class="num">{r.total:+.0f}</td>'
            f'<td class="num">{r.strongest:+.2f}</td><td>{example}</td></tr>'
        )
    return (
        f'<p class="sub">A reason counts for an article when its family moves the score by at least {MIN_EFFECT} '
        "log-odds, as in the articles' own reasons. Sorted by the total pull, downwards first.</p>"
        '<table><tr><th>reason</th><th class="num">articles</th><th class="num">share</th>'
        '<th class="num">mean effect</th><th class="num">total</th><th class="num">strongest</th><th>in</th></tr>'
        + "".join(rows)
        + "</table>"
    )


def _flagged_table(s: BatchSummary, top: int = 8) -> str:
    blocks = []
    for signal in (*SIGNALS, "vocabulary"):
        counter = s.flagged.get(signal)
        if not counter:
            continue
        items = "".join(
            f'<li>{_esc(shorten(text, 80))} <span class="where">{n:,}</span></li>'
            for text, n in counter.most_common(top)
        )
        blocks.append(
            f'<div><h4><span class="sw s-{signal}"></span>{_esc(signal.replace("_", " "))}</h4><ol class="flag">{items}</ol></div>'
        )
    if not blocks:
        return '<p class="sub">The rows carry no evidence: score with <code>--explain</code> to see it.</p>'
    return (
        '<p class="sub">The spans flagged in the most articles (short spans by their words, sentences by '
        "their note); the figure is the number of articles.</p>"
        f'<div class="flags">{"".join(blocks)}</div>'
    )


def _lowest_table(s: BatchSummary, anchors: Mapping[str, str], articles: Mapping[str, Article]) -> str:
    rows = []
    for rank, r in enumerate(s.lowest, start=1):
        a = articles.get(r.id)
        head = f"<b>{_esc(shorten(a.title, 100))}</b><br>" if a is not None and a.title else ""
        reasons = (
            "".join(f"<li>{_esc(shorten(x, 160))}</li>" for x in r.reasons[:3])
            or "<li>nothing stands out</li>"
        )
        rows.append(
            f'<tr><td class="num">{rank}</td><td class="num">{r.reliability:.3f}</td>'
            f'<td>{head}<a href="#{anchors[r.id]}"><code>{_esc(r.id)}</code></a><ul class="top">{reasons}</ul></td></tr>'
        )
    return (
        '<table><tr><th class="num">#</th><th class="num">reliability</th><th>article and its top reasons</th></tr>'
        + "".join(rows)
        + "</table>"
    )


_BATCH_CSS = """
.flags { display: grid; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr)); gap: .2rem 1.2rem; }
.flags h4 { margin: .6rem 0 .2rem; font-size: .92rem; }
ol.flag { margin: 0; padding-left: 1.6rem; font-size: .86rem; }
ol.flag .where, .where { color: var(--muted); font-size: .85em; }
ul.top { margin: .2rem 0 .1rem; padding-left: 1.1rem; font-size: .88rem; }
.stats { display: flex; gap: 2rem; flex-wrap: wrap; }
.stats div b { display: block; font-size: 1.4rem; }
figure img { width: 100%; }
"""


# --- stories ----------------------------------------------------------------------------


def _story_member(row: Mapping[str, Any]) -> StoryMember | None:
    """The row's story columns, None when it has none or its story is itself alone."""
    if row.get("story") in (None, "") or row.get("error") not in (None, ""):
        return None
    size = int(_float(row.get("story_size"), "story_size"))
    if size < 2:
        return None
    passages = row.get("passages")
    if isinstance(passages, str):  # CSV and Parquet hold the list as JSON text
        passages = json.loads(passages) if passages else []
    if not isinstance(passages, list) or not all(isinstance(p, dict) for p in passages):
        raise ValueError(f"passages is a {type(passages).__name__}, not a list of objects")
    originality = row.get("originality")
    return StoryMember(
        id=str(row["id"]),
        story=str(row["story"]),
        story_size=size,
        originality=None if originality in (None, "") else _float(originality, "originality"),
        shared=_float(row.get("shared"), "shared"),
        passages=tuple(passages),
    )


def read_stories(paths: Iterable[str | os.PathLike[str]], most: int = 20) -> list[list[StoryMember]]:
    """The ``most`` largest stories of scored files (rows of ``quality score --stories``), each
    as its members in input order; stories of one article are not kept, and rows without
    story columns (scored without ``--stories``) give none. A row whose story columns cannot
    be read is left out here (the summary counts it, if it is not a scored row at all)."""
    from quality.io.readers import raw_records

    members = []
    for path in paths:
        for item in raw_records(path):
            if isinstance(item, RecordError) or not isinstance(item.value, dict):
                continue
            try:
                member = _story_member(item.value)
            except (ValueError, TypeError, json.JSONDecodeError):
                continue
            if member is not None:
                members.append(member)
    return stories_of(members, most)


def batch_page(
    summary: BatchSummary,
    sources: Sequence[str],
    articles: Mapping[str, Article] | None = None,
    title: str = "Batch report",
    stories: Sequence[list[StoryMember]] = (),
) -> str:
    """The batch page: figures, tables, and the explanations of the lowest-scoring articles.

    ``articles`` maps ids to the articles that were scored, for showing their text; an
    explanation whose article is missing lists its evidence instead. ``stories``
    (`read_stories`) adds the story view.
    """
    s = summary
    articles = articles or {}
    anchors = {r.id: f"a{i}" for i, r in enumerate(s.lowest, start=1)}
    plots = _plots(s) if s.rows else {}
    rel = sorted(s.reliability)
    median = rel[len(rel) // 2] if rel else float("nan")
    files = ", ".join(f"<code>{_esc(p)}</code>" for p in sources)
    parts = [
        f"<header><h1>{_esc(title)}</h1>",
        f'<p class="sub">{s.rows:,} scored articles and {s.error_count:,} error rows from {files}.</p></header>',
        '<section class="card"><div class="stats">'
        f"<div><b>{s.rows:,}</b>articles</div>"
        f"<div><b>{median:.3f}</b>median reliability</div>"
        f"<div><b>{sum(1 for x in s.labels if x == 'unreliable') / max(s.rows, 1):.1%}</b>unreliable</div>"
        f"<div><b>{s.error_count:,}</b>error rows</div></div></section>",
    ]
    if s.rows:
        parts += [
            '<section class="card"><h3>Reliability</h3>',
            plots["reliability"],
            "<h3>Labels</h3>",
            _label_table(s),
            "</section>",
            '<section class="card"><h3>Signals (0 = none, 1 = strong), stacked by label</h3>',
            plots.get("signals", ""),
            "<h3>What each family contributed (log-odds)</h3>"
            '<p class="sub">Boxes hold the middle half of the articles, whiskers reach from the 1st to '
            "the 99th percentile.</p>" + plots["families"]
            if "families" in plots
            else "",
            "</section>",
            '<section class="card"><h3>The strongest reasons across the batch</h3>',
            _reason_table(s, anchors),
            "<h3>Flagged most often</h3>",
            _flagged_table(s),
            "</section>",
            f'<section class="card"><h3>The {len(s.lowest)} lowest-scoring articles</h3>',
            '<p class="sub">Each links to its explanation below.</p>',
            _lowest_table(s, anchors, articles),
            "</section>",
        ]
        if stories:
            parts.append(
                story_view(stories, articles, anchors, heading=f"Stories: the {len(stories)} largest")
            )
        parts.append(f"<h2>Explanations of the {len(s.lowest)} lowest-scoring articles</h2>")
        parts += [article_section(r, articles.get(r.id), anchors[r.id]) for r in s.lowest]
    if s.errors:
        items = "".join(
            f"<li>{_esc(e.id)}: ({_esc(e.stage)}) {_esc(e.error)}"
            + "".join(
                f' <span class="sub">{name}: {_esc(v)}</span>'
                for name, v in (("title", e.title), ("url", e.url))
                if v
            )
            + "</li>"
            for e in s.errors
        )
        more = (
            f"<p>… and {s.error_count - len(s.errors):,} more.</p>" if s.error_count > len(s.errors) else ""
        )
        parts.append(
            f'<section class="card errors"><h3>Error rows ({s.error_count:,})</h3><ul>{items}</ul>{more}</section>'
        )
    text = page(title, "\n".join(parts))
    return text.replace("</style>", _BATCH_CSS + "</style>", 1)


def read_articles(inputs: Sequence[str], wanted: Iterable[str]) -> dict[str, Article]:
    """The articles among ``inputs`` (read as `quality score` reads them) whose ids are wanted."""
    from quality.io.readers import iter_records

    want = set(wanted)
    found: dict[str, Article] = {}
    for item in iter_records(inputs):
        if isinstance(item, Article) and item.id in want and item.id not in found:
            found[item.id] = item
            if len(found) == len(want):
                break
    return found


def build(
    scored: Sequence[str], articles: Sequence[str] = (), lowest: int = 25
) -> tuple[str, BatchSummary, float]:
    """The page for scored files, its summary, and the seconds it took."""
    started = time.perf_counter()
    summary = summarise(read_scored(scored), lowest=lowest)
    stories = read_stories(scored)
    wanted = [r.id for r in summary.lowest] + [m.id for members in stories for m in members]
    texts = read_articles(articles, wanted) if articles else {}
    text = batch_page(summary, [os.fspath(p) for p in scored], texts, stories=stories)
    return text, summary, time.perf_counter() - started
