"""One call from a data directory to a validated KB."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kb.paths import BUNDLED_DATA
from kb.problems import DataError, Problem
from kb.read import RawData, draft_located, read_data, read_with_draft
from kb.validate import validate

if TYPE_CHECKING:
    from kb.model import KB

DEFAULT_DATA = BUNDLED_DATA


def diagnose(data_dir: str | Path = DEFAULT_DATA) -> tuple[list[Problem], list[Problem]]:
    """(problems, warnings) of a data directory: warnings are what was read leniently (a BOM,
    CRLF line ends) and `kb fmt` rewrites."""
    raw = read_data(data_dir)
    return validate(raw), raw.warnings


def diagnose_draft(data_dir: str | Path, draft_dir: str | Path
                   ) -> tuple[list[Problem], list[Problem]]:
    """(problems, warnings) of data/ with a draft directory's rows overlaid: what the curator
    still has to fill, each draft problem naming the draft file and its line."""
    raw = read_with_draft(data_dir, draft_dir)
    return draft_located(validate(raw), draft_dir), raw.warnings


def check(data_dir: str | Path = DEFAULT_DATA) -> list[Problem]:
    """Every problem in a data directory (empty when it validates clean)."""
    return diagnose(data_dir)[0]


def load_raw(data_dir: str | Path = DEFAULT_DATA) -> tuple[KB, RawData]:
    """Read, validate and build the KB, with what was read (warnings, each file's digest);
    raise DataError listing every problem."""
    from kb.model import build_kb  # not needed to diagnose (kb validate)

    raw = read_data(data_dir)
    problems = validate(raw)
    if problems:
        raise DataError(problems)
    return build_kb(raw), raw


def load_with_warnings(data_dir: str | Path = DEFAULT_DATA) -> tuple[KB, list[Problem]]:
    """Read, validate and build the KB, with the warnings; raise DataError listing every
    problem."""
    kb, raw = load_raw(data_dir)
    return kb, raw.warnings


def load(data_dir: str | Path = DEFAULT_DATA) -> KB:
    """Read, validate and build the KB; raise DataError listing every problem."""
    return load_with_warnings(data_dir)[0]
