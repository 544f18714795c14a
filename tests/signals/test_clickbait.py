from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import f1_score, roc_auc_score

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


@pytest.mark.parametrize(
    "title",
    [
        "40 Civilians 25 YPG Fighters Killed by Shelling Near Jarablus",
        "Bittersweet e-ceremony for UIC graduates",
        "COVID-19 Cases Rise in 12 States",
        "14 Dead in Flooding in Northern Italy",
    ],
    ids=["casualty count and a militia's initials", "a university's initials", "COVID-19", "death toll"],
)
def test_news_counts_and_initials_are_not_bait(title):
    assert _run(title).evidence == ()


@pytest.mark.parametrize(
    "title",
    [
        "'This will hurt you': nurses warn of pay cuts",
        "Mayor tells residents: “We will not leave you behind”",
    ],
    ids=["single-quoted speech", "double-quoted speech"],
)
def test_you_in_quoted_speech_does_not_address_the_reader(title):
    assert _run(title).features["clickbait.second_person"] == 0


def test_a_short_word_in_capitals_is_shouting():
    r = _run("OMG, YOU Have to See This Bridge")
    assert [e.text for e in r.evidence if e.feature == "clickbait.all_caps_words"] == ["OMG", "YOU"]


class _WordModel:
    """A stand-in headline model that reads one word as bait."""

    def predict_proba(self, titles):
        p = np.array([0.9 if "Stunning" in t else 0.1 for t in titles])
        return np.column_stack([1 - p, p])


def test_a_score_carried_by_the_model_names_the_words_it_read():
    r = _run("A Stunning Bridge Opens in Lyon", _WordModel())
    assert r.score >= 0.5
    named = [e for e in r.evidence if e.feature == "clickbait.probability"]
    assert [e.text for e in named] == ["Stunning"] and "headline model" in named[0].note


def test_a_score_carried_by_the_model_without_it_names_the_headline():
    doc = make_doc(Article(title="A Stunning Bridge Opens in Lyon", body="Body text."))
    r = clickbait.analyse(doc, probability=0.9)
    assert [e.text for e in r.evidence if e.feature == "clickbait.probability"] == [
        "A Stunning Bridge Opens in Lyon"
    ]


def test_a_hesitant_model_answer_is_not_clickbait_in_news():
    # Stop Clickbait is half clickbait, news is not: 0.6 is a coin toss there, not bait here.
    doc = make_doc(Article(title="Singer Mara Velloso Announces Divorce After 11 Years", body="Body text."))
    hesitant = clickbait.analyse(doc, probability=0.6)
    assert hesitant.score < 0.5 and hesitant.features["clickbait.probability"] == 0.6
    assert not [e for e in hesitant.evidence if e.feature == "clickbait.probability"]
    assert clickbait.analyse(doc, probability=0.99).score >= 0.5


def test_acronyms_are_not_shouting():
    assert _run("NATO and the UN meet in Brussels").features["clickbait.all_caps_words"] == 0


@pytest.mark.parametrize(
    ("title", "masked"),
    [
        ("Selena Gomez Was Spotted at a Gig", "was spotted at a gig"),
        ("Kim slams the critics", "slams the critics"),
        ("A message from kris jenner's surgeon", "a message from surgeon"),
    ],
    ids=["a full name in title case", "a given name before a headline word", "lower case and possessive"],
)
def test_people_s_names_are_hidden_from_the_word_views(title, masked):
    assert clickbait.mask_names(title) == masked


def test_the_word_views_of_the_headline_model_do_not_see_names():
    from quality.submodels import make_headline_model

    union = make_headline_model().steps[0][1]
    for _, view in union.transformer_list[2:]:
        analyse_text = view.build_analyzer()
        assert not {"jennifer", "kylie"} & set(analyse_text("Jennifer Aniston and Kylie Jenner"))


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


def test_the_headline_model_alone_reads_form_not_topic(seeds, model):
    """Every seed is about North Korea, Russia and drones; only 004's headline baits."""
    titles = {k: a.title for k, a in seeds.items()}
    p = dict(zip(titles, model.headline_model.predict_proba(list(titles.values()))[:, 1], strict=True))
    assert p["004"] >= 0.5, p
    assert all(v < 0.5 for k, v in p.items() if k != "004"), p


