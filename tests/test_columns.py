"""Arrow-backed column helpers agree with pandas' own, row by row."""

import pandas as pd
import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from kb.columns import isin, joined, list_items, pair_codes, shared_codes

ITEM = st.text(alphabet="ab; ", max_size=8)


def test_list_items_strips_drops_empties_and_keeps_the_row():
    s = pd.Series(["a;b", " c ; ;d", "", None, "e"], dtype="string", index=[10, 11, 12, 13, 14])
    items = list_items(s)
    assert items.tolist() == ["a", "b", "c", "d", "e"]
    assert items.index.tolist() == [10, 10, 11, 11, 14]


@given(st.lists(ITEM, max_size=12))
def test_list_items_matches_a_plain_split(values):
    s = pd.Series(values, dtype="string")
    expected = [(i, part.strip()) for i, v in enumerate(values) for part in v.split(";")
                if part.strip()]
    items = list_items(s)
    assert list(zip(items.index, items, strict=True)) == expected


@given(st.lists(ITEM, max_size=12), st.lists(ITEM, max_size=6))
def test_isin_matches_pandas(values, targets):
    s = pd.Series(values, dtype="string")
    assert isin(s, targets).tolist() == s.isin(targets).tolist()


def test_isin_missing_values_are_never_members():
    s = pd.Series(["a", None], dtype="string")
    assert isin(s, ["a"]).tolist() == [True, False]


@given(st.lists(ITEM, max_size=8), st.lists(ITEM, max_size=8))
def test_shared_codes_are_equal_exactly_where_the_strings_are(left, right):
    """One dictionary over both parts, whatever their Arrow string types and chunks."""
    parts = pa.array(left, pa.string()), pa.chunked_array([pa.array(right, pa.large_string())],
                                                          pa.large_string())
    (a, b), size = shared_codes(*parts)
    values = left + right
    codes = [*a.tolist(), *b.tolist()]
    assert size == len(set(values))
    assert all((codes[i] == codes[j]) == (values[i] == values[j])
               for i in range(len(values)) for j in range(len(values)))
    assert joined(*parts).to_pylist() == values


@given(st.lists(st.tuples(ITEM, ITEM), max_size=8), st.lists(st.tuples(ITEM, ITEM), max_size=8))
def test_pair_codes_are_equal_exactly_where_both_strings_are(left, right):
    def arrays(pairs):
        return (pa.array([a for a, _ in pairs], pa.string()),
                pa.array([b for _, b in pairs], pa.large_string()))

    a, b = pair_codes(arrays(left), arrays(right))
    pairs, codes = left + right, [*a.tolist(), *b.tolist()]
    assert all((codes[i] == codes[j]) == (pairs[i] == pairs[j])
               for i in range(len(pairs)) for j in range(len(pairs)))
