"""The lesson's exercises: the question, the expected answer, and feedback on what a learner typed."""

from __future__ import annotations

import math
from dataclasses import dataclass

from penguin_core.engine.activations import ACTIVATIONS
from penguin_core.model import ModelSpec
from penguin_core.neuron import LESSON_EXAMPLE, neuron


@dataclass(frozen=True)
class Feedback:
    correct: bool
    message: str


@dataclass(frozen=True)
class NumberExercise:
    id: str
    question: str
    answer: float
    hint: str
    explanation: str

    def check(self, typed: str) -> Feedback | None:
        """None while nothing is typed; otherwise whether it is right, with a hint or the why."""
        typed = (typed or "").strip()
        if not typed:
            return None
        try:
            value = float(typed.replace(",", "."))
        except ValueError:
            return Feedback(False, f"{typed!r} is not a number: type a number such as 1.5 or 83.")
        if not math.isfinite(value):
            return Feedback(False, "Type a finite number.")
        if math.isclose(value, self.answer, rel_tol=1e-6, abs_tol=1e-9):
            return Feedback(True, f"Correct! {self.explanation}")
        return Feedback(False, f"Not quite. {self.hint}")


NEURON_OUTPUT = NumberExercise(
    "neuron", "What is the output of the neuron?", neuron(**LESSON_EXAMPLE).output,
    "Multiply each input by its weight, add them up with the bias, then apply relu: max(x, 0).",
    "0×(-1) + 0.5×(-0.5) + 1×0.5 + 1 = 1.25, and relu(1.25) = 1.25.",
)
OUTPUT_NEURONS = NumberExercise(
    "outputs", "How many neurons does the output layer need for the one-hot species target?", 3,
    "Look at the one-hot target: how many columns does pd.get_dummies make?",
    "One neuron per species column of the one-hot target: Adelie, Chinstrap, Gentoo.",
)
LESSON_PARAMETERS = NumberExercise(
    "parameters", "How many trainable parameters does the lesson's network have (4 inputs, 10 hidden, 3 outputs)?",
    ModelSpec().count_params(4),
    "Each neuron has one weight per input plus one bias: count (4+1)×10 for the hidden layer, then the output layer.",
    "(4+1)×10 = 50 in the hidden layer plus (10+1)×3 = 33 in the output layer: 83.",
)
ONE_MORE_UNIT = NumberExercise(
    "parameters_11", "And with 11 hidden neurons instead of 10?", ModelSpec().count_params(4) + 8,
    "A new hidden neuron brings 4 weights and 1 bias in, and 1 weight out to each of the 3 outputs.",
    "4 weights + 1 bias in, 3 weights out: each extra hidden neuron adds 8, so 91.",
)


def check_activation_guess(shown: str, guess: str | None) -> Feedback | None:
    """Feedback for 'which activation function is this curve?'."""
    if not guess:
        return None
    if guess not in ACTIVATIONS:
        return Feedback(False, f"Choose one of {', '.join(ACTIVATIONS)}.")
    if guess == shown:
        return Feedback(True, f"Correct, that is {shown}.")
    return Feedback(False, f"Not {guess}. Look at what it does for negative inputs and whether it flattens out.")


CHECKS = {exercise.id: exercise for exercise in (NEURON_OUTPUT, OUTPUT_NEURONS, LESSON_PARAMETERS, ONE_MORE_UNIT)}
"""The number exercises by id: an answer kept in a lab can be checked again (when a learner joins a class)."""
