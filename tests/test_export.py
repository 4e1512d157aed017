"""Table export: every format re-reads with an independent reader; formulas are inert."""

import io
import json

import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest

from kb import catalog
from kb.catalog import table_bytes
from kb.export import neutralise

HOSTILE = ["=HYPERLINK(\"http://x\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


def frame():
    return pd.DataFrame({"text": pd.Series(HOSTILE + ["plain", "-1.06"], dtype="string"),
                         "n": range(8)})


def test_neutralise_prefixes_formula_starts_but_not_numbers():
    out = neutralise(frame())["text"].tolist()
    assert all(v.startswith("'") for v in out[:6])
    assert out[6:] == ["plain", "-1.06"]


def test_csv_cells_are_inert():
    text = table_bytes(frame(), "csv").decode()
    back = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    assert not back["text"].str.match(r"[=+\-@\t\r]").iloc[:6].any()


def test_xlsx_has_no_formula_cells():
    book = openpyxl.load_workbook(io.BytesIO(table_bytes(frame(), "xlsx")))
    cells = [c for row in book.active.iter_rows(min_row=2) for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    assert book.active["A2"].value == "'" + HOSTILE[0]


def test_parquet_and_json_keep_values_exactly(kb):
    claims = kb.claims
    back = pq.read_table(io.BytesIO(table_bytes(claims, "parquet"))).to_pandas()
    assert back["statement"].tolist() == claims["statement"].tolist()
    rows = json.loads(table_bytes(claims, "json"))
    assert [r["claim_id"] for r in rows] == claims["claim_id"].tolist()


def test_unknown_format():
    with pytest.raises(ValueError, match="unknown table format"):
        table_bytes(frame(), "docx")


def test_streamed_formats_match_across_chunks(monkeypatch):
    import kb.export

    monkeypatch.setattr(kb.export, "CHUNK", 3)
    data = pd.DataFrame({"text": pd.Series([f"row {i}" for i in range(8)] , dtype="string"),
                         "n": range(8)})
    back_csv = pd.read_csv(io.BytesIO(table_bytes(data, "csv")), dtype={"text": "string"})
    assert back_csv["text"].tolist() == data["text"].tolist()
    assert [r["n"] for r in json.loads(table_bytes(data, "json"))] == list(range(8))
    back = pq.read_table(io.BytesIO(table_bytes(data, "parquet"))).to_pandas()
    assert back["n"].tolist() == list(range(8))
    assert json.loads(table_bytes(data.iloc[:0], "json")) == []


def test_xlsx_findings_typed_with_frozen_header_filter_widths_and_readme(kb):
    """Read by openpyxl: numbers are numeric cells, unknown is empty, the header is frozen and
    filtered, columns have widths, and a README sheet holds the data dictionary."""
    from kb.catalog import table
    from kb.schema import FINDINGS

    book = openpyxl.load_workbook(io.BytesIO(table_bytes(table(kb, "findings"), "xlsx")))
    assert book.sheetnames == ["data", "README"]
    sheet = book["data"]
    header = [c.value for c in sheet[1]]
    assert header[:len(FINDINGS.column_names)] == FINDINGS.column_names
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
    assert sheet.column_dimensions["A"].width > 10
    effect = header.index("effect") + 1
    values = [sheet.cell(row, effect).value for row in range(2, sheet.max_row + 1)]
    assert any(isinstance(v, float) for v in values)
    assert not [v for v in values if isinstance(v, str)]  # no "unknown", no text numbers
    n = header.index("n_studies") + 1
    assert {type(sheet.cell(r, n).value) for r in range(2, sheet.max_row + 1)} <= {int, float,
                                                                               type(None)}
    readme = {row[0]: row[2] for row in book["README"].iter_rows(min_row=7, values_only=True)}
    assert readme["effect"] == FINDINGS.column("effect").description
    assert book["README"]["A3"].value == "KB version" and book["README"]["B3"].value


def test_parquet_typed_from_schema_read_by_duckdb(kb, tmp_path):
    """Read by duckdb: numbers are numbers, unknown is null, lists are lists, dates are dates."""
    duckdb = pytest.importorskip("duckdb", reason="duckdb not installed (pip install duckdb)")
    from kb.catalog import table

    path = tmp_path / "findings.parquet"
    path.write_bytes(table_bytes(table(kb, "findings"), "parquet"))
    con = duckdb.connect()
    types = dict(con.execute(f"SELECT column_name, column_type FROM (DESCRIBE "
                             f"SELECT * FROM '{path}')").fetchall())
    assert types["effect"] == "DOUBLE" and types["n_studies"] == "BIGINT"
    assert types["downgrade_reasons"] == "VARCHAR[]" and types["evidence_tag"] == "VARCHAR[]"
    (unknown,) = con.execute(f"SELECT COUNT(*) FROM '{path}' WHERE effect IS NULL").fetchone()
    assert unknown == (kb.findings["effect"] == "unknown").sum()
    tags = con.execute(f"SELECT evidence_tag FROM '{path}' WHERE len(evidence_tag) > 1").fetchall()
    assert tags and all(isinstance(t, list) for (t,) in tags)
    sources = tmp_path / "sources.parquet"
    sources.write_bytes(table_bytes(table(kb, "sources"), "parquet"))
    dates = dict(con.execute(f"SELECT column_name, column_type FROM (DESCRIBE "
                             f"SELECT * FROM '{sources}')").fetchall())
    assert dates["date"] == "DATE"
    (n_null,) = con.execute(f"SELECT COUNT(*) FROM '{sources}' WHERE date IS NULL").fetchone()
    assert n_null == (kb.sources["date"] == "unknown").sum()


def test_a_partial_date_keeps_the_column_as_text():
    data = pd.DataFrame({"date": pd.Series(["2018-01-08", "2018-01", "unknown"],
                                           dtype="string")})
    back = pq.read_table(io.BytesIO(table_bytes(data, "parquet"))).to_pandas()
    assert back["date"].tolist()[:2] == ["2018-01-08", "2018-01"]
    full = pd.DataFrame({"date": pd.Series(["2018-01-08", "unknown"], dtype="string")})
    table = pq.read_table(io.BytesIO(table_bytes(full, "parquet")))
    assert str(table.schema.field("date").type) == "date32[day]"


def test_xlsx_refuses_a_cell_over_excels_limit_and_says_where(tmp_path, capsys):
    """xlsxwriter silently cuts text at 32,767 characters: the export refuses instead, naming
    the cell, and the previous file survives."""
    from kb.safewrite import OutputError, write_output

    long = pd.DataFrame({"claim_id": ["a", "b"], "statement": ["short", "x" * 40_000]})
    with pytest.raises(OutputError, match=r"statement of sheet row 3 holds 40,000 characters"):
        table_bytes(long, "xlsx")
    target = tmp_path / "claims.xlsx"
    target.write_bytes(b"previous")
    with pytest.raises(OutputError):
        write_output(lambda handle: catalog.write_table(long, "xlsx", handle), str(target),
                     [tmp_path / "data"])
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["claims.xlsx"]
    assert len(table_bytes(long, "csv")) > 40_000  # other formats keep the cell whole
