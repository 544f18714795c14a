"""The model card: provenance of a trained model, and the split it records."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from quality.model import Model

__all__ = ["card_split", "git_commit"]


def git_commit() -> str | None:
    """The commit of the code that trained the model, when run from a git checkout."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            cwd=Path(__file__).resolve().parent,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None

def card_split(model: Model) -> dict[str, Any]:
    """The train/held-out split recorded in ``model``'s card; `ValueError` if there is none."""
    split_card = model.card.get("training_data", {}).get("split", {})
    if not isinstance(split_card, dict) or not {"seed", "test_size"} <= set(split_card):
        raise ValueError(
            f"quality: the card of model {model.name!r} records no split (seed and test_size), so "
            "its held-out rows are unknown; evaluate without --held-out"
        )
    return split_card
