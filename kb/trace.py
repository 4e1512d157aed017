"""Evidence trails: from a claim, through what its article cites and the passage a cited page
restates for this sentence (`claim_findings.via`), down to the primary review and its finding.

`trace` returns plain steps (dicts with the same keys); `format_trace` draws them as a tree.
A step's `end` says where a trail stops short: `no primary evidence` (a page, book or opinion
that restates nothing), `no finding linked to this claim` (a primary source that reports
nothing this claim is linked to), or `unreferenced` (the claim cites nothing). Findings linked
to the claim from reviews the article never cites come last, at depth 1, with `cited` False.

The claim's step holds its article (`evidencetype`) and `section`; a restated reference's
`reference_id` is the page that restates it and `note` says what passage; a finding's
`reference_id` is the review that reports it.

With the KB's edge arrays (`kb.edges`), `trace` first cuts the KB down to the claim's
neighbourhood (its row, its finding links, their findings, the references it cites and those
findings' references), so a trail costs what the claim's neighbourhood costs.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from kb import vocab
from kb.edges import Edges, node_id
from kb.model import KB

PRIMARY = frozenset(str(t) for t in vocab.PRIMARY_EVIDENCE)
NO_PRIMARY = "no primary evidence"
NO_FINDING = "no finding linked to this claim"
UNREFERENCED = "unreferenced"
KEYS = ("depth", "kind", "id", "label", "relation", "evidencetype", "certainty", "time_window",
        "cited", "end", "section", "reference_id", "note")


def _step(depth: int, kind: str, key: str, label: str, relation: str = "", **extra: object
          ) -> dict:
    step = dict.fromkeys(KEYS, "")
    step.update(depth=depth, kind=kind, id=key, label=label, relation=relation, cited=True)
    step.update(extra)
    return step


def _finding_step(depth: int, row: dict, cited: bool) -> dict:
    label = row["outcome_detail"]
    if row["comparator"] != vocab.Comparator.NOT_APPLICABLE:
        label += f" vs {row['comparator_detail'] or row['comparator']}"
    if row["condition_id"]:
        label = f"{row['condition_id']}: {label}"
    return _step(depth, "finding", row["finding_id"], label, row["relation"],
                 certainty=row["certainty"], time_window=row["time_window"], cited=cited,
                 reference_id=row["reference_id"])


FINDING_COLUMNS = ["finding_id", "reference_id", "condition_id", "comparator",
                   "comparator_detail", "outcome_detail", "time_window", "certainty"]


class Tables(NamedTuple):
    """The tables a trail reads: the whole KB's, or one claim's neighbourhood of them."""

    claims: pd.DataFrame
    claim_findings: pd.DataFrame
    findings: pd.DataFrame
    references: pd.DataFrame
    reference_links: pd.DataFrame


class _Trail:
    """Walks one claim's trail; the tables are reduced to plain Python for that claim once."""

    def __init__(self, kb: Tables, claim_id: str) -> None:
        r = kb.references
        self.refs = dict(zip(r["reference_id"], zip(r["evidencetype"], r["title"], strict=True),
                             strict=True))
        cf = kb.claim_findings
        mask = (cf["claim_id"] == claim_id).to_numpy()
        # a cited page restates a review only for the passages this claim's links name (`via`)
        passages = cf[mask & (cf["via"] != "").to_numpy()].merge(
            kb.findings[["finding_id", "reference_id"]], on="finding_id")
        self.restates: dict[str, list[str]] = {}
        links = kb.reference_links[kb.reference_links["relation"] == "restates"]
        self.passages = dict(zip(zip(links["from_id"], links["to_id"], strict=True),
                                 links["note"].fillna(""), strict=True))
        for source, target in zip(passages["via"], passages["reference_id"], strict=True):
            if target not in self.restates.setdefault(source, []):
                self.restates[source].append(target)
        links = zip(cf["finding_id"].to_numpy()[mask], cf["relation"].to_numpy()[mask],
                    strict=True)
        f = kb.findings
        rows = f.index[f["finding_id"].isin(cf["finding_id"].to_numpy()[mask]).to_numpy()]
        found = {r["finding_id"]: r for r in f.loc[rows, FINDING_COLUMNS].to_dict("records")}
        self.findings: list[dict] = [{**found[fid], "relation": rel} for fid, rel in links
                                     if fid in found]
        self.steps: list[dict] = []
        self.reached: set[str] = set()

    def visit(self, ref: str, depth: int, relation: str, path: frozenset[str],
              parent: str = "") -> None:
        kind, title = self.refs.get(ref, ("", ""))
        step = _step(depth, "reference", ref, title or ref, relation, evidencetype=kind,
                     reference_id=parent, note=self.passages.get((parent, ref), ""))
        self.steps.append(step)
        self.reached.add(ref)
        if kind in PRIMARY:
            reported = [f for f in self.findings if f["reference_id"] == ref]
            self.steps.extend(_finding_step(depth + 1, f, True) for f in reported)
            if not reported:
                step["end"] = NO_FINDING
        children = [c for c in self.restates.get(ref, []) if c not in path]
        for child in children:
            self.visit(child, depth + 1, "restates", path | {ref}, ref)
        if kind not in PRIMARY and not children:
            step["end"] = NO_PRIMARY


