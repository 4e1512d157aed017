"""Support status of every claim: does the article say what the evidence behind it says?

Rules, applied to all claims at once, first match wins:

1. **override**: a curator's row in `status_overrides.csv` replaces the computed status.
2. **not assessable**: no finding is linked and either the topic makes no claim about effects
   (definition, procedure, safety, contraindication, aftercare, practitioner, cost), or the
   wording asserts no benefit (`none`) or only uncertainty (`very-low`).
3. **contradicted**: a `contradicts` link counts when its finding carries a GRADE level, or
   comes from a higher-level source than anything the claim cites (umbrella review 3 >
   systematic review or survey 2 > pages and opinion 1 > nothing 0), *and* it is not outweighed
   by the claim's support: its GRADE upper bound (0 when ungraded) is at least the best GRADE
   upper bound among the supporting findings (0 when none is graded). A contradiction that
   stronger graded support outweighs is named in the rationale; the other rules decide.
4. **unsupported**: an efficacy, mechanism or indication claim whose wording asserts a benefit
   (`high`, `moderate`, `low`) while the article cites nothing for it, or cites references with
   no supporting finding linked to the claim.
5. **overstated**: the wording is stronger than the best supporting finding allows, by GRADE's
   guidance on communicating findings: high certainty supports "is effective", moderate
   "probably", low "may", very low only "very uncertain". A finding's upper bound counts
   (`very low to moderate` supports `moderate`). A finding without a GRADE level (`not
   graded`, `unknown`) shows a direction but no rated certainty, so it supports at most `low`.
   Overstating comes before understating: claiming too much certainty is the larger error.
6. **understated or misquoted**: the claim cites a review (directly or through `restates`)
   and links some of its favourable findings for an outcome and time window, while the same
   review also found in favour of dry needling against another comparator for that outcome
   and window and the claim leaves that finding out; or a link note says the article omits or
   drops part of the finding.
7. **consistent** otherwise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kb import vocab
from kb.columns import isin
from kb.grading import claim_reach
from kb.model import KB

S = vocab.SupportStatus
WORDING_LEVEL = {"high": 4, "moderate": 3, "low": 2, "very-low": 1, "none": 0}
LEVEL_WORDING = {4: "high", 3: "moderate", 2: "low", 1: "very-low", 0: "none"}
UNGRADED_CEILING = 2
BENEFIT_TOPICS = frozenset({vocab.Topic.EFFICACY.value, vocab.Topic.MECHANISM.value,
                            vocab.Topic.INDICATION.value})
SOURCE_RANK = {vocab.EvidenceType.UMBRELLA_REVIEW.value: 3,
               vocab.EvidenceType.SYSTEMATIC_REVIEW.value: 2,
               vocab.EvidenceType.SURVEY.value: 2}
OMISSION_NOTE = r"\b(?:omits?|omitted|drops?|dropped|leaves out|misquot\w*)\b"
COLUMNS = ["support_status", "status_rationale", "status_overridden"]


def source_rank(evidencetype: pd.Series) -> pd.Series:
    """Evidence level of a reference: umbrella 3, systematic review or survey 2, others 1."""
    return evidencetype.map(SOURCE_RANK).fillna(1).astype("int64")


def cited_references(kb: KB) -> pd.DataFrame:
    """(claim_id, reference_id): every reference a claim cites, directly or via `restates`."""
    return claim_reach(kb.claims, kb.claim_findings, kb.findings)[["claim_id", "reference_id"]]


def _links(kb: KB) -> pd.DataFrame:
    """Claim-finding links with the finding's review, certainty and the review's level."""
    f = kb.findings[["finding_id", "reference_id", "condition_id", "comparator", "outcome",
                     "time_window", "direction", "certainty", "cert_min", "cert_max"]]
    links = kb.claim_findings.merge(f, on="finding_id")
    kinds = kb.references.set_index("reference_id")["evidencetype"]
    links["rank"] = source_rank(links["reference_id"].map(kinds))
    links["graded"] = links["cert_max"].notna()
    links["weight"] = links["cert_max"].astype("float64").fillna(0)
    links["ceiling"] = links["cert_max"].astype("float64").fillna(UNGRADED_CEILING)
    return links


def _describe(links: pd.DataFrame) -> pd.Series:
    return links["finding_id"] + " (" + links["certainty"] + ")"


def _mark_cited(support: pd.DataFrame, cited: pd.DataFrame) -> pd.DataFrame:
    """Flag supporting links whose review the claim's article does not cite."""
    flagged = support.merge(cited.assign(is_cited=True), on=["claim_id", "reference_id"],
                            how="left")
    flagged["is_cited"] = flagged["is_cited"].fillna(False).astype(bool)
    return flagged


