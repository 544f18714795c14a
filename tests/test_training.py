"""Training: `quality train` writes a model and card that `quality evaluate` reproduces."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

import quality
from quality._files import file_sha256
from quality.cli import main
from quality.model import save_model
from quality.signals import FEATURE_NAMES
from quality.training import (
    auc_difference,
    expected_calibration_error,
    load_labeled,
    metrics,
    train,
)
from quality.training.metrics import _resampled_aucs
from quality.training.sentences import _read_sentences, _split_sentences

PAIRS = Path(__file__).resolve().parent.parent / "labeled" / "headlines.csv"


@pytest.fixture(scope="module")
def trained(corpora, tmp_path_factory):
    out = tmp_path_factory.mktemp("model") / "small"
    code = main(
        [
            "train",
            "--data",
            str(corpora / "articles"),
            "--headlines",
            str(corpora / "headlines" / "stop_clickbait.csv"),
            "--claims",
            str(corpora / "claims" / "claimbuster_2class.csv"),
            "--limit",
            "80",
            "-o",
            str(out),
        ]
    )
    assert code == 0
    return out


@pytest.mark.slow
def test_train_writes_a_card_with_data_hashes_splits_and_comparisons(trained, capsys):
    card = json.loads(trained.with_suffix(".json").read_text())
    assert card["training_data"]["split"]["limit"] == 80
    assert {f["rows"] for f in card["training_data"]["articles"]} == {80}
    assert card["weights"]["vocabulary"] > 0 and set(card["weights"]["signals_per_sd"]) == set(FEATURE_NAMES)
    assert card["training_data"]["claims"]["path"] == "claimbuster_2class.csv"
    lodo = card["metrics"]["leave_one_dataset_out"]
    assert set(lodo) == {
        "fakenewsnet_buzzfeed",
        "fakes_syria",
        "perez_rosas",
        "recovery",
        "random_split",
        "mean_left_out",
        "ablation",
    }
    splits = {k: v for k, v in lodo.items() if k not in ("mean_left_out", "ablation")}
    assert all({"quality", "tfidf_lr", "paired_bootstrap", "dropped"} == set(v) for v in splits.values())
    assert {"family:vocabulary", "family:sourcing", "family:typos", "style.first_person_per_100w"} <= set(
        lodo["ablation"]["without"]
    )
    # ReCOVery rates outlets: its rows are split by outlet, the others by row.
    grouped = {f["path"]: f["grouped_by"] for f in card["training_data"]["articles"]}
    assert grouped["recovery.jsonl"] == "source" and grouped["perez_rosas.jsonl"] == "row"
    assert card["git_commit"] is None or len(card["git_commit"]) == 40


@pytest.mark.slow
def test_the_card_pools_every_fold_held_out_once(trained, corpora):
    """The cross-validated figures hold every article out once; their first fold is the card's
    held-out split scored by the shipped model, and the other folds' models are fitted the way
    the shipped one is (`_fit_fold` on the first fold gives the shipped model's probabilities)."""
    from quality.training.comparison import _fit_fold, term_counts
    from quality.training.data import featurize, folds, load_labeled, split

    model = quality.load_model(trained)
    pooled = model.card["metrics"]["held_out_cross_validated"]
    held = model.card["metrics"]["held_out"]
    assert pooled["folds"] == 5 and pooled["all"]["rows"] == 4 * 80
    assert sum(f["rows"] for f in pooled["per_fold"]) == pooled["all"]["rows"]
    assert {k: v for k, v in pooled["per_fold"][0].items() if k != "fold"} == held["all"]
    assert {n: pooled[n]["rows"] for n in held if n != "all"} == {
        "fakenewsnet_buzzfeed": 80,
        "fakes_syria": 80,
        "perez_rosas": 80,
        "recovery": 80,
    }
    data_ = load_labeled([corpora / "articles"], limit=80, seed=0)
    parts = folds(data_)
    assert sorted(np.concatenate([test for _, test in parts]).tolist()) == list(range(len(data_.y)))
    train_idx, test_idx = split(data_)
    assert np.array_equal(parts[0][0], train_idx) and np.array_equal(parts[0][1], test_idx)
    X = featurize(data_.articles, model.headline_model, model.claim_model)
    again = _fit_fold(
        "fold_0",
        data_,
        X,
        train_idx,
        test_idx,
        model.headline_model,
        model.claim_model,
        None,
        {},
        term_counts(data_),
        True,
    )
    shipped = model.pipeline.predict_proba([data_.articles[i] for i in test_idx])[:, 1]
    np.testing.assert_allclose(again, shipped, atol=1e-9)


@pytest.mark.slow
def test_evaluate_held_out_reproduces_the_card(trained, corpora, capsys):
    model = quality.load_model(trained)
    card = model.card["metrics"]["held_out"]
    capsys.readouterr()
    assert main(["evaluate", "--data", str(corpora / "articles"), "--model", str(trained), "--held-out"]) == 0
    printed = capsys.readouterr().out
    for name, m in card.items():
        line = next(line for line in printed.splitlines() if line.startswith(name + " "))
        assert f"{m['auc']:.4f}" in line and f"{m['ece']:.4f}" in line, (name, line)


@pytest.mark.slow
def test_the_shipped_card_is_reproduced_by_evaluate(model, corpora):
    """The shipped model's held-out figures come back exactly from `evaluate --held-out`."""
    from quality.training import evaluate

    again = evaluate(model, [corpora / "articles"], held_out=True)
    assert again["all"] == model.card["metrics"]["held_out"]["all"]


def test_ece_is_zero_for_perfect_calibration_and_large_for_overconfidence():
    y = np.array([0, 1] * 50)
    assert expected_calibration_error(y, np.full(100, 0.5)) == pytest.approx(0.0)
    assert expected_calibration_error(y, np.where(y == 1, 0.0, 1.0)) == pytest.approx(1.0)
    assert metrics(y, y.astype(float))["auc"] == 1.0


def test_labels_must_be_known(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"title": "t", "body": "b", "label": "reliable"}\n{"title": "t", "body": "b", "label": "maybe"}\n'
    )
    with pytest.raises(ValueError, match="'bad.jsonl' line 2: label 'maybe'"):
        load_labeled([bad])


