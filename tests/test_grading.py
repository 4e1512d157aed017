"""Claim certainty comes from the cited primary evidence, never from the article's tone."""

import pandas as pd

from kb.grading import certainty_bounds, level_value


def test_range_bounds_keep_both_ends():
    bounds = certainty_bounds(pd.Series(["very low to moderate", "low", "not graded"]))
    assert bounds["cert_min"].tolist()[:2] == [1, 2]
    assert bounds["cert_max"].tolist()[:2] == [3, 2]
    assert bounds.iloc[2].isna().all()


def test_level_value_reads_cli_and_label_spellings():
    assert level_value("very-low") == level_value("very low") == 1
    assert level_value(None) is None


def test_claim_grade_follows_restates_to_primary_review(minimal):
    claims = minimal.claims.set_index("claim_id")
    assert claims.loc["al-001", "certainty"] == "moderate"
    assert claims.loc["al-001", "time_window"] == "short-term"


def test_opinion_only_and_unreferenced_claims(minimal):
    claims = minimal.claims.set_index("claim_id")
    assert claims.loc["al-002", "certainty"] == "expert opinion"
    assert claims.loc["be-001", "certainty"] == "unreferenced"


def test_strong_wording_does_not_raise_the_grade(kb):
    claims = kb.claims.set_index("claim_id")
    strong = claims[claims["quote"].str.contains("strong evidence base", case=False)]
    assert len(strong) == 1
    # Verywell's references support the article as a whole: article-level, never a grade
    assert strong["certainty"].iloc[0] in {"not graded", "expert opinion", "article-level"}


def test_low_back_pain_claim_graded_through_physiopedia(kb):
    claims = kb.claims
    lbp = claims[(claims["source_id"] == "fizyoart") & claims["reference_ids"].eq("physiopedia")
                 & claims["condition_ids"].str.contains("low-back-pain")
                 & (claims["topic"] == "efficacy")]
    assert (lbp["certainty"] == "moderate").any()


def test_unreferenced_article_has_only_unreferenced_claims(kb):
    jubilant = kb.claims[kb.claims["source_id"] == "jubilant"]
    assert set(jubilant["certainty"]) == {"unreferenced"}
