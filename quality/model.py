"""The reliability model: an additive, calibrated scikit-learn Pipeline, and its artifact.

``make_model`` builds ``Featurizer → CalibratedClassifierCV(HistGradientBoostingClassifier with
no feature interactions, sigmoid)``: every tree splits on one feature, so the logit is a sum of
one shape function per feature; Platt scaling is an affine map of that logit, so the calibrated
logit is too.
`Model.explain` returns that decomposition: intercept + contributions = logit(reliability),
exactly.

An artifact is a pair ``<name>.joblib`` + ``<name>.json`` (its card). `save_model` is the only
writer and `load_model` the only reader: it refuses an artifact whose SHA-256 differs from the
card's, and warns when the scikit-learn version differs from the one that trained it.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pandas as pd
import sklearn
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.pipeline import Pipeline

from quality._files import file_sha256
from quality.features import Featurizer
from quality.reputation import FEATURES as REPUTATION_FEATURES
from quality.signals import FEATURE_NAMES
from quality.submodels import make_claim_model, make_headline_model

__all__ = [
    "DEFAULT_NAME",
    "Model",
    "ModelError",
    "check_output_path",
    "default_model_path",
    "feature_names",
    "load_model",
    "MONOTONE",
    "make_claim_model",
    "make_headline_model",
    "make_model",
    "model_paths",
    "save_model",
]

log = logging.getLogger(__name__)

#: Name of the shipped model in ``models/``.
DEFAULT_NAME = "reliability"
CARD_SCHEMA = 1
#: reliability ≥ RELIABLE_AT is "reliable", < UNRELIABLE_BELOW is "unreliable", else "uncertain".
RELIABLE_AT = 0.6
UNRELIABLE_BELOW = 0.4


class ModelError(Exception):
    """A model artifact is missing, altered, or does not fit this version of the code."""


#: Expected direction of each feature's effect on reliability (+1 raises, -1 lowers, 0 free).
#: The model may learn any shape within that direction, never the reverse: a corpus in which
#: reliable pages happen to carry more boilerplate must not teach it that filler is good.
#: Lexical density (content words per word) rises with information: +1.
MONOTONE: dict[str, int] = {
    "sourcing.attributions_per_100w": 1,
    "sourcing.quotes_per_100w": 1,
    "sourcing.named_sources": 1,
    # Unnamed sources cannot be checked (wire style books allow them as a last resort). Left
    # free, the shape jumped with the few articles at each value: -0.35 log-odds at 0.18 per
    # 100 words, +0.01 at 0.23, -0.30 at 0.4, so one anonymous source read as weak sourcing
    # in one article and not in the next.
    "sourcing.anonymous_sources_per_100w": -1,
    "sourcing.citations": 1,
    "sourcing.links_per_100w": 1,
    "sourcing.distinct_sources": 1,
    "typos.misspelled_per_100w": -1,
    "typos.misspelled_names": -1,
    "filler.boilerplate_lines": -1,
    "filler.boilerplate_char_ratio": -1,
    "filler.seo_phrases_per_100w": -1,
    "filler.duplicate_sentence_ratio": -1,
    "filler.lexical_density": 1,
    "unsupported_claims.unattributed_per_100w": -1,
    "unsupported_claims.unattributed_ratio": -1,
    "unsupported_claims.hedges_per_100w": -1,
    "unsupported_claims.vague_sources_per_100w": -1,
    "clickbait.probability": -1,
    "clickbait.sensational_words": -1,
    "clickbait.exclamations": -1,
    "clickbait.questions": -1,
    "clickbait.all_caps_words": -1,
    "clickbait.second_person": -1,
    "clickbait.forward_reference": -1,
    "clickbait.listicle": -1,
    # Plainer, shorter sentences go with less reliable text in two of the three corpora and in
    # the fake-news literature (Horne & Adali 2017); left free, the model learns each corpus's
    # own house style instead, and generalises worse (leave-one-data-set-out AUC 0.58 vs 0.62).
    "style.flesch_reading_ease": -1,
    "style.gunning_fog": 1,
    "style.words_per_sentence": 1,
    "style.exclamations_per_100w": -1,
    "style.all_caps_ratio": -1,
    # Specific copy is more reliable (see quality/signals/style.py); first person is free: it
    # is quoted speech in reporting and the author's voice in opinion pieces.
    "style.numbers_per_100w": 1,
    "style.dates_per_100w": 1,
    "style.proper_nouns_per_100w": 1,
    "style.first_person_per_100w": 0,
    # Optional (quality train --reputation): a better-rated outlet never lowers reliability.
    "reputation.domain_score": 1,
    "reputation.known": 0,
}


def make_model(
    headline_model: Any = None,
    claim_model: Any = None,
    reputation: Any = None,
    max_iter: int = 300,
    learning_rate: float = 0.05,
    max_leaf_nodes: int = 4,
    l2_regularization: float = 1.0,
    cv: int = 5,
    random_state: int = 0,
) -> Pipeline:
    """The reliability model: additive in the features, monotone where the sign is known, calibrated.

    Gradient-boosted trees with no feature interactions (every tree splits on one feature) make
    an additive model, one shape function per feature, like an explainable boosting machine;
    ``monotonic_cst`` keeps each shape in its expected direction (`MONOTONE`). Platt scaling is
    an affine map of the logit, so the calibrated model is additive too.

    Parameters
    ----------
    headline_model : fitted headline classifier or None
        Handed to the featurizer for ``clickbait.probability``.
    claim_model : fitted claim classifier or None
        Handed to the featurizer for the unsupported-claims signal.
    reputation : SourceReputation or None
        Adds source-reputation features (off by default: content only).
    max_iter, learning_rate, max_leaf_nodes, l2_regularization : boosting settings
    cv : int
        Folds for Platt scaling (one classifier is kept, so the model stays additive).
    """
    booster = HistGradientBoostingClassifier(
        max_iter=max_iter,
        learning_rate=learning_rate,
        max_leaf_nodes=max_leaf_nodes,
        l2_regularization=l2_regularization,
        interaction_cst="no_interactions",
        monotonic_cst=[MONOTONE.get(n, 0) for n in feature_names(reputation is not None)],
        early_stopping=False,
        random_state=random_state,
    )
    return Pipeline(
        [
            (
                "features",
                Featurizer(headline_model=headline_model, claim_model=claim_model, reputation=reputation),
            ),
            ("classifier", CalibratedClassifierCV(booster, method="sigmoid", cv=cv, ensemble=False)),
        ]
    )


def feature_names(reputation: bool = False) -> tuple[str, ...]:
    """The model's input features: the signal features, plus reputation's when enabled."""
    return FEATURE_NAMES + (REPUTATION_FEATURES if reputation else ())


def _calibrated(pipeline: Pipeline) -> tuple[Any, float, float]:
    """The fitted classifier and Platt's (a, b): logit(p) = -(a * decision + b)."""
    calibrated = pipeline.named_steps["classifier"].calibrated_classifiers_[0]
    sigmoid = calibrated.calibrators[0]
    return calibrated.estimator, float(sigmoid.a_), float(sigmoid.b_)


