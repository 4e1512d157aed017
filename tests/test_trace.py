"""Evidence trails: fixture trails known by construction and the two seed examples."""

from pathlib import Path

import pytest
from conftest import synthetic_kb

from kb.edges import build_edges
from kb.load import load
from kb.trace import NO_FINDING, NO_PRIMARY, UNREFERENCED, format_trace, trace

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="module")
def fixture_kb():
    return load(FIXTURES / "analytics_basic")


def _ids(steps):
    return [(s["depth"], s["kind"], s["id"]) for s in steps]


def test_fixture_trail_through_restates(fixture_kb):
    steps = trace(fixture_kb, "al-001")
    assert _ids(steps) == [(0, "claim", "al-001"), (1, "reference", "page"),
                           (2, "reference", "review"), (3, "finding", "rev-pain-sham-st")]
    assert steps[2]["relation"] == "restates"
    assert steps[3]["certainty"] == "moderate"
    assert all(s["end"] == "" for s in steps)


def test_fixture_trail_ends(fixture_kb):
    opinion = trace(fixture_kb, "al-004")
    assert opinion[1]["id"] == "opinion" and opinion[1]["end"] == NO_PRIMARY
    review = trace(fixture_kb, "al-010")
    assert review[1]["id"] == "review2" and review[1]["end"] == NO_FINDING
    bare = trace(fixture_kb, "be-001")
    assert bare[0]["end"] == UNREFERENCED
    assert bare[1]["id"] == "rev-pain-sham-st" and bare[1]["cited"] is False


def test_unknown_claim_raises(fixture_kb):
    with pytest.raises(KeyError, match="no-such-claim"):
        trace(fixture_kb, "no-such-claim")


def test_low_back_pain_trail_runs_through_physiopedia_to_liu2018(kb):
    steps = trace(kb, "fa-087")
    ids = [s["id"] for s in steps]
    assert ids[:3] == ["fa-087", "physiopedia", "liu2018"]
    assert steps[2]["relation"] == "restates" and steps[2]["depth"] == 2
    finding = next(s for s in steps if s["id"] == "liu2018-pain-other-st")
    assert finding["depth"] == 3 and finding["certainty"] == "moderate" and finding["cited"]


def test_adverse_event_trail_runs_through_mcaphee_to_boyce(kb):
    steps = trace(kb, "fa-108")
    assert [s["id"] for s in steps[:4]] == ["fa-108", "mcaphee2022", "boyce2020",
                                           "boyce2020-major-ae"]
    assert steps[3]["depth"] == 3 and steps[1]["end"] == ""


def test_book_trail_ends_without_primary_evidence(kb):
    steps = trace(kb, "nx-026")
    book = next(s for s in steps if s["id"] == "dommerholt2013book")
    assert book["end"] == NO_PRIMARY


def test_every_claim_traces_the_same_from_the_edge_arrays(kb):
    """Every bundled claim's trail read from its neighbourhood in the edge arrays equals the
    trail read from the whole tables."""
    edges = build_edges(kb)
    for claim_id in kb.claims["claim_id"]:
        steps = trace(kb, claim_id)
        assert steps[0]["id"] == claim_id
        assert format_trace(steps).startswith(f"claim {claim_id}")
        assert trace(kb, claim_id, edges) == steps, claim_id


def test_edge_array_trails_on_a_synthetic_kb(tmp_path):
    kb = synthetic_kb(tmp_path / "synth", 3000, seed=7)
    edges = build_edges(kb)
    sample = kb.claims["claim_id"].iloc[::37]
    linked = kb.claim_findings["claim_id"].iloc[:: max(1, len(kb.claim_findings) // 40)]
    assert len(linked)  # trails that reach findings are in the sample
    for claim_id in [*sample, *linked]:
        assert trace(kb, claim_id, edges) == trace(kb, claim_id), claim_id


def test_unknown_claim_raises_from_the_edge_arrays(fixture_kb):
    with pytest.raises(KeyError, match="unknown claim id: 'no-such-claim'"):
        trace(fixture_kb, "no-such-claim", build_edges(fixture_kb))


def test_format_is_an_indented_tree(kb):
    text = format_trace(trace(kb, "fa-087"))
    lines = text.splitlines()
    assert lines[1].startswith("  cites physiopedia")
    assert lines[2].startswith("    restates liu2018")
    assert "liu2018-pain-other-st (moderate" in lines[3] and lines[3].startswith("      ")


def test_restates_only_for_the_sentence_it_is_recorded_for(kb):
    """Physiopedia restates Liu 2018 in the low-back-pain sentence (fa-087) only: its other
    sentences' trails stop at the web page (the evidence issue, class 1)."""
    from kb.trace import trace

    lbp = trace(kb, "fa-087")
    assert any(s["id"] == "liu2018" and s["relation"] == "restates" for s in lbp)
    assert "authors' wording" in lbp[0]["certainty"]
    depth = trace(kb, "fa-036")
    assert not any(s["id"] == "liu2018" for s in depth)
    assert {s["end"] for s in depth if s["kind"] == "reference"} == {"no primary evidence"}


def test_trail_steps_carry_section_passage_and_review(kb):
    """The data the trail's cards show: the claim's section, what the page restates (the
    curator's note) and the review reporting each finding."""
    steps = trace(kb, "fa-087")
    assert steps[0]["section"] == "What does the scientific evidence on dry needling show?"
    restated = steps[2]
    assert restated["reference_id"] == "physiopedia" and "Liu 2018" in restated["note"]
    finding = next(s for s in steps if s["id"] == "liu2018-pain-other-st")
    assert finding["reference_id"] == "liu2018"
