from penguin_core.live import Throttle, train_live
from penguin_core.model import ModelSpec
from penguin_core.training import Training


class FakeClock:
    """Time that moves only when told: an epoch costs ``epoch`` seconds, a draw ``draw`` seconds."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def run_with_costs(data, epochs, epoch_cost, draw_cost, seconds=None):
    clock, frames = FakeClock(), []
    training = Training(data, ModelSpec(epochs=epochs))
    original_epoch = training.epoch

    def slow_epoch():
        clock.now += epoch_cost
        return original_epoch()

    def draw(t):
        clock.now += draw_cost
        frames.append(len(t.history))

    def sleep(s):
        clock.now += s

    training.epoch = slow_epoch
    throttle = train_live(training, draw, seconds=seconds, clock=clock, cpu_clock=clock, sleep=sleep)
    return throttle, frames, clock.now


def test_drawing_costs_at_most_a_fifth_of_training_time(scaled_data):
    throttle, frames, _ = run_with_costs(scaled_data, epochs=2000, epoch_cost=0.001, draw_cost=0.03)
    assert throttle.drawing_seconds <= 0.2 * throttle.training_seconds
    assert len(frames) >= 5  # a long run is still watched: several frames while training
    assert frames[-1] == 2000 and frames == sorted(frames)


def test_a_short_run_is_drawn_once_at_the_end(scaled_data):
    _, frames, _ = run_with_costs(scaled_data, epochs=100, epoch_cost=0.001, draw_cost=0.03)
    assert frames == [100]


def test_slow_motion_spreads_the_run_and_draws_inside_the_pauses(scaled_data):
    throttle, frames, elapsed = run_with_costs(scaled_data, epochs=100, epoch_cost=0.001, draw_cost=0.02, seconds=5)
    assert 4.9 < elapsed < 5.2  # draws fit into the pauses: the run takes what was asked, not more
    assert len(frames) >= 10


def test_throttle_waits_for_the_minimum_interval():
    throttle = Throttle(budget=1.0, min_interval=0.25)
    throttle.trained(1.0)
    assert throttle.should_draw(now=10.0)
    throttle.drew(0.01, now=10.0)
    throttle.trained(0.1)
    assert not throttle.should_draw(now=10.1)
    assert throttle.should_draw(now=10.3)


def test_a_busy_server_does_not_buy_more_frames():
    """Thirty learners at once: each epoch takes ten times longer on the clock but not in CPU time."""
    throttle = Throttle(budget=0.2, min_interval=0.25)
    for epoch in range(1000):
        throttle.trained(0.001)  # CPU time of an epoch
        now = epoch * 0.01  # wall clock: 10 ms an epoch on a crowded server
        if throttle.should_draw(now):
            throttle.drew(0.03, now)
    assert throttle.drawing_seconds <= 0.2 * throttle.training_seconds


def test_an_interrupted_run_keeps_every_finished_epoch(scaled_data):
    """Stop, a second click or leaving the page raise inside draw(): training ends there, nothing is lost."""
    training = Training(scaled_data, ModelSpec(epochs=3000))

    def draw(t):
        if len(t.history) > 5:
            raise KeyboardInterrupt("the page was left")

    try:
        train_live(training, draw, min_interval=0.0, budget=10.0)
    except KeyboardInterrupt:
        pass
    run = training.run()
    assert 5 < run.epochs_done < 3000 and run.stopped_early and run.test_metrics["accuracy"] > 0


def test_a_stop_requested_from_elsewhere_ends_the_run_without_a_last_frame(scaled_data):
    training, frames = Training(scaled_data, ModelSpec(epochs=3000)), []

    def draw(t):
        frames.append(len(t.history))
        if len(t.history) > 5:
            t.request_stop()  # as LabState.finish_training does from the next script run

    train_live(training, draw, min_interval=0.0, budget=10.0)
    assert training.history and len(training.history) == frames[-1] < 3000
