"""Tokenise and split an article once; every signal reads the same `Doc`.

Offsets are character offsets into ``article.title`` or ``article.body``, so evidence built from
them satisfies ``getattr(article, field)[start:end] == text``.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from itertools import accumulate, repeat
from typing import NamedTuple

from quality.article import Article, Evidence

__all__ = ["Doc", "Span", "Token", "lower_keeping_offsets", "make_doc", "sentences"]

# URLs and e-mail addresses first, so that their parts are not read as words.
_URL = r"(?:https?://|www\.)[^\s<>\"'()\[\]]+[^\s<>\"'()\[\].,;:!?]"
_EMAIL = r"(?<![\w.+-])[\w.+-]++@[\w-]+\.[\w.-]+"
_DOMAIN = r"(?<![\w.-])[a-z0-9-]++(?:\.[a-z0-9-]+)*\.(?:com|org|net|gov|edu|co\.uk|io|info)\b"
_NUM_WORD = r"(?P<num>\d+(?:[.,:]\d+)*(?:st|nd|rd|th|s|m|bn|k|%)?)|(?P<word>[^\W\d_]+(?:['’-][^\W\d_]+)*)"


def _token_pattern(url: bool = True, email: bool = True, domain: bool = True) -> re.Pattern[str]:
    """The token pattern, with only the kinds of link named (all three: `_TOKEN`)."""
    links = [p for p, on in ((_URL, url), (_EMAIL, email), (_DOMAIN, domain)) if on]
    return re.compile((f"(?P<url>{'|'.join(links)})|" if links else "") + _NUM_WORD, re.UNICODE)


_TOKEN = _token_pattern()
# The link alternatives are tried, and fail, at the start of every word (the e-mail and domain
# ones run through the whole word first); in a text without their literal part ("://" or "www.",
# "@", a ".com"-like ending) they match nowhere, and the pattern without them finds exactly the
# same tokens there, faster (`_tokens`).
_TOKENS = {
    (url, email, domain): _token_pattern(url, email, domain)
    for url in (False, True)
    for email in (False, True)
    for domain in (False, True)
}
# The same with the whole token captured, for `re.split` (`_token_tuple`); a word is what is
# neither a link nor a number, so its group is not captured again.
_SPLIT_TOKENS = {
    links: re.compile(f"({p.pattern.replace('(?P<word>', '(?:')})", p.flags) for links, p in _TOKENS.items()
}
# Without links (nine texts in ten), a token is a word or a number, and both start with a letter
# or digit. Written to open on that character set, the pattern lets re skip ahead to one
# instead of trying both alternatives at every character; the character taken, a look-behind
# tells the two apart (a word's letters are no digits), and the number's group (empty) says
# which one matched, as `_token_tuple` reads it. The same tokens, a tenth faster.
_SPLIT_TOKENS[False, False, False] = re.compile(
    r"([^\W_](?:(?<!\d)[^\W\d_]*(?:['’-][^\W\d_]+)*|(?P<num>)\d*(?:[.,:]\d+)*(?:st|nd|rd|th|s|m|bn|k|%)?))"
)
# Every match of the domain alternative ends with a match of this (same \b, same text).
_TLD = re.compile(r"\.(?:com|org|net|gov|edu|co\.uk|io|info)\b")
# A sentence ends at . ! ? (and closing quotes/brackets) followed by space and a likely start,
# or at a line break. Abbreviations are re-joined below. Written as
#     (?<![.!?…])[.!?…]++[\"'”’)\]]*+(?=\s+[\"'“‘(\[]?[A-Z0-9À-ÖØ-ÞĀ-ſА-ЯЁΑ-Ω])|\n+
# with its first character taken out in front, where re skips ahead to it instead of trying
# both alternatives at every character (five times faster; the same matches: the lookbehinds
# check, one character later, what the plain pattern checks before its first).
_SENT_END = re.compile(
    r"[.!?…\n](?:(?<=[.!?…])(?<![.!?…].)[.!?…]*+[\"'”’)\]]*+(?=\s+[\"'“‘(\[]?[A-Z0-9À-ÖØ-ÞĀ-ſА-ЯЁΑ-Ω])|(?<=\n)\n*)"
)
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|Lt|Col|Capt|Sgt|Rep|Sen|Gov|St|Jr|Sr|No|vs|etc|Inc|Ltd|Co|"
    r"Corp|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|U\.S|U\.K|U\.N|e\.g|i\.e|a\.m|p\.m)"
    r"|\b[A-Z])\.$"
)
# Titles always lead into a name ("Dr. Li"); other abbreviations ("U.S.", "Inc.", an initial or
# "World War I.") also end sentences, which is the case when the next word is one that starts
# sentences and never follows an initial or a company suffix ("the U.S. The Fed ...").
_TITLE_ABBREV = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|Lt|Col|Capt|Sgt|Rep|Sen|Gov|St|No|vs)\.$")
_STARTER = re.compile(
    r"\s+[\"'“‘(\[]?(?:The|It|He|She|They|We|You|This|That|These|Those|There|Its|His|Her|Their|"
    r"Our|But|And|Yet|So|However|Meanwhile|In|On|At|After|Before|While|When|If|As|What|Why|How|"
    r"Who|Some|Many|Most|Officials|Police)\b"
)
_LINE = re.compile(r"\n")

#: A token's kind (``Token.kind``, its fourth item), for `map`.
_KIND = operator.itemgetter(3)


class Token(NamedTuple):
    """A word, number or URL with its offsets; ``kind`` is "word", "num" or "url".

    A named tuple rather than a frozen dataclass: an article has hundreds of tokens, and a
    tuple is built several times faster.
    """

    start: int
    end: int
    text: str
    kind: str


class Span(NamedTuple):
    """A sentence, line or paragraph: offsets and its text, stripped of surrounding space."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Field:
    """One field (title or body) analysed: tokens, sentences and lines."""

    name: str
    text: str
    tokens: tuple[Token, ...]
    sentences: tuple[Span, ...]
    lines: tuple[Span, ...]

    @property
    def words(self) -> list[Token]:
        return [t for t in self.tokens if t.kind == "word"]

    def evidence(self, signal: str, feature: str, start: int, end: int, note: str = "") -> Evidence:
        """Evidence for ``text[start:end]``, trimmed of surrounding whitespace."""
        text = self.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return Evidence(signal, feature, self.name, start, end, text[start:end], note)

    def sentence_index(self, offset: int) -> int:
        """Index of the sentence containing ``offset`` (or the nearest one before it)."""
        lo, hi = 0, len(self.sentences)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.sentences[mid].start <= offset:
                lo = mid + 1
            else:
                hi = mid
        return max(lo - 1, 0)


