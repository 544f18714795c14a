"""Readers: JSONL, CSV, Parquet, .txt and .html files, folders, and standard input.

Every reader streams: one record at a time, never the whole input in memory. A record that
cannot be read becomes a `RecordError` naming the file, the record and the reason, in its
place in the stream; the next record is read as usual. Each input is opened once and read
once (pipes, FIFOs and standard input included), and at most ``max_record_bytes`` of one
record is held: a longer record is cut there and flagged (`Article.warning`), or is an error
row when what was read cannot be used. Decompressed data stops at ``max_input_bytes``.

Files of records (JSON, JSON Lines, CSV, TSV, Parquet, each also gzipped) are read in two
steps: `raw_records` reads each record as it stands (a JSON value, a row as a dict), and the
article readers make each one an `Article`. Whoever needs more of a record than an article
holds (`quality.training` its label) reads the same records with `raw_records`, so decoding,
parsing and their error messages are the same for both.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import gzip
import json
import logging
import os
import re
import stat
import sys
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal

from quality.article import (
    RECORD_KEYS,
    Article,
    RecordError,
    article_id,
    error_fields,
    kept_fields,
    record_fields,
)
from quality.io._json import array_items, close_cut
from quality.io._stream import (
    MAX_INPUT_BYTES,
    MAX_RECORD_BYTES,
    InputLimitError,
    Limits,
    Source,
    Text,
    bom_encoding,
    decode,
    utf8_whole,
)

__all__ = [
    "MAX_INPUT_BYTES",
    "MAX_RECORD_BYTES",
    "SUFFIXES",
    "RawRecord",
    "ReadProgress",
    "decode",
    "input_files",
    "iter_records",
    "raw_records",
    "read",
    "split_plain_text",
]

log = logging.getLogger(__name__)

SUFFIXES = (".jsonl", ".ndjson", ".json", ".csv", ".tsv", ".parquet", ".txt", ".text", ".html", ".htm")

# Lines that are site chrome, never a headline.
_CHROME = re.compile(
    r"^(?:skip to (?:main )?content|menu|home|search|log ?in|sign (?:in|up)|subscribe|"
    r"toggle navigation|close|share|advertisement|main navigation|navigation|"
    r"breaking news|latest news|cookies?.*|accept|\W*|\d+)$",
    re.I,
)


_ESCAPED = re.compile("[\udc80-\udcff]")


def _redecode(line: str) -> str:
    """Text read as UTF-8 with escaped bad bytes, decoded again as cp1252 if it has any."""
    if _ESCAPED.search(line) is None:
        return line
    return decode(line.encode("utf-8", "surrogateescape"))


def _gzipped(path: Path) -> bool:
    return path.suffix.lower() == ".gz"


def _optional(value: Any) -> str | None:
    """Text or None; an empty CSV cell means "not given", as a missing JSON key does."""
    return None if value is None or str(value) == "" else str(value)


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One record of a file as read, before it is made an `Article`.

    ``value`` is a JSON value (an object, when the file is well formed) or a CSV, TSV or Parquet
    row as a dict from column name to value (a CSV cell is text; an empty one is ``""``).
    ``where`` names the record in messages ("'crawl.jsonl' line 7"), ``fallback_id`` is its id
    when it gives none ("crawl.jsonl:7"), and ``path`` is its file's (None on standard input).
    ``warning`` says when the record was cut at the record limit (what is in ``value`` is what
    was read before the cut).
    """

    value: Any
    where: str
    fallback_id: str
    path: str | None
    warning: str | None = None


def _article(
    record: Any,
    where: str,
    fallback_id: str,
    path: str | None,
    warning: str | None = None,
    keep: tuple[str, ...] = (),
) -> Article | RecordError:
    # A record cut at the limit that is no article says so: the cut may be why.
    cut = f"; {warning}" if warning else ""
    if not isinstance(record, dict):
        return RecordError(
            fallback_id,
            f"quality: {where}: expected a JSON object, got {type(record).__name__}{cut}",
            "read",
            path,
        )
    fields, has_text = record_fields(record)
    title, body = fields["title"], fields["body"]
    ident = article_id(fields["id"]) or fallback_id
    if not has_text:
        keys = sorted(map(str, record))
        return RecordError(
            ident,
            f"quality: {where}: no title or body field (found {keys!r}); expected 'title' and 'body'{cut}",
            "read",
            path,
            **error_fields(record, keep),
        )
    if title is None and body is None:
        return RecordError(
            ident,
            f"quality: {where}: title and body are both empty (null){cut}",
            "read",
            path,
            **error_fields(record, keep),
        )
    for name, value in (("title", title), ("body", body)):
        if value is not None and not isinstance(value, str):
            return RecordError(
                ident,
                f"quality: {where}: {name} is {type(value).__name__} ({value!r:.40}), expected text{cut}",
                "read",
                path,
                **error_fields(record, keep),
            )
    url, published, source = (_optional(fields[k]) for k in ("url", "published", "source"))
    return Article(
        title=(title or "").strip(),
        body=body or "",
        id=ident,
        url=url,
        published=published,
        source=source,
        path=path,
        warning=warning,
        extra=kept_fields(record, keep) if keep else {},
    )


def _cut_warning(what: str, size: str, limit: int) -> str:
    return (
        f"truncated: {what} is {size}, over the record limit of {limit} bytes; only its first "
        f"{limit} bytes were read (raise --max-record-bytes / max_record_bytes to read more)"
    )


