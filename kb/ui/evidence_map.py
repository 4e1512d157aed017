"""Evidence map: conditions x time windows, colour = best certainty, size = number of findings."""

from __future__ import annotations

import streamlit as st

from kb import catalog, views
from kb.cube import evidence_map
from kb.figures import evidence_map_figure
from kb.ui import charts, common, filters

PREFIX = "map"


def render() -> None:
    kb = common.start("Evidence map")
    if kb is None:
        return
    values = filters.filter_state(kb, PREFIX)
    frame = evidence_map(catalog.cube(kb), views.condition_filter(values))
    st.subheader(f"{frame['condition_id'].nunique()} conditions, {len(frame)} cells")
    if frame.empty:
        st.write("No condition matches these filters.")
        return
    st.plotly_chart(charts.evidence_map(frame), key=f"{PREFIX}_chart")
    _figure_downloads(frame)
    with st.expander("The map as a table"):
        st.dataframe(frame, hide_index=True)
        common.downloads(frame, "evidence-map")


def _figure_downloads(frame) -> None:
    left, right = st.columns(2, width=360)
    left.download_button("Download PNG", lambda: evidence_map_figure(frame, "png"),
                         "evidence-map.png", mime="image/png", on_click="ignore")
    right.download_button("Download SVG", lambda: evidence_map_figure(frame, "svg"),
                          "evidence-map.svg", mime="image/svg+xml", on_click="ignore")
