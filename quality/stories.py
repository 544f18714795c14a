"""Stories across a batch: which articles report the same event, which passages one article
shares with another, and how much of each article is its own.

Aggregators receive the same story from many outlets, some of them rewrites of others. No
article-at-a-time signal sees that; this batch view does, in three steps:

1. Each article is reduced to a `Fingerprint` (`fingerprint`, a pure function: it runs on any
   worker): its key terms (the 15 content words that weigh most by count and by rarity in
   English, wordfreq's list), a MinHash signature of the body's word 3-shingles, and for each
   sentence of the body the hashes of its content words and its character span. The text
   itself is not kept. The words are looked up once each in a table of what is known of them
   (hash, stem, rarity); the rest is numpy over the whole article (the MinHash: 64
   multiply-shift hash functions over all shingles at once).
2. A `StoryIndex` takes fingerprints one at a time, in input order. Two LSH indexes (MinHash
   bands of the key terms, leaving out the terms that make a topic of the batch rather than
   an event; of the shingles) name the earlier articles worth comparing, so the cost is not
   all pairs. Each candidate is checked finely: the share of key terms in common, and
   sentence by sentence the Jaccard similarity of content words (a reworded sentence keeps
   most of them; a sentence with the same words in the same order is an exact copy). Two
   articles are in one story when they share enough key terms (same event) or enough
   sentences (a rewrite). Each article is compared with the `WINDOW` (10,000) before it only.
3. `StoryIndex.results` groups the articles (connected components, named by their first
   article) and, per article, lists the passages it shares with others of its story, with
   character spans in both bodies, and its ``originality``: the share of its sentences' text
   not found in an article of its story published earlier, unless it credits that article
   ("according to Reuters" when the other's source is Reuters, or a link to its site).
   Without publication dates a passage says the two share text and no more
   (``relation="shared, order unknown"``), and ``originality`` is None, since who copied
   cannot be told; ``shared`` (the share found in any other article of the story) is always
   given.

Paraphrased repetition *inside* one article is the filler signal's (`quality.signals.filler`);
this module reuses its function words and plural folding, so a sentence counts as reworded by
the same measure in both places.

Memory and time: the index holds, per comparable article, its key terms, sentence hashes and
spans and its entries in the two LSH tables, never the text. ``window=N`` (default `WINDOW`)
keeps only the last N articles comparable (older ones leave the LSH tables), which makes
memory and the candidates an article is checked against flat however long the stream:
articles more than N apart are then never grouped. What stays per article in any case is its
id, date, source and the pairs found. `benchmarks/stories.py` measures both.
"""

from __future__ import annotations

import functools
import math
import re
import sys
import types
import zlib
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from quality.article import Article, as_article
from quality.doc import sentences as split_sentences
from quality.signals.filler import FUNCTION_WORDS, stem

__all__ = [
    "COPY_SHARE",
    "STORY_COLUMNS",
    "ArticleStory",
    "Fingerprint",
    "SharedPassage",
    "StoryIndex",
    "StoryPass",
    "WINDOW",
    "fingerprint",
    "stories",
]

#: Key terms per article: what its story is compared on.
KEY_TERMS = 15
#: Two articles are one event when they share this share of their key terms (Jaccard) and at
#: least `_MIN_COMMON_TERMS` of them. On the seeds, pairs of the five reports share 0.18-0.43;
#: a seed and any of 2,000 corpus articles at most 0.07.
TERM_SIMILARITY = 0.2
_MIN_COMMON_TERMS = 4
#: A key term that more than this share of the articles so far have (and more than
#: `_TOPIC_FLOOR` of them) names a topic of the batch, not an event, and is not counted in
#: common: in the Syrian-war corpus "syria" and "aleppo" would otherwise chain 735 of its 804
#: reports into one story.
_TOPIC_SHARE = 0.01
_TOPIC_FLOOR = 20
#: Two sentences say the same when this share of their content words is common (Jaccard), at
#: least `_MIN_COMMON_WORDS` of them: a sentence of 12 content words with 4 replaced by synonyms
#: still matches (8 / 16).
SENTENCE_SIMILARITY = 0.5
_MIN_COMMON_WORDS = 4
#: A sentence with fewer content words than this says too little to be called copied.
_MIN_SENTENCE_WORDS = 5
#: Two articles are one story, whatever their key terms, when the sentences they share make up
#: this share of the shorter one: a rewrite. Also what `benchmarks/stories.py` counts as a pair
#: that shares text.
COPY_SHARE = 0.3
#: Each article is compared with this many articles before it in the input, no more: the
#: index's memory and the candidates an article is checked against stop growing there (the
#: articles that share a key term with a new one grow with the batch, and so, without a
#: window, do its candidates: 4 an article at 10,000 synthetic articles, 20 at 30,000). Reports
#: of one event come within days of each other; 10,000 articles is a day of a large
#: aggregator's feed. ``window=None`` compares every article with every earlier one.
WINDOW = 10_000

