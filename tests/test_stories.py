"""quality.stories: stories in a batch, shared passages, originality."""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path

import pytest

import quality
from quality.article import Article
from quality.stories import COPY_SHARE, StoryIndex, fingerprint, stories
from tests.rewrites import rewrite

WIRE = (
    "The Wadi Derna dam burst on Sunday night, flooding the eastern Libyan city of Derna. "
    "Rescue teams from Benghazi reached Derna on Monday, the Libyan Red Crescent said. "
    "At least 5,300 people were killed and 10,000 are missing, officials in eastern Libya told reporters. "
    "Storm Daniel dropped 400 millimetres of rain on the Jebel Akhdar mountains in a single day."
)
REWORDED = (
    "Storm Daniel dumped 400 millimetres of rain over the Jebel Akhdar mountains in just one day. "
    "Rescue crews from Benghazi got to Derna on Monday, the Libyan Red Crescent stated. "
    "Our reporter adds that volunteers from Tobruk brought blankets and bottled water to the shelters."
)
OTHER = (
    "The central bank raised its main interest rate by a quarter point on Thursday, to 4.5 percent. "
    "Inflation in the eurozone fell to 2.9 percent in October, Eurostat said in its flash estimate. "
    "Economists polled by the newspaper expect one more increase before the spring."
)


def _corpus(corpora, n: int, min_words: int = 200) -> list[dict]:
    rows = []
    with (corpora / "articles" / "recovery.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if len((r["body"] or "").split()) >= min_words:
                rows.append(r)
            if len(rows) == n:
                break
    return rows


def test_callable_as_the_package_attribute_and_after_importing_the_module():
    import quality.stories as module

    batch = [Article("Dam bursts", WIRE, id="w"), Article("Derna", REWORDED, id="r")]
    assert [s.story for s in quality.stories(batch)] == ["w", "w"]
    assert module.stories(batch) == quality.stories(batch)


def test_a_rewording_is_one_story_with_its_passages_spanning_real_text_in_both():
    wire = Article("Dam bursts in Derna", WIRE, id="wire")
    copy = Article("Derna flooded", REWORDED, id="copy")
    other = Article("Bank raises rates", OTHER, id="bank")
    results = stories([wire, other, copy])
    by_id = {r.id: r for r in results}
    assert by_id["copy"].story == "wire" and by_id["copy"].story_size == 2
    assert by_id["bank"].story == "bank" and by_id["bank"].story_size == 1 and by_id["bank"].passages == ()
    texts = {"wire": wire.body, "copy": copy.body}
    for mine, theirs in (("copy", "wire"), ("wire", "copy")):
        passages = by_id[mine].passages
        assert passages and all(p.other == theirs for p in passages)
        for p in passages:
            assert texts[mine][p.start : p.end] == p.text
            assert texts[mine][p.start : p.end].strip() == texts[mine][p.start : p.end]
            assert 0 <= p.other_start < p.other_end <= len(texts[theirs])
            assert p.kind == "paraphrase"  # every shared sentence was reworded
    shared_texts = {p.text for p in by_id["copy"].passages}
    assert any(t.startswith("Storm Daniel dumped") for t in shared_texts)
    assert any(t.startswith("Rescue crews from Benghazi") for t in shared_texts)
    assert not any("Tobruk" in t for t in shared_texts)  # its own sentence


def test_an_exact_copy_is_said_to_be_exact():
    (a, b) = stories([Article("Dam bursts", WIRE, id="a"), Article("Dam bursts", WIRE, id="b")])
    assert [p.kind for p in b.passages] == ["exact"]  # four sentences in a row: one passage
    assert (b.passages[0].start, b.passages[0].end) == (0, len(WIRE))
    assert b.shared == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("dates", "copy_originality", "wire_originality", "relation"),
    [
        pytest.param(
            ("2023-09-11T08:00:00Z", "2023-09-11T10:30:00Z"),
            "low",
            1.0,
            "copied from",
            id="copy published later",
        ),
        pytest.param(
            (None, None), None, None, "shared, order unknown", id="no dates: who copied is not decided"
        ),
        pytest.param(
            ("2023-09-11", "2023-09-11"), None, None, "shared, order unknown", id="same date: not decided"
        ),
        pytest.param(
            ("Mon, 11 Sep 2023 08:00:00 GMT", "2023-09-11T10:30:00+00:00"),
            "low",
            1.0,
            "copied from",
            id="RFC 2822 and ISO dates compare",
        ),
    ],
)
def test_originality_follows_the_publication_dates(dates, copy_originality, wire_originality, relation):
    wire, copy = stories(
        [
            {"id": "wire", "title": "Dam bursts in Derna", "body": WIRE, "published": dates[0]},
            {"id": "copy", "title": "Derna flooded", "body": REWORDED, "published": dates[1]},
        ]
    )
    assert {p.relation for p in copy.passages} == {relation}
    assert wire.originality == wire_originality
    if copy_originality is None:
        assert copy.originality is None
    else:
        # Two of its three sentences are the wire's: a third of its text is its own.
        assert 0.2 < copy.originality < 0.45
        assert copy.originality == pytest.approx(1 - copy.shared)
        assert {p.relation for p in wire.passages} == {"copied by"}
    assert 0.55 < copy.shared < 0.8


