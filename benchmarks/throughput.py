"""Throughput and memory of scoring: prints figures, asserts nothing.

    python benchmarks/throughput.py [N]

Scores N articles (default 2,000) from ../shared/corpora/articles, cycling through them, with
`quality.score_many` (batches of 256), with two worker processes (`quality.engine`), and one
`quality.score` call at a time;
also times each signal alone. Peak memory is the process's maximum resident set size.
"""

from __future__ import annotations

import itertools
import json
import resource
import sys
import time
from pathlib import Path

import quality
from quality.doc import make_doc
from quality.signals import claims, clickbait, filler, sourcing, style, typos

CORPORA = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "articles"


def load(n: int) -> list[quality.Article]:
    rows = []
    for path in sorted(CORPORA.glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            rows += [json.loads(line) for line in fh]
    articles = [quality.Article(title=r["title"] or "", body=r["body"] or "") for r in rows]
    return list(itertools.islice(itertools.cycle(articles), n))


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    started = time.perf_counter()
    model = quality.load_model()
    quality.score("Warm up\nLoads the dictionaries once.", model=model)
    print(f"load model + dictionaries: {time.perf_counter() - started:.2f} s")
    articles = load(n)
    words = sum(len(a.body.split()) for a in articles)

    t, cpu = time.perf_counter(), time.process_time()
    for _ in quality.score_many(articles, model=model):
        pass
    batch, cpu = time.perf_counter() - t, time.process_time() - cpu
    print(
        f"score_many: {n} articles ({words / n:.0f} words on average) in {batch:.2f} s = {n / batch:.0f} articles/s"
    )
    # Wall time counts whatever else the machine runs; CPU time counts this process alone.
    print(f"  ({cpu:.2f} s of CPU time = {n / cpu:.0f} articles per CPU second)")

    from quality.engine import score_records

    t = time.perf_counter()
    for _ in score_records(articles, jobs=2):
        pass
    pooled = time.perf_counter() - t
    print(f"score_records(jobs=2): {n / pooled:.0f} articles/s (includes starting 2 workers)")

    k = min(n, 300)
    t = time.perf_counter()
    for a in articles[:k]:
        quality.score(a, model=model)
    single = time.perf_counter() - t
    print(f"score (one at a time): {k / single:.0f} articles/s")

    docs = [make_doc(a) for a in articles[:k]]
    for module in (sourcing, typos, filler, claims, clickbait, style):
        t = time.perf_counter()
        for d in docs:
            module.analyse(d)
        print(
            f"  {module.__name__.rsplit('.', 1)[1]:10} {1000 * (time.perf_counter() - t) / k:.2f} ms/article"
        )
    t = time.perf_counter()
    for a in articles[:k]:
        make_doc(a)
    print(f"  {'doc':10} {1000 * (time.perf_counter() - t) / k:.2f} ms/article")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
