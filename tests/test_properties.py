"""Property tests: any input loads or yields located problems; exports round-trip unchanged."""

from __future__ import annotations

import io
import json
import os
import re
from unittest import mock

import bibtexparser
import pandas as pd
import pyarrow.parquet as pq
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kb.catalog import table_bytes
from kb.export import neutralise
from kb.parse import CONTROL, NONCHARACTER, Parsed, _unusual, decode, parse_bibtex, parse_csv
from kb.problems import Problem
from kb.schema import CLAIMS, CONDITIONS, NUMBER
from kb.validate import INVISIBLE, _name_problem, check_authors

EXAMPLES = int(os.environ.get("KB_HYPOTHESIS_EXAMPLES", "150"))
FAST = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
CSV_CHARS = st.sampled_from(list('abc,;"\n\r\t -=@+01é\u00a0\x00'))
FORMULA_CHARS = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet runs a cell starting so
BIB_CHARS = st.sampled_from(list('@article{}=,"\n abc12%#\\'))


UNUSUAL_CHARS = st.sampled_from(list("aé\t\n\r\x00\x1f\x7f\x80\x9f\xa0\u0100\ufdcf\ufdd0"
                                     "\ufdef\ufdf0\ufffd\ufffe\uffff\U0001f600"))


@FAST
@given(st.text(UNUSUAL_CHARS, max_size=12))
def test_the_byte_prefilter_finds_every_control_and_non_character(text):
    """decode skips its character searches when _unusual says the bytes cannot hold one."""
    assert _unusual(text.encode()) == bool(CONTROL.search(text) or NONCHARACTER.search(text))


def assert_located(problems: list[Problem], file: str) -> None:
    for problem in problems:
        assert isinstance(problem, Problem) and problem.file == file
        assert problem.line >= 0 and problem.field and problem.message


@FAST
@given(st.binary(max_size=300))
def test_any_bytes_decode_or_give_a_located_problem(data):
    text, problems = decode(data, "x.csv")
    assert (text is None) == bool(problems)
    assert_located(problems, "x.csv")


@FAST
@given(st.text(CSV_CHARS, max_size=200))
def test_any_text_as_csv_parses_or_gives_located_problems(body):
    header = ",".join(CONDITIONS.column_names)
    parsed = parse_csv(header + "\n" + body, CONDITIONS, "conditions.csv")
    assert_located(parsed.problems, "conditions.csv")
    assert list(parsed.frame.columns) == CONDITIONS.column_names
    assert len(parsed.lines) == len(parsed.frame)


def _cell(text: str, quoted: bool) -> str:
    return '"' + text.replace('"', '""') + '"' if quoted else text


ROWS = st.lists(st.lists(st.builds(_cell, st.text(CSV_CHARS, max_size=8), st.booleans()),
                         min_size=len(CONDITIONS.column_names),
                         max_size=len(CONDITIONS.column_names)), max_size=5)
CSV_BODIES = st.one_of(st.text(CSV_CHARS, max_size=200),
                       ROWS.map(lambda rows: "\n".join(",".join(row) for row in rows)))


@FAST
@given(CSV_BODIES)
def test_the_pyarrow_reader_gives_what_the_pandas_reader_gives(body):
    """parse_csv reads with pyarrow and falls back to pandas, which names each bad row."""
    text = ",".join(CONDITIONS.column_names) + "\n" + body
    fast = parse_csv(text, CONDITIONS, "conditions.csv")
    with mock.patch("kb.parse._arrow_frame", return_value=None):
        slow = parse_csv(text, CONDITIONS, "conditions.csv")
    pd.testing.assert_frame_equal(fast.frame, slow.frame)
    assert fast.lines.tolist() == slow.lines.tolist() and fast.problems == slow.problems


@FAST
@given(st.text(CSV_CHARS, max_size=200))
def test_any_text_as_whole_csv_file(text):
    parsed = parse_csv(text, CLAIMS, "claims.csv")
    assert_located(parsed.problems, "claims.csv")


@FAST
@given(st.text(BIB_CHARS, max_size=200))
def test_any_text_as_bibtex_parses_or_gives_located_problems(text):
    parsed = parse_bibtex(text, "references.bib")
    assert_located(parsed.problems, "references.bib")
    assert len(parsed.lines) == len(parsed.frame)


CELL = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"),
               max_size=30)


@FAST
@given(st.lists(st.tuples(CELL, CELL), min_size=1, max_size=8))
def test_tables_round_trip_through_parquet_and_json(rows):
    frame = pd.DataFrame(rows, columns=["a", "b"]).astype("string")
    back = pq.read_table(io.BytesIO(table_bytes(frame, "parquet"))).to_pandas()
    assert back.astype("string").equals(frame.replace("", pd.NA))  # empty is null
    records = json.loads(table_bytes(frame, "json"))
    assert [[r["a"], r["b"]] for r in records] == [list(r) for r in rows]


SAFE_CELL = st.text(st.characters(whitelist_categories=("L", "N", "Zs"),
                                  whitelist_characters=",;\"'\n"), max_size=30)


