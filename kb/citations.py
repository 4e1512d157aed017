"""How references and articles are named and linked: 'Liu 2018', and a DOI or PubMed address."""

from __future__ import annotations

import pandas as pd

DOI_URL = "https://doi.org/"
PUBMED_URL = "https://pubmed.ncbi.nlm.nih.gov/"


def doi_url(doi):
    """The resolver address of a bare DOI (a string or a Series of them)."""
    return DOI_URL + doi


def pubmed_url(pmid):
    """The PubMed address of a PMID (a string or a Series of them)."""
    return PUBMED_URL + pmid + "/"


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
