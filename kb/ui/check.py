"""Claims check: claims by support status, with the rationale beside each."""

from __future__ import annotations

import streamlit as st

from kb import views
from kb.ui import common
from kb.vocab import SupportStatus

PREFIX = "ck"
COLUMNS = ["claim_id", "source_id", "statement", "support_status", "status_rationale",
           "certainty", "wording_strength", "reference_ids"]


def render() -> None:
    kb = common.start("Claims check")
    if kb is None:
        return
    claims = common.derived("claims_with_status", views.claims_with_status)
    page_specs = [views.ParamSpec("status", "many", SupportStatus.values(),
                                  label="support status")]
    common.read_state(page_specs, PREFIX)
    st.multiselect("Support status", SupportStatus.values(), key=f"{PREFIX}_status",
                   placeholder="any status")
    values = common.write_state(page_specs, PREFIX)
    counts = claims["support_status"].value_counts()
    st.caption(" · ".join(f"{status}: {int(counts.get(status, 0))}"
                          for status in SupportStatus.values()))
    shown = views.filter_claims(claims, statuses=values["status"])[COLUMNS]
    st.subheader(common.plural(len(shown), "claim"))
    st.dataframe(shown, hide_index=True, column_config={
        "statement": st.column_config.TextColumn("Statement", width="large"),
        "status_rationale": st.column_config.TextColumn("Why", width="large"),
    })
    st.caption("Open a claim in the Claims browser to see its evidence trail.")
    common.downloads(shown, "claims-check")
