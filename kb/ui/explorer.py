"""Conditions explorer, the landing page: which conditions, how strong, for how long."""

from __future__ import annotations

import streamlit as st

from kb import catalog, views
from kb.ui import common, filters, links

PREFIX = "ex"


def render() -> None:
    kb = common.start("Conditions explorer")
    if kb is None:
        return
    values = filters.filter_state(kb, PREFIX, ungraded_toggle=True)
    f = views.condition_filter(values)
    table = views.explorer_table(kb, f)
    st.subheader(common.plural(len(table), "condition"))
    st.caption("Each row's link opens its condition card.")
    shown = views.in_words(table)
    linked = shown.assign(card=f"{links.url_path('card')}?condition=" + table["condition_id"])
    st.dataframe(linked, hide_index=True, column_config=_columns(), column_order=_order(linked))
    common.downloads(shown, "conditions")
    searched = bool(str(values.get("q", "")).strip())
    if values["ungraded"] or searched:
        from kb.cube import ungraded_conditions

        ungraded = ungraded_conditions(catalog.cube(kb), f)
        if ungraded.empty and not values["ungraded"]:
            return
        st.subheader(f"Not graded: {common.plural(len(ungraded), 'condition')}")
        st.caption("Evidence whose certainty is not stated, or listed by an article as a "
                   "possible use only; no graded finding supports it. Each row links to its "
                   "card.")
        shown = views.in_words(ungraded)
        linked = shown.assign(
            card=f"{links.url_path('card')}?condition=" + ungraded["condition_id"])
        st.dataframe(linked, hide_index=True, column_config=_columns(), column_order=_order(linked))
        common.downloads(shown, "conditions-not-graded")


def _order(frame) -> list[str]:
    """The card link right after the condition's name, so it shows without scrolling."""
    return ["label", "card", *(c for c in frame.columns if c not in ("label", "card"))]


def _columns() -> dict:
    from kb.vocab import CERTAINTY_MEANING, TIME_WINDOW_MEANING

    grade = " ".join(f"{k}: {v}" for k, v in CERTAINTY_MEANING.items() if k in
                     ("high", "moderate", "low", "very low"))
    windows = " ".join(TIME_WINDOW_MEANING[w] for w in views.BENEFIT)
    return {
        "condition_id": None,
        "label": st.column_config.TextColumn("Condition"),
        "body_region": st.column_config.TextColumn("Body region"),
        "best_certainty": st.column_config.TextColumn("Best certainty", help=grade),
        "certainty_basis": st.column_config.TextColumn(
            "Basis", help="GRADE by the review's authors, or the authors' own wording, another "
                          "tool, or not stated: only GRADE is a GRADE level."),
        "time_windows": st.column_config.TextColumn("Supported for", help=windows),
        "evidence_status": st.column_config.TextColumn("Evidence"),
        "n_findings": st.column_config.NumberColumn("Findings"),
        "n_claims": st.column_config.NumberColumn("Claims"),
        "card": st.column_config.LinkColumn("Card", display_text="Open card",
                                            help="The condition card for clinicians."),
    }
