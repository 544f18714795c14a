"""The HTML explanation page (`quality.html`, `quality explain --html`): every evidence span
highlighted at its exact characters, the waterfall adding up, article text escaped; and the
same page rendered by a real browser (headless Chromium), when one is installed."""

from __future__ import annotations

import dataclasses
import math
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import quality
from quality import model as model_module
from quality.article import Article, Evidence, RecordError, Report
from quality.cli import main
from quality.html import evidence_segments, explanation_page, write_page
from tests.conftest import SEEDS
from tests.dom import Page, check_spans

SEED_004 = SEEDS / "004_f24d6baf59f876e2.txt"

HOSTILE = Article(
    id='x"><script>document.title="pwned-id"</script>',
    title="<script>document.title='pwned'</script> You Won't Believe This!",
    body=(
        "Officials said on Monday that <img src=x onerror=\"document.body.setAttribute('data-pwned','1')\"> "
        "was posted. Some say it is the most shocking thing ever.\r\nA & B <b>bold</b> &amp; "
        "</mark></div><style>body{display:none}</style> end."
    ),
    url="javascript:document.title='pwned-url'",
)


@pytest.fixture(scope="module")
def seed_004(seeds, seed_reports) -> tuple[Report, Article, str]:
    report, article = seed_reports["004"], seeds["004"]
    return report, article, explanation_page([(report, article)])


# --- segments ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        ([], [(0, 10, ())]),
        ([(0, 10)], [(0, 10, (0,))]),
        ([(2, 5), (2, 5)], [(0, 2, ()), (2, 5, (0, 1)), (5, 10, ())]),
        ([(0, 8), (3, 4)], [(0, 3, (0,)), (3, 4, (0, 1)), (4, 8, (0,)), (8, 10, ())]),
        ([(5, 5), (4, 12), (-1, 3)], [(0, 10, ())]),
    ],
    ids=[
        "no spans leave one plain piece",
        "a span over everything is one piece",
        "the same span twice marks one piece with both",
        "a nested span splits its outer span in three",
        "empty and out-of-range spans cover nothing",
    ],
)
def test_segments(spans, expected):
    assert evidence_segments(10, spans) == expected


@given(
    st.integers(0, 40).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(st.tuples(st.integers(0, n), st.integers(0, n)).map(sorted).map(tuple), max_size=8),
        )
    )
)
def test_segments_partition_the_text_and_spell_every_span(case):
    length, spans = case
    pieces = evidence_segments(length, spans)
    assert [p[0] for p in pieces[1:]] == [p[1] for p in pieces[:-1]]
    if length:
        assert (pieces[0][0], pieces[-1][1]) == (0, length)
    else:
        assert pieces == []
    for i, (start, end) in enumerate(spans):
        covered = [(a, b) for a, b, cover in pieces if i in cover]
        if start < end:
            assert (covered[0][0], covered[-1][1]) == (start, end)
            assert all(b == a2 for (_, b), (a2, _) in zip(covered, covered[1:], strict=False))
        else:
            assert covered == []


# --- the page, as written -----------------------------------------------------------------


def test_seed_004_every_evidence_span_is_marked_at_its_exact_characters(seed_004):
    report, article, text = seed_004
    check_spans(Page(text), report, article)


def test_seed_004_marks_the_clickbait_words_and_the_filler_teaser(seed_004):
    report, _, text = seed_004
    page = Page(text)
    marked = {(e.signal, *page.span_of(f"a1-e{i}")[2:]) for i, e in enumerate(report.evidence, 1)}
    assert {("clickbait", "Shocking", "title"), ("clickbait", "!", "title")} <= marked
    filler = {t for signal, t, _ in marked if signal == "filler"}
    assert any(t.startswith("- YOU MAY ALSO LIKE TO WATCH THIS TRENDING STORY") for t in filler)
    assert {"let’s dive into it", "cannot be overstated"} <= filler
    # Coloured by signal, with the note on hover and in the numbered notes.
    teaser = next(
        i for i, e in enumerate(report.evidence, 1) if e.note == "boilerplate: related-content teaser"
    )
    mark = next(
        a for tag, a in page.elements if tag == "mark" and f"a1-e{teaser}" in a.get("data-ev", "").split()
    )
    assert "s-filler" in mark["class"].split()
    assert "boilerplate: related-content teaser" in mark["title"]
    notes = [a for tag, a in page.elements if tag == "li" and a.get("id", "").startswith("a1-fn")]
    assert len(notes) == len(report.evidence)