def _json_value(
    text: str, where: str, fallback_id: str, path: str | None, warning: str | None = None
) -> RawRecord | RecordError:
    """The JSON value ``text`` holds, or an error row quoting `json`'s complaint."""
    try:
        value = json.loads(text)
    except RecursionError:
        return RecordError(
            fallback_id, f"quality: cannot read {where}: JSON nested too deeply to read", "read", path
        )
    except json.JSONDecodeError as exc:
        return RecordError(
            fallback_id,
            f"quality: cannot read {where}: not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"
            if "\n" in text.strip()
            else f"quality: cannot read {where}: not valid JSON ({exc.msg} at column {exc.colno})",
            "read",
            path,
        )
    except ValueError as exc:  # valid JSON Python will not hold: a number of 5,000 digits
        return RecordError(fallback_id, f"quality: cannot read {where}: {exc}", "read", path)
    return RawRecord(value, where, fallback_id, path, warning)


def _cut_json(
    prefix: str, where: str, fallback_id: str, path: str | None, warning: str
) -> RawRecord | RecordError:
    """A JSON record cut at the limit: what was read of it, closed again, or an error row."""
    value = close_cut(prefix)
    if isinstance(value, dict):
        return RawRecord(value, where, fallback_id, path, warning)
    return RecordError(
        fallback_id,
        f"quality: cannot read {where}: {warning.removeprefix('truncated: ')}, and what was read "
        "cannot be closed into a JSON object; reported as an error row",
        "read",
        path,
    )


def _jsonl(text: Text, name: str, path: str | None, limit: int) -> Iterator[RawRecord | RecordError]:
    number = 0
    while True:
        line = text.readline(limit + 1)
        if not line:
            return
        number += 1
        where = f"{name!r} line {number}"
        if text.cut:
            rest = text.skip_line()
            warning = _cut_warning(f"line {number}", f"{len(line) + rest} bytes", limit)
            yield _cut_json(_redecode(line[:limit]), where, f"{name}:{number}", path, warning)
            continue
        if not line.strip():
            continue
        yield _json_value(_redecode(line), where, f"{name}:{number}", path)


def _repeated_field(names: list[str], keys: Iterable[str] = ()) -> str | None:
    """A column name that occurs twice (ignoring case) and names an `Article` field or one of
    ``keys``, or None."""
    known = {k for ks in RECORD_KEYS.values() for k in ks} | {k.strip().lower() for k in keys}
    seen: set[str] = set()
    for name in (n.strip().lower() for n in names):
        if name in seen and name in known:
            return name
        seen.add(name)
    return None


class _RowTooLong(Exception):
    """A CSV row ran past the record limit."""


def _csv(
    text: Text,
    name: str,
    path: str | None,
    delimiter: str,
    limit: int,
    keys: Iterable[str] = (),
    keep: tuple[str, ...] = (),
) -> Iterator[RawRecord | RecordError]:
    """Rows of a CSV/TSV file; a row that cannot be parsed is one error row, and so is a header
    that holds an `Article` field or one of ``keys`` twice. The error row of a row with more
    cells than the header carries the url and ``keep`` fields of the cells before its first
    title or body cell (those after it may be shifted).

    Quoted fields may span lines (article bodies do). A stray quote opens a field that runs on
    over the lines after it, to the next quote or the end of the file: the row where parsing
    fails becomes one error row, and reading starts again on the line after that row's first
    line, so the rows after it are still read. The lines of the failed row are read again from
    memory (at most the record limit of them), never from the file again, so recovery costs
    time in proportion to the file, however many rows fail. A row longer than the limit is
    cut there (its last field cut short, flagged) and the rest of it is skipped.
    """
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # the record limit is kept by lines() below
    consumed: list[str] = []  # the lines of the row being read
    size = 0

    def lines() -> Iterator[str]:
        nonlocal size
        while True:
            line = text.readline(limit + 1)
            if not line:
                return
            consumed.append(line)
            size += len(line)
            if size > limit or text.cut:  # a line cut at the limit is no line for csv
                raise _RowTooLong
            yield line

    def new_reader() -> Iterator[list[str]]:
        return csv.reader(lines(), delimiter=delimiter, strict=True)

    reader = new_reader()
    fieldnames: list[str] | None = None
    row_number = 1
    while True:
        consumed.clear()
        size = 0
        try:
            row = next(reader)
        except StopIteration:
            return
        except (csv.Error, _RowTooLong) as exc:
            reader = None  # type: ignore[assignment]  # frees the field it was building (4 bytes a character)
            if fieldnames is None:
                reason = (
                    f"header longer than the record limit of {limit} bytes"
                    if isinstance(exc, _RowTooLong)
                    else exc
                )
                yield RecordError(
                    f"{name}:1", f"quality: cannot read {name!r} header: {reason}", "read", path
                )
                return
            row_number += 1
            where = f"{name!r} row {row_number}"
            if isinstance(exc, _RowTooLong):
                yield _cut_row(
                    consumed, where, f"{name}:{row_number}", path, fieldnames, delimiter, limit, text
                )
            else:
                yield RecordError(
                    f"{name}:{row_number}", f"quality: cannot read {where}: {exc}", "read", path
                )
                text.unread("".join(consumed[1:]))  # resume on the line after the row's first
            reader = new_reader()
            continue
        if fieldnames is None:
            fieldnames = [_redecode(f) for f in row]
            repeated = _repeated_field(fieldnames, keys)
            if repeated:
                # A dict keeps the last of two same-named columns without a word.
                yield RecordError(
                    f"{name}:1",
                    f"quality: cannot read {name!r}: its header has more than one {repeated!r} "
                    f"column ({fieldnames!r}); keep one",
                    "read",
                    path,
                )
                return
            continue
        if not row:
            continue  # a blank line
        row_number += 1
        yield _csv_record(
            row, fieldnames, f"{name!r} row {row_number}", f"{name}:{row_number}", path, keep=keep
        )


