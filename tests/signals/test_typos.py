from __future__ import annotations

import gc

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

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
        ("The interview aired on Wedesnday, the network said.", "Wedesnday", "Wednesday"),
    ],
    ids=[
        "dropped letter",
        "swapped letters",
        "misspelled capital city",
        "misspelled agency",
        "misspelled month",
        "a prefix and a rare word, one letter off a common one",
        "a prefix and a rare word, one letter more than a common one",
        "a day name with its letters shuffled",
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


@pytest.mark.parametrize(
    "body",
    [
        "President Bashar al-Assad met Omar al-Bashir. Bashar spoke first; Bashir answered.",
        "Gov. Roy Romer, D-Colo., and Ambassador Tim Roemer, D-Ind., signed the letter.",
        "Officer Francesco Scorpo died on Monday. Scorpo, 34, had served for ten years.",
        "Fox News anchor Ainsley Earhardt spoke with Lisa Harwood and Muriel Bowser.",
        "The NCAA, IATA and the FSA cancelled their spring meetings.",
        "Ivana Trump and Ivanka Trump attended; Iran's Revolutionary Guard was not invited.",
        "Khloé Kardashian visited NBC New York and the White Horse Tavern.",
        "Fridas and Mavrck staff flew from Marjeh to Oslo in March.",
    ],
    ids=[
        "two different people one letter apart",
        "two surnames one letter apart after different given names",
        "a rare surname one letter from a common word, written consistently",
        "surnames one letter from common words",
        "real acronyms one letter from gazetteer acronyms",
        "a famous name's namesake and a common short form",
        "accents, a place after an outlet and a common word in a name",
        "names a letter or two from a day or month name",
    ],
)
def test_correct_names_are_not_taken_for_other_names(body):
    assert _found(body) == {}


def test_modern_words_from_wordfreq_are_words():
    body = (
        "The gig was livestreamed despite pushback over workwear, coronavirus lockdowns, "
        "influencers and telework; hydroxychloroquine and remdesivir were discussed."
    )
    assert _found(body) == {}


def test_common_misspellings_that_wordfreq_lists_are_still_flagged():
    notes = _found("The goverment will recieve the plattform and the combattants, officials said.")
    assert set(notes) == {"goverment", "recieve", "plattform", "combattants"}


def test_a_quoted_odd_word_is_not_a_typo_but_the_same_word_unquoted_is():
    assert _found("He called the plan a “despire” move, aides said.") == {}
    assert "despire" in _found("The rally went ahead despire the rain.")


@pytest.mark.parametrize(
    "body",
    [
        "The countrys army said the citys mayor dont agree.",
        "Follow Susan on Twitter: @tompor and #bcrf for updates.",
        "Senators said theyâ€™re ready to vote.",
        "She went off-roading, ack-acking along with the she-saiders.",
        "He couldn't bemore ready.",
    ],
    ids=[
        "apostrophes lost in scraping",
        "handles and hashtags",
        "mojibake",
        "parts of compounds",
        "two words run together",
    ],
)
def test_scraping_artefacts_are_not_typos(body):
    assert _found(body) == {}


@pytest.mark.parametrize(
    ("body", "word", "name"),
    [
        ("Delegates met at the Untied Nations on Monday.", "Untied", "United Nations"),
        ("The Washington Psot reported the story first.", "Psot", "The Washington Post"),
        ("The Associated Pres reported the figures.", "Pres", "Associated Press"),
        ("Former president Barak Obama spoke on Monday.", "Barak", "Barack Obama"),
        ("Russian President Vladimir Putn spoke on Monday.", "Putn", "Vladimir Putin"),
        ("According to the World Heath Organization, cases rose.", "Heath", "World Health Organization"),
    ],
    ids=[
        "swapped letters in an organisation",
        "swapped letters in an outlet",
        "a dropped letter in an agency",
        "a dropped letter in a president's given name",
        "a dropped letter in a president's surname",
        "a common word inside a three-word organisation",
    ],
)
def test_misspelled_famous_names_are_flagged(body, word, name):
    assert _found(body) == {word: f"{word}: likely {name}"}


@pytest.mark.parametrize(
    ("body", "wrong", "right"),
    [
        ("William Mullholland built it. Mulholland was an engineer.", "Mullholland", "Mulholland"),
        (
            "William Mullholland built it. Mullholland was an engineer. Mulholland left.",
            "Mullholland",
            "Mulholland",
        ),
        ("Angela Merkel spoke. Merkel was firm. But Merkle will not budge.", "Merkle", "Merkel"),
        ("Sergei Shoigu visited. Sergey Shoigu left. Sergei Shoigu came back.", "Sergey", "Sergei"),
        ("Lawyer Tamsin Orvers spoke. Tamsin Orver left. Orvers came back.", "Orver", "Orvers"),
        ("Obams reaffirms the pledge. Obama spoke on Monday; Obama left.", "Obams", "Obama"),
    ],
    ids=[
        "the spelling wordfreq does not know",
        "the spelling wordfreq does not know, though the article writes it more",
        "two swapped letters in a name wordfreq knows",
        "two spellings before the same surname: the rarer in the article",
        "a surname with and without a final s after the same given name",
        "a famous name with a letter hit on the key beside it",
    ],
)
def test_two_spellings_of_a_name_flag_the_wrong_one(body, wrong, right):
    assert _found(body) == {wrong: f"{wrong}: likely {right} (also in this article)"}


def test_a_misspelled_name_is_flagged_wherever_it_stands_and_counted_once():
    body = "Angela Merkel spoke. Merkel was firm. Merkle will not budge. Critics of Merkle left."
    r = typos.analyse(make_doc(Article(title="Plain headline about a plan", body=body)))
    assert [e.text for e in r.evidence] == ["Merkle", "Merkle"]
    assert r.features["typos.misspelled_names"] == 1.0


@pytest.mark.parametrize(
    "body",
    [
        "The Toho family and the Smiths met. Jane Smith and the Smiths left.",
        "House Democrats met. House Democrat Jane Roe spoke.",
        "Hamas fired rockets. In Hamah the army held. Hamas denied it.",
    ],
    ids=[
        "a surname and its plural",
        "a common word and its plural after the same word",
        "a letter changed for one not beside it on the keyboard: another name",
    ],
)
def test_a_name_and_its_plural_or_a_name_one_letter_off_are_not_two_spellings(body):
    assert _found(body) == {}


@pytest.mark.parametrize(
    ("body", "word", "intended"),
    [
        ("The influecners posted videos on Friday night.", "influecners", "influencers"),
        ("We wil know more about the plan next week.", "wil", "will"),
        ("The rate fo new cases fell in the city.", "fo", "of"),
        ("You do not have ot pay for the tickets.", "ot", "to"),
    ],
    ids=[
        "a word only wordfreq knows, two letters swapped",
        "a double letter written once in a function word",
        "a dropped letter in a two-letter word",
        "two letters swapped in a two-letter word",
    ],
)
def test_slips_of_short_and_modern_words_are_flagged(body, word, intended):
    assert _found(body) == {word: f"{word}: likely {intended}"}


@pytest.mark.parametrize(
    "body",
    [
        "Posters in Vienna read 'Cash ist fesch!' last year.",
        "He said this sh*t is taking a toll on him.",
        "The president said China wants him soo badly.",
        "The bus will tow the car; hm, they said, it is fine.",
    ],
    ids=["a foreign phrase", "a censored word", "a letter doubled for emphasis", "real short words"],
)
def test_short_words_that_are_not_slips_are_not_flagged(body):
    assert _found(body) == {}


@pytest.mark.parametrize(
    ("body", "word", "intended"),
    [
        ("Patients infected wIth the virus were moved.", "wIth", "with"),
        ("THe plan was approved on Monday.", "THe", "The"),
    ],
    ids=["a capital inside a common word", "the shift key held too long"],
)
def test_a_common_word_with_a_stray_capital_is_flagged(body, word, intended):
    assert _found(body) == {word: f"{word}: likely {intended}"}


def test_brands_written_with_inner_capitals_are_not_flagged():
    assert _found("MPs bought iPhones on eBay and songs on iTunes; the iPad sold out.") == {}


@pytest.mark.parametrize(
    ("body", "word", "intended"),
    [
        ("He said thats fine, but it's late.", "thats", "that's"),
        ("It's over. Lets face it, he lost.", "Lets", "Let's"),
    ],
    ids=[
        "a contraction without its apostrophe in an article that writes them",
        "a sentence starting with lets",
    ],
)
def test_a_lost_apostrophe_is_a_slip_where_the_article_writes_apostrophes(body, word, intended):
    assert _found(body) == {word: f"{word}: likely {intended}"}


def test_lets_the_verb_is_not_a_lost_apostrophe():
    assert _found("She lets him go, and it's fine. Mom Lets Kids Play, the sign said.") == {}


@pytest.mark.parametrize(
    ("body", "word", "intended"),
    [
        ("The court turned the law on it's head.", "it's", "its"),
        ("The party chose it's own leader.", "it's", "its"),
        ("Staff aren't suppose to leave early.", "suppose", "supposed"),
        ("The PAC that’s suppose to be for veterans.", "suppose", "supposed"),
        ("The army did not posses such weapons.", "posses", "possess"),
        ("He could of been elected.", "of", "have"),
        ("Prices rose more then wages did.", "then", "than"),
    ],
    ids=[
        "it's after a preposition",
        "it's own",
        "suppose to after a form of be",
        "suppose to after a contracted is",
        "posses after not",
        "could of",
        "then after a comparative",
    ],
)
def test_real_words_written_for_another_are_flagged_in_plain_contexts(body, word, intended):
    assert _found(body) == {word: f"{word}: likely {intended}"}


@pytest.mark.parametrize(
    "body",
    [
        "None of it's easy, she said. In a way it's about time.",
        "They saw each other then. The then-senator spoke; more, then less.",
        "I suppose to some extent he was right; the posses rode out. Let's suppose to begin with.",
    ],
    ids=[
        "it's after of or starting a clause",
        "then as an adverb",
        "suppose and posses where they fit",
    ],
)
def test_real_words_in_their_own_contexts_are_not_flagged(body):
    assert _found(body) == {}


# Words of every kind the checks tell apart: known and unknown names, names spelled two ways,
# acronyms, shouted words, slipped shift keys, contractions with and without apostrophes,
# compounds, handles, sentence starts, and typos.
_WORD_FRAGMENTS = (
    "Obama|Barak|Obamas|Sergei|Sergey|Shoigu|Mulholland|Mullholland|NHK|NKH|NASA|HIV|I|THe|wIth|"
    "McDonald's|Trump’s|Trump's|don't|dont|Lets|lets|it's|its|Here’s|WASHINGTON|Covid-era|"
    "European-style|HIV-related|off-roading|goverment|teh|Wedesnday|Franciso|Callying|Québec|"
    "United|Untied|Nations|Bank|of|America|the|said|@Obama|#Nations|“covfefe”|Rahami|Delery|"
    "Mullholland’s|Sergey’s|Barak's|Shoigu’s"
).split("|")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(_WORD_FRAGMENTS), st.sampled_from((" ", " ", ". ", ", ", "\n"))),
        min_size=1,
        max_size=30,
    ).map(lambda pairs: "".join(w + sep for w, sep in pairs))
)
def test_words_only_counted_as_names_take_the_short_way(body):
    _assert_same_the_long_way(body)


