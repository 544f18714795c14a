"""Filler: text that is not the article.

Site chrome and boilerplate lines ("Skip to content", "Leave a Reply", "Tags:", share
counters, related-content teasers, author blurbs), and inside lines share counters ("335
SHARES"), photo credits and captions ("Name/AFP via Getty Images"), editor's notes and prompts
for a text generator left in the text; SEO padding ("cannot be overstated"); the headline
copied into the body and sentences the article says again, word for word or reworded (the
later copy is the evidence); and low lexical density.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from itertools import chain, filterfalse
from typing import NamedTuple

from quality import lexicon
from quality._regex import compile_fast
from quality.article import Evidence, SignalResult
from quality.doc import Doc, Span, lower_keeping_offsets

__all__ = ["FEATURES", "FUNCTION_WORDS", "analyse", "stem"]

FEATURES = (
    "filler.boilerplate_lines",
    "filler.boilerplate_char_ratio",
    "filler.seo_phrases_per_100w",
    "filler.duplicate_sentence_ratio",
    "filler.lexical_density",
)

#: Sentences indexed for repetition and candidates checked per sentence: caps that keep a
#: pathological 10,000-sentence page linear.
_MAX_SENTENCES = 1500
_CANDIDATES = 8
_POSTINGS = 12
# Words one of the inline_filler entries needs: lines without any skip the long alternation.
# Searched in every line: `compile_fast` finds the same matches, three times as fast.
_INLINE_HINT = compile_fast(
    r"SHARE|[Ss]hare|Tweet|Photo|Getty|Shutterstock|iStock|[Ee]ditor|Press\)|AFP|Reuters|"
    r"Bloomberg\)|Post\)|Times\)|EPA|AP\b|[Ss]egment|SEGMENT|[Ss]ection|SECTION|[Rr]elevant|RELEVANT|"
    r"[Cc]overed under|COVERED UNDER"
)
# Two kinds of inline_filler entry try several words at every word of a line, and took three
# quarters of the search: leaked prompts ("The transport and city sections might discuss ...")
# and credits naming the photographer before the agency ("Jean Dupont/AFP via Getty Images").
# Each is told by a part of the entry that all its matches hold, and needs a word that part
# cannot match without; a line without the word is searched without those entries (an
# alternative that matches nowhere in a text changes no match there). What is left is cheaper
# than the test of what every entry needs that it replaces (0.17 -> 0.07 ms an article).
_PROMPT_PARTS = ("(?i:sections?|segments?)",)
_PROMPT_WORDS = compile_fast(r"(?i:section|segment)")
_CREDIT_PARTS = (r"via\s+Getty\s+Images", r"/\s*(?:Getty\s+Images|Shutterstock|iStock")
_CREDIT_WORDS = re.compile(r"Getty|Shutterstock|iStock")
# What re's IGNORECASE matches to an ASCII letter that str.lower() makes something else of ("ſ"
# is an "s"; "ı" and "İ" are an "i"): in a text holding one, `_may_pad` cannot tell.
_ODD_FOLDS = ("İ", "ı", "ſ")
_BULLET = re.compile(r"^[\s\-–—•*·>|]*")
_WORD = re.compile(r"[^\W_]+(?:[.,]\d+)*", re.UNICODE)
# A link is one token, not the words "https www youtube com watch": two links are not a repeat.
_URL = re.compile(r"(?:https?://|www\.)\S+")
_LETTERS = re.compile(r"[^\W\d_]+", re.UNICODE)
_NAME = re.compile(r"(?<![.!?:]\s)(?<=\s)[A-Z][^\W\d_]+")
_KINDS = (
    # First: "Read more: ... Credit Suisse says" and "PHOTOS: 15 Of The Longest Marriages" are
    # teasers, whatever words about credits or photos follow.
    (
        re.compile(
            r"^[\W\d_]*(?:read\s+(?:more|also|next)|also\s+read|related|see\s+also|more\s+from|"
            r"you\s+(?:may|might)\s+also|recommended|trending|watch\b|photos\s*:)",
            re.I,
        ),
        "related-content teaser",
    ),
    (re.compile(r"photo|image|getty|shutterstock|istock|credit|associated press", re.I), "photo credit"),
    (re.compile(r"\bshares?\b|tweet|pin it", re.I), "share counter"),
    (re.compile(r"editor['’]?s note", re.I), "editor's note"),
    (
        re.compile(r"(?:sections?|segments?)\s+(?:might|could|would|may|should|will)|relevant section", re.I),
        "instructions left in the text",
    ),
)
# Function words: what is left when they are taken out is the information a text carries. Also
# what quality.stories leaves out when it compares sentences across articles.
FUNCTION_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just may me might more most must my myself no nor not now of off on
    once only or other our ours ourselves out over own same she should so some such than that
    the their theirs them themselves then there these they this those through to too under
    until up very was we were what when where which while who whom why will with would you
    your yours yourself yourselves""".split()
)


