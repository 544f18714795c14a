"""HTML explanation pages: why an article scored as it did, on the article itself.

One self-contained page (inline CSS, no script, no remote resource) per call. For each
article: the headline, the reliability and label, one bar per signal, the contributions as a
waterfall from the typical article (the intercept) to this one, the reasons, and the title and
body with every evidence span highlighted (``<mark>``, coloured by signal, its note on hover
and in a numbered list of notes), with a legend. Several articles give one page with an index
sorted by reliability, least reliable first.

Given the stories of the batch (`quality.stories`, or the story columns of scored rows), a page
also gains a story view (`story_view`): each story of two articles or more, its articles with
their originality and the share of their text found in another, and the articles side by side
with the passages they share highlighted, exact copies and paraphrases told apart. The batch
report draws its story view with the same functions.

Every text that comes from an article or a record (title, body, id, URL, notes, reasons) is
escaped, and the page's Content-Security-Policy allows no script at all: an article that
contains ``<script>`` shows it as text.

Overlapping and nested spans are split into segments: each segment is one ``<mark>`` whose
``data-ev`` lists every evidence covering it, so the marks of one evidence, read in order,
spell exactly its characters (``getattr(article, field)[start:end]``).
"""

from __future__ import annotations

import html
import math
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quality.article import SIGNALS, Article, Evidence, RecordError, Report
from quality.report import group_contributions, unweighted_signals

if TYPE_CHECKING:
    from quality.stories import ArticleStory

__all__ = [
    "CSS",
    "StoryMember",
    "article_section",
    "check_target",
    "evidence_segments",
    "explanation_page",
    "label_class",
    "page",
    "shorten",
    "stories_of",
    "story_card",
    "story_view",
    "waterfall_svg",
    "word_direction",
    "write_page",
]

# The thresholds of the labels (quality.model.RELIABLE_AT and UNRELIABLE_BELOW), repeated
# here so that rendering needs no model; tests/test_html.py checks they agree.
_RELIABLE_AT = 0.6
_UNRELIABLE_BELOW = 0.4

#: Signals whose spans get their own colour; any other signal is shown as "other".
_COLOURED = (*SIGNALS, "vocabulary")
_NAMES = {
    "sourcing": "sourcing (raises reliability)",
    "typos": "typos",
    "filler": "filler and boilerplate",
    "unsupported_claims": "unsupported claims",
    "clickbait": "clickbait",
    "vocabulary": "vocabulary (words the model weighs)",
    "other": "other",
}
# Families of the waterfall, as `quality.report.group_contributions` names them.
_FAMILY_NAMES = {
    "sourcing": "sourcing",
    "typos": "typos",
    "filler": "filler",
    "density": "lexical density",
    "unsupported_claims": "unsupported claims",
    "clickbait": "clickbait",
    "style": "style",
    "vocabulary": "vocabulary",
    "reputation": "reputation",
}

