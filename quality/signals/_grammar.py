"""Real words written for another, found by English grammar rather than by a word list.

A dictionary cannot see "trying to reach a a broader audience", "its a crime", "using it's
systems", "have grow increasingly worried" or "millions have been displaces": every word is
English. What gives them away is the word next to them, read with what a word can be, which
LemmInflect's tables give (every form of 40,000 English nouns, verbs, adjectives and adverbs,
from the NIH SPECIALIST lexicon, shipped in its wheel; no download; ``quality/_inflections.py``),
and how it is said, which the CMU pronouncing dictionary gives:

- "a" before a word said with a vowel first ("a economic"), "an" before one said with a
  consonant first ("an program"), by the CMU pronouncing dictionary ("a one", "an hour");
- the same short word twice ("a a", "of of"; not "that that", "had had", "is is", "was was",
  which English allows, nor "in in" after a verb whose particle it is: "drive in in your kit");
- "its" before a word that cannot follow a possessive ("its a", "its not", "its been");
- "it's" between a verb and a word that can only be a noun ("reconsiders it's decision",
  "make it's cars");
- "have"/"has"/"had" before the bare form of a verb ("have grow", "has be"), also made
  negative or followed by an adverb ("hasn't yet respond", "had not be identified"), unless a
  noun follows it ("have complete information");
- "fro" outside "to and fro" ("phone calls fro the Oval Office");
- one of something written with the plural of a "-man" noun ("a women", "a spokeswomen");
- "been" before a verb's -s or bare form ("been displaces").

Each rule was run over every reliable-label article of the four corpora under
``../shared/corpora`` (1.18 million words) and its hits read; the word lists below are what
that reading took out ("its legal team", "its being the capital", "what they had was").
"""

from __future__ import annotations

import re
from collections.abc import Callable

from quality import _cmudict
from quality._inflections import kinds as _kinds
from quality._inflections import verb_forms as _verb_forms
from quality.doc import lower_keeping_offsets

__all__ = ["slips"]

# Short words that English does not write twice in a row: "to to" is a slip, "that that",
# "had had" and "what it is is" are not.
_DOUBLED = "a an the to of in on and for with at by from as be are".split()

# Words that cannot follow the possessive "its" and often follow "it's": articles, pronouns,
# adverbs, "not", "been", "going". Adjectives are left out ("its legal team", "its hard
# drive"), and so are words a possessive can take ("its being", "its only", "its very").
_AFTER_IT_IS = frozenset(
    """not a an the been going gonna just also because about like here there so too what how why
    who my your our their his her anyone everyone someone nobody nothing something everything
    always never almost really actually probably obviously clearly definitely certainly ok okay
    getting no""".split()
)

# Verbs that take a clause: "think it's science" is "it is".
_CLAUSE_VERBS = frozenset(
    """say says said saying think thinks thought thinking believe believes believed know knows
    knew guess hope hoped feel feels felt mean means meant seem seems seemed realize realized
    realise realised argue argues argued claim claims claimed insist insists insisted tell tells
    told find finds found agree agreed admit admits admitted suppose bet figure figured note
    notes noted write writes wrote add adds added explain explains explained suggest suggests
    suggested show shows showed proves proved wish wished decide decided understand understood
    learn learned see sees saw remember remembered forget forgot notice noticed reckon assume
    assumed imagine doubt hear heard read fear feared worry worried warn warned joked quipped
    replied responded answered asked wondered recalled continued concluded stressed emphasized
    confirmed announced declared stated reported predicted acknowledged is was""".split()
)

# Nouns that are verbs too and end a clause of time or place before "it's": "by the time it's
# midnight", "every day it's news". Other verbs that are nouns or adjectives too take "it's"
# as "its" ("make it's cars", "enhanced it's reputation").
_WHEN_NOUNS = frozenset("time times moment day days week night place case point way end".split())

# Words after "it's" that LemmInflect lists only as nouns yet that "it's" often takes: "it's
# time", "it's all", "it's that", "it's me".
_AFTER_IT_IS_NOUN = frozenset(
    """time fun people money news all that those these this me him her us them you everything
    nothing something anything one life family""".split()
)

