"""Step 10: share the model as one .keras file, the run's history as CSV, and the run as Keras code."""

import json
import shlex

import pandas as pd
import streamlit as st

from penguin_core.cli import OPTION_OF_FEATURE
from penguin_core.data import EXAMPLE_PENGUIN
from penguin_core.errors import PenguinError
from penguin_core.experiments.odds import raw_swing
from penguin_core.export import notebook_json, script_text
from penguin_core.keras_worker import model_bytes
from penguin_core.lab import the_lab
from penguin_core.text import file_stem, markdown_literal

lab = the_lab(st.session_state)


def files(run) -> None:
    """The model, its history and its settings as files, and how to use the model elsewhere."""
    st.markdown(f"**Current model:** {markdown_literal(run.name)} · {run.epochs_done} epochs · "
                f"test accuracy {run.test_metrics['accuracy']:.1%}")
    try:
        with st.spinner("Saving with Keras…"):
            content = model_bytes(run)
    except PenguinError as error:
        st.error(markdown_literal(f"The model file could not be made just now. {error}"))
        content = None
    stem = file_stem(run.name)
    model_column, history_column, settings_column = st.columns(3)
    model_column.download_button("Download the model (.keras)", content or b"", file_name=f"{stem}.keras",
                                 mime="application/octet-stream", on_click="ignore", type="primary",
                                 disabled=content is None)
    history_column.download_button("Download the history (.csv)", pd.DataFrame(run.history).to_csv(index=False),
                                   file_name=f"{stem}-history.csv", mime="text/csv", on_click="ignore",
                                   disabled=not run.history)
    settings_column.download_button("Download the settings (.json)",
                                    json.dumps({"data": run.data_spec.to_dict(), "model": run.model_spec.to_dict()},
                                               indent=2),
                                    file_name=f"{stem}-settings.json", mime="application/json", on_click="ignore")
    if content is not None:
        st.caption(f"The model file is {len(content) / 1024:.0f} KB.")

    st.header("Use it elsewhere")
    features = run.network.features
    load = f"model = keras.saving.load_model({f'{stem}.keras'!r})"
    if set(features) <= set(EXAMPLE_PENGUIN):
        values = ", ".join(f"{EXAMPLE_PENGUIN[f]:g}" for f in features)
        st.code(f"import keras, numpy as np\n{load}  # takes raw measurements: the scaling is inside\n"
                f"model(np.array([[{values}]]))  # {', '.join(features)}", language="python")
        options = " ".join(f"{OPTION_OF_FEATURE[f]} {EXAMPLE_PENGUIN[f]:g}" for f in features)
        st.code(f"cd path/to/penguin-lab  # Penguin Lab's folder, with penguin_core/ in it: python -m finds it there\n"
                f"python -m penguin_core predict {shlex.quote('path/to/' + stem + '.keras')} \\\n    {options}",
                language="bash")
    else:
        st.code(f"import keras\n{load}  # inputs, in order: {', '.join(features)}", language="python")


def as_code(run) -> None:
    """The same run as a Keras script and a notebook."""
    st.header("Take the run away as code")
    st.markdown("The same run written the lesson's way with Keras, as a plain Python script or a Jupyter "
                "notebook: your settings sit at the top, and changing one there changes the run. Keras starts from "
                "other initial weights than this app, so its numbers come close to yours without being the same.")
    if not run.data_spec.standardize:
        st.warning(f"{raw_swing()} Keras starts from other initial weights, so its run of this script may land "
                   "anywhere in that range, far from yours. Standardized runs agree within a point or two.",
                   icon=":material/casino:")
    script = script_text(run.data_spec, run.model_spec)
    try:
        notebook = notebook_json(run.data_spec, run.model_spec)
    except PenguinError as error:
        st.error(markdown_literal(str(error)))
        notebook = None
    script_column, notebook_column = st.columns(2)
    script_column.download_button("Download the script (.py)", script, file_name="penguin_run.py",
                                  mime="text/x-python", on_click="ignore")
    notebook_column.download_button("Download the notebook (.ipynb)", notebook or "", file_name="penguin_run.ipynb",
                                    mime="application/x-ipynb+json", on_click="ignore", disabled=notebook is None)
    if run.stopped_early:
        st.caption(f"This run was stopped early ({run.epochs_done} of {run.model_spec.epochs} epochs); the code "
                   "trains all of them (change EPOCHS at its top for fewer).")
    st.code(script, language="python")


st.title("Share the model")
st.markdown("A `.keras` file holds the architecture, the weights and — from this app — the features, species, "
            "scaling, settings, history and test metrics. Anyone can load it with Keras or upload it on the "
            "Predict page.")
if lab.state.run is None:
    st.info("Train a model first (Train page): there is nothing to share yet, neither the model file nor the "
            "code that trains it again.")
else:
    files(lab.state.run)
    as_code(lab.state.run)
