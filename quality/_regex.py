"""Alternations of phrases compiled so that Python's regex engine scans them quickly.

Python's `re` tries a pattern at every position of the text, and an alternation such as
``(?<![\\w])(?:seems|appears to|allegedly|...)(?![\\w])`` at every position tries every phrase.
It skips ahead cheaply only when the pattern opens on a character set it can test without
case folding. `compile_fast` rewrites a pattern into that shape: the set of characters a match
can start with (the first character consumed), then the phrases grouped by their first
character, then by their next ones (a trie), each group tried only when its character is there.
Every rewrite keeps the backtracking order, so the rewritten pattern finds the same match as the
plain one at every position, for every text, position argument and match method; a pattern it
cannot take apart safely (capture groups, a quantified or conditional opening, inline flags at
the start, verbose mode) is compiled as it stands.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

__all__ = ["WordPattern", "compile_fast"]


class _Unsupported(Exception):
    """A construct the rewrite does not take apart; the pattern is compiled as it stands."""


# A quantifier after an atom: ?, *, +, {m,n}, each maybe lazy (?) or possessive (+).
_QUANTIFIER = re.compile(r"(?:[?*+]|\{\d*(?:,\d*)?\})[?+]?")
_SPECIAL = set(".^$*+?{}[]\\|()")
# The character before a shifted look-behind: any character, line breaks included.
_ANY = "(?s:.)"


def _class_end(p: str, i: int) -> int:
    """The index after the character class opening at ``p[i] == "["``."""
    j = i + 1
    if j < len(p) and p[j] == "^":
        j += 1
    if j < len(p) and p[j] == "]":
        j += 1
    while j < len(p) and p[j] != "]":
        j += 2 if p[j] == "\\" else 1
    if j >= len(p):
        raise _Unsupported(p)
    return j + 1


def _group_end(p: str, i: int) -> int:
    """The index after the group opening at ``p[i] == "("``."""
    depth = 0
    j = i
    while j < len(p):
        c = p[j]
        if c == "\\":
            j += 2
            continue
        if c == "[":
            j = _class_end(p, j)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    raise _Unsupported(p)


def _items(p: str) -> list[str]:
    """``p`` as a sequence of atoms, each with its quantifier, and ``|`` where it alternates."""
    out = []
    i = 0
    while i < len(p):
        c = p[i]
        if c == "|":
            out.append("|")
            i += 1
            continue
        if c == "\\":
            # One character escaped, or a class or an assertion: longer escapes (\x41, \u2019,
            # \N{...}, \1) are not cut into atoms.
            if i + 1 >= len(p) or (p[i + 1].isalnum() and p[i + 1] not in "dDwWsSbBAZntrfv"):
                raise _Unsupported(p)
            j = i + 2
        elif c == "[":
            j = _class_end(p, i)
        elif c == "(":
            j = _group_end(p, i)
        elif c in "*+?{)":  # a quantifier with nothing before it, or a literal brace
            raise _Unsupported(p)
        else:
            j = i + 1
        q = _QUANTIFIER.match(p, j)
        k = q.end() if q else j
        out.append(p[i:k])
        i = k
    return out


def _alternatives(p: str) -> list[list[str]]:
    """The top-level alternatives of ``p``, each as a sequence of items."""
    alts: list[list[str]] = [[]]
    for item in _items(p):
        if item == "|":
            alts.append([])
        else:
            alts[-1].append(item)
    return alts


def _is_lookbehind(item: str) -> bool:
    return item.startswith(("(?<!", "(?<=")) and item.endswith(")")


def _is_zero_width(item: str) -> bool:
    """An assertion that consumes nothing and matches one way only (Python's look-arounds are
    atomic), so it can be moved out of alternatives that all start or end with it."""
    return item in (r"\b", r"\B", r"\A", r"\Z", "^", "$") or (
        item.startswith(("(?<!", "(?<=", "(?=", "(?!")) and item.endswith(")")
    )


def _is_group(item: str) -> bool:
    """An unquantified non-capturing group: its alternatives can be distributed."""
    return item.startswith("(?:") and item.endswith(")")


def _literal(item: str) -> str | None:
    """The one character ``item`` matches literally (unquantified), or None."""
    if len(item) == 1 and item not in _SPECIAL:
        return item
    if len(item) == 2 and item[0] == "\\" and not item[1].isalnum():
        return item[1]
    return None


def _class_chars(item: str) -> list[str] | None:
    """The characters of a plain character class item (literals and ranges only), or None."""
    if not (item.startswith("[") and item.endswith("]")) or item.startswith("[^") or len(item) < 3:
        return None
    body = item[1:-1]
    chars: list[str] = []
    i = 0
    while i < len(body):
        if body[i] == "\\":
            if i + 1 >= len(body) or body[i + 1].isalnum():
                return None
            c = body[i + 1]
            i += 2
        elif body[i] == "[":  # a nested set (a FutureWarning in Python), not taken apart
            return None
        else:
            c = body[i]
            i += 1
        if i + 1 < len(body) and body[i] == "-":
            hi = body[i + 1]
            if hi == "\\" or ord(hi) < ord(c) or ord(hi) - ord(c) > 256:
                return None
            chars.extend(chr(o) for o in range(ord(c), ord(hi) + 1))
            i += 2
        else:
            chars.append(c)
    return list(dict.fromkeys(chars))


class _Case:
    """How characters compare under the pattern's flags."""

    def __init__(self, flags: int) -> None:
        self.flags = flags
        self.ignore = bool(flags & re.IGNORECASE)

    def key(self, c: str) -> str | None:
        """Characters with one key match the same text characters, and characters with
        different keys never match the same one; None for a character whose matches are not
        known here (a cased character past ASCII when case is ignored)."""
        if not self.ignore:
            return c
        if c.isascii():
            return c.lower()
        return None if c.lower() != c or c.upper() != c else c

    def is_word(self, c: str) -> bool:
        return re.match(r"\w", c, self.flags) is not None


