"""The edge arrays answer as the networkx graph does, and impact from them equals impact
computed over the whole KB."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from conftest import synthetic_kb

from kb.edges import build_edges
from kb.graph import build_graph
from kb.impact import reference_impact


@pytest.fixture(scope="module")
def both(kb):
    return build_edges(kb), build_graph(kb)


def test_same_nodes_and_edges_as_networkx(both):
    edges, graph = both
    assert set(edges.nodes) == set(graph.nodes)
    ours = Counter(zip(edges.nodes[edges.source], edges.nodes[edges.target], edges.relation,
                       strict=True))
    theirs = Counter((a, b, d["relation"]) for a, b, d in graph.edges(data=True))
    assert ours == theirs


def test_one_step_out_and_in_equals_networkx(both):
    edges, graph = both
    for node in graph.nodes:
        code = edges.code(node)
        assert set(edges.nodes[edges.out_of([code])]) == set(graph.successors(node)), node
        assert set(edges.nodes[edges.into([code])]) == set(graph.predecessors(node)), node
    several = [edges.code(n) for n in ("condition:low-back-pain", "claim:fa-087", "ref:liu2018")]
    assert set(edges.nodes[edges.out_of(several)]) == set().union(*(
        graph.successors(edges.nodes[c]) for c in several))


def test_unknown_node_raises(both):
    edges, _ = both
    with pytest.raises(KeyError, match="no-such"):
        edges.code("claim:no-such")


def test_each_edge_names_the_table_row_it_comes_from(kb, both):
    """A claim-finding edge's row is its claim_findings row; a claim's citation's row is the
    claim's row."""
    edges, _ = both
    links = edges.of_kind("claim", edges.source) & edges.of_kind("finding", edges.target)
    cf = kb.claim_findings.iloc[edges.row[links]]
    assert (("claim:" + cf["claim_id"]).tolist()
            == edges.nodes[edges.source[links]].tolist())
    assert (("finding:" + cf["finding_id"]).tolist()
            == edges.nodes[edges.target[links]].tolist())
    cites = edges.relation == "cites as evidence"
    claims = kb.claims.iloc[edges.row[cites]]
    assert ("claim:" + claims["claim_id"]).tolist() == edges.nodes[edges.source[cites]].tolist()


def test_rows_map_codes_back_to_their_tables(kb, both):
    edges, _ = both
    code = edges.code("claim:" + kb.claims["claim_id"].iloc[7])
    assert edges.rows("claim", [code]).tolist() == [7]
    assert edges.rows("finding", [code]).tolist() == []


def _assert_impact_equal(kb, references):
    edges = build_edges(kb)
    for ref in references:
        whole, near = reference_impact(kb, ref), reference_impact(kb, ref, edges)
        assert whole.keys() == near.keys()
        for name in whole:
            assert whole[name].equals(near[name]), (ref, name)


def test_impact_from_edge_arrays_equals_the_whole_kb_answer(kb):
    _assert_impact_equal(kb, kb.references["reference_id"])


def test_impact_from_edge_arrays_on_a_synthetic_kb(tmp_path):
    kb = synthetic_kb(tmp_path / "synth", 3000, seed=5)
    refs = kb.findings["reference_id"].value_counts().index[:5].tolist()
    _assert_impact_equal(kb, [*refs, *kb.references["reference_id"].iloc[::97]])


def test_codes_are_int32_until_they_would_overflow(kb):
    from kb.catalog import edges
    from kb.edges import _code_type

    arrays = edges(kb)
    assert {arrays.source.dtype, arrays.target.dtype, arrays.row.dtype} == {np.dtype("int32")}
    assert _code_type(2**31 - 2) is np.int32 and _code_type(2**31) is np.int64


def test_synthetic_edge_arrays_equal_the_edge_table_in_order(tmp_path):
    """The codes looked up kind by kind spell, edge for edge, the ids networkx is built from
    (claim citations, findings and the claim-finding links all included)."""
    from kb.edges import edge_table

    kb = synthetic_kb(tmp_path / "synth", 2000, seed=3)
    edges, table = build_edges(kb), edge_table(kb)
    assert edges.nodes[edges.source].tolist() == table["source"].tolist()
    assert edges.nodes[edges.target].tolist() == table["target"].tolist()
    assert list(edges.relation) == table["relation"].tolist()
    assert edges.row.tolist() == table["row"].tolist()


def test_an_edge_to_a_key_that_is_no_node_is_dropped(kb):
    from dataclasses import replace

    claims = kb.claims.copy()
    claims.loc[0, "reference_ids"] = claims.loc[0, "reference_ids"] + ";no-such-ref"
    before, after = build_edges(kb), build_edges(replace(kb, claims=claims))
    assert "ref:no-such-ref" not in set(after.nodes)
    assert np.array_equal(before.source, after.source)
    assert np.array_equal(before.target, after.target)
