"""Writes are all or nothing, and never land in data/ or on a directory."""

import pytest

from kb.safewrite import OutputError, atomic_write, resolve_output


def test_atomic_write_replaces_whole_file(tmp_path):
    target = tmp_path / "out.csv"
    atomic_write(target, "old")
    atomic_write(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_failure_midway_keeps_previous_file(tmp_path, monkeypatch):
    target = tmp_path / "out.csv"
    target.write_text("previous")

    def crash(src, dst):
        raise KeyboardInterrupt("killed mid-write")

    monkeypatch.setattr("kb.safewrite.os.replace", crash)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, "x" * 1_000_000)
    assert target.read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_refuses_data_dir_and_directories(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    with pytest.raises(OutputError, match="refusing to write inside the data directory"):
        resolve_output(str(data / "claims.csv"), [data])
    with pytest.raises(OutputError, match="is a directory"):
        resolve_output(str(tmp_path), [data])
    with pytest.raises(OutputError, match="does not exist"):
        resolve_output(str(tmp_path / "nope" / "x.csv"), [data])
    assert resolve_output("-", [data]) is None
