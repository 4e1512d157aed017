"""The text's own citations: `[3]` markers in its sentences, its numbered reference list, and
which references.bib entry a list entry is (by address, DOI, PMID or title). Read by
`kb check` (a sentence credits what it cites) and `kb draft-source` (draft reference rows)."""

from __future__ import annotations

import re

import pandas as pd

MARKER = re.compile(r"\[(\d{1,3}(?:\s*[,\u2013-]\s*\d{1,3})*)\]")
ENTRY_NUMBER = re.compile(r"^\s*\[?(\d{1,3})[\].)]\s*")
DOI = re.compile(r"10\.\d{4,9}/[^\s\]>),;]+")
PMID = re.compile(r"\bPMID:?\s*(\d{5,9})\b", re.I)
URL = re.compile(r"https?://[^\s<>\]]+")
MAX_RANGE = 50  # a marker range longer than this is a typo, not a citation


def marker_numbers(sentence: str) -> list[int]:
    """The reference numbers a sentence cites with [n] markers, in order: [2, 4-6] -> 2 4 5 6."""
    found: list[int] = []
    for group in MARKER.findall(sentence):
        for part in re.split(r"\s*,\s*", group):
            ends = [int(n) for n in re.split(r"\s*[\u2013-]\s*", part)]
            low, high = ends[0], ends[-1]
            span = range(low, high + 1) if 0 <= high - low <= MAX_RANGE else [low, high]
            found += [n for n in span if n not in found]
    return found


def numbered_entries(references: list[str]) -> dict[int, str]:
    """Reference-list entries by number: the entry's own `[n]`/`n.` when it has one, else its
    place in the list (list numbering is read as the list's order)."""
    entries: dict[int, str] = {}
    for place, entry in enumerate(references, start=1):
        own = ENTRY_NUMBER.match(entry)
        number = int(own.group(1)) if own else place
        entries.setdefault(number, ENTRY_NUMBER.sub("", entry, count=1).strip())
    return entries


def _address(url: pd.Series) -> pd.Series:
    """URLs compared without scheme, `www.`, trailing punctuation or slash, and case."""
    return (url.str.casefold().str.replace(r"^https?://(?:www\.)?", "", regex=True)
            .str.rstrip("/.,;)"))


def known_key(entry: str, references: pd.DataFrame) -> str:
    """The references.bib key of an entry by DOI, PMID, address or title, or ''."""
    folded = entry.casefold()
    urls = URL.findall(entry)
    if urls:
        hit = _address(references["url"]).isin(set(_address(pd.Series(urls))))
        hit &= references["url"].str.strip() != ""
        if hit.any():
            return str(references.loc[hit, "reference_id"].iloc[0])
    doi = DOI.search(entry)
    if doi:
        hit = references["doi"].str.casefold() == doi.group().rstrip(".").casefold()
        if hit.any():
            return str(references.loc[hit, "reference_id"].iloc[0])
    pmid = PMID.search(entry)
    if pmid:
        hit = references["pmid"] == pmid.group(1)
        if hit.any():
            return str(references.loc[hit, "reference_id"].iloc[0])
    titles = references["title"].str.casefold().str.replace(r"[{}]", "", regex=True)
    long_enough = titles.str.len() >= 20
    hit = long_enough & titles.map(lambda t: t in folded)
    return str(references.loc[hit, "reference_id"].iloc[0]) if hit.any() else ""
