"""`quality._regex.compile_fast`: the rewritten pattern finds exactly what `re.compile` finds;
`quality._regex.WordPattern`: its searches find exactly what the compiled pattern's find.

Plain `re` is the reference: every rewritten pattern is run beside the plain one on the same
texts (the lexicons' phrases in many casings and surroundings, the characters past ASCII that
match ASCII letters when case is ignored), through every way a signal calls it.
"""

from __future__ import annotations

import ast
import inspect
import random
import re
import string

import pytest

from quality import lexicon
from quality._regex import _PAST_ASCII_FOLDS, WordPattern, compile_fast
from quality.signals import _phrases, claims, sourcing
from tests import resources as R

# Every lexicon read as a pattern, with the flags its reader passes.
LEXICONS = [
    ("anonymous_sources", re.I),
    ("attribution", re.I),
    ("boilerplate", re.I),
    ("forward_reference", re.I),
    ("hedges", re.I),
    ("inline_filler", 0),
    ("reporting_verbs", 0),
    ("sensational", re.I),
    ("seo_padding", re.I),
    ("speech_acts", 0),
    ("vague_sources", re.I),
]
# Characters that stress the rewrite: case variants past ASCII (Kelvin sign, long s, dotted
# and dotless i), apostrophes and quotation marks, word characters that are not letters.
_ODD = [*"Kſİı’'“”\"«»-_éÉß\t.,5", "\n", "  "]


def _plain_source(name: str) -> str:
    """The alternation `lexicon.pattern` compiles."""
    return lexicon.alternation(name)


def _recase(word: str, rng: random.Random) -> str:
    return rng.choice([word, word.upper(), word.title(), word.swapcase()])


