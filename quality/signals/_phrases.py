"""The lexicons that the claims and sourcing signals both read, compiled once for both.

A lexicon's alternation opens on "no word character before" (`quality.lexicon.alternation`),
so it is searched from one word break to the next (`quality._regex.WordPattern`): the same
matches as `quality.lexicon.pattern`, found in fewer steps.
"""

from __future__ import annotations

import functools
import re

from quality import lexicon
from quality._regex import WordPattern

__all__ = ["word_pattern"]


@functools.cache
def word_pattern(name: str, flags: int = re.IGNORECASE) -> WordPattern:
    """`quality.lexicon.pattern` (same name, same flags) as a `WordPattern`.

    Examples
    --------
    >>> word_pattern("hedges").search("It reportedly fell.").group()
    'reportedly'
    """
    return WordPattern(lexicon.alternation(name), flags)
