"""Readers: JSONL, CSV, Parquet, .txt and .html files, folders, and standard input.

Every reader streams: one record at a time, never the whole input in memory. A record that
cannot be read becomes a `RecordError` naming the file, the record and the reason, in its
place in the stream; the next record is read as usual.

Files of records (JSON, JSON Lines, CSV, TSV, Parquet, each also gzipped) are read in two
steps: `raw_records` reads each record as it stands (a JSON value, a row as a dict), and the
article readers make each one an `Article`. Whoever needs more of a record than an article
holds (`quality.training` its label) reads the same records with `raw_records`, so decoding,
parsing and their error messages are the same for both.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import itertools
import json
import logging
import os
import re
import sys
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal

from quality.article import RECORD_KEYS, Article, RecordError, article_id, record_fields

__all__ = ["SUFFIXES", "RawRecord", "decode", "iter_records", "raw_records", "read", "split_plain_text"]

log = logging.getLogger(__name__)

SUFFIXES = (".jsonl", ".ndjson", ".json", ".csv", ".tsv", ".parquet", ".txt", ".text", ".html", ".htm")

# Lines that are site chrome, never a headline.
_CHROME = re.compile(
    r"^(?:skip to (?:main )?content|menu|home|search|log ?in|sign (?:in|up)|subscribe|"
    r"toggle navigation|close|share|advertisement|main navigation|navigation|"
    r"breaking news|latest news|cookies?.*|accept|\W*|\d+)$",
    re.I,
)


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    # UTF-32 LE's BOM starts with UTF-16 LE's, so UTF-32 is tried first.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ESCAPED = re.compile("[\udc80-\udcff]")


def _bom_encoding(head: bytes) -> str | None:
    return next((encoding for bom, encoding in _BOMS if head.startswith(bom)), None)


def decode(data: bytes) -> str:
    """Text from bytes: a BOM (UTF-8, UTF-16) wins; else UTF-8; else cp1252, then Latin-1.

    Examples
    --------
    >>> decode("café".encode("utf-16"))
    'café'
    >>> decode("café".encode("cp1252"))
    'café'
    """
    encoding = _bom_encoding(data)
    if encoding is not None:
        return data.decode(encoding)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _redecode(line: str) -> str:
    """A line read as UTF-8 with escaped bad bytes, decoded again as cp1252 if it has any."""
    if _ESCAPED.search(line) is None:
        return line
    return decode(line.encode("utf-8", "surrogateescape"))


def _gzipped(path: Path) -> bool:
    return path.suffix.lower() == ".gz"


def _open_binary(path: Path) -> IO[bytes]:
    """The file's bytes, decompressed when it ends in ``.gz``."""
    return gzip.open(path, "rb") if _gzipped(path) else path.open("rb")  # type: ignore[return-value]


def _read_bytes(path: Path) -> bytes:
    with _open_binary(path) as fh:
        return fh.read()