def _texts(words: list[str], seed: int, n: int = 400) -> list[str]:
    """Random runs of ``words`` (and of their first and last parts), odd characters between."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randrange(1, 12)):
            w = rng.choice(words)
            if rng.random() < 0.25:  # a head or a tail of the word only
                cut = rng.randrange(len(w) + 1)
                w = w[:cut] if rng.random() < 0.5 else w[cut:]
            if rng.random() < 0.3:
                w = _recase(w, rng)
            if rng.random() < 0.15:
                w = w.replace("k", "K", 1).replace("s", "ſ", 1).replace("I", "İ", 1).replace("i", "ı", 1)
            parts.append(w)
            parts.append(rng.choice([" ", " ", " ", *_ODD, rng.choice(string.ascii_letters)]))
        out.append("".join(parts))
    return out


def _words(pattern: str) -> list[str]:
    """Words to build texts from: the runs of letters of ``pattern`` and of the test texts."""
    found = re.findall(r"[A-Za-z’']{1,}", pattern)
    found += re.findall(r"\w+", R.SOURCED + R.HEDGED + R.VAGUE + R.UNATTRIBUTED + R.ATTRIBUTED + R.FILLER)
    return sorted(set(found))


def _assert_same(plain: re.Pattern[str], fast: re.Pattern[str] | WordPattern, texts: list[str]) -> None:
    """The same matches, and the same spans of their capture groups, every way they are asked
    (a `WordPattern` has only `search` and `finditer`; its `rx` is checked as a pattern)."""
    if isinstance(fast, WordPattern):
        _assert_same(plain, fast.rx, texts)
        for text in texts:
            assert [m.regs for m in fast.finditer(text)] == [m.regs for m in plain.finditer(text)], text
            for pos in range(len(text) + 1):
                p, f = plain.search(text, pos), fast.search(text, pos)
                assert (p and p.regs) == (f and f.regs), (text, pos)
        return
    assert fast.groupindex == plain.groupindex
    for text in texts:
        assert [m.regs for m in fast.finditer(text)] == [m.regs for m in plain.finditer(text)], text
        for pos in range(len(text) + 1):
            p, f = plain.match(text, pos), fast.match(text, pos)
            assert (p and p.regs) == (f and f.regs), (text, pos)
            p, f = plain.search(text, pos), fast.search(text, pos)
            assert (p and p.regs) == (f and f.regs), (text, pos)


@pytest.mark.parametrize(("name", "flags"), LEXICONS, ids=[n for n, _ in LEXICONS])
def test_each_lexicon_pattern_matches_as_the_plain_alternation(name, flags):
    source = _plain_source(name)
    plain, fast = re.compile(source, flags), lexicon.pattern(name, flags)
    texts = _texts(_words(source), seed=len(name), n=150)
    texts += [R.SOURCED, R.HEDGED, R.VAGUE, R.UNATTRIBUTED, R.ATTRIBUTED, R.FILLER, *lexicon.entries(name)]
    _assert_same(plain, fast, texts)


def test_the_lexicons_that_claims_and_sourcing_read_are_rewritten():
    read = {"attribution", "reporting_verbs", "anonymous_sources", "vague_sources", "hedges", "speech_acts"}
    rewritten = {
        name for name, flags in LEXICONS if lexicon.pattern(name, flags).pattern != _plain_source(name)
    }
    assert read <= rewritten


def _plain_definitions(module) -> dict[str, re.Pattern[str]]:
    """The patterns ``module`` defines with ``compile_fast(...)`` or ``WordPattern(...)``,
    compiled with `re.compile` from the same arguments (read from its source)."""
    out = {}
    for node in ast.parse(inspect.getsource(module)).body:
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and getattr(node.value.func, "id", None) in ("compile_fast", "WordPattern")
        ):
            args = [eval(compile(ast.Expression(a), "<args>", "eval"), vars(module)) for a in node.value.args]
            out[node.targets[0].id] = re.compile(*args)  # type: ignore[attr-defined]
    return out


@pytest.mark.parametrize("module", [claims, sourcing], ids=lambda m: m.__name__)
def test_the_signals_rewritten_patterns_match_as_written(module):
    plain = _plain_definitions(module)
    assert len(plain) >= 2
    for name, rx in plain.items():
        fast = getattr(module, name)
        if isinstance(fast, WordPattern):
            assert fast._after is not None, name  # searched from word break to word break
        else:
            assert fast.pattern != rx.pattern, name  # rewritten, else the test shows nothing
        _assert_same(rx, fast, _texts(_words(rx.pattern), seed=len(name), n=100))


@pytest.mark.parametrize(
    ("pattern", "flags"),
    [
        (r"\b(?:cause|caused|causes|because)\b", re.I),  # \b before a word character
        (r"\b(?:-|--)\w", 0),  # \b before a character that is not one
        (r"(?<!not )(?<!\bno )(?:say|said|says)(?!\w)", 0),  # look-behinds moved past the first character
        (r"(?:a|ab)(?:c|bc)d", re.I),  # backtracking order across distributed groups
        (r"[A-Dx-z]\w*|k(?:elvin)?|s(?:ee)?", re.I),  # a class opening, letters matched by K and ſ
        (r"it|it is|its", 0),  # the first alternative that matches wins, as in re
        (r"(?<![\w])(?:é|É|e)t(?![\w])", re.I),  # a cased letter past ASCII, case ignored
        (r"(?<![\w])(?:é|e)t(?![\w])", 0),
        (r"\.(?:\.\.)?|…", 0),
        ("kz|\u212aa|kab", re.I),  # the Kelvin sign matches k: "kab" must not move before it
        (r"\d|\b(?:hundreds|half|twice)\b", re.I),  # a class escape opens an alternative
        (r"\b(?:\dx|\sx|it)|\W\w", 0),  # ... and a word boundary moves past it
        # Case rules that change within the pattern: "Data" must match as written, "data" in any case.
        (r"\b(?:(?<!it was )(?:reports?|said) that|(?i:polls?|data)\b[^.;]{0,10}?\bfound|Data)", 0),
        (r"(?<![\w])(?:(?-i:Said|SAID)|(?:said|kelvin) that)(?![\w])", re.I),
        ("(?i:(?<!\\w)(?:ſee|é))|\u212a\\w|K\\w|(?-i:k)x", 0),
        # A capture group at the opening keeps its place; those after it are left as they are.
        (r"(?P<name>(?<![\w.])(?:(?:Dr|Mr)\.|[A-Z]\w*)),?\s+(?P<verb>said|told)\b", 0),
        (r"(?<!\w)(\b(?:said|told))\s+(\w+)", re.I),
    ],
)
def test_constructs_match_as_in_re(pattern, flags):
    plain, fast = re.compile(pattern, flags), compile_fast(pattern, flags)
    assert fast.pattern != pattern
    words = ["cause", "caused", "because", "-", "--", "say", "said", "not", "no", "abcd", "abbcd", "abd"]
    words += [
        "reports",
        "Reports",
        "REPORT",
        "that",
        "it was",
        "poll",
        "POLLS",
        "data",
        "Data",
        "found",
        "Said",
        "SAID",
        "sAid",
    ]
    words += ["12", "3x", "٣x", "\u2003x", " x", "hundreds", "Half", "twice"]
    words += "kab Kab kz it its Kelvin kelvin see ſee Dx ét Ét et ... … .".split() + ["it is"]
    _assert_same(plain, fast, _texts(words, seed=11, n=300))


@pytest.mark.parametrize(
    "pattern",
    [
        r"(cause|because)\b|due",  # a capture group in an alternative
        r"(?:a|b)(cause)",  # a capture group copied by distributing
        r"told|(?P<verb>said)\s+\w+",  # a named group in an alternative
        r"\d+|(?:a|b)",  # a quantified opening class escape
        r"(?s:.)x|told",  # inline flags other than case at the opening
        r"(?:a|b)?c",  # a quantified opening
        r"^said|told",  # an anchor at the opening
        r"\x41bc|def",  # an escape longer than one character
    ],
)
def test_what_it_cannot_take_apart_is_compiled_as_it_stands(pattern):
    assert compile_fast(pattern).pattern == pattern
    assert compile_fast(pattern, re.I).pattern == pattern


def test_ascii_letters_never_share_a_character_when_case_is_ignored():
    """What grouping alternatives by first letter rests on: no character matches two ASCII
    letters ignoring case (the Kelvin sign only k, the long s only s, dotted and dotless i
    only i), so at most one letter's group can match at a position."""
    every = "".join(map(chr, range(0x110000)))
    seen: dict[str, str] = {}
    for letter in string.ascii_lowercase:
        for c in re.findall(letter, every, re.I):
            assert c not in seen, (c, seen.get(c), letter)
            seen[c] = letter


