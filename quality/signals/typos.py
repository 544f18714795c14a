"""Typos: misspelled words, and misspelled names of organisations and people.

Words are checked against English word lists shipped in installed packages: symspellpy's 82k
words, wordfreq's 290k (which knows "livestreamed", "pushback" and "coronavirus") and the CMU
pronouncing dictionary. wordfreq counts words as written on the web, common misspellings
included ("goverment"), so a word it knows is still taken for a misspelling when a far more
frequent word is one edit away. Numbers, URLs and words in short quotations ("covfefe") are not
spell-checked, nor are words that only lost their apostrophe in scraping ("countrys", "dont").

Names are checked differently: an acronym or name one edit away from a known organisation in
the gazetteer (``lexicons/organisations.txt``), a famous person's or organisation's full name
with one word one edit off ("Barak Obama", "Untied Nations"; ``lexicons/famous_people.txt``),
or a rare spelling of a name that the same article spells more often another way, is flagged
with the likely intended form ("NKH: likely NHK", "Sergey: likely Sergei"). A name that wordfreq
knows is a name, not a misspelling of a common word one letter away ("Harwood", "Bowser").
"""

from __future__ import annotations

import contextlib
import functools
import gc
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from importlib import resources
from itertools import compress, repeat
from typing import NamedTuple

from rapidfuzz.distance import OSA
from rapidfuzz.process import extractOne

from quality import _cmudict, lexicon
from quality._once import once
from quality._regex import compile_fast
from quality.article import Evidence, SignalResult
from quality.doc import Doc, Field, Token, lower_keeping_offsets
from quality.signals import _grammar

__all__ = ["FEATURES", "analyse", "frequent_words", "is_known", "suggest", "zipf"]

FEATURES = (
    "typos.misspelled_per_100w",
    "typos.misspelled_names",
)

# Seen this often in symspellpy's corpus, a word is a household name, not a rare surname.
_FAMOUS = 1_000_000
# A CMUdict word one edit from a word this common is taken for a misspelling of it.
_COMMON = 5_000_000
# wordfreq's Zipf scale: log10 of a word's frequency per billion words. Its English list stops
# at 1.0; a name at 2.0 or more is written often enough on the web to be a real name.
_NAME_ZIPF = 2.0
_WORD_ZIPF = 3.1
# A word wordfreq knows is still a misspelling when a word this much more frequent (a factor of
# 10 ** gap) is one slip away: "goverment" (2.7) and "government" (5.6), "recieve" and
# "receive" (gap 2.1); "influencers" and "influences" (0.9) are two words. Short words have
# many neighbours, and one consonant changed often makes another word ("sexting", "setting";
# "helming", "helping"), so for those only a huge gap counts ("teh", "the").
_MISSPELLING_GAP = 1.5
_SHORT_MISSPELLING_GAP = 3.0
# A famous name or word, the intended form of a capitalised word one letter off it.
_FAMOUS_ZIPF = 3.8
# A word no list knows is a misspelling of a word this common one slip away ("disproval").
_WORDFREQ_NEIGHBOUR_ZIPF = 3.0
# A short word no dictionary lists is a slip for a word this common ("wil", "fo", "teh").
_FUNCTION_ZIPF = 6.0
# How common a word must be for its first letter lost to be read as a slip ("eported").
_FIRST_LETTER_ZIPF = 4.0
_LATIN = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿĀ-ſ]+$")
_LETTERS = re.compile(r"^[^\W\d_]+$")
_SPLIT = re.compile(r"['’-]")
_VOWELS = frozenset("aeiouy")
_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
# Each letter's neighbours on a QWERTY keyboard, in its row and the rows above and below.
_KEYS = {
    ch: "".join(
        other
        for rr, other_row in enumerate(_ROWS)
        for cc, other in enumerate(other_row)
        if other != ch and abs(rr - r) <= 1 and (cc - c in (-1, 0, 1) if rr == r else cc - c in (-1, 0, 1))
    )
    for r, row in enumerate(_ROWS)
    for c, ch in enumerate(row)
}
# A word right after these is a handle or a hashtag ("@tompor", "#bcrf"), not prose.
_HANDLE = frozenset("@#_0123456789")
# "you’re" decoded with the wrong code page ("youâ€™re") leaves words ending in "â".
_MOJIBAKE = re.compile(r"â$|Ã")
# A short quotation (one to three words): a coined or deliberately odd word shown as such
# ("the so-called “covfefe”", 'a "smol" dog'), not a misspelling.
_SHORT_QUOTE = re.compile(r"[\"“‘«]([^\"“”‘’«»\n]{1,40}?)[\"”’»]")
# The shift key pressed a letter late or held a letter too long: "wIth", "THe". Brands are
# written so too ("iPhone", "eBay", "MPs"), but none of them is a word as common as "with".
_SHIFTED = re.compile(r"^(?:[a-z]+[A-Z]|[A-Z]{2})[a-z]+$")
_SHIFTED_ZIPF = 5.0
# Contractions whose apostrophe was lost in scraping ("dont", "theyre", "weve").
_CONTRACTION_ENDS = ("nt", "re", "ve", "ll", "d", "m", "s")
_APOSTROPHE = re.compile(
    r"[a-z](?:n['’]t|['’](?:re|ve|ll|m|d))\b|\b(?:it|that|what|let|there|he|she)['’]s\b", re.I
)


def _read_words(package: str, *path: str) -> set[str]:
    ref = resources.files(package).joinpath("/".join(path))
    with ref.open("r", encoding="utf-8") as fh:
        return {w for line in fh if "(" not in (w := line.split(" ", 1)[0])}


@once
def frequent_words() -> frozenset[str]:
    """symspellpy's English frequency dictionary (82k lower-case words), loaded once."""
    return frozenset(_read_words("symspellpy", "frequency_dictionary_en_82_765.txt"))


@once
def _plain_words() -> dict[str, bool]:
    """`frequent_words` of lower-case letters only → whether the word has three letters or more."""
    return {w: len(w) >= 3 for w in frequent_words() if w.islower() and w.isalpha()}


