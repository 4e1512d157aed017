"""Check a text: paste or upload a page, see every sentence's support status and why."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kb import catalog, checkreport, vocab
from kb.model import KB
from kb.textcheck import check_text
from kb.textread import MAX_TEXT_MB, TextError, decode, read_document, sniff
from kb.ui import common

PREFIX = "tc"


@st.cache_data(max_entries=8, show_spinner="Checking the text…")
def _check(text: str, kind: str, path: str, _kb: KB) -> tuple[str, pd.DataFrame]:
    """The text's title and report, once per text and data directory `path` (the KB of that
    directory, unhashed), not on every rerun of the page such as a change of the filter."""
    doc = read_document(text, kind)
    return doc.title, check_text(doc, _kb)


def render() -> None:
    kb = common.start("Check a text")
    if kb is None:
        return
    st.caption(f"Paste a patient-education text or upload a file (plain text, Markdown or HTML, "
               f"UTF-8, at most {MAX_TEXT_MB} MB). Each sentence is compared, automatically "
               "and by rule, with the findings, adverse-event figures, contraindication "
               "sources and curated articles of the KB.")
    pasted = st.text_area("Text to check", key=f"{PREFIX}_text", height=180)
    upload = st.file_uploader("Or upload a file", type=["txt", "md", "markdown", "html", "htm"],
                              key=f"{PREFIX}_file", max_upload_size=MAX_TEXT_MB)
    if upload is not None:
        data, name = upload.getvalue(), upload.name
    elif pasted.strip():
        data, name = pasted.encode("utf-8"), "pasted text"
    else:
        st.info("Paste a text or upload a file to check it.")
        return
    try:
        text = decode(data, name)
    except TextError as err:
        st.error(common.md(str(err)))
        return
    title, report = _check(text, sniff(text, name), common.data_dir(), kb)
    if report.empty:
        st.warning("No sentence found to check.")
        return
    counts = checkreport.counts(report)
    flagged = " · ".join(f"{vocab.STATUS_LABEL[s]}: {counts[s]}" for s in vocab.FLAGGED_STATUSES)
    st.subheader(f"{common.plural(len(report), 'sentence')} checked")
    st.markdown(common.md(flagged))
    statuses = st.multiselect("Show statuses", vocab.SupportStatus.values(),
                              format_func=vocab.STATUS_LABEL.get, key=f"{PREFIX}_status",
                              placeholder="every status")
    ids = common.show_ids(PREFIX)
    shown = report[report["status"].isin(statuses)] if statuses else report
    for row in shown.itertuples(index=False):
        badge = vocab.STATUS_BADGE[row.status]
        label = common.md(vocab.STATUS_LABEL[row.status])
        st.markdown(f":{badge}-badge[{label}] {common.md(row.sentence)}")
        with st.expander(f"Why: sentence {int(row.sentence_no)}"):
            topic = vocab.TOPIC_LABEL.get(row.topic, row.topic)
            st.markdown(common.md(f"Topic: {topic}. Wording: "
                                      f"{vocab.WORDING_LABEL[row.wording_strength]}."))
            st.markdown(common.md(row.rationale))
            if row.conditions:
                st.markdown(common.md(f"Conditions: {row.conditions}"))
            if row.certainty:
                st.markdown(common.md(f"Certainty of the evidence: {row.certainty}"))
            if ids and row.finding_ids:
                st.caption(common.md(f"Findings: {row.finding_ids.replace(';', ', ')}"))
    for fmt in catalog.CHECK_FORMATS.values():
        st.download_button(f"Download report ({fmt.name})",
                           lambda fmt=fmt: catalog.check_report(report, fmt.name, title),
                           file_name=f"evidence-check{fmt.suffix}", mime=fmt.mime,
                           key=f"{PREFIX}_dl_{fmt.name}", on_click="ignore")
    st.caption("Automatic check, not reviewed by a curator. Evidence information, not medical "
               "advice.")
