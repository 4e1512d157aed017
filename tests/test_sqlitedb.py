"""The SQLite export, read by the standard library's sqlite3 (not by sqlite-utils, its writer)."""

from __future__ import annotations

import os
import sqlite3

import pytest

from kb import catalog
from kb.cli import main


@pytest.fixture(scope="module")
def db(kb, tmp_path_factory):
    path = tmp_path_factory.mktemp("sqlite") / "kb.sqlite"
    assert main(["export", "sqlite", "--output", str(path)]) == 0
    connection = sqlite3.connect(path)
    yield connection
    connection.close()


def _tables(db) -> set[str]:
    return {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def test_every_catalog_table_with_its_row_count(kb, db):
    assert {t.ident for t in catalog.TABLES} <= _tables(db)
    for table in catalog.TABLES:
        (count,) = db.execute(f'SELECT COUNT(*) FROM "{table.ident}"').fetchone()
        assert count == table.count(kb), table.name


def test_primary_keys_are_the_catalog_keys(db):
    for table in catalog.TABLES:
        info = db.execute(f'PRAGMA table_info("{table.ident}")').fetchall()
        key = [name for _, name, *_, pk in sorted(info, key=lambda row: row[-1]) if pk]
        assert tuple(key) == table.key, table.name


def test_foreign_keys_are_declared_and_hold(db):
    links = {(table, row[3], row[2], row[4]) for table in ("findings", "claim_findings",
                                                           "conditions", "safety_figures")
             for row in db.execute(f'PRAGMA foreign_key_list("{table}")')}
    assert ("findings", "reference_id", "references", "reference_id") in links
    assert ("findings", "condition_id", "conditions", "condition_id") in links
    assert ("claim_findings", "finding_id", "findings", "finding_id") in links
    assert ("conditions", "parent_id", "conditions", "condition_id") in links
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_numbers_are_numbers_and_unknown_is_null(kb, db):
    types = {t for row in db.execute("SELECT typeof(effect), typeof(n_studies) FROM findings")
             for t in row}
    assert types <= {"real", "integer", "null"} and "real" in types and "integer" in types
    unknown = (kb.findings["effect"] == "unknown").sum()
    (nulls,) = db.execute("SELECT COUNT(*) FROM findings WHERE effect IS NULL").fetchone()
    assert nulls == unknown
    (text,) = db.execute("SELECT COUNT(*) FROM findings WHERE effect = 'unknown'").fetchone()
    assert text == 0


def test_full_text_search_on_statements_and_titles(db):
    hits = db.execute("SELECT c.claim_id FROM claims c JOIN claims_fts f ON f.rowid = c.rowid "
                      "WHERE claims_fts MATCH 'pneumothorax'").fetchall()
    assert len(hits) >= 3
    titles = db.execute('SELECT r.reference_id FROM "references" r JOIN references_fts f '
                        "ON f.rowid = r.rowid WHERE references_fts MATCH '\"meta-analysis\"'"
                        ).fetchall()
    assert ("gattie2017",) in titles


def test_views_answer_conditions_by_certainty_and_window(db):
    rows = db.execute("SELECT condition_id, time_window, certainty, certainty_min "
                      "FROM conditions_by_certainty_and_window "
                      "WHERE certainty_min >= 3 AND time_window = 'short-term'").fetchall()
    assert ("low-back-pain", "short-term", "moderate", 3) in rows
    (n,) = db.execute("SELECT COUNT(*) FROM claim_evidence").fetchone()
    assert n > 0


def test_created_with_the_users_umask(kb, tmp_path):
    old = os.umask(0o022)
    try:
        path = tmp_path / "kb.sqlite"
        assert main(["export", "sqlite", "--output", str(path)]) == 0
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["kb.sqlite"]


def test_sqlite_needs_an_output_file(capsys):
    assert main(["export", "sqlite"]) == 2
    assert "sqlite needs --output kb.sqlite" in capsys.readouterr().err


def test_sqlite_utils_reads_it_where_installed(db, tmp_path):
    sqlite_utils = pytest.importorskip("sqlite_utils")
    path = db.execute("PRAGMA database_list").fetchone()[2]
    other = sqlite_utils.Database(path)
    assert other["claims"].pks == ["claim_id"]
    assert other["claims"].detect_fts() == "claims_fts"
    assert list(other["claims"].search("pneumothorax", limit=1))


def test_datasette_links_foreign_keys_and_searches(kb, tmp_path):
    """Datasette's own test client on the export: a claim's source_id links to its source row
    (labelled with its title), the source row page opens, and full-text search finds claims."""
    import asyncio
    import html

    datasette_app = pytest.importorskip("datasette.app", reason="datasette not installed "
                                        "(pip install datasette; dev extra)")
    path = tmp_path / "kb.sqlite"
    assert main(["export", "sqlite", "--output", str(path)]) == 0
    claim = kb.claims.iloc[0]
    source = kb.sources.set_index("source_id").loc[claim["source_id"]]

    async def pages():
        ds = datasette_app.Datasette([str(path)])
        table = await ds.client.get(f"/kb/claims?claim_id={claim['claim_id']}")
        row = await ds.client.get(f"/kb/sources/{claim['source_id']}.json?_shape=objects")
        search = await ds.client.get("/kb/claims.json?_search=pneumothorax&_size=max"
                                     "&_shape=objects")
        return table, row, search

    table, row, search = asyncio.run(pages())
    assert table.status_code == 200
    link = f'<a href="/kb/sources/{claim["source_id"]}">{html.escape(source["title"])}</a>'
    assert link in table.text
    assert row.status_code == 200 and row.json()["rows"][0]["title"] == source["title"]
    found = {r["claim_id"] for r in search.json()["rows"]}
    expected = set(kb.claims.loc[kb.claims["statement"].str.contains("pneumothorax", case=False),
                                 "claim_id"])
    assert found == expected and found
