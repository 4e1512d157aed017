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


# --- rules changed for agreement with the curated statuses (issue 16, bench/README.md) -------

def _check(kb, text):
    return check_text(read_document(text, "text"), kb)


def test_each_contraindication_item_gets_its_own_status(kb):
    row = _check(kb, "Dry needling is not suitable for pregnant women or people with an "
                     "anxiety disorder.").iloc[0]
    parts = {p["part"]: p["status"] for p in row["parts"]}
    assert parts == {"pregnancy": "consistent", "anxiety-disorder": "unsupported"}
    assert row["status"] == "unsupported"  # the most serious of its parts
    assert "pregnancy: agrees with" in row["rationale"]


def test_each_listed_adverse_event_gets_its_own_status(kb):
    row = _check(kb, "Side effects include bruising and fainting.").iloc[0]
    assert {p["part"]: p["status"] for p in row["parts"]} == {
        "bruising": "consistent", "fainting": "unsupported"}


def test_list_items_are_read_with_their_lead_in(kb):
    report = _check(kb, "You should avoid dry needling if you have:\n\n- A pacemaker\n\n"
                        "- An anxiety disorder")
    items = report[report["sentence"] != report["read"]]
    assert items["topic"].tolist() == ["contraindication", "contraindication"]
    assert items["status"].tolist() == ["consistent", "unsupported"]


@pytest.mark.parametrize(("text", "status", "reference"), [
    ("Dry needling is generally safe when a trained provider performs it.", "consistent",
     "boyce2020"),
    ("Most of these side effects are minor.", "consistent", "boyce2020"),
    ("Side effects are usually not severe.", "unsupported", ""),
])
def test_safe_and_mostly_minor_sentences_meet_the_figures(kb, text, status, reference):
    row = _check(kb, text).iloc[0]
    assert row["status"] == status
    assert reference in row["reference_ids"]


def test_invasiveness_is_checked_against_the_checked_references(kb):
    row = _check(kb, "Like any invasive procedure, it is not entirely without risk.").iloc[0]
    assert row["status"] == "consistent"
    assert "Kalichman 2010" in row["rationale"]


def test_an_efficacy_sentence_that_asserts_nothing_is_not_assessable(kb):
    assert _check(kb, "Researchers say larger studies are needed.").iloc[0]["status"] == (
        "not assessable")


def test_a_comparator_without_findings_does_not_hide_the_conditions_findings(kb):
    row = _check(kb, "Combined with exercise, dry needling has been shown to improve plantar "
                     "fasciitis pain.").iloc[0]  # its findings are against sham or active care
    assert row["finding_ids"] != ""
    assert row["status"] == "overstated"


def test_a_sham_comparison_is_not_contradicted_by_active_comparisons(kb):
    row = _check(kb, "Dry needling may reduce pain compared with no treatment or sham "
                     "needling.").iloc[0]
    assert row["status"] != "contradicted"


def test_the_texts_own_citations_are_read(kb):
    text = ("It is either not appropriate, or requires consulting a physician first, where "
            "there is an infection at the application site [1].\n\nReferences\n\n"
            "1. Dry Needling. https://www.physio-pedia.com/Dry_Needling")
    row = _check(kb, text).iloc[0]
    assert row["status"] == "understated or misquoted"  # physioman (Physiopedia) lists it not
    assert "the source it credits classifies it otherwise" in row["rationale"]
    uncited = _check(kb, text.replace(" [1]", "")).iloc[0]
    assert uncited["status"] != "understated or misquoted"
