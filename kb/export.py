"""Tables to csv, xlsx, parquet and json bytes, with spreadsheet formula injection neutralised."""

from __future__ import annotations

import io

import pandas as pd

TABLE_FORMATS = ("csv", "xlsx", "parquet", "json")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?"


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


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Nullable extension dtypes to plain Python values, for writers that need them."""
    return frame.astype(object).where(frame.notna(), None)


def table_bytes(frame: pd.DataFrame, fmt: str) -> bytes:
    """Serialise one table. csv and xlsx are neutralised for spreadsheets; parquet and json
    are for programs and keep values exactly."""
    if fmt == "csv":
        return neutralise(frame).to_csv(index=False, lineterminator="\n").encode("utf-8")
    if fmt == "xlsx":
        buffer = io.BytesIO()
        options = {"strings_to_formulas": False, "strings_to_urls": False}
        with pd.ExcelWriter(buffer, engine="xlsxwriter",
                            engine_kwargs={"options": options}) as writer:
            _plain(neutralise(frame)).to_excel(writer, index=False, sheet_name="data")
        return buffer.getvalue()
    if fmt == "parquet":
        buffer = io.BytesIO()
        frame.to_parquet(buffer, index=False)
        return buffer.getvalue()
    if fmt == "json":
        return frame.to_json(orient="records", force_ascii=False, indent=1).encode("utf-8")
    raise ValueError(f"unknown table format {fmt!r}; use one of {', '.join(TABLE_FORMATS)}")
