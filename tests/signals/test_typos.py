from __future__ import annotations

import pytest

from quality.article import Article
from quality.doc import make_doc
from quality.lexicon import table
from quality.signals import typos
from tests import resources as R


def _found(body: str, title: str = "Plain headline about a plan") -> dict[str, str]:
    r = typos.analyse(make_doc(Article(title=title, body=body)))
    return {e.text: e.note for e in r.evidence}


def test_nkh_is_flagged_as_a_typo_of_nhk():
    assert _found(R.TYPO_NKH) == {"NKH": "NKH: likely NHK"}


def test_a_correct_nhk_is_not_flagged():
    assert _found(R.CORRECT_NHK) == {}


@pytest.mark.parametrize(
    ("body", "word", "intended"),
    [
        (R.MISSPELLED_WORDS, "goverment", "government"),
        (R.MISSPELLED_WORDS, "recieve", "receive"),
        ("Officials met in Bejing on Monday to sign the deal.", "Bejing", "Beijing"),
        ("The agency Reuetrs reported the figures on Monday.", "Reuetrs", "Reuters"),
        ("Talks resume in Febuary, the ministry said.", "Febuary", "February"),
        ("The rally went ahead despire the rain.", "despire", "despite"),
        ("The final reporte was published on Monday.", "reporte", "report"),
    ],
    ids=[
        "dropped letter",
        "swapped letters",
        "misspelled capital city",
        "misspelled agency",
        "misspelled month",
        "a prefix and a rare word, one letter off a common one",
        "a prefix and a rare word, one letter more than a common one",
    ],
)
def test_misspellings_are_flagged_with_the_intended_form(body, word, intended):
    notes = _found(body)
    assert word in notes
    assert intended.lower() in notes[word].lower()


def test_two_spellings_of_one_name_flag_the_rarer_one():
    notes = _found(R.NAME_VARIANTS)
    assert notes == {"Sergey": "Sergey: likely Sergei (also in this article)"}


@pytest.mark.parametrize(
    "body",
    [
        R.CLEAN_PROPER_NOUNS,
        "The organisation's colour scheme was criticised by the labour union.",
        "The theater's labor costs rose; the organization's color scheme changed.",
        "Officials in Zürich and Zurich airport staff agreed; Québec and Quebec City too.",
        "Iran and Iraq signed the deal; John and Joan Smith attended.",
        "He hasn't said whether they'll attend, but it's likely.",
        "YOU MAY ALSO LIKE TO WATCH THIS STORY",
        "The demining teams declassified the maps; the firm rebranded and users unfollowed it.",
    ],
    ids=[
        "proper nouns, acronyms and URLs",
        "British spellings",
        "American spellings",
        "accents",
        "two real names",
        "contractions",
        "shouted words",
        "prefixed words",
    ],
)
def test_clean_text_has_no_typos(body):
    assert _found(body) == {}


def test_the_gazetteer_has_at_least_300_organisations_with_nhk():
    rows = table("organisations")
    assert len(rows) >= 300
    assert any(row[0] == "NHK" for row in rows)


def test_misspelling_rate_is_per_100_words():
    r = typos.analyse(make_doc(Article(title="T", body="teh " + "word " * 99)))
    assert r.features["typos.misspelled_per_100w"] == pytest.approx(1.0)
    assert r.score > 0.4


def test_seed_002_nkh_flagged_and_000_003_nhk_not(seed_reports):
    notes = {e.text: e.note for e in seed_reports["002"].evidence if e.signal == "typos"}
    assert notes.get("NKH") == "NKH: likely NHK"
    for key in ("000", "003"):
        assert not [e for e in seed_reports[key].evidence if e.signal == "typos" and "NHK" in e.text]
