"""Graph writers that Gephi and Cytoscape open: GraphML, GEXF and node-link JSON (kb.catalog
names them)."""

from __future__ import annotations

import io
import json
import re

import networkx as nx

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


def node_link_json(graph: nx.MultiDiGraph) -> bytes:
    """The graph as node-link JSON (UTF-8)."""
    data = nx.node_link_data(portable(graph), edges="edges")
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def graphml(graph: nx.MultiDiGraph) -> bytes:
    """The graph as GraphML (UTF-8)."""
    buffer = io.BytesIO()
    nx.write_graphml(portable(graph), buffer, encoding="utf-8")
    return buffer.getvalue()


def gexf(graph: nx.MultiDiGraph) -> bytes:
    """The graph as GEXF (UTF-8)."""
    buffer = io.BytesIO()
    nx.write_gexf(portable(graph, GEXF_RENAMED), buffer, encoding="utf-8")
    return buffer.getvalue()
