"""A Frictionless data package of the whole KB: every table as CSV, datapackage.json, BibTeX;
a folder, or one `.zip` file with datapackage.json at its root.

Field types, descriptions and foreign keys come from kb.schema, so the package describes the
same tables that `kb validate` checks. The package is for machines: plain CSV, no spreadsheet
neutralising. The BibTeX file is described under `bibliography` (path, format, size, SHA-256),
not as a resource: Frictionless indexes only tabular resources (`frictionless index` exits 1 on
a file resource), and the same references are the `references` table.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pandas as pd

from kb import catalog
from kb.model import KB
from kb.safewrite import OutputError, atomic_writer, umask_mode, write_directory
from kb.schema import BIB_FILE, BY_NAME, Column

UNKNOWN = "unknown"
REFERENCE_FIELDS = {
    "reference_id": "BibTeX key",
    "entry_type": "BibTeX entry type: article, book, online or misc",
    "author": "Authors as `Last, First and Last, First`; `others` for et al.",
    "title": "Title", "journal": "Journal (abbreviated)", "year": "Year of publication",
    "volume": "Volume", "number": "Issue", "pages": "Pages",
    "doi": "Bare DOI, no https://doi.org/ prefix", "pmid": "PubMed id",
    "pmcid": "PubMed Central id",
    "url": "Web address", "urldate": "Date the address was recorded", "publisher": "Publisher",
    "date": "Publication date", "edition": "Edition",
    "evidencetype": "Kind of evidence (closed vocabulary)",
    "verification": "read, seed or inferred: how the metadata was checked",
    "note": "What is unknown or worth knowing",
}
COMPUTED = {
    "cert_min": ("integer", "Computed: lower bound of the GRADE certainty, 1 (very low) to "
                            "4 (high); empty when not a GRADE level"),
    "cert_max": ("integer", "Computed: upper bound of the GRADE certainty, 1 (very low) to "
                            "4 (high); empty when not a GRADE level"),
    "certainty": ("string", "Computed: certainty of the best supporting finding, or an "
                            "ungraded category"),
    "certainty_basis": ("string", "Computed: the basis of that certainty (grade, "
                                  "authors-wording, grade-unclear, other-tool, not-stated), empty "
                                  "for a category"),
    "time_window": ("string", "Computed: time windows the supporting findings cover"),
    "support_status": ("string", "Computed: does the claim say what its evidence says"),
    "status_rationale": ("string", "Computed: why the claim has its support status"),
    "status_overridden": ("boolean", "Computed: the curator overrode the computed status"),
}
_DTYPE_KIND = {"i": "integer", "u": "integer", "f": "number", "b": "boolean"}


def _declared_field(column: Column) -> dict:
    field = {"name": column.name, "type": column.kind, "description": column.description}
    if column.is_list:
        field["description"] += " (`;`-separated list)"
    if column.numeric:
        field["missingValues"] = ["", UNKNOWN]
    constraints = {}
    if column.required and not column.numeric:  # `unknown` is a missing value of a number
        constraints["required"] = True
    if column.vocab and not column.is_list:
        constraints["enum"] = list(column.vocab)
    if constraints:
        field["constraints"] = constraints
    return field


def _other_field(name: str, dtype) -> dict:
    if name in REFERENCE_FIELDS:
        return {"name": name, "type": "string", "description": REFERENCE_FIELDS[name]}
    kind, description = COMPUTED.get(name, (_DTYPE_KIND.get(dtype.kind, "string"), "Computed"))
    return {"name": name, "type": kind, "description": description}


def _foreign_keys(name: str) -> list[dict]:
    """Foreign keys of a schema table; list columns cannot be foreign keys in Frictionless."""
    if name not in BY_NAME:
        return []
    return [{"fields": [c.name],
             "reference": {"resource": "" if c.foreign[0] == name else c.foreign[0],
                           "fields": [c.foreign[1]]}}
            for c in BY_NAME[name].columns if c.foreign and not c.is_list]


def table_schema(name: str, frame: pd.DataFrame) -> dict:
    """The Frictionless table schema of one exported table."""
    table = BY_NAME.get(name)
    declared = {c.name: c for c in table.columns} if table else {}
    fields = [_declared_field(declared[col]) if col in declared
              else _other_field(col, frame[col].dtype) for col in frame.columns]
    schema = {"fields": fields, "primaryKey": list(catalog.entry(name).key)}
    if foreign := _foreign_keys(name):
        schema["foreignKeys"] = foreign
    return schema


def bibliography_file(data: bytes) -> dict:
    """The description of references.bib: a file beside the tables, not a tabular resource."""
    return {"path": BIB_FILE, "format": "bib", "mediatype": "application/x-bibtex",
            "encoding": "utf-8", "bytes": len(data),
            "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
            "description": "All references as BibTeX (biblatex), the same references as the "
                           "references table"}


def descriptor(kb: KB, frames: dict[str, pd.DataFrame], bib: bytes = b"") -> dict:
    """datapackage.json for the given tables and the BibTeX file's bytes."""
    resources = [
        {"name": name, "path": f"{name}.csv", "profile": "tabular-data-resource",
         "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
         "description": catalog.entry(name).description,
         "schema": table_schema(name, frame)}
        for name, frame in frames.items()
    ]
    return {"name": "dry-needling-evidence-kb", "title": "Dry Needling Evidence KB",
            "description": "Claims from patient-education articles on dry needling, graded "
                           "against systematic reviews. Evidence information, not medical "
                           "advice.",
            "version": _version(), "created": _created(),
            "licenses": [LICENSE],
            "contributors": [{"title": "Dry Needling Evidence KB curators", "role": "author"}],
            "sources": _sources(kb),
            "resources": resources, "bibliography": bibliography_file(bib)}


