"""Reference impact: what loses support if a reference is withdrawn; load-bearing references."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kb import catalog, views, vocab
from kb.citations import reference_name
from kb.impact import load_bearing, reference_impact
from kb.model import KB
from kb.summary import finding_facts
from kb.ui import common

PREFIX = "im"
WHAT = {"claims": ("claim", "would lose support"), "findings": ("finding", "would go"),
        "conditions": ("condition", "would change best certainty")}
ID_COLUMNS = ("claim_id", "finding_id", "condition_id", "reference_id")


def render() -> None:
    kb = common.start("Reference impact")
    if kb is None:
        return
    names = reference_name(kb.references)
    ids = sorted(kb.references["reference_id"], key=lambda r: str(names.get(r, r)).casefold())
    page_specs = [views.ParamSpec("ref", "one", frozenset(ids), default=ids[0] if ids else None,
                                  label="reference", always=True), common.IDS]
    common.read_state(page_specs, PREFIX)
    show = bool(st.session_state.get(f"{PREFIX}_{common.IDS.name}"))
    st.selectbox("If this reference were withdrawn", ids, key=f"{PREFIX}_ref",
                 format_func=lambda r: f"{names.get(r, r)}" + (f" ({r})" if show else ""))
    show = common.show_ids(PREFIX)
    values = common.write_state(page_specs, PREFIX)
    if values["ref"]:
        impact = reference_impact(kb, str(values["ref"]), catalog.edges(kb))
        for part, frame in _in_words(kb, impact).items():
            noun, outcome = WHAT[part]
            st.subheader(f"{common.plural(len(frame), noun)} {outcome}")
            if not frame.empty:
                _table(frame, show)
                common.downloads(frame.rename(columns=views.HEADERS), f"impact-{part}")
    st.subheader("Load-bearing references")
    st.caption("Ranked by how many claims depend on each reference specifically (an inline "
               "citation or a supporting finding), then by all dependent claims, including "
               "those whose article lists the reference once for the whole article.")
    ranked = common.derived("load_bearing", load_bearing)
    ranked = ranked.assign(name=ranked["reference_id"].map(names))
    ranked = ranked[["reference_id", "name", *ranked.columns.drop(["reference_id", "name"])]]
    _table(ranked, show)
    common.downloads(ranked.rename(columns=views.HEADERS), "load-bearing-references")


def _table(frame: pd.DataFrame, show: bool) -> None:
    shown = frame if show else frame.drop(columns=[c for c in ID_COLUMNS if c in frame])
    st.dataframe(shown.rename(columns=views.HEADERS), hide_index=True)


def _in_words(kb: KB, impact: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The impact tables with their codes and ids said in words (ids kept for 'Show ids')."""
    claims = views.claims_in_words(kb, impact["claims"].assign(
        reference_ids="", condition_ids=""))
    facts = finding_facts(kb, impact["findings"]["finding_id"].tolist())
    labels = facts["measured"]
    via = claims["via"].str.replace(
        r"its finding ([\w-]+)", lambda m: f"its finding on {labels.get(m.group(1), 'it')}",
        regex=True)
    findings = facts.reset_index(names="finding_id")
    findings = findings.assign(basis=findings["basis"].map(vocab.CERTAINTY_BASIS_LABEL))
    conditions = impact["conditions"].drop(columns="changed")
    for column in ("best_before", "best_after"):
        conditions[column] = views.label_list(conditions[column], vocab.CERTAINTY_LABEL)
    return {"claims": views.in_words(claims.assign(via=via)[
                ["claim_id", "article", "statement", "topic", "certainty", "via"]]),
            "findings": views.in_words(findings[["finding_id", "measured", "effect",
                                                 "certainty", "basis"]]),
            "conditions": conditions}
