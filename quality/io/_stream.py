"""One input read once, as a stream, in bounded pieces.

Files, pipes, FIFOs, process substitution (``<(cat a.jsonl)``) and standard input are all read
the same way: opened once, their first bytes read ahead to tell the file type (and served
again to the reader, so nothing is lost on a stream that cannot be read twice), then read in
pieces of at most the record limit, so that no record, line or field is ever held whole
whatever its size. Decompressed data stops at a second limit (a gzip bomb).
"""

from __future__ import annotations

import codecs
import io
from dataclasses import dataclass
from typing import IO

__all__ = [
    "MAX_INPUT_BYTES",
    "MAX_RECORD_BYTES",
    "InputLimitError",
    "Limits",
    "Source",
    "Text",
    "bom_encoding",
    "decode",
    "utf8_whole",
]

#: The largest record in ../shared/corpora (recovery.jsonl) is 94 KB: 1 MiB is 11 times that.
#: Scoring costs about 95 bytes of memory per byte of text (benchmarks/memory.py), so a record
#: cut here costs at most ~100 MB to score, and an HTML page cut here ~25 MB to extract. Past it
#: a record is cut (and flagged) or is an error row; never read whole.
MAX_RECORD_BYTES = 2**20

#: The largest corpus file decompresses to 7.7 MB and a day's crawl of 100,000 articles to
#: about 500 MB: 1 GiB of decompressed data from one file is twice that. A gzip bomb stops there.
MAX_INPUT_BYTES = 2**30

_CHUNK = 1 << 16

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    # UTF-32 LE's BOM starts with UTF-16 LE's, so UTF-32 is tried first.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def bom_encoding(head: bytes) -> str | None:
    """The encoding a byte-order mark at the start of ``head`` names, or None."""
    return next((encoding for bom, encoding in _BOMS if head.startswith(bom)), None)