@pytest.fixture(scope="module")
def with_pairs(corpora, tmp_path_factory):
    """A small model whose headline model also learns from the project's topic-matched pairs."""
    out = tmp_path_factory.mktemp("model") / "pairs"
    model, card = train(
        [corpora / "articles"],
        [corpora / "headlines" / "stop_clickbait.csv", PAIRS],
        limit=40,
        compare=False,
    )
    save_model(model, out)
    return out


@pytest.mark.slow
def test_each_headline_file_has_its_own_held_out_figures_and_hash(with_pairs):
    card = json.loads(with_pairs.with_suffix(".json").read_text())
    files = {f["path"]: f for f in card["training_data"]["headlines"]}
    assert set(files) == {"stop_clickbait.csv", "headlines.csv"}
    assert files["headlines.csv"]["split_by"] == "pair"
    assert files["headlines.csv"]["sha256"] == file_sha256(PAIRS)
    held_out = card["metrics"]["headline_model_held_out"]
    assert set(held_out) == {"stop_clickbait", "headlines", "all"}
    assert held_out["stop_clickbait"]["rows"] + held_out["headlines"]["rows"] == held_out["all"]["rows"]


def test_pairs_are_held_out_whole():
    frame = pd.read_csv(PAIRS)
    train_part, test_part = _split_sentences(frame, "clickbait", seed=0)
    assert not set(train_part["pair"]) & set(test_part["pair"])
    # Both versions of every held-out fact are there: one plain, one clickbait.
    assert (test_part.groupby("pair")["clickbait"].agg(sorted).map(tuple) == (0, 1)).all()


