"""``quality score -o OUT --resume``: a run that stopped (killed, interrupted) goes on where it
stopped, and its output is the file an uninterrupted run writes (issue 13, part 3).

The output files are compared byte for byte (gzipped ones after decompression: a gzip header
holds a time and the name of the file written). The rows are in input order however they are
scored, so a run killed with ``-j 2`` and resumed equals a run in one process.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import quality.engine
from quality.cli import main
from quality.io.readers import iter_records
from quality.io.resume import state_paths

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "labeled" / "examples.jsonl"
RESUMED = re.compile(r"^quality: (\d+) rows \((\d+) resumed\) in ", re.M)

#: Output names, one per format the command line writes. A stopped run keeps its rows as the
#: same JSON lines whatever the format, so the runs killed in a process of their own (slow) are
#: for JSONL, CSV and Parquet; every format is resumed after a run stopped in this process.
KILLED = [
    pytest.param("out.jsonl", id="JSONL"),
    pytest.param("out.csv", id="CSV"),
    pytest.param("out.parquet", id="Parquet"),
]
OUTPUTS = [
    pytest.param("out.jsonl", id="JSONL"),
    pytest.param("out.csv", id="CSV"),
    pytest.param("out.tsv", id="TSV"),
    pytest.param("out.parquet", id="Parquet"),
    pytest.param("out.jsonl.gz", id="gzipped JSONL"),
]


def _crawl(path: Path, articles: int) -> list[str]:
    """Write a crawl of the project's labeled articles (the first ``articles`` of them) with
    what a crawl also holds: a line that is not JSON near the start and an empty record near
    the end (error rows), and its first ten records again at the end (ids renamed ``id#2``).
    Returns the ids of the records in order."""
    lines = EXAMPLES.read_text(encoding="utf-8").splitlines()[:articles]
    records = [
        lines[0],
        '{"id": "cut-off", "title": "A line that breaks',
        *lines[1:],
        '{"id": "empty"}',
        *lines[:10],
    ]
    path.write_text("\n".join(records) + "\n", encoding="utf-8")
    return [r.id for r in iter_records([path])]


def _renamed(ids: list[str]) -> list[str]:
    """The ids of the rows: a repeated id (once, here) is written as ``id#2``."""
    seen: set[str] = set()
    out = []
    for ident in ids:
        out.append(f"{ident}#2" if ident in seen else ident)
        seen.add(ident)
    return out


def _content(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def _whole_rows(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def _kill_when_written(argv: list[str], rows: Path, at_least: int) -> None:
    """Run ``quality`` with ``argv`` in a process of its own and kill it (SIGKILL: no chance to
    clean up) once ``at_least`` whole rows are in its rows file."""
    proc = subprocess.Popen([sys.executable, "-m", "quality.cli", *argv], stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    try:
        while _whole_rows(rows) < at_least:
            if proc.poll() is not None:
                pytest.fail(
                    f"the run ended (exit {proc.returncode}) before it could be killed: {proc.stderr.read()}"
                )
            if time.monotonic() > deadline:
                pytest.fail(f"no {at_least} rows in {rows} after 300 s")
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL


def _stopped(monkeypatch, after: int, failure: BaseException | None = None) -> None:
    """Make the next run stop with ``failure`` (Ctrl-C by default) after ``after`` rows, as
    Ctrl-C or a lost cluster would: the real engine scores them."""
    real = quality.engine.score_records
    failure = failure or KeyboardInterrupt()

    def stopping(records, *args, **kwargs):
        for i, result in enumerate(real(records, *args, **kwargs)):
            if i == after:
                raise failure
            yield result

    monkeypatch.setattr(quality.engine, "score_records", stopping)


def _counting(monkeypatch) -> list[str]:
    """The ids of the records that the engine is given to score, from now on."""
    real, seen = quality.engine.score_records, []

    def counting(records, *args, **kwargs):
        def counted():
            for record in records:
                seen.append(record.id)
                yield record

        yield from real(counted(), *args, **kwargs)

    monkeypatch.setattr(quality.engine, "score_records", counting)
    return seen


# --- killed with SIGKILL in a process of its own, resumed ------------------------------------


@pytest.fixture(scope="module")
def crawl(tmp_path_factory) -> tuple[Path, list[str]]:
    """A few hundred articles (all 250 labeled examples), 262 records."""
    path = tmp_path_factory.mktemp("crawl") / "crawl.jsonl"
    return path, _crawl(path, 250)


@pytest.mark.slow
@pytest.mark.parametrize("name", KILLED)
def test_a_killed_run_resumed_writes_what_an_uninterrupted_run_writes(
    crawl, tmp_path, monkeypatch, capsys, name
):
    path, ids = crawl
    out = tmp_path / name
    state, rows = state_paths(out)
    _kill_when_written(["score", str(path), "-o", str(out), "--resume", "-q"], rows, at_least=40)
    assert not out.exists() and state.exists()
    with rows.open("ab") as fh:
        fh.write(b'{"id": "' + ids[-1].encode() + b'", "reliab')  # a row cut off as it was written
    written = _whole_rows(rows)
    assert written >= 40

    scored = _counting(monkeypatch)
    assert main(["score", str(path), "-o", str(out), "--resume"]) == 1  # the crawl has error rows
    err = capsys.readouterr().err
    assert f"resuming {out}: {written} rows were written by the run that stopped" in err
    assert RESUMED.search(err).groups() == (str(len(ids)), str(written))
    assert scored == ids[written:]  # the rows on disk were not scored again
    assert not state.exists() and not rows.exists()

    reference = tmp_path / f"reference.{name.split('.', 1)[1]}"
    assert main(["score", str(path), "-o", str(reference), "-q"]) == 1
    assert _content(out) == _content(reference)


@pytest.mark.slow
def test_a_run_of_two_workers_killed_and_resumed_in_its_own_process_equals_one_in_one_process(
    crawl, tmp_path
):
    path, ids = crawl
    out = tmp_path / "out.jsonl"
    state, rows = state_paths(out)
    command = ["score", str(path), "-o", str(out), "--resume", "-j", "2"]
    _kill_when_written([*command, "-q"], rows, at_least=40)
    written = _whole_rows(rows)
    resumed = subprocess.run(
        [sys.executable, "-m", "quality.cli", *command], capture_output=True, text=True, timeout=600
    )
    assert resumed.returncode == 1, resumed.stderr
    assert RESUMED.search(resumed.stderr).groups() == (str(len(ids)), str(written))
    reference = tmp_path / "reference.jsonl"
    assert main(["score", str(path), "-o", str(reference), "-q"]) == 1
    assert out.read_bytes() == reference.read_bytes()
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in lines] == _renamed(ids)  # one row a record, in order
    assert sum(r["error"] is not None for r in lines) == 2
    assert not state.exists() and not rows.exists()


# --- stopped in this process (Ctrl-C, a failure), resumed -------------------------------------


@pytest.fixture
def small(tmp_path) -> tuple[Path, list[str]]:
    """Twelve labeled articles, 16 records."""
    path = tmp_path / "crawl.jsonl"
    return path, _crawl(path, 12)


@pytest.mark.parametrize("name", OUTPUTS)
@pytest.mark.parametrize(
    "failure",
    [pytest.param(KeyboardInterrupt(), id="Ctrl-C"), pytest.param(RuntimeError("cluster lost"), id="crash")],
)
def test_a_stopped_run_keeps_its_rows_and_the_same_command_goes_on(
    small, tmp_path, monkeypatch, capsys, name, failure
):
    path, ids = small
    out = tmp_path / name
    state, rows = state_paths(out)
    _stopped(monkeypatch, after=5, failure=failure)
    assert main(["score", str(path), "-o", str(out), "--resume", "-q"]) in (3, 130)
    assert not out.exists() and _whole_rows(rows) == 5
    assert [json.loads(line)["id"] for line in rows.read_text().splitlines()] == ids[:5]

    monkeypatch.undo()
    scored = _counting(monkeypatch)
    assert main(["score", str(path), "-o", str(out), "--resume"]) == 1
    assert RESUMED.search(capsys.readouterr().err).groups() == (str(len(ids)), "5")
    assert scored == ids[5:]
    reference = tmp_path / f"reference.{name.split('.', 1)[1]}"
    assert main(["score", str(path), "-o", str(reference), "-q"]) == 1
    assert _content(out) == _content(reference)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["crawl.jsonl", name, reference.name])


def test_resume_with_nothing_to_resume_starts_afresh_and_replaces_the_output(small, tmp_path, capsys):
    path, ids = small
    out = tmp_path / "out.csv"
    reference = tmp_path / "reference.csv"
    assert main(["score", str(path), "-o", str(reference), "-q"]) == 1
    assert main(["score", str(path), "-o", str(out), "--resume"]) == 1  # no output, no state
    assert "resuming" not in capsys.readouterr().err
    assert out.read_bytes() == reference.read_bytes()
    out.write_text("yesterday's scores\n")
    assert main(["score", str(path), "-o", str(out), "--resume", "-q"]) == 1  # an output, no state
    assert out.read_bytes() == reference.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crawl.jsonl", "out.csv", "reference.csv"]


@pytest.mark.parametrize(
    ("change", "said"),
    [
        pytest.param(
            lambda path, argv: path.write_text(path.read_text().replace("Haldane", "Holdane")),
            r"input '.*crawl.jsonl' changed \(same size\)",
            id="an input edited in place",
        ),
        pytest.param(
            lambda path, argv: path.open("a").write('{"title": "One more", "body": "A late article."}\n'),
            r"input '.*crawl.jsonl' changed \(\d+ bytes, now \d+\)",
            id="an input grown",
        ),
        pytest.param(
            lambda path, argv: (
                (path.parent / "more.jsonl").write_text(path.read_text())
                and argv.insert(2, str(path.parent / "more.jsonl"))
            ),
            r"input '.*more.jsonl' is new",
            id="one more input",
        ),
        pytest.param(
            lambda path, argv: argv.append("--explain"), "explain was False, now True", id="--explain added"
        ),
        pytest.param(
            lambda path, argv: argv.extend(["--keep", "signal"]),
            r"keep was \[\], now \['signal'\]",
            id="--keep added",
        ),
    ],
)
def test_a_run_that_stopped_is_not_resumed_on_other_inputs_or_options(
    small, tmp_path, monkeypatch, capsys, change, said
):
    path, _ = small
    out = tmp_path / "out.jsonl"
    _stopped(monkeypatch, after=5)
    argv = ["score", str(path), "-o", str(out), "--resume", "-q"]
    assert main(argv) == 130
    monkeypatch.undo()
    state, rows = state_paths(out)
    kept = rows.read_bytes()
    change(path, argv)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert re.search(
        rf"cannot resume '.*out.jsonl': the run that stopped had other inputs or options \(.*{said}", err
    )
    assert "without --resume to start over" in err
    assert rows.read_bytes() == kept and state.exists() and not out.exists()


def test_a_run_without_resume_starts_over_and_removes_what_was_kept(small, tmp_path, monkeypatch, caplog):
    path, _ = small
    out = tmp_path / "out.jsonl"
    _stopped(monkeypatch, after=5)
    assert main(["score", str(path), "-o", str(out), "--resume", "-q"]) == 130
    monkeypatch.undo()
    assert main(["score", str(path), "-o", str(out)]) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crawl.jsonl", "out.jsonl"]
    assert "kept to resume a run on" in caplog.text


def test_the_progress_bar_of_a_resumed_run_counts_the_rows_written_as_done(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "pages"
    folder.mkdir()
    for i, line in enumerate(EXAMPLES.read_text(encoding="utf-8").splitlines()[:8]):
        record = json.loads(line)
        (folder / f"{i}.txt").write_text(f"{record['title']}\n\n{record['body']}\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    _stopped(monkeypatch, after=3)
    assert main(["score", str(folder), "-o", str(out), "--resume", "-q"]) == 130
    monkeypatch.undo()
    capsys.readouterr()
    assert main(["score", str(folder), "-o", str(out), "--resume", "--progress"]) == 0
    shown = [m.group(1) for m in re.finditer(r"\| *(\d+)/8 \[", capsys.readouterr().err)]
    assert shown[0] == "0" and shown[1] == "3" and shown[-1] == "8"  # from 0, to 3 at once, to the end


def test_a_torn_last_row_is_written_again_and_a_damaged_one_refused(small, tmp_path, monkeypatch, capsys):
    path, ids = small
    out = tmp_path / "out.jsonl"
    _stopped(monkeypatch, after=5)
    assert main(["score", str(path), "-o", str(out), "--resume", "-q"]) == 130
    monkeypatch.undo()
    _, rows = state_paths(out)
    lines = rows.read_bytes().splitlines(keepends=True)
    rows.write_bytes(b"".join(lines[:4]) + lines[4][:30])  # killed while writing the fifth row
    assert main(["score", str(path), "-o", str(out), "--resume"]) == 1
    assert RESUMED.search(capsys.readouterr().err).groups() == (str(len(ids)), "4")
    reference = tmp_path / "reference.jsonl"
    assert main(["score", str(path), "-o", str(reference), "-q"]) == 1
    assert out.read_bytes() == reference.read_bytes()

    _stopped(monkeypatch, after=5)
    assert main(["score", str(path), "-o", str(out), "--resume", "-q"]) == 130
    monkeypatch.undo()
    lines = rows.read_bytes().splitlines(keepends=True)
    rows.write_bytes(b"".join(lines[:2]) + b"not a row\n" + b"".join(lines[3:]))
    assert main(["score", str(path), "-o", str(out), "--resume"]) == 2
    assert (
        f"cannot resume from {str(rows)!r}: line 3 is not a row of quality score" in capsys.readouterr().err
    )


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        pytest.param(
            ["{crawl}", "-o", "{out}", "--stories"], "--resume cannot go with --stories", id="with --stories"
        ),
        pytest.param(["{crawl}", "-o", "-"], "--resume needs -o OUT", id="to standard output"),
        pytest.param(
            ["-", "-o", "{out}"],
            "--resume needs input files or folders: standard input",
            id="from standard input",
        ),
    ],
)
def test_resume_is_refused_where_a_run_cannot_be_continued(small, tmp_path, capsys, argv, said):
    path, _ = small
    argv = [a.format(crawl=path, out=tmp_path / "out.jsonl") for a in argv]
    with pytest.raises(SystemExit) as exc:
        main(["score", *argv, "--resume"])
    assert exc.value.code == 2
    assert said in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crawl.jsonl"]
