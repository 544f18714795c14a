from __future__ import annotations

import random
import re

import pytest

from quality.article import Article
from quality.doc import make_doc
from quality.signals import sourcing
from tests import resources as R


def _run(body: str):
    return sourcing.analyse(make_doc(Article(title="T", body=body)))


def test_a_sourced_article_finds_attributions_quotes_named_sources_and_citations():
    r = _run(R.SOURCED)
    f = r.features
    assert f["sourcing.attributions_per_100w"] > 5
    assert f["sourcing.quotes_per_100w"] > 0
    assert f["sourcing.citations"] == 2  # [1] and the "Sources:" list
    named = {e.text for e in r.evidence if e.feature == "sourcing.named_sources"}
    assert {"Ana Ruiz", "Tom Bell", "Reuters"} <= {n.replace("Mayor ", "") for n in named} | named
    assert r.score > 0.8


def test_an_unsourced_article_scores_low():
    r = _run(R.UNSOURCED)
    assert r.features["sourcing.attributions_per_100w"] == 0
    assert r.features["sourcing.distinct_sources"] == 0
    assert r.score < 0.1


def test_anonymous_sources_are_told_apart_from_named_ones():
    r = _run("Unnamed diplomatic sources cited by NHK said the plan was agreed.")
    notes = {(e.text, e.note) for e in r.evidence}
    assert ("Unnamed diplomatic sources", "anonymous source") in notes
    assert any(e.note == "named source: NHK" for e in r.evidence)
    assert r.features["sourcing.anonymous_sources_per_100w"] > 0


def test_links_count_as_sources_by_domain():
    r = _run("The data is at https://www.example.org/a and https://example.org/b and www.other.net.")
    assert r.features["sourcing.links_per_100w"] > 0
    assert r.features["sourcing.distinct_sources"] == 2


def test_seed_001_with_numbered_citations_is_better_sourced_than_004(seed_reports):
    assert seed_reports["001"].signals["sourcing"] > seed_reports["004"].signals["sourcing"]
    cites = [e for e in seed_reports["001"].evidence if e.feature == "sourcing.citations"]
    assert {e.text for e in cites} >= {"[1]", "[5]", "Sources:"}


def test_every_named_source_counted_has_its_span():
    # The possessive inside the name left the count at 2 with one span: the span was cut to the
    # cleaned name's length and, no longer matching it, dropped.
    body = (
        "The move was confirmed by Sky Sports News HQ’s Kaveh Solhekol on Monday. "
        "Olivia Newton-John said she was delighted."
    )
    r = _run(body)
    spans = [e for e in r.evidence if e.feature == "sourcing.named_sources"]
    assert r.features["sourcing.named_sources"] == len(spans) == 2
    assert [e.text for e in spans] == ["Sky Sports News HQ’s Kaveh Solhekol", "Olivia Newton-John"]
    assert all(body[e.start : e.end] == e.text for e in spans)


def test_a_name_stops_at_a_line_break_and_an_owner_is_not_a_source():
    body = (
        "He wrote to IRS Commissioner John Koskinen\n\nThe Washington Post reported that the letter "
        "arrived. The administrator claimed Harambe’s death was used."
    )
    r = _run(body)
    assert [e.text for e in r.evidence if e.feature == "sourcing.named_sources"] == ["Washington Post"]
    assert r.features["sourcing.named_sources"] == 1


