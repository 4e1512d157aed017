"""The evidence cube: condition x time window x outcome x comparator, precomputed once.

`build_cube(kb)` returns a `Cube`, a value that holds everything the condition queries need;
they never go back to the KB. Every query reads the cube, so it costs O(cells), never
O(claims) or O(findings); a plain filter's answer is kept in the cube once computed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from kb import vocab
from kb.columns import isin, positions
from kb.grading import RANGE_BOUNDS, level_value, split_list
from kb.model import KB

CUBE_KEYS = ["condition_id", "time_window", "outcome", "comparator", "grade_rated"]
BENEFIT = [str(w) for w in vocab.BENEFIT_WINDOWS]
RANKING = ["level", "tiebreak"]  # best bound first, then the range's other bound
CELL_COUNTS = ["condition_id", "time_window", "n_findings", "n_supporting"]  # a cell view's
RANGE_LABELS = pd.Series(list(RANGE_BOUNDS), dtype="string")  # the GRADE labels, in order


@dataclass(frozen=True)
class ConditionFilter:
    """What the explorer and `kb query conditions` filter on. Empty means no filter."""

    min_certainty: str | None = None
    time_windows: tuple[str, ...] = ()
    conservative: bool = True  # a range counts at its lower bound; False: "optimistic"
    outcomes: tuple[str, ...] = ()
    comparators: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    source_ids: tuple[str, ...] = ()
    text: str = ""
    grade_only: bool = False  # only findings the review authors rated with GRADE

    @property
    def plain(self) -> bool:
        """Only certainty, one time window and counting mode: answered from precomputed tables."""
        return (len(self.time_windows) <= 1 and not (self.outcomes or self.comparators
                or self.regions or self.source_ids or self.text.strip()))

    @property
    def answer_key(self) -> tuple[int | None, tuple[str, ...], bool, bool]:
        return (level_value(self.min_certainty), self.time_windows, self.conservative,
                self.grade_only)


@dataclass(frozen=True)
class Cube:
    """The evidence cube of one KB and the few condition tables the queries join to it.

    `cells` has one row per condition x time window x outcome x comparator; `claim_counts`
    holds (condition_id, source_id, n_claims); `findings_per_condition` the number of findings
    of each condition. `answers` keeps plain filters' results once computed.
    """

    cells: pd.DataFrame
    conditions: pd.DataFrame
    claim_counts: pd.DataFrame
    findings_per_condition: pd.Series
    level_not_stated: frozenset[str] = frozenset()  # favourable findings, no level stated
    answers: dict = field(default_factory=dict, compare=False, repr=False)

    @functools.cached_property
    def claims_per_condition(self) -> np.ndarray:
        """The claims of each condition (in `conditions` order), summed over its articles:
        the same for every filter, so summed once per cube."""
        at = positions(self.claim_counts["condition_id"], self.conditions["condition_id"])
        n_claims = self.claim_counts["n_claims"].to_numpy()
        return np.bincount(at[at >= 0], n_claims[at >= 0],
                           minlength=len(self.conditions)).astype("int64")


CELL_INPUTS = [*CUBE_KEYS[:-1], "direction", "certainty", "certainty_basis", "cert_min",
               "cert_max"]  # the findings columns a cell is computed from


def cells_of(findings: pd.DataFrame) -> pd.DataFrame:
    """One row per cube cell: counts and the best supporting certainty, both ways of counting.

    `best_min` ranks findings by the lower bound of their certainty range (the default) and
    `best_max` by the upper bound (optimistic). Only findings that favour dry needling and
    carry a certainty level count as support; `grade_rated` keeps the findings the review's
    authors rated with GRADE apart from levels on another basis (Liu 2018's "moderate").
    """
    findings = findings.loc[findings["condition_id"] != "", CELL_INPUTS]
    findings = findings.assign(
        grade_rated=findings["certainty_basis"] == vocab.CertaintyBasis.GRADE)
    codes = findings.groupby(CUBE_KEYS).ngroup().to_numpy()  # cells in sorted key order
    first = np.unique(codes, return_index=True)[1]  # each cell's first finding
    n = len(first)
    cube = findings[CUBE_KEYS].iloc[first].reset_index(drop=True)
    cube["n_findings"] = np.bincount(codes, minlength=n)
    support = ((findings["direction"] == vocab.Direction.FAVOURS_DN)
               & findings["cert_max"].notna()).to_numpy()
    cube["n_supporting"] = np.bincount(codes[support], minlength=n)
    ranked = findings[support].assign(cell=codes[support])
    for end, other in (("max", "min"), ("min", "max")):
        best = (ranked.sort_values(["cell", f"cert_{end}", f"cert_{other}"],
                                   ascending=[True, False, False], na_position="last")
                .drop_duplicates("cell").set_index("cell").reindex(range(n)))
        cube[f"best_{end}"] = best[f"cert_{end}"].array
        cube[f"certainty_{end}"] = best["certainty"].array
        cube[f"certainty_basis_{end}"] = best["certainty_basis"].array
    return cube[[*CUBE_KEYS, "n_findings", "n_supporting", "best_max", "best_min",
                 "certainty_max", "certainty_basis_max", "certainty_min", "certainty_basis_min"]]


def claim_counts(kb: KB) -> pd.DataFrame:
    """(condition_id, source_id, n_claims) for every claim that names a condition."""
    items = split_list(kb.claims["condition_ids"], "condition_id")
    items["source_id"] = kb.claims.loc[items.index, "source_id"]
    return items.groupby(["condition_id", "source_id"]).size().rename("n_claims").reset_index()


def build_cube(kb: KB) -> Cube:
    """The cube of a KB: built once, then queried without the KB."""
    f = kb.findings
    unstated = f[(f["direction"] == vocab.Direction.FAVOURS_DN)
                 & (f["certainty"] == vocab.Ungraded.UNKNOWN)]["condition_id"]
    return Cube(cells=cells_of(f), conditions=kb.conditions, claim_counts=claim_counts(kb),
                findings_per_condition=f.groupby("condition_id").size(),
                level_not_stated=frozenset(unstated))


def _cells(cube: pd.DataFrame, f: ConditionFilter) -> pd.DataFrame:
    mask = isin(cube["time_window"], list(f.time_windows) or BENEFIT)
    if f.outcomes:
        mask &= isin(cube["outcome"], f.outcomes)
    if f.comparators:
        mask &= isin(cube["comparator"], f.comparators)
    if f.grade_only:
        mask &= cube["grade_rated"].astype(bool)
    end = "min" if f.conservative else "max"
    cells = cube.loc[mask, [*CELL_COUNTS, f"best_{end}", f"certainty_{end}",
                            f"certainty_basis_{end}"]].set_axis(
        [*CELL_COUNTS, "level", "label", "basis"], axis=1)
    # The range's other bound breaks ties (0 for a label that is no GRADE range).
    bounds = np.array([0, *(b[1 if f.conservative else 0] for b in RANGE_BOUNDS.values())])
    other = bounds[positions(cells["label"], RANGE_LABELS) + 1]
    return cells.assign(tiebreak=other, passes=cells["level"] >= (level_value(f.min_certainty)
                                                                   or 1))


def _condition_mask(cube: Cube, f: ConditionFilter) -> pd.Series:
    conditions, counts = cube.conditions, cube.claim_counts
    mask = pd.Series(True, index=conditions.index)
    if f.regions:
        mask &= isin(conditions["body_region"], f.regions)
    if f.source_ids:
        named = counts.loc[isin(counts["source_id"], f.source_ids), "condition_id"]
        mask &= isin(conditions["condition_id"], named)
    if f.text.strip():
        needle = f.text.strip().casefold()
        hay = (conditions["condition_id"] + " " + conditions["label"] + " "
               + conditions["synonyms"]).str.casefold()
        mask &= hay.str.contains(needle, regex=False)
    return mask


def _kept(cube: Cube, key: object, compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """`compute()` once per key, kept in `cube.answers`; each caller gets its own copy."""
    if key not in cube.answers:
        cube.answers[key] = compute()
    return cube.answers[key].copy()


def query_conditions(cube: Cube, f: ConditionFilter = ConditionFilter()) -> pd.DataFrame:
    """Graded conditions whose best supporting finding reaches the minimum certainty.

    Returns one row per condition: best certainty (the whole GRADE range of the best finding),
    the time windows it is supported for, and its numbers of findings and claims. A plain
    filter's answer is kept in the cube, so asking again costs O(1).
    """
    if not f.plain:
        return _query(cube, f)
    return _kept(cube, f.answer_key, lambda: _query(cube, f))


def _query(cube: Cube, f: ConditionFilter) -> pd.DataFrame:
    """query_conditions computed: numpy over each cell's condition row, since a cube has a
    few thousand cells at most and pandas costs about a millisecond an operation on them."""
    cells, conditions = _cells(cube.cells, f), cube.conditions
    at = positions(cells["condition_id"], conditions["condition_id"])
    level = cells["level"].to_numpy(dtype="float64", na_value=np.nan)
    tiebreak = cells["tiebreak"].to_numpy(dtype="float64")
    passing = np.flatnonzero(cells["passes"].fillna(False).to_numpy(dtype=bool) & (at >= 0))
    # The best passing cell of each condition: highest level, then tiebreak, then cube order.
    ranked = passing[np.lexsort((-tiebreak[passing], -level[passing], at[passing]))]
    held, first = np.unique(at[ranked], return_index=True)
    best = np.full(len(conditions), -1)
    best[held] = ranked[first]
    window = cells["time_window"].to_numpy(dtype=object)
    windows = np.zeros(len(conditions), dtype="int64")  # one bit per BENEFIT window
    for bit, name in enumerate(BENEFIT):
        windows[at[passing[window[passing] == name]]] |= 1 << bit
    n_findings = np.bincount(at[at >= 0], cells["n_findings"].to_numpy()[at >= 0],
                             minlength=len(conditions))
    keep = np.flatnonzero(_condition_mask(cube, f).to_numpy(dtype=bool) & (best >= 0))
    chosen = cells[["label", "basis"]].iloc[best[keep]]
    result = pd.DataFrame({
        "condition_id": conditions["condition_id"].iloc[keep].array,
        "label": conditions["label"].iloc[keep].array,
        "body_region": conditions["body_region"].iloc[keep].array,
        "best_certainty": chosen["label"].array,
        "certainty_basis": chosen["basis"].array,
        "level": level[best[keep]].astype("int64"),
        "time_windows": pd.array(WINDOW_LISTS[windows[keep]], "string"),
        "n_findings": n_findings[keep].astype("int64"),
        "n_claims": cube.claims_per_condition[keep],
    })
    return result.sort_values(["level", "label"], ascending=[False, True]).reset_index(drop=True)


# The time_windows text of each set of BENEFIT windows, by its bits (bit i: BENEFIT[i]).
WINDOW_LISTS = np.array([", ".join(w for bit, w in enumerate(BENEFIT) if bits >> bit & 1)
                         for bits in range(1 << len(BENEFIT))], dtype=object)


def window_certainty(cube: Cube, f: ConditionFilter = ConditionFilter()) -> pd.DataFrame:
    """The best supporting certainty of each condition in every benefit window.

    One row per condition with support somewhere, one `<window>` label column and one
    `<window>_basis` column per window (BENEFIT order, NA where nothing supports). Counted as
    `f` counts (ranges at which bound, GRADE only, outcomes, comparators) but over every
    window whatever windows `f` asks for, so a row shows what each window holds.
    """
    return _kept(cube, counting(f), lambda: _window_certainty(cube, f))


def counting(f: ConditionFilter) -> tuple:
    """What of a filter decides how findings count in a window (ranges at which bound, GRADE
    only, outcomes, comparators); the minimum certainty and the windows asked do not."""
    return ("windows", f.conservative, f.grade_only, f.outcomes, f.comparators)


def _window_certainty(cube: Cube, f: ConditionFilter) -> pd.DataFrame:
    cells = _cells(cube.cells, replace(f, time_windows=()))
    best = (cells[cells["level"].notna()].sort_values(RANKING, ascending=False)
            .drop_duplicates(["condition_id", "time_window"]))
    wide = (best.set_index(["condition_id", "time_window"])[["label", "basis"]]
            .unstack("time_window")
            .reindex(columns=pd.MultiIndex.from_product([["label", "basis"], BENEFIT])))
    wide.columns = [w if part == "label" else f"{w}_basis" for part, w in wide.columns]
    return wide


def ungraded_conditions(cube: Cube, f: ConditionFilter = ConditionFilter()) -> pd.DataFrame:
    """Conditions with no GRADE-rated supporting finding: listed as possible uses only,
    or backed only by reviews that did not grade certainty. Only the region, article and
    search filters apply; the answer without them is kept in the cube."""
    if f.regions or f.source_ids or f.text.strip():
        return _ungraded(cube, f)
    return _kept(cube, "ungraded", lambda: _ungraded(cube, f))


def _ungraded(cube: Cube, f: ConditionFilter) -> pd.DataFrame:
    graded = cube.cells.loc[cube.cells["best_max"].notna(), "condition_id"]
    conditions = cube.conditions[_condition_mask(cube, f)
                                 & ~isin(cube.conditions["condition_id"], graded)]
    n_findings = cube.findings_per_condition
    n_claims = cube.claim_counts.groupby("condition_id")["n_claims"].sum()
    ids = conditions["condition_id"]
    return pd.DataFrame({
        "condition_id": ids,
        "label": conditions["label"],
        "body_region": conditions["body_region"],
        "best_certainty": vocab.Ungraded.NOT_GRADED.value,
        "evidence_status": evidence_status(cube, ids),
        "n_findings": ids.map(n_findings).fillna(0).astype("int64"),
        "n_claims": ids.map(n_claims).fillna(0).astype("int64"),
    }).sort_values("label").reset_index(drop=True)


def evidence_status(cube: Cube, condition_ids: pd.Series) -> pd.Series:
    """Each condition's standing (vocab.EvidenceStatus): graded, evidence whose level is not
    stated, reviews that rated nothing, or listed as a possible use only."""
    graded = cube.cells.loc[cube.cells["best_max"].notna(), "condition_id"]
    has_findings = cube.findings_per_condition.index
    status = pd.Series(vocab.EvidenceStatus.POSSIBLE_USE.value, index=condition_ids.index,
                       dtype="string")
    status[isin(condition_ids, has_findings)] = vocab.EvidenceStatus.NOT_GRADED.value
    status[isin(condition_ids, cube.level_not_stated)] = vocab.EvidenceStatus.LEVEL_NOT_STATED.value
    status[isin(condition_ids, graded)] = vocab.EvidenceStatus.GRADED.value
    return status


def evidence_map(cube: Cube, f: ConditionFilter = ConditionFilter()) -> pd.DataFrame:
    """Condition x time window cells: best certainty (colour) and number of findings (size)."""
    cells = _cells(cube.cells, f)
    keep = query_conditions(cube, f)["condition_id"]
    cells = cells[isin(cells["condition_id"], keep)]
    grouped = cells.groupby(["condition_id", "time_window"])
    best = (cells.sort_values(RANKING, ascending=False)
            .drop_duplicates(["condition_id", "time_window"])
            .set_index(["condition_id", "time_window"]))
    out = pd.DataFrame({"n_findings": grouped["n_findings"].sum(),
                        "n_supporting": grouped["n_supporting"].sum()})
    out["level"] = best["level"].reindex(out.index)
    out["best_certainty"] = best["label"].reindex(out.index)
    out["certainty_basis"] = best["basis"].reindex(out.index)
    out = out.reset_index()
    labels = cube.conditions.set_index("condition_id")["label"]
    out.insert(1, "label", out["condition_id"].map(labels))
    out["best_certainty"] = out["best_certainty"].fillna(vocab.NONE_SUPPORTING)
    out["certainty_basis"] = out["certainty_basis"].fillna("")
    return out

