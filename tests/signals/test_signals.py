"""Every signal: features named `signal.feature`, finite numbers, exact evidence, zeros on empty input."""

from __future__ import annotations

import math

import pytest

from quality.article import Article
from quality.doc import make_doc
from quality.signals import FEATURE_NAMES, analyse, claims, clickbait, filler, sourcing, style, typos
from tests import resources as R

MODULES = [sourcing, typos, filler, claims, clickbait, style]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[1])
def test_empty_article_gives_zeros_not_errors(module):
    result = module.analyse(make_doc(Article(title="", body="")))
    assert result.score == 0.0
    assert set(result.features) == set(module.FEATURES)
    assert all(v == 0.0 for v in result.features.values())
    assert result.evidence == ()


def test_feature_names_are_signal_dot_snake_case_and_unique():
    assert len(FEATURE_NAMES) == len(set(FEATURE_NAMES))
    for name in FEATURE_NAMES:
        family, feature = name.split(".")
        assert family in ("sourcing", "typos", "filler", "unsupported_claims", "clickbait", "style")
        assert feature == feature.lower() and " " not in feature


@pytest.mark.parametrize(
    "body",
    [R.SOURCED, R.UNSOURCED, R.TYPO_NKH, R.FILLER, R.DUPLICATED, R.HEDGED, R.UNATTRIBUTED, R.NAME_VARIANTS],
    ids=["sourced", "unsourced", "typo", "filler", "duplicated", "hedged", "unattributed", "name variants"],
)
def test_every_evidence_span_points_at_its_text_and_scores_are_in_range(body):
    article = Article(title=R.CLICKBAIT_TITLES[0], body=body)
    for result in analyse(article).values():
        assert 0.0 <= result.score <= 1.0
        assert all(math.isfinite(v) for v in result.features.values())
        for e in result.evidence:
            assert getattr(article, e.field)[e.start : e.end] == e.text
            assert e.text.strip() == e.text and e.text
            assert e.signal == result.name and e.feature in result.features


def test_signals_are_deterministic():
    article = Article(title=R.CLICKBAIT_TITLES[1], body=R.FILLER + "\n" + R.HEDGED)
    assert analyse(article) == analyse(article)


@pytest.mark.parametrize(
    "body",
    [
        "A" * 20000,
        "A. " * 5000,
        "Foo " * 4000,
        "\n" * 20000,
        "\r\n" * 10000,
        "." * 20000,
        "a." * 10000,
        "“" * 20000,
        '"' * 20000,
        "according to " * 3000,
        "The same sentence is here again and again. " * 3000,
    ],
    ids=[
        "one huge word",
        "initials",
        "capitalised words",
        "blank lines",
        "windows blank lines",
        "dots",
        "dotted letters",
        "open quotes",
        "straight quotes",
        "attributions",
        "repeated sentence",
    ],
)
def test_adversarial_text_is_analysed_in_linear_time(body):
    # These inputs took seconds to minutes with backtracking regexes or pairwise sentence
    # comparison; the suite would stall here if that came back.
    results = analyse(Article(title=body[:200], body=body))
    assert all(0.0 <= r.score <= 1.0 for r in results.values())


def test_a_batch_is_analysed_one_signal_at_a_time(monkeypatch):
    """`analyse_many` runs each signal over the whole batch before the next (its code and
    patterns stay in the processor's caches: about a tenth less time), and gives each article
    what `analyse` gives it alone."""
    from quality.signals import analyse, analyse_many, claims, clickbait, filler, sourcing, style, typos

    articles = [
        Article("Storm hits coast", "Winds reached 120 km/h, the agency said. Officials seem worried."),
        Article("You won't believe this", "Teh goverment said nothing.\nShare this story"),
        Article("Rain", "It rained. It rained."),
    ]
    alone = [analyse(a) for a in articles]
    calls: list[tuple[str, str]] = []
    for module in (sourcing, typos, filler, claims, clickbait, style):
        original = module.analyse

        def logged(doc, *args, _name=module.__name__, _original=original, **kwargs):
            calls.append((_name.rsplit(".", 1)[1], doc.title.text))
            return _original(doc, *args, **kwargs)

        monkeypatch.setattr(module, "analyse", logged)
    batch = analyse_many(articles)
    assert batch == alone
    names = [name for name, _ in calls]
    assert names == [
        n for n in ("sourcing", "typos", "filler", "claims", "clickbait", "style") for _ in articles
    ]
    assert [title for _, title in calls[:3]] == [a.title for a in articles]
