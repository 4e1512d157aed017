"""Support status of every claim: does the article say what the evidence says?

The rules are written down as a table in data/README.md ("How a support status is decided");
this module is their one implementation. Each rule is a vectorised mask over all claims; the
first rule that applies wins, and every status carries a one-line rationale in words.

0. **override**: a curator's row in `status_overrides.csv`.
1. **contradicted**: a linked finding of no effect against sham or no treatment, or one that
   favours the comparator; a computed contradiction between articles that a checked reference
   or the findings decide against the claim (Kalichman 2010: minimally invasive); an
   adverse-event frequency the safety studies exclude.
2. **comparable to active treatment**: the only findings for the sentence show no difference
   from an active treatment (no evidence of no effect).
3. **unsupported**: an efficacy, indication, mechanism or safety claim that asserts something
   with no finding, safety figure or checked source behind it; a contraindication that no
   checked source lists.
4. **overstated**: the wording (raised one level by an intensifier) asserts more than the
   lower bound of the best supporting finding allows (GRADE guideline 26: high "is
   effective", moderate "probably", low "may", very low "very uncertain"); evidence whose
   level is not stated allows at most "may"; a linked null finding the sentence promises past.
5. **understated or misquoted**: the sentence credits a source that classifies a
   contraindication otherwise, or a curator's link note says it drops or misquotes part of a
   finding; or its wording is two or more levels below the evidence.
6. **consistent**: within what the evidence supports.
7. **not assessable**: nothing could assess it (definitions, logistics, what to wear, cost).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kb import vocab
from kb.citations import short_citation
from kb.columns import isin
from kb.contradictions import find_contradictions, reference_agreements
from kb.grading import claim_reach, reached_links
from kb.model import KB

S = vocab.SupportStatus
WORDING_LEVEL = vocab.WORDING_LEVEL
WORDING_PHRASE = vocab.WORDING_PHRASE
UNSTATED_CEILING = 2  # evidence whose level is not stated supports at most "may"
# words that raise a sentence's wording one level; negated ones ("no significant difference")
# raise nothing. The one home of the list: kb.detect reports the same words
INTENSIFIER = (r"(?<![\w-])(?<!\bno )(?<!\bnot )(?:very|highly|extremely|proven|"
               r"well[- ]researched|strong(?:ly)?|significant(?:ly)?|dramatic(?:ally)?|"
               r"remarkabl[ey]|high[- ]quality evidence|guarantee[ds]?|always|definitely|"
               r"completely|100%)(?![\w-])")
ASSERTING_TOPICS = frozenset({vocab.Topic.EFFICACY.value, vocab.Topic.MECHANISM.value,
                              vocab.Topic.INDICATION.value, vocab.Topic.SAFETY.value})
BENEFIT_TOPICS = frozenset({vocab.Topic.EFFICACY.value, vocab.Topic.MECHANISM.value,
                            vocab.Topic.INDICATION.value})
ACTIVE = frozenset(str(c) for c in vocab.ACTIVE_COMPARATORS)
OMISSION_NOTE = r"\b(?:omits?|omitted|drops?|dropped|leaves out|misquot\w*)\b"
CONTRAINDICATION = vocab.CONTRAINDICATION_ATTRIBUTE
LEVEL_OF_CLASS = vocab.CONTRAINDICATION_STRENGTH
# CIOMS frequency words as percentage ranges of treatments.
FREQUENCY_WORDS = {"very common": (10.0, 100.0), "common": (1.0, 100.0),
                   "uncommon": (0.1, 1.0), "rare": (0.0, 0.1), "very rare": (0.0, 0.01),
                   "extremely rare": (0.0, 0.01)}
SEVERITY_OF_SUBJECT = {"minor adverse events": ("minor",),
                       "serious adverse events": ("major", "serious")}
COLUMNS = ["support_status", "status_rationale", "status_overridden"]


def cited_references(kb: KB) -> pd.DataFrame:
    """(claim_id, reference_id): every reference a claim's own sentence reaches."""
    return claim_reach(kb.claims, kb.claim_findings, kb.findings)[["claim_id", "reference_id"]]


