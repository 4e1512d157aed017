"""Check any text against the evidence: each sentence gets a support status by the SAME rules
as the curated claims (kb.status), never by rules of its own.

Each sentence of the text becomes a claim of one extra source (`checked-text`): its topic,
conditions, wording strength and numbers come from kb.detect, and it is linked the way a
curator would link it, but by rule:
- an efficacy, indication or mechanism sentence that asserts something to the findings for
  the conditions it names (musculoskeletal pain when it names none), narrowed to the outcomes
  and time windows it speaks of, and to the comparators it speaks of where findings against
  them exist: a finding favouring dry needling supports it, a rated null against sham or a
  finding favouring the comparator contradicts it, and a null against an active treatment
  counts only where the sentence compares with one;
- a safety sentence to the adverse-event figures for the events it names (none for an event no
  figure counts, such as fainting); naming none, to the per-treatment minor figures when it
  says most events are minor, the serious ones when it calls dry needling safe; contradicted
  by them when it says there is no risk at all;
- its numbers, contraindication classes and invasiveness to (subject, attribute, value)
  assertions, so the safety-figure, contraindication-source, checked-reference and
  cross-article consensus rules apply to them.
A sentence naming several contraindication items, or listing several adverse events, makes
one claim per item or event, as a curator splits them; the sentence shows the most serious of
their statuses and each part's rationale.

The `[n]` markers of a sentence (or of its list's lead-in) are resolved through the text's
reference list to references.bib (kb.markers), so a sentence credits what it cites, and it is
graded by kb.grading.grade_claims like a curated claim. Then kb.status.computed_status runs on
the KB plus these claims (and the curated claims that share a subject with them, for the
consensus), and each sentence keeps its status and rationale. Certainty is the best linked
finding's, with its basis; a rationale using a finding the sentence does not cite says so.
"""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pandas as pd

from kb import vocab
from kb.detect import (
    COMPARATOR_CUES,
    NO_RISK,
    OUTCOME_CUES,
    UNCLASSIFIED,
    WINDOW_CUES,
    Number,
    adverse_events,
    build_lexicon,
    contraindication_class,
    cues,
    find_conditions,
    find_items,
    intensifiers,
    invasiveness,
    numbers,
    topics,
    wording,
)
from kb.grading import best_by_claim, grade_claims
from kb.markers import known_key, marker_numbers, numbered_entries
from kb.model import KB, kept
from kb.status import BENEFIT_TOPICS, certainty_words, computed_status
from kb.textread import Document

CHECKED_SOURCE = "checked-text"
DEFAULT_CONDITION = "musculoskeletal-pain"  # a benefit sentence that names no condition
COLUMNS = ["sentence_no", "section", "sentence", "topic", "condition_ids", "wording_strength",
           "numbers", "status", "certainty", "rationale", "finding_ids", "reference_ids"]
# kept beside COLUMNS for the app, draft-source and the agreement benchmark: `read` is the
# sentence with its list's lead-in, `parts` the (part, status, rationale) records of a
# sentence that makes one claim per contraindication item or adverse event
DETAIL = ["conditions", "intensifiers", "claim_id", "number_list", "items", "read", "parts"]
ACTIVE = {str(c) for c in vocab.ACTIVE_COMPARATORS}
SHAM = {vocab.Comparator.SHAM_OR_NONE.value, vocab.Comparator.SHAM_OR_ACTIVE.value}
EVENT_OF_FIGURE = {"soreness": r"soreness|pain after", "bruising": "bruising",
                   "bleeding": "bleeding", "pneumothorax": "pneumothorax", "fatigue": "fatigue",
                   "drowsiness": "drowsiness", "infection": "infection",
                   "headache": "headache", "nausea": "nausea", "fainting": "",
                   "stiffness": "", "nerve damage": "", "allergic reaction": "",
                   "organ damage": "pneumothor|major adverse|serious adverse"}
SERIOUS_SEVERITIES = [vocab.Severity.MAJOR.value, vocab.Severity.SERIOUS.value]
MOSTLY_MINOR = re.compile(r"\b(?:most|mostly|usually|generally|typically)\b.{0,40}"
                          r"\b(?:minor|mild)\b", re.I)