@pytest.mark.parametrize(
    "body",
    [
        " ".join(_WORD_FRAGMENTS) + ". " + ". ".join(_WORD_FRAGMENTS),
        "Mulholland said. Mulholland said. Mullholland’s car. Sergei Shoigu spoke. Sergey Shoigu’s plan.",
    ],
    ids=["every fragment", "names spelled two ways, one with an apostrophe"],
)
def test_words_only_counted_as_names_take_the_short_way_in_examples(body):
    _assert_same_the_long_way(body)


def _assert_same_the_long_way(body: str) -> None:
    # `_counted_names` lets `analyse` skip, for most capitalised words, steps that find
    # nothing in them: taking every word through every step must give the same result.
    doc = make_doc(Article(title="Barak Obama met NKH", body=body))
    fast = typos.analyse(doc)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(typos, "_counted_names", lambda word: None)
        assert typos.analyse(doc) == fast


def test_a_real_word_slip_after_a_dotted_capital_i_is_found_where_it_stands():
    # "İ" lower-cases to two characters; the slip's offsets are still those of the text.
    r = typos.analyse(make_doc(Article("T", "İzmir: he could of been there.")))
    assert [(e.text, e.note) for e in r.evidence] == [("of", "of: likely have")]


def test_the_collector_paused_for_the_spelling_index_is_restarted_as_it_was():
    assert gc.isenabled()
    with pytest.raises(KeyError), typos._no_collection():
        assert not gc.isenabled()
        raise KeyError("a loader that fails")
    assert gc.isenabled()
    gc.disable()
    try:
        with typos._no_collection():
            pass
        assert not gc.isenabled()  # not switched on by a loader when it was off
    finally:
        gc.enable()


