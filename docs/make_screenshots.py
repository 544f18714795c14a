"""Screenshots of the HTML pages for the README: docs/explain.png and docs/report.png.

    python docs/make_screenshots.py                        # scores the shared corpora first (~4 min)
    python docs/make_screenshots.py --scored /tmp/x.jsonl  # rows of quality score --explain

The explanation page is seed 004's (`quality explain ../shared/seeds/004_f24d6baf59f876e2.txt
--html`); the batch report is drawn over the shared corpora scored with `--explain`. Both are
rendered by headless Chromium (Debian's `chromium`) and kept small: a 256-colour PNG.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "004_f24d6baf59f876e2.txt"
CORPORA = sorted((SHARED / "corpora" / "articles").glob("*.jsonl"))


def screenshot(page: Path, target: Path, width: int, height: int, workdir: Path) -> None:
    """Render ``page`` in headless Chromium and save its top ``width`` x ``height`` pixels."""
    chromium = shutil.which("chromium")
    if chromium is None:
        sys.exit("make_screenshots: chromium is not installed (apt-get install -y chromium)")
    raw = workdir / f"{target.stem}.raw.png"
    subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={workdir / 'profile'}",
            "--hide-scrollbars",
            f"--window-size={width},{height}",
            f"--screenshot={raw}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    from PIL import Image

    with Image.open(raw) as image:
        # 256 colours are plenty for a page of text and flat colours, at a fifth of the size.
        image.convert("RGB").quantize(colors=256, dither=Image.Dither.NONE).save(target, optimize=True)
    print(f"{target.relative_to(ROOT)}: {target.stat().st_size / 1024:.0f} KB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--scored", help="rows of quality score --explain over the shared corpora (else scored now)"
    )
    parser.add_argument("--out", default=str(ROOT / "docs"), help="folder for the PNGs (default docs/)")
    args = parser.parse_args(argv)

    import quality
    from quality.html import explanation_page, write_page

    out = Path(args.out)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (article,) = list(quality.read(SEED))
        page = work / "explain.html"
        write_page(explanation_page([(quality.score(article), article)]), page)
        screenshot(page, out / "explain.png", 1100, 1900, work)

        scored = args.scored
        if scored is None:
            scored = str(work / "scored.jsonl")
            cli = [sys.executable, "-m", "quality.cli"]
            subprocess.run(
                [*cli, "score", *map(str, CORPORA), "--explain", "-j", "2", "-o", scored], check=True
            )
        report = work / "report.html"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "quality.cli",
                "report",
                scored,
                "--articles",
                *map(str, CORPORA),
                "--html",
                str(report),
            ],
            check=True,
        )
        screenshot(report, out / "report.png", 1100, 2000, work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
