"""Steps 4–5: choose the layers, the loss and the optimizer; see the summary, the count and the diagram."""

import streamlit as st

from pages import inside_the_app
from penguin_core.engine.activations import ACTIVATIONS
from penguin_core.errors import PenguinError
from penguin_core.exercises import LESSON_PARAMETERS, ONE_MORE_UNIT
from penguin_core.figures import network_diagram
from penguin_core.keras_worker import summary_text
from penguin_core.model import DEFAULT_LEARNING_RATES, MAX_HIDDEN_LAYERS, OPTIMIZERS, HiddenLayer, ModelSpec
from penguin_core.session import forget_widgets, init_widgets, lab_state
from penguin_core.text import markdown_literal

inside_the_app()

state = lab_state(st.session_state)
spec, data = state.model_spec, state.data()


def reset_to_lesson():
    state.model_spec = ModelSpec()
    forget_widgets(st.session_state, "arch_")


def optimizer_changed():
    st.session_state.arch_learning_rate = DEFAULT_LEARNING_RATES[st.session_state.arch_optimizer]


st.title("Choose an architecture, a loss and an optimizer")
st.markdown("The lesson builds `Input(4) → Dense(10, relu) → Dense(3, softmax)` and compiles it with "
            "categorical cross-entropy and Adam. Change anything; **Reset to the lesson** brings it back.")
init_widgets(st.session_state, {
    "arch_layers": len(spec.hidden), "arch_optimizer": spec.optimizer, "arch_learning_rate": spec.learning_rate,
    "arch_batch_size": spec.batch_size, "arch_epochs": spec.epochs, "arch_seed": spec.seed,
    **{f"arch_units_{i}": layer.units for i, layer in enumerate(spec.hidden)},
    **{f"arch_activation_{i}": layer.activation for i, layer in enumerate(spec.hidden)},
})
layers_column, training_column = st.columns(2)
with layers_column:
    st.subheader("Hidden layers")
    n_layers = st.number_input(f"Number of hidden layers (0–{MAX_HIDDEN_LAYERS})", min_value=0,
                               max_value=MAX_HIDDEN_LAYERS, step=1, key="arch_layers")
    hidden_choices = []
    for i in range(int(n_layers)):
        init_widgets(st.session_state, {f"arch_units_{i}": 10, f"arch_activation_{i}": "relu"})
        units_column, activation_column = st.columns(2)
        units = units_column.number_input(f"Layer {i + 1}: neurons (1–256)", step=1, key=f"arch_units_{i}")
        activation = activation_column.selectbox(f"Layer {i + 1}: activation", ACTIVATIONS,
                                                 key=f"arch_activation_{i}")
        hidden_choices.append((units, activation))
    st.caption(f"Output layer: Dense({len(data.species)}, softmax) — one probability per species.")
with training_column:
    st.subheader("Loss, optimizer, training")
    st.selectbox("Loss", ["categorical_crossentropy"], help="The loss for a one-hot target with softmax outputs.")
    optimizer = st.selectbox("Optimizer", OPTIMIZERS, key="arch_optimizer", on_change=optimizer_changed)
    learning_rate = st.number_input("Learning rate", format="%.4f", step=0.0005, key="arch_learning_rate")
    batch_size = st.number_input("Batch size", step=1, key="arch_batch_size")
    epochs = st.number_input("Epochs", step=10, key="arch_epochs")
    seed = st.number_input("Seed (initial weights and shuffling)", step=1, key="arch_seed")
st.button("Reset to the lesson", on_click=reset_to_lesson)

try:
    candidate = ModelSpec(hidden=tuple(HiddenLayer(int(u), a) for u, a in hidden_choices), optimizer=optimizer,
                          learning_rate=float(learning_rate), batch_size=int(batch_size), epochs=int(epochs),
                          seed=int(seed))
    candidate.check_batch_size(len(data.X_train))
    state.model_spec = candidate
except PenguinError as error:
    st.error(markdown_literal(f"{error} The model keeps its last valid settings."))
spec = state.model_spec

n_inputs, n_outputs = len(data.features), len(data.species)
st.subheader("Your network")
count, diagram = st.columns([1, 3])
count.metric("Trainable parameters", spec.count_params(n_inputs, n_outputs))
count.caption("Each neuron has one weight per input and one bias.")
diagram.plotly_chart(network_diagram(spec.layer_sizes(n_inputs, n_outputs), list(data.features),
                                     list(data.species), [h.activation for h in spec.hidden]))
try:
    with st.spinner("Loading Keras for model.summary()…"):
        st.code(summary_text(spec, n_inputs, n_outputs, data.scaling is not None), language=None)
except PenguinError as error:
    st.warning(markdown_literal(f"Keras' model.summary() is not available right now. {error}"))

st.subheader("Exercise: count the parameters")
for exercise in (LESSON_PARAMETERS, ONE_MORE_UNIT):
    feedback = state.check(exercise, st.text_input(exercise.question, key=f"exercise_{exercise.id}"))
    if feedback:
        (st.success if feedback.correct else st.error)(feedback.message)