def test_seed_004_has_one_bar_per_signal_and_a_waterfall_that_adds_up(seed_004):
    report, _, text = seed_004
    page = Page(text)
    bars = [a for tag, a in page.elements if tag == "span" and "fill" in a.get("class", "").split()]
    assert len(bars) == len(quality.SIGNALS)
    start = [float(a["data-value"]) for tag, a in page.elements if tag == "g" and a.get("class") == "start"]
    steps = [float(a["data-value"]) for tag, a in page.elements if tag == "g" and a.get("class") == "step"]
    end = [float(a["data-value"]) for tag, a in page.elements if tag == "g" and a.get("class") == "end"]
    assert start == [report.intercept]
    assert math.fsum(steps) == pytest.approx(math.fsum(report.contributions.values()), abs=1e-12)
    assert end[0] == pytest.approx(report.logit, abs=1e-9)
    assert {"clickbait", "filler"} <= {
        a["data-name"] for tag, a in page.elements if tag == "g" and "data-name" in a
    }


def test_the_page_loads_nothing_and_runs_nothing(seed_004):
    _, _, text = seed_004
    page = Page(text)
    tags = {tag for tag, _ in page.elements}
    assert not tags & {"script", "iframe", "object", "embed", "link", "img"}
    for _, attrs in page.elements:
        assert not any(k.startswith("on") for k in attrs)
        for key in ("src", "href"):
            assert not attrs.get(key, "#").startswith(("http", "//")), attrs
    assert "default-src 'none'" in text


def test_several_articles_share_one_page_with_an_index_least_reliable_first(seeds, seed_reports):
    pairs = [(seed_reports[k], seeds[k]) for k in sorted(seeds)]
    error = RecordError("broken.jsonl:3", "quality: 'broken.jsonl' line 3: not valid JSON <here>", "read")
    text = explanation_page([*pairs, error])
    page = Page(text)
    order = [a["data-id"] for tag, a in page.elements if tag == "article"]
    assert order == [r.id for r, _ in sorted(pairs, key=lambda p: p[0].reliability)]
    index = [a["href"] for tag, a in page.elements if tag == "a" and a.get("href", "").startswith("#a")]
    assert index[: len(pairs)] == [f"#a{i}" for i in range(1, len(pairs) + 1)]
    for anchor, (report, article) in zip(
        (f"a{i}" for i in range(1, 6)), sorted(pairs, key=lambda p: p[0].reliability), strict=True
    ):
        check_spans(page, report, article, anchor)
    assert "not valid JSON <here>" in page.text


def test_article_text_ids_urls_and_notes_are_shown_as_text(model):
    report = quality.score(HOSTILE, model=model)
    note = Evidence(
        "filler", "filler.boilerplate_lines", "body", 0, 9, "Officials", "<img src=y onerror=alert(2)>"
    )
    report = dataclasses.replace(report, evidence=(*report.evidence, note))
    text = explanation_page([(report, HOSTILE)])
    page = Page(text)
    assert not {tag for tag, _ in page.elements} & {"script", "img", "b"}
    assert not [a for _, a in page.elements if any(k.startswith("on") for k in a)]
    assert all(not a.get("href", "").startswith("javascript") for _, a in page.elements)
    assert "<script>document.title='pwned'</script>" in page.text
    assert "<img src=y onerror=alert(2)>" in page.text
    assert page.field("a1", "body").text == HOSTILE.body  # the \r too
    assert [a["data-id"] for tag, a in page.elements if tag == "article"] == [HOSTILE.id]


