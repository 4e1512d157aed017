"""Graph exports, re-read by networkx's own GraphML, GEXF and node-link readers."""

from __future__ import annotations

import io
import json
from collections import Counter

import networkx as nx
import pytest
from conftest import FIXTURES, synthetic_kb

from kb import graphio
from kb.catalog import graph_export
from kb.catalog import write_graph as export_graph
from kb.graph import build_graph
from kb.load import load


@pytest.fixture(scope="module")
def graph():
    return build_graph(load())


def _edge_bag(g: nx.Graph) -> Counter:
    return Counter((u, v, d["relation"], d["cito"]) for u, v, d in g.edges(data=True))


def _node_attrs(g: nx.Graph, rename: dict[str, str] | None = None) -> dict:
    rename = rename or {}
    return {n: {rename.get(k, k): str(v) for k, v in d.items() if k != "viz" and v != ""}
            for n, d in g.nodes(data=True)}


def test_graphml_reads_back_with_same_nodes_edges_and_attributes(graph):
    back = nx.read_graphml(io.BytesIO(export_graph(graph, "graphml")))
    assert back.is_directed()
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    assert _node_attrs(back) == _node_attrs(graph)
    assert _edge_bag(back) == _edge_bag(graph)
    assert back.nodes["ref:gattie2017"]["kind"] == "reference"


def test_gexf_reads_back_with_same_nodes_edges_and_attributes(graph):
    back = nx.read_gexf(io.BytesIO(export_graph(graph, "gexf")))
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    assert _node_attrs(back) == _node_attrs(graph, {"key": "kb_key"})
    assert _edge_bag(back) == _edge_bag(graph)
    relations = {d["relation"] for _, _, d in back.edges(data=True)}
    assert {"supports", "cites as evidence", "restates"} <= relations
    viz = back.nodes["ref:gattie2017"]["viz"]
    assert viz["size"] > 0 and {"r", "g", "b"} <= viz["color"].keys()
    assert back.nodes["ref:gattie2017"]["viz"] != back.nodes["article:verywell"]["viz"]


def test_node_link_json_reads_back(graph):
    back = nx.node_link_graph(json.loads(export_graph(graph, "json")), edges="edges")
    assert back.is_multigraph() and back.is_directed()
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert _edge_bag(back) == _edge_bag(graph)


def test_none_and_list_attributes_are_made_portable():
    g = nx.MultiDiGraph()
    g.add_node("a", kind="claim", tags=["x", "y"], missing=None, meta={"k": 1})
    g.add_node("b", kind="reference")
    g.add_edge("a", "b", relation="cites", cito="cito:cites", extra=None)
    g.add_edge("a", "b", relation="supports", cito="cito:supports")
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        back = reader(io.BytesIO(export_graph(g, fmt)))
        assert back.nodes["a"]["tags"] == "x;y"
        assert "missing" not in back.nodes["a"]
        assert back.nodes["a"]["meta"] == '{"k": 1}'
        assert back.number_of_edges() == 2, fmt
        assert _edge_bag(back) == _edge_bag(g)


def test_unknown_format_is_refused(graph):
    with pytest.raises(ValueError, match="graph format"):
        export_graph(graph, "dot")


def test_cytoscape_json_is_cytoscape_js_elements(graph):
    data = json.loads(export_graph(graph, "cytoscape"))
    nodes, edges = data["elements"]["nodes"], data["elements"]["edges"]
    assert len(nodes) == graph.number_of_nodes() and len(edges) == graph.number_of_edges()
    ids = {n["data"]["id"] for n in nodes}
    assert all({"source", "target"} <= e["data"].keys() for e in edges)
    assert {e["data"]["source"] for e in edges} | {e["data"]["target"] for e in edges} <= ids
    ref = next(n["data"] for n in nodes if n["data"]["id"] == "ref:gattie2017")
    assert ref["name"].startswith("The Effectiveness of Trigger Point Dry Needling")
    assert dict(data["data"])["cito"] == "http://purl.org/spar/cito/"  # graph attributes
    supports = [e["data"] for e in edges if e["data"]["relation"] == "supports"]
    assert supports and {e["cito"] for e in supports} == {"cito:obtainsSupportFrom"}
    assert all(e["data"]["cito"].startswith("cito:") for e in edges)


def test_d3_json_has_nodes_and_links(graph):
    data = json.loads(export_graph(graph, "d3"))
    assert "links" in data and "edges" not in data
    ids = {n["id"] for n in data["nodes"]}
    assert len(data["links"]) == graph.number_of_edges()
    assert all(link["source"] in ids and link["target"] in ids for link in data["links"])
    assert all(link["cito"].startswith("cito:") for link in data["links"])
    assert data["graph"]["cito"] == "http://purl.org/spar/cito/"


def test_graphml_declares_the_cito_namespace(graph):
    back = nx.read_graphml(io.BytesIO(export_graph(graph, "graphml")))
    assert back.graph["cito"] == "http://purl.org/spar/cito/"


