"""HL7 FHIR R5 export: a `Citation` for every reference and an `Evidence` for every finding, in
one `collection` Bundle (JSON). The tests validate it with `fhir.resources`.

Codes are used only where they are certain: statistic types SMD and MD, the 95% confidence
interval, GRADE ratings where the review's authors graded with GRADE at one level. A range
("very low to moderate") or another basis (the authors' wording, another tool) is the rating's
text, with the basis in the certainty's description and note. Conditions are text only: the KB
holds no checked condition codes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from kb.model import KB
from kb.safewrite import atomic_write

STATISTIC_TYPE = "http://terminology.hl7.org/CodeSystem/statistic-type"
STATISTIC_CODES = {"SMD": ("0000100", "Standardized Mean Difference"),
                   "MD": ("0000457", "Mean Difference")}
ESTIMATE_TYPE = "http://terminology.hl7.org/CodeSystem/attribute-estimate-type"
CERTAINTY_TYPE = "http://terminology.hl7.org/CodeSystem/certainty-type"
CERTAINTY_RATING = "http://terminology.hl7.org/CodeSystem/certainty-rating"
GRADE_CODES = {"high": "high", "moderate": "moderate", "low": "low", "very low": "very-low"}
VARIABLE_ROLE = "http://terminology.hl7.org/CodeSystem/variable-role"
IDENTIFIER_SYSTEMS = {"doi": "https://doi.org", "pmid": "https://pubmed.ncbi.nlm.nih.gov",
                      "pmcid": "https://www.ncbi.nlm.nih.gov/pmc"}
UNKNOWN = "unknown"


def _known(value: object) -> bool:
    return isinstance(value, str) and value not in ("", UNKNOWN)


def _number(value: str) -> float | int:
    number = float(value)
    return int(number) if number.is_integer() and "." not in value else number


def citation(record: dict) -> dict:
    """One reference as a FHIR R5 Citation."""
    from kb.bibliography import _people

    artifact: dict = {}
    if _known(record.get("title")):
        artifact["title"] = [{"text": record["title"]}]
    identifiers = [{"system": system, "value": record[f]}
                   for f, system in IDENTIFIER_SYSTEMS.items() if _known(record.get(f))]
    if identifiers:
        artifact["identifier"] = identifiers
    form: dict = {}
    if _known(record.get("journal")):
        form["publishedIn"] = {"title": record["journal"]}
    elif _known(record.get("publisher")):
        form["publishedIn"] = {"publisher": {"display": record["publisher"]}}
    for ours, theirs in (("volume", "volume"), ("number", "issue"), ("pages", "pageString")):
        if _known(record.get(ours)):
            form[theirs] = record[ours]
    issued = record.get("date") or record.get("year")
    if _known(issued):
        form["publicationDateText"] = issued
    if form:
        artifact["publicationForm"] = [form]
    if _known(record.get("url")):
        artifact["webLocation"] = [{"url": record["url"]}]
    if _known(record.get("urldate")):
        artifact["dateAccessed"] = record["urldate"]
    if _known(record.get("author")):
        people, others = _people(record["author"])
        artifact["contributorship"] = {
            "complete": not others,
            "entry": [{"contributor": {"display": f"{family} {given}".strip()},
                       "rankingOrder": rank} for rank, (family, given) in enumerate(people, 1)]}
    resource: dict = {"resourceType": "Citation", "id": record["reference_id"],
                      "status": "active", "citedArtifact": artifact}
    if _known(record.get("title")):
        resource["title"] = record["title"]
    if _known(record.get("note")):
        resource["note"] = [{"text": record["note"]}]
    return resource


def _variables(row: dict, condition: str | None) -> list[dict]:
    roles = [("population", condition), ("exposure", row["intervention"]),
             ("referenceExposure", row.get("comparator_detail") or row["comparator"]),
             ("measuredVariable", row.get("outcome_detail") or row["outcome"])]
    return [{"description": text, "variableRole": {"coding": [{"system": VARIABLE_ROLE,
                                                               "code": role}]}}
            for role, text in roles if _known(text)]


def _statistic(row: dict) -> dict | None:
    statistic: dict = {}
    measure = row["effect_measure"]
    if _known(measure):
        kind: dict = {"text": measure}
        if measure in STATISTIC_CODES:
            code, display = STATISTIC_CODES[measure]
            kind["coding"] = [{"system": STATISTIC_TYPE, "code": code, "display": display}]
        statistic["statisticType"] = kind
    if _known(row["effect"]):
        statistic["quantity"] = {"value": _number(row["effect"])}
    if _known(row["ci_low"]) and _known(row["ci_high"]):
        statistic["attributeEstimate"] = [{
            "type": {"coding": [{"system": ESTIMATE_TYPE, "code": "C53324",
                                 "display": "Confidence interval"}]},
            "level": 0.95,
            "range": {"low": {"value": _number(row["ci_low"])},
                      "high": {"value": _number(row["ci_high"])}}}]
    size = {theirs: int(row[ours]) for ours, theirs in (("n_studies", "numberOfStudies"),
                                                         ("n_participants",
                                                          "numberOfParticipants"))
            if _known(row[ours])}
    if size:
        statistic["sampleSize"] = size
    if _known(row.get("effect_note")):
        statistic["note"] = [{"text": row["effect_note"]}]
    if not statistic:
        return None
    statistic["description"] = f"{row['direction']}; time window {row['time_window']}"
    return statistic


def _certainty(row: dict) -> dict:
    level, basis = row["certainty"], row["certainty_basis"]
    rating: dict = {"text": level}
    if basis == "grade" and level in GRADE_CODES:
        rating["coding"] = [{"system": CERTAINTY_RATING, "code": GRADE_CODES[level]}]
    certainty = {"type": {"coding": [{"system": CERTAINTY_TYPE, "code": "Overall"}]},
                 "rating": rating, "description": f"Certainty basis: {basis}"
                 + (f" ({row['certainty_tool']})" if _known(row.get("certainty_tool")) else "")}
    notes = [row[f] for f in ("certainty_wording", "certainty_note") if _known(row.get(f))]
    if notes:
        certainty["note"] = [{"text": n} for n in notes]
    return certainty


def evidence(row: dict, condition: str | None) -> dict:
    """One finding as a FHIR R5 Evidence."""
    title = " - ".join(p for p in (condition, row.get("outcome_detail") or row["outcome"],
                                   row["time_window"]) if _known(p))
    resource: dict = {"resourceType": "Evidence", "id": row["finding_id"], "status": "active",
                      "title": title, "variableDefinition": _variables(row, condition),
                      "certainty": [_certainty(row)]}
    if _known(row["reference_id"]):
        resource["citeAsReference"] = {"reference": f"Citation/{row['reference_id']}"}
    statistic = _statistic(row)
    if statistic:
        resource["statistic"] = [statistic]
    if _known(row.get("note")):
        resource["note"] = [{"text": row["note"]}]
    return resource


def bundle(kb: KB) -> dict:
    """Every reference and finding in one FHIR R5 collection Bundle."""
    labels = dict(zip(kb.conditions["condition_id"], kb.conditions["label"], strict=True))
    refs = kb.references.astype(object).where(kb.references.notna(), "").to_dict("records")
    findings = kb.findings.astype(object).where(kb.findings.notna(), "").to_dict("records")
    resources = [citation(r) for r in refs]
    resources += [evidence(f, labels.get(f["condition_id"])) for f in findings]
    return {"resourceType": "Bundle", "type": "collection",
            "timestamp": pd.Timestamp.now(tz="UTC").isoformat(timespec="seconds"),
            "entry": [{"fullUrl": f"urn:dn-evidence-kb:{r['resourceType']}/{r['id']}",
                       "resource": r} for r in resources]}


def write_fhir(kb: KB, output: Path) -> Path:
    """Write the Bundle as JSON to output, atomically."""
    output = Path(output)
    text = json.dumps(bundle(kb), ensure_ascii=False, indent=1) + "\n"
    atomic_write(output, text)
    return output
