"""Table writers (csv, xlsx, parquet, json; kb.catalog names them), streamed in chunks, with
spreadsheet formula injection neutralised in csv and xlsx. Parquet and XLSX are typed from
kb.schema (kb.typed); CSV and JSON keep the values exactly as stored."""

from __future__ import annotations

import io
from typing import BinaryIO

import pandas as pd

from kb.columns import matches
from kb.safewrite import OutputError
from kb.schema import NUMBER

FORMULA_START = "^[=+@\t\r-]"  # what a spreadsheet runs as a formula
WHOLE_NUMBER = f"^(?:{NUMBER})$"
CHUNK = 100_000


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix `'` to text cells a spreadsheet would run as a formula; numbers are left alone."""
    changed = {}
    for name in frame.columns:
        column = frame[name]
        if not (pd.api.types.is_string_dtype(column) or column.dtype == object):
            continue
        risky = matches(column, FORMULA_START)
        if risky.any():
            risky &= ~matches(column, WHOLE_NUMBER)
        if risky.any():
            text = column.astype("string")
            changed[name] = text.mask(risky, "'" + text)
    return frame.assign(**changed) if changed else frame


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
    """Parquet typed from kb.schema: numbers as numbers, `unknown` and '' as null, lists as
    lists, dates as dates; each column's description in the Arrow field metadata."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from kb.typed import arrow_schema, fields, typed

    declared = fields(frame)
    schema = arrow_schema(frame, declared=declared)
    with pq.ParquetWriter(handle, schema) as writer:
        for _, chunk in _chunks(frame):
            writer.write_table(pa.Table.from_pandas(typed(chunk, declared=declared),
                                                    schema=schema, preserve_index=False))


XLSX_MAX_WIDTH = 60
XLSX_CELL_LIMIT = 32_767  # characters an Excel cell holds


def _cell_text(value: object) -> str:
    return "" if value is None else str(value)


def _check_cell_limit(text: pd.DataFrame, table: str | None) -> None:
    """Refuse, naming the first cell, text over Excel's cell limit (xlsxwriter would cut it)."""
    for name in text.columns:
        long = text[name].str.len().fillna(0) > XLSX_CELL_LIMIT
        if long.any():
            row = int(long.to_numpy().nonzero()[0][0]) + 2  # the sheet's row, under the header
            raise OutputError(f"{table or 'table'}: cell {name} of sheet row {row} holds "
                              f"{int(text[name].str.len().max()):,} characters, over Excel's "
                              f"{XLSX_CELL_LIMIT:,}-character limit; nothing was written (export "
                              "csv, parquet or json instead)")


def write_xlsx(frame: pd.DataFrame, handle: BinaryIO) -> None:
    """An XLSX table: frozen header, filters, column widths, numbers as numeric cells, text
    neutralised (no cell is ever a formula), and a README sheet with the data dictionary."""
    import xlsxwriter

    from kb.typed import fields, typed

    table = frame.attrs.get("table")
    declared = fields(frame, table)
    data = typed(frame, lists=False, declared=declared)
    text_columns = [f.name for f in declared if f.kind not in ("number", "integer", "boolean")]
    data[text_columns] = neutralise(data[text_columns].astype("string"))
    _check_cell_limit(data[text_columns], table)
    options = {"strings_to_formulas": False, "strings_to_urls": False,
               "strings_to_numbers": False, "in_memory": True}
    book = xlsxwriter.Workbook(handle, options)
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    sheet = book.add_worksheet("data")
    widths = [len(f.name) for f in declared]
    for col, field in enumerate(declared):
        sheet.write_string(0, col, field.name, bold)
    values = data.astype(object).where(data.notna(), None).itertuples(index=False, name=None)
    for row, record in enumerate(values, 1):
        for col, value in enumerate(record):
            if value is None:
                continue
            kind = declared[col].kind
            if kind in ("number", "integer"):
                sheet.write_number(row, col, float(value))
            elif kind == "boolean":
                sheet.write_boolean(row, col, bool(value))
            else:
                sheet.write_string(row, col, _cell_text(value))
            if row <= 1000:
                widths[col] = max(widths[col], len(_cell_text(value)))
    for col, width in enumerate(widths):
        sheet.set_column(col, col, min(width, XLSX_MAX_WIDTH) + 2)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(data), 1), max(len(declared) - 1, 0))
    _readme_sheet(book, bold, table, declared)
    book.close()


def _readme_sheet(book, bold, table: str | None, declared) -> None:
    """The data dictionary: every column's name, type and meaning, and the KB version."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        kb_version = version("dn-evidence-kb")
    except PackageNotFoundError:
        kb_version = "unknown"
    sheet = book.add_worksheet("README")
    sheet.write_string(0, 0, "Dry Needling Evidence KB", bold)
    sheet.write_string(1, 0, "table")
    sheet.write_string(1, 1, table or "selection")
    sheet.write_string(2, 0, "KB version")
    sheet.write_string(2, 1, kb_version)
    sheet.write_string(3, 0, "Evidence information, not medical advice. Empty cells are "
                             "unknown or not applicable; lists are ';'-separated.")
    for col, title in enumerate(("column", "type", "description")):
        sheet.write_string(5, col, title, bold)
    for row, field in enumerate(declared, 6):
        sheet.write_string(row, 0, field.name)
        sheet.write_string(row, 1, field.kind)
        sheet.write_string(row, 2, field.description)
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 10)
    sheet.set_column(2, 2, 80)
