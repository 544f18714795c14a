"""The sub-models as scoring calls them (`quality.submodels.CountedPipeline`)."""

from __future__ import annotations

import numpy as np
import pytest

from quality.submodels import CountedPipeline, counted, make_claim_model

# Sentences that test the counting: capitals whose lower case is longer (İ), a sigma whose
# lower case depends on its neighbours, ligatures, digits, underscores, nothing at all.
_SENTENCES = [
    "Unemployment rose to 7.5% in March, the highest since 2009.",
    "İstanbul İSTANBUL ΟΔΟΣ'Α café CAFÉ straße STRASSE ǅemal ﬁne x_y 12 3rd",
    "",
    "a",
    "What a day it was!",
    "The the the rate rate rose rose.",
]


def _assert_same(got: np.ndarray, expected: np.ndarray) -> None:
    assert got.shape == expected.shape
    assert np.array_equal(got, expected)  # to the last bit: a claim's 0.8 threshold must not move


def test_the_shipped_claim_model_gives_its_own_probabilities_to_the_last_bit(model, seeds):
    from quality.doc import make_doc

    sentences = _SENTENCES + [s.text for a in seeds.values() for s in make_doc(a).body.sentences]
    _assert_same(
        CountedPipeline(model.claim_model).predict_proba(sentences),
        model.claim_model.predict_proba(sentences),
    )


@pytest.mark.parametrize(
    "params",
    [{}, {"tfidfvectorizer__ngram_range": (1, 1), "tfidfvectorizer__sublinear_tf": False}],
    ids=["uni- and bigrams, counted", "words only, counted"],
)
def test_a_fitted_claim_model_gives_its_own_probabilities(params):
    fitted = (
        make_claim_model()
        .set_params(**params)
        .fit(_SENTENCES * 2 + ["It rained.", "Prices fell 3%."] * 2, [1, 0, 0, 0, 0, 1] * 2 + [0, 1] * 2)
    )
    _assert_same(CountedPipeline(fitted).predict_proba(_SENTENCES), fitted.predict_proba(_SENTENCES))


def test_a_vectorizer_it_cannot_replay_is_left_to_the_pipeline():
    """Stop words (or any setting `term_counts` does not replay): the pipeline's own answer."""
    fitted = make_claim_model().set_params(tfidfvectorizer__stop_words="english", tfidfvectorizer__min_df=1)
    fitted.fit(["Prices fell 3% in May.", "I think so.", "Taxes rose 2%.", "Why not?"], [1, 0, 1, 0])
    _assert_same(CountedPipeline(fitted).predict_proba(_SENTENCES), fitted.predict_proba(_SENTENCES))


# Headlines that test the counting of the headline model's views: white space of every kind
# between words, names that `mask_names` drops, capitals, one letter, nothing at all.
_HEADLINES = [
    "You Won't Believe What Kim Kardashian Did Next!",
    "Storm\thits  coast\u00a0as\u2003thousands flee",
    "İSTANBUL ΟΔΟΣ café ǅemal ﬁne x_y 12 3rd",
    "",
    "a",
    "10 Things Only 90s Kids Will Remember",
]


def test_the_shipped_headline_model_gives_its_own_probabilities_to_the_last_bit(model, seeds):
    """The headline model's union counts its word and character views with `term_counts`
    (its form and rules are left to their own ``transform``): the same probabilities."""
    from quality.submodels import _counted_transform

    headlines = _HEADLINES + [a.title for a in seeds.values()]
    assert _counted_transform(model.headline_model.steps[0][1], headlines) is not None  # (counted)
    _assert_same(
        CountedPipeline(model.headline_model).predict_proba(headlines),
        model.headline_model.predict_proba(headlines),
    )


def test_a_fitted_headline_model_gives_its_own_probabilities():
    from quality.submodels import make_headline_model

    titles = _HEADLINES * 3 + ["Officials say storm passes", "This one trick will shock you"] * 3
    fitted = make_headline_model().fit(titles, ([1, 0, 0, 0, 0, 1] * 3) + [0, 1] * 3)
    _assert_same(CountedPipeline(fitted).predict_proba(_HEADLINES), fitted.predict_proba(_HEADLINES))


