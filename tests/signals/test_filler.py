from __future__ import annotations

import re
from collections import Counter
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quality import lexicon
from quality.article import Article
from quality.doc import lower_keeping_offsets, make_doc
from quality.signals import filler
from tests import resources as R


def _run(body: str):
    return filler.analyse(make_doc(Article(title="T", body=body)))


def test_site_chrome_lines_are_found_whole():
    r = _run(R.FILLER)
    chrome = [e.text for e in r.evidence if e.feature == "filler.boilerplate_lines"]
    assert chrome == [
        "Skip to content",
        "Leave a Reply",
        "Your email address will not be published. Required fields are marked *",
        "Tags: bridge, city, transport",
    ]
    padding = [e.text for e in r.evidence if e.feature == "filler.seo_phrases_per_100w"]
    assert padding == ["cannot be overstated", "Let's dive into it"]
    assert r.score > 0.9


@pytest.mark.parametrize(
    "line",
    [
        "- YOU MAY ALSO LIKE TO WATCH THIS TRENDING STORY ON YOUTUBE. Haunted Room 502",
        "335 SHARES",
        "Read also:",
        "Meet Molly, your personal news guide who reads between the lines.",
        "Share this:",
    ],
    ids=["related-content teaser", "share counter", "read also", "author blurb", "share buttons"],
)
def test_boilerplate_kinds(line):
    r = _run(f"The bridge opened on Monday.\n{line}\nIt cost 12 million euros.")
    assert [e.text for e in r.evidence] == [line]


@pytest.mark.parametrize(
    ("line", "filler_text"),
    [
        ("Share This Article Now! 11.8k SHARES", "Share This Article Now! 11.8k SHARES"),
        ("Mayor Ruiz opened the bridge 335 SHARES SHARE THIS STORY", "335 SHARES SHARE THIS STORY"),
        ("Share on Facebook", "Share on Facebook"),
        ("Tweet", "Tweet"),
        ("Pin it", "Pin it"),
        ("Image result for bridge opening ceremony", "Image result for bridge opening ceremony"),
        ("Photo: City of Lyon", "Photo: City of Lyon"),
        ("The mayor cuts the ribbon on Monday. (Getty Images)", "(Getty Images)"),
        ("Cyclists cross the new bridge. Jean Dupont/AFP via Getty Images", None),
        (
            "[Editor's note: an earlier version of this story gave the wrong length.]",
            "[Editor's note: an earlier version of this story gave the wrong length.]",
        ),
        (
            "The transport and city sections might discuss the bridge's cost and its traffic.",
            "The transport and city sections might discuss the bridge's cost and its traffic.",
        ),
    ],
    ids=[
        "share counter with a prompt",
        "share counter after prose",
        "share button",
        "tweet button",
        "pin button",
        "image alt text",
        "photo caption",
        "agency credit",
        "caption ending in a credit",
        "editor's note",
        "leaked prompt",
    ],
)
def test_share_counters_captions_and_notes_are_filler(line, filler_text):
    r = _run(f"The bridge opened on Monday.\n{line}\nIt cost 12 million euros.")
    assert [e.text for e in r.evidence] == [filler_text or line]


@pytest.mark.parametrize(
    "body",
    [
        "Shares in the builder rose 4% on Monday after the bridge opened.",
        "The mayor shared a photo of the bridge on Twitter, where 2,000 people saw it.",
        "Officials said the sections of the bridge would be inspected again in May.",
    ],
    ids=["shares in a company", "a photo in prose", "sections in prose"],
)
def test_prose_about_shares_photos_and_sections_is_not_filler(body):
    assert _run(body).evidence == ()


def test_a_paraphrased_passage_is_a_duplicate_later_copy():
    r = _run(
        "The city opened a new bridge over the Rhone for cyclists and walkers on Monday. It cost 12 "
        "million euros.\nConclusion\nOn Monday the city opened the new cyclists and walkers bridge over the Rhone."
    )
    dups = [e for e in r.evidence if e.feature == "filler.duplicate_sentence_ratio"]
    assert [e.text for e in dups] == [
        "On Monday the city opened the new cyclists and walkers bridge over the Rhone."
    ]


