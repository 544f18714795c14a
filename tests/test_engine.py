"""The process-pool engine gives the same rows, in the same order, as scoring in-process."""

from __future__ import annotations

import pytest

from quality.article import RecordError
from quality.engine import score_records
from tests import resources as R


def test_two_workers_give_the_same_rows_in_order_as_one():
    records = []
    for i in range(23):
        if i == 7:
            records.append(
                RecordError("bad-7", "quality: cannot read 'x.jsonl' line 8: not valid JSON", "read")
            )
        else:
            body = [R.SOURCED, R.FILLER, R.HEDGED, R.TIGHT][i % 4]
            records.append({"id": f"a{i}", "title": R.NEWS_TITLES[i % 4], "body": body})
    alone = list(score_records(records, jobs=1, batch_size=5))
    pooled = list(score_records(records, jobs=2, batch_size=5))
    assert (
        [r.id for r in pooled]
        == [r.id for r in alone]
        == [r["id"] if isinstance(r, dict) else r.id for r in records]
    )
    assert pooled[7] == alone[7] and isinstance(pooled[7], RecordError)
    assert [r.to_row(explain=True) for r in pooled if not isinstance(r, RecordError)] == [
        r.to_row(explain=True) for r in alone if not isinstance(r, RecordError)
    ]


def test_jobs_must_be_positive():
    with pytest.raises(ValueError, match="at least 1"):
        list(score_records([], jobs=0))
