"""The vocabulary family: TF-IDF word n-grams of an article, and where each term occurs in it.

A capped vocabulary (the ``max_terms`` most frequent uni- and bigrams of the training
articles) keeps the artifact small. The reliability model weighs these columns linearly, so a
term's contribution to the score is its weight times its TF-IDF value, and the terms' shares
add up exactly to the family's contribution (`quality.model.ReliabilityClassifier`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import clone
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer, TfidfVectorizer
from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l1, inplace_csr_row_normalize_l2

from quality.article import Article, Evidence, SignalResult

__all__ = [
    "PREFIX",
    "VOCABULARY_FEATURE",
    "TermCounts",
    "article_text",
    "make_vocabulary",
    "term_spans",
    "vocabulary_result",
    "weigh",
]

#: Feature names of vocabulary columns are ``vocabulary.<term>``.
PREFIX = "vocabulary."
#: The family's contribution, and the feature its evidence is filed under.
VOCABULARY_FEATURE = "vocabulary.words"
#: scikit-learn's default token pattern, which the vectorizer uses: spans are found with it too.
_TOKEN_PATTERN = r"(?u)\b\w\w+\b"
#: The same tokens, found faster: a match of ``\w\w+`` starts where a run of word characters
#: does (the one before ended the previous run) and runs to its end, so the boundaries hold.
_TOKEN = re.compile(r"\w\w+")
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
    """The articles' TF-IDF rows: ``vectorizer.transform`` of their `article_text`.

    The term counts are taken with `term_counts` (scikit-learn's counting, without its
    per-token Python loop) and weighted by the vectorizer's own TF-IDF step, so the result is
    what ``vectorizer.transform`` gives, to the last bit; a vectorizer `term_counts` cannot
    replay is left to do it all itself.
    """
    texts = [article_text(a) for a in articles]
    counts = term_counts(vectorizer, texts)
    weighting = getattr(vectorizer, "_tfidf", None)
    if counts is None or weighting is None:
        return vectorizer.transform(texts).tocsr()
    return weigh(weighting, counts).tocsr()


def weigh(weighting: Any, counts: sparse.csr_matrix) -> Any:
    """``weighting.transform(counts, copy=False)``: the TF-IDF weights of a count matrix, in
    place.

    A fitted ``TfidfTransformer``'s steps are replayed as its ``transform`` takes them (log of
    the counts plus one, times the IDF of each column, each row divided by its norm, by the
    same functions), without its checks of the input, which cost more than the weighting for
    a batch of one (`quality.score` on one article runs five of them). Any other weighting, or
    counts not of float64 in CSR, is left to its own ``transform``.

    Examples
    --------
    >>> v = make_vocabulary(min_df=1).fit(["Storm hits coast", "Storm passes the coast"])
    >>> counts = term_counts(v, ["The storm, the storm hits"])
    >>> bool((weigh(v._tfidf, counts.copy()) != v._tfidf.transform(counts)).nnz == 0)
    True
    """
    norm = getattr(weighting, "norm", None)
    if (
        type(weighting) is not TfidfTransformer
        or not sparse.isspmatrix_csr(counts)
        or counts.dtype != np.float64
        or norm not in (None, "l1", "l2")
    ):
        return weighting.transform(counts, copy=False)
    data = counts.data
    if weighting.sublinear_tf:
        np.log(data, data)
        data += 1.0
    if hasattr(weighting, "idf_"):
        data *= weighting.idf_[counts.indices]
    # (``sklearn.preprocessing.normalize``'s own functions for a CSR matrix.)
    if norm == "l2":
        inplace_csr_row_normalize_l2(counts)
    elif norm == "l1":
        inplace_csr_row_normalize_l1(counts)
    return counts


#: Vectorizer settings under which `term_counts` counts exactly as ``CountVectorizer`` does.
_COUNTED_AS = {
    "input": "content",
    "tokenizer": None,
    "stop_words": None,
    "binary": False,
    "dtype": np.float64,
}


def term_counts(
    vectorizer: Any, texts: Sequence[str], preprocessed: bool = False
) -> sparse.csr_matrix | None:
    """The count matrix ``vectorizer``'s ``transform`` weights (its ``CountVectorizer`` step),
    or None for settings this does not replay (stop words, a tokenizer, analyzers other than
    ``"word"`` and ``"char_wb"``, word n-grams not from one word or longer than three, a token
    pattern other than scikit-learn's default or ``\\S+``, character n-grams from more than three).

    As scikit-learn: each text preprocessed (by the vectorizer's ``preprocessor``, or
    lower-cased; with ``preprocessed``, ``texts`` are that already), then split with the token
    pattern, the words and each run of two or three neighbours joined by a space looked up in
    ``vocabulary_`` (`_word_numbers`), or cut into the character n-grams of each word with a
    space either side (`_char_numbers`); the counts in a CSR matrix with sorted columns. The
    lookups run in C (``map``) and the rest in numpy for the whole batch at once: no Python step
    per term, which cost more than the rest of the scoring's word models.

    Examples
    --------
    >>> v = make_vocabulary(min_df=1).fit(["Storm hits coast", "Storm passes the coast"])
    >>> texts = ["The storm, the storm hits", "calm"]
    >>> bool((term_counts(v, texts) != super(TfidfVectorizer, v).transform(texts)).nnz == 0)
    True
    """
    if not hasattr(vectorizer, "vocabulary_"):
        return None
    if any(getattr(vectorizer, k, None) != v for k, v in _COUNTED_AS.items()):
        return None
    # As scikit-learn's `build_preprocessor`: a preprocessor given replaces the lower-casing
    # and the accent stripping.
    docs: Iterable[str] = texts
    if not preprocessed:
        if vectorizer.preprocessor is not None:
            docs = map(vectorizer.preprocessor, texts)
        elif vectorizer.strip_accents is not None:
            return None
        elif vectorizer.lowercase:
            docs = map(str.lower, texts)
    ngrams = tuple(vectorizer.ngram_range)
    vocabulary = vectorizer.vocabulary_
    if vectorizer.analyzer == "word":
        # (Their tokens hold no space, which `_WordIndex` needs.)
        pattern = _WORD_PATTERNS.get(vectorizer.token_pattern)
        if ngrams[0] != 1 or not 1 <= ngrams[1] <= 3 or pattern is None:
            return None
        index = _WordIndex.of(vocabulary)
        if any(n in index.oversized for n in range(2, ngrams[1] + 1)):
            return None
        rows, columns = _word_numbers(index, docs, pattern, ngrams[1])
    elif vectorizer.analyzer == "char_wb":
        characters = _CharIndex.of(vocabulary)
        if not 1 <= ngrams[0] <= 3 or characters is None or _WordIndex.of(vocabulary).spaced:
            return None
        rows, columns = _char_numbers(characters, docs, ngrams)
    else:
        return None
    n, n_terms = len(texts), len(vocabulary)
    # One key per (row, column): sorted, they are the CSR order; their multiplicity the count.
    keys, counts = np.unique(rows * n_terms + columns, return_counts=True)
    indptr = np.searchsorted(keys, np.arange(n + 1, dtype=np.int64) * n_terms)
    matrix = sparse.csr_matrix(
        (counts.astype(np.float64), (keys % n_terms).astype(np.int32), indptr.astype(np.int32)),
        shape=(n, n_terms),
    )
    matrix.sort_indices()  # (sorted already: this only checks, as scikit-learn's counts are sorted)
    return matrix


def _word_numbers(
    index: _WordIndex, docs: Iterable[str], pattern: re.Pattern[str], longest: int
) -> tuple[np.ndarray, np.ndarray]:
    """The row and column of every word n-gram of the vocabulary, up to ``longest`` words, in
    ``docs``: each word looked up once, as a number (`_WordIndex`), and the n-grams found from
    the numbers of neighbouring words in numpy (no string made per n-gram)."""
    lookup, findall, missing = index.numbers.get, pattern.findall, itertools.repeat(-1)
    numbers: list[int] = []
    ends = [0]
    for doc in docs:
        numbers.extend(map(lookup, findall(doc), missing))
        ends.append(len(numbers))
    words = np.array(numbers, dtype=np.int64)
    rows = np.repeat(np.arange(len(ends) - 1, dtype=np.int64), np.diff(ends))
    columns = index.columns[words]  # (the last entry, -1, for a word not in the index)
    found = columns >= 0
    found_rows, found_columns = [rows[found]], [columns[found]]
    known = words >= 0
    for n in range(2, longest + 1):
        keys, key_columns = index.grams.get(n, (None, None))
        count = len(words) - n + 1
        if keys is None or key_columns is None or count <= 0:
            continue
        # n neighbours in one text, all in the index: an n-gram of the vocabulary is one of these.
        whole = rows[:count] == rows[n - 1 :]
        number = np.zeros(count, dtype=np.int64)
        for k in range(n):
            whole &= known[k : k + count]
            number = number * len(index.numbers) + words[k : k + count]
        at = np.minimum(np.searchsorted(keys, number[whole]), len(keys) - 1)
        hit = keys[at] == number[whole]
        found_rows.append(rows[:count][whole][hit])
        found_columns.append(key_columns[at[hit]])
    return np.concatenate(found_rows), np.concatenate(found_columns)


#: The token patterns `term_counts` replays, as it finds their tokens: scikit-learn's default
#: (`_TOKEN`), and runs of anything but white space.
_WORD_PATTERNS = {_TOKEN_PATTERN: _TOKEN, r"\S+": re.compile(r"\S+")}


def _char_numbers(
    index: _CharIndex, docs: Iterable[str], ngrams: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray]:
    """The row and column of every character n-gram of the vocabulary in ``docs``, as
    scikit-learn's ``char_wb`` cuts them: each word (``str.split``) with a space either side,
    its n-grams of each size up to its length.

    The words with their spaces are joined into one string for the whole batch, each character
    turned into a digit (`_CharIndex`), and the n-grams of each size read at once as numbers of
    n digits, which are looked up in the vocabulary's, sorted. An n-gram across two words holds
    the two spaces between them, and no term of the vocabulary does (`_WordIndex.spaced`); one
    across two texts holds the digit 0 put between them, and no term does: both are looked up
    in vain. (A word shorter than the smallest size counts once, whole; none is shorter than
    three with its spaces.)
    """
    texts = [f" {'  '.join(words)} " if words else "" for words in map(str.split, docs)]
    starts = np.cumsum([0] + [len(t) + 1 for t in texts])  # (each text and the digit after it)
    codes = np.frombuffer("\0".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    at = np.minimum(np.searchsorted(index.alphabet, codes), len(index.alphabet) - 1)
    digits = np.where(index.alphabet[at] == codes, at + 1, 0).astype(np.int64)
    digits[starts[1:-1] - 1] = 0
    rows, columns = [], []
    for n in range(ngrams[0], ngrams[1] + 1):
        count = len(digits) - n + 1
        if count <= 0 or n not in index.sizes:
            continue
        keys, key_columns = index.sizes[n]
        numbers = digits[:count].copy()
        for k in range(1, n):
            numbers |= digits[k : k + count] << (8 * k)
        at = np.minimum(np.searchsorted(keys, numbers), len(keys) - 1)
        hit = np.flatnonzero(keys[at] == numbers)
        rows.append(np.searchsorted(starts, hit, side="right") - 1)
        columns.append(key_columns[at[hit]])
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(rows), np.concatenate(columns)


class _CharIndex:
    """A vocabulary of character n-grams as numbers: each character of its terms is a digit
    from 1 (``alphabet``, sorted, holds the characters; 0 is any other) and a term of n
    characters the number of its n digits, 8 bits each, first digit lowest; ``sizes[n]`` holds
    the numbers of the terms of n characters, sorted, and their columns. None of more than 255
    characters or of terms longer than 7 (`of`), which 64 bits cannot hold."""

    __slots__ = ("alphabet", "sizes")

    #: The indexes made, as `_WordIndex._made`.
    _made: dict[int, tuple[Mapping[str, int], int, _CharIndex | None]] = {}

    def __init__(self, vocabulary: Mapping[str, int]) -> None:
        self.alphabet = np.array(sorted({ord(c) for term in vocabulary for c in term}), dtype=np.uint32)
        digit = {chr(c): i + 1 for i, c in enumerate(self.alphabet.tolist())}
        by_size: dict[int, list[int]] = {}  # n: number, column, number, column... (as _WordIndex)
        for term, column in vocabulary.items():
            number = sum(digit[c] << (8 * k) for k, c in enumerate(term))
            by_size.setdefault(len(term), []).extend((number, column))
        self.sizes = {}
        for n, flat in sorted(by_size.items()):
            pairs = np.array(flat, dtype=np.int64).reshape(-1, 2)
            order = np.argsort(pairs[:, 0], kind="stable")
            self.sizes[n] = (pairs[:, 0][order], pairs[:, 1][order])

    @classmethod
    def of(cls, vocabulary: Mapping[str, int]) -> _CharIndex | None:
        made = cls._made.get(id(vocabulary))
        if made is None or made[0] is not vocabulary or made[1] != len(vocabulary):
            if len(cls._made) >= 8:
                cls._made.clear()
            fits = (
                bool(vocabulary)
                and all(0 < len(term) <= 7 for term in vocabulary)
                and len({c for t in vocabulary for c in t}) <= 255
            )
            made = cls._made[id(vocabulary)] = (
                vocabulary,
                len(vocabulary),
                cls(vocabulary) if fits else None,
            )
        return made[2]


class _WordIndex:
    """A vocabulary of word n-grams as numbers: every word of a term gets a number;
    ``columns[number]`` is the column of the word's unigram term (-1 if it has none; the last
    entry, -1, is for -1, a word outside); ``grams[n]`` holds, sorted, the number of each term
    of n words in base ``len(numbers)`` (first word highest), and their columns.

    A term of scikit-learn's n-grams is n tokens joined by one space, and a token holds no
    space: a term with a space that is not of that form (none in a fitted vocabulary) can never
    be counted, and has no entry.
    """

    __slots__ = ("columns", "grams", "numbers", "oversized", "spaced")

    #: The indexes made, by vocabulary, with the vocabulary and its size (a vocabulary that is
    #: not the same object, or not the same size, gets an index of its own); a handful at a
    #: time (scoring asks for five: the vocabulary family's and the sub-models' vectorizers).
    _made: dict[int, tuple[Mapping[str, int], int, _WordIndex]] = {}

    def __init__(self, vocabulary: Mapping[str, int]) -> None:
        # Kept in flat lists of numbers, not a tuple per term: tens of thousands of containers
        # kept alive set off the garbage collector, whose passes over the loaded model cost
        # more than the index.
        numbers: dict[str, int] = {}
        unigrams: list[int] = []  # number, column, number, column...
        longer: dict[int, list[int]] = {}  # n: the n numbers and the column of each term
        for term, column in vocabulary.items():
            words = term.split(" ")
            if len(words) == 1:
                unigrams += (numbers.setdefault(term, len(numbers)), column)
            elif all(words):
                flat = longer.setdefault(len(words), [])
                flat += [numbers.setdefault(w, len(numbers)) for w in words]
                flat.append(column)
        self.numbers = numbers
        #: Whether a term holds two spaces in a row, which `_char_numbers` needs none to.
        self.spaced = any("  " in term for term in vocabulary)
        self.columns = np.full(len(numbers) + 1, -1, dtype=np.int64)
        pairs = np.array(unigrams, dtype=np.int64).reshape(-1, 2)
        self.columns[pairs[:, 0]] = pairs[:, 1]
        self.grams: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        #: The n of terms whose numbers 64 bits cannot hold: `term_counts` leaves them to scikit-learn.
        self.oversized = {n for n in longer if len(numbers) ** n >= 1 << 63}
        for n, flat in longer.items():
            if n in self.oversized:
                continue
            terms = np.array(flat, dtype=np.int64).reshape(-1, n + 1)
            keys = np.zeros(len(terms), dtype=np.int64)
            for k in range(n):  # (first word highest, as `_word_numbers` reads them)
                keys = keys * len(numbers) + terms[:, k]
            order = np.argsort(keys, kind="stable")
            self.grams[n] = (keys[order], terms[:, n][order])

    @classmethod
    def of(cls, vocabulary: Mapping[str, int]) -> _WordIndex:
        made = cls._made.get(id(vocabulary))
        if made is None or made[0] is not vocabulary or made[1] != len(vocabulary):
            if len(cls._made) >= 8:
                cls._made.clear()
            made = cls._made[id(vocabulary)] = (vocabulary, len(vocabulary), cls(vocabulary))
        return made[2]


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
    if not out:
        return out
    for field in ("title", "body"):
        text = getattr(article, field)
        lowered = text.lower()
        # ``str.lower`` lowers a text character by character, but for a capital sigma (its
        # lower case depends on the letters around it): without one, and with no character
        # lowered into several, ``lowered[i:j]`` is ``text[i:j].lower()`` for every i and j.
        # A term's first word is then searched for in ``lowered`` (a C search for each of the
        # few terms asked) instead of tokenising the whole text (`_token_spans`).
        if len(out) <= 8 and len(lowered) == len(text) and "Σ" not in text:
            _searched_spans(text, lowered, field, out)
        else:
            _token_spans(text, field, out)
    return out


def _token_spans(text: str, field: str, out: dict[str, list[tuple[str, int, int]]]) -> None:
    """`term_spans` in one field of text, every token of it found and lower-cased."""
    matches = list(_TOKEN.finditer(text))
    if not matches:
        return
    words = list(map(str.lower, map(_MATCHED, matches)))
    where = _positions(words, {term.partition(" ")[0] for term in out})
    for term, spans in out.items():
        # A lower-cased token holds no space, so a term is the bigram "a b" of two
        # neighbours exactly when they are the halves either side of its first space.
        first, space, second = term.partition(" ")
        for i in where[first]:
            if not space:
                spans.append((field, matches[i].start(), matches[i].end()))
            elif i + 1 < len(words) and words[i + 1] == second:
                spans.append((field, matches[i].start(), matches[i + 1].end()))


def _searched_spans(text: str, lowered: str, field: str, out: dict[str, list[tuple[str, int, int]]]) -> None:
    """`term_spans` in one field of text whose lower case ``lowered`` is ``text.lower()`` a
    character at a time: each term's first word is found in ``lowered``, and kept where
    ``text`` has a token there (a run of word characters, none just before or after it); a
    bigram's second word is the next token, as `_TOKEN` finds it from there."""
    n = len(text)
    for term, spans in out.items():
        first, space, second = term.partition(" ")
        size = len(first)
        start = lowered.find(first) if size else -1
        while start >= 0:
            end = start + size
            if (
                (start == 0 or not _is_word(text[start - 1]))
                and (end == n or not _is_word(text[end]))
                and _TOKEN.fullmatch(text, start, end)
            ):
                if not space:
                    spans.append((field, start, end))
                else:
                    following = _TOKEN.search(text, end)
                    if following is not None and following.group().lower() == second:
                        spans.append((field, start, following.end()))
                start = lowered.find(first, end)
            else:
                start = lowered.find(first, start + 1)


