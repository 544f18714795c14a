"""The analysed article: tokens, whichever of the token pattern's forms finds them."""

from __future__ import annotations

import random

import pytest

from quality.article import Article
from quality.doc import _TOKEN, _tokens, make_doc

_FRAGMENTS = (
    "www.|http://|https://|://|@|.com|.co.uk|.org|.info|.|-|+|_|"  # the links' literal parts
    "bbc|News|a|e|x1|3.5bn|10th|2020s|’|'| |\n|(|)|é|İ|/"
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
