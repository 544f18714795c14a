"""Peak memory for hostile inputs: one huge record of each kind, and a gzip bomb.

    python benchmarks/memory.py                 # the sizes of issue 15 (writes ~300 MB to a temp folder)
    python benchmarks/memory.py --scale 0.1     # a tenth of them, for a quick look
    python benchmarks/memory.py --no-score      # reading only (seconds instead of minutes)

For each input it runs, in a fresh process, (1) the readers alone (`quality.read`) and (2)
`quality score` on it, and prints each one's peak resident memory (ru_maxrss from wait4) above
the same process on a one-line file, so that the model and the libraries are not counted. The
readers hold at most ``--max-record-bytes`` of one record; the inputs are built far past it:

- a 200 MB JSON Lines record (its body one 200 MB string),
- a 50 MB CSV field (a quoted body over many lines),
- a 20 MB HTML page,
- a gzip bomb: 4 GB of NUL bytes in a .jsonl.gz of 4 MB (refused as the bytes arrive).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MIB = 2**20
_READ = (
    "import sys, quality\n"
    "for item in quality.read(sys.argv[1], errors='yield', max_record_bytes=int(sys.argv[2])):\n"
    "    print(type(item).__name__, (getattr(item, 'warning', None) or getattr(item, 'error', ''))[:90])\n"
)
_SENTENCE = "Winds reached 120 km/h on Monday, the weather agency said in a statement. "


def _write_inputs(folder: Path, scale: float) -> dict[str, Path]:
    def size(mb: float) -> int:
        return int(mb * scale * MIB)

    paths = {}
    body_mb = size(200)
    paths["200 MB JSONL record"] = folder / "record.jsonl"
    with paths["200 MB JSONL record"].open("w") as fh:
        fh.write('{"id": "huge", "title": "Storm hits the coast", "body": "')
        for _ in range(body_mb // MIB):
            fh.write((_SENTENCE * (MIB // len(_SENTENCE) + 1))[:MIB])
        fh.write('"}\n' + json.dumps({"id": "after", "title": "Bridge opens", "body": _SENTENCE}) + "\n")
    paths["50 MB CSV field"] = folder / "field.csv"
    with paths["50 MB CSV field"].open("w") as fh:
        fh.write('id,title,body\n1,Storm hits the coast,"')
        line = _SENTENCE * 13 + "\n"
        for _ in range(size(50) // len(line)):
            fh.write(line)
        fh.write(f'"\n2,Bridge opens,{_SENTENCE}\n')
    paths["20 MB HTML page"] = folder / "page.html"
    with paths["20 MB HTML page"].open("w") as fh:
        fh.write(
            "<html><head><title>Storm hits the coast</title></head><body><article><h1>Storm hits the coast</h1>"
        )
        paragraph = f"<p>{_SENTENCE * 4}</p>\n"
        for _ in range(size(20) // len(paragraph)):
            fh.write(paragraph)
        fh.write("</article></body></html>")
    paths["gzip bomb (4 GB of zeros)"] = folder / "bomb.jsonl.gz"
    with gzip.open(paths["gzip bomb (4 GB of zeros)"], "wb", compresslevel=9) as fh:
        zeros = bytes(MIB)
        for _ in range(size(4096) // MIB):
            fh.write(zeros)
    (folder / "tiny.jsonl").write_text(
        json.dumps({"id": "t", "title": "Storm hits", "body": _SENTENCE}) + "\n"
    )
    return paths


def _run(argv: list[str]) -> tuple[float, float, str]:
    """Peak RSS (MiB) and seconds of one process, and the last lines it printed."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = proc.stdout.read() if proc.stdout else ""
    _, _, usage = os.wait4(proc.pid, 0)
    proc.returncode = 0
    return usage.ru_maxrss / 1024, time.perf_counter() - start, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="input sizes times this (default 1)")
    parser.add_argument(
        "--max-record-bytes", type=int, default=None, help="the limit (default: the readers')"
    )
    parser.add_argument("--no-score", action="store_true", help="measure the readers only")
    args = parser.parse_args()
    from quality.io.readers import MAX_RECORD_BYTES

    limit = args.max_record_bytes or MAX_RECORD_BYTES
    quality = [sys.executable, "-m", "quality.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = _write_inputs(folder, args.scale)
        tiny = str(folder / "tiny.jsonl")
        read_base, _, _ = _run([sys.executable, "-c", _READ, tiny, str(limit)])
        score_base = 0.0
        if not args.no_score:
            score_base, _, _ = _run([*quality, "score", tiny, "-o", str(folder / "o.jsonl")])
        print(
            f"limit {limit / MIB:g} MiB; baselines on a one-line file: read {read_base:.0f} MiB, score {score_base:.0f} MiB"
        )
        print(
            f"{'input':28} {'size':>9} {'read +MiB':>10} {'x limit':>8} {'score +MiB':>11} {'x limit':>8} {'score s':>8}  first row"
        )
        for name, path in paths.items():
            size = path.stat().st_size
            peak, _, out = _run([sys.executable, "-c", _READ, str(path), str(limit)])
            read_extra = max(peak - read_base, 0.0)
            score_extra, seconds = float("nan"), float("nan")
            if not args.no_score:
                peak, seconds, _ = _run(
                    [
                        *quality,
                        "score",
                        str(path),
                        "-o",
                        str(folder / "o.jsonl"),
                        "--max-record-bytes",
                        str(limit),
                    ]
                )
                score_extra = max(peak - score_base, 0.0)
            first = out.strip().splitlines()[0] if out.strip() else "(nothing)"
            print(
                f"{name:28} {size / MIB:>7.1f}MB {read_extra:>10.0f} {read_extra * MIB / limit:>8.1f} "
                f"{score_extra:>11.0f} {score_extra * MIB / limit:>8.1f} {seconds:>8.1f}  {first[:70]}"
            )


if __name__ == "__main__":
    main()
