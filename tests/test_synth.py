"""The synthetic KB generator: output validates clean, proportions hold, same seed same bytes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import synth

from kb.load import check, load
from kb.schema import BIB_FILE, OPTIONAL_FILES, TABLES

FILES = [BIB_FILE] + [t.file for t in TABLES if t.file not in OPTIONAL_FILES]


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "data"
    synth.write_synthetic(out, 2000, seed=7)
    return out


@pytest.fixture(scope="module")
def small_kb(small):
    return load(small)


def test_output_validates_clean(small):
    assert check(small) == []


def test_writes_every_data_file(small):
    assert sorted(p.name for p in small.iterdir()) == sorted(FILES)


def test_proportions_follow_the_issue(small_kb):
    kb = small_kb
    assert len(kb.claims) == 2000
    assert len(kb.references) == 400
    assert len(kb.findings) == 200
    assert 12 <= len(kb.conditions) <= 300


def test_claims_grade_across_the_whole_vocabulary(small_kb):
    certainty = set(small_kb.claims["certainty"])
    assert {"unreferenced", "expert opinion", "not graded", "moderate"} <= certainty


def test_has_restates_links(small):
    links = pd.read_csv(small / "reference_links.csv", dtype="string")
    assert (links["relation"] == "restates").any()


def test_same_seed_same_bytes(small, tmp_path):
    again = tmp_path / "again"
    synth.write_synthetic(again, 2000, seed=7)
    for name in FILES:
        assert (again / name).read_bytes() == (small / name).read_bytes(), name


def test_other_seed_other_data(small, tmp_path):
    other = tmp_path / "other"
    synth.write_synthetic(other, 2000, seed=8)
    assert (other / "claims.csv").read_bytes() != (small / "claims.csv").read_bytes()


@pytest.mark.parametrize("n", [1, 99])
def test_tiny_sizes_validate_clean(tmp_path, n):
    synth.write_synthetic(tmp_path, n, seed=1)
    assert check(tmp_path) == []


@pytest.mark.parametrize(("text", "n"), [("1k", 1000), ("100K", 100_000), ("1M", 1_000_000),
                                         ("2500", 2500), ("1.5k", 1500)])
def test_parse_size(text, n):
    assert synth.parse_size(text) == n
