"""Safe output: write to a temporary file beside the target, then rename it into place."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


class OutputError(Exception):
    """An output path that must not be written."""


def resolve_output(output: str, protected: list[Path]) -> Path | None:
    """The file to write, or None for stdout (`-`). Refuses directories and data/."""
    if output == "-":
        return None
    path = Path(output).expanduser().resolve()
    if path.is_dir():
        raise OutputError(f"{output}: is a directory; give a file name")
    for root in protected:
        if path.is_relative_to(root.resolve()):
            raise OutputError(f"{output}: refusing to write inside the data directory {root}")
    if not path.parent.is_dir():
        raise OutputError(f"{output}: folder {path.parent} does not exist")
    return path


def atomic_write(path: Path, data: bytes | str) -> None:
    """Write all of data to path or nothing: a failure leaves any previous file intact."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_output(data: bytes | str, output: str, protected: list[Path]) -> Path | None:
    """Write to stdout (`-`) or atomically to a file; returns the file written."""
    path = resolve_output(output, protected)
    if path is None:
        stream = sys.stdout.buffer
        stream.write(data.encode("utf-8") if isinstance(data, str) else data)
        stream.flush()
        return None
    atomic_write(path, data)
    return path
