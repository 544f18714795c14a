"""HTML pages: headline, main text, URL and date with trafilatura.

Navigation, scripts, ads and comment sections are not article text; trafilatura's main-text
extraction drops them.
"""

from __future__ import annotations

from quality.article import Article, RecordError

__all__ = ["extract"]


def extract(html: str, ident: str, path: str | None = None) -> Article | RecordError:
    """An `Article` from an HTML page, or a `RecordError` saying why there is none."""
    from trafilatura import bare_extraction

    where = repr(path) if path else repr(ident)
    try:
        doc = bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_precision=True,
        )
    except Exception as exc:  # noqa: BLE001 - trafilatura/lxml raise many types on bad markup
        return RecordError(
            ident, f"quality: cannot extract {where}: {type(exc).__name__}: {exc}", "read", path
        )
    if doc is None:
        return RecordError(
            ident, f"quality: cannot extract {where}: no article text found in the page", "read", path
        )
    data = doc if isinstance(doc, dict) else doc.as_dict()
    body = data.get("text") or ""
    title = (data.get("title") or "").strip()
    first, _, rest = body.partition("\n")
    if title and first.strip() == title:
        # The <h1> inside <article> comes back as the text's first line; the headline is the
        # title, and counted twice it would read as a duplicated sentence.
        body = rest
    if not body.strip() and not title:
        return RecordError(
            ident, f"quality: cannot extract {where}: no article text found in the page", "read", path
        )
    return Article(
        title=title,
        body=body,
        id=ident,
        url=data.get("url"),
        published=data.get("date"),
        source=data.get("sitename") or data.get("hostname"),
        path=path,
    )