@pytest.mark.slow
def test_evaluate_headlines_held_out_reproduces_the_card(with_pairs, corpora, capsys):
    card = json.loads(with_pairs.with_suffix(".json").read_text())["metrics"]["headline_model_held_out"]
    files = [str(corpora / "headlines" / "stop_clickbait.csv"), str(PAIRS)]
    capsys.readouterr()
    assert main(["evaluate", "--headlines", *files, "--model", str(with_pairs), "--held-out"]) == 0
    printed = capsys.readouterr().out
    for name in ("stop_clickbait", "headlines", "all"):
        line = next(line for line in printed.splitlines() if line.startswith(name + " "))
        assert f"{card[name]['f1']:.4f}" in line and f"{card[name]['auc']:.4f}" in line, (name, line)


def test_evaluate_needs_data_or_headlines(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["evaluate"])
    assert exc.value.code == 2
    assert "--data" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,clickbait\nA headline,1\n", "'bad.csv' has no column 'headline'"),
        ("headline,clickbait\nA headline,1\nAnother,yes\n", "'bad.csv' row 2: clickbait 'yes' is not 1 or 0"),
        ("headline,clickbait\nA headline,1\nAnother,\n", "'bad.csv' row 2: clickbait 'nan' is not 1 or 0"),
        ("", "cannot read labeled CSV"),
        ("headline,clickbait\n", "'bad.csv' has no labeled rows"),
        ("headline,clickbait\na,1\nb,1\nc,1\nd,1\ne,1\n", "every clickbait in ['bad.csv'] is 1"),
        ("pair,headline,clickbait\n1,a,1\n1,b,1\n2,c,0\n2,d,1\n", "pair '1' has labels [1, 1]"),
        ("pair,headline,clickbait\n1,a,1\n,b,0\n", "'bad.csv' row 2: pair is empty"),
        ("headline,clickbait\nA headline,1\nCaf\xe9 opens,0\n", "'bad.csv' row 2 (line 3): not UTF-8"),
    ],
    ids=[
        "missing column",
        "bad label",
        "missing label",
        "empty file",
        "header only",
        "one class",
        "pair of one label",
        "row without pair",
        "latin-1 byte",
    ],
)
def test_a_bad_headline_file_is_a_usage_error_naming_file_and_reason(tmp_path, capsys, text, message):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(text.encode("latin-1"))
    # Articles enough to be split (they are read first); the corpora would only take longer.
    body = "The council voted on Tuesday, the mayor said. {} residents attended the meeting."
    articles = tmp_path / "articles.jsonl"
    articles.write_text(
        "".join(
            json.dumps({"title": f"Council meets {i}", "body": body.format(i), "label": i % 2}) + "\n"
            for i in range(40)
        ),
        encoding="utf-8",
    )
    code = main(["train", "--data", str(articles), "--headlines", str(bad), "-o", str(tmp_path / "m")])
    assert code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "m.skops").exists()


def test_the_bootstrap_aucs_are_sklearns_on_the_same_resamples():
    """Rank-sum AUCs with ties, against roc_auc_score on the very rows each resample drew."""
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 60)
    p = rng.integers(0, 5, 60) / 4.0  # heavy ties
    (fast,) = _resampled_aucs(y, [p], rounds=40, rng=np.random.default_rng(7), chunk=15)
    draws = np.random.default_rng(7)
    slow = []
    for size in (15, 15, 10):  # the same draws, chunk by chunk
        for rows in draws.integers(0, 60, size=(size, 60)):
            if 0 < y[rows].sum() < 60:
                slow.append(roc_auc_score(y[rows], p[rows]))
    assert fast == pytest.approx(np.array(slow), abs=1e-12)


def test_a_paired_file_sampled_for_a_quick_run_keeps_whole_pairs():
    frame = _read_sentences(PAIRS, "headline", "clickbait", limit=20, seed=0)
    assert len(frame) == 200
    assert (frame.groupby("pair")["clickbait"].agg(sorted).map(tuple) == (0, 1)).all()


