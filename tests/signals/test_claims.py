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
        Article(
            title="T", body="The harbour at Port Ellen is the oldest on Islay. Rooms cost 40 euros a night."
        )
    )
    as_model_says = claims.analyse(doc, claim_probabilities=[0.9, 0.1])
    assert [e.text for e in as_model_says.evidence] == ["The harbour at Port Ellen is the oldest on Islay."]
    assert as_model_says.evidence[0].note == "unattributed claim (check-worthy)"
    by_rules = claims.analyse(doc)
    assert [e.text for e in by_rules.evidence] == ["Rooms cost 40 euros a night."]


def test_an_accusation_is_a_claim_when_the_claim_model_rates_it_check_worthy():
    """The rules alone flag an accusation; with the model, it needs the model's 0.8 as any claim
    does (on the dev half, rule-found accusations and causes the model rated below 0.6 held up
    half the time), and keeps its name."""
    doc = make_doc(Article(title="T", body="The mayor secretly funded the militia for years."))
    assert [e.note for e in claims.analyse(doc).evidence] == ["unattributed claim (accusation)"]
    assert claims.analyse(doc, claim_probabilities=[0.5]).evidence == ()
    assert [e.note for e in claims.analyse(doc, claim_probabilities=[0.85]).evidence] == [
        "unattributed claim (accusation)"
    ]


def test_the_shipped_claim_model_rates_facts_above_chatter(model):
    p = model.claim_model.predict_proba(
        ["Unemployment fell to 4.1 percent in March.", "Thank you all for coming tonight."]
    )[:, 1]
    assert p[0] >= 0.5 > p[1]


def test_a_sentence_too_short_to_be_a_claim_needs_no_rating(model, seeds):
    """`analyse_many` asks the claim model only about sentences that `claims.needs_rating`, and
    gives the others 0: whatever the model would say of them, the signal reads the same."""
    from quality.signals import analyse_many

    bodies = [a.body for a in seeds.values()] + [R.SOURCED, R.UNATTRIBUTED, R.HEDGED, R.FILLER]
    bodies.append("Read more. Prices rose 40% in May. Why? It rained. The mayor lied about it all year.")
    articles = [Article(title="T", body=b) for b in bodies]
    docs = [make_doc(a) for a in articles]
    short = 0
    for doc, together in zip(docs, analyse_many(articles, claim_model=model.claim_model), strict=True):
        texts = [s.text for s in doc.body.sentences]
        rated = model.claim_model.predict_proba(texts)[:, 1].tolist()
        results = [
            claims.analyse(
                doc,
                claim_probabilities=[
                    p if claims.needs_rating(t) else fill for p, t in zip(rated, texts, strict=True)
                ],
            )
            for fill in (0.0, 1.0)
        ]
        assert results[0] == results[1] == claims.analyse(doc, claim_probabilities=rated)
        assert together["unsupported_claims"] == results[0]
        short += sum(not claims.needs_rating(t) for t in texts)
    assert short >= 5


def _flagged(body: str) -> list[str]:
    return [e.text for e in _run(body).evidence]


@pytest.mark.parametrize(
    "body",
    [
        'The manager spoke on Monday. "The factory secretly doubled its output because of the war."',
        "Ana Ruiz spoke on Monday. “Some reports suggest the plant will close. It seems to lose money.”",
        "The mayor was blunt. “Taxes rose 40 percent because of the stadium.\n\n“Nobody knew.”",
        "Ruiz called the plan “a scheme to hide 2 million euros in losses from the voters.”",
    ],
    ids=[
        "a quotation is no claim of the writer's",
        "a vague source or a hedge inside a quotation is the speaker's",
        "a quotation running over sentences and paragraphs is speech throughout",
        "a sentence reporting a long quotation is attributed",
    ],
)
def test_quoted_speech_is_not_an_unattributed_claim(body):
    assert _flagged(body) == []


def test_a_scare_quote_leaves_the_writers_claim_flagged():
    assert _flagged("The company fired 300 “redundant” workers because of the new tax.") != []


@pytest.mark.parametrize(
    "body",
    [
        "The factory doubled its output because of the war[1].",
        "The factory doubled its output because of the war [2][4].",
        "The factory doubled its output because of the war. Sales fell 20 percent in May [3].",
    ],
    ids=["a marker after the words", "two markers", "a marker in the next sentence"],
)
def test_a_citation_marker_supports_its_sentence(body):
    assert _flagged(body) == []


