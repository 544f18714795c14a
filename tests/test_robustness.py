"""Bad input costs one error row, never the batch; odd text gives sane signals."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import quality
from quality.article import Article, RecordError
from quality.cli import main
from quality.doc import make_doc
from quality.io.readers import iter_records
from quality.signals import clickbait, sourcing, typos


def test_deeply_nested_json_is_one_error_row(tmp_path):
    path = tmp_path / "deep.jsonl"
    path.write_text('{"id": "a", "title": "Fine", "body": "Fine text."}\n' + "[" * 100000 + "\n")
    out = list(iter_records(path))
    assert [type(o).__name__ for o in out] == ["Article", "RecordError"]
    assert "nested too deeply" in out[1].error


def test_an_unclosed_csv_quote_is_an_error_row_not_lost_rows(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text('id,title,body\n1,Fine,Body one\n2,"Broken,Body two\n3,Fine,Body three\n')
    out = list(iter_records(path))
    assert [type(o).__name__ for o in out] == ["Article", "RecordError", "Article"]
    assert "'q.csv' row 3: unexpected end of data" in out[1].error
    assert (out[0].id, out[2].id, out[2].body) == ("1", "3", "Body three")


def test_a_stray_quote_closed_rows_later_costs_only_its_own_row(tmp_path):
    """The quote opened in row 2 closes inside row 4's quoted body: rows 3 to 5 still come out,
    and row 4's legitimate two-line body stays whole."""
    path = tmp_path / "e.csv"
    path.write_text(
        'id,title,body\n1,Storm hits,Winds rose.\n2,"bad quote,x\n3,Ok,Fine\n4,Also,"Fine\nand more"\n5,More,Fine\n'
    )
    out = list(iter_records(path))
    assert [type(o).__name__ for o in out] == ["Article", "RecordError", "Article", "Article", "Article"]
    assert [o.id for o in out] == ["1", "e.csv:3", "3", "4", "5"]
    assert out[3].body == "Fine\nand more"


def test_lone_surrogates_are_written_escaped_in_every_format(tmp_path, capsys):
    path = tmp_path / "s.jsonl"
    path.write_text(
        json.dumps(
            {"id": "bad\ud800id", "title": "Storm \ud800 hits", "body": "Winds rose, the agency said."}
        )
        + "\n"
        + json.dumps(
            {"id": "ok", "title": "Bridge opens", "body": "It cost 12 million euros, the city said."}
        )
        + "\n"
    )
    for suffix in ("jsonl", "csv", "parquet"):
        out = tmp_path / f"out.{suffix}"
        assert main(["score", str(path), "-o", str(out), "--explain"]) == 0
        if suffix == "parquet":
            assert len(pd.read_parquet(out)) == 2
        else:
            assert "ok" in out.read_text(encoding="utf-8") and "\\ud800" in out.read_text(encoding="utf-8")


def test_an_output_path_that_is_a_folder_is_a_usage_error(tmp_path, capsys):
    path = tmp_path / "a.txt"
    path.write_text("Flood closes schools\nTwelve schools closed, officials said.")
    assert main(["score", str(path), "-o", str(tmp_path)]) == 2
    assert "quality:" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("title", "second_person"),
    [("U.S. troops leave Syria", 0.0), ("Is Your Pension Safe?", 1.0)],
    ids=["U.S. is not 'you'", "Your is"],
)
def test_second_person(title, second_person):
    counts, _ = clickbait.headline_features(title)
    assert counts["clickbait.second_person"] == second_person


def test_generic_plurals_are_not_named_sources():
    r = sourcing.analyse(make_doc(Article("T", "Sources said the deal was close. Officials said more.")))
    assert r.features["sourcing.named_sources"] == 0


@pytest.mark.parametrize(
    "body",
    [
        "We met at the café near the station.",
        "THE HIT SHOW AND ALL ITS STARS ARE BACK",
        "Москва и Киев подписали соглашение.",
    ],
    ids=["accented word", "shouted short words", "another script"],
)
def test_no_typos_in_correct_text(body):
    assert typos.analyse(make_doc(Article("T", body))).evidence == ()


def test_sentences_split_before_accented_and_cyrillic_capitals():
    doc = make_doc(Article("T", "Le maire a parlé. Élise a répondu. Он ушёл. Мы остались."))
    assert len(doc.body.sentences) == 4


@pytest.mark.parametrize(
    ("body", "sentences"),
    [
        ("It began in World War I. The war ended in 1918.", 2),
        ("They chose Plan B. It failed.", 2),
        ("Rates rose in the U.S. The Fed said so.", 2),
        ("Shares of Acme Inc. The company fell.", 2),
        ("John F. Kennedy spoke. Dr. The Hague is not a name.", 2),
        ("The U.S. Army and Mr. Smith met J. A. Jones. Then they left.", 2),
        ("Sen. Warren spoke at 9 a.m. Officials listened.", 2),
    ],
    ids=["roman numeral", "single letter", "U.S.", "Inc.", "initial and title", "no break", "a.m."],
)
def test_sentences_end_after_an_abbreviation_when_a_sentence_starts(body, sentences):
    assert len(make_doc(Article("T", body)).body.sentences) == sentences