def test_spans_that_do_not_match_the_text_are_listed_not_marked():
    article = Article(id="a", title="Storm", body="Winds rose.")
    stale = Evidence("typos", "typos.misspelled_per_100w", "body", 0, 5, "Wunds", "Wunds: likely Winds")
    report = Report(
        id="a",
        reliability=0.5,
        label="uncertain",
        signals={},
        features={},
        contributions={},
        intercept=0.0,
        evidence=(stale,),
    )
    page = Page(explanation_page([(report, article)]))
    assert page.span_of("a1-e1") is None
    assert "Wunds: likely Winds" in page.text and "not the one that was scored" in page.text


def test_label_thresholds_match_the_model():
    from quality import html

    assert (html._RELIABLE_AT, html._UNRELIABLE_BELOW) == (
        model_module.RELIABLE_AT,
        model_module.UNRELIABLE_BELOW,
    )


def test_write_page_replaces_the_file_whole(tmp_path):
    target = tmp_path / "out.html"
    target.write_text("old")
    write_page("<p>\ud800</p>", target)  # a lone surrogate from JSON input
    assert target.read_text(encoding="utf-8") == "<p>&#55296;</p>"
    assert [p.name for p in tmp_path.iterdir()] == ["out.html"]


# --- the command line ---------------------------------------------------------------------


def test_explain_html_writes_the_page_and_keeps_the_terminal_text(tmp_path, capsys, seeds):
    out = tmp_path / "out.html"
    assert main(["explain", str(SEED_004), "--html", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("004_f24d6baf59f876e2: UNRELIABLE")
    assert "wrote the explanation of 1 of 1 records" in captured.err
    page = Page(out.read_text(encoding="utf-8"))
    assert page.field("a1", "title").text == seeds["004"].title
    assert page.span_of("a1-e1")[2] == "Shocking"


def test_explain_html_to_a_missing_folder_fails_before_scoring(tmp_path, capsys):
    assert main(["explain", str(SEED_004), "--html", str(tmp_path / "no" / "out.html")]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "cannot write the page" in captured.err


# --- a real browser -----------------------------------------------------------------------

CHROMIUM = shutil.which("chromium")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (.ci/run installs Debian's chromium)"
)


def _chromium(page: Path, profile: Path, *args: str) -> str:
    """Chromium's output: the DOM for --dump-dom (as bytes, decoded: text mode would turn
    the article's carriage returns into line feeds)."""
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        *args,
        page.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, timeout=60, check=True)
    return done.stdout.decode("utf-8")


@needs_chromium
@pytest.mark.slow
def test_browser_highlights_every_span_of_seed_004_and_takes_a_screenshot(seed_004, tmp_path):
    report, article, text = seed_004
    path = tmp_path / "seed_004.html"
    write_page(text, path)
    dom = _chromium(path, tmp_path / "profile", "--dump-dom")
    assert "<mark" in dom
    check_spans(Page(dom), report, article)
    shot = tmp_path / "seed_004.png"
    _chromium(
        path, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1100,1400", "--hide-scrollbars"
    )
    from PIL import Image

    with Image.open(shot) as image:
        assert image.size == (1100, 1400)
        # A drawn page, not a blank one: the marks' colours are there.
        assert len(image.convert("RGB").getcolors(1 << 20) or ()) > 50


@needs_chromium
def test_browser_runs_nothing_from_a_hostile_article(model, tmp_path):
    report = quality.score(HOSTILE, model=model)
    path = tmp_path / "hostile.html"
    write_page(explanation_page([(report, HOSTILE)]), path)
    dom = _chromium(path, tmp_path / "profile", "--dump-dom")
    page = Page(dom)
    assert not {tag for tag, _ in page.elements} & {"script", "img"}
    assert not [a for tag, a in page.elements if tag == "body" and "data-pwned" in a]
    assert re.search(r"<title>([^<]*)</title>", dom).group(1) == "Why these scores"
    assert page.field("a1", "body").text == HOSTILE.body
    assert "<script>document.title='pwned'</script>" in page.field("a1", "title").text
