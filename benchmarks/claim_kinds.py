"""Which unsupported-claim evidence holds up on the annotated real articles, by kind and by
the claim model's probability: the figures behind the README's note on the claims operating
point.

    python benchmarks/claim_kinds.py            # the dev half of labeled/real
    python benchmarks/claim_kinds.py --by-batch # and per annotation batch

Scores the dev half of ``labeled/real`` (never the test half) with the shipped model and
matches each unsupported-claim span with the annotated claims as ``quality evaluate --spans``
does (overlap). Prints the share that holds up per kind (the kind the evidence note names:
the rules' accusations and causes, hedges and vague sources, or the claim model's other
check-worthy sentences), per band of the claim model's probability for the check-worthy ones,
and, with ``--by-batch``, per annotation file (each is one annotator's).
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from quality.scoring import default_model, score_many
from quality.spans import AnnotatedSpan, load_set, overlaps

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "labeled" / "real"
CORPORA = ROOT.parent / "shared" / "corpora" / "articles"
BANDS = (0.80, 0.85, 0.90, 0.95, 1.01)


def _kind(note: str) -> str:
    if "check-worthy" in note:
        return "check-worthy (claim model)"
    if note.startswith(("hedged", "vague")):
        return "hedge or vague source"
    return "accusation or cause (rules)"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--by-batch", action="store_true", help="also per annotation file")
    args = parser.parse_args(argv)
    items = load_set(REAL, CORPORA, ["dev"])
    dev = {(i.dataset, i.line) for i in items}
    batch_of = {}  # the annotation file of each dev article (test articles are not looked at)
    for path in sorted((REAL / "annotations").glob("*.jsonl")):
        for line in path.open(encoding="utf-8"):
            row = json.loads(line)
            if (row["dataset"], row["line"]) in dev:
                batch_of[(row["dataset"], row["line"])] = path.stem
    model = default_model()
    kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    batches: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    worthy: list[tuple[str, bool]] = []
    for item, report in zip(items, score_many([i.article for i in items], model), strict=True):
        claims = [s for s in item.spans if s.kind == "claim"]
        for e in report.evidence:
            if e.signal != "unsupported_claims":
                continue
            guess = AnnotatedSpan("claim", e.field, e.start, e.end)
            held = any(overlaps(guess, s) for s in claims)
            kind = _kind(e.note)
            for table, key in ((kinds, kind), (batches, batch_of[(item.dataset, item.line)])):
                table[key][0] += held
                table[key][1] += 1
            if kind.startswith("check-worthy"):
                worthy.append((getattr(item.article, e.field)[e.start : e.end], held))
    print(f"dev half: {len(items)} articles; unsupported-claim spans that overlap an annotated claim")
    for kind, (held, n) in sorted(kinds.items()):
        print(f"  {kind:30s} {held:4d}/{n:<4d} {held / n:.2f}")
    if not worthy:
        return
    probabilities = model.claim_model.predict_proba([text for text, _ in worthy])[:, 1]
    print("check-worthy spans by the claim model's probability of the span's sentence")
    for lo, hi in zip(BANDS, BANDS[1:], strict=False):
        band = [held for (_, held), p in zip(worthy, probabilities, strict=True) if lo <= p < hi]
        if band:
            print(
                f"  {lo:.2f} to {min(hi, 1.0):.2f}: {sum(band):4d}/{len(band):<4d} {sum(band) / len(band):.2f}"
            )
    if args.by_batch:
        print("per annotation file (one annotator each)")
        for batch, (held, n) in sorted(batches.items()):
            print(f"  {batch}: {held:3d}/{n:<3d} {held / n:.2f}")


if __name__ == "__main__":
    main()
