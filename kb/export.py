"""Table writers (csv, xlsx, parquet, json; kb.catalog names them), streamed in chunks, with
spreadsheet formula injection neutralised in csv and xlsx."""

from __future__ import annotations

import io
from typing import BinaryIO

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?"
CHUNK = 100_000


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix `'` to text cells a spreadsheet would run as a formula; numbers are left alone."""
    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if not (pd.api.types.is_string_dtype(column) or column.dtype == object):
            continue
        text = column.astype("string")
        risky = text.str.startswith(FORMULA_START).fillna(False)
        risky &= ~text.str.fullmatch(NUMBER).fillna(False)
        if risky.any():
            out[name] = text.mask(risky, "'" + text)
    return out


def _chunks(frame: pd.DataFrame):
    for start in range(0, max(len(frame), 1), CHUNK):
        yield start, frame.iloc[start:start + CHUNK]


def write_csv(frame: pd.DataFrame, handle: BinaryIO) -> None:
    """CSV, UTF-8, neutralised for spreadsheets."""
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="", write_through=True)
    for start, chunk in _chunks(frame):
        neutralise(chunk).to_csv(text, index=False, header=start == 0, lineterminator="\n")
    text.detach()


def write_json(frame: pd.DataFrame, handle: BinaryIO) -> None:
    """A JSON array of records, values kept exactly."""
    handle.write(b"[")
    for start, chunk in _chunks(frame):
        body = chunk.to_json(orient="records", force_ascii=False, indent=1)
        inner = body.strip()[1:-1].strip()
        if inner:
            handle.write((",\n" if start else "\n").encode() + inner.encode("utf-8"))
    handle.write(b"\n]\n")


def write_parquet(frame: pd.DataFrame, handle: BinaryIO) -> None:
    """Parquet, values kept exactly."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.Schema.from_pandas(frame.iloc[:0], preserve_index=False)
    with pq.ParquetWriter(handle, schema) as writer:
        for _, chunk in _chunks(frame):
            writer.write_table(pa.Table.from_pandas(chunk, schema=schema, preserve_index=False))


def write_xlsx(frame: pd.DataFrame, handle: BinaryIO) -> None:
    """One XLSX sheet, neutralised; no cell is ever a formula."""
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    plain = neutralise(frame)
    plain = plain.astype(object).where(plain.notna(), None)
    with pd.ExcelWriter(handle, engine="xlsxwriter", engine_kwargs={"options": options}) as xl:
        plain.to_excel(xl, index=False, sheet_name="data")
