from __future__ import annotations

import pytest

from quality.article import Article
from quality.doc import make_doc
from quality.signals import filler
from tests import resources as R


def _run(body: str):
    return filler.analyse(make_doc(Article(title="T", body=body)))


def test_site_chrome_lines_are_found_whole():
    r = _run(R.FILLER)
    chrome = [e.text for e in r.evidence if e.feature == "filler.boilerplate_lines"]
    assert chrome == [
        "Skip to content",
        "Leave a Reply",
        "Your email address will not be published. Required fields are marked *",
        "Tags: bridge, city, transport",
    ]
    padding = [e.text for e in r.evidence if e.feature == "filler.seo_phrases_per_100w"]
    assert padding == ["cannot be overstated", "Let's dive into it"]
    assert r.score > 0.9


@pytest.mark.parametrize(
    "line",
    [
        "- YOU MAY ALSO LIKE TO WATCH THIS TRENDING STORY ON YOUTUBE. Haunted Room 502",
        "335 SHARES",
        "Read also:",
        "Meet Molly, your personal news guide who reads between the lines.",
        "Share this:",
    ],
    ids=["related-content teaser", "share counter", "read also", "author blurb", "share buttons"],
)
def test_boilerplate_kinds(line):
    r = _run(f"The bridge opened on Monday.\n{line}\nIt cost 12 million euros.")
    assert [e.text for e in r.evidence] == [line]


def test_prose_that_starts_like_chrome_is_not_chrome():
    r = _run("Latest figures show unemployment fell to 4.1 percent in March, the statistics office said.")
    assert r.evidence == ()


def test_a_repeated_sentence_is_a_duplicate():
    r = _run(R.DUPLICATED)
    dups = [e for e in r.evidence if e.feature == "filler.duplicate_sentence_ratio"]
    assert len(dups) == 1 and dups[0].start > 50
    assert r.features["filler.duplicate_sentence_ratio"] > 0.4


def test_tight_news_prose_has_no_filler():
    r = _run(R.TIGHT)
    assert r.evidence == () and r.score == 0.0


def test_seed_filler(seed_reports):
    def texts(key):
        return " ".join(e.text for e in seed_reports[key].evidence if e.signal == "filler")

    assert "YOU MAY ALSO LIKE" in texts("004")
    assert "Leave a Reply" in texts("002")
    assert "Skip to content" in texts("001") and "Meet Molly" in texts("001")
