"""The whole KB as one SQLite database, written by sqlite-utils, ready for `datasette kb.sqlite`.

Every catalog table, typed from kb.schema (numbers as numbers, `unknown` as NULL, lists as JSON
arrays), with its primary key and the schema's foreign keys; FTS5 full-text search on claim
statements and reference titles; a `certainty_levels` lookup table and views for the common
questions. The file is built beside the target and renamed into place.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from kb import catalog, vocab
from kb.model import KB
from kb.safewrite import umask_mode
from kb.schema import BY_NAME
from kb.typed import fields, typed

SQL_TYPES = {"string": str, "number": float, "integer": int, "boolean": int, "date": str,
             "list": str}
FULL_TEXT = {"claims": ("statement", "quote", "section"), "references": ("title", "author",
                                                                         "journal")}
VIEWS = {
    "conditions_by_certainty_and_window": """
        SELECT c.condition_id, c.label, c.body_region, f.time_window, f.certainty,
               l.lower AS certainty_min, l.upper AS certainty_max, f.certainty_basis,
               f.direction, COUNT(*) AS n_findings,
               GROUP_CONCAT(f.finding_id, ';') AS finding_ids
        FROM findings f
        JOIN conditions c ON c.condition_id = f.condition_id
        LEFT JOIN certainty_levels l ON l.label = f.certainty
        GROUP BY c.condition_id, f.time_window, f.certainty, f.certainty_basis, f.direction
        ORDER BY l.lower IS NULL, l.lower DESC, l.upper DESC, c.label, f.time_window""",
    "claim_evidence": """
        SELECT cf.claim_id, cl.statement, cf.relation, f.finding_id, f.condition_id,
               f.time_window, f.certainty, f.certainty_basis, f.effect_measure, f.effect,
               f.ci_low, f.ci_high, f.reference_id, r.title AS reference_title
        FROM claim_findings cf
        JOIN claims cl ON cl.claim_id = cf.claim_id
        JOIN findings f ON f.finding_id = cf.finding_id
        LEFT JOIN "references" r ON r.reference_id = f.reference_id""",
}


def _rows(frame, declared) -> list[dict]:
    out = typed(frame, declared=declared)
    records = out.astype(object).where(out.notna(), None).to_dict("records")
    for record in records:
        for name, value in record.items():
            if hasattr(value, "isoformat"):
                record[name] = value.isoformat()
    return records


def _foreign_keys(ident: str) -> list[tuple[str, str, str, str]]:
    declared = BY_NAME.get(ident)
    if declared is None:
        return []
    return [(ident, c.name, c.foreign[0], c.foreign[1]) for c in declared.columns
            if c.foreign and not c.is_list]


def build(kb: KB, path: Path) -> None:
    """Write the database to a new file at path."""
    import sqlite_utils

    db = sqlite_utils.Database(path)
    foreign: list[tuple[str, str, str, str]] = []
    for table in catalog.TABLES:
        frame = table.frame(kb)
        declared = fields(frame, table.ident)
        columns = {f.name: SQL_TYPES[f.kind] for f in declared}
        db[table.ident].create(columns, pk=table.key[0] if len(table.key) == 1 else table.key,
                               not_null=set(table.key) - {"reference_id", "source_id"}
                               if table.ident == "contraindications" else set(table.key))
        db[table.ident].insert_all(_rows(frame, declared), batch_size=10_000)
        foreign += _foreign_keys(table.ident)
    levels = vocab.Certainty.ranges()
    db["certainty_levels"].insert_all(
        ({"label": label, "lower": lo, "upper": hi} for label, (lo, hi) in levels.items()),
        pk="label")
    db.add_foreign_keys(foreign)
    for ident, columns in FULL_TEXT.items():
        db[ident].enable_fts(list(columns), fts_version="FTS5", create_triggers=True)
    for name, sql in VIEWS.items():
        db.create_view(name, sql.strip())
    db.conn.commit()
    db.close()


def write_sqlite(kb: KB, output: Path) -> Path:
    """Build the database beside output, then rename it into place (all or nothing)."""
    output = Path(output)
    fd, tmp = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".tmp")
    os.close(fd)
    Path(tmp).unlink()
    try:
        build(kb, Path(tmp))
        os.chmod(tmp, umask_mode())
        os.replace(tmp, output)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return output