def _shifted(item: str, c: str, case: _Case) -> str:
    """Assertion ``item``, made at the position before a character ``c``, as made after it."""
    # One spelling for "no word character before": patterns joined in one alternation then
    # share it, and it is tested once for all of them.
    if item == r"\b":
        return rf"(?<!\w{_ANY})" if case.is_word(c) else rf"(?<=\w{_ANY})"
    if item in (r"(?<![\w])", r"(?<!\w)"):
        return rf"(?<!\w{_ANY})"
    if _is_lookbehind(item):
        return f"{item[:4]}(?:{item[4:-1]}){_ANY})"
    raise _Unsupported(item)


def _common_ends(pieces: list[list[str]]) -> tuple[list[str], list[str]]:
    """Assertions every piece starts with, and items every piece ends with (moved out: ``XA|XB``
    matches as ``X(?:A|B)`` when ``X`` matches one way, and ``AX|BX`` as ``(?:A|B)X`` always)."""
    head: list[str] = []
    while all(len(p) > len(head) for p in pieces):
        item = pieces[0][len(head)]
        if not _is_zero_width(item) or any(p[len(head)] != item for p in pieces):
            break
        head.append(item)
    tail: list[str] = []
    while all(len(p) > len(head) + len(tail) for p in pieces):
        item = pieces[0][-1 - len(tail)]
        if any(p[-1 - len(tail)] != item for p in pieces):
            break
        tail.insert(0, item)
    return head, tail


