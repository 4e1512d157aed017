"""Evidence map: conditions x time windows, colour = best certainty, size = number of findings.

On a desktop a bubble plot; below common.PHONE_WIDTH the same cells as a list of conditions,
each with one chip per time window (the layout style in common shows one of the two)."""

from __future__ import annotations

from urllib.parse import quote

import pandas as pd
import streamlit as st

from kb import catalog, views, vocab
from kb.cube import evidence_map
from kb.figures import evidence_map_figure
from kb.ui import charts, common, filters, links

PREFIX = "map"
CHIP = ("display:inline-block;border-radius:1rem;padding:0.1rem 0.6rem;font-size:0.85rem;"
        "line-height:1.4;border:1px solid #8a8a8a;")


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
        st.caption("Each chip: a time window, the certainty of its best finding that favours "
                   "dry needling (darker: more certain; grey: none) and its number of "
                   "findings. A condition's name opens its card.")
        st.html(phone_list(frame, list(f.time_windows) or views.BENEFIT))
    _figure_downloads(frame)
    with st.expander("The map as a table"):
        shown = views.in_words(frame.drop(columns=["condition_id", "level"]))
        st.dataframe(shown.rename(columns=views.HEADERS), hide_index=True)
        common.downloads(frame, "evidence-map")


def phone_list(frame: pd.DataFrame, windows: list[str]) -> str:
    """The map as HTML, every data string escaped: per condition (by name) its
    name linked to its card and a chip per window, coloured by the one palette, with the
    window's and the certainty's meaning on hover; 'no findings' where a window has none."""
    conditions = frame.drop_duplicates("condition_id")[["condition_id", "label"]].sort_values(
        "label")
    grid = pd.MultiIndex.from_product([conditions["condition_id"], windows],
                                      names=["condition_id", "time_window"])
    cells = frame.set_index(["condition_id", "time_window"]).reindex(grid).reset_index()
    found = cells["best_certainty"].notna()
    certainty = cells["best_certainty"].fillna("")
    colour = certainty.map(vocab.Certainty.colour).where(found, "#ffffff")
    words = (certainty + " · " + cells["n_findings"].fillna(0).astype(int).map(
        lambda n: common.plural(n, "finding"))).where(found, "no findings")
    meaning = (cells["time_window"].map(vocab.TIME_WINDOW_MEANING) + " "
               + certainty.map(vocab.certainty_meaning).where(found, ""))
    window = cells["time_window"].map(vocab.TIME_WINDOW_LABEL).str.capitalize()
    chips = ('<span style="' + CHIP + "background:" + colour + ";color:"
             + colour.map(vocab.text_colour) + '" title="' + views.plot_escape(meaning) + '"><b>'
             + views.plot_escape(window) + "</b>: " + views.plot_escape(words) + "</span>")
    rows = chips.groupby(cells["condition_id"], sort=False).agg(" ".join)
    href = links.url_path("card") + "?condition=" + conditions["condition_id"].map(quote)
    items = ('<li style="margin:0 0 0.8rem 0"><a href="' + views.plot_escape(href)
             + '" target="_self" style="font-weight:600">' + views.plot_escape(conditions["label"])
             + '</a><div style="display:flex;flex-wrap:wrap;gap:0.3rem;margin-top:0.3rem">'
             + conditions["condition_id"].map(rows) + "</div></li>")
    return '<ul style="list-style:none;padding:0;margin:0">' + "".join(items) + "</ul>"


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