CSS = """
:root { --ink: #1d2330; --muted: #5b6475; --line: #d9dde5; --bg: #fbfbfd;
  --sourcing: #bfe8c4; --sourcing-d: #2e8b3d; --typos: #ffb8b8; --typos-d: #c62828;
  --filler: #ffd59a; --filler-d: #e07b00; --unsupported_claims: #fff09a; --unsupported_claims-d: #b59a00;
  --clickbait: #f4b6ee; --clickbait-d: #b0269e; --vocabulary: #dfe6ff; --vocabulary-d: #3656c9;
  --other: #e2e2e2; --other-d: #777; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
main { max-width: 62rem; margin: 0 auto; padding: 1.2rem 1.4rem 3rem; }
h1 { font-size: 1.5rem; margin: .2rem 0 .3rem; }
h2 { font-size: 1.35rem; line-height: 1.3; margin: 0 0 .3rem; }
h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; color: var(--muted); text-transform: uppercase;
  letter-spacing: .04em; }
a { color: #2446b8; }
code { font-size: .9em; background: #eef0f4; padding: 0 .25em; border-radius: 3px; word-break: break-all; }
.sub { color: var(--muted); margin: 0 0 1rem; }
table { border-collapse: collapse; width: 100%; font-size: .93rem; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.2rem;
  margin: 1.2rem 0; }
.explanation > header { display: flex; gap: 1rem; align-items: flex-start; justify-content: space-between; }
.meta { color: var(--muted); font-size: .88rem; margin: 0; word-break: break-word; }
.verdict { text-align: center; min-width: 7.5rem; border-radius: 8px; padding: .4rem .6rem; color: #fff; }
.verdict .score { display: block; font-size: 1.8rem; font-weight: 700; line-height: 1.1; }
.verdict .label { text-transform: uppercase; font-size: .78rem; letter-spacing: .08em; }
.label-reliable { background: #2e7d32; } .label-uncertain { background: #a86b00; }
.label-unreliable { background: #c62828; } .label-error { background: #555; }
.pill { display: inline-block; padding: 0 .45em; border-radius: 1em; color: #fff; font-size: .8rem; }
.reasons li { margin: .15rem 0; }
.barely { color: var(--muted); font-size: .9rem; }
.signals { display: grid; grid-template-columns: 11rem 1fr 3rem; gap: .25rem .6rem; align-items: center; }
.signals .track { background: #eceef3; border-radius: 4px; height: .9rem; overflow: hidden; }
.signals .fill { display: block; height: 100%; border-radius: 4px; }
.signals .num { text-align: right; font-variant-numeric: tabular-nums; }
svg.waterfall { width: 100%; height: auto; max-width: 46rem; display: block; }
details { margin: .4rem 0; } summary { cursor: pointer; color: var(--muted); }
.field { white-space: pre-wrap; overflow-wrap: anywhere; }
.body { font-family: Georgia, "DejaVu Serif", serif; font-size: 1rem; line-height: 1.65;
  padding: .6rem .8rem; border: 1px solid var(--line);
  border-radius: 6px; background: #fffefb; }
mark { color: inherit; padding: 0; border-radius: 2px; background: var(--other); }
sup.ref { font-size: .62em; line-height: 0; margin: 0 .1em; font-family: system-ui, sans-serif; }
sup.ref a { text-decoration: none; color: var(--muted); }
.legend { display: flex; flex-wrap: wrap; gap: .3rem 1rem; font-size: .85rem; margin: .3rem 0 .6rem;
  padding: 0; list-style: none; }
.sw { display: inline-block; width: 1.1em; height: .85em; border-radius: 2px; vertical-align: -.05em;
  margin-right: .3em; background: var(--other); }
ol.notes { font-size: .88rem; padding-left: 2.6rem; }
ol.notes li { margin: .1rem 0; }
ol.notes .where { color: var(--muted); font-size: .85em; }
ol.notes :target { background: #fff6c8; }
.warn { background: #fff3e0; border-left: 4px solid #e07b00; padding: .4rem .7rem; }
.errors li { font-family: ui-monospace, monospace; font-size: .85rem; word-break: break-word; }
figure { margin: .5rem 0; } figure img { max-width: 100%; height: auto; }
.sides { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: 1rem; }
.sides .body { white-space: pre-wrap; font-size: .86rem; max-height: 32rem; overflow-y: auto; }
.sides h4 { margin: .3rem 0 0; font-size: .95rem; }
.story .where { color: var(--muted); font-size: .85em; }
mark.shared, .sw.shared-exact { background: #ffe08a; }
mark.shared[data-kind="paraphrase"], .sw.shared-paraphrase { background: #d6e6ff;
  border-bottom: 2px dotted #3656c9; }
ul.passages { font-size: .86rem; }
"""
for _s in _COLOURED:
    CSS += f"mark.s-{_s}, .sw.s-{_s}, .fill.s-{_s} {{ background: var(--{_s}); }}\n"
    CSS += f"mark.o-{_s} {{ box-shadow: inset 0 -3px 0 var(--{_s}-d); }}\n"
    CSS += f".fill.s-{_s} {{ background: var(--{_s}-d); }}\n"
# Words the vocabulary family weighs are underlined rather than filled: they are many, and the
# problem spans they sit in keep their colour; the underline says which way the word pushed.
CSS += (
    "mark.s-vocabulary, .sw.s-vocabulary { background: transparent; border-bottom: 2px dashed var(--vocabulary-d); }\n"
    "mark.s-vocabulary.down { border-bottom-color: #c62828; }\n"
    "mark.s-vocabulary.up { border-bottom-color: #2e7d32; }\n"
)

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _esc_text(text: str) -> str:
    """Article text escaped so that the DOM holds exactly its characters: a bare carriage
    return would become a line feed when the page is parsed."""
    return _esc(text).replace("\r", "&#13;")


def _signal_class(signal: str) -> str:
    return signal if signal in _COLOURED else "other"


def _num(value: float, fmt: str = ".3f") -> str:
    return format(value, fmt) if math.isfinite(value) else "n/a"


def label_class(label: str) -> str:
    """The CSS class of a label: ``reliable``, ``uncertain``, ``unreliable``, else ``error``."""
    return label if label in ("reliable", "uncertain", "unreliable") else "error"


def _logit(p: float) -> float:
    p = min(max(p, 1e-12), 1 - 1e-12)
    return math.log(p / (1 - p))


# --- spans -------------------------------------------------------------------------------


