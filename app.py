"""Penguin Lab: the app's entry point (the pages come with the app's issue)."""

import streamlit as st

st.set_page_config(page_title="Penguin Lab", page_icon="🐧")
st.title("Penguin Lab")
st.write("Classify Palmer penguins with a small neural network, step by step.")
