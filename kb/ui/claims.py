"""Claims browser: every claim, filterable, with its citations and its evidence trail drawn as
linked cards (claim, article section, cited reference, restated passage, finding, review)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kb import summary, views, vocab
from kb.citations import article_name, reference_name
from kb.markdown import escape
from kb.model import KB
from kb.summary import finding_facts
from kb.trace import NO_FINDING, NO_PRIMARY, PRIMARY, UNREFERENCED, trace
from kb.ui import common, filters, links
from kb.vocab import STATUS_BADGE, STATUS_LABEL, TOPIC_LABEL, SupportStatus, Topic

PREFIX = "cl"
COLUMNS = ["support_status", "statement", "article", "topic", "certainty", "time_window",
           "section", "references", "conditions"]
ID_COLUMNS = ["claim_id", "source_id", "reference_ids", "condition_ids"]
ENDS = {NO_PRIMARY: "this source restates no primary evidence for the sentence.",
        NO_FINDING: "no finding of this review is linked to the sentence.",
        UNREFERENCED: "the article cites nothing for this sentence."}


def specs(kb: KB, claims: pd.DataFrame) -> list[views.ParamSpec]:
    """URL parameters of the claims browser."""
    return [
        views.ParamSpec("article", "many", frozenset(kb.sources["source_id"]), label="article"),
        views.ParamSpec("topic", "many", Topic.values(), label="topic"),
        views.ParamSpec("status", "many", SupportStatus.values(), label="support status"),
        views.ParamSpec("ref", "one", frozenset(kb.references["reference_id"]),
                        label="reference"),
        views.ParamSpec("q", "text", label="search"),
        views.ParamSpec("unassessable", "flag", label="show not assessable"),
        views.ParamSpec("claim", "one", frozenset(claims["claim_id"]), label="claim"),
        common.IDS,
    ]


def render() -> None:
    kb = common.start("Claims browser")
    if kb is None:
        return
    claims = common.derived("claims_with_status", views.claims_with_status)
    page_specs = specs(kb, claims)
    common.read_state(page_specs, PREFIX)
    cites = reference_name(kb.references)
    with filters.panel(page_specs, PREFIX, skip=("claim", common.IDS.name)):
        ids = _filters(kb, cites)
    shown = views.claims_in_words(kb, _filtered(claims, st.session_state))
    st.subheader(common.plural(len(shown), "claim"))
    table = views.in_words(shown[ID_COLUMNS[:1] + COLUMNS + ID_COLUMNS[1:]])
    st.dataframe(table if ids else table.drop(columns=ID_COLUMNS), hide_index=True,
                 key=f"{PREFIX}_table", height=common.TALL,
                 column_config=common.headers(table) | {
                     "support_status": st.column_config.TextColumn("Support status",
                                                                   width="medium"),
                     "statement": st.column_config.TextColumn("Claim", width="large")})
    common.downloads(table, "claims")
    chosen = _picker(shown, ids)
    values = common.write_state(page_specs, PREFIX)
    if values["ref"]:
        ref = str(values["ref"])
        links.impact_link(ref, f"Impact if {escape(cites.get(ref, ref))} were withdrawn")
    if chosen:
        claim_detail(kb, shown[shown["claim_id"] == chosen].iloc[0], ids)


def _filters(kb: KB, cites: pd.Series) -> bool:
    """The filters, the search and the toggles; True when ids are to be shown."""
    publishers = article_name(kb.sources)
    row = st.columns(4)
    row[0].multiselect("Article", kb.sources["source_id"].tolist(), key=f"{PREFIX}_article",
                       placeholder="any article", format_func=lambda s: publishers.get(s, s))
    row[1].multiselect("Topic", Topic.values(), key=f"{PREFIX}_topic", placeholder="any topic",
                       format_func=TOPIC_LABEL.get)
    row[2].multiselect("Support status", SupportStatus.values(), key=f"{PREFIX}_status",
                       placeholder="any status", format_func=STATUS_LABEL.get)
    ids = bool(st.session_state.get(f"{PREFIX}_{common.IDS.name}"))
    refs = sorted(cites.index, key=lambda r: cites[r].casefold())
    row[3].selectbox("Cites reference", [None, *refs], key=f"{PREFIX}_ref",
                     format_func=lambda r: _reference_name(cites, r, ids) if r
                     else "any reference", placeholder="any reference")
    st.text_input("Search statements", key=f"{PREFIX}_q", max_chars=views.MAX_TEXT)
    left, right = st.columns(2)
    with left:
        st.toggle("Show claims that cannot be assessed", key=f"{PREFIX}_unassessable",
                  help="Claims with nothing checkable behind them (no finding, no checked "
                       "reference) are hidden unless you ask for them.")
    with right:
        return common.show_ids(PREFIX)


def _reference_name(cites: pd.Series, ref: str, ids: bool) -> str:
    name = str(cites.get(ref, ref))
    return f"{name} ({ref})" if ids else name


def _filtered(claims: pd.DataFrame, state) -> pd.DataFrame:
    return views.filter_claims(
        claims, sources=state.get(f"{PREFIX}_article") or (),
        topics=state.get(f"{PREFIX}_topic") or (), statuses=state.get(f"{PREFIX}_status") or (),
        reference_id=state.get(f"{PREFIX}_ref") or "", text=state.get(f"{PREFIX}_q") or "",
        assessable_only=not state.get(f"{PREFIX}_unassessable"))


def _picker(shown: pd.DataFrame, ids: bool) -> str | None:
    """The claim whose evidence trail is open, chosen by its statement."""
    keys = shown["claim_id"].tolist()
    if st.session_state.get(f"{PREFIX}_claim") not in keys:
        st.session_state[f"{PREFIX}_claim"] = None
    text = shown["statement"].where(shown["statement"].str.len() <= 110,
                                    shown["statement"].str.slice(0, 107) + "…")
    names = dict(zip(keys, text + " (" + shown["article"] + ")", strict=True))
    if ids:
        names = {k: f"{k}: {v}" for k, v in names.items()}
    return st.selectbox("Show the evidence trail of", [None, *keys], key=f"{PREFIX}_claim",
                        format_func=lambda c: names.get(c, c) if c else "choose a claim",
                        placeholder="choose a claim")


def claim_detail(kb: KB, claim: pd.Series, ids: bool = False) -> None:
    """A claim's evidence trail as linked cards, from the claim down to the reviews."""
    st.subheader("Evidence trail")
    st.caption("From the claim to the article section it stands in, what that section cites, "
               "the passage a cited page restates, and the review's findings.")
    steps = trace(kb, str(claim["claim_id"]))
    head = steps[0]
    facts = finding_facts(kb, [s["id"] for s in steps if s["kind"] == "finding"])
    refs = kb.references.set_index("reference_id")
    cites = reference_name(kb.references)
    _claim_card(claim, head, ids)
    _arrow("stated in")
    _article_card(kb, claim, head)
    i = 1
    while i < len(steps):
        step = steps[i]
        if step["kind"] == "reference":
            found = _run(steps, i + 1, step["id"], True)
            _reference_steps(kb, step, found, facts, refs, cites, ids)
        else:
            found = _run(steps, i, step["reference_id"], False)
            _findings(found, facts, cites, ids, "also linked to the claim, from a review the "
                                                "article does not cite: {} reports")
            _review_card(kb, step["reference_id"], refs, cites, ids, "", bool(found))
        i += len(found) + (step["kind"] == "reference")