@pytest.mark.parametrize(
    "body",
    [
        "Call 1 (844) 728-0999 to speak with a representative of the bank.\n"
        "Call 1 (888) 444-9876 to speak with a representative of the bank.",
        "Learn more about the response of Chase Bank to the crisis on its site here.\n"
        "Learn more about the response of Wells Fargo to the crisis on its site here.",
        "BREAKING: Pipe Bombs Found in New Jersey Train Station\n"
        "Pipe bombs were found in a New Jersey train station on Sunday night, police said.",
    ],
    ids=["list items with other numbers", "list items with other names", "lede under a heading"],
)
def test_like_sentences_that_say_other_things_are_not_duplicates(body):
    assert _run(body).evidence == ()


def test_the_headline_copied_into_the_body_is_filler():
    r = filler.analyse(
        make_doc(
            Article(
                title="Flooding closes 14 schools in Italy",
                body="Flooding closes 14 schools in Italy AFP Monday. Rain closed 14 schools on Monday.",
            )
        )
    )
    assert [(e.text, e.note) for e in r.evidence] == [
        ("Flooding closes 14 schools in Italy", "repeats the headline")
    ]


def test_prose_that_starts_like_chrome_is_not_chrome():
    r = _run("Latest figures show unemployment fell to 4.1 percent in March, the statistics office said.")
    assert r.evidence == ()


def test_a_repeated_sentence_is_a_duplicate():
    r = _run(R.DUPLICATED)
    dups = [e for e in r.evidence if e.feature == "filler.duplicate_sentence_ratio"]
    assert len(dups) == 1 and dups[0].start > 50
    assert r.features["filler.duplicate_sentence_ratio"] > 0.4


def test_tight_news_prose_has_no_filler():
    r = _run(R.TIGHT)
    assert r.evidence == () and r.score == 0.0


def test_seed_filler(seed_reports):
    def texts(key):
        return " ".join(e.text for e in seed_reports[key].evidence if e.signal == "filler")

    assert "YOU MAY ALSO LIKE" in texts("004")
    assert "Leave a Reply" in texts("002")
    assert "Skip to content" in texts("001") and "Meet Molly" in texts("001")


@pytest.mark.parametrize(
    "body",
    [
        "Whether the council will fund the bridge remains to be seen.",
        "At the end of the day, the bridge cost 12 million euros.",
        "Moving forward, the city will inspect the bridge every year.",
        "The mayor called the bridge a game-changer for cyclists in the city.",
        "In summary, the bridge took two years and 12 million euros to build.",
    ],
    ids=["remains to be seen", "at the end of the day", "moving forward", "game-changer", "in summary"],
)
def test_everyday_idioms_in_news_prose_are_not_padding(body):
    assert _run(body).evidence == ()


@pytest.mark.parametrize(
    "body",
    [
        'The mayor told residents to "stay tuned" for the opening date.',
        "“Stay tuned, we will open it in May,” the mayor said.",
    ],
    ids=["straight quotes", "curly quotes"],
)
def test_a_stock_phrase_inside_a_quotation_is_not_padding(body):
    assert _run(body).evidence == ()


def test_a_stock_phrase_in_the_writers_voice_is_padding():
    r = _run("The bridge opens in May. Stay tuned for the date.\nLet us know in the comments!")
    assert [e.text for e in r.evidence] == ["Stay tuned", "Let us know in the comments"]


def test_a_list_of_links_is_not_a_repeat():
    body = (
        "Here are videos showing how to make a mask:\n"
        "https://www.youtube.com/watch?v=9YLXEhSjVsw\n"
        "https://www.youtube.com/watch?v=ZnVk12sFRkY"
    )
    assert _run(body).evidence == ()


