"""Make text from data inert in Markdown (Streamlit markdown, captions, tooltips, exports)."""

from __future__ import annotations

import re

import pandas as pd

ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# GFM links bare `https://…`, `www.…` and `name@host` even when their punctuation is
# backslash-escaped (or written as a character reference); an invisible word joiner (U+2060)
# inside the mark stops it, and the text reads the same.
WORD_JOINER = "\u2060"
AUTOLINK = re.compile(r"(?i)(\\:)(?=\\/\\/)|\b(www)(?=\\\.)|(?=\\@)")


def escape(text: object, link_text: bool = False) -> str:
    """Backslash-escape every ASCII punctuation character, so nothing renders as markup, and
    break `://`, `www.` and `@` with a word joiner, so no bare URL or address becomes a link.
    The text of a link (`link_text=True`) needs no joiner: a link holds no other link.

    CommonMark lets any ASCII punctuation be escaped, so the text reads the same."""
    if text is None or text is pd.NA:
        return ""
    escaped = ASCII_PUNCTUATION.sub(r"\\\1", str(text))
    if link_text:
        return escaped
    return AUTOLINK.sub(lambda m: (m.group(1) or m.group(2) or "") + WORD_JOINER, escaped)