LICENSE = {"name": "MIT", "title": "MIT License", "path": "https://opensource.org/license/mit"}


def _version() -> str:
    """The installed package's version (pyproject.toml)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("dn-evidence-kb")
    except PackageNotFoundError:
        return "0.0.0"


def _moment():
    """The package's creation time, UTC; `SOURCE_DATE_EPOCH` makes it reproducible."""
    import os
    from datetime import UTC, datetime

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    return moment.replace(microsecond=0)


def _created() -> str:
    """ISO 8601 creation time."""
    return _moment().isoformat().replace("+00:00", "Z")


def _sources(kb: KB) -> list[dict]:
    """The seed articles the claims come from, with their addresses where known."""
    out = []
    for row in kb.sources.itertuples():
        source = {"title": f"{row.publisher}: {row.title}"}
        if str(row.url).startswith(("http://", "https://")):
            source["path"] = row.url
        out.append(source)
    return out


def package_files(kb: KB) -> dict[str, bytes]:
    """Every file of the package by name: the tables as CSV, references.bib, datapackage.json."""
    frames = {t.ident: t.frame(kb) for t in catalog.TABLES if t.package}
    files = {f"{name}.csv": frame.to_csv(index=False, lineterminator="\n").encode("utf-8")
             for name, frame in frames.items()}
    files[BIB_FILE] = catalog.bibliography(kb, "bibtex").encode("utf-8")
    text = json.dumps(descriptor(kb, frames, files[BIB_FILE]), ensure_ascii=False, indent=2)
    return {"datapackage.json": (text + "\n").encode("utf-8"), **files}


def write_zip(kb: KB, path: Path) -> Path:
    """The package as one zip file (datapackage.json at its root), written atomically; the
    entries carry the package's `created` time (SOURCE_DATE_EPOCH makes the zip reproducible)."""
    path = Path(path).expanduser().resolve()
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give a .zip file name")
    if not path.parent.is_dir():
        raise OutputError(f"{path}: folder {path.parent} does not exist")
    stamp = max(_moment().timetuple()[:6], (1980, 1, 1, 0, 0, 0))  # a zip's earliest time
    with atomic_writer(path) as handle, zipfile.ZipFile(handle, "w",
                                                        zipfile.ZIP_DEFLATED) as archive:
        for name, data in package_files(kb).items():
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (0o100000 | umask_mode()) << 16
            archive.writestr(info, data)
    return path


def write_datapackage(kb: KB, out_dir: Path) -> Path:
    """Write the data package into out_dir, all or nothing; returns datapackage.json's path
    (a path ending in `.zip`: the zip file, see write_zip).

    Files are written to a temporary folder beside out_dir and renamed into place. An existing
    data package in out_dir is replaced; any other non-empty folder is refused.
    """
    if Path(out_dir).suffix.lower() == ".zip":
        return write_zip(kb, Path(out_dir))
    written = write_directory(
        Path(out_dir), package_files(kb), replaceable=lambda d: (d / "datapackage.json").exists(),
        refusal="exists, is not empty and holds no earlier data package; refusing to "
                "replace it")
    return written / "datapackage.json"
