"""Any text through the same status rules as the curated claims."""

import pytest

from kb import catalog
from kb.textcheck import check_text
from kb.textread import read_document

SENTENCES = {
    "Dry needling is proven to cure tennis elbow.": "overstated",
    "Dry needling may help reduce neck pain in the short term.": "consistent",
    "Serious adverse events occur in fewer than 1 per 10,000 treatments.": "contradicted",
    "Dry needling has no side effects.": "contradicted",
    "Bruising is a side effect.": "consistent",
    "Pregnant women should not receive dry needling.": "consistent",
    "People with an anxiety disorder should avoid dry needling.": "unsupported",
    "Fainting is a side effect of dry needling.": "unsupported",
    "Wear loose clothing.": "not assessable",
    "The sky is blue.": "not assessable",
}


@pytest.fixture(scope="module")
def report(kb):
    return check_text(read_document("\n\n".join(SENTENCES), "text"), kb)


def test_every_sentence_gets_the_status_of_the_rules(report):
    assert dict(zip(report["sentence"], report["status"], strict=True)) == SENTENCES


def test_rationales_name_the_evidence_and_keep_the_basis(report):
    row = report.set_index("sentence").loc
    boyce = row["Serious adverse events occur in fewer than 1 per 10,000 treatments."]
    assert "Boyce 2020: 20 major adverse events in 20494 treatments" in boyce["rationale"]
    elbow = row["Dry needling is proven to cure tennis elbow."]
    assert elbow["certainty"] == "low to moderate (GRADE)"
    assert "(evidence the sentence does not cite)" in elbow["rationale"]
    assert elbow["finding_ids"] and elbow["reference_ids"]
    assert row["The sky is blue."]["rationale"].startswith("could not classify")
    assert row["The sky is blue."]["certainty"] == ""


def test_comparable_and_understated_come_from_the_same_rules(kb):
    # a null against an active treatment, compared with, is "comparable" (not "no effect")
    doc = read_document("Dry needling works as well as other treatments for headaches.\n\n"
                        "Dry needling might slightly help knee OA pain.", "text")
    statuses = check_text(doc, kb)["status"].tolist()
    assert statuses[0] in ("comparable to active treatment", "overstated", "contradicted")
    assert set(statuses) <= set(catalog.table(kb, "claims")["support_status"].unique())


def test_an_empty_document_gives_an_empty_report(kb):
    assert check_text(read_document("Heading only", "text"), kb).empty
