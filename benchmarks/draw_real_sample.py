"""Draw the real-article evaluation sample of ``labeled/real/`` (run once; its output is committed).

    python benchmarks/draw_real_sample.py [../shared/corpora/articles]

Draws 16 articles per (corpus, label) from the four article corpora, 128 in all, with a fixed
seed, among articles of 40 to 1,200 body words (a longer page cannot be annotated exhaustively
by reading in one sitting; a shorter one has almost nothing to annotate). Within each
(corpus, label) stratum the first 8 drawn go to the dev half and the other 8 to the test half.
Writes ``labeled/real/sample.jsonl``: one line per article with its corpus, line number, id,
label and half, and the SHA-256 of its title and body so that a changed corpus is noticed.
No text is copied.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np

PER_STRATUM = 16
SEED = 20261130
MIN_WORDS, MAX_WORDS = 40, 1200


def text_sha256(title: str, body: str) -> str:
    return hashlib.sha256(f"{title}\n{body}".encode()).hexdigest()


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/corpora/articles")
    rng = np.random.default_rng(SEED)
    out = []
    for path in sorted(folder.glob("*.jsonl")):
        rows = [json.loads(line) for line in path.open(encoding="utf-8")]
        for label in ("reliable", "unreliable"):
            pool = [
                i
                for i, r in enumerate(rows)
                if r["label"] == label and MIN_WORDS <= len((r["body"] or "").split()) <= MAX_WORDS
            ]
            drawn = rng.choice(pool, size=PER_STRATUM, replace=False)
            for k, i in enumerate(drawn):
                r = rows[int(i)]
                out.append(
                    {
                        "dataset": path.stem,
                        "line": int(i) + 1,
                        "id": r["id"],
                        "label": label,
                        "half": "dev" if k < PER_STRATUM // 2 else "test",
                        "sha256": text_sha256(r["title"] or "", r["body"] or ""),
                    }
                )
    target = Path(__file__).resolve().parent.parent / "labeled" / "real" / "sample.jsonl"
    target.write_text("".join(json.dumps(o) + "\n" for o in out), encoding="utf-8")
    print(f"{len(out)} articles -> {target}")


if __name__ == "__main__":
    main()
