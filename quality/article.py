"""Value types shared by every layer: `Article`, `Evidence`, `SignalResult`, `Report`, `RecordError`.

This module imports nothing from the package, so everyone may import it.
"""

from __future__ import annotations

import hashlib
import math
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Article",
    "Evidence",
    "RECORD_KEYS",
    "RecordError",
    "Report",
    "SignalResult",
    "SIGNALS",
    "article_id",
    "as_article",
    "error_fields",
    "is_missing",
    "kept_fields",
    "record_fields",
]

#: The five signal families, in the order they are reported.
SIGNALS = ("sourcing", "typos", "filler", "unsupported_claims", "clickbait")

#: The keys a record (JSON object, CSV row, DataFrame row, dict) may use for each `Article`
#: field, in order of preference, matched case-insensitively. Every way in (readers,
#: `quality.score`, `quality.score_frame`) reads records with these same keys.
RECORD_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline", "heading"),
    "body": ("body", "text", "content", "article", "maintext"),
    "id": ("id", "article_id", "uid", "guid"),
    "url": ("url", "link", "source_url"),
    "published": ("published", "date", "published_at", "pubdate", "datetime"),
    "source": ("source", "outlet", "site", "publisher", "sitename"),
}


def is_missing(value: Any) -> bool:
    """None, NaN, pd.NA or NaT: a cell with nothing in it (without importing pandas)."""
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN and NaT are not equal to themselves
    except (TypeError, ValueError):  # pd.NA compares to NA; an array compares elementwise
        return type(value).__name__ == "NAType"


def _empty(value: Any) -> bool:
    """Missing, or an empty string (an empty CSV cell): the next key's value is taken."""
    return is_missing(value) or (isinstance(value, str) and value == "")


def article_id(value: Any) -> str | None:
    """A record's id as text, or None when missing. 7.0 becomes "7": an integer id column
    that pandas turned to floats to hold a NaN must still join back to the integer ids."""
    if is_missing(value) or value == "":
        return None
    if isinstance(value, float) or type(value).__name__.startswith("float"):
        if float(value).is_integer():
            return str(int(value))
    return str(value)


def record_fields(record: Any) -> tuple[dict[str, Any], bool]:
    """The `Article` fields of a record, by `RECORD_KEYS`, and whether it has a text key.

    Each field's value is that of the first of its keys present with a value, an empty string
    being none (an empty CSV cell); None when no key has one. The flag says whether any title or body key is present at all, even with a missing
    value: a record without one is not an article, while one whose text is null is an empty
    article.

    Examples
    --------
    >>> record_fields({"Headline": "Flood closes schools", "text": None})
    ({'title': 'Flood closes schools', 'body': None, 'id': None, 'url': None, 'published': None, 'source': None}, True)
    """
    lowered: dict[str, Any] = {}
    for key, value in record.items():
        key = str(key).strip().lower()
        if key not in lowered or _empty(lowered[key]):  # {"Title": None, "title": "Real"}
            lowered[key] = value
    fields: dict[str, Any] = {}
    for name, keys in RECORD_KEYS.items():
        values = (lowered.get(k) for k in keys)
        fields[name] = next((v for v in values if not _empty(v)), None)
    has_text = any(k in lowered for k in RECORD_KEYS["title"] + RECORD_KEYS["body"])
    return fields, has_text


def kept_fields(record: Any, keep: tuple[str, ...]) -> dict[str, Any]:
    """The fields ``keep`` names of a record: the key as named, else the first that matches it
    ignoring case; None for a missing one (NaN and an empty CSV cell included).

    Examples
    --------
    >>> kept_fields({"Crawl_ID": 7, "lang": ""}, ("crawl_id", "lang", "site"))
    {'crawl_id': 7, 'lang': None, 'site': None}
    """
    out: dict[str, Any] = {}
    lowered: dict[str, Any] | None = None
    for name in keep:
        if name in record:
            value = record[name]
        else:
            if lowered is None:
                lowered = {}
                for key, v in record.items():
                    lowered.setdefault(str(key).strip().lower(), v)
            value = lowered.get(name.strip().lower())
        out[name] = None if _empty(value) else value
    return out


def _stable_id(title: str, body: str) -> str:
    digest = hashlib.sha1(f"{title}\n{body}".encode("utf-8", "surrogatepass")).hexdigest()
    return digest[:16]


