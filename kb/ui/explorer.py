"""Conditions explorer, the landing page: which conditions, how strong, for how long.

Three groups, each a table whose row link is the one way to a condition's card: graded
conditions with their certainty per time window; evidence whose certainty is not stated;
uses an article lists with no review behind them."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from kb import views, vocab
from kb.cube import ConditionFilter
from kb.model import KB
from kb.ui import common, filters, links

PREFIX = "ex"
# Filters only a graded finding can meet: with one set, the ungraded groups are left out
# unless a search asks for conditions by name.
EVIDENCE_FILTERS = ("certainty", "window", "outcome", "comparator", "grade")
# A certainty cell's hover, after its window's meaning: the mark for no support, the levels.
CELL_HELP = (f"{views.NO_SUPPORT}: no finding in this window favours dry needling with a "
             "stated certainty level. A range ('low to moderate') spans the reviews' ratings. "
             + " ".join(vocab.CERTAINTY_MEANING[c.label] for c in reversed(vocab.Certainty)))


def render() -> None:
    kb = common.start("Conditions explorer")
    if kb is None:
        return
    values = filters.filter_state(kb, PREFIX)
    f = views.condition_filter(values)
    graded = views.explorer_table(kb, f)
    st.subheader(f"Graded evidence: {common.plural(len(graded), 'condition')}")
    if graded.empty:
        st.write("No graded condition matches these filters.")
    else:
        st.caption("Best certainty of the findings that favour dry needling, in each time "
                   "window. Each row's link opens its condition card.")
        _table(graded, "conditions", f.time_windows)
    _ungraded(kb, f, values)


def _ungraded(kb: KB, f: ConditionFilter, values: dict[str, Any]) -> None:
    """The two groups without graded evidence, or a line saying why they are left out."""
    groups = views.ungraded_groups(kb, f)
    searched = bool(str(values.get("q") or "").strip())
    if searched and all(rows.empty for rows in groups.values()):
        st.write("No condition without graded evidence matches the search.")
    if any(values.get(name) for name in EVIDENCE_FILTERS) and not searched:
        n = sum(len(rows) for rows in groups.values())
        st.caption(f"{common.plural(n, 'condition')} without graded evidence not listed: "
                   "the certainty, time window, outcome and comparator filters need a graded "
                   "finding. Clear them, or search by name, to list them.")
        return
    for title, statuses in vocab.UNGRADED_GROUPS.items():
        rows = groups[title]
        if rows.empty:
            continue
        name, about, said = GROUP_TEXT[statuses[0]]
        st.subheader(f"{title}: {common.plural(len(rows), 'condition')}")
        st.caption(about)
        _table(rows.drop(columns=list(said)), name)


# Each ungraded group's download name, caption, and the columns its heading already says,
# by the group's first status.
GROUP_TEXT = {
    vocab.EvidenceStatus.LEVEL_NOT_STATED: (
        "conditions-certainty-not-stated",
        "Reviews report on these conditions, but the certainty of their findings is not "
        "stated, or was not rated with GRADE. Each row's link opens its card.", ()),
    vocab.EvidenceStatus.POSSIBLE_USE: (
        "conditions-possible-use",
        "An article lists these as possible uses of dry needling; no review in the knowledge "
        "base reports on them. Each row's link opens its card.",
        ("evidence_status", "n_findings"))}
# Columns a phone leaves out, so the condition, its card and its certainty fit.
PHONE_HIDDEN = ("body_region", "n_findings", "n_claims")


def _table(rows: pd.DataFrame, name: str, windows: tuple[str, ...] = ()) -> None:
    """One group's table, in words, with the card link after the condition's name. A phone
    shows the key columns only: the name, the card and one column of the certainty in the
    time windows asked for (all when none is)."""
    shown = views.in_words(rows)
    linked = shown.assign(card=f"{links.url_path('card')}?condition=" + rows["condition_id"])
    hidden, phone = {"condition_id"}, filters.on_phone()
    if phone:
        hidden |= {*PHONE_HIDDEN, *views.WINDOW_COLUMNS.values()}
        if views.WINDOW_COLUMNS["short-term"] in shown:
            linked["by_window"] = _by_window(shown, windows)
    first = ["label", "card", "by_window", *views.WINDOW_COLUMNS.values(), "evidence_status",
             "n_findings", "n_claims"]
    order = [c for c in dict.fromkeys([*first, *shown.columns])
             if c in linked and c not in hidden]
    config = _columns(shown)
    if phone:
        config["label"] = st.column_config.TextColumn("Condition", width=130)
    if len(windows) == 1:
        config["by_window"] = config[views.WINDOW_COLUMNS[windows[0]]]
    st.dataframe(linked, hide_index=True, column_config=config, column_order=order,
                 key=f"{PREFIX}_{name}", height=min(common.TALL, 35 * (len(rows) + 1) + 3))
    common.downloads(shown, name)


def _by_window(shown: pd.DataFrame, windows: tuple[str, ...]) -> pd.Series:
    """'short term: moderate · long term: low' over the windows asked for (all when none
    is), leaving out the windows without support: the phone's one certainty column. With one
    window asked for, its cells as they are (the header names the window)."""
    if len(windows) == 1:
        return shown[views.WINDOW_COLUMNS[windows[0]]]
    parts = pd.DataFrame({w: vocab.TIME_WINDOW_LABEL[w] + ": " + shown[column]
                          for w, column in views.WINDOW_COLUMNS.items()
                          if not windows or w in windows})
    supported = parts.where(shown[[views.WINDOW_COLUMNS[w] for w in parts.columns]].to_numpy()
                            != views.NO_SUPPORT)
    joined = supported.stack().dropna().groupby(level=0).agg(" · ".join)
    return joined.reindex(shown.index, fill_value=views.NO_SUPPORT)


def _fit(cells: pd.Series | None) -> int:
    """A column's width in pixels for its longest cell (about 7 px a character)."""
    longest = 0 if cells is None or cells.empty else int(cells.astype(str).str.len().max())
    return min(270, max(90, 7 * longest + 20))


def _columns(shown: pd.DataFrame) -> dict:
    windows = {
        column: st.column_config.TextColumn(
            vocab.TIME_WINDOW_LABEL[w].capitalize(), width=_fit(shown.get(column)),
            help=f"{vocab.TIME_WINDOW_MEANING[w]} {CELL_HELP}")
        for w, column in views.WINDOW_COLUMNS.items()}
    return {
        "condition_id": None,
        "label": st.column_config.TextColumn("Condition", width=190),
        "body_region": st.column_config.TextColumn("Body region", width=150),
        **windows,
        "by_window": st.column_config.TextColumn(
            "Certainty", help=" ".join(vocab.TIME_WINDOW_MEANING[w] for w in views.BENEFIT)
            + " " + CELL_HELP),
        "evidence_status": st.column_config.TextColumn("Evidence"),
        "n_findings": st.column_config.NumberColumn(
            "Findings", help="Findings of reviews about the condition, in the windows asked."),
        "n_claims": st.column_config.NumberColumn(
            "Claims", help="Statements about the condition in the articles."),
        "card": st.column_config.LinkColumn("Card", display_text="Open card", width="small",
                                            help="The condition card for clinicians."),
    }
