import pytest

from penguin_core.errors import PenguinError
from penguin_core.neuron import LESSON_EXAMPLE, neuron, xor_table


def test_lesson_example_gives_one_and_a_quarter():
    steps = neuron(**LESSON_EXAMPLE)
    assert steps.products == (0.0, -0.25, 0.5)
    assert steps.weighted_sum == 1.25 and steps.output == 1.25


def test_activation_is_applied_to_the_weighted_sum():
    assert neuron((1, 1), (-1, -1), 0, "relu").output == 0
    assert neuron((1, 1), (-1, -1), 0, "linear").output == -2
    assert neuron((0,), (1,), 0, "sigmoid").output == 0.5


def test_two_layer_exercise_is_xor():
    assert [row["y"] for row in xor_table()] == [0, 1, 1, 0]


@pytest.mark.parametrize("args, message", [
    (((1, 2), (1,), 0), "one weight per input"),
    (((1,), (float("nan"),), 0), "finite"),
    (((1,), (1,), 0, "step"), "Unknown activation 'step'"),
])
def test_bad_neurons_are_explained(args, message):
    with pytest.raises(PenguinError, match=message):
        neuron(*args)
