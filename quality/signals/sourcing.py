"""Sourcing: who the article says its facts come from.

Attributions ("according to", "said", "cited by"), direct quotes, named versus anonymous
sources, numbered citations with a source list, and links; densities per 100 words and the
number of distinct sources.
"""

from __future__ import annotations

import math
import re

from quality import lexicon
from quality.article import Evidence, SignalResult
from quality.doc import Doc

__all__ = ["FEATURES", "analyse"]

FEATURES = (
    "sourcing.attributions_per_100w",
    "sourcing.quotes_per_100w",
    "sourcing.named_sources",
    "sourcing.anonymous_sources_per_100w",
    "sourcing.citations",
    "sourcing.links_per_100w",
    "sourcing.distinct_sources",
)

# A name starts at a word start and runs at most six capitalised words: matching then costs
# the same on any input (unbounded, "A" * 100000 took minutes).
_NAME = (
    r"(?<![\w'’&.-])(?:[A-Z]\.|[A-Z][\w'’&-]*+)"
    r"(?:\s+(?:(?:of|for|the|de|al|von|van|bin)\s+)?(?:[A-Z]\.|[A-Z][\w'’&-]*+)){0,5}"
)
_NOT_A_NAME = frozenset(
    "The This That These Those It He She They We I You His Her Their Its Our A An In On At "
    "But And Or So If When While As Meanwhile However Also Yet Still Then There Here Monday "
    "Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June "
    "July August September October November December Mr Mrs Ms Dr Sources Source Officials "
    "Critics Experts Analysts Observers Insiders Reports Witnesses People Residents Many Some".split()
)
_VERBS = (
    r"said|says|told|stated|added|noted|explained|announced|confirmed|wrote|writes|reported|"
    r"tweeted|warned|argued|insisted|acknowledged|admitted|claimed|testified|declared"
)
_NAMED_AFTER = re.compile(
    rf"\b(?i:according to|(?:cited|reported|quoted|confirmed|published|released|announced|stated) by|citing|told|per|as per reports from|"
    rf"(?:{_VERBS}))\s+(?:the\s+)?(?:[A-Z]\w+['’]s(?:\s+[a-z]+){{1,3}},?\s+)?(?P<name>{_NAME})"
)
_NAMED_BEFORE = re.compile(rf"(?P<name>{_NAME}),?\s+(?:{_VERBS})\b")
_QUOTE = re.compile(r"“[^“”\n]{12,}?”|\"[^\"\n]{12,}?\"|«[^«»\n]{12,}?»")
_CITATION = re.compile(r"\[(\d{1,3})\]")
_SOURCE_LIST = re.compile(
    r"^[ \t]*(?:sources?|references?|citations?|bibliography|further reading)[ \t]*:", re.I | re.M
)
_DOMAIN = re.compile(r"^(?:https?://)?(?:www\.)?([^/\s:]+)", re.I)


def _per_100(count: float, n_words: int) -> float:
    return 100.0 * count / n_words if n_words else 0.0


def _clean_name(name: str) -> str | None:
    words = name.replace("’s", "").replace("'s", "").split()
    while words and words[0] in _NOT_A_NAME:
        words = words[1:]
    if not words:
        return None
    return " ".join(words).rstrip(".,")


def analyse(doc: Doc) -> SignalResult:
    """Score how well ``doc`` credits its facts.

    Examples
    --------
    >>> from quality.article import Article
    >>> from quality.doc import make_doc
    >>> r = analyse(make_doc(Article("T", "The minister said on Monday that taxes would rise.")))
    >>> r.features["sourcing.named_sources"], r.features["sourcing.attributions_per_100w"] > 0
    (0.0, True)
    """
    body = doc.body
    text = body.text
    n = doc.n_words
    evidence: list[Evidence] = []

    attributions = 0
    for m in lexicon.pattern("attribution").finditer(text):
        attributions += 1
        evidence.append(
            body.evidence("sourcing", "sourcing.attributions_per_100w", m.start(), m.end(), "attribution")
        )

    names: dict[str, tuple[int, int]] = {}
    for rx in (_NAMED_AFTER, _NAMED_BEFORE):
        for m in rx.finditer(text):
            if text.startswith(("'s", "’s"), m.end("name")):
                continue  # "Japan's public broadcaster": a possessive, not the source
            name = _clean_name(m.group("name"))
            if name and name.lower() not in names:
                start = m.start("name") + m.group("name").find(name.split()[0])
                names[name.lower()] = (start, start + len(name))
    for name, (start, end) in names.items():
        if text[start:end].lower() == name:
            evidence.append(
                body.evidence(
                    "sourcing", "sourcing.named_sources", start, end, f"named source: {text[start:end]}"
                )
            )

    anonymous = 0
    for m in lexicon.pattern("anonymous_sources").finditer(text):
        anonymous += 1
        evidence.append(
            body.evidence(
                "sourcing", "sourcing.anonymous_sources_per_100w", m.start(), m.end(), "anonymous source"
            )
        )

    quotes = 0
    for m in _QUOTE.finditer(text):
        if len(m.group().split()) >= 3:
            quotes += 1
            evidence.append(
                body.evidence("sourcing", "sourcing.quotes_per_100w", m.start(), m.end(), "direct quote")
            )

    cited = set()
    for m in _CITATION.finditer(text):
        cited.add(m.group(1))
        evidence.append(
            body.evidence("sourcing", "sourcing.citations", m.start(), m.end(), "numbered citation")
        )
    source_list = _SOURCE_LIST.search(text)
    if source_list:
        evidence.append(
            body.evidence(
                "sourcing", "sourcing.citations", source_list.start(), source_list.end(), "source list"
            )
        )

    domains = set()
    links = 0
    for t in body.tokens:
        if t.kind == "url" and "@" not in t.text:
            links += 1
            domains.add(_DOMAIN.match(t.text).group(1).lower())  # type: ignore[union-attr]
            evidence.append(body.evidence("sourcing", "sourcing.links_per_100w", t.start, t.end, "link"))

    citations = len(cited) + (1 if source_list else 0)
    distinct = len(names) + len(cited) + len(domains)
    features = {
        "sourcing.attributions_per_100w": _per_100(attributions, n),
        "sourcing.quotes_per_100w": _per_100(quotes, n),
        "sourcing.named_sources": float(len(names)),
        "sourcing.anonymous_sources_per_100w": _per_100(anonymous, n),
        "sourcing.citations": float(citations),
        "sourcing.links_per_100w": _per_100(links, n),
        "sourcing.distinct_sources": float(distinct),
    }
    # Strength: attributions and quotes per 100 words, plus distinct named or cited sources;
    # anonymous sources count for half an attribution.
    strength = (
        0.5 * features["sourcing.attributions_per_100w"]
        + 0.5 * features["sourcing.quotes_per_100w"]
        + 0.25 * min(distinct, 12)
        + 0.5 * min(citations, 6) / 6
    )
    score = 1.0 - math.exp(-strength / 1.5) if n else 0.0
    return SignalResult("sourcing", score, features, tuple(evidence))
