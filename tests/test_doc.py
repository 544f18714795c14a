"""The analysed article: tokens, whichever of the token pattern's forms finds them."""

from __future__ import annotations

import random
import re

import pytest

from quality.article import Article
from quality.doc import _SENT_END, _TOKEN, _tokens, make_doc

_FRAGMENTS = (
    "www.|http://|https://|://|@|.com|.co.uk|.org|.info|.|-|+|_|"  # the links' literal parts
    "bbc|News|a|e|x1|3.5bn|10th|2020s|’|'| |\n|(|)|é|İ|/|"
    "½|x²|١٢"  # \w but neither letters nor \d (½, ²), and \d but not ASCII (١٢)
).split("|")


@pytest.mark.parametrize("seed", range(3))
def test_tokens_are_the_full_patterns(seed):
    """A text without "://"/"www.", "@" or a ".com"-like ending is tokenised without those
    alternatives: the tokens must be exactly the full pattern's."""
    rng = random.Random(seed)
    for _ in range(3000):
        text = "".join(rng.choice(_FRAGMENTS) for _ in range(rng.randint(0, 12)))
        expected = [(m.start(), m.end(), m.group(), m.lastgroup) for m in _TOKEN.finditer(text)]
        assert [
            (m.start(), m.end(), m.group(), m.lastgroup) for m in _tokens(text).finditer(text)
        ] == expected
        body = make_doc(Article("", text)).body
        assert [tuple(t) for t in body.tokens] == expected


def test_links_and_words():
    doc = make_doc(Article("See bbc.co.uk", "Mail joe@bbc.co.uk or visit https://x.org/a. It cost 3.5bn."))
    assert [(t.text, t.kind) for t in doc.title.tokens] == [("See", "word"), ("bbc.co.uk", "url")]
    assert [(t.text, t.kind) for t in doc.body.tokens] == [
        ("Mail", "word"),
        ("joe@bbc.co.uk", "url"),
        ("or", "word"),
        ("visit", "word"),
        ("https://x.org/a", "url"),
        ("It", "word"),
        ("cost", "word"),
        ("3.5bn", "num"),
    ]
    assert doc.n_words == 6


# The sentence-end pattern as first written; `_SENT_END` is it with its first character taken
# out in front, which re scans for faster.
_PLAIN_SENT_END = re.compile(r"(?<![.!?…])[.!?…]++[\"'”’)\]]*+(?=\s+[\"'“‘(\[]?[A-Z0-9À-ÖØ-ÞĀ-ſА-ЯЁΑ-Ω])|\n+")
_SENTENCE_FRAGMENTS = (". |.|!|?|…|...|?!|\n|\n\n| |  |\t|\"|'|”|’|“|‘|)|]|(|[|A|a|Dr|U.S|é|Й|7").split("|")


@pytest.mark.parametrize("seed", range(3))
def test_sentence_ends_are_the_plain_patterns(seed):
    rng = random.Random(seed)
    for _ in range(5000):
        text = "".join(rng.choice(_SENTENCE_FRAGMENTS) for _ in range(rng.randint(0, 14)))
        expected = [(m.span(), m.group()) for m in _PLAIN_SENT_END.finditer(text)]
        assert [(m.span(), m.group()) for m in _SENT_END.finditer(text)] == expected, text
