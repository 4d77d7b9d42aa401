"""A neuron: the lesson's exercise, step by step, then which activation is which, then XOR."""

import random

import pandas as pd
import streamlit as st

from pages.ui.display import chart
from pages.ui.exercises import exercise
from penguin_core.engine.activations import ACTIVATIONS
from penguin_core.errors import PenguinError
from penguin_core.exercises import NEURON_OUTPUT, check_activation_guess
from penguin_core.figures import activation_curve, activations_and_derivatives
from penguin_core.neuron import LESSON_EXAMPLE, WARM_UP_EXAMPLE, neuron, parse_numbers, xor_table
from penguin_core.lab import the_lab
from penguin_core.text import MAX_TYPED, markdown_literal

lab = the_lab(st.session_state)
st.title("One neuron")
st.markdown("A neuron multiplies each input by a weight, adds them up with a bias, "
            "and sends the sum through an **activation function**: `output = f(x·w + b)`.")



def load(example: dict) -> None:
    """Put a neuron's values into the calculator."""
    st.session_state.update({
        "neuron_inputs": ", ".join(f"{v:g}" for v in example["inputs"]),
        "neuron_weights": ", ".join(f"{v:g}" for v in example["weights"]),
        "neuron_bias": f"{example['bias']:g}", "neuron_activation": example["activation"],
    })


st.header("Exercise: calculate the output")
st.markdown("The lesson's neuron has inputs X = (0, 0.5, 1), weights W = (-1, -0.5, 0.5), bias b = 1 and "
            "the relu activation. **What is its output?** Work it out by hand, then check it in the calculator.")
exercise(lab, NEURON_OUTPUT, "Your answer")

st.header("The calculator")
if "neuron_inputs" not in st.session_state:
    load(WARM_UP_EXAMPLE)
st.button("Show me: put the lesson's neuron in the calculator", on_click=load, args=(LESSON_EXAMPLE,),
          key="neuron_show_me")
left, right = st.columns(2)
with left:
    inputs_text = st.text_input("Inputs X (comma-separated)", key="neuron_inputs", max_chars=MAX_TYPED)
    weights_text = st.text_input("Weights W (one per input)", key="neuron_weights", max_chars=MAX_TYPED)
    bias_text = st.text_input("Bias b", key="neuron_bias", max_chars=MAX_TYPED)
    activation = st.selectbox("Activation function f", ACTIVATIONS, key="neuron_activation")
    try:
        x, w = parse_numbers(inputs_text, "Inputs"), parse_numbers(weights_text, "Weights")
        biases = parse_numbers(bias_text, "Bias")
        if len(biases) != 1:
            raise PenguinError(f"Bias: type one number, not {len(biases)}.")
        bias = biases[0]
        steps = neuron(x, w, bias, activation)
    except PenguinError as error:
        st.error(markdown_literal(str(error)))
        steps = None
with right:
    if steps is not None:
        st.markdown("**Step by step**")
        st.dataframe(pd.DataFrame({"x": x, "w": w, "x × w": steps.products}), hide_index=True)
        terms = [f"{p + 0.0:g}" if p >= 0 else f"({p:g})" for p in (*steps.products, bias)]
        st.markdown(f"Weighted sum: `{' + '.join(terms)} = {steps.weighted_sum:g}`")
        st.metric(f"Output: {activation}({steps.weighted_sum:g})", f"{steps.output:g}")
if steps is not None:
    figure = activation_curve(activation)
    figure.add_scatter(x=[steps.weighted_sum], y=[steps.output], mode="markers", marker=dict(size=14),
                       name="this neuron")
    chart(figure, lab.state.projector)

st.header("Exercise: which activation is this?")
if "neuron_quiz_curve" not in st.session_state:
    st.session_state.neuron_quiz_curve = random.Random().choice([a for a in ACTIVATIONS if a != "linear"])
shown = st.session_state.neuron_quiz_curve
quiz_plot, quiz_answer = st.columns([3, 2])
with quiz_plot:
    chart(activation_curve(shown).update_layout(title="mystery(x)"), lab.state.projector, key="neuron_quiz_chart")
with quiz_answer:
    guess = st.radio("It is…", ACTIVATIONS, index=None, key="neuron_quiz_guess")
    feedback = check_activation_guess(shown, guess)
    if feedback:
        lab.answered("activation", guess, feedback.correct)  # to the class, when in one
        (st.success if feedback.correct else st.warning)(feedback.message)
    if st.button("Another curve", key="neuron_quiz_another"):
        st.session_state.neuron_quiz_curve = random.Random().choice([a for a in ACTIVATIONS if a != shown])
        st.session_state.neuron_quiz_guess = None
        st.rerun()
st.markdown("**All seven, each with its slope** (the derivative backpropagation multiplies by: where it is 0, "
            "a unit stops learning)")
if guess:
    chart(activations_and_derivatives(), lab.state.projector, key="neuron_slopes")
else:
    st.caption("Make a guess first: then every activation appears here beside its derivative.")

st.header("Optional: two layers make XOR")
st.markdown("h1 = relu(x1 + x2), h2 = relu(x1 + x2 − 1), y = relu(h1 − 2·h2). "
            "One neuron cannot compute *exclusive or*; two layers can:")
st.dataframe(pd.DataFrame(xor_table()), hide_index=True)