def _csv_record(
    row: list[str],
    fieldnames: list[str],
    where: str,
    fallback_id: str,
    path: str | None,
    warning: str | None = None,
    keep: tuple[str, ...] = (),
) -> RawRecord | RecordError:
    cells = [_redecode(c) for c in row]
    if len(cells) > len(fieldnames):
        # The stray delimiter is most likely in a text cell (an unquoted comma in the body), so
        # the cells after the first title or body column may be shifted: what joins the error
        # row back is read from the columns before it only.
        text = set(RECORD_KEYS["title"] + RECORD_KEYS["body"])
        first = next((i for i, f in enumerate(fieldnames) if f.strip().lower() in text), len(fieldnames))
        lead = dict(zip(fieldnames[:first], cells, strict=False))
        return RecordError(
            # The id by any of its names ("article_id", "guid"...), as a readable row's would be.
            article_id(record_fields(lead)[0]["id"]) or fallback_id,
            f"quality: cannot read {where}: {len(cells) - len(fieldnames)} more fields than the header",
            "read",
            path,
            **error_fields(lead, keep),
        )
    record: dict[str, str | None] = dict(zip(fieldnames, cells, strict=False))
    record.update(dict.fromkeys(fieldnames[len(cells) :]))  # as csv.DictReader: missing cells are None
    return RawRecord(record, where, fallback_id, path, warning)


def _cut_row(
    consumed: list[str],
    where: str,
    fallback_id: str,
    path: str | None,
    fieldnames: list[str],
    delimiter: str,
    limit: int,
    text: Text,
) -> RawRecord | RecordError:
    """A CSV row longer than the limit: its first ``limit`` bytes, parsed as a row whose last
    field is cut short (flagged), or an error row; the rest of the row is skipped."""
    read = "".join(consumed)
    consumed.clear()
    quotes = read.count('"')
    skipped = 0
    if not (read.endswith("\n") and quotes % 2 == 0):
        skipped = text.skip_line('"', in_quote=quotes % 2 == 1)
    prefix = read[:limit]
    if prefix.count('"') % 2:
        prefix += '"'  # close the quoted field that was cut
    warning = _cut_warning(f"{where.split(' ', 1)[1]}", f"{len(read) + skipped} bytes", limit)
    try:
        rows = list(csv.reader([prefix], delimiter=delimiter, strict=True))
    except csv.Error:
        rows = []
    if len(rows) == 1 and len(rows[0]) <= len(fieldnames):
        return _csv_record(rows[0], fieldnames, where, fallback_id, path, warning)
    return RecordError(
        fallback_id,
        f"quality: cannot read {where}: {warning.removeprefix('truncated: ')}, and what was read does "
        "not parse as one row; reported as an error row",
        "read",
        path,
    )


def _parquet(path: Path, name: str, limit: int) -> Iterator[RawRecord | RecordError]:
    from quality._extras import require

    pq = require("pyarrow.parquet", "parquet", "reading Parquet")

    if _gzipped(path):
        yield RecordError(
            name,
            f"quality: cannot read {name!r}: Parquet is compressed inside; un-gzip the file",
            "read",
            str(path),
        )
        return
    if not path.is_file():
        yield RecordError(
            name,
            f"quality: cannot read {name!r}: Parquet is read from a file, not a stream (a pipe or "
            "FIFO); write it to a file first",
            "read",
            str(path),
        )
        return
    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several types for a bad file
        yield RecordError(
            name, f"quality: cannot read {name!r}: not a Parquet file ({exc})", "read", str(path)
        )
        return
    number = 0
    batches = parquet.iter_batches(batch_size=1024)
    while True:
        try:
            batch = next(batches)
        except StopIteration:
            return
        except Exception as exc:  # noqa: BLE001 - a damaged page: the rest of the file is lost
            yield RecordError(
                f"{name}:{number + 1}",
                f"quality: cannot read {name!r} from row {number + 1} on ({parquet.metadata.num_rows} rows "
                f"in all): {type(exc).__name__}: {exc}",
                "read",
                str(path),
            )
            return
        for record in batch.to_pylist():
            number += 1
            # A row group is read whole by pyarrow; a text longer than the limit is cut here,
            # so that scoring it stays bounded.
            long = [k for k, v in record.items() if isinstance(v, str) and len(v) > limit]
            warning = None
            if long:
                warning = _cut_warning(
                    f"row {number}'s {long[0]!r}", f"{len(record[long[0]])} characters", limit
                )
                record.update({k: record[k][:limit] for k in long})
            yield RawRecord(record, f"{name!r} row {number}", f"{name}:{number}", str(path), warning)


