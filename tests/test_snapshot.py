"""The compiled snapshot gives exactly the tables of a fresh build, and is never trusted when
stale, truncated, tampered, foreign or switched off."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, synth

from kb import catalog, snapshot
from kb.load import load as fresh_load
from kb.problems import DataError


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("KB_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of the bundled data."""
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target


def assert_same(fresh, served) -> None:
    """Every table of the snapshot, values and dtypes, equals the fresh build's."""
    a, b = snapshot.tables_of(fresh), snapshot.tables_of(served)
    assert a.keys() == b.keys()
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], check_exact=True, obj=name)
    ca, cb = catalog.cube(fresh), catalog.cube(served)
    pd.testing.assert_series_equal(ca.findings_per_condition, cb.findings_per_condition)
    assert ca.level_not_stated == cb.level_not_stated


def _served(data: Path):
    first = snapshot.load(data)  # builds and writes
    assert snapshot.read(data) is not None
    second = snapshot.load(data)
    assert not second.derived.keys() - {"cube", "edges", "table:claims", "table:contradictions"}
    return first, second


def test_snapshot_equals_fresh_build_on_the_bundled_data(cache):
    first, second = _served(ROOT / "data")
    fresh = fresh_load(ROOT / "data")
    assert_same(fresh, second)
    assert_same(first, second)


def test_snapshot_equals_fresh_build_on_a_synthetic_kb(cache, tmp_path):
    data = tmp_path / "synth"
    synth.write_synthetic(data, 3000, seed=3)
    _, second = _served(data)
    assert_same(fresh_load(data), second)


def _snapshot_of(data: Path) -> Path:
    snapshot.load(data)
    folder = snapshot.location(data)
    assert (folder / snapshot.MANIFEST).exists()
    return folder


def _table_file(folder: Path, name: str) -> Path:
    manifest = json.loads((folder / snapshot.MANIFEST).read_text())
    return folder / manifest["tables"][name]["file"]


def test_a_changed_data_file_is_stale_and_rebuilt(cache, data_copy):
    _snapshot_of(data_copy)
    claims = data_copy / "claims.csv"
    text = claims.read_text()
    first_id = text.splitlines()[1].split(",")[0]
    claims.write_text(text.replace("dry needling", "Dry needling", 1))
    assert snapshot.read(data_copy) is None
    rebuilt = snapshot.load(data_copy)
    assert_same(fresh_load(data_copy), rebuilt)
    assert snapshot.read(data_copy) is not None
    assert first_id in set(rebuilt.claims["claim_id"])


def test_same_size_and_mtime_but_other_bytes_is_not_trusted(cache, data_copy):
    _snapshot_of(data_copy)
    path = data_copy / "conditions.csv"
    st = path.stat()
    data = bytearray(path.read_bytes())
    i = data.index(b"neck")
    data[i:i + 4] = b"NECK"
    path.write_bytes(bytes(data))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert snapshot.read(data_copy) is None


def test_truncated_snapshot_file_is_rebuilt(cache, data_copy):
    folder = _snapshot_of(data_copy)
    target = _table_file(folder, "kb.claims")
    target.write_bytes(target.read_bytes()[:100])
    assert snapshot.read(data_copy) is None
    assert_same(fresh_load(data_copy), snapshot.load(data_copy))
    assert snapshot.read(data_copy) is not None


def test_tampered_snapshot_table_is_not_trusted(cache, data_copy):
    folder = _snapshot_of(data_copy)
    target = _table_file(folder, "table.claims")
    served, _ = snapshot.read(data_copy)
    tampered = catalog.table(served, "claims").copy()
    tampered.loc[0, "support_status"] = "consistent" if tampered.loc[
        0, "support_status"] != "consistent" else "overstated"
    tampered.to_parquet(target)
    assert snapshot.read(data_copy) is None
    rebuilt = snapshot.load(data_copy)
    pd.testing.assert_frame_equal(catalog.table(rebuilt, "claims"),
                                  catalog.table(fresh_load(data_copy), "claims"))