@dataclass(frozen=True, slots=True)
class Doc:
    """An article analysed once: its two fields, and counts every signal needs."""

    article: Article
    title: Field
    body: Field
    n_words: int

    @property
    def fields(self) -> tuple[Field, Field]:
        return (self.title, self.body)


def _strip_span(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end, text[start:end]) if end > start else None


def _split(text: str, pattern: re.Pattern[str]) -> list[Span]:
    spans: list[Span] = []
    start = 0
    for m in pattern.finditer(text):
        s = _strip_span(text, start, m.start() if m.group().startswith("\n") else m.end())
        if s:
            spans.append(s)
        start = m.end()
    s = _strip_span(text, start, len(text))
    if s:
        spans.append(s)
    return spans


def _sentences(text: str) -> list[Span]:
    spans: list[Span] = []
    start = 0
    for m in _SENT_END.finditer(text):
        newline = m.group().startswith("\n")
        end = m.start() if newline else m.end()
        if (
            not newline
            and _ABBREV.search(text, max(start, end - 8), end)
            and (_TITLE_ABBREV.search(text, max(start, end - 6), end) or not _STARTER.match(text, m.end()))
        ):
            continue
        s = _strip_span(text, start, end)
        if s:
            spans.append(s)
        start = m.end()
    s = _strip_span(text, start, len(text))
    if s:
        spans.append(s)
    return spans


