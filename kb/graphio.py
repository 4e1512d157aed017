"""Graph writers that Gephi, Cytoscape and D3 open: GraphML, GEXF, Cytoscape.js JSON, D3
node-link JSON (`links`) and networkx node-link JSON (`edges`); kb.catalog names them."""

from __future__ import annotations

import io
import json
import re

import networkx as nx

GEXF_RENAMED = {"key": "kb_key"}
# GEXF viz: a colour and a size per node kind, so Gephi opens the graph readable.
GEXF_VIZ = {"article": ((228, 26, 28), 20.0), "reference": ((55, 126, 184), 12.0),
            "claim": ((77, 175, 74), 6.0), "finding": ((152, 78, 163), 10.0),
            "condition": ((255, 127, 0), 16.0)}
GEXF_OTHER = ((153, 153, 153), 8.0)
INTEGER_ATTRS = ("year",)  # typed as integers where every value is a whole number
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _value(value: object) -> str | int | float | bool | None:
    """A GraphML/GEXF-safe attribute value: lists joined with `;`, None dropped."""
    if value is None:
        return None
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        value = ";".join(str(v) for v in value)
    elif isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return _XML_ILLEGAL.sub("", str(value))


def _clean(attrs: dict) -> dict:
    cleaned = {str(k): _value(v) for k, v in attrs.items()}
    return {k: v for k, v in cleaned.items() if v is not None}


def _integer(name: str, value: object) -> object:
    """A year such as "2017" as the integer 2017 (GraphML and GEXF then declare it a number);
    an empty year is no attribute."""
    if name in INTEGER_ATTRS and isinstance(value, str):
        return int(value) if value.isdigit() else (value or None)
    return value


def _node_attrs(attrs: dict, rename: dict[str, str]) -> dict:
    typed = {rename.get(k, k): _integer(k, v) for k, v in _clean(attrs).items()}
    return {k: v for k, v in typed.items() if v is not None}


def portable(graph: nx.MultiDiGraph, rename: dict[str, str] | None = None) -> nx.MultiDiGraph:
    """A copy whose node, edge and graph attributes are all scalar and never None.

    `rename` renames node attributes (GEXF cannot carry one called `key`).
    """
    rename = rename or {}
    out = nx.MultiDiGraph(**_clean(graph.graph))
    out.add_nodes_from((n, _node_attrs(d, rename)) for n, d in graph.nodes(data=True))
    out.add_edges_from((u, v, k, _clean(d)) for u, v, k, d in graph.edges(keys=True, data=True))
    return out


def node_link_json(graph: nx.MultiDiGraph) -> bytes:
    """The graph as node-link JSON (UTF-8)."""
    data = nx.node_link_data(portable(graph), edges="edges")
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _json(data: dict) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def cytoscape_json(graph: nx.MultiDiGraph) -> bytes:
    """The graph as Cytoscape.js JSON (`elements.nodes`, `elements.edges`; `name` is the label)."""
    return _json(nx.cytoscape_data(portable(graph), name="label"))


def d3_json(graph: nx.MultiDiGraph) -> bytes:
    """The graph as D3 force-layout JSON: `nodes` and `links` with `source` and `target`."""
    return _json(nx.node_link_data(portable(graph), edges="links"))


def graphml(graph: nx.MultiDiGraph) -> bytes:
    """The graph as GraphML (UTF-8)."""
    buffer = io.BytesIO()
    nx.write_graphml(portable(graph), buffer, encoding="utf-8")
    return buffer.getvalue()


def gexf(graph: nx.MultiDiGraph) -> bytes:
    """The graph as GEXF (UTF-8), with a colour and size per node kind (`viz`). Without
    parallel edges it is written as a simple directed graph, so networkx adds no
    `networkx_key` edge attribute."""
    out = portable(graph, GEXF_RENAMED)
    if not any(k for _, _, k in out.edges(keys=True)):  # every key 0: no parallel edges
        out = nx.DiGraph(out)
    for _, data in out.nodes(data=True):
        (r, g, b), size = GEXF_VIZ.get(data.get("kind", ""), GEXF_OTHER)
        data["viz"] = {"color": {"r": r, "g": g, "b": b, "a": 1.0}, "size": size}
    buffer = io.BytesIO()
    nx.write_gexf(out, buffer, encoding="utf-8")
    return buffer.getvalue()
