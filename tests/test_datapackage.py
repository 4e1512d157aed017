"""The Frictionless data package, checked by frictionless and bibtexparser."""

from __future__ import annotations

import csv
import json

import bibtexparser
import frictionless
import pytest

from kb.datapackage import write_datapackage
from kb.load import load
from kb.safewrite import OutputError


@pytest.fixture(scope="module")
def kb():
    return load()


@pytest.fixture(scope="module")
def package(kb, tmp_path_factory):
    return write_datapackage(kb, tmp_path_factory.mktemp("dp") / "package")


def _errors(report: frictionless.Report) -> list:
    return report.flatten(["resourceName", "rowNumber", "fieldName", "type"])


def test_package_validates_with_frictionless(package):
    report = frictionless.validate(str(package))
    assert report.valid, _errors(report)[:10]


def test_package_holds_every_table_and_the_bibliography(kb, package):
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    names = {r["name"] for r in descriptor["resources"]}
    assert {"sources", "claims", "references", "findings", "conditions", "claim_findings",
            "assertions", "source_references", "reference_links"} <= names
    assert descriptor["bibliography"]["path"] == "references.bib"
    with open(package.parent / "claims.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(kb.claims)
    assert "support_status" in rows[0]
    bib = bibtexparser.parse_file(str(package.parent / "references.bib"))
    assert len(bib.entries) == len(kb.references)


def test_descriptor_carries_types_descriptions_and_foreign_keys(package):
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    res = {r["name"]: r["schema"] for r in descriptor["resources"] if "schema" in r}
    findings = {f["name"]: f for f in res["findings"]["fields"]}
    assert findings["effect"]["type"] == "number"
    assert findings["n_studies"]["type"] == "integer"
    assert findings["effect"]["description"] == "Point estimate or unknown"
    assert findings["cert_max"]["type"] == "integer"
    assert all(f.get("description") for s in res.values() for f in s["fields"])
    fks = {(fk["fields"][0], fk["reference"]["resource"]) for fk in res["findings"]["foreignKeys"]}
    assert ("reference_id", "references") in fks
    claim_fks = [fk["fields"][0] for fk in res["claims"]["foreignKeys"]]
    assert "source_id" in claim_fks
    assert "reference_ids" not in claim_fks  # list columns cannot be foreign keys
    parent = [fk for fk in res["conditions"]["foreignKeys"] if fk["fields"] == ["parent_id"]]
    assert parent[0]["reference"]["resource"] == ""
    assert res["assertions"]["primaryKey"] == ["claim_id", "subject", "attribute"]


def test_frictionless_catches_a_broken_foreign_key(kb, tmp_path):
    package = write_datapackage(kb, tmp_path / "broken")
    path = package.parent / "claim_findings.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = "zz-999" + lines[1][lines[1].index(","):]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = frictionless.validate(str(package))
    assert not report.valid
    assert "foreign-key" in {e[3] for e in _errors(report)}


def test_existing_package_is_replaced_and_no_temp_files_remain(kb, tmp_path):
    target = tmp_path / "out"
    write_datapackage(kb, target)
    (target / "stale.csv").write_text("x\n", encoding="utf-8")
    write_datapackage(kb, target)
    assert not (target / "stale.csv").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_foreign_folder_is_refused_untouched(kb, tmp_path):
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(OutputError, match="not empty"):
        write_datapackage(kb, target)
    assert (target / "notes.txt").read_text(encoding="utf-8") == "keep me"
    with pytest.raises(OutputError, match="does not exist"):
        write_datapackage(kb, tmp_path / "missing" / "out")


def test_package_folder_and_files_get_the_users_umask(kb, tmp_path):
    import os

    from kb.datapackage import write_datapackage

    old = os.umask(0o022)
    try:
        descriptor = write_datapackage(kb, tmp_path / "pkg")
    finally:
        os.umask(old)
    assert descriptor.parent.stat().st_mode & 0o777 == 0o755
    assert {p.stat().st_mode & 0o777 for p in descriptor.parent.iterdir()} == {0o644}


def test_package_names_licence_sources_contributors_version(package, kb, monkeypatch):
    from kb.datapackage import descriptor

    written = json.loads(package.read_text(encoding="utf-8"))
    assert written["licenses"][0]["name"] == "MIT"
    assert len(written["sources"]) == len(kb.sources)
    assert written["contributors"] and written["version"]
    assert written["created"].endswith("Z")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert descriptor(kb, {})["created"] == "1970-01-01T00:00:00Z"


def _frictionless(*args: str, cwd) -> str:
    """The frictionless command line (not the library the tests import), exit 0 asserted."""
    import subprocess
    import sys
    from pathlib import Path

    tool = Path(sys.executable).with_name("frictionless")
    run = subprocess.run([str(tool), *args], capture_output=True, text=True, timeout=300,
                         cwd=cwd)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return run.stdout


@pytest.mark.parametrize("form", ["folder", "zip"])
def test_frictionless_cli_validates_and_indexes_the_package(kb, tmp_path, form):
    """`frictionless validate` and `frictionless index` pass on the folder and on the zip;
    sqlite3 then finds every table with every row."""
    import sqlite3

    pytest.importorskip("sqlalchemy", reason="frictionless index needs frictionless[sql]")
    target = tmp_path / ("kb-datapackage.zip" if form == "zip" else "kb-datapackage")
    written = write_datapackage(kb, target)
    source = str(written)
    assert _frictionless("validate", source, cwd=tmp_path).count("VALID") >= 14
    out = _frictionless("index", source, "--database", "sqlite:///index.db", cwd=tmp_path)
    assert "errored" not in out, out
    with sqlite3.connect(tmp_path / "index.db") as db:
        tables = {name for (name,) in db.execute("select name from sqlite_master "
                                                 "where type = 'table'")}
        claims = db.execute("select count(*) from claims").fetchone()[0]
        refs = db.execute("select count(*) from \"references\"").fetchone()[0]
    assert {"claims", "findings", "references", "conditions", "claim_safety"} <= tables
    assert (claims, refs) == (len(kb.claims), len(kb.references))


def test_bibliography_is_described_with_its_size_and_hash(package, kb):
    import hashlib

    described = json.loads(package.read_text(encoding="utf-8"))["bibliography"]
    data = (package.parent / described["path"]).read_bytes()
    assert described["bytes"] == len(data)
    assert described["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
    assert described["mediatype"] == "application/x-bibtex"
    assert len(bibtexparser.parse_string(data.decode("utf-8")).entries) == len(kb.references)


def test_zip_holds_the_folder_reproducibly(kb, tmp_path, monkeypatch):
    import os
    import zipfile

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    folder = write_datapackage(kb, tmp_path / "folder").parent
    old = os.umask(0o022)
    try:
        first = write_datapackage(kb, tmp_path / "a.zip")
        second = write_datapackage(kb, tmp_path / "b.ZIP")
    finally:
        os.umask(old)
    assert first.read_bytes() == second.read_bytes()  # same epoch, same bytes
    assert first.stat().st_mode & 0o777 == 0o644
    with zipfile.ZipFile(first) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        assert names[0] == "datapackage.json"
        assert sorted(names) == sorted(p.name for p in folder.iterdir())
        for name in names:
            assert archive.read(name) == (folder / name).read_bytes(), name
        assert archive.getinfo("claims.csv").date_time == (2023, 11, 14, 22, 13, 20)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.zip", "b.ZIP", "folder"]


def test_zip_from_the_cli_and_a_folder_named_zip_refused(tmp_path, capsys):
    import zipfile

    from kb.cli import main

    assert main(["export", "datapackage", "--output", str(tmp_path / "kb.zip")]) == 0
    assert zipfile.is_zipfile(tmp_path / "kb.zip")
    (tmp_path / "dir.zip").mkdir()
    assert main(["export", "datapackage", "--output", str(tmp_path / "dir.zip")]) == 2
    assert "is a folder" in capsys.readouterr().err
