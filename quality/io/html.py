"""HTML pages: headline, main text, URL and date with trafilatura.

Navigation, scripts, ads and comment sections are not article text; trafilatura's main-text
extraction drops them.
"""

from __future__ import annotations

import re

from quality.article import Article, RecordError

__all__ = ["MIN_WORDS", "extract"]

#: A page whose main text is shorter than this is not an article: an error page ("The requested
#: URL was not found on this server."), a paywall ("Subscribe to continue reading."), a page
#: of links and a cookie notice. Scored, they would get a confident label; the shortest news
#: briefs run to 40 words and more.
MIN_WORDS = 25


# Scripts written without spaces between words: Chinese, Japanese, Thai, Lao, Khmer, Myanmar.
_UNSPACED = re.compile(
    r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
)


def _words(text: str) -> int:
    """Words in ``text``: split on spaces, or two characters a word in scripts without spaces."""
    return max(len(text.split()), len(_UNSPACED.findall(text)) // 2)


def extract(html: str, ident: str, path: str | None = None) -> Article | RecordError:
    """An `Article` from an HTML page, or a `RecordError` saying why there is none."""
    from quality._extras import require

    bare_extraction = require("trafilatura", "html", "reading .html").bare_extraction

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
    url, source = data.get("url"), data.get("sitename") or data.get("hostname")
    words = _words(body)
    if words < MIN_WORDS:
        seen = (
            f"; it has {words} word{'s' if words != 1 else ''} of text: {body.strip()[:80]!r}"
            if words
            else ""
        )
        return RecordError(
            ident,
            f"quality: cannot extract {where}: no article text found in the page (fewer than {MIN_WORDS} "
            f"words{seen}{', under the title ' + repr(title[:80]) if title else ''})",
            "read",
            path,
            url=url,
            title=title or None,
            source=source,
        )
    return Article(
        title=title,
        body=body,
        id=ident,
        url=url,
        published=data.get("date"),
        source=source,
        path=path,
    )