def certainty_words(certainty: pd.Series, basis: pd.Series) -> pd.Series:
    """'moderate (authors' wording, not GRADE)', 'low (GRADE)', 'level not stated'."""
    named = basis.map(vocab.CERTAINTY_BASIS_LABEL).fillna("")
    text = certainty.where(certainty != vocab.Ungraded.UNKNOWN, "level not stated")
    text = text.where(certainty != vocab.Ungraded.NOT_GRADED, "not graded")
    said = (certainty == vocab.Ungraded.UNKNOWN) & (basis == vocab.CertaintyBasis.NOT_STATED)
    return text + np.where((named != "") & ~said, " (" + named + ")", "")


def _links(kb: KB) -> pd.DataFrame:
    """Claim-finding links with what the rules need of the finding, in words."""
    f = kb.findings
    names = short_citation(kb.references)
    links = kb.claim_findings.merge(f[[
        "finding_id", "reference_id", "comparator", "outcome", "outcome_detail", "time_window",
        "direction",
        "certainty", "certainty_basis", "cert_min", "cert_max"]], on="finding_id")
    links["review"] = links["reference_id"].map(names).fillna(links["reference_id"])
    window = links["time_window"].map(vocab.TIME_WINDOW_LABEL).fillna(links["time_window"])
    links["about"] = (links["outcome"].map(vocab.OUTCOME_LABEL).fillna(links["outcome"]) + ", "
                      + window + ", vs "
                      + links["comparator"].map(vocab.COMPARATOR_LABEL).fillna(links["comparator"]))
    links["grade"] = certainty_words(links["certainty"], links["certainty_basis"])
    links["said"] = links["review"] + " (" + links["about"] + "; " + links["grade"] + ")"
    harm = links["outcome"] == vocab.Outcome.ADVERSE_EVENTS
    links.loc[harm, "said"] = links["review"] + ": " + links["outcome_detail"]
    links["ceiling"] = links["cert_min"].astype("float64").fillna(UNSTATED_CEILING)
    return links


def _first(frame: pd.DataFrame, order: list[str], ascending: bool = False) -> pd.DataFrame:
    ranked = frame.sort_values(order, ascending=ascending, na_position="last")
    return ranked.drop_duplicates("claim_id").set_index("claim_id")


def _weakest_part(support: pd.DataFrame) -> pd.DataFrame:
    """Per claim: the best supporting finding of each outcome the sentence speaks of (a stated
    level before an unstated one, then the higher lower bound), and of those the weakest: a
    claim of less pain and better function is only as strong as its weaker part."""
    ranked = support.assign(stated=support["cert_min"].notna()).sort_values(
        ["stated", "ceiling", "cert_max"], ascending=False, na_position="last")
    per_outcome = ranked.drop_duplicates(["claim_id", "outcome"])
    return _first(per_outcome, ["ceiling"], ascending=True)


def _per_claim(ids: pd.Series, values: pd.Series, default: object = "") -> pd.Series:
    out = ids.map(values)
    return out.astype(object).where(out.notna(), default)


def _wording(claims: pd.DataFrame) -> pd.Series:
    """The wording level, raised one step (to at most high) by an intensifier in the quote."""
    level = claims["wording_strength"].map(WORDING_LEVEL).fillna(0).astype("int64")
    raised = claims["quote"].str.contains(INTENSIFIER, case=False, regex=True).fillna(False)
    return (level + (raised & (level > 0)).astype("int64")).clip(upper=4)


def _assertion_conflicts(kb: KB) -> pd.DataFrame:
    """Per claim: computed contradictions the evidence decides against it, and undecided ones."""
    table = find_contradictions(kb)
    rows = []
    for side, other in (("a", "b"), ("b", "a")):
        part = table.assign(claim_id=table[f"claim_{side}"],
                            lost=table["evidence_favours"] == other,
                            other_source=table[f"source_{other}"],
                            other_value=table[f"value_{other}"])
        rows.append(part)
    both = pd.concat(rows, ignore_index=True)
    both = both[both["attribute"] != CONTRAINDICATION]
    text = (both["subject"] + " " + both["attribute"] + ": " + both["other_source"] + " says '"
            + both["other_value"] + "'")
    why = both["rationale"].str.split("; ", n=1).str[1].fillna("")
    both = both.assign(text=text, why=why)
    lost = _first(both[both["lost"]], ["claim_id"], ascending=True)
    open_ = both[~both["lost"] & (both["evidence_favours"] == "")].groupby("claim_id")["text"]
    return pd.DataFrame({"lost": lost["text"] + " (" + lost["why"] + ")",
                         "open": open_.agg("; ".join)})