@once
def _wordfreq() -> dict[str, int]:
    """wordfreq's English words (its "large" list, shipped in the wheel) → Zipf frequency × 10.

    Tenths of a Zipf unit are small ints, which Python shares: the 290k entries cost their
    keys and the dict only (about 30 MB), and loading takes a fraction of a second.
    """
    from wordfreq import get_frequency_list

    # Bucket i holds the words of frequency 10 ** (-i / 100), i.e. Zipf 9 - i / 100. The words
    # of lower-case ASCII letters are picked out and added by C-level calls, a bucket at a
    # time (a third faster than a comprehension that tests and adds each of the 320,000).
    table: dict[str, int] = {}
    for i, bucket in enumerate(get_frequency_list("en", "large")):
        plain = filter(str.islower, filter(str.isalpha, filter(str.isascii, bucket)))
        table.update(zip(plain, repeat(round(90 - i / 10))))
    return table


# Decisions about one word (its frequency, whether it is known, a name's likely spelling) are
# cached for the process: most words of an article were seen in earlier ones.
@functools.lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """wordfreq's Zipf frequency of a lower-case ``word`` (0.0 when it does not know it).

    Examples
    --------
    >>> zipf("the") > 7 > 3 > zipf("livestreamed") > 1 > zipf("xqzv")
    True
    """
    return _wordfreq().get(word, 0) / 10


def _slip(word: str, meant: str) -> str | None:
    """How ``word`` differs from ``meant``, one edit apart, when it reads as a slip of the
    fingers: "swap" (two letters swapped), "double" (a letter doubled, or a doubled one
    written once: "targetting", "wil"), "drop", "add", or "key" (a letter for its neighbour
    on the keyboard: "currrntly", "despire"). None otherwise: the first letter changed ("funder"
    / "under"), the last letter added (but "e") or changed, as suffixes do ("arbitraged"),
    or a letter for a far one, which more often makes another word ("proning" / "proving").
    """
    if _is_transposition(word, meant):
        return "swap"
    if len(word) < 2 or not meant or word[0] != meant[0]:
        return None
    short, long_ = (word, meant) if len(word) < len(meant) else (meant, word)
    if len(short) + 1 == len(long_):
        i = next((k for k in range(len(short)) if short[k] != long_[k]), len(short))
        if long_[i] == long_[i - 1] or (i + 1 < len(long_) and long_[i] == long_[i + 1]):
            return "double"
        if word is long_:
            return "add" if i < len(long_) - 1 or long_[i] == "e" else None
        return "drop"
    diff = [k for k in range(len(word)) if word[k] != meant[k]]
    if len(diff) == 1 and diff[0] < len(word) - 1 and meant[diff[0]] in _KEYS.get(word[diff[0]], ""):
        return "key"
    return None


def _own_word(word: str, meant: str) -> bool:
    """Whether ``word`` is a word of its own made from ``meant``: with a suffix letter
    ("servicer", "woulda"), a dropped final g ("sluggin"), or as its spelling variant."""
    return (
        (word[:-1] == meant and word[-1] in "srdnya")
        or (word.endswith("in") and (meant == word + "g" or is_known(word + "g")))
        or _variants(word, meant)
    )


@functools.lru_cache(maxsize=65536)
def _run_together(word: str) -> bool:
    """Whether ``word`` is two common words whose space was lost ("bemore", "chairin")."""
    return any(
        zipf(word[:i]) >= 4.0
        and zipf(word[i:]) >= 4.0
        and word[:i] in frequent_words()
        and word[i:] in frequent_words()
        for i in range(2, len(word) - 1)
    )


@functools.lru_cache(maxsize=65536)
def _more_frequent_neighbour(word: str) -> str | None:
    """The most frequent word one edit from ``word``, when ``word`` reads as a slip for it.

    It must be far more frequent, more so for a letter changed into another than for a letter
    dropped or swapped, and a short word only counts as a swap or a doubled letter written
    once ("teh", "wil"; not "ish" / "is").
    """
    from symspellpy import Verbosity

    hits = _symspell().lookup(word, Verbosity.CLOSEST, max_edit_distance=1)
    hits = [h.term for h in hits if h.distance == 1]
    if not hits:
        return None
    # The most frequent neighbour that reads as a slip: "choosen" is "chosen" with a doubled
    # letter, not "choose" with a letter added at its end.
    for best in sorted(hits, key=zipf, reverse=True):
        kind = _slip(word, best)
        if kind is None or (len(word) < 5 and kind not in ("swap", "double")):
            continue
        gap = _SHORT_MISSPELLING_GAP if len(word) < 6 or kind == "key" else _MISSPELLING_GAP
        if zipf(best) - zipf(word) < gap or _own_word(word, best):
            continue
        return best
    return None


@functools.lru_cache(maxsize=65536)
def is_known(word: str) -> bool:
    """Whether a lower-case ``word`` is English.

    It is when symspellpy's dictionary has it, or wordfreq or CMUdict does and no far more
    common word is one letter away (both list "goverment").
    """
    if word in frequent_words():
        return True
    if word in _wordfreq():
        # Written more than once in a million words, it is a word ("improv", "alot"); more than
        # once in a hundred million, a letter added to a word is another word ("prepper").
        if zipf(word) >= _WORD_ZIPF:
            return True
        meant = _more_frequent_neighbour(word)
        return meant is None or (zipf(word) >= _NAME_ZIPF and _slip(word, meant) == "add")
    if word not in _cmudict.syllables():
        return False
    # Short words have many neighbours ("reo" / "red"); only long ones are doubted, and a
    # spelling variant ("theater" / "theatre") is not a misspelling.
    if len(word) < 6:
        return True
    guess = suggest(word, min_count=_COMMON)
    # An inflection of the common word ("defenses" / "defense") is a word of its own.
    return guess is None or _variants(word, guess) or word.startswith(guess)


@functools.lru_cache(maxsize=16384)
def _shouted_typo(word: str) -> str | None:
    """The common word a long shouted word that no list knows was meant to be ("EXCUSIVE"):
    one slip from it, as a lower-case word would be; acronyms are short or one of a kind."""
    if len(word) < 6 or word in _wordfreq() or not word.isascii():
        return None
    guess = suggest(word)
    if guess is None or zipf(guess) < _FIRST_LETTER_ZIPF or _own_word(word, guess):
        return None
    return guess if _slip(word, guess) is not None else None


_ALPHABET = "abcdefghijklmnopqrstuvwxyz"


