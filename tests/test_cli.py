"""The command line: exit codes, outputs and messages of `quality.cli.main`."""

from __future__ import annotations

import io
import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import quality
from quality.cli import main
from quality.model import default_model_path

ROW_KEYS = {
    "id",
    "reliability",
    "label",
    "sourcing",
    "typos",
    "filler",
    "unsupported_claims",
    "clickbait",
    "reasons",
}
STORIES = {
    "flood": "Flood closes schools\nTwelve schools closed on Monday, the education office said in a statement.",
    "storm": "Storm hits the coast\nWinds reached 120 km/h, according to the national weather agency.",
    "shock": "You Won't Believe What Happened Next!\nSome say it is the most shocking thing ever.",
}


@pytest.fixture
def pages(tmp_path) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    for name, text in STORIES.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


def _jsonl_rows(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


def test_score_folder_writes_one_jsonl_row_per_file(pages, capsys):
    assert main(["score", str(pages)]) == 0
    rows = _jsonl_rows(capsys.readouterr().out)
    assert [r["id"] for r in rows] == sorted(STORIES)
    for row in rows:
        assert ROW_KEYS <= set(row)
        assert 0.0 <= row["reliability"] <= 1.0
        assert row["label"] in (
            "reliable",
            "uncertain",
            "unreliable",
            "out_of_scope",
        )  # short stories: out_of_scope


@pytest.mark.parametrize(
    ("name", "load"),
    [
        pytest.param("out.csv", pd.read_csv, id="out.csv writes CSV"),
        pytest.param("out.parquet", pd.read_parquet, id="out.parquet writes Parquet"),
    ],
)
def test_output_format_comes_from_the_extension(pages, tmp_path, capsys, name, load):
    out = tmp_path / name
    assert main(["score", str(pages), "-o", str(out)]) == 0
    frame = load(out)
    assert frame["id"].tolist() == sorted(STORIES)
    assert ROW_KEYS <= set(frame.columns)
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    ("name", "load"),
    [
        pytest.param("out.tsv", lambda p: pd.read_csv(p, sep="\t"), id="out.tsv writes TSV"),
        pytest.param("out.csv.gz", pd.read_csv, id="out.csv.gz writes gzipped CSV"),
        pytest.param(
            "out.jsonl.gz", lambda p: pd.read_json(p, lines=True), id="out.jsonl.gz writes gzipped JSONL"
        ),
    ],
)
def test_tsv_and_gzip_outputs(pages, tmp_path, name, load):
    out = tmp_path / name
    assert main(["score", str(pages), "-o", str(out)]) == 0
    if name.endswith(".gz"):
        assert out.read_bytes()[:2] == b"\x1f\x8b"
    assert load(out)["id"].tolist() == sorted(STORIES)


def test_an_output_name_of_unknown_format_is_a_usage_error(pages, tmp_path, capsys):
    assert main(["score", str(pages), "-o", str(tmp_path / "out.xlsx")]) == 2
    assert "cannot tell the output format of" in capsys.readouterr().err
    assert not (tmp_path / "out.xlsx").exists()


def test_output_into_an_input_folder_is_not_read_back(pages, capsys):
    out = pages / "scores.jsonl"
    for _ in range(2):  # the second run finds the first run's output in the folder
        assert main(["score", str(pages), "-o", str(out)]) == 0
        assert [r["id"] for r in _jsonl_rows(out.read_text())] == sorted(STORIES)
    assert [p.name for p in pages.iterdir() if p.name.endswith(".partial")] == []


def test_an_output_that_is_an_input_is_refused_and_left_alone(tmp_path, capsys):
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "1", "title": "A headline", "body": "Text."}) + "\n", encoding="utf-8")
    before = path.read_bytes()
    assert main(["score", str(path), "-o", str(path)]) == 2
    assert "is also an input" in capsys.readouterr().err
    assert path.read_bytes() == before


def test_an_output_in_a_missing_folder_fails_before_scoring(pages, tmp_path, capsys, monkeypatch):
    import quality.engine

    def never(*args, **kwargs):
        raise AssertionError("scored before checking the output")

    monkeypatch.setattr(quality.engine, "score_records", never)
    assert main(["score", str(pages), "-o", str(tmp_path / "nodir" / "out.parquet")]) == 2
    assert "nodir" in capsys.readouterr().err


