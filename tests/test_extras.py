"""Optional dependencies: scoring needs none of them, and each missing one is named in one line.

Each case runs the command line in a child interpreter in which the extra's module cannot be
imported (``sys.modules[name] = None`` makes ``import name`` fail as if it were not
installed), so nothing is uninstalled from the environment running the tests.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SEEDS

_CHILD = """
import sys
for name in {blocked!r}:
    sys.modules[name] = None
from quality.cli import main
sys.exit(main({argv!r}))
"""

ARTICLE = (
    '{"id": "a", "title": "Storm hits coast", "body": "Winds reached 120 km/h, the weather agency said."}\n'
)
PAGE = (
    "<html><head><title>Storm hits coast</title></head><body><article><h1>Storm hits coast</h1><p>"
    + "Winds reached 120 km/h on Monday, the weather agency said in a statement. " * 6
    + "</p></article></body></html>"
)


def _run(argv: list[str], blocked: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _CHILD.format(blocked=blocked, argv=argv)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def _message(extra: str, purpose: str) -> str:
    return f'quality: {purpose} needs the {extra!r} extra: pip install "quality[{extra}]"'


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    (tmp_path / "a.jsonl").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    return tmp_path


@pytest.mark.slow
def test_the_lean_install_scores_jsonl_csv_and_text_without_any_extra(inputs):
    (inputs / "b.csv").write_text('id,title,body\nb,Storm hits coast,"Winds rose, the agency said."\n')
    txt = sorted(SEEDS.glob("*.txt"))[:1] if SEEDS.is_dir() else []
    blocked = ["trafilatura", "pyarrow", "matplotlib", "distributed", "dask", "pytest", "hypothesis"]
    out = _run(["score", "a.jsonl", "b.csv", *map(str, txt), "-o", "out.csv"], blocked, inputs)
    assert out.returncode == 0, out.stderr
    assert len((inputs / "out.csv").read_text().splitlines()) == 1 + 2 + len(txt)


@pytest.mark.parametrize(
    ("argv", "blocked", "extra", "purpose"),
    [
        pytest.param(
            ["score", "a.jsonl", "page.html", "-o", "out.jsonl"],
            ["trafilatura"],
            "html",
            "reading .html",
            marks=pytest.mark.slow,  # said when the page is read, after the model has loaded
        ),
        (["score", "a.jsonl", "-o", "out.parquet"], ["pyarrow"], "parquet", "writing Parquet"),
        (["report", "scored.jsonl", "--html", "out.html"], ["matplotlib"], "report", "quality report"),
        (
            ["score", "a.jsonl", "--scheduler", "local", "-o", "out.jsonl"],
            ["distributed"],
            "dask",
            "scoring on Dask (--scheduler)",
        ),
    ],
    ids=[
        "html pages need html",
        "parquet output needs parquet",
        "the report needs report",
        "dask needs dask",
    ],
)
def test_a_missing_extra_is_one_line_naming_it_and_leaves_no_output(inputs, argv, blocked, extra, purpose):
    (inputs / "scored.jsonl").write_text('{"id": "a", "reliability": 0.5, "label": "uncertain"}\n')
    out = _run(argv, blocked, inputs)
    assert out.returncode == 2, out.stderr
    assert out.stderr.strip() == _message(extra, purpose)
    assert not (inputs / argv[argv.index("-o" if "-o" in argv else "--html") + 1]).exists()


_READ = """
import sys
sys.modules[{blocked!r}] = None
import quality
try:
    list(quality.read({path!r}))
except ImportError as exc:
    print(exc)
"""


@pytest.mark.parametrize(
    ("path", "blocked", "extra", "purpose"),
    [
        ("page.html", "trafilatura", "html", "reading .html"),
        ("in.parquet", "pyarrow", "parquet", "reading Parquet"),
    ],
    ids=["an html page", "a parquet file"],
)
def test_the_python_api_raises_an_import_error_naming_the_extra(inputs, path, blocked, extra, purpose):
    if path.endswith(".parquet"):
        pa = pytest.importorskip("pyarrow", reason="writing the Parquet input needs pyarrow (the test extra)")
        import pyarrow.parquet as pq

        pq.write_table(pa.table({"id": ["p"], "title": ["Storm"], "body": ["Winds rose."]}), inputs / path)
    code = _READ.format(blocked=blocked, path=path)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=inputs, timeout=120
    )
    assert out.stdout.strip() == _message(extra, purpose), out.stderr
