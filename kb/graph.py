"""The citation graph: articles, claims, references, findings and conditions in one networkx graph.

Node ids are prefixed by kind (`claim:fa-012`, `ref:gattie2017`) so kinds never collide.
Edges carry `relation` (our name) and `cito` (the CiTO term, read source -> target); the graph's
`cito` attribute declares the CiTO namespace.
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

from kb.grading import split_list
from kb.model import KB

KINDS = ("article", "claim", "reference", "finding", "condition")
PREFIX = {"article": "article", "claim": "claim", "reference": "ref", "finding": "finding",
          "condition": "condition"}
# The CiTO term of every edge relation, read in the edge's direction (source -> target).
CITO = {
    "cites": "cito:citesForInformation",
    "cites as evidence": "cito:citesAsEvidence",
    "restates": "cito:citesAsSourceDocument",
    "stated in": "cito:citesAsSourceDocument",
    "reported by": "cito:citesAsDataSource",
    # the claim (citing) obtains support from the finding (cited); cito:supports would say the
    # claim supports the finding, the wrong way round
    "supports": "cito:obtainsSupportFrom",
    "contradicts": "cito:disagreesWith",
    "about": "cito:discusses",
}
CITO_NAMESPACE = "http://purl.org/spar/cito/"


def node_id(kind: str, key: str) -> str:
    return f"{PREFIX[kind]}:{key}"


def _nodes(graph: nx.MultiDiGraph, kind: str, ids: pd.Series, labels: pd.Series,
           **attrs: pd.Series) -> None:
    columns = {name: values.fillna("").astype(str).tolist() for name, values in attrs.items()}
    for i, (key, label) in enumerate(zip(ids.tolist(), labels.fillna("").tolist(), strict=True)):
        extra = {name: values[i] for name, values in columns.items()}
        graph.add_node(node_id(kind, key), kind=kind, key=key, label=label, **extra)


def _edges(graph: nx.MultiDiGraph, src_kind: str, src: pd.Series, dst_kind: str,
           dst: pd.Series, relation: str) -> None:
    cito = CITO[relation]
    graph.add_edges_from(
        (node_id(src_kind, a), node_id(dst_kind, b), {"relation": relation, "cito": cito})
        for a, b in zip(src.tolist(), dst.tolist(), strict=True)
    )


def _claim_references(kb: KB) -> pd.DataFrame:
    refs = split_list(kb.claims["reference_ids"], "reference_id")
    refs["claim_id"] = kb.claims.loc[refs.index, "claim_id"]
    refs["scope"] = kb.claims.loc[refs.index, "citation_scope"]
    return refs


def build_graph(kb: KB) -> nx.MultiDiGraph:
    """The whole KB as a directed multigraph: articles, claims, references, findings and
    conditions, with the edges listed in the README's graph section."""
    g = nx.MultiDiGraph(name="Dry Needling Evidence KB citation graph", cito=CITO_NAMESPACE,
                        edge_vocabulary="cito: " + CITO_NAMESPACE)
    s, r, c, f, d = kb.sources, kb.references, kb.claims, kb.findings, kb.conditions
    _nodes(g, "article", s["source_id"], s["title"], publisher=s["publisher"])
    _nodes(g, "reference", r["reference_id"], r["title"].where(r["title"] != "", r["reference_id"]),
           evidencetype=r["evidencetype"], year=r["year"])
    _nodes(g, "claim", c["claim_id"], c["statement"], topic=c["topic"], certainty=c["certainty"],
           certainty_basis=c["certainty_basis"], source_id=c["source_id"])
    _nodes(g, "finding", f["finding_id"], f["outcome_detail"], certainty=f["certainty"],
           certainty_basis=f["certainty_basis"],
           time_window=f["time_window"], outcome=f["outcome"], comparator=f["comparator"])
    _nodes(g, "condition", d["condition_id"], d["label"], body_region=d["body_region"])
    sr = kb.source_references
    _edges(g, "article", sr["source_id"], "reference", sr["reference_id"], "cites")
    _edges(g, "claim", c["claim_id"], "article", c["source_id"], "stated in")
    refs = _claim_references(kb)
    _edges(g, "claim", refs["claim_id"], "reference", refs["reference_id"], "cites as evidence")
    links = kb.reference_links
    for relation, group in links.groupby("relation"):
        _edges(g, "reference", group["from_id"], "reference", group["to_id"], str(relation))
    graded = f[f["reference_id"] != ""]
    _edges(g, "finding", graded["finding_id"], "reference", graded["reference_id"], "reported by")
    cf = kb.claim_findings
    for relation, group in cf.groupby("relation"):
        _edges(g, "claim", group["claim_id"], "finding", group["finding_id"], str(relation))
    about = split_list(c["condition_ids"], "condition_id")
    _edges(g, "claim", c.loc[about.index, "claim_id"], "condition", about["condition_id"], "about")
    on = f[f["condition_id"] != ""]
    _edges(g, "finding", on["finding_id"], "condition", on["condition_id"], "about")
    return g


def neighbourhood(graph: nx.MultiDiGraph, node: str, radius: int = 1) -> nx.MultiDiGraph:
    """The subgraph within `radius` steps of a node, ignoring edge direction."""
    return nx.ego_graph(graph, node, radius=radius, undirected=True)