# "generally safe", "a low risk of complications", "serious complications are very rare"
SAFE = re.compile(r"\b(?:(?:generally|considered|regarded|relatively|is|are) safe|"
                  r"low risk|(?:serious|dangerous|major)\b.{0,40}\brare|rare\b.{0,40}\b"
                  r"(?:serious|dangerous|major))", re.I)
UNCLASSIFIED_RATIONALE = "could not classify this sentence: no topic rule matched it"


def detect(doc: Document, kb: KB) -> pd.DataFrame:
    """One row per sentence with what the detectors found (no status yet)."""
    lexicon = kept(kb, "text-check lexicon",
                      lambda k: build_lexicon(k.conditions, k.contraindication_items))
    text = [s.text for s in doc.sentences]
    # a list item is read with its lead-in ("Avoid dry needling if you have:" + the item)
    read = [f"{s.lead} {s.text}" if s.lead else s.text for s in doc.sentences]
    found = pd.DataFrame({
        "sentence_no": [s.sentence_no for s in doc.sentences],
        "section": [s.section for s in doc.sentences], "sentence": text})
    found["conditions"] = [find_conditions(s, lexicon) for s in text]
    found["items"] = [find_items(s, lexicon) for s in text]
    found["read"] = read
    found["topic"] = topics(read, [bool(c) for c in found["conditions"]],
                            [bool(i) for i in found["items"]])
    # wording strength is a claim of benefit: other topics promise no effect to grade
    found["wording_strength"] = [w if t in BENEFIT_TOPICS else vocab.WordingStrength.NONE.value
                                 for w, t in zip(wording(read), found["topic"], strict=True)]
    found["events"] = [adverse_events(s) for s in read]
    found["number_list"] = [numbers(s) for s in text]
    found["intensifiers"] = [intensifiers(s) for s in text]
    found["claim_id"] = [f"text-{n:05d}" for n in found["sentence_no"]]
    return found


def _parts(found: pd.DataFrame) -> pd.DataFrame:
    """One row per claim the sentences make: a contraindication sentence naming several items
    and a safety sentence listing several adverse events make one claim per item or event
    (as a curator splits them; each gets its own status), every other sentence one claim.
    `part` is the item or event ('' for a whole sentence), `claim_id` the sentence's id with
    `-k` for its k-th part."""
    contra = found["topic"] == vocab.Topic.CONTRAINDICATION
    listing = (found["topic"] == vocab.Topic.SAFETY) & ~found["read"].map(
        lambda s: bool(NO_RISK.search(s)))
    many = (contra & (found["items"].str.len() > 1)) | (listing & (found["events"].str.len() > 1))
    if not many.any():
        return found.assign(part="", sentence_id=found["claim_id"])
    part = found["items"].where(contra, found["events"]).where(many, [[""]] * len(found))
    out = found.assign(part=part, sentence_id=found["claim_id"]).explode("part")
    k = out.groupby(level=0).cumcount() + 1
    split = out["part"] != ""
    out["claim_id"] = out["sentence_id"].where(~split, out["sentence_id"] + "-" + k.astype(str))
    out["items"] = out["items"].where(~split | ~contra.reindex(out.index),
                                      out["part"].map(lambda p: [p]))
    out["events"] = out["events"].where(~split | contra.reindex(out.index),
                                        out["part"].map(lambda p: [p]))
    return out.reset_index(drop=True)