@pytest.mark.parametrize(
    "credit",
    [
        pytest.param("Derna flooding, according to Wire News Service. ", id="according to the source's name"),
        pytest.param(
            "Read the original at https://www.wirenews.example/derna-dam. ", id="a link to its site"
        ),
    ],
)
def test_a_credited_passage_does_not_count_against_originality(credit):
    wire, copy = stories(
        [
            {
                "id": "wire",
                "title": "Dam bursts",
                "body": WIRE,
                "published": "2023-09-11",
                "source": "Wire News Service",
                "url": "https://wirenews.example/derna-dam",
            },
            {"id": "copy", "title": "Derna flooded", "body": credit + REWORDED, "published": "2023-09-12"},
        ]
    )
    assert copy.passages and {p.relation for p in copy.passages} == {"credited"}
    assert copy.originality == 1.0


def test_the_index_holds_no_text_and_a_window_forgets_old_articles():
    index = StoryIndex(window=1)
    for article in (
        Article("Dam", WIRE, id="a"),
        Article("Bank", OTHER, id="b"),
        Article("Dam", WIRE, id="c"),
    ):
        index.add(fingerprint(article))
    # "c" repeats "a", but "a" left the window when "b" came: they are not compared.
    assert [r.story for r in index.results()] == ["a", "b", "c"]
    unbounded = StoryIndex()
    for article in (
        Article("Dam", WIRE, id="a"),
        Article("Bank", OTHER, id="b"),
        Article("Dam", WIRE, id="c"),
    ):
        unbounded.add(fingerprint(article))
    assert [r.story for r in unbounded.results()] == ["a", "b", "a"]
    assert [r.passages[0].text for r in unbounded.results() if r.passages] == ["", ""]  # no text given back


@pytest.mark.parametrize("window", [0, -1, 1.5, True])
def test_a_bad_window_is_refused(window):
    with pytest.raises(ValueError, match="window must be a whole number"):
        StoryIndex(window=window)


def test_degenerate_articles_are_stories_of_their_own():
    results = stories([Article("", "", id="empty"), Article("Only a title", "", id="t"), "x\ny"])
    assert [(r.story_size, r.originality, r.shared, r.passages) for r in results] == [(1, 1.0, 0.0, ())] * 3


# --- real articles -------------------------------------------------------------------------


@pytest.mark.slow
def test_the_five_seeds_are_one_story_and_no_unrelated_corpus_article_joins_it(seeds, corpora):
    rows = []
    for name in ("fakes_syria", "recovery", "fakenewsnet_buzzfeed", "perez_rosas"):
        with (corpora / "articles" / f"{name}.jsonl").open(encoding="utf-8") as fh:
            rows += [json.loads(line) for line in fh]
    batch = [*rows[:1500], *seeds.values(), *rows[1500:3000]]
    results = {r.id: r for r in stories(batch)}
    seed_stories = {results[a.id].story for a in seeds.values()}
    assert seed_stories == {next(iter(seeds.values())).id}
    assert results[next(iter(seeds.values())).id].story_size == 5  # none of the 3,000 others joined


