"""Read the phrase lists, gazetteers and word lists under ``quality/lexicons/``, once per process.

A lexicon file has one entry a line; ``#`` starts a comment; blank lines are skipped.
"""

from __future__ import annotations

import functools
import re
from importlib import resources

from quality._regex import compile_fast

__all__ = ["alternation", "entries", "pattern", "table"]


@functools.cache
def entries(name: str) -> tuple[str, ...]:
    """The entries of ``quality/lexicons/<name>.txt``, comments and blank lines removed."""
    try:
        text = resources.files("quality").joinpath(f"lexicons/{name}.txt").read_text("utf-8")
    except FileNotFoundError:
        raise ValueError(f"quality: no lexicon named {name!r} in quality/lexicons/") from None
    out = []
    for line in text.splitlines():
        line = line.split(" #", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if line:
            out.append(line)
    return tuple(out)


@functools.cache
def table(name: str) -> tuple[tuple[str, ...], ...]:
    """Entries split on ``|`` into their fields (e.g. an organisation and its aliases)."""
    return tuple(tuple(f.strip() for f in e.split("|") if f.strip()) for e in entries(name))


def _phrase_regex(phrase: str) -> str:
    """A phrase as a regex: words separated by any whitespace; ``*`` stands for one word."""
    if phrase.startswith("re:"):
        return phrase[3:].strip()
    parts = []
    for word in phrase.split():
        parts.append(r"[\w'’-]+" if word == "*" else re.escape(word).replace("'", "['’]"))
    return r"\s+".join(parts)


@functools.cache
def pattern(name: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """One compiled alternation of every phrase in a lexicon, longest first, on word boundaries.

    An entry starting with ``re:`` is taken as a regular expression as it stands. The
    alternation is compiled as a trie of first characters (`quality._regex.compile_fast`): one
    pass over the text finds what a search per phrase would, in the same order.
    """
    return compile_fast(alternation(name), flags)


@functools.cache
def alternation(name: str) -> str:
    """The regular expression `pattern` compiles: for a pattern of several lexicons at once.

    Examples
    --------
    >>> rx = re.compile(alternation("hedges") + "|" + alternation("vague_sources"), re.I)
    >>> [bool(rx.search(t)) for t in ("Experts warn of a bubble.", "It reportedly fell.", "It fell.")]
    [True, True, False]
    """
    phrases = sorted(entries(name), key=len, reverse=True)
    body = "|".join(f"(?:{_phrase_regex(p)})" for p in phrases)
    return rf"(?<![\w])(?:{body})(?![\w])"
