"""The isolated pool: a crash, a hang or a memory blow-up costs only its own item.

The misbehaving worker functions live in tests/hostile.py: spawn (used always, as on
Windows) pickles them by name, and a module without pytest imports starts workers faster.
"""

from __future__ import annotations

import os
import sys

import pytest

from hostile import LoadsNowhere, square_or_misbehave, worker_pid
from vosp_monitor.pipeline.pool import Done, Failed, WorkersFailed, map_isolated


def test_results_in_input_order_with_context() -> None:
    seen: list[int] = []
    outcomes = map_isolated(
        square_or_misbehave, range(50), context={"add": 1}, jobs=2, on_progress=seen.append
    )
    assert outcomes == [Done(i * i + 1) for i in range(50)]
    assert seen[-1] == 50
    assert seen == sorted(seen)


def test_native_crash_costs_only_its_item() -> None:
    outcomes = map_isolated(square_or_misbehave, range(40), context={"abort": 7, "exit": 30}, jobs=2)
    failed = {i: o for i, o in enumerate(outcomes) if isinstance(o, Failed)}
    assert set(failed) == {7, 30}
    assert failed[7].kind == "crash"
    assert "SIGABRT" in failed[7].detail
    assert failed[30].kind == "crash"
    assert "3" in failed[30].detail
    assert all(outcomes[i] == Done(i * i) for i in range(40) if i not in failed)


def test_hang_is_killed_after_timeout_and_the_rest_completes() -> None:
    outcomes = map_isolated(square_or_misbehave, range(12), context={"hang": 4}, jobs=2, timeout=1.0)
    assert outcomes[4] == Failed("timeout", outcomes[4].detail)
    assert "1 с" in outcomes[4].detail
    assert [o for i, o in enumerate(outcomes) if i != 4] == [Done(i * i) for i in range(12) if i != 4]


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_AS is POSIX only")
def test_memory_blow_up_is_that_items_failure() -> None:
    outcomes = map_isolated(square_or_misbehave, range(6), context={"allocate": 2}, jobs=1, memory_mb=300)
    assert isinstance(outcomes[2], Failed)
    assert outcomes[2].kind in ("memory", "crash")
    assert "300" in outcomes[2].detail
    assert [o for i, o in enumerate(outcomes) if i != 2] == [Done(i * i) for i in range(6) if i != 2]


def test_python_exception_is_an_error_outcome_not_a_crash() -> None:
    outcomes = map_isolated(square_or_misbehave, [1, 2, 3], context={"raise": 2}, jobs=1)
    assert outcomes[0] == Done(1)
    assert outcomes[1] == Failed("error", "ValueError: плохой элемент")
    assert outcomes[2] == Done(9)


def test_jobs_one_still_isolates_and_in_process_does_not() -> None:
    isolated = map_isolated(worker_pid, [1, 2, 3], jobs=1)
    pids = {o.value for o in isolated if isinstance(o, Done)}
    assert len(pids) == 1
    assert os.getpid() not in pids
    local = map_isolated(worker_pid, [1, 2], in_process=True)
    assert local == [Done(os.getpid()), Done(os.getpid())]


def test_empty_input_and_no_children_left_behind() -> None:
    import multiprocessing

    assert map_isolated(square_or_misbehave, [], context={}) == []
    map_isolated(square_or_misbehave, range(5), context={"abort": 1}, jobs=2)
    assert multiprocessing.active_children() == []


def test_a_prestarted_worker_gets_its_context_later_and_is_one_of_the_workers() -> None:
    import multiprocessing

    from vosp_monitor.pipeline.pool import prestart

    with prestart(square_or_misbehave) as early:
        pid = early.workers[0].process.pid
        outcomes = map_isolated(square_or_misbehave, range(30), context={"add": 2}, jobs=2, prestarted=early)
        assert early.workers == []  # taken
    assert outcomes == [Done(i * i + 2) for i in range(30)]
    with prestart(worker_pid) as early:
        pid = early.workers[0].process.pid
        pids = map_isolated(worker_pid, [1, 2, 3], jobs=1, prestarted=early)
    assert pids == [Done(pid)] * 3
    assert multiprocessing.active_children() == []


def test_a_prestarted_worker_that_crashes_costs_only_its_item_and_unused_ones_are_stopped() -> None:
    import multiprocessing

    from vosp_monitor.pipeline.pool import prestart

    with prestart(square_or_misbehave) as early:
        outcomes = map_isolated(square_or_misbehave, range(8), context={"abort": 3}, jobs=1, prestarted=early)
    assert isinstance(outcomes[3], Failed) and outcomes[3].kind == "crash"
    assert [o for i, o in enumerate(outcomes) if i != 3] == [Done(i * i) for i in range(8) if i != 3]
    with prestart(square_or_misbehave, count=2):  # never used: stopped on leaving
        pass
    with prestart(worker_pid) as other:  # another function: not used, a worker of its own is started
        pids = map_isolated(square_or_misbehave, [1, 2], context={}, jobs=1, prestarted=other)
        assert len(other.workers) == 1
    assert pids == [Done(1), Done(4)]
    assert multiprocessing.active_children() == []


def test_workers_that_end_while_starting_blame_no_item_and_stop_the_pool() -> None:
    """A worker that ends before it is ready read nothing: no item is failed for it, and after
    STARTUP_ATTEMPTS such workers in a row the pool stops (not a new worker per item)."""
    import multiprocessing
    import time

    from vosp_monitor.pipeline.pool import STARTUP_ATTEMPTS

    start = time.monotonic()
    with pytest.raises(WorkersFailed, match=f"{STARTUP_ATTEMPTS} раза подряд") as error:
        map_isolated(square_or_misbehave, range(500), context=LoadsNowhere(), jobs=2)
    assert "кодом 1" in str(error.value)  # the worker's exit code: the unpickling error ended it
    assert time.monotonic() - start < 60  # a handful of start-ups, not one per item
    assert multiprocessing.active_children() == []