@pytest.mark.parametrize(
    "line",
    [
        "Read more: Buy these 13 stocks poised to rocket higher, Credit Suisse says",
        "PHOTOS: The Longest Marriages In Hollywood",
        "RELATED: Mayor shares her plans for a second bridge",
    ],
    ids=["read more naming a bank", "photo gallery teaser", "related with a share word"],
)
def test_a_teaser_is_noted_as_a_teaser(line):
    r = _run(f"The bridge opened on Monday.\n{line}\nIt cost 12 million euros.")
    assert [(e.text, e.note) for e in r.evidence] == [(line, "boilerplate: related-content teaser")]


def test_a_repeat_names_the_earliest_of_equally_close_sentences():
    # Two earlier sentences sharing as many trigrams and words with a later one: the earliest
    # is named, whatever order a set of strings iterated in (it follows PYTHONHASHSEED).
    assert filler._candidates(Counter({41: 10, 20: 10, 16: 9, 3: 2})) == [20, 41, 16]
    assert filler._candidates(Counter(dict.fromkeys(range(20, 0, -1), 5))) == list(range(1, 9))


_SKIPPED_ENTRIES = [
    pytest.param(e[3:].strip(), words, id=f"{kind}: {e[3:43]}")
    for kind, parts, words in [
        ("prompt", filler._PROMPT_PARTS, filler._PROMPT_WORDS),
        ("credit", filler._CREDIT_PARTS, filler._CREDIT_WORDS),
    ]
    for e in lexicon.entries("inline_filler")
    if any(p in e for p in parts)
]


@pytest.mark.parametrize(("entry", "words"), _SKIPPED_ENTRIES)
def test_an_entry_left_out_of_a_line_cannot_match_there(entry, words):
    # A line is searched without the leaked-prompt entries unless `_PROMPT_WORDS` finds
    # something in it, and without the photographer-first credits unless `_CREDIT_WORDS` does:
    # every text such an entry matches whole must hold such a word.
    @settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.from_regex(re.compile(entry), fullmatch=True))
    def holds_the_word(text):
        assert words.search(text), text

    holds_the_word()


def test_the_entries_left_out_are_the_costly_ones():
    kinds = [entry.split(":", 1)[0] for entry in (p.id for p in _SKIPPED_ENTRIES)]
    assert Counter(kinds) == {"prompt": 1, "credit": 3}
    # Left out, they are missing from the alternation; kept, it is the lexicon's own.
    assert filler._alternation(lexicon.entries("inline_filler")) == lexicon.alternation("inline_filler")
    assert filler._inline_pattern(True, True) is lexicon.pattern("inline_filler", 0)
    assert "sections?" not in filler._inline_pattern(False, True).pattern
    assert "Getty" in filler._inline_pattern(True, False).pattern  # "(Getty Images)" stays


@pytest.mark.parametrize(
    ("line", "found"),
    [
        (
            "The city sections might discuss the bridge. Jean Dupont/AFP via Getty Images",
            ["The city sections might discuss the bridge. Jean Dupont/AFP via Getty Images"],
        ),
        (
            "Cyclists cross the bridge (Jean Dupont/AFP). The SECTION might discuss costs.",
            ["(Jean Dupont/AFP)", "The SECTION might discuss costs."],
        ),
        (
            "The bridge opened (Photo: City of Lyon) on Monday, and the segments will include costs",
            ["(Photo: City of Lyon)", "and the segments will include costs"],
        ),
        ("A view of the bridge. Jean Dupont / Shutterstock", ["Jean Dupont / Shutterstock"]),
        ("Reuters said the segment was cut.", []),
        (
            "The Transport Sections might discuss the plan.",
            ["The Transport Sections might discuss the plan."],
        ),
    ],
    ids=[
        "a prompt running into a credit",
        "an agency credit and a prompt in capitals",
        "a caption and a prompt",
        "a photographer-first credit",
        "an agency named in prose",
        "a prompt whose only hint is a capitalised Sections",
    ],
)
def test_a_line_finds_what_every_entry_finds(line, found):
    body = make_doc(Article("T", line)).body
    assert [body.text[s:e] for s, e in filler._inline_filler(body.lines[0])] == found
    assert [m.group() for m in lexicon.pattern("inline_filler", 0).finditer(line)] == found


