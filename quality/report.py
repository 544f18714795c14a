"""Turn signal results and a model's decomposition into a `Report` with readable reasons."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from quality.article import SIGNALS, Article, Evidence, Report, SignalResult
from quality.scope import OUT_OF_SCOPE, detect_language, out_of_scope, word_count

__all__ = ["build_report", "group_contributions", "reason_title", "reasons", "unweighted_signals"]

# Which family each feature's contribution belongs to when explanations are grouped.
_FAMILY = {"claims": "unsupported_claims"}
_TITLES = {
    "sourcing": ("Well sourced", "Weak sourcing"),
    "typos": ("Clean spelling", "Typos"),
    "filler": ("Little filler", "Filler and boilerplate"),
    "unsupported_claims": ("Claims are attributed", "Unsupported claims"),
    "clickbait": ("Plain headline", "Headline reads as clickbait"),
    "style": ("Specific, readable copy", "Vague or hard-to-read copy"),
    "reputation": ("Well-rated outlet", "Poorly rated outlet"),
    "density": ("Dense wording", "Thin wording, few content words"),
    "vocabulary": (
        "Wording common in reliable training articles",
        "Wording common in unreliable training articles",
    ),
}
#: A family's reason is shown only when its contribution moves the score at least this much.
MIN_EFFECT = 0.1
# Features whose effect is its own reason rather than part of their signal's: lexical density
# is computed with the filler signal but is not filler, and has no evidence span to quote.
_OWN_REASON = {"filler.lexical_density": "density"}


def group_contributions(contributions: Mapping[str, float]) -> dict[str, float]:
    """Contributions summed by signal family (``sourcing``, ``typos``, ..., ``style``), with
    lexical density as its own group (``density``): it is no filler, whatever module computes it."""
    out: dict[str, float] = {}
    for name, value in contributions.items():
        family = _reason_family(name)
        out[family] = out.get(family, 0.0) + value
    return out


def reason_title(family: str, effect: float) -> str:
    """The title of a family's reason when it moves the score by ``effect``.

    Examples
    --------
    >>> reason_title("clickbait", -1.2), reason_title("sourcing", 0.4)
    ('Headline reads as clickbait', 'Well sourced')
    """
    good, bad = _TITLES.get(family, (family, family))
    return good if effect > 0 else bad


def _reason_family(feature: str) -> str:
    """The reason a feature's contribution counts towards: its signal, or its own."""
    if feature in _OWN_REASON:
        return _OWN_REASON[feature]
    family = feature.split(".", 1)[0]
    return _FAMILY.get(family, family)


def _quote(evidence: Sequence[Evidence], limit: int = 3, width: int = 50) -> str:
    seen: list[str] = []
    for e in evidence:
        text = " ".join(e.text.split())
        if e.signal == "vocabulary":
            # A term is quoted once, as the model reads it (lower case), whatever its capitals.
            text = text.lower()
        text = text if len(text) <= width else text[: width - 1] + "…"
        if e.signal == "typos" and ": likely " in e.note:
            text = f"{text} (likely {e.note.split(': likely ', 1)[1]})"
        if text not in seen:
            seen.append(text)
        if len(seen) == limit:
            break
    return ", ".join(f"'{t}'" for t in seen)


def _sourcing_detail(result: SignalResult | None) -> str:
    """What the sourcing signal counted: "2 named sources ('NHK', 'Shoigu'), no quotes, ..."."""
    if result is None:
        return ""
    f = result.features
    names = [e.text for e in result.evidence if e.feature == "sourcing.named_sources"]
    parts = []
    attributions = sum(1 for e in result.evidence if e.feature == "sourcing.attributions_per_100w")
    if attributions:
        parts.append(f"{attributions} attribution{'s' if attributions != 1 else ''}")
    n = int(f.get("sourcing.named_sources", 0))
    parts.append(f"{n} named source{'s' if n != 1 else ''}" + (f" ({_quote_texts(names)})" if names else ""))
    quotes = sum(1 for e in result.evidence if e.feature == "sourcing.quotes_per_100w")
    parts.append(f"{quotes} direct quote{'s' if quotes != 1 else ''}" if quotes else "no direct quotes")
    citations = int(f.get("sourcing.citations", 0))
    parts.append(f"{citations} citation{'s' if citations != 1 else ''}" if citations else "no citations")
    anonymous = sum(1 for e in result.evidence if e.feature == "sourcing.anonymous_sources_per_100w")
    if anonymous:
        parts.append(f"{anonymous} anonymous source{'s' if anonymous != 1 else ''}")
    return ", ".join(parts)


