"""Fuzz the BibTeX and CSV loaders with atheris (coverage-guided).

    pip install atheris
    python bench/fuzz.py bibtex -atheris_runs=20000
    python bench/fuzz.py csv -atheris_runs=20000

Any exception other than a located Problem is a crash: atheris stops and writes the input to a
crash-* file, which then becomes a case under tests/fixtures/cases/ (the crash input as the
one file that differs from tests/fixtures/minimal/, plus its expected.txt).
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from kb.parse import decode, parse_bibtex, parse_csv
    from kb.schema import CLAIMS


def fuzz_bibtex(data: bytes) -> None:
    text, _ = decode(data, "references.bib")
    if text is not None:
        parse_bibtex(text, "references.bib")


def fuzz_csv(data: bytes) -> None:
    text, _ = decode(b"claim_id,source_id,section,statement,quote,reference_ids,"
                     b"citation_scope,condition_ids,topic,wording_strength\n" + data, "claims.csv")
    if text is not None:
        parse_csv(text, CLAIMS, "claims.csv")


if __name__ == "__main__":
    target = {"bibtex": fuzz_bibtex, "csv": fuzz_csv}[sys.argv.pop(1)]
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()
