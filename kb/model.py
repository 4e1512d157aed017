"""The in-memory KB: a plain record of validated tables with their graded columns. No I/O,
no analytics: everything computed from a KB lives above it (kb.catalog names each table)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, TypeVar

import pandas as pd

from kb.grading import certainty_bounds, grade_claims

if TYPE_CHECKING:
    from kb.read import RawData

T = TypeVar("T")


@dataclass(frozen=True)
class KB:
    """Read-only tables of one knowledge base. Treat every frame as immutable.

    `derived` is a per-KB cache that kb.catalog fills (the cube, statuses, the graph); it is
    never copied by `dataclasses.replace`, so a changed KB computes its own.
    """

    sources: pd.DataFrame
    references: pd.DataFrame
    source_references: pd.DataFrame
    reference_links: pd.DataFrame
    conditions: pd.DataFrame
    findings: pd.DataFrame
    claims: pd.DataFrame
    claim_findings: pd.DataFrame
    assertions: pd.DataFrame
    status_overrides: pd.DataFrame
    safety_figures: pd.DataFrame
    contraindication_items: pd.DataFrame
    contraindications: pd.DataFrame
    claim_safety: pd.DataFrame
    derived: dict = field(init=False, default_factory=dict, compare=False, repr=False)

    def with_tables(self, **tables: pd.DataFrame) -> KB:
        """This KB with some tables swapped, and a cache of its own."""
        return replace(self, **tables)

    def rows(self, name: str, positions: Sequence[int]) -> pd.DataFrame:
        """The rows of table `name` at `positions` (0-based, in that order), labelled by
        position: `kb.rows("claims", [3])` is `kb.claims.iloc[[3]]`."""
        return getattr(self, name).iloc[positions]


def kept(kb: KB, name: str, build: Callable[[KB], T]) -> T:
    """A value computed once per KB and kept in `kb.derived` (a KB's frames never change)."""
    if name not in kb.derived:
        kb.derived[name] = build(kb)
    return kb.derived[name]


def build_kb(raw: RawData) -> KB:
    """Turn validated raw tables into a KB with computed certainty and time windows."""
    t = {name: parsed.frame.reset_index(drop=True) for name, parsed in raw.tables.items()}
    references = raw.references.frame.reset_index(drop=True)
    findings = pd.concat([t["findings"], certainty_bounds(t["findings"]["certainty"])], axis=1)
    graded = grade_claims(t["claims"], t["claim_findings"], findings, references)
    claims = pd.concat([t["claims"], graded], axis=1)
    return KB(
        sources=t["sources"], references=references, source_references=t["source_references"],
        reference_links=t["reference_links"], conditions=t["conditions"], findings=findings,
        claims=claims, claim_findings=t["claim_findings"], assertions=t["assertions"],
        status_overrides=t["status_overrides"], safety_figures=t["safety_figures"],
        contraindication_items=t["contraindication_items"],
        contraindications=t["contraindications"], claim_safety=t["claim_safety"],
    )
