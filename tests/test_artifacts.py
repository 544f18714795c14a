"""Model files run no code: skops with a list of trusted types; pickles refused, or converted on request.

A crafted file comes with a card rewritten to match it (the SHA-256 check only catches
accidents). Each payload, if it ran, would write a marker file; the tests check that loading
refuses the file and that the marker does not exist, and, as a control, that the payload is
live (it does write the marker when the file is read the unsafe way).
"""

from __future__ import annotations

import json
import pickle
import time
import zipfile
from pathlib import Path

import joblib
import numpy as np
import pytest
import skops
import skops.io

import quality
from quality._files import file_sha256
from quality.cli import main
from quality.model import (
    TRUSTED_TYPES,
    ModelError,
    convert_joblib,
    default_model_path,
    load_model,
    model_paths,
)


class Payload:
    """Writes a marker file when it is built from a file: the stand-in for an attacker's code."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __setstate__(self, state: dict) -> None:
        Path(state["marker"]).write_text("ran")

    def __reduce__(self):  # what pickle runs on load
        return (Path.write_text, (Path(self.marker), "ran"))


def _with_card(artifact: Path) -> Path:
    """The shipped card, rewritten to vouch for ``artifact`` (as an attacker could)."""
    card = json.loads(default_model_path().with_suffix(".json").read_text("utf-8"))
    card.update(sha256=file_sha256(artifact), artifact=artifact.name)
    artifact.with_suffix(".json").write_text(json.dumps(card), encoding="utf-8")
    return artifact.with_suffix("")


def test_a_skops_file_holding_an_untrusted_type_is_refused_and_runs_nothing(tmp_path):
    marker = tmp_path / "ran"
    evil = tmp_path / "evil.skops"
    skops.io.dump({"pipeline": Payload(str(marker)), "reference": np.zeros(3), "features": []}, evil)
    with pytest.raises(
        ModelError, match=r"holds types that quality does not trust \(tests\.test_artifacts\.Payload\)"
    ):
        load_model(_with_card(evil))
    assert not marker.exists()
    # Control: trusting the type builds it, and the payload runs.
    skops.io.load(evil, trusted=["tests.test_artifacts.Payload"])
    assert marker.read_text() == "ran"


def test_a_pickle_with_a_matching_card_is_refused_and_runs_nothing(tmp_path, capsys):
    marker = tmp_path / "ran"
    old = tmp_path / "old.joblib"
    joblib.dump({"pipeline": Payload(str(marker))}, old)
    target = _with_card(old)
    with pytest.raises(ModelError, match="saved as a pickle") as refused:
        load_model(target)
    assert f"quality convert {str(old)!r}" in str(refused.value) and "quality train" in str(refused.value)
    assert main(["explain", "--model", str(old), str(tmp_path / "x.txt")]) == 2
    assert "saved as a pickle" in capsys.readouterr().err
    assert not marker.exists()
    joblib.load(old)  # control: unpickling runs it
    assert marker.exists()


def test_a_pickle_named_skops_with_a_matching_card_is_refused_and_runs_nothing(tmp_path):
    marker = tmp_path / "ran"
    disguised = tmp_path / "m.skops"
    disguised.write_bytes(pickle.dumps({"pipeline": Payload(str(marker))}))
    with pytest.raises(ModelError, match="cannot be read"):
        load_model(_with_card(disguised))
    assert not marker.exists()


def test_a_skops_file_calling_an_untrusted_function_is_refused(tmp_path):
    """A FunctionTransformer whose function is os.system: the function is a type skops checks."""
    import os

    from sklearn.preprocessing import FunctionTransformer

    evil = tmp_path / "evil.skops"
    skops.io.dump({"pipeline": FunctionTransformer(os.system), "reference": [], "features": []}, evil)
    with pytest.raises(ModelError, match=r"does not trust \(posix\.system\)"):
        load_model(_with_card(evil))


def test_the_trusted_list_covers_exactly_what_the_shipped_artifact_needs(model):
    artifact = model_paths(default_model_path())[0]
    untrusted = skops.io.get_untrusted_types(file=artifact)
    assert set(untrusted) <= set(TRUSTED_TYPES)
    with zipfile.ZipFile(artifact) as z:
        schema = z.read("schema.json").decode()
    held = {f"{m}.{c}" for m, c in _types(json.loads(schema))} - {
        f"builtins.{t}" for t in ("dict", "list", "str", "tuple", "int", "float", "bool")
    }
    assert held <= set(TRUSTED_TYPES) | {"builtins.type"}, sorted(held - set(TRUSTED_TYPES))


def _types(node):
    if isinstance(node, dict):
        if "__class__" in node and "__module__" in node:
            yield node["__module__"], node["__class__"]
        for value in node.values():
            yield from _types(value)
    elif isinstance(node, list):
        for value in node:
            yield from _types(value)


def test_the_shipped_artifact_is_compact_and_quick_to_load():
    """Vocabularies are stored as one array each, not one node per word (11 MB and 13 s)."""
    artifact = model_paths(default_model_path())[0]
    assert artifact.stat().st_size < 3_000_000
    with zipfile.ZipFile(artifact) as z:
        assert len(z.infolist()) < 100
    load_model()  # skops and scikit-learn imported
    start = time.perf_counter()
    load_model()
    assert time.perf_counter() - start < 3.0


@pytest.fixture
def legacy(tmp_path, model) -> Path:
    """The shipped model as an earlier version saved it: a joblib pickle and its card."""
    old = tmp_path / "old.joblib"
    joblib.dump(
        {"pipeline": model.pipeline, "reference": model.reference, "features": list(model.feature_names)}, old
    )
    card = {k: v for k, v in model.card.items() if k not in ("format", "converted_from")}
    card.update(sha256=file_sha256(old), artifact=old.name)
    old.with_suffix(".json").write_text(json.dumps(card), encoding="utf-8")
    return old


def test_convert_turns_a_trusted_pickle_into_a_skops_model_that_scores_the_same(
    legacy, model, tmp_path, capsys
):
    assert main(["convert", str(legacy)]) == 0
    err = capsys.readouterr().err
    assert "unpickling" in err and "only a model you trust" in err
    converted = load_model(tmp_path / "old")
    assert converted.card["converted_from"]["sha256"] == file_sha256(legacy)
    assert converted.card["format"] == "skops" and converted.card["artifact"] == "old.skops"
    assert (tmp_path / "old.md").read_text().startswith("# Model card: `old`")
    text = ["Storm hits coast\nWinds reached 120 km/h, the weather agency said."]
    assert (
        quality.score(text[0], model=converted).reliability == quality.score(text[0], model=model).reliability
    )


def test_convert_refuses_a_pickle_that_does_not_match_its_card_without_unpickling(legacy, tmp_path):
    marker = tmp_path / "ran"
    joblib.dump({"pipeline": Payload(str(marker))}, legacy)  # the card still describes the model
    with pytest.raises(ModelError, match="does not match its card"):
        convert_joblib(legacy)
    assert not marker.exists() and not (tmp_path / "old.skops").exists()


def test_convert_leaves_the_card_as_it_was_when_the_pickle_is_no_model(legacy, tmp_path):
    joblib.dump({"something": "else"}, legacy)
    card = json.loads(legacy.with_suffix(".json").read_text())
    card["sha256"] = file_sha256(legacy)
    legacy.with_suffix(".json").write_text(json.dumps(card))
    before = legacy.with_suffix(".json").read_bytes()
    with pytest.raises(ModelError, match="is not a quality model artifact"):
        convert_joblib(legacy)
    assert legacy.with_suffix(".json").read_bytes() == before and not (tmp_path / "old.skops").exists()


def test_save_writes_a_skops_file_and_its_card_only(model, tmp_path):
    quality.model.save_model(model, tmp_path / "m")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.json", "m.skops"]
    assert zipfile.is_zipfile(tmp_path / "m.skops")
    card = json.loads((tmp_path / "m.json").read_text())
    assert card["format"] == "skops" and card["versions"]["skops"] == skops.__version__