def test_rule_rewrites_of_real_articles_are_found_and_unrelated_ones_are_not(corpora):
    rows = _corpus(corpora, 12)
    originals = [Article(r["title"], r["body"], id=r["id"]) for r in rows[:6]]
    copies = [Article(a.title, rewrite(a.body, seed=i), id=f"copy-{a.id}") for i, a in enumerate(originals)]
    unrelated = [Article(r["title"], r["body"], id=r["id"]) for r in rows[6:]]
    index = StoryIndex()
    batch = [*originals, *unrelated, *copies]
    for article in batch:
        index.add(fingerprint(article))
    found = {frozenset(pair[:2]) for pair in index.copies()}
    assert found == {frozenset((a.id, f"copy-{a.id}")) for a in originals}
    assert all(share >= COPY_SHARE for *_, share in index.copies())
    for result, article in zip(index.results(batch), batch, strict=True):
        for p in result.passages:
            assert article.body[p.start : p.end] == p.text != ""
            other = next(a for a in batch if a.id == p.other)
            # The other side of a passage is whole sentences of the other article.
            assert other.body[p.other_start : p.other_end].strip() == other.body[p.other_start : p.other_end]


def test_a_rewrite_keeps_its_story_whatever_the_order(corpora):
    (row,) = _corpus(corpora, 1)
    original = Article(row["title"], row["body"], id="original")
    copy = Article(row["title"], rewrite(row["body"], seed=3), id="copy")
    assert [r.story for r in stories([copy, original])] == ["copy", "copy"]
    assert [r.story for r in stories([original, copy])] == ["original", "original"]


# --- fingerprints: the vectorised path against the definitions ------------------------------


def _reference(article: Article) -> dict:
    """A fingerprint's parts computed the plain way, word by word, from the definitions: the
    sentences of `quality.doc`, the words `_WORD.findall` finds in each sentence lowered, CRC-32
    of words and stems. What `fingerprints` must give, whatever it does to be fast."""
    import zlib

    import numpy as np

    from quality.doc import sentences
    from quality.signals.filler import FUNCTION_WORDS, stem
    from quality.stories import _MIX, _WORD, _signature, _zipf

    def crc(text: str) -> int:
        return zlib.crc32(text.encode("utf-8", "surrogatepass"))

    found = [(s, _WORD.findall(s.text.lower())) for s in sentences(article.body)]
    stems = [sorted({crc(stem(w)) or 1 for w in ws if w not in FUNCTION_WORDS}) for _, ws in found]
    kept = [k for k, st in enumerate(stems) if len(st) >= 5]
    hashed = [crc(w) for _, ws in found for w in ws]
    if len(hashed) >= 3:
        shingles = [
            (a * int(_MIX[0]) + b * int(_MIX[1]) + c * int(_MIX[2])) & 0xFFFFFFFF
            for a, b, c in zip(hashed, hashed[1:], hashed[2:], strict=False)
        ]
    else:
        shingles = hashed
    counts = Counter(w for _, ws in found for w in ws)
    counts.update(2 * _WORD.findall(article.title.lower()))
    totals: dict[int, float] = {}
    for w, c in counts.items():
        rarity = 0.0 if w in FUNCTION_WORDS or len(w) <= 2 else max(0.1, 7.0 - _zipf().get(w, 0.0))
        if rarity > 0:
            key = crc(stem(w)) or 1
            totals[key] = totals.get(key, 0.0) + (1.0 + math.log(c)) * rarity
    terms = sorted(sorted(totals, key=lambda t: (-totals[t], t))[:15])
    return {
        "spans": [[found[k][0].start, found[k][0].end] for k in kept],
        "stems": [stems[k] for k in kept],
        "words": [tuple(found[k][1]) for k in kept],
        "signature": _signature(np.array(shingles, dtype=np.uint64)).tolist(),
        "terms": terms,
        "chars": sum(s.end - s.start for s, _ in found),
    }


