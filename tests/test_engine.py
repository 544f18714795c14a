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


def test_a_dask_cluster_gives_the_same_rows_in_order():
    distributed = pytest.importorskip(
        "distributed", reason="Dask is an optional extra: pip install 'quality[dask]'"
    )
    from quality.engine import score_on_dask

    records = [
        {"id": f"d{i}", "title": R.NEWS_TITLES[i % 4], "body": [R.SOURCED, R.TIGHT][i % 2]} for i in range(9)
    ]
    records.insert(4, RecordError("bad", "quality: cannot read 'x.jsonl' line 5: not valid JSON", "read"))
    alone = list(score_records(records, jobs=1, batch_size=3))
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=2, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        on_dask = list(score_on_dask(records, client, batch_size=3, in_flight=2))
    assert [r.id for r in on_dask] == [r.id for r in alone]
    assert [r.to_row(explain=True) if not isinstance(r, RecordError) else r.to_row() for r in on_dask] == [
        r.to_row(explain=True) if not isinstance(r, RecordError) else r.to_row() for r in alone
    ]
