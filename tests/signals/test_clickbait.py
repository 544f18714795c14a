from __future__ import annotations

import pytest

from quality.article import Article
from quality.doc import make_doc
from quality.signals import clickbait
from tests import resources as R


def _run(title: str, headline_model=None):
    return clickbait.analyse(make_doc(Article(title=title, body="Body text.")), headline_model)


def test_rules_find_the_bait_in_a_headline():
    r = _run(R.CLICKBAIT_TITLES[0])
    assert {e.text: e.feature for e in r.evidence} == {
        "Shocking": "clickbait.sensational_words",
        "!": "clickbait.exclamations",
    }


@pytest.mark.parametrize(
    ("title", "feature", "text"),
    [
        ("You Won't Believe What This Mayor Did Next", "clickbait.forward_reference", None),
        ("17 Things Only Nurses Will Understand", "clickbait.listicle", "17"),
        ("Here's Why Everyone Is Talking About The Budget", "clickbait.forward_reference", "Here's Why"),
        ("Russia's Secret Plan EXPOSED", "clickbait.all_caps_words", "EXPOSED"),
        ("Is Your Pension Safe?", "clickbait.second_person", "Your"),
    ],
    ids=["forward reference", "listicle", "here's why", "all caps", "second person"],
)
def test_rule_features(title, feature, text):
    hits = [e for e in _run(title).evidence if e.feature == feature]
    assert hits
    if text:
        assert hits[0].text == text


def test_acronyms_are_not_shouting():
    assert _run("NATO and the UN meet in Brussels").features["clickbait.all_caps_words"] == 0


def test_headline_form_hides_topic_words():
    assert clickbait.abstract_headline("North Korea's Shocking Deal!") == "_w _w shocking _w !"


@pytest.mark.parametrize("title", R.CLICKBAIT_TITLES)
def test_clickbait_headlines_score_high_with_the_shipped_model(title, model):
    assert _run(title, model.headline_model).score >= 0.5


@pytest.mark.parametrize("title", R.NEWS_TITLES)
def test_news_headlines_score_low_with_the_shipped_model(title, model):
    assert _run(title, model.headline_model).score < 0.5


def test_seed_004_has_the_most_clickbait_headline(seed_reports):
    scores = {k: r.signals["clickbait"] for k, r in seed_reports.items()}
    assert max(scores, key=scores.get) == "004"
    assert scores["004"] >= 0.5 and scores["003"] < 0.5
