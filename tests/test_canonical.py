"""`kb fmt`: data files saved by Excel (BOM, CRLF) rewritten in canonical form, on a copy."""

from __future__ import annotations

import os

import pytest
from conftest import MINIMAL, ROOT

from kb.cli import main


def _run(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().err


def _snapshot(folder) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}


def test_fmt_rewrites_excel_files_to_minimal_byte_for_byte(bad_case, capsys):
    case = bad_case("excel_saved")
    (case / "claims.csv").chmod(0o640)
    code, err = _run(capsys, "fmt", "--data", str(case))
    assert code == 0
    assert "rewrote claims.csv: byte-order mark removed, LF line ends" in err
    assert "rewrote references.bib: byte-order mark removed, LF line ends" in err
    for path in MINIMAL.iterdir():
        assert (case / path.name).read_bytes() == path.read_bytes(), path.name
    assert sorted(p.name for p in case.iterdir()) == sorted(p.name for p in MINIMAL.iterdir())
    assert (case / "claims.csv").stat().st_mode & 0o777 == 0o640  # permission bits kept
    code, err = _run(capsys, "validate", "--data", str(case))
    assert code == 0 and "warning" not in err


def test_fmt_check_lists_and_writes_nothing(bad_case, capsys):
    case = bad_case("crlf")
    before = _snapshot(case)
    code, err = _run(capsys, "fmt", "--check", "--data", str(case))
    assert code == 1
    assert err.splitlines()[0] == "would rewrite conditions.csv: LF line ends"
    assert _snapshot(case) == before


def test_fmt_leaves_canonical_files_untouched(data_copy, capsys):
    folder = data_copy("minimal")
    before = _snapshot(folder)
    code, err = _run(capsys, "fmt", "--data", str(folder))
    assert code == 0 and "every file is in canonical form" in err
    assert _snapshot(folder) == before  # not even rewritten with the same bytes


def test_bundled_data_is_canonical(capsys):
    """Read-only check of data/: `--check` never writes."""
    before = _snapshot(ROOT / "data")
    assert _run(capsys, "fmt", "--check", "--data", str(ROOT / "data"))[0] == 0
    assert _snapshot(ROOT / "data") == before


def test_fmt_adds_a_final_newline_and_skips_links(data_copy, capsys, tmp_path):
    folder = data_copy("minimal")
    sources = folder / "sources.csv"
    sources.write_bytes(sources.read_bytes().rstrip(b"\n"))
    outside = tmp_path / "outside.csv"
    outside.write_bytes(b"\xef\xbb\xbfx\r\n")
    (folder / "claims.csv").unlink()
    (folder / "claims.csv").symlink_to(outside)
    code, err = _run(capsys, "fmt", "--data", str(folder))
    assert code == 0
    assert "rewrote sources.csv: final newline" in err
    assert "skipped claims.csv: is a link; left as it is" in err
    assert sources.read_bytes() == (MINIMAL / "sources.csv").read_bytes()
    assert outside.read_bytes() == b"\xef\xbb\xbfx\r\n"


def test_a_failed_write_leaves_the_file_as_it_was(bad_case, monkeypatch):
    """The disk fills up as the file is flushed: the file keeps its old bytes and no
    temporary file stays behind (the rewrite goes through kb.safewrite)."""
    from kb import canonical, safewrite

    case = bad_case("bom")
    before = (case / "conditions.csv").read_bytes()

    def full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(safewrite.os, "fsync", full)
    found, _ = canonical.rewrites(case)
    with pytest.raises(OSError):
        canonical.apply(case, found)
    assert (case / "conditions.csv").read_bytes() == before
    assert sorted(os.listdir(case)) == sorted(p.name for p in MINIMAL.iterdir())


def test_utf16_is_not_converted(bad_case, capsys):
    case = bad_case("utf16_file")
    before = _snapshot(case)
    _run(capsys, "fmt", "--data", str(case))
    assert _snapshot(case) == before