@pytest.mark.slow
def test_named_source_counts_match_their_spans_across_the_corpora(corpora):
    import json

    for path in sorted((corpora / "articles").glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                record = json.loads(line)
                r = sourcing.analyse(make_doc(Article(record["title"] or "", record["body"] or "")))
                spans = sum(e.feature == "sourcing.named_sources" for e in r.evidence)
                assert spans == r.features["sourcing.named_sources"], (path.name, record["id"])


def _spans(body: str, feature: str) -> list[str]:
    return [e.text for e in _run(body).evidence if e.feature == f"sourcing.{feature}"]


@pytest.mark.parametrize(
    "body",
    [
        "Flights to the United States resumed in May.",
        "The ship left Port Said on Monday.",
        "Other states that reopened saw cases climb.",
        "The curfew was announced on Monday and 40 new confirmed cases were counted.",
        "There were 300 reported cases. Gitchell reported to camp feverish.",
        "Ed Komenda writes about Las Vegas for the Gazette.",
    ],
    ids=[
        "States in United States",
        "Said in Port Said",
        "the noun states",
        "a passive or adjective participle",
        "reported cases and reporting to camp",
        "an author's blurb",
    ],
)
def test_words_that_only_look_like_reporting_verbs_are_no_attribution(body):
    assert _spans(body, "attributions_per_100w") == []
    assert _spans(body, "named_sources") == []


@pytest.mark.parametrize(
    ("body", "verb"),
    [
        ("The report states that 40 people died.", "report states"),
        ("Budanov disclosed that Moscow was helping.", "disclosed"),
        ("The ministry revealed the plan on Monday.", "revealed"),
        ("It was needed, he added.", "added"),
    ],
)
def test_reporting_verbs_are_attributions(body, verb):
    assert _spans(body, "attributions_per_100w") == [verb]


def test_a_place_ending_the_speakers_role_is_no_source():
    assert _spans("“A good move,” the former ambassador to Russia, tweeted.", "named_sources") == []


def test_titles_in_a_source_list_are_not_direct_quotes():
    body = (
        "The plan was agreed [1].\n\n"
        'Sources:- [1] The Guardian: "What does Putin gain from the workers?"- [2] Japan Today: '
        '"Russian-North Korean military cooperation intensifies"\n'
        '[3] The Verge: "Now North Korea wants to make Iranian drones"'
    )
    assert _spans(body, "quotes_per_100w") == []
    assert sorted(_spans(body, "citations")) == ["Sources:", "[1]", "[1]", "[2]", "[3]"]


def test_a_quote_in_prose_is_still_a_direct_quote():
    body = 'The plan was agreed [1]. "We will send the workers next month," the minister said.'
    assert _spans(body, "quotes_per_100w") == ['"We will send the workers next month,"']


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ("Defence Minister Shoigu said the drones were ready.", "Defence Minister Shoigu"),
        ("Health Secretary Matt Hancock said testing would expand.", "Health Secretary Matt Hancock"),
        ("The vaccine could come by 2021, said Dr. Anthony Fauci.", "Dr. Anthony Fauci"),
        ("Cases rose, New Jersey Gov. Phil Murphy said.", "New Jersey Gov. Phil Murphy"),
    ],
    ids=["minister", "secretary", "doctor after the verb", "governor"],
)
def test_people_named_with_their_role_are_named_sources(body, name):
    assert _spans(body, "named_sources") == [name]


@pytest.mark.parametrize(
    ("body", "names"),
    [
        ("Though Townsend said it was sad, the farm closed.", ["Townsend"]),
        (
            "Although California Governor Gavin Newsom said plants could open, few did.",
            ["California Governor Gavin Newsom"],
        ),
        ("I’ve said it before and I’ll say it again: wash your hands.", []),
        ("I'm told it has a lot to do with money. We'd said so before.", []),
        ("The stickers are free. Once added, users can tap them to donate.", []),
        ("Print Tweet Views 1430 Related Syria's Assad says Erdogan exploits the coup.", ["Syria's Assad"]),
    ],
    ids=[
        "a conjunction before the name",
        "a conjunction before a role and a name",
        "the writer's I've",
        "the writer's I'm and we'd",
        "once before a participle",
        "a related-stories label before the name",
    ],
)
def test_a_word_opening_the_sentence_is_no_part_of_the_name(body, names):
    assert _spans(body, "named_sources") == names


def test_a_person_named_again_by_surname_is_one_source():
    body = "Dr. Anthony Fauci said it would take a year. Later, Fauci said it might take less."
    r = _run(body)
    assert _spans(body, "named_sources") == ["Dr. Anthony Fauci"]
    assert r.features["sourcing.named_sources"] == 1


