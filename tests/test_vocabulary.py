"""The vocabulary family: terms found where they are, evidence pointing to real characters."""

from __future__ import annotations

import pytest

from quality.article import Article
from quality.vocabulary import make_vocabulary, term_spans, vocabulary_result


@pytest.mark.parametrize(
    ("article", "term", "expected"),
    [
        (Article("Storm hits coast", "The STORM hit."), "storm", [("title", 0, 5), ("body", 4, 9)]),
        (Article("", "Officials said on Monday"), "officials said", [("body", 0, 14)]),
        (Article("Café owners protest", ""), "café owners", [("title", 0, 11)]),
        # A bigram across the headline and the body is counted by the vectorizer but has no span.
        (Article("Storm hits", "Coast braces"), "hits coast", []),
    ],
    ids=["a word in both fields", "a bigram", "accented letters", "no span across fields"],
)
def test_terms_are_found_at_their_characters(article, term, expected):
    spans = term_spans(article, [term])[term]
    assert spans == expected
    for field, start, end in spans:
        assert getattr(article, field)[start:end].lower() == term


def test_the_vectorizer_reads_the_terms_the_spans_find():
    article = Article("Storm hits coast", "Officials said the storm hit the coast.")
    v = make_vocabulary(min_df=1).fit([f"{article.title}\n\n{article.body}"])
    spans = term_spans(article, v.vocabulary_)
    assert all(spans[t] for t in v.vocabulary_ if t != "coast officials")
    assert spans["coast officials"] == []


def test_evidence_names_the_strongest_terms_in_the_family_direction():
    article = Article("Shocking truth revealed", "The shocking truth, officials said.")
    words = {"shocking": -0.4, "truth": -0.1, "officials": 0.3, "said": 0.2}
    result = vocabulary_result(article, words, total=-0.2, limit=2)
    assert [e.note for e in result.evidence] == ["'shocking': -0.40 log-odds"] * 2 + [
        "'truth': -0.10 log-odds"
    ] * 2
    for e in result.evidence:
        assert getattr(article, e.field)[e.start : e.end] == e.text
    helping = vocabulary_result(article, words, total=0.5, limit=1)
    assert {e.text for e in helping.evidence} == {"officials"}


@pytest.mark.parametrize(
    ("vectorizer", "kept_from"),
    [
        (make_vocabulary(max_terms=300), 3),
        (make_vocabulary(max_terms=None, min_df=2), 2),
        (make_vocabulary(min_df=0.01), 1),
    ],
    ids=["capped: ties at the cap", "uncapped", "min_df as a share"],
)
def test_counts_made_once_replay_the_vectorizer_exactly(vectorizer, kept_from):
    """Training derives each split's vocabulary from counts tokenised once (`TermCounts`); a
    vocabulary or a TF-IDF value that differed from a plain fit would change the model."""
    import json
    from pathlib import Path

    import numpy as np
    from sklearn.base import clone

    from quality.vocabulary import TermCounts

    rows = [json.loads(line) for line in (Path(__file__).parents[1] / "labeled" / "examples.jsonl").open()]
    texts = [f"{r.get('title', '')}\n\n{r.get('body', '')}" for r in rows]
    fit_rows = np.arange(0, len(texts), 3)[::-1]  # any subset, in any order
    other_rows = np.setdiff1d(np.arange(len(texts)), fit_rows)
    counts = TermCounts(texts, min_df=kept_from)
    replayed, state = counts.fit(vectorizer, fit_rows)
    direct = clone(vectorizer).fit([texts[i] for i in fit_rows])
    assert replayed.vocabulary_ == direct.vocabulary_
    assert np.array_equal(replayed.idf_, direct.idf_)
    for part in (fit_rows, other_rows):
        expected = direct.transform([texts[i] for i in part])
        # (Equal to the last bit but for the order of a row's squares in its norm.)
        assert abs(counts.transform(state, part) - expected).max() < 1e-12
        # The replayed vectorizer, saved in the model, reads new text as the plain fit does.
        assert abs(replayed.transform([texts[i] for i in part]) - expected).max() < 1e-12


