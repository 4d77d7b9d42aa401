"""A learner's LabState and the server's queue: a training goes on whatever page is open, and is kept once."""

import threading
import time

from penguin_core.model import ModelSpec
from penguin_core.lab import LabState, lab_state


def wait_until(condition, timeout=30):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.02)


def test_a_finished_training_is_kept_once_whoever_looks():
    """The queue keeps it when it ends; pages looking at the same moment never keep it twice."""
    state = LabState()
    state.model_spec = ModelSpec(epochs=10)
    job = state.begin_training()
    results = []
    threads = [threading.Thread(target=lambda: results.append(state.collect_training())) for _ in range(4)]
    wait_until(lambda: job.finished)
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wait_until(lambda: state.run is not None)
    assert len(state.history) == 1 and state.history[0].name == "run 1" and state.active is None
    assert len([r for r in results if r is not None]) <= 1


def test_an_ended_training_is_saved_though_no_page_watches():
    saved = []
    state = LabState(saver=lambda s: saved.append([r.name for r in s.history]))
    state.model_spec = ModelSpec(epochs=10)
    state.begin_training()
    wait_until(lambda: saved)
    assert saved == [["run 1"]]


def test_every_page_access_collects_a_training_that_has_ended():
    session_state = {}
    state = lab_state(session_state)
    state.model_spec = ModelSpec(epochs=5)
    job = state.begin_training()
    wait_until(lambda: job.finished)
    assert lab_state(session_state).run.epochs_done == 5 and state.active is None


def test_a_training_goes_on_while_other_pages_are_opened():
    session_state = {}
    state = lab_state(session_state)
    state.model_spec = ModelSpec(epochs=2000)
    job = state.begin_training()
    wait_until(lambda: job.trained > 0)
    lab_state(session_state)  # another page
    assert state.active is not None and not job.finished
    stopped = state.stop_training()
    assert stopped.stopped_early and state.run is stopped and state.active is None


def test_train_again_stops_and_keeps_the_run_before():
    state = LabState()
    state.model_spec = ModelSpec(epochs=2000)
    first = state.begin_training()
    wait_until(lambda: first.trained > 3)
    state.model_spec = ModelSpec(epochs=5)
    second = state.begin_training()
    wait_until(lambda: second.finished)
    state.collect_training()
    assert [r.name for r in state.history] == ["run 1", "run 2"]
    assert state.history[0].stopped_early and state.history[1].epochs_done == 5


def test_progress_follows_the_pages_opened_and_the_model():
    state = LabState()
    assert not any(state.steps_done().values())
    state.visited |= {"explore", "prepare", "architecture"}
    state.model_spec = ModelSpec(epochs=2)
    job = state.begin_training()
    wait_until(lambda: job.finished)
    state.collect_training()
    assert all(state.steps_done().values())