@pytest.mark.parametrize(
    ("body", "word", "intended"),
    [
        ("Aides are trying to reach a a broader audience.", "a a", "a"),
        ("The camp was shelled. Its a crime, he said, and it's not over.", "Its", "It's"),
        ("Toyota would be using it's systems in all cars.", "it's", "its"),
        ("Fans have grow increasingly worried about the film.", "grow", "grown"),
        ("Millions have been displaces since the war began.", "displaces", "displaced"),
        ("The outbreak spurred a economic lockdown.", "a", "an"),
        ("He told an program screener that he was fine.", "an", "a"),
        ("Sputnik eported the shelling on Monday.", "eported", "reported"),
        ("EXCUSIVE: a broker asks for money.", "EXCUSIVE", "EXCLUSIVE"),
        ("The couple were choosen to be the winners.", "choosen", "chosen"),
        ("The firm hasn't yet respond to a request.", "respond", "responded"),
        ("The dead had not be identified yet.", "be", "been"),
        ("It signed a deal in order to make it's cars safer.", "it's", "its"),
        ("They don't make it's cars here any more.", "it's", "its"),
        ("He was making phone calls fro the Oval Office.", "fro", "for or from"),
        ("Guards were alerted to a women who looked like her.", "women", "woman"),
        ("The two are in a tight race in in Georgia.", "in in", "in"),
        ("We rely on on the data they send.", "on on", "on"),
    ],
    ids=[
        "a short word written twice",
        "its before an article, in an article that writes apostrophes",
        "it's between a verb and a noun",
        "have before a bare verb",
        "been before a verb's -s form",
        "a before a vowel sound",
        "an before a consonant sound",
        "a long word without its first letter",
        "a shouted word one slip from a common one",
        "the neighbour that reads as a slip, not the most frequent one",
        "have made negative and followed by an adverb, before a bare verb",
        "had not before be",
        "it's after a verb that is a noun too, before a noun",
        "it's after a verb that is a noun too, after n't",
        "fro outside to and fro",
        "one of something in the plural of a -man noun",
        "in written twice after a noun",
        "on written twice after a verb whose on is a preposition",
    ],
)
def test_real_words_and_slips_found_by_their_neighbours(body, word, intended):
    assert _found(body) == {word: f"{word}: likely {intended}"}


