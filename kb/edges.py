"""The citation graph as arrays: a node table and an edge table of integer codes, with sparse
adjacency, so one node's neighbourhood costs what the neighbourhood costs, never the whole graph.

`edge_table` is the one home of the graph's edges (kb.graph builds the networkx graph from it);
`Edges` holds them as integer arrays (scipy.sparse CSR both ways) and answers successors,
predecessors and neighbourhoods by node id (`claim:fa-012`, `ref:gattie2017`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from kb.grading import split_list
from kb.model import KB

PREFIX = {"article": "article", "claim": "claim", "reference": "ref", "finding": "finding",
          "condition": "condition"}


def node_id(kind: str, key: str) -> str:
    return f"{PREFIX[kind]}:{key}"


def _ids(kind: str, keys: pd.Series) -> pd.Series:
    return PREFIX[kind] + ":" + keys.astype("string").reset_index(drop=True)


def _part(src_kind: str, src: pd.Series, dst_kind: str, dst: pd.Series, relation: str
          ) -> pd.DataFrame:
    return pd.DataFrame({"source": _ids(src_kind, src), "target": _ids(dst_kind, dst),
                         "relation": relation})


def edge_table(kb: KB) -> pd.DataFrame:
    """(source, target, relation): every edge of the citation graph, in the graph's order."""
    c, f = kb.claims, kb.findings
    sr = kb.source_references
    parts = [_part("article", sr["source_id"], "reference", sr["reference_id"], "cites"),
             _part("claim", c["claim_id"], "article", c["source_id"], "stated in")]
    refs = split_list(c["reference_ids"], "reference_id")
    parts.append(_part("claim", c.loc[refs.index, "claim_id"], "reference",
                       refs["reference_id"], "cites as evidence"))
    for relation, group in kb.reference_links.groupby("relation"):
        parts.append(_part("reference", group["from_id"], "reference", group["to_id"],
                           str(relation)))
    graded = f[f["reference_id"] != ""]
    parts.append(_part("finding", graded["finding_id"], "reference", graded["reference_id"],
                       "reported by"))
    for relation, group in kb.claim_findings.groupby("relation"):
        parts.append(_part("claim", group["claim_id"], "finding", group["finding_id"],
                           str(relation)))
    about = split_list(c["condition_ids"], "condition_id")
    parts.append(_part("claim", c.loc[about.index, "claim_id"], "condition",
                       about["condition_id"], "about"))
    on = f[f["condition_id"] != ""]
    parts.append(_part("finding", on["finding_id"], "condition", on["condition_id"], "about"))
    return pd.concat(parts, ignore_index=True).astype({"relation": "string"})


ORDER = ("article", "reference", "claim", "finding", "condition")  # node codes, kind by kind


def _keys(kb: KB) -> dict[str, pd.Series]:
    return {"article": kb.sources["source_id"], "reference": kb.references["reference_id"],
            "claim": kb.claims["claim_id"], "finding": kb.findings["finding_id"],
            "condition": kb.conditions["condition_id"]}


def node_ids(kb: KB) -> pd.Index:
    """Every node id, kind by kind in ORDER, each kind in its table's row order."""
    return pd.Index(pd.concat([_ids(kind, keys) for kind, keys in _keys(kb).items()],
                              ignore_index=True))


def offsets(kb: KB) -> dict[str, int]:
    """The first node code of each kind: code - offsets[kind] is the row in its table."""
    sizes = [len(keys) for keys in _keys(kb).values()]
    return dict(zip(ORDER, np.concatenate([[0], np.cumsum(sizes)[:-1]]).tolist(), strict=True))


@dataclass(frozen=True)
class Edges:
    """The graph as integer arrays: `nodes` (id per code), `source`/`target` codes and
    `relation` per edge; CSR adjacency out (`forward`) and in (`backward`) built when first
    asked for (scipy is imported only then)."""

    nodes: pd.Index
    source: np.ndarray
    target: np.ndarray
    relation: np.ndarray
    offsets: dict[str, int]

    def _csr(self, rows: np.ndarray, columns: np.ndarray):
        from scipy.sparse import csr_matrix

        n = len(self.nodes)
        return csr_matrix((np.ones(len(rows), dtype="int8"), (rows, columns)), shape=(n, n))

    @cached_property
    def forward(self):
        return self._csr(self.source, self.target)

    @cached_property
    def backward(self):
        return self._csr(self.target, self.source)

    def code(self, node: str) -> int:
        found = self.nodes.get_indexer([node])[0]
        if found < 0:
            raise KeyError(f"unknown node: {node!r}")
        return int(found)

    @staticmethod
    def _step(matrix, codes: np.ndarray) -> np.ndarray:
        """Codes one edge away from any of `codes` along a CSR matrix."""
        return np.unique(matrix[codes].indices)

    def rows(self, kind: str, codes: np.ndarray) -> np.ndarray:
        """Rows, in the kind's own table, of the codes of that kind (others dropped)."""
        later = [self.offsets[k] for k in ORDER[ORDER.index(kind) + 1:]]
        end = later[0] if later else len(self.nodes)
        codes = np.asarray(codes, dtype="int64")
        codes = codes[(codes >= self.offsets[kind]) & (codes < end)]
        return np.sort(codes - self.offsets[kind])

    def into(self, codes: np.ndarray) -> np.ndarray:
        """Codes of the nodes with an edge into any of `codes`."""
        return self._step(self.backward, np.asarray(codes, dtype="int64"))

    def successors(self, node: str) -> list[str]:
        return list(self.nodes[self._step(self.forward, np.array([self.code(node)]))])

    def predecessors(self, node: str) -> list[str]:
        return list(self.nodes[self._step(self.backward, np.array([self.code(node)]))])

    def neighbourhood(self, node: str, radius: int = 1) -> list[str]:
        """Node ids within `radius` steps of a node, ignoring direction (as nx.ego_graph)."""
        seen = frontier = np.array([self.code(node)])
        for _ in range(radius):
            step = np.union1d(self._step(self.forward, frontier),
                              self._step(self.backward, frontier))
            frontier = np.setdiff1d(step, seen)
            if not len(frontier):
                break
            seen = np.union1d(seen, frontier)
        return list(self.nodes[seen])

    def edges_between(self, nodes: list[str]) -> pd.DataFrame:
        """(source, target, relation) of every edge with both ends among `nodes`."""
        codes = self.nodes.get_indexer(nodes)
        inside = np.isin(self.source, codes) & np.isin(self.target, codes)
        return pd.DataFrame({"source": self.nodes[self.source[inside]],
                             "target": self.nodes[self.target[inside]],
                             "relation": self.relation[inside]})


def from_codes(nodes: pd.Index, source: np.ndarray, target: np.ndarray, relation: np.ndarray,
               starts: dict[str, int]) -> Edges:
    """Edge arrays from node codes (a snapshot stores exactly these)."""
    return Edges(nodes, source, target, relation, starts)


def from_tables(nodes: pd.Index, edges: pd.DataFrame, starts: dict[str, int]) -> Edges:
    """Edge arrays from a node index and an edge table of node ids."""
    source = nodes.get_indexer(edges["source"])
    target = nodes.get_indexer(edges["target"])
    known = (source >= 0) & (target >= 0)
    return from_codes(nodes, source[known].astype("int64"), target[known].astype("int64"),
                      edges["relation"].to_numpy(dtype=object)[known], starts)


def build_edges(kb: KB) -> Edges:
    """The citation graph of a KB as edge arrays."""
    return from_tables(node_ids(kb), edge_table(kb), offsets(kb))
