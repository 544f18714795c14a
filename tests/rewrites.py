"""Rewrites by rule, for testing and benchmarking `quality.stories`: what a site does to
another's article to pass it off as its own.

`rewrite` reorders sentences, swaps words for synonyms, deletes sentences and inserts
boilerplate lines, each drawn from a seeded `random.Random`, so the same seed gives the same
copy. Used by tests/test_stories.py and benchmarks/stories.py.
"""

from __future__ import annotations

import random
import re

from quality.doc import sentences

__all__ = ["BOILERPLATE", "SYNONYMS", "rewrite"]

#: Word -> a synonym a rewriter would put in its place (both ways are applied).
SYNONYMS = {
    "said": "stated", "says": "states", "told": "informed", "people": "individuals",
    "big": "large", "large": "sizeable", "small": "little", "many": "numerous", "show": "indicate",
    "shows": "indicates", "showed": "indicated", "help": "assist", "helped": "assisted",
    "start": "begin", "started": "began", "began": "commenced", "end": "finish", "ended": "concluded",
    "buy": "purchase", "bought": "purchased", "use": "utilise", "used": "utilised", "using": "utilising",
    "need": "require", "needs": "requires", "needed": "required", "get": "obtain", "got": "obtained",
    "make": "create", "made": "created", "important": "significant", "major": "key", "also": "additionally",
    "however": "nevertheless", "about": "roughly", "around": "approximately", "more": "additional",
    "officials": "authorities", "government": "administration", "killed": "slain", "attack": "assault",
    "attacks": "assaults", "country": "nation", "city": "town", "children": "kids", "women": "females",
    "men": "males", "week": "seven days", "month": "four weeks", "year": "twelve months",
    "announced": "declared", "reported": "disclosed", "report": "account", "new": "fresh",
    "increase": "rise", "increased": "rose", "decrease": "drop", "fast": "rapid", "quickly": "rapidly",
    "hospital": "medical centre", "doctors": "physicians", "virus": "pathogen", "cases": "infections",
    "deaths": "fatalities", "died": "perished", "according": "as per", "because": "since",
    "before": "prior to", "after": "following", "during": "throughout", "while": "whilst",
    "would": "could", "will": "shall", "can": "may", "first": "initial", "last": "final",
}  # fmt: skip
_SWAP = re.compile(r"\b(" + "|".join(map(re.escape, sorted(SYNONYMS, key=len, reverse=True))) + r")\b", re.I)

#: Lines a republisher adds around a copied article.
BOILERPLATE = (
    "Share this article on Facebook and Twitter.",
    "Subscribe to our newsletter for the latest updates delivered to your inbox.",
    "RELATED: You may also like these stories from our partners.",
    "Follow us on Instagram for more breaking news coverage.",
    "Advertisement",
    "Click here to read more stories like this one.",
)


def _swap(text: str, rng: random.Random, rate: float) -> str:
    def one(m: re.Match[str]) -> str:
        if rng.random() >= rate:
            return m.group()
        new = SYNONYMS[m.group().lower()]
        return new.capitalize() if m.group()[0].isupper() else new

    return _SWAP.sub(one, text)


def rewrite(
    body: str,
    seed: int,
    *,
    reorder: float = 0.3,
    synonyms: float = 0.7,
    delete: float = 0.2,
    boilerplate: int = 3,
) -> str:
    """``body`` rewritten by rule: about ``reorder`` of the sentences moved, each word of
    `SYNONYMS` swapped with probability ``synonyms``, ``delete`` of the sentences dropped, and
    ``boilerplate`` lines of `BOILERPLATE` inserted at random places.

    Examples
    --------
    >>> rewrite("Officials said the big dam burst. Many people died.", seed=1, synonyms=1, reorder=0, delete=0, boilerplate=0)
    'Authorities stated the large dam burst.\\nNumerous individuals perished.'
    """
    rng = random.Random(seed)
    parts = [s.text for s in sentences(body)]
    parts = [p for p in parts if rng.random() >= delete] or parts[:1]
    for _ in range(int(len(parts) * reorder / 2 + 0.5)):
        i, j = rng.randrange(len(parts)), rng.randrange(len(parts))
        parts[i], parts[j] = parts[j], parts[i]
    parts = [_swap(p, rng, synonyms) for p in parts]
    for line in rng.sample(BOILERPLATE, min(boilerplate, len(BOILERPLATE))):
        parts.insert(rng.randrange(len(parts) + 1), line)
    return "\n".join(parts)
