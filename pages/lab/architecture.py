"""Steps 4–5: choose the layers, the loss and the optimizer; count the parameters, then see the summary."""

import streamlit as st

from pages.ui.controls import control
from pages.ui.display import chart
from pages.ui.exercises import exercise
from penguin_core.errors import PenguinError
from penguin_core.exercises import LESSON_PARAMETERS, ONE_MORE_UNIT
from penguin_core.figures import network_diagram
from penguin_core.keras_worker import summary_text
from penguin_core.lab import the_lab
from penguin_core.server import MAX_SECONDS, training_cost
from penguin_core.text import markdown_literal

lab = the_lab(st.session_state)
data = lab.data()


def show_the_count():
    lab.peek(LESSON_PARAMETERS.id)


st.title("Choose an architecture, a loss and an optimizer")
st.markdown("The lesson builds `Input(4) → Dense(10, relu) → Dense(3, softmax)` and compiles it with "
            "categorical cross-entropy and Adam. Change anything; **Reset to the lesson** brings it back.")
layers_column, training_column = st.columns(2)
with layers_column:
    st.header("Hidden layers")
    control(lab, "hidden", "arch_")
    st.caption(f"Output layer: Dense({len(data.species)}, softmax) — one probability per species.")
with training_column:
    st.header("Loss, optimizer, training")
    for field in ("loss", "optimizer", "learning_rate", "momentum", "batch_size", "epochs", "seed"):
        control(lab, field, "arch_")
st.button("Reset to the lesson", on_click=lab.reset, args=("model",), key="arch_reset")

spec = lab.state.model_spec
n_inputs, n_outputs = len(data.features), len(data.species)
try:
    spec.check_batch_size(len(data.X_train))
except PenguinError as error:
    st.warning(markdown_literal(f"{error} Training would be refused until then."))
cost = training_cost(spec, len(data.X_train), n_inputs, n_outputs)
if cost.seconds > MAX_SECONDS:
    st.warning(f"This training would take about {cost.seconds:.0f} s of the shared server ({cost.describe()}); "
               f"one run may take about {MAX_SECONDS:.0f} s, so it would be refused. Lower the epochs, raise the "
               "batch size, or use fewer or smaller hidden layers.")

st.header("Exercise: count the parameters")
st.markdown("Before looking at Keras' count below: how many weights and biases does each network have?")
for question in (LESSON_PARAMETERS, ONE_MORE_UNIT):
    exercise(lab, question)
revealed = lab.revealed(LESSON_PARAMETERS.id)  # a wrong answer keeps it hidden: the class board counts answers

st.header("Your network")
count, diagram = st.columns([1, 3])
if revealed:
    count.metric("Trainable parameters", spec.count_params(n_inputs, n_outputs))
    count.caption("Each neuron has one weight per input and one bias.")
else:
    count.metric("Trainable parameters", "?")
    count.caption("Answer the exercise above right first, or (the class board will know you looked):")
    count.button("Show the count and the summary", on_click=show_the_count, key="arch_show_count")
with diagram:
    chart(network_diagram(spec.layer_sizes(n_inputs, n_outputs), list(data.features), list(data.species),
                          [h.activation for h in spec.hidden]), lab.state.projector)
if revealed:
    try:
        with st.spinner("Loading Keras for model.summary()…"):
            st.code(summary_text(spec, n_inputs, n_outputs, data.scaling is not None), language=None)
    except PenguinError as error:
        st.warning(markdown_literal(f"Keras' model.summary() is not available right now. {error}"))
