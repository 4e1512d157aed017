"""Evidence map: conditions x time windows, colour = best certainty, size = number of findings."""

from __future__ import annotations

import streamlit as st

from kb import catalog, views, vocab
from kb.cube import evidence_map
from kb.figures import evidence_map_figure
from kb.ui import charts, common, filters, links

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
    event = st.plotly_chart(charts.evidence_map(frame), key=f"{PREFIX}_chart",
                            on_select="rerun", selection_mode="points")
    st.caption("Click a bubble to list the findings behind it.")
    _cell_findings(kb, event)
    _figure_downloads(frame)
    with st.expander("The map as a table"):
        shown = views.in_words(frame.drop(columns=["condition_id", "level"]))
        st.dataframe(shown.rename(columns=views.HEADERS), hide_index=True)
        common.downloads(frame, "evidence-map")


def _cell_findings(kb, event) -> None:
    """The findings behind the clicked cells (condition x time window), in words."""
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    cells = {(p["customdata"][3], p["customdata"][4]) for p in points
             if len(p.get("customdata") or ()) > 4}
    for condition_id, window in sorted(cells):
        rows = views.condition_findings(kb, condition_id)
        rows = rows[rows["time_window"] == window]
        label = kb.conditions.set_index("condition_id")["label"].get(condition_id, condition_id)
        st.markdown(f"**{common.md(str(label))}, "
                    f"{common.md(vocab.TIME_WINDOW_LABEL.get(window, window))}**: "
                    f"{common.plural(len(rows), 'finding')}")
        shown = rows[["review", "outcome", "comparator", "result", "certainty", "basis"]]
        st.dataframe(shown.rename(columns=views.HEADERS), hide_index=True)
        links.link("card", f"Open the {label} card", {"condition": condition_id},
                   icon=":material/description:")


def _figure_downloads(frame) -> None:
    left, right = st.columns(2, width=360)
    left.download_button("Download PNG", lambda: evidence_map_figure(frame, "png"),
                         "evidence-map.png", mime="image/png", on_click="ignore")
    right.download_button("Download SVG", lambda: evidence_map_figure(frame, "svg"),
                          "evidence-map.svg", mime="image/svg+xml", on_click="ignore")
