"""Cross-source contradictions: fixture pairs known by construction, and the seeds' real ones."""

from pathlib import Path

import pytest
from conftest import synthetic_kb

from kb.contradictions import COLUMNS, find_contradictions
from kb.load import load

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="module")
def fixture_pairs():
    found = find_contradictions(load(FIXTURES / "analytics_basic"))
    return found.set_index(["claim_a", "claim_b"])


def test_columns(fixture_pairs):
    assert list(fixture_pairs.reset_index()[COLUMNS].columns) == COLUMNS


def test_exactly_the_constructed_contradictions(fixture_pairs):
    assert set(fixture_pairs.index) == {
        ("al-011", "be-008"),  # 24-36 hours vs 2-7 days, across units
        ("al-013", "be-010"),  # absolute vs relative
        ("al-015", "be-011"),  # non-invasive vs minimally invasive
        ("al-015", "ga-002"),  # non-invasive vs invasive
        ("al-016", "be-012"),  # 1 vs 3-5 sessions
    }
    # al-005/be-007 (15-30 vs 30-60 minutes) and be-008/ga-001 (2-7 days vs up to 48 hours)
    # share an end point, so they agree.
    # al-011 (24-36 h) overlaps ga-001 (up to 48 h); dwell times overlap; same-article
    # al-013/al-014 are never compared; minimally invasive agrees with invasive.


def test_kinds_and_units(fixture_pairs):
    assert fixture_pairs.loc[("al-011", "be-008"), "kind"] == "numeric"
    assert fixture_pairs.loc[("al-011", "be-008"), "unit"] == "hours/days"
    assert fixture_pairs.loc[("al-013", "be-010"), "kind"] == "categorical"


def test_evidence_favours(fixture_pairs):
    # a read narrative review calls it minimally invasive: side b both times
    assert fixture_pairs.loc[("al-015", "be-011"), "evidence_favours"] == "b"
    assert fixture_pairs.loc[("al-015", "ga-002"), "evidence_favours"] == "b"
    assert "narrative" in fixture_pairs.loc[("al-015", "ga-002"), "rationale"]
    # al-016 is backed by a finding, be-012 by nothing
    assert fixture_pairs.loc[("al-016", "be-012"), "evidence_favours"] == "a"


@pytest.fixture(scope="module")
def bundled(kb):
    return find_contradictions(kb)


def _pair(found, claim_x, claim_y):
    a, b = sorted([claim_x, claim_y])
    hit = found[(found["claim_a"] == a) & (found["claim_b"] == b)]
    assert len(hit) == 1, f"{a} vs {b} not found"
    return hit.iloc[0]


def test_verywell_non_invasive_against_every_other_article(bundled):
    rows = bundled[bundled["attribute"] == "invasiveness"]
    assert (rows["source_a"] != rows["source_b"]).all()
    assert set(rows["claim_a"]) | set(rows["claim_b"]) >= {"vw-068", "fa-006", "ju-034", "ju-069"}
    assert rows.apply(lambda r: "vw-068" in (r["claim_a"], r["claim_b"]), axis=1).all()
    row = _pair(bundled, "vw-068", "ju-069")
    favoured = row["claim_a"] if row["evidence_favours"] == "a" else row["claim_b"]
    assert favoured == "ju-069"
    assert "Kalichman 2010" in row["rationale"]  # in words, not ids (the evidence issue)


def test_pregnancy_not_suitable_vs_relative(bundled):
    row = _pair(bundled, "vw-042", "fa-130")
    assert {row["value_a"], row["value_b"]} == {"not-suitable", "relative"}
    assert row["evidence_favours"] == ""


def test_avoid_or_caution_conflicts_with_neither(bundled):
    """Jubilant's "avoid and/or be cautious" is unclassified: no contradiction with Verywell's
    "not suitable" nor with FizyoArt's "relative" (an artefact of the first audit)."""
    pairs = set(zip(bundled["claim_a"], bundled["claim_b"], strict=True))
    assert ("ju-080", "vw-042") not in pairs and ("fa-130", "ju-080") not in pairs


def test_soreness_duration_disagreement(bundled):
    row = _pair(bundled, "fa-104", "vw-088")
    assert row["kind"] == "numeric" and row["unit"] == "hours"
    assert row["value_a"] == "24-36 hours"


def test_a_whole_visit_is_not_compared_with_a_needling_session(bundled):
    pairs = set(zip(bundled["claim_a"], bundled["claim_b"], strict=True))
    assert ("ju-055", "vw-058") not in pairs


def test_local_infection_absolute_vs_avoid_or_caution_is_no_contradiction(bundled):
    """Jubilant's "avoid and/or be cautious" of infection conflicts with neither class."""
    pairs = set(zip(bundled["claim_a"], bundled["claim_b"], strict=True))
    assert ("fa-124", "ju-075") not in pairs


def test_genuine_disagreements_are_found(bundled):
    """The evidence issue's list: aftercare, how common side effects are, evidence strength,
    healing, timing of the first treatment, soreness durations."""
    found = set(zip(bundled["subject"], bundled["attribute"], strict=True))
    assert {("aftercare", "needed"), ("minor adverse events", "frequency"),
            ("dry needling evidence", "strength"), ("dry needling", "heals tissue"),
            ("first needling", "timing"), ("post-treatment soreness", "duration")} <= found


def test_no_same_article_pairs(bundled, kb):
    assert (bundled["source_a"] != bundled["source_b"]).all()
    assert (bundled["claim_a"] < bundled["claim_b"]).all()


def test_values_in_words_are_shown_without_a_second_unit(bundled):
    row = _pair(bundled, "fa-104", "vw-088")
    assert row["value_b"] == "several days up to one week"


def _pairwise(a):
    """The former quadratic pairing: every pair of one subject and attribute, then filtered."""
    from kb.contradictions import PAIR_COLUMNS

    p = a[PAIR_COLUMNS].merge(a[PAIR_COLUMNS], on=["subject", "attribute"], suffixes=("_a", "_b"))
    keep = ((p["source_id_a"] != p["source_id_b"]) & (p["claim_id_a"] < p["claim_id_b"])
            & (p["kind_a"] == p["kind_b"]))
    return p[keep].reset_index(drop=True)


def _synthetic(tmp_path):
    return synthetic_kb(tmp_path / "synth", 4000, seed=11)


@pytest.mark.parametrize("which", ["bundled", "analytics_basic", "synthetic"])
def test_sorted_pairing_equals_the_pairwise_algorithm(which, kb, tmp_path, monkeypatch):
    import kb.contradictions as contradictions

    source = {"bundled": lambda: kb, "analytics_basic": lambda: load(FIXTURES / which),
              "synthetic": lambda: _synthetic(tmp_path)}[which]()
    fast = find_contradictions(source)
    monkeypatch.setattr(contradictions, "_pairs", _pairwise)
    slow = find_contradictions(source)
    assert len(fast) > 0
    order = list(COLUMNS)
    assert fast.sort_values(order).reset_index(drop=True).equals(
        slow.sort_values(order).reset_index(drop=True))
