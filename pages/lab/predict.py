"""Step 7: predict one penguin's species, with the model just trained or one uploaded."""

import hashlib
from pathlib import PurePath

import streamlit as st

from pages.ui.display import chart, fragment
from penguin_core.batch_prediction import (MAX_BYTES, MAX_ROWS, needed_columns, predict_table, template_csv,
                                           to_csv_bytes)
from penguin_core.data import FEATURES, feature_label
from penguin_core.errors import PenguinError
from penguin_core.figures import penguin_on_scatter, probability_bars
from penguin_core.prediction import measurement_ranges, one_hot_groups, predict_one
from penguin_core.lab import the_lab
from penguin_core.preparation import prepared
from penguin_core.text import MAX_NAME, clean_name, file_stem, markdown_literal
from penguin_core.uploads import MAX_FILE_BYTES, NotChecked, read_model

BATCH_TITLE = "Many penguins at once: upload a CSV"

lab = the_lab(st.session_state)
state = lab.state
st.title("Predict a penguin")

with st.expander("Use a model from a .keras file instead", expanded=state.run is None):
    upload = st.file_uploader(f"Upload a .keras model (saved by this app or by Keras; at most "
                              f"{MAX_FILE_BYTES // 2**20} MB)", type=["keras"], key="predict_upload")
    if upload is not None:
        content = upload.getvalue()
        digest = hashlib.sha256(content).hexdigest()
        refused = st.session_state.setdefault("predict_refused", {})  # a refused file is never read again
        this_upload = f"{digest}:{upload.file_id}"  # a file that could not be checked: read again if uploaded again
        file_name = clean_name(upload.name)
        if digest in refused or this_upload in refused:
            st.error(markdown_literal(refused.get(digest) or refused[this_upload]))
        elif st.session_state.get("predict_loaded") != digest:
            try:
                with st.spinner("Checking the file…"):
                    loaded = read_model(content, isolated=True)
                loaded.name = clean_name(loaded.name or file_name, MAX_NAME - len(" (uploaded)")) + " (uploaded)"
                lab.use_model(loaded)
                st.session_state.predict_loaded = digest
                st.success(markdown_literal(f"Loaded {file_name}: this model is now the current one."))
            except PenguinError as error:
                said = f"{file_name} was not loaded. {error} Your current model is unchanged."
                refused[this_upload if isinstance(error, NotChecked) else digest] = said
                st.error(markdown_literal(said))


def batch_predictions(run) -> None:
    """The CSV section: a template, the upload, and its table of predictions to look at and download."""
    st.header(BATCH_TITLE)
    groups = one_hot_groups(run.network.features)
    words = "".join(f"; `{group}` one of {', '.join(values)}" for group, values in groups.items())
    st.markdown("One penguin a row, with the columns " + ", ".join(f"`{c}`" for c in needed_columns(run.network))
               + f" in any order (measurements as 39.1 or 39,1{words}); other columns are kept as they are. "
               f"At most {MAX_ROWS:,} rows and {MAX_BYTES // 2**20} MB.")
    st.download_button("Download a template (.csv)", template_csv(run.network), file_name="penguins-template.csv",
                       mime="text/csv", key="predict_batch_template")
    upload = st.file_uploader("Upload a CSV of penguins", type=["csv"], key="predict_batch_upload")
    if upload is None:
        return
    content = upload.getvalue()
    key = (hashlib.sha256(content).hexdigest(), run.network.fingerprint(), run.network.features, run.profile is None)
    cached = st.session_state.get("predict_batch")  # the file stays in the uploader: read it once, not every rerun
    if cached is None or cached[0] != key:
        try:
            batch = predict_table(run.network, content, run.profile)
            cached = (key, batch, to_csv_bytes(batch))
        except PenguinError as error:
            cached = (key, f"{clean_name(upload.name)} was not read. {error}", None)
        st.session_state.predict_batch = cached
    _, batch, csv = cached
    if csv is None:
        st.error(markdown_literal(batch))
        return
    st.success(f"Predicted {batch.predicted:,} of {batch.rows:,} penguins in the file.")
    for problem in batch.problems:
        st.warning(markdown_literal(problem))
    if batch.flagged:
        st.warning(f"{batch.flagged:,} of them are unlike the training penguins (see the columns "
                   "`outside_training_range` and `warnings`): treat those predictions with care.")
    st.dataframe(batch.table, key="predict_batch_table")
    st.download_button("Download the predictions (.csv)", csv, mime="text/csv", key="predict_batch_download",
                       file_name=f"{file_stem(PurePath(upload.name).stem)}-predictions.csv")