def split_plain_text(text: str) -> tuple[str, str]:
    """(headline, body) of a scraped plain-text article.

    The headline is the first meaningful line: site chrome ("Skip to content", "Menu") and
    blank lines before it are skipped. The body is the rest of the text, chrome included, so
    that the filler signal can see it. A text with nothing after that line (one paragraph, a
    snippet) has no headline: it is all body, since a headline alone says nothing of how the
    article is sourced or written.

    Examples
    --------
    >>> split_plain_text("Skip to content\\n\\nFlood closes schools\\nTwelve schools shut.")
    ('Flood closes schools', 'Skip to content\\n\\nTwelve schools shut.')
    >>> split_plain_text("Twelve schools shut on Monday, the education office said.")
    ('', 'Twelve schools shut on Monday, the education office said.')
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    offset = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped and not _CHROME.match(stripped) and len(stripped.split()) >= 2:
            before = text[:offset]
            after = text[offset + len(line) :]
            body = before + after.lstrip("\n") if before.strip() else after.lstrip("\n")
            if not body.strip():
                return "", text.strip("\n")
            return stripped, body
        offset += len(line) + 1
    return "", text


_WIDE_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)  # UTF-32 LE starts as UTF-16 LE
_COMPRESSED = (b"\x1f\x8b", b"PK\x03\x04", b"BZh", b"\xfd7zXZ")


def _file_id(name: str) -> str:
    """The id of a one-article file: its name without the suffix (and ``.gz``)."""
    for _ in range(2 if name.lower().endswith(".gz") else 1):
        stem, dot, suffix = name.rpartition(".")
        if dot and stem and "/" not in suffix:
            name = stem
    return name


def _whole_text(source: Source, path: str, limit: int) -> tuple[bytes, str | None, str | None]:
    """The bytes of a one-article file, at most ``limit`` of them, read in chunks; with a
    warning when it was longer (the rest is read on, not kept, to see all of it), or the
    reason it is no text: NUL bytes anywhere, outside UTF-16 and UTF-32."""
    head = source.head(4)
    wide = head.startswith(_WIDE_BOMS)
    kept = bytearray()
    size = 0
    binary = False
    while True:
        chunk = source.read(1 << 16)
        if not chunk:
            break
        size += len(chunk)
        if not wide and b"\x00" in chunk:
            binary = True
            break
        if len(kept) <= limit:
            kept += chunk[: limit + 1 - len(kept)]
    if binary:
        kind = "a compressed archive" if head.startswith(_COMPRESSED) else "a binary file"
        return b"", None, f"quality: {path!r} is {kind} (it holds NUL bytes), not text"
    if len(kept) <= limit:
        return bytes(kept), None, None
    data = bytes(kept[:limit])
    if wide:
        data = data[: len(data) - len(data) % 4]
    return data, _cut_warning("the file", f"{size} bytes", limit), None


def _txt(source: Source, path: str, name: str, limit: int) -> Iterator[Article | RecordError]:
    ident = _file_id(name)
    raw, warning, refused = _whole_text(source, path, limit)
    if refused:
        # An image or an archive in a crawl folder would otherwise be scored as an article of typos.
        yield RecordError(ident, refused, "read", path)
        return
    title, body = split_plain_text(_cut_decode(raw, warning))
    if not title and not body.strip():
        yield RecordError(ident, f"quality: {path!r} is empty", "read", path)
        return
    yield Article(title=title, body=body, id=ident, path=path, warning=warning)


def _cut_decode(raw: bytes, warning: str | None) -> str:
    """Text of a file's bytes; when they were cut, a character cut in two is dropped."""
    if warning and bom_encoding(raw) is None:
        try:
            return utf8_whole(raw).decode("utf-8")
        except UnicodeDecodeError:
            pass
    return decode(raw)


def _html(source: Source, path: str, name: str, limit: int) -> Iterator[Article | RecordError]:
    from quality.io.html import extract

    ident = _file_id(name)
    raw, warning, refused = _whole_text(source, path, limit)
    if refused:
        yield RecordError(ident, refused, "read", path)
        return
    out = extract(_cut_decode(raw, warning), ident=ident, path=path)
    if warning and isinstance(out, Article):
        out = dataclasses.replace(out, warning=warning)
    elif warning and isinstance(out, RecordError):
        out = dataclasses.replace(out, error=f"{out.error}; {warning}")
    yield out


def _first_char(head: bytes) -> str:
    """The first character of ``head`` that is not white space ("" when there is none)."""
    # The utf-8-sig, utf-16 and utf-32 codecs read the byte-order mark and drop it.
    return head.decode(bom_encoding(head) or "utf-8", "ignore").lstrip()[:1]


_BY_SUFFIX = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".parquet": "parquet",
    ".html": "html",
    ".htm": "html",
    ".txt": "txt",
    ".text": "txt",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
}


def _suffix_kind(path: Path) -> str | None:
    """How to read a file by its suffix (after ``.gz``), or None to tell by its first bytes."""
    name = path.name.lower()
    suffix = Path(name[:-3]).suffix if name.endswith(".gz") else path.suffix.lower()
    return _BY_SUFFIX.get(suffix)


def _sniffed_kind(head: bytes) -> str:
    # A file named otherwise (crawl.jsonl.1, page.xml, notes): what it starts with.
    first = _first_char(head)
    return "json" if first in ("{", "[") else "html" if first == "<" else "txt"


