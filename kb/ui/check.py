"""Claims check: claims by support status, with the rationale beside each."""

from __future__ import annotations

import streamlit as st

from kb import views
from kb.ui import common
from kb.vocab import STATUS_LABEL, SupportStatus

PREFIX = "ck"
COLUMNS = ["claim_id", "support_status", "statement", "status_rationale", "certainty",
           "wording_strength", "source_id", "reference_ids"]


def render() -> None:
    kb = common.start("Claims check")
    if kb is None:
        return
    claims = common.derived("claims_with_status", views.claims_with_status)
    page_specs = [views.ParamSpec("status", "many", SupportStatus.values(),
                                  label="support status"),
                  views.ParamSpec("unassessable", "flag", label="show not assessable")]
    common.read_state(page_specs, PREFIX)
    st.multiselect("Support status", SupportStatus.values(), key=f"{PREFIX}_status",
                   placeholder="any status", format_func=STATUS_LABEL.get)
    st.toggle("Show claims that cannot be assessed", key=f"{PREFIX}_unassessable",
              help="Claims with nothing checkable behind them are hidden unless you ask.")
    values = common.write_state(page_specs, PREFIX)
    counts = claims["support_status"].value_counts()
    st.caption(" · ".join(f"{STATUS_LABEL[status]}: {int(counts.get(status, 0))}"
                          for status in SupportStatus.values()))
    chosen = views.filter_claims(claims, statuses=values["status"],
                                 assessable_only=not values["unassessable"])
    shown = views.in_words(chosen[COLUMNS])
    st.subheader(common.plural(len(shown), "claim"))
    st.dataframe(shown, hide_index=True, height=common.TALL,
                 column_config=common.headers(shown) | {
                     "statement": st.column_config.TextColumn("Claim", width="large"),
                     "status_rationale": st.column_config.TextColumn("Why", width="large"),
                 })
    st.caption("Open a claim in the Claims browser to see its evidence trail.")
    common.downloads(shown, "claims-check")
