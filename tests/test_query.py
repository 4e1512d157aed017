"""The condition query: minimum certainty within a time window, ranges kept whole."""

from kb import catalog
from kb.cube import ConditionFilter, evidence_map, query_conditions, ungraded_conditions

ALL = ConditionFilter()


def query(kb, f=ALL):
    return query_conditions(catalog.cube(kb), f)


def ungraded(kb, f=ALL):
    return ungraded_conditions(catalog.cube(kb), f)


def mapped(kb, f=ALL):
    return evidence_map(catalog.cube(kb), f)


def ids(frame):
    return set(frame["condition_id"])


def test_min_low_returns_graded_conditions_only(kb):
    result = ids(query(kb, ConditionFilter("low")))
    assert "low-back-pain" in result
    listed_only = {"whiplash", "phantom-limb-pain", "night-cramps", "pelvic-pain"}
    assert not result & listed_only


def test_moderate_short_term_shrinks_the_table(kb):
    everything = query(kb)
    moderate = query(kb, ConditionFilter("moderate", ("short-term",)))
    assert len(moderate) < len(everything)
    assert "temporomandibular-disorders" in ids(everything) - ids(moderate)
    assert "low-back-pain" in ids(moderate)


def test_range_counts_at_lower_bound_unless_optimistic(kb):
    """Evidence issue: a range such as 'very low to moderate' counts at its lower bound by
    default, so the top of a range never passes a threshold unless asked."""
    default = ids(query(kb, ConditionFilter("moderate")))
    optimistic = ids(query(kb, ConditionFilter("moderate", conservative=False)))
    assert "musculoskeletal-pain" in optimistic - default


def test_range_is_displayed_whole(kb):
    row = query(kb).set_index("condition_id").loc["musculoskeletal-pain"]
    assert row["best_certainty"] == "very low to moderate"


def test_long_term_window(minimal):
    result = query(minimal, ConditionFilter("very low", ("long-term",)))
    assert result[["condition_id", "best_certainty"]].values.tolist() == [
        ["back-pain", "very low to low"]]


def test_no_difference_finding_is_not_support(minimal):
    assert "neck-pain" not in ids(query(minimal))
    assert {"neck-pain", "whiplash"} <= ids(ungraded(minimal))


def test_filters_region_outcome_comparator_text(kb):
    assert ids(query(kb, ConditionFilter(regions=("back",)))) == {"low-back-pain"}
    other = ids(query(kb, ConditionFilter(comparators=("other-treatment",))))
    # references.md v2: Liu 2018's "other treatments" include sham dry needling (sham-or-active)
    assert "temporomandibular-disorders" in other and "shoulder-pain" not in other
    assert "low-back-pain" not in other
    pooled = ids(query(kb, ConditionFilter(comparators=("sham-or-active",))))
    assert "low-back-pain" in pooled
    assert ids(query(kb, ConditionFilter(text="heel"))) == {"plantar-heel-pain"}
    assert ids(query(kb, ConditionFilter(text="plantar fasciitis"))) == {
        "plantar-heel-pain"}
    ppt = ids(query(kb, ConditionFilter(outcomes=("ppt",))))
    assert "low-back-pain" not in ppt and "temporomandibular-disorders" in ppt


def test_source_filter_uses_article_claims(kb):
    nixon = ids(query(kb, ConditionFilter(source_ids=("nixon",))))
    assert "plantar-heel-pain" not in nixon


def test_counts_of_findings_and_claims(minimal):
    row = query(minimal).set_index("condition_id").loc["back-pain"]
    assert (row["n_findings"], row["n_claims"]) == (2, 1)
    assert row["time_windows"] == "short-term, long-term"


def test_evidence_map_cells(minimal):
    cells = mapped(minimal).set_index(["condition_id", "time_window"])
    assert cells.loc[("back-pain", "short-term"), "best_certainty"] == "moderate"
    assert cells.loc[("back-pain", "long-term"), "n_findings"] == 1


def test_grade_only_keeps_grade_rated_moderate_findings(kb):
    """`--grade-only`: Liu 2018's moderate is the authors' wording, so low back pain drops out;
    what stays has a GRADE-rated moderate or high finding at the range's lower bound."""
    graded = query(kb, ConditionFilter("moderate", grade_only=True))
    assert "low-back-pain" in ids(query(kb, ConditionFilter("moderate")))
    assert "low-back-pain" not in ids(graded)
    assert len(graded) and set(graded["certainty_basis"]) == {"grade"}
    f = kb.findings
    grade_rated = f[(f["certainty_basis"] == "grade") & (f["direction"] == "favours-dn")
                    & (f["cert_min"] >= 3)]
    assert ids(graded) <= set(grade_rated["condition_id"])


def test_cli_grade_only(capsysbinary):
    from kb.cli import main

    assert main(["query", "conditions", "--min-certainty", "moderate", "--grade-only",
                 "--format", "csv"]) == 0
    out = capsysbinary.readouterr().out.decode()
    assert "low-back-pain" not in out and "shoulder-pain" in out