def _blocks(keyed: list[tuple[str | None, list[str]]]) -> list[tuple[str | None, list[list[str]]]]:
    """Pieces (first-character key, the rest) grouped by key without changing which piece is
    tried first at any text position: a piece joins the last group of its key only when every
    group after it has another key (those can never match where it does); a piece without a key
    stands alone, and no later piece moves before it."""
    blocks: list[tuple[str | None, list[list[str]]]] = []
    for key, rest in keyed:
        target = None
        if key is not None:
            for k, group in reversed(blocks):
                if k is None:
                    break
                if k == key:
                    target = group
                    break
        if target is None:
            blocks.append((key, [rest]))
        else:
            target.append(rest)
    return blocks


def _trie(pieces: list[list[str]], case: _Case) -> str:
    """The alternation of ``pieces`` (sequences of items, in order), factored by leading
    literal characters."""
    if len(pieces) == 1:
        return "".join(pieces[0])
    head, tail = _common_ends(pieces)
    pieces = [p[len(head) : len(p) - len(tail)] for p in pieces]
    keyed: list[tuple[str | None, list[str]]] = []
    for p in pieces:
        c = _literal(p[0]) if p else None
        keyed.append((None, p) if c is None or case.key(c) is None else (case.key(c), p[1:]))
    parts = []
    for key, group in _blocks(keyed):
        if key is None:
            parts.append("".join(group[0]))
        else:
            parts.append(re.escape(key) + _trie(group, case))
    return "".join(head) + "(?:" + "|".join(parts) + ")" + "".join(tail)


# Items that match one character of a set not spelled out: a character the rewrite does not
# key (see `_Case.key`), or a class escape. Whether all their characters are word characters
# decides how a word boundary before them moves past them.
_WORD_ITEMS = frozenset({r"\d", r"\w"})
_NON_WORD_ITEMS = frozenset({r"\s", r"\W"})
# A group that turns case-folding on or off for what it holds.
_CASE_GROUP = re.compile(r"\(\?(-?)i:(.*)\)", re.S)
# What is left of an item without its escapes and group openings: if it holds no letter, the
# item means the same whether case is ignored or not.
_SYNTAX = re.compile(r"\\.|\(\?(?:<?[=!]|[a-zA-Z-]*:)")


class _Opening(NamedTuple):
    """An alternative split at its first character."""

    item: str  # the item that matches the first character
    char: str | None  # that character, when the item is one literal character
    ignore: bool  # whether case is ignored for that character
    rest: list[str]  # the items after it (assertions made before it moved after it)


def _as_read(item: str, inner: _Case, outer: _Case) -> str:
    """``item``, read with ``inner``'s case rule, written for a pattern read with ``outer``'s."""
    if inner.ignore == outer.ignore or not any(
        c.lower() != c or c.upper() != c for c in _SYNTAX.sub("", item)
    ):
        return item
    return f"(?{'' if inner.ignore else '-'}i:{item})"


def _read_as(items: list[str], inner: _Case, outer: _Case) -> list[str]:
    """``items``, read with ``inner``'s case rule, for a pattern read with ``outer``'s: the
    assertions they open with as they are when case does not matter to them (so that they can
    still be shared), the rest in one group of ``inner``'s rule."""
    at = 0
    while at < len(items) and _is_zero_width(items[at]) and _as_read(items[at], inner, outer) == items[at]:
        at += 1
    rest = "".join(items[at:])
    return items[:at] + ([_as_read(rest, inner, outer)] if rest else [])


