"""Certainty arithmetic: parse GRADE ranges, grade claims from their cited evidence."""

from __future__ import annotations

import pandas as pd

from kb import vocab
from kb.columns import isin, list_items

RANGE_BOUNDS: dict[str, tuple[int, int]] = vocab.Certainty.ranges()
LEVEL_LABEL = {int(level): level.label for level in vocab.Certainty}
OPINION_TYPES = frozenset(vocab.EvidenceType.values()) - {str(t) for t in vocab.PRIMARY_EVIDENCE}


def certainty_bounds(labels: pd.Series) -> pd.DataFrame:
    """Ordinal lower and upper bound of each certainty label (NA when not a GRADE level)."""
    low = labels.map(lambda s: RANGE_BOUNDS.get(s, (None, None))[0])
    high = labels.map(lambda s: RANGE_BOUNDS.get(s, (None, None))[1])
    return pd.DataFrame({"cert_min": low.astype("Int8"), "cert_max": high.astype("Int8")})


def level_value(name: str | None) -> int | None:
    """'moderate' or 'very-low' to its ordinal; None passes through."""
    if name in (None, ""):
        return None
    return int(vocab.Certainty.parse(name))


def split_list(series: pd.Series, name: str) -> pd.DataFrame:
    """Explode a `;`-separated column into (index, name) rows, dropping empties."""
    items = list_items(series)
    return pd.DataFrame({name: items}, index=items.index)


def restates_closure(links: pd.DataFrame, reference_ids: pd.Series) -> pd.DataFrame:
    """(reference_id, reached_id): each reference and every reference it restates, transitively."""
    import networkx as nx

    restates = links[links["relation"] == vocab.ReferenceRelation.RESTATES]
    graph = nx.DiGraph(list(zip(restates["from_id"], restates["to_id"], strict=True)))
    pairs = [(ref, ref) for ref in reference_ids]
    pairs += [(ref, reached) for ref in graph for reached in nx.descendants(graph, ref)]
    return pd.DataFrame(pairs, columns=["reference_id", "reached_id"], dtype="string")


def claim_reach(claims: pd.DataFrame, links: pd.DataFrame,
                reference_ids: pd.Series) -> pd.DataFrame:
    """(claim_id, reached_id): every reference a claim cites, directly or through `restates`."""
    cited = split_list(claims["reference_ids"], "reference_id")
    cited["claim_id"] = claims.loc[cited.index, "claim_id"]
    closure = restates_closure(links, reference_ids)
    return cited.merge(closure, on="reference_id")[["claim_id", "reached_id"]]


def best_by_claim(cited: pd.DataFrame) -> pd.DataFrame:
    """Best supporting finding per claim: highest upper bound, then highest lower bound."""
    ranked = cited.sort_values(["cert_max", "cert_min"], ascending=False, na_position="last")
    best = ranked.drop_duplicates("claim_id").set_index("claim_id")["certainty"]
    windows = (cited[isin(cited["time_window"], [str(w) for w in vocab.BENEFIT_WINDOWS])]
               .drop_duplicates(["claim_id", "time_window"])
               .assign(order=lambda d: d["time_window"].map(
                   {str(w): i for i, w in enumerate(vocab.BENEFIT_WINDOWS)}))
               .sort_values("order").groupby("claim_id")["time_window"].agg(";".join))
    graded = cited.groupby("claim_id")["cert_max"].max().notna()
    any_unknown = cited.assign(u=cited["certainty"] == "unknown").groupby("claim_id")["u"].any()
    fallback = any_unknown.map({True: "unknown", False: "not graded"})
    certainty = best.where(graded.reindex(best.index), fallback.reindex(best.index))
    return pd.DataFrame({"certainty": certainty, "time_window": windows.reindex(best.index)})


def grade_claims(claims: pd.DataFrame, claim_findings: pd.DataFrame, findings: pd.DataFrame,
                 references: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """Certainty and time window of each claim, from the findings its cited references report.

    A supporting finding counts only when its review is cited by the claim, directly or through
    `restates` links. Without such a finding a claim is `unreferenced` (cites nothing),
    `not graded` (cites primary evidence) or `expert opinion` (cites only pages and opinion).
    """
    reached = claim_reach(claims, links, references["reference_id"])
    support = claim_findings[claim_findings["relation"] == vocab.FindingRelation.SUPPORTS]
    cited = (support[["claim_id", "finding_id"]]
             .merge(findings[["finding_id", "reference_id", "certainty", "cert_min", "cert_max",
                              "time_window"]], on="finding_id")
             .merge(reached, left_on=["claim_id", "reference_id"],
                    right_on=["claim_id", "reached_id"]))
    best = best_by_claim(cited)
    kinds = reached.merge(references[["reference_id", "evidencetype"]],
                          left_on="reached_id", right_on="reference_id")
    is_primary = ~isin(kinds["evidencetype"], OPINION_TYPES)
    primary = kinds.assign(p=is_primary).groupby("claim_id")["p"].any()
    ids = claims["claim_id"]
    fallback = pd.Series(vocab.Ungraded.UNREFERENCED.value, index=claims.index, dtype="string")
    has_refs = claims["reference_ids"].str.strip() != ""
    fallback[has_refs] = vocab.Ungraded.EXPERT_OPINION.value
    fallback[ids.map(primary).fillna(False).astype(bool)] = vocab.Ungraded.NOT_GRADED.value
    certainty = ids.map(best["certainty"]).astype("string").fillna(fallback)
    window = ids.map(best["time_window"]).astype("string").fillna(vocab.TimeWindow.UNKNOWN.value)
    return pd.DataFrame({"certainty": certainty, "time_window": window}, index=claims.index)
