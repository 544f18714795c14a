"""quality/_inflections.py reads LemmInflect's table itself: its answers must be LemmInflect's."""

from __future__ import annotations

import random

import lemminflect

from quality import _inflections


def _sample(n: int = 3000) -> list[str]:
    words = sorted({w for kind in _inflections._tables()[0].values() for w in kind if w.islower()})
    return random.Random(20261201).sample(words, n)


def test_parts_of_speech_are_lemminflects():
    for word in _sample():
        theirs = {k for k in lemminflect.getAllLemmas(word) if k in ("NOUN", "VERB", "ADJ", "ADV")}
        if word in ("be", "am", "are", "is", "was", "were", "been", "being"):
            theirs.add("VERB")
        assert _inflections.kinds(word) == theirs, word


def test_verb_forms_are_lemminflects():
    """Every form LemmInflect gives for a verb has that tag here, and a verb's forms lead to
    its past participle."""
    verbs = sorted(w for w, tags in _inflections._tables()[1].items() if "VB" in tags and w.islower())
    checked = 0
    for lemma in random.Random(20261201).sample(verbs, 1000):
        forms = dict(lemminflect.getAllInflections(lemma, upos="VERB"))
        if not forms or "AUX" in lemminflect.getAllLemmas(lemma):
            continue  # a form, not a lemma; or a modal, which LemmInflect inflects by hand ("can": "could")
        forms.setdefault("VBN", forms.get("VBD", ()))
        for tag, written in forms.items():
            for form in written:
                tags, participle = _inflections.verb_forms(form)
                assert tag in tags, (lemma, tag, form)
                assert participle is not None
        checked += 1
        if len(lemminflect.getAllLemmas(lemma).get("VERB", ())) == 1 and lemma not in ("be",):
            assert _inflections.verb_forms(lemma)[1] in forms["VBN"] + (lemma,), lemma
    assert checked > 900


def test_be_and_unknown_words():
    assert _inflections.verb_forms("be") == (frozenset({"VB"}), "been")
    assert _inflections.verb_forms("xqzv") == (frozenset(), None)
    assert _inflections.kinds("xqzv") == frozenset()