def _openings(items: list[str], case: _Case) -> list[_Opening]:
    """``items`` as alternatives in order, each split at its first character."""
    at = 0
    while at < len(items) and _is_zero_width(items[at]):
        at += 1
    if at == len(items):
        raise _Unsupported(items)
    first = items[at]
    before, after = items[:at], items[at + 1 :]
    if _is_group(first):
        out = []
        for alt in _alternatives(first[3:-1]):
            out.extend(_openings(before + alt + after, case))
        return out
    flagged = _CASE_GROUP.fullmatch(first)
    if flagged:
        # "(?i:A|B)C" is "(?i:A)C|(?i:B)C"; what "A" holds after its first character stays in
        # its case rule, item by item.
        inner = _Case(case.flags & ~re.IGNORECASE if flagged[1] else case.flags | re.IGNORECASE)
        out = []
        for alt in _alternatives(flagged[2]):
            for o in _openings(alt, inner):
                word = o.char if o.char is not None else "a" if o.item in _WORD_ITEMS else " "
                if o.char is None and o.item not in _WORD_ITEMS and o.item not in _NON_WORD_ITEMS and before:
                    raise _Unsupported(first)
                out.append(
                    o._replace(
                        rest=[_shifted(a, word, case) for a in before] + _read_as(o.rest, inner, case) + after
                    )
                )
        return out
    if first in _WORD_ITEMS or first in _NON_WORD_ITEMS:
        shifted = [_shifted(a, "a" if first in _WORD_ITEMS else " ", case) for a in before]
        return [_Opening(first, None, case.ignore, shifted + after)]
    c = _literal(first)
    chars = [c] if c is not None else _class_chars(first)
    # A class past ASCII, case ignored, may hold a letter that matches one outside it.
    if chars is None or (case.ignore and c is None and not all(ch.isascii() for ch in chars)):
        raise _Unsupported(first)
    return [
        _Opening(re.escape(ch), ch, case.ignore, [_shifted(a, ch, case) for a in before] + after)
        for ch in chars
    ]


def _is_cased(c: str) -> bool:
    return c.lower() != c or c.upper() != c


# The opening of a capture group, numbered or named.
_CAPTURE = re.compile(r"\((?!\?)|\(\?P<\w+>")


def _captures(pattern: str) -> bool:
    return _CAPTURE.search(re.sub(r"\\.|\[(?:\\.|[^\]\\])*\]", "", pattern)) is not None


def _rewrite(pattern: str, flags: int) -> str:
    if flags & re.VERBOSE:
        raise _Unsupported(pattern)
    # A pattern that opens on a capture group, "(?P<name>X)Y", is "(?P<name>X')Y" with X
    # rewritten: the group still starts where the match does. Elsewhere, capture groups would
    # be copied and renumbered.
    items = _items(pattern)
    at = 0
    while at < len(items) and _is_zero_width(items[at]):
        at += 1
    if "|" not in items and at < len(items) and items[at].endswith(")"):
        opener = _CAPTURE.match(items[at])
        if opener:
            inner = "".join(items[:at]) + items[at][opener.end() : -1]
            return opener.group() + _rewrite(inner, flags) + ")" + "".join(items[at + 1 :])
    if _captures(pattern):
        raise _Unsupported(pattern)
    case = _Case(flags)
    opened: list[_Opening] = []
    for alt in _alternatives(pattern):
        opened.extend(_openings(alt, case))
    # Keys fold case when any first character is read ignoring it: an "a" read with case and an
    # "A" read without then share a group, whose look-behind takes both; the one read with case
    # checks its own character again.
    fold = any(o.ignore for o in opened)
    keying = _Case(re.IGNORECASE if fold else 0)
    head, tail = _common_ends([o.rest for o in opened])
    keyed: list[tuple[str | None, list[str]]] = []
    ascii_opening: set[str] = set()
    for o in opened:
        rest = o.rest[len(head) : len(o.rest) - len(tail)]
        own = _Case(re.IGNORECASE if o.ignore else 0)
        if o.char is None or keying.key(o.char) is None:
            # Unkeyed: a class escape, or a cased character past ASCII when case is folded.
            ascii_opening.update(chr(n) for n in range(128) if re.fullmatch(o.item, chr(n), own.flags))
            keyed.append((None, [_as_read(o.item, own, case), *rest]))
            continue
        ascii_opening.update({o.char, o.char.upper(), o.char.lower()} if o.ignore else {o.char})
        if fold and not o.ignore and _is_cased(o.char):
            rest = [_as_read(f"(?<={o.item})", own, case), *rest]
        keyed.append((keying.key(o.char), [o.item, *rest]))
    blocks = _blocks(keyed)
    literal_keys = [key for key, _ in blocks if key is not None]
    if not fold and len(literal_keys) == len(blocks):
        # Each alternative opens on its character: the engine skips to those characters, and
        # at one tries only the alternative that opens on it.
        parts = [
            re.escape(key) + "".join(head) + _trie([p[1:] for p in group], case)
            for key, (_, group) in zip(literal_keys, blocks, strict=True)
        ]
        return "(?:" + "|".join(parts) + ")" + "".join(tail)
    # With case ignored, an alternative opening on a letter does not count as opening on a
    # character (nor one opening on a class, ever): the opening set is spelled out,
    # case-sensitively, and consumed; the alternative whose character was there is then found
    # by looking behind. The set holds every character past ASCII (those that match an ASCII
    # letter when case is ignored, the Kelvin sign, the long s, dotted and dotless i, among
    # them; all are rare in English text), spelled as the ASCII characters it leaves out: a
    # range up to U+10FFFF costs the compiler a walk over the first 65,536 characters.
    opening = "^" + "".join(re.escape(chr(n)) for n in range(128) if chr(n) not in ascii_opening)
    # The assertions a block's alternatives all start with (a word boundary, mostly) are tested
    # before its look-behind, once for a run of blocks that share them: a position that fails
    # them is given up at once rather than after a look-behind per block.
    runs: list[tuple[list[str], list[str]]] = []
    for key, group in blocks:
        rests = [p[1:] for p in group]
        lead, _ = _common_ends(rests)
        rests = [r[len(lead) :] for r in rests]
        if key is None:  # an unkeyed first item: looked behind as it stands
            part = f"(?<={group[0][0]})" + "".join(rests[0])
        else:
            part = f"(?<={_as_read(re.escape(key), keying, case)})" + _trie(rests, case)
        if runs and runs[-1][0] == lead:
            runs[-1][1].append(part)
        else:
            runs.append((lead, [part]))
    body = "|".join("".join(lead) + "(?:" + "|".join(parts) + ")" for lead, parts in runs)
    return f"(?-i:[{opening}])" + "".join(head) + "(?:" + body + ")" + "".join(tail)