@functools.lru_cache(maxsize=65536)
def _wordfreq_neighbour(word: str) -> str | None:
    """The most frequent word of wordfreq's list one edit from ``word``, when it is a common one.

    symspellpy's 82k words miss many a common long word ("disapproval"); wordfreq's list
    has them, but is too large to index, so the edits of the few unknown words are looked up.
    """
    freq = _wordfreq()
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    edits = {a + b[1:] for a, b in splits if b}
    edits.update(a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1)
    edits.update(a + c + b[1:] for a, b in splits if b for c in _ALPHABET)
    edits.update(a + c + b for a, b in splits for c in _ALPHABET)
    edits.discard(word)
    best = max(edits, key=lambda w: freq.get(w, 0))
    return best if freq.get(best, 0) >= 10 * _WORDFREQ_NEIGHBOUR_ZIPF else None


@functools.lru_cache(maxsize=4096)
def _function_word_slip(word: str) -> str | None:
    """The very common word a short ``word`` no dictionary lists is a slip for: two letters
    swapped ("teh", "ot"), a letter dropped ("fo") or a double letter written once ("wil").

    Only words with a vowel: "hm", "sh" and "th" are interjections, censored words and
    ordinals. A letter doubled ("soo") is emphasis, not a slip.
    """
    if not word.isalpha() or word in frequent_words() or zipf(word) >= 3.9 or not _VOWELS & set(word):
        return None
    freq = _wordfreq()
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    edits = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    edits.update(a + c + b for a, b in splits for c in _ALPHABET)
    hits = [
        m
        for m in edits
        if freq.get(m, 0) >= 10 * _FUNCTION_ZIPF and _slip(word, m) in ("swap", "drop", "double")
    ]
    return max(hits, key=zipf) if hits else None


def _amid_english(field: Field, i: int) -> bool:
    """Whether the word ``field.tokens[i]`` stands alone between English words: not in a
    foreign phrase ("Cash ist fesch"), a censored word ("sh*t") or a web address."""
    tokens, text = field.tokens, field.text
    token = tokens[i]
    if i + 1 >= len(tokens) or not text[token.start - 1 : token.start].isspace():
        return False
    if not text[token.end : token.end + 1].isspace():
        return False
    # Words of symspellpy's list, not wordfreq's, which has German and Spanish words too.
    after = tokens[i + 1]
    if after.kind != "word" or after.text.lower() not in frequent_words():
        return False
    if i and tokens[i - 1].kind == "word" and tokens[i - 1].text.lower() not in frequent_words():
        return False
    return not _quoted(_short_quotes(text), token.start)


@functools.lru_cache(maxsize=65536)
def _contraction(word: str) -> str | None:
    """The contraction a lower-case ``word`` is without its apostrophe, when ``word`` is no
    word of its own: "thats", "dont", "youre"; not "cant", "wont", "ill", "lets"."""
    if len(word) < 3 or word in frequent_words():
        return None
    for end in _CONTRACTION_ENDS:
        stem = word[: -len(end)]
        if not word.endswith(end) or len(stem) < 2:
            continue
        for form in (f"{stem}n't", f"{stem[:-1]}n't") if end == "nt" else (f"{stem}'{end}",):
            if form in frequent_words():
                return form
    return None


def _writes_apostrophes(doc: Doc) -> bool:
    """Whether ``doc`` writes a contraction with its apostrophe ("don't", "it's") anywhere:
    then one written without is a slip, not the scraper's doing."""
    return any(_APOSTROPHE.search(field.text) for field in doc.fields)


_Slip = tuple[str, re.Pattern[str], "re.Pattern[str] | None", re.Pattern[str]]


@functools.cache
def _real_word_slips() -> tuple[re.Pattern[str], tuple[_Slip, ...]]:
    """``lexicons/real_word_slips.txt``: one pattern that finds every slip word, and each entry
    as (intended word, slip, words right before it, what follows it), all in lower case."""
    entries = []
    for entry in lexicon.entries("real_word_slips"):
        meant, _, rest = entry.partition(" = ")
        before, slip, after = (part.strip() for part in rest.split(";;"))
        prior = re.compile(rf"(?<![\w'’])(?:{before})\s$") if before else None
        entries.append((meant.strip(), re.compile(slip), prior, re.compile(after)))
    slips = "|".join(sorted({f"(?:{e[1].pattern})" for e in entries}))
    # One scan for the slip words (case folded, without IGNORECASE, which is several times
    # slower; compile_fast: the same matches, a third faster); the contexts are checked only
    # where one stands.
    return compile_fast(rf"(?<![\w'’])(?:{slips})(?= )"), tuple(entries)


def _real_word_slip_spans(text: str) -> list[tuple[int, int, str]]:
    """Offsets of real words written for another in ``text`` ("on it's head"), with the word meant."""
    any_slip, entries = _real_word_slips()
    lower = lower_keeping_offsets(text)  # offsets in it are offsets in text
    out = []
    for m in any_slip.finditer(lower):
        a, b = m.span()
        for meant, slip, prior, after in entries:
            if (
                slip.fullmatch(lower, a, b)
                and after.match(lower, b + 1)
                and (prior is None or prior.search(lower, max(0, a - 40), a))
            ):
                out.append((a, b, meant))
                break  # "with it's own" fits two entries: one span
    return out


def _lost_apostrophe(word: str) -> bool:
    """Whether a lower-case ``word`` is a possessive or contraction whose apostrophe was lost
    in scraping ("countrys", "dont", "theyre"): a scraping artefact, not a misspelling."""
    for end in _CONTRACTION_ENDS:
        stem = word[: -len(end)]
        if word.endswith(end) and len(stem) >= 2:
            if end == "nt" and (f"{stem}n't" in frequent_words() or f"{stem[:-1]}n't" in frequent_words()):
                return True
            if end != "nt" and (f"{stem}'{end}" in frequent_words() or (end == "s" and is_known(stem))):
                return True
    return False


@once
def _symspell():  # type: ignore[no-untyped-def]
    from symspellpy import SymSpell

    speller = SymSpell(max_dictionary_edit_distance=1, prefix_length=7)
    ref = resources.files("symspellpy").joinpath("frequency_dictionary_en_82_765.txt")
    with resources.as_file(ref) as path, _no_collection():
        speller.load_dictionary(str(path), term_index=0, count_index=1)
    return speller


