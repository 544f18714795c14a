"""Sourcing: who the article says its facts come from.

Attributions ("according to", "said", "cited by"), direct quotes, named versus anonymous
sources, numbered citations with a source list, and links; densities per 100 words and the
number of distinct sources.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

from quality import lexicon
from quality._regex import WordPattern, compile_fast
from quality.article import Evidence, SignalResult
from quality.doc import Doc
from quality.signals._phrases import word_pattern

__all__ = ["FEATURES", "analyse"]

FEATURES = (
    "sourcing.attributions_per_100w",
    "sourcing.quotes_per_100w",
    "sourcing.named_sources",
    "sourcing.anonymous_sources_per_100w",
    "sourcing.citations",
    "sourcing.links_per_100w",
    "sourcing.distinct_sources",
)

# A name starts at a word start and runs at most six capitalised words: matching then costs
# the same on any input (unbounded, "A" * 100000 took minutes). It stays on one line: across
# a line break, "Commissioner John Koskinen" and the next paragraph's "The Washington Post"
# would read as one name.
# A title abbreviation is a word of the name ("Dr. Anthony Fauci", "New Jersey Gov. Phil Murphy").
_TITLE = r"(?:Dr|Prof|Gov|Sen|Rep|Gen|Lt|Col|Capt|Sgt|Mr|Mrs|Ms|Amb|Adm|Supt|Insp)\."
_NAME = (
    rf"(?<![\w'’&.-])(?:{_TITLE}|[A-Z]\.|[A-Z][\w'’&-]*+)"
    rf"(?:[^\S\n]+(?:(?:of|for|the|de|al|von|van|bin)[^\S\n]+)?(?:{_TITLE}|[A-Z]\.|[A-Z][\w'’&-]*+)){{0,5}}"
)
# Role words before a name: the evidence keeps them ("Health Secretary Matt Hancock"), but the
# source is counted once by the name after the last of them ("Matt Hancock", "Dr. Anthony
# Fauci" and "Anthony Fauci" are one person).
_ROLE = frozenset(
    "dr. prof. gov. sen. rep. gen. lt. col. capt. sgt. mr. mrs. ms. amb. adm. supt. insp. dr prof "
    "president minister secretary governor mayor senator representative director commissioner "
    "chief chairman chairwoman chair ceo spokesman spokeswoman spokesperson officer "
    "general ambassador judge justice professor doctor sheriff superintendent inspector "
    "lieutenant premier chancellor attorney deputy vice prime".split()
)
# A name in the possessive before a common noun owns the source ("claimed Harambe's death",
# "warned Hillary Clinton's campaign"); before a title or a quote it is one ("told NBC's “Today”").
_OWNER = re.compile(r"['’]s\s+[a-z]")
_NOT_A_NAME = frozenset(
    "The This That These Those It He She They We I You His Her Their Its Our A An In On At "
    "But And Or So If When While As Meanwhile However Also Yet Still Then There Here Monday "
    "Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June "
    "July August September October November December Mr Mrs Ms Dr Sources Source Officials "
    "Critics Experts Analysts Observers Insiders Reports Witnesses People Residents Many Some "
    "Later Earlier Now Today Yesterday Tonight Instead Still Finally Separately Previously Similarly "
    "Again Recently Afterwards Overall Initially Once Before After Until Although Though Because "
    "Since Unless Whether I've I’ve We've We’ve You've You’ve They've They’ve I'd I’d We'd We’d "
    "They'd They’d You'd You’d He'd He’d She'd She’d I'm I’m I'll I’ll We'll We’ll Related".split()
)
# Lower case only: capitalised, these are parts of names ("United States", "Port Said").
_VERBS = (
    r"said|says|told|stated|added|noted|explained|announced|confirmed|wrote|writes|reported|"
    r"tweeted|warned|argued|insisted|acknowledged|admitted|claimed|testified|declared|disclosed|revealed"
)
_CREDIT_BEFORE_NAME = (
    r"(?i:according to|citing|per|as per reports from)|"
    r"(?:cited|reported|quoted|confirmed|published|released|announced|stated|disclosed|revealed) by"
)
_NAMED_AFTER = re.compile(
    rf"\b(?:{_CREDIT_BEFORE_NAME}|"
    rf"(?P<verb>{_VERBS}))\s+(?:the\s+)?(?:[A-Z]\w+['’]s(?:\s+[a-z]+){{1,3}},?\s+)?(?P<name>{_NAME})"
)
# Where a match of _NAMED_AFTER can start: looked for first, since most of a text is not that
# (from one word break to the next).
_BEFORE_NAME = WordPattern(rf"\b(?:{_CREDIT_BEFORE_NAME}|{_VERBS})\s")
# After "said" a name is the speaker only in an inverted attribution ("..., said Dr. Anthony
# Fauci", "said Durbin, who..."); otherwise it opens the reported clause ("Conway said Clinton
# failed", "Trump said the Geneva-based WHO had"). "told Reuters" names its source either way.
_INVERTED = re.compile(r"[,\"”’]\s*$")
_NAME_ENDS_CLAUSE = re.compile(r"['’]?\s*(?:[,.;:!?)\n]|$)")
_NAMED_BEFORE = compile_fast(rf"(?P<name>{_NAME}),?\s+(?P<verb>{_VERBS})\b")
# A straight quote mark opens a quotation only before a word and after none: otherwise a
# short title's closing mark ("SNL") opened the next quotation ('" earlier this year. He
# talks about playing Trump working with "').
_QUOTE = compile_fast(r"“[^“”\n]*”|(?<![\w.,;:!?%)\]])\"(?=[^\s\"])(?:[^\"\n]|\"(?=\w))*\"(?!\w)|«[^«»\n]*»")
# Words in quotation marks that are no one's statement: a name or a title ("known as the
# “capital of the revolution”", "the premiere of “Kung Fu Panda 3”"), or a phrase used as a
# modifier ("our “take care of yourself” culture", "the “cash for outcomes” political game").
_NAMING = re.compile(
    r"(?i:\b(?:known\s+as|dubbed|so-called|nicknamed|titled|entitled|premiere\s+of|episode\s+of)"
    r"(?:\s+(?:the|a|an|his|her|their|its))?)\s*$"
)
_DETERMINER = re.compile(r"(?i:\b(?:the|a|an|our|your|my|his|her|their|its|this|that))\s+$")
_LONG_FRAGMENT = 7
_SMALL_WORDS = frozenset("a an and at by for from in of on or the to with".split())
# A fragment quoted inside a sentence is someone's words when the sentence credits someone:
# a reporting verb or attribution phrase (the lexicons), or a verb that reports speech in
# another form ("saying", "urged", "cited", "called it", "apologizing for").
_SPEECH_CUE = compile_fast(
    r"\b(?:say|saying|quot\w+|urg\w+|cit\w+|call\w*|describ\w+|tweet\w*|post\w*|apologi[sz]\w+"
    r"|conclu\w+|recommend\w*|report\w*|accus\w+|den(?:y|ied|ies|ying)|promis\w+|vow\w*|pledg\w+"
    r"|repl\w+|respond\w*|ask\w*|demand\w*|label\w*|brand\w*|insist\w*|warn\w*|add\w*|writ\w*"
    r"|told|tell\w*|sa(?:id|ys)|stat\w+|claim\w*|argu\w+|announc\w+|declar\w+|describ\w+|remark\w*"
    r"|spokes\w+|sources?|statement|interview|letter|memo|message|words)\b",
    re.I,
)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;][\"”’)\]]*\s+|\n\s*|[—–-]\s+)$")
# A title in quotation marks is a quotation only when introduced ("Questlove writes, “All
# Respect Due”") or tagged ("“Hands Up, Don’t Shoot,” she said").
_INTRODUCED = re.compile(r"[,:]\s*$")
_TAG = re.compile(
    r"[\s,:]*(?:(?:he|she|they|it|[A-Z][\w.]*)\s+)?(?:said|says|wrote|writes|tweeted|posted|added|adds)\b"
)
_BOUNDARY = re.compile(r"[.!?][\"”’)\]]*\s+(?=[\"“‘]?[A-Z])|\n")
_SENTENCE_END = re.compile(r"[.!?]+[\"”’)\]]*(?:\s|$)|\n")
_CITATION = re.compile(r"\[(\d{1,3})\]")
_SOURCE_LIST = re.compile(
    r"^[ \t]*(?:sources?|references?|citations?|bibliography|further reading)[ \t]*:", re.I | re.M
)
# A title in a source list ("[1] The Guardian: \"What does Putin gain\"") is quoted, but is no
# one's words: the line opens a list or an entry, or the quote follows an entry's marker.
_LIST_LINE = re.compile(
    r"[ \t]*(?:(?:sources?|references?|citations?|bibliography|further reading)[ \t]*:"
    r"|[-•*]?[ \t]*\[\d{1,3}\]|\d{1,3}[.)][ \t])",
    re.I,
)
_AFTER_MARKER = re.compile(r"\[\d{1,3}\][^\n“”\"\[\]]{0,80}[:,–-][ \t]*$")
_PREPOSITION = re.compile(r"\b(?:to|in|from|at|on|with)\s+(?:the\s+)?$")
# Reporting verbs in another sense: idioms ("That being said,", "Having said that", "Just say
# no"), a hospital's admissions ("before they're admitted for delivery"), a death toll ("claimed
# the lives of 80 people"), a participle as an adjective after a count ("90,369 confirmed
# coronavirus cases"), and a poll's respondents ("two-thirds of adults said", "37 percent
# stated", "few reported comorbidities"): the poll, named elsewhere, is the source.
_OTHER_SENSE_VERBS = frozenset(
    "said say says stated admitted admits claimed confirmed reported announced declared "
    "noted posted revealed disclosed told".split()
)
_IDIOM_BEFORE_SAID = re.compile(r"(?i:\b(?:that|this)\s+(?:being\s+)?|\bhaving\s+)$")
_IDIOM_AFTER_SAID = re.compile(r"\s*,|\s+(?:that|this)\b")
_JUST_SAY_NO = re.compile(r"(?i:\bjust\s+)$")
_PASSIVE = re.compile(r"(?i:\b(?:is|are|was|were|be|been|being|get|gets|got|getting)\s+|['’]re\s+)$")
_ADMITTED_TO = re.compile(
    r"\s+(?:(?:to|into)\s+(?:the\s+|a\s+)?(?:hospitals?|intensive|ICU|care|clinics?|emergency|wards?)\b"
    r"|for\b|at\b|with\b|patients\b)"
)
_CLAIMED_LIVES = re.compile(r"\s+(?:the\s+)?(?:[\w,]+\s+){0,2}lives\b")
# A participle after a possessive or a determiner is an adjective: "Angie's reported request".
# ("it's reported that" and "he's confirmed" are verbs; "Her" may be a name: the website Her.)
_ADJECTIVE_BEFORE = re.compile(
    r"(?:(?<!\b[Ii]t)(?<!\b[Tt]hat)(?<!\b[Hh]e)(?<!\b[Ss]he)(?<!\b[Ww]hat)(?<!\b[Tt]here)['’]s"
    r"|\b(?:[Tt]he|an?|An?(?<![\w,] A)(?<![\w,] An)|[Ii]ts|[Hh]is|her|[Tt]heir|[Oo]ur|[Tt]his))\s+$"
)
_CAN_BE = re.compile(
    r"(?i:\b(?:can|could|must|should|cannot|may|might|can['’]t|couldn['’]t)\s+(?:not\s+)?be\s+)$"
)
# "'s" for "has" before "reported that" keeps the verb ("The company's announced that").
_THAT_AFTER = re.compile(r"\s+that\b")
# (Not when a quotation follows: "declared his babe “can hear now.”")
_DECLARED_THING = re.compile(
    r"\s+(?:a|an|the|its|his|her|their)\s+(?!(?:[\w-]+\s+)?(?:that|to)\b)(?![^.!?\n]{0,40}[“\"])"
)
_ONESELF = re.compile(r"\s+(?:him|her|it|them)sel(?:f|ves)\b")
_PARTICIPLES = frozenset("confirmed reported announced declared noted posted revealed disclosed".split())
_AFTER_NUMBER = re.compile(r"(?<![\w,.])\d[\d,.]*\s+(?:(?:hundred|thousand|million|billion)\s+)?(?:new\s+)?$")
_BEFORE_NOUN = re.compile(r"\s+(?:(?!that\b|this\b|on\b|in\b|at\b)[a-z]|[A-Z]+(?:-\d+)?\s+[a-z])")
_RESPONDENTS = re.compile(
    r"(?i:\b(?:\d+(?:\.\d+)?\s*(?:%|percent|per\s+cent)|half|(?:a|one|two)[\s-]thirds?|"
    r"(?:a|one|three)[\s-]quarters?|(?:a\s+)?majority|few)"
    r"(?:\s+of(?:\s+[\w-]+){1,3})?\s+)$"
)
_WORD = re.compile(r"\S+")
_DOMAIN = re.compile(r"^(?:https?://)?(?:www\.)?([^/\s:]+)", re.I)


def _matches_from(rx: re.Pattern[str], opening: WordPattern, text: str) -> Iterator[re.Match[str]]:
    """``rx.finditer(text)``, for a pattern whose matches are never empty and all start where
    ``opening`` matches: only those places are tried."""
    pos = 0
    while (found := opening.search(text, pos)) is not None:
        m = rx.match(text, found.start())
        if m is None:
            pos = found.start() + 1
        else:
            yield m
            pos = m.end()


def _per_100(count: float, n_words: int) -> float:
    return 100.0 * count / n_words if n_words else 0.0


def _clean_name(text: str, start: int, end: int) -> tuple[str, int, int] | None:
    """The name in ``text[start:end]`` without leading non-names ("The", "Monday") or
    possessives, and the span of ``text`` it was read from (from its first word to its last,
    trailing "'s", "." and "," left out), so that the evidence shows where each name is."""
    kept: list[tuple[str, int, int]] = []
    for w in _WORD.finditer(text, start, end):
        core = w.group().replace("’s", "").replace("'s", "")
        if core and (kept or core not in _NOT_A_NAME):
            kept.append((core, w.start(), w.end()))
    if not kept:
        return None
    name = " ".join(core for core, _, _ in kept).rstrip(".,")
    first, last = kept[0][1], kept[-1][2]
    if text.endswith(("'s", "’s"), first, last):
        last -= 2
    while last > first and text[last - 1] in ".,":
        last -= 1
    return (name, first, last) if name and last > first else None


def _source_key(name: str) -> str:
    """The name after its last role word, lower-cased: the person or body counted."""
    words = name.lower().split()
    for k in range(len(words) - 1, -1, -1):
        if words[k] in _ROLE:
            return " ".join(words[k + 1 :] or words)
    return " ".join(words)


def _same_person(a: str, b: str) -> bool:
    """One key is the other's surname ("fauci", "anthony fauci")."""
    if " " in a and " " in b:
        return False
    return a.rsplit(" ", 1)[-1] == b.rsplit(" ", 1)[-1]


