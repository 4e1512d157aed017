"""Safe output: write to a temporary file beside the target, then rename it into place."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO


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


def current_umask() -> int:
    """The process umask, read without changing it where Linux shows it (os.umask() sets it,
    briefly, for every thread)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def umask_mode(directory: bool = False) -> int:
    """The mode a new file (0666) or folder (0777) gets under the user's umask: 0644 or 0755 under
    umask 022. mkstemp and mkdtemp create 0600 and 0700, so atomic writes set this."""
    return (0o777 if directory else 0o666) & ~current_umask()


@contextlib.contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """A binary handle on a temporary file beside path, renamed into place on success.

    A failure (or a kill) before the rename leaves any previous file at path intact. The file
    gets the user's umask (0644 under umask 022), as a plain `open` would give it."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, umask_mode())
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write(path: Path, data: bytes | str) -> None:
    """Write all of data to path or nothing."""
    with atomic_writer(path) as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)


def write_output(data: bytes | str | Callable[[BinaryIO], None], output: str,
                 protected: list[Path]) -> Path | None:
    """Write to stdout (`-`) or atomically to a file; returns the file written.

    `data` is bytes, text, or a function that streams into a binary handle."""
    path = resolve_output(output, protected)
    write = data if callable(data) else lambda handle: handle.write(
        data.encode("utf-8") if isinstance(data, str) else data)
    if path is None:
        write(sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return None
    with atomic_writer(path) as handle:
        write(handle)
    return path
