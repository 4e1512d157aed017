"""Read data/ from disk: the only module of the pipeline that opens input files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import pandas as pd

from kb.bibcache import start_bibtex_cached
from kb.digest import of_bytes
from kb.parse import Parsed, decode, empty, empty_references, excel_forms, parse_csv
from kb.paths import EnvError, max_file_bytes
from kb.problems import Problem
from kb.schema import BIB_FILE, OPTIONAL_FILES, TABLES, Table

MAX_FILE_BYTES: int | None = None  # None: $KB_MAX_FILE_MB (kb.paths), read when used


@dataclass(frozen=True)
class RawData:
    """Every file of data/ parsed, with the problems found while reading. references.bib may
    still be parsing on the other cores: `references` waits for it when first asked, so the
    CSV tables can be checked meanwhile (kb.validate asks last)."""

    root: Path
    tables: dict[str, Parsed]
    finish_references: Callable[[], Parsed] = field(repr=False)

    @cached_property
    def references(self) -> Parsed:
        """references.bib parsed (waiting for its parse when that is still running)."""
        return self.finish_references()

    @property
    def warnings(self) -> list[Problem]:
        """What was read leniently (a BOM, CRLF line ends): valid, but `kb fmt` rewrites it."""
        found = [p for parsed in self.tables.values() for p in parsed.warnings]
        return sorted(found + self.references.warnings)

    @property
    def digests(self) -> dict[str, str]:
        """The digest (kb.digest) of each file read, by file name (a missing optional file is
        absent)."""
        found = {t.file: self.tables[t.name].digest for t in TABLES}
        found[BIB_FILE] = self.references.digest
        return {file: digest for file, digest in found.items() if digest}


def read_bytes(path: Path, limit: int | None = None,
               root: Path | None = None) -> tuple[bytes | None, list[Problem]]:
    """Read a file whole, refusing missing files, links out of the data directory (root),
    special files and files over the size limit. No message shows the file's content."""
    if limit is None:
        limit = MAX_FILE_BYTES if MAX_FILE_BYTES is not None else max_file_bytes()
    if root is not None and not path.resolve().is_relative_to(
            root.resolve()):
        return None, [Problem(path.name, 0, "-", "is a link to a file outside the data "
                                                 "directory; refused, not read")]
    if path.exists() and not path.is_file():
        return None, [Problem(path.name, 0, "-", "is not a regular file; refused, not read")]
    if not path.is_file():
        return None, [Problem(path.name, 0, "-", "file is missing")]
    size = path.stat().st_size
    if size > limit:
        return None, [Problem(path.name, 0, "-", f"file is {size / 2**20:.0f} MB, over the "
                                                 f"{limit / 2**20:.0f} MB limit (KB_MAX_FILE_MB)")]
    return path.read_bytes(), []


def _digest(data: bytes | None) -> str:
    return of_bytes(data) if data is not None else ""


def read_table(root: Path, table: Table) -> Parsed:
    """Read and parse one CSV table of data/."""
    path = root / table.file
    if table.file in OPTIONAL_FILES and not path.exists():
        return empty(table)
    data, problems = read_bytes(path, root=root)
    content = _digest(data)
    data, warnings = excel_forms(data, table.file) if data is not None else (None, [])
    text, decode_problems = decode(data, table.file) if data is not None else (None, [])
    if text is None:
        return replace(empty(table, problems + decode_problems), warnings=warnings,
                       digest=content)
    return replace(parse_csv(text, table, table.file, data), warnings=warnings, digest=content)


def start_references(root: Path) -> Callable[[], Parsed]:
    """Read references.bib and begin parsing it (on every core when large); the function
    returned gives the Parsed."""
    data, problems = read_bytes(root / BIB_FILE, root=root)
    content = _digest(data)
    data, warnings = excel_forms(data, BIB_FILE) if data is not None else (None, [])
    text, decode_problems = decode(data, BIB_FILE) if data is not None else (None, [])
    if text is None:
        unread = replace(empty_references(problems + decode_problems), warnings=warnings,
                         digest=content)
        return lambda: unread
    pending = start_bibtex_cached(data, text, BIB_FILE, content)
    return lambda: replace(pending(), warnings=warnings, digest=content)


def read_references(root: Path) -> Parsed:
    """Read and parse references.bib."""
    return start_references(root)()


def read_data(root: str | Path) -> RawData:
    """Read every file of a data directory. Never raises on bad content. references.bib is
    parsing on the other cores while the CSV tables are read, and may still be when this
    returns (RawData.references waits for it)."""
    root = Path(root)
    if not root.is_dir():
        raise EnvError(f"data directory {str(root)[:60]!r}: "
                       + ("not a directory" if root.exists() else "no such directory"))
    finish = start_references(root)
    try:
        tables = {t.name: read_table(root, t) for t in TABLES}
    except BaseException:
        finish()  # the pool is shut down before the error goes on
        raise
    return RawData(root, tables, finish)


DRAFT_LINE = 10**9  # draft rows' lines are offset by this while overlaid, then named back


def _overlay(base: Parsed, draft: Parsed, name: str) -> Parsed:
    """base's rows then draft's, draft lines offset by DRAFT_LINE; draft problems renamed."""
    frame = pd.concat([base.frame, draft.frame], ignore_index=True).astype("string")
    lines = pd.concat([base.lines, draft.lines + DRAFT_LINE], ignore_index=True)
    renamed = [replace(p, file=f"{name}/{p.file}") for p in draft.problems]
    return replace(base, frame=frame, lines=lines.astype("int64"),
                   problems=base.problems + renamed)


def read_with_draft(root: str | Path, draft: str | Path) -> RawData:
    """data/ with the rows of a draft directory (kb draft-source) appended to each table the
    draft holds; a draft row's problems name it as `DRAFT/file` (see draft_located)."""
    raw, draft = read_data(root), Path(draft)
    if not draft.is_dir():
        raise EnvError(f"draft directory {str(draft)[:60]!r}: "
                       + ("not a directory" if draft.exists() else "no such directory"))
    tables = dict(raw.tables)
    for table in TABLES:
        if (draft / table.file).exists():
            tables[table.name] = _overlay(tables[table.name], read_table(draft, table),
                                          draft.name)
    references = raw.references
    if (draft / BIB_FILE).exists():
        references = _overlay(references, read_references(draft), draft.name)
    return RawData(raw.root, tables, lambda: references)


def draft_located(problems: list[Problem], draft: str | Path) -> list[Problem]:
    """Problems of an overlaid draft row moved back to the draft file and its own line."""
    name = Path(draft).name
    return sorted(replace(p, file=f"{name}/{p.file}", line=p.line - DRAFT_LINE)
                  if p.line >= DRAFT_LINE else p for p in problems)