def _claims(found: pd.DataFrame, links: pd.DataFrame, kb: KB) -> pd.DataFrame:
    """The sentences as claims of the checked source, graded like curated claims: from the
    findings linked to them that their own citations reach (kb.grading.grade_claims)."""
    topic = found["topic"].where(found["topic"] != UNCLASSIFIED, vocab.Topic.DEFINITION.value)
    cited = found["reference_ids"] != ""
    claims = pd.DataFrame({
        "claim_id": found["claim_id"], "source_id": CHECKED_SOURCE,
        "section": found["section"], "statement": found["sentence"],
        "quote": found["read"], "reference_ids": found["reference_ids"],
        "citation_scope": cited.map({True: vocab.CitationScope.INLINE.value,
                                     False: vocab.CitationScope.NONE.value}),
        "condition_ids": found["conditions"].str.join(";"), "topic": topic,
        "wording_strength": found["wording_strength"]}).astype("string")
    if cited.any():
        graded = grade_claims(claims, links, kb.findings, kb.references)
        return pd.concat([claims, graded], axis=1).astype("string")
    # citing nothing, every sentence grades as a curated claim citing nothing does
    no_benefit = topic.isin([str(t) for t in vocab.NON_BENEFIT_TOPICS])
    claims["certainty"] = vocab.Ungraded.UNREFERENCED.value
    claims["certainty_basis"] = ""
    claims["time_window"] = no_benefit.map({True: vocab.TimeWindow.NOT_APPLICABLE.value,
                                            False: vocab.TimeWindow.UNKNOWN.value})
    return claims.astype("string")


def _cited(doc: Document, read: pd.Series, kb: KB) -> list[str]:
    """Per sentence: the references.bib keys its `[n]` markers (or its list's lead-in's) cite
    through the text's own reference list; entries the KB does not hold are left out."""
    entries = numbered_entries(doc.references)
    keys = {n: key for n, entry in entries.items() if (key := known_key(entry, kb.references))}
    return [";".join(dict.fromkeys(keys[n] for n in marker_numbers(s) if n in keys))
            for s in read]


def _allowed(pairs: pd.DataFrame, sentences: pd.Series, column: str, table: dict[str, str],
             widen: dict[str, set[str]] | None = None) -> np.ndarray:
    """Per sentence-finding pair: is the finding's value in `column` one the sentence speaks of
    (through a cue table; `widen` maps a cue to the values it covers), or does the sentence
    name none? One bitmask of allowed values per sentence, read per pair by numpy."""
    values = sorted(set(pairs[column]))
    bit = {v: 1 << i for i, v in enumerate(values)}
    every = (1 << len(values)) - 1
    masks = [sum(bit.get(v, 0) for v in set().union(*((widen or {}).get(c, {c}) for c in named)))
             if named else every for named in (cues(s, table) for s in sentences)]
    mask = np.array(masks, dtype=np.int64)[pairs["row"].to_numpy()]
    code = pairs[column].map(bit).to_numpy(dtype=np.int64)
    return (mask & code) != 0


def _finding_links(found: pd.DataFrame, kb: KB) -> pd.DataFrame:
    """Sentence-finding links by rule (see the module docstring), by joins and masks, not per
    row. An efficacy sentence that asserts nothing (wording 'none': "more studies are
    needed") is linked to nothing. The comparator narrows the findings only where it leaves
    some: a sentence speaking of combined treatment, where its conditions have no add-on
    finding, is compared with their other findings, as a curator would."""
    f = kb.findings[kb.findings["outcome"] != vocab.Outcome.ADVERSE_EVENTS]
    asserts = (found["topic"] != vocab.Topic.EFFICACY) | (
        found["wording_strength"] != vocab.WordingStrength.NONE)
    benefit = found[found["topic"].isin(BENEFIT_TOPICS) & asserts].reset_index(drop=True)
    if benefit.empty:
        return kb.claim_findings.iloc[:0].astype("string")
    conditions = benefit["conditions"].map(lambda c: c or [DEFAULT_CONDITION])
    pairs = pd.DataFrame({"row": benefit.index, "condition_id": conditions}).explode(
        "condition_id").merge(f[["finding_id", "condition_id", "outcome", "time_window",
                                 "comparator", "direction"]], on="condition_id")
    if pairs.empty:
        return kb.claim_findings.iloc[:0].astype("string")
    read = benefit["read"]
    pairs = pairs[_allowed(pairs, read, "outcome", OUTCOME_CUES)
                  & _allowed(pairs, read, "time_window", WINDOW_CUES)]
    widen = {vocab.Comparator.SHAM_OR_NONE.value: SHAM,
             vocab.Comparator.OTHER_TREATMENT.value: ACTIVE}
    by_comparator = _allowed(pairs, read, "comparator", COMPARATOR_CUES, widen)
    narrowed = pd.Series(by_comparator, index=pairs.index).groupby(pairs["row"]).transform("any")
    pairs = pairs[by_comparator | ~narrowed.to_numpy(dtype=bool)]
    pairs = pairs.assign(claim_id=benefit["claim_id"].to_numpy()[pairs["row"].to_numpy()])
    compares = np.array([vocab.Comparator.OTHER_TREATMENT.value in cues(s, COMPARATOR_CUES)
                         for s in read])[pairs["row"].to_numpy()]
    favours = pairs["direction"] == vocab.Direction.FAVOURS_DN
    worse = pairs["direction"].isin([vocab.Direction.FAVOURS_COMPARATOR.value,
                                     vocab.Direction.NO_DIFFERENCE.value])
    against = worse & (pairs["comparator"].isin(SHAM) | (
        pairs["comparator"].isin(ACTIVE) & compares))
    kept = pairs[favours | against]
    relation = favours[favours | against].map({True: vocab.FindingRelation.SUPPORTS.value,
                                               False: vocab.FindingRelation.CONTRADICTS.value})
    links = pd.DataFrame({"claim_id": kept["claim_id"], "finding_id": kept["finding_id"],
                          "relation": relation, "via": "", "note": ""})
    return pd.concat([kb.claim_findings.iloc[:0], links], ignore_index=True).astype("string")


