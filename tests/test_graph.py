"""The citation graph joins articles, claims, references, findings and conditions."""

import networkx as nx

from kb.graph import build_graph, neighbourhood


def test_node_counts_match_tables(kb):
    kinds = [kind for _, kind in build_graph(kb).nodes(data="kind")]
    counts = {kind: kinds.count(kind) for kind in dict.fromkeys(kinds)}
    assert counts == {"article": 4, "claim": len(kb.claims), "reference": len(kb.references),
                      "finding": len(kb.findings), "condition": len(kb.conditions)}


def test_restates_chain_reaches_primary_review(minimal):
    graph = build_graph(minimal)
    assert nx.has_path(graph, "claim:al-001", "ref:review2020")
    relations = {d["relation"] for _, _, d in graph.out_edges("ref:page", data=True)}
    assert relations == {"restates"}


def test_edges_carry_cito_terms(minimal):
    """A claim -> finding `supports` edge reads "the claim cito:obtainsSupportFrom the finding":
    CiTO terms are read from the citing (source) to the cited (target) entity, and
    `cito:supports` would say the claim supports the finding (the issue on exports)."""
    graph = build_graph(minimal)
    edge = graph.get_edge_data("claim:al-001", "finding:review2020-pain-st")
    assert edge[0]["cito"] == "cito:obtainsSupportFrom"
    assert graph.graph["cito"] == "http://purl.org/spar/cito/"
    assert all(d.get("cito", "").startswith("cito:") for _, _, d in graph.edges(data=True))


def test_neighbourhood_focus(minimal):
    sub = neighbourhood(build_graph(minimal), "condition:back-pain")
    assert set(sub) == {"condition:back-pain", "claim:al-001", "finding:review2020-pain-st",
                        "finding:review2020-pain-lt"}


def test_finding_label_names_review_comparator_and_window(minimal):
    """A finding's label tells it apart from the review's other findings on the same outcome."""
    graph = build_graph(minimal)
    labels = {graph.nodes[n]["label"] for n in ("finding:review2020-pain-st",
                                                "finding:review2020-pain-lt")}
    assert len(labels) == 2
    assert all(" vs " in label and "term" in label for label in labels)


def test_node_names_are_words_not_ids(kb):
    from kb.graph import node_names

    names = node_names(kb)
    graph = build_graph(kb)
    assert set(names.index) == set(graph.nodes)
    assert names["condition:low-back-pain"] == "Low back pain"
    assert names["ref:liu2018"] == "Liu 2018"
    assert names["ref:physiopedia"] == "Physiopedia: Dry Needling"
    assert names["article:fizyoart"] == "FizyoArt"
    assert names.str.len().max() <= 160
    assert not names.str.contains(r"^(?:claim|ref|finding|article|condition):", regex=True).any()
