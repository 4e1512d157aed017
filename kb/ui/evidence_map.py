"""Evidence map: conditions x time windows, colour = best certainty, size = number of findings.

On a desktop a bubble plot; below common.PHONE_WIDTH the same cells as a list of conditions,
each with a badge per time window (the layout style in common shows one of the two)."""

from __future__ import annotations

import pandas as pd
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
    f = views.condition_filter(values)
    frame = evidence_map(catalog.cube(kb), f)
    st.subheader(f"{frame['condition_id'].nunique()} conditions, {len(frame)} cells")
    if frame.empty:
        st.write("No condition matches these filters.")
        return
    with st.container(key="wide_map"):
        event = st.plotly_chart(charts.evidence_map(frame), key=f"{PREFIX}_chart",
                                on_select="rerun", selection_mode="points")
        st.caption("Click a bubble to list the findings behind it.")
        _cell_findings(kb, event)
    with st.container(key="phone_map"):
        st.caption("For each time window: the certainty of its best finding that favours "
                   "dry needling (grey: none) and its number of findings. A condition's name "
                   "opens its card.")
        _phone_list(frame, list(f.time_windows) or views.BENEFIT)
    _figure_downloads(frame)
    with st.expander("The map as a table"):
        shown = views.in_words(frame.drop(columns=["condition_id", "level"]))
        st.dataframe(shown.rename(columns=views.HEADERS), hide_index=True)
        common.downloads(frame, "evidence-map")


def _phone_list(frame: pd.DataFrame, windows: list[str]) -> None:
    """The map as a list, by condition name: a link to the card, then a badge per window
    with its certainty in words, coloured by the scale's badge colours, its number of
    findings, and the window's and the certainty's meaning on hover."""
    conditions = frame.drop_duplicates("condition_id").sort_values("label")
    cells = frame.set_index(["condition_id", "time_window"])
    for condition_id, label in zip(conditions["condition_id"], conditions["label"],
                                   strict=True):
        with st.container(border=True, gap="small"):
            links.link("card", f"**{common.md(str(label))}**", {"condition": condition_id},
                       icon=":material/description:")
            with st.container(horizontal=True, gap="small"):
                for window in windows:
                    _window_chip(cells, condition_id, window)


def _window_chip(cells: pd.DataFrame, condition_id: str, window: str) -> None:
    """One condition x window cell as a badge: 'Short term: moderate · 10 findings'."""
    name = vocab.TIME_WINDOW_LABEL[window].capitalize()
    if (condition_id, window) not in cells.index:
        st.badge(common.badge_label(f"{name}: no findings"), color=vocab.NO_LEVEL_BADGE,
                 help=common.md(vocab.TIME_WINDOW_MEANING[window]))
        return
    cell = cells.loc[(condition_id, window)]
    certainty = str(cell["best_certainty"])
    text = f"{name}: {certainty} · {common.plural(int(cell['n_findings']), 'finding')}"
    meaning = f"{vocab.TIME_WINDOW_MEANING[window]} {vocab.certainty_meaning(certainty)}"
    st.badge(common.badge_label(text), color=vocab.Certainty.badge_colour(certainty),
             help=common.md(meaning))


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
        links.link("card", f"Open the {common.md(str(label))} card", {"condition": condition_id},
                   icon=":material/description:")


def _figure_downloads(frame) -> None:
    left, right = st.columns(2, width=360)
    left.download_button("Download PNG", lambda: evidence_map_figure(frame, "png"),
                         "evidence-map.png", mime="image/png", on_click="ignore")
    right.download_button("Download SVG", lambda: evidence_map_figure(frame, "svg"),
                          "evidence-map.svg", mime="image/svg+xml", on_click="ignore")
