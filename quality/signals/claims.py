"""Unsupported claims: assertions the article does not credit to anyone.

A sentence is a claim when it asserts a fact: a number, a cause, an accusation, a certainty.
It is unsupported when neither it nor a neighbouring sentence attributes it to a source.
Hedged speculation ("seems", "reportedly", "could potentially") and vague sources ("some
reports suggest", "many experts warn") are flagged wherever they occur, since they present
rumour as news.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from quality import lexicon
from quality.article import Evidence, SignalResult
from quality.doc import Doc, Span

__all__ = ["FEATURES", "analyse", "is_claim"]

FEATURES = (
    "unsupported_claims.unattributed_per_100w",
    "unsupported_claims.unattributed_ratio",
    "unsupported_claims.hedges_per_100w",
    "unsupported_claims.vague_sources_per_100w",
)

_NUMBER = re.compile(
    r"\d|\b(?:hundreds|thousands|millions|billions|dozens|half|twice|double|tripled?)\b", re.I
)
_CAUSE = re.compile(
    r"\b(?:because|due to|caused|causes|causing|led to|leads to|resulted in|results in|"
    r"responsible for|blamed|behind the|as a result|therefore|thanks to)\b",
    re.I,
)
_ACCUSE = re.compile(
    r"\b(?:falsely|lied|lies|lying|fraud|fraudulent|corrupt|corruption|rigged|stole|stolen|"
    r"cover(?:ed)?[- ]up|conspir\w+|illegal(?:ly)?|secretly|targeting|targets|entices?|"
    r"exploit\w*|abus\w+|plot\w*|scheme|scam|hoax|propaganda|crimes?|criminal|murder\w*|"
    r"kill\w*|poison\w*|rape\w*|bribe\w*|smuggl\w+|launder\w*)\b",
    re.I,
)
_CERTAIN = re.compile(
    r"\b(?:in fact|clearly|undoubtedly|certainly|definitely|obviously|proven|proves|the truth is|"
    r"without a doubt|everyone knows|no doubt|always|never|all of them)\b",
    re.I,
)
# Questions, headings without a verb-ish length, and list labels are not assertions.
_MIN_WORDS = 6


def is_claim(sentence: str, strong_only: bool = False) -> str | None:
    """Why ``sentence`` reads as a factual claim ("number", "cause", ...), or None.

    With ``strong_only``, only accusations and causes count (the claim model decides the rest).

    Examples
    --------
    >>> is_claim("The factory makes 2,000 drones a month.")
    'number'
    >>> is_claim("What comes next?") is None
    True
    """
    if sentence.rstrip().endswith("?") or len(sentence.split()) < _MIN_WORDS:
        return None
    if _ACCUSE.search(sentence):
        return "accusation"
    if _CAUSE.search(sentence):
        return "cause"
    if strong_only:
        return None
    if _NUMBER.search(sentence):
        return "number"
    if _CERTAIN.search(sentence):
        return "certainty"
    return None


def _has_attribution(text: str) -> bool:
    return bool(
        lexicon.pattern("attribution").search(text) or lexicon.pattern("reporting_verbs", 0).search(text)
    )


def _attributed(sentence: Span) -> bool:
    text = sentence.text
    if not _has_attribution(text):
        return False
    # "some reports suggest" attributes nothing; an attribution beside it might.
    vague = lexicon.pattern("vague_sources").search(text)
    if vague is None:
        return True
    return _has_attribution(text[: vague.start()] + text[vague.end() :])


def analyse(doc: Doc, claim_probabilities: Sequence[float] | None = None) -> SignalResult:
    """Find unattributed claims, hedges and vague sources in ``doc``.

    ``claim_probabilities``, one per body sentence, come from the check-worthy-claim model
    (`quality.model.make_claim_model`): a sentence it rates at least 0.5 is a claim, as is one
    the rules call an accusation or a cause. Without them, the rules decide alone.

    Examples
    --------
    >>> from quality.article import Article
    >>> from quality.doc import make_doc
    >>> r = analyse(make_doc(Article("T", "Moscow seems to be targeting African women.")))
    >>> [e.note for e in r.evidence]
    ["hedged speculation: 'seems'"]
    """
    body = doc.body
    sentences = body.sentences
    n = doc.n_words
    evidence: list[Evidence] = []
    attributed = [_attributed(s) for s in sentences]
    hedge_rx = lexicon.pattern("hedges")
    vague_rx = lexicon.pattern("vague_sources")

    claims = unattributed = hedges = vague = 0
    for i, sentence in enumerate(sentences):
        hedge = hedge_rx.search(sentence.text)
        vague_m = vague_rx.search(sentence.text)
        if vague_m:
            vague += 1
        if hedge:
            hedges += 1
        if hedge and not attributed[i]:
            note = f"hedged speculation: {hedge.group()!r}"
            evidence.append(
                body.evidence(
                    "unsupported_claims",
                    "unsupported_claims.hedges_per_100w",
                    sentence.start,
                    sentence.end,
                    note,
                )
            )
            continue
        if vague_m and not attributed[i]:
            note = f"vague source: {vague_m.group()!r}"
            evidence.append(
                body.evidence(
                    "unsupported_claims",
                    "unsupported_claims.vague_sources_per_100w",
                    sentence.start,
                    sentence.end,
                    note,
                )
            )
            continue
        if claim_probabilities is None:
            kind = is_claim(sentence.text)
        else:
            kind = is_claim(sentence.text, strong_only=True)
            if kind is None and claim_probabilities[i] >= 0.5 and len(sentence.text.split()) >= _MIN_WORDS:
                kind = "check-worthy"
        if kind is None:
            continue
        claims += 1
        near = (
            attributed[i] or (i > 0 and attributed[i - 1]) or (i + 1 < len(sentences) and attributed[i + 1])
        )
        if not near:
            unattributed += 1
            evidence.append(
                body.evidence(
                    "unsupported_claims",
                    "unsupported_claims.unattributed_per_100w",
                    sentence.start,
                    sentence.end,
                    f"unattributed claim ({kind})",
                )
            )

    features = {
        "unsupported_claims.unattributed_per_100w": 100.0 * unattributed / n if n else 0.0,
        "unsupported_claims.unattributed_ratio": unattributed / claims if claims else 0.0,
        "unsupported_claims.hedges_per_100w": 100.0 * hedges / n if n else 0.0,
        "unsupported_claims.vague_sources_per_100w": 100.0 * vague / n if n else 0.0,
    }
    amount = (
        0.6 * features["unsupported_claims.unattributed_per_100w"]
        + 1.2 * features["unsupported_claims.hedges_per_100w"]
        + 1.2 * features["unsupported_claims.vague_sources_per_100w"]
        + 1.0 * features["unsupported_claims.unattributed_ratio"]
    )
    score = 1.0 - math.exp(-amount) if n else 0.0
    return SignalResult("unsupported_claims", score, features, tuple(evidence))
