"""references.bib parsed on every core equals one process's parse, line numbers included."""

from __future__ import annotations

import pytest
from conftest import CASES_DIR, ROOT, synth

from kb import parse
from kb.parse import parse_bibtex, split_entries


@pytest.fixture(scope="module")
def big_bib(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("synth") / "data"
    synth.write_synthetic(out, 4000, seed=2)
    return (out / "references.bib").read_text()


@pytest.fixture
def parallel(monkeypatch):
    monkeypatch.setattr(parse, "PARALLEL_MIN_BYTES", 0)


def _same(a, b) -> None:
    assert a.frame.equals(b.frame)
    assert a.lines.tolist() == b.lines.tolist()
    assert [vars(p) for p in a.problems] == [vars(p) for p in b.problems]


def test_chunks_are_whole_entries_with_their_line_offsets(big_bib):
    chunks = split_entries(big_bib, 4)
    assert len(chunks) == 4 and "".join(c for c, _ in chunks) == big_bib
    for chunk, first in chunks:
        assert chunk.startswith("@") or first == 0
        assert big_bib.splitlines()[first] == chunk.splitlines()[0]


def test_parallel_parse_equals_one_process(big_bib, parallel):
    one = parse_bibtex(big_bib, "references.bib", workers=1)
    _same(parse_bibtex(big_bib, "references.bib", workers=2), one)
    bundled = (ROOT / "data" / "references.bib").read_text()
    _same(parse_bibtex(bundled, "references.bib", workers=2),
          parse_bibtex(bundled, "references.bib", workers=1))


def test_an_error_in_a_late_chunk_names_its_line(big_bib, parallel):
    lines = big_bib.splitlines(keepends=True)
    target = max(i for i, line in enumerate(lines) if line.lstrip().startswith("doi"))
    lines[target] = lines[target].replace("doi", "doi = {10.1/x},\n  doi", 1)
    text = "".join(lines)
    assert len(split_entries(text, 4)) == 4
    found = parse_bibtex(text, "references.bib", workers=2).problems
    assert found and found == parse_bibtex(text, "references.bib", workers=1).problems
    entry = max(i for i in range(target + 1) if lines[i].startswith("@"))
    assert found[0].line == entry + 1 and "appears more than once" in found[0].message


def test_a_key_repeated_across_chunks_parses_as_in_one_process(big_bib, parallel):
    first = big_bib.index("\n@") + 1
    text = big_bib + big_bib[first:big_bib.index("\n@", first) + 1]  # entry 1 again, at the end
    _same(parse_bibtex(text, "references.bib", workers=2),
          parse_bibtex(text, "references.bib", workers=1))
    problems = parse_bibtex(text, "references.bib", workers=2).problems
    assert [p.message for p in problems] == ["duplicate BibTeX key 'ref-000'"]
    assert problems[0].line == text.count("\n", 0, text.rindex("@")) + 1


@pytest.mark.parametrize("case", ["bib_missing_brace", "bib_undefined_macro"])
def test_broken_files_parse_as_in_one_process(case, parallel):
    text = (CASES_DIR / case / "references.bib").read_text()
    _same(parse_bibtex(text, "references.bib", workers=2),
          parse_bibtex(text, "references.bib", workers=1))


def test_plain_and_checked_values_read_alike():
    """A braced value with no brace or quote inside is taken whole at once; the others go
    through the field-by-field checks, with the same results as before."""
    text = ("@misc{k1, title = {A {B} C}, note = {plain}, year = 2020, pages = \"1--2\",\n"
            "  journal = {a \"q\" b}, volume = {  7  }}\n"
            "@Article{k2,\n  title = {x\"}\n  note = {y}}\n")
    parsed = parse_bibtex(text, "references.bib", workers=1)
    first = parsed.frame.iloc[0]
    assert (first["title"], first["note"], first["year"], first["pages"]) == (
        "A {B} C", "plain", "2020", "1--2")
    assert (first["journal"], first["volume"], first["author"]) == ('a "q" b', "  7  ", "")
    assert parsed.frame["entry_type"].tolist() == ["misc", "article"]
    assert [(p.line, p.field) for p in parsed.problems] == [(4, "title")]
    assert "runs into the next field" in parsed.problems[0].message