@pytest.mark.parametrize(
    "body",
    [
        "The plant closed.\nSources:\n[1] The Guardian: “Why 25,000 workers were sent because of the war”",
        "The plant closed.\nTags: - war - fraud - drones - 25,000 workers - crime",
        "Why 25,000 Workers Were Sent Because Of The War\nThe plant closed.",
        "Workers leave the plant on May 3, 2020, because of the war. John Smith/Getty Images",
        "Image result for 25,000 workers killed in the drone factory blast",
        "Some Reports Suggest The Factory Is Closing\nThe plant closed.",
    ],
    ids=[
        "a source list",
        "a tag line",
        "a heading",
        "a captioned photo",
        "image alt text",
        "a Title Case heading",
    ],
)
def test_headings_captions_tags_and_source_lists_are_not_claims(body):
    assert _flagged(body) == []


def test_a_sentence_broken_by_a_stray_line_break_is_still_prose():
    assert _flagged("The mayor secretly moved 2 million euros\nto a private account in March.") != []


@pytest.mark.parametrize(
    "verb",
    [
        "disclosed",
        "revealed",
        "announced",
        "confirmed",
        "noted",
        "stated",
        "explained",
        "wrote",
        "tweeted",
        "posted",
    ],
)
def test_a_reporting_verb_attributes_the_claim(verb):
    assert _flagged(f"Budanov {verb} that Moscow secretly sent 300 engineers because of the deal.") == []


def test_a_passive_reporting_verb_names_no_source():
    assert _flagged("It was announced that Moscow secretly sent 300 engineers because of the deal.") != []


def test_the_writers_own_experience_is_no_claim_to_source():
    assert _flagged("I drove 300 miles to the plant in May because of the closure.") == []


@pytest.mark.parametrize(
    "body",
    [
        "Within days we moved 90 percent of our visits to the phone.",
        "So will 40,000 fans fill the stadium in May?",
    ],
    ids=["the writer's team speaking", "a question"],
)
def test_first_person_plural_and_questions_are_no_claims_even_for_the_claim_model(body):
    doc = make_doc(Article(title="T", body=body))
    assert claims.analyse(doc, claim_probabilities=[0.99]).evidence == ()


def _flagged_by_model(body: str, p: float = 0.9) -> list[str]:
    doc = make_doc(Article(title="T", body=body))
    return [e.text for e in claims.analyse(doc, claim_probabilities=[p] * len(doc.body.sentences)).evidence]


@pytest.mark.parametrize(
    "body",
    [
        "A Gallup poll last week found Ortiz and Lind level at 45 percent.",
        "The Ledger reports that Ortiz moved 3 million euros to Malta.",
        "In the hours before the vote two clerks spoke to Reuters about the 40 missing ballots.",
        "Ortiz falsely claims that the Lind plan costs 9 billion euros.",
        "The Halden Clinic urged Ortiz to release the 12 files.",
        "Court records show Ortiz came to Norway in 2007.",
        "Rival outlets hit back on Tuesday, with Lind saying the 2 letters were forged.",
    ],
    ids=[
        "a poll found",
        "an outlet reports that",
        "spoke to Reuters",
        "claims that",
        "a speech verb",
        "records show",
        "hit back",
    ],
)
def test_a_named_source_without_a_lexicon_verb_attributes_the_claim(body):
    assert _flagged_by_model(body) == []


def test_an_attribution_carries_over_only_to_a_sentence_pointing_back():
    sourced = "Sales fell 20 percent in May, the Ortiz ministry said."
    assert _flagged_by_model(f"{sourced} It also closed 3 plants in Oslo.") == []
    assert _flagged_by_model(f"{sourced}\n\nThe Lind plant employs 300 people.") != []
    assert _flagged_by_model(f"{sourced} The Lind plant employs 300 people.") != []


@pytest.mark.parametrize(
    "body",
    [
        "26 November 2016 Rocket attacks kill 10 in Aleppo and Idleb.",
        "Fri Apr 29 2016 9 Injured in New Mortar Attacks on Aleppo.",
    ],
    ids=["day month year", "weekday month day year"],
)
def test_a_dated_list_entry_is_a_heading_not_a_claim(body):
    assert _flagged_by_model(body) == []