def _boilerplate(line: Span) -> re.Match[str] | None:
    """The boilerplate phrase that opens ``line``, if the line reads as chrome, not prose."""
    lead = _BULLET.match(line.text)
    offset = lead.end() if lead else 0
    m = lexicon.pattern("boilerplate").match(line.text, offset)
    if m is None:
        return None
    n_words = len(line.text.split())
    phrase_words = len(m.group().split())
    # "Latest figures show ..." is prose; "Latest" alone, or a long phrase, is chrome.
    if phrase_words < 3 and n_words > 6 and line.text.rstrip().endswith((".", "?")) and ":" not in m.group():
        return None
    return m


def _quoted(text: str, at: int) -> bool:
    """Whether ``text[at]`` stands inside quotation marks opened earlier in its paragraph."""
    before = text[text.rfind("\n", 0, at) + 1 : at]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


@functools.cache
def _stock_phrase_words() -> tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] | None:
    """The lower-case letter runs of each seo_padding phrase, grouped by the longest of them
    (the others after it); None when a phrase is a regular expression, not words."""
    groups: dict[str, list[tuple[str, ...]]] = {}
    for phrase in lexicon.entries("seo_padding"):
        if phrase.startswith("re:"):
            return None
        longest, *rest = sorted(re.findall("[a-z]+", phrase.lower()), key=len, reverse=True)
        groups.setdefault(longest, []).append(tuple(rest))
    return tuple((longest, tuple(rests)) for longest, rests in groups.items())


def _may_pad(text: str, lowered: str) -> bool:
    """Whether ``text`` (``lowered``: its `lower_keeping_offsets`) holds every word of some
    stock phrase: a phrase matches in any case, so each of its words, lower-cased, is in the
    lower-cased text. Tested in C (``str.__contains__``), in half the time of the search, which
    one article in twenty then needs."""
    groups = _stock_phrase_words()
    if groups is None or any(map(text.__contains__, _ODD_FOLDS)):
        return True
    return any(
        all(map(lowered.__contains__, rest))
        for longest, rests in groups
        if longest in lowered
        for rest in rests
    )


def _letter_runs(text: str) -> list[str]:
    """``_LETTERS.findall(text)``, in another order: a word of letters alone between spaces is
    a run, whole, from a split in C; the regex reads only the other words ("U.S.", "said,",
    "covid-19"), a quarter faster in all.

    Examples
    --------
    >>> _letter_runs("In the U.S., covid-19 rose.")
    ['In', 'the', 'U', 'S', 'covid', 'rose']
    """
    tokens = text.split()
    runs = list(filter(str.isalpha, tokens))
    runs += _LETTERS.findall(" ".join(filterfalse(str.isalpha, tokens)))
    return runs


def _words(text: str) -> list[str]:
    """``_WORD.findall(text)``: a word of letters and figures alone between spaces is one,
    whole, from a split in C; the regex reads only the other words ("said,", "U.S.", "2.5"),
    a quarter faster in all.

    Examples
    --------
    >>> _words("In the U.S., 2.5 million voted.")
    ['In', 'the', 'U', 'S', '2.5', 'million', 'voted']
    """
    words: list[str] = []
    for token in text.split():
        if token.isalnum():
            words.append(token)
        else:
            words += _WORD.findall(token)
    return words


