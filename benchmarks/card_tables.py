"""The README's model tables, printed from a model card: held-out figures (the held-out fifth,
then every article held out once, pooled over the five folds, and each fold), leave-one-data-set-out
comparison with TF-IDF + LR, the ablation, and how often each reason appears.

    python benchmarks/card_tables.py [models/reliability.json]

`tests/test_readme.py` checks that the README's tables are what this prints.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    card = json.loads(
        Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "models" / "reliability.json").read_text()
    )
    metrics = card["metrics"]
    print("| data set | rows | AUC | F1 | Brier | ECE |\n|---|---:|---:|---:|---:|---:|")
    for name, m in metrics["held_out"].items():
        print(
            f"| {name} | {m['rows']} | "
            + " | ".join(f"{m[k]:.3f}" for k in ("auc", "f1", "brier", "ece"))
            + " |"
        )
    print()
    pooled = metrics.get("held_out_cross_validated")
    if pooled:
        print("| data set | rows | AUC | F1 | Brier | ECE |\n|---|---:|---:|---:|---:|---:|")
        for name, m in pooled.items():
            if isinstance(m, dict):
                print(
                    f"| {name} | {m['rows']} | "
                    + " | ".join(f"{m[k]:.3f}" for k in ("auc", "f1", "brier", "ece"))
                    + " |"
                )
        print()
        print("| fold | rows | AUC | ECE |\n|---|---:|---:|---:|")
        for m in pooled["per_fold"]:
            print(
                f"| {m['fold']}{' (the held-out fifth)' if m['fold'] == 0 else ''} | {m['rows']} | {m['auc']:.3f} | {m['ece']:.3f} |"
            )
        print()
    cross = {k: v for k, v in metrics["leave_one_dataset_out"].items() if k != "ablation"}
    print(
        "| held out | ours AUC | TF-IDF + LR AUC | difference, 95% interval | ours ECE |\n|---|---:|---:|---:|---:|"
    )
    for name, m in cross.items():
        low, high = m["paired_bootstrap"]["difference_95"]
        ece = m["quality"].get("ece")
        print(
            f"| {name} | {m['quality']['auc']:.3f} | {m['tfidf_lr']['auc']:.3f} | {low:+.3f} to {high:+.3f} | "
            + (f"{ece:.3f}" if ece is not None else "—")
            + " |"
        )
    print()
    ablation = metrics["leave_one_dataset_out"]["ablation"]
    weights = card["weights"]
    print(
        "| left out of the model | weight per SD | mean left-out AUC without it | change |\n|---|---:|---:|---:|"
    )
    print(f"| (nothing) | — | {ablation['full']['mean']:.3f} | — |")
    shown = {
        k: v
        for k, v in ablation["without"].items()
        if "." not in k or k.startswith("style.") or k == "filler.lexical_density"
    }
    for name, m in sorted(shown.items(), key=lambda kv: kv[1]["change"]):
        if name == "family:vocabulary":
            weight = weights["vocabulary"]
        elif name.startswith("family:"):
            prefix = name.split(":", 1)[1] + "."
            weight = sum(
                w
                for f, w in weights["signals_per_sd"].items()
                if f.startswith(prefix) and f != "filler.lexical_density"
            )
        else:
            weight = weights["signals_per_sd"][name]
        print(f"| {name} | {weight:+.3f} | {m['mean']:.3f} | {m['change']:+.3f} |")
    print()
    print("| reason | reliable held-out articles | unreliable held-out articles |\n|---|---:|---:|")
    for name, r in metrics["reasons_held_out"].items():
        print(f"| {name} | {r['reliable']:.0%} | {r['unreliable']:.0%} |")


if __name__ == "__main__":
    main()