# --- issue 15, the smaller cases -----------------------------------------------------------------


def _bad_quotes(path, rows: int):
    path.write_text("id,title,body\n" + "".join(f'{i},"bad quote {i},body\n' for i in range(rows)))
    return path


class _CountingFile:
    """A real file that counts the bytes read from it (what reading it costs, without timing)."""

    def __init__(self, fh):
        self._fh, self.read_bytes = fh, 0

    def _counted(self, data):
        self.read_bytes += len(data) if isinstance(data, bytes | bytearray) else data or 0
        return data

    def read(self, *a):
        return self._counted(self._fh.read(*a))

    def read1(self, *a):
        return self._counted(self._fh.read1(*a))

    def readline(self, *a):
        return self._counted(self._fh.readline(*a))

    def readinto(self, b):
        return self._counted(self._fh.readinto(b))

    def __getattr__(self, name):
        return getattr(self._fh, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._fh.close()


def _bytes_read(path, monkeypatch) -> int:
    from quality.io import readers

    opened: list[_CountingFile] = []

    def counting_open(file, mode="r", *args, **kwargs):
        fh = _CountingFile(open(file, mode, *args, **kwargs))
        opened.append(fh)
        return fh

    monkeypatch.setattr(readers, "open", counting_open, raising=False)
    try:
        assert sum(isinstance(i, RecordError) for i in iter_records(path)) > 0
    finally:
        monkeypatch.undo()
    return sum(f.read_bytes for f in opened)


def test_csv_recovery_from_bad_quotes_reads_the_file_once(tmp_path, monkeypatch):
    # Each bad row used to reopen the file and skip to where it was: 16k rows took 76 s to read
    # (quadratic). Counted in bytes read, not seconds: the whole file, once.
    path = _bad_quotes(tmp_path / "l.csv", 16000)
    size = path.stat().st_size
    read = _bytes_read(path, monkeypatch)
    assert size <= read <= 2 * size, f"read {read / size:.1f} times the file's {size} bytes"
    assert [type(i).__name__ for i in iter_records(_bad_quotes(tmp_path / "t.csv", 3))] == ["RecordError"] * 3


def test_a_one_line_txt_is_body_not_title(tmp_path):
    path = tmp_path / "one.txt"
    path.write_text("A storm closed twelve schools on Monday, the education office said.")
    (article,) = iter_records(path)
    assert (article.title, article.body) == (
        "",
        "A storm closed twelve schools on Monday, the education office said.",
    )


@pytest.mark.parametrize(
    ("offset", "limit"),
    [(100_000, None), (5_000, 1_000)],
    ids=["NUL after the first 64 KiB", "NUL past the record limit"],
)
def test_nul_bytes_anywhere_in_a_txt_mark_it_binary(tmp_path, offset, limit):
    path = tmp_path / "nul.txt"
    text = b"Storm hits the coast\n" + b"Winds rose. " * (offset // 12)
    path.write_bytes(text + b"\x00\x00binary tail")
    kwargs = {"max_record_bytes": limit} if limit else {}
    (error,) = iter_records(path, **kwargs)
    assert isinstance(error, RecordError) and "is a binary file (it holds NUL bytes)" in error.error


def test_explain_escapes_control_characters_of_titles_and_ids(tmp_path, capsys):
    path = tmp_path / "esc.jsonl"
    path.write_text(
        json.dumps(
            {
                "id": "x\x1b[31mRED\x1b]0;pwned\x07",
                "title": "Title \x1b[2J cleared",
                "body": "Winds rose, the agency said.",
            }
        )
        + "\n"
        + json.dumps({"id": "bad\x1b[2J", "title": 5, "body": "x"})
        + "\n"
    )
    assert main(["explain", str(path)]) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "x\\x1b[31mRED\\x1b]0;pwned\\x07: " in out and "headline: Title \\x1b[2J cleared" in out
    assert "bad\\x1b[2J: ERROR (read)" in out


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: quality.score("Storm hits\nWinds rose.", model=123),
            "model must be a Model, a path to one .* got int",
        ),
        (lambda: quality.read(None), "read expects a path or a list of paths .* got NoneType"),
        (lambda: quality.read(["a.jsonl", 7]), "read expects paths as str or os.PathLike, got int"),
        (lambda: quality.score_many([], model=b"m"), "model must be a Model, .* got bytes"),
    ],
    ids=[
        "score with model=123",
        "read(None)",
        "read of a list holding a number",
        "score_many with bytes as model",
    ],
)
def test_wrong_types_are_clear_type_errors(call, message):
    with pytest.raises(TypeError, match=message):
        call()
