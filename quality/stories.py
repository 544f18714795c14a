"""Stories across a batch: which articles report the same event, which passages one article
shares with another, and how much of each article is its own.

Aggregators receive the same story from many outlets, some of them rewrites of others. No
article-at-a-time signal sees that; this batch view does, in three steps:

1. Each article is reduced to a `Fingerprint` (`fingerprint`, a pure function: it runs on any
   worker): its key terms (the 15 content words that weigh most by count and by rarity in
   English, wordfreq's list), a MinHash signature of the body's word 3-shingles, and for each
   sentence of the body the hashes of its content words and its character span. The text
   itself is not kept. `fingerprints` does a few hundred articles at once, all of it numpy
   over all their text but the sentence split and the credits: the words are found in the
   code points (one pass: what `_WORD` matches), each keyed by a hash of its code points and
   looked up in a numpy table of what is known of it (hash, stem, rarity), learned on first
   sight; the MinHash is 64 multiply-shift hash functions over all shingles, block by block.
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
import threading
import types
import zlib
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from itertools import chain
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from quality.article import Article, as_article
from quality.doc import _ABBREV, _SENT_END, _STARTER, _TITLE_ABBREV
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
    "fingerprints",
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
# A word is what `_WORD` matches: word characters (letters and digits, not "_") joined by single
# connectors; `_tokens` finds the same words with numpy over the code points.
_WORD_CHAR = re.compile(r"[^\W_]", re.UNICODE)
_CONNECTORS = ".,’'"
# Where a sentence can end: each of `quality.doc`'s ends starts with one of these.
_END_CHAR = re.compile(r"[.!?…\n]")
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


class _Chars:
    """Code point -> what it is to a word: 1 a word character (``[^\\W_]``, as `_WORD` reads
    it), 2 a connector (``. , ’ '``), 0 anything else. One int8 a code point; the ASCII ones
    are filled at once, the others on first sight, by the same regular expression."""

    def __init__(self) -> None:
        self.kind = np.full(sys.maxunicode + 1, -1, dtype=np.int8)
        self.learn(np.arange(128))

    def learn(self, points: np.ndarray) -> None:
        for point in points.tolist():
            char = chr(point)
            self.kind[point] = 1 if _WORD_CHAR.match(char) else 2 if char in _CONNECTORS else 0

    def of(self, points: np.ndarray) -> np.ndarray:
        kinds = np.take(self.kind, points)
        if len(kinds) and kinds.min() < 0:
            self.learn(np.unique(points[kinds < 0]))
            kinds = np.take(self.kind, points)
        return kinds


_CHARS = _Chars()

# Word keys: sum of code point x P**place over the word, modulo 2**64 (P odd, so that P**-j
# exists: numpy's uint64 arithmetic wraps); places counted modulo `_WRAP`.
_P = 0xD6E8FEB86659FD93
_WRAP = 1 << 16


@functools.cache
def _powers() -> tuple[np.ndarray, np.ndarray]:
    """P**j and P**-j modulo 2**64, for j < `_WRAP`."""
    powers = np.full(_WRAP, _P, dtype=np.uint64)
    inverses = np.full(_WRAP, pow(_P, -1, 2**64), dtype=np.uint64)
    powers[0] = inverses[0] = 1
    return np.cumprod(powers), np.cumprod(inverses)


def _tokens(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The words of ``text`` (lower case) as `_WORD.findall` finds them, with numpy over the
    code points: their start and end offsets, and a 64-bit key each (the same for the same
    word in any text). Word characters make a word, and so does a connector with a word
    character on each side; anything else splits."""
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    n = len(points)
    kinds = _CHARS.of(points)
    inside = np.zeros(n + 2, dtype=bool)  # inside[i + 1]: character i is in a word
    np.equal(kinds, 1, out=inside[1:-1])
    if n >= 3:
        inside[2:n] |= (kinds[1:-1] == 2) & inside[1 : n - 1] & inside[3 : n + 1]
    edges = np.flatnonzero(inside[1:] != inside[:-1])
    starts, ends = edges[0::2], edges[1::2]
    # Prefix sums of point[j] P**j, then times P**-start: one pass over the text. Places are
    # taken modulo `_WRAP`, so that the tables stay small; a word across a multiple of it is
    # summed on its own.
    powers, inverses = _powers()
    prefix = np.empty(n + 1, dtype=np.uint64)
    prefix[0] = 0
    np.cumsum(points * (powers[:n] if n <= _WRAP else np.resize(powers, n)), out=prefix[1:])
    keys = (prefix[ends] - prefix[starts]) * inverses[starts & (_WRAP - 1)]
    if n > _WRAP:
        for i in np.flatnonzero((starts ^ (ends - 1)) >= _WRAP).tolist():
            length = ends[i] - starts[i]
            places = powers[:length] if length <= _WRAP else np.resize(powers, length)
            keys[i] = (points[starts[i] : ends[i]] * places).sum()
    return starts, ends, keys


#: Words longer than this are looked up by their text, not by their key: a polynomial hash
#: modulo 2**64 can be made to collide by long strings (Thue-Morse), never by short ones.
_KEYED_LENGTH = 32
#: Slots of a bucket of the word table: one cache line of keys.
_SLOTS = 4
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


class _Words:
    """What the fingerprint needs of a word, by row: its hash (CRC-32 of its UTF-8); the hash
    of its stem when it is a content word, 0 for a function word; its weight as a key term
    (rarer in English weighs more: "alabuga", in no list, 7; "drone" 3.5; "said" 0.1), 0 when
    it cannot be one (a function word, or shorter than three letters).

    A word's row is found by its key (`_tokens`) in a hash table of buckets of `_SLOTS` keys
    (numpy arrays: keys, rows), for all the words of a batch at once, with no Python call per
    word; a key whose bucket is full goes to a dict (``overflow``; a few keys in a thousand), a word
    longer than `_KEYED_LENGTH` (or whose key is 0, the mark of an empty slot) to another, by
    its text (``long``). A word is learned (its row filled from its text) on first sight.
    Emptied at a million words, between batches. Used under `_LOCK`: a batch reads rows it
    looked up, which another thread's batch could move or empty."""

    def __init__(self) -> None:
        self.hash = np.zeros(4096, dtype=np.uint64)
        self.stem = np.zeros(4096, dtype=np.uint64)
        self.rarity = np.zeros(4096, dtype=np.float64)
        self.stem_id = np.zeros(4096, dtype=np.int64)
        self.forget()

    def forget(self) -> None:
        self.count = 0
        self._table(1 << 14)
        self.overflow: dict[int, int] = {}
        self.long: dict[str, int] = {}
        self.stem_ids: dict[int, int] = {}  # stem hash -> a small number, the same for all its words

    def _table(self, buckets: int) -> None:
        self.keys = np.zeros((buckets, _SLOTS), dtype=np.uint64)  # 0: an empty slot
        self.slots = np.zeros((buckets, _SLOTS), dtype=np.int32)
        self.shift = np.uint64(65 - buckets.bit_length())

    def forget_if_full(self) -> None:
        if self.count >= 1_000_000:
            self.forget()

    def _home(self, keys: np.ndarray) -> np.ndarray:
        return ((keys * _GOLDEN) >> self.shift).astype(np.intp)

    def _grow(self) -> None:
        """Twice the buckets, every key put back (at most one key a bucket on average)."""
        held = self.keys != 0
        keys, rows = self.keys[held], self.slots[held]
        if self.overflow:
            keys = np.concatenate((keys, np.fromiter(self.overflow.keys(), dtype=np.uint64)))
            rows = np.concatenate((rows, np.fromiter(self.overflow.values(), dtype=np.int32)))
        self._table(2 * len(self.keys))
        self.overflow = {}
        homes = self._home(keys)
        order = np.argsort(homes, kind="stable")
        homes, keys, rows = homes[order], keys[order], rows[order]
        first = np.searchsorted(homes, homes)  # the first key of each one's bucket
        place = np.arange(len(homes)) - first
        fits = place < _SLOTS
        self.keys[homes[fits], place[fits]] = keys[fits]
        self.slots[homes[fits], place[fits]] = rows[fits]
        for key, row in zip(keys[~fits].tolist(), rows[~fits].tolist(), strict=True):
            self.overflow[key] = row

    def _learn(self, word: str) -> int:
        row = self.count
        if row == len(self.hash):
            self.hash = np.resize(self.hash, 2 * row)
            self.stem = np.resize(self.stem, 2 * row)
            self.rarity = np.resize(self.rarity, 2 * row)
            self.stem_id = np.resize(self.stem_id, 2 * row)
        self.hash[row] = zlib.crc32(word.encode("utf-8", "surrogatepass"))
        if word in FUNCTION_WORDS:
            self.stem[row], self.rarity[row] = 0, 0.0
        else:
            self.stem[row] = zlib.crc32(stem(word).encode("utf-8", "surrogatepass")) or 1
            self.rarity[row] = max(0.1, 7.0 - _zipf().get(word, 0.0)) if len(word) > 2 else 0.0
        self.stem_id[row] = self.stem_ids.setdefault(int(self.stem[row]), len(self.stem_ids))
        self.count += 1
        return row

    def _insert(self, key: int, home: int, row: int) -> None:
        bucket = self.keys[home]
        free = np.flatnonzero(bucket == 0)
        if len(free):
            bucket[free[0]] = key
            self.slots[home, free[0]] = row
        else:
            self.overflow[key] = row

    def rows_of(self, text: str, starts: np.ndarray, ends: np.ndarray, keys: np.ndarray) -> np.ndarray:
        """The rows of the words ``text[starts[i]:ends[i]]``, whose keys are ``keys``."""
        homes = self._home(keys)
        # Each key against the four of its bucket: four booleans a word, read as one uint32.
        found = (np.take(self.keys, homes, axis=0) == keys[:, None]).view("<u4").ravel()
        slot = (
            (found > 0xFF).view(np.uint8)
            + (found > 0xFFFF).view(np.uint8)
            + (found > 0xFFFFFF).view(np.uint8)
        )
        rows = np.take(self.slots.ravel(), homes * _SLOTS + slot).astype(np.intp)
        long = ((ends - starts) > _KEYED_LENGTH) | (keys == 0)  # 0 marks an empty slot
        missed = (found == 0) | long
        if missed.any():  # in the overflow, long, or not seen before
            learned: dict[int, int] = {}
            overflow = self.overflow
            for i in np.flatnonzero(missed).tolist():
                word = text[starts[i] : ends[i]]
                if long[i]:
                    row = self.long.get(word)
                    if row is None:
                        row = self.long[word] = self._learn(word)
                else:
                    key = int(keys[i])
                    row = overflow.get(key)
                    if row is None:
                        row = learned.get(key)
                    if row is None:
                        row = learned[key] = self._learn(word)
                        self._insert(key, int(homes[i]), row)
                rows[i] = row
            while self.count > len(self.keys):
                self._grow()
        return rows


_WORDS = _Words()
_LOCK = threading.Lock()


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
    hashed = values.astype(np.uint64)[:, None] * _A.T
    hashed += _B.T
    return (hashed.min(axis=0) >> np.uint64(32)).astype(np.uint32)  # the shift keeps the order


@functools.cache
def _band_salts(n: int, salt: int) -> np.ndarray:
    return np.arange(n, dtype=np.uint64) + np.uint64(salt << 8)


def _band_keys(signature: np.ndarray, bands: tuple[int, int], salt: int) -> np.ndarray:
    """One 64-bit key per LSH band: its rows of the signature hashed together (FNV-1a on whole
    values), salted by the band's number, so that one dict holds every band."""
    n, rows = bands
    values = signature[: n * rows].reshape(n, rows).T.astype(np.uint64)
    keys = _band_salts(n, salt).copy()
    for r in range(rows):
        np.bitwise_xor(keys, values[r], out=keys)
        np.multiply(keys, _BAND_MIX, out=keys)
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
    #: The LSH keys of all the key terms' MinHash (uint64, one a band; none under
    #: `_MIN_COMMON_TERMS` terms): the index's, unless some terms name a topic of the batch.
    term_keys: np.ndarray
    shingle_signature: np.ndarray  # MinHash of the body's word 3-shingles (uint32)
    shingle_keys: np.ndarray  # its LSH keys (uint64, one a band)
    stems: np.ndarray  # the content words of every kept sentence, hashed, per sentence sorted (uint32)
    bounds: np.ndarray  # sentence k's stems are stems[bounds[k]:bounds[k + 1]] (int32)
    spans: np.ndarray  # sentence k is body[spans[k, 0]:spans[k, 1]] (int32, n x 2)
    exact: np.ndarray  # a hash of each sentence's words in order (uint32): equal means copied as is
    #: Characters of the body's sentences: the whole that ``originality`` is a share of.
    chars: int

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickled as three buffers (uint32, int32, uint64), not nine arrays: a fingerprint
        sent to the grouping process (from a worker pool, a Dask cluster) costs a quarter."""
        return (
            _unpickle,
            (
                self.id,
                self.published,
                self.names,
                self.credits,
                (
                    len(self.terms),
                    len(self.shingle_signature),
                    len(self.stems),
                    len(self.term_keys),
                    len(self.bounds),
                ),
                np.concatenate((self.terms, self.shingle_signature, self.stems, self.exact)).tobytes(),
                np.concatenate((self.bounds, self.spans.ravel())).tobytes(),
                np.concatenate((self.term_keys, self.shingle_keys)).tobytes(),
                self.chars,
            ),
        )


def _unpickle(
    ident: str,
    published: float | None,
    names: tuple[str, ...],
    credits: tuple[str, ...],
    sizes: tuple[int, int, int, int, int],
    u32: bytes,
    i32: bytes,
    u64: bytes,
    chars: int,
) -> Fingerprint:
    n_terms, n_signature, n_stems, n_term_keys, n_bounds = sizes
    words = np.frombuffer(u32, dtype=np.uint32)
    sentences = np.frombuffer(i32, dtype=np.int32)
    keys = np.frombuffer(u64, dtype=np.uint64)
    at = n_terms + n_signature + n_stems
    return Fingerprint(
        id=ident,
        published=published,
        names=names,
        credits=credits,
        terms=words[:n_terms],
        term_keys=keys[:n_term_keys],
        shingle_signature=words[n_terms : n_terms + n_signature],
        shingle_keys=keys[n_term_keys:],
        stems=words[n_terms + n_signature : at],
        bounds=sentences[:n_bounds],
        spans=sentences[n_bounds:].reshape(-1, 2),
        exact=words[at:],
        chars=chars,
    )


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


def _credits(text: str, lower: str) -> tuple[str, ...]:
    """What ``text`` credits; ``lower`` is ``text.lower()``."""
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


def _run_starts(values: np.ndarray) -> np.ndarray:
    """Where each run of equal values starts, in a sorted array (`np.unique` costs several
    times more on arrays this small)."""
    new = np.empty(len(values), dtype=bool)
    new[:1] = True
    np.not_equal(values[1:], values[:-1], out=new[1:])
    return np.flatnonzero(new)


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    """The offsets of `quality.doc.sentences(text)`, found the same way (its patterns, its
    abbreviation rules) in a fraction of the time: `_SENT_END` is tried only where one of its
    ends can start (`_END_CHAR`), not at every character."""
    spans: list[tuple[int, int]] = []
    start = resume = 0
    match = _SENT_END.match
    for candidate in _END_CHAR.finditer(text):
        at = candidate.start()
        if at < resume:
            continue
        m = match(text, at)
        if m is None:
            continue
        resume = m.end()
        newline = text[at] == "\n"
        end = at if newline else resume
        if (
            not newline
            and _ABBREV.search(text, max(start, end - 8), end)
            and (_TITLE_ABBREV.search(text, max(start, end - 6), end) or not _STARTER.match(text, resume))
        ):
            continue
        _append_stripped(spans, text, start, end)
        start = resume
    _append_stripped(spans, text, start, len(text))
    return spans


def _append_stripped(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def _lower_sentences(body: str, lower: str, spans: list[tuple[int, int]]) -> tuple[str, list[int]]:
    """The body's sentences in lower case, as one text, and where each starts in it: the body
    itself when its offsets hold in lower case (a letter whose lower case is longer, "İ",
    would shift them; a capital sigma's lower case depends on what follows it), else the
    sentences lowered one by one, a space apart, as `_WORD.findall` read them."""
    if len(lower) == len(body) and "Σ" not in body:
        return lower, [s for s, _ in spans]
    pieces = [body[s:e].lower() for s, e in spans]
    starts = [0] * len(pieces)
    for k in range(1, len(pieces)):
        starts[k] = starts[k - 1] + len(pieces[k - 1]) + 1
    return " ".join(pieces), starts


def fingerprint(article: Article | dict[str, Any] | str) -> Fingerprint:
    """What `StoryIndex` needs of one article; a pure function, deterministic in every process.

    Examples
    --------
    >>> fp = fingerprint(Article("Storm hits coast", "Winds of 120 km/h hit the northern coast on Monday night."))
    >>> fp.spans.tolist(), len(fp.terms)
    ([[0, 57]], 9)
    """
    return fingerprints([article])[0]


def fingerprints(articles: Iterable[Article | dict[str, Any] | str]) -> list[Fingerprint]:
    """`fingerprint` of each article, computed together: the same fingerprints, for a third of
    the time or less an article (numpy runs once over the words of `_BATCH` articles, not
    once an article).

    Examples
    --------
    >>> storm = Article("Storm hits coast", "Winds of 120 km/h hit the northern coast on Monday night.")
    >>> [fp.spans.tolist() for fp in fingerprints([storm, Article("Rain", "It rained.")])]
    [[[0, 57]], []]
    """
    items = [as_article(a) for a in articles]
    out: list[Fingerprint] = []
    for start in range(0, len(items), _BATCH):
        out += _fingerprint_batch(items[start : start + _BATCH])
    return out


#: Articles fingerprinted together (`fingerprints`): a few MiB of arrays. More saves little.
_BATCH = 128


def _fingerprint_batch(items: list[Article]) -> list[Fingerprint]:
    with _LOCK:
        return _fingerprint_locked(items)


def _fingerprint_locked(items: list[Article]) -> list[Fingerprint]:
    _WORDS.forget_if_full()
    # The articles' lower-case sentences and titles, one text: "<body> <title> " each.
    pieces: list[str] = []
    sentence_starts: list[int] = []
    spans_of: list[list[tuple[int, int]]] = []
    lowers: list[str] = []
    piece_starts = np.empty(len(items), dtype=np.intp)
    body_ends = np.empty(len(items), dtype=np.intp)
    at = 0
    for i, article in enumerate(items):
        body = article.body
        spans = _sentence_spans(body)
        lower = body.lower()
        lowered, firsts = _lower_sentences(body, lower, spans)
        spans_of.append(spans)
        lowers.append(lower)
        sentence_starts += [at + first for first in firsts]
        piece_starts[i], body_ends[i] = at, at + len(lowered)
        piece = f"{lowered} {article.title.lower()} "
        pieces.append(piece)
        at += len(piece)
    text = "".join(pieces)
    starts, ends, keys = _tokens(text)
    rows = _WORDS.rows_of(text, starts, ends, keys)
    owner = np.searchsorted(piece_starts, starts, side="right") - 1  # the article of each word
    in_body = starts < body_ends[owner]  # else in its title
    title_rows, title_owner = rows[~in_body], owner[~in_body]
    rows, keys, owner, starts = rows[in_body], keys[in_body], owner[in_body], starts[in_body]
    # No word crosses a sentence's end (a space or a line break follows it).
    sentence_of = np.searchsorted(np.asarray(sentence_starts, dtype=np.intp), starts, side="right") - 1
    n_sentences = np.fromiter(map(len, spans_of), dtype=np.intp, count=len(items))
    sentence_bounds = np.zeros(len(items) + 1, dtype=np.intp)
    np.cumsum(n_sentences, out=sentence_bounds[1:])

    stems, kept, stem_bounds = _sentence_stems(rows, sentence_of, len(sentence_starts))
    exact = _exact(keys, sentence_of, len(sentence_starts))[kept]
    all_spans = np.fromiter(
        chain.from_iterable(chain.from_iterable(spans_of)), dtype=np.int32, count=2 * len(sentence_starts)
    ).reshape(-1, 2)[kept]
    kept_before = np.zeros(len(kept) + 1, dtype=np.intp)
    np.cumsum(kept, out=kept_before[1:])
    kept_bounds = kept_before[sentence_bounds].tolist()  # article i's kept sentences: [i] to [i + 1]
    terms, term_bounds = _key_terms(rows, owner, title_rows, title_owner, len(items))
    signatures = _signatures(rows, owner, len(items))
    shingle_keys = _band_keys_of(signatures, _SHINGLE_BANDS, 2)
    term_keys = _band_keys_of(_term_signatures(terms, term_bounds), _TERM_BANDS, 1)
    stem_bounds = stem_bounds.astype(np.int32)
    starts_of_stems = stem_bounds.tolist()
    term_bounds = term_bounds.tolist()
    # Each article's arrays are views of the batch's.
    out = []
    for i, article in enumerate(items):
        k0, k1 = kept_bounds[i], kept_bounds[i + 1]
        s0, s1 = starts_of_stems[k0], starts_of_stems[k1]
        t0, t1 = term_bounds[i], term_bounds[i + 1]
        out.append(
            Fingerprint(
                id=article.id,
                published=_timestamp(article.published),
                names=_names(article),
                credits=_credits(article.body, lowers[i]),
                terms=terms[t0:t1],
                term_keys=term_keys[i] if t1 - t0 >= _MIN_COMMON_TERMS else term_keys[i, :0],
                shingle_signature=signatures[i],
                shingle_keys=shingle_keys[i],
                stems=stems[s0:s1],
                bounds=stem_bounds[k0 : k1 + 1] - np.int32(s0),
                spans=all_spans[k0:k1],
                exact=exact[k0:k1],
                chars=sum(e - s for s, e in spans_of[i]),
            )
        )
    return out


def _sentence_stems(
    rows: np.ndarray, sentence_of: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each sentence's content words (stem hashes), once each and sorted, for the sentences
    with `_MIN_SENTENCE_WORDS` or more: the stems of all, the kept sentences (a mask), and
    where each kept sentence's stems start (and the last ends). (sentence, stem) pairs made
    unique in one sort."""
    stem_of = _WORDS.stem[rows]
    content = stem_of != 0
    pairs = (sentence_of[content].astype(np.uint64) << np.uint64(32)) | stem_of[content]
    pairs.sort()
    pairs = pairs[_run_starts(pairs)]
    owner = (pairs >> np.uint64(32)).astype(np.intp)
    per_sentence = np.bincount(owner, minlength=n)
    kept = per_sentence >= _MIN_SENTENCE_WORDS
    bounds = np.zeros(int(kept.sum()) + 1, dtype=np.intp)
    np.cumsum(per_sentence[kept], out=bounds[1:])
    return (pairs[kept[owner]] & _HASH_MASK).astype(np.uint32), kept, bounds


def _exact(keys: np.ndarray, sentence_of: np.ndarray, n: int) -> np.ndarray:
    """Per sentence, a hash of its words in order (uint32): the same words in the same order
    give the same hash. The sum of key x P**(place in the sentence), modulo 2**64, folded."""
    if not len(keys):
        return np.zeros(n, dtype=np.uint32)
    first = np.searchsorted(sentence_of, np.arange(n + 1))  # the words are in sentence order
    place = np.arange(len(keys)) - first[sentence_of]
    prefix = np.empty(len(keys) + 1, dtype=np.uint64)
    prefix[0] = 0
    np.cumsum(keys * _powers()[0][place & (_WRAP - 1)], out=prefix[1:])
    total = prefix[first[1:]] - prefix[first[:-1]]
    return ((total ^ (total >> np.uint64(32))) & _HASH_MASK).astype(np.uint32)


def _key_terms(
    rows: np.ndarray, owner: np.ndarray, title_rows: np.ndarray, title_owner: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Each article's `KEY_TERMS` content words (their stems' hashes, sorted) that weigh
    most: (1 + log count) x rarity in English, two forms of one stem ("drone", "drones")
    adding up; ties go to the smaller hash. The headline's words count three times: it names
    the event. All the articles' terms, and where each article's terms start (and the last
    article's end)."""
    every = np.concatenate((rows, title_rows, title_rows))
    whose = np.concatenate((owner, title_owner, title_owner))
    weighed = _WORDS.rarity[every] > 0  # the rest weigh 0 whatever their count
    every, whose = every[weighed], whose[weighed]
    # (article, stem, word) in one uint64, sorted: each word's count, and a stem's words
    # next to each other, in word order (two at most: "drone", "drones")
    row_bits = max(_WORDS.count, 1).bit_length()
    stem_bits = max(len(_WORDS.stem_ids), 1).bit_length()
    if row_bits + stem_bits + max(n, 1).bit_length() > 64:
        raise ValueError(
            f"quality.stories: {n} articles with {_WORDS.count} distinct words do not fit one 64-bit "
            "sort key; fingerprint fewer articles at a time"
        )
    packed = (
        (whose.astype(np.uint64) << np.uint64(row_bits + stem_bits))
        | (_WORDS.stem_id[every].astype(np.uint64) << np.uint64(row_bits))
        | every.astype(np.uint64)
    )
    packed.sort()
    first = _run_starts(packed)
    counts = np.diff(first, append=len(packed))
    packed = packed[first]
    unique = (packed & np.uint64((1 << row_bits) - 1)).astype(np.intp)
    weights = (1.0 + np.log(counts)) * _WORDS.rarity[unique]
    groups = packed >> np.uint64(row_bits)
    first = _run_starts(groups)
    totals = np.add.reduceat(weights, first) if len(first) else weights
    stems = _WORDS.stem[unique[first]]
    whose = groups[first] >> np.uint64(stem_bits)
    # Per article, heaviest first, ties to the smaller stem; the first KEY_TERMS of each. A
    # sort of all (a lexsort of a hundred thousand costs 30 ms) is kept to the stems that
    # weigh at least an article's KEY_TERMS-th heaviest, found by a sort of values alone.
    heavy = totals >= _kth_heaviest(totals, whose, n)[whose]
    stems, totals, whose = stems[heavy], totals[heavy], whose[heavy]
    order = np.lexsort((stems, -totals, whose))
    ranked = whose[order]
    place = np.arange(len(ranked)) - np.searchsorted(ranked, np.arange(n, dtype=np.uint64))[ranked]
    chosen = order[place < KEY_TERMS]
    chosen = np.sort((whose[chosen] << np.uint64(32)) | stems[chosen])
    bounds = np.searchsorted(chosen >> np.uint64(32), np.arange(n + 1, dtype=np.uint64))
    return (chosen & _HASH_MASK).astype(np.uint32), bounds


def _term_signatures(terms: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """`_signature` of each article's key terms (``terms[bounds[i]:bounds[i + 1]]``)."""
    n = len(bounds) - 1
    out = np.full((n, _NUM_PERM), 0xFFFFFFFF, dtype=np.uint32)
    some = np.flatnonzero(bounds[1:] > bounds[:-1])
    if len(some):
        hashed = terms.astype(np.uint64)[:, None] * _A.T
        hashed += _B.T
        out[some] = np.minimum.reduceat(hashed, bounds[some], axis=0) >> np.uint64(32)
    return out


def _band_keys_of(signatures: np.ndarray, bands: tuple[int, int], salt: int) -> np.ndarray:
    """`_band_keys` of each row of ``signatures``."""
    n, rows = bands
    values = signatures[:, : n * rows].reshape(len(signatures), n, rows).astype(np.uint64)
    keys = np.repeat(_band_salts(n, salt)[None, :], len(signatures), axis=0)
    for r in range(rows):
        keys ^= values[:, :, r]
        keys *= _BAND_MIX
    return keys


def _kth_heaviest(totals: np.ndarray, whose: np.ndarray, n: int) -> np.ndarray:
    """Per article, the `KEY_TERMS`-th greatest of its ``totals`` (all positive), or its least
    when it has fewer. A positive float's bits, read as an integer, keep its order: (article,
    greatest first) packed in one uint64 and sorted."""
    out = np.zeros(n, dtype=np.float64)
    if not len(totals):
        return out
    bits = totals.view(np.uint64)
    low = bits.min()
    span = int(bits.max() - low)
    width = max(span, 1).bit_length()
    if width + max(n - 1, 1).bit_length() > 64:  # not for totals of weights
        return out
    packed = (whose << np.uint64(width)) | (np.uint64(span) - (bits - low))
    packed.sort()
    first = np.searchsorted(packed >> np.uint64(width), np.arange(n, dtype=np.uint64))
    last = np.minimum(first + KEY_TERMS, np.append(first[1:], len(packed))) - 1
    taken = packed[np.maximum(last, 0)] & np.uint64((1 << width) - 1)
    return (low + (np.uint64(span) - taken)).view(np.float64)


def _signatures(rows: np.ndarray, owner: np.ndarray, n: int) -> np.ndarray:
    """Each article's MinHash signature (`_signature`) of its word 3-shingles, or of its
    words when it has fewer than three: n x `_NUM_PERM` (uint32), in blocks of articles."""
    hashed = _WORDS.hash[rows]
    counts = np.bincount(owner, minlength=n)
    if len(hashed) >= 3:
        shingles = (hashed[:-2] * _MIX[0] + hashed[1:-1] * _MIX[1] + hashed[2:] * _MIX[2]) & _HASH_MASK
        own = owner[:-2][owner[:-2] == owner[2:]]  # three words of one article
        shingles = shingles[owner[:-2] == owner[2:]]
    else:
        shingles, own = hashed[:0], owner[:0]
    few = counts[owner] < 3
    if few.any():  # an article of one or two words: the words themselves
        shingles = np.concatenate((shingles, hashed[few]))
        own = np.concatenate((own, owner[few]))
        order = np.argsort(own, kind="stable")
        shingles, own = shingles[order], own[order]
    out = np.full((n, _NUM_PERM), 0xFFFFFFFF, dtype=np.uint32)
    if not len(own):
        return out
    first = _run_starts(own)
    whose = own[first]
    # About `_BLOCK` shingles at a time (whole articles): the hashes stay in the cache.
    buffer = np.empty((_NUM_PERM, _BLOCK), dtype=np.uint64)
    block = 0
    while block < len(first):
        last = max(int(np.searchsorted(first, first[block] + _BLOCK, side="right")) - 1, block + 1)
        lo = first[block]
        hi = first[last] if last < len(first) else len(own)
        hashes = (
            buffer[:, : hi - lo] if hi - lo <= _BLOCK else np.empty((_NUM_PERM, hi - lo), dtype=np.uint64)
        )
        np.multiply(shingles[None, lo:hi], _A, out=hashes)
        hashes += _B
        mins = np.minimum.reduceat(hashes, first[block:last] - lo, axis=1)
        out[whose[block:last]] = (mins >> np.uint64(32)).T  # the shift keeps the order
        block = last
    return out


_BLOCK = 8192


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
    return np.repeat(np.arange(len(bounds) - 1, dtype=np.uint64), bounds[1:] - bounds[:-1])


def _matches(new: Fingerprint, old: _Kept) -> list[_Match]:
    """The sentences of ``new`` that say what a sentence of ``old`` says: for each, the most
    similar one (the first of equals), kept when their content words' Jaccard similarity is
    `SENTENCE_SIMILARITY` or more, with at least `_MIN_COMMON_WORDS` words in common. The
    words in common, for every pair of sentences at once, are counted over the pairs of
    entries (a word of a sentence of each) with the same stem: a join on the stems sorted."""
    n_new, n_old = len(new.bounds) - 1, len(old.bounds) - 1
    if n_new < 1 or n_old < 1:
        return []
    # old's (stem, sentence) entries sorted by stem; each of new's stems finds its run there
    entries = np.sort((old.stems.astype(np.uint64) << np.uint64(32)) | _owners(old.bounds))
    vocabulary = (entries >> np.uint64(32)).astype(np.uint32)
    first = np.searchsorted(vocabulary, new.stems, side="left")
    count = np.searchsorted(vocabulary, new.stems, side="right") - first
    held = np.flatnonzero(count)
    if len(held) < _MIN_COMMON_WORDS:
        return []
    count = count[held]
    mine = np.repeat(_owners(new.bounds)[held], count)
    ends = np.cumsum(count)
    theirs = entries[np.arange(ends[-1]) - np.repeat(ends - count - first[held], count)] & _HASH_MASK
    shared = np.bincount((mine * np.uint64(n_old) + theirs).astype(np.intp), minlength=n_new * n_old)
    shared = shared.reshape(n_new, n_old)
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
        listed = terms.tolist()
        df = self._df
        df.update(listed)
        # Terms that a large part of the batch so far has among its key terms ("syria" in a
        # batch of war reports) say the topic, not the event: they do not count as common, and
        # they are left out of the signature, so that they do not make candidates either.
        saturated = max(_TOPIC_FLOOR, _TOPIC_SHARE * len(self._order) + 1)
        events = [t for t in listed if df[t] <= saturated]
        if len(events) < _MIN_COMMON_TERMS:
            term_keys = None
        elif len(events) == len(listed):
            term_keys = fp.term_keys
        else:
            term_keys = _band_keys(_signature(np.asarray(events, dtype=np.uint32)), _TERM_BANDS, 1)
        shingle_keys = fp.shingle_keys if len(fp.exact) else None
        by_terms = _look_up(self._term_buckets, term_keys) if term_keys is not None else set()
        by_shingles = _look_up(self._shingle_buckets, shingle_keys) if shingle_keys is not None else set()
        candidates = sorted(by_terms | by_shingles)
        self.checked += len(candidates)
        if candidates:
            at = np.asarray(candidates, dtype=np.intp)
            if self.window is not None:
                at %= self.window
            # A dozen candidates of 15 terms each: Python sets beat numpy at this size.
            event_set, term_set = set(events), set(listed)
            same_events = []
            for row, count in zip(self._terms[at].tolist(), self._term_counts[at].tolist(), strict=True):
                theirs = row[:count]
                common = len(event_set.intersection(theirs))
                union = len(term_set.union(theirs))
                same_events.append(common >= _MIN_COMMON_TERMS and common / max(union, 1) >= TERM_SIMILARITY)
            for q, same_event in zip(candidates, same_events, strict=True):
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


def _fingerprints(articles: Sequence[Article], client: Any, chunk_size: int) -> Iterator[Fingerprint]:
    """Fingerprints in input order: here, or on a Dask cluster (a few chunks in flight)."""
    if client is None:
        for start in range(0, len(articles), _BATCH):
            yield from fingerprints(articles[start : start + _BATCH])
        return
    in_flight = max(2 * sum(client.nthreads().values()), 2)
    pending: deque[Any] = deque()
    for start in range(0, len(articles), chunk_size):
        pending.append(client.submit(fingerprints, list(articles[start : start + chunk_size]), pure=False))
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
