"""Source reputation: an optional prior keyed by the article URL's domain.

Off by default. The shipped model uses content only. A model trained with
``quality train --reputation ...`` adds two features: ``reputation.domain_score`` (1 reliable,
0 mixed, -0.5 unreliable, -1 blacklisted, 0 unknown) and ``reputation.known`` (1 when the
domain is in the list). Its figures are reported apart from the content-only ones. An outlet's
reputation says nothing about an article from an unknown site. It also rewards outlets instead
of the article's own quality.
"""

from __future__ import annotations

import csv
import functools
import logging
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from quality import lexicon
from quality._files import file_sha256

__all__ = ["FEATURES", "SourceReputation"]

FEATURES = ("reputation.domain_score", "reputation.known")
# golden_truth_dataset.csv's reliability_label: 1 reliable, 0 mixed, -1 unreliable, -2 blacklisted.
log = logging.getLogger(__name__)
_SCORES = {"1": 1.0, "0": 0.0, "-1": -0.5, "-2": -1.0}


def domain_of(url: str | None) -> str | None:
    """The host of ``url``, lower case, without "www." ("https://www.BBC.co.uk/x" → "bbc.co.uk").

    Examples
    --------
    >>> domain_of("https://www.BBC.co.uk/news/1"), domain_of("example.org/a"), domain_of(None)
    ('bbc.co.uk', 'example.org', None)
    """
    if not url:
        return None
    text = url.strip()
    host = urlsplit(text if "//" in text else f"//{text}").hostname
    if not host:
        return None
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


@functools.cache
def _short_links() -> dict[str, str]:
    return {row[0]: row[1] for row in lexicon.table("short_links")}


@dataclass
class SourceReputation:
    """Domain → reputation score, read once from a CSV of ``domain`` and ``reliability_label``."""

    scores: dict[str, float] = field(default_factory=dict)
    source: dict[str, object] = field(default_factory=dict)

    @classmethod
    def from_csv(cls, path: str | Path) -> SourceReputation:
        path = Path(path)
        scores: dict[str, float] = {}
        skipped: list[int] = []
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            if not {"domain", "reliability_label"} <= set(reader.fieldnames or ()):
                raise ValueError(
                    f"quality: {path.name!r} needs 'domain' and 'reliability_label' columns, has {reader.fieldnames!r}"
                )
            for number, row in enumerate(reader, start=2):
                domain = domain_of(row.get("domain"))
                label = (row.get("reliability_label") or "").strip()
                if domain is None or label not in _SCORES:
                    skipped.append(number)
                    continue
                scores[domain] = _SCORES[label]
        if skipped:
            # A row without a domain or with an unknown label cannot be used; say which.
            log.warning(
                "%s: skipped %d rows without a domain or a known label (rows %s)",
                path.name,
                len(skipped),
                skipped[:10],
            )
        digest = file_sha256(path)
        return cls(
            scores, {"path": path.name, "sha256": digest, "domains": len(scores), "skipped_rows": skipped}
        )

    def features(self, url: str | None) -> list[float]:
        """``[domain_score, known]`` for ``url``; a subdomain falls back to its parent domain."""
        host = domain_of(url)
        host = _short_links().get(host, host) if host else host
        while host:
            if host in self.scores:
                return [self.scores[host], 1.0]
            _, _, host = host.partition(".")
            if "." not in host:
                break
        return [0.0, 0.0]
