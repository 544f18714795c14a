"""Writers: report rows and error rows make one table in JSONL, CSV and Parquet."""

from __future__ import annotations

import csv
import json
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import quality
from quality.io.writers import OutputBusyError, columns, open_writer
from quality.signals import FEATURE_NAMES

FORMATS = [
    pytest.param("jsonl", id="JSONL"),
    pytest.param("csv", id="CSV"),
    pytest.param("parquet", id="Parquet"),
]
EXPLAIN = [pytest.param(False, id="plain"), pytest.param(True, id="explained")]


@pytest.fixture(scope="module")
def items(model) -> list:
    """Two real reports around one real read error."""
    first = quality.score(
        {
            "id": "good-1",
            "title": "Storm hits coast",
            "body": "Winds reached 120 km/h on Monday, the weather agency said.",
        },
        model=model,
    )
    error = quality.RecordError(
        "crawl.jsonl:2", "quality: cannot read 'crawl.jsonl' line 2: not valid JSON", "read"
    )
    second = quality.score(
        {
            "id": "good-2",
            "title": "You Won't Believe What Happened Next!",
            "body": "Some say it is shocking.",
        },
        model=model,
    )
    return [first, error, second]


def _write(path: Path | None, fmt: str, items: list, explain: bool) -> None:
    with open_writer(fmt, path, FEATURE_NAMES, explain=explain) as writer:
        for item in items:
            writer.write(item)
    assert (writer.count, writer.errors) == (
        len(items),
        sum(isinstance(i, quality.RecordError) for i in items),
    )


def _read_back(path: Path, fmt: str) -> tuple[list[list[str]], list[dict]]:
    """The column names of every row, and the rows, as the file holds them."""
    if fmt == "jsonl":
        rows = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
        return [list(r) for r in rows], rows
    if fmt == "csv":
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            rows = list(reader)
        return [list(reader.fieldnames)] * len(rows), rows
    frame = pd.read_parquet(path)
    rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return [list(frame.columns)] * len(rows), rows


@pytest.mark.parametrize("explain", EXPLAIN)
@pytest.mark.parametrize("fmt", FORMATS)
def test_report_rows_and_error_rows_have_the_same_columns(tmp_path, items, fmt, explain):
    path = tmp_path / f"out.{fmt}"
    _write(path, fmt, items, explain)
    names, rows = _read_back(path, fmt)
    assert len(rows) == 3
    assert all(n == columns(FEATURE_NAMES, explain) for n in names)


@pytest.mark.parametrize("fmt", FORMATS)
def test_error_row_carries_id_error_and_stage(tmp_path, items, fmt):
    path = tmp_path / f"out.{fmt}"
    _write(path, fmt, items, explain=False)
    _, rows = _read_back(path, fmt)
    error = rows[1]
    assert error["id"] == "crawl.jsonl:2"
    assert "not valid JSON" in error["error"]
    assert error["stage"] == "read"
    assert error["reliability"] in (None, "")
    assert [rows[0]["id"], rows[2]["id"]] == ["good-1", "good-2"]
    assert rows[0]["error"] in (None, "")


@pytest.mark.parametrize("fmt", FORMATS)
def test_explain_adds_intercept_contributions_and_evidence(tmp_path, items, fmt):
    path = tmp_path / f"out.{fmt}"
    _write(path, fmt, items, explain=True)
    _, rows = _read_back(path, fmt)
    report, row = items[2], rows[2]
    assert float(row["intercept"]) == pytest.approx(report.intercept)
    for name in FEATURE_NAMES:
        assert float(row[f"contribution.{name}"]) == pytest.approx(report.contributions[name])
    evidence = row["evidence"] if fmt == "jsonl" else json.loads(row["evidence"])
    assert evidence == [e.to_dict() for e in report.evidence]
    assert evidence, "the clickbait headline should leave evidence"


def test_parquet_numbers_are_floats(tmp_path, items):
    path = tmp_path / "out.parquet"
    _write(path, "parquet", items, explain=True)
    frame = pd.read_parquet(path)
    assert frame["reliability"].dtype == "float64"
    assert frame["contribution.clickbait.probability"].dtype == "float64"
    assert frame["reliability"].isna().tolist() == [False, True, False]


@pytest.mark.parametrize("explain", EXPLAIN)
def test_parquet_with_no_rows_is_a_readable_empty_table(tmp_path, explain):
    path = tmp_path / "out.parquet"
    _write(path, "parquet", [], explain)
    frame = pd.read_parquet(path)
    assert len(frame) == 0
    assert list(frame.columns) == columns(FEATURE_NAMES, explain)
    assert frame["reliability"].dtype == "float64"  # same schema as a file with rows