def test_no_model_stays_no_model():
    assert counted(None) is None


def test_the_shipped_sub_models_are_not_asked_for_their_probabilities(model, seeds, monkeypatch):
    """Scoring one article ran five TF-IDF weightings and two classifiers through scikit-learn's
    input checks, which cost more than the arithmetic for a batch of one: `CountedPipeline`
    replays both steps itself for the shipped models, to the last bit."""
    headlines = _HEADLINES + [a.title for a in seeds.values()]
    expected = {
        "claim": model.claim_model.predict_proba(_SENTENCES),
        "headline": model.headline_model.predict_proba(headlines),
    }

    def refused(*args, **kwargs):
        raise AssertionError("asked scikit-learn")

    for sub in (model.claim_model, model.headline_model):
        monkeypatch.setattr(sub.steps[-1][1], "predict_proba", refused)
    monkeypatch.setattr("sklearn.feature_extraction.text.TfidfTransformer.transform", refused)
    _assert_same(CountedPipeline(model.claim_model).predict_proba(_SENTENCES), expected["claim"])
    _assert_same(CountedPipeline(model.headline_model).predict_proba(headlines), expected["headline"])


@pytest.mark.parametrize("classes", [[0, 1, 2], ["no", "yes"]], ids=["three classes", "named classes"])
def test_a_classifier_it_does_not_replay_gives_its_own_probabilities(classes):
    """Three classes (a softmax, not one logistic column) are left to scikit-learn; named
    classes are replayed, the second column being the second class as scikit-learn sorts them."""
    sentences = _SENTENCES * 2 + ["It rained.", "Prices fell 3%."] * 2
    labels = (classes * len(sentences))[: len(sentences)]
    fitted = make_claim_model().fit(sentences, labels)
    _assert_same(CountedPipeline(fitted).predict_proba(_SENTENCES), fitted.predict_proba(_SENTENCES))


@pytest.mark.parametrize("norm", ["l2", "l1", None])
@pytest.mark.parametrize("sublinear_tf", [True, False])
@pytest.mark.parametrize("use_idf", [True, False])
def test_weigh_gives_the_transformers_own_weights_to_the_last_bit(norm, sublinear_tf, use_idf):
    from sklearn.feature_extraction.text import TfidfTransformer

    from quality.vocabulary import make_vocabulary, term_counts, weigh

    texts = ["Storm hits coast", "Storm passes the coast", "the the storm, 12 storms", ""]
    vectorizer = make_vocabulary(min_df=1).fit(texts)
    counts = term_counts(vectorizer, texts)
    weighting = TfidfTransformer(norm=norm, sublinear_tf=sublinear_tf, use_idf=use_idf).fit(counts)
    expected = weighting.transform(counts)
    got = weigh(weighting, counts.copy())
    assert np.array_equal(got.indptr, expected.indptr) and np.array_equal(got.indices, expected.indices)
    assert np.array_equal(got.data, expected.data)
    # Counts of another type are left to the transformer (which converts them).
    assert np.array_equal(
        weigh(weighting, counts.astype(np.float32)).toarray(),
        weighting.transform(counts.astype(np.float32)).toarray(),
    )


def test_a_binary_multinomial_classifier_is_left_to_scikit_learn(monkeypatch):
    """scikit-learn before 1.8 gives a binary ``multi_class="multinomial"`` model softmax([-d, d]),
    not the logistic of d that `_probabilities` replays: such a model is asked itself."""
    from quality.submodels import _probabilities

    fitted = make_claim_model().fit(_SENTENCES * 2 + ["It rained."] * 2, [1, 0, 0, 0, 0, 1] * 2 + [0, 1])
    classifier = fitted.steps[-1][1]
    features = fitted.steps[0][1].transform(_SENTENCES)
    replayed = _probabilities(classifier, features)
    monkeypatch.setattr(classifier, "multi_class", "multinomial", raising=False)
    monkeypatch.setattr(classifier, "predict_proba", lambda X: np.full((X.shape[0], 2), 0.5))
    assert (_probabilities(classifier, features) == 0.5).all()
    monkeypatch.setattr(classifier, "multi_class", "auto", raising=False)
    _assert_same(_probabilities(classifier, features), replayed)
