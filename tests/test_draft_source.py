"""`kb draft-source` drafts rows for a new text into a separate folder, and `kb validate
--draft` lists what the curator still has to fill; the drafts are read back with pandas, csv
and bibtexparser."""

import csv

import bibtexparser
import pandas as pd
import pytest

from kb import vocab
from kb.cli import main
from kb.draft import marker_numbers, numbered_entries
from kb.paths import BUNDLED_DATA

TEXT = """# Dry needling for neck pain

Dry needling may reduce neck pain in the short term [1].
Most people feel soreness for 24 to 48 hours after a session [2, 3].

## The clinic

The clinic offers appointments on Tuesdays.

## References

1. Liu L, et al. Dry needling for neck pain. doi:10.1016/j.apmr.2014.12.015
2. Made-up Author. A survey of soreness after needling. 2020.
3. Another Author. A needling handbook. 2019.
"""
SOURCE = ["--source-id", "newpage", "--title", "Dry needling for neck pain",
          "--publisher", "Example Clinic"]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def page(tmp_path):
    path = tmp_path / "page.md"
    path.write_text(TEXT)
    return path


@pytest.fixture
def draft(capsys, page, tmp_path):
    out = tmp_path / "draft"
    code, _, err = run(capsys, "draft-source", str(page), *SOURCE, "--output", str(out))
    assert code == 0, err
    assert "wrote 3 draft claim(s)" in err
    return out


def test_markers_and_reference_entries_are_numbered():
    assert marker_numbers("as shown [2, 4-6] and [9].") == [2, 4, 5, 6, 9]
    assert marker_numbers("no marker [a] here") == []
    assert numbered_entries(["first", "[7] seventh", "third"]) == {
        1: "first", 7: "seventh", 3: "third"}


def test_draft_files_read_back(draft):
    assert sorted(p.name for p in draft.iterdir()) == [
        "assertions.csv", "claims.csv", "references.bib", "source_references.csv",
        "sources.csv"]
    sources = pd.read_csv(draft / "sources.csv", dtype=str, keep_default_na=False)
    assert sources.to_dict("records") == [{
        "source_id": "newpage", "title": "Dry needling for neck pain",
        "publisher": "Example Clinic", "author": "", "date": "", "url": "",
        "seed_file": "page.md", "citation_style": "inline"}]
    claims = pd.read_csv(draft / "claims.csv", dtype=str, keep_default_na=False)
    assert claims["claim_id"].tolist() == ["newpage-001", "newpage-002", "newpage-003"]
    assert claims["section"].tolist() == ["Dry needling for neck pain"] * 2 + ["The clinic"]
    first = claims.iloc[0]
    assert first["statement"] == (vocab.DRAFT_MARK + "Dry needling may reduce neck pain in the "
                                  "short term [1].")
    # [1] is Liu 2015 by its DOI; [2] and [3] are new: draft keys
    assert first["reference_ids"] == "liu2015" and first["citation_scope"] == "inline"
    assert (first["condition_ids"], first["topic"], first["wording_strength"]) == (
        "neck-pain", "efficacy", "low")
    assert claims.iloc[1]["reference_ids"] == "newpage-ref2;newpage-ref3"
    assert claims.iloc[2][["reference_ids", "citation_scope"]].tolist() == ["", "none"]
    with open(draft / "assertions.csv", newline="") as handle:
        assertions = list(csv.DictReader(handle))
    assert assertions == [{"claim_id": "newpage-002", "subject": "post-treatment soreness",
                           "attribute": "duration", "value": "24 to 48 hours",
                           "value_min": "24", "value_max": "48", "unit": "hours"}]
    with open(draft / "source_references.csv", newline="") as handle:
        cited = [(r["reference_id"], r["marker"]) for r in csv.DictReader(handle)]
    assert cited == [("liu2015", "[1]"), ("newpage-ref2", "[2]"), ("newpage-ref3", "[3]")]
    library = bibtexparser.parse_string((draft / "references.bib").read_text())
    assert [e.key for e in library.entries] == ["newpage-ref2", "newpage-ref3"]
    assert library.entries[0]["title"] == "Made-up Author. A survey of soreness after " \
                                          "needling. 2020."


def test_validate_draft_lists_every_unfilled_field_in_one_run(capsys, draft):
    code, out, err = run(capsys, "validate", "--draft", str(draft))
    assert code == 1
    located = [line.split(" ", 1)[0] for line in out.splitlines()]
    assert located == [
        "draft/claims.csv:2:statement", "draft/claims.csv:3:statement",
        "draft/claims.csv:4:statement",
        "draft/references.bib:1:evidencetype", "draft/references.bib:1:verification",
        "draft/references.bib:8:evidencetype", "draft/references.bib:8:verification",
        "draft/sources.csv:2:author", "draft/sources.csv:2:date", "draft/sources.csv:2:url"]
    assert "rewrite it in your own words" in out
    assert f"{len(located)} problem(s)" in err
    code, _, _ = run(capsys, "validate")  # data/ alone stays valid
    assert code == 0