def _best_support(support: pd.DataFrame) -> pd.DataFrame:
    """Per claim: the supporting finding that allows the strongest wording."""
    ranked = support.sort_values(["ceiling", "graded", "cert_min"], ascending=False,
                                 na_position="last")
    best = ranked.drop_duplicates("claim_id").set_index("claim_id")
    text = _describe(best).where(best["is_cited"], _describe(best) + " from " + best["reference_id"]
                                 + ", a review the article does not cite")
    return pd.DataFrame({"ceiling": best["ceiling"], "best": text.astype("string"),
                         "graded_max": support.groupby("claim_id")["weight"].max()})


def _contradictions(contra: pd.DataFrame, best: pd.DataFrame,
                    cited_rank: pd.Series) -> pd.DataFrame:
    """Contradicting links that count (rule 3) and those outweighed by graded support."""
    contra = contra.assign(
        support=contra["claim_id"].map(best["graded_max"]).astype("float64").fillna(0),
        cited=contra["claim_id"].map(cited_rank).astype("float64").fillna(0),
    )
    eligible = contra["graded"] | (contra["rank"] > contra["cited"])
    counts = eligible & (contra["weight"] >= contra["support"])
    ranked = contra.assign(counts=counts, eligible=eligible).sort_values(
        ["counts", "eligible", "weight"], ascending=False)
    first = ranked.drop_duplicates("claim_id").set_index("claim_id")
    text = _describe(first) + " from " + first["reference_id"] + ": " + first["note"]
    why = np.where(first["eligible"], " (outweighed by graded support)",
                   " (ungraded, and no higher-level than the evidence the claim cites)")
    return pd.DataFrame({"counts": first["counts"].astype(bool), "text": text.astype("string"),
                         "set_aside": (text + why).astype("string")})


def _dropped(kb: KB, links: pd.DataFrame, cited: pd.DataFrame) -> pd.Series:
    """Per claim: favourable findings of a cited review that the claim leaves out (rule 5)."""
    keys = ["reference_id", "condition_id", "outcome", "time_window"]
    favours = vocab.Direction.FAVOURS_DN.value
    linked = links[(links["relation"] == vocab.FindingRelation.SUPPORTS)
                   & (links["direction"] == favours)]
    linked = linked.merge(cited, on=["claim_id", "reference_id"])
    groups = linked[["claim_id", *keys]].drop_duplicates()
    findings = kb.findings[kb.findings["direction"] == favours][["finding_id", "comparator", *keys]]
    candidates = groups.merge(findings, on=keys)
    seen_comparators = linked[["claim_id", *keys, "comparator"]].drop_duplicates()
    candidates = candidates.merge(seen_comparators, on=["claim_id", *keys, "comparator"],
                                  how="left", indicator=True)
    candidates = candidates[candidates["_merge"] == "left_only"].drop(columns="_merge")
    any_link = kb.claim_findings[["claim_id", "finding_id"]].assign(linked=True)
    candidates = candidates.merge(any_link, on=["claim_id", "finding_id"], how="left")
    dropped = candidates[candidates["linked"].isna()]
    text = (dropped["reference_id"] + " also found " + dropped["outcome"] + " favouring dry "
            "needling against " + dropped["comparator"] + " (" + dropped["finding_id"] + ")")
    structural = text.groupby(dropped["claim_id"]).first()
    noted = links[links["note"].str.contains(OMISSION_NOTE, case=False, regex=True)]
    by_note = (noted["finding_id"] + ": " + noted["note"]).groupby(noted["claim_id"]).first()
    return structural.astype("string").combine_first(by_note.astype("string"))


