"""Precision and recall of each signal on the project's own labeled examples (labeled/).

An example is predicted positive when its signal score is at least 0.5. The README quotes the
figures these tests print; the floors below guard against regressions.
"""

from __future__ import annotations

import pytest

import quality
from quality.article import SIGNALS, Article

FLOORS = {  # (precision, recall) at or above which each signal must stay
    "sourcing": (0.9, 0.9),
    "typos": (0.85, 0.85),
    # Six examples pad with stock phrases ("only time will tell", "it goes without saying",
    # "in a world where") that the filler lexicon no longer lists: outside quotes, in the
    # corpora's articles they occur as often or more in reliable ones (e.g. 5 vs 0, 2 vs 0,
    # 3 vs 1), so on real news they are prose, not padding. Real text decides; the floor
    # guards what is left.
    "filler": (0.9, 0.85),
    "unsupported_claims": (0.9, 0.9),
    "clickbait": (0.9, 0.9),
}


@pytest.fixture(scope="module")
def outcomes(labeled, model):
    out = []
    for ex in labeled:
        report = quality.score(Article(title=ex["title"], body=ex["body"], id=ex["id"]), model=model)
        out.append((ex, report))
    return out


def test_the_labeled_set_has_20_positives_and_20_negatives_per_signal(labeled):
    for signal in SIGNALS:
        labels = [ex["label"] for ex in labeled if ex["signal"] == signal]
        assert labels.count(1) >= 20 and labels.count(0) >= 20, signal


def test_labeled_spans_are_exact(labeled):
    for ex in labeled:
        for span in ex["spans"]:
            assert ex[span["field"]][span["start"] : span["end"]] == span["text"], ex["id"]


@pytest.mark.parametrize("signal", SIGNALS)
def test_precision_and_recall_on_labeled_examples(signal, outcomes):
    tp = fp = fn = 0
    for ex, report in outcomes:
        if ex["signal"] != signal:
            continue
        predicted = report.signals[signal] >= 0.5
        tp += predicted and ex["label"] == 1
        fp += predicted and ex["label"] == 0
        fn += (not predicted) and ex["label"] == 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    print(f"{signal}: precision {precision:.2f} recall {recall:.2f} (tp {tp}, fp {fp}, fn {fn})")
    floor_p, floor_r = FLOORS[signal]
    assert precision >= floor_p and recall >= floor_r


# Typos and claims trade recall for precision on real pages (labeled/real: a claim needs a
# figure or names and the claim model's 0.8, a rare name seen twice is not a typo), so fewer of
# these written spans are hit (claims: 31 of 54 since session 9, 0.6 and more before).
SPAN_FLOORS = {
    "typos": 0.7,
    "filler": 0.7,
    "unsupported_claims": 0.55,
    "clickbait": 0.9,
}  # filler: see FLOORS


@pytest.mark.parametrize("signal", sorted(SPAN_FLOORS))
def test_evidence_covers_the_annotated_spans(signal, outcomes):
    """On positives, most annotated spans overlap evidence of the same signal."""
    hit = total = 0
    for ex, report in outcomes:
        if ex["signal"] != signal or ex["label"] != 1:
            continue
        evidence = [e for e in report.evidence if e.signal == signal]
        for span in ex["spans"]:
            total += 1
            hit += any(
                e.field == span["field"] and e.start < span["end"] and span["start"] < e.end for e in evidence
            )
    print(f"{signal}: {hit}/{total} annotated spans found")
    assert hit / total >= SPAN_FLOORS[signal]
