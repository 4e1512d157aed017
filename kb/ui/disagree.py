"""Where sources disagree: computed contradictions between the articles' assertions."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kb import views
from kb.contradictions import find_contradictions
from kb.ui import common
from kb.vocab import CONTRAINDICATION_ATTRIBUTE, CONTRAINDICATION_LABEL

COLUMNS = ["subject", "attribute", "source_a", "value_a", "source_b", "value_b",
           "evidence_favours", "rationale", "claim_a", "claim_b"]


def in_words(frame: pd.DataFrame) -> pd.DataFrame:
    """Contradictions for display: contraindication levels in words, the favoured side named."""
    levels = frame["attribute"] == CONTRAINDICATION_ATTRIBUTE
    words = {side: frame[side].where(~levels, views.label_list(frame[side],
                                                                CONTRAINDICATION_LABEL))
             for side in ("value_a", "value_b")}
    side = frame["evidence_favours"]
    favours = frame["source_a"].where(side == "a", frame["source_b"].where(
        side == "b", "no evidence decides"))
    rationale = frame["rationale"]
    for code, label in CONTRAINDICATION_LABEL.items():
        rationale = rationale.str.replace(code, label, regex=False)
    return frame.assign(**words, evidence_favours=favours, rationale=rationale)[COLUMNS]


def render() -> None:
    kb = common.start("Where sources disagree")
    if kb is None:
        return
    frame = common.derived("contradictions", find_contradictions)
    st.subheader(common.plural(len(frame), "contradiction"))
    st.caption("Two articles give non-overlapping values for the same subject and attribute.")
    shown = in_words(frame)
    st.dataframe(shown, hide_index=True, height=common.TALL,
                 column_config=common.headers(shown) | {
                     "rationale": st.column_config.TextColumn("Why they disagree",
                                                              width="large")})
    common.downloads(shown, "contradictions")
