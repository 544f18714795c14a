"""The scikit-learn face: Featurizer and make_model exported, a signal cache for grid searches,
pandas output, and the README's pipeline example run on a small labeled sample."""

from __future__ import annotations

import json
import logging
import pickle
import re
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import GridSearchCV

import quality
from quality.features import Featurizer
from tests import resources as R
from tests.conftest import ROOT

README = ROOT / "README.md"


def _labeled_sample(corpora: Path, n: int = 24) -> pd.DataFrame:
    """The first n/2 reliable and n/2 unreliable articles of the BuzzFeed corpus."""
    rows = [json.loads(line) for line in (corpora / "articles" / "fakenewsnet_buzzfeed.jsonl").open()]
    half = n // 2
    picked = [r for r in rows if r["label"] == "reliable"][:half] + [
        r for r in rows if r["label"] == "unreliable"
    ][:half]
    return pd.DataFrame(picked)


def _computed(caplog) -> int:
    """Articles whose signals the featurizers computed (not read from the cache), from their logs."""
    return sum(
        r.args[0] for r in caplog.records if r.name == "quality.features" and "computed" in r.getMessage()
    )


def test_the_sklearn_names_are_exported_lazily():
    assert quality.Featurizer is Featurizer
    assert quality.make_model is quality.model.make_model
    assert quality.ReliabilityClassifier is quality.model.ReliabilityClassifier
    assert {"Featurizer", "ReliabilityClassifier", "make_model", "as_article"} <= set(quality.__all__)


def test_as_article_lives_beside_record_fields_and_is_still_importable_from_features():
    from quality.article import as_article, record_fields
    from quality.features import as_article as old

    assert old is as_article
    record = {"Headline": "Flood closes schools", "text": "Twelve shut."}
    assert as_article(record).title == record_fields(record)[0]["title"]
    assert as_article(pd.Series(record)).body == "Twelve shut."


@pytest.mark.slow
def test_a_grid_search_over_c_computes_each_articles_signals_once(tmp_path, model, corpora, caplog):
    sample = _labeled_sample(corpora)
    X, y = sample[["title", "body"]], (sample["label"] == "reliable").astype(int)
    pipeline = quality.make_model(
        headline_model=model.headline_model,
        claim_model=model.claim_model,
        vocabulary=False,
        memory=tmp_path / "cache",
    )
    with caplog.at_level(logging.DEBUG, logger="quality.features"):
        search = GridSearchCV(pipeline, {"classifier__C": [0.1, 10.0]}, cv=2).fit(X, y)
    # 2 candidates x 2 folds x (train + test) + the refit transformed 10 x 24 articles; each was
    # computed once.
    assert _computed(caplog) == len(X)
    assert search.best_params_["classifier__C"] in (0.1, 10.0)
    assert len(list((tmp_path / "cache").rglob("*.npy"))) == len(X)


def test_cached_features_equal_computed_ones_and_a_damaged_file_is_recomputed(tmp_path, model, caplog):
    articles = [
        {"title": R.NEWS_TITLES[1], "body": R.SOURCED},
        {"title": R.CLICKBAIT_TITLES[0], "body": R.UNSOURCED},
    ]
    plain = Featurizer(model.headline_model, model.claim_model).fit(articles).transform(articles)
    cached = Featurizer(model.headline_model, model.claim_model, memory=str(tmp_path))
    first = cached.fit(articles).transform(articles)
    for path in (tmp_path / "quality-signals").rglob("*.npy"):
        path.write_bytes(b"not an array")
        break
    with caplog.at_level(logging.DEBUG, logger="quality.features"):
        again = cached.transform(articles)
    assert np.array_equal(plain, first) and np.array_equal(plain, again)
    assert _computed(caplog) == 1  # the damaged one


def test_other_sub_models_use_another_cache(tmp_path, model, caplog):
    articles = [{"title": R.CLICKBAIT_TITLES[0], "body": R.UNSOURCED}]
    with_model = Featurizer(model.headline_model, memory=tmp_path).fit(articles).transform(articles)
    with caplog.at_level(logging.DEBUG, logger="quality.features"):
        rules_only = Featurizer(memory=tmp_path).fit(articles).transform(articles)
    assert _computed(caplog) == 1
    assert with_model.shape == rules_only.shape


def test_memory_takes_a_joblib_memory_and_refuses_other_things(tmp_path, caplog):
    articles = [{"title": "Storm hits coast", "body": "Winds rose, the agency said."}]
    Featurizer(memory=joblib.Memory(tmp_path, verbose=0)).fit(articles).transform(articles)
    assert list((tmp_path / "quality-signals").rglob("*.npy"))
    with pytest.raises(TypeError, match="memory must be None, a folder"):
        Featurizer(memory=42).fit(articles).transform(articles)


def test_pandas_output_names_every_column_and_keeps_the_index(tmp_path):
    frame = pd.DataFrame(
        {"title": ["Storm hits coast", "Bridge opens"], "body": [R.SOURCED, R.TIGHT]}, index=["x", "y"]
    )
    out = Featurizer(memory=tmp_path).set_output(transform="pandas").fit_transform(frame)
    assert list(out.index) == ["x", "y"]
    assert list(out.columns) == list(Featurizer().fit(frame).get_feature_names_out())


def test_a_featurizer_pickled_before_memory_existed_still_loads():
    f = Featurizer().fit([{"title": "T", "body": "b"}])
    del f.memory  # as the shipped model's featurizer was saved
    again = pickle.loads(pickle.dumps(f))
    assert again.memory is None and "memory" in again.get_params()


@pytest.mark.slow
def test_the_readme_pipeline_example_runs_on_a_small_sample(tmp_path, corpora, monkeypatch, capsys):
    text = README.read_text(encoding="utf-8")
    section = text.split("### In a scikit-learn pipeline", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    corpus = "../shared/corpora/articles/fakenewsnet_buzzfeed.jsonl"
    assert corpus in code
    sample = tmp_path / "sample.jsonl"
    _labeled_sample(corpora).to_json(sample, orient="records", lines=True)
    monkeypatch.chdir(tmp_path)  # the cache folder goes there
    exec(compile(code.replace(corpus, str(sample)), "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == 3 and "classifier__C" in printed[1]
    assert (tmp_path / ".quality-cache" / "quality-signals").is_dir()
