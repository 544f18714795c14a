"""Read an explanation page back, as written or as a browser's DOM: the text of each article
field and where each evidence span's marks sit in it."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Field:
    """One highlighted field (``data-field``) of one article (the ``<article>`` id)."""

    article: str
    name: str
    text: str = ""
    #: evidence id ("a1-e3") -> the (start, end, text) of each of its marks, in order
    marks: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)


class Page(HTMLParser):
    """Fields, every element's tag and attributes, and the page's visible text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: list[Field] = []
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text_parts: list[str] = []
        self._stack: list[tuple[str, dict[str, str]]] = []
        self._article = ""
        self._field: Field | None = None
        self._field_depth = 0
        self._mark: tuple[list[str], int] | None = None
        self._skip = 0  # inside a footnote reference, which is not article text
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.elements.append((tag, a))
        if tag in _VOID:
            return
        self._stack.append((tag, a))
        if tag == "article" and "id" in a:
            self._article = a["id"]
        if "data-field" in a:
            self._field = Field(self._article, a["data-field"])
            self.fields.append(self._field)
            self._field_depth = len(self._stack)
        if self._field is not None:
            if tag == "sup" and "ref" in a.get("class", "").split():
                self._skip += 1
            elif tag == "mark":
                self._mark = (a.get("data-ev", "").split(), len(self._field.text))

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or not self._stack:
            return
        open_tag, a = self._stack.pop()
        assert open_tag == tag, f"<{open_tag}> closed by </{tag}>"
        if self._field is None:
            return
        if tag == "sup" and "ref" in a.get("class", "").split():
            self._skip -= 1
        elif tag == "mark" and self._mark is not None:
            ids, start = self._mark
            end = len(self._field.text)
            for ident in ids:
                self._field.marks.setdefault(ident, []).append((start, end, self._field.text[start:end]))
            self._mark = None
        if len(self._stack) < self._field_depth:
            self._field = None

    def handle_data(self, data: str) -> None:
        self.text_parts.append(data)
        if self._field is not None and not self._skip:
            self._field.text += data

    def field(self, article: str, name: str) -> Field:
        (found,) = [f for f in self.fields if f.article == article and f.name == name]
        return found

    def span_of(self, ident: str) -> tuple[int, int, str, str] | None:
        """Where an evidence's marks are: (start, end, their text joined, field), or None.

        Raises AssertionError when its marks do not touch each other (a gap would mean the
        highlighted text is not one span)."""
        for f in self.fields:
            marks = f.marks.get(ident)
            if not marks:
                continue
            for (_, end, _), (start, _, _) in zip(marks, marks[1:], strict=False):
                assert start == end, f"{ident}: marks leave a gap at {end}:{start} in {f.name}"
            return marks[0][0], marks[-1][1], "".join(t for _, _, t in marks), f.name
        return None

    @property
    def text(self) -> str:
        return "".join(self.text_parts)


def check_spans(page: Page, report: Any, article: Any, anchor: str = "a1") -> None:
    """Each evidence span of ``report`` is marked at exactly its characters, in its field, and
    the fields' text is the article's, character for character."""
    assert page.field(anchor, "title").text == article.title
    assert page.field(anchor, "body").text == article.body
    assert report.evidence
    for number, e in enumerate(report.evidence, start=1):
        where = page.span_of(f"{anchor}-e{number}")
        assert where == (e.start, e.end, e.text, e.field), (number, e)