# How a style or reputation feature reads in a reason, from its value.
_MEASURES = {
    "style.flesch_reading_ease": "reading ease {:.0f}",
    "style.gunning_fog": "fog index {:.1f}",
    "style.words_per_sentence": "{:.0f} words a sentence",
    "style.exclamations_per_100w": "{:.1f} exclamation marks per 100 words",
    "style.all_caps_ratio": "{:.1%} of words in capitals",
    "style.numbers_per_100w": "{:.1f} figures per 100 words",
    "style.dates_per_100w": "{:.1f} dates per 100 words",
    "style.proper_nouns_per_100w": "{:.1f} names per 100 words",
    "style.first_person_per_100w": "{:.1f} first-person words per 100 words",
    "filler.lexical_density": "lexical density {:.2f} (content words per word)",
    "reputation.domain_score": "domain rating {:+.1f}",
    "typos.misspelled_per_100w": "{:.2f} misspelled words per 100 words",
    "typos.misspelled_names": "{:.0f} misspelled names",
    "filler.boilerplate_lines": "{:.0f} boilerplate lines",
    "filler.boilerplate_char_ratio": "{:.0%} of the text boilerplate",
    "filler.seo_phrases_per_100w": "{:.2f} padding phrases per 100 words",
    "filler.duplicate_sentence_ratio": "{:.0%} of sentences repeated",
    "unsupported_claims.unattributed_per_100w": "{:.1f} unattributed claims per 100 words",
    "unsupported_claims.unattributed_ratio": "{:.0%} of sentences unattributed claims",
    "unsupported_claims.hedges_per_100w": "{:.1f} hedges per 100 words",
    "unsupported_claims.vague_sources_per_100w": "{:.1f} vague sources per 100 words",
    "clickbait.probability": "headline model's clickbait probability {:.2f}",
    "clickbait.sensational_words": "{:.0f} sensational words in the headline",
    "clickbait.exclamations": "{:.0f} exclamation marks in the headline",
    "clickbait.questions": "{:.0f} question marks in the headline",
    "clickbait.all_caps_words": "{:.0f} all-caps words in the headline",
    "clickbait.second_person": "{:.0f} second-person words in the headline",
    "clickbait.forward_reference": "{:.0f} forward references in the headline",
    "clickbait.listicle": "listicle form {:.0f}",
    "reputation.known": "domain {}listed",
}


def _measured_detail(
    family: str,
    contributions: Mapping[str, float],
    effect: float,
    values: Mapping[str, float],
    limit: int = 3,
) -> str:
    """The features that moved this family the way it went, with their values."""
    same_way = [(n, c) for n, c in contributions.items() if _reason_family(n) == family and c * effect > 0]
    same_way.sort(key=lambda nc: -abs(nc[1]))
    parts = []
    for name, _ in same_way[:limit]:
        template = _MEASURES.get(name)
        if template is None or name not in values:
            continue
        value = values[name]
        parts.append(
            template.format("" if value else "not ") if name == "reputation.known" else template.format(value)
        )
    return ", ".join(parts)


def _quote_texts(texts: Sequence[str], limit: int = 3) -> str:
    unique = list(dict.fromkeys(texts))[:limit]
    return ", ".join(f"'{t}'" for t in unique)


def reasons(
    contributions: Mapping[str, float],
    results: Mapping[str, SignalResult],
    min_effect: float = MIN_EFFECT,
    features: Mapping[str, float] | None = None,
) -> tuple[str, ...]:
    """Short sentences, strongest effect first, each naming the evidence behind it.

    A family gets a reason only when its contribution moves the score at least ``min_effect``
    log-odds, and only when the reason can name what moved it: the spans of the features that
    moved it (problems, and the vocabulary family's words), what sourcing counted, or the measured
    values of the features that moved it (style, density, and a problem's absence).

    Examples
    --------
    >>> from quality.article import SignalResult, Evidence
    >>> ev = Evidence("clickbait", "clickbait.exclamations", "title", 5, 6, "!", "exclamation mark")
    >>> results = {"clickbait": SignalResult("clickbait", 0.9, {}, (ev,))}
    >>> reasons({"clickbait.exclamations": -1.2}, results)
    ("Headline reads as clickbait: '!' (lowers reliability by 1.20 log-odds)",)
    >>> reasons({"clickbait.exclamations": -0.08}, results)
    ()
    """
    values = features or {}
    grouped = group_contributions(contributions)
    out: list[tuple[float, str]] = []
    for family, effect in grouped.items():
        if abs(effect) < min_effect:
            continue
        good, bad = _TITLES.get(family, (family, family))
        title = good if effect > 0 else bad
        result = results.get(family)
        evidence = list(result.evidence) if result else []
        direction = "raises" if effect > 0 else "lowers"
        if family == "sourcing":
            detail = _sourcing_detail(result)
        elif family == "vocabulary":
            detail = _quote(evidence)
        elif effect < 0 and evidence and family not in _MEASURED_ONLY:
            # The spans of the features that moved the score: a span whose feature the model
            # does not weigh (site chrome, when training rewarded it) did not lower it.
            moved = [e for e in evidence if contributions.get(e.feature, 0.0) * effect > 0]
            detail = _quote(moved) if moved else _measured_detail(family, contributions, effect, values)
        else:
            detail = _measured_detail(family, contributions, effect, values)
        if not detail:
            continue
        out.append(
            (abs(effect), f"{title}: {detail} ({direction} reliability by {abs(effect):.2f} log-odds)")
        )
    out.sort(key=lambda pair: -pair[0])
    return tuple(text for _, text in out)


