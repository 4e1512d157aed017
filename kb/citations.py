"""Short human names of references ('Liu 2018') and articles, for rationales, cards and slides."""

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


def reference_name(references: pd.DataFrame) -> pd.Series:
    """`short_citation`, with the publisher in front where a page has no author and its
    short citation is its title ('Physiopedia: Dry Needling'), so two pages of one title
    read apart."""
    cites = short_citation(references)
    refs = references.set_index("reference_id")
    publisher = refs["publisher"].fillna("") if "publisher" in refs else cites.map(lambda _: "")
    untitled = (refs["author"].fillna("").str.strip() == "") & (publisher != "")
    untitled &= ~pd.Series([p in c for p, c in zip(publisher, cites, strict=True)],
                           index=refs.index)
    return cites.where(~untitled, publisher + ": " + cites)


def article_name(sources: pd.DataFrame) -> pd.Series:
    """'FizyoArt' per source id: the article's publisher, else its author, else its title."""
    name = sources["title"].fillna("")
    for column in ("author", "publisher"):
        value = sources[column].fillna("")
        name = value.where(~value.isin(["", "unknown"]), name)
    return pd.Series(name.to_numpy(), index=sources["source_id"].to_numpy())
