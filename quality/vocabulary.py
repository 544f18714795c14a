"""The vocabulary family: TF-IDF word n-grams of an article, and where each term occurs in it.

A capped vocabulary (the ``max_terms`` most frequent uni- and bigrams of the training
articles) keeps the artifact small. The reliability model weighs these columns linearly, so a
term's contribution to the score is its weight times its TF-IDF value, and the terms' shares
add up exactly to the family's contribution (`quality.model.ReliabilityClassifier`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import clone
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer, TfidfVectorizer

from quality.article import Article, Evidence, SignalResult

__all__ = [
    "PREFIX",
    "VOCABULARY_FEATURE",
    "TermCounts",
    "article_text",
    "make_vocabulary",
    "term_spans",
    "vocabulary_result",
]

#: Feature names of vocabulary columns are ``vocabulary.<term>``.
PREFIX = "vocabulary."
#: The family's contribution, and the feature its evidence is filed under.
VOCABULARY_FEATURE = "vocabulary.words"
#: scikit-learn's default token pattern, which the vectorizer uses: spans are found with it too.
_TOKEN = re.compile(r"(?u)\b\w\w+\b")
#: Title and body are joined with this between them for the vectorizer.
_JOIN = "\n\n"


def make_vocabulary(max_terms: int = 20_000, min_df: int = 3) -> TfidfVectorizer:
    """The vectorizer behind the vocabulary family: lower-cased word uni- and bigrams, TF-IDF.

    Examples
    --------
    >>> v = make_vocabulary(min_df=1).fit(["Storm hits coast", "Storm passes"])
    >>> sorted(v.vocabulary_)[:3]
    ['coast', 'hits', 'hits coast']
    """
    return TfidfVectorizer(
        sublinear_tf=True, min_df=min_df, max_features=max_terms, ngram_range=(1, 2), dtype=np.float64
    )


def fit_vocabulary(vectorizer: TfidfVectorizer, articles: Iterable[Article]) -> TfidfVectorizer:
    """Fit ``vectorizer`` on the articles' text; drops ``stop_words_`` (every term cut by the cap,
    kept by scikit-learn for introspection only) so the artifact stays small."""
    vectorizer.fit(article_text(a) for a in articles)
    if hasattr(vectorizer, "stop_words_"):
        del vectorizer.stop_words_
    return vectorizer


class TermCounts:
    """Word uni- and bigram counts of a fixed list of texts, tokenised once.

    Training fits one vocabulary per split (and the TF-IDF baseline one more) on subsets of
    the same articles; tokenising the text again for each fit cost more than the fits. `fit`
    derives from these counts exactly the vectorizer that ``TfidfVectorizer.fit`` would give on
    the texts of ``rows`` (same terms in the same order, same IDF: `_limit_features` and
    `TfidfTransformer` of scikit-learn, replayed on the rows' counts), and `transform` gives
    what that vectorizer's ``transform`` gives on those texts (to the last bit, but for the order
    in which a row's squares are summed for its norm).

    Examples
    --------
    >>> texts = ["storm hits coast", "storm passes", "coast guard says storm passes"]
    >>> counts = TermCounts(texts)
    >>> fitted, state = counts.fit(make_vocabulary(min_df=1), [0, 1])
    >>> direct = make_vocabulary(min_df=1).fit(texts[:2])
    >>> fitted.vocabulary_ == direct.vocabulary_
    True
    >>> bool(abs(counts.transform(state, [2]) - direct.transform(texts[2:])).max() < 1e-12)
    True
    """

    #: The vectorizer settings this replays; any other (stop words, another tokenizer) is refused.
    _DEFAULTS = {
        "analyzer": "word",
        "lowercase": True,
        "token_pattern": r"(?u)\b\w\w+\b",
        "tokenizer": None,
        "preprocessor": None,
        "stop_words": None,
        "strip_accents": None,
        "binary": False,
        "vocabulary": None,
        "max_df": 1.0,
        "use_idf": True,
        "norm": "l2",
        "dtype": np.float64,
    }

    def __init__(self, texts: Iterable[str], ngram_range: tuple[int, int] = (1, 2), min_df: int = 1) -> None:
        # Terms in fewer than ``min_df`` of all the texts can pass no vectorizer with that
        # min_df on any subset: most bigrams occur once, and keeping them would only cost memory.
        counter = CountVectorizer(ngram_range=ngram_range, dtype=np.float64, min_df=min_df)
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.counts = counter.fit_transform(texts).tocsr()
        self.terms = counter.get_feature_names_out()

    def fit(
        self, vectorizer: TfidfVectorizer, rows: Any
    ) -> tuple[TfidfVectorizer, tuple[np.ndarray, TfidfTransformer]]:
        """A clone of ``vectorizer`` fitted on the texts of ``rows``, and the state `transform`
        needs (the kept columns and the fitted IDF weighting)."""
        params = vectorizer.get_params()
        odd = {k: params[k] for k, v in self._DEFAULTS.items() if params[k] != v}
        if odd or tuple(params["ngram_range"]) != self.ngram_range:
            raise ValueError(f"TermCounts: cannot replay a vectorizer with {odd or params['ngram_range']!r}")
        X = self.counts[np.asarray(rows)]
        n = X.shape[0]
        dfs = np.bincount(X.indices, minlength=X.shape[1])
        min_df = params["min_df"]
        low = min_df if isinstance(min_df, (int, np.integer)) else min_df * n
        if np.ceil(low) < self.min_df:  # (a document frequency is a whole number)
            raise ValueError(
                f"TermCounts: counts kept for min_df >= {self.min_df} cannot replay min_df={min_df!r} on {n} rows"
            )
        mask = dfs >= low
        limit = params["max_features"]
        if limit is not None and mask.sum() > limit:
            # As scikit-learn's _limit_features: the most frequent terms, ties as its argsort breaks them.
            tfs = np.asarray(X.sum(axis=0)).ravel()
            chosen = np.flatnonzero(mask)[(-tfs[mask]).argsort()[:limit]]
            mask = np.zeros(len(dfs), dtype=bool)
            mask[chosen] = True
        kept = np.flatnonzero(mask)
        if not len(kept):
            raise ValueError("TermCounts: no term is left after min_df and max_features")
        weighting = TfidfTransformer(
            norm=params["norm"],
            use_idf=True,
            smooth_idf=params["smooth_idf"],
            sublinear_tf=params["sublinear_tf"],
        ).fit(X[:, kept])
        fitted = clone(vectorizer)
        fitted.vocabulary_ = {str(t): i for i, t in enumerate(self.terms[kept])}
        fitted.fixed_vocabulary_ = False
        fitted.idf_ = weighting.idf_
        return fitted, (kept, weighting)

    def transform(self, state: tuple[np.ndarray, TfidfTransformer], rows: Any) -> sparse.csr_matrix:
        """TF-IDF rows of the vectorizer `fit` returned with ``state``."""
        kept, weighting = state
        return weighting.transform(self.counts[np.asarray(rows)][:, kept]).tocsr()


def article_text(article: Article) -> str:
    """The text the vocabulary reads: the headline, a blank line, the body."""
    return f"{article.title}{_JOIN}{article.body}"


def transform(vectorizer: TfidfVectorizer, articles: Sequence[Article]) -> sparse.csr_matrix:
    return vectorizer.transform([article_text(a) for a in articles]).tocsr()


def term_spans(article: Article, terms: Iterable[str]) -> dict[str, list[tuple[str, int, int]]]:
    """Where each of ``terms`` occurs: ``{term: [(field, start, end), ...]}``.

    Tokens are found with the vectorizer's own pattern on the original text and lower-cased,
    so every span points to the characters that made the term; a bigram across the title and
    the body has no span.

    Examples
    --------
    >>> term_spans(Article("Storm hits coast", "The storm hit."), ["storm", "hits coast"])
    {'storm': [('title', 0, 5), ('body', 4, 9)], 'hits coast': [('title', 6, 16)]}
    """
    # Keyed in the order asked (a set's order changes from one interpreter to the next).
    out: dict[str, list[tuple[str, int, int]]] = {t: [] for t in dict.fromkeys(terms)}
    wanted = out.keys()
    if not wanted:
        return out
    for field in ("title", "body"):
        text = getattr(article, field)
        tokens = [(m.group().lower(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
        for i, (word, start, end) in enumerate(tokens):
            if word in wanted:
                out[word].append((field, start, end))
            if i + 1 < len(tokens):
                pair = f"{word} {tokens[i + 1][0]}"
                if pair in wanted:
                    out[pair].append((field, start, tokens[i + 1][2]))
    return out


def top_terms(
    contributions: Mapping[str, float], direction: float, limit: int = 3
) -> list[tuple[str, float]]:
    """The ``limit`` terms that push most in ``direction`` (the sign of the family's effect)."""
    same_way = [(t, c) for t, c in contributions.items() if c * direction > 0]
    same_way.sort(key=lambda tc: -abs(tc[1]))
    return same_way[:limit]


def vocabulary_terms(vectorizer: Any) -> np.ndarray:
    """The vectorizer's terms in column order."""
    return np.asarray(vectorizer.get_feature_names_out(), dtype=object)


def vocabulary_result(
    article: Article, contributions: Mapping[str, float], total: float, limit: int = 5, per_term: int = 2
) -> SignalResult:
    """The vocabulary family as a signal result: its evidence is the ``limit`` terms that push
    the score most in the family's direction (``total``'s sign), at up to ``per_term``
    occurrences each, strongest first, noting each term's contribution.

    Examples
    --------
    >>> r = vocabulary_result(Article("Shocking news", "Shocking."), {"shocking": -0.3, "news": 0.1}, -0.2)
    >>> [(e.field, e.text, e.note) for e in r.evidence]
    [('title', 'Shocking', "'shocking': -0.30 log-odds"), ('body', 'Shocking', "'shocking': -0.30 log-odds")]
    """
    strongest = top_terms(contributions, total, limit)
    where = term_spans(article, [t for t, _ in strongest])
    evidence = []
    for term, value in strongest:
        text_of = {"title": article.title, "body": article.body}
        for field, start, end in where[term][:per_term]:
            evidence.append(
                Evidence(
                    "vocabulary",
                    VOCABULARY_FEATURE,
                    field,
                    start,
                    end,
                    text_of[field][start:end],
                    f"{term!r}: {value:+.2f} log-odds",
                )
            )
    return SignalResult("vocabulary", 0.0, {}, tuple(evidence))