def evidence_segments(
    length: int, spans: Sequence[tuple[int, int]]
) -> list[tuple[int, int, tuple[int, ...]]]:
    """Cut ``[0, length)`` into pieces covered by the same spans: ``(start, end, indices)``.

    Each span's characters are exactly the pieces whose ``indices`` name it; empty and
    out-of-range spans cover nothing.

    Examples
    --------
    >>> evidence_segments(10, [(2, 6), (4, 8)])
    [(0, 2, ()), (2, 4, (0,)), (4, 6, (0, 1)), (6, 8, (1,)), (8, 10, ())]
    """
    cuts = {0, length}
    for start, end in spans:
        if 0 <= start < end <= length:
            cuts.update((start, end))
    bounds = sorted(cuts)
    out = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        if a == b:
            continue
        cover = tuple(i for i, (s, e) in enumerate(spans) if 0 <= s < e <= length and s <= a and b <= e)
        out.append((a, b, cover))
    return out


@dataclass(frozen=True, slots=True)
class _Note:
    """One evidence span of an article with its number in the list of notes."""

    number: int
    evidence: Evidence
    found: bool  # its offsets give its text in the article (False: the article changed since)


_WORD_EFFECT = re.compile(r"([+-]\d+(?:\.\d+)?) log-odds")


def word_direction(e: Evidence) -> str:
    """'up' or 'down' for a vocabulary word, from its note ("'drone': -0.08 log-odds")."""
    if e.signal != "vocabulary":
        return ""
    m = _WORD_EFFECT.search(e.note)
    if not m:
        return ""
    return "down" if float(m.group(1)) < 0 else "up"


def _highlight(text: str, notes: Sequence[_Note], prefix: str) -> str:
    """``text`` escaped, with a ``<mark>`` per segment covered by evidence and a numbered
    reference after the end of each span."""
    spans = [(n.evidence.start, n.evidence.end) for n in notes]
    ends: dict[int, list[_Note]] = {}
    for n in notes:
        ends.setdefault(n.evidence.end, []).append(n)
    out = []
    for a, b, cover in evidence_segments(len(text), spans):
        piece = _esc_text(text[a:b])
        if cover:
            covering = sorted(
                (notes[i] for i in cover), key=lambda n: (n.evidence.end - n.evidence.start, n.number)
            )
            inner = covering[0].evidence
            classes = ["ev", f"s-{_signal_class(inner.signal)}"]
            if word_direction(inner):
                classes.append(word_direction(inner))
            for n in covering[1:]:
                outer = f"o-{_signal_class(n.evidence.signal)}"
                if n.evidence.signal != inner.signal and outer not in classes:
                    classes.append(outer)
            title = "\n".join(f"[{n.number}] {n.evidence.signal}: {n.evidence.note}" for n in covering)
            ids = " ".join(f"{prefix}-e{n.number}" for n in covering)
            out.append(
                f'<mark class="{" ".join(classes)}" data-ev="{ids}" title="{_esc(title)}">{piece}</mark>'
            )
        else:
            out.append(piece)
        for n in ends.get(b, ()):
            out.append(
                f'<sup class="ref" id="{prefix}-ref{n.number}"><a href="#{prefix}-fn{n.number}">{n.number}</a></sup>'
            )
    return "".join(out)


def _notes(report: Report, article: Article | None) -> list[_Note]:
    notes = []
    for number, e in enumerate(report.evidence, start=1):
        text = (
            getattr(article, e.field, None) if article is not None and e.field in ("title", "body") else None
        )
        found = (
            isinstance(text, str) and 0 <= e.start < e.end <= len(text) and text[e.start : e.end] == e.text
        )
        notes.append(_Note(number, e, found))
    return notes


# --- pieces of a section ----------------------------------------------------------------


def _signal_bars(signals: Mapping[str, float]) -> str:
    rows = []
    for name, value in signals.items():
        width = min(max(value, 0.0), 1.0) * 100 if math.isfinite(value) else 0.0
        rows.append(
            f'<span class="name">{_esc(_NAMES.get(name, name).split(" (")[0])}</span>'
            f'<span class="track" title="{_esc(name)} {_num(value, ".2f")}">'
            f'<span class="fill s-{_signal_class(name)}" style="width:{width:.1f}%"></span></span>'
            f'<span class="num">{_num(value, ".2f")}</span>'
        )
    return '<div class="signals" role="list">' + "".join(rows) + "</div>"


def _steps(report: Report, min_step: float = 0.005) -> list[tuple[str, float]]:
    """The waterfall's steps: one per family, largest first; families that barely move it
    are added up into one step, so the steps still sum to the logit."""
    grouped = group_contributions(report.contributions)
    big = sorted(((k, v) for k, v in grouped.items() if abs(v) >= min_step), key=lambda kv: -abs(kv[1]))
    small = [v for v in grouped.values() if abs(v) < min_step]
    steps = [(_FAMILY_NAMES.get(k, k), v) for k, v in big]
    if small and any(small):
        steps.append((f"{len(small)} others", math.fsum(small)))
    return steps


