"""`kb fmt`: the files of data/ rewritten in their canonical form, the only writer into data/.

Canonical is UTF-8 without a byte-order mark, LF line ends and a final newline: what the reader
expects. Excel saves CSV with a BOM and CRLF line ends; the reader accepts both with a warning,
and this rewrites them away. Nothing else in a file changes, and each file is replaced
atomically (kb.safewrite), so a failure leaves it as it was. Runs only when the user asks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kb.parse import BOM, UTF16_BOMS, excel_forms
from kb.read import read_bytes
from kb.safewrite import atomic_write
from kb.schema import DATA_FILES


@dataclass(frozen=True)
class Rewrite:
    """One data file that is not in canonical form, and what canonical form changes in it."""

    file: str
    changes: tuple[str, ...]
    data: bytes  # the canonical bytes


def canonical(data: bytes, file: str) -> tuple[bytes, tuple[str, ...]]:
    """A file's bytes in canonical form, and a short note for each change. UTF-16 is left
    as it is (the validator names it; converting an encoding is the curator's call)."""
    if data.startswith(UTF16_BOMS):
        return data, ()
    changes = (("byte-order mark removed",) if data.startswith(BOM) else ()) + (
        ("LF line ends",) if b"\r" in data else ())
    data, _ = excel_forms(data, file)
    if data and not data.endswith(b"\n"):
        data += b"\n"
        changes += ("final newline",)
    return data, changes


def rewrites(root: Path) -> tuple[list[Rewrite], list[str]]:
    """The files of a data directory that canonical form changes, and the files it cannot
    read (missing, a link, too large), as messages. Reads only."""
    found, skipped = [], []
    for file in DATA_FILES:
        path = root / file
        if not path.exists() and not path.is_symlink():
            continue
        if path.is_symlink():
            skipped.append(f"{file}: is a link; left as it is")
            continue
        data, problems = read_bytes(path, root=root)
        if data is None:
            skipped.extend(str(p) for p in problems)
            continue
        fixed, changes = canonical(data, file)
        if changes:
            found.append(Rewrite(file, changes, fixed))
    return found, skipped


def apply(root: Path, found: list[Rewrite]) -> None:
    """Write each rewrite into place, atomically, keeping the file's permission bits."""
    for rewrite in found:
        path = root / rewrite.file
        mode = path.stat().st_mode & 0o7777
        atomic_write(path, rewrite.data)
        path.chmod(mode)
