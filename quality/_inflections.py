"""What an English word can be, and every form of a verb: LemmInflect's tables, read once.

LemmInflect ships, in its wheel, the inflections of 40,000 English lemmas from the NIH
SPECIALIST lexicon (``resources/infl_lu.csv.gz``, one line per lemma and part of speech: a
verb's past, past participle, -ing and -s forms, a noun's plural, an adjective's comparative
and superlative) and a short list of corrections (``resources/infl_overrides.csv``). The
typo signal's grammar rules (``quality/signals/_grammar.py``) need two questions answered for
any word: can it be a noun, a verb, an adjective, an adverb; and which forms of which verb is
it. Both come from that one table. It is read here directly rather than through
``lemminflect.getAllLemmas``, which loads two tables and a model at 0.9 s of CPU a process;
this reads one in a tenth of that, and a test checks the answers against LemmInflect's own.
"""

from __future__ import annotations

import functools
import gzip
import importlib.util
import re
from pathlib import Path

from quality._once import once

__all__ = ["kinds", "verb_forms"]

# The columns of a verb's line after the lemma and "verb": past, past participle (empty when
# it is the past), -ing, -s. The lemma itself is the bare form (VB) and the present (VBP).
_VERB_TAGS = ("VBD", "VBN", "VBG", "VBZ")
_KIND = {"noun": "NOUN", "verb": "VERB", "adj": "ADJ", "adv": "ADV"}
# "be" is an auxiliary in LemmInflect's tables, not among the verbs of the inflection table.
_BE = {"be": ("VB",), "am": ("VBP",), "are": ("VBP",), "is": ("VBZ",), "was": ("VBD",), "were": ("VBD",)}
_BE.update({"been": ("VBN",), "being": ("VBG",)})


def _read(name: str) -> str:
    # The package's folder, found without importing it (its import loads numpy and its models).
    spec = importlib.util.find_spec("lemminflect")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("quality: the lemminflect package is not installed")
    data = (Path(next(iter(spec.submodule_search_locations))) / "resources" / name).read_bytes()
    return (gzip.decompress(data) if name.endswith(".gz") else data).decode("utf-8")


@once
def _tables() -> tuple[dict[str, frozenset[str]], dict[str, set[str]], dict[str, str]]:
    """(part of speech → every word that can be it, verb form → its tags, verb form → the
    past participle of its first verb)."""
    text = _read("infl_lu.csv.gz")
    words = {}
    for kind, pos in _KIND.items():
        # Every line of this part of speech, lemma and forms, split into words in C: a loop
        # over the 40,000 lines in Python took 0.16 s.
        # Lower-case lemmas only: the rules ask about lower-case words, and the table's 9,000
        # names ("Aachen", "Abbott") would only take memory.
        lines = re.findall(rf"^[a-z][^,\n]*,{kind},[^\n]*", text, re.MULTILINE)
        words[pos] = frozenset(",".join(lines).replace(f",{kind},", ",").replace("/", ",").split(","))
    verbs: dict[str, dict[str, list[str]]] = {}
    for line in re.findall(r"^[a-z][^,\n]*,verb,[^\n]*", text, re.MULTILINE):
        lemma, _, *columns = line.split(",")
        by_tag = {tag: column.split("/") for tag, column in zip(_VERB_TAGS, columns, strict=False) if column}
        by_tag.setdefault("VBN", by_tag.get("VBD", []))
        verbs[lemma] = by_tag
    for line in _read("infl_overrides.csv").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        lemma, tag, form = line.split(",")
        if lemma in verbs and tag in _VERB_TAGS:
            verbs[lemma][tag] = [form]
    tags: dict[str, set[str]] = {}
    participle: dict[str, str] = {}
    for lemma, by_tag in verbs.items():
        past_participle = (by_tag["VBN"] or [lemma])[0]
        tags.setdefault(lemma, set()).update(("VB", "VBP"))
        participle.setdefault(lemma, past_participle)
        for tag, written in by_tag.items():
            for form in written:
                tags.setdefault(form, set()).add(tag)
                participle.setdefault(form, past_participle)
    for form, be_tags in _BE.items():
        tags.setdefault(form, set()).update(be_tags)
        participle.setdefault(form, "been")
    words["VERB"] = words["VERB"] | frozenset(_BE)
    return words, tags, participle


@functools.lru_cache(maxsize=65536)
def kinds(word: str) -> frozenset[str]:
    """What a lower-case ``word`` can be: "NOUN", "VERB", "ADJ", "ADV" (empty when unknown).

    Examples
    --------
    >>> sorted(kinds("cars")), sorted(kinds("fun")), sorted(kinds("xqzv"))
    (['NOUN'], ['ADJ', 'NOUN'], [])
    """
    return frozenset(pos for pos, words in _tables()[0].items() if word in words)


@functools.lru_cache(maxsize=65536)
def verb_forms(word: str) -> tuple[frozenset[str], str | None]:
    """The Penn tags ``word`` has as a form of a verb (VB, VBP, VBZ, VBD, VBN, VBG), and the
    past participle of its verb (None when it is no verb's form).

    Examples
    --------
    >>> sorted(verb_forms("grow")[0]), verb_forms("grow")[1]
    (['VB', 'VBP'], 'grown')
    >>> sorted(verb_forms("described")[0]), verb_forms("displaces")[1], verb_forms("be")[1]
    (['VBD', 'VBN'], 'displaced', 'been')
    """
    _, tags, participle = _tables()
    return frozenset(tags.get(word, ())), participle.get(word)
