"""The filter panel: the explorer's and evidence map's filter bar, and the one collapsible
panel every filtered page puts its filters in (state in the URL)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import streamlit as st

from kb import views, vocab
from kb.model import KB
from kb.ui import common

CERTAINTY_LABEL = {None: "any graded",
                   **{level.slug: level.label for level in vocab.Certainty}}
# How the panel's label names a parameter's values: a prefix and the values' words.
SUMMARY_WORDS: dict[str, tuple[str, Mapping[str, str]]] = {
    "certainty": ("at least ", CERTAINTY_LABEL), "window": ("", vocab.TIME_WINDOW_LABEL),
    "region": ("", vocab.BODY_REGION_LABEL), "outcome": ("", vocab.OUTCOME_LABEL),
    "comparator": ("vs ", vocab.COMPARATOR_LABEL), "topic": ("", vocab.TOPIC_LABEL),
    "status": ("", vocab.STATUS_LABEL)}
PHONE_AGENTS = ("Mobile", "Android", "iPhone")


def on_phone() -> bool:
    """Whether the browser says it is a phone (Python cannot see the viewport's width)."""
    agent = st.context.headers.get("User-Agent") or ""
    return any(word in agent for word in PHONE_AGENTS)


def summary(specs: list[views.ParamSpec], values: Mapping[str, Any]) -> str:
    """'Filters: at least low · short term', or 'Filters: none set' when every one is at its
    default; the values in words (SUMMARY_WORDS), user text quoted, ids counted."""
    parts = []
    for spec in specs:
        value = values.get(spec.name)
        if not value:
            continue
        items = value if isinstance(value, list | tuple) else [value]
        if spec.kind == "flag":
            parts.append(spec.label)
        elif spec.kind == "text":
            parts.append(f"{spec.label} “{str(value).strip()}”")
        elif spec.name in SUMMARY_WORDS:
            prefix, words = SUMMARY_WORDS[spec.name]
            parts.append(prefix + ", ".join(str(words.get(i, i)) for i in items))
        else:  # ids (articles, references): how many, not the ids
            parts.append(common.plural(len(items), spec.label))
    return "Filters: " + (" · ".join(parts) if parts else "none set")


@contextmanager
def panel(specs: list[views.ParamSpec], prefix: str, skip: tuple[str, ...] = ()
          ) -> Iterator[None]:
    """An expander for a page's filters, labelled with the active ones (read from the
    session state the page's `common.read_state` seeded): open on a desktop, closed on a
    phone. `skip` names parameters that are not filters (a chosen claim)."""
    values = {s.name: st.session_state.get(f"{prefix}_{s.name}") for s in specs}
    shown = [s for s in specs if s.name not in skip]
    with st.expander(common.md(summary(shown, values)), expanded=not on_phone(),
                     icon=":material/filter_list:", key=f"{prefix}__filters"):
        yield


def filter_widgets(kb: KB, prefix: str) -> None:
    """The shared filter bar of the explorer and the evidence map (state in session/URL)."""
    k = f"{prefix}_"
    row = st.columns(4)
    row[0].selectbox("Minimum certainty", [None, *vocab.Certainty.slugs()], key=k + "certainty",
                     format_func=CERTAINTY_LABEL.get, placeholder=CERTAINTY_LABEL[None],
                     help="GRADE certainty of the best supporting finding.")
    row[1].multiselect("Time window", list(views.BENEFIT), key=k + "window",
                       format_func=vocab.TIME_WINDOW_LABEL.get, placeholder="any window")
    row[2].multiselect("Body region", views.body_regions(kb),
                       key=k + "region", placeholder="any region",
                       format_func=lambda r: vocab.BODY_REGION_LABEL.get(r, r))
    row[3].multiselect("Outcome", list(vocab.OUTCOME_CHOICES), key=k + "outcome",
                       format_func=vocab.OUTCOME_LABEL.get, placeholder="any outcome")
    row = st.columns(3)
    row[0].multiselect("Comparator", list(vocab.COMPARATOR_CHOICES), key=k + "comparator",
                       format_func=vocab.COMPARATOR_LABEL.get, placeholder="any comparator")
    titles = views.source_titles(kb)
    row[1].multiselect("Source article", list(titles), key=k + "source",
                       format_func=titles.get, placeholder="any article")
    row[2].text_input("Search conditions", key=k + "q", max_chars=views.MAX_TEXT,
                      placeholder="e.g. back, lumbar, neck")
    row = st.columns(2)
    row[0].toggle("Optimistic (count ranges at their upper bound)", key=k + "optimistic",
                  help="A range such as 'very low to moderate' counts as 'very low' by default "
                       "and as 'moderate' when on. The whole range is always shown.")
    row[1].toggle("GRADE-rated only", key=k + "grade",
                  help="Count only findings whose review authors rated certainty with GRADE "
                       "(not the authors' own wording or another tool).")


def filter_state(kb: KB, prefix: str) -> dict[str, Any]:
    """Seed the filters from the URL, draw them in the panel, write them back; the values."""
    specs = views.filter_specs(kb)
    common.read_state(specs, prefix)
    with panel(specs, prefix):
        filter_widgets(kb, prefix)
    return common.write_state(specs, prefix)
