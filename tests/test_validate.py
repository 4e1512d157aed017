"""Each bad-data fixture produces exactly its expected, located problems."""

from __future__ import annotations

import pytest
from conftest import (
    CASE_META,
    CASES,
    CASES_DIR,
    FIXTURES,
    MINIMAL,
    ROOT,
    WARNING_CASES,
    build_case,
    case_deleted,
    case_expected,
    case_patch,
    case_warnings,
)

from kb.load import check, diagnose, load
from kb.problems import DataError


def test_bundled_data_validates_clean():
    assert check(ROOT / "data") == []


def test_minimal_fixture_validates_clean():
    assert check(FIXTURES / "minimal") == []


@pytest.mark.parametrize("name", CASES)
def test_bad_fixture_gives_exact_problems(name, tmp_path):
    case = build_case(name, tmp_path)
    expected = case_expected(name)
    assert [str(p) for p in check(case)] == expected


@pytest.mark.parametrize("name", WARNING_CASES)
def test_excel_saved_case_is_valid_with_exact_warnings_and_the_same_kb(name, tmp_path,
                                                                        minimal):
    """A BOM and CRLF line ends (as Excel saves CSV) are read leniently: no problem, the
    exact warnings, and the very KB the canonical files give."""
    case = build_case(name, tmp_path)
    problems, warnings = diagnose(case)
    assert problems == []
    assert [str(w) for w in warnings] == case_warnings(name)
    loaded = load(case)
    for table in ("claims", "references", "findings", "conditions", "sources"):
        assert getattr(loaded, table).equals(getattr(minimal, table)), table


def test_every_case_is_bad_or_lenient_not_both():
    for folder in CASES_DIR.iterdir():
        metas = [(folder / m).is_file() for m in ("expected.txt", "warnings.txt")]
        assert sum(metas) == 1, f"{folder.name}: give expected.txt or warnings.txt"
    assert {"bom", "crlf", "excel_saved"} <= set(WARNING_CASES)


@pytest.mark.parametrize("name", CASES + WARNING_CASES)
def test_case_holds_only_what_differs_from_minimal(name):
    """A case is minimal plus a patch: no copies of minimal's files creep back in."""
    folder = CASES_DIR / name
    meta = "expected.txt" if name in CASES else "warnings.txt"
    assert (folder / meta).read_text().strip(), f"{name}: {meta} is empty"
    assert all(p.is_file() for p in folder.iterdir()), f"{name}: no subfolders in a case"
    patch, deleted = case_patch(name), case_deleted(name)
    assert patch or deleted, f"{name}: changes nothing in minimal"
    for path in patch:
        original = MINIMAL / path.name
        assert not (original.exists() and original.read_bytes() == path.read_bytes()), (
            f"{name}/{path.name} is identical to minimal's; delete it from the case")
    for file in deleted:
        assert (MINIMAL / file).is_file(), f"{name}: deleted.txt names {file}, not in minimal"
        assert file not in {p.name for p in patch}, f"{name}: {file} both patched and deleted"
        assert file not in CASE_META


def test_built_case_is_minimal_plus_its_patch(tmp_path):
    built = build_case("missing_file", tmp_path)
    assert not (built / "claims.csv").exists() and not (built / "deleted.txt").exists()
    built = build_case("bom", tmp_path)
    assert (built / "conditions.csv").read_bytes() == (CASES_DIR / "bom" / "conditions.csv"
                                                       ).read_bytes()
    assert (built / "claims.csv").read_bytes() == (MINIMAL / "claims.csv").read_bytes()
    assert sorted(p.name for p in built.iterdir()) == sorted(p.name for p in MINIMAL.iterdir())


def test_bad_data_lives_only_in_cases():
    assert not [p.name for p in FIXTURES.glob("bad_*")], "move bad data into fixtures/cases/"


def test_every_scenario_has_a_fixture():
    names = set(CASES)
    assert {"unknown_reference", "unknown_condition", "duplicate_id", "vocab_typo",
            "bib_missing_brace", "doi_with_space", "claim_without_source",
            "finding_without_certainty", "restates_cycle", "javascript_url", "non_utf8",
            "unterminated_quote", "ragged_row", "missing_file",
            # round two (issue 14)
            "bib_undefined_macro", "bib_concatenation", "bib_key_space", "bib_key_semicolon",
            "bib_key_formula", "bib_key_zero_width", "bib_unknown_type", "bib_date_not_iso",
            "csv_nul_byte", "utf16_file", "required_invisible", "list_spaces", "number_inf",
            "number_nan", "count_negative", "count_fractional", "ci_reversed",
            "effect_outside_ci", "condition_own_parent", "condition_parent_cycle",
            "long_hostile_value", "control_characters", "bib_duplicate_field",
            "short_row", "xml_noncharacter", "bib_author_unsplittable"} <= names


def test_load_raises_with_every_problem(bad_case):
    with pytest.raises(DataError) as err:
        load(bad_case("duplicate_id"))
    assert len(err.value.problems) == 2
    assert "claims.csv:5:claim_id duplicate id 'be-001'" in str(err.value)


def test_problems_from_several_files_in_one_run(data_copy):
    root = data_copy()
    (root / "conditions.csv").write_text((root / "conditions.csv").read_text()
                                         .replace(",back,", ",bak,"))
    claims = root / "claims.csv"
    claims.write_text(claims.read_text().replace("procedure,none", "procedur,none"))
    found = [str(p) for p in check(root)]
    assert any(p.startswith("conditions.csv:2:body_region 'bak'") for p in found)
    assert any(p.startswith("claims.csv:5:topic 'procedur'") for p in found)


