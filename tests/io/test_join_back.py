"""Rows join back to their input: url, title, source and the --keep fields, in every format."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import quality
from quality.batch_report import report_from_row
from quality.cli import main
from tests import resources as R

RECORDS = [
    {
        "id": "a1",
        "crawl_id": "c-17",
        "lang_hint": "en",
        "url": "https://news.example.org/budget",
        "title": "City approves 2027 budget",
        "body": R.SOURCED,
        "outlet": "Example News",  # read as source
    },
    {
        "id": "a2",
        "crawl_id": "c-18",
        "url": "https://blog.example.com/shock",
        "title": R.CLICKBAIT_TITLES[1],
        "body": R.UNSOURCED,
    },  # no lang_hint, no source
]


def _write_input(folder: Path, fmt: str) -> Path:
    path = folder / f"crawl.{fmt}"
    if fmt == "jsonl":
        path.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    elif fmt == "csv":
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(RECORDS[0]))
            writer.writeheader()
            writer.writerows(RECORDS)
    else:
        pq.write_table(pa.Table.from_pylist(RECORDS), path)
    return path


def _read_output(path: Path) -> pd.DataFrame:
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    if path.suffix == ".csv":
        return pd.read_csv(path, keep_default_na=False, na_values=[""])
    if path.suffix == ".tsv":
        return pd.read_csv(path, sep="\t", keep_default_na=False, na_values=[""])
    return pd.DataFrame([json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()])


INPUTS = [pytest.param(f, id=f"{f} input") for f in ("jsonl", "csv", "parquet")]
OUTPUTS = [pytest.param(f, id=f"{f} output") for f in ("jsonl", "csv", "tsv", "parquet")]


@pytest.mark.parametrize("out_fmt", OUTPUTS)
@pytest.mark.parametrize("in_fmt", INPUTS)
def test_rows_carry_url_title_source_and_kept_fields(tmp_path, in_fmt, out_fmt):
    source = _write_input(tmp_path, in_fmt)
    out = tmp_path / f"scores.{out_fmt}"
    assert main(["score", str(source), "--keep", "crawl_id", "lang_hint", "-o", str(out)]) == 0
    rows = _read_output(out)
    assert list(rows.columns[:6]) == ["id", "crawl_id", "lang_hint", "url", "title", "source"]
    joined = pd.DataFrame(RECORDS).merge(rows, on="id", suffixes=("_in", ""))
    assert len(joined) == len(RECORDS)
    assert joined["url"].tolist() == joined["url_in"].tolist()
    assert joined["title"].tolist() == joined["title_in"].tolist()
    assert joined["crawl_id"].tolist() == joined["crawl_id_in"].tolist()
    assert rows["source"].tolist()[0] == "Example News"
    assert rows["lang_hint"].tolist()[0] == "en"
    assert pd.isna(rows["source"].tolist()[1]) and pd.isna(rows["lang_hint"].tolist()[1])


@pytest.mark.parametrize(
    ("out_fmt", "is_list"),
    [
        pytest.param("jsonl", True, id="JSONL: a list"),
        pytest.param("parquet", True, id="Parquet: a list"),
        pytest.param("csv", False, id="CSV: one joined string"),
        pytest.param("tsv", False, id="TSV: one joined string"),
    ],
)
def test_reasons_are_a_list_where_the_format_has_lists(tmp_path, out_fmt, is_list):
    source = _write_input(tmp_path, "jsonl")
    out = tmp_path / f"scores.{out_fmt}"
    assert main(["score", str(source), "-o", str(out)]) == 0
    reasons = _read_output(out)["reasons"].tolist()
    report = quality.score(RECORDS[1])
    assert report.reasons, "the clickbait record should have reasons"
    if is_list:
        assert [list(r) for r in reasons][1] == list(report.reasons[:3])
    else:
        assert reasons[1] == " | ".join(report.reasons[:3])


def test_parquet_columns_are_typed(tmp_path):
    source = _write_input(tmp_path, "jsonl")
    out = tmp_path / "scores.parquet"
    assert main(["score", str(source), "--keep", "crawl_id", "-o", str(out)]) == 0
    schema = pq.read_schema(out)
    assert schema.field("reasons").type == pa.list_(pa.string())
    assert schema.field("words").type == pa.int64()
    for name in (
        "crawl_id",
        "url",
        "title",
        "source",
        "language",
        "out_of_scope",
        "error",
        "stage",
        "warning",
    ):
        assert schema.field(name).type == pa.string(), name


def test_a_kept_field_of_any_json_type_is_kept(tmp_path, capsys):
    path = tmp_path / "crawl.jsonl"
    record = {"id": "x", "title": "T", "body": "Some words.", "n": 3, "tags": ["a", "b"]}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert main(["score", str(path), "--keep", "n", "tags"]) == 0
    (row,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert (row["n"], row["tags"]) == (3, ["a", "b"])
    out = tmp_path / "scores.csv"
    assert main(["score", str(path), "--keep", "n", "tags", "-o", str(out)]) == 0
    (cells,) = list(csv.DictReader(out.open(encoding="utf-8")))
    assert (cells["n"], json.loads(cells["tags"])) == ("3", ["a", "b"])


@pytest.mark.parametrize("name", ["label", "reliability", "id", "url", "evidence"])
def test_keeping_a_name_the_output_already_has_is_a_usage_error(tmp_path, capsys, name):
    source = _write_input(tmp_path, "jsonl")
    with pytest.raises(SystemExit) as stop:
        main(["score", str(source), "--keep", name])
    assert stop.value.code == 2
    assert f"cannot keep {name!r}" in capsys.readouterr().err


def test_error_rows_keep_every_column(tmp_path, capsys):
    path = tmp_path / "crawl.jsonl"
    path.write_text(json.dumps(RECORDS[0]) + "\n{not json\n", encoding="utf-8")
    assert main(["score", str(path), "--keep", "crawl_id"]) == 1
    good, bad = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert list(good) == list(bad)
    assert bad["id"] == "crawl.jsonl:2" and bad["error"] and bad["crawl_id"] is None


def test_score_frame_text_columns_are_text_when_no_row_fails(model):
    frame = pd.DataFrame([{k: v for k, v in r.items() if k in ("title", "body", "url")} for r in RECORDS])
    out = quality.score_frame(frame, model=model)
    assert out["error"].isna().all()
    for name in ("error", "stage", "url", "title", "label", "language", "out_of_scope"):
        assert pd.api.types.is_string_dtype(out[name]) or out[name].dtype == object, name
        assert not pd.api.types.is_float_dtype(out[name]), name
    assert str(out["words"].dtype) == "Int64"
    assert out["url"].tolist() == [r["url"] for r in RECORDS]
    assert isinstance(out["reasons"].iloc[1], list)


def test_score_frame_of_no_rows_has_typed_columns(model):
    out = quality.score_frame(pd.DataFrame({"title": [], "body": []}), model=model)
    assert out["reliability"].dtype == "float64"
    assert not pd.api.types.is_float_dtype(out["error"])


def test_the_batch_report_reads_reasons_as_a_list_or_a_joined_string():
    base = {"id": "a", "reliability": 0.3, "label": "unreliable", "intercept": 0.0, "evidence": []}
    as_list = report_from_row({**base, "reasons": ["Weak sourcing: x", "Typos: y"]})
    as_text = report_from_row({**base, "reasons": "Weak sourcing: x | Typos: y"})
    assert as_list.reasons == as_text.reasons == ("Weak sourcing: x", "Typos: y")
