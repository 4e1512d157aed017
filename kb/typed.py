"""Tables typed from kb.schema for the typed exports (Parquet, XLSX, SQLite): numbers as numbers,
`unknown` and empty cells as null, `;`-lists as lists, dates as dates.

A frame says which table it is in `frame.attrs["table"]` (kb.catalog sets it); a frame without
it (an app selection, a query result) is typed by column name where every table declaring that
name agrees on its type.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kb.schema import TABLES, Column

UNKNOWN = "unknown"
DATE_COLUMNS = frozenset({"date", "urldate"})
# Columns of computed tables (not in kb.schema): their types.
COMPUTED_NUMBERS = {"year": "integer", "cert_min": "integer", "cert_max": "integer"}


@dataclass(frozen=True)
class Field:
    """How one column is typed: `kind` is string, number, integer, boolean, date or list."""

    name: str
    kind: str
    description: str = ""


def _by_name() -> dict[str, Column]:
    """Column name -> its declaration, where every table declaring that name agrees on the type."""
    seen: dict[str, list[Column]] = {}
    for table in TABLES:
        for column in table.columns:
            seen.setdefault(column.name, []).append(column)
    return {name: cols[0] for name, cols in seen.items()
            if len({(c.kind, c.is_list) for c in cols}) == 1}


def _kind(column: Column) -> str:
    return "list" if column.is_list else column.kind


def fields(frame: pd.DataFrame, table: str | None = None) -> list[Field]:
    """The typed field of every column of a frame."""
    table = table or frame.attrs.get("table")
    declared = {t.name: t for t in TABLES}.get((table or "").replace("-", "_"))
    names = {c.name: c for c in declared.columns} if declared else {}
    fallback = _by_name()
    out = []
    for name in frame.columns:
        column = names.get(name) or fallback.get(name)
        dtype = frame[name].dtype
        if column is not None:
            out.append(Field(name, _kind(column), column.description))
        elif name in COMPUTED_NUMBERS:
            out.append(Field(name, COMPUTED_NUMBERS[name]))
        elif pd.api.types.is_bool_dtype(dtype):
            out.append(Field(name, "boolean"))
        elif pd.api.types.is_integer_dtype(dtype):
            out.append(Field(name, "integer"))
        elif pd.api.types.is_float_dtype(dtype):
            out.append(Field(name, "number"))
        else:
            out.append(Field(name, "string"))
    return [Field(f.name, "date", f.description)
            if f.name in DATE_COLUMNS and f.kind == "string" and _all_dates(frame[f.name])
            else f for f in out]


def _dates(column: pd.Series) -> pd.Series:
    text = column.astype("string")
    return pd.to_datetime(text.mask(_missing(text)), format="%Y-%m-%d", errors="coerce")


def _all_dates(column: pd.Series) -> bool:
    """Every known value is a full ISO date (a partial date such as 2018-01 keeps the column
    text, so nothing is lost)."""
    text = column.astype("string")
    return bool((_dates(column).notna() | _missing(text)).all())


def _missing(text: pd.Series) -> pd.Series:
    return text.isna() | text.isin(["", UNKNOWN])


def typed(frame: pd.DataFrame, table: str | None = None, lists: bool = True,
          declared: list[Field] | None = None) -> pd.DataFrame:
    """A copy with typed columns: numbers as Float64/Int64, `unknown` and '' as null, lists as
    Python lists (`lists=False`: kept as `;`-joined text), dates as dates. `declared` gives the
    fields of the whole table when typing it chunk by chunk."""
    out = pd.DataFrame(index=frame.index)
    for field in declared or fields(frame, table):
        column = frame[field.name]
        if field.kind in ("number", "integer") and not pd.api.types.is_numeric_dtype(column):
            text = column.astype("string").str.strip()
            numbers = pd.to_numeric(text.mask(_missing(text)), errors="coerce")
            column = numbers.astype("Int64" if field.kind == "integer" else "Float64")
        elif field.kind == "date":
            column = _dates(column).dt.date.astype(object)
            column = column.where(column.notna(), None)
        elif field.kind == "list" and lists:
            text = column.astype("string")
            column = pd.Series([None if pd.isna(v) or v == "" else
                                [p.strip() for p in v.split(";") if p.strip()]
                                for v in text], index=frame.index, dtype=object)
        elif field.kind in ("string", "list") and (pd.api.types.is_string_dtype(column)
                                                    or column.dtype == object):
            column = column.astype("string").replace("", pd.NA)
        out[field.name] = column
    out.attrs.update(frame.attrs)
    return out


def arrow_schema(frame: pd.DataFrame, table: str | None = None,
                 declared: list[Field] | None = None):
    """The Arrow schema of a typed frame, from kb.schema."""
    import pyarrow as pa

    types = {"string": pa.string(), "number": pa.float64(), "integer": pa.int64(),
             "boolean": pa.bool_(), "date": pa.date32(), "list": pa.list_(pa.string())}
    return pa.schema([pa.field(f.name, types[f.kind], metadata={"description": f.description}
                               if f.description else None)
                      for f in declared or fields(frame, table)])
