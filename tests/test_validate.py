"""Each bad-data fixture produces exactly its expected, located problems."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, ROOT

from kb.load import check, load
from kb.problems import DataError

BAD = sorted(p for p in FIXTURES.glob("bad_*") if p.is_dir())


def test_bundled_data_validates_clean():
    assert check(ROOT / "data") == []


def test_minimal_fixture_validates_clean():
    assert check(FIXTURES / "minimal") == []


@pytest.mark.parametrize("case", BAD, ids=[p.name for p in BAD])
def test_bad_fixture_gives_exact_problems(case):
    expected = (case / "expected.txt").read_text().splitlines()
    assert [str(p) for p in check(case)] == expected


def test_every_scenario_has_a_fixture():
    names = {p.name.removeprefix("bad_") for p in BAD}
    assert {"unknown_reference", "unknown_condition", "duplicate_id", "vocab_typo",
            "bib_missing_brace", "doi_with_space", "claim_without_source",
            "finding_without_certainty", "restates_cycle", "javascript_url", "non_utf8",
            "unterminated_quote", "ragged_row", "missing_file"} <= names


def test_load_raises_with_every_problem():
    with pytest.raises(DataError) as err:
        load(FIXTURES / "bad_duplicate_id")
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