def _is_word(char: str) -> bool:
    """Whether ``char`` is a word character (``\\w``: what `_TOKEN` is made of)."""
    return char.isalnum() or char == "_"


#: The text of a match (``match.group()``), for `map`.
_MATCHED = re.Match.group


def _positions(words: list[str], wanted: set[str]) -> dict[str, list[int]]:
    """The indices at which each of ``wanted`` occurs in ``words``, in order: for a few words
    (evidence asks for five terms) ``list.index`` finds them in C; for many, one pass."""
    if len(wanted) > 8:
        found: dict[str, list[int]] = {w: [] for w in wanted}
        for i, word in enumerate(words):
            if word in found:
                found[word].append(i)
        return found
    return {w: list(_indices(words, w)) for w in wanted}


def _indices(words: list[str], word: str) -> Iterator[int]:
    i = -1
    while True:
        try:
            i = words.index(word, i + 1)
        except ValueError:
            return
        yield i


def top_terms(
    contributions: Mapping[str, float], direction: float, limit: int = 3
) -> list[tuple[str, float]]:
    """The ``limit`` terms that push most in ``direction`` (the sign of the family's effect),
    strongest first, ties in the mapping's order.

    Examples
    --------
    >>> top_terms({"a": 0.1, "b": -0.5, "c": 0.3, "d": 0.3}, 1.0, limit=2)
    [('c', 0.3), ('d', 0.3)]
    """
    # An article has hundreds of terms: filtered and ordered in numpy (a stable sort, as
    # ``sorted`` is), not by a Python key function per term.
    values = np.fromiter(contributions.values(), dtype=np.float64, count=len(contributions))
    same_way = np.flatnonzero(values * direction > 0)
    strongest = same_way[np.argsort(-np.abs(values[same_way]), kind="stable")[:limit]]
    terms = list(contributions)
    return [(terms[i], contributions[terms[i]]) for i in strongest.tolist()]


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
