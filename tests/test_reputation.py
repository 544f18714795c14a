"""Source reputation: optional, keyed by domain, never in the default (content-only) model."""

from __future__ import annotations

import json

import pytest

import quality
from quality.cli import main
from quality.reputation import SourceReputation, domain_of


@pytest.fixture
def table(tmp_path):
    path = tmp_path / "domains.csv"
    path.write_text("domain,reliability_label\nbbc.co.uk,1\nfakesite.com,-2\nmixed.org,0\n")
    return SourceReputation.from_csv(path)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.bbc.co.uk/news/world-1", [1.0, 1.0]),
        ("http://news.bbc.co.uk/2/hi/1.stm", [1.0, 1.0]),
        ("fakesite.com/story", [-1.0, 1.0]),
        ("https://mixed.org", [0.0, 1.0]),
        ("https://unknown.net/a", [0.0, 0.0]),
        (None, [0.0, 0.0]),
    ],
    ids=["known domain", "subdomain", "no scheme", "mixed", "unknown", "no url"],
)
def test_features_by_domain(table, url, expected):
    assert table.features(url) == expected


def test_unusable_rows_are_skipped_and_reported(tmp_path, caplog):
    path = tmp_path / "bad.csv"
    path.write_text("domain,reliability_label\nbbc.co.uk,1\nexample.org,7\n,1\n")
    table = SourceReputation.from_csv(path)
    assert table.scores == {"bbc.co.uk": 1.0}
    assert table.source["skipped_rows"] == [3, 4]
    assert "skipped 2 rows" in caplog.text


def test_a_file_without_the_columns_is_refused(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("site,score\nbbc.co.uk,1\n")
    with pytest.raises(ValueError, match="'other.csv' needs 'domain'"):
        SourceReputation.from_csv(path)


def test_domain_of_strips_www_and_case():
    assert domain_of("HTTPS://WWW.Example.COM/Path") == "example.com"


def test_the_shipped_model_is_content_only(model):
    assert model.reputation is None
    assert model.card["content_only"] is True
    assert not any(n.startswith("reputation.") for n in model.feature_names)


@pytest.mark.slow
def test_a_model_trained_with_reputation_uses_it_and_says_so(corpora, tmp_path):
    out = tmp_path / "rep"
    code = main(
        [
            "train",
            "--data",
            str(corpora / "articles" / "fakenewsnet_buzzfeed.jsonl"),
            "--headlines",
            str(corpora / "headlines" / "stop_clickbait.csv"),
            "--reputation",
            str(corpora / "sources" / "golden_truth_dataset.csv"),
            "--limit",
            "120",
            "-o",
            str(out),
        ]
    )
    assert code == 0
    model = quality.load_model(out)
    card = json.loads(out.with_suffix(".json").read_text())
    assert card["content_only"] is False and card["training_data"]["reputation"]["domains"] > 1000
    assert model.signal_names[-2:] == ("reputation.domain_score", "reputation.known")
    report = quality.score(
        {
            "title": "Budget passes",
            "body": "The vote was 312 to 200, officials said.",
            "url": "https://www.bbc.co.uk/news/1",
        },
        model=model,
    )
    assert "reputation.domain_score" in report.contributions
    assert report.intercept + sum(report.contributions.values()) == pytest.approx(report.logit, abs=1e-9)


def test_an_outlets_short_link_counts_as_the_outlet(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("domain,reliability_label\npolitico.com,1\n")
    assert SourceReputation.from_csv(path).features("http://politi.co/2bXyZ") == [1.0, 1.0]