@dataclasses.dataclass(frozen=True)
class _Figures:
    """The safety figures a sentence can be linked to, as (figure_id, note) lists: per event
    word, the per-treatment minor ones and the per-treatment serious ones."""

    by_event: dict[str, list[tuple[str, str]]]
    minor: list[tuple[str, str]]
    serious: list[tuple[str, str]]


def _figures(kb: KB) -> _Figures:
    figures = kb.safety_figures
    per_treatment = figures[figures["denominator_unit"] == vocab.DenominatorUnit.TREATMENTS]
    rows = lambda frame, note: list(zip(frame["figure_id"], frame[note], strict=True))  # noqa: E731
    by_event = {event: rows(figures[figures["event"].str.contains(pattern, case=False)],
                            "event") if pattern else []
                for event, pattern in EVENT_OF_FIGURE.items()}
    minor = per_treatment[per_treatment["severity"] == vocab.Severity.MINOR]
    serious = per_treatment[per_treatment["severity"].isin(SERIOUS_SEVERITIES)]
    return _Figures(by_event, rows(minor, "wording"), rows(serious, "wording"))


def _safety_links(found: pd.DataFrame, kb: KB) -> pd.DataFrame:
    """Sentence-figure links of a safety sentence: the figures of the events it names; with no
    event named, the per-treatment minor figures when it says most events are minor, the
    serious ones when it calls dry needling safe or serious events rare; all minor ones,
    contradicting, when it says there is no risk."""
    figures = kept(kb, "text-check figures", _figures)
    rows: list[tuple[str, str, str, str]] = []
    supports = vocab.FindingRelation.SUPPORTS.value
    safety = found[found["topic"] == vocab.Topic.SAFETY]
    for claim_id, sentence, number_list, events in safety[[
            "claim_id", "read", "number_list", "events"]].itertuples(index=False):
        if NO_RISK.search(sentence):
            rows += [(claim_id, f, vocab.FindingRelation.CONTRADICTS.value, note)
                     for f, note in figures.minor]
            continue
        if any(n.attribute == "frequency" for n in number_list):
            continue  # a frequency is checked against the figures by the status rules
        hit = [pair for e in events for pair in figures.by_event.get(e, [])]
        if not events and MOSTLY_MINOR.search(sentence):
            hit = figures.minor
        elif not events and SAFE.search(sentence):
            hit = figures.serious
        rows += [(claim_id, f, supports, note) for f, note in dict(hit).items()]
    links = pd.DataFrame(rows, columns=["claim_id", "figure_id", "relation", "note"])
    return pd.concat([kb.claim_safety.iloc[:0], links], ignore_index=True).astype("string")


