"""The curated expected verdicts (tests/expected_verdicts.csv, written from the seeds and
references.md by one reviewer, read by a second; docs/verdict-audit.md records how every
disagreement was settled) are what the KB computes, field by field."""

from __future__ import annotations

import csv

import pytest
from conftest import ROOT

from kb import catalog, vocab

EXPECTED = ROOT / "tests" / "expected_verdicts.csv"
FIELDS = ("certainty", "certainty_basis", "time_window", "support_status")
ROWS = list(csv.DictReader(EXPECTED.open(encoding="utf-8", newline="")))


@pytest.fixture(scope="module")
def computed(kb):
    return catalog.table(kb, "claims").set_index("claim_id")


def test_the_table_covers_every_article_and_status():
    assert len(ROWS) >= 80
    sources = {row["claim_id"].split("-")[0] for row in ROWS}
    assert sources == {"vw", "fa", "ju", "nx"}
    assert {row["support_status"] for row in ROWS} == set(vocab.SupportStatus.values())
    classes = {c for row in ROWS for c in row["rule_class"].split(";")}
    assert {str(n) for n in range(1, 11)} <= classes
    assert all(row["reason"].strip() for row in ROWS)


@pytest.mark.parametrize("row", ROWS, ids=[row["claim_id"] for row in ROWS])
def test_verdict(computed, row):
    got = computed.loc[row["claim_id"]]
    want = {field: row[field] for field in FIELDS}
    have = {field: str(got[field]) for field in FIELDS}
    assert have == want, f"{row['claim_id']}: {row['reason']} | {got['status_rationale']}"


def test_rationales_name_reviews_in_words_not_ids(computed, kb):
    ids = set(kb.findings["finding_id"])
    for row in ROWS:
        rationale = str(computed.loc[row["claim_id"], "status_rationale"])
        assert not any(finding in rationale for finding in ids), (row["claim_id"], rationale)
