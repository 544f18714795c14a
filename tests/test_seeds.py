"""Golden tests on the five seed articles (../shared/seeds): what each signal must find there."""

from __future__ import annotations

import math


def test_001_headline_is_not_site_chrome(seeds):
    assert seeds["001"].title.startswith("Russia may potentially recruit up to 25,000")
    assert "Skip to content" in seeds["001"].body


def test_every_evidence_span_is_exact(seeds, seed_reports):
    for key, report in seed_reports.items():
        for e in report.evidence:
            assert getattr(seeds[key], e.field)[e.start : e.end] == e.text


def test_contributions_add_up(seed_reports):
    for report in seed_reports.values():
        p = report.reliability
        assert abs(report.intercept + sum(report.contributions.values()) - math.log(p / (1 - p))) < 1e-9


def test_004_is_the_least_reliable_and_003_beats_it(seed_reports):
    rel = {k: r.reliability for k, r in seed_reports.items()}
    assert min(rel, key=rel.get) == "004"
    assert rel["003"] > rel["004"]


def test_004_reasons_name_the_clickbait_headline(seed_reports):
    top = seed_reports["004"].reasons[0]
    assert "clickbait" in top and "'Shocking'" in top and "'!'" in top
