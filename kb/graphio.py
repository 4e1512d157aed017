"""Graph file formats that Gephi and Cytoscape open: GraphML, GEXF and node-link JSON."""

from __future__ import annotations

import io
import json
import re

import networkx as nx

FORMATS = ("graphml", "gexf", "json")
GEXF_RENAMED = {"key": "kb_key"}  # networkx's GEXF writer would rename `key` to `networkx_key`
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


def portable(graph: nx.MultiDiGraph, rename: dict[str, str] | None = None) -> nx.MultiDiGraph:
    """A copy whose node, edge and graph attributes are all scalar and never None.

    `rename` renames node attributes (GEXF cannot carry one called `key`).
    """
    rename = rename or {}
    out = nx.MultiDiGraph(**_clean(graph.graph))
    out.add_nodes_from((n, {rename.get(k, k): v for k, v in _clean(d).items()})
                       for n, d in graph.nodes(data=True))
    out.add_edges_from((u, v, k, _clean(d)) for u, v, k, d in graph.edges(keys=True, data=True))
    return out


def export_graph(graph: nx.MultiDiGraph, fmt: str) -> bytes:
    """The graph as GraphML, GEXF or node-link JSON bytes (UTF-8)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown graph format {fmt!r}; choose from {', '.join(FORMATS)}")
    clean = portable(graph, GEXF_RENAMED if fmt == "gexf" else None)
    if fmt == "json":
        data = nx.node_link_data(clean, edges="edges")
        return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(clean, buffer, encoding="utf-8")
    else:
        nx.write_gexf(clean, buffer, encoding="utf-8")
    return buffer.getvalue()