@pytest.mark.parametrize(
    ("gate", "parts", "sources"),
    [
        (
            claims._hedge_or_vague,
            [lexicon.pattern("hedges"), lexicon.pattern("vague_sources")],
            [lexicon.alternation("hedges"), lexicon.alternation("vague_sources")],
        ),
        (
            lambda: re.compile(claims._DIGIT.pattern + "|" + claims._RULE_WORD.rx.pattern, re.I),
            [claims._ACCUSE, claims._CAUSE, claims._NUMBER, claims._CERTAIN],
            [claims._ACCUSE_WORDS, claims._CAUSE_WORDS, claims._NUMBER_WORDS, claims._CERTAIN_WORDS],
        ),
    ],
    ids=["hedge_or_vague", "any_rule"],
)
def test_claims_one_search_gates_find_something_where_one_of_their_parts_does(gate, parts, sources):
    rx = gate()
    words = sorted({w for source in sources for w in _words(source)})
    texts = _texts(words, seed=3, n=600) + [R.SOURCED, R.HEDGED, R.VAGUE, R.UNATTRIBUTED, R.ATTRIBUTED]
    found = [bool(rx.search(t)) for t in texts]
    assert found == [any(p.search(t) for p in parts) for t in texts]
    assert 50 < sum(found) < len(texts)  # texts of both kinds