def waterfall_svg(report: Report) -> str:
    """An inline SVG waterfall: the typical article's log-odds (the intercept), one bar per
    family's contribution, and this article's log-odds, with the label thresholds.

    Each step carries its exact value in ``data-value``; the steps sum to the logit.
    """
    steps = _steps(report)
    start = report.intercept
    end = start + math.fsum(v for _, v in steps)
    points = [0.0, start, end, _logit(_UNRELIABLE_BELOW), _logit(_RELIABLE_AT)]
    running = start
    for _, v in steps:
        running += v
        points.append(running)
    finite = [p for p in points if math.isfinite(p)]
    lo, hi = math.floor(min(finite)) - 0.25, math.ceil(max(finite)) + 0.25
    label_w, value_w, plot_w, row_h, top = 150, 70, 520, 24, 26
    width = label_w + plot_w + value_w
    height = top + row_h * (len(steps) + 2) + 26

    def x(v: float) -> float:
        v = min(max(v, lo), hi) if math.isfinite(v) else 0.0
        return label_w + (v - lo) / (hi - lo) * plot_w

    parts = [
        f'<svg class="waterfall" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="log-odds from the typical article to this one">'
    ]
    # Label zones: unreliable below 0.4, uncertain, reliable from 0.6.
    x_u, x_r = x(_logit(_UNRELIABLE_BELOW)), x(_logit(_RELIABLE_AT))
    y0, y1 = top - 6, top + row_h * (len(steps) + 2)
    parts.append(
        f'<rect x="{label_w}" y="{y0}" width="{x_u - label_w:.1f}" height="{y1 - y0}" fill="#fdecec"/>'
    )
    parts.append(f'<rect x="{x_u:.1f}" y="{y0}" width="{x_r - x_u:.1f}" height="{y1 - y0}" fill="#fdf5e4"/>')
    parts.append(
        f'<rect x="{x_r:.1f}" y="{y0}" width="{label_w + plot_w - x_r:.1f}" height="{y1 - y0}" fill="#eaf5eb"/>'
    )
    for text, at, anchor in (("unreliable", label_w + 4, "start"), ("reliable", label_w + plot_w - 4, "end")):
        parts.append(
            f'<text x="{at:.1f}" y="{top - 10}" font-size="11" fill="#5b6475" text-anchor="{anchor}">{text}</text>'
        )
    for tick in range(math.ceil(lo), math.floor(hi) + 1):
        parts.append(
            f'<line x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{y0}" y2="{y1}" stroke="#cfd3db" stroke-width="{1.2 if tick == 0 else 0.5}"/>'
        )
        p = 1 / (1 + math.exp(-tick))
        parts.append(
            f'<text x="{x(tick):.1f}" y="{y1 + 14}" font-size="10" fill="#5b6475" text-anchor="middle">{tick:+d} ({p:.2f})</text>'
        )
    parts.append(
        f'<text x="{label_w + plot_w / 2:.0f}" y="{y1 + 25}" font-size="10" fill="#5b6475" text-anchor="middle">log-odds (reliability)</text>'
    )

    def bar(row: int, a: float, b: float, name: str, value: float, kind: str, colour: str) -> None:
        y = top + row * row_h
        left, right = sorted((x(a), x(b)))
        shown = f"{value:+.2f}" if kind == "step" else f"{value:.2f}"
        parts.append(
            f'<g class="{kind}" data-name="{_esc(name)}" data-value="{value!r}">'
            f"<title>{_esc(name)}: {shown} log-odds</title>"
            f'<text x="{label_w - 8}" y="{y + 15}" font-size="12" fill="#1d2330" text-anchor="end">{_esc(name)}</text>'
            f'<rect x="{left:.1f}" y="{y + 3}" width="{max(right - left, 1.5):.1f}" height="{row_h - 6}" rx="2" fill="{colour}"/>'
            f'<text x="{label_w + plot_w + 6}" y="{y + 15}" font-size="12" fill="#1d2330">{shown}</text></g>'
        )

    bar(0, 0.0, start, "typical article", start, "start", "#8792a8")
    running = start
    for i, (name, value) in enumerate(steps, start=1):
        bar(i, running, running + value, name, value, "step", "#2e8b3d" if value > 0 else "#c62828")
        y = top + i * row_h
        parts.append(
            f'<line x1="{x(running):.1f}" x2="{x(running):.1f}" y1="{y - 3}" y2="{y + 3}" stroke="#5b6475"/>'
        )
        running += value
    bar(len(steps) + 1, 0.0, end, "this article", end, "end", "#3656c9")
    parts.append("</svg>")
    return "".join(parts)


