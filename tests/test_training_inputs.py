"""Bad labeled data and bad arguments for `quality train` / `quality evaluate`: a clear error
naming the file, line and reason (exit code 2) before any work, never a traceback."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import quality
from quality.cli import main
from quality.model import default_model_path
from quality.training import evaluate, load_labeled

PAIRS = Path(__file__).resolve().parent.parent / "labeled" / "headlines.csv"
BODY = "The council voted on Tuesday, the mayor said. {} residents attended the meeting in the hall."


def _articles(n: int, label: str, start: int = 0) -> list[dict]:
    return [
        {"title": f"Council meets on budget {i}", "body": BODY.format(i), "label": label}
        for i in range(start, start + n)
    ]


def _jsonl(path: Path, rows: list) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _train(tmp_path: Path, *data: Path, extra: tuple[str, ...] = ()) -> int:
    return main(
        ["train", "--data", *map(str, data), "--headlines", str(PAIRS), "-o", str(tmp_path / "m"), *extra]
    )


GOOD = json.dumps({"title": "T", "body": "B", "label": 1})


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (f'{GOOD}\n{{"title": "t", "body": "b"}}\n'.encode(), "line 2: no label"),
        (f"{GOOD}\n[1, 2, 3]\n".encode(), "line 2: a record must be a JSON object, not list"),
        (
            f'{GOOD}\n{{"title": 5, "body": "b", "label": 0}}\n'.encode(),
            "line 2: title and body must be strings",
        ),
        (f'{GOOD}\n{{"title": "t", "body": ["b"], "label": 0}}\n'.encode(), "line 2: title and body must be"),
        (f'{GOOD}\n{{"title": "t", "body": "b", "label": [1]}}\n'.encode(), "line 2: label [1] is not"),
        (f"{GOOD}\n{{not json\n".encode(), "line 2: not valid JSON"),
    ],
    ids=["no label", "not an object", "title not a string", "body a list", "label a list", "broken JSON"],
)
def test_a_bad_article_row_is_a_usage_error_naming_file_and_line(tmp_path, capsys, content, message):
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(content)
    assert _train(tmp_path, bad) == 2
    err = capsys.readouterr().err
    assert f"'bad.jsonl' {message}" in err, err
    assert "Traceback" not in err
    assert not (tmp_path / "m.skops").exists()


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([], "no labeled articles"),
        (
            _articles(2, "reliable") + _articles(1, "unreliable", 2),
            "cannot hold out 20% of each data set and label",
        ),
        (_articles(30, "reliable"), "has the label 1; a model needs reliable and unreliable ones"),
    ],
    ids=["empty file", "too few rows", "one label"],
)
def test_data_that_cannot_be_split_is_a_usage_error(tmp_path, capsys, rows, message):
    data = _jsonl(tmp_path / "few.jsonl", rows)
    assert _train(tmp_path, data) == 2
    assert message in capsys.readouterr().err


def test_a_byte_order_mark_and_float_labels_are_read(tmp_path):
    path = tmp_path / "bom.jsonl"
    rows = [{"title": "A", "body": "b", "label": 1.0}, {"title": "B", "body": "c", "label": 0.0}]
    path.write_bytes(b"\xef\xbb\xbf" + "".join(json.dumps(r) + "\n" for r in rows).encode())
    assert load_labeled([path]).y.tolist() == [1, 0]


def test_a_cp1252_byte_in_labeled_jsonl_is_read_as_the_scorer_reads_it(tmp_path):
    path = tmp_path / "export.jsonl"
    path.write_bytes(GOOD.encode() + b"\n" + b'{"title": "caf\xe9", "body": "b", "label": 0}\n')
    data = load_labeled([path])
    assert [a.title for a in data.articles] == [a.title for a in quality.read(path)] == ["T", "café"]


def test_repeated_articles_are_kept_once_and_conflicting_ones_dropped(tmp_path, caplog):
    """Copies on both sides of a split would inflate the held-out figures."""
    first = _articles(4, "reliable") + [{"title": "Same", "body": "Text  here.", "label": 1}]
    second = [
        {"title": "Council meets on budget 0", "body": BODY.format(0), "label": "reliable"},  # repeat
        {"title": "Same", "body": "Text here.", "label": 0},  # conflicts (whitespace aside)
        {"title": "  ", "body": "", "label": 0},  # empty: skipped
        *_articles(3, "unreliable", 10),
    ]
    data = load_labeled([_jsonl(tmp_path / "a.jsonl", first), _jsonl(tmp_path / "b.jsonl", second)])
    assert len(data.y) == 4 + 3
    a, b = data.files
    assert (a["rows"], a["repeats_dropped"], a["conflicting_labels_dropped"]) == (4, 0, 1)
    assert (b["rows"], b["repeats_dropped"], b["conflicting_labels_dropped"]) == (3, 1, 1)
    assert b["empty_rows_skipped"] == 1
    assert "b.jsonl: dropped 1 repeated article(s) and 1 whose copies disagree" in caplog.text


def test_files_of_the_same_name_are_refused(tmp_path, capsys):
    for folder in ("d1", "d2"):
        (tmp_path / folder).mkdir()
        _jsonl(tmp_path / folder / "same.jsonl", _articles(5, "reliable") + _articles(5, "unreliable", 5))
    assert _train(tmp_path, tmp_path / "d1" / "same.jsonl", tmp_path / "d2" / "same.jsonl") == 2
    assert "share the name 'same'" in capsys.readouterr().err


@pytest.mark.slow
def test_a_data_set_of_one_label_is_trained_on_but_not_left_out(tmp_path, capsys):
    """Leaving out an all-unreliable file has no AUC; the comparison skips it, training goes on."""
    mixed_a = _jsonl(tmp_path / "mixed_a.jsonl", _articles(20, "reliable") + _articles(20, "unreliable", 20))
    mixed_b = _jsonl(
        tmp_path / "mixed_b.jsonl", _articles(20, "reliable", 40) + _articles(20, "unreliable", 60)
    )
    fakes = _jsonl(tmp_path / "fakes.jsonl", _articles(20, "unreliable", 80))
    assert _train(tmp_path, mixed_a, mixed_b, fakes) == 0
    card = json.loads((tmp_path / "m.json").read_text())
    lodo = card["metrics"]["leave_one_dataset_out"]
    assert lodo["fakes"] == {"skipped": "the held-out rows hold a single label"}
    assert lodo["mean_left_out"]["paired_bootstrap"]["sets"] == 2
    assert {f["path"] for f in card["training_data"]["articles"]} == {
        "mixed_a.jsonl",
        "mixed_b.jsonl",
        "fakes.jsonl",
    }


@pytest.fixture(scope="module")
def trained_without_comparison(tmp_path_factory) -> Path:
    """A model trained once with --no-compare on 40 articles, alone in its folder: ``out/m``."""
    tmp = tmp_path_factory.mktemp("no_compare")
    data = _jsonl(tmp / "d.jsonl", _articles(20, "reliable") + _articles(20, "unreliable", 20))
    out = tmp / "out"
    out.mkdir()
    assert (
        main(["train", "--data", str(data), "--headlines", str(PAIRS), "--no-compare", "-o", str(out / "m")])
        == 0
    )
    return out / "m"


def test_no_compare_skips_the_leave_one_out_comparison(trained_without_comparison):
    card = json.loads(trained_without_comparison.with_suffix(".json").read_text())
    assert card["metrics"]["leave_one_dataset_out"] is None


@pytest.mark.parametrize(
    "argv",
    [
        ["train", "--data", "d", "--headlines", "h", "-o", "m", "--test-size", "1.5"],
        ["train", "--data", "d", "--headlines", "h", "-o", "m", "--test-size", "0"],
        ["train", "--data", "d", "--headlines", "h", "-o", "m", "--seed", "-1"],
        ["train", "--data", "d", "--headlines", "h", "-o", "m", "--limit", "0"],
        ["evaluate", "--data", "d", "--limit", "-5"],
        ["explain", "x.txt", "--evidence", "-3"],
    ],
    ids=[
        "test size above 1",
        "test size 0",
        "negative seed",
        "limit 0",
        "negative limit",
        "negative evidence",
    ],
)
def test_out_of_range_arguments_are_usage_errors(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert "error: argument" in capsys.readouterr().err


def test_an_output_path_that_cannot_be_written_fails_before_training(tmp_path, capsys):
    data = _jsonl(tmp_path / "d.jsonl", _articles(20, "reliable") + _articles(20, "unreliable", 20))
    (tmp_path / "folder").mkdir()
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")
    for output, message in (
        (f"{tmp_path / 'folder'}/", "is a folder"),
        (str(blocker / "m"), "cannot create"),
    ):
        code = main(["train", "--data", str(data), "--headlines", "missing.csv", "-o", output])
        assert code == 2  # the headline file is missing too: the output was checked first
        assert message in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker", "d.jsonl", "folder"]


def test_saving_leaves_only_the_artifact_and_its_cards(trained_without_comparison):
    out = trained_without_comparison.parent
    assert sorted(p.name for p in out.iterdir()) == ["m.json", "m.md", "m.skops"]
    assert quality.load_model(trained_without_comparison).card["training_data"]["articles"][0]["rows"] == 40


def test_held_out_figures_only_for_the_files_the_model_trained_on(model, corpora, tmp_path):
    """The split depends on every file and their order; anything else is not held out."""
    articles = corpora / "articles"
    files = sorted(articles.glob("*.jsonl"))
    with pytest.raises(ValueError, match="needs exactly the files model 'reliability' was trained on"):
        evaluate(model, [files[2]], held_out=True)  # one of them: its split differs
    with pytest.raises(ValueError, match="in the same order"):
        evaluate(model, list(reversed(files)), held_out=True)
    other = _jsonl(tmp_path / "perez_rosas.jsonl", _articles(5, "reliable") + _articles(5, "unreliable", 5))
    with pytest.raises(ValueError, match="checked by SHA-256"):
        evaluate(model, [files[0], files[1], other], held_out=True)


def test_evaluating_on_training_files_without_held_out_warns(model, corpora, caplog):
    evaluate(model, [corpora / "articles" / "fakenewsnet_buzzfeed.jsonl"], limit=20)
    assert "these figures include its training rows; use --held-out" in caplog.text


@pytest.mark.parametrize(
    ("card", "message"),
    [
        (b"\xff\xfe not utf-8", "is not valid UTF-8 JSON"),
        (b"[1, 2]", "is not a JSON object"),
    ],
    ids=["not UTF-8", "an array"],
)
def test_a_malformed_card_is_refused(tmp_path, capsys, card, message):
    target = tmp_path / "m"
    shutil.copy(default_model_path().with_suffix(".skops"), target.with_suffix(".skops"))
    target.with_suffix(".json").write_bytes(card)
    assert main(["explain", "--model", str(target), str(tmp_path / "x.txt")]) == 2
    assert message in capsys.readouterr().err


def test_a_truncated_artifact_vouched_for_by_its_card_is_refused(tmp_path, capsys):
    from quality._files import file_sha256

    target = tmp_path / "m"
    data = default_model_path().with_suffix(".skops").read_bytes()
    target.with_suffix(".skops").write_bytes(data[: len(data) // 2])
    card = json.loads(default_model_path().with_suffix(".json").read_text())
    card["sha256"] = file_sha256(target.with_suffix(".skops"))
    target.with_suffix(".json").write_text(json.dumps(card))
    assert main(["explain", "--model", str(target), str(tmp_path / "x.txt")]) == 2
    assert "cannot be read" in capsys.readouterr().err


def test_a_card_without_a_split_has_no_held_out_rows(tmp_path, corpora, capsys):
    target = tmp_path / "m"
    shutil.copy(default_model_path().with_suffix(".skops"), target.with_suffix(".skops"))
    card = json.loads(default_model_path().with_suffix(".json").read_text())
    del card["training_data"]["split"]["seed"]
    target.with_suffix(".json").write_text(json.dumps(card))
    code = main(["evaluate", "--model", str(target), "--data", str(corpora / "articles"), "--held-out"])
    assert code == 2
    assert "records no split" in capsys.readouterr().err


def test_labeled_csv_tsv_and_parquet_read_like_jsonl(tmp_path):
    import pandas as pd

    rows = _articles(3, "reliable") + _articles(3, "unreliable", 3)
    expected = load_labeled([_jsonl(tmp_path / "j.jsonl", rows)])
    # A labeling tool's export: other column names, upper case, numeric labels, an id column.
    frame = pd.DataFrame(rows).rename(columns={"title": "Headline", "body": "text"})
    frame["label"] = [1, 1, 1, 0, 0, 0]
    frame.insert(0, "id", range(6))
    (tmp_path / "csv").mkdir()
    frame.to_csv(tmp_path / "csv" / "c.csv", index=False)
    frame.to_csv(tmp_path / "csv" / "t.tsv", sep="\t", index=False)
    frame.to_parquet(tmp_path / "csv" / "p.parquet")
    data = load_labeled([tmp_path / "csv"])
    # The same articles; the Parquet and TSV copies of the CSV's are repeats, kept once.
    assert data.datasets.tolist() == ["c"] * 6
    assert [(a.title, a.body) for a in data.articles] == [(a.title, a.body) for a in expected.articles]
    assert data.y.tolist() == expected.y.tolist()
    assert [a.id for a in data.articles] == [str(i) for i in range(6)]
    assert [(f["path"], f["rows"], f["repeats_dropped"]) for f in data.files] == [
        ("c.csv", 6, 0),
        ("p.parquet", 0, 6),
        ("t.tsv", 0, 6),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        # Rows are numbered as `quality score` numbers them: the header is row 1.
        ("title,body,label\nA b,c,1\nD e,f,maybe\n", "'bad.csv' row 3: label 'maybe' is not"),
        ("title,body,label\nA b,c,1\nD e,f,\n", "'bad.csv' row 3: no label"),
        ("title,body,label,Title\nA b,c,1,x\n", "'bad.csv': its header has more than one 'title' column"),
        ("title,title,body,label\nA b,x,c,1\n", "'bad.csv': its header has more than one 'title' column"),
        ("Label,title,body,label\n1,A b,c,1\n", "'bad.csv': its header has more than one 'label' column"),
        ("title,body,verdict\nA b,c,1\n", "'bad.csv' has no 'label' column"),
        ("title,body,label\nA b,c,1\nD e,f,0,extra\n", "'bad.csv' row 3: 1 more fields than the header"),
    ],
    ids=[
        "a bad label",
        "a missing label",
        "two title columns",
        "one title column twice",
        "two label columns",
        "no label column",
        "a row longer than the header",
    ],
)
def test_a_bad_labeled_csv_row_names_its_row(tmp_path, capsys, content, message):
    bad = tmp_path / "bad.csv"
    bad.write_text(content, encoding="utf-8")
    assert _train(tmp_path, bad) == 2
    assert message in capsys.readouterr().err


def test_a_labeled_csv_header_is_read_like_the_scorer_reads_it(tmp_path):
    # Upper case and spaces around names, as spreadsheets export them; cp1252 text.
    path = tmp_path / "export.csv"
    path.write_bytes(
        "Headline, text , Label\nCafé closes,The café closed on Monday.,reliable\nB c,d,0\n".encode("cp1252")
    )
    data = load_labeled([path])
    assert [(a.title, a.body) for a in data.articles] == [
        ("Café closes", "The café closed on Monday."),
        ("B c", "d"),
    ]
    assert data.y.tolist() == [1, 0]


def test_gzipped_labeled_files_read_as_the_files_they_hold(tmp_path):
    import gzip

    import pandas as pd

    from quality._files import file_sha256

    rows = _articles(3, "reliable") + _articles(3, "unreliable", 3)
    plain = _jsonl(tmp_path / "j.jsonl", rows)
    expected = load_labeled([plain])
    folder = tmp_path / "gz"
    folder.mkdir()
    (folder / "j.jsonl.gz").write_bytes(gzip.compress(plain.read_bytes()))
    with gzip.open(folder / "c.csv.gz", "wt", encoding="utf-8", newline="") as fh:
        pd.DataFrame(rows).to_csv(fh, index=False)
    data = load_labeled([folder])
    # The same articles; the JSONL copy of the CSV's is a repeat, kept once. A data set is
    # named without its type and the .gz; the card's hash is that of the file on disk.
    assert [(a.title, a.body) for a in data.articles] == [(a.title, a.body) for a in expected.articles]
    assert data.y.tolist() == expected.y.tolist()
    assert data.datasets.tolist() == ["c"] * 6
    assert [(f["path"], f["rows"], f["repeats_dropped"], f["sha256"]) for f in data.files] == [
        ("c.csv.gz", 6, 0, file_sha256(folder / "c.csv.gz")),
        ("j.jsonl.gz", 0, 6, file_sha256(folder / "j.jsonl.gz")),
    ]
    with pytest.raises(ValueError, match="share the name 'j'"):
        load_labeled([plain, folder / "j.jsonl.gz"])


def test_a_truncated_gzipped_labeled_file_is_refused_naming_it(tmp_path):
    import gzip

    rows = [{"title": f"Headline {i}", "body": "Text. " * 200, "label": i % 2} for i in range(50)]
    whole = gzip.compress("".join(json.dumps(r) + "\n" for r in rows).encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(ValueError, match=r"cannot read 'cut.jsonl.gz' after \d+ record\(s\)"):
        load_labeled([path])