def _odd_articles() -> list[Article]:
    """Texts that take the rare paths: letters whose lower case is longer ("İ") or depends on
    what follows (capital sigma), words longer than the keyed length, a body longer than the
    hash's place tables (`_WRAP`), connectors between words, nothing at all."""
    long_body = " ".join(f"Word{i} gamma{i % 97}, delta's {i}.5 epsilon." for i in range(9000))
    return [
        Article("", "", id="empty"),
        Article("Only a title here", "", id="title"),
        Article(
            "İstanbul",
            "İstanbul'da DİKKAT: the İzmir ferry sank near the Bosphorus on Monday night.",
            id="dotted",
        ),
        Article(
            "ΟΔΟΣ",
            "ΣΟΦΙΑ ΟΔΟΣ ΚΑΙ ΤΕΛΟΣ. The Greek street signs were changed across Athens this week.",
            id="sigma",
        ),
        Article(
            "Long",
            "Antidisestablishmentarianismoverthehillsandfarawaysomewhere is a word, "
            "said the linguists of the northern university on Friday evening.",
            id="long-word",
        ),
        Article(
            "Numbers",
            "The U.S. sold 5,300.5 tonnes of grain; Dr. Li said it's a record, e.g. in Ohio.\n"
            "A second line follows here with five words or more in it.",
            id="connectors",
        ),
        Article("Very long", long_body, id="very-long"),
    ]


def test_fingerprints_are_what_the_definitions_give(corpora):
    import numpy as np

    from quality.stories import fingerprints

    articles = [
        Article(r["title"] or "", r["body"] or "", id=r["id"]) for r in _corpus(corpora, 150, min_words=0)
    ]
    articles += _odd_articles()
    words_of: dict[int, tuple[str, ...]] = {}
    for article, fp in zip(articles, fingerprints(articles), strict=True):
        expected = _reference(article)
        assert fp.spans.tolist() == expected["spans"], article.id
        assert [fp.stems[a:b].tolist() for a, b in zip(fp.bounds, fp.bounds[1:], strict=False)] == expected[
            "stems"
        ]
        assert fp.shingle_signature.tolist() == expected["signature"], article.id
        assert fp.terms.tolist() == expected["terms"], article.id
        assert fp.chars == expected["chars"]
        # ``exact`` is equal exactly when the words are, in order (across articles too)
        for value, words in zip(fp.exact.tolist(), expected["words"], strict=True):
            assert words_of.setdefault(value, words) == words
        assert fp.exact.dtype == np.uint32 and fp.bounds.dtype == np.int32 and fp.spans.dtype == np.int32
    assert len(words_of) > 1000  # the comparison above had sentences to compare


def test_fingerprints_of_a_batch_are_its_articles_fingerprints_whatever_the_split(corpora):
    import numpy as np

    from quality.stories import Fingerprint, fingerprint, fingerprints

    articles = [Article(r["title"] or "", r["body"] or "", id=r["id"]) for r in _corpus(corpora, 40)]
    articles += _odd_articles()
    together = fingerprints(articles)
    for split in (1, 7, 300):
        parts = [fp for k in range(0, len(articles), split) for fp in fingerprints(articles[k : k + split])]
        for a, b in zip(together, parts, strict=True):
            for name in Fingerprint.__slots__:
                x, y = getattr(a, name), getattr(b, name)
                if isinstance(x, np.ndarray):
                    assert x.dtype == y.dtype and np.array_equal(x, y), (a.id, name)
                else:
                    assert x == y, (a.id, name)
    assert fingerprint(articles[3]).terms.tolist() == together[3].terms.tolist()