def _run(steps: list[dict], start: int, ref: str, cited: bool) -> list[dict]:
    """The findings of `ref` that follow each other from `start` in the trail."""
    end = start
    while (end < len(steps) and steps[end]["kind"] == "finding"
           and steps[end]["reference_id"] == ref and steps[end]["cited"] == cited):
        end += 1
    return steps[start:end]


def _arrow(words: str) -> None:
    st.markdown(f":gray[↓ *{escape(words)}*]")


def _card_head(title: str, key: str, ids: bool) -> None:
    extra = f" :gray[· {escape(key)}]" if ids and key else ""
    st.markdown(f"**{escape(title)}**{extra}")


def _claim_card(claim: pd.Series, head: dict, ids: bool) -> None:
    with st.container(border=True):
        _card_head("Claim", str(claim["claim_id"]), ids)
        st.markdown(escape(claim["statement"]))
        status = str(claim.get("support_status", ""))
        with st.container(horizontal=True):
            if status in STATUS_LABEL:
                st.badge(common.badge_label(STATUS_LABEL[status]), color=STATUS_BADGE[status])
            common.certainty_badge(str(claim["certainty"]), str(claim["certainty_basis"]))
            if head["time_window"] in vocab.BENEFIT_WINDOWS:
                common.window_badge(head["time_window"])
        if status in STATUS_LABEL:
            st.markdown(f"Why: {escape(claim.get('status_rationale', ''))}")
        if head["end"]:
            st.caption(escape("The trail ends here: " + ENDS[head["end"]]))


