"""The citation graph as arrays: a node table and an edge table of integer codes; the edges
at a few nodes are found in one vectorised pass over an end array, never by building the
whole graph.

`edge_parts` is the one home of the graph's edges: `edge_table` spells them as node ids
(kb.graph builds the networkx graph from it), `build_edges` as integer codes, looked up in
each kind's key column by Arrow's hash kernel, with no id string per edge. `Edges` holds
those arrays (kb.graphio streams GraphML and GEXF from them) and answers which nodes are one
edge out of, or into, a set of node codes. Each edge keeps the `row` of the table row it was
made from (the claim-finding link of `supports`), so a walk can read that row's other
columns (`via`) without scanning the table.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from kb.columns import arrow, positions
from kb.grading import split_list
from kb.model import KB

PREFIX = {"article": "article", "claim": "claim", "reference": "ref", "finding": "finding",
          "condition": "condition"}


def node_id(kind: str, key: str) -> str:
    return f"{PREFIX[kind]}:{key}"


def _ids(kind: str, keys: pd.Series) -> pd.Series:
    return PREFIX[kind] + ":" + keys.astype("string").reset_index(drop=True)


@dataclass(frozen=True)
class Part:
    """The edges of one relation from one kind of node to another: the keys at each end and
    the position of each edge's row in the table it comes from. `source` is None when that
    table is the source kind's own (a claim's citations): the row is then the source node."""

    source_kind: str
    source: pd.Series | None
    target_kind: str
    target: pd.Series
    relation: str
    row: np.ndarray


def _part(src_kind: str, src: pd.Series, dst_kind: str, dst: pd.Series, relation: str
          ) -> Part:
    """Edges from src to dst; `row` is the position of each pair in its table."""
    return Part(src_kind, src, dst_kind, dst, relation, np.asarray(src.index, dtype="int64"))


def _own(src_kind: str, dst_kind: str, dst: pd.Series, relation: str) -> Part:
    """Edges from rows of the source kind's own table (dst's index) to dst."""
    return Part(src_kind, None, dst_kind, dst, relation, np.asarray(dst.index, dtype="int64"))


def _positions(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.reset_index(drop=True)


def edge_parts(kb: KB) -> list[Part]:
    """Every edge of the citation graph, part by part in the graph's order: the one home of
    which edges the graph has (edge_table spells them as node ids, build_edges as codes)."""
    c, f = _positions(kb.claims), _positions(kb.findings)
    sr, links, cf = (_positions(t) for t in (kb.source_references, kb.reference_links,
                                              kb.claim_findings))
    parts = [_part("article", sr["source_id"], "reference", sr["reference_id"], "cites"),
             _own("claim", "article", c["source_id"], "stated in"),
             _own("claim", "reference", split_list(c["reference_ids"], "reference_id")[
                 "reference_id"], "cites as evidence")]
    for relation, group in links.groupby("relation"):
        parts.append(_part("reference", group["from_id"], "reference", group["to_id"],
                           str(relation)))
    graded = f["reference_id"][f["reference_id"] != ""]
    parts.append(_own("finding", "reference", graded, "reported by"))
    for relation, group in cf.groupby("relation"):
        parts.append(_part("claim", group["claim_id"], "finding", group["finding_id"],
                           str(relation)))
    parts.append(_own("claim", "condition", split_list(c["condition_ids"], "condition_id")[
        "condition_id"], "about"))
    on = f["condition_id"][f["condition_id"] != ""]
    parts.append(_own("finding", "condition", on, "about"))
    return parts


def edge_table(kb: KB) -> pd.DataFrame:
    """(source, target, relation, row): every edge of the citation graph as node ids, in the
    graph's order; `row` is the row of the table the edge comes from (a claim's row for its
    citations)."""
    keys = _keys(kb)
    return pd.concat([pd.DataFrame({
        "source": _ids(p.source_kind, keys[p.source_kind].iloc[p.row] if p.source is None
                       else p.source),
        "target": _ids(p.target_kind, p.target), "relation": p.relation, "row": p.row})
        for p in edge_parts(kb)], ignore_index=True).astype({"relation": "string"})


BIG = 1 << 20  # edges from which a build hands what it freed back to the system at once
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
    """The citation graph of a KB as edge arrays: the ends' codes found by Arrow's hash
    lookup in each kind's key column, one lookup per kind (no node-id strings per edge);
    edges to a key that is no node are dropped."""
    edges = _edges(kb)
    if len(edges.source) >= BIG:
        pa.default_memory_pool().release_unused()  # what the lookups freed, at once
    return edges


def _edges(kb: KB) -> Edges:
    """build_edges's work, whose locals are freed before it hands memory back."""
    keys, first, parts = _keys(kb), offsets(kb), edge_parts(kb)
    rows = np.concatenate([p.row for p in parts])
    code = _code_type(max(sum(map(len, keys.values())), int(rows.max(initial=0)) + 1))
    names = sorted({p.relation for p in parts if len(p.row)})
    relation = np.concatenate([np.full(len(p.row), names.index(p.relation) if len(p.row) else 0,
                                       dtype=np.int8) for p in parts])
    ends = _codes(keys, first, [(p.source_kind, p.row if p.source is None else p.source)
                                for p in parts] + [(p.target_kind, p.target) for p in parts],
                  code)
    source, target = np.concatenate(ends[:len(parts)]), np.concatenate(ends[len(parts):])
    known = (source >= 0) & (target >= 0)
    return Edges(node_ids(kb), source[known], target[known],
                 pd.Categorical.from_codes(relation[known], categories=names),
                 rows[known].astype(code), first)


def _codes(keys: dict[str, pd.Series], first: dict[str, int],
           ends: list[tuple[str, pd.Series | np.ndarray]], code: type[np.signedinteger]
           ) -> list[np.ndarray]:
    """The node codes of each end, a (kind, keys) or (kind, rows of the kind's own table):
    -1 where a key is no node of its kind. The keys of a kind are looked up together, so
    each kind's hash table is built once."""
    out = [(rows + first[kind]).astype(code) if isinstance(rows, np.ndarray)
           else np.empty(0, dtype=code) for kind, rows in ends]
    for kind in ORDER:
        mine = [i for i, (k, v) in enumerate(ends) if k == kind and isinstance(v, pd.Series)]
        if not mine:
            continue
        values = [pa.chunked_array(arrow(ends[i][1])).cast(pa.string()) for i in mine]
        every = pa.chunked_array([c for v in values for c in v.chunks], pa.string())
        at = positions(every, keys[kind]).astype(code)
        at[at >= 0] += code(first[kind])
        for i, codes in zip(mine, np.split(at, np.cumsum([len(v) for v in values])[:-1]),
                            strict=True):
            out[i] = codes
    return out


def _code_type(count: int) -> type[np.signedinteger]:
    """int32 for node codes and rows while they fit (half the memory and snapshot bytes)."""
    return np.int32 if count < np.iinfo(np.int32).max else np.int64