def test_broken_or_foreign_manifest_is_ignored(cache, data_copy, tmp_path):
    folder = _snapshot_of(data_copy)
    (folder / snapshot.MANIFEST).write_text("{not json")
    assert snapshot.read(data_copy) is None
    snapshot.load(data_copy)
    other = tmp_path / "other"
    shutil.copytree(data_copy, other)
    foreign = snapshot.location(other)
    foreign.mkdir(parents=True)
    for path in folder.iterdir():  # another directory's snapshot, copied over
        shutil.copy(path, foreign / path.name)
    assert snapshot.read(other) is None


def test_invalid_data_is_never_snapshotted(cache, bad_case):
    data = bad_case("vocab_typo")
    with pytest.raises(DataError):
        snapshot.load(data)
    assert not (snapshot.location(data) / snapshot.MANIFEST).exists()


def test_snapshot_can_be_switched_off(monkeypatch, tmp_path):
    monkeypatch.setenv("KB_CACHE_DIR", "off")
    monkeypatch.setenv("HOME", str(tmp_path))
    kb = snapshot.load(ROOT / "data")
    assert len(kb.claims) and snapshot.location(ROOT / "data") is None
    assert not list(tmp_path.rglob("manifest.json"))


def test_snapshot_parquet_is_read_by_duckdb(cache):
    duckdb = pytest.importorskip("duckdb", reason="duckdb not installed")
    folder = _snapshot_of(ROOT / "data")
    path = _table_file(folder, "kb.claims")
    (n,) = duckdb.connect().execute(f"SELECT count(*) FROM read_parquet('{path}')").fetchone()
    assert n == len(fresh_load(ROOT / "data").claims)


def test_read_warnings_survive_the_snapshot(cache, data_copy):
    """A file saved by Excel (BOM) warns on the load that builds the snapshot and on every
    load the snapshot then serves."""
    sources = data_copy / "sources.csv"
    sources.write_bytes(b"\xef\xbb\xbf" + sources.read_bytes())
    _, built = snapshot.load_with_warnings(data_copy)
    assert snapshot.read(data_copy) is not None
    _, served = snapshot.load_with_warnings(data_copy)
    assert built and served == built
    assert any("sources.csv" in str(w) for w in served)


def test_tables_are_read_when_first_used(cache, data_copy):
    """A served KB parses a table only when it is used; a table file another process removed
    after the snapshot was trusted is computed afresh from the unchanged data."""
    _snapshot_of(data_copy)
    served, _ = snapshot.read(data_copy)
    assert "claims" not in vars(served) and "cube" not in dict.keys(served.derived)
    assert len(served.claims) == len(fresh_load(data_copy).claims)
    assert "claims" in vars(served) and "findings" not in vars(served)
    fresh = fresh_load(data_copy)
    assert catalog.entry("assertions").count(served) == len(fresh.assertions)
    assert "assertions" not in vars(served)  # counted from the manifest, not parsed
    _table_file(snapshot.location(data_copy), "kb.findings").unlink()
    pd.testing.assert_frame_equal(served.findings, fresh_load(data_copy).findings)


def test_a_removed_table_file_after_the_data_changed_is_an_error(cache, data_copy):
    _snapshot_of(data_copy)
    served, _ = snapshot.read(data_copy)
    _table_file(snapshot.location(data_copy), "kb.sources").unlink()
    sources = data_copy / "sources.csv"
    sources.write_text(sources.read_text().replace("Verywell", "VeryWell", 1))
    with pytest.raises(OSError, match="the data changed"):
        served.sources  # noqa: B018


