"""Shared fixtures: the bundled KB, fixture data dirs, a writable copy of a fixture, bad cases.

A bad-data case is ``tests/fixtures/cases/<name>/``: only the files that differ from
``tests/fixtures/minimal/`` (byte for byte), ``expected.txt`` (the exact ``kb validate``
problems, one a line) and, optionally, ``deleted.txt`` (files of minimal the case removes, one
a line). A case with ``warnings.txt`` instead of ``expected.txt`` is valid data read leniently
(as Excel saves it: a BOM, CRLF line ends), with those exact warnings. ``build_case`` writes
minimal plus that patch into a temporary directory.
"""

from __future__ import annotations

import importlib.util
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


def _bench_synth():
    spec = importlib.util.spec_from_file_location("bench_synth", ROOT / "bench" / "synth.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


synth = _bench_synth()  # bench/synth.py, the synthetic KB generator the benchmarks use


def synthetic_kb(folder: Path, n_claims: int, seed: int):
    """A synthetic KB of about n_claims claims written to folder, loaded."""
    from kb.load import load

    synth.write_synthetic(folder, n_claims, seed=seed)
    return load(folder)


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


def _label_maps() -> list[dict[str, str]]:
    """Every vocabulary's labels (the `*_LABEL` dicts of kb.vocab: code -> words)."""
    from kb import vocab

    return [v for k, v in vars(vocab).items() if k.endswith("_LABEL") and isinstance(v, dict)]


def display_words() -> set[str]:
    """What a reader may see as a value: every label, the GRADE levels and ranges, and the
    evidence categories that are words already ('not graded', 'expert opinion')."""
    from kb import vocab

    labels = {w for m in _label_maps() for w in m.values()}
    ungraded = set(vocab.Ungraded.values()) - set(vocab.CERTAINTY_LABEL)
    return labels | set(vocab.Certainty.ranges()) | ungraded


def raw_codes() -> set[str]:
    """Every vocabulary code a reader must never see as a value, header, badge or option:
    every hyphenated or snake_case value of every vocabulary, every code that differs from its
    label (case counts: 'not assessable' is the code, 'Not assessable' its label), and each
    of these written with underscores ('not_assessable', 'favours_dn'); less the codes that
    are another vocabulary's words ('moderate', a wording strength and a GRADE level)."""
    from kb import vocab

    enums = [v for v in vars(vocab).values()
             if isinstance(v, type) and issubclass(v, vocab.StrEnum) and v is not vocab.StrEnum]
    codes = {m.value for e in enums for m in e if "-" in m.value or "_" in m.value}
    codes |= {k for m in _label_maps() for k, v in m.items() if k and k != v}
    codes |= {c.replace(" ", "_").replace("-", "_") for c in codes if " " in c or "-" in c}
    return codes - display_words()


# Codes that are also plain English, allowed inside a sentence ("an add-on comparison",
# the review's own "short-term (1-12 weeks)") but never alone in a cell, badge or header.
ENGLISH = {"add-on", "short-term", "long-term"}


def text_codes() -> set[str]:
    """The raw codes that never stand in running text: hyphenated, snake_case or several
    words ('not assessable'), less ENGLISH. One-word codes ('unknown', 'function') are
    English words too, so they count only standing alone (raw_codes)."""
    return {c for c in raw_codes() - ENGLISH if "-" in c or "_" in c or " " in c}


def codes_in_text(text: str) -> list[str]:
    """The raw codes (text_codes) standing as words of their own in running text: not inside
    a URL, an id or a longer word."""
    import re

    return sorted(c for c in text_codes()
                  if re.search(r"(?<![\w/=?.-])" + re.escape(c) + r"(?![\w/-])", text))


def label_codes(label: str) -> list[str]:
    """The raw codes standing alone in a label-like text (an expander title, a badge, an
    option): its parts between ': ' and ', ' and before a trailing count '(12)'."""
    import re

    parts = re.split(r":\s+|,\s*|\s*\(\d+\)\s*$", label)
    codes = raw_codes()
    return sorted({p.strip() for p in parts if p.strip() in codes})
