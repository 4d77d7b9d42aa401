"""Step 7: predict one penguin's species, with the model just trained or one uploaded."""

import streamlit as st

from penguin_core.data import FEATURES, feature_label
from penguin_core.errors import PenguinError
from penguin_core.figures import penguin_on_scatter, probability_bars
from penguin_core.prediction import measurement_ranges, one_hot_groups, predict_one
from penguin_core.session import init_widgets, lab_state, prepared
from penguin_core.keras_worker import load_model_bytes

state = lab_state(st.session_state)
st.title("Predict a penguin")

with st.expander("Use a model from a .keras file instead", expanded=state.run is None):
    upload = st.file_uploader("Upload a .keras model (saved by this app or by Keras)", type=["keras"],
                              key="predict_upload")
    if upload is not None and st.session_state.get("predict_loaded") != upload.file_id:
        try:
            with st.spinner("Checking the file and loading it with Keras (safe mode)…"):
                loaded = load_model_bytes(upload.getvalue())
            loaded.name = loaded.name or f"uploaded {upload.name}"
            state.run = loaded
            st.session_state.predict_loaded = upload.file_id
            st.success(f"Loaded {upload.name}: this model is now the current one.")
        except PenguinError as error:
            st.error(f"{upload.name} was not loaded. {error} Your current model is unchanged.")

run = state.run
if run is None:
    st.info("There is no model yet: train one on the Train page, or upload a .keras file above.")
    st.stop()
network = run.network
st.caption(f"Model: {run.name} · test accuracy "
           f"{run.test_metrics['accuracy']:.1%}" if "accuracy" in run.test_metrics else f"Model: {run.name}")

training_frame = prepared(run.data_spec).training_frame
ranges = measurement_ranges(training_frame)
numeric = [f for f in network.features if f in FEATURES]
init_widgets(st.session_state, {f"predict_{f}": ranges[f][2] for f in numeric})
init_widgets(st.session_state, {f"predict_text_{f}": f"{ranges[f][2]:g}" for f in numeric})

inputs, result = st.columns([2, 3])
with inputs:
    typed = st.toggle("Type exact values instead of sliders", key="predict_typed")
    measurements = {}
    for name in numeric:
        if typed:
            measurements[name] = st.text_input(feature_label(name), key=f"predict_text_{name}")
        else:
            low, high, _ = ranges[name]
            step = 25.0 if FEATURES[name][1] == "g" else 0.1
            measurements[name] = st.slider(feature_label(name), low, high, step=step, key=f"predict_{name}",
                                           format="%.0f" if FEATURES[name][1] == "g" else "%.1f")
    for column, values in one_hot_groups(network.features).items():
        chosen = st.selectbox(column, values, key=f"predict_{column}")
        measurements.update({f"{column}_{v}": float(v == chosen) for v in values})
with result:
    try:
        prediction = predict_one(network, measurements, run.profile)
    except PenguinError as error:
        st.error(f"{error} Nothing was predicted; your model and runs are unchanged.")
        st.stop()
    st.metric("Predicted species", prediction.species,
              f"{prediction.probabilities[prediction.species]:.1%} sure", delta_color="off", delta_arrow="off")
    st.plotly_chart(probability_bars(prediction.probabilities), key="probabilities")
    for warning in prediction.warnings:
        st.warning(f"Outside what the model was trained on: {warning} Treat this prediction with care.")

if len(numeric) >= 2:
    st.subheader("Your penguin among the training penguins")
    x_column, y_column = st.columns(2)
    x = x_column.selectbox("Horizontal", numeric, index=numeric.index("flipper_length_mm")
                           if "flipper_length_mm" in numeric else 0, format_func=feature_label, key="predict_x")
    y = y_column.selectbox("Vertical", numeric, index=numeric.index("bill_length_mm")
                           if "bill_length_mm" in numeric else 1, format_func=feature_label, key="predict_y")
    point = {name: float(measurements[name]) for name in numeric}
    st.plotly_chart(penguin_on_scatter(training_frame, x, y, point), key="penguin_scatter")