@pytest.mark.parametrize(
    "failure", [RuntimeError("cluster lost"), KeyboardInterrupt()], ids=["crash", "Ctrl-C"]
)
@pytest.mark.parametrize("name", ["scores.parquet", "scores.csv"])
def test_a_run_that_fails_leaves_the_previous_output_untouched(
    pages, tmp_path, capsys, monkeypatch, failure, name
):
    import quality.engine

    out = tmp_path / name
    out.write_bytes(b"yesterday's scores")
    real = quality.engine.score_records

    def failing(records, *args, **kwargs):
        for i, result in enumerate(real(records, *args, **kwargs)):
            if i == 2:
                raise failure
            yield result

    monkeypatch.setattr(quality.engine, "score_records", failing)
    code = main(["score", str(pages), "-o", str(out)])
    assert code == (130 if isinstance(failure, KeyboardInterrupt) else 3)
    assert out.read_bytes() == b"yesterday's scores"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []
    err = capsys.readouterr().err
    assert ("interrupted" if code == 130 else "cluster lost") in err


def test_sigterm_removes_the_partial_output_and_keeps_the_old(pages, tmp_path, monkeypatch):
    import os
    import signal

    import quality.engine

    out = tmp_path / "scores.jsonl"
    out.write_text("yesterday's scores\n")
    real = quality.engine.score_records

    def stopped(records, *args, **kwargs):
        for i, result in enumerate(real(records, *args, **kwargs)):
            if i == 1:
                os.kill(os.getpid(), signal.SIGTERM)  # a scheduler stopping the job
            yield result

    monkeypatch.setattr(quality.engine, "score_records", stopped)
    with pytest.raises(SystemExit) as exc:
        main(["score", str(pages), "-o", str(out)])
    assert exc.value.code == 128 + signal.SIGTERM
    assert out.read_text() == "yesterday's scores\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pages", "scores.jsonl"]
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # restored


def test_an_output_symlink_is_written_through_and_keeps_its_permissions(pages, tmp_path):
    real = tmp_path / "real" / "scores.jsonl"
    real.parent.mkdir()
    real.write_text("old\n")
    real.chmod(0o640)
    link = tmp_path / "latest.jsonl"
    link.symlink_to(real)
    assert main(["score", str(pages), "-o", str(link)]) == 0
    assert link.is_symlink() and len(real.read_text().splitlines()) == len(STORIES)
    assert real.stat().st_mode & 0o777 == 0o640


def test_an_output_fifo_is_written_in_place(pages, tmp_path):
    import os
    import threading

    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()))
    reader.start()
    assert main(["score", str(pages), "-o", str(fifo)]) == 0
    reader.join(timeout=30)
    assert fifo.is_fifo()
    assert [r["id"] for r in _jsonl_rows(received[0])] == sorted(STORIES)


def test_dash_as_output_is_standard_output(pages, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["score", str(pages), "-o", "-", "--format", "csv"]) == 0
    assert pd.read_csv(io.StringIO(capsys.readouterr().out))["id"].tolist() == sorted(STORIES)
    assert not (tmp_path / "-").exists()


def test_tsv_output_is_one_line_per_row_with_escaped_tabs_and_newlines(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"id": "tab\there", "title": "A headline", "body": "Text."})
        + "\n"
        + json.dumps({"id": "line\nbreak", "title": "Another", "body": "More."})
        + "\n"
    )
    out = tmp_path / "out.tsv"
    assert main(["score", str(src), "-o", str(out)]) == 0
    lines = out.read_text().splitlines()
    assert len(lines) == 3 and len({line.count("\t") for line in lines}) == 1
    assert [line.split("\t")[0] for line in lines] == ["id", "tab\\there", "line\\nbreak"]


def test_format_csv_writes_csv_to_stdout(pages, capsys):
    assert main(["score", str(pages), "--format", "csv"]) == 0
    frame = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert frame["id"].tolist() == sorted(STORIES)
    assert ROW_KEYS <= set(frame.columns)


def test_parquet_to_stdout_is_a_usage_error(pages, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["score", str(pages), "--format", "parquet"])
    assert exc.value.code == 2
    assert "needs -o OUT.parquet" in capsys.readouterr().err


