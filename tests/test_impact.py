"""Reference impact and load-bearing references, on a fixture and the bundled KB."""

from pathlib import Path

import pandas as pd
import pytest

from kb.impact import load_bearing, reference_impact
from kb.load import load

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="module")
def fixture_kb():
    return load(FIXTURES / "analytics_basic")


def test_withdrawing_review_costs_back_pain_its_grade(fixture_kb):
    impact = reference_impact(fixture_kb, "review")
    claims = set(impact["claims"]["claim_id"])
    # cited directly, via page (restates review), or supported by its findings
    assert claims == {"al-001", "al-002", "al-003", "al-006", "al-007", "be-001"}
    via = impact["claims"].set_index("claim_id")["via"]
    assert via["al-001"].startswith("cites a reference that restates it")
    assert via["be-001"] == "supported by its finding rev-pain-sham-st"
    assert set(impact["findings"]["finding_id"]) == {"rev-pain-sham-st", "rev-pain-other-st",
                                                      "rev-pain-lt"}
    cond = impact["conditions"].set_index("condition_id")
    assert list(cond.index) == ["back-pain"]
    assert cond.loc["back-pain", "best_before"] == "moderate"
    assert cond.loc["back-pain", "best_after"] == "not graded"


def test_withdrawing_review2_changes_neck_pain(fixture_kb):
    cond = reference_impact(fixture_kb, "review2")["conditions"].set_index("condition_id")
    assert cond.loc["neck-pain", "best_before"] == "very low to low"
    assert cond.loc["neck-pain", "best_after"] == "not graded"
    # review2's back-pain finding is no-difference: back pain keeps its grade
    assert cond.loc["back-pain", "best_after"] == "moderate"
    assert not cond.loc["back-pain", "changed"]


def test_a_claim_citing_the_review_itself_is_not_said_to_reach_it_through_a_page(tmp_path):
    import shutil

    from kb.impact import dependencies

    data = shutil.copytree(FIXTURES / "analytics_basic", tmp_path / "data")
    claims = data / "claims.csv"
    claims.write_text(claims.read_text().replace(
        "al-001,alpha,Evidence,Dry needling is effective for back pain.,,page,",
        "al-001,alpha,Evidence,Dry needling is effective for back pain.,,page;review,"))
    deps = dependencies(load(data), "review")
    assert deps[deps["claim_id"] == "al-001"]["via"].tolist() == [
        "cites it", "supported by its finding rev-pain-sham-st"]


def test_unknown_reference_raises(fixture_kb):
    with pytest.raises(KeyError, match="nope"):
        reference_impact(fixture_kb, "nope")


def test_load_bearing_ranking(fixture_kb):
    ranked = load_bearing(fixture_kb)
    assert list(ranked.columns) == ["reference_id", "title", "n_claims_specific", "n_claims",
                                    "n_findings", "n_conditions"]
    assert ranked.iloc[0]["reference_id"] == "review"
    assert ranked.set_index("reference_id").loc["review", "n_claims"] == 6
    assert ranked["n_claims_specific"].is_monotonic_decreasing


@pytest.mark.parametrize("name", ["analytics_basic", None])
def test_load_bearing_counts_are_those_of_the_dependencies(name, kb):
    """Each count equals a plain pandas count over dependencies() and the findings."""
    from kb.impact import dependencies

    kb = load(FIXTURES / name) if name else kb
    deps = dependencies(kb)
    scope = deps["claim_id"].map(kb.claims.set_index("claim_id")["citation_scope"])
    specific = deps[(deps["via"] != "cites it") | (scope == "inline")]
    f = kb.findings
    expected = pd.DataFrame({
        "n_claims_specific": specific.groupby("reference_id")["claim_id"].nunique(),
        "n_claims": deps.groupby("reference_id")["claim_id"].nunique(),
        "n_findings": f.groupby("reference_id").size(),
        "n_conditions": f[f["condition_id"] != ""].groupby("reference_id")["condition_id"]
        .nunique(),
    }).reindex(kb.references["reference_id"]).fillna(0).astype("int64")
    ranked = load_bearing(kb).set_index("reference_id")
    pd.testing.assert_frame_equal(ranked[expected.columns], expected.loc[ranked.index])
    assert ranked["title"].ne("").all()
    assert len(ranked) == len(kb.references)


def test_bundled_liu2018_and_gattie(kb):
    liu = reference_impact(kb, "liu2018")
    assert "fa-087" in set(liu["claims"]["claim_id"])
    cond = liu["conditions"].set_index("condition_id")
    assert cond.loc["low-back-pain", "best_before"] == "moderate"
    assert cond.loc["low-back-pain", "best_after"] != "moderate"
    gattie = reference_impact(kb, "gattie2017")
    assert {"fa-079", "nx-026", "vw-007"} <= set(gattie["claims"]["claim_id"])
    assert len(gattie["findings"]) == (kb.findings["reference_id"] == "gattie2017").sum()


def test_every_reference_has_an_impact(kb):
    ranked = load_bearing(kb)
    assert set(ranked["reference_id"]) == set(kb.references["reference_id"])
    for ref in kb.references["reference_id"]:
        assert set(reference_impact(kb, ref)) == {"claims", "findings", "conditions"}


def test_article_wide_citations_do_not_make_a_reference_load_bearing(kb):
    ranked = load_bearing(kb).set_index("reference_id")
    # Verywell lists apta2013 once for its whole article: 100 claims, none specifically
    assert ranked.loc["apta2013", "n_claims"] == 100
    assert ranked.loc["apta2013", "n_claims_specific"] == 0
    top = load_bearing(kb)["reference_id"].head(3).tolist()
    assert "apta2013" not in top and "clevelandclinic" in top


@pytest.mark.parametrize("name", ["analytics_basic", None])
def test_one_references_dependencies_are_its_rows_of_all(name, kb):
    """dependencies(kb, ref) computes only ref's rows; they are exactly its rows of the whole."""
    import pandas as pd

    from kb.impact import dependencies

    kb = load(FIXTURES / name) if name else kb
    whole = dependencies(kb)
    for ref in kb.references["reference_id"]:
        mine = whole[whole["reference_id"] == ref].reset_index(drop=True)
        pd.testing.assert_frame_equal(dependencies(kb, ref), mine)