def test_igraph_reads_the_graphml_export(graph, tmp_path):
    """igraph (C GraphML reader, not networkx) finds every node with its kind and label, and
    every edge with its relation and CiTO term between the same endpoints."""
    igraph = pytest.importorskip("igraph", reason="igraph not installed (dev extra)")
    path = tmp_path / "kb.graphml"
    path.write_bytes(export_graph(graph, "graphml"))
    read = igraph.Graph.Read_GraphML(str(path))
    assert read.is_directed()
    assert (read.vcount(), read.ecount()) == (graph.number_of_nodes(), graph.number_of_edges())
    ids = read.vs["id"]
    assert sorted(ids) == sorted(graph.nodes)
    kinds = dict(zip(ids, read.vs["kind"], strict=True))
    assert kinds == {n: d["kind"] for n, d in graph.nodes(data=True)}
    labels = dict(zip(ids, read.vs["label"], strict=True))
    assert labels["ref:gattie2017"] == graph.nodes["ref:gattie2017"]["label"]
    edges = Counter((ids[e.source], ids[e.target], e["relation"], e["cito"]) for e in read.es)
    assert edges == _edge_bag(graph)
    assert not [e for e in read.es if not e["cito"].startswith("cito:")]


def test_gexf_and_graphml_types_read_with_elementtree(graph):
    """Read as plain XML (not by networkx): the year is declared an integer in both, GEXF
    carries no stray `networkx_key` edge attribute, and every GEXF node has a viz colour."""
    import xml.etree.ElementTree as ET

    gexf = ET.fromstring(export_graph(graph, "gexf"))
    ns = {"g": "http://www.gexf.net/1.2draft", "viz": "http://www.gexf.net/1.2draft/viz"}
    declared = {a.get("title"): a.get("type") for a in gexf.iterfind(".//g:attribute", ns)}
    assert declared["year"] in ("long", "integer")
    assert "networkx_key" not in declared
    nodes = gexf.findall(".//g:node", ns)
    assert len(nodes) == graph.number_of_nodes()
    assert all(n.find("viz:color", ns) is not None for n in nodes)
    graphml = ET.fromstring(export_graph(graph, "graphml"))
    keys = [k for k in graphml.iter("{http://graphml.graphdrawing.org/xmlns}key")
            if k.get("attr.name") == "year"]
    assert [k.get("attr.type") for k in keys] == ["long"]


def _streamed(kb, fmt: str) -> bytes:
    buffer = io.BytesIO()
    graph_export(kb, fmt)(buffer)
    return buffer.getvalue()


def _read_both(kb, fmt: str):
    reader = nx.read_graphml if fmt == "graphml" else nx.read_gexf
    return (reader(io.BytesIO(export_graph(build_graph(kb), fmt))),
            reader(io.BytesIO(_streamed(kb, fmt))))


def _same_graph(built: nx.Graph, streamed: nx.Graph) -> None:
    assert list(streamed.nodes(data=True)) == list(built.nodes(data=True))
    assert _edge_bag(streamed) == _edge_bag(built)
    assert streamed.graph == built.graph
    assert streamed.is_multigraph() == built.is_multigraph()


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_streamed_export_equals_the_networkx_export(fmt):
    """`kb export graph` streams GraphML and GEXF from the node tables and edge arrays; read
    back, the graph is the one networkx writes from the whole graph."""
    _same_graph(*_read_both(load(), fmt))


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_streamed_export_equals_the_networkx_export_on_a_synthetic_kb(fmt, tmp_path,
                                                                      monkeypatch):
    kb = synthetic_kb(tmp_path / "synth", 1500, seed=11)
    monkeypatch.setattr(graphio, "CHUNK", 1000)  # several chunks per kind and for the edges
    _same_graph(*_read_both(kb, fmt))


def test_streamed_export_keeps_markup_as_text():
    kb = load(FIXTURES / "hostile")
    back = nx.read_graphml(io.BytesIO(_streamed(kb, "graphml")))
    assert back.nodes["condition:back-pain"]["label"] == "<b onmouseover=alert(6)>Back pain</b>"
    assert nx.read_gexf(io.BytesIO(_streamed(kb, "gexf"))).number_of_nodes() == (
        back.number_of_nodes())


def test_igraph_reads_the_streamed_graphml(tmp_path):
    igraph = pytest.importorskip("igraph", reason="igraph not installed (dev extra)")
    kb = load()
    path = tmp_path / "kb.graphml"
    path.write_bytes(_streamed(kb, "graphml"))
    read = igraph.Graph.Read_GraphML(str(path))
    graph = build_graph(kb)
    assert (read.vcount(), read.ecount()) == (graph.number_of_nodes(), graph.number_of_edges())
    ids = read.vs["id"]
    assert dict(zip(ids, read.vs["kind"], strict=True)) == dict(graph.nodes(data="kind"))
    edges = Counter((ids[e.source], ids[e.target], e["relation"], e["cito"]) for e in read.es)
    assert edges == _edge_bag(graph)