@FAST
@given(st.lists(st.tuples(SAFE_CELL, SAFE_CELL), min_size=1, max_size=8))
def test_tables_round_trip_through_csv(rows):
    frame = pd.DataFrame(rows, columns=["a", "b"]).astype("string")
    text = table_bytes(frame, "csv").decode("utf-8")
    back = pd.read_csv(io.StringIO(text), dtype="string", keep_default_na=False)
    assert back.equals(frame)


def test_bibliography_round_trips_through_bibtex(kb):
    """Every value comes back once LaTeX-decoded, under its biblatex field name."""
    from bibtexparser.middlewares import LatexDecodingMiddleware

    from kb.catalog import bibliography as export_bibliography

    library = bibtexparser.parse_string(export_bibliography(kb, "bibtex"),
                                        append_middleware=[LatexDecodingMiddleware()])
    back = {e.key: {k: str(f.value) for k, f in e.fields_dict.items()} for e in library.entries}
    moved = {"note": "annotation", "pmid": "eprint", "pmcid": "annotation",
             "evidencetype": "keywords", "verification": "keywords"}
    for row in kb.references.to_dict("records"):
        fields = {k: v for k, v in row.items() if k not in ("reference_id", "entry_type") and v}
        out = back[row["reference_id"]]
        for name, value in fields.items():
            if name == "publisher" and row["entry_type"] != "book":
                assert value in (out.get("organization"), out.get("annotation", "")[-200:]
                                 .removeprefix("Publisher: ")) or value in out["annotation"]
            elif name == "year" and "date" in fields:
                assert out["date"].startswith(value)
            elif name == "number" and row["entry_type"] == "misc":
                assert out["howpublished"] == value  # biblatex's misc has no number
            else:
                assert value in out[moved.get(name, name)], (row["reference_id"], name)


AUTHOR_CHARS = st.sampled_from(list("ab ,,,~{}\\\tand\nAND"))


@FAST
@given(st.lists(st.text(AUTHOR_CHARS, max_size=24), min_size=1, max_size=4))
@example(["Doe, J, Jr, X", "Doe, J, Jr and Roe, R", "Roe, R,  and Doe, J", "Roe, R, ~"])
@example(["Doe, J and Roe, R and Poe, P", "Doe, J, Jr\tAND\nRoe, R, X, Y", "Doe, J andRoe, R, X"])
def test_the_author_prefilter_keeps_every_list_bibtexparser_cannot_split(authors):
    """check_authors sends only doubtful lists to bibtexparser's splitter; its verdicts are
    the splitter's on every list."""
    assert_author_verdicts(authors)


NAMES = st.text(st.sampled_from(list("ab ,,~{}\\\t")), max_size=10)
SEPARATORS = st.sampled_from([" and ", " AND ", "\tand\n", "  and  ", " and", "and "])


@FAST
@given(st.lists(st.tuples(st.lists(NAMES, min_size=1, max_size=4), SEPARATORS).map(
    lambda names: names[1].join(names[0])), min_size=1, max_size=4))
def test_the_author_prefilter_agrees_on_lists_of_several_names(authors):
    """Names joined by 'and' (the prefilter counts commas per name) get the splitter's
    verdict."""
    assert_author_verdicts(authors)


def assert_author_verdicts(authors: list[str]) -> None:
    frame = pd.DataFrame({"author": pd.Series(authors, dtype="string")})
    parsed = Parsed(frame, pd.Series(range(1, len(authors) + 1), dtype="int64"), [])
    found = {p.line: p.message for p in check_authors(parsed)}
    for line, author in enumerate(authors, start=1):
        reason = _name_problem(author) if author.strip(INVISIBLE) else ""
        assert (reason in found.get(line, "")) if reason else line not in found


@FAST
@given(st.lists(st.text(st.sampled_from(list("=+-@\t\r.e1٣a '")), max_size=6), min_size=1,
                max_size=5))
def test_neutralise_prefixes_exactly_the_formula_cells_that_are_not_numbers(cells):
    """The Arrow check agrees with Python's: a cell starting like a formula gets a `'`,
    unless the whole cell is a number (ASCII digits only)."""
    out = neutralise(pd.DataFrame({"c": pd.Series(cells, dtype="string")}))["c"].tolist()
    for cell, written in zip(cells, out, strict=True):
        formula = cell.startswith(FORMULA_CHARS) and not re.fullmatch(NUMBER, cell)
        assert written == ("'" + cell if formula else cell)


def test_a_long_first_row_is_reported_even_when_the_separators_add_up():
    """CI's fuzz find: a first row longer than the header and a short row after it. pandas
    took the long row's extra fields as the index and the comma count came out right."""
    header = ",".join(CONDITIONS.column_names)
    text = f"{header}\nback-pain,Back pain,,back,,,,x,,y,,,\n{{"
    parsed = parse_csv(text, CONDITIONS, "conditions.csv")
    assert [(p.line, p.message) for p in parsed.problems] == [
        (2, "row has 13 fields, header has 7"), (3, "row has 1 fields, header has 7")]
    assert parsed.frame.empty
