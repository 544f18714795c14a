"""`once`: an expensive loader runs once, even when threads call it together."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from quality._once import once


def test_threads_that_miss_together_run_the_loader_once():
    calls = []
    start = threading.Barrier(8)

    @once
    def load(name: str) -> str:
        calls.append(name)
        time.sleep(0.2)  # a slow load: every thread arrives while it runs
        return name.upper()

    def first_call(_: int) -> str:
        start.wait()
        return load("dictionary")

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(first_call, range(8)))
    assert results == ["DICTIONARY"] * 8
    assert calls == ["dictionary"]
    assert load("other") == "OTHER" and calls == ["dictionary", "other"]