def test_a_fingerprint_crosses_processes_whole():
    import pickle

    import numpy as np

    from quality.stories import Fingerprint, fingerprint

    wire = fingerprint(
        {"id": "w", "title": "Dam bursts", "body": WIRE, "published": "2023-09-11", "source": "Wire"}
    )
    for fp in (wire, fingerprint(Article("", "", id="empty"))):
        back = pickle.loads(pickle.dumps(fp))
        for name in Fingerprint.__slots__:
            x, y = getattr(fp, name), getattr(back, name)
            assert (
                (x.dtype == y.dtype and x.shape == y.shape and np.array_equal(x, y))
                if isinstance(x, np.ndarray)
                else x == y
            )
    index = StoryIndex()
    for fp in (wire, pickle.loads(pickle.dumps(fingerprint(Article("Derna", REWORDED, id="r"))))):
        index.add(fp)
    assert [r.story for r in index.results()] == ["w", "w"]


def test_the_word_table_keeps_every_word_on_its_own_row():
    """Seventy thousand words, each several times: the table grows, some buckets overflow, and
    every word keeps one row, whose hash is its own."""
    import zlib

    from quality.stories import _tokens, _Words

    letters = "abcdefghijklmnopqrstuvwxyz"
    words = ["".join(letters[(i // 26**k) % 26] for k in range(4)) + "x" * (i % 40) for i in range(70_000)]
    table = _Words()
    rows_of: dict[str, int] = {}
    for part in (words[:30_000], words, words[::-1]):
        text = " ".join(part)
        starts, ends, keys = _tokens(text)
        assert [text[s:e] for s, e in zip(starts.tolist(), ends.tolist(), strict=True)] == part
        for word, row in zip(part, table.rows_of(text, starts, ends, keys).tolist(), strict=True):
            assert rows_of.setdefault(word, row) == row
            assert int(table.hash[row]) == zlib.crc32(word.encode())
    assert table.count == len(words) == len(set(rows_of.values()))
    assert len(table.keys) >= len(words) and table.overflow and table.long  # grown, full buckets, long words


def test_sentence_spans_are_the_docs_sentences(corpora):
    from quality.doc import sentences
    from quality.stories import _sentence_spans

    texts = [r["body"] or "" for r in _corpus(corpora, 200, min_words=0)]
    texts += [
        "It rained. Dr. Li said so. In the U.S. It did not.",
        'Mr. Smith went to Washington. He met Gen. Jones... Then?! "Yes." (Really.) The end',
        "No end here\n\n\nor here\r\n  spaced  \n",
        "World War I. The war ended. Apple Inc. The firm grew. e.g. This one. 5.3 percent. A.",
        "",
        "   \n\t ",
    ]
    for text in texts:
        assert _sentence_spans(text) == [(s.start, s.end) for s in sentences(text)]


# --- the Dask engine and the command line -------------------------------------------------


@pytest.mark.slow
def test_a_dask_cluster_gives_the_same_stories(corpora):
    distributed = pytest.importorskip(
        "distributed", reason="Dask is an optional extra: pip install 'quality[dask]'"
    )
    rows = _corpus(corpora, 30, min_words=150)
    batch = [Article(r["title"], r["body"], id=r["id"]) for r in rows]
    batch += [Article(a.title, rewrite(a.body, seed=i), id=f"copy-{a.id}") for i, a in enumerate(batch[:8])]
    here = stories(batch)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        on_dask = stories(batch, client=client, chunk_size=7)  # several chunks, out of step with the stories
    assert on_dask == here
    assert sum(1 for r in here if r.story_size > 1) >= 16  # the eight copies and their originals


def _jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_score_stories_adds_the_story_columns_to_every_row(tmp_path, fmt):
    from quality.cli import main

    if fmt == "parquet":
        pytest.importorskip("pyarrow", reason="Parquet is an optional extra")
    import pandas as pd

    crawl = tmp_path / "crawl.jsonl"
    _jsonl(
        crawl,
        [
            {"id": "wire", "title": "Dam bursts in Derna", "body": WIRE, "published": "2023-09-11T08:00:00Z"},
            {"id": "bank", "title": "Bank raises rates", "body": OTHER, "published": "2023-09-11T09:00:00Z"},
            {"id": "copy", "title": "Derna flooded", "body": REWORDED, "published": "2023-09-11T10:00:00Z"},
        ],
    )
    with crawl.open("a", encoding="utf-8") as fh:
        fh.write("{not json\n")
    out = tmp_path / f"scores.{fmt}"
    assert main(["score", str(crawl), "--stories", "-o", str(out), "-q"]) == 1  # the bad line is an error row
    frame = {"jsonl": lambda p: pd.read_json(p, lines=True), "csv": pd.read_csv, "parquet": pd.read_parquet}[
        fmt
    ](out)
    assert list(frame["id"][:3]) == ["wire", "bank", "copy"]
    assert list(frame["story"][:3]) == ["wire", "bank", "wire"]
    assert list(frame["story_size"][:3]) == [2, 1, 2]
    assert pd.isna(frame["story"][3]) and frame["stage"][3] == "read"
    copy = frame.iloc[2]
    passages = json.loads(copy["passages"]) if isinstance(copy["passages"], str) else list(copy["passages"])
    assert {p["other"] for p in passages} == {"wire"} and {p["relation"] for p in passages} == {"copied from"}
    for p in passages:
        assert REWORDED[p["start"] : p["end"]] == p["text"]
        assert WIRE[p["other_start"] : p["other_end"]].startswith(("Storm Daniel", "Rescue teams"))
    assert 0.2 < copy["originality"] < 0.45 and frame.iloc[0]["originality"] == 1.0


def test_score_stories_on_the_seed_files_finds_their_story(seeds, tmp_path):  # seeds: skips without them
    from quality.cli import main

    out = tmp_path / "seeds.jsonl"
    folder = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"
    assert main(["score", str(folder), "--stories", "-o", str(out), "-q"]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert (
        len(rows) == 5
        and {r["story"] for r in rows} == {rows[0]["id"]}
        and {r["story_size"] for r in rows} == {5}
    )
    assert all(r["reliability"] is not None for r in rows)  # scored as without --stories


def test_stories_window_needs_stories(capsys):
    from quality.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["score", "x.jsonl", "--stories-window", "10"])
    assert exit_info.value.code == 2 and "--stories-window needs --stories" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "0 articles leaves an article nothing to be compared with; give 1 or more"),
        ("-3", "-3 articles leaves an article nothing to be compared with"),
        ("ten", "expected a number of articles (1 or more) or 'all', got 'ten'"),
    ],
)
def test_a_bad_stories_window_is_refused_with_the_way_out(capsys, value, message):
    from quality.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["score", "x.jsonl", "--stories", "--stories-window", value])
    assert exit_info.value.code == 2 and message in capsys.readouterr().err


@pytest.mark.parametrize(("value", "grouped"), [(None, True), ("all", True), ("2", True), ("1", False)])
def test_the_stories_window_decides_how_far_back_an_article_is_compared(tmp_path, value, grouped):
    from quality.cli import main

    crawl = tmp_path / "crawl.jsonl"
    _jsonl(
        crawl,
        [
            {"id": "wire", "title": "Dam bursts in Derna", "body": WIRE},
            {"id": "bank", "title": "Bank raises rates", "body": OTHER},
            {"id": "copy", "title": "Dam bursts in Derna", "body": WIRE},
        ],
    )
    out = tmp_path / "out.jsonl"
    extra = [] if value is None else ["--stories-window", value]
    assert main(["score", str(crawl), "--stories", "-o", str(out), "-q", *extra]) == 0
    rows = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert (rows["copy"]["story"] == "wire") is grouped


def test_the_writer_and_the_module_name_the_same_story_columns():
    from quality.io.writers import STORY_COLUMNS as WRITTEN
    from quality.stories import STORY_COLUMNS

    assert WRITTEN == STORY_COLUMNS == tuple(stories(["A b\nc d"])[0].to_row())
