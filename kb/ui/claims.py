"""Claims browser: every claim, filterable, with its citations and its evidence trail."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kb import views
from kb.markdown import escape
from kb.model import KB
from kb.trace import format_trace, trace
from kb.ui import common, filters, links
from kb.vocab import STATUS_LABEL, TOPIC_LABEL, SupportStatus, Topic

PREFIX = "cl"
COLUMNS = ["claim_id", "support_status", "statement", "source_id", "topic", "certainty",
           "time_window", "section", "reference_ids", "condition_ids"]


def specs(kb: KB, claims: pd.DataFrame) -> list[views.ParamSpec]:
    """URL parameters of the claims browser."""
    return [
        views.ParamSpec("article", "many", frozenset(kb.sources["source_id"]), label="article"),
        views.ParamSpec("topic", "many", Topic.values(), label="topic"),
        views.ParamSpec("status", "many", SupportStatus.values(), label="support status"),
        views.ParamSpec("ref", "one", frozenset(kb.references["reference_id"]),
                        label="reference"),
        views.ParamSpec("q", "text", label="search"),
        views.ParamSpec("unassessable", "flag", label="show not assessable"),
        views.ParamSpec("claim", "one", frozenset(claims["claim_id"]), label="claim"),
    ]


def render() -> None:
    kb = common.start("Claims browser")
    if kb is None:
        return
    claims = common.derived("claims_with_status", views.claims_with_status)
    page_specs = specs(kb, claims)
    common.read_state(page_specs, PREFIX)
    with filters.panel(page_specs, PREFIX, skip=("claim",)):
        row = st.columns(4)
        row[0].multiselect("Article", kb.sources["source_id"].tolist(), key=f"{PREFIX}_article",
                           placeholder="any article")
        row[1].multiselect("Topic", Topic.values(), key=f"{PREFIX}_topic", placeholder="any topic",
                           format_func=TOPIC_LABEL.get)
        row[2].multiselect("Support status", SupportStatus.values(), key=f"{PREFIX}_status",
                           placeholder="any status", format_func=STATUS_LABEL.get)
        row[3].selectbox("Cites reference", [None, *sorted(kb.references["reference_id"])],
                         key=f"{PREFIX}_ref", format_func=lambda r: r or "any reference",
                         placeholder="any reference")
        st.text_input("Search statements", key=f"{PREFIX}_q", max_chars=views.MAX_TEXT)
        st.toggle("Show claims that cannot be assessed", key=f"{PREFIX}_unassessable",
                  help="Claims with nothing checkable behind them (no finding, no checked "
                       "reference) are hidden unless you ask for them.")
    shown = _filtered(claims, st.session_state)
    st.subheader(common.plural(len(shown), "claim"))
    table = views.in_words(shown[COLUMNS])
    st.dataframe(table, hide_index=True, key=f"{PREFIX}_table", height=common.TALL,
                 column_config=common.headers(table) | {
                     "statement": st.column_config.TextColumn("Claim", width="large")})
    common.downloads(table, "claims")
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
        reference_id=state.get(f"{PREFIX}_ref") or "", text=state.get(f"{PREFIX}_q") or "",
        assessable_only=not state.get(f"{PREFIX}_unassessable"))


def claim_detail(kb: KB, claim: pd.Series) -> None:
    """A claim's statement, status with rationale, citations and evidence trail."""
    st.markdown(f"**{escape(claim['claim_id'])}** "
                f"({escape(claim['source_id'])}): {escape(claim['statement'])}")
    status = claim.get("support_status")
    if isinstance(status, str):
        st.markdown(f"Support status: **{escape(STATUS_LABEL.get(status, status))}**: "
                    f"{escape(claim.get('status_rationale', ''))}")
    st.markdown(f"Cites: {escape(claim['reference_ids'] or 'nothing')}")
    evidence_trail(kb, str(claim["claim_id"]))


def evidence_trail(kb: KB, claim_id: str) -> None:
    """The path from the claim down to the primary evidence (kb.trace)."""
    st.markdown("**Evidence trail**")
    st.code(format_trace(trace(kb, claim_id)), language=None, wrap_lines=True)