@dataclass
class Model:
    """A trained reliability model: the pipeline, the reference article, and the card.

    ``reference`` is the feature row contributions are measured from (the training medians):
    a contribution says how much a feature moves the log-odds away from that typical article.
    """

    pipeline: Pipeline
    reference: np.ndarray
    card: dict[str, Any] = field(default_factory=dict)
    name: str = ""

    @property
    def headline_model(self) -> Any:
        return self.pipeline.named_steps["features"].headline_model

    @property
    def claim_model(self) -> Any:
        return self.pipeline.named_steps["features"].claim_model

    @property
    def reputation(self) -> Any:
        return getattr(self.pipeline.named_steps["features"], "reputation", None)

    @property
    def feature_names(self) -> tuple[str, ...]:
        return feature_names(self.reputation is not None)

    def _shape_tables(self) -> tuple[list[np.ndarray], list[np.ndarray], float] | None:
        """Each feature's shape function as a lookup table over the booster's bins.

        The booster bins every feature and each of its trees splits one feature at bin
        edges, so a feature's effect is constant within a bin: evaluating the booster once per
        bin gives the exact shape function, and scoring becomes one table lookup per feature
        instead of a walk through hundreds of trees. None if the booster does not expose its
        bins (then `explain` evaluates the booster directly, which is exact but slower).
        """
        cached = self.__dict__.get("_tables")
        if cached is not None or "_tables" in self.__dict__:
            return cached
        estimator, _, _ = _calibrated(self.pipeline)
        thresholds = getattr(getattr(estimator, "_bin_mapper", None), "bin_thresholds_", None)
        tables = None
        if thresholds is not None and len(thresholds) == len(self.feature_names):
            edges = [np.asarray(t, dtype=float) for t in thresholds]
            grid, spans = [self.reference[None, :]], []
            for j, t in enumerate(edges):
                # One value inside each bin: the bin's upper edge, and above the last edge.
                values = np.append(t, (t[-1] + 1.0) if len(t) else self.reference[j])
                rows = np.repeat(self.reference[None, :], len(values), axis=0)
                rows[:, j] = values
                grid.append(rows)
                spans.append(len(values))
            decision = estimator.decision_function(np.vstack(grid))
            base, rest = decision[0], decision[1:]
            shapes, offset = [], 0
            for n in spans:
                shapes.append(rest[offset : offset + n] - base)
                offset += n
            tables = (edges, shapes, float(base))
        self.__dict__["_tables"] = tables
        return tables

    def _decision_terms(self, X: np.ndarray) -> tuple[float, np.ndarray]:
        """Booster decision at the reference, and each feature's move away from it."""
        tables = self._shape_tables()
        if tables is not None:
            edges, shapes, base = tables
            terms = np.empty_like(X)
            for j in range(X.shape[1]):
                # The booster's binning: a value goes to the first bin whose upper edge is >= it.
                terms[:, j] = shapes[j][np.searchsorted(edges[j], X[:, j], side="left")]
            return base, terms
        estimator, _, _ = _calibrated(self.pipeline)
        n, d = X.shape
        grid = np.repeat(self.reference[None, None, :], n, axis=0).repeat(d, axis=1)
        idx = np.arange(d)
        grid[:, idx, idx] = X
        decision = estimator.decision_function(np.vstack([self.reference[None, :], grid.reshape(n * d, d)]))
        return float(decision[0]), decision[1:].reshape(n, d) - decision[0]

    def explain(self, features: pd.DataFrame | np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
        """(intercept, contributions [n × features], reliability [n]) for computed features.

        ``intercept + contributions.sum(axis=1) == logit(reliability)`` row by row: the model
        is additive, so moving each feature from the reference to its value, one at a time,
        accounts for the whole score.
        """
        X = np.asarray(features, dtype=float).reshape(-1, len(self.feature_names))
        _, a, b = _calibrated(self.pipeline)
        base, terms = self._decision_terms(X)
        contributions = -a * terms
        intercept = -(a * base + b)
        logit = intercept + contributions.sum(axis=1)
        return float(intercept), contributions, 1.0 / (1.0 + np.exp(-logit))

    def shape(self, feature: str, values: np.ndarray | Sequence[float]) -> np.ndarray:
        """The log-odds contribution of ``feature`` at each of ``values`` (its shape function).

        Examples
        --------
        >>> low, high = load_model().shape("clickbait.probability", [0.0, 0.9])
        >>> bool(high <= low)
        True
        """
        j = self.feature_names.index(feature)
        rows = np.repeat(self.reference[None, :], len(values), axis=0)
        rows[:, j] = np.asarray(values, dtype=float)
        return self.explain(rows)[1][:, j]

    def label(self, reliability: float) -> str:
        if reliability >= RELIABLE_AT:
            return "reliable"
        if reliability < UNRELIABLE_BELOW:
            return "unreliable"
        return "uncertain"


def check_additive(model: Model, features: np.ndarray, tolerance: float = 1e-8) -> float:
    """Largest gap between the decomposition and the pipeline's own probabilities; raises if big."""
    intercept, contributions, reliability = model.explain(features)
    expected = model.pipeline[1:].predict_proba(np.asarray(features, dtype=float))[:, 1]
    gap = float(np.max(np.abs(reliability - expected))) if len(expected) else 0.0
    if gap > tolerance:
        raise ModelError(
            f"quality: model is not additive: decomposition differs from predict_proba by {gap:.3g}"
        )
    return gap


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for dist in (
        "quality",
        "scikit-learn",
        "numpy",
        "pandas",
        "textstat",
        "symspellpy",
        "rapidfuzz",
        "joblib",
    ):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "not installed"
    return out


def default_model_path() -> Path:
    """Where the shipped model is: ``$QUALITY_MODEL``, the source tree's ``models/``, or the
    copy installed with the package (``quality.models``)."""
    env = os.environ.get("QUALITY_MODEL")
    if env:
        return Path(env)
    source = Path(__file__).resolve().parent.parent / "models" / DEFAULT_NAME
    if source.with_suffix(".joblib").exists():
        return source
    try:
        installed = resources.files("quality.models").joinpath(f"{DEFAULT_NAME}.joblib")
    except ModuleNotFoundError:
        return source
    return Path(str(installed)).with_suffix("")


def model_paths(path: str | Path) -> tuple[Path, Path]:
    """``NAME.joblib`` and ``NAME.json`` for a model named with or without either suffix.

    Examples
    --------
    >>> [p.name for p in model_paths("models/reliability.v2")]
    ['reliability.v2.joblib', 'reliability.v2.json']
    """
    p = Path(path)
    if p.suffix in (".joblib", ".json"):
        p = p.with_suffix("")
    return p.with_name(p.name + ".joblib"), p.with_name(p.name + ".json")


def save_model(model: Model, path: str | Path) -> Path:
    """Write ``<path>.joblib`` and its card ``<path>.json``; returns the card's path."""
    artifact, card_path = check_output_path(path)
    # Both files are written beside their targets first and then renamed into place, so an
    # interrupted save never leaves an artifact whose card describes another one.
    staged = artifact.with_name(f".{artifact.name}.{os.getpid()}.tmp")
    staged_card = card_path.with_name(f".{card_path.name}.{os.getpid()}.tmp")
    try:
        joblib.dump(
            {"pipeline": model.pipeline, "reference": model.reference, "features": list(model.feature_names)},
            staged,
            compress=3,
        )
        card = dict(model.card)
        card.update(
            {
                "schema": CARD_SCHEMA,
                "name": artifact.stem,
                "artifact": artifact.name,
                "sha256": file_sha256(staged),
                "size_bytes": staged.stat().st_size,
                "versions": _versions(),
                "feature_names": list(model.feature_names),
                "content_only": model.reputation is None,
                "labels": {"reliable_at": RELIABLE_AT, "unreliable_below": UNRELIABLE_BELOW},
            }
        )
        card.setdefault("created", datetime.now(UTC).isoformat(timespec="seconds"))
        staged_card.write_text(json.dumps(card, indent=2, sort_keys=False) + "\n", encoding="utf-8")
        os.replace(staged, artifact)
        os.replace(staged_card, card_path)
    finally:
        for leftover in (staged, staged_card):
            leftover.unlink(missing_ok=True)
    model.card = card
    return card_path


def check_output_path(path: str | Path) -> tuple[Path, Path]:
    """The artifact and card paths for ``path``, after checking they can be written.

    Called before training as well as when saving, so that a bad ``-o`` fails at once instead
    of after the work. Creates the folder; refuses a path that names a folder.
    """
    if str(path).endswith(("/", os.sep)) or Path(path).is_dir():
        raise ModelError(
            f"quality: model path {str(path)!r} is a folder; give a name without extension inside it, "
            f"e.g. {str(Path(path) / 'reliability')!r}"
        )
    artifact, card_path = model_paths(path)
    for target in (artifact, card_path):
        if target.is_dir():
            raise ModelError(f"quality: cannot write the model to {str(target)!r}: it is a folder")
    try:
        artifact.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelError(
            f"quality: cannot create the model's folder {str(artifact.parent)!r}: {exc}"
        ) from None
    if not os.access(artifact.parent, os.W_OK):
        raise ModelError(f"quality: cannot write the model to {str(artifact.parent)!r}: permission denied")
    return artifact, card_path


def load_model(path: str | Path | None = None) -> Model:
    """Load a model, checking it against its card first.

    The artifact is unpickled only if its SHA-256 equals the one in the card beside it, so a
    file swapped or altered after training is refused rather than run. A different
    scikit-learn version than the one that trained it gives a warning.
    """
    artifact, card_path = model_paths(path if path is not None else default_model_path())
    if not artifact.exists():
        raise ModelError(
            f"quality: no model artifact at {str(artifact)!r}; train one with `quality train` or pass --model"
        )
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
    digest = file_sha256(artifact)
    if digest != card.get("sha256"):
        raise ModelError(
            f"quality: model {str(artifact)!r} does not match its card: SHA-256 is {digest[:16]}…, "
            f"the card says {str(card.get('sha256'))[:16]}…. The file was changed after training; "
            "refusing to load it. Retrain with `quality train` or restore the original file."
        )
    trained_with = card.get("versions", {}).get("scikit-learn")
    if trained_with and trained_with != sklearn.__version__:
        warnings.warn(
            f"quality: model {artifact.name!r} was trained with scikit-learn {trained_with}, "
            f"this is {sklearn.__version__}; scores may differ. Retrain with `quality train`.",
            UserWarning,
            stacklevel=2,
        )
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*Trying to unpickle estimator.*")
        try:
            payload = joblib.load(artifact)
        except Exception as exc:  # truncated or not a joblib file, though its card vouches for it
            raise ModelError(
                f"quality: model {str(artifact)!r} cannot be read ({type(exc).__name__}: {exc})"
            ) from None
    if not isinstance(payload, dict) or "pipeline" not in payload or "reference" not in payload:
        raise ModelError(f"quality: {str(artifact)!r} is not a quality model artifact")
    expected = feature_names(
        getattr(payload["pipeline"].named_steps["features"], "reputation", None) is not None
    )
    if list(payload.get("features", [])) != list(expected):
        raise ModelError(
            f"quality: model {artifact.name!r} was trained on other features than this code computes; "
            "retrain it with `quality train`"
        )
    log.debug("loaded model %s (sha256 %s)", artifact, digest[:12])
    return Model(
        pipeline=payload["pipeline"],
        reference=np.asarray(payload["reference"], dtype=float),
        card=card,
        name=artifact.stem,
    )
