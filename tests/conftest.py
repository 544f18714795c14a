"""Shared fixtures: the shipped model, the seed articles, the labeled examples, the corpora."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import quality
from quality.article import Article

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
CORPORA = SHARED / "corpora"
LABELED = ROOT / "labeled" / "examples.jsonl"


@pytest.fixture(scope="session")
def model() -> quality.Model:
    """The shipped model, loaded once for the whole session: the very object that
    `quality.score` and the CLI use in this process (`quality.scoring.default_model`), so that
    it is not loaded a second time for them."""
    from quality.scoring import default_model

    return default_model()


@pytest.fixture(scope="session")
def seeds() -> dict[str, Article]:
    """The five seed articles keyed "000".."004"; skips when ../shared/seeds is absent."""
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS} (they live in ../shared/seeds)")
    out = {}
    for path in sorted(SEEDS.glob("*.txt")):
        (article,) = list(quality.read(path))
        out[path.name[:3]] = article
    return out


@pytest.fixture(scope="session")
def seed_reports(seeds, model) -> dict[str, quality.Report]:
    return {k: quality.score(a, model=model) for k, a in seeds.items()}


@pytest.fixture(scope="session")
def corpora() -> Path:
    """../shared/corpora; skips when absent (as on a user's machine)."""
    if not CORPORA.is_dir():
        pytest.skip(f"labeled corpora not found at {CORPORA} (they live in ../shared/corpora)")
    return CORPORA


@pytest.fixture(scope="session")
def labeled() -> list[dict]:
    """The project's own span-annotated examples (labeled/examples.jsonl)."""
    with LABELED.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