@pytest.mark.parametrize(
    "body",
    [
        "What they don't have are followers. We have complete information, she said.",
        "I think it's science. The firm readied its legal team; its being the capital helped.",
        "It was a one-time deal at a university, an hour away, an historic day. Type A.",
        "He said that that was fine; she had had enough; all it was was noise.",
        "Its a crime, he said. Syrias army doesnt care.",
        "They have not yet decided; we have never seen it. By the time it's midnight, all is calm.",
        "Boats went to and fro all day, to-and-fro.",
        "They bring over single women to a men's final; a specimen, an omen.",
        "You have to drive in in your own kit. He fitted in in the days of Cromwell; carry on on foot.",
        "Again it's chaos. In effect it's censorship. At this stage it's guesswork.",
        "She wore a fro; her fro was big. Boats went to and  fro. He is the one men fear. Type A men win.",
    ],
    ids=[
        "have before a verb used as a noun or adjective",
        "it's before a clause, its before an adjective or a gerund",
        "a and an by sound, not by letter",
        "words English writes twice",
        "its in a page that lost every apostrophe in scraping",
        "have not with a past participle; it's after a clause of time",
        "to and fro",
        "plurals of -man nouns after words that do not count one",
        "in or on after a verb whose particle it is",
        "it's after a noun or an adverb that is no verb here",
        "the hairstyle, spaced to and fro, the pronoun one, the letter A",
    ],
)
def test_words_in_their_own_grammar_are_not_flagged(body):
    assert _found(body) == {}


