import pytest

from penguin_core.errors import PenguinError
from penguin_core.neuron import LESSON_EXAMPLE, neuron, parse_numbers, xor_table


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


def test_the_calculator_refuses_a_flood_of_numbers_before_parsing_it():
    """Issue 22: 4 million numbers took 6.2 s and 1.15 GB; the length is checked before anything is split."""
    from penguin_core.neuron import MAX_INPUTS

    with pytest.raises(PenguinError, match="at most 500 characters"):  # said by the check before the split
        parse_numbers("1," * 4_000_000, "Inputs")
    with pytest.raises(PenguinError, match=f"at most {MAX_INPUTS} values, got 21"):
        parse_numbers(",".join(["1"] * 21), "Weights")
    assert parse_numbers(",".join(["1"] * MAX_INPUTS), "Inputs") == (1.0,) * MAX_INPUTS
