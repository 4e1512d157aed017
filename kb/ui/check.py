"""Claims check: claims by support status, with the rationale beside each and a link to each
claim's evidence trail."""

from __future__ import annotations

import streamlit as st

from kb import views
from kb.ui import common, links
from kb.vocab import STATUS_LABEL, SupportStatus

PREFIX = "ck"
COLUMNS = ["support_status", "statement", "trail", "status_rationale", "certainty",
           "wording_strength", "article", "references"]
ID_COLUMNS = ["claim_id", "source_id", "reference_ids"]


def render() -> None:
    kb = common.start("Claims check")
    if kb is None:
        return
    claims = common.derived("claims_with_status", views.claims_with_status)
    page_specs = [views.ParamSpec("status", "many", SupportStatus.values(),
                                  label="support status"),
                  views.ParamSpec("unassessable", "flag", label="show not assessable"),
                  common.IDS]
    common.read_state(page_specs, PREFIX)
    st.multiselect("Support status", SupportStatus.values(), key=f"{PREFIX}_status",
                   placeholder="any status", format_func=STATUS_LABEL.get)
    left, right = st.columns(2)
    with left:
        st.toggle("Show claims that cannot be assessed", key=f"{PREFIX}_unassessable",
                  help="Claims with nothing checkable behind them are hidden unless you ask.")
    with right:
        ids = common.show_ids(PREFIX)
    values = common.write_state(page_specs, PREFIX)
    counts = claims["support_status"].value_counts()
    st.caption(" · ".join(f"{STATUS_LABEL[status]}: {int(counts.get(status, 0))}"
                          for status in SupportStatus.values()))
    chosen = views.filter_claims(claims, statuses=values["status"],
                                 assessable_only=not values["unassessable"])
    named = views.claims_in_words(kb, chosen)
    trail = links.url_path("claims") + "?claim=" + named["claim_id"]
    shown = views.in_words(named.assign(trail=trail)[ID_COLUMNS[:1] + COLUMNS + ID_COLUMNS[1:]])
    st.subheader(common.plural(len(shown), "claim"))
    st.dataframe(shown if ids else shown.drop(columns=ID_COLUMNS), hide_index=True,
                 height=common.TALL,
                 column_config=common.headers(shown) | {
                     "support_status": st.column_config.TextColumn("Support status",
                                                                   width="medium"),
                     "statement": st.column_config.TextColumn("Claim", width="large"),
                     "status_rationale": st.column_config.TextColumn("Why", width="large"),
                     "trail": st.column_config.LinkColumn("Evidence trail",
                                                          display_text="open the trail"),
                 })
    st.caption("Each row's link opens the claim's evidence trail in the Claims browser.")
    common.downloads(shown.drop(columns=["trail"]), "claims-check")
