"""Cross-source contradictions: the same subject and attribute, incompatible values.

Two assertions contradict when they come from different articles, share subject and attribute,
and either
- **numeric**: their ranges `[value_min, value_max]`, converted to a common unit per dimension
  (seconds, minutes, hours, days and weeks are one time dimension; other units compare only
  with themselves), do not overlap. An empty bound is unbounded on that side. Ranges that share
  only an end point share a value, so they agree (15-30 and 30-60 minutes both allow 30);
- **categorical**: their values differ after case-folding, where a "minimally" qualifier is
  dropped ("minimally invasive" agrees with "invasive"; "non-invasive" contradicts both).

`evidence_favours` names the side the evidence backs, or is empty:
1. a reference checked in the publication itself (verification `read`) whose note states the
   subject with one side's value (Kalichman 2010 "calls dry needling minimally invasive");
2. otherwise the findings linked to each claim: a side with a supporting finding beats a side
   with none or with a contradicting one, and a higher GRADE upper bound beats a lower one.

Pairs are found in O(n log n + pairs): each subject, attribute (and dimension) group is sorted
by range start (or by value), and every assertion's disagreeing partners are one contiguous
run found by binary search, so agreeing pairs are never formed.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from kb import vocab
from kb.citations import short_citation
from kb.model import KB, kept

TIME_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400, "weeks": 604800}
QUALIFIER = r"^minimally\s+"
TOO_SHORT_TO_QUOTE = frozenset({"yes", "no", "none"})  # never read as a note's statement
COLUMNS = ["subject", "attribute", "claim_a", "source_a", "value_a", "claim_b", "source_b",
           "value_b", "unit", "kind", "evidence_favours", "rationale"]


def _prepare(kb: KB) -> pd.DataFrame:
    """The assertions with their sources, ranges and normalised values, once per KB (the status
    rules ask for them twice a pass)."""
    return kept(kb, "contradictions:assertions", _prepared)


def _prepared(kb: KB) -> pd.DataFrame:
    a = kb.assertions.merge(kb.claims[["claim_id", "source_id"]], on="claim_id")
    factor = a["unit"].map(TIME_SECONDS).fillna(1).astype("float64")
    a["lo"] = (pd.to_numeric(a["value_min"], errors="coerce") * factor).fillna(-np.inf)
    a["hi"] = (pd.to_numeric(a["value_max"], errors="coerce") * factor).fillna(np.inf)
    a["dimension"] = a["unit"].where(~a["unit"].isin(list(TIME_SECONDS)), "time")
    a["kind"] = np.where(a["unit"] != "", "numeric", "categorical")
    a["norm"] = a["value"].str.strip().str.casefold().str.replace(QUALIFIER, "", regex=True)
    worded = a["value"].str.contains(r"[A-Za-z]", regex=True)  # "up to 2 days" names its unit
    a["shown"] = a["value"].where(worded, (a["value"] + " " + a["unit"]).str.strip())
    return a


PAIR_COLUMNS = ["claim_id", "source_id", "subject", "attribute", "value", "unit", "lo", "hi",
                "dimension", "kind", "norm", "shown"]


def _suffix_pairs(group: np.ndarray, key: np.ndarray, above: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Row pairs (i, j) of the same group with key[j] > above[i]: each group sorted by key,
    row i's partners are one contiguous run found by binary search. O(n log n + pairs)."""
    ranks = np.unique(np.concatenate([key, above]), return_inverse=True)[1]
    width = int(ranks.max()) + 2 if len(ranks) else 1
    composite = group.astype("int64") * width + ranks[:len(key)]
    order = np.argsort(composite, kind="stable")
    ordered = composite[order]
    start = np.searchsorted(ordered, group.astype("int64") * width + ranks[len(key):], "right")
    end = np.searchsorted(ordered, (group.astype("int64") + 1) * width, "left")
    counts = end - start
    i = np.repeat(np.arange(len(key)), counts)
    first = np.repeat(start - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts)
    j = order[first + np.arange(int(counts.sum()))]
    return i, j


