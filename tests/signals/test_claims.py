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


def test_the_claim_model_decides_which_sentences_are_claims():
    doc = make_doc(
        Article(title="T", body="The harbour is the oldest in the region. Rooms cost 40 euros a night.")
    )
    as_model_says = claims.analyse(doc, claim_probabilities=[0.9, 0.1])
    assert [e.text for e in as_model_says.evidence] == ["The harbour is the oldest in the region."]
    assert as_model_says.evidence[0].note == "unattributed claim (check-worthy)"
    by_rules = claims.analyse(doc)
    assert [e.text for e in by_rules.evidence] == ["Rooms cost 40 euros a night."]


def test_accusations_stay_claims_whatever_the_model_says():
    doc = make_doc(Article(title="T", body="The mayor secretly funded the militia for years."))
    assert len(claims.analyse(doc, claim_probabilities=[0.01]).evidence) == 1


def test_the_shipped_claim_model_rates_facts_above_chatter(model):
    p = model.claim_model.predict_proba(
        ["Unemployment fell to 4.1 percent in March.", "Thank you all for coming tonight."]
    )[:, 1]
    assert p[0] >= 0.5 > p[1]
