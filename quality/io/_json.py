"""JSON in bounded pieces: the items of an array one at a time, and a value cut at the record
limit closed again, so that what was read of it can still be used.

A JSON array is split into its items by a scanner that follows only strings and brackets, so
that each item is parsed alone (with `json.loads`, whose messages the error rows quote) and
at most the record limit of it is ever held. A library that parses as it reads (``ijson``)
holds a whole string before it yields it, so it cannot bound one item, nor go on after a bad one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from quality.io._stream import Text

__all__ = ["ArrayItem", "array_items", "close_cut"]

_CHUNK = 1 << 16
_STRUCTURE = re.compile(r'[\[\]{}",]')
# A string's characters after its opening quote, up to its closing quote (or the text's end).
_STRING = re.compile(r'[^"\\]*(?:\\.[^"\\]*)*', re.S)


@dataclass(frozen=True, slots=True)
class ArrayItem:
    """One item of an array: its first ``limit`` characters, and its full size."""

    number: int
    text: str
    size: int


def array_items(text: Text, limit: int) -> Iterator[ArrayItem | str]:
    """The items of the JSON array that ``text`` holds, in order, each cut to ``limit``
    characters (its ``size`` says how long it was); then, when the array is not closed or
    something follows it, one message saying so.

    The text must start (after white space) with ``[``.
    """
    depth = 0
    in_string = escaped = False
    parts: list[str] = []
    kept = size = number = 0
    opened = False

    def keep(piece: str) -> None:
        nonlocal kept, size
        size += len(piece)
        if kept < limit:
            piece = piece[: limit - kept]
            parts.append(piece)
            kept += len(piece)

    def item() -> ArrayItem:
        nonlocal kept, size, number
        number += 1
        out = ArrayItem(number, "".join(parts), size)
        parts.clear()
        kept = size = 0
        return out

    while True:
        chunk = text.read(_CHUNK)
        if not chunk:
            break
        i, n = 0, len(chunk)
        if not opened:
            stripped = chunk.lstrip()
            if not stripped:
                continue
            if stripped[0] != "[":
                yield f"expected a JSON array, found {stripped[:20]!r}"
                return
            opened = True
            i = n - len(stripped) + 1
        start = i
        while i < n:
            if escaped:
                escaped = False
                i += 1
                continue
            if in_string:
                i = _STRING.match(chunk, i).end()  # type: ignore[union-attr]
                if i >= n:
                    break
                if chunk[i] == "\\":  # the chunk ends inside an escape
                    escaped = True
                else:
                    in_string = False
                i += 1
                continue
            match = _STRUCTURE.search(chunk, i)
            if match is None:
                break
            j = match.start()
            c = chunk[j]
            i = j + 1
            if c == '"':
                in_string = True
            elif c in "[{":
                depth += 1
            elif c in "]}" and depth > 0:
                depth -= 1
            elif c == "]":
                keep(chunk[start:j])
                last = item()
                if last.text.strip() or last.number > 1:
                    yield last
                yield from _after_array(chunk[i:], text)
                return
            elif c == "," and depth == 0:
                keep(chunk[start:j])
                yield item()
                start = i
        keep(chunk[start:])
    if not opened:
        yield "expected a JSON array, found nothing"
        return
    last = item()
    if last.text.strip():
        yield last
    yield "the file ends inside the array (no closing ']'): it may have been cut short"


def _after_array(rest: str, text: Text) -> Iterator[str]:
    while True:
        if rest.strip():
            yield f"text after the array's closing ']' ({rest.strip()[:20]!r}) is not read"
            return
        rest = text.read(_CHUNK)
        if not rest:
            return


def close_cut(prefix: str) -> Any | None:
    """The JSON value that ``prefix`` (a value cut short) begins, closed where it was cut, or
    None when it cannot be closed cleanly.

    A string cut short is ended where it was cut; a key, number or literal cut short is
    dropped with what follows the last comma before it.

    Examples
    --------
    >>> close_cut('{"id": "7", "body": "Winds reached 120 km/h on Mon')
    {'id': '7', 'body': 'Winds reached 120 km/h on Mon'}
    >>> close_cut('{"id": "7", "bo')
    {'id': '7'}
    """
    stack: list[list[Any]] = []  # [bracket, its position, the position of its last comma]
    in_string = False
    i, n = 0, len(prefix)
    while i < n:
        if in_string:
            i = _STRING.match(prefix, i).end()  # type: ignore[union-attr]
            if i >= n or prefix[i] == "\\":
                break
            in_string = False
            i += 1
            continue
        match = _STRUCTURE.search(prefix, i)
        if match is None:
            break
        j = match.start()
        c = prefix[j]
        i = j + 1
        if c == '"':
            in_string = True
        elif c in "[{":
            stack.append([c, j, -1])
        elif c in "]}":
            if stack:
                stack.pop()
        elif c == "," and stack:
            stack[-1][2] = j
    closers = "".join("]" if bracket == "[" else "}" for bracket, _, _ in reversed(stack))
    candidates = []
    if in_string:
        body = prefix[: i if i < n else n]
        # A cut escape: a lone backslash, or \u with fewer than four digits.
        body = re.sub(r"\\u[0-9a-fA-F]{0,3}$", "", body)
        if (len(body) - len(body.rstrip("\\"))) % 2:
            body = body[:-1]
        candidates.append(body + '"' + closers)
    elif prefix.rstrip().endswith(('"', "]", "}")):
        candidates.append(prefix.rstrip() + closers)
    if stack:
        _, opened_at, comma = stack[-1]
        candidates.append(prefix[: comma if comma >= 0 else opened_at + 1] + closers)
    for candidate in candidates:
        try:
            return json.loads(candidate)
        except (ValueError, RecursionError):
            continue
    return None