@pytest.mark.parametrize(
    "body",
    [
        "See for yourself the 2 transcripts Ortiz published and decide.",
        "If you've read the news in May, you know the Lind story.",
        "Add your name to the 40,000 people demanding that Congress act.",
        "For the referee to let 3 fouls like that go would give Lind an unfair edge.",
        "It was not clear how much money the United States gave Oslo in 2020.",
        "Unfortunately, with 3 weeks left, it is up to Ortiz to win Oslo.",
        "This article was originally published on The Harbour Review.",
        "Jane Ortiz is a reporter at Harbour News.",
    ],
    ids=[
        "imperative",
        "the reader addressed",
        "an appeal",
        "a counterfactual",
        "an admitted unknown",
        "a stance adverb",
        "a publication note",
        "an author blurb",
    ],
)
def test_appeals_hypotheticals_unknowns_and_notes_assert_no_fact(body):
    assert _flagged_by_model(body) == []


@pytest.mark.parametrize(
    "body",
    [
        "Milk is even more complicated when it comes to how it moves along the chain.",
        "She is willing to apologise because it makes her look good.",
    ],
    ids=["description", "an opinion with a cause word"],
)
def test_a_sentence_with_no_figure_and_no_names_is_not_checkable(body):
    assert _flagged_by_model(body) == []


def test_an_accusation_needs_no_figure_to_be_a_claim():
    assert _flagged_by_model("The mayor secretly funded the militia for years.") != []


@pytest.mark.parametrize(
    "body",
    [
        "After 10 years of friendship, it seemed odd for Ortiz to miss the Lind wedding.",
        "That is strange to me since they supposedly banned it in 2019.",
        "The rumored help from 3 Lind aides?",
    ],
    ids=["an impression", "the writer's own view", "a question"],
)
def test_impressions_opinions_and_questions_are_no_hedges_or_vague_sources(body):
    assert _flagged_by_model(body) == []


def test_some_people_who_say_nothing_are_no_vague_source():
    r = _run("Some people felt hurt by the columns. Some people say the columns were unfair.")
    assert [e.note for e in r.evidence] == ["vague source: 'Some people say'"]


def test_a_repeated_sentence_is_flagged_once():
    sentence = "Ortiz moved 3 million euros to Malta in 2019."
    assert _flagged_by_model(f"{sentence} {sentence}") == [sentence]


@pytest.mark.parametrize("body", ["", "   ", "\n\n"], ids=["empty", "spaces", "blank lines"])
def test_a_body_without_sentences_has_no_claims(body):
    r = claims.analyse(make_doc(Article("Storm hits coast", body)))
    assert r.score == 0.0 and r.evidence == ()


@pytest.mark.parametrize(
    "body",
    [
        "Rep. Ana Ortiz called out the Lind plan to raise 3 billion euros from the banks.",
        "Jon Lind predicted on Twitter that 40,000 people will leave Oslo by May.",
        "Ortiz tore into the remarks from Monday's debate in Oslo.",
        "The Halden Clinic is warning doctors about 12 cases of a rare illness in Oslo.",
        "Countries like Norway and Chile are calling for an inquiry into the 2 leaks.",
        "Ortiz promised to build 300 ventilators for Oslo by June.",
        "The Lind Institute published a study in the journal Science showing that 40 monkeys were protected.",
        "The Lind study was shared by CNBC anchor Ana Ortiz in 3 tweets.",
        "Lind criticized Ortiz over the 40 missing ballots.",
        "He suggested that the Oslo council delayed the vote by 3 weeks.",
    ],
    ids=[
        "called out",
        "predicted",
        "tore into",
        "is warning",
        "calling for",
        "promised to",
        "published a study",
        "shared by a named source",
        "criticized a named person",
        "suggested that",
    ],
)
def test_a_speech_act_of_a_named_source_is_reported_speech(body):
    assert _flagged_by_model(body) == []


@pytest.mark.parametrize(
    "body",
    [
        "Ortiz resigned after Lind fired the police chief, in an alleged attempt to shield his 2 sons.",
        "In May the Lind fund pledged 100,000 euros in grants to 250 Oslo cafés.",
        "Last year's Oslo edition boasted a prize pool of more than 30 million euros.",
        "On Saturday a blast killed at least 100 people in Oslo, adding urgency to the widely criticized operation.",
        "The Lind government has been criticized over the 3 plants it closed in Oslo.",
    ],
    ids=[
        "an alleged act",
        "money pledged",
        "boasted a prize pool",
        "criticized as an adjective",
        "criticized by no one named",
    ],
)
def test_the_same_words_used_for_acts_and_facts_leave_the_claim(body):
    assert _flagged_by_model(body) != []


