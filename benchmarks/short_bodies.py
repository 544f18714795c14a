"""How well the shipped model ranks articles cut to their first N words: the evidence behind
the 50-word floor of the scope guard (an article with a shorter body is `out_of_scope`).

    python benchmarks/short_bodies.py

Scores the 777 held-out articles of the model's card (the split its card records) whole, then
with the body cut to its first 5, 20, 30, 50, 100 and 200 words, and prints the AUC of each.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from sklearn.metrics import roc_auc_score

from quality.model import load_model
from quality.scoring import score_many
from quality.training import card_split
from quality.training.data import load_labeled, split

CORPORA = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "articles"


def main() -> None:
    model = load_model()
    chosen = card_split(model)
    data = load_labeled([CORPORA], limit=chosen.get("limit"), seed=chosen["seed"])
    _, rows = split(data, chosen["test_size"], chosen["seed"])
    articles, y = [data.articles[i] for i in rows], data.y[rows]

    def auc(words: int | None) -> float:
        cut = [
            a if words is None else dataclasses.replace(a, body=" ".join(a.body.split()[:words]))
            for a in articles
        ]
        return float(roc_auc_score(y, [r.reliability for r in score_many(cut, model)]))

    print(f"{len(articles)} held-out articles; AUC whole: {auc(None):.3f}")
    for words in (5, 20, 30, 50, 100, 200):
        print(f"  body cut to its first {words} words: AUC {auc(words):.3f}")


if __name__ == "__main__":
    main()