def test_explain_adds_contributions_that_add_up_to_the_logit(pages, capsys):
    assert main(["score", str(pages), "--explain"]) == 0
    rows = _jsonl_rows(capsys.readouterr().out)
    assert len(rows) == len(STORIES)
    for row in rows:
        contributions = [v for k, v in row.items() if k.startswith("contribution.")]
        assert contributions
        p = row["reliability"]
        assert row["intercept"] + sum(contributions) == pytest.approx(math.log(p / (1 - p)), abs=1e-4)
        assert isinstance(row["evidence"], list)
    assert any(row["evidence"] for row in rows)


def test_bad_jsonl_line_gives_an_error_row_and_exit_code_1(tmp_path, capsys):
    path = tmp_path / "crawl.jsonl"
    lines = [json.dumps({"id": "a", "title": "Flood closes schools", "body": "Twelve schools closed."})] * 2
    lines.insert(1, '{"id": "b", "title": ')
    lines.append(json.dumps({"id": "d", "title": "Storm hits coast", "body": "Winds rose."}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["score", str(path)]) == 1
    captured = capsys.readouterr()
    rows = _jsonl_rows(captured.out)
    assert len(rows) == 4
    errors = [r for r in rows if r["error"]]
    assert len(errors) == 1
    assert errors[0]["id"] == "crawl.jsonl:2"
    assert "not valid JSON" in errors[0]["error"]
    assert errors[0]["stage"] == "read"
    assert [r["reliability"] is not None for r in rows] == [True, False, True, True]
    assert "1 of 4 records could not be scored" in captured.err


def test_dash_reads_jsonl_from_stdin(monkeypatch, capsys):
    records = [
        {"id": "s1", "title": "Flood closes schools", "body": "Twelve closed."},
        {"id": "s2", "title": "Storm hits coast", "body": "Winds rose."},
    ]
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(json.dumps(r) + "\n" for r in records)))
    assert main(["score", "-"]) == 0
    assert [r["id"] for r in _jsonl_rows(capsys.readouterr().out)] == ["s1", "s2"]


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param([], id="to stdout"),
        pytest.param(["--format", "csv"], id="as CSV to stdout"),
        pytest.param(["-o", "OUT"], id="to a file"),
    ],
)
def test_missing_input_is_a_usage_error_that_writes_nothing(pages, tmp_path, capsys, extra):
    out = tmp_path / "scores.parquet"
    argv = [
        "score",
        str(pages),
        str(tmp_path / "nowhere.jsonl"),
        *(str(out) if a == "OUT" else a for a in extra),
    ]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert "no such file or folder" in captured.err and "nowhere.jsonl" in captured.err
    assert captured.out == ""
    assert not out.exists()


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["--help"], id="quality --help"),
        pytest.param(["score", "--help"], id="quality score --help"),
        pytest.param(["explain", "--help"], id="quality explain --help"),
        pytest.param(["train", "--help"], id="quality train --help"),
        pytest.param(["evaluate", "--help"], id="quality evaluate --help"),
    ],
)
def test_help_exits_0_and_shows_an_example(capsys, argv):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "example" in out
    assert "  quality " in out  # an example command line, indented under the heading