def _assertions(found: pd.DataFrame) -> pd.DataFrame:
    """Numbers that say what they measure, and contraindication classes, as assertions."""
    rows = []
    for claim_id, topic, sentence, own, items, number_list in found[[
            "claim_id", "topic", "read", "sentence", "items", "number_list"]].itertuples(
            index=False):
        rows += [(claim_id, n.subject, n.attribute, n.value, n.value_min, n.value_max, n.unit)
                 for n in number_list if n.subject and n.attribute]
        invasive = invasiveness(own)  # of the sentence itself, not of its list's lead-in
        if invasive:
            rows.append((claim_id, "dry needling", "invasiveness", invasive, "", "", ""))
        level = contraindication_class(sentence) if topic == vocab.Topic.CONTRAINDICATION else ""
        if level:
            rows += [(claim_id, item, vocab.CONTRAINDICATION_ATTRIBUTE, level, "", "", "")
                     for item in items]
    return pd.DataFrame(rows, columns=["claim_id", "subject", "attribute", "value", "value_min",
                                       "value_max", "unit"], dtype="string")


def _with_text(kb: KB, claims: pd.DataFrame, links: pd.DataFrame, safety: pd.DataFrame,
               assertions: pd.DataFrame) -> KB:
    """The KB plus the text's claims; of the curated claims only those whose assertions share a
    subject and attribute with the text's are kept (the consensus the text is compared with)."""
    keys = assertions[["subject", "attribute"]].drop_duplicates()
    peers = kb.assertions.merge(keys, on=["subject", "attribute"])["claim_id"].unique()
    keep = kb.claims["claim_id"].isin(peers)
    kept = lambda frame: frame[frame["claim_id"].isin(peers)]  # noqa: E731
    return dataclasses.replace(
        kb, claims=pd.concat([kb.claims[keep], claims], ignore_index=True),
        claim_findings=pd.concat([kept(kb.claim_findings), links], ignore_index=True),
        assertions=pd.concat([kept(kb.assertions), assertions], ignore_index=True),
        claim_safety=pd.concat([kept(kb.claim_safety), safety], ignore_index=True),
        status_overrides=kb.status_overrides.iloc[:0],
        sources=pd.concat([kb.sources, pd.DataFrame({"source_id": [CHECKED_SOURCE]})],
                          ignore_index=True).fillna(""))


def _shown_numbers(number_list: list[Number]) -> str:
    return "; ".join(f"{n.subject} {n.attribute}: {n.value}" if n.subject else n.value
                     for n in number_list)


# when a sentence's parts differ, the sentence shows the most serious of their statuses
STATUS_ORDER = [S.value for S in (vocab.SupportStatus.CONTRADICTED,
                                   vocab.SupportStatus.UNSUPPORTED,
                                   vocab.SupportStatus.OVERSTATED,
                                   vocab.SupportStatus.UNDERSTATED,
                                   vocab.SupportStatus.COMPARABLE,
                                   vocab.SupportStatus.CONSISTENT,
                                   vocab.SupportStatus.NOT_ASSESSABLE)]


def _joined(frame: pd.DataFrame, key: str, column: str) -> pd.Series:
    return frame.groupby(key)[column].agg(lambda s: ";".join(dict.fromkeys(s)))


def _by_sentence(parts: pd.DataFrame, status: pd.DataFrame, names: dict[str, str]
                 ) -> pd.DataFrame:
    """Per sentence: its status (the most serious of its parts'), its rationale (each part's,
    named, when it has parts) and its parts as (part, status, rationale) records."""
    said = parts["claim_id"].map(status["support_status"]).astype("object")
    why = parts["claim_id"].map(status["status_rationale"]).astype("object")
    whole = parts["part"] == ""
    out = pd.DataFrame({"status": said[whole].to_numpy(), "rationale": why[whole].to_numpy()},
                       index=parts.loc[whole, "sentence_id"].to_numpy())
    split: dict[str, list[dict[str, str]]] = {}
    for sentence_id, part, one, reason in zip(parts.loc[~whole, "sentence_id"],
                                              parts.loc[~whole, "part"], said[~whole],
                                              why[~whole], strict=True):
        split.setdefault(sentence_id, []).append({"part": part, "status": one,
                                                  "rationale": reason})
    rank = {s: i for i, s in enumerate(STATUS_ORDER)}
    rows = [(min((p["status"] for p in ps), key=rank.__getitem__),
             "; ".join(f"{names.get(p['part'], p['part'])}: {p['rationale']}" for p in ps))
            for ps in split.values()]
    if rows:
        out = pd.concat([out, pd.DataFrame(rows, columns=["status", "rationale"],
                                           index=list(split))])
    out["parts"] = [split.get(i, []) for i in out.index]
    return out