def test_a_snapshot_kb_with_tables_swapped_reads_only_what_is_used(cache):
    """reference_impact narrows a KB to a neighbourhood: the swapped tables are the new ones,
    the rest equal the full KB's and stay unread until used, and nothing derived is shared."""
    snapshot.load(ROOT / "data")
    served = snapshot.load(ROOT / "data")
    fresh = fresh_load(ROOT / "data")
    few = served.claims.iloc[:3]
    narrowed = served.with_tables(claims=few)
    assert "findings" not in vars(narrowed)  # not read yet
    assert narrowed.claims is few
    pd.testing.assert_frame_equal(narrowed.findings, fresh.findings, check_exact=True)
    expected = fresh.with_tables(claims=fresh.claims.iloc[:3])
    pd.testing.assert_frame_equal(catalog.cube(narrowed).claim_counts,
                                  catalog.cube(expected).claim_counts, check_exact=True)
    assert len(catalog.cube(narrowed).claim_counts) < len(catalog.cube(served).claim_counts)
    with pytest.raises(TypeError, match="not a KB table: claim"):
        served.with_tables(claim=few)


@pytest.mark.parametrize("positions", [[], [0], [364, 0, 7, 7], [6, 7, 13, 14, 20, 21]])
def test_rows_are_read_from_the_row_groups_that_hold_them(cache, monkeypatch, positions):
    """`kb.rows` on a snapshot reads only row groups (seven rows each here), in the order
    asked, repeats kept, labelled by position: the same rows, values and dtypes as iloc."""
    import pyarrow.parquet as pq

    monkeypatch.setattr(snapshot, "ROW_GROUP_ROWS", 7)
    snapshot.load(ROOT / "data")
    served, fresh = snapshot.load(ROOT / "data"), fresh_load(ROOT / "data")
    folder = snapshot.location(ROOT / "data")
    assert pq.ParquetFile(_table_file(folder, "kb.claims")).num_row_groups > 50
    for name in ("claims", "findings", "references", "claim_findings"):
        at = [p % len(getattr(fresh, name)) for p in positions]
        pd.testing.assert_frame_equal(served.rows(name, at), fresh.rows(name, at),
                                      check_exact=True, obj=name)
    assert not {"claims", "findings", "references", "claim_findings"} & set(vars(served))
    with pytest.raises(IndexError, match="kb.claims"):
        served.rows("claims", [len(fresh.claims)])
    _table_file(folder, "kb.findings").unlink()  # gone since trusted: computed afresh
    pd.testing.assert_frame_equal(served.rows("findings", [2, 1]), fresh.rows("findings", [2, 1]))


def test_trace_and_impact_read_only_rows_of_their_neighbourhood(cache, monkeypatch):
    """From a snapshot, one claim's trail and one reference's impact read rows of the
    claims, links and findings (row groups of seven rows here), never a whole table, and
    answer as the fresh KB does."""
    from kb.impact import reference_impact
    from kb.trace import trace

    monkeypatch.setattr(snapshot, "ROW_GROUP_ROWS", 7)
    snapshot.load(ROOT / "data")
    fresh = fresh_load(ROOT / "data")
    whole = {"claims", "claim_findings", "findings"}
    served = snapshot.load(ROOT / "data")
    assert trace(served, "fa-087", catalog.edges(served)) == trace(fresh, "fa-087")
    assert not whole & set(vars(served))
    served = snapshot.load(ROOT / "data")
    ours = reference_impact(served, "liu2018", catalog.edges(served))
    theirs = reference_impact(fresh, "liu2018")
    for name in theirs:
        pd.testing.assert_frame_equal(ours[name], theirs[name], obj=name)
    assert not whole & set(vars(served))


def test_a_served_kb_is_freed_as_soon_as_it_is_dropped(cache):
    """Nothing a served KB caches refers back to it strongly, so dropping it frees its tables
    at once (a cycle would keep a million-claim KB alive until the next collection)."""
    import gc
    import weakref

    snapshot.load(ROOT / "data")
    served = snapshot.load(ROOT / "data")
    assert len(catalog.table(served, "claims")) and len(catalog.cube(served).cells)
    gone = weakref.ref(served)
    gc.disable()
    try:
        del served
        assert gone() is None
    finally:
        gc.enable()