def _kind(text: str) -> str:
    """What a filler line or span is, for its note."""
    return next((note for pattern, note in _KINDS if pattern.search(text)), "site chrome")


def stem(word: str) -> str:
    """Crude plural and possessive folding, enough to match a reworded sentence (here and across
    articles, in `quality.stories`)."""
    return word[:-1] if len(word) > 4 and word.endswith("s") else word


def _alternation(entries: tuple[str, ...]) -> str:
    """The alternation `lexicon.alternation` makes of a lexicon of ``re:`` entries, of
    ``entries`` only."""
    body = "|".join(f"(?:{e.removeprefix('re:').strip()})" for e in sorted(entries, key=len, reverse=True))
    return rf"(?<![\w])(?:{body})(?![\w])"


@functools.cache
def _inline_pattern(prompts: bool, credits: bool) -> re.Pattern[str]:
    """The inline_filler alternation, without the leaked-prompt entries unless ``prompts``, and
    without the photographer-first credits unless ``credits``."""
    if prompts and credits:
        return lexicon.pattern("inline_filler", 0)
    left_out = (() if prompts else _PROMPT_PARTS) + (() if credits else _CREDIT_PARTS)
    entries = tuple(e for e in lexicon.entries("inline_filler") if not any(p in e for p in left_out))
    return compile_fast(_alternation(entries), 0)


def _inline_filler(line: Span) -> list[tuple[int, int]]:
    """Share counters, photo credits, editor's notes and leaked prompts inside ``line``."""
    if not _INLINE_HINT.search(line.text):
        return []
    # Credits and counters are told apart from prose by their capitals ("SHARES", "Getty").
    pattern = _inline_pattern(
        _PROMPT_WORDS.search(line.text) is not None, _CREDIT_WORDS.search(line.text) is not None
    )
    spans: list[tuple[int, int]] = []
    for m in pattern.finditer(line.text):
        # "335 SHARES SHARE THIS STORY" is one counter, not two.
        if spans and not line.text[spans[-1][1] : m.start()].strip():
            spans[-1] = (spans[-1][0], m.end())
        else:
            spans.append((m.start(), m.end()))
    return [(line.start + s, line.start + e) for s, e in spans]


def _is_heading(text: str) -> bool:
    """A line that reads as a headline or label rather than a sentence of prose."""
    return not text.endswith((".", "?", "!", ".”", '."', ".’", "…")) or len(text.split()) <= 4


class _Sentence(NamedTuple):
    """What a sentence is compared on: its words, word trigrams and content words."""

    span: Span
    words: list[str]
    grams: frozenset[tuple[str, str, str]]
    content: frozenset[str]


def _sentence(span: Span, words: list[str]) -> _Sentence:
    content = frozenset(
        w[:-1] if len(w) > 4 and w[-1] == "s" else w
        for w in words
        if w not in FUNCTION_WORDS and not w[0].isdigit()
    )
    return _Sentence(span, words, frozenset(zip(words, words[1:], words[2:], strict=False)), content)


def _repeats(later: _Sentence, earlier: _Sentence) -> bool:
    """Whether ``later`` says again what ``earlier`` said, in the same or other words.

    The same figures and names are required: "Call 1 (844) ..." after "Call 1 (888) ...", or
    "TD Bank's response" after "Bank of America's response", are list items, not repetition.
    """
    # `_may_repeat` rules sentences out on these thresholds: it changes with them.
    shared = len(later.grams & earlier.grams)
    if not (shared >= 0.8 * min(len(later.grams), len(earlier.grams)) and len(later.grams) >= 6):
        # Reworded: most content words shared, both ways (one sentence's words inside a longer
        # one is a summary or a follow-up, not a restatement).
        if len(later.content) < 6 or len(earlier.content) < 6:
            return False
        common = len(later.content & earlier.content)
        if common < 0.8 * len(later.content) or common < 0.6 * len(later.content | earlier.content):
            return False
    earlier_words = set(earlier.words)
    if any(w[0].isdigit() and w not in earlier_words for w in later.words):
        return False
    # Capitalised words after the first are names, which a restatement keeps.
    return all(
        (name := m.group().lower()) in earlier_words or stem(name) in earlier.content
        for m in _NAME.finditer(later.span.text, 1)
    )


