"""Citation graph: articles, claims, references, findings and conditions; focus on a node."""

from __future__ import annotations

import networkx as nx
import streamlit as st

from kb import catalog, views
from kb.graph import neighbourhood
from kb.ui import charts, common

PREFIX = "gr"


def _layout(graph: nx.MultiDiGraph) -> dict:
    return nx.spring_layout(nx.Graph(graph), seed=7, k=None, iterations=60)


def render() -> None:
    kb = common.start("Citation graph")
    if kb is None:
        return
    graph = catalog.graph(kb)
    page_specs = [views.ParamSpec("node", "one", graph, label="node"),
                  views.ParamSpec("radius", "one", ("1", "2", "3"), default="1",
                                  label="radius")]
    common.read_state(page_specs, PREFIX)
    _take_click()
    nodes = sorted(graph.nodes)
    left, right = st.columns([3, 1])
    left.selectbox("Focus on a node's neighbourhood", [None, *nodes], key=f"{PREFIX}_node",
                   format_func=lambda n: n or "the whole graph", placeholder="the whole graph")
    right.segmented_control("Radius", ["1", "2", "3"], key=f"{PREFIX}_radius", required=True)
    values = common.write_state(page_specs, PREFIX)
    focus, radius = values["node"], int(values["radius"] or 1)
    shown = neighbourhood(graph, focus, radius) if focus else graph
    name = f"layout:{focus}:{radius}" if focus else "layout"
    positions = common.derived(name, lambda _kb: _layout(shown))
    node_frame, edge_frame = views.graph_frames(shown, positions)
    counts = node_frame["kind"].value_counts()
    st.caption(f"{len(node_frame)} nodes, {len(edge_frame)} edges: "
               + ", ".join(f"{n} {k}" for k, n in counts.items())
               + ". Click a node to focus on it.")
    st.plotly_chart(charts.network(node_frame, edge_frame), key=f"{PREFIX}_chart",
                    on_select="rerun", selection_mode="points")
    with st.expander("Nodes as a table"):
        table = node_frame[["node", "kind", "label"]]
        st.dataframe(table, hide_index=True)
        common.downloads(table, "graph-nodes")


def _take_click() -> None:
    """A node clicked in the chart becomes the focus (before the selectbox is drawn)."""
    event = st.session_state.get(f"{PREFIX}_chart")
    points = event.selection.points if event else []
    data = points[0].get("customdata") if points else None
    if data:
        st.session_state[f"{PREFIX}_node"] = str(data[0])
