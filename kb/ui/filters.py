"""The filter bar shared by the conditions explorer and the evidence map (state in the URL)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from kb import views, vocab
from kb.model import KB
from kb.ui import common

CERTAINTY_LABEL = {None: "any graded",
                   **{level.slug: level.label for level in vocab.Certainty}}


def filter_widgets(kb: KB, prefix: str, ungraded_toggle: bool = False) -> None:
    """The shared filter bar of the explorer and the evidence map (state in session/URL)."""
    k = f"{prefix}_"
    row = st.columns(4)
    row[0].selectbox("Minimum certainty", [None, *vocab.Certainty.slugs()], key=k + "certainty",
                     format_func=CERTAINTY_LABEL.get, placeholder=CERTAINTY_LABEL[None],
                     help="GRADE certainty of the best supporting finding.")
    row[1].multiselect("Time window", list(views.BENEFIT), key=k + "window",
                       format_func=vocab.TIME_WINDOW_LABEL.get, placeholder="any window")
    row[2].multiselect("Body region", sorted(kb.conditions["body_region"].unique()),
                       key=k + "region", placeholder="any region",
                       format_func=lambda r: vocab.BODY_REGION_LABEL.get(r, r))
    row[3].multiselect("Outcome", list(vocab.OUTCOME_CHOICES), key=k + "outcome",
                       format_func=vocab.OUTCOME_LABEL.get, placeholder="any outcome")
    row = st.columns(3)
    row[0].multiselect("Comparator", list(vocab.COMPARATOR_CHOICES), key=k + "comparator",
                       format_func=vocab.COMPARATOR_LABEL.get, placeholder="any comparator")
    titles = kb.sources.set_index("source_id")["title"]
    row[1].multiselect("Source article", kb.sources["source_id"].tolist(), key=k + "source",
                       format_func=lambda s: f"{s}: {titles.get(s, '')}",
                       placeholder="any article")
    row[2].text_input("Search conditions", key=k + "q", max_chars=views.MAX_TEXT,
                      placeholder="e.g. back, lumbar")
    row = st.columns(3 if ungraded_toggle else 2)
    row[0].toggle("Optimistic (count ranges at their upper bound)", key=k + "optimistic",
                  help="A range such as 'very low to moderate' counts as 'very low' by default "
                       "and as 'moderate' when on. The whole range is always shown.")
    row[1].toggle("GRADE-rated only", key=k + "grade",
                  help="Count only findings whose review authors rated certainty with GRADE "
                       "(not the authors' own wording or another tool).")
    if ungraded_toggle:
        row[2].toggle("Show not graded conditions", key=k + "ungraded",
                      help="Conditions the articles list as possible uses with no GRADE-rated "
                           "finding, shown in their own group below.")


def filter_state(kb: KB, prefix: str, ungraded_toggle: bool = False) -> dict[str, Any]:
    """Seed the filters from the URL, draw them, write them back; the current values."""
    specs = views.filter_specs(kb)
    common.read_state(specs, prefix)
    filter_widgets(kb, prefix, ungraded_toggle)
    return common.write_state(specs, prefix)
