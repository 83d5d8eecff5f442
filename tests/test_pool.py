"""The isolated pool: a crash, a hang or a memory blow-up costs only its own item.

The misbehaving worker functions live in tests/hostile.py: spawn (used always, as on
Windows) pickles them by name, and a module without pytest imports starts workers faster.
"""

from __future__ import annotations

import os
import sys

import pytest

from hostile import square_or_misbehave, worker_pid
from vosp_monitor.pipeline.pool import Done, Failed, map_isolated


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
