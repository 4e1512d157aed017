"""A bounded fuzz run over the loaders: mutated bytes of minimal's references.bib and CSV
tables go through read, parse and validate. Nothing may raise, every problem is located, and
no message carries a control character or more than a short excerpt of the input.

`make fuzz` (and CI, through `.ci/run`) runs it with KB_FUZZ_EXAMPLES=400 and fresh random
seeds under a time limit; the default test run does 15 examples per target, derandomised."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from conftest import MINIMAL
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kb.load import check
from kb.problems import EXCERPT, Problem

EXAMPLES = int(os.environ.get("KB_FUZZ_EXAMPLES", "15"))
BOUNDED = settings(max_examples=EXAMPLES, deadline=None, derandomize=not os.environ.get(
    "KB_FUZZ_RANDOM"), suppress_health_check=[HealthCheck.function_scoped_fixture,
                                              HealthCheck.too_slow])
TARGETS = ["references.bib", "conditions.csv", "findings.csv", "claims.csv"]
# Bytes that break BibTeX and CSV structure, encodings and terminals.
NASTY = [b"{", b"}", b'"', b",", b";", b"\n", b"\r", b"\x00", b"\x1b[2J", b"@", b"#", b"=",
         b"\xef\xbb\xbf", b"\xff\xfe", b"\xe9", "\u200b".encode(), "\u202e".encode(),
         b"inf", b"nan", b"-", b" ", b"@string{x = {y}}", b"%"]


@st.composite
def mutated(draw, original: bytes) -> bytes:
    """original with a few insertions, deletions and replacements at random offsets."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        piece = draw(st.one_of(st.sampled_from(NASTY), st.binary(min_size=1, max_size=4)))
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        if action == "insert":
            data[at:at] = piece
        elif action == "delete":
            del data[at:at + draw(st.integers(1, 20))]
        else:
            data[at:at + len(piece)] = piece
    return bytes(data)


def assert_safe(problems: list[Problem]) -> None:
    for problem in problems:
        assert isinstance(problem, Problem) and problem.line >= 0
        text = str(problem)
        assert text.isprintable(), text
        assert len(problem.field) <= EXCERPT + 1, problem.field


@pytest.mark.parametrize("target", TARGETS)
def test_mutated_file_loads_or_gives_located_safe_problems(target):
    original = (MINIMAL / target).read_bytes()
    root = Path(tempfile.mkdtemp(prefix="kb-fuzz-"))
    data = root / "data"
    shutil.copytree(MINIMAL, data)

    @BOUNDED
    @given(mutated(original))
    @example("\u200b".encode() + original)  # CI's find: a zero-width space before the header
    def run(contents: bytes) -> None:
        (data / target).write_bytes(contents)
        assert_safe(check(data))

    try:
        run()
    finally:
        shutil.rmtree(root)
