"""The server's training queue: a few at a time, first come first served, one per learner, nothing lost."""

import threading
import time

import pytest

from penguin_core.engine.batch import Batch
from penguin_core.server.queue import TrainingQueue
from penguin_core.training import Training, train
from penguin_core.errors import PenguinError
from penguin_core.model import HiddenLayer, ModelSpec


def wait_finished(job, timeout=60):
    deadline = time.monotonic() + timeout
    while not job.finished:
        assert time.monotonic() < deadline, "the job never finished"
        job.wait(0.05)


def test_a_queued_run_is_exactly_the_run_trained_alone(scaled_data):
    queue = TrainingQueue(slots=2)
    job = queue.submit(Training(scaled_data, ModelSpec(epochs=30)))
    wait_finished(job)
    alone = train(scaled_data, ModelSpec(epochs=30))
    assert job.result().network.fingerprint() == alone.network.fingerprint()
    assert job.state == "done" and job.result().history == alone.history


def test_no_more_than_slots_train_at_once_and_the_rest_wait_in_order(scaled_data, monkeypatch):
    """Jobs that cannot step together (different batch sizes) each take a slot, first come first served."""
    queue = TrainingQueue(slots=2)
    running, peak, started = [0], [0], []
    lock = threading.Lock()
    epoch = Batch.epoch

    def watched(batch):
        with lock:
            started.extend(t.spec.seed for t in batch.runs if not t.history)
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.002)
        try:
            return epoch(batch)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(Batch, "epoch", watched)
    jobs = [queue.submit(Training(scaled_data, ModelSpec(epochs=15, seed=s, batch_size=16 + s)), owner=s)
            for s in range(8)]
    places = [queue.place(job) for job in jobs]
    for job in jobs:
        wait_finished(job)
    assert peak[0] <= 2
    assert started == list(range(8))  # first come, first served
    assert places[-1] >= 1 and places == sorted(places)  # the later a job came, the further back it waited


def test_a_class_clicking_train_at_once_is_trained_in_one_batch_each_run_its_own(scaled_data, monkeypatch):
    queue = TrainingQueue(slots=1)
    blocker = queue.submit(Training(scaled_data, ModelSpec(epochs=4000, batch_size=8)), owner="instructor")
    while blocker.state == "waiting":
        blocker.wait(0.05)
    sizes = []
    epoch = Batch.epoch
    monkeypatch.setattr(Batch, "epoch", lambda batch: sizes.append(len(batch.runs)) or epoch(batch))
    widths = [5, 40, 10] * 4  # below and above 32 in one batch
    jobs = [queue.submit(Training(scaled_data, ModelSpec(hidden=(HiddenLayer(w),), seed=s, epochs=20)), owner=s)
            for s, w in enumerate(widths)]
    blocker.request_stop()
    for job in jobs:
        wait_finished(job)
    assert max(sizes) == len(jobs)  # the twelve waiting learners stepped together
    for job in jobs:
        alone = train(scaled_data, job.training.spec)
        assert job.state == "done" and job.result().network.fingerprint() == alone.network.fingerprint()
        assert job.result().history == alone.history
        assert job.cpu_seconds > 0


def test_a_learner_stopping_in_a_batch_stops_alone(scaled_data):
    queue = TrainingQueue(slots=1)
    blocker = queue.submit(Training(scaled_data, ModelSpec(epochs=4000, batch_size=8)), owner="instructor")
    while blocker.state == "waiting":
        blocker.wait(0.05)
    jobs = [queue.submit(Training(scaled_data, ModelSpec(seed=s, epochs=3000)), owner=s) for s in range(3)]
    blocker.request_stop()
    while jobs[0].trained < 5:
        jobs[0].wait(0.05)
    jobs[0].request_stop()
    for job in jobs:
        wait_finished(job)
    assert jobs[0].state == "stopped" and jobs[0].trained < 3000
    assert [job.state for job in jobs[1:]] == ["done", "done"]
    assert jobs[1].result().network.fingerprint() == train(scaled_data, jobs[1].training.spec).network.fingerprint()


def test_one_training_per_learner_a_new_one_stops_the_one_before(scaled_data):
    queue = TrainingQueue(slots=1)
    first = queue.submit(Training(scaled_data, ModelSpec(epochs=3000)), owner="ada")
    while first.trained < 2:
        first.wait(0.05)
    second = queue.submit(Training(scaled_data, ModelSpec(epochs=5)), owner="ada")
    wait_finished(first)
    wait_finished(second)
    assert first.state == "stopped" and 2 <= first.result().epochs_done < 3000
    assert second.state == "done"


def test_a_stopped_waiting_job_never_trains(scaled_data):
    queue = TrainingQueue(slots=1)
    blocker = queue.submit(Training(scaled_data, ModelSpec(epochs=2000)), owner="a")
    while blocker.state == "waiting":
        blocker.wait(0.05)
    waiting = queue.submit(Training(scaled_data, ModelSpec(epochs=5)), owner="b")
    assert queue.place(waiting) == 1
    waiting.request_stop()
    blocker.request_stop()
    wait_finished(waiting)
    assert waiting.state == "stopped" and waiting.result() is None and waiting.trained == 0