def _text(ids: pd.Series, values: pd.Series) -> pd.Series:
    """Per-claim text looked up by claim id, empty where there is none."""
    return ids.map(values).astype("string").fillna("")


def computed_status(kb: KB) -> pd.DataFrame:
    """Support status and rationale from the rules alone (no overrides), indexed like claims."""
    claims = kb.claims
    ids = claims["claim_id"]
    links = _links(kb)
    support = links[links["relation"] == vocab.FindingRelation.SUPPORTS]
    contra = links[links["relation"] == vocab.FindingRelation.CONTRADICTS]
    cited = cited_references(kb)
    kinds = kb.references.set_index("reference_id")["evidencetype"]
    cited_rank = source_rank(cited["reference_id"].map(kinds)).groupby(cited["claim_id"]).max()
    best = _best_support(_mark_cited(support, cited))
    conflicts = _contradictions(contra, best, cited_rank)
    dropped = _dropped(kb, links, cited)

    wording = claims["wording_strength"]
    level = wording.map(WORDING_LEVEL).astype("int64")
    ceiling = ids.map(best["ceiling"]).fillna(0).astype("int64")
    best_text = _text(ids, best["best"])
    has_links = isin(ids, links["claim_id"])
    has_support = isin(ids, support["claim_id"])
    has_refs = claims["reference_ids"] != ""
    counts = ids.map(conflicts["counts"]).fillna(False).astype(bool)
    conflict_text = _text(ids, conflicts["text"])
    set_aside = _text(ids, conflicts["set_aside"])
    dropped_text = _text(ids, dropped)
    benefit = claims["topic"].isin(BENEFIT_TOPICS)
    asserts = level >= WORDING_LEVEL["low"]

    conditions = [
        ~has_links & (~benefit | ~asserts),
        counts,
        benefit & asserts & (~has_refs | ~has_support),
        level > ceiling,
        dropped_text != "",
    ]
    statuses = [S.NOT_ASSESSABLE.value, S.CONTRADICTED.value, S.UNSUPPORTED.value,
                S.OVERSTATED.value, S.UNDERSTATED.value]
    status = np.select(conditions, statuses, default=S.CONSISTENT.value)

    topic = claims["topic"]
    allowed = ceiling.map(LEVEL_WORDING)
    outweighed = pd.Series(np.where((set_aside != "") & ~counts,
                                    "; contradiction set aside: " + set_aside, ""),
                           index=claims.index)
    best_clause = np.where(has_support, "; evidence exists but is not cited: best " + best_text,
                           "")
    rationales = [
        np.where(benefit, "wording '" + wording + "' asserts no benefit and no finding is linked",
                 topic + " statement with no linked finding: nothing to check it against"),
        "contradicted by " + conflict_text,
        np.where(has_refs,
                 "cites " + claims["reference_ids"].str.replace(";", ", ", regex=False)
                 + " but no finding supports this " + topic + " claim",
                 "the article cites nothing for this " + topic + " claim" + best_clause),
        "wording '" + wording + "' is stronger than the best supporting finding "
        + best_text + ", which supports at most '" + allowed + "'" + outweighed,
        "drops part of the cited review: " + dropped_text,
    ]
    consistent = np.where(level > 0, "wording '" + wording + "' is within the best supporting "
                          "finding " + best_text, "supported by " + best_text) + outweighed
    rationale = np.select(conditions, rationales, default=consistent)
    return pd.DataFrame({"support_status": pd.array(status, dtype="string"),
                         "status_rationale": pd.array(rationale, dtype="string")},
                        index=claims.index)


def support_status(kb: KB) -> pd.DataFrame:
    """Computed status, rationale and override flag for every claim, indexed like kb.claims."""
    result = computed_status(kb)
    overrides = kb.status_overrides.drop_duplicates("claim_id").set_index("claim_id")
    ids = kb.claims["claim_id"]
    overridden = isin(ids, overrides.index.to_series())
    result["status_overridden"] = overridden.astype(bool)
    chosen = ids[overridden]
    result.loc[overridden, "support_status"] = chosen.map(overrides["support_status"]).values
    result.loc[overridden, "status_rationale"] = (
        "curator override: " + chosen.map(overrides["rationale"])).values
    return result[COLUMNS]