#: Families whose reasons quote measured values, never spans.
_MEASURED_ONLY = frozenset({"style", "reputation", "density"})


def unweighted_signals(
    report: Report, threshold: float = 0.5, min_effect: float = MIN_EFFECT
) -> tuple[str, ...]:
    """Problem signals that fired (score at or above ``threshold``) but barely moved the score.

    A signal can be high while the model gives it no weight: in the training corpora it did not
    improve the fit beyond the other features (the unsupported-claims features, for one, carry
    much of what the sourcing features already say, and the boosted trees never split on them),
    or the monotone constraints held its shape flat rather than let it point the wrong way.
    Editors see the signal score beside a zero contribution; these lines say so instead of
    leaving it to look like a bug.

    Examples
    --------
    >>> from quality.article import Report, Evidence
    >>> ev = Evidence("filler", "filler.seo_phrases_per_100w", "body", 0, 14, "sheds light on", "padding")
    >>> r = Report(id="a", reliability=0.4, label="uncertain", signals={"filler": 1.0},
    ...            features={}, contributions={"filler.seo_phrases_per_100w": 0.0},
    ...            intercept=-0.4, evidence=(ev,))
    >>> unweighted_signals(r)
    ("Filler and boilerplate: 'sheds light on' (signal 1.00, but the model gives it little or no weight)",)
    """
    grouped = group_contributions(report.contributions)
    out = []
    for family, score in report.signals.items():
        if family == "sourcing":  # a high sourcing score is good news, not a flag
            continue
        if score < threshold or abs(grouped.get(family, 0.0)) >= min_effect:
            continue
        title = _TITLES.get(family, (family, family))[1]
        evidence = [e for e in report.evidence if e.signal == family]
        detail = _quote(evidence)
        text = f"{title}: {detail}" if detail else title
        out.append(f"{text} (signal {score:.2f}, but the model gives it little or no weight)")
    return tuple(out)


def build_report(
    article: Article,
    results: Mapping[str, SignalResult],
    features: Mapping[str, float],
    contributions: Mapping[str, float],
    intercept: float,
    reliability: float,
    label: str,
    model_name: str = "",
    words: Mapping[str, float] | None = None,
    language: str | None = None,
) -> Report:
    """Assemble one `Report`; evidence is ordered by field, then position.

    An article outside the model's scope (`quality.scope`: not English, or too short to judge)
    gets the label ``out_of_scope`` instead of ``label``, and says why in ``out_of_scope``.
    ``language`` is the article's `quality.scope.detect_language`, when the caller has it
    already; without it (or when it is None: a text without letters) it is detected here.
    """
    if language is None:
        language = detect_language(article.title, article.body)
    n_words = word_count(article.body)
    why = out_of_scope(language, n_words)
    evidence = tuple(
        sorted(
            (e for r in results.values() for e in r.evidence),
            key=lambda e: (e.field != "title", e.start, e.signal),
        )
    )
    return Report(
        id=article.id,
        reliability=float(reliability),
        label=OUT_OF_SCOPE if why else label,
        signals={name: float(results[name].score) for name in SIGNALS},
        features=dict(features),
        contributions=dict(contributions),
        intercept=float(intercept),
        evidence=evidence,
        reasons=reasons(contributions, results, features=features),
        model=model_name,
        url=article.url,
        title=article.title,
        source=article.source,
        extra=dict(article.extra),
        words=dict(words or {}),
        language=language,
        word_count=n_words,
        out_of_scope=why,
    )
