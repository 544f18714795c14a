"""A model artifact's files and the checks made before it is read, without scikit-learn.

`quality.model` loads and saves models and needs scikit-learn, which takes seconds to import.
A process that only checks a model -- ``quality score -j N``, whose workers do the loading --
imports this module instead, so its workers start that much sooner.
"""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path
from typing import Any

from quality._files import file_sha256

__all__ = ["DEFAULT_NAME", "ModelError", "check_model", "default_model_path", "model_paths"]

#: Name of the shipped model in ``models/``.
DEFAULT_NAME = "reliability"
#: The artifact's suffix: a skops file (a zip of JSON and .npy arrays; loading runs no code).
SUFFIX = ".skops"
#: The pickles that earlier versions wrote; refused, and converted by `convert_joblib`.
LEGACY_SUFFIX = ".joblib"


class ModelError(Exception):
    """A model artifact is missing, altered, or does not fit this version of the code."""


def default_model_path() -> Path:
    """Where the shipped model is: ``$QUALITY_MODEL``, the source tree's ``models/``, or the
    copy installed with the package (``quality.models``)."""
    env = os.environ.get("QUALITY_MODEL")
    if env:
        return Path(env)
    source = Path(__file__).resolve().parent.parent / "models" / DEFAULT_NAME
    if source.with_suffix(SUFFIX).exists():
        return source
    try:
        installed = resources.files("quality.models").joinpath(f"{DEFAULT_NAME}{SUFFIX}")
    except ModuleNotFoundError:
        return source
    return Path(str(installed)).with_suffix("")


def model_paths(path: str | Path) -> tuple[Path, Path]:
    """``NAME.skops`` and ``NAME.json`` for a model named with or without either suffix (or
    the old ``.joblib``).

    Examples
    --------
    >>> [p.name for p in model_paths("models/reliability.v2")]
    ['reliability.v2.skops', 'reliability.v2.json']
    """
    p = Path(path)
    if p.suffix in (SUFFIX, LEGACY_SUFFIX, ".json"):
        p = p.with_suffix("")
    return p.with_name(p.name + SUFFIX), p.with_name(p.name + ".json")


def _legacy_message(artifact: Path) -> str:
    old = artifact.with_suffix(LEGACY_SUFFIX)
    return (
        f"quality: {str(old)!r} is a model saved as a pickle (joblib) by an earlier version of quality; "
        "loading a pickle can run any code it holds, so quality now loads only .skops models. Retrain it "
        f"(quality train ... -o {str(artifact.with_suffix(''))!r}), or, if you trust the file, convert it: "
        f"quality convert {str(old)!r}"
    )


def _read_card(artifact: Path, card_path: Path) -> dict[str, Any]:
    if not card_path.exists():
        raise ModelError(
            f"quality: model {str(artifact)!r} has no card {card_path.name!r} beside it; refusing to load an artifact of unknown origin"
        )
    try:
        card = json.loads(card_path.read_text("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelError(f"quality: model card {str(card_path)!r} is not valid UTF-8 JSON ({exc})") from None
    if not isinstance(card, dict):
        raise ModelError(f"quality: model card {str(card_path)!r} is not a JSON object")
    return card


def _check_digest(artifact: Path, card: dict[str, Any]) -> str:
    digest = file_sha256(artifact)
    if digest != card.get("sha256"):
        raise ModelError(
            f"quality: model {str(artifact)!r} does not match its card: SHA-256 is {digest[:16]}…, "
            f"the card says {str(card.get('sha256'))[:16]}…. The file was changed after training; "
            "refusing to load it. Retrain with `quality train` or restore the original file."
        )
    return digest


def _checked(path: str | Path | None) -> tuple[Path, dict[str, Any], str]:
    """(artifact, card, SHA-256) of the model at ``path``, after the checks that read no model."""
    artifact, card_path = model_paths(path if path is not None else default_model_path())
    if not artifact.exists():
        if artifact.with_suffix(LEGACY_SUFFIX).exists():
            raise ModelError(_legacy_message(artifact))
        raise ModelError(
            f"quality: no model artifact at {str(artifact)!r}; train one with `quality train` or pass --model"
        )
    card = _read_card(artifact, card_path)
    return artifact, card, _check_digest(artifact, card)


def check_model(path: str | Path | None = None) -> dict[str, Any]:
    """The card of the model at ``path`` (the shipped one by default), after the checks that
    `load_model` makes before it reads the artifact: the artifact and its card are there, and
    the artifact's SHA-256 is the card's. A process that leaves the loading to its workers
    (``quality score -j N``) checks the model this way, in milliseconds, so a missing or altered
    model fails once, before any worker starts; `ModelError` otherwise."""
    return _checked(path)[1]