_NUM_PERM = 64
# (bands, rows): LSH finds a pair with probability 1 - (1 - J**rows)**bands. Key terms: 32 x 2,
# 0.73 at J = 0.2 and 0.95 at 0.3; shingles: 16 x 4, 0.64 at J = 0.5, 0.99 at 0.7 (a copy
# with little changed), 0.12 at 0.3 and 0.0001 at 0.05. A rule rewrite (synonyms swapped,
# sentences moved) keeps under half its shingles: it is found through its key terms.
_TERM_BANDS = (32, 2)
_SHINGLE_BANDS = (16, 4)
_SEED = 7

_WORD = re.compile(r"[^\W_]+(?:[.,’'][^\W_]+)*", re.UNICODE)
_LINK = re.compile(r"(?:https?://|www\.)[^\s<>\"'()\[\]]+", re.I)
# What an article credits: the outlet or person after "according to", "reported by"... (the
# first few words), and the sites it links to. The phrases are found with str.find in the
# lower-cased text and the pattern is tried there only: a case-insensitive alternation tried at
# every position of the text cost half a millisecond an article.
_CREDIT_CUES = (
    "according to", "reported by", "cited by", "courtesy of", "via ", "source", "published",
    "republished from", "read more at", "h/t",
)  # fmt: skip
_CREDIT = re.compile(
    r"(?:according\s+to|(?:first\s+|as\s+)?reported\s+by|cited\s+by|courtesy\s+of|via|"
    r"sources?\s*:|source\s+article\s*:|originally\s+published\s+(?:by|in|on)|republished\s+from|"
    r"read\s+more\s+at|h/t)\s+((?:[\w.&'’-]+\s*){1,6})",
    re.I,
)
_CREDIT_ANYWHERE = re.compile(rf"(?<![\w]){_CREDIT.pattern}", re.I)
_HASH_MASK = np.uint64(0xFFFFFFFF)
_MIX = (np.uint64(0x9E3779B1), np.uint64(0x85EBCA77), np.uint64(0xC2B2AE3D))
_BAND_MIX = np.uint64(0x100000001B3)


class _Vocabulary(dict[str, int]):
    """Word (lower case) -> its row in `_WORDS`' arrays, learned on first sight: one dict
    lookup a word (`map` over ``__getitem__`` runs without a Python call per known word), the
    rest is numpy indexing over the article's rows at once."""

    def __missing__(self, word: str) -> int:
        return _WORDS.learn(word)


class _Words:
    """What the fingerprint needs of a word, by row: its hash (CRC-32 of its UTF-8); the hash
    of its stem when it is a content word, 0 for a function word; its weight as a key term
    (rarer in English weighs more: "alabuga", in no list, 7; "drone" 3.5; "said" 0.1), 0 when
    it cannot be one (a function word, or shorter than three letters). Emptied at a million
    words, between articles (`fingerprint` checks before it reads one)."""

    def __init__(self) -> None:
        self.rows = _Vocabulary()
        self.hash = np.zeros(4096, dtype=np.uint64)
        self.stem = np.zeros(4096, dtype=np.uint64)
        self.rarity = np.zeros(4096, dtype=np.float64)

    def learn(self, word: str) -> int:
        row = len(self.rows)
        if row == len(self.hash):
            self.hash = np.resize(self.hash, 2 * row)
            self.stem = np.resize(self.stem, 2 * row)
            self.rarity = np.resize(self.rarity, 2 * row)
        self.hash[row] = zlib.crc32(word.encode("utf-8", "surrogatepass"))
        if word in FUNCTION_WORDS:
            self.stem[row], self.rarity[row] = 0, 0.0
        else:
            self.stem[row] = zlib.crc32(stem(word).encode("utf-8", "surrogatepass")) or 1
            self.rarity[row] = max(0.1, 7.0 - _zipf().get(word, 0.0)) if len(word) > 2 else 0.0
        self.rows[word] = row
        return row

    def rows_of(self, words: list[str]) -> np.ndarray:
        return np.fromiter(map(self.rows.__getitem__, words), dtype=np.intp, count=len(words))

    def forget_if_full(self) -> None:
        if len(self.rows) >= 1_000_000:
            self.rows.clear()


_WORDS = _Words()


@functools.cache
def _zipf() -> dict[str, float]:
    """English word frequencies on the Zipf scale (log10 per billion words), from wordfreq."""
    from wordfreq import get_frequency_dict

    return {w: 9.0 + math.log10(f) for w, f in get_frequency_dict("en").items() if f > 0}


def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """`_NUM_PERM` hash functions h(x) = (a x + b) mod 2**64 >> 32 over 32-bit values (a odd):
    multiply-shift hashing, universal for 32-bit keys, with no modulo to pay."""
    rng = np.random.default_rng(_SEED)
    a = rng.integers(1, 2**63, size=_NUM_PERM, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63, size=_NUM_PERM, dtype=np.uint64)
    return a[:, None], b[:, None]


_A, _B = _permutations()


