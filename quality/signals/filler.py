"""Filler: text that is not the article.

Site chrome and boilerplate lines ("Skip to content", "Leave a Reply", "Tags:", share
counters, related-content teasers, author blurbs), SEO padding ("cannot be overstated"),
sentences and paragraphs the article repeats, and low lexical density.
"""

from __future__ import annotations

import math
import re

from quality import lexicon
from quality.article import Evidence, SignalResult
from quality.doc import Doc, Span

__all__ = ["FEATURES", "analyse"]

FEATURES = (
    "filler.boilerplate_lines",
    "filler.boilerplate_char_ratio",
    "filler.seo_phrases_per_100w",
    "filler.duplicate_sentence_ratio",
    "filler.lexical_density",
)

_WINDOW = 300
_BULLET = re.compile(r"^[\s\-–—•*·>|]*")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Function words: what is left when they are taken out is the information a text carries.
_FUNCTION_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just may me might more most must my myself no nor not now of off on
    once only or other our ours ourselves out over own same she should so some such than that
    the their theirs them themselves then there these they this those through to too under
    until up very was we were what when where which while who whom why will with would you
    your yours yourself yourselves""".split()
)


def _boilerplate(line: Span) -> re.Match[str] | None:
    """The boilerplate phrase that opens ``line``, if the line reads as chrome, not prose."""
    lead = _BULLET.match(line.text)
    offset = lead.end() if lead else 0
    m = lexicon.pattern("boilerplate").match(line.text, offset)
    if m is None:
        return None
    n_words = len(line.text.split())
    phrase_words = len(m.group().split())
    # "Latest figures show ..." is prose; "Latest" alone, or a long phrase, is chrome.
    if phrase_words < 3 and n_words > 6 and line.text.rstrip().endswith((".", "?")) and ":" not in m.group():
        return None
    return m


def _stem(word: str) -> str:
    """Crude plural and possessive folding, enough to match a reworded sentence."""
    return word[:-1] if len(word) > 4 and word.endswith("s") else word


def _shingles(words: list[str]) -> frozenset[tuple[str, str, str]]:
    return frozenset(zip(words, words[1:], words[2:], strict=False))


def analyse(doc: Doc) -> SignalResult:
    """Find boilerplate, padding and repetition in ``doc``.

    Examples
    --------
    >>> from quality.article import Article
    >>> from quality.doc import make_doc
    >>> r = analyse(make_doc(Article("T", "Rain fell.\\nLeave a Reply\\nTags: rain, weather")))
    >>> [e.text for e in r.evidence]
    ['Leave a Reply', 'Tags: rain, weather']
    """
    body = doc.body
    evidence: list[Evidence] = []
    n = doc.n_words

    chrome_lines = 0
    chrome_chars = 0
    for line in body.lines:
        if _boilerplate(line):
            chrome_lines += 1
            chrome_chars += line.end - line.start
            evidence.append(
                body.evidence(
                    "filler", "filler.boilerplate_lines", line.start, line.end, "boilerplate: site chrome"
                )
            )

    seo = 0
    for m in lexicon.pattern("seo_padding").finditer(body.text):
        seo += 1
        evidence.append(
            body.evidence(
                "filler", "filler.seo_phrases_per_100w", m.start(), m.end(), "padding: stock phrase"
            )
        )

    # A sentence that repeats an earlier one: 80% of its word trigrams, or reworded with 80%
    # of the same content words ("opened a new children's unit" / "a new unit for children").
    seen: list[tuple[frozenset[tuple[str, str, str]], frozenset[str], Span]] = []
    duplicated_words = 0
    for sentence in body.sentences:
        words = [w.lower() for w in _WORD.findall(sentence.text)]
        if len(words) < 6:
            continue
        grams = _shingles(words)
        content = frozenset(_stem(w) for w in words if w not in _FUNCTION_WORDS)
        # Restatements sit within a few hundred sentences of what they repeat; a window keeps a
        # pathological 10,000-sentence page linear.
        for earlier_grams, earlier_content, earlier in seen[-_WINDOW:]:
            overlap = len(grams & earlier_grams) / min(len(grams), len(earlier_grams))
            if overlap < 0.8 and len(content) >= 6 and len(earlier_content) >= 6:
                overlap = len(content & earlier_content) / min(len(content), len(earlier_content))
            if overlap >= 0.8:
                duplicated_words += len(words)
                note = f"repeats: {earlier.text[:60]!r}"
                evidence.append(
                    body.evidence(
                        "filler", "filler.duplicate_sentence_ratio", sentence.start, sentence.end, note
                    )
                )
                break
        else:
            seen.append((grams, content, sentence))

    words = [w.lower() for w in _WORD.findall(body.text)]
    content_words = sum(1 for w in words if w not in _FUNCTION_WORDS)
    features = {
        "filler.boilerplate_lines": float(chrome_lines),
        "filler.boilerplate_char_ratio": chrome_chars / len(body.text) if body.text else 0.0,
        "filler.seo_phrases_per_100w": 100.0 * seo / n if n else 0.0,
        "filler.duplicate_sentence_ratio": duplicated_words / len(words) if words else 0.0,
        "filler.lexical_density": content_words / len(words) if words else 0.0,
    }
    amount = (
        0.7 * chrome_lines
        + 8.0 * features["filler.boilerplate_char_ratio"]
        + 0.75 * seo
        + 6.0 * features["filler.duplicate_sentence_ratio"]
    )
    score = 1.0 - math.exp(-amount) if n else 0.0
    return SignalResult("filler", score, features, tuple(evidence))