@pytest.mark.parametrize(
    "body",
    [
        'Homs was once known as the "capital of the revolution" in those years.',
        "The crowd at the premiere of “Kung Fu Panda 3” cheered.",
        'In our "take care of yourself" culture, people who did it right lost out.',
        "He had played the “cash for outcomes” political game for years.",
        'Rosen asked for more. The "he said/she said" structure is a low form.',
        'A fully socialised "Medicare for All" healthcare system is a non-starter.',
        "The award goes to those who show “strength in the face of adversity” on court.",
    ],
    ids=[
        "a nickname after 'known as'",
        "a film title",
        "a scare-quoted phrase used as a modifier",
        "a modifier after 'the'",
        "a modifier after 'The' opening a sentence",
        "a title-case policy name",
        "a short fragment in a sentence crediting nobody",
    ],
)
def test_words_in_quotation_marks_that_nobody_said_are_no_direct_quote(body):
    assert _spans(body, "quotes_per_100w") == []


def test_a_short_title_does_not_pair_its_closing_mark_with_the_next_quote():
    body = 'He hosted "SNL" this year and worked with "SNL" stars in his memoir "Nevertheless" too.'
    assert _spans(body, "quotes_per_100w") == []


@pytest.mark.parametrize(
    ("body", "quote"),
    [
        ("Trump said the agency had “done a very sad job” in its handling.", "“done a very sad job”"),
        (
            "Questlove writes, “All Respect Due @Caitlyn_Jenner #ESPYS” on Twitter.",
            "“All Respect Due @Caitlyn_Jenner #ESPYS”",
        ),
        ("“If they don’t, we will.” The ban starts in 2020.", "“If they don’t, we will.”"),
        (
            "He warned the agency would lose funding unless it commits to “major substantive improvements within the next 30 days.”",
            "“major substantive improvements within the next 30 days.”",
        ),
    ],
    ids=[
        "a fragment in a sentence with a reporting verb",
        "an introduced title-case post",
        "a whole sentence",
        "a long fragment",
    ],
)
def test_quoted_words_credited_to_someone_stay_direct_quotes(body, quote):
    assert _spans(body, "quotes_per_100w") == [quote]


@pytest.mark.parametrize(
    "body",
    [
        "Overall, Conway said Clinton failed to deliver a knockout punch.",
        "Earlier, Trump said the Geneva-based WHO had done a very sad job.",
        "Kuwait, in the Middle East, announced a lockdown from Sunday.",
    ],
    ids=[
        "a name opening the reported clause",
        "an organisation the clause is about",
        "a place after 'in the'",
    ],
)
def test_names_that_are_the_news_rather_than_its_source_are_no_named_source(body):
    assert [n for n in _spans(body, "named_sources") if n not in ("Conway", "Trump")] == []


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ("“He will,” said Durbin, who has met the president.", "Durbin"),
        ("The county refused, according to Bloomberg News on Monday.", "Bloomberg News"),
        ("Chief executive Kate Nicholls told the BBC the plan would help.", "BBC"),
    ],
    ids=["an inverted attribution", "according to", "told an outlet"],
)
def test_names_after_the_verb_that_are_sources_stay(body, name):
    assert name in _spans(body, "named_sources")