def compile_fast(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, rewritten to skip quickly to where a match can start.

    The rewritten pattern matches exactly what the plain one matches (same spans, from
    ``search``, ``match``, ``finditer`` and the rest, with or without a start position); only
    its ``.pattern`` differs. A pattern with capture groups, or one the rewrite cannot take
    apart, is compiled as it stands.

    Examples
    --------
    >>> rx = compile_fast(r"(?<![\\w])(?:seems|appears to|allegedly)(?![\\w])", re.I)
    >>> [m.group() for m in rx.finditer("It Seems he allegedly appears to agree; it seemsso.")]
    ['Seems', 'allegedly', 'appears to']
    """
    try:
        return re.compile(_rewrite(pattern, flags), flags)
    except (_Unsupported, re.error, RecursionError):
        return re.compile(pattern, flags)


# The look-behind that an alternative opening on "no word character before" carries once its
# first character is split off (`_shifted`).
_NOT_AFTER_WORD = rf"(?<!\w{_ANY})"
# The characters past ASCII that match an ASCII letter when case is ignored: dotted and
# dotless i, the long s, the Kelvin sign (tests/test_regex.py checks there are no others).
_PAST_ASCII_FOLDS = "\u0130\u0131\u017f\u212a"


def _folded(c: str) -> list[str]:
    """The characters that match ``c`` (an ASCII character or one without case) when case is
    ignored."""
    return [
        x
        for x in dict.fromkeys(c + c.lower() + c.upper() + _PAST_ASCII_FOLDS)
        if re.fullmatch(re.escape(c), x, re.I)
    ]


def _after_word_break(pattern: str, flags: int) -> str | None:
    """What `WordPattern` searches for: a pattern that matches after a character that is no
    word character wherever ``pattern`` matches there, or None when ``pattern`` may match right
    after a word character (then there is no such shortcut).

    Each alternative is tried only where a character it opens on stands: those characters are
    spelled out in sets read with case (the engine compares the character at once, where
    `compile_fast`'s look-behind per letter costs a step each), and what follows is read as in
    ``pattern``. A set's alternatives keep their order.
    """
    if flags & re.VERBOSE or _captures(pattern):
        return None
    case = _Case(flags)
    opened = [o for alt in _alternatives(pattern) for o in _openings(alt, case)]
    head, tail = _common_ends([o.rest for o in opened])
    if _NOT_AFTER_WORD not in head:
        return None
    if any(o.char is None or (o.ignore and case.key(o.char) is None) for o in opened):
        return _rewrite(pattern, flags)  # a class escape or a cased letter past ASCII opens one
    after: dict[str, list[list[str]]] = {}
    for o in opened:
        rest = o.rest[len(head) : len(o.rest) - len(tail)]
        assert o.char is not None  # (the openings without one returned above)
        for c in _folded(o.char) if o.ignore else o.char:
            after.setdefault(c, []).append(rest)
    # Characters followed by the same alternatives share a set.
    sets: dict[tuple[tuple[str, ...], ...], list[str]] = {}
    for c, rests in after.items():
        sets.setdefault(tuple(map(tuple, rests)), []).append(c)
    # The non-word character before is consumed by then: the look-behind for it is left out.
    lead = "".join(item for item in head if item != _NOT_AFTER_WORD)
    reread = "(?i:" if case.ignore else "(?:"
    parts = [
        f"[{''.join(map(re.escape, chars))}]{reread}{lead}{_trie([list(r) for r in rests], case)})"
        for rests, chars in sets.items()
    ]
    return "(?-i:" + "|".join(parts) + ")" + "".join(tail)


class WordPattern:
    """``compile_fast(pattern, flags)`` for a pattern whose matches start where no word
    character stands before (at the start of the text, or after a space, a quotation mark...),
    as a lexicon's alternation does (it opens on ``(?<![\\w])``).

    Its `search` and `finditer` find what the compiled pattern's do. They look for a match
    only after a character that is no word character, found by one scan that tries the pattern
    there: the engine then tries it at one position in five or six, where `compile_fast`'s
    opening set stops at most letters, and skipping from one to the next costs little. A
    pattern that may match right after a word character (or that `compile_fast` leaves as it
    stands) is searched as compiled.

    Examples
    --------
    >>> rx = WordPattern(r"(?<![\\w])(?:seems|allegedly)(?![\\w])", re.I)
    >>> rx.search("It Seems so.").group(), [m.group() for m in rx.finditer("seems, ALLEGEDLY; seemsso")]
    ('Seems', ['seems', 'ALLEGEDLY'])
    """

    __slots__ = ("_after", "rx")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.rx = compile_fast(pattern, flags)
        try:
            body = _after_word_break(pattern, flags)
            self._after = None if body is None else re.compile(rf"\W(?:{body})", flags)
        except (_Unsupported, re.error, RecursionError):
            self._after = None

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        """``self.rx.search(text, pos)``."""
        if self._after is None:
            return self.rx.search(text, pos)
        m = self.rx.match(text, pos)
        at = pos
        # Past ``pos``, a match starts one character after a non-word character where the
        # pattern matches; the match itself is the compiled pattern's.
        while m is None and (found := self._after.search(text, at)) is not None:
            at = found.start() + 1
            m = self.rx.match(text, at)
        return m

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """``self.rx.finditer(text)``."""
        if self._after is None:
            yield from self.rx.finditer(text)
            return
        # Every alternative opens on a character, so no match is empty: the next one is the
        # first from where the last ends.
        pos = 0
        while (m := self.search(text, pos)) is not None:
            yield m
            pos = m.end()