def test_counts_refuse_a_vectorizer_they_cannot_replay():
    from quality.vocabulary import TermCounts

    counts = TermCounts(["storm hits coast", "storm passes"])
    with pytest.raises(ValueError, match="stop_words"):
        counts.fit(make_vocabulary(min_df=1).set_params(stop_words="english"), [0, 1])
    # Terms dropped when the counts were made cannot come back for a vectorizer that keeps rarer ones.
    with pytest.raises(ValueError, match="min_df"):
        TermCounts(["storm hits coast", "storm passes"], min_df=2).fit(make_vocabulary(min_df=1), [0, 1])


_ODD_TEXTS = [
    "Storm hits coast\n\nThe storm, THE STORM hits the coast; coast guard says storm passes.",
    # Lower-casing that changes the text's length or a letter's context: İ becomes two
    # characters, a capital sigma depends on its neighbours; the counts read the lower-cased text.
    "İstanbul İSTANBUL\n\nΟΔΟΣ'Α ΟΔΟΣ café CAFÉ straße STRASSE ǅemal ﬁne x_y 12 3rd",
    "",
    "a",
    "\n\nstorm",
]


@pytest.mark.parametrize(
    "vectorizer",
    [make_vocabulary(min_df=1), make_vocabulary(min_df=1).set_params(ngram_range=(1, 1), sublinear_tf=False)],
    ids=["uni- and bigrams", "words only"],
)
def test_transform_gives_the_vectorizers_own_rows_to_the_last_bit(vectorizer):
    """`transform` counts terms itself (the vectorizer's per-term Python loop was most of the
    family's scoring time) and must give exactly what ``vectorizer.transform`` gives."""
    import numpy as np

    from quality.vocabulary import article_text, term_counts, transform

    fitted = vectorizer.fit(_ODD_TEXTS[:2] + ["storm coast guard istanbul stanbul οδοσ οδος"])
    articles = [Article(*t.split("\n\n", 1)) if "\n\n" in t else Article(t, "") for t in _ODD_TEXTS]
    expected = fitted.transform([article_text(a) for a in articles])
    got = transform(fitted, articles)
    assert got.shape == expected.shape
    assert np.array_equal(got.indptr, expected.indptr)
    assert np.array_equal(got.indices, expected.indices)
    assert np.array_equal(got.data, expected.data)
    assert term_counts(fitted.set_params(stop_words="english"), ["storm"]) is None  # left to scikit-learn


def test_the_token_pattern_finds_the_vectorizers_tokens():
    """``\\w\\w+`` stands in for scikit-learn's ``\\b\\w\\w+\\b``: the same matches, faster."""
    import random
    import re

    from quality.vocabulary import _TOKEN, _TOKEN_PATTERN

    assert _TOKEN_PATTERN == make_vocabulary().token_pattern
    sklearn_pattern = re.compile(_TOKEN_PATTERN)
    rng = random.Random(0)
    alphabet = list("aZ9_ ΣİßǅⅠ٣\u0307\u200d'’-.\n") + [chr(c) for c in rng.sample(range(0x20, 0x30000), 200)]
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10)))
        assert [m.span() for m in _TOKEN.finditer(text)] == [m.span() for m in sklearn_pattern.finditer(text)]


@pytest.mark.parametrize(
    ("terms", "expected"),
    [
        (["storm storm"], {"storm storm": [("body", 0, 11)]}),
        (
            ["storm", "storm storm"],
            {"storm": [("body", 0, 5), ("body", 6, 11)], "storm storm": [("body", 0, 11)]},
        ),
        (["", " ", "storm ", " storm", "a b c"], {"": [], " ": [], "storm ": [], " storm": [], "a b c": []}),
    ],
    ids=["a repeated word", "a word and its bigram", "no term of spaces or three words"],
)
def test_term_spans_edge_cases(terms, expected):
    assert term_spans(Article("", "Storm storm."), terms) == expected


