"""The process-pool engine gives the same rows, in the same order, as scoring in-process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from quality.article import RecordError
from quality.engine import score_records
from quality.scoring import default_model
from tests import resources as R


@pytest.mark.slow
def test_two_workers_give_the_same_rows_in_order_as_one():
    records = []
    for i in range(23):
        if i == 7:
            records.append(
                RecordError("bad-7", "quality: cannot read 'x.jsonl' line 8: not valid JSON", "read")
            )
        elif i == 17:  # no id, in the fourth batch: named by its position in the whole stream
            records.append({"title": 42, "body": "b"})
        else:
            body = [R.SOURCED, R.FILLER, R.HEDGED, R.TIGHT][i % 4]
            records.append({"id": f"a{i}", "title": R.NEWS_TITLES[i % 4], "body": body})
    alone = list(score_records(records, jobs=1, batch_size=5))
    pooled = list(score_records(records, jobs=2, batch_size=5))
    assert (
        [r.id for r in pooled]
        == [r.id for r in alone]
        == [r.get("id", "#17") if isinstance(r, dict) else r.id for r in records]
    )
    assert pooled[7] == alone[7] and isinstance(pooled[7], RecordError)
    assert pooled[17] == alone[17] and pooled[17].id == "#17"
    assert [r.to_row(explain=True) for r in pooled if not isinstance(r, RecordError)] == [
        r.to_row(explain=True) for r in alone if not isinstance(r, RecordError)
    ]


@pytest.mark.slow
def test_growing_chunks_name_a_record_by_its_place_in_the_whole_stream():
    """Without a batch size, the workers get chunks of 32, then 64, 128 and 256 (`FIRST_BATCH`
    growing to `BATCH`): a record without an id is still named by its position in the input."""
    records = [{"id": f"g{i}", "title": R.NEWS_TITLES[i % 4], "body": R.TIGHT} for i in range(300)]
    records[150] = {"title": 42, "body": "b"}  # in the fifth chunk, the first of 64
    records[299] = {"title": 42, "body": "b"}  # in the last, shorter one
    pooled = list(score_records(records, jobs=2))
    assert [r.id for r in pooled] == [r.get("id") or f"#{i}" for i, r in enumerate(records)]
    assert isinstance(pooled[150], RecordError) and isinstance(pooled[299], RecordError)
    assert pooled[:3] == list(score_records(records[:3], jobs=1))


def test_one_process_scores_in_growing_batches(monkeypatch):
    """In one process too (the command line's default, with or without a progress bar or
    --resume), the first rows come after 32 articles and a long run is scored in batches of 256."""
    import quality.scoring

    sizes: list[int] = []
    batch = quality.scoring._score_batch

    def counted(articles, model):
        sizes.append(len(articles))
        return batch(articles, model)

    monkeypatch.setattr(quality.scoring, "_score_batch", counted)
    records = [{"id": f"s{i}", "title": R.NEWS_TITLES[i % 4], "body": R.TIGHT} for i in range(700)]
    out = list(score_records(records, jobs=1))
    assert [r.id for r in out] == [r["id"] for r in records]
    assert sizes == [32, 32, 64, 64, 128, 128, 252]


def test_growing_chunks_deliver_what_was_read_before_the_input_failed():
    from quality.batching import growing_chunks

    def source():
        yield from range(140)
        raise OSError("disk gone")

    got = []
    with pytest.raises(OSError, match="disk gone"):
        for chunk in growing_chunks(source(), 2):
            got.append(len(chunk))
    assert got == [32, 32, 32, 32, 12]
    # Failing in the chunk after which the size grows: the error still follows.
    for n, jobs, expected in ((40, 1, [32, 8]), (100, 2, [32, 32, 32, 4])):

        def failing(n=n):
            yield from range(n)
            raise OSError("disk gone")

        got = []
        with pytest.raises(OSError, match="disk gone"):
            for chunk in growing_chunks(failing(), jobs):
                got.append(len(chunk))
        assert got == expected
    assert [len(c) for c in growing_chunks(range(5), 1)] == [5]
    assert list(growing_chunks([], 2)) == []


def test_jobs_must_be_positive():
    with pytest.raises(ValueError, match="at least 1"):
        list(score_records([], jobs=0))


@pytest.mark.slow
def test_a_dask_cluster_gives_the_same_rows_in_order():
    distributed = pytest.importorskip(
        "distributed", reason="Dask is an optional extra: pip install 'quality[dask]'"
    )
    from quality.engine import score_on_dask

    records = [
        {"id": f"d{i}", "title": R.NEWS_TITLES[i % 4], "body": [R.SOURCED, R.TIGHT][i % 2]} for i in range(9)
    ]
    records.insert(4, RecordError("bad", "quality: cannot read 'x.jsonl' line 5: not valid JSON", "read"))
    records.insert(7, {"title": 42, "body": "b"})  # no id, in the third batch
    alone = list(score_records(records, jobs=1, batch_size=3))
    assert alone[7].id == "#7"
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=2, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        on_dask = list(score_on_dask(records, client, batch_size=3, in_flight=2))
        # A Model object is sent to the workers; the same rows come back.
        with_object = list(score_on_dask(records, client, model=default_model(), batch_size=4))
    assert [r.id for r in with_object] == [r.id for r in alone]
    assert [r.id for r in on_dask] == [r.id for r in alone]
    assert [r.to_row(explain=True) if not isinstance(r, RecordError) else r.to_row() for r in on_dask] == [
        r.to_row(explain=True) if not isinstance(r, RecordError) else r.to_row() for r in alone
    ]


def _failing_source(good: int):
    for i in range(good):
        yield {"id": f"g{i}", "title": R.NEWS_TITLES[i % 4], "body": R.SOURCED}
    raise OSError("the crawl's connection dropped")


@pytest.mark.parametrize("jobs", [1, pytest.param(2, marks=pytest.mark.slow)])
def test_a_source_that_fails_still_gets_what_it_gave_scored_first(jobs):
    out = []
    with pytest.raises(OSError, match="connection dropped"):
        for result in score_records(_failing_source(10), jobs=jobs, batch_size=4):
            out.append(result)
    assert [r.id for r in out] == [f"g{i}" for i in range(10)]


@pytest.mark.parametrize(
    ("items", "kind"),
    [("Storm hits coast\nWinds rose.", TypeError), ({"title": "T", "body": "B"}, TypeError)],
    ids=["one string", "one dict"],
)
def test_one_article_is_not_a_stream(items, kind):
    with pytest.raises(kind, match="expected an iterable of articles"):
        list(score_records(items))


@pytest.mark.slow
def test_a_model_object_goes_to_the_workers():
    records = [{"id": f"m{i}", "title": R.NEWS_TITLES[i], "body": R.SOURCED} for i in range(3)]
    pooled = list(score_records(records, default_model(), jobs=2, batch_size=2))
    assert [r.reliability for r in pooled] == [r.reliability for r in score_records(records)]


# --- faults: workers end with their parent (issue 15) -------------------------------------------

_ENDLESS = """
import sys
from quality.engine import score_records

def records():
    i = 0
    while True:
        yield {"id": str(i), "title": "Storm hits the coast", "body": "Winds rose, the agency said."}
        i += 1

for number, _ in enumerate(score_records(records(), jobs=2, batch_size=4)):
    if number % 8 == 7:
        print(number, flush=True)  # both workers have scored a batch
"""


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(c) for c in text.split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")  # a zombie has ended; only its exit status is left


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc to find the workers")
@pytest.mark.slow
def test_workers_end_when_their_parent_is_killed_with_sigkill():
    parent = subprocess.Popen([sys.executable, "-c", _ENDLESS], stdout=subprocess.PIPE, text=True)
    workers: list[int] = []
    try:
        assert parent.stdout is not None
        for _ in range(4):  # 32 results: the workers are up and scoring
            assert parent.stdout.readline(), "the pool did not score"
        workers = [c for c in _children(parent.pid) if "spawn_main" in Path(f"/proc/{c}/cmdline").read_text()]
        assert len(workers) == 2
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(w) for w in workers):
            time.sleep(0.1)
        assert not any(_alive(w) for w in workers), "orphan workers outlived their parent"
    finally:
        parent.kill()
        for worker in workers:
            if _alive(worker):
                os.kill(worker, signal.SIGKILL)
