"""The readable model card (NAME.md): generated from the card JSON, with its sections and figures."""

from __future__ import annotations

import json

import pytest

from quality.cli import main
from quality.model import default_model_path
from quality.training.card import SECTIONS, markdown


@pytest.fixture(scope="module")
def card() -> dict:
    return json.loads(default_model_path().with_suffix(".json").read_text("utf-8"))


def test_the_card_has_every_section_in_order(card):
    text = markdown(card)
    positions = [text.index(f"\n## {section}\n") for section in SECTIONS]
    assert positions == sorted(positions)


def test_the_card_quotes_the_held_out_auc_and_every_data_set(card):
    text = markdown(card)
    overall = card["metrics"]["held_out"]["all"]
    assert f"Held-out AUC {overall['auc']:.3f} on {overall['rows']} articles" in text
    for name, m in card["metrics"]["held_out"].items():
        assert f"| {name} | {m['rows']} | {m['auc']:.3f} |" in text
    for name, m in card["metrics"]["leave_one_dataset_out"].items():
        if name not in ("ablation", "random_split", "mean_left_out"):
            assert f"| {name} | {m['quality']['auc']:.3f} | {m['tfidf_lr']['auc']:.3f} |" in text


def test_the_training_data_carry_their_licences(card):
    text = markdown(card)
    assert "| `recovery.jsonl` | 1429 | 1025 / 404 |" in text and "CC BY-NC-SA 4.0" in text
    assert "| headlines | `stop_clickbait.csv` |" in text and "| MIT |" in text
    assert card["sha256"] in text


def test_a_figure_changed_in_the_card_changes_in_the_text(card):
    changed = json.loads(json.dumps(card))
    changed["metrics"]["held_out"]["all"]["auc"] = 0.1234
    assert "Held-out AUC 0.123" in markdown(changed) and "Held-out AUC 0.123" not in markdown(card)


def test_a_card_without_comparison_or_from_before_still_makes_a_card(card):
    """quality train --no-compare leaves the comparison null; older cards list one headline file."""
    older = json.loads(json.dumps(card))
    older["metrics"]["leave_one_dataset_out"] = None
    older["training_data"]["headlines"] = older["training_data"]["headlines"][0]
    text = markdown(older)
    assert "Across data sets" not in text and "| headlines | `stop_clickbait.csv` |" in text


def test_the_shipped_readable_card_is_the_generated_one(card):
    """models/reliability.md is regenerated whenever the card changes (quality card ...)."""
    shipped = default_model_path().with_suffix(".md")
    assert shipped.read_text("utf-8") == markdown(card)


def test_quality_card_writes_the_markdown_beside_or_where_told(card, tmp_path, capsys):
    target = tmp_path / "card.md"
    assert main(["card", str(default_model_path().with_suffix(".json")), "-o", str(target)]) == 0
    assert target.read_text("utf-8") == markdown(card)
    (tmp_path / "m.json").write_text("[1, 2]")
    assert main(["card", str(tmp_path / "m.json")]) == 2
    assert "is not a JSON object" in capsys.readouterr().err