def test_the_headline_copied_after_a_dotted_capital_i_is_found_where_it_stands():
    # "İ" lower-cases to two characters; the copy's offsets are still those of the body.
    doc = make_doc(
        Article(
            "Twenty dead in Aleppo barrel bomb attack",
            "İzmir. Twenty dead in Aleppo barrel bomb attack today.",
        )
    )
    copies = [e.text for e in filler.analyse(doc).evidence if e.note == "repeats the headline"]
    assert copies == ["Twenty dead in Aleppo barrel bomb attack"]


def test_only_odd_folds_are_letters_that_lower_casing_does_not_give():
    # `_may_pad` looks for a stock phrase's words in the lower-cased text: a character re
    # matches to an ASCII letter in any case must lower-case to that letter, or be one it
    # does not trust.
    letters = re.compile("[a-z]", re.IGNORECASE)
    odd = {
        c
        for c in map(chr, range(0x110000))
        if letters.fullmatch(c) and not (len(c.lower()) == 1 and "a" <= c.lower() <= "z")
    }
    assert odd == set(filler._ODD_FOLDS)


_PHRASES = lexicon.entries("seo_padding")


@settings(max_examples=300, deadline=None)
@given(
    phrase=st.sampled_from(_PHRASES),
    cases=st.lists(st.booleans(), min_size=60, max_size=60),  # longer than any phrase
    space=st.sampled_from([" ", "\n", "  ", "\t", "\u00a0"]),
    apostrophe=st.sampled_from(["'", "’"]),
    before=st.text(max_size=20),
    after=st.text(max_size=20),
)
def test_a_text_with_a_stock_phrase_may_hold_padding(phrase, cases, space, apostrophe, before, after):
    words = phrase.replace("'", apostrophe).split()
    text = space.join(words)
    text = "".join(c.upper() if up else c for c, up in zip(text, cases, strict=False))
    text = f"{before} {text} {after}"
    assert lexicon.pattern("seo_padding").search(text)
    assert filler._may_pad(text, text.lower())


@pytest.mark.parametrize(
    ("text", "may"),
    [
        ("The bridge opened on Monday. Stay tuned.", True),
        ("THE BRIDGE IS A RICH\nTAPESTRY OF STEEL", True),
        ("ſtay tuned", True),  # re reads the long s as an "s"
        ("The bridge opened on Monday, the mayor said.", False),
        ("The tuned engine will stay in the shop.", True),  # every word, not the phrase
        ("Stay with us: the engine is tuned.", True),
        ("The tuned engine will remain in the shop.", False),
    ],
    ids=[
        "a phrase",
        "in capitals across a line",
        "a long s",
        "none",
        "its words apart",
        "apart again",
        "one word",
    ],
)
def test_may_pad(text, may):
    assert filler._may_pad(text, text.lower()) is may
    if not may:
        assert not lexicon.pattern("seo_padding").search(text)


def test_a_letter_stays_a_letter_lower_cased_and_a_split_keeps_words_of_letters_whole():
    # The lexical density counts the letter runs of the lower-cased body (`_letter_runs`): a
    # character lower-cased into one is a letter if and only if it was one, a character
    # str.isalpha() takes is a letter, and none that str.split() splits on is.
    # The same for the characters of a sentence's words, and figures (`_WORD`), which are read
    # from the lower-cased body: "İ" alone lower-cases into two.
    letter = filler._LETTERS.fullmatch
    alnum = re.compile(r"[^\W_]").fullmatch
    digit = re.compile(r"\d").fullmatch
    for c in map(chr, range(0x110000)):
        is_letter = letter(c) is not None
        lower = c.lower()
        if len(lower) == 1:
            assert (letter(lower) is not None) == is_letter, c
            assert (alnum(lower) is None, digit(lower) is None) == (alnum(c) is None, digit(c) is None), c
        else:
            assert c == "İ"
        assert not c.isalpha() or is_letter, c
        assert not c.isspace() or not is_letter, c
        # `_words` takes a word str.isalnum() takes as one match of `_WORD`, whole.
        assert c.isalnum() == (alnum(c) is not None), c
        assert not c.isspace() or alnum(c) is None, c


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("ab Éß_1²½.,'’-\n\u00a0\u2028İıΣ\u0307"), max_size=40)
    | st.text(max_size=40)
)
def test_letter_runs_are_the_regex_matches(text):
    assert Counter(filler._letter_runs(text)) == Counter(filler._LETTERS.findall(text))