def _json(text: Text, name: str, path: str | None, limit: int) -> Iterator[RawRecord | RecordError]:
    """JSON: one record a line, or one document (an array of records, or one record).

    A file that starts with ``[`` is an array, read item by item. One that starts with ``{``
    is JSON Lines when its first line is a whole value, else a pretty-printed document (cut at
    the record limit when longer, unless one of its next lines is a whole value); and when it
    does not parse as one either, JSON Lines again, so that each bad line is its own error row.
    """
    start = text.read(1 << 12)
    text.unread(start)
    first = start.lstrip()[:1]
    if first == "[":
        yield from _json_array(text, name, path, limit)
        return
    if first == "{":
        line = text.readline(limit + 1)
        text.unread(line)
        if not _whole_value(line):
            document = text.read(limit + 1)
            while len(document) <= limit:
                more = text.read(limit + 1 - len(document))
                if not more:
                    break
                document += more
            text.unread(document)
            if len(document) <= limit:
                value = _json_value(_redecode(document), f"{name!r}", name, path)
                if isinstance(value, RawRecord):
                    text.read(len(document))
                    yield value
                    return
            elif not any(_whole_value(line) for line in document[len(line) :].splitlines()[:20]):
                # One pretty-printed record longer than the limit (JSON Lines would have a whole
                # record on one of its next lines): what was read of it, closed; the rest dropped.
                size = len(text.read(limit + 1))
                while more := text.read(1 << 16):
                    size += len(more)
                warning = _cut_warning("the file", f"{size} bytes", limit)
                yield _cut_json(_redecode(document[:limit].lstrip()), f"{name!r}", name, path, warning)
                return
    yield from _jsonl(text, name, path, limit)


def _whole_value(line: str) -> bool:
    try:
        json.loads(line)
    except (ValueError, RecursionError):
        return False
    return True


def _json_array(text: Text, name: str, path: str | None, limit: int) -> Iterator[RawRecord | RecordError]:
    number = 0
    for item in array_items(text, limit):
        if isinstance(item, str):
            yield RecordError(
                f"{name}:{number + 1}",
                f"quality: cannot read {name!r} after item {number}: {item}",
                "read",
                path,
            )
            return
        number = item.number
        where, fallback = f"{name!r} item {number}", f"{name}:{number}"
        if item.size > limit:
            warning = _cut_warning(f"item {number}", f"{item.size} bytes", limit)
            yield _cut_json(_redecode(item.text.lstrip()), where, fallback, path, warning)
        elif not item.text.strip():
            yield RecordError(
                fallback,
                f"quality: cannot read {where}: it is empty (two commas in a row, or one before ']')",
                "read",
                path,
            )
        else:
            yield _json_value(_redecode(item.text), where, fallback, path)


