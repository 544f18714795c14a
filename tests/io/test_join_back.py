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


# Records that give error rows, each with what joins it back: a null title and body (read
# stage), and in JSON Lines a title that is a number (read stage) and a blank one (parse stage,
# after the record was made an Article); in CSV a row with a cell more than the header.
BAD = [
    {
        "id": "b1",
        "crawl_id": "c-19",
        "lang_hint": "en",
        "url": "https://news.example.org/empty",
        "title": None,
        "body": None,
        "outlet": "Example News",
    },
]
BAD_JSONL = [
    {"id": "b2", "crawl_id": "c-20", "url": "https://news.example.org/n", "title": 5, "body": "Words."},
    {
        "id": "b3",
        "crawl_id": "c-21",
        "lang_hint": "de",
        "url": "https://news.example.org/blank",
        "title": " ",
        "body": " \n ",
        "outlet": "Blank Times",
    },
]
# (id, crawl_id, lang_hint, url, title, source) of each error row.
EXPECTED = {
    "jsonl": [
        ("b1", "c-19", "en", "https://news.example.org/empty", None, "Example News"),
        ("b2", "c-20", None, "https://news.example.org/n", None, None),
        ("b3", "c-21", "de", "https://news.example.org/blank", None, "Blank Times"),
    ],
    "csv": [
        ("b1", "c-19", "en", "https://news.example.org/empty", None, "Example News"),
        # The cells after the first text column may be shifted by the stray comma: not read.
        ("b4", "c-22", "fr", "https://news.example.org/comma", None, None),
    ],
    "parquet": [("b1", "c-19", "en", "https://news.example.org/empty", None, "Example News")],
}


def _write_bad_input(folder: Path, fmt: str) -> Path:
    """A real file of the good `RECORDS` with bad ones among them."""
    rows = [RECORDS[0], *BAD, RECORDS[1]]
    path = folder / f"crawl.{fmt}"
    if fmt == "jsonl":
        rows += BAD_JSONL
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    elif fmt == "csv":
        names = ["id", "crawl_id", "lang_hint", "url", "title", "body", "outlet"]
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=names)
            writer.writeheader()
            writer.writerows(rows)
            # An unquoted comma in the body: one cell more than the header.
            fh.write(
                'b4,c-22,fr,https://news.example.org/comma,"Markets, again",Shares fell, then rose,Comma Post\r\n'
            )
    else:
        pq.write_table(pa.Table.from_pylist(rows), path)
    return path


def _error_rows(rows: pd.DataFrame) -> list[tuple]:
    bad = rows[rows["error"].notna()]
    columns = ["id", "crawl_id", "lang_hint", "url", "title", "source"]
    return [tuple(None if pd.isna(v) else v for v in row) for row in bad[columns].itertuples(index=False)]


@pytest.mark.parametrize("out_fmt", OUTPUTS)
@pytest.mark.parametrize("in_fmt", INPUTS)
def test_error_rows_carry_url_title_source_and_kept_fields(tmp_path, in_fmt, out_fmt, capsys):
    source = _write_bad_input(tmp_path, in_fmt)
    out = tmp_path / f"scores.{out_fmt}"
    assert main(["score", str(source), "--keep", "crawl_id", "lang_hint", "-o", str(out)]) == 1
    rows = _read_output(out)
    assert list(rows.columns[:6]) == ["id", "crawl_id", "lang_hint", "url", "title", "source"]
    assert _error_rows(rows) == EXPECTED[in_fmt]
    assert rows[rows["error"].isna()]["id"].tolist() == ["a1", "a2"]
    assert set(rows[rows["error"].notna()]["stage"]) <= {"read", "parse"}
    assert f"{len(EXPECTED[in_fmt])} of {len(rows)} records could not be scored" in capsys.readouterr().err


@pytest.mark.slow
def test_error_rows_made_on_dask_workers_carry_the_join_back_fields(tmp_path):
    """The blank record fails on a worker of a real LocalCluster (its parse stage); the null
    one in the reader: both rows join back, and match the rows scored in this process."""
    pytest.importorskip("distributed", reason="Dask is an optional extra: pip install 'quality[dask]'")
    source = _write_bad_input(tmp_path, "jsonl")
    alone, dask = tmp_path / "alone.parquet", tmp_path / "dask.parquet"
    keep = ["--keep", "crawl_id", "lang_hint"]
    assert main(["score", str(source), *keep, "-o", str(alone)]) == 1
    assert main(["score", str(source), *keep, "--scheduler", "local", "-j", "1", "-o", str(dask)]) == 1
    assert _error_rows(_read_output(dask)) == EXPECTED["jsonl"]
    assert _read_output(dask).equals(_read_output(alone))


def test_an_html_page_without_an_article_keeps_its_url_and_title(tmp_path, capsys):
    pytest.importorskip(
        "trafilatura", reason="reading HTML is an optional extra: pip install 'quality[html]'"
    )
    page = tmp_path / "paywall.html"
    page.write_text(
        '<html><head><title>Council votes on the bridge</title><meta property="og:url" '
        'content="https://gazette.example.com/bridge"></head><body><article><h1>Council votes on the '
        "bridge</h1><p>Subscribe to continue reading.</p></article></body></html>",
        encoding="utf-8",
    )
    out = tmp_path / "scores.csv"
    assert main(["score", str(page), "-o", str(out)]) == 1
    (row,) = _read_output(out).to_dict("records")
    assert "no article text found" in row["error"]
    assert (row["id"], row["url"], row["title"]) == (
        "paywall",
        "https://gazette.example.com/bridge",
        "Council votes on the bridge",
    )


def test_score_frame_error_rows_keep_url_title_and_source(model):
    frame = pd.DataFrame(
        [
            {"title": "Blank body", "body": None, "url": "https://x.example/1", "site": "X"},
            {"title": "  ", "body": " ", "url": "https://x.example/2", "site": "Y"},
        ]
    )
    out = quality.score_frame(frame, model=model)
    assert out["error"].notna().tolist() == [False, True]
    url, title, source, stage = out.loc[1, ["url", "title", "source", "stage"]]
    assert (url, source, stage) == ("https://x.example/2", "Y", "parse") and pd.isna(title)


def test_score_frame_has_the_columns_of_the_cli(model):
    from quality.io.writers import columns

    frame = pd.DataFrame({"title": ["Storm hits coast"], "body": [R.SOURCED]})
    for explain in (False, True):
        out = quality.score_frame(frame, model=model, explain=explain)
        assert list(out.columns) == columns(model.feature_names, explain)


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
