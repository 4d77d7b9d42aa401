"""Steps 1–2: look at the data before anything else: what is in it, what is missing, what separates species."""

import streamlit as st

from pages.ui.display import chart, when_ready
from penguin_core import warmup
from penguin_core.data import load_penguins, load_raw
from penguin_core.errors import PenguinError
from penguin_core.figures import class_balance, distributions, scatter_matrix
from penguin_core.lab import the_lab
from penguin_core.text import markdown_literal


def pairplot() -> None:
    """The lesson's seaborn pairplot: drawn once per machine in a child process (Matplotlib never loads in the
    server), while the server starts; until then the page says so and goes on."""
    if not when_ready(lambda: warmup.pairplot() is not None or warmup.finished(),
                      "Drawing the pairplot (seaborn draws it once, when a new server starts)…"):
        return
    try:
        st.image(warmup.pairplot(), caption="Pairplot of the four measurements, coloured by species",
                 alt="Pairplot of the four measurements, coloured by species")
    except PenguinError as error:
        st.error(markdown_literal(str(error)))


@st.cache_data
def cached_raw():
    return load_raw()


@st.cache_data
def cached_figures():
    """The interactive figures: built once per server, not on every visit."""
    frame = load_penguins()
    return class_balance(frame), scatter_matrix(frame), distributions(frame)


lab = the_lab(st.session_state)
raw = cached_raw()
balance, scatter, boxes = cached_figures()

st.title("Explore the data")
st.markdown("**Inputs:** the four measurements. **Output:** the species. "
            "First, look for missing values and errors, as the lesson does with `penguins` and `describe()`.")

st.header("The raw table")
kept = len(load_penguins())
st.caption(f"{len(raw)} penguins × {raw.shape[1]} columns; missing values read \"missing\" on a red ground. "
           f"The lesson's dropna() keeps {kept}: the other {len(raw) - kept} have no measurements at all. "
           "(The lesson's copy has the same rows in the same order.)")
# The columns keep their types (numbers stay numbers, right-aligned); only their display reads "missing".
st.dataframe(raw.style.highlight_null(color="#ffb3b3").format(precision=1, na_rep="missing"), height=300)

stats, missing = st.columns([3, 1])
with stats:
    st.markdown("**`penguins.describe()`**")
    st.dataframe(raw.describe())
with missing:
    st.markdown("**Missing values per column**")
    st.dataframe(raw.isna().sum().rename("missing"))

st.header("What do we want to predict?")
left, right = st.columns([1, 2])
left.markdown(f"`penguins['species'].unique()`: **{', '.join(raw.species.unique())}**")
left.markdown("The classes are not balanced: there are fewer Chinstrap penguins. "
              "Keep that in mind when reading the accuracy later.")
left.caption(f"The chart counts the {kept} penguins the lesson keeps after dropna().")
with right:
    chart(balance, lab.state.projector)

st.header("Which measurements separate the species?")
pairplot_tab, scatter_tab, box_tab = st.tabs(["Pairplot (seaborn)", "Scatter matrix (interactive)", "Distributions"])
with pairplot_tab:
    st.markdown('`sns.pairplot(penguins, hue="species")`, as in the lesson.')
    pairplot()
with scatter_tab:
    chart(scatter, lab.state.projector)
with box_tab:
    chart(boxes, lab.state.projector)
st.info("Note the units: body mass is in grams (thousands) while the bills are in millimetres (tens). "
        "The network sees only the numbers, so body mass shouts over everything else — unless the "
        "features are standardized on the next page.")