def _contribution_table(report: Report) -> str:
    rows = sorted(report.contributions.items(), key=lambda kv: -abs(kv[1]))
    body = "".join(
        f'<tr><td><code>{_esc(name)}</code></td><td class="num">{_num(report.features[name], ".3g") if name in report.features else ""}</td>'
        f'<td class="num">{value:+.3f}</td></tr>'
        for name, value in rows
        if value != 0.0
    )
    zero = sum(1 for v in report.contributions.values() if v == 0.0)
    out = (
        f"<details><summary>Every feature's contribution ({len(rows) - zero} non-zero, {zero} zero; "
        f"intercept {report.intercept:+.3f}, sum {report.logit:+.3f} = logit of {report.reliability:.3f})</summary>"
        '<table><tr><th>feature</th><th class="num">value</th><th class="num">log-odds</th></tr>'
        f"{body}</table></details>"
    )
    if report.words:
        words = sorted(report.words.items(), key=lambda kv: -abs(kv[1]))[:30]
        cells = "".join(f'<tr><td>{_esc(w)}</td><td class="num">{v:+.3f}</td></tr>' for w, v in words)
        out += (
            f"<details><summary>The vocabulary family's words ({len(report.words)}; the strongest "
            f"{len(words)} shown, they sum to {math.fsum(report.words.values()):+.3f})</summary>"
            f'<table><tr><th>word or pair</th><th class="num">log-odds</th></tr>{cells}</table></details>'
        )
    return out


def _legend(signals: Iterable[str]) -> str:
    present = list(dict.fromkeys(_signal_class(s) for s in signals))
    order = [s for s in (*_COLOURED, "other") if s in present]
    items = "".join(f'<li><span class="sw s-{s}"></span>{_esc(_NAMES[s])}</li>' for s in order)
    return f'<ul class="legend">{items}</ul>' if items else ""


def shorten(text: str, width: int = 140) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def article_section(report: Report, article: Article | None, anchor: str) -> str:
    """One article's explanation as an ``<article>`` element with id ``anchor``.

    Without ``article`` (a batch report made from scored rows only), the evidence is listed
    but the text cannot be shown.
    """
    notes = _notes(report, article)
    title_notes = [n for n in notes if n.found and n.evidence.field == "title"]
    body_notes = [n for n in notes if n.found and n.evidence.field == "body"]
    title = article.title if article is not None else report.title
    if title and article is not None:
        headline = f'<h2 class="headline"><span class="field" data-field="title">{_highlight(title, title_notes, anchor)}</span></h2>'
    elif title:
        headline = f'<h2 class="headline">{_esc(title)}</h2>'
    else:
        headline = '<h2 class="headline untitled">(no headline)</h2>'
    url = article.url if article is not None and article.url else report.url
    meta = [f"id <code>{_esc(report.id)}</code>"]
    if url:
        # Only web links are links: a javascript: or data: URL is shown as text.
        meta.append(
            f'<a href="{_esc(url)}" rel="nofollow noopener noreferrer">{_esc(shorten(url, 90))}</a>'
            if re.match(r"https?://", url, re.IGNORECASE)
            else f"<code>{_esc(shorten(url, 90))}</code>"
        )
    if report.model:
        meta.append(f"model <code>{_esc(report.model)}</code>")
    parts = [
        f'<article class="explanation card" id="{anchor}" data-id="{_esc(report.id)}">',
        "<header><div>",
        headline,
        f'<p class="meta">{" · ".join(meta)}</p>',
        "</div>",
        f'<div class="verdict label-{label_class(report.label)}"><span class="score">{_num(report.reliability)}</span>'
        f'<span class="label">{_esc(report.label)}</span></div>',
        "</header>",
    ]
    if report.out_of_scope:
        parts.append(
            f'<p class="barely">Out of scope: {_esc(report.out_of_scope)}. The model cannot judge this '
            "article; its reliability is no verdict.</p>"
        )
    parts.append("<h3>Why</h3>")
    reasons = "".join(f"<li>{_esc(r)}</li>" for r in report.reasons) or "<li>nothing stands out</li>"
    parts.append(f'<ol class="reasons">{reasons}</ol>')
    # Without contributions (rows scored without --explain) nothing can be said to be unweighted.
    barely = unweighted_signals(report) if report.signals and report.contributions else ()
    if barely:
        items = "".join(f"<li>{_esc(r)}</li>" for r in barely)
        parts.append(
            '<div class="barely">Flagged, but barely counted (in training these signals added '
            f"little to the others):<ul>{items}</ul></div>"
        )
    if report.signals:
        parts += ["<h3>Signals (0 = none, 1 = strong)</h3>", _signal_bars(report.signals)]
    if report.contributions:
        parts += [
            "<h3>From a typical article to this one (log-odds)</h3>",
            waterfall_svg(report),
            _contribution_table(report),
        ]
    parts.append("<h3>The article, with its evidence</h3>")
    parts.append(_legend(n.evidence.signal for n in notes))
    if article is not None:
        if article.body:
            parts.append(
                f'<div class="field body" data-field="body">{_highlight(article.body, body_notes, anchor)}</div>'
            )
        else:
            parts.append('<p class="sub">(no body text)</p>')
        lost = [n for n in notes if not n.found]
        if lost:
            parts.append(
                f'<p class="warn">{len(lost)} evidence span(s) do not match this text (marked ✗ below): '
                "the article read here is not the one that was scored.</p>"
            )
    else:
        parts.append(
            '<p class="warn">The article text is not in the scored rows; its evidence is listed '
            "below. Pass the scored files' inputs with <code>--articles</code> to see it highlighted.</p>"
        )
    if notes:
        parts.append(f'<h3>Evidence ({len(notes)} spans)</h3><ol class="notes">')
        for n in notes:
            e = n.evidence
            back = (
                f' <a href="#{anchor}-ref{n.number}" aria-label="back to the text">↩</a>' if n.found else ""
            )
            missing = "" if n.found or article is None else " ✗"
            parts.append(
                f'<li id="{anchor}-fn{n.number}"><span class="sw s-{_signal_class(e.signal)}"></span>'
                f"<strong>{_esc(e.signal)}</strong> “{_esc(shorten(e.text))}” — {_esc(e.note)} "
                f'<span class="where">{_esc(e.field)}[{e.start}:{e.end}]</span>{missing}{back}</li>'
            )
        parts.append("</ol>")
    else:
        parts.append('<p class="sub">No evidence spans.</p>')
    parts.append("</article>")
    return "".join(parts)


