"""Short human names of references: 'Liu 2018', for rationales, cards and slides."""

from __future__ import annotations

import pandas as pd

_NAMED: dict[int, tuple[pd.DataFrame, pd.Series]] = {}  # per references frame (read-only)


def short_citation(references: pd.DataFrame) -> pd.Series:
    """'Liu 2018' per reference id: first author's family name and year, else the title, the
    publisher or the id. Computed once per references frame (frames are never changed in
    place; the status rules ask for it six times a pass)."""
    kept = _NAMED.get(id(references))
    if kept is not None and kept[0] is references:
        return kept[1]
    named = _short_citation(references)
    if len(_NAMED) >= 8:
        _NAMED.clear()
    _NAMED[id(references)] = (references, named)
    return named


def _short_citation(references: pd.DataFrame) -> pd.Series:
    first = references["author"].fillna("").str.split(" and ").str[0].str.strip()
    family = first.str.split(",").str[0].str.strip()
    # "Clécio Vier" (given name first, no comma): the family name is the last word
    family = family.where(first.str.contains(",") | ~first.str.contains(" "),
                          first.str.split(" ").str[-1])
    name = family.where(family != "", references["title"].fillna("").str.slice(0, 40))
    if "publisher" in references:
        name = name.where(name != "", references["publisher"].fillna(""))
    name = name.where(name != "", references["reference_id"])
    year = references["year"].fillna("")
    label = (name + " " + year).str.strip()
    return pd.Series(label.to_numpy(), index=references["reference_id"].to_numpy())
