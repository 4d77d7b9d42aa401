"""Drawing shared by several pages (not pages themselves: Streamlit looks for pages only directly in pages/)."""
