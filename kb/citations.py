"""How a reference is named and linked: 'Liu 2018', and its DOI or PubMed address."""

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
