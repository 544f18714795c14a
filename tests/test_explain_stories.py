"""`quality explain --stories`: each article's story in the terminal, and the explanation
page's story view (the articles of a story side by side, their shared passages marked)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

import quality
from quality.article import Article
from quality.cli import main
from tests.conftest import SEEDS
from tests.rewrites import rewrite

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def find(self, tag: str, cls: str | None = None) -> list[Node]:
        """Every element below this one with that tag (and class), in document order."""
        out = []
        for c in self.children:
            if isinstance(c, Node):
                if c.tag == tag and (cls is None or cls in c.classes()):
                    out.append(c)
                out += c.find(tag, cls)
        return out

    def marks(self) -> list[tuple[int, int, Node]]:
        """The ``<mark>`` elements below this one with their offsets in its text."""
        out: list[tuple[int, int, Node]] = []
        at = 0
        for c in self.children:
            if isinstance(c, str):
                at += len(c)
                continue
            length = len(c.text())
            if c.tag == "mark":
                out.append((at, at + length, c))
            out += [(at + s, at + e, n) for s, e, n in c.marks()]
            at += length
        return out


class Tree(HTMLParser):
    """A page as a tree of `Node` (character references already resolved in the text)."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self._stack = [self.root]
        self.feed(text)
        self.close()
        assert self._stack == [self.root], [n.tag for n in self._stack]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self._stack[-1].children.append(node)
        if tag not in _VOID:
            self._stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        node = self._stack.pop()
        assert node.tag == tag, f"<{node.tag}> closed by </{tag}>"

    def handle_data(self, data: str) -> None:
        self._stack[-1].children.append(data)


def _explain(tmp_path: Path, capsys, *inputs: str) -> tuple[Node, str]:
    out = tmp_path / "page.html"
    assert main(["explain", *inputs, "--stories", "--html", str(out)]) == 0
    captured = capsys.readouterr()
    assert "wrote the explanation" in captured.err
    return Tree(out.read_text(encoding="utf-8")).root, captured.out


def _explanations(page: Node) -> dict[str, str]:
    """Anchor -> article id of each explanation on the page."""
    return {a.attrs["id"]: a.attrs["data-id"] for a in page.find("article", "explanation")}


def _links(node: Node) -> list[tuple[str, str]]:
    """(target anchor, text) of each in-page link below ``node``."""
    return [
        (a.attrs["href"][1:], a.text()) for a in node.find("a") if a.attrs.get("href", "").startswith("#")
    ]


# --- the seeds: one story of five, no passage shared ------------------------------------------


def test_the_seeds_page_has_their_one_story_of_five_and_says_they_share_no_passage(seeds, tmp_path, capsys):
    found = quality.stories(list(seeds.values()))
    assert {s.story_size for s in found} == {5} and all(not s.passages for s in found)  # what the page shows
    page, terminal = _explain(tmp_path, capsys, str(SEEDS))
    (story,) = page.find("section", "story")
    assert story.attrs["data-story"] == found[0].story == seeds["000"].id
    rows = story.find("tr")[1:]
    assert len(rows) == 5
    explanations = _explanations(page)
    members = []
    for row in rows:
        ((anchor, ident),) = _links(row)
        assert explanations[anchor] == ident  # the link leads to that article's explanation
        members.append(ident)
        assert row.find("td")[1].text() == "1.00"  # originality
    assert members == [a.id for a in seeds.values()]  # input order
    # No text, no empty boxes: the story says in words that its articles share nothing.
    assert not story.find("div", "side") and not story.find("mark")
    assert [th.text() for th in story.find("th")] == ["article", "originality"]
    (said,) = story.find("p", "none")
    assert "These 5 articles report the same event, but none shares a passage" in said.text()
    for a in seeds.values():
        assert f"{a.id}: " in terminal
    lines = [line.strip() for line in terminal.splitlines() if line.strip().startswith("story:")]
    assert (
        lines
        == [f"story: {seeds['000'].id} (4 other articles); originality 1.00; shares no passage with them"] * 5
    )


# --- a corpus article and a rewritten copy ----------------------------------------------------

_MARKUP = 'Officials said the <script>alert("x")</script> page & its <b>tags</b> were removed. '
_BANK = (
    "The central bank raised its main interest rate by a quarter point on Thursday, to 4.5 percent. "
    "Inflation in the eurozone fell to 2.9 percent in October, Eurostat said in its flash estimate."
)


@pytest.fixture(scope="module")
def pair(corpora, tmp_path_factory) -> tuple[Path, dict[str, Article]]:
    """A real article (with a sentence of markup put in), a rule rewrite of it published two
    hours later, and an unrelated article, in one JSON lines file."""
    with (corpora / "articles" / "recovery.jsonl").open(encoding="utf-8") as fh:
        row = next(r for r in map(json.loads, fh) if len((r["body"] or "").split()) >= 200)
    first, _, rest = row["body"].partition(". ")
    body = f"{first}. {_MARKUP}{rest}"
    records = [
        {"id": "orig", "title": row["title"], "body": body, "published": "2024-01-01T08:00:00Z"},
        {"id": "bank", "title": "Bank raises rates", "body": _BANK, "published": "2024-01-01T09:00:00Z"},
        {"id": "copy", "title": f"<i>Copy</i>: {row['title']}", "body": rewrite(body, seed=3),
         "published": "2024-01-01T10:00:00Z"},
    ]  # fmt: skip
    path = tmp_path_factory.mktemp("pair") / "pair.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path, {
        r["id"]: Article(r["title"], r["body"], id=r["id"], published=r["published"]) for r in records
    }