@fragment
def one_penguin(run) -> None:
    """Sliders (or typed values) in, the species and its probability out, beside the training penguins: a
    slider moved reruns this part alone."""
    network = run.network
    st.caption(f"Model: {markdown_literal(run.name)} · test accuracy {run.test_metrics['accuracy']:.1%}")
    training_frame = prepared(run.data_spec).training_frame
    ranges = measurement_ranges(training_frame)
    numeric = [f for f in network.features if f in FEATURES]
    start = {f: min(max(state.penguin.get(f, ranges[f][2]), ranges[f][0]), ranges[f][1]) for f in numeric}
    inputs, result = st.columns([2, 3])
    with inputs:
        typed = st.toggle("Type exact values instead of sliders", key="predict_typed")
        measurements = {}
        for name in numeric:
            if typed:
                measurements[name] = st.text_input(feature_label(name), f"{state.penguin.get(name, ranges[name][2]):g}",
                                                   key=f"predict_text_{name}", max_chars=40)
            else:
                low, high, _ = ranges[name]
                step = 25.0 if FEATURES[name][1] == "g" else 0.1
                measurements[name] = st.slider(feature_label(name), low, high, start[name], step=step,
                                               key=f"predict_{name}",
                                               format="%.0f" if FEATURES[name][1] == "g" else "%.1f")
        for column, values in one_hot_groups(network.features).items():
            chosen = st.selectbox(column, values, key=f"predict_{column}")
            measurements.update({f"{column}_{v}": float(v == chosen) for v in values})
    with result:
        try:
            prediction = predict_one(network, measurements, run.profile)
        except PenguinError as error:
            st.error(markdown_literal(f"{error} Nothing was predicted; your model and runs are unchanged."))
            return  # the CSV section below still shows
        lab.set_penguin({name: float(str(measurements[name]).replace(",", ".")) for name in numeric})
        st.metric("Predicted species", prediction.species,
                  f"{prediction.probabilities[prediction.species]:.1%} sure", delta_color="off", delta_arrow="off")
        chart(probability_bars(prediction.probabilities), state.projector, key="predict_probabilities")
        for warning in prediction.warnings:
            st.warning(f"Outside what the model was trained on: {warning} Treat this prediction with care.")
    if len(numeric) >= 2:
        st.header("Your penguin among the training penguins")
        x_column, y_column = st.columns(2)
        x = x_column.selectbox("Horizontal", numeric, index=numeric.index("flipper_length_mm")
                               if "flipper_length_mm" in numeric else 0, format_func=feature_label, key="predict_x")
        y = y_column.selectbox("Vertical", numeric, index=numeric.index("bill_length_mm")
                               if "bill_length_mm" in numeric else 1, format_func=feature_label, key="predict_y")
        point = {name: float(measurements[name]) for name in numeric}
        chart(penguin_on_scatter(training_frame, x, y, point), state.projector, key="predict_scatter")


if state.run is None:
    st.info("There is no model yet: train one on the Train page, or upload a .keras file above.")
    st.header(BATCH_TITLE)
    st.info("Predicting a CSV file of penguins needs a model too: train one first.")
else:
    one_penguin(state.run)
    batch_predictions(state.run)
