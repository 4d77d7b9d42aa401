"""Start: the problem in one screen, the ten steps as a map, and where the learner is."""

import streamlit as st

from penguin_core import workflow
from penguin_core.data import FEATURES, SPECIES, feature_label
from penguin_core.lab import the_lab
from penguin_core.text import markdown_literal

lab = the_lab(st.session_state)

st.title("Penguin Lab")
st.markdown(
    "**Can a small neural network tell three species of penguin apart from four measurements?** "
    "This lab walks through the first lesson of *Introduction to deep learning*, one step a page."
)
problem, why = st.columns(2)
with problem:
    st.header("The problem")
    st.markdown(
        f"- **Predict:** the species — {', '.join(SPECIES)} — a *classification* problem.\n"
        f"- **From:** {', '.join(feature_label(f).lower() for f in FEATURES)} "
        "of 342 penguins measured on the Palmer Archipelago, Antarctica.\n"
        "- **Output:** one probability per species; the highest wins."
    )
with why:
    st.header("Why a neural network?")
    st.markdown(
        "No single measurement separates the species cleanly, and writing the rules by hand is tedious. "
        "A network *learns* its rules (weights) from labelled examples. It is overkill for 342 penguins, "
        "which is exactly why it is a good place to see every step clearly."
    )

st.header("The ten steps")
hidden_pages = lab.tailoring.hide_pages  # a tailored link's: not in the navigation, nor here
steps = [(number, step, meaning, workflow.step_page(number)) for number, (step, meaning)
         in enumerate(workflow.STEPS, start=1)]
if any(entry.url in hidden_pages for *_, entry in steps):
    st.caption("Your instructor hid some pages for this exercise, so their steps are left out of this list.")
for number, step, meaning, entry in steps:
    if entry.url not in hidden_pages:
        left, right = st.columns([2, 3])
        left.page_link(entry.file, label=f"{number}. {step}", icon=":material/arrow_forward:")
        right.caption(meaning)

st.header("Where you are")
st.markdown(" · ".join(f"{':material/check_circle:' if ok else ':material/radio_button_unchecked:'} {name}"
                       for name, ok in lab.steps_done().items()))
if lab.state.run is None:
    st.info("No model trained yet: start by exploring the data, or go straight to **Train** with the lesson's settings.")
else:
    st.success(f"You have a trained model ({markdown_literal(lab.state.run.name)}) and "
               f"{len(lab.state.history)} run(s) in your history.")