@pytest.mark.parametrize(("name", "flags"), LEXICONS, ids=[n for n, _ in LEXICONS])
def test_each_lexicon_searched_from_word_breaks_matches_as_the_plain_alternation(name, flags):
    source = _plain_source(name)
    words = WordPattern(source, flags)
    # A lexicon opens on "no word character before"; those the signals read are searched so.
    if name in {
        "attribution",
        "reporting_verbs",
        "anonymous_sources",
        "vague_sources",
        "hedges",
        "speech_acts",
    }:
        assert words._after is not None
    texts = _texts(_words(source), seed=len(name) + 1, n=120)
    texts += [R.SOURCED, R.HEDGED, R.VAGUE, R.UNATTRIBUTED, R.ATTRIBUTED, R.FILLER, *lexicon.entries(name)]
    _assert_same(re.compile(source, flags), words, texts)


def test_the_shared_phrases_are_the_lexicons():
    text = R.SOURCED + " " + R.HEDGED + " " + R.VAGUE + " " + R.ATTRIBUTED
    for name, flags in LEXICONS:
        found = [m.span() for m in _phrases.word_pattern(name, flags).finditer(text)]
        assert found == [m.span() for m in lexicon.pattern(name, flags).finditer(text)], name


@pytest.mark.parametrize(
    ("pattern", "flags"),
    [
        (r"(?<![\w])(?:seems|appears to|allegedly)(?![\w])", re.I),
        (r"\b(?:cause|caused|causes|because)\b", re.I),  # \b before a word character
        (r"(?<!\w)(?:(?<!not )(?<!\bno )(?:say|said|says))(?!\w)", 0),  # look-behinds after the break
        (r"(?<![\w])(?:kz|ka|kab|see|ix)", re.I),  # k, s, i matched by letters past ASCII too
        ("(?<![\\w])(?:kz|\u212aa|kab|\u017fee|see)", re.I),  # ... and opening alternatives
        (r"(?<![\w])(?:(?-i:Said|SAID)|(?:said|kelvin) that)(?![\w])", re.I),  # case read as written
        (r"\b(?:(?<!it was )(?:reports?|said) that|(?i:polls?|data)\b[^.;]{0,10}?\bfound|Data)", 0),
        (r"(?<![\w])(?:“\w+”|-\w|it|it is|its)", 0),  # openings that are no word characters
        (r"(?<![\w])(?:a|ab)(?:c|bc)d", re.I),  # backtracking order
    ],
)
def test_word_pattern_searches_as_re(pattern, flags):
    words = WordPattern(pattern, flags)
    assert words._after is not None
    vocabulary = "seems appears to allegedly cause caused because say said says not no kz kab see ſee".split()
    vocabulary += (
        "ix İx ıx Said SAID sAid kelvin that reports it was poll POLLS data Data found “a” -a it its".split()
    )
    vocabulary += ["it is", "abcd", "abbcd", "\u212aa", "x", "xx"]
    _assert_same(re.compile(pattern, flags), words, _texts(vocabulary, seed=5, n=250))


@pytest.mark.parametrize(
    "pattern",
    [
        r"\d|\b(?:hundreds|half)\b",  # a figure may follow a letter
        r"\b(?:-|--)\w",  # \b before a non-word character: after a word character
        r"(?<![\w'’])(?:I|me)(?![\w'’])",  # a look-behind that is not "no word character"
        r"said|(?<!\w)told",  # one alternative without the break
        r"(?P<name>(?<!\w)[A-Z]\w+) said",  # a capture group
    ],
)
def test_word_pattern_without_a_break_before_every_match_searches_as_compiled(pattern):
    words = WordPattern(pattern)
    assert words._after is None
    texts = ["It said 12 half-told the -- x me I; told", "Smith said it", "a1 hundreds--x"]
    _assert_same(re.compile(pattern), words, texts)


def test_the_characters_past_ascii_that_match_ascii_letters_are_known():
    """`WordPattern` spells out the characters of a letter ignoring case: the letter in both
    cases and those of `_PAST_ASCII_FOLDS` that match it, which must be all there are."""
    every = "".join(map(chr, range(0x80, 0x110000)))
    found = {c for letter in string.ascii_lowercase for c in re.findall(letter, every, re.I)}
    assert found == set(_PAST_ASCII_FOLDS)
