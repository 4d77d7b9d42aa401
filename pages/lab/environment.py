"""The lesson's 'test your environment' step: every library the lab uses, its version, and whether it imports."""

import pandas as pd
import streamlit as st

from pages.ui.display import when_ready
from penguin_core import warmup
from penguin_core.errors import PenguinError
from penguin_core.keras_worker import check_environment
from penguin_core.text import markdown_literal


def report(rows: list[dict]) -> None:
    table = pd.DataFrame(rows)
    table["imports"] = table["imports"].map({True: "yes", False: "NO"})
    st.dataframe(table, hide_index=True)
    broken = [row["library"] for row in rows if row["problem"]]
    if broken:
        st.error(f"These libraries do not import: {', '.join(broken)}. Run `pip install -r requirements.txt`.")
    else:
        st.success("Everything imports: you are ready for the lesson.")


st.title("Test your environment")
st.markdown("The lesson starts by importing each library and printing its version. Here is this server's answer.")
if when_ready(warmup.finished, "Importing each library in the Keras helper process (once, while a new server "
              "starts: about ten seconds)…"):
    try:
        with st.spinner("Importing each library…"):
            rows = check_environment()
    except PenguinError as error:
        st.error(markdown_literal(f"The check could not run just now. {error}"))
    else:
        report(rows)