# Every rule's trigger in one pattern, searched in the lower-cased text with the characters
# that can open a sentence or a quotation made spaces (offsets kept) and one space put before
# it: a short word written twice; "a" before a word a vowel letter starts ("a economic") and
# "an" before one a consonant letter other than "h" starts ("an program"; "an historic" is
# English), few enough to look each up in the pronouncing dictionary ("a one", "a
# university"); and "its", "it's", "have", "been" with the word after
# them, looked at, not consumed ("the have grow" holds two triggers). The case of the words is
# checked in the text itself.
_NEXT = r"(?= (?P<n>[a-z]+)(?![\w'’-]))"
# Words after "have" or "been" that are no bare verb nor a verb's -s form, by far the most
# common there (a past participle, "to", "a", "also"): left out by the pattern itself, which
# leaves a fifth of the "have"s and "been"s of a page to look up.
_NOT_AFTER_HAVE = (
    r"[a-z]*(?:ed|en|wn|ing)|to|a|an|the|also|not|no|already|had|said|made|more|some|only|never|"
    r"all|any|always|recently|lost|found|left|come|become|begun|in|on|at|been|just|so|very|many|"
    r"their|his|her|its|my|our|your|this|that|these|those|it|them|us|you|him|me|one|two|got|put|"
    r"set|let|cut|hit|read|run|done|seen|taken|led|held|told|brought|paid|felt|kept|sent|spent|"
    r"built|won|met|heard|thought|bought|taught|caught|fought|sold|struck|hurt|cost|quit|spread"
)
_TRIGGERS = re.compile(
    rf" (?:(?P<twice>{'|'.join(_DOUBLED)}) (?P=twice)(?![\w'’-])"
    r"|(?:(?P<a>a)(?= [aeiou])|(?P<an>an)(?= [b-df-gj-np-tv-z])"
    rf"|(?P<its>its)(?= (?:{'|'.join(sorted(_AFTER_IT_IS))})(?![\w'’-]))|(?P<w>it['’]s"
    rf"|(?:have|has|had|having|been)(?! (?:{_NOT_AFTER_HAVE})(?![\w'’-]))))"
    rf"{_NEXT})"
)
_HAVE = re.compile(rf"(?<=[a-z])['’]ve(?! (?:{_NOT_AFTER_HAVE})(?![\w'’-])){_NEXT}")
# "have" made negative or followed by an adverb of time before a bare verb ("hasn't yet
# respond", "had not be identified"): what _TRIGGERS leaves out ("not", "already" and "never"
# are among the words it does not look past).
_ADVERBS = "yet|already|never|just|also|ever|recently|finally|still|always"
_HAVE_NOT = re.compile(rf" (?:have|has|had)(?:(?:n['’]t| not)(?: (?:{_ADVERBS}))?| (?:{_ADVERBS})){_NEXT}")
# One of something written with the plural of a "-man" noun ("a women", "a spokeswomen"):
# the plural's singular is a noun of LemmInflect's, or it ends in "women" (no singular does).
# "single women" is an adjective's, so only determiners that count one.
# Found from the end: "men" closing a word is rare enough to look back from each one for the
# determiner ("a women"), and a scan for it is a literal search.
_MEN_END = re.compile(r"men(?![\w'’-])")
_ONE_BEFORE = re.compile(r" (?P<d>a|an|one|every|each|another) (?P<p>[a-z]*)$")
_PRONOUN_ONE = re.compile(r"(?<![a-z])(?:the|that|this|which)$")
# "fro" outside "to and fro" is "for" or "from" ("calls fro the Oval Office").
_FRO = re.compile(r" fro(?![\w'’-])(?! and| yo\b)")
# What before "fro" makes it English: "to and fro" (any spacing), and an article or a
# possessive ("a fro", "her fro": the hairstyle).
_NOT_FRO_SLIP = re.compile(r"(?:to[\s-]+and[\s-]*|(?<![a-z])(?:a|the|her|his|my|your))$")
_OPENERS = ("\n", "\t", "\r", '"', "“", "‘", "(")
# A verb whose particle is "in" or "on" ("drive in", "fitted in", "carry on"): the
# preposition after it may be "in" or "on" again ("fitted in in the days of Cromwell").
# Only verbs whose "in"/"on" is a particle: "live in in the town", "rely on on the data" are
# slips.
_PARTICLE_VERB = re.compile(
    r"(?<![a-z])(?:drive|drives|drove|driven|driving|fit|fits|fitted|fitting|come|comes|came|coming"
    r"|go|goes|went|gone|going|log|logs|logged|logging|check|checks|checked|checking|give|gives|gave"
    r"|given|giving|fill|fills|filled|filling|sign|signs|signed|signing|pitch|pitched|chip|chipped"
    r"|plug|plugged|turn|turns|turned|turning|tune|tuned|cash|cashed|lock|locked|settle|settled"
    r"|sink|sank|sunk|dig|dug|join|joined|step|stepped|weigh|weighed|call|called|break|broke"
    r"|kick|kicked|cave|caved|bring|brought|let|take|took|taken|send|sent|hand|handed|throw|threw"
    r"|thrown|factor|factored|zoom|zoomed|tuck|tucked|phone|phoned|carry|carried|carries|hold"
    r"|held|keep|kept|catch|caught|try|tried|get|got|getting|pass|passed|hang|hung|pick|picked"
    r"|move|moves|moved|moving)$"
)


