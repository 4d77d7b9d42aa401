import re

import pytest

from penguin_core.server.budget import MAX_SECONDS, check_budget, training_cost
from penguin_core.errors import PenguinError
from penguin_core.model import HiddenLayer, ModelSpec


def test_the_lessons_run_costs_a_fraction_of_a_second():
    cost = training_cost(ModelSpec(), 273, 4)
    assert cost.steps == 900 and cost.parameters == 83 and cost.seconds < 1


def test_cost_grows_with_steps_and_parameters():
    base = training_cost(ModelSpec(), 273, 4).seconds
    assert training_cost(ModelSpec(epochs=200), 273, 4).seconds == pytest.approx(2 * base)
    assert training_cost(ModelSpec(batch_size=1), 273, 4).seconds > 10 * base
    assert training_cost(ModelSpec(hidden=(HiddenLayer(256),) * 2), 273, 4).seconds > 5 * base


def test_the_worst_settings_the_controls_allow_are_refused_with_the_figures():
    """4 x 256 units, batch 1, 5000 epochs: about 49 minutes of a core, measured."""
    worst = ModelSpec(hidden=(HiddenLayer(256),) * 4, batch_size=1, epochs=5000)
    with pytest.raises(PenguinError, match=r"1,365,000 gradient steps × 199,427 parameters .* about \d+ minutes"):
        check_budget(worst, 273, 4)


def test_the_suggested_epochs_fit_the_budget():
    spec = ModelSpec(batch_size=1, epochs=5000)
    with pytest.raises(PenguinError, match=r"at most about ([\d,]+)") as raised:
        check_budget(spec, 273, 4)
    suggested = int(re.search(r"at most about ([\d,]+)", str(raised.value)).group(1).replace(",", ""))
    assert training_cost(spec.replace(epochs=suggested), 273, 4).seconds <= MAX_SECONDS
