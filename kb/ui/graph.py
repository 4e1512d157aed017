"""Citation graph: the neighbourhood of one condition, claim, reference, article or finding
(low back pain unless chosen), labelled, sized by links, coloured by kind; click to refocus."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import streamlit as st

from kb import catalog, views
from kb.graph import neighbourhood, node_names
from kb.ui import charts, common

PREFIX = "gr"
DEFAULT_FOCUS = "condition:low-back-pain"
DEPTHS = ("1", "2")
PICK_ORDER = ("condition", "claim", "reference", "article", "finding")
TABLE = {"kind_label": "Kind", "name": "Name", "degree": "Links", "node": "Node id"}


def choices(graph: nx.MultiDiGraph, names: pd.Series) -> dict[str, str]:
    """Every node, conditions first, named in words: 'Low back pain (condition)'."""
    kinds = dict(graph.nodes(data="kind"))
    ordered = sorted(kinds, key=lambda n: (PICK_ORDER.index(kinds[n]),
                                           str(names.get(n, n)).casefold()))
    return {n: f"{names.get(n, n)} ({kinds[n]})" for n in ordered}


def _layout(graph: nx.MultiDiGraph, focus: str) -> dict:
    """A spring layout with the focus fixed at the centre."""
    simple = nx.Graph(graph)
    return nx.spring_layout(simple, seed=7, iterations=80, pos={focus: (0.0, 0.0)},
                            fixed=[focus], k=1.6 / max(len(simple), 1) ** 0.5)


def render() -> None:
    kb = common.start("Citation graph")
    if kb is None:
        return
    graph = catalog.graph(kb)
    names = common.derived("graph-names", node_names)
    picks = common.derived("graph-choices", lambda _kb: choices(graph, names))
    default = DEFAULT_FOCUS if DEFAULT_FOCUS in picks else next(iter(picks), None)
    page_specs = [views.ParamSpec("node", "one", frozenset(picks), default=default,
                                  label="focus"),
                  views.ParamSpec("radius", "one", DEPTHS, default="2", label="depth"),
                  common.IDS]
    common.read_state(page_specs, PREFIX)
    _take_click(picks)
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    left.selectbox("Show the neighbourhood of", list(picks), key=f"{PREFIX}_node",
                   format_func=lambda n: picks.get(n, n))
    right.segmented_control("Depth", DEPTHS, key=f"{PREFIX}_radius", required=True,
                            format_func=lambda d: "1 step" if d == "1" else f"{d} steps",
                            help="1 step: what links to the focus directly; 2 steps: and "
                                 "what links to those.")
    ids = common.show_ids(PREFIX)
    values = common.write_state(page_specs, PREFIX)
    focus, radius = values["node"], int(values["radius"] or 2)
    if focus is None:
        st.info("The knowledge base has no nodes to show.")
        return
    shown = neighbourhood(graph, focus, radius)
    positions = common.derived(f"layout:{focus}:{radius}", lambda _kb: _layout(shown, focus))
    degree = common.derived("graph-degree", lambda _kb: dict(graph.degree()))
    node_frame, edge_frame = views.graph_frames(shown, positions, names, degree)
    counts = node_frame["kind"].value_counts()
    within = common.plural(radius, "step")
    st.caption(common.md(
        f"{picks[focus]} and {len(node_frame) - 1} linked nodes within {within} "
        f"({len(edge_frame)} links): "
        + ", ".join(common.plural(n, str(k)) for k, n in counts.items())
        + ". Size: the node's links in the whole graph. Click a node to focus on it."))
    st.plotly_chart(charts.network(node_frame, edge_frame, focus), key=f"{PREFIX}_chart",
                    on_select="rerun", selection_mode="points")
    with st.expander("Nodes as a table"):
        table = node_frame.sort_values(["kind", "degree"], ascending=[True, False])
        table = table.assign(name=table["node"].map(names).fillna(table["name"]))
        columns = [*TABLE][:3] + ["node"] * ids
        st.dataframe(table[columns].rename(columns=TABLE), hide_index=True)
        common.downloads(table[[*TABLE]].rename(columns=TABLE), "graph-nodes")


def _take_click(picks: dict[str, str]) -> None:
    """A node clicked in the chart becomes the focus (before the selectbox is drawn)."""
    event = st.session_state.get(f"{PREFIX}_chart")
    points = event.selection.points if event else []
    data = points[0].get("customdata") if points else None
    clicked = str(data[0]) if data else None
    if clicked in picks and clicked != st.session_state.get(f"{PREFIX}__clicked"):
        st.session_state[f"{PREFIX}_node"] = clicked
    st.session_state[f"{PREFIX}__clicked"] = clicked