def _frequency_conflicts(kb: KB) -> pd.DataFrame:
    """Per claim: an adverse-event frequency against the per-treatment safety figures."""
    a = kb.assertions[kb.assertions["subject"].isin(list(SEVERITY_OF_SUBJECT))
                      & (kb.assertions["attribute"] == "frequency")]
    figures = kb.safety_figures
    figures = figures[(figures["denominator_unit"] == vocab.DenominatorUnit.TREATMENTS)
                      & (figures["percent"] != "")]
    if a.empty or figures.empty:
        return pd.DataFrame({"contradicted": pd.Series(dtype="string"),
                             "agrees": pd.Series(dtype="string")})
    word = a["value"].str.strip().str.casefold()
    low = pd.to_numeric(a["value_min"], errors="coerce").fillna(word.map(
        lambda w: FREQUENCY_WORDS.get(w, (np.nan, np.nan))[0]))
    high = pd.to_numeric(a["value_max"], errors="coerce").fillna(word.map(
        lambda w: FREQUENCY_WORDS.get(w, (np.nan, np.nan))[1]))
    claimed = a.assign(lo=low.fillna(0.0), hi=high.fillna(100.0), known=low.notna() | high.notna())
    claimed = claimed[claimed["known"]]
    rows = []
    names = short_citation(kb.references)
    for subject, severities in SEVERITY_OF_SUBJECT.items():
        mine = claimed[claimed["subject"] == subject]
        theirs = figures[figures["severity"].isin(list(severities))]
        pairs = mine.merge(theirs, how="cross")
        rows.append(pairs)
    pairs = pd.concat(rows, ignore_index=True)
    if pairs.empty:
        return pd.DataFrame({"contradicted": pd.Series(dtype="string"),
                             "agrees": pd.Series(dtype="string")})
    counted = (pd.to_numeric(pairs["numerator"], errors="coerce")
               / pd.to_numeric(pairs["denominator"], errors="coerce") * 100)
    percent = counted.fillna(pd.to_numeric(pairs["percent"], errors="coerce"))
    fits = (pairs["lo"] <= percent) & (percent <= pairs["hi"])
    counts = pairs["numerator"] + " " + pairs["event"] + " in " + pairs["denominator"] \
        + " treatments (" + percent.map("{:.2g}%".format) + ")"
    said = pairs["reference_id"].map(names) + ": " + counts.where(
        (pairs["numerator"] != "") & (pairs["denominator"] != ""),
        pairs["event"] + " in " + pairs["percent"] + "% of treatments") \
        + " against '" + pairs["value"] + "'"
    pairs = pairs.assign(fits=fits, said=said)
    bad = pairs[~pairs["fits"]].groupby("claim_id")["said"].first()
    good = pairs[pairs["fits"]].groupby("claim_id")["said"].first()
    return pd.DataFrame({"contradicted": bad, "agrees": good}).astype("string")


def _safety_links(kb: KB) -> pd.DataFrame:
    """Per claim: the adverse-event figures a curator linked as supporting or contradicting it,
    in words ("Boyce 2020: minor AEs 7,531, 36.7%")."""
    names = short_citation(kb.references)
    links = kb.claim_safety.merge(kb.safety_figures[["figure_id", "reference_id", "wording"]],
                                  on="figure_id")
    links["said"] = links["reference_id"].map(names).fillna(links["reference_id"]) + ": " + \
        links["note"].where(links["note"] != "", links["wording"])
    grouped = {relation: links[links["relation"] == relation].groupby("claim_id")["said"].agg(
        lambda s: "; ".join(dict.fromkeys(s))) for relation in vocab.FindingRelation.values()}
    return pd.DataFrame(grouped).astype("string")