@contextlib.contextmanager
def _no_collection() -> Iterator[None]:
    """The garbage collector paused, while a loader builds a table of many small containers.

    The spelling index is 319,000 lists, whose allocation sets off collections that each walk
    everything the process holds (the model included), again and again as the index grows:
    they took 0.5 s of `_symspell`'s 1.4 s, and find nothing to free (the index holds no
    cycles).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def suggest(word: str, min_count: int = 0, dropped_or_swapped: bool = False) -> str | None:
    """The dictionary word one edit from ``word`` most likely meant, or None.

    Only candidates seen at least ``min_count`` times count. With ``dropped_or_swapped``, only
    a dropped letter ("Bejing" for "Beijing") or two swapped letters ("Olympcis") count: a
    capitalised word one letter *different* from a common word is more often a real name
    ("Boateng", not "boating").
    """
    from symspellpy import Verbosity

    hits = _symspell().lookup(word.lower(), Verbosity.CLOSEST, max_edit_distance=1)
    hits = [
        h
        for h in hits
        if h.count >= min_count
        and (not dropped_or_swapped or len(h.term) == len(word) + 1 or sorted(h.term) == sorted(word.lower()))
    ]
    if not hits:
        return None
    return max(hits, key=lambda h: h.count).term


_BRITISH = (
    ("isation", "ization"),
    ("ise", "ize"),
    ("ising", "izing"),
    ("ised", "ized"),
    ("our", "or"),
    ("tre", "ter"),
    ("ll", "l"),
    ("ogue", "og"),
    ("ae", "e"),
    ("oe", "e"),
    ("yse", "yze"),
)


def _british(word: str) -> bool:
    """Whether ``word`` is the British or American spelling of a known word ("mislabelling",
    "organisation", "labor")."""
    return any(
        (a in word and is_known(word.replace(a, b))) or (b in word and is_known(word.replace(b, a)))
        for a, b in _BRITISH
    )


def _variants(a: str, b: str) -> bool:
    """Whether two words are British and American spellings of one word."""
    return any((x in a and a.replace(x, y) == b) or (y in a and a.replace(y, x) == b) for x, y in _BRITISH)


@functools.cache
def _prefixes() -> tuple[str, ...]:
    return tuple(sorted(lexicon.entries("prefixes"), key=len, reverse=True))


@functools.lru_cache(maxsize=65536)
def _prefixed(word: str) -> bool:
    """Whether a lower-case ``word`` is a prefix and a known word ("demining", "rebranded"),
    and not a misspelling of a word more common than that stem ("despire" for "despite")."""
    counts = _symspell().words
    for prefix in _prefixes():
        stem = word[len(prefix) :]
        if word.startswith(prefix) and len(stem) >= 5 and is_known(stem):
            meant = suggest(word)
            return meant is None or counts.get(meant, 0) < counts.get(stem, 0)
    return False


@functools.cache
def _gazetteer() -> tuple[dict[str, str], tuple[str, ...], dict[str, str]]:
    """(form → canonical name, acronym forms, single-word name forms → canonical)."""
    canonical: dict[str, str] = {}
    for row in lexicon.table("organisations"):
        for form in row:
            canonical.setdefault(form, row[0])
    acronyms = tuple(f for f in canonical if f.isupper() and 2 <= len(f) <= 8 and f.isalpha())
    names = {f: c for f, c in canonical.items() if " " not in f and not f.isupper() and len(f) >= 5}
    return canonical, acronyms, names


@functools.cache
def _common_acronyms() -> frozenset[str]:
    return frozenset(w for line in lexicon.entries("acronyms") for w in line.split())


def _fold(word: str) -> str:
    """Lower case without accents: "Québec" and "Quebec" are one spelling."""
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower()


def _is_transposition(a: str, b: str) -> bool:
    if len(a) != len(b) or sorted(a) != sorted(b):
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1


def _acronym_typo(token: Token) -> str | None:
    canonical, acronyms, _ = _gazetteer()
    word = token.text
    if word in canonical or word in _common_acronyms() or len(word) < 3:
        return None
    # An acronym written often on the web is a real one (NCAA, IATA, FSA), not a misspelling
    # of the organisation one letter away (NOAA, IAEA, ESA).
    if zipf(word.lower()) >= 1.5:
        return None
    same_length = [a for a in acronyms if len(a) == len(word)]
    hit = extractOne(word, same_length, scorer=OSA.distance, score_cutoff=1)
    if hit is None:
        return None
    target = hit[0]
    # One letter different is as often another organisation's acronym (USHG / USCG, IFCN /
    # IUCN); two letters swapped is a slip (NKH / NHK, SORH / SOHR).
    return target if _is_transposition(word, target) else None


def _plausible_slip(word: str, meant: str) -> bool:
    """Whether ``word`` reads as a slip for ``meant`` (one edit apart): a transposition, or a
    letter dropped, added or changed after the first one ("Obervatory", "Twiitter"), and not
    a plural or possessive of it."""
    if word[0].lower() != meant[0].lower() or word.lower() in (meant.lower() + "s", meant.lower() + "es"):
        return False
    return _is_transposition(word, meant) or OSA.distance(word, meant, score_cutoff=1) <= 1


@functools.lru_cache(maxsize=65536)
def _name_typo(word: str) -> str | None:
    """The gazetteer's organisation one letter from a capitalised ``word`` nobody writes."""
    _, _, names = _gazetteer()
    if word in names or len(word) < 6 or zipf(word.lower()) >= 1.5:
        return None
    hit = extractOne(word, names.keys(), scorer=OSA.distance, score_cutoff=1)
    if hit is None or hit[0].startswith(word) or word.startswith(hit[0]):
        return None
    target: str = hit[0]
    if not _plausible_slip(word, target):
        return None
    # One letter changed in a short name is as often another name ("Hamah" / "Hamas").
    if len(word) == len(target) and not _is_transposition(word, target) and len(word) < 7:
        return None
    return target


