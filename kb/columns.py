"""Vectorised column helpers for Arrow-backed string columns.

pandas' `isin` on Arrow strings loops over the targets in Python; Arrow's own kernel does not.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

STRING_TYPES = {pa.string(): pd.StringDtype("pyarrow"),
                pa.large_string(): pd.StringDtype("pyarrow")}  # Arrow strings as pandas' "string"
EMPTY = pa.scalar("")
THREADS_FROM_BYTES = 4 << 20  # a smaller table reads and converts faster on one thread
LARGE = pa.large_string()  # what pandas' Arrow-backed strings hold


def arrow(series: pd.Series | pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """A column as Arrow strings: free for pandas' Arrow-backed strings (the tables' dtype),
    where `pa.array(series)` costs tens of microseconds, a pandas `astype` more. An Arrow
    array is returned as it is."""
    if isinstance(series, pa.Array | pa.ChunkedArray):
        return series
    if not isinstance(series.array, pd.arrays.ArrowStringArray):
        series = series.astype(STRING_TYPES[pa.string()])
    values = pa.array(series.array)  # mostly the ChunkedArray pandas holds
    if isinstance(values, pa.ChunkedArray) and values.num_chunks == 1:
        return values.chunk(0)
    return values


def to_mask(result: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """An Arrow boolean result as a numpy mask, missing values false."""
    if result.null_count:
        result = pc.fill_null(result, False)
    return result.to_numpy(zero_copy_only=False)


def positions(values: pd.Series | pa.Array | pa.ChunkedArray, keys: pd.Series) -> np.ndarray:
    """The position in `keys` of each value (its first), -1 where it is none of them: Arrow's
    hash lookup, where pandas hashes each string as a Python object."""
    values = arrow(values) if isinstance(values, pd.Series) else values
    found = pc.index_in(values, value_set=arrow(keys), skip_nulls=True)
    return pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype("int64")


def joined(*parts: pa.Array | pa.ChunkedArray) -> pa.ChunkedArray:
    """Strings one after the other, as one chunked array of pandas' Arrow string type (only a
    chunk of another string type is copied)."""
    chunks = [chunk for part in parts for chunk in (
        part.chunks if isinstance(part, pa.ChunkedArray) else [part])]
    return pa.chunked_array([chunk if chunk.type == LARGE else chunk.cast(LARGE)
                             for chunk in chunks], type=LARGE)


def shared_codes(*parts: pa.Array | pa.ChunkedArray) -> tuple[list[np.ndarray], int]:
    """Integer codes of each array's strings over one dictionary of all of them, and the
    dictionary's size: what turns joins on string ids into integer operations."""
    keys = pc.unique(joined(*parts))
    return [pc.index_in(part, value_set=keys).to_numpy(zero_copy_only=False).astype("int64")
            for part in parts], len(keys)


def pair_codes(*pairs: tuple[pa.Array | pa.ChunkedArray, pa.Array | pa.ChunkedArray]
               ) -> list[np.ndarray]:
    """One integer per (first, second) string pair of each of `pairs`, equal exactly where
    both strings are: a join on two string columns as an integer `isin`."""
    firsts, _ = shared_codes(*(first for first, _ in pairs))
    seconds, n_seconds = shared_codes(*(second for _, second in pairs))
    return [first * n_seconds + second for first, second in zip(firsts, seconds, strict=True)]


def matches(series: pd.Series, pattern: str) -> np.ndarray:
    """Cells in which the (RE2) pattern is found, as a numpy mask."""
    return to_mask(pc.match_substring_regex(arrow(series), pattern))


def isin(values: pd.Series, targets: Iterable[str] | pd.Series) -> pd.Series:
    """`values.isin(targets)` in Arrow; missing values are never members."""
    if not isinstance(targets, pd.Series):
        targets = pd.Series(list(targets), dtype="string")
    found = pc.is_in(arrow(values), value_set=arrow(targets.dropna()))
    return pd.Series(to_mask(found), index=values.index)


def list_cells(series: pd.Series) -> tuple[pa.Array, np.ndarray]:
    """Items of a `;`-separated list column in Arrow, stripped, empty items dropped, and the
    position of the row each came from."""
    lists = pc.split_pattern(arrow(series), ";")
    items = pc.utf8_trim_whitespace(pc.list_flatten(lists))
    rows = pc.list_parent_indices(lists).to_numpy()
    keep = to_mask(pc.not_equal(items, EMPTY))
    return items.filter(pa.array(keep)), rows[keep]


def list_items(series: pd.Series) -> pd.Series:
    """Items of a `;`-separated list column, one per row, indexed by their source row.

    Items are stripped and empty items dropped; split in Arrow, not row by row in Python."""
    items, rows = list_cells(series)
    return items.to_pandas(types_mapper=STRING_TYPES.get).set_axis(series.index[rows])