def _count(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(
            f"quality: {name} must be a whole number of bytes, got {type(value).__name__} ({value!r})"
        )
    if value < 1:
        raise ValueError(f"quality: {name} must be at least 1 byte, got {value!r}")
    return value


@dataclass(frozen=True, slots=True)
class Limits:
    """How much of an input is read: ``record`` bytes of one record (a line, a row, an item of
    a JSON array, a .txt or .html file) and ``input`` bytes decompressed from one file."""

    record: int = MAX_RECORD_BYTES
    input: int = MAX_INPUT_BYTES

    def __post_init__(self) -> None:
        _count(self.record, "max_record_bytes")
        _count(self.input, "max_input_bytes")


class InputLimitError(Exception):
    """Decompressed data ran past the input limit; the rest of the file is not read."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"stopped after {limit} bytes of decompressed data, the limit (--max-input-bytes, "
            f"max_input_bytes={limit}); the rest of the file is not read"
        )
        self.limit = limit


class Source(io.RawIOBase):
    """The bytes of one input, from its start: what `head` read ahead is read again first,
    and reading more than ``limit`` bytes (decompressed data) raises `InputLimitError`."""

    def __init__(self, raw: IO[bytes], limit: int | None = None) -> None:
        super().__init__()
        self._raw = raw
        self._limit = limit
        self._ahead = bytearray()
        self.count = 0  # bytes taken from raw

    def readable(self) -> bool:
        return True

    def _pull(self, size: int) -> bytes:
        data = self._raw.read(size)
        if self._limit is not None:
            if data and self.count >= self._limit:
                raise InputLimitError(self._limit)
            data = data[: self._limit - self.count]  # up to the limit; the next read raises
        self.count += len(data)
        return data

    def head(self, size: int) -> bytes:
        """The first ``size`` bytes (fewer at the end), read ahead and kept for the reader."""
        while len(self._ahead) < size:
            data = self._pull(size - len(self._ahead))
            if not data:
                break
            self._ahead += data
        return bytes(self._ahead[:size])

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._ahead:
            n = min(len(buffer), len(self._ahead))
            buffer[:n] = self._ahead[:n]
            del self._ahead[:n]
            return n
        data = self._pull(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def utf8_whole(data: bytes) -> bytes:
    """``data`` without a UTF-8 character cut at its end (up to 3 bytes dropped)."""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte < 0x80:
            return data  # ASCII: nothing cut
        if byte >= 0xC0:  # the lead byte of the last character
            need = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return data if need <= back else data[:-back]
    return data


class Text:
    """The text of one input in bounded pieces: lines (a line longer than the size asked for
    comes in pieces) and chunks; text can be put back to be read again.

    Bytes without a byte-order mark are decoded line by line (UTF-8, else cp1252, as
    `quality.io.readers.decode`); chunks are decoded as UTF-8 with bad bytes escaped, for
    the caller to decode again piece by piece (`quality.io.readers._redecode`). A UTF-16 or
    UTF-32 input is decoded as a whole stream; its sizes are in characters.
    """

    def __init__(self, stream: Source | IO[str]) -> None:
        self._pending = ""
        #: Bytes of the input read through this object so far (for UTF-8 input; a progress
        #: bar's position, exact to the line, where the file's own position moves by 64 KiB).
        self.consumed = 0
        #: Whether the last line read was cut at the size asked for (more of it follows).
        self.cut = False
        self._was_cut = False
        self._decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
        self._text: IO[str] | None = None
        self._binary: IO[bytes] | None = None
        if not isinstance(stream, Source):
            self._text = stream  # already text (a replaced sys.stdin, a StringIO)
            return
        encoding = bom_encoding(stream.head(4))
        buffered = io.BufferedReader(stream, _CHUNK)
        if encoding is not None and encoding != "utf-8-sig":
            self._text = io.TextIOWrapper(buffered, encoding=encoding, errors="replace", newline="")
            return
        if encoding == "utf-8-sig":
            self.consumed += len(buffered.read(len(codecs.BOM_UTF8)))
        self._binary = buffered

    def unread(self, text: str) -> None:
        """Put ``text`` back: it is read again before anything else."""
        self._pending = text + self._pending

    def readline(self, size: int) -> str:
        """The next line with its line break, or its first ``size`` bytes when it is longer
        ("" at the end); `cut` says which."""
        line = self._readline(size)
        self.cut = self._was_cut
        return line

    def _readline(self, size: int) -> str:
        if self._pending:
            end = self._pending.find("\n", 0, size)
            end = min(len(self._pending), size) if end < 0 else end + 1
            line, self._pending = self._pending[:end], self._pending[end:]
            self._was_cut = len(line) >= size and not line.endswith("\n")
            if line.endswith("\n") or len(line) >= size or self._pending:
                return line
            return line + self._readline(size - len(line))  # the rest of the line is not back yet
        if self._text is not None:
            line = self._text.readline(size)
            self._was_cut = len(line) >= size and not line.endswith("\n")
            return line
        assert self._binary is not None
        data = self._binary.readline(size)
        self.consumed += len(data)
        self._was_cut = len(data) >= size and not data.endswith(b"\n")
        if self._was_cut:
            data = utf8_whole(data)
        return decode(data)

    def read(self, size: int) -> str:
        """Up to ``size`` characters of text ("" at the end)."""
        if self._pending:
            piece, self._pending = self._pending[:size], self._pending[size:]
            return piece
        if self._text is not None:
            return self._text.read(size)
        assert self._binary is not None
        while True:
            data = self._binary.read(size)
            self.consumed += len(data)
            text = self._decoder.decode(data, final=not data)
            if text or not data:
                return text

    def skip_line(self, quote: str | None = None, in_quote: bool = False) -> int:
        """Read on to the end of the line and drop it; return how many bytes were dropped.

        With ``quote``, to the end of a CSV row: a line break inside quotes (``in_quote`` at
        the start) does not end it.
        """
        skipped = 0
        while True:
            if self._pending:
                piece = self.readline(_CHUNK)
                count = piece.count(quote) if quote else 0
                ends = piece.endswith("\n")
            elif self._text is not None:
                piece = self._text.readline(_CHUNK)
                count = piece.count(quote) if quote else 0
                ends = piece.endswith("\n")
            else:
                assert self._binary is not None
                raw = self._binary.readline(_CHUNK)
                self.consumed += len(raw)
                piece = raw  # type: ignore[assignment]
                count = raw.count(quote.encode()) if quote else 0
                ends = raw.endswith(b"\n")
            if not piece:
                return skipped
            skipped += len(piece)
            in_quote ^= count % 2 == 1
            if ends and not in_quote:
                return skipped


def decode(data: bytes) -> str:
    """Text from bytes: a BOM (UTF-8, UTF-16) wins; else UTF-8; else cp1252, then Latin-1.

    Examples
    --------
    >>> decode("café".encode("utf-16"))
    'café'
    >>> decode("café".encode("cp1252"))
    'café'
    """
    encoding = bom_encoding(data)
    if encoding is not None:
        return data.decode(encoding, errors="replace")  # a cut or damaged wide text, not a crash
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")
