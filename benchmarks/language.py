"""What the scope guard's language check costs (`quality.scope`): prints figures, asserts nothing.

    python benchmarks/language.py [N]

Loads py3langid's model (CPU seconds, once per process), detects the language of every article
of ../shared/corpora/articles as scoring does (CPU milliseconds an article, and the languages
found), and scores the first N of them (default: all) with `quality.score_many` for the
check's share of the CPU time of scoring an article. CPU time (`time.process_time`), so that other jobs on the
machine count less than in wall time.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path

CORPORA = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "articles"


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else None
    import quality
    from quality.scope import _identifier, detect_language

    rows = []
    for path in sorted(CORPORA.glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            rows += [json.loads(line) for line in fh]
    articles = [quality.Article(title=r["title"] or "", body=r["body"] or "") for r in rows]

    start = time.process_time()
    _identifier()
    load = time.process_time() - start

    start = time.process_time()
    languages = Counter(detect_language(a.title, a.body) for a in articles)
    detect = (time.process_time() - start) / len(articles)

    model = quality.load_model()
    sample = articles[:n]
    list(quality.score_many(sample[:10], model=model))  # the dictionaries load on the first article
    start = time.process_time()
    list(quality.score_many(sample, model=model))
    score = (time.process_time() - start) / len(sample)

    print(f"loading the language model: {load:.2f} s of CPU, once per process")
    print(f"detecting the language: {detect * 1000:.2f} ms of CPU an article ({len(articles)} articles)")
    print(f"scoring: {score * 1000:.1f} ms of CPU an article ({len(sample)} articles, the check included)")
    print(f"the check's share of scoring: {detect / score:.1%}")
    print("languages:", ", ".join(f"{k} {v}" for k, v in languages.most_common()))


if __name__ == "__main__":
    main()