def check_text(doc: Document, kb: KB) -> pd.DataFrame:
    """One row per sentence: COLUMNS (the report) and DETAIL."""
    found = detect(doc, kb)
    if found.empty:
        return pd.DataFrame(columns=COLUMNS + DETAIL)
    found["reference_ids"] = _cited(doc, found["read"], kb) if doc.references else ""
    parts = _parts(found)
    links = _finding_links(parts, kb)
    claims = _claims(parts, links, kb)
    safety = _safety_links(parts, kb)
    assertions = _assertions(parts)
    combined = _with_text(kb, claims, links, safety, assertions)
    status = computed_status(combined)
    mine = combined.claims["source_id"] == CHECKED_SOURCE
    status = status[mine.to_numpy()].set_index(combined.claims.loc[mine, "claim_id"])
    names = dict(zip(kb.contraindication_items["item_id"], kb.contraindication_items["label"],
                     strict=True))
    judged = _by_sentence(parts, status, names)
    sentence_of = parts.set_index("claim_id")["sentence_id"]
    links = links.assign(claim_id=links["claim_id"].map(sentence_of))
    safety = safety.assign(claim_id=safety["claim_id"].map(sentence_of))
    ids = found["claim_id"]
    out = found[["sentence_no", "section", "sentence", "topic"]].copy()
    out["condition_ids"] = found["conditions"].str.join(";")
    out["wording_strength"] = found["wording_strength"]
    out["numbers"] = found["number_list"].map(_shown_numbers)
    out["status"] = ids.map(judged["status"]).astype("object")
    out["rationale"] = ids.map(judged["rationale"]).astype("object")
    out.loc[found["topic"] == UNCLASSIFIED, "rationale"] = UNCLASSIFIED_RATIONALE
    linked = links.merge(kb.findings[["finding_id", "reference_id", "certainty",
                                      "certainty_basis", "cert_min", "cert_max", "direction",
                                      "time_window"]], on="finding_id")
    best = best_by_claim(linked[linked["relation"] == vocab.FindingRelation.SUPPORTS])
    out["certainty"] = ids.map(certainty_words(best["certainty"], best["certainty_basis"])
                               ).astype("object").fillna("")
    figure_refs = safety.merge(kb.safety_figures[["figure_id", "reference_id"]], on="figure_id")
    refs = pd.concat([linked[["claim_id", "reference_id"]],
                      figure_refs[["claim_id", "reference_id"]]])
    out["finding_ids"] = ids.map(_joined(linked, "claim_id", "finding_id")).astype(
        "object").fillna("")
    out["reference_ids"] = ids.map(_joined(refs, "claim_id", "reference_id")).astype(
        "object").fillna("")
    named = found["conditions"].explode().dropna()
    named = named.map(kb.conditions.set_index("condition_id")["label"]).fillna(named)
    out["conditions"] = named.groupby(level=0).agg("; ".join).reindex(found.index).fillna("")
    out["intensifiers"] = found["intensifiers"].str.join(";")
    out["claim_id"] = ids
    out["number_list"] = found["number_list"]
    out["items"] = found["items"]
    out["read"] = found["read"]
    out["parts"] = ids.map(judged["parts"])
    return out.reset_index(drop=True)


def unclassified(report: pd.DataFrame) -> pd.DataFrame:
    """The sentences no topic rule could classify."""
    return report[report["topic"] == UNCLASSIFIED]