def test_lexical_density_is_that_of_the_words_as_written():
    body = "İzmir AND the Port: Of ΟΔΟΣ's U.S. harbours, and THE covid-19 wave."
    words = filler._LETTERS.findall(body)
    content = len(words) - sum(w.lower() in filler.FUNCTION_WORDS for w in words)
    assert _run(body).features["filler.lexical_density"] == content / len(words)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("aB Éß_1²½.,'’-\nİıΣσ\u0307"), max_size=40) | st.text(max_size=40))
def test_words_read_from_the_lower_cased_body_are_the_words_lower_cased(text):
    lowered = lower_keeping_offsets(text)
    words = [w.lower() for w in filler._WORD.findall(text)]
    if "İ" not in text and "Σ" not in text:
        assert filler._WORD.findall(lowered, 1, len(text)) == [
            w.lower() for w in filler._WORD.findall(text[1:])
        ]
        assert filler._WORD.findall(lowered) == words


@pytest.mark.parametrize(
    "sentence",
    [
        "The İzmir port reopened on Monday after the long strike, officials said.",
        "ΟΔΟΣ's new bridge over the river opened on Monday after years of work.",
        "The new bridge over the river opened on Monday after years of work.",
    ],
    ids=["a dotted capital i", "a capital sigma", "neither"],
)
def test_a_repeated_sentence_is_found_whatever_its_letters(sentence):
    body = f"{sentence}\nIt cost 12 million euros, the city said.\n{sentence}"
    dups = [e for e in _run(body).evidence if e.feature == "filler.duplicate_sentence_ratio"]
    assert [(e.start, e.text) for e in dups] == [(body.rindex(sentence), sentence)]


@settings(max_examples=500, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("aB 1²½_.,'’-\n\x1c\u00a0\u2028İ"), max_size=40) | st.text(max_size=40)
)
def test_words_are_the_word_pattern_matches(text):
    assert filler._words(text) == filler._WORD.findall(text)


_VOCAB = "the bridge bridges opened city mayor Ruiz Lyon on Monday 12 million euros said new river of a cost".split()
_SENTENCE = st.lists(st.sampled_from(_VOCAB), min_size=4, max_size=14)


@settings(max_examples=300, deadline=None)
@given(
    pool=st.lists(_SENTENCE, min_size=1, max_size=4),
    picks=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 20)), min_size=2, max_size=10),
)
def test_sentences_that_cannot_repeat_are_skipped_with_nothing_changed(pool, picks):
    # Sentences drawn again from a few, each maybe with a word left out: copies, near copies
    # and sentences alike in a few words.
    sentences = [pool[i % len(pool)][:cut] + pool[i % len(pool)][cut + 1 :] for i, cut in picks]
    body = "\n".join(" ".join(words).capitalize() + "." for words in sentences)
    doc = make_doc(Article("T", body))
    with mock.patch.object(filler, "_may_repeat", lambda sentence, indexed: True):
        every_sentence_tried = filler.analyse(doc)
    assert filler.analyse(doc) == every_sentence_tried


def test_a_sentence_sharing_no_trigram_and_few_words_cannot_repeat():
    first = filler._sentence(None, "the mayor opened the new bridge over the river on monday".split())
    index = {key: [0] for key in (*first.grams, *first.content)}
    for words, may in [
        ("the mayor opened the new bridge over the river on monday", True),
        ("on monday the mayor opened a new bridge across the river", True),  # shares trigrams
        ("mayor ruiz said monday that costs of bridge works rose sharply", False),
    ]:
        later = filler._sentence(None, words.split())
        assert filler._may_repeat(later, [index.get(k) for k in (*later.grams, *later.content)]) is may
