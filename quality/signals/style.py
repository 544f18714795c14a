"""Style: readability (textstat's Flesch reading ease and Gunning fog), sentence length,
exclamation and all-caps density, and specificity: numbers, dates, names and first-person
speech per 100 words.

Specific copy (dates, figures, named people and places, people speaking in the first person
in quotes) goes with reliable articles in all three article corpora; vague copy does not.

The two readability values are textstat's, counted once per article by `quality.readability`
(textstat itself is not imported: the tests compare the two).
"""

from __future__ import annotations

import bisect
import re

from quality._regex import compile_fast
from quality.article import SignalResult
from quality.doc import Doc
from quality.readability import readability

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

# A word of four capitals or more: \b[A-Z]{4,}\b, written to open on a character set, which re
# skips ahead to (the lookbehind tests, after the first capital, that no word character is
# before it, which is what \b tests there).
_CAPS = re.compile(r"[A-Z](?<!\w.)[A-Z]{3,}\b")
# Dates and first-person words in any case, matched in the lower-cased text: ignoring case
# costs re three times as much. The two find the same words unless the text holds one of the
# four characters that re takes for another case of an ASCII letter (dotless ı, long ſ, the
# Kelvin sign) or that lower-cases to two characters (İ); such a text is matched ignoring case.
_DATE = (
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|"
    r"may|june|july|august|september|october|november|december|yesterday|today|tonight|"
    r"(?:last|this|next)\s+(?:week|month|year))\b"
)
_FIRST_PERSON = r"\b(?:i|me|my|mine|we|us|our|ours)\b"
_FIRST_PERSON_WORDS = frozenset(("i", "me", "my", "mine", "we", "us", "our", "ours"))
# Both in one scan of the lower-cased text: a match of either is whole words (\b at both
# ends), and no word of one is a word of the other, so each finds the same matches alone or
# together; the first-person ones are told apart by their word.
_LOWER = compile_fast(f"{_DATE}|{_FIRST_PERSON}")
_ANY_CASE = (re.compile(_DATE, re.IGNORECASE), re.compile(_FIRST_PERSON, re.IGNORECASE))
_CASE_TRAPS = ("\u0130", "\u0131", "\u017f", "\u212a")


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
    read = readability(text)
    if any(c in text for c in _CASE_TRAPS):
        n_dates, n_first_person = (len(p.findall(text)) for p in _ANY_CASE)
    else:
        found = _LOWER.findall(text.lower())
        n_first_person = sum(map(_FIRST_PERSON_WORDS.__contains__, found))
        n_dates = len(found) - n_first_person
    n_sentences = max(len(doc.body.sentences), 1)
    features = {
        # Clipped: textstat's formulas run to extreme values on lists and fragments.
        "style.flesch_reading_ease": min(max(read.flesch_reading_ease, -50.0), 120.0),
        "style.gunning_fog": min(max(read.gunning_fog, 0.0), 40.0),
        "style.words_per_sentence": n / n_sentences,
        "style.exclamations_per_100w": 100.0 * text.count("!") / n,
        "style.all_caps_ratio": len(_CAPS.findall(text)) / n,
        "style.numbers_per_100w": 100.0 * sum(1 for t in doc.body.tokens if t.kind == "num") / n,
        "style.dates_per_100w": 100.0 * n_dates / n,
        "style.proper_nouns_per_100w": 100.0 * _proper_nouns(doc) / n,
        "style.first_person_per_100w": 100.0 * n_first_person / n,
    }
    return SignalResult("style", 0.0, features)
