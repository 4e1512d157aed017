"""The evidence issue's classes of wrong verdicts, one example each, on the bundled KB."""

from __future__ import annotations

import pytest

from kb import catalog, vocab


@pytest.fixture(scope="module")
def claims(kb):
    return catalog.table(kb, "claims").set_index("claim_id")


def test_class1_restates_links_are_per_sentence(claims):
    physiopedia_only = claims[claims["reference_ids"] == "physiopedia"]
    graded = physiopedia_only[~physiopedia_only["certainty"].isin(["expert opinion"])]
    assert len(physiopedia_only) >= 30
    assert set(graded.index) <= {"fa-087", "fa-088"}  # the low-back-pain sentence, via Liu 2018
    assert claims.loc["fa-087", "certainty_basis"] == "authors-wording"
    mcaphee = claims[claims["reference_ids"].str.contains("mcaphee2022")]
    assert set(mcaphee.index[mcaphee["certainty"] == "not graded"]) == {"fa-108"}


def test_class2_article_wide_references_lend_nothing(claims):
    for claim_id in ("vw-055", "vw-058", "vw-088", "vw-097"):  # session, visits, soreness
        assert claims.loc[claim_id, "certainty"] == "article-level", claim_id


def test_class3_no_better_than_active_is_not_no_effect(claims):
    assert claims.loc["vw-022", "support_status"] == vocab.SupportStatus.COMPARABLE  # headache
    assert claims.loc["vw-023", "support_status"] == vocab.SupportStatus.OVERSTATED  # TMD
    assert "not evidence of no effect" in claims.loc["vw-022", "status_rationale"]


def test_class4_null_findings_give_no_window(kb, claims):
    """Every window a claim shows is backed by a linked finding in favour of dry needling."""
    links = kb.claim_findings.merge(kb.findings, on="finding_id")
    favour = links[(links["relation"] == "supports") & (links["direction"] == "favours-dn")]
    backed = set(zip(favour["claim_id"], favour["time_window"], strict=True))
    for claim_id, windows in claims["time_window"].items():
        for window in windows.split(";"):
            if window in ("immediate", "short-term", "long-term"):
                assert (claim_id, window) in backed, (claim_id, window)
    assert "long-term" not in claims.loc["fa-090", "time_window"]  # Gattie 6-12 months, ns


def test_class5_wording_rules(claims):
    assert claims.loc["nx-033", "support_status"] == "overstated"  # "very valuable"
    assert claims.loc["nx-026", "support_status"] == "overstated"  # "very effective"
    assert claims.loc["vw-003", "support_status"] == "consistent"  # "used to ease pain"


def test_class6_contradictions_decide_statuses(claims):
    row = claims.loc["vw-068"]  # "non-invasive" against Kalichman 2010, cited by Verywell
    assert row["support_status"] == "contradicted" and "Kalichman 2010" in row["status_rationale"]


def test_safety_frequencies_are_checked(claims):
    assert claims.loc["ju-044", "support_status"] == "contradicted"  # "rare" vs 36.7%
    assert claims.loc["fa-108", "support_status"] == "consistent"  # "<0.1%" vs 20 in 20,494
    assert claims.loc["fa-106", "support_status"] == "contradicted"  # "extremely rare"


def test_contraindications_by_source(claims):
    assert claims.loc["fa-124", "support_status"] == "understated or misquoted"  # infection
    pregnancy = claims.loc["vw-042"]
    assert pregnancy["support_status"] == "consistent"
    assert "classify it otherwise" in pregnancy["status_rationale"]
