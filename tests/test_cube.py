"""The evidence cube answers exactly as a plain scan over kb.findings, real and synthetic."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pandas as pd
import pytest
from conftest import synth
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb import catalog, vocab
from kb.cube import (
    ConditionFilter,
    evidence_map,
    query_conditions,
    ungraded_conditions,
    window_certainty,
)
from kb.load import load

BENEFIT = [str(w) for w in vocab.BENEFIT_WINDOWS]
LEVELS = [None, "very low", "low", "moderate", "high"]
WINDOW_SETS = [()] + [c for r in (1, 2, 3) for c in itertools.combinations(BENEFIT, r)]
COMBOS = list(itertools.product(LEVELS, WINDOW_SETS, [False, True]))
ORD = {"very low": 1, "low": 2, "moderate": 3, "high": 4}


# ---- the plain scan: one pass over findings and claims in plain Python, no cube ------------

def bounds(label: str) -> tuple[int, int] | None:
    """GRADE label or range to (lower, upper); None for non-GRADE categories."""
    parts = label.split(" to ")
    if not all(p in ORD for p in parts):
        return None
    return ORD[parts[0]], ORD[parts[-1]]


_RECORDS: dict[int, tuple] = {}


def records(kb) -> tuple[list[dict], list[dict], dict[str, int], dict[str, set[str]]]:
    """Findings, conditions, claims per condition and sources per condition, as plain data."""
    if id(kb) not in _RECORDS:
        n_claims: dict[str, int] = {}
        named: dict[str, set[str]] = {}
        for ids, source in zip(kb.claims["condition_ids"], kb.claims["source_id"], strict=True):
            for cid in filter(None, ids.split(";")):
                n_claims[cid] = n_claims.get(cid, 0) + 1
                named.setdefault(cid, set()).add(source)
        findings = kb.findings.astype(object).to_dict("records")
        conditions = kb.conditions.astype(object).to_dict("records")
        _RECORDS[id(kb)] = (findings, conditions, n_claims, named)
    return _RECORDS[id(kb)]


def scan_findings(kb, f: ConditionFilter) -> list[dict]:
    """Findings inside the filter's windows, outcomes and comparators, with their level."""
    windows = f.time_windows or BENEFIT
    rows = []
    for finding in records(kb)[0]:
        if (finding["condition_id"] == "" or finding["time_window"] not in windows
                or (f.outcomes and finding["outcome"] not in f.outcomes)
                or (f.comparators and finding["comparator"] not in f.comparators)):
            continue
        rng = bounds(finding["certainty"])
        lo, hi = rng or (None, None)
        rows.append({**finding, "supports": finding["direction"] == "favours-dn" and bool(rng),
                     "level": lo if f.conservative else hi,
                     "other": hi if f.conservative else lo})
    return rows


def condition_mask(kb, f: ConditionFilter) -> set[str]:
    _, conditions, _, named = records(kb)
    ids = set()
    for c in conditions:
        hay = f"{c['condition_id']} {c['label']} {c['synonyms']}".casefold()
        if f.regions and c["body_region"] not in f.regions:
            continue
        if f.source_ids and not named.get(c["condition_id"], set()) & set(f.source_ids):
            continue
        if f.text.strip() and f.text.strip().casefold() not in hay:
            continue
        ids.add(c["condition_id"])
    return ids


def scan_query(kb, f: ConditionFilter) -> dict[str, dict]:
    """condition_id -> expected level, windows, n_findings, n_claims and allowed labels."""
    minimum = ORD.get(f.min_certainty, 1)
    n_claims = records(kb)[2]
    by_condition: dict[str, list[dict]] = {}
    for row in scan_findings(kb, f):
        by_condition.setdefault(row["condition_id"], []).append(row)
    expected = {}
    for cid in condition_mask(kb, f):
        mine = by_condition.get(cid, [])
        support = [r for r in mine if r["supports"] and r["level"] >= minimum]
        if not support:
            continue
        level = max(r["level"] for r in support)
        top = [r for r in support if r["level"] == level]
        other = max(r["other"] for r in top)
        windows = {r["time_window"] for r in support}
        expected[cid] = {"level": level,
                         "time_windows": ", ".join(w for w in BENEFIT if w in windows),
                         "n_findings": len(mine), "n_claims": n_claims.get(cid, 0),
                         "labels": {r["certainty"] for r in top},
                         "best_labels": {r["certainty"] for r in top if r["other"] == other}}
    return expected


