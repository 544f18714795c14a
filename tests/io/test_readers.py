"""Readers: every record becomes one Article or one RecordError, in input order."""

from __future__ import annotations

import codecs
import gzip
import io
import json
import logging
import os
import shutil
import tempfile
import threading
import traceback
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import quality
from quality.article import Article, RecordError
from quality.io.readers import decode, iter_records, raw_records

ACCENTED = "café – naïve"


def _jsonl(path: Path, *records: object) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _kinds(items: list[Article | RecordError]) -> list[str]:
    return [type(item).__name__ for item in items]


# --- JSONL -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        pytest.param(
            {"title": "Flood closes schools", "body": "Twelve schools shut."},
            {"title": "Flood closes schools", "body": "Twelve schools shut."},
            id="title and body are the headline and the body",
        ),
        pytest.param(
            {"headline": "Flood closes schools", "text": "Twelve schools shut."},
            {"title": "Flood closes schools", "body": "Twelve schools shut."},
            id="headline and text are read as title and body",
        ),
        pytest.param(
            {"Title": "  Flood closes schools ", "content": "Twelve schools shut."},
            {"title": "Flood closes schools", "body": "Twelve schools shut."},
            id="keys match in any case and the title is stripped",
        ),
        pytest.param(
            {
                "id": 17,
                "title": "A b",
                "body": "c",
                "url": "https://x.org/a",
                "published": "2024-05-01",
                "source": "X",
            },
            {"id": "17", "url": "https://x.org/a", "published": "2024-05-01", "source": "X"},
            id="id url published and source are kept as text",
        ),
        pytest.param(
            {"title": "A b", "body": "c", "date": "2024-05-01", "link": "https://x.org/a", "outlet": "X"},
            {"published": "2024-05-01", "url": "https://x.org/a", "source": "X"},
            id="date link and outlet are read as published url and source",
        ),
        pytest.param(
            {"title": "A b"},
            {"title": "A b", "body": "", "id": "crawl.jsonl:1", "url": None},
            id="a missing body is empty and a missing id is the file and line",
        ),
    ],
)
def test_jsonl_fields_are_mapped(tmp_path, record, expected):
    (article,) = list(iter_records(_jsonl(tmp_path / "crawl.jsonl", record)))
    assert isinstance(article, Article)
    assert {k: getattr(article, k) for k in expected} == expected
    assert article.path == str(tmp_path / "crawl.jsonl")


def test_jsonl_blank_lines_are_skipped_and_ids_keep_line_numbers(tmp_path):
    path = tmp_path / "crawl.jsonl"
    path.write_text(
        '\n{"title": "A b", "body": "c"}\n   \n{"title": "D e", "body": "f"}\n\n', encoding="utf-8"
    )
    assert [a.id for a in iter_records(path)] == ["crawl.jsonl:2", "crawl.jsonl:4"]


def test_jsonl_bad_line_is_an_error_row_and_later_lines_are_read(tmp_path):
    path = _jsonl(
        tmp_path / "crawl.jsonl",
        {"id": "a", "title": "A b", "body": "c"},
        {"id": "b", "title": "D e", "body": "f"},
        '{"id": "c", "title": "broken',
        {"id": "d", "title": "G h", "body": "i"},
    )
    items = list(iter_records(path))
    assert _kinds(items) == ["Article", "Article", "RecordError", "Article"]
    error = items[2]
    assert error.id == "crawl.jsonl:3"
    assert error.stage == "read"
    assert "'crawl.jsonl' line 3" in error.error
    assert "not valid JSON" in error.error
    assert items[3].id == "d"


@pytest.mark.parametrize(
    ("record", "words"),
    [
        pytest.param(
            {"id": "x1", "summary": "s", "author": "a"},
            ["no title or body", "'author'", "'summary'"],
            id="no title or body names the keys found",
        ),
        pytest.param(
            {"id": "x1", "title": None, "body": None},
            ["title and body are both empty"],
            id="null title and body say so",
        ),
        pytest.param(
            {"id": "x1", "title": 42, "body": "b"},
            ["title is int", "expected text"],
            id="a number as title is refused",
        ),
        pytest.param(
            {"id": "x1", "title": "t", "body": ["p1", "p2"]}, ["body is list"], id="a list as body is refused"
        ),
    ],
)
def test_jsonl_unusable_record_is_an_error_naming_why(tmp_path, record, words):
    (error,) = list(iter_records(_jsonl(tmp_path / "crawl.jsonl", record)))
    assert isinstance(error, RecordError)
    assert error.id == "x1"
    assert "'crawl.jsonl' line 1" in error.error
    for word in words:
        assert word in error.error


def test_jsonl_line_that_is_not_an_object_is_an_error(tmp_path):
    (error,) = list(iter_records(_jsonl(tmp_path / "crawl.jsonl", "[1, 2]")))
    assert isinstance(error, RecordError)
    assert error.id == "crawl.jsonl:1"
    assert "expected a JSON object, got list" in error.error


def test_jsonl_cp1252_line_after_the_first_64_kib_is_decoded_and_later_lines_kept(tmp_path):
    lines = [
        json.dumps({"id": f"r{i}", "title": "Plain title", "body": "x" * 100}).encode() for i in range(1000)
    ]
    lines.append(
        json.dumps({"id": "accent", "title": ACCENTED, "body": "y"}, ensure_ascii=False).encode("cp1252")
    )
    lines.append(b'{"id": "last", "title": "After it", "body": "z"}')
    path = tmp_path / "crawl.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    items = list(iter_records(path))
    assert len(items) == 1002
    assert all(isinstance(item, Article) for item in items)
    assert (items[-2].title, items[-1].id) == (ACCENTED, "last")


# --- CSV and TSV -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("suffix", "sep"), [pytest.param(".csv", ",", id="CSV"), pytest.param(".tsv", "\t", id="TSV")]
)
def test_csv_columns_are_mapped(tmp_path, suffix, sep):
    path = tmp_path / f"news{suffix}"
    header = sep.join(["id", "headline", "text", "url", "date", "source"])
    row = sep.join(
        ["n1", "Flood closes schools", "Twelve schools shut.", "https://x.org/a", "2024-05-01", ""]
    )
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    (article,) = list(iter_records(path))
    assert (article.id, article.title, article.body) == ("n1", "Flood closes schools", "Twelve schools shut.")
    assert (article.url, article.published) == ("https://x.org/a", "2024-05-01")
    assert article.source is None  # an empty cell is "not given", not an empty name


