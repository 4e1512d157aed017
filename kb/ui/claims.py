"""Claims browser: every claim, filterable, with its citations and its evidence trail."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kb import views
from kb.markdown import escape
from kb.model import KB
from kb.trace import format_trace, trace
from kb.ui import common, links
from kb.vocab import SupportStatus, Topic

PREFIX = "cl"
COLUMNS = ["claim_id", "source_id", "section", "statement", "topic", "reference_ids",
           "condition_ids", "certainty", "time_window", "support_status"]


def specs(kb: KB, claims: pd.DataFrame) -> list[views.ParamSpec]:
    """URL parameters of the claims browser."""
    return [
        views.ParamSpec("article", "many", frozenset(kb.sources["source_id"]), label="article"),
        views.ParamSpec("topic", "many", Topic.values(), label="topic"),
        views.ParamSpec("status", "many", SupportStatus.values(), label="support status"),
        views.ParamSpec("ref", "one", frozenset(kb.references["reference_id"]),
                        label="reference"),
        views.ParamSpec("q", "text", label="search"),
        views.ParamSpec("claim", "one", frozenset(claims["claim_id"]), label="claim"),
    ]


def render() -> None:
    kb = common.start("Claims browser")
    if kb is None:
        return
    claims = common.derived("claims_with_status", views.claims_with_status)
    page_specs = specs(kb, claims)
    common.read_state(page_specs, PREFIX)
    row = st.columns(4)
    row[0].multiselect("Article", kb.sources["source_id"].tolist(), key=f"{PREFIX}_article",
                       placeholder="any article")
    row[1].multiselect("Topic", Topic.values(), key=f"{PREFIX}_topic", placeholder="any topic")
    row[2].multiselect("Support status", SupportStatus.values(), key=f"{PREFIX}_status",
                       placeholder="any status")
    row[3].selectbox("Cites reference", [None, *sorted(kb.references["reference_id"])],
                     key=f"{PREFIX}_ref", format_func=lambda r: r or "any reference",
                     placeholder="any reference")
    st.text_input("Search statements", key=f"{PREFIX}_q", max_chars=views.MAX_TEXT)
    shown = _filtered(claims, st.session_state)
    st.subheader(common.plural(len(shown), "claim"))
    st.dataframe(shown[COLUMNS], hide_index=True, key=f"{PREFIX}_table")
    common.downloads(shown[COLUMNS], "claims")
    ids = shown["claim_id"].tolist()
    if st.session_state.get(f"{PREFIX}_claim") not in ids:
        st.session_state[f"{PREFIX}_claim"] = None
    chosen = st.selectbox("Show the evidence trail of", [None, *ids], key=f"{PREFIX}_claim",
                          format_func=lambda c: c or "choose a claim",
                          placeholder="choose a claim")
    values = common.write_state(page_specs, PREFIX)
    if values["ref"]:
        label = f"Impact if {escape(values['ref'])} were withdrawn"
        links.impact_link(str(values["ref"]), label)
    if chosen:
        claim_detail(kb, shown[shown["claim_id"] == chosen].iloc[0])


def _filtered(claims: pd.DataFrame, state) -> pd.DataFrame:
    return views.filter_claims(
        claims, sources=state.get(f"{PREFIX}_article") or (),
        topics=state.get(f"{PREFIX}_topic") or (), statuses=state.get(f"{PREFIX}_status") or (),
        reference_id=state.get(f"{PREFIX}_ref") or "", text=state.get(f"{PREFIX}_q") or "")


def claim_detail(kb: KB, claim: pd.Series) -> None:
    """A claim's statement, status with rationale, citations and evidence trail."""
    st.markdown(f"**{escape(claim['claim_id'])}** "
                f"({escape(claim['source_id'])}): {escape(claim['statement'])}")
    status = claim.get("support_status")
    if isinstance(status, str):
        st.markdown(f"Support status: **{escape(status)}**: "
                    f"{escape(claim.get('status_rationale', ''))}")
    st.markdown(f"Cites: {escape(claim['reference_ids'] or 'nothing')}")
    evidence_trail(kb, str(claim["claim_id"]))


def evidence_trail(kb: KB, claim_id: str) -> None:
    """The path from the claim down to the primary evidence (kb.trace)."""
    st.markdown("**Evidence trail**")
    st.code(format_trace(trace(kb, claim_id)), language=None, wrap_lines=True)