def check_against_scan(kb, f: ConditionFilter) -> None:
    got = query_conditions(catalog.cube(kb), f)
    expected = scan_query(kb, f)
    assert set(got["condition_id"]) == set(expected), f
    assert got["condition_id"].is_unique
    for row in got.itertuples():
        want = expected[row.condition_id]
        assert row.level == want["level"], (f, row)
        assert row.time_windows == want["time_windows"], (f, row)
        assert row.n_findings == want["n_findings"], (f, row)
        assert row.n_claims == want["n_claims"], (f, row)
        assert row.best_certainty in want["labels"], (f, row)
    order = list(zip(-got["level"], got["label"], strict=True))
    assert order == sorted(order)


# ---- fixtures -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real():
    return load()


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    out = tmp_path_factory.mktemp("cube") / "data"
    synth.write_synthetic(out, 1500, seed=11)
    return load(out)


# ---- tests --------------------------------------------------------------------------------

@pytest.mark.parametrize(("level", "windows", "conservative"), COMBOS)
def test_query_matches_scan_on_real_data(real, level, windows, conservative):
    check_against_scan(real, ConditionFilter(level, windows, conservative))


@pytest.mark.parametrize(("level", "windows", "conservative"), COMBOS)
def test_query_matches_scan_on_synthetic_data(synthetic, level, windows, conservative):
    check_against_scan(synthetic, ConditionFilter(level, windows, conservative))


def test_synthetic_query_is_not_trivially_empty(synthetic):
    assert len(query_conditions(catalog.cube(synthetic),
                                ConditionFilter("moderate", ("short-term",), True))) > 0


def test_best_label_breaks_level_ties_by_the_other_bound(synthetic):
    """Among findings at the best level, the label shown is the one with the best other bound
    (a `moderate` beats a `low to moderate`), whichever cube cell it sits in."""
    for level, windows, conservative in COMBOS:
        f = ConditionFilter(level, windows, conservative)
        expected = scan_query(synthetic, f)
        for row in query_conditions(catalog.cube(synthetic), f).itertuples():
            assert row.best_certainty in expected[row.condition_id]["best_labels"], (f, row)


filters = st.builds(
    ConditionFilter,
    min_certainty=st.sampled_from(LEVELS),
    time_windows=st.lists(st.sampled_from(BENEFIT), unique=True).map(tuple),
    conservative=st.booleans(),
    outcomes=st.lists(st.sampled_from(vocab.Outcome.values()), unique=True).map(tuple),
    comparators=st.lists(st.sampled_from(vocab.Comparator.values()), unique=True).map(tuple),
    regions=st.lists(st.sampled_from(vocab.BodyRegion.values()), max_size=3, unique=True)
    .map(tuple),
    text=st.sampled_from(["", "pain", "cond-00", "Synonym B", "zzz"]),
)


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(f=filters)
def test_hypothesis_filters_match_scan_on_synthetic(synthetic, f):
    check_against_scan(synthetic, f)


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(f=filters, sources=st.lists(st.sampled_from(["verywell", "fizyoart", "jubilant", "nixon"]),
                                   max_size=2, unique=True))
def test_hypothesis_filters_match_scan_on_real(real, f, sources):
    check_against_scan(real, ConditionFilter(**{**f.__dict__, "source_ids": tuple(sources)}))


@pytest.mark.parametrize("kb_name", ["real", "synthetic"])
def test_ungraded_conditions_match_scan(kb_name, request):
    kb = request.getfixturevalue(kb_name)
    graded = {cid for cid, d, c in zip(kb.findings["condition_id"], kb.findings["direction"],
                                       kb.findings["certainty"], strict=True)
              if cid and d == "favours-dn" and bounds(c)}
    expected = set(kb.conditions["condition_id"]) - graded
    assert set(ungraded_conditions(catalog.cube(kb))["condition_id"]) == expected


@pytest.mark.parametrize("kb_name", ["real", "synthetic"])
@pytest.mark.parametrize(("level", "windows", "conservative"),
                         [("moderate", ("short-term",), False), ("low", (), True),
                          (None, (), False)])
