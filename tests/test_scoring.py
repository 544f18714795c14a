"""The library API: score, score_many, score_frame."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import quality
from quality.article import SIGNALS, Article, Evidence, RecordError, SignalResult
from quality.report import reasons
from tests import resources as R


@pytest.mark.parametrize(
    "item",
    [
        Article(title=R.NEWS_TITLES[1], body=R.SOURCED, id="a1"),
        {"title": R.NEWS_TITLES[1], "body": R.SOURCED, "id": "a1"},
        f"{R.NEWS_TITLES[1]}\n{R.SOURCED}",
    ],
    ids=["an Article", "a dict", "a plain string"],
)
def test_score_takes_articles_dicts_and_strings_alike(item, model):
    report = quality.score(item, model=model)
    expected = quality.score(Article(title=R.NEWS_TITLES[1], body=R.SOURCED), model=model)
    assert report.reliability == pytest.approx(expected.reliability)
    assert 0.0 <= report.reliability <= 1.0
    assert report.label in ("reliable", "uncertain", "unreliable")
    assert set(report.signals) == set(SIGNALS)
    assert all(0.0 <= v <= 1.0 for v in report.signals.values())


def test_an_empty_article_is_an_error_not_a_score(model):
    with pytest.raises(ValueError, match="is empty"):
        quality.score({"title": " ", "body": ""}, model=model)
    (out,) = quality.score_many([{"id": "e", "title": "", "body": "\n"}], model=model, on_error="yield")
    assert isinstance(out, RecordError) and out.id == "e"


def test_score_rejects_what_is_not_an_article(model):
    with pytest.raises(TypeError, match="cannot score a int"):
        quality.score(42, model=model)
    with pytest.raises(ValueError, match="no title or body"):
        quality.score({"headline_text": "x"}, model=model)


def test_reasons_name_the_evidence(model):
    report = quality.score({"title": R.CLICKBAIT_TITLES[0], "body": R.FILLER}, model=model)
    assert any("clickbait" in r and "'Shocking'" in r for r in report.reasons)
    as_dict = report.to_dict()
    json.dumps(as_dict)  # serialisable
    assert as_dict["evidence"] and as_dict["contributions"]


def test_a_better_article_scores_higher(model):
    good = quality.score({"title": R.NEWS_TITLES[1], "body": R.SOURCED + " " + R.TIGHT}, model=model)
    bad = quality.score(
        {"title": R.CLICKBAIT_TITLES[1], "body": R.FILLER + "\n" + R.HEDGED + " " + R.UNATTRIBUTED},
        model=model,
    )
    assert good.reliability > bad.reliability


def test_score_many_keeps_order_and_turns_bad_items_into_error_rows(model):
    items = [
        {"title": "One", "body": R.TIGHT, "id": "1"},
        {"id": "2", "nothing": "here"},
        RecordError("3", "quality: cannot read 'x.jsonl' line 3: not valid JSON", "read"),
        {"title": "Four", "body": R.SOURCED, "id": "4"},
    ]
    out = list(quality.score_many(items, model=model, on_error="yield", batch_size=2))
    assert [o.id for o in out] == ["1", "2", "3", "4"]
    assert isinstance(out[1], RecordError) and out[1].stage == "parse"
    assert isinstance(out[2], RecordError) and out[2].stage == "read"
    with pytest.raises(ValueError):
        list(quality.score_many(items, model=model))


def test_a_batch_equals_the_single_results(model):
    items = [
        {"title": t, "body": b}
        for t, b in zip(
            R.CLICKBAIT_TITLES + R.NEWS_TITLES, [R.SOURCED, R.FILLER, R.HEDGED, R.TIGHT] * 2, strict=True
        )
    ]
    batch = list(quality.score_many(items, model=model, batch_size=3))
    single = [quality.score(i, model=model) for i in items]
    assert [b.reliability for b in batch] == pytest.approx([s.reliability for s in single], abs=1e-12)
    assert [b.evidence for b in batch] == [s.evidence for s in single]


def test_score_frame_gives_one_row_per_input_row_with_the_cli_columns(model):
    frame = pd.DataFrame(
        {"title": ["Storm hits coast", None, "Bridge opens"], "body": [R.SOURCED, None, R.TIGHT]},
        index=["x", "y", "z"],
    )
    out = quality.score_frame(frame, model=model)
    assert list(out.index) == ["x", "y", "z"]
    assert list(out.columns[:6]) == ["id", "url", "title", "source", "reliability", "label"]
    assert set(SIGNALS) <= set(out.columns) and {"reasons", "error", "stage"} <= set(out.columns)
    assert out.loc["x", "id"] == "x" and out.loc[["x", "z"], "error"].isna().all()
    assert out.loc["y", "stage"] == "parse" and "empty" in out.loc["y", "error"]
    assert out.loc[["x", "z"], "reliability"].between(0, 1).all()


def test_score_frame_needs_text_columns(model):
    with pytest.raises(ValueError, match="needs a title and/or body column"):
        quality.score_frame(pd.DataFrame({"x": [1]}), model=model)


def test_score_reads_a_dict_with_the_keys_the_readers_accept(model, tmp_path):
    record = {"Headline": R.NEWS_TITLES[1], "text": R.SOURCED, "guid": "g-1", "link": "https://example.org/a"}
    report = quality.score(record, model=model)
    expected = quality.score({"title": R.NEWS_TITLES[1], "body": R.SOURCED}, model=model)
    assert report.reliability == pytest.approx(expected.reliability)
    assert (report.id, report.title, report.url) == ("g-1", R.NEWS_TITLES[1], "https://example.org/a")
    # The same record from a file gives the same article.
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (read,) = quality.read(str(path))
    assert (read.id, read.title, read.body, read.url) == ("g-1", R.NEWS_TITLES[1], R.SOURCED, report.url)


@pytest.mark.parametrize("empty", [pd.NA, None, float("nan"), ""], ids=["NA", "None", "NaN", "empty string"])
def test_a_missing_value_falls_through_to_the_next_key(model, empty, tmp_path):
    record = {"title": empty, "headline": R.NEWS_TITLES[1], "id": empty, "guid": "g-77", "body": R.SOURCED}
    report = quality.score(record, model=model)
    assert (report.title, report.id) == (R.NEWS_TITLES[1], "g-77")
    # The same row from a CSV file, and from the DataFrame pandas reads it into.
    path = tmp_path / "rows.csv"
    pd.DataFrame([{**record, "title": "", "id": ""}]).to_csv(path, index=False)
    (read,) = quality.read(str(path))
    frame = quality.score_frame(pd.read_csv(path), model=model)
    assert (read.title, read.id) == (R.NEWS_TITLES[1], "g-77")
    assert frame["id"].tolist() == ["g-77"]


def test_a_key_given_twice_takes_the_copy_with_a_value(model):
    report = quality.score({"Title": None, "title": R.NEWS_TITLES[1], "body": R.SOURCED}, model=model)
    assert report.title == R.NEWS_TITLES[1]


def test_score_frame_reads_headline_and_text_columns(model):
    frame = pd.DataFrame(
        {"article_id": [7, 8], "headline": [R.NEWS_TITLES[1], R.NEWS_TITLES[2]], "text": [R.SOURCED, ""]}
    )
    out = quality.score_frame(frame, model=model)
    plain = quality.score_frame(frame.rename(columns={"headline": "title", "text": "body"}), model=model)
    assert list(out["id"]) == ["7", "8"]
    assert out["error"].isna().all()
    assert out["reliability"].tolist() == pytest.approx(plain["reliability"].tolist())


@pytest.mark.parametrize(
    ("columns", "repeated"),
    [
        (["title", "title", "body"], "title"),
        (["Title", "title", "body"], "title"),
        (["id", "body", "ID"], "id"),
    ],
)
def test_score_frame_refuses_two_columns_for_one_field(model, columns, repeated):
    frame = pd.DataFrame([["a", "b", "c"]], columns=columns)
    with pytest.raises(ValueError, match=f"more than one '{repeated}' column"):
        quality.score_frame(frame, model=model)


words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=words, body=words)
def test_any_text_scores_finitely_with_exact_evidence_and_additive_contributions(model, title, body):
    assume(title.strip() or body.strip())
    article = Article(title=title, body=body)
    report = quality.score(article, model=model)
    assert 0.0 < report.reliability < 1.0
    assert all(math.isfinite(v) for v in report.features.values())
    assert report.intercept + sum(report.contributions.values()) == pytest.approx(report.logit, abs=1e-9)
    for e in report.evidence:
        assert getattr(article, e.field)[e.start : e.end] == e.text


def test_style_reasons_name_the_measures_behind_them():
    contributions = {"style.exclamations_per_100w": -0.4, "style.dates_per_100w": -0.05}
    features = {"style.exclamations_per_100w": 3.0, "style.dates_per_100w": 0.0}
    (reason,) = reasons(contributions, {}, features=features)
    assert reason == (
        "Vague or hard-to-read copy: 3.0 exclamation marks per 100 words, 0.0 dates per 100 words "
        "(lowers reliability by 0.45 log-odds)"
    )


def test_thin_wording_is_its_own_reason_not_filler():
    """Low lexical density is not boilerplate and has no span to quote: its reason names the
    measure, and filler stays out of the reasons."""
    contributions = {"filler.lexical_density": -0.3, "filler.boilerplate_lines": 0.0}
    (thin,) = reasons(contributions, {}, features={"filler.lexical_density": 0.18})
    assert (
        thin
        == "Thin wording, few content words: lexical density 0.18 (content words per word) (lowers reliability by 0.30 log-odds)"
    )


def test_a_reason_needs_a_tenth_of_a_log_odd_and_something_to_name():
    ev = Evidence("typos", "typos.misspelled_per_100w", "body", 0, 3, "teh", "teh: likely the")
    results = {"typos": SignalResult("typos", 1.0, {}, (ev,))}
    assert reasons({"typos.misspelled_per_100w": -0.09}, results) == ()
    assert reasons({"typos.misspelled_per_100w": -0.1}, results) == (
        "Typos: 'teh (likely the)' (lowers reliability by 0.10 log-odds)",
    )
    # A family that helps is described by what was measured; with nothing measured, no reason.
    assert reasons({"typos.misspelled_names": 0.3}, {}) == ()
    assert reasons({"typos.misspelled_names": 0.3}, {}, features={"typos.misspelled_names": 0.0}) == (
        "Clean spelling: 0 misspelled names (raises reliability by 0.30 log-odds)",
    )


def test_the_seed_reasons_name_their_evidence(seed_reports):
    for report in seed_reports.values():
        for reason in report.reasons:
            assert ":" in reason.split(" (", 1)[0], reason  # a title, then what it names


T, B = "Storm hits coast", "Winds rose, the agency said."


@pytest.mark.parametrize(
    ("frame", "ids"),
    [
        (
            pd.DataFrame({"id": pd.array([1, None], dtype="Int64"), "title": [T, T], "body": [B, B]}),
            ["1", "#1"],
        ),
        (pd.DataFrame({"id": [7.0, float("nan")], "title": [T, T], "body": [B, B]}), ["7", "1"]),
        (pd.DataFrame({"title": [T, T], "body": [B, B]}, index=[0, 0]), ["0", "#1"]),
        (pd.DataFrame({"title": [T, T], "body": [B, B]}, index=["a", "b"]), ["a", "b"]),
    ],
    ids=["missing id equal to another id", "float ids", "duplicate index", "index labels"],
)
def test_score_frame_ids_are_unique_and_join_back(model, frame, ids):
    assert quality.score_frame(frame, model=model)["id"].tolist() == ids


@pytest.mark.parametrize("explain", [False, True])
def test_score_frame_has_every_column_even_with_no_scored_rows(model, explain):
    full = quality.score_frame(pd.DataFrame({"title": [T], "body": [B]}), model=model, explain=explain)
    empty = quality.score_frame(pd.DataFrame({"title": [], "body": []}), model=model, explain=explain)
    failed = quality.score_frame(
        pd.DataFrame({"title": [None], "body": [None]}), model=model, explain=explain
    )
    assert list(empty.columns) == list(full.columns) == list(failed.columns)
    assert len(empty) == 0 and "reliability" in full.columns and "error" in full.columns
    assert failed["reliability"].isna().all() and "empty" in failed["error"].iloc[0]


def test_missing_values_of_any_kind_are_empty_fields(model):
    report = quality.score({"title": pd.NA, "body": B, "id": 7.0, "url": pd.NaT}, model=model)
    assert (report.id, report.title, report.url) == ("7", "", None)


def test_an_error_row_names_the_record_by_its_own_id(model):
    out = list(
        quality.score_many(
            [{"title": T, "body": B}, {"title": None, "body": ""}], model=model, on_error="yield"
        )
    )
    assert out[1].id == "#1"
    assert "record '#1' is empty" in out[1].error


@pytest.mark.parametrize(
    "items",
    [f"{R.NEWS_TITLES[1]}\n{R.SOURCED}", {"title": R.NEWS_TITLES[1], "body": R.SOURCED}],
    ids=["one string", "one dict"],
)
def test_score_many_refuses_one_article(model, items):
    # Iterated, a string is its characters and a dict its keys: 28 "articles" from one.
    with pytest.raises(TypeError, match="expected an iterable of articles"):
        quality.score_many(items, model=model)


def test_score_many_refuses_a_dataframe_and_empty_batches(model):
    with pytest.raises(TypeError, match="score_frame"):
        quality.score_many(pd.DataFrame({"title": ["a"], "body": ["b"]}), model=model)
    with pytest.raises(ValueError, match="batch_size must be"):
        quality.score_many([{"title": "a", "body": "b"}], model=model, batch_size=0)


def test_a_model_path_is_cached_by_where_it_is_and_when_it_was_written(tmp_path, monkeypatch):
    import os

    import quality.scoring
    from quality.model import default_model_path, model_paths

    loads = []
    monkeypatch.setattr(quality.scoring, "load_model", lambda path: loads.append(path) or path)
    quality.scoring._cached_model.cache_clear()
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        for src in model_paths(default_model_path()):
            (tmp_path / folder / f"m{src.suffix}").write_bytes(src.read_bytes())
    monkeypatch.chdir(tmp_path / "a")
    first = quality.scoring.default_model("m")
    assert (
        quality.scoring.default_model(tmp_path / "a" / "m.skops") == first
    )  # the same file, named otherwise
    monkeypatch.chdir(tmp_path / "b")
    second = quality.scoring.default_model("m")  # another folder's "m" is another model
    assert second != first and second == str(tmp_path / "b" / "m.skops")
    os.utime(tmp_path / "b" / "m.skops", ns=(1, 1))  # retrained in place
    quality.scoring.default_model("m")
    assert len(loads) == 3
    quality.scoring._cached_model.cache_clear()


def test_score_frame_converts_the_text_a_batch_at_a_time(model, monkeypatch):
    import quality.scoring

    frame = pd.DataFrame(
        {
            "id": [f"r{i}" if i % 3 else None for i in range(10)],
            "title": [R.NEWS_TITLES[i % 4] for i in range(10)],
            "body": [[R.SOURCED, R.TIGHT][i % 2] for i in range(10)],
        }
    )
    whole = quality.score_frame(frame, model=model)
    converted = []
    to_dict = pd.DataFrame.to_dict

    def spy(self, *args, **kwargs):
        if "title" in self.columns:
            converted.append(len(self))
        return to_dict(self, *args, **kwargs)

    monkeypatch.setattr(quality.scoring, "BATCH", 4)
    monkeypatch.setattr(pd.DataFrame, "to_dict", spy)
    batched = quality.score_frame(frame, model=model)
    assert converted == [4, 4, 2]  # never the whole frame's text at once
    pd.testing.assert_frame_equal(batched, whole)


@pytest.mark.slow
def test_scoring_needs_no_network(tmp_path):
    """A fresh interpreter with sockets refused loads the model, wordfreq's and symspellpy's
    word lists and textstat's dictionary from installed packages, and scores an article."""
    code = (
        R.NO_NETWORK.format(nltk_data=str(tmp_path))
        + """
import quality
r = quality.score({"title": "Storm hits coast", "body": "The goverment said 40 homes were flooded, officials told NKH."})
print(sorted(e.text for e in r.evidence if e.signal == "typos"), round(r.reliability, 6))
"""
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("['NKH', 'goverment']"), out.stdout
    assert not list(tmp_path.iterdir())


def test_a_reason_quotes_only_the_spans_of_features_that_moved_the_score():
    """Site chrome whose feature the model does not weigh did not lower the score: the filler
    reason must quote the padding that did, not 'Skip to content'."""
    from quality.article import Evidence, SignalResult
    from quality.report import reasons

    chrome = Evidence("filler", "filler.boilerplate_lines", "body", 0, 15, "Skip to content", "boilerplate")
    padding = Evidence("filler", "filler.seo_phrases_per_100w", "body", 40, 50, "Stay tuned", "padding")
    results = {"filler": SignalResult("filler", 1.0, {}, (chrome, padding))}
    (reason,) = reasons({"filler.seo_phrases_per_100w": -0.6, "filler.boilerplate_lines": 0.0}, results)
    assert reason.startswith("Filler and boilerplate: 'Stay tuned' (lowers")


def test_the_collector_runs_less_often_only_while_a_batch_is_scored(model):
    """`quality.scoring` raises the garbage collector's first threshold while it scores a batch
    (full collections walked the spelling dictionary: 1 ms an article) and gives the process
    its own back: after scoring, after a failure, when the last of overlapping threads ends;
    a collector the caller turned off stays off."""
    import gc
    import threading

    from quality.scoring import GC_THRESHOLD, _fewer_collections

    before = gc.get_threshold()
    quality.score(R.SOURCED, model=model)
    assert gc.get_threshold() == before

    inside, release = threading.Event(), threading.Event()

    def other_thread() -> None:
        with _fewer_collections():
            inside.set()
            release.wait(10)

    with _fewer_collections():
        assert gc.get_threshold() == (GC_THRESHOLD, *before[1:])
        thread = threading.Thread(target=other_thread)
        thread.start()
        assert inside.wait(10)
    assert gc.get_threshold()[0] == GC_THRESHOLD  # the other thread is still scoring
    release.set()
    thread.join()
    assert gc.get_threshold() == before

    with pytest.raises(ValueError), _fewer_collections():
        raise ValueError("a batch that fails")
    assert gc.get_threshold() == before
    gc.set_threshold(0)
    try:
        with _fewer_collections():
            assert gc.get_threshold()[0] == 0
    finally:
        gc.set_threshold(*before)
