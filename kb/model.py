"""The in-memory KB: validated tables plus computed columns. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from kb.grading import certainty_bounds, grade_claims
from kb.read import RawData


@dataclass(frozen=True)
class KB:
    """Read-only tables of one knowledge base. Treat every frame as immutable."""

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

    def table(self, name: str) -> pd.DataFrame:
        """A table by its export name (`evidence-map` and `contradictions` are computed)."""
        name = name.replace("-", "_")
        if name == "evidence_map":
            from kb.cube import evidence_map

            return evidence_map(self)
        if name == "contradictions":
            from kb.contradictions import find_contradictions

            return find_contradictions(self)
        if name == "claims":
            return self.claims_export
        return getattr(self, name)

    @cached_property
    def cube(self) -> pd.DataFrame:
        """The precomputed evidence cube (see kb.cube)."""
        from kb.cube import build_cube

        return build_cube(self)

    @cached_property
    def claim_counts(self) -> pd.DataFrame:
        """(condition_id, source_id, n_claims), counted once."""
        from kb.cube import claim_counts

        return claim_counts(self)

    @cached_property
    def condition_answers(self) -> dict:
        """Plain condition queries answered ahead (see kb.cube.precompute_answers)."""
        from kb.cube import precompute_answers

        return precompute_answers(self)

    @cached_property
    def claims_export(self) -> pd.DataFrame:
        """Claims with computed support status and rationale, in the public column order."""
        from kb.status import support_status

        status = support_status(self)
        return self.claims.join(status)


def build_kb(raw: RawData) -> KB:
    """Turn validated raw tables into a KB with computed certainty and time windows."""
    t = {name: parsed.frame.reset_index(drop=True) for name, parsed in raw.tables.items()}
    references = raw.references.frame.reset_index(drop=True)
    findings = pd.concat([t["findings"], certainty_bounds(t["findings"]["certainty"])], axis=1)
    graded = grade_claims(t["claims"], t["claim_findings"], findings, references,
                          t["reference_links"])
    claims = pd.concat([t["claims"], graded], axis=1)
    return KB(
        sources=t["sources"], references=references, source_references=t["source_references"],
        reference_links=t["reference_links"], conditions=t["conditions"], findings=findings,
        claims=claims, claim_findings=t["claim_findings"], assertions=t["assertions"],
        status_overrides=t["status_overrides"],
    )
