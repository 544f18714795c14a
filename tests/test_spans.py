"""The real-article evaluation: matching rules, loading checks, and the `evaluate --spans` verb."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from quality.article import Article, Evidence
from quality.cli import main
from quality.spans import (
    ALL,
    AnnotatedArticle,
    AnnotatedSpan,
    CorpusRates,
    GroupResult,
    HeadlineCounts,
    SignalCounts,
    SpanEvaluation,
    evaluate_articles,
    format_markdown,
    format_text,
    load_set,
    match,
)

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "labeled" / "real"


def ev(signal: str, start: int, end: int, feature: str = "", field: str = "body") -> Evidence:
    """Evidence whose text does not matter to the matching."""
    return Evidence(signal, feature or f"{signal}.x", field, start, end, "x" * (end - start))


def ann(kind: str, start: int, end: int, field: str = "body") -> AnnotatedSpan:
    return AnnotatedSpan(kind, field, start, end)


ANON = "sourcing.anonymous_sources_per_100w"

# (evidence, annotations, signal, (predicted, true positives, annotated, found))
MATCHES = {
    "a span on its annotation is a true positive and finds it": (
        [ev("typos", 10, 19)],
        [ann("typo", 10, 19)],
        "typos",
        (1, 1, 1, 1),
    ),
    "sharing one character is enough": (
        [ev("filler", 0, 11)],
        [ann("filler", 10, 30)],
        "filler",
        (1, 1, 1, 1),
    ),
    "spans that only touch do not overlap": (
        [ev("filler", 0, 10)],
        [ann("filler", 10, 30)],
        "filler",
        (1, 0, 1, 0),
    ),
    "the same offsets in the other field do not overlap": (
        [ev("typos", 0, 5, field="title")],
        [ann("typo", 0, 5, field="body")],
        "typos",
        (1, 0, 1, 0),
    ),
    "an annotation of another kind does not count": (
        [ev("typos", 0, 5)],
        [ann("filler", 0, 40)],
        "typos",
        (1, 0, 0, 0),
    ),
    "sourcing is matched with source annotations": (
        [ev("sourcing", 20, 32)],
        [ann("source", 15, 40)],
        "sourcing",
        (1, 1, 1, 1),
    ),
    "unsupported claims are matched with claim sentences": (
        [ev("unsupported_claims", 0, 60)],
        [ann("claim", 0, 60), ann("claim", 61, 120)],
        "unsupported_claims",
        (1, 1, 2, 1),
    ),
    "an anonymous source on a claim sentence is right": (
        [ev("sourcing", 0, 11, feature=ANON)],
        [ann("claim", 0, 60)],
        "sourcing",
        (1, 1, 0, 0),
    ),
    "another sourcing feature on a claim sentence is wrong": (
        [ev("sourcing", 0, 11, feature="sourcing.attributions_per_100w")],
        [ann("claim", 0, 60)],
        "sourcing",
        (1, 0, 0, 0),
    ),
    "an anonymous source beside a claim sentence is wrong": (
        [ev("sourcing", 61, 72, feature=ANON)],
        [ann("claim", 0, 60)],
        "sourcing",
        (1, 0, 0, 0),
    ),
    "an anonymous source does not make the claim found by the claims signal": (
        [ev("sourcing", 0, 11, feature=ANON)],
        [ann("claim", 0, 60)],
        "unsupported_claims",
        (0, 0, 1, 0),
    ),
    "the same span from two features counts once": (
        [
            ev("unsupported_claims", 0, 60, "unsupported_claims.a"),
            ev("unsupported_claims", 0, 60, "unsupported_claims.b"),
        ],
        [ann("claim", 0, 60)],
        "unsupported_claims",
        (1, 1, 1, 1),
    ),
    "the same span counts once and is right when one of its features is": (
        [ev("sourcing", 0, 11, "sourcing.attributions_per_100w"), ev("sourcing", 0, 11, ANON)],
        [ann("claim", 0, 60)],
        "sourcing",
        (1, 1, 0, 0),
    ),
    "two spans on one annotation are both right and find it once": (
        [ev("sourcing", 0, 5), ev("sourcing", 10, 15)],
        [ann("source", 0, 20)],
        "sourcing",
        (2, 2, 1, 1),
    ),
    "one span across two annotations finds both": (
        [ev("filler", 0, 50)],
        [ann("filler", 0, 20), ann("filler", 30, 50)],
        "filler",
        (1, 1, 2, 2),
    ),
    "an empty span overlaps nothing": ([ev("typos", 5, 5)], [ann("typo", 0, 10)], "typos", (1, 0, 1, 0)),
    "another signal's evidence is not matched": (
        [ev("clickbait", 0, 5, field="title")],
        [ann("typo", 0, 5, field="title")],
        "typos",
        (0, 0, 1, 0),
    ),
}


@pytest.mark.parametrize(("evidence", "spans", "signal", "expected"), MATCHES.values(), ids=MATCHES.keys())
def test_matching_rules(evidence, spans, signal, expected):
    counts = match(evidence, spans)[signal]
    assert (counts.predicted, counts.true_positives, counts.annotated, counts.found) == expected


def test_match_gives_every_signal_even_without_evidence():
    counts = match([], [ann("typo", 0, 3)])
    assert set(counts) == {"sourcing", "typos", "filler", "unsupported_claims"}
    assert counts["typos"].precision is None and counts["typos"].recall == 0.0


def test_counts_add_up_and_give_ratios():
    total = SignalCounts(2, 1, 4, 1) + SignalCounts(2, 2, 0, 0)
    assert (total.precision, total.recall) == (0.75, 0.25)
    heads = HeadlineCounts(
        true_positives=3,
        false_positives=1,
        false_negatives=3,
        reliable=10,
        reliable_flagged=2,
        reliable_bait=3,
        reliable_flagged_plain=1,
    )
    assert heads.precision == 0.75 and heads.recall == 0.5 and heads.f1 == pytest.approx(0.6)
    both = heads + heads
    assert (both.reliable_share, both.reliable_bait_share, both.reliable_plain_flagged_share) == (
        0.2,
        0.3,
        0.1,
    )


# A small corpus and set written for these tests: loading never needs the real corpora.
ROWS = [
    {
        "id": "a1",
        "title": "Storm hits coast",
        "body": "Winds reached 120 km/h, the weather agency said.",
        "label": "reliable",
    },
    {
        "id": "a2",
        "title": "You won't believe this storm!",
        "body": "Experts say it is the worst storm ever.",
        "label": "unreliable",
    },
]


def _sha(row):
    return hashlib.sha256(f"{row['title']}\n{row['body']}".encode()).hexdigest()


def _write_jsonl(path: Path, records) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


@pytest.fixture
def small_set(tmp_path):
    """(set folder, corpora folder) of two articles: one dev, one test."""
    corpora = tmp_path / "corpora"
    _write_jsonl(corpora / "mini.jsonl", ROWS)
    folder = tmp_path / "real"
    sample = [
        {
            "dataset": "mini",
            "line": i + 1,
            "id": r["id"],
            "label": r["label"],
            "half": half,
            "sha256": _sha(r),
        }
        for i, (r, half) in enumerate(zip(ROWS, ("dev", "test"), strict=True))
    ]
    _write_jsonl(folder / "sample.jsonl", sample)
    annotations = [
        {
            "dataset": "mini",
            "line": 1,
            "id": "a1",
            "clickbait": 0,
            "spans": [{"kind": "source", "field": "body", "start": 24, "end": 47}],
        },
        {
            "dataset": "mini",
            "line": 2,
            "id": "a2",
            "clickbait": 1,
            "spans": [{"kind": "claim", "field": "body", "start": 0, "end": 39}],
        },
    ]
    _write_jsonl(folder / "annotations" / "batch.jsonl", annotations)
    return folder, corpora


def test_load_reads_the_articles_and_their_spans(small_set):
    items = load_set(*small_set)
    assert [(i.article.id, i.half, i.clickbait) for i in items] == [("a1", "dev", 0), ("a2", "test", 1)]
    first = items[0]
    span = first.spans[0]
    assert getattr(first.article, span.field)[span.start : span.end] == "the weather agency said"
    assert first.article.url is None and first.article.source is None  # content-only


def test_load_reads_only_the_halves_asked(small_set):
    assert [i.article.id for i in load_set(*small_set, halves=("dev",))] == ["a1"]


def test_a_later_draw_adds_its_articles_and_may_not_repeat_one(small_set):
    """``sample_*.jsonl`` files are read after ``sample.jsonl``: a fresh test half drawn later
    joins the set; drawing an article already in an earlier file is refused, naming it."""
    folder, corpora = small_set
    first = json.loads((folder / "sample.jsonl").read_text(encoding="utf-8").splitlines()[1])
    _write_jsonl(folder / "sample.jsonl", [json.loads((folder / "sample.jsonl").read_text().splitlines()[0])])
    _write_jsonl(folder / "sample_2.jsonl", [first])
    assert [(i.article.id, i.half) for i in load_set(folder, corpora)] == [("a1", "dev"), ("a2", "test")]
    _write_jsonl(folder / "sample_3.jsonl", [first])
    with pytest.raises(
        ValueError, match=r"sample_3.jsonl' line 1: mini line 2 was already drawn in .*sample_2.jsonl"
    ):
        load_set(folder, corpora)


def test_a_changed_corpus_text_names_the_article(small_set):
    folder, corpora = small_set
    changed = [dict(ROWS[0], body=ROWS[0]["body"] + " More."), ROWS[1]]
    _write_jsonl(corpora / "mini.jsonl", changed)
    with pytest.raises(ValueError, match=r"article 'a1' \(mini.jsonl line 1\).*text differs"):
        load_set(folder, corpora)


def test_a_changed_sha256_in_the_sample_names_the_article(small_set):
    folder, corpora = small_set
    lines = (folder / "sample.jsonl").read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[1])
    record["sha256"] = "0" * 64
    lines[1] = json.dumps(record)
    (folder / "sample.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"article 'a2' \(mini.jsonl line 2\).*SHA-256"):
        load_set(folder, corpora)


def test_another_id_at_the_line_names_the_article(small_set):
    folder, corpora = small_set
    _write_jsonl(corpora / "mini.jsonl", [dict(ROWS[0], id="other"), ROWS[1]])
    with pytest.raises(ValueError, match=r"article 'a1'.*has id 'other'"):
        load_set(folder, corpora)


def test_a_span_outside_its_field_is_refused(small_set):
    folder, corpora = small_set
    bad = {
        "dataset": "mini",
        "line": 1,
        "id": "a1",
        "clickbait": 0,
        "spans": [{"kind": "typo", "field": "title", "start": 0, "end": 99}],
    }
    _write_jsonl(folder / "annotations" / "batch.jsonl", [bad])
    with pytest.raises(ValueError, match=r"article 'a1'.*outside the title"):
        load_set(folder, corpora)


def test_an_article_annotated_twice_is_refused(small_set):
    folder, corpora = small_set
    _write_jsonl(
        folder / "annotations" / "again.jsonl",
        [{"dataset": "mini", "line": 1, "id": "a1", "clickbait": 0, "spans": []}],
    )
    with pytest.raises(ValueError, match="annotated twice"):
        load_set(folder, corpora)


def test_an_article_without_annotation_is_left_out_with_a_warning(small_set, caplog):
    folder, corpora = small_set
    _write_jsonl(
        folder / "annotations" / "batch.jsonl",
        [{"dataset": "mini", "line": 2, "id": "a2", "clickbait": 1, "spans": []}],
    )
    assert [i.article.id for i in load_set(folder, corpora)] == ["a2"]
    assert "1 of 2 sampled articles have no annotation" in caplog.text


def test_missing_corpora_folder_is_a_clear_error(small_set, tmp_path):
    with pytest.raises(FileNotFoundError, match="corpora folder .* not found"):
        load_set(small_set[0], tmp_path / "nowhere")


def test_cli_without_corpora_exits_2_and_says_why(small_set, tmp_path, capsys):
    code = main(["evaluate", "--spans", str(small_set[0]), "--corpora", str(tmp_path / "nowhere")])
    assert code == 2
    assert "corpora folder" in capsys.readouterr().err


def test_cli_refuses_span_options_without_spans(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["evaluate", "--data", "x.jsonl", "--markdown"])
    assert exit_.value.code == 2
    assert "go with --spans" in capsys.readouterr().err


@pytest.mark.parametrize("markdown", [False, True], ids=["readable table", "markdown"])
def test_cli_prints_both_halves_and_the_corpus_rates(small_set, capsys, markdown):
    folder, corpora = small_set
    args = ["evaluate", "--spans", str(folder), "--corpora", str(corpora)] + (
        ["--markdown"] if markdown else []
    )
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "dev half" in out and "test half" in out
    assert "typo spans per 1,000 words" in out
    assert ("| signal |" in out) == markdown
    assert ("reliable flagged, annotated plain" if markdown else "annotated plain") in out


def test_reliable_headlines_flagged_are_told_apart_by_their_annotation(model):
    """A reliable outlet's headline flagged as clickbait is a wrong call only when the annotator
    called it plain; both counts are kept, with the reliable headlines annotated as bait."""

    def item(title, clickbait, line):
        return AnnotatedArticle(
            "mini", line, "reliable", "dev", Article(title, "Winds reached 120 km/h."), clickbait, ()
        )

    bait = "You Won't Believe What This Storm Did Next!"
    items = [
        item(bait, 0, 1),
        item(bait, 1, 2),
        item("Storm hits coast", 1, 3),
        item("Storm hits coast", 0, 4),
    ]
    heads = evaluate_articles(items, model)["dev"][ALL].headlines
    assert (heads.reliable, heads.reliable_flagged, heads.reliable_flagged_plain, heads.reliable_bait) == (
        4,
        2,
        1,
        2,
    )


def test_format_says_n_a_for_nothing_to_divide():
    result = SpanEvaluation(
        {"dev": {"mini": GroupResult(), ALL: GroupResult()}}, CorpusRates(0, 0, 0, 0, 0), "m"
    )
    assert "n/a" in format_text(result) and "n/a" in format_markdown(result)


def test_dev_articles_end_to_end(corpora, model):
    items = load_set(REAL, corpora / "articles", halves=("dev",))
    assert items and {i.half for i in items} == {"dev"}
    few = items[:4]
    groups = evaluate_articles(few, model)
    assert set(groups) == {"dev"}
    total = groups["dev"][ALL]
    assert total.articles == len(few)
    for signal, kind in (
        ("sourcing", "source"),
        ("typos", "typo"),
        ("filler", "filler"),
        ("unsupported_claims", "claim"),
    ):
        counts = total.signals[signal]
        assert counts.annotated == sum(1 for i in few for s in i.spans if s.kind == kind)
        assert 0 <= counts.true_positives <= counts.predicted and 0 <= counts.found <= counts.annotated
    heads = total.headlines
    assert heads.true_positives + heads.false_positives + heads.false_negatives + heads.true_negatives == len(
        few
    )


def _draw_script():
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "benchmarks" / "draw_real_sample.py"
    spec = importlib.util.spec_from_file_location("draw_real_sample", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_draw_script_reproduces_the_committed_samples(corpora, tmp_path):
    """Every committed draw is what the script draws with the options the data card gives, and
    no article is drawn twice (a fresh test half must be articles no one has scored). A test
    half retired to dev after it had been scored says ``"half": "dev", "drawn_as": "test"``, the
    only difference from the draw; the newest draw is the test half."""
    draw = _draw_script()
    real = Path(__file__).resolve().parent.parent / "labeled" / "real"

    def retired(path):
        committed = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        assert {o["half"] for o in committed} == {"dev"}
        return [dict(o, half=o.pop("drawn_as")) if "drawn_as" in o else o for o in map(dict, committed)]

    again = tmp_path / "again.jsonl"
    draw.main([str(corpora / "articles"), "-o", str(again)])
    first = retired(real / "sample.jsonl")
    assert [json.loads(line) for line in again.read_text(encoding="utf-8").splitlines()] == first
    assert sum(o["half"] == "test" for o in first) == 64
    draws = [
        ("sample_2.jsonl", ["--seed", "20261207", "--exclude", str(real / "sample.jsonl")]),
        (
            "sample_3.jsonl",
            [
                "--seed",
                "20261214",
                "--exclude",
                str(real / "sample.jsonl"),
                "--exclude",
                str(real / "sample_2.jsonl"),
            ],
        ),
        (
            "sample_4.jsonl",
            [
                "--seed",
                "20261221",
                *(
                    arg
                    for name in ("sample", "sample_2", "sample_3")
                    for arg in ("--exclude", str(real / f"{name}.jsonl"))
                ),
            ],
        ),
        (
            "sample_5.jsonl",
            [
                "--seed",
                "20261228",
                *(
                    arg
                    for name in ("sample", "sample_2", "sample_3", "sample_4")
                    for arg in ("--exclude", str(real / f"{name}.jsonl"))
                ),
            ],
        ),
        (
            "sample_6.jsonl",
            [
                "--seed",
                "20270104",
                *(
                    arg
                    for name in ("sample", "sample_2", "sample_3", "sample_4", "sample_5")
                    for arg in ("--exclude", str(real / f"{name}.jsonl"))
                ),
            ],
        ),
        (
            "sample_7.jsonl",
            [
                "--seed",
                "20270111",
                *(
                    arg
                    for name in ("sample", "sample_2", "sample_3", "sample_4", "sample_5", "sample_6")
                    for arg in ("--exclude", str(real / f"{name}.jsonl"))
                ),
            ],
        ),
    ]
    seen = {(o["dataset"], o["line"]) for o in first}
    for name, argv in draws:
        out = tmp_path / name
        draw.main([str(corpora / "articles"), *argv, "--half", "test", "--per-stratum", "8", "-o", str(out)])
        drawn = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        committed = (
            retired(real / name)
            if name != draws[-1][0]
            else [json.loads(line) for line in (real / name).read_text(encoding="utf-8").splitlines()]
        )
        assert drawn == committed
        assert len(drawn) == 64 and {o["half"] for o in drawn} == {"test"}
        pairs = {(o["dataset"], o["line"]) for o in drawn}
        assert not seen & pairs
        seen |= pairs