def _candidates(a: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Row pairs that can disagree, never those that cannot: numeric ranges of one subject,
    attribute and dimension that do not overlap (the later one starts after the earlier one
    ends); categorical values of one subject and attribute with different normalised values
    (or, for contraindications, different classes)."""
    numeric = (a["kind"] == "numeric").to_numpy()
    graded = (a["attribute"] == vocab.CONTRAINDICATION_ATTRIBUTE).to_numpy()
    strength = a["norm"].map(vocab.CONTRAINDICATION_STRENGTH).astype("float64").to_numpy()
    usable = numeric | ~graded | (strength > 0)
    rows = np.flatnonzero(usable)
    part = a.iloc[rows]
    dimension = part["dimension"].where(numeric[rows], "")
    group = pd.MultiIndex.from_arrays([part["subject"], part["attribute"],
                                       part["kind"], dimension]).factorize()[0]
    norm_rank = pd.factorize(part["norm"], sort=True)[0].astype("float64")
    category = np.where(graded[rows], strength[rows], norm_rank)
    key = np.where(numeric[rows], part["lo"].to_numpy("float64"), category)
    above = np.where(numeric[rows], part["hi"].to_numpy("float64"), category)
    i, j = _suffix_pairs(group, key, above)
    return rows[i], rows[j]


def _pairs(a: pd.DataFrame) -> pd.DataFrame:
    """Cross-article pairs of assertions on the same subject and attribute that may disagree,
    oriented so claim_a < claim_b."""
    i, j = _candidates(a)
    claims = a["claim_id"].to_numpy()
    swap = claims[i] > claims[j]
    i, j = np.where(swap, j, i), np.where(swap, i, j)
    keep = (claims[i] != claims[j]) & (a["source_id"].to_numpy()[i]
                                       != a["source_id"].to_numpy()[j])
    i, j = i[keep], j[keep]
    cols = a[PAIR_COLUMNS].reset_index(drop=True)
    left = cols.iloc[i].reset_index(drop=True).add_suffix("_a")
    right = cols.iloc[j].drop(columns=["subject", "attribute"]).reset_index(drop=True)
    p = pd.concat([left, right.add_suffix("_b")], axis=1)
    return p.rename(columns={"subject_a": "subject", "attribute_a": "attribute"})


def _disagree(p: pd.DataFrame) -> pd.Series:
    lo = np.maximum(p["lo_a"], p["lo_b"])
    hi = np.minimum(p["hi_a"], p["hi_b"])
    overlap = lo <= hi
    numeric = (p["kind_a"] == "numeric") & (p["dimension_a"] == p["dimension_b"]) & ~overlap
    strength_a = p["norm_a"].map(vocab.CONTRAINDICATION_STRENGTH)
    strength_b = p["norm_b"].map(vocab.CONTRAINDICATION_STRENGTH)
    graded = p["attribute"] == vocab.CONTRAINDICATION_ATTRIBUTE
    classes_differ = (strength_a != strength_b) & (strength_a > 0) & (strength_b > 0)
    categorical = (p["kind_a"] == "categorical") & np.where(graded, classes_differ.fillna(False),
                                                            p["norm_a"] != p["norm_b"])
    return numeric | categorical


def _checked_notes(references: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(reference_id, evidencetype, case-folded note) of the references read in the
    publication itself."""
    refs = references[references["verification"].isin(
        [str(v) for v in vocab.CHECKED_IN_PUBLICATION])]
    return list(zip(refs["reference_id"], refs["evidencetype"], refs["note"].str.casefold(),
                    strict=True))


def _reference_statements(kb: KB, a: pd.DataFrame) -> pd.DataFrame:
    """(subject, attribute, norm, reference_id, evidencetype) stated in a read reference's note
    (`a` is always the KB's prepared assertions, so the table is kept per KB)."""
    return kept(kb, "contradictions:statements", lambda k: _statements(k, a))


def _statements(kb: KB, a: pd.DataFrame) -> pd.DataFrame:
    notes = _checked_notes(kb.references)
    rows = []
    values = a.loc[a["kind"] == "categorical", ["subject", "attribute", "value", "norm"]]
    for subject, attribute, value, norm in values.drop_duplicates().itertuples(index=False):
        if value.casefold() in TOO_SHORT_TO_QUOTE:
            continue
        phrase = re.compile(r"(?<![\w-])" + re.escape(value.casefold()) + r"(?![\w-])")
        named = subject.casefold()
        rows += [(subject, attribute, norm, ref, kind, value) for ref, kind, note in notes
                 if named in note and phrase.search(note)]
    stated = pd.DataFrame(rows, columns=["subject", "attribute", "norm", "reference_id",
                                         "evidencetype", "stated"])
    longest_first = stated.assign(n=stated["stated"].str.len()).sort_values("n", ascending=False)
    return longest_first.drop_duplicates(["subject", "attribute", "norm", "reference_id"])


def _finding_score(kb: KB) -> pd.DataFrame:
    """Per claim: evidence score (-1 contradicted, 0 none or ungraded, else the level's upper
    bound). A finding without a certainty level (an adverse-event survey, a level not stated)
    decides nothing: it may not be about the disputed value at all."""
    links = kb.claim_findings.merge(kb.findings[["finding_id", "certainty", "cert_max"]],
                                    on="finding_id")
    support = links[links["relation"] == vocab.FindingRelation.SUPPORTS]
    support = support.assign(score=support["cert_max"].astype("float64").fillna(0.0))
    best = support.sort_values("score", ascending=False).drop_duplicates("claim_id")
    best = best.set_index("claim_id")
    contradicted = links.loc[links["relation"] == vocab.FindingRelation.CONTRADICTS, "claim_id"]
    score = best["score"].copy()
    text = best["finding_id"] + " (" + best["certainty"] + ")"
    score[score.index.isin(contradicted)] = -1.0
    return pd.DataFrame({"score": score, "text": text})


def _favours(kb: KB, a: pd.DataFrame, p: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Which side the evidence favours ('a', 'b' or '') and why."""
    favours = pd.Series("", index=p.index, dtype="object")
    why = pd.Series("", index=p.index, dtype="object")
    stated = _reference_statements(kb, a)
    names = short_citation(kb.references)
    key = ["subject", "attribute", "norm"]
    first = stated.drop_duplicates(key).set_index(key)  # the longest statement per value
    said_of = ("; " + first["reference_id"].map(names).fillna(first["reference_id"])
               + " (" + first["evidencetype"].str.replace("-", " ") + ", checked) says "
               + first.index.get_level_values("subject") + " is '" + first["stated"] + "'")
    on_side = {side: pd.MultiIndex.from_arrays([p["subject"], p["attribute"], p[f"norm_{side}"]])
               for side in ("a", "b")}
    for side, other in (("a", "b"), ("b", "a")):
        only = on_side[side].isin(first.index) & ~on_side[other].isin(first.index)
        favours[only] = side
        why[only] = said_of.reindex(on_side[side][only]).to_numpy(dtype=object)
    scores = _finding_score(kb)
    score_a = p["claim_id_a"].map(scores["score"]).fillna(0)
    score_b = p["claim_id_b"].map(scores["score"]).fillna(0)
    open_ = favours == ""
    for side, mine, theirs, col in (("a", score_a, score_b, "claim_id_a"),
                                    ("b", score_b, score_a, "claim_id_b")):
        wins = open_ & (mine > 0) & (mine > theirs)
        favours[wins] = side
        said = p[col].map(scores["text"]).astype("string").fillna("")  # none may be linked
        why[wins] = ("; " + p[col] + " is supported by " + said)[wins]
    why[favours == ""] = "; no finding or checked reference decides between them"
    return favours, why


def reference_agreements(kb: KB) -> pd.Series:
    """Per claim: the checked references whose notes state the claim's own categorical value
    ("Kalichman 2010 says dry needling is 'minimally invasive'"), in words."""
    a = _prepare(kb)
    stated = _reference_statements(kb, a)
    hits = a[a["kind"] == "categorical"].merge(stated, on=["subject", "attribute", "norm"])
    names = short_citation(kb.references)
    text = (hits["reference_id"].map(names).fillna(hits["reference_id"]) + " (checked) says "
            + hits["subject"] + " is '" + hits["stated"] + "'")
    return text.groupby(hits["claim_id"]).agg(lambda s: "; ".join(dict.fromkeys(s)))


def find_contradictions(kb: KB) -> pd.DataFrame:
    """Every cross-article contradiction between structured assertions, both sides shown."""
    a = _prepare(kb)
    p = _pairs(a)
    p = p[_disagree(p)]
    if p.empty:
        return pd.DataFrame({c: pd.Series(dtype="string") for c in COLUMNS})
    favours, why = _favours(kb, a, p)
    numeric = p["kind_a"] == "numeric"
    unit = p["unit_a"].where(p["unit_a"] == p["unit_b"], p["unit_a"] + "/" + p["unit_b"])
    rationale = np.where(numeric, "ranges do not overlap: ", "values differ: ")
    rationale = rationale + p["shown_a"] + " (" + p["source_id_a"] + ") vs " + p["shown_b"] \
        + " (" + p["source_id_b"] + ")" + why
    out = pd.DataFrame({
        "subject": p["subject"], "attribute": p["attribute"],
        "claim_a": p["claim_id_a"], "source_a": p["source_id_a"], "value_a": p["shown_a"],
        "claim_b": p["claim_id_b"], "source_b": p["source_id_b"], "value_b": p["shown_b"],
        "unit": unit.where(numeric, ""), "kind": p["kind_a"],
        "evidence_favours": favours, "rationale": rationale,
    })
    out = out.sort_values(["subject", "attribute", "claim_a", "claim_b", "value_a", "value_b"],
                          kind="stable").reset_index(drop=True)
    return out.astype("string")
