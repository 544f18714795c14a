"""Training: `quality train` writes a model and card that `quality evaluate` reproduces."""

from __future__ import annotations

import json

import numpy as np
import pytest

import quality
from quality.cli import main
from quality.training import expected_calibration_error, load_labeled, metrics


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


def test_train_writes_a_card_with_data_hashes_splits_and_comparisons(trained, capsys):
    card = json.loads(trained.with_suffix(".json").read_text())
    assert card["training_data"]["split"]["limit"] == 80
    assert {f["rows"] for f in card["training_data"]["articles"]} == {80}
    assert card["training_data"]["claims"]["path"] == "claimbuster_2class.csv"
    lodo = card["metrics"]["leave_one_dataset_out"]
    assert set(lodo) == {"fakenewsnet_buzzfeed", "fakes_syria", "perez_rosas", "random_split"}
    assert all({"quality", "tfidf_lr"} == set(v) for v in lodo.values())
    assert card["git_commit"] is None or len(card["git_commit"]) == 40


def test_evaluate_held_out_reproduces_the_card(trained, corpora, capsys):
    model = quality.load_model(trained)
    card = model.card["metrics"]["held_out"]
    capsys.readouterr()
    assert main(["evaluate", "--data", str(corpora / "articles"), "--model", str(trained), "--held-out"]) == 0
    printed = capsys.readouterr().out
    for name, m in card.items():
        line = next(line for line in printed.splitlines() if line.startswith(name + " "))
        assert f"{m['auc']:.4f}" in line and f"{m['ece']:.4f}" in line, (name, line)


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
