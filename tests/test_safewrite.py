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


def test_killed_process_leaves_previous_file_intact(tmp_path):
    """A writer killed with SIGKILL after writing its temporary file, before the rename."""
    import os
    import signal
    import subprocess
    import sys
    import time

    target = tmp_path / "claims.csv"
    target.write_text("previous complete export\n")
    script = (
        "import os, time, kb.safewrite as w\n"
        "real = os.replace\n"
        "os.replace = lambda *a: (open(a[0] + '.ready', 'w').close(), time.sleep(60))\n"
        f"w.atomic_write(__import__('pathlib').Path({str(target)!r}), 'x' * 10_000_000)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script])
    deadline = time.monotonic() + 30
    while not list(tmp_path.glob("*.ready")) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert target.read_text() == "previous complete export\n"


def test_files_get_the_users_umask(tmp_path):
    """0644 under umask 022 and 0600 under 077, as `open` would give; still atomic."""
    import os

    from kb.safewrite import current_umask

    old = os.umask(0o022)
    try:
        assert current_umask() == 0o022
        atomic_write(tmp_path / "shared.csv", "x")
        os.umask(0o077)
        atomic_write(tmp_path / "private.csv", "x")
    finally:
        os.umask(old)
    assert (tmp_path / "shared.csv").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "private.csv").stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["private.csv", "shared.csv"]
