"""The helper processes: a call past its time or memory limit, or a crash, becomes a message and a fresh
worker; a sandbox child cannot outlive its limits, write files, or send back anything but data."""

import os
import threading
import time

import pytest

from penguin_core.errors import PenguinError
from penguin_core.isolation.sandbox import run_isolated
from penguin_core.isolation.worker import Worker, WorkerFailed


@pytest.fixture
def worker():
    helper = Worker("tests.helper_tasks", argv=("worker",), name="test helper", memory_mb=300, call_seconds=3,
                    start_seconds=30, wait_seconds=20)
    helper.start()
    yield helper
    helper.stop()


def test_answers_and_the_learners_own_mistakes_come_back(worker):
    assert worker.call("echo", {"a": [1, 2]}) == {"a": [1, 2]}
    with pytest.raises(PenguinError, match="that is not allowed") as raised:
        worker.call("refuse")
    assert not isinstance(raised.value, WorkerFailed)


def test_a_bug_in_the_worker_is_a_message_without_its_details(worker):
    with pytest.raises(WorkerFailed) as raised:
        worker.call("bug")
    assert "/secret/server/path" not in str(raised.value) and "log" in str(raised.value)
    assert worker.call("echo", 1) == 1  # the worker lives on


def test_a_crash_mid_call_restarts_the_worker(worker):
    first = worker.call("pid")
    with pytest.raises(WorkerFailed, match="stopped unexpectedly and was restarted"):
        worker.call("crash")
    assert worker.call("pid") != first


def test_a_call_past_its_time_is_killed_and_the_next_one_works(worker):
    worker.call("echo", 0)  # warm: only the call's own limit applies now
    start = time.monotonic()
    with pytest.raises(WorkerFailed, match="took longer than 3 s"):
        worker.call("sleep", 60)
    assert time.monotonic() - start < 10
    assert worker.call("echo", 2) == 2


def test_a_worker_killed_half_way_leaves_no_temporary_file(worker):
    worker.call("echo", 0)
    with pytest.raises(WorkerFailed):
        worker.call("leave_a_file")
    assert not os.path.exists(worker.temp) or os.listdir(worker.temp) == []


def test_a_call_past_its_memory_is_killed(worker):
    worker.call("echo", 0)
    with pytest.raises(WorkerFailed, match="more than 300 MB"):
        worker.call("allocate", 600)
    assert worker.call("echo", 3) == 3


def test_a_hung_call_delays_another_learner_by_a_bounded_time(worker):
    worker.call("echo", 0)
    outcome = {}

    def other_learner():
        time.sleep(0.3)
        start = time.monotonic()
        outcome["answer"] = worker.call("echo", "mine")
        outcome["waited"] = time.monotonic() - start

    thread = threading.Thread(target=other_learner)
    thread.start()
    with pytest.raises(WorkerFailed):
        worker.call("sleep", 600)
    thread.join(30)
    assert outcome["answer"] == "mine" and outcome["waited"] < 10


def test_a_sandbox_child_past_its_time_is_stopped():
    with pytest.raises(PenguinError, match="took more than 2 s"):
        run_isolated("tests.helper_tasks", b"sleep", seconds=2)


def test_a_sandbox_child_cannot_take_more_memory_than_its_limit():
    with pytest.raises(PenguinError, match="more memory"):
        run_isolated("tests.helper_tasks", b"eat", memory_mb=512)


def test_a_sandbox_child_writes_no_file():
    with pytest.raises(PenguinError, match="could not be read"):  # the kernel stops it at its first write
        run_isolated("tests.helper_tasks", b"write")


def test_a_sandbox_child_answers_data_and_its_own_refusals():
    assert run_isolated("tests.helper_tasks", b"hello") == "hello"
    with pytest.raises(PenguinError, match="not this one"):
        run_isolated("tests.helper_tasks", b"refuse")


def test_a_worker_that_cannot_start_is_tried_again_after_a_growing_wait_not_on_every_call():
    """The issue: with no Keras on the server, every script run restarted the dying worker (0.7 CPU-s each)."""
    broken = Worker("tests.helper_tasks", argv=("dies at start",), name="broken helper", call_seconds=3,
                    start_seconds=10, backoff=(1.0, 4.0))
    try:
        with pytest.raises(WorkerFailed, match="stopped unexpectedly"):
            broken.call("echo", 1)  # it dies while starting
        started = time.monotonic()
        for _ in range(20):  # every call meanwhile: refused at once, no new process
            with pytest.raises(WorkerFailed, match="cannot start on this server just now"):
                broken.call("echo", 1)
        assert time.monotonic() - started < 0.5 and broken.pid is None
        time.sleep(1.1)
        with pytest.raises(WorkerFailed, match="stopped unexpectedly"):
            broken.call("echo", 1)  # tried again after the wait, which then doubles
        assert 1.5 < broken._retry_at - time.monotonic() <= 2.0
    finally:
        broken.stop()


def test_a_sandbox_child_killed_from_outside_is_not_called_a_damaged_file():
    from penguin_core.isolation.sandbox import NotChecked, run_isolated

    with pytest.raises(NotChecked, match="could not be checked just now"):
        run_isolated("tests.sandbox_killed", b"")
