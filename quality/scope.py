"""The model's scope: English news articles long enough to judge.

The model was trained on English articles of 70 words and more (the shortest 1% of its
held-out articles have 72), and its signals read English: a Spanish article has "typos"
everywhere, and a three-word body has no sourcing to find. An article outside that scope is
still scored, but it gets the label ``out_of_scope`` and a reason instead of a confident label.

The language is detected offline by py3langid (a naive Bayes model over byte n-grams, 140
languages, shipped in its wheel and read without pickle) on the headline and the start of the
body.
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import numpy as np

from quality._once import once

__all__ = ["LANGUAGE_SAMPLE", "MIN_WORDS", "OUT_OF_SCOPE", "detect_language", "out_of_scope", "word_count"]

#: The label of an article outside the model's scope.
OUT_OF_SCOPE = "out_of_scope"

#: Fewer words than this in the body and the article is too short to judge. Chosen on the
#: held-out articles of the shipped model cut to their first N words (see the commit that set
#: it): below it their ranking (AUC) and their scores break away from those of the whole
#: articles.
MIN_WORDS = 50

#: Characters of the headline and the body the language is detected on: the detector reads
#: bytes in pure Python (about 2.5 microseconds a byte), and 600 characters name the language of
#: every article of the shared corpora as the whole text does.
LANGUAGE_SAMPLE = 600


#: Every half-precision float as a float32, by its 16 bits (numpy's own conversion of each).
_WIDENED = np.arange(1 << 16, dtype=np.uint16).view(np.float16).astype(np.float32)

#: Bytes read back from each position by `_walk`: the deepest state of py3langid's automaton
#: is six bytes from its start (its longest n-gram), so six bytes name every state.
_WINDOW = 6


@once
def _identifier():  # type: ignore[no-untyped-def]
    # Loaded on first use (about 1.3 s: 68 MB decompressed from the wheel's model file).
    from py3langid.langid import MODEL_FILE, LanguageIdentifier  # type: ignore[import-untyped]

    class Identifier(LanguageIdentifier):  # type: ignore[misc]
        """py3langid's detector, its byte walk made in numpy (`_walk`) and its half-precision
        weights widened through a table (`_sparse_score`); the same results."""

        __slots__ = ("_tables",)

        def _raw_score(self, text: bytes) -> Any:
            visits = _walk(self._tables, text)
            if not visits:  # no feature, or a walk that `_walk` cannot make: the detector's own
                return super()._raw_score(text)
            return self._sparse_score(visits, self.nb_ptc)

        def _sparse_score(self, visits: Counter[int], table: np.ndarray) -> Any:
            # py3langid's own, but for the weights' rows widened to float32 by looking their bits
            # up in `_WIDENED` instead of by numpy's conversion of half floats, which was most of
            # its time: the same float32 numbers multiplied the same way.
            if table.dtype != np.float16 or not table.flags.c_contiguous:
                return super()._sparse_score(visits, table)
            features = np.fromiter(visits.keys(), dtype=np.intp, count=len(visits))
            counts = np.fromiter(visits.values(), dtype=np.float32, count=len(visits))
            return np.log1p(counts) @ _WIDENED.take(table.view(np.uint16).take(features, axis=0)) + self.nb_pc

    try:
        detector = Identifier.from_model_file(MODEL_FILE, norm_probs=True)
        detector._tables = (
            np.frombuffer(detector.tk_nextmove, dtype=np.dtype(detector.tk_nextmove.typecode)),
            np.asarray(detector._rowbase, dtype=np.int64),
            np.asarray(detector.tk_output, dtype=np.int64),
        )
    except (AttributeError, TypeError, ValueError):  # another py3langid inside: its own walk
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return detector


def _walk(
    tables: tuple[np.ndarray, np.ndarray, np.ndarray], text: bytes, window: int = _WINDOW
) -> Counter[int] | None:
    """The features py3langid's automaton meets walking ``text``, counted in the order it meets
    them (`py3langid.langid.visit_counts`, whose Python loop over every byte was most of the
    language's cost), or None when it meets none or when this walk is not that one.

    The automaton's state after a byte is the longest match that ends there, which lies in the
    last ``window`` bytes; so every position's state is found at once, walking the window before
    it from the start state, a byte a round for all positions together. The result is then
    checked to be the automaton's own walk (each state the step from the one before it); when it
    is not, the caller walks the bytes itself.
    """
    moves, rows, outputs = tables
    data = np.frombuffer(text, dtype=np.uint8).astype(np.int64)
    n = len(data)
    if not n:
        return None
    oldest = min(window, n) - 1
    states = np.zeros(n, dtype=np.int64)
    # The oldest byte of each window first, from the start state: one row of moves.
    # (``take``: what indexing with an array gives, without its general machinery.)
    states[oldest:] = moves[rows[0] : rows[0] + 256].take(data[: n - oldest])
    for back in range(oldest - 1, -1, -1):
        states[back:] = moves.take(rows.take(states[back:]) + data[: n - back])
    before = np.concatenate(([0], states[:-1]))
    if not np.array_equal(moves.take(rows.take(before) + data), states):
        return None
    found = outputs.take(states)
    found = found[found >= 0]
    return Counter(found.tolist()) if len(found) else None


def preload() -> None:
    """Start loading the language detector in a thread (decompressing it releases the GIL), so
    that it loads while the model does."""
    threading.Thread(target=_identifier, name="quality-language-load", daemon=True).start()


def detect_language(title: str, body: str) -> str | None:
    """The ISO 639-1 code of the language of an article (``"en"``, ``"es"``...), or None when
    its text has no letters to tell.

    Examples
    --------
    >>> detect_language("Flood closes schools", "Twelve schools closed on Monday after the river rose.")
    'en'
    >>> detect_language("Inundaciones cierran escuelas", "Doce escuelas cerraron el lunes tras la crecida del río.")
    'es'
    """
    sample = f"{title}\n{body[:LANGUAGE_SAMPLE]}" if title else body[:LANGUAGE_SAMPLE]
    if not any(c.isalpha() for c in sample):
        return None
    language, _ = _identifier().classify(sample)
    return str(language)


def word_count(body: str) -> int:
    """Words in an article's body, as whitespace separates them.

    Examples
    --------
    >>> word_count("Twelve schools closed on Monday.")
    5
    """
    return len(body.split())


def out_of_scope(language: str | None, words: int, min_words: int = MIN_WORDS) -> str | None:
    """Why an article is outside the model's scope, or None when it is inside.

    Examples
    --------
    >>> out_of_scope("es", 300)
    "language 'es', not English"
    >>> out_of_scope("en", 3)
    'too short: 3 words in the body, under the 50 the model needs to judge an article'
    >>> out_of_scope("en", 300) is None
    True
    """
    if words < min_words:
        # The language of a few words is a guess (py3langid calls "Storm hits" Dutch): the
        # length is the reason then.
        return (
            f"too short: {words} word{'s' if words != 1 else ''} in the body, under the {min_words} the "
            "model needs to judge an article"
        )
    if language is None:
        return "no language detected: the text has no letters"
    if language != "en":
        return f"language {language!r}, not English"
    return None
