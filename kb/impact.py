"""Reference impact: what loses support if a reference were withdrawn, and which references
carry the most weight.

A claim depends on a reference when it cites it, or is supported by a finding the reference
reports (noted when the claim reaches the review through a page that restates it). A
condition's best certainty is recomputed with the evidence-cube logic on the KB without that
reference's findings.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kb import vocab
from kb.columns import (
    EMPTY,
    LARGE,
    STRING_TYPES,
    arrow,
    joined,
    list_cells,
    pair_codes,
    positions,
    shared_codes,
    to_mask,
)
from kb.cube import BENEFIT, cells_of
from kb.edges import Edges, node_id
from kb.model import KB

CLAIM_COLUMNS = ["claim_id", "source_id", "statement", "topic", "certainty"]
NOT_GRADED = vocab.Ungraded.NOT_GRADED.value
CITES = "cites it"
SUPPORTED = "supported by its finding "
RESTATED = "cites a reference that restates it; "


def dependencies(kb: KB, reference_id: str | None = None) -> pd.DataFrame:
    """(claim_id, reference_id, via): every way a claim depends on a reference (only on
    `reference_id`, when given), one row each: its citations first, in claim order, then
    its supporting findings, in claim_findings order.

    A claim depends on the references it cites and on the reviews whose findings support it.
    A review that a cited page merely restates counts only through such a finding: Physiopedia
    restating Liu 2018's low-back-pain result does not make every claim citing Physiopedia
    depend on Liu 2018. Joined on integer codes of the ids, not on strings."""
    claims, links, findings = kb.claims, kb.claim_findings, kb.findings
    refs, cited = _citations(claims, reference_id)
    if reference_id is not None:
        findings = findings[findings["reference_id"] == reference_id]
    at = positions(links["finding_id"], findings["finding_id"])
    linked = pa.array(np.flatnonzero(at >= 0))  # links to a finding of these references
    linking = arrow(links["claim_id"]).take(linked)
    reviews = arrow(findings["reference_id"]).take(pa.array(at[at >= 0]))
    direct, pair = pair_codes((cited, refs), (linking, reviews))  # (claim, reference) pairs
    first = pa.array(np.sort(np.unique(direct, return_index=True)[1]))
    passage = to_mask(pc.not_equal(arrow(links["via"]).take(linked), EMPTY))
    support = to_mask(pc.equal(arrow(links["relation"]).take(linked),
                               str(vocab.FindingRelation.SUPPORTS)))
    restated = np.isin(pair[support], pair[passage]) & ~np.isin(pair[support], direct)
    supported = pa.array(support)
    return pd.DataFrame({
        "claim_id": _strings(joined(cited.take(first), linking.filter(supported))),
        "reference_id": _strings(joined(refs.take(first), reviews.filter(supported))),
        "via": _strings(joined(pa.array([CITES] * len(first), pa.string()), _supported_via(
            arrow(links["finding_id"]).take(linked).filter(supported), restated))).astype("str")})


def _citations(claims: pd.DataFrame, reference_id: str | None
               ) -> tuple[pa.ChunkedArray, pa.ChunkedArray]:
    """(reference ids, claim ids) of every citation in claims.reference_ids, in claim order
    (only those of `reference_id`, when given)."""
    refs, rows = list_cells(claims["reference_ids"])
    cited = arrow(claims["claim_id"]).take(pa.array(rows))
    if reference_id is None:
        return joined(refs), joined(cited)
    mine = pa.array(to_mask(pc.equal(refs, reference_id)))
    return joined(refs.filter(mine)), joined(cited.filter(mine))


def _supported_via(finding_ids: pa.ChunkedArray, restated: np.ndarray) -> pa.ChunkedArray:
    """'supported by its finding ID', said to come through a restating page where it does."""
    prefix = pc.if_else(pa.array(restated), RESTATED + SUPPORTED, SUPPORTED)
    return joined(pc.binary_join_element_wise(joined(prefix), joined(finding_ids),
                                              pa.scalar("", LARGE)))


def _strings(values: pa.ChunkedArray) -> pd.Series:
    return values.to_pandas(types_mapper=STRING_TYPES.get)


def _best(findings: pd.DataFrame, condition_ids: pd.Series) -> pd.Series:
    """Best certainty label per condition as `query_conditions` ranks it by default (lower
    bound of GRADE-rated favourable findings in benefit windows); `not graded` if none.
    Nothing is computed for no conditions."""
    if condition_ids.empty:
        return pd.Series([], dtype="string")
    cube = cells_of(findings)
    cells = cube[cube["time_window"].isin(BENEFIT) & cube["best_min"].notna()]
    best = (cells.sort_values(["best_min", "best_max"], ascending=False)
            .drop_duplicates("condition_id").set_index("condition_id")["certainty_min"])
    return condition_ids.map(best).astype("string").fillna(NOT_GRADED)


def _unknown(reference_id: str) -> KeyError:
    return KeyError(f"unknown reference id: {reference_id!r} "
                    "(see `kb export references` for the ids)")


def _neighbourhood(kb: KB, reference_id: str, edges: Edges) -> KB:
    """The part of the KB one reference's impact depends on: the claims that cite it or are
    linked to one of its findings, their links, and the findings of the conditions it
    reports on. Found from the edge arrays, so it costs the neighbourhood, not the KB."""
    try:
        ref = edges.code(node_id("reference", reference_id))
    except KeyError:
        raise _unknown(reference_id) from None
    near = edges.into([ref])  # claims citing it, its findings, articles, restating references
    own = edges.rows("finding", near) + edges.offsets["finding"]
    claims = np.union1d(edges.rows("claim", near), edges.rows("claim", edges.into(own)))
    out = edges.edges_out(claims + edges.offsets["claim"])
    links = out[edges.of_kind("finding", edges.target[out])]  # an edge per claim-finding row
    conditions = edges.out_of(own)
    about = edges.into(conditions[edges.of_kind("condition", conditions)])
    findings = edges.rows("finding", np.concatenate([own, edges.target[links], about]))
    return kb.with_tables(claims=kb.rows("claims", claims),
                          claim_findings=kb.rows("claim_findings", np.unique(edges.row[links])),
                          findings=kb.rows("findings", findings))


def reference_impact(kb: KB, reference_id: str, edges: Edges | None = None
                     ) -> dict[str, pd.DataFrame]:
    """Claims, findings and conditions that lose support if `reference_id` were withdrawn.

    With `edges` (the KB's edge arrays) only the reference's neighbourhood is read."""
    if edges is not None:
        kb = _neighbourhood(kb, reference_id, edges)
    elif not kb.references["reference_id"].eq(reference_id).any():
        raise _unknown(reference_id)
    mine = dependencies(kb, reference_id).drop_duplicates()
    via = mine.groupby("claim_id", sort=False)["via"].agg("; ".join)
    claims = kb.claims[CLAIM_COLUMNS].merge(via.rename("via"), left_on="claim_id",
                                            right_index=True)
    findings = kb.findings[kb.findings["reference_id"] == reference_id].reset_index(drop=True)
    ids = pd.Series(findings.loc[findings["condition_id"] != "", "condition_id"].unique(),
                    dtype="string")
    labels = kb.conditions.set_index("condition_id")["label"]
    near = kb.findings[kb.findings["condition_id"].isin(ids)]  # what its conditions rest on
    conditions = pd.DataFrame({
        "condition_id": ids,
        "label": ids.map(labels),
        "best_before": _best(near, ids),
        "best_after": _best(near[near["reference_id"] != reference_id], ids),
    })
    conditions["changed"] = conditions["best_before"] != conditions["best_after"]
    return {"claims": claims.reset_index(drop=True), "findings": findings,
            "conditions": conditions}


def load_bearing(kb: KB) -> pd.DataFrame:
    """References ranked by the number of claims that depend on them specifically (an inline
    citation or a supporting finding), then by all dependent claims, including those whose
    article lists the reference only once for the article as a whole. Counted on integer
    codes of the ids."""
    deps = dependencies(kb)
    refs, claims, findings = kb.references, kb.claims, kb.findings
    ids = refs["reference_id"]
    ref = positions(deps["reference_id"], ids)
    claim = positions(deps["claim_id"], claims["claim_id"])
    inline = to_mask(pc.equal(arrow(claims["citation_scope"]),
                              str(vocab.CitationScope.INLINE)))
    specific = (to_mask(pc.not_equal(arrow(deps["via"]), CITES)) | (inline[claim] & (claim >= 0)))
    about = to_mask(pc.not_equal(arrow(findings["condition_id"]), EMPTY))
    (condition,), _ = shared_codes(arrow(findings["condition_id"]))
    reported = positions(findings["reference_id"], ids)
    n = len(ids)
    counts = {
        "n_claims_specific": _distinct(ref[specific], claim[specific], n),
        "n_claims": _distinct(ref, claim, n),
        "n_findings": np.bincount(reported[reported >= 0], minlength=n),
        "n_conditions": _distinct(reported[about], condition[about], n),
    }
    titles = refs["title"]
    table = pa.table({"reference_id": arrow(ids),
                      "title": arrow(titles.where(titles != "", ids)),
                      **{name: pa.array(values, pa.int64()) for name, values in counts.items()}})
    order = table.sort_by([*((name, "descending") for name in list(counts)[:3]),
                           ("reference_id", "ascending")])
    return order.to_pandas(types_mapper=STRING_TYPES.get)


def _distinct(group: np.ndarray, member: np.ndarray, n_groups: int) -> np.ndarray:
    """How many distinct members each of n_groups groups has (a code of -1 is neither)."""
    keep = (group >= 0) & (member >= 0)
    width = int(member.max(initial=0)) + 1
    pairs = np.unique(group[keep] * width + member[keep])
    return np.bincount(pairs // width, minlength=n_groups)