def test_held_out_headline_figures_only_for_files_the_model_trained_on(model, tmp_path, capsys):
    other = tmp_path / "other.csv"
    other.write_text("headline,clickbait\nYou Won't Believe This,1\nParliament passes budget,0\n")
    code = main(["evaluate", "--headlines", str(other), "--held-out"])
    assert code == 2
    assert "was not trained on" in capsys.readouterr().err
    # Without --held-out, any labeled headlines are fair game.
    assert main(["evaluate", "--headlines", str(other)]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith("other ")


def test_paired_bootstrap_of_identical_models_straddles_zero():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 300)
    p = y * 0.3 + rng.random(300)
    same = auc_difference(y, p, p, rounds=300)
    assert same["difference_95"] == [0.0, 0.0] and same["p_at_least"] == 1.0
    noisy = auc_difference(y, p, p + rng.normal(0, 0.3, 300), rounds=300)
    low, high = noisy["auc_95"]
    assert low < roc_auc_score(y, p) < high


@pytest.mark.slow
def test_the_card_compares_the_mean_of_left_out_sets(trained):
    lodo = json.loads(trained.with_suffix(".json").read_text())["metrics"]["leave_one_dataset_out"]
    mean = lodo["mean_left_out"]
    singles = [
        lodo[n]["quality"]["auc"] for n in ("fakenewsnet_buzzfeed", "fakes_syria", "perez_rosas", "recovery")
    ]
    assert mean["quality"]["auc"] == pytest.approx(np.mean(singles), abs=1e-3)
    low, high = mean["paired_bootstrap"]["difference_95"]
    assert low <= mean["quality"]["auc"] - mean["tfidf_lr"]["auc"] <= high