def test_evidence_map_matches_scan(kb_name, request, level, windows, conservative):
    kb = request.getfixturevalue(kb_name)
    f = ConditionFilter(level, windows, conservative)
    kept = set(scan_query(kb, f))
    cells: dict[tuple[str, str], list[dict]] = {}
    for row in scan_findings(kb, f):
        if row["condition_id"] in kept:
            cells.setdefault((row["condition_id"], row["time_window"]), []).append(row)
    got = evidence_map(catalog.cube(kb), f).set_index(["condition_id", "time_window"])
    assert set(got.index) == set(cells)
    for key, cell in cells.items():
        supporting = [r for r in cell if r["supports"]]
        assert got.loc[key, "n_findings"] == len(cell), key
        assert got.loc[key, "n_supporting"] == len(supporting), key
        if supporting:
            assert got.loc[key, "level"] == max(r["level"] for r in supporting), key
        else:
            assert got.loc[key, "best_certainty"] == "none supporting", key


@pytest.mark.parametrize("kb_name", ["real", "synthetic"])
@pytest.mark.parametrize("f", [ConditionFilter(min_certainty="high", time_windows=("long-term",)),
                               ConditionFilter(min_certainty="low", conservative=False)])
def test_window_certainty_kept_per_counting_is_what_a_fresh_one_gives(kb_name, request, f):
    """The minimum certainty and the windows asked for do not change the window columns, so
    the cube keeps them per way of counting; each call gets its own copy."""
    kb = request.getfixturevalue(kb_name)
    cube = catalog.cube(kb)
    fresh = window_certainty(replace(cube, answers={}), ConditionFilter(
        conservative=f.conservative))
    first = window_certainty(cube, f)
    first.iloc[:, 0] = "changed"
    pd.testing.assert_frame_equal(window_certainty(cube, f), fresh)


@pytest.mark.parametrize("kb_name", ["real", "synthetic"])
def test_ungraded_conditions_kept_without_a_narrowing_filter(kb_name, request):
    """Only region, article and search narrow the ungraded conditions, so the cube keeps the
    answer without them, whatever certainty or window is asked; each call gets a copy, and
    a search is answered afresh."""
    kb = request.getfixturevalue(kb_name)
    cube = catalog.cube(kb)
    fresh = ungraded_conditions(replace(cube, answers={}))
    first = ungraded_conditions(cube, ConditionFilter(min_certainty="high"))
    first.iloc[:, 0] = "changed"
    pd.testing.assert_frame_equal(ungraded_conditions(cube, ConditionFilter(
        time_windows=("long-term",), grade_only=True)), fresh)
    label = fresh["label"].iloc[0]
    searched = ungraded_conditions(cube, ConditionFilter(text=label))
    assert label in set(searched["label"]) and len(searched) <= len(fresh)


@pytest.mark.parametrize("kb_name", ["real", "synthetic"])
@pytest.mark.parametrize("f", [ConditionFilter(), ConditionFilter(conservative=False),
                               ConditionFilter(time_windows=("long-term",), outcomes=("pain",)),
                               ConditionFilter(grade_only=True, comparators=("sham-or-none",))])
def test_window_certainty_matches_scan(kb_name, request, f):
    """Every window's best supporting label, over every window whatever `f` asks for."""
    kb = request.getfixturevalue(kb_name)
    every = ConditionFilter(**{**f.__dict__, "time_windows": ()})
    best: dict[tuple[str, str], tuple[int, int]] = {}
    labels: dict[tuple[str, str], set[str]] = {}
    for row in scan_findings(kb, every):
        if not row["supports"] or (f.grade_only and row["certainty_basis"] != "grade"):
            continue
        key, rank = (row["condition_id"], row["time_window"]), (row["level"], row["other"])
        if rank > best.get(key, (0, 0)):
            best[key], labels[key] = rank, set()
        if rank == best[key]:
            labels[key].add(row["certainty"])
    got = window_certainty(catalog.cube(kb), f)
    assert list(got.columns[:3]) == BENEFIT
    shown = {(cid, w): got.loc[cid, w] for cid in got.index for w in BENEFIT
             if isinstance(got.loc[cid, w], str)}
    assert set(shown) == set(labels)
    assert all(shown[key] in labels[key] for key in shown)
