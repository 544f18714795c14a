"""The state of a resumable batch: its fingerprint, its rows read back (issue 13, part 3)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

import quality
from quality.io.resume import differences, fingerprint, recover, state_paths
from quality.io.writers import open_writer
from quality.signals import FEATURE_NAMES

ROWS = [
    {"id": "a", "label": "reliable", "error": None},
    {"id": "b", "label": None, "error": "quality: cannot read 'crawl.jsonl' line 2: not valid JSON"},
    {"id": "a#2", "label": "out_of_scope", "error": None},
]


def _lines(rows: list[dict]) -> bytes:
    return b"".join(json.dumps(r).encode() + b"\n" for r in rows)


@pytest.mark.parametrize(
    "torn",
    [
        pytest.param(b"", id="whole rows"),
        pytest.param(b'{"id": "c", "label": "unrel', id="a row cut off"),
        pytest.param(b'{"id": "c", "label": "unreliable", "error": null}', id="a row without its line break"),
    ],
)
def test_the_rows_read_back_are_the_whole_ones_and_a_torn_last_one_is_cut_off(tmp_path, torn):
    path = tmp_path / ".out.csv.resume.jsonl"
    path.write_bytes(_lines(ROWS) + torn)
    found = recover(path)
    assert found.ids == ["a", "b", "a#2"]
    assert (found.errors, dict(found.labels), found.discarded) == (
        1,
        {"reliable": 1, "out_of_scope": 1},
        len(torn),
    )
    assert path.read_bytes() == _lines(ROWS)


@pytest.mark.parametrize(
    "line", [pytest.param(b"not json\n", id="not JSON"), pytest.param(b'["a"]\n', id="not a row")]
)
def test_a_whole_line_that_is_no_row_is_refused(tmp_path, line):
    path = tmp_path / "rows.jsonl"
    path.write_bytes(_lines(ROWS[:1]) + line + _lines(ROWS[1:]))
    with pytest.raises(ValueError, match=r"line 2 is not a row of quality score; run without --resume"):
        recover(path)


def test_the_fingerprint_holds_each_input_by_content(tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text('{"title": "T", "body": "B"}\n')
    b.write_text('{"title": "T", "body": "C"}\n')
    before = fingerprint([a, b], {"explain": False})
    assert [i["bytes"] for i in before["inputs"]] == [28, 28]
    assert differences(before, fingerprint([a, b], {"explain": False})) == []
    b.write_text('{"title": "T", "body": "D"}\n')  # same size, same name
    assert differences(before, fingerprint([a, b], {"explain": False})) == [
        f"input {str(b)!r} changed (same size)"
    ]
    assert differences(fingerprint([a, b], {}), fingerprint([b, a], {})) == [
        "the inputs are read in another order"
    ]
    assert differences(before, fingerprint([a], {"explain": False})) == [f"input {str(b)!r} is gone"]


def test_a_file_that_cannot_be_read_is_held_as_such(tmp_path):
    gone = tmp_path / "gone.jsonl"
    assert fingerprint([gone], {})["inputs"] == [{"path": str(gone), "bytes": None, "sha256": None}]


@pytest.fixture(scope="module")
def items(model) -> list:
    texts = ["Storm hits coast\nWinds reached 120 km/h on Monday, the weather agency said."] * 3
    return list(quality.score_many([{"id": "x", "title": t.split("\n")[0], "body": t} for t in texts], model))


def test_a_writer_resumes_only_on_the_records_its_rows_came_from(tmp_path, items):
    target = tmp_path / "out.csv"
    state = {"inputs": [], "options": {}}
    with pytest.raises(KeyboardInterrupt), open_writer("csv", target, FEATURE_NAMES, resume=state) as writer:
        writer.write(items[0])
        writer.write(items[1])  # the same id: written as x#2
        raise KeyboardInterrupt
    with open_writer("csv", target, FEATURE_NAMES, resume=state) as writer:
        assert (writer.resumed, writer.count) == (2, 2)
        writer.skip(iter(items))  # x, x -> x, x#2, as written
        writer.write(items[2])
    with target.open(newline="") as fh:
        assert [r["id"] for r in csv.DictReader(fh)] == ["x", "x#2", "x#3"]
    assert not any(p.exists() for p in state_paths(target))

    target = tmp_path / "other.jsonl"
    with (
        pytest.raises(KeyboardInterrupt),
        open_writer("jsonl", target, FEATURE_NAMES, resume=state) as writer,
    ):
        writer.write(items[0])
        raise KeyboardInterrupt
    other = quality.RecordError("crawl.jsonl:1", "not valid JSON", "read")
    with pytest.raises(ValueError, match=r"record 1 of the inputs is 'crawl.jsonl:1', but its row is 'x'"):
        with open_writer("jsonl", target, FEATURE_NAMES, resume=state) as writer:
            writer.skip(iter([other]))
    assert all(p.exists() for p in state_paths(Path(target)))  # kept for a run on the right input


@pytest.mark.parametrize(
    ("text", "said"),
    [
        pytest.param(
            '{"schema": 99, "inputs": []}', r"is not one this version writes \(schema 99", id="another schema"
        ),
        pytest.param('{"schema": 1, "inp', "cannot read the resume state", id="not JSON"),
    ],
)
def test_a_state_this_version_did_not_write_is_refused(tmp_path, text, said):
    target = tmp_path / "out.jsonl"
    state, rows = state_paths(target)
    state.write_text(text)
    rows.write_text("")
    with pytest.raises(ValueError, match=said), open_writer("jsonl", target, FEATURE_NAMES, resume={}):
        pass
    assert state.read_text() == text and not target.exists()