def test_csv_quoted_newlines_stay_in_the_field(tmp_path):
    path = tmp_path / "news.csv"
    path.write_text(
        'title,body\n"Flood closes schools","Line one.\nLine two."\nNext story here,Body\n', encoding="utf-8"
    )
    items = list(iter_records(path))
    assert [a.body for a in items] == ["Line one.\nLine two.", "Body"]
    assert [a.id for a in items] == ["news.csv:2", "news.csv:3"]


def test_csv_row_with_extra_fields_is_an_error_and_later_rows_are_read(tmp_path):
    path = tmp_path / "news.csv"
    path.write_text("id,title,body\n1,A b,c\n2,D e,f,surplus\n3,G h,i\n", encoding="utf-8")
    items = list(iter_records(path))
    assert _kinds(items) == ["Article", "RecordError", "Article"]
    assert items[1].id == "2"
    assert "'news.csv' row 3: 1 more fields than the header" in items[1].error
    assert items[2].id == "3"


@pytest.mark.parametrize("key", ["article_id", "GUID", "uid"])
def test_a_csv_row_with_extra_fields_keeps_its_id_under_any_of_its_names(tmp_path, key):
    path = tmp_path / "news.csv"
    path.write_text(f"{key},title,body\nk1,A b,c\nk2,D e,f,surplus\n", encoding="utf-8")
    items = list(iter_records(path))
    assert _kinds(items) == ["Article", "RecordError"]
    assert [i.id for i in items] == ["k1", "k2"]


def test_csv_with_two_title_columns_is_one_error_not_a_guess(tmp_path):
    path = tmp_path / "news.csv"
    path.write_text("id,Title,body,title\n1,Old headline,Body,New headline\n", encoding="utf-8")
    (error,) = iter_records(path)
    assert isinstance(error, RecordError) and error.id == "news.csv:1"
    assert "more than one 'title' column" in error.error


def test_csv_header_names_are_read_without_surrounding_spaces(tmp_path):
    path = tmp_path / "news.csv"
    path.write_text("id, title, body\n1,A headline,The body.\n", encoding="utf-8")
    (item,) = iter_records(path)
    assert (item.id, item.title, item.body) == ("1", "A headline", "The body.")


@pytest.mark.parametrize(
    "encoding",
    [
        pytest.param("cp1252", id="cp1252 without a BOM"),
        pytest.param("utf-8-sig", id="UTF-8 with a BOM"),
        pytest.param("utf-16", id="UTF-16 with a BOM"),
        pytest.param("utf-32", id="UTF-32 with a BOM"),
    ],
)
def test_csv_encodings_decode(tmp_path, encoding):
    path = tmp_path / "news.csv"
    path.write_bytes(f"title,body\n{ACCENTED},Le café\n".encode(encoding))
    (article,) = list(iter_records(path))
    assert (article.title, article.body) == (ACCENTED, "Le café")


def test_csv_cp1252_file_ending_in_an_accented_letter_decodes(tmp_path):
    # A short file whose only non-ASCII byte sits at its very end is still cp1252, not cut UTF-8.
    path = tmp_path / "news.csv"
    path.write_bytes("title,body\nVisit Paris,Un café".encode("cp1252"))
    (article,) = list(iter_records(path))
    assert article.body == "Un café"


# --- Parquet ---------------------------------------------------------------------------------


def test_parquet_rows_are_read_in_order_with_their_ids(tmp_path):
    path = tmp_path / "news.parquet"
    frame = pd.DataFrame(
        {"id": ["z", "a", "m"], "title": ["T one", "T two", "T three"], "body": ["b1", "b2", "b3"]}
    )
    frame.to_parquet(path)
    items = list(iter_records(path))
    assert [(a.id, a.title, a.body) for a in items] == [
        ("z", "T one", "b1"),
        ("a", "T two", "b2"),
        ("m", "T three", "b3"),
    ]


def test_a_float_id_column_reads_as_the_integers_it_holds(tmp_path):
    # pandas stores integer ids with a gap as floats; they must join back to "7", as in score_frame.
    path = tmp_path / "news.parquet"
    pd.DataFrame({"id": [7.0, None], "title": ["T one", "T two"], "body": ["b1", "b2"]}).to_parquet(path)
    assert [a.id for a in iter_records(path)] == ["7", "news.parquet:2"]


def test_file_that_is_not_parquet_is_one_error(tmp_path):
    path = tmp_path / "news.parquet"
    path.write_text("id,title\n1,not parquet\n", encoding="utf-8")
    (error,) = list(iter_records(path))
    assert isinstance(error, RecordError)
    assert (error.id, error.stage) == ("news.parquet", "read")
    assert "not a Parquet file" in error.error


# --- plain text ------------------------------------------------------------------------------


def test_txt_headline_skips_site_chrome_and_the_body_keeps_it(tmp_path):
    path = tmp_path / "flood-story.txt"
    path.write_text(
        "Skip to content\nMenu\n\nFlood closes schools\nTwelve schools shut on Monday.\n", encoding="utf-8"
    )
    (article,) = list(iter_records(path))
    assert article.title == "Flood closes schools"
    assert article.id == "flood-story"
    assert "Skip to content" in article.body and "Menu" in article.body
    assert "Twelve schools shut on Monday." in article.body
    assert "Flood closes schools" not in article.body


@pytest.mark.parametrize(
    "encoding",
    [pytest.param("utf-16", id="UTF-16 with a BOM"), pytest.param("cp1252", id="cp1252 without a BOM")],
)
def test_txt_encodings_decode(tmp_path, encoding):
    path = tmp_path / "story.txt"
    path.write_bytes(f"{ACCENTED} headline\nA body about the café.\n".encode(encoding))
    (article,) = list(iter_records(path))
    assert article.title == f"{ACCENTED} headline"
    assert "café" in article.body


@pytest.mark.parametrize(
    "content", [pytest.param(b"", id="an empty file"), pytest.param(b"  \n\n ", id="a file of blanks")]
)
def test_empty_txt_is_an_error(tmp_path, content):
    path = tmp_path / "blank.txt"
    path.write_bytes(content)
    (error,) = list(iter_records(path))
    assert isinstance(error, RecordError)
    assert error.id == "blank"
    assert "is empty" in error.error