def test_top_terms_orders_as_a_stable_sort_by_strength():
    from quality.vocabulary import top_terms

    words = {"a": 0.1, "b": -0.5, "c": 0.3, "d": 0.3, "e": float("nan"), "f": float("inf"), "g": 0.0}
    assert top_terms(words, 1.0, limit=10) == [("f", float("inf")), ("c", 0.3), ("d", 0.3), ("a", 0.1)]
    assert top_terms(words, -2.0, limit=1) == [("b", -0.5)]
    assert top_terms(words, float("nan")) == [] == top_terms({}, 1.0)


def test_term_spans_are_the_same_for_few_terms_and_many():
    """Spans are found by searching for each term's first word when few are asked (evidence asks
    for five), in one pass over the tokens when many are: both give the same spans."""
    article = Article(
        "Storm hits coast as storm nears", "The storm hit the coast. Coast guard: storm hits again."
    )
    terms = [
        "storm",
        "hits coast",
        "coast",
        "storm hits",
        "the coast",
        "coast guard",
        "guard",
        "again",
        "nears",
        "as",
        "hit",
        "nowhere",
    ]
    together = term_spans(article, terms)
    assert len({t.partition(" ")[0] for t in terms}) > 8
    assert together == {t: term_spans(article, [t])[t] for t in terms}
    assert together["storm hits"] == [("title", 0, 10), ("body", 38, 48)]


def test_spans_searched_for_are_the_spans_of_the_tokens():
    """A few terms are searched for in the lower-cased text (`_searched_spans`), unless lowering
    it is not a character at a time (a capital sigma, a letter lowered into two); the spans are
    those of the tokens lower-cased one by one (`_token_spans`), on texts made of the characters
    that make lowering and word boundaries odd."""
    import random

    from quality.vocabulary import _TOKEN, _token_spans

    rng = random.Random(0)
    alphabet = list("aAbB_1 .,-'\n’ÉéǅǆſsSσςΣİi\u0307ßﬁⅠⅰⒶⓐ") + ["\u212a", "k"]
    searched = 0
    for _ in range(20_000):
        article = Article(
            "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))),
            "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))),
        )
        words = [w.lower() for w in _TOKEN.findall(f"{article.title} {article.body}")]
        terms = rng.sample(words, min(3, len(words))) + [" ".join(words[i : i + 2]) for i in range(0, 6, 2)]
        terms += ["ab", "a", "ab ab", "Ab"]
        expected = {t: [] for t in dict.fromkeys(terms)}
        for field in ("title", "body"):
            _token_spans(getattr(article, field), field, expected)
        assert term_spans(article, terms) == expected
        searched += "Σ" not in article.body and len(article.body.lower()) == len(article.body)
    assert searched > 1000  # (both ways were compared)