def test_held_out_headlines_read_a_card_from_before_several_headline_files(tmp_path, corpora, capsys):
    """Older cards list one headline file as a mapping, not a list."""
    from quality.model import default_model_path

    source = default_model_path()
    for suffix in (".skops", ".json"):
        (tmp_path / f"old{suffix}").write_bytes(source.with_name(source.name + suffix).read_bytes())
    card = json.loads((tmp_path / "old.json").read_text())
    card["training_data"]["headlines"] = card["training_data"]["headlines"][0]
    (tmp_path / "old.json").write_text(json.dumps(card))
    stop = corpora / "headlines" / "stop_clickbait.csv"
    assert main(["evaluate", "--headlines", str(stop), "--model", str(tmp_path / "old"), "--held-out"]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith("stop_clickbait ")


def test_evaluate_claims_held_out_reproduces_the_shipped_card(model, corpora, capsys):
    claims = corpora / "claims" / "claimbuster_2class.csv"
    assert main(["evaluate", "--claims", str(claims), "--held-out"]) == 0
    header, row = capsys.readouterr().out.splitlines()
    card = model.card["metrics"]["claim_model_held_out"]
    expected = [str(card["rows"])] + [f"{card[k]:.4f}" for k in ("auc", "f1", "brier", "ece")]
    assert header.split()[:2] == ["claim", "file"]
    assert row.split() == ["claimbuster_2class", *expected]


def test_repeated_sentences_are_kept_once_and_conflicting_ones_dropped(tmp_path, caplog):
    path = tmp_path / "claims.csv"
    path.write_text(
        "text,checkworthy\nTaxes rose 5%.,1\nTaxes  rose 5%.,1\nI love it.,0\nWe won.,1\nWe won.,0\nHi.,0\n"
    )
    frame = _read_sentences(path, "text", "checkworthy", limit=None, seed=0)
    assert frame["text"].tolist() == ["Taxes rose 5%.", "I love it.", "Hi."]
    assert (frame.attrs["repeats"], frame.attrs["conflicting"]) == (1, 2)
    assert "claims.csv: dropped 1 repeated text row(s) and 2 whose copies disagree" in caplog.text


def test_a_clef_style_label_column_is_read_as_checkworthy(tmp_path):
    path = tmp_path / "debate.csv"
    path.write_text("line_number,speaker,text,label\n1,A,Taxes rose 5% last year.,1\n2,B,Thank you.,0\n")
    frame = _read_sentences(path, "text", "checkworthy", limit=None, seed=0)
    assert frame["checkworthy"].tolist() == [1, 0]
    headlines = tmp_path / "titles.csv"
    headlines.write_text("title,label\nYou won't believe this,1\nFed raises rates,0\n")
    frame = _read_sentences(headlines, "headline", "clickbait", limit=None, seed=0)
    assert frame[["headline", "clickbait"]].values.tolist() == [
        ["You won't believe this", 1],
        ["Fed raises rates", 0],
    ]


@pytest.mark.slow
def test_fit_model_fits_on_the_rows_given_with_their_vocabulary_only(model, corpora):
    from quality.model import check_additive
    from quality.training import featurize, fit_model
    from quality.vocabulary import article_text

    data = load_labeled([corpora / "articles" / "fakenewsnet_buzzfeed.jsonl"], limit=60)
    X = featurize(data.articles, model.headline_model, model.claim_model)
    fitted = fit_model(data, X, np.arange(40), model.headline_model, model.claim_model)
    assert fitted.has_vocabulary and np.allclose(fitted.reference, np.median(X[:40], axis=0))
    analyse = fitted.featurizer.vocabulary_.build_analyzer()
    in_training = {t for a in data.articles[:40] for t in analyse(article_text(a))}
    in_all = {t for a in data.articles for t in analyse(article_text(a))}
    terms = set(fitted.featurizer.vocabulary_terms_)
    assert terms <= in_training and in_all - in_training  # terms come from the training rows alone
    rows = list(range(40, 60))
    features = fitted.featurizer.with_vocabulary(X[rows], [data.articles[i] for i in rows])
    assert check_additive(fitted, features) < 1e-9


@pytest.mark.slow
def test_fits_from_counts_made_once_equal_fits_from_the_text(model, corpora):
    """Training tokenises the articles once (`term_counts`) and derives every split's
    vocabulary and the baseline from the counts; the fitted models must not change."""
    from quality.training import featurize, fit_model
    from quality.training.comparison import baseline_probabilities, term_counts

    data = load_labeled([corpora / "articles" / "fakenewsnet_buzzfeed.jsonl"], limit=80)
    X = featurize(data.articles, model.headline_model, model.claim_model)
    counts = term_counts(data)
    train_rows, test_rows = np.arange(10, 80), np.arange(10)
    plain = fit_model(data, X, train_rows, model.headline_model, model.claim_model)
    replayed = fit_model(data, X, train_rows, model.headline_model, model.claim_model, counts=counts)
    assert plain.featurizer.vocabulary_.vocabulary_ == replayed.featurizer.vocabulary_.vocabulary_
    assert np.allclose(
        plain.featurizer.vocabulary_.idf_, replayed.featurizer.vocabulary_.idf_, rtol=0, atol=1e-12
    )
    assert np.allclose(plain.classifier.word_coef_, replayed.classifier.word_coef_, atol=1e-6)
    assert np.allclose(plain.classifier.coef_, replayed.classifier.coef_, atol=1e-6)
    held = [data.articles[i] for i in test_rows]
    p_plain = plain.classifier.predict_proba(plain.featurizer.with_vocabulary(X[test_rows], held))[:, 1]
    p_replayed = replayed.classifier.predict_proba(replayed.featurizer.with_vocabulary(X[test_rows], held))[
        :, 1
    ]
    assert np.allclose(p_plain, p_replayed, atol=1e-6)
    assert np.allclose(
        baseline_probabilities(data, train_rows, test_rows),
        baseline_probabilities(data, train_rows, test_rows, counts),
        atol=1e-6,
    )


@pytest.mark.slow
def test_featurize_keeps_the_signal_results_of_the_rows_asked_for(model, corpora):
    from quality.signals import analyse_many
    from quality.training import featurize

    data = load_labeled([corpora / "articles" / "fakenewsnet_buzzfeed.jsonl"], limit=12)
    keep = [11, 0, 5]
    X, results = featurize(data.articles, model.headline_model, model.claim_model, jobs=2, keep=keep)
    assert np.array_equal(X, featurize(data.articles, model.headline_model, model.claim_model))
    expected = analyse_many([data.articles[i] for i in keep], model.headline_model, model.claim_model)
    assert [{k: r.evidence for k, r in res.items()} for res in results] == [
        {k: r.evidence for k, r in res.items()} for res in expected
    ]