def test_the_headline_model_alone_separates_our_clickbait_examples(labeled, model):
    """Our clickbait examples (many on serious topics) are never trained on: a cross-set check."""
    rows = [r for r in labeled if r["signal"] == "clickbait"]
    p = model.headline_model.predict_proba([r["title"] for r in rows])[:, 1]
    y = [r["label"] for r in rows]
    assert roc_auc_score(y, p) >= 0.95
    assert f1_score(y, p >= 0.5) >= 0.9


def test_the_shipped_headline_model_tells_topic_matched_pairs_apart(model):
    """The held-out fifth of labeled/headlines.csv: each fact as news and as clickbait."""
    from quality.training import evaluate_headlines

    pairs = Path(__file__).resolve().parents[2] / "labeled" / "headlines.csv"
    held_out = evaluate_headlines(model, [pairs], held_out=True)["headlines"]
    pairs_in_file = pd.read_csv(pairs)["pair"].nunique()
    # Whole pairs, one of five group folds: a fifth of them, rounded either way.
    assert held_out["rows"] in (2 * (pairs_in_file // 5), 2 * -(-pairs_in_file // 5))
    # (F1 0.956 before pairs 581-692, whose news rows are full sentences: harder to tell apart.)
    assert held_out["f1"] >= 0.92 and held_out["auc"] >= 0.98


def _every_word_capitalised(title: str) -> str:
    """A headline in the house style of outlets that capitalise every word, "a" and "of" too."""
    return re.sub(r"(?<![\w'’])([a-z])", lambda m: m.group(1).upper(), title)


def test_every_word_capitalised_is_the_same_headline():
    assert _every_word_capitalised("North Korea sends workers to Russia, a report says") == (
        "North Korea Sends Workers To Russia, A Report Says"
    )


def test_the_headline_model_ignores_house_capitalisation(model):
    """In Stop Clickbait the clickbait outlets capitalise every word and the news outlets do
    not, so casing alone would lift in-set F1 (0.977 to 0.989 on the held-out fifth) while
    flagging about a quarter of plain news headlines written in that style. The shipped model
    must give the same headline the same probability whatever the outlet's casing rule."""
    pairs = Path(__file__).resolve().parents[2] / "labeled" / "headlines.csv"
    titles = pd.read_csv(pairs)["headline"].tolist()
    recased = [_every_word_capitalised(t) for t in titles]
    assert sum(a != b for a, b in zip(titles, recased, strict=True)) > len(titles) / 2
    p = model.headline_model.predict_proba(titles)[:, 1]
    q = model.headline_model.predict_proba(recased)[:, 1]
    assert np.abs(p - q).max() < 1e-9


def test_quoted_speech_is_one_token_in_the_headline_form():
    """A news headline built on a quotation ("Clinton on shootings: 'too many have lost their
    lives'") reports what someone said; the quoted words ("too", "many", "I") are the
    speaker's, not the writer's bait. In the form view they are one `_quote`."""
    from quality.signals.clickbait import abstract_headline

    said = abstract_headline("Clinton on police shootings: 'too many people have lost their lives'")
    assert said == "_w on _w _w : _quote"
    # A single quoted word is a term or a title, not speech: it stays as it is.
    assert abstract_headline("The 'Covfefe' Act") == "the ' _w ' _w"


def test_a_web_address_for_a_headline_is_not_judged():
    """Scrapers put the page's address where the headline was missing; the model read one as
    near-certain bait (0.98). It is no headline: score 0, no evidence."""
    doc = make_doc(
        Article(
            title="http://www.example.com/music/news/singer-new-song-look-what-you-made", body="Body text."
        )
    )
    r = clickbait.analyse(doc, probability=0.98)
    assert r.score == 0.0 and r.evidence == ()
    plain = make_doc(Article(title="Singer's New Song Look What You Made Me Do", body="Body text."))
    assert clickbait.analyse(plain, probability=0.98).score >= 0.5


def test_the_model_alone_needs_near_certainty_to_call_a_plain_headline_bait():
    """The operating point (NEWS_PRIOR_ODDS, chosen on the dev half of labeled/real for
    precision): an informal but informative headline the model gives 0.9 is not called bait
    without a rule's word or mark, nor one it gives 0.96 (session 9: odds 0.03); 0.99 still is."""
    doc = make_doc(
        Article(title="Singer Mara Velloso Was Spotted at a Gig in Oslo Last Night", body="Body text.")
    )
    assert clickbait.analyse(doc, probability=0.9).score < 0.5
    assert clickbait.analyse(doc, probability=0.96).score < 0.5
    assert clickbait.analyse(doc, probability=0.99).score >= 0.5
