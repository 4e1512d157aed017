"""Make text from data inert in Markdown (Streamlit markdown, captions, tooltips, exports)."""

from __future__ import annotations

import re

import pandas as pd

ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def escape(text: object) -> str:
    """Backslash-escape every ASCII punctuation character, so nothing renders as markup.

    CommonMark lets any ASCII punctuation be escaped, so the text reads the same."""
    if text is None or text is pd.NA:
        return ""
    return ASCII_PUNCTUATION.sub(r"\\\1", str(text))
