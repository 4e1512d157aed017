"""The catalog is the one list of tables and formats: a new entry reaches the CLI, the data
package and `kb stats` with no other edit; the certainty scale has one complete home."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from conftest import FIXTURES

from kb import catalog, vocab
from kb.cli import build_parser, main
from kb.datapackage import write_datapackage
from kb.load import load
from kb.schema import FINDINGS
from kb.stats import stats


@pytest.fixture
def widgets(monkeypatch):
    """A fictitious computed table, added by one catalog entry."""
    entry = catalog.Table("widgets", "Widgets of the claims.", ("widget_id",),
                          lambda kb: pd.DataFrame({"widget_id": ["w1", "w2"], "size": [1, 2]}))
    monkeypatch.setattr(catalog, "TABLES", [*catalog.TABLES, entry])
    return entry


def export_choices() -> list[str]:
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    target = next(a for a in sub.choices["export"]._actions if a.dest == "target")
    return list(target.choices)


def test_a_new_table_reaches_export_package_and_stats(widgets, tmp_path, capsysbinary):
    assert "widgets" in export_choices()
    kb = load(FIXTURES / "minimal")
    assert stats(kb)["tables"]["widgets"] == 2
    descriptor = json.loads(write_datapackage(kb, tmp_path / "pkg").read_text())
    resource = next(r for r in descriptor["resources"] if r["name"] == "widgets")
    assert resource["schema"]["primaryKey"] == ["widget_id"]
    assert (tmp_path / "pkg" / "widgets.csv").read_text().splitlines()[0] == "widget_id,size"
    code = main(["export", "widgets", "--data", str(FIXTURES / "minimal")])
    assert code == 0 and capsysbinary.readouterr().out.decode().startswith("widget_id,size")


def test_without_the_entry_the_table_is_nowhere():
    assert "widgets" not in export_choices()
    with pytest.raises(KeyError, match="unknown table"):
        catalog.entry("widgets")


def test_every_stored_schema_table_is_in_the_catalog():
    from kb.schema import TABLES

    assert {t.name for t in TABLES} <= {t.ident for t in catalog.TABLES}


def test_tables_are_built_once_per_kb(minimal):
    first = catalog.table(minimal, "claims")
    assert catalog.table(minimal, "claims") is first
    assert catalog.cube(minimal) is catalog.cube(minimal)


def test_every_schema_certainty_has_a_label_order_and_colour():
    """Every certainty the schema accepts is on the scale: a GRADE label has bounds, a place
    in the display order and a palette colour; the rest are named categories."""
    accepted = FINDINGS.column("certainty").vocab
    order = vocab.Certainty.display_order()
    categories = set(vocab.Ungraded.values())
    for value in accepted:
        if value in categories:
            assert value in vocab.CERTAINTY_MEANING, value
            continue
        assert value in vocab.Certainty.ranges(), value
        assert value in order, value
        assert vocab.Certainty.colour(value) != vocab.NO_LEVEL_COLOUR, value
    assert "very low to high" in order and "moderate to high" in order


def test_display_order_runs_from_high_to_very_low():
    order = vocab.Certainty.display_order()
    assert order[0] == "high" and order[-1] == "very low"
    bounds = vocab.Certainty.ranges()
    middles = [sum(bounds[label]) for label in order]
    assert middles == sorted(middles, reverse=True)


def test_palette_is_sequential_from_dark_to_light():
    def lightness(colour: str) -> int:
        return sum(int(colour[i:i + 2], 16) for i in (1, 3, 5))

    levels = [vocab.Certainty.colour(level.label) for level in reversed(vocab.Certainty)]
    assert [lightness(c) for c in levels] == sorted(lightness(c) for c in levels)


def test_every_vocabulary_value_has_words():
    """Every outcome, comparator, direction, window and basis a finding can hold has a label."""
    for enum, labels in ((vocab.Outcome, vocab.OUTCOME_LABEL),
                         (vocab.Comparator, vocab.COMPARATOR_LABEL),
                         (vocab.Direction, vocab.DIRECTION_LABEL),
                         (vocab.TimeWindow, vocab.TIME_WINDOW_LABEL),
                         (vocab.CertaintyBasis, vocab.CERTAINTY_BASIS_LABEL)):
        assert set(enum.values()) <= set(labels), enum.__name__