def test_version_is_printed(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"quality {quality.__version__}"


def test_explain_prints_label_reasons_and_evidence(seeds, seed_reports, capsys):
    report = seed_reports["004"]
    assert main(["explain", seeds["004"].path, "--evidence", "3"]) == 0
    out = capsys.readouterr().out
    assert f"{report.id}: {report.label.upper()} (reliability {report.reliability:.3f})" in out
    for reason in report.reasons:
        assert f"    - {reason}" in out
    assert "  evidence:" in out
    evidence_lines = [line for line in out.splitlines() if line.startswith("    [")]
    assert len(evidence_lines) == 3
    assert f"… {len(report.evidence) - 3} more (use --evidence N)" in out


def test_evaluate_prints_a_table_with_auc(corpora, capsys):
    data = corpora / "articles" / "fakenewsnet_buzzfeed.jsonl"
    assert main(["evaluate", "--data", str(data), "--limit", "40"]) == 0
    header, *rows = capsys.readouterr().out.splitlines()
    assert header.split() == ["data", "set", "rows", "AUC", "F1", "Brier", "ECE"]
    table = {row.split()[0]: row.split()[1:] for row in rows}
    assert table["fakenewsnet_buzzfeed"][0] == "40"
    assert 0.0 <= float(table["fakenewsnet_buzzfeed"][1]) <= 1.0


@pytest.fixture
def tampered_model(tmp_path) -> Path:
    shipped = default_model_path()
    target = tmp_path / "reliability"
    for suffix in (".skops", ".json"):
        shutil.copy(shipped.with_suffix(suffix), target.with_suffix(suffix))
    with target.with_suffix(".skops").open("ab") as fh:
        fh.write(b"\0")
    return target


def test_tampered_model_is_refused_with_exit_code_2(tampered_model, pages, capsys):
    assert main(["score", "--model", str(tampered_model), str(pages)]) == 2
    captured = capsys.readouterr()
    assert "SHA-256" in captured.err
    assert captured.out == ""


def test_missing_model_is_refused_with_exit_code_2(tmp_path, pages, capsys):
    assert main(["score", "--model", str(tmp_path / "nomodel"), str(pages)]) == 2
    assert "no model artifact" in capsys.readouterr().err


def test_explain_reports_bad_records_and_exits_1(tmp_path, capsys):
    data = tmp_path / "mixed.jsonl"
    data.write_text(
        '{"id": "ok", "title": "Flood closes schools", "body": "Twelve closed, officials said."}\n{broken\n'
    )
    assert main(["explain", str(data)]) == 1
    captured = capsys.readouterr()
    assert "ok: " in captured.out and "mixed.jsonl:2: ERROR (read)" in captured.out
    assert "1 of 2 records could not be explained" in captured.err


@pytest.mark.slow
def test_score_on_a_local_dask_cluster_matches_in_process(pages, capsys):
    pytest.importorskip("distributed", reason="Dask is an optional extra: pip install 'quality[dask]'")
    assert main(["score", str(pages)]) == 0
    alone = _jsonl_rows(capsys.readouterr().out)
    assert main(["score", str(pages), "--scheduler", "local", "-j", "1"]) == 0
    assert _jsonl_rows(capsys.readouterr().out) == alone


def test_explain_says_which_flagged_signals_the_model_does_not_count(tmp_path, model, capsys):
    """Unattributed figures raise the unsupported-claims signal to 1, while the shipped model
    gives that family almost no weight: the explanation must say so rather than list it as a
    reason (or say nothing)."""
    from quality.report import MIN_EFFECT, group_contributions, unweighted_signals

    body = (
        "The storm killed 45 people in Dover on Monday. Floods destroyed 300 homes in Hull. "
        "Insurance losses reached 2 billion pounds. About 12,000 residents lost power in Leeds."
    )
    page = tmp_path / "storm.txt"
    page.write_text(f"Storm hits coast\n{body}\n", encoding="utf-8")
    (article,) = list(quality.read(page))
    report = quality.score(article, model=model)
    grouped = group_contributions(report.contributions)
    assert report.signals["unsupported_claims"] >= 0.5
    assert abs(grouped["unsupported_claims"]) < MIN_EFFECT
    listed = unweighted_signals(report)
    assert [line.split(":", 1)[0] for line in listed] == ["Unsupported claims"]
    assert "'The storm killed 45 people in Dover on Monday.'" in listed[0]
    assert not any(r.startswith("Unsupported") for r in report.reasons)

    assert main(["explain", str(page)]) == 0
    out = capsys.readouterr().out
    assert "  flagged, but barely counted (in training it added little to the other signals):" in out
    for line in listed:
        assert f"    - {line}" in out


def test_an_empty_folder_or_file_is_said_on_stderr(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty.jsonl").write_text("")
    for inputs in (["empty"], ["empty.jsonl"]):
        assert main(["score", *(str(tmp_path / i) for i in inputs)]) == 0
        captured = capsys.readouterr()
        assert captured.out == ""
        assert f"quality: no records in {tmp_path / inputs[0]}" in captured.err


def test_a_binary_file_is_an_error_row_not_an_article(tmp_path, capsys):
    (tmp_path / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "wide.txt").write_bytes("Headline\nBody text here.".encode("utf-16"))
    assert main(["score", str(tmp_path)]) == 1
    rows = {r["id"]: r for r in _jsonl_rows(capsys.readouterr().out)}
    assert "is a binary file (it holds NUL bytes), not text" in rows["photo"]["error"]
    assert not rows["wide"].get("error") and rows["wide"]["reliability"] > 0


# --- hostile input: pipes, limits (issue 15) ---------------------------------------------------


@pytest.mark.skipif(shutil.which("bash") is None, reason="process substitution needs bash")
@pytest.mark.slow
def test_process_substitution_gives_every_record(tmp_path):
    # The file-type sniff used to read and drop the start of the pipe: 0 rows for 3 records.
    records = [
        {"id": f"p{i}", "title": f"Storm number {i} hits", "body": "Winds rose, the agency said."}
        for i in range(3)
    ]
    (tmp_path / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    quality_bin = str(Path(sys.executable).with_name("quality"))
    done = subprocess.run(
        ["bash", "-c", f"{quality_bin} score <(cat a.jsonl) -o o.jsonl"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert [r["id"] for r in _jsonl_rows((tmp_path / "o.jsonl").read_text())] == ["p0", "p1", "p2"]


def test_a_record_over_max_record_bytes_is_scored_cut_and_flagged(tmp_path, capsys):
    path = tmp_path / "big.jsonl"
    body = "Winds reached 120 km/h on Monday, the weather agency said. " * 200
    path.write_text(
        json.dumps({"id": "big", "title": "Storm hits the coast", "body": body})
        + "\n"
        + json.dumps({"id": "small", "title": "Bridge opens", "body": "It cost 12 million, the city said."})
        + "\n"
    )
    assert main(["score", str(path), "--max-record-bytes", "4K"]) == 0
    big, small = _jsonl_rows(capsys.readouterr().out)
    assert big["id"] == "big" and big["reliability"] is not None
    assert (
        big["warning"].startswith("truncated: line 1 is ") and "record limit of 4096 bytes" in big["warning"]
    )
    assert small["warning"] is None


@pytest.mark.parametrize("value", ["0", "lots", "-5"])
def test_a_bad_limit_is_a_usage_error(tmp_path, capsys, value):
    with pytest.raises(SystemExit) as exit_:
        main(["score", str(tmp_path), "--max-record-bytes", value])
    assert exit_.value.code == 2
    assert "--max-record-bytes" in capsys.readouterr().err


def test_a_gzip_bomb_is_one_error_row_naming_how_far_it_was_read(tmp_path, capsys):
    import gzip

    path = tmp_path / "bomb.txt.gz"
    path.write_bytes(gzip.compress(b"Storm hits the coast\n" + b"Winds rose. " * 200_000))
    assert main(["score", str(path), "--max-input-bytes", "1M"]) == 1
    (row,) = _jsonl_rows(capsys.readouterr().out)
    assert row["id"] == "bomb.txt.gz:1"
    assert "stopped after 1048576 bytes of decompressed data" in row["error"]


def test_repeated_ids_across_files_and_folders_come_out_unique_with_a_warning(tmp_path, capsys, caplog):
    for day in ("d1", "d2"):
        (tmp_path / day).mkdir()
        (tmp_path / day / "crawl.jsonl").write_text(
            json.dumps({"id": "r0", "title": "Storm hits the coast", "body": "Winds rose, the agency said."})
            + "\n"
        )
    (tmp_path / "d2" / "rows.csv").write_text(
        "id,title,body\n7,Storm hits the coast,Winds rose.\n7,Bridge opens,It cost more.\n"
    )
    assert main(["score", str(tmp_path)]) == 0
    rows = _jsonl_rows(capsys.readouterr().out)
    assert [r["id"] for r in rows] == ["r0", "r0#2", "7", "7#2"]
    assert "repeated id: 'r0' was already written" in rows[1]["warning"]
    assert "2 row(s) had an id already written" in caplog.text


def test_a_second_run_on_the_same_output_is_refused_with_a_clear_message(pages, tmp_path, capsys):
    from quality.io.writers import open_writer

    out = tmp_path / "scores.jsonl"
    out.write_text("the previous run's rows\n")
    with open_writer("jsonl", out, []):  # a run writing it now
        assert main(["score", str(pages), "-o", str(out)]) == 2
        assert out.read_text() == "the previous run's rows\n"
    err = capsys.readouterr().err
    assert f"quality: another run is writing {str(out)!r}" in err and "write to another -o" in err