def _unknown(claim_id: str) -> KeyError:
    return KeyError(f"unknown claim id: {claim_id!r} (see `kb export claims` for the ids)")


def _neighbourhood(kb: KB, claim_id: str, edges: Edges) -> Tables:
    """The part of the KB one claim's trail reads, found from the edge arrays: the claim, its
    claim-finding links (by the edges' rows), their findings, the references the claim cites
    and the references that report those findings."""
    try:
        claim = edges.code(node_id("claim", claim_id))
    except KeyError:
        raise _unknown(claim_id) from None
    out = edges.edges_out([claim])
    near = edges.target[out]
    links = np.unique(edges.row[out[edges.of_kind("finding", near)]])
    findings = edges.rows("finding", near)
    reporters = edges.out_of(findings + edges.offsets["finding"])
    refs = np.union1d(edges.rows("reference", near), edges.rows("reference", reporters))
    references = kb.rows("references", refs)
    near_refs = kb.reference_links["from_id"].isin(references["reference_id"])
    return Tables(kb.rows("claims", [claim - edges.offsets["claim"]]),
                  kb.rows("claim_findings", links), kb.rows("findings", findings), references,
                  kb.reference_links[near_refs.to_numpy()])


def trace(kb: KB, claim_id: str, edges: Edges | None = None) -> list[dict]:
    """The evidence trail of one claim as a list of steps, depth-first from the claim. With
    `edges` (the KB's edge arrays) only the claim's neighbourhood is read."""
    tables = (Tables(kb.claims, kb.claim_findings, kb.findings, kb.references,
                     kb.reference_links) if edges is None
              else _neighbourhood(kb, claim_id, edges))
    hits = (tables.claims["claim_id"] == claim_id).to_numpy().nonzero()[0]
    if not len(hits):
        raise _unknown(claim_id)
    claim = tables.claims.iloc[hits[0]]
    walk = _Trail(tables, claim_id)
    basis = vocab.CERTAINTY_BASIS_LABEL.get(str(claim["certainty_basis"]), "")
    shown = claim["certainty"] + (f", {basis}" if basis else "")
    head = _step(0, "claim", claim_id, claim["statement"], "", certainty=shown,
                 time_window=claim["time_window"], evidencetype=claim["source_id"],
                 section=claim["section"])
    walk.steps.append(head)
    cited = [r for r in claim["reference_ids"].split(";") if r]
    if not cited:
        head["end"] = UNREFERENCED
    for ref in cited:
        walk.visit(ref, 1, "cites", frozenset())
    uncited = [f for f in walk.findings if f["reference_id"] not in walk.reached]
    walk.steps.extend(_finding_step(1, f, False) for f in uncited)
    return walk.steps


def format_trace(steps: list[dict]) -> str:
    """The trail as an indented tree for the terminal."""
    lines = []
    for s in steps:
        pad = "  " * s["depth"]
        if s["kind"] == "claim":
            text = f"claim {s['id']} ({s['evidencetype']}; {s['certainty']}): {s['label']}"
        elif s["kind"] == "reference":
            text = f"{s['relation']} {s['id']} [{s['evidencetype'] or 'unknown type'}] {s['label']}"
        else:
            window = f", {s['time_window']}" if s["time_window"] else ""
            text = f"{s['relation']} finding {s['id']} ({s['certainty']}{window}): {s['label']}"
            if not s["cited"]:
                text += "  [from a review the article does not cite]"
        if s["end"]:
            text += f"  -- trail ends: {s['end']}"
        lines.append(pad + text)
    return "\n".join(lines)