@pytest.mark.parametrize(
    "body",
    [
        "The Oslo health board should give Norway one trustworthy source on testing.",
        "Instead, the moderator really should have asked Ortiz why she voted for the war in Oslo.",
        "The fact that he beat an Oslo champion probably makes her hate him all the more.",
        "Now consider the other option, that Ortiz lied to the Oslo court.",
    ],
    ids=[
        "a prescription",
        "what someone should have done",
        "the writer's own estimate",
        "a rhetorical imperative",
    ],
)
def test_the_writers_prescriptions_estimates_and_imperatives_are_opinion(body):
    assert _flagged_by_model(body) == []


def test_an_estimate_about_figures_stays_a_claim():
    assert _flagged_by_model("That probably rules out merging the 2 hubs, 60 kilometres apart.") != []


@pytest.mark.parametrize(
    "body",
    [
        "In an ABC News poll released Sept. 11, Ortiz led Lind 50 percent to 41 percent.",
        "The latest Harbour News Poll, taken from May 11-14, shows Ortiz at 46%.",
        "Ortiz leads among voters under 30 in the new survey, 61% to 30%.",
    ],
    ids=["in a named poll", "a capitalised Poll shows", "in the new survey"],
)
def test_figures_framed_by_their_poll_are_sourced(body):
    assert _flagged_by_model(body) == []


def test_a_sentence_adding_also_takes_the_source_of_the_one_before():
    sourced = "Oil use fell 18 percent in March, researchers said."
    assert _flagged_by_model(f"{sourced} Crude production also fell 5.9 percent in Oslo.") == []
    assert _flagged_by_model(f"{sourced}\n\nCrude production also fell 5.9 percent in Oslo.") != []


def test_a_passage_introduced_by_an_attributed_line_is_a_block_quotation():
    body = "As the Harbour Tribune reported:\n\nEight Lind agents secretly crossed into Oslo on Monday."
    assert _flagged_by_model(body) == []
    assert (
        _flagged_by_model("Here is what we know:\n\nEight Lind agents secretly crossed into Oslo on Monday.")
        != []
    )
    intro = "According to the Oslo survey, 2,500 shows were cancelled. Here is a look at six companies:"
    assert _flagged_by_model(f"{intro}\n\nThe Lind company expects to lose 700,000 euros.") != []


@pytest.mark.parametrize(
    "body",
    [
        "Despite a statement from Oslo Soccer stating that all 23 players must stand, Ortiz knelt.",
        "Union president Ana Lind did confirm that she was receiving 3 similar reports from agents.",
    ],
    ids=["stating that", "did confirm"],
)
def test_more_speech_acts_of_named_sources(body):
    assert _flagged_by_model(body) == []


def test_a_vague_source_speaking_in_the_progressive_is_still_vague():
    r = _run("Calls to helplines rose 891% in May, and experts are warning of a crisis in Oslo.")
    assert [e.note for e in r.evidence] == ["vague source: 'experts are warning'"]


@pytest.mark.parametrize(
    "body",
    [
        "Elmer Lind, his lawyer, added Ortiz has a history of 3 illnesses.",
        "Two observational studies of 400 Oslo patients suggested the drug has little effect.",
    ],
    ids=["added and a name", "studies suggested"],
)
def test_a_lawyer_adding_and_studies_suggesting_are_sources(body):
    assert _flagged_by_model(body) == []


def test_several_studies_are_a_vague_source():
    r = _run("Several studies show that 40 percent of Oslo workers are taking the biggest hit.")
    assert [e.note for e in r.evidence] == ["vague source: 'Several studies'"]


@pytest.mark.parametrize(
    "body",
    [
        "(CNN) Senator Ana Lind sat down for an interview in Oslo and regretted it 2 minutes later.",
        "OSLO (Reuters) - Police arrested 14 people after the Halden march on Sunday.",
        "Bergen, Norway (AP) Ortiz won 52 percent of the vote in the Halden district.",
    ],
    ids=["agency alone", "capital city and agency", "place and known agency"],
)
def test_a_dateline_lead_is_the_outlets_own_report(body):
    assert _flagged_by_model(body) == []


def test_a_defined_acronym_is_no_dateline():
    body = "The Halden Research Council (HRC) Director moved 3 million euros to Malta."
    assert _flagged_by_model(body) == [body]


