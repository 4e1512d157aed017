"""Certainty arithmetic: parse GRADE ranges, grade claims from their cited evidence."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kb import vocab
from kb.columns import isin, list_cells, list_items, positions

RANGE_BOUNDS: dict[str, tuple[int, int]] = vocab.Certainty.ranges()
LEVEL_LABEL = {int(level): level.label for level in vocab.Certainty}
OPINION_TYPES = frozenset(vocab.EvidenceType.values()) - {str(t) for t in vocab.PRIMARY_EVIDENCE}


def certainty_bounds(labels: pd.Series) -> pd.DataFrame:
    """Ordinal lower and upper bound of each certainty label (NA when not a GRADE level)."""
    low = labels.map({label: low for label, (low, _) in RANGE_BOUNDS.items()})
    high = labels.map({label: high for label, (_, high) in RANGE_BOUNDS.items()})
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


def claim_reach(claims: pd.DataFrame, claim_findings: pd.DataFrame,
                findings: pd.DataFrame) -> pd.DataFrame:
    """(claim_id, reference_id, via): every reference a claim's own sentence reaches.

    A claim reaches what it cites (`via` empty) and, for each finding a curator linked to the
    sentence through a cited page that restates the review (`claim_findings.via`), that review
    (`via` names the page). A restates link never reaches beyond the sentences it is recorded
    for: Physiopedia restating Liu 2018 lends Liu 2018 only to the low-back-pain sentence."""
    cited = split_list(claims["reference_ids"], "reference_id")
    cited["claim_id"] = claims.loc[cited.index, "claim_id"]
    cited["via"] = ""
    passages = claim_findings[claim_findings["via"] != ""][["claim_id", "finding_id", "via"]]
    restated = passages.merge(findings[["finding_id", "reference_id"]], on="finding_id")
    return pd.concat([cited[["claim_id", "reference_id", "via"]],
                      restated[["claim_id", "reference_id", "via"]]],
                     ignore_index=True).drop_duplicates(["claim_id", "reference_id"])


def reached_links(claims: pd.DataFrame, claim_findings: pd.DataFrame,
                  findings: pd.DataFrame) -> pd.DataFrame:
    """Claim-finding links whose review the sentence itself reaches: cited inline, or through
    the restating page named in `via`. Columns of the link and of its finding."""
    inline = claims[claims["citation_scope"] == vocab.CitationScope.INLINE]
    direct = split_list(inline["reference_ids"], "reference_id")
    direct["claim_id"] = inline.loc[direct.index, "claim_id"]
    links = claim_findings.merge(findings, on="finding_id")
    by_citation = links.merge(direct, on=["claim_id", "reference_id"])
    by_passage = links[links["via"] != ""]
    return pd.concat([by_citation, by_passage]).drop_duplicates(["claim_id", "finding_id"])


def joined_windows(links: pd.DataFrame) -> pd.Series:
    """Each claim's benefit windows as one `;` list in vocabulary order (short-term first),
    by claim id: a column per window, joined across the few windows, never per claim."""
    held = (links.drop_duplicates(["claim_id", "time_window"]).assign(held=True)
            .set_index(["claim_id", "time_window"])["held"].unstack(fill_value=False))
    joined = pd.Series("", index=held.index, dtype="string")
    for window in map(str, vocab.BENEFIT_WINDOWS):
        if window in held:
            joined = joined + held[window].map({True: window + ";", False: ""}).astype("string")
    return joined.str.rstrip(";")


def best_by_claim(cited: pd.DataFrame) -> pd.DataFrame:
    """Best supporting finding per claim: highest lower bound, then highest upper bound (a
    range counts at its lower bound); its whole label and basis; the benefit windows of the
    supporting findings that favour dry needling."""
    ranked = cited.sort_values(["cert_min", "cert_max"], ascending=False, na_position="last")
    first = ranked.drop_duplicates("claim_id").set_index("claim_id")
    favours = cited[(cited["direction"] == vocab.Direction.FAVOURS_DN)
                    & isin(cited["time_window"], [str(w) for w in vocab.BENEFIT_WINDOWS])]
    windows = joined_windows(favours)
    graded = first["cert_max"].notna()
    any_unknown = cited.assign(u=cited["certainty"] == vocab.Ungraded.UNKNOWN).groupby(
        "claim_id")["u"].any().reindex(first.index)
    fallback = any_unknown.map({True: vocab.Ungraded.UNKNOWN.value,
                                False: vocab.Ungraded.NOT_GRADED.value})
    return pd.DataFrame({"certainty": first["certainty"].where(graded, fallback),
                         "certainty_basis": first["certainty_basis"],
                         "time_window": windows.reindex(first.index)})


def citation_category(claims: pd.DataFrame, references: pd.DataFrame) -> pd.Series:
    """What a claim's own citations are, when no finding reached through them supports it:
    `unreferenced` (none), `article-level` (only references for the article as a whole),
    `not graded` (an inline-cited primary study or review) or `expert opinion` (inline
    citations of pages, narrative reviews, books and commentaries only)."""
    items, rows = list_cells(claims["reference_ids"])
    # Whether each cited reference is opinion; an unknown one (position -1) is not.
    opinion = np.append(isin(references["evidencetype"], OPINION_TYPES).to_numpy(), False)
    primary = np.zeros(len(claims), dtype=bool)
    primary[rows[~opinion[positions(items, references["reference_id"])]]] = True
    category = pd.Series(vocab.Ungraded.EXPERT_OPINION.value, index=claims.index,
                         dtype="string")
    category[primary] = vocab.Ungraded.NOT_GRADED.value
    category[claims["citation_scope"] == vocab.CitationScope.ARTICLE] = (
        vocab.Ungraded.ARTICLE_LEVEL.value)
    category[claims["reference_ids"].str.strip() == ""] = vocab.Ungraded.UNREFERENCED.value
    return category


def grade_claims(claims: pd.DataFrame, claim_findings: pd.DataFrame, findings: pd.DataFrame,
                 references: pd.DataFrame) -> pd.DataFrame:
    """Certainty (with its basis) and time window of each claim, from the findings that its own
    sentence reaches (see `reached_links`). Without such a supporting finding the certainty is
    the claim's citation category and the time window `unknown` (`not-applicable` for topics
    that promise no benefit over time: safety, contraindications, definitions, logistics)."""
    reached = reached_links(claims, claim_findings, findings)
    support = reached[reached["relation"] == vocab.FindingRelation.SUPPORTS]
    best = best_by_claim(support)
    at = positions(claims["claim_id"], best.index.to_series())  # -1: no supporting finding
    best = best.reset_index(drop=True).reindex(at).set_axis(claims.index)
    certainty = best["certainty"].astype("string").fillna(citation_category(claims, references))
    basis = best["certainty_basis"].astype("string").fillna("")
    no_benefit = claims["topic"].isin([str(t) for t in vocab.NON_BENEFIT_TOPICS])
    unknown = pd.Series(vocab.TimeWindow.UNKNOWN.value, index=claims.index, dtype="string")
    unknown[no_benefit] = vocab.TimeWindow.NOT_APPLICABLE.value
    window = best["time_window"].astype("string").fillna(unknown)
    return pd.DataFrame({"certainty": certainty, "certainty_basis": basis,
                         "time_window": window}, index=claims.index)