def _signature(values: np.ndarray) -> np.ndarray:
    """MinHash of a set of 32-bit hashes (repeats change nothing): for each of the `_NUM_PERM`
    hash functions, the least hash over the set (uint32; all ones for an empty set)."""
    if not len(values):
        return np.full(_NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    return ((values.astype(np.uint64)[None, :] * _A + _B) >> np.uint64(32)).min(axis=1).astype(np.uint32)


def _band_keys(signature: np.ndarray, bands: tuple[int, int], salt: int) -> np.ndarray:
    """One 64-bit key per LSH band: its rows of the signature hashed together (FNV-1a on whole
    values), salted by the band's number, so that one dict holds every band."""
    n, rows = bands
    values = signature[: n * rows].astype(np.uint64).reshape(n, rows)
    keys = np.arange(n, dtype=np.uint64) + np.uint64(salt << 8)
    for r in range(rows):
        keys = (keys ^ values[:, r]) * _BAND_MIX
    return keys


# ---------------------------------------------------------------------------------------------
# Fingerprints


@dataclass(frozen=True, slots=True, eq=False)
class Fingerprint:
    """What the index keeps of one article: no text, only hashes, spans and names."""

    id: str
    #: Publication time (POSIX seconds, UTC), None when the article has no readable date.
    published: float | None
    #: What the article goes by (its source's name, its site, its URL), lower case: an article
    #: that names one of these credits it.
    names: tuple[str, ...]
    #: What the article credits: the names after "according to", "reported by"..., and the
    #: sites and URLs it links to, lower case.
    credits: tuple[str, ...]
    terms: np.ndarray  # the key terms' hashes, sorted (uint32)
    shingle_signature: np.ndarray  # MinHash of the body's word 3-shingles (uint32)
    stems: np.ndarray  # the content words of every kept sentence, hashed, per sentence sorted (uint32)
    bounds: np.ndarray  # sentence k's stems are stems[bounds[k]:bounds[k + 1]] (int32)
    spans: np.ndarray  # sentence k is body[spans[k, 0]:spans[k, 1]] (int32, n x 2)
    exact: np.ndarray  # a hash of each sentence's words in order (uint32): equal means copied as is
    #: Characters of the body's sentences: the whole that ``originality`` is a share of.
    chars: int


def _timestamp(value: str | None) -> float | None:
    """A date as POSIX seconds: ISO 8601 (``2025-06-17``, ``2025-06-17T08:00:00Z``) or RFC 2822
    (``Tue, 17 Jun 2025 08:00:00 GMT``); a date without a zone is taken as UTC; None otherwise."""
    if not value or not value.strip():
        return None
    text = value.strip()
    when: datetime | None = None
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.timestamp()


def _site(url: str) -> str | None:
    try:
        host = urlsplit(url if "://" in url else f"http://{url}").hostname
    except ValueError:
        return None
    if not host:
        return None
    return host.lower().removeprefix("www.")


def _names(article: Article) -> tuple[str, ...]:
    names = []
    if article.source and len(article.source.strip()) >= 3:
        names.append(article.source.strip().lower())
    if article.url:
        site = _site(article.url)
        if site:
            names.append(site)
        names.append(article.url.strip().lower().split("://", 1)[-1].removeprefix("www.").rstrip("/"))
    return tuple(dict.fromkeys(names))


def _credits(text: str) -> tuple[str, ...]:
    lower = text.lower()
    if len(lower) != len(text):  # a letter whose lower case is longer: offsets would shift
        found = [m.group(1).strip().lower() for m in _CREDIT_ANYWHERE.finditer(text)]
    else:
        starts = set()
        for cue in _CREDIT_CUES:
            at = lower.find(cue)
            while at >= 0:
                if at == 0 or not lower[at - 1].isalnum():
                    starts.add(at)
                at = lower.find(cue, at + 1)
        found = [m.group(1).strip().lower() for at in sorted(starts) if (m := _CREDIT.match(text, at))]
    if "://" in text or "www." in lower:
        for m in _LINK.finditer(text):
            link = m.group().rstrip(".,;:!?").lower()
            site = _site(link)
            if site:
                found.append(site)
            found.append(link.split("://", 1)[-1].removeprefix("www.").rstrip("/"))
    return tuple(dict.fromkeys(found))


def _key_terms(title: str, rows: np.ndarray) -> np.ndarray:
    """The `KEY_TERMS` content words (their stems' hashes, sorted) that weigh most: (1 + log
    count) x rarity in English, two forms of one stem ("drone", "drones") adding up; ties go to
    the smaller hash. The headline's words count three times: it names the event."""
    title_rows = _WORDS.rows_of(_WORD.findall(title.lower()))
    unique, counts = np.unique(np.concatenate((rows, title_rows, title_rows)), return_counts=True)
    weights = (1.0 + np.log(counts)) * _WORDS.rarity[unique]
    weighed = weights > 0
    stems, which = np.unique(_WORDS.stem[unique[weighed]], return_inverse=True)
    totals = np.bincount(which, weights=weights[weighed], minlength=len(stems))
    return np.sort(stems[np.lexsort((stems, -totals))[:KEY_TERMS]]).astype(np.uint32)


def fingerprint(article: Article | dict[str, Any] | str) -> Fingerprint:
    """What `StoryIndex` needs of one article; a pure function, deterministic in every process.

    Examples
    --------
    >>> fp = fingerprint(Article("Storm hits coast", "Winds of 120 km/h hit the northern coast on Monday night."))
    >>> fp.spans.tolist(), len(fp.terms)
    ([[0, 57]], 9)
    """
    article = as_article(article)
    body = article.body
    _WORDS.forget_if_full()
    found = [(sentence, _WORD.findall(sentence.text.lower())) for sentence in split_sentences(body)]
    words = [w for _, ws in found for w in ws]
    rows = _WORDS.rows_of(words)
    # Each sentence's content words (stem hashes), once each and sorted: (sentence, stem)
    # pairs made unique in one sort.
    sentence_of = np.repeat(np.arange(len(found), dtype=np.uint64), [len(ws) for _, ws in found])
    stem_of = _WORDS.stem[rows]
    pairs = np.unique(((sentence_of << np.uint64(32)) | stem_of)[stem_of != 0])
    owner = (pairs >> np.uint64(32)).astype(np.intp)
    per_sentence = np.bincount(owner, minlength=len(found))
    kept = per_sentence >= _MIN_SENTENCE_WORDS
    stems = (pairs[kept[owner]] & _HASH_MASK).astype(np.uint32)
    bounds = np.zeros(int(kept.sum()) + 1, dtype=np.int32)
    np.cumsum(per_sentence[kept], out=bounds[1:])
    spans = [
        (sentence.start, sentence.end) for (sentence, _), k in zip(found, kept.tolist(), strict=True) if k
    ]
    exact = [
        zlib.crc32(" ".join(ws).encode("utf-8", "surrogatepass"))
        for (_, ws), k in zip(found, kept.tolist(), strict=True)
        if k
    ]
    hashed = _WORDS.hash[rows]
    if len(hashed) >= 3:
        shingles = (hashed[:-2] * _MIX[0] + hashed[1:-1] * _MIX[1] + hashed[2:] * _MIX[2]) & _HASH_MASK
    else:
        shingles = hashed
    return Fingerprint(
        id=article.id,
        published=_timestamp(article.published),
        names=_names(article),
        credits=_credits(body),
        terms=_key_terms(article.title, rows),
        shingle_signature=_signature(shingles),
        stems=stems,
        bounds=bounds,
        spans=np.asarray(spans, dtype=np.int32).reshape(-1, 2),
        exact=np.asarray(exact, dtype=np.uint32),
        chars=sum(sentence.end - sentence.start for sentence, _ in found),
    )


# ---------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True, slots=True)
class SharedPassage:
    """A passage of one article found, in the same or other words, in another of its story.

    ``start``/``end`` are offsets into this article's body (``text`` is ``body[start:end]``,
    empty where the index was given no text); ``other_start``/``other_end`` into the other's.
    ``relation`` says who has it from whom: ``"copied from"`` (the other was published
    earlier, and is not credited), ``"credited"`` (the other was published earlier and this
    article names it), ``"copied by"`` (the other was published later), ``"shared, order
    unknown"`` (a date is missing, or both are the same).
    """

    other: str
    start: int
    end: int
    other_start: int
    other_end: int
    kind: str  # "exact" or "paraphrase"
    similarity: float  # the least Jaccard similarity of content words among its sentences
    relation: str
    text: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "other": self.other,
            "start": self.start,
            "end": self.end,
            "other_start": self.other_start,
            "other_end": self.other_end,
            "kind": self.kind,
            "similarity": self.similarity,
            "relation": self.relation,
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class ArticleStory:
    """One article's place in its batch: its story, how original it is, what it shares."""

    id: str
    #: The story's id: the id of its first article in input order.
    story: str
    story_size: int
    #: Share of the article's sentence text not found in an earlier-published article of its
    #: story that it does not credit; None when it shares text with an article whose date, or
    #: its own, is unknown (or the same), since who copied cannot be told.
    originality: float | None
    #: Share of its sentence text found in any other article of its story.
    shared: float
    passages: tuple[SharedPassage, ...] = field(default=())

    def to_row(self) -> dict[str, Any]:
        """The ``quality score --stories`` columns."""
        return {
            "story": self.story,
            "story_size": self.story_size,
            "originality": None if self.originality is None else round(self.originality, 4),
            "shared": round(self.shared, 4),
            "passages": [p.to_dict() for p in self.passages],
        }


#: The columns `ArticleStory.to_row` gives, in order.
STORY_COLUMNS = ("story", "story_size", "originality", "shared", "passages")


# ---------------------------------------------------------------------------------------------
# The index


@dataclass(slots=True)
class _Kept:
    """A fingerprint as the index keeps it for comparing later articles with (its key terms
    are rows of `StoryIndex._terms`), and its LSH keys, to take it out of the buckets again."""

    stems: np.ndarray
    bounds: np.ndarray
    spans: np.ndarray
    exact: np.ndarray
    chars: int
    term_keys: np.ndarray | None
    shingle_keys: np.ndarray | None


def _put(buckets: dict[int, Any], keys: np.ndarray, p: int) -> None:
    """Article ``p`` into the buckets of ``keys``: a bucket of one article holds the bare int
    (most buckets: a list would cost 60 bytes more)."""
    get = buckets.get
    for key in keys.tolist():
        held = get(key)
        if held is None:
            buckets[key] = p
        elif type(held) is int:
            buckets[key] = [held, p]
        else:
            held.append(p)


def _take(buckets: dict[int, Any], keys: np.ndarray, p: int) -> None:
    for key in keys.tolist():
        held = buckets[key]
        if type(held) is int:
            del buckets[key]
        else:
            held.remove(p)
            if len(held) == 1:
                buckets[key] = held[0]


def _look_up(buckets: dict[int, Any], keys: np.ndarray) -> set[int]:
    found: set[int] = set()
    get = buckets.get
    for key in keys.tolist():
        held = get(key)
        if held is None:
            continue
        if type(held) is int:
            found.add(held)
        else:
            found.update(held)
    return found


# A sentence match: this article's sentence i, the other's j, their spans, similarity, exact.
_Match = tuple[int, int, int, int, int, int, float, bool]


def _owners(bounds: np.ndarray) -> np.ndarray:
    """For each content word of a fingerprint, the sentence it is in."""
    return np.repeat(np.arange(len(bounds) - 1), np.diff(bounds))


def _matches(new: Fingerprint, old: _Kept) -> list[_Match]:
    """The sentences of ``new`` that say what a sentence of ``old`` says: for each, the most
    similar one (the first of equals), kept when their content words' Jaccard similarity is
    `SENTENCE_SIMILARITY` or more, with at least `_MIN_COMMON_WORDS` words in common. The
    words in common, for every pair of sentences at once, are a product of the two
    articles' sentence x word incidence matrices over the words they share."""
    if len(new.bounds) < 2 or len(old.bounds) < 2:
        return []
    common = np.intersect1d(new.stems, old.stems)
    if len(common) < _MIN_COMMON_WORDS:
        return []
    incidence = []
    for fp in (new, old):
        at = np.searchsorted(common, fp.stems)
        held = (at < len(common)) & (common[np.minimum(at, len(common) - 1)] == fp.stems)
        matrix = np.zeros((len(fp.bounds) - 1, len(common)))
        matrix[_owners(fp.bounds)[held], at[held]] = 1.0
        incidence.append(matrix)
    shared = incidence[0] @ incidence[1].T
    sizes_new, sizes_old = np.diff(new.bounds), np.diff(old.bounds)
    similarity = shared / (sizes_new[:, None] + sizes_old[None, :] - shared)
    similarity[shared < _MIN_COMMON_WORDS] = 0.0
    best = similarity.argmax(axis=1)
    top = similarity[np.arange(len(best)), best]
    out: list[_Match] = []
    for i in np.flatnonzero(top >= SENTENCE_SIMILARITY).tolist():
        j = int(best[i])
        s, e = new.spans[i].tolist()
        os_, oe = old.spans[j].tolist()
        out.append((i, j, s, e, os_, oe, round(float(top[i]), 4), bool(new.exact[i] == old.exact[j])))
    return out


def _covered(spans: Iterable[tuple[int, int]]) -> int:
    """Characters covered by ``spans`` (sentence spans: equal or apart, never overlapping)."""
    return sum(e - s for s, e in set(spans))


class StoryIndex:
    """Group a stream of articles into stories, holding signatures and hashes, not texts.

    Add fingerprints (`add`) in input order, then read the results (`results`). Each article is
    compared with the earlier ones the LSH indexes name, so every pair of the batch is
    considered once, when its later member arrives; the groups and passages do not depend on
    how the fingerprints were computed (here, or on Dask workers).

    Parameters
    ----------
    window : int or None, default `WINDOW` (10,000)
        Keep only the last ``window`` articles comparable: memory and the work per article stay
        flat however long the stream, and articles further apart are never grouped; the key
        terms that make a topic (`_TOPIC_SHARE`) are counted among them. None keeps all.

    Examples
    --------
    >>> index = StoryIndex()
    >>> a = Article("Dam bursts in Derna", "The Wadi Derna dam burst on Sunday night, flooding the eastern city of Derna. "
    ...             "Rescue teams from Benghazi reached Derna on Monday, the Libyan Red Crescent said.", id="a")
    >>> b = Article("Derna flooded", "Rescue teams from Benghazi reached Derna on Monday, the Libyan Red Crescent said. "
    ...             "The Wadi Derna dam had burst on Sunday night, flooding the eastern city.", id="b")
    >>> for article in (a, b):
    ...     _ = index.add(fingerprint(article))
    >>> [(s.id, s.story, s.story_size, len(s.passages)) for s in index.results()]
    [('a', 'a', 2, 2), ('b', 'a', 2, 2)]
    """

    def __init__(self, window: int | None = WINDOW) -> None:
        if window is not None and (isinstance(window, bool) or not isinstance(window, int) or window < 1):
            raise ValueError(
                f"StoryIndex: window must be a whole number of at least 1, or None; got {window!r}"
            )
        self.window = window
        # LSH bucket key -> the article (an int) or articles (a list) in it: one dict for the
        # key terms' bands, one for the shingles'.
        self._term_buckets: dict[int, Any] = {}
        self._shingle_buckets: dict[int, Any] = {}
        # Key terms of the comparable articles, one row each (0 pads: no stem hashes to 0); a
        # ring of `window` rows, or one row per article without a window.
        self._terms = np.zeros((min(window or 1024, 1024), KEY_TERMS), dtype=np.uint32)
        self._term_counts = np.zeros(len(self._terms), dtype=np.int32)
        self._kept: dict[int, _Kept] = {}
        self._order: deque[int] = deque()
        self._parent: list[int] = []
        self._ids: list[str] = []
        self._published: list[float | None] = []
        self._names: list[tuple[str, ...]] = []
        self._credits: list[tuple[str, ...]] = []
        self._chars: list[int] = []
        #: Key term -> comparable articles that have it (the batch's topics, `_TOPIC_SHARE`).
        self._df: Counter[int] = Counter()
        #: (earlier, later) -> sentence matches, from the later article's side.
        self._pairs: dict[tuple[int, int], list[_Match]] = {}
        #: Candidate pairs checked (for benchmarks: the work the LSH indexes leave).
        self.checked = 0

    def __len__(self) -> int:
        return len(self._ids)

    def _find(self, p: int) -> int:
        parent = self._parent
        while parent[p] != p:
            parent[p] = parent[parent[p]]
            p = parent[p]
        return p

    def _union(self, a: int, b: int) -> None:
        ra, rb = self._find(a), self._find(b)
        if ra != rb:
            self._parent[max(ra, rb)] = min(ra, rb)

    def add(self, fp: Fingerprint) -> int:
        """Compare ``fp`` with the earlier articles and index it; returns its position."""
        if not isinstance(fp, Fingerprint):
            raise TypeError(
                f"StoryIndex.add: expected a Fingerprint (quality.stories.fingerprint(article)), got {type(fp).__name__}"
            )
        p = len(self._ids)
        self._ids.append(fp.id)
        self._parent.append(p)
        self._published.append(fp.published)
        self._names.append(fp.names)
        self._credits.append(fp.credits)
        self._chars.append(fp.chars)
        terms = fp.terms
        df = self._df
        df.update(terms.tolist())
        # Terms that a large part of the batch so far has among its key terms ("syria" in a
        # batch of war reports) say the topic, not the event: they do not count as common, and
        # they are left out of the signature, so that they do not make candidates either.
        saturated = max(_TOPIC_FLOOR, _TOPIC_SHARE * len(self._order) + 1)
        events = terms[[df[t] <= saturated for t in terms.tolist()]] if len(terms) else terms
        term_keys = (
            _band_keys(_signature(events), _TERM_BANDS, 1) if len(events) >= _MIN_COMMON_TERMS else None
        )
        shingle_keys = _band_keys(fp.shingle_signature, _SHINGLE_BANDS, 2) if len(fp.exact) else None
        by_terms = _look_up(self._term_buckets, term_keys) if term_keys is not None else set()
        by_shingles = _look_up(self._shingle_buckets, shingle_keys) if shingle_keys is not None else set()
        candidates = sorted(by_terms | by_shingles)
        self.checked += len(candidates)
        if candidates:
            at = np.asarray(candidates, dtype=np.intp)
            if self.window is not None:
                at %= self.window
            rows = self._terms[at][:, :, None]
            common = (rows == events).any(axis=2).sum(axis=1)
            union = len(terms) + self._term_counts[at] - (rows == terms).any(axis=2).sum(axis=1)
            same_events = (common >= _MIN_COMMON_TERMS) & (common / np.maximum(union, 1) >= TERM_SIMILARITY)
            for q, same_event in zip(candidates, same_events.tolist(), strict=True):
                # Sentences are compared only for the same event, or for text alike enough to
                # be a rewrite; most candidates are neither.
                if not same_event and q not in by_shingles:
                    continue
                old = self._kept[q]
                found = _matches(fp, old)
                copied = False
                if found:
                    self._pairs[(q, p)] = found
                    smaller = min(fp.chars, old.chars)
                    mine = _covered((m[2], m[3]) for m in found)
                    theirs = _covered((m[4], m[5]) for m in found)
                    copied = smaller > 0 and max(mine, theirs) >= COPY_SHARE * smaller
                if same_event or copied:
                    self._union(q, p)
        if self.window is not None and len(self._order) >= self.window:
            self._forget(self._order.popleft())
        row = p % self.window if self.window is not None else p
        if row == len(self._terms):
            grown = min(2 * row, self.window or 2 * row)
            self._terms = np.resize(self._terms, (grown, KEY_TERMS))
            self._term_counts = np.resize(self._term_counts, grown)
        self._terms[row] = 0
        self._terms[row, : len(terms)] = terms
        self._term_counts[row] = len(terms)
        self._kept[p] = _Kept(fp.stems, fp.bounds, fp.spans, fp.exact, fp.chars, term_keys, shingle_keys)
        self._order.append(p)
        if term_keys is not None:
            _put(self._term_buckets, term_keys, p)
        if shingle_keys is not None:
            _put(self._shingle_buckets, shingle_keys, p)
        return p

    def _forget(self, q: int) -> None:
        kept = self._kept.pop(q)
        row = q % self.window if self.window is not None else q
        df = self._df
        for t in self._terms[row, : self._term_counts[row]].tolist():
            if df[t] > 1:
                df[t] -= 1
            else:
                del df[t]
        if kept.term_keys is not None:
            _take(self._term_buckets, kept.term_keys, q)
        if kept.shingle_keys is not None:
            _take(self._shingle_buckets, kept.shingle_keys, q)

    def _credits_other(self, p: int, q: int) -> bool:
        """Whether article ``p`` names article ``q``: its source, its site or its URL."""
        credits = self._credits[p]
        for name in self._names[q]:
            pattern = re.compile(rf"(?<![\w.]){re.escape(name)}(?![\w])")
            if any(pattern.search(c) for c in credits):
                return True
        return False

    def _relation(self, p: int, q: int) -> str:
        mine, theirs = self._published[p], self._published[q]
        if mine is None or theirs is None or mine == theirs:
            return "shared, order unknown"
        if theirs < mine:
            return "credited" if self._credits_other(p, q) else "copied from"
        return "copied by"

    def copies(self) -> Iterator[tuple[str, str, float]]:
        """The pairs of articles that share at least `COPY_SHARE` of the shorter one's text
        (a rewrite, credited or not, or an article and its copy): the earlier's id, the
        later's (in input order), and that share."""
        for (q, p), found in self._pairs.items():
            smaller = min(self._chars[q], self._chars[p])
            if not smaller:
                continue
            share = (
                max(_covered((m[2], m[3]) for m in found), _covered((m[4], m[5]) for m in found)) / smaller
            )
            if share >= COPY_SHARE:
                yield self._ids[q], self._ids[p], min(share, 1.0)

    def results(self, articles: Sequence[Article] | None = None) -> list[ArticleStory]:
        """Every article's story, in input order. With ``articles`` (the same, in the same
        order), each passage's ``text`` is filled from its body."""
        if articles is not None and len(articles) != len(self._ids):
            raise ValueError(
                f"StoryIndex.results: {len(articles)} articles given for {len(self._ids)} indexed; "
                "pass the articles that were added, in order, or None"
            )
        n = len(self._ids)
        roots = [self._find(p) for p in range(n)]
        sizes = Counter(roots)
        # matches per article: (other, own sentence, other's sentence, spans..., similarity, exact)
        per: list[list[tuple[int, _Match]]] = [[] for _ in range(n)]
        for (q, p), found in self._pairs.items():
            if roots[q] != roots[p]:
                continue  # a shared sentence between two stories (boilerplate): not a story's passage
            for i, j, s, e, os_, oe, sim, exact in found:
                per[p].append((q, (i, j, s, e, os_, oe, sim, exact)))
                per[q].append((p, (j, i, os_, oe, s, e, sim, exact)))
        out = []
        for p in range(n):
            passages = []
            copied_spans: list[tuple[int, int]] = []
            shared_spans: list[tuple[int, int]] = []
            unknown = False
            by_other: dict[int, list[_Match]] = {}
            for q, match in per[p]:
                by_other.setdefault(q, []).append(match)
            for q in sorted(by_other):
                relation = self._relation(p, q)
                body = articles[p].body if articles is not None else None
                for run in _runs(sorted(by_other[q])):
                    start, end = run[0][2], run[-1][3]
                    other_start = min(m[4] for m in run)
                    other_end = max(m[5] for m in run)
                    passages.append(
                        SharedPassage(
                            other=self._ids[q],
                            start=start,
                            end=end,
                            other_start=other_start,
                            other_end=other_end,
                            kind="exact" if all(m[7] for m in run) else "paraphrase",
                            similarity=min(m[6] for m in run),
                            relation=relation,
                            text=body[start:end] if body is not None else "",
                        )
                    )
                spans = [(m[2], m[3]) for m in by_other[q]]
                shared_spans += spans
                if relation == "copied from":
                    copied_spans += spans
                elif relation == "shared, order unknown":
                    unknown = True
            chars = self._chars[p]
            shared = _covered(shared_spans) / chars if chars else 0.0
            originality = None if unknown else (1.0 - _covered(copied_spans) / chars if chars else 1.0)
            passages.sort(key=lambda x: (x.start, x.other))
            out.append(
                ArticleStory(
                    id=self._ids[p],
                    story=self._ids[roots[p]],
                    story_size=sizes[roots[p]],
                    originality=originality,
                    shared=shared,
                    passages=tuple(passages),
                )
            )
        return out


def _runs(matches: list[_Match]) -> Iterator[list[_Match]]:
    """Matches of consecutive sentences that follow each other in the other article too, as one
    passage each (a paragraph copied whole is one passage, not five)."""
    run: list[_Match] = []
    for m in matches:
        if run and m[0] == run[-1][0] + 1 and m[1] == run[-1][1] + 1:
            run.append(m)
            continue
        if run:
            yield run
        run = [m]
    if run:
        yield run


# ---------------------------------------------------------------------------------------------
# The batch function


def _fingerprint_chunk(chunk: list[Article]) -> list[Fingerprint]:
    return [fingerprint(a) for a in chunk]


def _fingerprints(articles: Sequence[Article], client: Any, chunk_size: int) -> Iterator[Fingerprint]:
    """Fingerprints in input order: here, or on a Dask cluster (a few chunks in flight)."""
    if client is None:
        yield from map(fingerprint, articles)
        return
    in_flight = max(2 * sum(client.nthreads().values()), 2)
    pending: deque[Any] = deque()
    for start in range(0, len(articles), chunk_size):
        pending.append(
            client.submit(_fingerprint_chunk, list(articles[start : start + chunk_size]), pure=False)
        )
        if len(pending) >= in_flight:
            yield from pending.popleft().result()
    while pending:
        yield from pending.popleft().result()


def stories(
    articles: Iterable[Article | dict[str, Any] | str],
    *,
    window: int | None = WINDOW,
    client: Any = None,
    chunk_size: int = 500,
) -> list[ArticleStory]:
    """Group a batch of articles into stories and find the passages they share.

    Parameters
    ----------
    articles : iterable of Article, dict or str
        The batch, read as `quality.score` reads an article (a dict's ``published`` or ``date``
        field is its publication date; ``source`` and ``url`` name it for credits).
    window : int or None, default `WINDOW` (10,000)
        Compare each article only with the ``window`` before it (see `StoryIndex`); None
        compares every pair.
    client : distributed.Client or None
        Fingerprint the articles on this Dask cluster, in chunks of ``chunk_size``; the
        grouping itself runs here and gives the same stories.

    Returns
    -------
    list of ArticleStory
        One per article, in input order: ``story`` (its first article's id), ``story_size``,
        ``originality``, ``shared`` and the ``passages`` with their text.

    Examples
    --------
    >>> batch = [
    ...     {"id": "wire", "published": "2025-06-17T08:00", "source": "Wire", "title": "Dam bursts in Derna",
    ...      "body": "The Wadi Derna dam burst on Sunday night, flooding the eastern city of Derna. "
    ...              "Rescue teams from Benghazi reached Derna on Monday, the Libyan Red Crescent said."},
    ...     {"id": "copy", "published": "2025-06-17T10:00", "title": "Derna flooded",
    ...      "body": "Rescue crews from Benghazi got to Derna on Monday, the Libyan Red Crescent said."},
    ... ]
    >>> wire, copy = stories(batch)
    >>> copy.story, copy.originality, copy.passages[0].relation, copy.passages[0].other
    ('wire', 0.0, 'copied from', 'wire')
    >>> wire.originality, wire.passages[0].relation
    (1.0, 'copied by')
    """
    items = [as_article(a, i) for i, a in enumerate(articles)]
    index = StoryIndex(window=window)
    for fp in _fingerprints(items, client, chunk_size):
        index.add(fp)
    return index.results(items)


class StoryPass:
    """`quality score --stories`: the stories of a stream of records, joined to its rows.

    `read` passes the records through, fingerprinting each article as it goes by (in this
    process, whichever engine scores them, so every engine gives the same stories); `hold`
    puts each output row (a `Report` or `RecordError`, in input order) with the article's body
    in a temporary file, so that neither rows nor texts stay in memory; once the stream is
    read, `rows` gives them back, in order, with their story columns (`STORY_COLUMNS`), the
    passages' text taken from the body. The file is this process's own, written and read by it
    alone: pickle is safe here.
    """

    def __init__(self, window: int | None = WINDOW) -> None:
        import tempfile

        self.index = StoryIndex(window=window)
        self._pending: deque[tuple[int | None, str | None]] = deque()
        self._spill = tempfile.TemporaryFile()

    def read(self, records: Iterable[Any]) -> Iterator[Any]:
        for record in records:
            if isinstance(record, Article):
                self._pending.append((self.index.add(fingerprint(record)), record.body))
            else:
                self._pending.append((None, None))
            yield record

    def hold(self, row: Any) -> None:
        import pickle

        position, body = self._pending.popleft()
        pickle.dump((row, position, body), self._spill, protocol=pickle.HIGHEST_PROTOCOL)

    def rows(self) -> Iterator[tuple[Any, dict[str, Any]]]:
        import pickle

        results = self.index.results()
        self._spill.seek(0)
        empty = dict.fromkeys(STORY_COLUMNS)
        try:
            while True:
                try:
                    row, position, body = pickle.load(self._spill)
                except EOFError:
                    return
                if position is None:
                    yield row, empty
                    continue
                columns = results[position].to_row()
                for passage in columns["passages"]:
                    passage["text"] = body[passage["start"] : passage["end"]]
                yield row, columns
        finally:
            self._spill.close()


class _CallableModule(types.ModuleType):
    """This module, callable as `stories`: ``quality.stories(articles)`` must work whether the
    name ``quality.stories`` is the function (looked up on the package) or this module (which
    ``import quality.stories`` puts there, over the function)."""

    def __call__(
        self,
        articles: Iterable[Article | dict[str, Any] | str],
        *,
        window: int | None = WINDOW,
        client: Any = None,
        chunk_size: int = 500,
    ) -> list[ArticleStory]:
        return stories(articles, window=window, client=client, chunk_size=chunk_size)


sys.modules[__name__].__class__ = _CallableModule
