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

from kb import vocab
from kb.cube import BENEFIT, cells_of
from kb.edges import Edges, node_id
from kb.grading import claim_reach, split_list
from kb.model import KB

CLAIM_COLUMNS = ["claim_id", "source_id", "statement", "topic", "certainty"]
NOT_GRADED = vocab.Ungraded.NOT_GRADED.value


def dependencies(kb: KB, reference_id: str | None = None) -> pd.DataFrame:
    """(claim_id, reference_id, via): every way a claim depends on a reference (only on
    `reference_id`, when given), one row each.

    A claim depends on the references it cites and on the reviews whose findings support it.
    A review that a cited page merely restates counts only through such a finding: Physiopedia
    restating Liu 2018's low-back-pain result does not make every claim citing Physiopedia
    depend on Liu 2018."""
    findings = kb.findings
    if reference_id is not None:
        findings = findings[findings["reference_id"] == reference_id]
    direct = split_list(kb.claims["reference_ids"], "reference_id")
    direct["claim_id"] = kb.claims.loc[direct.index, "claim_id"]
    if reference_id is not None:
        direct = direct[direct["reference_id"] == reference_id]
    direct = direct.drop_duplicates().assign(via="cites it")
    support = kb.claim_findings[kb.claim_findings["relation"] == vocab.FindingRelation.SUPPORTS]
    reported = support.merge(findings[["finding_id", "reference_id"]], on="finding_id")
    restated = claim_reach(kb.claims, kb.claim_findings, findings).merge(
        direct, on=["claim_id", "reference_id"], how="left", suffixes=("_reach", ""))
    restated = restated[restated["via"].isna()][["claim_id", "reference_id"]]
    reported = reported.merge(restated.assign(restated=True), how="left",
                              on=["claim_id", "reference_id"])
    prefix = reported["restated"].fillna(False).astype(bool).map(
        {True: "cites a reference that restates it; ", False: ""})
    reported = reported.assign(via=prefix + "supported by its finding " + reported["finding_id"])
    return pd.concat([direct[["claim_id", "reference_id", "via"]],
                      reported[["claim_id", "reference_id", "via"]]], ignore_index=True)


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
    article lists the reference only once for the article as a whole."""
    deps = dependencies(kb)
    scope = kb.claims.set_index("claim_id")["citation_scope"]
    specific = deps[(deps["via"] != "cites it")
                    | (deps["claim_id"].map(scope) == vocab.CitationScope.INLINE)]
    refs = kb.references
    ids = refs["reference_id"]
    f = kb.findings
    n_conditions = f[f["condition_id"] != ""].groupby("reference_id")["condition_id"].nunique()
    out = pd.DataFrame({
        "reference_id": ids,
        "title": refs["title"].where(refs["title"] != "", ids),
        "n_claims_specific": ids.map(specific.groupby("reference_id")["claim_id"].nunique()),
        "n_claims": ids.map(deps.groupby("reference_id")["claim_id"].nunique()),
        "n_findings": ids.map(f.groupby("reference_id").size()),
        "n_conditions": ids.map(n_conditions),
    })
    counts = ["n_claims_specific", "n_claims", "n_findings", "n_conditions"]
    out[counts] = out[counts].fillna(0).astype("int64")
    return out.sort_values([*counts[:3], "reference_id"],
                           ascending=[False, False, False, True]).reset_index(drop=True)