@pytest.mark.parametrize(
    "body",
    [
        "That being said, none of them has been charged.",
        "Having said that, the plan is sound.",
        "Just say no to the plan, the poster read.",
        "Mothers must be tested before they're admitted for delivery.",
        "Of the children, 40 were admitted to hospital in May.",
        "The attack claimed the lives of some 80 people.",
        "There have been 90,369 confirmed coronavirus cases since March.",
        "The US has had 1.45 million confirmed COVID-19 cases.",
        "Almost two-thirds of US adults said costs would stop them.",
        "Additionally, 37 percent stated that aid should be given.",
        "Few reported comorbidities in the study.",
        "Share this\n\nPosted by Frank Smith on 19 Sep 2016\n\nWe have all seen promises broken.",
        "These are high value-added jobs; he co-wrote the song after presidentially-declared disasters.",
        "She doesn't want Brad's reported new friend near; the reported deal fell through.",
        "It turns out the same can be said for the rest of the league.",
        "The army declared a week-long ceasefire over, and the governor declared an emergency.",
        "The billionaire revealed himself in March to be the backer.",
        "Infection rates have declined in states that have reopened.",
        "In states that aren't testing, it can't be said enough.",
    ],
    ids=[
        "that being said",
        "having said that",
        "just say no",
        "admitted for delivery",
        "admitted to hospital",
        "claimed the lives",
        "a participle after a count",
        "a participle after a count in millions",
        "a poll's respondents said",
        "a percentage stated",
        "few reported",
        "a byline at the head of a line",
        "part of a compound adjective",
        "a participle after a possessive or an article",
        "can be said",
        "declared: an act, not a report",
        "revealed oneself",
        "states, the noun, after a preposition",
        "states after a capitalised preposition; can't be said",
    ],
)
def test_reporting_verbs_in_another_sense_are_no_attribution(body):
    assert _spans(body, "attributions_per_100w") == []


@pytest.mark.parametrize(
    ("body", "verb"),
    [
        ("The regime has since April 10 announced 180 infections.", "announced"),
        ("Local station KY3 reported that two restaurants closed.", "reported"),
        ("He admitted that the figures were wrong.", "admitted"),
        ("The rebels claimed responsibility for the attack.", "claimed"),
        ("A few months later, it's reported that the tour was cut.", "reported"),
        ("The ministry declared that the truce was over.", "declared"),
        ("The report states that rates fell.", "report states"),
        ("The company's announced that it will close.", "announced"),
        ("Team A reported that sales rose.", "reported"),
        ("The plan--said Jones--failed.", "said"),
        ("Blake happily declared his babe “can hear now.”", "declared"),
    ],
    ids=[
        "a date before the verb",
        "a name with a digit",
        "admitted that",
        "claimed responsibility",
        "it's reported that",
        "declared that",
        "a report states",
        "has contracted before a participle and that",
        "a letter before the verb",
        "a double hyphen for a dash",
        "declared before a quotation",
    ],
)
def test_reporting_verbs_near_those_senses_still_attribute(body, verb):
    assert _spans(body, "attributions_per_100w") == [verb]


def test_named_sources_after_a_verb_are_looked_for_where_they_can_start_and_found_as_by_finditer():
    # `_matches_from` tries `_NAMED_AFTER` only where `_BEFORE_NAME` matches; texts with the
    # openings close together, overlapping, and failing, give what a plain finditer gives.
    pieces = [
        "said",
        "says",
        "told",
        "according to",
        "According To",
        "as per reports from",
        "per",
        "cited by",
        "revealed by",
        "Reuters",
        "Dr. Anthony Fauci",
        "the Kremlin's press office,",
        "Smith",
        "x",
        "\n",
        ", ",
        " ",
        "  ",
        "said said",
        "per per",
        ".",
    ]
    rng = random.Random(5)
    texts = [R.SOURCED, R.ATTRIBUTED, R.UNATTRIBUTED]
    texts += [" ".join(rng.choice(pieces) for _ in range(rng.randrange(1, 14))) for _ in range(3000)]

    def spans(matches):
        return [m.regs for m in matches]

    found = 0
    for text in texts:
        plain = spans(sourcing._NAMED_AFTER.finditer(text))
        assert spans(sourcing._matches_from(sourcing._NAMED_AFTER, sourcing._BEFORE_NAME, text)) == plain, (
            text
        )
        found += len(plain)
    assert found > 500
    # A match may start inside an opening found before it.
    aab = [m.span() for m in sourcing._matches_from(re.compile("aab"), re.compile("a+"), "xaaab aab")]
    assert aab == [m.span() for m in re.finditer("aab", "xaaab aab")] == [(2, 5), (6, 9)]
