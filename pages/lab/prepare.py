"""Step 3: choose the features, one-hot the target, split train and test, optionally standardize."""

import pandas as pd
import streamlit as st

from pages.ui.controls import control
from pages.ui.exercises import exercise
from penguin_core.data import feature_label
from penguin_core.exercises import OUTPUT_NEURONS
from penguin_core.lab import the_lab

lab = the_lab(st.session_state)

st.title("Prepare the data")
st.markdown("The lesson drops `island` and `sex`, removes rows with missing values (`dropna()`), "
            "turns the species into one-hot columns and keeps 20% of the penguins aside for testing.")
choose, split = st.columns(2)
with choose:
    st.header("Inputs")
    for field in ("features", "categorical", "standardize"):
        control(lab, field, "prep_")
with split:
    st.header("Split")
    for field in ("test_size", "validation_size", "random_state", "shuffle", "stratify"):
        control(lab, field, "prep_")
st.button("Reset to the lesson", on_click=lab.reset, args=("data",), key="prep_reset")
data = lab.data()

st.header("The result")
filtered = data.frame
st.markdown(f"After dropping the unused columns and `dropna()`, `penguins_filtered.shape` is "
            f"**{filtered.shape}**: {len(filtered)} penguins, {filtered.shape[1] - 1} input column"
            f"{'s' if filtered.shape[1] != 2 else ''} and the species.")
code = (f"train_test_split(features, target, test_size={data.spec.test_size:g}, "
        f"random_state={data.spec.random_state}, shuffle={data.spec.shuffle}, "
        f"stratify={'target' if data.spec.stratify else 'None'})")
st.code(code, language="python")
parts = {"penguins_filtered": filtered, "X_train": data.X_train, "X_val": data.X_val, "X_test": data.X_test}
shapes = st.columns(4)
for column, (name, X) in zip(shapes, parts.items()):
    column.metric(f"{name}.shape", "—" if X is None else f"{X.shape}")
st.markdown("**Penguins per species** (the lesson's `y_train.sum()`)")
st.dataframe(data.class_counts())
if data.scaling is not None:
    st.markdown("**Standardization fitted on the training set** (kept inside the model, so it takes raw "
                "measurements):")
    st.dataframe(pd.DataFrame({"mean": data.scaling.mean, "std": data.scaling.variance ** 0.5},
                              index=[feature_label(f) for f in data.features]))

st.header("The target, one-hot encoded")
st.markdown("`y_train.tail()`: one column per species, a 1 where the penguin belongs.")
st.dataframe(data.y_train.tail().astype(int))
st.markdown(f"**Exercise:** {OUTPUT_NEURONS.question}")
exercise(lab, OUTPUT_NEURONS, "Number of output neurons")