def _contraindication_checks(kb: KB) -> pd.DataFrame:
    """Per contraindication claim: the checked sources that agree, disagree or do not list it,
    and whether the source the sentence credits classifies it otherwise."""
    a = kb.assertions[kb.assertions["attribute"] == CONTRAINDICATION]
    sources = kb.contraindications[kb.contraindications["reference_id"] != ""]
    names = short_citation(kb.references)
    pairs = a.merge(sources, left_on="subject", right_on="item_id")
    if pairs.empty:
        return pd.DataFrame({c: pd.Series(dtype="string")
                             for c in ("agree", "disagree", "credited_other")})
    mine = pairs["value"].map(LEVEL_OF_CLASS)
    theirs = pairs["classification"].map(LEVEL_OF_CLASS)
    listed = pairs["classification"] != vocab.ContraindicationLevel.NOT_LISTED
    agree = listed & ((mine == theirs) | (mine == 0) | (theirs == 0))
    label = (pairs["reference_id"].map(names).fillna(pairs["reference_id"]) + " ("
             + pairs["classification"].str.replace("-", " ") + ")")
    pairs = pairs.assign(agree=agree, listed=listed, label=label)
    links = kb.reference_links
    restates = links[links["relation"] == vocab.ReferenceRelation.RESTATES]
    copy_of = restates.groupby("from_id")["to_id"].agg(list)
    cites = kb.claims.set_index("claim_id")["reference_ids"].str.split(";")
    credited = pd.Series([ref in set(cited) or bool(set(copy_of.get(ref, ())) & set(cited))
                          for ref, cited in zip(pairs["reference_id"],
                                                pairs["claim_id"].map(cites), strict=True)],
                         index=pairs.index)
    out = pd.DataFrame({
        "agree": pairs[pairs["agree"]].groupby("claim_id")["label"].agg("; ".join),
        "disagree": pairs[~pairs["agree"] & pairs["listed"]].groupby("claim_id")["label"].agg(
            "; ".join),
        "credited_other": pairs[credited & ~pairs["agree"]].groupby("claim_id")["label"].agg(
            "; ".join),
    })
    return out.astype("string")


