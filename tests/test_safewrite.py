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


def test_fifo_is_streamed_to_not_replaced(tmp_path):
    """A FIFO target is written through; it is still a FIFO afterwards."""
    import os
    import stat
    import threading

    from kb.safewrite import write_output

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    assert write_output(b"streamed\n", str(fifo), [tmp_path / "data"]) is None
    reader.join(10)
    assert received == [b"streamed\n"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_fifo_inside_the_data_dir_is_refused(tmp_path):
    import os

    data = tmp_path / "data"
    data.mkdir()
    os.mkfifo(data / "pipe")
    with pytest.raises(OutputError, match="refusing to write inside the data directory"):
        resolve_output(str(data / "pipe"), [data])


def test_dev_null_is_written_through_and_stays_a_device(tmp_path):
    import os
    import stat

    from kb.safewrite import resolve_output, write_output

    before = os.stat("/dev/null")
    assert resolve_output("/dev/null", [tmp_path]) == __import__("pathlib").Path("/dev/null")
    assert write_output("x" * 1000, "/dev/null", [tmp_path]) is None
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino
    assert after.st_rdev == before.st_rdev


def test_disk_full_is_an_output_error(tmp_path):
    """/dev/full: ENOSPC on write becomes a one-line OutputError."""
    from kb.safewrite import write_output

    with pytest.raises(OutputError, match="^/dev/full: cannot write: no space left on the "
                                          "device; nothing was written$"):
        write_output(b"x" * 100_000, "/dev/full", [tmp_path])


def test_disk_full_mid_atomic_write_keeps_previous_file(tmp_path, monkeypatch):
    import errno

    from kb.safewrite import write_output

    target = tmp_path / "out.csv"
    target.write_text("previous")

    def full(handle):
        handle.write(b"partial")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OutputError, match="no space left on the device"):
        write_output(full, str(target), [tmp_path / "data"])
    assert target.read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_unwritable_directory_is_an_output_error(tmp_path):
    import os

    from kb.safewrite import write_output

    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as root: permissions are not enforced")
        with pytest.raises(OutputError, match="cannot write: permission denied"):
            write_output(b"x", str(locked / "out.csv"), [tmp_path / "data"])
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


def test_permission_denied_is_an_output_error(tmp_path, monkeypatch):
    """The same refusal when running as root, where chmod does not stop writes."""
    import errno

    from kb.safewrite import write_output

    def denied(**kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("kb.safewrite.tempfile.mkstemp", denied)
    with pytest.raises(OutputError, match="^.*out.csv: cannot write: permission denied; "
                                          "nothing was written$"):
        write_output(b"x", str(tmp_path / "out.csv"), [tmp_path / "data"])
    assert list(tmp_path.iterdir()) == []


def test_long_name_fits_its_temporary_file(tmp_path):
    """A 250-byte name is fine although `.name.XXXXXXXX.tmp` would not fit in 255 bytes."""
    target = tmp_path / ("n" * 250)
    atomic_write(target, b"ok")
    assert target.read_bytes() == b"ok"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]
    with pytest.raises(OutputError, match="file name is longer than 255 bytes"):
        resolve_output(str(tmp_path / ("n" * 300)), [tmp_path / "data"])