@pytest.mark.parametrize(
    "body",
    [
        "The two Oslo candidates Ana Lind and Per Ortiz also weighed in on the 3 explosions.",
        "Spokespeople for the Halden schools have refused to comment on the 2 lawsuits.",
        "Per Ortiz hinted at his displeasure with the 4 Oslo deals on Sunday.",
        "The Arab League called Wednesday on Oslo inspectors to visit the 3 sites.",
        "In photos obtained by Elle, Lind's assistant was seen picking up 2 puppies in Oslo.",
        "Halden Online has exclusively learned that Ortiz and Lind signed a 3-year deal.",
        "Classroom assignment copies indicate Oslo teachers gave 40 pupils the Lind test.",
    ],
    ids=[
        "weighed in",
        "refused to comment",
        "hinted at",
        "called <day> on",
        "obtained by",
        "has learned",
        "copies indicate",
    ],
)
def test_reported_acts_of_named_sources_and_documents_are_sources(body):
    assert _flagged_by_model(body) == []


@pytest.mark.parametrize(
    "body",
    [
        "© REUTERS / Ana Lind Venezuelan citizens return to Oslo by bus after 14 days in quarantine.",
        "Published November 13 2017 A monitoring group raised the Halden death toll to 61 on Tuesday.",
        "FOR THE FULL STORY with ALL the details on Lind and Ortiz – it's ONLY in the new Ledger – on sale now!",
    ],
    ids=["photo credit line", "publication date line", "print-edition promotion"],
)
def test_credits_dates_and_promotions_are_not_claims(body):
    assert _flagged_by_model(body) == []


@pytest.mark.parametrize(
    "body",
    [
        "The Ledger mentioned that Ortiz moved 3 million euros to Malta.",
        "In his 8th letter the UNSG observes: the 12 sites were not destroyed.",
        "Senate leader Ana Ortiz assailed the 3 billion euro package from the Lind group.",
        "Judge Lind ruled Tuesday that the 40 ballots from Halden were valid.",
        "The Ortiz couple feels that the 2 days of panic buying in Oslo caused the rise.",
        "Fake papers used by Ortiz in 1945 were given to the Halden museum, the BBC reports.",
    ],
    ids=[
        "mentioned that",
        "observes:",
        "assailed",
        "ruled that",
        "a named holder's belief",
        "the BBC reports.",
    ],
)
def test_more_reporting_verbs_of_named_sources_attribute_the_claim(body):
    assert _flagged_by_model(body) == []


@pytest.mark.parametrize(
    "body",
    [
        "A man inspects the site of a car bomb attack near the Halden shrine in Damascus Syria June 11 2016.",
        "Nurse Ana Ortiz writes an email in her office at Halden Hospital, Tuesday afternoon, April 28, 2020.",
        "FILE PHOTO: An Ortiz insurance office is shown in San Francisco, California February 10, 2010.",
        "Ana Ortiz holds her daughter Lina in this undated handout photo provided by the family to Reuters.",
    ],
    ids=["place and date", "weekday and date", "FILE PHOTO", "in this handout photo"],
)
def test_a_photo_caption_is_no_claim(body):
    assert _flagged_by_model(body) == []


@pytest.mark.parametrize(
    "body",
    [
        "The Halden shrine reopened in Damascus on June 11, 2016.",
        "The Ortiz rules go into effect September 30, 2016.",
        "The Ledger printed its first issue in Halden: April 2, 1995.",
    ],
)
def test_a_sentence_that_merely_ends_on_a_date_is_still_prose(body):
    assert _flagged_by_model(body) == [body]


def test_the_reporters_note_on_a_request_for_comment_is_no_claim():
    body = "The Halden ministry didn't immediately return a message from the Ledger seeking comment on the 40 flights."
    assert _flagged_by_model(body) == []
    assert _flagged_by_model("The Halden ministry did not return the 40 flights to Lind Air in 2019.") != []


@pytest.mark.parametrize(
    "body",
    [
        "The harbour at Port Ellen is the oldest on Islay.",
        "Port Ellen has 40 moorings for yachts and ferries.",
        "Prices at Port Ellen rose because the ferry company doubled its fares.",
    ],
    ids=["without a figure", "with a figure", "a cause"],
)
def test_the_claim_models_operating_point_is_0_8_for_every_claim(body):
    """The threshold chosen on the dev half of labeled/real (session 9): a flagged sentence the
    model rated 0.6-0.8 held up 0.66 of the time, with a figure or without, one above 0.8 0.83."""
    assert _flagged_by_model(body, 0.75) == []
    assert _flagged_by_model(body, 0.85) == [body]
