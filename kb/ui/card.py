"""Condition card: the bottom line, badges, findings, what the articles say, safety, references."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kb import views
from kb.markdown import escape
from kb.model import KB
from kb.ui import charts, common

PREFIX = "card"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
CLAIM_COLUMNS = {"plain": ["source_id", "statement", "support_status"],
                 "detail": ["claim_id", "source_id", "section", "statement", "topic",
                            "certainty", "support_status", "status_rationale", "reference_ids"]}


def specs(kb: KB) -> list[views.ParamSpec]:
    """URL parameters: the condition, plain or clinician detail, optimistic ranking."""
    return [views.ParamSpec("condition", "one", frozenset(kb.conditions["condition_id"]),
                            default=_default_condition(kb), label="condition",
                            always=True),
            views.ParamSpec("detail", "flag", label="clinician detail"),
            views.ParamSpec("optimistic", "flag", label="optimistic")]


def _default_condition(kb: KB) -> str:
    ids = kb.conditions["condition_id"]
    if (ids == "low-back-pain").any() or ids.empty:
        return "low-back-pain"
    return str(ids.iloc[0])


def render() -> None:
    kb = common.start("Condition card")
    if kb is None:
        return
    page_specs = specs(kb)
    common.read_state(page_specs, PREFIX)
    labels = kb.conditions.set_index("condition_id")["label"].sort_values()
    left, mid, right = st.columns([3, 1, 1], vertical_alignment="bottom")
    left.selectbox("Condition", labels.index.tolist(), format_func=labels.get,
                   key=f"{PREFIX}_condition")
    mid.toggle("Clinician detail", key=f"{PREFIX}_detail",
               help="Off: plain language. On: effect sizes, CIs, notes and rationales.")
    right.toggle("Optimistic", key=f"{PREFIX}_optimistic",
                 help="Rank certainty ranges by their upper bound (default: lower bound).")
    values = common.write_state(page_specs, PREFIX)
    condition_id = str(values["condition"])
    detail = bool(values["detail"])
    head, deck = st.columns([4, 1], vertical_alignment="bottom")
    head.header(escape(labels.get(condition_id, condition_id)))
    deck.download_button("Download slides (PPTX)", lambda: _deck(kb, condition_id),
                         f"dry-needling-{condition_id}.pptx", mime=PPTX,
                         key=f"{PREFIX}_pptx", on_click="ignore",
                         help="A teaching deck: bottom line, badges, findings, safety, "
                              "evidence map and AMA references.")
    conservative = not values["optimistic"]
    st.info(escape(views.bottom_line(kb, condition_id, conservative)))
    _badges(kb, condition_id, conservative)
    _findings(kb, condition_id, detail)
    claims = common.derived("claims_with_status", views.claims_with_status)
    _articles(claims, condition_id, detail)
    _safety(claims, detail)
    _references(kb, condition_id)


def _badges(kb: KB, condition_id: str, conservative: bool) -> None:
    row = views.condition_row(kb, condition_id, conservative)
    cols = st.columns([3, 1, 1, 1], width=900)
    with cols[0]:
        common.certainty_badge(str(row["best_certainty"]) if row is not None
                               else views.condition_status(kb, condition_id),
                               str(row["certainty_basis"]) if row is not None else "")
    windows = str(row["time_windows"]).split(", ") if row is not None else []
    for col, window in zip(cols[1:], windows, strict=False):
        with col:
            common.window_badge(window)


def _findings(kb: KB, condition_id: str, detail: bool) -> None:
    st.subheader("Findings")
    findings = views.condition_findings(kb, condition_id)
    if findings.empty:
        st.write("No review in the KB reports a finding for this condition.")
        return
    shown = findings[views.DETAIL_COLUMNS if detail else views.PLAIN_COLUMNS]
    st.dataframe(shown, hide_index=True, column_config=common.headers(shown))
    common.downloads(shown, f"findings-{condition_id}")
    disagreements = views.review_disagreements(kb, condition_id)
    if disagreements:
        st.markdown("**The reviews disagree** (each review's answer, with its certainty):")
        for line in disagreements:
            st.markdown("- " + escape(line))
    rows = views.forest_rows(findings)
    if not rows.empty:
        st.caption("Effect sizes with 95% confidence intervals, one axis per measure (below 0 "
                   "favours dry needling for pain and disability; above 0 for pressure pain "
                   "threshold).")
        for measure, part in rows.groupby("effect_measure", sort=True):
            st.plotly_chart(charts.forest(part), key=f"{PREFIX}_forest_{measure}")


def _articles(claims: pd.DataFrame, condition_id: str, detail: bool) -> None:
    st.subheader("What the four articles say")
    about = views.filter_claims(claims, condition_id=condition_id)
    if about.empty:
        st.write("None of the articles makes a claim about this condition.")
        return
    shown = about[CLAIM_COLUMNS["detail" if detail else "plain"]]
    st.dataframe(shown, hide_index=True, column_config=common.headers(shown))
    common.downloads(shown, f"claims-{condition_id}")


def _safety(claims: pd.DataFrame, detail: bool) -> None:
    st.subheader("Safety and contraindications")
    st.caption("These claims apply to dry needling for every condition.")
    safety = views.safety_claims(claims)
    columns = ["topic", *CLAIM_COLUMNS["detail" if detail else "plain"]]
    shown = safety[list(dict.fromkeys(columns))]
    with st.expander(f"{len(shown)} safety and contraindication claims"):
        st.dataframe(shown, hide_index=True, column_config=common.headers(shown))
        common.downloads(shown, "safety-claims")


def _references(kb: KB, condition_id: str) -> None:
    st.subheader("References")
    ids = views.condition_reference_ids(kb, condition_id)
    if not ids:
        st.write("No references.")
        return
    entries = common.derived(f"ama:{condition_id}", lambda k: _formatted(k, ids))
    st.markdown("\n".join(f"{i}. {entry}" for i, entry in enumerate(entries, 1)))


def _deck(kb: KB, condition_id: str) -> bytes:
    from kb.slides import build_deck

    return build_deck(kb, [condition_id])


def _formatted(kb: KB, ids: list[str]) -> list[str]:
    """AMA entries as escaped Markdown with DOI and PubMed links."""
    from kb.bibliography import format_references

    return format_references(kb, ids, style="ama", markdown=True)