def test_a_finished_draft_validates(capsys, draft):
    claims = pd.read_csv(draft / "claims.csv", dtype=str, keep_default_na=False)
    claims["statement"] = ["The page says dry needling may ease neck pain for a short time.",
                           "The page puts soreness after a session at one to two days.",
                           "The clinic's opening days are given."]
    claims.to_csv(draft / "claims.csv", index=False, lineterminator="\n")
    sources = pd.read_csv(draft / "sources.csv", dtype=str, keep_default_na=False)
    sources[["author", "date", "url"]] = "unknown"
    sources.to_csv(draft / "sources.csv", index=False, lineterminator="\n")
    bib = (draft / "references.bib").read_text()
    (draft / "references.bib").write_text(
        bib.replace("evidencetype = {}", "evidencetype = {book}")
        .replace("verification = {}", "verification = {seed}"))
    code, out, err = run(capsys, "validate", "--draft", str(draft))
    assert (code, out) == (0, ""), out
    assert "valid" in err


def test_refuses_to_write_into_the_data_directory(capsys, page, data_copy):
    data = data_copy("minimal")
    before = sorted(p.name for p in data.iterdir())
    code, _, err = run(capsys, "draft-source", str(page), *SOURCE, "--data", str(data),
                       "--output", str(data / "draft"))
    assert code == 2 and "refusing to write inside the data directory" in err
    assert sorted(p.name for p in data.iterdir()) == before
    code, _, err = run(capsys, "draft-source", str(page), *SOURCE,
                       "--output", str(BUNDLED_DATA / "draft"))
    assert code == 2 and not (BUNDLED_DATA / "draft").exists()


def test_exit_codes(capsys, page, tmp_path):
    binary = tmp_path / "page.bin"
    binary.write_bytes(b"\x00\x01\x02")
    code, _, err = run(capsys, "draft-source", str(binary), *SOURCE, "-o", str(tmp_path / "a"))
    assert code == 1 and "binary data" in err and not (tmp_path / "a").exists()
    headings = tmp_path / "headings.md"
    headings.write_text("# Dry needling\n\n## Safety\n")
    code, _, err = run(capsys, "draft-source", str(headings), *SOURCE, "-o", str(tmp_path / "a"))
    assert code == 1 and "no sentence to draft from" in err and not (tmp_path / "a").exists()
    code, _, err = run(capsys, "draft-source", str(page), "--source-id", "verywell", "--title",
                       "T", "--publisher", "P", "-o", str(tmp_path / "b"))
    assert code == 2 and "already in sources.csv" in err and not (tmp_path / "b").exists()
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "keep.txt").write_text("mine")
    code, _, err = run(capsys, "draft-source", str(page), *SOURCE, "-o", str(busy))
    assert code == 2 and "not an empty folder" in err
    assert [p.name for p in busy.iterdir()] == ["keep.txt"]
    with pytest.raises(SystemExit) as exit_info:
        main(["draft-source", str(page), "--source-id", "x", "-o", str(tmp_path / "c")])
    assert exit_info.value.code == 2
    code, _, err = run(capsys, "validate", "--draft", str(tmp_path / "missing"))
    assert code == 2 and "no such directory" in err
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_a_failed_write_leaves_no_folder_and_no_temporary(capsys, page, tmp_path, monkeypatch):
    import pathlib

    real = pathlib.Path.write_bytes

    def fail_on_claims(self, data):
        if self.name == "claims.csv":
            raise OSError(28, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(pathlib.Path, "write_bytes", fail_on_claims)
    code, _, err = run(capsys, "draft-source", str(page), *SOURCE, "-o", str(tmp_path / "d"))
    assert code == 2 and "no space left on the device; nothing was written" in err
    assert not (tmp_path / "d").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["page.md"]


def test_reference_entries_resolve_by_doi_address_and_title(kb):
    from kb.draft import resolve_references

    entries = numbered_entries([
        "Cleveland Clinic. Dry Needling. http://www.my.clevelandclinic.org/health/treatments/"
        "16542-dry-needling/",
        "Liu L. Dry needling for neck pain. https://doi.org/10.1016/j.apmr.2014.12.015.",
        "[5] McAphee D, et al. Dry Needling: A Clinical Commentary. 2022.",
        "Nobody. An unknown pamphlet. 2001."])
    keys, bib = resolve_references(entries, "newpage", kb.references)
    assert keys == {1: "clevelandclinic", 2: "liu2015", 5: "mcaphee2022", 4: "newpage-ref4"}
    assert bib.startswith("@misc{newpage-ref4,") and bib.count("@misc") == 1
