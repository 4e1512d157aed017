"""Support status: a fixture where each status is known, and the seeds' known problems."""

from pathlib import Path

import pytest

from kb import catalog
from kb.load import load
from kb.vocab import SupportStatus

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="module")
def fixture_status():
    kb = load(FIXTURES / "analytics_basic")
    from kb.status import support_status

    return kb.claims[["claim_id"]].join(support_status(kb)).set_index("claim_id")


@pytest.fixture(scope="module")
def bundled(kb):
    from kb.status import support_status

    return kb.claims[["claim_id"]].join(support_status(kb)).set_index("claim_id")


@pytest.mark.parametrize("claim_id, expected", [
    ("al-001", "overstated"),            # "is effective" via page -> review, best moderate
    ("al-002", "consistent"),            # "probably", moderate finding, both comparators
    ("al-003", "consistent"),            # says "better than sham", the review found that (the
                                         # dropped-comparator rule fired on sentences naming none)
    ("al-004", "unsupported"),           # cites an opinion paper, no finding
    ("al-005", "not assessable"),        # procedure, no finding
    ("al-006", "contradicted"),          # high-certainty no-difference outweighs low support
    ("al-007", "overstated"),            # ungraded same-level contradiction is set aside
    ("al-008", "overstated"),            # "probably" on an ungraded finding (at most "may")
    ("al-009", "consistent"),            # "may" on an ungraded finding
    ("be-001", "consistent"),            # "can ease", moderate evidence the article does not cite
    ("be-002", "contradicted"),          # a survey contradicts an unreferenced safety claim
    ("be-003", "consistent"),
    ("be-004", "not assessable"),        # states only uncertainty
])
def test_fixture_status_known_by_construction(fixture_status, claim_id, expected):
    assert fixture_status.loc[claim_id, "support_status"] == expected


def test_every_claim_has_a_valid_status_and_rationale(bundled, kb):
    assert len(bundled) == len(kb.claims)
    assert bundled["support_status"].isin(SupportStatus.values()).all()
    assert (bundled["status_rationale"].str.len() > 10).all()
    assert not bundled["status_rationale"].str.contains("\n").any()


def test_override_replaces_status_and_is_flagged(fixture_status):
    row = fixture_status.loc["be-005"]
    assert row["support_status"] == "not assessable"
    assert bool(row["status_overridden"]) is True
    assert "curator override" in row["status_rationale"]
    assert not fixture_status.drop("be-005")["status_overridden"].any()


def test_claims_export_carries_status(kb):
    export = catalog.table(kb, "claims")
    assert {"support_status", "status_rationale", "status_overridden"} <= set(export.columns)


def test_strong_wording_is_overstated(bundled, kb):
    quotes = kb.claims.set_index("claim_id")["quote"]
    strong = quotes[quotes.str.contains("strong evidence base", case=False)].index
    very = quotes[quotes.str.contains("very effective", case=False)].index
    assert len(strong) == 1 and len(very) == 1
    assert (bundled.loc[strong.union(very), "support_status"] == "overstated").all()
    assert "moderate" in bundled.loc[strong[0], "status_rationale"]


def test_jubilant_efficacy_is_judged_by_evidence_it_does_not_cite(bundled, kb):
    """Jubilant cites nothing: its certainty stays `unreferenced`, while its status compares the
    wording with the reviews, and the rationale says the article does not cite them."""
    claims = kb.claims.set_index("claim_id")
    mask = (claims["source_id"] == "jubilant") & claims["topic"].isin(["efficacy", "indication"])
    assert mask.sum() >= 3
    assert set(claims.loc[mask, "certainty"]) == {"unreferenced"}
    judged = bundled.loc[mask[mask].index]
    judged = judged[judged["support_status"].isin(["consistent", "overstated"])]
    assert len(judged) >= 3
    assert judged["status_rationale"].str.contains("does not cite").all()


def test_gattie_summary_dropping_other_treatments(bundled):
    assert bundled.loc["fa-079", "support_status"] == "understated or misquoted"
    # references.md v2: Gattie's pain and PPT statement pools sham and other treatments, so the
    # omission is named by the link note, not by a separate other-treatment finding
    assert "other treatments" in bundled.loc["fa-079", "status_rationale"]


def test_nccih_modest_sentence_is_unsupported(bundled, kb):
    claims = kb.claims.set_index("claim_id")
    nccih = claims[claims["reference_ids"] == "nccih"].index
    assert list(nccih) == ["fa-089"]
    assert bundled.loc["fa-089", "support_status"] == "unsupported"


def test_faithful_report_of_gattie_long_term_is_consistent(bundled):
    assert bundled.loc["fa-082", "support_status"] == "consistent"


def test_kb_without_contradicting_links(minimal):
    from kb.status import support_status

    status = minimal.claims[["claim_id"]].join(support_status(minimal)).set_index("claim_id")
    assert status.loc["al-001", "support_status"] == "consistent"
    assert status.loc["be-001", "support_status"] == "unsupported"
    assert status.loc["be-002", "support_status"] == "not assessable"
