"""Step 3: choose the features, one-hot the target, split train and test, optionally standardize."""

import pandas as pd
import streamlit as st

from pages import inside_the_app
from penguin_core.data import CATEGORICAL, FEATURES, feature_label
from penguin_core.errors import PenguinError
from penguin_core.exercises import OUTPUT_NEURONS
from penguin_core.preparation import DataSpec
from penguin_core.session import forget_widgets, init_widgets, lab_state, prepared

inside_the_app()

state = lab_state(st.session_state)
spec = state.data_spec


def reset_to_lesson():
    state.data_spec = DataSpec()
    forget_widgets(st.session_state, "prep_")


st.title("Prepare the data")
st.markdown("The lesson drops `island` and `sex`, removes rows with missing values (`dropna()`), "
            "turns the species into one-hot columns and keeps 20% of the penguins aside for testing.")

init_widgets(st.session_state, {
    "prep_features": list(spec.features), "prep_categorical": list(spec.categorical),
    "prep_test_size": spec.test_size, "prep_random_state": spec.random_state, "prep_shuffle": spec.shuffle,
    "prep_stratify": spec.stratify, "prep_validation_size": spec.validation_size,
    "prep_standardize": spec.standardize,
})
choose, split = st.columns(2)
with choose:
    st.subheader("Inputs")
    features = st.multiselect("Measurements fed to the network", list(FEATURES), format_func=feature_label,
                              key="prep_features")
    categorical = st.multiselect("Add back (one-hot encoded) — not in the lesson", list(CATEGORICAL),
                                 key="prep_categorical")
    standardize = st.toggle("Standardize (mean 0, std 1, fitted on the training set)", key="prep_standardize",
                            help="Off in the lesson. Try training with and without it and compare the runs.")
with split:
    st.subheader("Split")
    test_size = st.number_input("Test fraction", step=0.05, format="%.2f", key="prep_test_size")
    validation_size = st.number_input("Validation fraction (of the training part; 0 = none)", step=0.05,
                                      format="%.2f", key="prep_validation_size")
    random_state = st.number_input("random_state", step=1, key="prep_random_state")
    shuffle = st.checkbox("shuffle", key="prep_shuffle")
    stratify = st.checkbox("stratify (same species shares in train and test)", key="prep_stratify")
st.button("Reset to the lesson", on_click=reset_to_lesson)

try:
    candidate = DataSpec(features=tuple(features), categorical=tuple(categorical), test_size=float(test_size),
                         random_state=int(random_state), shuffle=shuffle, stratify=stratify,
                         validation_size=float(validation_size), standardize=standardize)
    data = prepared(candidate)
    state.data_spec = candidate
except PenguinError as error:
    st.error(f"{error} The data keeps its last valid preparation.")
    data = state.data()

st.subheader("The result")
code = (f"train_test_split(features, target, test_size={data.spec.test_size:g}, "
        f"random_state={data.spec.random_state}, shuffle={data.spec.shuffle}, "
        f"stratify={'target' if data.spec.stratify else 'None'})")
st.code(code, language="python")
parts = {"X_train": data.X_train, "X_val": data.X_val, "X_test": data.X_test}
shapes = st.columns(3)
for column, (name, X) in zip(shapes, parts.items()):
    column.metric(f"{name}.shape", "—" if X is None else f"{X.shape}")
st.markdown("**Penguins per species** (the lesson's `y_train.sum()`)")
st.dataframe(data.class_counts())
if data.scaling is not None:
    st.markdown("**Standardization fitted on the training set** (kept inside the model, so it takes raw "
                "measurements):")
    st.dataframe(pd.DataFrame({"mean": data.scaling.mean, "std": data.scaling.variance ** 0.5},
                              index=[feature_label(f) for f in data.features]))

st.subheader("The target, one-hot encoded")
st.caption("`y_train.tail()`: one column per species, a 1 where the penguin belongs.")
st.dataframe(data.y_train.tail().astype(int))
st.markdown(f"**Exercise:** {OUTPUT_NEURONS.question}")
feedback = state.check(OUTPUT_NEURONS, st.text_input("Number of output neurons", key="exercise_outputs"))
if feedback:
    (st.success if feedback.correct else st.error)(feedback.message)
