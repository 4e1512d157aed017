"""Condition card: the bottom line, then a Summary of Findings (plain or clinician view of the
same records), forest plots, what the articles say, safety as outcomes, references."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kb import safety_view, summary, views
from kb.markdown import escape
from kb.model import KB
from kb.ui import charts, common, links

PREFIX = "card"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
CLINICIAN = ["outcome", "comparison", "time", "review", "studies", "participants", "effect",
             "certainty", "basis"]
CLAIM_COLUMNS = {"plain": ["article", "statement", "support_status"],
                 "detail": ["article", "section", "statement", "certainty", "support_status",
                            "status_rationale"]}
SCALE = ("Certainty: ⊕⊕⊕⊕ high, ⊕⊕⊕◯ moderate, ⊕⊕◯◯ low, ⊕◯◯◯ very low, always with its "
         "basis: GRADE by the review's authors, or another basis that is not GRADE.")


def specs(kb: KB) -> list[views.ParamSpec]:
    """URL parameters: the condition, plain or clinician view, optimistic ranking."""
    return [views.ParamSpec("condition", "one", frozenset(kb.conditions["condition_id"]),
                            default=_default_condition(kb), label="condition",
                            always=True),
            views.ParamSpec("detail", "flag", label="clinician view"),
            views.ParamSpec("optimistic", "flag", label="optimistic"), common.IDS]


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
    left, mid, right, far = st.columns([3, 1, 1, 1], vertical_alignment="bottom")
    left.selectbox("Condition", labels.index.tolist(), format_func=labels.get,
                   key=f"{PREFIX}_condition")
    mid.toggle("Clinician view", key=f"{PREFIX}_detail",
               help="Off: what the findings mean, in plain words. On: the Summary of Findings "
                    "with effect sizes and 95% CIs. Both show the same findings.")
    right.toggle("Optimistic", key=f"{PREFIX}_optimistic",
                 help="Rank certainty ranges by their upper bound (default: lower bound).")
    with far:
        ids = common.show_ids(PREFIX)
    values = common.write_state(page_specs, PREFIX)
    condition_id = str(values["condition"])
    detail = bool(values["detail"])
    head, deck = st.columns([4, 1], vertical_alignment="bottom")
    head.header(escape(labels.get(condition_id, condition_id)))
    deck.download_button("Download slides (PPTX)", lambda: _deck(kb, condition_id),
                         f"dry-needling-{condition_id}.pptx", mime=PPTX,
                         key=f"{PREFIX}_pptx", on_click="ignore",
                         help="A teaching deck: bottom line, Summary of Findings, forest plot, "
                              "safety and AMA references.")
    conservative = not values["optimistic"]
    st.info(escape(views.bottom_line(kb, condition_id, conservative)),
            icon=":material/summarize:")
    _badges(kb, condition_id, conservative)
    sof = summary.summary_of_findings(kb, condition_id)
    _findings(kb, condition_id, sof, detail, ids)
    claims = common.derived("claims_with_status", views.claims_with_status)
    _articles(kb, claims, condition_id, detail, ids)
    _safety(kb, claims, ids)
    _references(kb, condition_id)


def _badges(kb: KB, condition_id: str, conservative: bool) -> None:
    row = views.condition_row(kb, condition_id, conservative)
    if row is None:
        status = views.condition_status(kb, condition_id)
        st.markdown("**" + escape(summary.standing(kb, condition_id, status)) + "**")
        note = kb.conditions.set_index("condition_id")["evidence_note"].get(condition_id, "")
        if isinstance(note, str) and note:
            st.caption("What was found: " + escape(note))
        return
    cols = st.columns([3, 1, 1, 1], width=900)
    with cols[0]:
        common.certainty_badge(str(row["best_certainty"]), str(row["certainty_basis"]))
    windows = str(row["time_windows"]).split(", ")
    for col, window in zip(cols[1:], windows, strict=False):
        with col:
            common.window_badge(window)


def _findings(kb: KB, condition_id: str, sof: summary.SummaryOfFindings, detail: bool,
              ids: bool) -> None:
    st.subheader("Summary of findings")
    rows = sof.rows
    if rows.empty:
        st.write("No review in the knowledge base reports a finding for this condition.")
        return
    st.caption(escape(f"{common.plural(len(rows), 'finding')}, one row per outcome, "
                      "comparison and time point. " + SCALE))
    detailed = rows["outcome_detail"].str.casefold() != rows["outcome"].str.casefold()
    shown = rows.assign(certainty=rows["certainty"] + rows["marks"],
                        effect=summary.effect_cell(rows),
                        outcome=rows["outcome"].where(~detailed, rows["outcome"] + " ("
                                                      + rows["outcome_detail"] + ")"))
    table = shown[[*CLINICIAN, "review_url", "finding_id"]].rename(
        columns=summary.HEADERS | {"finding_id": "Finding id"})
    if detail:
        st.markdown(common.markdown_table(table if ids else table.drop(columns="Finding id"),
                                          {"Review": "review_url"}))
    else:
        _plain_view(rows.assign(certainty=shown["certainty"]))
    st.markdown("\n".join(f"{n}. {escape(note)}" for n, note in enumerate(sof.footnotes, 1)))
    common.downloads(table.drop(columns=["review_url"]), f"summary-of-findings-{condition_id}")
    disagreements = views.review_disagreements(kb, condition_id)
    if disagreements:
        with st.expander(f"Where the reviews disagree ({len(disagreements)})"):
            for line in disagreements:
                st.markdown("- " + escape(line))
    forest = summary.forest_rows(rows)
    if not forest.empty:
        st.subheader("Forest plot")
        st.caption("Each square is a pooled estimate, the line its 95% CI, the colour its "
                   "certainty; one axis per effect measure, since they are on different "
                   "scales. Hover for the effect and both CI bounds.")
        for measure, part in forest.groupby("measure", sort=True):
            st.plotly_chart(charts.forest(part), key=f"{PREFIX}_forest_{measure}")


def _plain_view(rows: pd.DataFrame) -> None:
    """The same rows in words, grouped by outcome: what it means, how sure, from where."""
    for outcome, part in rows.groupby("outcome", sort=False):
        st.markdown(f"**{escape(outcome)}**")
        lines = [f"- *{escape(r.time)}, vs {escape(r.comparison)}{escape(_detail(r))}:* "
                 f"{escape(r.plain)} "
                 f"**{escape(r.certainty)}** ({escape(r.basis)}). "
                 f"{common.md_link(r.review, r.review_url)}{escape(_counts(r))}"
                 for r in part.itertuples()]
        st.markdown("\n".join(lines))


def _detail(row) -> str:
    """' (pain intensity)': the review's own words for the outcome, when they add something."""
    same = row.outcome_detail.casefold() == row.outcome.casefold()
    return "" if same or not row.outcome_detail else f" ({row.outcome_detail})"


