"""Batch runs: the summary line, -v/-q anywhere, a progress bar with a total, workers that
load the model themselves."""

from __future__ import annotations

import json
import logging
import re
import shutil
from pathlib import Path

import pytest

from quality.cli import _log_level, build_parser, main
from quality.engine import score_records
from quality.io.readers import ReadProgress, input_files, iter_records
from quality.model import ModelError, default_model_path, model_paths
from tests import resources as R

SUMMARY = re.compile(
    r"^quality: (\d+) rows? in [\d.]+ s \([\d.]+ articles/s\): (\d+) reliable, (\d+) uncertain, "
    r"(\d+) unreliable, (\d+) out_of_scope, (\d+) error rows?$",
    re.M,
)


@pytest.fixture
def crawl(tmp_path) -> Path:
    """Three articles and one line that is not JSON."""
    path = tmp_path / "crawl.jsonl"
    records = [
        {"id": "a", "title": R.NEWS_TITLES[1], "body": R.SOURCED},
        {"id": "b", "title": R.CLICKBAIT_TITLES[0], "body": R.UNSOURCED},
        {"id": "c", "title": R.NEWS_TITLES[2], "body": R.TIGHT},
    ]
    lines = [json.dumps(records[0]), json.dumps(records[1]), "{not json", json.dumps(records[2])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_batch_ends_with_a_summary_line(crawl, tmp_path, capsys):
    assert main(["score", str(crawl), "-o", str(tmp_path / "out.jsonl")]) == 1
    err = capsys.readouterr().err
    (match,) = SUMMARY.finditer(err)
    rows, *labels, errors = map(int, match.groups())
    assert (rows, errors, sum(labels)) == (4, 1, 3)
    rows_written = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    for name, count in zip(("reliable", "uncertain", "unreliable", "out_of_scope"), labels, strict=True):
        assert count == sum(r["label"] == name for r in rows_written), name


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["-q", "score", "{crawl}"], id="-q before the command"),
        pytest.param(["score", "{crawl}", "-q"], id="-q after the command"),
        pytest.param(["score", "--quiet", "{crawl}"], id="--quiet among the options"),
    ],
)
def test_quiet_leaves_out_the_summary_wherever_it_stands(crawl, capsys, argv):
    assert main([a.format(crawl=crawl) for a in argv]) == 1
    err = capsys.readouterr().err
    assert not SUMMARY.search(err)
    assert "1 of 4 records could not be scored" in err  # errors are still said


@pytest.mark.parametrize(
    ("argv", "level"),
    [
        pytest.param(["score", "x.jsonl"], logging.WARNING, id="neither: warnings"),
        pytest.param(["-v", "score", "x.jsonl"], logging.INFO, id="-v before the command"),
        pytest.param(["score", "x.jsonl", "-v"], logging.INFO, id="-v after the inputs"),
        pytest.param(["explain", "-v", "x.txt"], logging.INFO, id="-v for explain"),
        pytest.param(["-v", "score", "x.jsonl", "-v"], logging.DEBUG, id="-v twice, either side: debug"),
        pytest.param(["score", "-vv", "x.jsonl"], logging.DEBUG, id="-vv"),
        pytest.param(["report", "s.jsonl", "--html", "r.html", "-q"], logging.ERROR, id="-q for report"),
    ],
)
def test_verbosity_is_read_anywhere_on_the_command_line(argv, level):
    parser = build_parser()
    assert _log_level(parser, parser.parse_args(argv)) == level


def test_quiet_and_verbose_together_is_a_usage_error(crawl, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["score", str(crawl), "-q", "-v"])
    assert stop.value.code == 2
    assert "cannot go together" in capsys.readouterr().err


def _final_bar(err: str) -> str:
    return [part for part in re.split(r"[\r\n]", err) if "%|" in part][-1]


def test_the_progress_bar_of_jsonl_counts_its_bytes(crawl, tmp_path, capsys):
    main(["score", str(crawl), "--progress", "-o", str(tmp_path / "out.jsonl")])
    bar = _final_bar(capsys.readouterr().err)
    size = crawl.stat().st_size
    assert bar.startswith("100%") and f"{size}/{size}" in bar.replace(".00", ""), bar


def test_the_progress_bar_of_text_files_counts_articles(tmp_path, capsys):
    folder = tmp_path / "pages"
    folder.mkdir()
    for i in range(3):
        (folder / f"p{i}.txt").write_text(f"{R.NEWS_TITLES[i]}\n{R.SOURCED}", encoding="utf-8")
    main(["score", str(folder), "--progress", "-o", str(tmp_path / "out.jsonl")])
    bar = _final_bar(capsys.readouterr().err)
    assert bar.startswith("100%") and "3/3" in bar, bar


def test_the_progress_bar_of_standard_input_has_no_total(crawl, tmp_path, capsys, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(crawl.read_bytes()), encoding="utf-8"))
    main(["score", "-", "--progress", "-o", str(tmp_path / "out.jsonl")])
    err = capsys.readouterr().err
    assert "%|" not in err  # no total, so no percentage and no bar
    assert re.search(r"(^|\r)4article ", err), err  # a count of the rows written


def test_reading_progress_moves_with_every_jsonl_line(tmp_path):
    path = tmp_path / "many.jsonl"
    path.write_text(
        "".join(json.dumps({"id": str(i), "title": "T", "body": "b" * (50 + i)}) + "\n" for i in range(200)),
        encoding="utf-8",
    )
    progress = ReadProgress()
    positions = [progress.position() for _ in iter_records([path], progress=progress)]
    assert positions == sorted(set(positions))  # one step per article, never back
    assert positions[-1] == path.stat().st_size and progress.position() == path.stat().st_size


def test_input_files_are_the_files_read_in_order_or_none_for_a_stream(tmp_path):
    (tmp_path / "b").mkdir()
    for name in ("b/2.txt", "b/1.jsonl", "a.csv", ".hidden.txt"):
        (tmp_path / name).write_text("x")
    assert [p.relative_to(tmp_path).as_posix() for p in input_files(tmp_path)] == [
        "a.csv",
        "b/1.jsonl",
        "b/2.txt",
    ]
    assert input_files([tmp_path / "a.csv", "-"]) is None


@pytest.mark.slow
def test_workers_load_the_model_and_say_why_they_cannot(tmp_path):
    """With -j 2 this process only checks the card and the SHA-256; a model that passes them but
    cannot be read is refused by the workers with the loader's own message, not a broken pool."""
    import hashlib

    artifact, card = model_paths(default_model_path())
    bad = tmp_path / "bad"
    shutil.copy(card, bad.with_suffix(".json"))
    broken = bad.with_suffix(artifact.suffix)
    broken.write_bytes(b"this is no model")
    data = json.loads(bad.with_suffix(".json").read_text())
    data["sha256"] = hashlib.sha256(broken.read_bytes()).hexdigest()
    bad.with_suffix(".json").write_text(json.dumps(data))
    records = [{"id": "a", "title": "T", "body": R.SOURCED}]
    with pytest.raises(ModelError, match="cannot be read"):
        list(score_records(records, bad, jobs=2))
    broken.write_bytes(b"altered after its card was written")
    with pytest.raises(ModelError, match="does not match its card"):  # said here, before any worker
        list(score_records(records, bad, jobs=2))
