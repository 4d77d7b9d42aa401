"""Step 10: share the model as one .keras file, and the run's history as CSV."""

import json

import pandas as pd
import streamlit as st

from penguin_core.cli import OPTION_OF_FEATURE
from penguin_core.data import EXAMPLE_PENGUIN
from penguin_core.session import lab_state
from penguin_core.keras_worker import model_bytes

state = lab_state(st.session_state)
st.title("Share the model")
st.markdown("A `.keras` file holds the architecture, the weights and — from this app — the features, species, "
            "scaling, settings, history and test metrics. Anyone can load it with Keras or upload it on the "
            "Predict page.")
run = state.run
if run is None:
    st.info("Train a model first (Train page): there is nothing to share yet.")
    st.stop()

st.markdown(f"**Current model:** {run.name} · {run.epochs_done} epochs · "
            + (f"test accuracy {run.test_metrics['accuracy']:.1%}" if "accuracy" in run.test_metrics else ""))
with st.spinner("Saving with Keras…"):
    content = model_bytes(run)
stem = (run.name or "penguin-model").replace(" ", "-")
model_column, history_column, settings_column = st.columns(3)
model_column.download_button("Download the model (.keras)", content, file_name=f"{stem}.keras",
                             mime="application/octet-stream", on_click="ignore", type="primary")
history_column.download_button("Download the history (.csv)", pd.DataFrame(run.history).to_csv(index=False),
                               file_name=f"{stem}-history.csv", mime="text/csv", on_click="ignore",
                               disabled=not run.history)
settings_column.download_button("Download the settings (.json)",
                                json.dumps({"data": run.data_spec.to_dict(), "model": run.model_spec.to_dict()},
                                           indent=2),
                                file_name=f"{stem}-settings.json", mime="application/json", on_click="ignore")
st.caption(f"The model file is {len(content) / 1024:.0f} KB.")

st.subheader("Use it elsewhere")
features = run.network.features
if set(features) <= set(EXAMPLE_PENGUIN):
    values = ", ".join(f"{EXAMPLE_PENGUIN[f]:g}" for f in features)
    st.code(f"""import keras, numpy as np
model = keras.saving.load_model("{stem}.keras")  # takes raw measurements: the scaling is inside
model(np.array([[{values}]]))  # {", ".join(features)}""", language="python")
    options = " ".join(f"{OPTION_OF_FEATURE[f]} {EXAMPLE_PENGUIN[f]:g}" for f in features)
    st.code(f"python -m penguin_core predict {stem}.keras \\\n    {options}", language="bash")
else:
    st.code(f"""import keras
model = keras.saving.load_model("{stem}.keras")  # inputs, in order: {", ".join(features)}""", language="python")
