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


@once
def _identifier():  # type: ignore[no-untyped-def]
    # Loaded on first use (about 1.3 s: 68 MB decompressed from the wheel's model file).
    from py3langid.langid import MODEL_FILE, LanguageIdentifier  # type: ignore[import-untyped]

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


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