def _bare_verb(word: str) -> bool:
    """Whether ``word`` can only be a verb's bare form ("grow", "be"), not a noun, an adjective,
    an adverb or another form of a verb."""
    tags, _ = _verb_forms(word)
    return bool(tags) and tags <= {"VB", "VBP"} and not _kinds(word) & {"NOUN", "ADJ", "ADV"}


def slips(text: str, apostrophes: Callable[[], bool]) -> list[tuple[int, int, str]]:
    """Offsets of real words written for another in ``text``, each with the words meant.

    ``apostrophes()`` says whether the article writes contractions with their apostrophe
    (asked only where it matters): without, "its" for "it's" is how the page was scraped, not
    a slip.

    Examples
    --------
    >>> slips("He said its a shame to reach a a wider audience.", lambda: True)
    [(8, 11, "it's"), (29, 32, 'a')]
    """
    low = " " + lower_keeping_offsets(text)  # low[k + 1] is text[k]
    for opener in _OPENERS:  # str.replace, many times faster than str.translate
        if opener in low:
            low = low.replace(opener, " ")
    out = []
    if "ve " in text:  # "we've grow"
        for m in _HAVE.finditer(low):
            if text.startswith(m["n"], m.start("n") - 1):
                out += _after_have(text, m.start("n") - 1, m["n"])
    for m in _HAVE_NOT.finditer(low):
        if text.startswith(m["n"], m.start("n") - 1):
            out += _after_have(text, m.start("n") - 1, m["n"])
    for m in _MEN_END.finditer(low):
        before = _ONE_BEFORE.search(low, max(0, m.start() - 40), m.start())
        if before is None:
            continue
        nxt = before["p"] + "men"
        at = before.start("p") - 1  # (low[k + 1] is text[k])
        one = nxt[:-3] + "man"
        # A capital "A" inside a sentence is a letter ("Type A men").
        d = before.start("d") - 1
        if text[d] == "A" and d and text[max(0, d - 10) : d].rstrip()[-1:] not in ("", ".", "!", "?", ":"):
            continue
        if _PRONOUN_ONE.search(low, max(0, before.start() - 6), before.start()):
            continue
        if text.startswith(nxt, at) and (nxt.endswith("women") or "NOUN" in _kinds(one)):
            out.append((at, at + len(nxt), one))
    if " fro" in low:
        for m in _FRO.finditer(low):
            # (The match starts at its space, one before "fro" in low: its offset in text.)
            if text.startswith("fro", m.start()) and not _NOT_FRO_SLIP.search(
                low, max(0, m.start() - 12), m.start()
            ):
                out.append((m.start(), m.start() + 3, "for or from"))
    for m in _TRIGGERS.finditer(low):
        twice, a, an, its, w, nxt = m.group("twice", "a", "an", "its", "w", "n")
        if twice:
            start, end = m.start(), m.end() - 1
            first, second = text[start : start + len(twice)], text[end - len(twice) : end]
            if first == second and not (
                twice in ("in", "on") and _PARTICLE_VERB.search(low, max(0, m.start() - 12), m.start())
            ):
                out.append((start, end, first))
            continue
        after = m.start("n") - 1
        if not text.startswith(nxt, after):
            continue  # a capitalised word: a name ("a UN official"), not checked
        if a or an:
            start = m.start("a" if a else "an") - 1
            written = text[start : start + len(a or an)]
            if a and nxt not in ("a", "an") and _cmudict.first_sound(nxt) == "vowel":
                out.append((start, start + 1, written + "n"))  # "a a": a word written twice, above
            elif an and _cmudict.first_sound(nxt) == "consonant":
                out.append((start, start + 2, written[0]))
            continue
        lower = its or w
        start = m.start("its" if its else "w") - 1
        end = start + len(lower)
        written = text[start:end]
        if its:
            if written != "ITS" and apostrophes():
                out.append((start, end, "It's" if written[0] == "I" else "it's"))
        elif lower in ("it's", "it’s"):
            if _possessive(text, start, nxt):
                out.append((start, end, "Its" if written[0] == "I" else "its"))
        elif lower == "been":
            tags, participle = _verb_forms(nxt)
            if (
                tags
                and tags <= {"VB", "VBP", "VBZ"}
                and not _kinds(nxt) & {"NOUN", "ADJ", "ADV"}
                and participle
            ):
                out.append((after, after + len(nxt), participle))
        else:
            out += _after_have(text, after, nxt)
    out.sort()
    return out


