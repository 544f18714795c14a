"""Writers: one flat row per article (or error) to JSONL, CSV, TSV or Parquet, streaming.

Every writer has the same columns for report rows and error rows, so a batch's output is one
table: ``id``, the input fields asked for with ``keep``, ``url``, ``title``, ``source`` (empty
when the input has none), ``reliability``, ``label``, ``out_of_scope`` (why the article is
outside the model's scope, `quality.scope`), ``language``, ``words`` (in the body), the five
signals, ``reasons`` (a list in JSONL and Parquet, joined by " | " in CSV and TSV),
``warning`` (a record cut at the record limit, or an id renamed as a repeat), ``error``,
``stage``; with ``explain``, also ``intercept``, ``contribution.<feature>`` and ``evidence``
(a JSON list in CSV, TSV and Parquet); with ``stories``, the story columns of
`quality.stories` (``passages`` a JSON list in CSV, TSV and Parquet). In CSV, TSV and Parquet a kept field is text (a list or
an object as JSON); in JSONL it is the value as read.

A file is written whole or not at all: rows go to a hidden ``.NAME.PID.partial`` file beside
the target (beside what it links to, for a symlink), renamed over it with its permissions when
the batch finishes; a batch that fails or is interrupted leaves the target as it was (an older
file, or none) and removes the partial one. While a batch writes, it holds a lock on a hidden
``.NAME.lock`` file beside the target (removed at the end), so that a second batch writing the
same target is refused; a batch killed outright (``kill -9``, a power cut) cannot remove its
partial file, and the next batch writing that target removes it. A target that is not a regular file (a device, a
FIFO) is written in place. A target ending in ``.gz`` is gzip-compressed (JSONL, CSV, TSV).
TSV escapes tabs, line breaks and backslashes inside fields, so every row is one line.

With ``resume`` (``quality score -o OUT --resume``), a batch can be continued after it was
killed: its rows go, as JSON lines whatever the format, to a hidden rows file beside the
target, after a state file that records what they are made from (`quality.io.resume`). A batch
that stops, however it stops, keeps both; the next one with the same state reads the rows back
(`Writer.resumed`, a torn last line discarded), reads past their records (`Writer.skip`) and
appends; when it finishes, the rows become the target in its format, the same file an
uninterrupted batch writes, and both files go. A batch without ``resume`` that finishes
removes them: its file replaces the one they were for.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import json
import logging
import os
import re
import stat
import sys
import time
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from quality.article import SIGNALS, RecordError, Report
from quality.io.resume import differences, read_state, recover, state_paths, write_state

__all__ = ["FORMATS", "OutputBusyError", "Writer", "columns", "format_for", "open_writer"]

log = logging.getLogger(__name__)


class OutputBusyError(OSError):
    """Another batch is writing the same output file."""


def _lock(final: Path) -> tuple[Path, int] | None:
    """Hold the lock of the target ``final`` (a ``.NAME.lock`` file beside it) until `_unlock`;
    `OutputBusyError` when another process holds it. None where there is no flock (Windows)."""
    try:
        import fcntl
    except ImportError:
        return None
    path = final.parent / f".{final.name[:100]}.lock"
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            owner = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "another process"
            os.close(fd)
            raise OutputBusyError(
                f"quality: another run is writing {str(final)!r} ({owner}); wait for it to finish, "
                f"or write to another -o (its lock is {str(path)!r})"
            ) from None
        try:
            current = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            current = False
        if current:  # not the file of a run that has just finished and removed it
            break
        os.close(fd)
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"pid {os.getpid()}, since {time.strftime('%Y-%m-%d %H:%M:%S')}\n".encode(), 0)
    return path, fd


def _unlock(lock: tuple[Path, int] | None) -> None:
    if lock is not None:
        path, fd = lock
        path.unlink(missing_ok=True)  # while it is held: nobody can take the old file after this
        os.close(fd)


def _remove_stale_partials(final: Path) -> None:
    """Remove the partial files of ``final`` left by batches that were killed (the caller
    holds the lock, so no batch that is running writes them)."""
    pattern = re.compile(rf"\.{re.escape(final.name[:100])}\.\d+\.partial")
    for path in final.parent.glob(f".{final.name[:100]}.*.partial"):
        if pattern.fullmatch(path.name):
            path.unlink(missing_ok=True)
            log.warning("removed %s, the partial output of a run that was killed", path)


FORMATS = ("jsonl", "csv", "tsv", "parquet")
_SUFFIXES = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".csv": "csv",
    ".tsv": "tsv",
    ".parquet": "parquet",
}


def format_for(target: str | Path) -> str:
    """The output format a file name asks for: its suffix, after a ``.gz`` one.

    Examples
    --------
    >>> format_for("scores.csv.gz"), format_for("out.parquet")
    ('csv', 'parquet')
    """
    path = Path(target)
    suffixes = [x.lower() for x in path.suffixes]
    if suffixes[-1:] == [".gz"]:
        suffixes = suffixes[:-1]
    fmt = _SUFFIXES.get(suffixes[-1] if suffixes else "")
    if fmt is None:
        raise ValueError(
            f"quality: cannot tell the output format of {str(target)!r} from its name; name it "
            f"{' or '.join(sorted(set(_SUFFIXES)))} (optionally + .gz), or pass --format"
        )
    return fmt


#: Columns of every row, besides those that ``explain`` and ``keep`` add: the one list of
#: them, which `quality.score_frame` takes too (through `columns`). An error row has them all,
#: filled as far as its record could be read (`quality.article.RecordError`).
BASE_COLUMNS = (
    "id",
    "url",
    "title",
    "source",
    "reliability",
    "label",
    "out_of_scope",
    "language",
    "words",
    *SIGNALS,
    "reasons",
    "warning",
    "error",
    "stage",
)


#: The columns ``quality score --stories`` adds (`quality.stories.STORY_COLUMNS`).
STORY_COLUMNS = ("story", "story_size", "originality", "shared", "passages")


def columns(
    feature_names: Sequence[str], explain: bool, keep: Sequence[str] = (), stories: bool = False
) -> list[str]:
    """The columns of a batch's rows: ``id``, the ``keep`` fields of the input records, the
    `BASE_COLUMNS` after ``id``, with ``stories`` the `STORY_COLUMNS`, and with ``explain``
    the intercept, one contribution per feature and the evidence. A ``keep`` name that is
    already a column is a `ValueError`."""
    taken = [
        k
        for k in keep
        if k in BASE_COLUMNS
        or k in ("intercept", "evidence")
        or k.startswith("contribution.")
        or (stories and k in STORY_COLUMNS)
    ]
    if taken:
        raise ValueError(
            f"quality: cannot keep {taken[0]!r}: the output already has a column of that name; "
            f"its columns are {', '.join(BASE_COLUMNS)} (and with --explain intercept, contribution.*, evidence)"
        )
    cols = [BASE_COLUMNS[0], *dict.fromkeys(keep), *BASE_COLUMNS[1:]]
    if stories:
        cols += STORY_COLUMNS
    if explain:
        cols += ["intercept", *(f"contribution.{n}" for n in feature_names), "evidence"]
    return cols


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _tsv_cell(value: Any) -> str:
    """A TSV field: tabs, line breaks and backslashes escaped (\\t, \\n, \\r, \\\\), as in
    PostgreSQL's COPY and the IANA text/tab-separated-values type, so every row is one line
    of exactly one field per column for ``cut`` and ``awk``."""
    return "" if value is None else str(value).translate(_TSV_ESCAPES)


def _text_cell(value: Any) -> str | None:
    """A kept input field as one text cell (CSV, TSV, Parquet): text as it is, a list or an
    object as JSON, anything else as ``str`` gives it; None stays None."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _utf8(value: Any) -> Any:
    """A string that UTF-8 can hold: lone surrogates (valid in JSON input) escaped."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return value.encode("utf-8", "backslashreplace").decode("utf-8")
    return value


class Writer:
    """Write rows in one format; use as a context manager."""

    def __init__(
        self,
        fmt: str,
        target: str | Path | None,
        feature_names: Sequence[str],
        explain: bool = False,
        keep: Sequence[str] = (),
        stories: bool = False,
        resume: Mapping[str, Any] | None = None,
    ) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"quality: unknown output format {fmt!r}; choose one of {', '.join(FORMATS)}")
        if fmt == "parquet" and target is None:
            raise ValueError("quality: Parquet output needs a file; pass -o OUT.parquet")
        self.fmt = fmt
        self.explain = explain
        self.columns = columns(feature_names, explain, keep, stories)
        self.keep = tuple(dict.fromkeys(keep))
        self.count = 0
        self.errors = 0
        #: Rows whose id was already written, renamed ``id#2``, ``id#3``... (see `write`).
        self.renamed = 0
        self._ids: dict[str, int] = {}  # id -> rows written with it (grows with the batch: ~100 bytes an id)
        self._target = None if target is None else Path(target)
        self._compress = self._target is not None and self._target.suffix.lower() == ".gz"
        if self._compress and fmt == "parquet":
            raise ValueError("quality: Parquet output is compressed already; drop the .gz")
        self._partial: Path | None = None  # rows go here, then replace _final
        self._final: Path | None = None
        self._path: Path | None = None  # the file written: the partial one, a device, or stdout
        self._fh: IO[str] | None = None
        self._csv: Any = None
        self._parquet: Any = None
        self._buffer: list[dict[str, Any]] = []
        self._lock: tuple[Path, int] | None = None
        #: With ``resume``: what the rows are made from (`quality.io.resume.fingerprint`).
        self._resume = None if resume is None else {**resume, "format": fmt, "columns": self.columns}
        #: Rows a stopped run had written, read back when this one started (in `count`).
        self.resumed = 0
        #: The labels of those rows (error rows not counted).
        self.resumed_labels: Counter[str] = Counter()
        self._resumed_ids: list[str] = []
        self._state: tuple[Path, Path] | None = None  # the state file and the rows file
        self._rows: IO[str] | None = None  # the rows file, open for appending

    def __enter__(self) -> Writer:
        if self._resume is not None:
            return self._enter_resumable()
        if self._target is not None:
            final = Path(os.path.realpath(self._target))  # through a symlink, to what it names
            if final.exists() and not final.is_file():
                # A device, a FIFO, /dev/stdout: written in place, never replaced.
                self._path = final
            else:
                # Taken now, so that a busy or unwritable target fails before any work is done.
                self._lock = _lock(final)
                try:
                    _remove_stale_partials(final)
                    self._partial = final.parent / f".{final.name[:100]}.{os.getpid()}.partial"
                    self._partial.open("wb").close()
                    if final.exists():
                        os.chmod(self._partial, stat.S_IMODE(final.stat().st_mode))
                except BaseException:
                    _unlock(self._lock)
                    raise
                self._path, self._final = self._partial, final
        try:
            return self._open()
        except BaseException:
            if self._partial is not None:
                self._partial.unlink(missing_ok=True)
            _unlock(self._lock)
            raise

    def _enter_resumable(self) -> Writer:
        """Take the target's lock, then continue the rows of a stopped run with the same
        state, or start them."""
        if self._target is None:
            raise ValueError("quality: a resumable batch needs an output file (-o OUT), not standard output")
        final = Path(os.path.realpath(self._target))
        if final.exists() and not final.is_file():
            raise ValueError(
                f"quality: cannot resume {str(self._target)!r}: it is not a regular file "
                "(a device or a FIFO is written in place, and cannot be continued)"
            )
        self._lock = _lock(final)
        try:
            _remove_stale_partials(final)
            self._final = final
            state, rows = self._state = state_paths(final)
            if state.exists() and rows.exists():
                self._continue(state, rows)
            else:
                for path in (state, rows):  # half a state: the run stopped before its first row
                    path.unlink(missing_ok=True)
                write_state(state, self._resume)  # type: ignore[arg-type]
                rows.open("wb").close()
                if final.exists():
                    os.chmod(rows, stat.S_IMODE(final.stat().st_mode))
            self._rows = open(rows, "a", encoding="utf-8", errors="backslashreplace", newline="")  # noqa: SIM115 - closed in _close
        except BaseException:
            _unlock(self._lock)
            self._lock = None
            raise
        return self

    def _continue(self, state: Path, rows: Path) -> None:
        """Read back the rows of the stopped run whose state is ``state``, if it is this one's."""
        changed = differences(read_state(state), self._resume)  # type: ignore[arg-type]
        if changed:
            raise ValueError(
                f"quality: cannot resume {str(self._target)!r}: the run that stopped had other inputs "
                f"or options ({'; '.join(changed)}); run the same command on the same inputs to "
                f"continue it, or without --resume to start over (which removes its rows, {str(rows)!r})"
            )
        found = recover(rows)
        if found.discarded:
            log.info("discarded a torn last row (%d bytes) of %s, to be written again", found.discarded, rows)
        self._resumed_ids = found.ids
        self.resumed = self.count = len(found.ids)
        self.errors = found.errors
        self.resumed_labels = found.labels

    def skip(self, records: Iterator[Any]) -> None:
        """Read past the records whose rows were read back (`resumed`), from the start of the
        batch's input (each has an ``id``, like the `Article` and `RecordError` items of
        `quality.io.iter_records`): their ids are made unique as when they were written, and
        each must be the id its row has, else the rows are not this input's (`ValueError`)."""
        for number, written in enumerate(self._resumed_ids, 1):
            record = next(records, None)
            if record is None:
                raise ValueError(
                    f"quality: cannot resume {str(self._target)!r}: the inputs hold {number - 1} records, "
                    f"and {self.resumed} rows were written; run without --resume to start over"
                )
            row = {"id": record.id, "warning": None}
            self._unique(row)
            if row["id"] != written:
                raise ValueError(
                    f"quality: cannot resume {str(self._target)!r}: record {number} of the inputs is "
                    f"{row['id']!r}, but its row is {written!r}; run without --resume to start over"
                )
        self._resumed_ids = []

    def _open(self) -> Writer:
        if self.fmt == "parquet":
            from quality._extras import require

            pq = require("pyarrow.parquet", "parquet", "writing Parquet")

            self._parquet = pq.ParquetWriter(str(self._path), self._schema())
            return self
        if self._path is None:
            self._fh = sys.stdout
        elif self._compress:
            self._fh = gzip.open(self._path, "wt", encoding="utf-8", errors="backslashreplace", newline="")
        else:
            # Lone surrogates (valid in JSON input) cannot be UTF-8: written escaped.
            self._fh = open(self._path, "w", encoding="utf-8", errors="backslashreplace", newline="")  # noqa: SIM115 - closed in __exit__
        if self.fmt == "csv":
            self._csv = csv.DictWriter(self._fh, fieldnames=self.columns, extrasaction="ignore")
            self._csv.writeheader()
        elif self.fmt == "tsv":
            self._fh.write("\t".join(self.columns) + "\n")
        return self

    def _row(self, item: Report | RecordError) -> dict[str, Any]:
        if isinstance(item, RecordError):
            self.errors += 1
            row = dict.fromkeys(self.columns)
            row.update(item.to_row())
            return row
        row = item.to_row(explain=self.explain)
        row.setdefault("error", None)
        row.setdefault("stage", None)
        return row

    def write(self, item: Report | RecordError, extra: dict[str, Any] | None = None) -> None:
        """Write one row, with ``extra`` columns (the story columns). An id already written (the same id twice in one file, or in two
        daily folders) is made unique: its second row is ``id#2``, its third ``id#3`` (skipping
        any such id already written), and the row's ``warning`` says so; ``renamed`` counts them.
        The first row keeps its id, so the same input always gives the same ids."""
        row = self._row(item)
        if extra:
            row.update(extra)
        self.count += 1
        self._unique(row)
        if self._rows is not None:
            self._rows.write(self._line(row))
        else:
            self._emit(row)

    def _line(self, row: dict[str, Any]) -> str:
        # Every column on every row, null when empty: report and error rows make one table.
        # A kept field that JSON has no type for (a Parquet timestamp) is written as text.
        return json.dumps({c: row.get(c) for c in self.columns}, ensure_ascii=False, default=str) + "\n"

    def _emit(self, row: dict[str, Any]) -> None:
        """Write ``row`` (made unique) in the format."""
        if self.fmt == "jsonl":
            assert self._fh is not None
            self._fh.write(self._line(row))
        elif self.fmt in ("csv", "tsv"):
            for name in ("evidence", "passages"):
                if row.get(name) is not None:
                    row[name] = json.dumps(row[name], ensure_ascii=False)
            if row.get("reasons") is not None:
                row["reasons"] = " | ".join(row["reasons"])  # a cell holds text
            for name in self.keep:
                row[name] = _text_cell(row.get(name))
            if self._csv is not None:
                self._csv.writerow(row)
            else:
                assert self._fh is not None
                self._fh.write("\t".join(_tsv_cell(row.get(c)) for c in self.columns) + "\n")
        else:
            for name in ("evidence", "passages"):
                if row.get(name) is not None:
                    row[name] = json.dumps(row[name], ensure_ascii=False)
            for name in self.keep:
                row[name] = _text_cell(row.get(name))
            if row.get("reasons") is not None:
                row["reasons"] = [_utf8(r) for r in row["reasons"]]
            self._buffer.append({k: _utf8(v) for k, v in row.items()})
            if len(self._buffer) >= 4096:
                self._flush_parquet()

    def _unique(self, row: dict[str, Any]) -> None:
        ident = str(row["id"])
        if ident not in self._ids:
            self._ids[ident] = 1
            return
        n = self._ids[ident]
        while True:
            n += 1
            new = f"{ident}#{n}"
            if new not in self._ids:
                break
        self._ids[ident] = n
        self._ids[new] = 1
        note = f"repeated id: {ident!r} was already written, so this row is {new!r}"
        row["id"] = new
        row["warning"] = f"{row['warning']}; {note}" if row.get("warning") else note
        self.renamed += 1

    def _schema(self) -> Any:
        import pyarrow as pa

        numeric = ("reliability", "intercept", "originality", "shared", *SIGNALS)

        def kind(c: str) -> Any:
            if c in numeric or c.startswith("contribution."):
                return pa.float64()
            if c == "reasons":
                return pa.list_(pa.string())
            return pa.int64() if c in ("words", "story_size") else pa.string()

        return pa.schema([pa.field(c, kind(c)) for c in self.columns])

    def _flush_parquet(self) -> None:
        import pyarrow as pa

        if not self._buffer:
            return
        table = pa.Table.from_pylist(
            [{c: r.get(c) for c in self.columns} for r in self._buffer], schema=self._schema()
        )
        self._parquet.write_table(table)
        self._buffer.clear()

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        try:
            if self._state is not None:
                self._close_resumable(exc_type)
            else:
                self._close(exc_type)
                if exc_type is None and self._final is not None:
                    self._forget_resumable(self._final)
        finally:
            _unlock(self._lock)
            self._lock = None

    def _close_resumable(self, exc_type: type[BaseException] | None) -> None:
        """Keep the rows of a batch that stopped; turn those of one that finished into the
        target, in its format."""
        assert self._rows is not None and self._state is not None and self._final is not None
        self._rows.close()
        state, rows = self._state
        if exc_type is not None:
            log.warning(
                "kept the %d rows written so far in %s; run the same command with --resume to go on from there",
                self.count,
                rows,
            )
            return
        if self.fmt == "jsonl" and not self._compress:
            os.replace(rows, self._final)  # its lines are the file's
        else:
            self._partial = self._final.parent / f".{self._final.name[:100]}.{os.getpid()}.partial"
            self._partial.open("wb").close()
            os.chmod(self._partial, stat.S_IMODE(rows.stat().st_mode))
            self._path = self._partial
            try:
                self._open()
                with rows.open("rb") as fh:
                    for line in fh:
                        self._emit(json.loads(line))
            except BaseException:
                for handle in (self._parquet, self._fh):  # whichever was opened
                    if handle is not None:
                        with contextlib.suppress(Exception):
                            handle.close()
                self._partial.unlink(missing_ok=True)  # the rows and the state stay
                raise
            self._close(None)
            rows.unlink()
        state.unlink()

    @staticmethod
    def _forget_resumable(final: Path) -> None:
        """Remove what a stopped resumable batch left for ``final``, which was just replaced."""
        for path in state_paths(final):
            if path.exists():
                path.unlink()
                log.warning(
                    "removed %s, kept to resume a run on %s, which this run has replaced", path, final
                )

    def _close(self, exc_type: type[BaseException] | None) -> None:
        try:
            if self.fmt == "parquet":
                if exc_type is None:
                    self._flush_parquet()
                self._parquet.close()
            elif self._fh is sys.stdout:
                self._fh.flush()
            elif self._fh is not None:
                self._fh.close()
        except BaseException:
            if self._partial is not None:
                self._partial.unlink(missing_ok=True)
            raise
        if self._partial is None:
            return
        if exc_type is None:
            os.replace(self._partial, self._final)  # type: ignore[arg-type]
        else:
            # A failed or interrupted batch: its rows would pass for a whole day's output.
            self._partial.unlink(missing_ok=True)


def open_writer(
    fmt: str,
    target: str | Path | None,
    feature_names: Sequence[str],
    explain: bool = False,
    keep: Sequence[str] = (),
    stories: bool = False,
    resume: Mapping[str, Any] | None = None,
) -> Writer:
    """A `Writer` for ``fmt`` ("jsonl", "csv", "tsv", "parquet") to ``target`` (None = stdout),
    with the ``keep`` fields of the input records as columns after ``id``. With ``resume`` (what
    the rows are made from: `quality.io.resume.fingerprint`), the batch continues the rows of a
    stopped one made from the same, or can be continued if it stops (see the module's notes)."""
    return Writer(fmt, target, feature_names, explain, keep, stories, resume)