def test_a_run_over_the_budget_is_refused_naming_what_to_lower(scaled_data):
    queue = TrainingQueue(slots=1)
    huge = ModelSpec(hidden=(HiddenLayer(256),) * 4, batch_size=1, epochs=5000)
    with pytest.raises(PenguinError, match="Lower the epochs .*raise the batch size.*fewer or smaller hidden layers"):
        queue.submit(Training(scaled_data, huge))


def test_a_paced_job_shows_its_epochs_over_time_and_a_stop_keeps_the_epoch_shown(scaled_data):
    queue = TrainingQueue(slots=1)
    job = queue.submit(Training(scaled_data, ModelSpec(epochs=100)), pace=0.02)  # 2 s in all
    while job.trained < 100:
        job.wait(0.05)
    shown = job.visible()
    assert 0 <= shown < 100 and not job.finished  # trained already, still being shown
    time.sleep(0.3)
    job.request_stop()
    kept = job.result()
    assert job.finished and 0 < kept.epochs_done < 100
    assert kept.history == train(scaled_data, ModelSpec(epochs=100)).history[:kept.epochs_done]
    again = Training(scaled_data, ModelSpec(epochs=100))
    for _ in range(kept.epochs_done):
        again.epoch()
    assert kept.network.fingerprint() == again.run().network.fingerprint()


def test_a_failing_training_is_reported_not_hung(scaled_data):
    queue = TrainingQueue(slots=1)

    class Broken(Training):
        def finish_epoch(self, *args):
            raise RuntimeError("engine bug")

    job = queue.submit(Broken(scaled_data, ModelSpec(epochs=5)))
    wait_finished(job, timeout=10)
    assert job.state == "failed" and job.result() is None


def held_epochs(monkeypatch, release: threading.Event):
    """Runs with a seed from 100 on (one guest's) train their epochs only once ``release`` is set."""
    epoch = Batch.epoch

    def held(batch):
        if any(t.spec.seed >= 100 for t in batch.runs):
            release.wait(60)
        return epoch(batch)

    monkeypatch.setattr(Batch, "epoch", held)


def test_one_client_with_many_labs_never_holds_every_slot(scaled_data, monkeypatch):
    """Issue 22: four tabs of one person each queued a long run, and a lesson run waited 68.9 s behind them.
    A client holds at most all slots but one, so another client's run starts at once."""
    release = threading.Event()
    held_epochs(monkeypatch, release)
    queue = TrainingQueue(slots=2)
    guest = [queue.submit(Training(scaled_data, ModelSpec(epochs=5, seed=100 + s, batch_size=16 + s)),
                          owner=f"tab {s}", client="10.0.0.66") for s in range(4)]
    learner = queue.submit(Training(scaled_data, ModelSpec(epochs=5)), owner="lab", client="10.0.0.7")
    try:
        wait_finished(learner, timeout=30)
        assert not release.is_set() and learner.state == "done"
        assert [job.state for job in guest].count("training") == 1  # the guest's other tabs wait their turn
    finally:
        release.set()
    for job in guest:
        wait_finished(job)
    assert all(job.state == "done" for job in guest)


def test_each_clients_first_job_goes_before_anyones_second(scaled_data, monkeypatch):
    release = threading.Event()
    held_epochs(monkeypatch, release)
    queue = TrainingQueue(slots=1)
    guest = [queue.submit(Training(scaled_data, ModelSpec(epochs=3, seed=100 + s, batch_size=16 + s)),
                          owner=f"tab {s}", client="10.0.0.66") for s in range(3)]
    try:
        deadline = time.monotonic() + 30
        while guest[0].state != "training":
            assert time.monotonic() < deadline
            time.sleep(0.01)
        learner = queue.submit(Training(scaled_data, ModelSpec(epochs=3, batch_size=8)), owner="lab",
                               client="10.0.0.7")
        assert [queue.place(job) for job in (learner, guest[1], guest[2])] == [1, 2, 3]
    finally:
        release.set()
    wait_finished(learner)


def test_a_batch_of_one_clients_clicks_takes_one_of_its_slots(scaled_data, monkeypatch):
    """A class behind one address clicking Train together trains in one batch: one slot, not one a click."""
    release = threading.Event()
    held_epochs(monkeypatch, release)
    queue = TrainingQueue(slots=3)
    class_clicks = [queue.submit(Training(scaled_data, ModelSpec(epochs=3, seed=100 + s)), owner=f"lab {s}",
                                 client="school") for s in range(3)]
    other = queue.submit(Training(scaled_data, ModelSpec(epochs=3, seed=110, batch_size=8)), owner="lab 9",
                         client="school")
    try:
        deadline = time.monotonic() + 30
        while not (other.state == "training" and all(job.state == "training" for job in class_clicks)):
            assert time.monotonic() < deadline, [job.state for job in [*class_clicks, other]]
            time.sleep(0.01)
    finally:
        release.set()
    for job in [*class_clicks, other]:
        wait_finished(job)