def test_a_rewritten_copy_shows_the_shared_passages_marked_at_their_exact_characters_in_both(
    pair, tmp_path, capsys
):
    path, articles = pair
    found = {s.id: s for s in quality.stories(list(articles.values()))}
    assert found["copy"].story == "orig" and found["bank"].story_size == 1
    kinds = {p.kind for s in found.values() for p in s.passages}
    assert kinds == {"exact", "paraphrase"}  # the page must tell the two apart
    page, _ = _explain(tmp_path, capsys, str(path))
    (story,) = page.find("section", "story")  # the unrelated article is a story of its own: not shown
    sides = {side.attrs["data-id"]: side for side in story.find("div", "side")}
    assert list(sides) == ["orig", "copy"]
    for ident, side in sides.items():
        passages = found[ident].passages
        (body,) = side.find("div", "body")
        text = body.text()
        assert text == articles[ident].body  # the whole text, character for character
        by_passage: dict[int, list[tuple[int, int]]] = {}
        for start, end, mark in body.marks():
            assert mark.classes() == ["shared"]
            ids = mark.attrs["data-p"].split()
            numbers = [int(re.fullmatch(r"s1-\d+-p(\d+)", i).group(1)) for i in ids]
            covering = [passages[n - 1] for n in numbers]
            inner = min(covering, key=lambda p: p.end - p.start)
            assert mark.attrs["data-kind"] == inner.kind
            for n in numbers:
                by_passage.setdefault(n, []).append((start, end))
        assert sorted(by_passage) == list(range(1, len(passages) + 1))
        for n, marks in by_passage.items():
            p = passages[n - 1]
            for (_, end), (start, _) in zip(marks, marks[1:], strict=False):
                assert start == end  # one passage's marks touch: no gap
            assert (marks[0][0], marks[-1][1]) == (p.start, p.end)
            assert text[marks[0][0] : marks[-1][1]] == p.text == articles[ident].body[p.start : p.end]
        # Nothing outside the passages is marked.
        covered = {i for p in passages for i in range(p.start, p.end)}
        assert {i for s, e, _ in body.marks() for i in range(s, e)} == covered
        # The sentence of markup is copied, and shown as text inside a mark.
        at = text.index('<script>alert("x")</script>')
        assert at in covered
    # Markup in the articles is text: no element comes from it, in the story view or elsewhere.
    assert not page.find("script") and not page.find("i")
    assert all(b.text() != "tags" for b in page.find("b"))
    assert story.find("h4")[1].text().startswith("<i>Copy</i>: ")
    # Each member links to its explanation; each side's headline too.
    explanations = _explanations(page)
    linked = _links(story)
    assert {(explanations[a], t) for a, t in linked if t in articles} == {
        ("orig", "orig"),
        ("copy", "copy"),
    }


def test_the_terminal_says_each_articles_story_originality_and_passages(pair, tmp_path, capsys):
    path, articles = pair
    found = {s.id: s for s in quality.stories(list(articles.values()))}
    out = tmp_path / "page.html"
    assert main(["explain", str(path), "--stories", "--evidence", "2", "--html", str(out)]) == 0
    terminal = capsys.readouterr().out
    blocks = {b.split(":", 1)[0]: b for b in terminal.split("\n\n") if b.strip()}
    copy = found["copy"]
    assert (
        f"  story: orig (1 other article); originality {copy.originality:.2f}; "
        f"{copy.shared:.0%} of its text found in another, in {len(copy.passages)} passages:"
    ) in blocks["copy"]
    first = copy.passages[0]
    assert f"    [{first.kind}, copied from orig] body[{first.start}:{first.end}] " in blocks["copy"]
    assert f"    … {len(copy.passages) - 2} more passages (use --evidence N)" in blocks["copy"]
    assert "[paraphrase, copied by copy]" in blocks["orig"] or "[exact, copied by copy]" in blocks["orig"]
    assert [line for line in blocks["bank"].splitlines() if line.startswith("  story:")] == [
        "  story: no other article of this batch reports it"
    ]


def test_a_batch_without_a_story_of_two_says_so_and_without_stories_the_page_has_no_view(
    pair, tmp_path, capsys
):
    _, articles = pair
    lone = tmp_path / "lone.jsonl"
    lone.write_text(json.dumps({"id": "bank", "title": "Bank", "body": _BANK}) + "\n", encoding="utf-8")
    page, _ = _explain(tmp_path, capsys, str(lone))
    assert not page.find("section", "story")
    (said,) = page.find("p", "stories-none")
    assert "No two of these articles report the same event" in said.text()
    plain = tmp_path / "plain.html"
    assert main(["explain", str(lone), "--html", str(plain)]) == 0
    assert "stories-none" not in plain.read_text(encoding="utf-8")


def test_stories_window_needs_stories(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["explain", str(SEEDS), "--stories-window", "5"])
    assert exit_.value.code == 2
    assert "--stories-window needs --stories" in capsys.readouterr().err
