"""The citation graph as arrays: a node table and an edge table of integer codes; the edges
at a few nodes are found in one vectorised pass over an end array, never by building the
whole graph.

`edge_table` is the one home of the graph's edges (kb.graph builds the networkx graph from it);
`Edges` holds them as integer arrays (kb.graphio streams GraphML and GEXF from these) and
answers which nodes are one edge out of, or into, a set of node codes. Each edge keeps the
`row` of the table row it was made from (the claim-finding link of `supports`), so a walk can
read that row's other columns (`via`) without scanning the table.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    """Edges from src to dst; `row` is the position of each pair in its table."""
    return pd.DataFrame({"source": _ids(src_kind, src), "target": _ids(dst_kind, dst),
                         "relation": relation, "row": np.asarray(src.index, dtype="int64")})


def _positions(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.reset_index(drop=True)


def edge_table(kb: KB) -> pd.DataFrame:
    """(source, target, relation, row): every edge of the citation graph, in the graph's order;
    `row` is the row of the table the edge comes from (a claim's row for its citations)."""
    c, f = _positions(kb.claims), _positions(kb.findings)
    sr, links, cf = (_positions(t) for t in (kb.source_references, kb.reference_links,
                                              kb.claim_findings))
    parts = [_part("article", sr["source_id"], "reference", sr["reference_id"], "cites"),
             _part("claim", c["claim_id"], "article", c["source_id"], "stated in")]
    refs = split_list(c["reference_ids"], "reference_id")
    parts.append(_part("claim", c.loc[refs.index, "claim_id"], "reference",
                       refs["reference_id"], "cites as evidence"))
    for relation, group in links.groupby("relation"):
        parts.append(_part("reference", group["from_id"], "reference", group["to_id"],
                           str(relation)))
    graded = f[f["reference_id"] != ""]
    parts.append(_part("finding", graded["finding_id"], "reference", graded["reference_id"],
                       "reported by"))
    for relation, group in cf.groupby("relation"):
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
    """The graph as integer arrays: `nodes` (id per code), `source`/`target` codes, `relation`
    (a Categorical: a few names, one small code per edge) and `row` per edge (int32 while they
    fit), `offsets` (first code per kind)."""

    nodes: pd.Index
    source: np.ndarray
    target: np.ndarray
    relation: pd.Categorical
    row: np.ndarray
    offsets: dict[str, int]

    def _ending_in(self, ends: np.ndarray, codes: np.ndarray) -> np.ndarray:
        """Numbers, in edge order, of the edges whose end in `ends` is one of `codes`: one
        pass through a table of the node codes. At 1M claims a pass costs about 7 ms, where
        sorting the ends once into an adjacency costs 170-500 ms, and a command asks a few
        such questions."""
        hit = np.zeros(len(self.nodes), dtype=bool)
        hit[np.asarray(codes, dtype="int64")] = True
        return np.flatnonzero(hit[ends])

    def code(self, node: str) -> int:
        """The code of a node id (a vectorised comparison: no hash index of every node)."""
        found = np.flatnonzero(np.asarray(self.nodes == node))
        if not len(found):
            raise KeyError(f"unknown node: {node!r}")
        return int(found[0])

    def of_kind(self, kind: str, codes: np.ndarray) -> np.ndarray:
        """Which of `codes` are nodes of a kind (a boolean mask)."""
        later = [self.offsets[k] for k in ORDER[ORDER.index(kind) + 1:]]
        end = later[0] if later else len(self.nodes)
        codes = np.asarray(codes, dtype="int64")
        return (codes >= self.offsets[kind]) & (codes < end)

    def rows(self, kind: str, codes: np.ndarray) -> np.ndarray:
        """Rows, in the kind's own table, of the codes of that kind (others dropped), sorted,
        once each."""
        codes = np.asarray(codes, dtype="int64")
        return np.unique(codes[self.of_kind(kind, codes)] - self.offsets[kind])

    def edges_out(self, codes: np.ndarray) -> np.ndarray:
        """Edge numbers of the edges out of any of `codes`, in edge order."""
        return self._ending_in(self.source, codes)

    def out_of(self, codes: np.ndarray) -> np.ndarray:
        """Codes of the nodes an edge from any of `codes` points to, sorted, once each."""
        return np.unique(self.target[self.edges_out(codes)])

    def into(self, codes: np.ndarray) -> np.ndarray:
        """Codes of the nodes with an edge into any of `codes`, sorted, once each."""
        return np.unique(self.source[self._ending_in(self.target, codes)])


def build_edges(kb: KB) -> Edges:
    """The citation graph of a KB as edge arrays."""
    nodes, edges = node_ids(kb), edge_table(kb)
    source = nodes.get_indexer(edges["source"])
    target = nodes.get_indexer(edges["target"])
    known = (source >= 0) & (target >= 0)
    row = edges["row"].to_numpy(dtype="int64")[known]
    code = _code_type(max(len(nodes), int(row.max(initial=0)) + 1))
    return Edges(nodes, source[known].astype(code), target[known].astype(code),
                 pd.Categorical(edges["relation"].astype("str"))[known], row.astype(code),
                 offsets(kb))


def _code_type(count: int) -> type[np.signedinteger]:
    """int32 for node codes and rows while they fit (half the memory and snapshot bytes)."""
    return np.int32 if count < np.iinfo(np.int32).max else np.int64