def _is_title(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    return bool(
        _LIST_LINE.match(text, line_start) or _AFTER_MARKER.search(text, max(line_start, start - 100), start)
    )


def _other_sense(text: str, start: int, end: int) -> bool:
    """Whether the reporting verb at ``text[start:end]`` reports nobody's words here."""
    verb = text[start:end]
    if verb == "Posted by":
        # A byline at the head of a line ("Posted by Frank Smith on 19 Sep 2016") names the
        # writer, not a source.
        return text[text.rfind("\n", 0, start) + 1 : start].strip() == ""
    if start and text[start - 1] == "-" and text[start - 2 : start] != "--":
        # Part of a compound adjective ("value-added", "presidentially-declared"); "--" is a dash.
        return True
    if verb not in _OTHER_SENSE_VERBS:
        return False
    before = text[max(0, start - 40) : start]
    after = text[end : end + 40]
    if verb in _PARTICIPLES and _ADJECTIVE_BEFORE.search(before) and not _THAT_AFTER.match(after):
        return True  # "Brad's reported new texting buddy", "the reported deal"
    if verb == "said" and _CAN_BE.search(before):
        return True  # "the same can be said for"
    if verb == "declared" and _DECLARED_THING.match(after):
        return True  # an act, not a report: "declared a ceasefire", "declared an emergency"
    if verb == "revealed" and _ONESELF.match(after):
        return True
    if verb == "said" and _IDIOM_BEFORE_SAID.search(before) and _IDIOM_AFTER_SAID.match(after):
        return True
    if verb == "say" and _JUST_SAY_NO.search(before) and after.startswith(" no"):
        return True
    if verb in ("admitted", "admits") and (_PASSIVE.search(before) or _ADMITTED_TO.match(after)):
        return True
    if verb == "claimed" and _CLAIMED_LIVES.match(after):
        return True
    if verb in _PARTICIPLES and _AFTER_NUMBER.search(before) and _BEFORE_NOUN.match(after):
        return True
    return bool(_RESPONDENTS.search(before))


def _title_case(words: list[str]) -> bool:
    """Every word capitalised but small ones ("Medicare for All", "Kung Fu Panda 3")."""
    caps = 0
    for w in words:
        w = w.strip('“”"«».,:;!?()')
        if not w or not w[0].isalpha():
            continue
        if w[0].isupper():
            caps += 1
        elif w not in _SMALL_WORDS:
            return False
    return caps >= 2


def _is_quotation(text: str, start: int, end: int) -> bool:
    """Whether the quotation marks at ``text[start:end]`` hold somebody's words."""
    if _is_title(text, start):
        return False
    before = text[max(0, start - 40) : start]
    inner = text[start + 1 : end - 1].strip()
    if _NAMING.search(before):
        return False
    # Whole sentences in quotation marks, and long fragments, are somebody's words; the
    # scare quotes and titles found on real pages are short.
    if start == 0 or _SENTENCE_START.search(before) or len(inner.split()) > _LONG_FRAGMENT:
        return True
    # Inside a sentence: a modifier ("our “take care of yourself” culture"), a title, or a
    # fragment with nobody credited in its sentence is no quotation.
    after = text[end : end + 2]
    if _DETERMINER.search(before) and inner[-1:].isalnum() and after[:1] == " " and after[1:].islower():
        return False
    lo = max(0, start - 300)
    left = text[lo:start]
    cut = max((m.end() for m in _BOUNDARY.finditer(left)), default=0)
    stop = _SENTENCE_END.search(text, end, min(len(text), end + 300))
    sentence = left[cut:] + " " + text[end : stop.start() if stop else end + 300]
    if _title_case(inner.split()) and not inner.endswith(","):
        return bool(_INTRODUCED.search(before) or _TAG.match(text, end, end + 40))
    return bool(_SPEECH_CUE.search(sentence))


def analyse(doc: Doc) -> SignalResult:
    """Score how well ``doc`` credits its facts.

    Examples
    --------
    >>> from quality.article import Article
    >>> from quality.doc import make_doc
    >>> r = analyse(make_doc(Article("T", "The minister said on Monday that taxes would rise.")))
    >>> r.features["sourcing.named_sources"], r.features["sourcing.attributions_per_100w"] > 0
    (0.0, True)
    """
    body = doc.body
    text = body.text
    n = doc.n_words
    evidence: list[Evidence] = []

    attributions = 0
    found_attributions = [
        *word_pattern("attribution").finditer(text),
        *word_pattern("reporting_verbs", 0).finditer(text),
    ]
    found_attributions.sort(key=lambda m: m.start())
    for m in found_attributions:
        if _other_sense(text, m.start(), m.end()):
            continue
        attributions += 1
        evidence.append(
            body.evidence("sourcing", "sourcing.attributions_per_100w", m.start(), m.end(), "attribution")
        )

    verbs = lexicon.pattern("reporting_verbs", 0)
    names: dict[str, tuple[int, int]] = {}
    for rx, matches in (
        (_NAMED_AFTER, _matches_from(_NAMED_AFTER, _BEFORE_NAME, text)),
        (_NAMED_BEFORE, _NAMED_BEFORE.finditer(text)),
    ):
        for m in matches:
            if _OWNER.match(text, m.end("name") - 2):
                continue
            # The verb must report ("Gitchell reported to camp", "Ed Komenda writes about").
            if rx is _NAMED_BEFORE and not verbs.match(text, m.start("verb")):
                continue
            if (
                rx is _NAMED_AFTER
                and m.group("verb")
                and m.group("verb") != "told"
                and not _INVERTED.search(text, max(0, m.start("verb") - 4), m.start("verb"))
                and not _NAME_ENDS_CLAUSE.match(text, m.end("name"))
            ):
                continue
            # A place after a preposition ends the speaker's role ("ambassador to Russia, tweeted",
            # "Kuwait, in the Middle East, announced").
            if rx is _NAMED_BEFORE and _PREPOSITION.search(
                text, max(0, m.start("name") - 10), m.start("name")
            ):
                continue
            found = _clean_name(text, m.start("name"), m.end("name"))
            if found is None:
                continue
            key = _source_key(found[0])
            # "Fauci" after "Dr. Anthony Fauci" (or before it) is the same source.
            if key not in names and not any(_same_person(key, k) for k in names):
                names[key] = found[1:]
    for start, end in names.values():  # one span per name counted
        evidence.append(
            body.evidence(
                "sourcing", "sourcing.named_sources", start, end, f"named source: {text[start:end]}"
            )
        )

    anonymous = 0
    for m in word_pattern("anonymous_sources").finditer(text):
        anonymous += 1
        evidence.append(
            body.evidence(
                "sourcing", "sourcing.anonymous_sources_per_100w", m.start(), m.end(), "anonymous source"
            )
        )

    quotes = 0
    for m in _QUOTE.finditer(text):
        if len(m.group()) >= 14 and len(m.group().split()) >= 3 and _is_quotation(text, m.start(), m.end()):
            quotes += 1
            evidence.append(
                body.evidence("sourcing", "sourcing.quotes_per_100w", m.start(), m.end(), "direct quote")
            )

    cited = set()
    for m in _CITATION.finditer(text):
        cited.add(m.group(1))
        evidence.append(
            body.evidence("sourcing", "sourcing.citations", m.start(), m.end(), "numbered citation")
        )
    source_list = _SOURCE_LIST.search(text)
    if source_list:
        evidence.append(
            body.evidence(
                "sourcing", "sourcing.citations", source_list.start(), source_list.end(), "source list"
            )
        )

    domains = set()
    links = 0
    for t in body.tokens:
        if t.kind == "url" and "@" not in t.text:
            links += 1
            domains.add(_DOMAIN.match(t.text).group(1).lower())  # type: ignore[union-attr]
            evidence.append(body.evidence("sourcing", "sourcing.links_per_100w", t.start, t.end, "link"))

    citations = len(cited) + (1 if source_list else 0)
    distinct = len(names) + len(cited) + len(domains)
    features = {
        "sourcing.attributions_per_100w": _per_100(attributions, n),
        "sourcing.quotes_per_100w": _per_100(quotes, n),
        "sourcing.named_sources": float(len(names)),
        "sourcing.anonymous_sources_per_100w": _per_100(anonymous, n),
        "sourcing.citations": float(citations),
        "sourcing.links_per_100w": _per_100(links, n),
        "sourcing.distinct_sources": float(distinct),
    }
    # Strength: attributions and quotes per 100 words, plus distinct named or cited sources;
    # anonymous sources count for half an attribution.
    strength = (
        0.5 * features["sourcing.attributions_per_100w"]
        + 0.5 * features["sourcing.quotes_per_100w"]
        + 0.25 * min(distinct, 12)
        + 0.5 * min(citations, 6) / 6
    )
    score = 1.0 - math.exp(-strength / 1.5) if n else 0.0
    return SignalResult("sourcing", score, features, tuple(evidence))
