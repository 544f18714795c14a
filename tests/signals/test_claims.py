from __future__ import annotations

import pytest

from quality.article import Article
from quality.doc import make_doc
from quality.signals import claims
from tests import resources as R


def _run(body: str):
    return claims.analyse(make_doc(Article(title="T", body=body)))


def test_hedged_accusation_is_flagged_as_a_whole_sentence():
    r = _run(R.HEDGED)
    assert [(e.text, e.note) for e in r.evidence] == [(R.HEDGED, "hedged speculation: 'seems'")]


def test_vague_source_is_flagged():
    r = _run(R.VAGUE)
    assert [e.note for e in r.evidence] == ["vague source: 'Some reports suggest'"]


def test_unattributed_numbers_causes_and_accusations_are_flagged():
    r = _run(R.UNATTRIBUTED)
    assert [e.note for e in r.evidence] == ["unattributed claim (cause)", "unattributed claim (accusation)"]
    assert r.features["unsupported_claims.unattributed_ratio"] == 1.0


def test_attributed_claims_are_supported():
    r = _run(R.ATTRIBUTED)
    assert r.evidence == ()
    assert r.score == 0.0


def test_an_attribution_in_the_next_sentence_supports_a_claim():
    r = _run("The mill closed 40 years ago. That is what the town's museum says in its guide.")
    assert r.evidence == ()


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("The factory makes 2,000 drones a month.", "number"),
        ("Prices rose because the harvest failed last year.", "cause"),
        ("The minister secretly funded the militia for years.", "accusation"),
        ("What will the council decide next week?", None),
        ("Short line.", None),
    ],
    ids=["number", "cause", "accusation", "question", "too short"],
)
def test_is_claim(sentence, kind):
    assert claims.is_claim(sentence) == kind


def test_seed_000_african_women_claim_is_unsupported(seed_reports):
    hits = [e for e in seed_reports["000"].evidence if e.signal == "unsupported_claims"]
    assert any("seems to be targeting African women" in e.text for e in hits)