def _article_card(kb: KB, claim: pd.Series, head: dict) -> None:
    source = kb.sources.set_index("source_id").loc[claim["source_id"]]
    with st.container(border=True):
        _card_head("Article section", "", False)
        title = common.md_link(str(source["title"]), str(source["url"]))
        name = article_name(kb.sources).get(claim["source_id"], claim["source_id"])
        st.markdown(f"{escape(name)}: *{title}*")
        if head["section"]:
            st.markdown(f"Section: “{escape(head['section'])}”")


def _reference_steps(kb: KB, step: dict, found: list[dict], facts: pd.DataFrame,
                     refs: pd.DataFrame, cites: pd.Series, ids: bool) -> None:
    """A cited or restated reference, then its findings, then the review itself."""
    name = str(cites.get(step["id"], step["id"]))
    kind = vocab.EVIDENCE_TYPE_LABEL.get(step["evidencetype"], "source of unknown type")
    primary = step["evidencetype"] in PRIMARY
    if step["relation"] == "restates":
        page = str(cites.get(step["reference_id"], step["reference_id"]))
        _arrow("restates, for this sentence")
        with st.container(border=True):
            _card_head("Restated passage", "", False)
            st.markdown(escape(f"{page} restates {name} ({kind}) for this sentence."))
            if step["note"]:
                st.caption(escape("Curator's note: " + step["note"]))
    else:
        _arrow("cites")
        with st.container(border=True):
            _card_head("Cited reference", step["id"], ids)
            st.markdown(escape(f"The article cites {name} ({kind})."))
            if not primary:
                st.markdown(_entry(kb, step["id"]))
                if step["end"]:
                    st.caption(escape("The trail ends here: " + ENDS[step["end"]]))
    if primary:
        _findings(found, facts, cites, ids)
        _review_card(kb, step["id"], refs, cites, ids, step["end"], bool(found))


def _findings(found: list[dict], facts: pd.DataFrame, cites: pd.Series, ids: bool,
              first: str = "{} reports") -> None:
    for n, step in enumerate(found):
        row = facts.loc[step["id"]]
        review = str(cites.get(step["reference_id"], step["reference_id"]))
        _arrow((first if n == 0 else "{} reports").format(review))
        with st.container(border=True):
            _card_head("Finding", step["id"], ids)
            st.markdown(f"**{escape(row['measured'])}**")
            if row["plain"]:
                st.markdown(escape(row["plain"]))
            effect = ("not reported in what was read" if row["effect"] == summary.NOT_KNOWN
                      else row["effect"])
            counts = f"; {row['counts']}" if row["counts"] else ""
            st.markdown(escape(f"Effect: {effect}{counts}"))
            with st.container(horizontal=True):
                common.certainty_badge(str(row["certainty"]), str(row["basis"]))
                if row["time_window"] in vocab.BENEFIT_WINDOWS:
                    common.window_badge(str(row["time_window"]))
            relation = "supports" if step["relation"] == "supports" else "contradicts"
            st.caption(escape(f"This finding {relation} the claim."))


def _review_card(kb: KB, ref: str, refs: pd.DataFrame, cites: pd.Series, ids: bool,
                 end: str, reported: bool) -> None:
    _arrow("reported by" if reported else "the review")
    kind = vocab.EVIDENCE_TYPE_LABEL.get(str(refs["evidencetype"].get(ref, "")), "review")
    with st.container(border=True):
        _card_head(f"Review: {cites.get(ref, ref)}", ref, ids)
        st.caption(escape(kind.capitalize()))
        st.markdown(_entry(kb, ref))
        if end:
            st.caption(escape("The trail ends here: " + ENDS[end]))


def _entry(kb: KB, ref: str) -> str:
    """The reference in AMA style, with its DOI and PubMed links (escaped Markdown)."""
    from kb.bibliography import format_references

    entries = common.derived(f"ama-one:{ref}", lambda k: format_references(
        k, [ref], style="ama", markdown=True))
    return entries[0] if entries else escape(ref)
