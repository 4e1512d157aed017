"""Streamlit entry point: a thin router over the pages in kb/ui/."""

import streamlit as st

from kb.ui import nav

st.set_page_config(page_title="Dry Needling Evidence KB", layout="wide")
st.navigation(nav.pages()).run()
