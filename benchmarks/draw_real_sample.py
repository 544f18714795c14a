"""Draw the real-article evaluation sample of ``labeled/real/`` (run once; its output is committed).

    python benchmarks/draw_real_sample.py [../shared/corpora/articles]
    python benchmarks/draw_real_sample.py --seed 20261207 --exclude labeled/real/sample.jsonl \
        --half test --per-stratum 8 -o labeled/real/sample_2.jsonl   # the second test half

Draws 16 articles per (corpus, label) from the four article corpora, 128 in all, with a fixed
seed, among articles of 40 to 1,200 body words (a longer page cannot be annotated exhaustively
by reading in one sitting; a shorter one has almost nothing to annotate). Within each
(corpus, label) stratum the first 8 drawn go to the dev half and the other 8 to the test half.
Writes ``labeled/real/sample.jsonl``: one line per article with its corpus, line number, id,
label and half, and the SHA-256 of its title and body so that a changed corpus is noticed.
No text is copied.

``--seed`` draws another sample, ``--exclude`` leaves out the articles of an earlier sample
file (matched by corpus and line), ``--half`` puts every drawn article in one half (a fresh
test half once the old one has been looked at), ``--per-stratum`` draws another number per
(corpus, label), and ``-o`` writes elsewhere. Without options
it draws exactly the committed ``labeled/real/sample.jsonl`` (a test checks this).
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

import numpy as np

PER_STRATUM = 16
SEED = 20261130
MIN_WORDS, MAX_WORDS = 40, 1200


def text_sha256(title: str, body: str) -> str:
    return hashlib.sha256(f"{title}\n{body}".encode()).hexdigest()


def draw(
    folder: Path,
    seed: int = SEED,
    exclude: set[tuple[str, int]] = frozenset(),
    half: str | None = None,
    per_stratum: int = PER_STRATUM,
) -> list[dict[str, object]]:
    """The sample's lines: ``per_stratum`` articles per (corpus, label), none in ``exclude``
    ((corpus, line) pairs); the first half of each stratum is "dev", the rest "test", unless
    ``half`` names one for all."""
    rng = np.random.default_rng(seed)
    out = []
    for path in sorted(folder.glob("*.jsonl")):
        rows = [json.loads(line) for line in path.open(encoding="utf-8")]
        for label in ("reliable", "unreliable"):
            pool = [
                i
                for i, r in enumerate(rows)
                if r["label"] == label
                and MIN_WORDS <= len((r["body"] or "").split()) <= MAX_WORDS
                and (path.stem, i + 1) not in exclude
            ]
            drawn = rng.choice(pool, size=per_stratum, replace=False)
            for k, i in enumerate(drawn):
                r = rows[int(i)]
                out.append(
                    {
                        "dataset": path.stem,
                        "line": int(i) + 1,
                        "id": r["id"],
                        "label": label,
                        "half": half or ("dev" if k < per_stratum // 2 else "test"),
                        "sha256": text_sha256(r["title"] or "", r["body"] or ""),
                    }
                )
    return out


def main(argv: list[str] | None = None) -> None:
    root = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("folder", nargs="?", default="../shared/corpora/articles", type=Path)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--exclude", type=Path, action="append", default=[], help="an earlier sample file")
    parser.add_argument("--half", choices=("dev", "test"), help="put every drawn article in this half")
    parser.add_argument("--per-stratum", type=int, default=PER_STRATUM, help="articles per (corpus, label)")
    parser.add_argument("-o", "--output", type=Path, default=root / "labeled" / "real" / "sample.jsonl")
    args = parser.parse_args(argv)
    exclude = {
        (o["dataset"], int(o["line"]))
        for f in args.exclude
        for o in map(json.loads, f.read_text(encoding="utf-8").splitlines())
    }
    out = draw(args.folder, args.seed, exclude, args.half, args.per_stratum)
    args.output.write_text("".join(json.dumps(o) + "\n" for o in out), encoding="utf-8")
    print(f"{len(out)} articles -> {args.output}")


if __name__ == "__main__":
    main()
