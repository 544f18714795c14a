"""FA-KES trained and tested on itself (5-fold CV): ours and TF-IDF + LR. Prints figures.

    python benchmarks/fakes_in_domain.py

If neither model separates FA-KES's labels even in-domain, its leave-one-out row compares two
coin flips (the README's cross-data-set table).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold

import quality
from quality.training import featurize, fit_model, load_labeled, make_baseline

FAKES = (
    Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "articles" / "fakes_syria.jsonl"
)


def main() -> None:
    model = quality.load_model()
    data = load_labeled([FAKES])
    X = featurize(data.articles, model.headline_model, model.claim_model)
    ours, base = [], []
    for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(X, data.y):
        fitted = fit_model(data, X, train, model.headline_model, model.claim_model)
        features = fitted.featurizer.with_vocabulary(X[test], [data.articles[i] for i in test])
        ours.append(roc_auc_score(data.y[test], fitted.explain(features)[2]))
        baseline = make_baseline().fit([data.articles[i] for i in train], data.y[train])
        base.append(
            roc_auc_score(data.y[test], baseline.predict_proba([data.articles[i] for i in test])[:, 1])
        )
    print(f"FA-KES, {len(data.y)} articles, in-domain 5-fold AUC:")
    print(f"  ours        {np.mean(ours):.3f} ± {np.std(ours):.3f}")
    print(f"  TF-IDF + LR {np.mean(base):.3f} ± {np.std(base):.3f}")


if __name__ == "__main__":
    main()