@dataclass(frozen=True, slots=True)
class Article:
    """One news article: a headline and a body, plus what the source record told about it.

    ``id`` is always set: taken from the record, or derived from the content so that the same
    text always gets the same id. ``warning`` says when the record was cut at the readers'
    record limit, so that what is scored is only its first part.

    Examples
    --------
    >>> a = Article(title="Flood closes schools", body="Twelve schools closed on Monday.")
    >>> len(a.id)
    16
    """

    title: str = ""
    body: str = ""
    id: str = ""
    url: str | None = None
    source: str | None = None
    published: str | None = None
    path: str | None = None
    #: Set when the record was not read whole: it was cut at the record limit (and says so).
    warning: str | None = None
    #: Other fields of the source record kept for the output rows (``quality score --keep``,
    #: ``keep=`` in `quality.read`), by the names asked for; None when absent from the record.
    extra: dict[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if not isinstance(self.title, str) or not isinstance(self.body, str):
            raise TypeError(
                "Article: title and body must be str, got "
                f"{type(self.title).__name__} and {type(self.body).__name__}"
            )
        if not self.id:
            object.__setattr__(self, "id", _stable_id(self.title, self.body))

    @property
    def text(self) -> str:
        """Headline and body joined by a blank line."""
        return f"{self.title}\n\n{self.body}" if self.title else self.body


@dataclass(frozen=True, slots=True)
class Evidence:
    """A span of the article that triggered a signal.

    ``getattr(article, field)[start:end] == text`` always holds.
    """

    signal: str
    feature: str
    field: str
    start: int
    end: int
    text: str
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "signal": self.signal,
            "feature": self.feature,
            "field": self.field,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class SignalResult:
    """What one signal found in one article.

    ``features`` maps ``signal.feature`` names to finite numbers; ``score`` in [0, 1] says how
    much of the signal the article shows (higher = more).
    """

    name: str
    score: float
    features: dict[str, float]
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class RecordError:
    """A record that could not be read or scored; batch output carries it as an error row.

    ``url``, ``title``, ``source`` and ``extra`` (the kept fields, as in `Article.extra`) are
    what could be read of the record (`error_fields`), so that an error row joins back to its
    input as a scored row does; None and empty when nothing could be (a line that is not JSON).
    """

    id: str
    error: str
    stage: str
    path: str | None = None
    url: str | None = None
    title: str | None = None
    source: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, hash=False)

    def to_row(self) -> dict[str, Any]:
        """Flat form for batch output: ``id``, the kept fields, ``url``, ``title``, ``source``,
        ``error`` and ``stage``, in the order of a `Report` row."""
        return {
            "id": self.id,
            **self.extra,
            "url": self.url,
            "title": self.title,
            "source": self.source,
            "error": self.error,
            "stage": self.stage,
        }


@dataclass(frozen=True, slots=True)
class Report:
    """The reliability of one article, with the signals, contributions and evidence behind it.

    ``intercept + sum(contributions.values())`` equals ``logit(reliability)``.
    """

    id: str
    reliability: float
    label: str
    signals: dict[str, float]
    features: dict[str, float]
    contributions: dict[str, float]
    intercept: float
    evidence: tuple[Evidence, ...] = ()
    reasons: tuple[str, ...] = ()
    model: str = ""
    url: str | None = None
    title: str = ""
    source: str | None = None
    #: The source record's fields kept for the output (`Article.extra`), written as columns.
    extra: dict[str, Any] = field(default_factory=dict)
    #: The vocabulary family's contribution split by term (they sum to
    #: ``contributions["vocabulary.words"]``); empty for a model without that family.
    words: dict[str, float] = field(default_factory=dict)
    #: Why the row needs a second look though it was scored: the article was cut at the
    #: record limit, or its id was already used in the batch and was renamed.
    warning: str | None = None
    #: The language of the article's text (ISO 639-1, "en"), None when it has no letters.
    language: str | None = None
    #: Words in the article's body (the ``words`` column of a row; `words` is the vocabulary's).
    word_count: int = 0
    #: Why the article is outside the model's scope (not English, or too short to judge), or
    #: None. Such an article's label is "out_of_scope"; its reliability is what the model
    #: computes, not a judgement to act on.
    out_of_scope: str | None = None

    @property
    def logit(self) -> float:
        p = min(max(self.reliability, 1e-12), 1 - 1e-12)
        return math.log(p / (1 - p))

    def to_dict(self) -> dict[str, Any]:
        """Nested form for APIs: everything, evidence included."""
        return {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "source": self.source,
            "extra": dict(self.extra),
            "reliability": self.reliability,
            "label": self.label,
            "signals": dict(self.signals),
            "reasons": list(self.reasons),
            "intercept": self.intercept,
            "contributions": dict(self.contributions),
            "features": dict(self.features),
            "evidence": [e.to_dict() for e in self.evidence],
            "words": dict(self.words),
            "model": self.model,
            "warning": self.warning,
            "language": self.language,
            "word_count": self.word_count,
            "out_of_scope": self.out_of_scope,
        }

    def to_row(self, explain: bool = False, n_reasons: int = 3) -> dict[str, Any]:
        """Flat form for batch output: one row, the top ``n_reasons`` reasons as a list.

        The kept fields of the source record (`extra`) come after ``id``, then ``url``,
        ``title`` and ``source`` (None when the record had none), so that rows join back to
        their input. With ``explain``, adds ``intercept``, one ``contribution.<feature>``
        column per feature and the evidence as a JSON-ready list under ``evidence``.
        """
        row: dict[str, Any] = {"id": self.id, **self.extra}
        row |= {
            "url": self.url,
            "title": self.title or None,
            "source": self.source,
            "reliability": round(self.reliability, 6),
            "label": self.label,
            "out_of_scope": self.out_of_scope,
            "language": self.language,
            "words": self.word_count,
        }
        for name in SIGNALS:
            row[name] = round(self.signals.get(name, 0.0), 6)
        row["reasons"] = list(self.reasons[:n_reasons])
        row["warning"] = self.warning
        if explain:
            row["intercept"] = self.intercept
            for name, value in self.contributions.items():
                row[f"contribution.{name}"] = value
            row["evidence"] = [e.to_dict() for e in self.evidence]
        return row


