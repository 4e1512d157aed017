"""Short human names of references: 'Liu 2018', for rationales, cards and slides."""

from __future__ import annotations

import pandas as pd


def short_citation(references: pd.DataFrame) -> pd.Series:
    """'Liu 2018' per reference id: first author's family name and year, else the title, the
    publisher or the id."""
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
