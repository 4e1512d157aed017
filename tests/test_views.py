"""kb.views: permalink parsing, bottom lines, card tables, claim filters, safe labels."""

from __future__ import annotations

import networkx as nx
import pandas as pd

from kb import views
from kb.cube import ConditionFilter
from kb.markdown import escape


def test_params_round_trip(kb):
    specs = views.filter_specs(kb)
    params = {"certainty": "moderate", "window": "short-term,long-term", "q": "back",
              "optimistic": "1"}
    values, warnings = views.parse_params(params, specs)
    assert not warnings
    assert values["window"] == ("short-term", "long-term") and values["optimistic"] is True
    assert views.serialise_params(values, specs) == params
    assert views.condition_filter(values) == ConditionFilter(
        min_certainty="moderate", time_windows=("short-term", "long-term"), conservative=False,
        text="back")


def test_bad_params_warn_and_default(kb):
    specs = views.filter_specs(kb)
    values, warnings = views.parse_params(
        {"certainty": "great", "window": "soon,immediate", "optimistic": "maybe",
         "source": "<script>"}, specs)
    assert values["certainty"] is None and values["window"] == ("immediate",)
    assert values["optimistic"] is False and values["source"] == ()
    assert len(warnings) == 4 and any("great" in w for w in warnings)


def test_certainty_param_accepts_spaces(kb):
    values, warnings = views.parse_params({"certainty": "Very Low"}, views.filter_specs(kb))
    assert values["certainty"] == "very-low" and not warnings


def test_defaults_are_left_out_unless_always():
    specs = [views.ParamSpec("a", "one", ("x", "y"), default="x"),
             views.ParamSpec("b", "one", ("x", "y"), default="x", always=True)]
    assert views.serialise_params({"a": "x", "b": "x"}, specs) == {"b": "x"}


def test_bottom_line_low_back_pain(kb):
    line = views.bottom_line(kb, "low-back-pain")
    # references.md v2: Liu 2018's "other treatments" include sham (sham-or-active), so the
    # sentence names no comparator class
    # the evidence issue: the basis travels with the level (Liu 2018's moderate is not GRADE)
    assert line == ("Low back pain: moderate-certainty (authors' wording, not GRADE) evidence that "
                    "dry needling probably reduces pain in the short term (up to 12 weeks) "
                    "(Liu 2018).")


def test_bottom_line_very_low_and_ungraded(kb):
    assert "very uncertain" in views.bottom_line(kb, "temporomandibular-disorders")
    assert views.bottom_line(kb, "carpal-tunnel-syndrome").startswith("No graded evidence")


def test_bottom_line_keeps_the_whole_range(kb):
    line = views.bottom_line(kb, "musculoskeletal-pain")
    assert "very low- to moderate-certainty" in line and "very uncertain" in line


def test_condition_findings(kb):
    findings = views.condition_findings(kb, "low-back-pain")
    row = findings.set_index("finding_id").loc["liu2018-pain-other-st"]
    assert row["ci_95"] == "-1.77 to -0.36" and row["review"] == "Liu 2018"


def test_filter_claims(kb):
    claims = views.claims_with_status(kb)
    picked = views.filter_claims(claims, sources=["nixon"], topics=["safety"])
    assert len(picked) and set(picked["source_id"]) == {"nixon"}
    cites = views.filter_claims(claims, reference_id="liu2018")
    assert all("liu2018" in r.split(";") for r in cites["reference_ids"])
    about = views.filter_claims(claims, condition_id="low-back-pain")
    assert all("low-back-pain" in c.split(";") for c in about["condition_ids"])
    assert set(views.safety_claims(claims)["topic"]) == {"safety", "contraindication"}


def test_condition_references_include_reviews_and_citations(kb):
    ids = views.condition_reference_ids(kb, "low-back-pain")
    assert ids[0] == "liu2018" and "physiopedia" in ids and len(ids) == len(set(ids))


def test_markup_is_escaped():
    assert escape("[x](javascript:alert(1))") == "\\[x\\]\\(javascript\\:alert\\(1\\)\\)"
    assert escape("https://e.example, www.e.example, a@e.example") == (
        "https\\:\u2060\\/\\/e\\.example\\, www\u2060\\.e\\.example\\, a\u2060\\@e\\.example")
    assert "<" not in views.plot_escape(__import__("pandas").Series(["<b>x</b>"]))[0]