def _guarded(items: Iterator[Any], path: str, name: str) -> Iterator[Any]:
    """The items read from one file; a file that breaks off (a truncated or corrupt .gz, a read
    error, decompressed data past the input limit) ends with one error row saying how far it
    was read."""
    count = 0
    try:
        for item in items:
            count += 1
            yield item
    except InputLimitError as exc:
        yield RecordError(
            f"{name}:{count + 1}",
            f"quality: cannot read {name!r} after {count} record(s): {exc}",
            "read",
            path,
        )
    except (OSError, EOFError, zlib.error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        yield RecordError(
            f"{name}:{count + 1}",
            f"quality: cannot read {name!r} after {count} record(s): {type(exc).__name__}: {reason}",
            "read",
            path,
        )


def _refusal(path: Path, name: str, in_folder: bool = False) -> RecordError | None:
    """Why ``path`` is not read (an error row), or None: a device never ends (/dev/zero,
    /dev/urandom, a terminal), and in a folder only regular files are read (a FIFO there
    would wait for a writer forever)."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return RecordError(name, f"quality: cannot read {name!r}: {exc.strerror or exc}", "read", str(path))
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        kind = "a character device" if stat.S_ISCHR(mode) else "a block device"
        return RecordError(
            name,
            f"quality: cannot read {str(path)!r}: it is {kind}, which may never end; refused (pipe "
            "its output through a file or '-' if it is meant to be read)",
            "read",
            str(path),
        )
    if in_folder and not stat.S_ISREG(mode):
        return RecordError(
            name,
            f"quality: cannot read {name!r} in a folder: it is not a regular file (a FIFO or a "
            "socket); name it on the command line to read it",
            "read",
            str(path),
        )
    return None


class ReadProgress:
    """How far `iter_records` has read its inputs: `position` is the bytes read so far of the
    files as stored (compressed, for a ``.gz``), to compare with the sum of their sizes
    (`input_files`). Standard input does not count."""

    def __init__(self) -> None:
        self.done = 0  # bytes of the files finished
        self._current: IO[bytes] | None = None
        self._text: Text | None = None  # the text being read of a file not compressed

    def position(self) -> int:
        if self._text is not None:
            return self.done + self._text.consumed  # to the line read
        fh = self._current
        try:
            return self.done + (fh.tell() if fh is not None else 0)  # by blocks read
        except (OSError, ValueError):  # closed meanwhile
            return self.done

    def _reading(self, text: Text, path: Path) -> Text:
        if not _gzipped(path):  # a .gz's size is compressed, its text is not
            self._text = text
        return text

    def _finished(self, path: Path) -> None:
        self._current = None
        self._text = None
        try:
            self.done += os.stat(path).st_size
        except OSError:
            pass


@contextmanager
def _opened(path: Path, limits: Limits, progress: ReadProgress | None = None) -> Iterator[Source]:
    """The bytes of ``path``, once, decompressed (up to the input limit) when it ends in ``.gz``."""
    with open(path, "rb") as fh:
        if progress is not None:
            progress._current = fh
        if _gzipped(path):
            with gzip.GzipFile(fileobj=fh, mode="rb") as unzipped:
                yield Source(unzipped, limits.input)  # type: ignore[arg-type]
        else:
            yield Source(fh)


def _file(
    path: Path,
    name: str | None,
    limits: Limits,
    in_folder: bool = False,
    keep: tuple[str, ...] = (),
    progress: ReadProgress | None = None,
) -> Iterator[Article | RecordError]:
    """The articles of one file, and its read errors."""
    name = name or path.name
    return _guarded(_records(path, name, limits, in_folder, keep, progress), str(path), name)


def _records(
    path: Path,
    name: str,
    limits: Limits,
    in_folder: bool,
    keep: tuple[str, ...],
    progress: ReadProgress | None = None,
) -> Iterator[Article | RecordError]:
    try:
        yield from _file_records(path, name, limits, in_folder, keep, progress)
    finally:
        if progress is not None:
            progress._finished(path)


def _file_records(
    path: Path,
    name: str,
    limits: Limits,
    in_folder: bool,
    keep: tuple[str, ...],
    progress: ReadProgress | None,
) -> Iterator[Article | RecordError]:
    refused = _refusal(path, name, in_folder)
    if refused is not None:
        yield refused
        return
    kind = _suffix_kind(path)
    if kind == "parquet":
        yield from _articles(_parquet(path, name, limits.record), keep)
        return
    try:
        opened = _opened(path, limits, progress)
        source = opened.__enter__()
    except OSError as exc:  # permission denied, gone since the folder was listed, a link loop
        yield RecordError(name, f"quality: cannot read {name!r}: {exc.strerror or exc}", "read", str(path))
        return
    try:
        kind = kind or _sniffed_kind(source.head(4096))
        if kind == "html":
            yield from _html(source, str(path), name, limits.record)
        elif kind == "txt":
            yield from _txt(source, str(path), name, limits.record)
        else:
            text = Text(source) if progress is None else progress._reading(Text(source), path)
            yield from _articles(_raw_of(text, str(path), name, kind, limits.record, keep=keep), keep)
    finally:
        opened.__exit__(None, None, None)


def _articles(
    items: Iterable[RawRecord | RecordError], keep: tuple[str, ...] = ()
) -> Iterator[Article | RecordError]:
    for item in items:
        if isinstance(item, RecordError):
            yield item
        else:
            yield _article(item.value, item.where, item.fallback_id, item.path, item.warning, keep)


def _raw_of(
    text: Text,
    path: str | None,
    name: str,
    kind: str,
    limit: int,
    keys: Iterable[str] = (),
    keep: tuple[str, ...] = (),
) -> Iterator[RawRecord | RecordError]:
    if kind == "json":
        yield from _json(text, name, path, limit)
    elif kind == "jsonl":
        yield from _jsonl(text, name, path, limit)
    elif kind in ("csv", "tsv"):
        yield from _csv(text, name, path, "\t" if kind == "tsv" else ",", limit, keys, keep)
    else:
        yield RecordError(
            name,
            f"quality: cannot read {name!r} as records: it reads as {kind}, not JSON Lines, JSON, "
            "CSV, TSV or Parquet; name it by its type (.jsonl, .csv...)",
            "read",
            path,
        )


def _raw(path: Path, name: str, limits: Limits, keys: Iterable[str]) -> Iterator[RawRecord | RecordError]:
    refused = _refusal(path, name)
    if refused is not None:
        yield refused
        return
    kind = _suffix_kind(path)
    if kind == "parquet":
        yield from _parquet(path, name, limits.record)
        return
    with _opened(path, limits) as source:
        kind = kind or _sniffed_kind(source.head(4096))
        yield from _raw_of(Text(source), str(path), name, kind, limits.record, keys)


def _limits(max_record_bytes: int, max_input_bytes: int) -> Limits:
    return Limits(record=max_record_bytes, input=max_input_bytes)


def raw_records(
    path: str | os.PathLike[str],
    keys: Iterable[str] = (),
    *,
    max_record_bytes: int = MAX_RECORD_BYTES,
    max_input_bytes: int = MAX_INPUT_BYTES,
) -> Iterator[RawRecord | RecordError]:
    """The records of one file of records, as read, before they are made articles.

    The file is read as `iter_records` reads it (by its suffix under ``.gz``, else by its first
    character; decoded, and its rows numbered, the same way), and a record or a stretch of the
    file that cannot be read is a `RecordError` in its place, with the same message.

    Parameters
    ----------
    path : path
        A JSON Lines, JSON, CSV, TSV or Parquet file, possibly gzipped (``.jsonl.gz``).
    keys : iterable of str
        Names of fields the caller reads besides the `Article` ones: a CSV or TSV header that
        holds one of them twice (ignoring case) is an error, as only the last would be kept.
    max_record_bytes, max_input_bytes : int
        The limits of `iter_records`.

    Returns
    -------
    iterator of RawRecord or RecordError

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "labels.csv"
    >>> _ = path.write_text("title,body,label\\nFlood closes schools,Twelve shut.,1\\n")
    >>> [(r.where, r.value["label"]) for r in raw_records(path, keys=["label"])]
    [("'labels.csv' row 2", '1')]
    """
    if path is None or not isinstance(path, (str, os.PathLike)):
        raise TypeError(
            f"quality: raw_records expects a path (str or os.PathLike), got {type(path).__name__}"
        )
    path = Path(path)
    limits = _limits(max_record_bytes, max_input_bytes)
    return _guarded(_raw(path, path.name, limits, keys), str(path), path.name)


def _check_paths(paths: Any, caller: str) -> list[str]:
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    if paths is None or isinstance(paths, bytes) or not isinstance(paths, Iterable):
        raise TypeError(
            f"quality: {caller} expects a path or a list of paths (str or os.PathLike), got "
            f"{type(paths).__name__} ({paths!r:.40})"
        )
    names = []
    for p in paths:
        if not isinstance(p, (str, os.PathLike)):
            raise TypeError(
                f"quality: {caller} expects paths as str or os.PathLike, got {type(p).__name__} ({p!r:.40}) "
                "among them"
            )
        names.append(os.fspath(p))
    return names


def iter_records(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    stdin: IO[str] | None = None,
    exclude: Iterable[str | os.PathLike[str]] = (),
    *,
    max_record_bytes: int = MAX_RECORD_BYTES,
    max_input_bytes: int = MAX_INPUT_BYTES,
    keep: Iterable[str] = (),
    progress: ReadProgress | None = None,
) -> Iterator[Article | RecordError]:
    """Articles and read errors from files, folders (recursively) and ``-`` (JSONL on stdin).

    Folders yield their files with a known suffix (`SUFFIXES`, or one of them + ``.gz``), in
    sorted order, named by their path within the folder ("2026/11/crawl.jsonl:7"); hidden files
    and folders are skipped, and other files are skipped with a warning that names them. A
    path in a folder that cannot be read (a link loop, a folder that cannot be listed, a file
    gone or not readable) is a warning and an error row, and the rest is read. A file named on
    its own is read whatever its name: by its suffix, else by its first character (``{`` JSON
    Lines, ``[`` a JSON array, ``<`` HTML, else plain text); a pipe or FIFO is read once, as
    it comes, and a device (``/dev/zero``) is refused with an error row. Paths in ``exclude``
    (the output being written) are never read. A path that does not exist raises
    `FileNotFoundError` at the call, before anything is read (so a command fails before it
    opens its output).

    At most ``max_record_bytes`` of one record (a line, a CSV row, an item of a JSON array, a
    .txt or .html file) is read: a longer one is cut there and flagged in its `Article.warning`,
    or is an error row when what was read is no record. At most ``max_input_bytes`` are
    decompressed from one ``.gz`` file; past that, one error row says how far it was read.

    ``keep`` names fields of JSON, CSV, TSV and Parquet records to carry along in
    `Article.extra` (matched as named, else ignoring case; None when a record lacks one), so
    that scored rows can join back to their input. ``progress`` (a `ReadProgress`) is kept
    up to date with the bytes read.
    """
    names = _check_paths(paths, "iter_records")
    limits = _limits(max_record_bytes, max_input_bytes)
    kept = _check_keep(keep)
    for p in names:
        if p != "-" and not os.path.lexists(p):
            raise FileNotFoundError(f"quality: no such file or folder: {p!r}")
    return _iter_paths(names, stdin, {os.path.realpath(p) for p in exclude}, limits, kept, progress)


def _check_keep(keep: Iterable[str]) -> tuple[str, ...]:
    if isinstance(keep, str):
        raise TypeError(
            f"quality: keep expects a list of field names, got one string {keep!r}; use [{keep!r}]"
        )
    names = tuple(keep)
    for name in names:
        if not isinstance(name, str) or not name:
            raise TypeError(f"quality: keep expects field names (non-empty str), got {name!r} among them")
    return tuple(dict.fromkeys(names))


def _stdin_records(
    stdin: IO[str] | None, limits: Limits, keep: tuple[str, ...] = ()
) -> Iterator[Article | RecordError]:
    """Standard input as JSON Lines, decoded like files (UTF-8, else cp1252), BOM dropped."""
    stream = stdin if stdin is not None else sys.stdin
    raw = getattr(stream, "buffer", None)
    text = Text(Source(raw)) if raw is not None else Text(stream)  # a text stream: tests, notebooks
    yield from _guarded(_articles(_jsonl(text, "<stdin>", None, limits.record), keep), "<stdin>", "<stdin>")


def _readable(name: str) -> bool:
    name = name.lower()
    suffix = os.path.splitext(name[:-3] if name.endswith(".gz") else name)[1]
    return suffix in SUFFIXES


def _unreadable(relative: str, path: str, reason: str, what: str = "file") -> RecordError:
    log.warning("cannot read %s %r: %s; reported as an error row", what, path, reason)
    return RecordError(relative, f"quality: cannot read {what} {relative!r}: {reason}", "read", path)


def _walk(
    folder: str, relative: str, skipped: list[str], exclude: set[str]
) -> Iterator[tuple[str, str] | RecordError]:
    """(path, path within the top folder) of the files under ``folder``, in sorted order; a
    folder that cannot be listed, or an entry that cannot be looked at, is an error row."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        yield _unreadable(relative or ".", folder, f"{exc.strerror or exc}; its files are not read", "folder")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        inner = f"{relative}/{entry.name}" if relative else entry.name
        try:
            is_link = entry.is_symlink()
            is_dir = entry.is_dir()  # through a link; known from the listing for a real folder
            gone = is_link and not is_dir and not os.path.exists(entry.path)
        except OSError as exc:  # a link loop
            if _readable(entry.name):
                yield _unreadable(inner, entry.path, str(exc.strerror or exc))
            else:
                skipped.append(f"{inner} (not an article file type)")
            continue
        if gone:
            if _readable(entry.name):
                yield _unreadable(inner, entry.path, "a broken link (what it points to is gone)")
            else:
                skipped.append(f"{inner} (a broken link)")
            continue
        if is_dir:
            if is_link:
                skipped.append(f"{inner} (a linked folder, not followed)")
            else:
                yield from _walk(entry.path, inner, skipped, exclude)
        elif os.path.realpath(entry.path) in exclude:
            continue
        elif not _readable(entry.name):
            skipped.append(f"{inner} (not an article file type)")
        else:
            yield entry.path, inner


def _folder(
    folder: Path,
    exclude: set[str],
    limits: Limits,
    keep: tuple[str, ...] = (),
    progress: ReadProgress | None = None,
) -> Iterator[Article | RecordError]:
    skipped: list[str] = []
    for found in _walk(str(folder), "", skipped, exclude):
        if isinstance(found, RecordError):
            yield found
            continue
        path, relative = found
        yield from _file(Path(path), relative, limits, in_folder=True, keep=keep, progress=progress)
    if skipped:
        shown = ", ".join(skipped[:5]) + (f" and {len(skipped) - 5} more" if len(skipped) > 5 else "")
        log.warning(
            "%s: skipped %d file(s) (articles are read from %s files, or the same + .gz): %s",
            folder,
            len(skipped),
            "/".join(SUFFIXES),
            shown,
        )


def _iter_paths(
    paths: list[str],
    stdin: IO[str] | None,
    exclude: set[str],
    limits: Limits,
    keep: tuple[str, ...] = (),
    progress: ReadProgress | None = None,
) -> Iterator[Article | RecordError]:
    for p in paths:
        if p == "-":
            yield from _stdin_records(stdin, limits, keep)
            continue
        path = Path(p)
        if path.is_dir():
            yield from _folder(path, exclude, limits, keep, progress)
        elif os.path.realpath(p) not in exclude:
            yield from _file(path, None, limits, keep=keep, progress=progress)


def input_files(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    exclude: Iterable[str | os.PathLike[str]] = (),
) -> list[Path] | None:
    """The files `iter_records` reads for ``paths``, in its order (folders walked as it walks
    them), or None when one input is standard input or not a regular file or folder (a pipe, a
    FIFO): its size is not known before it is read. Used for the total of a progress bar.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "b.txt").write_text("x"); _ = (folder / "a.jsonl").write_text("{}")
    >>> [p.name for p in input_files(folder)], input_files("-")
    (['a.jsonl', 'b.txt'], None)
    """
    excluded = {os.path.realpath(p) for p in exclude}
    files: list[Path] = []
    for p in _check_paths(paths, "input_files"):
        if p == "-":
            return None
        if os.path.isdir(p):
            for found in _walk(p, "", [], excluded):
                if not isinstance(found, RecordError):
                    files.append(Path(found[0]))
        elif os.path.realpath(p) in excluded:
            continue
        elif os.path.isfile(p):
            files.append(Path(p))
        else:
            return None
    return files


def read(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    errors: Literal["raise", "yield"] = "raise",
    *,
    max_record_bytes: int = MAX_RECORD_BYTES,
    max_input_bytes: int = MAX_INPUT_BYTES,
    keep: Iterable[str] = (),
) -> Iterator[Article | RecordError]:
    """Read articles from files and folders (JSONL, CSV, Parquet, .txt, .html) or ``-``.

    Parameters
    ----------
    paths : path or list of paths
    errors : "raise" or "yield"
        On a record that cannot be read: raise `ValueError` naming it (default), or yield a
        `RecordError` in its place and go on.
    max_record_bytes : int
        At most this many bytes of one record are read (default `MAX_RECORD_BYTES`, 1 MiB); a
        longer record is cut there, with `Article.warning` saying so, or is an error.
    max_input_bytes : int
        At most this many bytes are decompressed from one ``.gz`` file (default
        `MAX_INPUT_BYTES`, 1 GiB); past that, an error says how far it was read.
    keep : list of str
        Fields of JSON, CSV, TSV and Parquet records to carry in `Article.extra` (see
        `iter_records`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("Skip to content\\nFlood closes schools\\nTwelve shut.")
    >>> [a.title for a in read(folder)]
    ['Flood closes schools']
    """
    _check_paths(paths, "read")
    if errors not in ("raise", "yield"):
        raise ValueError(f"read: errors must be 'raise' or 'yield', got {errors!r}")
    records = iter_records(
        paths, max_record_bytes=max_record_bytes, max_input_bytes=max_input_bytes, keep=keep
    )
    return records if errors == "yield" else _raising(records)


def _raising(records: Iterator[Article | RecordError]) -> Iterator[Article]:
    for item in records:
        if isinstance(item, RecordError):
            raise ValueError(item.error)
        yield item