# Day and month names: a closed class, so a capitalised non-word with their letters shuffled
# ("Wedesnday", "Thrusady") or one letter dropped or added is that name mistyped.
_CALENDAR = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@functools.lru_cache(maxsize=65536)
def _famous_word_typo(word: str) -> str | None:
    """A famous name or common word one letter dropped or swapped from a capitalised ``word``
    that wordfreq does not know as a name ("Franciso", "Illiois", "Obervatory"), or a day or
    month name two edits off ("Wedesnday")."""
    lower = word.lower()
    if len(word) < 6 or zipf(lower) >= _NAME_ZIPF:
        return None
    if zipf(lower) == 0:
        hit = extractOne(word, _CALENDAR, scorer=OSA.distance, score_cutoff=2)
        # Letters shuffled ("Wedesnday") or one dropped, added or swapped ("Tuesdy"); a letter
        # changed is as often a name ("Fridas", "Marjeh" for March, "Mavrck").
        if (
            hit is not None
            and hit[0][0] == word[0]
            and (sorted(hit[0]) == sorted(word) or (abs(len(hit[0]) - len(word)) == 1 and hit[1] == 1))
        ):
            return str(hit[0])
    guess = suggest(lower, dropped_or_swapped=True)
    if guess is None or zipf(guess) < _FAMOUS_ZIPF or zipf(guess) - zipf(lower) < 2.0:
        return None
    if not _plausible_slip(lower, guess) or lower.startswith(guess) or guess.startswith(lower):
        return None
    return guess.capitalize()


@functools.lru_cache(maxsize=65536)
def _capitalised_word_typo(word: str) -> str | None:
    """A common word with a letter added, capitalised at the start of a sentence ("Callying"
    for "Calling"), when wordfreq knows neither it nor a name like it."""
    lower = word.lower()
    if len(word) < 6 or zipf(lower) > 0:
        return None
    guess = suggest(lower)
    if (
        guess is None
        or zipf(guess) < 4.0
        or _slip(lower, guess) not in ("add", "double")
        or _own_word(lower, guess)
    ):
        return None
    return guess.capitalize()


_POSSESSIVE = re.compile(r"['’]s?$")


class _FullNames(NamedTuple):
    """Famous people's and organisations' names of two words or more (`_full_names`)."""

    #: (word, first letter of the name's word before it, of the word after it) → ((rank,
    #: position of the word, the name's words), ...), the rank being the order in which
    #: `_full_name_typos` tries them. A letter is in lower case; None where the name has no
    #: word before or after it.
    names: dict[tuple[str, str | None, str | None], tuple[tuple[int, int, tuple[str, ...]], ...]]
    #: The words the names are indexed by, alone and with a possessive ending.
    anchors: frozenset[str]
    #: Every name as written.
    full: frozenset[str]


@once
def _full_names() -> _FullNames:
    """Famous people's and organisations' names of two words or more, indexed by each word and
    the first letters of its neighbours in the name.

    A text's words are a name with one word misspelled only if their first letters are the
    name's (`_full_name_slip` takes no slip of a first letter): of the names a word of the
    text is part of, only those whose neighbouring initials the text has too are tried, a
    tenth of them.
    """
    names = set(lexicon.entries("famous_people"))
    names.update(f for row in lexicon.table("organisations") for f in row)
    index: dict[tuple[str, str | None, str | None], list[tuple[int, int, tuple[str, ...]]]] = {}
    full = set()
    # Longest names first, so that a word is reported with the fullest name it is part of.
    for rank, name in enumerate(sorted(names, key=lambda n: (-len(n.split()), n))):
        words = tuple(_POSSESSIVE.sub("", w.strip(",;:()")) for w in name.replace(".", "").split())
        if len(words) < 2:
            continue
        full.add(" ".join(words))
        for i, w in enumerate(words):
            # Very common words ("The", "New", "World") would make every sentence a candidate;
            # the name's other words anchor it.
            if w[0].isupper() and zipf(w.lower()) < 5.3:
                before = words[i - 1][:1].lower() if i else None
                after = words[i + 1][:1].lower() if i + 1 < len(words) else None
                index.setdefault((w, before, after), []).append((rank, i, words))
    # A word of the text is one of them, or one of them with a possessive ending (a word ends
    # in a letter: "Obama's", never "Jesus'").
    anchors = frozenset(w + end for w, _, _ in index for end in ("", "'s", "’s"))
    return _FullNames({key: tuple(v) for key, v in index.items()}, anchors, frozenset(full))


@functools.lru_cache(maxsize=65536)
def _full_name_slip(written: str, meant: str, anchored: bool = False) -> bool:
    """Whether ``written`` is one word of a famous name misspelled: "Untied" (United Nations),
    "Psot" (Washington Post), "Pres" (Associated Press), "Barak" (Barack Obama), and not a
    common word of its own one letter from it ("White Horse") or another spelling of it.
    Between two words of a longer name (``anchored``), a common word is a slip too ("World
    Heath Organization")."""
    if written == meant or len(meant) < 4 or not written.istitle() or not _plausible_slip(written, meant):
        return False
    lower, meant_lower = written.lower(), meant.lower()
    if (
        _fold(written) == _fold(meant)  # "Khloé Kardashian"
        or _variants(lower, meant_lower)
        or lower.replace("ce", "se") == meant_lower.replace("ce", "se")  # "Defence"
    ):
        return False
    if meant_lower == lower + "s":
        # "Associated Pres", but "Revolutionary Guard", "John Hopkins", "NBC New York".
        return meant_lower.endswith("ss")
    if lower[:-1] == meant_lower or meant_lower[:-1] == lower:
        return False  # another ending, another word: "Syria Democratic Forces"
    return anchored or _is_transposition(lower, meant_lower) or zipf(lower) < 3.0


def _full_name_typos(field: Field) -> list[tuple[Token, str]]:
    """Words of famous full names misspelled in ``field``, with the name meant."""
    _, anchors, full = _full_names()
    texts = [t.text for t in field.tokens if t.kind == "word"]
    words: list[Token] | None = None
    text = field.text
    found: dict[int, tuple[Token, str]] = {}
    # Few words are a word of a famous name (or its possessive): they are picked out in one pass.
    for i in compress(range(len(texts)), map(anchors.__contains__, texts)):
        before = texts[i - 1][0].lower() if i else None
        after = texts[i + 1][0].lower() if i + 1 < len(texts) else None
        for at, name in _names_around(_plain_name(texts[i]), before, after):
            lo, hi = i - at, i - at + len(name)
            if lo < 0 or hi > len(texts):
                continue
            written = [_plain_name(w) for w in texts[lo:hi]]
            off = [k for k in range(len(name)) if written[k] != name[k]]
            if len(off) != 1:
                continue
            k = off[0]
            # The word test first: one word off is nearly always another name ("Bank of
            # England" beside "Bank of America"), which it rejects from its cache.
            if not _full_name_slip(written[k], name[k], len(name) >= 3) or " ".join(written) in full:
                continue
            if words is None:
                words = [t for t in field.tokens if t.kind == "word"]
            span = words[lo:hi]
            # The words of a name are written next to each other ("George W. Bush").
            if any(text[a.end : b.start].strip(" .") for a, b in zip(span, span[1:], strict=False)):
                continue
            if span[k].start not in found:
                found[span[k].start] = (span[k], " ".join(name))
    return list(found.values())