def test_oversized_file_is_refused_before_reading(data_copy, monkeypatch):
    import kb.read

    root = data_copy()
    with open(root / "claims.csv", "r+b") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse 200 MB file
    monkeypatch.setattr(kb.read, "MAX_FILE_BYTES", 100 * 1024 * 1024)
    found = [str(p) for p in check(root)]
    assert "claims.csv:0:- file is 200 MB, over the 100 MB limit (KB_MAX_FILE_MB)" in found


def test_quote_longer_than_twelve_words(data_copy):
    root = data_copy()
    claims = root / "claims.csv"
    long_quote = '"""' + " ".join(["word"] * 13) + '"""'
    claims.write_text(claims.read_text().replace('"""cures whiplash"""', long_quote))
    assert [str(p) for p in check(root)] == [
        "claims.csv:4:quote quote has more than 12 words; paraphrase in the statement"]


def test_multiline_field_keeps_line_numbers_right(data_copy):
    root = data_copy()
    claims = root / "claims.csv"
    text = claims.read_text().replace("Dry needling eases back pain in the short term.",
                                      '"Dry needling eases\nback pain."')
    claims.write_text(text.replace("procedure,none", "procedur,none"))
    found = [str(p) for p in check(root)]
    assert found == ["claims.csv:6:topic 'procedur' is not one of: definition, mechanism, "
                     "indication, efficacy, safety, contraindication, procedure, aftercare, "
                     "practitioner, cost"]


def test_link_out_of_the_data_dir_is_refused_unread(data_copy, tmp_path):
    root = data_copy()
    outside = tmp_path / "passwd"
    outside.write_text("condition_id,TOPSECRET\n")
    (root / "conditions.csv").unlink()
    (root / "conditions.csv").symlink_to(outside)
    assert [str(p) for p in check(root)] == [
        "conditions.csv:0:- is a link to a file outside the data directory; refused, not read"]


def test_link_inside_the_data_dir_is_read(data_copy):
    root = data_copy()
    (root / "kept.csv").write_bytes((root / "conditions.csv").read_bytes())
    (root / "conditions.csv").unlink()
    (root / "conditions.csv").symlink_to(root / "kept.csv")
    assert check(root) == []


def test_fifo_in_the_data_dir_is_refused_without_blocking(data_copy):
    import os

    root = data_copy()
    (root / "sources.csv").unlink()
    os.mkfifo(root / "sources.csv")
    assert [str(p) for p in check(root)] == [
        "sources.csv:0:- is not a regular file; refused, not read"]


def test_problem_messages_are_short_and_escaped():
    from kb.problems import Problem

    problem = Problem("a.csv", 1, "x\x1b[2J" + "y" * 100, "bad \x1b]8;;x\x07 \u202e")
    assert str(problem) == ("a.csv:1:x\\x1b[2J" + "y" * 52 + "… bad \\x1b]8;;x\\x07 "
                            "\\u202e")


@pytest.mark.parametrize("text, shown", [
    ("\u200b" + "a" * 70, "\\u200b" + "a" * 54 + "…"),  # the fuzzer's zero-width header
    ("a" * 58 + "\u200b" + "b", "a" * 58 + "…"),  # an escape is never cut in two
    ("a" * 59 + "\x1b", "a" * 59 + "…"),
    ("a" * 55 + "\U000e0041" + "b" * 9, "a" * 55 + "…"),
    ("a" * 50 + "\U000e0041", "a" * 50 + "\\U000e0041"),
    ("\x00" * 15, "\\x00" * 15),
])
def test_a_field_excerpt_counts_its_escapes(text, shown):
    from kb.problems import EXCERPT, Problem

    field = Problem("a.csv", 1, text, "m").field
    assert field == shown and len(field) <= EXCERPT + 1


def test_a_legal_200_kb_field_loads_beside_a_multiline_row(data_copy):
    """csv's 128 kB field limit must not reject a field pandas reads (issue 14, item 6)."""
    root = data_copy()
    conditions = root / "conditions.csv"
    text = conditions.read_text().replace(
        "back-pain,Back pain,lumbago;low back pain,back,,,",
        'back-pain,Back pain,lumbago;low back pain,back,,"' + "x" * 200_000 + '",').replace(
        "neck-pain,Neck pain,", 'neck-pain,"Neck\npain",')
    conditions.write_text(text)
    assert check(root) == []


def test_the_csv_checks_run_before_references_bib_is_waited_for(monkeypatch):
    """read_data returns while a large .bib may still parse on the other cores; validate
    checks every CSV table first and asks for the references last, once."""
    from kb import read, validate

    events: list[str] = []
    raw = read.read_data(ROOT / "data")
    parsed = raw.references
    raw = read.RawData(raw.root, raw.tables, lambda: events.append("references") or parsed)
    monkeypatch.setattr(validate, "VALIDATORS", tuple(
        (lambda raw, check=check: events.append(check.__name__) or check(raw))
        for check in validate.VALIDATORS))
    assert validate.validate(raw) == []
    assert events.count("references") == 1
    waited = events.index("references")
    assert set(events[:waited]) >= {"check_tables", "check_claims", "check_findings"}
    assert events[waited - 1:] == ["check_reference_ids", "references", "check_references"]
