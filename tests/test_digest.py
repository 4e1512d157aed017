"""The caches' digest: BLAKE3 of a file's bytes, the same however the file is read."""

import pytest

from kb import digest

EMPTY = "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262"  # BLAKE3 spec


@pytest.mark.parametrize("size", [0, 1, 1023, 1024, 5 * 1024 + 7])
def test_a_mapped_file_digest_equals_a_read_one(tmp_path, monkeypatch, size):
    """of_own_file maps a file from MAPPED_FROM bytes (1 KB here) and hashes it on every
    core; below that it reads blocks. Either way the digest is that of the bytes."""
    monkeypatch.setattr(digest, "MAPPED_FROM", 1024)
    data = bytes(range(256)) * (size // 256) + bytes(size % 256)
    path = tmp_path / "table.parquet"
    path.write_bytes(data)
    assert digest.of_own_file(path) == digest.of_file(path) == digest.of_bytes(data)
    if not size:
        assert digest.of_own_file(path) == EMPTY


@pytest.mark.parametrize("size", [0, 100, 4096, 4096 * 2 + 7])
def test_a_file_read_in_blocks_on_every_core_hashes_as_its_bytes(tmp_path, monkeypatch, size):
    """of_file reads blocks into one buffer (4 KB here), a file of more than one block on
    every core; the last, short block counts only as far as it was read."""
    monkeypatch.setattr(digest, "BLOCK", 4096)
    data = bytes((i * 7) % 251 for i in range(size))
    path = tmp_path / "claims.csv"
    path.write_bytes(data)
    assert digest.of_file(path) == digest.of_bytes(data)