@contextmanager
def _open_text(path: Path) -> Iterator[Iterable[str]]:
    """The lines of a possibly large file, streamed, line endings kept (as csv wants them).

    A BOM fixes the encoding. Without one, each line is UTF-8 unless it does not decode,
    then cp1252: a sniffed window would miss a bad byte after it, or mistake a short cp1252
    file for UTF-8, and then fail in the middle of the stream.
    """
    with _open_binary(path) as fh:
        encoding = _bom_encoding(fh.read(4))
    if encoding is not None and encoding != "utf-8-sig":
        with (
            _open_binary(path) as raw,
            io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="") as fh,
        ):
            yield fh
        return
    with (
        _open_binary(path) as raw,
        io.TextIOWrapper(raw, encoding=encoding or "utf-8", errors="surrogateescape", newline="") as fh,
    ):
        yield (_redecode(line) for line in fh)


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
    """

    value: Any
    where: str
    fallback_id: str
    path: str | None


def _article(record: Any, where: str, fallback_id: str, path: str | None) -> Article | RecordError:
    if not isinstance(record, dict):
        return RecordError(
            fallback_id,
            f"quality: {where}: expected a JSON object, got {type(record).__name__}",
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
            f"quality: {where}: no title or body field (found {keys!r}); expected 'title' and 'body'",
            "read",
            path,
        )
    if title is None and body is None:
        return RecordError(ident, f"quality: {where}: title and body are both empty (null)", "read", path)
    for name, value in (("title", title), ("body", body)):
        if value is not None and not isinstance(value, str):
            return RecordError(
                ident,
                f"quality: {where}: {name} is {type(value).__name__} ({value!r:.40}), expected text",
                "read",
                path,
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
    )


def _jsonl(stream: Iterable[str], name: str, path: str | None) -> Iterator[RawRecord | RecordError]:
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        where = f"cannot read {name!r} line {number}"
        try:
            record = json.loads(line)
        except RecursionError:
            yield RecordError(
                f"{name}:{number}", f"quality: {where}: JSON nested too deeply to read", "read", path
            )
            continue
        except json.JSONDecodeError as exc:
            yield RecordError(
                f"{name}:{number}",
                f"quality: {where}: not valid JSON ({exc.msg} at column {exc.colno})",
                "read",
                path,
            )
            continue
        except ValueError as exc:  # valid JSON Python will not hold: a number of 5,000 digits
            yield RecordError(f"{name}:{number}", f"quality: {where}: {exc}", "read", path)
            continue
        yield RawRecord(record, f"{name!r} line {number}", f"{name}:{number}", path)


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


def _csv(
    path: Path, name: str, delimiter: str, keys: Iterable[str] = ()
) -> Iterator[RawRecord | RecordError]:
    """Rows of a CSV/TSV file; a row that cannot be parsed is one error row, and so is a header
    that holds an `Article` field or one of ``keys`` twice.

    Quoted fields may span lines (article bodies do). A stray quote opens a field that runs on
    over the lines after it, to the next quote or the end of the file: the row where parsing
    fails becomes one error row, and reading starts again on the line after that row's first
    line, so the rows after it are still read.
    """
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    fieldnames: list[str] | None = None
    offset = 0  # physical lines before the current reader's first one
    row_number = 1
    while True:
        with _open_text(path) as fh:
            if fieldnames is None:
                reader = csv.DictReader(fh, delimiter=delimiter, strict=True)
                try:
                    fieldnames = list(reader.fieldnames or [])  # reads the header line
                except csv.Error as exc:
                    yield RecordError(
                        f"{name}:1",
                        f"quality: cannot read {name!r} header: {exc}",
                        "read",
                        str(path),
                    )
                    return
                repeated = _repeated_field(fieldnames, keys)
                if repeated:
                    # DictReader keeps the last of two same-named columns without a word.
                    yield RecordError(
                        f"{name}:1",
                        f"quality: cannot read {name!r}: its header has more than one {repeated!r} "
                        f"column ({fieldnames!r}); keep one",
                        "read",
                        str(path),
                    )
                    return
            else:
                lines = itertools.islice(fh, offset, None)
                reader = csv.DictReader(lines, fieldnames=fieldnames, delimiter=delimiter, strict=True)
            restart = None
            while restart is None:
                before = reader.line_num
                try:
                    row = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    row_number += 1
                    yield RecordError(
                        f"{name}:{row_number}",
                        f"quality: cannot read {name!r} row {row_number}: {exc}",
                        "read",
                        str(path),
                    )
                    restart = offset + before + 1  # resume on the line after the row's first
                    continue
                row_number += 1
                if None in row:
                    extra = row.pop(None)
                    yield RecordError(
                        str(row.get("id") or f"{name}:{row_number}"),
                        f"quality: cannot read {name!r} row {row_number}: {len(extra)} more fields than the header",
                        "read",
                        str(path),
                    )
                    continue
                yield RawRecord(row, f"{name!r} row {row_number}", f"{name}:{row_number}", str(path))
        offset = restart


def _parquet(path: Path, name: str) -> Iterator[RawRecord | RecordError]:
    import pyarrow.parquet as pq

    if _gzipped(path):
        yield RecordError(
            name,
            f"quality: cannot read {name!r}: Parquet is compressed inside; un-gzip the file",
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
            yield RawRecord(record, f"{name!r} row {number}", f"{name}:{number}", str(path))


def split_plain_text(text: str) -> tuple[str, str]:
    """(headline, body) of a scraped plain-text article.

    The headline is the first meaningful line: site chrome ("Skip to content", "Menu") and
    blank lines before it are skipped. The body is the rest of the text, chrome included, so
    that the filler signal can see it.

    Examples
    --------
    >>> split_plain_text("Skip to content\\n\\nFlood closes schools\\nTwelve schools shut.")
    ('Flood closes schools', 'Skip to content\\n\\nTwelve schools shut.')
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    offset = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped and not _CHROME.match(stripped) and len(stripped.split()) >= 2:
            before = text[:offset]
            after = text[offset + len(line) :]
            body = before + after.lstrip("\n") if before.strip() else after.lstrip("\n")
            return stripped, body
        offset += len(line) + 1
    return "", text