# --- HTML ------------------------------------------------------------------------------------

PARAGRAPHS = [
    "The city council voted on Tuesday to approve a new pedestrian bridge over the river. "
    "The vote passed by nine votes to two after a three-hour debate.",
    "Mayor Anna Lindqvist said the bridge would cut commuting times for thousands of residents. "
    "She added that construction should begin in the autumn and last about eighteen months.",
    "The project will cost an estimated 14 million euros, according to the planning department. "
    "Most of the money comes from a regional transport fund.",
    "Opponents argued that the money would be better spent on repairing existing roads. "
    "A petition against the bridge collected about 2,000 signatures last year.",
]
HEADLINE = "Council approves new bridge over the river"
PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{HEADLINE} | Riverside Gazette</title>
<meta property="og:url" content="https://gazette.example.com/2024/05/01/bridge-approved">
<meta property="article:published_time" content="2024-05-01">
<script>var trackingPixel = "load analytics now";</script>
</head>
<body>
<header><div class="logo">Riverside Gazette</div></header>
<nav><ul><li><a href="/">Home</a></li><li><a href="/politics">Politics</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<div class="ad">Buy cheap watches now, limited offer today only!</div>
<main><article>
<h1>{HEADLINE}</h1>
{"".join(f"<p>{p}</p>" for p in PARAGRAPHS)}
</article></main>
<footer><p>Copyright 2024. All rights reserved.</p></footer>
</body>
</html>
"""


def test_html_page_gives_headline_main_text_url_and_date(tmp_path):
    path = tmp_path / "bridge.html"
    path.write_text(PAGE, encoding="utf-8")
    (article,) = list(iter_records(path))
    assert isinstance(article, Article)
    assert article.id == "bridge"
    assert article.title == HEADLINE
    for paragraph in PARAGRAPHS:
        assert paragraph in article.body
    for chrome in (
        "Politics",
        "Sport",
        "trackingPixel",
        "cheap watches",
        "All rights reserved",
        "Riverside Gazette",
    ):
        assert chrome not in article.body
    assert not article.body.startswith(HEADLINE)  # the <h1> is the title, not the body's first line
    assert article.url == "https://gazette.example.com/2024/05/01/bridge-approved"
    assert article.published == "2024-05-01"


@pytest.mark.parametrize(
    "page",
    [
        pytest.param("", id="an empty file"),
        pytest.param("<html><head></head><body></body></html>", id="a page with no text"),
        pytest.param(
            "<html><head><title>Not Found</title></head><body><h1>Not Found</h1>"
            "<p>The requested URL was not found on this server.</p></body></html>",
            id="an error page",
        ),
        pytest.param(
            "<html><head><title>Subscribe to read</title></head><body><article><h1>Subscribe to read</h1>"
            "<p>Subscribe to continue reading.</p></article></body></html>",
            id="a paywall",
        ),
        pytest.param(
            "<html><head><title>Home</title></head><body><nav><a href='/'>Home</a> <a href='/news'>News</a>"
            "</nav><div class='cookie'>Cookie settings</div></body></html>",
            id="links and a cookie notice",
        ),
    ],
)
def test_html_without_text_is_an_error(tmp_path, page):
    path = tmp_path / "blank.html"
    path.write_text(page, encoding="utf-8")
    (error,) = list(iter_records(path))
    assert isinstance(error, RecordError)
    assert error.id == "blank"
    assert "no article text" in error.error


def test_an_article_in_a_script_without_spaces_is_not_taken_for_an_empty_page(tmp_path):
    sentence = "港口在风暴过后于周一重新开放，港务局表示，所有航线已经恢复正常运行。"
    path = tmp_path / "zh.html"
    path.write_text(
        "<html><head><title>港口重新开放</title></head><body><article><h1>港口重新开放</h1>"
        + "".join(f"<p>{sentence * 3}</p>" for _ in range(4))
        + "</article></body></html>",
        encoding="utf-8",
    )
    (article,) = iter_records(path)
    assert isinstance(article, Article) and sentence in article.body


# --- folders, several paths, stdin -----------------------------------------------------------


@pytest.fixture
def tree(tmp_path) -> Path:
    root = tmp_path / "pages"
    (root / "sub").mkdir(parents=True)
    (root / ".cache").mkdir()
    _jsonl(
        root / "a.jsonl", {"id": "a1", "title": "A b", "body": "c"}, {"id": "a2", "title": "D e", "body": "f"}
    )
    (root / "b.txt").write_text("Second story here\nBody.", encoding="utf-8")
    (root / "sub" / "c.txt").write_text("Third story here\nBody.", encoding="utf-8")
    (root / "notes.md").write_text("Not an article here\nBody.", encoding="utf-8")
    (root / ".hidden.txt").write_text("Hidden story here\nBody.", encoding="utf-8")
    (root / ".cache" / "d.txt").write_text("Cached story here\nBody.", encoding="utf-8")
    return root


def test_folder_is_read_recursively_sorted_with_known_suffixes_only(tree, caplog):
    assert [a.id for a in iter_records(tree)] == ["a1", "a2", "b", "sub/c"]
    assert "skipped 1 file(s)" in caplog.text and "notes.md (not an article file type)" in caplog.text


def test_files_in_a_folder_are_named_by_their_path_within_it(tmp_path):
    # Daily crawl folders hold files of the same name: their ids and errors must not collide.
    for day in ("01", "02"):
        (tmp_path / day).mkdir()
        _jsonl(tmp_path / day / "crawl.jsonl", {"title": "A headline here", "body": "Text."}, "{bad")
        (tmp_path / day / "story.txt").write_text("A story headline\nBody.", encoding="utf-8")
    items = list(iter_records(tmp_path))
    assert [i.id for i in items] == [
        "01/crawl.jsonl:1",
        "01/crawl.jsonl:2",
        "01/story",
        "02/crawl.jsonl:1",
        "02/crawl.jsonl:2",
        "02/story",
    ]
    assert "'02/crawl.jsonl' line 2" in items[4].error


def test_an_output_file_inside_an_input_folder_is_not_read(tmp_path):
    _jsonl(tmp_path / "a.jsonl", {"id": "1", "title": "A headline here", "body": "Text."})
    _jsonl(tmp_path / "scores.jsonl", {"id": "s", "reliability": 0.5})
    assert [i.id for i in iter_records(tmp_path, exclude=[tmp_path / "scores.jsonl"])] == ["1"]


# --- compressed, oddly named and whole-document JSON files -------------------------------------


def test_gzipped_inputs_are_read_as_what_they_hold(tmp_path):
    import gzip

    with gzip.open(tmp_path / "crawl.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "g1", "title": "A headline here", "body": "Text."}) + "\n")
    with gzip.open(tmp_path / "rows.csv.gz", "wt", encoding="utf-8") as fh:
        fh.write("id,title,body\nc1,Another headline,More text.\n")
    items = list(iter_records(tmp_path))
    assert [(i.id, i.title) for i in items] == [("g1", "A headline here"), ("c1", "Another headline")]


def test_a_truncated_or_fake_gz_file_is_one_error_row_and_the_batch_goes_on(tmp_path):
    import gzip

    lines = "".join(
        json.dumps({"id": f"t{i}", "title": f"Headline {i}", "body": "Text. " * 200}) + "\n"
        for i in range(50)
    )
    whole = gzip.compress(lines.encode())
    (tmp_path / "a.jsonl.gz").write_bytes(whole[: len(whole) // 2])
    (tmp_path / "b.jsonl.gz").write_bytes(b"not gzip at all\n")
    _jsonl(tmp_path / "c.jsonl", {"id": "c1", "title": "A later story", "body": "Text."})
    items = list(iter_records(tmp_path))
    errors = [i for i in items if isinstance(i, RecordError)]
    read = [i.id for i in items if isinstance(i, Article)]
    assert read[-1] == "c1" and read[:-1] == [f"t{i}" for i in range(len(read) - 1)]
    assert [e.id.split(":")[0] for e in errors] == ["a.jsonl.gz", "b.jsonl.gz"]
    assert f"cannot read 'a.jsonl.gz' after {len(read) - 1} record(s)" in errors[0].error
    assert "cannot read 'b.jsonl.gz' after 0 record(s)" in errors[1].error


def test_json_lines_named_json_with_a_broken_first_line_keep_their_other_records(tmp_path):
    path = _jsonl(
        tmp_path / "crawl.json",
        '{"id": "1", "title": "broken',
        {"id": "2", "title": "A headline here", "body": "Text."},
        {"id": "3", "title": "Another one", "body": "More."},
    )
    items = list(iter_records(path))
    assert _kinds(items) == ["RecordError", "Article", "Article"]
    assert items[0].id == "crawl.json:1"


def test_a_pretty_printed_record_with_another_name_is_one_record(tmp_path):
    path = tmp_path / "export.json.1"
    path.write_text(json.dumps({"id": "p1", "title": "A headline here", "body": "Text."}, indent=2))
    assert [(i.id, i.title) for i in iter_records(path)] == [("p1", "A headline here")]


def test_a_file_with_another_name_is_read_by_what_it_starts_with(tmp_path):
    rotated = _jsonl(
        tmp_path / "crawl.jsonl.1",
        {"id": "r1", "title": "A headline here", "body": "Text."},
        {"id": "r2", "title": "Another one", "body": "More."},
    )
    page = tmp_path / "page.xml"
    page.write_text(
        "<html><body><article><h1>Port reopens after storm</h1><p>"
        + "The port reopened on Monday after the storm, the harbour authority said. " * 5
        + "</p></article></body></html>",
        encoding="utf-8",
    )
    assert [i.id for i in iter_records(rotated)] == ["r1", "r2"]
    (article,) = iter_records(page)
    assert isinstance(article, Article) and "port reopened" in article.body


def test_a_compressed_file_without_gz_in_its_name_says_so(tmp_path):
    import gzip

    path = tmp_path / "crawl.txt"
    path.write_bytes(gzip.compress(b"A headline here\nBody text." * 10))
    (error,) = iter_records(path)
    assert isinstance(error, RecordError) and "is a compressed archive" in error.error


def test_a_pretty_printed_json_record_is_one_record(tmp_path):
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"id": "p1", "title": "A headline here", "body": "Text."}, indent=2))
    assert [(i.id, i.title) for i in iter_records(path)] == [("p1", "A headline here")]


def test_a_utf16_json_array_is_read_as_its_records(tmp_path):
    # PowerShell writes UTF-16 with a byte-order mark by default.
    path = tmp_path / "export.json"
    records = [
        {"id": "u1", "title": "Café reopens", "body": "Text."},
        {"id": "u2", "title": "B", "body": "C"},
    ]
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-16")
    assert [(i.id, i.title) for i in iter_records(path)] == [("u1", "Café reopens"), ("u2", "B")]


def test_a_number_python_cannot_hold_is_one_error_row(tmp_path):
    path = _jsonl(
        tmp_path / "big.jsonl",
        {"id": "1", "title": "A headline here", "body": "Text."},
        '{"id": "2", "title": "T", "views": ' + "9" * 5000 + "}",
        {"id": "3", "title": "Another one", "body": "More."},
    )
    items = list(iter_records(path))
    assert _kinds(items) == ["Article", "RecordError", "Article"]
    assert items[1].id == "big.jsonl:2" and "digits" in items[1].error


def test_a_damaged_parquet_file_is_one_error_row_and_the_next_file_is_read(tmp_path):
    path = tmp_path / "a.parquet"
    pd.DataFrame({"id": [str(i) for i in range(30)], "title": ["T t"] * 30, "body": ["b"] * 30}).to_parquet(
        path
    )
    raw = bytearray(path.read_bytes())
    raw[4:40] = b"\xff" * 36  # the first data page's header
    path.write_bytes(bytes(raw))
    (tmp_path / "z.txt").write_text("A later story\nBody.", encoding="utf-8")
    items = list(iter_records(tmp_path))
    assert _kinds(items) == ["RecordError", "Article"]
    assert (
        items[0].id == "a.parquet:1"
        and "cannot read 'a.parquet' from row 1 on (30 rows in all)" in items[0].error
    )


def test_several_paths_keep_their_order(tree):
    paths = [tree / "sub" / "c.txt", tree / "b.txt", tree / "a.jsonl"]
    assert [a.id for a in iter_records(paths)] == ["c", "b", "a1", "a2"]


def test_dash_reads_jsonl_from_stdin_in_its_place(tree):
    stdin = io.StringIO('{"id": "s1", "title": "From stdin", "body": "x"}\n\n{"bad"\n')
    items = list(iter_records([tree / "b.txt", "-"], stdin=stdin))
    assert [item.id for item in items] == ["b", "s1", "<stdin>:3"]
    assert _kinds(items) == ["Article", "Article", "RecordError"]


def test_missing_path_raises_before_anything_is_read(tree):
    with pytest.raises(FileNotFoundError, match="no such file or folder: .*nowhere"):
        iter_records([tree / "b.txt", tree / "nowhere.jsonl"])


def test_read_raises_at_the_call_on_a_missing_path(tmp_path):
    with pytest.raises(FileNotFoundError):
        quality.read(tmp_path / "nowhere.jsonl")


# --- quality.read ----------------------------------------------------------------------------


@pytest.fixture
def one_bad_line(tmp_path) -> Path:
    return _jsonl(
        tmp_path / "crawl.jsonl",
        {"id": "a", "title": "A b", "body": "c"},
        "{oops",
        {"id": "c", "title": "D e", "body": "f"},
    )


def test_read_raises_value_error_naming_the_bad_record(one_bad_line):
    records = quality.read(one_bad_line)
    assert next(records).id == "a"
    with pytest.raises(ValueError, match=r"'crawl.jsonl' line 2: not valid JSON"):
        next(records)


def test_read_yields_the_error_in_place_when_asked(one_bad_line):
    items = list(quality.read(one_bad_line, errors="yield"))
    assert [item.id for item in items] == ["a", "crawl.jsonl:2", "c"]
    assert isinstance(items[1], RecordError)


def test_read_refuses_an_unknown_errors_mode(one_bad_line):
    with pytest.raises(ValueError, match="errors must be 'raise' or 'yield', got 'ignore'"):
        quality.read(one_bad_line, errors="ignore")


def test_reading_streams_the_first_record_without_reading_the_rest(tmp_path):
    path = tmp_path / "big.jsonl"
    lines = [json.dumps({"id": f"r{i}", "title": f"Title {i}", "body": "text"}) for i in range(20_000)]
    path.write_text("\n".join(lines) + "\n{not json at the very end\n", encoding="utf-8")
    records = quality.read(path)
    assert isinstance(records, Iterator)
    # Reading everything first would hit the bad last line and raise.
    assert next(records).id == "r0"


# --- seed articles ---------------------------------------------------------------------------


def test_seed_headline_is_not_site_chrome(seeds):
    title = seeds["001"].title
    assert title != "Skip to content"
    assert title.startswith("Russia may potentially recruit")


def test_a_json_file_with_an_array_of_records_is_read_item_by_item(tmp_path):
    path = tmp_path / "pretty.json"
    path.write_text(
        '[\n  {"id": "a", "title": "One", "body": "First."},\n  {"id": "b", "title": "Two", "body": "Second."},\n  7\n]\n'
    )
    out = list(iter_records(path))
    assert [o.id for o in out] == ["a", "b", "pretty.json:3"]
    assert type(out[2]).__name__ == "RecordError" and "expected a JSON object" in out[2].error


# --- records as read, before they are articles (raw_records) -----------------------------------

RECORDS = [
    {"id": "1", "title": "Flood closes schools", "body": "Twelve shut."},
    {"id": "2", "title": "B c", "body": "d"},
]


def _write_records(path: Path) -> Path:
    import gzip

    name = path.name
    if name.endswith(".jsonl.gz"):
        with gzip.open(path, "wt", encoding="utf-8") as fh:
            fh.write("".join(json.dumps(r) + "\n" for r in RECORDS))
    elif name.endswith(".json"):
        path.write_text(json.dumps(RECORDS, indent=2), encoding="utf-8")
    elif name.endswith(".parquet"):
        pd.DataFrame(RECORDS).to_parquet(path)
    else:
        _jsonl(path, *RECORDS)
    return path


@pytest.mark.parametrize(
    ("name", "where"),
    [
        pytest.param("a.jsonl", "'a.jsonl' line 2", id="JSON Lines are numbered by line"),
        pytest.param("a.jsonl.gz", "'a.jsonl.gz' line 2", id="gzipped JSON Lines read as what they hold"),
        pytest.param("a.json", "'a.json' item 2", id="a JSON array is numbered by item"),
        pytest.param("a.parquet", "'a.parquet' row 2", id="Parquet is numbered by row"),
    ],
)
def test_raw_records_are_the_records_the_articles_are_made_of(tmp_path, name, where):
    path = _write_records(tmp_path / name)
    raw = list(raw_records(path))
    assert [r.value for r in raw] == RECORDS
    assert raw[1].where == where and raw[1].path == str(path)
    assert [a.id for a in iter_records(path)] == ["1", "2"]


def test_raw_csv_rows_are_text_numbered_as_the_scorer_numbers_them(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text("id,title,body,label\nc1,A headline here,Text.,1\nc2,Another one,,0\n")
    raw = list(raw_records(path, keys=["label"]))
    assert [(r.where, r.fallback_id, r.value) for r in raw] == [
        (
            "'rows.csv' row 2",
            "rows.csv:2",
            {"id": "c1", "title": "A headline here", "body": "Text.", "label": "1"},
        ),
        ("'rows.csv' row 3", "rows.csv:3", {"id": "c2", "title": "Another one", "body": "", "label": "0"}),
    ]


def test_raw_records_errors_are_the_article_readers_errors(tmp_path):
    path = _jsonl(tmp_path / "a.jsonl", {"title": "A b", "body": "c"}, "{broken", [1, 2])
    raw, articles = list(raw_records(path)), list(iter_records(path))
    assert _kinds(raw) == ["RawRecord", "RecordError", "RawRecord"]
    assert raw[1] == articles[1]
    assert raw[2].value == [1, 2] and "expected a JSON object" in articles[2].error


def test_raw_records_refuse_a_header_holding_a_field_of_the_caller_twice(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("title,body,label,Label\nA b,c,1,0\n")
    [only] = raw_records(path, keys=["label"])
    assert isinstance(only, RecordError) and "more than one 'label' column" in only.error
    assert _kinds(list(iter_records(path))) == ["Article"]  # the scorer reads no label


def test_raw_records_of_a_text_file_is_one_error_saying_so(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("A headline here\nBody.")
    [only] = raw_records(path)
    assert isinstance(only, RecordError)
    assert "cannot read 'a.txt' as records: it reads as txt" in only.error


# --- streams: pipes, FIFOs, process substitution, devices (read once, nothing lost) ------------

STREAMED = [
    {"id": f"p{i}", "title": f"Storm number {i}", "body": "Winds rose, the agency said."} for i in range(1999)
]


def _feed(fd_or_path, data: bytes) -> threading.Thread:
    """Write ``data`` into a pipe or FIFO from another thread, as another process would."""

    def write() -> None:
        with open(fd_or_path, "wb", closefd=not isinstance(fd_or_path, int)) as fh:
            fh.write(data)
        if isinstance(fd_or_path, int):
            os.close(fd_or_path)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


def _jsonl_bytes(records) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode()


@pytest.mark.parametrize("count", [3, 1999], ids=["three records", "1999 records"])
def test_a_pipe_named_by_path_gives_every_record(count):
    # What `quality score <(cat a.jsonl)` reads: /dev/fd/N, a pipe that cannot be read twice.
    read_end, write_end = os.pipe()
    writer = _feed(write_end, _jsonl_bytes(STREAMED[:count]))
    try:
        items = list(iter_records(f"/dev/fd/{read_end}"))
    finally:
        os.close(read_end)
    writer.join(5)
    assert [i.id for i in items] == [f"p{i}" for i in range(count)]


@pytest.mark.parametrize(
    ("name", "data", "ids"),
    [
        pytest.param(
            "feed", _jsonl_bytes(STREAMED[:3]), ["p0", "p1", "p2"], id="JSON Lines sniffed from a FIFO"
        ),
        pytest.param(
            "feed.json", json.dumps(STREAMED[:3]).encode(), ["p0", "p1", "p2"], id="a JSON array in a FIFO"
        ),
        pytest.param(
            "feed.csv",
            b"id,title,body\nc1,Storm hits,Winds rose.\nc2,Bridge opens,It cost more.\n",
            ["c1", "c2"],
            id="CSV in a FIFO",
        ),
    ],
)
def test_a_named_fifo_is_read_once_to_its_end(tmp_path, name, data, ids):
    fifo = tmp_path / name
    os.mkfifo(fifo)
    writer = _feed(fifo, data)
    assert [i.id for i in iter_records(fifo)] == ids
    writer.join(5)


def test_stdin_bytes_give_every_record():
    read_end, write_end = os.pipe()
    writer = _feed(write_end, codecs.BOM_UTF8 + _jsonl_bytes(STREAMED[:50]))
    with open(read_end, encoding="utf-8") as stdin:  # a text stream with .buffer, as sys.stdin
        items = list(iter_records("-", stdin=stdin))
    writer.join(5)
    assert [i.id for i in items] == [f"p{i}" for i in range(50)]


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_device_is_refused_with_an_error_row_naming_it(device):
    if not os.path.exists(device):
        pytest.skip(f"{device} is absent here")
    (error,) = list(iter_records(device))
    assert isinstance(error, RecordError)
    assert f"cannot read {device!r}: it is a character device" in error.error


# --- limits: a record past max_record_bytes is cut and flagged, or an error row ----------------

LIMIT = 4096
LONG_BODY = "Winds reached 120 km/h on Monday, the weather agency said. " * 2000  # 118 KB


def test_a_jsonl_record_over_the_limit_is_cut_flagged_and_the_next_read(tmp_path):
    path = _jsonl(
        tmp_path / "big.jsonl",
        {"id": "big", "title": "Storm hits the coast", "body": LONG_BODY, "url": "https://x.org/a"},
        {"id": "after", "title": "Bridge opens", "body": "Fine."},
    )
    big, after = iter_records(path, max_record_bytes=LIMIT)
    assert isinstance(big, Article) and (big.id, big.title) == ("big", "Storm hits the coast")
    assert LONG_BODY.startswith(big.body) and LIMIT - 100 < len(big.body) < LIMIT
    assert big.url is None  # it came after the cut
    assert big.warning.startswith("truncated: line 1 is ") and f"record limit of {LIMIT} bytes" in big.warning
    assert (after.id, after.warning) == ("after", None)


def test_a_jsonl_record_over_the_limit_that_cannot_be_closed_is_an_error_row(tmp_path):
    path = _jsonl(
        tmp_path / "big.jsonl",
        {"padding": [1] * 5000, "title": "T", "body": "B"},
        {"id": "after", "title": "A b", "body": "c"},
    )
    error, after = iter_records(path, max_record_bytes=LIMIT)
    assert isinstance(error, RecordError) and error.id == "big.jsonl:1"
    assert "line 1 is" in error.error and "no title or body field" in error.error
    assert after.id == "after"


def test_a_csv_field_over_the_limit_is_cut_flagged_and_the_next_row_read(tmp_path):
    path = tmp_path / "big.csv"
    body = LONG_BODY.replace(". ", ".\n")  # a quoted field over many lines
    path.write_text(
        f'id,title,body,url\n1,Storm hits,"{body}",https://x.org\n2,Bridge opens,Fine.,\n', encoding="utf-8"
    )
    big, after = iter_records(path, max_record_bytes=LIMIT)
    assert isinstance(big, Article) and (big.id, big.title) == ("1", "Storm hits")
    assert body.startswith(big.body) and len(big.body) < LIMIT and big.url is None
    assert big.warning.startswith("truncated: row 2 is ")
    assert (after.id, after.body, after.warning) == ("2", "Fine.", None)


def test_a_json_array_item_over_the_limit_is_cut_and_flagged(tmp_path):
    path = tmp_path / "export.json"
    path.write_text(
        json.dumps(
            [{"id": "a", "title": "One b", "body": LONG_BODY}, {"id": "b", "title": "Two c", "body": "d"}]
        )
    )
    first, second = iter_records(path, max_record_bytes=LIMIT)
    assert first.id == "a" and first.warning.startswith("truncated: item 1 is ") and len(first.body) < LIMIT
    assert (second.id, second.warning) == ("b", None)


@pytest.mark.parametrize("suffix", [".txt", ".html"])
def test_a_text_or_html_file_over_the_limit_is_cut_and_flagged(tmp_path, suffix):
    path = tmp_path / f"page{suffix}"
    if suffix == ".txt":
        path.write_text("Storm hits the coast\n" + LONG_BODY, encoding="utf-8")
    else:
        path.write_text(
            f"<html><body><article><h1>Storm hits the coast</h1><p>{LONG_BODY}</p></article></body></html>"
        )
    (article,) = iter_records(path, max_record_bytes=LIMIT)
    assert isinstance(article, Article) and article.title == "Storm hits the coast"
    assert 1000 < len(article.body) < LIMIT
    assert article.warning == (
        f"truncated: the file is {path.stat().st_size} bytes, over the record limit of {LIMIT} bytes; only its "
        f"first {LIMIT} bytes were read (raise --max-record-bytes / max_record_bytes to read more)"
    )


def test_a_cut_inside_a_utf8_character_drops_the_half_character(tmp_path):
    path = tmp_path / "cafe.txt"
    path.write_bytes(("Café reopens downtown\n" + "é" * 5000).encode())
    (article,) = iter_records(path, max_record_bytes=1001)
    assert article.body == "é" * ((1001 - len("Café reopens downtown\n".encode())) // 2)


def test_a_gzip_bomb_stops_at_the_input_limit_with_an_error_row_saying_how_far(tmp_path):
    path = tmp_path / "bomb.jsonl.gz"
    line = json.dumps({"id": "x", "title": "A b", "body": "c" * 900}).encode() + b"\n"
    path.write_bytes(gzip.compress(line * 2000))  # 1.8 MB in 20 KB
    items = list(iter_records(path, max_input_bytes=100_000))
    read, error = items[:-1], items[-1]
    assert all(isinstance(i, Article) for i in read) and len(read) == 100_000 // len(line)
    assert error.id == f"bomb.jsonl.gz:{len(read) + 1}"
    assert error.error == (
        f"quality: cannot read 'bomb.jsonl.gz' after {len(read)} record(s): stopped after 100000 bytes of "
        "decompressed data, the limit (--max-input-bytes, max_input_bytes=100000); the rest of the file is not read"
    )


def test_a_json_array_streams_item_by_item(tmp_path):
    path = tmp_path / "array.json"
    records = [{"id": f"a{i}", "title": f"Title {i}", "body": "text"} for i in range(20_000)]
    path.write_text(json.dumps(records)[:-1] + ', {"broken": }]')
    records = quality.read(path)
    assert next(records).id == "a0"  # reading it whole first would hit the broken end and raise


@pytest.mark.parametrize(
    ("text", "kinds", "last"),
    [
        pytest.param(
            '[{"title": "A b", "body": "c"}, 7, {"title": "D e"}',
            ["Article", "RecordError", "Article", "RecordError"],
            "no closing ']'",
            id="an array cut short",
        ),
        pytest.param(
            '[{"title": "A b", "body": "c"},, {"title": "D e"}]',
            ["Article", "RecordError", "Article"],
            "it is empty",
            id="two commas",
        ),
        pytest.param(
            '[{"title": "A b", "body": "c"}] trailing',
            ["Article", "RecordError"],
            "text after the array",
            id="text after the array",
        ),
        pytest.param(
            '[{"title": "A b", "body": "c"}, {"title": "x", "body": "y\\"]"}, ]',
            ["Article", "Article", "RecordError"],
            "it is empty",
            id="brackets in strings and a trailing comma",
        ),
        pytest.param("[]", [], None, id="an empty array"),
    ],
)
def test_json_array_damage_costs_one_row(tmp_path, text, kinds, last):
    path = tmp_path / "a.json"
    path.write_text(text)
    items = list(iter_records(path))
    assert _kinds(items) == kinds
    if last:
        assert any(last in i.error for i in items if isinstance(i, RecordError))


def test_reading_a_huge_record_holds_a_small_multiple_of_the_limit(tmp_path):
    import tracemalloc

    path = tmp_path / "huge.jsonl"
    with path.open("w") as fh:
        fh.write(json.dumps({"id": "huge", "title": "Storm hits", "body": "x" * 30_000_000}) + "\n")
    tracemalloc.start()
    try:
        (article,) = iter_records(path, max_record_bytes=1 << 20)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert article.warning and len(article.body) < 1 << 20
    assert peak < 8 << 20, f"peak {peak / 2**20:.1f} MiB to read a 30 MB record with a 1 MiB limit"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"max_record_bytes": 0}, ValueError, "max_record_bytes must be at least 1 byte, got 0"),
        ({"max_input_bytes": "1G"}, TypeError, "max_input_bytes must be a whole number of bytes, got str"),
        ({"max_record_bytes": 2.5}, TypeError, "max_record_bytes must be a whole number of bytes, got float"),
    ],
)
def test_limits_are_checked_at_the_call(tmp_path, kwargs, error, message):
    with pytest.raises(error, match=message):
        quality.read(tmp_path, **kwargs)


# --- folders: what cannot be read is a warning and an error row, the rest is read -------------


def test_a_symlink_loop_in_a_folder_is_an_error_row_and_the_rest_is_read(tmp_path, caplog):
    _jsonl(tmp_path / "a.jsonl", {"id": "a1", "title": "A b", "body": "c"})
    (tmp_path / "loop1.jsonl").symlink_to("loop2.jsonl")
    (tmp_path / "loop2.jsonl").symlink_to("loop1.jsonl")
    _jsonl(tmp_path / "z.jsonl", {"id": "z1", "title": "Z b", "body": "c"})
    items = list(iter_records(tmp_path))
    assert [i.id for i in items] == ["a1", "loop1.jsonl", "loop2.jsonl", "z1"]
    assert "cannot read file 'loop1.jsonl': Too many levels of symbolic links" in items[1].error
    assert "cannot read file" in caplog.text and "loop2.jsonl" in caplog.text


def test_a_broken_link_to_an_article_file_is_an_error_row(tmp_path):
    (tmp_path / "gone.jsonl").symlink_to("nowhere.jsonl")
    (error,) = iter_records(tmp_path)
    assert error.id == "gone.jsonl" and "a broken link" in error.error


def test_files_and_folders_that_vanish_while_read_are_error_rows(tmp_path, caplog):
    _jsonl(tmp_path / "a.jsonl", {"id": "a1", "title": "A b", "body": "c"})
    _jsonl(tmp_path / "b.jsonl", {"id": "b1", "title": "A b", "body": "c"})
    (tmp_path / "c").mkdir()
    _jsonl(tmp_path / "c" / "d.jsonl", {"id": "d1", "title": "A b", "body": "c"})
    _jsonl(tmp_path / "e.jsonl", {"id": "e1", "title": "A b", "body": "c"})
    items = iter_records(tmp_path)
    assert next(items).id == "a1"  # the folder is listed; now a file and a subfolder go
    (tmp_path / "b.jsonl").unlink()
    shutil.rmtree(tmp_path / "c")
    rest = list(items)
    assert [i.id for i in rest] == ["b.jsonl", "c", "e1"]
    assert "cannot read 'b.jsonl': No such file or directory" in rest[0].error
    assert "cannot read folder 'c': No such file or directory; its files are not read" in rest[1].error
    assert "cannot read folder" in caplog.text


def _records_as(uid: int | None, folder: Path) -> list[list[str | None]]:
    """``[id, error]`` of each record of ``folder``, read by user ``uid`` (None: this user) in a
    forked child, with the warnings it logged appended as a last ``["log", text]`` pair."""
    list(iter_records(folder / "ok.jsonl"))  # imports done before the child drops privileges
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop to ``uid``, read, report through the pipe, exit
        code = 1
        try:
            os.close(read)
            if uid is not None:
                os.setgroups([])
                os.setgid(uid)
                os.setuid(uid)
            logged = io.StringIO()
            handler = logging.StreamHandler(logged)
            logging.getLogger().addHandler(handler)
            rows = [[i.id, getattr(i, "error", None)] for i in iter_records(folder)]
            os.write(write, json.dumps([*rows, ["log", logged.getvalue()]]).encode())
            code = 0
        except BaseException:  # the parent shows the child's traceback
            os.write(write, traceback.format_exc().encode())
        finally:
            os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        out = pipe.read()
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, out.decode()
    return json.loads(out)


def test_a_folder_that_cannot_be_listed_is_an_error_row_and_a_warning(tmp_path):
    """Read by an unprivileged process: as root (CI's containers) the reading runs in a forked
    child that drops to user ``nobody``, since root reads any folder whatever its mode."""
    root = Path(tempfile.mkdtemp(prefix="quality-locked-", dir="/tmp" if os.geteuid() == 0 else tmp_path))
    try:
        root.chmod(0o755)
        (root / "locked").mkdir()
        _jsonl(root / "locked" / "b.jsonl", {"id": "b1", "title": "A b", "body": "c"})
        _jsonl(root / "ok.jsonl", {"id": "ok", "title": "A b", "body": "c"})
        (root / "ok.jsonl").chmod(0o644)
        (root / "locked").chmod(0)
        *items, (_, logged) = _records_as(65534 if os.geteuid() == 0 else None, root)
    finally:
        (root / "locked").chmod(0o700)
        shutil.rmtree(root)
    assert [i for i, _ in items] == ["locked", "ok"]
    assert "Permission denied" in items[0][1] and items[1][1] is None
    assert "cannot read folder" in logged and "locked': Permission denied" in logged


def test_a_fifo_inside_a_folder_is_an_error_row_not_a_hang(tmp_path):
    os.mkfifo(tmp_path / "feed.jsonl")
    (error,) = iter_records(tmp_path)
    assert error.id == "feed.jsonl" and "not a regular file" in error.error


# --- any bytes in any format: rows or error rows, never a traceback (issue 15) -----------------

_JSONISH = st.text(alphabet='{}[]",:\\ \n\r\tab1.-etrufnl\x00é\u2028', max_size=300).map(str.encode)
_RECORDISH = st.lists(
    st.fixed_dictionaries({"title": st.text(max_size=40), "body": st.text(max_size=200)}).map(
        lambda r: json.dumps(r, ensure_ascii=False).encode()
    ),
    max_size=4,
).map(lambda lines: b"\n".join(lines))
_BYTES = st.one_of(st.binary(max_size=400), _JSONISH, _RECORDISH, _RECORDISH.map(lambda b: b[: len(b) // 2]))
_NAMES = [
    "a.jsonl",
    "a.json",
    "a.csv",
    "a.tsv",
    "a.txt",
    "a.html",
    "a.parquet",
    "a.jsonl.gz",
    "a.csv.gz",
    "noext",
]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=_BYTES, name=st.sampled_from(_NAMES), gzipped=st.booleans(), limit=st.sampled_from([16, 64, 1 << 20])
)
def test_any_bytes_in_any_format_give_rows_or_error_rows_never_a_traceback(data, name, gzipped, limit):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(gzip.compress(data) if gzipped and name.endswith(".gz") else data)
        items = list(iter_records(path, max_record_bytes=limit))
    assert all(isinstance(i, (Article, RecordError)) and isinstance(i.id, str) and i.id for i in items)
    if name.endswith((".txt", ".html")):
        assert len(items) == 1  # one file, one article or one error
    if name == "a.jsonl":
        # One row per line that holds anything; a line cut at the limit is still one row.
        lines = [line for line in data.split(b"\n") if decode(line.removeprefix(codecs.BOM_UTF8)).strip()]
        if not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            assert len(items) == len(lines)


def test_a_pretty_printed_record_over_the_limit_is_one_cut_record(tmp_path):
    path = tmp_path / "one.json"
    path.write_text(
        json.dumps({"id": "p1", "title": "A headline here", "body": LONG_BODY.split(". ")}, indent=2)
    )
    (item,) = iter_records(path, max_record_bytes=LIMIT)
    assert isinstance(item, RecordError) and item.id == "p1"  # its body, a list, was cut: not text
    assert "body is list" in item.error and "truncated: the file is" in item.error
    path.write_text(json.dumps({"id": "p2", "title": "A headline here", "body": LONG_BODY}, indent=2))
    (article,) = iter_records(path, max_record_bytes=LIMIT)
    assert (article.id, article.title) == ("p2", "A headline here") and article.warning.startswith(
        "truncated: the file is"
    )


def test_json_lines_with_a_broken_first_line_over_the_limit_keep_their_records(tmp_path):
    good = [json.dumps({"id": f"g{i}", "title": "A headline here", "body": "Text."}) for i in range(300)]
    path = tmp_path / "crawl.json"
    path.write_text('{"id": "0", "title": "broken\n' + "\n".join(good) + "\n")
    items = list(iter_records(path, max_record_bytes=LIMIT))
    assert _kinds(items) == ["RecordError"] + ["Article"] * 300
