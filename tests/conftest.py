"""Shared fixtures: the bundled KB, fixture data dirs, a writable copy of a fixture, bad cases.

A bad-data case is ``tests/fixtures/cases/<name>/``: only the files that differ from
``tests/fixtures/minimal/`` (byte for byte), ``expected.txt`` (the exact ``kb validate``
problems, one a line) and, optionally, ``deleted.txt`` (files of minimal the case removes, one
a line). A case with ``warnings.txt`` instead of ``expected.txt`` is valid data read leniently
(as Excel saves it: a BOM, CRLF line ends), with those exact warnings. ``build_case`` writes
minimal plus that patch into a temporary directory.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"
MINIMAL = FIXTURES / "minimal"
CASES_DIR = FIXTURES / "cases"
CASE_META = ("expected.txt", "deleted.txt", "warnings.txt")  # describe a case; never data
CASES = sorted(p.name for p in CASES_DIR.iterdir() if (p / "expected.txt").is_file())
WARNING_CASES = sorted(p.name for p in CASES_DIR.iterdir() if (p / "warnings.txt").is_file())


def case_patch(name: str) -> list[Path]:
    """The data files a case puts over minimal (everything in its folder but the meta files)."""
    return sorted(p for p in (CASES_DIR / name).iterdir()
                  if p.is_file() and p.name not in CASE_META)


def case_deleted(name: str) -> list[str]:
    """The files of minimal a case removes, from its optional deleted.txt."""
    listing = CASES_DIR / name / "deleted.txt"
    if not listing.exists():
        return []
    return [line.strip() for line in listing.read_text().splitlines() if line.strip()]


def case_expected(name: str) -> list[str]:
    """The exact problems `kb validate` reports for a case, one a line."""
    return (CASES_DIR / name / "expected.txt").read_text().splitlines()


def case_warnings(name: str) -> list[str]:
    """The exact warnings `kb validate` gives for a valid, leniently read case."""
    return (CASES_DIR / name / "warnings.txt").read_text().splitlines()


def build_case(name: str, parent: Path) -> Path:
    """Write case `name` (minimal, its patch files over it, its deleted files gone) into
    parent/name and return that directory."""
    if name not in CASES and name not in WARNING_CASES:
        raise ValueError(f"no bad-data case {name!r} under {CASES_DIR}")
    target = parent / name
    shutil.copytree(MINIMAL, target)
    for patch in case_patch(name):
        shutil.copyfile(patch, target / patch.name)  # bytes exactly: BOM, CRLF, non-UTF-8
    for deleted in case_deleted(name):
        (target / deleted).unlink()
    return target


@pytest.fixture(scope="session")
def kb():
    """The bundled knowledge base, loaded once."""
    from kb.load import load

    return load(ROOT / "data")


@pytest.fixture(scope="session")
def minimal():
    """The smallest valid fixture KB."""
    from kb.load import load

    return load(FIXTURES / "minimal")


@pytest.fixture
def data_copy(tmp_path):
    """A writable copy of a fixture dataset: data_copy('minimal') -> Path."""

    def copy(name: str = "minimal") -> Path:
        target = tmp_path / name
        shutil.copytree(FIXTURES / name, target)
        return target

    return copy


@pytest.fixture
def bad_case(tmp_path):
    """A bad-data case built into a temporary directory: bad_case('vocab_typo') -> Path."""
    return lambda name: build_case(name, tmp_path)


@pytest.fixture(scope="session", autouse=True)
def isolated_cache(tmp_path_factory):
    """The BibTeX parse cache lives in a temporary folder during tests."""
    import os

    previous = os.environ.get("KB_CACHE_DIR")
    os.environ["KB_CACHE_DIR"] = str(tmp_path_factory.mktemp("kb-cache"))
    yield
    if previous is None:
        os.environ.pop("KB_CACHE_DIR", None)
    else:
        os.environ["KB_CACHE_DIR"] = previous


def raw_codes() -> set[str]:
    """Every hyphenated or snake_case vocabulary code, from the vocabulary's one home: what a
    reader must never see as a value, header or badge."""
    from kb import vocab

    enums = [v for v in vars(vocab).values()
             if isinstance(v, type) and issubclass(v, vocab.StrEnum) and v is not vocab.StrEnum]
    return {m.value for e in enums for m in e if "-" in m.value or "_" in m.value}


# Codes that are also plain English, allowed inside a sentence ("an add-on comparison",
# the review's own "short-term (1-12 weeks)") but never alone in a cell, badge or header.
ENGLISH = {"add-on", "short-term", "long-term"}


def codes_in_text(text: str) -> list[str]:
    """The raw codes (less ENGLISH) standing as words of their own in running text: not inside
    a URL, an id or a longer word."""
    import re

    return sorted(c for c in raw_codes() - ENGLISH
                  if re.search(r"(?<![\w/=?.-])" + re.escape(c) + r"(?![\w/-])", text))