@functools.lru_cache(maxsize=65536)
def _names_around(
    word: str, before: str | None, after: str | None
) -> tuple[tuple[int, tuple[str, ...]], ...]:
    """The famous names ``word`` is a word of, as (its position, the name's words), that can
    be the words around it: the name's word before it starts with the letter ``before`` (or
    there is none), the one after it with ``after``; in the order `_full_name_typos` tries them.
    """
    names = _full_names().names
    hits = [hit for b in {None, before} for a in {None, after} for hit in names.get((word, b, a), ())]
    return tuple((at, name) for _, at, name in sorted(hits))


def _plain_name(word: str) -> str:
    """``word`` without a possessive ending ("Obama's")."""
    return _POSSESSIVE.sub("", word) if "'" in word or "’" in word else word


def _starts_sentence(field: Field, start: int) -> bool:
    """Whether a word at ``start`` begins a sentence of ``field`` and no capitalised word
    follows it, as would a surname."""
    if not field.sentences or field.sentences[field.sentence_index(start)].start != start:
        return False
    rest = field.text[start:].split(None, 2)
    return len(rest) < 2 or not rest[1][:1].isupper()


def _short_quotes(text: str) -> list[tuple[int, int]]:
    """Offsets of the short quotations (one to three words) in ``text``."""
    return [m.span(1) for m in _SHORT_QUOTE.finditer(text) if len(m.group(1).split()) <= 3]


def _quoted(spans: list[tuple[int, int]], start: int) -> bool:
    return any(a <= start < b for a, b in spans)


def _word_parts(word: str) -> tuple[tuple[int, str], ...]:
    """Offsets in ``word`` and text of its parts, split on hyphens and apostrophes."""
    out = []
    pos = 0
    for part in _SPLIT.split(word):
        if part and _LETTERS.match(part) and part.lower() not in ("s", "t", "ll", "re", "ve", "d", "m"):
            out.append((pos, part))
        pos += len(part) + 1
    return tuple(out)


def _known_name(part: str) -> bool:
    """Whether a capitalised word (or part of one) is a known word, or a name spelled as one
    ("Québec", "Harwood"), not checked further."""
    lower = part.lower()
    return bool(
        is_known(lower)
        or _british(lower)
        or is_known(_fold(part))
        or _lost_apostrophe(lower)
        or _MOJIBAKE.search(part)
    )


@functools.lru_cache(maxsize=65536)
def _counted_names(word: str) -> tuple[tuple[int, str], ...] | None:
    """All that `analyse` does with ``word`` when that is only counting names in it: the parts
    it counts (title-case, five letters or more, each a known word or name) with their offsets
    in ``word``, or none for a known word in capitals or with an apostrophe. None for any other
    word, which `analyse` checks step by step.

    These are the words that its steps find nothing in: not a lower-case word, "Lets", a word
    in capitals or with an apostrophe that is not a known word, a word with the shift key
    slipped ("THe"), nor one with a lower-case part of three letters or more.
    """
    if (word.islower() and word.isalpha()) or word == "Lets":
        return None
    if "'" in word or "’" in word:
        return () if is_known(word.lower().replace("’", "'")) else None
    if word.isupper() and word.isalpha() and len(word) <= 8:
        return () if is_known(word.lower()) else None
    if _SHIFTED.match(word) and zipf(word.lower()) >= _SHIFTED_ZIPF and word.lower() in frequent_words():
        return None
    counted = []
    for offset, part in _word_parts(word):
        if not part[0].isupper():
            if len(part) >= 3 and part.islower():
                return None
        elif part.istitle() and len(part) >= 5:
            if not _known_name(part):
                return None
            counted.append((offset, part))
    return tuple(counted)


def _vowel_for_vowel(a: str, b: str) -> bool:
    diff = [k for k in range(len(a)) if a[k] != b[k]]
    return len(diff) == 1 and a[diff[0]] in _VOWELS and b[diff[0]] in _VOWELS


