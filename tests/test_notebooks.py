"""The notebooks run end to end (on a small sample) and are stored without outputs."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


@pytest.mark.parametrize("name", ["retrain.ipynb", "signals.ipynb"])
def test_notebooks_are_stored_without_outputs(name):
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


def _run(name: str, parameters: str, cwd: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nb.cells[1].source = parameters  # the parameter cell at the top
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}
    ).execute()
    return nb


def _text(nb: nbformat.NotebookNode) -> str:
    return "\n".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)


@pytest.mark.slow
def test_retrain_notebook_trains_compares_plots_and_saves(corpora, tmp_path):
    seeds = corpora.parent / "seeds"
    params = (
        f"SAMPLE = 60\nOUTPUT = {str(tmp_path / 'nb_model')!r}\nCORPORA = {str(corpora)!r}\n"
        f"SEEDS = {str(seeds)!r}\n"
    )
    nb = _run("retrain.ipynb", params, NOTEBOOKS)
    out = _text(nb)
    assert "TF-IDF AUC" in out and "wrote" in out and "every article held out once:" in out
    assert (tmp_path / "nb_model.skops").exists() and (tmp_path / "nb_model.json").exists()
    images = [
        o for c in nb.cells if c.cell_type == "code" for o in c.outputs if "image/png" in o.get("data", {})
    ]
    assert len(images) >= 3  # ROC + calibration, shape functions, contributions
    # The ROC and calibration cell plots the card's held-out rows, not the training rows.
    card = json.loads((tmp_path / "nb_model.json").read_text())
    assert f"held-out rows: {card['training_data']['split']['test_rows']}" in out


@pytest.mark.slow
def test_signals_notebook_shows_the_seed_evidence(seeds):
    nb = _run("signals.ipynb", "SAMPLE = 3\nSEEDS = '../../shared/seeds'\n", NOTEBOOKS)
    out = _text(nb)
    assert "NKH" in out and "004_f24d6baf59f876e2" in out