def test_graph_frames_escape_labels():
    graph = nx.MultiDiGraph()
    graph.add_node("claim:x", kind="claim", label="<img src=x onerror=alert(1)>")
    graph.add_node("ref:y", kind="reference", label="y")
    graph.add_edge("claim:x", "ref:y", relation="cites")
    nodes, edges = views.graph_frames(graph, {"claim:x": (0, 0), "ref:y": (1, 1)})
    assert "<img" not in nodes["label"].iloc[0] and "&lt;img" in nodes["label"].iloc[0]
    assert edges[["source_x", "target_x"]].iloc[0].tolist() == [0.0, 1.0]


def test_bottom_line_when_favourable_findings_lack_a_known_grade(kb):
    line = views.bottom_line(kb, "neck-pain")
    assert "Navarro-Santana 2020" in line and "not known to us" in line
    assert "did not favour" not in line


def test_bottom_line_reports_graded_no_difference_too(kb):
    line = views.bottom_line(kb, "headache")
    assert "function or disability" in line
    # the evidence issue: "no better than an active treatment" names the treatment
    assert ("for pain it was no better than other treatments (very low-certainty evidence, "
            "Pourahmadi 2021)") in line


def test_bottom_line_for_reviews_without_grade(kb):
    line = views.bottom_line(kb, "upper-quarter-myofascial-pain")
    assert "Kietrys 2013" in line and "did not rate the certainty" in line


def test_condition_standing_has_four_values(kb):
    """Graded; evidence whose level is not stated (neck pain); reviews that rated nothing;
    listed as a possible use only (whiplash)."""
    assert views.condition_status(kb, "low-back-pain") == "graded"
    assert views.condition_status(kb, "neck-pain") == "evidence exists, level not stated"
    assert views.condition_status(kb, "upper-quarter-myofascial-pain") == "not graded"
    assert views.condition_status(kb, "whiplash") == "listed as a possible use only"


def test_card_says_where_reviews_disagree(kb):
    lines = views.review_disagreements(kb, "neck-pain")
    pain = next(line for line in lines if line.startswith("pain, short term"))
    assert "Navarro-Santana 2020" in pain and "Navarro-Santana 2022" in pain
    assert "wet needling" in pain and "level not stated" in pain
    assert views.review_disagreements(kb, "shoulder-pain") == []


def test_label_list_puts_single_values_and_lists_in_words():
    import pandas as pd

    from kb.vocab import TIME_WINDOW_LABEL

    values = pd.Series(["short-term", "immediate;short-term", "long-term, unknown", "", "odd"],
                       index=[4, 7, 9, 11, 12])
    assert views.label_list(values, TIME_WINDOW_LABEL).tolist() == [
        "short term", "immediate, short term", "long term, time not stated", "", "odd"]


def test_assessable_only_hides_not_assessable_unless_asked(kb):
    claims = views.claims_with_status(kb)
    kept = views.filter_claims(claims, assessable_only=True)
    assert "not assessable" not in set(kept["support_status"])
    assert len(kept) < len(claims)
    asked = views.filter_claims(claims, statuses=["not assessable"], assessable_only=True)
    assert set(asked["support_status"]) == {"not assessable"}


def test_explorer_cells_are_kept_per_way_of_counting(kb):
    """The explorer's window cells are computed once per way of counting and reused: each
    filter gets what a KB with an empty cache gives."""
    from kb.cube import ConditionFilter

    shared = kb.with_tables()
    for f in [ConditionFilter(), ConditionFilter(conservative=False),
              ConditionFilter(grade_only=True), ConditionFilter(outcomes=("function",)),
              ConditionFilter(min_certainty="moderate", conservative=False)]:
        pd.testing.assert_frame_equal(views.explorer_table(shared, f),
                                      views.explorer_table(kb.with_tables(), f), obj=str(f))


def test_filter_choices_are_the_kbs_and_made_once(kb):
    titles = views.source_titles(kb)
    assert list(titles) == kb.sources["source_id"].tolist()
    assert titles[kb.sources["source_id"].iloc[0]] == kb.sources["title"].iloc[0]
    assert views.body_regions(kb) == sorted(set(kb.conditions["body_region"]))
    spec = {s.name: s for s in views.filter_specs(kb)}["source"]
    assert spec.choices == frozenset(titles)
    assert views.source_titles(kb) is titles and views.filter_specs(kb) is views.filter_specs(kb)