def test_jsonl_without_target_goes_to_stdout(capsys, items):
    _write(None, "jsonl", items, explain=False)
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["good-1", "crawl.jsonl:2", "good-2"]


@pytest.mark.parametrize(
    ("fmt", "target", "message"),
    [
        pytest.param("xml", "out.xml", "unknown output format 'xml'", id="an unknown format is refused"),
        pytest.param("parquet", None, "Parquet output needs a file", id="Parquet to stdout is refused"),
    ],
)
def test_writer_refuses_bad_settings(fmt, target, message):
    with pytest.raises(ValueError, match=message):
        open_writer(fmt, target, FEATURE_NAMES)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_repeated_id_is_made_unique_stably_and_counted(tmp_path, items, fmt):
    first, error, _ = items
    repeated = [first, first, error, first, error]
    path = tmp_path / f"out.{fmt}"
    with open_writer(fmt, path, FEATURE_NAMES) as writer:
        for item in repeated:
            writer.write(item)
    _, rows = _read_back(path, fmt)
    assert [r["id"] for r in rows] == ["good-1", "good-1#2", "crawl.jsonl:2", "good-1#3", "crawl.jsonl:2#2"]
    assert writer.renamed == 3
    assert rows[0]["warning"] in (None, "")
    assert rows[1]["warning"] == "repeated id: 'good-1' was already written, so this row is 'good-1#2'"


def test_a_renamed_id_never_takes_an_id_of_the_input(tmp_path, model):
    reports = [
        quality.score({"id": ident, "title": "Storm hits coast", "body": "Winds rose."}, model=model)
        for ident in ("a", "a#2", "a", "a#2")
    ]
    path = tmp_path / "out.jsonl"
    with open_writer("jsonl", path, FEATURE_NAMES) as writer:
        for report in reports:
            writer.write(report)
    ids = [json.loads(line)["id"] for line in path.read_text().splitlines()]
    assert ids == ["a", "a#2", "a#3", "a#2#2"] and len(set(ids)) == 4


# --- faults: one run at a time on an output; a killed run's partial file goes (issue 15) -------

_HOLD = """
import sys, time
from quality.io.writers import open_writer
with open_writer("jsonl", sys.argv[1], []) as writer:
    print("writing", flush=True)
    time.sleep(60)
"""


def _holder(target: Path) -> subprocess.Popen:
    """Another process in the middle of writing ``target``."""
    proc = subprocess.Popen([sys.executable, "-c", _HOLD, str(target)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline() == "writing\n"
    return proc


def test_a_second_writer_on_the_same_target_is_refused_while_the_first_writes(tmp_path, items):
    target = tmp_path / "out.jsonl"
    holder = _holder(target)
    try:
        with pytest.raises(
            OutputBusyError, match=rf"another run is writing .*out.jsonl' \(pid {holder.pid}, since"
        ):
            with open_writer("jsonl", target, FEATURE_NAMES):
                pass
    finally:
        holder.kill()
        holder.wait()
    with open_writer("jsonl", target, FEATURE_NAMES) as writer:  # the lock went with the process
        writer.write(items[0])
    assert len(target.read_text().splitlines()) == 1


def test_the_partial_file_of_a_killed_run_is_removed_by_the_next_run(tmp_path, items, caplog):
    target = tmp_path / "out.jsonl"
    holder = _holder(target)
    holder.send_signal(signal.SIGKILL)  # no chance to clean up
    holder.wait()
    left = tmp_path / f".out.jsonl.{holder.pid}.partial"
    assert left.exists()
    other = tmp_path / ".out.jsonl.backup.partial"  # not a partial file of ours
    other.write_text("keep")
    with open_writer("jsonl", target, FEATURE_NAMES) as writer:
        writer.write(items[0])
    assert not left.exists() and other.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.jsonl.backup.partial", "out.jsonl"]
    assert f"removed {left}, the partial output of a run that was killed" in caplog.text


def test_writers_on_different_targets_do_not_block_each_other(tmp_path, items):
    with (
        open_writer("jsonl", tmp_path / "a.jsonl", FEATURE_NAMES),
        open_writer("csv", tmp_path / "b.csv", FEATURE_NAMES),
    ):
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".lock")) == [
            ".a.jsonl.lock",
            ".b.csv.lock",
        ]
    assert not list(tmp_path.glob("*.lock")) and not list(tmp_path.glob(".*.lock"))
