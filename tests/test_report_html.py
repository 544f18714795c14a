"""The batch report (`quality.batch_report`, `quality report --html`) over real output of
`quality score --explain`: figures, reasons, the lowest articles linked to their
explanations, error rows, and text escaped."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path

import pytest

from quality.article import RecordError
from quality.batch_report import batch_page, read_scored, report_from_row, summarise
from quality.cli import main
from tests.dom import Page, check_spans

HOSTILE_ID = "<script>document.title='pwned'</script>"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory, seeds) -> Path:
    """The five seeds, a hostile article and an empty record, as one JSONL file."""
    path = tmp_path_factory.mktemp("batch") / "crawl.jsonl"
    records = [{"id": a.id, "title": a.title, "body": a.body} for a in seeds.values()]
    records.append(
        {
            "id": HOSTILE_ID,
            "title": "You Won't Believe <img src=x onerror=alert(1)>!",
            "body": "Some say it is the most shocking thing ever. <script>alert(2)</script> Really.",
        }
    )
    records.append({"id": "empty", "title": "", "body": "", "url": "https://example.org/empty"})
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def scored(inputs) -> dict[str, Path]:
    """``quality score --explain`` of the inputs, in each format the report reads."""
    out = {}
    for suffix in ("jsonl", "parquet", "csv"):
        target = inputs.parent / f"scores.{suffix}"
        assert main(["score", str(inputs), "--explain", "-o", str(target)]) == 1  # the empty record
        out[suffix] = target
    return out


def _report(tmp_path: Path, *args: str) -> tuple[int, Page, str]:
    target = tmp_path / "report.html"
    code = main(["report", *args, "--html", str(target)])
    return code, Page(target.read_text(encoding="utf-8")), target.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["jsonl", "parquet", "csv"])
def test_report_reads_each_format_the_same(scored, fmt):
    reports = list(read_scored([scored[fmt]]))
    rows = [json.loads(line) for line in scored["jsonl"].read_text(encoding="utf-8").splitlines()]
    assert [r.id for r in reports] == [row["id"] for row in rows]
    (error,) = [r for r in reports if isinstance(r, RecordError)]
    assert (error.id, error.stage) == ("empty", "read")
    assert (error.url, error.title) == ("https://example.org/empty", None)  # joins back as written
    for report, row in zip(reports, rows, strict=True):
        if isinstance(report, RecordError):
            continue
        assert report.reliability == pytest.approx(row["reliability"])
        assert report.intercept + sum(report.contributions.values()) == pytest.approx(report.logit, abs=1e-5)
        assert [e.to_dict() for e in report.evidence] == row["evidence"]


def test_report_page_over_a_scored_batch(scored, tmp_path, capsys, seed_reports):
    code, page, text = _report(tmp_path, str(scored["jsonl"]))
    assert code == 0
    assert "wrote the report of 6 articles and 1 error rows" in capsys.readouterr().err
    # Plots are inline SVG images, nothing is loaded from elsewhere.
    images = [a["src"] for tag, a in page.elements if tag == "img"]
    assert len(images) == 3
    for src in images:
        assert src.startswith("data:image/svg+xml;base64,")
        assert b"<svg" in base64.b64decode(src.split(",", 1)[1])
    assert not {tag for tag, _ in page.elements} & {"script", "link", "iframe"}
    # The lowest articles, least reliable first, each linked to its explanation on the page.
    sections = [a for tag, a in page.elements if tag == "article"]
    reliabilities = sorted([r.reliability for r in seed_reports.values()] + [_hostile_reliability(scored)])
    assert len(sections) == 6
    links = [a["href"] for tag, a in page.elements if tag == "a" and a.get("href", "").startswith("#a")]
    assert {f"#{s['id']}" for s in sections} <= set(links)
    assert [float(v) for v in _verdicts(text)] == pytest.approx([round(r, 3) for r in reliabilities])
    assert sections[0]["data-id"] == seed_reports["004"].id
    assert "Headline reads as clickbait" in page.text
    assert "empty: (read) quality: 'crawl.jsonl' line 7" in page.text  # the error row: id, stage, reason
    assert "url: https://example.org/empty" in page.text  # and what joins it back to the input
    # Without the articles, the explanations list the evidence and say how to see the text.
    assert "--articles" in page.text
    assert not page.fields


def test_report_with_the_articles_highlights_their_text(scored, inputs, tmp_path, seeds, seed_reports):
    code, page, _ = _report(tmp_path, str(scored["parquet"]), "--articles", str(inputs), "--lowest", "3")
    assert code == 0
    sections = [a for tag, a in page.elements if tag == "article"]
    assert len(sections) == 3
    assert sections[0]["data-id"] == seeds["004"].id
    check_spans(page, seed_reports["004"], seeds["004"], anchor=sections[0]["id"])


def test_report_shows_ids_and_reasons_as_text(scored, tmp_path):
    _, page, _ = _report(tmp_path, str(scored["jsonl"]))
    assert HOSTILE_ID in page.text
    assert not {tag for tag, _ in page.elements} & {"script"}
    assert [
        a for tag, a in page.elements if tag == "img" and not a["src"].startswith("data:image/svg+xml")
    ] == []


def test_report_lists_rows_it_cannot_read_and_goes_on(scored, tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    good = scored["jsonl"].read_text(encoding="utf-8").splitlines()
    row = json.loads(good[0])
    row["evidence"] = [{"signal": "typos"}]
    bad.write_text(
        "\n".join([good[0], "{not json", json.dumps(row), json.dumps([1, 2])]) + "\n", encoding="utf-8"
    )
    code, page, _ = _report(tmp_path, str(bad))
    assert code == 1
    assert "3 rows could not be read" in capsys.readouterr().err
    assert "'bad.jsonl' line 2" in page.text
    assert "'bad.jsonl' line 3: not a row of `quality score`: evidence item 0" in page.text
    assert "expected a scored row (a JSON object), got list" in page.text
    assert len([a for tag, a in page.elements if tag == "article"]) == 1


def test_report_over_rows_scored_without_explain_says_what_is_missing(inputs, tmp_path):
    plain = tmp_path / "plain.jsonl"
    assert main(["score", str(inputs), "-o", str(plain)]) == 1
    code, page, _ = _report(tmp_path, str(plain), "--articles", str(inputs))
    assert code == 0
    assert page.text.count("score with --explain") == 2  # reasons and flagged spans
    assert "barely counted" not in page.text  # no contributions: nothing is known to be unweighted
    assert len([a for tag, a in page.elements if tag == "article"]) == 6
    assert len([a for tag, a in page.elements if tag == "img"]) == 2  # no contributions to plot


def test_report_fails_before_reading_when_it_cannot_write(scored, tmp_path, capsys):
    assert main(["report", str(scored["jsonl"]), "--html", str(tmp_path / "no" / "r.html")]) == 2
    assert "cannot write the page" in capsys.readouterr().err


def test_report_of_a_missing_file_is_a_usage_error(tmp_path, capsys):
    assert main(["report", str(tmp_path / "none.jsonl"), "--html", str(tmp_path / "r.html")]) == 2
    assert "no such scored file" in capsys.readouterr().err


def test_report_from_row_refuses_what_is_not_a_scored_row():
    with pytest.raises(ValueError, match="reliability is 'high', not a number"):
        report_from_row({"id": "a", "reliability": "high"})
    with pytest.raises(ValueError, match="offsets '0':3, not whole numbers"):
        report_from_row(
            {
                "id": "a",
                "reliability": 0.5,
                "evidence": [
                    dict.fromkeys(("signal", "feature", "field", "text", "note"), "x")
                    | {"start": "0", "end": 3}
                ],
            }
        )


def test_a_large_batch_is_drawn_in_seconds(scored):
    """3,600 rows (the shared corpora hold 3,395) are read and drawn well within a minute."""
    row = json.loads(scored["jsonl"].read_text(encoding="utf-8").splitlines()[0])
    started = time.perf_counter()
    reports = []
    for i in range(3600):
        r = report_from_row({**row, "id": f"r{i}", "reliability": (i % 997) / 997})
        reports.append(r)
    summary = summarise(reports, lowest=25)
    text = batch_page(summary, ["big.jsonl"])
    seconds = time.perf_counter() - started
    assert summary.rows == 3600 and len(summary.lowest) == 25
    assert [r.reliability for r in summary.lowest] == sorted(r.reliability for r in summary.lowest)
    assert summary.lowest[0].reliability == 0.0
    assert text.count("<article ") == 25
    assert seconds < 30


def _verdicts(text: str) -> list[str]:
    return [part.split("<", 1)[0] for part in text.split('<span class="score">')[1:]]


def _hostile_reliability(scored) -> float:
    for line in scored["jsonl"].read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["id"] == HOSTILE_ID:
            return row["reliability"]
    raise AssertionError("the hostile article was not scored")


# --- the story view (rows of quality score --stories) --------------------------------------

_WIRE = (
    "The Wadi Derna dam burst on Sunday night, flooding the eastern Libyan city of Derna. "
    "Rescue teams from Benghazi reached Derna on Monday, the Libyan Red Crescent said. "
    "At least 5,300 people were killed and 10,000 are missing, officials in eastern Libya told reporters. "
    "Storm Daniel dropped 400 millimetres of rain on the Jebel Akhdar mountains in a single day."
)
_REWORDED = (
    "Storm Daniel dumped 400 millimetres of rain over the Jebel Akhdar mountains in just one day. "
    "Rescue crews from Benghazi got to Derna on Monday, the Libyan Red Crescent stated. "
    "Our reporter adds that volunteers from Tobruk brought blankets and bottled water to the shelters."
)
_BANK = (
    "The central bank raised its main interest rate by a quarter point on Thursday, to 4.5 percent. "
    "Inflation in the eurozone fell to 2.9 percent in October, Eurostat said in its flash estimate."
)


@pytest.fixture(scope="module")
def story_batch(tmp_path_factory) -> tuple[Path, dict[str, Path]]:
    """Three articles, two of them one story, scored with --stories in each format."""
    folder = tmp_path_factory.mktemp("stories")
    crawl = folder / "crawl.jsonl"
    records = [
        {"id": "wire", "title": "Dam bursts in Derna", "body": _WIRE, "published": "2023-09-11T08:00:00Z"},
        {"id": "bank", "title": "Bank raises rates", "body": _BANK, "published": "2023-09-11T09:00:00Z"},
        {"id": "copy", "title": "Derna flooded", "body": _REWORDED, "published": "2023-09-11T10:00:00Z"},
    ]
    crawl.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = {}
    for suffix in ("jsonl", "csv"):
        out[suffix] = folder / f"scores.{suffix}"
        assert main(["score", str(crawl), "--stories", "-o", str(out[suffix]), "-q"]) == 0
    return crawl, out


def _story_rows(path: Path) -> dict[str, dict]:
    return {r["id"]: r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())}


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_report_lists_each_story_with_originality_and_passages(story_batch, tmp_path, fmt):
    import html as html_module
    import re

    _, scored = story_batch
    rows = _story_rows(scored["jsonl"])
    assert rows["copy"]["story"] == "wire" and rows["bank"]["story_size"] == 1  # what the view shows
    code, page, text = _report(tmp_path, str(scored[fmt]))
    assert code == 0
    assert [
        a["data-story"] for tag, a in page.elements if tag == "section" and "story" in a.get("class", "")
    ] == ["wire"]
    story = text[text.index('data-story="wire"') : text.index("</section>", text.index('data-story="wire"'))]
    cells = [re.sub(r"<[^>]+>", " ", c).split() for c in re.findall(r"<tr><td>(.*?)</tr>", story)]
    assert [c[0] for c in cells] == ["wire", "copy"]  # the bank, a story of its own, is not listed
    for c in cells:
        row = rows[c[0]]
        assert c[1] == f"{row['originality']:.2f}" and c[3] == str(len(row["passages"])) and c[4] != "none"
    # Without the inputs, the passages' text comes from the rows.
    listed = [
        html_module.unescape(x) for x in re.findall(r"<li><code>copy</code> \[[^]]*\]: (.*?)</li>", story)
    ]
    assert listed == [p["text"] for p in rows["copy"]["passages"]] and listed


def test_report_with_the_inputs_shows_a_story_side_by_side_with_its_passages_marked(story_batch, tmp_path):
    import html as html_module
    import re

    crawl, scored = story_batch
    rows = _story_rows(scored["jsonl"])
    code, _, text = _report(tmp_path, str(scored["jsonl"]), "--articles", str(crawl))
    assert code == 0
    sides = dict(
        re.findall(r'<div class="side" data-id="([^"]+)">.*?<div class="body">(.*?)</div></div>', text)
    )
    assert list(sides) == ["wire", "copy"]
    bodies = {"wire": _WIRE, "copy": _REWORDED}
    for ident, inner in sides.items():
        assert (
            html_module.unescape(re.sub(r"<[^>]+>", "", inner)) == bodies[ident]
        )  # the whole text, in order
        marked = [
            html_module.unescape(m) for m in re.findall(r'<mark class="shared"[^>]*>(.*?)</mark>', inner)
        ]
        assert marked == [bodies[ident][p["start"] : p["end"]] for p in rows[ident]["passages"]] and marked
