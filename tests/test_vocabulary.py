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
    assert [e.note for e in result.evidence] == ["'shocking': -0.40 log-odds"] * 2 + ["'truth': -0.10 log-odds"] * 2
    for e in result.evidence:
        assert getattr(article, e.field)[e.start : e.end] == e.text
    helping = vocabulary_result(article, words, total=0.5, limit=1)
    assert {e.text for e in helping.evidence} == {"officials"}
