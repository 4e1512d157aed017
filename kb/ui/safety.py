"""Safety: adverse events as outcomes, the contraindications by source, the articles' claims."""

from __future__ import annotations

import streamlit as st

from kb import safety_view, views
from kb.markdown import escape
from kb.ui import common
from kb.vocab import STATUS_LABEL, TOPIC_LABEL

COLUMNS = ["event", "figure", "severity", "source", "design"]


def render() -> None:
    kb = common.start("Safety")
    if kb is None:
        return
    st.markdown("Adverse events of dry needling, as each source printed them (no rate is "
                "derived here), then how each source classifies the contraindications. "
                "These apply to every condition.")
    _events(kb)
    _contraindications(kb)
    _claims(kb)


def _events(kb) -> None:
    st.subheader("Adverse events")
    rows = safety_view.adverse_events(kb)
    for group, part in rows.groupby("group", sort=False):
        st.markdown(f"**{escape(group)}**")
        table = part[COLUMNS].rename(columns=safety_view.HEADERS)
        st.markdown(common.markdown_table(table))
    with st.expander("Notes on each figure (denominators, what is not known)"):
        notes = rows[rows["note"] != ""]
        st.markdown("\n".join(f"- **{escape(e)}** ({escape(s)}): {escape(n)}" for e, s, n in
                              zip(notes["event"], notes["source"], notes["note"], strict=True)))
    common.downloads(rows.drop(columns=["figure_id", "reference_id"])
                     .rename(columns=safety_view.HEADERS | {"group": "Group"}),
                     "adverse-events")


def _contraindications(kb) -> None:
    st.subheader("Contraindications by source")
    matrix = safety_view.contraindication_matrix(kb)
    disagree = len(safety_view.disagreeing(matrix))
    st.caption(escape(f"Sources disagree on {disagree} of {len(matrix)} items; no consensus "
                      "list was found. Each column is one source's own classification (an "
                      "article's classification is its claim, not evidence); a blank cell: "
                      "the source does not mention the item in the part read."))
    verdict = matrix.pop(safety_view.VERDICT)
    matrix.insert(1, safety_view.VERDICT, verdict)
    config = {safety_view.ITEM: st.column_config.TextColumn(pinned=True, width="medium"),
              safety_view.VERDICT: st.column_config.TextColumn(width="small")}
    st.dataframe(matrix, hide_index=True, column_config=config, height="content")
    common.downloads(matrix, "contraindications-by-source")


def _claims(kb) -> None:
    st.subheader("What the four articles say")
    claims = views.safety_claims(common.derived("claims_with_status", views.claims_with_status))
    shown = views.claims_in_words(kb, claims)
    for (topic, status), part in shown.groupby(["topic", "support_status"], sort=True):
        label = f"{TOPIC_LABEL.get(topic, topic).capitalize()}: {STATUS_LABEL.get(status, status)}"
        with st.expander(escape(f"{label} ({len(part)})")):
            st.dataframe(part[["article", "statement", "status_rationale"]].rename(
                columns={"article": "Article", "statement": "Claim",
                         "status_rationale": "Why"}), hide_index=True)
