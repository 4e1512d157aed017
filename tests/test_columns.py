"""Arrow-backed column helpers agree with pandas' own, row by row."""

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from kb.columns import isin, list_items

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