@pytest.mark.filterwarnings("ignore:Upper case characters found in vocabulary")
def test_term_counts_are_the_count_vectorizers_for_any_vocabulary():
    """`term_counts` looks words up as numbers and finds bi- and trigrams from neighbouring
    numbers (`_WordIndex`); on odd texts and on vocabularies with terms no text can make
    (spaces at the ends, four words, capitals), its counts are ``CountVectorizer``'s, and a
    vectorizer fitted again is counted with its new vocabulary."""
    import random

    import numpy as np
    from sklearn.feature_extraction.text import CountVectorizer

    from quality.vocabulary import _TOKEN, term_counts

    rng = random.Random(0)
    alphabet = list("aAbB_1 .,-'\n’ÉéǅſsSσςΣİi\u0307ßﬁⅠⅰⒶ") + ["\u212a", "k"]
    for _ in range(300):
        texts = [
            "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
            for _ in range(rng.randint(1, 10))
        ]
        words = [w for t in texts for w in _TOKEN.findall(t.lower())]
        vocabulary = set(rng.sample(words, min(5, len(words))))
        vocabulary |= {
            " ".join(words[i : i + n]) for n in (2, 3) for i in range(0, len(words) - n + 1, n + 1)
        }
        vocabulary |= {"", " ", "ab ", " ab", "ab  ab", "ab\tab", "Ab", "a b c d"}
        ngrams = rng.choice([(1, 1), (1, 2), (1, 3)])
        # scikit-learn's default tokens, or runs of anything but white space as the headline
        # model's form view reads them (its own case kept).
        words_as = rng.choice([{}, {"token_pattern": r"\S+", "lowercase": False}])
        for vectorizer in (
            CountVectorizer(
                ngram_range=ngrams, vocabulary=sorted(vocabulary), dtype=np.float64, **words_as
            ).fit(texts),
            make_vocabulary(min_df=1)
            .set_params(ngram_range=ngrams, **words_as)
            .fit([*texts[1:], "storm hits"]),
        ):
            expected = CountVectorizer.transform(vectorizer, texts)
            got = term_counts(vectorizer, texts)
            assert (got.shape, got.indptr.tolist(), got.indices.tolist(), got.data.tolist()) == (
                expected.shape,
                expected.indptr.tolist(),
                expected.indices.tolist(),
                expected.data.tolist(),
            )
    refitted = make_vocabulary(min_df=1)
    assert term_counts(refitted.fit(["storm hits coast"]), ["storm hits"]).sum() == 3
    assert term_counts(refitted.fit(["calm seas"]), ["storm hits"]).sum() == 0


@pytest.mark.filterwarnings("ignore:Upper case characters found in vocabulary")
def test_character_counts_are_the_count_vectorizers():
    """`term_counts` reads ``char_wb`` n-grams as numbers of digits, for a batch at once
    (`_char_numbers`); on texts with odd white space (tabs, no-break and em spaces, separators
    that ``str.split`` splits on), a NUL, surrogates and capitals, with a preprocessor or
    without, its counts are ``CountVectorizer``'s, and vocabularies it cannot read as numbers
    (terms holding two spaces, or longer than seven characters) are left to scikit-learn."""
    import random

    import numpy as np
    from sklearn.feature_extraction.text import CountVectorizer

    from quality.vocabulary import term_counts

    rng = random.Random(0)
    alphabet = list("aAbB_1 .'\t\n\x00\x1c\u00a0\u2003’ÉǅΣİ\ud800") + ["  ", "ab", "the "]
    refused = 0
    for _ in range(400):
        texts = [
            "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 25))) for _ in range(rng.randint(1, 8))
        ]
        ngrams = rng.choice([(1, 1), (1, 3), (2, 5), (3, 3), (3, 7), (2, 8), (4, 5)])
        kwargs = rng.choice([{}, {"lowercase": False}, {"preprocessor": str.upper}])
        fitted = CountVectorizer(analyzer="char_wb", ngram_range=ngrams, dtype=np.float64, **kwargs).fit(
            [*texts, "storm hits"]
        )
        extra = rng.choice([[], ["  ", " a  b ", "b  a"], ["a", "\x00a", "abcdefg"], ["abcdefgh"]])
        for vectorizer in (
            fitted,
            CountVectorizer(
                analyzer="char_wb",
                ngram_range=ngrams,
                dtype=np.float64,
                vocabulary=sorted({*fitted.vocabulary_, *extra}),
                **kwargs,
            ).fit(texts),
        ):
            expected = CountVectorizer.transform(vectorizer, texts)
            got = term_counts(vectorizer, texts)
            if got is None:
                refused += 1
                continue
            assert (got.shape, got.indptr.tolist(), got.indices.tolist(), got.data.tolist()) == (
                expected.shape,
                expected.indptr.tolist(),
                expected.indices.tolist(),
                expected.data.tolist(),
            ), (texts, ngrams, kwargs)
    assert 0 < refused < 400  # (both the numbers and the refusals were seen)
