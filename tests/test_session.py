"""A learner's Lab and the server's queue: a training, a sweep or a Playground run goes on whatever page is
open, and is kept once, the same way whichever page started it."""

import threading
import time

from penguin_core.lab import Lab, LabState, open_lab


def wait_until(condition, timeout=30):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.02)


def test_a_finished_training_is_kept_once_whoever_looks():
    """The queue keeps it when it ends; pages looking at the same moment never keep it twice."""
    lab = Lab()
    state = lab.state
    lab.change("epochs", 10)
    job = lab.train()
    results = []
    threads = [threading.Thread(target=lambda: results.append(lab.collect())) for _ in range(4)]
    wait_until(lambda: job.finished)
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wait_until(lambda: state.run is not None)
    assert len(state.history) == 1 and state.history[0].name == "run 1" and lab.active is None
    assert len([r for r in results if r is not None]) <= 1


class Store:
    """Records what is saved."""

    def __init__(self):
        self.saved = []

    def save(self, state, client=""):
        self.saved.append([r.name for r in state.history])


def test_an_ended_training_is_saved_though_no_page_watches():
    store = Store()
    lab = Lab(store=store)
    lab.change("epochs", 10)
    lab.train()
    wait_until(lambda: store.saved)
    assert store.saved == [["run 1"]]


def test_a_sweep_and_a_playground_run_are_kept_like_a_training_whatever_page_watches():
    store = Store()
    lab = Lab(store=store)
    lab.change("epochs", 5)
    sweeping = lab.sweep([("standardize", [False, True])], 2)
    wait_until(lambda: store.saved)  # no page asked: the queue's end of the job kept them
    assert sweeping.kept == 4 and len(lab.state.history) == 4 and lab.state.run is None
    lab.playground.sync()
    lab.playground.train(wait=10)
    lab.playground.played_out()  # the browser played it to its last epoch
    assert lab.state.run.name == "run 1 (playground)" and lab.state.history[-1] is lab.state.run
    assert store.saved[-1] == [r.name for r in lab.state.history]


def test_a_reload_or_another_tab_finds_the_training_going_on_and_keeps_its_run():
    """F5 during a slow-motion training: the new tab shares the lab, watches the same job, and the run it
    ends with becomes the current model (the tab that started it is gone)."""
    first = open_lab({}, {}, None)
    first.change("epochs", 40)
    job = first.train(pace=0.02)
    wait_until(lambda: job.visible() > 3)
    again = open_lab({}, {"lab": first.state.key}, None)
    assert again.state is first.state and again.training() == (job, "run 1")
    del first
    wait_until(lambda: job.finished)
    again.collect()
    assert again.state.run.name == "run 1" and again.state.run.epochs_done == 40 and again.active is None


def test_every_script_run_collects_a_training_that_has_ended():
    session_state = {}
    lab = open_lab(session_state, {}, None)
    lab.change("epochs", 5)
    job = lab.train()
    wait_until(lambda: job.finished)
    assert open_lab(session_state, {}, None).state.run.epochs_done == 5 and lab.active is None


def test_a_training_goes_on_while_other_pages_are_opened():
    session_state = {}
    lab = open_lab(session_state, {}, None)
    lab.change("epochs", 2000)
    job = lab.train()
    wait_until(lambda: job.trained > 0)
    open_lab(session_state, {}, None)  # another page
    assert lab.active is not None and not job.finished
    stopped = lab.stop_training()
    assert stopped.stopped_early and lab.state.run is stopped and lab.active is None


def test_train_again_stops_and_keeps_the_run_before():
    lab = Lab()
    state = lab.state
    lab.change("epochs", 2000)
    first = lab.train()
    wait_until(lambda: first.trained > 3)
    lab.change("epochs", 5)
    second = lab.train()
    wait_until(lambda: second.finished)
    lab.collect()
    assert [r.name for r in state.history] == ["run 1", "run 2"]
    assert state.history[0].stopped_early and state.history[1].epochs_done == 5


def test_progress_follows_the_pages_opened_and_the_model():
    lab = Lab(LabState())
    assert not any(lab.steps_done().values())
    for url in ("explore", "prepare", "architecture"):
        lab.visit(url)
    lab.change("epochs", 2)
    job = lab.train()
    wait_until(lambda: job.finished)
    lab.collect()
    assert all(lab.steps_done().values())


def test_two_tabs_of_one_lab_share_its_record_so_runs_and_answers_never_clash(tmp_path):
    """Issue 22 saw two tabs of one lab both name a run "run 1", the last to save winning the answers: the
    tabs of a lab in one server process share one record (and deploy/'s affinity keeps a browser on one)."""
    from penguin_core.database import Database
    from penguin_core.lab import LabStore

    store = LabStore(Database.open(f"sqlite:///{tmp_path / 'lab.sqlite3'}"))
    first = open_lab({}, {}, store)
    first.state.answers["neuron"] = "1.25"
    first.save()
    second = open_lab({}, {"lab": first.state.key}, store)
    assert second.state is first.state
    for tab in (first, second):
        tab.change("epochs", 3)
        tab.train()
        wait_until(lambda: tab.collect() is not None or tab.active is None)
    second.state.answers["outputs"] = "3"
    first.save()
    kept = store.load(first.state.key)
    assert [run.name for run in kept.history] == ["run 1", "run 2"]
    assert kept.answers == {"neuron": "1.25", "outputs": "3"}


def test_an_answer_is_read_no_further_than_its_bound():
    from penguin_core.exercises import NEURON_OUTPUT
    from penguin_core.lab import MAX_ANSWER

    lab = Lab()
    feedback = lab.answer(NEURON_OUTPUT, "1.25" + " " * 10 + "x" * 4_000_000)  # a script's millions of letters
    assert len(lab.state.answers[NEURON_OUTPUT.id]) == MAX_ANSWER and feedback is not None