def _counts(row) -> str:
    """': 21 studies, 230 participants', the known ones only (a footnote says the rest)."""
    known = [v for v in (row.studies, row.participants) if v != summary.NOT_KNOWN]
    return (": " + ", ".join(known)) if known else ""


def _articles(kb: KB, claims: pd.DataFrame, condition_id: str, detail: bool,
              ids: bool) -> None:
    st.subheader("What the four articles say")
    about = views.filter_claims(claims, condition_id=condition_id)
    if about.empty:
        st.write("None of the articles makes a claim about this condition.")
        return
    _claims_table(kb, about, detail, ids)


def _claims_table(kb: KB, claims: pd.DataFrame, detail: bool, ids: bool) -> None:
    """The articles' claims, their support status in words; the claim id when ids are on."""
    columns = ["claim_id"] * ids + CLAIM_COLUMNS["detail" if detail else "plain"]
    shown = views.in_words(views.claims_in_words(kb, claims)[columns])
    st.dataframe(shown, hide_index=True, column_config=common.headers(shown))


def _safety(kb: KB, claims: pd.DataFrame, ids: bool) -> None:
    st.subheader("Safety")
    st.caption("Adverse events and contraindications apply to dry needling for every "
               "condition. Figures as their sources printed them.")
    for line in safety_view.headline_rates(kb):
        st.markdown("- " + escape(line))
    matrix = safety_view.contraindication_matrix(kb)
    disagree = len(safety_view.disagreeing(matrix))
    cases = safety_view.case_report_count(kb)
    st.markdown(escape(f"{common.plural(cases, 'case report')} of serious events (mostly "
                       f"pneumothorax), with no denominator: cases, not rates. Sources disagree "
                       f"on {disagree} of {len(matrix)} contraindications."))
    links.link("safety", "Every adverse-event figure and the contraindication table",
               icon=":material/health_and_safety:")
    safety = views.safety_claims(claims)
    with st.expander(f"What the articles say about safety ({len(safety)} claims)"):
        _claims_table(kb, safety, False, ids)


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
