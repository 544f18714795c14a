"""Which features the shipped model's trees split on, and how often: prints figures.

    python benchmarks/model_splits.py [MODEL]

The reliability model is boosted trees with one feature per tree, so a feature no tree splits
on has a flat shape and contributes nothing to any score, however high its signal runs
(`quality explain` lists such signals as "flagged, but not counted").
"""

from __future__ import annotations

import sys
from collections import Counter

import quality
from quality.model import _calibrated


def main() -> None:
    model = quality.load_model(sys.argv[1] if len(sys.argv) > 1 else None)
    trees, _, _ = _calibrated(model.pipeline)
    splits: Counter[str] = Counter()
    for iteration in trees._predictors:
        for tree in iteration:
            for node in tree.nodes:
                if not node["is_leaf"]:
                    splits[model.feature_names[node["feature_idx"]]] += 1
    total = sum(splits.values())
    print(f"{model.name}: {total} splits over {len(trees._predictors)} trees")
    for name in sorted(model.feature_names, key=lambda n: (-splits[n], n)):
        print(f"{name:45} {splits[name]:5d} {splits[name] / total:6.1%}")


if __name__ == "__main__":
    main()