def lower_keeping_offsets(text: str) -> str:
    """``text.lower()``, but a character that lower-cases to two ("İ": "i" and a dot) is kept
    as it is, so that an offset in the result is the same offset in ``text``.

    Examples
    --------
    >>> lower_keeping_offsets("İzmir, Texas")
    'İzmir, texas'
    """
    lower = text.lower()
    if len(lower) == len(text):  # no character became two: offsets agree
        return lower
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def sentences(text: str) -> list[Span]:
    """The sentences of ``text`` with their offsets, split as `make_doc` splits them, without
    tokenising (a tenth of `make_doc`'s time; `quality.stories` needs only the sentences).

    Examples
    --------
    >>> [s.text for s in sentences("It rained. Dr. Li said so.")]
    ['It rained.', 'Dr. Li said so.']
    """
    return _sentences(text)


def _tokens(text: str) -> re.Pattern[str]:
    """`_TOKEN` without the link alternatives that cannot match in ``text``: a URL needs "://"
    or "www.", an e-mail address "@", a domain a ".com"-like ending. Leaving out an alternative
    that matches nowhere changes no match, so the tokens are `_TOKEN`'s."""
    return _TOKENS[_links(text)]


def _links(text: str) -> tuple[bool, bool, bool]:
    return ("://" in text or "www." in text, "@" in text, _TLD.search(text) is not None)


def _token_tuple(text: str) -> tuple[Token, ...]:
    """The tokens of ``text``: the matches of `_tokens(text)`, with their kinds (the group
    each matched in).

    Built from ``re.split`` rather than a `Token` per ``finditer`` match, whose four method
    calls cost more than the matching: with the whole token captured, the split gives the text
    before each token, the token, its link and number groups (None unless it is one), and the
    text after the last one; the offsets are the running sum of their lengths.
    """
    pattern = _SPLIT_TOKENS[_links(text)]
    parts = pattern.split(text)
    step = pattern.groups + 1
    texts = parts[1::step]
    pieces = [""] * (2 * len(texts) + 1)
    pieces[0::2] = parts[0::step]
    pieces[1::2] = texts
    offsets = list(accumulate(map(len, pieces)))  # where each token starts, then where it ends
    group = pattern.groupindex
    nums = parts[group["num"] :: step]
    if "url" in group:
        urls = parts[group["url"] :: step]
        kinds = [
            "url" if u is not None else "word" if n is None else "num"
            for u, n in zip(urls, nums, strict=True)
        ]
    else:
        kinds = ["word" if n is None else "num" for n in nums]
    # tuple.__new__ is what Token(...) calls, without the Python-level __new__ in between.
    return tuple(
        map(tuple.__new__, repeat(Token), zip(offsets[0:-1:2], offsets[1::2], texts, kinds, strict=True))
    )


def _field(name: str, text: str) -> Field:
    tokens = _token_tuple(text)
    return Field(
        name=name,
        text=text,
        tokens=tokens,
        sentences=tuple(_sentences(text)),
        lines=tuple(_split(text, _LINE)),
    )


def make_doc(article: Article) -> Doc:
    """Analyse ``article`` once.

    Examples
    --------
    >>> doc = make_doc(Article(title="Rain", body="It rained. Dr. Li said so. In the U.S. It did not."))
    >>> [s.text for s in doc.body.sentences]
    ['It rained.', 'Dr. Li said so.', 'In the U.S.', 'It did not.']
    """
    title = _field("title", article.title)
    body = _field("body", article.body)
    n_words = len(body.tokens) - list(map(_KIND, body.tokens)).count("url")
    return Doc(article=article, title=title, body=body, n_words=n_words)
