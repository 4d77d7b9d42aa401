import threading

from penguin_core.model import ModelSpec
from penguin_core.session import LabState, lab_state
from penguin_core.training import Training


def started(state, epochs=50, done=6):
    training = Training(state.data(), ModelSpec(epochs=epochs))
    name = state.begin_training(training)
    for _ in range(done):
        training.epoch()
    return training, name


def test_a_training_left_behind_is_kept_once_as_a_stopped_run():
    state = LabState()
    training, name = started(state)
    results = []
    threads = [threading.Thread(target=lambda: results.append(state.finish_training())) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    kept = [r for r in results if r is not None]
    assert len(kept) == 1 and state.history == kept and state.run is kept[0]
    assert kept[0].name == name == "run 1" and kept[0].epochs_done == 6 and kept[0].stopped_early
    assert training.stop_requested


def test_every_page_access_finishes_a_dangling_training():
    session_state = {}
    state = lab_state(session_state)
    started(state, done=3)
    assert lab_state(session_state).run.epochs_done == 3 and state.active is None


def test_a_training_with_no_finished_epoch_leaves_the_current_model_alone():
    state = LabState()
    started(state, done=4)
    state.finish_training()
    earlier = state.run
    started(state, done=0)
    assert state.finish_training() is None and state.run is earlier and len(state.history) == 1


def test_progress_follows_the_pages_opened_and_the_model():
    state = LabState()
    assert not any(state.steps_done().values())
    state.visited |= {"explore", "prepare", "architecture"}
    started(state, done=1)
    state.finish_training()
    assert all(state.steps_done().values())