def _next_key_off_a_name(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ in one letter, by a key next to the other, and one is a
    well-known name or word and the other one wordfreq does not know at all ("Obams")."""
    diff = [k for k in range(len(a)) if a[k] != b[k]]
    if len(diff) != 1 or b[diff[0]].lower() not in _KEYS.get(a[diff[0]].lower(), ""):
        return False
    za, zb = zipf(a.lower()), zipf(b.lower())
    return min(za, zb) == 0 and max(za, zb) >= _FAMOUS_ZIPF


def _two_spellings(
    proper: Counter[str], beside: dict[str, set[str]], flagged: set[str]
) -> list[tuple[str, str]]:
    """Names spelled two ways in one article: (the wrong spelling, the right one).

    Two spellings beside the same name (Sergei / Sergey Shoigu) are one name: the one the
    article writes less is wrong. Otherwise the wrong one is the spelling wordfreq knows less
    (Mullholland / Mulholland), or, when it knows neither, the one the article uses less
    (Kafraya / Kafarya); two spellings it knows about as well are two names (Bashir / Bashar,
    Osama / Obama), and so are two names beside different names (Roy Romer / Tim Roemer).
    """
    out = []
    famous = _full_names().full
    forms = sorted(proper, key=lambda f: (-proper[f], f))
    # Only two spellings with the same first letter can be one name: each form is paired with
    # the later forms of its initial's group, in the order of `forms`, rather than going
    # through every pair of an article's hundreds of capitalised words.
    by_initial: dict[str, list[str]] = {}
    position: dict[str, int] = {}
    for form in forms:
        group = by_initial.setdefault(form[0], [])
        position[form] = len(group)
        group.append(form)
    for a in forms:
        for b in by_initial[a[0]][position[a] + 1 :]:
            # Most pairs are far apart: that test first (the others below need it to pass too).
            if OSA.distance(a, b, score_cutoff=1) > 1:
                continue
            same = beside.get(a, set()) & beside.get(b, set())
            # A surname with and without a final "s" after the same given name is one name
            # spelled two ways ("Kahran Meyers" / "Kahran Meyer"); elsewhere they are a name and
            # its plural or possessive ("the Obamas", "Syrias").
            plural = (
                (a == b + "s" or b == a + "s")
                and any(n[0] == "<" for n in same)
                and zipf(min(a, b, key=len).lower()) < 4.0  # "House Democrat(s)", "Toho Cinema(s)"
            )
            if ((a.startswith(b) or b.startswith(a)) and not plural) or _fold(a) == _fold(b):
                continue
            # One consonant for another makes another name (Aswad / Assad, Menendez / Melendez),
            # unless it is the key beside it and turns a well-known name into one nobody writes
            # (Obams / Obama).
            if (
                len(a) == len(b)
                and not _is_transposition(a, b)
                and not _vowel_for_vowel(a, b)
                and not _next_key_off_a_name(a, b)
            ):
                continue
            za, zb = zipf(a.lower()), zipf(b.lower())
            if beside.get(a) and beside.get(b) and not same:
                continue
            # Relatives whose names differ by a letter (Ivana and Ivanka Trump).
            if any(f"{a} {n[1:]}" in famous and f"{b} {n[1:]}" in famous for n in same if n[0] == ">"):
                continue
            if same and abs(za - zb) < 0.9 and proper[a] != proper[b]:
                right, wrong = a, b
            elif same and za != zb and (abs(za - zb) < 0.9 or min(za, zb) < 2.5):
                right, wrong = (a, b) if za > zb else (b, a)
            elif za == zb == 0 and proper[a] > proper[b]:
                right, wrong = a, b
            # Two letters swapped in a name is a slip even when wordfreq knows both spellings
            # (Merkle / Merkel), but not beside a common word (Greta / Great, Appel / Apple).
            elif za - zb >= 0.9 and (zb < 2.5 or (_is_transposition(a, b) and zb < 3.0 and za < 4.5)):
                right, wrong = a, b
            elif zb - za >= 0.9 and (za < 2.5 or (_is_transposition(a, b) and za < 3.0 and zb < 4.5)):
                right, wrong = b, a
            else:
                continue
            # "Syria's" scraped as "Syrias" beside "Syrian"; "Sanders" and "Sander".
            if wrong[-1] == "s" and (wrong[:-1] in proper or is_known(wrong[:-1].lower())):
                continue
            if wrong not in flagged and not _variants(wrong.lower(), right.lower()):
                out.append((wrong, right))
                flagged.add(wrong)
    return out


def analyse(doc: Doc) -> SignalResult:
    """Find misspelled words and names in ``doc``.

    Examples
    --------
    >>> from quality.article import Article
    >>> from quality.doc import make_doc
    >>> r = analyse(make_doc(Article("T", "Japan's broadcaster NKH said the goverment agreed.")))
    >>> [(e.text, e.note) for e in r.evidence]
    [('NKH', 'NKH: likely NHK'), ('goverment', 'goverment: likely government')]
    """
    evidence: list[Evidence] = []
    checked = 0
    misspelled = 0
    proper: Counter[str] = Counter()
    # Where each capitalised word is written: a name spelled two ways is flagged wherever the
    # wrong spelling stands, and counted once.
    seen_at: dict[str, list[tuple[Field, int]]] = {}
    known = frequent_words()
    plain_known = _plain_words()
    apostrophes: bool | None = None  # whether the article writes "don't" with its apostrophe

    def writes_apostrophes() -> bool:
        nonlocal apostrophes
        if apostrophes is None:
            apostrophes = _writes_apostrophes(doc)
        return apostrophes

    # The capitalised words written right before (<) and after (>) a name: its rare given name
    # or its surname.
    beside: dict[str, set[str]] = {}
    # Capitalised words one letter off a famous word, flagged below if the article writes them
    # once: a spelling repeated all through an article is a real name ("Francesco Scorpo").
    odd_names: list[tuple[Field, int, str, str]] = []
    name_spans: list[tuple[Field, int, int, str]] = []
    for field in doc.fields:
        quotes: list[tuple[int, int]] | None = None
        for token, meant in _full_name_typos(field):
            name_spans.append((field, token.start, token.end, f"{token.text}: likely {meant}"))
        tokens = field.tokens
        texts = [t.text for t in tokens]
        slipped = _real_word_slip_spans(field.text)
        slip_starts = {start for start, _, _ in slipped}
        slipped += [s for s in _grammar.slips(field.text, writes_apostrophes) if s[0] not in slip_starts]
        for start, end, meant in slipped:
            misspelled += 1
            slip = field.text[start:end]
            note = f"{slip}: likely {meant.capitalize() if slip[0].isupper() else meant}"
            evidence.append(field.evidence("typos", "typos.misspelled_per_100w", start, end, note))
        # Most words are plain words of the dictionary, only counted (those of three letters or
        # more); the loop visits the other tokens.
        dictionary = list(map(plain_known.get, texts))
        checked += dictionary.count(True)
        for i in [i for i, d in enumerate(dictionary) if d is None]:
            token = tokens[i]
            if token.kind != "word":
                continue
            # The word right before this one, if it is a word.
            before = tokens[i - 1] if i and tokens[i - 1].kind == "word" else None
            text = texts[i]
            plain = text.islower() and text.isalpha()
            if (
                plain
                and len(text) <= 3
                and (common := _function_word_slip(text)) is not None
                and _amid_english(field, i)
            ):
                misspelled += 1
                note = f"{text}: likely {common}"
                evidence.append(
                    field.evidence("typos", "typos.misspelled_per_100w", token.start, token.end, note)
                )
                continue
            if (
                before is not None
                and text[0].isupper()
                and before.text[0].isupper()
                and before.end + 1 == token.start
                and field.text[before.end] == " "
                and text.istitle()
                and before.text.istitle()
            ):
                # A common word before a name is a title or starts the sentence ("President",
                # "But"), which two different people share.
                if zipf(before.text.lower()) < 3.5:
                    beside.setdefault(token.text, set()).add("<" + before.text)
                beside.setdefault(before.text, set()).add(">" + token.text)
            counted = _counted_names(text)
            if counted is not None:
                # Most capitalised words: known words and names, only counted (the steps below
                # find nothing else to do with them).
                if token.start and field.text[token.start - 1] in _HANDLE:
                    continue
                for offset, part in counted:
                    proper[part] += 1
                    seen_at.setdefault(part, []).append((field, token.start + offset))
                continue
            if (
                text.isalpha()
                and (
                    (plain and (contracted := _contraction(text)) is not None)
                    # "Lets face it": a sentence cannot start with the verb "lets".
                    or (text == "Lets" and _starts_sentence(field, token.start) and (contracted := "let's"))
                )
                and writes_apostrophes()
            ):
                misspelled += 1
                contracted = contracted.capitalize() if text[0].isupper() else contracted
                note = f"{text}: likely {contracted}"
                evidence.append(
                    field.evidence("typos", "typos.misspelled_per_100w", token.start, token.end, note)
                )
                continue
            if plain and (len(text) < 3 or is_known(text)):
                checked += len(text) >= 3
                continue
            if text.isupper() and text.isalpha() and len(text) <= 8:
                if is_known(text.lower()):
                    continue  # a shouted word ("YOU MAY ALSO LIKE", "HIT", "AND")
                target = _acronym_typo(token)
                if target:
                    name_spans.append((field, token.start, token.end, f"{text}: likely {target}"))
                elif (shouted := _shouted_typo(text.lower())) is not None:
                    misspelled += 1
                    note = f"{text}: likely {shouted.upper()}"
                    evidence.append(
                        field.evidence("typos", "typos.misspelled_per_100w", token.start, token.end, note)
                    )
                continue
            if (
                not plain
                and _SHIFTED.match(text)
                and zipf(text.lower()) >= _SHIFTED_ZIPF
                and text.lower() in known
            ):
                misspelled += 1
                meant = text.lower() if text[0].islower() else text.capitalize()
                note = f"{text}: likely {meant}"
                evidence.append(
                    field.evidence("typos", "typos.misspelled_per_100w", token.start, token.end, note)
                )
                continue
            if "'" in text or "’" in text:
                if is_known(text.lower().replace("’", "'")):
                    continue  # contractions: "hasn't", "they're"
            if token.start and field.text[token.start - 1] in _HANDLE:
                continue
            for offset, part in _word_parts(text):
                start = token.start + offset
                lower = part.lower()
                if part[0].isupper():
                    if not part.istitle() or len(part) < 5:
                        continue
                    proper[part] += 1
                    seen_at.setdefault(part, []).append((field, start))
                    if _known_name(part):
                        continue
                    target = _name_typo(part)
                    if target:
                        name_spans.append((field, start, start + len(part), f"{part}: likely {target}"))
                    elif (guess := _famous_word_typo(part)) is not None or (
                        _starts_sentence(field, start) and (guess := _capitalised_word_typo(part)) is not None
                    ):
                        odd_names.append((field, start, part, guess))
                    continue
                if len(part) < 3 or not part.islower():
                    continue
                checked += 1
                # Part of a compound: "off-roading", "papier-mâché", "ack-acking".
                if len(part) < 8 and len(part) < len(token.text):
                    continue
                if (
                    is_known(lower)
                    or _british(lower)
                    or not _LATIN.match(part)  # other scripts are not spell-checked
                    or is_known(_fold(part))  # "café" is "cafe"
                    or _prefixed(lower)
                    or _lost_apostrophe(lower)
                    or _MOJIBAKE.search(part)
                ):
                    continue
                if quotes is None:
                    quotes = _short_quotes(field.text)
                if _quoted(quotes, start):
                    continue
                # A word with no English word one slip away is a rare word, a name, a handle
                # or two words run together in scraping ("perjurious", "wascautious") far more
                # often than a misspelling.
                guess = (
                    _more_frequent_neighbour(lower)
                    if lower in _wordfreq()
                    else suggest(lower) or _wordfreq_neighbour(lower)
                )
                kind = _slip(lower, guess) if guess else None
                if (
                    kind is None
                    and guess
                    and guess[1:] == lower
                    and len(lower) >= 6
                    and lower not in _wordfreq()
                    and zipf(guess) >= _FIRST_LETTER_ZIPF
                    and not (start and field.text[start - 1] == "]")  # "[r]emaining"
                ):
                    # A first letter lost from a common long word ("eported"): a word no list
                    # knows is not another word, as "under" is for "funder".
                    kind = "drop"
                if (
                    guess is None
                    or kind is None
                    or (len(lower) < 5 and kind not in ("swap", "double"))
                    or _own_word(lower, guess)
                    or _run_together(lower)
                ):
                    continue
                misspelled += 1
                note = f"{part}: likely {guess}"
                evidence.append(
                    field.evidence("typos", "typos.misspelled_per_100w", start, start + len(part), note)
                )

    for field, start, part, guess in odd_names:
        if proper[part] == 1:
            name_spans.append((field, start, start + len(part), f"{part}: likely {guess}"))
    flagged = {field.text[start:end] for field, start, end, _ in name_spans}
    repeats: set[tuple[str, int]] = set()
    for wrong, right in _two_spellings(proper, beside, flagged):
        # A spelling the article writes more often than the right one is flagged once: it
        # may be the name as its owner spells it ("Ahmad Khan Rahami", "Aarogya Setu").
        at = seen_at[wrong] if proper[wrong] <= proper[right] else seen_at[wrong][:1]
        for k, (field, start) in enumerate(at):
            name_spans.append(
                (field, start, start + len(wrong), f"{wrong}: likely {right} (also in this article)")
            )
            if k:
                repeats.add((field.name, start))

    seen: set[tuple[str, int]] = set()
    names = 0
    for field, start, end, note in sorted(name_spans, key=lambda s: (s[0].name != "title", s[1])):
        if (field.name, start) not in seen:
            seen.add((field.name, start))
            names += (field.name, start) not in repeats
            evidence.append(field.evidence("typos", "typos.misspelled_names", start, end, note))
    evidence.sort(key=lambda e: (e.field != "title", e.start))

    n = max(doc.n_words, 1)
    features = {
        "typos.misspelled_per_100w": 100.0 * misspelled / n if doc.n_words else 0.0,
        "typos.misspelled_names": float(names),
    }
    rate = misspelled / checked if checked else 0.0
    # One misspelled name or a 1% misspelling rate is already a clear sign of careless copy.
    score = 1.0 - math.exp(-(1.2 * names + 60.0 * rate)) if checked or names else 0.0
    return SignalResult("typos", score, features, tuple(evidence))