def _may_repeat(sentence: _Sentence, indexed: list[list[int] | None]) -> bool:
    """Whether `_repeats` may find ``sentence`` repeating a `_candidates` sentence, given which
    of its keys, trigrams then words, are in the index of earlier sentences (``indexed``: their
    lists, or None).

    Each key's list names a sentence once, and every key of an earlier sentence is in the
    index: a candidate shares four keys or more, and a repeat shares one of its trigrams at
    least (when it has six or more: an earlier sentence has one at least), or four in five
    of its words (when it has six or more).
    """
    n_grams = len(sentence.grams)
    grams = n_grams - indexed[:n_grams].count(None)
    words = len(indexed) - n_grams - indexed[n_grams:].count(None)
    return grams + words >= 4 and (
        (n_grams >= 6 and grams > 0) or (len(sentence.content) >= 6 and words >= 0.8 * len(sentence.content))
    )


def _candidates(counts: Counter[int]) -> list[int]:
    """The earlier sentences a sentence may repeat, given how many trigrams and content words
    it shares with each (``counts``, by index): at most `_CANDIDATES`, the most shared first.

    Either test of `_repeats` needs at least four shared keys. Among sentences that share as
    many, the earliest comes first: the repeat names the first place it was said, in every
    process (the order ``counts`` saw them in follows a set of strings, whose order changes
    with PYTHONHASHSEED).

    Examples
    --------
    >>> _candidates(Counter({41: 10, 20: 10, 16: 9, 3: 2}))
    [20, 41, 16]
    """
    best = sorted(i for i, c in counts.items() if c >= 4)
    best.sort(key=counts.__getitem__, reverse=True)  # stable: ties stay earliest first
    return best[:_CANDIDATES]


