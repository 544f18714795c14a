"""How much expected calibration error a perfectly calibrated model shows from sampling alone.

    python benchmarks/ece_noise.py [models/reliability] [../shared/corpora/articles]

Scores the card's held-out articles with the model, then draws labels from the model's own
probabilities (so the probabilities are exactly right by construction) for samples of the
held-out fifth's size and of all the articles' size, and prints the ECE those samples show
(mean and 5th-95th percentiles of 1,000 draws). An ECE measured on that many rows is only
evidence of miscalibration beyond these figures.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from quality.model import load_model
from quality.training.card import card_split
from quality.training.data import load_labeled, split
from quality.training.metrics import expected_calibration_error

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    model = load_model(sys.argv[1] if len(sys.argv) > 1 else None)
    corpora = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT.parent / "shared" / "corpora" / "articles"
    how = card_split(model)
    data_ = load_labeled([corpora], limit=how.get("limit"), seed=how["seed"])
    _, test = split(data_, how["test_size"], how["seed"])
    p = model.pipeline.predict_proba([data_.articles[i] for i in test])[:, 1]
    rng = np.random.default_rng(0)
    print(
        f"held-out articles scored: {len(test)}; ECE of a perfectly calibrated model with these probabilities:"
    )
    for n in (len(test), len(data_.y)):
        values = []
        for _ in range(1000):
            q = rng.choice(p, size=n, replace=True)
            values.append(expected_calibration_error((rng.random(n) < q).astype(int), q))
        low, high = np.percentile(values, [5, 95])
        print(f"  {n} rows: mean {np.mean(values):.3f}, 5-95% {low:.3f} to {high:.3f}")


if __name__ == "__main__":
    main()
