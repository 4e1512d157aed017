"""Streamlit entry point: a thin router over kb/."""

import streamlit as st

from kb.load import load

st.set_page_config(page_title="Dry Needling Evidence KB", layout="wide")
kb = st.cache_resource(load)()
st.title("Dry Needling Evidence KB")
st.caption("Evidence information, not medical advice.")
c1, c2, c3 = st.columns(3)
c1.metric("Claims", len(kb.claims))
c2.metric("References", len(kb.references))
c3.metric("Conditions", len(kb.conditions))