# --- stories ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoryMember:
    """One article of a story, as the story view shows it: from its scored row's story columns
    (``quality score --stories``) or from its `quality.stories.ArticleStory` (`of`)."""

    id: str
    story: str
    story_size: int
    originality: float | None
    shared: float
    #: The passages: dicts with other, start, end, other_start, other_end, kind, relation and
    #: text (`quality.stories.SharedPassage.to_dict`).
    passages: tuple[dict[str, Any], ...]

    @classmethod
    def of(cls, story: ArticleStory) -> StoryMember:
        """The member an `ArticleStory` (`quality.stories`) describes."""
        return cls(
            id=story.id,
            story=story.story,
            story_size=story.story_size,
            originality=story.originality,
            shared=story.shared,
            passages=tuple(p.to_dict() for p in story.passages),
        )


def stories_of(members: Iterable[StoryMember], most: int | None = None) -> list[list[StoryMember]]:
    """The ``most`` largest stories of two articles or more (all of them by default), each as
    its members in the order given; ties in size go by story id."""
    stories: dict[str, list[StoryMember]] = defaultdict(list)
    for m in members:
        if m.story_size >= 2:
            stories[m.story].append(m)
    ranked = sorted((ms for ms in stories.values() if len(ms) >= 2), key=lambda ms: (-len(ms), ms[0].story))
    return ranked if most is None else ranked[:most]


def _passage_note(p: Mapping[str, Any]) -> str:
    return f"{p.get('kind')}, {p.get('relation')} {p.get('other')}"


def _shared_marks(text: str, passages: Sequence[Mapping[str, Any]], prefix: str) -> str:
    """``text`` escaped, with a ``<mark class="shared">`` per segment that passages cover: its
    ``data-p`` names every passage covering it (``{prefix}p1``...), so the marks of one passage,
    read in order, spell exactly its characters; ``data-kind`` is the innermost one's kind."""
    spans = [(int(p["start"]), int(p["end"])) for p in passages]
    out = []
    for a, b, cover in evidence_segments(len(text), spans):
        piece = _esc_text(text[a:b])
        if not cover:
            out.append(piece)
            continue
        inner = passages[min(cover, key=lambda i: (spans[i][1] - spans[i][0], i))]
        kind = "exact" if inner.get("kind") == "exact" else "paraphrase"
        ids = " ".join(f"{prefix}p{i + 1}" for i in cover)
        title = "\n".join(_passage_note(passages[i]) for i in cover)
        out.append(
            f'<mark class="shared" data-kind="{kind}" data-p="{ids}" title="{_esc(title)}">{piece}</mark>'
        )
    return "".join(out)


def _member_link(ident: str, anchors: Mapping[str, str]) -> str:
    code = f"<code>{_esc(ident)}</code>"
    return f'<a href="#{anchors[ident]}">{code}</a>' if ident in anchors else code


