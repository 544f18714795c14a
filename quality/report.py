"""Turn signal results and a model's decomposition into a `Report` with readable reasons."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from quality.article import SIGNALS, Article, Evidence, Report, SignalResult

__all__ = ["build_report", "group_contributions", "reasons"]

# Which family each feature's contribution belongs to when explanations are grouped.
_FAMILY = {"claims": "unsupported_claims"}
_TITLES = {
    "sourcing": ("Well sourced", "Weak sourcing"),
    "typos": ("Clean spelling", "Typos"),
    "filler": ("Little filler", "Filler and boilerplate"),
    "unsupported_claims": ("Claims are attributed", "Unsupported claims"),
    "clickbait": ("Plain headline", "Headline reads as clickbait"),
    "style": ("Plain style", "Style"),
}


def group_contributions(contributions: Mapping[str, float]) -> dict[str, float]:
    """Contributions summed by signal family (``sourcing``, ``typos``, ..., ``style``)."""
    out: dict[str, float] = {}
    for name, value in contributions.items():
        family = name.split(".", 1)[0]
        family = _FAMILY.get(family, family)
        out[family] = out.get(family, 0.0) + value
    return out


def _quote(evidence: Sequence[Evidence], limit: int = 3, width: int = 50) -> str:
    seen: list[str] = []
    for e in evidence:
        text = " ".join(e.text.split())
        text = text if len(text) <= width else text[: width - 1] + "…"
        if e.signal == "typos" and ": likely " in e.note:
            text = f"{text} (likely {e.note.split(': likely ', 1)[1]})"
        if text not in seen:
            seen.append(text)
        if len(seen) == limit:
            break
    return ", ".join(f"'{t}'" for t in seen)


def reasons(
    contributions: Mapping[str, float],
    results: Mapping[str, SignalResult],
    min_effect: float = 0.05,
) -> tuple[str, ...]:
    """Short sentences, strongest effect first, each naming the evidence behind it.

    Examples
    --------
    >>> from quality.article import SignalResult, Evidence
    >>> ev = Evidence("clickbait", "clickbait.exclamations", "title", 5, 6, "!", "exclamation mark")
    >>> results = {"clickbait": SignalResult("clickbait", 0.9, {}, (ev,))}
    >>> reasons({"clickbait.probability": -1.2}, results)
    ("Headline reads as clickbait: '!' (lowers reliability by 1.20 log-odds)",)
    """
    grouped = group_contributions(contributions)
    out: list[tuple[float, str]] = []
    for family, effect in grouped.items():
        if abs(effect) < min_effect:
            continue
        good, bad = _TITLES.get(family, (family, family))
        result = results.get(family)
        evidence = list(result.evidence) if result else []
        if family == "sourcing":
            evidence = [e for e in evidence if e.feature != "sourcing.attributions_per_100w"] or evidence
        direction = "raises" if effect > 0 else "lowers"
        if effect > 0:
            # Helping families are described by their absence, except sourcing by its sources.
            title, detail = good, (_quote(evidence) if family == "sourcing" else "")
        else:
            title, detail = bad, _quote(evidence)
            if family == "sourcing" and not evidence:
                detail = "no named sources, quotes or citations found"
        text = f"{title}: {detail}" if detail else title
        out.append((abs(effect), f"{text} ({direction} reliability by {abs(effect):.2f} log-odds)"))
    out.sort(key=lambda pair: -pair[0])
    return tuple(text for _, text in out)


def build_report(
    article: Article,
    results: Mapping[str, SignalResult],
    features: Sequence[float],
    feature_names: Sequence[str],
    intercept: float,
    contributions: Sequence[float],
    reliability: float,
    label: str,
    model_name: str = "",
) -> Report:
    """Assemble one `Report`; evidence is ordered by field, then position."""
    contrib = {n: float(c) for n, c in zip(feature_names, contributions)}
    evidence = tuple(
        sorted((e for r in results.values() for e in r.evidence), key=lambda e: (e.field != "title", e.start, e.signal))
    )
    return Report(
        id=article.id,
        reliability=float(reliability),
        label=label,
        signals={name: float(results[name].score) for name in SIGNALS},
        features={n: float(v) for n, v in zip(feature_names, features)},
        contributions=contrib,
        intercept=float(intercept),
        evidence=evidence,
        reasons=reasons(contrib, results),
        model=model_name,
        url=article.url,
        title=article.title,
    )