def analyse(doc: Doc) -> SignalResult:
    """Find boilerplate, padding and repetition in ``doc``.

    Examples
    --------
    >>> from quality.article import Article
    >>> from quality.doc import make_doc
    >>> r = analyse(make_doc(Article("T", "Rain fell.\\nLeave a Reply\\nTags: rain, weather")))
    >>> [e.text for e in r.evidence]
    ['Leave a Reply', 'Tags: rain, weather']
    """
    body = doc.body
    evidence: list[Evidence] = []
    n = doc.n_words

    chrome_lines = 0
    chrome_chars = 0
    chrome_spans: list[tuple[int, int]] = []
    for line in body.lines:
        if _boilerplate(line):
            chrome_lines += 1
            chrome_chars += line.end - line.start
            chrome_spans.append((line.start, line.end))
            evidence.append(
                body.evidence(
                    "filler",
                    "filler.boilerplate_lines",
                    line.start,
                    line.end,
                    "boilerplate: " + _kind(line.text),
                )
            )
            continue
        found = _inline_filler(line)
        if not found:
            continue
        chrome_lines += 1
        # A caption or counter that is most of its line takes the line with it.
        if sum(e - s for s, e in found) >= 0.5 * (line.end - line.start):
            found = [(line.start, line.end)]
        for s, e in found:
            chrome_chars += e - s
            chrome_spans.append((s, e))
            evidence.append(
                body.evidence(
                    "filler", "filler.boilerplate_lines", s, e, "boilerplate: " + _kind(body.text[s:e])
                )
            )

    duplicated_words = 0
    seo = 0
    lowered = lower_keeping_offsets(body.text)
    padding = lexicon.pattern("seo_padding").finditer(body.text) if _may_pad(body.text, lowered) else ()
    for m in padding:
        # "Page said to 'stay tuned'": padding is the writer's, a quotation is somebody's words.
        if _quoted(body.text, m.start()):
            continue
        seo += 1
        evidence.append(
            body.evidence(
                "filler", "filler.seo_phrases_per_100w", m.start(), m.end(), "padding: stock phrase"
            )
        )

    # The headline copied into the body ("20 dead in Syria barrel bomb attack in Aleppo NGO AFP
    # Monday ..." under that headline): page furniture, whatever the sentence splitter made of it.
    title = doc.title.text.strip()
    if len(title.split()) >= 4:
        at = lowered.find(lower_keeping_offsets(title))
        if at >= 0:
            duplicated_words += len(_LETTERS.findall(title))
            chrome_spans.append((at, at + len(title)))
            evidence.append(
                body.evidence(
                    "filler", "filler.duplicate_sentence_ratio", at, at + len(title), "repeats the headline"
                )
            )

    # A sentence that repeats an earlier one, word for word or reworded. Candidates come from an
    # index of the earlier sentences' trigrams and content words, so a long page stays linear;
    # sentences inside chrome (a "Story highlights" box) are neither copies nor originals.
    seen: list[_Sentence] = []
    by_key: dict[object, list[int]] = {}
    chrome_spans.sort()
    # A sentence's words lower-cased are found in the lower-cased body, at the same offsets (a
    # character lower-cased is of the same class), unless the body holds "İ" (kept as it is
    # there) or "Σ" (lower-cased by what follows it, which a word alone lacks).
    same_words = "İ" not in body.text and "Σ" not in body.text
    for span in body.sentences:
        if chrome_spans and any(s <= span.start < e or span.start <= s < span.end for s, e in chrome_spans):
            continue
        if "http" in span.text or "www." in span.text:
            words = list(map(str.lower, _WORD.findall(_URL.sub(" ", span.text))))
        elif same_words:
            words = _words(lowered[span.start : span.end])
        else:
            words = list(map(str.lower, _WORD.findall(span.text)))
        if len(words) < 6:
            continue
        sentence = _sentence(span, words)
        # Each key looked up once, for the count and to be added to below (the trigrams and the
        # words are two sets of different types: no key is in both).
        keys = (*sentence.grams, *sentence.content)
        indexed = list(map(by_key.get, keys))
        # Seven sentences in ten cannot repeat any earlier one, whatever it is.
        if not _may_repeat(sentence, indexed):
            match = None
        else:
            counts = Counter(chain.from_iterable(filter(None, indexed)))
            match = next((seen[i] for i in _candidates(counts) if _repeats(sentence, seen[i])), None)
        # The body's lede restating a heading above it ("BREAKING: Pipe Bombs Found ..." then
        # "Pipe bombs have been found ...") is the article starting, not a repeat.
        if match is not None and not (_is_heading(match.span.text) and not _is_heading(span.text)):
            duplicated_words += len(words)
            note = f"repeats: {match.span.text[:60]!r}"
            evidence.append(
                body.evidence("filler", "filler.duplicate_sentence_ratio", span.start, span.end, note)
            )
            continue
        if len(seen) < _MAX_SENTENCES:
            number = len(seen)
            for key, postings in zip(keys, indexed, strict=True):
                if postings is None:
                    by_key[key] = [number]
                # A word in every other sentence ("coronavirus") finds no restatement.
                elif len(postings) < _POSTINGS:
                    postings.append(number)
            seen.append(sentence)

    # The lower-cased body has its letter runs where the body has them: a character lower-cased
    # is a letter if it was one (`lower_keeping_offsets` keeps those that become two).
    words = _letter_runs(lowered)
    content_words = len(words) - sum(map(FUNCTION_WORDS.__contains__, words))
    features = {
        "filler.boilerplate_lines": float(chrome_lines),
        "filler.boilerplate_char_ratio": chrome_chars / len(body.text) if body.text else 0.0,
        "filler.seo_phrases_per_100w": 100.0 * seo / n if n else 0.0,
        "filler.duplicate_sentence_ratio": duplicated_words / len(words) if words else 0.0,
        "filler.lexical_density": content_words / len(words) if words else 0.0,
    }
    amount = (
        0.7 * chrome_lines
        + 8.0 * features["filler.boilerplate_char_ratio"]
        + 0.75 * seo
        + 6.0 * features["filler.duplicate_sentence_ratio"]
    )
    score = 1.0 - math.exp(-amount) if n else 0.0
    return SignalResult("filler", score, features, tuple(evidence))
