"""The app's pages, and links between them that carry state in the URL."""

from __future__ import annotations

import streamlit as st

CARD_PATH = "condition"


def pages() -> list[st.Page]:
    """Every page, the explorer first (the landing page)."""
    from kb.ui import card, claims, evidence_map, explorer, graph

    return [
        st.Page(explorer.render, title="Conditions explorer", url_path="explorer", default=True),
        st.Page(evidence_map.render, title="Evidence map", url_path="evidence-map"),
        st.Page(card.render, title="Condition card", url_path=CARD_PATH),
        st.Page(claims.render, title="Claims browser", url_path="claims"),
        st.Page(graph.render, title="Citation graph", url_path="graph"),
        *_analytics_pages(),
    ]


def _analytics_pages() -> list[st.Page]:
    from kb.ui import check, disagree

    return [
        st.Page(check.render, title="Claims check", url_path="claims-check"),
        st.Page(disagree.render, title="Where sources disagree", url_path="disagreements"),
        impact_page(),
    ]


def _card_page() -> st.Page:
    from kb.ui import card

    return st.Page(card.render, title="Condition card", url_path=CARD_PATH)


def card_link(condition_id: str, label: str) -> None:
    """A link to a condition's card, with the condition in the URL."""
    st.page_link(_card_page(), label=label, query_params={"condition": condition_id},
                 icon=":material/description:")



def impact_page() -> st.Page:
    from kb.ui import impact

    return st.Page(impact.render, title="Reference impact", url_path="reference-impact")
