"""The FHIR R5 export, validated by fhir.resources (not by the code that wrote it)."""

from __future__ import annotations

import json

import pytest

from kb.cli import main

fhir = pytest.importorskip("fhir.resources", reason="fhir.resources not installed "
                           "(pip install 'fhir.resources>=8'; the dev extra has it)")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    path = tmp_path_factory.mktemp("fhir") / "bundle.json"
    assert main(["export", "fhir", "--output", str(path)]) == 0
    return json.loads(path.read_text(encoding="utf-8"))


def _resources(bundle, kind: str) -> dict[str, dict]:
    return {e["resource"]["id"]: e["resource"] for e in bundle["entry"]
            if e["resource"]["resourceType"] == kind}


def test_bundle_and_every_resource_validate(bundle):
    from fhir.resources import get_fhir_model_class

    get_fhir_model_class("Bundle").model_validate(bundle)
    for entry in bundle["entry"]:
        resource = entry["resource"]
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)


def test_a_citation_per_reference_and_an_evidence_per_finding(kb, bundle):
    assert _resources(bundle, "Citation").keys() == set(kb.references["reference_id"])
    assert _resources(bundle, "Evidence").keys() == set(kb.findings["finding_id"])


def test_citation_carries_title_identifiers_and_authors(bundle):
    gattie = _resources(bundle, "Citation")["gattie2017"]["citedArtifact"]
    assert gattie["title"][0]["text"].startswith("The Effectiveness of Trigger Point")
    assert {"system": "https://doi.org", "value": "10.2519/jospt.2017.7096"} in gattie[
        "identifier"]
    assert [e["contributor"]["display"] for e in gattie["contributorship"]["entry"]] == [
        "Gattie E.", "Cleland J. A.", "Snodgrass S."]
    assert gattie["publicationForm"][0]["publishedIn"]["title"] == "J Orthop Sports Phys Ther"


def test_evidence_statistic_ci_sample_size_and_grade_certainty(kb, bundle):
    evidence = _resources(bundle, "Evidence")
    rows = kb.findings[(kb.findings["effect_measure"] == "SMD")
                       & (kb.findings["ci_low"] != "unknown")]
    row = rows.iloc[0]
    statistic = evidence[row["finding_id"]]["statistic"][0]
    assert statistic["statisticType"]["coding"][0]["code"] == "0000100"
    assert statistic["quantity"]["value"] == float(row["effect"])
    estimate = statistic["attributeEstimate"][0]
    assert estimate["level"] == 0.95
    assert estimate["range"]["low"]["value"] == float(row["ci_low"])
    assert evidence[row["finding_id"]]["citeAsReference"]["reference"] == (
        f"Citation/{row['reference_id']}")
    graded = kb.findings[(kb.findings["certainty_basis"] == "grade")
                         & kb.findings["certainty"].isin(["low", "moderate", "very low"])]
    rating = evidence[graded.iloc[0]["finding_id"]]["certainty"][0]["rating"]
    assert rating["coding"][0]["system"] == "http://terminology.hl7.org/CodeSystem/certainty-rating"
    ranged = kb.findings[kb.findings["certainty"].str.contains(" to ")].iloc[0]
    rating = evidence[ranged["finding_id"]]["certainty"][0]["rating"]
    assert rating == {"text": ranged["certainty"]}  # a range has no GRADE code


def test_unknown_values_are_left_out(kb, bundle):
    evidence = _resources(bundle, "Evidence")
    text = json.dumps(list(evidence.values()))
    assert '"value": "unknown"' not in text
    unknown = kb.findings[kb.findings["effect"] == "unknown"]["finding_id"]
    assert all("quantity" not in s for f in unknown
               for s in evidence[f].get("statistic", []))
