"""Conditions explorer, the landing page: which conditions, how strong, for how long."""

from __future__ import annotations

from typing import Any

import streamlit as st

from kb import views
from kb.model import KB
from kb.ui import common, nav

PREFIX = "ex"
CERTAINTY_LABEL = {None: "any graded", "very-low": "very low", "low": "low",
                   "moderate": "moderate", "high": "high"}


def filter_widgets(kb: KB, prefix: str, ungraded_toggle: bool = False) -> None:
    """The shared filter bar of the explorer and the evidence map (state in session/URL)."""
    k = f"{prefix}_"
    row = st.columns(4)
    row[0].selectbox("Minimum certainty", [None, *views.CERTAINTY_CHOICES], key=k + "certainty",
                     format_func=CERTAINTY_LABEL.get, placeholder=CERTAINTY_LABEL[None],
                     help="GRADE certainty of the best supporting finding.")
    row[1].multiselect("Time window", list(views.BENEFIT), key=k + "window",
                       placeholder="any window")
    row[2].multiselect("Body region", sorted(kb.conditions["body_region"].unique()),
                       key=k + "region", placeholder="any region")
    row[3].multiselect("Outcome", list(views.OUTCOME_CHOICES), key=k + "outcome",
                       format_func=views.OUTCOME_LABEL.get, placeholder="any outcome")
    row = st.columns(3)
    row[0].multiselect("Comparator", list(views.COMPARATOR_CHOICES), key=k + "comparator",
                       format_func=views.COMPARATOR_LABEL.get, placeholder="any comparator")
    titles = kb.sources.set_index("source_id")["title"]
    row[1].multiselect("Source article", kb.sources["source_id"].tolist(), key=k + "source",
                       format_func=lambda s: f"{s}: {titles.get(s, '')}",
                       placeholder="any article")
    row[2].text_input("Search conditions", key=k + "q", max_chars=views.MAX_TEXT,
                      placeholder="e.g. back, lumbar")
    row = st.columns(2 if ungraded_toggle else 1)
    row[0].toggle("Conservative (count ranges at lower bound)", key=k + "conservative",
                  help="A range such as 'very low to moderate' counts as 'very low' when on, "
                       "as 'moderate' when off. The whole range is always shown.")
    if ungraded_toggle:
        row[1].toggle("Show not graded conditions", key=k + "ungraded",
                      help="Conditions the articles list as possible uses with no GRADE-rated "
                           "finding, shown in their own group below.")


def filter_state(kb: KB, prefix: str, ungraded_toggle: bool = False) -> dict[str, Any]:
    """Seed the filters from the URL, draw them, write them back; the current values."""
    specs = views.filter_specs(kb)
    common.read_state(specs, prefix)
    filter_widgets(kb, prefix, ungraded_toggle)
    return common.write_state(specs, prefix)


def render() -> None:
    kb = common.start("Conditions explorer")
    if kb is None:
        return
    values = filter_state(kb, PREFIX, ungraded_toggle=True)
    f = views.condition_filter(values)
    table = views.explorer_table(kb, f)
    st.subheader(common.plural(len(table), "condition"))
    _card_link(table)
    linked = table.assign(card="condition?condition=" + table["condition_id"])
    st.dataframe(linked, hide_index=True, column_config=_columns())
    common.downloads(table, "conditions")
    if values["ungraded"]:
        from kb.cube import ungraded_conditions

        ungraded = ungraded_conditions(kb, f)
        st.subheader(f"Not graded: {common.plural(len(ungraded), 'condition')}")
        st.caption("Listed by an article as a possible use; no GRADE-rated finding supports it.")
        st.dataframe(ungraded, hide_index=True, column_config=_columns())
        common.downloads(ungraded, "conditions-not-graded")


def _card_link(table) -> None:
    if table.empty:
        return
    labels = dict(zip(table["condition_id"], table["label"], strict=True))
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    chosen = left.selectbox("Open a condition card", list(labels), format_func=labels.get,
                            key=f"{PREFIX}_open")
    with right:
        nav.card_link(chosen, "Open card")


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
        "time_windows": st.column_config.TextColumn("Supported for", help=windows),
        "n_findings": st.column_config.NumberColumn("Findings"),
        "n_claims": st.column_config.NumberColumn("Claims"),
        "card": st.column_config.LinkColumn("Card", display_text="Open card",
                                            help="The condition card for clinicians."),
    }
