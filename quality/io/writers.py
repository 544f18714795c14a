"""Writers: one flat row per article (or error) to JSONL, CSV or Parquet, streaming.

Every writer has the same columns for report rows and error rows, so a batch's output is one
table: ``id``, ``reliability``, ``label``, the five signals, ``reasons``, ``error``, ``stage``;
with ``explain``, also ``intercept``, ``contribution.<feature>`` and ``evidence`` (a JSON list
in CSV and Parquet).
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from quality.article import SIGNALS, RecordError, Report

__all__ = ["FORMATS", "Writer", "columns", "open_writer"]

FORMATS = ("jsonl", "csv", "parquet")


def columns(feature_names: Sequence[str], explain: bool) -> list[str]:
    cols = ["id", "reliability", "label", *SIGNALS, "reasons", "error", "stage"]
    if explain:
        cols += ["intercept", *(f"contribution.{n}" for n in feature_names), "evidence"]
    return cols


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
        self, fmt: str, target: str | Path | None, feature_names: Sequence[str], explain: bool = False
    ) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"quality: unknown output format {fmt!r}; choose one of {', '.join(FORMATS)}")
        if fmt == "parquet" and target is None:
            raise ValueError("quality: Parquet output needs a file; pass -o OUT.parquet")
        self.fmt = fmt
        self.explain = explain
        self.columns = columns(feature_names, explain)
        self.count = 0
        self.errors = 0
        self._target = target
        self._fh: IO[str] | None = None
        self._csv: Any = None
        self._parquet: Any = None
        self._buffer: list[dict[str, Any]] = []

    def __enter__(self) -> Writer:
        if self.fmt in ("jsonl", "csv"):
            if self._target is None:
                self._fh = sys.stdout
            else:
                # Lone surrogates (valid in JSON input) cannot be UTF-8: written escaped.
                self._fh = open(self._target, "w", encoding="utf-8", errors="backslashreplace", newline="")  # noqa: SIM115 - closed in __exit__
            if self.fmt == "csv":
                self._csv = csv.DictWriter(self._fh, fieldnames=self.columns, extrasaction="ignore")
                self._csv.writeheader()
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

    def write(self, item: Report | RecordError) -> None:
        row = self._row(item)
        self.count += 1
        if self.fmt == "jsonl":
            assert self._fh is not None
            # Every column on every row, null when empty: report and error rows make one table.
            self._fh.write(json.dumps({c: row.get(c) for c in self.columns}, ensure_ascii=False) + "\n")
        elif self.fmt == "csv":
            if "evidence" in row and row["evidence"] is not None:
                row["evidence"] = json.dumps(row["evidence"], ensure_ascii=False)
            self._csv.writerow(row)
        else:
            if row.get("evidence") is not None:
                row["evidence"] = json.dumps(row["evidence"], ensure_ascii=False)
            self._buffer.append({k: _utf8(v) for k, v in row.items()})
            if len(self._buffer) >= 4096:
                self._flush_parquet()

    def _schema(self) -> Any:
        import pyarrow as pa

        numeric = ("reliability", "intercept", *SIGNALS)
        return pa.schema(
            [
                pa.field(c, pa.float64() if c in numeric or c.startswith("contribution.") else pa.string())
                for c in self.columns
            ]
        )

    def _flush_parquet(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self._buffer:
            return
        if self._parquet is None:
            self._parquet = pq.ParquetWriter(str(self._target), self._schema())
        table = pa.Table.from_pylist(
            [{c: r.get(c) for c in self.columns} for r in self._buffer], schema=self._schema()
        )
        self._parquet.write_table(table)
        self._buffer.clear()

    def __exit__(self, *exc: object) -> None:
        if self.fmt == "parquet":
            self._flush_parquet()
            if self._parquet is None:  # no rows at all: still write a valid, empty table
                import pyarrow.parquet as pq

                pq.write_table(self._schema().empty_table(), str(self._target))
            else:
                self._parquet.close()
        elif self._fh is not None:
            self._fh.flush()
            if self._fh is not sys.stdout:
                self._fh.close()


def open_writer(
    fmt: str, target: str | Path | None, feature_names: Sequence[str], explain: bool = False
) -> Writer:
    """A `Writer` for ``fmt`` ("jsonl", "csv", "parquet") to ``target`` (None = stdout)."""
    return Writer(fmt, target, feature_names, explain)
