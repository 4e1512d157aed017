"""Where sources disagree: computed contradictions between the articles' assertions."""

from __future__ import annotations

import streamlit as st

from kb.contradictions import find_contradictions
from kb.ui import common


def render() -> None:
    kb = common.start("Where sources disagree")
    if kb is None:
        return
    frame = common.derived("contradictions", find_contradictions)
    st.subheader(common.plural(len(frame), "contradiction"))
    st.caption("Two articles give non-overlapping values for the same subject and attribute.")
    st.dataframe(frame, hide_index=True)
    common.downloads(frame, "contradictions")
