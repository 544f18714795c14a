"""Everything scoring says about the shared corpora, written down to compare before and after a
change that must not alter it (issue 13: "every score and piece of evidence is the same").

    python benchmarks/snapshot.py -o before.jsonl.gz          # at the commit before the change
    python benchmarks/snapshot.py -o after.jsonl.gz --compare before.jsonl.gz

One line per article of ../shared/corpora/articles (every file, in order) and of the five seeds:
its reliability, label, signal scores, features, contributions, reasons and every piece of
evidence (signal, feature, field, start, end, note), with floats rounded to 9 digits so that
the last bits of a sum in another order do not count. ``--compare`` prints each article that
differs and how (the first few differences per article, and counts per kind), and exits 1
when any does. ``--limit N`` takes the first N articles of each corpus file for a quick check.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import quality

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def articles(limit: int | None) -> Iterator[tuple[str, quality.Article]]:
    for path in sorted((SHARED / "corpora" / "articles").glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for i, line in enumerate(fh, 1):
                if limit is not None and i > limit:
                    break
                row = json.loads(line)
                yield (
                    f"{path.stem}:{i}",
                    quality.Article(title=row.get("title") or "", body=row.get("body") or ""),
                )
    for path in sorted((SHARED / "seeds").glob("*")):
        for article in quality.read(path):
            yield f"seed:{path.name}", article


def _round(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, dict):
        return {k: _round(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_round(v) for v in value]
    return value


def snapshot(key: str, report: quality.Report) -> dict[str, Any]:
    return _round(
        {
            "key": key,
            "reliability": report.reliability,
            "label": report.label,
            "signals": report.signals,
            "features": report.features,
            "contributions": report.contributions,
            "intercept": report.intercept,
            "reasons": list(report.reasons),
            "evidence": [[e.signal, e.feature, e.field, e.start, e.end, e.note] for e in report.evidence],
        }
    )


def differences(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, str]]:
    """(kind, what) for each way ``new`` differs from ``old``."""
    out = []
    for part in ("reliability", "label", "intercept"):
        if old[part] != new[part]:
            out.append((part, f"{old[part]!r} -> {new[part]!r}"))
    for part in ("signals", "features", "contributions"):
        for name in sorted(set(old[part]) | set(new[part])):
            if old[part].get(name) != new[part].get(name):
                out.append((f"{part}:{name}", f"{old[part].get(name)!r} -> {new[part].get(name)!r}"))
    if old["reasons"] != new["reasons"]:
        out.append(("reasons", f"{old['reasons']!r} -> {new['reasons']!r}"))
    before = {tuple(e) for e in old["evidence"]}
    after = {tuple(e) for e in new["evidence"]}
    for e in sorted(before - after):
        out.append((f"evidence lost:{e[0]}", repr(e)))
    for e in sorted(after - before):
        out.append((f"evidence new:{e[0]}", repr(e)))
    if not out and old["evidence"] != new["evidence"]:
        out.append(("evidence order", "same spans, another order"))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-o", "--output", required=True, type=Path)
    parser.add_argument("--compare", type=Path)
    parser.add_argument("--limit", type=int)
    args = parser.parse_args(argv)
    keyed = list(articles(args.limit))
    started = time.process_time()
    reports = list(quality.score_many(a for _, a in keyed))
    seconds = time.process_time() - started
    rows = [snapshot(key, report) for (key, _), report in zip(keyed, reports, strict=True)]
    with gzip.open(args.output, "wt", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
    print(
        f"{len(rows)} articles scored in {seconds:.1f} s of CPU ({1000 * seconds / len(rows):.2f} ms an article) -> {args.output}"
    )
    if args.compare is None:
        return 0
    with gzip.open(args.compare, "rt", encoding="utf-8") as fh:
        old = [json.loads(line) for line in fh]
    if [o["key"] for o in old] != [r["key"] for r in rows]:
        print(
            f"the two snapshots hold different articles ({len(old)} and {len(rows)}); compare like with like"
        )
        return 2
    kinds: collections.Counter[str] = collections.Counter()
    changed = 0
    for before, after in zip(old, rows, strict=True):
        found = differences(before, after)
        if found:
            changed += 1
            kinds.update(
                kind.split(":")[0] if kind.startswith(("signals", "features", "contributions")) else kind
                for kind, _ in found
            )
            if changed <= 20:
                print(f"{before['key']}:")
                for kind, what in found[:6]:
                    print(f"  {kind}: {what}")
    print(f"{changed} of {len(rows)} articles differ" + (f": {dict(kinds.most_common())}" if changed else ""))
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