def story_card(
    members: Sequence[StoryMember],
    articles: Mapping[str, Article],
    anchors: Mapping[str, str] | None = None,
    side_by_side: int = 4,
    key: str = "s1",
) -> str:
    """One story as a ``<section class="card story">`` with id ``key``: a table of its articles (each linking to
    its explanation when ``anchors`` maps its id to one on the page), their originality, shared
    share and passages; then the first ``side_by_side`` of those that share passages, side by
    side with the passages highlighted (given their text in ``articles``), else the passages
    listed. A story whose articles share no passage says so, and shows no text."""
    anchors = anchors or {}
    story = members[0].story
    sharing = [m for m in members if m.passages]
    rows = []
    for m in members:
        a = articles.get(m.id)
        head = f"<b>{_esc(shorten(a.title, 100))}</b><br>" if a is not None and a.title else ""
        originality = "—" if m.originality is None else f"{m.originality:.2f}"
        cells = f'<td>{head}{_member_link(m.id, anchors)}</td><td class="num">{originality}</td>'
        if sharing:  # else the passage columns would be all zeros and "none"
            others = Counter(str(p.get("other")) for p in m.passages)
            with_whom = ", ".join(f"{_member_link(o, anchors)} ({n})" for o, n in others.most_common())
            cells += (
                f'<td class="num">{m.shared:.0%}</td><td class="num">{len(m.passages)}</td>'
                f"<td>{with_whom or 'none'}</td>"
            )
        rows.append(f"<tr>{cells}</tr>")
    columns = (
        '<th class="num">shared</th><th class="num">passages</th><th>shares passages with (how many)</th>'
        if sharing
        else ""
    )
    parts = [
        f'<section class="card story" id="{key}" data-story="{_esc(story)}">',
        f"<h3>Story <code>{_esc(story)}</code>: {len(members)} articles</h3>",
        f'<table><tr><th>article</th><th class="num">originality</th>{columns}</tr>',
        *rows,
        "</table>",
    ]
    if not sharing:
        parts.append(
            f'<p class="none">These {len(members)} articles report the same event, but none shares a '
            "passage with another, in the same words or in others: each tells it in its own text.</p>"
        )
        parts.append("</section>")
        return "".join(parts)
    shown = [m for m in sharing if m.id in articles][:side_by_side]
    if shown:
        sides: list[str] = []
        for j, m in enumerate(shown, start=1):
            a = articles[m.id]
            headline = _esc(shorten(a.title, 80)) or "(no headline)"
            if m.id in anchors:
                headline = f'<a href="#{anchors[m.id]}">{headline}</a>'
            sides.append(
                f'<div class="side" data-id="{_esc(m.id)}"><h4>{headline}</h4>'
                f'<p class="where"><code>{_esc(m.id)}</code></p>'
                f'<div class="body">{_shared_marks(a.body, m.passages, f"{key}-{j}-")}</div></div>'
            )
        said = f"The first {len(shown)} of its articles" if len(shown) < len(sharing) else "Its articles"
        quiet = [m for m in members if not m.passages]
        if quiet:
            said += " that share passages"
        parts.append(
            f'<p class="sub">{said}, with their text; shared passages are marked (hover for the other '
            "article).</p>"
            '<ul class="legend"><li><span class="sw shared-exact"></span>the same words</li>'
            '<li><span class="sw shared-paraphrase"></span>other words (a paraphrase)</li></ul>'
        )
        if quiet:
            parts.append(
                '<p class="sub">'
                + ", ".join(_member_link(m.id, anchors) for m in quiet)
                + (" shares" if len(quiet) == 1 else " share")
                + " no passage with the others.</p>"
            )
        parts.append(f'<div class="sides">{"".join(sides)}</div>')
    else:
        items = [
            f"<li><code>{_esc(m.id)}</code> [{_esc(p.get('kind'))}, {_esc(p.get('relation'))} "
            f"<code>{_esc(p.get('other'))}</code>]: {_esc(shorten(str(p.get('text') or ''), 200))}</li>"
            for m in members
            for p in m.passages
        ]
        parts.append(
            '<p class="sub">Give the scored files (<code>--articles</code>) to see the articles side by '
            'side.</p><ul class="passages">' + "".join(items[:60]) + "</ul>"
        )
    parts.append("</section>")
    return "".join(parts)


def story_view(
    stories: Sequence[Sequence[StoryMember]],
    articles: Mapping[str, Article],
    anchors: Mapping[str, str] | None = None,
    heading: str = "Stories",
) -> str:
    """The story view: a heading, what its figures mean, and one `story_card` per story; with
    no story of two articles or more, a sentence that says so."""
    if not stories:
        return (
            f"<h2>{_esc(heading)}</h2>"
            '<p class="sub stories-none">No two of these articles report the same event: each is a story '
            "of its own.</p>"
        )
    return "".join(
        [
            f"<h2>{_esc(heading)}</h2>",
            '<p class="sub">Articles that report one event or share passages; originality is the share '
            "of an article's text not found in an earlier one of its story (— when dates are missing), "
            "shared the share found in any other.</p>",
            *(
                story_card(members, articles, anchors, key=f"s{k}")
                for k, members in enumerate(stories, start=1)
            ),
        ]
    )


# --- pages ------------------------------------------------------------------------------