_WIDE_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)  # UTF-32 LE starts as UTF-16 LE


def _file_id(name: str) -> str:
    """The id of a one-article file: its name without the suffix (and ``.gz``)."""
    for _ in range(2 if name.lower().endswith(".gz") else 1):
        stem, dot, suffix = name.rpartition(".")
        if dot and stem and "/" not in suffix:
            name = stem
    return name


def _txt(path: Path, name: str) -> Iterator[Article | RecordError]:
    ident = _file_id(name)
    try:
        raw = _read_bytes(path)
    except (OSError, EOFError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        yield RecordError(ident, f"quality: cannot read {str(path)!r}: {reason}", "read", str(path))
        return
    if b"\x00" in raw[:65536] and not raw.startswith(_WIDE_BOMS):
        # Text has no NUL bytes (UTF-16 and UTF-32 come with a byte-order mark); an image or an
        # archive in a crawl folder would otherwise be scored as an article of typos.
        kind = (
            "a compressed archive"
            if raw.startswith((b"\x1f\x8b", b"PK\x03\x04", b"BZh", b"\xfd7zXZ"))
            else "a binary file"
        )
        yield RecordError(
            ident,
            f"quality: {str(path)!r} is {kind} (it holds NUL bytes), not text",
            "read",
            str(path),
        )
        return
    text = decode(raw)
    title, body = split_plain_text(text)
    if not title and not body.strip():
        yield RecordError(ident, f"quality: {str(path)!r} is empty", "read", str(path))
        return
    yield Article(title=title, body=body, id=ident, path=str(path))


def _html(path: Path, name: str) -> Iterator[Article | RecordError]:
    from quality.io.html import extract

    ident = _file_id(name)
    try:
        raw = _read_bytes(path)
    except (OSError, EOFError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        yield RecordError(ident, f"quality: cannot read {str(path)!r}: {reason}", "read", str(path))
        return
    yield extract(decode(raw), ident=ident, path=str(path))


def _first_char(path: Path) -> str:
    """The first character of the file that is not white space ("" when there is none)."""
    with _open_binary(path) as fh:
        head = fh.read(4096)
    # The utf-8-sig, utf-16 and utf-32 codecs read the byte-order mark and drop it.
    return head.decode(_bom_encoding(head) or "utf-8", "ignore").lstrip()[:1]


def _json_document(path: Path, name: str, or_lines: bool = False) -> Iterator[RawRecord | RecordError]:
    """A file holding one JSON document: an array of records, or one record (read whole). When
    it does not parse and ``or_lines``, it is read as JSON Lines instead."""
    try:
        document = json.loads(decode(_read_bytes(path)))
    except (ValueError, RecursionError) as exc:
        if or_lines:
            with _open_text(path) as fh:
                yield from _jsonl(fh, name, str(path))
            return
        reason = (
            f"{exc.msg} at line {exc.lineno}"
            if isinstance(exc, json.JSONDecodeError)
            else "nested too deeply"
            if isinstance(exc, RecursionError)
            else str(exc)
        )
        yield RecordError(
            name, f"quality: cannot read {name!r}: not valid JSON ({reason})", "read", str(path)
        )
        return
    if not isinstance(document, list):
        yield RawRecord(document, f"{name!r}", name, str(path))
        return
    for number, record in enumerate(document, start=1):
        yield RawRecord(record, f"{name!r} item {number}", f"{name}:{number}", str(path))


def _one_line_json(path: Path) -> bool:
    """Whether the file's first non-blank line is a whole JSON value (JSON Lines), rather than
    the start of one pretty-printed document."""
    with _open_text(path) as lines:
        for line in lines:
            if line.strip():
                try:
                    json.loads(line)
                except (ValueError, RecursionError):
                    return False
                return True
    return True


_BY_SUFFIX = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".parquet": "parquet",
    ".html": "html",
    ".htm": "html",
    ".txt": "txt",
    ".text": "txt",
}


def _kind(path: Path) -> str:
    """How to read a file: by its suffix (after ``.gz``), else by its first character."""
    name = path.name.lower()
    suffix = Path(name[:-3]).suffix if name.endswith(".gz") else path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix in _BY_SUFFIX:
        return _BY_SUFFIX[suffix]
    if suffix == ".json":
        return "json"
    # A file named otherwise (crawl.jsonl.1, page.xml, notes): what it starts with.
    first = _first_char(path)
    return "json" if first in ("{", "[") else "html" if first == "<" else "txt"


def _json(path: Path, name: str) -> Iterator[RawRecord | RecordError]:
    """JSON: one record a line, or one document (an array of records, or one record).

    A file that starts with ``[`` is a document. One that starts with ``{`` is JSON Lines when
    its first line is a whole value, else a pretty-printed document; and when it does not
    parse as one either, JSON Lines again, so that each bad line is its own error row.
    """
    first = _first_char(path)
    if first == "[" or (first == "{" and not _one_line_json(path)):
        yield from _json_document(path, name, or_lines=first == "{")
        return
    with _open_text(path) as fh:
        yield from _jsonl(fh, name, str(path))


def _guarded(items: Iterator[Any], path: Path, name: str) -> Iterator[Any]:
    """The items read from one file; a file that breaks off (a truncated or corrupt .gz, a read
    error) ends with one error row saying how far it was read."""
    count = 0
    try:
        for item in items:
            count += 1
            yield item
    except (OSError, EOFError, zlib.error) as exc:
        yield RecordError(
            f"{name}:{count + 1}",
            f"quality: cannot read {name!r} after {count} record(s): {type(exc).__name__}: {exc}",
            "read",
            str(path),
        )


def _file(path: Path, name: str | None = None) -> Iterator[Article | RecordError]:
    """The articles of one file, and its read errors."""
    name = name or path.name
    return _guarded(_records(path, name), path, name)


def _records(path: Path, name: str) -> Iterator[Article | RecordError]:
    kind = _kind(path)
    if kind == "html":
        yield from _html(path, name)
    elif kind == "txt":
        yield from _txt(path, name)
    else:
        yield from _articles(_raw(path, name, kind))


def _articles(items: Iterable[RawRecord | RecordError]) -> Iterator[Article | RecordError]:
    for item in items:
        if isinstance(item, RecordError):
            yield item
        else:
            yield _article(item.value, item.where, item.fallback_id, item.path)


def _raw(
    path: Path, name: str, kind: str | None = None, keys: Iterable[str] = ()
) -> Iterator[RawRecord | RecordError]:
    kind = kind or _kind(path)
    if kind == "json":
        yield from _json(path, name)
    elif kind == "jsonl":
        with _open_text(path) as fh:
            yield from _jsonl(fh, name, str(path))
    elif kind in ("csv", "tsv"):
        yield from _csv(path, name, "\t" if kind == "tsv" else ",", keys)
    elif kind == "parquet":
        yield from _parquet(path, name)
    else:
        yield RecordError(
            name,
            f"quality: cannot read {name!r} as records: it reads as {kind}, not JSON Lines, JSON, "
            "CSV, TSV or Parquet; name it by its type (.jsonl, .csv...)",
            "read",
            str(path),
        )


def raw_records(path: str | os.PathLike[str], keys: Iterable[str] = ()) -> Iterator[RawRecord | RecordError]:
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
    path = Path(path)
    return _guarded(_raw(path, path.name, keys=keys), path, path.name)


def iter_records(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    stdin: IO[str] | None = None,
    exclude: Iterable[str | os.PathLike[str]] = (),
) -> Iterator[Article | RecordError]:
    """Articles and read errors from files, folders (recursively) and ``-`` (JSONL on stdin).

    Folders yield their files with a known suffix (`SUFFIXES`, or one of them + ``.gz``), in
    sorted order, named by their path within the folder ("2026/11/crawl.jsonl:7"); hidden files
    and folders are skipped, and other files are skipped with a warning that names them. A file
    named on its own is read whatever its name: by its suffix, else by its first character
    (``{`` JSON Lines, ``[`` a JSON array, ``<`` HTML, else plain text). Paths in ``exclude``
    (the output being written) are never read. A path that does not exist raises
    `FileNotFoundError` at the call, before anything is read (so a command fails before it
    opens its output).
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    names = [os.fspath(p) for p in paths]
    for p in names:
        if p != "-" and not os.path.exists(p):
            raise FileNotFoundError(f"quality: no such file or folder: {p!r}")
    return _iter_paths(names, stdin, {Path(p).resolve() for p in exclude})


def _stdin_lines() -> Iterator[str]:
    """Standard input as text lines, decoded like files (UTF-8, else cp1252), BOM dropped."""
    raw = getattr(sys.stdin, "buffer", None)
    if raw is None:  # replaced by a text stream (tests, notebooks)
        yield from sys.stdin
        return
    for number, line in enumerate(raw):
        if number == 0 and line.startswith(codecs.BOM_UTF8):
            line = line[len(codecs.BOM_UTF8) :]
        yield decode(line)


def _readable(path: Path) -> bool:
    name = path.name.lower()
    return path.suffix.lower() in SUFFIXES or (name.endswith(".gz") and Path(name[:-3]).suffix in SUFFIXES)


def _folder(folder: Path, exclude: set[Path]) -> Iterator[Article | RecordError]:
    skipped: list[str] = []
    for child in sorted(folder.rglob("*")):
        relative = child.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if child.is_symlink() and child.is_dir():
            skipped.append(f"{relative.as_posix()} (a linked folder, not followed)")
        elif child.is_dir() or child.resolve() in exclude:
            continue
        elif not child.exists():
            skipped.append(f"{relative.as_posix()} (a broken link)")
        elif not _readable(child):
            skipped.append(f"{relative.as_posix()} (not an article file type)")
        else:
            yield from _file(child, relative.as_posix())
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
    paths: list[str], stdin: IO[str] | None, exclude: set[Path]
) -> Iterator[Article | RecordError]:
    for p in paths:
        if p == "-":
            yield from _articles(_jsonl(stdin if stdin is not None else _stdin_lines(), "<stdin>", None))
            continue
        path = Path(p)
        if path.is_dir():
            yield from _folder(path, exclude)
        elif path.resolve() not in exclude:
            yield from _file(path)


def read(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    errors: Literal["raise", "yield"] = "raise",
) -> Iterator[Article | RecordError]:
    """Read articles from files and folders (JSONL, CSV, Parquet, .txt, .html) or ``-``.

    Parameters
    ----------
    paths : path or list of paths
    errors : "raise" or "yield"
        On a record that cannot be read: raise `ValueError` naming it (default), or yield a
        `RecordError` in its place and go on.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("Skip to content\\nFlood closes schools\\nTwelve shut.")
    >>> [a.title for a in read(folder)]
    ['Flood closes schools']
    """
    if errors not in ("raise", "yield"):
        raise ValueError(f"read: errors must be 'raise' or 'yield', got {errors!r}")
    records = iter_records(paths)
    return records if errors == "yield" else _raising(records)


def _raising(records: Iterator[Article | RecordError]) -> Iterator[Article]:
    for item in records:
        if isinstance(item, RecordError):
            raise ValueError(item.error)
        yield item