def test_grammar_slips_are_rare_on_reliable_articles(corpora):
    """On every reliable-label corpus article (1.2 million words of edited news), the grammar
    rules flag about 0.03 words per 1,000, nearly all real slips ("a a", "an program"); a rule
    that fires on correct English ("think it's science", "what they have are") shows here."""
    import json

    from quality.signals import _grammar

    words = hits = 0
    for path in sorted((corpora / "articles").glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                if row.get("label") != "reliable":
                    continue
                for text in (row.get("title") or "", row.get("body") or ""):
                    words += len(text.split())
                    hits += len(_grammar.slips(text, lambda: True))
    assert words > 1_000_000
    assert 0 < 1000 * hits / words <= 0.05


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "a",
                "an",
                "A",
                "An",
                "the",
                "The",
                "its",
                "It's",
                "it’s",
                "have",
                "been",
                "we've",
                "grow",
                "displaces",
                "economic",
                "program",
                "hour",
                "one",
                "using",
                "systems",
                "hasn't",
                "had",
                "not",
                "yet",
                "be",
                "respond",
                "fro",
                "to and",
                "women",
                "spokeswomen",
                "one",
                "İ",
                "ß",
                "\n",
                "(",
                "“",
                '"',
                "-",
                " ",
                ".",
            ]
        ),
        max_size=40,
    ).map(" ".join)
)
@example(
    "(its a) “Its a” we've grow, have grow; been displaces. a economic an program using it's systems the the"
)
@example("hasn't yet respond; had not be. (fro the) to and fro “fro")
def test_grammar_slips_point_at_the_words_they_name(text):
    """Every span the grammar rules give is inside the text and is one of the words they
    look at, whole (whatever case folding, the space put first and the openers did)."""
    from quality.signals import _grammar

    words = {
        *("a", "an", "its", "it's", "it’s", "grow", "have", "displaces", "the the", "a a", "an an"),
        *("respond", "be", "fro", "be be", "women", "spokeswomen"),
    }
    for start, end, meant in _grammar.slips(text, lambda: True):
        written = text[start:end]
        assert written.lower() in words, (text, start, end)
        assert (start == 0 or not text[start - 1].isalnum()) and (end == len(text) or not text[end].isalnum())
        assert meant and meant != written
