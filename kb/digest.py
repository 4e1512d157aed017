"""The content digest of the caches: BLAKE3 (a cryptographic hash, about three times as fast
as SHA-256 here), as hex. The data package keeps SHA-256, the hash its standard names."""

from __future__ import annotations

from pathlib import Path

from blake3 import blake3

NAME = "blake3"
BLOCK = 1 << 22
MAPPED_FROM = 8 << 20  # a smaller file hashes faster read in blocks on one thread


def of_bytes(data: bytes) -> str:
    """The digest of some bytes."""
    return blake3(data).hexdigest()


def of_file(path: Path) -> str:
    """The digest of a file's bytes, read in blocks into one buffer (a large file is never
    held whole); a file of more than one block is hashed on every core."""
    big = path.stat().st_size > BLOCK
    digest = blake3(max_threads=blake3.AUTO) if big else blake3()
    buffer = memoryview(bytearray(BLOCK if big else 1 << 16))
    with path.open("rb", buffering=0) as handle:
        while read := handle.readinto(buffer):
            digest.update(buffer[:read])
    return digest.hexdigest()


def of_own_file(path: Path) -> str:
    """The digest of a file kb wrote whole and replaces only by a rename (a snapshot file):
    a big one is memory-mapped and hashed on every core (at 1M claims about half the time).
    A file truncated while mapped would end the process, so data files go through of_file."""
    if path.stat().st_size < MAPPED_FROM:
        return of_file(path)
    return blake3(max_threads=blake3.AUTO).update_mmap(path).hexdigest()


def of_parts(parts: list[bytes]) -> str:
    """One digest over several byte strings, each one's length first (no two lists of parts
    run together into the same bytes)."""
    digest = blake3()
    for part in parts:
        digest.update(len(part).to_bytes(8, "little") + part)
    return digest.hexdigest()
