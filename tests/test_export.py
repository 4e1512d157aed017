"""Table export: every format re-reads with an independent reader; formulas are inert."""

import io
import json

import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest

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