def page(title: str, body: str) -> str:
    """A whole HTML document around ``body``: inline CSS, and a policy that runs no script and
    loads nothing but inline images."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_esc(title)}</title><style>{CSS}</style></head>\n"
        f"<body><main>\n{body}\n</main></body></html>\n"
    )


def _index(items: Sequence[tuple[str, Report, Article | None]]) -> str:
    rows = "".join(
        f'<tr><td class="num">{_num(r.reliability)}</td>'
        f'<td><span class="pill label-{label_class(r.label)}">{_esc(r.label)}</span></td>'
        f'<td><a href="#{anchor}">{_esc(shorten((a.title if a else r.title) or r.id, 110))}</a></td>'
        f"<td>{_esc(shorten(r.reasons[0], 110)) if r.reasons else ''}</td></tr>"
        for anchor, r, a in items
    )
    return (
        '<nav class="card index"><h3>Articles, least reliable first</h3><table>'
        '<tr><th class="num">reliability</th><th>label</th><th>headline</th><th>strongest reason</th></tr>'
        f"{rows}</table></nav>"
    )


def _errors(errors: Sequence[RecordError]) -> str:
    if not errors:
        return ""
    items = "".join(f"<li>{_esc(e.id)}: ({_esc(e.stage)}) {_esc(e.error)}</li>" for e in errors)
    return f'<section class="card errors"><h3>Records that could not be explained ({len(errors)})</h3><ul>{items}</ul></section>'


def explanation_page(
    items: Iterable[tuple[Report, Article | None] | RecordError],
    title: str = "Why these scores",
    stories: Sequence[Sequence[StoryMember]] | None = None,
) -> str:
    """The explanation page of scored articles: ``(report, article)`` pairs and error records.

    Articles are shown least reliable first, with an index when there are several. Given
    ``stories`` (`stories_of`), the page adds the story view before the explanations, each
    article of a story linking to its explanation.

    Examples
    --------
    >>> from quality.article import Report
    >>> r = Report(id="a<1>", reliability=0.2, label="unreliable", signals={}, features={},
    ...            contributions={"x.y": -1.0}, intercept=-0.386)
    >>> text = explanation_page([(r, None)])
    >>> "a&lt;1&gt;" in text and "a<1>" not in text
    True
    """
    pairs: list[tuple[Report, Article | None]] = []
    errors: list[RecordError] = []
    for item in items:
        if isinstance(item, RecordError):
            errors.append(item)
        else:
            pairs.append(item)
    ranked = sorted(pairs, key=lambda ra: ra[0].reliability if math.isfinite(ra[0].reliability) else 2.0)
    anchored = [(f"a{i}", r, a) for i, (r, a) in enumerate(ranked, start=1)]
    n = len(anchored)
    header = (
        f"<header><h1>{_esc(title)}</h1>"
        f'<p class="sub">{n} article{"s" if n != 1 else ""}'
        + (f", {len(errors)} not explained" if errors else "")
        + ". Reliability is the model's calibrated probability that the article is reliable; "
        "each bar of the waterfall is a signal's contribution in log-odds, and the highlighted "
        "spans are the evidence behind them (hover for the note).</p></header>"
    )
    body = [header]
    if n > 1:
        body.append(_index(anchored))
    if stories is not None:
        # An id given twice links to its first explanation, and shows its first text.
        anchors: dict[str, str] = {}
        texts: dict[str, Article] = {}
        for anchor, r, a in anchored:
            anchors.setdefault(r.id, anchor)
            if a is not None:
                texts.setdefault(r.id, a)
        body.append(story_view(stories, texts, anchors))
        body.append("<h2>Explanations</h2>")
    body += [article_section(r, a, anchor) for anchor, r, a in anchored]
    body.append(_errors(errors))
    return page(title, "\n".join(body))


def check_target(target: str | Path) -> None:
    """Raise `OSError` now when ``target`` cannot be written, before any work is done."""
    final = Path(os.path.realpath(target))
    if final.is_dir():
        raise IsADirectoryError(
            f"quality: cannot write the page to {str(target)!r}: it is a folder; name a file"
        )
    if not final.parent.is_dir():
        raise FileNotFoundError(
            f"quality: cannot write the page to {str(target)!r}: no folder {str(final.parent)!r}"
        )
    if not os.access(final.parent, os.W_OK) or (final.exists() and not os.access(final, os.W_OK)):
        raise PermissionError(f"quality: cannot write the page to {str(target)!r}: permission denied")


def write_page(text: str, target: str | Path) -> Path:
    """Write a page whole or not at all: to a hidden file beside ``target``, then renamed.

    Characters that UTF-8 cannot hold (lone surrogates from JSON input) are written as
    character references, which a browser shows as U+FFFD.
    """
    final = Path(os.path.realpath(target))
    partial = final.parent / f".{final.name[:100]}.{os.getpid()}.partial"
    try:
        with partial.open("w", encoding="utf-8", errors="xmlcharrefreplace", newline="\n") as fh:
            fh.write(text)
        os.replace(partial, final)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return final