def computed_status(kb: KB) -> pd.DataFrame:
    """Support status and rationale from the rules alone (no overrides), indexed like claims."""
    claims = kb.claims
    ids = claims["claim_id"]
    topic = claims["topic"]
    links = _links(kb)
    sup = links[links["relation"] == vocab.FindingRelation.SUPPORTS]
    con = links[links["relation"] == vocab.FindingRelation.CONTRADICTS]
    sham_null = con[(con["direction"] == vocab.Direction.NO_DIFFERENCE)
                    & (con["comparator"] == vocab.Comparator.SHAM_OR_NONE)
                    & con["cert_min"].notna()]  # an unrated null is no evidence of no effect
    beaten = con[con["direction"] == vocab.Direction.FAVOURS_COMPARATOR]
    harms = con[con["outcome"] == vocab.Outcome.ADVERSE_EVENTS]
    against_links = pd.concat([sham_null, beaten, harms])
    active_null = con[(con["direction"] == vocab.Direction.NO_DIFFERENCE)
                      & con["comparator"].isin(list(ACTIVE))]
    favourable = sup[sup["direction"] == vocab.Direction.FAVOURS_DN]
    decided = sham_null.index.union(beaten.index).union(harms.index).union(active_null.index)
    other_con = con[~con.index.isin(decided)]
    best = _weakest_part(sup)
    support_ceiling = ids.map(best["ceiling"]).astype("float64").fillna(0)
    by_claim = active_null["claim_id"].map(
        pd.Series(support_ceiling.to_numpy(), index=ids)).astype("float64")
    # equivalence to an active treatment, rated above the claim's own support, outweighs a
    # claim of benefit over that treatment; without support it is "comparable" (rule 2)
    outweighs = active_null[((by_claim > 0) & active_null["cert_min"].notna()
                             & (active_null["ceiling"] > by_claim)).to_numpy()]
    against = pd.concat([against_links, outweighs])
    against = _first(against, ["ceiling"])["said"]
    assertions = _assertion_conflicts(kb)
    frequency = _frequency_conflicts(kb)
    contra = _contraindication_checks(kb)
    safety = _safety_links(kb)

    level = _wording(claims)
    ceiling = support_ceiling
    best_said = _per_claim(ids, best["said"]).astype("string")
    lost = _per_claim(ids, assertions["lost"]).astype("string")
    undecided = _per_claim(ids, assertions["open"]).astype("string")
    freq_bad = _per_claim(ids, frequency["contradicted"]).astype("string")
    freq_bad = freq_bad.where(freq_bad != "", _per_claim(ids, safety["contradicts"]).astype(
        "string"))
    freq_good = _per_claim(ids, frequency["agrees"]).astype("string")
    freq_good = freq_good.where(freq_good != "", _per_claim(ids, safety["supports"]).astype(
        "string"))
    agree = _per_claim(ids, contra["agree"]).astype("string")
    agree = agree.where(agree != "", _per_claim(ids, reference_agreements(kb)).astype("string"))
    disagree = _per_claim(ids, contra["disagree"]).astype("string")
    against_text = _per_claim(ids, against).astype("string")
    comparable_text = _per_claim(ids, _first(active_null, ["ceiling"])["said"]).astype("string")
    promise_text = _per_claim(ids, _first(other_con, ["ceiling"])["said"]).astype("string")
    notes = links[links["note"].str.contains(OMISSION_NOTE, case=False, regex=True)]
    misquote = _per_claim(ids, (notes["review"] + ": " + notes["note"]).groupby(
        notes["claim_id"]).first()).astype("string")

    has_support = isin(ids, sup["claim_id"])
    has_favourable = isin(ids, favourable["claim_id"])
    is_contra = (topic == vocab.Topic.CONTRAINDICATION) & isin(
        ids, kb.assertions.loc[kb.assertions["attribute"] == CONTRAINDICATION, "claim_id"])
    asserts = (level >= WORDING_LEVEL["low"]) | is_contra | topic.isin([vocab.Topic.SAFETY.value,
                                                    vocab.Topic.INDICATION.value])
    evidence = has_support | (freq_good != "") | (agree != "")
    assessable_topic = topic.isin(ASSERTING_TOPICS | {vocab.Topic.CONTRAINDICATION.value})
    comparable = (comparable_text != "") & ~has_favourable & topic.isin(BENEFIT_TOPICS)
    credited_other = _per_claim(ids, contra["credited_other"]).astype("string")

    conditions = [
        (against_text != "") | (lost != "") | (freq_bad != ""),
        comparable,
        assessable_topic & asserts & ~evidence,
        has_support & ((level > ceiling) | (promise_text != "")),
        (credited_other != "") | (misquote != "") | (has_support & (level > 0)
                                                     & (level + 2 <= ceiling)),
        evidence | has_support,
    ]
    statuses = [S.CONTRADICTED.value, S.COMPARABLE.value, S.UNSUPPORTED.value,
                S.OVERSTATED.value, S.UNDERSTATED.value, S.CONSISTENT.value]
    status = np.select(conditions, statuses, default=S.NOT_ASSESSABLE.value)

    allowed = ceiling.astype("int64").map(WORDING_PHRASE)
    said = level.map(WORDING_PHRASE)
    contradiction = np.where(against_text != "", "a review found otherwise: " + against_text,
                             np.where(lost != "", "disagrees with " + lost,
                                      "the safety studies report otherwise: " + freq_bad))
    nothing = np.where(is_contra & (disagree != ""), "no checked source agrees with this "
                       "classification: " + disagree, np.where(
                           is_contra, "no checked contraindication source lists it",
                       np.where(claims["certainty"] == vocab.Ungraded.UNREFERENCED,
                                "the article cites nothing for it and no review speaks to it",
                                "no review, safety study or checked source speaks to it (it cites "
                                + claims["certainty"].map(vocab.CITED_PHRASE).fillna(
                                    claims["certainty"]) + ")")))
    overstated = np.where(promise_text != "",
                          "promises more than the evidence shows: " + promise_text,
                          "wording " + said + " is stronger than the evidence allows ("
                          + allowed + "): " + best_said)
    understated = np.where(credited_other != "",
                           "the source it credits classifies it otherwise: " + credited_other,
                           np.where(misquote != "", "drops or misquotes part of the finding: "
                                    + misquote, "wording " + said + " is weaker than "
                                    + best_said + " allows"))
    consistent = np.where(agree != "", "agrees with " + agree + np.where(
        disagree != "", "; other sources classify it otherwise: " + disagree, ""),
        np.where(freq_good != "", "matches " + freq_good,
                 "within the evidence: " + best_said))
    not_assessable = np.where(undecided != "", "the articles disagree and no evidence decides: "
                              + undecided, topic + " statement: nothing to assess it against")
    rationales = [contradiction, "no better than an active treatment, which is not evidence of "
                  "no effect: " + comparable_text, nothing, overstated, understated, consistent]
    rationale = np.select(conditions, rationales, default=not_assessable)
    reached = reached_links(claims, kb.claim_findings, kb.findings)
    uncited = has_support & ~isin(ids, reached.loc[
        reached["relation"] == vocab.FindingRelation.SUPPORTS, "claim_id"])
    rationale = np.where(uncited & np.isin(status, [S.CONSISTENT.value, S.OVERSTATED.value,
                                                    S.UNDERSTATED.value]),
                         rationale + " (evidence the sentence does not cite)", rationale)
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
