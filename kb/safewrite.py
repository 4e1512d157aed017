"""Safe output: write to a temporary file beside the target, then rename it into place.

Only regular files (or new paths) are replaced. stdout (`-`), a FIFO, a character or block
device (`/dev/null`, a terminal) is streamed to directly: renaming a file over a device node
would replace the device itself."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

TEMP_SUFFIX = ".tmp"
TEMP_RANDOM = 8  # mkstemp's random part
NAME_MAX = 255


class OutputError(Exception):
    """An output path that must not be written."""


def is_stream(path: Path) -> bool:
    """True when path exists and is not a regular file or a directory (FIFO, device, socket)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def protected_root(path: Path, protected: Iterable[Path]) -> Path | None:
    """The protected folder (a data directory) that `path` lies in, or None."""
    resolved = path.expanduser().resolve()
    return next((root for root in protected if resolved.is_relative_to(root.resolve())), None)


def resolve_output(output: str, protected: list[Path]) -> Path | None:
    """The file to write, or None for stdout (`-`). Refuses directories and data/.

    A FIFO or device is returned as given (not resolved: /dev/stdout resolves to a pipe that
    has no name), to be streamed to."""
    if output == "-":
        return None
    given = Path(output).expanduser()
    if len(given.name.encode("utf-8", "surrogateescape")) > NAME_MAX:
        raise OutputError(f"{output}: file name is longer than {NAME_MAX} bytes")
    path = given.resolve()
    root = protected_root(path, protected)
    if root is not None:
        raise OutputError(f"{output}: refusing to write inside the data directory {root}")
    if is_stream(given):
        return given.absolute()
    if path.is_dir():
        raise OutputError(f"{output}: is a directory; give a file name")
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


def _temp_prefix(name: str) -> str:
    """`.name.`, shortened so that prefix, random part and suffix fit in NAME_MAX bytes."""
    room = NAME_MAX - len(TEMP_SUFFIX) - TEMP_RANDOM - 2
    encoded = name.encode("utf-8", "surrogateescape")[:room]
    return "." + encoded.decode("utf-8", "ignore") + "."


@contextlib.contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """A binary handle on a temporary file beside path, renamed into place on success.

    A failure (or a kill) before the rename leaves any previous file at path intact. The file
    gets the user's umask (0644 under umask 022), as a plain `open` would give it."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=_temp_prefix(path.name),
                               suffix=TEMP_SUFFIX)
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


def os_error_message(err: OSError, output: str) -> str:
    """One line naming what the operating system refused."""
    reasons = {errno.ENOSPC: "no space left on the device",
               errno.EFBIG: "file too large for the device",
               errno.EACCES: "permission denied",
               errno.EPERM: "operation not permitted",
               errno.EROFS: "read-only file system",
               errno.ENAMETOOLONG: "file name too long",
               errno.EDQUOT: "disk quota exceeded"}
    reason = reasons.get(err.errno, err.strerror or type(err).__name__)
    return f"{output}: cannot write: {reason}; nothing was written"


def write_output(data: bytes | str | Callable[[BinaryIO], None], output: str,
                 protected: list[Path]) -> Path | None:
    """Write to stdout (`-`), straight into a FIFO or device, or atomically to a file;
    returns the regular file written (None for a stream).

    `data` is bytes, text, or a function that streams into a binary handle. An OSError
    becomes an OutputError with a one-line message; the previous file is left intact."""
    path = resolve_output(output, protected)
    write = data if callable(data) else lambda handle: handle.write(
        data.encode("utf-8") if isinstance(data, str) else data)
    try:
        if path is None:
            write(sys.stdout.buffer)
            sys.stdout.buffer.flush()
            return None
        if is_stream(path):
            with open(path, "wb") as handle:
                write(handle)
            return None
        with atomic_writer(path) as handle:
            write(handle)
    except BrokenPipeError:
        raise
    except OSError as err:
        raise OutputError(os_error_message(err, output)) from err
    return path


def write_directory(out_dir: Path, files: dict[str, bytes | str],
                    replaceable: Callable[[Path], bool] | None = None,
                    refusal: str = "exists and is not an empty folder; choose a new one") -> Path:
    """Write files (name -> content) as the folder out_dir, all or nothing: they are written
    into a temporary folder beside it, which is then renamed into place. An existing folder is
    refused (with `refusal`) unless it is empty or `replaceable(out_dir)` says it holds an
    earlier output of the same kind; a replaced folder is restored if the rename fails."""
    import shutil

    out_dir = Path(out_dir).expanduser().resolve()
    if not out_dir.parent.is_dir():
        raise OutputError(f"{out_dir}: folder {out_dir.parent} does not exist")
    if out_dir.exists() and not (out_dir.is_dir() and (
            not any(out_dir.iterdir()) or (replaceable is not None and replaceable(out_dir)))):
        raise OutputError(f"{out_dir}: {refusal}")
    tmp = Path(tempfile.mkdtemp(dir=out_dir.parent, prefix=_temp_prefix(out_dir.name),
                                suffix=TEMP_SUFFIX))
    old = out_dir.parent / f"{tmp.name}.old"
    try:
        tmp.chmod(umask_mode(directory=True))  # mkdtemp gives 0700; others on a shared drive read
        for name, data in files.items():
            (tmp / name).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
            (tmp / name).chmod(umask_mode())
        if out_dir.exists():
            out_dir.rename(old)
        tmp.rename(out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old.exists() and not out_dir.exists():
            old.rename(out_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)
    return out_dir
