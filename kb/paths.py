"""Where data lives, and the environment variables, each validated in one place.

`KB_DATA_DIR` (data directory), `KB_MAX_FILE_MB` (largest input file, a whole number of MB)
and `KB_CACHE_DIR` (parsed-BibTeX cache, or `off`). A bad value is an EnvError with a message
that names the variable and what it accepts; the CLI and the app check them once, up front."""

from __future__ import annotations

import os
import re
from pathlib import Path

BUNDLED_DATA = Path(__file__).resolve().parent.parent / "data"
DATA_ENV = "KB_DATA_DIR"
MAX_FILE_ENV = "KB_MAX_FILE_MB"
CACHE_ENV = "KB_CACHE_DIR"
DEFAULT_MAX_FILE_MB = 150


class EnvError(ValueError):
    """An environment variable or data directory that cannot be used."""


def _shown(value: str) -> str:
    """A short, printable rendering of a user-supplied value."""
    short = value if len(value) <= 200 else value[:199] + "…"
    return repr(short)


def data_dir(given: str | Path | None = None) -> Path:
    """The data directory: `given` (--data), else $KB_DATA_DIR, else the bundled data/.

    Raises EnvError when it does not exist or is not a directory."""
    if given:
        source, value = "--data", str(given)
    elif os.environ.get(DATA_ENV):
        source, value = DATA_ENV, os.environ[DATA_ENV]
    else:
        return BUNDLED_DATA
    path = Path(value).expanduser()
    if not path.exists():
        raise EnvError(f"{source}={_shown(value)}: no such directory; point it at a data "
                       "directory (or unset it for the bundled data)")
    if not path.is_dir():
        raise EnvError(f"{source}={_shown(value)}: not a directory; point it at a data "
                       "directory (or unset it for the bundled data)")
    return path


def max_file_bytes() -> int:
    """$KB_MAX_FILE_MB in bytes: a whole number of megabytes, 1 or more (default 150)."""
    value = os.environ.get(MAX_FILE_ENV, "").strip()
    if not value:
        return DEFAULT_MAX_FILE_MB * 1024 * 1024
    if not re.fullmatch(r"[0-9]{1,7}", value) or int(value) < 1:
        raise EnvError(f"{MAX_FILE_ENV}={_shown(value)}: give a whole number of megabytes, "
                       f"1 or more (default {DEFAULT_MAX_FILE_MB})")
    return int(value) * 1024 * 1024


def cache_dir() -> Path | None:
    """$KB_CACHE_DIR, else ~/.cache/dn-evidence-kb; `off` disables the cache."""
    value = os.environ.get(CACHE_ENV, "")
    if value == "off":
        return None
    path = Path(value).expanduser() if value else Path.home() / ".cache" / "dn-evidence-kb"
    if value and path.exists() and not path.is_dir():
        raise EnvError(f"{CACHE_ENV}={_shown(value)}: not a directory; give a folder for "
                       "the BibTeX cache, or 'off'")
    return path


def check_environment(given: str | Path | None = None) -> list[str]:
    """Every problem with the environment and the data directory, as messages."""
    problems = []
    for check in (lambda: data_dir(given), max_file_bytes, cache_dir):
        try:
            check()
        except EnvError as err:
            problems.append(str(err))
    return problems