def as_article(item: Any, index: int | None = None) -> Article:
    """An `Article` from an Article, a mapping or pandas row, or a plain string.

    A mapping's keys are read as the readers read a record (`RECORD_KEYS`:
    ``title`` or ``headline``, ``body`` or ``text``, ...). A string's first non-empty line is
    the headline and the rest the body.

    Examples
    --------
    >>> as_article("Storm hits coast\\nWinds reached 120 km/h.").title
    'Storm hits coast'
    >>> as_article({"headline": "Storm hits coast", "text": "Winds rose."}).body
    'Winds rose.'
    """
    if isinstance(item, Article):
        return item
    if isinstance(item, str):
        item = item.replace("\r\n", "\n").replace("\r", "\n")
        head, _, rest = item.strip("\n").partition("\n")
        return Article(title=head.strip(), body=rest.strip("\n"))
    if isinstance(item, Mapping) or _is_series(item):
        fields, has_text = record_fields(item)
        if not has_text:
            # (Present but null is an empty article, which scoring reports as empty.)
            where = f"record {index}" if index is not None else "record"
            raise ValueError(
                f"quality: {where} has no title or body (keys: {sorted(map(str, item.keys()))!r}); "
                f"expected one of {list(RECORD_KEYS['title'] + RECORD_KEYS['body'])!r}"
            )
        return Article(
            title=_text(fields["title"]),
            body=_text(fields["body"]),
            id=article_id(fields["id"]) or "",
            url=_opt(fields["url"]),
            source=_opt(fields["source"]),
            published=_opt(fields["published"]),
        )
    raise TypeError(
        f"quality: cannot score a {type(item).__name__}; pass an Article, a dict with "
        "'title' and 'body', or a string whose first line is the headline"
    )


def error_fields(item: Any, keep: tuple[str, ...] = ()) -> dict[str, Any]:
    """What a `RecordError` for ``item`` carries to join back to its input, as keyword
    arguments: an `Article`'s path, url, title, source and kept fields (`Article.extra`); a
    record's (a mapping or a pandas row) url, title and source by `RECORD_KEYS` and its
    ``keep`` fields (`kept_fields`); nothing for anything else.

    Examples
    --------
    >>> error_fields({"Link": "https://example.org/a", "title": 3, "crawl": 7}, ("crawl",))
    {'url': 'https://example.org/a', 'title': None, 'source': None, 'extra': {'crawl': 7}}
    """
    if isinstance(item, Article):
        return {
            "path": item.path,
            "url": item.url,
            "title": item.title or None,
            "source": item.source,
            "extra": dict(item.extra),
        }
    if isinstance(item, Mapping) or _is_series(item):
        fields, _ = record_fields(item)
        title = fields["title"]
        return {
            "url": _opt(fields["url"]),
            # A title that is no text (a number, a list) is why the record failed, not a title.
            "title": (title.strip() or None) if isinstance(title, str) else None,
            "source": _opt(fields["source"]),
            "extra": kept_fields(item, keep) if keep else {},
        }
    return {}


def _text(value: Any) -> str:
    if is_missing(value):
        return ""
    if not isinstance(value, str):
        raise TypeError(f"quality: title and body must be text, got {type(value).__name__} ({value!r:.40})")
    return value


def _opt(value: Any) -> str | None:
    if is_missing(value):
        return None
    return str(value)


def _is_series(item: Any) -> bool:
    """A pandas Series (a DataFrame row), told without importing pandas: one can only exist
    once pandas is loaded."""
    pandas = sys.modules.get("pandas")
    return pandas is not None and isinstance(item, pandas.Series)
