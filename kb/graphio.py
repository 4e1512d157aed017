"""Graph writers that Gephi, Cytoscape and D3 open: GraphML, GEXF, Cytoscape.js JSON, D3
node-link JSON (`links`) and networkx node-link JSON (`edges`); kb.catalog names them."""

from __future__ import annotations

import io
import json
import re
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from kb.model import KB

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


# --- The whole KB's graph, streamed from its tables -------------------------------------------
# `kb export graph --format graphml|gexf` writes the graph node kind by node kind and edges in
# chunks from the node tables (kb.graph.node_tables) and the edge arrays (kb.edges), never
# building the networkx graph: memory is the KB's plus one chunk of text.

CHUNK = 50_000
GRAPHML_HEAD = ('<?xml version=\'1.0\' encoding=\'utf-8\'?>\n<graphml xmlns="http://graphml.'
                'graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.'
                'graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
GEXF_HEAD = ('<?xml version=\'1.0\' encoding=\'utf-8\'?>\n<gexf xmlns:viz="http://www.gexf.net/'
             '1.2draft/viz" xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/'
             '2001/XMLSchema-instance" xsi:schemaLocation="http://www.gexf.net/1.2draft http://'
             'www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n')


def _escaped(values) -> pd.Series:
    """Text safe in XML, as element content or a quoted attribute: characters XML cannot hold
    dropped, & < > " as entities."""
    text = pd.Series(values).astype("string").fillna("").str.replace(
        _XML_ILLEGAL.pattern, "", regex=True)
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;")):
        text = text.str.replace(char, entity, regex=False)
    return text.reset_index(drop=True)


def _text(parts: list) -> bytes:
    """Row-wise concatenation of Series and strings, as UTF-8."""
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return "".join(total.tolist()).encode("utf-8")


def _chunks(frame: pd.DataFrame):
    for start in range(0, len(frame), CHUNK):
        yield frame.iloc[start:start + CHUNK]


def _attribute_types(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    """Each node attribute (first seen first) and its type: `long` for a year whose every
    value is a whole number, else `string`."""
    types: dict[str, str] = {}
    for table in tables.values():
        for name in table.columns[1:]:
            whole = name in INTEGER_ATTRS and bool(table[name].str.fullmatch(r"\d*").all())
            types[name] = "long" if whole and types.get(name, "long") == "long" else "string"
    return types


def _shown(table: pd.DataFrame, name: str, types: dict[str, str]) -> np.ndarray:
    """Whether each node carries the attribute: an empty whole-number attribute is left out."""
    return (table[name] != "").to_numpy() | (types[name] != "long")


def _edge_chunks(kb: KB):
    """(source ids, target ids, relations, first edge number) per chunk of the edge arrays."""
    from kb.catalog import edges as edge_arrays

    edges = edge_arrays(kb)
    for start in range(0, len(edges.source), CHUNK):
        stop = start + CHUNK
        yield (edges.nodes.take(edges.source[start:stop]),
               edges.nodes.take(edges.target[start:stop]), edges.relation[start:stop], start)


def stream_graphml(kb: KB, handle) -> None:
    """The whole KB's graph as GraphML into a binary handle, the same nodes, edges and
    attributes as `graphml(build_graph(kb))`."""
    from kb.graph import CITO, GRAPH_ATTRS, node_tables

    tables = node_tables(kb)
    types = _attribute_types(tables)
    keys = {("graph", n): f"d{i}" for i, n in enumerate(GRAPH_ATTRS)}
    keys |= {("node", n): f"d{i + len(keys)}" for i, n in enumerate(types)}
    keys |= {("edge", n): f"d{i + len(keys)}" for i, n in enumerate(("relation", "cito"))}
    head = [GRAPHML_HEAD]
    head += [f'<key id="{k}" for="{scope}" attr.name="{name}" attr.type='
             f'"{types.get(name, "string") if scope == "node" else "string"}"/>\n'
             for (scope, name), k in keys.items()]
    head.append('<graph edgedefault="directed">')
    head += [f'<data key="{keys["graph", n]}">{_escaped([v])[0]}</data>\n'
             for n, v in GRAPH_ATTRS.items()]
    handle.write("".join(head).encode("utf-8"))
    for table in tables.values():
        for part in _chunks(table):
            cells = ['<node id="' + _escaped(part["id"]) + '">\n']
            for name in part.columns[1:]:
                cell = f'  <data key="{keys["node", name]}">' + _escaped(part[name]) + "</data>\n"
                cells.append(cell.where(_shown(part, name, types), ""))
            handle.write(_text([*cells, "</node>\n"]))
    for source, target, relation, _ in _edge_chunks(kb):
        relations = pd.Series(relation, dtype=object)
        handle.write(_text([
            '<edge source="' + _escaped(source), '" target="' + _escaped(target),
            f'">\n  <data key="{keys["edge", "relation"]}">' + _escaped(relations),
            f'</data>\n  <data key="{keys["edge", "cito"]}">' + _escaped(relations.map(CITO)),
            "</data>\n</edge>\n"]))
    handle.write(b"</graph></graphml>\n")


def stream_gexf(kb: KB, handle) -> None:
    """The whole KB's graph as GEXF into a binary handle, the same nodes, edges, attributes and
    viz colours and sizes as `gexf(build_graph(kb))`; every edge has its own id."""
    from kb.graph import CITO, GRAPH_ATTRS, node_tables

    tables = node_tables(kb)
    types = {GEXF_RENAMED.get(n, n): t for n, t in _attribute_types(tables).items()
             if n != "label"}
    ids = {name: str(i) for i, name in enumerate(types)}
    edge_ids = {name: str(i + len(ids)) for i, name in enumerate(("relation", "cito"))}
    head = [GEXF_HEAD, f'  <graph defaultedgetype="directed" mode="static" '
                       f'name="{_escaped([GRAPH_ATTRS["name"]])[0]}">\n',
            '    <attributes mode="static" class="edge">\n']
    head += [f'      <attribute id="{i}" title="{n}" type="string" />\n'
             for n, i in edge_ids.items()]
    head.append('    </attributes>\n    <attributes mode="static" class="node">\n')
    head += [f'      <attribute id="{ids[n]}" title="{n}" type="{t}" />\n'
             for n, t in types.items()]
    head.append("    </attributes>\n    <nodes>\n")
    handle.write("".join(head).encode("utf-8"))
    for kind, table in tables.items():
        (r, g, b), size = GEXF_VIZ.get(kind, GEXF_OTHER)
        viz = (f'        <viz:color r="{r}" g="{g}" b="{b}" a="1.0" />\n'
               f'        <viz:size value="{size}" />\n        <attvalues>\n')
        for part in _chunks(table.rename(columns=GEXF_RENAMED)):
            cells = ['      <node id="' + _escaped(part["id"]), '" label="'
                     + _escaped(part["label"]) + '">\n' + viz]
            for name in part.columns.drop(["id", "label"]):
                cell = f'          <attvalue for="{ids[name]}" value="' + _escaped(
                    part[name]) + '" />\n'
                cells.append(cell.where(_shown(part, name, types), ""))
            handle.write(_text([*cells, "        </attvalues>\n      </node>\n"]))
    handle.write(b"    </nodes>\n    <edges>\n")
    for source, target, relation, first in _edge_chunks(kb):
        relations = pd.Series(relation, dtype=object)
        numbers = pd.Series(range(first, first + len(relations))).astype(str)
        handle.write(_text([
            '      <edge source="' + _escaped(source), '" target="' + _escaped(target),
            '" id="' + numbers, f'">\n        <attvalues>\n          <attvalue for='
            f'"{edge_ids["relation"]}" value="' + _escaped(relations),
            f'" />\n          <attvalue for="{edge_ids["cito"]}" value="'
            + _escaped(relations.map(CITO)),
            '" />\n        </attvalues>\n      </edge>\n']))
    handle.write(b"    </edges>\n  </graph>\n</gexf>\n")
