"""The citation graph: articles, claims, references, findings and conditions in one networkx graph.

Node ids are prefixed by kind (`claim:fa-012`, `ref:gattie2017`) so kinds never collide.
Edges carry `relation` (our name) and `cito` (the CiTO term, read source -> target); the graph's
`cito` attribute declares the CiTO namespace.
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

from kb.citations import article_name, reference_name, short_citation
from kb.edges import PREFIX, edge_table
from kb.model import KB
from kb.vocab import COMPARATOR_LABEL, TIME_WINDOW_LABEL

KINDS = ("article", "claim", "reference", "finding", "condition")
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


def _table(kind: str, ids: pd.Series, labels: pd.Series, **attrs: pd.Series) -> pd.DataFrame:
    """One kind's nodes: `id`, then the attributes every node of the kind carries, as text."""
    columns = {"kind": kind, "key": ids.astype(str), "label": labels.fillna("").astype(str)}
    columns |= {name: values.fillna("").astype(str) for name, values in attrs.items()}
    frame = pd.DataFrame(columns).reset_index(drop=True)
    frame.insert(0, "id", PREFIX[kind] + ":" + frame["key"])
    return frame


def node_tables(kb: KB) -> dict[str, pd.DataFrame]:
    """Every node of the graph with its attributes, kind by kind in kb.edges.ORDER (the one home
    of node attributes: build_graph and the streamed GraphML and GEXF writers read it)."""
    s, r, c, f, d = kb.sources, kb.references, kb.claims, kb.findings, kb.conditions
    return {
        "article": _table("article", s["source_id"], s["title"], publisher=s["publisher"]),
        "reference": _table("reference", r["reference_id"],
                            r["title"].where(r["title"] != "", r["reference_id"]),
                            evidencetype=r["evidencetype"], year=r["year"]),
        "claim": _table("claim", c["claim_id"], c["statement"], topic=c["topic"],
                        certainty=c["certainty"], certainty_basis=c["certainty_basis"],
                        source_id=c["source_id"]),
        "finding": _table("finding", f["finding_id"], finding_labels(kb),
                          certainty=f["certainty"], certainty_basis=f["certainty_basis"],
                          time_window=f["time_window"], outcome=f["outcome"],
                          comparator=f["comparator"]),
        "condition": _table("condition", d["condition_id"], d["label"],
                            body_region=d["body_region"]),
    }


GRAPH_ATTRS = {"name": "Dry Needling Evidence KB citation graph", "cito": CITO_NAMESPACE,
               "edge_vocabulary": "cito: " + CITO_NAMESPACE}


def finding_labels(kb: KB) -> pd.Series:
    """'Gattie 2017: pain vs sham and active treatments pooled, short term' per finding, so a
    finding reads apart from the other findings on the same outcome."""
    f = kb.findings
    review = f["reference_id"].map(short_citation(kb.references)).fillna(f["reference_id"])
    comparator = f["comparator"].map(COMPARATOR_LABEL).fillna(f["comparator"])
    window = f["time_window"].map(TIME_WINDOW_LABEL).fillna(f["time_window"])
    return review + ": " + f["outcome_detail"] + " vs " + comparator + ", " + window


def build_graph(kb: KB) -> nx.MultiDiGraph:
    """The whole KB as a directed multigraph: articles, claims, references, findings and
    conditions, with the edges listed in the README's graph section."""
    g = nx.MultiDiGraph(**GRAPH_ATTRS)
    for table in node_tables(kb).values():
        ids = table.pop("id").tolist()
        g.add_nodes_from(zip(ids, table.to_dict("records"), strict=True))
    edges = edge_table(kb)
    g.add_edges_from(
        (a, b, {"relation": relation, "cito": CITO[relation]})
        for a, b, relation in zip(edges["source"].tolist(), edges["target"].tolist(),
                                  edges["relation"].tolist(), strict=True))
    return g


def neighbourhood(graph: nx.MultiDiGraph, node: str, radius: int = 1) -> nx.MultiDiGraph:
    """The subgraph within `radius` steps of a node, ignoring edge direction."""
    return nx.ego_graph(graph, node, radius=radius, undirected=True)



def node_names(kb: KB) -> pd.Series:
    """A short name per node id, for a picker and a plot's labels: the condition's label, the
    article's publisher (or author), the reference by author and year ('Liu 2018'; a page without an
    author by its publisher and title), the finding's label, the claim's statement (cut at 80
    characters)."""
    s, c, d = kb.sources, kb.claims, kb.conditions
    cut = c["statement"].where(c["statement"].str.len() <= 80,
                               c["statement"].str.slice(0, 79).str.rstrip() + "…")
    cites = reference_name(kb.references)
    parts = [("condition", d["condition_id"], d["label"]),
             ("article", s["source_id"], s["source_id"].map(article_name(s))),
             ("reference", kb.references["reference_id"], kb.references["reference_id"].map(cites)),
             ("claim", c["claim_id"], cut), ("finding", kb.findings["finding_id"],
                                             finding_labels(kb))]
    return pd.concat([pd.Series(names.to_numpy(), index=(PREFIX[kind] + ":" + keys).to_numpy())
                      for kind, keys, names in parts])
