"""Reference impact: what loses support if a reference is withdrawn; load-bearing references."""

from __future__ import annotations

import streamlit as st

from kb import catalog, views
from kb.citations import short_citation
from kb.impact import load_bearing, reference_impact
from kb.ui import common

PREFIX = "im"
WHAT = {"claims": ("claim", "would lose support"), "findings": ("finding", "would go"),
        "conditions": ("condition", "would change best certainty")}


def render() -> None:
    kb = common.start("Reference impact")
    if kb is None:
        return
    ids = sorted(kb.references["reference_id"])
    page_specs = [views.ParamSpec("ref", "one", frozenset(ids), default=ids[0] if ids else None,
                                  label="reference", always=True)]
    common.read_state(page_specs, PREFIX)
    names = short_citation(kb.references)
    st.selectbox("If this reference were withdrawn", ids, key=f"{PREFIX}_ref",
                 format_func=lambda r: str(names.get(r, r)))
    values = common.write_state(page_specs, PREFIX)
    if values["ref"]:
        impact = reference_impact(kb, str(values["ref"]), catalog.edges(kb))
        for part, frame in impact.items():
            noun, outcome = WHAT[part]
            st.subheader(f"{common.plural(len(frame), noun)} {outcome}")
            if not frame.empty:
                st.dataframe(frame, hide_index=True)
                common.downloads(frame, f"impact-{part}")
    st.subheader("Load-bearing references")
    st.caption("Ranked by how many claims depend on each reference specifically (an inline "
               "citation or a supporting finding), then by all dependent claims, including "
               "those whose article lists the reference once for the whole article.")
    ranked = common.derived("load_bearing", load_bearing)
    st.dataframe(ranked, hide_index=True)
    common.downloads(ranked, "load-bearing-references")
