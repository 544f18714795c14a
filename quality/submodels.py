"""The learned sub-models that feed signals: the clickbait headline classifier and the
check-worthy-claim classifier. Both take raw strings and give ``predict_proba``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy import sparse
from scipy.special import expit
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, FunctionTransformer, Pipeline, make_pipeline, make_union

from quality.signals.clickbait import HeadlineShape, mask_names, rule_matrix
from quality.vocabulary import term_counts, weigh

__all__ = ["CountedPipeline", "counted", "make_claim_model", "make_headline_model"]


def make_headline_model(C: float = 30.0, max_words: int = 10_000, max_chars: int = 20_000) -> Pipeline:
    """The clickbait headline classifier: form, rules, words and characters → logistic regression.

    Raw headline strings in; ``predict_proba(...)[:, 1]`` is the clickbait probability. Four
    views of a headline, side by side:

    - its form (`quality.signals.clickbait.abstract_headline`): function words, punctuation and
      the shapes of the other words, n-grams up to three;
    - the headline rules (`quality.signals.clickbait.rule_matrix`);
    - lower-cased words and word pairs, and character 2–5-grams within words, each capped at
      the most frequent ``max_words`` / ``max_chars`` so the artifact stays small, with
      people's names hidden (`quality.signals.clickbait.mask_names`).

    Words and characters carry topic as well as style; trained on Stop Clickbait alone, they
    learn that news topics are never clickbait. `quality.training.train` therefore also fits
    on topic-matched pairs (``labeled/headlines.csv``: the same fact as plain news and as
    clickbait), in which only the form tells the two apart.
    """
    form = make_pipeline(
        FunctionTransformer(HeadlineShape()),
        TfidfVectorizer(
            ngram_range=(1, 3), min_df=2, sublinear_tf=True, token_pattern=r"\S+", lowercase=False
        ),
    )
    # People's names are hidden from the word and character views (`mask_names`): they say
    # who a story is about, and Stop Clickbait ties celebrities' names to its clickbait.
    words = TfidfVectorizer(
        ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=max_words, preprocessor=mask_names
    )
    chars = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(2, 5),
        min_df=2,
        sublinear_tf=True,
        max_features=max_chars,
        preprocessor=mask_names,
    )
    return make_pipeline(
        make_union(form, FunctionTransformer(rule_matrix), words, chars),
        LogisticRegression(C=C, max_iter=3000),
    )


def make_claim_model(C: float = 2.0, max_features: int = 30_000) -> Pipeline:
    """The check-worthy-claim classifier: sentence word n-grams → LR (balanced classes).

    Sentences in; ``predict_proba(...)[:, 1]`` is the probability the sentence states a
    checkable fact. Trained on ClaimBuster's debate sentences; the vocabulary is capped so
    the artifact stays small.
    """
    return make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=max_features),
        LogisticRegression(C=C, max_iter=2000, class_weight="balanced"),
    )


class CountedPipeline:
    """A fitted sub-model as scoring asks it: `predict_proba` gives what the pipeline's own
    gives, to the last bit, but its TF-IDF vectorizers count the terms with
    `quality.vocabulary.term_counts` (its lookups run in C) instead of their per-term Python
    loop, which was more than half of each sub-model's scoring time. Two shapes are counted
    so: ``TfidfVectorizer → classifier`` (the claim model) and ``FeatureUnion → classifier``
    whose union holds vectorizers, or pipelines that end in one (the headline model: its form
    view, and its word and character views, which read the same preprocessed headline and
    preprocess it once for both). Any other step, or a vectorizer that `term_counts` cannot
    replay, is left to its own ``transform``.

    Examples
    --------
    >>> model = make_claim_model().fit(["Prices rose 5% in May.", "I think so.", "Taxes fell 2% in June.", "Why not?"], [1, 0, 1, 0])
    >>> texts = ["Prices fell 3% in May.", "Maybe."]
    >>> bool((CountedPipeline(model).predict_proba(texts) == model.predict_proba(texts)).all())
    True
    """

    __slots__ = ("pipeline",)

    def __init__(self, pipeline: Any) -> None:
        self.pipeline = pipeline

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        steps = getattr(self.pipeline, "steps", None)
        if steps is not None and len(steps) == 2:
            features = _counted_transform(steps[0][1], texts)
            if features is not None:
                return _probabilities(steps[1][1], features)
        return np.asarray(self.pipeline.predict_proba(texts))


def _probabilities(classifier: Any, features: Any) -> np.ndarray:
    """``classifier.predict_proba(features)``.

    For a binary ``LogisticRegression`` and CSR features, its steps are replayed as it takes
    them (the features times the coefficients plus the intercept, the logistic function in
    place, the two columns stacked), without its checks of the input: the same numbers, to the
    last bit, in a tenth of the time for one headline. Anything else asks the classifier.
    """
    coef = getattr(classifier, "coef_", None)
    if (
        type(classifier) is not LogisticRegression
        or coef is None
        or coef.shape[0] != 1
        or len(classifier.classes_) != 2
        # (scikit-learn before 1.8: a binary "multinomial" model gives softmax([-d, d]))
        or getattr(classifier, "multi_class", None) == "multinomial"
        or not sparse.isspmatrix_csr(features)
        or features.shape[1] != coef.shape[1]
    ):
        return np.asarray(classifier.predict_proba(features))
    # (As LinearClassifierMixin.decision_function, then _predict_proba_lr.)
    probability = np.asarray(features @ coef.T + classifier.intercept_).reshape(-1)
    expit(probability, out=probability)
    return np.stack([1 - probability, probability], axis=1)


def _counted_transform(step: Any, texts: Sequence[str]) -> Any:
    """``step.transform(texts)``, its vectorizers counting with `term_counts`; None for a step
    that is neither a vectorizer it replays nor a plain union holding one."""
    if isinstance(step, TfidfVectorizer):
        return _tfidf(step, texts, {})
    if not isinstance(step, FeatureUnion) or step.transformer_weights is not None:
        return None
    if getattr(step, "_sklearn_output_config", {}).get("transform", "default") != "default":
        return None
    parts = [transformer for _, transformer in step.transformer_list]
    if not any(isinstance(t, TfidfVectorizer) for t in parts) or any(isinstance(t, str) for t in parts):
        return None  # (nothing to count, or a "drop" or "passthrough" the union handles)
    preprocessed: dict[Any, list[str]] = {}
    outputs = []
    for transformer in parts:
        out = _counted_part(transformer, texts, preprocessed)
        outputs.append(transformer.transform(texts) if out is None else out)
    if not any(sparse.issparse(out) for out in outputs):
        return None
    # As FeatureUnion joins sparse outputs (``sparse.hstack(outputs).tocsr()``), but each made
    # CSR first, which scipy joins row by row without going through COO: the same entries in
    # the same order (each row's columns ascending, as a union's parts are side by side).
    return sparse.hstack([sparse.csr_matrix(out) for out in outputs], format="csr")


def _counted_part(transformer: Any, texts: Sequence[str], preprocessed: dict[Any, list[str]]) -> Any:
    """One part of a union counted: a vectorizer, or a pipeline of steps ending in one (the
    headline model's form view); None for anything else, or a vectorizer `term_counts` cannot
    replay."""
    if isinstance(transformer, TfidfVectorizer):
        return _tfidf(transformer, texts, preprocessed)
    if not isinstance(transformer, Pipeline) or not isinstance(transformer.steps[-1][1], TfidfVectorizer):
        return None
    if any(isinstance(step, str) or step is None for _, step in transformer.steps):
        return None  # (a "passthrough" step, which the pipeline handles)
    if getattr(transformer, "_sklearn_output_config", {}).get("transform", "default") != "default":
        return None
    shaped: Any = texts
    for _, step in transformer.steps[:-1]:  # (as Pipeline.transform)
        shaped = step.transform(shaped)
    return _tfidf(transformer.steps[-1][1], shaped, {})


def _tfidf(vectorizer: TfidfVectorizer, texts: Sequence[str], preprocessed: dict[Any, list[str]]) -> Any:
    """``vectorizer.transform(texts)`` from `term_counts` (None when it cannot replay it); the
    texts run through the vectorizer's preprocessor are kept in ``preprocessed`` for the next."""
    weighting = getattr(vectorizer, "_tfidf", None)  # (what TfidfVectorizer.transform applies)
    if weighting is None:
        return None
    preprocessor = vectorizer.preprocessor
    if preprocessor is None:
        counts = term_counts(vectorizer, texts)
    else:
        if preprocessor not in preprocessed:
            preprocessed[preprocessor] = [preprocessor(text) for text in texts]
        counts = term_counts(vectorizer, preprocessed[preprocessor], preprocessed=True)
    return None if counts is None else weigh(weighting, counts)


def counted(pipeline: Any) -> Any:
    """``pipeline`` as a `CountedPipeline`, for scoring; None stays None (no sub-model)."""
    return None if pipeline is None else CountedPipeline(pipeline)