def _after_have(text: str, after: int, nxt: str) -> list[tuple[int, int, str]]:
    """The bare verb ``nxt`` at ``after``, right after "have", as a slip for its past
    participle ("have grow": "grown"), unless it is used as a noun or an adjective."""
    if (
        nxt not in ("are", "am")  # "what they have are"
        and _bare_verb(nxt)
        and not _noun_next(text, after + len(nxt))  # "we have zoom cocktail hours"
    ):
        participle = _verb_forms(nxt)[1]
        if participle and participle != nxt:
            return [(after, after + len(nxt), participle)]
    return []


_WORD_BEFORE = re.compile(r"(?<![\w'’])([a-z]+) $")
# What comes before a verb that is a noun too when it is the verb: "to make it's cars", not
# "In effect it's censorship" or "At this stage it's guesswork".
_VERB_CUE = re.compile(
    r"(?:(?<![\w'’])(?:to|will|would|can|could|should|must|may|might|did|does|do|not|i|we|you|they)"
    r"|n['’]t) $"
)
_WORD_AFTER = re.compile(r" ([a-z]+)\b")


def _noun_next(text: str, end: int) -> bool:
    """Whether the word after ``end`` can only be a noun: then the word before it is used as
    an adjective ("have complete information"), which LemmInflect does not list."""
    after = _WORD_AFTER.match(text, end)
    return after is not None and _kinds(after[1]) == {"NOUN"}


def _possessive(text: str, start: int, nxt: str) -> bool:
    """Whether "it's" at ``start``, followed by ``nxt``, stands for "its": right after a verb
    that takes an object, not a clause ("using it's systems"; not "think it's science"), and
    before a word that can only be a noun."""
    before = _WORD_BEFORE.search(text, max(0, start - 30), start)
    if before is None:
        return False
    verb = before[1]
    tags, _ = _verb_forms(verb)
    kinds = _kinds(verb)
    return (
        bool(tags & {"VB", "VBZ", "VBG", "VBD"})
        and verb not in _CLAUSE_VERBS
        and verb not in _WHEN_NOUNS
        and "ADV" not in kinds
        # A noun that is a verb too is the verb only after "to", a modal or a pronoun.
        and (
            "NOUN" not in kinds
            or _VERB_CUE.search(text[max(0, before.start() - 12) : before.start()].lower()) is not None
        )
        and _kinds(nxt) == {"NOUN"}
        and nxt not in _AFTER_IT_IS_NOUN
    )
